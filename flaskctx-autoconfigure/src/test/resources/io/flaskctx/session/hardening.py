"""Writes hardening.json next to this script: what Flask 3.1 does where flaskctx goes beyond it (issue 17):
weak secret keys, SECRET_KEY_FALLBACKS given as a string, SameSite=None without Secure, an oversized cookie,
and whether the session can rotate its id. Rerun with `python3 hardening.py` after changing it.
"""
import hashlib
import json
import os
import warnings

import flask
from importlib.metadata import version
from itsdangerous import URLSafeTimedSerializer

out = {"flask": version("flask"), "werkzeug": version("werkzeug"), "itsdangerous": version("itsdangerous")}


def app_with(**config):
    app = flask.Flask("hardening")
    app.config.update(config)

    @app.get("/set")
    def set_():
        flask.session["user"] = "alice"
        return "set"

    @app.get("/read")
    def read():
        return repr(dict(flask.session))

    @app.get("/big")
    def big():
        # sha256 chain: incompressible, so the cookie really is over 4093 bytes
        flask.session["blob"] = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(120))
        return "big"

    return app


def signed_with(key, data):
    return URLSafeTimedSerializer(key, salt="cookie-session", signer_kwargs={"key_derivation": "hmac",
                                                                               "digest_method": "sha1"}).dumps(data)


# 1. Weak keys are used as they are: a one-character key and the README placeholder both sign and verify.
for key in ("a", "change-me"):
    client = app_with(SECRET_KEY=key).test_client()
    set_cookie = client.get("/set").headers.get("Set-Cookie")
    forged = signed_with(key, {"user": "admin"})
    client2 = app_with(SECRET_KEY=key).test_client()
    client2.set_cookie("session", forged)
    out["weak_key_" + key] = {"set_cookie_sent": set_cookie is not None,
                              "forged_with_known_key_read_as": client2.get("/read").get_data(as_text=True)}

# 2. SECRET_KEY_FALLBACKS as a string: Flask iterates it, so every character is a key of its own.
fallbacks = "change-me,ab,c"
app = app_with(SECRET_KEY="the-current-key-0123456789abcdef", SECRET_KEY_FALLBACKS=fallbacks)
with app.app_context():
    keys = app.session_interface.get_signing_serializer(app).secret_keys
out["fallbacks_string_keys"] = [k.decode() for k in keys]
for key in ("c", ",", "change-me,ab,c", "change-me"):
    client = app.test_client()
    client.set_cookie("session", signed_with(key, {"user": "admin"}))
    out["fallbacks_string_cookie_signed_with_" + repr(key)] = client.get("/read").get_data(as_text=True)

# 3. SameSite=None without Secure is sent as is (browsers reject such a cookie).
client = app_with(SECRET_KEY="the-current-key-0123456789abcdef", SESSION_COOKIE_SAMESITE="None").test_client()
out["samesite_none_without_secure_set_cookie"] = client.get("/set").headers.get("Set-Cookie").split(";", 1)[1]

# 4. An oversized cookie is still sent, with a warning.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    client = app_with(SECRET_KEY="the-current-key-0123456789abcdef").test_client()
    header = client.get("/big").headers.get("Set-Cookie")
out["oversized_cookie_sent_bytes"] = len(header)
out["oversized_cookie_warning"] = [str(w.message) for w in caught]

# 5. Flask's own session has no way to rotate an id (it has none); Flask-Session adds session.regenerate().
app = app_with(SECRET_KEY="the-current-key-0123456789abcdef")
with app.test_request_context("/"):
    out["session_has_regenerate"] = hasattr(flask.session, "regenerate")

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "hardening.json"), "w") as f:
    json.dump(out, f, indent=2, sort_keys=True)
    f.write("\n")
