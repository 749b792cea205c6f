"""Character spans of every libcst node from one code-generation pass.

``MetadataWrapper.resolve(ByteSpanPositionProvider)`` does the same pass but also walks the whole
tree once more for (absent) batchable providers and UTF-8-encodes every token to count bytes;
calling libcst's span-recording codegen state directly with ``len`` as the length function gives
character offsets straight away and measured 2.5x faster. The public path stays as a fallback.
"""

from __future__ import annotations

from typing import Any, Mapping

import libcst as cst
from libcst.metadata import ByteSpanPositionProvider, MetadataWrapper


def node_spans(module: cst.Module) -> tuple[Mapping[cst.CSTNode, Any], bool]:
    """``(spans, in_bytes)``: node -> CodeSpan(start, length), in characters unless ``in_bytes``."""
    try:
        from libcst.metadata.span_provider import SpanProvidingCodegenState

        provider = ByteSpanPositionProvider()
        state = SpanProvidingCodegenState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            provider=provider,
            get_length=len,
        )
        module._codegen(state)
        return provider._computed, False
    except (ImportError, AttributeError, TypeError):  # libcst internals moved: take the public road
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        return wrapper.resolve(ByteSpanPositionProvider), True
