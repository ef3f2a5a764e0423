"""What Python's zlib.decompress (itsdangerous's load_payload, how Flask reads a '.'-prefixed session cookie)
accepts and refuses, for InflateTest: flaskctx inflates session payloads with its own RFC 1950/1951 decoder and
must accept exactly the streams Python accepts, with the same bytes, and refuse the rest.

The cases: streams zlib writes (stored, fixed and dynamic blocks, several blocks, empty), hand-made streams at
each rule of the two RFCs and of zlib's checks (header, block type, stored lengths, code sets over-subscribed or
incomplete, repeats, missing end-of-block, codes and distances out of range, distances too far back, the Adler-32
trailer, truncation at every byte, trailing bytes), and seeded random mutations of valid streams.

Run: python3 zlib_inflate_cases.py > zlib_inflate_cases.out.json (kept in git with this script)
"""
import base64
import hashlib
import json
import random
import sys
import zlib

rng = random.Random(1951)


class Bits:
    """A deflate bit stream: values LSB first, Huffman codes MSB first (RFC 1951, 3.1.1)."""

    def __init__(self):
        self.acc = 0
        self.n = 0
        self.out = bytearray()

    def put(self, value, n):
        self.acc |= value << self.n
        self.n += n
        while self.n >= 8:
            self.out.append(self.acc & 255)
            self.acc >>= 8
            self.n -= 8

    def code(self, code, length):
        self.put(int(format(code, "0%db" % length)[::-1], 2) if length else 0, length)

    def align(self):
        if self.n % 8:
            self.put(0, 8 - self.n % 8)

    def done(self):
        self.align()
        return bytes(self.out)


def canonical(lengths):
    """RFC 1951, 3.2.2: the codes of a set of code lengths, {symbol: (code, length)}."""
    count = [0] * 16
    for length in lengths:
        count[length] += 1
    count[0] = 0
    next_code = [0] * 16
    code = 0
    for bits in range(1, 16):
        code = (code + count[bits - 1]) << 1
        next_code[bits] = code
    codes = {}
    for symbol, length in enumerate(lengths):
        if length:
            codes[symbol] = (next_code[length], length)
            next_code[length] += 1
    return codes


def wrap(deflate, header=b"\x78\x9c", adler=None):
    data = header + deflate
    return data if adler is False else data + (adler if adler is not None else b"")


def zlib_stream(deflate, content):
    """A zlib stream around raw deflate data whose content is known (for the Adler-32)."""
    return b"\x78\x9c" + deflate + zlib.adler32(content).to_bytes(4, "big")


FIXED_LIT = [8] * 144 + [9] * 112 + [7] * 24 + [8] * 8
FIXED_DIST = [5] * 32
CLEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
# A complete code-length code with every symbol: 0-15 in 5 bits, 16 in 2, 17 and 18 in 3.
CLEN = [5] * 16 + [2, 3, 3]


def fixed_block(symbols, final=True, bits=None):
    bits = bits or Bits()
    bits.put(1 if final else 0, 1)
    bits.put(1, 2)
    emit(bits, canonical(FIXED_LIT), canonical(FIXED_DIST), symbols)
    return bits


def emit(bits, lit, dist, symbols):
    for s in symbols:
        if s[0] == "lit":
            bits.code(*lit[s[1]])
        elif s[0] == "len":
            bits.code(*lit[s[1]])
            bits.put(s[2], s[3])
        elif s[0] == "dist":
            bits.code(*dist[s[1]])
            bits.put(s[2], s[3])
        elif s[0] == "raw":
            bits.put(s[1], s[2])
        elif s[0] == "eob":
            bits.code(*lit[256])


def dynamic_block(lit_lengths, dist_lengths, symbols, final=True, clen=CLEN, cl_symbols=None, hlit=None,
                  hdist=None, bits=None):
    """A dynamic block. cl_symbols: the code-length symbols to send, as (symbol, extra, extra bits); by default
    every length literally."""
    bits = bits or Bits()
    bits.put(1 if final else 0, 1)
    bits.put(2, 2)
    bits.put((hlit if hlit is not None else len(lit_lengths)) - 257, 5)
    bits.put((hdist if hdist is not None else len(dist_lengths)) - 1, 5)
    bits.put(19 - 4, 4)
    for symbol in CLEN_ORDER:
        bits.put(clen[symbol], 3)
    codes = canonical(clen)
    if cl_symbols is None:
        cl_symbols = [(length, 0, 0) for length in lit_lengths + dist_lengths]
    for symbol, extra, extra_bits in cl_symbols:
        bits.code(*codes[symbol])
        bits.put(extra, extra_bits)
    emit(bits, canonical(lit_lengths), canonical(dist_lengths), symbols)
    return bits


def lit_lengths_for(used, length_symbols=()):
    """Lit/len lengths giving each used byte and 256 (and the length symbols) a code: a complete set."""
    symbols = sorted(set(used) | {256} | set(length_symbols))
    lengths = [0] * 286
    # n symbols: a complete code with lengths k and k+1
    n = len(symbols)
    k = max(1, (n - 1).bit_length() - 1) if n > 1 else 1
    short = 2 ** (k + 1) - n if n > 1 else 1
    for i, s in enumerate(symbols):
        lengths[s] = k if i < short else k + 1
    if n == 1:
        lengths[symbols[0]] = 1
    return lengths


cases = []


def output(data):
    """Short outputs as base64, long ones as their length and SHA-256, to keep this file small."""
    if len(data) <= 512:
        return base64.b64encode(data).decode()
    return "%d bytes, sha256 %s" % (len(data), hashlib.sha256(data).hexdigest())


def case(name, stream):
    try:
        result = {"name": name, "stream": base64.b64encode(stream).decode(), "ok": True,
                  "output": output(zlib.decompress(stream))}
    except Exception as e:  # what itsdangerous catches
        result = {"name": name, "stream": base64.b64encode(stream).decode(), "ok": False,
                  "error": "%s: %s" % (type(e).__name__, e)}
    cases.append(result)


# --- streams zlib writes
session = json.dumps({"_fresh": True, "_id": "".join(rng.choice("0123456789abcdef") for _ in range(128)),
                      "_user_id": "1042", "csrf_token": "".join(rng.choice("0123456789abcdef") for _ in range(40))},
                     separators=(",", ":")).encode()
samples = {
    "empty": b"",
    "one byte": b"x",
    "session": session,
    "text": b"The quick brown fox jumps over the lazy dog. " * 20,
    "random 600": bytes(rng.randrange(256) for _ in range(600)),
    "runs 3000": b"a" * 3000 + b"b" * 300,
    "binary high bytes": bytes(rng.randrange(144, 256) for _ in range(300)),
    "long distances": bytes(rng.randrange(256) for _ in range(9000)) * 2,
}
for name, data in samples.items():
    for level in (0, 1, 6, 9):
        case("zlib level %d: %s" % (level, name), zlib.compress(data, level))
for name in ("session", "text", "random 600"):
    data = samples[name]
    c = zlib.compressobj(6)
    stream = c.compress(data[: len(data) // 2]) + c.flush(zlib.Z_FULL_FLUSH) + c.compress(data[len(data) // 2:])
    stream += c.flush(zlib.Z_SYNC_FLUSH) + c.flush()
    case("several blocks, flushed: " + name, stream)
    for strategy, label in ((zlib.Z_HUFFMAN_ONLY, "huffman only"), (zlib.Z_FIXED, "fixed"), (zlib.Z_RLE, "rle"),
                            (zlib.Z_FILTERED, "filtered")):
        c = zlib.compressobj(6, zlib.DEFLATED, 15, 8, strategy)
        case("strategy %s: %s" % (label, name), c.compress(data) + c.flush())
    for wbits in (9, 12):
        c = zlib.compressobj(6, zlib.DEFLATED, wbits)
        case("window 2^%d: %s" % (wbits, name), c.compress(data) + c.flush())

valid = zlib.compress(session)

# --- the zlib header (RFC 1950)
case("header check fails", b"\x78\x9d" + valid[2:])
case("method 7", bytes([0x77, (31 - (0x77 * 256) % 31) % 31]) + valid[2:])
case("window 2^16 (CINFO 8)", bytes([0x88, (31 - (0x88 * 256) % 31) % 31]) + valid[2:])
case("preset dictionary (FDICT)", bytes([0x78, 0xBB]) + b"\x00\x00\x00\x01" + valid[2:])
case("only a header", valid[:2])
case("nothing", b"")

# --- the trailer
case("Adler-32 wrong", valid[:-1] + bytes([valid[-1] ^ 1]))
case("Adler-32 missing", valid[:-4])
case("Adler-32 half", valid[:-2])
case("trailing bytes after the stream", valid + b"junk")
case("a second stream after the stream", valid + zlib.compress(b"second"))
for cut in range(1, len(valid)):
    case("truncated to %d of %d bytes" % (cut, len(valid)), valid[:cut])

# --- block types and stored blocks
b = Bits(); b.put(1, 1); b.put(3, 2)
case("block type 3", wrap(b.done(), adler=zlib.adler32(b"").to_bytes(4, "big")))
for length, nlength, label in ((5, 5 ^ 0xFFFF, "stored"), (5, 5, "stored LEN/NLEN mismatch"),
                               (0, 0xFFFF, "stored empty")):
    b = Bits(); b.put(1, 1); b.put(0, 2); b.align(); b.put(length, 16); b.put(nlength, 16)
    data = bytes(range(65, 65 + length))
    case(label, zlib_stream(b.done() + data, data))
b = Bits(); b.put(1, 1); b.put(0, 2); b.align(); b.put(10, 16); b.put(10 ^ 0xFFFF, 16)
case("stored block shorter than its LEN", wrap(b.done() + b"abc", adler=False))
b = Bits(); b.put(0, 1); b.put(0, 2); b.align(); b.put(3, 16); b.put(3 ^ 0xFFFF, 16)
case("not-final stored block, then nothing", wrap(b.done() + b"abc", adler=False))
b = Bits(); b.put(0, 1); b.put(0, 2); b.align(); b.put(3, 16); b.put(3 ^ 0xFFFF, 16)
tail = fixed_block([("lit", ord("d")), ("eob",)]).done()
case("stored then fixed", zlib_stream(b.done() + b"abc" + tail, b"abcd"))

# --- fixed blocks: codes and distances
case("fixed: literals", zlib_stream(fixed_block([("lit", 104), ("lit", 105), ("lit", 200), ("eob",)]).done(),
                                     b"hi\xc8"))
case("fixed: literal/length 286", zlib_stream(fixed_block([("lit", 97), ("lit", 286), ("eob",)]).done(), b"a"))
case("fixed: literal/length 287", zlib_stream(fixed_block([("lit", 97), ("lit", 287), ("eob",)]).done(), b"a"))
for dist_symbol in (30, 31):
    case("fixed: distance code %d" % dist_symbol, zlib_stream(fixed_block(
        [("lit", 97), ("len", 257, 0, 0), ("dist", dist_symbol, 0, 0), ("eob",)]).done(), b"aaaa"))
case("fixed: distance too far back", zlib_stream(fixed_block(
    [("lit", 97), ("len", 257, 0, 0), ("dist", 1, 0, 0), ("eob",)]).done(), b"aaaa"))
case("fixed: distance exactly back to the start", zlib_stream(fixed_block(
    [("lit", 97), ("lit", 98), ("len", 257, 0, 0), ("dist", 1, 0, 0), ("eob",)]).done(), b"ababa"))
case("fixed: distance before any output", zlib_stream(fixed_block(
    [("len", 257, 0, 0), ("dist", 0, 0, 0), ("eob",)]).done(), b""))
case("fixed: length 258 as 284 + 31", zlib_stream(fixed_block(
    [("lit", 122), ("len", 284, 31, 5), ("dist", 0, 0, 0), ("eob",)]).done(), b"z" * 259))
case("fixed: length 258 as 285", zlib_stream(fixed_block(
    [("lit", 122), ("len", 285, 0, 0), ("dist", 0, 0, 0), ("eob",)]).done(), b"z" * 259))
big = bytes(rng.randrange(256) for _ in range(32768))
b = Bits(); b.put(0, 1); b.put(0, 2); b.align(); b.put(32768 & 0xFFFF, 16); b.put((32768 & 0xFFFF) ^ 0xFFFF, 16)
stored_big = b.done() + big
far = fixed_block([("len", 258, 0, 0), ("dist", 29, 8191, 13), ("eob",)]).done()
case("fixed: distance 32768 after 32768 stored bytes", zlib_stream(stored_big + far, big + big[:4]))
case("fixed: no end-of-block", wrap(fixed_block([("lit", 97), ("lit", 98)]).done(), adler=False))
case("fixed, not final, then nothing", wrap(fixed_block([("lit", 97), ("eob",)], final=False).done(), adler=False))

# --- dynamic blocks: the header and the code sets
lits = lit_lengths_for(b"abcd", (257,))
dists = [0, 0, 1]  # distance symbol 2 (distance 3): one 1-bit code, an incomplete set zlib allows
good = [("lit", 97), ("lit", 98), ("lit", 99), ("len", 257, 0, 0), ("dist", 2, 0, 0), ("lit", 100), ("eob",)]
case("dynamic: complete codes", zlib_stream(dynamic_block(lits, dists, good).done(), b"abcabcd"))
case("dynamic: HLIT 30 (287 codes)", zlib_stream(dynamic_block(lits + [0], dists, good, hlit=287).done(),
                                                  b"abcabcd"))
case("dynamic: HDIST 30 (31 codes)", zlib_stream(dynamic_block(lits, [0, 0, 1] + [0] * 28, good, hdist=31).done(),
                                                  b"abcabcd"))
case("dynamic: 30 distance codes", zlib_stream(dynamic_block(lits, [0] * 29 + [1], [
    ("lit", 97), ("eob",)]).done(), b"a"))
case("dynamic: code-length code over-subscribed",
     zlib_stream(dynamic_block(lits, dists, good, clen=[4] * 16 + [2, 3, 3]).done(), b"abcabcd"))
clen_incomplete = [5] * 16 + [2, 3, 4]
case("dynamic: code-length code incomplete",
     zlib_stream(dynamic_block(lits, dists, good, clen=clen_incomplete).done(), b"abcabcd"))
case("dynamic: code-length code empty", zlib_stream(
    dynamic_block(lits, dists, [], clen=[0] * 19, cl_symbols=[]).done(), b""))
case("dynamic: code-length code of one symbol",
     zlib_stream(dynamic_block(lits, dists, good, clen=[0] * 18 + [1], cl_symbols=[(18, 127, 7)]).done(), b""))
all_lengths = lits + dists
case("dynamic: repeat 16 first", zlib_stream(dynamic_block(lits, dists, good, cl_symbols=[(16, 0, 2)] + [
    (length, 0, 0) for length in all_lengths]).done(), b"abcabcd"))
# zlib reads a repeat's extra bits before it checks the repeat (inflate.c: NEEDBITS(here.bits + 2), then "invalid
# bit length repeat"): a stream that ends between a first 16 and its extra bits is truncated. Empty fixed blocks (10
# bits each) first, as many as put the 16's last bit at the end of a byte, so no padding bit can serve as extra.
for empty_blocks in range(4):
    cut = Bits()
    for _ in range(empty_blocks):
        cut.put(0, 1)
        cut.put(1, 2)
        cut.code(0, 7)
    cut.put(1, 1)
    cut.put(2, 2)
    cut.put(len(lits) - 257, 5)
    cut.put(len(dists) - 1, 5)
    cut.put(19 - 4, 4)
    for symbol in CLEN_ORDER:
        cut.put(CLEN[symbol], 3)
    cut.code(*canonical(CLEN)[16])
    if cut.n == 0:
        break
case("dynamic: repeat 16 first, the stream ending before its extra bits", b"\x78\x9c" + cut.done())
case("dynamic: repeat beyond the lengths", zlib_stream(dynamic_block(lits, dists, good, cl_symbols=[
    (length, 0, 0) for length in all_lengths[:-1]] + [(18, 20, 7)]).done(), b"abcabcd"))
# 97 zeros, a b c d, 155 zeros, end-of-block and 257, 28 zeros, then the distances with a 16
repeats = ([(18, 97 - 11, 7)] + [(all_lengths[s], 0, 0) for s in range(97, 101)] + [(18, 138 - 11, 7), (17, 7, 3),
           (17, 4, 3)] + [(all_lengths[256], 0, 0), (all_lengths[257], 0, 0), (18, 28 - 11, 7)]
           + [(2, 0, 0), (16, 0, 2)])
case("dynamic: repeats 16, 17 and 18", zlib_stream(dynamic_block(lits, [2, 2, 2, 2], good,
                                                                 cl_symbols=repeats).done(), b"abcabcd"))
case("dynamic: repeat 18 across into the distances", zlib_stream(dynamic_block(lits, dists, good,
     cl_symbols=repeats[:-3] + [(18, 30 - 11, 7), (1, 0, 0)]).done(), b"abcabcd"))
lits_no_eob = list(lits)
lits_no_eob[256] = 0
case("dynamic: no end-of-block code", zlib_stream(dynamic_block(lits_no_eob, dists, []).done(), b""))
lits_over = list(lits)
lits_over[0] = 1
case("dynamic: literal/length code over-subscribed", zlib_stream(dynamic_block(lits_over, dists, []).done(), b""))
lits_incomplete = list(lits)
lits_incomplete[max(i for i, x in enumerate(lits) if x)] = 0
case("dynamic: literal/length code incomplete", wrap(dynamic_block(lits_incomplete, dists, []).done(),
                                                     adler=b"\x00\x00\x00\x01"))
only_eob = [0] * 256 + [1]
case("dynamic: only end-of-block, one 1-bit code", zlib_stream(dynamic_block(only_eob, dists, [("eob",)]).done(),
                                                               b""))
case("dynamic: only end-of-block, then the missing code", wrap(dynamic_block(only_eob, [0, 1], [
    ("raw", 1, 1)]).done(), adler=False))
case("dynamic: no distance codes, literals only", zlib_stream(dynamic_block(lits, [0], [
    ("lit", 97), ("eob",)]).done(), b"a"))
case("dynamic: no distance codes, a match", zlib_stream(dynamic_block(lits, [0], [
    ("lit", 97), ("len", 257, 0, 0), ("raw", 0, 5), ("eob",)]).done(), b"aaaa"))
case("dynamic: one distance code of 1 bit, used", zlib_stream(dynamic_block(lits, [1], [
    ("lit", 97), ("len", 257, 0, 0), ("dist", 0, 0, 0), ("eob",)]).done(), b"aaaa"))
case("dynamic: one distance code of 1 bit, the other bit", zlib_stream(dynamic_block(lits, [1], [
    ("lit", 97), ("len", 257, 0, 0), ("raw", 1, 1), ("eob",)]).done(), b"aaaa"))
case("dynamic: one distance code of 2 bits", zlib_stream(dynamic_block(lits, [2], [
    ("lit", 97), ("eob",)]).done(), b"a"))
case("dynamic: distance code over-subscribed", zlib_stream(dynamic_block(lits, [1, 1, 1], [
    ("lit", 97), ("eob",)]).done(), b"a"))
case("dynamic: distance code incomplete", zlib_stream(dynamic_block(lits, [1, 2], [
    ("lit", 97), ("eob",)]).done(), b"a"))
long_codes = [0] * 286
for i in range(15):
    long_codes[i + 97] = i + 1
long_codes[256] = 15
case("dynamic: codes of 1 to 15 bits", zlib_stream(dynamic_block(long_codes, [0, 1], [
    ("lit", 97 + i) for i in range(15)] + [("lit", 111), ("lit", 97), ("eob",)]).done(),
    bytes(range(97, 112)) + b"oa"))
case("dynamic, not final, then nothing", wrap(dynamic_block(lits, dists, good, final=False).done(), adler=False))

# --- random damage to valid streams: bits flipped, bytes changed, inserted, removed
sources = [zlib.compress(session), zlib.compress(samples["text"]), zlib.compress(samples["random 600"][:150], 1),
           zlib.compress(b"hello"), zlib.compress(samples["binary high bytes"], 0)]
for i in range(800):
    stream = bytearray(rng.choice(sources))
    kind = rng.randrange(4)
    at = rng.randrange(2, len(stream))
    if kind == 0:
        for _ in range(rng.randrange(1, 4)):
            stream[rng.randrange(2, len(stream))] ^= 1 << rng.randrange(8)
    elif kind == 1:
        stream[at] = rng.randrange(256)
    elif kind == 2:
        stream[at:at] = bytes([rng.randrange(256)])
    else:
        del stream[at]
    if i % 2:
        # the damaged deflate data with a matching Adler-32 where raw inflate reaches the end: other bytes out
        d = zlib.decompressobj(-15)
        try:
            out = d.decompress(bytes(stream[2:]))
            if d.eof:
                body = bytes(stream[2:len(stream) - len(d.unused_data)])
                stream = bytearray(stream[:2] + body + zlib.adler32(out).to_bytes(4, "big"))
        except zlib.error:
            pass
    case("damaged %d" % i, bytes(stream))

json.dump({"python": sys.version.split()[0], "zlib": zlib.ZLIB_RUNTIME_VERSION, "cases": cases}, sys.stdout,
          indent=0)
sys.stdout.write("\n")
