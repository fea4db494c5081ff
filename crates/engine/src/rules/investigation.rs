//! An investigation's status, from its actions (docs/domain.md, "How airview derives an investigation's state").

use crate::vocab::Status;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The investigation states users know that follow from airview's data. "Terminated by
/// user/system" never does: no export says who stopped an investigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvestigationStatus {
    /// Only when a Defender for Endpoint export says `investigationState: Running` and no
    /// action waits: nothing else in an export tells a running investigation apart.
    Running,
    PendingAction,
    Remediated,
    PartiallyRemediated,
    NoThreatsFound,
    Failed,
}

impl InvestigationStatus {
    pub fn slug(self) -> &'static str {
        match self {
            InvestigationStatus::Running => "running",
            InvestigationStatus::PendingAction => "pending_action",
            InvestigationStatus::Remediated => "remediated",
            InvestigationStatus::PartiallyRemediated => "partially_remediated",
            InvestigationStatus::NoThreatsFound => "no_threats_found",
            InvestigationStatus::Failed => "failed",
        }
    }

    /// The name the portal shows.
    pub fn label(self) -> &'static str {
        match self {
            InvestigationStatus::Running => "Running",
            InvestigationStatus::PendingAction => "Pending action",
            InvestigationStatus::Remediated => "Remediated",
            InvestigationStatus::PartiallyRemediated => "Partially remediated",
            InvestigationStatus::NoThreatsFound => "No threats found",
            InvestigationStatus::Failed => "Failed",
        }
    }
}

impl fmt::Display for InvestigationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How many of an investigation's actions are in each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionCounts {
    pub pending: usize,
    pub completed: usize,
    pub failed: usize,
    pub rejected: usize,
    pub timed_out: usize,
    pub undone: usize,
}

impl ActionCounts {
    pub fn add(&mut self, status: Status) {
        let slot = match status {
            Status::Pending => &mut self.pending,
            Status::Completed => &mut self.completed,
            Status::Failed => &mut self.failed,
            Status::Rejected => &mut self.rejected,
            Status::TimedOut => &mut self.timed_out,
            Status::Undone => &mut self.undone,
        };
        *slot += 1;
    }

    pub fn total(&self) -> usize {
        self.pending + self.completed + self.failed + self.rejected + self.timed_out + self.undone
    }

    /// The status these counts give, in this order: any pending action, Pending action;
    /// an export that says Running, Running; no action, No threats found; every action
    /// completed, Remediated; every action failed, Failed; anything else (some completed and
    /// others rejected, timed out, failed or undone, or none completed at all) is Partially
    /// remediated (airview decides: the documents name the state but not the rule).
    pub fn status(&self, reported_running: bool) -> InvestigationStatus {
        let total = self.total();
        if self.pending > 0 {
            InvestigationStatus::PendingAction
        } else if reported_running {
            InvestigationStatus::Running
        } else if total == 0 {
            InvestigationStatus::NoThreatsFound
        } else if self.completed == total {
            InvestigationStatus::Remediated
        } else if self.failed == total {
            InvestigationStatus::Failed
        } else {
            InvestigationStatus::PartiallyRemediated
        }
    }
}

/// One investigation in the center's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvestigationView {
    pub id: String,
    pub status: InvestigationStatus,
    /// An investigation completes only when every one of its actions is decided.
    pub complete: bool,
    pub actions: usize,
    pub counts: ActionCounts,
    /// The alerts of the investigation, by id.
    pub alerts: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use InvestigationStatus::*;

    fn counts(statuses: &[Status]) -> ActionCounts {
        let mut c = ActionCounts::default();
        statuses.iter().for_each(|s| c.add(*s));
        c
    }

    #[test]
    fn status_rules() {
        use Status as S;
        #[rustfmt::skip]
        let rows: &[(&[Status], bool, InvestigationStatus)] = &[
            (&[], false, NoThreatsFound),
            (&[], true, Running),
            (&[S::Pending, S::Completed], false, PendingAction),
            (&[S::Pending], true, PendingAction),
            (&[S::Completed, S::Completed], true, Running),
            (&[S::Completed, S::Completed], false, Remediated),
            (&[S::Failed, S::Failed], false, Failed),
            (&[S::Completed, S::Rejected], false, PartiallyRemediated),
            (&[S::Completed, S::TimedOut], false, PartiallyRemediated),
            (&[S::Completed, S::Failed], false, PartiallyRemediated),
            (&[S::Completed, S::Undone], false, PartiallyRemediated),
            (&[S::Rejected, S::TimedOut], false, PartiallyRemediated),
            (&[S::Undone], false, PartiallyRemediated),
        ];
        for (statuses, running, expected) in rows {
            assert_eq!(
                counts(statuses).status(*running),
                *expected,
                "{statuses:?} running={running}"
            );
        }
    }
}
