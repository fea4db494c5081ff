//! A session: the one thing every adapter does with the action center.
//!
//! The CLI, the web app and the JavaScript module all hold loaded data, a base policy and a
//! journal, replay the journal at some time, let an analyst act (apply the event, append its
//! journal line), ask whether an act would be accepted, and read the lists. `Session` is that,
//! once: the adapters only read files or storage, keep the clock, and show what it returns.
//!
//! Time only moves forward in a session. An act is dated no earlier than the last recorded
//! event (the journal is kept in time order, so that a time-out once seen cannot be undone by
//! an earlier-dated approval), and the time the lists are read at never goes back.

use crate::center::event::{Entry, Event, TransitionError};
use crate::center::rows::Rows;
use crate::center::state::Center;
use crate::center::views::{ActionView, CenterView};
use crate::journal::{Journal, JournalError};
use crate::rules::investigation::InvestigationView;
use crate::rules::roles::Actor;
use crate::time::Timestamp;
use std::sync::Arc;

/// Why a journal could not be replayed over the loaded data.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// The journal does not verify: a line is not a journal line, or the chain breaks.
    #[error(transparent)]
    Journal(JournalError),
    /// The journal verifies, but the entry on this 1-based line is refused by the data and
    /// the policy it is replayed over.
    #[error("journal line {line}: the entry is refused: {error}")]
    Refused { line: usize, error: TransitionError },
}

/// What an accepted act gives: the line appended to the journal and the actions it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acted {
    /// The journal line, with its newline: what a file or a store appends.
    pub line: String,
    /// The ids of the actions the act changed, in order (see `Center::apply_changes`).
    pub changed: Vec<String>,
}

/// Loaded data under a base policy, with a journal replayed over it. Cheap to clone: the
/// data, the decisions and the journal are shared until one of the clones acts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The center before any journal entry.
    base: Center,
    /// The center after every entry, read at the session's time.
    center: Center,
    journal: Arc<Journal>,
    /// The journal as JSON Lines: every accepted entry, a line each.
    text: Arc<String>,
}

impl Session {
    /// A session with an empty journal.
    pub fn new(base: Center) -> Session {
        Session {
            center: base.clone(),
            base,
            journal: Arc::default(),
            text: Arc::default(),
        }
    }

    /// Reads a journal's bytes and replays it over `base`, read at `now` (or at the last
    /// event, when that is later).
    pub fn open(base: Center, journal: &[u8], now: Timestamp) -> Result<Session, ReplayError> {
        let read = Journal::read(journal).map_err(ReplayError::Journal)?;
        // A journal that reads is UTF-8 line by line; the lossy conversion changes nothing.
        let text = String::from_utf8_lossy(journal).into_owned();
        Session::replay(base, read, text, now)
    }

    /// Replays a journal already read (with its text) over `base`, at `now` or later.
    pub fn replay(
        base: Center,
        journal: Journal,
        text: String,
        now: Timestamp,
    ) -> Result<Session, ReplayError> {
        let center = Center::replay(&base, &journal.entries)
            .map_err(|(line, error)| ReplayError::Refused { line, error })?;
        let mut session = Session {
            base,
            center,
            journal: Arc::new(journal),
            text: Arc::new(text),
        };
        session.center = session.center.with_now(session.later(now));
        Ok(session)
    }

    /// The same journal replayed over other data (a load finished while the analyst acted):
    /// the new session, or why this journal does not fit that data.
    pub fn rebase(&self, base: Center, now: Timestamp) -> Result<Session, ReplayError> {
        Session::replay(base, (*self.journal).clone(), (*self.text).clone(), now)
    }

    /// `t`, or the last recorded event when that is later: no time before it can be shown or
    /// recorded.
    fn later(&self, t: Timestamp) -> Timestamp {
        self.center.last_event_at().map_or(t, |last| last.max(t))
    }

    pub fn base(&self) -> &Center {
        &self.base
    }

    /// The action center after the journal, at the session's time.
    pub fn center(&self) -> &Center {
        &self.center
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The journal as JSON Lines, as a file or a store keeps it.
    pub fn journal_text(&self) -> &str {
        &self.text
    }

    /// The time the lists are read at.
    pub fn now(&self) -> Timestamp {
        self.center.now()
    }

    /// Moves the session's time on to `now`; an earlier time changes nothing. True when the
    /// time moved (pending actions may have timed out).
    pub fn advance(&mut self, now: Timestamp) -> bool {
        if now <= self.center.now() {
            return false;
        }
        self.center = self.center.with_now(now);
        true
    }

    /// The journal entry for an act by `actor` at `clock`: dated `clock`, or the last recorded
    /// event when the clock is behind it.
    pub fn entry(
        &self,
        actor: &Actor,
        event: Event,
        comment: Option<String>,
        clock: Timestamp,
    ) -> Entry {
        Entry {
            at: self.later(clock),
            actor: actor.clone(),
            event,
            comment,
        }
    }

    /// Whether `entry` would be accepted, and why not, without changing anything.
    pub fn check(&self, entry: &Entry) -> Result<(), TransitionError> {
        self.center.check(entry)
    }

    /// Applies `entry` and appends it to the journal: the line to write and the actions it
    /// changed. A refused entry changes neither the center nor the journal.
    pub fn act(&mut self, entry: Entry) -> Result<Acted, TransitionError> {
        let (center, changed) = self.center.apply_changes(&entry)?;
        let line = Arc::make_mut(&mut self.journal).push(entry);
        Arc::make_mut(&mut self.text).push_str(&line);
        self.center = center;
        Ok(Acted { line, changed })
    }

    /// The Pending and History lists as rows, in their default orders.
    pub fn rows(&self) -> Rows {
        self.center.rows()
    }

    /// The Pending tab, the longest waiting first.
    pub fn pending(&self) -> Vec<ActionView> {
        self.center.pending()
    }

    /// The History tab, the most recently updated first.
    pub fn history(&self) -> Vec<ActionView> {
        self.center.history()
    }

    pub fn investigations(&self) -> Vec<InvestigationView> {
        self.center.investigations()
    }

    /// Everything the center shows, as the CLI prints it.
    pub fn view(&self) -> CenterView {
        self.center.view()
    }

    /// One action as the center shows it now.
    pub fn action(&self, id: &str) -> Option<ActionView> {
        self.center.action(id)
    }
}
