//! The policy page's preview: the outcomes current → draft overall, per device group and per
//! action type, the moves between outcomes as a chart, and what the draft would have done to
//! the waits of the past.

use super::changes::{Changes, ChangesProps};
use crate::format;
use crate::same::Same;
use crate::state::StateHandle;
use airview_engine::preview::{
    journal_waits, reported_waits, wait_figures, Pair, Preview, WaitFigures,
};
use airview_engine::{Decision, Outcome};
use std::rc::Rc;
use yew::prelude::*;

fn counts_row(label: &str, pair: &Pair) -> Html {
    let cell = |o: Outcome| {
        let (a, b) = (pair.current.get(o), pair.draft.get(o));
        let delta = b as i64 - a as i64;
        html! {
            <td class="num">
                { format::count(a) }{ " → " }<strong>{ format::count(b) }</strong>
                if delta != 0 { <span class={if delta > 0 { "delta up" } else { "delta down" }}>{ format!(" ({delta:+})") }</span> }
            </td>
        }
    };
    html! { <tr><th scope="row">{ label.to_owned() }</th>{ for Outcome::ALL.iter().map(|o| cell(*o)) }</tr> }
}

fn counts_table(caption: &str, rows: Html) -> Html {
    html! {
        <table class="counts">
            <caption>{ caption.to_owned() }</caption>
            <thead><tr><th scope="col">{ "" }</th>{ for Outcome::ALL.iter().map(|o| html! { <th scope="col">{ o.label() }</th> }) }</tr></thead>
            <tbody>{ rows }</tbody>
        </table>
    }
}

/// The moves between outcomes as horizontal bars, one per `from → to` pair.
fn chart(preview: &Preview) -> Html {
    let flows = preview.flows();
    let max = flows.iter().map(|f| f.2).max().unwrap_or(1).max(1);
    let bar_h = 26;
    let height = (flows.len().max(1) * bar_h + 10) as i32;
    html! {
        <figure class="chart" aria-label="Actions that move from one outcome to another">
            <figcaption>{ "Moves between outcomes, current → draft" }</figcaption>
            if flows.is_empty() {
                <p class="muted">{ "No action changes outcome." }</p>
            } else {
                <svg width="640" height={height.to_string()} role="img" aria-label={flows.iter().map(|(f, t, n)| format!("{n} from {} to {}", f.label(), t.label())).collect::<Vec<_>>().join("; ")}>
                    { for flows.iter().enumerate().map(|(i, (from, to, n))| {
                        let y = (i * bar_h) as i32;
                        let w = ((*n as f64 / max as f64) * 300.0).max(2.0) as i32;
                        html! {
                            <g class={format!("flow to-{}", to.slug())}>
                                <text x="0" y={(y + 17).to_string()} class="flow-label">{ format!("{} → {}", from.label(), to.label()) }</text>
                                <rect x="270" y={(y + 4).to_string()} width={w.to_string()} height="18" rx="2"></rect>
                                <text x={(275 + w).to_string()} y={(y + 17).to_string()} class="flow-count">{ format::count(*n) }</text>
                            </g>
                        }
                    }) }
                </svg>
            }
        </figure>
    }
}

fn waits_row(label: &str, f: &WaitFigures) -> Html {
    let dur = |ms: Option<i64>| ms.map_or("—".to_owned(), format::duration);
    html! {
        <tr>
            <th scope="row">{ label.to_owned() }</th>
            <td class="num">{ format::count(f.waited) }</td>
            <td class="num">{ dur(f.median_ms) }</td>
            <td class="num">{ dur(f.p90_ms) }</td>
            <td class="num">{ format::count(f.timed_out) }</td>
            <td class="num"><strong>{ format::count(f.draft_automatic) }</strong></td>
        </tr>
    }
}

fn waits_table(reported: &WaitFigures, journaled: &WaitFigures) -> Html {
    html! {
        <table class="counts">
            <caption>{ "The past: waiting for approval" }</caption>
            <thead><tr><th scope="col">{ "" }</th><th scope="col">{ "Waited" }</th><th scope="col">{ "Median wait" }</th><th scope="col">{ "90th percentile" }</th><th scope="col">{ "Timed out" }</th><th scope="col">{ "Draft would automate" }</th></tr></thead>
            <tbody>
                { waits_row("As the exports report", reported) }
                { waits_row("In airview's action center", journaled) }
            </tbody>
        </table>
    }
}

/// What the draft would have done to the waits of the past, as the exports report them and
/// in airview's own action center. The waits depend on the center only, not on the draft, so
/// an edit does not recompute them; the figures follow the draft's decisions.
#[hook]
pub fn use_wait_figures(
    state: &StateHandle,
    draft_decisions: Option<Rc<Vec<Decision>>>,
) -> Rc<(WaitFigures, WaitFigures)> {
    let waits = {
        let center = state.center().clone();
        let entries = state.session.journal().entries.clone();
        use_memo((state.journal_rev, state.exports_rev), move |_| {
            (
                reported_waits(center.data(), center.now()),
                journal_waits(&center, &entries),
            )
        })
    };
    use_memo(
        (Same(draft_decisions.clone()), Same(waits.clone())),
        move |_| match &draft_decisions {
            Some(d) => (wait_figures(&waits.0, d), wait_figures(&waits.1, d)),
            None => (WaitFigures::default(), WaitFigures::default()),
        },
    )
}

/// The preview's part of the page: drawn when the page is, from what the page computed (a
/// function, as `groups::groups` is); the list of changes in it is a component of its own.
pub fn preview_pane(
    preview: &Option<Rc<Preview>>,
    figures: &(WaitFigures, WaitFigures),
    changes: ChangesProps,
) -> Html {
    html! {
        <div class="preview" aria-label="Preview" aria-live="polite">
            <h2>{ "Preview" }</h2>
            if let Some(p) = preview {
                { counts_table("Overall: current → draft", counts_row("All evidence", &p.overall)) }
                { chart(p) }
                { counts_table("Per device group", html! { <>{ for p.per_group.iter().map(|(g, pair)| counts_row(g, pair)) }</> }) }
                { counts_table("Per action type", html! { <>{ for p.per_action.iter().map(|(a, pair)| counts_row(a.label(), pair)) }</> }) }
                { waits_table(&figures.0, &figures.1) }
            } else {
                <p class="muted">{ "Fix the draft's errors to see the preview." }</p>
            }
            // Always mounted, so that its filter survives a draft with errors.
            <Changes ..changes />
        </div>
    }
}
