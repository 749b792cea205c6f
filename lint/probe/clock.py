"""The server's clock against this machine's: the fact behind "expired" tokens that are not.

A server's time arrives with some delay (an HTTP ``Date`` header with one-second resolution,
nats-server's ``/varz`` ``now``). The probe notes the local clock just before sending and just
after the answer, so the skew is known to within the round trip; only a skew larger than that
uncertainty (and than the header's own resolution) is reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

NOTABLE = 5.0  # seconds: below this, skew is not what makes tokens fail (JWT leeways are rarely smaller)


@dataclass(frozen=True)
class Skew:
    """``seconds`` > 0: the server's clock is ahead of this machine's; ``uncertainty`` bounds the
    error (half the round trip plus the resolution of the server's stamp)."""

    seconds: float
    uncertainty: float

    @property
    def notable(self) -> bool:
        return abs(self.seconds) - self.uncertainty >= NOTABLE

    def describe(self) -> str:
        if not self.notable:
            return f"clocks agree (within {self.uncertainty + NOTABLE:.0f} s)"
        side = "ahead of" if self.seconds > 0 else "behind"
        return f"the server's clock is {abs(self.seconds):.0f} s {side} this machine's (±{self.uncertainty:.1f} s)"


def skew(server: datetime, sent: float, received: float, resolution: float = 0.0) -> Skew:
    """The skew of a server stamp taken between ``sent`` and ``received`` (local epoch seconds)."""
    if server.tzinfo is None:
        server = server.replace(tzinfo=timezone.utc)
    middle = (sent + received) / 2
    return Skew(server.timestamp() - middle, (received - sent) / 2 + resolution)


def from_http_date(value: str, sent: float, received: float) -> Skew | None:
    """The skew told by an HTTP ``Date`` header (one-second resolution); None when unparsable."""
    try:
        stamp = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return skew(stamp, sent, received, resolution=1.0)


def from_rfc3339(value: str, sent: float, received: float) -> Skew | None:
    """The skew told by an RFC 3339 time (nats-server's ``/varz`` ``now``, nanoseconds allowed)."""
    text = value.strip().replace("Z", "+00:00")
    head, dot, rest = text.partition(".")
    if dot:  # Python's fromisoformat takes at most microseconds
        count = len(rest) - len(rest.lstrip("0123456789"))  # the fraction's digits, not the zone's
        digits, zone = rest[:count], rest[count:]
        text = f"{head}.{digits[:6].ljust(6, '0')}{zone}"
    try:
        return skew(datetime.fromisoformat(text), sent, received)
    except ValueError:
        return None
