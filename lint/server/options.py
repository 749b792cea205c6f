"""What the editor may set on top of the project's config: the selection flags of ``check``.

The config file (``[tool.authlint]``, ``authlint.toml``) stays the one source of settings, as on the
command line; an editor's ``initializationOptions`` or ``workspace/didChangeConfiguration`` settings
(under an ``authlint`` key, or bare) play the part of ``--select``, ``--ignore`` and
``--extend-select``, with the same meaning (``cli.commands.load_settings``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KEYS = {"select": "select", "ignore": "ignore", "extend-select": "extend_select", "extendSelect": "extend_select"}


@dataclass(frozen=True)
class EditorOptions:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()

    @classmethod
    def parse(cls, raw: Any) -> EditorOptions:
        """Options from a client's settings object; unknown keys and wrong types are ignored (an
        editor sends its whole settings tree, most of it for other tools)."""
        if isinstance(raw, dict) and isinstance(raw.get("authlint"), dict):
            raw = raw["authlint"]
        if not isinstance(raw, dict):
            return cls()
        values: dict[str, tuple[str, ...]] = {}
        for key, name in KEYS.items():
            value = raw.get(key)
            if isinstance(value, str):
                value = [value]
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                values[name] = tuple(value)
        return cls(**values)
