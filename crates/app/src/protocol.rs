//! The loading worker's protocol: one message type per direction, used by both halves.
//!
//! A message travels as its JSON text with the handles it refers to (the files to read, the
//! snapshot) beside it, by position: handles cannot be serialised, and the platform moves them
//! without copying their bytes. Each side has one small transport function that puts the two
//! together and takes them apart (`web/src/loading/transport.rs`); no other code reads a
//! message but through these types.

use serde::{Deserialize, Serialize};

/// From the page to the worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToWorker {
    /// Read `files` into the data `base` holds (a snapshot), and send back the new data as a
    /// snapshot.
    Load {
        files: Vec<FileRef>,
        /// The position of the snapshot among the handles; none for a load from nothing.
        base: Option<usize>,
    },
}

/// A file the worker is to read: its name and the position of its handle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub name: String,
    pub handle: usize,
}

/// From the worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FromWorker {
    Progress(LoadProgress),
    /// The job is done: what became of each file, the position of the new snapshot's handle,
    /// and the worker's memory at its peak in bytes (for the benchmarks).
    Done {
        files: Vec<FileResult>,
        snapshot: usize,
        memory: u64,
    },
    /// The job could not run at all.
    Failed {
        message: String,
    },
}

/// What became of one file: it loaded (with what it held) or it was refused (and why).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileResult {
    /// The file's place among those given (names may repeat: pages of one export).
    pub index: usize,
    pub name: String,
    pub format: String,
    pub alerts: usize,
    pub evidence: usize,
    /// Alerts loaded already, from an earlier page or file, and skipped.
    pub repeated_alerts: usize,
    /// Something the analyst should know although the file loaded.
    pub warning: Option<String>,
    /// Why the file was refused; the dataset is then as it was before it.
    pub error: Option<String>,
}

/// What a load is doing, for the progress bar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadProgress {
    /// The file being read, and its place among the files given.
    pub file: String,
    pub index: usize,
    pub count: usize,
    pub phase: Phase,
    /// Bytes of this file read or parsed so far, of `total`. Whole numbers: formatting or
    /// parsing a float would cost the app kilobytes of WebAssembly.
    pub bytes: u64,
    pub total: u64,
    /// Evidence items read from this file so far.
    pub evidence: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Starting,
    Reading,
    Parsing,
    /// The page builds the action center: `done` of `total` items. The page's own phase,
    /// never sent, which keeps the code that reads a message small.
    #[serde(skip)]
    Preparing {
        done: usize,
        total: usize,
    },
}

impl LoadProgress {
    /// A load of `count` files, before the worker said anything.
    pub fn starting(count: usize) -> LoadProgress {
        LoadProgress {
            file: String::new(),
            index: 0,
            count,
            phase: Phase::Starting,
            bytes: 0,
            total: 0,
            evidence: 0,
        }
    }

    /// The page's own work after the worker's: `done` of `total`, past the last of `count`
    /// files.
    pub fn preparing(count: usize, done: usize, total: usize) -> LoadProgress {
        LoadProgress {
            index: count,
            phase: Phase::Preparing { done, total },
            ..LoadProgress::starting(count)
        }
    }

    /// How far the whole load has got, from 0 to 1: each file's share, and the page's own
    /// work as the last tenth.
    pub fn fraction(&self) -> f64 {
        let count = self.count.max(1) as f64;
        let file = if self.total > 0 {
            self.bytes as f64 / self.total as f64
        } else {
            0.0
        };
        match self.phase {
            Phase::Starting => 0.0,
            Phase::Reading => 0.9 * (self.index as f64 + 0.1 * file) / count,
            Phase::Parsing => 0.9 * (self.index as f64 + 0.1 + 0.9 * file) / count,
            Phase::Preparing { done, total } => 0.9 + 0.1 * done as f64 / total.max(1) as f64,
        }
    }
}

/// Why a message could not be written or read: a mismatch between the two halves, which
/// should not happen since they are the same module, but is reported rather than dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolError(pub String);

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProtocolError {}

/// A message's JSON text.
pub fn encode<T: Serialize>(message: &T) -> Result<String, ProtocolError> {
    serde_json::to_string(message).map_err(|e| {
        ProtocolError(format!(
            "a message to the other half could not be written: {e}"
        ))
    })
}

/// A message from its JSON text.
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, ProtocolError> {
    serde_json::from_str(text).map_err(|e| {
        ProtocolError(format!(
            "a message from the other half could not be read: {e}"
        ))
    })
}
