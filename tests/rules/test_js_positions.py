"""Where language-neutral rules point in JS/TS code: the line a reader has to change."""

from __future__ import annotations

from authlint.testing import lint_files

SERVER = """\
import { Server } from "socket.io";
import jwt from "jsonwebtoken";
const io = new Server(3000, { pingTimeout: 2000 });
io.on("connection", (socket) => {
  if (socket.data.user === undefined ) socket.join("lobby");
});
export const mint = (u: string) => jwt.sign({ sub: u }, process.env.K!, { expiresIn: "1h" });
"""


def _where(code: str, select: str) -> list[tuple[int, int, str]]:
    result = lint_files({"server.ts": code}, select=[select])
    assert not result.errors
    return [(*d.start, code[d.span.start : d.span.end].splitlines()[0]) for d in result.diagnostics]


def test_connect_handler_is_reported_on_its_first_line() -> None:
    assert _where(SERVER, "SIO005") == [(4, 21, "(socket) => {")]


def test_option_values_are_reported_where_they_are_written() -> None:
    assert _where(SERVER, "SIO001") == [(3, 44, "2000")]
