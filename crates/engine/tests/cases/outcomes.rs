//! Every row of the outcome table and every folder example of docs/domain.md, "Outcome of one piece of evidence", as data.
//! These run natively and, through `crates/wasm-tests`, as WebAssembly.

use airview_engine::model::{Alert, Dataset, Device, DeviceLink, EntityKind, Evidence, Verdict};
use airview_engine::rules::decide::decide;
use airview_engine::rules::policy::{DeviceGroup, GroupRef, Policy};
use airview_engine::{AutomationLevel, Outcome};
use AutomationLevel::*;
use Outcome::*;

/// One device `dev` in rbac group `G`, one alert holding its device evidence and `evidence`.
fn dataset(spec: Spec) -> Dataset {
    let mut data = Dataset::new();
    let alert = data
        .add_alert(Alert {
            id: "a1".into(),
            ..Alert::default()
        })
        .unwrap();
    let d = data.upsert_device(Device {
        mde_device_id: "dev".into(),
        dns_name: Some("pc-1.contoso.com".into()),
        rbac_group_name: Some("G".into()),
        ..Device::default()
    });
    data.link_alert_device(alert, d);
    let evidence = spec.build(&mut data);
    data.push_evidence(evidence);
    data
}

/// Evidence described with plain strings; `build` interns them into a dataset.
#[derive(Clone)]
struct Spec {
    evidence: Evidence,
    device: Option<&'static str>,
    folder: Option<&'static str>,
}

impl Spec {
    fn build(self, data: &mut Dataset) -> Evidence {
        let mut e = self.evidence;
        e.mde_device_id = self.device.map(|d| data.intern(d));
        e.folder = self.folder.map(|f| data.intern(f));
        e.file_name = Some(data.intern("x.exe"));
        e.entity = e.file_name;
        e
    }
}

fn policy(level: AutomationLevel) -> Policy {
    Policy::with_groups(
        SemiAllFolders,
        vec![DeviceGroup {
            name: "G".into(),
            rank: 1,
            level,
            rules: None,
        }],
    )
}

fn artifact(kind: EntityKind, verdict: Verdict, folder: Option<&'static str>) -> Spec {
    Spec {
        evidence: Evidence::new(0, 0, kind, verdict),
        device: Some("dev"),
        folder,
    }
}

fn check(level: AutomationLevel, spec: Spec, expected: Outcome) {
    let data = dataset(spec);
    let p = policy(level);
    let e = &data.evidence[0];
    let d = decide(&data, &p, e);
    assert_eq!(
        d.outcome,
        expected,
        "{level:?} {:?} {:?} {:?}\n{:#?}",
        e.kind,
        e.verdict,
        e.folder,
        d.reasons(&data, &p, e)
    );
}

pub fn outcome_table_endpoint_rows() {
    let other = Some(r"C:\Users\alice\Documents");
    let core = Some(r"C:\Windows\System32");
    let temp = Some(r"C:\Users\alice\AppData\Local\Temp");
    let both = Some(r"C:\Windows\Temp");
    #[rustfmt::skip]
    let rows: &[(AutomationLevel, Verdict, Option<&str>, Outcome)] = &[
        (Full, Verdict::Malicious, other, Automatic),
        (Full, Verdict::Suspicious, other, PendingApproval),
        (SemiAllFolders, Verdict::Malicious, other, PendingApproval),
        (SemiAllFolders, Verdict::Suspicious, other, PendingApproval),
        (SemiCoreFolders, Verdict::Malicious, core, PendingApproval),
        (SemiCoreFolders, Verdict::Malicious, other, Automatic),
        (SemiCoreFolders, Verdict::Malicious, temp, Automatic),
        (SemiCoreFolders, Verdict::Malicious, both, PendingApproval),
        (SemiCoreFolders, Verdict::Malicious, None, Automatic),
        (SemiCoreFolders, Verdict::Suspicious, other, PendingApproval),
        (SemiNonTempFolders, Verdict::Malicious, temp, Automatic),
        (SemiNonTempFolders, Verdict::Malicious, both, Automatic),
        (SemiNonTempFolders, Verdict::Malicious, other, PendingApproval),
        (SemiNonTempFolders, Verdict::Malicious, core, PendingApproval),
        (SemiNonTempFolders, Verdict::Malicious, None, PendingApproval),
        (SemiNonTempFolders, Verdict::Suspicious, temp, PendingApproval),
        (NoAutomatedResponse, Verdict::Malicious, other, NotInvestigated),
        (NoAutomatedResponse, Verdict::Suspicious, core, NotInvestigated),
    ];
    for kind in [
        EntityKind::File,
        EntityKind::Process,
        EntityKind::RegistryKey,
        EntityKind::RegistryValue,
        EntityKind::Service,
        EntityKind::Driver,
        EntityKind::ScheduledTask,
    ] {
        for (level, verdict, folder, expected) in rows {
            check(
                *level,
                artifact(kind.clone(), verdict.clone(), *folder),
                *expected,
            );
        }
    }
}

pub fn outcome_table_rules_one_two_three_five() {
    for level in AutomationLevel::ALL {
        // Rule 1: a compromised user is disabled automatically, whatever its verdict.
        let mut user = artifact(EntityKind::User, Verdict::Unknown, None);
        user.evidence.compromised = true;
        check(level, user, Automatic);
        // Rule 2: no threat, no action, for every kind.
        for verdict in [
            Verdict::NoThreatsFound,
            Verdict::Unknown,
            Verdict::Unrecognized("unknownFutureValue".into()),
        ] {
            for kind in [EntityKind::File, EntityKind::EmailMessage, EntityKind::User] {
                check(
                    level,
                    artifact(kind, verdict.clone(), Some(r"C:\Windows")),
                    NoAction,
                );
            }
        }
        // Rule 3: email content and users that are not compromised wait for approval.
        for kind in [
            EntityKind::EmailMessage,
            EntityKind::MailCluster,
            EntityKind::Url,
            EntityKind::Mailbox,
            EntityKind::EmailAttachment,
            EntityKind::User,
        ] {
            for verdict in [Verdict::Malicious, Verdict::Suspicious] {
                check(
                    level,
                    artifact(kind.clone(), verdict, None),
                    PendingApproval,
                );
            }
        }
        // Rule 5: evidence with no remediation action.
        for kind in [
            EntityKind::Device,
            EntityKind::Ip,
            EntityKind::CloudApplication,
            EntityKind::Other("blobEvidence".into()),
        ] {
            check(level, artifact(kind, Verdict::Malicious, None), NoAction);
        }
    }
}

pub fn artifacts_without_a_device_fall_in_the_default_group() {
    let mut data = Dataset::new();
    data.add_alert(Alert {
        id: "a".into(),
        ..Alert::default()
    });
    let e = artifact(EntityKind::File, Verdict::Malicious, Some(r"C:\x")).build(&mut data);
    data.push_evidence(e);
    let p = Policy::with_groups(
        Full,
        vec![DeviceGroup {
            name: "G".into(),
            rank: 1,
            level: SemiAllFolders,
            rules: None,
        }],
    );
    let d = decide(&data, &p, &data.evidence[0]);
    assert_eq!(d.group, Some(GroupRef::Ungrouped));
    assert_eq!(d.device, Some(DeviceLink::UnknownDeviceId));
    assert_eq!(d.outcome, Automatic);
    let reasons = d.reasons(&data, &p, &data.evidence[0]);
    assert!(
        reasons[2].contains("airview decides: the default group"),
        "{reasons:#?}"
    );
    assert_eq!(reasons[3], "device group: `Ungrouped devices (default)`");
}

pub fn reasons_come_in_order_and_name_the_pattern() {
    let data = dataset(artifact(
        EntityKind::File,
        Verdict::Malicious,
        Some(r"C:\Windows\System32"),
    ));
    let p = policy(SemiCoreFolders);
    let reasons = decide(&data, &p, &data.evidence[0]).reasons(&data, &p, &data.evidence[0]);
    assert_eq!(
        reasons,
        vec![
            "verdict: Malicious",
            "entity: File `x.exe`",
            "device: `pc-1.contoso.com`, found by its `mdeDeviceId`",
            "device group: `G` (rank 1), by the device's `rbacGroupName`",
            "automation level: Semi - require approval for core folders remediation (`semi_core_folders`)",
            r"folder: `C:\Windows\System32\x.exe` is in a core folder (pattern `\windows\*`)",
            "a malicious artifact at this level waits for approval (semi_core_folders)",
        ]
    );
}

pub fn the_alerts_only_device_is_used_when_evidence_names_none() {
    let mut e = artifact(EntityKind::Process, Verdict::Malicious, None);
    e.device = None;
    let data = dataset(e);
    let d = decide(&data, &policy(Full), &data.evidence[0]);
    assert_eq!(d.device, Some(DeviceLink::AlertsOnlyDevice(0)));
    assert_eq!(d.group, Some(GroupRef::Group(0)));
    assert_eq!(d.outcome, Automatic);
}
