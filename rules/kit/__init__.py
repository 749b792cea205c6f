"""The fix kit: what rules use to read fact values and to write fixes, so that no rule branches on a
language or builds code by concatenating strings.

- ``render``: values as literals in the file's own syntax and quote style (``Code`` for calls).
- ``options``: insert (one or several), set, replace, remove and rename an option in a call, dict or
  object; add a setting beside its sibling (``add_setting``). Python calls and dicts are changed
  through libcst (``python_cst``, loaded only when such an edit is made), JS/TS and YAML as text at
  their parsers' spans.
- ``durations``: rule-option durations, durations shown to people, lifetimes rewritten in place.
- ``origin_lists``: an origin list made to hold given origins entry by entry (``set_origins``), its
  layout, comments and quotes kept, each origin once.
- ``values``: reading fact values (which spelling is present, numbers, hard-coded or not).
- ``handshake``: a Socket.IO server's query read made to take the ``auth`` payload first (SIO006).
- ``directives``: nginx directives added to a block or edited in place, quoted as nginx reads them.

Cheap to import (no parsers at module level): every rule module imports it.
"""

from __future__ import annotations

from authlint.rules.kit.durations import approximate, human, parse_duration, render_lifetime
from authlint.rules.kit.handshake import origin_gate, read_auth_first
from authlint.rules.kit.options import (
    add_setting,
    insert_option,
    insert_options,
    remove_option,
    rename_option,
    replace_value,
    set_option,
)
from authlint.rules.kit.origin_lists import set_origins
from authlint.rules.kit.render import Code, literal, moved, number, quote_style, string
from authlint.rules.kit.values import hardcoded, literal_values, option

__all__ = [
    "Code", "add_setting", "approximate", "hardcoded", "human", "insert_option", "insert_options", "literal",
    "literal_values", "moved", "number", "option",
    "parse_duration", "quote_style", "origin_gate", "read_auth_first", "remove_option", "rename_option",
    "render_lifetime", "replace_value", "set_option", "set_origins", "string",
]

# Edits JWT003's fixes make: a key after the token, arguments in the place of `options=`, code a fact spelled.
from authlint.rules.kit.options import insert_arguments, replace_option  # noqa: E402
from authlint.rules.kit.render import spelled  # noqa: E402

__all__ += ["insert_arguments", "replace_option", "spelled"]

# nginx directives (rules/proxy): a directive line added to a block, an argument replaced in place.
from authlint.rules.kit.directives import (  # noqa: E402
    add_argument,
    insert_before_servers,
    insert_directives,
    insert_directives_first,
    replace_argument,
)

__all__ += ["add_argument", "insert_before_servers", "insert_directives", "insert_directives_first", "replace_argument"]
