//! The dataset: everything loaded, its look-up indexes, checkpoints for undoing a failed
//! load, and how an artifact finds its device.

use crate::intern::{FxHashMap, Interner, Sym};
use crate::model::records::{Alert, Device, Evidence, InvestigationInfo, ReportedAction};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

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

/// How an endpoint artifact was tied to a device (docs/domain.md, "How an artifact finds its
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
    /// alert's device when it has exactly one, else none (airview decides: docs/domain.md, "How an artifact finds its device").
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
