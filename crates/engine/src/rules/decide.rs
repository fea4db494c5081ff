//! The outcome of one piece of evidence under a policy, and why (docs/domain.md, "Outcome of one
//! piece of evidence").
//!
//! `decide` is on the hot path (a million evidence items per evaluation, again on every edit
//! of a draft policy), so a `Decision` holds only small copyable facts; `Decision::reasons`
//! turns them into sentences when someone looks.

use crate::intern::{FxHashMap, Sym};
use crate::model::{Dataset, DeviceLink, EntityKind, Evidence, Verdict, VerdictSource};
use crate::rules::folders::normalise_path;
use crate::rules::policy::{GroupRef, Policy};
use crate::vocab::action::ActionType;
use crate::vocab::level::AutomationLevel;
use crate::vocab::Outcome;
use serde::{Deserialize, Serialize};

/// Which rule of the outcome table decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Rule 1: a compromised user is disabled automatically.
    CompromisedUser,
    /// Rule 2: a verdict other than malicious or suspicious needs nothing.
    NotAThreat,
    /// Rule 3: email content and users wait for approval whatever the device levels.
    EmailOrUser,
    /// Rule 4: an endpoint artifact follows its device group's level.
    DeviceLevel,
    /// Rule 5: evidence with no remediation action (devices, IP addresses, cloud apps).
    NoRemediation,
}

/// Which folder lists took the artifact's file, by pattern index.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FolderClass {
    pub has_path: bool,
    pub core: Option<u16>,
    pub temp: Option<u16>,
}

/// A decision for one piece of evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decision {
    pub outcome: Outcome,
    pub action: Option<ActionType>,
    pub rule: Rule,
    /// Endpoint artifacts only: how the device was found, its group, the group's level.
    pub device: Option<DeviceLink>,
    pub group: Option<GroupRef>,
    pub level: Option<AutomationLevel>,
    pub folders: FolderClass,
}

/// Decides one piece of evidence. Total: every evidence gets exactly one outcome.
pub fn decide(data: &Dataset, policy: &Policy, evidence: &Evidence) -> Decision {
    decide_with(
        data,
        policy,
        evidence,
        |device| policy.group_of(device.and_then(|d| data.device(d))),
        |folder| classify_folder(data, policy, folder),
    )
}

/// The decision, with the two look-ups that depend only on the device and on the folder
/// passed in: `evaluate` caches them, because a dataset names few devices and folders but
/// many evidence items.
fn decide_with(
    data: &Dataset,
    policy: &Policy,
    evidence: &Evidence,
    mut group_of: impl FnMut(Option<u32>) -> GroupRef,
    mut classify: impl FnMut(Option<Sym>) -> FolderClass,
) -> Decision {
    let kind = &evidence.kind;
    let action = ActionType::for_entity(kind);
    let base = Decision {
        outcome: Outcome::NoAction,
        action,
        rule: Rule::NoRemediation,
        device: None,
        group: None,
        level: None,
        folders: FolderClass::default(),
    };
    if *kind == EntityKind::User && evidence.compromised {
        return Decision {
            outcome: Outcome::Automatic,
            rule: Rule::CompromisedUser,
            ..base
        };
    }
    if !evidence.verdict.is_threat() {
        return Decision {
            rule: Rule::NotAThreat,
            ..base
        };
    }
    if kind.is_email_content() || *kind == EntityKind::User {
        return Decision {
            outcome: Outcome::PendingApproval,
            rule: Rule::EmailOrUser,
            ..base
        };
    }
    if !kind.is_endpoint_artifact() {
        return base;
    }
    let link = data.link_device(evidence);
    let group = group_of(link.device());
    let level = policy.level_of(group);
    let folders = classify(evidence.folder);
    let malicious = evidence.verdict == Verdict::Malicious;
    let outcome = match level {
        AutomationLevel::NoAutomatedResponse => Outcome::NotInvestigated,
        _ if !malicious => Outcome::PendingApproval,
        AutomationLevel::Full => Outcome::Automatic,
        AutomationLevel::SemiAllFolders => Outcome::PendingApproval,
        AutomationLevel::SemiCoreFolders if folders.core.is_some() => Outcome::PendingApproval,
        AutomationLevel::SemiCoreFolders => Outcome::Automatic,
        AutomationLevel::SemiNonTempFolders if folders.temp.is_some() => Outcome::Automatic,
        AutomationLevel::SemiNonTempFolders => Outcome::PendingApproval,
    };
    Decision {
        outcome,
        rule: Rule::DeviceLevel,
        device: Some(link),
        group: Some(group),
        level: Some(level),
        folders,
        ..base
    }
}

/// Classifies the artifact's folder against both lists. Registry keys carry no path and so
/// are in neither (airview decides: the literal reading of the outcome table).
pub fn classify(data: &Dataset, policy: &Policy, evidence: &Evidence) -> FolderClass {
    classify_folder(data, policy, evidence.folder)
}

fn classify_folder(data: &Dataset, policy: &Policy, folder: Option<Sym>) -> FolderClass {
    let Some(folder) = data.opt_text(folder) else {
        return FolderClass::default();
    };
    let folder = normalise_path(folder);
    let idx = |i: Option<usize>| i.and_then(|i| u16::try_from(i).ok());
    FolderClass {
        has_path: true,
        core: idx(policy.core_folders.first_match(&folder)),
        temp: idx(policy.temp_folders.first_match(&folder)),
    }
}

/// Decides every piece of evidence, in input order.
pub fn evaluate(data: &Dataset, policy: &Policy) -> Vec<Decision> {
    let mut evaluator = Evaluator::new(data);
    evaluator.step(data, policy, usize::MAX);
    evaluator.decisions
}

/// Decides the evidence a slice at a time. Per device and per folder the answer is the same
/// for every evidence item, so each is computed once and kept between slices: this is what
/// keeps a draft edit interactive at 100k items. `CenterBuilder` uses the slices so that the
/// page decides a million items without stopping for long.
pub(crate) struct Evaluator {
    groups: Vec<Option<GroupRef>>,
    folders: FxHashMap<Sym, FolderClass>,
    pub(crate) decisions: Vec<Decision>,
}

impl Evaluator {
    pub(crate) fn new(data: &Dataset) -> Evaluator {
        Evaluator {
            groups: vec![None; data.devices.len()],
            folders: FxHashMap::default(),
            decisions: Vec::with_capacity(data.evidence.len()),
        }
    }

    /// Decides up to `budget` more evidence items; true when every item is decided.
    pub(crate) fn step(&mut self, data: &Dataset, policy: &Policy, budget: usize) -> bool {
        let done = self.decisions.len();
        let end = done.saturating_add(budget).min(data.evidence.len());
        let (groups, folders) = (&mut self.groups, &mut self.folders);
        for e in data.evidence.get(done..end).unwrap_or(&[]) {
            let decision = decide_with(
                data,
                policy,
                e,
                |device| match device {
                    None => GroupRef::Ungrouped,
                    Some(d) => match groups.get(d as usize).copied().flatten() {
                        Some(g) => g,
                        None => {
                            let g = policy.group_of(data.device(d));
                            if let Some(slot) = groups.get_mut(d as usize) {
                                *slot = Some(g);
                            }
                            g
                        }
                    },
                },
                |folder| match folder {
                    None => FolderClass::default(),
                    Some(sym) => *folders
                        .entry(sym)
                        .or_insert_with(|| classify_folder(data, policy, Some(sym))),
                },
            );
            self.decisions.push(decision);
        }
        self.decisions.len() == data.evidence.len()
    }
}

/// Counts per outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub automatic: usize,
    pub pending_approval: usize,
    pub no_action: usize,
    pub not_investigated: usize,
}

impl Summary {
    pub fn of<'a>(decisions: impl IntoIterator<Item = &'a Decision>) -> Summary {
        let mut s = Summary::default();
        for d in decisions {
            s.add(d.outcome);
        }
        s
    }

    pub fn add(&mut self, outcome: Outcome) {
        *self.slot(outcome) += 1;
    }

    pub fn slot(&mut self, outcome: Outcome) -> &mut usize {
        match outcome {
            Outcome::Automatic => &mut self.automatic,
            Outcome::PendingApproval => &mut self.pending_approval,
            Outcome::NoAction => &mut self.no_action,
            Outcome::NotInvestigated => &mut self.not_investigated,
        }
    }

    pub fn get(&self, outcome: Outcome) -> usize {
        match outcome {
            Outcome::Automatic => self.automatic,
            Outcome::PendingApproval => self.pending_approval,
            Outcome::NoAction => self.no_action,
            Outcome::NotInvestigated => self.not_investigated,
        }
    }

    pub fn total(&self) -> usize {
        self.automatic + self.pending_approval + self.no_action + self.not_investigated
    }
}

impl Decision {
    /// The reasons, in order: the verdict, the entity, the device and group and how they were
    /// found, the level, the folder class and the pattern that matched.
    pub fn reasons(&self, data: &Dataset, policy: &Policy, evidence: &Evidence) -> Vec<String> {
        let mut out = Vec::with_capacity(6);
        let verdict = &evidence.verdict;
        out.push(match evidence.verdict_source {
            VerdictSource::Export => format!("verdict: {verdict}"),
            VerdictSource::DetectionStatus => format!("verdict: {verdict} (airview decides: the export carries no verdict; its detection status says the threat was detected)"),
            VerdictSource::AlertClassification => format!("verdict: {verdict} (airview decides: the export carries no verdict; the alert is classified as benign)"),
            VerdictSource::NoSignal => format!("verdict: {verdict} (airview decides: the export carries no verdict and no detection status)"),
        });
        let kind = evidence.kind.label();
        match self.rule {
            Rule::CompromisedUser => {
                out.push(format!(
                    "entity: user `{}`, marked compromised",
                    data.entity(evidence)
                ));
                out.push(
                    "a compromised user is disabled automatically, whatever the device levels"
                        .to_owned(),
                );
            }
            Rule::NotAThreat => {
                out.push(format!("entity: {kind} `{}`", data.entity(evidence)));
                out.push(
                    "only malicious or suspicious evidence is remediated: no action".to_owned(),
                );
            }
            Rule::EmailOrUser => {
                out.push(format!("entity: {kind} `{}`", data.entity(evidence)));
                out.push(if evidence.kind == EntityKind::User {
                    "actions on users that are not marked compromised wait for approval, whatever the device levels".to_owned()
                } else {
                    "email actions are never taken before approval, whatever the device levels".to_owned()
                });
            }
            Rule::NoRemediation => {
                out.push(format!("entity: {kind} `{}`", data.entity(evidence)));
                out.push(format!("{kind} evidence has no remediation action; device actions such as isolation are manual"));
            }
            Rule::DeviceLevel => {
                out.push(format!("entity: {kind} `{}`", data.entity(evidence)));
                out.push(self.device_reason(data, evidence));
                let group = self.group.unwrap_or(GroupRef::Ungrouped);
                out.push(group_reason(
                    data,
                    policy,
                    self.device.and_then(DeviceLink::device),
                    group,
                ));
                let level = self.level.unwrap_or(policy.default_level);
                out.push(format!(
                    "automation level: {} (`{}`)",
                    level.name(),
                    level.slug()
                ));
                if let Some(folder) = self.folder_reason(data, policy, evidence, level) {
                    out.push(folder);
                }
                out.push(outcome_sentence(
                    self.outcome,
                    level,
                    evidence.verdict == Verdict::Malicious,
                ));
            }
        }
        out
    }

    fn device_reason(&self, data: &Dataset, evidence: &Evidence) -> String {
        let name = |d: u32| data.device(d).map_or("?", |d| d.display_name()).to_owned();
        match self.device {
            Some(DeviceLink::ByDeviceId(d)) => format!("device: `{}`, found by its `mdeDeviceId`", name(d)),
            Some(DeviceLink::AlertsOnlyDevice(d)) => format!("device: `{}`, the alert's only device (the evidence names none)", name(d)),
            Some(DeviceLink::UnknownDeviceId) => format!(
                "device: `{}` is described by no loaded device evidence, so airview cannot tell its group (airview decides: the default group)",
                data.opt_text(evidence.mde_device_id).unwrap_or("")
            ),
            Some(DeviceLink::NoDevice { alert_devices }) => format!(
                "device: none; the evidence names no device and its alert names {alert_devices} (airview decides: the default group)"
            ),
            None => "device: none".to_owned(),
        }
    }

    fn folder_reason(
        &self,
        data: &Dataset,
        policy: &Policy,
        evidence: &Evidence,
        level: AutomationLevel,
    ) -> Option<String> {
        if !matches!(
            level,
            AutomationLevel::SemiCoreFolders | AutomationLevel::SemiNonTempFolders
        ) {
            return None;
        }
        if !self.folders.has_path {
            return Some("folder: the artifact has no file path, so it is in no core and no temp folder (airview decides: the literal reading of the outcome table)".to_owned());
        }
        let path = data.file_path(evidence).unwrap_or_default();
        let pat = |list: &crate::rules::folders::FolderList, i: Option<u16>| {
            i.and_then(|i| list.patterns.get(usize::from(i)))
                .map(|p| p.text.clone())
        };
        let core = pat(&policy.core_folders, self.folders.core);
        let temp = pat(&policy.temp_folders, self.folders.temp);
        Some(match level {
            AutomationLevel::SemiCoreFolders => match core {
                Some(p) => format!("folder: `{path}` is in a core folder (pattern `{p}`)"),
                None => format!("folder: `{path}` is in no core folder"),
            },
            _ => match temp {
                Some(p) => format!("folder: `{path}` is in a temp folder (pattern `{p}`)"),
                None => format!("folder: `{path}` is in no temp folder"),
            },
        })
    }
}

fn group_reason(data: &Dataset, policy: &Policy, device: Option<u32>, group: GroupRef) -> String {
    let device = device.and_then(|d| data.device(d));
    match (policy.group(group), device) {
        (Some(g), _) => match &g.rules {
            None => format!(
                "device group: `{}` (rank {}), by the device's `rbacGroupName`",
                g.name, g.rank
            ),
            Some(rules) => format!(
                "device group: `{}` (rank {}), because {}",
                g.name,
                g.rank,
                rules.describe()
            ),
        },
        (None, Some(d)) => format!(
            "device group: `{}`; no group of the policy claims the device{}",
            policy.group_name(group),
            d.rbac_group_name
                .as_deref()
                .map(|r| format!(" (its `rbacGroupName` is `{r}`)"))
                .unwrap_or_default()
        ),
        (None, None) => format!("device group: `{}`", policy.group_name(group)),
    }
}

fn outcome_sentence(outcome: Outcome, level: AutomationLevel, malicious: bool) -> String {
    match (outcome, malicious) {
        (Outcome::NotInvestigated, _) => {
            "with no automated response the evidence is not investigated".to_owned()
        }
        (Outcome::PendingApproval, false) => {
            "suspicious artifacts always wait for approval".to_owned()
        }
        (Outcome::Automatic, _) => format!(
            "a malicious artifact at this level is remediated automatically ({})",
            level.slug()
        ),
        (_, _) => format!(
            "a malicious artifact at this level waits for approval ({})",
            level.slug()
        ),
    }
}
