//! Defender for Endpoint alerts, `/api/alerts?$expand=evidence`, with their evidence.
//!
//! Defender for Endpoint evidence carries no verdict, so airview decides one (see
//! `docs/domain.md`), and the evidence's `verdict_source` says how, for the reasons to quote:
//!
//! 1. `detectionStatus` `Detected`, `Blocked` or `Prevented`: malicious.
//! 2. Otherwise, when the alert is classified `FalsePositive` or
//!    `InformationalExpectedActivity`: no threats found.
//! 3. Otherwise: suspicious.
//!
//! The device is the alert's `machineId`, with its `computerDnsName` and `rbacGroupName`; the
//! alert's evidence finds it as "the alert's only device".

use crate::json::alert::AlertDraft;
use crate::json::evidence::{
    mail_cluster, message_name, registry_path, AlertDevices, ReadEvidence, NO_ALERT,
};
use crate::json::fields::{id, skip, text, timestamp};
use crate::json::response::{Ctx, Item};
use airview_engine::model::{
    Dataset, Device, EntityKind, Evidence, RemediationStatus, Verdict, VerdictSource,
};
use airview_engine::Timestamp;
use serde::de::{self, MapAccess, SeqAccess};
use serde::Deserialize;
use std::borrow::Cow;

/// An alert being read.
pub(super) struct AlertItem {
    draft: AlertDraft,
}

impl Item for AlertItem {
    type State = ();
    const DOCUMENT: &'static str = "an alert, a list response or an array of them";
    const LIST: &'static str = "an array of alerts";
    const OBJECT: &'static str = "an alert or a list response (an object)";
    const NULL_IS_AN_EMPTY_LIST: bool = true;

    fn start(ctx: &Ctx<()>) -> Self {
        AlertItem {
            draft: AlertDraft::new(ctx),
        }
    }

    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        ctx: &mut Ctx<()>,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let a = &mut self.draft.alert;
        match key {
            "id" => self.draft.id = id(map)?,
            "title" => a.title = text(map)?,
            "incidentId" => a.incident_id = id(map)?,
            "investigationId" => a.investigation_id = id(map)?,
            "investigationState" => a.investigation_state = text(map)?,
            "classification" => a.classification = text(map)?,
            "alertCreationTime" => a.created = timestamp(map)?,
            "machineId" => a.machine_id = text(map)?,
            "computerDnsName" => a.machine_dns_name = text(map)?,
            "rbacGroupName" => a.rbac_group_name = text(map)?,
            "evidence" => self.draft.read_evidence::<MdeEvidence, A>(ctx.data, map)?,
            _ => skip(map)?,
        }
        Ok(())
    }

    fn discard(self, ctx: &mut Ctx<()>) {
        self.draft.discard(ctx.data);
    }

    fn finish<E: de::Error>(self, ctx: &mut Ctx<()>) -> Result<(), E> {
        let benign = self.draft.alert.classification.as_deref().is_some_and(|c| {
            c.eq_ignore_ascii_case("FalsePositive")
                || c.eq_ignore_ascii_case("InformationalExpectedActivity")
        });
        self.draft.add(ctx, |e| {
            if benign && e.verdict_source == VerdictSource::NoSignal {
                e.verdict = Verdict::NoThreatsFound;
                e.verdict_source = VerdictSource::AlertClassification;
            }
        });
        Ok(())
    }
}

/// Defender for Endpoint's reader of evidence items (see `crate::json::evidence`): each item
/// is read whole, then converted.
struct MdeEvidence;

impl ReadEvidence for MdeEvidence {
    #[inline]
    fn next<'de, A: SeqAccess<'de>>(
        seq: &mut A,
        data: &mut Dataset,
        devices: &mut AlertDevices,
        index: u32,
    ) -> Result<Option<Evidence>, A::Error> {
        Ok(seq
            .next_element::<RawEvidence>()?
            .map(|raw| evidence(data, devices, index, raw)))
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

/// A text field trimmed, unless it is absent or blank.
fn trimmed<'s>(s: &'s Option<Cow<str>>) -> Option<&'s str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The evidence item `raw` describes, the `index`th of its alert (see the module's
/// documentation for its verdict).
fn evidence(
    data: &mut Dataset,
    devices: &mut AlertDevices,
    index: u32,
    raw: RawEvidence,
) -> Evidence {
    let t = |s: &Option<Cow<str>>| trimmed(s).map(str::to_owned);
    let kind = match raw.entity_type.as_deref().map(str::trim) {
        Some(ty) if !ty.is_empty() => kind_of(ty, &raw),
        _ => EntityKind::Other("evidence".to_owned()),
    };
    let (verdict, source) = if raw.detection_status.as_deref().is_some_and(detected) {
        (Verdict::Malicious, VerdictSource::DetectionStatus)
    } else {
        (Verdict::Suspicious, VerdictSource::NoSignal)
    };
    let mut e = Evidence::new(NO_ALERT, index, kind, verdict);
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
        EntityKind::RegistryKey | EntityKind::RegistryValue => Some(registry_path(
            trimmed(&raw.registry_hive),
            trimmed(&raw.registry_key),
            trimmed(&raw.registry_value_name),
        )),
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
        EntityKind::EmailMessage => message_name(
            trimmed(&raw.subject),
            trimmed(&raw.recipient_email_address),
            trimmed(&raw.network_message_id),
        ),
        EntityKind::MailCluster => {
            let (key, name) = mail_cluster(
                data,
                trimmed(&raw.cluster_by),
                trimmed(&raw.cluster_by_value),
            );
            e.cluster_key = Some(key);
            name
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
            devices.add(d);
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_paths_lose_their_file_name() {
        let mut d = Dataset::new();
        let raw = RawEvidence {
            entity_type: Some("File".into()),
            file_name: Some("a.exe".into()),
            file_path: Some(r"C:\Temp\A.EXE".into()),
            ..RawEvidence::default()
        };
        let e = evidence(&mut d, &mut AlertDevices::default(), 0, raw);
        assert_eq!(d.opt_text(e.folder), Some(r"C:\Temp"));
        assert_eq!(d.file_path(&e).as_deref(), Some(r"C:\Temp\a.exe"));
    }
}
