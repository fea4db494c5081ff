//! What one record of an export becomes: an alert, a piece of evidence, a device, an
//! investigation, an action an export reports. Strings that repeat across a million evidence
//! items are interned in the dataset (`Sym`).

use crate::intern::Sym;
use crate::time::Timestamp;
use crate::vocab::{ActionType, EntityKind, RemediationStatus, Status, Verdict, VerdictSource};
use serde::{Deserialize, Serialize};

/// A device as device evidence describes it. Several alerts can describe the same device;
/// the first description wins and later ones fill in what it lacked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(expecting = "a device (an object)")]
pub struct Device {
    pub mde_device_id: String,
    pub dns_name: Option<String>,
    pub rbac_group_name: Option<String>,
    pub os_platform: Option<String>,
    pub tags: Vec<String>,
}

impl Device {
    /// The name analysts recognise: the DNS name, else the Defender device id.
    pub fn display_name(&self) -> &str {
        self.dns_name.as_deref().unwrap_or(&self.mde_device_id)
    }

    /// The DNS suffix after the host name: `contoso.com` for `srv-01.contoso.com`.
    pub fn domain(&self) -> Option<&str> {
        self.dns_name
            .as_deref()?
            .split_once('.')
            .map(|(_, domain)| domain)
    }
}

/// An alert (a Graph alert, or a Defender for Endpoint alert) with its place in the export.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(expecting = "an alert (an object)")]
pub struct Alert {
    pub id: String,
    pub title: Option<String>,
    pub incident_id: Option<String>,
    /// The automated investigation; Graph alerts carry none, so airview uses the alert's own
    /// id (one alert, one investigation).
    pub investigation_id: Option<String>,
    pub investigation_state: Option<String>,
    pub classification: Option<String>,
    pub created: Option<Timestamp>,
    /// The device the alert itself names (Defender for Endpoint `machineId`), if any.
    pub machine_id: Option<String>,
    /// The device group the alert itself names (Defender for Endpoint `rbacGroupName`).
    pub rbac_group_name: Option<String>,
    /// The DNS name of the device the alert names (Defender for Endpoint `computerDnsName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_dns_name: Option<String>,
    /// Which loaded file the alert came from, as an index into `Dataset::files`.
    pub file: u32,
}

impl Alert {
    pub fn investigation(&self) -> &str {
        self.investigation_id.as_deref().unwrap_or(&self.id)
    }
}

/// One piece of evidence of one alert. Strings are interned in the dataset (`Dataset::text`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(expecting = "an evidence item (an object)")]
pub struct Evidence {
    /// Index of the alert in `Dataset::alerts`.
    pub alert: u32,
    /// 0-based position in the alert's `evidence` array.
    pub index: u32,
    pub kind: EntityKind,
    pub verdict: Verdict,
    pub verdict_source: VerdictSource,
    pub remediation_status: Option<RemediationStatus>,
    pub created: Option<Timestamp>,
    /// Graph: `roles` contains `compromised`.
    pub compromised: bool,
    pub mde_device_id: Option<Sym>,
    /// The folder of the file the artifact concerns (Graph's `filePath` is the folder only).
    pub folder: Option<Sym>,
    pub file_name: Option<Sym>,
    pub sha256: Option<Sym>,
    /// The entity as analysts name it: a file name, a URL, a user principal name, a subject.
    pub entity: Option<Sym>,
    /// For a mail cluster: what identifies it across alerts, for the one-hour de-duplication.
    pub cluster_key: Option<Sym>,
}

impl Evidence {
    /// Evidence with nothing but its place, kind and verdict; importers fill in the rest.
    pub fn new(alert: u32, index: u32, kind: EntityKind, verdict: Verdict) -> Evidence {
        Evidence {
            alert,
            index,
            kind,
            verdict,
            verdict_source: VerdictSource::Export,
            remediation_status: None,
            created: None,
            compromised: false,
            mde_device_id: None,
            folder: None,
            file_name: None,
            sha256: None,
            entity: None,
            cluster_key: None,
        }
    }
}

/// An automated investigation as Defender for Endpoint's `/api/investigations` reports it.
/// Alerts name their investigation by id; this gives its state when the alert does not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(expecting = "an investigation (an object)")]
pub struct InvestigationInfo {
    pub id: String,
    /// As exported: `Running`, `PendingApproval`, `SuccessfullyRemediated`, `Benign`, …
    pub state: Option<String>,
    pub machine_id: Option<String>,
    pub machine_dns_name: Option<String>,
    pub started: Option<Timestamp>,
    pub ended: Option<Timestamp>,
    pub triggering_alert_id: Option<String>,
    /// Which loaded file it came from, as an index into `Dataset::files`.
    pub file: u32,
}

/// An action an export reports as taken or waiting (Defender for Endpoint machine actions,
/// the portal's Action center history, Office 365's AirActions.csv and AirLogs.csv). These are
/// history as the portal saw it, shown beside the actions airview computes from evidence.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(expecting = "a reported action (an object)")]
pub struct ReportedAction {
    /// The export's id (a machine action's `id`), else `<file index>/<row>` (CSV row number,
    /// the header being row 1).
    pub id: String,
    /// The action type, when it is one airview knows.
    pub action: Option<ActionType>,
    /// The action type as the export wrote it.
    pub action_label: String,
    /// What it acts on: a file, a URL, a mailbox, a device name.
    pub entity: Option<String>,
    /// The device (DNS name, else Defender id) or mailbox it ran on.
    pub device: Option<String>,
    /// The Defender for Endpoint device id, when the export gives one.
    pub machine_id: Option<String>,
    pub investigation_id: Option<String>,
    /// airview's status for it, when the export's status is one airview knows.
    pub status: Option<Status>,
    /// The status as the export wrote it.
    pub reported_status: String,
    /// As the portal's "Action source" column says it: `Manual response action`,
    /// `Automated investigation`, or the export's own text.
    pub source: String,
    /// Who requested or decided it (a person, `Automation`, a service).
    pub decided_by: Option<String>,
    pub comment: Option<String>,
    pub created: Option<Timestamp>,
    /// When the action was last updated (the portal's "Action update time", "Time").
    pub updated: Option<Timestamp>,
    /// Office 365's "Wait time", as written (`2 hours`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_time: Option<String>,
    /// Which loaded file it came from, as an index into `Dataset::files`.
    pub file: u32,
}
