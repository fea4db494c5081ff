//! Readable tables for a terminal. Scripts get JSON; these are for people.

use crate::commands::{ChangeView, DecisionView};
use airview_engine::Summary;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Cuts a cell to `width` characters, marking the cut, so columns stay aligned.
fn cell(text: &str, width: usize) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.chars().count() <= width {
        format!("{clean:<width$}")
    } else {
        let cut: String = clean.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

pub fn evaluate(rows: &[DecisionView], summary: &Summary, warnings: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} {} {} {} OUTCOME",
        cell("ALERT/EVIDENCE", 28),
        cell("TYPE", 14),
        cell("ENTITY", 30),
        cell("DEVICE GROUP", 22),
        cell("ACTION", 22),
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{} {} {} {} {} {}",
            cell(&format!("{}/{}", r.alert_id, r.evidence_index), 28),
            cell(&r.evidence_type, 14),
            cell(&r.entity, 30),
            cell(r.device_group.as_deref().unwrap_or("-"), 22),
            cell(r.action.unwrap_or("-"), 22),
            r.outcome
        );
    }
    let _ = writeln!(
        out,
        "\n{} evidence: {} automatic, {} pending approval, {} no action, {} not investigated",
        summary.total(),
        summary.automatic,
        summary.pending_approval,
        summary.no_action,
        summary.not_investigated
    );
    for w in warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
}

pub fn diff(rows: &[ChangeView], summary: &BTreeMap<String, usize>, warnings: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} {} FROM -> TO",
        cell("ALERT/EVIDENCE", 28),
        cell("ENTITY", 30),
        cell("ACTION", 22),
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{} {} {} {} -> {}",
            cell(&format!("{}/{}", r.alert_id, r.evidence_index), 28),
            cell(&r.entity, 30),
            cell(r.action.unwrap_or("-"), 22),
            r.from,
            r.to
        );
    }
    out.push('\n');
    for (k, v) in summary {
        let _ = writeln!(out, "{k}: {v}");
    }
    for w in warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
}
