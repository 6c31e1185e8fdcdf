// The web page in headless Chromium against a real `wca serve` (port 0), with a
// fixture web server on 127.0.0.1 as the upstream of the fetch proxy. Every expected
// figure comes from `wca analyze --json` run on the same bytes, never from a
// hard-coded number. `cargo xtask test` runs this (xtask/src/browser.rs); alone:
// `npm ci && npm test` here, after `cargo xtask wasm`, copying crates/wasm/pkg to www/pkg
// and `cargo build -p wca-server`.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "../..");
const WCA = process.env.WCA || join(ROOT, "target/debug/wca");
const WWW = process.env.WCA_WWW || join(ROOT, "www");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARTIFACTS = process.env.ARTIFACTS || join(ROOT, "target/browser");
const FIXTURES = join(HERE, "fixtures");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const TIMEOUT = 60_000;

// ---- oracles and servers -----------------------------------------------------

/** `wca analyze --json ARGS` on `input` (stdin) or on the files in ARGS. */
function analyzeJson(args, input) {
  // The page counts three-word phrases unless told not to.
  const run = spawnSync(WCA, ["analyze", "--json", "--trigrams", ...args], {
    input, maxBuffer: 256 << 20, encoding: "utf8",
  });
  assert.equal(run.status, 0, `wca analyze failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** Starts `wca serve` on port 0 and reads its address from the line it prints. */
/** The operator's token the main server is started with. */
const ADMIN_TOKEN = "operator-token-for-the-page-tests";

async function startWca(extra = []) {
  const help = spawnSync(WCA, ["serve", "--help"], { encoding: "utf8" }).stdout;
  // The fixture upstream is on loopback, which the fetch proxy refuses unless allowed.
  const allow = help.includes("--allow-net") ? ["--allow-net", "127.0.0.1/32", "--allow-port", "any"] : [];
  const proc = spawn(WCA, ["serve", "--bind", "127.0.0.1:0", "--www", WWW, ...allow, ...extra], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wca serve printed no address:\n${log}`)), 20_000);
    proc.stderr.on("data", (d) => {
      log += d;
      // Only a whole line: a chunk can end inside the port number.
      const m = log.match(/wca: serving .* at (http:\/\/[^\s]+)\r?\n/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on("exit", (code) => reject(new Error(`wca serve exited (${code}):\n${log}`)));
  });
  return { base, proc, hasAllowNet: allow.length > 0, help };
}

/** The upstream the proxy fetches from: fixture pages, a slow page, a stream. */
async function startFixtures() {
  const state = { slowClosed: false };
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/page.html") {
      // Sent in four parts 250 ms apart, with its length, so the page has progress
      // to show and a percentage to compute.
      const body = readFileSync(join(FIXTURES, "page.html"));
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": body.length });
      const parts = 4;
      const size = Math.ceil(body.length / parts);
      let i = 0;
      const next = () => {
        if (i >= parts) return res.end();
        res.write(body.subarray(i * size, (i + 1) * size));
        i += 1;
        setTimeout(next, 250);
      };
      next();
    } else if (path === "/xss.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(readFileSync(join(FIXTURES, "xss.html")));
    } else if (path === "/chunked.html") {
      // The same page without a length (chunked): a proxy can only cut it at its cap.
      const body = readFileSync(join(FIXTURES, "page.html"));
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.write(body.subarray(0, 700));
      setTimeout(() => res.end(body.subarray(700)), 100);
    } else if (path === "/redirect") {
      res.writeHead(302, { location: "/page.html" });
      res.end();
    } else if (path === "/slow.txt") {
      // 64 KiB every 20 ms, up to 64 MiB, no length: cancelled long before the end.
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      const chunk = Buffer.from("slow words arrive one after another\n".repeat(1820));
      let sent = 0;
      const timer = setInterval(() => {
        if (sent >= 1024) {
          clearInterval(timer);
          res.end();
          return;
        }
        sent += 1;
        res.write(chunk);
      }, 20);
      res.on("close", () => {
        clearInterval(timer);
        if (sent < 1024) state.slowClosed = true;
      });
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, state, base: `http://127.0.0.1:${server.address().port}` };
}

// ---- page helpers ------------------------------------------------------------

let wca;
let upstream;
let browser;

/**
 * A fresh page with everything that must not happen recorded: dialogs (a payload
 * that ran), uncaught errors and CSP violations (inline script or style).
 */
async function openPage({ width = 1280, height = 900, colorScheme = "light", url = "/", server = wca } = {}) {
  const context = await browser.newContext({
    viewport: { width, height }, locale: "en-US", colorScheme, acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const trouble = { dialogs: [], errors: [], csp: [] };
  page.on("dialog", (d) => {
    trouble.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on("pageerror", (e) => trouble.errors.push(String(e)));
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) trouble.csp.push(m.text());
  });
  const pending = new Map();
  page.on("request", (r) => pending.set(r, `${r.method()} ${r.url()}`));
  page.on("requestfinished", (r) => pending.delete(r));
  page.on("requestfailed", (r) => pending.set(r, `${r.method()} ${r.url()} failed: ${r.failure()?.errorText}`));
  await page.goto(new URL(url, server.base).href);
  await page.waitForSelector("html[data-analyzer]", { state: "attached", timeout: 30_000 }).catch((e) => {
    throw new Error(`the analyzer did not start; requests not finished: ${[...pending.values()].join("; ")}\n${e.message}`);
  });
  assert.equal(await page.$eval("html", (el) => el.dataset.analyzer), "ready",
    await page.textContent("#analyzer-state"));
  page.trouble = trouble;
  return page;
}

async function closePage(page) {
  assert.deepEqual(page.trouble.dialogs, [], "no dialog opens");
  assert.deepEqual(page.trouble.errors, [], "no uncaught error in the page");
  assert.deepEqual(page.trouble.csp, [], "no Content-Security-Policy violation");
  await page.context().close();
}

/** Waits until the running analysis ends; returns its final state. */
async function settle(page) {
  await page.waitForFunction(() =>
    ["done", "error", "cancelled"].includes(document.getElementById("status").dataset.state));
  return page.$eval("#status", (el) => el.dataset.state);
}

async function expectDone(page) {
  const state = await settle(page);
  const error = await page.textContent("#error");
  assert.equal(state, "done", `analysis ended ${state}: ${error}`);
}

async function analyzeText(page, text) {
  await page.fill("#text", text);
  await page.click("#text-form button[type=submit]");
  await expectDone(page);
}

async function analyzeUrl(page, url) {
  await page.fill("#url", url);
  await page.click("#url-form button[type=submit]");
}

const digits = (s) => Number(String(s).replace(/[^\d]/g, ""));
const card = (page, field) => page.textContent(`#cards [data-field="${field}"] .value`);
const en1 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const en2 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
/** The readability panel's rows, in order: every index of the report. */
const INDEX_FIELDS = ["flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index",
  "coleman_liau_index", "automated_readability_index", "dale_chall", "linsear_write", "spache", "mcalpine_eflaw"];

/** The page's rule for durations, applied to the oracle's seconds. */
function duration(seconds) {
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${m} min`;
  return s ? `${m} min ${s} s` : `${m} min`;
}

/** Rows of a term table as [term, count]. */
function rows(page, box) {
  return page.$$eval(`${box} tbody tr`, (trs) => trs
    .filter((tr) => !tr.querySelector(".empty"))
    .map((tr) => [tr.cells[1].textContent, Number(tr.cells[2].textContent.replace(/[^\d]/g, ""))]));
}
const pairs = (terms) => terms.map((t) => [t.term, t.count]);

/** Clicks an export button and returns the downloaded text. */
async function exported(page, button) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  return readFileSync(await download.path(), "utf8");
}

/** The summary cards, the structure and the tables against the oracle's report. */
async function assertShows(page, expected) {
  const c = expected.counts;
  assert.equal(digits(await card(page, "words")), c.words, "words");
  assert.equal(digits(await card(page, "unique_words")), c.unique_words, "unique words");
  assert.equal(digits(await card(page, "sentences")), c.sentences, "sentences");
  assert.equal(await card(page, "reading_time"), duration(expected.time.reading_seconds), "reading time");
  assert.equal(await card(page, "speaking_time"), duration(expected.time.speaking_seconds), "speaking time");
  const ease = expected.readability.flesch_reading_ease;
  assert.equal(await card(page, "readability"), ease === null ? "—" : en1.format(ease), "readability");
  const rd = expected.readability;
  if (ease !== null && rd.formula_language !== "en") {
    // Another language's formulas: each one the report has, the Wiener ones joined.
    assert.match(await page.textContent('#cards [data-field="readability"] .note'), new RegExp(`for ${rd.formula_language}`));
    const shown = await page.$$eval("#readability-box tr[data-index]",
      (trs) => trs.map((tr) => [tr.dataset.index, tr.querySelector(".value").textContent]));
    const want = ["flesch_reading_ease", "fernandez_huerta", "szigriszt_pazos", "gutierrez_polini", "crawford", "gulpease_index", "gunning_fog"]
      .filter((f) => rd[f] !== null).map((f) => [f, en2.format(rd[f])]);
    if (rd.wiener_sachtextformel) want.push(["wiener_sachtextformel", rd.wiener_sachtextformel.map((v) => en2.format(v)).join(" / ")]);
    assert.deepEqual(shown, want, "the language's readability indices");
    assert.match(await page.textContent("#readability-components"), new RegExp(`${en1.format(rd.words).replace(".", "")} words`));
  } else if (ease !== null) {
    assert.match(await page.textContent('#cards [data-field="readability"] .note'), new RegExp(rd.grade_level));
    // The panel: every index, as the report has it, and the consensus grade.
    const shown = await page.$$eval("#readability-box tr[data-index]",
      (trs) => trs.map((tr) => [tr.dataset.index, tr.querySelector(".value").textContent]));
    assert.deepEqual(shown, INDEX_FIELDS.map((f) => [f, en2.format(rd[f])]), "readability indices");
    assert.match(await page.textContent("#readability-consensus"), new RegExp(`${rd.grade_level} \\(grade ${rd.text_standard},`));
    assert.match(await page.textContent("#readability-components"), new RegExp(`${en1.format(rd.words).replace(".", "")} words`));
  } else {
    assert.equal(await page.textContent("#readability-none"), rd.unavailable_reason, "why there is no readability");
  }
  assert.equal(await card(page, "language"), expected.language ? expected.language.name : "unknown", "language");
  const hidden = await page.isChecked("#hide-stopwords");
  const f = expected.frequencies;
  assert.deepEqual(await rows(page, "#words-box"), pairs(hidden ? f.words.top_filtered : f.words.top), "top words");
  assert.deepEqual(await rows(page, "#bigrams-box"), pairs(hidden ? f.bigrams.top_filtered : f.bigrams.top), "bigrams");
  const trigrams = hidden ? f.trigrams.top_filtered : f.trigrams.top;
  assert.deepEqual(await rows(page, "#trigrams-box"), pairs(trigrams), "three-word phrases");
  // Keyword density: each phrase's words as a share of all the words.
  const density = await page.$$eval("#trigrams-box tbody tr", (trs) => trs
    .filter((tr) => !tr.querySelector(".empty")).map((tr) => tr.cells[3].textContent));
  assert.deepEqual(density, trigrams.map((t) => `${en1.format((t.count * 3 * 100) / c.words)} %`), "phrase density");
  const bars = await page.$$eval("#chart-box svg .bar title", (ts) => ts.map((t) => t.textContent));
  const top = (hidden ? f.words.top_filtered : f.words.top).slice(0, 20).map((t) => `${t.term}: ${t.count}`);
  assert.deepEqual(bars, top, "the chart's bars");
}

/** The page-structure section against the oracle's `page.structure`. */
async function assertStructure(page, expected) {
  const st = expected.page.structure;
  assert.equal(await page.isVisible("#page-section"), true, "the structure section is shown");
  const fact = (field) => page.textContent(`#page-box [data-field="${field}"]`);
  assert.equal(await fact("title"), st.title ?? "none");
  assert.equal(await fact("description"), st.description ?? "none");
  assert.equal(await fact("canonical"), st.canonical ?? "none");
  assert.equal(await fact("author"), st.metadata.author ?? "none");
  assert.equal(await fact("site_name"), st.metadata.site_name ?? "none");
  const check = (field) => page.textContent(`#checks [data-field="${field}"]`);
  assert.match(await check("h1"), new RegExp(`^(ok|check) ${st.checks.h1} h1 heading`));
  assert.match(await check("title_chars"), new RegExp(`Title: ${st.checks.title_chars} characters`));
  const outline = await page.$$eval("#outline li", (lis) =>
    lis.map((li) => ({ level: Number(li.dataset.level), text: li.textContent.replace(/^h\d /, "") })));
  assert.deepEqual(outline, st.headings, "heading outline");
  for (const key of ["total", "internal", "external", "other", "nofollow"]) {
    assert.equal(digits(await fact(`links.${key}`)), st.links[key], `links.${key}`);
  }
  for (const key of ["total", "missing_alt", "empty_alt", "alt_words"]) {
    assert.equal(digits(await fact(`images.${key}`)), st.images[key], `images.${key}`);
  }
  const samples = await page.$$eval("#alt-samples li", (lis) => lis.map((li) => li.textContent));
  assert.deepEqual(samples, st.images.alt_samples, "alt text samples");
}

/** The proxy's own error message for `url`, as the page words it. */
async function serverMessage(server, url) {
  const response = await fetch(`${server.base}/api/fetch?url=${encodeURIComponent(url)}`);
  assert.ok(response.status >= 400, `the proxy answered ${response.status} for ${url}`);
  const { message } = await response.json();
  assert.ok(message, "the error has a message");
  return `${message.charAt(0).toUpperCase()}${message.slice(1).replace(/\.$/, "")}.`;
}

/** The oracle for a page the proxy fetched: what the page passes to the analyzer. */
function urlOracle(file, { url, contentType, extra = [] }) {
  const charset = /charset=([^;\s]+)/i.exec(contentType)?.[1];
  return analyzeJson([
    "--format", /html/.test(contentType) ? "html" : "text", ...(charset ? ["--charset", charset] : []),
    "--base-url", url, ...extra, file,
  ]);
}

// ---- the tests ---------------------------------------------------------------

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  upstream = await startFixtures();
  wca = await startWca(["--admin-token", ADMIN_TOKEN]);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  wca?.proc.kill();
  upstream?.server.close();
  upstream?.server.closeAllConnections?.();
});

describe("paste", () => {
  test("a chosen language replaces the guess, in the report and the readability panel", async () => {
    const page = await openPage();
    const text = readFileSync(join(ROOT, "tests/data/prose/02_news_council.txt"), "utf8");
    await page.fill("#text", text);
    const actual = await page.inputValue("#text");
    await page.click("#options summary");
    await page.selectOption("#opt-language", "fr");
    await analyzeText(page, actual);
    const expected = analyzeJson(["--language", "fr", "-"], actual);
    assert.equal(expected.language.given, true);
    await assertShows(page, expected);
    assert.match(await page.textContent('#cards [data-field="language"] .note'), /fr, as given/);
    // French formulas: Kandel–Moles's Flesch only, French syllables fetched for it.
    assert.deepEqual(await page.$$eval("#readability-box tr[data-index]", (trs) => trs.map((tr) => tr.dataset.index)), ["flesch_reading_ease"]);
    // Back to the guess: English, and every index.
    await page.selectOption("#opt-language", "");
    await analyzeText(page, actual);
    await assertShows(page, analyzeJson(["-"], actual));
    await closePage(page);
  });

  test("counts equal wca analyze --json, by keyboard, with no network request", async () => {
    const page = await openPage();
    const text = `${readFileSync(join(ROOT, "tests/data/prose/01_narrative_lighthouse.txt"), "utf8")}
Café naïve — “quoted” words, Dr. Smith’s e.g. notes. 東京は大きい。 The end!`;
    await page.fill("#text", text);
    // The oracle reads exactly what the page analyzes (a textarea normalizes newlines).
    const actual = await page.inputValue("#text");
    const expected = analyzeJson(["-"], actual);

    const requests = [];
    page.on("request", (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    // Keyboard: from the text area, Tab reaches its Analyze button, Enter runs it.
    await page.focus("#text");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "Analyze text");
    await page.keyboard.press("Enter");
    await expectDone(page);
    // The health panel polls GET /api/metrics on its own clock; nothing else may go
    // out. The address test shows this listener does see the worker's requests.
    assert.deepEqual(requests.filter((r) => r !== "GET /api/metrics"), [],
      "analyzing pasted text makes no network request");

    assert.ok((await page.textContent("#status"))
      .startsWith(`Done: ${expected.counts.words.toLocaleString("en-US")} words in the pasted text, `));
    await assertShows(page, expected);
    assert.equal(await page.isVisible("#page-section"), false, "no structure for text");
    assert.equal(await page.isVisible("#approx"), false, "exact counts have no approximate badge");

    // Stopwords on, then a filter: the table follows, without a new analysis.
    await page.uncheck("#hide-stopwords");
    await assertShows(page, expected);
    await page.fill("#filter", "light");
    assert.deepEqual(await rows(page, "#words-box"),
      pairs(expected.frequencies.words.top.filter((t) => t.term.includes("light"))), "filtered words");
    assert.ok((await rows(page, "#words-box")).length > 0, "the filter finds something");
    await page.fill("#filter", "");

    const json = JSON.parse(await exported(page, "#export-json"));
    assert.deepEqual(json, expected, "the exported JSON is the report of wca analyze --json");
    const csv = (await exported(page, "#export-csv")).trim().split("\r\n").map((l) => l.split(","));
    assert.deepEqual(csv[0], ["list", "rank", "term", "count"]);
    assert.deepEqual(csv.filter((r) => r[0] === "words").map((r) => [r[2], Number(r[3])]),
      pairs(expected.frequencies.words.top), "CSV words");
    assert.ok(expected.frequencies.trigrams.top.length > 0, "the text has three-word phrases");
    assert.deepEqual(csv.filter((r) => r[0] === "trigrams").map((r) => [r[2], Number(r[3])]),
      pairs(expected.frequencies.trigrams.top), "CSV three-word phrases");
    assert.deepEqual(csv.filter((r) => r[0] === "summary" && r[2] === "words").map((r) => Number(r[3])),
      [expected.counts.words], "CSV summary");
    // Every readability index is in the CSV's summary too.
    for (const f of [...INDEX_FIELDS, "text_standard"]) {
      const row = csv.find((r) => r[0] === "summary" && r[2] === f);
      assert.ok(row, `CSV ${f}`);
      assert.equal(row[3], String(expected.readability[f] ?? ""), `CSV ${f}`);
    }
    await closePage(page);
  });

  test("past the exact budget: an approximate badge with the oracle's bounds", async () => {
    const page = await openPage();
    const words = Array.from({ length: 600 }, (_, i) => `w${i.toString(36)}x${(i * 7919) % 600}`);
    const text = `${words.join(" ")}. ${words.slice(0, 50).join(" ")}.`;
    await page.click("#options summary");
    await page.fill("#opt-budget", "40");
    await page.dispatchEvent("#opt-budget", "change");
    await analyzeText(page, text);
    const expected = analyzeJson(["--max-distinct", "40", "-"], await page.inputValue("#text"));
    assert.equal(expected.frequencies.words.exact, false, "the oracle is approximate too");
    assert.deepEqual(JSON.parse(await exported(page, "#export-json")), expected);
    const notice = await page.textContent("#approx");
    assert.match(notice, /approximate/i);
    assert.ok(notice.includes(`at most ${expected.frequencies.words.error_bound.toLocaleString("en-US")}`), notice);
    assert.match(await card(page, "unique_words"), /^≈ /);
    assert.match(page.url(), /budget=40/, "the fragment carries the setting");
    await closePage(page);
  });
});

describe("file", () => {
  test("a chosen file is streamed and analyzed in the browser", async () => {
    const page = await openPage();
    const requests = [];
    page.on("request", (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    const file = join(ROOT, "tests/data/multilingual/deu.txt");
    await page.setInputFiles("#file", file);
    await expectDone(page);
    // Nothing is sent; the page's own files (German's syllable data, fetched once
    // the text turns out German, for the scores below) are all that is loaded.
    assert.deepEqual(requests.filter((r) => r !== "GET /api/metrics" && !r.startsWith("GET /pkg/")), [], "a file never leaves the browser");
    const expected = analyzeJson([file]);
    assert.equal(expected.language.name, "German");
    assert.equal(expected.readability.formula_language, "de");
    await assertShows(page, expected);
    assert.deepEqual(JSON.parse(await exported(page, "#export-json")), expected);
    assert.match(await page.textContent("#source-line"), /deu\.txt/);

    // A dropped file takes the same path.
    const dropped = "Dropped files are read like chosen ones. Nothing is uploaded.";
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], "dropped.txt", { type: "text/plain" }));
      document.getElementById("drop").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    }, dropped);
    await page.waitForFunction(() => /dropped\.txt/.test(document.getElementById("status").textContent));
    await expectDone(page);
    assert.equal(digits(await card(page, "words")), analyzeJson(["-"], dropped).counts.words);

    // An HTML file: its type is the format hint, the structure is shown.
    const html = join(FIXTURES, "page.html");
    await page.setInputFiles("#file", html);
    await expectDone(page);
    const expectedHtml = analyzeJson([html]);
    await assertShows(page, expectedHtml);
    await assertStructure(page, expectedHtml);
    await closePage(page);
  });

  test("a large file can be cancelled mid-way, and the page stays usable", async () => {
    const dir = join(ARTIFACTS, "tmp");
    mkdirSync(dir, { recursive: true });
    const big = join(dir, "big.txt");
    const line = Buffer.from("Large inputs stream through the worker in chunks, and cancel stops them.\n");
    const out = createWriteStream(big);
    const block = Buffer.concat(Array(14_000).fill(line)); // about 1 MiB
    for (let i = 0; i < 256; i += 1) {
      if (!out.write(block)) await new Promise((r) => out.once("drain", r));
    }
    await new Promise((r) => out.end(r));
    try {
      const page = await openPage();
      await page.setInputFiles("#file", big);
      await page.waitForFunction(() => {
        const bar = document.getElementById("progress");
        return bar.value > 0 && bar.value < bar.max;
      });
      const progress = await page.textContent("#progress-text");
      assert.match(progress, /MiB of 2\d\d\.\d MiB \(\d+(\.\d)? %\)/, progress);
      await page.click("#cancel");
      assert.equal(await settle(page), "cancelled");
      assert.match(await page.textContent("#status"), /^Cancelled after .* of the file big\.txt\.$/);
      assert.equal(await page.isVisible("#progress-panel"), false);
      assert.equal(await page.isVisible("#results"), false, "no results from a cancelled run");
      await analyzeText(page, "Still here. Still working.");
      assert.equal(digits(await card(page, "words")), analyzeJson(["-"], "Still here. Still working.").counts.words);
      await closePage(page);
    } finally {
      rmSync(big, { force: true });
    }
  });
});

describe("address", () => {
  test("a page fetched through /api/fetch: progress, results and structure", async () => {
    assert.ok(wca.hasAllowNet, "wca serve has no --allow-net flag yet: the fetch proxy has not landed");
    const page = await openPage();
    const requests = [];
    page.on("request", (r) => requests.push(new URL(r.url()).pathname));
    const url = `${upstream.base}/page.html`;
    await analyzeUrl(page, url);
    // The fixture arrives in four parts with its length: the bar shows bytes and a percentage.
    await page.waitForFunction(() => /\d+ bytes of [\d.]+ (bytes|KiB) \(\d+(\.\d)? %\)/
      .test(document.getElementById("progress-text").textContent));
    await expectDone(page);
    assert.ok(requests.includes("/api/fetch"), "the worker's request is seen (and so would be any other)");
    const expected = urlOracle(join(FIXTURES, "page.html"), { url, contentType: "text/html; charset=utf-8" });
    await assertShows(page, expected);
    await assertStructure(page, expected);
    assert.deepEqual(JSON.parse(await exported(page, "#export-json")), expected);
    assert.match(page.url(), new RegExp(`#url=${encodeURIComponent(url).replace(/[.]/g, "\\.")}`));

    // Redirects: the final address is reported and is the base for link kinds.
    await analyzeUrl(page, `${upstream.base}/redirect`);
    await expectDone(page);
    assert.match(await page.textContent("#source-line"), /after redirects: http:\/\/127\.0\.0\.1:\d+\/page\.html/);

    // A busy server: its message and when to try again.
    await page.context().route("**/api/fetch?*", (route) => route.fulfill({
      status: 503, contentType: "application/json", headers: { "retry-after": "7" },
      body: JSON.stringify({ error: "busy", message: "the server is busy" }),
    }));
    await analyzeUrl(page, url);
    assert.equal(await settle(page), "error");
    assert.equal(await page.textContent("#error"), "The server is busy (try again in 7 s).");
    await page.context().unroute("**/api/fetch?*");

    // Errors are the server's message, not a crash.
    const missing = `${upstream.base}/missing`;
    await analyzeUrl(page, missing);
    assert.equal(await settle(page), "error");
    assert.equal(await page.textContent("#error"), await serverMessage(wca, missing));
    await analyzeUrl(page, "ftp://example.org/");
    assert.match(await page.textContent("#error"), /Only http and https/);

    // Screenshots of a full HTML report, wide, narrow and dark.
    await analyzeUrl(page, url);
    await expectDone(page);
    await page.screenshot({ path: join(ARTIFACTS, "results-desktop.png"), fullPage: true });
    await closePage(page);
  });

  test("the shareable link re-runs the analysis with its settings", async () => {
    assert.ok(wca.hasAllowNet, "wca serve has no --allow-net flag yet: the fetch proxy has not landed");
    const page = await openPage();
    const url = `${upstream.base}/page.html`;
    await page.click("#options summary");
    await page.fill("#opt-top", "5");
    await page.selectOption("#opt-fold", "none");
    await analyzeUrl(page, url);
    await expectDone(page);
    const link = await page.inputValue("#share-link");
    assert.match(link, /#.*top=5/);
    await closePage(page);

    const again = await openPage({ url: link });
    await expectDone(again);
    assert.equal(await again.inputValue("#opt-top"), "5");
    assert.equal(await again.inputValue("#opt-fold"), "none");
    assert.equal(await again.inputValue("#url"), url);
    const expected = urlOracle(join(FIXTURES, "page.html"), {
      url, contentType: "text/html; charset=utf-8", extra: ["--top", "5", "--fold", "none"],
    });
    await assertShows(again, expected);
    await closePage(again);
  });

  test("only the article: what was dropped, and the text as the analyzer read it", async () => {
    const page = await openPage();
    const url = `${upstream.base}/page.html`;
    const file = join(FIXTURES, "page.html");
    await page.click("#options summary");
    await page.check("#opt-main");
    await analyzeUrl(page, url);
    await expectDone(page);
    const expected = urlOracle(file, { url, contentType: "text/html; charset=utf-8", extra: ["--main-only"] });
    await assertShows(page, expected);
    const mc = expected.page.structure.main_content;
    const article = await page.textContent('#page-box [data-field="main_content"]');
    assert.match(article, new RegExp(`^${mc.kept} of ${mc.blocks} blocks kept`));
    const reasons = await page.$$eval("#dropped li", (lis) => lis.map((li) => li.dataset.reason));
    assert.deepEqual(reasons, mc.dropped.map((d) => d.reason));

    // The Text section reads the address again and shows `wca text`'s text, as text.
    await page.click("#text-show");
    await page.waitForSelector("#text-box:not([hidden])");
    const text = spawnSync(WCA, ["text", "--main-only", "--format", "html", "--charset", "utf-8", file], { encoding: "utf8" });
    assert.equal(text.status, 0, text.stderr);
    assert.equal(await page.textContent("#text-box"), text.stdout);
    assert.equal(await exported(page, "#text-download"), text.stdout);
    await closePage(page);
  });

  test("a body cut at the server's cap says so", async () => {
    assert.ok(wca.help.includes("--fetch-max-bytes"), "wca serve has no --fetch-max-bytes flag yet");
    const cap = 1000;
    const capped = await startWca(["--fetch-max-bytes", String(cap)]);
    try {
      const page = await openPage({ server: capped });
      // A declared length over the cap is refused up front: the server's message is shown.
      const tooLarge = `${upstream.base}/page.html`;
      await analyzeUrl(page, tooLarge);
      assert.equal(await settle(page), "error");
      assert.equal(await page.textContent("#error"), await serverMessage(capped, tooLarge));

      const url = `${upstream.base}/chunked.html`;
      await analyzeUrl(page, url);
      await expectDone(page);
      const notice = await page.textContent("#truncated");
      assert.match(notice, /truncated/i);
      assert.ok(notice.includes(`cap of ${cap.toLocaleString("en-US")} bytes`), notice);
      // What was analyzed is exactly the first `cap` bytes.
      const dir = join(ARTIFACTS, "tmp");
      mkdirSync(dir, { recursive: true });
      const head = join(dir, "page-head.html");
      writeFileSync(head, readFileSync(join(FIXTURES, "page.html")).subarray(0, cap));
      const expected = urlOracle(head, { url, contentType: "text/html; charset=utf-8" });
      assert.equal(expected.input.bytes, cap);
      assert.deepEqual(JSON.parse(await exported(page, "#export-json")), expected);
      await closePage(page);
    } finally {
      capped.proc.kill();
    }
  });

  test("a slow address can be cancelled mid-way", async () => {
    assert.ok(wca.hasAllowNet, "wca serve has no --allow-net flag yet: the fetch proxy has not landed");
    const page = await openPage();
    const failed = [];
    page.on("requestfailed", (r) => failed.push(new URL(r.url()).pathname));
    await analyzeUrl(page, `${upstream.base}/slow.txt`);
    await page.waitForFunction(() => /[\d.]+ (KiB|MiB) so far/.test(document.getElementById("progress-text").textContent));
    await page.click("#cancel");
    assert.equal(await settle(page), "cancelled");
    assert.match(await page.textContent("#status"), /^Cancelled after/);
    assert.ok(failed.includes("/api/fetch"), "the browser aborted its request to the proxy");
    await analyzeText(page, "Usable again.");
    await closePage(page);
  });
});

describe("safety", () => {
  test("payloads in an analyzed page are shown as text and never run", async () => {
    // The core's XSS fixture as a file, and ours (payloads in every shown field)
    // through the proxy with the whitespace tokenizer, so terms carry markup too.
    const page = await openPage();
    const coreXss = join(ROOT, "tests/data/html/xss.html");
    await page.setInputFiles("#file", coreXss);
    await expectDone(page);
    await assertStructure(page, analyzeJson([coreXss]));
    assert.equal(await page.textContent('#page-box [data-field="title"]'), "<script>alert(1)</script>");
    await closePage(page);

    if (!wca.hasAllowNet) assert.fail("wca serve has no --allow-net flag yet: the fetch proxy has not landed");
    const url = `${upstream.base}/xss.html`;
    const xss = await openPage({ url: `/#tokenizer=whitespace&stopwords_shown=1&url=${encodeURIComponent(url)}` });
    await expectDone(xss);
    const expected = urlOracle(join(FIXTURES, "xss.html"), {
      url, contentType: "text/html; charset=utf-8", extra: ["--tokenizer", "whitespace"],
    });
    await assertShows(xss, expected);
    await assertStructure(xss, expected);
    assert.ok(expected.frequencies.words.top.some((t) => t.term.includes("<")), "terms carry markup");
    const found = await xss.evaluate(() => ({
      flag: window.__xss,
      active: document.querySelectorAll("main a, main img, main iframe, main object, main embed, main script").length,
      handlers: [...document.querySelectorAll("*")]
        .flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
      javascriptUrls: [...document.querySelectorAll("[href], [src]")]
        .filter((el) => /^\s*javascript:/i.test(el.getAttribute("href") || el.getAttribute("src"))).length,
      scripts: [...document.scripts].map((s) => new URL(s.src, location.href).pathname),
    }));
    assert.deepEqual(found, { flag: undefined, active: 0, handlers: [], javascriptUrls: 0, scripts: ["/app.js"] });
    await closePage(xss);
  });
});

describe("server panels", () => {
  test("history is private: the operator lists everything, a browser what it opened; a 503 is a message", async () => {
    const text = "History keeps what the server analyzed. The server analyzed this.";
    const posted = await fetch(`${wca.base}/api/analyze`, {
      method: "POST", body: text, headers: { "content-type": "text/plain" },
    });
    assert.equal(posted.status, 200);
    const report = await posted.json();
    const id = /\/api\/analyses\/([0-9a-f]{32})$/.exec(posted.headers.get("location"))[1];

    // Without the token, a browser that opened nothing lists nothing.
    const page = await openPage();
    await page.waitForFunction(() => /in this browser/.test(document.getElementById("history-message").textContent));
    assert.equal(await page.$$eval("#history-list li", (lis) => lis.length), 0);
    // With it, everything.
    await page.fill("#history-token", ADMIN_TOKEN);
    await page.dispatchEvent("#history-token", "change");
    const item = page.locator(`#history-list button[data-id="${id}"]`);
    await item.waitFor();
    await item.click();
    await page.waitForFunction((n) => document.getElementById("source-line").textContent.includes(n.slice(0, 8)), id);
    assert.equal(digits(await card(page, "words")), report.counts.words);
    assert.deepEqual(await rows(page, "#words-box"), pairs(report.frequencies.words.top_filtered));

    // An analysis of an address the server fetched: listed by title, shown with its URL.
    const url = `${upstream.base}/page.html`;
    const fetched = await fetch(`${wca.base}/api/analyze`, {
      method: "POST", body: JSON.stringify({ url }), headers: { "content-type": "application/json" },
    });
    assert.equal(fetched.status, 200);
    const pageReport = await fetched.json();
    const pageId = /\/api\/analyses\/([0-9a-f]{32})$/.exec(fetched.headers.get("location"))[1];
    await page.click("#history-refresh");
    const listed = page.locator(`#history-list button[data-id="${pageId}"]`);
    await listed.waitFor();
    assert.match(await listed.textContent(), new RegExp(pageReport.page.structure.title.replace(/'/g, ".")));
    await listed.click();
    await page.waitForFunction((n) => document.getElementById("source-line").textContent.includes(n.slice(0, 8)), pageId);
    assert.ok((await page.textContent("#source-line")).includes(pageReport.input.url), "the report's URL is shown");
    await assertShows(page, pageReport);
    await assertStructure(page, pageReport);
    // Without the token, the browser still lists the two it opened, and only those.
    await page.fill("#history-token", "");
    await page.dispatchEvent("#history-token", "change");
    await page.waitForFunction(() => /2 analyses opened in this browser/.test(document.getElementById("history-message").textContent));
    assert.deepEqual(
      (await page.$$eval("#history-list button", (bs) => bs.map((b) => b.dataset.id))).sort(),
      [id, pageId].sort(),
    );
    await closePage(page);

    // The database is down (nothing listens on port 1): the server answers 503
    // database_unavailable, and the page says so and goes on working.
    assert.ok(wca.help.includes("--database-url"), "wca serve has no --database-url flag yet");
    const down = await startWca(["--database-url", "postgres://wca@127.0.0.1:1/wca", "--db-connect-timeout", "1"]);
    try {
      const answer = await fetch(`${down.base}/api/analyses?ids=${id}`);
      assert.equal(answer.status, 503);
      const body = await answer.json();
      assert.equal(body.error, "database_unavailable");
      const p = await openPage({ server: down });
      await p.waitForFunction(() => /unavailable/.test(document.getElementById("history-message").textContent));
      assert.equal(await p.textContent("#history-message"), `History is unavailable for now: ${body.message}`);
      assert.equal(await p.$$eval("#history-list li", (lis) => lis.length), 0);
      await analyzeText(p, "The page still works.");
      await closePage(p);
    } finally {
      down.proc.kill();
    }
  });

  test("health shows the server's figures as sparklines", async () => {
    const page = await openPage();
    // Two polls give a CPU figure and a line.
    await page.waitForSelector('[data-series="rss"] polyline', { state: "attached", timeout: 15_000 });
    const rss = await page.textContent('[data-series="rss"] .value');
    assert.match(rss, /^[\d.]+ (KiB|MiB|GiB)$/);
    const snapshot = await (await fetch(`${wca.base}/api/metrics`)).json();
    const mib = snapshot.process.resident_memory_bytes / 2 ** 20;
    const shown = Number(rss.split(" ")[0]) * (rss.endsWith("GiB") ? 1024 : rss.endsWith("KiB") ? 1 / 1024 : 1);
    assert.ok(Math.abs(shown - mib) < Math.max(64, mib), `RSS ${rss} is about ${mib.toFixed(1)} MiB`);
    assert.match(await page.textContent('[data-series="cpu"] .value'), /^[\d.]+ %$/);
    if (snapshot.process.open_fds !== null && snapshot.process.open_fds !== undefined) {
      assert.match(await page.textContent('[data-series="fds"] .value'), /^\d+$/);
    }
    const cache = await page.textContent('[data-series="cache"] .value');
    assert.ok(snapshot.cache ? /^\d[\d,]*$/.test(cache) : cache === "not reported", `cache: ${cache}`);
    await closePage(page);
  });
});

describe("layout and accessibility", () => {
  for (const colorScheme of ["light", "dark"]) {
    test(`results at 375 px and on a desktop, ${colorScheme}: no overflow, no axe violations`, async () => {
      const text = readFileSync(join(ROOT, "tests/data/prose/02_news_council.txt"), "utf8");
      for (const width of [1280, 375]) {
        const page = await openPage({ width, height: 800, colorScheme });
        await analyzeText(page, text);
        if (wca.hasAllowNet) {
          await analyzeUrl(page, `${upstream.base}/page.html`);
          await expectDone(page);
        }
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page is ${overflow} px wider than ${width} px`);
        await page.screenshot({ path: join(ARTIFACTS, `results-${width}-${colorScheme}.png`), fullPage: true });
        await page.evaluate(AXE);
        const violations = await page.evaluate(async () => {
          const result = await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] });
          return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
        });
        assert.deepEqual(violations, [], "axe-core finds no WCAG 2.1 AA violation");
        await closePage(page);
      }
    });
  }
});
