//! The loaded data: alerts, their evidence, and the devices that evidence names.
//!
//! Importers (in `airview-import`) turn each export format into these types; everything after
//! that point (decisions, the action center, the preview) sees only this model. A dataset that
//! comes from outside the importers (a snapshot, an airview file) is checked by `validate`
//! before anything reads it.

pub mod dataset;
pub mod records;
pub mod validate;

pub use dataset::{Checkpoint, Dataset, DeviceLink};
pub use records::{Alert, Device, Evidence, InvestigationInfo, ReportedAction};
// The vocabulary of evidence, where the model's users have always found it.
pub use crate::vocab::evidence::{EntityKind, RemediationStatus, Verdict, VerdictSource};
