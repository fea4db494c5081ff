//! A load, as the state sees it: what it starts from, fixed when it starts, and what it gives
//! back, complete. The platform runs it (the web app in a worker, then in slices on the page);
//! nothing reaches the state until the new session is complete, so a cancelled or failed load
//! leaves everything as it was.

use crate::notice::Notice;
use crate::protocol::FileResult;
use crate::state::{AppState, Export, LoadedFile};
use airview_engine::{Policy, Rows, Session};
use std::rc::Rc;
use std::sync::Arc;

/// What a load is for: the state it starts from, fixed when it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Basis<B> {
    /// The base policy the new data is decided under.
    pub policy: Arc<Policy>,
    /// The journal replayed over the new data, and its revision: if the analyst acts while
    /// the load runs, the reducer replays the newer journal itself.
    pub journal_text: Rc<String>,
    pub journal_rev: u32,
    /// The files loaded so far, which the new ones join (none when they replace the sample).
    pub files: Rc<Vec<LoadedFile>>,
    pub exports: Rc<Vec<Export<B>>>,
    /// The new files replace the sample (and its journal) rather than join it.
    pub replacing_sample: bool,
    /// The app is starting from what a previous visit stored: if that cannot be read, it
    /// shows the sample instead of waiting forever.
    pub boot: bool,
}

impl<B: Clone> Basis<B> {
    /// A load of more files into what `state` holds, and the snapshot it starts from; the
    /// sample is replaced, not joined.
    pub fn of(state: &AppState<B>) -> (Basis<B>, Option<B>) {
        let replacing_sample = state.sample_shift.is_some();
        let basis = Basis {
            policy: state.base_policy().clone(),
            journal_text: if replacing_sample {
                Rc::default()
            } else {
                Rc::new(state.session.journal_text().to_owned())
            },
            journal_rev: state.journal_rev,
            files: if replacing_sample {
                Rc::default()
            } else {
                state.files.clone()
            },
            exports: if replacing_sample {
                Rc::default()
            } else {
                state.exports.clone()
            },
            replacing_sample,
            boot: false,
        };
        let base = if replacing_sample {
            None
        } else {
            state.snapshot.clone()
        };
        (basis, base)
    }

    /// The same load from nothing: the stored exports read again when the stored snapshot
    /// could not be.
    pub fn from_nothing(&self) -> Basis<B> {
        Basis {
            files: Rc::default(),
            exports: Rc::default(),
            ..self.clone()
        }
    }
}

/// The new state's parts, complete: the reducer only puts them in place.
#[derive(Clone, Debug)]
pub struct Loaded<B> {
    pub basis: Basis<B>,
    /// The new data under the basis's policy, with the basis's journal replayed (or set
    /// aside, which one of `notices` says).
    pub session: Session,
    /// The session's lists, made in slices while loading.
    pub rows: Rows,
    pub files: Vec<LoadedFile>,
    pub exports: Vec<Export<B>>,
    pub snapshot: B,
    pub notices: Vec<Notice>,
}

/// The worker's answer for each file, joined to what the load started from.
#[derive(Clone, Debug, PartialEq)]
pub struct Results<B> {
    /// Every file loaded so far, the new ones last.
    pub files: Vec<LoadedFile>,
    pub exports: Vec<Export<B>>,
    /// What the analyst is told: refusals, warnings, alerts skipped.
    pub notices: Vec<Notice>,
}

impl<B> Results<B> {
    /// Whether any file loaded: when none did, the app stays as it was.
    pub fn added_to(&self, basis: &Basis<B>) -> bool {
        self.files.len() > basis.files.len()
    }
}

/// The files the worker loaded joined to `basis`'s, with their exports from `given` (the
/// files handed to the worker, in order), and a notice for each refusal and warning.
pub fn join_results<B: Clone>(
    basis: &Basis<B>,
    given: &[Export<B>],
    results: &[FileResult],
) -> Results<B> {
    let mut joined = Results {
        files: (*basis.files).clone(),
        exports: (*basis.exports).clone(),
        notices: Vec::new(),
    };
    for result in results {
        if let Some(e) = &result.error {
            joined.notices.push(Notice::error(e.clone()));
            continue;
        }
        match given.get(result.index) {
            Some(export) => joined.exports.push(export.clone()),
            // The two halves are one module, so this does not happen; if it did, the data is
            // in the snapshot but its export could not be stored, and the analyst is told.
            None => joined.notices.push(Notice::error(format!(
                "`{}`: the loading worker answered for a file it was not given; it is shown now but will not be read again after a reload",
                result.name
            ))),
        }
        if result.repeated_alerts > 0 {
            joined.notices.push(Notice::info(format!(
                "`{}`: {} alert(s) were loaded already and are skipped",
                result.name, result.repeated_alerts
            )));
        }
        if let Some(w) = &result.warning {
            joined.notices.push(Notice::info(w.clone()));
        }
        joined.files.push(LoadedFile {
            name: result.name.clone(),
            format: result.format.clone(),
            alerts: result.alerts,
            evidence: result.evidence,
        });
    }
    joined
}
