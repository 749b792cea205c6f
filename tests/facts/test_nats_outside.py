"""NATS client settings outside code (``facts.nats_outside``, ``facts.natscontext``) and the
``EnvFallback`` facts of Python and JS/TS: what each place gives, and what is left alone."""

from __future__ import annotations

import pytest

from authlint.facts.model import EnvFallback, NatsPresented
from authlint.facts.nats_outside import credential_kind, presented
from authlint.run.context import Project
from authlint.testing import contexts_for, make_settings


def _project(files: dict[str, str]) -> Project:
    return Project(contexts_for(files, make_settings()), make_settings())


def _presented(files: dict[str, str]) -> list[NatsPresented]:
    return list(presented(_project(files)))


def _fallbacks(relpath: str, code: str) -> list[tuple[str, str, str]]:
    [ctx] = contexts_for({relpath: code}, make_settings())
    return [(f.variable, f.value, ctx.source.slice(f.drop) if f.drop else "") for f in ctx.facts.of(EnvFallback)]


def test_compose_env_file_then_environment_make_one_login() -> None:
    found = _presented({
        "docker-compose.yml": "services:\n  w:\n    env_file: [w.env]\n    environment:\n      NATS_PASSWORD: pw-from-compose\n",
        "w.env": "NATS_USER=app\nNATS_PASSWORD=pw-from-file\n",
    })
    assert [(p.user, p.password, p.source.relpath) for p in found] == [("app", "pw-from-compose", "w.env")]
    assert found[0].password_span is None  # the password is in another file: the finding stays at the user


def test_a_named_env_file_is_not_an_environment_of_its_own() -> None:
    found = _presented({
        "docker-compose.yml": "services:\n  w:\n    env_file: w.env\n",
        "w.env": "NATS_TOKEN=tok-1\n",
    })
    assert [(p.token, p.label) for p in found] == [("tok-1", "Compose service `w` (`NATS_TOKEN` in `w.env`)")]


def test_no_literal_no_client() -> None:
    assert _presented({
        "docker-compose.yml": "services:\n  w:\n    environment:\n      - NATS_TOKEN=${NATS_TOKEN}\n      - NATS_USER\n",
        "k8s.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: c:1\n"
                    "      env:\n        - name: NATS_TOKEN\n          valueFrom: {secretKeyRef: {name: s, key: t}}\n",
        ".env.example": "NATS_TOKEN=changeme\n",
        "only-user.env": "NATS_USER=app\n",
    }) == []


def test_servers_lists_give_each_url_its_own_credentials() -> None:
    found = _presented({".env": "NATS_SERVERS=nats://a:pw-a@n1:4222, nats://n2:4222,nats://tok@n3:4222\n"})
    assert [(p.user, p.password, p.token) for p in found] == [("a", "pw-a", None), (None, None, "tok")]
    text = found[0].source.text
    assert text[found[0].password_span.start : found[0].password_span.end] == "pw-a"


def test_a_context_is_read_by_its_place_and_shape() -> None:
    context = '{"url": "nats://h:4222", "token": "t\\u0031k"}'
    assert [(p.token, p.label, p.source.text[p.span.start : p.span.end]) for p in
            _presented({"nats/context/dev.json": context})] == [("t1k", "nats context `dev`", "t\\u0031k")]
    assert _presented({"fixtures/dev.json": context}) == []
    assert _presented({"context/list.json": '[{"token": "x"}]'}) == []
    assert _presented({"context/broken.json": '{"token": "x",}'}) == []  # not JSON: no context, no error


@pytest.mark.parametrize("variable, kind", [
    ("NATS_TOKEN", "token"), ("NATS_AUTH_TOKEN", "token"), ("NATS_PASSWORD", "password"), ("NATS_PASS", "password"),
    ("NATS_URL", None), ("NATS_USER", None), ("NATS_CREDS", None), ("NATS_NKEY", None), ("JWT_TOKEN", None),
])
def test_credential_kind(variable: str, kind: str | None) -> None:
    assert credential_kind(variable) == kind


def test_python_fallbacks() -> None:
    code = (
        "import os\nfrom os import environ, getenv\n"
        'a = os.environ.get("NATS_TOKEN", "t1")\n'
        'b = getenv("NATS_PASSWORD", default="p1")\n'
        'c = environ.get("NATS_PASS") or "p2"\n'
        'd = os.environ.setdefault("NATS_TOKEN", "t2")\n'
        'e = os.environ.get("NATS_TOKEN", "t3") or "t4"\n'
        'f = os.environ["NATS_TOKEN"]\n'
        'g = os.environ.get("DB_PASSWORD", "x")\n'
        'h = os.getenv("NATS_TOKEN", TOKEN)\n'
    )
    assert sorted(_fallbacks("app.py", code)) == sorted([
        ("NATS_TOKEN", "t1", ', "t1"'),
        ("NATS_PASSWORD", "p1", ', default="p1"'),
        ("NATS_PASS", "p2", ' or "p2"'),
        ("NATS_TOKEN", "t2", ""),  # setdefault needs its value: no drop
        ("NATS_TOKEN", "t3", ', "t3"'),
        ("NATS_TOKEN", "t4", ' or "t4"'),  # the outer `or` of a read with its own default: both go
    ])


def test_js_fallbacks_skip_comments_and_strings() -> None:
    code = (
        '// process.env.NATS_TOKEN || "c1"\n'
        'const s = "process.env.NATS_TOKEN || \'c2\'";\n'
        'const a = process.env.NATS_TOKEN || "t1";\n'
        "const b = process.env['NATS_PASSWORD'] ?? 'p1';\n"
        'const c = import.meta.env.NATS_TOKEN || `t2`;\n'
        'const d = Deno.env.get("NATS_TOKEN") ?? "t3";\n'
        'const e = process.env.NATS_TOKEN || `t${x}`;\n'
    )
    assert _fallbacks("app.ts", code) == [
        ("NATS_TOKEN", "t1", ' || "t1"'),
        ("NATS_PASSWORD", "p1", " ?? 'p1'"),
        ("NATS_TOKEN", "t2", " || `t2`"),
        ("NATS_TOKEN", "t3", ' ?? "t3"'),
    ]
