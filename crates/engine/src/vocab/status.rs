//! The words of the action center: an action's status, where it came from, where an email
//! action moved the messages, and the kinds of act a person does.
//!
//! Vocabulary: this module depends on nothing else in the engine.

use serde::{Deserialize, Serialize};
use std::fmt;

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

    /// The source an export's "Action source" text names: "Manual response action" (in any
    /// case) is manual; everything else an export reports came from automation.
    pub fn from_label(text: &str) -> ActionSource {
        if text.eq_ignore_ascii_case(ActionSource::ManualResponseAction.label()) {
            ActionSource::ManualResponseAction
        } else {
            ActionSource::AutomatedInvestigation
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

/// The kinds of act a person does in the action center (`Event::act`).
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
    /// The verb messages use: "cannot approve action …".
    pub fn verb(self) -> &'static str {
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
