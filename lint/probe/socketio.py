"""``authlint probe http(s)://HOST:PORT[/path]``: what a Socket.IO server tells this client.

The steps follow what a browser's socket.io-client does, one bounded request each:

1. ``handshake``: the Engine.IO polling handshake (``GET {path}?EIO=4&transport=polling``) with the
   given query, headers and ``Origin``; the server's open packet (sid, pingInterval, pingTimeout,
   maxPayload, upgrades) or its exact refusal. A server that refuses EIO=4 with "Unsupported
   protocol version" is asked again with EIO=3 (socket.io 2). When the handshake with ``Origin`` is
   refused, ``origin-check`` asks once without it, which tells whether the origin is the cause.
2. ``cors-preflight`` and ``cors``: the OPTIONS preflight and the actual answer's
   Access-Control-Allow-* headers, with the browser's verdict for ``--origin`` (cors.py).
3. ``namespace``: the Socket.IO CONNECT (``40`` + the ``--auth`` payload) posted over polling and
   the server's answer: accepted, or the exact ``connect_error`` message.
4. ``upgrade``: the websocket upgrade (websocket.py); a proxy that strips ``Upgrade`` shows here.
5. ``clock``: the server's ``Date`` header against the local clock.

A handshake answered 401/403 (an auth proxy in front, or the server) is a refusal too. A URL that
is not Socket.IO (the handshake finds no open packet and no refusal) gets the CORS answer and
clock of the URL itself, as protocol ``http``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from authlint.probe import clock
from authlint.probe.cors import BrowserVerdict, allowed_headers, check, preflight_headers
from authlint.probe.engineio import (
    MAX_SAID,
    UNSUPPORTED_VERSION,
    OpenPacket,
    connect_answer,
    connect_packet,
    engine_path,
    open_packet,
    packets,
    refusal,
)
from authlint.probe.http import HttpFailure, Request, Response, Target, send, with_query
from authlint.probe.options import ProbeOptions
from authlint.probe.redact import Redactor
from authlint.probe.report import ACCEPTED, REFUSED, UNREACHABLE, ProbeReport, Step
from authlint.probe.websocket import upgrade

DEFAULT_PATH = "/socket.io/"
CORS_HEADERS = ("Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Vary")


def probe(options: ProbeOptions, redactor: Redactor) -> ProbeReport:
    """Run the steps against ``options.url``; never prints, never raises for a server's answer."""
    return SocketIOProbe(options, redactor).run()


def socketio_path(options: ProbeOptions, target: Target) -> str:
    """``--path`` when given; otherwise the URL's own path when it has one; else ``/socket.io/``."""
    if options.path and options.path != DEFAULT_PATH:
        return "/" + options.path.lstrip("/")
    return target.path if target.path not in ("", "/") else DEFAULT_PATH


class SocketIOProbe:
    def __init__(self, options: ProbeOptions, redactor: Redactor) -> None:
        self.options = options
        self.redactor = redactor
        self.target = Target.from_url(options.url, options.tls_ca)
        self.path = socketio_path(options, self.target)
        self.report = ProbeReport(target=options.url, protocol="socketio")
        self.cookies: dict[str, str] = {}  # set by the handshake (sticky sessions), sent back after
        # ``--query EIO=3`` asks as a socket.io 2 client would; the other Engine.IO parameters are the probe's
        self.eio = 3 if options.query.get("EIO") == "3" else 4
        self.query = {k: v for k, v in options.query.items() if k not in ("EIO", "transport", "sid", "b64")}
        self.fell_back = False  # EIO=4 refused as "Unsupported protocol version", EIO=3 asked next

    # --- requests ---------------------------------------------------------------------------

    def headers(self, origin: bool = True) -> dict[str, str]:
        """The headers of every request: --header values, the Origin, the session's cookies."""
        found = dict(self.options.headers)
        if origin and self.options.origin:
            found["Origin"] = self.options.origin
        if self.cookies:
            given = found.pop("Cookie", None) or found.pop("cookie", None)
            jar = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            found["Cookie"] = f"{given}; {jar}" if given else jar
        return found

    def send(self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None) -> Response:
        request = Request(method, path, self.headers() if headers is None else headers,
                          body.encode("utf-8") if body is not None else None)
        return send(self.target, request, self.options.timeout)

    def keep_cookies(self, response: Response) -> None:
        for value in response.values("Set-Cookie"):
            name, eq, rest = value.partition(";")[0].partition("=")
            if eq and name.strip():
                self.cookies[name.strip()] = rest.strip()

    # --- the steps --------------------------------------------------------------------------

    def run(self) -> ProbeReport:
        where = f"{self.target.host_header}"
        try:
            eio, response = self.eio, self.send("GET", engine_path(self.path, self.eio, query=self.query))
        except HttpFailure as exc:
            self.report.add(Step("handshake", "failed", f"no answer from {where}: {exc}",
                                 {"path": self.path, "error": str(exc)}))
            self.report.conclude(UNREACHABLE, f"no answer from {where}: {exc}")
            return self.report
        refused = refusal(response.text()) if response.status >= 400 else None
        if refused and eio == 4 and UNSUPPORTED_VERSION in refused[1].lower():
            self.report.add(Step("handshake", "info", f"EIO=4 refused: {refused[0]}; asking again with EIO=3",
                                 {"eio": 4, "status": response.status, "body": refused[0]}, said=refused[0]))
            self.fell_back = True
            try:
                eio, response = 3, self.send("GET", engine_path(self.path, 3, query=self.query))
            except HttpFailure as exc:
                self.report.add(Step("handshake-eio3", "failed", f"no answer: {exc}", {"error": str(exc)}))
                self.report.conclude(UNREACHABLE, f"no answer to the EIO=3 handshake: {exc}")
                return self.report
        opened = open_packet(response.text(), eio) if 200 <= response.status < 300 else None
        if opened is None and eio == 4 and 200 <= response.status < 300:
            opened = open_packet(response.text(), 3)  # engine.io 3 (socket.io 2) answers any EIO in its framing
            eio = 3 if opened is not None else eio
        if opened is not None:
            self.socketio(eio, response, opened)
        elif response.status >= 400 and (refused := refusal(response.text())) is not None:
            self.refused_handshake(eio, response, *refused)
        elif response.status in (401, 403):  # an auth proxy (or a server) refusing before Engine.IO
            body = " ".join(response.text().split())[:MAX_SAID]
            said = f"HTTP {response.status} {response.reason}" + (f": {body}" if body else "")
            self.refused_handshake(eio, response, body or "(an empty body)", said)
        else:
            self.plain_http(response)
        return self.report

    def handshake_name(self, eio: int) -> str:
        return "handshake-eio3" if eio == 3 and self.fell_back else "handshake"

    def socketio(self, eio: int, response: Response, opened: OpenPacket) -> None:
        self.keep_cookies(response)
        details = {
            "eio": eio, "status": response.status, "sid": opened.short_sid, "upgrades": opened.upgrades,
            "pingInterval": opened.ping_interval, "pingTimeout": opened.ping_timeout,
            "maxPayload": opened.max_payload, "path": self.path,
        }
        summary = (f"Engine.IO {eio} at {self.path}: sid {opened.short_sid}, pingInterval {opened.ping_interval} ms, "
                   f"pingTimeout {opened.ping_timeout} ms"
                   + (f", maxPayload {opened.max_payload}" if opened.max_payload is not None else "")
                   + f", upgrades {', '.join(opened.upgrades) or 'none'}")
        self.report.add(Step(self.handshake_name(eio), "ok", summary, details))
        verdict = self.cors(response)
        answer = self.namespace(eio, opened, response)
        self.close(eio, opened.sid)
        self.upgrade(eio, opened)
        self.clock(response)
        if answer is None:
            return  # namespace() concluded (no answer)
        accepted, said = answer
        if not accepted:
            self.report.conclude(REFUSED, said)
        elif verdict is not None and not verdict.without_credentials:
            self.report.conclude(REFUSED, f"the browser's CORS check fails for {verdict.origin}: {verdict.why}"
                                          " (the server itself accepted the connect)")
        else:
            self.report.conclude(ACCEPTED, said)

    def refused_handshake(self, eio: int, response: Response, said: str, message: str) -> None:
        self.report.add(Step(self.handshake_name(eio), "refused",
                             f"HTTP {response.status} {response.reason}: {said}",
                             {"eio": eio, "status": response.status, "body": said, "path": self.path}, said=said))
        reason = message
        if self.options.origin:
            reason = self.origin_check(eio, message)
        self.cors(response)
        self.report.add(Step("namespace", "skipped", "not tried: the handshake was refused"))
        self.clock(response)
        self.report.conclude(REFUSED, reason)

    def origin_check(self, eio: int, message: str) -> str:
        """The same handshake without ``Origin``: accepted means the origin is what is refused."""
        try:
            response = self.send("GET", engine_path(self.path, eio, query=self.query),
                                 headers=self.headers(origin=False))
        except HttpFailure as exc:
            self.report.add(Step("origin-check", "failed", f"the handshake without Origin got no answer: {exc}"))
            return message
        opened = open_packet(response.text(), eio) if 200 <= response.status < 300 else None
        if opened is None:
            said = response.text().strip()[:200]
            self.report.add(Step("origin-check", "info",
                                 f"without Origin too: HTTP {response.status} {said}",
                                 {"status": response.status}))
            return message
        self.close(eio, opened.sid)
        self.report.add(Step("origin-check", "refused",
                             f"the same handshake without Origin is accepted: the origin {self.options.origin} is refused",
                             {"status": response.status}))
        return f"{message} (origin not allowed: the same handshake without Origin is accepted)"

    def cors(self, response: Response, path: str | None = None) -> BrowserVerdict | None:
        """The preflight and the actual answer's CORS headers, judged for ``--origin``."""
        origin = self.options.origin
        headers = {name: response.header(name) for name in CORS_HEADERS if response.header(name) is not None}
        if not origin:
            carried = "; ".join(f"{name}: {value}" for name, value in headers.items())
            self.report.add(Step("cors", "skipped", "no --origin given (a same-origin page or a non-browser client)"
                                 + (f"; the answer carries {carried}" if carried else ""), {"headers": headers}))
            return None
        wanted = preflight_headers(self.options.headers)
        self.preflight(origin, path or engine_path(self.path, self.eio, query=self.query), wanted)
        verdict = check(origin, response.values("Access-Control-Allow-Origin"),
                        response.values("Access-Control-Allow-Credentials"), response.values("Vary"))
        outcome = "ok" if verdict.with_credentials else "warning" if verdict.without_credentials else "refused"
        if verdict.notes and outcome == "ok":
            outcome = "warning"
        summary = verdict.summary() + "".join(f"; {note}" for note in verdict.notes)
        self.report.add(Step("cors", outcome, summary, {
            "origin": origin, "status": response.status, "headers": headers,
            "without_credentials": verdict.without_credentials, "with_credentials": verdict.with_credentials,
            "notes": verdict.notes}))
        return verdict

    def preflight(self, origin: str, path: str, wanted: list[str]) -> None:
        request_headers = {"Origin": origin, "Access-Control-Request-Method": "GET"}
        if wanted:
            request_headers["Access-Control-Request-Headers"] = ",".join(wanted)
        needed = ("a browser sends it: the page adds " + ", ".join(wanted)) if wanted else \
            "a browser skips it: no custom headers"
        try:
            response = self.send("OPTIONS", path, headers=request_headers)
        except HttpFailure as exc:
            self.report.add(Step("cors-preflight", "failed" if wanted else "info",
                                 f"OPTIONS got no answer: {exc} ({needed})"))
            return
        verdict = check(origin, response.values("Access-Control-Allow-Origin"),
                        response.values("Access-Control-Allow-Credentials"), response.values("Vary"))
        missing = allowed_headers(response.header("Access-Control-Allow-Headers"), wanted, verdict.with_credentials)
        problems = []
        if not 200 <= response.status < 300:
            problems.append(f"HTTP {response.status} {response.reason}")
        if not verdict.without_credentials:
            problems.append(verdict.why)
        if missing:
            problems.append("Access-Control-Allow-Headers lacks " + ", ".join(missing))
        headers = {name: response.header(name) for name in
                   (*CORS_HEADERS, "Access-Control-Allow-Methods", "Access-Control-Allow-Headers")
                   if response.header(name) is not None}
        if problems:
            outcome = "refused" if wanted else "info"
            summary = "preflight fails: " + "; ".join(problems) + f" ({needed})"
        else:
            outcome = "ok"
            summary = f"preflight passes (HTTP {response.status}; {needed})"
        body = response.text().strip()[:200] if response.status >= 400 else None
        self.report.add(Step("cors-preflight", outcome, summary,
                             {"status": response.status, "headers": headers, "missing_headers": missing},
                             said=body if outcome == "refused" and body else None))

    def namespace(self, eio: int, opened: OpenPacket, handshake: Response) -> tuple[bool, str] | None:
        """CONNECT to ``/`` with the auth payload; (accepted, what the server said) or None when
        it did not answer (the report is then concluded)."""
        keys = ", ".join(sorted(self.options.auth)) or "none"
        if eio == 3 and self.options.auth:  # socket.io 2 joins "/" at the handshake, with no auth payload
            keys = "none: Engine.IO 3 has no auth payload, the --auth values were not sent"
        found = packets(handshake.text(), eio)[1:]  # EIO=3 servers may join "/" in the handshake answer
        try:
            if eio == 4:
                posted = self.send("POST", engine_path(self.path, eio, sid=opened.sid, query=self.query),
                                   body=connect_packet(self.options.auth))
                if posted.status >= 400:
                    said = posted.text().strip()[:200]
                    self.report.add(Step("namespace", "refused", f"the CONNECT post got HTTP {posted.status}: {said}",
                                         {"status": posted.status, "auth_keys": keys}, said=said))
                    return False, said
            polls = 0
            while connect_answer(found) is None and polls < 2:  # a ping or noop may come first
                polls += 1
                poll = self.send("GET", engine_path(self.path, eio, sid=opened.sid, query=self.query))
                if poll.status >= 400:
                    said = poll.text().strip()[:200]
                    self.report.add(Step("namespace", "refused", f"the poll got HTTP {poll.status}: {said}",
                                         {"status": poll.status, "auth_keys": keys}, said=said))
                    return False, said
                found += packets(poll.text(), eio)
        except HttpFailure as exc:
            self.report.add(Step("namespace", "failed", f"no answer to the CONNECT: {exc}", {"auth_keys": keys}))
            self.report.conclude(UNREACHABLE, f"the server did not answer the namespace CONNECT: {exc}")
            return None
        answer = connect_answer(found)
        if answer is None:
            self.report.add(Step("namespace", "failed", "no CONNECT answer in two polls", {"auth_keys": keys}))
            self.report.conclude(UNREACHABLE, "the server did not answer the namespace CONNECT")
            return None
        details = {"namespace": "/", "auth_keys": keys, "packet": answer.packet}
        if answer.accepted:
            details["packet"] = answer.packet[:12] + "…" if len(answer.packet) > 16 else answer.packet
            self.report.add(Step("namespace", "ok", f"CONNECT to / (auth keys: {keys}) accepted", details))
            return True, f"namespace / accepted the CONNECT (auth keys: {keys})"
        message = answer.message or ""
        if answer.data is not None:
            details["data"] = answer.data
        self.report.add(Step("namespace", "refused", f"CONNECT to / (auth keys: {keys}) refused: connect_error "
                             f"{message!r}", details, said=message))
        return False, message

    def close(self, eio: int, sid: str) -> None:
        """Tell the server the probe's session is over (Engine.IO close packet); errors do not matter."""
        try:
            self.send("POST", engine_path(self.path, eio, sid=sid, query=self.query), body="1")
        except HttpFailure:
            pass

    def upgrade(self, eio: int, opened: OpenPacket) -> None:
        if "websocket" not in opened.upgrades:
            self.report.add(Step("upgrade", "info", "the server offers no websocket upgrade (polling only)"))
            return
        path = engine_path(self.path, eio, transport="websocket", query=self.query)
        try:
            found = upgrade(self.target, path, self.headers(), self.options.timeout)
        except HttpFailure as exc:
            self.report.add(Step("upgrade", "failed", f"the websocket upgrade got no answer: {exc}"))
            return
        details = {"status": found.status, "upgrade": found.header("Upgrade"), "connection": found.header("Connection")}
        if found.status != 101:
            said = found.body[:200]
            self.report.add(Step("upgrade", "warning",
                                 f"HTTP {found.status} {found.reason} instead of 101 Switching Protocols"
                                 + (f": {said}" if said else "")
                                 + " (a proxy that drops Upgrade/Connection, or the server refusing websocket)",
                                 details, said=said or None))
        elif not found.accept_ok:
            self.report.add(Step("upgrade", "failed", "101 but a wrong Sec-WebSocket-Accept: not a websocket server",
                                 details))
        elif found.first_frame is None or open_packet(found.first_frame, 4) is None:
            why = found.frame_error or "the first frame is not an Engine.IO open packet"
            self.report.add(Step("upgrade", "warning", f"101 Switching Protocols, then {why}", details))
        else:
            self.report.add(Step("upgrade", "ok", "websocket upgrade accepted (101 Switching Protocols, "
                                 "Engine.IO open packet over websocket)", details))

    def clock(self, response: Response) -> None:
        date = response.header("Date")
        if not date:
            self.report.add(Step("clock", "skipped", "the server sent no Date header"))
            return
        found = clock.from_http_date(date, response.sent, response.received)
        if found is None:
            self.report.add(Step("clock", "info", f"unreadable Date header {date!r}", {"date": date}))
            return
        self.report.add(Step("clock", "warning" if found.notable else "ok", f"Date {date}: {found.describe()}",
                             {"date": date, "skew_seconds": round(found.seconds, 1),
                              "uncertainty_seconds": round(found.uncertainty, 1)}))

    # --- not Socket.IO ------------------------------------------------------------------------

    def plain_http(self, handshake: Response) -> None:
        self.report.protocol = "http"
        kind = "no Engine.IO open packet" if handshake.status < 400 else "no Engine.IO answer"
        self.report.add(Step("handshake", "info", f"not Socket.IO at {self.path}: HTTP {handshake.status} "
                             f"{handshake.reason}, {kind}", {"status": handshake.status, "path": self.path}))
        page = with_query(self.target.path or "/", self.options.query)
        try:
            response = self.send("GET", page)
        except HttpFailure as exc:
            self.report.add(Step("http", "failed", f"GET {urlsplit(page).path} got no answer: {exc}"))
            self.report.conclude(UNREACHABLE, f"GET {urlsplit(page).path}: {exc}")
            return
        self.report.add(Step("http", "ok" if response.status < 400 else "info",
                             f"GET {urlsplit(page).path}: HTTP {response.status} {response.reason}",
                             {"status": response.status, "content_type": response.header("Content-Type")}))
        verdict = self.cors(response, path=page)
        self.clock(response)
        if verdict is None:
            self.report.conclude(ACCEPTED, f"the server answered HTTP {response.status} (no --origin: no CORS verdict)")
        elif verdict.without_credentials:
            self.report.conclude(ACCEPTED, verdict.summary())
        else:
            self.report.conclude(REFUSED, f"the browser's CORS check fails for {verdict.origin}: {verdict.why}")
