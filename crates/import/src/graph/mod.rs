//! Microsoft Graph security API exports: `GET /security/alerts_v2` list responses (one file
//! per page), `GET /security/incidents?$expand=alerts`, a bare array of alerts, or one alert.
//!
//! The reader streams, as every JSON reader does (`crate::json`). Graph gives each evidence
//! item its verdict and remediation status; they are read as Graph writes them.
//!
//! - `alerts`: alerts, incidents (their `alerts`, which get the incident's id) and list
//!   responses, told apart by their fields.
//! - `evidence`: one evidence item of an alert, by its `@odata.type`.

mod alerts;
mod evidence;

use crate::json::response;
use crate::progress::Progress;
use airview_engine::model::Dataset;

/// Reads a Graph export into `data`, every alert tagged with file index `file`. On error
/// `data` may hold part of the file: the caller rolls back (see `crate::load`).
pub fn read(data: &mut Dataset, file: u32, text: &str) -> Result<(), serde_json::Error> {
    read_with_progress(data, file, text, &mut |_| {})
}

/// `read`, telling `progress` how far it has got as it finishes alerts (see
/// `crate::progress`).
pub(crate) fn read_with_progress(
    data: &mut Dataset,
    file: u32,
    text: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), serde_json::Error> {
    response::read::<alerts::Node>(data, file, text, progress)
}
