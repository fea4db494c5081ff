//! The sample shown to a new analyst, and whenever nothing else is loaded.
//!
//! It is `airview generate --alerts 120 --seed 2026`, made by the same generator at start-up:
//! the generator's code is far smaller than its output, and every analyst downloads the app.

use crate::notice::Notice;
use crate::state::LoadedFile;
use airview_engine::{Center, Dataset, Policy, Timestamp};

pub const SAMPLE_ALERTS: usize = 120;
pub const SAMPLE_SEED: u64 = 2026;
pub const SAMPLE_NAME: &str = "sample-investigations.json";

/// The policy the sample is shown with. It stays in `web/sample/`, where the end-to-end tests
/// and the README find it beside the app that ships it.
pub const SAMPLE_POLICY: &str = include_str!("../../../web/sample/policy.json");

/// The sample export's text.
pub fn sample_export() -> String {
    airview_import::generate::generate_string(SAMPLE_ALERTS, SAMPLE_SEED)
}

/// The sample, loaded and moved in time, before any journal.
pub(crate) struct Sample {
    pub files: Vec<LoadedFile>,
    /// The center before any journal entry, at `now`.
    pub base: Center,
    /// How far the sample's timestamps were moved (milliseconds).
    pub shift: i64,
    pub notices: Vec<Notice>,
}

/// The sample moved by `shift`, or, at a first visit, so that its newest evidence is from an
/// hour before `now`: a new analyst sees this week's pending actions, not a queue that timed
/// out long ago. The shift is stored, so that a journal kept about the sample still fits it
/// after a reload.
pub(crate) fn sample(shift: Option<i64>, now: Timestamp) -> Sample {
    let mut notices = Vec::new();
    let policy = match Policy::parse_json(SAMPLE_POLICY) {
        Ok((policy, _)) => policy,
        Err(errors) => {
            let why: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
            notices.push(Notice::error(format!(
                "the sample's policy does not read ({}); the sample is shown under the default policy",
                why.join("; ")
            )));
            Policy::default()
        }
    };
    let mut data = Dataset::new();
    let mut files = Vec::new();
    match airview_import::load(&mut data, SAMPLE_NAME, &sample_export(), None) {
        Ok(report) => files.push(LoadedFile {
            name: SAMPLE_NAME.to_owned(),
            format: report.format.map_or("", |f| f.name()).to_owned(),
            alerts: report.alerts,
            evidence: report.evidence,
        }),
        Err(e) => notices.push(Notice::error(e.to_string())),
    }
    let shift = shift.unwrap_or_else(|| {
        data.newest()
            .map_or(0, |newest| now.0 - 3_600_000 - newest.0)
    });
    data.shift_times(shift);
    Sample {
        files,
        base: Center::new(data, policy, now),
        shift,
        notices,
    }
}
