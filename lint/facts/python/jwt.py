"""PyJWT (and python-jose) mints and verifications, and framework JWT settings (Flask-JWT-Extended
``JWT_*`` keys, Django ``SIMPLE_JWT``).

``jwt.decode(jwt, key="", algorithms=None, options=None, ..., leeway=0)`` and
``jwt.encode(payload, key, algorithm="HS256", headers=None, ...)`` (PyJWT 2.x signatures).
"""

from __future__ import annotations

import ast

from authlint.facts.model import JwtConfig, JwtMint, JwtVerify, Option, OptionBag
from authlint.facts.python import lifetime as lt
from authlint.facts.python.resolve import Resolver, dotted, positional, string_value
from authlint.files.source import Span

JWT_SETTINGS_PREFIX = "JWT_"
SIMPLE_JWT = "SIMPLE_JWT"
ENCODE = {"jwt.encode": "pyjwt", "jwt.api_jwt.encode": "pyjwt", "jose.jwt.encode": "python-jose"}
DECODE = {
    "jwt.decode": "pyjwt", "jwt.decode_complete": "pyjwt", "jwt.api_jwt.decode": "pyjwt",
    "jwt.api_jwt.decode_complete": "pyjwt", "jose.jwt.decode": "python-jose",
}
UNVERIFIED = {
    "jwt.get_unverified_header": "pyjwt", "jwt.api_jws.get_unverified_header": "pyjwt",
    "jose.jwt.get_unverified_header": "python-jose", "jose.jwt.get_unverified_claims": "python-jose",
}
PYJWT_CLASSES = frozenset({"jwt.PyJWT", "jwt.api_jwt.PyJWT"})


def mint(resolver: Resolver, call: ast.Call, library: str, source, lang: str) -> JwtMint:
    bag = resolver.kwargs(call)
    payload_node = positional(call, 0, "payload") or positional(call, 0, "claims")
    key_node = positional(call, 1, "key")
    algorithm_node = positional(call, 2, "algorithm")
    has_exp, seconds, duration_node = exp_of(resolver, payload_node)
    return JwtMint(
        source=source, span=resolver.span(call), lang=lang, library=library,
        payload=resolver.expr(payload_node) if payload_node is not None else None,
        key=resolver.expr(key_node) if key_node is not None else None,
        algorithm=resolver.expr(algorithm_node) if algorithm_node is not None else None,
        has_exp=has_exp, lifetime=seconds,
        lifetime_expr=resolver.expr(duration_node) if duration_node is not None else None,
        options=bag,
    )


def exp_of(resolver: Resolver, payload: ast.expr | None):
    """``(has_exp, lifetime seconds, duration node)`` of a payload built in this file."""
    if payload is None:
        return None, None, None
    target = resolver.follow(payload)
    exp_node: ast.expr | None = None
    complete = True
    if isinstance(target, ast.Dict):
        for key, value in zip(target.keys, target.values):
            if key is None:
                complete = False  # **spread may carry exp
                continue
            if string_value(key) == "exp":
                exp_node = value
    elif isinstance(target, ast.Call) and dotted(target.func) == "dict":
        if target.args:
            complete = False  # dict(mapping) / dict(*pairs)
        for arg in target.keywords:
            if arg.arg == "exp":
                exp_node = arg.value
            elif arg.arg is None:
                complete = False
    else:
        return None, None, None
    if isinstance(payload, ast.Name):
        found = resolver.lookup(payload.id)
        if found and "exp" in found[1]:
            exp_node = found[1]["exp"]
    if exp_node is None:
        return (False if complete else None), None, None
    found_lifetime = lt.lifetime(resolver, exp_node)
    if found_lifetime is None:
        return True, None, None
    return True, found_lifetime[0], found_lifetime[1]


def verify(resolver: Resolver, call: ast.Call, library: str, function: str, source, lang: str) -> JwtVerify:
    bag = resolver.kwargs(call)
    token_node = positional(call, 0, "jwt") or positional(call, 0, "token")
    if function.startswith("get_unverified"):
        return JwtVerify(
            source=source, span=resolver.span(call), lang=lang, library=library, function=function,
            token=resolver.expr(token_node) if token_node is not None else None, options=bag,
            checks=None, verifies_signature=False,
        )
    key_node = positional(call, 1, "key")
    algorithms_node = positional(call, 2, "algorithms")
    options_node = positional(call, 3, "options")
    checks = resolver.dict_bag(options_node) if options_node is not None else None
    verifies = True
    if checks is not None and checks.value("verify_signature", True) is False:
        verifies = False
    if bag.value("verify", True) is False:
        verifies = False
    return JwtVerify(
        source=source, span=resolver.span(call), lang=lang, library=library, function=function,
        token=resolver.expr(token_node) if token_node is not None else None,
        key=resolver.expr(key_node) if key_node is not None else None,
        algorithms=resolver.expr(algorithms_node) if algorithms_node is not None else None,
        options=bag, checks=checks, verifies_signature=verifies,
    )


def jwt_config(options: dict[str, Option], framework: str, source, lang: str) -> JwtConfig | None:
    if not options:
        return None
    start = min(option.span.start for option in options.values())
    end = max(option.span.end for option in options.values())
    return JwtConfig(source=source, span=Span(start, end), lang=lang, framework=framework,
                     settings=OptionBag(items=dict(options)))
