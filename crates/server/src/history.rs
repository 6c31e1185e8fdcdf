//! Recent analyses, kept in memory: a bounded queue, oldest out first.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;
use wca_core::Report;

/// What a history listing shows of an analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: u64,
    /// Seconds since the Unix epoch.
    pub created: u64,
    /// Where the text came from: `upload` or `url`.
    pub source: String,
    /// The fetched URL (after redirects), for `url` analyses.
    pub url: Option<String>,
    pub format: String,
    pub bytes: u64,
    pub words: u64,
    pub title: Option<String>,
    pub language: Option<String>,
}

impl Summary {
    pub fn of(report: &Report, source: &str) -> Summary {
        Summary {
            id: 0,
            created: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            source: source.to_string(),
            url: report.input.url.clone(),
            format: report.input.format.as_str().to_string(),
            bytes: report.input.bytes,
            words: report.counts.words,
            title: report.page.as_ref().and_then(|p| p.structure.title.clone()),
            language: report.language.as_ref().map(|l| l.name.clone()),
        }
    }
}

pub struct History {
    capacity: usize,
    inner: Mutex<Inner>,
}

struct Inner {
    next_id: u64,
    entries: VecDeque<(Summary, String)>,
}

impl History {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            inner: Mutex::new(Inner {
                next_id: 1,
                entries: VecDeque::new(),
            }),
        }
    }

    /// Stores an analysis and its report JSON; returns its id.
    pub fn insert(&self, mut summary: Summary, report_json: String) -> u64 {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let id = inner.next_id;
        inner.next_id += 1;
        summary.id = id;
        inner.entries.push_front((summary, report_json));
        while inner.entries.len() > self.capacity {
            inner.entries.pop_back();
        }
        id
    }

    pub fn get(&self, id: u64) -> Option<String> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner
            .entries
            .iter()
            .find(|(s, _)| s.id == id)
            .map(|(_, json)| json.clone())
    }

    /// Newest first: the total and the summaries in `[offset, offset + limit)`.
    pub fn page(&self, offset: usize, limit: usize) -> (usize, Vec<Summary>) {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        (
            inner.entries.len(),
            inner
                .entries
                .iter()
                .skip(offset)
                .take(limit)
                .map(|(s, _)| s.clone())
                .collect(),
        )
    }

    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entries
            .len()
    }
}
