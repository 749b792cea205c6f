"""Which modules SIO005 and SIO006 borrow (``Rule.lenders_wanted``): where connect handlers live.

A module that registers ``@sio.on("connect")`` on a server imported from another module, or exports
an ``io.use`` middleware, need not name Socket.IO itself (``sio.``, ``socket``): the run loads such
modules only when the rule asks. It asks for every one when it has a finding they could change,
or (``foreign``) when a server of the project is bound at module level, where another module can
import it and register a handler that is a finding of its own (SIO006's query-token read); else
only for the modules the servers' imported middlewares come from.
"""

from __future__ import annotations

from authlint.facts.model import Expr, ModuleValues, SocketIOServer
from authlint.facts.travel import lender_modules
from authlint.rule import ALL_LENDERS, Rule, Wanted


def handler_lenders(rule: Rule, project, foreign: bool = False) -> Wanted:
    if any(True for _ in rule.check_project(project)):
        return ALL_LENDERS
    if foreign and any(fact.servers for fact in project.facts(ModuleValues)):
        return ALL_LENDERS
    roots = [
        (Expr(span=handler.span, text="", imported=handler.imported), server)
        for server in project.facts(SocketIOServer)
        for handler in server.handlers
        if handler.opaque and handler.imported
    ]
    return lender_modules(project, roots)
