// The server's history. Each analysis the server runs is private: it is read by its
// id, which only its requester is given (`Location: /api/analyses/{id}`). The panel
// lists the analyses this browser knows the ids of (kept in localStorage: the ones
// opened here), by `GET /api/analyses?ids=…`; with the operator's token (kept for
// this tab only, in sessionStorage) it lists every analysis the server ran. When
// the server's database is down it answers 503 `database_unavailable`: that is a
// message in the panel, not a failure of the page.

import { getJson, routes } from "./api.js";
import { fmt, h } from "./dom.js";

const PAGE = 10;
/** The ids this browser remembers, newest first, at most this many. */
const KEEP = 100;
const IDS_KEY = "wca.analyses";
const TOKEN_KEY = "wca.adminToken";

/** @returns {string[]} */
function knownIds() {
  try {
    const ids = JSON.parse(localStorage.getItem(IDS_KEY) || "[]");
    return Array.isArray(ids) ? ids.filter((id) => typeof id === "string" && /^[0-9a-f]{32}$/.test(id)) : [];
  } catch {
    return [];
  }
}

/** Remembers `id` as this browser's, newest first. @param {string} id */
export function rememberAnalysis(id) {
  if (!/^[0-9a-f]{32}$/.test(id)) return;
  const ids = [id, ...knownIds().filter((known) => known !== id)].slice(0, KEEP);
  try {
    localStorage.setItem(IDS_KEY, JSON.stringify(ids));
  } catch {
    // Storage full or off: the list is for this visit only.
  }
}

export function startHistory(root, { onReport, onError }) {
  const list = root.querySelector("#history-list");
  const message = root.querySelector("#history-message");
  const more = root.querySelector("#history-more");
  const refresh = root.querySelector("#history-refresh");
  const token = root.querySelector("#history-token");
  token.value = sessionStorage.getItem(TOKEN_KEY) || "";
  let offset = 0;
  // Only the latest listing is shown: an earlier one that answers late is dropped.
  let latest = 0;

  async function load(reset) {
    const asked = ++latest;
    if (reset) offset = 0;
    message.textContent = "Loading…";
    const operator = token.value.trim();
    try {
      const page = operator
        ? await getJson(routes.analyses(offset, PAGE), { authorization: `Bearer ${operator}` })
        : await getJson(routes.analysesById(knownIds()));
      if (asked !== latest) return;
      if (reset) list.replaceChildren();
      for (const item of page.items || []) list.append(entry(item));
      offset += (page.items || []).length;
      more.hidden = !operator || offset >= (page.total || 0);
      message.textContent = operator
        ? page.total ? `${fmt.int(page.total)} analyses on the server.` : "No analyses on the server yet."
        : page.total ? `${fmt.int(page.total)} analyses opened in this browser.` : "No server analyses opened in this browser yet.";
    } catch (e) {
      if (asked !== latest) return;
      more.hidden = true;
      if (reset) list.replaceChildren();
      message.textContent = e.code === "database_unavailable"
        ? `History is unavailable for now: ${e.message}`
        : `History could not be loaded: ${e.message}.`;
    }
  }

  function entry(item) {
    const when = new Date((item.created || 0) * 1000);
    const what = item.title || item.url || `${item.source || "analysis"} ${String(item.id).slice(0, 8)}`;
    const button = h("button", { type: "button", class: "history-item", "data-id": item.id },
      h("span", { class: "history-title" }, what),
      h("span", { class: "muted" },
        `${when.toLocaleString()} · ${item.format || "?"} · ${fmt.int(item.words || 0)} words · ${fmt.bytes(item.bytes || 0)}${item.language ? ` · ${item.language}` : ""}${item.report === false ? " · summary only" : ""}`));
    button.addEventListener("click", async () => {
      try {
        const report = await getJson(routes.analysis(item.id));
        rememberAnalysis(item.id);
        onReport(report, { kind: "history", id: item.id, label: `server analysis ${String(item.id).slice(0, 8)}: ${what}` });
      } catch (e) {
        onError(`That analysis could not be loaded: ${e.message}.`);
      }
    });
    return h("li", {}, button);
  }

  token.addEventListener("change", () => {
    const value = token.value.trim();
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
    load(true);
  });
  refresh.addEventListener("click", () => load(true));
  more.addEventListener("click", () => load(false));
  load(true);
  return { refresh: () => load(true) };
}
