//! `evaluate`, `diff` and `generate`: the policy engine for scripts. Each reads its inputs,
//! asks the engine, and returns the text to print.

use crate::formats::{json, style, Style};
use crate::inputs::{read_exports, read_policy};
use crate::{cli, table, Failure};
use airview_engine::model::DeviceLink;
use airview_engine::{decide, diff as engine_diff, Dataset, Decision, Evidence, Policy, Summary};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{ErrorKind, Write};

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

pub fn evaluate(a: &cli::Evaluate) -> Result<String, Failure> {
    let (style, input) = style(&a.output.format, &a.exports.input_format)?;
    let (policy, mut warnings) = read_policy(&a.policy.policy)?;
    let (data, more) = read_exports(&a.exports.files, input)?;
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
            json(&Out {
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

pub fn diff(a: &cli::Diff) -> Result<String, Failure> {
    let (style, input) = style(&a.output.format, &a.exports.input_format)?;
    let (from, mut warnings) = read_policy(&a.from)?;
    let (to, w2) = read_policy(&a.to)?;
    warnings.extend(w2);
    let (data, more) = read_exports(&a.exports.files, input)?;
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
            json(&Out {
                changes: &changes,
                summary: &summary,
                warnings: &warnings,
            })
        }
        Style::Table => Ok(table::diff(&changes, &summary, &warnings)),
    }
}

/// Writes the generated export to `--out`, or to stdout as it is generated (a large export is
/// never held in memory). A reader that stops early (`| head`) ends the command without a
/// message, as for every other command's output.
pub fn generate(a: &cli::Generate) -> Result<String, Failure> {
    let generate = |mut w: &mut dyn Write| {
        airview_import::generate::generate_until(&mut w, a.alerts, a.seed, a.until.0)
    };
    match &a.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| Failure(format!("cannot create `{path}`: {e}")))?;
            let mut w = std::io::BufWriter::new(file);
            generate(&mut w)
                .and_then(|()| w.flush())
                .map_err(|e| Failure(format!("cannot write `{path}`: {e}")))?;
            Ok(String::new())
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            match generate(&mut w)
                .and_then(|()| w.write_all(b"\n"))
                .and_then(|()| w.flush())
            {
                Ok(()) => Ok(String::new()),
                Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(String::new()),
                Err(e) => Err(Failure(format!("cannot write the export: {e}"))),
            }
        }
    }
}
