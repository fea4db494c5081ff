//! Snapshots: a compact binary encoding of a `Dataset`.
//!
//! The web app parses exports in a Web Worker and hands the dataset to the page as a snapshot;
//! it also keeps the snapshot in IndexedDB, so that a reload does not parse hundreds of
//! megabytes of JSON again. The page must never block for long, so decoding is incremental:
//! `Decoder::step` decodes a budget of items and returns, and the page yields to the browser
//! between steps. The look-up indexes are built item by item as the data arrives, never in one
//! long pass at the end.
//!
//! The encoding is written by hand rather than derived: every kilobyte of WebAssembly is
//! downloaded by every analyst, and the decoder must check what it reads rather than trust it.
//! The decoding logic is not generic over the reader, so it is compiled once.
//!
//! # Layout
//!
//! Little-endian throughout. A *varint* is an unsigned LEB128 number; a *text* is a varint
//! length and that many bytes of UTF-8; an *optional text* is a varint of 0 for none, else the
//! length plus one and the bytes; an *optional time* is a byte 0, or a byte 1 and an `i64` of
//! milliseconds; a *symbol* is a `u32`, 0 for none, else the string's position from 1.
//!
//! - header: the magic `airvsnap`, the format version (`u32`), the snapshot's length in bytes
//!   (`u64`, header and trailer included), then one `u32` count per section;
//! - sections, in this order: files (texts); strings (texts, in symbol order); devices (id,
//!   DNS name, device group, OS platform, varint count of tags and the tags); alerts (their
//!   fields, the file as a varint, then a varint count of the alert's devices and their
//!   indexes); evidence (alert and position as varints, four enum tags, a flag byte with the
//!   creation time when there is one, six symbols; a string-carrying variant writes its text
//!   after its tag); repeated alerts; investigations; reported actions;
//! - trailer: the Adler-32 checksum of everything before it (`u32`).
//!
//! Every reference points backwards (evidence to alerts and strings, alerts to devices and
//! files), so the decoder checks each one as it reads it.
//!
//! The files: `encode.rs` writes, `decode.rs` reads and checks (by the rules of
//! `model/validate.rs`), `tags.rs` is the one table of bytes for each enum both use, and
//! `checksum.rs` the trailer's Adler-32, `format.rs` the layout's constants and the errors.

mod checksum;
mod decode;
mod encode;
mod format;
mod tags;

pub use decode::{decode, Decoder};
pub use encode::encode;

pub use format::{SnapshotError, FORMAT};

#[cfg(test)]
mod tests {
    use super::checksum::Adler32;
    use super::format::{corrupt, EVIDENCE, HEADER, MAGIC, MIN_BYTES, NOT_UTF8, SECTIONS, TRAILER};
    use super::*;
    use crate::model::{
        Alert, Dataset, Device, EntityKind, Evidence, InvestigationInfo, RemediationStatus,
        ReportedAction, Verdict, VerdictSource,
    };
    use crate::time::Timestamp;
    use crate::vocab::{ActionType, Status};
    use proptest::prelude::*;
    use std::io::{ErrorKind, Read};

    /// A dataset with every kind of item and every enum variant, the rare ones included.
    fn sample() -> Dataset {
        let mut d = Dataset::new();
        let f0 = d.add_file("graph.json");
        let f1 = d.add_file("mde — alerts.json");
        let a0 = d
            .add_alert(Alert {
                id: "a0".into(),
                title: Some("Suspicious «process»".into()),
                machine_id: Some("dev-1".into()),
                rbac_group_name: Some("Servers".into()),
                machine_dns_name: Some("srv-01.contoso.com".into()),
                created: Some(Timestamp(1_700_000_000_123)),
                file: f0,
                ..Alert::default()
            })
            .unwrap();
        let a1 = d
            .add_alert(Alert {
                id: "a1".into(),
                incident_id: Some("i1".into()),
                investigation_id: Some("inv-1".into()),
                investigation_state: Some("PendingApproval".into()),
                classification: Some("TruePositive".into()),
                created: Some(Timestamp(-5)),
                file: f1,
                ..Alert::default()
            })
            .unwrap();
        assert!(d
            .add_alert(Alert {
                id: "a0".into(),
                file: f1,
                ..Alert::default()
            })
            .is_none());
        let dev2 = d.upsert_device(Device {
            mde_device_id: "dev-2".into(),
            dns_name: Some("wks-02".into()),
            os_platform: Some("Windows11".into()),
            tags: vec!["vip".into(), String::new()],
            ..Device::default()
        });
        d.link_alert_device(a1, dev2);
        d.link_alert_device(a1, 0);
        let kinds = [
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
            EntityKind::Other("#microsoft.graph.security.kubernetesPodEvidence".into()),
        ];
        let verdicts = [
            Verdict::Malicious,
            Verdict::Suspicious,
            Verdict::NoThreatsFound,
            Verdict::Unknown,
            Verdict::Unrecognized("unknownFutureValue".into()),
        ];
        let sources = [
            VerdictSource::Export,
            VerdictSource::DetectionStatus,
            VerdictSource::AlertClassification,
            VerdictSource::NoSignal,
        ];
        let statuses = [
            None,
            Some(RemediationStatus::None),
            Some(RemediationStatus::Remediated),
            Some(RemediationStatus::Prevented),
            Some(RemediationStatus::Blocked),
            Some(RemediationStatus::NotFound),
            Some(RemediationStatus::PendingApproval),
            Some(RemediationStatus::Declined),
            Some(RemediationStatus::Unremediated),
            Some(RemediationStatus::Running),
            Some(RemediationStatus::PartiallyRemediated),
            Some(RemediationStatus::Active),
            Some(RemediationStatus::Failed),
            Some(RemediationStatus::TimedOut),
            Some(RemediationStatus::Unrecognized(
                "Quarantined (sort of)".into(),
            )),
        ];
        for (i, kind) in kinds.into_iter().enumerate() {
            let alert = if i % 2 == 0 { a0 } else { a1 };
            let mut e = Evidence::new(alert, i as u32 * 40, kind, verdicts[i % 5].clone());
            e.verdict_source = sources[i % 4];
            e.remediation_status = statuses[i % statuses.len()].clone();
            e.created = (i % 3 != 0).then_some(Timestamp(i64::MIN + i as i64));
            e.compromised = i % 2 == 1;
            e.mde_device_id = Some(d.intern(if i % 2 == 0 { "dev-1" } else { "dev-9" }));
            e.folder = Some(d.intern("C:\\Windows\\Temp"));
            e.file_name = (i % 2 == 0).then(|| d.intern(&format!("f{i}.exe")));
            e.sha256 = (i % 4 == 0).then(|| d.intern(&"ab".repeat(32)));
            e.entity = Some(d.intern(&format!("entity {i} ✓")));
            e.cluster_key = (i == 8).then(|| d.intern("cluster"));
            d.push_evidence(e);
        }
        d.investigations.push(InvestigationInfo {
            id: "inv-1".into(),
            state: Some("Running".into()),
            machine_id: Some("dev-1".into()),
            machine_dns_name: None,
            started: Some(Timestamp(1)),
            ended: Some(Timestamp(i64::MAX)),
            triggering_alert_id: Some("a1".into()),
            file: f1,
        });
        d.investigations.push(InvestigationInfo::default());
        for (i, action) in ActionType::ALL.into_iter().enumerate() {
            d.reported_actions.push(ReportedAction {
                id: format!("{f1}/{i}"),
                action: Some(action),
                action_label: action.slug().to_owned(),
                entity: Some("x.exe".into()),
                device: Some("srv-01".into()),
                machine_id: (i % 2 == 0).then(|| "dev-1".into()),
                investigation_id: Some("inv-1".into()),
                status: Some(Status::ALL[i % Status::ALL.len()]),
                reported_status: "Completed".into(),
                source: "Automated investigation".into(),
                decided_by: Some("Automation".into()),
                comment: Some("line one\nline two".into()),
                created: Some(Timestamp(7)),
                updated: None,
                wait_time: Some("2 hours".into()),
                file: f1,
            });
        }
        d.reported_actions.push(ReportedAction::default());
        d
    }

    /// The sample with two reported actions rather than one per action type: the tests that
    /// try every byte run in a debug build.
    fn small_sample() -> Dataset {
        let mut d = sample();
        d.reported_actions.drain(1..d.reported_actions.len() - 1);
        d
    }

    /// Decodes with `budget` items a step, checking the progress on the way.
    fn decode_by(bytes: &[u8], budget: usize) -> Result<Dataset, SnapshotError> {
        let mut decoder = Decoder::new(bytes)?;
        let (mut done, total) = decoder.progress();
        assert_eq!(done, 0);
        loop {
            let step = decoder.step(budget)?;
            let (now, same_total) = decoder.progress();
            assert_eq!(same_total, total);
            assert!(now >= done && now <= total && now - done <= budget.max(1));
            done = now;
            if let Some(data) = step {
                assert_eq!(decoder.progress(), (total, total));
                assert_eq!(decoder.step(budget), Ok(None));
                return Ok(data);
            }
        }
    }

    fn items(d: &Dataset) -> usize {
        d.files.len()
            + d.strings.len()
            + d.devices.len()
            + d.alerts.len()
            + d.evidence.len()
            + d.repeated_alerts.len()
            + d.investigations.len()
            + d.reported_actions.len()
    }

    /// Recomputes the checksum, so that a test reaches the checks before it.
    fn reseal(bytes: &mut [u8]) {
        let n = bytes.len() - 4;
        let mut sum = Adler32::NEW;
        sum.update(&bytes[..n]);
        bytes[n..].copy_from_slice(&sum.value().to_le_bytes());
    }

    /// Every reference in a decoded dataset names something.
    fn check_references(d: &Dataset) {
        let strings = d.strings.len() as u32;
        let files = d.files.len() as u32;
        assert_eq!(d.alert_devices.len(), d.alerts.len());
        assert!(d.alerts.iter().all(|a| a.file < files));
        assert!(d.repeated_alerts.iter().all(|(f, _)| *f < files));
        assert!(d.investigations.iter().all(|i| i.file < files));
        assert!(d.reported_actions.iter().all(|a| a.file < files));
        assert!(d
            .alert_devices
            .iter()
            .flatten()
            .all(|&dev| (dev as usize) < d.devices.len()));
        for e in &d.evidence {
            assert!((e.alert as usize) < d.alerts.len());
            for s in [
                e.mde_device_id,
                e.folder,
                e.file_name,
                e.sha256,
                e.entity,
                e.cluster_key,
            ]
            .into_iter()
            .flatten()
            {
                assert!(s.number() <= strings);
            }
            if let Some(dev) = d.link_device(e).device() {
                assert!(d.device(dev).is_some());
            }
        }
        for (i, a) in d.alerts.iter().enumerate() {
            assert!(d.alert_by_id(&a.id).is_some_and(|j| j as usize >= i));
        }
    }

    #[test]
    fn adler32_matches_the_reference() {
        let mut sum = Adler32::NEW;
        sum.update(b"Wikipedia");
        assert_eq!(sum.value(), 0x11E6_0398);
        let mut long = Adler32::NEW;
        long.update(&[0xff; 100_000]);
        let mut parts = Adler32::NEW;
        parts.update(&[0xff; 33_333]);
        parts.update(&[0xff; 66_667]);
        assert_eq!(long.value(), parts.value());
    }

    #[test]
    fn the_tables_follow_declaration_order() {
        // Reported actions store `action as u8 + 1` and decode through `ALL`.
        for (i, a) in ActionType::ALL.into_iter().enumerate() {
            assert_eq!(a as usize, i);
        }
        for (i, s) in Status::ALL.into_iter().enumerate() {
            assert_eq!(s as usize, i);
        }
    }

    #[test]
    fn a_dataset_comes_back_equal_whatever_the_budget() {
        let data = sample();
        let bytes = encode(&data);
        for budget in [0, 1, 7, usize::MAX] {
            let again = decode_by(&bytes, budget).unwrap();
            assert_eq!(again, data, "budget {budget}");
            check_references(&again);
        }
        let mut decoder = Decoder::new(&bytes[..]).unwrap();
        assert_eq!(decoder.progress(), (0, items(&data)));
        assert_eq!(decode(&bytes).unwrap(), data);
        assert_eq!(encode(&decode(&bytes).unwrap()), bytes);
        // A step of one item leaves the rest for later.
        assert_eq!(decoder.step(1), Ok(None));
        assert_eq!(decoder.progress().0, 1);
    }

    #[test]
    fn the_empty_dataset_comes_back_equal() {
        let bytes = encode(&Dataset::new());
        assert_eq!(bytes.len() as u64, HEADER + TRAILER);
        assert_eq!(decode(&bytes).unwrap(), Dataset::new());
        let mut decoder = Decoder::new(&bytes[..]).unwrap();
        assert_eq!(decoder.progress(), (0, 0));
        assert_eq!(decoder.step(1), Ok(Some(Dataset::new())));
        assert_eq!(decoder.progress(), (0, 0));
    }

    #[test]
    fn the_smallest_items_take_the_bytes_the_header_check_assumes() {
        let mut d = Dataset::new();
        d.add_file("");
        d.upsert_device(Device::default());
        d.add_alert(Alert::default()).unwrap();
        d.push_evidence(Evidence::new(0, 0, EntityKind::File, Verdict::Malicious));
        d.repeated_alerts.push((0, String::new()));
        d.investigations.push(InvestigationInfo::default());
        d.reported_actions.push(ReportedAction::default());
        assert_eq!(d.strings.len(), 1, "the device's empty id");
        let bytes = encode(&d);
        assert_eq!(
            bytes.len() as u64,
            HEADER + TRAILER + MIN_BYTES.iter().sum::<u64>()
        );
        assert_eq!(decode(&bytes).unwrap(), d);
    }

    #[test]
    fn a_reader_that_gives_a_byte_at_a_time_or_is_interrupted_reads_the_same() {
        struct Trickle<'a>(&'a [u8], bool);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                self.1 = !self.1;
                if self.1 {
                    return Err(ErrorKind::Interrupted.into());
                }
                let n = buf.len().min(self.0.len()).min(1);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let data = sample();
        let bytes = encode(&data);
        let mut decoder = Decoder::new(Trickle(&bytes, false)).unwrap();
        let again = loop {
            if let Some(d) = decoder.step(3).unwrap() {
                break d;
            }
        };
        assert_eq!(again, data);
    }

    #[test]
    fn a_failing_reader_is_reported_with_its_position() {
        struct Failing(usize);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0 == 0 {
                    return Err(std::io::Error::other("the storage went away"));
                }
                let n = buf.len().min(self.0);
                let bytes = encode(&sample());
                buf[..n].copy_from_slice(&bytes[..n]);
                self.0 -= n;
                Ok(n)
            }
        }
        let e = Decoder::new(Failing(60))
            .and_then(|mut d| d.step(usize::MAX))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "it could not be read at byte 60: other error"
        );
    }

    #[test]
    fn what_is_not_a_snapshot_says_so() {
        let not = "the saved data is not an airview snapshot";
        for bytes in [&b""[..], b"{\"airview\": 1}", b"airvsnaX\x01\0\0\0", b"x"] {
            let e = decode(bytes).err().unwrap();
            assert_eq!(e, SnapshotError::NotASnapshot);
            assert_eq!(e.to_string(), not);
        }
        assert_eq!(
            decode(b"airv").err(),
            Some(SnapshotError::EndsEarly { at: 4 })
        );
    }

    #[test]
    fn another_format_version_says_which() {
        let mut bytes = encode(&sample());
        bytes[8..12].copy_from_slice(&2u32.to_le_bytes());
        let e = decode(&bytes).unwrap_err();
        assert_eq!(
            e.to_string(),
            "it was written by another version of airview (format 2, this version reads 1)"
        );
        // A future format may change everything after the version: nothing else is read.
        assert_eq!(decode(&bytes[..12]).unwrap_err(), e);
    }

    #[test]
    fn every_truncation_ends_early_where_it_ends() {
        let bytes = encode(&small_sample());
        for n in 1..bytes.len() {
            let expected = SnapshotError::EndsEarly { at: n as u64 };
            assert_eq!(decode(&bytes[..n]).err(), Some(expected.clone()), "{n}");
            assert_eq!(decode_by(&bytes[..n], 1).err(), Some(expected), "{n}");
        }
        assert_eq!(
            decode(&bytes[..100]).unwrap_err().to_string(),
            "it ends early at byte 100"
        );
    }

    #[test]
    fn data_after_the_end_is_refused() {
        let mut bytes = encode(&sample());
        let n = bytes.len() as u64;
        bytes.push(0);
        let e = decode(&bytes).unwrap_err();
        assert_eq!(e, corrupt(n, "data after its end"));
        assert_eq!(
            e.to_string(),
            format!("it is corrupted at byte {n}: data after its end")
        );
    }

    #[test]
    fn every_changed_byte_is_refused_and_the_error_repeats() {
        let bytes = encode(&small_sample());
        for i in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[i] ^= 0x20;
            let mut decoder = match Decoder::new(&changed[..]) {
                Ok(d) => d,
                Err(_) => continue,
            };
            let e = loop {
                match decoder.step(5) {
                    Ok(None) => {}
                    Ok(Some(_)) => panic!("byte {i} changed, and the snapshot decoded"),
                    Err(e) => break e,
                }
            };
            assert_eq!(decoder.step(5), Err(e));
        }
        let mut changed = bytes.clone();
        let name = changed
            .windows(10)
            .position(|w| w == b"graph.json")
            .unwrap();
        changed[name] = b'G';
        let e = decode(&changed).unwrap_err();
        assert_eq!(e, SnapshotError::Checksum);
        assert_eq!(
            e.to_string(),
            "it is corrupted: its checksum does not match its content"
        );
    }

    /// One file `f`, the strings `s` and `t`, a device `d` (interned as the third string), an
    /// alert `a` naming it, and one evidence item whose cluster key is `s`.
    fn tiny() -> (Dataset, usize) {
        let mut d = Dataset::new();
        d.add_file("f");
        d.intern("s");
        d.intern("t");
        let dev = d.upsert_device(Device {
            mde_device_id: "d".into(),
            ..Device::default()
        });
        let a = d
            .add_alert(Alert {
                id: "a".into(),
                ..Alert::default()
            })
            .unwrap();
        d.link_alert_device(a, dev);
        let mut e = Evidence::new(a, 0, EntityKind::File, Verdict::Malicious);
        e.cluster_key = d.strings.get("s");
        d.push_evidence(e);
        // The evidence item is the last record: 31 bytes before the trailer.
        let record = encode(&d).len() - 4 - 31;
        (d, record)
    }

    fn with(at: usize, value: u8) -> SnapshotError {
        let (d, _) = tiny();
        let mut bytes = encode(&d);
        bytes[at] = value;
        reseal(&mut bytes);
        decode(&bytes).unwrap_err()
    }

    #[test]
    fn wrong_references_and_tags_are_named_with_their_position() {
        let (d, record) = tiny();
        assert_eq!(decode(&encode(&d)).unwrap(), d);
        let r = record as u64;
        let strings = HEADER as usize + 2;
        let cases = [
            (
                record + 27,
                4,
                corrupt(r + 27, "a symbol beyond the strings"),
            ),
            (record, 1, corrupt(r, "an alert beyond the alerts")),
            (record + 2, 17, corrupt(r + 2, "an unknown evidence kind")),
            (record + 3, 5, corrupt(r + 3, "an unknown verdict")),
            (record + 4, 4, corrupt(r + 4, "an unknown verdict source")),
            (
                record + 5,
                15,
                corrupt(r + 5, "an unknown remediation status"),
            ),
            (record + 6, 4, corrupt(r + 6, "unknown evidence flags")),
            // The alert's one device index is the last byte before the evidence.
            (record - 1, 1, corrupt(r - 1, "a device beyond the devices")),
            // Its file is 3 bytes before the device list (file, count, device).
            (record - 3, 1, corrupt(r - 3, "a file beyond the files")),
            (strings + 1, 0xff, corrupt(strings as u64, NOT_UTF8)),
            (
                strings + 3,
                b's',
                corrupt(strings as u64 + 2, "a string that appears twice"),
            ),
            (
                strings,
                200,
                corrupt(strings as u64, "a text longer than the snapshot"),
            ),
        ];
        for (at, value, expected) in cases {
            assert_eq!(with(at, value), expected, "byte {at} set to {value}");
        }
        assert_eq!(
            with(record, 1).to_string(),
            format!("it is corrupted at byte {record}: an alert beyond the alerts")
        );
    }

    #[test]
    fn a_header_whose_counts_cannot_fit_is_refused_before_anything_is_reserved() {
        let (d, _) = tiny();
        let mut bytes = encode(&d);
        // The evidence count.
        bytes[20 + 4 * EVIDENCE..24 + 4 * EVIDENCE].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(
            Decoder::new(&bytes[..]).err(),
            Some(corrupt(20, "counts that do not fit in its length"))
        );
        let mut bytes = encode(&d);
        bytes[12..20].copy_from_slice(&3u64.to_le_bytes());
        assert_eq!(
            Decoder::new(&bytes[..]).err(),
            Some(corrupt(12, "a length shorter than a snapshot can be"))
        );
        let mut bytes = encode(&d);
        let n = bytes.len() as u64;
        bytes[12..20].copy_from_slice(&(n + 1).to_le_bytes());
        reseal(&mut bytes);
        assert_eq!(
            decode(&bytes).err(),
            Some(corrupt(n - 4, "a length that does not match its content"))
        );
    }

    #[test]
    fn every_changed_byte_behind_a_good_checksum_gives_an_error_or_a_sound_dataset() {
        let bytes = encode(&small_sample());
        for i in 0..bytes.len() - 4 {
            for value in [bytes[i] ^ 1, bytes[i] ^ 0x80, 0, 0xff] {
                let mut changed = bytes.clone();
                changed[i] = value;
                reseal(&mut changed);
                if let Ok(d) = decode(&changed) {
                    check_references(&d);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn changed_bytes_never_panic(
            changes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
            budget in 1usize..20,
        ) {
            let mut bytes = encode(&sample());
            let body = bytes.len() - 4;
            for (at, value) in changes {
                bytes[at.index(body)] = value;
            }
            reseal(&mut bytes);
            if let Ok(d) = decode_by(&bytes, budget) {
                check_references(&d);
            }
        }

        #[test]
        fn any_bytes_after_a_header_never_panic(
            counts in prop::collection::vec(0u32..6, SECTIONS),
            body in prop::collection::vec(any::<u8>(), 0..400),
        ) {
            let mut bytes = MAGIC.to_vec();
            bytes.extend_from_slice(&FORMAT.to_le_bytes());
            bytes.extend_from_slice(&(HEADER + body.len() as u64 + TRAILER).to_le_bytes());
            for c in counts {
                bytes.extend_from_slice(&c.to_le_bytes());
            }
            bytes.extend_from_slice(&body);
            bytes.extend_from_slice(&[0; 4]);
            reseal(&mut bytes);
            if let Ok(d) = decode(&bytes) {
                check_references(&d);
            }
        }
    }
}
