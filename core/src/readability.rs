//! Placeholder until the readability module lands (being written in parallel).
/// Syllables in an English word.
pub fn english_syllables(word: &str) -> u32 {
    let mut n = 0;
    let mut prev = false;
    for c in word.chars() {
        let v = matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
        if v && !prev {
            n += 1;
        }
        prev = v;
    }
    n.max(1)
}
/// FRE.
pub fn flesch_reading_ease(words: u64, sentences: u64, syllables: u64) -> Option<f64> {
    if words == 0 || sentences == 0 {
        return None;
    }
    Some(206.835 - 1.015 * (words as f64 / sentences as f64) - 84.6 * (syllables as f64 / words as f64))
}
/// FK.
pub fn flesch_kincaid_grade(words: u64, sentences: u64, syllables: u64) -> Option<f64> {
    if words == 0 || sentences == 0 {
        return None;
    }
    Some(0.39 * (words as f64 / sentences as f64) + 11.8 * (syllables as f64 / words as f64) - 15.59)
}
