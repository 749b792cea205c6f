"""Which nats-server version configs are judged against, and the words that say where it came from."""

from __future__ import annotations

from authlint.config.settings import Settings
from authlint.versions.model import NATS_SERVER, Pin, ProjectVersions
from authlint.versions.nats_target import nats_target


def _pin(version: str | None, spec: str, relpath: str, line: int) -> Pin:
    return Pin(NATS_SERVER, NATS_SERVER, version, spec, relpath, line)


def test_nothing_configured_or_pinned_is_no_target() -> None:
    assert nats_target(Settings()) is None
    assert Settings().nats_version() is None


def test_the_configured_version_wins_over_pins() -> None:
    settings = Settings(target_nats_version="2.10", versions=ProjectVersions((_pin("2.9.25", "2.9.25", "Dockerfile", 1),)))
    target = nats_target(settings)
    assert target is not None
    assert (target.version, target.source) == ((2, 10, 0), "target-nats-version is 2.10")


def test_the_lowest_exact_pin_is_the_target() -> None:
    pins = (
        _pin("2.10.7", "2.10.7-alpine", "docker-compose.yml", 12),
        _pin(None, "2.9", "k8s/nats.yaml", 3),  # partial: exact pins come first
        _pin("2.9.25", "2.9.25", "deploy/Dockerfile", 1),
    )
    target = nats_target(Settings(versions=ProjectVersions(pins)))
    assert target is not None
    assert (target.version, target.source) == ((2, 9, 25), "target 2.9.25 from deploy/Dockerfile:1")
    assert Settings(versions=ProjectVersions(pins)).nats_version() == (2, 9, 25)


def test_a_partial_tag_is_the_first_release_it_can_pull_and_a_major_alone_is_nothing() -> None:
    pins = (_pin(None, "2.10-alpine", "compose.yaml", 3), _pin(None, "2", "Dockerfile", 1))
    target = nats_target(Settings(versions=ProjectVersions(pins)))
    assert target is not None
    assert (target.version, target.source) == ((2, 10, 0), "target 2.10 from compose.yaml:3")
    assert nats_target(Settings(versions=ProjectVersions((_pin(None, "2", "Dockerfile", 1),)))) is None


def test_pins_of_libraries_are_not_the_server() -> None:
    from authlint.versions.model import NPM

    versions = ProjectVersions((Pin(NPM, "nats", "2.29.3", "2.29.3", "package.json", 4),))
    assert nats_target(Settings(versions=versions)) is None
