//! The app's state and its one reducer. The reducer adapts the engine's `Session`: every act
//! is dated and checked by it, and the journal records what it accepted. No rule lives here,
//! and no clock: a message that needs the time carries it.

use crate::load::Loaded;
use crate::notice::Notice;
use crate::replay::{open_journal, rebase};
use crate::sample::sample;
use crate::stored::Stored;
use airview_engine::{
    Actor, Center, Dataset, Event, Policy, PolicyFile, Role, Rows, Session, Timestamp,
};
use std::rc::Rc;
use std::sync::Arc;

/// The notice that says the sample is shown; a load of the analyst's own files removes it.
const SHOWING_SAMPLE: &str = "showing the sample investigations (made with `airview generate`, moved so that the newest evidence is from today); load your own exports to replace them";

/// The notice that says the sample is not saved while stored exports are kept.
const NOT_SAVING: &str = "what this browser stored is kept as it was, so what you do on the sample is not saved; load files, or start over in Settings, to save again";

/// A loaded file, as the loader lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LoadedFile {
    pub name: String,
    pub format: String,
    pub alerts: usize,
    pub evidence: usize,
}

/// An export as the analyst gave it: its name and a handle `B` to its content, which the
/// platform holds (the web app's `Blob`, outside the WebAssembly memory). The core never
/// reads a handle: it keeps it, hands it back to be stored, and gives it to the next load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export<B> {
    pub name: String,
    pub blob: B,
}

/// The app's state over loaded data. `B` is the platform's handle to bytes it holds (see
/// `Export`); the state only carries handles, so it is tested natively with any type.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState<B> {
    pub files: Rc<Vec<LoadedFile>>,
    pub exports: Rc<Vec<Export<B>>>,
    /// The loaded data as a snapshot, which the next load starts from.
    pub snapshot: Option<B>,
    /// The data, the base policy, the journal replayed over them, and the time.
    pub session: Session,
    /// The Pending and History lists, rebuilt whenever the center changes.
    pub rows: Rc<Rows>,
    pub actor: Actor,
    pub notices: Vec<Notice>,
    /// The embedded sample is what is loaded, moved by this many milliseconds.
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

/// Everything that changes the app's state. A message that needs the time carries it: the
/// adapter reads the clock when it dispatches, so the reducer is a pure function.
#[derive(Debug)]
pub enum Msg<B> {
    /// The first state when storage holds no exports: the sample.
    Boot {
        stored: Stored,
        now: Timestamp,
    },
    /// A load finished: the new session, complete (see `load`).
    Loaded {
        loaded: Box<Loaded<B>>,
        now: Timestamp,
    },
    /// The analyst's identity as stored, at start-up.
    Identity(Actor),
    /// An act in the action center by the current analyst, on the clock at `at`.
    Act {
        event: Event,
        comment: Option<String>,
        at: Timestamp,
    },
    SetActor(Actor),
    Notify(Notice),
    Dismiss(usize),
    /// Back to the sample, forgetting loaded files and the journal.
    StartOver {
        now: Timestamp,
    },
    /// The clock moved on (time-outs happen as time passes).
    Tick {
        now: Timestamp,
    },
    /// Storage holds the journal up to this revision (or failed to).
    Saved {
        journal_rev: u32,
        ok: bool,
    },
}

/// "saved", "saving" or "failed": what the header says of storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Saving,
    Failed,
}

impl SaveState {
    pub fn slug(self) -> &'static str {
        match self {
            SaveState::Saved => "saved",
            SaveState::Saving => "saving",
            SaveState::Failed => "failed",
        }
    }
}

impl<B: Clone> AppState<B> {
    /// The state before anything is in place: no data, not ready.
    pub fn new(now: Timestamp) -> AppState<B> {
        AppState {
            files: Rc::default(),
            exports: Rc::default(),
            snapshot: None,
            session: Session::new(Center::new(Dataset::new(), Policy::default(), now)),
            rows: Rc::default(),
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

    /// The state after `msg`, or `None` when nothing changed (the adapter then keeps the
    /// state it has, and nothing is drawn again).
    pub fn reduce(&self, msg: Msg<B>) -> Option<AppState<B>> {
        let next = match msg {
            Msg::Boot { stored, now } => {
                let mut next = self.sample(stored.sample_shift, &stored.journal, now);
                next.keep_stored = stored.keep_stored;
                if stored.keep_stored {
                    next.notices.push(Notice::info(NOT_SAVING));
                }
                if let Some(actor) = stored.identity {
                    next.actor = actor;
                }
                next
            }
            Msg::Loaded { loaded, now } => self.loaded(*loaded, now),
            Msg::Identity(actor) => AppState {
                actor,
                ..self.clone()
            },
            // A change of identity is saved; the identity read at start-up is stored already.
            Msg::SetActor(actor) => AppState {
                actor,
                identity_rev: self.identity_rev.wrapping_add(1),
                ..self.clone()
            },
            Msg::Act { event, comment, at } => {
                let entry = self.session.entry(&self.actor, event, comment, at);
                let mut next = self.clone();
                match next.session.act(entry) {
                    Ok(_) => {
                        next.rows = Rc::new(next.session.rows());
                        next.journal_rev = next.journal_rev.wrapping_add(1);
                    }
                    Err(e) => next.notices.push(Notice::error(format!("refused: {e}"))),
                }
                next
            }
            Msg::Notify(notice) => {
                if self.notices.contains(&notice) {
                    return None;
                }
                let mut next = self.clone();
                next.notices.push(notice);
                next
            }
            Msg::Dismiss(i) => {
                if i >= self.notices.len() {
                    return None;
                }
                let mut next = self.clone();
                next.notices.remove(i);
                next
            }
            Msg::StartOver { now } => {
                let base = AppState {
                    notices: Vec::new(),
                    keep_stored: false,
                    ..self.clone()
                };
                base.sample(None, "", now)
            }
            Msg::Saved { journal_rev, ok } => {
                let mut next = self.clone();
                if ok {
                    next.saved_journal_rev = next.saved_journal_rev.max(journal_rev);
                    next.save_failed = false;
                } else {
                    next.save_failed = true;
                }
                next
            }
            Msg::Tick { now } => {
                let mut next = self.clone();
                if !next.session.advance(now) {
                    return None;
                }
                // The lists change only when a pending action times out: until then they
                // are not listed again, which at a million actions is worth skipping.
                if self.rows.next_expiry.is_some_and(|expiry| expiry <= now) {
                    next.rows = Rc::new(next.session.rows());
                }
                next
            }
        };
        Some(next)
    }

    /// The state around `session` (a load's or the sample's): the rest carries over, the
    /// exports and the journal count as changed (both are saved), and the session's time
    /// moves on to `now`. `rows` are the session's lists when the caller made them already.
    fn with_session(&self, mut session: Session, rows: Option<Rows>, now: Timestamp) -> Self {
        session.advance(now);
        // Lists made a moment ago by the load are current unless a time-out fell in between,
        // which the next tick of the clock catches.
        let rows = rows.unwrap_or_else(|| session.rows());
        AppState {
            rows: Rc::new(rows),
            session,
            exports_rev: self.exports_rev.wrapping_add(1),
            journal_rev: self.journal_rev.wrapping_add(1),
            ready: true,
            ..self.clone()
        }
    }

    /// The embedded sample, moved by `shift` (see `sample::sample`), with `journal` replayed.
    fn sample(&self, shift: Option<i64>, journal: &str, now: Timestamp) -> Self {
        let sample = sample(shift, now);
        let (session, set_aside) = open_journal(sample.base, journal, now);
        let mut next = AppState {
            files: Rc::new(sample.files),
            exports: Rc::default(),
            snapshot: None,
            sample_shift: Some(sample.shift),
            ..self.clone()
        }
        .with_session(session, None, now);
        next.notices.extend(sample.notices);
        next.notices.extend(set_aside);
        next.notices.push(Notice::info(SHOWING_SAMPLE));
        next
    }

    /// A load's result in place of what was loaded.
    fn loaded(&self, loaded: Loaded<B>, now: Timestamp) -> Self {
        let mut notices = loaded.notices;
        let base = AppState {
            files: Rc::new(loaded.files),
            exports: Rc::new(loaded.exports),
            snapshot: Some(loaded.snapshot),
            sample_shift: None,
            keep_stored: false,
            ..self.clone()
        };
        // The analyst may have acted while the load ran: then the journal they have now is
        // replayed over the new data instead of the one the load started with.
        let current = loaded.basis.replacing_sample || loaded.basis.journal_rev == self.journal_rev;
        let mut next = if current {
            base.with_session(loaded.session, Some(loaded.rows), now)
        } else {
            let (session, set_aside) = rebase(&self.session, loaded.session.base().clone(), now);
            notices.extend(set_aside);
            base.with_session(session, None, now)
        };
        if loaded.basis.replacing_sample {
            notices.push(Notice::info("your files replace the sample investigations"));
        }
        next.notices
            .retain(|n| n.text != SHOWING_SAMPLE && n.text != NOT_SAVING);
        next.notices.extend(notices);
        next
    }
}

impl<B> AppState<B> {
    /// What the header says of storage. While stored exports are kept (`keep_stored`), the
    /// sample's journal is not written: once it holds an act, that act is not saved.
    pub fn save_state(&self) -> SaveState {
        let unsaved_acts = self.keep_stored && !self.session.journal().entries.is_empty();
        if self.save_failed || unsaved_acts {
            SaveState::Failed
        } else if self.saved_journal_rev >= self.journal_rev {
            SaveState::Saved
        } else {
            SaveState::Saving
        }
    }

    /// The action center after the journal, at the session's time.
    pub fn center(&self) -> &Center {
        self.session.center()
    }

    pub fn data(&self) -> &Arc<Dataset> {
        self.session.center().data()
    }

    /// The policy before any journal entry: the one loaded with the data.
    pub fn base_policy(&self) -> &Arc<Policy> {
        self.session.base().policy()
    }

    /// The policy currently in force (the base policy, or the last one applied).
    pub fn policy(&self) -> &Arc<Policy> {
        self.session.center().policy()
    }

    /// The current policy as a file, for the draft and for export.
    pub fn policy_file(&self) -> PolicyFile {
        self.policy().to_file()
    }

    /// Whether `event` by the current analyst, on the clock at `clock`, would be accepted,
    /// and why not: the engine answers, so the buttons say exactly what the rules say.
    pub fn check(&self, event: Event, clock: Timestamp) -> Result<(), String> {
        let entry = self.session.entry(&self.actor, event, None, clock);
        self.session.check(&entry).map_err(|e| e.to_string())
    }

    /// How many policies the journal applied: with the exports' revision, it says when the
    /// current policy may have changed.
    pub fn policies_applied(&self) -> usize {
        self.session
            .journal()
            .entries
            .iter()
            .filter(|e| matches!(e.event, Event::ApplyPolicy { .. }))
            .count()
    }

    /// The policy in force before the current one, which "Revert" applies again: the one the
    /// journal applied before the last, or the base policy. `None` when none was applied.
    pub fn previous_policy(&self) -> Option<PolicyFile> {
        let applied: Vec<&PolicyFile> = self
            .session
            .journal()
            .entries
            .iter()
            .filter_map(|e| match &e.event {
                Event::ApplyPolicy { policy } => Some(policy),
                _ => None,
            })
            .collect();
        match applied.len() {
            0 => None,
            1 => Some(self.base_policy().to_file()),
            n => applied.get(n - 2).map(|p| (*p).clone()),
        }
    }
}
