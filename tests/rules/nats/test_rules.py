"""NAT rules across files on disk (includes, fragments), JWT decoding, and secret redaction."""

from __future__ import annotations

from pathlib import Path

import bcrypt
import jwt

from authlint.rules.nats.nat004_plaintext_secret import bcrypt_hash
from authlint.run.engine import Linter
from authlint.testing import fix_files, lint_files, make_settings
from tests.shared import NATS_CORPUS, require

PAST = 946684800  # 2000-01-01
FUTURE = 4102444800  # 2100-01-01


def lint_tree(root: Path, select: list[str]) -> list[tuple[str, str, int, str]]:
    settings = make_settings(root=root, select=select)
    linter = Linter(settings)
    contexts = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            loaded = linter.load(path, path.relative_to(root).as_posix())
            if loaded is not None:
                contexts.append(loaded)
    result = linter.check(contexts)
    assert result.errors == []
    return [(d.code, d.path, d.start[0], d.message) for d in result.diagnostics]


def test_fragment_included_into_authorization_is_not_misplaced(tmp_path: Path) -> None:
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "users.conf").write_text('users = [\n  {user: alice, password: "wonderland-in-2024"}\n]\n')
    (tmp_path / "main.conf").write_text("listen: 127.0.0.1:4222\nauthorization {\n  include 'inc/users.conf'\n}\n")
    found = lint_tree(tmp_path, ["NAT001", "NAT004", "NAT007"])
    assert [(c, p, line) for c, p, line, _ in found] == [("NAT004", "inc/users.conf", 2)]


def test_fragment_index_reads_unquoted_includes_and_is_rebuilt_per_run(tmp_path: Path) -> None:
    (tmp_path / "users.conf").write_text('users = [ {user: alice, password: "wonderland-in-2024"} ]\n')
    (tmp_path / "main.conf").write_text("listen: 127.0.0.1:4222\nauthorization {\n  include users.conf # alice\n}\n")
    assert [c for c, *_ in lint_tree(tmp_path, ["NAT001", "NAT007"])] == []
    (tmp_path / "main.conf").write_text("listen: 127.0.0.1:4222\nauthorization { token: $T }\n")
    # the next run sees that nothing includes users.conf any more: its keys are misplaced at top level
    assert [(c, p) for c, p, *_ in lint_tree(tmp_path, ["NAT001"])] == [("NAT001", "users.conf")]


def test_fragment_is_known_from_the_checked_files_not_the_disk() -> None:
    # in memory, under a root that does not exist: only the run's own files can say who includes whom
    users = "users = [ {user: alice, password: $ALICE_PASSWORD} ]\n"
    main = "listen: 127.0.0.1:4222\nauthorization {\n  include ./inc/users.conf\n}\n"
    together = lint_files({"main.conf": main, "inc/users.conf": users}, select=["NAT001", "NAT007"])
    assert [(d.code, d.path) for d in together.diagnostics] == []
    alone = lint_files({"inc/users.conf": users}, select=["NAT001", "NAT007"])
    # NAT001 only: a users fragment opens no listener, so NAT007 has nothing to say even alone
    assert [(d.code, d.path) for d in alone.diagnostics] == [("NAT001", "inc/users.conf")]


def test_fragment_status_follows_its_includer_through_the_cache(tmp_path: Path, monkeypatch) -> None:
    """The fragment's cached outcome stays valid when only its includer changes: the project phase,
    not the fragment's own (cached) check, decides that it is one."""
    import authlint.run.outcome
    import authlint.run.pool
    from authlint.run.runner import run_check

    (tmp_path / "users.conf").write_text('users = [ {user: alice, password: "wonderland-in-2024"} ]\n')
    (tmp_path / "main.conf").write_text("listen: 127.0.0.1:4222\nauthorization {\n  include users.conf\n}\n")

    def run(**kw) -> list[tuple[str, str]]:
        linter = Linter(make_settings(root=tmp_path, select=["NAT001", "NAT007"]))
        result, _ = run_check([str(tmp_path)], linter.settings, linter, **kw)
        assert result.errors == []
        return [(d.code, d.path) for d in result.diagnostics]

    assert run(jobs=1, use_cache=True) == [] == run(jobs=2, use_cache=False)
    (tmp_path / "main.conf").write_text("listen: 127.0.0.1:4222\nauthorization { token: $T }\n")
    checked: list[str] = []
    real = authlint.run.outcome.check_candidate

    def counting(linter, path, relpath, with_text):
        checked.append(relpath)
        return real(linter, path, relpath, with_text)

    monkeypatch.setattr(authlint.run.pool, "check_candidate", counting)
    warm = run(jobs=1, use_cache=True)
    assert checked == ["main.conf"]  # users.conf came from the cache ...
    assert warm == [("NAT001", "users.conf")]  # ... and is no fragment now (it opens no listener: no NAT007)
    assert warm == run(jobs=1, use_cache=False) == run(jobs=2, use_cache=False)


def test_unknown_key_pulled_in_by_include_is_reported_at_the_include(tmp_path: Path) -> None:
    (tmp_path / "extra.conf").write_text("monitoring_port = 8222\n")
    (tmp_path / "nats-server.conf").write_text('port: 4222\n\ninclude "extra.conf"\n')
    found = lint_tree(tmp_path, ["NAT001"])
    assert [(p, line) for _, p, line, _ in found] == [("nats-server.conf", 3)]
    assert "included from `extra.conf`" in found[0][3] and "http_port" in found[0][3]


def test_variables_file_included_by_users_fragment(tmp_path: Path) -> None:
    hashed = bcrypt_hash("pw-of-alice-1234", 4, "t").replace("$2b$", "$2a$")
    (tmp_path / "passwords.conf").write_text(f"ALICE_PASS: {hashed}\n")
    (tmp_path / "users.conf").write_text(
        "include ./passwords.conf;\nusers = [ {user: alice, password: $ALICE_PASS} ]\n"
    )
    (tmp_path / "nats-server.conf").write_text("listen: 127.0.0.1:4222\nauthorization { include users.conf }\n")
    found = lint_tree(tmp_path, ["NAT001", "NAT004", "NAT011"])
    assert found == []


def test_plaintext_through_included_variable_points_at_the_reference(tmp_path: Path) -> None:
    (tmp_path / "pw.conf").write_text('PASS: "plain-text-password"\n')
    (tmp_path / "nats-server.conf").write_text("include pw.conf\nauthorization { user: a, password: $PASS }\n")
    found = lint_tree(tmp_path, ["NAT004"])
    assert [(p, line) for _, p, line, _ in found] == [("nats-server.conf", 2)]
    assert "defined in pw.conf" in found[0][3] and "plain-text-password" not in found[0][3]


def test_bcrypt_fix_verifies_and_is_written_quoted() -> None:
    text = "authorization {\n  users: [ {user: u, password: pa55word-for-u} ]\n}\n"
    fixed = fix_files(
        {"nats-server.conf": text}, select=["NAT004"], rule_options={"NAT004": {"bcrypt-cost": 4}}, unsafe_fixes=True
    )
    value = fixed["nats-server.conf"].split("password: ")[1].split("}")[0].strip()
    assert value.startswith('"$2b$04$') and value.endswith('"')
    assert bcrypt.checkpw(b"pa55word-for-u", value.strip('"').encode())


def test_random_salts_differ_but_fix_passes_agree() -> None:
    first = bcrypt_hash("same-secret-value", 4, None)
    assert first == bcrypt_hash("same-secret-value", 4, None)  # cached for one run's fix passes
    bcrypt_hash.cache_clear()
    assert first != bcrypt_hash("same-secret-value", 4, None)
    assert bcrypt_hash("x-secret-value", 4, "seed") == bcrypt_hash("x-secret-value", 4, "seed")


def _creds(token: str) -> str:
    return f"-----BEGIN NATS USER JWT-----\n{token}\n------END NATS USER JWT------\n"


def test_pyjwt_minted_tokens_in_creds_and_config() -> None:
    expired = jwt.encode({"exp": PAST, "name": "old", "nats": {"type": "user"}}, "k" * 32, algorithm="HS256")
    valid = jwt.encode({"exp": FUTURE, "name": "new", "nats": {"type": "user"}}, "k" * 32, algorithm="HS256")
    files = {
        "a.creds": _creds(expired),
        "b.creds": _creds(valid),
        "nats-server.conf": f'resolver_preload: {{\n  AX: "{expired}"\n}}\n',
    }
    result = lint_files(files, select=["NAT008"])
    found = sorted((d.path, d.start[0]) for d in result.diagnostics)
    assert found == [("a.creds", 2), ("nats-server.conf", 2)]
    for diag in result.diagnostics:
        assert expired not in diag.message and "2000-01-01" in diag.message


def test_corpus_v1_operator_jwt_decodes(tmp_path: Path) -> None:
    from authlint.syntax.natsjwt import decode_claims, find_jwts, jwt_type

    corpus = require(NATS_CORPUS / "nats-server/test/configs/nkeys/op.jwt")
    tokens = find_jwts(corpus.read_text())
    header, claims = decode_claims(tokens[0].text)
    assert jwt_type(claims) == "operator" and claims["exp"] > claims["iat"]


def test_seed_and_secrets_never_printed() -> None:
    seed = "SUANQDPB2RUOE4ETUA26CNX7FUKE5ZZKFCQIIW63OX225F2CO7UEXTM7ZY"
    text = (
        f'# {seed}\nauthorization {{ token: "tok3n-tok3n-tok3n" }}\n'
        "cluster { routes: [ nats-route://u:route-secret-1@h:6222 ] }\n"
    )
    result = lint_files({"nats-server.conf": text}, select=["NAT"])
    assert result.diagnostics
    for diag in result.diagnostics:
        for secret in (seed, "tok3n-tok3n-tok3n", "route-secret-1"):
            assert secret not in diag.message


def test_plain_check_does_not_hash() -> None:
    text = "authorization { token: \"plain-token-value-xyz\" }\n"
    result = lint_files({"nats-server.conf": text}, select=["NAT004"])
    fix = result.diagnostics[0].fix
    assert fix is not None and fix.applicability.value == "display-only"
    assert fix_files({"nats-server.conf": text}, unsafe=False, select=["NAT004"])["nats-server.conf"] == text


def test_nat004_example_hashes_are_what_the_fix_computes() -> None:
    from authlint.rules.nats.nat004_plaintext_secret import EXAMPLE_HASHES

    for secret, hashed in EXAMPLE_HASHES.items():
        assert bcrypt_hash(secret, 4, "example") == hashed
        assert bcrypt.checkpw(secret.encode(), hashed.encode())
