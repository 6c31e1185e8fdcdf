// The module is initialized on import (see index.js / node.js).
export {
  Analyzer,
  TextExtractor,
  analyzeBytes,
  analyzeStream,
  analyzeText,
  extractText,
  Options,
  PageReport,
  Progress,
  Report,
  StreamOptions,
  Term,
  TermTable,
} from "./wca_wasm.js";
