"""Fact extractors per file kind, imported lazily (tree-sitter only when needed)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Callable, Iterable

from authlint.errors import AuthlintError
from authlint.facts.model import Fact, FileFacts

if TYPE_CHECKING:
    from authlint.run.context import FileContext

# kind -> "module:function"s; each takes a FileContext and returns an iterable of facts.
EXTRACTORS: dict[str, tuple[str, ...]] = {
    "python": (
        "authlint.facts.python:extract", "authlint.facts.python.channels:extract",
        "authlint.facts.python.env_fallbacks:extract",
    ),
    "javascript": (
        "authlint.facts.javascript:extract", "authlint.facts.javascript.channels:extract",
        "authlint.facts.javascript.env_fallbacks:extract",
    ),
    "typescript": (
        "authlint.facts.javascript:extract", "authlint.facts.javascript.channels:extract",
        "authlint.facts.javascript.env_fallbacks:extract",
    ),
    "yaml": ("authlint.facts.yaml.extract:extract", "authlint.facts.yaml.environment:extract",
             "authlint.facts.launches:from_yaml",
             "authlint.facts.yaml.natsconf_embedded:extract",  # nats-server configs embedded in YAML
             "authlint.facts.yaml.nginx_embedded:extract"),  # nginx configs and ingress snippets in YAML
    "natsconf": ("authlint.facts.natsconf.extract:extract", "authlint.facts.natsconf.needs:extract"),
    "dotenv": ("authlint.facts.dotenv:extract",),
    "jwt": ("authlint.facts.natsjwt:extract",),
    "creds": ("authlint.facts.natsjwt:extract",),
    "dockerfile": ("authlint.facts.launches:from_dockerfile",),
    "procfile": ("authlint.facts.launches:from_procfile",),
    "json": ("authlint.facts.natscontext:extract",),
    "nginx": (
        "authlint.facts.nginx.extract:extract",
        "authlint.facts.nginx.cors:extract",
        "authlint.facts.nginx.logs:extract",
    ),
    "hocon": ("authlint.facts.hocon:extract",),
}


class ExtractorError(AuthlintError):
    """An entry of ``EXTRACTORS`` that does not import: a bug in authlint, never in the scanned code.

    It ends the run (exit 2, one line naming the entry) instead of dropping a language's facts, so
    a typo in the table cannot pass as "no findings".
    """


def extractor(target: str) -> Callable[[FileContext], Iterable[Fact]]:
    """The function a ``module:function`` entry names; ExtractorError when it does not import."""
    module, _, function = target.partition(":")
    try:
        found = getattr(import_module(module), function)
    except ImportError as exc:
        raise ExtractorError(f"internal error: fact extractor `{target}` does not import: {exc}") from exc
    except AttributeError as exc:
        raise ExtractorError(f"internal error: fact extractor `{target}`: module has no `{function}`") from exc
    return found


def extract(ctx: FileContext) -> FileFacts:
    facts = FileFacts()
    for target in EXTRACTORS.get(ctx.kind, ()):
        for fact in extractor(target)(ctx):
            facts.add(fact)
    facts.items.sort(key=lambda fact: (fact.span.start, fact.span.end))
    return facts
