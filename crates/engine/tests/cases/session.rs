//! A session: what every adapter does with the action center, once (the CLI, the app and the
//! JavaScript module all go through it).

use crate::cases::center_fixture::*;
use airview_engine::journal::GENESIS;
use airview_engine::{
    AutomationLevel, Center, Journal, JournalErrorKind, ReplayError, Session, Status,
    TransitionError,
};

fn base() -> Center {
    Center::new(dataset(), policy(AutomationLevel::Full), T0)
}

/// Acting appends the entry's line to the journal; opening the journal's text again gives
/// the same center.
pub fn acts_append_to_the_journal_and_reopen_the_same() {
    let mut session = Session::new(base());
    assert_eq!(session.journal_text(), "");
    let first = session.entry(&admin(), approve(&["a1/2"]), None, at(5));
    let acted = session.act(first).unwrap();
    assert_eq!(acted.changed, ids(&["a1/2"]));
    assert_eq!(session.journal_text(), acted.line);
    let second = session.entry(
        &admin(),
        reject(&["a1/3"]),
        Some("false alarm".into()),
        at(9),
    );
    let acted = session.act(second).unwrap();
    assert!(session.journal_text().ends_with(&acted.line));
    assert_eq!(session.journal().entries.len(), 2);
    assert_ne!(session.journal().head, GENESIS);
    let again = Session::open(base(), session.journal_text().as_bytes(), at(9)).unwrap();
    assert_eq!(again.center(), session.center());
    assert_eq!(again.journal(), session.journal());
    assert_eq!(again.center().status("a1/2"), Some(Status::Completed));
    assert_eq!(again.center().status("a1/3"), Some(Status::Rejected));
}

/// An act is never dated before the last recorded event, and the session's time never goes
/// back: a clock that is behind does not reorder the journal or undo a time-out.
pub fn time_only_moves_forward() {
    let mut session = Session::new(base());
    session
        .act(session.entry(&admin(), approve(&["a1/2"]), None, at(60)))
        .unwrap();
    let late = session.entry(&admin(), approve(&["a1/4"]), None, at(10));
    assert_eq!(
        late.at,
        at(60),
        "a clock behind the last event is moved up to it"
    );
    assert_eq!(session.check(&late), Ok(()));
    session.act(late).unwrap();
    assert!(!session.advance(at(30)));
    assert_eq!(session.now(), at(60));
    // Seven days and a minute on, the other pending actions have timed out.
    assert!(session.advance(at(7 * 24 * 60 + 1)));
    assert_eq!(session.center().status("a1/3"), Some(Status::TimedOut));
    // Opening a journal at a time before its last event reads at that event.
    let reopened = Session::open(base(), session.journal_text().as_bytes(), at(0)).unwrap();
    assert_eq!(reopened.now(), at(60));
}

/// A refused act changes neither the center nor the journal.
pub fn a_refused_act_changes_nothing() {
    let mut session = Session::new(base());
    session
        .act(session.entry(&admin(), approve(&["a1/2"]), None, at(1)))
        .unwrap();
    let before = session.clone();
    let again = session.entry(&admin(), approve(&["a1/2"]), None, at(2));
    let refused = session.act(again.clone()).unwrap_err();
    assert!(
        matches!(refused, TransitionError::NotPending { .. }),
        "{refused}"
    );
    assert_eq!(session.check(&again), Err(refused));
    assert_eq!(session, before);
    let by_reader = session.entry(&reader(), approve(&["a1/3"]), None, at(3));
    assert!(matches!(
        session.act(by_reader),
        Err(TransitionError::MissingRole { .. })
    ));
    assert_eq!(session, before);
}

/// A journal that does not verify, or does not fit the data, is refused with its line; a
/// journal replayed over other data (a load finished meanwhile) is checked again.
pub fn a_journal_that_does_not_fit_is_refused_with_its_line() {
    let mut session = Session::new(base());
    session
        .act(session.entry(&admin(), approve(&["a1/2"]), None, at(1)))
        .unwrap();
    session
        .act(session.entry(&admin(), approve(&["a2/4"]), None, at(2)))
        .unwrap();
    let text = session.journal_text().to_owned();
    let cut = text.get(..text.len() - 5).unwrap();
    match Session::open(base(), cut.as_bytes(), at(0)) {
        Err(ReplayError::Journal(e)) => {
            assert_eq!(e.line, 2);
            assert_eq!(e.kind, JournalErrorKind::Truncated);
        }
        other => panic!("a cut journal opened: {other:?}"),
    }
    // The same journal over data that lacks the second action's alert.
    let mut smaller = dataset();
    let keep = smaller.alerts.iter().position(|a| a.id == "a2").unwrap() as u32;
    smaller.evidence.retain(|e| e.alert != keep);
    let other = Center::new(smaller, policy(AutomationLevel::Full), T0);
    let refused = session.rebase(other, at(3)).unwrap_err();
    match &refused {
        ReplayError::Refused { line, error } => {
            assert_eq!(*line, 2);
            assert!(
                matches!(error, TransitionError::UnknownAction { .. }),
                "{error}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        refused
            .to_string()
            .starts_with("journal line 2: the entry is refused: "),
        "{refused}"
    );
    let rebased = session.rebase(base(), at(3)).unwrap();
    assert_eq!(*rebased.center(), session.center().with_now(at(3)));
    assert_eq!(Journal::parse(rebased.journal_text()).unwrap().len(), 2);
}
