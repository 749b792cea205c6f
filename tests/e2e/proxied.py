"""Shared steps of the proxy end-to-end tests: a fixture project fixed by the real CLI, its nginx
config made runnable on loopback (free ports, files kept in a tmp prefix), app processes started
and stopped by their own ids."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from tests.nginx_server import http_preamble, main_preamble


def fix_with_cli(project: Path, select: str) -> subprocess.CompletedProcess:
    """``authlint fix --apply --unsafe-fixes`` on ``project``, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "authlint", "fix", "--apply", "--unsafe-fixes", "--no-cache", "--select", select, "."],
        cwd=project, capture_output=True, text=True, timeout=120,
    )


def check_with_cli(project: Path, select: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "authlint", "check", "--no-cache", "--select", select, "."],
        cwd=project, capture_output=True, text=True, timeout=120,
    )


def runnable(config: str, prefix: Path, ports: dict[str, int]) -> Path:
    """The project's nginx.conf with its loopback ports replaced (``127.0.0.1:3001`` -> a free
    one) and nginx's pid, temp files and logs kept in ``prefix``."""
    for written, port in ports.items():
        config = config.replace(f"127.0.0.1:{written};", f"127.0.0.1:{port};")
    config = config.replace("http {\n", f"http {{\n    {http_preamble(prefix)}\n", 1)
    path = prefix / "nginx.conf"
    path.write_text(f"{main_preamble(prefix)}\n{config}", encoding="utf-8")
    return path


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@contextmanager
def processes(commands: Sequence[tuple[list[str], dict[str, str], int]], cwd: Path) -> Iterator[None]:
    """Each ``(argv, env, port)`` started in ``cwd`` until it listens on its port; stopped after."""
    started: list[subprocess.Popen] = []
    try:
        for argv, env, port in commands:
            proc = subprocess.Popen(argv, cwd=cwd, env={**os.environ, **env},
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            started.append(proc)
            deadline = time.monotonic() + 15
            while not _listening(port):
                if proc.poll() is not None:
                    raise AssertionError(f"{argv} exited: {proc.stderr.read() if proc.stderr else ''}")
                if time.monotonic() > deadline:
                    raise AssertionError(f"{argv} did not listen on {port}")
                time.sleep(0.05)
        yield
    finally:
        for proc in started:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if proc.stderr is not None:
                proc.stderr.close()


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
