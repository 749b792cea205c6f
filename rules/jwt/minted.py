"""What the project's mints say about a verification: the one algorithm tokens are signed with, and
the signing key written the way the verification's file can reach it.

JWT003's fixes turn a check off / a missing key / a missing algorithm list into a real verification;
a verification that fails every legitimate token is no fix, so they take both the key and the
algorithm from the mints, and write the key only with code that is valid at the verification (a name
its file binds to the same value, an environment or settings read whose imports it has). When the
mints disagree (several keys or algorithms), when a mint signs with a private key (the verifier
needs the public one) or signs with framework settings, the answer is "unknown": display-only.
"""

from __future__ import annotations

from dataclasses import dataclass

from authlint.facts.model import JwtMint, JwtVerify, KeyNames, KeyReach

DEFAULT_ALGORITHM = "HS256"  # PyJWT's and jsonwebtoken's default when `algorithm` is not given
HMAC = "HS"
MODULE = "module:"


@dataclass
class Minted:
    """The mints' answer for one verification."""

    algorithm: str | None = None  # the algorithm every mint signs with
    key: str | None = None  # the signing key as code valid at the verification
    key_as_minted: str | None = None  # the key as the mints write it (for a display-only suggestion)
    where: str = ""  # the first mint, ``auth.py:12``, for fix titles

    @property
    def hmac(self) -> bool:
        return bool(self.algorithm and self.algorithm.upper().startswith(HMAC))


def minted_for(verify: JwtVerify, mints: list[JwtMint]) -> Minted:
    if not mints:
        return Minted()
    found = Minted(where=f"{mints[0].source.relpath}:{mints[0].source.position(mints[0].span.start)[0]}")
    algorithms = {_algorithm(mint) for mint in mints}
    if len(algorithms) == 1:
        found.algorithm = algorithms.pop()
    if not found.hmac:
        return found  # a public-key verifier needs the public key, which no mint names
    written = {mint.key.text if mint.key is not None else None for mint in mints}
    if len(written) == 1 and None not in written and len({_identity(mint.key_reach) for mint in mints}) == 1:
        found.key_as_minted = written.pop()
    if verify.key_names is not None:
        spelled = {_spell(mint.key_reach, verify.key_names) for mint in mints}
        if len(spelled) == 1:
            found.key = spelled.pop()
    return found


def _algorithm(mint: JwtMint) -> str | None:
    if mint.signs_with_settings:
        return None
    if mint.algorithm is None:
        return DEFAULT_ALGORITHM
    value = mint.algorithm.value
    return value if isinstance(value, str) and value else None


def _identity(reach: KeyReach | None) -> tuple[str, ...] | None:
    return tuple(sorted(reach.names)) or (reach.code,) if reach is not None else None


def _spell(reach: KeyReach | None, names: KeyNames) -> str | None:
    """The key as code valid where ``names`` were collected, or None."""
    if reach is None:
        return None
    for name in reach.names:
        if name in names.spellings:
            return names.spellings[name]
        if name.startswith(MODULE):
            code = _spell_module_name(name[len(MODULE):], names)
            if code is not None:
                return code
    if reach.code is not None and all(names.imports.get(local) == qual for local, qual in reach.needs.items()):
        return reach.code
    return None


def _spell_module_name(dotted: str, names: KeyNames) -> str | None:
    """A module-level name of another module: imported by name (``from app.auth import SECRET``), or
    through its module (``import app.auth as auth`` -> ``auth.SECRET``). Module paths are compared
    by their tail, as the project root may be a package or its parent."""
    for known, code in names.spellings.items():
        if known.startswith(MODULE) and _same_dotted(known[len(MODULE):], dotted):
            return code
    module, _, attribute = dotted.rpartition(".")
    for local, qual in names.imports.items():
        if module and _same_dotted(qual, module):
            return f"{local}.{attribute}"
    return None


def _same_dotted(one: str, other: str) -> bool:
    return one == other or one.endswith("." + other) or other.endswith("." + one)
