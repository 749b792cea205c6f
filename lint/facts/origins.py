"""The allowed-origins model of a CORS policy, built the same way for every language and library.

Extractors record what the code wrote (``CorsPolicy.origins``, ``origin_regex``, ``credentials``);
``settle`` reads it the way the library does (``knowledge.cors_origins``) and fills the normalised
fields rules read: ``allowed`` (kind, entries, how a fix writes a list) and ``allows_credentials``.
"""

from __future__ import annotations

from authlint.facts.knowledge.cors_origins import REGEX_CHARS, RULES, OriginRules
from authlint.facts.model import AllowedOrigins, CorsPolicy, Expr, Option, OptionBag, OriginEntry
from authlint.files.source import Source, Span

TRUE_TEXT = frozenset({"true"})


def settle(policy: CorsPolicy, library: str | None = None, bag: OptionBag | None = None,
           switch: Option | None = None) -> CorsPolicy:
    """Fill ``policy.allowed`` and the credentials fields from what the policy's code wrote.

    ``library`` picks the rules (default: the policy's framework); ``bag`` is where a fix inserts a
    missing origin setting (default: the policy's options); ``switch`` an allow-all setting a fix
    turns into an origin list. Safe to call again after the policy changed (hand-set headers).
    """
    rules = RULES[library or policy.framework]
    allowed = AllowedOrigins(
        literal_star=rules.literal_star, exact=rules.exact, enforced_by_server=rules.enforced_by_server,
        setting=rules.setting, shown_as=rules.shown_as or rules.setting, written_as=rules.written_as,
        echo_in_code=rules.echo_in_code, quote=rules.quote, switch=switch,
        bag=bag if bag is not None else policy.options,
    )
    expr = policy.origins
    allowed.expr = expr
    if expr is not None:
        allowed.entries = entries(policy.source, expr, rules)
    if policy.origin_regex is not None:
        allowed.entries += entries(policy.source, policy.origin_regex, rules, all_patterns=True)
    allowed.kind = _kind(expr, allowed.entries, rules, has_regex=policy.origin_regex is not None)
    allowed.default = expr is None and policy.origin_regex is None
    policy.allowed = allowed
    policy.credentials_default = policy.credentials is None or (policy.credentials.ref or "").startswith("default:")
    if policy.credentials is None:
        policy.allows_credentials = rules.credentials_default
    else:
        policy.allows_credentials = _flag(policy.credentials, rules.credentials_text)
    return policy


def _flag(expr: Expr, text: bool) -> bool | None:
    """``True`` is on (and the header text ``"true"``, any case, where credentials are text); a
    known other value is off."""
    value = expr.value
    if isinstance(value, bool):
        return value
    if text and isinstance(value, str):
        return value.strip().lower() in TRUE_TEXT
    return None if not expr.known else False


def _kind(expr: Expr | None, found: list[OriginEntry], rules: OriginRules, has_regex: bool) -> str:
    if expr is None:
        return "regex" if has_regex else rules.default
    if expr.value is True or (not expr.known and expr.ref == "request:origin"):
        return "reflect"
    if not expr.known:
        return "unknown"
    plain = [entry for entry in found if not entry.pattern]
    if expr.value == "*" or (rules.star_in_list and any(entry.value == "*" for entry in plain)):
        return "any"
    if expr.value == [] and not has_regex:
        return rules.empty_list
    if not plain and any(entry.pattern for entry in found):
        return "regex"
    if isinstance(expr.value, (str, list)) or expr.items is not None:
        return "list"
    return "unknown"


def entries(source: Source, expr: Expr, rules: OriginRules, all_patterns: bool = False) -> list[OriginEntry]:
    """The origins and patterns a setting lists, each with the span a finding or fix uses."""
    if expr.items is not None or (expr.is_regex and not all_patterns):
        return _items(source, expr, rules)
    values = expr.value if isinstance(expr.value, list) else [expr.value]
    found = []
    for value in values:
        if not isinstance(value, str):
            continue
        located = element_span(source, expr.span, value) if expr.origin is None else None
        pattern = all_patterns or (rules.strings_may_be_patterns and value != "*" and bool(REGEX_CHARS & set(value)))
        found.append(OriginEntry(
            value=value, span=located[0] if located else expr.span, located=located is not None,
            pattern=pattern, raw=bool(located and located[1]), anchoring=rules.anchoring if pattern else "",
        ))
    return found


def _items(source: Source, expr: Expr, rules: OriginRules) -> list[OriginEntry]:
    """A JS array (or single value): RegExp literals are patterns, strings compare as written."""
    found = []
    for item in expr.items if expr.items is not None else [expr]:
        if not isinstance(item.value, str):
            continue
        if item.is_regex:
            inside = Span(item.span.start + 1, item.span.start + 1 + len(item.value))
            located = expr.origin is None
            found.append(OriginEntry(value=item.value, span=inside if located else item.span, located=located,
                                     pattern=True, raw=True, anchoring="search"))
            continue
        spot = element_span(source, item.span, item.value) if item.origin is None else None
        found.append(OriginEntry(value=item.value, span=spot[0] if spot else item.span, located=spot is not None,
                                 raw=bool(spot and spot[1])))
    return found


def element_span(source: Source, container: Span, value: str) -> tuple[Span, bool] | None:
    """Where a string item's text sits inside its quotes, and whether its literal is raw (``r"..."``)."""
    text = source.text
    start = text.find(value, container.start, container.end)
    while start != -1:
        end = start + len(value)
        if start > 0 and text[start - 1] in "'\"" and end < len(text) and text[end] == text[start - 1]:
            raw = start >= 2 and text[start - 2] in "rR"
            return Span(start, end), raw
        start = text.find(value, start + 1, container.end)
    return None
