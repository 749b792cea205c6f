"""A script client of server.py (python-socketio)."""

import os

import socketio

token = os.environ["CHAT_TOKEN"]

sio = socketio.Client()
sio.connect(
    f"http://localhost:5000?token={token}",  # <- SIO006 token in the URL
    headers={"Origin": "http://localhost:3000"},  # not allowed by server.py (SIO002, reported there)
    auth={"token": token},  # <- SIO007 the server reads auth["jwt"]
)
sio.wait()
