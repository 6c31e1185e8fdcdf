// @ts-check
// The messages between the page (app.js) and the analysis worker (worker.js): the
// one place both sides build and name them. Every job message carries the job's id,
// so a late message from a cancelled job is recognisable.

/**
 * What to analyze.
 * @typedef {{kind: "text", text: string} | {kind: "file", file: File} | {kind: "url", url: string}} Source
 */

/**
 * What a fetched page's response said.
 * @typedef {{contentType?: string | null, finalUrl?: string, maxBytes?: number | null, truncated?: boolean}} Meta
 */

/** @typedef {import("./pkg/index.js").Options} Options the npm package's options */
/** @typedef {import("./pkg/index.js").Report} Report the npm package's report */

/** Page → worker. */
export const toWorker = {
  /**
   * @param {number} id
   * @param {Source} source
   * @param {Options} options
   */
  analyze: (id, source, options) => ({ type: "analyze", id, source, options }),
  /**
   * The text as the analyzer reads it, for the Text section: a second pass.
   * @param {number} id
   * @param {Source} source
   * @param {Options} options
   */
  text: (id, source, options) => ({ type: "text", id, source, options }),
  /** @param {number} id */
  cancel: (id) => ({ type: "cancel", id }),
};

/** Worker → page. */
export const toPage = {
  ready: () => ({ type: "ready" }),
  /** @param {string} message */
  fatal: (message) => ({ type: "fatal", message }),
  /** @param {number} id @param {Meta} meta */
  meta: (id, meta) => ({ type: "meta", id, meta }),
  /** @param {number} id @param {number} bytes @param {number | undefined} total */
  progress: (id, bytes, total) => ({ type: "progress", id, bytes, total }),
  /** @param {number} id @param {Report} report @param {Meta} meta */
  done: (id, report, meta) => ({ type: "done", id, report, meta }),
  /** @param {number} id */
  cancelled: (id) => ({ type: "cancelled", id }),
  /** @param {number} id @param {number} bytes */
  textProgress: (id, bytes) => ({ type: "textProgress", id, bytes }),
  /**
   * The text: its first `preview.length` characters to show, all of it to download.
   * @param {number} id @param {string} preview @param {Blob} blob @param {number} length
   */
  textDone: (id, preview, blob, length) => ({ type: "textDone", id, preview, blob, length }),
  /**
   * @param {number} id
   * @param {string} message
   * @param {string} code
   * @param {number | undefined} retryAfter
   */
  error: (id, message, code, retryAfter) => ({ type: "error", id, message, code, retryAfter }),
};
