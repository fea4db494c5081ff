//! An alert's `evidence` array, read an item at a time by a format's own item reader, and the
//! names both formats give the entities of some kinds of evidence.

use airview_engine::intern::Sym;
use airview_engine::model::{Dataset, Evidence};
use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// The alert an evidence item points at until its alert is known (see `super::alert`).
pub(crate) const NO_ALERT: u32 = u32::MAX;

/// How a format reads one item of an `evidence` array.
pub(crate) trait ReadEvidence {
    /// Reads the next item of `seq`, the `index`th of its alert, or `None` at the end of the
    /// array. Device evidence adds its device to `devices`.
    fn next<'de, A: SeqAccess<'de>>(
        seq: &mut A,
        data: &mut Dataset,
        devices: &mut AlertDevices,
        index: u32,
    ) -> Result<Option<Evidence>, A::Error>;
}

/// The devices an alert's own device evidence names, each once.
#[derive(Default)]
pub(crate) struct AlertDevices(Vec<u32>);

impl AlertDevices {
    pub(crate) fn add(&mut self, device: u32) {
        if !self.0.contains(&device) {
            self.0.push(device);
        }
    }
}

impl IntoIterator for AlertDevices {
    type Item = u32;
    type IntoIter = std::vec::IntoIter<u32>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// An alert's `evidence` array: each item is converted as it is read and pushed into the
/// dataset; `null` is no evidence.
pub(crate) struct EvidenceList<'a, R> {
    data: &'a mut Dataset,
    devices: &'a mut AlertDevices,
    reader: PhantomData<R>,
}

impl<'a, R> EvidenceList<'a, R> {
    pub(crate) fn new(data: &'a mut Dataset, devices: &'a mut AlertDevices) -> Self {
        EvidenceList {
            data,
            devices,
            reader: PhantomData,
        }
    }
}

impl<'de, R: ReadEvidence> DeserializeSeed<'de> for EvidenceList<'_, R> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, R: ReadEvidence> Visitor<'de> for EvidenceList<'_, R> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of evidence")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0u32;
        while let Some(e) = R::next(&mut seq, self.data, self.devices, index)? {
            self.data.push_evidence(e);
            index = index.saturating_add(1);
        }
        Ok(())
    }
}

/// A registry key or value as analysts name it: its hive, key and value name, those it has,
/// joined by `\`.
pub(crate) fn registry_path(
    hive: Option<&str>,
    key: Option<&str>,
    value_name: Option<&str>,
) -> String {
    let parts: Vec<&str> = [hive, key, value_name].into_iter().flatten().collect();
    parts.join("\\")
}

/// An email message as analysts name it: `subject (recipient)`, or whichever of the two it
/// has, or else its network message id.
pub(crate) fn message_name(
    subject: Option<&str>,
    recipient: Option<&str>,
    message_id: Option<&str>,
) -> Option<String> {
    match (subject, recipient) {
        (Some(s), Some(r)) => Some(format!("{s} ({r})")),
        (s, r) => s.or(r).or(message_id).map(str::to_owned),
    }
}

/// A mail cluster's key, `by:value`, interned (what identifies the cluster across alerts, for
/// the action center's one-hour de-duplication of approvals), and its name as analysts see
/// it: `by: value`, or whichever of the two it has.
pub(crate) fn mail_cluster(
    data: &mut Dataset,
    by: Option<&str>,
    value: Option<&str>,
) -> (Sym, Option<String>) {
    let key = data.intern(&format!("{}:{}", by.unwrap_or(""), value.unwrap_or("")));
    let name = match (by, value) {
        (Some(by), Some(v)) => Some(format!("{by}: {v}")),
        (by, v) => v.or(by).map(str::to_owned),
    };
    (key, name)
}
