//! The portals' CSV exports, each row a reported action (history as the portal saw it):
//!
//! - `action_center`: the Microsoft Defender portal's Action center history (airview's own
//!   history export writes the same);
//! - `air_actions`: Defender for Office 365's AirActions.csv, an investigation's pending
//!   actions history;
//! - `air_logs`: Defender for Office 365's AirLogs.csv, an investigation's log.
//!
//! The three share one reader: `reader` splits the text into records (RFC 4180), `columns`
//! finds each format's columns by name in the header, `time` reads the portals' time stamps,
//! and `read` below turns each row into a reported action, with the action type and status
//! `crate::vocabulary` reads from the export's words. A missing required column is an error
//! that names it; a row with the wrong number of fields or a value airview cannot read is an
//! error that names the row (the header is row 1) and the line it starts on. A leading `'`
//! that spreadsheets put before `=`, `+`, `-` or `@` (airview's export does, to stop
//! formulas) is removed.

mod action_center;
mod air_actions;
mod air_logs;
mod columns;
mod reader;
mod time;

pub use crate::vocabulary::{action_type, status};
pub(crate) use columns::Header;
pub(crate) use reader::first_record;
pub use time::parse_time;

use crate::progress::{Meter, Progress};
use crate::{Format, ImportError};
use airview_engine::model::{Dataset, ReportedAction};
use airview_engine::Timestamp;
use reader::Reader;

/// A problem at a row of a CSV file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvError {
    /// 1-based, the header being row 1; none for a problem with the whole file.
    pub row: Option<usize>,
    /// The line the row starts on.
    pub line: Option<usize>,
    pub message: String,
}

impl CsvError {
    pub fn in_file(self, file: &str) -> ImportError {
        ImportError {
            file: file.to_owned(),
            row: self.row,
            line: self.line,
            column: None,
            message: self.message,
        }
    }
}

/// Reads a CSV export into `data.reported_actions`. On error `data` may hold part of the
/// file: the caller rolls back (see `crate::load`).
pub fn read(data: &mut Dataset, file: u32, text: &str, format: Format) -> Result<(), CsvError> {
    read_with_progress(data, file, text, format, &mut |_| {})
}

/// `read`, telling `progress` how far it has got as it finishes rows (see `crate::progress`).
pub(crate) fn read_with_progress(
    data: &mut Dataset,
    file: u32,
    text: &str,
    format: Format,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), CsvError> {
    let mut meter = Meter::new(text, progress);
    let mut reader = Reader::new(text);
    // The reader's offsets start after the byte order mark, if there is one.
    let skipped = text.len().saturating_sub(reader.text.len());
    let header = match reader.next_record() {
        None => {
            return Err(CsvError {
                row: None,
                line: None,
                message: "the file is empty".to_owned(),
            })
        }
        Some(h) => h?,
    };
    let header = Header::new(&header.fields);
    let (cols, default_source) = match format {
        Format::AirActionsCsv => (air_actions::columns(&header)?, air_actions::DEFAULT_SOURCE),
        Format::AirLogsCsv => (air_logs::columns(&header)?, air_logs::DEFAULT_SOURCE),
        _ => (
            action_center::columns(&header)?,
            action_center::DEFAULT_SOURCE,
        ),
    };
    let width = header.len();
    while let Some(record) = reader.next_record() {
        let record = record?;
        let at = |message: String| CsvError {
            row: Some(record.row),
            line: Some(record.line),
            message,
        };
        if record.fields.len() != width {
            return Err(at(format!(
                "the row has {} field(s); the header has {width}",
                record.fields.len()
            )));
        }
        let cell = |i: Option<usize>| -> Option<String> {
            let text = unguard(record.fields.get(i?)?.trim());
            (!text.is_empty()).then(|| text.to_owned())
        };
        let time = |i: Option<usize>| -> Result<Option<Timestamp>, CsvError> {
            let Some(text) = cell(i) else { return Ok(None) };
            parse_time(&text).map(Some).ok_or_else(|| {
                at(format!(
                    "`{text}` in column `{}` is not a date and time airview reads \
                     (write it as `2026-10-20T08:01:00Z`, `2026-10-20 08:01:00`, \
                     `10/20/2026 8:01:00 AM` or `Oct 20, 2026 8:01 AM`)",
                    i.and_then(|i| header.name(i)).unwrap_or("")
                ))
            })
        };
        let mut label = cell(Some(cols.action)).unwrap_or_default();
        let mut action = action_type(&label);
        if action.is_none() {
            if let Some(alt) = cell(cols.action_alt) {
                if let Some(a) = action_type(&alt) {
                    action = Some(a);
                    label = alt;
                } else if label.is_empty() {
                    label = alt;
                }
            }
        }
        let reported_status = cell(Some(cols.status)).unwrap_or_default();
        let updated = time(cols.time)?;
        let created = time(cols.created)?;
        data.reported_actions.push(ReportedAction {
            id: format!("{file}/{}", record.row),
            action,
            action_label: label,
            entity: cell(cols.entity),
            device: cell(cols.device),
            machine_id: cell(cols.machine_id),
            investigation_id: cell(cols.investigation),
            status: status(&reported_status),
            reported_status,
            source: cell(cols.source).unwrap_or_else(|| default_source.to_owned()),
            decided_by: cell(cols.decided_by),
            comment: cell(cols.comment),
            created,
            updated,
            wait_time: cell(cols.wait_time),
            file,
        });
        meter.at_offset(skipped + reader.pos);
    }
    Ok(())
}

/// Removes the `'` a spreadsheet (or airview's export) puts before a cell that would
/// otherwise read as a formula.
fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}
