"""The nginx reader on real public configs (tests/fixtures/nginx-corpus, SOURCES.json says where
each file comes from), with crossplane's own ``parse`` as the oracle.

For every file: authlint classifies it ``nginx``; where crossplane parses it, our tree is
crossplane's (names, arguments, lines, nesting) and every span is the text it names, on the line
crossplane gives; where crossplane refuses it, we refuse it on the line crossplane names. One
difference is checked rather than skipped: crossplane's parse with ``check_args=False`` takes a
directive ended by ``}`` or ``{`` where nginx wants ``;`` (``proxy_pass x }``); nginx refuses such
a file, and so do we, on the line crossplane's own argument check (``check_args=True``) names.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import crossplane
import pytest

from authlint.files.classify import classify
from authlint.files.source import DecodeError, decode
from authlint.syntax.errors import ParseError
from authlint.syntax.nginx import Directive, parse

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "nginx-corpus"
MANIFEST = json.loads((CORPUS / "SOURCES.json").read_text("utf-8"))
FILES: list[str] = [entry["file"] for entry in MANIFEST["files"]]
EMBEDDED: list[str] = [entry["file"] for entry in MANIFEST["embedded"]]  # Kubernetes YAML holding nginx
# crossplane's lexer yields `*_by_lua_block` code as one token written between braces
LUA_BLOCK = re.compile(r"^\{.*\}$", re.DOTALL)


def _text(path: Path) -> str:
    """The text authlint reads; a file that is not UTF-8 as crossplane reads it (``errors='replace'``)."""
    raw = path.read_bytes()
    try:
        return decode(raw)[0]
    except DecodeError:
        return raw.decode("utf-8", "replace")


@cache
def _crossplane(relpath: str, check_args: bool = False) -> dict[str, Any]:
    parsed = crossplane.parse(str(CORPUS / relpath), single=True, check_ctx=False, check_args=check_args,
                              comments=False)
    return parsed["config"][0]


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _shape(directives: list[Directive]) -> list[dict[str, Any]]:
    """Our tree in crossplane's shape (without comments, as ``comments=False`` gives it)."""
    out = []
    for directive in directives:
        item: dict[str, Any] = {"directive": directive.name, "line": directive.line, "args": list(directive.args)}
        if directive.block is not None:
            item["block"] = _shape(directive.block)
        out.append(item)
    return out


def _theirs(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """crossplane's tree; the comments written between a directive's arguments, which its parse
    adds as ``#`` statements even with ``comments=False``, left out like the others."""
    out = []
    for statement in statements:
        if statement["directive"] == "#":
            continue
        item: dict[str, Any] = {key: statement[key] for key in ("directive", "line", "args")}
        if "block" in statement:
            item["block"] = _theirs(statement["block"])
        out.append(item)
    return out


def _unquoted(written: str) -> str:
    """A quoted token as crossplane reads it: quotes dropped, ``\\"`` in ``"..."`` is ``"``."""
    quote, body = written[0], written[1:-1]
    out, at = [], 0
    while at < len(body):
        pair = body[at : at + 2]
        if pair == "\\" + quote:
            out.append(quote)
            at += 2
        elif body[at] == "\\" and at + 1 < len(body):
            out.append(pair)
            at += 2
        else:
            out.append(body[at])
            at += 1
    return "".join(out)


def _as_written(text: str, value: str, span: Any, quoted: bool) -> str | None:
    """Why the text at ``span`` is not the token ``value``; None when it is."""
    written = text[span.start : span.end]
    if not quoted:
        return None if written == value else f"{written!r} for {value!r}"
    if LUA_BLOCK.match(written) and written[1:-1] == value:
        return None
    if len(written) >= 2 and written[0] in "\"'" and written[-1] == written[0] and _unquoted(written) == value:
        return None
    return f"{written!r} for quoted {value!r}"


def test_manifest_names_every_file_with_its_source_commit_and_licence() -> None:
    assert len(FILES) >= 50
    assert len(set(FILES)) == len(FILES)
    kept = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file()}
    kept -= {"SOURCES.json"} | {f"LICENSES/{p.name}" for p in (CORPUS / "LICENSES").iterdir()}
    assert kept == set(FILES) | set(EMBEDDED)
    licences = MANIFEST["licenses"]
    for repository, licence in licences.items():
        assert licence["spdx"] in ("MIT", "Apache-2.0", "BSD-2-Clause"), repository
        assert (CORPUS / licence["text"]).read_text("utf-8").strip()
    for entry in MANIFEST["files"] + MANIFEST["embedded"]:
        assert re.fullmatch(r"[0-9a-f]{40}", entry["commit"]), entry
        assert entry["repository"] in licences and entry["license"] == licences[entry["repository"]]["spdx"]
        assert entry["path"] and Path(entry["file"]).name == Path(entry["path"]).name


def test_corpus_has_the_shapes_the_rules_read() -> None:
    """Proxied locations, websocket upgrades, upstreams, maps, ifs, stream blocks, CORS headers,
    and templates with ``${VAR}``: the corpus covers what the proxy rules look at."""
    seen: set[str] = set()
    for relpath in FILES:
        text = _text(CORPUS / relpath)
        try:
            config = parse(text)
        except ParseError:
            continue
        for directive, _ in config.walk():
            seen.add(directive.name)
            if directive.name == "proxy_set_header" and directive.args[:1] == ["Upgrade"]:
                seen.add("<websocket>")
            if directive.name == "add_header" and directive.args[:1] == ["Access-Control-Allow-Origin"]:
                seen.add("<cors>")
        if re.search(r"\$\{[A-Z_]+\}", text):
            seen.add("<template>")
    assert {"location", "proxy_pass", "upstream", "map", "if", "stream", "<websocket>", "<cors>",
            "<template>", "hash", "include", "log_format"} <= seen


@pytest.mark.parametrize("relpath", FILES)
def test_classified_nginx(relpath: str) -> None:
    path = CORPUS / relpath
    assert classify(path.name, path.read_bytes(), path.parent.name) == "nginx"


@pytest.mark.parametrize("relpath", FILES)
def test_tree_and_positions_match_crossplane(relpath: str) -> None:
    text = _text(CORPUS / relpath)
    theirs = _crossplane(relpath)
    try:
        config = parse(text)
    except ParseError as exc:
        assert 0 <= exc.offset <= len(text)
        ours = _line(text, exc.offset)
        if theirs["status"] == "ok":
            # crossplane's lenient reading took a directive nginx refuses: its argument check names it
            strict = _crossplane(relpath, check_args=True)
            assert [e["line"] for e in strict["errors"] if "terminated" in e["error"] or "opening" in e["error"]][:1] \
                == [ours], exc.message
        elif theirs["errors"][0]["line"] is not None:
            assert ours == theirs["errors"][0]["line"], (exc.message, theirs["errors"])
        else:  # crossplane ran out of tokens inside a directive: the file ends before its `;`
            assert "not terminated" in exc.message or "end of file" in exc.message
        return
    assert theirs["status"] == "ok", theirs["errors"]
    assert _shape(config.directives) == _theirs(theirs["parsed"])
    wrong = []
    for directive, parents in config.walk():
        assert _line(text, directive.name_span.start) == directive.line
        problem = _as_written(text, directive.name, directive.name_span, text[directive.name_span.start] in "\"'")
        problems = [problem] + [_as_written(text, value, span, quoted) for value, span, quoted
                                in zip(directive.args, directive.arg_spans, directive.quoted)]
        wrong += [f"line {directive.line} {directive.name}: {p}" for p in problems if p]
        assert text[directive.span.end - 1] in ";}" or LUA_BLOCK.match(text[directive.arg_spans[-1].start:
                                                                              directive.arg_spans[-1].end])
        if directive.body is not None:
            assert text[directive.body.start - 1] == "{" and text[directive.body.end] == "}"
        for parent in parents:
            assert parent.body is not None and parent.body.start <= directive.span.start < directive.span.end \
                <= parent.body.end
    for span in config.comments:
        assert text[span.start] == "#"
    assert wrong == []


def _parsed_files() -> list[tuple[str, str]]:
    found = []
    for relpath in FILES:
        text = _text(CORPUS / relpath)
        try:
            parse(text)
        except ParseError:
            continue
        found.append((relpath, text))
    return found


def test_facts_of_every_parsed_file_point_at_their_directives() -> None:
    """What the proxy rules read (proxied locations with their settings in effect, upstreams, maps,
    includes joined from the corpus as one project) is extracted from every file crossplane
    accepts, each fact's spans on the text they name."""
    from authlint.facts.model import NginxMap, NginxProxy, NginxUpstream
    from authlint.facts.nginx.includes import in_effect
    from authlint.files.source import Source
    from authlint.run.context import FileContext, Project

    contexts = [FileContext(Source.from_text(text, relpath, "nginx")) for relpath, text in _parsed_files()]
    project = Project(contexts)
    counts = {"proxy": 0, "upstream": 0, "map": 0}
    for ctx in contexts:
        text = ctx.source.text
        for fact in ctx.facts.items:
            if isinstance(fact, NginxProxy):
                counts["proxy"] += 1
                assert text[fact.span.start : fact.span.end].startswith(("proxy_pass", "location", "server"))
                if fact.target_span is not None:
                    assert _unquoted(text[fact.target_span.start : fact.target_span.end]) == fact.target \
                        or text[fact.target_span.start : fact.target_span.end] == fact.target
                if fact.insert_at is not None:
                    assert fact.block is not None and fact.block.start <= fact.insert_at <= fact.block.end
                for directives in fact.settings.values():
                    for directive in directives:
                        if directive.relpath is None:
                            assert text[directive.span.start : directive.span.end].lstrip("'\"").startswith(
                                directive.name)
                in_effect(project, fact)
            elif isinstance(fact, NginxUpstream):
                counts["upstream"] += 1
                assert text[fact.span.start : fact.span.end].strip("'\"") == fact.name
            elif isinstance(fact, NginxMap):
                counts["map"] += 1
                assert text[fact.span.start : fact.span.end].strip("'\"") == fact.variable
    assert counts["proxy"] >= 100 and counts["upstream"] >= 20 and counts["map"] >= 10, counts


def test_authlint_check_over_the_corpus(tmp_path: Path) -> None:
    """The real CLI over a copy of the corpus (tests/fixtures is excluded from the repository's
    own runs): valid JSON, no rule crash, no E001 on a file crossplane accepts."""
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "corpus"
    shutil.copytree(CORPUS, copy)
    run = subprocess.run(
        [sys.executable, "-m", "authlint", "check", "corpus", "--output-format", "json", "--exit-zero",
         "--no-cache", "-j", "1"],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
    )
    assert run.returncode == 0, run.stderr
    assert "crashed" not in run.stderr and "internal error" not in run.stderr.lower() and "Traceback" not in run.stderr
    findings = json.loads(run.stdout)
    assert isinstance(findings, list)
    accepted = {relpath for relpath, _ in _parsed_files()}  # crossplane's, but for what nginx refuses (above)
    # (a file that is not UTF-8, crossplane's non-unicode test, gets E001 "cannot decode" once a rule
    # wants it: a diagnostic about its bytes, not the parser's verdict this test compares)
    unparsable = [f for f in findings if f["code"] == "E001" and not f["message"].startswith("cannot decode")]
    assert all(Path(finding["path"]).relative_to("corpus").as_posix() not in accepted for finding in unparsable)


@pytest.mark.parametrize("relpath", EMBEDDED)
def test_nginx_inside_real_kubernetes_yaml(relpath: str) -> None:
    """ConfigMap keys and snippet annotations of real manifests: found, parsed, and every written
    directive's name and arguments read back from the YAML file as written."""
    from authlint.files.source import Source
    from authlint.run.context import FileContext
    from authlint.run.embedded_nginx import nginx_contexts

    text = (CORPUS / relpath).read_text("utf-8")
    found = nginx_contexts(FileContext(Source.from_text(text, relpath, "yaml")))
    assert found
    for child in found:
        source = child.source
        for directive, _ in child.tree.walk():
            if directive.name_span.start == directive.name_span.end:
                continue  # written by the controller's template around a snippet
            name = source.host_span(directive.name_span)  # type: ignore[attr-defined]
            assert text[name.start : name.end] == directive.name
            for value, span, quoted in zip(directive.args, directive.arg_spans, directive.quoted):
                where = source.host_span(span)  # type: ignore[attr-defined]
                written = text[where.start : where.end]
                assert (_unquoted(written) if quoted else written) == value
