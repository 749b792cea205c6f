"""How each NATS client library spells and reads its keep-alive (cheap to import).

Both close their connection as stale when a ping tick finds more PINGs unanswered than the maximum,
about ``(max + 1) × interval`` after the server went silent, the server's own rule for clients:
- nats-py ``connect(ping_interval=120, max_outstanding_pings=2)``: the interval in **seconds**
  (``DEFAULT_PING_INTERVAL = 120  # in seconds``, ``DEFAULT_MAX_OUTSTANDING_PINGS = 2`` in
  ``nats/aio/client.py``);
- nats.js / nats.ws / ``@nats-io/*`` ``connect({ pingInterval: 120000, maxPingOut: 2 })``: the
  interval in **milliseconds** (``DEFAULT_PING_INTERVAL = 2 * 60 * 1000; // 2 minutes``,
  ``DEFAULT_MAX_PING_OUT = 2`` in nats.js ``options.ts``).
"""

from __future__ import annotations

from dataclasses import dataclass

from authlint.facts.knowledge.socketio_options import MILLISECONDS, SECONDS, Timer, timed
from authlint.facts.model import Option, OptionBag, TimedOption

DEFAULT_INTERVAL = 120.0  # seconds, in both libraries
DEFAULT_MAX_OUT = 2


@dataclass(frozen=True)
class PingSpelling:
    interval: Timer
    max_out: str  # the option that caps unanswered PINGs


NATS_PY = PingSpelling(Timer("ping_interval", SECONDS, DEFAULT_INTERVAL, "nats-py"), "max_outstanding_pings")
NATS_JS = PingSpelling(Timer("pingInterval", MILLISECONDS, DEFAULT_INTERVAL, "nats.js"), "maxPingOut")


def client_pings(bag: OptionBag, spelling: PingSpelling) -> tuple[TimedOption | None, Option | None]:
    """The interval (read in the library's unit) and the maximum of unanswered PINGs, as written."""
    return timed(bag, spelling.interval), bag.get(spelling.max_out)
