"""``authlint server``: the language server (LSP over stdio, on pygls) that checks editor buffers."""
