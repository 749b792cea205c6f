"""Python facts survive the worker/cache JSON codec unchanged (timedelta values, fallbacks, handlers)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from authlint.files.source import Source
from authlint.run.context import FileContext
from authlint.run.serialize import decode, encode

ROOT = Path(__file__).resolve().parents[3]  # the checkout
FILES = [
    ROOT / "examples" / "python" / "server.py",
    ROOT / "examples" / "python" / "client.py",
    ROOT / "tests" / "fixtures" / "python" / "safe_app.py",
    ROOT / "tests" / "fixtures" / "python" / "jwt_service.py",
]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_facts_round_trip(path: Path) -> None:
    text = path.read_text() + "\nFALLBACK = os.getenv('K', 'dev')\nx = jwt.decode(t, FALLBACK, algorithms=['HS256'])\n"
    source = Source.from_text(text, path.name, "python")
    facts = list(FileContext(source).facts.items)
    assert facts
    back = decode(json.loads(json.dumps(encode(facts, source))), source)
    assert back == facts
