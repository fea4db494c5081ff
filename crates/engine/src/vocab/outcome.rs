//! What the policy does with one piece of evidence: its remediation is taken automatically,
//! waits for approval, is not needed, or the device was not investigated.
//!
//! Vocabulary: this module depends on nothing else in the engine.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The outcome of one piece of evidence under a policy (docs/domain.md, "Outcome of one piece
/// of evidence").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Automatic,
    PendingApproval,
    NoAction,
    NotInvestigated,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Automatic,
        Outcome::PendingApproval,
        Outcome::NoAction,
        Outcome::NotInvestigated,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Outcome::Automatic => "automatic",
            Outcome::PendingApproval => "pending_approval",
            Outcome::NoAction => "no_action",
            Outcome::NotInvestigated => "not_investigated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Automatic => "Taken automatically",
            Outcome::PendingApproval => "Pending approval",
            Outcome::NoAction => "No action",
            Outcome::NotInvestigated => "Not investigated",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Outcome::Automatic => 0,
            Outcome::PendingApproval => 1,
            Outcome::NoAction => 2,
            Outcome::NotInvestigated => 3,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}
