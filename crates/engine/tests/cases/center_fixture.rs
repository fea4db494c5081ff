//! A small hand-built dataset for the action center's cases and property tests.
//!
//! Under `policy(Full)` (group `G` at `full`, every other device at `semi_all_folders`):
//!
//! | id | evidence | action | start |
//! |---|---|---|---|
//! | `a1/0` | device `pc-1` | none | |
//! | `a1/1` | malicious file, SHA-256 `AAA` on `pc-1` | quarantine_file | completed |
//! | `a1/2` | suspicious process on `pc-1` | kill_process | pending |
//! | `a1/3` | suspicious file `BBB` on `pc-1` | quarantine_file | pending |
//! | `a1/4` | suspicious process on `pc-1` | kill_process | pending |
//! | `a2/0` | device `pc-2` | none | |
//! | `a2/1` | malicious file `aaa` (same file, other case) on `pc-2` | quarantine_file | completed |
//! | `a2/2` | malicious registry key on `pc-2` | remove_registry_key | completed |
//! | `a2/3` | malicious service, export reports `failed` | stop_service | failed |
//! | `a2/4` | suspicious file `AAA` on `pc-2` | quarantine_file | pending |
//! | `a3/0` | mail cluster `K1` | soft_delete_email_cluster | pending |
//! | `a3/1` | email message | soft_delete_email | pending |
//! | `a3/2` | mailbox `bob@contoso.com` | turn_off_external_mail_forwarding | pending |
//! | `a4/0` | mail cluster `K1` | soft_delete_email_cluster | pending |
//! | `a4/1` | mail cluster `K2` | soft_delete_email_cluster | pending |
//! | `a4/2` | compromised user `eve@contoso.com` | disable_user | completed |
//! | `a5/0` | file, no threats found | none | |
//! | `a7/0` | malicious file on `pc-1` | quarantine_file | completed |
//! | `a8/0` | malicious driver, export reports `failed` | disable_driver | failed |
//!
//! Alert `a6` is an investigation the export reports as Running, with no evidence.
//! Every evidence is created at `T0` (2024-03-01T00:00:00Z).
#![allow(
    dead_code,
    reason = "shared by the cases and the property tests, which each use part of it"
)]

use airview_engine::model::{
    Alert, Dataset, Device, EntityKind, Evidence, RemediationStatus, Verdict,
};
use airview_engine::rules::policy::{DeviceGroup, Policy};
use airview_engine::time::MINUTE_MS;
use airview_engine::{Actor, AutomationLevel, Center, Entry, Event, Role, Timestamp};

pub const T0: Timestamp = Timestamp(1_709_251_200_000);

#[derive(Clone)]
struct Spec {
    kind: EntityKind,
    verdict: Verdict,
    device: Option<&'static str>,
    folder: Option<&'static str>,
    sha256: Option<&'static str>,
    entity: &'static str,
    cluster: Option<&'static str>,
    reported: Option<RemediationStatus>,
    compromised: bool,
}

fn spec(kind: EntityKind, verdict: Verdict, entity: &'static str) -> Spec {
    Spec {
        kind,
        verdict,
        device: None,
        folder: None,
        sha256: None,
        entity,
        cluster: None,
        reported: None,
        compromised: false,
    }
}

fn on(device: &'static str, s: Spec) -> Spec {
    Spec {
        device: Some(device),
        folder: Some(r"C:\Users\alice\Documents"),
        ..s
    }
}

fn file(device: &'static str, verdict: Verdict, sha: &'static str) -> Spec {
    Spec {
        sha256: Some(sha),
        ..on(device, spec(EntityKind::File, verdict, "evil.exe"))
    }
}

fn cluster(verdict: Verdict, key: &'static str) -> Spec {
    Spec {
        cluster: Some(key),
        ..spec(EntityKind::MailCluster, verdict, key)
    }
}

fn device(id: &'static str) -> Spec {
    Spec {
        device: Some(id),
        ..spec(EntityKind::Device, Verdict::Malicious, id)
    }
}

/// The dataset of the table above.
pub fn dataset() -> Dataset {
    use Verdict::{Malicious, NoThreatsFound, Suspicious};
    let failed = Some(RemediationStatus::Failed);
    let alerts: Vec<(&str, Option<&str>, Vec<Spec>)> = vec![
        (
            "a1",
            None,
            vec![
                device("dev1"),
                file("dev1", Malicious, "AAA"),
                on("dev1", spec(EntityKind::Process, Suspicious, "evil.exe")),
                file("dev1", Suspicious, "BBB"),
                on("dev1", spec(EntityKind::Process, Suspicious, "other.exe")),
            ],
        ),
        (
            "a2",
            None,
            vec![
                device("dev2"),
                file("dev2", Malicious, "aaa"),
                on(
                    "dev2",
                    spec(EntityKind::RegistryKey, Malicious, r"HKLM\Run\evil"),
                ),
                Spec {
                    reported: failed.clone(),
                    ..on("dev2", spec(EntityKind::Service, Malicious, "evilsvc"))
                },
                file("dev2", Suspicious, "AAA"),
            ],
        ),
        (
            "a3",
            None,
            vec![
                cluster(Malicious, "K1"),
                spec(EntityKind::EmailMessage, Malicious, "Invoice due"),
                spec(EntityKind::Mailbox, Suspicious, "bob@contoso.com"),
            ],
        ),
        (
            "a4",
            None,
            vec![
                cluster(Suspicious, "K1"),
                cluster(Malicious, "K2"),
                Spec {
                    compromised: true,
                    ..spec(EntityKind::User, Malicious, "eve@contoso.com")
                },
            ],
        ),
        ("a5", None, vec![file("dev1", NoThreatsFound, "CCC")]),
        ("a6", Some("Running"), vec![]),
        ("a7", None, vec![file("dev1", Malicious, "DDD")]),
        (
            "a8",
            None,
            vec![Spec {
                reported: failed,
                ..on("dev1", spec(EntityKind::Driver, Malicious, "evil.sys"))
            }],
        ),
    ];
    let mut data = Dataset::new();
    for (id, host) in [("dev1", "pc-1.contoso.com"), ("dev2", "pc-2.contoso.com")] {
        data.upsert_device(Device {
            mde_device_id: id.into(),
            dns_name: Some(host.into()),
            rbac_group_name: Some("G".into()),
            ..Device::default()
        });
    }
    for (id, state, evidence) in alerts {
        let alert = data
            .add_alert(Alert {
                id: id.into(),
                investigation_id: Some(format!("inv-{}", &id[1..])),
                investigation_state: state.map(str::to_owned),
                ..Alert::default()
            })
            .unwrap();
        for (index, s) in evidence.into_iter().enumerate() {
            let mut e = Evidence::new(alert, index as u32, s.kind, s.verdict);
            e.created = Some(T0);
            e.compromised = s.compromised;
            e.remediation_status = s.reported;
            e.mde_device_id = s.device.map(|d| data.intern(d));
            e.folder = s.folder.map(|f| data.intern(f));
            e.file_name = s.folder.map(|_| data.intern(s.entity));
            e.sha256 = s.sha256.map(|h| data.intern(h));
            e.entity = Some(data.intern(s.entity));
            e.cluster_key = s.cluster.map(|k| data.intern(k));
            data.push_evidence(e);
        }
    }
    data
}

/// Group `G` at `level`, every other device at `semi_all_folders`.
pub fn policy(level: AutomationLevel) -> Policy {
    Policy::with_groups(
        AutomationLevel::SemiAllFolders,
        vec![DeviceGroup {
            name: "G".into(),
            rank: 1,
            level,
            rules: None,
        }],
    )
}

/// The center over the fixture under `policy(Full)`, read at `T0`.
pub fn center() -> Center {
    Center::new(dataset(), policy(AutomationLevel::Full), T0)
}

/// `T0` plus some minutes.
pub fn at(minutes: i64) -> Timestamp {
    Timestamp(T0.0 + minutes * MINUTE_MS)
}

pub fn actor(name: &str, roles: &[Role]) -> Actor {
    Actor::new(name, roles)
}

/// A Security Administrator.
pub fn admin() -> Actor {
    actor("alice", &[Role::SecurityAdministrator])
}

/// A Security Administrator with Search and Purge: may do everything.
pub fn mail_admin() -> Actor {
    actor(
        "morgan",
        &[Role::SecurityAdministrator, Role::SearchAndPurge],
    )
}

pub fn reader() -> Actor {
    actor("rex", &[Role::SecurityReader])
}

pub fn entry(minutes: i64, actor: Actor, event: Event) -> Entry {
    Entry {
        at: at(minutes),
        actor,
        event,
        comment: None,
    }
}

pub fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

pub fn approve(list: &[&str]) -> Event {
    Event::Approve { ids: ids(list) }
}

pub fn reject(list: &[&str]) -> Event {
    Event::Reject { ids: ids(list) }
}

pub fn undo(list: &[&str], all_instances: bool) -> Event {
    Event::Undo {
        ids: ids(list),
        all_instances,
    }
}

/// Every action id of the fixture under `policy(Full)`.
pub const ACTION_IDS: &[&str] = &[
    "a1/1", "a1/2", "a1/3", "a1/4", "a2/1", "a2/2", "a2/3", "a2/4", "a3/0", "a3/1", "a3/2", "a4/0",
    "a4/1", "a4/2", "a7/0", "a8/0",
];
