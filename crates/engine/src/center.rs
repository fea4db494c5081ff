//! The action center's state machine (DOMAIN.md, "Life of an action"; issue 4).
//!
//! A `Center` is the loaded data, the current policy's decisions over it, and what humans did
//! since: approvals, rejections, undos, disposition changes and manual actions. `apply` takes
//! one journal `Entry` (an event, who did it, when) and returns a new center or a
//! `TransitionError`; it never changes the center it is given, so a refused event leaves the
//! state as it was. The state is the fold of the journal over the loaded data and policy:
//! `Center::replay` gives the same value as applying the entries one by one.
//!
//! Datasets may hold a million pieces of evidence, so the data and the decisions sit behind
//! `Arc` and are shared by every center derived from the same load; the human changes are a
//! small overlay keyed by action id, and that overlay is all an event copies. Time-outs are not
//! stored: a pending action whose pending-since time plus 7 days is at or before the time
//! considered has timed out.

use crate::action::ActionType;
use crate::decide::{evaluate, Decision, Outcome};
use crate::history::{ActionView, CenterView};
use crate::intern::Sym;
use crate::investigation::{ActionCounts, InvestigationView};
use crate::model::{Dataset, DeviceLink, RemediationStatus};
use crate::policy::{GroupRef, Policy, PolicyFile};
use crate::roles::{Actor, Requirement, Role};
use crate::time::{Timestamp, HOUR_MS};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

/// A pending action not decided within this many days times out, which counts as rejected.
pub const TIMEOUT_DAYS: i64 = 7;

/// The id prefix of actions an export reports (see `Center::reported_views`).
pub const REPORTED_PREFIX: &str = "reported/";

/// A mail cluster approved again within this long is recorded but not processed again.
pub const DUPLICATE_WINDOW_MS: i64 = HOUR_MS;

/// Who decided an automatic action.
pub const AUTOMATION: &str = "Automation";

/// Who decided an action that timed out.
pub const SYSTEM: &str = "System";

/// An action's status, computed by airview (the export's own is `reported_status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Completed,
    Failed,
    Rejected,
    TimedOut,
    Undone,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Pending,
        Status::Completed,
        Status::Failed,
        Status::Rejected,
        Status::TimedOut,
        Status::Undone,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Completed => "completed",
            Status::Failed => "failed",
            Status::Rejected => "rejected",
            Status::TimedOut => "timed_out",
            Status::Undone => "undone",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "Pending",
            Status::Completed => "Completed",
            Status::Failed => "Failed",
            Status::Rejected => "Rejected",
            Status::TimedOut => "Timed out",
            Status::Undone => "Undone",
        }
    }

    /// The action was taken (it may have failed or been undone since).
    pub fn is_taken(self) -> bool {
        matches!(self, Status::Completed | Status::Failed | Status::Undone)
    }

    /// The action was rejected, by a person or by the time-out.
    pub fn is_rejected(self) -> bool {
        matches!(self, Status::Rejected | Status::TimedOut)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// Where an action came from, as the portal's "Action source" column says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionSource {
    #[serde(rename = "Automated investigation")]
    AutomatedInvestigation,
    #[serde(rename = "Manual response action")]
    ManualResponseAction,
}

impl ActionSource {
    pub const ALL: [ActionSource; 2] = [
        ActionSource::AutomatedInvestigation,
        ActionSource::ManualResponseAction,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ActionSource::AutomatedInvestigation => "Automated investigation",
            ActionSource::ManualResponseAction => "Manual response action",
        }
    }
}

/// Where an email action can move the messages from History.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    MoveToInbox,
    MoveToJunk,
    MoveToDeletedItems,
    SoftDelete,
    HardDelete,
}

impl Disposition {
    pub const ALL: [Disposition; 5] = [
        Disposition::MoveToInbox,
        Disposition::MoveToJunk,
        Disposition::MoveToDeletedItems,
        Disposition::SoftDelete,
        Disposition::HardDelete,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Disposition::MoveToInbox => "Move to inbox",
            Disposition::MoveToJunk => "Move to junk",
            Disposition::MoveToDeletedItems => "Move to deleted items",
            Disposition::SoftDelete => "Soft delete",
            Disposition::HardDelete => "Hard delete",
        }
    }
}

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

/// The kinds of act, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Act {
    Approve,
    Reject,
    Undo,
    ChangeDisposition,
    AddManualAction,
    ApplyPolicy,
}

impl Act {
    fn verb(self) -> &'static str {
        match self {
            Act::Approve => "approve",
            Act::Reject => "reject",
            Act::Undo => "undo",
            Act::ChangeDisposition => "change the disposition of",
            Act::AddManualAction => "take",
            Act::ApplyPolicy => "make a policy current",
        }
    }
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

/// A person's decision on one action, kept in the overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Human {
    status: Status,
    /// The last update: who, when, why.
    by: String,
    at: Timestamp,
    comment: Option<String>,
    /// When it was approved, kept across later updates for the de-duplication window.
    approved_at: Option<Timestamp>,
    duplicate_of: Option<String>,
    disposition: Option<Disposition>,
}

/// A manual response action, as added.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Manual {
    id: String,
    action: ActionType,
    entity: String,
    device: Option<String>,
}

/// Where an action comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    /// Index into `Dataset::evidence`.
    Evidence(u32),
    /// Index into `Center::manual`.
    Manual(usize),
}

/// An action's state at a given time, borrowed from the center.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Snapshot<'a> {
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

/// An action in the Pending and History lists: where it comes from, in 4 bytes, so that a
/// list of a million actions is 4 MB and sorts as integers. Evidence positions take 30 bits
/// (a billion evidence items); the top two bits say which kind of action it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Row(u32);

/// What a `Row` points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// An action from evidence, by its position in `Dataset::evidence`.
    Evidence(u32),
    /// A manual response action, in the order they were added.
    Manual(u32),
    /// An action an export reports, by its position in `Dataset::reported_actions`.
    Reported(u32),
}

impl Row {
    const INDEX: u32 = (1 << 30) - 1;
    const MANUAL: u32 = 1 << 30;
    const REPORTED: u32 = 2 << 30;

    pub(crate) fn evidence(pos: u32) -> Row {
        Row(pos & Row::INDEX)
    }
    pub(crate) fn manual(i: usize) -> Row {
        Row(Row::MANUAL | (i as u32 & Row::INDEX))
    }
    pub(crate) fn reported(i: usize) -> Row {
        Row(Row::REPORTED | (i as u32 & Row::INDEX))
    }

    pub fn kind(self) -> RowKind {
        let i = self.0 & Row::INDEX;
        match self.0 & !Row::INDEX {
            Row::MANUAL => RowKind::Manual(i),
            Row::REPORTED => RowKind::Reported(i),
            _ => RowKind::Evidence(i),
        }
    }
}

/// The action center's two lists, as rows in their default orders.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    /// Pending actions, the longest waiting first.
    pub pending: Vec<Row>,
    /// Every other action, the most recently updated first.
    pub history: Vec<Row>,
    /// When the first pending action times out: the lists are out of date from then on.
    pub next_expiry: Option<Timestamp>,
}

/// The overlay's evidence actions by position.
type Kept<'a> = crate::intern::FxHashMap<u32, &'a Human>;

/// A device as a row names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum DeviceRef<'a> {
    /// A device that device evidence describes, by index in `Dataset::devices`.
    Known(u32),
    /// A Defender device id no loaded device evidence describes.
    Unknown(Sym),
    /// A name a person typed or an export reported.
    Name(&'a str),
}

/// What filtering and sorting read of one row.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RowFacts<'a> {
    pub action: ActionType,
    pub status: Status,
    pub source: ActionSource,
    /// When it was last updated, or when it started waiting.
    pub updated: Option<Timestamp>,
    pub entity: &'a str,
    pub entity_sym: Option<Sym>,
    pub device: Option<DeviceRef<'a>>,
    pub group: Option<GroupRef>,
    /// Evidence actions: the alert's index and id and the evidence index, which make the id.
    pub alert: Option<(u32, &'a str, u32)>,
    pub investigation: Option<&'a str>,
    pub decided_by: Option<&'a str>,
    pub comment: Option<&'a str>,
    /// Manual and reported actions: the id, after `id_prefix`.
    pub id: Option<&'a str>,
    pub id_prefix: &'static str,
}

fn reported_source(r: &crate::model::ReportedAction) -> ActionSource {
    if r.source
        .eq_ignore_ascii_case(ActionSource::ManualResponseAction.label())
    {
        ActionSource::ManualResponseAction
    } else {
        ActionSource::AutomatedInvestigation
    }
}

/// The action center's state. Cheap to clone: the data and decisions are shared.
#[derive(Clone, Debug)]
pub struct Center {
    data: Arc<Dataset>,
    policy: Arc<Policy>,
    decisions: Arc<Vec<Decision>>,
    /// `(alert, evidence index)` to the evidence's position in `Dataset::evidence`.
    positions: Arc<EvidenceIndex>,
    /// What the lists read of each evidence item, packed (see `Fact`).
    facts: Arc<Vec<Fact>>,
    overlay: BTreeMap<String, Human>,
    manual: Vec<Manual>,
    now: Timestamp,
    last_at: Option<Timestamp>,
}

impl PartialEq for Center {
    fn eq(&self, other: &Center) -> bool {
        fn same<T: PartialEq>(a: &Arc<T>, b: &Arc<T>) -> bool {
            Arc::ptr_eq(a, b) || a == b
        }
        same(&self.data, &other.data)
            && same(&self.policy, &other.policy)
            && same(&self.decisions, &other.decisions)
            && self.overlay == other.overlay
            && self.manual == other.manual
            && self.now == other.now
            && self.last_at == other.last_at
    }
}

impl Eq for Center {}

/// Applies one entry to a center: the new center, or why the entry was refused.
pub fn apply(center: &Center, entry: &Entry) -> Result<Center, TransitionError> {
    center.apply(entry)
}

impl Center {
    /// The center as the policy's decisions leave it: `automatic` actions completed by
    /// Automation when their evidence was created, `pending_approval` actions pending since
    /// then. `now` is the time statuses are read at (it moves forward with every event).
    pub fn new(
        data: impl Into<Arc<Dataset>>,
        policy: impl Into<Arc<Policy>>,
        now: Timestamp,
    ) -> Center {
        let mut builder = CenterBuilder::new(data.into(), policy.into(), now);
        builder.step(usize::MAX);
        builder.finish()
    }

    /// Replays a journal over a base center. The error carries the 1-based number of the
    /// entry (the journal line) that was refused.
    pub fn replay(base: &Center, entries: &[Entry]) -> Result<Center, (usize, TransitionError)> {
        let mut center = base.clone();
        for (i, entry) in entries.iter().enumerate() {
            center = center.apply(entry).map_err(|e| (i + 1, e))?;
        }
        Ok(center)
    }

    pub fn data(&self) -> &Arc<Dataset> {
        &self.data
    }

    pub fn policy(&self) -> &Arc<Policy> {
        &self.policy
    }

    pub fn decisions(&self) -> &Arc<Vec<Decision>> {
        &self.decisions
    }

    /// The time statuses are read at.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The time of the last accepted event, if any.
    pub fn last_event_at(&self) -> Option<Timestamp> {
        self.last_at
    }

    /// The same center read at another time (`--now`): later times show more time-outs.
    pub fn with_now(&self, now: Timestamp) -> Center {
        Center {
            now,
            ..self.clone()
        }
    }

    /// Applies one entry: the new center, or why the entry was refused.
    pub fn apply(&self, entry: &Entry) -> Result<Center, TransitionError> {
        self.apply_changes(entry).map(|(center, _)| center)
    }

    /// Whether `entry` would be accepted, without building the center it would give. For a
    /// policy this skips deciding every evidence item again (the app asks on every edit of a
    /// draft, to enable "Apply"); for the other events it is `apply`, which is cheap.
    pub fn check(&self, entry: &Entry) -> Result<(), TransitionError> {
        match &entry.event {
            Event::ApplyPolicy { policy } => {
                if let Some(last) = self.last_at.filter(|last| entry.at < *last) {
                    return Err(TransitionError::OutOfOrder { at: entry.at, last });
                }
                check_role(
                    &entry.actor,
                    Act::ApplyPolicy,
                    None,
                    Requirement::Administrator,
                )?;
                Policy::from_file(policy).map(|_| ()).map_err(|errors| {
                    TransitionError::InvalidPolicy {
                        errors: errors.into_iter().map(|e| e.message).collect(),
                    }
                })
            }
            _ => self.apply(entry).map(|_| ()),
        }
    }

    /// Applies one entry and says which actions it changed, in order (for an undo across
    /// instances, the instances follow the selection; `apply_policy` lists none).
    pub fn apply_changes(&self, entry: &Entry) -> Result<(Center, Vec<String>), TransitionError> {
        if let Some(last) = self.last_at {
            if entry.at < last {
                return Err(TransitionError::OutOfOrder { at: entry.at, last });
            }
        }
        // Every change is made on a copy that is dropped on the first refusal: all or nothing.
        let mut next = self.clone();
        let changed = match &entry.event {
            Event::Approve { ids } => next.decide(entry, ids, true)?,
            Event::Reject { ids } => next.decide(entry, ids, false)?,
            Event::Undo { ids, all_instances } => next.undo(entry, ids, *all_instances)?,
            Event::ChangeDisposition { ids, disposition } => {
                next.change_disposition(entry, ids, *disposition)?
            }
            Event::AddManualAction {
                action,
                entity,
                device,
            } => next.add_manual(entry, *action, entity, device.as_deref())?,
            Event::ApplyPolicy { policy } => {
                next.apply_policy(entry, policy)?;
                Vec::new()
            }
        };
        next.now = next.now.max(entry.at);
        next.last_at = Some(entry.at);
        Ok((next, changed))
    }

    fn decide(
        &mut self,
        entry: &Entry,
        ids: &[String],
        approve: bool,
    ) -> Result<Vec<String>, TransitionError> {
        let act = if approve { Act::Approve } else { Act::Reject };
        let (selection, action) = self.select(act, ids)?;
        check_role(
            &entry.actor,
            act,
            Some(action),
            Requirement::remediation(action.target()),
        )?;
        for (id, origin) in &selection {
            let snap = self.snapshot(*origin, id, entry.at);
            match snap.status {
                Status::Pending => {}
                Status::TimedOut => {
                    return Err(TransitionError::TimedOut {
                        act,
                        id: id.clone(),
                        at: snap.at.unwrap_or(entry.at),
                    })
                }
                status => {
                    return Err(TransitionError::NotPending {
                        act,
                        id: id.clone(),
                        status,
                    })
                }
            }
            let duplicate_of = match (approve, action) {
                (true, ActionType::SoftDeleteEmailCluster) => {
                    self.recent_cluster_approval(*origin, entry.at)
                }
                _ => None,
            };
            let human = Human {
                status: if approve {
                    Status::Completed
                } else {
                    Status::Rejected
                },
                by: entry.actor.name.clone(),
                at: entry.at,
                comment: entry.comment.clone(),
                approved_at: approve.then_some(entry.at),
                duplicate_of,
                disposition: None,
            };
            self.overlay.insert(id.clone(), human);
        }
        Ok(selection.into_iter().map(|(id, _)| id).collect())
    }

    fn undo(
        &mut self,
        entry: &Entry,
        ids: &[String],
        all_instances: bool,
    ) -> Result<Vec<String>, TransitionError> {
        let (selection, action) = self.select(Act::Undo, ids)?;
        if !action.is_undoable() {
            let id = selection
                .first()
                .map(|(id, _)| id.clone())
                .unwrap_or_default();
            return Err(TransitionError::NotUndoable { id, action });
        }
        check_role(
            &entry.actor,
            Act::Undo,
            Some(action),
            Requirement::Administrator,
        )?;
        for (id, origin) in &selection {
            let status = self.snapshot(*origin, id, entry.at).status;
            if status != Status::Completed {
                return Err(TransitionError::NotCompleted {
                    act: Act::Undo,
                    id: id.clone(),
                    status,
                });
            }
        }
        let mut targets: Vec<(String, Origin)> = selection;
        if all_instances && action == ActionType::QuarantineFile {
            let instances = self.other_instances(&targets, entry.at);
            targets.extend(instances);
        }
        for (id, _) in &targets {
            let previous = self.overlay.get(id).cloned();
            let human = Human {
                status: Status::Undone,
                by: entry.actor.name.clone(),
                at: entry.at,
                comment: entry.comment.clone(),
                approved_at: previous.as_ref().and_then(|h| h.approved_at),
                duplicate_of: previous.as_ref().and_then(|h| h.duplicate_of.clone()),
                disposition: previous.and_then(|h| h.disposition),
            };
            self.overlay.insert(id.clone(), human);
        }
        Ok(targets.into_iter().map(|(id, _)| id).collect())
    }

    /// Every other completed file quarantine whose file has the SHA-256 of a selected one.
    fn other_instances(
        &self,
        selection: &[(String, Origin)],
        at: Timestamp,
    ) -> Vec<(String, Origin)> {
        let hashes: HashSet<String> = selection
            .iter()
            .filter_map(|(_, origin)| match origin {
                Origin::Evidence(pos) => self
                    .data
                    .opt_text(self.data.evidence.get(*pos as usize)?.sha256)
                    .map(str::to_ascii_lowercase),
                Origin::Manual(_) => None,
            })
            .filter(|h| !h.is_empty())
            .collect();
        if hashes.is_empty() {
            return Vec::new();
        }
        let chosen: HashSet<&str> = selection.iter().map(|(id, _)| id.as_str()).collect();
        // Whether a hash symbol is one of the selection's, answered once per symbol: a
        // million evidence items name far fewer files.
        let mut same_file = vec![0u8; self.data.strings.len() + 1];
        let mut out = Vec::new();
        for (pos, fact) in self.facts.iter().enumerate() {
            if fact.action != Some(ActionType::QuarantineFile) {
                continue;
            }
            let Some(sha) = self.data.evidence.get(pos).and_then(|e| e.sha256) else {
                continue;
            };
            let Some(memo) = same_file.get_mut(sha.number() as usize) else {
                continue;
            };
            if *memo == 0 {
                let text = self.data.text(sha);
                *memo = if hashes.iter().any(|h| h.eq_ignore_ascii_case(text)) {
                    2
                } else {
                    1
                };
            }
            if *memo != 2 {
                continue;
            }
            let Ok(pos) = u32::try_from(pos) else {
                continue;
            };
            let Some(id) = self.evidence_id(pos) else {
                continue;
            };
            if chosen.contains(id.as_str()) || self.resolve(&id) != Some(Origin::Evidence(pos)) {
                continue;
            }
            if self.snapshot(Origin::Evidence(pos), &id, at).status == Status::Completed {
                out.push((id, Origin::Evidence(pos)));
            }
        }
        out
    }

    fn change_disposition(
        &mut self,
        entry: &Entry,
        ids: &[String],
        disposition: Disposition,
    ) -> Result<Vec<String>, TransitionError> {
        let act = Act::ChangeDisposition;
        let (selection, action) = self.select(act, ids)?;
        if !action.is_email_disposition() {
            let id = selection
                .first()
                .map(|(id, _)| id.clone())
                .unwrap_or_default();
            return Err(TransitionError::NotEmailAction { id, action });
        }
        check_role(
            &entry.actor,
            act,
            Some(action),
            Requirement::remediation(action.target()),
        )?;
        for (id, origin) in &selection {
            let status = self.snapshot(*origin, id, entry.at).status;
            if status != Status::Completed {
                return Err(TransitionError::NotCompleted {
                    act,
                    id: id.clone(),
                    status,
                });
            }
        }
        for (id, _) in &selection {
            let previous = self.overlay.get(id).cloned();
            let human = Human {
                status: Status::Completed,
                by: entry.actor.name.clone(),
                at: entry.at,
                comment: entry.comment.clone(),
                approved_at: previous.as_ref().and_then(|h| h.approved_at),
                duplicate_of: previous.and_then(|h| h.duplicate_of),
                disposition: Some(disposition),
            };
            self.overlay.insert(id.clone(), human);
        }
        Ok(selection.into_iter().map(|(id, _)| id).collect())
    }

    fn add_manual(
        &mut self,
        entry: &Entry,
        action: ActionType,
        entity: &str,
        device: Option<&str>,
    ) -> Result<Vec<String>, TransitionError> {
        if !action.is_manual() {
            return Err(TransitionError::NotManualAction { action });
        }
        let entity = entity.trim();
        if entity.is_empty() {
            return Err(TransitionError::MissingTarget { action });
        }
        check_role(
            &entry.actor,
            Act::AddManualAction,
            Some(action),
            Requirement::remediation(action.target()),
        )?;
        let id = format!("manual/{}", self.manual.len() + 1);
        let device = device
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned);
        self.manual.push(Manual {
            id: id.clone(),
            action,
            entity: entity.to_owned(),
            device,
        });
        let human = Human {
            status: Status::Completed,
            by: entry.actor.name.clone(),
            at: entry.at,
            comment: entry.comment.clone(),
            approved_at: None,
            duplicate_of: None,
            disposition: None,
        };
        self.overlay.insert(id.clone(), human);
        Ok(vec![id])
    }

    fn apply_policy(&mut self, entry: &Entry, file: &PolicyFile) -> Result<(), TransitionError> {
        check_role(
            &entry.actor,
            Act::ApplyPolicy,
            None,
            Requirement::Administrator,
        )?;
        let (policy, _warnings) =
            Policy::from_file(file).map_err(|errors| TransitionError::InvalidPolicy {
                errors: errors.into_iter().map(|e| e.message).collect(),
            })?;
        let decisions = evaluate(&self.data, &policy);
        self.facts = Arc::new(
            self.facts
                .iter()
                .zip(&decisions)
                .map(|(f, d)| Fact {
                    outcome: d.outcome,
                    ..*f
                })
                .collect(),
        );
        self.decisions = Arc::new(decisions);
        self.policy = Arc::new(policy);
        Ok(())
    }

    /// Resolves a selection: duplicates dropped, every id known, one action type.
    fn select(
        &self,
        act: Act,
        ids: &[String],
    ) -> Result<(Vec<(String, Origin)>, ActionType), TransitionError> {
        let mut seen = HashSet::new();
        let mut out: Vec<(String, Origin)> = Vec::with_capacity(ids.len());
        let mut first: Option<(String, ActionType)> = None;
        for id in ids {
            if !seen.insert(id.as_str()) {
                continue;
            }
            let origin = self
                .resolve(id)
                .ok_or_else(|| TransitionError::UnknownAction { id: id.clone() })?;
            let action = self.action_type(origin);
            match &first {
                None => first = Some((id.clone(), action)),
                Some((first_id, first_action)) if *first_action != action => {
                    return Err(TransitionError::MixedActionTypes {
                        first: first_id.clone(),
                        first_action: *first_action,
                        other: id.clone(),
                        other_action: action,
                    })
                }
                Some(_) => {}
            }
            out.push((id.clone(), origin));
        }
        match first {
            Some((_, action)) => Ok((out, action)),
            None => Err(TransitionError::EmptySelection { act }),
        }
    }

    /// The most recent processed approval of the same mail cluster within the previous hour.
    fn recent_cluster_approval(&self, origin: Origin, at: Timestamp) -> Option<String> {
        let Origin::Evidence(pos) = origin else {
            return None;
        };
        let key = self
            .data
            .evidence
            .get(pos as usize)?
            .cluster_key
            .filter(|k| !self.data.text(*k).is_empty())?;
        let mut best: Option<(Timestamp, &str)> = None;
        for (id, human) in &self.overlay {
            let Some(approved) = human.approved_at else {
                continue;
            };
            if human.duplicate_of.is_some()
                || approved > at
                || at.0.saturating_sub(approved.0) > DUPLICATE_WINDOW_MS
            {
                continue;
            }
            let Some(Origin::Evidence(other)) = self.resolve(id) else {
                continue;
            };
            let Some(evidence) = self.data.evidence.get(other as usize) else {
                continue;
            };
            if other == pos
                || evidence.cluster_key != Some(key)
                || self.action_type(Origin::Evidence(other)) != ActionType::SoftDeleteEmailCluster
            {
                continue;
            }
            if best.is_none_or(|(t, _)| approved > t) {
                best = Some((approved, id));
            }
        }
        best.map(|(_, id)| id.to_owned())
    }

    /// The id of the action evidence gives: `<alert_id>/<evidence_index>`.
    fn evidence_id(&self, pos: u32) -> Option<String> {
        let evidence = self.data.evidence.get(pos as usize)?;
        let alert = self.data.alerts.get(evidence.alert as usize)?;
        Some(format!("{}/{}", alert.id, evidence.index))
    }

    /// Which action an id names, if it names one under the current policy (or one a person
    /// has decided under an earlier policy).
    fn resolve(&self, id: &str) -> Option<Origin> {
        if let Some(i) = self.manual.iter().position(|m| m.id == id) {
            return Some(Origin::Manual(i));
        }
        let pos = self.position_of(id)?;
        let outcome = self.decisions.get(pos as usize)?.outcome;
        let is_action = matches!(outcome, Outcome::Automatic | Outcome::PendingApproval)
            || self.overlay.contains_key(id);
        let has_type = self
            .data
            .evidence
            .get(pos as usize)
            .and_then(|e| ActionType::for_entity(&e.kind))
            .is_some();
        (is_action && has_type).then_some(Origin::Evidence(pos))
    }

    /// The evidence behind an action id, as an index into `Dataset::evidence` (for the
    /// flyout's reasons and details). Manual actions have none.
    pub fn evidence_position(&self, id: &str) -> Option<usize> {
        self.position_of(id).map(|p| p as usize)
    }

    /// For a completed file quarantine: the ids of every other completed quarantine of the
    /// same file, which an undo with `all_instances` takes along ("Apply to N more instances
    /// of this file").
    pub fn more_instances(&self, id: &str) -> Vec<String> {
        let Some(pos) = self.position_of(id) else {
            return Vec::new();
        };
        self.other_instances(&[(id.to_owned(), Origin::Evidence(pos))], self.now)
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    }

    /// The evidence an `<alert_id>/<evidence_index>` id names, whether or not it gives an
    /// action. Only the canonical spelling is accepted (`a/1`, not `a/01`), so that one action
    /// has one key in the overlay.
    fn position_of(&self, id: &str) -> Option<u32> {
        let (alert_id, index) = id.rsplit_once('/')?;
        if index.is_empty()
            || !index.bytes().all(|b| b.is_ascii_digit())
            || (index.len() > 1 && index.starts_with('0'))
        {
            return None;
        }
        let index: u32 = index.parse().ok()?;
        // The alert index is rebuilt by `Dataset::reindex` after deserialising; a dataset
        // that skipped it is still searched, only more slowly.
        let alert = self.data.alert_by_id(alert_id).or_else(|| {
            self.data
                .alerts
                .iter()
                .position(|a| a.id == alert_id)
                .and_then(|i| u32::try_from(i).ok())
        })?;
        self.positions.find(&self.data, alert, index)
    }

    fn action_type(&self, origin: Origin) -> ActionType {
        match origin {
            Origin::Evidence(pos) => self
                .data
                .evidence
                .get(pos as usize)
                .and_then(|e| ActionType::for_entity(&e.kind))
                .unwrap_or(ActionType::QuarantineFile),
            Origin::Manual(i) => self
                .manual
                .get(i)
                .map_or(ActionType::IsolateDevice, |m| m.action),
        }
    }

    fn snapshot<'a>(&'a self, origin: Origin, id: &str, at: Timestamp) -> Snapshot<'a> {
        let human = self.overlay.get(id);
        match origin {
            Origin::Evidence(pos) => self.evidence_snapshot(pos, human, at),
            Origin::Manual(i) => self.manual_snapshot(i, human),
        }
    }

    /// The state of an evidence action: the person's decision if there is one, else what the
    /// policy's decision gives at `at`.
    fn evidence_snapshot<'a>(
        &'a self,
        pos: u32,
        human: Option<&'a Human>,
        at: Timestamp,
    ) -> Snapshot<'a> {
        let fact = self.facts.get(pos as usize).copied().unwrap_or_default();
        let action = fact.action.unwrap_or(ActionType::QuarantineFile);
        let created = fact.created();
        let outcome = fact.outcome;
        let since = (outcome == Outcome::PendingApproval)
            .then_some(created)
            .flatten();
        let base = Snapshot {
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
            return human_snapshot(base, h);
        }
        match outcome {
            Outcome::Automatic => {
                // airview decides: an automatic action whose export reports `failed` failed;
                // nothing else in an export says that a taken action failed.
                Snapshot {
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
                Some(expiry) if expiry <= at => Snapshot {
                    status: Status::TimedOut,
                    by: Some(SYSTEM),
                    at: Some(expiry),
                    ..base
                },
                _ => base,
            },
        }
    }

    fn manual_snapshot<'a>(&'a self, i: usize, human: Option<&'a Human>) -> Snapshot<'a> {
        let action = self
            .manual
            .get(i)
            .map_or(ActionType::IsolateDevice, |m| m.action);
        let base = Snapshot {
            action,
            status: Status::Completed,
            by: None,
            at: None,
            since: None,
            comment: None,
            duplicate_of: None,
            disposition: None,
        };
        human.map_or(base, |h| human_snapshot(base, h))
    }

    /// The current status of one action, at the center's "now".
    pub fn status(&self, id: &str) -> Option<Status> {
        let origin = self.resolve(id)?;
        Some(self.snapshot(origin, id, self.now).status)
    }

    /// One action as the center shows it at "now".
    pub fn action(&self, id: &str) -> Option<ActionView> {
        match self.resolve(id) {
            Some(origin) => Some(self.view_of(origin, id.to_owned(), self.now)),
            None => self.reported_views().into_iter().find(|a| a.id == id),
        }
    }

    /// The actions an export reports (Defender for Endpoint machine actions, the portal's and
    /// Office 365's CSV exports): history as the portal saw it, shown beside airview's own
    /// actions and never acted on here. Their ids start with `reported/`. A reported action
    /// whose type or status airview does not know is left out of the queues (the loader
    /// counts it).
    pub fn reported_views(&self) -> Vec<ActionView> {
        (0..self.data.reported_actions.len())
            .filter_map(|i| self.reported_view(u32::try_from(i).ok()?))
            .collect()
    }

    /// One reported action as the lists show it, when airview knows its type and status.
    fn reported_view(&self, i: u32) -> Option<ActionView> {
        let r = self.data.reported_actions.get(i as usize)?;
        let (action, status) = (r.action?, r.status?);
        Some(ActionView {
            id: format!("{REPORTED_PREFIX}{}", r.id),
            action,
            entity: r.entity.clone().unwrap_or_default(),
            device: r.device.clone(),
            device_group: None,
            status,
            source: reported_source(r),
            decided_by: r.decided_by.clone(),
            decided_at: r.updated.or(r.created),
            comment: r.comment.clone(),
            reported_status: Some(r.reported_status.clone()),
            investigation: r.investigation_id.clone(),
            pending_since: None,
            expires_at: None,
            duplicate_of: None,
            disposition: None,
        })
    }

    /// The Pending and History tabs as rows, in their default orders: pending actions the
    /// longest waiting first, then every other action (reported ones included) the most
    /// recently updated first. One pass over the packed facts and no strings: at a million
    /// actions this runs on the page's main thread after every act.
    pub fn rows(&self) -> Rows {
        self.rows_builder().finish()
    }

    /// The same lists, built a slice at a time (the page's loading does this).
    pub fn rows_builder(&self) -> RowsBuilder<'_> {
        RowsBuilder {
            center: self,
            kept: self.kept_positions(),
            next: 0,
            scanned: false,
            pending: Vec::new(),
            history: Vec::new(),
            sorted_pending: None,
            sorted_history: None,
            next_expiry: None,
        }
    }

    /// One row as the lists show it.
    pub fn row_view(&self, row: Row) -> Option<ActionView> {
        match row.kind() {
            RowKind::Evidence(pos) => {
                let id = self.evidence_id(pos)?;
                let snap = self.evidence_snapshot(pos, self.overlay.get(&id), self.now);
                Some(self.view_from(Origin::Evidence(pos), id, snap))
            }
            RowKind::Manual(i) => {
                let m = self.manual.get(i as usize)?;
                let snap = self.manual_snapshot(i as usize, self.overlay.get(&m.id));
                Some(self.view_from(Origin::Manual(i as usize), m.id.clone(), snap))
            }
            RowKind::Reported(i) => self.reported_view(i),
        }
    }

    /// A row's action id (what `Event`s name).
    pub fn row_id(&self, row: Row) -> Option<String> {
        match row.kind() {
            RowKind::Evidence(pos) => self.evidence_id(pos),
            RowKind::Manual(i) => self.manual.get(i as usize).map(|m| m.id.clone()),
            RowKind::Reported(i) => self
                .data
                .reported_actions
                .get(i as usize)
                .map(|r| format!("{REPORTED_PREFIX}{}", r.id)),
        }
    }

    /// The row of an action id, if the lists show it.
    pub fn row_of(&self, id: &str) -> Option<Row> {
        if let Some(rest) = id.strip_prefix(REPORTED_PREFIX) {
            let i = self
                .data
                .reported_actions
                .iter()
                .position(|r| r.id == rest)?;
            return Some(Row::reported(i));
        }
        match self.resolve(id)? {
            Origin::Evidence(pos) => Some(Row::evidence(pos)),
            Origin::Manual(i) => Some(Row::manual(i)),
        }
    }

    /// The row of the action the evidence at `pos` gives, if it gives one.
    pub fn evidence_row(&self, pos: u32) -> Option<Row> {
        self.gives_action(pos, &self.kept_positions())
            .then_some(Row::evidence(pos))
    }

    /// Every action evidence gives, in evidence order, with its state at `at`: the one walk
    /// over a million evidence items that listing, investigations and waiting times share.
    pub(crate) fn each_evidence_action<'a>(
        &'a self,
        at: Timestamp,
        mut visit: impl FnMut(u32, Snapshot<'a>),
    ) {
        let kept = self.kept_positions();
        for pos in 0..self.facts.len() {
            let Ok(pos) = u32::try_from(pos) else { break };
            if self.gives_action(pos, &kept) {
                visit(
                    pos,
                    self.evidence_snapshot(pos, kept.get(&pos).copied(), at),
                );
            }
        }
    }

    /// How many manual response actions were added.
    pub(crate) fn manual_count(&self) -> usize {
        self.manual.len()
    }

    /// The positions in `Dataset::evidence` of an alert's evidence, by evidence index.
    pub fn evidence_of_alert(&self, alert: u32) -> &[u32] {
        self.positions.of_alert(alert)
    }

    /// What filtering and sorting need of one row, borrowed: no allocation for evidence rows.
    pub(crate) fn row_facts<'a>(&'a self, row: Row, kept: &Kept<'a>) -> Option<RowFacts<'a>> {
        match row.kind() {
            RowKind::Evidence(pos) => {
                let evidence = self.data.evidence.get(pos as usize)?;
                let decision = self.decisions.get(pos as usize)?;
                let snap = self.evidence_snapshot(pos, kept.get(&pos).copied(), self.now);
                let alert = self.data.alerts.get(evidence.alert as usize)?;
                Some(RowFacts {
                    action: snap.action,
                    status: snap.status,
                    source: ActionSource::AutomatedInvestigation,
                    updated: snap.at.or(snap.since),
                    entity: self.data.entity(evidence),
                    entity_sym: evidence.entity,
                    device: self.device_of(evidence, decision),
                    group: decision.group,
                    alert: Some((evidence.alert, &alert.id, evidence.index)),
                    investigation: Some(alert.investigation()),
                    decided_by: snap.by,
                    comment: snap.comment,
                    id: None,
                    id_prefix: "",
                })
            }
            RowKind::Manual(i) => {
                let m = self.manual.get(i as usize)?;
                let snap = self.manual_snapshot(i as usize, self.overlay.get(&m.id));
                let device = self.manual_device(m);
                Some(RowFacts {
                    action: snap.action,
                    status: snap.status,
                    source: ActionSource::ManualResponseAction,
                    updated: snap.at.or(snap.since),
                    entity: &m.entity,
                    entity_sym: None,
                    device,
                    group: device.map(|d| self.manual_group(d)),
                    alert: None,
                    investigation: None,
                    decided_by: snap.by,
                    comment: snap.comment,
                    id: Some(&m.id),
                    id_prefix: "",
                })
            }
            RowKind::Reported(i) => {
                let r = self.data.reported_actions.get(i as usize)?;
                Some(RowFacts {
                    action: r.action?,
                    status: r.status?,
                    source: reported_source(r),
                    updated: r.updated.or(r.created),
                    entity: r.entity.as_deref().unwrap_or(""),
                    entity_sym: None,
                    device: r.device.as_deref().map(DeviceRef::Name),
                    group: None,
                    alert: None,
                    investigation: r.investigation_id.as_deref(),
                    decided_by: r.decided_by.as_deref(),
                    comment: r.comment.as_deref(),
                    id: Some(&r.id),
                    id_prefix: REPORTED_PREFIX,
                })
            }
        }
    }

    /// The device an evidence action names: the device found for it, else the Defender id the
    /// evidence carries when no loaded device evidence describes it.
    fn device_of<'a>(
        &'a self,
        e: &'a crate::model::Evidence,
        d: &Decision,
    ) -> Option<DeviceRef<'a>> {
        match d.device? {
            DeviceLink::UnknownDeviceId => e.mde_device_id.map(DeviceRef::Unknown),
            link => link.device().map(DeviceRef::Known),
        }
    }

    fn manual_device<'a>(&'a self, m: &'a Manual) -> Option<DeviceRef<'a>> {
        m.device
            .as_deref()
            .or_else(|| {
                (m.action.target() == crate::action::ActionTarget::Device)
                    .then_some(m.entity.as_str())
            })
            .map(DeviceRef::Name)
    }

    fn manual_group(&self, device: DeviceRef<'_>) -> GroupRef {
        let found = match device {
            DeviceRef::Name(name) => self.find_device(name).and_then(|i| self.data.device(i)),
            DeviceRef::Known(i) => self.data.device(i),
            DeviceRef::Unknown(_) => None,
        };
        self.policy.group_of(found)
    }

    /// The name a device reference shows.
    pub(crate) fn device_name<'a>(&'a self, device: DeviceRef<'a>) -> &'a str {
        match device {
            DeviceRef::Known(i) => self.data.device(i).map_or("", |d| d.display_name()),
            DeviceRef::Unknown(sym) => self.data.text(sym),
            DeviceRef::Name(name) => name,
        }
    }

    /// Calls `visit` with the facts of every row in `rows`, in storage order rather than the
    /// list's: evidence by position, then manual, then reported actions. Reading a million
    /// evidence items in order is several times faster than in a list's order, where every
    /// row is a cache miss in the evidence, the decisions and the alerts.
    pub(crate) fn each_fact<'a>(
        &'a self,
        rows: &crate::queue::RowSet,
        mut visit: impl FnMut(Row, RowFacts<'a>),
    ) {
        let kept = self.kept_positions();
        for row in rows.iter() {
            if let Some(facts) = self.row_facts(row, &kept) {
                visit(row, facts);
            }
        }
    }

    /// Every action at "now": evidence actions in evidence order, then manual actions in the
    /// order they were added.
    pub fn actions(&self) -> Vec<ActionView> {
        let mut out = self.actions_at(self.now);
        out.extend(self.reported_views());
        out
    }

    /// Every action read at another time.
    pub fn actions_at(&self, at: Timestamp) -> Vec<ActionView> {
        self.views_where(at, |_| true)
    }

    /// The actions whose status at `at` passes `keep`. The status is computed before the
    /// view, so that a tab with a few rows does not build a million views.
    fn views_where(&self, at: Timestamp, keep: impl Fn(Status) -> bool) -> Vec<ActionView> {
        let mut out = Vec::new();
        self.each_evidence_action(at, |pos, snap| {
            if let Some(id) = self.evidence_id(pos).filter(|_| keep(snap.status)) {
                out.push(self.view_from(Origin::Evidence(pos), id, snap));
            }
        });
        for (i, m) in self.manual.iter().enumerate() {
            let snap = self.manual_snapshot(i, self.overlay.get(&m.id));
            if keep(snap.status) {
                out.push(self.view_from(Origin::Manual(i), m.id.clone(), snap));
            }
        }
        out
    }

    /// The Pending tab: pending actions, the longest waiting first.
    pub fn pending(&self) -> Vec<ActionView> {
        self.views(&self.rows().pending)
    }

    /// The History tab: every decided action, the most recently updated first.
    pub fn history(&self) -> Vec<ActionView> {
        self.views(&self.rows().history)
    }

    /// What the center shows: `{"pending": [...], "history": [...], "investigations": [...]}`.
    pub fn view(&self) -> CenterView {
        let rows = self.rows();
        CenterView {
            pending: self.views(&rows.pending),
            history: self.views(&rows.history),
            investigations: self.investigations(),
        }
    }

    /// The views of rows, in their order.
    pub fn views(&self, rows: &[Row]) -> Vec<ActionView> {
        rows.iter().filter_map(|r| self.row_view(*r)).collect()
    }

    /// Every investigation of the loaded alerts, in the order their first alert was loaded,
    /// with its status at "now". Manual actions belong to no investigation.
    pub fn investigations(&self) -> Vec<InvestigationView> {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut views: Vec<(InvestigationView, bool)> = Vec::new();
        let mut alert_slot = Vec::with_capacity(self.data.alerts.len());
        for alert in &self.data.alerts {
            let id = alert.investigation();
            let slot = *index.entry(id).or_insert_with(|| {
                views.push((
                    InvestigationView {
                        id: id.to_owned(),
                        status: crate::investigation::InvestigationStatus::NoThreatsFound,
                        complete: true,
                        actions: 0,
                        counts: ActionCounts::default(),
                        alerts: Vec::new(),
                    },
                    false,
                ));
                views.len() - 1
            });
            if let Some((view, running)) = views.get_mut(slot) {
                view.alerts.push(alert.id.clone());
                // The alert's own state, else what `/api/investigations` says of its investigation.
                *running |= self
                    .data
                    .investigation_state(alert)
                    .is_some_and(|s| s.trim().eq_ignore_ascii_case("running"));
            }
            alert_slot.push(slot);
        }
        self.each_evidence_action(self.now, |pos, snap| {
            let slot = self
                .data
                .evidence
                .get(pos as usize)
                .and_then(|e| alert_slot.get(e.alert as usize));
            if let Some((view, _)) = slot.and_then(|s| views.get_mut(*s)) {
                view.counts.add(snap.status);
            }
        });
        views
            .into_iter()
            .map(|(mut view, running)| {
                view.actions = view.counts.total();
                view.status = view.counts.status(running);
                view.complete = view.counts.pending == 0
                    && view.status != crate::investigation::InvestigationStatus::Running;
                view
            })
            .collect()
    }

    /// Whether the evidence at `pos` gives an action: the same test as `resolve`, without
    /// formatting and parsing its id (listing walks a million of them).
    fn gives_action(&self, pos: u32, kept: &Kept<'_>) -> bool {
        let Some(fact) = self.facts.get(pos as usize) else {
            return false;
        };
        let decided = matches!(fact.outcome, Outcome::Automatic | Outcome::PendingApproval);
        (decided || kept.contains_key(&pos))
            && fact.action.is_some()
            // A repeated `(alert, index)` pair names the first evidence only.
            && self.positions.is_first(pos)
    }

    /// The overlay's evidence actions by position, so that listing a million actions does not
    /// look each id up.
    fn kept_positions(&self) -> Kept<'_> {
        if self.overlay.is_empty() {
            return Kept::default();
        }
        self.overlay
            .iter()
            .filter_map(|(id, h)| self.position_of(id).map(|p| (p, h)))
            .collect()
    }

    fn view_of(&self, origin: Origin, id: String, at: Timestamp) -> ActionView {
        let snap = self.snapshot(origin, &id, at);
        self.view_from(origin, id, snap)
    }

    fn view_from(&self, origin: Origin, id: String, snap: Snapshot<'_>) -> ActionView {
        let expires_at = match snap.status {
            Status::Pending => snap.since.map(|s| s.plus_days(TIMEOUT_DAYS)),
            _ => None,
        };
        let mut view = ActionView {
            id,
            action: snap.action,
            entity: String::new(),
            device: None,
            device_group: None,
            status: snap.status,
            source: ActionSource::AutomatedInvestigation,
            decided_by: snap.by.map(str::to_owned),
            decided_at: snap.at,
            comment: snap.comment.map(str::to_owned),
            reported_status: None,
            investigation: None,
            pending_since: snap.since,
            expires_at,
            duplicate_of: snap.duplicate_of.map(str::to_owned),
            disposition: snap.disposition,
        };
        match origin {
            Origin::Evidence(pos) => {
                let evidence = self.data.evidence.get(pos as usize);
                let decision = self.decisions.get(pos as usize);
                if let Some(e) = evidence {
                    view.entity = self.data.entity(e).to_owned();
                    view.reported_status =
                        e.remediation_status.as_ref().map(|s| s.label().to_owned());
                    view.investigation =
                        self.data.alert_of(e).map(|a| a.investigation().to_owned());
                    view.device = match decision.and_then(|d| d.device) {
                        Some(DeviceLink::UnknownDeviceId) => {
                            self.data.opt_text(e.mde_device_id).map(str::to_owned)
                        }
                        Some(link) => link
                            .device()
                            .and_then(|d| self.data.device(d))
                            .map(|d| d.display_name().to_owned()),
                        None => None,
                    };
                }
                view.device_group = decision
                    .and_then(|d| d.group)
                    .map(|g| self.policy.group_name(g).to_owned());
            }
            Origin::Manual(i) => {
                view.source = ActionSource::ManualResponseAction;
                if let Some(m) = self.manual.get(i) {
                    view.entity = m.entity.clone();
                    view.device = m.device.clone().or_else(|| {
                        (m.action.target() == crate::action::ActionTarget::Device)
                            .then(|| m.entity.clone())
                    });
                    view.device_group = view.device.as_deref().map(|d| {
                        let found = self.find_device(d).and_then(|i| self.data.device(i));
                        self.policy
                            .group_name(self.policy.group_of(found))
                            .to_owned()
                    });
                }
            }
        }
        view
    }

    /// A device by Defender id, DNS name or host name (case-insensitive).
    fn find_device(&self, name: &str) -> Option<u32> {
        self.data.device_by_id(name).or_else(|| {
            self.data
                .devices
                .iter()
                .position(|d| {
                    d.mde_device_id == name
                        || d.dns_name.as_deref().is_some_and(|dns| {
                            dns.eq_ignore_ascii_case(name)
                                || dns
                                    .split('.')
                                    .next()
                                    .is_some_and(|host| host.eq_ignore_ascii_case(name))
                        })
                })
                .and_then(|i| u32::try_from(i).ok())
        })
    }
}

/// Lists the Pending and History tabs a slice at a time: scanning the evidence actions, then
/// sorting each tab, each a step of its own. See `Center::rows`.
pub struct RowsBuilder<'a> {
    center: &'a Center,
    kept: Kept<'a>,
    /// The next evidence position to look at.
    next: usize,
    /// Every evidence, manual and reported action has been looked at.
    scanned: bool,
    pending: Vec<(u64, Row)>,
    history: Vec<(u64, Row)>,
    sorted_pending: Option<Vec<Row>>,
    sorted_history: Option<Vec<Row>>,
    next_expiry: Option<Timestamp>,
}

impl RowsBuilder<'_> {
    fn push(&mut self, row: Row, snap: &Snapshot<'_>) {
        if snap.status == Status::Pending {
            if let Some(expiry) = snap.since.map(|s| s.plus_days(TIMEOUT_DAYS)) {
                self.next_expiry = Some(self.next_expiry.map_or(expiry, |e| e.min(expiry)));
            }
            self.pending.push((crate::queue::time_key(snap.since), row));
        } else {
            self.history.push((!crate::queue::time_key(snap.at), row));
        }
    }

    /// Looks at up to `budget` more evidence items, or sorts one tab; true when done.
    pub fn step(&mut self, budget: usize) -> bool {
        let center = self.center;
        if !self.scanned {
            let n = center.facts.len();
            let end = self.next.saturating_add(budget).min(n);
            for pos in self.next..end {
                let Ok(pos) = u32::try_from(pos) else { break };
                if center.gives_action(pos, &self.kept) {
                    let human = self.kept.get(&pos).copied();
                    let snap = center.evidence_snapshot(pos, human, center.now);
                    self.push(Row::evidence(pos), &snap);
                }
            }
            self.next = end;
            if end == n {
                for (i, m) in center.manual.iter().enumerate() {
                    let snap = center.manual_snapshot(i, center.overlay.get(&m.id));
                    self.push(Row::manual(i), &snap);
                }
                for (i, r) in center.data.reported_actions.iter().enumerate() {
                    // Reported actions are history as the portal saw it, whatever their status.
                    if r.action.is_some() && r.status.is_some() {
                        let key = !crate::queue::time_key(r.updated.or(r.created));
                        self.history.push((key, Row::reported(i)));
                    }
                }
                self.scanned = true;
            }
            return false;
        }
        if self.sorted_pending.is_none() {
            self.sorted_pending = Some(crate::queue::sorted(std::mem::take(&mut self.pending)));
            return false;
        }
        if self.sorted_history.is_none() {
            self.sorted_history = Some(crate::queue::sorted(std::mem::take(&mut self.history)));
        }
        true
    }

    /// Evidence items looked at, of all.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.center.facts.len())
    }

    /// The lists, with whatever steps were left done now.
    pub fn finish(mut self) -> Rows {
        while !self.step(usize::MAX) {}
        Rows {
            pending: self.sorted_pending.take().unwrap_or_default(),
            history: self.sorted_history.take().unwrap_or_default(),
            next_expiry: self.next_expiry,
        }
    }
}

/// What the lists read of one evidence item, packed into 16 bytes: listing a million actions
/// after every act reads these instead of the evidence (128 bytes each) and its decision,
/// which is most of what made listing slow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fact {
    /// When the evidence was created (else its alert), in milliseconds; `i64::MIN` for
    /// never said. An action is taken or starts waiting then.
    created: i64,
    action: Option<ActionType>,
    outcome: Outcome,
    /// The export says the remediation failed.
    failed: bool,
}

impl Default for Fact {
    fn default() -> Fact {
        Fact {
            created: i64::MIN,
            action: None,
            outcome: Outcome::NoAction,
            failed: false,
        }
    }
}

impl Fact {
    fn of(data: &Dataset, evidence: &crate::model::Evidence, decision: &Decision) -> Fact {
        let created = evidence
            .created
            .or_else(|| data.alert_of(evidence).and_then(|a| a.created));
        Fact {
            created: created.map_or(i64::MIN, |t| t.0),
            action: ActionType::for_entity(&evidence.kind),
            outcome: decision.outcome,
            failed: evidence.remediation_status == Some(RemediationStatus::Failed),
        }
    }

    fn created(self) -> Option<Timestamp> {
        (self.created != i64::MIN).then_some(Timestamp(self.created))
    }
}

/// Builds a center a slice at a time: deciding every evidence item, packing what the lists
/// read, and indexing the evidence by alert. The page builds a million-item center this way,
/// yielding to the browser between slices; `Center::new` runs it to the end at once.
pub struct CenterBuilder {
    data: Arc<Dataset>,
    policy: Arc<Policy>,
    now: Timestamp,
    evaluator: crate::decide::Evaluator,
    positions: Option<Arc<EvidenceIndex>>,
    facts: Vec<Fact>,
    /// Each item's `(alert, evidence index)`, gathered with the facts for the index.
    pairs: Vec<(u32, u32)>,
}

impl CenterBuilder {
    pub fn new(data: Arc<Dataset>, policy: Arc<Policy>, now: Timestamp) -> CenterBuilder {
        CenterBuilder {
            evaluator: crate::decide::Evaluator::new(&data),
            facts: Vec::with_capacity(data.evidence.len()),
            pairs: Vec::with_capacity(data.evidence.len()),
            data,
            policy,
            now,
            positions: None,
        }
    }

    /// Does about `budget` more items of work (indexing counts as one); true when done.
    pub fn step(&mut self, budget: usize) -> bool {
        let data = &self.data;
        if !self.evaluator.step(data, &self.policy, budget) {
            return false;
        }
        let n = data.evidence.len();
        if self.facts.len() < n {
            let done = self.facts.len();
            let end = done.saturating_add(budget).min(n);
            let decisions = &self.evaluator.decisions;
            for pos in done..end {
                if let (Some(e), Some(d)) = (data.evidence.get(pos), decisions.get(pos)) {
                    self.facts.push(Fact::of(data, e, d));
                    self.pairs.push((e.alert, e.index));
                }
            }
            return false;
        }
        if self.positions.is_none() {
            let pairs = std::mem::take(&mut self.pairs);
            self.positions = Some(Arc::new(EvidenceIndex::from_pairs(
                data.alerts.len(),
                &pairs,
            )));
        }
        true
    }

    /// Items of work done, of all: deciding and packing each evidence item, and indexing.
    pub fn progress(&self) -> (usize, usize) {
        let n = self.data.evidence.len();
        let indexed = usize::from(self.positions.is_some());
        (
            self.evaluator.decisions.len() + self.facts.len() + indexed,
            2 * n + 1,
        )
    }

    /// The center, with whatever steps were left done now.
    pub fn finish(mut self) -> Center {
        while !self.step(usize::MAX) {}
        Center {
            positions: self.positions.unwrap_or_default(),
            decisions: Arc::new(self.evaluator.decisions),
            facts: Arc::new(self.facts),
            data: self.data,
            policy: self.policy,
            overlay: BTreeMap::new(),
            manual: Vec::new(),
            now: self.now,
            last_at: None,
        }
    }
}

/// Where each alert's evidence sits in `Dataset::evidence`, for finding an action by its
/// `<alert_id>/<evidence_index>` id. The positions of alert `a`'s evidence are
/// `by_alert[start[a]..start[a + 1]]`, ordered by evidence index and then by position. It is
/// built in a few linear passes without hashing: at a million evidence items it is built on
/// the page's main thread while the analyst waits, and it takes 8 bytes per item where a
/// hash map took about 24.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct EvidenceIndex {
    start: Vec<u32>,
    by_alert: Vec<u32>,
    /// Bit `pos` is set when the evidence at `pos` is the first with its `(alert, index)`: a
    /// repeated pair names the first evidence only.
    first: Vec<u64>,
}

impl EvidenceIndex {
    /// The index from each evidence item's `(alert, evidence index)`, in position order: an
    /// array of 8 bytes an item, read in order, where the evidence itself is 128.
    pub(crate) fn from_pairs(alerts: usize, pairs: &[(u32, u32)]) -> EvidenceIndex {
        let mut start = vec![0u32; alerts + 1];
        for (alert, _) in pairs {
            if let Some(slot) = start.get_mut(*alert as usize + 1) {
                *slot += 1;
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next: Vec<u32> = start.clone();
        let mut by_alert = vec![0u32; start.last().copied().unwrap_or(0) as usize];
        for (pos, (alert, _)) in pairs.iter().enumerate() {
            let Some(slot) = next.get_mut(*alert as usize) else {
                continue;
            };
            if let (Some(cell), Ok(pos)) = (by_alert.get_mut(*slot as usize), u32::try_from(pos)) {
                *cell = pos;
            }
            *slot += 1;
        }
        let index_of = |p: &u32| pairs.get(*p as usize).map_or(0, |(_, index)| *index);
        let mut first = vec![0u64; pairs.len().div_ceil(64)];
        for a in 0..alerts {
            let (lo, hi) = (start[a] as usize, start[a + 1] as usize);
            let Some(slice) = by_alert.get_mut(lo..hi) else {
                continue;
            };
            // Importers write an alert's evidence in order, so this is nearly always sorted
            // already; the sort is stable, so the first of a repeated index stays first.
            if !slice.windows(2).all(|w| index_of(&w[0]) <= index_of(&w[1])) {
                slice.sort_by_key(index_of);
            }
            let mut previous = None;
            for p in slice.iter() {
                let index = index_of(p);
                if previous != Some(index) {
                    if let Some(word) = first.get_mut(*p as usize / 64) {
                        *word |= 1 << (p % 64);
                    }
                }
                previous = Some(index);
            }
        }
        EvidenceIndex {
            start,
            by_alert,
            first,
        }
    }

    /// The position of the first evidence of `alert` with `index`.
    pub(crate) fn find(&self, data: &Dataset, alert: u32, index: u32) -> Option<u32> {
        let lo = *self.start.get(alert as usize)? as usize;
        let hi = *self.start.get(alert as usize + 1)? as usize;
        let slice = self.by_alert.get(lo..hi)?;
        let index_of = |p: &u32| data.evidence.get(*p as usize).map_or(0, |e| e.index);
        let at = slice.partition_point(|p| index_of(p) < index);
        slice.get(at).copied().filter(|p| index_of(p) == index)
    }

    /// Whether the evidence at `pos` is the first with its `(alert, index)`.
    pub(crate) fn is_first(&self, pos: u32) -> bool {
        self.first
            .get(pos as usize / 64)
            .is_some_and(|w| w & (1 << (pos % 64)) != 0)
    }

    /// The positions of an alert's evidence, by evidence index.
    pub(crate) fn of_alert(&self, alert: u32) -> &[u32] {
        let lo = self.start.get(alert as usize).copied().unwrap_or(0) as usize;
        let hi = self.start.get(alert as usize + 1).copied().unwrap_or(0) as usize;
        self.by_alert.get(lo..hi).unwrap_or(&[])
    }
}

fn human_snapshot<'a>(base: Snapshot<'a>, h: &'a Human) -> Snapshot<'a> {
    Snapshot {
        status: h.status,
        by: Some(&h.by),
        at: Some(h.at),
        comment: h.comment.as_deref(),
        duplicate_of: h.duplicate_of.as_deref(),
        disposition: h.disposition,
        ..base
    }
}

fn check_role(
    actor: &Actor,
    act: Act,
    action: Option<ActionType>,
    needs: Requirement,
) -> Result<(), TransitionError> {
    if actor.meets(needs) {
        Ok(())
    } else {
        Err(TransitionError::MissingRole {
            actor: actor.name.clone(),
            act,
            action,
            needs,
            has: actor.roles.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Alert, EntityKind, Evidence, Verdict};

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

    #[test]
    fn evidence_index_finds_the_first_of_a_repeated_pair_in_any_order() {
        let mut data = Dataset::new();
        for id in ["a", "b", "c"] {
            data.add_alert(Alert {
                id: id.to_owned(),
                ..Alert::default()
            });
        }
        // (alert, index) by position: b's evidence out of order, a's index 1 twice, c none.
        let pairs = [(0, 0), (1, 2), (0, 1), (1, 0), (0, 1), (1, 1)];
        for (alert, index) in pairs {
            data.push_evidence(Evidence::new(
                alert,
                index,
                EntityKind::File,
                Verdict::Malicious,
            ));
        }
        let pairs: Vec<(u32, u32)> = data.evidence.iter().map(|e| (e.alert, e.index)).collect();
        let index = EvidenceIndex::from_pairs(data.alerts.len(), &pairs);
        assert_eq!(index.find(&data, 0, 0), Some(0));
        assert_eq!(index.find(&data, 0, 1), Some(2));
        assert_eq!(index.find(&data, 1, 0), Some(3));
        assert_eq!(index.find(&data, 1, 1), Some(5));
        assert_eq!(index.find(&data, 1, 2), Some(1));
        assert_eq!(index.find(&data, 0, 2), None);
        assert_eq!(index.find(&data, 2, 0), None);
        assert_eq!(index.find(&data, 7, 0), None);
        let firsts: Vec<bool> = (0..6).map(|p| index.is_first(p)).collect();
        assert_eq!(firsts, [true, true, true, true, false, true]);
        assert_eq!(index.of_alert(1), &[3, 5, 1]);
        assert_eq!(index.of_alert(2), &[] as &[u32]);
    }
}
