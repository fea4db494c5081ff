//! The portals' CSV exports, each row a reported action (history as the portal saw it):
//!
//! - the Microsoft Defender portal's Action center history (`Action update time`,
//!   `Investigation ID`, `Action type`, `Entity`, `Device or mailbox`, `Status`,
//!   `Action source`, `Decided by`, `Comment`; airview's own history export writes the same);
//! - Defender for Office 365's AirActions.csv, an investigation's pending actions history
//!   (`Action type`, `Wait time`, `Entity`, `Status`, `Handled by`, `Time`);
//! - Defender for Office 365's AirLogs.csv, an investigation's log (`ID`, `Action type`,
//!   `Action`, `Status`, `Device name`, `Description`, `Comments`, `Time created`,
//!   `Execution start time`, `Duration`, `Pending duration`, `Queued duration`).
//!
//! The reader is a small RFC 4180 parser: fields separated by commas (or, when the header has
//! none, semicolons or tabs, as spreadsheets in some locales save), quoted when they hold a
//! separator, a quote or a line break, quotes doubled inside quotes, CRLF or LF line ends, a
//! byte order mark allowed. Columns are found by name, case-insensitively and in any order;
//! columns airview does not use are ignored. A missing required column is an error that names
//! it; a row with the wrong number of fields or a value airview cannot read is an error that
//! names the row (the header is row 1) and the line it starts on.
//!
//! airview decides how the portal's time stamps are read, since the exports carry no time zone:
//! they are taken as UTC. ISO 8601 (`2026-10-20T08:01:00Z`, `2026-10-20 08:01:00`), US dates
//! (`10/20/2026 8:01:00 AM`, the portal's default) and month names (`Oct 20, 2026 8:01 AM`,
//! `20 Oct 2026 08:01`) are read; in `a/b/yyyy`, `a` is the month unless it is over 12.
//! A leading `'` that spreadsheets put before `=`, `+`, `-` or `@` (airview's export does, to
//! stop formulas) is removed.
//!
//! AirLogs.csv is an investigation's whole log: analysis steps as well as remediation actions.
//! Every row is kept; a row whose `Action` (or `Action type`) is not an action airview knows
//! has no action type and is shown with the text the export gave.

use crate::progress::{Meter, Progress};
use crate::{Format, ImportError};
use airview_engine::action::ActionType;
use airview_engine::center::Status;
use airview_engine::model::{Dataset, ReportedAction};
use airview_engine::Timestamp;
use std::borrow::Cow;

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

/// One record and where it starts.
struct Record<'a> {
    fields: Vec<Cow<'a, str>>,
    /// 1-based row number, the header being row 1 (blank lines are not rows).
    row: usize,
    line: usize,
}

/// An RFC 4180 reader over text.
struct Reader<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    row: usize,
    separator: u8,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Reader<'a> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Reader {
            text,
            pos: 0,
            line: 1,
            row: 0,
            separator: separator_of(text),
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    /// Consumes a line end at `pos` (CRLF, LF or CR); false if there is none.
    fn line_end(&mut self) -> bool {
        match self.byte(self.pos) {
            Some(b'\r') => {
                self.pos += if self.byte(self.pos + 1) == Some(b'\n') {
                    2
                } else {
                    1
                };
                self.line += 1;
                true
            }
            Some(b'\n') => {
                self.pos += 1;
                self.line += 1;
                true
            }
            _ => false,
        }
    }

    /// Skips lines that hold nothing but spaces and tabs.
    fn skip_blank_lines(&mut self) {
        loop {
            let rest = self.text.as_bytes().get(self.pos..).unwrap_or_default();
            let blank = rest
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .count();
            match rest.get(blank) {
                Some(b'\r' | b'\n') => {
                    self.pos += blank;
                    self.line_end();
                }
                None if blank > 0 => self.pos += blank,
                _ => return,
            }
        }
    }

    fn next_record(&mut self) -> Option<Result<Record<'a>, CsvError>> {
        self.skip_blank_lines();
        if self.pos >= self.text.len() {
            return None;
        }
        self.row += 1;
        let (row, line) = (self.row, self.line);
        let mut fields = Vec::new();
        loop {
            let field = if self.byte(self.pos) == Some(b'"') {
                match self.quoted(row, line) {
                    Ok(f) => f,
                    Err(e) => return Some(Err(e)),
                }
            } else {
                self.unquoted()
            };
            fields.push(field);
            match self.byte(self.pos) {
                Some(c) if c == self.separator => self.pos += 1,
                None => break,
                Some(_) => {
                    self.line_end();
                    break;
                }
            }
        }
        Some(Ok(Record { fields, row, line }))
    }

    fn unquoted(&mut self) -> Cow<'a, str> {
        let start = self.pos;
        while let Some(c) = self.byte(self.pos) {
            if c == self.separator || c == b'\r' || c == b'\n' {
                break;
            }
            self.pos += 1;
        }
        Cow::Borrowed(self.text.get(start..self.pos).unwrap_or_default())
    }

    fn quoted(&mut self, row: usize, line: usize) -> Result<Cow<'a, str>, CsvError> {
        let opened_on = self.line;
        self.pos += 1;
        let mut start = self.pos;
        let mut owned: Option<String> = None;
        loop {
            match self.byte(self.pos) {
                None => {
                    return Err(CsvError {
                        row: Some(row),
                        line: Some(line),
                        message: format!(
                            "a quoted field opened on line {opened_on} is never closed (is the file truncated?)"
                        ),
                    })
                }
                Some(b'"') if self.byte(self.pos + 1) == Some(b'"') => {
                    // A doubled quote stands for one quote.
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(self.text.get(start..=self.pos).unwrap_or_default());
                    self.pos += 2;
                    start = self.pos;
                }
                Some(b'"') => {
                    let piece = self.text.get(start..self.pos).unwrap_or_default();
                    self.pos += 1;
                    match self.byte(self.pos) {
                        None | Some(b'\r' | b'\n') => {}
                        Some(c) if c == self.separator => {}
                        Some(_) => {
                            return Err(CsvError {
                                row: Some(row),
                                line: Some(self.line),
                                message: format!(
                                    "a quoted field must end at a `{}` or a line end, but text follows its closing quote",
                                    char::from(self.separator).escape_default()
                                ),
                            })
                        }
                    }
                    return Ok(match owned {
                        Some(mut s) => {
                            s.push_str(piece);
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(piece),
                    });
                }
                Some(b'\n') => {
                    self.line += 1;
                    self.pos += 1;
                }
                Some(b'\r') => {
                    if self.byte(self.pos + 1) != Some(b'\n') {
                        self.line += 1;
                    }
                    self.pos += 1;
                }
                Some(_) => self.pos += 1,
            }
        }
    }
}

/// The separator: a comma, unless the first line has none and has semicolons or tabs.
fn separator_of(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if first.contains(',') {
        b','
    } else if first.contains(';') {
        b';'
    } else if first.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

/// The first record of a CSV text (its header), if it reads as one.
pub(crate) fn first_record(text: &str) -> Option<Vec<String>> {
    let mut r = Reader::new(text);
    match r.next_record()? {
        Ok(rec) => Some(rec.fields.into_iter().map(Cow::into_owned).collect()),
        Err(_) => None,
    }
}

/// A header row: column names as the file gives them, and their normalised forms
/// (lower case, trimmed, inner runs of white space made one space).
pub(crate) struct Header {
    names: Vec<String>,
    normal: Vec<String>,
}

fn normalise(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Header {
    pub(crate) fn new(fields: &[impl AsRef<str>]) -> Header {
        Header {
            names: fields
                .iter()
                .map(|f| f.as_ref().trim().to_owned())
                .collect(),
            normal: fields.iter().map(|f| normalise(f.as_ref())).collect(),
        }
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.index(name).is_some()
    }

    /// The first column with this (normalised) name.
    fn index(&self, name: &str) -> Option<usize> {
        self.normal.iter().position(|n| n == name)
    }

    /// The first column with any of these names.
    fn any(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.index(n))
    }
}

/// Where each field a format uses sits in the file's rows.
struct Columns {
    action: usize,
    /// AirLogs.csv has both `Action` and `Action type`; the other is a fallback.
    action_alt: Option<usize>,
    status: usize,
    time: Option<usize>,
    created: Option<usize>,
    investigation: Option<usize>,
    entity: Option<usize>,
    device: Option<usize>,
    source: Option<usize>,
    decided_by: Option<usize>,
    comment: Option<usize>,
    wait_time: Option<usize>,
    machine_id: Option<usize>,
}

/// Finds a format's columns; a missing required one is an error that names it.
fn columns(h: &Header, format: Format) -> Result<Columns, CsvError> {
    let required = |names: &[&str], shown: &str| {
        h.any(names).ok_or_else(|| CsvError {
            row: Some(1),
            line: Some(1),
            message: format!(
                "the required column `{shown}` is missing (the header has {})",
                h.names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    };
    let machine_id = h.any(&["machine id", "device id", "machineid"]);
    Ok(match format {
        Format::AirActionsCsv => Columns {
            action: required(&["action type", "action"], "Action type")?,
            action_alt: None,
            status: required(&["status"], "Status")?,
            time: Some(required(&["time", "action update time"], "Time")?),
            created: None,
            investigation: h.any(&["investigation id", "investigation"]),
            entity: h.any(&["entity", "asset"]),
            device: h.any(&["device or mailbox", "device name", "device", "mailbox"]),
            source: h.any(&["action source", "source"]),
            decided_by: h.any(&["handled by", "decided by"]),
            comment: h.any(&["comment", "comments"]),
            wait_time: h.any(&["wait time"]),
            machine_id,
        },
        Format::AirLogsCsv => Columns {
            action: required(&["action"], "Action")?,
            action_alt: h.any(&["action type"]),
            status: required(&["status"], "Status")?,
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
        },
        _ => Columns {
            action: required(&["action type", "action"], "Action type")?,
            action_alt: None,
            status: required(&["status"], "Status")?,
            time: Some(required(
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
        },
    })
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
    let cols = columns(&header, format)?;
    let width = header.names.len();
    let default_source = match format {
        Format::AirActionsCsv | Format::AirLogsCsv => "Automated investigation",
        _ => "",
    };
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
                    i.and_then(|i| header.names.get(i))
                        .map_or("", String::as_str)
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

/// Letters and digits only, lower case: `Soft delete email(s)` and `soft_delete_emails`
/// meet at `softdeleteemails`.
fn squash(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// An action type from the name an export gives it: airview's labels and slugs, the portal's
/// wordings, and Defender for Endpoint's machine action types.
pub fn action_type(text: &str) -> Option<ActionType> {
    let key = squash(text);
    if key.is_empty() {
        return None;
    }
    if let Some(a) = ActionType::ALL
        .into_iter()
        .find(|a| squash(a.label()) == key || squash(a.slug()) == key)
    {
        return Some(a);
    }
    Some(match key.as_str() {
        "quarantinefile" | "quarantinefiles" | "filequarantine" => ActionType::QuarantineFile,
        "killprocess" | "terminateprocess" => ActionType::KillProcess,
        "removeregistrykeys" | "removeregistryvalue" | "deleteregistrykey" => {
            ActionType::RemoveRegistryKey
        }
        "softdeleteemail" | "softdeleteemails" | "softdeleteemailmessage" | "softdelete" => {
            ActionType::SoftDeleteEmail
        }
        "softdeleteemailcluster" | "softdeleteemailsclusters" | "softdeleteemailsincluster" => {
            ActionType::SoftDeleteEmailCluster
        }
        "blockurl" | "blockurls" | "blockurltimeofclick" => ActionType::BlockUrl,
        "quarantineattachment" | "quarantineemailattachments" => {
            ActionType::QuarantineEmailAttachment
        }
        "turnoffexternalforwarding" | "disableexternalmailforwarding" => {
            ActionType::TurnOffExternalMailForwarding
        }
        "disableuseraccount" => ActionType::DisableUser,
        "isolate" | "isolatemachine" => ActionType::IsolateDevice,
        "runantivirusscan" | "antivirusscan" | "runavscan" => ActionType::RunAntivirusScan,
        "offboard" | "offboarddevice" => ActionType::OffboardMachine,
        "stopandquarantinefile" => ActionType::StopAndQuarantine,
        "restrictappexecution" => ActionType::RestrictCodeExecution,
        "unrestrictcodeexecution" | "removeapprestriction" | "removeapprestrictions" => {
            ActionType::ReleaseCodeExecution
        }
        "collectsample" | "collectfile" => ActionType::RequestSample,
        "restorefromquarantine" | "releasefile" | "restorefile" => {
            ActionType::ReleaseFromQuarantine
        }
        "resetpassword" => ActionType::ResetUserPassword,
        "markuserascompromised" | "confirmusercompromised" => ActionType::ConfirmUserCompromised,
        "runliveresponse" | "liveresponsesession" => ActionType::LiveResponse,
        _ => return None,
    })
}

/// airview's status for a status the export wrote, when it is one airview knows. The text
/// before ` (` counts (`Completed (duplicate of …)`, airview's own export).
pub fn status(text: &str) -> Option<Status> {
    let text = text.split(" (").next().unwrap_or(text);
    Some(match squash(text).as_str() {
        "pending" | "pendingapproval" | "awaitingapproval" | "inprogress" | "running"
        | "queued" | "waiting" | "sent" => Status::Pending,
        "completed" | "complete" | "succeeded" | "success" | "successful" | "approved"
        | "remediated" | "done" | "taken" => Status::Completed,
        "failed" | "failure" | "error" => Status::Failed,
        "rejected" | "declined" | "cancelled" | "canceled" => Status::Rejected,
        "timedout" | "timeout" | "expired" => Status::TimedOut,
        "undone" | "reverted" | "undocompleted" => Status::Undone,
        _ => return None,
    })
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    let prefix = w.get(..3)?;
    let n = MONTHS.iter().position(|m| *m == prefix)?;
    let full_ok = w.len() == 3
        || [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "sept",
            "october",
            "november",
            "december",
        ]
        .contains(&w.as_str());
    full_ok.then(|| n as u32 + 1)
}

/// Reads a time stamp as the portals write them (see the module's documentation).
pub fn parse_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Some(t) = Timestamp::parse(text) {
        return Some(t);
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str| -> Option<u32> {
        (!w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
    };
    // The date, then the words that follow it.
    let (year, month, day, rest) = match words.as_slice() {
        [date, rest @ ..] if date.contains('/') => {
            let parts: Vec<&str> = date.split('/').collect();
            let [a, b, y] = parts.as_slice() else {
                return None;
            };
            let (a, b, y) = (number(a)?, number(b)?, number(y)?);
            let (m, d) = if a > 12 { (b, a) } else { (a, b) };
            (y, m, d, rest)
        }
        [m, d, y, rest @ ..] if month_of(m).is_some() => {
            (number(y)?, month_of(m)?, number(d)?, rest)
        }
        [d, m, y, rest @ ..] if month_of(m).is_some() => {
            (number(y)?, month_of(m)?, number(d)?, rest)
        }
        _ => return None,
    };
    if !(1000..=9999).contains(&year) {
        return None;
    }
    let (mut hour, minute, second, meridiem) = match rest {
        [] => (0, 0, 0, None),
        [time, tail @ ..] => {
            let parts: Vec<&str> = time.split(':').collect();
            let (h, m, s) = match parts.as_slice() {
                [h, m] => (number(h)?, number(m)?, 0),
                [h, m, s] => {
                    // Fractions of a second are dropped.
                    let s = s.split('.').next().unwrap_or(s);
                    (number(h)?, number(m)?, number(s)?)
                }
                _ => return None,
            };
            let meridiem = match tail {
                [] => None,
                [ampm] if ampm.eq_ignore_ascii_case("am") => Some(false),
                [ampm] if ampm.eq_ignore_ascii_case("pm") => Some(true),
                [zone] if zone.eq_ignore_ascii_case("utc") || zone.eq_ignore_ascii_case("gmt") => {
                    None
                }
                [ampm, zone]
                    if (zone.eq_ignore_ascii_case("utc") || zone.eq_ignore_ascii_case("gmt")) =>
                {
                    if ampm.eq_ignore_ascii_case("am") {
                        Some(false)
                    } else if ampm.eq_ignore_ascii_case("pm") {
                        Some(true)
                    } else {
                        return None;
                    }
                }
                _ => return None,
            };
            (h, m, s, meridiem)
        }
    };
    if let Some(pm) = meridiem {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = match (pm, hour) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
    }
    Timestamp::parse(&format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Result<Vec<Vec<String>>, CsvError> {
        let mut r = Reader::new(text);
        let mut out = Vec::new();
        while let Some(rec) = r.next_record() {
            out.push(rec?.fields.into_iter().map(Cow::into_owned).collect());
        }
        Ok(out)
    }

    #[test]
    fn rfc_4180_quoting() {
        let rows =
            records("\u{feff}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n,,\n").unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["a", "b", "c"],
                vec!["x, y", "say \"hi\"", "two\nlines"],
                vec!["", "", ""],
            ]
        );
    }

    #[test]
    fn semicolons_and_tabs_when_the_header_has_no_comma() {
        assert_eq!(
            records("a;b\n1;2\n").unwrap(),
            vec![vec!["a", "b"], vec!["1", "2"]]
        );
        assert_eq!(
            records("a\tb\n1\t2").unwrap(),
            vec![vec!["a", "b"], vec!["1", "2"]]
        );
    }

    #[test]
    fn unclosed_quote_names_row_and_line() {
        let e = records("a,b\n1,2\n\n\"open,3\n").unwrap_err();
        assert_eq!((e.row, e.line), (Some(3), Some(4)));
        assert!(e.message.contains("never closed"), "{}", e.message);
        let e = records("a,b\n\"x\"y,2\n").unwrap_err();
        assert!(
            e.message.contains("text follows its closing quote"),
            "{}",
            e.message
        );
    }

    #[test]
    fn portal_times() {
        let iso = Timestamp::parse("2026-10-20T20:01:05Z");
        for text in [
            "2026-10-20T20:01:05Z",
            "2026-10-20 20:01:05",
            "10/20/2026 8:01:05 PM",
            "20/10/2026 20:01:05",
            "Oct 20, 2026 8:01:05 PM",
            "October 20, 2026 8:01:05 pm UTC",
            "20 Oct 2026 20:01:05",
        ] {
            assert_eq!(parse_time(text), iso, "{text}");
        }
        assert_eq!(
            parse_time("10/20/2026 12:00 AM"),
            Timestamp::parse("2026-10-20T00:00:00Z")
        );
        for bad in [
            "yesterday",
            "13/13/2026",
            "10/20/26 8:00",
            "Oct 20, 2026 13:00 PM",
            "2/30/2026",
            "Octopus 3, 2026",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn action_names_and_statuses() {
        assert_eq!(
            action_type("Soft delete email(s)"),
            Some(ActionType::SoftDeleteEmail)
        );
        assert_eq!(
            action_type("Quarantine a file"),
            Some(ActionType::QuarantineFile)
        );
        assert_eq!(
            action_type("StopAndQuarantineFile"),
            Some(ActionType::StopAndQuarantine)
        );
        assert_eq!(action_type("Email cluster analysis"), None);
        assert_eq!(
            status("Completed (duplicate of a/1: not processed again)"),
            Some(Status::Completed)
        );
        assert_eq!(status("Timed out"), Some(Status::TimedOut));
        assert_eq!(status("Bewildered"), None);
    }
}
