//! Defender for Endpoint API responses: `/api/alerts?$expand=evidence`, `/api/investigations`
//! and `/api/machineactions`. Each may be a whole response (`{"value": [...]}`, one file per
//! page), a bare array, or one object; pages may overlap (repeats are skipped by id).
//!
//! Like the Graph reader, these stream (`crate::json`): each module says what one object is,
//! and `crate::json::response` reads the envelope around it.
//!
//! - `alerts`: alerts with their evidence, and the verdict airview decides for evidence that
//!   carries none.
//! - `investigations`: automated investigations and their state.
//! - `machine_actions`: response actions taken on devices, as reported actions.

mod alerts;
mod investigations;
mod machine_actions;

use crate::json::response;
use crate::progress::Progress;
use airview_engine::model::Dataset;

/// Reads `/api/alerts?$expand=evidence` into `data`. On error `data` may hold part of the
/// file: the caller rolls back (see `crate::load`).
pub fn read_alerts(data: &mut Dataset, file: u32, text: &str) -> Result<(), serde_json::Error> {
    read_alerts_with_progress(data, file, text, &mut |_| {})
}

/// Reads `/api/investigations` into `data.investigations`.
pub fn read_investigations(
    data: &mut Dataset,
    file: u32,
    text: &str,
) -> Result<(), serde_json::Error> {
    read_investigations_with_progress(data, file, text, &mut |_| {})
}

/// Reads `/api/machineactions` into `data.reported_actions`. Returns the ids of actions that
/// were loaded already and are skipped.
pub fn read_machine_actions(
    data: &mut Dataset,
    file: u32,
    text: &str,
) -> Result<Vec<String>, serde_json::Error> {
    read_machine_actions_with_progress(data, file, text, &mut |_| {})
}

/// `read_alerts`, telling `progress` how far it has got as it finishes alerts.
pub(crate) fn read_alerts_with_progress(
    data: &mut Dataset,
    file: u32,
    text: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), serde_json::Error> {
    response::read::<alerts::AlertItem>(data, file, text, progress)
}

/// `read_investigations`, telling `progress` how far it has got as it finishes
/// investigations.
pub(crate) fn read_investigations_with_progress(
    data: &mut Dataset,
    file: u32,
    text: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), serde_json::Error> {
    response::read::<investigations::InvestigationItem>(data, file, text, progress)
}

/// `read_machine_actions`, telling `progress` how far it has got as it finishes actions.
pub(crate) fn read_machine_actions_with_progress(
    data: &mut Dataset,
    file: u32,
    text: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<String>, serde_json::Error> {
    response::read::<machine_actions::ActionItem>(data, file, text, progress)
        .map(|seen| seen.repeated)
}
