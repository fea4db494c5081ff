//! One evidence item of a Graph alert, read as it comes: its kind from `@odata.type`, its
//! verdict and remediation status as Graph gives them, the fields its kind uses to name its
//! entity, and, for device evidence, the device it describes.

use crate::json::evidence::{
    mail_cluster, message_name, registry_path, AlertDevices, ReadEvidence, NO_ALERT,
};
use crate::json::fields::{text_as, timestamp, Interned, Key, Text};
use airview_engine::intern::Sym;
use airview_engine::model::{Dataset, Device, EntityKind, Evidence, RemediationStatus, Verdict};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// Graph's reader of evidence items (see `crate::json::evidence`).
pub(super) struct GraphEvidence;

impl ReadEvidence for GraphEvidence {
    #[inline]
    fn next<'de, A: SeqAccess<'de>>(
        seq: &mut A,
        data: &mut Dataset,
        devices: &mut AlertDevices,
        index: u32,
    ) -> Result<Option<Evidence>, A::Error> {
        seq.next_element_seed(OneEvidence {
            data,
            index,
            devices,
        })
    }
}

/// One item of the array: an evidence object.
struct OneEvidence<'a> {
    data: &'a mut Dataset,
    index: u32,
    devices: &'a mut AlertDevices,
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
        let mut e = Evidence::new(NO_ALERT, self.index, EntityKind::Ip, Verdict::Unknown);
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
                    e.kind = text_as(&mut map, kind_of)?
                        .unwrap_or_else(|| EntityKind::Other("evidence".to_owned()));
                    continue;
                }
                EvField::Verdict => {
                    e.verdict = text_as(&mut map, Verdict::from_graph)?.unwrap_or(Verdict::Unknown);
                    continue;
                }
                EvField::Remediation => {
                    e.remediation_status = text_as(&mut map, RemediationStatus::from_graph)?;
                    continue;
                }
                EvField::Created => {
                    e.created = timestamp(&mut map)?;
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
                Some(registry_path(text(HIVE), text(KEY), text(VALUE_NAME)))
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
            EntityKind::EmailMessage => {
                message_name(text(SUBJECT), text(RECIPIENT), text(MESSAGE_ID))
            }
            EntityKind::MailCluster => {
                let (key, name) = mail_cluster(data, text(CLUSTER_BY), text(CLUSTER_VALUE));
                e.cluster_key = Some(key);
                name
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
                self.devices.add(d);
            }
        }
        Ok(e)
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
