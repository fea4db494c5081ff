//! The history as analysts export it: CSV in the portal's columns, or JSON.

use crate::center::views::ActionView;
use crate::vocab::ActionTarget;

/// The portal's Action center history columns, in its order.
pub const CSV_COLUMNS: [&str; 9] = [
    "Action update time",
    "Investigation ID",
    "Action type",
    "Entity",
    "Device or mailbox",
    "Status",
    "Action source",
    "Decided by",
    "Comment",
];

/// The history as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they
/// hold a comma, a quote or a line break, quotes doubled), with a header row.
pub fn history_csv(rows: &[ActionView]) -> String {
    let mut out = String::new();
    push_row(&mut out, CSV_COLUMNS.iter().map(|c| (*c).to_owned()));
    for row in rows {
        let mailbox = match row.action.target() {
            ActionTarget::Mailbox => Some(row.entity.clone()),
            _ => None,
        };
        let status = match &row.duplicate_of {
            Some(earlier) => format!(
                "{} (duplicate of {earlier}: not processed again)",
                row.status.label()
            ),
            None => row.status.label().to_owned(),
        };
        push_row(
            &mut out,
            [
                row.decided_at.map(|t| t.to_string()).unwrap_or_default(),
                row.investigation.clone().unwrap_or_default(),
                row.action.label().to_owned(),
                row.entity.clone(),
                row.device.clone().or(mailbox).unwrap_or_default(),
                status,
                row.source.label().to_owned(),
                row.decided_by.clone().unwrap_or_default(),
                row.comment.clone().unwrap_or_default(),
            ]
            .into_iter(),
        );
    }
    out
}

/// The history as a JSON array of `ActionView` objects. Serialising these plain structs does
/// not fail today (every map key is a string), but an export that came out empty would lose
/// the analyst's history without a word, so a failure is the caller's to report.
pub fn history_json(rows: &[ActionView]) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(rows)
}

fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_cell(&cell));
    }
    out.push_str("\r\n");
}

/// One CSV field. A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
/// return) is read as a formula by Excel and LibreOffice, and comments, entity names and
/// subjects come from attackers' emails and files: a `'` in front makes the spreadsheet show
/// the text instead of running it (OWASP, "CSV Injection").
pub fn csv_cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}
