"""``authlint probe``: ask a running server why a client is refused.

``authlint explain`` and ``authlint jwt inspect`` answer from text; a probe answers from the live
system, one bounded step at a time (report.py holds what a probe found, redact.py keeps the
credentials given on the command line out of every output, render.py writes text or JSON). The
protocol modules (nats.py for ``nats://``, socketio.py for ``http(s)://``) speak to the server.
"""
