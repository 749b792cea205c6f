"""``CredentialChannel`` facts of a JavaScript / TypeScript file: cookie sessions (express-session,
cookie-parser, ``req.cookies``) and credentialed requests (``withCredentials: true``,
``credentials: "include"``), or bearer tokens (an ``Authorization`` header sent or read,
passport-jwt's header extractors, express-jwt). One fact per kind of evidence and file.

The evidence is found by pattern over the text, then confirmed on the syntax tree: a match inside
a comment is no evidence, and a package counts only where it is imported or required.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable

from authlint.facts.javascript.model import JsModel
from authlint.facts.knowledge.credential_channels import JS_PACKAGES
from authlint.facts.model import AMBIENT, EXPLICIT, CredentialChannel, Fact
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

_REQUEST = rb"\b(?:req|request|ctx|ctx\.request|event)"
# (pattern, a word its every match holds, lowercased: most files lack it and skip the slow
# unanchored search), channel, what it is
PATTERNS: tuple[tuple[re.Pattern[bytes], bytes, str, str], ...] = (
    (re.compile(rb"\bwithCredentials\s*[:=]\s*true\b"), b"withcredentials", AMBIENT, "`withCredentials: true`"),
    (re.compile(rb"\bcredentials\s*:\s*['\"`]include['\"`]"), b"include", AMBIENT, "`credentials: \"include\"`"),
    (re.compile(_REQUEST + rb"\.(?:signedCookies|cookies)\b"), b"ookies", AMBIENT, "`req.cookies`"),
    (re.compile(_REQUEST + rb"\.headers?(?:\.authorization\b|\[['\"`]authorization['\"`]\])", re.I),
     b"authorization", EXPLICIT, "the `Authorization` header"),
    (re.compile(_REQUEST + rb"\.(?:get|header|headers\.get)\(\s*['\"`]authorization['\"`]", re.I),
     b"authorization", EXPLICIT, "the `Authorization` header"),
    (re.compile(rb"""(?:['"]authorization['"]|\bAuthorization)\s*:\s*[`'"]?Bearer\b""", re.I),
     b"authorization", EXPLICIT, "an `Authorization: Bearer` header"),
    (re.compile(rb"""setRequestHeader\(\s*['"]authorization['"]""", re.I), b"authorization", EXPLICIT,
     "an `Authorization` header"),
    (re.compile(rb"\bfromAuthHeader(?:AsBearerToken|WithScheme)\b"), b"fromauthheader", EXPLICIT,
     "passport-jwt (`Authorization` header)"),
)
PACKAGE = re.compile(rb"""(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)['"]([@\w./-]+)['"]""")
PACKAGE_WORDS = tuple(package.encode() for package in JS_PACKAGES)  # no package named: no import of one


def _in_comment(model: JsModel, start: int, end: int) -> bool:
    node = model.tree.root_node.descendant_for_byte_range(start, end)
    return node is not None and node.type == "comment"


def _package(name: str) -> tuple[str, str] | None:
    for package, seen in JS_PACKAGES.items():
        if name == package or name.startswith(package + "/"):
            return seen
    return None


def extract(ctx: FileContext) -> Iterable[Fact]:
    tree: Any = ctx.tree
    if tree is None:
        return []
    model = JsModel(ctx.source, tree)
    data = model.data
    found: dict[tuple[str, str], CredentialChannel] = {}

    def add(start: int, end: int, seen: tuple[str, str]) -> None:
        if seen not in found and not _in_comment(model, start, end):
            channel, via = seen
            found[seen] = CredentialChannel(model.source, Span(model.char(start), model.char(end)), model.lang,
                                            channel=channel, via=via)

    lower = data.lower()
    for pattern, word, channel, via in PATTERNS:
        if word not in lower or (channel, via) in found:
            continue
        for match in pattern.finditer(data):
            add(match.start(), match.end(), (channel, via))
            if (channel, via) in found:
                break
    if not any(package in lower for package in PACKAGE_WORDS):
        return sorted(found.values(), key=lambda fact: fact.span.start)
    for match in PACKAGE.finditer(data):
        seen = _package(match.group(1).decode("utf-8", "replace"))
        if seen is not None:
            add(match.start(1), match.end(1), seen)
    return sorted(found.values(), key=lambda fact: fact.span.start)
