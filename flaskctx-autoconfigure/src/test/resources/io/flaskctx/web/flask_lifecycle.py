"""Observe Flask's request lifecycle (hooks, signals, error paths, session saving) with the test client.

Usage: python3 flask_lifecycle.py > flask_lifecycle.out.json
Writes one JSON document to stdout (sorted keys, indent 2). Deterministic: the itsdangerous timestamp
is frozen at 1700000000 so session cookies are byte-identical between runs, memory addresses in
reprs are replaced by 0xADDR, and every case runs in its own fresh app and contextvars.Context.
Needs Flask 3.1.3 / Werkzeug 3.1.x. Self-contained (no imports from other test resources).

Every app registers, in this order:
  before_request1, before_request2            (record, return None unless a case says otherwise)
  after_request1, after_request2              (record, set X-After-1 / X-After-2, return response;
                                               Flask runs them in reverse: after_request2 first)
  teardown_request, teardown_appcontext       (record exc repr)
and connects request_started, request_finished, got_request_exception, request_tearing_down,
appcontext_tearing_down, appcontext_pushed, appcontext_popped, message_flashed (sender=app).
Unless a case says otherwise: testing=False, PROPAGATE_EXCEPTIONS=None (=> 500 responses),
secret_key='observe-secret-key-0123456789'.
Events are strings: hook names, 'view...', 'errorhandler(...)', 'signal:<name>(...)'.
Log records of app.logger are kept apart in 'log', each with the event it followed.
"""
import contextvars
import json
import logging
import os
import platform
import re
import sys
from importlib.metadata import version

# The Allow header lists methods in Python set-iteration order, which depends on string hash
# randomisation. Re-exec once with a fixed seed so that the output is reproducible.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, "PYTHONHASHSEED": "0"})

import itsdangerous.timed
from flask import (Flask, Response, abort, flash, has_app_context,
                   has_request_context, request, session, signals)
from flask.globals import _cv_app

FROZEN_TS = 1700000000
itsdangerous.timed.TimestampSigner.get_timestamp = lambda self: FROZEN_TS

SECRET = "observe-secret-key-0123456789"
_ADDR = re.compile(r"0x[0-9a-fA-F]{6,}")


def norm(s):
    return _ADDR.sub("0xADDR", s)


def r(o):
    return norm(repr(o))


class _ListLog(logging.Handler):
    def __init__(self, app):
        super().__init__(logging.DEBUG)
        self.app = app

    def emit(self, record):
        exc = record.exc_info[1] if record.exc_info else None
        self.app.log.append({
            "level": record.levelname,
            "message": record.getMessage(),
            "exc_info": r(exc) if exc is not None else None,
            "after_event": self.app.ev[-1] if self.app.ev else None,
        })


def build(name, testing=False, **cfg):
    app = Flask(name)
    app.testing = testing
    app.secret_key = SECRET
    app.config.update(cfg)
    ev = app.ev = []
    app.log = []
    app.logger.handlers.clear()
    app.logger.addHandler(_ListLog(app))
    app.logger.propagate = False
    app.flags = {}

    @app.before_request
    def before_request1():
        ev.append("before_request1")
        app.request_app_ctx = _cv_app.get(None)  # the app context Flask pushed for this request
        if app.flags.get("before1_returns") is not None:
            return app.flags["before1_returns"]
        return None

    @app.before_request
    def before_request2():
        ev.append("before_request2")
        return None

    @app.after_request
    def after_request1(resp):
        ev.append("after_request1")
        resp.headers["X-After-1"] = "1"
        return resp

    @app.after_request
    def after_request2(resp):
        ev.append("after_request2")
        if app.flags.get("after2_raises"):
            raise LookupError("after_request2 failed")
        resp.headers["X-After-2"] = "2"
        return resp

    @app.teardown_request
    def teardown_request(exc):
        ev.append(f"teardown_request(exc={r(exc)})")
        if app.flags.get("teardown_pushes_app_context"):
            stray = app.app_context()
            app.stray_ctx = stray
            stray.push()
            ev.append("teardown_request pushed app.app_context() (never popped)")

    @app.teardown_appcontext
    def teardown_appcontext(exc):
        ev.append(f"teardown_appcontext(exc={r(exc)})")

    def connect(sig, fmt):
        def rec(sender, **kw):
            ev.append("signal:" + fmt(kw))
        sig.connect(rec, app, weak=False)

    connect(signals.request_started, lambda kw: "request_started")
    connect(signals.request_finished,
            lambda kw: f"request_finished(status={kw['response'].status_code})")
    connect(signals.got_request_exception,
            lambda kw: f"got_request_exception(exception={r(kw.get('exception'))})")
    connect(signals.request_tearing_down,
            lambda kw: f"request_tearing_down(exc={r(kw.get('exc'))})")
    connect(signals.appcontext_tearing_down,
            lambda kw: f"appcontext_tearing_down(exc={r(kw.get('exc'))})")
    connect(signals.appcontext_pushed, lambda kw: "appcontext_pushed")
    connect(signals.appcontext_popped, lambda kw: "appcontext_popped")
    connect(signals.message_flashed,
            lambda kw: f"message_flashed(message={r(kw.get('message'))}, category={r(kw.get('category'))})")
    app.signal_kwargs = []
    signals.message_flashed.connect(
        lambda sender, **kw: app.signal_kwargs.append({"signal": "message_flashed",
                                                       "kwargs": {k: r(v) for k, v in sorted(kw.items())}}),
        app, weak=False)

    @app.route("/")  # GET-only (HEAD and OPTIONS added automatically)
    def index():
        ev.append("view")
        return "index-body"

    return app


def describe(resp):
    h = resp.headers
    return {
        "status": resp.status_code,
        "status_line": resp.status,
        "body80": resp.get_data(as_text=True)[:80],
        "header_lines": [[k, v] for k, v in h.items()],
        "allow": h.getlist("Allow"),
        "allow_methods_sorted": sorted(m.strip() for line in h.getlist("Allow") for m in line.split(",")),
        "content_length": h.getlist("Content-Length"),
        "set_cookie": h.getlist("Set-Cookie"),
        "set_cookie_present": "Set-Cookie" in h,
        "vary": h.getlist("Vary"),
        "x_after_1": h.getlist("X-After-1"),
        "x_after_2": h.getlist("X-After-2"),
    }


def request_case(app, method, path, setup, client=None, **kw):
    """One test-client request; the client is fresh unless given."""
    c = client or app.test_client()
    app.last_exc = None
    out = {"setup": setup, "request": f"{method} {path}"}
    try:
        resp = c.open(path, method=method, **kw)
        out["response"] = describe(resp)
        out["client_raised"] = None
    except BaseException as e:  # noqa: BLE001
        app.last_exc = e
        out["response"] = None
        out["client_raised"] = r(e)
    out["events"] = list(app.ev)
    out["log"] = list(app.log)
    out["has_app_context_after"] = has_app_context()
    out["has_request_context_after"] = has_request_context()
    app.ev.clear()
    app.log.clear()
    return out


CASES = []


def case(fn):
    CASES.append((fn.__name__.removeprefix("case_"), fn))
    return fn


@case
def case_method_not_allowed():
    app = build("mna")
    return request_case(app, "POST", "/", "POST to the GET-only route '/'")


@case
def case_not_found():
    app = build("nf")
    return request_case(app, "GET", "/no-such-route", "GET an unregistered path")


@case
def case_options_automatic():
    app = build("opt")
    return request_case(app, "OPTIONS", "/", "OPTIONS to the GET-only route '/' (Flask adds OPTIONS automatically)")


@case
def case_unsupported_media_type():
    app = build("umt")

    @app.route("/abort415", methods=["POST"])
    def abort415():
        app.ev.append("view(abort 415)")
        abort(415)
    return request_case(app, "POST", "/abort415", "view calls abort(415)",
                        data="x", content_type="text/plain")


@case
def case_unsupported_media_type_get_json():
    app = build("umtj")

    @app.route("/json", methods=["POST"])
    def j():
        app.ev.append("view(calls request.get_json())")
        try:
            return {"got": request.get_json()}
        except BaseException as e:  # noqa: BLE001
            app.ev.append(f"view: request.get_json() raised {r(e)}")
            raise
    return request_case(app, "POST", "/json", "view calls request.get_json() on a text/plain body",
                        data="x", content_type="text/plain")


@case
def case_not_acceptable():
    app = build("na")

    @app.route("/abort406")
    def abort406():
        app.ev.append("view(abort 406)")
        abort(406)
    return request_case(app, "GET", "/abort406", "view calls abort(406)", headers={"Accept": "application/xml"})


@case
def case_after_hook_raises():
    app = build("ahr")
    app.flags["after2_raises"] = True

    @app.errorhandler(LookupError)
    def h(e):
        app.ev.append(f"errorhandler(LookupError) got {r(e)}")
        return "handled", 418
    return request_case(app, "GET", "/", "after_request2 (runs first) raises LookupError('after_request2 failed'); "
                        "errorhandler(LookupError) returning ('handled', 418) is registered")


@case
def case_after_hook_raises_with_500_handler():
    app = build("ahr500")
    app.flags["after2_raises"] = True

    @app.errorhandler(500)
    def h(e):
        app.ev.append(f"errorhandler(500) got {r(e)} original_exception={r(e.original_exception)}")
        return "custom-500", 500
    return request_case(app, "GET", "/", "after_request2 raises LookupError; errorhandler(500) registered")


@case
def case_errorhandler_raises():
    app = build("ehr")

    @app.route("/raise")
    def v():
        app.ev.append("view(raises ValueError('view failed'))")
        raise ValueError("view failed")

    @app.errorhandler(ValueError)
    def h(e):
        app.ev.append(f"errorhandler(ValueError) got {r(e)}, raises RuntimeError('handler failed')")
        raise RuntimeError("handler failed")
    return request_case(app, "GET", "/raise", "view raises ValueError; errorhandler(ValueError) raises RuntimeError")


def _session_raise_app(name, handled):
    app = build(name)

    @app.route("/raise")
    def v():
        session["user"] = "alice"
        app.ev.append("view(session['user']='alice', raises ValueError('view failed'))")
        raise ValueError("view failed")
    if handled:
        @app.errorhandler(ValueError)
        def h(e):
            app.ev.append(f"errorhandler(ValueError) got {r(e)}")
            return "handled", 418
    return app


@case
def case_session_then_unhandled():
    app = _session_raise_app("stu", handled=False)
    return request_case(app, "GET", "/raise", "view sets session['user']='alice' then raises ValueError, no handler")


@case
def case_session_then_handled():
    app = _session_raise_app("sth", handled=True)
    return request_case(app, "GET", "/raise", "view sets session['user']='alice' then raises ValueError; "
                        "errorhandler(ValueError) returns ('handled', 418)")


@case
def case_vary_merge():
    app = build("vm")

    @app.route("/vary")
    def v():
        x = session.get("x")
        app.ev.append(f"view(session.get('x') -> {r(x)})")
        return Response("vary-body", headers={"Vary": "Accept-Encoding, Accept-Language"})
    return request_case(app, "GET", "/vary", "view returns Response with Vary: 'Accept-Encoding, Accept-Language' "
                        "and reads session.get('x')")


@case
def case_vary_merge_two_lines():
    app = build("vm2")

    @app.route("/vary2")
    def v():
        x = session.get("x")
        app.ev.append(f"view(session.get('x') -> {r(x)})")
        resp = Response("vary-body")
        resp.headers.add("Vary", "Accept-Encoding")
        resp.headers.add("Vary", "Accept-Language")
        app.ev.append(f"view: Vary lines before return {resp.headers.getlist('Vary')!r}")
        return resp
    return request_case(app, "GET", "/vary2", "view returns Response with TWO Vary header lines "
                        "('Accept-Encoding' and 'Accept-Language') and reads session.get('x')")


@case
def case_session_remove_absent():
    app = build("sra")

    @app.route("/set-bob")
    def set_bob():
        session["user"] = "bob"
        app.ev.append("view(session['user']='bob')")
        return "set"

    @app.route("/pop-absent")
    def pop_absent():
        rv = session.pop("absent", None)
        app.ev.append(f"view(session.pop('absent', None) -> {r(rv)}, modified={session.modified})")
        return "popped"

    @app.route("/pop-user")
    def pop_user():
        rv = session.pop("user", None)
        app.ev.append(f"view(session.pop('user', None) -> {r(rv)}, modified={session.modified})")
        return "popped"

    out = {}
    out["a_no_cookie_pop_absent"] = request_case(app, "GET", "/pop-absent",
                                                 "fresh client, no cookie: session.pop('absent', None)")
    c = app.test_client()
    out["b1_set_bob"] = request_case(app, "GET", "/set-bob", "same client: session['user']='bob'", client=c)
    sent = c.get_cookie("session")
    out["b2_with_cookie_pop_absent"] = request_case(app, "GET", "/pop-absent",
                                                    "same client, sends the bob cookie: session.pop('absent', None)",
                                                    client=c)
    out["b2_with_cookie_pop_absent"]["request_cookie"] = sent.value if sent else None
    out["c_with_cookie_pop_present"] = request_case(app, "GET", "/pop-user",
                                                    "same client, bob cookie: session.pop('user', None) "
                                                    "(contrast: key present)", client=c)
    return out


@case
def case_session_modified_false():
    app = build("smf")

    @app.route("/mf")
    def v():
        session["k"] = "v"
        session.modified = False
        app.ev.append("view(session['k']='v'; session.modified=False)")
        return "mf"
    return request_case(app, "GET", "/mf", "view sets session['k']='v' then session.modified = False (no cookie sent)")


@case
def case_before_hook_short_circuit_on_405():
    app = build("bsc")
    app.flags["before1_returns"] = ("short", 200)
    return request_case(app, "POST", "/", "before_request1 returns ('short', 200); POST to GET-only '/'")


@case
def case_message_flashed():
    app = build("mf")

    @app.route("/flash")
    def v():
        app.ev.append("view: before flash")
        flash("hi", "info")
        app.ev.append("view: after flash")
        return "flashed"
    out = request_case(app, "GET", "/flash", "view calls flash('hi', 'info')")
    out["message_flashed_kwargs"] = list(app.signal_kwargs)
    return out


@case
def case_test_request_context_raises():
    app = build("trc")
    out = {"setup": "with app.test_request_context(): raise ZeroDivisionError  (no test client)"}
    try:
        with app.test_request_context():
            app.ev.append("inside with-block (raising ZeroDivisionError)")
            raise ZeroDivisionError
    except BaseException as e:  # noqa: BLE001
        out["propagated"] = r(e)
    else:
        out["propagated"] = None
    out["events"] = list(app.ev)
    out["has_app_context_after"] = has_app_context()
    out["has_request_context_after"] = has_request_context()
    return out


@case
def case_teardown_pushes_context():
    app = build("tpc")
    app.flags["teardown_pushes_app_context"] = True
    out = request_case(app, "GET", "/", "teardown_request pushes app.app_context() and never pops it")
    if app.last_exc is not None:
        # Both AppContext reprs print as <flask.ctx.AppContext object at 0xADDR>; name them.
        out["client_raised_labelled"] = norm(
            repr(app.last_exc)
            .replace(repr(app.stray_ctx), "<stray ctx pushed in teardown_request>")
            .replace(repr(app.request_app_ctx), "<app ctx Flask pushed for the request>"))
    cur = _cv_app.get(None)
    out["current_app_context_after_is_stray"] = cur is not None and cur is getattr(app, "stray_ctx", None)
    out["stray_ctx_tokens_after"] = len(app.stray_ctx._cv_tokens) if hasattr(app, "stray_ctx") else None
    # A second request on the same thread: does it still work?
    app.flags["teardown_pushes_app_context"] = False
    out["second_request_same_thread"] = request_case(app, "GET", "/", "second GET / afterwards, teardown no longer pushes")
    return out


NOTES = [
    "Werkzeug routing (MapAdapter.match) raises only NotFound (404), MethodNotAllowed (405, with "
    "valid_methods -> Allow header) and RequestRedirect (308, e.g. strict-slash redirects); "
    "WebsocketMismatch (400) applies only to websocket rules. Flask has no content negotiation in routing: "
    "there is no consumes/produces matching, so 415 and 406 never come from routing. In Spring they come from "
    "handler lookup (HttpMediaTypeNotSupportedException / HttpMediaTypeNotAcceptableException); in Flask "
    "they are raised from inside the view (abort(415)/abort(406), or request.get_json() on a non-JSON "
    "Content-Type raising UnsupportedMediaType 415), i.e. after all before_request hooks ran.",
    "Flask stores the routing exception at request-context push and raises it in dispatch_request, "
    "so before_request hooks run (and may short-circuit) before a routing 404/405 is raised.",
    "The ORDER of methods in Flask's Allow header is Python set-iteration order and varies with "
    "PYTHONHASHSEED (observed 'GET, OPTIONS, HEAD' and 'GET, HEAD, OPTIONS' on different runs); the script "
    "re-executes itself with PYTHONHASHSEED=0. Compare the method set (allow_methods_sorted), not the order.",
    "Session cookies: itsdangerous timestamp frozen at 1700000000 so Set-Cookie values are reproducible.",
    "Registration order: before_request1, before_request2, after_request1, after_request2; after_request "
    "hooks run in reverse registration order (after_request2 first).",
]


def main():
    results = {}
    for name, fn in CASES:
        try:
            results[name] = contextvars.Context().run(fn)
        except BaseException as e:  # noqa: BLE001
            results[name] = {"CASE_CRASHED": r(e)}
    doc = {
        "versions": {"python": platform.python_version(), "flask": version("flask"),
                     "werkzeug": version("werkzeug"), "itsdangerous": version("itsdangerous")},
        "config": {"testing": False, "PROPAGATE_EXCEPTIONS": None, "secret_key": SECRET,
                   "frozen_timestamp": FROZEN_TS},
        "case_order": [n for n, _ in CASES],
        "notes": NOTES,
        "cases": results,
    }
    json.dump(doc, sys.stdout, sort_keys=True, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
