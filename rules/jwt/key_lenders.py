"""Which modules JWT004 and JWT005 borrow (``Rule.lenders_wanted``): those their keys are read from.

A config module holding ``JWT_SECRET = os.environ.get("JWT_SECRET", "dev")`` names no JWT library,
so the run loads it only when a mint or a verify of the project imports its key from there
(``facts.travel.lender_modules``); a mint that signs with the framework's settings
(``create_access_token``) may take them from any module, so then every lender is loaded.
"""

from __future__ import annotations

from typing import Iterator

from authlint.facts.model import Expr, Fact, JwtMint, JwtVerify
from authlint.facts.travel import SETTINGS, lender_modules
from authlint.rule import Wanted


def key_roots(project) -> Iterator[tuple[Expr | None, Fact]]:
    """Every key the project's mints and verifies read, and a settings read for each mint that
    signs with the framework's settings."""
    for use in (*project.facts(JwtMint), *project.facts(JwtVerify)):
        yield use.key, use
        if isinstance(use, JwtMint) and use.signs_with_settings:
            yield Expr(span=use.span, text="", ref=f"{SETTINGS}SECRET_KEY"), use


def key_lenders(project) -> Wanted:
    return lender_modules(project, key_roots(project))
