"""Names a file binds: imports and requires, constants, class fields, functions.

Every extractor resolves callees and arguments through these (``import { sign as s } from
"jsonwebtoken"``, ``const TOKEN_KEY = "token"``, ``private readonly KEY = "jwt"`` then ``this.KEY``).
"""

from __future__ import annotations

from typing import Any

from authlint.facts.javascript.model import FUNCTIONS, JsModel, ModuleRef


def bind_import(model: JsModel, node: Any) -> None:
    """``import x from "m"``, ``import * as x``, ``import { a as b }``, TS ``import x = require("m")``."""
    source_node = node.child_by_field_name("source")
    clause = None
    for child in node.named_children:
        if child.type in ("import_clause", "import_require_clause"):
            clause = child
    if clause is None:
        return
    if clause.type == "import_require_clause":
        source_node = clause.child_by_field_name("source")
        module = model.string_value(source_node) if source_node is not None else None
        ident = next((c for c in clause.named_children if c.type == "identifier"), None)
        if module and ident is not None:
            model.modules[model.text(ident)] = ModuleRef(module, "*")
        return
    module = model.string_value(source_node) if source_node is not None else None
    if not module:
        return
    for part in clause.named_children:
        if part.type == "identifier":  # default import
            model.modules[model.text(part)] = ModuleRef(module, "*")
        elif part.type == "namespace_import":
            ident = next((c for c in part.named_children if c.type == "identifier"), None)
            if ident is not None:
                model.modules[model.text(ident)] = ModuleRef(module, "*")
        elif part.type == "named_imports":
            for spec in part.named_children:
                if spec.type != "import_specifier":
                    continue
                name = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias")
                if name is None:
                    continue
                exported = model.property_name(name) or model.text(name)
                model.modules[model.text(alias or name)] = ModuleRef(module, exported)


def bind_declarator(model: JsModel, node: Any, made: Any = None) -> None:
    """``const x = value`` (x -> value node, or the fact ``value`` made), requires, destructuring."""
    name = node.child_by_field_name("name")
    value = node.child_by_field_name("value")
    if name is None or value is None:
        return
    bind_target(model, name, value, made)


def bind_target(model: JsModel, target: Any, value: Any, made: Any = None) -> None:
    """Bind an assignment target (identifier, ``this.x``, object pattern) to a value."""
    inner = model.unwrap(value)
    if target.type == "object_pattern":
        _bind_pattern(model, target, inner)
        return
    key = model.key_of(target)
    if key is None:
        return
    if made is not None:
        model.objects[key] = made
    module = model.module_of(inner)
    if module is not None:
        model.modules[key] = module
        return
    model.modules.pop(key, None)
    model.values[key] = value
    if inner is not None and inner.type in FUNCTIONS:
        model.functions[key] = inner


def _bind_pattern(model: JsModel, pattern: Any, value: Any) -> None:
    """``const { sign, verify: v } = require("jsonwebtoken")`` and ``const { a } = obj``."""
    module = model.module_of(value)
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            local = exported = model.text(child)
        elif child.type == "pair_pattern":
            key = child.child_by_field_name("key")
            local_node = child.child_by_field_name("value")
            if key is None or local_node is None:
                continue
            if local_node.type == "assignment_pattern":
                local_node = local_node.child_by_field_name("left")
            if local_node is None or local_node.type != "identifier":
                continue
            exported = model.property_name(key) or ""
            local = model.text(local_node)
        else:
            continue
        if module is not None and module.export == "*":
            model.modules[local] = ModuleRef(module.module, exported)
        elif module is None and model.is_env(value):  # `const { JWT_SECRET } = process.env`
            model.env_names[local] = exported
            model.values.pop(local, None)


def bind_function(model: JsModel, node: Any) -> None:
    name = node.child_by_field_name("name")
    if name is not None:
        model.functions[model.text(name)] = node


def bind_field(model: JsModel, node: Any) -> None:
    """Class fields: ``TOKEN_KEY = "t"`` is read as ``this.TOKEN_KEY`` or ``Class.TOKEN_KEY``."""
    name = node.child_by_field_name("name") or node.child_by_field_name("property")
    value = node.child_by_field_name("value")
    if name is None or value is None:
        return
    field = model.text(name)
    model.values[f"this.{field}"] = value
    cls = node.parent.parent if node.parent is not None else None
    if cls is not None:
        cls_name = cls.child_by_field_name("name")
        if cls_name is not None:
            model.values[f"{model.text(cls_name)}.{field}"] = value


def bind_enum(model: JsModel, node: Any) -> None:
    """TypeScript ``enum StorageKeys { Token = "token" }``: ``StorageKeys.Token`` is ``"token"``."""
    name = node.child_by_field_name("name")
    body = node.child_by_field_name("body")
    if name is None or body is None:
        return
    for member in body.named_children:
        if member.type != "enum_assignment":
            continue
        key = member.child_by_field_name("name")
        value = member.child_by_field_name("value")
        if key is not None and value is not None:
            model.values[f"{model.text(name)}.{model.text(key)}"] = value
