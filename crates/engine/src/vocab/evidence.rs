//! What evidence is and what an export says of it: the kind of entity, the verdict, where the
//! verdict came from, and the remediation status the export reports.
//!
//! Vocabulary: this module depends on nothing else in the engine.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The verdict an automated investigation gave a piece of evidence.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(expecting = "a verdict")]
pub enum Verdict {
    Malicious,
    Suspicious,
    NoThreatsFound,
    Unknown,
    /// A value this version of airview does not know (`unknownFutureValue` or newer). It is
    /// kept so that users see what the export said; for decisions it counts as unknown.
    Unrecognized(String),
}

impl Verdict {
    pub fn from_graph(text: &str) -> Verdict {
        match text {
            "malicious" => Verdict::Malicious,
            "suspicious" => Verdict::Suspicious,
            "noThreatsFound" => Verdict::NoThreatsFound,
            "unknown" => Verdict::Unknown,
            other => match other.to_ascii_lowercase().as_str() {
                "malicious" => Verdict::Malicious,
                "suspicious" => Verdict::Suspicious,
                "nothreatsfound" | "no threats found" | "clean" => Verdict::NoThreatsFound,
                "unknown" => Verdict::Unknown,
                _ => Verdict::Unrecognized(other.to_owned()),
            },
        }
    }

    pub fn is_threat(&self) -> bool {
        matches!(self, Verdict::Malicious | Verdict::Suspicious)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Malicious => f.write_str("Malicious"),
            Verdict::Suspicious => f.write_str("Suspicious"),
            Verdict::NoThreatsFound => f.write_str("No threats found"),
            Verdict::Unknown => f.write_str("Unknown"),
            Verdict::Unrecognized(raw) => write!(f, "Unknown (`{raw}`)"),
        }
    }
}

/// What a piece of evidence is about. The remediation action, and whether device automation
/// levels govern it at all, follow from this.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[serde(expecting = "an evidence kind")]
pub enum EntityKind {
    File,
    Process,
    RegistryKey,
    RegistryValue,
    Service,
    Driver,
    ScheduledTask,
    EmailMessage,
    MailCluster,
    Url,
    EmailAttachment,
    Mailbox,
    User,
    Device,
    Ip,
    CloudApplication,
    /// Any other evidence type, with the name the export gave it.
    Other(String),
}

impl EntityKind {
    /// Endpoint artifacts are the evidence that device-group automation levels govern.
    pub fn is_endpoint_artifact(&self) -> bool {
        matches!(
            self,
            EntityKind::File
                | EntityKind::Process
                | EntityKind::RegistryKey
                | EntityKind::RegistryValue
                | EntityKind::Service
                | EntityKind::Driver
                | EntityKind::ScheduledTask
        )
    }

    /// Email content: actions on it always wait for approval (docs/domain.md, "Outcome of one piece of evidence", rule 3).
    pub fn is_email_content(&self) -> bool {
        matches!(
            self,
            EntityKind::EmailMessage
                | EntityKind::MailCluster
                | EntityKind::Url
                | EntityKind::EmailAttachment
                | EntityKind::Mailbox
        )
    }

    /// The slug used in exports and the CLI (`file`, `registry_key`, …).
    pub fn slug(&self) -> &str {
        match self {
            EntityKind::File => "file",
            EntityKind::Process => "process",
            EntityKind::RegistryKey => "registry_key",
            EntityKind::RegistryValue => "registry_value",
            EntityKind::Service => "service",
            EntityKind::Driver => "driver",
            EntityKind::ScheduledTask => "scheduled_task",
            EntityKind::EmailMessage => "email_message",
            EntityKind::MailCluster => "mail_cluster",
            EntityKind::Url => "url",
            EntityKind::EmailAttachment => "email_attachment",
            EntityKind::Mailbox => "mailbox",
            EntityKind::User => "user",
            EntityKind::Device => "device",
            EntityKind::Ip => "ip",
            EntityKind::CloudApplication => "cloud_application",
            EntityKind::Other(name) => name,
        }
    }

    /// The name analysts see in the portal.
    pub fn label(&self) -> &str {
        match self {
            EntityKind::File => "File",
            EntityKind::Process => "Process",
            EntityKind::RegistryKey => "Registry key",
            EntityKind::RegistryValue => "Registry value",
            EntityKind::Service => "Service",
            EntityKind::Driver => "Driver",
            EntityKind::ScheduledTask => "Scheduled task",
            EntityKind::EmailMessage => "Email message",
            EntityKind::MailCluster => "Email cluster",
            EntityKind::Url => "URL",
            EntityKind::EmailAttachment => "Email attachment",
            EntityKind::Mailbox => "Mailbox",
            EntityKind::User => "User",
            EntityKind::Device => "Device",
            EntityKind::Ip => "IP address",
            EntityKind::CloudApplication => "Cloud application",
            EntityKind::Other(name) => name,
        }
    }
}

/// The remediation status an export reports for a piece of evidence. airview computes its own
/// status; this one is shown beside it as the "reported status".
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(expecting = "a remediation status")]
pub enum RemediationStatus {
    None,
    Remediated,
    Prevented,
    Blocked,
    NotFound,
    PendingApproval,
    Declined,
    Unremediated,
    Running,
    PartiallyRemediated,
    Active,
    Failed,
    TimedOut,
    Unrecognized(String),
}

impl RemediationStatus {
    pub fn from_graph(text: &str) -> RemediationStatus {
        match text.to_ascii_lowercase().as_str() {
            "none" | "" => RemediationStatus::None,
            "remediated" | "succeeded" | "completed" => RemediationStatus::Remediated,
            "prevented" => RemediationStatus::Prevented,
            "blocked" => RemediationStatus::Blocked,
            "notfound" => RemediationStatus::NotFound,
            "pendingapproval" | "pending" => RemediationStatus::PendingApproval,
            "declined" | "rejected" | "cancelled" => RemediationStatus::Declined,
            "unremediated" | "notremediated" => RemediationStatus::Unremediated,
            "running" | "inprogress" => RemediationStatus::Running,
            "partiallyremediated" => RemediationStatus::PartiallyRemediated,
            "active" => RemediationStatus::Active,
            "failed" => RemediationStatus::Failed,
            "timeout" | "timedout" => RemediationStatus::TimedOut,
            _ => RemediationStatus::Unrecognized(text.to_owned()),
        }
    }

    pub fn label(&self) -> &str {
        match self {
            RemediationStatus::None => "none",
            RemediationStatus::Remediated => "remediated",
            RemediationStatus::Prevented => "prevented",
            RemediationStatus::Blocked => "blocked",
            RemediationStatus::NotFound => "notFound",
            RemediationStatus::PendingApproval => "pendingApproval",
            RemediationStatus::Declined => "declined",
            RemediationStatus::Unremediated => "unremediated",
            RemediationStatus::Running => "running",
            RemediationStatus::PartiallyRemediated => "partiallyRemediated",
            RemediationStatus::Active => "active",
            RemediationStatus::Failed => "failed",
            RemediationStatus::TimedOut => "timedOut",
            RemediationStatus::Unrecognized(raw) => raw,
        }
    }
}

/// Where a verdict came from: Graph exports carry one; for Defender for Endpoint evidence
/// airview derives it (docs/domain.md, "airview decides") and the reasons say so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[serde(expecting = "a verdict source")]
pub enum VerdictSource {
    #[default]
    Export,
    /// Derived from the evidence's `detectionStatus` (Detected, Blocked or Prevented).
    DetectionStatus,
    /// Derived from the alert's classification (FalsePositive, InformationalExpectedActivity).
    AlertClassification,
    /// Neither said anything: suspicious.
    NoSignal,
}
