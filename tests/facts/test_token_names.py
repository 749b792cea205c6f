"""Token-name knowledge (``facts/knowledge/token_names.py``): one module, several tables that differ
on purpose, and the cookie facts the extractors fill from it and from each library's spelling."""

from __future__ import annotations

import re

import pytest

from authlint.facts.javascript import socketio as js_socketio
from authlint.facts.knowledge import token_names as names
from authlint.facts.model import COOKIE_FLAGS, CookieSet
from authlint.facts.python import socketio as py_socketio
from tests.facts import jsfacts
from tests.facts.helpers import facts_of


@pytest.mark.parametrize(("name", "credential"), [
    ("accessToken", True), ("access_token", True), ("X-Auth-Token", True), ("sid", True), ("sessionId", True),
    ("tokenExpiry", False), ("isAuthenticated", False), ("sidebar", False), ("author", False), ("theme", False),
])
def test_storage_keys_count_whole_words(name: str, credential: bool) -> None:
    assert names.names_credential(name) is credential


def test_storage_values_count_only_unambiguous_words() -> None:
    assert names.names_credential("accessToken", names.STORAGE_VALUE_WORDS)
    assert not names.names_credential("getSession", names.STORAGE_VALUE_WORDS)  # an editor's session
    assert names.benign_storage_key("dark-mode") and not names.benign_storage_key("token")


@pytest.mark.parametrize(("name", "token"), [
    ("sid", True), ("connect.sid", True), ("XSRF-SESSION", True), ("remember_me", True), ("refresh", True),
    ("side", False), ("theme", False), ("lang", False),
])
def test_cookie_names_match_substrings_and_sid_at_a_word_end(name: str, token: bool) -> None:
    assert names.cookie_carries_token(name) is token


def test_the_tables_differ_where_they_mean_to() -> None:
    """``sidebar`` is no storage credential but ``sid`` is a session cookie; ``key`` is an API key in a
    python-socketio URL, not in a handshake ``query`` object."""
    assert names.cookie_carries_token("sid") and not names.names_credential("sidebar")
    assert names.URL_TOKEN_PARAM_EXACT.search("wss://h/?key=abc")
    assert not names.query_key_carries_token("key")
    assert names.URL_TOKEN_PARAM_SUFFIXED.search("https://h?refresh_token=1")
    assert not names.URL_TOKEN_PARAM_EXACT.search("https://h?refresh_token=1")


def test_extractors_read_the_tables() -> None:
    assert py_socketio.TOKEN_PARAM is names.URL_TOKEN_PARAM_EXACT
    assert js_socketio.TOKEN_PARAM_RE is names.URL_TOKEN_PARAM_SUFFIXED


@pytest.mark.parametrize("part", names.SECRET_NAME_PARTS)
def test_every_secret_name_part_passes_the_redactor_prefilter(part: str) -> None:
    """The redactor skips lines without a SECRET_KEY_WORDS word: each secret-name fragment must hold one."""
    literal = re.sub(r"\(\?:[^)]*\)\??|\[[^\]]*\]\??|\?", "", part)
    assert any(word in literal for word in names.SECRET_KEY_WORDS), part


def test_python_cookie_facts_say_how_flags_are_spelled_and_what_defaults() -> None:
    flask = facts_of("from flask import Response\nr = Response()\nr.set_cookie('sid', s, secure=True)\n", CookieSet)[0]
    assert flask.flag_options == {"HttpOnly": "httponly", "Secure": "secure", "SameSite": "samesite"}
    assert flask.flag("Secure") is not None and flask.flag("HttpOnly") is None
    assert flask.samesite_default is None and flask.script_writer == ""
    starlette = facts_of("from starlette.responses import Response\nr = Response()\nr.set_cookie('sid', s)\n", CookieSet)[0]
    assert starlette.samesite_default == "lax"


def test_javascript_cookie_facts_say_who_wrote_them() -> None:
    express = jsfacts.one("auth.js", "res.cookie('token', t, { httpOnly: true });\n", CookieSet)
    assert set(express.flag_options) == set(COOKIE_FLAGS) and express.flag("HttpOnly") is not None
    assert express.script_writer == "" and express.samesite_default is None
    dom = jsfacts.one("client.js", "document.cookie = `jwt=${t}; Secure`;\n", CookieSet)
    assert dom.script_writer == "`document.cookie`" and dom.flag("Secure") is not None
    js_cookie = jsfacts.one("c.js", "import Cookies from 'js-cookie';\nCookies.set('token', t);\n", CookieSet)
    assert js_cookie.script_writer == "js-cookie"
