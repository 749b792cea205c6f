"""NAT004 (unsafe): a plaintext password or token becomes its bcrypt hash, and every client keeps
logging in with the secret it always sent, while a wrong one is refused.

The projects are written the way deployments keep users: a variable at the top of the file, an
account per service, users in an included file managed by ops (CRLF, with permissions), a token
next to a websocket listener and a cluster block."""

from __future__ import annotations

from pathlib import Path

import pytest

from authlint.testing import fix_files, lint_files
from tests.behaviour.project import fixed
from tests.nats_broker import Login, check_config, free_port, needs_server, refused, serving, write

pytestmark = needs_server
FAST = {"NAT004": {"bcrypt-cost": 4}}  # the fix's hash, cheap enough for a test
MAIN = "nats-server.conf"

USERS = (
    "# application users (ops)\r\n"
    "users: [\r\n"
    '  {user: orders_api, password: "0rders-api-pass-2024", permissions: {publish: ["orders.>"], subscribe: ["_INBOX.>"]}}\r\n'
    "  {user: 'ops', pass: 0ps-pass-2024-xyz}   # unquoted, as people write it\r\n"
    "]\r\n"
)
SERVICE = """# orders service, node 1
server_name: "orders-1"
BILLING_PASS: "billing-pass-2024-abc"

accounts {
  BILLING: {
    users: [
      {user: billing, password: $BILLING_PASS}  # shared with the billing job
    ]
  }
}

authorization {
  default_permissions: { publish: "app.>", subscribe: ["app.>", "_INBOX.>"] }
  include "auth/users.conf"   # managed by ops
  timeout: 2
}
"""
HONEST = (
    Login("orders_api", "0rders-api-pass-2024"),
    Login("ops", "0ps-pass-2024-xyz"),
    Login("billing", "billing-pass-2024-abc"),
)


def test_users_in_accounts_variables_and_an_include_keep_their_passwords(tmp_path: Path) -> None:
    files = {MAIN: SERVICE, "auth/users.conf": USERS}
    write(tmp_path, files)
    with serving(tmp_path, MAIN) as server:
        assert server.logins(*HONEST) == ["ok", "ok", "ok"]

    after = fixed(files, "NAT004", root=tmp_path, rule_options=FAST)
    for text in after.values():  # no plaintext is left anywhere, the layout is kept
        assert "0rders-api-pass-2024" not in text and "0ps-pass-2024-xyz" not in text
        assert "billing-pass-2024-abc" not in text
    assert after["auth/users.conf"].count("\r\n") == USERS.count("\r\n")
    assert "# unquoted, as people write it\r\n" in after["auth/users.conf"]
    assert "{user: billing, password: $BILLING_PASS}  # shared with the billing job" in after[MAIN]
    assert after[MAIN].startswith('# orders service, node 1\nserver_name: "orders-1"\nBILLING_PASS: "$2b$04$')

    write(tmp_path, after)
    ok, output = check_config(tmp_path, MAIN)
    assert ok, output
    with serving(tmp_path, MAIN) as server:
        assert server.logins(*HONEST) == ["ok", "ok", "ok"]
        wrong = server.logins(
            Login("orders_api", "billing-pass-2024-abc"),
            Login("billing", "wrong"),
            Login("ops", after["auth/users.conf"].split('pass: "')[1].split('"')[0]),  # the hash itself
        )
        assert all(refused(outcome) for outcome in wrong), wrong
        # the permissions around the hashed password still hold
        assert server.login(HONEST[0], publish="orders.created") == "ok"
        denied = server.login(HONEST[0], publish="billing.invoice")
        assert "permissions violation" in denied.lower(), denied


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # nats-py's websocket transport and aiohttp
def test_a_token_keeps_working_over_tcp_and_websocket(tmp_path: Path) -> None:
    token = "tok-9f8e7d6c5b4a39281706"
    websocket, route = free_port(), free_port()
    text = (
        "# edge node\r\n"
        f"websocket {{\r\n  listen: \"127.0.0.1:{websocket}\"\r\n  no_tls: true\r\n  same_origin: true\r\n}}\r\n"
        f"cluster {{\r\n  name: edge\r\n  listen: 127.0.0.1:{route}\r\n}}\r\n"
        "authorization {\r\n"
        f"  token: '{token}' # rotated quarterly\r\n"
        "  timeout: 2\r\n"
        "}\r\n"
    )
    files = {MAIN: text}
    write(tmp_path, files)
    after = fixed(files, "NAT004", root=tmp_path, rule_options=FAST)[MAIN]
    assert token not in after
    assert after.replace(after.split("token: ")[1].split(" #")[0], "'HASH'") == text.replace(token, "HASH")
    write(tmp_path, {MAIN: after})
    ok, output = check_config(tmp_path, MAIN)
    assert ok, output
    with serving(tmp_path, MAIN) as server:
        ws = f"ws://127.0.0.1:{websocket}"
        assert server.login(Login(token=token)) == "ok"
        assert server.login(Login(token=token), url=ws) == "ok"
        assert refused(server.login(Login(token="tok-0000000000000000000")))
        assert refused(server.login(Login(token="tok-0000000000000000000"), url=ws))
        assert refused(server.login(Login()))


def test_a_single_user_block_keeps_its_password(tmp_path: Path) -> None:
    text = 'authorization {\n  user: admin\n  password: "Adm1n-pass-for-ops"\n}\nmax_payload: 1MB\n'
    write(tmp_path, {MAIN: text})
    after = fixed({MAIN: text}, "NAT004", root=tmp_path, rule_options=FAST)[MAIN]
    write(tmp_path, {MAIN: after})
    assert check_config(tmp_path, MAIN)[0]
    with serving(tmp_path, MAIN) as server:
        assert server.login(Login("admin", "Adm1n-pass-for-ops")) == "ok"
        assert refused(server.login(Login("admin", "adm1n-pass-for-ops")))
        assert refused(server.login(Login("root", "Adm1n-pass-for-ops")))


def test_without_unsafe_fixes_nothing_is_hashed() -> None:
    """The hash replaces what the operator may have kept nowhere else: only with --unsafe-fixes."""
    files = {MAIN: SERVICE.replace("include", "# include"), "auth/users.conf": USERS}
    assert fix_files(files, unsafe=False, select=["ALL"], rule_options=FAST) == files


def test_an_account_fragment_is_reported_at_its_include(tmp_path: Path) -> None:
    """`ORDERS { users }` alone is no auth block; included in `accounts {}` it is one, and the
    running server lets its user in with the plaintext: the finding is at the include line."""
    main = 'accounts {\n  include "accounts/orders.conf"  # one file per team\n}\n'
    orders = 'ORDERS {\r\n  users: [ {user: orders, password: "0rders-team-pass-2024"} ]\r\n}\r\n'
    files = {MAIN: main, "accounts/orders.conf": orders}
    write(tmp_path, files)
    findings = lint_files(files, root=tmp_path, select=["NAT004"]).diagnostics
    assert [(d.start, d.fix) for d in findings] == [((2, 12), None)]
    assert "user `orders` in included `accounts/orders.conf`" in findings[0].message
    assert "0rders-team-pass-2024" not in findings[0].message
    with serving(tmp_path, MAIN) as server:
        assert server.login(Login("orders", "0rders-team-pass-2024")) == "ok"


def test_the_hash_is_of_the_password_the_server_reads_in_every_quoting(tmp_path: Path) -> None:
    """Escapes in double quotes are decoded, single quotes are raw, `#` inside an unquoted value is
    no comment: the hash must be of the decoded value, which is what clients send."""
    text = (
        "authorization {\n  users: [\n"
        '    {user: a, password: "p\\x41ss-w0rd-long\\"q"}\n'
        "    {user: b, password: pa#ss-w0rd-long}\n"
        "    {user: c, password: 'raw\\x41-pass-long'}\n"
        "  ]\n}\n"
    )
    honest = (Login("a", 'pAss-w0rd-long"q'), Login("b", "pa#ss-w0rd-long"), Login("c", "raw\\x41-pass-long"))
    write(tmp_path, {MAIN: text})
    with serving(tmp_path, MAIN) as server:
        assert server.logins(*honest) == ["ok"] * 3
    after = fixed({MAIN: text}, "NAT004", root=tmp_path, rule_options=FAST)[MAIN]
    assert after.count('password: "$2b$04$') == 3
    write(tmp_path, {MAIN: after})
    assert check_config(tmp_path, MAIN)[0]
    with serving(tmp_path, MAIN) as server:
        assert server.logins(*honest) == ["ok"] * 3
        assert refused(server.login(Login("a", 'p\\x41ss-w0rd-long"q')))  # the text as written is not it
