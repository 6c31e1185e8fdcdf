// The server's history: `GET /api/analyses` (analyses the server ran, newest first)
// and, on a click, `GET /api/analyses/{id}`. When the server's database is down it
// answers 503 `database_unavailable`: that is a message in the panel, not a failure
// of the page.

import { getJson, routes } from "./api.js";
import { fmt, h } from "./dom.js";

const PAGE = 10;

export function startHistory(root, { onReport, onError }) {
  const list = root.querySelector("#history-list");
  const message = root.querySelector("#history-message");
  const more = root.querySelector("#history-more");
  const refresh = root.querySelector("#history-refresh");
  let offset = 0;

  async function load(reset) {
    if (reset) offset = 0;
    message.textContent = "Loading…";
    try {
      const page = await getJson(routes.analyses(offset, PAGE));
      if (reset) list.replaceChildren();
      for (const item of page.items || []) list.append(entry(item));
      offset += (page.items || []).length;
      more.hidden = offset >= (page.total || 0);
      message.textContent = page.total ? `${fmt.int(page.total)} analyses on the server.` : "No analyses on the server yet.";
    } catch (e) {
      more.hidden = true;
      if (reset) list.replaceChildren();
      message.textContent = e.code === "database_unavailable"
        ? `History is unavailable for now: ${e.message}`
        : `History could not be loaded: ${e.message}.`;
    }
  }

  function entry(item) {
    const when = new Date((item.created || 0) * 1000);
    const what = item.title || item.url || `${item.source || "analysis"} #${item.id}`;
    const button = h("button", { type: "button", class: "history-item", "data-id": item.id },
      h("span", { class: "history-title" }, what),
      h("span", { class: "muted" },
        `${when.toLocaleString()} · ${item.format || "?"} · ${fmt.int(item.words || 0)} words · ${fmt.bytes(item.bytes || 0)}${item.language ? ` · ${item.language}` : ""}`));
    button.addEventListener("click", async () => {
      try {
        const report = await getJson(routes.analysis(item.id));
        onReport(report, { kind: "history", id: item.id, label: `server analysis #${item.id}: ${what}` });
      } catch (e) {
        onError(`That analysis could not be loaded: ${e.message}.`);
      }
    });
    return h("li", {}, button);
  }

  refresh.addEventListener("click", () => load(true));
  more.addEventListener("click", () => load(false));
  load(true);
  return { refresh: () => load(true) };
}
