"""Writes message_flashed.json next to this script: when Flask 3.1 sends `message_flashed` (from flash(), with
the current app as sender, after the message is in the session) relative to the other signals of a request.
Rerun with `python3 message_flashed.py`.
"""
import json
import os
from importlib.metadata import version

import flask
from markupsafe import Markup

app = flask.Flask("obs")
app.secret_key = "reference-secret-key"
log = []


@app.get("/flash")
def flash_():
    log.append(["view"])
    flask.flash("Saved!")
    flask.flash(Markup("<b>Bad</b> input"), "error")
    log.append(["view_end"])
    return "flashed"


def flashed(sender, message, category, **extra):
    log.append(["message_flashed", sender.name, type(message).__name__, str(message), category,
                len(flask.session.get("_flashes", [])), sorted(extra)])


# blinker holds receivers weakly: keep them with weak=False
flask.message_flashed.connect(flashed, app, weak=False)
flask.request_started.connect(lambda sender, **kw: log.append(["request_started"]), app, weak=False)
flask.request_finished.connect(lambda sender, **kw: log.append(["request_finished"]), app, weak=False)
flask.appcontext_tearing_down.connect(lambda sender, **kw: log.append(["appcontext_tearing_down"]), app,
                                      weak=False)

app.test_client().get("/flash")
out = {"flask": version("flask"), "signals": log}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "message_flashed.json"), "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
