"""What a browser does with a server's CORS answer (the Fetch standard's CORS check, in short).

A page at ``origin`` sees a cross-origin response only when ``Access-Control-Allow-Origin`` is
exactly one value that equals the origin or is ``*``; with credentials (cookies,
``withCredentials``) the wildcard is refused and ``Access-Control-Allow-Credentials`` must be
``true``. A header repeated or listing several origins is refused outright. A reflected origin
without ``Vary: Origin`` lets a shared cache serve one origin's answer to another (socket.io#3637).
A preflight must answer 2xx, pass the same check, and allow each non-safelisted request header.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# request headers a page may send without a preflight (the Fetch standard's safelist, simplified:
# Content-Type counts only with text/plain, which is what the polling transport sends)
SAFELISTED = {"accept", "accept-language", "content-language", "content-type", "range"}
# headers the browser sets itself (a page cannot): sent by the probe, never preflighted
FORBIDDEN = {"cookie", "host", "origin", "user-agent", "referer", "connection", "content-length"}


@dataclass(frozen=True)
class BrowserVerdict:
    """Whether a page at ``origin`` would see the response, without and with credentials."""

    origin: str
    allow_origin: str | None
    allow_credentials: str | None
    vary: str | None
    without_credentials: bool
    with_credentials: bool
    why: str  # why the more permissive case fails, or what it allows
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.with_credentials:
            return f"a page at {self.origin} sees the response, with credentials too"
        if self.without_credentials:
            return f"a page at {self.origin} sees the response without credentials only ({self.why})"
        return f"a page at {self.origin} does not see the response: {self.why}"


def check(origin: str, allow_origin: list[str], allow_credentials: list[str], vary: list[str]) -> BrowserVerdict:
    """The browser's verdict on a response carrying these header values (each as sent, repeats kept)."""
    acao = ", ".join(allow_origin) if allow_origin else None
    acac = ", ".join(allow_credentials) if allow_credentials else None
    vary_text = ", ".join(vary) if vary else None
    notes: list[str] = []
    if not allow_origin:
        return BrowserVerdict(origin, acao, acac, vary_text, False, False,
                              "no Access-Control-Allow-Origin header in the answer")
    if len(allow_origin) > 1 or "," in allow_origin[0]:
        return BrowserVerdict(origin, acao, acac, vary_text, False, False,
                              f"Access-Control-Allow-Origin holds several values ({acao}); browsers accept one")
    value = allow_origin[0].strip()
    credentials_ok = len(allow_credentials) == 1 and allow_credentials[0].strip() == "true"
    if value == "*":
        why = ("Access-Control-Allow-Origin is '*', which browsers refuse for a request with credentials"
               + (" even with Access-Control-Allow-Credentials: true" if credentials_ok else ""))
        return BrowserVerdict(origin, acao, acac, vary_text, True, False, why, notes)
    if value != origin:
        return BrowserVerdict(origin, acao, acac, vary_text, False, False,
                              f"Access-Control-Allow-Origin is {value!r}, not this origin")
    vary_names = {part.strip().lower() for item in vary for part in item.split(",")}
    if "origin" not in vary_names and "*" not in vary_names:
        notes.append("the origin is reflected without 'Vary: Origin': a shared cache may serve this answer to another origin")
    if not credentials_ok:
        why = ("no 'Access-Control-Allow-Credentials: true', so a request with credentials is refused"
               if not allow_credentials else
               f"Access-Control-Allow-Credentials is {acac!r}, not 'true', so a request with credentials is refused")
        return BrowserVerdict(origin, acao, acac, vary_text, True, False, why, notes)
    return BrowserVerdict(origin, acao, acac, vary_text, True, True, "origin and credentials allowed", notes)


def preflight_headers(headers: dict[str, str]) -> list[str]:
    """The request headers (lower-case) a page's request would have to preflight."""
    return sorted(name.lower() for name in headers
                  if name.lower() not in SAFELISTED and name.lower() not in FORBIDDEN)


def allowed_headers(allow_headers: str | None, wanted: list[str], with_credentials: bool) -> list[str]:
    """Those of ``wanted`` a preflight answer does not allow (``*`` covers all but Authorization,
    and nothing at all for a request with credentials)."""
    listed = {part.strip().lower() for part in (allow_headers or "").split(",") if part.strip()}
    missing = []
    for name in wanted:
        if name in listed:
            continue
        if "*" in listed and not with_credentials and name != "authorization":
            continue
        missing.append(name)
    return missing
