//! Writing a snapshot.

use super::checksum::Adler32;
use super::format::{FORMAT, MAGIC, TRAILER};
use super::tags;
use crate::intern::Sym;
use crate::model::{Dataset, Evidence};
use crate::time::Timestamp;

/// Encodes everything the dataset holds. Its `alert_devices` are written alongside the alerts,
/// one list per alert (as every importer keeps them).
pub fn encode(data: &Dataset) -> Vec<u8> {
    let mut out = Out(Vec::with_capacity(64 + data.evidence.len() * 48));
    out.0.extend_from_slice(&MAGIC);
    out.u32(FORMAT);
    // The length, written once it is known.
    out.0.extend_from_slice(&[0; 8]);
    for n in [
        data.files.len(),
        data.strings.len(),
        data.devices.len(),
        data.alerts.len(),
        data.evidence.len(),
        data.repeated_alerts.len(),
        data.investigations.len(),
        data.reported_actions.len(),
    ] {
        out.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }
    for f in &data.files {
        out.text(f);
    }
    for n in 1..=u32::try_from(data.strings.len()).unwrap_or(u32::MAX) {
        out.text(Sym::from_number(n).map_or("", |s| data.strings.text(s)));
    }
    for d in &data.devices {
        out.text(&d.mde_device_id);
        out.opt_text(d.dns_name.as_deref());
        out.opt_text(d.rbac_group_name.as_deref());
        out.opt_text(d.os_platform.as_deref());
        out.count(d.tags.len());
        for t in &d.tags {
            out.text(t);
        }
    }
    for (i, a) in data.alerts.iter().enumerate() {
        out.text(&a.id);
        out.opt_text(a.title.as_deref());
        out.opt_text(a.incident_id.as_deref());
        out.opt_text(a.investigation_id.as_deref());
        out.opt_text(a.investigation_state.as_deref());
        out.opt_text(a.classification.as_deref());
        out.time(a.created);
        out.opt_text(a.machine_id.as_deref());
        out.opt_text(a.rbac_group_name.as_deref());
        out.opt_text(a.machine_dns_name.as_deref());
        out.varint(a.file.into());
        let devices = data.alert_devices.get(i).map_or(&[][..], Vec::as_slice);
        out.count(devices.len());
        for &d in devices {
            out.varint(d.into());
        }
    }
    for e in &data.evidence {
        out.evidence(e);
    }
    for (file, id) in &data.repeated_alerts {
        out.varint((*file).into());
        out.text(id);
    }
    for i in &data.investigations {
        out.text(&i.id);
        out.opt_text(i.state.as_deref());
        out.opt_text(i.machine_id.as_deref());
        out.opt_text(i.machine_dns_name.as_deref());
        out.time(i.started);
        out.time(i.ended);
        out.opt_text(i.triggering_alert_id.as_deref());
        out.varint(i.file.into());
    }
    for a in &data.reported_actions {
        out.text(&a.id);
        out.tagged(tags::optional(a.action.as_ref()));
        out.text(&a.action_label);
        out.opt_text(a.entity.as_deref());
        out.opt_text(a.device.as_deref());
        out.opt_text(a.machine_id.as_deref());
        out.opt_text(a.investigation_id.as_deref());
        out.tagged(tags::optional(a.status.as_ref()));
        out.text(&a.reported_status);
        out.text(&a.source);
        out.opt_text(a.decided_by.as_deref());
        out.opt_text(a.comment.as_deref());
        out.time(a.created);
        out.time(a.updated);
        out.opt_text(a.wait_time.as_deref());
        out.varint(a.file.into());
    }
    let mut bytes = out.0;
    let length = bytes.len() as u64 + TRAILER;
    if let Some(field) = bytes.get_mut(12..20) {
        field.copy_from_slice(&length.to_le_bytes());
    }
    let mut sum = Adler32::NEW;
    sum.update(&bytes);
    bytes.extend_from_slice(&sum.value().to_le_bytes());
    bytes
}

struct Out(Vec<u8>);

impl Out {
    fn byte(&mut self, b: u8) {
        self.0.push(b);
    }

    fn u32(&mut self, n: u32) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn varint(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.0.push(n as u8 | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }

    fn count(&mut self, n: usize) {
        self.varint(n as u64);
    }

    fn text(&mut self, s: &str) {
        self.count(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn opt_text(&mut self, s: Option<&str>) {
        match s {
            None => self.byte(0),
            Some(s) => {
                self.count(s.len() + 1);
                self.0.extend_from_slice(s.as_bytes());
            }
        }
    }

    fn time(&mut self, t: Option<Timestamp>) {
        match t {
            None => self.byte(0),
            Some(t) => {
                self.byte(1);
                self.0.extend_from_slice(&t.0.to_le_bytes());
            }
        }
    }

    fn sym(&mut self, s: Option<Sym>) {
        self.u32(s.map_or(0, Sym::number));
    }

    fn evidence(&mut self, e: &Evidence) {
        self.varint(e.alert.into());
        self.varint(e.index.into());
        self.tagged(tags::tag(&e.kind));
        self.tagged(tags::tag(&e.verdict));
        self.tagged(tags::tag(&e.verdict_source));
        self.tagged(tags::optional(e.remediation_status.as_ref()));
        self.byte(u8::from(e.compromised) | (u8::from(e.created.is_some()) << 1));
        if let Some(t) = e.created {
            self.0.extend_from_slice(&t.0.to_le_bytes());
        }
        for s in [
            e.mde_device_id,
            e.folder,
            e.file_name,
            e.sha256,
            e.entity,
            e.cluster_key,
        ] {
            self.sym(s);
        }
    }

    fn tagged(&mut self, (tag, text): (u8, Option<&str>)) {
        self.byte(tag);
        if let Some(text) = text {
            self.text(text);
        }
    }
}
