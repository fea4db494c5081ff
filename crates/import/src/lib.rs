//! airview's importers: each export format users have, read into the engine's `Dataset`.
//!
//! Architecture invariant: an importer never panics and never half-loads. It streams a file
//! into the dataset behind a checkpoint; if the file turns out to be bad anywhere, the
//! dataset is rolled back, so a bad file costs nothing that was already there.
//!
//! | slug | module | what |
//! |---|---|---|
//! | `graph` | `graph` | Microsoft Graph security API alerts and incidents |
//! | `mde-alerts` | `mde::alerts` | Defender for Endpoint `/api/alerts?$expand=evidence` |
//! | `mde-investigations` | `mde::investigations` | Defender for Endpoint `/api/investigations` |
//! | `mde-machineactions` | `mde::machine_actions` | Defender for Endpoint `/api/machineactions` |
//! | `action-center-csv` | `csv::action_center` | the portal's Action center history export |
//! | `air-actions-csv` | `csv::air_actions` | Office 365's AirActions.csv (pending actions history) |
//! | `air-logs-csv` | `csv::air_logs` | Office 365's AirLogs.csv (an investigation's log) |
//! | `airview` | `airview` | airview's own file: data, policy and journal |
//!
//! What the formats share has a module of its own:
//!
//! | module | what |
//! |---|---|
//! | `detect` | which format a file is in, from its content |
//! | `text` | a file's bytes as text: UTF-8 with or without a byte order mark, UTF-16 with one |
//! | `json` | the JSON readers' streaming visitors: the response envelope, an alert and its evidence, field readers |
//! | `csv` | the CSV readers' RFC 4180 reader, columns found by name, the portals' time stamps |
//! | `vocabulary` | the words exports use for action types and statuses |
//! | `progress` | how far a load has got, for a progress bar |
//! | `generate` | `airview generate`: a realistic, deterministic Graph export, for the app's sample, the tests and the benchmarks |

pub mod airview;
pub mod csv;
pub mod detect;
pub mod generate;
pub mod graph;
mod json;
pub mod mde;
mod progress;
pub mod text;
mod vocabulary;

use airview_engine::{Dataset, PolicyFile};
use std::fmt;

pub use detect::detect;
pub use progress::Progress;

/// The formats airview reads, detected from a file's content (`detect`) or named by the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Microsoft Graph security API: `alerts_v2` lists, incidents with alerts, bare arrays of
    /// alerts, or one alert.
    Graph,
    /// Defender for Endpoint `/api/alerts?$expand=evidence`: alerts with their evidence.
    MdeAlerts,
    /// Defender for Endpoint `/api/investigations`: automated investigations and their state.
    MdeInvestigations,
    /// Defender for Endpoint `/api/machineactions`: response actions taken on devices.
    MdeMachineActions,
    /// The Microsoft Defender portal's Action center history, exported as CSV.
    ActionCenterCsv,
    /// Defender for Office 365's AirActions.csv: an investigation's pending actions history.
    AirActionsCsv,
    /// Defender for Office 365's AirLogs.csv: an investigation's log.
    AirLogsCsv,
    /// airview's own file (`docs/airview-file.md`).
    Airview,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Graph,
        Format::MdeAlerts,
        Format::MdeInvestigations,
        Format::MdeMachineActions,
        Format::ActionCenterCsv,
        Format::AirActionsCsv,
        Format::AirLogsCsv,
        Format::Airview,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Graph => "Microsoft Graph security API export",
            Format::MdeAlerts => "Defender for Endpoint alerts with evidence",
            Format::MdeInvestigations => "Defender for Endpoint investigations",
            Format::MdeMachineActions => "Defender for Endpoint machine actions",
            Format::ActionCenterCsv => "Action center history (CSV)",
            Format::AirActionsCsv => "Office 365 AirActions.csv",
            Format::AirLogsCsv => "Office 365 AirLogs.csv",
            Format::Airview => "airview file",
        }
    }

    /// The name users give `--format`.
    pub fn slug(self) -> &'static str {
        match self {
            Format::Graph => "graph",
            Format::MdeAlerts => "mde-alerts",
            Format::MdeInvestigations => "mde-investigations",
            Format::MdeMachineActions => "mde-machineactions",
            Format::ActionCenterCsv => "action-center-csv",
            Format::AirActionsCsv => "air-actions-csv",
            Format::AirLogsCsv => "air-logs-csv",
            Format::Airview => "airview",
        }
    }

    /// A slug, case-insensitively; `_` may stand for `-`.
    pub fn parse(slug: &str) -> Option<Format> {
        let wanted = slug.trim().to_ascii_lowercase().replace('_', "-");
        Format::ALL.into_iter().find(|f| f.slug() == wanted)
    }

    /// Every slug, for messages: "`graph`, `mde-alerts`, …".
    pub fn slugs() -> String {
        Format::ALL
            .iter()
            .map(|f| format!("`{}`", f.slug()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn is_csv(self) -> bool {
        matches!(
            self,
            Format::ActionCenterCsv | Format::AirActionsCsv | Format::AirLogsCsv
        )
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An import error: which file, where in it, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    /// CSV files: the 1-based row, the header being row 1.
    pub row: Option<usize>,
    /// 1-based line and column, when the problem has a place. For a CSV row, the line the
    /// row starts on (a quoted field may span lines).
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl ImportError {
    pub fn whole_file(file: &str, message: impl Into<String>) -> ImportError {
        ImportError {
            file: file.to_owned(),
            row: None,
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub(crate) fn from_json(file: &str, e: &serde_json::Error) -> ImportError {
        let message = match e.classify() {
            serde_json::error::Category::Eof => {
                "the file ends in the middle of a value (is it truncated?)".to_owned()
            }
            _ => airview_engine::json_message(e),
        };
        ImportError {
            file: file.to_owned(),
            row: None,
            line: Some(e.line()),
            column: Some(e.column()),
            message,
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`", self.file)?;
        if let Some(row) = self.row {
            write!(f, ", row {row} (the header is row 1)")?;
        }
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, ", line {l}, column {c}")?,
            (Some(l), None) => write!(f, ", line {l}")?,
            _ => {}
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ImportError {}

/// What one file added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub format: Option<Format>,
    pub alerts: usize,
    pub evidence: usize,
    pub investigations: usize,
    /// Reported actions (machine actions, rows of the portal's CSV exports).
    pub actions: usize,
    /// Alerts already loaded (from an earlier page or file) and skipped.
    pub repeated_alerts: Vec<String>,
    /// Machine actions already loaded (pages may overlap) and skipped, by id.
    pub repeated_actions: Vec<String>,
    /// An airview file's policy, for the caller to make current.
    pub policy: Option<PolicyFile>,
    /// An airview file's journal (JSON Lines, checked), for the caller to replay.
    pub journal: Option<String>,
}

/// The most a single file may hold: 1 GiB. Larger files are refused before parsing, with this
/// figure in the message, rather than risking the machine's memory. Loading takes about the
/// file's size again in memory at its peak (the text, plus the dataset, which is smaller than
/// the text because repeated strings are interned).
pub const MAX_FILE_BYTES: usize = 1 << 30;

/// The most a file may hold in the browser: 1 GiB, as in the CLI. The loading worker reads
/// the file's bytes into its own WebAssembly memory (at most 4 GiB) a chunk at a time, never
/// as one JavaScript string (which Chromium caps near 512 MiB), and needs about half the
/// file's size again for the dataset; the page then holds only the dataset.
pub const MAX_BROWSER_FILE_BYTES: usize = 1 << 30;

/// Refuses a file of `bytes` bytes when it is over `limit`, before anything reads it.
pub fn check_size(file: &str, bytes: u64, limit: usize) -> Result<(), ImportError> {
    if bytes > limit as u64 {
        return Err(ImportError::whole_file(
            file,
            format!(
                "the file is {bytes} bytes; airview reads files of up to {limit} bytes ({})",
                human_bytes(limit as u64)
            ),
        ));
    }
    Ok(())
}

fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1 << 20;
    if n >= 1 << 30 && n & ((1 << 30) - 1) == 0 {
        format!("{} GiB", n >> 30)
    } else {
        format!("{} MiB", n / MIB)
    }
}

/// Reads one file into `data`. On error `data` is unchanged (interned strings aside).
pub fn load(
    data: &mut Dataset,
    file: &str,
    text: &str,
    format: Option<Format>,
) -> Result<LoadReport, ImportError> {
    load_with_progress(data, file, text, format, &mut |_| {})
}

/// `load`, reporting progress as it goes, for a progress bar.
///
/// Once the file's size is accepted and its format known, `progress` is called with
/// `(0, 0)`, then every 256 KiB or so as the reader moves through the text, and, when the
/// load succeeds, last with `text.len()` bytes and the report's evidence count. Both fields
/// only grow, and `bytes` is never past `text.len()`. A load that fails stops calling it
/// without a final call. JSON formats report as they finish each alert, investigation or
/// machine action; CSV formats as they finish each row; airview's own file only at the start
/// and the end.
pub fn load_with_progress(
    data: &mut Dataset,
    file: &str,
    text: &str,
    format: Option<Format>,
    progress: &mut dyn FnMut(Progress),
) -> Result<LoadReport, ImportError> {
    check_size(file, text.len() as u64, MAX_FILE_BYTES)?;
    let format = match format {
        Some(f) => f,
        None => detect(text).map_err(|m| ImportError::whole_file(file, m))?,
    };
    progress(Progress::default());
    let checkpoint = data.checkpoint();
    // A Graph evidence item takes about 650 bytes of JSON: reserving up front saves the
    // copies of a growing vector, which at a million items are half a second of work.
    data.evidence.reserve(text.len() / 700);
    let before = Extent::of(data);
    let mut report = LoadReport {
        format: Some(format),
        ..LoadReport::default()
    };
    let result = match format {
        Format::Airview => airview::load_into(data, file, text).map(|(policy, journal)| {
            report.policy = policy;
            report.journal = Some(journal);
        }),
        _ => {
            let file_index = data.add_file(file);
            match format {
                Format::Graph => graph::read_with_progress(data, file_index, text, progress)
                    .map_err(|e| ImportError::from_json(file, &e)),
                Format::MdeAlerts => {
                    mde::read_alerts_with_progress(data, file_index, text, progress)
                        .map_err(|e| ImportError::from_json(file, &e))
                }
                Format::MdeInvestigations => {
                    mde::read_investigations_with_progress(data, file_index, text, progress)
                        .map_err(|e| ImportError::from_json(file, &e))
                }
                Format::MdeMachineActions => {
                    mde::read_machine_actions_with_progress(data, file_index, text, progress)
                        .map(|repeats| report.repeated_actions = repeats)
                        .map_err(|e| ImportError::from_json(file, &e))
                }
                Format::ActionCenterCsv | Format::AirActionsCsv | Format::AirLogsCsv => {
                    csv::read_with_progress(data, file_index, text, format, progress)
                        .map_err(|e| e.in_file(file))
                }
                Format::Airview => Ok(()),
            }
        }
    };
    if let Err(e) = result {
        data.rollback(checkpoint);
        return Err(e);
    }
    report.alerts = data.alerts.len().saturating_sub(before.alerts);
    report.evidence = data.evidence.len().saturating_sub(before.evidence);
    report.investigations = data
        .investigations
        .len()
        .saturating_sub(before.investigations);
    report.actions = data.reported_actions.len().saturating_sub(before.actions);
    report.repeated_alerts = data
        .repeated_alerts
        .iter()
        .skip(before.repeated)
        .map(|(_, id)| id.clone())
        .collect();
    progress(Progress {
        bytes: text.len(),
        evidence: report.evidence,
    });
    Ok(report)
}

/// How much a dataset held before a load, for the report.
struct Extent {
    alerts: usize,
    evidence: usize,
    investigations: usize,
    actions: usize,
    repeated: usize,
}

impl Extent {
    fn of(data: &Dataset) -> Extent {
        Extent {
            alerts: data.alerts.len(),
            evidence: data.evidence.len(),
            investigations: data.investigations.len(),
            actions: data.reported_actions.len(),
            repeated: data.repeated_alerts.len(),
        }
    }
}
