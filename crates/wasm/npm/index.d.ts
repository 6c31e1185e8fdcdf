// The module is initialized on import (see index.js / node.js).
export {
  Analyzer,
  TextExtractor,
  analyzeBytes,
  analyzeStream,
  analyzeText,
  extractText,
  hasSyllables,
  Options,
  PageReport,
  Progress,
  Report,
  StreamOptions,
  Term,
  TermTable,
} from "./wca_wasm.js";

/** Installs a language's syllable data ("en", "de", "es", "fr", "it", "nl", "pl",
 * "ru") once; readability in that language needs it. English is loaded on import;
 * `Analyzer.formulaLanguage()` says which language a text needs before `finish()`. */
export function loadSyllables(language: string | null | undefined): Promise<void>;
