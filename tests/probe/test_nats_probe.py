"""``authlint probe nats://`` against a real nats-server 2.9.10 on loopback: token, users, nkey and
operator (JWT) logins, right and wrong, each with the server's exact answer and exit code; TLS; the
monitoring port; ports that are not NATS. No test lets a secret reach stdout or stderr."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest

from tests.loopback import free_port
from tests.nats_broker import needs_server, serving, write
from tests.nats_jwt import Key, Operator, creds_file
from tests.probe.natsprobing import banner_server, certificates, fake_varz, probe

pytestmark = needs_server

TOKEN = "probe-token-7c41d9e2b5a8"
PASSWORD = "probe-pass-3e8a1f6c0d92"
VIOLATION = "-ERR 'Authorization Violation'"


def nats_url(port: int) -> str:
    return f"nats://127.0.0.1:{port}"


def test_token_right_wrong_and_missing(tmp_path: Path) -> None:
    write(tmp_path, {"server.conf": f'authorization {{ token: "{TOKEN}" }}\n'})
    wrong = TOKEN[::-1]
    with serving(tmp_path, "server.conf") as server:
        right = probe(nats_url(server.port), "--token", TOKEN, secrets=(TOKEN,))
        refused = probe(nats_url(server.port), "--token", wrong, secrets=(TOKEN, wrong))
        missing = probe(nats_url(server.port), secrets=(TOKEN,))
        in_url = probe(f"nats://{TOKEN}@127.0.0.1:{server.port}", secrets=(TOKEN,))
    assert right.code == 0 and right.data["verdict"] == "accepted"
    assert right.step("info")["details"]["auth_required"] is True
    assert right.step("info")["details"]["version"] == "2.9.10"
    assert "CONNECT with a token (auth_token): PONG (logged in)" in right.text
    assert refused.code == 1 and refused.data["reason"] == VIOLATION
    assert refused.step("connect")["said"] == VIOLATION
    assert "REFUSED: -ERR 'Authorization Violation'" in refused.text and "Likely causes" in refused.text
    assert [c["title"] for c in refused.data["causes"]] == ["NATS: Authorization Violation"]
    assert missing.code == 1 and "CONNECT with no credentials" in missing.text and missing.data["reason"] == VIOLATION
    assert in_url.code == 0 and "a token (auth_token, from the URL): PONG" in in_url.text


def test_users_right_and_wrong_password(tmp_path: Path) -> None:
    write(tmp_path, {"server.conf": f'authorization {{ users = [ {{user: alice, password: "{PASSWORD}"}} ] }}\n'})
    wrong = "not-" + PASSWORD
    with serving(tmp_path, "server.conf") as server:
        right = probe(nats_url(server.port), "--user", "alice", "--password", PASSWORD, secrets=(PASSWORD,))
        refused = probe(nats_url(server.port), "--user", "alice", "--password", wrong, secrets=(PASSWORD, wrong))
        url = probe(f"nats://alice:{PASSWORD}@127.0.0.1:{server.port}", secrets=(PASSWORD,))
    assert right.code == 0 and "CONNECT with user 'alice' and a password: PONG (logged in)" in right.text
    assert refused.code == 1 and refused.step("connect")["said"] == VIOLATION
    assert url.code == 0 and "(from the URL)" in url.text


def test_no_auth_server_accepts_and_says_so(tmp_path: Path) -> None:
    write(tmp_path, {"server.conf": "max_payload: 65536\n"})
    with serving(tmp_path, "server.conf") as server:
        bare = probe(nats_url(server.port))
        with_token = probe(nats_url(server.port), "--token", TOKEN, secrets=(TOKEN,))
    assert bare.code == 0 and bare.data["reason"] == "the server requires no authentication"
    assert "no auth required" in bare.text and "max_payload 65536" in bare.text
    assert with_token.code == 0 and "the credentials given were not checked" in with_token.text


def test_nkey_user_right_and_other_seed(tmp_path: Path) -> None:
    user, other = Key.new("user"), Key.new("user")
    write(tmp_path, {
        "server.conf": f"authorization {{ users = [ {{nkey: {user.public}}} ] }}\n",
        "user.nk": user.seed + "\n",
        "other.nk": other.seed + "\n",
    })
    with serving(tmp_path, "server.conf") as server:
        right = probe(nats_url(server.port), "--nkey", str(tmp_path / "user.nk"), secrets=(user.seed, other.seed))
        refused = probe(nats_url(server.port), "--nkey", str(tmp_path / "other.nk"), secrets=(user.seed, other.seed))
    assert right.code == 0 and right.step("info")["details"]["nonce"]
    assert right.step("credentials")["details"]["nkey"] == user.public
    assert f"CONNECT with nkey {user.public} and a signature of the nonce: PONG" in right.text
    assert refused.code == 1 and refused.step("connect")["said"] == VIOLATION


def _operator_server(tmp_path: Path, op: Operator, users: dict[str, tuple[Key, int | None]]) -> dict[str, str]:
    """The operator config and one creds file per user (name -> (key, exp)); the JWTs returned."""
    jwts = {}
    files = {"server.conf": op.config()}
    for name, (key, exp) in users.items():
        jwts[name] = op.user_jwt(key, name, exp)
        files[f"{name}.creds"] = creds_file(jwts[name], key.seed)
    write(tmp_path, files)
    return jwts


def test_operator_mode_valid_expired_and_expiring_user_jwts(tmp_path: Path) -> None:
    op, user = Operator.new(), Key.new("user")
    now = int(time.time())
    jwts = _operator_server(tmp_path, op, {"valid": (user, now + 3 * 3600), "old": (user, now - 3 * 3600),
                                           "soon": (user, now + 3), "later": (user, now + 7)})
    secrets = (user.seed, *jwts.values(), op.account.seed, op.operator.seed)
    with serving(tmp_path, "server.conf") as server:
        valid = probe(nats_url(server.port), "--creds", str(tmp_path / "valid.creds"), secrets=secrets)
        old = probe(nats_url(server.port), "--creds", str(tmp_path / "old.creds"), secrets=secrets)
        # the JWT expires while the probe is connected: the server closes it with its own words
        soon = probe(nats_url(server.port), "--creds", str(tmp_path / "soon.creds"), "--timeout", "6", secrets=secrets,
                     json_args=(nats_url(server.port), "--creds", str(tmp_path / "later.creds"), "--timeout", "6"))

    assert valid.code == 0 and valid.step("connect")["said"] == "PONG"
    credentials = valid.step("credentials")
    assert credentials["details"]["name"] == "valid" and credentials["details"]["iss"] == op.account.public
    assert credentials["details"]["sub"] == user.public and credentials["details"]["type"] == "user"
    assert "expires in 3 h" in credentials["summary"]

    assert old.code == 1 and old.data["reason"] == VIOLATION
    assert old.step("credentials")["outcome"] == "warning" and "expired 3 h ago" in old.text
    assert "the user JWT has expired" in old.step("connect")["summary"]
    assert old.data["causes"][0]["title"] == "NATS: User/Account Authentication Expired"

    assert soon.code == 1 and soon.data["reason"] == "-ERR 'User Authentication Expired'"
    assert soon.step("connect")["outcome"] == "ok" and soon.step("expiry")["said"] == "-ERR 'User Authentication Expired'"
    assert "REFUSED: -ERR 'User Authentication Expired'" in soon.text
    assert [c["title"] for c in soon.data["causes"]] == ["NATS: User/Account Authentication Expired"]


def test_a_creds_file_of_another_account_is_refused(tmp_path: Path) -> None:
    op, stranger, user = Operator.new(), Operator.new(), Key.new("user")
    jwt = stranger.user_jwt(user, "stranger", None)
    write(tmp_path, {"server.conf": op.config(), "stranger.creds": creds_file(jwt, user.seed)})
    with serving(tmp_path, "server.conf") as server:
        found = probe(nats_url(server.port), "--creds", str(tmp_path / "stranger.creds"), secrets=(jwt, user.seed))
    assert found.code == 1 and found.data["reason"] == VIOLATION
    assert "never expires" in found.step("credentials")["summary"]


def test_tls_required_server_with_and_without_the_ca(tmp_path: Path) -> None:
    ca, cert, key = certificates(tmp_path)
    write(tmp_path, {"server.conf": (
        f'tls {{ cert_file: "{cert}", key_file: "{key}" }}\n'
        f'authorization {{ token: "{TOKEN}" }}\n'
    )})
    with serving(tmp_path, "server.conf") as server:
        trusted = probe(nats_url(server.port), "--token", TOKEN, "--tls-ca", str(ca), secrets=(TOKEN,))
        scheme = probe(f"tls://127.0.0.1:{server.port}", "--token", TOKEN, "--tls-ca", str(ca), secrets=(TOKEN,))
        untrusted = probe(nats_url(server.port), "--token", TOKEN, secrets=(TOKEN,))
    assert trusted.code == 0 and trusted.step("tls")["outcome"] == "ok" and "TLS required" in trusted.text
    assert scheme.code == 0 and scheme.step("tls")["details"]["version"].startswith("TLS")
    assert untrusted.code == 2 and untrusted.data["reason"].startswith("TLS handshake failed: unable to get local issuer")
    assert untrusted.step("tls")["outcome"] == "failed" and "give the CA that signed it with --tls-ca" in untrusted.text


def test_tls_scheme_against_a_plain_server(tmp_path: Path) -> None:
    write(tmp_path, {"server.conf": "\n"})
    with serving(tmp_path, "server.conf") as server:
        found = probe(f"tls://127.0.0.1:{server.port}")
    assert found.code == 2 and "offers none" in found.data["reason"]


def test_monitor_reports_varz_values_and_a_clock_that_agrees(tmp_path: Path) -> None:
    write(tmp_path, {"server.conf": f'ping_interval: "45s"\nping_max: 3\nauthorization {{ token: "{TOKEN}", timeout: 4 }}\n'})
    with serving(tmp_path, "server.conf") as server:
        found = probe(nats_url(server.port), "--token", TOKEN, "--monitor", f"http://127.0.0.1:{server.http}",
                      secrets=(TOKEN,))
    varz = found.step("varz")
    assert found.code == 0 and varz["outcome"] == "ok"
    assert varz["details"]["ping_interval"] == 45 * 10**9 and varz["details"]["ping_max"] == 3
    assert varz["details"]["auth_timeout"] == 4
    assert "ping_interval 45 s, ping_max 3, auth_timeout 4 s" in found.text
    assert found.step("clock")["outcome"] == "ok" and "clocks agree" in found.text


def test_a_server_clock_ten_minutes_ahead_is_a_warning(tmp_path: Path) -> None:
    op, user = Operator.new(), Key.new("user")
    jwts = _operator_server(tmp_path, op, {"edge": (user, int(time.time()) + 300)})
    with serving(tmp_path, "server.conf") as server, fake_varz(datetime.timedelta(minutes=10)) as http:
        found = probe(nats_url(server.port), "--creds", str(tmp_path / "edge.creds"), "--monitor", f"127.0.0.1:{http}",
                      secrets=(user.seed, jwts["edge"]))
    clock = found.step("clock")
    assert found.code == 0 and clock["outcome"] == "warning"
    assert 595 < clock["details"]["skew_seconds"] < 605
    assert "600 s ahead of this machine's" in found.text
    assert "by the server's clock the user JWT expired 5 min ago" in found.text  # valid here, expired there
    assert found.step("varz")["outcome"] == "warning"  # its server_id is not the client port's


def test_unreachable_port_and_a_monitor_that_is_down() -> None:
    port = free_port()
    found = probe(nats_url(port), "--monitor", f"http://127.0.0.1:{free_port()}")
    assert found.code == 2 and found.data["verdict"] == "unreachable"
    assert f"cannot connect to 127.0.0.1:{port}" in found.data["reason"] and "refused" in found.data["reason"].lower()
    assert found.step("varz")["outcome"] == "failed"


def test_a_port_that_speaks_another_protocol() -> None:
    with banner_server(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n") as port:
        ssh = probe(nats_url(port), "--timeout", "2")
    assert ssh.code == 2 and "not a NATS server: the first line was 'SSH-2.0-OpenSSH_9.2p1" in ssh.data["reason"]
    with fake_varz(datetime.timedelta(0)) as http:  # an HTTP port waits for the client to speak first
        silent = probe(nats_url(http), "--timeout", "1")
    assert silent.code == 2 and silent.data["reason"].startswith("no INFO within 1 s: not a NATS client port")


@pytest.mark.parametrize("content", ["not a creds file\n", "-----BEGIN NATS USER JWT-----\neyJx.eyJ5.c2ln\n------END NATS USER JWT------\n"
                                     "-----BEGIN USER NKEY SEED-----\nSUAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
                                     "------END USER NKEY SEED------\n"])
def test_an_unusable_creds_file_is_a_usage_error(tmp_path: Path, content: str) -> None:
    (tmp_path / "bad.creds").write_text(content)
    found = probe("nats://127.0.0.1:4222", "--creds", str(tmp_path / "bad.creds"), secrets=("SUAAAAAAAAAAAAAAAAAAAAAAAA", "eyJx.eyJ5"))
    assert found.code == 2 and found.data == {}
    assert "bad.creds" in found.stderr and ("no '-----BEGIN NATS USER JWT-----' block" in found.stderr or "not an nkey seed" in found.stderr)


def test_a_scripted_server_in_lame_duck_mode_answering_authentication_timeout() -> None:
    """nats-server sends 'Authentication Timeout' to a client slower than ``auth_timeout`` (which
    a probe sending CONNECT at once never is against a healthy server): a scripted server says it."""
    info = b'INFO {"server_id":"NSCRIPTED","version":"2.9.10","auth_required":true,"ldm":true}\r\n'
    with banner_server(info, reply=b"-ERR 'Authentication Timeout'\r\n") as port:
        found = probe(nats_url(port), "--token", TOKEN, secrets=(TOKEN,))
    assert found.code == 1 and found.data["reason"] == "-ERR 'Authentication Timeout'"
    assert found.step("info")["outcome"] == "warning" and "LAME DUCK MODE" in found.text
    assert [c["title"] for c in found.data["causes"]] == ["NATS: Authentication Timeout"]


def test_a_port_that_is_not_a_number_is_a_usage_error() -> None:
    found = probe("nats://127.0.0.1:http", "--token", TOKEN, secrets=(TOKEN,))
    assert found.code == 2 and "the port of 'nats://127.0.0.1:http' is not a number" in found.stderr
