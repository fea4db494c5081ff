//! The one table of bytes for each enum a snapshot writes: the encoder and the decoder both
//! read it, so a variant's byte is written down once.
//!
//! A variant's byte is its place in its table. A variant that carries a text (an evidence kind
//! or a verdict airview does not know) takes the byte after the table's last, and its text
//! follows. Optional values (a remediation status, a reported action's type and status) write
//! 0 for none and the byte plus one otherwise. Changing a table changes the format
//! (`format::FORMAT`).

use crate::vocab::{ActionType, EntityKind, RemediationStatus, Status, Verdict, VerdictSource};

/// An enum written as a byte.
pub(super) trait Tagged: Sized + Clone + PartialEq + 'static {
    /// The variants that carry nothing, by byte.
    const TABLE: &'static [Self];
    /// What a snapshot says when the byte is none of these.
    const UNKNOWN: &'static str;
    /// The enum has a variant that carries a text, written with the byte after the table's.
    const CARRIES_TEXT: bool = false;
    /// The text of the variant that carries one, if this is it.
    fn text(&self) -> Option<&str> {
        None
    }
    /// The variant that carries a text, if the enum has one.
    fn with_text(_text: String) -> Option<Self> {
        None
    }
}

/// The byte for `value`, and its text when it carries one.
pub(super) fn tag<T: Tagged>(value: &T) -> (u8, Option<&str>) {
    match value.text() {
        Some(text) => (T::TABLE.len() as u8, Some(text)),
        None => (
            T::TABLE.iter().position(|v| v == value).unwrap_or(0) as u8,
            None,
        ),
    }
}

/// What a byte reads as: a variant, the variant that carries a text (which follows), or
/// nothing the table knows.
pub(super) enum Tag<T> {
    Known(T),
    WithText(fn(String) -> Option<T>),
    Unknown,
}

pub(super) fn read<T: Tagged>(byte: u8) -> Tag<T> {
    match T::TABLE.get(usize::from(byte)) {
        Some(v) => Tag::Known(v.clone()),
        None if usize::from(byte) == T::TABLE.len() && T::CARRIES_TEXT => {
            Tag::WithText(T::with_text)
        }
        None => Tag::Unknown,
    }
}

impl Tagged for EntityKind {
    const TABLE: &'static [EntityKind] = &[
        EntityKind::File,
        EntityKind::Process,
        EntityKind::RegistryKey,
        EntityKind::RegistryValue,
        EntityKind::Service,
        EntityKind::Driver,
        EntityKind::ScheduledTask,
        EntityKind::EmailMessage,
        EntityKind::MailCluster,
        EntityKind::Url,
        EntityKind::EmailAttachment,
        EntityKind::Mailbox,
        EntityKind::User,
        EntityKind::Device,
        EntityKind::Ip,
        EntityKind::CloudApplication,
    ];
    const UNKNOWN: &'static str = "an unknown evidence kind";
    const CARRIES_TEXT: bool = true;
    fn text(&self) -> Option<&str> {
        match self {
            EntityKind::Other(name) => Some(name),
            _ => None,
        }
    }
    fn with_text(text: String) -> Option<Self> {
        Some(EntityKind::Other(text))
    }
}

impl Tagged for Verdict {
    const TABLE: &'static [Verdict] = &[
        Verdict::Malicious,
        Verdict::Suspicious,
        Verdict::NoThreatsFound,
        Verdict::Unknown,
    ];
    const UNKNOWN: &'static str = "an unknown verdict";
    const CARRIES_TEXT: bool = true;
    fn text(&self) -> Option<&str> {
        match self {
            Verdict::Unrecognized(raw) => Some(raw),
            _ => None,
        }
    }
    fn with_text(text: String) -> Option<Self> {
        Some(Verdict::Unrecognized(text))
    }
}

impl Tagged for VerdictSource {
    const TABLE: &'static [VerdictSource] = &[
        VerdictSource::Export,
        VerdictSource::DetectionStatus,
        VerdictSource::AlertClassification,
        VerdictSource::NoSignal,
    ];
    const UNKNOWN: &'static str = "an unknown verdict source";
}

/// Written as an optional value: 0 for no status, then these from 1, then `Unrecognized`.
impl Tagged for RemediationStatus {
    const TABLE: &'static [RemediationStatus] = &[
        RemediationStatus::None,
        RemediationStatus::Remediated,
        RemediationStatus::Prevented,
        RemediationStatus::Blocked,
        RemediationStatus::NotFound,
        RemediationStatus::PendingApproval,
        RemediationStatus::Declined,
        RemediationStatus::Unremediated,
        RemediationStatus::Running,
        RemediationStatus::PartiallyRemediated,
        RemediationStatus::Active,
        RemediationStatus::Failed,
        RemediationStatus::TimedOut,
    ];
    const UNKNOWN: &'static str = "an unknown remediation status";
    const CARRIES_TEXT: bool = true;
    fn text(&self) -> Option<&str> {
        match self {
            RemediationStatus::Unrecognized(raw) => Some(raw),
            _ => None,
        }
    }
    fn with_text(text: String) -> Option<Self> {
        Some(RemediationStatus::Unrecognized(text))
    }
}

/// Written as an optional value: 0 for a type airview does not know, then `ActionType::ALL`
/// from 1.
impl Tagged for ActionType {
    const TABLE: &'static [ActionType] = &ActionType::ALL;
    const UNKNOWN: &'static str = "an unknown action type";
}

/// Written as an optional value, like action types.
impl Tagged for Status {
    const TABLE: &'static [Status] = &Status::ALL;
    const UNKNOWN: &'static str = "an unknown action status";
}

/// The byte of an optional value: 0 for none, else its byte plus one. Only enums that carry no
/// text are written this way, except the remediation status, whose `Unrecognized` byte (the
/// table's length plus one) is followed by its text.
pub(super) fn optional<T: Tagged>(value: Option<&T>) -> (u8, Option<&str>) {
    match value {
        None => (0, None),
        Some(v) => {
            let (byte, text) = tag(v);
            (byte + 1, text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Tagged + std::fmt::Debug>(values: &[T]) {
        for v in values {
            let (byte, text) = tag(v);
            let back = match read::<T>(byte) {
                Tag::Known(k) => k,
                Tag::WithText(make) => make(text.unwrap_or_default().to_owned()).unwrap(),
                Tag::Unknown => panic!("{v:?} wrote byte {byte}, which reads as unknown"),
            };
            assert_eq!(&back, v);
        }
        assert!(matches!(read::<T>(200), Tag::Unknown));
    }

    #[test]
    fn every_variant_reads_back_from_its_byte() {
        let mut kinds = EntityKind::TABLE.to_vec();
        kinds.push(EntityKind::Other("cloudLogonSession".into()));
        round_trip(&kinds);
        let mut verdicts = Verdict::TABLE.to_vec();
        verdicts.push(Verdict::Unrecognized("unknownFutureValue".into()));
        round_trip(&verdicts);
        round_trip(VerdictSource::TABLE);
        let mut statuses = RemediationStatus::TABLE.to_vec();
        statuses.push(RemediationStatus::Unrecognized("quarantined".into()));
        round_trip(&statuses);
        round_trip(ActionType::TABLE);
        round_trip(Status::TABLE);
    }

    #[test]
    fn the_bytes_are_those_of_format_1() {
        // The bytes a format-1 snapshot holds; a change here is a new format.
        assert_eq!(tag(&EntityKind::CloudApplication), (15, None));
        assert_eq!(tag(&EntityKind::Other("x".into())), (16, Some("x")));
        assert_eq!(tag(&Verdict::Unrecognized("x".into())), (4, Some("x")));
        assert_eq!(tag(&VerdictSource::NoSignal), (3, None));
        assert_eq!(optional::<RemediationStatus>(None), (0, None));
        assert_eq!(optional(Some(&RemediationStatus::TimedOut)), (13, None));
        assert_eq!(
            optional(Some(&RemediationStatus::Unrecognized("x".into()))),
            (14, Some("x"))
        );
        assert_eq!(optional(Some(&ActionType::QuarantineFile)), (1, None));
        assert_eq!(optional(Some(&Status::Undone)), (6, None));
    }
}
