"""Writes python_fixtures.json next to this script: what CPython 3.11 / itsdangerous / Werkzeug answer
for inputs the Java codec must treat the same way. Deterministic (fixed seed); rerun with
`python3 python_fixtures.py` after changing it. Needs Flask 3.1 (itsdangerous 2.2, Werkzeug 3.1).
"""
import base64
import json
import os
import random
import struct

import itsdangerous.encoding
import werkzeug.http

random.seed(20231114)
out = {}

# itsdangerous.base64_decode on the UTF-8 bytes of a cookie segment (the cookie path: bytes in, so
# non-ASCII bytes stay and count for the padding).
alphabet = "AQgw-_+/=!. éZz09\u2603"
cases = ["", "=", "==", "====", "QQ", "QQ=", "QQ==", "QQ===", "Q", "Q===", "QUJD", "QUJD=", "QUJDRA",
         "AA==AA==", "aGk=aGk=", "AAA=A", "QUJ-", "QUJ_", "Q!Q", "Q!!!!Q", "\u00e9QQ", "QQ\u00e9\u00e9"]
for _ in range(2000):
    cases.append("".join(random.choice(alphabet) for _ in range(random.randint(0, 12))))
url = []
for s in cases:
    try:
        url.append([s, itsdangerous.encoding.base64_decode(s.encode("utf-8")).hex()])
    except Exception:  # noqa: BLE001
        url.append([s, None])
out["itsdangerous_base64_decode_utf8"] = url

# base64.b64decode(str) as Flask's " b" tag calls it: standard alphabet, no padding added.
std = []
for s in cases:
    try:
        std.append([s, base64.b64decode(s).hex()])
    except Exception:  # noqa: BLE001
        std.append([s, None])
out["b64decode_str"] = std

# float.__repr__ (json writes finite floats with it), for random bit patterns and a few known ones.
floats = [0.1, 0.3333333333333333, 2e23, 1e16, 1e15, 0.0001, 0.00001, 5e-324, 1.7976931348623157e308, 123456.789,
          1e22, 9007199254740993.0, 2.0 ** -1074, 4.35, 0.1 + 0.2, 1 / 3, 2.5e-5, 12345678901234567890.0]
for _ in range(2000):
    bits = random.getrandbits(64)
    (f,) = struct.unpack(">d", bits.to_bytes(8, "big"))
    if f == f and f not in (float("inf"), float("-inf")):
        floats.append(f)
for _ in range(500):
    floats.append(round(random.uniform(-1e6, 1e6), random.randint(0, 8)))
out["float_repr"] = [[struct.pack(">d", f).hex(), repr(f)] for f in floats]

# werkzeug.http.parse_date, which reads the " d" tag.
dates = ["Tue, 02 Jan 2024 03:04:05 GMT", "Tue, 02 Jan 2024 03:04:05 +0200", "02 Jan 2024 03:04:05 GMT",
         "Tue, 2 Jan 24 03:04:05 GMT", "Tuesday, 02-Jan-24 03:04:05 GMT", "Tue, 02 Jan 2024 03:04 GMT",
         "Tue, 02 Jan 2024 03:04:05 -0000", "Tue, 02 Jan 2024 03:04:05 EST", "Tue, 02 Jan 2024 03:04:05 XYZ",
         "Tue, 02 Jan 2024 03:04:05", "Jan 02 2024 03:04:05 GMT", "Tue, 31 Feb 2024 03:04:05 GMT",
         "Tue, 02 Jan 2024 24:00:00 GMT", "garbage", "", "Tue, 02 Foo 2024 03:04:05 GMT",
         "Sun, 30 Jun 2024 21:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
         "Tue, 02 Jan 2024 03:04:05 +2400", "Tue, 02 Jan 2024 03:04:05 +0530", "2 January 2024 03:04:05 UT",
         "Tue, 02 Jan 2024 03.04.05 GMT", "Tue,02 Jan 2024 03:04:05 GMT", "02 Jan 69 00:00:00 GMT",
         "02 Jan 68 00:00:00 GMT"]
parsed = []
for d in dates:
    r = werkzeug.http.parse_date(d)
    parsed.append([d, None if r is None else int(r.timestamp())])
out["parse_date"] = parsed

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "python_fixtures.json"), "w") as f:
    json.dump(out, f, ensure_ascii=False, indent=0)
    f.write("\n")
