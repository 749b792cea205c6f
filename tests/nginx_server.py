"""A real nginx for the tests (Debian's, which .ci/run installs): ``nginx -t`` as the judge of a
config, and a live nginx on loopback in front of real app servers.

nginx runs unprivileged-style from a prefix folder of its own: ``-p PREFIX -e stderr`` and a
``pid`` under the prefix, so nothing under /var or /etc is touched, and configs written by tests
put their temp paths and logs there too (``http_preamble``). Only 127.0.0.1 is used.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
# the `nginx` marker: in CI (AUTHLINT_REQUIRE_TOOLS=1) a missing nginx fails these tests (tests/conftest.py)
needs_nginx = [pytest.mark.nginx, pytest.mark.skipif(NGINX is None, reason="nginx is not installed")]

TEMP_PATHS = ("client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path", "uwsgi_temp_path", "scgi_temp_path")


def http_preamble(prefix: Path) -> str:
    """Directives for an ``http {}`` block that keep nginx's files inside ``prefix``."""
    lines = [f"{name} {prefix / name.replace('_path', '')};" for name in TEMP_PATHS]
    lines.append(f"access_log {prefix / 'access.log'};")
    return "\n    ".join(lines)


def main_preamble(prefix: Path) -> str:
    """Directives for the main context: the pid file inside ``prefix``, one worker."""
    return f"pid {prefix / 'nginx.pid'};\nworker_processes 1;\nerror_log {prefix / 'error.log'} info;"


def check_config(config: Path, prefix: Path | None = None) -> tuple[bool, str]:
    """``nginx -t`` on ``config``: (accepted, what nginx printed)."""
    assert NGINX is not None
    prefix = prefix or config.parent
    proc = subprocess.run(
        [NGINX, "-t", "-q", "-p", str(prefix), "-e", "stderr", "-c", str(config)],
        capture_output=True, text=True, timeout=30,
    )
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@contextmanager
def running(config: Path, port: int, prefix: Path | None = None) -> Iterator[subprocess.Popen]:
    """nginx started on ``config`` (in the foreground) until it listens on ``port``; stopped after."""
    assert NGINX is not None
    prefix = prefix or config.parent
    ok, said = check_config(config, prefix)
    assert ok, f"nginx -t refused {config}:\n{said}"
    proc = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-e", "stderr", "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 10
        while not _listening(port):
            if proc.poll() is not None:
                raise AssertionError(f"nginx exited {proc.returncode}: {proc.stdout.read() if proc.stdout else ''}")
            if time.monotonic() > deadline:
                raise AssertionError(f"nginx did not listen on {port} within 10 s")
            time.sleep(0.05)
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # fast shutdown: connections are closed at once
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
