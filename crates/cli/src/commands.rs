//! The commands. Each reads its inputs, asks the engine, and returns the text to print.

use crate::args::{self, Args};
use crate::{style, table, Failure, Style};
use airview_engine::decide::{decide, Decision};
use airview_engine::model::{Dataset, DeviceLink, Evidence, Verdict};
use airview_engine::{diff as engine_diff, Policy, Summary};
use airview_import::{check_size, load, Format, MAX_FILE_BYTES};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// Reads a policy file; errors name the file.
pub fn read_policy(path: &str) -> Result<(Policy, Vec<String>), Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure(format!("cannot read policy `{path}`: {e}")))?;
    match Policy::parse_json(&text) {
        Ok((policy, warnings)) => Ok((
            policy,
            warnings
                .into_iter()
                .map(|w| format!("`{path}`: {}", w.message))
                .collect(),
        )),
        Err(errors) => {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| format!("`{path}`: {}", e.message))
                .collect();
            Err(Failure(lines.join("\n")))
        }
    }
}

/// Splits the `--format` values (and `--input-format`, its older name for input formats) into
/// the output style (`json`, `table`) and the input format slug (`graph`, `mde-alerts`, …).
/// `--format` may be given more than once: `--format table --format mde-alerts`.
pub fn formats(a: &Args) -> Result<(Option<&str>, Option<&str>), Failure> {
    let mut output: Option<&str> = None;
    let mut input: Option<&str> = None;
    let values = a
        .all("format")
        .iter()
        .map(|v| (v.as_str(), false))
        .chain(a.all("input-format").iter().map(|v| (v.as_str(), true)));
    for (value, input_only) in values {
        let is_output = !input_only && matches!(value, "json" | "table");
        let slot = if is_output {
            &mut output
        } else if Format::parse(value).is_some() {
            &mut input
        } else if input_only {
            return Err(Failure(format!(
                "unknown input format `{value}`; use one of {}",
                Format::slugs()
            )));
        } else {
            return Err(Failure(format!(
                "unknown output format `{value}`; use `json` or `table`, or an input format: {}",
                Format::slugs()
            )));
        };
        match slot {
            Some(earlier) if *earlier != value => {
                let what = if is_output { "output" } else { "input" };
                return Err(Failure(format!(
                    "two {what} formats given, `{earlier}` and `{value}`; give one"
                )));
            }
            _ => *slot = Some(value),
        }
    }
    Ok((output, input))
}

/// Reads every export into one dataset. `format` forces an input format (a slug) on every
/// file; without it each file's format is detected from its content. Returns the warnings
/// worth showing.
pub fn read_exports(
    paths: &[String],
    format: Option<&str>,
) -> Result<(Dataset, Vec<String>), Failure> {
    if paths.is_empty() {
        return Err(Failure(
            "no export given; name one or more export files".to_owned(),
        ));
    }
    let format = match format {
        None => None,
        Some(f) => Some(Format::parse(f).ok_or_else(|| {
            Failure(format!(
                "unknown input format `{f}`; use one of {}",
                Format::slugs()
            ))
        })?),
    };
    let mut data = Dataset::new();
    let mut warnings = Vec::new();
    for path in paths {
        // Refuse a file over the limit before reading any of it.
        let size = std::fs::metadata(path)
            .map_err(|e| Failure(format!("cannot read `{path}`: {e}")))?
            .len();
        check_size(path, size, MAX_FILE_BYTES).map_err(|e| Failure(e.to_string()))?;
        let bytes =
            std::fs::read(path).map_err(|e| Failure(format!("cannot read `{path}`: {e}")))?;
        // The same decoding as the app's: UTF-16 with a byte order mark is read, and bytes
        // that are not text are replaced and reported.
        let decoded = airview_import::text::decode(bytes);
        warnings.extend(decoded.warning(path));
        let report =
            load(&mut data, path, &decoded.text, format).map_err(|e| Failure(e.to_string()))?;
        if let Some(first) = report.repeated_alerts.first() {
            warnings.push(format!(
                "`{path}`: {} alert(s) were loaded already and are skipped (first: `{first}`)",
                report.repeated_alerts.len(),
            ));
        }
        if let Some(first) = report.repeated_actions.first() {
            warnings.push(format!(
                "`{path}`: {} machine action(s) were loaded already and are skipped (first: `{first}`)",
                report.repeated_actions.len(),
            ));
        }
        if report.policy.is_some() || report.journal.as_deref().is_some_and(|j| !j.is_empty()) {
            warnings.push(format!(
                "`{path}`: the policy and journal saved in this airview file are not used here; the command's options decide"
            ));
        }
    }
    let unknown_status = data
        .reported_actions
        .iter()
        .filter(|a| a.status.is_none())
        .count();
    if unknown_status > 0 {
        warnings.push(format!(
            "{unknown_status} reported action(s) carry a status airview does not know; they are shown with the export's text"
        ));
    }
    let unrecognised: BTreeMap<&str, usize> =
        data.evidence.iter().fold(BTreeMap::new(), |mut m, e| {
            if let Verdict::Unrecognized(raw) = &e.verdict {
                *m.entry(raw.as_str()).or_default() += 1;
            }
            m
        });
    for (raw, n) in unrecognised {
        warnings.push(format!("{n} evidence item(s) carry the verdict `{raw}`, which airview does not know; they are treated as unknown"));
    }
    Ok((data, warnings))
}

/// One decision as the CLI prints it.
#[derive(Serialize)]
pub struct DecisionView {
    pub alert_id: String,
    pub evidence_index: u32,
    pub evidence_type: String,
    pub entity: String,
    pub verdict: String,
    pub action: Option<&'static str>,
    pub outcome: &'static str,
    pub device: Option<String>,
    pub device_group: Option<String>,
    pub level: Option<&'static str>,
    pub reasons: Vec<String>,
}

pub fn decision_view(data: &Dataset, policy: &Policy, e: &Evidence, d: &Decision) -> DecisionView {
    DecisionView {
        alert_id: data.alert_of(e).map(|a| a.id.clone()).unwrap_or_default(),
        evidence_index: e.index,
        evidence_type: e.kind.slug().to_owned(),
        entity: data.entity(e).to_owned(),
        verdict: e.verdict.to_string(),
        action: d.action.map(|a| a.slug()),
        outcome: d.outcome.slug(),
        device: device_name(data, e, d),
        device_group: d.group.map(|g| policy.group_name(g).to_owned()),
        level: d.level.map(|l| l.slug()),
        reasons: d.reasons(data, policy, e),
    }
}

fn device_name(data: &Dataset, e: &Evidence, d: &Decision) -> Option<String> {
    match d.device? {
        DeviceLink::ByDeviceId(i) | DeviceLink::AlertsOnlyDevice(i) => {
            data.device(i).map(|d| d.display_name().to_owned())
        }
        DeviceLink::UnknownDeviceId => data.opt_text(e.mde_device_id).map(str::to_owned),
        DeviceLink::NoDevice { .. } => None,
    }
}

#[derive(Serialize)]
struct SummaryView {
    evidence: usize,
    automatic: usize,
    pending_approval: usize,
    no_action: usize,
    not_investigated: usize,
}

impl From<Summary> for SummaryView {
    fn from(s: Summary) -> Self {
        SummaryView {
            evidence: s.total(),
            automatic: s.automatic,
            pending_approval: s.pending_approval,
            no_action: s.no_action,
            not_investigated: s.not_investigated,
        }
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<String, Failure> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure(format!("cannot write the output: {e}")))?;
    text.push('\n');
    Ok(text)
}

pub fn evaluate(raw: &[String]) -> Result<String, Failure> {
    let a = args::parse(raw, &["policy", "format", "input-format"], &[])?;
    let (output, input) = formats(&a)?;
    let style = style(output)?;
    let (policy, mut warnings) = read_policy(a.required("policy")?)?;
    let (data, more) = read_exports(&a.positional, input)?;
    warnings.extend(more);
    let decisions: Vec<Decision> = data
        .evidence
        .iter()
        .map(|e| decide(&data, &policy, e))
        .collect();
    let summary = Summary::of(&decisions);
    let views: Vec<DecisionView> = data
        .evidence
        .iter()
        .zip(&decisions)
        .map(|(e, d)| decision_view(&data, &policy, e, d))
        .collect();
    match style {
        Style::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                decisions: &'a [DecisionView],
                summary: SummaryView,
                warnings: &'a [String],
            }
            to_json(&Out {
                decisions: &views,
                summary: summary.into(),
                warnings: &warnings,
            })
        }
        Style::Table => Ok(table::evaluate(&views, &summary, &warnings)),
    }
}

#[derive(Serialize)]
pub struct ChangeView {
    pub alert_id: String,
    pub evidence_index: u32,
    pub evidence_type: String,
    pub entity: String,
    pub action: Option<&'static str>,
    pub device: Option<String>,
    pub from: &'static str,
    pub to: &'static str,
    pub from_group: Option<String>,
    pub to_group: Option<String>,
    pub from_level: Option<&'static str>,
    pub to_level: Option<&'static str>,
    pub from_reasons: Vec<String>,
    pub to_reasons: Vec<String>,
}

pub fn diff(raw: &[String]) -> Result<String, Failure> {
    let a = args::parse(raw, &["from", "to", "format", "input-format"], &[])?;
    let (output, input) = formats(&a)?;
    let style = style(output)?;
    let (from, mut warnings) = read_policy(a.required("from")?)?;
    let (to, w2) = read_policy(a.required("to")?)?;
    warnings.extend(w2);
    let (data, more) = read_exports(&a.positional, input)?;
    warnings.extend(more);
    let d = engine_diff(&data, &from, &to);
    let changes: Vec<ChangeView> = d
        .changes
        .iter()
        .filter_map(|c| {
            let e = data.evidence.get(c.evidence)?;
            let f = decision_view(&data, &from, e, &c.from);
            let t = decision_view(&data, &to, e, &c.to);
            Some(ChangeView {
                alert_id: f.alert_id,
                evidence_index: e.index,
                evidence_type: f.evidence_type,
                entity: f.entity,
                action: f.action,
                device: f.device,
                from: f.outcome,
                to: t.outcome,
                from_group: f.device_group,
                to_group: t.device_group,
                from_level: f.level,
                to_level: t.level,
                from_reasons: f.reasons,
                to_reasons: t.reasons,
            })
        })
        .collect();
    let mut summary: BTreeMap<String, usize> = d.summary();
    summary.insert("changed".to_owned(), d.changes.len());
    summary.insert("evidence".to_owned(), data.evidence.len());
    match style {
        Style::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                changes: &'a [ChangeView],
                summary: &'a BTreeMap<String, usize>,
                warnings: &'a [String],
            }
            to_json(&Out {
                changes: &changes,
                summary: &summary,
                warnings: &warnings,
            })
        }
        Style::Table => Ok(table::diff(&changes, &summary, &warnings)),
    }
}

pub fn generate(raw: &[String]) -> Result<String, Failure> {
    let a: Args = args::parse(raw, &["alerts", "seed", "out", "until"], &[])?;
    if let Some(extra) = a.positional.first() {
        return Err(Failure(format!("unexpected argument `{extra}`")));
    }
    let number = |name: &str| -> Result<u64, Failure> {
        let text = a.required(name)?;
        text.parse::<u64>()
            .map_err(|_| Failure(format!("`--{name}` takes a whole number, not `{text}`")))
    };
    let alerts = usize::try_from(number("alerts")?)
        .map_err(|_| Failure("`--alerts` is too large".to_owned()))?;
    let seed = number("seed")?;
    let until = match a.one("until")? {
        None => airview_engine::Timestamp::parse(airview_import::generate::GENERATED_UNTIL)
            .map_or(0, |t| t.0),
        Some(text) => airview_engine::Timestamp::parse(text)
            .map(|t| t.0)
            .ok_or_else(|| {
                Failure(format!(
                    "`--until` takes a date and time like `2026-11-23T00:00:00Z`, not `{text}`"
                ))
            })?,
    };
    match a.one("out")? {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| Failure(format!("cannot create `{path}`: {e}")))?;
            let mut w = std::io::BufWriter::new(file);
            airview_import::generate::generate_until(&mut w, alerts, seed, until)
                .and_then(|()| w.flush())
                .map_err(|e| Failure(format!("cannot write `{path}`: {e}")))?;
            Ok(String::new())
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            airview_import::generate::generate_until(&mut w, alerts, seed, until)
                .and_then(|()| w.write_all(b"\n"))
                .and_then(|()| w.flush())
                .map_err(|e| Failure(format!("cannot write the export: {e}")))?;
            Ok(String::new())
        }
    }
}
