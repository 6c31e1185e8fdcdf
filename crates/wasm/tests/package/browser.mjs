// The installed package in headless Chromium, as a page served as ES modules would
// use it: imported from the page, streaming a `fetch` body, and from a module Web
// Worker (how the web page runs it). Driven through chromedriver's WebDriver API
// with Node's own fetch, so it needs no npm dependencies. As root, Chromium needs
// --no-sandbox.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { pathToFileURL } from "node:url";
import { serdePretty } from "./serde-json.mjs";

const PAGE = `<!doctype html><meta charset="utf-8"><title>wca</title>
<script type="module">
import { analyzeStream, analyzeText } from "/node_modules/web-content-analyzer/index.js";
try {
  const main = await analyzeStream((await fetch("/corpus.txt")).body, { content_type: "text/plain" });
  const worker = await new Promise((resolve, reject) => {
    const w = new Worker("/worker.js", { type: "module" });
    w.onmessage = (e) => resolve(e.data);
    w.onerror = (e) => reject(new Error("worker: " + e.message));
  });
  const c = new AbortController();
  const pending = analyzeStream((await fetch("/corpus.txt")).body, { signal: c.signal });
  c.abort();
  const aborted = await pending.then(() => "not aborted", (e) => e.name);
  let error;
  try { analyzeText("x", { top: 0 }); } catch (e) { error = e instanceof Error && e.message; }
  window.__result = JSON.stringify({ main, worker, aborted, error });
} catch (e) {
  window.__result = JSON.stringify({ failure: String((e && e.stack) || e) });
}
</script>`;
const WORKER = `import { analyzeStream } from "/node_modules/web-content-analyzer/index.js";
const body = (await fetch("/corpus.txt")).body;
postMessage(await analyzeStream(body, { content_type: "text/plain" }));`;
// The same through webpack 5 (`browser`/`default` export conditions, the `.wasm`
// emitted as an asset through `new URL(..., import.meta.url)`, top-level await).
const BUNDLE_ENTRY = `import { analyzeStream } from "web-content-analyzer";
try {
  const main = await analyzeStream((await fetch("/corpus.txt")).body, { content_type: "text/plain" });
  window.__result = JSON.stringify({ main });
} catch (e) {
  window.__result = JSON.stringify({ failure: String((e && e.stack) || e) });
}`;
const BUNDLE_PAGE = `<!doctype html><meta charset="utf-8"><title>wca bundle</title><script src="/dist/main.js"></script>`;

async function bundle(webpackPath) {
  const { default: webpack } = await import(pathToFileURL(webpackPath));
  writeFileSync("bundle-entry.js", BUNDLE_ENTRY);
  const stats = await new Promise((resolve, reject) =>
    webpack(
      {
        mode: "production",
        context: process.cwd(),
        entry: "./bundle-entry.js",
        target: "web",
        output: { path: join(process.cwd(), "dist"), filename: "main.js", publicPath: "/dist/" },
        performance: { hints: false },
      },
      (err, stats) => (err ? reject(err) : resolve(stats)),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
  return readdirSync("dist");
}

const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

export async function browserTest({ driver, pkgDir, corpus, expected, webpack }) {
  const bundled = webpack ? await bundle(webpack) : null;
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const send = (type, body) => res.writeHead(200, { "content-type": type }).end(body);
    if (path === "/") return send("text/html", PAGE);
    if (path === "/worker.js") return send("text/javascript", WORKER);
    if (path === "/corpus.txt") return send("text/plain", readFileSync(corpus));
    if (path === "/bundle") return send("text/html", BUNDLE_PAGE);
    const file = normalize(join(process.cwd(), path));
    const served = [join(process.cwd(), pkgDir), join(process.cwd(), "dist")];
    if (!served.some((d) => file.startsWith(d))) return res.writeHead(404).end();
    try {
      send(TYPES[extname(file)] ?? "application/octet-stream", readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const page = `http://127.0.0.1:${server.address().port}/`;

  const port = 20000 + Math.floor(Math.random() * 20000);
  const chromedriver = spawn(driver, [`--port=${port}`], { stdio: "ignore" });
  const wd = async (method, path, body) => {
    const r = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body && JSON.stringify(body),
    });
    const json = await r.json();
    if (!r.ok) throw new Error(`webdriver ${path}: ${JSON.stringify(json.value)}`);
    return json.value;
  };
  let session;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await wd("GET", "/status")).ready) break;
      } catch (e) {
        if (i > 100) throw e;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    ({ sessionId: session } = await wd("POST", "/session", {
      capabilities: {
        alwaysMatch: {
          browserName: "chrome",
          "goog:chromeOptions": {
            binary: "/usr/bin/chromium",
            args: ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
          },
        },
      },
    }));
    const run = async (url) => {
      await wd("POST", `/session/${session}/url`, { url });
      for (let i = 0; i < 300; i++) {
        const result = await wd("POST", `/session/${session}/execute/sync`, { script: "return window.__result || null", args: [] });
        if (result !== null) return JSON.parse(result);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`${url} never finished`);
    };
    const { main, worker, aborted, error, failure } = await run(page);
    assert.equal(failure, undefined, failure);
    assert.equal(serdePretty(main) + "\n", expected, "Chromium page: report differs from the CLI");
    assert.equal(serdePretty(worker) + "\n", expected, "Chromium worker: report differs from the CLI");
    assert.equal(aborted, "AbortError");
    assert.match(error, /`top`/);
    console.log("package test: headless Chromium: page (ES module) and module Worker reports byte-identical; abort and errors ok");
    if (bundled) {
      const { main: fromBundle, failure: bundleFailure } = await run(page + "bundle");
      assert.equal(bundleFailure, undefined, bundleFailure);
      assert.equal(serdePretty(fromBundle) + "\n", expected, "webpack bundle: report differs from the CLI");
      console.log(`package test: webpack 5 bundle (${bundled.join(", ")}) in headless Chromium: report byte-identical`);
    }
  } finally {
    if (session) await wd("DELETE", `/session/${session}`).catch(() => {});
    chromedriver.kill();
    server.close();
  }
}
