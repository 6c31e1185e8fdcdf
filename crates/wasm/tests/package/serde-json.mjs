// The report as `serde_json::to_writer_pretty` prints it, from the JS object.
//
// JSON.stringify(report, null, 2) already matches serde_json's pretty printer
// (two-space indent, `"key": value`, `[]` for empty lists, the same string escapes)
// except in one thing: how f64 fields are written. serde_json uses ryu, which always
// marks a float (`0.0`, `2.0`, `1e16`, `1e-7`), while JS prints `0`, `2`,
// `10000000000000000` and `1e-7`. Both use the shortest digits that round-trip, so only
// the layout differs; these are the report's f64 fields, re-laid out like ryu.
export const F64_FIELDS = new Set([
  "unique_words_error",
  "type_token_ratio",
  "average_word_length",
  "average_sentence_length",
  "reading_seconds",
  "speaking_seconds",
  "reading_seconds_slow",
  "reading_seconds_fast",
  "average_syllables_per_word",
  "flesch_reading_ease",
  "flesch_kincaid_grade",
  "gunning_fog",
  "smog_index",
  "coleman_liau_index",
  "automated_readability_index",
  "dale_chall",
  "linsear_write",
  "spache",
  "mcalpine_eflaw",
  "text_standard",
  "fernandez_huerta",
  "szigriszt_pazos",
  "gutierrez_polini",
  "crawford",
  "gulpease_index",
  "confidence",
]);
// Arrays of f64 (each element's key is its index).
export const F64_ARRAYS = new Set(["wiener_sachtextformel"]);

// ryu's `format64` layout (ryu/src/pretty/mod.rs) from JS's shortest digits.
export function ryu(v) {
  if (!Number.isFinite(v)) return "null"; // serde_json writes non-finite floats as null
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const sign = v < 0 ? "-" : "";
  const [m, e] = Math.abs(v).toExponential().split("e");
  const digits = m.replace(".", "");
  const length = digits.length;
  const kk = Number(e) + 1; // 10^(kk-1) <= |v| < 10^kk
  const k = kk - length;
  let out;
  if (k >= 0 && kk <= 16) out = digits + "0".repeat(k) + ".0";
  else if (kk > 0 && kk <= 16) out = digits.slice(0, kk) + "." + digits.slice(kk);
  else if (kk > -5 && kk <= 0) out = "0." + "0".repeat(-kk) + digits;
  else if (length === 1) out = digits + "e" + (kk - 1);
  else out = digits[0] + "." + digits.slice(1) + "e" + (kk - 1);
  return sign + out;
}

const MARK = "\u0000f64:";

export function serdePretty(value) {
  const text = JSON.stringify(
    value,
    function (key, v) {
      if (Array.isArray(v) && F64_ARRAYS.has(key)) return v.map((x) => MARK + ryu(x));
      return typeof v === "number" && F64_FIELDS.has(key) ? MARK + ryu(v) : v;
    },
    2,
  );
  return text.replace(/"\\u0000f64:([^"]*)"/g, "$1");
}

// Lines where plain JSON.stringify(report, null, 2) differs from `native`, for the log.
export function plainDiffs(report, native) {
  const a = JSON.stringify(report, null, 2).split("\n");
  const b = native.trimEnd().split("\n");
  const out = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) out.push(`${(b[i] ?? "").trim()} -> ${(a[i] ?? "").trim()}`);
  }
  return out;
}
