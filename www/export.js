// Exports of a report: the JSON as `wca analyze --json` prints it (key order kept),
// and a CSV of the summary figures and the six top lists.

/** The report as pretty JSON. */
export function toJson(report) {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * One CSV table, `list,rank,term,count`: the summary figures first (list `summary`,
 * the figure's name as the term), then `words`, `words_filtered`, `bigrams`,
 * `bigrams_filtered`, `trigrams` and `trigrams_filtered` (filtered: without
 * stopwords; a phrase is dropped when it starts or ends with one). RFC 4180 quoting; a field that
 * starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so that a spreadsheet
 * reads it as text, not as a formula (OWASP's CSV injection advice).
 */
export function toCsv(report) {
  const lines = [["list", "rank", "term", "count"]];
  const c = report.counts;
  const summary = {
    bytes: report.input.bytes,
    words: c.words,
    unique_words: c.unique_words,
    sentences: c.sentences,
    lines: c.lines,
    paragraphs: c.paragraphs,
    characters: c.characters,
    characters_no_spaces: c.characters_no_spaces,
    longest_sentence_words: c.longest_sentence ? c.longest_sentence.words : "",
    reading_seconds: report.time.reading_seconds,
    reading_seconds_slow: report.time.reading_seconds_slow,
    reading_seconds_fast: report.time.reading_seconds_fast,
    speaking_seconds: report.time.speaking_seconds,
    language: report.language ? report.language.code : "",
    language_given: report.language ? report.language.given : "",
  };
  // Every readability index and its counts, by their report names; counts the
  // summary already has under that name (words, sentences) as readability_…
  for (const [name, value] of Object.entries(report.readability)) {
    if (name === "unavailable_reason") continue;
    summary[name in summary ? `readability_${name}` : name] = value ?? "";
  }
  for (const [name, value] of Object.entries(summary)) lines.push(["summary", "", name, value]);
  const f = report.frequencies;
  const lists = [
    ["words", f.words.top],
    ["words_filtered", f.words.top_filtered],
    ["bigrams", f.bigrams.top],
    ["bigrams_filtered", f.bigrams.top_filtered],
    ["trigrams", f.trigrams.top],
    ["trigrams_filtered", f.trigrams.top_filtered],
  ];
  for (const [list, terms] of lists) {
    terms.forEach((t, i) => lines.push([list, i + 1, t.term, t.count]));
  }
  return lines.map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

function csvField(value) {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Offers `text` as a download named `name`. */
export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
