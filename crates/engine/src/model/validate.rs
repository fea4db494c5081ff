//! One validation for a dataset that did not come from the importers.
//!
//! The importers build a dataset whose references are right by construction. A snapshot read
//! back from browser storage and an airview file written by someone else are bytes that
//! claim to be a dataset: an evidence item may name an alert that is not there, a symbol may
//! point past the strings, a string may appear twice so that every symbol after it would name
//! the wrong text. Both readers refuse such data by the same rules, written once here: the
//! snapshot decoder checks each reference as it reads it (so its errors carry the byte), and
//! `dataset` checks a whole dataset (the airview file reader calls it).

use crate::intern::Interner;
use crate::model::dataset::Dataset;
use crate::model::records::Evidence;
use std::fmt;

/// What is wrong with one reference or one string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    FileBeyondFiles,
    DeviceBeyondDevices,
    AlertBeyondAlerts,
    SymbolBeyondStrings,
    RepeatedString,
    /// Every alert has a list of the devices it names, even an empty one.
    AlertDevicesPerAlert,
}

impl Fault {
    /// The fault in the words both readers report it with.
    pub fn what(self) -> &'static str {
        match self {
            Fault::FileBeyondFiles => "a file beyond the files",
            Fault::DeviceBeyondDevices => "a device beyond the devices",
            Fault::AlertBeyondAlerts => "an alert beyond the alerts",
            Fault::SymbolBeyondStrings => "a symbol beyond the strings",
            Fault::RepeatedString => "a string that appears twice",
            Fault::AlertDevicesPerAlert => "not one list of alert devices for every alert",
        }
    }
}

impl Fault {
    /// Whether the fault is a reference that points at nothing ("evidence 3 names an alert
    /// beyond the alerts"), rather than something wrong with the item itself.
    fn names(self) -> bool {
        !matches!(self, Fault::RepeatedString | Fault::AlertDevicesPerAlert)
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.what())
    }
}

/// A reference to file `file` among `files`.
pub fn file(file: u32, files: usize) -> Result<(), Fault> {
    below(file, files, Fault::FileBeyondFiles)
}

/// A reference to device `device` among `devices`.
pub fn device(device: u32, devices: usize) -> Result<(), Fault> {
    below(device, devices, Fault::DeviceBeyondDevices)
}

/// A reference to alert `alert` among `alerts`.
pub fn alert(alert: u32, alerts: usize) -> Result<(), Fault> {
    below(alert, alerts, Fault::AlertBeyondAlerts)
}

/// A symbol by its number (`Sym::number`, 0 for none) among `strings` interned strings.
pub fn symbol(number: u32, strings: usize) -> Result<(), Fault> {
    if number as usize > strings {
        Err(Fault::SymbolBeyondStrings)
    } else {
        Ok(())
    }
}

/// A string about to be added to `strings`, which must not hold it already.
pub fn new_string(strings: &Interner, text: &str) -> Result<(), Fault> {
    match strings.get(text) {
        Some(_) => Err(Fault::RepeatedString),
        None => Ok(()),
    }
}

fn below(n: u32, limit: usize, fault: Fault) -> Result<(), Fault> {
    if (n as usize) < limit {
        Ok(())
    } else {
        Err(fault)
    }
}

/// A fault and the item it was found in.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{item}{}{fault}", if self.fault.names() { " names " } else { ": " })]
pub struct Inconsistency {
    /// The item, as people would find it: "evidence 12 (alert `da1`, index 3)".
    pub item: String,
    pub fault: Fault,
}

/// Checks every reference and string of a dataset, in the order a snapshot holds them.
pub fn dataset(d: &Dataset) -> Result<(), Inconsistency> {
    let files = d.files.len();
    let fail = |item: String, fault: Fault| Err(Inconsistency { item, fault });
    if let Some((first, again)) = d.strings.first_repeat() {
        let text = d.strings.text_at(again).unwrap_or_default();
        return fail(
            format!("string {again} (`{text}`) repeats string {first}"),
            Fault::RepeatedString,
        );
    }
    if d.alert_devices.len() != d.alerts.len() {
        return fail(
            format!(
                "the data ({} alert(s), {} list(s) of alert devices)",
                d.alerts.len(),
                d.alert_devices.len()
            ),
            Fault::AlertDevicesPerAlert,
        );
    }
    for (i, (a, devices)) in d.alerts.iter().zip(&d.alert_devices).enumerate() {
        let item = || format!("alert {i} (`{}`)", a.id);
        if let Err(fault) = file(a.file, files) {
            return fail(item(), fault);
        }
        for dev in devices {
            if let Err(fault) = device(*dev, d.devices.len()) {
                return fail(item(), fault);
            }
        }
    }
    for (i, e) in d.evidence.iter().enumerate() {
        if let Err(fault) = evidence(e, d) {
            let alert_id = d.alerts.get(e.alert as usize).map_or("?", |a| &a.id);
            return fail(
                format!("evidence {i} (alert `{alert_id}`, index {})", e.index),
                fault,
            );
        }
    }
    for (i, (f, id)) in d.repeated_alerts.iter().enumerate() {
        if let Err(fault) = file(*f, files) {
            return fail(format!("repeated alert {i} (`{id}`)"), fault);
        }
    }
    for (i, inv) in d.investigations.iter().enumerate() {
        if let Err(fault) = file(inv.file, files) {
            return fail(format!("investigation {i} (`{}`)", inv.id), fault);
        }
    }
    for (i, r) in d.reported_actions.iter().enumerate() {
        if let Err(fault) = file(r.file, files) {
            return fail(format!("reported action {i} (`{}`)", r.id), fault);
        }
    }
    Ok(())
}

/// An evidence item's alert and symbols.
fn evidence(e: &Evidence, d: &Dataset) -> Result<(), Fault> {
    alert(e.alert, d.alerts.len())?;
    let strings = d.strings.len();
    for sym in [
        e.mde_device_id,
        e.folder,
        e.file_name,
        e.sha256,
        e.entity,
        e.cluster_key,
    ] {
        symbol(sym.map_or(0, |s| s.number()), strings)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::records::Alert;
    use crate::vocab::{EntityKind, Verdict};

    fn sample() -> Dataset {
        let mut d = Dataset::new();
        let file = d.add_file("a.json");
        d.add_alert(Alert {
            id: "da1".into(),
            file,
            ..Alert::default()
        });
        let mut e = Evidence::new(0, 0, EntityKind::File, Verdict::Malicious);
        e.sha256 = Some(d.intern("aaa"));
        e.entity = Some(d.intern("x.exe"));
        d.push_evidence(e);
        d
    }

    #[test]
    fn a_dataset_the_importers_make_passes() {
        assert_eq!(dataset(&sample()), Ok(()));
        assert_eq!(dataset(&Dataset::new()), Ok(()));
    }

    #[test]
    fn each_fault_is_named_with_its_item() {
        let mut d = sample();
        d.evidence[0].alert = 4;
        let e = dataset(&d).unwrap_err();
        assert_eq!(e.fault, Fault::AlertBeyondAlerts);
        assert_eq!(
            e.to_string(),
            "evidence 0 (alert `?`, index 0) names an alert beyond the alerts"
        );
        let mut d = sample();
        d.evidence[0].folder = crate::intern::Sym::from_number(3);
        assert_eq!(
            dataset(&d).unwrap_err().to_string(),
            "evidence 0 (alert `da1`, index 0) names a symbol beyond the strings"
        );
        let mut d = sample();
        d.alerts[0].file = 1;
        assert_eq!(dataset(&d).unwrap_err().fault, Fault::FileBeyondFiles);
        let mut d = sample();
        d.alert_devices[0].push(0);
        assert_eq!(dataset(&d).unwrap_err().fault, Fault::DeviceBeyondDevices);
        let mut d = sample();
        d.alert_devices.clear();
        assert_eq!(dataset(&d).unwrap_err().fault, Fault::AlertDevicesPerAlert);
    }

    #[test]
    fn a_string_given_twice_keeps_its_place_and_is_refused() {
        let mut d = sample();
        let strings: Vec<Box<str>> = vec!["aaa".into(), "x.exe".into(), "aaa".into()];
        d.strings = Interner::from(strings);
        // Symbols keep naming the text they named when written: nothing shifts.
        assert_eq!(d.strings.len(), 3);
        assert_eq!(d.strings.first_repeat(), Some((0, 2)));
        let e = dataset(&d).unwrap_err();
        assert_eq!(
            e.to_string(),
            "string 2 (`aaa`) repeats string 0: a string that appears twice"
        );
        assert_eq!(new_string(&d.strings, "aaa"), Err(Fault::RepeatedString));
        assert_eq!(new_string(&d.strings, "bbb"), Ok(()));
    }
}
