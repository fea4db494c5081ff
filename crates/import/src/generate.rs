//! `airview generate`: a realistic, deterministic Microsoft Graph export.
//!
//! The same `(alerts, seed)` always gives the same bytes, so the app's embedded sample, the
//! tests and the benchmarks can be regenerated and compared. The data imitates a mid-sized
//! tenant: devices in several groups, files in core, temp and other folders (the same malware
//! on several devices, for "undo on all instances"), processes, registry keys, phishing
//! emails with their clusters, URLs and mailboxes, compromised users, and every verdict.

use serde_json::{json, Value};
use std::io::{self, Write};

/// The time the generated investigations end at; the app moves the sample so that the
/// newest evidence is from today.
pub const GENERATED_UNTIL: &str = "2026-11-01T00:00:00Z";
const UNTIL_MS: i64 = 1_793_491_200_000;
const SPAN_MS: i64 = 60 * 24 * 3600 * 1000;

/// splitmix64: tiny, fast, and stable across platforms and versions (unlike `rand`'s
/// generators, whose output may change between releases).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % (n.max(1) as u64)) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// Picks by weight from `(value, weight)` pairs.
    fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut roll = (self.next() % u64::from(total.max(1))) as u32;
        for (v, w) in items {
            if roll < *w {
                return *v;
            }
            roll -= w;
        }
        items[0].0
    }
}

struct DeviceSpec {
    id: String,
    dns: String,
    group: &'static str,
    os: &'static str,
    tags: Vec<&'static str>,
    user: String,
}

const GROUPS: &[(&str, &str, &str, u32)] = &[
    // (rbacGroupName, DNS prefix and domain, OS platform, weight)
    ("Workstations", "ws-{n}.contoso.com", "Windows11", 40),
    ("Finance", "fin-ws-{n}.contoso.com", "Windows11", 15),
    ("Servers", "srv-{n}.contoso.com", "WindowsServer2022", 15),
    ("Executives", "exec-lt-{n}.contoso.com", "Windows11", 8),
    ("UnassignedGroup", "lab-{n}.fabrikam.local", "Windows10", 12),
    ("Developers", "dev-{n}.contoso.com", "Windows10", 10),
];

const USERS: &[&str] = &[
    "alice", "bob", "carol", "dmitri", "erin", "farah", "gustavo", "hana", "ivan", "jules",
    "kenji", "lena", "mateo", "nadia", "oskar", "priya",
];

const TITLES_ENDPOINT: &[&str] = &[
    "Suspicious execution of hidden file",
    "Malicious file quarantined by automated investigation",
    "Ransomware behavior detected in the file system",
    "Suspicious PowerShell command line",
    "Credential dumping tool detected",
    "Persistence through a registry run key",
    "Possible lateral movement from a compromised device",
];

const TITLES_EMAIL: &[&str] = &[
    "Email messages containing malicious URL removed after delivery",
    "Email messages containing malware removed after delivery",
    "Suspicious email forwarding activity",
    "A potentially malicious URL click was detected",
];

const MALWARE: &[&str] = &[
    "invoice_viewer.exe",
    "setup_helper.exe",
    "update.js",
    "svch0st.exe",
    "report.docm",
    "mimikatz.exe",
    "payload.dll",
    "tool.ps1",
    "chrome_patch.exe",
    "readme.hta",
];

const CORE: &[&str] = &[
    r"C:\Windows\System32",
    r"C:\Windows\SysWOW64\drivers",
    r"C:\Program Files\Contoso\bin",
    r"C:\Program Files (x86)\Tools",
];
const TEMP: &[&str] = &[
    r"C:\Users\{u}\AppData\Local\Temp",
    r"C:\Users\{u}\Downloads",
    r"C:\Windows\Temp",
    r"C:\Users\{u}\AppData\Local\Temp\7zS1A2B",
];
const OTHER: &[&str] = &[
    r"C:\Users\{u}\Documents",
    r"C:\ProgramData\Updater",
    r"D:\Shares\Finance\Q3",
    r"C:\Users\{u}\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup",
];

const REGISTRY: &[&str] = &[
    r"SOFTWARE\Microsoft\Windows\CurrentVersion\Run",
    r"SOFTWARE\Microsoft\Windows\CurrentVersion\RunOnce",
    r"SYSTEM\CurrentControlSet\Services\UpdaterSvc",
    r"SOFTWARE\Classes\ms-settings\shell\open\command",
];

const SENDERS: &[&str] = &[
    "billing@contoso-payments.com",
    "it-support@fabrikam-helpdesk.net",
    "no-reply@docusign-secure.info",
    "hr@northwind-benefits.co",
];
const SUBJECTS: &[&str] = &[
    "Invoice overdue: action required",
    "Your mailbox is almost full",
    "Document shared with you",
    "Updated benefits enrolment",
    "Password expires today",
];
const URLS: &[&str] = &[
    "https://contoso-payments.com/inv/8812",
    "http://login-microsoftonline.fabrikam-helpdesk.net/auth",
    "https://docusign-secure.info/d/3f9a",
    "http://northwind-benefits.co/enrol?id=22",
];

fn hex(rng: &mut Rng, bytes: usize) -> String {
    (0..bytes.div_ceil(8))
        .map(|_| format!("{:016x}", rng.next()))
        .collect::<String>()[..bytes * 2]
        .to_owned()
}

fn timestamp(ms: i64) -> String {
    airview_engine::Timestamp(ms).to_string()
}

fn verdict(rng: &mut Rng) -> &'static str {
    rng.weighted(&[
        ("malicious", 45),
        ("suspicious", 27),
        ("noThreatsFound", 15),
        ("unknown", 10),
        ("unknownFutureValue", 3),
    ])
}

fn remediation(rng: &mut Rng, verdict: &str) -> &'static str {
    match verdict {
        "malicious" => rng.weighted(&[
            ("remediated", 40),
            ("pendingApproval", 30),
            ("none", 10),
            ("prevented", 8),
            ("blocked", 5),
            ("declined", 4),
            ("unknownFutureValue", 3),
        ]),
        "suspicious" => rng.weighted(&[
            ("pendingApproval", 60),
            ("none", 25),
            ("declined", 10),
            ("notRemediated", 5),
        ]),
        _ => "none",
    }
}

/// Writes a Graph `alerts_v2` list response with `alerts` alerts.
pub fn generate(out: &mut impl Write, alerts: usize, seed: u64) -> io::Result<()> {
    generate_until(out, alerts, seed, UNTIL_MS)
}

/// The same export, ending at `until_ms` instead of `GENERATED_UNTIL` (benchmarks want this
/// week's pending actions, which have not timed out).
pub fn generate_until(
    out: &mut impl Write,
    alerts: usize,
    seed: u64,
    until_ms: i64,
) -> io::Result<()> {
    let mut rng = Rng(seed ^ 0x00A1_7E55_u64);
    let device_count = (alerts / 3).clamp(6, 20_000);
    let devices: Vec<DeviceSpec> = (0..device_count)
        .map(|i| {
            let (group, pattern, os, _) = *GROUPS
                .get(rng.weighted(&[(0usize, 40), (1, 15), (2, 15), (3, 8), (4, 12), (5, 10)]))
                .unwrap_or(&GROUPS[0]);
            let mut tags = Vec::new();
            if group == "Executives" {
                tags.push("VIP");
            }
            if group == "Servers" && rng.below(3) == 0 {
                tags.push("prod");
            }
            DeviceSpec {
                id: hex(&mut rng, 20),
                dns: pattern.replace("{n}", &format!("{:03}", i + 1)),
                group,
                os,
                tags,
                user: (*rng.pick(USERS)).to_owned(),
            }
        })
        .collect();
    let malware: Vec<(String, String)> = (0..(alerts / 4).max(MALWARE.len()))
        .map(|i| (MALWARE[i % MALWARE.len()].to_owned(), hex(&mut rng, 32)))
        .collect();

    out.write_all(b"{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2\",\"value\":[")?;
    let mut incident = 31_000u64;
    for i in 0..alerts {
        if i == 0 || rng.below(3) != 0 {
            incident += 1;
        }
        let created = until_ms - SPAN_MS + (rng.next() % SPAN_MS as u64) as i64;
        let email = rng.below(5) == 0;
        let mut evidence: Vec<Value> = Vec::new();
        let title;
        if email {
            title = *rng.pick(TITLES_EMAIL);
            let user = *rng.pick(USERS);
            let sender = *rng.pick(SENDERS);
            let subject = *rng.pick(SUBJECTS);
            let url = *rng.pick(URLS);
            let v = verdict(&mut rng);
            let messages = 1 + rng.below(3);
            for _ in 0..messages {
                let v = if rng.below(4) == 0 {
                    verdict(&mut rng)
                } else {
                    v
                };
                evidence.push(json!({
                    "@odata.type": "#microsoft.graph.security.analyzedMessageEvidence",
                    "createdDateTime": timestamp(created), "verdict": v, "remediationStatus": remediation(&mut rng, v),
                    "roles": [], "tags": [], "networkMessageId": hex(&mut rng, 16), "internetMessageId": format!("<{}@{}>", hex(&mut rng, 8), sender.split('@').nth(1).unwrap_or("mail")),
                    "subject": subject, "recipientEmailAddress": format!("{user}@contoso.com"), "senderIp": format!("203.0.113.{}", rng.below(250) + 1),
                    "p1Sender": {"emailAddress": sender}, "deliveryAction": "delivered", "deliveryLocation": "inbox", "urls": [url], "language": "en",
                }));
            }
            if rng.below(2) == 0 {
                evidence.push(json!({
                    "@odata.type": "#microsoft.graph.security.mailClusterEvidence",
                    "createdDateTime": timestamp(created), "verdict": v, "remediationStatus": remediation(&mut rng, v), "roles": [], "tags": [],
                    "clusterBy": "Sender", "clusterByValue": sender, "emailCount": 3 + rng.below(40), "networkMessageIds": [hex(&mut rng, 16)],
                    "query": format!("(Sender:\"{sender}\")"), "urn": format!("urn:MailCluster:{}", hex(&mut rng, 16)),
                }));
            }
            let uv = verdict(&mut rng);
            evidence.push(json!({
                "@odata.type": "#microsoft.graph.security.urlEvidence",
                "createdDateTime": timestamp(created), "verdict": uv, "remediationStatus": remediation(&mut rng, uv), "roles": [], "tags": [], "url": url,
            }));
            if rng.below(4) == 0 {
                let mv = verdict(&mut rng);
                evidence.push(json!({
                    "@odata.type": "#microsoft.graph.security.mailboxEvidence",
                    "createdDateTime": timestamp(created), "verdict": mv, "remediationStatus": remediation(&mut rng, mv), "roles": [], "tags": [],
                    "primaryAddress": format!("{user}@contoso.com"), "displayName": user, "userAccount": {"accountName": user, "domainName": "CONTOSO", "userPrincipalName": format!("{user}@contoso.com")},
                }));
            }
            let compromised = rng.below(5) == 0;
            evidence.push(user_evidence(&mut rng, created, user, compromised));
        } else {
            title = *rng.pick(TITLES_ENDPOINT);
            let device = rng.pick(&devices);
            evidence.push(json!({
                "@odata.type": "#microsoft.graph.security.deviceEvidence",
                "createdDateTime": timestamp(created), "verdict": "unknown", "remediationStatus": "none", "roles": [], "tags": device.tags,
                "mdeDeviceId": device.id, "deviceDnsName": device.dns, "hostName": device.dns.split('.').next().unwrap_or(""),
                "osPlatform": device.os, "osBuild": 22631, "healthStatus": "active", "riskScore": "medium",
                "rbacGroupId": 100 + GROUPS.iter().position(|g| g.0 == device.group).unwrap_or(0), "rbacGroupName": device.group,
                "onboardingStatus": "onboarded", "defenderAvStatus": "updated", "loggedOnUsers": [{"accountName": device.user, "domainName": "CONTOSO"}],
            }));
            // Now and then a second device in the same alert: its artifacts must then find
            // their device by mdeDeviceId, never by "the alert's only device".
            let second = (rng.below(8) == 0).then(|| rng.pick(&devices));
            if let Some(d2) = second {
                evidence.push(json!({
                    "@odata.type": "#microsoft.graph.security.deviceEvidence",
                    "createdDateTime": timestamp(created), "verdict": "suspicious", "remediationStatus": "none", "roles": [], "tags": d2.tags,
                    "mdeDeviceId": d2.id, "deviceDnsName": d2.dns, "osPlatform": d2.os, "rbacGroupName": d2.group,
                }));
            }
            let artifacts = 1 + rng.below(4);
            for _ in 0..artifacts {
                let on = match second {
                    Some(d2) if rng.below(2) == 0 => d2,
                    _ => device,
                };
                // A few artifacts carry no device id, as some exports do.
                let device_id = if second.is_none() && rng.below(20) == 0 {
                    Value::Null
                } else {
                    Value::from(on.id.clone())
                };
                let v = verdict(&mut rng);
                let status = remediation(&mut rng, v);
                let folder = match rng.weighted(&[(0, 30), (1, 35), (2, 35)]) {
                    0 => *rng.pick(CORE),
                    1 => *rng.pick(TEMP),
                    _ => *rng.pick(OTHER),
                }
                .replace("{u}", &on.user);
                match rng.weighted(&[(0, 50), (1, 25), (2, 15), (3, 10)]) {
                    0 => {
                        let (name, sha) = rng.pick(&malware);
                        evidence.push(json!({
                            "@odata.type": "#microsoft.graph.security.fileEvidence",
                            "createdDateTime": timestamp(created), "verdict": v, "remediationStatus": status, "roles": [], "tags": [],
                            "detectionStatus": if v == "malicious" { "detected" } else { "unknownFutureValue" }, "mdeDeviceId": device_id,
                            "fileDetails": {"fileName": name, "filePath": folder, "sha1": hex(&mut rng, 20), "sha256": sha, "fileSize": 4096 + rng.below(4_000_000), "filePublisher": null, "signer": null, "issuer": null},
                        }));
                    }
                    1 => {
                        let (name, sha) = rng.pick(&malware);
                        evidence.push(json!({
                            "@odata.type": "#microsoft.graph.security.processEvidence",
                            "createdDateTime": timestamp(created), "verdict": v, "remediationStatus": status, "roles": [], "tags": [],
                            "processId": 1000 + rng.below(60_000), "parentProcessId": 600 + rng.below(4000), "processCommandLine": format!("\"{name}\" /silent"),
                            "processCreationDateTime": timestamp(created - 60_000), "detectionStatus": "detected", "mdeDeviceId": device_id,
                            "imageFile": {"fileName": name, "filePath": folder, "sha256": sha, "sha1": hex(&mut rng, 20), "fileSize": 1024 + rng.below(900_000)},
                            "userAccount": {"accountName": on.user, "domainName": "CONTOSO", "userSid": format!("S-1-5-21-{}", 1000 + rng.below(9000))},
                        }));
                    }
                    2 => {
                        let value = rng.below(2) == 0;
                        evidence.push(json!({
                            "@odata.type": if value { "#microsoft.graph.security.registryValueEvidence" } else { "#microsoft.graph.security.registryKeyEvidence" },
                            "createdDateTime": timestamp(created), "verdict": v, "remediationStatus": status, "roles": [], "tags": [], "mdeDeviceId": device_id,
                            "registryHive": "HKEY_LOCAL_MACHINE", "registryKey": rng.pick(REGISTRY), "registryValueName": if value { Value::from("Updater") } else { Value::Null },
                            "registryValue": if value { Value::from(format!("{folder}\\updater.exe")) } else { Value::Null }, "registryValueType": if value { "String" } else { "" },
                        }));
                    }
                    _ => {
                        let compromised = rng.below(3) == 0;
                        evidence.push(user_evidence(&mut rng, created, &on.user, compromised));
                    }
                }
            }
            if rng.below(10) == 0 {
                evidence.push(json!({
                    "@odata.type": "#microsoft.graph.security.ipEvidence",
                    "createdDateTime": timestamp(created), "verdict": verdict(&mut rng), "remediationStatus": "none", "roles": [], "tags": [],
                    "ipAddress": format!("198.51.100.{}", rng.below(250) + 1), "countryLetterCode": "NL",
                }));
            }
        }
        let alert = json!({
            "@odata.type": "#microsoft.graph.security.alert",
            // Defender alert ids are "da" and the .NET ticks of the alert, then a number; the
            // index keeps two alerts created in the same tick apart.
            "id": format!("da{}_{}", 621_355_968_000_000_000i64 + (created - 5 * 60_000) * 10_000 + i as i64, 100_000_000 + rng.below(900_000_000)),
            "providerAlertId": hex(&mut rng, 16),
            "incidentId": incident.to_string(),
            "status": rng.pick(&["new", "inProgress", "resolved"]),
            "severity": rng.pick(&["low", "medium", "high", "informational"]),
            "classification": *rng.pick(&[Value::Null, Value::Null, Value::Null, Value::from("truePositive"), Value::from("falsePositive")]),
            "determination": "unknown",
            "serviceSource": if email { "microsoftDefenderForOffice365" } else { "microsoftDefenderForEndpoint" },
            "detectionSource": if email { "microsoftDefenderForOffice365" } else { "automatedInvestigation" },
            "title": title,
            "category": if email { "InitialAccess" } else { "Execution" },
            "createdDateTime": timestamp(created - 5 * 60_000),
            "lastUpdateDateTime": timestamp(created + 3_600_000),
            "firstActivityDateTime": timestamp(created - 3_600_000),
            "lastActivityDateTime": timestamp(created - 60_000),
            "evidence": evidence,
        });
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, &alert).map_err(io::Error::other)?;
    }
    out.write_all(b"]}")?;
    Ok(())
}

fn user_evidence(rng: &mut Rng, created: i64, user: &str, compromised: bool) -> Value {
    let v = if compromised {
        "malicious"
    } else {
        verdict(rng)
    };
    json!({
        "@odata.type": "#microsoft.graph.security.userEvidence",
        "createdDateTime": timestamp(created), "verdict": v, "remediationStatus": if compromised { "remediated" } else { remediation(rng, v) },
        "roles": if compromised { vec!["compromised"] } else { vec![] }, "tags": [],
        "userAccount": {"accountName": user, "domainName": "CONTOSO", "userSid": format!("S-1-5-21-{}", 1000 + rng.below(9000)), "azureAdUserId": hex(rng, 16), "userPrincipalName": format!("{user}@contoso.com")},
    })
}

/// Generates into a string (the tests and the app's sample use this).
pub fn generate_string(alerts: usize, seed: u64) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = generate(&mut out, alerts, seed);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_constant_matches_its_text() {
        assert_eq!(
            airview_engine::Timestamp::parse(GENERATED_UNTIL),
            Some(airview_engine::Timestamp(UNTIL_MS))
        );
    }

    #[test]
    fn generation_is_deterministic_and_loads() {
        let a = generate_string(50, 7);
        assert_eq!(a, generate_string(50, 7));
        assert_ne!(a, generate_string(50, 8));
        let mut data = airview_engine::Dataset::new();
        let report = crate::load(&mut data, "gen.json", &a, None).unwrap();
        assert_eq!(report.alerts, 50);
        assert!(report.evidence > 100, "{}", report.evidence);
    }
}
