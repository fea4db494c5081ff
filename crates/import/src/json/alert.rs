//! An alert being read, by Graph's reader or Defender for Endpoint's, and what becomes of its
//! evidence once the object it was read from ends.
//!
//! Evidence goes straight into the dataset as it is read, pointing at no alert
//! (`super::evidence::NO_ALERT`): the alert's id may come after its `evidence`, so its index is
//! known only at the end of the object. Then the alert is added and its evidence points at
//! it; or the alert repeats one loaded already, and its evidence, loaded already too, is
//! removed; or the object was no alert at all, and the evidence it carried is dropped.

use super::evidence::{AlertDevices, EvidenceList, ReadEvidence, NO_ALERT};
use super::response::Ctx;
use airview_engine::model::{Alert, Dataset, Evidence};
use serde::de::MapAccess;

/// An alert's fields as read so far, and where its evidence starts in the dataset.
pub(crate) struct AlertDraft {
    pub(crate) alert: Alert,
    pub(crate) id: Option<String>,
    evidence_start: usize,
    /// Devices the alert's own device evidence names.
    devices: AlertDevices,
    had_evidence: bool,
}

impl AlertDraft {
    pub(crate) fn new<S>(ctx: &Ctx<S>) -> AlertDraft {
        AlertDraft {
            alert: Alert {
                file: ctx.file,
                ..Alert::default()
            },
            id: None,
            evidence_start: ctx.data.evidence.len(),
            devices: AlertDevices::default(),
            had_evidence: false,
        }
    }

    /// Whether the object had an `evidence` field (an empty or `null` one counts).
    pub(crate) fn had_evidence(&self) -> bool {
        self.had_evidence
    }

    /// Reads the value of `evidence`, each item with `R`, into the dataset.
    pub(crate) fn read_evidence<'de, R: ReadEvidence, A: MapAccess<'de>>(
        &mut self,
        data: &mut Dataset,
        map: &mut A,
    ) -> Result<(), A::Error> {
        self.had_evidence = true;
        map.next_value_seed(EvidenceList::<R>::new(data, &mut self.devices))
    }

    /// The object was no alert (a list response, an incident): evidence it carried itself
    /// belongs to no alert, and is dropped rather than left pointing nowhere (found by
    /// fuzzing).
    pub(crate) fn discard(self, data: &mut Dataset) {
        if self.had_evidence {
            drop_orphans(data, self.evidence_start);
        }
    }

    /// The object was an alert: adds it (an alert without an id gets one that says so), links
    /// its devices, and points its evidence at it, calling `each` on every item once it does.
    /// A repeat of an alert loaded already adds nothing: its evidence is loaded already too.
    #[inline]
    pub(crate) fn add<S>(self, ctx: &mut Ctx<S>, mut each: impl FnMut(&mut Evidence)) {
        let data = &mut *ctx.data;
        let mut alert = self.alert;
        alert.id = self
            .id
            .unwrap_or_else(|| format!("(alert without id #{})", data.alerts.len() + 1));
        match data.add_alert(alert) {
            Some(idx) => {
                for d in self.devices {
                    data.link_alert_device(idx, d);
                }
                for e in data.evidence.iter_mut().skip(self.evidence_start) {
                    e.alert = idx;
                    each(e);
                }
                ctx.meter.evidence += data.evidence.len().saturating_sub(self.evidence_start);
            }
            None => data.evidence.truncate(self.evidence_start),
        }
    }
}

/// Removes the evidence read since `start` that no alert claimed.
fn drop_orphans(data: &mut Dataset, start: usize) {
    if data
        .evidence
        .iter()
        .skip(start)
        .any(|e| e.alert == NO_ALERT)
    {
        let tail = data.evidence.split_off(start.min(data.evidence.len()));
        data.evidence
            .extend(tail.into_iter().filter(|e| e.alert != NO_ALERT));
    }
}
