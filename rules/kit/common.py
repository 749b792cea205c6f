"""TRANSITIONAL: the old per-language helpers, kept only until every rule uses the kit (``authlint.rules.kit``).

Delete when unused; new code imports ``authlint.rules.kit``.
"""

from __future__ import annotations

from authlint.diagnostics.diagnostic import Edit
from authlint.facts.model import Fact, OptionBag
from authlint.files.source import Source
from authlint.rules.kit.durations import human, parse_duration  # noqa: F401 (re-exported)
from authlint.rules.kit.options import remove_option  # noqa: F401 (re-exported)
from authlint.rules.kit.values import hardcoded, literal_values, number, option  # noqa: F401 (re-exported)

PY = "python"


def is_python(fact: Fact) -> bool:
    return fact.lang == PY


def insert_option(lang: str, bag: OptionBag, name: str, value_code: str) -> Edit | None:
    """Insert ``name=value`` (python kwargs) / ``name: value`` at the bag's insertion point."""
    if bag.insert_at is None:
        return None
    from authlint.rules.kit import legacy_codegen as codegen

    return Edit.insert(bag.insert_at, bag.insert_prefix + codegen.option(lang, name, value_code) + bag.insert_suffix)


def quote_of(source: Source) -> str:
    """The file's dominant string quote, so inserted literals look like their neighbours."""
    return "'" if source.text.count("'") > source.text.count('"') else '"'
