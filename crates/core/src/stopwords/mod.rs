//! Built-in stopword lists, and user-supplied ones.
//!
//! The built-in lists are embedded at compile time (`include_str!`), one lowercase word
//! per line, sorted by code point; nothing is read at run time. They come from Apache
//! Lucene's analyzers (mostly the Snowball project's lists); `README.md` beside this
//! file names the origin and licence of each list and how to regenerate them.
//!
//! Words are compared exactly: [`Stopwords::contains`] expects a word normalised the way
//! the analyzer normalises words (Unicode lowercase, typographic apostrophe `’` turned
//! into `'`), which is also how the lists are stored.

use std::borrow::Cow;

/// ISO 639-1 codes of the languages with a built-in list, sorted.
///
/// [`builtin`] also takes `nb` (Bokmål) and `nn` (Nynorsk) for `no`, whose list holds
/// the forms of both.
pub const LANGUAGES: &[&str] = &[
    "bg", "ca", "cs", "da", "de", "en", "es", "fi", "fr", "hu", "it", "nl", "no", "pl", "pt", "ro",
    "ru", "sv", "tr",
];

/// Each built-in list, by code, in the order of [`LANGUAGES`].
const LISTS: &[(&str, &str)] = &[
    ("bg", include_str!("bg.txt")),
    ("ca", include_str!("ca.txt")),
    ("cs", include_str!("cs.txt")),
    ("da", include_str!("da.txt")),
    ("de", include_str!("de.txt")),
    ("en", include_str!("en.txt")),
    ("es", include_str!("es.txt")),
    ("fi", include_str!("fi.txt")),
    ("fr", include_str!("fr.txt")),
    ("hu", include_str!("hu.txt")),
    ("it", include_str!("it.txt")),
    ("nl", include_str!("nl.txt")),
    ("no", include_str!("no.txt")),
    ("pl", include_str!("pl.txt")),
    ("pt", include_str!("pt.txt")),
    ("ro", include_str!("ro.txt")),
    ("ru", include_str!("ru.txt")),
    ("sv", include_str!("sv.txt")),
    ("tr", include_str!("tr.txt")),
];

/// Other codes accepted by [`builtin`], and the list each one selects.
const ALIASES: &[(&str, &str)] = &[("nb", "no"), ("nn", "no")];

/// Returns the built-in list for an ISO 639-1 code such as `en` or `DE` (ASCII case is
/// ignored), or `None` if there is no list for it. See [`LANGUAGES`].
#[must_use]
pub fn builtin(code: &str) -> Option<Stopwords> {
    let code = ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(code))
        .map_or(code, |&(_, target)| target);
    LISTS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|&(_, text)| Stopwords::from_sorted_text(text))
}

/// A set of stopwords: a built-in list, a custom one, or a union of several.
///
/// Building one from a built-in list only splits the embedded text into borrowed slices;
/// lookups are a binary search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stopwords {
    /// Sorted by code point, no duplicates.
    words: Vec<Cow<'static, str>>,
}

impl Stopwords {
    /// A list of the words in an embedded file, which is already sorted and
    /// deduplicated (the tests check that every file is).
    fn from_sorted_text(text: &'static str) -> Self {
        Self {
            words: text.lines().map(Cow::Borrowed).collect(),
        }
    }

    /// A user-supplied list. Each word is trimmed, lowercased (Unicode) and has `’` turned
    /// into `'`, as the analyzer does to the words it counts; empty entries are skipped,
    /// and duplicates are removed.
    #[must_use]
    pub fn custom(words: impl IntoIterator<Item = String>) -> Self {
        let mut words: Vec<Cow<'static, str>> = words
            .into_iter()
            .filter_map(|w| {
                let w = w.trim();
                (!w.is_empty()).then(|| Cow::Owned(w.replace('\u{2019}', "'").to_lowercase()))
            })
            .collect();
        words.sort_unstable();
        words.dedup();
        Self { words }
    }

    /// Adds every word of `other`, e.g. a custom list to a built-in one.
    pub fn extend(&mut self, other: &Stopwords) {
        if other.words.is_empty() {
            return;
        }
        self.words.extend(other.words.iter().cloned());
        self.words.sort_unstable();
        self.words.dedup();
    }

    /// Whether `word` is on the list. The comparison is exact, so pass the word in the
    /// analyzer's normal form: lowercase, with `'` rather than `’`.
    #[must_use]
    pub fn contains(&self, word: &str) -> bool {
        self.words
            .binary_search_by(|w| w.as_ref().cmp(word))
            .is_ok()
    }

    /// The number of words on the list.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.words.len()
    }

    /// The words, sorted by code point.
    #[cfg(test)]
    fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.words.iter().map(|w| &**w)
    }

    /// Whether the list has no words.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_match_the_embedded_lists() {
        let codes: Vec<&str> = LISTS.iter().map(|&(c, _)| c).collect();
        assert_eq!(codes, LANGUAGES);
        assert!(
            LANGUAGES.windows(2).all(|w| w[0] < w[1]),
            "LANGUAGES must be sorted and unique"
        );
        for code in LANGUAGES {
            assert!(
                code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()),
                "{code:?} is not an ISO 639-1 code"
            );
        }
        for (alias, target) in ALIASES {
            assert!(LANGUAGES.contains(target), "alias {alias} -> {target}");
            assert!(!LANGUAGES.contains(alias), "alias {alias} shadows a list");
        }
    }

    #[test]
    fn every_language_loads() {
        for code in LANGUAGES {
            let list = builtin(code).unwrap_or_else(|| panic!("{code} did not load"));
            assert!(list.len() >= 50, "{code}: only {} words", list.len());
            assert!(list.len() <= 600, "{code}: {} words", list.len());
        }
    }

    #[test]
    fn files_are_clean() {
        for &(code, text) in LISTS {
            assert!(!text.is_empty(), "{code}: empty file");
            assert!(text.ends_with('\n'), "{code}: no final newline");
            assert!(!text.contains('\r'), "{code}: CR in file");
            assert!(!text.starts_with('\u{feff}'), "{code}: byte-order mark");
            let words: Vec<&str> = text.split_terminator('\n').collect();
            for w in &words {
                assert!(!w.is_empty(), "{code}: empty line");
                assert_eq!(*w, w.trim(), "{code}: untrimmed {w:?}");
                assert_eq!(*w, w.to_lowercase(), "{code}: not lowercase {w:?}");
                assert!(
                    !w.contains('\u{2019}'),
                    "{code}: typographic apostrophe in {w:?}"
                );
                assert!(
                    w.chars().all(|c| c.is_alphabetic() || c == '\''),
                    "{code}: not a word {w:?}"
                );
            }
            for pair in words.windows(2) {
                assert!(
                    pair[0] < pair[1],
                    "{code}: {:?} then {:?} (unsorted or duplicate)",
                    pair[0],
                    pair[1]
                );
            }
            assert_eq!(builtin(code).map(|l| l.len()), Some(words.len()));
        }
    }

    #[test]
    fn common_words_are_found() {
        let en = builtin("en").unwrap();
        assert!(en.contains("the"));
        assert!(en.contains("and"));
        assert!(en.contains("don't"));
        assert!(!en.contains("The"), "lookups are exact");
        assert!(!en.contains("house"));
        assert!(!en.contains(""));
        assert!(builtin("de").unwrap().contains("und"));
        assert!(builtin("de").unwrap().contains("dass"));
        assert!(builtin("fr").unwrap().contains("le"));
        assert!(builtin("es").unwrap().contains("el"));
        assert!(builtin("ru").unwrap().contains("и"));
        assert!(builtin("pl").unwrap().contains("się"));
        let ro = builtin("ro").unwrap();
        assert!(
            ro.contains("şi") && ro.contains("și"),
            "both Romanian spellings"
        );
        assert!(!builtin("de").unwrap().contains("the"));
    }

    #[test]
    fn first_and_last_words_are_found() {
        for code in LANGUAGES {
            let list = builtin(code).unwrap();
            let words: Vec<&str> = list.iter().collect();
            for w in [words[0], words[words.len() / 2], words[words.len() - 1]] {
                assert!(list.contains(w), "{code}: {w:?}");
            }
        }
    }

    #[test]
    fn code_lookup_ignores_case_and_knows_aliases() {
        assert_eq!(builtin("EN"), builtin("en"));
        assert_eq!(builtin("De"), builtin("de"));
        assert!(builtin("EN").unwrap().contains("the"));
        assert_eq!(builtin("nb"), builtin("no"));
        assert_eq!(builtin("NN"), builtin("no"));
        assert!(builtin("nb").is_some());
    }

    #[test]
    fn unknown_codes_give_none() {
        for code in ["", "xx", "zz", "eng", "english", "en-US", " en", "e"] {
            assert_eq!(builtin(code), None, "{code:?}");
        }
    }

    #[test]
    fn custom_list_normalises_words() {
        let list = Stopwords::custom(
            ["Foo", "  bar ", "", "   ", "Don’t", "foo", "ÉTÉ"]
                .into_iter()
                .map(String::from),
        );
        assert_eq!(list.len(), 4);
        assert!(list.contains("foo"));
        assert!(list.contains("bar"));
        assert!(list.contains("don't"));
        assert!(list.contains("été"));
        assert!(!list.contains("Foo"));
        assert!(!list.contains(""));
        assert_eq!(
            list.iter().collect::<Vec<_>>(),
            ["bar", "don't", "foo", "été"]
        );
        assert!(Stopwords::custom(Vec::new()).is_empty());
    }

    #[test]
    fn builtin_and_custom_combine() {
        let mut list = builtin("en").unwrap();
        let before = list.len();
        list.extend(&Stopwords::custom(
            ["Widget", "the"].into_iter().map(String::from),
        ));
        assert_eq!(list.len(), before + 1, "\"the\" is not counted twice");
        assert!(list.contains("widget"));
        assert!(list.contains("the"));
        assert!(list.contains("yourselves"));
        let words: Vec<&str> = list.iter().collect();
        assert!(words.windows(2).all(|w| w[0] < w[1]));

        let mut both = builtin("de").unwrap();
        both.extend(&builtin("fr").unwrap());
        assert!(both.contains("und") && both.contains("le"));

        let mut empty = Stopwords::default();
        assert!(empty.is_empty() && !empty.contains("the"));
        empty.extend(&builtin("en").unwrap());
        assert_eq!(empty, builtin("en").unwrap());
        empty.extend(&Stopwords::default());
        assert_eq!(empty, builtin("en").unwrap());
    }
}
