"""A baseline: today's findings recorded, so that ``check --baseline FILE`` reports only new ones.

How detect-secrets and semgrep let a team adopt a checker on an old repository: nothing to fix on
day one, and every new finding fails the build. An entry is keyed by what survives unrelated
edits: the rule code, the file, and a fingerprint of the finding's own text (the lines of its span,
whitespace squeezed), never its line number, so code added above a finding keeps it matched. Equal
fingerprints in one file are counted, so a second copy of a baselined mistake is new. A file that
moved keeps its entries matched when the old path is gone and the finding's text is the same.
Fixing a finding simply stops matching its entry (``--write-baseline`` drops it).

The file is sorted, indented JSON, fit for review in a pull request. It holds no secret: the
fingerprint hashes the *masked* text (a secret's characters replaced as in every output), and the
``text`` shown for review is the same masked line.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.errors import UsageError

VERSION = 1
SHOWN = 160  # characters of the masked line kept for review


@dataclass(frozen=True)
class Entry:
    code: str
    path: str
    fingerprint: str
    count: int = 1
    text: str = ""  # the finding's first line, masked, for a reviewer

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "path": self.path, "fingerprint": self.fingerprint, "count": self.count,
                "text": self.text}


def _masked_lines(diagnostic: Diagnostic) -> list[str]:
    """The lines the finding's span covers, as every output shows them (secrets masked)."""
    from authlint.diagnostics.mask import Masker

    source = diagnostic.source
    first, last = diagnostic.start[0], diagnostic.end[0]
    if diagnostic.span.end > diagnostic.span.start and diagnostic.end[1] == 1 and last > first:
        last -= 1  # a span ending at a line's start does not cover that line
    masker = Masker.of(source)
    starts = source.line_starts
    lines = []
    for number in range(first, min(last, len(starts)) + 1):
        start = starts[number - 1]
        end = starts[number] if number < len(starts) else len(source.text)
        lines.append(masker.text(start, end).rstrip("\r\n"))
    return lines


def fingerprint(diagnostic: Diagnostic) -> tuple[str, str]:
    """``(fingerprint, shown)``: a hash of the code and the finding's masked text with whitespace
    squeezed (re-indenting or moving it keeps it), and its first line for review."""
    lines = _masked_lines(diagnostic)
    squeezed = " ".join(" ".join(line.split()) for line in lines)
    digest = hashlib.sha256(f"{diagnostic.code}\0{squeezed}".encode()).hexdigest()[:20]
    shown = " ".join(lines[0].split()) if lines else ""
    return digest, shown[:SHOWN]


@dataclass
class Baseline:
    entries: list[Entry] = field(default_factory=list)

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic]) -> Baseline:
        counts: Counter[tuple[str, str, str]] = Counter()
        shown: dict[tuple[str, str, str], str] = {}
        for diagnostic in diagnostics:
            digest, text = fingerprint(diagnostic)
            key = (diagnostic.code, diagnostic.path, digest)
            counts[key] += 1
            shown.setdefault(key, text)
        entries = [Entry(code, path, digest, count, shown[(code, path, digest)])
                   for (code, path, digest), count in counts.items()]
        return cls(sorted(entries, key=lambda e: (e.path, e.code, e.fingerprint)))

    @classmethod
    def load(cls, path: str) -> Baseline:
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            raise UsageError(f"--baseline: {path} does not exist (create it with --write-baseline {path})") from None
        except (OSError, ValueError) as exc:
            raise UsageError(f"--baseline: cannot read {path}: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
            raise UsageError(f"--baseline: {path} is not an authlint baseline (version {VERSION})")
        entries = []
        for item in data["findings"]:
            try:
                entries.append(Entry(str(item["code"]), str(item["path"]), str(item["fingerprint"]),
                                     int(item.get("count", 1)), str(item.get("text", ""))))
            except (KeyError, TypeError, ValueError):
                raise UsageError(f"--baseline: {path} holds a malformed entry: {item!r}") from None
        return cls(entries)

    def dumps(self) -> str:
        payload = {"version": VERSION, "tool": "authlint", "findings": [e.as_dict() for e in self.entries]}
        return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def write(self, path: str) -> None:
        """Written atomically (a temporary file beside it, then renamed)."""
        target = Path(path)
        temporary = target.with_name(f".{target.name}.authlint-tmp")
        temporary.write_text(self.dumps(), encoding="utf-8", newline="\n")
        os.replace(temporary, target)

    def new_findings(self, diagnostics: list[Diagnostic], exists=os.path.exists) -> list[Diagnostic]:
        """The findings no entry accounts for. Entries match by code, path and fingerprint, up to
        their count; what is left then matches entries of a file that no longer ``exists`` (moved
        or renamed) by code and fingerprint alone."""
        left: Counter[tuple[str, str, str]] = Counter()
        for entry in self.entries:
            left[(entry.code, entry.path, entry.fingerprint)] += entry.count
        unmatched: list[tuple[Diagnostic, str]] = []
        for diagnostic in diagnostics:
            digest, _ = fingerprint(diagnostic)
            key = (diagnostic.code, diagnostic.path, digest)
            if left[key] > 0:
                left[key] -= 1
            else:
                unmatched.append((diagnostic, digest))
        moved: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
        for (code, path, digest), count in left.items():
            if count > 0 and not exists(path):
                moved[(code, digest)].append((code, path, digest))
        new = []
        for diagnostic, digest in unmatched:
            keys = [key for key in moved.get((diagnostic.code, digest), ()) if left[key] > 0]
            if keys:
                left[keys[0]] -= 1
            else:
                new.append(diagnostic)
        return new
