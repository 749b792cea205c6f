"""Hand-set CORS headers read the same in Python and JavaScript: which value answers the request's
Origin, and whether the setting function checks that origin first (``request:origin`` unchecked,
``request:origin-checked`` compared with an allow-list, so not reflected-any)."""

from __future__ import annotations

import pytest

from authlint.facts.model import CorsPolicy
from tests.facts.helpers import facts_of
from tests.facts.jsfacts import facts_of as js_facts_of

ECHOED, CHECKED = "request:origin", "request:origin-checked"


def python_policies(code: str) -> list[CorsPolicy]:
    return facts_of(code, CorsPolicy)


def js_policies(code: str, name: str = "server.js") -> list[CorsPolicy]:
    return js_facts_of(name, code, CorsPolicy)


@pytest.mark.parametrize(
    "value, ref",
    [
        ("request.headers.get('Origin')", ECHOED),
        ("request.headers['origin']", ECHOED),
        ("request.META['HTTP_ORIGIN']", ECHOED),
        ("request.META.get('HTTP_ORIGIN', '*')", ECHOED),
        ("request.environ.get('HTTP_ORIGIN')", ECHOED),
        ("request.origin or '*'", ECHOED),
        ("request.headers.getone('Origin')", ECHOED),
        ("get_origin(request.headers)", None),  # a helper authlint does not read: not an echo
    ],
)
def test_python_origin_sources(value: str, ref: str | None) -> None:
    (policy,) = python_policies(
        f"def view(request, response):\n    response.headers['Access-Control-Allow-Origin'] = {value}\n    return response\n"
    )
    assert policy.origins is not None
    assert policy.origins.ref == ref if ref else policy.origins.ref not in (ECHOED, CHECKED)
    assert policy.allowed.kind == ("reflect" if ref else "unknown")


@pytest.mark.parametrize(
    "guard, ref",
    [
        ("if origin in ALLOWED:", CHECKED),
        ("if origin not in ALLOWED:\n        return response\n    if True:", CHECKED),
        ("if origin == settings.FRONTEND:", CHECKED),
        ("if is_allowed(origin):", CHECKED),
        ("if re.fullmatch(PATTERN, origin):", CHECKED),
        ("if origin.endswith('.example.com'):", CHECKED),
        ("if origin:", ECHOED),  # presence is no check
        ("if origin is not None:", ECHOED),
        ("if origin != '':", ECHOED),
    ],
)
def test_python_guard(guard: str, ref: str) -> None:
    code = (
        "def after(response):\n    origin = request.headers.get('Origin')\n"
        f"    {guard}\n        response.headers['Access-Control-Allow-Origin'] = origin\n    return response\n"
    )
    (policy,) = python_policies(code)
    assert policy.origins is not None and policy.origins.ref == ref
    assert policy.allowed.kind == ("reflect" if ref == ECHOED else "unknown")


@pytest.mark.parametrize(
    "value",
    [
        "req.headers.origin", "req.headers['origin']", "req.get('origin')", "req.header('Origin')",
        "ctx.get('Origin')", "ctx.request.header.origin", "ctx.headers.origin", "request.headers.get('origin')",
        "event.headers.origin", "req.headers.origin || '*'", "req.headers?.origin ?? '*'",
    ],
)
def test_javascript_origin_sources(value: str) -> None:
    (policy,) = js_policies(f"app.use((req, res, next) => {{\n  res.setHeader('Access-Control-Allow-Origin', {value});\n}});\n")
    assert policy.origins is not None and policy.origins.ref == ECHOED and policy.allowed.kind == "reflect"


@pytest.mark.parametrize(
    "guard, ref",
    [
        ("if (ALLOWED.includes(origin))", CHECKED),
        ("if (allowed.has(origin))", CHECKED),
        ("if (whitelist.indexOf(origin) !== -1)", CHECKED),
        ("if (origin === FRONTEND)", CHECKED),
        ("if (/^https:\\/\\/a\\.example$/.test(origin))", CHECKED),
        ("if (origin && origin.endsWith('.example.com'))", CHECKED),
        ("if (origin)", ECHOED),
        ("if (origin !== undefined)", ECHOED),
        ("if (typeof origin === 'string')", ECHOED),
    ],
)
def test_javascript_guard(guard: str, ref: str) -> None:
    code = (
        "app.use((req, res, next) => {\n  const origin = req.headers.origin;\n"
        f"  {guard} res.setHeader('Access-Control-Allow-Origin', origin);\n  next();\n}});\n"
    )
    (policy,) = js_policies(code)
    assert policy.origins is not None and policy.origins.ref == ref


def test_javascript_guard_held_in_a_local() -> None:
    code = (
        "app.use((req, res, next) => {\n  const origin = req.headers.origin;\n  const ok = allowed.includes(origin);\n"
        "  if (ok) res.setHeader('Access-Control-Allow-Origin', origin);\n  next();\n});\n"
    )
    (policy,) = js_policies(code)
    assert policy.origins is not None and policy.origins.ref == CHECKED


def test_one_policy_per_origin_a_function_answers() -> None:
    """A branch answering `*` and another echoing the caller are two policies with the function's credentials."""
    python = python_policies(
        "def after(response):\n    if PUBLIC:\n        response.headers['Access-Control-Allow-Origin'] = '*'\n"
        "    else:\n        response.headers['Access-Control-Allow-Origin'] = request.headers.get('Origin')\n"
        "    response.headers['Access-Control-Allow-Credentials'] = 'true'\n    return response\n"
    )
    javascript = js_policies(
        "app.use((req, res, next) => {\n  if (PUBLIC) res.set('Access-Control-Allow-Origin', '*');\n"
        "  else res.set('Access-Control-Allow-Origin', req.headers.origin);\n"
        "  res.set('Access-Control-Allow-Credentials', 'true');\n  next();\n});\n"
    )
    for policies in (python, javascript):
        assert [p.allowed.kind for p in policies] == ["any", "reflect"]
        assert all(p.allows_credentials is True for p in policies)


def test_javascript_header_objects_and_lowercase_names() -> None:
    code = (
        "export const handler = async () => ({ statusCode: 200, headers: { 'access-control-allow-origin': '*' } });\n"
        "export function GET() {\n  return new Response('{}', { headers: { 'Access-Control-Allow-Origin': 'null' } });\n}\n"
    )
    first, second = js_policies(code, "handler.mjs")
    assert first.allowed.kind == "any" and first.allowed.values == ["*"]
    assert second.allowed.values == ["null"]


def test_python_wsgi_header_pairs() -> None:
    (policy,) = python_policies(
        "def app(environ, start_response):\n    origin = environ.get('HTTP_ORIGIN', '')\n"
        "    start_response('200 OK', [('Access-Control-Allow-Origin', origin),\n"
        "                              ('Access-Control-Allow-Credentials', 'true')])\n    return [b'{}']\n"
    )
    assert policy.allowed.kind == "reflect" and policy.allows_credentials is True


@pytest.mark.parametrize(
    "response",
    [
        "return body, 200, [('Access-Control-Allow-Origin', origin), ('Access-Control-Allow-Credentials', cred)]",
        "return make_response(body, 200, {'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': cred})",
        "return Response(body, headers={'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': cred})",
    ],
)
def test_python_response_tuple_and_constructors_with_branch_bound_locals(response: str) -> None:
    """A Flask view's response tuple / ``make_response`` / ``Response(headers=...)``: the Origin local is
    bound in branches (echo with credentials, else ``*`` without), so the function may reflect with
    credentials."""
    code = (
        "from flask import request, make_response, Response\n\ndef view(body):\n    try:\n"
        "        origin = request.headers['Origin']\n        cred = 'true'\n    except KeyError:\n"
        "        origin = '*'\n        cred = 'false'\n"
        f"    {response}\n"
    )
    (policy,) = python_policies(code)
    assert policy.origins is not None and policy.origins.ref == ECHOED
    assert policy.allowed.kind == "reflect" and policy.allows_credentials is True


def test_branch_bound_origin_behind_an_allow_list_is_checked() -> None:
    python = python_policies(
        "def view(body):\n    if request.headers.get('Origin') in ALLOWED:\n        origin = request.headers['Origin']\n"
        "    else:\n        origin = 'https://app.example.com'\n"
        "    return body, 200, [('Access-Control-Allow-Origin', origin), ('Access-Control-Allow-Credentials', 'true')]\n"
    )
    javascript = js_policies(
        "function headers(req) {\n  let origin = 'https://app.example.com';\n"
        "  if (ALLOWED.includes(req.headers.origin)) origin = req.headers.origin;\n"
        "  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' };\n}\n"
    )
    for (policy,) in (python, javascript):
        assert policy.origins is not None and policy.origins.ref == CHECKED


def test_javascript_branch_bound_locals_echo_with_credentials() -> None:
    (policy,) = js_policies(
        "function headers(req) {\n  let origin, cred;\n  if (req.headers.origin) {\n"
        "    origin = req.headers.origin;\n    cred = 'true';\n  } else {\n    origin = '*';\n    cred = 'false';\n  }\n"
        "  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': cred };\n}\n"
    )
    assert policy.origins is not None and policy.origins.ref == ECHOED
    assert policy.allowed.kind == "reflect" and policy.allows_credentials is True


def test_a_credentials_local_never_true_sends_no_credentials() -> None:
    """Only a ``"true"`` binding is weighed: a local bound to ``"false"`` alone is no credentials."""
    (policy,) = python_policies(
        "def view(body):\n    origin = request.headers.get('Origin')\n    cred = 'false'\n"
        "    return body, 200, [('Access-Control-Allow-Origin', origin), ('Access-Control-Allow-Credentials', cred)]\n"
    )
    assert policy.allows_credentials is not True
