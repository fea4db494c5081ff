//! The what-if diff: which evidence changes outcome between two policies over the same data.

use crate::model::Dataset;
use crate::rules::decide::{decide, Decision};
use crate::rules::policy::Policy;
use crate::vocab::Outcome;
use std::collections::BTreeMap;

/// One piece of evidence whose outcome differs between the two policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    /// Index into `Dataset::evidence`.
    pub evidence: usize,
    pub from: Decision,
    pub to: Decision,
}

/// The changes, in input order, and a count of each `from -> to` pair.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    pub changes: Vec<Change>,
    pub moves: BTreeMap<(Outcome, Outcome), usize>,
}

impl Diff {
    /// The summary keyed as users read it: `pending_approval -> automatic`.
    pub fn summary(&self) -> BTreeMap<String, usize> {
        self.moves
            .iter()
            .map(|((f, t), n)| (format!("{} -> {}", f.slug(), t.slug()), *n))
            .collect()
    }

    /// The same diff seen from the other side: every change with `from` and `to` swapped.
    pub fn mirrored(&self) -> Diff {
        Diff {
            changes: self
                .changes
                .iter()
                .map(|c| Change {
                    evidence: c.evidence,
                    from: c.to,
                    to: c.from,
                })
                .collect(),
            moves: self
                .moves
                .iter()
                .map(|((f, t), n)| ((*t, *f), *n))
                .collect(),
        }
    }
}

/// Compares two policies over the same evidence.
pub fn diff(data: &Dataset, from: &Policy, to: &Policy) -> Diff {
    let mut out = Diff::default();
    for (i, e) in data.evidence.iter().enumerate() {
        let a = decide(data, from, e);
        let b = decide(data, to, e);
        if a.outcome != b.outcome {
            *out.moves.entry((a.outcome, b.outcome)).or_default() += 1;
            out.changes.push(Change {
                evidence: i,
                from: a,
                to: b,
            });
        }
    }
    out
}

/// Compares decisions computed already (the app keeps the current policy's decisions and
/// recomputes only the draft's on an edit).
pub fn diff_decisions(from: &[Decision], to: &[Decision]) -> Diff {
    let mut out = Diff::default();
    for (i, (a, b)) in from.iter().zip(to).enumerate() {
        if a.outcome != b.outcome {
            *out.moves.entry((a.outcome, b.outcome)).or_default() += 1;
            out.changes.push(Change {
                evidence: i,
                from: *a,
                to: *b,
            });
        }
    }
    out
}
