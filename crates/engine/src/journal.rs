//! The journal: every accepted event, in order, as JSON Lines with a hash chain.
//!
//! Each line is `{"prev":"<hash of the line before>","entry":{...},"hash":"<hash>"}` and
//! ends with a newline. `hash` is the SHA-256, in lower-case hex, of `prev` (its 64 hex
//! characters) followed by the exact bytes of `entry` as written; the first line's `prev` is
//! 64 zeros. Loading recomputes every hash, so an edited line, a line removed from the start
//! or the middle, lines swapped, or a last line cut short are reported with the line where
//! the chain breaks.
//!
//! Limitation: removing whole lines from the end leaves a shorter chain that is still valid.
//! Detecting that needs an anchor kept elsewhere (the last hash, or the count of entries,
//! stored apart from the file); `Journal::head` is the value to keep.

use crate::center::event::Entry;
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::fmt;

/// The `prev` of the first line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A journal read back: its entries and the hash of its last line (`GENESIS` when empty),
/// which the next appended line names as its `prev`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Journal {
    pub entries: Vec<Entry>,
    pub head: String,
}

impl Default for Journal {
    fn default() -> Journal {
        Journal {
            entries: Vec::new(),
            head: GENESIS.to_owned(),
        }
    }
}

/// Where and why a journal does not load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalError {
    /// 1-based line number.
    pub line: usize,
    pub kind: JournalErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JournalErrorKind {
    /// The line is not UTF-8 text.
    NotText,
    /// The line is not a journal line (`prev`, `entry`, `hash`); the message says why.
    BadLine(String),
    /// The line is well formed but its entry is not an event airview knows.
    BadEntry(String),
    /// `prev` is not the hash of the line before: a line was removed, added or reordered.
    PrevMismatch,
    /// `hash` does not match `prev` and the entry: the line was edited.
    HashMismatch,
    /// The last line has no line end: the file was cut short while being written.
    Truncated,
}

impl fmt::Display for JournalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "journal line {}: ", self.line)?;
        match &self.kind {
            JournalErrorKind::NotText => f.write_str("the line is not UTF-8 text"),
            JournalErrorKind::BadLine(why) => write!(f, "not a journal line: {why}"),
            JournalErrorKind::BadEntry(why) => write!(f, "not an event: {why}"),
            JournalErrorKind::PrevMismatch => {
                f.write_str("the chain breaks here: `prev` is not the hash of the line before (a line was removed, added or moved)")
            }
            JournalErrorKind::HashMismatch => f.write_str("the line was edited: its `hash` does not match its entry"),
            JournalErrorKind::Truncated => f.write_str("the line has no line end: the journal was cut short"),
        }
    }
}

impl std::error::Error for JournalError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    prev: String,
    #[serde(borrow)]
    entry: &'a RawValue,
    hash: String,
}

impl Journal {
    /// Reads a journal's text: its entries, or the first line where it breaks.
    pub fn parse(text: &str) -> Result<Vec<Entry>, JournalError> {
        Journal::read(text.as_bytes()).map(|j| j.entries)
    }

    /// Reads a journal's bytes (a file as read from disk, which need not be UTF-8 any more
    /// if someone edited it).
    pub fn read(bytes: &[u8]) -> Result<Journal, JournalError> {
        let mut journal = Journal::default();
        if bytes.is_empty() {
            return Ok(journal);
        }
        let mut rest = bytes;
        let mut line = 0;
        while !rest.is_empty() {
            line += 1;
            let err = |kind| JournalError { line, kind };
            let Some(end) = rest.iter().position(|b| *b == b'\n') else {
                return Err(err(JournalErrorKind::Truncated));
            };
            let (raw, tail) = rest.split_at(end);
            rest = tail.get(1..).unwrap_or_default();
            let text = std::str::from_utf8(raw).map_err(|_| err(JournalErrorKind::NotText))?;
            let parsed: Line<'_> = serde_json::from_str(text)
                .map_err(|e| err(JournalErrorKind::BadLine(crate::json::json_message(&e))))?;
            if parsed.prev != journal.head {
                return Err(err(JournalErrorKind::PrevMismatch));
            }
            if parsed.hash != chain_hash(&parsed.prev, parsed.entry.get()) {
                return Err(err(JournalErrorKind::HashMismatch));
            }
            let entry: Entry = serde_json::from_str(parsed.entry.get())
                .map_err(|e| err(JournalErrorKind::BadEntry(crate::json::json_message(&e))))?;
            journal.entries.push(entry);
            journal.head = parsed.hash;
        }
        Ok(journal)
    }

    /// The line to append after a line whose hash is `prev_hash` (`GENESIS` for the first),
    /// with its newline, and the new line's hash.
    pub fn append_line(prev_hash: &str, entry: &Entry) -> (String, String) {
        let entry_text = entry_json(entry);
        let hash = chain_hash(prev_hash, &entry_text);
        (
            format!("{{\"prev\":\"{prev_hash}\",\"entry\":{entry_text},\"hash\":\"{hash}\"}}\n"),
            hash,
        )
    }

    /// Appends an entry: records it and returns the line to write at the end of the file.
    pub fn push(&mut self, entry: Entry) -> String {
        let (line, hash) = Journal::append_line(&self.head, &entry);
        self.head = hash;
        self.entries.push(entry);
        line
    }

    /// A whole journal's text.
    pub fn write(entries: &[Entry]) -> String {
        let mut journal = Journal::default();
        entries.iter().map(|e| journal.push(e.clone())).collect()
    }
}

#[expect(
    clippy::expect_used,
    reason = "an entry holds strings, numbers, lists and maps with string keys, which serde_json always serialises"
)]
fn entry_json(entry: &Entry) -> String {
    serde_json::to_string(entry).expect("an entry serialises")
}

/// SHA-256 of `prev` followed by the entry's text, in lower-case hex.
pub fn chain_hash(prev: &str, entry_text: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev.as_bytes());
    hasher.update(entry_text.as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
