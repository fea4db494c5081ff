//! What the loading worker does with a file's bytes, once it has them: decode the text, import
//! it into the dataset, and say what became of it. The worker's own half only reads bytes from
//! the browser and posts messages.

use crate::protocol::FileResult;
use airview_engine::Dataset;
use airview_import::{check_size, load_with_progress, Progress, MAX_BROWSER_FILE_BYTES};

impl FileResult {
    /// A file refused before it was read, or while reading it.
    pub fn refused(index: usize, name: &str, error: String) -> FileResult {
        FileResult {
            index,
            name: name.to_owned(),
            error: Some(error),
            ..FileResult::default()
        }
    }
}

/// The refusal of a file of `size` bytes, before anything reads it, when the worker's memory
/// could not hold it; `None` when it may be read.
pub fn refusal_by_size(index: usize, name: &str, size: u64) -> Option<FileResult> {
    check_size(name, size, MAX_BROWSER_FILE_BYTES)
        .err()
        .map(|e| FileResult::refused(index, name, e.to_string()))
}

/// Imports one file's bytes into `data` (as it was before the file, when it is refused).
/// `progress` is told how many of the file's bytes were parsed and how many evidence items
/// read, as the importer goes.
pub fn import_file(
    data: &mut Dataset,
    index: usize,
    name: &str,
    bytes: Vec<u8>,
    progress: &mut dyn FnMut(u64, usize),
) -> FileResult {
    let total = bytes.len() as u64;
    let decoded = airview_import::text::decode(bytes);
    let warning = decoded.warning(name);
    let text = decoded.text;
    // Offsets the importer reports are into the text, whose length differs from the file's
    // when it was UTF-16 or had bytes replaced; scale them to the file's bytes.
    let scale = if text.is_empty() {
        0.0
    } else {
        total as f64 / text.len() as f64
    };
    let report = load_with_progress(data, name, &text, None, &mut |p: Progress| {
        progress((p.bytes as f64 * scale) as u64, p.evidence)
    });
    match report {
        Ok(report) => {
            progress(total, report.evidence);
            FileResult {
                index,
                name: name.to_owned(),
                format: report.format.map_or("", |f| f.name()).to_owned(),
                alerts: report.alerts,
                evidence: report.evidence,
                repeated_alerts: report.repeated_alerts.len(),
                warning,
                error: None,
            }
        }
        Err(e) => FileResult::refused(index, name, e.to_string()),
    }
}
