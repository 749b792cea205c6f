"""Shared Hypothesis mutation of source snippets for the fuzz tests (delete, insert syntax, duplicate)."""

from __future__ import annotations

from hypothesis import strategies as st


def mutate(draw, code: str, syntax: list[str], max_ops: int = 4, width: int = 12) -> str:
    for _ in range(draw(st.integers(1, max_ops))):
        if not code:
            break
        i = draw(st.integers(0, len(code)))
        j = draw(st.integers(i, min(len(code), i + width)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate"]))
        if action == "delete":
            code = code[:i] + code[j:]
        elif action == "insert":
            code = code[:i] + draw(st.sampled_from(syntax)) + code[i:]
        else:
            code = code[:j] + code[i:j] + code[j:]
    return code
