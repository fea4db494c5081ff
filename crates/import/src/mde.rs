//! Defender for Endpoint API responses: `/api/alerts?$expand=evidence`, `/api/investigations`
//! and `/api/machineactions`. Each may be a whole response (`{"value": [...]}`, one file per
//! page), a bare array, or one object; pages may overlap (repeats are skipped by id).
//!
//! Like the Graph reader, these stream: serde visits each object once and writes it into the
//! dataset, and fields airview does not use are skipped unparsed.
//!
//! Defender for Endpoint evidence carries no verdict, so airview decides one (DOMAIN.md), and
//! the evidence's `verdict_source` says how, for the reasons to quote:
//!
//! 1. `detectionStatus` `Detected`, `Blocked` or `Prevented`: malicious.
//! 2. Otherwise, when the alert is classified `FalsePositive` or
//!    `InformationalExpectedActivity`: no threats found.
//! 3. Otherwise: suspicious.
//!
//! The device is the alert's `machineId`, with its `computerDnsName` and `rbacGroupName`; the
//! alert's evidence finds it as "the alert's only device". A machine action's source is
//! "Manual response action" when its `requestor` is a person and "Automated investigation"
//! when automation asked for it (airview decides: a user principal name is a person; a
//! requestor that is empty, or names automation, `AutoIR`, `AIR` or the system, is automation;
//! anything else is a person).

use crate::csv::action_type;
use crate::graph::Text;
use crate::progress::{address, Meter, Progress};
use airview_engine::action::ActionType;
use airview_engine::center::Status;
use airview_engine::model::{
    Alert, Dataset, Device, EntityKind, Evidence, InvestigationInfo, RemediationStatus,
    ReportedAction, Verdict, VerdictSource,
};
use airview_engine::Timestamp;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

/// Reads `/api/alerts?$expand=evidence` into `data`. On error `data` may hold part of the
/// file: the caller rolls back (see `crate::load`).
pub fn read_alerts(data: &mut Dataset, file: u32, text: &str) -> Result<(), serde_json::Error> {
    read_alerts_with_progress(data, file, text, &mut |_| {})
}

/// Reads `/api/investigations` into `data.investigations`.
pub fn read_investigations(
    data: &mut Dataset,
    file: u32,
    text: &str,
) -> Result<(), serde_json::Error> {
    read_investigations_with_progress(data, file, text, &mut |_| {})
}

/// Reads `/api/machineactions` into `data.reported_actions`. Returns the ids of actions that
/// were loaded already and are skipped.
pub fn read_machine_actions(
    data: &mut Dataset,
    file: u32,
    text: &str,
) -> Result<Vec<String>, serde_json::Error> {
    read_machine_actions_with_progress(data, file, text, &mut |_| {})
}

/// `read_alerts`, telling `progress` how far it has got as it finishes alerts.
pub(crate) fn read_alerts_with_progress(
    data: &mut Dataset,
    file: u32,
    text: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), serde_json::Error> {
    read::<AlertItem>(data, file, text, progress).map(|_| ())
}

/// `read_investigations`, telling `progress` how far it has got as it finishes
/// investigations.
pub(crate) fn read_investigations_with_progress(
    data: &mut Dataset,
    file: u32,
    text: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), serde_json::Error> {
    read::<InvestigationItem>(data, file, text, progress).map(|_| ())
}

/// `read_machine_actions`, telling `progress` how far it has got as it finishes actions.
pub(crate) fn read_machine_actions_with_progress(
    data: &mut Dataset,
    file: u32,
    text: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<String>, serde_json::Error> {
    read::<ActionItem>(data, file, text, progress)
}

fn read<K: Kind>(
    data: &mut Dataset,
    file: u32,
    text: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<String>, serde_json::Error> {
    let meter = Meter::new(text, progress);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ctx = Ctx {
        data,
        file,
        known_actions: None,
        repeated: Vec::new(),
        meter,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    Top::<K> {
        ctx: &mut ctx,
        kind: PhantomData,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(ctx.repeated)
}

/// What every visitor writes into.
struct Ctx<'a> {
    data: &'a mut Dataset,
    file: u32,
    /// Ids of the reported actions loaded already, built on first use.
    known_actions: Option<HashSet<String>>,
    repeated: Vec<String>,
    meter: Meter<'a>,
}

/// One kind of object (an alert, an investigation, a machine action), read field by field.
trait Kind: Sized {
    /// One of them, for messages: "an alert".
    const EXPECTING: &'static str;
    /// Several, for messages: "alerts".
    const PLURAL: &'static str;
    fn start(ctx: &Ctx) -> Self;
    /// Reads the value of `key`, or skips it.
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        ctx: &mut Ctx,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error>;
    fn finish(self, ctx: &mut Ctx);
    /// The object turned out to be a list response (it has `value`): undo what reading its
    /// own fields did.
    fn discard(self, _ctx: &mut Ctx) {}
}

struct Top<'c, 'a, K> {
    ctx: &'c mut Ctx<'a>,
    kind: PhantomData<K>,
}

impl<'de, K: Kind> DeserializeSeed<'de> for Top<'_, '_, K> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, K: Kind> Visitor<'de> for Top<'_, '_, K> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}, a list response or an array of them", K::EXPECTING)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        List::<K> {
            ctx: self.ctx,
            kind: PhantomData,
        }
        .visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        Node::<K> {
            ctx: self.ctx,
            kind: PhantomData,
        }
        .visit_map(map)
    }
}

/// An array of objects (a bare array, or a response's `value`).
struct List<'c, 'a, K> {
    ctx: &'c mut Ctx<'a>,
    kind: PhantomData<K>,
}

impl<'de, K: Kind> DeserializeSeed<'de> for List<'_, '_, K> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, K: Kind> Visitor<'de> for List<'_, '_, K> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an array of {}", K::PLURAL)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Node::<K> {
                ctx: &mut *self.ctx,
                kind: PhantomData,
            })?
            .is_some()
        {}
        Ok(())
    }
}

/// An object: a list response (it has `value`) or one item.
struct Node<'c, 'a, K> {
    ctx: &'c mut Ctx<'a>,
    kind: PhantomData<K>,
}

impl<'de, K: Kind> DeserializeSeed<'de> for Node<'_, '_, K> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, K: Kind> Visitor<'de> for Node<'_, '_, K> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} or a list response (an object)", K::EXPECTING)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let mut item = K::start(ctx);
        let mut is_list = false;
        // Where the object's last key without escapes starts: how far the reader has got.
        let mut reached = None;
        while let Some(key) = map.next_key::<Text>()? {
            if let Cow::Borrowed(k) = key.0 {
                reached = Some(address(k));
            }
            if key.0 == "value" {
                is_list = true;
                map.next_value_seed(List::<K> {
                    ctx: &mut *ctx,
                    kind: PhantomData,
                })?;
            } else {
                item.field(ctx, &key.0, &mut map)?;
            }
        }
        if is_list {
            item.discard(ctx);
        } else {
            item.finish(ctx);
        }
        if let Some(at) = reached {
            ctx.meter.at_address(at);
        }
        Ok(())
    }
}

/// An id: Defender for Endpoint writes some as strings and some as numbers.
struct Id(String);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an id (a string or a number)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                Ok(Id(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

fn id<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<String>, A::Error> {
    Ok(map
        .next_value::<Option<Id>>()?
        .map(|i| i.0)
        .filter(|s| !s.is_empty()))
}

fn text<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<String>, A::Error> {
    Ok(crate::graph::non_empty(map.next_value::<Option<Text>>()?))
}

fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

// ---------------------------------------------------------------------------------------
// Alerts

struct AlertItem {
    alert: Alert,
    id: Option<String>,
    evidence_start: usize,
    /// Devices the alert's own device evidence names.
    devices: Vec<u32>,
    had_evidence: bool,
}

impl Kind for AlertItem {
    const EXPECTING: &'static str = "an alert";
    const PLURAL: &'static str = "alerts";

    fn start(ctx: &Ctx) -> Self {
        AlertItem {
            alert: Alert {
                file: ctx.file,
                ..Alert::default()
            },
            id: None,
            evidence_start: ctx.data.evidence.len(),
            devices: Vec::new(),
            had_evidence: false,
        }
    }

    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        ctx: &mut Ctx,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let a = &mut self.alert;
        match key {
            "id" => self.id = id(map)?,
            "title" => a.title = text(map)?,
            "incidentId" => a.incident_id = id(map)?,
            "investigationId" => a.investigation_id = id(map)?,
            "investigationState" => a.investigation_state = text(map)?,
            "classification" => a.classification = text(map)?,
            "alertCreationTime" => a.created = map.next_value::<Option<Timestamp>>()?,
            "machineId" => a.machine_id = text(map)?,
            "computerDnsName" => a.machine_dns_name = text(map)?,
            "rbacGroupName" => a.rbac_group_name = text(map)?,
            "evidence" => {
                self.had_evidence = true;
                map.next_value_seed(EvidenceList {
                    data: &mut *ctx.data,
                    devices: &mut self.devices,
                })?
            }
            _ => skip(map)?,
        }
        Ok(())
    }

    fn discard(self, ctx: &mut Ctx) {
        // A list response is not an alert: evidence it carries itself belongs to no alert.
        if self.had_evidence {
            crate::graph::drop_orphans(ctx.data, self.evidence_start);
        }
    }

    fn finish(self, ctx: &mut Ctx) {
        let data = &mut *ctx.data;
        let mut alert = self.alert;
        alert.id = self
            .id
            .unwrap_or_else(|| format!("(alert without id #{})", data.alerts.len() + 1));
        let benign = alert.classification.as_deref().is_some_and(|c| {
            c.eq_ignore_ascii_case("FalsePositive")
                || c.eq_ignore_ascii_case("InformationalExpectedActivity")
        });
        match data.add_alert(alert) {
            Some(idx) => {
                for d in self.devices {
                    data.link_alert_device(idx, d);
                }
                for e in data.evidence.iter_mut().skip(self.evidence_start) {
                    e.alert = idx;
                    if benign && e.verdict_source == VerdictSource::NoSignal {
                        e.verdict = Verdict::NoThreatsFound;
                        e.verdict_source = VerdictSource::AlertClassification;
                    }
                }
                ctx.meter.evidence += data.evidence.len().saturating_sub(self.evidence_start);
            }
            // A repeat of an alert loaded already: its evidence is loaded already too.
            None => data.evidence.truncate(self.evidence_start),
        }
    }
}

struct EvidenceList<'a> {
    data: &'a mut Dataset,
    devices: &'a mut Vec<u32>,
}

impl<'de> DeserializeSeed<'de> for EvidenceList<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EvidenceList<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of evidence")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0u32;
        while let Some(raw) = seq.next_element::<RawEvidence>()? {
            let e = evidence(self.data, self.devices, index, raw);
            self.data.push_evidence(e);
            index = index.saturating_add(1);
        }
        Ok(())
    }
}

/// The evidence fields airview reads; the rest are skipped.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, expecting = "an evidence object")]
struct RawEvidence<'a> {
    #[serde(borrow)]
    entity_type: Option<Cow<'a, str>>,
    evidence_creation_time: Option<Timestamp>,
    #[serde(borrow)]
    detection_status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    remediation_status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    sha256: Option<Cow<'a, str>>,
    #[serde(borrow)]
    file_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    file_path: Option<Cow<'a, str>>,
    #[serde(borrow)]
    process_command_line: Option<Cow<'a, str>>,
    #[serde(borrow)]
    ip_address: Option<Cow<'a, str>>,
    #[serde(borrow)]
    url: Option<Cow<'a, str>>,
    #[serde(borrow)]
    registry_hive: Option<Cow<'a, str>>,
    #[serde(borrow)]
    registry_key: Option<Cow<'a, str>>,
    #[serde(borrow)]
    registry_value_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    account_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    domain_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    user_principal_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    network_message_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    subject: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "recipient")]
    recipient_email_address: Option<Cow<'a, str>>,
    #[serde(borrow)]
    cluster_by: Option<Cow<'a, str>>,
    #[serde(borrow)]
    cluster_by_value: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "mailboxPrimaryAddress")]
    primary_address: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "mdeDeviceId")]
    machine_id: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "deviceDnsName")]
    computer_dns_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    rbac_group_name: Option<Cow<'a, str>>,
}

fn kind_of(entity_type: &str, raw: &RawEvidence) -> EntityKind {
    match entity_type.to_ascii_lowercase().as_str() {
        "file" | "filehash" => EntityKind::File,
        "process" => EntityKind::Process,
        "registry"
            if raw
                .registry_value_name
                .as_deref()
                .is_some_and(|v| !v.is_empty()) =>
        {
            EntityKind::RegistryValue
        }
        "registry" | "registrykey" => EntityKind::RegistryKey,
        "registryvalue" => EntityKind::RegistryValue,
        "user" | "account" => EntityKind::User,
        "url" => EntityKind::Url,
        "ip" | "ipaddress" => EntityKind::Ip,
        "mailmessage" | "emailmessage" | "mail" => EntityKind::EmailMessage,
        "mailcluster" | "emailcluster" => EntityKind::MailCluster,
        "mailbox" => EntityKind::Mailbox,
        "mailattachment" | "emailattachment" => EntityKind::EmailAttachment,
        "machine" | "device" | "host" => EntityKind::Device,
        "service" => EntityKind::Service,
        "driver" => EntityKind::Driver,
        "scheduledtask" | "task" => EntityKind::ScheduledTask,
        "cloudapplication" | "cloudapp" | "oauthapplication" => EntityKind::CloudApplication,
        _ => EntityKind::Other(entity_type.to_owned()),
    }
}

fn detected(status: &str) -> bool {
    ["Detected", "Blocked", "Prevented"]
        .iter()
        .any(|s| status.trim().eq_ignore_ascii_case(s))
}

fn evidence(data: &mut Dataset, devices: &mut Vec<u32>, index: u32, raw: RawEvidence) -> Evidence {
    let t = |s: &Option<Cow<str>>| -> Option<String> {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let kind = match raw.entity_type.as_deref().map(str::trim) {
        Some(ty) if !ty.is_empty() => kind_of(ty, &raw),
        _ => EntityKind::Other("evidence".to_owned()),
    };
    let (verdict, source) = if raw.detection_status.as_deref().is_some_and(detected) {
        (Verdict::Malicious, VerdictSource::DetectionStatus)
    } else {
        (Verdict::Suspicious, VerdictSource::NoSignal)
    };
    let mut e = Evidence::new(u32::MAX, index, kind, verdict);
    e.verdict_source = source;
    e.created = raw.evidence_creation_time;
    e.remediation_status = t(&raw.remediation_status).map(|s| RemediationStatus::from_graph(&s));
    e.sha256 = t(&raw.sha256).map(|s| data.intern(&s));
    e.mde_device_id = t(&raw.machine_id).map(|s| data.intern(&s));
    let name = t(&raw.file_name);
    // `filePath` is the folder; some exports give the whole path, which ends in the name.
    let folder = t(&raw.file_path).map(|path| match &name {
        Some(n)
            if path.len() > n.len()
                && path.to_ascii_lowercase().ends_with(&n.to_ascii_lowercase()) =>
        {
            let cut = path.len() - n.len();
            match path.get(..cut) {
                Some(dir) if dir.ends_with(['\\', '/']) => {
                    dir.trim_end_matches(['\\', '/']).to_owned()
                }
                _ => path,
            }
        }
        _ => path,
    });
    e.folder = folder.map(|f| data.intern(&f));
    e.file_name = name.as_deref().map(|n| data.intern(n));
    let entity: Option<String> = match &e.kind {
        EntityKind::File => None,
        EntityKind::Process => name
            .is_none()
            .then(|| t(&raw.process_command_line))
            .flatten(),
        EntityKind::RegistryKey | EntityKind::RegistryValue => {
            let parts: Vec<String> = [
                t(&raw.registry_hive),
                t(&raw.registry_key),
                t(&raw.registry_value_name),
            ]
            .into_iter()
            .flatten()
            .collect();
            Some(parts.join("\\"))
        }
        EntityKind::User => match (
            t(&raw.user_principal_name),
            t(&raw.domain_name),
            t(&raw.account_name),
        ) {
            (Some(upn), _, _) => Some(upn),
            (None, Some(d), Some(a)) => Some(format!("{d}\\{a}")),
            (None, _, a) => a,
        },
        EntityKind::Url => t(&raw.url),
        EntityKind::Ip => t(&raw.ip_address),
        EntityKind::EmailMessage => match (t(&raw.subject), t(&raw.recipient_email_address)) {
            (Some(s), Some(r)) => Some(format!("{s} ({r})")),
            (s, r) => s.or(r).or(t(&raw.network_message_id)),
        },
        EntityKind::MailCluster => {
            let (by, value) = (t(&raw.cluster_by), t(&raw.cluster_by_value));
            e.cluster_key = Some(data.intern(&format!(
                "{}:{}",
                by.as_deref().unwrap_or(""),
                value.as_deref().unwrap_or("")
            )));
            match (by, value) {
                (Some(by), Some(v)) => Some(format!("{by}: {v}")),
                (by, v) => v.or(by),
            }
        }
        EntityKind::Mailbox => t(&raw.primary_address)
            .or(t(&raw.user_principal_name))
            .or(t(&raw.account_name)),
        EntityKind::Device => t(&raw.computer_dns_name).or(t(&raw.machine_id)),
        EntityKind::Other(name) => Some(name.clone()),
        _ => name.clone().or(t(&raw.url)),
    };
    e.entity = match entity {
        Some(s) => data.strings.intern_opt(&s),
        None => e.file_name,
    };
    if e.kind == EntityKind::Device {
        if let Some(id) = t(&raw.machine_id) {
            let d = data.upsert_device(Device {
                mde_device_id: id,
                dns_name: t(&raw.computer_dns_name),
                rbac_group_name: t(&raw.rbac_group_name),
                ..Device::default()
            });
            if !devices.contains(&d) {
                devices.push(d);
            }
        }
    }
    e
}

// ---------------------------------------------------------------------------------------
// Investigations

struct InvestigationItem(InvestigationInfo);

impl Kind for InvestigationItem {
    const EXPECTING: &'static str = "an investigation";
    const PLURAL: &'static str = "investigations";

    fn start(ctx: &Ctx) -> Self {
        InvestigationItem(InvestigationInfo {
            file: ctx.file,
            ..InvestigationInfo::default()
        })
    }

    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        _ctx: &mut Ctx,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let i = &mut self.0;
        match key {
            "id" => i.id = id(map)?.unwrap_or_default(),
            "state" => i.state = text(map)?,
            "machineId" => i.machine_id = text(map)?,
            "computerDnsName" => i.machine_dns_name = text(map)?,
            "startTime" => i.started = map.next_value::<Option<Timestamp>>()?,
            "endTime" => i.ended = map.next_value::<Option<Timestamp>>()?,
            "triggeringAlertId" => i.triggering_alert_id = id(map)?,
            _ => skip(map)?,
        }
        Ok(())
    }

    fn finish(self, ctx: &mut Ctx) {
        let mut i = self.0;
        let data = &mut *ctx.data;
        if i.id.is_empty() {
            i.id = format!(
                "(investigation without id #{})",
                data.investigations.len() + 1
            );
        }
        // The investigation names the device's DNS name, which alerts may lack.
        if let Some(machine) = &i.machine_id {
            if i.machine_dns_name.is_some() {
                data.upsert_device(Device {
                    mde_device_id: machine.clone(),
                    dns_name: i.machine_dns_name.clone(),
                    ..Device::default()
                });
            }
        }
        data.investigations.push(i);
    }
}

// ---------------------------------------------------------------------------------------
// Machine actions

#[derive(Default)]
struct ActionItem {
    id: Option<String>,
    kind: Option<String>,
    requestor: Option<String>,
    comment: Option<String>,
    status: Option<String>,
    machine_id: Option<String>,
    dns_name: Option<String>,
    created: Option<Timestamp>,
    updated: Option<Timestamp>,
    cancelled_by: Option<String>,
    file: Option<String>,
    investigation: Option<String>,
}

/// `relatedFileInfo`: the file a StopAndQuarantineFile action names.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, expecting = "a related file object")]
struct RelatedFile<'a> {
    #[serde(borrow)]
    file_identifier: Option<Cow<'a, str>>,
}

impl Kind for ActionItem {
    const EXPECTING: &'static str = "a machine action";
    const PLURAL: &'static str = "machine actions";

    fn start(_ctx: &Ctx) -> Self {
        ActionItem::default()
    }

    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        _ctx: &mut Ctx,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            "id" => self.id = id(map)?,
            "type" => self.kind = text(map)?,
            "requestor" => self.requestor = text(map)?,
            "requestorComment" => self.comment = text(map)?,
            "status" => self.status = text(map)?,
            "machineId" => self.machine_id = text(map)?,
            "computerDnsName" => self.dns_name = text(map)?,
            "creationDateTimeUtc" => self.created = map.next_value::<Option<Timestamp>>()?,
            "lastUpdateDateTimeUtc" => self.updated = map.next_value::<Option<Timestamp>>()?,
            "cancellationRequestor" => self.cancelled_by = text(map)?,
            "investigationId" => self.investigation = id(map)?,
            "relatedFileInfo" => {
                self.file = map
                    .next_value::<Option<RelatedFile>>()?
                    .and_then(|f| f.file_identifier)
                    .map(Cow::into_owned)
                    .filter(|s| !s.is_empty())
            }
            _ => skip(map)?,
        }
        Ok(())
    }

    fn finish(self, ctx: &mut Ctx) {
        let data = &mut *ctx.data;
        let id = self.id.unwrap_or_else(|| {
            format!(
                "(machine action without id #{})",
                data.reported_actions.len() + 1
            )
        });
        let known = ctx
            .known_actions
            .get_or_insert_with(|| data.reported_actions.iter().map(|a| a.id.clone()).collect());
        if !known.insert(id.clone()) {
            ctx.repeated.push(id);
            return;
        }
        let label = self.kind.unwrap_or_default();
        let reported_status = self.status.unwrap_or_default();
        let status = machine_action_status(&reported_status);
        let automated = is_automation(self.requestor.as_deref());
        let device = self.dns_name.clone().or(self.machine_id.clone());
        let action = machine_action_type(&label);
        // A file action acts on its file; the others on the device.
        let entity = self.file.or(device.clone());
        let decided_by = match status {
            Some(Status::Rejected) => self.cancelled_by.or(self.requestor),
            _ => self.requestor,
        };
        data.reported_actions.push(ReportedAction {
            id,
            action,
            action_label: label,
            entity,
            device,
            machine_id: self.machine_id,
            investigation_id: self.investigation,
            status,
            reported_status,
            source: if automated {
                "Automated investigation"
            } else {
                "Manual response action"
            }
            .to_owned(),
            decided_by,
            comment: self.comment,
            created: self.created,
            updated: self.updated,
            wait_time: None,
            file: ctx.file,
        });
    }
}

/// Defender for Endpoint's machine action types. `Unisolate` has no action type of its own in
/// airview's catalogue; it is kept with its label.
fn machine_action_type(kind: &str) -> Option<ActionType> {
    match kind {
        "RunAntiVirusScan" => Some(ActionType::RunAntivirusScan),
        "Offboard" => Some(ActionType::OffboardMachine),
        "LiveResponse" => Some(ActionType::LiveResponse),
        "CollectInvestigationPackage" => Some(ActionType::CollectInvestigationPackage),
        "Isolate" => Some(ActionType::IsolateDevice),
        "Unisolate" => None,
        "StopAndQuarantineFile" => Some(ActionType::StopAndQuarantine),
        "RestrictCodeExecution" => Some(ActionType::RestrictCodeExecution),
        "UnrestrictCodeExecution" => Some(ActionType::ReleaseCodeExecution),
        other => action_type(other),
    }
}

/// Pending and InProgress wait; Succeeded is completed; Failed failed; TimeOut timed out;
/// Cancelled counts as rejected.
fn machine_action_status(status: &str) -> Option<Status> {
    match status.trim().to_ascii_lowercase().as_str() {
        "pending" | "inprogress" => Some(Status::Pending),
        "succeeded" => Some(Status::Completed),
        "failed" => Some(Status::Failed),
        "timeout" => Some(Status::TimedOut),
        "cancelled" | "canceled" => Some(Status::Rejected),
        other => crate::csv::status(other),
    }
}

fn is_automation(requestor: Option<&str>) -> bool {
    let Some(r) = requestor.map(str::trim).filter(|r| !r.is_empty()) else {
        return true;
    };
    // A user principal name is a person, whatever words it holds.
    if r.contains('@') {
        return false;
    }
    let r = r.to_ascii_lowercase();
    ["automat", "autoir", "air", "system", "windowsdefenderatp"]
        .iter()
        .any(|word| r == *word || (word.len() > 3 && r.contains(word)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requestors() {
        assert!(is_automation(None));
        assert!(is_automation(Some("Automated investigation")));
        assert!(is_automation(Some("AutoIR")));
        assert!(is_automation(Some("AIR")));
        assert!(!is_automation(Some("alice@contoso.com")));
        assert!(!is_automation(Some("Airlie Smith")));
        assert!(!is_automation(Some("systems.admin@contoso.com")));
    }

    #[test]
    fn whole_paths_lose_their_file_name() {
        let mut d = Dataset::new();
        let raw = RawEvidence {
            entity_type: Some("File".into()),
            file_name: Some("a.exe".into()),
            file_path: Some(r"C:\Temp\A.EXE".into()),
            ..RawEvidence::default()
        };
        let e = evidence(&mut d, &mut Vec::new(), 0, raw);
        assert_eq!(d.opt_text(e.folder), Some(r"C:\Temp"));
        assert_eq!(d.file_path(&e).as_deref(), Some(r"C:\Temp\a.exe"));
    }
}
