// Browsers and bundlers: fetch and instantiate the module next to this file.
// Bundlers (webpack 5, Vite, esbuild with a file loader) pick up the `.wasm`
// through the `new URL(..., import.meta.url)` inside the glue.
import init from "./wca_wasm.js";

await init();

export { Analyzer, TextExtractor, analyzeBytes, analyzeStream, analyzeText, extractText } from "./wca_wasm.js";
