"""nats-server's command line: which words of a command start nats-server, and its flags.

The flags are those of nats-server 2.9/2.10 (``nats-server --help``, ``main.go``): Go's ``flag``
package, so ``-x`` and ``--x`` are the same flag, a value follows as the next word or after ``=``,
a switch takes no separate value (``-js``; ``-js=false`` is allowed), and parsing stops at the
first word that is not a flag (or after ``--``). Names are case-sensitive (``-p`` port, ``-P``
pid file; ``-v`` version, ``-V`` trace).

Which command is nats-server: the first word (after ``VAR=x``, ``exec``, ``env``) is a program
named ``nats-server`` (``/nats-server``, ``/usr/local/bin/nats-server``, the old ``gnatsd``); a
``sh -c "..."`` script is read inside; and for the official ``nats`` image, whose entrypoint runs
nats-server, words that start with a flag are its flags (``command: ["-js", "--auth", "x"]``).
"""

from __future__ import annotations

import posixpath

from authlint.facts.model import NatsFlag
from authlint.files.source import Span
from authlint.syntax.shellwords import Word, commands

# short or alternative name -> canonical name (the long one nats-server documents)
ALIASES = {
    "a": "addr", "net": "addr", "p": "port", "n": "name", "server_name": "name", "P": "pid",
    "m": "http_port", "ms": "https_port", "c": "config", "sl": "signal", "l": "log", "T": "logtime",
    "s": "syslog", "r": "remote_syslog", "D": "debug", "V": "trace", "js": "jetstream",
    "sd": "store_dir", "h": "help", "v": "version",
}
SWITCHES = frozenset({
    "t", "logtime", "logtime_utc", "syslog", "debug", "trace", "VV", "DV", "DVV", "jetstream", "tls",
    "tlsverify", "help", "version", "help_tls", "no_advertise",
})
VALUED = frozenset({
    "addr", "port", "name", "pid", "http_port", "https_port", "config", "signal", "client_advertise",
    "ports_file_dir", "log", "remote_syslog", "log_size_limit", "max_traced_msg_len", "store_dir",
    "user", "pass", "auth", "tlscert", "tlskey", "tlscacert", "routes", "cluster", "cluster_name",
    "cluster_advertise", "connect_retries", "cluster_listen", "profile",
})
PROGRAMS = frozenset({"nats-server", "nats-server.exe", "gnatsd"})
# programs that start the next word as the command (the alpine image's entrypoint, init shims)
WRAPPERS = frozenset({"docker-entrypoint.sh", "tini", "dumb-init"})
SHELLS = frozenset({"sh", "bash", "ash", "dash", "/bin/sh", "/bin/bash", "/bin/ash", "/usr/bin/env"})
# the official image's default command when a deployment does not override it: scratch variants
# run ``/nats-server --config nats-server.conf`` from ``/``, alpine ones ``/etc/nats/nats-server.conf``
IMAGE_CONFIGS = ("/nats-server.conf", "/etc/nats/nats-server.conf")


def official_image(image: str) -> bool:
    """``nats``, ``nats:2.10-alpine``, ``docker.io/library/nats@sha256:...`` (not ``natsio/nats-box``)."""
    name = image.split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    return name in ("nats", "library/nats", "docker.io/nats", "docker.io/library/nats")


def server_words(words: list[Word], image: str = "") -> list[Word] | None:
    """The words after the program when ``words`` start nats-server (None: they do not)."""
    at = 0
    while at < len(words) and ("=" in words[at].value and not words[at].value.startswith("-")
                               or words[at].value in ("exec", "env")):
        at += 1
    rest = words[at:]
    while rest and posixpath.basename(rest[0].value) in WRAPPERS:
        rest = rest[1:]
        while rest and rest[0].value.startswith("-"):  # the shim's own options (``tini --``)
            if rest[0].value == "--":
                rest = rest[1:]
                break
            rest = rest[1:]
    if not rest:
        return None
    program = rest[0].value
    if posixpath.basename(program) in PROGRAMS:
        return rest[1:]
    if program in SHELLS or posixpath.basename(program) in ("sh", "bash"):
        script = next((i for i, w in enumerate(rest) if w.value == "-c" or w.value.startswith("-") and "c" in w.value
                       and not w.value.startswith("--")), None)
        if script is not None and script + 1 < len(rest):
            for inner in inner_commands(rest[script + 1]):
                found = server_words(inner, image)
                if found is not None:
                    return found
        return None
    if official_image(image) and program.startswith("-"):
        return rest
    return None


def inner_commands(word: Word) -> list[list[Word]]:
    """The commands of a script held in one word (``sh -c "..."``), positions mapped to the file."""
    found = []
    for command in commands(word.value):
        found.append([Word(w.value, [word.offsets[i] for i in w.offsets], w.expands or word.expands)
                      for w in command])
    return found


def parse_flags(words: list[Word]) -> list[NatsFlag]:
    """nats-server's flags among ``words`` (the arguments after the program), as Go parses them."""
    found: list[NatsFlag] = []
    at = 0
    while at < len(words):
        word = words[at]
        text = word.value
        if text == "--" or not text.startswith("-") or text == "-":
            break
        dashes = 2 if text.startswith("--") else 1
        name, equals, value = text[dashes:].partition("=")
        canonical = ALIASES.get(name, name)
        flag_span = word.part(0, dashes + len(name))
        if equals:
            cut = dashes + len(name) + 1
            found.append(NatsFlag(canonical, text[: dashes + len(name)], value, word.part(cut, len(text)),
                                  flag_span, not word.expands))
        elif canonical in VALUED and at + 1 < len(words):
            following = words[at + 1]
            found.append(NatsFlag(canonical, text, following.value, following.span, flag_span,
                                  not following.expands))
            at += 1
        else:
            found.append(NatsFlag(canonical, text, None, flag_span, flag_span))
        at += 1
    return found


def spans_of(flags: list[NatsFlag], *names: str) -> list[Span]:
    return [f.span for f in flags if f.name in names and f.value]
