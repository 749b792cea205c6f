"""``authlint probe nats://HOST:PORT``: log in the way a client does, and report the server's words.

Steps (each one bounded by ``--timeout``, none retried): ``credentials`` (read a creds/nkey file;
a user JWT's expiry against the local clock), ``info`` (the server's INFO), ``tls`` (the upgrade,
when the server requires it or the scheme is ``tls://``), ``connect`` (CONNECT + PING: PONG or the
exact ``-ERR``), ``expiry`` (a user JWT that expires within the timeout is watched until the server
closes with ``User Authentication Expired``), and with ``--monitor`` ``varz`` and ``clock``.
"""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from authlint.probe import natscreds, natsvarz
from authlint.probe.natsproto import ProtocolError, Wire, connect_line, shown
from authlint.probe.options import ProbeOptions, ProbeUsageError
from authlint.probe.redact import Redactor
from authlint.probe.report import ACCEPTED, REFUSED, UNREACHABLE, ProbeReport, Step, explained

DEFAULT_PORT = 4222
EXPIRED = "User Authentication Expired"


@dataclass
class Login:
    """What CONNECT will carry, and how the report names it (never the secret itself)."""

    fields: dict[str, Any] = field(default_factory=dict)
    described: str = "no credentials"
    seed: natscreds.Seed | None = None  # signs the nonce (creds and nkey logins)
    jwt: str | None = None
    jwt_exp: float | None = None

    @property
    def given(self) -> bool:
        return self.described != "no credentials"


def probe(options: ProbeOptions, redactor: Redactor) -> ProbeReport:
    report = ProbeReport(target=options.url, protocol="nats")
    parts = urlsplit(options.url)
    host = parts.hostname or ""
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise ProbeUsageError(f"the port of {options.url!r} is not a number") from None
    login = credentials(options, redactor, report)
    talk(options, host, port, login, report)
    if options.monitor:
        monitor(options, report, login)
    return report


def credentials(options: ProbeOptions, redactor: Redactor, report: ProbeReport) -> Login:
    """The login from the options (or the URL's userinfo); a creds/nkey file is read here, its
    secrets given to the redactor first (an unusable file is a usage error)."""
    try:
        if options.creds:
            creds = natscreds.read_creds(options.creds, redactor)
            summary, shown_claims, expired = natscreds.describe_user_jwt(creds.jwt)
            exp = shown_claims.get("exp")
            report.add(Step("credentials", "warning" if expired else "info", summary, shown_claims))
            return Login({"jwt": creds.jwt}, f"the user JWT of {options.creds} and a signature of the nonce",
                         creds.seed, creds.jwt, float(exp) if isinstance(exp, (int, float)) else None)
        if options.nkey:
            seed = natscreds.read_nkey(options.nkey, redactor)
            public = seed.public_key()
            kind = f" (a {seed.kind} seed: a client logs in with a user seed)" if seed.kind != "user" else ""
            report.add(Step("credentials", "info" if not kind else "warning",
                            f"nkey {public} from {options.nkey}{kind}", {"nkey": public, "kind": seed.kind}))
            return Login({"nkey": public}, f"nkey {public} and a signature of the nonce", seed)
    except natscreds.CredentialsError as exc:  # bad input: a usage error (exit 2), the secret never in it
        raise ProbeUsageError(str(exc)) from None
    parts = urlsplit(options.url)
    if options.token:
        return Login({"auth_token": options.token}, "a token (auth_token)")
    if options.user:
        return Login({"user": options.user, "pass": options.password or ""}, f"user {options.user!r} and a password")
    if parts.username and parts.password is not None:
        user = unquote(parts.username)
        return Login({"user": user, "pass": unquote(parts.password)}, f"user {user!r} and a password (from the URL)")
    if parts.username:
        return Login({"auth_token": unquote(parts.username)}, "a token (auth_token, from the URL)")
    return Login()


def talk(options: ProbeOptions, host: str, port: int, login: Login, report: ProbeReport) -> None:
    """INFO, TLS, CONNECT + PING on one connection; the verdict from the server's answer."""
    try:
        wire = Wire.open(host, port, options.timeout)
    except TimeoutError:
        reason = f"no connection to {host}:{port} within {options.timeout:g} s (a firewall dropping packets, a wrong host)"
        report.add(Step("info", "failed", reason))
        report.conclude(UNREACHABLE, reason)
        return
    except OSError as exc:
        reason = f"cannot connect to {host}:{port}: {exc.strerror or exc}"
        report.add(Step("info", "failed", reason))
        report.conclude(UNREACHABLE, reason)
        return
    try:
        info = server_info(wire, login, report)
        if info is None:
            return
        if not upgrade(options, host, wire, info, report):
            return
        login_and_ping(options, wire, info, login, report)
    finally:
        wire.close()


def server_info(wire: Wire, login: Login, report: ProbeReport) -> dict[str, Any] | None:
    try:
        info = wire.read_info()
    except ProtocolError as exc:
        report.add(Step("info", "failed", str(exc)))
        report.conclude(UNREACHABLE, str(exc))
        return None
    except OSError as exc:
        reason = f"reading INFO failed: {exc.strerror or exc}"
        report.add(Step("info", "failed", reason))
        report.conclude(UNREACHABLE, reason)
        return None
    facts = [f"nats-server {info.get('version', '?')}", f"server_id {info.get('server_id', '?')}"]
    facts.append("auth required" if info.get("auth_required") else "no auth required")
    if info.get("tls_required"):
        facts.append("TLS required")
    elif info.get("tls_available"):
        facts.append("TLS available")
    if "max_payload" in info:
        facts.append(f"max_payload {info['max_payload']}")
    if info.get("nonce"):
        facts.append("nonce sent (nkey/JWT logins sign it)")
    outcome = "ok"
    if info.get("ldm"):
        facts.append("LAME DUCK MODE: the server is shutting down and closing its clients")
        outcome = "warning"
    report.add(Step("info", outcome, ", ".join(facts), dict(info)))
    return info


def upgrade(options: ProbeOptions, host: str, wire: Wire, info: dict[str, Any], report: ProbeReport) -> bool:
    """TLS when the server requires it or the URL asks for it; False (the report concluded) on failure."""
    wanted = options.scheme == "tls"
    if not (info.get("tls_required") or wanted):
        return True
    if wanted and not (info.get("tls_required") or info.get("tls_available")):
        reason = "tls:// asks for TLS, but the server's INFO offers none (no tls_required or tls_available)"
        report.add(Step("tls", "failed", reason))
        report.conclude(UNREACHABLE, reason)
        return False
    try:
        context = ssl.create_default_context(cafile=options.tls_ca)
    except (OSError, ssl.SSLError) as exc:
        raise ProbeUsageError(f"--tls-ca {options.tls_ca}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        tls = wire.start_tls(context, host)
    except ssl.SSLCertVerificationError as exc:
        hint = "" if options.tls_ca else " (give the CA that signed it with --tls-ca)"
        reason = f"TLS handshake failed: {exc.verify_message or exc.reason}{hint}"
        report.add(Step("tls", "failed", reason))
        report.conclude(UNREACHABLE, reason)
        return False
    except (ssl.SSLError, OSError) as exc:
        reason = f"TLS handshake failed: {getattr(exc, 'reason', None) or exc}"
        report.add(Step("tls", "failed", reason))
        report.conclude(UNREACHABLE, reason)
        return False
    report.add(Step("tls", "ok", f"{tls.version()} with {host}, certificate verified",
                    {"version": tls.version(), "cipher": (tls.cipher() or ("?",))[0]}))
    return True


def login_and_ping(options: ProbeOptions, wire: Wire, info: dict[str, Any], login: Login, report: ProbeReport) -> None:
    from authlint import __version__

    fields: dict[str, Any] = {
        "verbose": False, "pedantic": False, "tls_required": isinstance(wire.sock, ssl.SSLSocket),
        "name": "authlint-probe", "lang": "python", "version": __version__, "protocol": 1, **login.fields,
    }
    nonce = info.get("nonce")
    if login.seed is not None:
        fields["sig"] = login.seed.sign(nonce if isinstance(nonce, str) else "")
    sent = f"CONNECT with {login.described}"
    if login.seed is not None and not nonce:
        sent += " (the server sent no nonce: this port does not log in with nkeys or JWTs)"
    try:
        wire.send(connect_line(fields))
        answer = wire.answer(time.monotonic() + options.timeout)
    except TimeoutError:
        reason = f"no answer to CONNECT + PING within {options.timeout:g} s"
        report.add(Step("connect", "failed", f"{sent}: {reason}"))
        report.conclude(UNREACHABLE, reason)
        return
    except ProtocolError as exc:
        partial = getattr(exc, "partial", "")
        reason = "the server closed the connection after CONNECT without an -ERR" + (f" ({shown(partial)})" if partial else "")
        report.add(Step("connect", "refused", f"{sent}: {reason}"))
        report.conclude(REFUSED, reason)
        return
    except OSError as exc:
        reason = f"the connection failed after CONNECT: {exc.strerror or exc}"
        report.add(Step("connect", "refused", f"{sent}: {reason}"))
        report.conclude(REFUSED, reason)
        return
    if answer.upper().startswith("-ERR"):
        note = ""
        if login.jwt_exp is not None and login.jwt_exp <= time.time() and "authorization violation" in answer.lower():
            note = " (the user JWT has expired: nats-server refuses an expired JWT at CONNECT this way)"
        report.add(Step("connect", "refused", f"{sent}: refused{note}", said=answer))
        report.conclude(REFUSED, answer)
        if note:  # the expired-JWT entry explains this refusal better than a wrong password does
            report.causes[:0] = [e for e in explained(EXPIRED) if e not in report.causes]
        return
    if not info.get("auth_required"):
        how = "the server requires no authentication" + (": the credentials given were not checked" if login.given else "")
        report.add(Step("connect", "ok", f"{sent}: PONG ({how})", said=answer))
        report.conclude(ACCEPTED, how)
    else:
        report.add(Step("connect", "ok", f"{sent}: PONG (logged in)", said=answer))
        report.conclude(ACCEPTED, f"the server accepted {login.described}")
    watch_expiry(options, wire, login, report)


def watch_expiry(options: ProbeOptions, wire: Wire, login: Login, report: ProbeReport) -> None:
    """A user JWT that expires within the timeout: stay connected past its ``exp`` and report the
    server closing the connection (``-ERR 'User Authentication Expired'``), as a client would see it."""
    if login.jwt_exp is None:
        return
    left = login.jwt_exp - time.time()
    if left < -2.0:  # expired by this clock, yet accepted: the server's clock is behind (or it is not checked)
        report.add(Step("expiry", "warning", f"the server accepted a user JWT that expired "
                                             f"{natscreds.relative(left)} ago by this machine's clock: the clocks differ"))
        return
    if left > options.timeout:
        return
    deadline = time.monotonic() + min(left + 2.0, options.timeout)
    try:
        answer = wire.answer(deadline)
        while not answer.upper().startswith("-ERR"):
            answer = wire.answer(deadline)
    except TimeoutError:
        report.add(Step("expiry", "info", f"the user JWT expired {natscreds.relative(time.time() - login.jwt_exp)} "
                                          "ago and the server has not closed the connection yet"))
        return
    except (ProtocolError, OSError):
        reason = "the server closed the connection when the user JWT expired"
        report.add(Step("expiry", "refused", reason))
        report.conclude(REFUSED, reason)
        return
    report.add(Step("expiry", "refused", "the user JWT expired while connected: the server closed the connection",
                    said=answer))
    report.conclude(REFUSED, answer)


def monitor(options: ProbeOptions, report: ProbeReport, login: Login) -> None:
    """``/varz`` once: the values the server runs with, and its clock against this machine's."""
    assert options.monitor is not None
    try:
        varz = natsvarz.read_varz(options.monitor, options.timeout, options.tls_ca)
    except natsvarz.VarzError as exc:
        report.add(Step("varz", "failed", str(exc)))
        return
    details = natsvarz.shown_fields(varz)
    info = report.step("info")
    summary = natsvarz.summary(varz)
    outcome = "ok"
    if info is not None and info.details.get("server_id") and info.details["server_id"] != varz.fields.get("server_id"):
        summary += " (another server than the client port's: server_id differs)"
        outcome = "warning"
    report.add(Step("varz", outcome, summary, details))
    if varz.skew is None:
        report.add(Step("clock", "failed", f"/varz now {varz.fields.get('now')!r} is not an RFC 3339 time"))
        return
    skew = varz.skew
    line = skew.describe()
    clock_details: dict[str, Any] = {"skew_seconds": round(skew.seconds, 3), "uncertainty_seconds": round(skew.uncertainty, 3),
                                     "server_now": varz.fields.get("now")}
    if skew.notable:
        line += ": JWT expiry is judged by the server's clock, not this machine's"
        if login.jwt_exp is not None:
            by_server, _ = natscreds.expiry({"exp": login.jwt_exp}, time.time() + skew.seconds)
            line += f"; by the server's clock the user JWT {by_server.split(' (')[0]}"
            clock_details["jwt_by_server_clock"] = by_server.split(" (")[0]
    report.add(Step("clock", "warning" if skew.notable else "ok", line, clock_details))
