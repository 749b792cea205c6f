"""CORS set by nginx read as CorsPolicy facts: what each `add_header Access-Control-Allow-Origin`
lets in (`*`, an echo, an if/set/map regex guard, literal origins), credentials from the same
block only (nginx's add_header inheritance), and spans a fix can edit."""

from __future__ import annotations

from authlint.facts.model import CorsPolicy
from authlint.files.source import Source
from authlint.run.context import FileContext


def policies(text: str, relpath: str = "nginx.conf") -> list[CorsPolicy]:
    return [f for f in FileContext(Source.from_text(text, relpath, "nginx")).facts.items if isinstance(f, CorsPolicy)]


def written(text: str, policy: CorsPolicy) -> list[str]:
    return [text[e.span.start : e.span.end] for e in policy.allowed.entries]


def test_star_is_sent_literally_and_located() -> None:
    text = "server { location / { add_header 'Access-Control-Allow-Origin' \"*\" always; proxy_pass http://a; } }"
    (policy,) = policies(text)
    assert policy.allowed.kind == "any" and policy.allowed.literal_star and policy.label == "nginx"
    assert written(text, policy) == ["*"] and policy.allowed.entries[0].located
    assert policy.allowed.written_as == ""  # one header answers one origin
    assert policy.allows_credentials is False


def test_unguarded_echo_reflects_and_a_guarded_one_is_a_searched_pattern() -> None:
    text = """server {
    add_header Access-Control-Allow-Origin $http_origin;
    location /api/ {
        if ($http_origin ~* "^https://app\\.example\\.com") {
            add_header Access-Control-Allow-Origin $http_origin;
            add_header Access-Control-Allow-Credentials true;
        }
    }
}
"""
    echo, guarded = policies(text)
    assert echo.allowed.kind == "reflect" and echo.allowed.echo is not None
    assert text[echo.allowed.echo.span.start : echo.allowed.echo.span.end] == "$http_origin"
    assert guarded.allowed.kind == "regex" and guarded.allows_credentials is True
    (entry,) = guarded.allowed.entries
    assert (entry.pattern, entry.anchoring, entry.anchor_start, entry.raw) == (True, "search", True, True)
    assert written(text, guarded) == ["^https://app\\.example\\.com"]


def test_credentials_come_from_the_same_block_only() -> None:
    # the location writes add_header, so the server's credentials header is not sent there
    text = """server {
    add_header Access-Control-Allow-Credentials true;
    location / { add_header Access-Control-Allow-Origin *; }
}
"""
    (policy,) = policies(text)
    assert policy.allows_credentials is False


def test_variables_set_in_ifs_and_maps() -> None:
    text = """map $http_origin $cors_origin {
    default "";
    "~*^https://[a-z]+\\.example\\.com$" $http_origin;
    https://partner.example.net $http_origin;
}
server {
    set $cors "";
    if ($http_origin = "https://exact.example.org") { set $cors $http_origin; }
    location /a/ { add_header Access-Control-Allow-Origin $cors_origin; }
    location /b/ { add_header Access-Control-Allow-Origin $cors; }
    location /c/ { add_header Access-Control-Allow-Origin $upstream_http_x_origin; }
}
"""
    mapped, exact, unknown = policies(text)
    assert mapped.allowed.kind == "list"
    assert written(text, mapped) == ["https://partner.example.net", "^https://[a-z]+\\.example\\.com$"]
    assert [e.pattern for e in mapped.allowed.entries] == [False, True]
    assert exact.allowed.kind == "list" and exact.allowed.values == ["https://exact.example.org"]
    assert written(text, exact) == ["https://exact.example.org"]
    assert unknown.allowed.kind == "unknown" and unknown.allowed.entries == []


def test_a_map_defaulting_to_the_origin_reflects() -> None:
    text = "map $http_origin $o { default $http_origin; ~^https://a\\.example$ $http_origin; }\nserver { add_header Access-Control-Allow-Origin $o; }\n"
    (policy,) = policies(text)
    assert policy.allowed.kind == "reflect" and policy.allowed.echo is None  # computed: no one value to replace


def test_a_snippet_top_level_header_and_literal_null() -> None:
    text = "add_header Access-Control-Allow-Origin null;\nadd_header Access-Control-Allow-Credentials true;\n"
    (policy,) = policies(text, "snippets/cors.conf")
    assert policy.allowed.values == ["null"] and policy.allows_credentials is True


def test_files_without_the_header_have_no_policy() -> None:
    assert policies("server { location / { proxy_pass http://a; add_header X-Frame-Options DENY; } }") == []


def test_an_echo_after_an_if_that_refuses_other_origins_answers_its_pattern() -> None:
    text = """server {
    if ($http_origin !~* "^https://(app|admin)\\.example\\.com$") { return 403; }
    location / {
        add_header Access-Control-Allow-Origin $http_origin;
        add_header Access-Control-Allow-Credentials true;
        proxy_pass http://app;
    }
}
"""
    (policy,) = policies(text)
    assert policy.allowed.kind == "regex" and policy.allows_credentials is True
    assert written(text, policy) == ["^https://(app|admin)\\.example\\.com$"]
