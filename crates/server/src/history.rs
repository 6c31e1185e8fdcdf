//! Recent analyses, kept in memory: a bounded queue of summaries, oldest out first,
//! with whole reports only within a byte budget.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;
use wca_core::Report;

/// What a history listing shows of an analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// 128 random bits, as 32 lowercase hex digits: whoever holds the id may read
    /// the analysis, and nobody can guess one.
    pub id: String,
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
    /// Whether the whole report is still kept (the in-memory history drops the
    /// oldest reports past its byte budget, and keeps their summaries).
    pub report: bool,
}

impl Summary {
    pub fn of(report: &Report, source: &str) -> Summary {
        Summary {
            id: String::new(),
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
            report: true,
        }
    }
}

/// A new analysis id: 128 bits from the operating system's generator, in hex.
pub fn new_id() -> String {
    let mut bits = [0u8; 16];
    // The OS generator does not fail on the systems wca runs on; if it ever did,
    // an id must still not be guessable, so the server stops rather than go on.
    getrandom::fill(&mut bits).expect("the operating system's random generator failed");
    bits.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `id` has the shape of an analysis id (checked before any lookup).
pub fn is_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// What the history holds for an id.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    /// The report's JSON.
    Report(String),
    /// The summary only: the report was dropped to keep within the byte budget.
    Dropped,
}

pub struct History {
    capacity: usize,
    budget: usize,
    inner: Mutex<Inner>,
}

struct Inner {
    entries: VecDeque<(Summary, Option<String>)>,
    /// Bytes of the reports kept.
    bytes: usize,
}

impl History {
    /// At most `capacity` summaries, and reports of at most `budget` bytes in all.
    pub fn new(capacity: usize, budget: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            budget,
            inner: Mutex::new(Inner {
                entries: VecDeque::new(),
                bytes: 0,
            }),
        }
    }

    /// Stores an analysis and its report JSON; returns its id. The report is kept
    /// only if it fits the budget; older reports are dropped to make room.
    pub fn insert(&self, mut summary: Summary, report_json: String) -> String {
        let id = new_id();
        summary.id = id.clone();
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let report = (report_json.len() <= self.budget).then_some(report_json);
        summary.report = report.is_some();
        inner.bytes += report.as_ref().map_or(0, String::len);
        inner.entries.push_front((summary, report));
        while inner.entries.len() > self.capacity {
            if let Some((_, Some(r))) = inner.entries.pop_back() {
                inner.bytes -= r.len();
            }
        }
        // Oldest reports out first, their summaries kept.
        let mut i = inner.entries.len();
        while inner.bytes > self.budget && i > 0 {
            i -= 1;
            let (summary, report) = &mut inner.entries[i];
            if let Some(r) = report.take() {
                summary.report = false;
                inner.bytes -= r.len();
            }
        }
        id
    }

    pub fn get(&self, id: &str) -> Option<Stored> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner
            .entries
            .iter()
            .find(|(s, _)| s.id == id)
            .map(|(_, json)| json.clone().map_or(Stored::Dropped, Stored::Report))
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

    /// The summaries of those of `ids` still here, newest first.
    pub fn summaries(&self, ids: &[String]) -> Vec<Summary> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner
            .entries
            .iter()
            .filter(|(s, _)| ids.contains(&s.id))
            .map(|(s, _)| s.clone())
            .collect()
    }

    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entries
            .len()
    }

    /// Bytes of the reports kept.
    pub fn bytes(&self) -> usize {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> Summary {
        Summary {
            id: String::new(),
            created: 0,
            source: "upload".into(),
            url: None,
            format: "text".into(),
            bytes: 0,
            words: 0,
            title: None,
            language: None,
            report: true,
        }
    }

    #[test]
    fn ids_are_128_random_bits_in_hex() {
        let ids: std::collections::HashSet<String> = (0..1000).map(|_| new_id()).collect();
        assert_eq!(ids.len(), 1000);
        assert!(ids.iter().all(|id| is_id(id)));
        assert!(!is_id("1") && !is_id(&"A".repeat(32)) && !is_id(&"0".repeat(33)));
    }

    #[test]
    fn reports_stay_within_the_budget_and_summaries_within_the_count() {
        let history = History::new(10, 1000);
        let mut ids = Vec::new();
        for i in 0..20 {
            ids.push(history.insert(summary(), format!("{i:0>300}")));
            assert!(history.bytes() <= 1000, "{}", history.bytes());
        }
        assert_eq!(history.len(), 10);
        // The newest three reports fit; older summaries stay, without reports.
        assert_eq!(
            history.get(&ids[19]),
            Some(Stored::Report(format!("{:0>300}", 19)))
        );
        assert_eq!(
            history.get(&ids[17]),
            Some(Stored::Report(format!("{:0>300}", 17)))
        );
        assert_eq!(history.get(&ids[16]), Some(Stored::Dropped));
        assert_eq!(history.get(&ids[9]), None);
        let (total, page) = history.page(0, 4);
        assert_eq!(total, 10);
        assert_eq!(
            page.iter().map(|s| s.report).collect::<Vec<_>>(),
            [true, true, true, false]
        );
        // A report larger than the whole budget is never held.
        let big = history.insert(summary(), "x".repeat(1001));
        assert_eq!(history.get(&big), Some(Stored::Dropped));
        assert!(history.bytes() <= 1000);
        assert_eq!(history.summaries(&[big.clone(), ids[19].clone()]).len(), 2);
    }
}
