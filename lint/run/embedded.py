"""The NATS rules on nats-server configs embedded in YAML files (``lint/syntax/embedded.py``).

Each embedded config is checked as a ``natsconf`` file of its own (a ``FileContext`` whose source
is an ``EmbeddedSource``), by the same file rules as a ``.conf``; what they report is then moved
into the YAML file: its span mapped to the file's characters, its fix's edits re-indented into the
block scalar (or made display-only where the text cannot be edited in place), its related
locations mapped too. The YAML file's facts carry the configs' NATS facts the same way
(``lint/facts/yaml/natsconf_embedded.py``), so project rules (NAT003, NAT010) weigh them too.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
from typing import TYPE_CHECKING, Any

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix
from authlint.files.kinds import NATSCONF, NGINX, YAML
from authlint.files.source import Source, Span
from authlint.syntax.embedded import EmbeddedSource
from authlint.syntax.errors import ParseError

if TYPE_CHECKING:
    from authlint.run.context import FileContext
    from authlint.run.engine import CheckResult, Linter

EMBEDDING_KINDS = frozenset({YAML})
# bytes a YAML file holds when it may embed a nats-server config (cheap, before parsing it)
HINTS = (b".conf", b"nats")
UNRESOLVED = "NAT011"  # reports includes it cannot read
_CACHE = "_embedded_nats"
_ELSEWHERE = "_embedded_elsewhere"  # spans of includes read from the pod's file system
_INCLUDED = "_embedded_included"  # whether another key of the ConfigMap includes this one


def may_embed(kind: str, lower: bytes) -> bool:
    return kind in EMBEDDING_KINDS and any(hint in lower for hint in HINTS)


def embedded_contexts(ctx: FileContext) -> list[FileContext]:
    """The configs a YAML file embeds, each as a ``natsconf`` FileContext (computed once per file).

    A YAML file that does not parse embeds nothing (its own E001 says why)."""
    cached = ctx.__dict__.get(_CACHE)
    if cached is not None:
        return cached
    found: list[FileContext] = []
    if ctx.kind in EMBEDDING_KINDS and may_embed(ctx.kind, ctx.source.scan_bytes.lower()):
        from authlint.run.context import FileContext as Context
        from authlint.syntax.embedded import embedded_source, find_configs
        from authlint.syntax.helm_nats import rendered_configs

        try:
            documents = ctx.tree or []
        except ParseError:
            documents = []
        items = list(find_configs(documents))
        included: set[int] = set()
        for item in items:
            child = Context(embedded_source(ctx.source, item), ctx.settings)
            pod = InPod(ctx.source, item.siblings, item.label)
            child._tree = _parse(child, pod)
            child.__dict__[_ELSEWHERE] = pod.elsewhere
            included.update(pod.read)
            found.append(child)
        for item, child in zip(items, found):
            child.__dict__[_INCLUDED] = id(item.node) in included
        for source in rendered_configs(ctx.source, documents):
            child = Context(source, ctx.settings)
            child._tree = _parse(child, InPod(ctx.source, {}, source.label))
            found.append(child)
    ctx.__dict__[_CACHE] = found
    return found


class InPod:
    """Where an embedded config's ``include`` is read from: the other keys of its ConfigMap or
    Secret (mounted into one folder, so ``include accounts.conf`` is the ``accounts.conf`` key).
    Any other path is in the pod's file system, which authlint cannot see: recorded in
    ``elsewhere`` (its spans), so that NAT011 does not call it missing while the rules that need the
    whole config still know a part of it was not read."""

    def __init__(self, host: Source, siblings: dict[str, Any], label: str) -> None:
        self.host = host
        self.siblings = siblings
        self.label = label
        self.elsewhere: set[Span] = set()
        self.read: set[int] = set()  # the sibling nodes some config includes (fragments)

    def same_folder(self, path: str) -> bool:
        """Whether an include names a file next to the config (``x.conf``, ``./x.conf``), which
        the mounted ConfigMap or Secret alone provides; False for a template's rendering (no keys)."""
        return bool(self.siblings) and "/" not in posixpath.normpath(path)

    def sibling(self, path: str) -> tuple[Any, EmbeddedSource] | None:
        from authlint.syntax.embedded import Found, embedded_source

        name = posixpath.normpath(path)
        node = self.siblings.get(name) if "/" not in name else None
        if node is None:
            return None
        label = self.label.rsplit(" key ", 1)[0] + f" key {name}"
        return node, embedded_source(self.host, Found(node, label))


def _parse(ctx: FileContext, pod: InPod) -> Any:
    from authlint.syntax.natsconf import _Loader

    source = ctx.source
    env: Any = os.environ
    if isinstance(source, EmbeddedSource) and source.env is not None:
        env = type(source.env)({**os.environ, **source.env})  # an AnyVariable stays one
    loader = _Loader(None, env, False)
    try:
        return _pod_parser(source, loader, pod, ()).parse()
    except ParseError as exc:
        return exc
    except RecursionError:
        return ParseError("config nested too deeply", 0)


def _pod_parser(source: Source, loader: Any, pod: InPod, chain: tuple[str, ...]) -> Any:
    """nats-server's parser, with includes read from the config's siblings (see ``InPod``)."""
    from authlint.syntax.natsconf import MAX_INCLUDE_DEPTH, Include, MapNode, _Parser

    class PodParser(_Parser):
        def _load_include(self, inc: Include, owner: MapNode) -> None:
            found = pod.sibling(inc.path)
            if found is None and pod.same_folder(inc.path):
                # the mounted ConfigMap/Secret is the whole folder: nats-server finds no such file
                self._include_problem(inc, "missing", f"error parsing include file '{inc.path}': no such key in "
                                                      f"{pod.label.rsplit(' key ', 1)[0]}")
                return
            if found is None:
                pod.elsewhere.add(inc.span)
                self._include_problem(inc, "elsewhere", f"include '{inc.path}' is read from the pod's file system")
                return
            node, sibling = found
            name = posixpath.normpath(inc.path)
            if name in chain or len(chain) >= MAX_INCLUDE_DEPTH:
                self._include_problem(inc, "loop", f"include '{inc.path}' includes itself (loop)")
                return
            pod.read.add(id(node))
            try:
                sub_config = _pod_parser(sibling, self.loader, pod, chain + (name,)).parse()
            except ParseError as exc:
                line, _ = sibling.position(exc.offset)
                self._include_problem(inc, "error", f"error parsing include file '{inc.path}': line {line}: {exc.message}")
                return
            inc.status = "ok"
            self.includes.extend(sub_config.includes)
            self.problems.extend(sub_config.problems)
            for entry in sub_config.root.entries:
                entry.include = entry.include or inc
                owner.entries.append(entry)

    return PodParser(source, loader, chain)


def elsewhere_spans(child: FileContext) -> set[Span]:
    """The spans (in the config) of the includes an embedded config reads from the pod's file system."""
    return child.__dict__.get(_ELSEWHERE, set())


def check_embedded(linter: Linter, ctx: FileContext, result: CheckResult) -> list[Diagnostic]:
    """The file rules' findings on every config ``ctx`` embeds (nats-server's, and nginx's:
    ``lint/run/embedded_nginx.py``), placed in ``ctx``'s file."""
    from authlint.run.embedded_nginx import check_embedded_nginx

    found = _check_nats(linter, ctx, result) if may_embed(ctx.kind, ctx.source.scan_bytes.lower()) else []
    return found + check_embedded_nginx(linter, ctx, result)


def _check_nats(linter: Linter, ctx: FileContext, result: CheckResult) -> list[Diagnostic]:
    """The NATS file rules' findings on every nats-server config ``ctx`` embeds."""
    rules = [r for r in linter.file_rules if NATSCONF in r.kinds]
    if not rules and NATSCONF not in linter.prefilter.kinds():
        return []
    found: list[Diagnostic] = []
    for child in embedded_contexts(ctx):
        source = child.source
        assert isinstance(source, EmbeddedSource)
        try:
            _ = child.tree
        except ParseError as exc:
            found.append(unparsable(source, exc))
            continue
        linter.find_secrets(child, result)
        elsewhere = elsewhere_spans(child)
        fragment = child.__dict__.get(_INCLUDED, False)
        lower = source.text.lower().encode("utf-8", "surrogatepass")
        for rule in rules:
            if not linter.prefilter.matches(rule, NATSCONF, lower):
                continue
            for diag in linter._run(rule, lambda r=rule, c=child: r.check(c), ctx.source.relpath, result, child):
                if diag.span in elsewhere and diag.code == UNRESOLVED:
                    continue  # a file of the pod: neither missing nor there as far as authlint knows
                if diag.unless_included and fragment:
                    continue  # a key another key of the same ConfigMap includes: checked there
                found.append(into_host(diag, source))
    return found


def unparsable(source: EmbeddedSource, exc: ParseError) -> Diagnostic:
    """E001 at the line of the YAML file where the embedded config stops parsing."""
    from authlint.rules.engine.e001_unparsable_file import CannotParse, UnparsableFile

    host = source.host
    assert host is not None
    offset = source.host_offset(min(exc.offset, len(source.text)))
    line, _ = host.position(offset)
    end = max(offset, host.line_starts[line - 1] + len(host.line_text(line)))
    what = "nginx config" if source.kind == NGINX else "nats-server config"
    detail = f"{what} in {source.label}: {exc.message}"
    return UnparsableFile().report(host, Span(offset, end), CannotParse(detail))


def into_host(diag: Diagnostic, source: EmbeddedSource) -> Diagnostic:
    """A finding on an embedded config, moved into the YAML file that holds it."""
    host = source.host
    if diag.source is not source or host is None:
        return diag
    related = [
        (host, source.host_span(span), note) if where is source else (where, span, note)
        for where, span, note in diag.related
    ]
    return dataclasses.replace(
        diag, source=host, span=source.host_span(diag.span), fix=_fix(diag.fix, source), related=related
    )


def _fix(fix: Fix | None, source: EmbeddedSource) -> Fix | None:
    """The fix's edits of the config, in the YAML file: re-indented in a literal block (applied as
    the rule classed them), mapped and display-only elsewhere; edits of other files stay."""
    if fix is None:
        return None
    edits = []
    for edit in fix.edits:
        if edit.relpath is not None and edit.relpath != source.relpath:
            edits.append(edit)
            continue
        span = source.host_span(Span(edit.start, edit.end))
        content = edit.content
        if source.fixable:
            text = source.text  # in place: the host's offsets
            content = source.reindent(content, span.start == 0 or text[span.start - 1] in "\r\n")
        edits.append(Edit(span.start, span.end, content, None))
    if source.fixable:
        return dataclasses.replace(fix, edits=tuple(edits))
    return Fix.display_only(fix.title, *edits, files=fix.files)


def rehome(value: Any, source: EmbeddedSource, seen: dict[int, Any] | None = None) -> Any:
    """A fact of an embedded config as a fact of the YAML file: every ``Span`` mapped, every
    reference to the config's source made one to the YAML file's. Facts are dataclasses, lists,
    dicts and tuples of those; anything else is kept as is."""
    seen = {} if seen is None else seen
    if isinstance(value, Span):
        return source.host_span(value)
    if isinstance(value, Source):
        return source.host if value is source else value
    if id(value) in seen:
        return seen[id(value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        copy = dataclasses.replace(value) if not _has_init_false(value) else value
        seen[id(value)] = copy
        for item in dataclasses.fields(value):
            object.__setattr__(copy, item.name, rehome(getattr(value, item.name), source, seen))
        return copy
    if isinstance(value, list):
        return [rehome(item, source, seen) for item in value]
    if isinstance(value, tuple):
        return tuple(rehome(item, source, seen) for item in value)
    if isinstance(value, dict):
        return {key: rehome(item, source, seen) for key, item in value.items()}
    return value


def _has_init_false(value: Any) -> bool:
    return any(not item.init for item in dataclasses.fields(value))
