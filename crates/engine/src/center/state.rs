//! The action center's state: the loaded data and the current policy's decisions over it,
//! shared behind `Arc` by every center derived from the same load, and what people did since,
//! a small overlay keyed by action id. Time-outs are not stored: a pending action whose
//! pending-since time plus 7 days is at or before the time considered has timed out.

use crate::center::index::{EvidenceIndex, Fact};
use crate::model::Dataset;
use crate::rules::decide::Decision;
use crate::rules::policy::Policy;
use crate::time::{Timestamp, HOUR_MS};
use crate::vocab::{ActionType, Disposition, Status};
use std::collections::BTreeMap;
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

/// A person's decision on one action, kept in the overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Human {
    pub(super) status: Status,
    /// The last update: who, when, why.
    pub(super) by: String,
    pub(super) at: Timestamp,
    pub(super) comment: Option<String>,
    /// When it was approved, kept across later updates for the de-duplication window.
    pub(super) approved_at: Option<Timestamp>,
    pub(super) duplicate_of: Option<String>,
    pub(super) disposition: Option<Disposition>,
}

/// A manual response action, as added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Manual {
    pub(super) id: String,
    pub(super) action: ActionType,
    pub(super) entity: String,
    pub(super) device: Option<String>,
}

/// The action center's state. Cheap to clone: the data and decisions are shared.
#[derive(Clone, Debug)]
pub struct Center {
    pub(super) data: Arc<Dataset>,
    pub(super) policy: Arc<Policy>,
    pub(super) decisions: Arc<Vec<Decision>>,
    /// `(alert, evidence index)` to the evidence's position in `Dataset::evidence`.
    pub(super) positions: Arc<EvidenceIndex>,
    /// What the lists read of each evidence item, packed (see `Fact`).
    pub(super) facts: Arc<Vec<Fact>>,
    pub(super) overlay: BTreeMap<String, Human>,
    pub(super) manual: Vec<Manual>,
    pub(super) now: Timestamp,
    pub(super) last_at: Option<Timestamp>,
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

impl Center {
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
}
