"""``facts.python.lines``: the walk that visits only the nodes reaching some lines."""

from __future__ import annotations

import ast

from authlint.facts.python.lines import lines_with, nodes_on

SOURCE = '''import os


@app.route("/", methods=[os.environ["METHOD"]])
def index():
    return 1


def other():
    x = 2
    return os.getenv("NATS_TOKEN",
                     "dev")
'''


def test_lines_with_finds_every_line_holding_a_word() -> None:
    assert lines_with(SOURCE.splitlines(), ("environ", "NATS")) == [4, 11]


def test_nodes_on_reaches_decorators_and_multi_line_calls_only() -> None:
    tree = ast.parse(SOURCE)
    seen = list(nodes_on(tree, [4, 11]))
    constants = {node.value for node in seen if isinstance(node, ast.Constant)}
    assert {"METHOD", "NATS_TOKEN", "/"} <= constants  # a decorator is above its `def` line
    calls = [node for node in seen if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "getenv"]
    assert [(call.lineno, call.end_lineno) for call in calls] == [(11, 12)]  # the call reaching line 11, whole
    assert not {1, 2, "dev"} & constants  # nodes lying wholly on other lines are never visited
    assert not list(nodes_on(tree, []))
