//! airview's importers: each export format users have, read into the engine's `Dataset`.
//!
//! Architecture invariant: an importer never panics and never half-loads. It streams a file
//! into the dataset behind a checkpoint; if the file turns out to be bad anywhere, the
//! dataset is rolled back, so a bad file costs nothing that was already there.

pub mod generate;
pub mod graph;

use airview_engine::Dataset;
use std::fmt;

/// The formats airview reads, detected from a file's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Microsoft Graph security API: `alerts_v2` lists, incidents with alerts, bare arrays of
    /// alerts, or one alert.
    Graph,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Graph => "Microsoft Graph security API export",
        }
    }

    pub fn parse(slug: &str) -> Option<Format> {
        match slug {
            "graph" => Some(Format::Graph),
            _ => None,
        }
    }
}

/// An import error: which file, where in it, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    /// 1-based line and column, when the problem has a place.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl ImportError {
    pub fn whole_file(file: &str, message: impl Into<String>) -> ImportError {
        ImportError {
            file: file.to_owned(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    fn from_json(file: &str, e: &serde_json::Error) -> ImportError {
        let message = match e.classify() {
            serde_json::error::Category::Eof => {
                "the file ends in the middle of a value (is it truncated?)".to_owned()
            }
            _ => airview_engine::json_message(e),
        };
        ImportError {
            file: file.to_owned(),
            line: Some(e.line()),
            column: Some(e.column()),
            message,
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`", self.file)?;
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, ", line {l}, column {c}")?,
            (Some(l), None) => write!(f, ", line {l}")?,
            _ => {}
        }
        write!(f, ": {}", self.message)
    }
}

/// What one file added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub format: Option<Format>,
    pub alerts: usize,
    pub evidence: usize,
    /// Alerts already loaded (from an earlier page or file) and skipped.
    pub repeated_alerts: Vec<String>,
}

/// The most a single file may hold. Larger files are refused before parsing, with this
/// figure in the message, rather than risking the tab's memory.
pub const MAX_FILE_BYTES: usize = 1 << 30;

/// Detects a file's format from its content.
pub fn detect(text: &str) -> Result<Format, String> {
    let first = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next();
    match first {
        Some('{' | '[') => Ok(Format::Graph),
        Some(_) => Err(
            "the file is not JSON; airview reads Microsoft Graph security API exports".to_owned(),
        ),
        None => Err("the file is empty".to_owned()),
    }
}

/// Reads one file into `data`. On error `data` is unchanged.
pub fn load(
    data: &mut Dataset,
    file: &str,
    text: &str,
    format: Option<Format>,
) -> Result<LoadReport, ImportError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ImportError::whole_file(
            file,
            format!(
                "the file is {} bytes; airview reads files of up to {} bytes (1 GiB)",
                text.len(),
                MAX_FILE_BYTES
            ),
        ));
    }
    let format = match format {
        Some(f) => f,
        None => detect(text).map_err(|m| ImportError::whole_file(file, m))?,
    };
    let checkpoint = data.checkpoint();
    let (alerts_before, evidence_before, repeated_before) = (
        data.alerts.len(),
        data.evidence.len(),
        data.repeated_alerts.len(),
    );
    let file_index = data.add_file(file);
    let result = match format {
        Format::Graph => {
            graph::read(data, file_index, text).map_err(|e| ImportError::from_json(file, &e))
        }
    };
    if let Err(e) = result {
        data.rollback(checkpoint);
        return Err(e);
    }
    Ok(LoadReport {
        format: Some(format),
        alerts: data.alerts.len() - alerts_before,
        evidence: data.evidence.len() - evidence_before,
        repeated_alerts: data
            .repeated_alerts
            .iter()
            .skip(repeated_before)
            .map(|(_, id)| id.clone())
            .collect(),
    })
}
