// Browsers and bundlers: fetch and instantiate the module next to this file.
// Bundlers (webpack 5, Vite, esbuild with a file loader) pick up the `.wasm`
// through the `new URL(..., import.meta.url)` inside the glue, and the syllable
// data through the URLs below.
import init, { analyzeStream as analyzeStreamWith, hasSyllables, installSyllables } from "./wca_wasm.js";

await init();

// Each language's syllable data, fetched when a text needs it (see loadSyllables).
const SYLLABLES = {
  en: [new URL("./syllables/hyph_en.dic", import.meta.url), new URL("./syllables/cmudict_en.txt", import.meta.url)],
  de: [new URL("./syllables/hyph_de.dic", import.meta.url)],
  es: [new URL("./syllables/hyph_es.dic", import.meta.url)],
  fr: [new URL("./syllables/hyph_fr.dic", import.meta.url)],
  it: [new URL("./syllables/hyph_it.dic", import.meta.url)],
  nl: [new URL("./syllables/hyph_nl.dic", import.meta.url)],
  pl: [new URL("./syllables/hyph_pl.dic", import.meta.url)],
  ru: [new URL("./syllables/hyph_ru.dic", import.meta.url)],
};

async function read(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url}: HTTP ${response.status}`);
  return response.text();
}

/** Installs a language's syllable data (`"en"`, `"de"`…) once; readability in that
 * language needs it. English is loaded on import; `Analyzer.formulaLanguage()` says
 * which language a text needs before `finish()`. */
export async function loadSyllables(language) {
  if (language == null || hasSyllables(language)) return;
  const urls = SYLLABLES[language];
  if (!urls) throw new Error(`no syllable data for language ${JSON.stringify(language)}`);
  const [patterns, lexicon] = await Promise.all(urls.map(read));
  installSyllables(language, patterns, lexicon);
}

await loadSyllables("en");

/** `analyzeStream`, loading the syllable data of the text's language (German,
 * Spanish…) before the report is made unless `options.loadSyllables` says otherwise. */
export function analyzeStream(stream, options) {
  return analyzeStreamWith(stream, { loadSyllables, ...options });
}

export { Analyzer, TextExtractor, analyzeBytes, analyzeText, extractText, hasSyllables } from "./wca_wasm.js";
