//! The action catalogue: which remediation action each kind of evidence gets, the manual
//! response actions an analyst can add, and which of them can be undone.

use crate::vocab::evidence::EntityKind;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionType {
    // Remediation actions that follow from evidence.
    QuarantineFile,
    KillProcess,
    RemoveRegistryKey,
    StopService,
    DisableDriver,
    RemoveScheduledTask,
    SoftDeleteEmail,
    SoftDeleteEmailCluster,
    BlockUrl,
    QuarantineEmailAttachment,
    TurnOffExternalMailForwarding,
    DisableUser,
    // Manual response actions.
    IsolateDevice,
    ContainDevice,
    RestrictCodeExecution,
    RunAntivirusScan,
    CollectInvestigationPackage,
    StopAndQuarantine,
    RequestSample,
    OffboardMachine,
    ReleaseCodeExecution,
    ReleaseFromQuarantine,
    ResetUserPassword,
    ConfirmUserCompromised,
    ContainUser,
    LiveResponse,
}

/// What an action is taken on, which decides who may approve it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionTarget {
    Device,
    File,
    Process,
    Registry,
    Service,
    Driver,
    Task,
    Email,
    Url,
    Attachment,
    Mailbox,
    User,
}

impl ActionTarget {
    pub const ALL: [ActionTarget; 12] = [
        ActionTarget::Device,
        ActionTarget::File,
        ActionTarget::Process,
        ActionTarget::Registry,
        ActionTarget::Service,
        ActionTarget::Driver,
        ActionTarget::Task,
        ActionTarget::Email,
        ActionTarget::Url,
        ActionTarget::Attachment,
        ActionTarget::Mailbox,
        ActionTarget::User,
    ];

    /// The entity type as the Action center's filter names it.
    pub fn label(self) -> &'static str {
        match self {
            ActionTarget::Device => "Device",
            ActionTarget::File => "File",
            ActionTarget::Process => "Process",
            ActionTarget::Registry => "Registry",
            ActionTarget::Service => "Service",
            ActionTarget::Driver => "Driver",
            ActionTarget::Task => "Scheduled task",
            ActionTarget::Email => "Email",
            ActionTarget::Url => "URL",
            ActionTarget::Attachment => "Attachment",
            ActionTarget::Mailbox => "Mailbox",
            ActionTarget::User => "User",
        }
    }

    /// Email, URL, attachment, mailbox and user actions need Search and Purge on top of an
    /// administrator role; the rest are device actions.
    pub fn is_email_side(self) -> bool {
        matches!(
            self,
            ActionTarget::Email
                | ActionTarget::Url
                | ActionTarget::Attachment
                | ActionTarget::Mailbox
                | ActionTarget::User
        )
    }
}

impl ActionType {
    pub const ALL: [ActionType; 26] = [
        ActionType::QuarantineFile,
        ActionType::KillProcess,
        ActionType::RemoveRegistryKey,
        ActionType::StopService,
        ActionType::DisableDriver,
        ActionType::RemoveScheduledTask,
        ActionType::SoftDeleteEmail,
        ActionType::SoftDeleteEmailCluster,
        ActionType::BlockUrl,
        ActionType::QuarantineEmailAttachment,
        ActionType::TurnOffExternalMailForwarding,
        ActionType::DisableUser,
        ActionType::IsolateDevice,
        ActionType::ContainDevice,
        ActionType::RestrictCodeExecution,
        ActionType::RunAntivirusScan,
        ActionType::CollectInvestigationPackage,
        ActionType::StopAndQuarantine,
        ActionType::RequestSample,
        ActionType::OffboardMachine,
        ActionType::ReleaseCodeExecution,
        ActionType::ReleaseFromQuarantine,
        ActionType::ResetUserPassword,
        ActionType::ConfirmUserCompromised,
        ActionType::ContainUser,
        ActionType::LiveResponse,
    ];

    /// The remediation action for a kind of evidence, if it has one (devices, IP addresses
    /// and cloud apps have none: device actions such as isolation are manual).
    pub fn for_entity(kind: &EntityKind) -> Option<ActionType> {
        Some(match kind {
            EntityKind::File => ActionType::QuarantineFile,
            EntityKind::Process => ActionType::KillProcess,
            EntityKind::RegistryKey | EntityKind::RegistryValue => ActionType::RemoveRegistryKey,
            EntityKind::Service => ActionType::StopService,
            EntityKind::Driver => ActionType::DisableDriver,
            EntityKind::ScheduledTask => ActionType::RemoveScheduledTask,
            EntityKind::EmailMessage => ActionType::SoftDeleteEmail,
            EntityKind::MailCluster => ActionType::SoftDeleteEmailCluster,
            EntityKind::Url => ActionType::BlockUrl,
            EntityKind::EmailAttachment => ActionType::QuarantineEmailAttachment,
            EntityKind::Mailbox => ActionType::TurnOffExternalMailForwarding,
            EntityKind::User => ActionType::DisableUser,
            EntityKind::Device
            | EntityKind::Ip
            | EntityKind::CloudApplication
            | EntityKind::Other(_) => return None,
        })
    }

    pub fn slug(self) -> &'static str {
        match self {
            ActionType::QuarantineFile => "quarantine_file",
            ActionType::KillProcess => "kill_process",
            ActionType::RemoveRegistryKey => "remove_registry_key",
            ActionType::StopService => "stop_service",
            ActionType::DisableDriver => "disable_driver",
            ActionType::RemoveScheduledTask => "remove_scheduled_task",
            ActionType::SoftDeleteEmail => "soft_delete_email",
            ActionType::SoftDeleteEmailCluster => "soft_delete_email_cluster",
            ActionType::BlockUrl => "block_url",
            ActionType::QuarantineEmailAttachment => "quarantine_email_attachment",
            ActionType::TurnOffExternalMailForwarding => "turn_off_external_mail_forwarding",
            ActionType::DisableUser => "disable_user",
            ActionType::IsolateDevice => "isolate_device",
            ActionType::ContainDevice => "contain_device",
            ActionType::RestrictCodeExecution => "restrict_code_execution",
            ActionType::RunAntivirusScan => "run_antivirus_scan",
            ActionType::CollectInvestigationPackage => "collect_investigation_package",
            ActionType::StopAndQuarantine => "stop_and_quarantine",
            ActionType::RequestSample => "request_sample",
            ActionType::OffboardMachine => "offboard_machine",
            ActionType::ReleaseCodeExecution => "release_code_execution",
            ActionType::ReleaseFromQuarantine => "release_from_quarantine",
            ActionType::ResetUserPassword => "reset_user_password",
            ActionType::ConfirmUserCompromised => "confirm_user_compromised",
            ActionType::ContainUser => "contain_user",
            ActionType::LiveResponse => "live_response",
        }
    }

    pub fn from_slug(slug: &str) -> Option<ActionType> {
        ActionType::ALL.into_iter().find(|a| a.slug() == slug)
    }

    /// The name the Action center shows.
    pub fn label(self) -> &'static str {
        match self {
            ActionType::QuarantineFile => "Quarantine a file",
            ActionType::KillProcess => "Kill a process",
            ActionType::RemoveRegistryKey => "Remove a registry key",
            ActionType::StopService => "Stop a service",
            ActionType::DisableDriver => "Disable a driver",
            ActionType::RemoveScheduledTask => "Remove a scheduled task",
            ActionType::SoftDeleteEmail => "Soft delete email messages",
            ActionType::SoftDeleteEmailCluster => "Soft delete email clusters",
            ActionType::BlockUrl => "Block URL (time-of-click)",
            ActionType::QuarantineEmailAttachment => "Quarantine an email attachment",
            ActionType::TurnOffExternalMailForwarding => "Turn off external mail forwarding",
            ActionType::DisableUser => "Disable user",
            ActionType::IsolateDevice => "Isolate device",
            ActionType::ContainDevice => "Contain device",
            ActionType::RestrictCodeExecution => "Restrict code execution",
            ActionType::RunAntivirusScan => "Run antivirus scan",
            ActionType::CollectInvestigationPackage => "Collect investigation package",
            ActionType::StopAndQuarantine => "Stop and quarantine",
            ActionType::RequestSample => "Request sample",
            ActionType::OffboardMachine => "Offboard machine",
            ActionType::ReleaseCodeExecution => "Release code execution",
            ActionType::ReleaseFromQuarantine => "Release from quarantine",
            ActionType::ResetUserPassword => "Reset user password",
            ActionType::ConfirmUserCompromised => "Confirm user as compromised",
            ActionType::ContainUser => "Contain user",
            ActionType::LiveResponse => "Live response",
        }
    }

    /// Seed 003's list: Isolate device, Contain device, Contain user, Restrict code
    /// execution, Quarantine a file, Remove a registry key, Stop a service, Disable a driver,
    /// Remove a scheduled task.
    pub fn is_undoable(self) -> bool {
        matches!(
            self,
            ActionType::IsolateDevice
                | ActionType::ContainDevice
                | ActionType::ContainUser
                | ActionType::RestrictCodeExecution
                | ActionType::QuarantineFile
                | ActionType::RemoveRegistryKey
                | ActionType::StopService
                | ActionType::DisableDriver
                | ActionType::RemoveScheduledTask
        )
    }

    /// Email actions whose disposition can be changed from History.
    pub fn is_email_disposition(self) -> bool {
        matches!(
            self,
            ActionType::SoftDeleteEmail | ActionType::SoftDeleteEmailCluster
        )
    }

    pub fn is_manual(self) -> bool {
        matches!(
            self,
            ActionType::IsolateDevice
                | ActionType::ContainDevice
                | ActionType::RestrictCodeExecution
                | ActionType::RunAntivirusScan
                | ActionType::CollectInvestigationPackage
                | ActionType::StopAndQuarantine
                | ActionType::RequestSample
                | ActionType::OffboardMachine
                | ActionType::ReleaseCodeExecution
                | ActionType::ReleaseFromQuarantine
                | ActionType::ResetUserPassword
                | ActionType::ConfirmUserCompromised
                | ActionType::ContainUser
                | ActionType::LiveResponse
        )
    }

    pub fn target(self) -> ActionTarget {
        match self {
            ActionType::QuarantineFile
            | ActionType::StopAndQuarantine
            | ActionType::RequestSample
            | ActionType::ReleaseFromQuarantine => ActionTarget::File,
            ActionType::KillProcess => ActionTarget::Process,
            ActionType::RemoveRegistryKey => ActionTarget::Registry,
            ActionType::StopService => ActionTarget::Service,
            ActionType::DisableDriver => ActionTarget::Driver,
            ActionType::RemoveScheduledTask => ActionTarget::Task,
            ActionType::SoftDeleteEmail | ActionType::SoftDeleteEmailCluster => ActionTarget::Email,
            ActionType::BlockUrl => ActionTarget::Url,
            ActionType::QuarantineEmailAttachment => ActionTarget::Attachment,
            ActionType::TurnOffExternalMailForwarding => ActionTarget::Mailbox,
            ActionType::DisableUser
            | ActionType::ResetUserPassword
            | ActionType::ConfirmUserCompromised
            | ActionType::ContainUser => ActionTarget::User,
            ActionType::IsolateDevice
            | ActionType::ContainDevice
            | ActionType::RestrictCodeExecution
            | ActionType::RunAntivirusScan
            | ActionType::CollectInvestigationPackage
            | ActionType::OffboardMachine
            | ActionType::ReleaseCodeExecution
            | ActionType::LiveResponse => ActionTarget::Device,
        }
    }
}

impl fmt::Display for ActionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_are_unique() {
        for a in ActionType::ALL {
            assert_eq!(ActionType::from_slug(a.slug()), Some(a));
        }
        let mut slugs: Vec<_> = ActionType::ALL.iter().map(|a| a.slug()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), ActionType::ALL.len());
    }

    #[test]
    fn all_lists_the_types_in_declaration_order() {
        // The preview counts per action type in an array indexed by `action as usize`.
        for (i, a) in ActionType::ALL.into_iter().enumerate() {
            assert_eq!(a as usize, i, "{a:?}");
        }
    }

    #[test]
    fn undoable_flags_follow_seed_003() {
        let undoable: Vec<_> = ActionType::ALL
            .into_iter()
            .filter(|a| a.is_undoable())
            .map(ActionType::label)
            .collect();
        assert_eq!(undoable.len(), 9);
        assert!(!ActionType::KillProcess.is_undoable());
        assert!(!ActionType::BlockUrl.is_undoable());
        assert!(ActionType::QuarantineFile.is_undoable());
    }
}
