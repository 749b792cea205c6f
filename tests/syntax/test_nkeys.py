"""The nkey seed checksum against public test seeds of the NATS clients (nats.go ``nats_test.go``
"Trust Server Tests", nats.rs and nats.c test vectors)."""

from __future__ import annotations

import pytest

from authlint.syntax.nkeys import crc16, find_valid_seeds, may_hold_seed, seed_type

PUBLIC_SEEDS = {
    "SOAL7GTNI66CTVVNXBNQMG6V2HTDRWC3HGEP7D2OUTWNWSNYZDXWFOX4SU": "operator",
    "SAAASUPRY3ONU4GJR7J5RUVYRUFZXG56F4WEXELLLORQ65AEPSMIFTOJGE": "account",
    "SUAMK2FG4MI6UE3ACF3FK3OIQBCEIEZV7NSWFFEW63UXMRLFM2XLAXK4GY": "user",
    "SUANQDPB2RUOE4ETUA26CNX7FUKE5ZZKFCQIIW63OX225F2CO7UEXTM7ZY": "user",
    "SUACH75SWCM5D2JMJM6EKLR2WDARVGZT4QC6LX3AGHSWOMVAKERABBBRWM": "user",
}


def test_crc16_is_xmodem() -> None:
    assert crc16(b"123456789") == 0x31C3  # the CRC-16/XMODEM check value


@pytest.mark.parametrize("seed, kind", PUBLIC_SEEDS.items())
def test_public_seeds_are_valid(seed: str, kind: str) -> None:
    assert seed_type(seed) == kind


@pytest.mark.parametrize("seed", PUBLIC_SEEDS)
def test_any_changed_letter_breaks_the_checksum(seed: str) -> None:
    for at in range(2, len(seed)):
        other = "A" if seed[at] != "A" else "B"
        assert seed_type(seed[:at] + other + seed[at + 1 :]) is None


def test_the_type_letter_is_part_of_the_checksum() -> None:
    user = "SUANQDPB2RUOE4ETUA26CNX7FUKE5ZZKFCQIIW63OX225F2CO7UEXTM7ZY"
    assert seed_type("SA" + user[2:]) is None


def test_shapes_that_are_no_seed() -> None:
    assert seed_type("S" + "A" * 57) is None
    assert seed_type("UAMMBNV2EYR65NYZZ7IAK5SIR5ODNTTERJOBOF4KJLMWI45YOXOSWULM") is None  # a public key
    assert seed_type("SUANQDPB2RUOE4") is None


def test_found_only_standing_alone() -> None:
    seed = "SUAMK2FG4MI6UE3ACF3FK3OIQBCEIEZV7NSWFFEW63UXMRLFM2XLAXK4GY"
    found = find_valid_seeds(f'seed = "{seed}"\nlonger = "X{seed}"\n')
    assert [(f.span.start, f.kind) for f in found] == [(8, "user")]


def test_prefilter_shape_is_case_sensitive() -> None:
    seed = "SUAMK2FG4MI6UE3ACF3FK3OIQBCEIEZV7NSWFFEW63UXMRLFM2XLAXK4GY"
    assert may_hold_seed(seed.encode())
    assert not may_hold_seed(seed.lower().encode())
    assert not may_hold_seed(b"SUCCESS = 'SUBSCRIPTION'")
