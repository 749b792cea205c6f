"""examples/nginx and examples/jvm show the proxy and HOCON inputs: their findings are exactly the
ones their comments promise (several codes on a line: ``# <- PRX002 ... <- PRX005 ...``), the
nginx ones joined with examples/python (the app the proxy fronts), and the fixed nginx config is
one Debian's nginx accepts, with every proxy finding gone."""

from __future__ import annotations

import re
from pathlib import Path

from authlint.testing import fix_files, lint_files
from tests.e2e.nginx_configs import Neutraliser, checks, main_config, nginx_files
from tests.nginx_server import check_config, needs_nginx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
MARK = re.compile(r"<- ([A-Z]{3}\d{3})")
SHOWN = ("nginx/chat.conf", "jvm/conf/application.conf")  # the files whose findings are marked here
ORIGINS = ["https://chat.example.com"]


def _files() -> dict[str, str]:
    """The proxy and HOCON examples with the Python app and client they sit beside."""
    paths = [EXAMPLES / name for name in SHOWN] + sorted((EXAMPLES / "python").glob("*.py"))
    return {path.relative_to(ROOT).as_posix(): path.read_text() for path in paths}


def _promised(files: dict[str, str]) -> set[tuple[str, int, str]]:
    promised = set()
    for relpath, text in files.items():
        if relpath.removeprefix("examples/") not in SHOWN:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            comment = line.partition("#")[2]
            promised.update((relpath, number, code) for code in MARK.findall(comment))
    return promised


def test_findings_are_the_marked_ones() -> None:
    files = _files()
    result = lint_files(files)
    assert not result.errors
    found = {(d.path, d.start[0], d.code) for d in result.diagnostics if d.path.removeprefix("examples/") in SHOWN}
    promised = _promised(files)
    assert {code for _, _, code in promised} >= {"PRX001", "PRX002", "PRX003", "PRX004", "PRX005", "COR001",
                                                  "COR002", "COR003"}
    assert found == promised


def test_fixes_close_the_proxy_findings_and_converge() -> None:
    files = _files()
    fixed = fix_files(files, unsafe=True, allowed_origins=ORIGINS)
    assert fix_files(fixed, unsafe=True, allowed_origins=ORIGINS) == fixed
    remaining = {(d.path, d.code) for d in lint_files(fixed, allowed_origins=ORIGINS).diagnostics}
    assert not {code for path, code in remaining if path == "examples/nginx/chat.conf"}, remaining
    nginx = fixed["examples/nginx/chat.conf"]
    assert "proxy_http_version 1.1;" in nginx and "ip_hash;" in nginx
    assert "proxy_read_timeout 90s;" in nginx  # twice server.py's ping cycle once SIO001 fixes its ms value
    hocon = fixed["examples/jvm/conf/application.conf"]
    assert 'allowedOrigins = ["https://chat.example.com"]' in hocon
    assert '"https://app.example.com"' in hocon and '"https://app.example.com/"' not in hocon


@needs_nginx[0]
@needs_nginx[1]
def test_the_fixed_proxy_config_passes_nginx_t(tmp_path: Path) -> None:
    """The unsafe fixes too (the CLI test of every fixture applies the safe ones): nginx accepts
    the config with all of them applied."""
    fixed = fix_files(_files(), unsafe=True, allowed_origins=ORIGINS)
    project = tmp_path / "project"
    site = project / "nginx" / "chat.conf"
    site.parent.mkdir(parents=True)
    site.write_text(fixed["examples/nginx/chat.conf"])
    prefix = tmp_path / "prefix"
    prefix.mkdir()
    Neutraliser(project, prefix).run(nginx_files(project))
    (check,) = checks(project, prefix)
    ok, said = check_config(main_config(check, prefix), prefix)
    assert ok, said
