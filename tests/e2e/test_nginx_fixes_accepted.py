"""Every nginx config authlint fixes is one nginx accepts: each fixture project under
tests/fixtures/nginx/ (each of its variants, ``broken/`` and ``fixed/``) and examples/ are copied,
fixed with the real ``authlint fix --apply``, and every nginx file in them is judged by ``nginx -t``
(Debian's), with only what cannot exist on a test machine neutralised (tests/e2e/nginx_configs.py,
``ADJUSTMENTS``). New fixture projects are picked up without registering them here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.nginx_configs import ROOT, Neutraliser, checks, main_config, nginx_files, units
from tests.nginx_server import check_config, needs_nginx

pytestmark = needs_nginx
UNITS = [unit for unit in units() if nginx_files(unit)]  # examples/ may hold none yet


def test_there_are_nginx_configs_to_judge() -> None:
    assert UNITS, "no nginx config under tests/fixtures/nginx or examples/"


@pytest.mark.parametrize("unit", UNITS, ids=[u.relative_to(ROOT).as_posix() for u in UNITS])
def test_fixed_configs_pass_nginx_t(unit: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(unit, project, ignore=shutil.ignore_patterns("node_modules", ".authlint_cache"))
    fixed = subprocess.run([sys.executable, "-m", "authlint", "fix", ".", "--apply", "--no-cache"], cwd=project,
                           capture_output=True, text=True, timeout=300)
    assert fixed.returncode in (0, 1), fixed.stderr
    files = nginx_files(project)
    prefix = tmp_path / "prefix"
    prefix.mkdir()
    Neutraliser(project, prefix).run(files)
    judged = checks(project, prefix)
    assert judged, "no nginx config to judge"
    refused = []
    for check in judged:
        ok, said = check_config(main_config(check, prefix), prefix)
        if not ok:
            names = ", ".join(f.relative_to(project).as_posix() for f in check.files)
            refused.append(f"{names}:\n{said}")
    assert not refused, "\n\n".join(refused)


def test_the_judge_refuses_what_nginx_refuses(tmp_path: Path) -> None:
    """The same path through neutralising and wrapping still lets nginx refuse a bad directive (a
    fix that wrote ``proxy_http_version`` twice would fail here)."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "nginx" / "flask-socketio" / "fixed", project)
    site = project / "nginx" / "conf.d" / "chat.conf"
    site.write_text(site.read_text().replace("proxy_http_version 1.1;", "proxy_http_version 1.1;\n"
                                             "        proxy_http_version 1.0;"))
    prefix = tmp_path / "prefix"
    prefix.mkdir()
    Neutraliser(project, prefix).run(nginx_files(project))
    (check,) = checks(project, prefix)
    ok, said = check_config(main_config(check, prefix), prefix)
    assert not ok and '"proxy_http_version" directive is duplicate' in said, said


def test_a_tcp_site_is_judged_in_a_stream_block(tmp_path: Path) -> None:
    """A NATS port behind nginx (``stream {}``, Debian's libnginx-mod-stream): wrapped in ``stream``,
    its Compose host pointed at loopback, and accepted."""
    project = tmp_path / "project"
    (project / "nginx").mkdir(parents=True)
    site = project / "nginx" / "nats-stream.conf"
    site.write_text("upstream nats_cluster {\n    server nats-1:4222;\n    server nats-2:4222;\n}\n"
                    "server {\n    listen 4222;\n    proxy_pass nats_cluster;\n    proxy_timeout 10m;\n}\n")
    prefix = tmp_path / "prefix"
    prefix.mkdir()
    Neutraliser(project, prefix).run(nginx_files(project))
    (check,) = checks(project, prefix)
    config = main_config(check, prefix)
    assert "stream {" in config.read_text()
    ok, said = check_config(config, prefix)
    assert ok, said
    assert "server 127.0.0.1:4222;" in site.read_text() and "proxy_pass nats_cluster;" in site.read_text()
