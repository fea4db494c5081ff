//! The what-if preview: counts per outcome under the current policy and a draft, overall, per
//! device group and per action type; the moves between outcomes; and what the past says about
//! waiting for approval.

use crate::center::event::{Entry, Event};
use crate::center::state::{Center, TIMEOUT_DAYS};
use crate::intern::FxHashMap;
use crate::model::{Dataset, RemediationStatus};
use crate::rules::decide::{Decision, Summary};
use crate::rules::policy::{GroupRef, Policy, UNGROUPED};
use crate::time::{Timestamp, DAY_MS};
use crate::vocab::action::ActionType;
use crate::vocab::Outcome;
use crate::vocab::Status;
use std::collections::BTreeMap;

/// The label for evidence that no device group governs (email, users, devices, IPs…).
pub const NOT_GROUPED: &str = "Not governed by device groups";

/// Current against draft.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pair {
    pub current: Summary,
    pub draft: Summary,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Preview {
    pub overall: Pair,
    /// By device group name; an artifact counts under its group in each policy, so a group
    /// that exists only in the draft shows zero current counts.
    pub per_group: BTreeMap<String, Pair>,
    pub per_action: BTreeMap<ActionType, Pair>,
    /// `moves[from][to]`: how many evidence items go from one outcome to another
    /// (`Outcome::index` order). The diagonal counts what stays.
    pub moves: [[usize; 4]; 4],
    /// Indexes into the evidence of the items whose outcome changes, in input order.
    pub changed: Vec<usize>,
}

impl Preview {
    pub fn compute(
        current: &Policy,
        current_decisions: &[Decision],
        draft: &Policy,
        draft_decisions: &[Decision],
    ) -> Preview {
        // Counted in flat arrays by group position and action type, then named once: this
        // runs on every edit of a draft, over every evidence item.
        let slot = |policy: &Policy, d: &Decision| match d.group {
            Some(GroupRef::Group(i)) => usize::from(i),
            Some(GroupRef::Ungrouped) => policy.groups.len(),
            None => policy.groups.len() + 1,
        };
        let mut cur_groups = vec![Summary::default(); current.groups.len() + 2];
        let mut new_groups = vec![Summary::default(); draft.groups.len() + 2];
        let mut actions = vec![Pair::default(); ActionType::ALL.len()];
        let mut p = Preview::default();
        for (i, (a, b)) in current_decisions.iter().zip(draft_decisions).enumerate() {
            p.overall.current.add(a.outcome);
            p.overall.draft.add(b.outcome);
            if let Some(s) = cur_groups.get_mut(slot(current, a)) {
                s.add(a.outcome);
            }
            if let Some(s) = new_groups.get_mut(slot(draft, b)) {
                s.add(b.outcome);
            }
            if let Some(pair) = a.action.and_then(|x| actions.get_mut(x as usize)) {
                pair.current.add(a.outcome);
                pair.draft.add(b.outcome);
            }
            if let Some(cell) = p
                .moves
                .get_mut(a.outcome.index())
                .and_then(|row| row.get_mut(b.outcome.index()))
            {
                *cell += 1;
            }
            if a.outcome != b.outcome {
                p.changed.push(i);
            }
        }
        let name = |policy: &Policy, slot: usize| match policy.groups.get(slot) {
            Some(g) => g.name.clone(),
            None if slot == policy.groups.len() => UNGROUPED.to_owned(),
            None => NOT_GROUPED.to_owned(),
        };
        for (i, s) in cur_groups
            .into_iter()
            .enumerate()
            .filter(|(_, s)| s.total() > 0)
        {
            p.per_group.entry(name(current, i)).or_default().current = s;
        }
        for (i, s) in new_groups
            .into_iter()
            .enumerate()
            .filter(|(_, s)| s.total() > 0)
        {
            p.per_group.entry(name(draft, i)).or_default().draft = s;
        }
        for (action, pair) in ActionType::ALL.into_iter().zip(actions) {
            if pair.current.total() > 0 {
                p.per_action.insert(action, pair);
            }
        }
        p
    }

    /// The moves off the diagonal, largest first: what the chart draws.
    pub fn flows(&self) -> Vec<(Outcome, Outcome, usize)> {
        let mut out = Vec::new();
        for from in Outcome::ALL {
            for to in Outcome::ALL {
                let n = self
                    .moves
                    .get(from.index())
                    .and_then(|r| r.get(to.index()))
                    .copied()
                    .unwrap_or(0);
                if from != to && n > 0 {
                    out.push((from, to, n));
                }
            }
        }
        out.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
        out
    }
}

/// How long one action waited for approval, as far as anyone can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wait {
    /// Index into the evidence.
    pub evidence: usize,
    /// Milliseconds between pending and decided (or now, or the time-out); `None` when the
    /// export says it waited but not for how long (a declined action without a decision time).
    pub waited_ms: Option<i64>,
    pub timed_out: bool,
}

/// The figures of the past.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WaitFigures {
    /// Actions that waited for approval (or still wait).
    pub waited: usize,
    pub median_ms: Option<i64>,
    pub p90_ms: Option<i64>,
    pub timed_out: usize,
    /// Of those, how many the draft would have taken automatically.
    pub draft_automatic: usize,
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[i64], pct: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (pct * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

pub fn wait_figures(waits: &[Wait], draft_decisions: &[Decision]) -> WaitFigures {
    let mut durations: Vec<i64> = waits.iter().filter_map(|w| w.waited_ms).collect();
    durations.sort_unstable();
    WaitFigures {
        waited: waits.len(),
        median_ms: percentile(&durations, 50),
        p90_ms: percentile(&durations, 90),
        timed_out: waits.iter().filter(|w| w.timed_out).count(),
        draft_automatic: waits
            .iter()
            .filter(|w| {
                draft_decisions
                    .get(w.evidence)
                    .is_some_and(|d| d.outcome == Outcome::Automatic)
            })
            .count(),
    }
}

/// What the exports themselves say about waiting: evidence reported `pendingApproval` waits
/// still (since its creation; past seven days it has timed out), and evidence reported
/// `declined` waited for an unknown time. The action center's own journal knows more; the
/// center adds those waits itself.
pub fn reported_waits(data: &Dataset, now: Timestamp) -> Vec<Wait> {
    let mut out = Vec::new();
    for (i, e) in data.evidence.iter().enumerate() {
        match (&e.remediation_status, e.created) {
            (Some(RemediationStatus::PendingApproval), Some(created)) => {
                let waited = now.0.saturating_sub(created.0).max(0);
                let timed_out = waited >= 7 * DAY_MS;
                out.push(Wait {
                    evidence: i,
                    waited_ms: Some(waited.min(7 * DAY_MS)),
                    timed_out,
                });
            }
            (Some(RemediationStatus::Declined), _) => out.push(Wait {
                evidence: i,
                waited_ms: None,
                timed_out: false,
            }),
            (Some(RemediationStatus::TimedOut), _) => out.push(Wait {
                evidence: i,
                waited_ms: Some(7 * DAY_MS),
                timed_out: true,
            }),
            _ => {}
        }
    }
    out
}

/// What airview's own action center says about waiting: every action that waits or waited
/// for approval under the current policy, with the time from pending to the first approval or
/// rejection in the journal, to now while it still waits, or seven days when it timed out.
pub fn journal_waits(center: &Center, entries: &[Entry]) -> Vec<Wait> {
    // Decisions by evidence position: the walk below goes by position, a million of them,
    // and builds no id.
    let mut decided: FxHashMap<u32, Timestamp> = FxHashMap::default();
    for entry in entries {
        if let Event::Approve { ids } | Event::Reject { ids } = &entry.event {
            for pos in ids.iter().filter_map(|id| center.evidence_position(id)) {
                if let Ok(pos) = u32::try_from(pos) {
                    decided.entry(pos).or_insert(entry.at);
                }
            }
        }
    }
    let now = center.now();
    let mut out = Vec::new();
    center.each_evidence_action(now, |pos, snap| {
        let Some(since) = snap.since else { return };
        let (waited, timed_out) = match (snap.status, decided.get(&pos)) {
            (Status::TimedOut, _) => (TIMEOUT_DAYS * DAY_MS, true),
            (_, Some(at)) => (at.0 - since.0, false),
            (Status::Pending, None) => (now.0 - since.0, false),
            (_, None) => (snap.at.map_or(0, |d| d.0 - since.0), false),
        };
        out.push(Wait {
            evidence: pos as usize,
            waited_ms: Some(waited.max(0)),
            timed_out,
        });
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::decide::{FolderClass, Rule};
    use crate::rules::policy::DeviceGroup;
    use crate::AutomationLevel;

    fn decision(outcome: Outcome, action: Option<ActionType>, group: Option<GroupRef>) -> Decision {
        Decision {
            outcome,
            action,
            rule: Rule::DeviceLevel,
            device: None,
            group,
            level: None,
            folders: FolderClass::default(),
        }
    }

    #[test]
    fn breakdowns_count_per_group_and_action_type() {
        let policy = Policy::with_groups(
            AutomationLevel::Full,
            vec![DeviceGroup {
                name: "Servers".into(),
                rank: 1,
                level: AutomationLevel::SemiAllFolders,
                rules: None,
            }],
        );
        let draft = Policy::with_groups(
            AutomationLevel::Full,
            vec![DeviceGroup {
                name: "Servers".into(),
                rank: 1,
                level: AutomationLevel::Full,
                rules: None,
            }],
        );
        let srv = Some(GroupRef::Group(0));
        let cur = vec![
            decision(
                Outcome::PendingApproval,
                Some(ActionType::QuarantineFile),
                srv,
            ),
            decision(Outcome::PendingApproval, Some(ActionType::KillProcess), srv),
            decision(
                Outcome::Automatic,
                Some(ActionType::QuarantineFile),
                Some(GroupRef::Ungrouped),
            ),
            decision(
                Outcome::PendingApproval,
                Some(ActionType::SoftDeleteEmail),
                None,
            ),
            decision(Outcome::NoAction, None, None),
        ];
        let new = vec![
            decision(Outcome::Automatic, Some(ActionType::QuarantineFile), srv),
            decision(Outcome::PendingApproval, Some(ActionType::KillProcess), srv),
            decision(
                Outcome::Automatic,
                Some(ActionType::QuarantineFile),
                Some(GroupRef::Ungrouped),
            ),
            decision(
                Outcome::PendingApproval,
                Some(ActionType::SoftDeleteEmail),
                None,
            ),
            decision(Outcome::NoAction, None, None),
        ];
        let p = Preview::compute(&policy, &cur, &draft, &new);
        assert_eq!(
            (
                p.overall.current.pending_approval,
                p.overall.draft.pending_approval
            ),
            (3, 2)
        );
        assert_eq!(
            (p.overall.current.automatic, p.overall.draft.automatic),
            (1, 2)
        );
        let servers = p.per_group["Servers"];
        assert_eq!(
            (
                servers.current.pending_approval,
                servers.draft.pending_approval,
                servers.draft.automatic
            ),
            (2, 1, 1)
        );
        assert_eq!(
            p.per_group["Ungrouped devices (default)"].draft.automatic,
            1
        );
        assert_eq!(p.per_group[NOT_GROUPED].current.total(), 2);
        let quarantine = p.per_action[&ActionType::QuarantineFile];
        assert_eq!(
            (quarantine.current.automatic, quarantine.draft.automatic),
            (1, 2)
        );
        assert_eq!(
            p.per_action[&ActionType::KillProcess]
                .draft
                .pending_approval,
            1
        );
        assert!(!p.per_action.contains_key(&ActionType::DisableUser));
        assert_eq!(
            p.moves[Outcome::PendingApproval.index()][Outcome::Automatic.index()],
            1
        );
        assert_eq!(
            p.flows(),
            vec![(Outcome::PendingApproval, Outcome::Automatic, 1)]
        );
        assert_eq!(p.changed, vec![0]);
    }

    #[test]
    fn waiting_figures_use_nearest_rank_percentiles() {
        let h = 3_600_000;
        let waits: Vec<Wait> = (1..=10)
            .map(|i| Wait {
                evidence: i - 1,
                waited_ms: Some(i as i64 * h),
                timed_out: false,
            })
            .chain([
                Wait {
                    evidence: 10,
                    waited_ms: None,
                    timed_out: false,
                },
                Wait {
                    evidence: 11,
                    waited_ms: Some(7 * DAY_MS),
                    timed_out: true,
                },
            ])
            .collect();
        let mut draft = vec![decision(Outcome::PendingApproval, None, None); 12];
        draft[0].outcome = Outcome::Automatic;
        draft[11].outcome = Outcome::Automatic;
        let f = wait_figures(&waits, &draft);
        assert_eq!(f.waited, 12);
        assert_eq!(f.median_ms, Some(6 * h)); // 11 known durations: the 6th
        assert_eq!(f.p90_ms, Some(10 * h)); // rank ceil(0.9 * 11) = 10
        assert_eq!(f.timed_out, 1);
        assert_eq!(f.draft_automatic, 2);
        assert_eq!(wait_figures(&[], &draft), WaitFigures::default());
    }

    #[test]
    fn journal_waits_measure_pending_to_decision() {
        let mut data = Dataset::new();
        let a = data
            .add_alert(crate::Alert {
                id: "a".into(),
                ..crate::Alert::default()
            })
            .unwrap();
        let d = data.upsert_device(crate::Device {
            mde_device_id: "d".into(),
            rbac_group_name: Some("G".into()),
            ..crate::Device::default()
        });
        data.link_alert_device(a, d);
        for (i, created) in [
            "2026-11-01T00:00:00Z",
            "2026-11-01T00:00:00Z",
            "2026-10-01T00:00:00Z",
        ]
        .iter()
        .enumerate()
        {
            let mut e = crate::Evidence::new(
                0,
                i as u32,
                crate::EntityKind::File,
                crate::Verdict::Malicious,
            );
            e.created = Timestamp::parse(created);
            data.push_evidence(e);
        }
        let policy = Policy::with_groups(AutomationLevel::SemiAllFolders, vec![]);
        let center = Center::new(
            data,
            policy,
            Timestamp::parse("2026-11-01T06:00:00Z").unwrap(),
        );
        let entry = Entry {
            at: Timestamp::parse("2026-11-01T02:00:00Z").unwrap(),
            actor: crate::Actor::new("A", &[crate::Role::SecurityAdministrator]),
            event: Event::Approve {
                ids: vec!["a/0".into()],
            },
            comment: None,
        };
        let center = center.apply(&entry).unwrap();
        let mut waits = journal_waits(&center, &[entry]);
        waits.sort_by_key(|w| w.evidence);
        let hours: Vec<Option<i64>> = waits
            .iter()
            .map(|w| w.waited_ms.map(|ms| ms / 3_600_000))
            .collect();
        assert_eq!(hours, vec![Some(2), Some(6), Some(7 * 24)]);
        assert_eq!(waits.iter().filter(|w| w.timed_out).count(), 1);
    }

    #[test]
    fn reported_waits_read_the_exports_statuses() {
        let mut data = Dataset::new();
        data.add_alert(crate::Alert {
            id: "a".into(),
            ..crate::Alert::default()
        });
        let now = Timestamp::parse("2026-11-10T00:00:00Z").unwrap();
        for (status, created) in [
            (RemediationStatus::PendingApproval, "2026-11-09T00:00:00Z"),
            (RemediationStatus::PendingApproval, "2026-10-01T00:00:00Z"),
            (RemediationStatus::Declined, "2026-11-01T00:00:00Z"),
            (RemediationStatus::Remediated, "2026-11-01T00:00:00Z"),
        ] {
            let mut e =
                crate::Evidence::new(0, 0, crate::EntityKind::File, crate::Verdict::Malicious);
            e.remediation_status = Some(status);
            e.created = Timestamp::parse(created);
            data.push_evidence(e);
        }
        let waits = reported_waits(&data, now);
        assert_eq!(waits.len(), 3);
        assert_eq!(waits[0].waited_ms, Some(DAY_MS));
        assert!(waits[1].timed_out);
        assert_eq!(waits[1].waited_ms, Some(7 * DAY_MS));
        assert_eq!(waits[2].waited_ms, None);
    }
}
