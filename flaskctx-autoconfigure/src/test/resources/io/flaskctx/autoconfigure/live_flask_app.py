"""A Flask app for LiveFlaskRoundTripTest: it writes and reads the same session values as the Spring app.

Usage: python3 live_flask_app.py SECRET_KEY
Prints the port it listens on (127.0.0.1, chosen by the OS), then serves until killed.
"""
import datetime
import sys
import uuid

from flask import Flask, flash, get_flashed_messages, jsonify, session
from markupsafe import Markup
from werkzeug.serving import make_server

app = Flask("live")
app.secret_key = sys.argv[1]


@app.route("/set")
def set_session():
    session["name"] = "Zo\u00eb \U0001F600 \u2603"
    session["nested"] = {"list": [1, 2.5, None, True], "map": {"k": "v"}}
    session["tuple"] = (1, "two", (3,))
    session["bytes"] = b"\x00\xffbin"
    session["when"] = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    session["id"] = uuid.UUID("12345678-1234-5678-1234-567812345678")
    session["html"] = Markup("<b>bold</b>")
    session["big"] = 2 ** 70
    flash("Saved!")
    flash("Bad input \u2639", "error")
    return "set"


@app.route("/read")
def read_session():
    described = {k: type(v).__name__ + " " + repr(v) for k, v in session.items() if k != "_flashes"}
    described["_flashes"] = [list(f) for f in get_flashed_messages(with_categories=True)]
    return jsonify(described)


server = make_server("127.0.0.1", 0, app)
print(server.server_port, flush=True)
server.serve_forever()
