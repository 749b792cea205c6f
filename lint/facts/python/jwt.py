"""PyJWT (and python-jose) mints and verifications, and framework JWT settings (Flask-JWT-Extended
``JWT_*`` keys, Django ``SIMPLE_JWT``), translated into the neutral JWT facts: where the verification
switches and the leeway live, whether signature and expiry are checked, lifetimes in seconds.

``jwt.decode(jwt, key="", algorithms=None, options=None, ..., leeway=0)`` and
``jwt.encode(payload, key, algorithm="HS256", headers=None, ...)`` (PyJWT 2.x signatures).
"""

from __future__ import annotations

import ast

from authlint.facts.knowledge import durations
from authlint.facts.model import (
    PEEK,
    Dependency,
    JwtConfig,
    JwtMint,
    JwtVerify,
    LeewaySlot,
    Option,
    OptionBag,
    SettingLifetime,
    VersionGate,
)
from authlint.facts.python import jwt_keys
from authlint.facts.python import lifetime as lt
from authlint.facts.python.resolve import Resolver, dotted, keyword, positional, string_value
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
PYTHON_JOSE = "python-jose"
FLASK_JWT_EXTENDED = "flask-jwt-extended"
VERIFIERS = {"pyjwt": "PyJWT", PYTHON_JOSE: "python-jose"}  # who checks ``exp`` on what each library mints
# Settings whose value is a token lifetime (Flask-JWT-Extended, SimpleJWT, Flask-JWT); refresh tokens
# are meant to live long.
ACCESS_LIFETIME_SETTINGS = ("JWT_ACCESS_TOKEN_EXPIRES", "ACCESS_TOKEN_LIFETIME", "JWT_EXPIRATION_DELTA")
REFRESH_LIFETIME_SETTINGS = ("JWT_REFRESH_TOKEN_EXPIRES", "REFRESH_TOKEN_LIFETIME")
# (versions) PyJWT 2.0: `decode()` without `algorithms` raises DecodeError (1.x accepted any algorithm
# the token names), and `verify=False` does nothing (1.x skipped the signature check)
PYJWT_2 = VersionGate(Dependency("pypi", "pyjwt"), "2.0.0")


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
        options=bag, verifier=VERIFIERS.get(library, library),
        key_reach=jwt_keys.key_reach(resolver, key_node, source),
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
    token = resolver.expr(token_node) if token_node is not None else None
    if function.startswith("get_unverified"):
        return JwtVerify(
            source=source, span=resolver.span(call), lang=lang, library=library, function=function,
            intent=PEEK, reads="header" if function.endswith("header") else "claims", label=f"`{function}()`",
            token=token, options=bag, verifies_signature=False, verifies_exp=False,
        )
    key_node = positional(call, 1, "key")
    algorithms_node = positional(call, 2, "algorithms")
    options_node = positional(call, 3, "options")
    unpacked = _unpacked(resolver, call)  # ``**opts``: a dict written in this file
    if unpacked is not None:
        key_node = key_node or _entry(unpacked[1], "key")
        algorithms_node = algorithms_node or _entry(unpacked[1], "algorithms")
        options_node = options_node or _entry(unpacked[1], "options")
    switches = resolver.dict_bag(options_node) if options_node is not None else OptionBag(form="dict")
    holder = bag.get("options") or (unpacked[0].get("options") if unpacked is not None else None)
    signature_off = _switched_off(switches, "verify_signature")
    legacy_switch = signature_off is None and bag.value("verify", True) is False
    if legacy_switch:
        signature_off = bag.get("verify")  # PyJWT 1.x ``verify=False``
    expiry_off = _switched_off(switches, "verify_exp")
    pyjwt = library == "pyjwt"
    return JwtVerify(
        source=source, span=resolver.span(call), lang=lang, library=library, function=function,
        label=f"`{function}()`", token=token,
        key=resolver.expr(key_node) if key_node is not None else None,
        algorithms=resolver.expr(algorithms_node) if algorithms_node is not None else None,
        algorithms_required=True,  # PyJWT raises without them, python-jose accepts any the token names
        options=bag, switches=switches, switches_holder=holder,
        verifies_signature=signature_off is None, signature_off=signature_off,
        verifies_exp=False if expiry_off is not None else (None if switches is None or switches.spread else True),
        expiry_off=expiry_off,
        leeway=_leeway(bag, switches, holder, options_node is not None, library, unpacked[0] if unpacked else None),
        key_names=jwt_keys.key_names(resolver, source) if key_node is None else None, key_keyword="key",
        algorithms_required_since=PYJWT_2 if pyjwt else None,
        signature_switch_until=PYJWT_2 if pyjwt and legacy_switch else None,
    )


def _switched_off(switches: OptionBag | None, name: str) -> Option | None:
    found = switches.get(name) if switches is not None else None
    return found if found is not None and found.value.value is False else None


def _unpacked(resolver: Resolver, call: ast.Call) -> tuple[OptionBag, ast.Dict] | None:
    """The keyword arguments a call unpacks from one dict literal of this file (``opts = {...}``,
    ``jwt.decode(t, K, **opts)``): what it sets is read, and a new option goes where it is defined."""
    spreads = [arg.value for arg in call.keywords if arg.arg is None]
    if len(spreads) != 1 or not isinstance(spreads[0], ast.Name):
        return None
    target = resolver.follow(spreads[0])
    bag = resolver.dict_bag(spreads[0]) if isinstance(target, ast.Dict) else None
    if bag is None or bag.spread or resolver.lookup(spreads[0].id) is None or resolver.lookup(spreads[0].id)[1]:
        return None  # not a literal, or items set after it (``opts["leeway"] = 5``): edited elsewhere
    return bag, target  # type: ignore[return-value]


def _entry(target: ast.Dict, name: str) -> ast.expr | None:
    for key, value in zip(target.keys, target.values):
        if key is not None and string_value(key) == name:
            return value
    return None


def _leeway(bag: OptionBag, switches: OptionBag | None, holder: Option | None, given: bool, library: str,
            unpacked: OptionBag | None = None) -> LeewaySlot:
    """PyJWT reads ``leeway=`` (seconds or a timedelta); python-jose ``options={"leeway": seconds}``."""
    if library != PYTHON_JOSE:
        found = bag.get("leeway")
        if found is None and unpacked is not None:  # ``**opts``: it is (or goes) where the dict is written
            found = unpacked.get("leeway")
            return LeewaySlot(name="leeway", option=found, seconds=_seconds(found), bag=unpacked, hidden=False)
        return LeewaySlot(name="leeway", option=found, seconds=_seconds(found), bag=bag, hidden=bag.spread)
    found = switches.get("leeway") if switches is not None else None
    written_here = holder is not None and holder.value.origin is None and switches is not None
    return LeewaySlot(
        name="leeway", option=found, seconds=_seconds(found), bag=switches if written_here else None,
        holder=None if given else "options",
        hidden=bag.spread or (given and switches is None) or bool(switches and switches.spread),
    )


def _seconds(option: Option | None) -> float | None:
    return durations.setting_seconds(option.value.value) if option is not None else None


def flask_decode(resolver: Resolver, call: ast.Call, source, lang: str) -> JwtVerify:
    """``decode_token(token, allow_expired=False)``: key, algorithms and leeway come from the app's
    ``JWT_*`` settings."""
    bag = resolver.kwargs(call)
    token = positional(call, 0, "encoded_token")
    allow_expired = bag.get("allow_expired")
    expiry_off = allow_expired if allow_expired is not None and allow_expired.value.value is True else None
    return JwtVerify(
        source=source, span=resolver.span(call), lang=lang, library=FLASK_JWT_EXTENDED, function="decode",
        label="`decode_token()`", token=resolver.expr(token) if token is not None else None,
        algorithms_at="settings", options=bag, switches=bag,
        verifies_exp=False if expiry_off is not None else (None if bag.spread else True), expiry_off=expiry_off,
        leeway=LeewaySlot(name="JWT_DECODE_LEEWAY", in_settings=True),
    )


def flask_mint(resolver: Resolver, call: ast.Call, source, lang: str) -> JwtMint:
    """``create_access_token(identity, expires_delta=...)``: ``expires_delta=False`` mints without exp;
    the key and algorithm are the app's ``JWT_SECRET_KEY`` / ``JWT_ALGORITHM``."""
    bag = resolver.kwargs(call)
    identity = positional(call, 0, "identity")
    delta = bag.get("expires_delta")
    has_exp: bool | None = None
    seconds = None
    lifetime_expr = None
    if delta is not None:
        has_exp = delta.value.value is not False
        found = lt.duration(resolver, keyword(call, "expires_delta")) if has_exp else None
        if found is not None:
            seconds = found[0]
            lifetime_expr = resolver.expr(found[1])
    return JwtMint(
        source=source, span=resolver.span(call), lang=lang, library=FLASK_JWT_EXTENDED,
        payload=resolver.expr(identity) if identity is not None else None, has_exp=has_exp,
        lifetime=seconds, lifetime_expr=lifetime_expr, options=bag,
        expiry_off=delta if has_exp is False else None, signs_with_settings=True, verifier="Flask-JWT-Extended",
    )


def jwt_config(options: dict[str, Option], framework: str, source, lang: str) -> JwtConfig | None:
    if not options:
        return None
    start = min(option.span.start for option in options.values())
    end = max(option.span.end for option in options.values())
    settings = OptionBag(items=dict(options))
    return JwtConfig(source=source, span=Span(start, end), lang=lang, framework=framework, settings=settings,
                     lifetimes=setting_lifetimes(settings))


def setting_lifetimes(settings: OptionBag) -> list[SettingLifetime]:
    """The token lifetimes these settings set, access-token lifetimes first."""
    found = []
    for names, refresh in ((ACCESS_LIFETIME_SETTINGS, False), (REFRESH_LIFETIME_SETTINGS, True)):
        for name in names:
            option = settings.get(name)
            if option is not None:
                value = option.value.value
                found.append(SettingLifetime(option, durations.setting_seconds(value), never=value is False,
                                             refresh=refresh))
    return found
