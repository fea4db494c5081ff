//! The app's state and its one reducer. The reducer adapts the engine: every act goes
//! through `Center::apply`, and the journal records what was accepted. No rule lives here.

use crate::loading::Loaded;
use airview_engine::center::{Center, Entry, Event, Rows};
use airview_engine::{Actor, Dataset, Journal, Policy, PolicyFile, Role, Timestamp};
use std::rc::Rc;
use std::sync::Arc;
use yew::prelude::*;

/// The sample shipped inside the app is `airview generate --alerts 120 --seed 2026`, made by
/// the same generator at start-up: the generator's code is far smaller than its output, and
/// every analyst downloads the app.
pub const SAMPLE_ALERTS: usize = 120;
pub const SAMPLE_SEED: u64 = 2026;
pub const SAMPLE_NAME: &str = "sample-investigations.json";

pub fn sample_export() -> String {
    airview_import::generate::generate_string(SAMPLE_ALERTS, SAMPLE_SEED)
}
/// The policy the sample is shown with.
pub const SAMPLE_POLICY: &str = include_str!("../sample/policy.json");

pub fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

/// A loaded file, as the loader lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LoadedFile {
    pub name: String,
    pub format: String,
    pub alerts: usize,
    pub evidence: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// A message for the analyst: a load error, a refusal, a storage problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
    /// Something the analyst can save when storage failed: (file name, content).
    pub rescue: Option<(String, String)>,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Info,
            text: text.into(),
            rescue: None,
        }
    }
    pub fn error(text: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Error,
            text: text.into(),
            rescue: None,
        }
    }
}

/// An export as the analyst gave it: its name and its content, which the browser holds
/// outside the WebAssembly memory (and stores in IndexedDB as it is).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub name: String,
    pub blob: web_sys::Blob,
}

/// What is stored, and what the app starts from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stored {
    /// The exports as loaded.
    pub exports: Vec<Export>,
    /// What each export held, for the loader's list.
    pub files: Vec<LoadedFile>,
    /// The dataset the exports make, as `airview_engine::snapshot` wrote it.
    pub snapshot: Option<web_sys::Blob>,
    /// The policy before any journal entry.
    pub base_policy: Option<String>,
    pub journal: Option<String>,
    pub identity: Option<String>,
    /// For the sample: how far its timestamps were moved (milliseconds), fixed at first visit.
    pub sample_shift: Option<i64>,
    /// The stored exports could not be read again: the sample is shown, and the stored
    /// exports are kept (not overwritten by the sample's empty list) for a later visit.
    pub keep_stored: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub files: Rc<Vec<LoadedFile>>,
    pub exports: Rc<Vec<Export>>,
    /// The loaded data as a snapshot, which the next load starts from.
    pub snapshot: Option<web_sys::Blob>,
    pub base_policy: Rc<Policy>,
    pub center: Center,
    /// The Pending and History lists, rebuilt whenever the center changes.
    pub rows: Rc<Rows>,
    pub journal: Rc<Journal>,
    /// The journal as stored: JSON Lines, one accepted entry a line.
    pub journal_text: Rc<String>,
    pub actor: Actor,
    pub notices: Vec<Notice>,
    /// The embedded sample is what is loaded.
    pub sample_shift: Option<i64>,
    /// Bumped when the exports change (they are saved then), and when the journal does.
    pub exports_rev: u32,
    pub journal_rev: u32,
    pub identity_rev: u32,
    /// The journal revision last written to storage; behind `journal_rev` while saving.
    pub saved_journal_rev: u32,
    /// Saving failed since the last successful save.
    pub save_failed: bool,
    /// Set once the first state (stored or sample) is in place.
    pub ready: bool,
    /// See `Stored::keep_stored`: cleared by loading files or starting over.
    pub keep_stored: bool,
}

impl Default for AppState {
    fn default() -> Self {
        let policy = Policy::default();
        AppState {
            files: Rc::default(),
            exports: Rc::default(),
            snapshot: None,
            base_policy: Rc::new(policy.clone()),
            center: Center::new(Dataset::new(), policy, now()),
            rows: Rc::default(),
            journal: Rc::default(),
            journal_text: Rc::default(),
            actor: Actor::new(
                "Analyst",
                &[Role::SecurityAdministrator, Role::SearchAndPurge],
            ),
            notices: Vec::new(),
            sample_shift: None,
            exports_rev: 0,
            journal_rev: 0,
            identity_rev: 0,
            saved_journal_rev: 0,
            save_failed: false,
            ready: false,
            keep_stored: false,
        }
    }
}

pub enum Msg {
    /// The first state when storage holds no exports: the sample.
    Boot(Stored),
    /// A load finished: the new center, complete (see `loading`).
    Loaded(Box<Loaded>),
    /// The analyst's identity as stored, at start-up.
    Identity(Actor),
    /// An act in the action center, by the current analyst, now.
    Act {
        event: Event,
        comment: Option<String>,
    },
    SetActor(Actor),
    Notify(Notice),
    Dismiss(usize),
    /// Back to the sample, forgetting loaded files and the journal.
    StartOver,
    /// Moves the center's clock (time-outs happen as time passes).
    Tick,
    /// Storage holds the journal up to this revision (or failed to).
    Saved {
        journal_rev: u32,
        ok: bool,
    },
}

/// Replays the journal text over `base`: the center, the journal and its text. A journal that
/// does not verify, or does not fit the data, is set aside for export and not replayed: the
/// center starts from the exports alone and a notice says so.
pub fn replay(
    base: &Center,
    journal_text: &str,
    notices: &mut Vec<Notice>,
) -> (Center, Journal, String) {
    match Journal::read(journal_text.as_bytes()) {
        Ok(journal) => match Center::replay(base, &journal.entries) {
            Ok(center) => (center, journal, journal_text.to_owned()),
            Err((line, e)) => {
                notices.push(Notice {
                    kind: NoticeKind::Error,
                    text: format!("the saved journal does not fit the loaded exports at line {line} ({e}); it is set aside and the action center starts from the exports alone"),
                    rescue: Some(("airview-journal-set-aside.jsonl".to_owned(), journal_text.to_owned())),
                });
                (base.clone(), Journal::default(), String::new())
            }
        },
        Err(e) => {
            notices.push(Notice {
                kind: NoticeKind::Error,
                text: format!("the saved journal is broken ({e}); it is set aside and the action center starts from the exports alone"),
                rescue: Some(("airview-journal-broken.jsonl".to_owned(), journal_text.to_owned())),
            });
            (base.clone(), Journal::default(), String::new())
        }
    }
}

impl AppState {
    /// The state around a center with its journal: the rest carries over from `self`.
    fn with_center(
        &self,
        center: Center,
        journal: Journal,
        journal_text: String,
        rows: Option<Rows>,
    ) -> AppState {
        let now = center.last_event_at().map_or(now(), |t| t.max(now()));
        let center = center.with_now(now);
        // Lists made a moment ago by the load are current unless a time-out fell in between,
        // which the next tick of the clock catches.
        let rows = rows.unwrap_or_else(|| center.rows());
        AppState {
            rows: Rc::new(rows),
            center,
            journal: Rc::new(journal),
            journal_text: Rc::new(journal_text),
            exports_rev: self.exports_rev.wrapping_add(1),
            journal_rev: self.journal_rev.wrapping_add(1),
            ready: true,
            ..self.clone()
        }
    }

    /// The embedded sample, moved by `shift` (fixed at the first visit and stored, so that a
    /// journal kept about the sample still fits it after a reload).
    fn sample(&self, shift: Option<i64>, journal: &str) -> AppState {
        let policy = Policy::parse_json(SAMPLE_POLICY)
            .map(|(p, _)| p)
            .unwrap_or_default();
        let mut data = Dataset::new();
        let mut files = Vec::new();
        let mut notices = Vec::new();
        match airview_import::load(&mut data, SAMPLE_NAME, &sample_export(), None) {
            Ok(report) => files.push(LoadedFile {
                name: SAMPLE_NAME.to_owned(),
                format: report.format.map_or("", |f| f.name()).to_owned(),
                alerts: report.alerts,
                evidence: report.evidence,
            }),
            Err(e) => notices.push(Notice::error(e.to_string())),
        }
        // Move the sample so that its newest evidence is from an hour ago: a new user sees
        // this week's pending actions, not a queue that timed out long ago.
        let shift = shift.unwrap_or_else(|| {
            data.newest()
                .map_or(0, |newest| now().0 - 3_600_000 - newest.0)
        });
        data.shift_times(shift);
        let base = Center::new(data, policy.clone(), now());
        let (center, journal, journal_text) = replay(&base, journal, &mut notices);
        let mut next = AppState {
            files: Rc::new(files),
            exports: Rc::default(),
            snapshot: None,
            base_policy: Rc::new(policy),
            sample_shift: Some(shift),
            ..self.clone()
        }
        .with_center(center, journal, journal_text, None);
        next.notices.extend(notices);
        next.notices.push(Notice::info("showing the sample investigations (made with `airview generate`, moved so that the newest evidence is from today); load your own exports to replace them"));
        next
    }
}

impl Reducible for AppState {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        match msg {
            Msg::Boot(stored) => {
                let mut next =
                    self.sample(stored.sample_shift, stored.journal.as_deref().unwrap_or(""));
                next.keep_stored = stored.keep_stored;
                if let Some(actor) = stored
                    .identity
                    .as_deref()
                    .and_then(|t| serde_json::from_str::<Actor>(t).ok())
                {
                    next.actor = actor;
                }
                Rc::new(next)
            }
            Msg::Identity(actor) => {
                let mut next = (*self).clone();
                next.actor = actor;
                Rc::new(next)
            }
            Msg::Loaded(loaded) => {
                let loaded = *loaded;
                let mut notices = loaded.notices;
                let base = AppState {
                    files: Rc::new(loaded.files),
                    exports: Rc::new(loaded.exports),
                    snapshot: Some(loaded.snapshot),
                    base_policy: loaded.basis.policy.clone(),
                    sample_shift: None,
                    keep_stored: false,
                    ..(*self).clone()
                };
                // The analyst may have acted while the load ran: then the journal they have
                // now is replayed over the new data instead of the one the load started with.
                let current =
                    loaded.basis.replacing_sample || loaded.basis.journal_rev == self.journal_rev;
                let mut next = if current {
                    base.with_center(
                        loaded.center,
                        loaded.journal,
                        loaded.journal_text,
                        Some(loaded.rows),
                    )
                } else {
                    let (center, journal, text) =
                        replay(&loaded.base, &self.journal_text, &mut notices);
                    base.with_center(center, journal, text, None)
                };
                if loaded.basis.replacing_sample {
                    notices.push(Notice::info("your files replace the sample investigations"));
                }
                next.notices
                    .retain(|n| !n.text.starts_with("showing the sample"));
                next.notices.extend(notices);
                Rc::new(next)
            }
            Msg::Act { event, comment } => {
                let entry = Entry {
                    at: now().max(self.center.last_event_at().unwrap_or_default()),
                    actor: self.actor.clone(),
                    event,
                    comment,
                };
                let mut next = (*self).clone();
                match self.center.apply(&entry) {
                    Ok(center) => {
                        let mut journal = (*self.journal).clone();
                        let line = journal.push(entry);
                        let mut text = (*self.journal_text).clone();
                        text.push_str(&line);
                        next.rows = Rc::new(center.rows());
                        next.center = center;
                        next.journal = Rc::new(journal);
                        next.journal_text = Rc::new(text);
                        next.journal_rev = next.journal_rev.wrapping_add(1);
                    }
                    Err(e) => next.notices.push(Notice::error(format!("refused: {e}"))),
                }
                Rc::new(next)
            }
            Msg::SetActor(actor) => {
                let mut next = (*self).clone();
                next.actor = actor;
                next.identity_rev = next.identity_rev.wrapping_add(1);
                Rc::new(next)
            }
            Msg::Notify(notice) => {
                let mut next = (*self).clone();
                if !next.notices.contains(&notice) {
                    next.notices.push(notice);
                }
                Rc::new(next)
            }
            Msg::Dismiss(i) => {
                let mut next = (*self).clone();
                if i < next.notices.len() {
                    next.notices.remove(i);
                }
                Rc::new(next)
            }
            Msg::StartOver => {
                let mut base = (*self).clone();
                base.notices.clear();
                base.keep_stored = false;
                Rc::new(base.sample(None, ""))
            }
            Msg::Saved { journal_rev, ok } => {
                let mut next = (*self).clone();
                if ok {
                    next.saved_journal_rev = next.saved_journal_rev.max(journal_rev);
                    next.save_failed = false;
                } else {
                    next.save_failed = true;
                }
                Rc::new(next)
            }
            Msg::Tick => {
                let t = now();
                if t <= self.center.now() {
                    return self;
                }
                let mut next = (*self).clone();
                next.center = self.center.with_now(t);
                // The lists change only when a pending action times out: until then they
                // are not listed again, which at a million actions is worth skipping.
                if self.rows.next_expiry.is_some_and(|expiry| expiry <= t) {
                    next.rows = Rc::new(next.center.rows());
                }
                Rc::new(next)
            }
        }
    }
}

impl AppState {
    /// "saved", "saving" or "failed": what the header says of storage.
    pub fn save_state(&self) -> &'static str {
        if self.save_failed {
            "failed"
        } else if self.saved_journal_rev >= self.journal_rev {
            "saved"
        } else {
            "saving"
        }
    }

    /// The policy currently in force (the base policy, or the last one applied).
    pub fn policy(&self) -> &Policy {
        self.center.policy()
    }

    /// The current policy as a file, for export.
    pub fn policy_file(&self) -> PolicyFile {
        self.center.policy().to_file()
    }

    /// Whether `event` by the current analyst would be accepted now, and why not: the engine
    /// answers, so the buttons say exactly what the rules say.
    pub fn check(&self, event: Event) -> Result<(), String> {
        let entry = Entry {
            at: now().max(self.center.last_event_at().unwrap_or_default()),
            actor: self.actor.clone(),
            event,
            comment: None,
        };
        self.center.check(&entry).map_err(|e| e.to_string())
    }

    pub fn data(&self) -> &Arc<Dataset> {
        self.center.data()
    }
}
