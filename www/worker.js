// The analysis worker: the wasm analyzer runs here, off the page's thread, so a
// 1 GB file never freezes the page. One job at a time is the page's rule, but the
// worker keys everything by job id so a late message from a cancelled job is
// recognisable.
//
// The messages are those of protocol.js; the server's routes those of api.js.

import { ApiError, fetchPage } from "./api.js";
import { toPage } from "./protocol.js";

let wca = null;
const jobs = new Map();

// A dynamic import, so that a missing package is reported as a message rather than
// as an opaque worker error event.
const ready = import("./pkg/index.js").then(
  (module) => {
    wca = module;
    postMessage(toPage.ready());
  },
  (e) => {
    postMessage(toPage.fatal(
      `the analyzer could not load (${(e && e.message) || e}); build it with cargo xtask serve`,
    ));
  },
);

onmessage = ({ data }) => {
  if (data.type === "cancel") {
    jobs.get(data.id)?.abort(new DOMException("cancelled", "AbortError"));
  } else if (data.type === "analyze") {
    run(data);
  } else if (data.type === "text") {
    runText(data);
  }
};

/** Characters of the text shown in the page; the download has all of it. */
const PREVIEW_CHARS = 200_000;

/**
 * Opens what to read: the stream, its size if known, and for an address what the
 * response said (its type, final URL, the server's cap).
 */
async function open(source, opts, signal) {
  const meta = {};
  if (source.kind === "text") {
    // A Blob streams the UTF-8 bytes in chunks, so a huge paste gets progress and
    // can be cancelled like a file.
    const blob = new Blob([source.text], { type: "text/plain" });
    return { stream: blob.stream(), total: blob.size, meta };
  }
  if (source.kind === "file") {
    if (!opts.content_type && source.file.type) opts.content_type = source.file.type;
    return { stream: source.file.stream(), total: source.file.size, meta };
  }
  if (source.kind === "url") {
    const response = await fetchPage(source.url, signal);
    const header = (name) => response.headers.get(name);
    meta.contentType = header("content-type");
    meta.finalUrl = header("x-wca-final-url") || source.url;
    meta.maxBytes = Number(header("x-wca-max-bytes")) || null;
    const length = Number(header("content-length"));
    const total = Number.isFinite(length) && length > 0 ? length : undefined;
    if (meta.contentType && !opts.content_type) opts.content_type = meta.contentType;
    if (!opts.base_url) opts.base_url = meta.finalUrl;
    if (!response.body) throw new ApiError("the server sent no body", "no_body");
    return { stream: response.body, total, meta };
  }
  throw new ApiError(`unknown source ${source.kind}`, "bad_source");
}

function reportError(id, signal, e) {
  if (signal.aborted) {
    postMessage(toPage.cancelled(id));
  } else {
    postMessage(toPage.error(
      id,
      (e && e.message) || String(e),
      (e && e.code) || (e && e.name) || "error",
      e && e.retryAfter,
    ));
  }
}

/**
 * Runs a job: `body(opts, signal)` with a copy of the options and the job's abort
 * signal, once the analyzer has loaded; a failure or a cancel is reported as such.
 */
async function job(id, options, body) {
  const controller = new AbortController();
  const signal = controller.signal;
  jobs.set(id, controller);
  try {
    await ready;
    if (!wca) throw new ApiError("the analyzer is not available", "no_analyzer");
    await body({ ...options }, signal);
  } catch (e) {
    reportError(id, signal, e);
  } finally {
    jobs.delete(id);
  }
}

/** Streams the source again through the text extractor. */
function runText({ id, source, options }) {
  return job(id, options, async (opts, signal) => {
    const { stream } = await open(source, opts, signal);
    const extractor = new wca.TextExtractor(opts);
    const reader = stream.getReader();
    signal.addEventListener("abort", () => reader.cancel(signal.reason).catch(() => {}));
    const parts = [];
    let preview = "";
    let length = 0;
    let bytes = 0;
    const add = (text) => {
      if (!text) return;
      parts.push(text);
      length += text.length;
      if (preview.length < PREVIEW_CHARS) preview += text.slice(0, PREVIEW_CHARS - preview.length);
    };
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) throw signal.reason;
      if (done) break;
      add(extractor.push(value));
      const before = bytes;
      bytes += value.length;
      if (Math.floor(bytes / 2 ** 20) > Math.floor(before / 2 ** 20)) postMessage(toPage.textProgress(id, bytes));
    }
    add(extractor.finish());
    const blob = new Blob(parts, { type: "text/plain;charset=utf-8" });
    postMessage(toPage.textDone(id, preview, blob, length));
  });
}

function run({ id, source, options }) {
  return job(id, options, async (opts, signal) => {
    const { stream, total, meta } = await open(source, opts, signal);
    if (source.kind === "url") postMessage(toPage.meta(id, meta));
    const report = await wca.analyzeStream(stream, {
      ...opts,
      total,
      signal,
      onProgress: ({ bytes, total }) => postMessage(toPage.progress(id, bytes, total)),
    });
    if (meta.maxBytes && report.input.bytes >= meta.maxBytes) meta.truncated = true;
    postMessage(toPage.done(id, report, meta));
  });
}
