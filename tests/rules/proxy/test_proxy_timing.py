"""PRX003/PRX004's parts against the real thing: nginx's time syntax as ``nginx -t`` judges it, the
NATS ports a proxy is matched with, and every nginx config the two rules' fixes write accepted by
``nginx -t``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from authlint.facts.knowledge.nginx_time import nginx_seconds
from authlint.facts.model import NatsServerPings
from authlint.files.source import Source
from authlint.rules.proxy.prx003_proxy_timeout_under_ping import ProxyTimeoutUnderPing
from authlint.rules.proxy.prx004_polling_without_stickiness import PollingWithoutStickiness
from authlint.run.context import FileContext
from authlint.testing import fix_files
from tests.nginx_server import check_config, http_preamble, main_preamble, needs_nginx

TIMES = {
    "90s": 90.0, "1m30s": 90.0, '"1m 30s"': 90.0, "500ms": 0.5, "60": 60.0, "1h": 3600.0, "2d": 172800.0,
    "1w": 604800.0, '"1m 30"': 90.0, "1s500ms": 1.5, "0": 0.0, "'1m'": 60.0,
    # refused by nginx 1.22 for a timeout read in milliseconds
    "1M": None, "1y": None, "30s1m": None, "1x": None, "s": None, "1m1m": None, '"30 1m"': None,
    '"1h 1h"': None, "1.5s": None,
}


def _unquoted(written: str) -> str:
    return written[1:-1] if written[:1] in "'\"" else written


@pytest.mark.parametrize("written, seconds", TIMES.items())
def test_nginx_seconds(written: str, seconds: float | None) -> None:
    assert nginx_seconds(_unquoted(written)) == seconds


@needs_nginx[0]
@pytest.mark.parametrize("written, seconds", TIMES.items())
def test_nginx_accepts_exactly_the_times_read(tmp_path: Path, written: str, seconds: float | None) -> None:
    """(``proxy_read_timeout``: the stream module's ``proxy_timeout`` is parsed by the same
    ``ngx_conf_set_msec_slot``, but Debian's nginx package ships no stream module to ask.)"""
    inner = f"server {{ listen 127.0.0.1:9; location / {{ proxy_read_timeout {written}; proxy_pass http://127.0.0.1:1; }} }}"
    config = tmp_path / "nginx.conf"
    config.write_text(f"{main_preamble(tmp_path)}\nevents {{}}\nhttp {{\n    {http_preamble(tmp_path)}\n    {inner}\n}}\n")
    ok, said = check_config(config)
    assert ok == (seconds is not None), said


def _pings(text: str) -> NatsServerPings:
    ctx = FileContext(Source.from_text(text, "nats-server.conf", "natsconf"))
    return next(f for f in ctx.facts.items if isinstance(f, NatsServerPings))


def test_nats_ports() -> None:
    assert (_pings("ping_interval: 20s\n").client_port, _pings("ping_interval: 20s\n").websocket_port) == (4222, None)
    found = _pings('listen: "0.0.0.0:4333"\nwebsocket { listen: "0.0.0.0:9222", no_tls: true }\n')
    assert (found.client_port, found.websocket_port) == (4333, 9222)
    found = _pings("port: 5222\nlisten: 0.0.0.0:4333\nws { port: 8443 }\n")
    assert (found.client_port, found.websocket_port) == (5222, 8443)
    assert _pings("port: $PORT\nPORT: 4000\n").client_port in (4000, None)


HOST = re.compile(r"(?<=[\s/])(?:[a-z][a-z0-9_-]*|\d+\.\d+\.\d+\.\d+)(?=:\d+)")


def _runnable(text: str, prefix: Path, fragments: list[str]) -> str:
    """A fixed example's nginx file as nginx -t can judge it: host names nginx would resolve
    replaced by 127.0.0.1, files kept in ``prefix``, a fragment included into an ``http {}``."""
    text = HOST.sub("127.0.0.1", text)
    if re.match(r"\s*(http|stream)\s*\{", text):
        body = text.replace("http {\n", f"http {{\n    {http_preamble(prefix)}\n", 1)
    else:
        includes = "".join(f"    include {prefix / name};\n" for name in fragments)
        body = f"http {{\n    {http_preamble(prefix)}\n{includes}}}\n"
    return f"{main_preamble(prefix)}\nevents {{}}\n{body}"


@needs_nginx[0]
@pytest.mark.parametrize("rule", [ProxyTimeoutUnderPing, PollingWithoutStickiness], ids=lambda r: r.code)
def test_every_fixed_example_passes_nginx_t(rule, tmp_path: Path) -> None:
    checked = 0
    for index, example in enumerate(e for e in rule.examples if not e.valid and e.fixed is not None):
        if "stream {" in example.code:
            continue  # Debian's nginx package ships no stream module (libnginx-mod-stream) for nginx -t
        files = {**example.files, example.path: example.code}
        fixed = fix_files(files, select=[rule.code])
        nginx = {path: text for path, text in fixed.items() if path.endswith(".conf") and "nats" not in path}
        prefix = tmp_path / str(index)
        prefix.mkdir()
        fragments = []
        for path, text in nginx.items():  # at their project paths: nginx resolves includes against the prefix
            (prefix / path).parent.mkdir(parents=True, exist_ok=True)
            (prefix / path).write_text(HOST.sub("127.0.0.1", text))
            if re.search(r"^\s*(server|upstream)\b", text, re.MULTILINE):  # a fragment, not a snippet
                fragments.append(path)
        main = example.path if re.match(r"\s*(http|stream)\s*\{", fixed[example.path]) else None
        config = prefix / "main.conf"
        config.write_text(_runnable(fixed[main], prefix, []) if main else _runnable("", prefix, fragments))
        ok, said = check_config(config, prefix)
        assert ok, f"{example.path}:\n{said}"
        checked += 1
    assert checked >= 3
