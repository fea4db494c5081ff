//! What a person does in the action center (an `Event`), the journal `Entry` that records it,
//! and why an entry can be refused (`TransitionError`).

use crate::center::state::{REPORTED_PREFIX, TIMEOUT_DAYS};
use crate::rules::policy::PolicyFile;
use crate::rules::roles::{Actor, Requirement};
use crate::time::Timestamp;
use crate::vocab::{Act, ActionType, Disposition, Role, Status};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What someone does in the action center. Serialised with a `type` tag:
/// `{"type": "approve", "ids": ["a1/3"]}`. It is read through `EventFields`: serde's own
/// reading of a tagged enum buffers every value first and costs the app some 15 KB of
/// WebAssembly; a flat struct reads the same JSON directly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "EventFields")]
pub enum Event {
    /// Approve pending actions, which are then taken.
    Approve {
        ids: Vec<String>,
    },
    Reject {
        ids: Vec<String>,
    },
    /// Undo completed actions; with `all_instances`, undoing a file quarantine also undoes
    /// every other completed quarantine of the same SHA-256 (the portal's "Apply to X more
    /// instances of this file"). The flag means nothing for other action types.
    Undo {
        ids: Vec<String>,
        #[serde(default)]
        all_instances: bool,
    },
    /// Move the messages of completed email actions.
    ChangeDisposition {
        ids: Vec<String>,
        disposition: Disposition,
    },
    /// A manual response action, taken at once. `entity` is what it acts on (a device name
    /// for device actions, a file name or SHA-256, a user principal name); `device` the
    /// device it runs on, when that is not the entity itself.
    AddManualAction {
        action: ActionType,
        entity: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        device: Option<String>,
    },
    /// Makes a policy current: every piece of evidence is decided again. Actions a person has
    /// decided (approved, rejected, undone, changed, added) keep that decision; the others
    /// follow the new policy.
    ApplyPolicy {
        policy: PolicyFile,
    },
}

/// Every field any event has; `Event::try_from` takes those its type needs.
#[derive(Deserialize)]
struct EventFields {
    /// The kind of act, which the `type` field names.
    #[serde(rename = "type")]
    kind: Act,
    ids: Option<Vec<String>>,
    #[serde(default)]
    all_instances: bool,
    disposition: Option<Disposition>,
    action: Option<ActionType>,
    entity: Option<String>,
    device: Option<String>,
    policy: Option<PolicyFile>,
}

impl TryFrom<EventFields> for Event {
    type Error = String;

    fn try_from(f: EventFields) -> Result<Event, String> {
        fn need<T>(value: Option<T>, field: &str) -> Result<T, String> {
            value.ok_or_else(|| format!("missing field `{field}`"))
        }
        Ok(match f.kind {
            Act::Approve => Event::Approve {
                ids: need(f.ids, "ids")?,
            },
            Act::Reject => Event::Reject {
                ids: need(f.ids, "ids")?,
            },
            Act::Undo => Event::Undo {
                ids: need(f.ids, "ids")?,
                all_instances: f.all_instances,
            },
            Act::ChangeDisposition => Event::ChangeDisposition {
                ids: need(f.ids, "ids")?,
                disposition: need(f.disposition, "disposition")?,
            },
            Act::AddManualAction => Event::AddManualAction {
                action: need(f.action, "action")?,
                entity: need(f.entity, "entity")?,
                device: f.device,
            },
            Act::ApplyPolicy => Event::ApplyPolicy {
                policy: need(f.policy, "policy")?,
            },
        })
    }
}

impl Event {
    pub fn act(&self) -> Act {
        match self {
            Event::Approve { .. } => Act::Approve,
            Event::Reject { .. } => Act::Reject,
            Event::Undo { .. } => Act::Undo,
            Event::ChangeDisposition { .. } => Act::ChangeDisposition,
            Event::AddManualAction { .. } => Act::AddManualAction,
            Event::ApplyPolicy { .. } => Act::ApplyPolicy,
        }
    }
}

/// One line of the journal: an event, who did it, when, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub at: Timestamp,
    pub actor: Actor,
    pub event: Event,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Why an event was refused. Every refusal leaves the center and the journal as they were.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransitionError {
    /// The event names no action.
    EmptySelection { act: Act },
    /// No action has this id under the current policy.
    UnknownAction { id: String },
    /// Several actions at once must share one action type.
    MixedActionTypes {
        first: String,
        first_action: ActionType,
        other: String,
        other_action: ActionType,
    },
    /// Approve and reject take pending actions only.
    NotPending {
        act: Act,
        id: String,
        status: Status,
    },
    /// The action waited 7 days and timed out, which counts as rejected.
    TimedOut { act: Act, id: String, at: Timestamp },
    /// Undo takes the undoable action types only.
    NotUndoable { id: String, action: ActionType },
    /// Undo and disposition changes take completed actions only.
    NotCompleted {
        act: Act,
        id: String,
        status: Status,
    },
    /// The actor's roles do not allow the act.
    MissingRole {
        actor: String,
        act: Act,
        action: Option<ActionType>,
        needs: Requirement,
        has: Vec<Role>,
    },
    /// A disposition change on an action that does not move email.
    NotEmailAction { id: String, action: ActionType },
    /// `add_manual_action` with an action that is not a manual response action.
    NotManualAction { action: ActionType },
    /// `add_manual_action` with an empty entity.
    MissingTarget { action: ActionType },
    /// `apply_policy` with a policy that does not validate.
    InvalidPolicy { errors: Vec<String> },
    /// An event dated before the last accepted one: the journal is kept in time order, so
    /// that a time-out once seen is never undone by an earlier-dated approval.
    OutOfOrder { at: Timestamp, last: Timestamp },
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransitionError::EmptySelection { act } => write!(f, "no action to {}: give at least one action id", act.verb()),
            TransitionError::UnknownAction { id } if id.starts_with(REPORTED_PREFIX) => write!(f, "`{id}` is an action an export reports; airview shows it but cannot act on it"),
            TransitionError::UnknownAction { id } => write!(f, "unknown action id `{id}`"),
            TransitionError::MixedActionTypes { first, first_action, other, other_action } => write!(
                f,
                "actions of different types cannot be handled together: `{first}` is `{first_action}` but `{other}` is `{other_action}`"
            ),
            TransitionError::NotPending { act, id, status } => {
                write!(f, "cannot {} action `{id}`: it is {}, not pending", act.verb(), status.label().to_lowercase())
            }
            TransitionError::TimedOut { act, id, at } => write!(
                f,
                "cannot {} action `{id}`: it timed out at `{at}` after waiting {TIMEOUT_DAYS} days, which counts as rejected",
                act.verb()
            ),
            TransitionError::NotUndoable { id, action } => write!(f, "action `{id}` cannot be undone: `{action}` actions are not undoable"),
            TransitionError::NotCompleted { act, id, status } => {
                write!(f, "cannot {} action `{id}`: it is {}, not completed", act.verb(), status.label().to_lowercase())
            }
            TransitionError::MissingRole { actor, act, action, needs, has } => {
                match action {
                    Some(action) => write!(f, "`{actor}` may not {} `{action}` actions: that needs {needs}", act.verb())?,
                    None => write!(f, "`{actor}` may not {}: that needs {needs}", act.verb())?,
                }
                if has.is_empty() {
                    f.write_str(", and they act with no role")
                } else {
                    let names: Vec<&str> = has.iter().map(|r| r.name()).collect();
                    write!(f, ", and they act as {}", names.join(", "))
                }
            }
            TransitionError::NotEmailAction { id, action } => write!(
                f,
                "cannot change the disposition of action `{id}`: `{action}` is not an email action (only `{}` and `{}` are)",
                ActionType::SoftDeleteEmail,
                ActionType::SoftDeleteEmailCluster
            ),
            TransitionError::NotManualAction { action } => write!(f, "`{action}` is not a manual response action"),
            TransitionError::MissingTarget { action } => write!(f, "`{action}` needs an entity to act on"),
            TransitionError::InvalidPolicy { errors } => write!(f, "invalid policy: {}", errors.join("; ")),
            TransitionError::OutOfOrder { at, last } => {
                write!(f, "the event is dated `{at}`, before the last recorded event (`{last}`); events are recorded in time order")
            }
        }
    }
}

impl std::error::Error for TransitionError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::policy::Policy;

    #[test]
    fn events_read_back_as_written_and_say_what_is_missing() {
        let events = [
            Event::Approve {
                ids: vec!["a/1".into()],
            },
            Event::Reject { ids: vec![] },
            Event::Undo {
                ids: vec!["a/2".into()],
                all_instances: true,
            },
            Event::ChangeDisposition {
                ids: vec!["a/3".into()],
                disposition: Disposition::MoveToJunk,
            },
            Event::AddManualAction {
                action: ActionType::IsolateDevice,
                entity: "ws-1".into(),
                device: None,
            },
            Event::ApplyPolicy {
                policy: Policy::default().to_file(),
            },
        ];
        for event in events {
            let text = serde_json::to_string(&event).unwrap();
            assert_eq!(
                serde_json::from_str::<Event>(&text).unwrap(),
                event,
                "{text}"
            );
        }
        let undo: Event = serde_json::from_str(r#"{"type":"undo","ids":["x/0"]}"#).unwrap();
        assert_eq!(
            undo,
            Event::Undo {
                ids: vec!["x/0".into()],
                all_instances: false
            }
        );
        let missing = serde_json::from_str::<Event>(r#"{"type":"approve"}"#).unwrap_err();
        assert!(
            missing.to_string().contains("missing field `ids`"),
            "{missing}"
        );
        let unknown = serde_json::from_str::<Event>(r#"{"type":"explode","ids":[]}"#).unwrap_err();
        assert!(
            unknown.to_string().contains("unknown variant `explode`"),
            "{unknown}"
        );
        let untyped = serde_json::from_str::<Event>(r#"{"ids":[]}"#).unwrap_err();
        assert!(
            untyped.to_string().contains("missing field `type`"),
            "{untyped}"
        );
    }
}
