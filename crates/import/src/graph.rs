//! Microsoft Graph security API exports: `GET /security/alerts_v2` list responses (one file
//! per page), `GET /security/incidents?$expand=alerts`, a bare array of alerts, or one alert.
//!
//! The raw types below name only the fields airview uses; serde skips the rest without
//! building them, which keeps the import close to the speed of a bare parse. Enumerations
//! are read as strings so that `unknownFutureValue` and values newer than airview are kept
//! and shown, not refused.

use airview_engine::model::{Alert, Dataset, Device, EntityKind, Evidence, RemediationStatus, Verdict};
use airview_engine::Timestamp;
use serde::Deserialize;
use std::borrow::Cow;

pub enum GraphError {
    Json(serde_json::Error),
}

type Str<'a> = Cow<'a, str>;

/// An object at any level of a Graph export: a list response (`value`), an incident
/// (`alerts`) or an alert (`evidence`). One type for all three lets a single pass read any of
/// them without knowing in advance which it is.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, expecting = "an alert, an incident or a list response (an object)")]
struct Node<'a> {
    #[serde(borrow)]
    value: Option<Vec<Node<'a>>>,
    #[serde(borrow)]
    alerts: Option<Vec<Node<'a>>>,
    #[serde(borrow)]
    id: Option<Str<'a>>,
    #[serde(borrow)]
    title: Option<Str<'a>>,
    #[serde(borrow)]
    display_name: Option<Str<'a>>,
    #[serde(borrow)]
    incident_id: Option<Str<'a>>,
    #[serde(borrow)]
    classification: Option<Str<'a>>,
    created_date_time: Option<Timestamp>,
    #[serde(borrow)]
    evidence: Option<Vec<RawEvidence<'a>>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, expecting = "an evidence object")]
struct RawEvidence<'a> {
    #[serde(rename = "@odata.type", borrow)]
    odata_type: Option<Str<'a>>,
    #[serde(borrow)]
    verdict: Option<Str<'a>>,
    #[serde(borrow)]
    remediation_status: Option<Str<'a>>,
    created_date_time: Option<Timestamp>,
    #[serde(borrow)]
    roles: Option<Vec<Str<'a>>>,
    #[serde(borrow)]
    tags: Option<Vec<Str<'a>>>,
    #[serde(borrow)]
    mde_device_id: Option<Str<'a>>,
    #[serde(borrow)]
    device_dns_name: Option<Str<'a>>,
    #[serde(borrow)]
    rbac_group_name: Option<Str<'a>>,
    #[serde(borrow)]
    os_platform: Option<Str<'a>>,
    #[serde(borrow)]
    file_details: Option<RawFile<'a>>,
    #[serde(borrow)]
    image_file: Option<RawFile<'a>>,
    #[serde(borrow)]
    process_command_line: Option<Str<'a>>,
    #[serde(borrow)]
    user_account: Option<RawUser<'a>>,
    #[serde(borrow)]
    registry_key: Option<Str<'a>>,
    #[serde(borrow)]
    registry_hive: Option<Str<'a>>,
    #[serde(borrow)]
    registry_value_name: Option<Str<'a>>,
    #[serde(borrow)]
    subject: Option<Str<'a>>,
    #[serde(borrow)]
    recipient_email_address: Option<Str<'a>>,
    #[serde(borrow)]
    network_message_id: Option<Str<'a>>,
    #[serde(borrow)]
    cluster_by: Option<Str<'a>>,
    #[serde(borrow)]
    cluster_by_value: Option<Str<'a>>,
    #[serde(borrow)]
    url: Option<Str<'a>>,
    #[serde(borrow)]
    primary_address: Option<Str<'a>>,
    #[serde(borrow)]
    ip_address: Option<Str<'a>>,
    #[serde(borrow)]
    display_name: Option<Str<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, expecting = "a file details object")]
struct RawFile<'a> {
    #[serde(borrow)]
    file_name: Option<Str<'a>>,
    #[serde(borrow)]
    file_path: Option<Str<'a>>,
    #[serde(borrow)]
    sha256: Option<Str<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, expecting = "a user account object")]
struct RawUser<'a> {
    #[serde(borrow)]
    account_name: Option<Str<'a>>,
    #[serde(borrow)]
    domain_name: Option<Str<'a>>,
    #[serde(borrow)]
    user_principal_name: Option<Str<'a>>,
}

/// Reads a Graph export into `data`, every alert tagged with file index `file`.
pub fn read(data: &mut Dataset, file: u32, text: &str) -> Result<(), GraphError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // An `untagged` enum would buffer the whole document and lose error positions, so the
    // first character decides between a bare array and one object.
    let nodes = if text.trim_start().starts_with('[') {
        serde_json::from_str::<Vec<Node>>(text).map_err(GraphError::Json)?
    } else {
        vec![serde_json::from_str::<Node>(text).map_err(GraphError::Json)?]
    };
    for node in nodes {
        read_node(data, file, node, None);
    }
    Ok(())
}

fn read_node(data: &mut Dataset, file: u32, node: Node, incident: Option<&str>) {
    if let Some(list) = node.value {
        for n in list {
            read_node(data, file, n, incident);
        }
    } else if let Some(alerts) = node.alerts {
        let id = node.id.as_deref().map(str::to_owned);
        for a in alerts {
            read_node(data, file, a, id.as_deref());
        }
    } else {
        read_alert(data, file, node, incident);
    }
}

fn owned(s: Option<Str>) -> Option<String> {
    s.map(Cow::into_owned).filter(|s| !s.is_empty())
}

fn read_alert(data: &mut Dataset, file: u32, node: Node, incident: Option<&str>) {
    let alert = Alert {
        id: node.id.map(Cow::into_owned).unwrap_or_else(|| format!("(no id #{})", data.alerts.len() + 1)),
        title: owned(node.title).or(owned(node.display_name)),
        incident_id: owned(node.incident_id).or(incident.map(str::to_owned)),
        investigation_id: None,
        investigation_state: None,
        classification: owned(node.classification),
        created: node.created_date_time,
        machine_id: None,
        rbac_group_name: None,
        file,
    };
    let Some(alert_idx) = data.add_alert(alert) else { return };
    for (index, raw) in node.evidence.unwrap_or_default().into_iter().enumerate() {
        let evidence = read_evidence(data, alert_idx, u32::try_from(index).unwrap_or(u32::MAX), raw);
        data.push_evidence(evidence);
    }
}

fn kind_of(odata_type: &str) -> EntityKind {
    let short = odata_type.rsplit('.').next().unwrap_or(odata_type);
    match short {
        "fileEvidence" | "fileHashEvidence" => EntityKind::File,
        "processEvidence" => EntityKind::Process,
        "registryKeyEvidence" => EntityKind::RegistryKey,
        "registryValueEvidence" => EntityKind::RegistryValue,
        "deviceEvidence" => EntityKind::Device,
        "userEvidence" => EntityKind::User,
        "mailboxEvidence" | "mailboxConfigurationEvidence" => EntityKind::Mailbox,
        "analyzedMessageEvidence" => EntityKind::EmailMessage,
        "mailClusterEvidence" => EntityKind::MailCluster,
        "urlEvidence" => EntityKind::Url,
        "ipEvidence" => EntityKind::Ip,
        "cloudApplicationEvidence" | "oauthApplicationEvidence" => EntityKind::CloudApplication,
        other => EntityKind::Other(other.to_owned()),
    }
}

fn read_evidence(data: &mut Dataset, alert: u32, index: u32, raw: RawEvidence) -> Evidence {
    let kind = raw.odata_type.as_deref().map_or(EntityKind::Other("evidence".to_owned()), kind_of);
    let verdict = raw.verdict.as_deref().map_or(Verdict::Unknown, Verdict::from_graph);
    let mut e = Evidence::new(alert, index, kind, verdict);
    e.remediation_status = raw.remediation_status.as_deref().map(RemediationStatus::from_graph);
    e.created = raw.created_date_time;
    e.compromised = raw.roles.as_ref().is_some_and(|r| r.iter().any(|role| role.eq_ignore_ascii_case("compromised")));
    e.mde_device_id = owned(raw.mde_device_id);
    let file = raw.file_details.or(raw.image_file);
    if let Some(f) = file {
        e.folder = owned(f.file_path);
        e.file_name = owned(f.file_name);
        e.sha256 = owned(f.sha256);
    }
    e.entity = match &e.kind {
        EntityKind::File => e.file_name.clone().unwrap_or_default(),
        EntityKind::Process => e.file_name.clone().or(owned(raw.process_command_line)).unwrap_or_default(),
        EntityKind::RegistryKey | EntityKind::RegistryValue => {
            let key = [raw.registry_hive.as_deref(), raw.registry_key.as_deref(), raw.registry_value_name.as_deref()];
            key.iter().flatten().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("\\")
        }
        EntityKind::Device => raw.device_dns_name.as_deref().or(e.mde_device_id.as_deref()).unwrap_or_default().to_owned(),
        EntityKind::User => raw.user_account.as_ref().map(user_name).unwrap_or_default(),
        EntityKind::Mailbox => owned(raw.primary_address).or(owned(raw.display_name)).unwrap_or_default(),
        EntityKind::EmailMessage => match (owned(raw.subject), owned(raw.recipient_email_address)) {
            (Some(s), Some(r)) => format!("{s} ({r})"),
            (s, r) => s.or(r).or(owned(raw.network_message_id)).unwrap_or_default(),
        },
        EntityKind::MailCluster => {
            let by = owned(raw.cluster_by);
            let value = owned(raw.cluster_by_value);
            e.cluster_key = Some(format!("{}:{}", by.as_deref().unwrap_or(""), value.as_deref().unwrap_or("")));
            match (by, value) {
                (Some(by), Some(v)) => format!("{by}: {v}"),
                (by, v) => v.or(by).unwrap_or_default(),
            }
        }
        EntityKind::Url => owned(raw.url).unwrap_or_default(),
        EntityKind::Ip => owned(raw.ip_address).unwrap_or_default(),
        EntityKind::Other(name) => name.clone(),
        _ => owned(raw.display_name).unwrap_or_default(),
    };
    if e.kind == EntityKind::Device {
        if let Some(id) = e.mde_device_id.clone() {
            let device = Device {
                mde_device_id: id,
                dns_name: owned(raw.device_dns_name),
                rbac_group_name: owned(raw.rbac_group_name),
                os_platform: owned(raw.os_platform),
                tags: raw.tags.unwrap_or_default().into_iter().map(Cow::into_owned).collect(),
            };
            let d = data.upsert_device(device);
            data.link_alert_device(alert, d);
        }
    }
    e
}

fn user_name(u: &RawUser) -> String {
    if let Some(upn) = u.user_principal_name.as_deref().filter(|s| !s.is_empty()) {
        return upn.to_owned();
    }
    match (u.domain_name.as_deref(), u.account_name.as_deref()) {
        (Some(d), Some(a)) if !d.is_empty() => format!("{d}\\{a}"),
        (_, Some(a)) => a.to_owned(),
        _ => String::new(),
    }
}
