//! The loaded data: alerts, their evidence, and the devices that evidence names.
//!
//! Importers (in `airview-import`) turn each export format into these types; everything after
//! that point (decisions, the action center, the preview) sees only this model.

use crate::action::ActionType;
use crate::center::Status;
use crate::intern::{FxHashMap, Interner, Sym};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The verdict an automated investigation gave a piece of evidence.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(expecting = "a verdict")]
pub enum Verdict {
    Malicious,
    Suspicious,
    NoThreatsFound,
    Unknown,
    /// A value this version of airview does not know (`unknownFutureValue` or newer). It is
    /// kept so that users see what the export said; for decisions it counts as unknown.
    Unrecognized(String),
}

impl Verdict {
    pub fn from_graph(text: &str) -> Verdict {
        match text {
            "malicious" => Verdict::Malicious,
            "suspicious" => Verdict::Suspicious,
            "noThreatsFound" => Verdict::NoThreatsFound,
            "unknown" => Verdict::Unknown,
            other => match other.to_ascii_lowercase().as_str() {
                "malicious" => Verdict::Malicious,
                "suspicious" => Verdict::Suspicious,
                "nothreatsfound" | "no threats found" | "clean" => Verdict::NoThreatsFound,
                "unknown" => Verdict::Unknown,
                _ => Verdict::Unrecognized(other.to_owned()),
            },
        }
    }

    pub fn is_threat(&self) -> bool {
        matches!(self, Verdict::Malicious | Verdict::Suspicious)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Malicious => f.write_str("Malicious"),
            Verdict::Suspicious => f.write_str("Suspicious"),
            Verdict::NoThreatsFound => f.write_str("No threats found"),
            Verdict::Unknown => f.write_str("Unknown"),
            Verdict::Unrecognized(raw) => write!(f, "Unknown (`{raw}`)"),
        }
    }
}

/// What a piece of evidence is about. The remediation action, and whether device automation
/// levels govern it at all, follow from this.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[serde(expecting = "an evidence kind")]
pub enum EntityKind {
    File,
    Process,
    RegistryKey,
    RegistryValue,
    Service,
    Driver,
    ScheduledTask,
    EmailMessage,
    MailCluster,
    Url,
    EmailAttachment,
    Mailbox,
    User,
    Device,
    Ip,
    CloudApplication,
    /// Any other evidence type, with the name the export gave it.
    Other(String),
}

impl EntityKind {
    /// Endpoint artifacts are the evidence that device-group automation levels govern.
    pub fn is_endpoint_artifact(&self) -> bool {
        matches!(
            self,
            EntityKind::File
                | EntityKind::Process
                | EntityKind::RegistryKey
                | EntityKind::RegistryValue
                | EntityKind::Service
                | EntityKind::Driver
                | EntityKind::ScheduledTask
        )
    }

    /// Email content: actions on it always wait for approval (DOMAIN.md rule 3).
    pub fn is_email_content(&self) -> bool {
        matches!(
            self,
            EntityKind::EmailMessage
                | EntityKind::MailCluster
                | EntityKind::Url
                | EntityKind::EmailAttachment
                | EntityKind::Mailbox
        )
    }

    /// The slug used in exports and the CLI (`file`, `registry_key`, …).
    pub fn slug(&self) -> &str {
        match self {
            EntityKind::File => "file",
            EntityKind::Process => "process",
            EntityKind::RegistryKey => "registry_key",
            EntityKind::RegistryValue => "registry_value",
            EntityKind::Service => "service",
            EntityKind::Driver => "driver",
            EntityKind::ScheduledTask => "scheduled_task",
            EntityKind::EmailMessage => "email_message",
            EntityKind::MailCluster => "mail_cluster",
            EntityKind::Url => "url",
            EntityKind::EmailAttachment => "email_attachment",
            EntityKind::Mailbox => "mailbox",
            EntityKind::User => "user",
            EntityKind::Device => "device",
            EntityKind::Ip => "ip",
            EntityKind::CloudApplication => "cloud_application",
            EntityKind::Other(name) => name,
        }
    }

    /// The name analysts see in the portal.
    pub fn label(&self) -> &str {
        match self {
            EntityKind::File => "File",
            EntityKind::Process => "Process",
            EntityKind::RegistryKey => "Registry key",
            EntityKind::RegistryValue => "Registry value",
            EntityKind::Service => "Service",
            EntityKind::Driver => "Driver",
            EntityKind::ScheduledTask => "Scheduled task",
            EntityKind::EmailMessage => "Email message",
            EntityKind::MailCluster => "Email cluster",
            EntityKind::Url => "URL",
            EntityKind::EmailAttachment => "Email attachment",
            EntityKind::Mailbox => "Mailbox",
            EntityKind::User => "User",
            EntityKind::Device => "Device",
            EntityKind::Ip => "IP address",
            EntityKind::CloudApplication => "Cloud application",
            EntityKind::Other(name) => name,
        }
    }
}

/// The remediation status an export reports for a piece of evidence. airview computes its own
/// status; this one is shown beside it as the "reported status".
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(expecting = "a remediation status")]
pub enum RemediationStatus {
    None,
    Remediated,
    Prevented,
    Blocked,
    NotFound,
    PendingApproval,
    Declined,
    Unremediated,
    Running,
    PartiallyRemediated,
    Active,
    Failed,
    TimedOut,
    Unrecognized(String),
}

impl RemediationStatus {
    pub fn from_graph(text: &str) -> RemediationStatus {
        match text.to_ascii_lowercase().as_str() {
            "none" | "" => RemediationStatus::None,
            "remediated" | "succeeded" | "completed" => RemediationStatus::Remediated,
            "prevented" => RemediationStatus::Prevented,
            "blocked" => RemediationStatus::Blocked,
            "notfound" => RemediationStatus::NotFound,
            "pendingapproval" | "pending" => RemediationStatus::PendingApproval,
            "declined" | "rejected" | "cancelled" => RemediationStatus::Declined,
            "unremediated" | "notremediated" => RemediationStatus::Unremediated,
            "running" | "inprogress" => RemediationStatus::Running,
            "partiallyremediated" => RemediationStatus::PartiallyRemediated,
            "active" => RemediationStatus::Active,
            "failed" => RemediationStatus::Failed,
            "timeout" | "timedout" => RemediationStatus::TimedOut,
            _ => RemediationStatus::Unrecognized(text.to_owned()),
        }
    }

    pub fn label(&self) -> &str {
        match self {
            RemediationStatus::None => "none",
            RemediationStatus::Remediated => "remediated",
            RemediationStatus::Prevented => "prevented",
            RemediationStatus::Blocked => "blocked",
            RemediationStatus::NotFound => "notFound",
            RemediationStatus::PendingApproval => "pendingApproval",
            RemediationStatus::Declined => "declined",
            RemediationStatus::Unremediated => "unremediated",
            RemediationStatus::Running => "running",
            RemediationStatus::PartiallyRemediated => "partiallyRemediated",
            RemediationStatus::Active => "active",
            RemediationStatus::Failed => "failed",
            RemediationStatus::TimedOut => "timedOut",
            RemediationStatus::Unrecognized(raw) => raw,
        }
    }
}

/// Where a verdict came from: Graph exports carry one; for Defender for Endpoint evidence
/// airview derives it (DOMAIN.md: "airview decides") and the reasons say so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[serde(expecting = "a verdict source")]
pub enum VerdictSource {
    #[default]
    Export,
    /// Derived from the evidence's `detectionStatus` (Detected, Blocked or Prevented).
    DetectionStatus,
    /// Derived from the alert's classification (FalsePositive, InformationalExpectedActivity).
    AlertClassification,
    /// Neither said anything: suspicious.
    NoSignal,
}

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

/// Everything loaded: the alerts and their evidence from every file, and the devices the
/// evidence describes, indexed by Defender device id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(expecting = "the loaded data (an object)")]
pub struct Dataset {
    pub files: Vec<String>,
    pub alerts: Vec<Alert>,
    pub evidence: Vec<Evidence>,
    pub devices: Vec<Device>,
    /// For each alert, the devices its own device evidence (or `machineId`) names.
    pub alert_devices: Vec<Vec<u32>>,
    pub strings: Interner,
    /// Alerts skipped because one with the same id was loaded already: (file index, id).
    pub repeated_alerts: Vec<(u32, String)>,
    /// Investigations from Defender for Endpoint's `/api/investigations`.
    #[serde(default)]
    pub investigations: Vec<InvestigationInfo>,
    /// Actions the exports report (machine actions, the portal's history exports).
    #[serde(default)]
    pub reported_actions: Vec<ReportedAction>,
    #[serde(skip)]
    device_index: FxHashMap<Sym, u32>,
    #[serde(skip)]
    alert_index: FxHashMap<String, u32>,
}

/// What a dataset held before a file started loading, so a failed load can be undone.
pub struct Checkpoint {
    files: usize,
    alerts: usize,
    evidence: usize,
    repeated: usize,
    investigations: usize,
    reported_actions: usize,
    devices: Vec<Device>,
}

/// How an endpoint artifact was tied to a device (DOMAIN.md: "How an artifact finds its
/// device"). Reasons quote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeviceLink {
    /// The evidence's `mdeDeviceId` names a device that device evidence describes.
    ByDeviceId(u32),
    /// The evidence has no `mdeDeviceId`, and its alert names exactly one device.
    AlertsOnlyDevice(u32),
    /// The evidence's `mdeDeviceId` names a device no loaded evidence describes.
    UnknownDeviceId,
    /// No `mdeDeviceId`, and the alert names this many devices (not exactly one).
    NoDevice { alert_devices: usize },
}

impl DeviceLink {
    pub fn device(self) -> Option<u32> {
        match self {
            DeviceLink::ByDeviceId(d) | DeviceLink::AlertsOnlyDevice(d) => Some(d),
            _ => None,
        }
    }
}

impl Dataset {
    pub fn new() -> Dataset {
        Dataset::default()
    }

    pub fn text(&self, sym: Sym) -> &str {
        self.strings.text(sym)
    }

    pub fn opt_text(&self, sym: Option<Sym>) -> Option<&str> {
        sym.map(|s| self.strings.text(s))
    }

    pub fn intern(&mut self, text: &str) -> Sym {
        self.strings.intern(text)
    }

    /// The entity as analysts name it.
    pub fn entity(&self, e: &Evidence) -> &str {
        self.opt_text(e.entity).unwrap_or("")
    }

    /// The full path of the artifact's file, when the export gives one.
    pub fn file_path(&self, e: &Evidence) -> Option<String> {
        let folder = self.opt_text(e.folder);
        let name = self.opt_text(e.file_name);
        match (folder, name) {
            (Some(folder), Some(name)) => Some(format!(
                "{}\\{}",
                folder.trim_end_matches(['\\', '/']),
                name
            )),
            (Some(folder), None) => Some(folder.to_owned()),
            _ => None,
        }
    }

    pub fn add_file(&mut self, name: &str) -> u32 {
        self.files.push(name.to_owned());
        u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX)
    }

    /// Remembers the current extent, so that `rollback` can undo a failed load.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            files: self.files.len(),
            alerts: self.alerts.len(),
            evidence: self.evidence.len(),
            repeated: self.repeated_alerts.len(),
            investigations: self.investigations.len(),
            reported_actions: self.reported_actions.len(),
            devices: self.devices.clone(),
        }
    }

    /// Undoes everything added since the checkpoint. Interned strings stay: they are only
    /// text, and nothing refers to them any more.
    pub fn rollback(&mut self, cp: Checkpoint) {
        for a in self.alerts.drain(cp.alerts.min(self.alerts.len())..) {
            self.alert_index.remove(&a.id);
        }
        self.alert_devices.truncate(cp.alerts);
        self.evidence.truncate(cp.evidence);
        self.files.truncate(cp.files);
        self.repeated_alerts.truncate(cp.repeated);
        self.investigations.truncate(cp.investigations);
        self.reported_actions.truncate(cp.reported_actions);
        self.devices = cp.devices;
        let devices: Vec<(Sym, u32)> = self
            .devices
            .iter()
            .enumerate()
            .map(|(i, d)| (self.strings.get(&d.mde_device_id), i as u32))
            .filter_map(|(s, i)| Some((s?, i)))
            .collect();
        self.device_index = devices.into_iter().collect();
    }

    /// Adds an alert unless one with the same id is loaded already (pages of an export may
    /// overlap, and an incident export repeats its alerts). Returns its index, or `None` for
    /// a repeat, whose evidence the caller then skips.
    pub fn add_alert(&mut self, alert: Alert) -> Option<u32> {
        if self.alert_index.contains_key(&alert.id) {
            self.repeated_alerts.push((alert.file, alert.id));
            return None;
        }
        let idx = u32::try_from(self.alerts.len()).unwrap_or(u32::MAX);
        self.alert_index.insert(alert.id.clone(), idx);
        let machine = alert.machine_id.clone();
        let group = alert.rbac_group_name.clone();
        let dns_name = alert.machine_dns_name.clone();
        self.alerts.push(alert);
        self.alert_devices.push(Vec::new());
        if let Some(machine) = machine {
            let device = self.upsert_device(Device {
                mde_device_id: machine,
                rbac_group_name: group,
                dns_name,
                ..Device::default()
            });
            self.link_alert_device(idx, device);
        }
        Some(idx)
    }

    pub fn alert_by_id(&self, id: &str) -> Option<u32> {
        self.alert_index.get(id).copied()
    }

    /// The state of an alert's investigation: the alert's own `investigationState`, else the
    /// state `/api/investigations` reports for its investigation.
    pub fn investigation_state<'a>(&'a self, alert: &'a Alert) -> Option<&'a str> {
        alert.investigation_state.as_deref().or_else(|| {
            let id = alert.investigation_id.as_deref()?;
            self.investigations
                .iter()
                .rev()
                .find(|i| i.id == id)
                .and_then(|i| i.state.as_deref())
        })
    }

    /// Records a device, merging with what is known of it already.
    pub fn upsert_device(&mut self, device: Device) -> u32 {
        let sym = self.strings.intern(&device.mde_device_id);
        if let Some(&idx) = self.device_index.get(&sym) {
            if let Some(known) = self.devices.get_mut(idx as usize) {
                known.dns_name = known.dns_name.take().or(device.dns_name);
                known.rbac_group_name = known.rbac_group_name.take().or(device.rbac_group_name);
                known.os_platform = known.os_platform.take().or(device.os_platform);
                for tag in device.tags {
                    if !known.tags.contains(&tag) {
                        known.tags.push(tag);
                    }
                }
            }
            return idx;
        }
        let idx = u32::try_from(self.devices.len()).unwrap_or(u32::MAX);
        self.device_index.insert(sym, idx);
        self.devices.push(device);
        idx
    }

    pub fn link_alert_device(&mut self, alert: u32, device: u32) {
        if let Some(list) = self.alert_devices.get_mut(alert as usize) {
            if !list.contains(&device) {
                list.push(device);
            }
        }
    }

    pub fn push_evidence(&mut self, evidence: Evidence) {
        self.evidence.push(evidence);
    }

    pub fn alert_of(&self, evidence: &Evidence) -> Option<&Alert> {
        self.alerts.get(evidence.alert as usize)
    }

    pub fn device(&self, idx: u32) -> Option<&Device> {
        self.devices.get(idx as usize)
    }

    pub fn device_by_sym(&self, mde_device_id: Sym) -> Option<u32> {
        self.device_index.get(&mde_device_id).copied()
    }

    pub fn device_by_id(&self, mde_device_id: &str) -> Option<u32> {
        self.device_index
            .get(&self.strings.get(mde_device_id)?)
            .copied()
    }

    /// Ties an artifact to its device: by `mdeDeviceId` among every loaded device, else the
    /// alert's device when it has exactly one, else none (airview decides, DOMAIN.md).
    pub fn link_device(&self, evidence: &Evidence) -> DeviceLink {
        if let Some(id) = evidence.mde_device_id {
            return match self.device_index.get(&id) {
                Some(&d) => DeviceLink::ByDeviceId(d),
                None => DeviceLink::UnknownDeviceId,
            };
        }
        match self
            .alert_devices
            .get(evidence.alert as usize)
            .map(Vec::as_slice)
        {
            Some([only]) => DeviceLink::AlertsOnlyDevice(*only),
            other => DeviceLink::NoDevice {
                alert_devices: other.map_or(0, <[u32]>::len),
            },
        }
    }

    /// Rebuilds the look-up indexes after deserialising (they are not stored).
    pub fn reindex(&mut self) {
        let devices: Vec<(Sym, u32)> = self
            .devices
            .iter()
            .enumerate()
            .map(|(i, d)| (self.strings.intern(&d.mde_device_id), i as u32))
            .collect();
        self.device_index = devices.into_iter().collect();
        self.alert_index = self
            .alerts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i as u32))
            .collect();
    }

    /// Appends an alert and indexes it by id, as `reindex` would (a later alert with the same
    /// id wins), without the devices `add_alert` derives from it: for a decoder that restores
    /// `alert_devices` as they were saved.
    pub(crate) fn push_alert_indexed(&mut self, alert: Alert) {
        let idx = u32::try_from(self.alerts.len()).unwrap_or(u32::MAX);
        self.alert_index.insert(alert.id.clone(), idx);
        self.alerts.push(alert);
    }

    /// Appends a device and indexes it by its Defender id, as `reindex` would (interning the id,
    /// a later device with the same id winning), without `upsert_device`'s merging.
    pub(crate) fn push_device_indexed(&mut self, device: Device) {
        let idx = u32::try_from(self.devices.len()).unwrap_or(u32::MAX);
        let sym = self.strings.intern(&device.mde_device_id);
        self.device_index.insert(sym, idx);
        self.devices.push(device);
    }

    /// Makes room in the look-up indexes for this many alerts and devices, so that filling
    /// them never rehashes a large map in one go. A failure to reserve only means growing.
    pub(crate) fn reserve_indexes(&mut self, alerts: usize, devices: usize) {
        let _ = self.alert_index.try_reserve(alerts);
        let _ = self.device_index.try_reserve(devices);
    }

    /// Moves every timestamp by `delta_ms`, so that a sample taken long ago reads as recent.
    pub fn shift_times(&mut self, delta_ms: i64) {
        let shift = |t: &mut Option<Timestamp>| {
            if let Some(t) = t {
                t.0 = t.0.saturating_add(delta_ms);
            }
        };
        self.alerts.iter_mut().for_each(|a| shift(&mut a.created));
        self.evidence.iter_mut().for_each(|e| shift(&mut e.created));
        for i in &mut self.investigations {
            shift(&mut i.started);
            shift(&mut i.ended);
        }
        for a in &mut self.reported_actions {
            shift(&mut a.created);
            shift(&mut a.updated);
        }
    }

    /// The newest evidence creation time, if any evidence carries one.
    pub fn newest(&self) -> Option<Timestamp> {
        self.evidence.iter().filter_map(|e| e.created).max()
    }

    /// Approximate heap bytes held per evidence item, for the memory figures.
    pub fn approx_bytes(&self) -> usize {
        self.evidence.capacity() * std::mem::size_of::<Evidence>()
            + self
                .alerts
                .iter()
                .map(|a| {
                    std::mem::size_of::<Alert>()
                        + a.id.len()
                        + a.title.as_ref().map_or(0, String::len)
                        + 16
                })
                .sum::<usize>()
            + self
                .alert_devices
                .iter()
                .map(|d| 24 + 4 * d.capacity())
                .sum::<usize>()
            + self.strings.heap_bytes()
            + self.alert_index.capacity() * 40
    }
}
