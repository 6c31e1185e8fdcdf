// Node: read the module and the syllable data from disk; `fetch` cannot load file:
// URLs.
import { readFile } from "node:fs/promises";
import { analyzeStream as analyzeStreamWith, hasSyllables, initSync, installSyllables } from "./wca_wasm.js";

initSync({ module: await readFile(new URL("./wca_wasm_bg.wasm", import.meta.url)) });

const LANGUAGES = ["en", "de", "es", "fr", "it", "nl", "pl", "ru"];
const read = (name) => readFile(new URL(`./syllables/${name}`, import.meta.url), "utf8");

/** Installs a language's syllable data (`"en"`, `"de"`…) once; readability in that
 * language needs it. English is loaded on import; `Analyzer.formulaLanguage()` says
 * which language a text needs before `finish()`. */
export async function loadSyllables(language) {
  if (language == null || hasSyllables(language)) return;
  if (!LANGUAGES.includes(language)) throw new Error(`no syllable data for language ${JSON.stringify(language)}`);
  const [patterns, lexicon] = await Promise.all([read(`hyph_${language}.dic`), language === "en" ? read("cmudict_en.txt") : undefined]);
  installSyllables(language, patterns, lexicon);
}

await loadSyllables("en");

/** `analyzeStream`, loading the syllable data of the text's language (German,
 * Spanish…) before the report is made unless `options.loadSyllables` says otherwise. */
export function analyzeStream(stream, options) {
  return analyzeStreamWith(stream, { loadSyllables, ...options });
}

export { Analyzer, TextExtractor, analyzeBytes, analyzeText, extractText, hasSyllables } from "./wca_wasm.js";
