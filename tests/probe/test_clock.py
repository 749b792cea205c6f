"""Clock skew from a server's stamp: signed, bounded by the round trip, and quiet when small."""

from __future__ import annotations

from datetime import datetime, timezone

from authlint.probe.clock import from_http_date, from_rfc3339, skew

NOW = 1_800_000_000.0  # a local epoch second


def test_a_server_ahead_by_two_minutes() -> None:
    stamp = datetime.fromtimestamp(NOW + 120, tz=timezone.utc)
    found = skew(stamp, NOW - 0.1, NOW + 0.1)
    assert round(found.seconds) == 120 and found.notable
    assert "120 s ahead of" in found.describe()


def test_small_skew_is_not_notable() -> None:
    found = skew(datetime.fromtimestamp(NOW + 2, tz=timezone.utc), NOW, NOW)
    assert not found.notable and found.describe().startswith("clocks agree")


def test_http_date_has_one_second_resolution() -> None:
    found = from_http_date("Fri, 15 Jan 2027 08:00:00 GMT", NOW, NOW + 0.5)
    assert found is not None and found.uncertainty == 1.25
    assert from_http_date("yesterday", NOW, NOW) is None


def test_varz_now_with_nanoseconds_and_offsets() -> None:
    base = datetime.fromtimestamp(NOW - 300, tz=timezone.utc)
    text = base.strftime("%Y-%m-%dT%H:%M:%S") + ".123456789Z"
    found = from_rfc3339(text, NOW, NOW)
    assert found is not None and round(found.seconds) == -300 and "behind" in found.describe()
    assert from_rfc3339("2027-01-15T09:00:00.5+01:00", NOW, NOW) is not None
    assert from_rfc3339("not a time", NOW, NOW) is None
