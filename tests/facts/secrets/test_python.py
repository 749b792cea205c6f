"""Secret spans of Python files: exactly the characters of every secret value the facts locate."""

from __future__ import annotations

import pytest

from tests.facts.secrets.marks import check, parses

POSITIVE = {
    "literal key": "import jwt\ntok = jwt.encode({'sub': user}, '⟦an-hmac-key-literal⟧', algorithm='HS256')\n",
    "verification key": "import jwt\nc = jwt.decode(t, key='⟦verify-me⟧', algorithms=['HS256'])\n",
    "followed constant": (
        "import jwt\nSECRET = \"⟦a-very-long-but-still-committed-secret⟧\"\n"
        "tok = jwt.encode(p, SECRET, algorithm='HS256')\nc = jwt.decode(tok, SECRET, algorithms=['HS256'])\n"
    ),
    "chained constants": (
        "import jwt\nBASE = '⟦chained-secret⟧'\nSECRET = BASE\nKEY = SECRET\n"
        "tok = jwt.encode(p, KEY, algorithm='HS256')\n"
    ),
    "chain picks the literal of its value": (  # the module's SECRET is another value: shown
        "import jwt\nBASE = 'outer-not-a-key'\n\ndef mint(p):\n    BASE = '⟦inner-key⟧'\n"
        "    KEY = BASE\n    return jwt.encode(p, KEY)\n"
    ),
    "bytes key": "import jwt\nSECRET = b'⟦h\\xc9k\\xda1\\x07\\x99⟧'\ntok = jwt.encode(p, SECRET, algorithm='HS256')\n",
    "implicit concatenation": "import jwt\nKEY = ('⟦part-one⟧' '⟦part-two⟧')\ntok = jwt.encode(p, KEY)\n",
    "getenv fallback": (
        "import os, jwt\nSECRET = os.getenv('JWT_SECRET', '⟦dev-secret-do-not-use⟧')\n"
        "tok = jwt.encode(p, SECRET, algorithm='HS256')\n"
    ),
    "or fallback": "import os, jwt\nc = jwt.decode(t, os.environ.get('JWT_KEY') or '⟦changeme⟧', algorithms=['HS256'])\n",
    "fallback constant": (
        "import os, jwt\nDEV = '⟦dev-key⟧'\nc = jwt.decode(t, os.getenv('K', DEV), algorithms=['HS256'])\n"
    ),
    "concatenation": "import jwt\ntok = jwt.encode(p, '⟦left-⟧' + '⟦right⟧', algorithm='HS256')\n",
    "setting fallback": "import os\nJWT_SECRET_KEY = os.environ.get('JWT_SECRET_KEY', '⟦dev-jwt⟧')\n",
    "settings read fallback": (
        "import jwt\nfrom flask import current_app\n"
        "c = jwt.decode(t, current_app.config.get('JWT_KEY', '⟦cfg-dev⟧'), algorithms=['HS256'])\n"
    ),
    "private key": (
        "import jwt\nKEY = '''-----BEGIN PRIVATE KEY-----⟦\nMIIEvQIBADAN\n⟧-----END PRIVATE KEY-----'''\n"
        "tok = jwt.encode(p, KEY, algorithm='RS256')\n"
    ),
    "flask-jwt-extended setting": "app.config['JWT_SECRET_KEY'] = '⟦super-secret⟧'\n",
    "config update": "app.config.update(JWT_SECRET_KEY='⟦from-update⟧', JWT_ACCESS_TOKEN_EXPIRES=60)\n",
    "simplejwt signing key": "SIMPLE_JWT = {'SIGNING_KEY': '⟦simple-signing⟧', 'ALGORITHM': 'HS256'}\n",
    "django settings": "DEBUG = False\nSECRET_KEY = '⟦django-insecure-0123456789⟧'\nALLOWED_HOSTS = ['*']\n",
    "flask config": "from flask import Flask\napp = Flask(__name__)\napp.config['SECRET_KEY'] = \"⟦flask-session-key⟧\"\n",
    "flask attribute": "from flask import Flask\napp = Flask(__name__)\napp.secret_key = b'⟦_5#y2L\"F4Q8z⟧'\n",
    "config class": "class Config:\n    SECRET_KEY: str = '⟦class-level-key⟧'\n    DEBUG = True\n",
    "config mapping": "app.config.from_mapping({'SECRET_KEY': '⟦mapped-key⟧', 'TESTING': True})\n",
    "nats token and password": (
        "import nats\nasync def main():\n"
        "    nc = await nats.connect('nats://localhost:4222', token='⟦s3cr3t-t0ken⟧')\n"
        "    nd = await nats.connect('nats://localhost:4222', user='alice', password='⟦wonderland⟧')\n"
    ),
    "nats url token": "import nats\nasync def main():\n    nc = await nats.connect(servers=['nats://⟦t0ken⟧@a:4222', 'nats://b:4222'])\n",
    "nats url password": "import nats\nasync def main():\n    nc = await nats.connect('nats://bob:⟦b0bpass⟧@a:4222')\n",
    "socketio url token": "import socketio\nsio = socketio.Client()\nsio.connect('https://chat.example.com?token=⟦abc123⟧')\n",
    "socketio auth payload": (
        "import socketio\nsio = socketio.Client()\n"
        "sio.connect('https://chat.example.com', auth={'token': '⟦literal-tok⟧', 'room': 'lobby'})\n"
    ),
    "socketio header": (
        "import socketio\nsio = socketio.Client()\n"
        "sio.connect('https://chat.example.com', headers={'Authorization': 'Bearer ⟦hdr-tok⟧'})\n"
    ),
    "session cookie": "from flask import make_response\nr = make_response()\nr.set_cookie('session_id', '⟦s-123⟧', httponly=True)\n",
    "value on the next line": "SECRET_KEY = (\n    '⟦wrapped-django-key⟧'\n)\nAPI_TOKEN = \\\n    '⟦continued-token⟧'\n",
    "deep in a big module": "def a():\n    x = 1\n    return x\n\n\nclass T:\n    def test(self):\n        login(username='u', password='⟦pw-123⟧')\n",
    "constant named as a secret": "JWT_SECRET = '⟦config-module-secret⟧'\nDB_PASSWORD: str = \"⟦db-pass⟧\"\n",
    "keyword named as a secret": "db = connect(host='db', user='app', password='⟦hunter22⟧', port=5432)\n",
    "dict entry named as a secret": "CONFIG = {'api_key': '⟦k-123456⟧', 'name': 'svc', 'timeout': 5}\n",
    "attribute named as a secret": "class C:\n    def __init__(self):\n        self.refresh_token = '⟦rt-998877⟧'\n",
    "jwt literal anywhere": "EXAMPLE = '⟦eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig⟧'\n",
}

NEGATIVE = {
    "lifetime": "import jwt\nfrom datetime import timedelta\nTOKEN_TTL = timedelta(seconds=15)\n",
    "env key": "import os, jwt\ntok = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS256')\n",
    "env key without fallback": "import os, jwt\ntok = jwt.encode(p, os.environ.get('JWT_SECRET', ''), algorithm='HS256')\n",
    "settings key": "import jwt\nfrom django.conf import settings\nc = jwt.decode(t, settings.SECRET_KEY, algorithms=['HS256'])\n",
    "parameter": "import jwt\n\ndef check(t, key):\n    return jwt.decode(t, key, algorithms=['HS256'])\n",
    "variable names": "secret = load()\npassword = prompt()\ntoken = request.args.get('token')\n",
    "public key": (
        "import jwt\nPUBLIC = '''-----BEGIN PUBLIC KEY-----\nMIIBIjANBg\n-----END PUBLIC KEY-----'''\n"
        "c = jwt.decode(t, PUBLIC, algorithms=['RS256'])\n"
    ),
    "ssh public key": (
        "import jwt\nKEY = b'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPL1I9oiq+B8crkmuV4YViiUnhdL'\n"
        "c = jwt.decode(t, KEY, algorithms=['EdDSA'])\n"
    ),
    "secret key from env": "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n",
    "other cookie": "from flask import make_response\nr = make_response()\nr.set_cookie('theme', 'dark')\n",
    "non-credential auth key": "import socketio\nsio = socketio.Client()\nsio.connect('https://chat.example.com', auth={'room': 'lobby'})\n",
    "query without token": "import socketio\nsio = socketio.Client()\nsio.connect('https://chat.example.com?room=lobby')\n",
    "nats url without credentials": "import nats\nasync def main():\n    nc = await nats.connect('nats://localhost:4222')\n",
    "nats credentials from env": "import os, nats\nasync def main():\n    nc = await nats.connect(token=os.environ['NATS_TOKEN'])\n",
    "names about a secret": (
        "TOKEN_TTL = '15m'\nSECRET_NAME = 'jwt-signing-key'\ntoken_type = 'bearer'\nPASSWORD_FILE = '/run/pw'\n"
        "TOKEN_URL = 'https://auth.example.com/token'\nAPI_KEY_HEADER = 'X-Api-Key'\n"
    ),
    "secret names with no literal secret": "PASSWORD = ''\nTOKEN = None\nSECRET = '${JWT_SECRET}'\nRETRIES_TOKEN = '3'\n",
    "key named in a string": "import jwt\nKEY_NAME = 'JWT_SECRET'\nprint('the secret is', KEY_NAME)\n",
}


@pytest.mark.parametrize("marked", POSITIVE.values(), ids=POSITIVE.keys())
def test_secret_values_are_found(marked: str) -> None:
    check("app.py", marked)


@pytest.mark.parametrize("text", NEGATIVE.values(), ids=NEGATIVE.keys())
def test_code_is_not_a_secret(text: str) -> None:
    assert parses("app.py", text)
    check("app.py", text)
