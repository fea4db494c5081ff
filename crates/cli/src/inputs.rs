//! Reading what a command is given: the policy and the exports. Errors name the file and the
//! place; warnings say what was read differently from what the file says.

use crate::Failure;
use airview_engine::{Dataset, Policy, Verdict};
use airview_import::{check_size, load, Format, MAX_FILE_BYTES};
use std::collections::BTreeMap;

/// What a command given no export says.
pub const NO_EXPORT: &str = "no export given; name one or more export files";

/// Reads a policy file; errors name the file.
pub fn read_policy(path: &str) -> Result<(Policy, Vec<String>), Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure(format!("cannot read policy `{path}`: {e}")))?;
    match Policy::parse_json(&text) {
        Ok((policy, warnings)) => Ok((
            policy,
            warnings
                .into_iter()
                .map(|w| format!("`{path}`: {}", w.message))
                .collect(),
        )),
        Err(errors) => {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| format!("`{path}`: {}", e.message))
                .collect();
            Err(Failure(lines.join("\n")))
        }
    }
}

/// Reads every export into one dataset. `format` forces an input format on every file;
/// without it each file's format is detected from its content. Returns the warnings worth
/// showing.
pub fn read_exports(
    paths: &[String],
    format: Option<Format>,
) -> Result<(Dataset, Vec<String>), Failure> {
    // The command line requires an export; a caller that passes none gets the same words.
    if paths.is_empty() {
        return Err(Failure(NO_EXPORT.to_owned()));
    }
    let mut data = Dataset::new();
    let mut warnings = Vec::new();
    for path in paths {
        // Refuse a file over the limit before reading any of it.
        let size = std::fs::metadata(path)
            .map_err(|e| Failure(format!("cannot read `{path}`: {e}")))?
            .len();
        check_size(path, size, MAX_FILE_BYTES).map_err(|e| Failure(e.to_string()))?;
        let bytes =
            std::fs::read(path).map_err(|e| Failure(format!("cannot read `{path}`: {e}")))?;
        // The same decoding as the app's: UTF-16 with a byte order mark is read, and bytes
        // that are not text are replaced and reported.
        let decoded = airview_import::text::decode(bytes);
        warnings.extend(decoded.warning(path));
        let report =
            load(&mut data, path, &decoded.text, format).map_err(|e| Failure(e.to_string()))?;
        if let Some(first) = report.repeated_alerts.first() {
            warnings.push(format!(
                "`{path}`: {} alert(s) were loaded already and are skipped (first: `{first}`)",
                report.repeated_alerts.len(),
            ));
        }
        if let Some(first) = report.repeated_actions.first() {
            warnings.push(format!(
                "`{path}`: {} machine action(s) were loaded already and are skipped (first: `{first}`)",
                report.repeated_actions.len(),
            ));
        }
        if report.policy.is_some() || report.journal.as_deref().is_some_and(|j| !j.is_empty()) {
            warnings.push(format!(
                "`{path}`: the policy and journal saved in this airview file are not used here; the command's options decide"
            ));
        }
    }
    let unknown_status = data
        .reported_actions
        .iter()
        .filter(|a| a.status.is_none())
        .count();
    if unknown_status > 0 {
        warnings.push(format!(
            "{unknown_status} reported action(s) carry a status airview does not know; they are shown with the export's text"
        ));
    }
    let unrecognised: BTreeMap<&str, usize> =
        data.evidence.iter().fold(BTreeMap::new(), |mut m, e| {
            if let Verdict::Unrecognized(raw) = &e.verdict {
                *m.entry(raw.as_str()).or_default() += 1;
            }
            m
        });
    for (raw, n) in unrecognised {
        warnings.push(format!("{n} evidence item(s) carry the verdict `{raw}`, which airview does not know; they are treated as unknown"));
    }
    Ok((data, warnings))
}
