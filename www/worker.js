// The analysis worker: the wasm analyzer runs here, off the page's thread, so a
// 1 GB file never freezes the page. One job at a time is the page's rule, but the
// worker keys everything by job id so a late message from a cancelled job is
// recognisable.
//
// Messages in:  {type: "analyze", id, source, options}, {type: "cancel", id}
//   source: {kind: "text", text} | {kind: "file", file} | {kind: "url", url}
// Messages out: {type: "ready"}, {type: "fatal", message},
//   {type: "meta", id, meta}, {type: "progress", id, bytes, total},
//   {type: "done", id, report, meta}, {type: "cancelled", id},
//   {type: "error", id, message, code, retryAfter}

let wca = null;
const jobs = new Map();

// A dynamic import, so that a missing package is reported as a message rather than
// as an opaque worker error event.
const ready = import("./pkg/index.js").then(
  (module) => {
    wca = module;
    postMessage({ type: "ready" });
  },
  (e) => {
    postMessage({
      type: "fatal",
      message: `the analyzer could not load (${(e && e.message) || e}); build it with cargo xtask serve`,
    });
  },
);

onmessage = ({ data }) => {
  if (data.type === "cancel") {
    jobs.get(data.id)?.abort(new DOMException("cancelled", "AbortError"));
  } else if (data.type === "analyze") {
    run(data);
  }
};

/** An error the user should read as is (`message`), with the server's code. */
class ShownError extends Error {
  constructor(message, code, retryAfter) {
    super(message);
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

async function run({ id, source, options }) {
  const controller = new AbortController();
  const signal = controller.signal;
  jobs.set(id, controller);
  try {
    await ready;
    if (!wca) throw new ShownError("the analyzer is not available", "no_analyzer");
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
      const response = await fetch(`/api/fetch?url=${encodeURIComponent(source.url)}`, {
        signal,
        headers: { accept: "text/html, text/plain;q=0.9, */*;q=0.1" },
      });
      if (!response.ok) throw await apiError(response);
      const header = (name) => response.headers.get(name);
      meta.contentType = header("content-type");
      meta.finalUrl = header("x-wca-final-url") || source.url;
      meta.maxBytes = Number(header("x-wca-max-bytes")) || null;
      const length = Number(header("content-length"));
      total = Number.isFinite(length) && length > 0 ? length : undefined;
      if (meta.contentType && !opts.content_type) opts.content_type = meta.contentType;
      if (!opts.base_url) opts.base_url = meta.finalUrl;
      postMessage({ type: "meta", id, meta });
      stream = response.body;
      if (!stream) throw new ShownError("the server sent no body", "no_body");
    } else {
      throw new ShownError(`unknown source ${source.kind}`, "bad_source");
    }
    const report = await wca.analyzeStream(stream, {
      ...opts,
      total,
      signal,
      onProgress: ({ bytes, total }) => postMessage({ type: "progress", id, bytes, total }),
    });
    if (meta.maxBytes && report.input.bytes >= meta.maxBytes) meta.truncated = true;
    postMessage({ type: "done", id, report, meta });
  } catch (e) {
    if (signal.aborted) {
      postMessage({ type: "cancelled", id });
    } else {
      postMessage({
        type: "error",
        id,
        message: (e && e.message) || String(e),
        code: (e && e.code) || (e && e.name) || "error",
        retryAfter: e && e.retryAfter,
      });
    }
  } finally {
    jobs.delete(id);
  }
}

/** The server's JSON error (`{error, message}`), or a plain description of the status. */
async function apiError(response) {
  let code = `http_${response.status}`;
  let message = `the server answered ${response.status} ${response.statusText}`.trim();
  try {
    const body = await response.json();
    if (body && typeof body.message === "string") message = body.message;
    if (body && typeof body.error === "string") code = body.error;
  } catch {
    // Not JSON: keep the status line.
  }
  const retry = Number(response.headers.get("retry-after"));
  return new ShownError(message, code, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}
