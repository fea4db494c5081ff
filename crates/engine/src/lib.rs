//! airview's engine: the domain model, the policy, the decision for every piece of evidence,
//! the what-if diff and the action center's state machine.
//!
//! Architecture invariant: this crate performs no I/O and depends on no web crate. It is
//! given text and values and returns values; the CLI, the web app and the JavaScript module
//! adapt it, and all three drive the action center through `Session`.
//!
//! The modules are layered, each naming only those below it:
//! - `time`, `intern`, `json`: timestamps, interned strings, serde_json messages;
//! - `vocab`: the words of the domain (action types, statuses, sources, dispositions,
//!   levels, outcomes, verdicts, roles);
//! - `model`: the loaded data, and its validation when it comes from outside the importers;
//! - `rules`: folders, policies and groups, the outcome of each piece of evidence, the
//!   permissions table, the lifecycle table, investigation statuses;
//! - `snapshot`: the dataset as compact binary;
//! - `center`: the action center's state machine, its lists and views;
//! - `journal`, `queue`, `history`, `preview`, `diff`: the journal's hash chain, filtering and
//!   sorting the lists, the history exports, the policy preview, two policies compared;
//! - `session`: a dataset, a policy and a journal, which is what every adapter holds;
//! - `hunt`: the KQL subset of the Hunting page and `airview hunt`, over tables that plug
//!   in through its `Source` trait (it names only `time` and `history`).

pub mod center;
pub mod diff;
pub mod history;
pub mod hunt;
pub mod intern;
pub mod journal;
pub mod json;
pub mod model;
pub mod preview;
pub mod queue;
pub mod rules;
pub mod session;
pub mod snapshot;
pub mod time;
pub mod vocab;

pub use center::{
    apply, ActionView, Center, CenterBuilder, CenterView, Entry, Event, Row, RowKind, Rows,
    RowsBuilder, TransitionError,
};
pub use diff::{diff, Diff};
pub use history::{history_csv, history_json};
pub use hunt::{Catalog, Output, QueryError, Run, RunOptions};
pub use journal::{Journal, JournalError, JournalErrorKind};
pub use json::json_message;
pub use model::{Alert, Dataset, Device, Evidence};
pub use rules::decide::{decide, evaluate, Decision, Summary};
pub use rules::investigation::{ActionCounts, InvestigationStatus, InvestigationView};
pub use rules::policy::{DeviceGroup, GroupRef, Policy, PolicyError, PolicyFile, PolicyWarning};
pub use rules::roles::{Actor, Requirement};
pub use session::{Acted, ReplayError, Session};
pub use time::Timestamp;
pub use vocab::{
    Act, ActionSource, ActionTarget, ActionType, AutomationLevel, Disposition, EntityKind, Outcome,
    RemediationStatus, Role, Status, UnknownRole, Verdict,
};
