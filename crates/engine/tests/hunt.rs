//! The KQL subset, case by case: each case is a query over small tables written here and the
//! rows it must give (columns as `name:type`, each row as JSON), or the error it must give.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use airview_engine::hunt::{
    run, to_json, Catalog, Column, ColumnKind, Output, Progress, Run, RunOptions, Table, Value,
};
use airview_engine::Timestamp;

fn t(text: &str) -> Value<'static> {
    Value::DateTime(Timestamp::parse(text).unwrap())
}

fn s(text: &str) -> Value<'static> {
    Value::string(text.to_owned())
}

/// Evidence rows shaped like AlertEvidence: nulls, empty strings, mixed case, repeats.
fn evidence() -> Table {
    use ColumnKind::*;
    let columns = [
        ("Timestamp", DateTime),
        ("AlertId", String),
        ("EntityType", String),
        ("DeviceName", String),
        ("FileName", String),
        ("SHA256", String),
        ("FileSize", Long),
        ("AccountUpn", String),
        ("ProcessCommandLine", String),
        ("AdditionalFields", Dynamic),
    ];
    let mut table = Table::new(
        "Ev",
        columns.iter().map(|(n, k)| Column::new(*n, *k)).collect(),
    );
    let n = Value::Null;
    let d = |json: &str| Value::Dynamic(json.to_owned().into());
    let rows = vec![
        vec![
            t("2024-01-01T10:00:00Z"),
            s("da1"),
            s("File"),
            s("host-1"),
            s("cmd.exe"),
            s("aaa"),
            Value::Long(100),
            n.clone(),
            s(""),
            d(r#"{"a":1}"#),
        ],
        vec![
            t("2024-01-01T11:00:00Z"),
            s("da1"),
            s("Process"),
            s("HOST-1"),
            s("powershell.exe"),
            s("bbb"),
            n.clone(),
            s("alice@contoso.com"),
            s("powershell -enc AAA"),
            n.clone(),
        ],
        vec![
            t("2024-01-02T09:30:00Z"),
            s("da2"),
            s("File"),
            s("host-2"),
            s("Invoice.PDF.exe"),
            s("aaa"),
            Value::Long(2048),
            s(""),
            s(""),
            n.clone(),
        ],
        vec![
            t("2024-01-02T12:00:00Z"),
            s("da2"),
            s("Ip"),
            s("host-2"),
            s(""),
            s(""),
            n.clone(),
            s(""),
            s(""),
            d(r#"{"ip":"10.0.0.1"}"#),
        ],
        vec![
            t("2024-01-03T00:00:00Z"),
            s("da3"),
            s("User"),
            s(""),
            s(""),
            s(""),
            n.clone(),
            s("Bob@Contoso.com"),
            s(""),
            n.clone(),
        ],
        vec![
            n.clone(),
            s("da3"),
            s("File"),
            s("host-3"),
            s("notepad.exe"),
            s("ccc"),
            Value::Long(0),
            s(""),
            s(""),
            n.clone(),
        ],
        vec![
            t("2024-01-03T23:59:59.999Z"),
            s("da4"),
            s("Process"),
            s("host-1"),
            s("cmd.exe"),
            s("ddd"),
            Value::Long(512),
            s("carol@fabrikam.com"),
            s("cmd.exe /c whoami"),
            n.clone(),
        ],
        vec![
            t("2024-01-04T08:00:00Z"),
            s("da4"),
            s("Url"),
            s("host-3"),
            s(""),
            s(""),
            n.clone(),
            s(""),
            s(""),
            n,
        ],
    ];
    table.rows = rows;
    table
}

/// Alerts shaped like AlertInfo.
fn alerts() -> Table {
    let mut table = Table::new(
        "Al",
        vec![
            Column::new("AlertId", ColumnKind::String),
            Column::new("Title", ColumnKind::String),
            Column::new("Severity", ColumnKind::String),
        ],
    );
    table.rows = vec![
        vec![s("da1"), s("Suspicious PowerShell"), s("High")],
        vec![s("da2"), s("Malicious file"), s("Medium")],
        vec![s("da5"), s("Unused"), s("Low")],
    ];
    table
}

fn catalog() -> Catalog<'static> {
    Catalog::new().with(evidence()).with(alerts())
}

fn options() -> RunOptions {
    RunOptions::at(Timestamp::parse("2024-01-04T12:00:00Z").unwrap())
}

fn render(out: &Output) -> Vec<String> {
    let mut lines = vec![out
        .columns
        .iter()
        .map(|(n, k)| format!("{n}:{}", k.name()))
        .collect::<Vec<_>>()
        .join(" ")];
    for row in &out.rows {
        lines.push(serde_json::Value::Array(row.iter().map(to_json).collect()).to_string());
    }
    lines
}

#[track_caller]
fn check(query: &str, expected: &[&str]) {
    let out = run(query, &catalog(), &options()).unwrap_or_else(|e| panic!("{query}\n{e}"));
    assert_eq!(render(&out), expected, "{query}");
}

/// The rows in any order, for queries without a sort.
#[track_caller]
fn check_unordered(query: &str, expected: &[&str]) {
    let out = run(query, &catalog(), &options()).unwrap_or_else(|e| panic!("{query}\n{e}"));
    let mut got = render(&out);
    let mut want: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
    got[1..].sort();
    want[1..].sort();
    assert_eq!(got, want, "{query}");
}

#[track_caller]
fn check_error(query: &str, expected: &str) {
    match run(query, &catalog(), &options()) {
        Ok(out) => panic!("{query}\nran and gave {:?}", render(&out)),
        Err(e) => assert_eq!(e.to_string(), expected, "{query}"),
    }
}

#[test]
fn where_compares_with_kusto_case_rules() {
    check(
        "Ev | where DeviceName == 'host-1' | project AlertId",
        &["AlertId:string", r#"["da1"]"#, r#"["da4"]"#],
    );
    check(
        "Ev | where DeviceName =~ 'host-1' | project AlertId",
        &["AlertId:string", r#"["da1"]"#, r#"["da1"]"#, r#"["da4"]"#],
    );
    check(
        "Ev | where DeviceName !~ 'HOST-1' and DeviceName != '' | project DeviceName",
        &[
            "DeviceName:string",
            r#"["host-2"]"#,
            r#"["host-2"]"#,
            r#"["host-3"]"#,
            r#"["host-3"]"#,
        ],
    );
    check(
        "Ev | where AccountUpn in ('alice@contoso.com', 'bob@contoso.com') | project AccountUpn",
        &["AccountUpn:string", r#"["alice@contoso.com"]"#],
    );
    check(
        "Ev | where AccountUpn in~ ('alice@contoso.com', 'bob@contoso.com') | project AccountUpn",
        &[
            "AccountUpn:string",
            r#"["alice@contoso.com"]"#,
            r#"["Bob@Contoso.com"]"#,
        ],
    );
    check(
        "Ev | where EntityType !in ('File', 'Process', 'Ip') | project EntityType",
        &["EntityType:string", r#"["User"]"#, r#"["Url"]"#],
    );
}

#[test]
fn string_operators_match_terms_and_substrings() {
    check(
        "Ev | where FileName has 'pdf' | project FileName",
        &["FileName:string", r#"["Invoice.PDF.exe"]"#],
    );
    check(
        "Ev | where FileName has 'voice' | count",
        &["Count:long", "[0]"],
    );
    check(
        "Ev | where FileName contains 'VOICE' | count",
        &["Count:long", "[1]"],
    );
    check(
        "Ev | where FileName !contains 'exe' | count",
        &["Count:long", "[3]"],
    );
    check(
        "Ev | where FileName !has 'exe' | count",
        &["Count:long", "[3]"],
    );
    check(
        "Ev | where FileName startswith 'CMD' | count",
        &["Count:long", "[2]"],
    );
    check(
        "Ev | where FileName endswith '.EXE' | count",
        &["Count:long", "[5]"],
    );
    check(
        "Ev | where FileName has_cs 'PDF' | count",
        &["Count:long", "[1]"],
    );
    check(
        "Ev | where FileName has_cs 'pdf' | count",
        &["Count:long", "[0]"],
    );
    check(
        "Ev | where ProcessCommandLine has_any ('whoami', 'mimikatz') | project AlertId",
        &["AlertId:string", r#"["da4"]"#],
    );
    check(
        "Ev | where ProcessCommandLine has_all ('powershell', 'enc') | project AlertId",
        &["AlertId:string", r#"["da1"]"#],
    );
    check(
        "Ev | where AdditionalFields has '10.0.0.1' | project AlertId",
        &["AlertId:string", r#"["da2"]"#],
    );
}

#[test]
fn empties_and_nulls() {
    check(
        "Ev | where isempty(FileName) | count",
        &["Count:long", "[3]"],
    );
    check(
        "Ev | where isnotempty(AccountUpn) | count",
        &["Count:long", "[3]"],
    );
    check(
        "Ev | where isnull(FileSize) | count",
        &["Count:long", "[4]"],
    );
    check(
        "Ev | where isnotnull(FileSize) | count",
        &["Count:long", "[4]"],
    );
    // A string is never null: an absent one is empty.
    check(
        "Ev | where isnull(AccountUpn) | count",
        &["Count:long", "[0]"],
    );
    // `!=` is true between a null and a value; `==` false; `<` null, so `where` drops it.
    check("Ev | where FileSize != 100 | count", &["Count:long", "[7]"]);
    check("Ev | where FileSize == 100 | count", &["Count:long", "[1]"]);
    check(
        "Ev | where FileSize < 1000 or isnull(FileSize) | count",
        &["Count:long", "[7]"],
    );
    check(
        "Ev | where not(FileSize < 1000) | count",
        &["Count:long", "[1]"],
    );
    check(
        "Ev | where isnull(Timestamp) | project AlertId",
        &["AlertId:string", r#"["da3"]"#],
    );
}

#[test]
fn times_timespans_and_now() {
    check(
        "Ev | where Timestamp between (datetime(2024-01-02) .. datetime(2024-01-03)) | project AlertId",
        &["AlertId:string", r#"["da2"]"#, r#"["da2"]"#, r#"["da3"]"#],
    );
    check(
        "Ev | where Timestamp between (datetime(2024-01-02) .. 1d) | count",
        &["Count:long", "[3]"],
    );
    check(
        "Ev | where Timestamp !between (datetime(2024-01-02) .. 1d) | count",
        &["Count:long", "[4]"],
    );
    // now() is the run's time, 2024-01-04T12:00Z.
    check(
        "Ev | where Timestamp > ago(1d) | count",
        &["Count:long", "[2]"],
    );
    check(
        "Ev | where Timestamp >= now(-1d) | count",
        &["Count:long", "[2]"],
    );
    check(
        "let t = datetime(2024-01-01 10:00); Ev | where Timestamp == t + 1h | project AlertId",
        &["AlertId:string", r#"["da1"]"#],
    );
    check(
        "print a = datetime(2024-01-02) - datetime(2024-01-01 10:30), b = 1d + 2h, c = 90m, d = 1.5s, e = 2h / 1h",
        &[
            "a:timespan b:timespan c:timespan d:timespan e:real",
            r#"["13:30:00","1.02:00:00","01:30:00","00:00:01.5000000",2.0]"#,
        ],
    );
    check(
        "print tostring(datetime(2024-01-02 03:04:05.678))",
        &["print_0:string", r#"["2024-01-02T03:04:05.6780000Z"]"#],
    );
}

#[test]
fn functions() {
    check(
        "print tolower('AbC'), toupper('x'), strcat('a', 1, true, long(null)), strlen('héllo'), substring('abcdef', 1, 3)",
        &[
            "print_0:string print_1:string print_2:string print_3:long print_4:string",
            r#"["abc","X","a1True",5,"bcd"]"#,
        ],
    );
    check(
        "print toint('12'), tolong('x'), toreal('1.5'), tostring(2.0), todatetime('2024-01-01')",
        &[
            "print_0:long print_1:long print_2:real print_3:string print_4:datetime",
            r#"[12,null,1.5,"2","2024-01-01T00:00:00.000Z"]"#,
        ],
    );
    check(
        "print 7 / 2, -7 / 2, 7 % 3, 7 / 2.0, 1 / 0, bin(7, 5), bin(datetime(2024-01-02 13:00), 1d)",
        &[
            "print_0:long print_1:long print_2:long print_3:real print_4:long print_5:long print_6:datetime",
            r#"[3,-3,1,3.5,null,5,"2024-01-02T00:00:00.000Z"]"#,
        ],
    );
    check(
        "Ev | extend Size = case(FileSize > 1000, 'big', FileSize > 0, 'small', 'none'), Kind = iff(EntityType == 'File', 1, 0) | project AlertId, Size, Kind | take 3",
        &[
            "AlertId:string Size:string Kind:long",
            r#"["da1","small",1]"#,
            r#"["da1","none",0]"#,
            r#"["da2","big",1]"#,
        ],
    );
}

#[test]
fn project_extend_and_friends() {
    check(
        "Ev | take 1 | project Device = DeviceName, Half = FileSize / 2, strlen(FileName)",
        &["Device:string Half:long Column1:long", r#"["host-1",50,7]"#],
    );
    check(
        "Ev | take 1 | project-away AdditionalFields, *Name, Process*",
        &[
            "Timestamp:datetime AlertId:string EntityType:string SHA256:string FileSize:long AccountUpn:string",
            r#"["2024-01-01T10:00:00.000Z","da1","File","aaa",100,""]"#,
        ],
    );
    check(
        "Ev | take 1 | project-keep AlertId, Device*",
        &["AlertId:string DeviceName:string", r#"["da1","host-1"]"#],
    );
    check(
        "Ev | take 1 | project AlertId, FileName, DeviceName | project-reorder DeviceName",
        &[
            "DeviceName:string AlertId:string FileName:string",
            r#"["host-1","da1","cmd.exe"]"#,
        ],
    );
    check(
        "Ev | take 1 | project AlertId, FileName | project-rename Name = FileName",
        &["AlertId:string Name:string", r#"["da1","cmd.exe"]"#],
    );
    // `extend` of an existing name replaces the column where it stands.
    check(
        "Ev | take 1 | project AlertId, FileName | extend AlertId = toupper(AlertId), x = 1",
        &[
            "AlertId:string FileName:string x:long",
            r#"["DA1","cmd.exe",1]"#,
        ],
    );
    check(
        "Ev | take 1 | extend a = 1, b = a + 1 | project a, b",
        &["a:long b:long", "[1,2]"],
    );
}

#[test]
fn summarize_names_and_aggregates_as_kusto() {
    check_unordered(
        "Ev | summarize count() by DeviceName",
        &[
            "DeviceName:string count_:long",
            r#"["host-1",2]"#,
            r#"["HOST-1",1]"#,
            r#"["host-2",2]"#,
            r#"["",1]"#,
            r#"["host-3",2]"#,
        ],
    );
    check(
        "Ev | summarize n = count(), countif(FileSize > 100), dcount(SHA256), min(FileSize), max(FileSize), sum(FileSize), avg(FileSize)",
        &[
            "n:long countif_:long dcount_SHA256:long min_FileSize:long max_FileSize:long sum_FileSize:long avg_FileSize:real",
            "[8,2,5,0,2048,2660,665.0]",
        ],
    );
    check_unordered(
        "Ev | where isnotnull(Timestamp) | summarize count() by bin(Timestamp, 1d)",
        &[
            "Timestamp:datetime count_:long",
            r#"["2024-01-01T00:00:00.000Z",2]"#,
            r#"["2024-01-02T00:00:00.000Z",2]"#,
            r#"["2024-01-03T00:00:00.000Z",2]"#,
            r#"["2024-01-04T00:00:00.000Z",1]"#,
        ],
    );
    check_unordered(
        "Ev | where EntityType == 'File' | summarize make_set(DeviceName), make_list(FileSize) by EntityType",
        &[
            "EntityType:string set_DeviceName:dynamic list_FileSize:dynamic",
            r#"["File",["host-1","host-2","host-3"],[100,2048,0]]"#,
        ],
    );
    check_unordered(
        "Ev | summarize arg_max(Timestamp, FileName) by AlertId",
        &[
            "AlertId:string Timestamp:datetime FileName:string",
            r#"["da1","2024-01-01T11:00:00.000Z","powershell.exe"]"#,
            r#"["da2","2024-01-02T12:00:00.000Z",""]"#,
            r#"["da3","2024-01-03T00:00:00.000Z",""]"#,
            r#"["da4","2024-01-04T08:00:00.000Z",""]"#,
        ],
    );
    check(
        "Ev | where AlertId == 'da1' | summarize arg_min(Timestamp, *) by AlertId | project-keep AlertId*, FileName",
        &["AlertId:string FileName:string", r#"["da1","cmd.exe"]"#],
    );
    check(
        "Ev | where AlertId == 'da1' | summarize arg_min(Timestamp, AlertId) by AlertId",
        &[
            "AlertId:string Timestamp:datetime AlertId1:string",
            r#"["da1","2024-01-01T10:00:00.000Z","da1"]"#,
        ],
    );
    check_unordered(
        "Ev | summarize by EntityType",
        &[
            "EntityType:string",
            r#"["File"]"#,
            r#"["Process"]"#,
            r#"["Ip"]"#,
            r#"["User"]"#,
            r#"["Url"]"#,
        ],
    );
    // Over no rows: one row of defaults without `by`, no row with it.
    check(
        "Ev | where false | summarize count(), dcount(AlertId), sum(FileSize), max(FileSize), make_set(AlertId)",
        &[
            "count_:long dcount_AlertId:long sum_FileSize:long max_FileSize:long set_AlertId:dynamic",
            "[0,0,0,null,[]]",
        ],
    );
    check(
        "Ev | where false | summarize count() by AlertId",
        &["AlertId:string count_:long"],
    );
}

#[test]
fn sort_top_take_distinct_count() {
    check(
        "Ev | sort by FileSize | project FileSize",
        &[
            "FileSize:long",
            "[2048]",
            "[512]",
            "[100]",
            "[0]",
            "[null]",
            "[null]",
            "[null]",
            "[null]",
        ],
    );
    check(
        "Ev | order by FileSize asc | project FileSize | take 5",
        &[
            "FileSize:long",
            "[null]",
            "[null]",
            "[null]",
            "[null]",
            "[0]",
        ],
    );
    check(
        "Ev | sort by FileSize asc nulls last | project FileSize | take 2",
        &["FileSize:long", "[0]", "[100]"],
    );
    check(
        "Ev | top 2 by Timestamp | project AlertId",
        &["AlertId:string", r#"["da4"]"#, r#"["da4"]"#],
    );
    check(
        "Ev | top 1 by Timestamp asc | project AlertId",
        &["AlertId:string", r#"["da3"]"#],
    );
    check(
        "Ev | sort by AlertId asc, Timestamp desc | project AlertId, FileName | take 3",
        &[
            "AlertId:string FileName:string",
            r#"["da1","powershell.exe"]"#,
            r#"["da1","cmd.exe"]"#,
            r#"["da2",""]"#,
        ],
    );
    check_unordered(
        "Ev | distinct AlertId",
        &[
            "AlertId:string",
            r#"["da1"]"#,
            r#"["da2"]"#,
            r#"["da3"]"#,
            r#"["da4"]"#,
        ],
    );
    check("Ev | limit 0", &[
        "Timestamp:datetime AlertId:string EntityType:string DeviceName:string FileName:string SHA256:string FileSize:long AccountUpn:string ProcessCommandLine:string AdditionalFields:dynamic",
    ]);
    check("Ev | count", &["Count:long", "[8]"]);
    check("Ev | take 100 | count", &["Count:long", "[8]"]);
    check("Ev | distinct * | count", &["Count:long", "[8]"]);
}

#[test]
fn search_unions_tables_and_finds_terms() {
    check(
        "search in (Ev, Al) AlertId == 'da2' | project $table, AlertId, FileName, Title",
        &[
            "$table:string AlertId:string FileName:string Title:string",
            r#"["Ev","da2","Invoice.PDF.exe",""]"#,
            r#"["Ev","da2","",""]"#,
            r#"["Al","da2","","Malicious file"]"#,
        ],
    );
    check(
        "search in (Ev, Al) 'powershell' | project $table, AlertId",
        &[
            "$table:string AlertId:string",
            r#"["Ev","da1"]"#,
            r#"["Al","da1"]"#,
        ],
    );
    check(
        "search 'fabrikam' | project AlertId",
        &["AlertId:string", r#"["da4"]"#],
    );
    check(
        "search in (Al) '*icio*' | project AlertId",
        &["AlertId:string", r#"["da1"]"#, r#"["da2"]"#],
    );
}

#[test]
fn tables_not_in_these_exports_are_empty_not_errors() {
    let query = "let selectedTimestamp = datetime(2024-01-02T09:30:00Z);\n\
        let deviceName = \"host-2\";\n\
        search in (DeviceLogonEvents, DeviceProcessEvents, Ev, DeviceImageLoadEvents, DeviceImageLoadEvents)\n\
        Timestamp between ((selectedTimestamp - 1h) .. (selectedTimestamp + 1h))\n\
        and DeviceName == deviceName\n\
        // or RemoteDeviceName == deviceName\n\
        | take 100";
    let out = run(query, &catalog(), &options()).unwrap();
    assert_eq!(out.rows.len(), 1);
    assert_eq!(out.columns[0].0, "$table");
    assert_eq!(
        out.notes,
        ["`search` read `Ev`; `DeviceLogonEvents`, `DeviceProcessEvents`, `DeviceImageLoadEvents` are not in these exports and were skipped"]
    );
    let out = run(
        "DeviceProcessEvents | where InitiatingProcessFileName =~ 'cmd.exe' | summarize count() by DeviceName",
        &catalog(),
        &options(),
    )
    .unwrap();
    assert!(out.rows.is_empty());
    assert_eq!(
        out.notes,
        ["`DeviceProcessEvents` is not in these exports: it is an Advanced hunting table, read here as an empty table"]
    );
    let out = run("EmailEvents | count", &catalog(), &options()).unwrap();
    assert_eq!(render(&out), ["Count:long", "[0]"]);
    // A column no held table has is taken as null when an absent table might have it.
    let out = run(
        "search in (Ev, DeviceFileEvents) InitiatingProcessSHA1 == 'x' or AlertId == 'da3' | count",
        &catalog(),
        &options(),
    )
    .unwrap();
    assert_eq!(render(&out), ["Count:long", "[2]"]);
}

#[test]
fn lets_comments_and_statements() {
    check(
        "// hosts that ran cmd\nlet name = 'cmd.exe'; // the file\nlet E = Ev | where FileName == name;\nE | project DeviceName",
        &["DeviceName:string", r#"["host-1"]"#, r#"["host-1"]"#],
    );
    check(
        "let n = 2; let E = Ev | summarize c = count() by AlertId; E | where c >= n | count",
        &["Count:long", "[4]"],
    );
    check("let T = Al; T | count", &["Count:long", "[3]"]);
    check("Ev | render timechart", &[
        "Timestamp:datetime AlertId:string EntityType:string DeviceName:string FileName:string SHA256:string FileSize:long AccountUpn:string ProcessCommandLine:string AdditionalFields:dynamic",
        r#"["2024-01-01T10:00:00.000Z","da1","File","host-1","cmd.exe","aaa",100,"","",{"a":1}]"#,
        r#"["2024-01-01T11:00:00.000Z","da1","Process","HOST-1","powershell.exe","bbb",null,"alice@contoso.com","powershell -enc AAA",null]"#,
        r#"["2024-01-02T09:30:00.000Z","da2","File","host-2","Invoice.PDF.exe","aaa",2048,"","",null]"#,
        r#"["2024-01-02T12:00:00.000Z","da2","Ip","host-2","","",null,"","",{"ip":"10.0.0.1"}]"#,
        r#"["2024-01-03T00:00:00.000Z","da3","User","","","",null,"Bob@Contoso.com","",null]"#,
        r#"[null,"da3","File","host-3","notepad.exe","ccc",0,"","",null]"#,
        r#"["2024-01-03T23:59:59.999Z","da4","Process","host-1","cmd.exe","ddd",512,"carol@fabrikam.com","cmd.exe /c whoami",null]"#,
        r#"["2024-01-04T08:00:00.000Z","da4","Url","host-3","","",null,"","",null]"#,
    ]);
}

#[test]
fn refusals_name_the_place_and_what_was_expected() {
    check_error(
        "Ev\n| summarize count() by )",
        "line 2, column 24: expected a column name or an expression after `by`, found `)`",
    );
    check_error(
        "Evidence | count",
        "line 1, column 1: unknown table `Evidence` (the tables here are Ev, Al)",
    );
    check_error(
        "al | count",
        "line 1, column 1: unknown table `al`; did you mean `Al`? (names are case-sensitive) (the tables here are Ev, Al)",
    );
    check_error(
        "Ev | where Devicename == 'x'",
        "line 1, column 12: unknown column `Devicename`; did you mean `DeviceName`? (names are case-sensitive)",
    );
    check_error(
        "Ev | where FileSize == 'x'",
        "line 1, column 12: cannot compare a long with a string using `==`",
    );
    check_error(
        "Ev | where FileName",
        "line 1, column 12: `where` needs a true or false condition, found a string",
    );
    check_error(
        "Ev | project AlertId | where FileName == 'x'",
        "line 1, column 30: unknown column `FileName`",
    );
    check_error(
        "Ev | summarize count() by AlertId | where DeviceName == ''",
        "line 1, column 43: unknown column `DeviceName`",
    );
    check_error(
        "Ev | take -1",
        "line 1, column 11: `take` needs a whole number of rows, found `-1`",
    );
    check_error(
        "Ev | summarize foo(AlertId)",
        "line 1, column 16: `foo` is not an aggregation: summarize takes count, countif, dcount, min, max, sum, avg, make_set, make_list, arg_max, arg_min",
    );
    check_error("let x = 1;", "line 1, column 1: the query has no tabular expression to run: end it with a table and its operators");
    check_error(
        "Ev; Al",
        "line 1, column 5: a query runs one tabular expression, and this is a second one",
    );
    check_error(
        "Ev | project a = 1, a = 2",
        "line 1, column 21: the column `a` is projected twice",
    );
}

#[test]
fn a_run_steps_through_its_rows() {
    let mut table = Table::new("Big", vec![Column::new("N", ColumnKind::Long)]);
    table.rows = (0..10_000).map(|i| vec![Value::Long(i % 7)]).collect();
    let catalog = Catalog::new().with(table);
    let mut run = Run::new(
        "Big | where N > 2 | summarize count() by N",
        &catalog,
        &options(),
    )
    .unwrap();
    let mut steps = 0;
    while let Progress::Running {
        rows_read,
        rows_to_read,
    } = run.step(1_000)
    {
        steps += 1;
        assert_eq!(rows_read, steps * 1_000);
        assert_eq!(rows_to_read, 10_000);
    }
    // The tenth step reads the last rows and finishes the run.
    assert_eq!(steps, 9);
    let out = run.finish();
    assert_eq!(out.rows.len(), 4);
    assert!(out.rows.contains(&vec![Value::Long(3), Value::Long(1429)]));
}

#[test]
fn results_are_cut_at_the_row_cap_with_a_note() {
    let mut table = Table::new("Big", vec![Column::new("N", ColumnKind::Long)]);
    table.rows = (0..50).map(|i| vec![Value::Long(i)]).collect();
    let catalog = Catalog::new().with(table);
    let options = RunOptions {
        max_rows: 10,
        ..options()
    };
    let out = run("Big", &catalog, &options).unwrap();
    assert_eq!(out.rows.len(), 10);
    assert_eq!(out.notes, ["the query gave 50 rows; the first 10 are shown, as Advanced hunting shows at most 100000"]);
    // The final sort keeps the ten first in its order, out of all fifty.
    let out = run("Big | sort by N", &catalog, &options).unwrap();
    assert_eq!(out.rows[0], vec![Value::Long(49)]);
    assert_eq!(out.rows.len(), 10);
    assert_eq!(out.notes.len(), 1);
    // `top` and `take` choose their own count: nothing is cut.
    let out = run("Big | top 5 by N", &catalog, &options).unwrap();
    assert!(out.notes.is_empty());
}

#[test]
fn json_output_is_what_the_cli_prints() {
    let out = run(
        "Ev | where AlertId == 'da4' | summarize n = count() by AlertId",
        &catalog(),
        &options(),
    )
    .unwrap();
    assert_eq!(
        out.to_json(),
        r#"{"columns":[{"name":"AlertId","type":"string"},{"name":"n","type":"long"}],"rows":[["da4",2]],"notes":[]}"#
    );
}

/// A table keeping its strings interned, as the dataset does: `==` against a constant is
/// answered from codes, and must give what reading the text gives.
struct Interned {
    table: Table,
    pool: Vec<String>,
    codes: Vec<Vec<Option<u32>>>,
    asked: std::cell::Cell<usize>,
}

impl Interned {
    fn new(table: Table) -> Interned {
        let mut pool: Vec<String> = Vec::new();
        let codes = table
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|v| match v {
                        Value::Str(s) => {
                            let at = pool.iter().position(|p| p == s).unwrap_or_else(|| {
                                pool.push(s.to_string());
                                pool.len() - 1
                            });
                            Some(u32::try_from(at).unwrap())
                        }
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        Interned {
            table,
            pool,
            codes,
            asked: std::cell::Cell::new(0),
        }
    }
}

impl airview_engine::hunt::Source for Interned {
    fn name(&self) -> &str {
        "Ev"
    }
    fn columns(&self) -> &[Column] {
        &self.table.columns
    }
    fn len(&self) -> usize {
        self.table.rows.len()
    }
    fn cell(&self, row: usize, column: usize) -> Value<'_> {
        self.table.cell(row, column)
    }
    fn code(&self, row: usize, column: usize) -> Option<u32> {
        self.asked.set(self.asked.get() + 1);
        self.codes[row][column]
    }
    fn code_of(&self, column: usize, text: &str) -> Option<Option<u32>> {
        (self.table.columns[column].kind == ColumnKind::String)
            .then(|| self.pool.iter().position(|p| p == text).map(|i| i as u32))
    }
}

#[test]
fn equality_by_codes_agrees_with_equality_by_text() {
    let interned = Interned::new(evidence());
    let by_codes = Catalog::new().with(&interned).with(alerts());
    for query in [
        "Ev | where DeviceName == 'host-1' | project AlertId",
        "Ev | where DeviceName != 'host-1' | project AlertId",
        "Ev | where DeviceName == 'no such host' | count",
        "Ev | where 'host-2' == DeviceName and EntityType != 'Ip' | project AlertId",
        "Ev | summarize countif(EntityType == 'File') by DeviceName",
        "search in (Ev, Al) AlertId == 'da2' | summarize count() by $table",
    ] {
        let want = run(query, &catalog(), &options()).unwrap();
        let got = run(query, &by_codes, &options()).unwrap();
        assert_eq!(render(&got), render(&want), "{query}");
    }
    assert!(interned.asked.get() > 0, "the codes were never asked for");
}
