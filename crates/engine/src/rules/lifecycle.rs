//! The life of an action as a table: which act takes an action from which status, and the
//! status it leaves (docs/domain.md, "Life of an action").
//!
//! Approve and reject take pending actions only; undo and a disposition change take completed
//! ones. Adding a manual response action and making a policy current act on no existing action.
//! The action center asks this table before any other check on an action's status, so that
//! the rules are read in one place.

use crate::vocab::{Act, Status};

/// Whether `act` may take an action that is in `status`.
pub fn allowed(act: Act, status: Status) -> bool {
    from(act).contains(&status)
}

/// The statuses `act` takes an action from (none for acts that make a new action or none).
pub fn from(act: Act) -> &'static [Status] {
    match act {
        Act::Approve | Act::Reject => &[Status::Pending],
        Act::Undo | Act::ChangeDisposition => &[Status::Completed],
        Act::AddManualAction | Act::ApplyPolicy => &[],
    }
}

/// The status an accepted `act` leaves the actions it took: an approval is taken (completed)
/// at once, a disposition change leaves a completed action completed, and a manual response
/// action is taken as it is added.
pub fn leaves(act: Act) -> Option<Status> {
    match act {
        Act::Approve | Act::ChangeDisposition | Act::AddManualAction => Some(Status::Completed),
        Act::Reject => Some(Status::Rejected),
        Act::Undo => Some(Status::Undone),
        Act::ApplyPolicy => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifecycle_table() {
        use Status::*;
        let acts = [
            Act::Approve,
            Act::Reject,
            Act::Undo,
            Act::ChangeDisposition,
            Act::AddManualAction,
            Act::ApplyPolicy,
        ];
        #[rustfmt::skip]
        let expected: [(Act, &[Status]); 6] = [
            (Act::Approve, &[Pending]),
            (Act::Reject, &[Pending]),
            (Act::Undo, &[Completed]),
            (Act::ChangeDisposition, &[Completed]),
            (Act::AddManualAction, &[]),
            (Act::ApplyPolicy, &[]),
        ];
        for (act, statuses) in expected {
            for status in Status::ALL {
                assert_eq!(
                    allowed(act, status),
                    statuses.contains(&status),
                    "{act:?} from {status:?}"
                );
            }
        }
        // Nothing takes an action out of a final status: rejected, timed out, failed, undone.
        for status in [Rejected, TimedOut, Failed, Undone] {
            assert!(acts.iter().all(|a| !allowed(*a, status)), "{status:?}");
        }
        assert_eq!(leaves(Act::Approve), Some(Completed));
        assert_eq!(leaves(Act::Reject), Some(Rejected));
        assert_eq!(leaves(Act::Undo), Some(Undone));
    }
}
