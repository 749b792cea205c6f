"""nats-server configs embedded in YAML, end to end: the fixture deployments (ConfigMap, Secret
``stringData``, NATS Helm chart values) through the CLI, their corrected twins silent, secrets
masked in every output and in the cache, and the real nats-server as the judge of every config
authlint extracts (``nats-server -t`` agrees with NAT011/NAT013/E001) and of every fix applied to
the YAML file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from authlint.cli.app import app
from authlint.files.source import Source
from authlint.run.context import FileContext
from authlint.run.embedded import embedded_contexts
from authlint.syntax.embedded import IN_PLACE
from authlint.testing import fix_files, lint_files
from tests.nats_broker import NATS_SERVER

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "embedded"
SECRETS = ("Zq8v1LwQe3rT9yUx5pKm", "Vr7kLq2NxWp9sTz4", "Rt4xPq9LmZ2wKs7v")
needs_server = pytest.mark.skipif(NATS_SERVER is None, reason="nats-server is not installed")
# (line, column, code) of each finding of the bad twins
EXPECTED = {
    "configmap": {(9, 20, "NAT002"), (10, 5, "NAT001"), (13, 14, "NAT004")},
    "secret": {(9, 5, "NAT007"), (9, 5, "NAT013"), (14, 33, "NAT004")},
    "helm": {(8, 17, "NAT004"), (12, 5, "NAT007"), (14, 20, "NAT002"), (16, 14, "NAT004")},
}


def _run(*args: str):
    return CliRunner().invoke(app, list(args), prog_name="authlint")


@pytest.fixture
def deployment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of one fixture project (its own root, a ``.git`` marker), as the current folder."""

    def make(name: str, twin: str) -> Path:
        root = tmp_path / f"{name}-{twin}"
        shutil.copytree(FIXTURES / name / twin, root)
        (root / ".git").mkdir()
        monkeypatch.chdir(root)
        return root

    return make


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("extra", [[], ["--no-cache"], ["--jobs", "2"]])
def test_bad_twins_are_reported_where_the_config_says_it(deployment, name: str, extra: list[str]) -> None:
    deployment(name, "bad")
    for _ in range(2):  # a warm run reads the same from the cache
        result = _run("check", "--output-format", "json", *extra)
        assert result.exit_code == 1, result.output
        found = {(r["line"], r["column"], r["code"]) for r in json.loads(result.stdout)}
        assert found == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corrected_twins_stay_silent(deployment, name: str) -> None:
    deployment(name, "good")
    for select in ([], ["--select", "NAT"]):
        result = _run("check", "--output-format", "json", *select)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == []


def test_the_issue_example_is_found(deployment) -> None:
    """A ConfigMap whose nats.conf has `ping_interval: 2m`, a `ping_timeout` key and a plaintext token."""
    deployment("configmap", "bad")
    result = _run("check", "--select", "NAT")
    assert "k8s/nats-configmap.yaml:9:20: NAT002" in result.stdout
    assert "k8s/nats-configmap.yaml:10:5: NAT001 [error] unknown key `ping_timeout`" in result.stdout
    assert "k8s/nats-configmap.yaml:13:14: NAT004" in result.stdout


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_secrets_stay_masked_in_outputs_diffs_and_cache(deployment, name: str) -> None:
    root = deployment(name, "bad")
    outputs = [
        _run("check", *form).stdout
        for form in ([], ["--output-format", "json"], ["--output-format", "sarif"], ["--output-format", "github"])
    ]
    outputs.append(_run("fix", "--unsafe-fixes").stdout)
    outputs.append(_run("check", "--statistics").stdout)
    cached = [p.read_bytes().decode("utf-8", "replace") for p in (root / ".authlint_cache").rglob("*") if p.is_file()]
    assert cached, "the cache was written"
    for text in outputs + cached:
        for secret in SECRETS:
            assert secret not in text


# -- the real nats-server ------------------------------------------------------------------------


def server_accepts(folder: Path, files: dict[str, str], env: dict[str, str] | None = None) -> tuple[bool, str]:
    """``nats-server -t -c nats.conf`` over ``files`` written into ``folder`` (a pod's config dir)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    proc = subprocess.run(
        [NATS_SERVER, "-t", "-c", "nats.conf"],  # type: ignore[list-item]
        cwd=folder,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(env or {})},
        capture_output=True,
        text=True,
        timeout=30,
    )
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()


def pod_files(text: str, relpath: str) -> list[tuple[dict[str, str], dict[str, str], str]]:
    """Each config a YAML text embeds as the pod sees it: (files of its folder, with the config as
    ``nats.conf``; the environment its deployment gives; the text authlint reads)."""
    source = Source.from_text(text, relpath, "yaml")
    found = []
    documents = [doc for doc in yaml.safe_load_all(text) if isinstance(doc, dict)]
    data = {}
    for doc in documents:
        for field in ("data", "stringData"):
            if isinstance(doc.get(field), dict):
                data.update({k: str(v) for k, v in doc[field].items()})
    for child in embedded_contexts(FileContext(source)):
        label = child.source.label  # type: ignore[attr-defined]
        key = label.rsplit(" key ", 1)[-1] if " key " in label else None
        if key is not None and key in data:
            files = {**data, "nats.conf": data[key]}
        else:  # the Helm chart's rendering: its text is the config
            files = {"nats.conf": child.source.text}
        found.append((files, dict(child.source.env or {}), child.source.text))  # type: ignore[attr-defined]
    return found


CASES = {
    "undefined-variable": "  nats.conf: |\n    authorization { token: $AUTHLINT_EMBEDDED_UNSET }\n",
    "defined-later": "  nats.conf: |\n    port: $P\n    P: 4222\n",
    "websocket-no-tls": "  nats.conf: |\n    websocket { port: 8080, same_origin: true }\n",
    "mqtt-no-name": "  nats.conf: |\n    mqtt { port: 1883 }\n",
    "unparsable": "  nats.conf: |\n    authorization { token: abc\n",
    "sibling-include": "  nats.conf: |\n    port: 4222\n    include ./auth.conf\n"
                       "  auth.conf: |\n    authorization { token: $2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG }\n",
    "missing-sibling": "  nats.conf: |\n    port: 4222\n    include ./nowhere.conf\n",
    "folded": "  nats.conf: >\n    port: 4222\n\n    ping_interval: \"2m\"\n",
    "strip-chomp": "  nats.conf: |-\n    listen: 127.0.0.1:4222\n    ping_max: 3",
    "fine": "  nats.conf: |\n    port: 4222\n    jetstream { store_dir: /data }\n",
}


def configmap(body: str) -> str:
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nats\ndata:\n" + body


def projects() -> list:
    found = []
    for name in sorted(EXPECTED):
        for twin in ("bad", "good"):
            for path in sorted((FIXTURES / name / twin).rglob("*.yaml")):
                found.append(pytest.param(path.read_text(), path.relative_to(FIXTURES / name / twin).as_posix(),
                                          id=f"{name}-{twin}"))
    for name, body in CASES.items():
        found.append(pytest.param(configmap(body), "k8s/cm.yaml", id=name))
    return found


@needs_server
@pytest.mark.broker
@pytest.mark.parametrize("text, relpath", projects())
def test_nats_server_agrees_with_what_authlint_says_of_each_extracted_config(
    tmp_path: Path, text: str, relpath: str
) -> None:
    """NAT011 (a variable or include nats-server cannot resolve) and E001: ``-t`` refuses the
    config. NAT013 (refused only at start): ``-t`` passes. No finding that says it may not load
    (E001, NAT011, NAT001's unknown key, NAT002's number where a duration belongs, which ``-t``
    warns about and so refuses): ``-t`` passes."""
    result = lint_files({relpath: text}, root=tmp_path / "project")
    codes = {d.code for d in result.diagnostics}
    extracted = pod_files(text, relpath)
    assert extracted, "authlint extracts a config"
    verdicts = []
    for i, (files, env, read) in enumerate(extracted):
        accepted, output = server_accepts(tmp_path / f"pod{i}", files, env)
        verdicts.append((accepted, output))
        # the text authlint parses (a literal block read in place: the YAML file, all else blanked)
        as_read, _ = server_accepts(tmp_path / f"read{i}", {**files, "nats.conf": read}, env)
        assert as_read == accepted, "authlint's text and the pod's file load differently"
    accepted_all = all(ok for ok, _ in verdicts)
    outputs = "\n".join(out for _, out in verdicts)
    if "NAT011" in codes or "E001" in codes:
        assert not accepted_all, f"authlint says it cannot load, nats-server -t accepts:\n{outputs}"
    if "NAT013" in codes:
        assert accepted_all, f"NAT013 is for configs -t accepts:\n{outputs}"
    if not codes & {"E001", "NAT011", "NAT001", "NAT002"}:
        assert accepted_all, f"nats-server -t refuses what authlint finds loadable ({codes}):\n{outputs}"


@needs_server
@pytest.mark.broker
def test_the_text_read_in_place_is_what_nats_server_reads(tmp_path: Path) -> None:
    """A literal block read in place (the YAML file with all else blanked) loads like its value."""
    text = (FIXTURES / "configmap" / "good" / "k8s" / "nats-configmap.yaml").read_text()
    [(files, env, read)] = pod_files(text, "k8s/nats-configmap.yaml")
    assert server_accepts(tmp_path / "value", files, env)[0]
    assert server_accepts(tmp_path / "in-place", {"nats.conf": read}, env)[0]


FIXABLE = configmap(
    "  nats.conf: |\n"
    "    listen: 127.0.0.1:4222\n"
    "    ping_interval: \"100ms\"\n"
    "    ping_max: 0\n"
    "    write_deadline: 2m\n"
    "    authorization {\n"
    "      users: [\n"
    "        {user: alice, password: $2b$04$Wl9Z8GMZ58A2rIwsdzz38.8rULj.6gG5T8fq6w/LOZ8oYDaNfqbWy}\n"
    "        {user: bob, password: \"Vr7kLq2NxWp9sTz4\"}\n"
    "      ]\n"
    "    }\n"
    "  other: kept\n"
)


@needs_server
@pytest.mark.broker
def test_fixes_edit_the_yaml_in_place_and_the_config_still_loads(tmp_path: Path) -> None:
    before = pod_files(FIXABLE, "k8s/cm.yaml")
    fixed = fix_files({"k8s/cm.yaml": FIXABLE}, root=tmp_path / "project", rule_options={"NAT004": {"bcrypt-cost": 4}})
    text = fixed["k8s/cm.yaml"]
    assert text != FIXABLE
    document = yaml.safe_load(text)  # the YAML still parses, the other keys untouched
    assert document["data"]["other"] == "kept" and set(document["data"]) == {"nats.conf", "other"}
    config = document["data"]["nats.conf"]
    assert 'ping_interval: "2m"' in config and "ping_max: 2" in config
    assert '"$2b$04$Wl9Z8GMZ58A2rIwsdzz38' in config  # NAT011 quoted the bcrypt hash
    assert "Vr7kLq2NxWp9sTz4" not in config  # NAT004 hashed the password
    block = text[text.index("nats.conf: |\n") + len("nats.conf: |\n") : text.index("  other:")]
    assert all(line.startswith("    ") for line in block.splitlines() if line.strip())  # still inside the block
    for i, (files, env, _) in enumerate(before):
        assert not server_accepts(tmp_path / f"before{i}", files, env)[0]  # the unquoted bcrypt hash
    after = pod_files(text, "k8s/cm.yaml")
    for i, (files, env, _) in enumerate(after):
        accepted, output = server_accepts(tmp_path / f"after{i}", files, env)
        assert accepted, output
    remaining = {d.code for d in lint_files({"k8s/cm.yaml": text}, root=tmp_path / "project").diagnostics}
    assert not remaining & {"NAT003", "NAT011", "NAT004"}


def test_fixes_of_configs_not_read_in_place_are_display_only(tmp_path: Path) -> None:
    folded = configmap("  nats.conf: >\n    port: 4222\n\n    ping_interval: 2m\n")
    helm = (FIXTURES / "helm" / "bad" / "values.yaml").read_text()
    for relpath, text in (("k8s/cm.yaml", folded), ("values.yaml", helm)):
        result = lint_files({relpath: text}, root=tmp_path, unsafe_fixes=True)
        fixes = [d.fix for d in result.diagnostics if d.fix is not None]
        assert fixes and all(fix.applicability.value == "display-only" for fix in fixes)
        assert fix_files({relpath: text}, root=tmp_path) == {relpath: text}
    [(_, _, read)] = pod_files(configmap("  nats.conf: |\n    port: 4222\n"), "k8s/cm.yaml")
    source = Source.from_text(configmap("  nats.conf: |\n    port: 4222\n"), "k8s/cm.yaml", "yaml")
    assert embedded_contexts(FileContext(source))[0].source.mode == IN_PLACE  # type: ignore[attr-defined]


def test_a_suppression_comment_in_the_config_or_above_the_key_holds(tmp_path: Path) -> None:
    inline = configmap("  nats.conf: |\n    listen: 127.0.0.1:4222\n    ping_timeout: 10s  # authlint: ignore[NAT001]\n")
    above = configmap("  # authlint: ignore[NAT001]\n  nats.conf: |\n    listen: 127.0.0.1:4222\n    ping_timeout: 10s\n")
    unsuppressed = configmap("  nats.conf: |\n    listen: 127.0.0.1:4222\n    ping_timeout: 10s\n")
    assert {d.code for d in lint_files({"cm.yaml": unsuppressed}, root=tmp_path).diagnostics} == {"NAT001"}
    assert lint_files({"cm.yaml": inline}, root=tmp_path).diagnostics == []
    # the directive covers its own line and the next: the config's first line, not the whole block,
    # so NAT001 stays and the directive, covering nothing, is itself reported (E003)
    assert {d.code for d in lint_files({"cm.yaml": above}, root=tmp_path).diagnostics} == {"NAT001", "E003"}
