//! Every format through `airview_import::load`: what each fixture loads, how formats loaded
//! together describe one organisation, detection, and the errors users see on bad files.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

mod common;

use airview_engine::model::{Dataset, EntityKind, Verdict, VerdictSource};
use airview_engine::{decide, ActionType, Outcome, Status};
use airview_import::{airview, check_size, detect, load, Format, MAX_FILE_BYTES};
use common::checks::assert_unchanged;
use common::{base, fixture, fixture_path, load_all, policy, root};

/// Loads `text` and expects an error; returns its text as users see it.
fn refused(name: &str, text: &str, format: Option<Format>) -> String {
    let mut data = base();
    let before = data.clone();
    let e = load(&mut data, name, text, format).unwrap_err();
    assert_unchanged(&data, &before, "a refused file must change nothing");
    e.to_string()
}

#[test]
fn detection_picks_each_fixtures_format() {
    for (name, format) in [
        ("graph-page1.json", Format::Graph),
        ("graph-page2.json", Format::Graph),
        ("graph-incidents.json", Format::Graph),
        ("mde-alerts.json", Format::MdeAlerts),
        ("mde-alerts-page2.json", Format::MdeAlerts),
        ("mde-investigations.json", Format::MdeInvestigations),
        ("mde-machineactions.json", Format::MdeMachineActions),
        ("action-center-history.csv", Format::ActionCenterCsv),
        ("AirActions.csv", Format::AirActionsCsv),
        ("AirLogs.csv", Format::AirLogsCsv),
    ] {
        assert_eq!(detect(&fixture(name)), Ok(format), "{name}");
    }
}

#[test]
fn detection_without_odata_context_and_of_airview_files() {
    let bare = |s: &str| detect(s).unwrap();
    assert_eq!(
        bare(r#"[{"id": "a", "machineId": "m", "computerDnsName": "x", "evidence": []}]"#),
        Format::MdeAlerts
    );
    assert_eq!(
        bare(r#"[{"id": "5", "state": "Running", "startTime": "2026-01-01T00:00:00Z"}]"#),
        Format::MdeInvestigations
    );
    assert_eq!(
        bare(r#"{"id": "x", "type": "Isolate", "requestor": "a@b.c", "status": "Pending"}"#),
        Format::MdeMachineActions
    );
    assert_eq!(bare(r#"{"value": []}"#), Format::Graph);
    assert_eq!(
        bare(
            r##"[{"id": "a", "evidence": [{"@odata.type": "#microsoft.graph.security.fileEvidence", "detectionStatus": "detected"}]}]"##
        ),
        Format::Graph
    );
    assert_eq!(bare(r#"{"airview": 1, "data": {}}"#), Format::Airview);
    assert_eq!(
        bare("\u{feff}Action type,Wait time,Entity,Status,Handled by,Time\n"),
        Format::AirActionsCsv
    );
    assert!(detect("id,verdict\n1,malicious\n")
        .unwrap_err()
        .contains("is not JSON"));
    assert_eq!(detect("  \n").unwrap_err(), "the file is empty");
}

#[test]
fn format_slugs_round_trip() {
    for f in Format::ALL {
        assert_eq!(Format::parse(f.slug()), Some(f));
    }
    assert_eq!(Format::parse("MDE_Alerts"), Some(Format::MdeAlerts));
    assert_eq!(Format::parse("xml"), None);
}

#[test]
fn mde_alerts_load_with_verdicts_airview_decides() {
    let (data, reports) = load_all(&["mde-alerts.json"]);
    assert_eq!(reports[0].format, Some(Format::MdeAlerts));
    assert_eq!((reports[0].alerts, reports[0].evidence), (3, 11));
    let a = &data.alerts[0];
    assert_eq!(a.id, "da638650000000000001_-2104551001");
    assert_eq!(a.incident_id.as_deref(), Some("7301"));
    assert_eq!(a.investigation_id.as_deref(), Some("5001"));
    assert_eq!(a.investigation_state.as_deref(), Some("PendingApproval"));
    assert_eq!(a.created.unwrap().to_string(), "2026-10-21T09:14:02.553Z");
    let fin = data.device(data.device_by_id("d-fin-1").unwrap()).unwrap();
    assert_eq!(fin.dns_name.as_deref(), Some("fin-ws-001.contoso.com"));
    assert_eq!(fin.rbac_group_name.as_deref(), Some("Finance"));

    let row = |i: usize| {
        let e = &data.evidence[i];
        (
            e.kind.clone(),
            e.verdict.clone(),
            e.verdict_source,
            data.entity(e).to_owned(),
        )
    };
    use VerdictSource::*;
    assert_eq!(
        row(0),
        (
            EntityKind::File,
            Verdict::Malicious,
            DetectionStatus,
            "invoice_viewer.exe".into()
        )
    );
    assert_eq!(
        data.file_path(&data.evidence[0]).unwrap(),
        r"C:\Users\alice\Downloads\invoice_viewer.exe"
    );
    assert_eq!(
        row(1),
        (
            EntityKind::Process,
            Verdict::Suspicious,
            NoSignal,
            "powershell.exe".into()
        )
    );
    assert_eq!(
        row(2),
        (
            EntityKind::RegistryValue,
            Verdict::Malicious,
            DetectionStatus,
            r"HKEY_CURRENT_USER\SOFTWARE\Microsoft\Windows\CurrentVersion\Run\InvoiceViewerUpdate"
                .into()
        )
    );
    assert_eq!(row(3).3, "alice@contoso.com");
    assert_eq!(row(4).0, EntityKind::Url);
    assert_eq!(
        row(5),
        (
            EntityKind::Ip,
            Verdict::Suspicious,
            NoSignal,
            "203.0.113.77".into()
        )
    );
    // The second alert is classified FalsePositive after its evidence: the detected file stays
    // malicious, the other becomes no threats found. Its whole path loses the file name.
    assert_eq!(
        row(6),
        (
            EntityKind::File,
            Verdict::NoThreatsFound,
            AlertClassification,
            "backup_agent.dll".into()
        )
    );
    assert_eq!(
        data.opt_text(data.evidence[6].folder),
        Some(r"C:\Program Files\Contoso\Backup")
    );
    assert_eq!(row(7).1, Verdict::Malicious);
    assert_eq!(
        row(8),
        (
            EntityKind::EmailMessage,
            Verdict::Malicious,
            DetectionStatus,
            "Your invoice is ready (bob@contoso.com)".into()
        )
    );
    assert_eq!(row(9).3, "Subject: Your invoice is ready");
    assert!(data.evidence[9].cluster_key.is_some());
    assert_eq!(
        row(10),
        (
            EntityKind::Mailbox,
            Verdict::Suspicious,
            NoSignal,
            "bob@contoso.com".into()
        )
    );
}

#[test]
fn mde_pages_skip_repeats_and_classification_decides() {
    let (data, reports) = load_all(&["mde-alerts.json", "mde-alerts-page2.json"]);
    assert_eq!(
        reports[1].repeated_alerts,
        vec!["da638650000000000003_-733221"]
    );
    assert_eq!((reports[1].alerts, reports[1].evidence), (1, 2));
    let last = data.evidence.last().unwrap();
    assert_eq!(last.verdict, Verdict::NoThreatsFound);
    assert_eq!(
        data.entity(last),
        "schtasks.exe /create /tn Inventory /tr inventory.ps1"
    );
}

#[test]
fn mde_decisions_say_airview_decides_and_use_the_alerts_device() {
    let (data, _) = load_all(&["mde-alerts.json"]);
    let policy = policy("policy-semi.json");
    let e = &data.evidence[0];
    let d = decide(&data, &policy, e);
    // Finance is `full` in the policy: the detected file in Downloads is quarantined at once.
    assert_eq!(d.outcome, Outcome::Automatic);
    let reasons = d.reasons(&data, &policy, e).join("\n");
    assert!(reasons.contains("airview decides"), "{reasons}");
    assert!(reasons.contains("Finance"), "{reasons}");
    // The FalsePositive alert's undetected file: no threats found, no action.
    let e = &data.evidence[6];
    assert_eq!(decide(&data, &policy, e).outcome, Outcome::NoAction);
}

#[test]
fn investigations_give_the_state_alerts_lack() {
    let (data, reports) = load_all(&[
        "mde-alerts.json",
        "mde-alerts-page2.json",
        "mde-investigations.json",
    ]);
    assert_eq!(reports[2].format, Some(Format::MdeInvestigations));
    assert_eq!(reports[2].investigations, 3);
    let inv = &data.investigations[1];
    assert_eq!(
        (inv.id.as_str(), inv.state.as_deref()),
        ("5002", Some("Benign"))
    );
    assert_eq!(inv.ended.unwrap().to_string(), "2026-10-22T15:02:33.000Z");
    let by_id = |id: &str| &data.alerts[data.alert_by_id(id).unwrap() as usize];
    // The alert's own state wins; an alert without one gets its investigation's.
    assert_eq!(
        data.investigation_state(by_id("da638650000000000001_-2104551001")),
        Some("PendingApproval")
    );
    assert_eq!(
        data.investigation_state(by_id("da638650000000000002_1290334455")),
        Some("Benign")
    );
    assert_eq!(
        data.investigation_state(by_id("da638650000000000004_55001")),
        Some("Running")
    );
    assert_eq!(
        data.investigation_state(by_id("da638650000000000003_-733221")),
        None
    );
}

#[test]
fn machine_actions_become_reported_actions() {
    let (data, reports) = load_all(&["mde-machineactions.json"]);
    assert_eq!(reports[0].actions, 6);
    let a: Vec<_> = data
        .reported_actions
        .iter()
        .map(|a| {
            (
                a.action,
                a.status,
                a.source.as_str(),
                a.decided_by.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        a,
        vec![
            (
                Some(ActionType::IsolateDevice),
                Some(Status::Completed),
                "Manual response action",
                Some("alice.admin@contoso.com")
            ),
            (
                Some(ActionType::RunAntivirusScan),
                Some(Status::Pending),
                "Automated investigation",
                Some("Automated investigation")
            ),
            (
                Some(ActionType::StopAndQuarantine),
                Some(Status::Failed),
                "Manual response action",
                Some("bob.secops@contoso.com")
            ),
            (
                None,
                Some(Status::Rejected),
                "Manual response action",
                Some("carol.lead@contoso.com")
            ),
            (
                Some(ActionType::CollectInvestigationPackage),
                Some(Status::TimedOut),
                "Manual response action",
                Some("bob.secops@contoso.com")
            ),
            (
                Some(ActionType::LiveResponse),
                Some(Status::Pending),
                "Manual response action",
                Some("alice.admin@contoso.com")
            ),
        ]
    );
    let quarantine = &data.reported_actions[2];
    assert_eq!(
        quarantine.entity.as_deref(),
        Some("2222bbbb3333cccc4444dddd5555eeee6666ffff777700008888999911110000")
    );
    assert_eq!(quarantine.device.as_deref(), Some("srv-web-02.contoso.com"));
    assert_eq!(data.reported_actions[3].action_label, "Unisolate");
    assert_eq!(data.reported_actions[3].reported_status, "Cancelled");
    assert_eq!(
        data.reported_actions[0].updated.unwrap().to_string(),
        "2026-10-21T09:21:40.765Z"
    );
    assert_eq!(
        data.reported_actions[0].comment.as_deref(),
        Some("Isolating while we look at the dropper")
    );
    // The same page again: every action is a repeat.
    let mut data = data;
    let again = load(
        &mut data,
        "again.json",
        &fixture("mde-machineactions.json"),
        None,
    )
    .unwrap();
    assert_eq!((again.actions, again.repeated_actions.len()), (0, 6));
}

#[test]
fn action_center_history_csv() {
    let (data, reports) = load_all(&["action-center-history.csv"]);
    assert_eq!(reports[0].format, Some(Format::ActionCenterCsv));
    assert_eq!(reports[0].actions, 5);
    let r = &data.reported_actions;
    assert_eq!(r[0].id, "0/2");
    assert_eq!(r[0].investigation_id.as_deref(), Some("5001"));
    assert_eq!(r[0].action, Some(ActionType::QuarantineFile));
    assert_eq!(r[0].status, Some(Status::Completed));
    assert_eq!(r[0].decided_by.as_deref(), Some("Automation"));
    assert_eq!(r[0].comment, None);
    assert_eq!(
        r[1].updated.unwrap().to_string(),
        "2026-10-21T10:02:15.000Z"
    );
    assert_eq!(
        r[1].comment.as_deref(),
        Some("Approved after checking the run key, see ticket 4411")
    );
    assert_eq!(
        r[1].entity.as_deref(),
        Some(
            r"HKEY_CURRENT_USER\SOFTWARE\Microsoft\Windows\CurrentVersion\Run\InvoiceViewerUpdate"
        )
    );
    assert_eq!(r[2].action, Some(ActionType::SoftDeleteEmail));
    assert_eq!(r[2].status, Some(Status::Rejected));
    assert_eq!(
        r[2].comment.as_deref(),
        Some("Sender is our billing partner.\r\nFalse alarm, keep the mail.")
    );
    assert_eq!(
        r[2].updated.unwrap().to_string(),
        "2026-10-23T07:30:00.000Z"
    );
    assert_eq!(
        (r[3].investigation_id.as_deref(), r[3].source.as_str()),
        (None, "Manual response action")
    );
    assert_eq!(r[4].status, Some(Status::TimedOut));
    assert_eq!(
        r[4].id, "0/6",
        "a quoted line break does not make a new row"
    );
}

#[test]
fn office_365_air_actions_and_logs() {
    let (data, reports) = load_all(&["AirActions.csv", "AirLogs.csv"]);
    assert_eq!((reports[0].actions, reports[1].actions), (4, 5));
    let r = &data.reported_actions;
    assert_eq!(r[0].action, Some(ActionType::SoftDeleteEmail));
    assert_eq!(r[0].wait_time.as_deref(), Some("2 hours"));
    assert_eq!(r[0].status, Some(Status::Completed));
    assert_eq!(
        r[0].updated.unwrap().to_string(),
        "2026-10-23T09:05:12.000Z"
    );
    assert_eq!(r[0].source, "Automated investigation");
    assert_eq!(r[1].action, Some(ActionType::SoftDeleteEmailCluster));
    assert_eq!(r[2].status, Some(Status::Rejected));
    assert_eq!(r[3].status, Some(Status::TimedOut));
    assert_eq!(r[3].action, Some(ActionType::BlockUrl));
    // AirLogs: analysis steps are kept with their label and no action type.
    assert_eq!(
        (r[4].action, r[4].action_label.as_str()),
        (None, "Email cluster analysis")
    );
    assert_eq!(
        r[4].entity.as_deref(),
        Some("Analyzed 14 messages clustered by subject \"Your invoice is ready\"")
    );
    assert_eq!(r[6].action, Some(ActionType::SoftDeleteEmailCluster));
    assert_eq!(r[6].status, Some(Status::Pending));
    assert_eq!(r[6].updated, None);
    assert_eq!(r[6].wait_time.as_deref(), Some("00:32:00"));
    assert_eq!(
        r[7].created.unwrap().to_string(),
        "2026-10-23T07:40:00.000Z"
    );
    assert_eq!(r[8].status, Some(Status::Failed));
    assert_eq!(r[8].id, "1/6");
}

#[test]
fn csv_columns_in_any_order_and_case_and_extra_columns() {
    let text = "STATUS;extra;action TYPE;Time;Entity\n\"Completed\";x;Quarantine a file;2026-01-02 03:04:05;\"a;b.exe\"\n";
    let mut data = Dataset::new();
    let report = load(&mut data, "a.csv", text, Some(Format::AirActionsCsv)).unwrap();
    assert_eq!(report.actions, 1);
    let a = &data.reported_actions[0];
    assert_eq!(
        (a.action, a.status, a.entity.as_deref()),
        (
            Some(ActionType::QuarantineFile),
            Some(Status::Completed),
            Some("a;b.exe")
        )
    );
}

#[test]
fn csv_errors_name_the_column_or_the_row() {
    let e = refused(
        "h.csv",
        "Action type,Entity,Status\nIsolate device,x,Completed\n",
        Some(Format::ActionCenterCsv),
    );
    assert_eq!(e, "`h.csv`, row 1 (the header is row 1), line 1: the required column `Action update time` is missing (the header has `Action type`, `Entity`, `Status`)");
    let e = refused("h.csv", "Action update time,Action type,Status\n2026-01-01,Isolate device,Completed\nyesterday,Isolate device,Completed\n", None);
    assert!(e.starts_with("`h.csv`, row 3 (the header is row 1), line 3: `yesterday` in column `Action update time` is not a date and time"), "{e}");
    let e = refused("h.csv", "Action update time,Action type,Status\n\"2026-01-01\",\"two\nlines\",Completed\n2026-01-01,Isolate device\n", None);
    assert_eq!(
        e,
        "`h.csv`, row 3 (the header is row 1), line 4: the row has 2 field(s); the header has 3"
    );
    let e = refused(
        "h.csv",
        "Action update time,Action type,Status\n2026-01-01,\"Isolate device,Completed\n",
        None,
    );
    assert!(
        e.contains(
            "row 2 (the header is row 1), line 2: a quoted field opened on line 2 is never closed"
        ),
        "{e}"
    );
    let e = refused("x.csv", "Name,Value\n1,2\n", Some(Format::AirLogsCsv));
    assert!(e.contains("the required column `Action` is missing"), "{e}");
}

#[test]
fn malformed_mde_json_names_line_and_column() {
    let e = refused(
        "a.json",
        "{\"value\": [\n {\"id\": \"a\", \"evidence\": [{\"entityType\": 3}]}\n]}",
        Some(Format::MdeAlerts),
    );
    assert_eq!(
        e,
        "`a.json`, line 2, column 42: invalid type: integer `3`, expected a string"
    );
    let e = refused(
        "a.json",
        "[{\"id\": \"a\", \"alertCreationTime\": \"soon\"}]",
        Some(Format::MdeAlerts),
    );
    assert!(
        e.contains("line 1, column 40: invalid date and time `soon`"),
        "{e}"
    );
    let e = refused(
        "m.json",
        "{\"value\": [{\"id\": \"x\", \"status\": \"Pending\"",
        Some(Format::MdeMachineActions),
    );
    assert!(e.contains("the file ends in the middle of a value"), "{e}");
    let e = refused("m.json", "{\"value\": 5}", Some(Format::MdeMachineActions));
    assert!(e.ends_with("expected an array of machine actions"), "{e}");
    let e = refused("i.json", "{\"value\": 5}", Some(Format::MdeInvestigations));
    assert!(
        e.contains(
            "line 1, column 11: invalid type: integer `5`, expected an array of investigations"
        ),
        "{e}"
    );
}

#[test]
fn graph_and_mde_about_one_device_agree_on_its_group() {
    // The Graph export names d-lab-1's group; the MDE alert about it does not, and names
    // d-mix-1's group, which the Graph export's device evidence lacks. Either order.
    let graph = r##"{"value": [{"id": "g1", "evidence": [
        {"@odata.type": "#microsoft.graph.security.deviceEvidence", "mdeDeviceId": "d-mix-1", "deviceDnsName": "mix-01.contoso.com"},
        {"@odata.type": "#microsoft.graph.security.fileEvidence", "verdict": "malicious", "mdeDeviceId": "d-mix-1", "fileDetails": {"fileName": "a.exe", "filePath": "C:\\Temp"}}
    ]}]}"##;
    let mde = r#"[{"id": "m1", "machineId": "d-mix-1", "computerDnsName": "mix-01.contoso.com", "rbacGroupName": "Finance",
        "evidence": [{"entityType": "File", "fileName": "b.exe", "filePath": "C:\\Temp", "detectionStatus": "Detected"}]},
        {"id": "m2", "machineId": "d-lab-1", "evidence": [{"entityType": "File", "fileName": "c.exe", "filePath": "C:\\Temp", "detectionStatus": "Detected"}]}]"#;
    let policy = policy("policy-semi.json");
    for order in [
        [("g.json", graph), ("m.json", mde)],
        [("m.json", mde), ("g.json", graph)],
    ] {
        let mut data = Dataset::new();
        load(&mut data, "page2.json", &fixture("graph-page2.json"), None).unwrap();
        for (name, text) in order {
            load(&mut data, name, text, None).unwrap();
        }
        let mix = data.device(data.device_by_id("d-mix-1").unwrap()).unwrap();
        assert_eq!(mix.rbac_group_name.as_deref(), Some("Finance"));
        let lab = data.device(data.device_by_id("d-lab-1").unwrap()).unwrap();
        assert_eq!(lab.rbac_group_name.as_deref(), Some("UnassignedGroup"));
        assert_eq!(lab.dns_name.as_deref(), Some("lab-01.fabrikam.local"));
        // Every file evidence about d-mix-1 is in Finance (full): automatic, whichever file
        // named the group.
        for e in data.evidence.iter().filter(|e| {
            e.kind == EntityKind::File
                && data
                    .alert_of(e)
                    .is_some_and(|a| a.id == "g1" || a.id == "m1")
        }) {
            let d = decide(&data, &policy, e);
            assert_eq!(d.outcome, Outcome::Automatic, "{}", data.entity(e));
        }
    }
}

#[test]
fn too_large_files_are_refused_with_the_limit() {
    let e = check_size("big.json", MAX_FILE_BYTES as u64 + 1, MAX_FILE_BYTES).unwrap_err();
    assert_eq!(
        e.to_string(),
        "`big.json`: the file is 1073741825 bytes; airview reads files of up to 1073741824 bytes (1 GiB)"
    );
    assert!(check_size("ok.json", 10, MAX_FILE_BYTES).is_ok());
    let e = check_size("b.json", 1100 << 20, airview_import::MAX_BROWSER_FILE_BYTES).unwrap_err();
    assert!(e.message.ends_with("(1 GiB)"), "{}", e.message);
    assert!(check_size("b.json", 700 << 20, airview_import::MAX_BROWSER_FILE_BYTES).is_ok());
}

/// Everything loaded from every fixture, a policy and a two-line journal, saved.
fn session_file() -> String {
    let (data, _) = load_all(&[
        "graph-page1.json",
        "graph-page2.json",
        "graph-incidents.json",
        "mde-alerts.json",
        "mde-alerts-page2.json",
        "mde-investigations.json",
        "mde-machineactions.json",
        "action-center-history.csv",
        "AirActions.csv",
        "AirLogs.csv",
    ]);
    let policy: airview_engine::PolicyFile =
        serde_json::from_str(&fixture("policy-semi.json")).unwrap();
    let entries: Vec<airview_engine::Entry> = serde_json::from_str(
        r#"[{"at": "2026-10-25T09:00:00Z", "actor": {"name": "alice", "roles": ["security_administrator"]}, "event": {"type": "approve", "ids": ["da100_1/2"]}},
            {"at": "2026-10-25T09:05:00Z", "actor": {"name": "bob", "roles": ["security_reader"]}, "event": {"type": "reject", "ids": ["da100_2/1"]}, "comment": "not on a Friday"}]"#,
    )
    .unwrap();
    let journal = airview_engine::Journal::write(&entries);
    airview::export(&data, Some(&policy), &journal).unwrap()
}

#[test]
fn airview_file_loads_and_saves_to_the_same_bytes() {
    let saved = session_file();
    let path = fixture_path("session.airview.json");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &saved).unwrap();
    }
    assert_eq!(
        fixture("session.airview.json"),
        saved,
        "run with UPDATE_FIXTURES=1 after a deliberate change of the format"
    );
    let mut data = Dataset::new();
    let report = load(&mut data, "session.airview.json", &saved, None).unwrap();
    assert_eq!(report.format, Some(Format::Airview));
    assert_eq!(report.evidence, data.evidence.len());
    assert_eq!(report.actions, 6 + 5 + 4 + 5);
    let policy = report.policy.unwrap();
    let journal = report.journal.unwrap();
    assert_eq!(airview_engine::Journal::parse(&journal).unwrap().len(), 2);
    assert_eq!(
        airview::export(&data, Some(&policy), &journal).unwrap(),
        saved
    );
    // The indexes are rebuilt: look-ups work on the loaded data.
    assert!(data.alert_by_id("da638650000000000004_55001").is_some());
    assert!(data.device_by_id("d-fin-1").is_some());
}

#[test]
fn airview_file_into_a_dataset_that_holds_something_adds_to_it() {
    let saved = session_file();
    let (mut data, _) = load_all(&["graph-page1.json", "AirActions.csv"]);
    let report = load(&mut data, "s.airview.json", &saved, Some(Format::Airview)).unwrap();
    // The file's own record of repeats (the incidents repeat two alerts), then graph-page1's
    // two alerts, which are there already.
    assert_eq!(report.repeated_alerts.len(), 4);
    let (whole, _) = {
        let mut d = Dataset::new();
        let r = load(&mut d, "s", &saved, None).unwrap();
        (d, r)
    };
    assert_eq!(data.evidence.len(), whole.evidence.len());
    assert_eq!(
        data.reported_actions.len(),
        whole.reported_actions.len() + 4
    );
    // The same evidence, entity by entity, although the symbols differ.
    let entities = |d: &Dataset| {
        let mut v: Vec<(String, u32, String, Option<String>)> = d
            .evidence
            .iter()
            .map(|e| {
                (
                    d.alert_of(e).unwrap().id.clone(),
                    e.index,
                    d.entity(e).to_owned(),
                    d.file_path(e),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(entities(&data), entities(&whole));
    // CSV row ids follow their new file index: the session's Action center history was its
    // file 7 and is now file 9, after the two files loaded before it.
    assert_eq!(whole.files[7], "action-center-history.csv");
    assert!(whole.reported_actions.iter().any(|a| a.id == "7/2"));
    assert_eq!(data.files[9], "action-center-history.csv");
    assert!(data
        .reported_actions
        .iter()
        .any(|a| a.id == "9/2" && a.file == 9));
    let ids: std::collections::HashSet<_> = data.reported_actions.iter().map(|a| &a.id).collect();
    assert_eq!(ids.len(), data.reported_actions.len(), "ids stay unique");
}

#[test]
fn airview_file_errors() {
    let e = refused(
        "new.airview.json",
        r#"{"airview": 2, "data": {"whatever": true}}"#,
        None,
    );
    assert_eq!(e, "`new.airview.json`: the file is an airview file of version `2`; this airview reads version 1 (is the file from a newer airview?)");
    let e = refused(
        "new.airview.json",
        r#"{"data": {}, "journal": "", "airview": "one"}"#,
        None,
    );
    assert!(e.contains("version `\"one\"`"), "{e}");
    let saved = session_file();
    let tampered = saved.replacen("not on a Friday", "not on a Monday", 1);
    let e = refused("t.airview.json", &tampered, None);
    assert!(
        e.contains("the journal in the file does not load: journal line 2"),
        "{e}"
    );
    let broken = saved.replacen("\"alert_devices\":[", "\"alert_devices\":[[99],", 1);
    let e = refused("b.airview.json", &broken, None);
    assert!(e.contains("the data is inconsistent"), "{e}");
    // A string interned twice would shift every later symbol onto the wrong text, and a
    // symbol past the strings names nothing: both are refused, as a snapshot's decoder does.
    let repeated = saved.replacen("\"strings\":[\"", "\"strings\":[\"ws-01\",\"ws-01\",\"", 1);
    assert_ne!(repeated, saved);
    let e = refused("s.airview.json", &repeated, None);
    assert!(
        e.starts_with("`s.airview.json`: the data is inconsistent: string 1 (`ws-01`) repeats string 0: a string that appears twice"),
        "{e}"
    );
    let strings = {
        let v: serde_json::Value = serde_json::from_str(&saved).unwrap();
        v["data"]["strings"].as_array().unwrap().len()
    };
    let beyond = saved.replacen(
        "\"entity\":",
        &format!("\"entity\":{},\"was\":", strings + 5),
        1,
    );
    assert_ne!(beyond, saved);
    let e = refused("y.airview.json", &beyond, None);
    assert!(
        e.contains("the data is inconsistent: evidence 0 (alert `")
            && e.ends_with("names a symbol beyond the strings"),
        "{e}"
    );
    let bad_policy = saved.replacen(
        "\"default_level\":\"semi_core_folders\"",
        "\"default_level\":\"mostly\"",
        1,
    );
    let e = refused("p.airview.json", &bad_policy, None);
    assert!(
        e.contains("the policy in the file is not valid: unknown automation level `mostly`"),
        "{e}"
    );
    let e = refused(
        "c.airview.json",
        &saved[..saved.len() / 2],
        Some(Format::Airview),
    );
    assert!(e.contains("line 1, column"), "{e}");
}

/// The schema in `docs/` names every field airview writes, so that it cannot drift from the
/// code unnoticed (a full validation needs a JSON Schema validator, which airview does not
/// ship; `python3 -m jsonschema` or any validator checks the fixture against it).
#[test]
fn the_schema_names_every_field_airview_writes() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/airview-file.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(schema["properties"]["airview"]["const"], airview::VERSION);
    let saved: serde_json::Value = serde_json::from_str(&fixture("session.airview.json")).unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    let declared = |def: &str| -> Vec<String> {
        let props = if def.is_empty() {
            &schema["properties"]
        } else {
            &schema["$defs"][def]["properties"]
        };
        keys(props)
    };
    let check = |def: &str, items: &[serde_json::Value]| {
        assert!(!items.is_empty(), "{def}: the fixture has none");
        for item in items {
            for k in keys(item) {
                assert!(
                    declared(def).contains(&k),
                    "the schema's `{def}` lacks `{k}`"
                );
            }
        }
    };
    check("", std::slice::from_ref(&saved));
    let data = &saved["data"];
    check("dataset", std::slice::from_ref(data));
    for (def, field) in [
        ("alert", "alerts"),
        ("evidence", "evidence"),
        ("device", "devices"),
        ("investigation", "investigations"),
        ("reported_action", "reported_actions"),
    ] {
        check(def, data[field].as_array().unwrap());
    }
    check("policy", std::slice::from_ref(&saved["policy"]));
}

/// airview's own history export (the portal's columns) loads as an Action center history,
/// row for row: the action type, the status, the entity and who decided.
#[test]
fn airviews_history_export_loads_back() {
    let (data, _) = load_all(&["graph-page1.json", "graph-page2.json", "mde-alerts.json"]);
    let now = airview_engine::Timestamp::parse("2026-11-20T00:00:00Z").unwrap();
    let center = airview_engine::Center::new(data, policy("policy-semi.json"), now);
    let history = center.history();
    assert!(history.len() > 3, "{}", history.len());
    let csv = airview_engine::history_csv(&history);
    let mut loaded = Dataset::new();
    let report = load(&mut loaded, "history.csv", &csv, None).unwrap();
    assert_eq!(report.format, Some(Format::ActionCenterCsv));
    assert_eq!(loaded.reported_actions.len(), history.len());
    for (row, view) in loaded.reported_actions.iter().zip(&history) {
        assert_eq!(row.action, Some(view.action), "{}", row.action_label);
        assert_eq!(row.status, Some(view.status), "{}", row.reported_status);
        assert_eq!(row.entity.as_deref().unwrap_or(""), view.entity);
        assert_eq!(row.decided_by, view.decided_by);
        assert_eq!(row.updated, view.decided_at);
        assert_eq!(row.investigation_id, view.investigation);
        assert_eq!(row.source, view.source.label());
    }
}
