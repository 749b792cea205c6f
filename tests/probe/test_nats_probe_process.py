"""``python -m authlint probe nats://…`` as a user runs it: exit 0 accepted, 1 refused, 2 when
nothing NATS answered or the command line is unusable; no secret on stdout or stderr."""

from __future__ import annotations

import json
from pathlib import Path

from tests.loopback import free_port
from tests.nats_broker import needs_server, serving, write
from tests.nats_jwt import Key, Operator, creds_file
from tests.probe.natsprobing import probe_process

pytestmark = needs_server

TOKEN = "proc-token-19d3c7a2e6f0"


def test_accepted_refused_and_unreachable_exit_codes(tmp_path: Path) -> None:
    write(tmp_path, {"server.conf": f'authorization {{ token: "{TOKEN}" }}\n'})
    wrong = "wrong-" + TOKEN
    with serving(tmp_path, "server.conf") as server:
        url = f"nats://127.0.0.1:{server.port}"
        accepted = probe_process(url, "--token", TOKEN, secrets=(TOKEN,))
        refused = probe_process(url, "--token", wrong, secrets=(TOKEN, wrong))
        refused_json = probe_process(url, "--token", wrong, secrets=(TOKEN, wrong), output_format="json")
    unreachable = probe_process(f"nats://127.0.0.1:{free_port()}", "--token", TOKEN, secrets=(TOKEN,))
    assert accepted.returncode == 0 and "ACCEPTED: the server accepted a token (auth_token)" in accepted.stdout
    assert refused.returncode == 1 and "REFUSED: -ERR 'Authorization Violation'" in refused.stdout
    assert refused_json.returncode == 1 and json.loads(refused_json.stdout)["reason"] == "-ERR 'Authorization Violation'"
    assert unreachable.returncode == 2 and "UNREACHABLE: cannot connect to 127.0.0.1:" in unreachable.stdout
    assert not accepted.stderr and not refused.stderr


def test_creds_login_and_an_unreadable_creds_file(tmp_path: Path) -> None:
    op, user = Operator.new(), Key.new("user")
    jwt = op.user_jwt(user, "svc")
    write(tmp_path, {"server.conf": op.config(), "svc.creds": creds_file(jwt, user.seed)})
    with serving(tmp_path, "server.conf") as server:
        url = f"nats://127.0.0.1:{server.port}"
        accepted = probe_process(url, "--creds", str(tmp_path / "svc.creds"), secrets=(jwt, user.seed))
        missing = probe_process(url, "--creds", str(tmp_path / "nope.creds"))
    assert accepted.returncode == 0 and "user JWT 'svc'" in accepted.stdout and "never expires" in accepted.stdout
    assert missing.returncode == 2 and "nope.creds" in missing.stderr and "Traceback" not in missing.stderr
