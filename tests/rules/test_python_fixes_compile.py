"""Every Python example and every expected fix of every rule is valid Python.

(E-codes are skipped: their examples are broken on purpose.)
"""

from __future__ import annotations

import pytest

from authlint.rules import registry

CASES = [
    pytest.param(example, id=f"{rule.code}-{i}")
    for rule in registry().values()
    if not rule.code.startswith("E")
    for i, example in enumerate(rule.examples)
    if example.path.endswith(".py")
]


@pytest.mark.parametrize("example", CASES)
def test_python_example_and_fix_compile(example) -> None:
    compile(example.code, example.path, "exec")
    for name, text in example.files.items():
        if name.endswith(".py"):  # a project example's other files may be configs or JS
            compile(text, name, "exec")
    if example.fixed is not None:
        compile(example.fixed, example.path, "exec")
