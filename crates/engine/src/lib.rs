//! airview's engine: the domain model, the policy, the decision for every piece of evidence,
//! the what-if diff and the action center's state machine.
//!
//! Architecture invariant: this crate performs no I/O and depends on no web crate. It is
//! given text and values and returns values; the CLI and the web app adapt it.

pub mod action;
pub mod center;
pub mod decide;
pub mod diff;
pub mod folders;
pub mod history;
pub mod intern;
pub mod investigation;
pub mod journal;
pub mod level;
pub mod model;
pub mod policy;
pub mod preview;
pub mod queue;
pub mod roles;
pub mod session;
pub mod snapshot;
pub mod time;

pub use action::{ActionTarget, ActionType};
pub use center::{
    apply, Act, ActionSource, Center, CenterBuilder, Disposition, Entry, Event, Row, RowKind, Rows,
    RowsBuilder, Status, TransitionError,
};
pub use decide::{decide, evaluate, Decision, Outcome, Summary};
pub use diff::{diff, Diff};
pub use history::{history_csv, history_json, ActionView, CenterView};
pub use investigation::{ActionCounts, InvestigationStatus, InvestigationView};
pub use journal::{Journal, JournalError, JournalErrorKind};
pub use level::AutomationLevel;
pub use model::{Alert, Dataset, Device, EntityKind, Evidence, RemediationStatus, Verdict};
pub use policy::{DeviceGroup, GroupRef, Policy, PolicyError, PolicyFile, PolicyWarning};
pub use roles::{Actor, Requirement, Role, UnknownRole};
pub use session::{Acted, ReplayError, Session};
pub use time::Timestamp;

/// A serde_json error's message without the " at line L column C" suffix, which callers put
/// first in their own words.
pub fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}
