//! The vocabulary: the words of the domain, as enums that know their slugs and the names users
//! see. Nothing here depends on anything above it; the model, the rules and the action center
//! are written in these words.

pub mod action;
pub mod evidence;
pub mod level;
pub mod outcome;
pub mod role;
pub mod status;

pub use action::{ActionTarget, ActionType};
pub use evidence::{EntityKind, RemediationStatus, Verdict, VerdictSource};
pub use level::AutomationLevel;
pub use outcome::Outcome;
pub use role::{Role, UnknownRole};
pub use status::{Act, ActionSource, Disposition, Status};
