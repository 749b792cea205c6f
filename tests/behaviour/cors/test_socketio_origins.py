"""SIO002 and COR003 on one python-socketio origin list: fixed together, the list holds each origin
once, and python-engineio (which refuses a bad Origin itself, HTTP 400) accepts the clients'
origins and still refuses others. Executed with werkzeug's test client on the WSGI app."""

from __future__ import annotations

from tests.behaviour.cors.test_flask_cors import EVIL
from tests.behaviour.project import codes, fixed

SERVER = '''import socketio

sio = socketio.Server(
    cors_allowed_origins=[
        "https://app.example.com/",  # the SPA
        "https://admin.example.com",
    ],
)
app = socketio.WSGIApp(sio)
'''

CLIENT = '''import socketio

client = socketio.Client()
client.connect("http://127.0.0.1:5000", headers={{"Origin": "{origin}"}})
'''

PROBE = """
import json
from werkzeug.test import Client
from server import app
client = Client(app)
seen = {{}}
for origin in {origins!r}:
    answer = client.get("/socket.io/?EIO=4&transport=polling", headers={{"Origin": origin}})
    seen[origin] = answer.status_code
print(json.dumps(seen))
"""

SPA, DEV, ADMIN = "https://app.example.com", "http://localhost:3000", "https://admin.example.com"


def test_sio002_and_cor003_converge_on_one_list(python_project) -> None:
    files = {
        "server.py": SERVER,
        "spa_client.py": CLIENT.format(origin=SPA),
        "dev_client.py": CLIENT.format(origin=DEV),
    }
    script = PROBE.format(origins=[SPA, DEV, ADMIN, EVIL])
    before = python_project(files).run(script)
    assert before == {SPA: 400, DEV: 400, ADMIN: 200, EVIL: 400}  # the SPA is refused: the `/` never matches

    found = codes(files)
    assert found["SIO002"] == 2 and found["COR003"] == 1
    after_files = fixed(files, "SIO002")
    server = after_files["server.py"]
    assert server == SERVER.replace('"https://app.example.com/",  # the SPA\n        "https://admin.example.com",\n',
                                    '"https://app.example.com",  # the SPA\n        "https://admin.example.com",\n'
                                    '        "http://localhost:3000",\n')
    assert server.count(SPA + '"') == 1 and server.count(DEV) == 1
    assert not codes(after_files)["COR003"]

    from authlint.testing import fix_files

    assert fix_files(dict(after_files), unsafe=True, select=["ALL"]) == after_files  # a second run: nothing

    after = python_project(after_files).run(script)
    assert after == {SPA: 200, DEV: 200, ADMIN: 200, EVIL: 400}
