//! The fixture upstream of `cargo xtask load`: a small HTTP/1.1 server on 127.0.0.1
//! in the xtask process (std `TcpListener`, a thread per connection, keep-alive), so
//! that the fetcher's traffic never leaves the machine and the pages are known.
//!
//! | path | what |
//! |---|---|
//! | `/10k.html` | 10 KiB of HTML |
//! | `/1m.html` | 1 MiB |
//! | `/10m.html` | 10 MiB |
//! | `/slow.html` | 10 KiB dripped in 40 pieces, one every 50 ms (2 s a page) |
//!
//! The query string is ignored, so `?n=…` names a fresh cache key for the same
//! bytes. Pages are made once by a seeded generator: English-looking text (common
//! words, content words, made-up rare words, Zipf-like), headings, links, exact
//! sizes, and a known word count that the load task checks against wca's report.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use crate::Result;

/// Page sizes, in bytes.
pub const SMALL: usize = 10 << 10;
pub const MEDIUM: usize = 1 << 20;
pub const LARGE: usize = 10 << 20;
/// The slow page: `SLOW_PIECES` pieces of `SMALL / SLOW_PIECES` bytes, `SLOW_GAP` apart.
const SLOW_PIECES: usize = 40;
const SLOW_GAP: Duration = Duration::from_millis(50);
/// An idle keep-alive connection is closed after this long (Apache waits 5 s, nginx
/// 75 s): longer than wca's own upstream keep-alive (5 s), so wca should close
/// first, and short enough that the load task's wait after the load sees which
/// side did.
const IDLE: Duration = Duration::from_secs(10);

/// A generated page and the number of words wca should count in it.
pub struct FixturePage {
    pub body: Vec<u8>,
    pub words: u64,
}

/// The fixture's pages.
pub struct Pages {
    pub small: FixturePage,
    pub medium: FixturePage,
    pub large: FixturePage,
    pub slow: FixturePage,
}

impl Pages {
    pub fn generate() -> Pages {
        Pages {
            small: page(1, SMALL),
            medium: page(2, MEDIUM),
            large: page(3, LARGE),
            slow: page(4, SMALL),
        }
    }
}

/// The running fixture. Its threads live as long as the xtask process.
pub struct Upstream {
    pub addr: SocketAddr,
    /// Connections open now (wca's keep-alive pool to us).
    pub open: Arc<AtomicUsize>,
    /// Connections accepted, and requests answered, since the start.
    pub accepted: Arc<AtomicU64>,
    pub requests: Arc<AtomicU64>,
}

impl Upstream {
    pub fn start(pages: Arc<Pages>) -> Result<Upstream> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let open = Arc::new(AtomicUsize::new(0));
        let accepted = Arc::new(AtomicU64::new(0));
        let requests = Arc::new(AtomicU64::new(0));
        let (o, a, r) = (open.clone(), accepted.clone(), requests.clone());
        std::thread::Builder::new()
            .name("fixture-accept".into())
            .spawn(move || {
                for stream in listener.incoming() {
                    let Ok(stream) = stream else { continue };
                    a.fetch_add(1, Ordering::Relaxed);
                    o.fetch_add(1, Ordering::SeqCst);
                    let (pages, o, r) = (pages.clone(), o.clone(), r.clone());
                    let open = o.clone();
                    let spawned = std::thread::Builder::new()
                        .name("fixture-conn".into())
                        .stack_size(64 << 10)
                        .spawn(move || {
                            // A client that goes away mid-answer is normal under load.
                            let _ = connection(stream, &pages, &r);
                            open.fetch_sub(1, Ordering::SeqCst);
                        });
                    if spawned.is_err() {
                        o.fetch_sub(1, Ordering::SeqCst);
                    }
                }
            })?;
        Ok(Upstream {
            addr,
            open,
            accepted,
            requests,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// Answers requests on one connection until the client closes it, asks to close,
/// or stays idle for `IDLE`.
fn connection(stream: TcpStream, pages: &Pages, requests: &AtomicU64) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE))?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let request = line.trim_end().to_string();
        let mut close = request.ends_with("HTTP/1.0");
        let mut length = 0u64;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 || line.len() > 8 << 10 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("connection") {
                    close = value.eq_ignore_ascii_case("close");
                } else if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse().unwrap_or(0);
                }
            }
        }
        io::copy(&mut (&mut reader).take(length), &mut io::sink())?;
        requests.fetch_add(1, Ordering::Relaxed);
        let target = request.split(' ').nth(1).unwrap_or("/");
        let path = target.split_once('?').map_or(target, |(p, _)| p);
        match path {
            "/10k.html" => respond(&mut writer, "200 OK", &pages.small.body, close)?,
            "/1m.html" => respond(&mut writer, "200 OK", &pages.medium.body, close)?,
            "/10m.html" => respond(&mut writer, "200 OK", &pages.large.body, close)?,
            "/slow.html" => drip(&mut writer, &pages.slow.body, close)?,
            _ => respond(&mut writer, "404 Not Found", b"not found\n", close)?,
        }
        if close {
            return Ok(());
        }
    }
}

fn head(status: &str, length: usize, close: bool) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {length}\r\nConnection: {}\r\n\r\n",
        if close { "close" } else { "keep-alive" }
    )
}

fn respond(w: &mut TcpStream, status: &str, body: &[u8], close: bool) -> io::Result<()> {
    w.write_all(head(status, body.len(), close).as_bytes())?;
    w.write_all(body)
}

fn drip(w: &mut TcpStream, body: &[u8], close: bool) -> io::Result<()> {
    w.write_all(head("200 OK", body.len(), close).as_bytes())?;
    for piece in body.chunks(body.len().div_ceil(SLOW_PIECES)) {
        std::thread::sleep(SLOW_GAP);
        w.write_all(piece)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Pages

/// splitmix64: small, seeded, the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// An index below `n`, small ones far likelier (roughly Zipf).
    fn skewed(&mut self, n: usize) -> usize {
        let k = self.below(n) + 1;
        self.below(k)
    }
}

const COMMON: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be",
    "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have",
    "an", "had", "they", "you", "were", "their", "one", "all", "we", "can", "her", "has", "there",
    "been", "if", "more", "when", "will", "would", "who", "so", "no", "she", "other", "its", "may",
    "these", "about", "than", "into", "only", "some", "could", "them", "what",
];

const CONTENT: &[&str] = &[
    "time",
    "people",
    "year",
    "way",
    "day",
    "thing",
    "world",
    "life",
    "hand",
    "part",
    "child",
    "eye",
    "woman",
    "place",
    "work",
    "week",
    "case",
    "point",
    "government",
    "company",
    "number",
    "group",
    "problem",
    "fact",
    "river",
    "garden",
    "window",
    "morning",
    "letter",
    "music",
    "winter",
    "village",
    "mountain",
    "island",
    "market",
    "journey",
    "question",
    "answer",
    "language",
    "history",
    "science",
    "reason",
    "picture",
    "station",
    "kitchen",
    "harbour",
    "bridge",
    "forest",
    "lantern",
    "silver",
    "quiet",
    "bright",
    "ancient",
    "careful",
    "simple",
    "strange",
    "gentle",
    "narrow",
    "heavy",
    "early",
    "distant",
    "sudden",
    "common",
    "useful",
    "remember",
    "follow",
    "believe",
    "carry",
    "discover",
    "explain",
    "gather",
    "measure",
    "promise",
    "travel",
    "wonder",
    "whisper",
    "listen",
    "build",
    "open",
    "write",
    "read",
    "count",
    "walk",
    "turn",
    "speak",
    "watch",
    "learn",
    "change",
    "grow",
    "stand",
    "begin",
    "analysis",
    "frequency",
    "stream",
    "server",
    "memory",
    "network",
    "pattern",
    "signal",
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "sto", "va", "quel", "dor", "thi", "bra", "nu", "pel", "esk", "tra",
    "yo", "zin", "mar", "ul", "fen", "gri", "os", "ba", "cle", "dru",
];

fn word(rng: &mut Rng, out: &mut String) {
    match rng.below(20) {
        0..=8 => out.push_str(COMMON[rng.skewed(COMMON.len())]),
        9..=16 => out.push_str(CONTENT[rng.skewed(CONTENT.len())]),
        // Made-up rare words: many distinct ones, as real pages have.
        _ => {
            for _ in 0..2 + rng.below(3) {
                out.push_str(SYLLABLES[rng.below(SYLLABLES.len())]);
            }
        }
    }
}

/// `n` words separated by spaces, the first capitalized if asked; returns `n`.
fn words(rng: &mut Rng, n: usize, capital: bool, out: &mut String) -> u64 {
    for i in 0..n {
        if i > 0 {
            out.push_str(if rng.below(12) == 0 { ", " } else { " " });
        }
        let start = out.len();
        word(rng, out);
        if capital && i == 0 {
            out[start..start + 1].make_ascii_uppercase();
        }
    }
    n as u64
}

/// A paragraph: sentences of 6 to 20 words, now and then a link.
fn paragraph(rng: &mut Rng, out: &mut String) -> u64 {
    let mut count = 0;
    out.push_str("<p>");
    for s in 0..3 + rng.below(5) {
        if s > 0 {
            out.push(' ');
        }
        let n = 6 + rng.below(15);
        count += words(rng, n, true, out);
        if rng.below(6) == 0 {
            let _ = std::fmt::Write::write_fmt(
                out,
                format_args!(" <a href=\"/page-{}.html\">", rng.below(1000)),
            );
            let n = 1 + rng.below(3);
            count += words(rng, n, false, out);
            out.push_str("</a>");
        }
        out.push(if rng.below(10) == 0 { '?' } else { '.' });
    }
    out.push_str("</p>\n");
    count
}

/// A page of exactly `size` bytes, made from `seed`.
fn page(seed: u64, size: usize) -> FixturePage {
    let mut rng = Rng(seed);
    let mut html = String::with_capacity(size);
    html.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    // The title is the page's name, reported apart, not its text: not counted.
    words(&mut rng, 3, true, &mut html);
    html.push_str(
        "</title>\n<style>p { margin: 0 }</style>\n</head>\n<body>\n<main>\n<h1>Fixture</h1>\n",
    );
    let mut count = 1;
    const TAIL: &str = "</main>\n</body>\n</html>\n";
    let mut piece = String::new();
    let mut n = 0;
    loop {
        piece.clear();
        let mut piece_words = 0;
        if n % 8 == 7 {
            piece.push_str("<h2>");
            let n = 2 + rng.below(3);
            piece_words += words(&mut rng, n, true, &mut piece);
            piece.push_str("</h2>\n");
        }
        piece_words += paragraph(&mut rng, &mut piece);
        if html.len() + piece.len() + TAIL.len() > size {
            break;
        }
        html.push_str(&piece);
        count += piece_words;
        n += 1;
    }
    // Fill what is left with a last paragraph, word by word, then whitespace.
    let room = size - html.len() - TAIL.len();
    if room > "<p></p>\n".len() + 16 {
        html.push_str("<p>");
        let limit = size - TAIL.len() - "</p>\n".len();
        loop {
            piece.clear();
            piece.push(' ');
            word(&mut rng, &mut piece);
            if html.len() + piece.len() > limit {
                break;
            }
            html.push_str(&piece);
            count += 1;
        }
        html.push_str("</p>\n");
    }
    while html.len() + TAIL.len() < size {
        html.push('\n');
    }
    html.push_str(TAIL);
    debug_assert_eq!(html.len(), size);
    FixturePage {
        body: html.into_bytes(),
        words: count,
    }
}
