"""nkey seeds decoded and signed as nats.go / nats.c do, creds files read with their secrets
redacted first, and a user JWT's expiry told against the local clock."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from authlint.probe.natscreds import (
    CredentialsError,
    decode_seed,
    describe_user_jwt,
    encode_public,
    encode_seed,
    expiry,
    read_creds,
    read_nkey,
    relative,
)
from authlint.probe.redact import Redactor
from tests.nats_jwt import Key, Operator, creds_file

# the published test vector of the NATS clients (nats.c / nats.go tests): seed, public key, and
# the signature of the nonce "nonce" (Ed25519 is deterministic)
SEED = "SUAMK2FG4MI6UE3ACF3FK3OIQBCEIEZV7NSWFFEW63UXMRLFM2XLAXK4GY"
PUBLIC = "UAT6BWCSCWLUKJT6K6MBJJOEOTXZ5AJDOYKNEVRFC7VNO6OA43N4TRNO"
SIGNATURE = "m50It12aTgfbJwsQhucujqhXbsq7tLM-Mf_hSjBQsG_4onm8y2Vkw6JG1bbcDkdxXe-Ng0K-7X9ov4rZ4wFcDg"


def test_the_clients_test_vector() -> None:
    seed = decode_seed(SEED)
    assert seed.kind == "user" and seed.public_key() == PUBLIC
    assert seed.sign("nonce") == SIGNATURE


def test_encoding_round_trips_for_every_key_type() -> None:
    for kind, letter in (("user", "U"), ("account", "A"), ("operator", "O")):
        raw = os.urandom(32)
        text = encode_seed(kind, raw)
        assert text.startswith("S" + letter) and len(text) == 58
        assert decode_seed(text).raw == raw and decode_seed(text).kind == kind
        public = encode_public(kind, raw)
        assert public.startswith(letter) and len(public) == 56


def test_a_broken_checksum_or_a_public_key_is_not_a_seed() -> None:
    broken = SEED[:-2] + ("AA" if not SEED.endswith("AA") else "BB")
    for text in (broken, PUBLIC, "SU" + "A" * 10):
        with pytest.raises(CredentialsError, match="not an nkey seed"):
            decode_seed(text)


def test_a_creds_file_is_read_and_both_secrets_redacted(tmp_path: Path) -> None:
    op, user = Operator.new(), Key.new("user")
    jwt = op.user_jwt(user, "alice", exp=2_000_000_000)
    (tmp_path / "a.creds").write_text(creds_file(jwt, user.seed))
    redactor = Redactor()
    creds = read_creds(str(tmp_path / "a.creds"), redactor)
    assert creds.jwt == jwt and creds.seed.public_key() == user.public
    masked = redactor.text(f"jwt {jwt} seed {user.seed}")
    assert jwt not in masked and user.seed not in masked


def test_a_creds_file_with_a_bad_seed_is_refused_after_redacting_it(tmp_path: Path) -> None:
    bad_seed = "SU" + "B" * 56
    (tmp_path / "b.creds").write_text(creds_file("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln", bad_seed))
    redactor = Redactor()
    with pytest.raises(CredentialsError) as raised:
        read_creds(str(tmp_path / "b.creds"), redactor)
    assert "USER NKEY SEED block is not an nkey seed" in str(raised.value) and bad_seed not in str(raised.value)
    assert bad_seed in redactor.secrets and "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln" in redactor.secrets


def test_an_nkey_file_alone_or_among_comments(tmp_path: Path) -> None:
    (tmp_path / "u.nk").write_text(SEED + "\n")
    (tmp_path / "c.nk").write_text(f"# the probe user's seed\n{SEED}\n")
    (tmp_path / "none.nk").write_text("no seed here\n")
    redactor = Redactor()
    assert read_nkey(str(tmp_path / "u.nk"), redactor).public_key() == PUBLIC
    assert read_nkey(str(tmp_path / "c.nk"), redactor).public_key() == PUBLIC
    assert SEED in redactor.secrets
    with pytest.raises(CredentialsError, match="no nkey seed"):
        read_nkey(str(tmp_path / "none.nk"), redactor)


def test_expiry_against_the_local_clock() -> None:
    now = 1_800_000_000.0
    assert expiry({"exp": now - 3 * 3600}, now)[0].startswith("expired 3 h ago")
    assert expiry({"exp": now + 20 * 60}, now)[0].startswith("expires in 20 min")
    assert expiry({"exp": now - 2 * 86400}, now)[1] is True
    assert expiry({}, now) == ("never expires (no exp claim)", None)
    assert relative(45) == "45 s" and relative(-7200) == "2 h"


def test_describe_shows_claims_never_the_token() -> None:
    op, user = Operator.new(), Key.new("user")
    jwt = op.user_jwt(user, "alice", exp=1_800_000_000 - 60)
    summary, claims, expired = describe_user_jwt(jwt, now=1_800_000_000)
    assert expired is True and "expired 60 s ago" in summary and "'alice'" in summary
    assert claims["sub"] == user.public and claims["iss"] == op.account.public and claims["type"] == "user"
    assert jwt not in summary and jwt not in str(claims)
    unsigned = base64.urlsafe_b64encode(b"not json").decode()
    assert describe_user_jwt(f"e30.{unsigned}.sig")[1] == {}


def test_without_cryptography_signing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.asymmetric.ed25519", None)
    with pytest.raises(CredentialsError, match="needs the 'cryptography' package"):
        decode_seed(SEED).sign("nonce")
    with pytest.raises(CredentialsError, match="pip install cryptography"):
        decode_seed(SEED).public_key()
