// The packed npm package, installed into a fresh project, against the native CLI:
// `wca analyze --json` and the wasm report must be byte-identical (after the f64
// layout of serde-json.mjs) on every corpus, for random chunkings, through push and
// through analyzeStream. Then the same package in headless Chromium (browser.mjs).
//
// Env: WCA (the native binary), WCA_ROOT (the workspace), SEED (replay a chunking),
// CHROMEDRIVER (skip the browser part when unset), WEBPACK (webpack's entry file:
// also bundle the package and run the bundle in Chromium).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, extname, join } from "node:path";
import { Readable } from "node:stream";
import { Analyzer, TextExtractor, analyzeBytes, analyzeStream, analyzeText, extractText, hasSyllables, loadSyllables } from "web-content-analyzer";
import { plainDiffs, serdePretty } from "./serde-json.mjs";
import { browserTest } from "./browser.mjs";

const WCA = process.env.WCA;
const ROOT = process.env.WCA_ROOT;
assert.ok(WCA && ROOT, "set WCA and WCA_ROOT");
const seed = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`package test: SEED=${seed}`);

// mulberry32: a seeded generator, so a failing chunking can be replayed.
let state = seed >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
// Mostly small pieces (splitting words and UTF-8 sequences), sometimes large ones.
const chunkSize = () => (random() < 0.7 ? 1 + Math.floor(random() * 17) : 1 + Math.floor(random() * 65536));

// The package itself: what `files` and `types` promise is there.
const pkgDir = join("node_modules", "web-content-analyzer");
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
assert.equal(pkg.name, "web-content-analyzer");
assert.ok(pkg.version && pkg.license && pkg.types && pkg.files.length);
for (const f of pkg.files) f.endsWith("/") ? assert.ok(readdirSync(join(pkgDir, f)).length) : readFileSync(join(pkgDir, f));
const dts = readFileSync(join(pkgDir, "wca_wasm.d.ts"), "utf8");
assert.match(dts, /export interface Report/);
// The hand-written types keep up with the core: every option (as the unknown-field
// error lists them) and every report key must be declared.
const dtsSection = (name) => dts.slice(dts.indexOf(`export interface ${name} `)).split("\n}\n")[0];
try {
  analyzeText("", { no_such_option: 1 });
  assert.fail("an unknown option was accepted");
} catch (e) {
  const known = e.message.split("expected one of ")[1].split(", ");
  for (const f of known) assert.match(dtsSection("Options"), new RegExp(`\\b${f}\\?:`), `option ${f} missing from the .d.ts`);
}
const keys = (v, out = new Set()) => {
  if (Array.isArray(v)) v.forEach((x) => keys(x, out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) keys(x, out.add(k));
  return out;
};
const sample = analyzeText(
  '<html lang="en"><head><title>T</title><meta name="description" content="d"><link rel="canonical" href="/c"></head>' +
    '<body><header>h</header><nav><a href="/a">n</a></nav><main><h1>The cat</h1><img src="x.png" alt="a cat">' +
    "<p>The cat sat on the mat. The cat slept.</p></main><aside>s</aside><footer>f</footer></body></html>",
  { format: "html" },
);
for (const k of keys(sample)) assert.match(dts, new RegExp(`\\b${k}\\??:`), `report field ${k} missing from the .d.ts`);
assert.match(readFileSync(join(pkgDir, "README.md"), "utf8"), /analyzeStream/);

// Syllable data on demand: English is loaded on import, German only when a German
// text needs it. Before that, a German report says why it has no scores;
// analyzeStream loads it and then equals the CLI's.
assert.ok(hasSyllables("en") && !hasSyllables("de"));
assert.ok(readFileSync(join(pkgDir, "syllables/hyph_de.dic"), "utf8").startsWith("UTF-8\n"));
const german = join(ROOT, "tests/data/multilingual/deu.txt");
const early = analyzeBytes(readFileSync(german));
assert.equal(early.readability.flesch_reading_ease, null);
assert.match(early.readability.unavailable_reason, /syllable data for German is not installed/);
const onDemand = new Analyzer();
onDemand.push(readFileSync(german));
assert.equal(onDemand.formulaLanguage(), "de");
onDemand.finish();
let asked = [];
const germanReport = await analyzeStream(Readable.toWeb(createReadStream(german)), {
  loadSyllables: (l) => { asked.push(l); return loadSyllables(l); },
});
assert.deepEqual(asked, ["de"]);
assert.ok(hasSyllables("de"));
assert.equal(germanReport.readability.formula_language, "de");
assert.deepEqual(germanReport, JSON.parse(execFileSync(WCA, ["analyze", "--json", german], { encoding: "utf8" })));
await assert.rejects(loadSyllables("xx"), /no syllable data for language "xx"/);
// The other languages, so that every corpus below compares in full.
for (const l of ["es", "fr", "it", "nl", "pl", "ru"]) await loadSyllables(l);

// The corpora: the shared fixtures, plus HTML, invalid bytes and empty input.
const scratch = mkdtempSync(join(tmpdir(), "wca-corpus-"));
const extra = {
  "page.html":
    '<!doctype html><html><head><title>A page</title><meta charset="utf-8"></head><body>' +
    '<h1>Hello &amp; welcome</h1><p>Dr. Smith&rsquo;s caf&eacute; <a href="/x">opened</a> at 7 a.m.</p>' +
    '<script>var notCounted = "words";</script><p>The end.</p></body></html>',
  "invalid.bin": Buffer.from([0x61, 0x20, 0xff, 0xfe, 0x62, 0xe2, 0x82, 0x20, 0xc3, 0x28, 0x0a, 0x63]),
  "empty.txt": "",
  "numbers.txt": "1 2 3. 4.5 6,7 — 8!\n\n9?",
};
for (const [name, body] of Object.entries(extra)) writeFileSync(join(scratch, name), body);
const multilingual = join(ROOT, "tests/data/multilingual");
const html = join(ROOT, "tests/data/html");
const corpora = [
  ...readdirSync(multilingual).filter((f) => f.endsWith(".txt")).map((f) => join(multilingual, f)),
  ...readdirSync(html).filter((f) => f.endsWith(".html")).map((f) => join(html, f)),
  join(ROOT, "tests/data/countwords/kjvbible.txt"),
  ...Object.keys(extra).map((f) => join(scratch, f)),
];

// The CLI's flags and the same options for wasm. The CLI turns a file's extension
// into a Content-Type hint under --format auto; so does this.
const contentType = (file) =>
  ({ ".html": "text/html", ".htm": "text/html", ".txt": "text/plain", ".md": "text/plain" })[
    extname(file).toLowerCase()
  ] ?? null;
const optionSets = [
  { flags: [], options: {} },
  {
    flags: ["--tokenizer", "whitespace", "--fold", "ascii", "--top", "7", "--stopwords", "none"],
    options: { tokenizer: "whitespace", fold: "ascii", top: 7, stopwords: "none" },
  },
  {
    flags: ["--max-distinct", "16", "--top", "10", "--fold", "none", "--base-url", "https://example.org/blog/"],
    options: { max_distinct: 16, top: 10, fold: "none", base_url: "https://example.org/blog/" },
  },
];

const native = (file, flags) => execFileSync(WCA, ["analyze", "--json", ...flags, file], { encoding: "utf8", maxBuffer: 1 << 28 });
const seenPlainDiffs = new Set();
let checks = 0;
function same(report, expected, what) {
  const got = serdePretty(report) + "\n";
  if (got !== expected) {
    const a = got.split("\n"), b = expected.split("\n");
    const i = a.findIndex((l, i) => l !== b[i]);
    assert.fail(`${what}: differs from the CLI at line ${i + 1}:\n  cli:  ${b[i]}\n  wasm: ${a[i]}\n(replay with SEED=${seed})`);
  }
  // The value-level check needs no layout rule at all.
  assert.deepEqual(report, JSON.parse(expected), what);
  for (const d of plainDiffs(report, expected)) seenPlainDiffs.add(d.replace(/[-\d.e]+,?$/, "…").split(":")[0]);
  checks++;
}

for (const file of corpora) {
  const bytes = readFileSync(file);
  const sets = file.endsWith("kjvbible.txt") ? [optionSets[0], optionSets[2]] : optionSets;
  for (const { flags, options } of sets) {
    const o = { ...options, content_type: contentType(file) };
    const expected = native(file, flags);
    const what = `${basename(file)} ${flags.join(" ")}`;

    const a = new Analyzer(o);
    for (let at = 0; at < bytes.length; ) {
      const n = chunkSize();
      a.push(bytes.subarray(at, at + n));
      at += n;
    }
    same(a.finish(), expected, `${what} (push in random chunks)`);
    same(analyzeBytes(bytes, o), expected, `${what} (analyzeBytes)`);

    const stream = Readable.toWeb(createReadStream(file, { highWaterMark: chunkSize() }));
    let progressed = 0;
    const streamed = await analyzeStream(stream, { ...o, onProgress: (p) => (progressed = p.bytes) });
    same(streamed, expected, `${what} (analyzeStream)`);
    assert.equal(progressed, bytes.length);
  }
}
// The extracted text, whole page and main content, is `wca text`'s, for any chunking.
let texts = 0;
for (const file of corpora.filter((f) => f.endsWith(".html"))) {
  const bytes = readFileSync(file);
  for (const [flags, options] of [[[], {}], [["--main-only"], { main_content_only: true }]]) {
    const expected = execFileSync(WCA, ["text", ...flags, file], { encoding: "utf8", maxBuffer: 1 << 28 });
    const o = { ...options, content_type: contentType(file) };
    assert.equal(extractText(bytes, o), expected, `${basename(file)} ${flags} (extractText)`);
    const t = new TextExtractor(o);
    let got = "";
    for (let at = 0; at < bytes.length; ) {
      const n = chunkSize();
      got += t.push(bytes.subarray(at, at + n));
      at += n;
    }
    got += t.finish();
    assert.equal(got, expected, `${basename(file)} ${flags} (TextExtractor in random chunks, SEED=${seed})`);
    assert.throws(() => t.push("x"), (e) => e instanceof Error && /push after finish/.test(e.message));
    texts++;
  }
}
assert.ok(texts >= 4, "HTML corpora for the text check");
console.log(`package test: ${texts} texts identical to \`wca text\``);

// Strings in random UTF-16 pieces, surrogate pairs split and joined.
const udhr = readFileSync(join(multilingual, "cmn.txt"), "utf8") + " 👩‍👩‍👧 " + readFileSync(join(multilingual, "eng.txt"), "utf8");
const s = new Analyzer();
for (let at = 0; at < udhr.length; ) {
  const n = chunkSize();
  s.push(udhr.slice(at, at + n));
  at += n;
}
assert.deepEqual(s.finish(), analyzeText(udhr));
assert.throws(() => s.push("more"), (e) => e instanceof Error && /push after finish/.test(e.message));
assert.throws(() => analyzeText("x", { maxDistinct: 5 }), (e) => e instanceof Error && /`maxDistinct`/.test(e.message));

console.log(`package test: ${checks} reports byte-identical to \`wca analyze --json\` (${corpora.length} corpora)`);
console.log(`package test: fields where plain JSON.stringify differs (f64 layout only): ${[...seenPlainDiffs].sort().join(", ") || "none"}`);

// Speed, for the README: the King James Bible (4.3 MB) through analyzeBytes.
const kjv = readFileSync(join(ROOT, "tests/data/countwords/kjvbible.txt"));
analyzeBytes(kjv);
const t0 = performance.now();
const runs = 3;
for (let i = 0; i < runs; i++) analyzeBytes(kjv);
const ms = (performance.now() - t0) / runs;
console.log(`package test: wasm in Node ${process.version}: ${(kjv.length / ms / 1e3).toFixed(1)} MB/s on kjvbible.txt (${ms.toFixed(0)} ms)`);

if (process.env.CHROMEDRIVER) {
  await browserTest({ driver: process.env.CHROMEDRIVER, pkgDir, corpus: join(multilingual, "eng.txt"), expected: native(join(multilingual, "eng.txt"), []), webpack: process.env.WEBPACK });
} else {
  console.log("package test: CHROMEDRIVER unset, browser part skipped");
}
