"""Path containment, the one check discovery, NATS includes and fragment lookup all rely on."""

from __future__ import annotations

import os


def within(real: str, root: str) -> bool:
    """Whether a resolved path is ``root`` or below it (both already ``realpath``-ed; plain string
    work, so a 12k-file walk pays no pathlib parsing)."""
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)
