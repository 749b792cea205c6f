"""``authlint probe https://…`` over real TLS on loopback: ``--tls-ca`` trusts the server's CA for
the polling requests and the websocket upgrade alike; without it the certificate is refused and
nothing answered as the protocol expects (exit 2)."""

from __future__ import annotations

from pathlib import Path

from authlint.probe.options import ProbeOptions, run
from tests.probe.servers import python_socketio
from tests.probe.tls import make_certificates

TOKEN = "tls-token-7a6b5c4d3e"


def test_https_with_the_servers_ca(tmp_path: Path) -> None:
    certificates = make_certificates(tmp_path)
    with python_socketio("*", TOKEN, tls=certificates.server_context()) as url:
        trusted, _ = run(ProbeOptions(url=url, tls_ca=str(certificates.ca), auth={"token": TOKEN}, timeout=5))
        untrusted, _ = run(ProbeOptions(url=url, auth={"token": TOKEN}, timeout=5))
        wss, _ = run(ProbeOptions(url=url.replace("https://", "wss://"), tls_ca=str(certificates.ca),
                                  auth={"token": TOKEN}, timeout=5))
    assert trusted.verdict == "accepted" and wss.verdict == "accepted"
    upgrade = trusted.step("upgrade")
    assert upgrade is not None and upgrade.outcome == "ok" and upgrade.details["status"] == 101
    assert untrusted.verdict == "unreachable" and untrusted.exit_code == 2
    assert untrusted.reason is not None and "CERTIFICATE_VERIFY_FAILED" in untrusted.reason
