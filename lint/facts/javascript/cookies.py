"""Cookies set from JavaScript: express/fastify/Next ``cookie``/``cookies.set``, js-cookie, and
``document.cookie`` assignments."""

from __future__ import annotations

import re
from typing import Any

from authlint.facts.javascript.model import JsModel
from authlint.facts.model import CookieSet, Expr, Option, OptionBag
from authlint.files.source import Span

SCRIPT_COOKIE_MODULES = {"js-cookie": "js-cookie"}  # cookies set by page script: never HttpOnly
# express, fastify, Next.js and js-cookie options (and ``document.cookie`` attributes, read into the same
# names below) spell the protecting attributes in camelCase; none of them has a SameSite default.
FLAG_OPTIONS = {"HttpOnly": "httpOnly", "Secure": "secure", "SameSite": "sameSite"}
DOCUMENT_COOKIE = "`document.cookie`"  # how messages name a cookie written through the DOM property
COOKIE_ATTR_RE = re.compile(r";\s*(secure|httponly|samesite|path|domain|max-age|expires)\b(?:\s*=\s*([^;\"'`$]*))?", re.IGNORECASE)
COOKIE_ATTR_NAMES = {
    "secure": "secure",
    "httponly": "httpOnly",
    "samesite": "sameSite",
    "path": "path",
    "domain": "domain",
    "max-age": "maxAge",
    "expires": "expires",
}


# -- cookies --------------------------------------------------------------------------------------
def express_cookie(model: JsModel, call: Any, framework: str = "express") -> CookieSet | None:
    """``res.cookie(name, value, {httpOnly, secure, sameSite})`` (also fastify ``reply.setCookie``,
    Next.js ``cookies().set``, whose options have the same names and no secure defaults)."""
    args = model.args(call)
    if len(args) == 1 and framework == "next":  # cookies().set({ name, value, httpOnly, ... })
        bag = model.option_bag(args[0])
        name, value = bag.get("name"), bag.get("value")
        return CookieSet(model.source, model.span(call), model.lang, framework=framework,
                         name=name.value if name else None, value=value.value if value else None, options=bag,
                         flag_options=dict(FLAG_OPTIONS))
    if len(args) < 2:
        return None
    bag = model.option_bag(args[2]) if len(args) > 2 else _new_options(model, args[1])
    return CookieSet(model.source, model.span(call), model.lang, framework=framework, name=model.expr(args[0]),
                     value=model.expr(args[1]), options=bag, flag_options=dict(FLAG_OPTIONS))


def _new_options(model: JsModel, last: Any) -> OptionBag:
    """Where an options object goes when the call has none: after ``last``, the final argument. In
    a call laid out one argument per line it gets a line of its own (after the trailing comma, and
    after a comment ending ``last``'s line), else it follows ``last`` as ``, { ... }``."""
    arguments = last.parent
    data = model.data
    if arguments is None or data.count(b"\n", arguments.start_byte, last.start_byte) == 0:
        return model.option_bag(None, after=last)
    line_start = data.rfind(b"\n", 0, last.start_byte) + 1
    indent = data[line_start : last.start_byte].decode("utf-8", "replace")
    if indent.strip():  # ``foo(a,\n  b, c)``: not one per line
        return model.option_bag(None, after=last)
    newline = model.source.newline
    comma = last.next_sibling
    while comma is not None and comma.type == "comment":
        comma = comma.next_sibling
    if comma is not None and comma.type == ",":
        return OptionBag(insert_at=model.char(comma.end_byte), insert_prefix=newline + indent + "{ ",
                         insert_suffix=" },", form="object")
    return OptionBag(insert_at=model.char(last.end_byte), insert_prefix="," + newline + indent + "{ ",
                     insert_suffix=" }", form="object")


def is_next_cookies(model: JsModel, receiver: Any) -> bool:
    """``cookies()`` / ``(await cookies())`` from ``next/headers``."""
    node = model.unwrap(receiver)
    if node is not None and node.type == "await_expression" and node.named_children:
        node = model.unwrap(node.named_children[0])
    if node is None or node.type != "call_expression":
        return False
    ref = model.module_of(node.child_by_field_name("function"))
    return ref is not None and ref.module == "next/headers" and ref.export == "cookies"


def script_cookie(model: JsModel, call: Any, framework: str) -> CookieSet | None:
    """js-cookie ``Cookies.set(name, value, {secure, sameSite, expires})``: written by page script."""
    args = model.args(call)
    if len(args) < 2:
        return None
    bag = model.option_bag(args[2] if len(args) > 2 else None, after=args[1])
    return CookieSet(model.source, model.span(call), model.lang, framework=framework, name=model.expr(args[0]),
                     value=model.expr(args[1]), options=bag, flag_options=dict(FLAG_OPTIONS), script_writer=framework)


def document_cookie(model: JsModel, assignment: Any, right: Any) -> CookieSet:
    """``document.cookie = "token=" + t + "; Secure"``: name, value and attributes from the text."""
    fact = CookieSet(model.source, model.span(assignment), model.lang, framework="document.cookie", options=OptionBag(),
                     flag_options=dict(FLAG_OPTIONS), script_writer=DOCUMENT_COOKIE)
    pieces = _pieces(model, right)
    if not pieces:
        fact.value = model.expr(right)
        return fact
    first_node, first_text = pieces[0]
    if first_text is not None and "=" in first_text:
        name = first_text.split("=", 1)[0].strip()
        if "\x00" in name:  # `${name}=...`: the cookie's name is code, not text
            name = ""
        start = model.char(first_node.start_byte) + 1 + first_text.index(name) if name else None
        if name and start is not None:
            fact.name = Expr(Span(start, start + len(name)), name, name)
    fact.value = model.expr(right)
    for node, text in pieces:
        if text is None:
            continue
        base = model.char(node.start_byte) + 1
        for match in COOKIE_ATTR_RE.finditer(text):
            attr = COOKIE_ATTR_NAMES[match.group(1).lower()]
            raw = (match.group(2) or "").strip()
            span = Span(base + match.start(), base + match.end())
            value: Any = raw if raw else True
            value_span = Span(base + match.start(2), base + match.start(2) + len(raw)) if raw else span
            fact.options.items[attr] = Option(attr, Expr(value_span, raw or match.group(0), value), span, Span(base + match.start(1), base + match.end(1)))
    return fact


def _pieces(model: JsModel, node: Any) -> list[tuple[Any, str | None]]:
    """The literal pieces of a string concatenation or template, in order (None for code)."""
    node = model.resolve(node)
    if node is None:
        return []
    if node.type == "binary_expression":
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        return (_pieces(model, left) if left is not None else []) + (_pieces(model, right) if right is not None else [])
    if node.type == "string":
        return [(node, model.text(node)[1:-1])]
    if node.type == "template_string":
        return [(node, re.sub(r"\$\{[^}]*\}", lambda m: "\x00" * len(m.group(0)), model.text(node)[1:-1]))]
    return [(node, None)]
