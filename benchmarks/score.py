"""Precision and recall of authlint on the labelled set of public repositories.

The set is described in ``benchmarks/labelled/``: ``SOURCES.toml`` says which files of which public
repository, at which commit and under which licence, were read, and ``<id>/labels.toml`` lists every
finding a careful reviewer expects in them (every other line of the kept files is labelled clean).
The third-party files themselves are not part of this repository: ``materialise`` writes them to
``benchmarks/corpus/labelled/<id>/`` (gitignored, like the speed corpus) from local git mirrors or
from GitHub, and checks each file's sha256 against the manifest so the labels' line numbers hold.

    python benchmarks/score.py materialise --mirrors /work/.mirror     # or: materialise --fetch
    python benchmarks/score.py                        # table of precision and recall per rule family
    python benchmarks/score.py --details              # ... plus every false positive and miss
    python benchmarks/score.py --markdown             # the table as Markdown, for the README
    python benchmarks/score.py --set benchmarks/labelled-nats --codes NAT --by-code   # the NATS deployment set

A second set, ``benchmarks/labelled-nats/`` (issue #15), holds public repositories that deploy nats-server
(compose stacks, Kubernetes manifests, Helm values, nsc stores); it is materialised to
``benchmarks/corpus/labelled-nats/`` and scored with ``--set``. ``--codes`` restricts the counts to some
rule codes or families (findings and labels of other codes are left out, counted neither way).

Each repository folder is checked as its own project root (``authlint check .`` run inside it) with
an empty config file, so neither this repository's settings nor a user's apply.

Matching (documented in benchmarks/labelled/README.md): a finding matches a label when both name the
same file and rule code and the finding's first line lies in the label's line range
(``line``..``end_line``, the statement the reviewer marked) or in one of its ``also`` ranges (other
places where reporting the same defect is as right, e.g. a secret's literal and the call that signs
with it). Each label takes at most one finding; further findings of an already matched label are
duplicates (listed, counted neither way). A finding that matches an ``optional`` label (a debatable
case, with its reason) is ignored either way, and a missed optional label is no miss.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
SET_DIR = HERE / "labelled"
NATS_SET_DIR = HERE / "labelled-nats"
CHECKOUT_ROOT = HERE / "corpus"
CHECKOUT_DIR = CHECKOUT_ROOT / "labelled"
FAMILIES = ("NAT", "SIO", "COR", "JWT", "TOK")
RAW_URL = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"


# -- the set -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeptFile:
    path: str
    sha256: str
    lines: int


@dataclass(frozen=True)
class Repository:
    """One entry of SOURCES.toml: a public repository at a commit and the files kept from it."""

    id: str
    repo: str
    commit: str
    licence: str
    files: tuple[KeptFile, ...]


@dataclass(frozen=True)
class LineRange:
    file: str
    start: int
    end: int

    def holds(self, file: str, line: int) -> bool:
        return file == self.file and self.start <= line <= self.end


@dataclass(frozen=True)
class Label:
    """An expected finding: the statement (file, line..end_line) and rule code a reviewer marked."""

    file: str
    line: int
    code: str
    end_line: int | None = None
    also: tuple[LineRange, ...] = ()
    optional: bool = False
    reason: str = ""

    @property
    def ranges(self) -> tuple[LineRange, ...]:
        return (LineRange(self.file, self.line, self.end_line or self.line), *self.also)

    def where(self) -> str:
        span = f"{self.line}-{self.end_line}" if self.end_line and self.end_line != self.line else str(self.line)
        return f"{self.file}:{span}"


@dataclass(frozen=True)
class Finding:
    """What authlint reported, reduced to what matching needs."""

    file: str
    line: int
    code: str
    message: str = ""

    def where(self) -> str:
        return f"{self.file}:{self.line}"


def load_manifest(path: Path) -> list[Repository]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    repositories = []
    for entry in data.get("repository", []):
        files = tuple(KeptFile(f["path"], f["sha256"], int(f["lines"])) for f in entry["files"])
        repositories.append(Repository(entry["id"], entry["repo"], entry["commit"], entry["licence"], files))
    ids = [r.id for r in repositories]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ValueError(f"{path}: repository ids listed twice: {', '.join(duplicated)}")
    return repositories


def parse_range(text: str) -> LineRange:
    """``path:12`` or ``path:12-15`` (an ``also`` entry)."""
    file, sep, lines = text.rpartition(":")
    if not sep or not file:
        raise ValueError(f"{text!r} is not path:line or path:start-end")
    start, _, end = lines.partition("-")
    first, last = int(start), int(end or start)
    if last < first:
        raise ValueError(f"{text!r}: the range ends before it starts")
    return LineRange(file, first, last)


def load_labels(path: Path) -> list[Label]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    labels = []
    for entry in data.get("finding", []):
        unknown = set(entry) - {"file", "line", "end_line", "code", "also", "optional", "reason"}
        if unknown:
            raise ValueError(f"{path}: unknown label keys {sorted(unknown)}")
        end_line = entry.get("end_line")
        if end_line is not None and end_line < entry["line"]:
            raise ValueError(f"{path}: {entry['file']}:{entry['line']} ends before it starts")
        labels.append(Label(
            file=entry["file"], line=int(entry["line"]), code=entry["code"].upper(), end_line=end_line,
            also=tuple(parse_range(a) for a in entry.get("also", [])),
            optional=bool(entry.get("optional", False)), reason=entry.get("reason", ""),
        ))
    return labels


# -- matching ----------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """How the findings of one repository compare with its labels."""

    matched: list[tuple[Label, Finding]] = field(default_factory=list)
    false_positives: list[Finding] = field(default_factory=list)
    misses: list[Label] = field(default_factory=list)
    duplicates: list[tuple[Label, Finding]] = field(default_factory=list)
    ignored: list[tuple[Label, Finding]] = field(default_factory=list)  # on optional labels


def _accepts(label: Label, finding: Finding, primary_only: bool) -> bool:
    if label.code != finding.code:
        return False
    ranges = label.ranges[:1] if primary_only else label.ranges
    return any(r.holds(finding.file, finding.line) for r in ranges)


def match(labels: list[Label], findings: list[Finding]) -> Outcome:
    """Pair findings with labels: primary locations first, then ``also`` ones; one finding per label."""
    outcome = Outcome()
    taken: dict[int, Finding] = {}
    unpaired = sorted(findings, key=lambda f: (f.file, f.line, f.code))
    for primary_only in (True, False):
        left = []
        for finding in unpaired:
            label_index = next((i for i, label in enumerate(labels)
                                if i not in taken and _accepts(label, finding, primary_only)), None)
            if label_index is None:
                left.append(finding)
            else:
                taken[label_index] = finding
        unpaired = left
    for index, label in enumerate(labels):
        if index in taken:
            (outcome.ignored if label.optional else outcome.matched).append((label, taken[index]))
        elif not label.optional:
            outcome.misses.append(label)
    for finding in unpaired:
        label = next((label for label in labels if _accepts(label, finding, False)), None)
        if label is None:
            outcome.false_positives.append(finding)
        elif label.optional:
            outcome.ignored.append((label, finding))
        else:
            outcome.duplicates.append((label, finding))
    return outcome


# -- scores ------------------------------------------------------------------------------------------


def family_of(code: str) -> str:
    return code[:3] if code[:3] in FAMILIES else "other"


def parse_codes(text: str) -> tuple[str, ...]:
    """``--codes NAT`` or ``--codes NAT007,NAT009``: rule codes or code prefixes (a family), upper-cased."""
    codes = tuple(part.strip().upper() for part in text.split(",") if part.strip())
    if not codes:
        raise ValueError("--codes needs at least one rule code or prefix (NAT, NAT007, ...)")
    return codes


def selects(codes: tuple[str, ...], code: str) -> bool:
    return any(code.upper().startswith(prefix) for prefix in codes)


def restrict(outcome: Outcome, codes: tuple[str, ...]) -> Outcome:
    """The part of an outcome about the given codes: everything else is left out, counted neither way.

    Matching pairs a finding only with a label of its own code, so restricting after matching gives
    the same pairs as matching the restricted labels and findings.
    """
    return Outcome(
        matched=[(label, finding) for label, finding in outcome.matched if selects(codes, label.code)],
        false_positives=[finding for finding in outcome.false_positives if selects(codes, finding.code)],
        misses=[label for label in outcome.misses if selects(codes, label.code)],
        duplicates=[(label, finding) for label, finding in outcome.duplicates if selects(codes, label.code)],
        ignored=[(label, finding) for label, finding in outcome.ignored if selects(codes, label.code)],
    )


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def tally(outcomes: dict[str, Outcome], by_code: bool = False) -> dict[str, Tally]:
    """Counts per family (NAT, SIO, COR, JWT, TOK, and 'other' for E0xx) and 'overall'.

    With ``by_code``, one row per rule code that was expected or found (sorted), then 'overall'.
    """
    if by_code:
        rows: dict[str, Tally] = {}
        for outcome in outcomes.values():
            for label, _ in outcome.matched:
                rows.setdefault(label.code, Tally()).tp += 1
            for finding in outcome.false_positives:
                rows.setdefault(finding.code, Tally()).fp += 1
            for label in outcome.misses:
                rows.setdefault(label.code, Tally()).fn += 1
        rows = dict(sorted(rows.items()))
        overall = Tally(sum(t.tp for t in rows.values()), sum(t.fp for t in rows.values()),
                        sum(t.fn for t in rows.values()))
        return {**rows, "overall": overall}
    rows = {name: Tally() for name in (*FAMILIES, "other", "overall")}
    for outcome in outcomes.values():
        for label, _ in outcome.matched:
            rows[family_of(label.code)].tp += 1
        for finding in outcome.false_positives:
            rows[family_of(finding.code)].fp += 1
        for label in outcome.misses:
            rows[family_of(label.code)].fn += 1
    for name in (*FAMILIES, "other"):
        rows["overall"].tp += rows[name].tp
        rows["overall"].fp += rows[name].fp
        rows["overall"].fn += rows[name].fn
    if not (rows["other"].tp or rows["other"].fp or rows["other"].fn):
        del rows["other"]
    return rows


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def table(rows: dict[str, Tally], markdown: bool, first_column: str = "family") -> str:
    header = (first_column, "expected", "found", "true pos.", "false pos.", "missed", "precision", "recall")
    body = [(name, str(t.tp + t.fn), str(t.tp + t.fp), str(t.tp), str(t.fp), str(t.fn),
             _ratio(t.precision), _ratio(t.recall)) for name, t in rows.items()]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
        lines += ["| " + " | ".join(f"**{c}**" if row[0] == "overall" else c for c in row) + " |" for row in body]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in (header, *body)) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
                     for row in (header, *body))


def details(outcomes: dict[str, Outcome]) -> str:
    lines = []
    for repo_id, outcome in outcomes.items():
        if not (outcome.false_positives or outcome.misses or outcome.duplicates or outcome.ignored):
            continue
        lines.append(f"{repo_id}")
        for finding in outcome.false_positives:
            lines.append(f"  false positive  {finding.code}  {finding.where()}  {finding.message}")
        for label in outcome.misses:
            lines.append(f"  missed          {label.code}  {label.where()}  {label.reason}")
        for label, finding in outcome.duplicates:
            lines.append(f"  duplicate       {finding.code}  {finding.where()}  (of {label.where()})")
        for label, finding in outcome.ignored:
            lines.append(f"  debatable       {finding.code}  {finding.where()}  (not counted: {label.reason})")
    return "\n".join(lines) if lines else "no false positives, misses or duplicates"


# -- running authlint --------------------------------------------------------------------------------


def default_authlint() -> str:
    """The ``authlint`` beside this interpreter (a venv's), else the one on PATH."""
    beside = Path(sys.executable).parent / "authlint"
    return str(beside) if beside.exists() else (shutil.which("authlint") or "authlint")


def run_authlint(executable: str, folder: Path) -> list[Finding]:
    """``authlint check .`` inside ``folder`` with an empty config: the folder is the project root."""
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "authlint.toml"
        config.write_text("", encoding="utf-8")
        result = subprocess.run(
            [executable, "check", "--output-format", "json", "--exit-zero", "--no-cache", "--config", str(config), "."],
            cwd=folder, capture_output=True, text=True, timeout=600,
        )
    if result.returncode != 0:
        raise RuntimeError(f"authlint failed on {folder} (exit {result.returncode}): {result.stderr.strip()}")
    return [Finding(item["path"], int(item["line"]), item["code"], item.get("message", ""))
            for item in json.loads(result.stdout or "[]")]


# -- materialising the files -------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _from_mirror(mirrors: Path, repository: Repository, path: str) -> bytes:
    git_dir = mirrors / repository.repo.replace("/", "+") / "repo"
    if not git_dir.is_dir():
        git_dir = mirrors / repository.repo.replace("/", "+")
    return subprocess.run(["git", "-C", str(git_dir), "show", f"{repository.commit}:{path}"],
                          capture_output=True, check=True, timeout=120).stdout


def _from_github(repository: Repository, path: str) -> bytes:
    url = RAW_URL.format(repo=repository.repo, commit=repository.commit, path=path)
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (a fixed https URL)
        return response.read()


def materialise(repositories: list[Repository], checkout: Path, mirrors: Path | None) -> list[str]:
    """Write every kept file under ``checkout/<id>/``; return the problems (sha256 mismatch, not found)."""
    problems = []
    for repository in repositories:
        for kept in repository.files:
            try:
                data = _from_mirror(mirrors, repository, kept.path) if mirrors else _from_github(repository, kept.path)
            except (OSError, subprocess.SubprocessError) as exc:
                problems.append(f"{repository.id}/{kept.path}: cannot read ({exc})")
                continue
            if _sha256(data) != kept.sha256:
                problems.append(f"{repository.id}/{kept.path}: sha256 differs from SOURCES.toml")
                continue
            target = checkout / repository.id / kept.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return problems


def verify_checkout(repositories: list[Repository], checkout: Path) -> list[str]:
    """The problems that make the checkout unfit to score: files missing or not the labelled version."""
    problems = []
    for repository in repositories:
        for kept in repository.files:
            target = checkout / repository.id / kept.path
            if not target.is_file():
                problems.append(f"{target}: missing (run `score.py materialise`)")
            elif _sha256(target.read_bytes()) != kept.sha256:
                problems.append(f"{target}: not the labelled version (sha256 differs)")
    return problems


# -- command line ------------------------------------------------------------------------------------


def score(set_dir: Path, checkout: Path, executable: str) -> dict[str, Outcome]:
    repositories = load_manifest(set_dir / "SOURCES.toml")
    problems = verify_checkout(repositories, checkout)
    if problems:
        raise SystemExit("\n".join(problems))
    return {r.id: match(load_labels(set_dir / r.id / "labels.toml"), run_authlint(executable, checkout / r.id))
            for r in repositories}


def checkout_for(set_dir: Path) -> Path:
    """Each set is written to its own folder under ``benchmarks/corpus/`` (``labelled`` for the default set)."""
    return CHECKOUT_ROOT / set_dir.resolve().name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=("score", "materialise"), default="score")
    parser.add_argument("--set", type=Path, default=SET_DIR,
                        help="folder with SOURCES.toml and <id>/labels.toml (default: benchmarks/labelled; "
                             "the NATS deployment set is benchmarks/labelled-nats)")
    parser.add_argument("--checkout", type=Path, default=None,
                        help="where the kept files are written (default: benchmarks/corpus/<name of the set folder>)")
    parser.add_argument("--authlint", default=None, help="authlint executable (default: beside this Python)")
    parser.add_argument("--mirrors", type=Path, help="materialise: folder of git mirrors named owner+repo")
    parser.add_argument("--fetch", action="store_true", help="materialise: download from raw.githubusercontent.com")
    parser.add_argument("--codes", type=parse_codes, default=None,
                        help="score only these rule codes or prefixes, comma-separated (NAT, or NAT007,NAT009)")
    parser.add_argument("--by-code", action="store_true", help="one row per rule code instead of per family")
    parser.add_argument("--details", action="store_true", help="also list false positives, misses, duplicates, debatable")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--json", action="store_true", help="print counts per family as JSON")
    args = parser.parse_args(argv)
    checkout = args.checkout or checkout_for(args.set)

    if args.command == "materialise":
        if not (args.mirrors or args.fetch):
            parser.error("materialise needs --mirrors DIR or --fetch")
        problems = materialise(load_manifest(args.set / "SOURCES.toml"), checkout, args.mirrors)
        print("\n".join(problems) if problems else f"materialised into {checkout}")
        return 1 if problems else 0

    outcomes = score(args.set, checkout, args.authlint or default_authlint())
    if args.codes:
        outcomes = {repo_id: restrict(outcome, args.codes) for repo_id, outcome in outcomes.items()}
    rows = tally(outcomes, by_code=args.by_code)
    if args.codes and not args.by_code:
        rows = {name: t for name, t in rows.items() if name == "overall" or t.tp or t.fp or t.fn}
    if args.json:
        print(json.dumps({name: {"tp": t.tp, "fp": t.fp, "fn": t.fn, "precision": t.precision, "recall": t.recall}
                          for name, t in rows.items()}, indent=2))
    else:
        print(table(rows, markdown=args.markdown, first_column="code" if args.by_code else "family"))
    if args.details:
        print()
        print(details(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
