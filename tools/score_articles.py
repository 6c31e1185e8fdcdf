#!/usr/bin/env python3
"""Article extraction scored as the public benchmarks score it, independently of the
Rust harness: the `\w+` tokens of the text, case-folded, as 4-word shingles and as a
bag of words, F1 per page against the labelled article, averaged over the pages.

Runs `wca text --main-only` (the real decoding path), the whole page, trafilatura and
readability-lxml on Mozilla Readability's 130 test pages. Needs `trafilatura` and
`readability-lxml` (pip) and a built wca:

    python3 -m venv /tmp/tv && /tmp/tv/bin/pip install trafilatura readability-lxml
    cargo build --release -p wca
    /tmp/tv/bin/python tools/score_articles.py [--worst]
"""
import collections
import os
import re
import subprocess
import sys
import lxml.html
import trafilatura
from readability import Document

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "tests", "data", "readability")
WCA = os.environ.get("WCA", os.path.join(HERE, "..", "target", "release", "wca"))
tok = lambda t: re.findall(r"\w+", t.lower())

def shingles(t):
    if len(t) < 4:
        return collections.Counter([" ".join(t)] if t else [])
    return collections.Counter(" ".join(t[i:i+4]) for i in range(len(t) - 3))

def f1(got, want):
    g, w = sum(got.values()), sum(want.values())
    if g == 0 and w == 0: return 1.0
    c = sum((got & want).values())
    if c == 0: return 0.0
    p, r = c / g, c / w
    return 2 * p * r / (p + r)

def text_of(html):
    if not html.strip(): return ""
    doc = lxml.html.fromstring(html)
    for bad in doc.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    return " ".join(doc.itertext())

pages = sorted(d for d in os.listdir(ROOT) if os.path.isfile(os.path.join(ROOT, d, "source.html")))
res = collections.defaultdict(list)
for p in pages:
    src = open(os.path.join(ROOT, p, "source.html"), "rb").read()
    want = tok(text_of(open(os.path.join(ROOT, p, "expected.html"), encoding="utf-8").read()))
    W = shingles(want); Wb = collections.Counter(want)
    outs = {}
    outs["wca --main-only"] = subprocess.run([WCA, "text", "--main-only", "--format", "html", "-"], input=src, capture_output=True).stdout.decode("utf-8", "replace")
    outs["wca whole page"] = subprocess.run([WCA, "text", "--format", "html", "-"], input=src, capture_output=True).stdout.decode("utf-8", "replace")
    try: outs["trafilatura"] = trafilatura.extract(src.decode("utf-8", "replace"), favor_recall=False) or ""
    except Exception: outs["trafilatura"] = ""
    try: outs["readability-lxml"] = text_of(Document(src.decode("utf-8", "replace")).summary())
    except Exception: outs["readability-lxml"] = ""
    for k, v in outs.items():
        t = tok(v)
        res[k].append((f1(shingles(t), W), f1(collections.Counter(t), Wb), p))
print(f"trafilatura {trafilatura.__version__}")
for k, v in res.items():
    n = len(v)
    print(f"{k:22s} shingles {sum(x[0] for x in v)/n:.3f}  words {sum(x[1] for x in v)/n:.3f}  pages {n}  below 0.9: {sum(1 for x in v if x[0] < 0.9)}")
if "--worst" in sys.argv:
    for x in sorted(res["wca --main-only"])[:15]: print(x)
