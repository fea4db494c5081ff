//! Defender for Office 365's AirActions.csv, an investigation's pending actions history:
//! `Action type`, `Wait time`, `Entity`, `Status`, `Handled by`, `Time`.

use super::columns::{Columns, Header};
use super::CsvError;

/// The source of every row: an investigation's actions are automation's.
pub(super) const DEFAULT_SOURCE: &str = "Automated investigation";

/// Finds the columns; `Action type`, `Status` and `Time` are required.
pub(super) fn columns(h: &Header) -> Result<Columns, CsvError> {
    let machine_id = h.machine_id();
    Ok(Columns {
        action: h.required(&["action type", "action"], "Action type")?,
        action_alt: None,
        status: h.required(&["status"], "Status")?,
        time: Some(h.required(&["time", "action update time"], "Time")?),
        created: None,
        investigation: h.any(&["investigation id", "investigation"]),
        entity: h.any(&["entity", "asset"]),
        device: h.any(&["device or mailbox", "device name", "device", "mailbox"]),
        source: h.any(&["action source", "source"]),
        decided_by: h.any(&["handled by", "decided by"]),
        comment: h.any(&["comment", "comments"]),
        wait_time: h.any(&["wait time"]),
        machine_id,
    })
}
