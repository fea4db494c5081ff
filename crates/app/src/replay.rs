//! Opening a session over loaded data with the journal kept beside it: a journal that does
//! not verify, or does not fit the data, is set aside for export rather than lost, and the
//! action center starts from the data alone.

use crate::notice::Notice;
use airview_engine::{Center, ReplayError, Session, Timestamp};

/// `journal` replayed over `base` at `now`, or, when it cannot be, a session with an empty
/// journal and the notice that offers the journal for export.
pub fn open_journal(base: Center, journal: &str, now: Timestamp) -> (Session, Option<Notice>) {
    match Session::open(base.clone(), journal.as_bytes(), now) {
        Ok(session) => (session, None),
        Err(e) => (fresh(base, now), Some(set_aside(&e, journal))),
    }
}

/// `session`'s journal replayed over other data (a load finished while the analyst acted),
/// or, when it does not fit that data, the data alone and the notice that offers the journal.
pub fn rebase(session: &Session, base: Center, now: Timestamp) -> (Session, Option<Notice>) {
    match session.rebase(base.clone(), now) {
        Ok(session) => (session, None),
        Err(e) => (
            fresh(base, now),
            Some(set_aside(&e, session.journal_text())),
        ),
    }
}

fn fresh(base: Center, now: Timestamp) -> Session {
    let mut session = Session::new(base);
    session.advance(now);
    session
}

/// What the analyst is told of a journal that cannot be replayed, with the journal to export.
fn set_aside(e: &ReplayError, journal: &str) -> Notice {
    let (text, file) = match e {
        ReplayError::Journal(e) => (
            format!("the saved journal is broken ({e}); it is set aside and the action center starts from the exports alone"),
            "airview-journal-broken.jsonl",
        ),
        ReplayError::Refused { line, error } => (
            format!("the saved journal does not fit the loaded exports at line {line} ({error}); it is set aside and the action center starts from the exports alone"),
            "airview-journal-set-aside.jsonl",
        ),
    };
    Notice::error(text).rescuing(file, journal)
}
