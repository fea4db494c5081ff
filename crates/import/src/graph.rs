//! Microsoft Graph security API exports: `GET /security/alerts_v2` list responses (one file
//! per page), `GET /security/incidents?$expand=alerts`, a bare array of alerts, or one alert.
//!
//! The reader streams: serde visits each alert and each evidence item once and writes it
//! straight into the dataset, interning repeated strings as it goes. No tree of the document
//! is built, fields airview does not use are skipped unparsed, and strings already seen cost
//! no allocation. That keeps the import close to the speed of a bare parse of the same bytes.
//! Enumerations are read as text so that `unknownFutureValue` and values newer than airview
//! are kept and shown, not refused.

use crate::progress::{address, Meter, Progress};
use airview_engine::intern::Sym;
use airview_engine::model::{
    Alert, Dataset, Device, EntityKind, Evidence, RemediationStatus, Verdict,
};
use airview_engine::Timestamp;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// Reads a Graph export into `data`, every alert tagged with file index `file`. On error
/// `data` may hold part of the file: the caller rolls back (see `crate::load`).
pub fn read(data: &mut Dataset, file: u32, text: &str) -> Result<(), serde_json::Error> {
    read_with_progress(data, file, text, &mut |_| {})
}

/// `read`, telling `progress` how far it has got as it finishes alerts (see
/// `crate::progress`).
pub(crate) fn read_with_progress(
    data: &mut Dataset,
    file: u32,
    text: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), serde_json::Error> {
    let mut meter = Meter::new(text, progress);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut de = serde_json::Deserializer::from_str(text);
    Top {
        data,
        file,
        meter: &mut meter,
    }
    .deserialize(&mut de)?;
    de.end()
}

/// The whole document: one object, or a bare array of objects.
struct Top<'a, 'm> {
    data: &'a mut Dataset,
    file: u32,
    meter: &'a mut Meter<'m>,
}

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an alert, an incident, a list response or an array of alerts")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        Nodes {
            data: self.data,
            file: self.file,
            meter: self.meter,
        }
        .visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        Node {
            data: self.data,
            file: self.file,
            meter: self.meter,
        }
        .visit_map(map)
    }
}

/// An array of nodes (`value` of a list response, `alerts` of an incident).
struct Nodes<'a, 'm> {
    data: &'a mut Dataset,
    file: u32,
    meter: &'a mut Meter<'m>,
}

impl<'de> DeserializeSeed<'de> for Nodes<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Nodes<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of alerts or incidents")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Node {
                data: &mut *self.data,
                file: self.file,
                meter: &mut *self.meter,
            })?
            .is_some()
        {}
        Ok(())
    }
}

/// An object at any level: a list response (`value`), an incident (`alerts`) or an alert
/// (`evidence`). One visitor for all three reads any of them without knowing in advance
/// which it is.
struct Node<'a, 'm> {
    data: &'a mut Dataset,
    file: u32,
    meter: &'a mut Meter<'m>,
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

enum NodeField {
    Value,
    Alerts,
    Evidence,
    Id,
    Title,
    DisplayName,
    IncidentId,
    Classification,
    Created,
    Other,
}

fn node_field(key: &str) -> NodeField {
    match key {
        "value" => NodeField::Value,
        "alerts" => NodeField::Alerts,
        "evidence" => NodeField::Evidence,
        "id" => NodeField::Id,
        "title" => NodeField::Title,
        "displayName" => NodeField::DisplayName,
        "incidentId" => NodeField::IncidentId,
        "classification" => NodeField::Classification,
        "createdDateTime" => NodeField::Created,
        _ => NodeField::Other,
    }
}

impl<'de> Visitor<'de> for Node<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an alert, an incident or a list response (an object)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let data = self.data;
        let meter = self.meter;
        let alerts_start = data.alerts.len();
        let (mut is_list, mut is_incident, mut had_evidence) = (false, false, false);
        let mut alert = Alert {
            file: self.file,
            ..Alert::default()
        };
        let mut id = None;
        // Evidence goes straight into the dataset and gets its alert index at the end of the
        // object, when the alert's id is known (it may come after `evidence`).
        let evidence_start = data.evidence.len();
        let mut devices = Vec::new();
        // Where the object's last key without escapes starts: how far the reader has got.
        let mut reached = None;
        while let Some((field, at)) = map.next_key_seed(PlacedKey(node_field))? {
            reached = at.or(reached);
            match field {
                NodeField::Value => {
                    is_list = true;
                    map.next_value_seed(Nodes {
                        data: &mut *data,
                        file: self.file,
                        meter: &mut *meter,
                    })?;
                }
                NodeField::Alerts => {
                    is_incident = true;
                    map.next_value_seed(Nodes {
                        data: &mut *data,
                        file: self.file,
                        meter: &mut *meter,
                    })?;
                }
                NodeField::Evidence => {
                    had_evidence = true;
                    map.next_value_seed(EvidenceList {
                        data: &mut *data,
                        devices: &mut devices,
                    })?
                }
                NodeField::Id => id = map.next_value::<Option<Text>>()?.map(|t| t.0.into_owned()),
                NodeField::Title => alert.title = non_empty(map.next_value::<Option<Text>>()?),
                NodeField::DisplayName => {
                    alert.title = alert
                        .title
                        .take()
                        .or(non_empty(map.next_value::<Option<Text>>()?))
                }
                NodeField::IncidentId => {
                    alert.incident_id = non_empty(map.next_value::<Option<Text>>()?)
                }
                NodeField::Classification => {
                    alert.classification = non_empty(map.next_value::<Option<Text>>()?)
                }
                NodeField::Created => alert.created = map.next_value::<Option<Timestamp>>()?,
                NodeField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if had_evidence && (is_list || is_incident) {
            // A list or an incident is not an alert: evidence it carries itself belongs to no
            // alert, and is dropped rather than left pointing nowhere (found by fuzzing).
            drop_orphans(data, evidence_start);
        }
        if is_incident {
            // The incident's id may come after its `alerts` in the object.
            if let Some(id) = &id {
                for a in data.alerts.iter_mut().skip(alerts_start) {
                    a.incident_id.get_or_insert_with(|| id.clone());
                }
            }
        } else if !is_list {
            // An object with neither an id nor evidence is no alert at all (a policy file, a
            // settings export): say so rather than load an empty alert in silence.
            if id.is_none() && !had_evidence {
                return Err(de::Error::custom(
                    "this object is not an alert, an incident or a list response: it has no `id`, `evidence`, `alerts` or `value`",
                ));
            }
            alert.id =
                id.unwrap_or_else(|| format!("(alert without id #{})", data.alerts.len() + 1));
            match data.add_alert(alert) {
                Some(idx) => {
                    for d in devices {
                        data.link_alert_device(idx, d);
                    }
                    for e in data.evidence.iter_mut().skip(evidence_start) {
                        e.alert = idx;
                    }
                    meter.evidence += data.evidence.len().saturating_sub(evidence_start);
                }
                // A repeat of an alert loaded already: its evidence is loaded already too.
                None => data.evidence.truncate(evidence_start),
            }
        }
        if let Some(at) = reached {
            meter.at_address(at);
        }
        Ok(())
    }
}

/// Removes the evidence read since `start` that no alert claimed (its alert is still the
/// placeholder `u32::MAX`).
pub(crate) fn drop_orphans(data: &mut Dataset, start: usize) {
    if data
        .evidence
        .iter()
        .skip(start)
        .any(|e| e.alert == u32::MAX)
    {
        let tail = data.evidence.split_off(start.min(data.evidence.len()));
        data.evidence
            .extend(tail.into_iter().filter(|e| e.alert != u32::MAX));
    }
}

/// Reads a key into a field enum without allocating.
struct Key<F>(fn(&str) -> F);

impl<'de, F> DeserializeSeed<'de> for Key<F> {
    type Value = F;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<F, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, F> Visitor<'de> for Key<F> {
    type Value = F;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<F, E> {
        Ok((self.0)(v))
    }
}

/// Reads a key into a field enum without allocating, with the address it starts at when it is
/// a slice of the text (it has no escapes): where the reader is (see `crate::progress`).
struct PlacedKey<F>(fn(&str) -> F);

impl<'de, F> DeserializeSeed<'de> for PlacedKey<F> {
    type Value = (F, Option<usize>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, F> Visitor<'de> for PlacedKey<F> {
    type Value = (F, Option<usize>);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(((self.0)(v), Some(address(v))))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(((self.0)(v), None))
    }
}

/// A string that borrows from the input when it has no escapes.
pub(crate) struct Text<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

pub(crate) fn non_empty(t: Option<Text>) -> Option<String> {
    t.map(|t| t.0.into_owned()).filter(|s| !s.is_empty())
}

/// A string interned on the way in; `null` and `""` are absent.
struct Interned<'a>(&'a mut Dataset);

impl<'de> DeserializeSeed<'de> for Interned<'_> {
    type Value = Option<Sym>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Sym>, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Interned<'_> {
    type Value = Option<Sym>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<Sym>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<Sym>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<Sym>, D::Error> {
        d.deserialize_str(self)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<Sym>, E> {
        Ok(self.0.strings.intern_opt(v))
    }
}

/// `roles`: only whether it holds `compromised` matters.
struct RolesVisitor;

impl<'de> Visitor<'de> for RolesVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of roles")
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(role) = seq.next_element::<Option<Text>>()? {
            found |= role.is_some_and(|r| r.0.eq_ignore_ascii_case("compromised"));
        }
        Ok(found)
    }
}

struct Roles;

impl<'de> DeserializeSeed<'de> for Roles {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(RolesVisitor)
    }
}

/// An alert's `evidence` array: each item is converted as it is read.
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
        while let Some(e) = seq.next_element_seed(OneEvidence {
            data: &mut *self.data,
            index,
            devices: &mut *self.devices,
        })? {
            self.data.push_evidence(e);
            index = index.saturating_add(1);
        }
        Ok(())
    }
}

struct OneEvidence<'a> {
    data: &'a mut Dataset,
    index: u32,
    devices: &'a mut Vec<u32>,
}

impl<'de> DeserializeSeed<'de> for OneEvidence<'_> {
    type Value = Evidence;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Evidence, D::Error> {
        d.deserialize_map(self)
    }
}

/// The evidence fields airview reads; the rest are skipped.
enum EvField {
    Type,
    Verdict,
    Remediation,
    Created,
    Roles,
    Tags,
    DeviceId,
    DnsName,
    RbacGroup,
    OsPlatform,
    FileDetails,
    ImageFile,
    CommandLine,
    UserAccount,
    RegistryKey,
    RegistryHive,
    RegistryValueName,
    Subject,
    Recipient,
    NetworkMessageId,
    ClusterBy,
    ClusterByValue,
    Url,
    PrimaryAddress,
    IpAddress,
    DisplayName,
    Other,
}

fn ev_field(key: &str) -> EvField {
    match key {
        "@odata.type" => EvField::Type,
        "verdict" => EvField::Verdict,
        "remediationStatus" => EvField::Remediation,
        "createdDateTime" => EvField::Created,
        "roles" => EvField::Roles,
        "tags" => EvField::Tags,
        "mdeDeviceId" => EvField::DeviceId,
        "deviceDnsName" => EvField::DnsName,
        "rbacGroupName" => EvField::RbacGroup,
        "osPlatform" => EvField::OsPlatform,
        "fileDetails" => EvField::FileDetails,
        "imageFile" => EvField::ImageFile,
        "processCommandLine" => EvField::CommandLine,
        "userAccount" => EvField::UserAccount,
        "registryKey" => EvField::RegistryKey,
        "registryHive" => EvField::RegistryHive,
        "registryValueName" => EvField::RegistryValueName,
        "subject" => EvField::Subject,
        "recipientEmailAddress" => EvField::Recipient,
        "networkMessageId" => EvField::NetworkMessageId,
        "clusterBy" => EvField::ClusterBy,
        "clusterByValue" => EvField::ClusterByValue,
        "url" => EvField::Url,
        "primaryAddress" => EvField::PrimaryAddress,
        "ipAddress" => EvField::IpAddress,
        "displayName" => EvField::DisplayName,
        _ => EvField::Other,
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, expecting = "a user account object")]
struct RawUser<'a> {
    #[serde(borrow)]
    account_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    domain_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    user_principal_name: Option<Cow<'a, str>>,
}

/// `fileDetails` or `imageFile`: folder, name and SHA-256, interned.
struct FileDetails<'a>(&'a mut Dataset);

#[derive(Default)]
struct FileSyms {
    folder: Option<Sym>,
    name: Option<Sym>,
    sha256: Option<Sym>,
}

impl<'de> DeserializeSeed<'de> for FileDetails<'_> {
    type Value = FileSyms;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<FileSyms, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FileDetails<'_> {
    type Value = FileSyms;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a file details object")
    }
    fn visit_unit<E: de::Error>(self) -> Result<FileSyms, E> {
        Ok(FileSyms::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FileSyms, A::Error> {
        let mut out = FileSyms::default();
        while let Some(k) = map.next_key_seed(Key(|k| match k {
            "filePath" => 1u8,
            "fileName" => 2,
            "sha256" => 3,
            _ => 0,
        }))? {
            match k {
                1 => out.folder = map.next_value_seed(Interned(&mut *self.0))?,
                2 => out.name = map.next_value_seed(Interned(&mut *self.0))?,
                3 => out.sha256 = map.next_value_seed(Interned(&mut *self.0))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
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

impl<'de> Visitor<'de> for OneEvidence<'_> {
    type Value = Evidence;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an evidence object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Evidence, A::Error> {
        let data = self.data;
        // `Ip` is only a placeholder until `@odata.type` is read; an `Other` would allocate.
        let mut e = Evidence::new(u32::MAX, self.index, EntityKind::Ip, Verdict::Unknown);
        let mut typed = false;
        let mut file = FileSyms::default();
        let mut tags: Vec<String> = Vec::new();
        let mut user: Option<(Option<String>, Option<String>, Option<String>)> = None;
        // Text fields that only some kinds use, kept borrowed until the kind is known.
        let mut t: [Option<Cow<'de, str>>; 15] = Default::default();
        const DNS: usize = 0;
        const RBAC: usize = 1;
        const OS: usize = 2;
        const CMD: usize = 3;
        const KEY: usize = 4;
        const HIVE: usize = 5;
        const VALUE_NAME: usize = 6;
        const SUBJECT: usize = 7;
        const RECIPIENT: usize = 8;
        const MESSAGE_ID: usize = 9;
        const CLUSTER_BY: usize = 10;
        const CLUSTER_VALUE: usize = 11;
        const URL: usize = 12;
        const ADDRESS_OR_IP: usize = 13;
        const DISPLAY: usize = 14;
        while let Some(field) = map.next_key_seed(Key(ev_field))? {
            let slot = match field {
                EvField::Type => {
                    typed = true;
                    e.kind = map
                        .next_value::<Option<Text>>()?
                        .map_or(EntityKind::Other("evidence".to_owned()), |t| kind_of(&t.0));
                    continue;
                }
                EvField::Verdict => {
                    e.verdict = map
                        .next_value::<Option<Text>>()?
                        .map_or(Verdict::Unknown, |t| Verdict::from_graph(&t.0));
                    continue;
                }
                EvField::Remediation => {
                    e.remediation_status = map
                        .next_value::<Option<Text>>()?
                        .map(|t| RemediationStatus::from_graph(&t.0));
                    continue;
                }
                EvField::Created => {
                    e.created = map.next_value::<Option<Timestamp>>()?;
                    continue;
                }
                EvField::Roles => {
                    e.compromised = map.next_value_seed(Roles)?;
                    continue;
                }
                EvField::Tags => {
                    tags = map
                        .next_value::<Option<Vec<Option<String>>>>()?
                        .unwrap_or_default()
                        .into_iter()
                        .flatten()
                        .collect();
                    continue;
                }
                EvField::DeviceId => {
                    e.mde_device_id = map.next_value_seed(Interned(&mut *data))?;
                    continue;
                }
                EvField::FileDetails | EvField::ImageFile => {
                    let f = map.next_value_seed(FileDetails(&mut *data))?;
                    // `fileDetails` wins over `imageFile` when an item carries both.
                    if matches!(field, EvField::FileDetails) || file.name.is_none() {
                        file = f;
                    }
                    continue;
                }
                EvField::UserAccount => {
                    let u = map.next_value::<Option<RawUser>>()?.unwrap_or_default();
                    user = Some((
                        u.account_name.map(Cow::into_owned),
                        u.domain_name.map(Cow::into_owned),
                        u.user_principal_name.map(Cow::into_owned),
                    ));
                    continue;
                }
                EvField::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
                EvField::DnsName => DNS,
                EvField::RbacGroup => RBAC,
                EvField::OsPlatform => OS,
                EvField::CommandLine => CMD,
                EvField::RegistryKey => KEY,
                EvField::RegistryHive => HIVE,
                EvField::RegistryValueName => VALUE_NAME,
                EvField::Subject => SUBJECT,
                EvField::Recipient => RECIPIENT,
                EvField::NetworkMessageId => MESSAGE_ID,
                EvField::ClusterBy => CLUSTER_BY,
                EvField::ClusterByValue => CLUSTER_VALUE,
                EvField::Url => URL,
                EvField::PrimaryAddress | EvField::IpAddress => ADDRESS_OR_IP,
                EvField::DisplayName => DISPLAY,
            };
            if let Some(slot) = t.get_mut(slot) {
                *slot = map
                    .next_value::<Option<Text>>()?
                    .map(|t| t.0)
                    .filter(|s| !s.is_empty());
            }
        }
        if !typed {
            e.kind = EntityKind::Other("evidence".to_owned());
        }
        e.folder = file.folder;
        e.file_name = file.name;
        e.sha256 = file.sha256;
        let text = |i: usize| t.get(i).and_then(|s| s.as_deref());
        let entity: Option<String> = match &e.kind {
            EntityKind::File => None,
            EntityKind::Process => e
                .file_name
                .is_none()
                .then(|| text(CMD).map(str::to_owned))
                .flatten(),
            EntityKind::RegistryKey | EntityKind::RegistryValue => {
                let parts: Vec<&str> = [text(HIVE), text(KEY), text(VALUE_NAME)]
                    .into_iter()
                    .flatten()
                    .collect();
                Some(parts.join("\\"))
            }
            EntityKind::Device => text(DNS).map(str::to_owned),
            EntityKind::User => {
                user.as_ref()
                    .map(|(account, domain, upn)| match (upn, domain, account) {
                        (Some(upn), _, _) if !upn.is_empty() => upn.clone(),
                        (_, Some(d), Some(a)) if !d.is_empty() => format!("{d}\\{a}"),
                        (_, _, Some(a)) => a.clone(),
                        _ => String::new(),
                    })
            }
            EntityKind::Mailbox => text(ADDRESS_OR_IP).or(text(DISPLAY)).map(str::to_owned),
            EntityKind::EmailMessage => match (text(SUBJECT), text(RECIPIENT)) {
                (Some(s), Some(r)) => Some(format!("{s} ({r})")),
                (s, r) => s.or(r).or(text(MESSAGE_ID)).map(str::to_owned),
            },
            EntityKind::MailCluster => {
                let (by, value) = (text(CLUSTER_BY), text(CLUSTER_VALUE));
                e.cluster_key =
                    Some(data.intern(&format!("{}:{}", by.unwrap_or(""), value.unwrap_or(""))));
                match (by, value) {
                    (Some(by), Some(v)) => Some(format!("{by}: {v}")),
                    (by, v) => v.or(by).map(str::to_owned),
                }
            }
            EntityKind::Url => text(URL).map(str::to_owned),
            EntityKind::Ip => text(ADDRESS_OR_IP).map(str::to_owned),
            EntityKind::Other(name) => Some(text(DISPLAY).unwrap_or(name).to_owned()),
            _ => text(DISPLAY).map(str::to_owned),
        };
        e.entity = match entity {
            Some(s) => data.strings.intern_opt(&s),
            // A file's entity is its name: share the symbol rather than intern it again.
            None => e.file_name,
        };
        if e.kind == EntityKind::Device {
            if e.entity.is_none() {
                e.entity = e.mde_device_id;
            }
            if let Some(id) = e.mde_device_id {
                // Most device evidence describes a device seen before: skip building it.
                let known = data.device_by_sym(id).filter(|&d| {
                    data.device(d)
                        .is_some_and(|k| k.dns_name.is_some() && k.rbac_group_name.is_some())
                });
                let d = match known {
                    Some(d) => d,
                    None => data.upsert_device(Device {
                        mde_device_id: data.text(id).to_owned(),
                        dns_name: text(DNS).map(str::to_owned),
                        rbac_group_name: text(RBAC).map(str::to_owned),
                        os_platform: text(OS).map(str::to_owned),
                        tags,
                    }),
                };
                if !self.devices.contains(&d) {
                    self.devices.push(d);
                }
            }
        }
        Ok(e)
    }
}
