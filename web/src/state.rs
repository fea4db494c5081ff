//! The app's state and its one reducer. The reducer adapts the engine: every act goes
//! through `Center::apply`, and the journal records what was accepted. No rule lives here.

use airview_engine::center::{Center, Entry, Event};
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
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// What is stored, and what the app starts from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stored {
    /// The exports as loaded: (file name, text).
    pub exports: Vec<(String, String)>,
    /// The policy before any journal entry.
    pub base_policy: Option<String>,
    pub journal: Option<String>,
    pub identity: Option<String>,
    /// For the sample: how far its timestamps were moved (milliseconds), fixed at first visit.
    pub sample_shift: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub files: Rc<Vec<LoadedFile>>,
    pub exports: Rc<Vec<(String, String)>>,
    pub base_policy: Rc<Policy>,
    pub center: Center,
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
}

impl Default for AppState {
    fn default() -> Self {
        let policy = Policy::default();
        AppState {
            files: Rc::default(),
            exports: Rc::default(),
            base_policy: Rc::new(policy.clone()),
            center: Center::new(Dataset::new(), policy, now()),
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
        }
    }
}

pub enum Msg {
    /// The first state: what storage held, or the sample on a first visit.
    Boot(Stored),
    /// Files the analyst gave (picker, drop or paste): (name, text).
    Load(Vec<(String, String)>),
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

/// Reads one file into `data`: on success it joins `files`, on failure the dataset is as it
/// was and the error joins `notices`. Returns whether the file loaded.
fn load_file(
    data: &mut Dataset,
    files: &mut Vec<LoadedFile>,
    notices: &mut Vec<Notice>,
    name: &str,
    text: &str,
) -> bool {
    match airview_import::load(data, name, text, None) {
        Ok(report) => {
            if !report.repeated_alerts.is_empty() {
                notices.push(Notice::info(format!(
                    "`{name}`: {} alert(s) were loaded already and are skipped",
                    report.repeated_alerts.len()
                )));
            }
            files.push(LoadedFile {
                name: name.to_owned(),
                format: report.format.map_or("", |f| f.name()).to_owned(),
                alerts: report.alerts,
                evidence: report.evidence,
            });
            true
        }
        Err(e) => {
            notices.push(Notice::error(e.to_string()));
            false
        }
    }
}

/// Reads exports into a dataset; files that fail are reported and skipped, whole.
fn read_exports(exports: &[(String, String)]) -> (Dataset, Vec<LoadedFile>, Vec<Notice>) {
    let mut data = Dataset::new();
    let mut files = Vec::new();
    let mut notices = Vec::new();
    for (name, text) in exports {
        load_file(&mut data, &mut files, &mut notices, name, text);
    }
    (data, files, notices)
}

impl AppState {
    /// Builds the center from exports, the base policy and the journal text. A journal that
    /// does not verify is kept aside for export and not replayed: the center starts clean and
    /// says so.
    fn rebuild(
        &self,
        exports: Rc<Vec<(String, String)>>,
        base_policy: Rc<Policy>,
        journal_text: &str,
        sample_shift: Option<i64>,
    ) -> AppState {
        let (mut data, files, notices) = read_exports(&exports);
        if let Some(shift) = sample_shift {
            data.shift_times(shift);
        }
        self.assemble(
            data,
            files,
            notices,
            exports,
            base_policy,
            journal_text,
            sample_shift,
        )
    }

    /// Builds the state around a dataset read already.
    #[allow(
        clippy::too_many_arguments,
        reason = "the parts of a state, each named where it is called"
    )]
    fn assemble(
        &self,
        data: Dataset,
        files: Vec<LoadedFile>,
        mut notices: Vec<Notice>,
        exports: Rc<Vec<(String, String)>>,
        base_policy: Rc<Policy>,
        journal_text: &str,
        sample_shift: Option<i64>,
    ) -> AppState {
        let now = now();
        let base = Center::new(data, (*base_policy).clone(), now);
        let (center, journal, journal_text) = match Journal::read(journal_text.as_bytes()) {
            Ok(journal) => match Center::replay(&base, &journal.entries) {
                Ok(center) => (center, journal, journal_text.to_owned()),
                Err((line, e)) => {
                    notices.push(Notice {
                        kind: NoticeKind::Error,
                        text: format!("the saved journal does not fit the loaded exports at line {line} ({e}); it is set aside and the action center starts from the exports alone"),
                        rescue: Some(("airview-journal-set-aside.jsonl".to_owned(), journal_text.to_owned())),
                    });
                    (base, Journal::default(), String::new())
                }
            },
            Err(e) => {
                notices.push(Notice {
                    kind: NoticeKind::Error,
                    text: format!("the saved journal is broken ({e}); it is set aside and the action center starts from the exports alone"),
                    rescue: Some(("airview-journal-broken.jsonl".to_owned(), journal_text.to_owned())),
                });
                (base, Journal::default(), String::new())
            }
        };
        let now = center.last_event_at().map_or(now, |t| t.max(now));
        let mut notes = self.notices.clone();
        notes.extend(notices);
        AppState {
            files: Rc::new(files),
            exports,
            base_policy,
            center: center.with_now(now),
            journal: Rc::new(journal),
            journal_text: Rc::new(journal_text),
            actor: self.actor.clone(),
            notices: notes,
            sample_shift,
            exports_rev: self.exports_rev.wrapping_add(1),
            journal_rev: self.journal_rev.wrapping_add(1),
            identity_rev: self.identity_rev,
            saved_journal_rev: self.saved_journal_rev,
            save_failed: self.save_failed,
            ready: true,
        }
    }

    /// The embedded sample, moved by `shift` (fixed at the first visit and stored, so that a
    /// journal kept about the sample still fits it after a reload).
    fn sample(&self, shift: Option<i64>, journal: &str) -> AppState {
        let policy = Policy::parse_json(SAMPLE_POLICY)
            .map(|(p, _)| p)
            .unwrap_or_default();
        let shift = shift.unwrap_or_else(|| {
            let mut data = Dataset::new();
            let _ = airview_import::load(&mut data, SAMPLE_NAME, &sample_export(), None);
            // Move the sample so that its newest evidence is from an hour ago: a new user sees
            // this week's pending actions, not a queue that timed out long ago.
            data.newest()
                .map_or(0, |newest| now().0 - 3_600_000 - newest.0)
        });
        let mut next = self.rebuild(
            Rc::new(vec![(SAMPLE_NAME.to_owned(), sample_export())]),
            Rc::new(policy),
            journal,
            Some(shift),
        );
        next.notices.push(Notice::info("showing the sample investigations (made with `airview generate`, moved so that the newest evidence is from today); load your own exports to replace them"));
        next
    }
}

impl Reducible for AppState {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        match msg {
            Msg::Boot(stored) => {
                let mut next = if stored.exports.is_empty() {
                    self.sample(stored.sample_shift, stored.journal.as_deref().unwrap_or(""))
                } else {
                    let policy = stored
                        .base_policy
                        .as_deref()
                        .and_then(|p| Policy::parse_json(p).ok())
                        .map(|(p, _)| p)
                        .unwrap_or_default();
                    self.rebuild(
                        Rc::new(stored.exports),
                        Rc::new(policy),
                        stored.journal.as_deref().unwrap_or(""),
                        stored.sample_shift,
                    )
                };
                if let Some(actor) = stored
                    .identity
                    .as_deref()
                    .and_then(|t| serde_json::from_str::<Actor>(t).ok())
                {
                    next.actor = actor;
                }
                Rc::new(next)
            }
            Msg::Load(new_files) => {
                // Files that do not load are refused one by one; what loads joins what was
                // loaded before, except the sample, which user data replaces.
                // Each file is read once, into the dataset loaded so far (or a fresh one when
                // the sample is to be replaced); a file that fails is rolled back alone.
                let replacing_sample = self.sample_shift.is_some();
                let (mut data, mut files, mut exports) = if replacing_sample {
                    (Dataset::new(), Vec::new(), Vec::new())
                } else {
                    (
                        (**self.center.data()).clone(),
                        (*self.files).clone(),
                        (*self.exports).clone(),
                    )
                };
                let mut notices = Vec::new();
                let mut loaded = 0;
                for (name, text) in new_files {
                    if load_file(&mut data, &mut files, &mut notices, &name, &text) {
                        exports.push((name, text));
                        loaded += 1;
                    }
                }
                if loaded == 0 {
                    let mut next = (*self).clone();
                    next.notices.extend(notices);
                    return Rc::new(next);
                }
                let journal = if replacing_sample {
                    String::new()
                } else {
                    (*self.journal_text).clone()
                };
                if replacing_sample {
                    // The sample's journal is about the sample: start clean.
                    notices.push(Notice::info("your files replace the sample investigations"));
                }
                let mut base = (*self).clone();
                base.notices.clear();
                let policy = self.base_policy.clone();
                Rc::new(base.assemble(
                    data,
                    files,
                    notices,
                    Rc::new(exports),
                    policy,
                    &journal,
                    None,
                ))
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
