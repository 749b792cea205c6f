"""The engine's own findings: files that cannot be parsed or read (E0xx)."""
