"""Writes session_mutators.json next to this script: which SecureCookieSession mutators Flask 3.1 / Werkzeug
3.1 count as a modification, what a request that uses them sends (Set-Cookie, Vary), what
`session.modified = False` does, and how Vary: Cookie joins a Vary the view set. Rerun with
`python3 session_mutators.py` after changing it.
"""
import json
import os

import flask
from flask.sessions import SecureCookieSession

from importlib.metadata import version

out = {"flask": version("flask"), "werkzeug": version("werkzeug")}


def modified_after(initial, op):
    s = SecureCookieSession(dict(initial))
    try:
        rv = op(s)
        result = repr(rv)
    except Exception as e:  # noqa: BLE001
        result = type(e).__name__
    return {"initial": initial, "modified": s.modified, "result": result, "after": dict(s)}


cases = {
    "setitem_new": ({}, lambda s: s.__setitem__("a", 1)),
    "setitem_same_value": ({"a": 1}, lambda s: s.__setitem__("a", 1)),
    "delitem_present": ({"a": 1}, lambda s: s.__delitem__("a")),
    "delitem_absent": ({"a": 1}, lambda s: s.__delitem__("b")),
    "pop_present": ({"a": 1}, lambda s: s.pop("a")),
    "pop_absent": ({"a": 1}, lambda s: s.pop("b")),
    "pop_absent_default": ({"a": 1}, lambda s: s.pop("b", None)),
    "pop_present_default": ({"a": 1}, lambda s: s.pop("a", None)),
    "setdefault_absent": ({}, lambda s: s.setdefault("a", 1)),
    "setdefault_present": ({"a": 1}, lambda s: s.setdefault("a", 2)),
    "popitem_nonempty": ({"a": 1}, lambda s: s.popitem()),
    "popitem_empty": ({}, lambda s: s.popitem()),
    "clear_nonempty": ({"a": 1}, lambda s: s.clear()),
    "clear_empty": ({}, lambda s: s.clear()),
    "update_new": ({}, lambda s: s.update({"a": 1})),
    "update_empty": ({"a": 1}, lambda s: s.update({})),
    "update_same_value": ({"a": 1}, lambda s: s.update({"a": 1})),
    "ior_empty": ({"a": 1}, lambda s: s.__ior__({})),
    "get": ({"a": 1}, lambda s: s.get("a")),
    "contains": ({"a": 1}, lambda s: "a" in s),
    "permanent_set_false_when_absent": ({}, lambda s: setattr(s, "permanent", False)),
}
out["mutators"] = {name: modified_after(initial, op) for name, (initial, op) in cases.items()}

app = flask.Flask("obs")
app.secret_key = "reference-secret-key"


@app.get("/set")
def set_():
    flask.session["user"] = "alice"
    return "set"


@app.get("/pop-absent")
def pop_absent():
    flask.session.pop("nope", None)
    return "popped"


@app.get("/pop-present")
def pop_present():
    flask.session.pop("user", None)
    return "popped"


@app.get("/set-then-unmodified")
def set_then_unmodified():
    flask.session["user"] = "mallory"
    flask.session.modified = False
    return "unmodified"


@app.get("/clear-then-unmodified")
def clear_then_unmodified():
    flask.session.clear()
    flask.session.modified = False
    return "unmodified"


@app.get("/unmodified-then-set")
def unmodified_then_set():
    flask.session.modified = False
    flask.session["user"] = "mallory"
    return "set"


@app.get("/permanent-unmodified")
def permanent_unmodified():
    flask.session["user"] = "alice"
    flask.session.permanent = True
    flask.session.modified = False
    return "permanent"


@app.get("/vary")
def vary():
    flask.session.get("user")
    r = flask.make_response("vary")
    r.headers["Vary"] = "Accept-Encoding, Accept-Language"
    return r


@app.get("/vary-two-lines")
def vary_two_lines():
    flask.session.get("user")
    r = flask.make_response("vary")
    r.headers.add("Vary", "Accept-Encoding")
    r.headers.add("Vary", "Accept-Language")
    return r


@app.get("/vary-cookie-lower")
def vary_cookie_lower():
    flask.session.get("user")
    r = flask.make_response("vary")
    r.headers["Vary"] = "Accept-Encoding, cookie"
    return r


@app.get("/vary-star")
def vary_star():
    flask.session.get("user")
    r = flask.make_response("vary")
    r.headers["Vary"] = "*"
    return r


@app.get("/vary-set-cookie")
def vary_set():
    flask.session["user"] = "bob"
    r = flask.make_response("vary")
    r.headers["Vary"] = "Accept-Encoding"
    return r


def request(path, cookie=None):
    client = app.test_client()
    if cookie:
        client.set_cookie("session", cookie)
    r = client.get(path)
    return {"status": r.status_code, "set_cookie": r.headers.getlist("Set-Cookie"),
            "vary": r.headers.getlist("Vary")}


alice = app.test_client()
alice.get("/set")
alice_cookie = alice.get_cookie("session").value

requests = {}
for path in ["/pop-absent", "/pop-present", "/set-then-unmodified", "/clear-then-unmodified",
             "/unmodified-then-set", "/permanent-unmodified", "/vary", "/vary-two-lines", "/vary-cookie-lower",
             "/vary-star", "/vary-set-cookie"]:
    requests[path + " anonymous"] = request(path)
    requests[path + " logged_in"] = request(path, alice_cookie)
# Set-Cookie carries a timestamp: keep only whether one was sent and whether it deletes
for r in requests.values():
    r["set_cookie"] = ["deletion" if "Max-Age=0" in c else "cookie" for c in r["set_cookie"]]
out["requests"] = requests

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "session_mutators.json"), "w") as f:
    json.dump(out, f, indent=1, sort_keys=True, ensure_ascii=False)
    f.write("\n")
