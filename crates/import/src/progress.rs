//! How far a load has got, for a progress bar (`crate::load_with_progress`).
//!
//! `crate::load_with_progress` reports the start and the end of a load. In between, the
//! readers tell a `Meter` where they are as they finish each object (an alert, an
//! investigation, a machine action) or row; the meter passes that on to the caller's callback
//! only once the reader has moved `STEP` bytes past the last report, so a cheap check per
//! object is all the readers pay.
//!
//! serde_json does not tell its visitors where in the text they are. The JSON readers use what
//! it does give them: a key without escapes arrives as a slice of the text itself, so the
//! slice's address, less the text's, is how far the reader has got. That is integer arithmetic
//! on addresses, never a dereference; an address outside the text (a key with escapes is
//! copied elsewhere first) is not a position and is ignored.

/// How far the load of one file has got.
///
/// `bytes` is the offset in the file's text the reader has reached. `evidence` is the
/// evidence items read from this file so far, counted as the report counts them (a repeated
/// alert's evidence does not count): it stays 0 for files without evidence (investigations,
/// machine actions, CSV exports), whose progress is in `bytes` alone. Between the first and
/// the last call both trail the reader by up to one object: an alert's evidence counts once
/// the whole alert is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub bytes: usize,
    pub evidence: usize,
}

/// The bytes a reader moves between two reports: a 1 GiB file gives about four thousand, a
/// smooth bar at a cost no one measures.
const STEP: usize = 256 * 1024;

/// What a reader tells about its progress, and to whom.
pub(crate) struct Meter<'a> {
    /// The address of the text's first byte.
    start: usize,
    len: usize,
    /// The offset at which the next report is due.
    next: usize,
    last: Progress,
    /// The evidence items read from this file so far; the readers add to it.
    pub(crate) evidence: usize,
    report: &'a mut dyn FnMut(Progress),
}

impl<'a> Meter<'a> {
    /// A meter over `text`, the whole text of the file (its byte order mark included).
    pub(crate) fn new(text: &str, report: &'a mut dyn FnMut(Progress)) -> Meter<'a> {
        Meter {
            start: address(text),
            len: text.len(),
            next: STEP,
            last: Progress::default(),
            evidence: 0,
            report,
        }
    }

    /// The reader has reached the byte at `address`, if that is in the text.
    #[inline]
    pub(crate) fn at_address(&mut self, address: usize) {
        if let Some(offset) = address.checked_sub(self.start) {
            self.at_offset(offset);
        }
    }

    /// The reader has reached byte `offset` of the text. Reports it when it is a step past
    /// the last report and short of the end, which only the caller reports, once the load
    /// has succeeded.
    #[inline]
    pub(crate) fn at_offset(&mut self, offset: usize) {
        if offset >= self.next && offset < self.len {
            self.last = Progress {
                bytes: offset,
                evidence: self.evidence.max(self.last.evidence),
            };
            self.next = offset.saturating_add(STEP);
            (self.report)(self.last);
        }
    }
}

/// Where `text` starts in memory, as a number: for positions, never to read through.
#[inline]
pub(crate) fn address(text: &str) -> usize {
    text.as_ptr() as usize
}
