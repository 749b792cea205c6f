"""JWT minting and verification in JavaScript: jsonwebtoken sign/verify/decode, jose, passport-jwt,
express-jwt, @nestjs/jwt, and JWT literals written into code, translated into the neutral JWT facts
(where the leeway and the expiry switch live, lifetimes in seconds as each library reads them)."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from authlint.facts.javascript import jwt_keys
from authlint.facts.javascript.date_lifetime import date_local_lifetime
from authlint.facts.javascript.model import JsModel
from authlint.facts.knowledge.durations import jose_seconds, jose_tolerance_seconds, ms_seconds, number_seconds
from authlint.facts.model import (
    DECODE_ONLY,
    Dependency,
    Expr,
    JwtLiteral,
    JwtMint,
    JwtVerify,
    LeewaySlot,
    Option,
    OptionBag,
    VersionGate,
)
from authlint.facts.secrets.patterns import JWT as JWT_RE
from authlint.files.source import Span

JWT_MODULES = frozenset({"jsonwebtoken"})
JSONWEBTOKEN = "jsonwebtoken"
CLOCK_TOLERANCE = "clockTolerance"  # jsonwebtoken and jose: seconds (jose also takes a time span)
IGNORE_EXPIRATION = "ignoreExpiration"  # jsonwebtoken (and what passes options on to it)
# -- jose ---------------------------------------------------------------------------------------
JOSE_MODULES = frozenset({"jose"})
# -- passport-jwt and @nestjs/jwt ---------------------------------------------------------------------
PASSPORT_JWT = "passport-jwt"
NEST_JWT = "@nestjs/jwt"
EXPRESS_JWT = "express-jwt"
EXPRESS_JWT_EXPORTS = frozenset({"expressjwt", "*", "default"})  # v7+ `{ expressjwt }`, v6- default export
# (versions) before jsonwebtoken 9.0.0 the algorithms `verify` accepts without `algorithms` come from
# the key's text (a falsy key: only "none"; no PEM markers: HS*); before express-jwt 6.0.0
# `algorithms` was optional there too (CVE-2020-15084), from 6.0.0 it is required
JSONWEBTOKEN_SAFE_DEFAULTS = VersionGate(Dependency("npm", JSONWEBTOKEN), "9.0.0")
EXPRESS_JWT_REQUIRES_ALGORITHMS = VersionGate(Dependency("npm", EXPRESS_JWT), "6.0.0")
FUNCTION_NODES = frozenset({"arrow_function", "function_expression", "function", "function_declaration"})
# key providers that return a function the library calls per token (jwks-rsa)
KEY_PROVIDER_CALLS = re.compile(r"\b(?:expressJwtSecret|passportJwtSecret|koaJwtSecret)\s*\(")


def jwt_call(model: JsModel, call: Any, function: str) -> JwtMint | JwtVerify | None:
    if function == "sign":
        return _mint(model, call)
    if function in ("verify", "decode"):
        return _verify(model, call, function)
    return None


def _options(model: JsModel, args: list[Any], index: int) -> OptionBag:
    if len(args) > index:
        node = model.resolve(args[index])
        if node is not None and node.type in ("arrow_function", "function_expression"):
            return _own_line(model, args[index - 1], model.option_bag(None, after=args[index - 1]))  # the callback took the options' place
        return model.option_bag(args[index])
    return _own_line(model, args[-1], model.option_bag(None, after=args[-1])) if args else OptionBag()


def _own_line(model: JsModel, after: Any, bag: OptionBag) -> OptionBag:
    """A new options object goes on a line of its own when the call puts one argument per line."""
    following = after.next_sibling
    while following is not None and following.type in (",", "comment"):
        following = following.next_sibling
    end = following.start_byte if following is not None else after.end_byte
    if b"\n" not in model.data[after.end_byte : end]:
        return bag
    line_start = model.data.rfind(b"\n", 0, after.start_byte) + 1
    indent = model.data[line_start : after.start_byte]
    if indent.strip():
        return bag
    bag.insert_prefix = "," + model.source.newline + indent.decode("utf-8", "replace") + "{ "
    return bag


def _mint(model: JsModel, call: Any) -> JwtMint:
    args = model.args(call)
    fact = JwtMint(model.source, model.span(call), model.lang, library=JSONWEBTOKEN, verifier=JSONWEBTOKEN)
    if args:
        fact.payload = model.expr(args[0])
    if len(args) > 1:
        fact.key = model.expr(args[1])
        fact.key_reach = jwt_keys.key_reach(model, args[1])
    fact.options = _options(model, args, 2)
    algorithm = fact.options.get("algorithm")
    fact.algorithm = algorithm.value if algorithm else None
    expires = fact.options.get("expiresIn")
    if expires is not None:
        fact.has_exp = True
        fact.lifetime_expr = expires.value
        fact.lifetime = ms_seconds(expires.value.value)
        return fact
    payload = model.resolve(args[0]) if args else None
    if payload is not None and payload.type == "object":
        bag = model.object_bag(payload)
        exp = bag.get("exp")
        if exp is not None:
            fact.has_exp = True
            fact.lifetime, fact.lifetime_expr = _exp_claim_lifetime(model, exp.value)
        elif bag.spread or fact.options.spread:
            fact.has_exp = None
        else:
            fact.has_exp = False
    elif payload is not None and payload.type in ("string", "template_string"):
        fact.has_exp = False  # a string payload cannot carry exp, and expiresIn is refused for it
    else:
        fact.has_exp = None  # a payload built elsewhere may carry its own exp claim
    return fact


def _exp_claim_lifetime(model: JsModel, expr: Expr) -> tuple[float | None, Expr | None]:
    """``exp: Math.floor(Date.now() / 1000) + 60 * 60`` -> 3600 s and the ``60 * 60`` Expr."""
    node = model.node_at(expr.span)
    node = model.unwrap(node)
    if node is None:
        return None, None
    if node.type != "binary_expression" or _operator(model, node) == "|":
        # ``exp: parseInt(exp.getTime() / 1000)`` of a ``Date`` local built as now plus an amount
        return date_local_lifetime(model, node), None
    op = node.child_by_field_name("operator")
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    if op is None or model.text(op) != "+" or left is None or right is None:
        return None, None
    for now_side, delta_side in ((left, right), (right, left)):
        if _is_now_seconds(model, now_side):
            delta = model.value(delta_side)
            if isinstance(delta, (int, float)) and not isinstance(delta, bool):
                return float(delta), model.expr(delta_side)
    return None, None


def _operator(model: JsModel, node: Any) -> str | None:
    operator = node.child_by_field_name("operator")
    return model.text(operator) if operator is not None else None


def _is_now_seconds(model: JsModel, node: Any) -> bool:
    text = re.sub(r"\s", "", model.text(model.unwrap(node)))
    return bool(
        re.fullmatch(
            r"(?:Math\.(?:floor|round|trunc|ceil)\()?\(?(?:Date\.now\(\)|newDate\(\)\.getTime\(\)|\+newDate\(\))/1000\)?\)?(?:\|0)?",
            text,
        )
        or text in ("now", "nowSeconds", "iat", "issuedAt")
    )


def _verify(model: JsModel, call: Any, function: str) -> JwtVerify:
    args = model.args(call)
    fact = JwtVerify(model.source, model.span(call), model.lang, library=JSONWEBTOKEN, function=function,
                     label=f"`{function}()`")
    if args:
        fact.token = model.expr(args[0])
    if function == "decode":
        fact.intent, fact.label = DECODE_ONLY, "jsonwebtoken `decode()`"
        fact.verifies_signature = fact.verifies_exp = False
        fact.options = _options(model, args, 1) if len(args) > 1 else OptionBag()
        fact.key_names = jwt_keys.key_names(model)
        callee = model.unwrap(call.child_by_field_name("function"))
        name = callee.child_by_field_name("property") if callee is not None and callee.type == "member_expression" else None
        if name is not None:  # `jwt.decode`: its module object also has `verify`, called the same way
            fact.function_span, fact.verifying_sibling = model.span(name), "verify"
        return fact
    if len(args) > 1:
        fact.key = model.expr(args[1])
        if fact.key.value is None or fact.key.value == "":
            fact.verifies_signature = False  # jsonwebtoken with a falsy key only accepts alg "none"
            fact.key_names = jwt_keys.key_names(model)
        fact.key_from_callback = _is_key_function(model, args[1])
    fact.options = _options(model, args, 2)
    _verify_options(fact, number_seconds)
    fact.algorithms_default_unsafe = JSONWEBTOKEN_SAFE_DEFAULTS
    return fact


def _is_key_function(model: JsModel, node: Any) -> bool:
    """A key the library asks for per token: a function, or a jwks-rsa provider that returns one."""
    resolved = model.resolve(node)
    if resolved is not None and resolved.type in FUNCTION_NODES:
        return True
    target = resolved if resolved is not None else node
    if target is not None and target.type == "identifier":  # `function getKey(header, callback) {...}`
        declared = re.compile(rf"\bfunction\s*\*?\s*{re.escape(model.text(target))}\s*\(")
        if declared.search(model.source.text):
            return True
    return target is not None and bool(KEY_PROVIDER_CALLS.search(model.text(target)))


def _verify_options(fact: JwtVerify, read_tolerance: Any, nested: str | None = None) -> None:
    """Algorithms, the expiry switch and the leeway of jsonwebtoken-style options (``nested``: the
    option passport-jwt hands on to jsonwebtoken as its options, where ``clockTolerance`` lives)."""
    options = fact.options
    algorithms = options.get("algorithms")
    fact.algorithms = algorithms.value if algorithms else None
    fact.switches = options
    ignore = options.get(IGNORE_EXPIRATION)
    if ignore is not None and ignore.value.value is True:
        fact.verifies_exp, fact.expiry_off = False, ignore
    elif options.spread:
        fact.verifies_exp = None
    fact.leeway = _tolerance(options, read_tolerance, nested)


def _tolerance(options: OptionBag, read: Any, nested: str | None) -> LeewaySlot:
    if nested is None:
        found = options.get(CLOCK_TOLERANCE)
        return LeewaySlot(CLOCK_TOLERANCE, option=found, seconds=_read(read, found), bag=options, hidden=options.spread)
    holder = options.get(nested)
    if holder is None:
        return LeewaySlot(CLOCK_TOLERANCE, holder=nested, hidden=options.spread)
    entries = holder.value.entries
    found = entries.get(CLOCK_TOLERANCE) if entries is not None else None
    return LeewaySlot(CLOCK_TOLERANCE, option=found, seconds=_read(read, found), bag=entries,
                      hidden=options.spread or entries is None)


def _read(read: Any, option: Option | None) -> float | None:
    return read(option.value.value) if option is not None else None


def jwt_literals(model: JsModel) -> list[JwtLiteral]:
    """``eyJ...`` tokens whose header decodes to a JSON object (so UUID-like noise is skipped)."""
    text = model.source.text
    if "eyJ" not in text:
        return []
    found: list[JwtLiteral] = []
    for match in JWT_RE.finditer(text):
        token = match.group(0)
        if token.count(".") != 2 or not _jwt_header(token):
            continue
        found.append(JwtLiteral(model.source, Span(match.start(), match.end()), model.lang, token=token))
    return found


def _jwt_header(token: str) -> bool:
    head = token.split(".", 1)[0]
    try:
        decoded = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(decoded, dict) and ("alg" in decoded or "typ" in decoded)


def jose_verify(model: JsModel, call: Any, function: str) -> JwtVerify | None:
    """``jwtVerify(token, key, {algorithms, clockTolerance})`` and ``decodeJwt(token)``."""
    args = model.args(call)
    if function == "decodeJwt":
        fact = JwtVerify(model.source, model.span(call), model.lang, library="jose", function="decode",
                         intent=DECODE_ONLY, label="jose `decodeJwt()`", verifies_signature=False, verifies_exp=False)
        fact.token = model.expr(args[0]) if args else None
        return fact
    if function != "jwtVerify":
        return None
    fact = JwtVerify(model.source, model.span(call), model.lang, library="jose", function="verify",
                     label="`jwtVerify()`")
    if args:
        fact.token = model.expr(args[0])
    if len(args) > 1:
        fact.key = model.expr(args[1])
    fact.options = _options(model, args, 2)
    _verify_options(fact, jose_tolerance_seconds)  # jose has no switch for exp: IGNORE_EXPIRATION is never set
    return fact


def jose_sign(model: JsModel, call: Any) -> JwtMint | None:
    """``new SignJWT(payload).setProtectedHeader({alg}).setExpirationTime("2h").sign(key)``."""
    steps: dict[str, Any] = {}
    current = model.unwrap(call)
    while current is not None and current.type == "call_expression":
        fn = model.unwrap(current.child_by_field_name("function"))
        if fn is None or fn.type != "member_expression":
            return None
        prop = fn.child_by_field_name("property")
        if prop is not None:
            steps.setdefault(model.text(prop), current)
        current = model.unwrap(fn.child_by_field_name("object"))
    if current is None or current.type != "new_expression":
        return None
    ref = model.module_of(current.child_by_field_name("constructor"))
    if ref is None or ref.module not in JOSE_MODULES or ref.export != "SignJWT":
        return None
    fact = JwtMint(model.source, model.span(call), model.lang, library="jose", verifier="jose")
    sign_args = model.args(call)
    fact.key = model.expr(sign_args[0]) if sign_args else None
    fact.key_reach = jwt_keys.key_reach(model, sign_args[0]) if sign_args else None
    ctor_args = model.args(current)
    payload = model.resolve(ctor_args[0]) if ctor_args else None
    fact.payload = model.expr(ctor_args[0]) if ctor_args else None
    header = steps.get("setProtectedHeader")
    header_args = model.args(header) if header is not None else []
    if header_args:
        alg = model.option_bag(header_args[0]).get("alg")
        fact.algorithm = alg.value if alg else None
    expiry = steps.get("setExpirationTime")
    expiry_args = model.args(expiry) if expiry is not None else []
    if expiry_args:
        fact.has_exp = True
        fact.lifetime_expr = model.expr(expiry_args[0])
        fact.lifetime = jose_seconds(fact.lifetime_expr.value)
        if fact.lifetime is None:
            fact.lifetime, exp_expr = _exp_claim_lifetime(model, fact.lifetime_expr)
            fact.lifetime_expr = exp_expr or fact.lifetime_expr
    elif payload is not None and payload.type == "object":
        bag = model.object_bag(payload)
        exp = bag.get("exp")
        if exp is not None:
            fact.has_exp = True
            fact.lifetime, fact.lifetime_expr = _exp_claim_lifetime(model, exp.value)
        else:
            fact.has_exp = None if bag.spread else False
    else:
        fact.has_exp = None
    return fact


def passport_strategy(model: JsModel, call: Any, options_node: Any | None) -> JwtVerify:
    """``new JwtStrategy({ secretOrKey, algorithms, ignoreExpiration }, verify)`` (or NestJS ``super({...})``)."""
    fact = JwtVerify(model.source, model.span(call), model.lang, library=PASSPORT_JWT, function="verify",
                     label="`Strategy()`")
    fact.options = model.option_bag(options_node) if options_node is not None else OptionBag(spread=True)
    key = fact.options.get("secretOrKey")
    fact.key = key.value if key is not None else None
    _verify_options(fact, number_seconds, nested="jsonWebTokenOptions")  # handed on to jsonwebtoken.verify
    fact.algorithms_default_unsafe = JSONWEBTOKEN_SAFE_DEFAULTS
    fact.key_from_callback = fact.options.get("secretOrKeyProvider") is not None
    return fact


def nest_strategy_super(model: JsModel, call: Any) -> JwtVerify | None:
    """``class S extends PassportStrategy(Strategy) { constructor() { super({...}) } }`` with passport-jwt."""
    node = call.parent
    while node is not None and node.type not in ("class_declaration", "class"):
        node = node.parent
    heritage = next((child for child in node.named_children if child.type == "class_heritage"), None) if node else None
    if heritage is None:
        return None
    for sub in heritage.named_children:
        value = sub.child_by_field_name("value") if sub.type == "extends_clause" else sub
        value = model.unwrap(value)
        if value is None or value.type != "call_expression":
            continue
        args = model.args(value)
        base = model.module_of(args[0]) if args else None
        if base is not None and base.module == PASSPORT_JWT and base.export == "Strategy":
            args = model.args(call)
            return passport_strategy(model, call, args[0] if args else None)
    return None


def nest_jwt_module(model: JsModel, call: Any) -> JwtMint | None:
    """``JwtModule.register({ secret, signOptions: { expiresIn } })``: how every ``JwtService.sign`` mints."""
    args = model.args(call)
    if not args:
        return None
    bag = model.option_bag(args[0])
    fact = JwtMint(model.source, model.span(call), model.lang, library=NEST_JWT, options=bag, verifier=JSONWEBTOKEN)
    secret = bag.get("secret") or bag.get("privateKey")
    fact.key = secret.value if secret is not None else None
    sign = bag.get("signOptions")
    sign_bag = sign.value.entries if sign is not None else None
    if bag.spread or (sign is not None and sign_bag is None):
        fact.has_exp = None
        return fact
    expires = sign_bag.get("expiresIn") if sign_bag is not None else None
    algorithm = sign_bag.get("algorithm") if sign_bag is not None else None
    fact.algorithm = algorithm.value if algorithm is not None else None
    if expires is not None:
        fact.has_exp = True
        fact.lifetime_expr = expires.value
        fact.lifetime = ms_seconds(expires.value.value)
    else:
        fact.has_exp = None if sign_bag is not None and sign_bag.spread else False
    return fact


def express_jwt(model: JsModel, call: Any) -> JwtVerify:
    """``expressjwt({ secret, algorithms, credentialsRequired })``: options go on to ``jwt.verify``."""
    args = model.args(call)
    fact = JwtVerify(model.source, model.span(call), model.lang, library=EXPRESS_JWT, function="verify",
                     label="`expressjwt()`")
    fact.options = model.option_bag(args[0]) if args else OptionBag(spread=True)
    key = fact.options.get("secret")
    fact.key = key.value if key is not None else None
    _verify_options(fact, number_seconds)
    fact.algorithms_default_unsafe = EXPRESS_JWT_REQUIRES_ALGORITHMS
    if key is not None:
        fact.key_from_callback = _is_key_function(model, model.node_at(key.value.span))
    return fact
