// A report (the JSON of `wca analyze --json`) as the results section: summary cards,
// top words (table and bar chart), bigrams, the page's structure and the details.
// Every string from the analyzed input goes in as text (see dom.js).

import { fmt, h, replace, s } from "./dom.js";

/** How many bars the chart shows; the table holds the whole list. */
const CHART_BARS = 20;

/** Flesch Reading Ease bands (Flesch 1948). */
function easeLabel(score) {
  if (score >= 90) return "very easy";
  if (score >= 80) return "easy";
  if (score >= 70) return "fairly easy";
  if (score >= 60) return "plain English";
  if (score >= 50) return "fairly difficult";
  if (score >= 30) return "difficult";
  return "very difficult";
}

/** A US school grade in words, as grade-level indices are read. */
export function gradeWords(grade) {
  const g = Math.round(grade);
  if (g <= 0) return "kindergarten";
  if (g > 16) return "postgraduate";
  if (g > 12) return "college";
  const suffix = g === 1 ? "st" : g === 2 ? "nd" : g === 3 ? "rd" : "th";
  return `${g}${suffix} grade`;
}

/** Dale–Chall's bands (Dale and Chall 1995, as textstat documents them). */
function daleChallWords(score) {
  if (score < 5) return "4th grade or lower";
  if (score < 6) return "5th–6th grade";
  if (score < 7) return "7th–8th grade";
  if (score < 8) return "9th–10th grade";
  if (score < 9) return "11th–12th grade";
  return "college";
}

/** Every index of the report: [field, name, reading of the score, what it measures]. */
const INDICES = [
  ["flesch_reading_ease", "Flesch Reading Ease", easeLabel, "words per sentence and syllables per word; higher is easier"],
  ["flesch_kincaid_grade", "Flesch–Kincaid grade", gradeWords, "the same counts, as a grade"],
  ["gunning_fog", "Gunning Fog", gradeWords, "sentence length and words of three syllables or more"],
  ["smog_index", "SMOG", gradeWords, "words of three syllables or more per sentence"],
  ["coleman_liau_index", "Coleman–Liau", gradeWords, "letters and sentences per hundred words"],
  ["automated_readability_index", "Automated Readability Index", gradeWords, "characters per word and words per sentence"],
  ["dale_chall", "Dale–Chall", daleChallWords, "words not on the list of 2,941 easy words"],
  ["linsear_write", "Linsear Write", gradeWords, "the first hundred words: easy and hard ones per sentence"],
  ["spache", "Spache", gradeWords, "for primary-school texts: sentence length and unfamiliar words"],
  ["mcalpine_eflaw", "McAlpine EFLAW", (v) => (v <= 20 ? "easy for learners of English" : v <= 25 ? "quite easy" : v <= 29 ? "mildly difficult" : "very confusing"), "words and mini-words (three letters or fewer) per sentence"],
];

/**
 * The readability panel: the consensus grade, every index with its reading, and
 * the counts they are made from; or why there is none. Rows carry `data-index`.
 */
export function readabilityPanel(report) {
  const r = report.readability;
  if (r.flesch_reading_ease != null && r.text_standard == null) return languagePanel(r);
  if (r.text_standard === null || r.text_standard === undefined) {
    return [h("p", { class: "muted", id: "readability-none" }, r.unavailable_reason || "Readability was not computed.")];
  }
  const rows = INDICES.map(([field, name, reading, what]) =>
    h("tr", { "data-index": field },
      h("th", { scope: "row" }, name),
      h("td", { class: "num value" }, fmt.dec2(r[field])),
      h("td", {}, reading(r[field])),
      h("td", { class: "muted" }, what)));
  const consensus = h("p", { class: "consensus", id: "readability-consensus" },
    "Consensus: ", h("strong", {}, r.grade_level), ` (grade ${fmt.int(r.text_standard)}, the grade most of the indices point to).`);
  const parts = [
    ["words", r.words], ["sentences", r.sentences], ["syllables", r.syllables],
    ["polysyllables", r.polysyllables], ["difficult words", r.difficult_words],
    ["letters", r.letters], ["characters", r.characters],
  ];
  return [consensus,
    indexTable("Readability indices (textstat's definitions)", ["Reads as", "Measures"], rows),
    components(parts, `syllables ${fmt.dec2(r.syllables / r.words)} per word`)];
}

/** The indices table, in its scrollable region: Index, Score, then `columns`. */
function indexTable(caption, columns, rows) {
  const table = h("table", { class: "indices" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Index"),
      h("th", { scope: "col", class: "num" }, "Score"),
      columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows));
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Readability indices" }, table);
}

/** "From 120 words, 8 sentences, …": the counts the indices are made from. */
function components(parts, note) {
  return h("p", { class: "muted", id: "readability-components" },
    "From ", parts.map(([k, v]) => `${fmt.int(v)} ${k}`).join(", "),
    ` (as textstat counts them; ${note}).`);
}

// Another language's formulas, as textstat has them: [field, name, what it measures].
const LANGUAGE_INDICES = [
  ["flesch_reading_ease", "Flesch Reading Ease", "with the language's constants; higher is easier"],
  ["fernandez_huerta", "Fernández Huerta", "Flesch for Spanish; higher is easier"],
  ["szigriszt_pazos", "Szigriszt-Pazos", "perspicuity; higher is easier"],
  ["gutierrez_polini", "Gutiérrez de Polini", "comprehensibility from letters per word; higher is easier"],
  ["crawford", "Crawford", "school years needed"],
  ["gulpease_index", "Gulpease", "0 (hardest) to 100 (easiest)"],
  ["gunning_fog", "Gunning Fog", "grade, difficult words from four syllables"],
];

function languagePanel(r) {
  const row = (field, name, value, what) =>
    h("tr", { "data-index": field },
      h("th", { scope: "row" }, name),
      h("td", { class: "num value" }, value),
      h("td", { class: "muted" }, what));
  const rows = LANGUAGE_INDICES.filter(([field]) => r[field] != null)
    .map(([field, name, what]) => row(field, name, fmt.dec2(r[field]), what));
  if (r.wiener_sachtextformel) {
    rows.push(row("wiener_sachtextformel", "Wiener Sachtextformel 1–4",
      r.wiener_sachtextformel.map(fmt.dec2).join(" / "), "German school grade (4 to 15)"));
  }
  const parts = [
    ["words", r.words], ["sentences", r.sentences], ["syllables", r.syllables],
    ["polysyllables", r.polysyllables], ["monosyllables", r.monosyllables],
    ["long words", r.long_words], ["letters", r.letters],
  ];
  return [
    indexTable(`Readability indices for ${r.formula_language} (textstat's definitions)`, ["Measures"], rows),
    components(parts, "syllables from the language's hyphenation patterns"),
  ];
}

/** The summary cards. Each card's value is in `.value`, its key in `data-field`. */
export function cards(report) {
  const c = report.counts;
  const list = [];
  const card = (field, label, value, note) =>
    list.push(
      h("li", { class: "card stat", "data-field": field },
        h("span", { class: "label" }, label),
        h("span", { class: "value" }, value),
        note ? h("span", { class: "note" }, note) : null),
    );
  card("words", "Words", fmt.int(c.words));
  card(
    "unique_words",
    "Unique words",
    `${c.unique_words_exact ? "" : "≈ "}${fmt.int(c.unique_words)}`,
    c.unique_words_exact
      ? `type/token ${fmt.dec2(c.type_token_ratio)}`
      : `estimate, ± ${fmt.percent(c.unique_words_error)}`,
  );
  card("sentences", "Sentences", report.settings.statistics ? fmt.int(c.sentences) : "—");
  const t = report.time;
  card("reading_time", "Reading time", fmt.duration(t.reading_seconds),
    `at ${t.reading_wpm} words/min; slow (${t.slow_wpm}) ${fmt.duration(t.reading_seconds_slow)}, fast (${t.fast_wpm}) ${fmt.duration(t.reading_seconds_fast)}`);
  card("speaking_time", "Speaking time", fmt.duration(report.time.speaking_seconds),
    `at ${report.time.speaking_wpm} words/min`);
  const r = report.readability;
  if (r.flesch_reading_ease !== null && r.flesch_reading_ease !== undefined) {
    card("readability", "Readability", fmt.dec(r.flesch_reading_ease),
      r.formula_language && r.formula_language !== "en"
        ? `Flesch Reading Ease for ${r.formula_language}`
        : `${easeLabel(r.flesch_reading_ease)}; ${r.grade_level || `grade ${fmt.dec(r.flesch_kincaid_grade)}`}`);
  } else {
    card("readability", "Readability", "—", r.unavailable_reason || "not computed");
  }
  const lang = report.language;
  card("language", "Language", lang ? lang.name : "unknown",
    lang ? (lang.given ? `${lang.code_639_1 || lang.code}, as given` : `${lang.code_639_1 || lang.code}, ${lang.reliable ? "confident" : "uncertain"} (${fmt.percent(lang.confidence)})${lang.from_main_content ? ", from the article" : ""}`) : "too little text to tell");
  return list;
}

/** The approximation notice, or null when every count is exact. */
export function approximation(report) {
  const w = report.frequencies.words;
  const b = report.frequencies.bigrams;
  const t = report.frequencies.trigrams;
  const c = report.counts;
  if (w.exact && b.exact && t.exact && c.unique_words_exact) return null;
  const parts = [];
  if (!w.exact) parts.push(`each word count may be low by at most ${fmt.int(w.error_bound)}`);
  if (!b.exact) parts.push(`each bigram count by at most ${fmt.int(b.error_bound)}`);
  if (!t.exact) parts.push(`each three-word phrase count by at most ${fmt.int(t.error_bound)}`);
  if (!c.unique_words_exact) parts.push(`unique words are an estimate within ± ${fmt.percent(c.unique_words_error)}`);
  return h("p", { class: "approx", id: "approx" },
    h("span", { class: "badge warn" }, "approximate"),
    ` The text outgrew the exact-counting budget (${fmt.int(report.settings.max_distinct)} distinct words): ${parts.join("; ")}.`);
}

/** Terms of a table after the stopword toggle and the filter. */
export function visibleTerms(table, { hideStopwords, filter }) {
  const list = hideStopwords ? table.top_filtered : table.top;
  const q = filter.trim().toLocaleLowerCase();
  return q ? list.filter((t) => t.term.toLocaleLowerCase().includes(q)) : list;
}

/**
 * A term table: rank, term, count, and its keyword density: the share of the text's
 * `words` that are occurrences of the term, each `n`-word phrase counting its `n`
 * words (count × n / words).
 */
export function termTable(terms, { caption, words, kind, n = 1 }) {
  const rows = terms.map((t, i) =>
    h("tr", {},
      h("td", { class: "num" }, String(i + 1)),
      h("td", { class: "term" }, t.term),
      h("td", { class: "num" }, fmt.int(t.count)),
      words ? h("td", { class: "num" }, fmt.percent((t.count * n) / words)) : null),
  );
  return h("table", { class: "terms", "data-kind": kind },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col", class: "num" }, "#"),
      h("th", { scope: "col" }, { bigrams: "Bigram", trigrams: "Phrase" }[kind] || "Word"),
      h("th", { scope: "col", class: "num" }, "Count"),
      words ? h("th", { scope: "col", class: "num", title: "Keyword density: the share of the words in these occurrences" }, "Density") : null)),
    h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: words ? 4 : 3, class: "empty" }, "No terms match."))));
}

/** A horizontal bar chart of the first terms, as SVG (text as text nodes). */
export function barChart(terms, label, available = 560) {
  const shown = terms.slice(0, CHART_BARS);
  const row = 22;
  // Drawn at the width it is shown at, so that its text stays at the page's size.
  const width = Math.round(Math.max(280, Math.min(640, available)));
  const labelWidth = width < 400 ? 100 : 130;
  const height = Math.max(row, shown.length * row) + 4;
  const max = Math.max(1, ...shown.map((t) => t.count));
  const svg = s("svg", {
    class: "chart",
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": `${label}: bar chart of the ${shown.length} most frequent; the table has the numbers.`,
    preserveAspectRatio: "xMinYMin meet",
  });
  shown.forEach((t, i) => {
    const y = i * row + 2;
    const barWidth = Math.max(1, ((width - labelWidth - 60) * t.count) / max);
    const chars = labelWidth < 130 ? 13 : 18;
    const term = t.term.length > chars ? `${t.term.slice(0, chars - 1)}…` : t.term;
    svg.append(
      s("text", { x: labelWidth - 6, y: y + 15, class: "bar-label", "text-anchor": "end" }, term),
      s("rect", { x: labelWidth, y: y + 3, width: barWidth.toFixed(1), height: row - 6, class: "bar", rx: 2 },
        s("title", {}, `${t.term}: ${t.count}`)),
      s("text", { x: labelWidth + barWidth + 6, y: y + 15, class: "bar-value" }, fmt.int(t.count)),
    );
  });
  if (!shown.length) {
    svg.append(s("text", { x: 4, y: 16, class: "bar-label" }, "No terms match."));
  }
  return svg;
}

/** The page-structure section's content, for HTML input. */
export function pageStructure(page) {
  const st = page.structure;
  const dl = h("dl", { class: "facts" });
  const fact = (field, term, value) => {
    dl.append(h("dt", {}, term), h("dd", { "data-field": field }, value ?? h("span", { class: "muted" }, "none")));
  };
  fact("title", "Title", st.title);
  fact("description", "Description", st.description);
  fact("lang", "Declared language", st.lang);
  // The canonical link is shown as text: an analyzed page never gets a clickable href.
  fact("canonical", "Canonical link", st.canonical);
  fact("main", "Marked main region", page.main_found
    ? `yes (${fmt.int(page.region_words.main)} words)`
    : "none");
  const mc = st.main_content;
  if (mc) {
    // Why each kind of block was left out, with the first words of the first one.
    const reasons = {
      outside_article: "outside the article",
      boilerplate: "page chrome (menus, comments, sidebars…)",
      widget: "widgets in the article",
      link_dense: "link lists and image blocks",
      duplicate: "the headline or byline",
    };
    const dropped = h("ul", { class: "samples", id: "dropped" }, mc.dropped.map((d) =>
      h("li", { "data-reason": d.reason }, `${fmt.int(d.blocks)} ${reasons[d.reason] || d.reason}: “${d.first_words}…”`)));
    fact("main_content", "Article", h("span", {},
      `${fmt.int(mc.kept)} of ${fmt.int(mc.blocks)} blocks kept, the only words counted`, dropped));
  }

  // Metadata, as text: values from the page are never markup or links here.
  const md = st.metadata;
  fact("author", "Author", md.author);
  fact("published", "Published", md.published);
  fact("modified", "Modified", md.modified);
  fact("site_name", "Site", md.site_name);
  fact("keywords", "Keywords", md.keywords.length ? md.keywords.join(", ") : null);
  fact("robots", "Robots", md.robots.content
    ? `${md.robots.content}${md.robots.noindex ? " (not indexed)" : ""}${md.robots.nofollow ? " (links not followed)" : ""}`
    : null);
  fact("alternates", "Other languages", md.alternates.length
    ? md.alternates.map((a) => a.hreflang).join(", ")
    : null);
  const ld = md.json_ld;
  fact("json_ld", "Schema.org", ld.types.length || ld.invalid
    ? `${ld.types.join(", ") || "no types"}${ld.headline ? ` — “${ld.headline}”` : ""}${ld.invalid ? ` (${fmt.int(ld.invalid)} script${ld.invalid === 1 ? "" : "s"} not read)` : ""}`
    : null);
  fact("social", "OpenGraph / Twitter", md.open_graph.length + md.twitter.length
    ? h("ul", { class: "samples", id: "social" }, [...md.open_graph, ...md.twitter]
      .map((p) => h("li", {}, `${p.property}: ${p.content}`)))
    : null);

  const ck = st.checks;
  const checks = h("ul", { class: "checks", id: "checks" });
  const check = (field, ok, text) => checks.append(h("li", { "data-field": field, "data-ok": String(ok) },
    h("span", { class: ok ? "badge" : "badge warn" }, ok ? "ok" : "check"), " ", text));
  check("title_chars", ck.title_chars > 0 && ck.title_chars <= 60,
    `Title: ${fmt.int(ck.title_chars)} characters (search results show about 60)`);
  check("description_chars", ck.description_chars >= 50 && ck.description_chars <= 160,
    `Description: ${fmt.int(ck.description_chars)} characters (about 50 to 160 show)`);
  check("h1", ck.h1 === 1, `${fmt.int(ck.h1)} h1 heading${ck.h1 === 1 ? "" : "s"} (one is best)`);
  check("skipped_heading_levels", ck.skipped_heading_levels.length === 0,
    ck.skipped_heading_levels.length
      ? `Heading levels skipped: ${ck.skipped_heading_levels.map((k) => `h${k.from}→h${k.to}`).join(", ")}`
      : "No heading level skipped");
  check("images_without_alt", ck.images_without_alt.length === 0,
    ck.images_without_alt.length
      ? `Images without alt text: ${ck.images_without_alt.slice(0, 5).map((s) => s || "(no src)").join(", ")}${ck.images_without_alt.length > 5 ? "…" : ""}`
      : "Every image has alt text");
  const domains = ck.external_domains.length
    ? h("ol", { class: "samples", id: "domains" }, ck.external_domains.slice(0, 10)
      .map((d) => h("li", {}, `${d.domain} (${fmt.int(d.links)})`)))
    : null;

  const outline = h("ol", { class: "outline", id: "outline" });
  for (const heading of st.headings) {
    outline.append(h("li", { class: `lvl lvl-${heading.level}`, "data-level": heading.level },
      h("span", { class: "badge" }, `h${heading.level}`), " ", heading.text));
  }
  const more = st.headings_total > st.headings.length
    ? h("p", { class: "muted" }, `and ${fmt.int(st.headings_total - st.headings.length)} more headings`)
    : null;

  const l = st.links;
  const links = h("dl", { class: "facts", id: "links" });
  for (const [field, label] of [["total", "All links"], ["internal", "Internal"], ["external", "External"],
    ["other", "Other (mailto:, javascript:, #…)"], ["nofollow", "nofollow"]]) {
    links.append(h("dt", {}, label), h("dd", { "data-field": `links.${field}` }, fmt.int(l[field])));
  }
  const im = st.images;
  const images = h("dl", { class: "facts", id: "images" });
  for (const [field, label] of [["total", "Images"], ["missing_alt", "Without alt text"],
    ["empty_alt", "With empty alt (decorative)"], ["alt_words", "Words in alt texts"]]) {
    images.append(h("dt", {}, label), h("dd", { "data-field": `images.${field}` }, fmt.int(im[field])));
  }
  const samples = im.alt_samples.length
    ? h("ul", { class: "samples", id: "alt-samples" }, im.alt_samples.map((a) => h("li", {}, a)))
    : null;
  const rw = page.region_words;
  const regions = h("dl", { class: "facts", id: "regions" });
  for (const key of ["main", "nav", "header", "footer", "aside"]) {
    regions.append(h("dt", {}, key), h("dd", { "data-field": `regions.${key}` }, fmt.int(rw[key])));
  }
  return [
    dl,
    h("h4", {}, "Checks"),
    checks,
    h("h4", {}, `Headings (${fmt.int(st.headings_total)})`),
    st.headings.length ? outline : h("p", { class: "muted" }, "No headings."),
    more,
    h("div", { class: "columns" },
      h("div", {}, h("h4", {}, "Links"), links,
        domains ? h("p", { class: "muted" }, "Most linked external domains:") : null, domains),
      h("div", {}, h("h4", {}, "Images"), images, samples ? h("p", { class: "muted" }, "Alt text samples:") : null, samples),
      h("div", {}, h("h4", {}, "Words by region"), regions)),
  ];
}

/** Everything else in the report, as a definition list. */
export function details(report) {
  const c = report.counts;
  const i = report.input;
  const rows = [
    ["Bytes", fmt.bytes(i.bytes)],
    ["Characters read", fmt.int(i.characters)],
    [i.format === "html" ? "Visible characters, with spaces" : "Characters, with spaces", fmt.int(c.characters)],
    ["Characters without spaces", fmt.int(c.characters_no_spaces)],
    ["Format", i.format],
    ["Encoding", `${i.encoding} (${i.encoding_source})`],
    ["Invalid byte sequences", fmt.int(i.invalid_sequences)],
    ["Lines", fmt.int(c.lines)],
    ["Paragraphs", fmt.int(c.paragraphs)],
    ["Average word length", `${fmt.dec2(c.average_word_length)} characters`],
    ["Average sentence length", `${fmt.dec2(c.average_sentence_length)} words`],
    ["Longest word", c.longest_word ? `${c.longest_word.word} (${fmt.int(c.longest_word.characters)} characters)` : "—"],
    ["Longest sentence", c.longest_sentence
      ? `${fmt.int(c.longest_sentence.words)} words: “${c.longest_sentence.first_words}${c.longest_sentence.words > c.longest_sentence.first_words.split(" ").length ? " …" : ""}”`
      : "—"],
    ["Words used once", c.hapax_legomena === null ? "— (approximate counts)" : fmt.int(c.hapax_legomena)],
    ["CJK characters", fmt.int(c.cjk_characters)],
    ["Thai characters", fmt.int(c.thai_characters)],
    ["Stopword list", report.frequencies.stopwords],
    ["Tokenizer, folding", `${report.settings.tokenizer}, ${report.settings.fold}`],
    ["Engine", `${report.engine.name} ${report.engine.version}`],
  ];
  const dl = h("dl", { class: "facts" });
  for (const [k, v] of rows) dl.append(h("dt", {}, k), h("dd", {}, v));
  return dl;
}

export { replace };
