// Node: read the module from disk; `fetch` cannot load file: URLs.
import { readFile } from "node:fs/promises";
import { initSync } from "./wca_wasm.js";

initSync({ module: await readFile(new URL("./wca_wasm_bg.wasm", import.meta.url)) });

export { Analyzer, TextExtractor, analyzeBytes, analyzeStream, analyzeText, extractText } from "./wca_wasm.js";
