//! The readability formulas, each evaluated as textstat 0.7.13 evaluates it (same
//! order of operations, so equal counts give bit-identical scores), for English and
//! for the other languages textstat has formulas for. Syllables come from
//! [`crate::syllables`]; the English indices that need more than counts are in
//! [`crate::indices`].

/// Flesch Reading Ease: `206.835 − 1.015 × (words / sentences) − 84.6 × (syllables / words)`
/// (Flesch, 1948). Higher is easier; ordinary prose scores 60–70.
///
/// The expression is evaluated in the same order as textstat's, so equal counts give
/// bit-identical results. `None` when `words` or `sentences` is 0, where the ratio is
/// undefined (textstat reports 0.0 there).
pub fn flesch_reading_ease(words: u64, sentences: u64, syllables: u64) -> Option<f64> {
    let (words_per_sentence, syllables_per_word) = ratios(words, sentences, syllables)?;
    Some(FormulaLanguage::English.ease(words_per_sentence, syllables_per_word))
}

/// Flesch–Kincaid grade level: `0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59`
/// (Kincaid et al., 1975), a US school grade.
///
/// Evaluated in textstat's order, like [`flesch_reading_ease`]. `None` when `words` or
/// `sentences` is 0.
pub fn flesch_kincaid_grade(words: u64, sentences: u64, syllables: u64) -> Option<f64> {
    let (words_per_sentence, syllables_per_word) = ratios(words, sentences, syllables)?;
    Some(0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59)
}

fn ratios(words: u64, sentences: u64, syllables: u64) -> Option<(f64, f64)> {
    if words == 0 || sentences == 0 {
        return None;
    }
    // Counts stay far below 2^53, so the conversions are exact.
    let w = words as f64;
    Some((w / sentences as f64, syllables as f64 / w))
}

/// The formulas' language: where textstat changes a constant or has a formula of
/// its own (`LANG_CONFIGS` in `backend/utils/constants.py`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormulaLanguage {
    English,
    German,
    Spanish,
    French,
    Italian,
    Dutch,
    Polish,
    Russian,
}

impl FormulaLanguage {
    /// From an ISO 639-1 code.
    pub(crate) fn of(code: &str) -> Option<Self> {
        Some(match code {
            "en" => Self::English,
            "de" => Self::German,
            "es" => Self::Spanish,
            "fr" => Self::French,
            "it" => Self::Italian,
            "nl" => Self::Dutch,
            "pl" => Self::Polish,
            "ru" => Self::Russian,
            _ => return None,
        })
    }

    /// The ISO 639-1 code, which names its syllable data.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::English => "en",
            Self::German => "de",
            Self::Spanish => "es",
            Self::French => "fr",
            Self::Italian => "it",
            Self::Dutch => "nl",
            Self::Polish => "pl",
            Self::Russian => "ru",
        }
    }

    /// Flesch Reading Ease's base, words-per-sentence and syllables-per-word weights:
    /// Amstad (German), Fernández Huerta (Spanish), Kandel and Moles (French),
    /// Flesch–Vacca (Italian), Flesch–Douma (Dutch), Oborneva (Russian); Polish keeps
    /// the English constants, as textstat does.
    fn flesch(self) -> (f64, f64, f64) {
        match self {
            Self::English | Self::Polish => (206.835, 1.015, 84.6),
            Self::German => (180.0, 1.0, 58.5),
            Self::Spanish => (206.84, 1.02, 60.0),
            Self::French => (207.0, 1.015, 73.6),
            Self::Italian => (217.0, 1.3, 60.0),
            Self::Dutch => (206.835, 0.93, 77.0),
            Self::Russian => (206.835, 1.3, 60.1),
        }
    }

    /// Flesch Reading Ease from words per sentence and syllables per word, in
    /// textstat's order of evaluation.
    fn ease(self, words_per_sentence: f64, syllables_per_word: f64) -> f64 {
        let (base, sentence_weight, syllable_weight) = self.flesch();
        base - sentence_weight * words_per_sentence - syllable_weight * syllables_per_word
    }

    /// Syllables from which a word not on the easy list is difficult for Gunning Fog.
    pub(crate) fn fog_syllables(self) -> u32 {
        if self == Self::Polish { 4 } else { 3 }
    }
}

/// What the formulas of a language other than English are computed from, in
/// textstat's terms: its words and sentences, and per word its syllables in the
/// language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct LanguageCounts {
    pub(crate) words: u64,
    pub(crate) sentences: u64,
    pub(crate) syllables: u64,
    /// Words of three syllables or more.
    pub(crate) polysyllables: u64,
    /// Words of one syllable.
    pub(crate) monosyllables: u64,
    /// Words of more than six letters (`\w` characters).
    pub(crate) long_words: u64,
    /// Words not on the easy list with at least [`FormulaLanguage::fog_syllables`].
    pub(crate) fog_difficult: u64,
    /// `\w` characters of the words.
    pub(crate) letters: u64,
    /// Characters that are not whitespace, and whitespace tokens (Gulpease).
    pub(crate) characters: u64,
    pub(crate) tokens: u64,
}

/// The scores of a language other than English; `None` where the language has no
/// such formula in textstat.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct LanguageScores {
    pub(crate) flesch_reading_ease: f64,
    pub(crate) gunning_fog: Option<f64>,
    pub(crate) fernandez_huerta: Option<f64>,
    pub(crate) szigriszt_pazos: Option<f64>,
    pub(crate) gutierrez_polini: Option<f64>,
    pub(crate) crawford: Option<f64>,
    pub(crate) wiener_sachtextformel: Option<[f64; 4]>,
    pub(crate) gulpease_index: Option<f64>,
}

/// Flesch Reading Ease with `language`'s constants; 0 where textstat answers 0.
pub(crate) fn localized_flesch(
    language: FormulaLanguage,
    words: u64,
    sentences: u64,
    syllables: u64,
) -> f64 {
    match ratios(words, sentences, syllables) {
        Some((wps, spw)) if wps != 0.0 && spw != 0.0 => language.ease(wps, spw),
        _ => 0.0,
    }
}

impl LanguageCounts {
    /// The language's scores, `None` without words or sentences.
    pub(crate) fn scores(&self, language: FormulaLanguage) -> Option<LanguageScores> {
        let (wps, spw) = ratios(self.words, self.sentences, self.syllables)?;
        let w = self.words as f64;
        let per_word = |n: u64| n as f64 / w;
        let mut s = LanguageScores {
            flesch_reading_ease: localized_flesch(
                language,
                self.words,
                self.sentences,
                self.syllables,
            ),
            ..LanguageScores::default()
        };
        match language {
            FormulaLanguage::Spanish => {
                s.fernandez_huerta = Some(if wps == 0.0 || spw == 0.0 {
                    0.0
                } else {
                    206.84 - (60.0 * spw) - (1.02 * wps)
                });
                s.szigriszt_pazos = Some(206.84 - 62.3 * spw - wps);
                let lpw = per_word(self.letters);
                s.gutierrez_polini = Some(if lpw == 0.0 || wps == 0.0 {
                    0.0
                } else {
                    95.2 - 9.7 * lpw - 0.35 * wps
                });
                let sentences100 = 100.0 * (self.sentences as f64 / w);
                let syllables100 = 100.0 * spw;
                s.crawford = Some(if sentences100 == 0.0 || syllables100 == 0.0 {
                    0.0
                } else {
                    -0.205 * sentences100 + 0.049 * syllables100 - 3.407
                });
            }
            FormulaLanguage::German => {
                let ms = 100.0 * self.polysyllables as f64 / w;
                let iw = 100.0 * self.long_words as f64 / w;
                let es = 100.0 * self.monosyllables as f64 / w;
                s.wiener_sachtextformel = Some([
                    (0.1935 * ms) + (0.1672 * wps) + (0.1297 * iw) - (0.0327 * es) - 0.875,
                    (0.2007 * ms) + (0.1682 * wps) + (0.1373 * iw) - 2.779,
                    (0.2963 * ms) + (0.1905 * wps) - 1.1144,
                    (0.2744 * ms) + (0.2656 * wps) - 1.693,
                ]);
            }
            FormulaLanguage::Italian => {
                let sentences_per_word = self.sentences as f64 / w;
                let cpw = if self.tokens == 0 {
                    0.0
                } else {
                    self.characters as f64 / self.tokens as f64
                };
                s.gulpease_index = Some(if sentences_per_word == 0.0 || cpw == 0.0 {
                    0.0
                } else {
                    (300.0 * sentences_per_word) - (10.0 * cpw) + 89.0
                });
            }
            FormulaLanguage::Polish => {
                s.gunning_fog = Some(0.4 * (wps + 100.0 * self.fog_difficult as f64 / w));
            }
            _ => {}
        }
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flesch_formulas_match_textstat() {
        // textstat 0.7.13 on tests/data/prose/01_narrative_lighthouse.txt
        let (words, sentences, syllables) = (693, 50, 901);
        let fre = flesch_reading_ease(words, sentences, syllables).unwrap();
        let fk = flesch_kincaid_grade(words, sentences, syllables).unwrap();
        assert!((fre - 82.77489220779222).abs() < 1e-9, "{fre}");
        assert!((fk - 5.15710274170274).abs() < 1e-9, "{fk}");
        assert!((flesch_reading_ease(100, 5, 150).unwrap() - 59.635).abs() < 1e-9);
        assert!((flesch_kincaid_grade(100, 5, 150).unwrap() - 9.91).abs() < 1e-9);
    }

    #[test]
    fn flesch_formulas_need_words_and_sentences() {
        assert_eq!(flesch_reading_ease(0, 1, 0), None);
        assert_eq!(flesch_reading_ease(10, 0, 12), None);
        assert_eq!(flesch_kincaid_grade(0, 1, 0), None);
        assert_eq!(flesch_kincaid_grade(10, 0, 12), None);
    }
}
