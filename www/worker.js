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
  }
};

async function run({ id, source, options }) {
  const controller = new AbortController();
  const signal = controller.signal;
  jobs.set(id, controller);
  try {
    await ready;
    if (!wca) throw new ApiError("the analyzer is not available", "no_analyzer");
    const opts = { ...options };
    let stream;
    let total;
    const meta = {};
    if (source.kind === "text") {
      // A Blob streams the UTF-8 bytes in chunks, so a huge paste gets progress and
      // can be cancelled like a file.
      const blob = new Blob([source.text], { type: "text/plain" });
      stream = blob.stream();
      total = blob.size;
    } else if (source.kind === "file") {
      stream = source.file.stream();
      total = source.file.size;
      if (!opts.content_type && source.file.type) opts.content_type = source.file.type;
    } else if (source.kind === "url") {
      const response = await fetchPage(source.url, signal);
      const header = (name) => response.headers.get(name);
      meta.contentType = header("content-type");
      meta.finalUrl = header("x-wca-final-url") || source.url;
      meta.maxBytes = Number(header("x-wca-max-bytes")) || null;
      const length = Number(header("content-length"));
      total = Number.isFinite(length) && length > 0 ? length : undefined;
      if (meta.contentType && !opts.content_type) opts.content_type = meta.contentType;
      if (!opts.base_url) opts.base_url = meta.finalUrl;
      postMessage(toPage.meta(id, meta));
      stream = response.body;
      if (!stream) throw new ApiError("the server sent no body", "no_body");
    } else {
      throw new ApiError(`unknown source ${source.kind}`, "bad_source");
    }
    const report = await wca.analyzeStream(stream, {
      ...opts,
      total,
      signal,
      onProgress: ({ bytes, total }) => postMessage(toPage.progress(id, bytes, total)),
    });
    if (meta.maxBytes && report.input.bytes >= meta.maxBytes) meta.truncated = true;
    postMessage(toPage.done(id, report, meta));
  } catch (e) {
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
  } finally {
    jobs.delete(id);
  }
}
