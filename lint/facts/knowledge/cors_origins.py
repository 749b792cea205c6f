"""How each CORS library and Socket.IO server reads its allowed-origins setting.

Knowledge, not facts: the extractors look a library up here and write what it means into
``AllowedOrigins`` / ``CorsPolicy`` (see ``authlint.facts.origins``), so rules read behaviour from
fact fields and never from a library name. Sources: /work/shared/reference (python-engineio
``cors_allowed_origins``/``cors_credentials``, the ``cors`` package behind express, socket.io and
NestJS, Flask-CORS, Starlette, django-cors-headers, ingress-nginx, Traefik).
"""

from __future__ import annotations

from dataclasses import dataclass

REGEX_CHARS = frozenset("*\\]?$^[()+")  # Flask-CORS treats an origin string holding one as a regex


@dataclass(frozen=True)
class OriginRules:
    """One library's reading of its origin setting."""

    setting: str  # the option/setting/annotation that holds the origins
    default: str  # the kind when nothing is written: "any", "reflect", "list" (none allowed), "same-origin"
    literal_star: bool = False  # ``*`` is sent as is (browsers refuse it with credentials), not echoed
    exact: bool = False  # plain entries are compared byte for byte with the browser's Origin
    enforced_by_server: bool = False  # the server refuses a connection whose Origin is not allowed
    empty_list: str = "list"  # what ``[]`` means: "list" (nothing allowed) or "check-off"
    strings_may_be_patterns: bool = False  # a string with regex characters is a regex (Flask-CORS)
    anchoring: str = "full"  # how its regexes are applied: "full", "start" (re.match), "search"
    credentials_default: bool = False  # credentials allowed when the option is not written
    shown_as: str = ""  # how messages name ``setting`` when it lives inside another option
    written_as: str = "list"  # how a fix writes origins: "list", "joined" (one string), "" (no fix)
    echo_in_code: bool = False  # hand-written headers: code authlint does not follow may check first
    quote: str = ""  # the quote new values must be written with, when the format dictates one
    credentials_text: bool = False  # credentials are header text: ``"true"`` (any case) is on
    # ``*`` inside a list allows every origin (Flask-CORS, Starlette: ``"*" in allow_origins``); the
    # cors package compares array entries exactly (``isOriginAllowed``), so there it never matches
    star_in_list: bool = True


# The cors package (express, NestJS enableCors, the socket.io ``cors`` option; @fastify/cors reads it
# the same way): no ``origin`` (or ``"*"``) is ``*`` sent literally, ``true`` reflects, strings compare
# exactly (a ``"*"`` inside an array too),
# a RegExp is ``test()``-ed (it searches), and credentials are off unless asked for.
_CORS_PACKAGE = OriginRules(setting="origin", default="any", literal_star=True, exact=True, anchoring="search",
                            star_in_list=False)

RULES: dict[str, OriginRules] = {
    "flask-cors": OriginRules(setting="origins", default="any", strings_may_be_patterns=True, anchoring="start"),
    "flask-cors-resource": OriginRules(setting="origins", default="any", strings_may_be_patterns=True,
                                       anchoring="start"),
    # Starlette: allow_origins defaults to none; allow_origin_regex is fullmatch-ed
    "starlette": OriginRules(setting="allow_origins", default="list"),
    # django-cors-headers: regexes are re.match-ed (anchored at the start only); the allow-all switch
    # is what a fix replaces with an origin list
    "django": OriginRules(setting="CORS_ALLOWED_ORIGINS", default="list", anchoring="start"),
    "aiohttp-cors": OriginRules(setting="", default="list", written_as=""),  # one dict key per origin
    "header": OriginRules(setting="", default="list", literal_star=True, written_as="", echo_in_code=True,
                          credentials_text=True),
    "express-cors": _CORS_PACKAGE,
    "fastify-cors": _CORS_PACKAGE,
    "koa-cors": OriginRules(setting="origin", default="reflect", literal_star=True, exact=True,
                            anchoring="search"),  # @koa/cors echoes the request's Origin by default
    "socket.io": OriginRules(setting="origin", default="any", literal_star=True, exact=True, anchoring="search",
                             shown_as="cors.origin"),
    # python-engineio: None (default) is same origin only, [] switches the check off, '*' echoes the
    # caller's origin, cors_credentials defaults to True; it refuses bad origins itself (HTTP 400)
    "python-socketio": OriginRules(setting="cors_allowed_origins", default="same-origin", exact=True,
                                   enforced_by_server=True, empty_list="check-off", credentials_default=True),
    # ingress-nginx: cors-allow-origin defaults to "*" (echoed), cors-allow-credentials to "true";
    # the annotation is one comma-separated string, written double-quoted
    "ingress-nginx": OriginRules(setting="nginx.ingress.kubernetes.io/cors-allow-origin", default="any",
                                 credentials_default=True, written_as="joined", quote='"'),
    "traefik": OriginRules(setting="accessControlAllowOriginList", default="list", literal_star=True),
    # nginx ``add_header Access-Control-Allow-Origin``: the value is sent as written (``*`` literally),
    # compared by browsers exactly; one header answers one origin, so no list is written; its
    # ``~`` regexes (``if``, ``map``) are PCRE searches; credentials are the header's text
    "nginx": OriginRules(setting="Access-Control-Allow-Origin", default="list", literal_star=True, exact=True,
                         anchoring="search", written_as="", credentials_text=True),
}
RULES["flask-socketio"] = RULES["python-engineio"] = RULES["python-socketio"]

# -- HOCON (lint/facts/hocon.py) --------------------------------------------------------------------
# Play's CORS filter (play.filters.cors, reference.conf and CORSConfig.allowedForOrigin): an unset or
# null `allowedOrigins` allows every origin, answered with the caller's origin when credentials are
# on (`supportsCredentials`, default true) and `*` otherwise; listed origins compare exactly (a Set);
# a "*" entry answers `*` to any origin no other entry matches (sent with the credentials header:
# browsers refuse it); the string "null" lets in the null origin. Values are written double-quoted.
_PLAY = dict(setting="allowedOrigins", default="any", exact=True, credentials_default=True,
             shown_as="play.filters.cors.allowedOrigins", quote='"')
RULES["play-cors"] = OriginRules(**_PLAY)
RULES["play-cors-star-entry"] = OriginRules(**_PLAY, literal_star=True)
# akka-http-cors (akka-http-cors {}), its successors in Akka HTTP 10.6 (akka.http.cors {}) and Pekko
# HTTP (pekko.http.cors {}), reference.conf: `allowed-origins = "*"` and `allow-credentials = yes` by
# default; with credentials `*` echoes the caller's origin, without them it is sent as `*`; listed
# origins are parsed and compared strictly (scheme, host, port; `*.` subdomain wildcards).
RULES["akka-http-cors"] = OriginRules(setting="allowed-origins", default="any", exact=True, credentials_default=True,
                                      quote='"')
RULES["akka-http"] = RULES["pekko-http"] = RULES["akka-http-cors"]
