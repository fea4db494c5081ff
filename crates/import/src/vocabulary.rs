//! The words exports use for action types and statuses, read into airview's: airview's own
//! labels and slugs, the portals' wordings, and Defender for Endpoint's machine action types.
//! The CSV readers and the machine actions reader (`crate::mde`) use them.

use airview_engine::{ActionType, Status};

/// Letters and digits only, lower case: `Soft delete email(s)` and `soft_delete_emails`
/// meet at `softdeleteemails`.
fn squash(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// An action type from the name an export gives it: airview's labels and slugs, the portal's
/// wordings, and Defender for Endpoint's machine action types.
pub fn action_type(text: &str) -> Option<ActionType> {
    let key = squash(text);
    if key.is_empty() {
        return None;
    }
    if let Some(a) = ActionType::ALL
        .into_iter()
        .find(|a| squash(a.label()) == key || squash(a.slug()) == key)
    {
        return Some(a);
    }
    Some(match key.as_str() {
        "quarantinefile" | "quarantinefiles" | "filequarantine" => ActionType::QuarantineFile,
        "killprocess" | "terminateprocess" => ActionType::KillProcess,
        "removeregistrykeys" | "removeregistryvalue" | "deleteregistrykey" => {
            ActionType::RemoveRegistryKey
        }
        "softdeleteemail" | "softdeleteemails" | "softdeleteemailmessage" | "softdelete" => {
            ActionType::SoftDeleteEmail
        }
        "softdeleteemailcluster" | "softdeleteemailsclusters" | "softdeleteemailsincluster" => {
            ActionType::SoftDeleteEmailCluster
        }
        "blockurl" | "blockurls" | "blockurltimeofclick" => ActionType::BlockUrl,
        "quarantineattachment" | "quarantineemailattachments" => {
            ActionType::QuarantineEmailAttachment
        }
        "turnoffexternalforwarding" | "disableexternalmailforwarding" => {
            ActionType::TurnOffExternalMailForwarding
        }
        "disableuseraccount" => ActionType::DisableUser,
        "isolate" | "isolatemachine" => ActionType::IsolateDevice,
        "runantivirusscan" | "antivirusscan" | "runavscan" => ActionType::RunAntivirusScan,
        "offboard" | "offboarddevice" => ActionType::OffboardMachine,
        "stopandquarantinefile" => ActionType::StopAndQuarantine,
        "restrictappexecution" => ActionType::RestrictCodeExecution,
        "unrestrictcodeexecution" | "removeapprestriction" | "removeapprestrictions" => {
            ActionType::ReleaseCodeExecution
        }
        "collectsample" | "collectfile" => ActionType::RequestSample,
        "restorefromquarantine" | "releasefile" | "restorefile" => {
            ActionType::ReleaseFromQuarantine
        }
        "resetpassword" => ActionType::ResetUserPassword,
        "markuserascompromised" | "confirmusercompromised" => ActionType::ConfirmUserCompromised,
        "runliveresponse" | "liveresponsesession" => ActionType::LiveResponse,
        _ => return None,
    })
}

/// airview's status for a status the export wrote, when it is one airview knows. The text
/// before ` (` counts (`Completed (duplicate of …)`, airview's own export).
pub fn status(text: &str) -> Option<Status> {
    let text = text.split(" (").next().unwrap_or(text);
    Some(match squash(text).as_str() {
        "pending" | "pendingapproval" | "awaitingapproval" | "inprogress" | "running"
        | "queued" | "waiting" | "sent" => Status::Pending,
        "completed" | "complete" | "succeeded" | "success" | "successful" | "approved"
        | "remediated" | "done" | "taken" => Status::Completed,
        "failed" | "failure" | "error" => Status::Failed,
        "rejected" | "declined" | "cancelled" | "canceled" => Status::Rejected,
        "timedout" | "timeout" | "expired" => Status::TimedOut,
        "undone" | "reverted" | "undocompleted" => Status::Undone,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names_and_statuses() {
        assert_eq!(
            action_type("Soft delete email(s)"),
            Some(ActionType::SoftDeleteEmail)
        );
        assert_eq!(
            action_type("Quarantine a file"),
            Some(ActionType::QuarantineFile)
        );
        assert_eq!(
            action_type("StopAndQuarantineFile"),
            Some(ActionType::StopAndQuarantine)
        );
        assert_eq!(action_type("Email cluster analysis"), None);
        assert_eq!(
            status("Completed (duplicate of a/1: not processed again)"),
            Some(Status::Completed)
        );
        assert_eq!(status("Timed out"), Some(Status::TimedOut));
        assert_eq!(status("Bewildered"), None);
    }
}
