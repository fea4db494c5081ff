//! Building a center: deciding every evidence item, packing what the lists read and indexing
//! the evidence by alert, a slice at a time so that the page can build a million-item center
//! without a long task.

use crate::center::index::{EvidenceIndex, Fact};
use crate::center::state::Center;
use crate::model::Dataset;
use crate::rules::decide::Evaluator;
use crate::rules::policy::Policy;
use crate::time::Timestamp;
use std::collections::BTreeMap;
use std::sync::Arc;

impl Center {
    /// The center as the policy's decisions leave it: `automatic` actions completed by
    /// Automation when their evidence was created, `pending_approval` actions pending since
    /// then. `now` is the time statuses are read at (it moves forward with every event).
    pub fn new(
        data: impl Into<Arc<Dataset>>,
        policy: impl Into<Arc<Policy>>,
        now: Timestamp,
    ) -> Center {
        let mut builder = CenterBuilder::new(data.into(), policy.into(), now);
        builder.step(usize::MAX);
        builder.finish()
    }
}

/// Builds a center a slice at a time: deciding every evidence item, packing what the lists
/// read, and indexing the evidence by alert. The page builds a million-item center this way,
/// yielding to the browser between slices; `Center::new` runs it to the end at once.
pub struct CenterBuilder {
    data: Arc<Dataset>,
    policy: Arc<Policy>,
    now: Timestamp,
    evaluator: Evaluator,
    positions: Option<Arc<EvidenceIndex>>,
    facts: Vec<Fact>,
    /// Each item's `(alert, evidence index)`, gathered with the facts for the index.
    pairs: Vec<(u32, u32)>,
}

impl CenterBuilder {
    pub fn new(data: Arc<Dataset>, policy: Arc<Policy>, now: Timestamp) -> CenterBuilder {
        CenterBuilder {
            evaluator: Evaluator::new(&data),
            facts: Vec::with_capacity(data.evidence.len()),
            pairs: Vec::with_capacity(data.evidence.len()),
            data,
            policy,
            now,
            positions: None,
        }
    }

    /// Does about `budget` more items of work (indexing counts as one); true when done.
    pub fn step(&mut self, budget: usize) -> bool {
        let data = &self.data;
        if !self.evaluator.step(data, &self.policy, budget) {
            return false;
        }
        let n = data.evidence.len();
        if self.facts.len() < n {
            let done = self.facts.len();
            let end = done.saturating_add(budget).min(n);
            let decisions = &self.evaluator.decisions;
            for pos in done..end {
                if let (Some(e), Some(d)) = (data.evidence.get(pos), decisions.get(pos)) {
                    self.facts.push(Fact::of(data, e, d));
                    self.pairs.push((e.alert, e.index));
                }
            }
            return false;
        }
        if self.positions.is_none() {
            let pairs = std::mem::take(&mut self.pairs);
            self.positions = Some(Arc::new(EvidenceIndex::from_pairs(
                data.alerts.len(),
                &pairs,
            )));
        }
        true
    }

    /// Items of work done, of all: deciding and packing each evidence item, and indexing.
    pub fn progress(&self) -> (usize, usize) {
        let n = self.data.evidence.len();
        let indexed = usize::from(self.positions.is_some());
        (
            self.evaluator.decisions.len() + self.facts.len() + indexed,
            2 * n + 1,
        )
    }

    /// The center, with whatever steps were left done now.
    pub fn finish(mut self) -> Center {
        while !self.step(usize::MAX) {}
        Center {
            positions: self.positions.unwrap_or_default(),
            decisions: Arc::new(self.evaluator.decisions),
            facts: Arc::new(self.facts),
            data: self.data,
            policy: self.policy,
            overlay: BTreeMap::new(),
            manual: Vec::new(),
            now: self.now,
            last_at: None,
        }
    }
}
