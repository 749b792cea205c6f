"""The Masker: exactly the secret spans are hidden, everything else is shown as it is, and a caret
range computed on the original columns lands on the masked text."""

from __future__ import annotations

import pytest

from authlint.diagnostics.mask import (
    Masked,
    Masker,
    mask_new_text,
    mask_piece,
    mask_value,
    quote,
    scrub_patterns,
    source_line,
)
from authlint.files.source import Source, Span

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl"


def _spans(text: str, *values: str) -> tuple[Span, ...]:
    return tuple(sorted(Span(text.index(v), text.index(v) + len(v)) for v in values))


def _underlined(line, start: int, stop: int) -> str:
    """The masked text under the caret range of the original ``[start, stop)``."""
    lo, hi = line.underline(start, stop)
    return line.text[lo:hi]


def test_mask_form() -> None:
    assert mask_value("T0pS3cr3t") == "T0*******"
    assert mask_value("abc") == "***" and mask_value("a") == "***" and mask_value("abcdefg") == "*******"
    assert mask_value("x" * 20) == "xx" + "*" * 12 + "(+6)"
    assert mask_value(JWT) == "ey************(+47)"
    assert isinstance(mask_value("secret-value"), Masked)
    assert mask_value(mask_value("secret-value")) == "se**********"  # masking a mask changes nothing
    assert mask_piece("abcdefgh", first=False) == "********"  # a line after a secret's first: no prefix


def test_a_line_without_secrets_is_the_line() -> None:
    text = 'x = "a"\ty = "é"\n'
    line = Masker(text, ()).line(0, len(text) - 1)
    assert line.text == text[:-1] and line.pieces == ()
    assert line.underline(4, 7) == (4, 7)


def test_carets_before_inside_and_after_a_secret() -> None:
    text = 'key = "hunter2-very-secret"; ttl = 15'
    line = Masker(text, _spans(text, "hunter2-very-secret")).line(0, len(text))
    assert line.text == 'key = "hu************(+5)"; ttl = 15'
    assert _underlined(line, 0, 3) == "key"  # before: unchanged
    assert _underlined(line, 7, 26) == "hu************(+5)"  # the secret: its whole mask
    assert _underlined(line, 10, 12) == "hu************(+5)"  # inside: the mask, never a part of it
    assert _underlined(line, 6, 27) == '"hu************(+5)"'  # around it
    assert _underlined(line, 29, 32) == "ttl"  # after: shifted by the length change
    assert _underlined(line, 0, len(text)) == line.text
    assert line.underline(29, 29) == (line.text.index("ttl"), line.text.index("ttl"))  # empty stays empty


def test_several_secrets_on_a_line() -> None:
    text = f'connect("nats://u:pw-secret-1@h", "{JWT}", "s3")'
    line = Masker(text, _spans(text, "pw-secret-1", JWT, "s3")).line(0, len(text))
    assert line.text == 'connect("nats://u:pw*********@h", "ey************(+47)", "***")'
    assert _underlined(line, text.index("h\""), text.index("h\"") + 1) == "h"
    assert _underlined(line, text.index(JWT) - 1, text.index(JWT) + len(JWT) + 1) == '"ey************(+47)"'
    assert _underlined(line, text.index('"s3"'), len(text)) == '"***")'


def test_a_secret_over_several_lines_is_masked_line_by_line() -> None:
    body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n"
    text = f"KEY = '''-----BEGIN PRIVATE KEY-----\n{body}-----END PRIVATE KEY-----'''\n"
    masker = Masker(text, _spans(text, body))
    shown = masker.text(0, len(text))
    assert shown.splitlines() == [
        "KEY = '''-----BEGIN PRIVATE KEY-----",
        "MI************(+18)",
        "************(+8)",  # a later line keeps no character
        "-----END PRIVATE KEY-----'''",
    ]
    source = Source.from_text(text, "k.py", "python")
    source.secret_spans = _spans(text, body)
    assert source_line(source, 3).text == "************(+8)"
    assert source_line(source, 1).text == "KEY = '''-----BEGIN PRIVATE KEY-----"


def test_crlf_line_ends_are_never_masked() -> None:
    text = 'a = 1\r\npassword = "wonderland-42"\r\nb = 2\r\n'
    source = Source.from_text(text, "c.py", "python")
    source.secret_spans = _spans(text, "wonderland-42")
    assert source_line(source, 2).text == 'password = "wo***********"'
    assert Masker.of(source).text(0, len(text)) == text.replace("wonderland-42", "wo***********")
    spanning = Masker(text, (Span(2, len(text)),)).text(0, len(text))  # a span over line ends keeps them
    assert spanning.count("\r\n") == 3


def test_tabs_and_non_ascii_keep_their_columns() -> None:
    text = '\tclé = "sécrét-valeur-ü"\t# 😀'
    line = Masker(text, _spans(text, "sécrét-valeur-ü")).line(0, len(text))
    assert line.text == '\tclé = "sé************(+1)"\t# 😀'
    assert _underlined(line, text.index("#"), len(text)) == "# 😀"
    assert _underlined(line, 1, 4) == "clé"


def test_a_source_the_engine_did_not_look_at_is_masked_by_the_pattern_set() -> None:
    text = f'token = "{JWT}"\npassword = "plain-words"\n'
    source = Source.from_text(text, "a.py", "python")
    assert source.secret_spans is None
    assert source_line(source, 1).text == 'token = "ey************(+47)"'
    assert source_line(source, 2).text == 'password = "plain-words"'  # no name-based guess
    source.secret_spans = ()  # the engine looked and found nothing: nothing is masked
    assert source_line(source, 1).text == text.splitlines()[0]


def test_new_text_masks_the_secret_values_it_holds_and_the_patterns() -> None:
    content = 'jwt.decode(token, "k3y-Sup3rS3cret", algorithms=["HS256"])'
    assert mask_new_text(content, ("k3y-Sup3rS3cret",)) == 'jwt.decode(token, "k3************(+1)", algorithms=["HS256"])'
    assert mask_new_text('hash: "$2b$04$abc"', ("other-secret",)) == 'hash: "$2b$04$abc"'  # a hash may print
    assert mask_new_text("ab and abc", ("ab",)) == "ab and abc"  # too short to search for


def test_scrub_patterns_touches_shapes_no_word_has() -> None:
    message = "nats-server refuses to start; signs with a published secret"
    assert scrub_patterns(message) == message
    assert scrub_patterns(f"token {JWT} expired") == "token ey************(+47) expired"


def test_quote_masks_a_files_spans() -> None:
    text = f'localStorage.setItem("t", "{JWT}")'
    source = Source.from_text(text, "a.js", "javascript")
    quoted = quote(source, Span(0, len(text)))
    assert quoted == 'localStorage.setItem("t", "ey************(+47)")' and quoted.masks
    plain = quote(source, Span(0, 12))
    assert plain == "localStorage" and not plain.masks


@pytest.mark.parametrize("start, stop", [(0, 5), (3, 9), (9, 14), (14, 20), (0, 20)])
def test_text_of_any_range_matches_the_lines(start: int, stop: int) -> None:
    """A range's masked text is its lines' masked text (a span cut by the range keeps no prefix)."""
    text = "ab secret12 cd\nxy secret34 zz"
    masker = Masker(text, _spans(text, "secret12", "secret34"))
    whole = masker.text(0, len(text))
    assert "secret" not in masker.text(start, stop)
    if not any(s.start < start < s.end or s.start < stop < s.end for s in masker.spans):
        assert masker.text(start, stop) == whole[_moved(masker, start) : _moved(masker, stop)]


def _moved(masker: Masker, offset: int) -> int:
    return len(masker.text(0, offset))
