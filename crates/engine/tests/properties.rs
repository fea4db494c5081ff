//! Property tests of the decision engine: decisions are total and deterministic, the diff of a
//! policy with itself is empty, `diff(a, b)` mirrors `diff(b, a)`, and the engine agrees with
//! a deliberately simple second evaluator written here from docs/domain.md alone.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use airview_engine::diff::{diff, diff_decisions};
use airview_engine::model::{Alert, Dataset, Device, EntityKind, Evidence, Verdict};
use airview_engine::rules::decide::decide;
use airview_engine::rules::policy::{GroupFile, MembershipRules, Policy, PolicyFile};
use airview_engine::{evaluate, AutomationLevel, Outcome};
use proptest::prelude::*;

const KINDS: &[EntityKind] = &[
    EntityKind::File,
    EntityKind::Process,
    EntityKind::RegistryKey,
    EntityKind::RegistryValue,
    EntityKind::Service,
    EntityKind::Driver,
    EntityKind::ScheduledTask,
    EntityKind::EmailMessage,
    EntityKind::MailCluster,
    EntityKind::Url,
    EntityKind::EmailAttachment,
    EntityKind::Mailbox,
    EntityKind::User,
    EntityKind::Device,
    EntityKind::Ip,
    EntityKind::CloudApplication,
];
const FOLDERS: &[&str] = &[
    r"C:\Windows\System32",
    r"C:\Windows",
    r"C:\Windows2",
    r"c:/windows/temp",
    r"C:\Users\bob\Downloads",
    r"C:\Users\Downloads",
    r"C:\Users\bob\AppData\Local\Temp\x",
    r"\\?\C:\Program Files (x86)\App",
    r"D:\Data",
    r"C:\Documents and Settings\bob\Local Settings\Temp",
];
const GROUP_NAMES: &[&str] = &["Finance", "Servers", "Lab", "VIP"];
const HOSTS: &[&str] = &[
    "srv-01.contoso.com",
    "ws-7.contoso.com",
    "lab-2.fabrikam.local",
    "SRV-DB.contoso.com",
];

fn level() -> impl Strategy<Value = AutomationLevel> {
    prop::sample::select(AutomationLevel::ALL.to_vec())
}

fn verdict() -> impl Strategy<Value = Verdict> {
    prop::sample::select(vec![
        Verdict::Malicious,
        Verdict::Suspicious,
        Verdict::NoThreatsFound,
        Verdict::Unknown,
        Verdict::Unrecognized("unknownFutureValue".into()),
    ])
}

prop_compose! {
    fn evidence(alerts: u32, devices: usize)(
        alert in 0..alerts,
        kind in prop::sample::select(KINDS.to_vec()),
        verdict in verdict(),
        compromised in any::<bool>(),
        folder in prop::option::of(prop::sample::select(FOLDERS.to_vec())),
        device in prop::option::of(0..devices + 1),
    ) -> (Evidence, Option<&'static str>, Option<usize>) {
        let mut e = Evidence::new(alert, 0, kind, verdict);
        e.compromised = compromised;
        (e, folder, device)
    }
}

prop_compose! {
    fn dataset()(devices in 1usize..5, alerts in 1u32..4)(
        hosts in prop::collection::vec((prop::sample::select(HOSTS.to_vec()), prop::option::of(prop::sample::select(GROUP_NAMES.to_vec())), any::<bool>()), devices),
        alert_devices in prop::collection::vec(prop::collection::vec(0..devices, 0..3), alerts as usize),
        evidence in prop::collection::vec(evidence(alerts, devices), 0..40),
    ) -> Dataset {
        let mut data = Dataset::new();
        for (i, (host, group, vip)) in hosts.into_iter().enumerate() {
            data.upsert_device(Device {
                mde_device_id: format!("dev{i}"),
                dns_name: Some(host.to_owned()),
                rbac_group_name: group.map(str::to_owned),
                os_platform: Some("Windows11".into()),
                tags: if vip { vec!["VIP".into()] } else { vec![] },
            });
        }
        for (a, linked) in alert_devices.into_iter().enumerate() {
            let idx = data.add_alert(Alert { id: format!("alert{a}"), ..Alert::default() }).unwrap();
            for d in linked {
                data.link_alert_device(idx, d as u32);
            }
        }
        let mut positions = vec![0u32; data.alerts.len()];
        for (mut e, folder, device) in evidence {
            e.folder = folder.map(|f| data.intern(f));
            e.file_name = Some(data.intern("a.exe"));
            e.mde_device_id = device.map(|d| data.intern(&format!("dev{d}")));
            e.index = positions[e.alert as usize];
            positions[e.alert as usize] += 1;
            data.push_evidence(e);
        }
        data
    }
}

prop_compose! {
    fn policy()(
        default in level(),
        groups in prop::collection::vec((prop::sample::select(GROUP_NAMES.to_vec()), level(), 0u8..4), 0..4),
        custom_core in any::<bool>(),
    ) -> Policy {
        let mut seen = Vec::new();
        let groups = groups.into_iter().filter(|(n, _, _)| { let fresh = !seen.contains(n); seen.push(*n); fresh }).enumerate().map(|(i, (name, level, rule))| GroupFile {
            name: name.to_owned(),
            rank: i as u32 + 1,
            level: level.slug().to_owned(),
            membership: match rule {
                0 => Some(MembershipRules { device_name: Some("srv-*".into()), ..MembershipRules::default() }),
                1 => Some(MembershipRules { tag: Some("vip".into()), ..MembershipRules::default() }),
                2 => Some(MembershipRules { domain: Some("*.local".into()), ..MembershipRules::default() }),
                _ => None,
            },
        }).collect();
        let file = PolicyFile {
            default_level: default.slug().to_owned(),
            groups,
            core_folders: custom_core.then(|| vec![r"\windows\*".to_owned(), r"\windows\temp\*".to_owned()]),
            temp_folders: None,
        };
        Policy::from_file(&file).unwrap().0
    }
}

/// The second evaluator: docs/domain.md read again, as plainly as possible, sharing no code with
/// the engine's decision path beyond the data types.
mod reference {
    use super::*;

    fn clean(path: &str) -> Vec<String> {
        let mut p = path.replace('/', "\\").to_lowercase();
        if let Some(rest) = p.strip_prefix(r"\\?\") {
            p = rest.to_string();
        }
        if p.len() >= 2 && p.as_bytes()[1] == b':' {
            p = p[2..].to_string();
        }
        p.split('\\')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }

    fn in_list(list: &[String], folder: &[String]) -> bool {
        list.iter().any(|pattern| {
            let mut parts = clean(pattern);
            let below = parts.last().map(String::as_str) == Some("*");
            if below {
                parts.pop();
            }
            if folder.len() < parts.len() || (!below && folder.len() != parts.len()) {
                return false;
            }
            parts.iter().zip(folder).all(|(p, f)| p == "*" || p == f)
        })
    }

    fn star(pattern: &str, text: &str) -> bool {
        // Tries every split at each `*`: exponential in general, fine for these tiny inputs.
        match pattern.find('*') {
            None => pattern == text,
            Some(i) => {
                text.len() >= i
                    && text[..i] == pattern[..i]
                    && (i..=text.len())
                        .any(|j| text.is_char_boundary(j) && star(&pattern[i + 1..], &text[j..]))
            }
        }
    }

    pub fn outcome(data: &Dataset, file: &PolicyFile, e: &Evidence) -> Outcome {
        if e.kind == EntityKind::User && e.compromised {
            return Outcome::Automatic;
        }
        if !matches!(e.verdict, Verdict::Malicious | Verdict::Suspicious) {
            return Outcome::NoAction;
        }
        if matches!(
            e.kind,
            EntityKind::EmailMessage
                | EntityKind::MailCluster
                | EntityKind::Url
                | EntityKind::Mailbox
                | EntityKind::EmailAttachment
                | EntityKind::User
        ) {
            return Outcome::PendingApproval;
        }
        if !matches!(
            e.kind,
            EntityKind::File
                | EntityKind::Process
                | EntityKind::RegistryKey
                | EntityKind::RegistryValue
                | EntityKind::Service
                | EntityKind::Driver
                | EntityKind::ScheduledTask
        ) {
            return Outcome::NoAction;
        }
        let device = match &e.mde_device_id {
            Some(id) => data
                .devices
                .iter()
                .find(|d| d.mde_device_id == data.text(*id)),
            None => match data.alert_devices[e.alert as usize].as_slice() {
                [only] => data.devices.get(*only as usize),
                _ => None,
            },
        };
        let mut groups = file.groups.clone();
        groups.sort_by_key(|g| g.rank);
        let group = device.and_then(|d| {
            groups.iter().find(|g| match &g.membership {
                None => {
                    d.rbac_group_name.as_deref().map(str::to_lowercase)
                        == Some(g.name.to_lowercase())
                }
                Some(r) => {
                    let host = d.dns_name.clone().unwrap_or_default().to_lowercase();
                    let domain = host.split_once('.').map(|x| x.1.to_string());
                    r.device_name
                        .as_ref()
                        .is_none_or(|p| star(&p.to_lowercase(), &host))
                        && r.domain.as_ref().is_none_or(|p| {
                            domain
                                .as_ref()
                                .is_some_and(|dm| star(&p.to_lowercase(), dm))
                        })
                        && r.tag.as_ref().is_none_or(|p| {
                            d.tags
                                .iter()
                                .any(|t| star(&p.to_lowercase(), &t.to_lowercase()))
                        })
                        && r.os_platform.as_ref().is_none_or(|p| {
                            d.os_platform
                                .as_ref()
                                .is_some_and(|o| star(&p.to_lowercase(), &o.to_lowercase()))
                        })
                }
            })
        });
        let level =
            AutomationLevel::parse(group.map_or(&file.default_level, |g| &g.level)).unwrap();
        let core = file.core_folders.clone().unwrap_or_else(|| {
            vec![
                r"\windows\*".into(),
                r"\program files\*".into(),
                r"\program files (x86)\*".into(),
            ]
        });
        let temp = file.temp_folders.clone().unwrap_or_else(|| {
            [
                r"\users\*\appdata\local\temp\*",
                r"\documents and settings\*\local settings\temp\*",
                r"\documents and settings\*\local settings\temporary\*",
                r"\windows\temp\*",
                r"\users\*\downloads\*",
                r"\documents and settings\*\users\*",
            ]
            .map(String::from)
            .to_vec()
        });
        let folder = data.opt_text(e.folder).map(clean);
        let in_core = folder.as_ref().is_some_and(|f| in_list(&core, f));
        let in_temp = folder.as_ref().is_some_and(|f| in_list(&temp, f));
        let malicious = e.verdict == Verdict::Malicious;
        match level {
            AutomationLevel::NoAutomatedResponse => Outcome::NotInvestigated,
            _ if !malicious => Outcome::PendingApproval,
            AutomationLevel::Full => Outcome::Automatic,
            AutomationLevel::SemiAllFolders => Outcome::PendingApproval,
            AutomationLevel::SemiCoreFolders => {
                if in_core {
                    Outcome::PendingApproval
                } else {
                    Outcome::Automatic
                }
            }
            AutomationLevel::SemiNonTempFolders => {
                if in_temp {
                    Outcome::Automatic
                } else {
                    Outcome::PendingApproval
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn decisions_are_total_and_deterministic(data in dataset(), policy in policy()) {
        let first = evaluate(&data, &policy);
        prop_assert_eq!(first.len(), data.evidence.len());
        prop_assert_eq!(&first, &evaluate(&data, &policy));
        // `evaluate` caches per device and per folder; it must agree with `decide` alone.
        let one_by_one: Vec<_> = data.evidence.iter().map(|e| decide(&data, &policy, e)).collect();
        prop_assert_eq!(&first, &one_by_one);
        for (e, d) in data.evidence.iter().zip(&first) {
            let reasons = d.reasons(&data, &policy, e);
            prop_assert!(reasons.first().is_some_and(|r| r.starts_with("verdict: ")), "{:?}", reasons);
        }
    }

    #[test]
    fn a_policy_diffed_with_itself_is_empty(data in dataset(), policy in policy()) {
        prop_assert!(diff(&data, &policy, &policy).changes.is_empty());
    }

    #[test]
    fn diff_mirrors(data in dataset(), a in policy(), b in policy()) {
        let ab = diff(&data, &a, &b);
        let ba = diff(&data, &b, &a);
        prop_assert_eq!(&ab.mirrored(), &ba);
        prop_assert_eq!(&ab, &diff_decisions(&evaluate(&data, &a), &evaluate(&data, &b)));
    }

    #[test]
    fn the_engine_agrees_with_the_reference_evaluator(data in dataset(), policy in policy()) {
        let file = policy.to_file();
        for e in &data.evidence {
            let engine = decide(&data, &policy, e).outcome;
            let reference = reference::outcome(&data, &file, e);
            prop_assert_eq!(engine, reference, "evidence {:?}\npolicy {:?}", e, file);
        }
    }
}
