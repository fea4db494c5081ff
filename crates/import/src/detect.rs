//! Which format a file is in, from its content alone (file names lie: `export (3).json`).
//!
//! JSON files are told apart by the object keys near their start: a light scan reads the keys
//! of the first few thousand objects without parsing values or building anything, so detection
//! costs microseconds even on a gigabyte file. CSV files are told apart by their header row.
//!
//! The rules, first match wins:
//!
//! 1. A top-level object with an `airview` key (or both `data` and `journal`): airview's file.
//! 2. `@odata.context` naming `#Alerts`, `#Investigations` or `#MachineActions` (Defender for
//!    Endpoint's API says which entity set a response holds), or naming Graph.
//! 3. Keys only Defender for Endpoint machine actions have (`requestor`,
//!    `creationDateTimeUtc`, `lastUpdateDateTimeUtc`), only its alerts have (`entityType`,
//!    `alertCreationTime`, `computerDnsName` beside `evidence`), or only its investigations
//!    have (`triggeringAlertId`, or `startTime` with `state` and no `evidence`). Graph's
//!    evidence has `detectionStatus` too, so that key decides nothing.
//! 4. Any other JSON: Graph (whose importer then says what is wrong, with a line and column).
//! 5. Not JSON: a CSV file whose header names the columns of one of the portal's exports.

use crate::csv::{self, Header};
use crate::Format;

/// How many object keys the scan reads before deciding. Every format shows its kind within
/// its first object, so this is generous.
const KEY_BUDGET: usize = 4096;

/// Detects a file's format from its content, or says why it cannot.
pub fn detect(text: &str) -> Result<Format, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match text.trim_start().chars().next() {
        None => Err("the file is empty".to_owned()),
        Some('{' | '[') => Ok(detect_json(text)),
        Some(_) => detect_csv(text),
    }
}

fn detect_csv(text: &str) -> Result<Format, String> {
    let unknown = || {
        "the file is not JSON, and its first line is not the header of a CSV export airview \
         reads (the Action center history, Office 365's AirActions.csv or AirLogs.csv)"
            .to_owned()
    };
    let header = csv::first_record(text).ok_or_else(unknown)?;
    csv_kind(&Header::new(&header)).ok_or_else(unknown)
}

/// Which of the portal's CSV exports a header belongs to.
pub(crate) fn csv_kind(h: &Header) -> Option<Format> {
    if h.has("wait time") || h.has("handled by") {
        Some(Format::AirActionsCsv)
    } else if h.has("execution start time")
        || h.has("time created")
        || h.has("pending duration")
        || h.has("queued duration")
        || (h.has("action") && h.has("device name"))
    {
        Some(Format::AirLogsCsv)
    } else if h.has("action update time")
        || h.has("decided by")
        || h.has("action source")
        || h.has("device or mailbox")
        || h.has("action type")
    {
        Some(Format::ActionCenterCsv)
    } else {
        None
    }
}

/// What the key scan saw.
#[derive(Default)]
struct Seen {
    top_level: Vec<String>,
    context: Option<String>,
    keys: Vec<String>,
}

impl Seen {
    fn has(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }
}

fn detect_json(text: &str) -> Format {
    let seen = scan_keys(text.as_bytes());
    let top = |k: &str| seen.top_level.iter().any(|t| t == k);
    if top("airview") || (top("data") && top("journal")) {
        return Format::Airview;
    }
    if let Some(context) = &seen.context {
        let c = context.to_ascii_lowercase();
        if c.contains("#machineactions") {
            return Format::MdeMachineActions;
        }
        if c.contains("#investigations") {
            return Format::MdeInvestigations;
        }
        if c.contains("#alerts") && !c.contains("graph.microsoft") {
            return Format::MdeAlerts;
        }
        if c.contains("graph.microsoft") {
            return Format::Graph;
        }
    }
    if seen.has("requestor") || seen.has("creationDateTimeUtc") || seen.has("lastUpdateDateTimeUtc")
    {
        return Format::MdeMachineActions;
    }
    // Not `detectionStatus`: Graph's file evidence has one too.
    if seen.has("entityType")
        || seen.has("alertCreationTime")
        || (seen.has("evidence") && seen.has("computerDnsName"))
    {
        return Format::MdeAlerts;
    }
    if seen.has("triggeringAlertId")
        || (seen.has("startTime") && seen.has("state") && !seen.has("evidence"))
    {
        return Format::MdeInvestigations;
    }
    Format::Graph
}

/// Reads object keys (and the value of `@odata.context`) without parsing anything else.
/// Never fails: on text that is not JSON it reads whatever looks like keys until the budget
/// or the text runs out.
fn scan_keys(b: &[u8]) -> Seen {
    #[derive(Clone, Copy, PartialEq)]
    enum Frame {
        Object,
        Array,
    }
    let mut seen = Seen::default();
    let mut stack: Vec<Frame> = Vec::new();
    // In an object, whether the next string is a key.
    let mut want_key = false;
    let mut after_context_key = false;
    let mut i = 0;
    while i < b.len() && seen.keys.len() < KEY_BUDGET {
        let Some(&c) = b.get(i) else { break };
        match c {
            b'{' => {
                stack.push(Frame::Object);
                want_key = true;
            }
            b'[' => {
                stack.push(Frame::Array);
                want_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                want_key = false;
            }
            b',' => want_key = stack.last() == Some(&Frame::Object),
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while let Some(&d) = b.get(j) {
                    match d {
                        // Skip the escaped character so that `\"` does not end the string.
                        b'\\' => j += 2,
                        b'"' => break,
                        _ => j += 1,
                    }
                }
                let s = b.get(start..j.min(b.len())).unwrap_or_default();
                let s = String::from_utf8_lossy(s);
                if want_key {
                    if stack.len() == 1 {
                        seen.top_level.push(s.to_string());
                    }
                    after_context_key = s == "@odata.context";
                    seen.keys.push(s.into_owned());
                    want_key = false;
                } else if after_context_key {
                    seen.context.get_or_insert_with(|| s.into_owned());
                    after_context_key = false;
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_inside_strings_and_escapes_are_not_keys() {
        let seen = scan_keys(br#"{"a": "x\"y{\"entityType\": 1}", "b\\": [{"c": 1}]}"#);
        assert_eq!(seen.keys, vec!["a", "b\\\\", "c"]);
        assert_eq!(seen.top_level, vec!["a", "b\\\\"]);
    }

    #[test]
    fn scan_survives_garbage() {
        for text in ["\"", "{\"", "{\"a\\", "]]]}}}", "{{{{[[[[", "\"\\"] {
            let _ = scan_keys(text.as_bytes());
        }
    }
}
