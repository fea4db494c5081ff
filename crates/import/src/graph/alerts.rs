//! A Graph object at any level: a list response (`value`), an incident (`alerts`) or an alert
//! (`evidence`). One reader for all three reads any of them without knowing in advance which
//! it is.

use super::evidence::GraphEvidence;
use crate::json::alert::AlertDraft;
use crate::json::fields::{skip, text, timestamp, Text};
use crate::json::response::{Ctx, Item, List};
use serde::de::{self, MapAccess};

/// An object being read: an alert, unless it turns out to be an incident or a list response.
pub(super) struct Node {
    draft: AlertDraft,
    /// Where the alerts of an incident start in the dataset.
    alerts_start: usize,
    is_incident: bool,
}

impl Item for Node {
    type State = ();
    const DOCUMENT: &'static str = "an alert, an incident, a list response or an array of alerts";
    const LIST: &'static str = "an array of alerts or incidents";
    const OBJECT: &'static str = "an alert, an incident or a list response (an object)";
    const NULL_IS_AN_EMPTY_LIST: bool = false;

    fn start(ctx: &Ctx<()>) -> Self {
        Node {
            draft: AlertDraft::new(ctx),
            alerts_start: ctx.data.alerts.len(),
            is_incident: false,
        }
    }

    #[inline]
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        ctx: &mut Ctx<()>,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let draft = &mut self.draft;
        match key {
            "alerts" => {
                self.is_incident = true;
                map.next_value_seed(List::<Node>::new(ctx))?;
            }
            "evidence" => draft.read_evidence::<GraphEvidence, A>(ctx.data, map)?,
            // Graph's ids are strings; an empty one is kept as it is.
            "id" => draft.id = map.next_value::<Option<Text>>()?.map(|t| t.0.into_owned()),
            "title" => draft.alert.title = text(map)?,
            "displayName" => draft.alert.title = draft.alert.title.take().or(text(map)?),
            "incidentId" => draft.alert.incident_id = text(map)?,
            "classification" => draft.alert.classification = text(map)?,
            "createdDateTime" => draft.alert.created = timestamp(map)?,
            _ => skip(map)?,
        }
        Ok(())
    }

    fn finish<E: de::Error>(self, ctx: &mut Ctx<()>) -> Result<(), E> {
        if self.is_incident {
            self.not_an_alert(ctx);
            return Ok(());
        }
        // An object with neither an id nor evidence is no alert at all (a policy file, a
        // settings export): say so rather than load an empty alert in silence.
        if self.draft.id.is_none() && !self.draft.had_evidence() {
            return Err(E::custom(
                "this object is not an alert, an incident or a list response: it has no `id`, `evidence`, `alerts` or `value`",
            ));
        }
        self.draft.add(ctx, |_| {});
        Ok(())
    }

    fn discard(self, ctx: &mut Ctx<()>) {
        self.not_an_alert(ctx);
    }
}

impl Node {
    /// The object was a list response or an incident: its own evidence belongs to no alert,
    /// and an incident's id goes to its alerts that have none (it may come after `alerts`).
    fn not_an_alert(self, ctx: &mut Ctx<()>) {
        let mut draft = self.draft;
        let id = draft.id.take();
        draft.discard(ctx.data);
        if let (true, Some(id)) = (self.is_incident, id) {
            for a in ctx.data.alerts.iter_mut().skip(self.alerts_start) {
                a.incident_id.get_or_insert_with(|| id.clone());
            }
        }
    }
}
