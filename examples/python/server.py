"""A small Flask + Socket.IO chat server with the mistakes authlint is built to catch.

Run `authlint check examples/python` to see them; each line marked `# <- CODE` is a finding.
"""

from datetime import datetime, timedelta, timezone

import jwt
from flask import Flask, jsonify, make_response, request
from flask_cors import CORS
from flask_socketio import SocketIO

app = Flask(__name__)
CORS(app, supports_credentials=True)  # <- COR002 any origin, with cookies

JWT_SECRET = "change-me"  # <- JWT004 hard-coded, 9 bytes
TOKEN_TTL = timedelta(seconds=15)  # <- JWT001 shorter than clock skew

socketio = SocketIO()  # <- SIO002 client.py sends an Origin this server refuses
socketio.init_app(
    app,
    cors_allow_origins=["https://chat.example.com"],  # <- SIO004 typo: silently ignored
    ping_timeout=20000,  # <- SIO001 milliseconds in a seconds field
)


@app.post("/login")
def login():
    user = request.json["user"]
    token = jwt.encode(
        {"sub": user, "exp": datetime.now(timezone.utc) + TOKEN_TTL}, JWT_SECRET, algorithm="HS256"
    )
    response = make_response(jsonify(ok=True))
    response.set_cookie("access_token", token)  # <- TOK002 no HttpOnly/Secure/SameSite
    return response


def current_user(token):
    return jwt.decode(token, JWT_SECRET, algorithms=["HS256"])  # <- JWT006 no leeway


@socketio.on("connect")
def on_connect(auth):
    if not auth or not current_user(auth["jwt"]):  # client.py sends "token" (SIO007, reported there)
        return False


if __name__ == "__main__":
    socketio.run(app, port=5000)
