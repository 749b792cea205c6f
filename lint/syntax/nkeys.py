"""nkey seeds: telling a real one (a valid checksum) from a 58-character run of capitals.

An nkey seed is base32 (RFC 4648 alphabet, no padding) of 36 bytes: two prefix bytes (the seed
marker ``18 << 3`` in the first byte's top five bits, the key type's five bits spread over the rest,
which is why every seed starts ``S`` and its second letter names the type), the 32-byte Ed25519
seed, and a CRC-16/XMODEM of those 34 bytes, little-endian. The format is nkeys' own
(``nkeys/strkey.go``: ``EncodeSeed``, ``DecodeSeed``, ``crc16``); nats.py, nats.js and nats.c
decode it the same way. Only the checksum is checked: nothing here derives a key.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from authlint.files.source import Span

SEED_PREFIX = 18 << 3  # "S"
# the key types a seed may carry (nkeys ``PrefixByte*``), by the byte they are encoded from
KEY_TYPES = {14 << 3: "operator", 13 << 3: "server", 2 << 3: "cluster", 0: "account", 20 << 3: "user", 23 << 3: "curve"}
SEED_LENGTH = 58
# The candidate shape on raw bytes, for the prefilter: case-sensitive, so ordinary words and
# identifiers (lower case, or shorter) never match; no look-around, so ``re`` scans for the literal
# "S" at C speed. The checksum decides afterwards.
SEED_BYTES = re.compile(rb"S[UAONCX][A-Z2-7]{56}")
SEED_TEXT = re.compile(r"S[UAONCX][A-Z2-7]{56}")
_BASE32 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def crc16(data: bytes) -> int:
    """CRC-16/XMODEM (polynomial 0x1021, initial value 0, no reflection): nkeys' checksum."""
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def seed_type(text: str) -> str | None:
    """The key type of a valid seed (``user``, ``account``, ``operator``, ...); None when ``text``
    is not a seed: wrong length or alphabet, a prefix that is no seed's, or a checksum that fails."""
    if len(text) != SEED_LENGTH or not text.startswith("S") or not set(text) <= _BASE32:
        return None
    try:
        raw = base64.b32decode(text + "=" * 6)
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 36 or raw[0] & 0xF8 != SEED_PREFIX:
        return None
    kind = ((raw[0] & 0x07) << 5) | ((raw[1] & 0xF8) >> 3)
    if kind not in KEY_TYPES:
        return None
    if crc16(raw[:34]) != int.from_bytes(raw[34:], "little"):
        return None
    return KEY_TYPES[kind]


def is_seed(text: str) -> bool:
    return seed_type(text) is not None


@dataclass(frozen=True)
class FoundSeed:
    span: Span
    text: str
    kind: str  # user | account | operator | server | cluster | curve


def find_valid_seeds(text: str) -> list[FoundSeed]:
    """Every seed in ``text`` whose checksum holds, standing alone (no base32 letter either side)."""
    found = []
    for match in SEED_TEXT.finditer(text):
        start, end = match.span()
        if start and text[start - 1] in _BASE32 or end < len(text) and text[end] in _BASE32:
            continue
        kind = seed_type(match.group(0))
        if kind is not None:
            found.append(FoundSeed(Span(start, end), match.group(0), kind))
    return found


def may_hold_seed(raw: bytes) -> bool:
    """The prefilter's question: could ``raw`` hold a seed (the shape, checksum unchecked)?"""
    return SEED_BYTES.search(raw) is not None
