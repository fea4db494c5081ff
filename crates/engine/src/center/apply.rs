//! The transitions: `apply` takes one journal entry and returns a new center or why the entry
//! is refused. Every change is made on a copy that is dropped on the first refusal, so a
//! refused entry leaves the center as it was; which act is allowed from which status is the
//! lifecycle table's (`rules/lifecycle.rs`).

use crate::center::event::{Entry, Event, TransitionError};
use crate::center::ids::Origin;
use crate::center::index::Fact;
use crate::center::state::{Center, Human, Manual, DUPLICATE_WINDOW_MS};
use crate::rules::decide::evaluate;
use crate::rules::lifecycle;
use crate::rules::policy::{Policy, PolicyFile};
use crate::rules::roles::{Actor, Requirement};
use crate::time::Timestamp;
use crate::vocab::{Act, ActionType, Disposition, Status};
use std::collections::HashSet;
use std::sync::Arc;

/// Applies one entry to a center: the new center, or why the entry was refused.
pub fn apply(center: &Center, entry: &Entry) -> Result<Center, TransitionError> {
    center.apply(entry)
}

impl Center {
    /// Replays a journal over a base center. The error carries the 1-based number of the
    /// entry (the journal line) that was refused.
    pub fn replay(base: &Center, entries: &[Entry]) -> Result<Center, (usize, TransitionError)> {
        let mut center = base.clone();
        for (i, entry) in entries.iter().enumerate() {
            center = center.apply(entry).map_err(|e| (i + 1, e))?;
        }
        Ok(center)
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

    pub(super) fn decide(
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
        self.takes(act, &selection, entry.at)?;
        for (id, origin) in &selection {
            let duplicate_of = match (approve, action) {
                (true, ActionType::SoftDeleteEmailCluster) => {
                    self.recent_cluster_approval(*origin, entry.at)
                }
                _ => None,
            };
            let human = Human {
                status: leaves(act),
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

    pub(super) fn undo(
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
        self.takes(Act::Undo, &selection, entry.at)?;
        let mut targets: Vec<(String, Origin)> = selection;
        if all_instances && action == ActionType::QuarantineFile {
            let instances = self.other_instances(&targets, entry.at);
            targets.extend(instances);
        }
        for (id, _) in &targets {
            let previous = self.overlay.get(id).cloned();
            let human = Human {
                status: leaves(Act::Undo),
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
    pub(super) fn other_instances(
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
            if self.state_of(Origin::Evidence(pos), &id, at).status == Status::Completed {
                out.push((id, Origin::Evidence(pos)));
            }
        }
        out
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

    pub(super) fn change_disposition(
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
        self.takes(act, &selection, entry.at)?;
        for (id, _) in &selection {
            let previous = self.overlay.get(id).cloned();
            let human = Human {
                status: leaves(act),
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

    pub(super) fn add_manual(
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
            status: leaves(Act::AddManualAction),
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

    pub(super) fn apply_policy(
        &mut self,
        entry: &Entry,
        file: &PolicyFile,
    ) -> Result<(), TransitionError> {
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

    /// Whether `act` may take every selected action from the status it is in at `at`, by
    /// the lifecycle table; the refusal names the first that it may not.
    pub(super) fn takes(
        &self,
        act: Act,
        selection: &[(String, Origin)],
        at: Timestamp,
    ) -> Result<(), TransitionError> {
        for (id, origin) in selection {
            let state = self.state_of(*origin, id, at);
            if lifecycle::allowed(act, state.status) {
                continue;
            }
            let id = id.clone();
            let status = state.status;
            return Err(if lifecycle::from(act).contains(&Status::Pending) {
                match status {
                    Status::TimedOut => TransitionError::TimedOut {
                        act,
                        id,
                        at: state.at.unwrap_or(at),
                    },
                    _ => TransitionError::NotPending { act, id, status },
                }
            } else {
                TransitionError::NotCompleted { act, id, status }
            });
        }
        Ok(())
    }

    /// Resolves a selection: duplicates dropped, every id known, one action type.
    pub(super) fn select(
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
    pub(super) fn recent_cluster_approval(&self, origin: Origin, at: Timestamp) -> Option<String> {
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

/// The status an accepted act leaves its actions in. Every act that writes a person's decision
/// into the overlay leaves one (`lifecycle::leaves`); the fallback is never reached.
fn leaves(act: Act) -> Status {
    lifecycle::leaves(act).unwrap_or(Status::Completed)
}
