"""``authlint explain "ERROR TEXT"``: from a runtime error to its likely causes and the rules that find them.

The patterns are the messages real servers, clients and libraries print (nats-server's client
errors and config warnings, python-socketio/engine.io, socket.io, browsers' CORS console errors,
PyJWT and jsonwebtoken exceptions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Explanation:
    title: str
    pattern: str  # case-insensitive regex matched against the error text
    causes: tuple[str, ...]
    codes: tuple[str, ...]
    # the `authlint probe` command line that asks the running server the same question ("" where a
    # live server cannot tell: a config warning, an algorithm argument)
    probe: str = ""

    def matches(self, text: str) -> bool:
        return re.search(self.pattern, text, re.IGNORECASE) is not None


EXPLANATIONS: tuple[Explanation, ...] = (
    Explanation(
        "NATS: Authorization Violation",
        r"authori[sz]ation violation",
        (
            "The client's token, user or password matches no credential of the server config "
            "(check the config the server really loaded: includes and duplicate authorization blocks, last wins).",
            "The server holds a bcrypt hash: the client must send the plaintext secret, not the hash.",
            "Token mode vs user mode: a `token` client against `users`, or the reverse.",
            "The user exists only in another account, or `no_auth_user` names nobody.",
        ),
        ("NAT010", "NAT006", "NAT004", "NAT001"),
        "authlint probe nats://HOST:4222 --user USER --password PASSWORD  (or --token, --creds FILE, --nkey FILE)",
    ),
    Explanation(
        "NATS: Authentication Timeout",
        r"authentication timeout",
        (
            "The client did not finish CONNECT within `authorization { timeout }` (default 2 s, or TLS timeout + 1).",
            "`timeout: \"5s\"` as a string on nats-server < 2.12 is silently ignored: the timeout becomes 1 second.",
            "A slow TLS handshake or a proxy delaying the first bytes.",
        ),
        ("NAT002", "NAT006"),
        "authlint probe nats://HOST:4222 --monitor http://HOST:8222  (the INFO and /varz auth_timeout)",
    ),
    Explanation(
        "NATS: User/Account Authentication Expired",
        r"(user|account) authentication expired",
        (
            "The user or account JWT's `exp` has passed (creds file, resolver preload, operator JWT).",
            "Clocks differ between the issuer and the server.",
        ),
        ("NAT008",),
        "authlint probe nats://HOST:4222 --creds user.creds --monitor http://HOST:8222  (the JWT's expiry and the server's clock)",
    ),
    Explanation(
        "NATS: Stale Connection",
        r"stale connection",
        (
            "The peer missed `ping_max` pings sent every `ping_interval`: too low values flap on slow links.",
            "An idle timeout of a load balancer or proxy shorter than the ping interval.",
        ),
        ("NAT003", "NAT002"),
        "authlint probe nats://HOST:4222 --monitor http://HOST:8222  (the server's ping_interval and ping_max)",
    ),
    Explanation(
        "nats-server: unknown field",
        r"unknown field",
        (
            "The key does not exist at that level for this server version (`ping_timeout`, `auth_users`, `jwt_file`…).",
            "A top-level variable definition that is never used as `$NAME` is an unknown field too.",
        ),
        ("NAT001",),
    ),
    Explanation(
        "nats-server: duration warning",
        r"should be converted to a duration|unquoted duration",
        (
            "A bare integer duration is read as seconds and warns (`nats-server -t` fails on it).",
            "`ping_interval: 2m` unquoted is the integer 2,000,000 (size suffix), not two minutes.",
        ),
        ("NAT002",),
    ),
    Explanation(
        "nats-server: plaintext passwords",
        r"plaintext passwords detected",
        ("Passwords in the config are not bcrypt hashes.",),
        ("NAT004", "NAT005"),
    ),
    Explanation(
        "Socket.IO: origin not accepted",
        r"not an accepted origin|origin not allowed|bad-origin",
        (
            "The page's origin (scheme, host and port) is not in `cors_allowed_origins` / `cors.origin`.",
            "python-engineio allows only the same origin by default; native clients also send an Origin.",
            "A misspelled option (`cors_allow_origins`) is silently ignored by python-engineio.",
            "Entries need the scheme and no trailing slash: `https://app.example.com`.",
        ),
        ("SIO002", "SIO004", "SIO003"),
        "authlint probe http://HOST:PORT --origin https://YOUR-PAGE.example  (the CORS answer for that origin)",
    ),
    Explanation(
        "Socket.IO: authentication refused",
        r"authentication (required and )?failed|connection (refused|rejected) by (the )?server|connectionrefusederror|unauthori[sz]ed",
        (
            "The client sends its token in a field the server does not read (`auth.token` vs `auth['jwt']`, "
            "a header, or the query string).",
            "The token travels in the URL query, which some proxies strip or log, instead of the `auth` payload.",
            "The token expired (short lifetime, no leeway for clock skew).",
        ),
        ("SIO007", "SIO006", "SIO005", "JWT001", "JWT006"),
        "authlint probe http://HOST:PORT --auth token=TOKEN  (the namespace connect, and the server's connect_error)",
    ),
    Explanation(
        "Socket.IO / Engine.IO: ping timeout disconnects",
        r"ping timeout|client is gone|transport close",
        (
            "`ping_timeout`/`pingTimeout` too low, or given in the wrong unit (Python seconds, JS milliseconds).",
            "A blocked server event loop (blocking I/O without monkey patching) misses pings.",
        ),
        ("SIO001",),
        "authlint probe http://HOST:PORT  (the pingInterval and pingTimeout the server announces, and the websocket upgrade)",
    ),
    Explanation(
        "Browser: CORS header missing or refused",
        r"access-control-allow-origin|cors policy|cors request did not succeed",
        (
            "The server sends no CORS headers for this origin, or a wildcard together with credentials, "
            "which browsers refuse.",
            "socket.io v3+ needs the `cors` option; v2's `origins` option is ignored.",
        ),
        ("COR001", "COR002", "COR003", "SIO002", "SIO003", "SIO004"),
        "authlint probe https://HOST --origin https://YOUR-PAGE.example  (the preflight and the response headers, and the browser's verdict)",
    ),
    Explanation(
        "JWT: expired",
        r"signature has expired|expiredsignatureerror|jwt expired|token (has )?expired",
        (
            "The token's lifetime is shorter than the time between minting and use.",
            "Clock skew between the issuer and the verifier with zero leeway.",
        ),
        ("JWT001", "JWT006"),
        "authlint probe https://HOST  (the server's clock against this one, from its Date header)",
    ),
    Explanation(
        "JWT: not yet valid",
        r"not yet valid|immaturesignatureerror|jwt not active|\bnbf\b|\biat\b",
        ("The verifier's clock is behind the issuer's: allow a small leeway / clockTolerance.",),
        ("JWT006",),
        "authlint probe https://HOST  (the server's clock against this one, from its Date header)",
    ),
    Explanation(
        "JWT: bad signature or algorithm",
        r"signature verification failed|invalid signature|invalidsignatureerror|alg(orithm)? (value )?is not allowed|invalid algorithm",
        (
            "Minted with one key and verified with another (different env var, settings key or literal).",
            "Minted with one algorithm and verified with a list that excludes it (HS256 vs RS256).",
        ),
        ("JWT005", "JWT004"),
    ),
    Explanation(
        "PyJWT: algorithms required",
        r"algorithms.{0,20}argument",
        ("`jwt.decode` was called without `algorithms=`: pass the one algorithm the tokens are minted with.",),
        ("JWT003",),
    ),
)


def explain(text: str) -> list[Explanation]:
    return [entry for entry in EXPLANATIONS if entry.matches(text)]
