//! Word and sentence counts the way textstat 0.7.13 makes them, for the readability
//! formulas only.
//!
//! Readability scores must agree with textstat, the de-facto reference, and its counts
//! differ from the report's linguistic ones: a word is a whitespace-delimited token
//! holding a letter, digit or `_` (`well-known` is one word), and sentences are the
//! stretches between runs of `.`, `!` or `?` — abbreviations and decimals included —
//! that hold more than two words, at least one for any non-empty text. Counting both
//! ways in the same pass costs a few branches per word.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TextstatCounts {
    /// Tokens with a word character (textstat's `lexicon_count`).
    pub(crate) words: u64,
    /// Segments with more than two words.
    sentences: u64,
    /// Words of the current segment.
    segment_words: u64,
    /// Whether the current token already counted in `words` / in the segment.
    token_counted: bool,
    token_in_segment: bool,
    /// Whether any character was seen (textstat returns 0 sentences only for "").
    any_text: bool,
    /// Words of the first segment, once a terminator ended it: what a part of a text
    /// adds to the segment the part before it left open (see [`Self::merge`]).
    lead_words: Option<u64>,
}

impl TextstatCounts {
    /// A word character (letter, digit, `_`) in the current token.
    #[inline]
    pub(crate) fn word_char(&mut self) {
        self.any_text = true;
        if !self.token_counted {
            self.token_counted = true;
            self.words += 1;
        }
        if !self.token_in_segment {
            self.token_in_segment = true;
            self.segment_words += 1;
        }
    }

    /// `.`, `!` or `?`: ends a segment.
    #[inline]
    pub(crate) fn terminator(&mut self) {
        self.any_text = true;
        if self.lead_words.is_none() {
            self.lead_words = Some(self.segment_words);
        }
        if self.segment_words > 2 {
            self.sentences += 1;
        }
        self.segment_words = 0;
        self.token_in_segment = false;
    }

    /// Whitespace: the token ends.
    #[inline]
    pub(crate) fn gap(&mut self) {
        self.any_text = true;
        self.token_counted = false;
        self.token_in_segment = false;
    }

    /// A word from the segmenter; it may hold periods (`e.g`, `3.14`).
    #[inline]
    pub(crate) fn word(&mut self, word: &[u8]) {
        self.word_char();
        if word.len() > 2 && word[1..word.len() - 1].contains(&b'.') {
            // UAX #29 keeps `e.g` and `3.14` whole; textstat splits at each period.
            for &b in &word[1..] {
                if b == b'.' {
                    self.terminator();
                } else {
                    self.word_char();
                }
            }
        }
    }

    /// Any character of a token from the whitespace tokenizer.
    #[inline]
    pub(crate) fn token_char(&mut self, c: char) {
        match c {
            '.' | '!' | '?' => self.terminator(),
            '_' => self.word_char(),
            c if crate::words::is_alphanumeric(c) => self.word_char(),
            _ => self.any_text = true,
        }
    }

    /// The counts of this text followed by `next`, which starts at a token's start.
    pub(crate) fn merge(&mut self, next: &TextstatCounts) {
        self.words += next.words;
        self.any_text |= next.any_text;
        match next.lead_words {
            // The segment left open here goes on into `next` and ends at its first
            // terminator, which `next` counted with its own words only.
            Some(lead) => {
                let joined = self.segment_words + lead;
                self.sentences =
                    self.sentences + next.sentences + u64::from(joined > 2) - u64::from(lead > 2);
                self.lead_words.get_or_insert(joined);
                self.segment_words = next.segment_words;
            }
            None => {
                self.sentences += next.sentences;
                self.segment_words += next.segment_words;
            }
        }
        self.token_counted = next.token_counted;
        self.token_in_segment = next.token_in_segment;
    }

    /// textstat's `sentence_count`: at least one for any text.
    pub(crate) fn sentences(&self) -> u64 {
        let last = u64::from(self.segment_words > 2);
        if self.any_text {
            (self.sentences + last).max(1)
        } else {
            0
        }
    }
}
