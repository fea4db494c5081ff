//! The layout's constants, and why a snapshot does not decode.

use std::fmt;
use std::io::ErrorKind;

/// The first bytes of every snapshot.
pub(super) const MAGIC: [u8; 8] = *b"airvsnap";

/// The format version this airview writes and reads. Any change to the layout changes it.
pub const FORMAT: u32 = 1;

pub(super) const FILES: usize = 0;
pub(super) const STRINGS: usize = 1;
pub(super) const DEVICES: usize = 2;
pub(super) const ALERTS: usize = 3;
pub(super) const EVIDENCE: usize = 4;
pub(super) const REPEATED: usize = 5;
pub(super) const INVESTIGATIONS: usize = 6;
pub(super) const REPORTED: usize = 7;
pub(super) const SECTIONS: usize = 8;

/// The fewest bytes an item of each section takes. The counts in a header must fit in its
/// length at these sizes, which bounds what a decoder reserves for a count it has not yet
/// seen the data of.
pub(super) const MIN_BYTES: [u64; SECTIONS] = [1, 1, 5, 12, 31, 2, 8, 16];

pub(super) const HEADER: u64 = 8 + 4 + 8 + 4 * SECTIONS as u64;
pub(super) const TRAILER: u64 = 4;

/// Why a snapshot could not be decoded. Positions count bytes from the snapshot's start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SnapshotError {
    /// The data does not start as a snapshot does.
    NotASnapshot,
    /// A snapshot of another format version.
    Version { found: u32, reads: u32 },
    /// The data stops after `at` bytes, before the snapshot's end.
    EndsEarly { at: u64 },
    /// What is at byte `at` cannot be right.
    Corrupted { at: u64, what: &'static str },
    /// Every part reads well, but the checksum says some byte changed.
    Checksum,
    /// The reader failed after `at` bytes. (Only the kind of its error is kept: readers over
    /// memory do not fail, and the kind keeps `std::io::Error`'s formatting out of the
    /// WebAssembly.)
    Unreadable { at: u64, kind: ErrorKind },
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::NotASnapshot => f.write_str("the saved data is not an airview snapshot"),
            SnapshotError::Version { found, reads } => write!(
                f,
                "it was written by another version of airview (format {found}, this version reads {reads})"
            ),
            SnapshotError::EndsEarly { at } => write!(f, "it ends early at byte {at}"),
            SnapshotError::Corrupted { at, what } => {
                write!(f, "it is corrupted at byte {at}: {what}")
            }
            SnapshotError::Checksum => {
                f.write_str("it is corrupted: its checksum does not match its content")
            }
            SnapshotError::Unreadable { at, kind } => {
                write!(f, "it could not be read at byte {at}: {kind}")
            }
        }
    }
}

impl std::error::Error for SnapshotError {}

pub(super) fn corrupt(at: u64, what: &'static str) -> SnapshotError {
    SnapshotError::Corrupted { at, what }
}

/// What a snapshot says of text that does not decode.
pub(super) const NOT_UTF8: &str = "text that is not UTF-8";
