"""What Python's zlib.compress (Flask's session compression, itsdangerous's URLSafeSerializerMixin.dump_payload)
writes for generated inputs, for ZlibTest: flaskctx compresses session payloads with the JDK's zlib and must
write the same bytes. Seeded, so the inputs are the same on every run.

Run: python3 zlib_vectors.py > zlib_vectors.out.json (kept in git with this script)
"""
import base64
import json
import random
import sys
import zlib

rng = random.Random(21)
HEX = b"0123456789abcdef"
JSONISH = b'{}":,_abcdefghijklmnopqrstuvwxyz0123456789 '


def case(kind, n):
    if kind == "random":
        return bytes(rng.randrange(256) for _ in range(n))
    if kind == "hex":
        return bytes(rng.choice(HEX) for _ in range(n))
    if kind == "jsonish":
        return bytes(rng.choice(JSONISH) for _ in range(n))
    if kind == "runs":
        return bytes(rng.choice(b"ab") if rng.random() < 0.1 else 97 for _ in range(n))
    if kind == "repeats":
        out = bytearray()
        while len(out) < n:
            if len(out) > 20 and rng.random() < 0.7:
                start = rng.randrange(len(out))
                out += out[start:start + rng.randrange(3, 300)]
            else:
                out += bytes(rng.randrange(4) for _ in range(rng.randrange(1, 8)))
        return bytes(out[:n])
    if kind == "session":
        session = {"_fresh": rng.random() < 0.5, "_id": "".join(rng.choice("0123456789abcdef") for _ in range(128)),
                   "_user_id": str(rng.randrange(10 ** rng.randrange(1, 9))),
                   "csrf_token": "".join(rng.choice("0123456789abcdef") for _ in range(40))}
        for i in range(rng.randrange(0, 30)):
            session["k%d" % i] = rng.choice([rng.randrange(10 ** 6), "v" * rng.randrange(20), None, True, [1, 2, 3]])
        return json.dumps(session, separators=(",", ":"), sort_keys=True).encode()
    raise ValueError(kind)


vectors = []
for kind in ["random", "hex", "jsonish", "runs", "repeats", "session"]:
    for i in range(20):
        n = rng.choice([rng.randrange(0, 64), rng.randrange(64, 400), rng.randrange(400, 1500)])
        if i == 0 and kind in ("hex", "repeats"):
            n = 8192  # the longest input compressed in Java
        data = case(kind, n)
        vectors.append({"kind": kind, "input": base64.b64encode(data).decode(),
                        "zlib": base64.b64encode(zlib.compress(data)).decode()})

json.dump({"python": sys.version.split()[0], "zlib": zlib.ZLIB_RUNTIME_VERSION, "vectors": vectors}, sys.stdout,
          indent=0)
sys.stdout.write("\n")
