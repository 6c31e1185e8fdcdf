// The page: sources (paste, file, address) in, the worker analyzes, the report out.
// The analyzer runs in worker.js so that the page stays responsive; this module only
// moves messages and draws.

import { fmt, h, replace } from "./dom.js";
import { download, toCsv, toJson } from "./export.js";
import { startHealth } from "./health.js";
import { startHistory } from "./history.js";
import { toWorker } from "./protocol.js";
import {
  approximation, barChart, cards, details, pageStructure, readabilityPanel, termTable, visibleTerms,
} from "./render.js";

const $ = (id) => document.getElementById(id);

/** How long a cancelled job may take to stop before its worker is replaced. */
const CANCEL_GRACE_MS = 1500;

/** Option controls, their fragment keys and the analyzer's defaults. */
const OPTIONS = [
  { key: "format", el: "opt-format", def: "auto" },
  { key: "tokenizer", el: "opt-tokenizer", def: "unicode" },
  { key: "fold", el: "opt-fold", def: "unicode" },
  { key: "language", el: "opt-language", def: "" },
  { key: "stopwords", el: "opt-stopwords", def: "auto" },
  { key: "top", el: "opt-top", def: "100", number: true },
  { key: "budget", el: "opt-budget", def: "114688", number: true, option: "max_distinct" },
  { key: "main", el: "opt-main", def: false, check: true, option: "main_content_only" },
  { key: "trigrams", el: "opt-trigrams", def: true, check: true },
];

const state = {
  worker: null,
  ready: false,
  nextId: 1,
  /** The running job: {id, source, label, started, bytes, total, meta, cancelTimer}. */
  job: null,
  report: null,
  /** What the shown report came from: {kind, label, url?, name?}. */
  origin: null,
  /** Whether the status region's progress announcement is due. */
  announcedAt: 0,
  /** The Text section's pass over the shown report's source: {id, bytes}, and its result. */
  textJob: null,
  textBlob: null,
};

// ---- the worker --------------------------------------------------------------

function createWorker() {
  state.ready = false;
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = ({ data }) => onWorkerMessage(worker, data);
  worker.onerror = (e) => {
    e.preventDefault();
    fatal(`the analysis worker failed: ${e.message || "unknown error"}`);
  };
  state.worker = worker;
}

function onWorkerMessage(worker, data) {
  if (worker !== state.worker) return;
  if (data.type === "ready") {
    state.ready = true;
    $("analyzer-state").textContent = "Analyzer: ready (WebAssembly in a Web Worker).";
    document.documentElement.dataset.analyzer = "ready";
    return;
  }
  if (data.type === "fatal") {
    fatal(data.message);
    return;
  }
  if (state.textJob && data.id === state.textJob.id) {
    onTextMessage(data);
    return;
  }
  const job = state.job;
  if (!job || data.id !== job.id) return; // a late message from an earlier job
  switch (data.type) {
    case "meta":
      job.meta = data.meta;
      break;
    case "progress":
      job.bytes = data.bytes;
      if (data.total) job.total = data.total;
      drawProgress();
      break;
    case "done":
      finishJob();
      show(data.report, { ...job.origin, meta: data.meta, source: job.source, options: job.options });
      setStatus("done", `Done: ${fmt.int(data.report.counts.words)} words in ${job.label}, ${elapsed(job)}.`);
      break;
    case "cancelled":
      finishJob();
      setStatus("cancelled", `Cancelled after ${fmt.bytes(job.bytes)} of ${job.label}.`);
      break;
    case "error":
      finishJob();
      setStatus("error", "");
      showError(data.retryAfter
        ? `${capitalize(data.message)} (try again in ${data.retryAfter} s).`
        : `${capitalize(data.message)}.`);
      break;
    default:
      break;
  }
}

function onTextMessage(data) {
  const status = $("text-status");
  switch (data.type) {
    case "textProgress":
      status.textContent = `Reading the text: ${fmt.bytes(data.bytes)} so far…`;
      break;
    case "textDone": {
      state.textJob = null;
      state.textBlob = data.blob;
      const box = $("text-box");
      // Text from the input is only ever text here.
      box.textContent = data.preview;
      box.hidden = false;
      $("text-download").hidden = false;
      $("text-show").disabled = false;
      status.textContent = data.preview.length < data.length
        ? `The first ${fmt.int(data.preview.length)} of ${fmt.int(data.length)} characters; the download has all of them.`
        : `${fmt.int(data.length)} characters.`;
      break;
    }
    case "cancelled":
      state.textJob = null;
      $("text-show").disabled = false;
      status.textContent = "Cancelled.";
      break;
    case "error":
      state.textJob = null;
      $("text-show").disabled = false;
      status.textContent = `The text could not be read: ${data.message}.`;
      break;
    default:
      break;
  }
}

/** Reads the shown report's source again, through the text extractor. */
function showText() {
  const origin = state.origin;
  if (!origin?.source || state.textJob) return;
  const id = state.nextId++;
  state.textJob = { id };
  $("text-show").disabled = true;
  $("text-status").textContent = "Reading the text…";
  state.worker.postMessage(toWorker.text(id, origin.source, origin.options));
}

function cancelText() {
  if (!state.textJob) return;
  state.worker.postMessage(toWorker.cancel(state.textJob.id));
  state.textJob = null;
}

function fatal(message) {
  $("analyzer-state").textContent = `Analyzer: unavailable: ${message}`;
  document.documentElement.dataset.analyzer = "failed";
  if (state.job) finishJob();
  showError(`The analyzer is unavailable: ${message}.`);
}

// ---- jobs --------------------------------------------------------------------

/** The analysis options, from the controls. */
function analysisOptions() {
  const o = {};
  for (const opt of OPTIONS) {
    const el = $(opt.el);
    const name = opt.option || opt.key;
    if (opt.check) o[name] = el.checked;
    else if (opt.number) o[name] = Math.max(1, Math.round(Number(el.value) || Number(opt.def)));
    else o[name] = el.value;
  }
  // No language chosen: the analyzer guesses.
  if (!o.language) o.language = null;
  o.top = Math.min(10000, o.top);
  return o;
}

function start(source, origin) {
  if (state.job) cancel({ quiet: true });
  cancelText();
  clearError();
  const id = state.nextId++;
  const options = analysisOptions();
  state.job = {
    id, source, origin, options, label: origin.label, started: performance.now(), bytes: 0,
    total: source.kind === "file" ? source.file.size : undefined, meta: null, cancelTimer: null,
  };
  state.announcedAt = 0;
  $("progress-panel").hidden = false;
  $("progress-label").textContent = `Analyzing ${origin.label}…`;
  drawProgress();
  setStatus("running", `Analyzing ${origin.label}…`);
  state.worker.postMessage(toWorker.analyze(id, source, options));
  if (origin.kind === "url") {
    state.shareUrl = origin.url;
    updateFragment();
  }
}

/**
 * Asks the worker to stop the job; a worker that does not answer in time (a chunk
 * that takes long, a stuck read) is replaced, so Cancel always works.
 */
function cancel({ quiet = false } = {}) {
  const job = state.job;
  if (!job) return;
  state.worker.postMessage(toWorker.cancel(job.id));
  if (quiet) {
    finishJob();
    return;
  }
  setStatus("cancelling", `Cancelling ${job.label}…`);
  job.cancelTimer = setTimeout(() => {
    if (state.job !== job) return;
    state.worker.terminate();
    createWorker();
    finishJob();
    setStatus("cancelled", `Cancelled after ${fmt.bytes(job.bytes)} of ${job.label}.`);
  }, CANCEL_GRACE_MS);
}

function finishJob() {
  if (state.job?.cancelTimer) clearTimeout(state.job.cancelTimer);
  state.job = null;
  $("progress-panel").hidden = true;
}

function elapsed(job) {
  const ms = performance.now() - job.started;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${fmt.dec(ms / 1000)} s`;
}

let progressFrame = 0;
function drawProgress() {
  if (progressFrame) return;
  progressFrame = requestAnimationFrame(() => {
    progressFrame = 0;
    const job = state.job;
    if (!job) return;
    const bar = $("progress");
    let text;
    if (job.total) {
      const ratio = Math.min(1, job.bytes / job.total);
      bar.max = job.total;
      bar.value = Math.min(job.bytes, job.total);
      text = `${fmt.bytes(job.bytes)} of ${fmt.bytes(job.total)} (${fmt.dec(ratio * 100)} %)`;
    } else {
      bar.removeAttribute("value"); // indeterminate: the size is not known
      text = `${fmt.bytes(job.bytes)} so far`;
    }
    $("progress-text").textContent = text;
    // Screen readers hear the progress every few seconds, not at every chunk.
    const now = performance.now();
    if (job.bytes && now - state.announcedAt > 4000) {
      state.announcedAt = now;
      setStatus("running", `Analyzing ${job.label}: ${text}.`);
    }
  });
}

// ---- status ------------------------------------------------------------------

function setStatus(kind, text) {
  const el = $("status");
  el.dataset.state = kind;
  el.textContent = text;
}

function showError(text) {
  $("error").textContent = text;
}

function clearError() {
  $("error").textContent = "";
}

function capitalize(text) {
  const t = String(text).replace(/\.$/, "");
  return t.charAt(0).toUpperCase() + t.slice(1);
}

// ---- results -----------------------------------------------------------------

function show(report, origin) {
  state.report = report;
  state.origin = origin;
  $("results").hidden = false;
  const meta = origin.meta || {};
  // Reports from the server's history name their URL themselves (input.url).
  const finalUrl = meta.finalUrl || report.input.url;
  const where = finalUrl && finalUrl !== origin.url
    ? `${origin.label} (${origin.kind === "url" ? "after redirects: " : ""}${finalUrl})`
    : origin.label;
  replace($("source-line"), `Source: ${where}. `, `${fmt.bytes(report.input.bytes)}, ${report.input.format}, ${report.input.encoding}.`);
  const badges = [];
  const approx = approximation(report);
  if (approx) badges.push(approx);
  if (meta.truncated || report.input.truncated) {
    const cap = meta.maxBytes ? ` of ${fmt.bytes(meta.maxBytes)}` : "";
    badges.push(h("p", { class: "approx", id: "truncated" },
      h("span", { class: "badge warn" }, "truncated"),
      ` Truncated at the server's cap${cap}: only the beginning was analyzed.`));
  }
  replace($("badges"), badges);
  replace($("cards"), cards(report));
  replace($("readability-box"), readabilityPanel(report));
  drawTerms();
  const page = report.page;
  $("page-section").hidden = !page;
  replace($("page-box"), page ? pageStructure(page) : []);
  replace($("details-box"), details(report));
  resetText(origin);
  updateFragment();
}

/** The Text section of a new report: nothing read yet. */
function resetText(origin) {
  cancelText();
  state.textBlob = null;
  const box = $("text-box");
  box.textContent = "";
  box.hidden = true;
  $("text-download").hidden = true;
  $("text-show").disabled = !origin.source;
  $("text-status").textContent = origin.source
    ? ""
    : "Analyze the input again to see its text: the server keeps reports, not texts.";
}

function drawTerms() {
  const report = state.report;
  if (!report) return;
  const view = { hideStopwords: $("hide-stopwords").checked, filter: $("filter").value };
  const words = visibleTerms(report.frequencies.words, view);
  const suffix = view.hideStopwords ? `, without ${report.frequencies.stopwords === "none" ? "stopwords (no list)" : `${report.frequencies.stopwords} stopwords`}` : "";
  const filtered = view.filter.trim() ? `, matching “${view.filter.trim()}”` : "";
  replace($("chart-box"), barChart(words, `Top words${suffix}${filtered}`, $("chart-box").clientWidth));
  replace($("words-box"), termTable(words, {
    caption: `Top ${fmt.int(words.length)} words${suffix}${filtered}`, words: report.counts.words, kind: "words",
  }));
  for (const [kind, name, n] of [["bigrams", "bigrams", 2], ["trigrams", "three-word phrases", 3]]) {
    const terms = visibleTerms(report.frequencies[kind], view);
    replace($(`${kind}-box`), report.settings[kind]
      ? termTable(terms, {
        caption: `Top ${fmt.int(terms.length)} ${name}${suffix}${filtered}`, words: report.counts.words, kind, n,
      })
      : h("p", { class: "muted" }, `${name[0].toUpperCase()}${name.slice(1)} were not counted.`));
  }
}

// ---- the fragment: shareable settings ---------------------------------------

function fragmentParams() {
  const p = new URLSearchParams();
  for (const opt of OPTIONS) {
    const el = $(opt.el);
    const value = opt.check ? el.checked : el.value;
    if (String(value) !== String(opt.def)) p.set(opt.key, opt.check ? (value ? "1" : "0") : value);
  }
  if (!$("hide-stopwords").checked) p.set("stopwords_shown", "1");
  if ($("filter").value.trim()) p.set("find", $("filter").value.trim());
  if (state.shareUrl) p.set("url", state.shareUrl);
  return p;
}

function updateFragment() {
  const p = fragmentParams().toString();
  const link = new URL(window.location.href);
  link.hash = p;
  window.history.replaceState(null, "", p ? `#${p}` : window.location.pathname + window.location.search);
  $("share-link").value = link.href;
  $("share-hint").textContent = state.shareUrl && state.origin?.kind === "url"
    ? "Opens this page and analyzes the address again with these settings."
    : "Carries your settings only: pasted text and files are not in it.";
}

/** Applies a fragment's settings; returns the address to analyze, if it names one. */
function applyFragment() {
  const raw = window.location.hash.slice(1);
  if (!raw.includes("=")) return null;
  const p = new URLSearchParams(raw);
  for (const opt of OPTIONS) {
    const el = $(opt.el);
    const value = p.get(opt.key);
    if (opt.check) el.checked = value === null ? opt.def : value === "1";
    else if (value === null) el.value = opt.def;
    else if (el.tagName === "SELECT" && ![...el.options].some((o) => o.value === value)) el.value = opt.def;
    else el.value = value;
  }
  $("hide-stopwords").checked = p.get("stopwords_shown") !== "1";
  $("filter").value = p.get("find") || "";
  if (Object.values(OPTIONS).some((o) => p.has(o.key) && o.key !== "top")) $("options").open = true;
  return p.get("url");
}

function runFragment() {
  const url = applyFragment();
  drawTerms();
  if (url) {
    $("url").value = url;
    startUrl(url);
  }
}

// ---- sources -----------------------------------------------------------------

function startUrl(value) {
  let url;
  try {
    url = new URL(value.trim());
  } catch {
    showError("That is not a web address: it should look like https://example.org/page.");
    $("url").focus();
    return;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    showError("Only http and https addresses can be fetched.");
    $("url").focus();
    return;
  }
  start({ kind: "url", url: url.href }, { kind: "url", url: url.href, label: url.href });
}

function startFile(file) {
  state.shareUrl = null;
  start({ kind: "file", file }, { kind: "file", name: file.name, label: `the file ${file.name}` });
}

function wire() {
  $("text-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("text").value;
    if (!text) {
      showError("Paste or type some text first.");
      $("text").focus();
      return;
    }
    state.shareUrl = null;
    start({ kind: "text", text }, { kind: "text", label: "the pasted text" });
  });
  $("url-form").addEventListener("submit", (e) => {
    e.preventDefault();
    startUrl($("url").value);
  });
  $("file").addEventListener("change", () => {
    const file = $("file").files[0];
    if (file) startFile(file);
  });
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const file = e.dataTransfer?.files[0];
    if (file) startFile(file);
  });
  // A file dropped anywhere else must not replace the page.
  for (const type of ["dragover", "drop"]) {
    window.addEventListener(type, (e) => {
      if (!drop.contains(e.target)) e.preventDefault();
    });
  }
  $("cancel").addEventListener("click", () => cancel());
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && state.job) cancel();
  });
  $("hide-stopwords").addEventListener("change", () => {
    drawTerms();
    updateFragment();
  });
  $("filter").addEventListener("input", () => {
    drawTerms();
    updateFragment();
  });
  for (const opt of OPTIONS) $(opt.el).addEventListener("change", updateFragment);
  $("export-json").addEventListener("click", () => {
    if (state.report) download(`${exportName()}.json`, "application/json", toJson(state.report));
  });
  $("text-show").addEventListener("click", showText);
  $("text-download").addEventListener("click", () => {
    if (state.textBlob) download(`${exportName()}.txt`, "text/plain;charset=utf-8", state.textBlob);
  });
  $("export-csv").addEventListener("click", () => {
    if (state.report) download(`${exportName()}.csv`, "text/csv", toCsv(state.report));
  });
  $("copy-link").addEventListener("click", async () => {
    updateFragment();
    const link = $("share-link");
    try {
      await navigator.clipboard.writeText(link.value);
      setStatus("copied", "Link copied.");
    } catch {
      link.focus();
      link.select();
      setStatus("copied", "Link selected: copy it with your keyboard.");
    }
  });
  document.querySelector(".skip").addEventListener("click", (e) => {
    e.preventDefault();
    $("input-h").focus();
  });
  window.addEventListener("hashchange", runFragment);
  let resized = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resized);
    resized = setTimeout(drawTerms, 150);
  });
}

function exportName() {
  const o = state.origin || {};
  const base = o.kind === "url" ? new URL(o.url).hostname : o.kind === "file" ? o.name : "text";
  return `wca-${base.replace(/[^\w.-]+/g, "_").slice(0, 60)}`;
}

// ---- start -------------------------------------------------------------------

createWorker();
wire();
runFragment();
startHistory($("history"), {
  onReport: (report, origin) => {
    state.shareUrl = null;
    show(report, origin);
    setStatus("done", `Showing ${origin.label}.`);
  },
  onError: showError,
});
startHealth($("health"));
