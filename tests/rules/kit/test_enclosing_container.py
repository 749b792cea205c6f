"""``python_cst.enclosing_container`` searches only the statements whose lines hold the offset; it
must answer exactly what a walk of the whole module answers (decorators lie above their ``def``,
handlers and match cases are not statements, several statements share a line)."""

from __future__ import annotations

import ast

from authlint.facts.python.positions import Positions
from authlint.files.source import Source, Span
from authlint.rules.kit.python_cst import enclosing_container

MODULE = '''\
import jwt
CONFIG = {"a": 1, "b": dict(c=2)}; other = f(x, {"d": [g(y)]})

@app.route("/login", methods=["POST"])
@cross_origin(origins="*", supports_credentials=True)
def login(request, opts={"k": 1}):
    try:
        token = jwt.decode(request.token, KEY, algorithms=["HS256"], options={"verify_exp": False})
    except jwt.InvalidTokenError as exc:
        log(exc, extra={"why": str(exc)})
    match request.kind:
        case "a":
            return send(token, headers={"x": h(1)})
    return [call(i) for i in range(3) if check(i, {"z": 0})]

class Handler(Base, metaclass=Meta, **dict(flag=True)):
    """Doc."""
    @staticmethod
    def run(x=compute(1, 2)):
        lam = lambda q: wrap(q, {"w": 1})
        return lam(x)
'''


def whole_walk(code: str, start: int) -> Span | None:
    tree = ast.parse(code)
    positions = Positions(Source.from_text(code))
    spans = [positions.span(node) for node in ast.walk(tree) if isinstance(node, (ast.Call, ast.Dict))]
    return min((span for span in spans if span.start < start < span.end), key=lambda span: span.end - span.start, default=None)


def test_answers_what_a_whole_walk_answers_at_every_offset() -> None:
    differ = [start for start in range(len(MODULE)) if enclosing_container(MODULE, start) != whole_walk(MODULE, start)]
    assert differ == []


def test_a_decorator_argument_is_found_above_its_def() -> None:
    start = MODULE.index('supports_credentials')
    span = enclosing_container(MODULE, start)
    assert span is not None and MODULE[span.start : span.end].startswith("cross_origin(")


def test_unparsable_code_has_no_container() -> None:
    assert enclosing_container("def broken(:\n    f(x)\n", 18) is None
