//! `airview generate`: a realistic, deterministic Microsoft Graph export.
//!
//! The same `(alerts, seed)` always gives the same bytes, so the app's embedded sample, the
//! tests and the benchmarks can be regenerated and compared. The data imitates a mid-sized
//! tenant: devices in several groups, files in core, temp and other folders (the same malware
//! on several devices, for "undo on all instances"), processes, registry keys, phishing
//! emails with their clusters, URLs and mailboxes, compromised users, and every verdict.

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
        let mut evidence: Vec<Json> = Vec::new();
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
                let mut e = Json::evidence("analyzedMessageEvidence", created, v);
                e.str("remediationStatus", remediation(&mut rng, v));
                e.raw("roles", "[]").raw("tags", "[]");
                e.str("networkMessageId", &hex(&mut rng, 16));
                let domain = sender.split('@').nth(1).unwrap_or("mail");
                e.str(
                    "internetMessageId",
                    &format!("<{}@{domain}>", hex(&mut rng, 8)),
                );
                e.str("subject", subject)
                    .str("recipientEmailAddress", &format!("{user}@contoso.com"));
                e.str("senderIp", &format!("203.0.113.{}", rng.below(250) + 1));
                e.raw("p1Sender", &Json::new().str("emailAddress", sender).end())
                    .str("deliveryAction", "delivered")
                    .str("deliveryLocation", "inbox")
                    .raw("urls", &strings(&[url]))
                    .str("language", "en");
                evidence.push(e);
            }
            if rng.below(2) == 0 {
                let mut e = Json::evidence("mailClusterEvidence", created, v);
                e.str("remediationStatus", remediation(&mut rng, v));
                e.raw("roles", "[]").raw("tags", "[]");
                e.str("clusterBy", "Sender").str("clusterByValue", sender);
                e.num("emailCount", 3 + rng.below(40) as i64);
                e.raw("networkMessageIds", &strings(&[&hex(&mut rng, 16)]));
                e.str("query", &format!("(Sender:\"{sender}\")"));
                e.str("urn", &format!("urn:MailCluster:{}", hex(&mut rng, 16)));
                evidence.push(e);
            }
            let uv = verdict(&mut rng);
            let mut e = Json::evidence("urlEvidence", created, uv);
            e.str("remediationStatus", remediation(&mut rng, uv));
            e.raw("roles", "[]").raw("tags", "[]").str("url", url);
            evidence.push(e);
            if rng.below(4) == 0 {
                let mv = verdict(&mut rng);
                let mut e = Json::evidence("mailboxEvidence", created, mv);
                e.str("remediationStatus", remediation(&mut rng, mv));
                e.raw("roles", "[]").raw("tags", "[]");
                e.str("primaryAddress", &format!("{user}@contoso.com"))
                    .str("displayName", user);
                let account = Json::new()
                    .str("accountName", user)
                    .str("domainName", "CONTOSO")
                    .str("userPrincipalName", &format!("{user}@contoso.com"))
                    .end();
                e.raw("userAccount", &account);
                evidence.push(e);
            }
            let compromised = rng.below(5) == 0;
            evidence.push(user_evidence(&mut rng, created, user, compromised));
        } else {
            title = *rng.pick(TITLES_ENDPOINT);
            let device = rng.pick(&devices);
            let mut e = Json::evidence("deviceEvidence", created, "unknown");
            e.str("remediationStatus", "none")
                .raw("roles", "[]")
                .raw("tags", &strings(&device.tags));
            e.str("mdeDeviceId", &device.id)
                .str("deviceDnsName", &device.dns)
                .str("hostName", device.dns.split('.').next().unwrap_or(""));
            e.str("osPlatform", device.os)
                .num("osBuild", 22631)
                .str("healthStatus", "active")
                .str("riskScore", "medium");
            let rank = 100 + GROUPS.iter().position(|g| g.0 == device.group).unwrap_or(0);
            e.num("rbacGroupId", rank as i64)
                .str("rbacGroupName", device.group);
            e.str("onboardingStatus", "onboarded")
                .str("defenderAvStatus", "updated");
            let logged_on = Json::new()
                .str("accountName", &device.user)
                .str("domainName", "CONTOSO")
                .end();
            e.raw("loggedOnUsers", &format!("[{logged_on}]"));
            evidence.push(e);
            // Now and then a second device in the same alert: its artifacts must then find
            // their device by mdeDeviceId, never by "the alert's only device".
            let second = (rng.below(8) == 0).then(|| rng.pick(&devices));
            if let Some(d2) = second {
                let mut e = Json::evidence("deviceEvidence", created, "suspicious");
                e.str("remediationStatus", "none")
                    .raw("roles", "[]")
                    .raw("tags", &strings(&d2.tags));
                e.str("mdeDeviceId", &d2.id)
                    .str("deviceDnsName", &d2.dns)
                    .str("osPlatform", d2.os)
                    .str("rbacGroupName", d2.group);
                evidence.push(e);
            }
            let artifacts = 1 + rng.below(4);
            for _ in 0..artifacts {
                let on = match second {
                    Some(d2) if rng.below(2) == 0 => d2,
                    _ => device,
                };
                // A few artifacts carry no device id, as some exports do.
                let device_id = if second.is_none() && rng.below(20) == 0 {
                    None
                } else {
                    Some(on.id.as_str())
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
                        let mut e = Json::evidence("fileEvidence", created, v);
                        e.str("remediationStatus", status)
                            .raw("roles", "[]")
                            .raw("tags", "[]");
                        e.str(
                            "detectionStatus",
                            if v == "malicious" {
                                "detected"
                            } else {
                                "unknownFutureValue"
                            },
                        )
                        .opt("mdeDeviceId", device_id);
                        let mut details = Json::new();
                        details.str("fileName", name).str("filePath", &folder);
                        details.str("sha1", &hex(&mut rng, 20)).str("sha256", sha);
                        details.num("fileSize", 4096 + rng.below(4_000_000) as i64);
                        details
                            .opt("filePublisher", None)
                            .opt("signer", None)
                            .opt("issuer", None);
                        e.raw("fileDetails", &details.end());
                        evidence.push(e);
                    }
                    1 => {
                        let (name, sha) = rng.pick(&malware);
                        let mut e = Json::evidence("processEvidence", created, v);
                        e.str("remediationStatus", status)
                            .raw("roles", "[]")
                            .raw("tags", "[]");
                        e.num("processId", 1000 + rng.below(60_000) as i64);
                        e.num("parentProcessId", 600 + rng.below(4000) as i64);
                        e.str("processCommandLine", &format!("\"{name}\" /silent"));
                        e.str("processCreationDateTime", &timestamp(created - 60_000))
                            .str("detectionStatus", "detected")
                            .opt("mdeDeviceId", device_id);
                        let mut image = Json::new();
                        image
                            .str("fileName", name)
                            .str("filePath", &folder)
                            .str("sha256", sha);
                        image.str("sha1", &hex(&mut rng, 20));
                        image.num("fileSize", 1024 + rng.below(900_000) as i64);
                        e.raw("imageFile", &image.end());
                        let mut account = Json::new();
                        account
                            .str("accountName", &on.user)
                            .str("domainName", "CONTOSO");
                        account.str("userSid", &format!("S-1-5-21-{}", 1000 + rng.below(9000)));
                        e.raw("userAccount", &account.end());
                        evidence.push(e);
                    }
                    2 => {
                        let value = rng.below(2) == 0;
                        let kind = if value {
                            "registryValueEvidence"
                        } else {
                            "registryKeyEvidence"
                        };
                        let mut e = Json::evidence(kind, created, v);
                        e.str("remediationStatus", status)
                            .raw("roles", "[]")
                            .raw("tags", "[]")
                            .opt("mdeDeviceId", device_id);
                        e.str("registryHive", "HKEY_LOCAL_MACHINE");
                        let key = *rng.pick(REGISTRY);
                        e.str("registryKey", key);
                        e.opt("registryValueName", value.then_some("Updater"));
                        let data = format!("{folder}\\updater.exe");
                        e.opt("registryValue", value.then_some(data.as_str()));
                        e.str("registryValueType", if value { "String" } else { "" });
                        evidence.push(e);
                    }
                    _ => {
                        let compromised = rng.below(3) == 0;
                        evidence.push(user_evidence(&mut rng, created, &on.user, compromised));
                    }
                }
            }
            if rng.below(10) == 0 {
                let v = verdict(&mut rng);
                let mut e = Json::evidence("ipEvidence", created, v);
                e.str("remediationStatus", "none")
                    .raw("roles", "[]")
                    .raw("tags", "[]");
                e.str("ipAddress", &format!("198.51.100.{}", rng.below(250) + 1))
                    .str("countryLetterCode", "NL");
                evidence.push(e);
            }
        }
        let mut alert = Json::new();
        alert.str("@odata.type", "#microsoft.graph.security.alert");
        // Defender alert ids are "da" and the .NET ticks of the alert, then a number; the
        // index keeps two alerts created in the same tick apart.
        let ticks = 621_355_968_000_000_000i64 + (created - 5 * 60_000) * 10_000 + i as i64;
        alert.str(
            "id",
            &format!("da{ticks}_{}", 100_000_000 + rng.below(900_000_000)),
        );
        alert.str("providerAlertId", &hex(&mut rng, 16));
        alert.str("incidentId", &incident.to_string());
        let status = *rng.pick(&["new", "inProgress", "resolved"]);
        alert.str("status", status);
        let severity = *rng.pick(&["low", "medium", "high", "informational"]);
        alert.str("severity", severity);
        alert.opt(
            "classification",
            *rng.pick(&[
                None,
                None,
                None,
                Some("truePositive"),
                Some("falsePositive"),
            ]),
        );
        alert.str("determination", "unknown");
        let (service, detection) = if email {
            (
                "microsoftDefenderForOffice365",
                "microsoftDefenderForOffice365",
            )
        } else {
            ("microsoftDefenderForEndpoint", "automatedInvestigation")
        };
        alert
            .str("serviceSource", service)
            .str("detectionSource", detection);
        alert.str("title", title).str(
            "category",
            if email { "InitialAccess" } else { "Execution" },
        );
        alert.str("createdDateTime", &timestamp(created - 5 * 60_000));
        alert.str("lastUpdateDateTime", &timestamp(created + 3_600_000));
        alert.str("firstActivityDateTime", &timestamp(created - 3_600_000));
        alert.str("lastActivityDateTime", &timestamp(created - 60_000));
        let list: Vec<String> = evidence.iter_mut().map(Json::end).collect();
        alert.raw("evidence", &format!("[{}]", list.join(",")));
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(alert.end().as_bytes())?;
    }
    out.write_all(b"]}")?;
    Ok(())
}

/// A JSON object written field by field, in the order given. Writing text directly rather
/// than building `serde_json::Value`s keeps the generator small in the app, which makes its
/// sample at start-up.
struct Json(String);

impl Json {
    fn new() -> Json {
        Json(String::from("{"))
    }

    /// An evidence item: its type, creation time and verdict come first in every one.
    fn evidence(kind: &str, created: i64, verdict: &str) -> Json {
        let mut e = Json::new();
        e.str("@odata.type", &format!("#microsoft.graph.security.{kind}"))
            .str("createdDateTime", &timestamp(created))
            .str("verdict", verdict);
        e
    }

    fn key(&mut self, key: &str) -> &mut Json {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        quote(&mut self.0, key);
        self.0.push(':');
        self
    }

    fn str(&mut self, key: &str, value: &str) -> &mut Json {
        self.key(key);
        quote(&mut self.0, value);
        self
    }

    fn opt(&mut self, key: &str, value: Option<&str>) -> &mut Json {
        match value {
            Some(v) => self.str(key, v),
            None => self.raw(key, "null"),
        }
    }

    fn num(&mut self, key: &str, value: i64) -> &mut Json {
        self.raw(key, &value.to_string())
    }

    fn raw(&mut self, key: &str, json: &str) -> &mut Json {
        self.key(key);
        self.0.push_str(json);
        self
    }

    fn end(&mut self) -> String {
        self.0.push('}');
        std::mem::take(&mut self.0)
    }
}

/// Appends `text` as a JSON string. The generator's texts hold quotes and backslashes
/// (command lines, Windows paths) but no control characters.
fn quote(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn strings(items: &[&str]) -> String {
    let mut out = String::from("[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        quote(&mut out, item);
    }
    out.push(']');
    out
}

fn user_evidence(rng: &mut Rng, created: i64, user: &str, compromised: bool) -> Json {
    let v = if compromised {
        "malicious"
    } else {
        verdict(rng)
    };
    let mut e = Json::evidence("userEvidence", created, v);
    e.str(
        "remediationStatus",
        if compromised {
            "remediated"
        } else {
            remediation(rng, v)
        },
    );
    e.raw(
        "roles",
        if compromised {
            "[\"compromised\"]"
        } else {
            "[]"
        },
    )
    .raw("tags", "[]");
    let mut account = Json::new();
    account
        .str("accountName", user)
        .str("domainName", "CONTOSO");
    account.str("userSid", &format!("S-1-5-21-{}", 1000 + rng.below(9000)));
    account.str("azureAdUserId", &hex(rng, 16));
    account.str("userPrincipalName", &format!("{user}@contoso.com"));
    e.raw("userAccount", &account.end());
    e
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
