//! `airview center`, `approve`, `reject`, `undo` and `history`: the action center's rules for
//! scripts, through the engine's `Session` (replay, act, time moving forward). The journal
//! file is the only thing these commands write, and only after the event was accepted, so a
//! refused event leaves it byte for byte as it was.

use crate::formats::{history_format, json, style, HistoryFormat, Style};
use crate::inputs::{read_exports, read_policy};
use crate::{cli, note, table, Failure};
use airview_engine::{
    history_csv, history_json, Actor, Center, Event, ReplayError, Session, Timestamp,
    TransitionError,
};
use airview_import::Format;
use serde::Serialize;
use std::io::Write;

/// The system clock. A clock before 1970 or past the year 292 million is refused rather than
/// read as some other time.
fn clock() -> Result<Timestamp, Failure> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_millis()).ok())
        .map(Timestamp)
        .ok_or_else(|| {
            Failure(
                "the system clock is before 1970; give the time with `--now` or `--at`".to_owned(),
            )
        })
}

/// The time an option gives, or the system clock's.
fn given_or_clock(given: Option<Timestamp>) -> Result<Timestamp, Failure> {
    match given {
        Some(t) => Ok(t),
        None => clock(),
    }
}

/// Loads the policy and the exports and replays the journal file over them at `now` (or at
/// the journal's last event, when that is later). Warnings about the inputs go to stderr:
/// these commands print the center, which has no place for them.
fn open_session(
    policy: &str,
    journal: Option<&str>,
    exports: &[String],
    input: Option<Format>,
    now: Timestamp,
) -> Result<Session, Failure> {
    let (policy, mut warnings) = read_policy(policy)?;
    let (data, more) = read_exports(exports, input)?;
    warnings.extend(more);
    let base = Center::new(data, policy, now);
    let session = match journal {
        None => Session::new(base),
        Some(path) => {
            let bytes = match std::fs::read(path) {
                Ok(bytes) => bytes,
                // A journal that does not exist yet has no decisions; the first act creates it.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                Err(e) => return Err(Failure(format!("cannot read journal `{path}`: {e}"))),
            };
            Session::open(base, &bytes, now).map_err(|e| match e {
                ReplayError::Journal(e) => Failure(format!("`{path}`: {e}")),
                ReplayError::Refused { line, error } => Failure(format!(
                    "journal `{path}`, line {line}: the entry is refused: {error}"
                )),
            })?
        }
    };
    for w in warnings {
        note(&format!("warning: {w}"));
    }
    Ok(session)
}

pub fn center(a: &cli::Center) -> Result<String, Failure> {
    let (style, input) = style(&a.output.format, &a.exports.input_format)?;
    let now = given_or_clock(a.center.now)?;
    let (policy, journal) = (&a.center.policy, a.center.journal.as_deref());
    let session = open_session(policy, journal, &a.exports.files, input, now)?;
    let view = session.view();
    match style {
        Style::Json => json(&view),
        Style::Table => Ok(table::center(&view)),
    }
}

pub fn history(a: &cli::History) -> Result<String, Failure> {
    let (format, input) = history_format(&a.format, &a.exports.input_format)?;
    let now = given_or_clock(a.center.now)?;
    let (policy, journal) = (&a.center.policy, a.center.journal.as_deref());
    let session = open_session(policy, journal, &a.exports.files, input, now)?;
    let rows = session.history();
    match format {
        HistoryFormat::Csv => Ok(history_csv(&rows)),
        HistoryFormat::Json => {
            history_json(&rows).map_err(|e| Failure(format!("cannot write the history: {e}")))
        }
    }
}

/// Which act: `approve`, `reject`, or `undo` with or without the other instances.
#[derive(Clone, Copy)]
pub enum Kind {
    Approve,
    Reject,
    Undo { all_instances: bool },
}

impl Kind {
    fn command(self) -> &'static str {
        match self {
            Kind::Approve => "approve",
            Kind::Reject => "reject",
            Kind::Undo { .. } => "undo",
        }
    }
}

/// `approve`, `reject` and `undo`: one entry, applied, then appended to the journal.
pub fn act(kind: Kind, a: &cli::Act) -> Result<String, Failure> {
    let (style, input) = style(&a.output.format, &a.exports.input_format)?;
    let clock = given_or_clock(a.at)?;
    let now = a.now.unwrap_or(clock);
    let mut session = open_session(&a.policy, Some(&a.journal), &a.exports.files, input, now)?;
    let ids = a.id.clone();
    let event = match kind {
        Kind::Approve => Event::Approve { ids },
        Kind::Reject => Event::Reject { ids },
        Kind::Undo { all_instances } => Event::Undo { ids, all_instances },
    };
    let refused = |e: TransitionError| Failure(format!("{} refused: {e}", kind.command()));
    let actor = Actor::new(&a.name, &a.role);
    let entry = session.entry(&actor, event, a.comment.clone(), clock);
    // The session dates an act no earlier than the journal's last event. A time the analyst
    // gave is kept as given: one before that event is refused, not recorded at another time.
    if let Some(at) = a.at.filter(|at| *at != entry.at) {
        return Err(refused(TransitionError::OutOfOrder { at, last: entry.at }));
    }
    let acted = session.act(entry).map_err(refused)?;
    let path = &a.journal;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Failure(format!("cannot open journal `{path}`: {e}")))?;
    file.write_all(acted.line.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| Failure(format!("cannot write journal `{path}`: {e}")))?;
    let views: Vec<_> = acted
        .changed
        .iter()
        .filter_map(|id| session.action(id))
        .collect();
    match style {
        Style::Json => {
            #[derive(Serialize)]
            struct Out<'a, T> {
                changed: &'a [T],
            }
            json(&Out { changed: &views })
        }
        Style::Table => Ok(table::changed(&views)),
    }
}
