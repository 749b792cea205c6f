"""The ``authlint`` command: check, fix, rules, rule, explain, jwt inspect, probe, init, server.

Exit codes (ruff's convention): 0 nothing left; 1 findings remain or ``fix --apply`` changed files;
2 usage, configuration or internal error (one line on stderr; a traceback only with ``--verbose``).
"""

from __future__ import annotations

import sys
from enum import Enum

import typer

from authlint import __version__
from authlint.cli.commands import (
    OUTPUT_FORMATS,
    CheckOptions,
    guarded,
    internal_errors,
    load_settings,
    report_skips,
    set_verbose,
)

app = typer.Typer(
    name="authlint",
    help="Find and fix authentication and connection misconfigurations: NATS, Socket.IO, CORS, JWT.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# typer shows and checks the choices; the fast path (``authlint.cli.main``) takes the same tuple.
OutputFormat = Enum("OutputFormat", {name.replace("-", "_"): name for name in OUTPUT_FORMATS}, type=str)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"authlint {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_callback(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show skipped files and tracebacks."),
) -> None:
    """authlint: linter and auto-fixer for auth and connection settings."""
    set_verbose(verbose)


def _fail(message: str) -> None:
    from authlint.diagnostics.mask import scrub_patterns

    typer.echo(scrub_patterns(f"authlint: error: {message}"), err=True)
    raise typer.Exit(2)


def _guard(func):
    """Known and unknown errors become exit 2 with one line (``commands.guarded``); typer's own
    exits pass through."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if guarded(lambda: func(*args, **kwargs) or 0, passthrough=(typer.Exit,)) == 2:
            raise typer.Exit(2)

    return wrapper


PATHS = typer.Argument(None, help="Files or folders to check (default: the current folder).")
SELECT = typer.Option(None, "--select", help="Rule codes or prefixes to run (comma-separated).")
IGNORE = typer.Option(None, "--ignore", help="Rule codes or prefixes to skip.")
EXTEND_SELECT = typer.Option(None, "--extend-select", help="Codes to add to the selection.")
CONFIG = typer.Option(None, "--config", help="Use this config file instead of searching for one.")
FORCE_EXCLUDE = typer.Option(False, "--force-exclude", help="Apply excludes to files named on the command line.")
FORMAT = typer.Option(None, "--output-format", help="full, concise, json, json-lines, sarif or github.")


@app.command()
@_guard
def check(
    paths: list[str] | None = PATHS,
    select: list[str] | None = SELECT,
    ignore: list[str] | None = IGNORE,
    extend_select: list[str] | None = EXTEND_SELECT,
    output_format: OutputFormat | None = FORMAT,
    output_file: str | None = typer.Option(None, "--output-file", "-o", help="Write the report to a file."),
    statistics: bool = typer.Option(False, "--statistics", help="Print counts per rule instead of findings."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when findings remain."),
    force_exclude: bool = FORCE_EXCLUDE,
    config: str | None = CONFIG,
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (default: all cores)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write .authlint_cache/."),
    baseline: str | None = typer.Option(None, "--baseline", help="Report only findings this baseline file does not hold."),
    write_baseline: str | None = typer.Option(None, "--write-baseline", help="Record today's findings in this file."),
    add_ignore: bool = typer.Option(False, "--add-ignore", help="Add an `authlint: ignore[CODE]` comment on every finding."),
) -> None:
    """Check files and report findings."""
    from authlint.cli.commands import check as run

    options = CheckOptions(
        paths=list(paths or []), select=list(select or []), ignore=list(ignore or []),
        extend_select=list(extend_select or []), output_format=output_format.value if output_format else None,
        output_file=output_file, statistics=statistics, exit_zero=exit_zero, force_exclude=force_exclude,
        config=config, jobs=jobs, no_cache=no_cache, baseline=baseline, write_baseline=write_baseline,
        add_ignore=add_ignore,
    )
    raise typer.Exit(guarded(lambda: run(options)))


@app.command()
@_guard
def fix(
    paths: list[str] | None = PATHS,
    apply: bool = typer.Option(False, "--apply", help="Write the fixes (default: print the diff only)."),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="Also apply fixes that change behaviour."),
    select: list[str] | None = SELECT,
    ignore: list[str] | None = IGNORE,
    extend_select: list[str] | None = EXTEND_SELECT,
    force_exclude: bool = FORCE_EXCLUDE,
    config: str | None = CONFIG,
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (default: all cores)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write .authlint_cache/."),
) -> None:
    """Fix what can be fixed: print the diff, or write it with --apply."""
    from authlint.diagnostics.diff import unified_diff
    from authlint.report.base import ReportInput
    from authlint.report.text import render_concise
    from authlint.run.engine import Linter
    from authlint.run.runner import run_fix, write_fixes

    paths = list(paths or ["."])
    settings, _ = load_settings(paths, config, select, ignore, extend_select, force_exclude, unsafe_fixes)
    linter = Linter(settings)
    result, loaded = run_fix(paths, settings, linter, unsafe=settings.unsafe_fixes, jobs=jobs, use_cache=not no_cache)
    report_skips(loaded)
    originals = {ctx.source.relpath: ctx.source for ctx in loaded.contexts}
    remaining = result.remaining.diagnostics
    for relpath, title in result.dropped:
        from authlint.diagnostics.mask import scrub_patterns

        shown = scrub_patterns(title)  # masked when made (a key a title names); the patterns last
        typer.echo(f"authlint: a fix for {relpath} was dropped ({shown}): the result did not parse", err=True)
    if apply:
        written = write_fixes(result)
        for relpath in written:
            if result.applied.get(relpath):
                typer.echo(f"fixed {result.applied[relpath]} finding(s) in {relpath}", err=True)
            else:
                typer.echo(f"updated {relpath} for a fix of a finding in another file", err=True)
        report = ReportInput(remaining, linter.rules, result.remaining.files_checked, settings.unsafe_fixes,
                             too_large=loaded.too_large, max_file_size=settings.max_file_size)
        if remaining:
            sys.stdout.write(render_concise(report))
        if internal_errors(result.remaining.errors):
            raise typer.Exit(2)
        raise typer.Exit(1 if written or remaining else 0)
    for relpath, ctx in sorted(result.changed.items()):
        sys.stdout.write(unified_diff(originals[relpath], ctx.source))
    count = sum(result.applied.values())
    if result.changed:
        typer.echo(
            f"Would fix {count} finding(s) in {len(result.changed)} file(s); run with --apply to write.", err=True
        )
    left = [d for d in remaining]
    if left:
        typer.echo(f"{len(left)} finding(s) have no {'' if settings.unsafe_fixes else 'safe '}fix.", err=True)
    if internal_errors(result.remaining.errors):
        raise typer.Exit(2)
    raise typer.Exit(1 if result.changed or left else 0)


@app.command("rules")
@_guard
def rules_command(
    output_format: str = typer.Option("text", "--output-format", help="text or json."),
) -> None:
    """List every rule: code, name, fix availability, summary."""
    import json

    from authlint.rules import registry

    rules = registry()
    if output_format == "json":
        data = [
            {
                "code": r.code,
                "name": r.name,
                "summary": r.summary,
                "fix": r.fix_availability.value,
                "severity": r.severity.value,
                "languages": r.languages,
                "kinds": sorted(r.kinds),
            }
            for r in rules.values()
        ]
        typer.echo(json.dumps(data, indent=2))
        return
    if output_format != "text":
        _fail("rules --output-format takes text or json")
    width = max(len(r.name) for r in rules.values())
    for rule in rules.values():
        fixable = {"none": " ", "sometimes": "~", "always": "*"}[rule.fix_availability.value]
        typer.echo(f"{rule.code}  {fixable}  {rule.name:<{width}}  {rule.summary}")
    typer.echo("\n*: fixable   ~: sometimes fixable")


@app.command("rule")
@_guard
def rule_command(code: str = typer.Argument(..., help="A rule code (SIO001) or name (ping-timeout).")) -> None:
    """Print one rule's documentation."""
    from authlint.rules import get

    rule = get(code)
    if rule is None:
        _fail(f"unknown rule {code!r} (see `authlint rules`)")
    typer.echo(render_rule_docs(rule))


@app.command("explain")
@_guard
def explain_command(text: str = typer.Argument(..., help="An error message, e.g. 'Authorization Violation'.")) -> None:
    """Map a runtime error message to its likely causes and the rules that find them."""
    from authlint.cli.explain import explain
    from authlint.rules import registry

    matches = explain(text)
    if not matches:
        typer.echo("No known cause for that message. `authlint rules` lists what authlint checks.")
        raise typer.Exit(1)
    rules = registry()
    for entry in matches:
        typer.echo(f"{entry.title}\n\nLikely causes:")
        for cause in entry.causes:
            typer.echo(f"  - {cause}")
        typer.echo("\nRules that find them (run `authlint check`):")
        for code in entry.codes:
            rule = rules.get(code)
            typer.echo(f"  {code} {rule.name + ': ' + rule.summary if rule else ''}".rstrip())
        if entry.probe:
            typer.echo(f"\nAsk the running server:\n  {entry.probe}")
        typer.echo("")


@app.command("probe")
@_guard
def probe_command(
    url: str = typer.Argument(..., help="nats://HOST:PORT (tls:// for TLS) or http(s)://HOST:PORT[/path]."),
    token: str | None = typer.Option(None, "--token", help="NATS: the token to CONNECT with."),
    user: str | None = typer.Option(None, "--user", help="NATS: the user to CONNECT as."),
    password: str | None = typer.Option(None, "--password", help="NATS: the user's password."),
    creds: str | None = typer.Option(None, "--creds", help="NATS: a .creds file (user JWT and nkey seed)."),
    nkey: str | None = typer.Option(None, "--nkey", help="NATS: a file holding a user nkey seed."),
    tls_ca: str | None = typer.Option(None, "--tls-ca", help="A CA bundle to verify the server's certificate."),
    monitor: str | None = typer.Option(None, "--monitor", help="NATS: the monitoring URL (http://HOST:8222) for /varz."),
    origin: str | None = typer.Option(None, "--origin", help="Socket.IO: the page origin to send (CORS)."),
    auth: list[str] | None = typer.Option(None, "--auth", help="Socket.IO: KEY=VALUE of the auth payload (repeatable)."),
    header: list[str] | None = typer.Option(None, "--header", help="Socket.IO: 'Name: value' request header (repeatable)."),
    query: list[str] | None = typer.Option(None, "--query", help="Socket.IO: KEY=VALUE query parameter (repeatable)."),
    path: str = typer.Option("/socket.io/", "--path", help="Socket.IO: the server's path."),
    timeout: float = typer.Option(5.0, "--timeout", help="Seconds each step may take."),
    output_format: str = typer.Option("text", "--output-format", help="text or json."),
) -> None:
    """Ask a running NATS or Socket.IO server what a client would get, and why it is refused.

    Exit 0 when the server accepted, 1 when it refused (the report says why), 2 on usage errors or
    when nothing answered. Credentials given here are never printed."""
    from authlint.probe.options import ProbeOptions, ProbeUsageError, pairs, run
    from authlint.probe.redact import Redactor
    from authlint.probe.render import render

    if output_format not in ("text", "json"):
        _fail(f"--output-format must be text or json, not {output_format!r}")
    redactor = Redactor()
    redactor.add(token, password, *(value.partition("=")[2] for value in auth or ()))
    redactor.add_url(url)
    try:
        options = ProbeOptions(
            url=url, timeout=timeout, output_format=output_format, token=token, user=user, password=password,
            creds=creds, nkey=nkey, tls_ca=tls_ca, monitor=monitor, origin=origin, auth=pairs(auth, "--auth"),
            headers=pairs(header, "--header", ":"), query=pairs(query, "--query"), path=path,
        )
        report, redactor = run(options, redactor)
    except ProbeUsageError as exc:
        _fail(redactor.text(str(exc)))
    except OSError as exc:  # a --creds/--nkey/--tls-ca file that cannot be read
        _fail(redactor.text(f"{exc.filename or ''}: {exc.strerror or exc}"))
    except Exception as exc:  # a bug of the probe: one line, the credentials masked
        _fail(redactor.text(f"internal error in probe: {type(exc).__name__}: {exc}"))
    typer.echo(render(report, output_format, redactor), nl=False)
    raise typer.Exit(report.exit_code)


@app.command("init")
@_guard
def init_command(
    path: str = typer.Argument(".", help="The repository's root."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be written; write nothing."),
) -> None:
    """Write a starter [tool.authlint] (or authlint.toml) from the inputs and versions found, and add
    the authlint hook to .pre-commit-config.yaml when the repository uses pre-commit."""
    from pathlib import Path

    from authlint.config.starter import apply, detect, plan

    root = Path(path)
    if not root.is_dir():
        _fail(f"{path} is not a folder")
    changes = plan(root, detect(root))
    if not changes:
        typer.echo("authlint is already configured here (and in .pre-commit-config.yaml, if used): nothing to write.")
        return
    for change in changes:
        verb = "would create" if dry_run and change.created else "would add to" if dry_run else \
            "created" if change.created else "added to"
        typer.echo(f"{verb} {change.path}:\n")
        typer.echo(change.added.strip("\r\n") + "\n")
    if not dry_run:
        apply(root, changes)


@app.command("server")
@_guard
def server_command() -> None:
    """Run the language server (LSP over stdin/stdout) for editors."""
    try:
        from authlint.server.server import serve
    except ImportError:  # pygls and lsprotocol are the `server` extra
        _fail("the language server needs pygls and lsprotocol: pip install 'authlint[server]'")
    serve()


jwt_app = typer.Typer(help="Look inside JSON Web Tokens.", no_args_is_help=True)
app.add_typer(jwt_app, name="jwt")


@jwt_app.command("inspect")
@_guard
def jwt_inspect_command(
    token: str = typer.Argument(..., help="The token, or - to read it from standard input."),
    key: str | None = typer.Option(None, "--key", help="Test this key (HMAC secret, or @file for a PEM key)."),
    algorithm: list[str] | None = typer.Option(None, "--algorithm", help="Algorithms to accept when verifying."),
) -> None:
    """Decode a JWT without trusting it: claims, lifetime, clock-skew hints, and an optional key check."""
    import time

    from authlint.cli.jwt_inspect import inspect_token, render

    if token == "-":
        token = sys.stdin.read()
    if key and key.startswith("@"):
        try:
            with open(key[1:], encoding="utf-8") as handle:
                key = handle.read()
        except OSError as exc:
            _fail(f"cannot read key file {key[1:]}: {exc.strerror}")
    now = time.time()
    try:
        result = inspect_token(token, now, key, algorithm)
    except ValueError as exc:
        from authlint.diagnostics.mask import mask_new_text

        _fail(mask_new_text(str(exc), (token, key or "")))
    typer.echo(render(result, now, key), nl=False)
    raise typer.Exit(1 if result.findings or result.verified is False else 0)


def render_rule_docs(rule) -> str:
    lines = [f"# {rule.name} ({rule.code})", "", rule.summary + ".", ""]
    lines.append(f"Fix: {rule.fix_availability.value}. Severity: {rule.severity.value}.")
    if rule.languages:
        lines.append(f"Languages: {rule.languages}.")
    lines.append("")
    lines.append(rule.docs())
    if rule.rule_options:
        lines += ["", "## Options"]
        for option in rule.rule_options:
            lines.append(f"- `{option.name}` (default `{option.default}`): {option.help}")
            lines.append(f"  set in `[tool.authlint.rules.{rule.code}]`")
    return "\n".join(lines)


def main() -> None:
    from authlint.cli.main import main as entry

    entry()
