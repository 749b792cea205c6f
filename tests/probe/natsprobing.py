"""Helpers for the NATS probe tests: run ``authlint probe`` in both output formats (asserting that
no secret shows in either), a CA and a server certificate for the TLS port, and a fake /varz."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

from typer.testing import CliRunner

from authlint.cli.app import app


@dataclass
class Probed:
    """One probe run in both formats: the exit code (the same in both), the text, the JSON."""

    code: int
    text: str
    data: dict[str, Any]
    stderr: str

    def step(self, name: str) -> dict[str, Any]:
        return next(step for step in self.data["steps"] if step["name"] == name)


def leaks(secrets: tuple[str, ...], *outputs: str) -> list[str]:
    """The secrets (or a 12-character piece of one) that show in any output."""
    found = []
    for secret in secrets:
        pieces = {secret} | {secret[i:i + 12] for i in range(0, max(len(secret) - 12, 0) + 1, 6)}
        if any(piece in output for piece in pieces for output in outputs):
            found.append(secret[:4] + "…")
    return found


def probe(*args: str, secrets: tuple[str, ...] = (), json_args: tuple[str, ...] | None = None) -> Probed:
    """``authlint probe ARGS`` in-process, text and JSON; fails the test if a secret is shown.
    ``json_args``: other arguments for the JSON run (a JWT that expires during a run is used once)."""
    runner = CliRunner()
    text = runner.invoke(app, ["probe", *args], prog_name="authlint")
    as_json = runner.invoke(app, ["probe", *(json_args or args), "--output-format", "json"], prog_name="authlint")
    for result in (text, as_json):
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert not leaks(secrets, text.stdout, text.stderr, as_json.stdout, as_json.stderr)
    assert text.exit_code == as_json.exit_code, (text.stdout, as_json.stdout)
    data = json.loads(as_json.stdout) if as_json.stdout.strip() else {}
    return Probed(text.exit_code, text.stdout, data, text.stderr + as_json.stderr)


def probe_process(*args: str, secrets: tuple[str, ...] = (), output_format: str = "text") -> subprocess.CompletedProcess:
    """``python -m authlint probe ARGS`` as a user runs it; fails the test if a secret is shown."""
    done = subprocess.run(
        [sys.executable, "-m", "authlint", "probe", *args, "--output-format", output_format],
        capture_output=True, text=True, timeout=60,
    )
    assert not leaks(secrets, done.stdout, done.stderr)
    return done


def certificates(folder: Path) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate for 127.0.0.1, its key), made with ``cryptography``."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "authlint probe test CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "server.pem", folder / "server-key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


@contextmanager
def fake_varz(shift: datetime.timedelta) -> Iterator[int]:
    """An HTTP server on loopback whose /varz says ``now`` is ``shift`` away from this clock
    (a server with a wrong clock); yields its port."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path != "/varz":
                self.send_error(404)
                return
            now = datetime.datetime.now(datetime.timezone.utc) + shift
            body = json.dumps({
                "server_id": "NFAKECLOCK", "version": "2.9.10", "now": now.strftime("%Y-%m-%dT%H:%M:%S.%f123Z"),
                "ping_interval": 120 * 10**9, "ping_max": 2, "auth_timeout": 2,
            }).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def banner_server(banner: bytes, reply: bytes = b"") -> Iterator[int]:
    """A TCP port that greets every client with ``banner`` (an SSH or SMTP server, say) and
    answers its first message with ``reply`` (a scripted NATS server: INFO, then an -ERR)."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.sendall(banner)
                conn.settimeout(2)
                try:
                    if conn.recv(4096) and reply:
                        conn.sendall(reply)
                        conn.recv(1024)  # until the client closes
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        listener.close()
