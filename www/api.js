// @ts-check
// The server's HTTP API as the page and its worker call it: the routes, their
// headers, and the error shape every route shares (`{error, message}` JSON with a
// stable code; `Retry-After` on 503). The page talks to the server only through
// this module.

/** Routes of `wca serve` that the page uses. */
export const routes = {
  /** @param {string} url */
  fetch: (url) => `/api/fetch?url=${encodeURIComponent(url)}`,
  /** Every analysis, for the operator. @param {number} offset @param {number} limit */
  analyses: (offset, limit) => `/api/analyses?offset=${offset}&limit=${limit}`,
  /** The analyses with these ids (the ones this browser knows). @param {string[]} ids */
  analysesById: (ids) => `/api/analyses?ids=${ids.map(encodeURIComponent).join(",")}`,
  /** @param {string | number} id */
  analysis: (id) => `/api/analyses/${encodeURIComponent(String(id))}`,
  metrics: "/api/metrics",
};

/** An error to show as it is, with the server's stable code. */
export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {string} code
   * @param {number} [retryAfter] seconds, from `Retry-After`
   */
  constructor(message, code, retryAfter) {
    super(message);
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/**
 * The server's JSON error, or a plain description of the status.
 * @param {Response} response a response that is not ok
 * @returns {Promise<ApiError>}
 */
export async function apiError(response) {
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
  return new ApiError(message, code, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

/**
 * `GET /api/fetch`: a page through the server's guarded proxy, its body unread.
 * @param {string} url
 * @param {AbortSignal} signal
 * @returns {Promise<Response>} an ok response
 */
export async function fetchPage(url, signal) {
  const response = await fetch(routes.fetch(url), {
    signal,
    headers: { accept: "text/html, text/plain;q=0.9, */*;q=0.1" },
  });
  if (!response.ok) throw await apiError(response);
  return response;
}

/**
 * A JSON route; a network failure or an error status becomes an {@link ApiError}.
 * @param {string} path
 * @param {Record<string, string>} [headers] more request headers
 * @returns {Promise<any>}
 */
export async function getJson(path, headers = {}) {
  let response;
  try {
    response = await fetch(path, { headers: { accept: "application/json", ...headers } });
  } catch {
    throw new ApiError("the server cannot be reached", "unreachable");
  }
  if (!response.ok) throw await apiError(response);
  return response.json();
}
