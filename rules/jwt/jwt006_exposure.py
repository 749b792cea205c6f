"""Whether clock skew can bite a verification (JWT006): the reason, or None.

Skew needs two clocks. It bites where the tokens come from somewhere else:
- a key set fetched from an identity provider (JWKS: jwks-rsa, jose ``createRemoteJWKSet``, PyJWT
  ``PyJWKClient``), or a public key that no mint of the verifier's deployable signs for;
- no mint anywhere in the project (the tokens are minted by another service);
- mints only in other deployables (``authlint.files.deployables``: separate ``package.json`` /
  ``pyproject.toml`` / Dockerfile roots, e.g. compose services built from their own folders);
and where the tokens live so briefly (``short-lifetime``, 5 minutes by default) that the skew
between replicas of one deployable is a real part of their life.

It does not bite where one deployable mints and verifies its own tokens with lifetimes far longer
than any skew (the "6 of 32 findings" of issue 17), nor where those tokens carry no ``exp``.
"""

from __future__ import annotations

from authlint.facts.knowledge.jwt_key_sources import builds_key_set_client, family, names_key_set, names_public_key
from authlint.facts.model import JwtMint, JwtVerify
from authlint.files.deployables import Deployables
from authlint.rules import kit
from authlint.rules.jwt.jwt005_key_mismatch import identity

DEFAULT_ALGORITHM = "HS256"  # PyJWT's and jsonwebtoken's default when a mint names none


class Exposure:
    """The project's mints, grouped so each verification asks one question."""

    def __init__(self, project, short_lifetime: float) -> None:
        self.mints = list(project.facts(JwtMint))
        self.deployables = Deployables(project.settings.root)
        self.short_lifetime = short_lifetime
        # each mint's deployable and algorithm family, asked by every verification (computed once)
        self._placed = [(mint, self.deployables.of(mint.source.relpath), _mint_family(mint)) for mint in self.mints]
        self._identities: dict[int, object] = {}  # id(mint) -> identity(mint.key)
        self._key_set_clients: dict[int, bool] = {}  # id(source) -> builds_key_set_client(its text)

    def reason(self, verify: JwtVerify) -> str | None:
        """Why skew can bite this verification (for the message), or None when it cannot."""
        if self._key_set(verify):
            return "its keys come from a key set (JWKS): tokens are minted by an identity provider or another service"
        if not self.mints:
            return "no token is minted in this project: another service or an identity provider mints them"
        home = self.deployables.of(verify.source.relpath)
        wanted = self._family(verify)
        own = [m for m, placed, minted in self._placed if placed == home and _fits(minted, wanted)]
        if not own:
            elsewhere = next((m for m, placed, _ in self._placed if placed != home), None)
            if elsewhere is not None:
                return f"tokens are minted in another deployable ({_where(elsewhere)}), on another machine's clock"
            return "verified with a public key no mint of this project signs for: another service or an identity provider mints the tokens"
        key = identity(verify.key)
        same_key = [m for m in own if key is not None and self._identity(m) == key]
        own = same_key or own  # the mints with this very key, when they can be told apart
        if all(m.has_exp is False for m in own):
            return None  # the tokens carry no `exp`: nothing to be early or late for
        short = [m for m in own if m.lifetime is not None and m.lifetime <= self.short_lifetime]
        if short:
            return (f"tokens minted at {_where(short[0])} live {kit.human(short[0].lifetime)}: "
                    "a few seconds of skew between replicas is a real part of that")
        return None

    def _identity(self, mint: JwtMint) -> object:
        if id(mint) not in self._identities:
            self._identities[id(mint)] = identity(mint.key)
        return self._identities[id(mint)]

    def _builds_key_set_client(self, source) -> bool:
        """Whether the file builds a key-set client (a search of its whole text: once per file)."""
        if id(source) not in self._key_set_clients:
            self._key_set_clients[id(source)] = builds_key_set_client(source.text)
        return self._key_set_clients[id(source)]

    def _key_set(self, verify: JwtVerify) -> bool:
        source = verify.source
        key = verify.key
        texts = [source.slice(verify.span)]
        if key is not None:
            texts += [key.text, key.ref or "", source.slice(key.origin) if key.origin is not None else ""]
            if names_key_set(*texts):
                return True
            if (key.ref or "").startswith(("name:", "call:")) and self._builds_key_set_client(source):
                return True  # a local name, in a file that builds a key-set client
        return names_key_set(*texts)

    @staticmethod
    def _family(verify: JwtVerify) -> str | None:
        """``"public-key"`` when the verification accepts only public-key algorithms or its key says
        it is public; ``"hmac"`` when it accepts only HMAC; None when it cannot be told."""
        algorithms = verify.algorithms
        if algorithms is not None and algorithms.known:
            values = algorithms.value if isinstance(algorithms.value, list) else [algorithms.value]
            families = {family(v) if isinstance(v, str) else None for v in values}
            if len(families) == 1 and None not in families:
                return families.pop()
        key = verify.key
        if key is not None and names_public_key(key.text, key.ref or ""):
            return "public-key"
        return None


def _mint_family(mint: JwtMint) -> str | None:
    if mint.signs_with_settings:
        return None
    if mint.algorithm is None:
        return family(DEFAULT_ALGORITHM)
    value = mint.algorithm.value
    return family(value) if isinstance(value, str) else None


def _fits(minted: str | None, wanted: str | None) -> bool:
    """A mint can have made the verification's tokens unless both families are known and differ."""
    return minted is None or wanted is None or minted == wanted


def _where(mint: JwtMint) -> str:
    return f"{mint.source.relpath}:{mint.source.position(mint.span.start)[0]}"
