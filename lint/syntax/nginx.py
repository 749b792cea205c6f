"""nginx configuration files, read with crossplane's lexer and given character spans.

crossplane (the nginx config parser on PyPI) tokenises exactly as nginx does: quotes, escapes,
``${var}`` parameter expansion, comments, and the braces and semicolons that end directives. It
keeps a line number per token but no column, and a fix must know where each argument is written.
So the tokens are laid back onto the text in order (each is the next non-blank run, or a quoted
string whose escapes crossplane resolved), which gives every directive, argument and block its
exact span. The tree is then built the way crossplane's own ``parse`` builds it (``if`` conditions
lose their parentheses), without its ``include`` handling: includes are joined by the project
phase, and only with files inside the project (``facts.nginx.includes``).

A file chosen as nginx by its content alone (a ``.conf`` that merely looks like nginx) that
crossplane rejects raises a *foreign* ``ParseError``: it is not reported, as before nginx was read.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from authlint.files.source import Source, Span
from authlint.syntax.errors import ParseError

if TYPE_CHECKING:
    from authlint.run.context import FileContext


@dataclass
class Directive:
    """One nginx directive: ``name args... ;`` or ``name args... { block }``."""

    name: str
    args: list[str]  # as nginx reads them: quotes removed, ``if`` parentheses dropped
    span: Span  # the name through its ``;`` or its closing ``}``
    name_span: Span
    arg_spans: list[Span]  # each argument as written, quotes included (``if``: without the parentheses)
    quoted: list[bool]
    block: list[Directive] | None = None  # the directives inside ``{ }``; None for a simple directive
    body: Span | None = None  # between the braces, braces excluded
    line: int = 0  # 1-based, as crossplane reports it

    @property
    def is_block(self) -> bool:
        return self.block is not None


@dataclass
class Config:
    """A parsed nginx file: its top-level directives and where its comments are."""

    directives: list[Directive] = field(default_factory=list)
    comments: list[Span] = field(default_factory=list)

    def walk(self) -> Iterator[tuple[Directive, tuple[Directive, ...]]]:
        """Every directive with the block directives that enclose it, outermost first."""
        yield from walk(self.directives, ())


def walk(directives: list[Directive], parents: tuple[Directive, ...]) -> Iterator[tuple[Directive, tuple[Directive, ...]]]:
    for directive in directives:
        yield directive, parents
        if directive.block is not None:
            yield from walk(directive.block, (*parents, directive))


@dataclass(frozen=True)
class Token:
    text: str  # as crossplane yields it
    line: int
    quoted: bool
    span: Span  # where it is written (a quoted token: its quotes included)


def _locate(text: str, raw_tokens: Iterator[tuple[str, int, bool]]) -> Iterator[Token]:
    """crossplane's tokens with their spans: each token is the next thing after blanks.

    Two tokens are not the next run of characters: the code of a ``*_by_lua_block`` (crossplane's
    Lua extension yields what is between the braces as one quoted token, then a ``;`` that is not
    written, placed here as an empty span after the ``}``), and nothing follows a comment's end
    the way the lexer reads it (a comment ended by ``\\`` + newline leaves that backslash unread)."""
    at = 0
    size = len(text)
    after_block_code = False
    for value, line, quoted in raw_tokens:
        if after_block_code and value == ";" and not quoted:
            after_block_code = False
            yield Token(value, line, False, Span(at, at))
            continue
        after_block_code = False
        while at < size and text[at].isspace():
            at += 1
        if quoted and at < size and text[at] == "{" and text[at + 1 : at + 1 + len(value)] == value:
            end = at + 1 + len(value)
            if end < size and text[end] == "}":  # Lua code: braces written around it, like quotes
                yield Token(value, line, True, Span(at, end + 1))
                at = end + 1
                after_block_code = True
                continue
        if quoted and at < size and text[at] in "\"'":
            quote = text[at]
            end = at + 1
            while end < size and text[end] != quote:
                end += 2 if text[end] == "\\" else 1
            end = min(end + 1, size)
        else:
            end = at + len(value)
            if text[at:end] != value:  # never expected: crossplane yields the characters it read
                raise ParseError(f"cannot place token `{value[:40]}` read on line {line}", at)
        yield Token(value, line, quoted, Span(at, end))
        at = end
        if value.startswith("#") and not quoted and text[at : at + 1] == "\\":
            at += 1  # ``# ...\\`` + newline: the lexer read the escaped newline as the comment's end


def tokens(text: str) -> list[Token]:
    """The file's tokens as crossplane lexes them (unbalanced braces raise ParseError)."""
    from crossplane.errors import NgxParserBaseException
    from crossplane.lexer import _balance_braces, _lex_file_object

    try:
        return list(_locate(text, _balance_braces(_lex_file_object(io.StringIO(text, newline="")))))
    except NgxParserBaseException as exc:
        raise ParseError(f"nginx: {exc.strerror}", _line_offset(text, exc.lineno)) from None
    except StopIteration:  # crossplane's lexer ends inside a quoted string or a `${` expansion
        raise ParseError("nginx: unexpected end of file inside a quoted string", len(text)) from None


def _line_offset(text: str, line: int | None) -> int:
    if not line or line <= 1:
        return 0
    at = 0
    for _ in range(line - 1):
        found = text.find("\n", at)
        if found == -1:
            return len(text)
        at = found + 1
    return at


def parse(text: str) -> Config:
    """The directive tree of an nginx file; ParseError where nginx would refuse its syntax."""
    config = Config()
    config.directives, _ = _block(iter(tokens(text)), config, top=True, end=len(text))
    return config


def _block(stream: Iterator[Token], config: Config, top: bool, end: int) -> tuple[list[Directive], Token | None]:
    """The directives up to the ``}`` that closes this block (returned too), or to the end of file."""
    directives: list[Directive] = []
    for token in stream:
        if token.text == "}" and not token.quoted:
            if top:
                raise ParseError('nginx: unexpected "}"', token.span.start)
            return directives, token
        if token.text.startswith("#") and not token.quoted:
            config.comments.append(token.span)
            continue
        if token.text in ("{", ";") and not token.quoted:
            raise ParseError(f'nginx: unexpected "{token.text}"', token.span.start)
        directives.append(_directive(token, stream, config, end))
    if not top:
        raise ParseError('nginx: unexpected end of file, expecting "}"', end)
    return directives, None


def _directive(head: Token, stream: Iterator[Token], config: Config, end: int) -> Directive:
    args: list[Token] = []
    last: Token | None = None
    for token in stream:
        if token.text.startswith("#") and not token.quoted:
            config.comments.append(token.span)
            continue
        if token.text in ("{", ";", "}") and not token.quoted:
            last = token
            break
        args.append(token)
    if last is None or last.text == "}":
        raise ParseError(f'nginx: directive "{head.text}" is not terminated by ";"', head.span.start)
    if head.text == "if":
        args = _if_args(args)
    directive = Directive(
        name=head.text, args=[a.text for a in args], span=Span(head.span.start, last.span.end),
        name_span=head.span, arg_spans=[a.span for a in args], quoted=[a.quoted for a in args],
        line=head.line,
    )
    if last.text == "{":
        directive.block, closing = _block(stream, config, top=False, end=end)
        assert closing is not None  # a nested block ends at its `}` or raises
        directive.body = Span(last.span.end, closing.span.start)
        directive.span = Span(head.span.start, closing.span.end)
    return directive


def _if_args(args: list[Token]) -> list[Token]:
    """``if ( $a = b )``: crossplane drops the parentheses, which may be tokens of their own or
    stuck to the first and last argument (``($http_origin``, ``"x")``)."""
    if not args:
        return args
    first, last = args[0], args[-1]
    if first.text.startswith("(") and not first.quoted:
        rest = first.text[1:]
        first = Token(rest, first.line, False, Span(first.span.start + 1, first.span.end))
        args = [first, *args[1:]]
        if not rest:
            args = args[1:]
    if args:
        last = args[-1]
        if last.text.endswith(")") and not last.quoted:
            rest = last.text[:-1]
            trimmed = Token(rest, last.line, False, Span(last.span.start, last.span.end - 1))
            args = [*args[:-1], trimmed] if rest else args[:-1]
    return args


def parse_source(source: Source, ctx: FileContext | None = None) -> Config:
    try:
        return parse(source.text)
    except ParseError as exc:
        from authlint.files.classify import nginx_by_name

        if not nginx_by_name(source.relpath):
            exc.foreign = True  # a `.conf` that only looked like nginx: not reported
        raise
