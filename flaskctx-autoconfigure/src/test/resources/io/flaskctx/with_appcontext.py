"""What Flask 3.1's ``flask.cli.with_appcontext`` does, observed; flaskctx's @WithAppContext follows it.

Run: python3 with_appcontext.py > with_appcontext.out.json (Flask 3.1.3, Click 8). Each case invokes a Click
command decorated with ``with_appcontext`` and records what the command saw and which teardown_appcontext
calls happened, with their error.
"""
import json

import click
from flask import Flask, current_app, g
from flask.cli import ScriptInfo, with_appcontext
from click.testing import CliRunner

log = []


def make_app(name):
    app = Flask(name)

    @app.teardown_appcontext
    def teardown(error):
        log.append({"teardown": current_app.name, "error": None if error is None else repr(error)})

    return app


shop = make_app("shop")
admin = make_app("admin")


@click.command()
@with_appcontext
def report():
    log.append({"command": current_app.name, "g_before": sorted(g), "marker_from_outside": g.get("marker")})
    g.marker = "set by the command"


@click.command()
@with_appcontext
def failing():
    log.append({"command": current_app.name})
    raise RuntimeError("job failed")


def run(name, command, outer=None):
    log.clear()
    runner = CliRunner()
    if outer is None:
        result = runner.invoke(command, obj=ScriptInfo(create_app=lambda: shop))
    else:
        with outer.app_context():
            g.marker = "set outside"
            result = runner.invoke(command, obj=ScriptInfo(create_app=lambda: shop))
            log.append({"after_command_in_outer": current_app.name, "g_marker": g.get("marker")})
    return {"case": name, "exit_code": result.exit_code,
            "exception": None if result.exception is None else repr(result.exception), "events": list(log)}


cases = [
    run("no context current: one is pushed, torn down once after the command", report),
    run("an app context of the same app is current: reused, no teardown of its own", report, outer=shop),
    run("an app context of another app is current: reused as well (any current_app will do)", report, outer=admin),
    run("the command raises: what its teardown receives", failing),
]
print(json.dumps(cases, indent=2))
