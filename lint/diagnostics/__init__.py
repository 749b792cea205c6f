"""Stage 5, diagnostics: what a rule reports (diagnostic, fix edits), how it is silenced
(suppress), applied (fix), shown as a diff, and shown with their secrets masked (mask)."""
