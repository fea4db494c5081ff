//! Defender for Office 365's AirLogs.csv, an investigation's log: `ID`, `Action type`,
//! `Action`, `Status`, `Device name`, `Description`, `Comments`, `Time created`,
//! `Execution start time`, `Duration`, `Pending duration`, `Queued duration`.
//!
//! The log holds analysis steps as well as remediation actions. Every row is kept; a row whose
//! `Action` (or, failing that, `Action type`) is not an action airview knows has no action
//! type and is shown with the text the export gave.

use super::columns::{Columns, Header};
use super::CsvError;

/// The source of every row: an investigation's log is automation's.
pub(super) const DEFAULT_SOURCE: &str = "Automated investigation";

/// Finds the columns; `Action` and `Status` are required.
pub(super) fn columns(h: &Header) -> Result<Columns, CsvError> {
    let machine_id = h.machine_id();
    Ok(Columns {
        action: h.required(&["action"], "Action")?,
        action_alt: h.any(&["action type"]),
        status: h.required(&["status"], "Status")?,
        time: h.any(&["execution start time"]),
        created: h.any(&["time created"]),
        investigation: h.any(&["investigation id", "investigation"]),
        entity: h.any(&["description", "entity"]),
        device: h.any(&["device name", "device or mailbox", "device"]),
        source: h.any(&["action source", "source"]),
        decided_by: h.any(&["decided by", "handled by"]),
        comment: h.any(&["comments", "comment"]),
        wait_time: h.any(&["pending duration"]),
        machine_id,
    })
}
