//! Sentence boundaries, decided on the stream of words and punctuation.
//!
//! The rule, in order:
//! 1. A sentence ends at `!`, `?` or `‽` (possibly repeated, possibly followed by
//!    closing quotes or brackets) when whitespace or the end of the text follows.
//! 2. A `.` or `…` in that position ends a sentence too, unless the word before it is
//!    - a title or a Latin abbreviation that does not end sentences (`Dr.`, `Mr.`,
//!      `St.`, `e.g.`, `i.e.`, `cf.`, `vs.`), or a single capital letter (an initial,
//!      `J. Smith`): no end;
//!    - an abbreviation with inner periods (`a.m.`, `U.S.`) or one of a few that often
//!      end sentences (`etc.`, `Inc.`): an end only if the next word starts with a
//!      capital letter (`at 7 a.m. and` is one sentence, `at 7 a.m. Then` two).
//! 3. The CJK full stops `。` `！` `？` `｡` end a sentence at once.
//! 4. A blank line (a paragraph break) and the end of the text end any open sentence.
//!
//! A sentence needs at least one word: stray punctuation does not count.

/// How the word before a period affects the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordKind {
    Normal,
    /// A period after it never ends a sentence.
    NeverEnds,
    /// A period after it ends a sentence only before a capitalized word.
    EndsBeforeCapital,
}

const NEVER_ENDS: &[&str] = &[
    "capt", "cf", "col", "dr", "e.g", "fr", "gen", "gov", "hon", "i.e", "jr", "lt", "mr", "mrs",
    "ms", "mt", "prof", "rep", "rev", "sen", "sgt", "sr", "st", "viz", "vs",
];
const ENDS_BEFORE_CAPITAL: &[&str] = &["al", "approx", "co", "corp", "etc", "inc", "ltd", "no"];

/// Classifies the word before a period. `single_capital` says whether it was one
/// capital letter as written (the word itself may have been case-folded since).
pub(crate) fn classify(word: &[u8], single_capital: bool) -> WordKind {
    if single_capital {
        return WordKind::NeverEnds;
    }
    if word.len() <= 6 && word.is_ascii() {
        let mut buf = [0u8; 6];
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word);
        lower.make_ascii_lowercase();
        let lower = core::str::from_utf8(lower).unwrap_or_default();
        if NEVER_ENDS.binary_search(&lower).is_ok() {
            return WordKind::NeverEnds;
        }
        if ENDS_BEFORE_CAPITAL.binary_search(&lower).is_ok() {
            return WordKind::EndsBeforeCapital;
        }
    }
    if word.contains(&b'.') {
        return WordKind::EndsBeforeCapital;
    }
    WordKind::Normal
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    None,
    /// A terminator followed the last word; `confirmed` once whitespace came after it.
    Terminator {
        strong: bool,
        confirmed: bool,
    },
}

/// The sentence state machine. Words must be reported with their original case.
#[derive(Debug)]
pub(crate) struct Sentences {
    pending: Pending,
    /// The kind of the word before the pending period, classified when the period came.
    prev: WordKind,
    prev_single_capital: bool,
    words_in_sentence: u64,
    /// The first words of the sentence under way.
    start: String,
    /// Sentences completed so far.
    pub(crate) count: u64,
    /// The most words in a sentence so far, and that sentence's first words.
    pub(crate) longest: u64,
    pub(crate) longest_start: String,
}

/// Words of the longest sentence the report quotes.
pub const LONGEST_SENTENCE_WORDS: u64 = 12;

impl Sentences {
    pub(crate) fn new() -> Self {
        Self {
            pending: Pending::None,
            prev: WordKind::Normal,
            prev_single_capital: false,
            words_in_sentence: 0,
            start: String::new(),
            count: 0,
            longest: 0,
            longest_start: String::new(),
        }
    }

    /// A word begins; returns true if it starts a new sentence (so bigrams restart).
    pub(crate) fn word(&mut self, word: &str) -> bool {
        let mut ended = false;
        if let Pending::Terminator {
            strong,
            confirmed: true,
        } = self.pending
        {
            let ends = strong
                || match self.prev {
                    WordKind::Normal => true,
                    WordKind::NeverEnds => false,
                    WordKind::EndsBeforeCapital => {
                        word.chars().next().is_some_and(char::is_uppercase)
                    }
                };
            if ends {
                ended = self.end();
            }
        }
        self.pending = Pending::None;
        if self.words_in_sentence < LONGEST_SENTENCE_WORDS {
            if !self.start.is_empty() {
                self.start.push(' ');
            }
            self.start.push_str(word);
        }
        self.words_in_sentence += 1;
        self.prev_single_capital = match word.as_bytes() {
            [b] => b.is_ascii_uppercase(),
            b if b.len() <= 4 && !word.is_ascii() => {
                let mut cs = word.chars();
                matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
            }
            _ => false,
        };
        ended
    }

    /// Punctuation after `prev_word`, the last word seen (possibly case-folded).
    pub(crate) fn punct(&mut self, c: char, prev_word: &[u8]) -> bool {
        match c {
            '.' | '\u{2026}' => {
                if self.words_in_sentence > 0 && self.pending == Pending::None {
                    self.pending = Pending::Terminator {
                        strong: false,
                        confirmed: false,
                    };
                    self.prev = classify(prev_word, self.prev_single_capital);
                }
            }
            '!' | '?' | '\u{203d}' => {
                if self.words_in_sentence > 0
                    && !matches!(
                        self.pending,
                        Pending::Terminator {
                            confirmed: true,
                            ..
                        }
                    )
                {
                    self.pending = Pending::Terminator {
                        strong: true,
                        confirmed: false,
                    };
                }
            }
            '\u{3002}' | '\u{ff01}' | '\u{ff1f}' | '\u{ff61}' => {
                self.pending = Pending::None;
                return self.end();
            }
            '"' | '\'' | ')' | ']' | '}' | '\u{bb}' | '\u{201d}' | '\u{2019}' | '\u{203a}'
            | '\u{300d}' | '\u{300f}' => {}
            _ => {
                if let Pending::Terminator {
                    confirmed: false, ..
                } = self.pending
                {
                    self.pending = Pending::None;
                }
            }
        }
        false
    }

    /// Whitespace; `paragraph` when it holds a blank line. Returns true if a sentence ended.
    pub(crate) fn gap(&mut self, paragraph: bool) -> bool {
        if let Pending::Terminator { strong, .. } = self.pending {
            self.pending = Pending::Terminator {
                strong,
                confirmed: true,
            };
        }
        if paragraph {
            self.pending = Pending::None;
            return self.end();
        }
        false
    }

    /// The sentences of this text followed by `next`, which starts after a
    /// paragraph break (where no sentence is open).
    pub(crate) fn merge(&mut self, next: &Sentences) {
        debug_assert_eq!(self.words_in_sentence, 0);
        self.count += next.count;
        if next.longest > self.longest {
            self.longest = next.longest;
            self.longest_start.clone_from(&next.longest_start);
        }
        self.start.clone_from(&next.start);
        self.pending = next.pending;
        self.prev = next.prev;
        self.prev_single_capital = next.prev_single_capital;
        self.words_in_sentence = next.words_in_sentence;
    }

    /// Ends the text.
    pub(crate) fn finish(&mut self) {
        self.end();
    }

    fn end(&mut self) -> bool {
        if self.words_in_sentence == 0 {
            return false;
        }
        self.count += 1;
        if self.words_in_sentence > self.longest {
            self.longest = self.words_in_sentence;
            core::mem::swap(&mut self.longest_start, &mut self.start);
        }
        self.start.clear();
        self.words_in_sentence = 0;
        self.prev = WordKind::Normal;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(NEVER_ENDS.windows(2).all(|w| w[0] < w[1]));
        assert!(ENDS_BEFORE_CAPITAL.windows(2).all(|w| w[0] < w[1]));
    }
}
