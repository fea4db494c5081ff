//! Synthetic tables shaped like Advanced hunting's `AlertInfo` and `AlertEvidence` (the
//! columns and types Microsoft documents) and airview's `AirviewActions`, for the
//! differential test: a week of time stamps, nulls and empty strings, names in mixed case,
//! hashes, IP addresses, UPNs and command lines. The same seed always gives the same rows.

use airview_engine::hunt::{Column, ColumnKind, Table, Value};
use airview_engine::Timestamp;

/// The time the corpus is run at (`now()`): the day after the last time stamp.
pub const NOW: &str = "2024-03-08T00:00:00Z";

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn hex(&mut self, digits: usize) -> String {
        (0..digits)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16)]))
            .collect()
    }
}

fn s(text: &str) -> Value<'static> {
    Value::string(text.to_owned())
}

fn table(name: &str, columns: &[(&str, ColumnKind)]) -> Table {
    Table::new(
        name,
        columns.iter().map(|(n, k)| Column::new(*n, *k)).collect(),
    )
}

const DEVICES: &[(&str, &str)] = &[
    ("ws-fin-01.contoso.com", "Finance workstations"),
    ("WS-FIN-02.contoso.com", "Finance workstations"),
    ("ws-hr-07.contoso.com", "HR"),
    ("srv-sql-02.contoso.com", "Servers"),
    ("SRV-DC-01.contoso.com", "Domain controllers"),
    ("laptop-4411", ""),
];

const TITLES: &[(&str, &str, &str)] = &[
    (
        "Suspicious PowerShell command line",
        "Execution",
        "T1059.001",
    ),
    ("Malicious file detected", "Malware", ""),
    ("Phishing email delivered", "InitialAccess", "T1566.001"),
    (
        "Suspicious sign-in from an unusual location",
        "CredentialAccess",
        "T1078",
    ),
    ("Ransomware behavior detected", "Ransomware", "T1486, T1490"),
    (
        "Mimikatz credential theft tool",
        "CredentialAccess",
        "T1003.001",
    ),
];

const USERS: &[(&str, &str, &str)] = &[
    ("alice", "CONTOSO", "alice@contoso.com"),
    ("Bob.Smith", "contoso", "Bob.Smith@Contoso.com"),
    ("svc-backup", "CONTOSO", "svc-backup@contoso.com"),
    ("carol", "FABRIKAM", "carol@fabrikam.com"),
];

const COMMANDS: &[&str] = &[
    "powershell.exe -NoProfile -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA=",
    "cmd.exe /c whoami /all",
    "rundll32.exe C:\\Users\\Public\\invoice.dll,Start",
    "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n \"C:\\Users\\alice\\Downloads\\Invoice_0042.docm\"",
    "vssadmin.exe delete shadows /all /quiet",
    "",
];

const FILES: &[(&str, &str)] = &[
    ("invoice.dll", "C:\\Users\\Public"),
    ("Invoice_0042.docm", "C:\\Users\\alice\\Downloads"),
    ("mimikatz.exe", "C:\\Temp"),
    (
        "WINWORD.EXE",
        "C:\\Program Files\\Microsoft Office\\root\\Office16",
    ),
    ("payload.ps1", "C:\\ProgramData\\Updates"),
];

/// The three tables, from one seed.
pub fn tables() -> Vec<Table> {
    let mut rng = Rng(20_240_301);
    let start = Timestamp::parse("2024-03-01T00:00:00Z").map_or(0, |t| t.0);
    let week_ms = 7 * 86_400_000;
    let mut info = table(
        "AlertInfo",
        &[
            ("Timestamp", ColumnKind::DateTime),
            ("AlertId", ColumnKind::String),
            ("Title", ColumnKind::String),
            ("Category", ColumnKind::String),
            ("Severity", ColumnKind::String),
            ("ServiceSource", ColumnKind::String),
            ("DetectionSource", ColumnKind::String),
            ("AttackTechniques", ColumnKind::String),
        ],
    );
    let mut evidence = table(
        "AlertEvidence",
        &[
            ("Timestamp", ColumnKind::DateTime),
            ("AlertId", ColumnKind::String),
            ("Title", ColumnKind::String),
            ("Categories", ColumnKind::String),
            ("ServiceSource", ColumnKind::String),
            ("EntityType", ColumnKind::String),
            ("EvidenceRole", ColumnKind::String),
            ("FileName", ColumnKind::String),
            ("FolderPath", ColumnKind::String),
            ("SHA1", ColumnKind::String),
            ("SHA256", ColumnKind::String),
            ("FileSize", ColumnKind::Long),
            ("RemoteIP", ColumnKind::String),
            ("RemoteUrl", ColumnKind::String),
            ("AccountName", ColumnKind::String),
            ("AccountDomain", ColumnKind::String),
            ("AccountUpn", ColumnKind::String),
            ("DeviceId", ColumnKind::String),
            ("DeviceName", ColumnKind::String),
            ("NetworkMessageId", ColumnKind::String),
            ("EmailSubject", ColumnKind::String),
            ("ProcessCommandLine", ColumnKind::String),
            ("AdditionalFields", ColumnKind::Dynamic),
        ],
    );
    let mut actions = table(
        "AirviewActions",
        &[
            ("ActionId", ColumnKind::String),
            ("AlertId", ColumnKind::String),
            ("InvestigationId", ColumnKind::Long),
            ("ActionType", ColumnKind::String),
            ("EntityType", ColumnKind::String),
            ("Entity", ColumnKind::String),
            ("DeviceName", ColumnKind::String),
            ("DeviceGroup", ColumnKind::String),
            ("AutomationLevel", ColumnKind::String),
            ("Status", ColumnKind::String),
            ("ActionSource", ColumnKind::String),
            ("CreatedTime", ColumnKind::DateTime),
            ("DecidedBy", ColumnKind::String),
            ("DecidedTime", ColumnKind::DateTime),
            ("Comment", ColumnKind::String),
            ("SHA256", ColumnKind::String),
        ],
    );
    let hashes: Vec<(String, String, i64)> = (0..8)
        .map(|i| {
            (
                rng.hex(40),
                rng.hex(64),
                [24_576, 1_048_576, 0, 733_184][i % 4],
            )
        })
        .collect();
    let mut action_number = 0;
    for a in 0..60 {
        let at = start + (rng.below(week_ms as usize) as i64 / 1000) * 1000;
        let alert_id = format!("da{:018}_{}", 638_400_000_000_000_000u64 + a * 7919, a % 3);
        let (title, category, techniques) = TITLES[rng.below(TITLES.len())];
        let severity = rng.pick(&["High", "Medium", "Low", "Informational"]);
        let service = rng.pick(&[
            "Microsoft Defender for Endpoint",
            "Microsoft Defender for Office 365",
            "Microsoft Defender XDR",
        ]);
        info.rows.push(vec![
            Value::DateTime(Timestamp(at)),
            s(&alert_id),
            s(title),
            s(category),
            s(severity),
            s(service),
            s(rng.pick(&["EDR", "Antivirus", "Custom detection", ""])),
            s(techniques),
        ]);
        let (device, group) = DEVICES[rng.below(DEVICES.len())];
        let device_id = format!(
            "{:040x}",
            (device.len() as u128) * 0x1f3b_5a7c_9e2d_4f60_8a1b
        );
        for e in 0..1 + rng.below(7) {
            let kind = rng.pick(&[
                "File",
                "Process",
                "User",
                "Ip",
                "Url",
                "MailMessage",
                "Machine",
            ]);
            let (user, domain, upn) = USERS[rng.below(USERS.len())];
            let (file, folder) = FILES[rng.below(FILES.len())];
            let (sha1, sha256, size) = hashes[rng.below(hashes.len())].clone();
            let is_file = matches!(kind, "File" | "Process");
            let on_device = !matches!(kind, "MailMessage" | "Url");
            let at_e = if rng.chance(5) {
                Value::Null
            } else {
                Value::DateTime(Timestamp(at + e as i64 * 61_000))
            };
            let text = |yes: bool, v: &str| s(if yes { v } else { "" });
            let ip = format!(
                "{}.{}.{}.{}",
                [10, 192, 203][e % 3],
                rng.below(255),
                rng.below(255),
                1 + rng.below(254)
            );
            let additional = match kind {
                "Ip" => Value::Dynamic(format!(r#"{{"Port":{},"Protocol":"Tcp"}}"#, [443, 445, 3389][e % 3]).into()),
                "User" => Value::Dynamic(format!(r#"{{"Sid":"S-1-5-21-1004336348-1177238915-682003330-{}","IsDomainJoined":true}}"#, 1100 + rng.below(50)).into()),
                _ if rng.chance(30) => Value::Dynamic(r#"{"Tags":["Remediated","Suspicious"]}"#.into()),
                _ => Value::Null,
            };
            evidence.rows.push(vec![
                at_e,
                s(&alert_id),
                s(title),
                s(category),
                s(service),
                s(kind),
                s(rng.pick(&["Impacted", "Related"])),
                text(is_file, file),
                text(is_file, folder),
                text(is_file, &sha1),
                text(is_file && !rng.chance(10), &sha256),
                if is_file && !rng.chance(15) {
                    Value::Long(size)
                } else {
                    Value::Null
                },
                text(kind == "Ip", &ip),
                text(
                    kind == "Url",
                    rng.pick(&[
                        "https://contoso-payments.example.net/login",
                        "http://203.0.113.9/a.ps1",
                        "HTTPS://Fabrikam.example.com/Invoice",
                    ]),
                ),
                text(matches!(kind, "User" | "Process"), user),
                text(matches!(kind, "User" | "Process"), domain),
                text(matches!(kind, "User" | "Process" | "MailMessage"), upn),
                text(on_device, &device_id),
                text(on_device, device),
                text(
                    kind == "MailMessage",
                    &format!("{}-{}", rng.hex(8), rng.hex(4)),
                ),
                text(
                    kind == "MailMessage",
                    rng.pick(&[
                        "Invoice 0042 overdue",
                        "RE: Payroll update",
                        "Your mailbox is full",
                    ]),
                ),
                text(kind == "Process", COMMANDS[rng.below(COMMANDS.len())]),
                additional,
            ]);
            if is_file && rng.chance(70) {
                action_number += 1;
                let status = rng.pick(&[
                    "Pending",
                    "Pending",
                    "Completed",
                    "Declined",
                    "Failed",
                    "TimedOut",
                ]);
                let created = at + 5 * 60_000;
                let decided = status != "Pending";
                let level = rng.pick(&[
                    "Full - remediate threats automatically",
                    "Semi - require approval for any remediation",
                    "Semi - require approval for core folders remediation",
                ]);
                actions.rows.push(vec![
                    s(&format!("act-{action_number:04}")),
                    s(&alert_id),
                    Value::Long(1000 + a as i64),
                    s(rng.pick(&[
                        "Quarantine file",
                        "Stop and quarantine",
                        "Remove persistence",
                    ])),
                    s(kind),
                    s(&format!("{folder}\\{file}")),
                    s(device),
                    s(group),
                    s(level),
                    s(status),
                    s(rng.pick(&["Automated investigation", "Live response", "Manual"])),
                    Value::DateTime(Timestamp(created)),
                    s(if decided {
                        rng.pick(&["alice@contoso.com", "automation", "Bob.Smith@Contoso.com"])
                    } else {
                        ""
                    }),
                    if decided {
                        Value::DateTime(Timestamp(created + rng.below(86_400) as i64 * 1000))
                    } else {
                        Value::Null
                    },
                    s(if decided && rng.chance(50) {
                        rng.pick(&[
                            "approved after review",
                            "false positive, see ticket #4411",
                            "=HYPERLINK(\"x\")",
                        ])
                    } else {
                        ""
                    }),
                    s(&sha256),
                ]);
            }
        }
    }
    vec![info, evidence, actions]
}
