"""CSRF cookie names (``token_names.cookie_read_by_page``): the double-submit cookies page script reads,
which TOK002 never makes HttpOnly."""

from __future__ import annotations

import pytest

from authlint.facts.knowledge import token_names as names


@pytest.mark.parametrize(("name", "read_by_page"), [
    ("csrftoken", True),  # Django
    ("XSRF-TOKEN", True),  # Angular, axios, Laravel
    ("csrf_token", True),  # Flask-WTF
    ("csrf_access_token", True), ("csrf_refresh_token", True),  # Flask-JWT-Extended
    ("_csrf", True),  # csurf
    ("access_token", False), ("access_token_cookie", False), ("session", False), ("jwt", False),
])
def test_csrf_cookies_are_read_by_the_page(name: str, read_by_page: bool) -> None:
    assert names.cookie_read_by_page(name) is read_by_page
