//! Property: for every importer, a file it accepts, saved in airview's file and loaded again,
//! yields the same evidence (and the same devices, investigations and reported actions), and
//! saving again gives the same bytes. Inputs are generated: Graph exports from the generator,
//! Defender for Endpoint responses and CSV exports from random records whose text includes
//! quotes, separators, line breaks and non-ASCII characters.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use airview_engine::model::Dataset;
use airview_import::{airview, load, Format};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Evidence as users see it: by alert id and position, with every symbol resolved.
fn evidence_view(d: &Dataset) -> Vec<String> {
    d.evidence
        .iter()
        .map(|e| {
            let text = |s| d.opt_text(s).map(str::to_owned);
            format!(
                "{:?}",
                (
                    d.alert_of(e).map(|a| (
                        &a.id,
                        &a.investigation_id,
                        &a.classification,
                        &a.machine_id
                    )),
                    e.index,
                    &e.kind,
                    &e.verdict,
                    e.verdict_source,
                    &e.remediation_status,
                    e.created,
                    e.compromised,
                    (
                        text(e.mde_device_id),
                        text(e.folder),
                        text(e.file_name),
                        text(e.sha256)
                    ),
                    (text(e.entity), text(e.cluster_key)),
                    d.link_device(e).device().and_then(|i| d.device(i)),
                )
            )
        })
        .collect()
}

/// Loads `text` as `format`; if accepted, checks the round trip through airview's file.
fn check(text: &str, format: Format) -> Result<(), TestCaseError> {
    let mut data = Dataset::new();
    if load(&mut data, "in", text, Some(format)).is_err() {
        return Ok(());
    }
    let saved = airview::export(&data, None, "").unwrap();
    let mut again = Dataset::new();
    let report = load(&mut again, "saved.airview.json", &saved, None).unwrap();
    prop_assert_eq!(report.format, Some(Format::Airview));
    prop_assert_eq!(evidence_view(&again), evidence_view(&data));
    prop_assert_eq!(&again.devices, &data.devices);
    prop_assert_eq!(&again.investigations, &data.investigations);
    prop_assert_eq!(&again.reported_actions, &data.reported_actions);
    prop_assert_eq!(airview::export(&again, None, "").unwrap(), saved.clone());
    // Loaded after something else, the same evidence, although every symbol moves.
    let mut merged = Dataset::new();
    let other = r##"{"id": "merge-base-alert", "evidence": [
        {"@odata.type": "#microsoft.graph.security.deviceEvidence", "mdeDeviceId": "merge-base-device", "deviceDnsName": "zz.fabrikam.local"},
        {"@odata.type": "#microsoft.graph.security.fileEvidence", "verdict": "malicious", "fileDetails": {"fileName": "zz.exe", "filePath": "D:\\zz"}}]}"##;
    load(&mut merged, "other.json", other, None).unwrap();
    let before = merged.evidence.len();
    load(&mut merged, "saved.airview.json", &saved, None).unwrap();
    let added: Vec<String> = evidence_view(&merged).into_iter().skip(before).collect();
    prop_assert_eq!(added, evidence_view(&data));
    Ok(())
}

/// Text with the characters that break naive writers and readers.
fn tricky() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ._-]{0,12}",
        Just(String::new()),
        Just("a, \"quoted\" b".to_owned()),
        Just("two\nlines\r\nthree".to_owned()),
        Just("C:\\Users\\ålice\\Downloads".to_owned()),
        Just("=cmd|' /C calc'!A0".to_owned()),
        Just("東京 \u{1F600}".to_owned()),
    ]
}

fn opt<T: Strategy>(s: T) -> impl Strategy<Value = Option<T::Value>> {
    prop::option::of(s)
}

fn time() -> impl Strategy<Value = Option<String>> {
    opt((0i64..4_000_000_000_000).prop_map(|ms| airview_engine::Timestamp(ms).to_string()))
}

fn mde_evidence() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec![
            "File",
            "Process",
            "Registry",
            "User",
            "Url",
            "Ip",
            "MailMessage",
            "MailCluster",
            "Mailbox",
            "Machine",
            "Widget",
        ]),
        opt(prop::sample::select(vec![
            "Detected",
            "Blocked",
            "Prevented",
            "NotDetected",
            "prevented",
        ])),
        (tricky(), tricky(), tricky(), tricky()),
        time(),
        opt(prop::sample::select(vec!["d-1", "d-2"])),
    )
        .prop_map(|(ty, detection, (a, b, c, d), created, machine)| {
            json!({
                "entityType": ty, "detectionStatus": detection, "evidenceCreationTime": created,
                "fileName": a, "filePath": b, "sha256": c, "processCommandLine": d,
                "registryKey": b, "registryValueName": a, "accountName": a, "domainName": c,
                "url": b, "ipAddress": a, "subject": a, "recipientEmailAddress": c,
                "clusterBy": a, "clusterByValue": b, "primaryAddress": c,
                "machineId": machine, "computerDnsName": d
            })
        })
}

fn mde_alert() -> impl Strategy<Value = Value> {
    (
        "[a-z0-9]{1,4}",
        opt(prop::sample::select(vec![
            "FalsePositive",
            "InformationalExpectedActivity",
            "TruePositive",
        ])),
        opt(prop::sample::select(vec!["d-1", "d-2", "d-3"])),
        opt(prop::sample::select(vec!["Finance", "Servers"])),
        opt(0u64..100),
        prop::collection::vec(mde_evidence(), 0..5),
        time(),
    )
        .prop_map(|(id, class, machine, group, inv, evidence, created)| {
            json!({"id": id, "classification": class, "machineId": machine, "rbacGroupName": group,
                   "computerDnsName": machine.map(|m| format!("{m}.contoso.com")),
                   "investigationId": inv, "alertCreationTime": created, "evidence": evidence})
        })
}

fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn graph_exports_round_trip(alerts in 0usize..12, seed in any::<u64>()) {
        check(&airview_import::generate::generate_string(alerts, seed), Format::Graph)?;
    }

    #[test]
    fn mde_alerts_round_trip(alerts in prop::collection::vec(mde_alert(), 0..6), wrap in any::<bool>()) {
        let doc = if wrap { json!({"value": alerts}) } else { Value::Array(alerts) };
        check(&doc.to_string(), Format::MdeAlerts)?;
    }

    #[test]
    fn mde_investigations_and_machine_actions_round_trip(
        rows in prop::collection::vec((
            "[a-z0-9-]{0,6}",
            opt(prop::sample::select(vec!["Running", "Benign", "PendingApproval"])),
            prop::sample::select(vec!["Isolate", "Unisolate", "RunAntiVirusScan", "StopAndQuarantineFile", "Whatever"]),
            prop::sample::select(vec!["Pending", "InProgress", "Succeeded", "Failed", "TimeOut", "Cancelled", "Odd"]),
            opt(tricky()),
            (time(), time()),
        ), 0..6)
    ) {
        let investigations: Vec<Value> = rows.iter().map(|(id, state, _, _, who, (start, end))| json!({
            "id": id, "state": state, "machineId": who, "computerDnsName": who, "startTime": start, "endTime": end
        })).collect();
        check(&json!({"value": investigations}).to_string(), Format::MdeInvestigations)?;
        let actions: Vec<Value> = rows.iter().map(|(id, _, ty, status, who, (created, updated))| json!({
            "id": id, "type": ty, "status": status, "requestor": who, "requestorComment": who,
            "machineId": "d-1", "creationDateTimeUtc": created, "lastUpdateDateTimeUtc": updated,
            "relatedFileInfo": {"fileIdentifier": who}
        })).collect();
        check(&Value::Array(actions).to_string(), Format::MdeMachineActions)?;
    }

    #[test]
    fn csv_exports_round_trip(
        format in prop::sample::select(vec![Format::ActionCenterCsv, Format::AirActionsCsv, Format::AirLogsCsv]),
        rows in prop::collection::vec((
            prop::sample::select(vec!["Quarantine a file", "Soft delete email messages", "Email cluster analysis", ""]),
            prop::sample::select(vec!["Completed", "Pending", "Declined", "Timed out", "Sideways"]),
            opt((0i64..4_000_000_000_000).prop_map(|ms| airview_engine::Timestamp(ms).to_string())),
            tricky(),
            tricky(),
        ), 0..6),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let header = ["Action update time", "Time", "Execution start time", "Action type", "Action", "Status", "Entity", "Comment", "Extra"];
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = String::from(if bom { "\u{feff}" } else { "" });
        text.push_str(&header.join(","));
        text.push_str(end);
        for (action, status, time, entity, comment) in &rows {
            let t = time.clone().unwrap_or_default();
            let cells = [t.as_str(), &t, &t, action, action, status, entity, comment, "x"];
            text.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
            text.push_str(end);
        }
        let mut data = Dataset::new();
        let report = load(&mut data, "in.csv", &text, Some(format));
        prop_assert!(report.is_ok(), "{:?}", report.err().map(|e| e.to_string()));
        prop_assert_eq!(data.reported_actions.len(), rows.len());
        for (a, (_, _, _, entity, comment)) in data.reported_actions.iter().zip(&rows) {
            let trimmed = entity.trim();
            prop_assert_eq!(a.entity.as_deref(), (!trimmed.is_empty()).then_some(trimmed));
            let c = comment.trim();
            if format == Format::ActionCenterCsv {
                prop_assert_eq!(a.comment.as_deref(), (!c.is_empty()).then_some(c));
            }
        }
        check(&text, format)?;
    }
}
