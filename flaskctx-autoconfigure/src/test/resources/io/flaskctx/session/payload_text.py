"""Writes payload_text.out.json next to this script: how Flask 3.1's session serializer turns a payload's bytes
into text. Each case signs the given JSON bytes as an uncompressed payload with Flask's session settings, then
loads the cookie as Flask's SecureCookieSessionInterface does. itsdangerous decodes the payload as strict UTF-8
before json.loads: malformed bytes, encoded surrogates, overlong forms and code points past U+10FFFF are refused;
a U+FFFD that was sent is text like any other. Rerun with `python3 payload_text.py`.
"""
import json
import os
from importlib.metadata import version

import flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous.encoding import base64_encode

SECRET_KEY = "payload-text-secret"
app = flask.Flask("payload_text")
app.secret_key = SECRET_KEY
serializer = SecureCookieSessionInterface().get_signing_serializer(app)
signer = serializer.make_signer(serializer.salt)

CASES = [
    ("ascii", b'{"a":"b"}'),
    ("two-byte", '{"a":"\u00e9"}'.encode()),
    ("three-byte", '{"a":"\u20ac"}'.encode()),
    ("four-byte", '{"a":"\U0001F600"}'.encode()),
    ("U+FFFD sent", '{"a":"\ufffd"}'.encode()),
    ("U+FFFD sent in a key", '{"\ufffd":1}'.encode()),
    ("U+FFFF sent", '{"a":"\uffff"}'.encode()),
    ("non-ASCII key", '{"\u043a\u043b\u044e\u0447":1}'.encode()),
    ("U+FFFD sent, then 0xff", b'{"a":"\xef\xbf\xbd\xff"}'),
    ("0xff", b'{"a":"\xff"}'),
    ("lone continuation byte", b'{"a":"\x80"}'),
    ("overlong '/'", b'{"a":"\xc0\xaf"}'),
    ("encoded surrogate", b'{"a":"\xed\xa0\x80"}'),
    ("three-byte form cut short", b'{"a":"\xe2\x82"}'),
    ("past U+10FFFF", b'{"a":"\xf4\x90\x80\x80"}'),
    ("UTF-8 BOM first", b'\xef\xbb\xbf{"a":1}'),
    ("0xfe outside a string", b'{"a":1}\xfe'),
]

cases = []
for name, payload in CASES:
    cookie = signer.sign(base64_encode(payload)).decode("ascii")
    try:
        value = serializer.loads(cookie)
        cases.append({"name": name, "payload": payload.hex(), "cookie": cookie, "ok": True, "value": value})
    except Exception as e:  # noqa: BLE001 - the outcome is what is recorded
        cause = getattr(e, "original_error", None)
        cases.append({"name": name, "payload": payload.hex(), "cookie": cookie, "ok": False,
                      "error": f"{type(e).__name__}: {e}",
                      "cause": None if cause is None else f"{type(cause).__name__}: {cause}"})

out = {"flask": version("flask"), "itsdangerous": version("itsdangerous"), "secret_key": SECRET_KEY,
       "cases": cases}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "payload_text.out.json"), "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=True)
    f.write("\n")
