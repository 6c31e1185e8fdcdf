#!/usr/bin/env python3
"""Vendors the html5lib-tests tokenizer suite as wca-html's test uses it:
`tests/data/html5lib-tokenizer/tokens.json`, one case per line, with what a
streaming text extractor emits: the character data and the start and end tag
names, in order. Parse errors, attributes, comments and doctypes are dropped;
doubleEscaped cases are unescaped here, so the file is plain JSON.

    python3 tools/vendor_html5lib.py ../shared/data/html5lib-tokenizer
"""
import json
import os
import re
import sys

src = sys.argv[1]
out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "html5lib-tokenizer")


def unescape(s):
    # \uXXXX escapes, surrogates included (lone ones become U+FFFD: Rust strings
    # cannot hold them, and such cases are left out below).
    return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), s)


def deep_unescape(v):
    if isinstance(v, str):
        return unescape(v)
    if isinstance(v, list):
        return [deep_unescape(x) for x in v]
    if isinstance(v, dict):
        return {k: deep_unescape(x) for k, x in v.items()}
    return v


cases = []
for name in sorted(os.listdir(os.path.join(src, "tokenizer"))):
    if not name.endswith(".test"):
        continue
    data = json.load(open(os.path.join(src, "tokenizer", name), encoding="utf-8"))
    for i, t in enumerate(data.get("tests", [])):
        inp = t["input"]
        out = t["output"]
        if t.get("doubleEscaped"):
            inp = unescape(inp)
            out = deep_unescape(out)
        if any(0xD800 <= ord(c) <= 0xDFFF for c in inp):
            continue  # lone surrogates: not representable in UTF-8 input
        tokens = []
        for tok in out:
            kind = tok[0]
            if kind == "Character":
                text = tok[1]
                if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
                    text = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
                if tokens and tokens[-1][0] == "text":
                    tokens[-1][1] += text
                else:
                    tokens.append(["text", text])
            elif kind == "StartTag":
                tokens.append(["start", tok[1]])
            elif kind == "EndTag":
                tokens.append(["end", tok[1]])
        for state in t.get("initialStates", ["Data state"]):
            cases.append({
                "file": name,
                "index": i,
                "description": t["description"],
                "state": state,
                "last_start_tag": t.get("lastStartTag"),
                "input": inp,
                "tokens": tokens,
            })

os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, "tokens.json"), "w", encoding="utf-8") as f:
    f.write("[\n" + ",\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n]\n")
with open(os.path.join(src, "LICENSE"), encoding="utf-8") as lic:
    licence = lic.read()
with open(os.path.join(out_dir, "LICENSE"), "w", encoding="utf-8") as f:
    f.write("From html5lib-tests (https://github.com/html5lib/html5lib-tests), tokenizer/*.test,\n"
            "reduced by tools/vendor_html5lib.py to the character data and tag names.\n\n" + licence)
print(f"{len(cases)} cases")
