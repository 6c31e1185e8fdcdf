#!/usr/bin/env python3
"""Writes tests/data/textstat/expected.json: textstat 0.7.13's own figures for the
prose fixtures and the English UDHR, which crates/core/tests/readability.rs checks
wca against. Set up as for agreement.py (its docstring), then:

    target/textstat-venv/bin/python tools/textstat/expected.py
"""

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import agreement  # noqa: E402  (for ensure_cmudict and the index names)

ROOT = agreement.ROOT


def main():
    agreement.ensure_cmudict()
    import textstat

    files = sorted((ROOT / "tests/data/prose").glob("*.txt"))
    files.append(ROOT / "tests/data/multilingual/eng.txt")
    out = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        figures = {key: getattr(textstat, fn)(text) for key, fn, _ in agreement.INDICES
                   if fn != "text_standard"}
        figures["text_standard"] = textstat.text_standard(text, float_output=True)
        figures["words"] = textstat.lexicon_count(text)
        figures["sentences"] = textstat.sentence_count(text)
        figures["syllables"] = textstat.syllable_count(text)
        out[str(path.relative_to(ROOT / "tests/data"))] = figures
    target = ROOT / "tests/data/textstat/expected.json"
    target.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"{target}: {len(out)} texts")


if __name__ == "__main__":
    main()
