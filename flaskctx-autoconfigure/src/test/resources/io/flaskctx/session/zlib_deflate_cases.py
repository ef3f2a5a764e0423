"""What Python's zlib.compress (Flask's session compression, itsdangerous's URLSafeSerializerMixin.dump_payload)
writes, for DeflateTest: flaskctx compresses session payloads of up to 16,382 bytes with its own deflate and must
write zlib's bytes exactly. The cases aim at each of zlib's decisions at its default level (6): lazy matching
(take a match only when the next position's is no longer; no lazy search after a match of 16), the hash chains
(128 candidates, a quarter after a match of 8, enough at 128), matches of 3 dropped beyond 4,096 bytes, matches
of 258 and matches that reach the end, the choice of a fixed or a dynamic block (or stored, which is never
shorter), the rule that a code has at least two symbols, code lengths over 15 (and code-length codes over 7)
shortened, and the run-length coding of the lengths. Plus seeded inputs of many shapes and sizes.

Only each output stream is kept: the input is what the stream inflates to (its length and SHA-256 are kept to
check that). Seeded, so the cases are the same on every run.

Run: python3 zlib_deflate_cases.py > zlib_deflate_cases.out.json (kept in git with this script)
"""
import base64
import hashlib
import json
import random
import sys
import zlib

rng = random.Random(1952)
MAX_INPUT = 16382
cases = []


def case(name, data):
    assert len(data) <= MAX_INPUT + 1, name
    cases.append({"name": name, "length": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                  "zlib": base64.b64encode(zlib.compress(data)).decode()})


def rand_bytes(n, alphabet=None):
    if alphabet is None:
        return bytes(rng.randrange(256) for _ in range(n))
    return bytes(rng.choice(alphabet) for _ in range(n))


# Tiny inputs: every length up to 12 of a few shapes (one symbol, no distance: the two-code rule).
for n in range(0, 13):
    case("tiny %d: one byte repeated" % n, b"a" * n)
    case("tiny %d: random" % n, rand_bytes(n))
    case("tiny %d: two symbols" % n, rand_bytes(n, b"ab"))

# Lazy matching: a match at the next position longer by one, or not.
for k in range(3, 20):
    word = rand_bytes(k + 1, b"abcdefghij")
    case("lazy: a %d-byte match then a longer one a byte later" % k,
         b"x" + word[:k] + b"yz" + word + b"Q" + word[:k] + b"!" + word[1:] + b"#")
    case("lazy: prefix %d repeated with a shift" % k, (word + b"-") * 3 + word[1:] + word)

# Matches of exactly 3 at distances around 4,096 (dropped beyond it), and of 4 (kept).
for distance in (4094, 4095, 4096, 4097, 4098, 5000):
    for length in (3, 4, 5, 6):
        filler = rand_bytes(distance, b"01")
        token = b"XYZW#$"[:length]
        body = token + filler[: distance - length] + token + b"!"
        case("match of %d at distance %d" % (length, len(body) - length - 1 - 0), body)

# Long hash chains: many earlier occurrences of a 3-byte prefix with different continuations, so the chain limit
# (128, or 32 after a match of 8 or more) decides which match is found.
for occurrences in (20, 31, 32, 33, 100, 127, 128, 129, 130, 200, 400):
    parts = []
    for i in range(occurrences):
        parts.append(b"abc" + rand_bytes(rng.randrange(1, 12), b"defghijklmnop") + b"|")
    parts.insert(rng.randrange(occurrences), b"abcdefghijklmnop|")
    body = b"".join(parts) + b"abcdefghijklmnop|"
    case("chain of %d candidates" % occurrences, body)
    case("chain of %d candidates after a match of 8" % occurrences,
         body[:-17] + b"QRSTUVWXabcdefghijklmnop|" + b"QRSTUVWX" + b"abcdefghijklmnop|")

# Runs: matches of 258 (the longest), runs ending exactly at the input's end, runs just over 258.
for n in (257, 258, 259, 260, 261, 515, 516, 517, 1000, 4000, 16382):
    case("run of %d zeros" % n, b"\0" * n)
    case("run of %d after a random prefix" % n, rand_bytes(7) + b"q" * (n - 7))
for tail in range(0, 10):
    word = rand_bytes(12, b"abcdefgh")
    case("match reaching the end, %d bytes short of it" % tail, word + b"-" + word[: 12 - tail])

# Fixed against dynamic: short texts choose fixed, longer ones dynamic; around the boundary.
for n in list(range(20, 200, 7)) + [300, 500, 800]:
    case("jsonish %d" % n, rand_bytes(n, b'{}":,_abcdefghijklmnopqrstuvwxyz0123456789 '))
    case("hex %d" % n, rand_bytes(n, b"0123456789abcdef"))
    case("high bytes %d" % n, rand_bytes(n, bytes(range(144, 256))))

# Stored: incompressible data, where a stored block is no longer than both codes.
for n in (50, 100, 1000, 5000):
    case("random %d" % n, rand_bytes(n))

# One distance code only (symbol 0, 1 or higher: zlib adds a second code next to it or at 0).
for distance in (1, 2, 3, 4, 5, 8, 100):
    unit = rand_bytes(distance, b"abcdefghijklmnopqrstuvwxyz") if distance > 1 else b"m"
    case("only distance %d" % distance, rand_bytes(5, b"ABC") + unit * (400 // distance) + b"Z")


def fibonacci_counts(count, symbols, limit):
    a, b = 1, 1
    out = []
    for s in symbols[:count]:
        out += [s] * a
        a, b = b, a + b
        if len(out) > limit:
            break
    rng.shuffle(out)
    return bytes(out[:limit])


# Counts growing as Fibonacci numbers: codes longer than 15 bits (literals), and code-length codes longer than 7.
for count in (16, 17, 18, 19, 20, 21):
    alphabet = list(range(256))
    rng.shuffle(alphabet)
    case("fibonacci counts over %d symbols" % count, fibonacci_counts(count, alphabet, MAX_INPUT))
for shift in range(3):
    # Many literal codes of many different lengths: the code-length code's own lengths pass 7.
    parts = []
    for s in range(256):
        parts.append(bytes([s]) * (1 + (s * 7 + shift * 13) % 97))
    data = bytearray(b"".join(parts))
    rng.shuffle(data)
    case("many code lengths, shape %d" % shift, bytes(data[:MAX_INPUT]))

# Sessions: Flask's compact JSON of the kind Flask-Login and Flask-WTF leave, of many sizes.
for i in range(120):
    session = {"_fresh": rng.random() < 0.5, "_id": rand_bytes(128, b"0123456789abcdef").decode(),
               "_user_id": str(rng.randrange(10 ** rng.randrange(1, 9)))}
    if rng.random() < 0.7:
        session["csrf_token"] = rand_bytes(40, b"0123456789abcdef").decode()
    for j in range(rng.randrange(0, 200 if i % 10 == 0 else 30)):
        session["k%d" % j] = rng.choice([rng.randrange(10 ** 6), "v" * rng.randrange(40), None, True, [1, 2, 3],
                                         {" t": rand_bytes(rng.randrange(1, 30), b"abcdef=+/").decode()}])
    data = json.dumps(session, separators=(",", ":"), sort_keys=True).encode()
    case("session %d" % i, data[:MAX_INPUT])

# Seeded shapes up to the longest input: text, repeats near and far, binary with structure.
for i in range(300):
    n = rng.choice([rng.randrange(1, 100), rng.randrange(100, 1000),
                    rng.randrange(1000, MAX_INPUT + 1) if i % 4 == 0 else rng.randrange(1000, 3000)])
    shape = i % 6
    if shape == 0:
        data = rand_bytes(n, b"etaoin shrdlu")
    elif shape == 1:
        out = bytearray()
        while len(out) < n:
            if len(out) > 10 and rng.random() < 0.6:
                start = rng.randrange(len(out))
                out += out[start:start + rng.randrange(3, 300)]
            else:
                out += rand_bytes(rng.randrange(1, 6))
        data = bytes(out[:n])
    elif shape == 2:
        step = rng.randrange(1, 4)
        data = bytes((j * step) & 0xff for j in range(n))
    elif shape == 3:
        data = rand_bytes(n, b"ab")
    elif shape == 4:
        word = rand_bytes(rng.randrange(3, 40), b"abcdefgh")
        out = bytearray()
        while len(out) < n:
            out += word[rng.randrange(len(word)):] + rand_bytes(rng.randrange(0, 4), b"xyz")
        data = bytes(out[:n])
    else:
        data = rand_bytes(min(n, 3000), bytes(range(rng.randrange(2, 256))))
    case("shape %d, %d bytes" % (shape, n), data)

json.dump({"python": sys.version.split()[0], "zlib": zlib.ZLIB_RUNTIME_VERSION, "cases": cases}, sys.stdout,
          indent=0)
sys.stdout.write("\n")
