//! What the app keeps in the browser's storage between visits, key by key: how what a store
//! read gave becomes the state to start from, and what is written back.
//!
//! Nothing read is dropped in silence. A key that cannot be read, or holds something that does
//! not parse, becomes a notice that names the key and the error and, when there is content,
//! offers it for export; and the app does not write over stored exports it could not read.

use crate::load::Basis;
use crate::notice::Notice;
use crate::state::{AppState, Export, LoadedFile};
use airview_engine::{Actor, Policy};
use serde::Serialize;
use std::fmt;
use std::rc::Rc;

/// The store's keys.
pub mod keys {
    /// The exports as the analyst gave them: a list of `[name, handle]`.
    pub const EXPORTS: &str = "exports";
    /// What each export held, for the loader's list (JSON).
    pub const FILES: &str = "files";
    /// The dataset the exports make, as `airview_engine::snapshot` wrote it (a handle).
    pub const SNAPSHOT: &str = "snapshot";
    /// The policy before any journal entry (JSON).
    pub const POLICY: &str = "policy";
    /// The journal (JSON Lines).
    pub const JOURNAL: &str = "journal";
    /// The analyst's name and roles (JSON).
    pub const IDENTITY: &str = "identity";
    /// How far the sample's timestamps were moved, in milliseconds; empty when the analyst's
    /// own exports are loaded.
    pub const SAMPLE_SHIFT: &str = "sample_shift";
}

use keys::*;

/// What a store read gave for a key: its value, nothing (never written), or why it could not
/// be read, in words.
pub type Read<T> = Result<Option<T>, String>;

/// The stored exports as the store holds them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredExports<B> {
    /// `[name, handle]` pairs; an entry that is not one is described instead.
    List(Vec<Result<Export<B>, String>>),
    /// The JSON text `[[name, text], ...]` of an older airview, which kept the texts.
    Text(String),
}

/// Every key as a store read gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raw<B> {
    pub exports: Read<StoredExports<B>>,
    pub files: Read<String>,
    pub snapshot: Read<B>,
    pub policy: Read<String>,
    pub journal: Read<String>,
    pub identity: Read<String>,
    pub sample_shift: Read<String>,
}

impl<B> Raw<B> {
    /// A store that could not be read at all (it did not open, or its transaction failed):
    /// every key gives the same error.
    pub fn unreadable(why: &str) -> Raw<B> {
        Raw {
            exports: Err(why.to_owned()),
            files: Err(why.to_owned()),
            snapshot: Err(why.to_owned()),
            policy: Err(why.to_owned()),
            journal: Err(why.to_owned()),
            identity: Err(why.to_owned()),
            sample_shift: Err(why.to_owned()),
        }
    }

    /// The error every key gives, when they all give the same one.
    fn whole_store_error(&self) -> Option<String> {
        let errors = [
            self.exports.as_ref().err(),
            self.files.as_ref().err(),
            self.snapshot.as_ref().err(),
            self.policy.as_ref().err(),
            self.journal.as_ref().err(),
            self.identity.as_ref().err(),
            self.sample_shift.as_ref().err(),
        ];
        let first = errors[0]?;
        errors
            .iter()
            .all(|e| *e == Some(first))
            .then(|| first.clone())
    }
}

impl<B> Default for Raw<B> {
    /// An empty store: a first visit.
    fn default() -> Raw<B> {
        Raw {
            exports: Ok(None),
            files: Ok(None),
            snapshot: Ok(None),
            policy: Ok(None),
            journal: Ok(None),
            identity: Ok(None),
            sample_shift: Ok(None),
        }
    }
}

/// What the sample keeps of a previous visit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stored {
    /// The journal kept about the sample.
    pub journal: String,
    pub identity: Option<Actor>,
    /// How far the sample was moved at the first visit.
    pub sample_shift: Option<i64>,
    /// The stored exports could not be read: the sample is shown, and what is stored about
    /// the exports (them, their files, snapshot and policy) is kept, not overwritten by the
    /// sample's, until the analyst loads files or starts over.
    pub keep_stored: bool,
}

/// Where the app starts from.
#[derive(Clone, Debug, PartialEq)]
pub enum Start<B> {
    /// No exports to read again: the sample, with what it keeps of a previous visit.
    Sample(Stored),
    /// The stored exports, read again: from the stored snapshot when there is one that fits
    /// them, else by the loading worker.
    Resume {
        actor: Option<Actor>,
        basis: Basis<B>,
        snapshot: Option<B>,
    },
}

/// Where to start from what the store gave, and what the analyst is told of what could not be
/// read. `journal_rev` is the state's journal revision now (see `Basis`); `blob_of_text` makes
/// a handle of an older airview's stored text.
pub fn start<B: Clone>(
    raw: Raw<B>,
    journal_rev: u32,
    mut blob_of_text: impl FnMut(&str) -> Result<B, String>,
) -> (Start<B>, Vec<Notice>) {
    let mut notices = Vec::new();
    if let Some(why) = raw.whole_store_error() {
        // One notice for the store, not one a key: the keys share its fault.
        notices.push(Notice::error(format!(
            "this browser's storage could not be read ({why}); airview starts from the sample and keeps what is stored"
        )));
        let stored = Stored {
            keep_stored: true,
            ..Stored::default()
        };
        return (Start::Sample(stored), notices);
    }
    let Exports {
        exports,
        keep_stored,
        older_format,
    } = read_exports(raw.exports, &mut blob_of_text, &mut notices);
    let journal = match raw.journal {
        Err(e) => {
            notices.push(unreadable(
                JOURNAL,
                &e,
                "the action center starts without it",
            ));
            String::new()
        }
        Ok(text) => text.unwrap_or_default(),
    };
    let identity = parse(
        raw.identity,
        IDENTITY,
        "you act as the default analyst until you save an identity in Settings",
        "airview-stored-identity.json",
        &mut notices,
        |text| serde_json::from_str::<Actor>(text).map_err(|e| e.to_string()),
    );
    let sample_shift = parse(
        raw.sample_shift,
        SAMPLE_SHIFT,
        "the sample is moved afresh, so a journal kept about it may not fit",
        "airview-stored-sample-shift.txt",
        &mut notices,
        |text| {
            let text = text.trim();
            // Written empty when the analyst's own exports are loaded.
            if text.is_empty() {
                Ok(None)
            } else {
                text.parse::<i64>().map(Some).map_err(|e| e.to_string())
            }
        },
    )
    .flatten();
    if exports.is_empty() {
        let stored = Stored {
            journal,
            identity,
            sample_shift,
            keep_stored,
        };
        return (Start::Sample(stored), notices);
    }
    // The files, the snapshot and the policy describe the exports: they matter only when the
    // exports are read again.
    let files = parse(
        raw.files,
        FILES,
        "airview reads the saved exports again",
        "airview-stored-files.json",
        &mut notices,
        |text| serde_json::from_str::<Vec<LoadedFile>>(text).map_err(|e| e.to_string()),
    )
    .unwrap_or_default();
    let policy = parse(
        raw.policy,
        POLICY,
        "the exports are shown under the default policy — the stored one is offered for export",
        "airview-stored-policy.json",
        &mut notices,
        |text| {
            Policy::parse_json(text).map(|(p, _)| p).map_err(|errors| {
                let why: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
                why.join("; ")
            })
        },
    )
    .unwrap_or_default();
    let snapshot = match raw.snapshot {
        Err(e) => {
            notices.push(unreadable(
                SNAPSHOT,
                &e,
                "airview reads the saved exports again",
            ));
            None
        }
        // The snapshot is used only with the list of files it was made from.
        Ok(snapshot) => snapshot.filter(|_| !older_format && files.len() == exports.len()),
    };
    let basis = Basis {
        policy: std::sync::Arc::new(policy),
        journal_text: Rc::new(journal),
        journal_rev,
        files: Rc::new(files),
        exports: Rc::new(exports),
        replacing_sample: false,
        boot: true,
    };
    let start = Start::Resume {
        actor: identity,
        basis,
        snapshot,
    };
    (start, notices)
}

/// The stored exports as the store gave them, and what the analyst is told of those that
/// could not be read.
struct Exports<B> {
    exports: Vec<Export<B>>,
    /// They could not be read at all: what is stored about them is kept (see `Stored`).
    keep_stored: bool,
    /// They are an older airview's texts, for which no snapshot was stored.
    older_format: bool,
}

fn read_exports<B>(
    read: Read<StoredExports<B>>,
    blob_of_text: &mut impl FnMut(&str) -> Result<B, String>,
    notices: &mut Vec<Notice>,
) -> Exports<B> {
    let mut keep_stored = false;
    let mut older_format = false;
    let mut exports = Vec::new();
    match read {
        Err(e) => {
            notices.push(unreadable(
                EXPORTS,
                &e,
                "airview starts from the sample and keeps what is stored",
            ));
            keep_stored = true;
        }
        Ok(None) => {}
        Ok(Some(StoredExports::List(list))) => {
            for (i, entry) in list.into_iter().enumerate() {
                match entry {
                    Ok(export) => exports.push(export),
                    Err(why) => notices.push(Notice::error(format!(
                        "the stored `{EXPORTS}` entry {} is not an export ({why}); it is left out",
                        i + 1
                    ))),
                }
            }
        }
        Ok(Some(StoredExports::Text(text))) => {
            match serde_json::from_str::<Vec<(String, String)>>(&text) {
                Ok(list) => {
                    older_format = true;
                    for (name, content) in list {
                        match blob_of_text(&content) {
                            Ok(blob) => exports.push(Export { name, blob }),
                            Err(why) => notices.push(
                                Notice::error(format!("the stored export `{name}` could not be read again ({why}); it is offered for export"))
                                    .rescuing(name.clone(), content),
                            ),
                        }
                    }
                }
                Err(e) => {
                    notices.push(
                        Notice::error(format!("the stored exports are corrupted ({e}); airview starts from the sample — the stored content is offered for export"))
                            .rescuing("airview-stored-exports.json", text),
                    );
                    keep_stored = true;
                }
            }
        }
    }
    Exports {
        exports,
        keep_stored,
        older_format,
    }
}

/// A text key parsed by `parse_text`: `None` when it is missing, unreadable or does not parse,
/// and then a notice saying so, which offers the text for export as `file`.
fn parse<T>(
    read: Read<String>,
    key: &str,
    instead: &str,
    file: &str,
    notices: &mut Vec<Notice>,
    parse_text: impl FnOnce(&str) -> Result<T, String>,
) -> Option<T> {
    let text = text_of(read, key, instead, notices)?;
    match parse_text(&text) {
        Ok(value) => Some(value),
        Err(e) => {
            notices.push(does_not_read(key, &e, instead, file, text));
            None
        }
    }
}

/// The text of a key, or `None` (and a notice when the store could not read it). Not generic,
/// so that it is in the app once rather than once a key.
fn text_of(
    read: Read<String>,
    key: &str,
    instead: &str,
    notices: &mut Vec<Notice>,
) -> Option<String> {
    match read {
        Err(e) => {
            notices.push(unreadable(key, &e, instead));
            None
        }
        Ok(text) => text,
    }
}

fn does_not_read(key: &str, e: &str, instead: &str, file: &str, text: String) -> Notice {
    Notice::error(format!("the stored `{key}` does not read ({e}); {instead}")).rescuing(file, text)
}

fn unreadable(key: &str, e: &str, instead: &str) -> Notice {
    Notice::error(format!(
        "the stored `{key}` could not be read from this browser's storage ({e}); {instead}"
    ))
}

/// A value to store under a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value<'a, B> {
    Text(String),
    /// The exports, stored as `[name, handle]` pairs.
    Exports(&'a [Export<B>]),
    /// A handle, or nothing.
    Handle(Option<&'a B>),
}

/// Keys and their values, written in one transaction: all of them or none.
pub type Entries<'a, B> = Vec<(&'static str, Value<'a, B>)>;

/// A value could not be written as text: nothing is written then, so that what is stored
/// stays whole rather than holding an empty string in its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaveError {
    pub key: &'static str,
    pub message: String,
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "saving failed: `{}` could not be written ({}); what was stored before is kept, and your work stays in this tab — export it to keep it",
            self.key, self.message
        )
    }
}

impl std::error::Error for SaveError {}

/// `value` as the JSON text stored under `key`, or why it cannot be.
pub fn json_text<T: Serialize + ?Sized>(key: &'static str, value: &T) -> Result<String, SaveError> {
    serde_json::to_string(value).map_err(|e| SaveError {
        key,
        message: e.to_string(),
    })
}

impl<B> AppState<B> {
    /// What is stored when the exports change: the data, its policy and its journal together,
    /// so that the stored journal always fits the data stored with it. While stored exports
    /// that could not be read are kept (`keep_stored`), nothing is written over them or over
    /// the journal, the policy and the files that go with them: the sample shown meanwhile is
    /// not saved (`save_state` says so).
    pub fn save_all(&self) -> Result<Entries<'_, B>, SaveError> {
        if self.keep_stored {
            return Ok(Vec::new());
        }
        let shift = self.sample_shift.map(|v| v.to_string()).unwrap_or_default();
        let policy = self.base_policy().to_json().map_err(|e| SaveError {
            key: POLICY,
            message: e.to_string(),
        })?;
        Ok(vec![
            (SAMPLE_SHIFT, Value::Text(shift)),
            (JOURNAL, Value::Text(self.session.journal_text().to_owned())),
            (POLICY, Value::Text(policy)),
            (EXPORTS, Value::Exports(&self.exports)),
            (FILES, Value::Text(json_text(FILES, &*self.files)?)),
            (SNAPSHOT, Value::Handle(self.snapshot.as_ref())),
        ])
    }

    /// What is stored when the journal changes: nothing while stored exports are kept, whose
    /// journal it would write over (see `save_all`).
    pub fn save_journal(&self) -> Entries<'_, B> {
        if self.keep_stored {
            return Vec::new();
        }
        vec![(JOURNAL, Value::Text(self.session.journal_text().to_owned()))]
    }

    /// What is stored when the analyst's identity changes.
    pub fn save_identity(&self) -> Result<Entries<'_, B>, SaveError> {
        Ok(vec![(
            IDENTITY,
            Value::Text(json_text(IDENTITY, &self.actor)?),
        )])
    }
}
