"""Durations written for people, from the one place that writes them (``kit.durations``): rule
messages, ``authlint jwt inspect`` summaries and NATS magnitudes keep the texts they always had."""

from __future__ import annotations

import pytest

from authlint.cli.jwt_inspect import human as inspect_human
from authlint.rules import kit


@pytest.mark.parametrize(
    "seconds, text",
    [(90, "1m30s"), (86400, "1d"), (90061, "1d1h1m1s"), (0.5, "500ms"), (0, "0ms"), (-60, "-1m"), (31536000, "365d")],
)
def test_human_in_messages(seconds: float, text: str) -> None:
    assert kit.human(seconds) == text


@pytest.mark.parametrize(
    "seconds, text",
    [(90061, "1d1h"), (3661, "1h1m"), (59, "59s"), (0, "0s"), (0.4, "0s"), (86400, "1d"), (7260.6, "2h1m")],
)
def test_human_summary_for_jwt_inspect(seconds: float, text: str) -> None:
    assert kit.human(seconds, largest=2) == text == inspect_human(seconds)


@pytest.mark.parametrize(
    "seconds, text",
    [(30, "30 s"), (119, "119 s"), (120, "2 minutes"), (9000, "~2.5 hours"), (172800, "~2 days"), (1e9, "~11,574 days")],
)
def test_approximate_magnitudes(seconds: float, text: str) -> None:
    assert kit.approximate(seconds) == text
