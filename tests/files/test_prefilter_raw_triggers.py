"""``Rule.raw_triggers``: a case-sensitive pattern over raw bytes decides for a kind instead of
lowered words, so NAT009 reads a Python, JS, YAML, JSON or dotenv file only when it holds the
shape of a seed, and never turns those kinds into "parse every file"."""

from __future__ import annotations

from authlint.files.kinds import JSON, NKEY, PYTHON
from authlint.files.prefilter import Prefilter
from authlint.rules.nats.nat009_seed_leak import SeedLeak

SEED = b"SUAMK2FG4MI6UE3ACF3FK3OIQBCEIEZV7NSWFFEW63UXMRLFM2XLAXK4GY"


def test_pattern_only_kinds_are_not_always_read() -> None:
    prefilter = Prefilter([SeedLeak()])
    assert not prefilter.wants(PYTHON, b"import nats\nSUCCESS = 'sua'\n")
    assert prefilter.wants(PYTHON, b'SEED = "' + SEED + b'"\n')
    assert not prefilter.wants(JSON, b'{"seed": "' + SEED.lower() + b'"}')
    assert prefilter.wants(JSON, b'{"seed": "' + SEED + b'"}')


def test_kinds_without_a_pattern_keep_their_meaning() -> None:
    prefilter = Prefilter([SeedLeak()])
    assert prefilter.wants(NKEY, b"anything")  # no words, no pattern: every .nk file


def test_matches_needs_the_raw_bytes_for_a_pattern() -> None:
    prefilter = Prefilter([SeedLeak()])
    rule = SeedLeak()
    text = b'SEED = "' + SEED + b'"\n'
    assert prefilter.matches(rule, PYTHON, text.lower(), text)
    assert not prefilter.matches(rule, PYTHON, text.lower())
