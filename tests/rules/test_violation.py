"""The Violation base: typed message data with fields from annotations, defaults, inheritance,
equality and immutability, without a dataclass per finding kind."""

from __future__ import annotations

from typing import ClassVar

import pytest

from authlint.rule import Violation


class KeyProblem(Violation):
    key: str
    block: str = "top"
    kind: ClassVar[str] = "key"

    def message(self) -> str:
        return f"`{self.key}` in {self.block}"


class Expired(KeyProblem):
    days: int = 0

    def message(self) -> str:
        return f"{super().message()} expired {self.days} days ago"


def test_fields_come_from_annotations_in_order_with_inherited_first() -> None:
    assert KeyProblem._fields == ("key", "block")
    assert Expired._fields == ("key", "block", "days")
    assert Expired("ping", days=3).message() == "`ping` in top expired 3 days ago"
    assert Expired("ping", "cluster", 2) == Expired(key="ping", block="cluster", days=2)
    assert repr(Expired("k")) == "Expired(key='k', block='top', days=0)"


def test_violations_are_immutable_hashable_and_checked() -> None:
    one = KeyProblem("a")
    with pytest.raises(AttributeError):
        one.key = "b"  # type: ignore[misc]
    assert len({one, KeyProblem("a"), KeyProblem("b")}) == 2
    assert one != Expired("a")
    with pytest.raises(TypeError, match="missing field 'key'"):
        KeyProblem()
    with pytest.raises(TypeError, match="unexpected or repeated"):
        KeyProblem("a", key="b")
    with pytest.raises(TypeError, match="takes 2 fields"):
        KeyProblem("a", "b", "c")
