"""What a JS/TS module offers other modules (``ModuleValues``), and how an import names them.

A module is named by its relpath without extension (``src/config.ts`` -> ``src/config``;
``src/config/index.js`` -> ``src/config``), which is also what a relative import resolves to
(``import { ENV } from "./config"`` in ``src/auth.ts``). Packages (``"jsonwebtoken"``) and path
aliases are not modules of the project and are never followed.

Offered are module-level constants (``export const JWT_SECRET = ...``), the properties of an
object-literal constant (``ENV.JWT_SECRET``) and of ``module.exports = {...}`` / ``export default
{...}``, and ``exports.X = ...``, when their value can matter elsewhere: an environment read, a
value imported from another module, a string literal under a name that says it holds a secret.
"""

from __future__ import annotations

import posixpath
from typing import Any, Iterator

from authlint.facts.javascript.bindings import bind_import
from authlint.facts.javascript.model import JsModel, ModuleRef
from authlint.facts.model import Expr, ModuleValues
from authlint.facts.secrets.names import secret_name, secret_text
from authlint.files.source import Span

EXTENSIONS = (".d.ts", ".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
PROBES = (b"export", b"exports")
DECLARATIONS = ("lexical_declaration", "variable_declaration")


def module_name(relpath: str) -> str:
    """``src/config.ts`` -> ``src/config``; ``src/config/index.js`` -> ``src/config``."""
    path = relpath.replace("\\", "/")
    for extension in EXTENSIONS:
        if path.endswith(extension):
            path = path[: -len(extension)]
            break
    if path.endswith("/index"):
        path = path[: -len("/index")]
    elif path == "index":
        path = ""
    return path


def imported_module(relpath: str, specifier: str) -> str | None:
    """The project module a relative specifier names from ``relpath``; None for a package or an
    import leaving the project."""
    if not specifier.startswith("."):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(relpath.replace("\\", "/")), specifier))
    if joined == ".." or joined.startswith("../"):
        return None
    return module_name("" if joined == "." else joined)


def imported_name(model: JsModel, node: Any) -> str | None:
    """(travel) ``src/config:ENV.JWT_SECRET`` for ``ENV.JWT_SECRET`` after ``import { ENV } from
    "./config"`` (also ``require("./config").JWT_SECRET``, ``const { JWT_SECRET } = require(...)``,
    through local constants); None for anything not read from a module of the project."""
    target = model.resolve(node)
    ref = _module_ref(model, target)
    if ref is None:
        return None
    module = imported_module(model.source.relpath, ref.module)
    if module is None or ref.export == "*":
        return None
    return f"{module}:{ref.export}"


def imported_function(model: JsModel, node: Any) -> str | None:
    """(travel) ``src/middleware/auth:default`` for a handler imported from a module of the project
    (``import auth from "./middleware/auth"``; ``{ authenticate }`` names ``:authenticate``)."""
    ref = _module_ref(model, model.resolve(node))
    module = imported_module(model.source.relpath, ref.module) if ref is not None else None
    if module is None or ref is None:
        return None
    return f"{module}:{'default' if ref.export == '*' else ref.export}"


def _module_ref(model: JsModel, node: Any) -> ModuleRef | None:
    node = model.unwrap(node)
    if node is None:
        return None
    if node.type == "member_expression":  # ``ENV.JWT_SECRET`` with ``ENV`` a named import
        obj = model.unwrap(node.child_by_field_name("object"))
        prop = node.child_by_field_name("property")
        base = _module_ref(model, obj)
        if base is None or prop is None or prop.type != "property_identifier":
            return None
        name = model.text(prop)
        return ModuleRef(base.module, name if base.export == "*" else f"{base.export}.{name}")
    return model.module_of(node)


def module_values(model: JsModel) -> ModuleValues | None:
    """The module's ``ModuleValues``, or None when it offers nothing that travels."""
    if not any(probe in model.data for probe in PROBES):
        return None
    fact = ModuleValues(source=model.source, span=Span(0, 0), lang=model.lang, module=module_name(model.source.relpath))
    if not model.modules:  # the extractor stopped before binding imports (a file naming no library)
        for statement in model.tree.root_node.named_children:
            if statement.type == "import_statement":
                bind_import(model, statement)
    for statement in model.tree.root_node.named_children:
        if statement.type == "export_statement":
            _reexports(model, statement, fact)
    for name, value in _top_level(model):
        _offer(model, fact, name, value)
        _handler(model, fact, name, value)
    return fact if fact.values or fact.handlers else None


def _handler(model: JsModel, fact: ModuleValues, name: str, value: Any) -> None:
    """An exported function written as a Socket.IO middleware (``(socket, next)``) or connection
    handler (it reads ``socket.handshake``), analysed as ``io.use``/``io.on`` would."""
    from authlint.facts.javascript.socketio import handler_fact

    function = model.function_node(value)
    if function is None:
        return
    params = model.params(function)
    text = model.text(function)
    first = (params[0] or "").lower() if params else ""
    if not params or not ("handshake" in text or "socket" in first or len(params) == 2 and params[1] == "next"):
        return
    kind = "use" if len(params) >= 2 else "connection"
    fact.handlers[name] = handler_fact(model, None, function, kind)


def _reexports(model: JsModel, statement: Any, fact: ModuleValues) -> None:
    """``export { JWT_SECRET } from "./config"`` / ``export { a as b } from ...``: the name is that
    module's value."""
    source = statement.child_by_field_name("source")
    specifier = model.string_value(source) if source is not None else None
    module = imported_module(model.source.relpath, specifier) if specifier else None
    if module is None:
        return
    for clause in statement.named_children:
        if clause.type != "export_clause":
            continue
        for spec in clause.named_children:
            name = spec.child_by_field_name("name")
            alias = spec.child_by_field_name("alias")
            if spec.type != "export_specifier" or name is None:
                continue
            span = model.span(spec)
            fact.values[model.text(alias or name)] = Expr(span=span, text=model.text(spec),
                                                          imported=f"{module}:{model.text(name)}")


def _top_level(model: JsModel) -> Iterator[tuple[str, Any]]:
    """(name, value node) of module-level constants and of what ``module.exports``/``exports.X``/
    ``export default`` hand out (their properties without a prefix)."""
    for statement in model.tree.root_node.named_children:
        node = statement
        if node.type == "export_statement":
            declaration = node.child_by_field_name("declaration")
            value = node.child_by_field_name("value")
            if declaration is not None:
                node = declaration
            elif value is not None:  # ``export default {...}`` / ``export default (socket, next) => ...``
                yield "default", value
                yield from _properties(model, "", value)
                continue
        if node.type == "function_declaration" or (node.type == "function" and statement.type == "export_statement"):
            name = node.child_by_field_name("name")
            default = statement.type == "export_statement" and b"default" in model.data[statement.start_byte:node.start_byte]
            if default:
                yield "default", node
            if name is not None:
                yield model.text(name), node
            continue
        if node.type in DECLARATIONS:
            for declarator in node.named_children:
                if declarator.type != "variable_declarator":
                    continue
                name = declarator.child_by_field_name("name")
                value = declarator.child_by_field_name("value")
                if name is not None and value is not None and name.type == "identifier":
                    yield model.text(name), value
        elif node.type == "expression_statement" and node.named_children:
            assignment = model.unwrap(node.named_children[0])
            if assignment is None or assignment.type != "assignment_expression":
                continue
            left = model.key_of(assignment.child_by_field_name("left")) or ""
            right = assignment.child_by_field_name("right")
            if right is None:
                continue
            if left == "module.exports":
                yield "default", right
                yield from _properties(model, "", right)
            elif left.startswith(("module.exports.", "exports.")):
                yield left.split("exports.", 1)[1], right


def _properties(model: JsModel, prefix: str, value: Any) -> Iterator[tuple[str, Any]]:
    """The properties of an object literal (``{ a: 1, b }``) as (prefix + name, value node)."""
    target = model.unwrap(value)
    if target is None or target.type != "object":
        return
    for child in target.named_children:
        if child.type == "pair":
            name = model.property_name(child.child_by_field_name("key"))
            item = child.child_by_field_name("value")
            if name is not None and item is not None:
                yield prefix + name, item
        elif child.type == "shorthand_property_identifier":
            yield prefix + model.text(child), child


def _offer(model: JsModel, fact: ModuleValues, name: str, value: Any) -> None:
    expr = _worth(model, name, value)
    if expr is not None:
        fact.values[name] = expr
    target = model.unwrap(value)
    if target is not None and target.type == "object" and "." not in name:  # ``ENV.JWT_SECRET``
        for key, item in _properties(model, f"{name}.", target):
            expr = _worth(model, key, item)
            if expr is not None:
                fact.values[key] = expr


def _worth(model: JsModel, name: str, value: Any) -> Expr | None:
    """The value's Expr when it can matter in another module (as the Python side decides)."""
    expr = model.expr(value, depth=1)
    expr.entries = expr.items = None  # the object's own properties are offered one by one
    if expr.from_env or expr.imported is not None:
        return expr
    if isinstance(expr.value, str) and secret_name(name.rsplit(".", 1)[-1]) and secret_text(expr.value):
        return expr
    return None
