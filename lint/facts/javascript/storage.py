"""Writes to browser storage: ``localStorage``/``sessionStorage`` through any syntax."""

from __future__ import annotations

from typing import Any

from authlint.facts.javascript.model import JsModel
from authlint.facts.model import Expr

STORAGES = ("localStorage", "sessionStorage")
GLOBALS = frozenset({"window", "globalThis", "self", "global"})


def storage_name(model: JsModel, node: Any) -> str | None:
    """``localStorage`` / ``window.sessionStorage`` / ``globalThis["localStorage"]`` / an alias of them."""
    node = model.unwrap(node)
    for _ in range(3):
        if node is None:
            return None
        if node.type == "identifier":
            name = model.text(node)
            if name in STORAGES and name not in model.values:
                return name
            target = model.values.get(name)
            node = model.unwrap(target) if target is not None else None
            continue
        if node.type == "member_expression":
            obj = model.unwrap(node.child_by_field_name("object"))
            prop = node.child_by_field_name("property")
            if obj is not None and prop is not None and model.text(prop) in STORAGES and _is_global(model, obj):
                return model.text(prop)
            return None
        if node.type == "subscript_expression":
            obj = model.unwrap(node.child_by_field_name("object"))
            index = node.child_by_field_name("index")
            name = model.string_value(index) if index is not None else None
            if name in STORAGES and obj is not None and _is_global(model, obj):
                return name
            return None
        return None
    return None


def _is_global(model: JsModel, node: Any) -> bool:
    return node.type in ("identifier", "this") and model.text(node) in GLOBALS


def storage_key_expr(model: JsModel, target: Any) -> Expr | None:
    """The key of ``localStorage.token = v`` (a property name) or ``localStorage[k] = v``."""
    if target.type == "member_expression":
        prop = target.child_by_field_name("property")
        if prop is None:
            return None
        name = model.text(prop)
        return Expr(model.span(prop), name, name)
    index = target.child_by_field_name("index")
    return model.expr(index) if index is not None else None
