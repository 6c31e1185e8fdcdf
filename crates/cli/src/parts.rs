//! A large plain-text file analyzed on several cores: cut at paragraph breaks near
//! equal shares ([`wca_core::paragraph_cut`]), each part read by a thread of its own
//! and the analyses joined ([`Analyzer::join`]), which gives byte for byte the
//! report of one thread. Anything else (HTML, another encoding, a small file, parts
//! that together outgrow exact counting) is analyzed in one piece.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use anyhow::{Context, Result};
use wca_core::{Analyzer, Options, paragraph_cut};

use crate::cli::stream;

/// Files smaller than this are read by one thread: the second would not pay.
pub(crate) const MIN_BYTES: u64 = 1 << 20;

/// Bytes searched for a paragraph break after each share's boundary.
const WINDOW: usize = 1 << 20;

/// Bytes read before the format and encoding are known.
const HEAD: usize = 64 * 1024;

/// Analyzes the file at `path` in `threads` parts when it can be cut; `None` when it
/// cannot, and the caller reads it in one piece.
pub(crate) fn analyze(
    path: &Path,
    options: &Options,
    threads: usize,
    chunk_size: u64,
) -> Result<Option<Analyzer>> {
    let name = path.display().to_string();
    let mut file = File::open(path).with_context(|| format!("cannot open {name}"))?;
    let meta = file.metadata()?;
    let len = meta.len();
    if threads < 2 || !meta.is_file() || len < MIN_BYTES {
        return Ok(None);
    }
    let mut first = Analyzer::new(options.clone())?;
    let mut head = vec![0u8; HEAD];
    file.read_exact(&mut head)
        .with_context(|| format!("cannot read {name}"))?;
    first.push(&head);
    if !first.splittable() {
        return Ok(None);
    }
    // Where each part starts: a paragraph break after each equal share.
    let mut starts = vec![0u64];
    for k in 1..threads as u64 {
        let from = (len * k / threads as u64).max(HEAD as u64);
        let last = *starts.last().unwrap_or(&0);
        if from <= last {
            continue;
        }
        let mut window = vec![0u8; WINDOW.min((len - from) as usize)];
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(&mut window)
            .with_context(|| format!("cannot read {name}"))?;
        if let Some(off) = paragraph_cut(&window) {
            starts.push(from + off as u64);
        }
    }
    if starts.len() < 2 {
        return Ok(None);
    }
    starts.push(len);
    file.seek(SeekFrom::Start(HEAD as u64))?;
    let parts = std::thread::scope(|scope| -> Result<Vec<Analyzer>> {
        let rest: Vec<_> = starts
            .windows(2)
            .skip(1)
            .map(|w| {
                let (from, to) = (w[0], w[1]);
                let name = &name;
                scope.spawn(move || -> Result<Analyzer> {
                    let mut part = File::open(path)?;
                    part.seek(SeekFrom::Start(from))?;
                    let mut a = Analyzer::continuation(options.clone())?;
                    stream(name, &mut part.take(to - from), chunk_size, |c| a.push(c))?;
                    Ok(a)
                })
            })
            .collect();
        stream(
            &name,
            &mut (&mut file).take(starts[1] - HEAD as u64),
            chunk_size,
            |c| first.push(c),
        )?;
        let mut all = vec![first];
        for handle in rest {
            let part = handle
                .join()
                .map_err(|_| anyhow::anyhow!("a reader of {name} failed"))?
                .with_context(|| format!("cannot read {name}"))?;
            all.push(part);
        }
        Ok(all)
    })?;
    let n = parts.len();
    let mut parts = parts.into_iter();
    let mut joined = parts.next();
    for part in parts {
        joined = joined.and_then(|a| a.join(part));
    }
    if std::env::var_os("WCA_TRACE_PARTS").is_some() {
        // For the tests, which cannot tell otherwise: the reports are the same.
        let how = if joined.is_some() {
            "joined"
        } else {
            "not joined"
        };
        eprintln!("wca: {name} read in {n} parts, {how}");
    }
    Ok(joined)
}
