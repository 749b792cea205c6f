"""NATS client connection settings written outside code, as the credentials and URLs they present.

- A deployment's environment, by the names the nats CLI and most NATS tools read (natscli's
  ``--server=NATS_URL``, ``--user=NATS_USER``, ``--password=NATS_PASSWORD``, ``--creds=NATS_CREDS``,
  ``--nkey=NATS_NKEY``; ``NATS_TOKEN``, and ``NATS_SERVERS`` for a comma-separated list):
  a Compose service's ``env_file`` entries then its ``environment`` (which wins, as in Compose), a
  Kubernetes container's ``env``, and each dotenv file no Compose service names (templates such as
  ``.env.example`` are left out: their values are meant to be replaced). The user and password of
  one environment are one login.
- nats CLI contexts (``facts.natscontext``): ``url``, ``token``, ``user``, ``password``.

Only literal values count (``${VAR}`` and ``valueFrom`` are not written here). ``NATS_CREDS`` and
``NATS_NKEY`` name files, which say nothing a server config can be compared with, and a user
without a password is left alone (the CLI may send it as a token).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import EnvBlock, EnvSetting, NatsContext, NatsPresented
from authlint.files.source import Source, Span

if TYPE_CHECKING:
    from authlint.run.context import Project

URL_VARIABLES = ("NATS_URL", "NATS_SERVERS")
TOKEN_VARIABLES = ("NATS_TOKEN",)
USER_VARIABLES = ("NATS_USER",)
PASSWORD_VARIABLES = ("NATS_PASSWORD", "NATS_PASS")
CREDENTIAL_VARIABLES = TOKEN_VARIABLES + USER_VARIABLES + PASSWORD_VARIABLES


@dataclass(frozen=True)
class Written:
    """One literal value, where it is written, and how messages name the place."""

    source: Source
    setting: EnvSetting
    label: str  # "Compose service `app` (`NATS_TOKEN`)", "nats context `ops`"

    @property
    def value(self) -> str:
        return self.setting.value or ""

    @property
    def span(self) -> Span:
        return self.setting.span


def environments(project: Project) -> Iterator[tuple[str, dict[str, Written]]]:
    """(label, the values by variable) of every process environment the deployment files describe."""
    blocks = list(project.facts(EnvBlock))
    dotenvs = {b.source.relpath: b for b in blocks if b.origin == "dotenv"}
    named = {path for b in blocks if b.origin == "compose" for path in b.env_files}
    for block in blocks:
        if block.origin == "dotenv":
            continue
        label = f"Compose service `{block.service}`" if block.origin == "compose" else f"`{block.service}`"
        values: dict[str, Written] = {}
        for path in block.env_files:
            env_file = dotenvs.get(path)
            for setting in env_file.settings if env_file is not None else ():
                values[setting.name] = Written(env_file.source, setting, f"{label} (`{setting.name}` in `{path}`)")  # type: ignore[union-attr]
        for setting in block.settings:
            values[setting.name] = Written(block.source, setting, f"{label} (`{setting.name}`)")
        yield label, values
    for path, block in sorted(dotenvs.items()):
        if path in named or block.template:
            continue
        yield f"`{path}`", {s.name: Written(block.source, s, f"`{path}` (`{s.name}`)") for s in block.settings}


def contexts(project: Project) -> Iterator[tuple[str, dict[str, Written]]]:
    """(label, the settings by the environment variable of the same meaning) of every nats context."""
    meaning = {"url": "NATS_URL", "token": "NATS_TOKEN", "user": "NATS_USER", "password": "NATS_PASSWORD"}
    for context in project.facts(NatsContext):
        label = f"nats context `{context.name}`"
        yield label, {
            meaning[s.name]: Written(context.source, s, label) for s in context.settings if s.name in meaning
        }


def connection_settings(project: Project) -> Iterator[dict[str, Written]]:
    """The literal values of every environment and context, by variable."""
    for _, values in [*environments(project), *contexts(project)]:
        literal = {name: w for name, w in values.items() if w.setting.value}
        if literal:
            yield literal


def urls(values: dict[str, Written]) -> Iterator[tuple[Written, str, int]]:
    """Each server URL of ``NATS_URL``/``NATS_SERVERS`` (comma-separated), with its offset in the value."""
    for name in URL_VARIABLES:
        written = values.get(name)
        if written is None:
            continue
        at = 0
        for part in written.value.split(","):
            stripped = part.strip()
            if stripped:
                yield written, stripped, at + part.index(stripped)
            at += len(part) + 1


def presented(project: Project) -> Iterator[NatsPresented]:
    """The credentials every environment and context presents (``NatsPresented``, realm "client")."""
    from authlint.facts.natsconf.extract import url_presented

    for values in connection_settings(project):
        token = _first(values, TOKEN_VARIABLES)
        user = _first(values, USER_VARIABLES)
        password = _first(values, PASSWORD_VARIABLES)
        if token is not None:
            yield NatsPresented(token.source, token.span, token=token.value, label=token.label)
        elif user is not None and password is not None:
            same_file = password.source is user.source  # else the finding stays at the user
            yield NatsPresented(user.source, user.span, user=user.value, password=password.value,
                                password_span=password.span if same_file else None, label=user.label)
        for written, url, offset in urls(values):
            base = written.span.start + offset if written.span.end - written.span.start == len(written.value) else None
            found = url_presented(written.source, written.span, url, written.label, base)
            if found is not None:
                yield found


def _first(values: dict[str, Written], names: tuple[str, ...]) -> Written | None:
    return next((values[name] for name in names if name in values), None)


def credential_kind(variable: str) -> str | None:
    """``token`` or ``password`` when a ``NATS_*`` variable holds a client secret by its name
    (``NATS_TOKEN``, ``NATS_AUTH_TOKEN``, ``NATS_PASSWORD``, ``NATS_PASS``, ``NATS_PWD``); None for
    the others (``NATS_URL``, ``NATS_USER``, ``NATS_CREDS`` and ``NATS_NKEY``, which name files)."""
    words = variable.upper().split("_")
    if not words or words[0] != "NATS":
        return None
    if "TOKEN" in words[1:]:
        return "token"
    if any(word in ("PASSWORD", "PASS", "PWD", "PASSWD", "SECRET") for word in words[1:]):
        return "password"
    return None
