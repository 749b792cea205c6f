"""What a probe found: the steps it took, each with the server's own answer, and a verdict.

A probe is read-only and bounded: each step is one connection or one request with a timeout, and
none is retried. The verdict decides the exit code (``accepted`` 0, ``refused`` 1, ``unreachable``
2), so a script can ask "would this client get in?" the way it asks ``authlint check``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ACCEPTED = "accepted"  # the server took the client's credentials (or asked for none)
REFUSED = "refused"  # the server answered, and said no: the report holds its exact words
UNREACHABLE = "unreachable"  # nothing answered as the protocol expects (refused port, timeout, not this protocol)

EXIT_CODES = {ACCEPTED: 0, REFUSED: 1, UNREACHABLE: 2}

# a step's outcome: ``ok`` (it succeeded), ``refused`` (the server said no), ``failed`` (no usable
# answer), ``warning`` (an answer that explains trouble, such as clock skew), ``info`` (a fact),
# ``skipped`` (not run: an earlier step decided, or an option was not given)
OUTCOMES = ("ok", "refused", "failed", "warning", "info", "skipped")


@dataclass
class Step:
    """One thing the probe asked and what came back.

    ``name`` is a stable identifier (``info``, ``connect``, ``varz``, ``handshake``,
    ``cors-preflight``, ``namespace``, ``upgrade``, ``clock``); ``summary`` the line the text
    output shows; ``details`` the fields as received (JSON shows them whole); ``said`` the server's
    own words where it refused (``-ERR 'Authorization Violation'``, a ``connect_error`` message).
    """

    name: str
    outcome: str
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    said: str | None = None

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")


@dataclass
class ProbeReport:
    """A probe's findings about one server.

    ``target`` is the URL as given (credentials in it are redacted on output); ``protocol`` one of
    ``nats``, ``socketio``, ``http``; ``reason`` the server's exact refusal (or why nothing
    answered); ``causes`` the titles and causes of the ``authlint explain`` entries that match it.
    """

    target: str
    protocol: str
    steps: list[Step] = field(default_factory=list)
    verdict: str = UNREACHABLE
    reason: str | None = None
    causes: list[dict[str, Any]] = field(default_factory=list)

    def add(self, step: Step) -> Step:
        self.steps.append(step)
        return step

    def step(self, name: str) -> Step | None:
        return next((step for step in self.steps if step.name == name), None)

    def conclude(self, verdict: str, reason: str | None = None) -> None:
        """Set the verdict; a refusal or failure gets the ``explain`` entries its message matches."""
        if verdict not in EXIT_CODES:
            raise ValueError(f"unknown verdict {verdict!r}")
        self.verdict = verdict
        self.reason = reason
        self.causes = explained(reason) if reason and verdict != ACCEPTED else []

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "protocol": self.protocol,
            "verdict": self.verdict,
            "reason": self.reason,
            "steps": [
                {"name": s.name, "outcome": s.outcome, "summary": s.summary, "said": s.said, "details": s.details}
                for s in self.steps
            ],
            "causes": self.causes,
        }


def explained(message: str) -> list[dict[str, Any]]:
    """The ``authlint explain`` entries a server's message matches, as the report carries them."""
    from authlint.cli.explain import explain

    return [{"title": e.title, "causes": list(e.causes), "codes": list(e.codes)} for e in explain(message)]
    # (the entries' own ``probe`` line is left out: the report is that probe's answer)
