"""A file only its content made nginx's or HOCON's, which that parser then refuses, is not reported
as unparsable (it was never said to be nginx or HOCON) but stays a committed text file: NAT009 still
finds a seed in it, as it did before these formats were read."""

from __future__ import annotations

from authlint.testing import lint_files

SEED = "SUAQPCANARYSEEDWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ2343BWI"  # the secret canaries' seed
NGINX_LOOKING = f"server {{\n    listen 80;\n    # {SEED}\n    location / {{\n"  # an unclosed block
HOCON_LOOKING = f"play.filters.cors {{\n  allowedOrigins = [\n  # {SEED}\n"  # an unclosed list


def _found(files: dict[str, str]) -> set[tuple[str, int, str]]:
    result = lint_files(files)
    assert not result.errors
    return {(d.path, d.start[0], d.code) for d in result.diagnostics}


def test_a_conf_that_only_looked_like_nginx_is_still_searched_for_seeds() -> None:
    assert _found({"site.conf": NGINX_LOOKING}) == {("site.conf", 3, "NAT009")}


def test_a_conf_that_only_looked_like_hocon_is_still_searched_for_seeds() -> None:
    assert _found({"application.conf": HOCON_LOOKING}) == {("application.conf", 3, "NAT009")}


def test_a_file_named_for_nginx_that_does_not_parse_is_reported() -> None:
    found = _found({"nginx.conf": NGINX_LOOKING})
    assert ("nginx.conf", 3, "NAT009") not in found and any(code == "E001" for _, _, code in found)
