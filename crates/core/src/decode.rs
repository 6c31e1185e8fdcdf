//! Streaming decoding with replacement: UTF-8 on a zero-copy fast path, every other
//! WHATWG encoding through encoding_rs.
//!
//! Carried between chunks: at most three bytes of an incomplete sequence. Invalid
//! bytes become U+FFFD exactly as `String::from_utf8_lossy` would replace them on the
//! whole input (one replacement per maximal invalid subpart, per the Unicode standard's
//! "best practice" that WHATWG's decoder also follows), so the decoded text does not
//! depend on where the chunks split.

/// Decodes UTF-8 pushed in arbitrary chunks into valid `&str` pieces.
#[derive(Debug, Default)]
pub(crate) struct Utf8Decoder {
    pending: [u8; 4],
    pending_len: usize,
    /// Number of U+FFFD replacements emitted so far.
    pub(crate) replacements: u64,
}

const REPLACEMENT: &str = "\u{FFFD}";

impl Utf8Decoder {
    /// Decodes `chunk`, calling `out` with each valid piece of text in order.
    pub(crate) fn push(&mut self, mut chunk: &[u8], out: &mut impl FnMut(&str)) {
        if self.pending_len > 0 {
            // Complete the sequence left over from the previous chunk. The pending bytes
            // are a valid prefix, so at most three more bytes decide it.
            let take = chunk.len().min(4 - self.pending_len);
            let mut buf = [0u8; 8];
            buf[..self.pending_len].copy_from_slice(&self.pending[..self.pending_len]);
            buf[self.pending_len..self.pending_len + take].copy_from_slice(&chunk[..take]);
            let joined = &buf[..self.pending_len + take];
            match core::str::from_utf8(joined) {
                Ok(s) => {
                    // Only possible when the sequence completed exactly.
                    out(s);
                    chunk = &chunk[take..];
                    self.pending_len = 0;
                }
                Err(e) if e.valid_up_to() > 0 => {
                    let n = e.valid_up_to();
                    // The pending character completed; what follows it in `joined` is
                    // decided by the main loop below. (`from_utf8` already vouched for
                    // this prefix, so the fallback never runs.)
                    out(core::str::from_utf8(&joined[..n]).unwrap_or(REPLACEMENT));
                    chunk = &chunk[n - self.pending_len..];
                    self.pending_len = 0;
                }
                Err(e) => match e.error_len() {
                    None => {
                        // Still incomplete: the chunk was too short to decide.
                        self.pending[self.pending_len..self.pending_len + take]
                            .copy_from_slice(&chunk[..take]);
                        self.pending_len += take;
                        return;
                    }
                    Some(n) => {
                        self.replace(out);
                        // The maximal subpart covers all pending bytes and possibly some
                        // of this chunk's.
                        chunk = &chunk[n.saturating_sub(self.pending_len)..];
                        self.pending_len = 0;
                    }
                },
            }
        }
        loop {
            match core::str::from_utf8(chunk) {
                Ok(s) => {
                    if !s.is_empty() {
                        out(s);
                    }
                    return;
                }
                Err(e) => {
                    let (valid, rest) = chunk.split_at(e.valid_up_to());
                    if !valid.is_empty() {
                        out(core::str::from_utf8(valid).unwrap_or(REPLACEMENT));
                    }
                    match e.error_len() {
                        Some(n) => {
                            self.replace(out);
                            chunk = &rest[n..];
                        }
                        None => {
                            self.pending[..rest.len()].copy_from_slice(rest);
                            self.pending_len = rest.len();
                            return;
                        }
                    }
                }
            }
        }
    }

    /// Ends the input: an incomplete trailing sequence becomes one U+FFFD.
    pub(crate) fn finish(&mut self, out: &mut impl FnMut(&str)) {
        if self.pending_len > 0 {
            self.pending_len = 0;
            self.replace(out);
        }
    }

    fn replace(&mut self, out: &mut impl FnMut(&str)) {
        self.replacements += 1;
        out(REPLACEMENT);
    }
}

/// A decoder for the encoding chosen by [`crate::sniff`].
#[derive(Debug)]
pub(crate) enum Decoder {
    Utf8(Utf8Decoder),
    Other {
        inner: encoding_rs::Decoder,
        /// Decoded text handed on; its capacity is fixed, so memory stays flat.
        out: String,
        replacements: u64,
    },
}

/// Decoded text is handed on in pieces of at most this many bytes.
const OUT_CAPACITY: usize = 16 * 1024;

impl Decoder {
    pub(crate) fn new(encoding: &'static encoding_rs::Encoding) -> Self {
        if encoding == encoding_rs::UTF_8 {
            Decoder::Utf8(Utf8Decoder::default())
        } else {
            Decoder::Other {
                inner: encoding.new_decoder_without_bom_handling(),
                out: String::with_capacity(OUT_CAPACITY),
                replacements: 0,
            }
        }
    }

    pub(crate) fn push(&mut self, bytes: &[u8], out: &mut impl FnMut(&str)) {
        match self {
            Decoder::Utf8(d) => d.push(bytes, out),
            Decoder::Other {
                inner,
                out: buf,
                replacements,
            } => {
                Self::legacy(inner, buf, replacements, bytes, false, out);
            }
        }
    }

    pub(crate) fn finish(&mut self, out: &mut impl FnMut(&str)) {
        match self {
            Decoder::Utf8(d) => d.finish(out),
            Decoder::Other {
                inner,
                out: buf,
                replacements,
            } => Self::legacy(inner, buf, replacements, &[], true, out),
        }
    }

    /// Counts replacements made by another decoder of the same input.
    pub(crate) fn add_replacements(&mut self, n: u64) {
        match self {
            Decoder::Utf8(d) => d.replacements += n,
            Decoder::Other { replacements, .. } => *replacements += n,
        }
    }

    /// Replacement characters produced for malformed input.
    pub(crate) fn replacements(&self) -> u64 {
        match self {
            Decoder::Utf8(d) => d.replacements,
            Decoder::Other { replacements, .. } => *replacements,
        }
    }

    fn legacy(
        inner: &mut encoding_rs::Decoder,
        buf: &mut String,
        replacements: &mut u64,
        mut bytes: &[u8],
        last: bool,
        out: &mut impl FnMut(&str),
    ) {
        use encoding_rs::DecoderResult;
        buf.clear();
        loop {
            let (result, read) = inner.decode_to_string_without_replacement(bytes, buf, last);
            bytes = &bytes[read..];
            match result {
                DecoderResult::Malformed(..) => {
                    // One U+FFFD per malformed sequence, as `decode_to_string` writes
                    // them, counted as it is written: UTF-16 and GB18030 can encode
                    // U+FFFD, so counting U+FFFDs in the output would count the text's
                    // own and depend on the chunk they were decoded with.
                    *replacements += 1;
                    if buf.capacity() - buf.len() < REPLACEMENT.len() {
                        out(buf);
                        buf.clear();
                    }
                    buf.push_str(REPLACEMENT);
                }
                DecoderResult::OutputFull => {
                    out(buf);
                    buf.clear();
                }
                DecoderResult::InputEmpty => {
                    if !buf.is_empty() {
                        out(buf);
                    }
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn decode_chunked(bytes: &[u8], sizes: &[usize]) -> (String, u64) {
        let mut d = Utf8Decoder::default();
        let mut s = String::new();
        let mut rest = bytes;
        let mut i = 0;
        while !rest.is_empty() {
            let n = sizes[i % sizes.len()].clamp(1, rest.len());
            d.push(&rest[..n], &mut |p| s.push_str(p));
            rest = &rest[n..];
            i += 1;
        }
        d.finish(&mut |p| s.push_str(p));
        (s, d.replacements)
    }

    #[test]
    fn named_cases_match_from_utf8_lossy() {
        let cases: &[(&str, &[u8])] = &[
            ("empty", b""),
            ("ascii", b"hello"),
            ("two byte", "é".as_bytes()),
            ("four byte", "😀".as_bytes()),
            ("lone continuation", b"a\x80b"),
            ("truncated at end", b"ab\xe2\x82"),
            ("bad second byte", b"\xe2\x28\xa1"),
            ("overlong", b"\xc0\xaf"),
            ("surrogate", b"\xed\xa0\x80"),
            ("above max", b"\xf4\x90\x80\x80"),
            ("lone lead then ascii", b"\xf0a"),
        ];
        for (name, bytes) in cases {
            let want = String::from_utf8_lossy(bytes);
            let want_reps = want.matches('\u{FFFD}').count() as u64;
            for size in 1..=5 {
                let (got, reps) = decode_chunked(bytes, &[size]);
                assert_eq!(got, want, "{name}, chunk {size}");
                assert_eq!(reps, want_reps, "{name}, chunk {size}");
            }
        }
    }

    proptest! {
        #[test]
        fn any_bytes_any_split_match_lossy(
            bytes in proptest::collection::vec(prop_oneof![any::<u8>(), 0x80u8..0xc0, 0xe0u8..0xf5], 0..64),
            sizes in proptest::collection::vec(1usize..8, 1..8),
        ) {
            let (got, _) = decode_chunked(&bytes, &sizes);
            prop_assert_eq!(got, String::from_utf8_lossy(&bytes));
        }
    }
}
