//! airview's own file: everything the app holds, in one versioned JSON document that the app
//! saves and exports and loads again (`docs/airview-file.md`, `docs/airview-file.schema.json`).
//!
//! ```json
//! {"airview": 1, "data": {...}, "policy": {...}, "journal": "..."}
//! ```
//!
//! - `airview`: the format's major version. A reader refuses a major version it does not
//!   know; within a major version, fields may be added, and readers ignore fields they do not
//!   know.
//! - `data`: the loaded exports, as the engine's `Dataset` (interned strings and all).
//! - `policy`: the current policy, as a policy file, or `null`.
//! - `journal`: the action center's journal, its JSON Lines text exactly as written (the hash
//!   chain covers the bytes, so it is kept as text rather than re-encoded).
//!
//! Writing is deterministic: `export` of what `parse` read gives the same bytes.

use crate::ImportError;
use airview_engine::journal::Journal;
use airview_engine::model::{validate, Dataset};
use airview_engine::{Policy, PolicyFile};
use serde::{Deserialize, Serialize};

/// The major version this airview writes and reads.
pub const VERSION: u64 = 1;

/// An airview file, read and checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AirviewFile {
    pub data: Dataset,
    pub policy: Option<PolicyFile>,
    /// JSON Lines, hash-chained (`airview_engine::journal`); empty when nothing was done.
    pub journal: String,
}

#[derive(Serialize)]
struct Out<'a> {
    airview: u64,
    data: &'a Dataset,
    policy: Option<&'a PolicyFile>,
    journal: &'a str,
}

#[derive(Deserialize)]
#[serde(expecting = "an airview file (an object)")]
struct In {
    airview: u64,
    data: Dataset,
    #[serde(default)]
    policy: Option<PolicyFile>,
    #[serde(default)]
    journal: String,
}

/// Only the version, for a file whose body does not read: a newer major version is the
/// likelier explanation, and the better message.
#[derive(Deserialize)]
#[serde(expecting = "an airview file (an object)")]
struct Head {
    airview: Option<serde_json::Value>,
}

/// Writes an airview file: compact JSON and a final line end.
pub fn export(
    data: &Dataset,
    policy: Option<&PolicyFile>,
    journal: &str,
) -> Result<String, String> {
    let mut text = serde_json::to_string(&Out {
        airview: VERSION,
        data,
        policy,
        journal,
    })
    .map_err(|e| {
        format!(
            "cannot write the airview file: {}",
            airview_engine::json_message(&e)
        )
    })?;
    text.push('\n');
    Ok(text)
}

/// Reads and checks an airview file: its version, the consistency of its data, its policy
/// and its journal.
pub fn parse(file: &str, text: &str) -> Result<AirviewFile, ImportError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parsed: In = match serde_json::from_str(body) {
        Ok(p) => p,
        Err(e) => {
            return Err(match serde_json::from_str::<Head>(body) {
                Ok(Head { airview: Some(v) }) if v.as_u64() != Some(VERSION) => {
                    unknown_version(file, &v)
                }
                _ => ImportError::from_json(file, &e),
            })
        }
    };
    if parsed.airview != VERSION {
        return Err(unknown_version(file, &parsed.airview.into()));
    }
    let mut data = parsed.data;
    // The same rules as a snapshot's decoder: every reference points at something and no
    // string appears twice (which would shift every symbol after it).
    validate::dataset(&data)
        .map_err(|e| ImportError::whole_file(file, format!("the data is inconsistent: {e}")))?;
    data.reindex();
    if let Some(policy) = &parsed.policy {
        if let Err(errors) = Policy::from_file(policy) {
            let messages: Vec<String> = errors.into_iter().map(|e| e.message).collect();
            return Err(ImportError::whole_file(
                file,
                format!(
                    "the policy in the file is not valid: {}",
                    messages.join("; ")
                ),
            ));
        }
    }
    if let Err(e) = Journal::read(parsed.journal.as_bytes()) {
        return Err(ImportError::whole_file(
            file,
            format!("the journal in the file does not load: {e}"),
        ));
    }
    Ok(AirviewFile {
        data,
        policy: parsed.policy,
        journal: parsed.journal,
    })
}

fn unknown_version(file: &str, v: &serde_json::Value) -> ImportError {
    ImportError::whole_file(
        file,
        format!(
            "the file is an airview file of version `{v}`; this airview reads version {VERSION} (is the file from a newer airview?)"
        ),
    )
}

fn is_empty(d: &Dataset) -> bool {
    d.files.is_empty()
        && d.alerts.is_empty()
        && d.evidence.is_empty()
        && d.devices.is_empty()
        && d.investigations.is_empty()
        && d.reported_actions.is_empty()
        && d.repeated_alerts.is_empty()
}

/// Loads an airview file into `data`: an empty dataset becomes the file's, exactly (so that
/// saving again gives the same bytes); a dataset that holds something already gets the file's
/// content added, as if its exports were loaded after what is there. Returns the file's policy
/// and journal.
pub(crate) fn load_into(
    data: &mut Dataset,
    file: &str,
    text: &str,
) -> Result<(Option<PolicyFile>, String), ImportError> {
    let parsed = parse(file, text)?;
    if is_empty(data) {
        *data = parsed.data;
    } else {
        merge(data, parsed.data);
    }
    Ok((parsed.policy, parsed.journal))
}

/// Adds `loaded` to `data`, mapping its files, alerts, devices and symbols onto `data`'s.
fn merge(data: &mut Dataset, loaded: Dataset) {
    let offset = u32::try_from(data.files.len()).unwrap_or(u32::MAX);
    for f in &loaded.files {
        data.add_file(f);
    }
    let devices: Vec<u32> = loaded
        .devices
        .iter()
        .map(|d| data.upsert_device(d.clone()))
        .collect();
    let mut alerts: Vec<Option<u32>> = Vec::with_capacity(loaded.alerts.len());
    for (i, mut a) in loaded.alerts.into_iter().enumerate() {
        a.file = a.file.saturating_add(offset);
        let idx = data.add_alert(a);
        if let Some(idx) = idx {
            for &dev in loaded.alert_devices.get(i).map_or(&[][..], Vec::as_slice) {
                if let Some(&mapped) = devices.get(dev as usize) {
                    data.link_alert_device(idx, mapped);
                }
            }
        }
        alerts.push(idx);
    }
    let strings = &loaded.strings;
    for mut e in loaded.evidence {
        let Some(&Some(alert)) = alerts.get(e.alert as usize) else {
            continue;
        };
        e.alert = alert;
        let mut re = |s: Option<airview_engine::intern::Sym>| {
            s.and_then(|s| data.strings.intern_opt(strings.text(s)))
        };
        e.mde_device_id = re(e.mde_device_id);
        e.folder = re(e.folder);
        e.file_name = re(e.file_name);
        e.sha256 = re(e.sha256);
        e.entity = re(e.entity);
        e.cluster_key = re(e.cluster_key);
        data.push_evidence(e);
    }
    for (f, id) in loaded.repeated_alerts {
        data.repeated_alerts.push((f.saturating_add(offset), id));
    }
    for mut i in loaded.investigations {
        i.file = i.file.saturating_add(offset);
        data.investigations.push(i);
    }
    for mut a in loaded.reported_actions {
        // CSV rows are named `<file>/<row>`: rename them after their new file index.
        let prefix = format!("{}/", a.file);
        a.file = a.file.saturating_add(offset);
        if let Some(row) = a.id.strip_prefix(&prefix) {
            a.id = format!("{}/{row}", a.file);
        }
        data.reported_actions.push(a);
    }
}
