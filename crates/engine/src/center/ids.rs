//! Action ids: `<alert_id>/<evidence_index>` for actions that come from evidence,
//! `manual/<n>` for manual response actions, `reported/<id>` for actions an export reports.
//! An id is resolved to where its action comes from, under the current policy.

use crate::center::state::Center;
use crate::vocab::{ActionType, Outcome};

/// Where an action comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Index into `Dataset::evidence`.
    Evidence(u32),
    /// Index into `Center::manual`.
    Manual(usize),
}

impl Center {
    /// The id of the action evidence gives: `<alert_id>/<evidence_index>`.
    pub(super) fn evidence_id(&self, pos: u32) -> Option<String> {
        let evidence = self.data.evidence.get(pos as usize)?;
        let alert = self.data.alerts.get(evidence.alert as usize)?;
        Some(format!("{}/{}", alert.id, evidence.index))
    }

    /// Which action an id names, if it names one under the current policy (or one a person
    /// has decided under an earlier policy).
    pub(super) fn resolve(&self, id: &str) -> Option<Origin> {
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

    /// The evidence an `<alert_id>/<evidence_index>` id names, whether or not it gives an
    /// action. Only the canonical spelling is accepted (`a/1`, not `a/01`), so that one action
    /// has one key in the overlay.
    pub(super) fn position_of(&self, id: &str) -> Option<u32> {
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

    pub(super) fn action_type(&self, origin: Origin) -> ActionType {
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

    /// A device by Defender id, DNS name or host name (case-insensitive).
    pub(super) fn find_device(&self, name: &str) -> Option<u32> {
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
