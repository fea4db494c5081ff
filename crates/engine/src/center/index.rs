//! What the action center keeps of each evidence item so that it can list a million of
//! them: the packed facts the lists read (`Fact`), and where each alert's evidence sits
//! (`EvidenceIndex`), which turns an action id back into an evidence item.

use crate::model::{Dataset, Evidence};
use crate::rules::decide::Decision;
use crate::time::Timestamp;
use crate::vocab::{ActionType, Outcome, RemediationStatus};

/// What the lists read of one evidence item, packed into 16 bytes: listing a million actions
/// after every act reads these instead of the evidence (128 bytes each) and its decision,
/// which is most of what made listing slow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fact {
    /// When the evidence was created (else its alert), in milliseconds; `i64::MIN` for
    /// never said. An action is taken or starts waiting then.
    pub(super) created: i64,
    pub(super) action: Option<ActionType>,
    pub(super) outcome: Outcome,
    /// The export says the remediation failed.
    pub(super) failed: bool,
}

impl Default for Fact {
    fn default() -> Fact {
        Fact {
            created: i64::MIN,
            action: None,
            outcome: Outcome::NoAction,
            failed: false,
        }
    }
}

impl Fact {
    pub(super) fn of(data: &Dataset, evidence: &Evidence, decision: &Decision) -> Fact {
        let created = evidence
            .created
            .or_else(|| data.alert_of(evidence).and_then(|a| a.created));
        Fact {
            created: created.map_or(i64::MIN, |t| t.0),
            action: ActionType::for_entity(&evidence.kind),
            outcome: decision.outcome,
            failed: evidence.remediation_status == Some(RemediationStatus::Failed),
        }
    }

    pub(super) fn created(self) -> Option<Timestamp> {
        (self.created != i64::MIN).then_some(Timestamp(self.created))
    }
}

/// Where each alert's evidence sits in `Dataset::evidence`, for finding an action by its
/// `<alert_id>/<evidence_index>` id. The positions of alert `a`'s evidence are
/// `by_alert[start[a]..start[a + 1]]`, ordered by evidence index and then by position. It is
/// built in a few linear passes without hashing: at a million evidence items it is built on
/// the page's main thread while the analyst waits, and it takes 8 bytes per item where a
/// hash map took about 24.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct EvidenceIndex {
    start: Vec<u32>,
    by_alert: Vec<u32>,
    /// Bit `pos` is set when the evidence at `pos` is the first with its `(alert, index)`: a
    /// repeated pair names the first evidence only.
    first: Vec<u64>,
}

impl EvidenceIndex {
    /// The index from each evidence item's `(alert, evidence index)`, in position order: an
    /// array of 8 bytes an item, read in order, where the evidence itself is 128.
    pub(crate) fn from_pairs(alerts: usize, pairs: &[(u32, u32)]) -> EvidenceIndex {
        let mut start = vec![0u32; alerts + 1];
        for (alert, _) in pairs {
            if let Some(slot) = start.get_mut(*alert as usize + 1) {
                *slot += 1;
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next: Vec<u32> = start.clone();
        let mut by_alert = vec![0u32; start.last().copied().unwrap_or(0) as usize];
        for (pos, (alert, _)) in pairs.iter().enumerate() {
            let Some(slot) = next.get_mut(*alert as usize) else {
                continue;
            };
            if let (Some(cell), Ok(pos)) = (by_alert.get_mut(*slot as usize), u32::try_from(pos)) {
                *cell = pos;
            }
            *slot += 1;
        }
        let index_of = |p: &u32| pairs.get(*p as usize).map_or(0, |(_, index)| *index);
        let mut first = vec![0u64; pairs.len().div_ceil(64)];
        for a in 0..alerts {
            let (lo, hi) = (start[a] as usize, start[a + 1] as usize);
            let Some(slice) = by_alert.get_mut(lo..hi) else {
                continue;
            };
            // Importers write an alert's evidence in order, so this is nearly always sorted
            // already; the sort is stable, so the first of a repeated index stays first.
            if !slice.windows(2).all(|w| index_of(&w[0]) <= index_of(&w[1])) {
                slice.sort_by_key(index_of);
            }
            let mut previous = None;
            for p in slice.iter() {
                let index = index_of(p);
                if previous != Some(index) {
                    if let Some(word) = first.get_mut(*p as usize / 64) {
                        *word |= 1 << (p % 64);
                    }
                }
                previous = Some(index);
            }
        }
        EvidenceIndex {
            start,
            by_alert,
            first,
        }
    }

    /// The position of the first evidence of `alert` with `index`.
    pub(crate) fn find(&self, data: &Dataset, alert: u32, index: u32) -> Option<u32> {
        let lo = *self.start.get(alert as usize)? as usize;
        let hi = *self.start.get(alert as usize + 1)? as usize;
        let slice = self.by_alert.get(lo..hi)?;
        let index_of = |p: &u32| data.evidence.get(*p as usize).map_or(0, |e| e.index);
        let at = slice.partition_point(|p| index_of(p) < index);
        slice.get(at).copied().filter(|p| index_of(p) == index)
    }

    /// Whether the evidence at `pos` is the first with its `(alert, index)`.
    pub(crate) fn is_first(&self, pos: u32) -> bool {
        self.first
            .get(pos as usize / 64)
            .is_some_and(|w| w & (1 << (pos % 64)) != 0)
    }

    /// The positions of an alert's evidence, by evidence index.
    pub(crate) fn of_alert(&self, alert: u32) -> &[u32] {
        let lo = self.start.get(alert as usize).copied().unwrap_or(0) as usize;
        let hi = self.start.get(alert as usize + 1).copied().unwrap_or(0) as usize;
        self.by_alert.get(lo..hi).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Alert;
    use crate::vocab::{EntityKind, Verdict};

    #[test]
    fn evidence_index_finds_the_first_of_a_repeated_pair_in_any_order() {
        let mut data = Dataset::new();
        for id in ["a", "b", "c"] {
            data.add_alert(Alert {
                id: id.to_owned(),
                ..Alert::default()
            });
        }
        // (alert, index) by position: b's evidence out of order, a's index 1 twice, c none.
        let pairs = [(0, 0), (1, 2), (0, 1), (1, 0), (0, 1), (1, 1)];
        for (alert, index) in pairs {
            data.push_evidence(Evidence::new(
                alert,
                index,
                EntityKind::File,
                Verdict::Malicious,
            ));
        }
        let pairs: Vec<(u32, u32)> = data.evidence.iter().map(|e| (e.alert, e.index)).collect();
        let index = EvidenceIndex::from_pairs(data.alerts.len(), &pairs);
        assert_eq!(index.find(&data, 0, 0), Some(0));
        assert_eq!(index.find(&data, 0, 1), Some(2));
        assert_eq!(index.find(&data, 1, 0), Some(3));
        assert_eq!(index.find(&data, 1, 1), Some(5));
        assert_eq!(index.find(&data, 1, 2), Some(1));
        assert_eq!(index.find(&data, 0, 2), None);
        assert_eq!(index.find(&data, 2, 0), None);
        assert_eq!(index.find(&data, 7, 0), None);
        let firsts: Vec<bool> = (0..6).map(|p| index.is_first(p)).collect();
        assert_eq!(firsts, [true, true, true, true, false, true]);
        assert_eq!(index.of_alert(1), &[3, 5, 1]);
        assert_eq!(index.of_alert(2), &[] as &[u32]);
    }
}
