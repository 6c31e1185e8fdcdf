// The server health panel: `GET /api/metrics` every few seconds while the page is
// visible, drawn as sparklines. A field the server does not send (the cache, before
// it exists; open fds on systems without them) is shown as absent, not as zero.

import { getJson, routes } from "./api.js";
import { fmt, h, replace, s } from "./dom.js";

const INTERVAL_MS = 2000;
const SAMPLES = 60;

/** The figures shown: how to read each from a snapshot, and how to print it. */
const SERIES = [
  { key: "rss", label: "Memory (RSS)", read: (m) => m.process?.resident_memory_bytes, show: fmt.bytes },
  { key: "cpu", label: "CPU", read: null, show: (v) => `${fmt.dec(v)} %` },
  { key: "fds", label: "Open files", read: (m) => m.process?.open_fds, show: fmt.int },
  { key: "cache", label: "Cache entries", read: (m) => m.cache?.entries, show: fmt.int,
    extra: (m) => cacheNote(m.cache) },
];

function cacheNote(cache) {
  if (!cache) return null;
  const parts = [];
  if (typeof cache.bytes === "number") parts.push(fmt.bytes(cache.bytes));
  if (typeof cache.hits === "number" && typeof cache.misses === "number") {
    const total = cache.hits + cache.misses;
    parts.push(total ? `hit rate ${fmt.percent(cache.hits / total)}` : "no lookups yet");
  }
  return parts.join(", ") || null;
}

export function startHealth(root) {
  const list = root.querySelector("#health-list");
  const message = root.querySelector("#health-message");
  const history = Object.fromEntries(SERIES.map((x) => [x.key, []]));
  let previous = null;
  let timer = null;
  let failures = 0;
  let inFlight = false;

  const tiles = Object.fromEntries(SERIES.map((x) => {
    const value = h("span", { class: "value" }, "—");
    const note = h("span", { class: "note" });
    const line = s("svg", { class: "spark", viewBox: "0 0 120 30", role: "img", "aria-label": `${x.label}: no samples yet` });
    const tile = h("li", { class: "card health-tile", "data-series": x.key },
      h("span", { class: "label" }, x.label), value, line, note);
    list.append(tile);
    return [x.key, { value, note, line, tile }];
  }));

  async function poll() {
    timer = null;
    inFlight = true;
    try {
      const m = await getJson(routes.metrics);
      failures = 0;
      message.textContent = "";
      record(m);
    } catch (e) {
      failures += 1;
      message.textContent = `Server metrics unavailable (${e.message}); retrying.`;
    }
    inFlight = false;
    schedule();
  }

  function record(m) {
    const now = performance.now();
    const cpuTotal = m.process?.cpu_seconds_total;
    let cpu;
    if (previous && typeof cpuTotal === "number" && typeof previous.cpu === "number") {
      const wall = (now - previous.at) / 1000;
      if (wall > 0) cpu = Math.max(0, ((cpuTotal - previous.cpu) / wall) * 100);
    }
    previous = { at: now, cpu: cpuTotal };
    for (const x of SERIES) {
      const v = x.key === "cpu" ? cpu : x.read(m);
      const tile = tiles[x.key];
      const points = history[x.key];
      if (typeof v === "number" && Number.isFinite(v)) {
        points.push(v);
        if (points.length > SAMPLES) points.shift();
        tile.value.textContent = x.show(v);
        tile.tile.classList.remove("absent");
      } else if (!points.length) {
        tile.value.textContent = x.key === "cpu" ? "…" : "not reported";
        tile.tile.classList.add("absent");
      }
      tile.note.textContent = (x.extra && x.extra(m)) || "";
      draw(tile.line, points, x);
    }
  }

  function draw(svg, points, x) {
    if (points.length < 2) {
      replace(svg);
      return;
    }
    const max = Math.max(...points);
    const min = Math.min(...points);
    const span = max - min || 1;
    const step = 120 / (SAMPLES - 1);
    const offset = 120 - (points.length - 1) * step;
    // A flat series is drawn across the middle, not along the bottom edge.
    const y = (v) => (max === min ? 15 : 28 - ((v - min) / span) * 26);
    const coords = points.map((v, i) => `${(offset + i * step).toFixed(1)},${y(v).toFixed(1)}`);
    replace(svg, s("polyline", { points: coords.join(" "), class: "spark-line" }));
    svg.setAttribute("aria-label",
      `${x.label} over the last ${points.length} samples: from ${x.show(min)} to ${x.show(max)}, now ${x.show(points.at(-1))}`);
  }

  function schedule() {
    if (timer !== null || inFlight || document.hidden) return;
    // Back off while the server does not answer, up to 30 s.
    const delay = Math.min(30_000, INTERVAL_MS * 2 ** Math.min(failures, 4));
    timer = setTimeout(poll, delay);
  }

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      clearTimeout(timer);
      timer = null;
    } else {
      schedule();
    }
  });
  poll();
}
