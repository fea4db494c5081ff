//! One action's state at a given time: its status, who decided it and when, since when it
//! waits, derived from the policy's decision and the person's, if any. A pending action times
//! out here, when it is read, never in storage.

use crate::center::ids::Origin;
use crate::center::state::{Center, Human, AUTOMATION, SYSTEM, TIMEOUT_DAYS};
use crate::time::Timestamp;
use crate::vocab::{ActionType, Disposition, Outcome, Status};

/// An action's state at a given time, borrowed from the center.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ActionState<'a> {
    pub(crate) action: ActionType,
    pub(crate) status: Status,
    pub(crate) by: Option<&'a str>,
    /// When it was last updated (taken, rejected, timed out, undone, changed).
    pub(crate) at: Option<Timestamp>,
    /// When it started waiting for approval.
    pub(crate) since: Option<Timestamp>,
    pub(crate) comment: Option<&'a str>,
    pub(crate) duplicate_of: Option<&'a str>,
    pub(crate) disposition: Option<Disposition>,
}

impl Center {
    pub(super) fn state_of<'a>(
        &'a self,
        origin: Origin,
        id: &str,
        at: Timestamp,
    ) -> ActionState<'a> {
        let human = self.overlay.get(id);
        match origin {
            Origin::Evidence(pos) => self.evidence_state(pos, human, at),
            Origin::Manual(i) => self.manual_state(i, human),
        }
    }

    /// The state of an evidence action: the person's decision if there is one, else what the
    /// policy's decision gives at `at`.
    pub(super) fn evidence_state<'a>(
        &'a self,
        pos: u32,
        human: Option<&'a Human>,
        at: Timestamp,
    ) -> ActionState<'a> {
        let fact = self.facts.get(pos as usize).copied().unwrap_or_default();
        let action = fact.action.unwrap_or(ActionType::QuarantineFile);
        let created = fact.created();
        let outcome = fact.outcome;
        let since = (outcome == Outcome::PendingApproval)
            .then_some(created)
            .flatten();
        let base = ActionState {
            action,
            status: Status::Pending,
            by: None,
            at: None,
            since,
            comment: None,
            duplicate_of: None,
            disposition: None,
        };
        if let Some(h) = human {
            return human_state(base, h);
        }
        match outcome {
            Outcome::Automatic => {
                // airview decides: an automatic action whose export reports `failed` failed;
                // nothing else in an export says that a taken action failed.
                ActionState {
                    status: if fact.failed {
                        Status::Failed
                    } else {
                        Status::Completed
                    },
                    by: Some(AUTOMATION),
                    at: created,
                    ..base
                }
            }
            _ => match since.map(|s| s.plus_days(TIMEOUT_DAYS)) {
                // airview decides: a pending action with no creation time never times out.
                Some(expiry) if expiry <= at => ActionState {
                    status: Status::TimedOut,
                    by: Some(SYSTEM),
                    at: Some(expiry),
                    ..base
                },
                _ => base,
            },
        }
    }

    pub(super) fn manual_state<'a>(
        &'a self,
        i: usize,
        human: Option<&'a Human>,
    ) -> ActionState<'a> {
        let action = self
            .manual
            .get(i)
            .map_or(ActionType::IsolateDevice, |m| m.action);
        let base = ActionState {
            action,
            status: Status::Completed,
            by: None,
            at: None,
            since: None,
            comment: None,
            duplicate_of: None,
            disposition: None,
        };
        human.map_or(base, |h| human_state(base, h))
    }

    /// The current status of one action, at the center's "now".
    pub fn status(&self, id: &str) -> Option<Status> {
        let origin = self.resolve(id)?;
        Some(self.state_of(origin, id, self.now).status)
    }
}

fn human_state<'a>(base: ActionState<'a>, h: &'a Human) -> ActionState<'a> {
    ActionState {
        status: h.status,
        by: Some(&h.by),
        at: Some(h.at),
        comment: h.comment.as_deref(),
        duplicate_of: h.duplicate_of.as_deref(),
        disposition: h.disposition,
        ..base
    }
}
