"""The cache keeps no secret (issue #11): results carry secrets as references to where the file
writes them, read back from the file when used; an entry that would still hold one is not written.
Cross-file rules answer the same cold, warm, half warm, without a cache and for any ``--jobs``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import authlint.rule
import authlint.run.pool
from authlint.config.settings import Settings
from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix
from authlint.facts.model import Expr, JwtMint, NatsRealm, NatsServerAuth
from authlint.files.source import Source, Span
from authlint.run.cache import CACHE_DIR
from authlint.run.engine import Linter
from authlint.run.outcome import materialize
from authlint.run.runner import run_check
from authlint.run.secret_refs import SecretTexts
from authlint.run.serialize import CodecError, decode, encode

# Each canary: (the value planted, a tail no masked form or message shows: redact keeps 2 characters)
CANARIES = {
    "hmac key in Python": ("hmacPyCanaryZq81Lw", "CanaryZq81Lw"),
    "hmac key in JS": ("hmacJsCanaryPp42Mx", "CanaryPp42Mx"),
    "hmac key verifying in JS": ("hmacJsVerifyCanaryTt58", "VerifyCanaryTt58"),
    "NATS token (server)": ("natsServerTokCanaryB3n9", "TokCanaryB3n9"),
    "NATS token (client)": ("natsClientTokCanaryR4t7", "TokCanaryR4t7"),
    "NATS password": ("natsPwCanaryK2d8", "PwCanaryK2d8"),
    "URL credential (code)": ("urlPwCanaryH6s2", "PwCanaryH6s2"),
    "URL credential (leafnode)": ("leafUrlPwCanaryW7c1", "UrlPwCanaryW7c1"),
    "nkey seed": ("SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY", "UHPMWZ6BFDTJ7M6USDXIED"),
    "JWT": ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnlKd3RTdWIifQ.CanaryJwtSigVv93Kq", "CanaryJwtSigVv93Kq"),
    "PEM key body": ("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCanaryPemBodyQx7Lm2", "CanaryPemBodyQx7Lm2"),
}
SECRET_PROJECT = {
    "mint.py": f'''import jwt
import nats

PRIVATE_PEM = """-----BEGIN PRIVATE KEY-----
{CANARIES["PEM key body"][0]}
-----END PRIVATE KEY-----"""


def mint(user):
    return jwt.encode({{"sub": user}}, "{CANARIES["hmac key in Python"][0]}", algorithm="HS256")


def check_rsa(token):
    return jwt.decode(token, PRIVATE_PEM, algorithms=["RS256"])


def peek():
    return jwt.decode("{CANARIES["JWT"][0]}", "{CANARIES["hmac key in Python"][0]}", algorithms=["HS256"])


async def main():
    await nats.connect("nats://127.0.0.1:4222", token="{CANARIES["NATS token (client)"][0]}")
    await nats.connect("nats://alice:{CANARIES["URL credential (code)"][0]}@127.0.0.1:4222")
    await nats.connect("nats://127.0.0.1:4222", nkeys_seed="{CANARIES["nkey seed"][0]}")
''',
    "verify.js": f'''const jwt = require("jsonwebtoken");
jwt.sign({{ sub: "u" }}, "{CANARIES["hmac key in JS"][0]}", {{ expiresIn: "1h" }});
jwt.verify(t, "{CANARIES["hmac key verifying in JS"][0]}", {{ algorithms: ["HS256"] }});
''',
    "nats-server.conf": f'''authorization {{ token: "{CANARIES["NATS token (server)"][0]}" }}
leafnodes {{
  port: 7422
  authorization {{ users: [ {{user: leaf, password: "{CANARIES["NATS password"][0]}"}} ] }}
}}
''',
    "leaf/nats-server.conf": (
        f'leafnodes {{ remotes: [ {{ url: "nats-leaf://leaf:{CANARIES["URL credential (leafnode)"][0]}@hub:7422" }} ] }}\n'
    ),
    # JWT005 across files: HMAC mints and verifications with other keys, in Python and in JS
    "api/auth.py": 'import jwt\nt = jwt.encode(p, "hmacPyCanaryZq81Lw", algorithm="HS256")\n',
    "api/check.py": 'import jwt\nc = jwt.decode(t, "otherKeyCanaryMm20Xy", algorithms=["HS256"])\n',
    "api/check.js": 'const jwt = require("jsonwebtoken");\njwt.verify(t, "hmacPyCanaryZq81Lw", { algorithms: ["HS256"] });\n',
    "nothing.py": "print('nothing here')\n",
    # enough files for ``--jobs 2`` to fork a worker (``pool.worker_count``): outcomes cross the pipe
    **{f"pad/p{i:02}.py": f"x = {i}\n" for i in range(32)},
}


def _plant(root: Path, files: dict[str, str]) -> None:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _findings(root: Path, **kw) -> list[tuple]:
    linter = Linter(Settings(root=root))
    result, _ = run_check([str(root)], linter.settings, linter, **kw)
    assert not result.errors
    return [(d.path, d.span, d.code, d.message, d.fix) for d in result.diagnostics]


def _cache_bytes(root: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted((root / CACHE_DIR).rglob("*")) if path.is_file())


def _entries(root: Path) -> dict:
    (cache_file,) = (root / CACHE_DIR).glob("*.json")
    return json.loads(cache_file.read_text())["entries"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_cache_folder_holds_no_canary(tmp_path: Path, jobs: int) -> None:
    _plant(tmp_path, SECRET_PROJECT)
    findings = _findings(tmp_path, jobs=jobs)
    assert {"JWT004", "JWT005", "NAT004", "NAT010"} <= {code for _, _, code, *_ in findings}
    stored = _cache_bytes(tmp_path)
    for name, (value, tail) in CANARIES.items():
        assert value.encode() not in stored, name
        assert tail.encode() not in stored, name
    # every file was cached all the same: the secrets are referred to, not left out
    assert {"mint.py", "verify.js", "nats-server.conf", "leaf/nats-server.conf"} <= set(_entries(tmp_path))


def test_project_rules_answer_the_same_cold_warm_half_warm_and_for_any_jobs(tmp_path: Path, monkeypatch) -> None:
    _plant(tmp_path, SECRET_PROJECT)
    cold = _findings(tmp_path, jobs=1, use_cache=False)
    codes = [code for _, _, code, *_ in cold]
    assert codes.count("NAT010") == 3 and codes.count("JWT005") >= 2
    checked_by = tmp_path.parent / f"{tmp_path.name}-pids"
    real = authlint.run.pool.check_candidate

    def recording(linter, path, relpath, with_text):
        with open(checked_by, "a") as out:
            out.write(f"{os.getpid()}\n")
        return real(linter, path, relpath, with_text)

    with monkeypatch.context() as patch:
        patch.setattr(authlint.run.pool, "check_candidate", recording)
        assert _findings(tmp_path, jobs=2, use_cache=False) == cold
    assert len(set(checked_by.read_text().split())) == 2  # a forked worker sent outcomes through the pipe
    assert _findings(tmp_path, jobs=1) == cold  # fills the cache
    assert _findings(tmp_path, jobs=1) == cold  # warm
    assert _findings(tmp_path, jobs=2) == cold  # warm, pool idle
    for touched in ("mint.py", "nats-server.conf", "api/check.py"):  # half warm: one file checked again
        stat = os.stat(tmp_path / touched)
        os.utime(tmp_path / touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        assert _findings(tmp_path, jobs=1) == cold, touched
        os.utime(tmp_path / touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000))
        assert _findings(tmp_path, jobs=2) == cold, touched


def test_warm_nat010_checks_a_bcrypt_hash_against_a_cached_password(tmp_path: Path, monkeypatch) -> None:
    """A bcrypt hash can only be checked against the plaintext: read back from the client's file,
    which no fingerprint could give. A warm run still parses nothing."""
    _plant(tmp_path, {
        "hub/nats-server.conf": "leafnodes { port: 7422, authorization { users: [ {user: leaf, "
        'password: "$2a$04$CfgrWurOkny5JTuwLWCn5ueArMTlSulcH3OMKE4WMFMfvji2j25Oy"} ] } }\n',
        "ok/nats-server.conf": 'leafnodes { remotes: [ { url: "nats-leaf://leaf:Zq8v1LwQe3rT9y@hub:7422" } ] }\n',
        "bad/nats-server.conf": 'leafnodes { remotes: [ { url: "nats-leaf://leaf:Zq8v1LwQe3rT9Y@hub:7422" } ] }\n',
    })
    cold = _findings(tmp_path, jobs=1)
    assert [(path, code) for path, _, code, *_ in cold if code == "NAT010"] == [("bad/nats-server.conf", "NAT010")]
    assert b"Zq8v1LwQe3rT9" not in _cache_bytes(tmp_path)

    def no_parsing(*args, **kwargs):
        raise AssertionError("a warm run parsed a file")

    monkeypatch.setattr("authlint.run.context.FileContext.tree", property(no_parsing))
    assert _findings(tmp_path, jobs=1) == cold


def test_a_secret_no_reference_can_carry_is_never_cached(tmp_path: Path, monkeypatch) -> None:
    """A signing key written with an escape is not the file's text as written: its entry is not
    written (the file is checked again on every run), and the findings stay the same."""
    _plant(tmp_path, {
        "auth.py": 'import jwt\nt = jwt.encode(p, "escKeyCanary\\x41Rr51Jd", algorithm="HS256")\n',
        "api.py": 'import jwt\nc = jwt.decode(t, "escKeyCanaryARr51Jd", algorithms=["HS256"])\n',
    })
    cold = _findings(tmp_path, jobs=1)
    assert "JWT005" not in {code for _, _, code, *_ in cold}  # the same key, once unescaped
    assert b"Rr51Jd" not in _cache_bytes(tmp_path)
    assert set(_entries(tmp_path)) == {"api.py"}  # its key is written as it is: referred to
    calls: list[str] = []
    real = authlint.run.pool.check_candidate

    def counting(linter, path, relpath, with_text):
        calls.append(relpath)
        return real(linter, path, relpath, with_text)

    monkeypatch.setattr(authlint.run.pool, "check_candidate", counting)
    assert _findings(tmp_path, jobs=1) == cold
    assert calls == ["auth.py"]


@pytest.mark.parametrize(
    "reference",
    [
        [[0, 10**9]],  # beyond the file
        [[5, 5]],  # empty
        [["0", "3"]],
        ["ok", 3],
        "not parts",
    ],
)
def test_a_planted_reference_is_recomputed_not_trusted(tmp_path: Path, reference) -> None:
    _plant(tmp_path, SECRET_PROJECT)
    clean = _findings(tmp_path, jobs=1, use_cache=False)
    _findings(tmp_path, jobs=1)
    (cache_file,) = (tmp_path / CACHE_DIR).glob("*.json")
    data = json.loads(cache_file.read_text())
    text = json.dumps(data["entries"]["nats-server.conf"]["payload"])
    assert '"sec"' in text
    data["entries"]["nats-server.conf"]["payload"] = json.loads(
        text.replace('"p": [[24, 47]]', '"p": ' + json.dumps(reference))
    )
    cache_file.write_text(json.dumps(data))
    assert _findings(tmp_path, jobs=1) == clean


def test_planted_secret_spans_are_recomputed_not_trusted(tmp_path: Path) -> None:
    _plant(tmp_path, SECRET_PROJECT)
    clean = _findings(tmp_path, jobs=1, use_cache=False)
    _findings(tmp_path, jobs=1)
    (cache_file,) = (tmp_path / CACHE_DIR).glob("*.json")
    data = json.loads(cache_file.read_text())
    data["entries"]["mint.py"]["payload"]["secrets"] = [["a", "b"]]
    cache_file.write_text(json.dumps(data))
    assert _findings(tmp_path, jobs=1) == clean


def test_planted_empty_spans_cannot_unmask_what_the_pattern_set_knows(tmp_path: Path) -> None:
    """A cache entry whose spans were emptied still masks the JWTs, PEM bodies, seeds and URL
    passwords: the pattern set runs again on the file when an entry is used."""
    _plant(tmp_path, SECRET_PROJECT)
    linter = Linter(Settings(root=tmp_path))
    run_check([str(tmp_path)], linter.settings, linter, jobs=1)
    (cache_file,) = (tmp_path / CACHE_DIR).glob("*.json")
    data = json.loads(cache_file.read_text())
    data["entries"]["mint.py"]["payload"]["secrets"] = []
    cache_file.write_text(json.dumps(data))
    result, _ = run_check([str(tmp_path)], linter.settings, linter, jobs=1)
    source = next(d.source for d in result.diagnostics if d.path == "mint.py")
    body = CANARIES["PEM key body"][0]
    start = source.text.index(body)
    assert any(span.start <= start and start + len(body) <= span.end for span in source.secret_spans or ())


# -- the codec ------------------------------------------------------------------------------------

TOKEN = "Zq8v1LwQe3rT9yUx"
CONF = f'authorization {{ token: "{TOKEN}" }}\n'


def _source() -> Source:
    source = Source.from_text(CONF, "nats-server.conf", "natsconf")
    start = CONF.index(TOKEN)
    source.secret_spans = (Span(start, start + len(TOKEN)),)
    return source


def test_codec_carries_secrets_as_references_and_reads_them_back() -> None:
    source = _source()
    start = CONF.index(TOKEN)
    realm = NatsRealm(tokens=[TOKEN], users={"u": [TOKEN, None]}, where=["nats-server.conf"])
    fact = NatsServerAuth(source=source, span=Span(0, 0), lang="natsconf", realms={"client": realm})
    mint = JwtMint(
        source=source, span=Span(0, 1), lang="python",
        key=Expr(Span(start - 1, start + len(TOKEN) + 1), f'"{TOKEN}"', TOKEN.encode()),
    )
    moved = Diagnostic(
        "SIO006", f"token {TOKEN[:2]}** in the URL", source, Span(start, start + 3),
        fix=Fix.unsafe("move it", Edit.insert(0, f'auth={{"token": "{TOKEN}"}}')),
    )
    keyed = {TOKEN: 1, f"x{TOKEN}": 2}  # a dict keyed by a secret
    value = [fact, mint, moved, keyed]
    encoded = json.loads(json.dumps(encode(value, source, SecretTexts.of(source))))
    assert TOKEN not in json.dumps(encoded)
    assert encoded[0]["realms"]["client"]["tokens"] == [{"§": "sec", "p": [[start, start + len(TOKEN)]]}]
    back = decode(encoded, source)
    assert back == value
    assert back[1].key.value == TOKEN.encode() and back[2].fix == moved.fix


def test_codec_names_secrets_the_facts_declare_where_the_file_writes_them() -> None:
    source = Source.from_text(CONF, "nats-server.conf", "natsconf")  # no finder marked the token
    encoded = encode(["a", TOKEN], source, SecretTexts.of(source, {TOKEN, "not in the file"}))
    assert encoded[1] == {"§": "sec", "p": [[CONF.index(TOKEN), CONF.index(TOKEN) + len(TOKEN)]]}
    assert decode(encoded, source) == ["a", TOKEN]
    assert SecretTexts.of(source, {"not in the file"}) is None


def test_a_worker_outcome_decodes_against_the_text_it_sent(tmp_path: Path) -> None:
    """The pool carries the same references: the parent reads them back from the text sent along."""
    from authlint.run.outcome import check_candidate

    _plant(tmp_path, {"nats-server.conf": CONF})
    linter = Linter(Settings(root=tmp_path))
    outcome = check_candidate(linter, tmp_path / "nats-server.conf", "nats-server.conf", with_text=True)
    assert TOKEN not in json.dumps(outcome.payload) and outcome.text == CONF
    _, ctx = materialize(linter, outcome, str(tmp_path / "nats-server.conf"))
    assert ctx is not None
    (auth,) = ctx.of(NatsServerAuth)
    assert auth.realms["client"].tokens == [TOKEN]
    outcome.payload["facts"][0]["realms"]["client"]["tokens"] = [{"§": "sec", "p": [[0, 10**6]]}]
    with pytest.raises(CodecError):
        materialize(linter, outcome, str(tmp_path / "nats-server.conf"))


def test_a_secret_that_reads_like_the_codecs_own_words_is_still_cached(tmp_path: Path) -> None:
    """``secret`` (and ``a``) are also field names and tags of the payload: only the results' own
    strings count, and those refer to the file."""
    _plant(tmp_path, {
        "auth.py": 'import jwt\nt = jwt.encode(p, "secret", algorithm="HS256")\n',
        "api.py": 'import jwt\nc = jwt.decode(t, "a", algorithms=["HS256"])\n',
    })
    cold = _findings(tmp_path, jobs=1, use_cache=False)
    assert "JWT005" in {code for _, _, code, *_ in cold}
    assert _findings(tmp_path, jobs=1) == cold
    assert set(_entries(tmp_path)) == {"auth.py", "api.py"}
    payload = json.dumps(_entries(tmp_path)["auth.py"]["payload"])
    assert '"secret"' not in payload and '"a"' not in json.dumps(_entries(tmp_path)["api.py"]["payload"])
    assert _findings(tmp_path, jobs=1) == cold


def test_a_config_holding_an_included_files_secret_is_not_cached(tmp_path: Path) -> None:
    """The realm of ``nats-server.conf`` holds the token ``auth.conf`` writes: no reference into
    its own text can carry it, so only ``auth.conf`` is cached, and NAT010 answers the same."""
    _plant(tmp_path, {
        "nats-server.conf": "include ./auth.conf\n",
        "auth.conf": 'authorization { token: "inclTokCanaryUu71Qa" }\n',
        "app.py": 'import nats\nasync def m():\n    await nats.connect("nats://h:4222", token="inclTokCanaryUu71Qb")\n',
    })
    cold = _findings(tmp_path, jobs=1, use_cache=False)
    assert "NAT010" in {code for _, _, code, *_ in cold}
    assert _findings(tmp_path, jobs=1) == cold
    assert b"Uu71Q" not in _cache_bytes(tmp_path)
    assert set(_entries(tmp_path)) == {"auth.conf", "app.py"}
    assert _findings(tmp_path, jobs=1) == cold
