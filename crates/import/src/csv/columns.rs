//! Columns found by name: a header row, and where each field airview reads sits in a format's
//! rows. Names match case-insensitively, with white space trimmed and inner runs of it made
//! one space, in any order; columns airview does not use are ignored.

use super::CsvError;

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

    /// How many columns the header names: every row must have as many fields.
    pub(super) fn len(&self) -> usize {
        self.names.len()
    }

    /// Column `i`'s name as the file gives it, for messages.
    pub(super) fn name(&self, i: usize) -> Option<&str> {
        self.names.get(i).map(String::as_str)
    }

    /// The first column with this (normalised) name.
    fn index(&self, name: &str) -> Option<usize> {
        self.normal.iter().position(|n| n == name)
    }

    /// The first column with any of these names.
    pub(super) fn any(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.index(n))
    }

    /// The first column with any of these names, which the format requires: when there is
    /// none, an error that names it as `shown` and lists the columns the header has.
    pub(super) fn required(&self, names: &[&str], shown: &str) -> Result<usize, CsvError> {
        self.any(names).ok_or_else(|| CsvError {
            row: Some(1),
            line: Some(1),
            message: format!(
                "the required column `{shown}` is missing (the header has {})",
                self.names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    }

    /// The column of a device's id, which every format may have.
    pub(super) fn machine_id(&self) -> Option<usize> {
        self.any(&["machine id", "device id", "machineid"])
    }
}

/// Where each field a format uses sits in the file's rows.
pub(super) struct Columns {
    pub(super) action: usize,
    /// AirLogs.csv has both `Action` and `Action type`; the other is a fallback.
    pub(super) action_alt: Option<usize>,
    pub(super) status: usize,
    pub(super) time: Option<usize>,
    pub(super) created: Option<usize>,
    pub(super) investigation: Option<usize>,
    pub(super) entity: Option<usize>,
    pub(super) device: Option<usize>,
    pub(super) source: Option<usize>,
    pub(super) decided_by: Option<usize>,
    pub(super) comment: Option<usize>,
    pub(super) wait_time: Option<usize>,
    pub(super) machine_id: Option<usize>,
}
