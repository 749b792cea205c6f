"""Facts of the nginx configuration a YAML file embeds (ConfigMap keys, ingress-nginx snippet
annotations; ``lint/syntax/embedded_nginx.py``), as facts of the YAML file.

The nginx facts (proxied locations with their settings in effect, upstreams, maps) are extracted as
for an nginx file and moved into the YAML file (``run.embedded.rehome``), so the project rules
weigh a ConfigMap's proxy against the project's apps. Includes and snippet settings are not kept:
a ConfigMap's ``include`` names files of the pod, not of the project, and nothing in the project
includes a ConfigMap key by its YAML path. Where no directive may be inserted in place (a folded,
quoted or base64 value, or a location snippet, whose location the controller's template also
writes), ``insert_at`` is None, so no fix inserts there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import Fact, NginxInclude, NginxProxy, NginxSnippet, NginxUpstream
from authlint.syntax.errors import ParseError

if TYPE_CHECKING:
    from authlint.run.context import FileContext


def extract(ctx: FileContext) -> Iterator[Fact]:
    from authlint.run.embedded import rehome
    from authlint.run.embedded_nginx import found_of, nginx_contexts
    from authlint.syntax.embedded_nginx import LOCATION

    for child in nginx_contexts(ctx):
        source = child.source
        try:
            found = list(child.facts.items)  # every extractor of the nginx kind
        except ParseError:
            continue
        fixed_in_place = source.fixable and found_of(child).role != LOCATION  # type: ignore[attr-defined]
        for fact in found:
            if isinstance(fact, (NginxInclude, NginxSnippet)):
                continue
            moved = rehome(fact, source)  # type: ignore[arg-type]
            if isinstance(moved, (NginxProxy, NginxUpstream)) and not fixed_in_place:
                moved.insert_at = None
            yield moved
