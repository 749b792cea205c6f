"""Keeping Python's cyclic garbage collector out of the way where a run allocates in bulk.

A collector pass scans every tracked object of its generation: after a run has loaded its modules,
rules and cache, a full pass costs tens of milliseconds, and bulk allocations (a parse, a cache's
``json.loads``) trigger many passes that find nothing to free.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def frozen() -> Iterator[None]:
    """Everything alive now moves to the permanent generation, which passes skip (and forked
    children then neither scan nor copy-on-write). Nested blocks freeze what came since; the
    outermost one gives it all back to the collector."""
    outermost = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()


@contextmanager
def paused() -> Iterator[None]:
    """No collector passes in the block: for allocations that build acyclic data all at once."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
