//! The Microsoft Defender portal's Action center history, exported as CSV: `Action update
//! time`, `Investigation ID`, `Action type`, `Entity`, `Device or mailbox`, `Status`,
//! `Action source`, `Decided by`, `Comment`. airview's own history export writes the same
//! columns, so that it loads back.

use super::columns::{Columns, Header};
use super::CsvError;

/// The source of a row that names none: the portal's history always names one.
pub(super) const DEFAULT_SOURCE: &str = "";

/// Finds the columns; `Action type`, `Status` and `Action update time` are required.
pub(super) fn columns(h: &Header) -> Result<Columns, CsvError> {
    let machine_id = h.machine_id();
    Ok(Columns {
        action: h.required(&["action type", "action"], "Action type")?,
        action_alt: None,
        status: h.required(&["status"], "Status")?,
        time: Some(h.required(
            &["action update time", "time", "last update time"],
            "Action update time",
        )?),
        created: h.any(&["creation time", "time created", "submission time"]),
        investigation: h.any(&["investigation id", "investigation"]),
        entity: h.any(&["entity", "asset", "details"]),
        device: h.any(&["device or mailbox", "device name", "device", "mailbox"]),
        source: h.any(&["action source", "source"]),
        decided_by: h.any(&["decided by", "handled by"]),
        comment: h.any(&["comment", "comments"]),
        wait_time: h.any(&["wait time"]),
        machine_id,
    })
}
