//! What the screens and the CLI show of actions: an `ActionView` per action at the center's
//! time, the Pending and History tabs, everything at once (`CenterView`), and the
//! investigations with their status.

use crate::center::action_state::ActionState;
use crate::center::ids::Origin;
use crate::center::rows::{Row, RowKind};
use crate::center::state::{Center, REPORTED_PREFIX, TIMEOUT_DAYS};
use crate::model::DeviceLink;
use crate::rules::investigation::{ActionCounts, InvestigationStatus, InvestigationView};
use crate::time::Timestamp;
use crate::vocab::{ActionSource, ActionTarget, ActionType, Disposition, Status};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One action as the Pending and History tabs show it, at the center's "now".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionView {
    /// `<alert_id>/<evidence_index>` for actions that come from evidence, `manual/<n>` for
    /// manual response actions.
    pub id: String,
    pub action: ActionType,
    /// The entity as analysts name it: a file name, a URL, a user principal name, a subject.
    pub entity: String,
    /// The device's DNS name (or its Defender id when no device evidence describes it).
    pub device: Option<String>,
    /// Endpoint actions only: the device group under the current policy.
    pub device_group: Option<String>,
    pub status: Status,
    pub source: ActionSource,
    /// "Automation", "System" (a time-out) or the actor's name; none while pending.
    pub decided_by: Option<String>,
    /// When the action was last updated (taken, rejected, timed out, undone, changed); none
    /// while pending.
    pub decided_at: Option<Timestamp>,
    pub comment: Option<String>,
    /// The export's own `remediationStatus`, shown beside airview's status.
    pub reported_status: Option<String>,
    /// Actions from evidence: the alert's investigation. Manual actions belong to none.
    pub investigation: Option<String>,
    /// When the action started waiting for approval (evidence creation time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_since: Option<Timestamp>,
    /// Pending actions only: when the action times out if nobody decides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// An email cluster approval recorded but not processed again, because the same cluster
    /// was approved within the previous hour by this action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// Email actions whose disposition was changed from History.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposition: Option<Disposition>,
}

/// Everything the center shows: the CLI prints it as
/// `{"pending": [...], "history": [...], "investigations": [...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CenterView {
    pub pending: Vec<ActionView>,
    pub history: Vec<ActionView>,
    pub investigations: Vec<InvestigationView>,
}

impl Center {
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
    pub(super) fn reported_view(&self, i: u32) -> Option<ActionView> {
        let r = self.data.reported_actions.get(i as usize)?;
        let (action, status) = (r.action?, r.status?);
        Some(ActionView {
            id: format!("{REPORTED_PREFIX}{}", r.id),
            action,
            entity: r.entity.clone().unwrap_or_default(),
            device: r.device.clone(),
            device_group: None,
            status,
            source: ActionSource::from_label(&r.source),
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

    /// One row as the lists show it.
    pub fn row_view(&self, row: Row) -> Option<ActionView> {
        match row.kind() {
            RowKind::Evidence(pos) => {
                let id = self.evidence_id(pos)?;
                let snap = self.evidence_state(pos, self.overlay.get(&id), self.now);
                Some(self.view_from(Origin::Evidence(pos), id, snap))
            }
            RowKind::Manual(i) => {
                let m = self.manual.get(i as usize)?;
                let snap = self.manual_state(i as usize, self.overlay.get(&m.id));
                Some(self.view_from(Origin::Manual(i as usize), m.id.clone(), snap))
            }
            RowKind::Reported(i) => self.reported_view(i),
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
    pub(super) fn views_where(
        &self,
        at: Timestamp,
        keep: impl Fn(Status) -> bool,
    ) -> Vec<ActionView> {
        let mut out = Vec::new();
        self.each_evidence_action(at, |pos, snap| {
            if let Some(id) = self.evidence_id(pos).filter(|_| keep(snap.status)) {
                out.push(self.view_from(Origin::Evidence(pos), id, snap));
            }
        });
        for (i, m) in self.manual.iter().enumerate() {
            let snap = self.manual_state(i, self.overlay.get(&m.id));
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
                        status: InvestigationStatus::NoThreatsFound,
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
                view.complete =
                    view.counts.pending == 0 && view.status != InvestigationStatus::Running;
                view
            })
            .collect()
    }

    pub(super) fn view_of(&self, origin: Origin, id: String, at: Timestamp) -> ActionView {
        let snap = self.state_of(origin, &id, at);
        self.view_from(origin, id, snap)
    }

    pub(super) fn view_from(
        &self,
        origin: Origin,
        id: String,
        snap: ActionState<'_>,
    ) -> ActionView {
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
                        (m.action.target() == ActionTarget::Device).then(|| m.entity.clone())
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
}
