//! Readable tables for a terminal. Scripts get JSON; these are for people.
//! Writing to a `String` cannot fail, so the `writeln!` results are not looked at.

use crate::commands::{ChangeView, DecisionView};
use airview_engine::{ActionView, CenterView, Summary, Timestamp};
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

/// The action center: what waits for approval, what was decided, and the investigations.
pub fn center(view: &CenterView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "PENDING ({})", view.pending.len());
    let _ = writeln!(
        out,
        "{} {} {} {} EXPIRES",
        cell("ID", 28),
        cell("ACTION", 22),
        cell("ENTITY", 30),
        cell("DEVICE", 24),
    );
    for a in &view.pending {
        let _ = writeln!(
            out,
            "{} {} {} {} {}",
            cell(&a.id, 28),
            cell(a.action.slug(), 22),
            cell(&a.entity, 30),
            cell(a.device.as_deref().unwrap_or("-"), 24),
            time(a.expires_at),
        );
    }
    let _ = writeln!(out, "\nHISTORY ({})", view.history.len());
    history_rows(&mut out, &view.history);
    let _ = writeln!(out, "\nINVESTIGATIONS ({})", view.investigations.len());
    let _ = writeln!(
        out,
        "{} {} {} PENDING",
        cell("ID", 28),
        cell("STATUS", 22),
        cell("ACTIONS", 8),
    );
    for i in &view.investigations {
        let _ = writeln!(
            out,
            "{} {} {} {}",
            cell(&i.id, 28),
            cell(i.status.label(), 22),
            cell(&i.actions.to_string(), 8),
            i.counts.pending,
        );
    }
    out
}

/// The actions an act changed, as they are now.
pub fn changed(rows: &[ActionView]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "CHANGED ({})", rows.len());
    history_rows(&mut out, rows);
    out
}

fn history_rows(out: &mut String, rows: &[ActionView]) {
    let _ = writeln!(
        out,
        "{} {} {} {} {} {} DECIDED AT",
        cell("ID", 28),
        cell("ACTION", 22),
        cell("ENTITY", 30),
        cell("DEVICE", 24),
        cell("STATUS", 10),
        cell("DECIDED BY", 16),
    );
    for a in rows {
        let _ = writeln!(
            out,
            "{} {} {} {} {} {} {}",
            cell(&a.id, 28),
            cell(a.action.slug(), 22),
            cell(&a.entity, 30),
            cell(a.device.as_deref().unwrap_or("-"), 24),
            cell(a.status.slug(), 10),
            cell(a.decided_by.as_deref().unwrap_or("-"), 16),
            time(a.decided_at),
        );
    }
}

fn time(t: Option<Timestamp>) -> String {
    t.map_or_else(|| "-".to_owned(), |t| t.to_string())
}
