"""The fix kit: what rules use to render code and build edits, so no rule concatenates code."""
