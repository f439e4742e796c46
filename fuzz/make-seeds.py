#!/usr/bin/env python3
"""Writes the committed seed corpus, fuzz/seeds/<target>/, from the request examples of the
source documents (docs/sources/*.txt) and the media fixtures (tests/fixtures/make.sh makes
them into tests/fixtures/generated/). Run it again after changing either; each seed is small
(videos lose their mdat payload, images keep their first 2 KB)."""
import base64, hashlib, json, os, re, struct, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, "fuzz", "seeds")
docs = os.path.join(root, "docs", "sources")
fixtures = os.path.join(root, "tests", "fixtures", "generated")


def put(target, data, name=None):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    name = name or hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# --- validate: every request body of the documents, as written, then some that reach every
# scenario and rule group, with and without media facts (after a 0xFF byte).
bodies = []
for doc in sorted(d for d in os.listdir(docs) if d.endswith(".txt")):
    text = open(os.path.join(docs, doc), encoding="utf-8").read()
    for m in re.finditer(r"--data '(\{.*?\})'", text, re.S):
        bodies.append(m.group(1))
    for m in re.finditer(r"```json[^\n]*\n(.*?)```", text, re.S):
        bodies.append(m.group(1))
img = "https://example.com/a.jpg"
vid = "https://example.com/v.mp4"
extra = [
    {"prompt": "a cat <<<image_1>>> <<<element_1>>>", "aspect_ratio": "16:9", "duration": "7",
     "image_list": [{"image_url": img}], "element_list": [{"element_id": 12}], "mode": "std"},
    {"prompt": "<<<video_1>>>", "video_list": [{"video_url": vid, "refer_type": "base", "keep_original_sound": "no"}],
     "image_list": [{"image_url": img, "type": "first_frame"}], "duration": 5, "watermark_info": {"enabled": True},
     "callback_url": "ftp://x", "external_task_id": " "},
    {"prompt": "x", "image_list": [{"image_url": img, "type": "end_frame"}, {"image_url": "iVBORw0KGgo="},
     {"image_url": "data:image/png;base64,AAAA"}], "aspect_ratio": "1:1"},
    {"model": "kling-v3-omni", "input": {"prompt": "x", "negative_prompt": "y"},
     "parameters": {"duration": 15, "sound": "on", "video_list": [{"video_url": vid, "refer_type": "feature"}],
                    "multi_shot": False, "shot_type": "customize", "watermark_enabled": True}},
    {"model": "kling-v3-omni", "input": {"prompt": ""},
     "parameters": {"duration": 6, "multi_shot": True, "shot_type": "customize", "aspect_ratio": "9:16",
                    "multi_prompt": [{"index": 1, "prompt": "a", "duration": "3"}, {"index": 3, "prompt": "", "duration": "05"}]}},
]
bodies += [json.dumps(e, ensure_ascii=False) for e in extra]
facts = [b"", b"\x01\x01\x00\x05\x00\x00\x01\x00\x02\x03\x00\x01\x01\x00\x07\x00\x00\x02", bytes(range(64))]
for i, b in enumerate(bodies):
    put("validate", b.encode("utf-8"))
    put("validate", b.encode("utf-8") + b"\xff" + facts[i % len(facts)])

# --- reader: the same bodies written compactly and spread over lines, and texts at the
# edges where a JSON reader may differ from serde_json (numbers, escapes, surrogates, depth).
for b in bodies[:6]:
    try:
        v = json.loads(b)
    except ValueError:
        continue
    put("reader", json.dumps(v, separators=(",", ":")).encode("utf-8"))
    put("reader", json.dumps(v, indent="\t", ensure_ascii=True).encode("utf-8"))
edges = [
    '[0,-0,-0.0,5.0,1E+2,0.1,18446744073709551615,18446744073709551616,-9223372036854775808,'
    '-9223372036854775809,123456789012345678901234567890,1e-400,0e400,1.7976931348623157e308,5e-324,'
    '0.720275202801261e286,184467440737095516190.5]',
    '[1.7976931348623158e308]',
    '1e2147483648',
    '{"a":"\\"\\\\\\/\\b\\f\\n\\r\\t","\\u0061":"\\ud83d\\ude00","a":"\\ud800x\\udc00","b":"猫😀\\u0000"}',
    '["\\ud800\\ud800\\udc00","\\ud800\\u0041","\\ud800\\n","\\uD83D\\uDE00"]',
    '{"a":1,"a":{"b":[true,false,null]},"a":[]}',
    '["\\u12g4"]',
    "[" * 127 + "]" * 127,
    "[" * 128 + "]" * 128,
    '{"k":' * 64 + "1" + "}" * 64,
    ' \t\r\n{ "a" : [ 1 , 2 ] }\n',
]
for e in edges:
    put("reader", e.encode("utf-8"))

# --- image_header and base64: the first 2 KB of each image fixture.
images = []
for name in sorted(os.listdir(fixtures)):
    if name.rsplit(".", 1)[-1] in ("jpg", "png", "gif", "webp"):
        head = open(os.path.join(fixtures, name), "rb").read(2048)
        images.append(head)
        put("image_header", head, name)
for head in images:
    for cut in (len(head), 300, 45):
        data = base64.b64encode(head[:cut])
        put("base64", struct.pack("<HH", 7, 40) + data)
        put("base64", struct.pack("<HH", 0, 2048) + data.rstrip(b"="))

# --- bmff: each MP4/MOV fixture with its mdat payload dropped (mdat becomes an empty box),
# and its moov payload alone (what parse_moov reads).
def boxes(d):
    i = 0
    while i + 8 <= len(d):
        size, kind = struct.unpack(">I4s", d[i:i + 8])
        head = 8
        if size == 1:
            size, head = struct.unpack(">Q", d[i + 8:i + 16])[0], 16
        elif size == 0:
            size = len(d) - i
        yield kind, d[i:i + size], head
        i += size

for name in sorted(os.listdir(fixtures)):
    if name.rsplit(".", 1)[-1] in ("mp4", "mov"):
        d = open(os.path.join(fixtures, name), "rb").read()
        small = b""
        for kind, b, head in boxes(d):
            if kind == b"mdat":
                small += struct.pack(">I4s", 8, b"mdat")
            else:
                small += b
                if kind == b"moov":
                    put("bmff", b[head:], name + ".moov")
        put("bmff", small, name)
print("seeds:", {t: len(os.listdir(os.path.join(out, t))) for t in sorted(os.listdir(out))})
