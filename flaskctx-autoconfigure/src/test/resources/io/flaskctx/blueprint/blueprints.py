"""Observe Flask's blueprints and template globals (what flaskctx's blueprints and templates copy).

Usage: python3 blueprints.py > blueprints.out.json
Writes one JSON document to stdout (sorted keys, indent 2). Needs Flask 3.1.3. Every case runs in a fresh app.

The app registers before_request / after_request / teardown_request hooks named 'app.*'; blueprint 'admin'
(url_prefix /admin) registers 'admin.*' hooks and an app-wide 'admin.before_app_request' /
'admin.after_app_request' / 'admin.teardown_app_request'; blueprint 'users' is nested in 'admin'
(url_prefix /admin/users) and registers 'users.*' hooks. Two hooks per list (…1, …2) show the order inside a list.
Events are the hook names in the order they ran, 'view:<endpoint>' and the teardown's exception repr.
"""
import json
from flask import (Blueprint, Flask, abort, flash, g, get_flashed_messages, render_template_string, request,
                   session)
from importlib.metadata import version


def make_app(short_circuit=None):
    events = []
    app = Flask("observe")
    app.secret_key = "observe-secret-key-0123456789"
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def before(name):
        def hook():
            events.append(name)
            if short_circuit == name:
                return "short-circuit by " + name
        return hook

    def after(name):
        def hook(response):
            events.append(name)
            return response
        return hook

    def teardown(name):
        def hook(exc):
            events.append(name + "(" + repr(exc) + ")")
        return hook

    admin = Blueprint("admin", __name__, url_prefix="/admin")
    users = Blueprint("users", __name__, url_prefix="/users")

    for owner, prefix in ((app, "app"), (admin, "admin"), (users, "users")):
        for i in (1, 2):
            owner.before_request(before(f"{prefix}.before_request{i}"))
            owner.after_request(after(f"{prefix}.after_request{i}"))
            owner.teardown_request(teardown(f"{prefix}.teardown_request{i}"))
    admin.before_app_request(before("admin.before_app_request"))
    admin.after_app_request(after("admin.after_app_request"))
    admin.teardown_app_request(teardown("admin.teardown_app_request"))

    def view():
        events.append("view:" + request.endpoint)
        return {"blueprint": request.blueprint, "blueprints": list(request.blueprints), "endpoint": request.endpoint}

    def failing():
        events.append("view:" + request.endpoint)
        raise ValueError("boom")

    app.add_url_rule("/", "index", view)
    admin.add_url_rule("/", "index", view)
    admin.add_url_rule("/fail", "fail", failing)
    admin.add_url_rule("/post-only", "post_only", view, methods=["POST"])
    users.add_url_rule("/", "index", view)
    admin.register_blueprint(users)
    app.register_blueprint(admin)
    return app, events


def run(path, method="GET", short_circuit=None):
    app, events = make_app(short_circuit)
    client = app.test_client()
    response = client.open(path, method=method)
    body = response.get_json(silent=True)
    return {"status": response.status_code, "events": events,
            "body": body if body is not None else response.get_data(as_text=True)[:60]}


def templates():
    app = Flask("observe")
    app.secret_key = "observe-secret-key-0123456789"
    app.config["GREETING"] = "hi"
    out = {}

    @app.context_processor
    def first():
        return {"shared": "from first processor", "only_first": 1}

    @app.context_processor
    def second():
        return {"shared": "from second processor"}

    @app.before_request
    def user():
        g.user = "alice"

    @app.route("/flash")
    def do_flash():
        flash("plain")
        flash("careful", "warning")
        flash("bad", "error")
        session["user"] = "alice"
        return "flashed"

    template = ("g.user={{ g.user }}|session.user={{ session.user }}|config={{ config.GREETING }}"
                "|request.path={{ request.path }}|current_app_defined={{ current_app is defined }}|shared={{ shared }}"
                "|only_first={{ only_first }}|blueprint={{ request.blueprint }}"
                "|all={{ get_flashed_messages() }}"
                "|cats={{ get_flashed_messages(with_categories=true) }}"
                "|filtered={{ get_flashed_messages(category_filter=['error']) }}"
                "|filtered_cats={{ get_flashed_messages(with_categories=true, category_filter=['warning']) }}")

    @app.route("/show")
    def show():
        return render_template_string(template, shared="from view")

    @app.route("/show-processor")
    def show_processor():
        return render_template_string("shared={{ shared }}")

    @app.route("/peek")
    def peek():
        return {"flashes": session.get("_flashes")}

    client = app.test_client()
    client.get("/flash")
    out["first_render"] = client.get("/show").get_data(as_text=True)
    out["second_render_flashes_consumed"] = client.get("/show").get_data(as_text=True)
    out["processor_order"] = client.get("/show-processor").get_data(as_text=True)
    client.get("/flash")
    client.get("/show")
    out["session_after_render"] = client.get("/peek").get_json()
    return out


cases = {
    "app_view": run("/"),
    "blueprint_view": run("/admin/"),
    "nested_view": run("/admin/users/"),
    "blueprint_view_raises": run("/admin/fail"),
    "not_found_under_blueprint_prefix": run("/admin/nothing-here"),
    "method_not_allowed_blueprint_route": run("/admin/post-only"),
    "short_circuit_app_before": run("/admin/users/", short_circuit="app.before_request1"),
    "short_circuit_admin_before": run("/admin/users/", short_circuit="admin.before_request1"),
    "short_circuit_before_app_request": run("/admin/users/", short_circuit="admin.before_app_request"),
    "templates": templates(),
}
print(json.dumps({"flask": version("flask"), "cases": cases}, sort_keys=True, indent=2))
