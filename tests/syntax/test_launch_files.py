"""Dockerfiles, Procfiles and shell words: what nats-server's command line is made of, with the
file position of every character a finding may point at."""

from __future__ import annotations

import pytest

from authlint.facts.natsflags import official_image, parse_flags, server_words
from authlint.files.classify import classify
from authlint.syntax import dockerfile, procfile
from authlint.syntax.shellwords import commands


def shown(text: str, words) -> list[tuple[str, str]]:
    return [(w.value, text[w.span.start : w.span.end]) for w in words]


def test_shell_words_quotes_escapes_and_separators() -> None:
    text = "nats-server --user 'al ice' --pass=\"p w\\\"d\" \\\n  -js && echo $HOME # done"
    first, second = commands(text)
    assert [w.value for w in first] == ["nats-server", "--user", "al ice", '--pass=p w"d', "-js"]
    assert shown(text, first[2:3]) == [("al ice", "al ice")]
    assert [w.value for w in second] == ["echo", "$HOME"] and second[1].expands and not first[1].expands


def test_dockerfile_exec_and_shell_forms_continuations_env_and_stages() -> None:
    text = (
        "FROM golang:1.22 AS build\nCMD [\"go\"]\n"
        "FROM nats:2.10-alpine\n# comment\nENV SERVER_NAME=n1 \\\n    OTHER=\"a b\"\nENV LEGACY value\n"
        "COPY nats.conf /etc/nats/\n"
        "CMD [\"nats-server\", \"--auth\", \"s3cr3t\", \\\n     \"-c\", \"/etc/nats/nats.conf\"]\n"
    )
    build, final = dockerfile.parse(text)
    assert (build.image, final.image) == ("golang:1.22", "nats:2.10-alpine")
    cmd = final.last("CMD")
    assert cmd is not None and cmd.exec_form
    assert shown(text, cmd.words)[2] == ("s3cr3t", "s3cr3t")
    envs = [name for i in final.instructions if i.keyword == "ENV" for name, _ in dockerfile.env_pairs(text, i)]
    assert envs == ["SERVER_NAME", "OTHER", "LEGACY"]


def test_a_broken_exec_form_is_run_as_shell_form() -> None:
    text = "FROM nats\nENTRYPOINT [nats-server, --auth, x]\n"
    (stage,) = dockerfile.parse(text)
    entrypoint = stage.last("ENTRYPOINT")
    assert entrypoint is not None and not entrypoint.exec_form


def test_procfile_processes() -> None:
    text = "web: gunicorn app\n# comment\nbroker: exec nats-server -p $PORT --auth=T0k\n"
    web, broker = procfile.parse(text)
    assert web.name == "web" and broker.name == "broker"
    args = server_words(broker.commands[0])
    assert args is not None
    flags = parse_flags(args)
    assert [(f.name, f.value, f.literal) for f in flags] == [("port", "$PORT", False), ("auth", "T0k", True)]
    assert text[flags[1].span.start : flags[1].span.end] == "T0k"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-js", "-sd", "/data", "-c", "x.conf"], [("jetstream", None), ("store_dir", "/data"), ("config", "x.conf")]),
        (["--tls", "--tlscert=c.pem", "-P", "p.pid", "-p", "4222"], [("tls", None), ("tlscert", "c.pem"), ("pid", "p.pid"), ("port", "4222")]),
        (["-m", "8222", "serve", "--auth", "x"], [("http_port", "8222")]),  # Go's flag package stops at a non-flag
        (["-a", "0.0.0.0", "--", "--auth", "x"], [("addr", "0.0.0.0")]),
    ],
)
def test_flags_as_go_parses_them(args: list[str], expected: list) -> None:
    from authlint.syntax.shellwords import Word

    words = [Word(a, list(range(len(a)))) for a in args]
    assert [(f.name, f.value) for f in parse_flags(words)] == expected


def test_which_commands_start_nats_server() -> None:
    def starts(text: str, image: str = "") -> bool:
        return server_words(commands(text)[0], image) is not None

    assert starts("/usr/local/bin/nats-server -js")
    assert starts("FOO=1 exec nats-server")
    assert starts("sh -c 'nats-server --auth x'")
    assert starts("docker-entrypoint.sh nats-server -c /etc/nats/nats-server.conf")
    assert starts("tini -- nats-server") and not starts("tini -- python app.py")
    assert starts("-js --auth x", "nats:2.10-alpine") and not starts("-js --auth x", "natsio/nats-box")
    assert not starts("nats sub foo") and not starts("python app.py --pass x")
    assert official_image("docker.io/library/nats:2.10@sha256:ab") and not official_image("bitnami/nats")


@pytest.mark.parametrize(
    ("name", "kind"),
    [("Dockerfile", "dockerfile"), ("Dockerfile.prod", "dockerfile"), ("nats.dockerfile", "dockerfile"),
     ("Containerfile", "dockerfile"), ("Procfile", "procfile"), ("Procfile.dev", "procfile"),
     ("Dockerfile.md", None), ("procfile.yml", "yaml")],
)
def test_launch_files_by_name(name: str, kind: str | None) -> None:
    assert classify(name, b"") == kind
