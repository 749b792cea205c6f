"""nginx access-log facts: log_format definitions (strings joined as nginx joins them, variables with
their spans), access_log directives (the format they name, ``combined`` by default, ``off``), and
where a new log_format goes."""

from __future__ import annotations

from authlint.facts.model import NginxAccessLog, NginxLogFormat, NginxLogSlot
from authlint.files.source import Source
from authlint.run.context import FileContext

CONFIG = """events {}
http {
    log_format main escape=json '{"r":"$request_uri",'
                    '"a":"${http_authorization}"}';
    log_format plain $remote_addr;
    access_log /var/log/nginx/access.log main buffer=32k;
    server {
        listen 80;
        access_log off;
        location / { access_log logs/site.log; proxy_pass http://app; }
    }
}
stream { log_format tcp '$remote_addr $status'; server { listen 4222; proxy_pass nats:4222; } }
"""


def facts(text: str, relpath: str = "nginx.conf") -> list:
    return FileContext(Source.from_text(text, relpath, "nginx")).facts.items


def test_log_formats_join_their_strings_and_locate_their_variables() -> None:
    main, plain, tcp = [f for f in facts(CONFIG) if isinstance(f, NginxLogFormat)]
    assert (main.name, main.escape, main.context) == ("main", "json", "http")
    assert main.format == '{"r":"$request_uri","a":"${http_authorization}"}'
    assert main.names == ["request_uri", "http_authorization"]
    assert [CONFIG[v.span.start : v.span.end] for v in main.variables] == ["$request_uri", "${http_authorization}"]
    assert CONFIG[main.span.start : main.span.end] == "main"
    assert (plain.format, plain.names, plain.escape) == ("$remote_addr", ["remote_addr"], "")
    assert (tcp.context, tcp.names) == ("stream", ["remote_addr", "status"])


def test_access_logs_name_their_format_or_combined() -> None:
    logs = [f for f in facts(CONFIG) if isinstance(f, NginxAccessLog)]
    assert [(log.path, log.format, log.off, log.level) for log in logs] == [
        ("/var/log/nginx/access.log", "main", False, "http"),
        ("", "", True, "server"),
        ("logs/site.log", "combined", False, "location"),
    ]


def test_a_new_log_format_goes_before_the_first_server_of_the_http_block() -> None:
    slot, = [f for f in facts(CONFIG) if isinstance(f, NginxLogSlot)]
    assert slot.block is not None and CONFIG[slot.block.start : slot.block.start + 4] == "http"
    assert CONFIG[slot.insert_at :].startswith("    server {") and (slot.indent, slot.own_line) == ("    ", True)


def test_a_fragment_of_http_servers_has_a_slot_at_its_top_and_a_shared_line_is_kept() -> None:
    fragment = "# site\nserver { listen 80; location / { proxy_pass http://app; } }\n"
    slot, = [f for f in facts(fragment, "conf.d/app.conf") if isinstance(f, NginxLogSlot)]
    assert (slot.block, slot.insert_at, slot.indent, slot.own_line) == (None, 7, "", True)
    stream = "server { listen 4222; proxy_pass nats:4222; }\n"
    assert not [f for f in facts(stream, "conf.d/nats.conf") if isinstance(f, NginxLogSlot)]
    inline = "http { server { listen 80; } }\n"
    slot, = [f for f in facts(inline) if isinstance(f, NginxLogSlot)]
    assert (slot.insert_at, slot.own_line) == (7, False)


def test_a_logging_snippet_is_read_as_nginx() -> None:
    from authlint.files.textfiles import classify_text

    assert classify_text("logging.conf", b"log_format main '$remote_addr $request';\naccess_log /var/log/x.log main;\n") == "nginx"
