"""nginx's inheritance of directives, which decides what is in effect in a location.

A directive written in a block applies to the blocks inside it unless they write the same
directive themselves; then the inner block's copies replace *all* of the outer ones. That holds for
the array directives too (``add_header``, ``proxy_set_header``): one ``add_header`` in a location
drops every header the server block adds, the trap behind many "CORS header missing" reports.
Directives inside ``if`` blocks apply only to the requests the condition picks, so they are kept
apart (``conditional``).
"""

from __future__ import annotations

from authlint.facts.model import NginxDirective
from authlint.syntax.nginx import Directive

# block directives whose contents are a scope of their own, not settings of the enclosing block
SCOPES = frozenset({"http", "server", "location", "stream", "upstream", "events", "mail", "map",
                    "types", "geo", "split_clients", "limit_except", "if", "match", "charset_map"})


def fact_directive(directive: Directive, level: str, inherited: bool = False) -> NginxDirective:
    return NginxDirective(
        name=directive.name, args=list(directive.args), span=directive.span,
        arg_spans=list(directive.arg_spans), level=level, inherited=inherited,
    )


def own_settings(block: list[Directive], level: str, inherited: bool) -> dict[str, list[NginxDirective]]:
    """The simple directives written directly in ``block`` (not in the blocks nested in it), by name."""
    found: dict[str, list[NginxDirective]] = {}
    for directive in block:
        if directive.block is not None and directive.name in SCOPES:
            continue
        found.setdefault(directive.name, []).append(fact_directive(directive, level, inherited))
    return found


def effective(chain: list[tuple[str, list[Directive]]]) -> dict[str, list[NginxDirective]]:
    """The directives in effect in the innermost of ``chain`` ((level, directives) outermost first):
    for each name, the copies written at the innermost level that writes it."""
    settings: dict[str, list[NginxDirective]] = {}
    last = len(chain) - 1
    for index, (level, block) in enumerate(chain):
        settings.update(own_settings(block, level, inherited=index != last))
    return settings


def conditional(block: list[Directive]) -> list[NginxDirective]:
    """The directives inside the ``if`` blocks of ``block`` (at any depth of ifs), in order."""
    found: list[NginxDirective] = []
    for directive in block:
        if directive.name == "if" and directive.block is not None:
            for inner in directive.block:
                if inner.block is None:
                    found.append(fact_directive(inner, "if"))
            found.extend(conditional(directive.block))
    return found
