"""The ``authlint`` entry point: a fast path for ``check``, typer for everything else.

A pre-commit hook runs ``authlint check --force-exclude F1 F2 F3`` on every commit; parsing that
with typer costs more than checking the files (importing it and building its pydantic adapters).
``parse_check`` reads exactly ``check``'s options (a test holds the table equal to the typer
command's) and returns None for anything else (help, other commands, a malformed or unusual
argument), which typer then handles with its own messages.
"""

from __future__ import annotations

import sys

from authlint.cli.commands import OUTPUT_FORMATS, CheckOptions

# option -> (CheckOptions field, kind): "flag", "value", "multi" (repeatable), "int" (>= 1), "format"
CHECK_OPTIONS: dict[str, tuple[str, str]] = {
    "--select": ("select", "multi"),
    "--ignore": ("ignore", "multi"),
    "--extend-select": ("extend_select", "multi"),
    "--output-format": ("output_format", "format"),
    "--output-file": ("output_file", "value"),
    "-o": ("output_file", "value"),
    "--statistics": ("statistics", "flag"),
    "--exit-zero": ("exit_zero", "flag"),
    "--force-exclude": ("force_exclude", "flag"),
    "--config": ("config", "value"),
    "--jobs": ("jobs", "int"),
    "-j": ("jobs", "int"),
    "--no-cache": ("no_cache", "flag"),
    "--baseline": ("baseline", "value"),
    "--write-baseline": ("write_baseline", "value"),
    "--add-ignore": ("add_ignore", "flag"),
}
GLOBAL_FLAGS = ("--verbose", "-v")


def parse_check(argv: list[str]) -> tuple[CheckOptions, bool] | None:
    """``(options, verbose)`` for a plain ``[-v] check ...`` command line, else None."""
    verbose = False
    index = 0
    while index < len(argv) and argv[index] in GLOBAL_FLAGS:
        verbose = True
        index += 1
    if index >= len(argv) or argv[index] != "check":
        return None
    options = CheckOptions()
    args = argv[index + 1 :]
    i = 0
    while i < len(args):
        token = args[i]
        i += 1
        if not token.startswith("-"):
            options.paths.append(token)
            continue
        name, eq, attached = token.partition("=")
        spec = CHECK_OPTIONS.get(name)
        if spec is None or (eq and not name.startswith("--")):
            return None  # help, ``--``, ``-``, an unknown option, ``-j4``: typer's business
        attr, kind = spec
        if kind == "flag":
            if eq:
                return None
            setattr(options, attr, True)
            continue
        if eq:
            value = attached
        elif i < len(args):
            value = args[i]
            i += 1
        else:
            return None  # a missing value: typer says so
        if kind == "multi":
            getattr(options, attr).append(value)
        elif kind == "int":
            if not value.isdigit() or int(value) < 1:
                return None
            setattr(options, attr, int(value))
        elif kind == "format":
            if value not in OUTPUT_FORMATS:
                return None
            setattr(options, attr, value)
        else:
            setattr(options, attr, value)
    return options, verbose


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    parsed = parse_check(args)
    if parsed is not None:
        from authlint.cli.commands import check, guarded, set_verbose

        options, verbose = parsed
        set_verbose(verbose)
        code = guarded(lambda: check(options))
        if argv is None:  # the console script: this process ends here
            exit_now(code)
        sys.exit(code)
    from authlint.cli.app import app

    app(args=args, prog_name="authlint")


def exit_now(code: int) -> None:
    """End the process without tearing the interpreter down (as mypy does): freeing every module,
    rule and result object cost a full run ~50 ms, and nothing is left to clean up (the report is
    flushed below, the cache and ``--output-file`` were closed when written)."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``| head``): nothing more can be said
            pass
    os._exit(code)
