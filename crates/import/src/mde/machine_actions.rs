//! Defender for Endpoint machine actions, `/api/machineactions`: response actions taken on
//! devices, read as reported actions (history as Defender for Endpoint saw it).
//!
//! A machine action's source is "Manual response action" when its `requestor` is a person and
//! "Automated investigation" when automation asked for it (airview decides: a user principal
//! name is a person; a requestor that is empty, or names automation, `AutoIR`, `AIR` or the
//! system, is automation; anything else is a person).

use crate::json::fields::{id, skip, text, timestamp};
use crate::json::response::{Ctx, Item};
use crate::vocabulary;
use airview_engine::model::ReportedAction;
use airview_engine::{ActionType, Status, Timestamp};
use serde::de::{self, MapAccess};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::HashSet;

/// The machine actions a file's reader has met, to skip repeats (pages may overlap).
#[derive(Default)]
pub(super) struct Seen {
    /// Ids of the reported actions loaded already, built on first use.
    known: Option<HashSet<String>>,
    /// Ids of actions skipped as repeats, in the order met.
    pub(super) repeated: Vec<String>,
}

/// A machine action being read.
#[derive(Default)]
pub(super) struct ActionItem {
    id: Option<String>,
    kind: Option<String>,
    requestor: Option<String>,
    comment: Option<String>,
    status: Option<String>,
    machine_id: Option<String>,
    dns_name: Option<String>,
    created: Option<Timestamp>,
    updated: Option<Timestamp>,
    cancelled_by: Option<String>,
    file: Option<String>,
    investigation: Option<String>,
}

/// `relatedFileInfo`: the file a StopAndQuarantineFile action names.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, expecting = "a related file object")]
struct RelatedFile<'a> {
    #[serde(borrow)]
    file_identifier: Option<Cow<'a, str>>,
}

impl Item for ActionItem {
    type State = Seen;
    const DOCUMENT: &'static str = "a machine action, a list response or an array of them";
    const LIST: &'static str = "an array of machine actions";
    const OBJECT: &'static str = "a machine action or a list response (an object)";
    const NULL_IS_AN_EMPTY_LIST: bool = true;

    fn start(_ctx: &Ctx<Seen>) -> Self {
        ActionItem::default()
    }

    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        _ctx: &mut Ctx<Seen>,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            "id" => self.id = id(map)?,
            "type" => self.kind = text(map)?,
            "requestor" => self.requestor = text(map)?,
            "requestorComment" => self.comment = text(map)?,
            "status" => self.status = text(map)?,
            "machineId" => self.machine_id = text(map)?,
            "computerDnsName" => self.dns_name = text(map)?,
            "creationDateTimeUtc" => self.created = timestamp(map)?,
            "lastUpdateDateTimeUtc" => self.updated = timestamp(map)?,
            "cancellationRequestor" => self.cancelled_by = text(map)?,
            "investigationId" => self.investigation = id(map)?,
            "relatedFileInfo" => {
                self.file = map
                    .next_value::<Option<RelatedFile>>()?
                    .and_then(|f| f.file_identifier)
                    .map(Cow::into_owned)
                    .filter(|s| !s.is_empty())
            }
            _ => skip(map)?,
        }
        Ok(())
    }

    fn finish<E: de::Error>(self, ctx: &mut Ctx<Seen>) -> Result<(), E> {
        let data = &mut *ctx.data;
        let id = self.id.unwrap_or_else(|| {
            format!(
                "(machine action without id #{})",
                data.reported_actions.len() + 1
            )
        });
        let known = ctx
            .state
            .known
            .get_or_insert_with(|| data.reported_actions.iter().map(|a| a.id.clone()).collect());
        if !known.insert(id.clone()) {
            ctx.state.repeated.push(id);
            return Ok(());
        }
        let label = self.kind.unwrap_or_default();
        let reported_status = self.status.unwrap_or_default();
        let status = machine_action_status(&reported_status);
        let automated = is_automation(self.requestor.as_deref());
        let device = self.dns_name.clone().or(self.machine_id.clone());
        let action = machine_action_type(&label);
        // A file action acts on its file; the others on the device.
        let entity = self.file.or(device.clone());
        let decided_by = match status {
            Some(Status::Rejected) => self.cancelled_by.or(self.requestor),
            _ => self.requestor,
        };
        data.reported_actions.push(ReportedAction {
            id,
            action,
            action_label: label,
            entity,
            device,
            machine_id: self.machine_id,
            investigation_id: self.investigation,
            status,
            reported_status,
            source: if automated {
                "Automated investigation"
            } else {
                "Manual response action"
            }
            .to_owned(),
            decided_by,
            comment: self.comment,
            created: self.created,
            updated: self.updated,
            wait_time: None,
            file: ctx.file,
        });
        Ok(())
    }
}

/// Defender for Endpoint's machine action types. `Unisolate` has no action type of its own in
/// airview's catalogue; it is kept with its label.
fn machine_action_type(kind: &str) -> Option<ActionType> {
    match kind {
        "RunAntiVirusScan" => Some(ActionType::RunAntivirusScan),
        "Offboard" => Some(ActionType::OffboardMachine),
        "LiveResponse" => Some(ActionType::LiveResponse),
        "CollectInvestigationPackage" => Some(ActionType::CollectInvestigationPackage),
        "Isolate" => Some(ActionType::IsolateDevice),
        "Unisolate" => None,
        "StopAndQuarantineFile" => Some(ActionType::StopAndQuarantine),
        "RestrictCodeExecution" => Some(ActionType::RestrictCodeExecution),
        "UnrestrictCodeExecution" => Some(ActionType::ReleaseCodeExecution),
        other => vocabulary::action_type(other),
    }
}

/// Pending and InProgress wait; Succeeded is completed; Failed failed; TimeOut timed out;
/// Cancelled counts as rejected.
fn machine_action_status(status: &str) -> Option<Status> {
    match status.trim().to_ascii_lowercase().as_str() {
        "pending" | "inprogress" => Some(Status::Pending),
        "succeeded" => Some(Status::Completed),
        "failed" => Some(Status::Failed),
        "timeout" => Some(Status::TimedOut),
        "cancelled" | "canceled" => Some(Status::Rejected),
        other => vocabulary::status(other),
    }
}

fn is_automation(requestor: Option<&str>) -> bool {
    let Some(r) = requestor.map(str::trim).filter(|r| !r.is_empty()) else {
        return true;
    };
    // A user principal name is a person, whatever words it holds.
    if r.contains('@') {
        return false;
    }
    let r = r.to_ascii_lowercase();
    ["automat", "autoir", "air", "system", "windowsdefenderatp"]
        .iter()
        .any(|word| r == *word || (word.len() > 3 && r.contains(word)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requestors() {
        assert!(is_automation(None));
        assert!(is_automation(Some("Automated investigation")));
        assert!(is_automation(Some("AutoIR")));
        assert!(is_automation(Some("AIR")));
        assert!(!is_automation(Some("alice@contoso.com")));
        assert!(!is_automation(Some("Airlie Smith")));
        assert!(!is_automation(Some("systems.admin@contoso.com")));
    }
}
