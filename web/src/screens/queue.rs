//! The action center: the Pending and History tabs, their filters, sorting, selection and
//! bulk acts, and the table that renders only its visible rows.
//!
//! The lists are the center's rows (4 bytes an action); filtering and sorting are the engine's
//! (`airview_engine::queue`), and only the rows in view become `ActionView`s and DOM.

use crate::format;
use crate::route::Route;
use crate::same::Same;
use crate::state::{act, StateHandle};
use airview_engine::queue::{self, Column, Filters};
use airview_engine::{ActionSource, Event as CenterEvent, Row, Rows, Status};
use airview_engine::{ActionTarget, ActionType};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

pub const ROW_HEIGHT: i32 = 34;
const VIEWPORT_ROWS: i32 = 18;
/// Browsers cap an element's height (Chromium near 33.5 million pixels): longer lists are
/// drawn at this height, and a pixel of scrolling moves proportionally more rows.
const MAX_SCROLL_PX: f64 = 15_000_000.0;

/// The rows to render for a scroll position: the first and past-the-last row in view (with a
/// few either side), and the heights of the spacers above and below them.
pub fn window(scroll: i32, len: usize) -> (usize, usize, i64, i64) {
    let full = len as f64 * f64::from(ROW_HEIGHT);
    let scale = (full / MAX_SCROLL_PX).max(1.0);
    let top_row = (f64::from(scroll.max(0)) * scale / f64::from(ROW_HEIGHT)) as usize;
    let first = top_row.saturating_sub(4).min(len);
    let last = (top_row + VIEWPORT_ROWS as usize + 4).min(len);
    let px = |rows: usize| (rows as f64 * f64::from(ROW_HEIGHT) / scale) as i64;
    let top = px(first);
    let bottom = (full / scale) as i64 - top - (last - first) as i64 * i64::from(ROW_HEIGHT);
    (first, last, top, bottom.max(0))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Pending,
    History,
}

impl Tab {
    /// The order the center lists the tab in, which needs no sorting: Pending the longest
    /// waiting first, History the most recently updated first.
    fn natural_order(self) -> (Column, bool) {
        (Column::Updated, self == Tab::Pending)
    }
}

const COLUMNS: [(Column, &str); 9] = [
    (Column::Updated, "Action update time"),
    (Column::Investigation, "Investigation"),
    (Column::Action, "Action type"),
    (Column::Entity, "Entity"),
    (Column::Device, "Device or mailbox"),
    (Column::Group, "Device group"),
    (Column::Status, "Status"),
    (Column::Source, "Action source"),
    (Column::DecidedBy, "Decided by"),
];

/// The time filter's choices: (days, value, label).
const WINDOWS: [(Option<i64>, &str, &str); 5] = [
    (None, "all", "Any time"),
    (Some(1), "day", "Last day"),
    (Some(7), "week", "Last week"),
    (Some(30), "30days", "Last 30 days"),
    (Some(182), "6months", "Last 6 months"),
];

#[derive(Properties, PartialEq)]
pub struct QueueProps {
    pub state: StateHandle,
    pub tab: Tab,
    pub rows: Rc<Rows>,
}

fn select_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

fn source_of(label: &str) -> Option<ActionSource> {
    ActionSource::ALL.into_iter().find(|s| s.label() == label)
}

fn status_of(slug: &str) -> Option<Status> {
    Status::ALL.into_iter().find(|s| s.slug() == slug)
}

fn target_of(label: &str) -> Option<ActionTarget> {
    ActionTarget::ALL.into_iter().find(|t| t.label() == label)
}

#[component]
pub fn Queue(props: &QueueProps) -> Html {
    let tab = props.tab;
    let filters = use_state(Filters::default);
    let sort_by = use_state(|| tab.natural_order());
    // The selected rows, sorted. Shared, so that comparing it for the memo below is a
    // pointer comparison even when a million rows are selected.
    let selected = use_state(|| Rc::new(Vec::<Row>::new()));
    let is_selected = |row: &Row| selected.binary_search(row).is_ok();
    let comment = use_state(String::new);
    let all_instances = use_state(|| false);
    let scroll = use_state(|| 0i32);
    let viewport = use_node_ref();
    let center = props.state.center();
    let list = |rows: &Rows| -> Vec<Row> {
        if tab == Tab::Pending {
            rows.pending.clone()
        } else {
            rows.history.clone()
        }
    };
    let rows_id = Same(props.rows.clone());
    // The time filter reads the clock; other filters do not change as it moves.
    let clock = filters.within_days.map(|_| center.now().0);
    let shown = {
        let (center, rows) = (center.clone(), props.rows.clone());
        let f = (*filters).clone();
        let (column, ascending) = *sort_by;
        use_memo(
            (rows_id.clone(), f, column, ascending, clock),
            move |(_, f, column, ascending, _)| {
                let all = list(&rows);
                let kept = if *f == Filters::default() {
                    all
                } else {
                    queue::filter(&center, &all, f)
                };
                if (*column, *ascending) == tab.natural_order() {
                    kept
                } else {
                    queue::sort(&center, &kept, *column, *ascending)
                }
            },
        )
    };
    let options = {
        let (center, rows) = (center.clone(), props.rows.clone());
        use_memo(rows_id.clone(), move |_| {
            queue::options(&center, &list(&rows))
        })
    };

    let set_filter = |apply: fn(&mut Filters, &str)| {
        let filters = filters.clone();
        Callback::from(move |e: Event| {
            let mut f = (*filters).clone();
            apply(&mut f, &select_value(&e));
            filters.set(f);
        })
    };
    let on_text = {
        let filters = filters.clone();
        Callback::from(move |e: InputEvent| {
            let mut f = (*filters).clone();
            f.text = e.target_unchecked_into::<HtmlInputElement>().value();
            filters.set(f);
        })
    };
    let on_scroll = {
        let scroll = scroll.clone();
        let viewport = viewport.clone();
        Callback::from(move |_: web_sys::Event| {
            if let Some(el) = viewport.cast::<HtmlElement>() {
                scroll.set(el.scroll_top());
            }
        })
    };

    // The selection, and what the engine says of acting on it, asked again only when the
    // selection or the center changes.
    let checks = {
        let state = props.state.clone();
        let selection = (*selected).clone();
        use_memo(
            (Same((*selected).clone()), rows_id, *all_instances),
            move |(_, _, all)| {
                if selection.is_empty() {
                    return (None, None, None);
                }
                let ids: Vec<String> = selection
                    .iter()
                    .filter_map(|r| state.center().row_id(*r))
                    .collect();
                let check = |event: CenterEvent| Some(state.check(event));
                (
                    check(CenterEvent::Approve { ids: ids.clone() }),
                    check(CenterEvent::Reject { ids: ids.clone() }),
                    check(CenterEvent::Undo {
                        ids,
                        all_instances: *all,
                    }),
                )
            },
        )
    };
    let (approve, reject, undo) = (*checks).clone();
    let act = |make: fn(Vec<String>, bool) -> CenterEvent| {
        let state = props.state.clone();
        let selected = selected.clone();
        let comment = comment.clone();
        let all = all_instances.clone();
        Callback::from(move |_: MouseEvent| {
            let ids: Vec<String> = selected
                .iter()
                .filter_map(|r| state.center().row_id(*r))
                .collect();
            let text = comment.trim().to_owned();
            act(&state, make(ids, *all), (!text.is_empty()).then_some(text));
            selected.set(Rc::default());
            comment.set(String::new());
        })
    };
    let on_approve = act(|ids, _| CenterEvent::Approve { ids });
    let on_reject = act(|ids, _| CenterEvent::Reject { ids });
    let on_undo = act(|ids, all| CenterEvent::Undo {
        ids,
        all_instances: all,
    });

    // Comparing whole lists only when the counts agree keeps this cheap at a million rows.
    let all_checked =
        !shown.is_empty() && selected.len() == shown.len() && shown.iter().all(is_selected);
    let on_select_all = {
        let (selected, shown) = (selected.clone(), shown.clone());
        Callback::from(move |_: Event| {
            if all_checked {
                selected.set(Rc::default());
            } else {
                let mut all: Vec<Row> = shown.to_vec();
                all.sort_unstable();
                selected.set(Rc::new(all));
            }
        })
    };

    // Only the rows in view (and a few either side) are in the DOM.
    let (first, last, top_pad, bottom_pad) = window(*scroll, shown.len());

    let header = COLUMNS.iter().map(|(column, label)| {
        let (current, ascending) = *sort_by;
        let sort_by = sort_by.clone();
        let column = *column;
        let onclick = Callback::from(move |_: MouseEvent| {
            let (c, asc) = *sort_by;
            sort_by.set(if c == column { (column, !asc) } else { (column, true) });
        });
        let aria = if current == column { if ascending { "ascending" } else { "descending" } } else { "none" };
        html! {
            <th scope="col" aria-sort={aria}>
                <button type="button" class="sort" {onclick}>{ *label }{ if current == column { if ascending { " ▲" } else { " ▼" } } else { "" } }</button>
            </th>
        }
    });

    let body = shown.get(first..last).unwrap_or(&[]).iter().filter_map(|row| Some((*row, center.row_view(*row)?))).map(|(row, a)| {
        let checked = is_selected(&row);
        let on_check = {
            let selected = selected.clone();
            Callback::from(move |_: Event| {
                let mut s = (**selected).clone();
                match s.binary_search(&row) {
                    Ok(at) => {
                        s.remove(at);
                    }
                    Err(at) => s.insert(at, row),
                }
                selected.set(Rc::new(s));
            })
        };
        let status_class = format!("status status-{}", a.status.slug());
        html! {
            <tr key={a.id.clone()} class={classes!(checked.then_some("selected"))}>
                <td class="check"><input type="checkbox" checked={checked} onchange={on_check} aria-label={format!("Select {} on {}", a.action.label(), a.entity)} /></td>
                <td class="time">{ format::time(a.decided_at.or(a.pending_since)) }</td>
                <td>{ match &a.investigation { Some(inv) => html! { <a href={Route::Investigation(inv.clone()).href()}>{ inv.clone() }</a> }, None => html! { "—" } } }</td>
                <td>{ a.action.label() }</td>
                <td class="entity"><a href={Route::Action(a.id.clone()).href()} title={a.entity.clone()}>{ if a.entity.is_empty() { "(unnamed)".to_owned() } else { a.entity.clone() } }</a></td>
                <td>{ a.device.clone().unwrap_or_default() }</td>
                <td>{ a.device_group.clone().unwrap_or_default() }</td>
                <td><span class={status_class}>{ a.status.label() }</span>{ a.duplicate_of.as_ref().map(|_| html! { <span class="tag">{ "duplicate" }</span> }) }</td>
                <td>{ a.source.label() }</td>
                <td>{ a.decided_by.clone().unwrap_or_default() }</td>
            </tr>
        }
    });

    let reason = |r: &Option<Result<(), String>>| match r {
        None => Some("select one or more actions".to_owned()),
        Some(Ok(())) => None,
        Some(Err(e)) => Some(e.clone()),
    };
    let button = |label: &'static str,
                  result: &Option<Result<(), String>>,
                  onclick: Callback<MouseEvent>,
                  class: &'static str| {
        let why = reason(result);
        html! {
            <button type="button" class={classes!("btn", class)} disabled={why.is_some()} title={why.clone().unwrap_or_default()} aria-describedby="bulk-reason" {onclick}>{ label }</button>
        }
    };
    let first_reason = if tab == Tab::Pending {
        reason(&approve).or_else(|| reason(&reject))
    } else {
        reason(&undo)
    };
    let count_pending = props.rows.pending.len();
    let count_history = props.rows.history.len();
    let f = &*filters;
    let o = &*options;

    html! {
        <section class="queue" aria-label="Action center">
            <div class="tabs" role="tablist" aria-label="Action center tabs">
                <a role="tab" href={Route::Pending.href()} aria-selected={(tab == Tab::Pending).to_string()} class={classes!("tab", (tab == Tab::Pending).then_some("active"))}>{ format!("Pending ({})", format::count(count_pending)) }</a>
                <a role="tab" href={Route::History.href()} aria-selected={(tab == Tab::History).to_string()} class={classes!("tab", (tab == Tab::History).then_some("active"))}>{ format!("History ({})", format::count(count_history)) }</a>
            </div>
            <div class="filters" role="group" aria-label="Filters">
                <label>{ "Action type" }<select onchange={set_filter(|f, v| f.action = ActionType::from_slug(v))}><option value="" selected={f.action.is_none()}>{ "All" }</option>{ for o.actions.iter().map(|a| html! { <option value={a.slug()} selected={f.action == Some(*a)}>{ a.label() }</option> }) }</select></label>
                <label>{ "Entity type" }<select onchange={set_filter(|f, v| f.target = target_of(v))}><option value="" selected={f.target.is_none()}>{ "All" }</option>{ for o.targets.iter().map(|t| html! { <option value={t.label()} selected={f.target == Some(*t)}>{ t.label() }</option> }) }</select></label>
                <label>{ "Device group" }<select onchange={set_filter(|f, v| f.group = (!v.is_empty()).then(|| v.to_owned()))}><option value="" selected={f.group.is_none()}>{ "All" }</option>{ for o.groups.iter().map(|g| html! { <option value={g.clone()} selected={f.group.as_ref() == Some(g)}>{ g.clone() }</option> }) }</select></label>
                <label>{ "Status" }<select onchange={set_filter(|f, v| f.status = status_of(v))}><option value="" selected={f.status.is_none()}>{ "All" }</option>{ for o.statuses.iter().map(|s| html! { <option value={s.slug()} selected={f.status == Some(*s)}>{ s.label() }</option> }) }</select></label>
                <label>{ "Source" }<select onchange={set_filter(|f, v| f.source = source_of(v))}><option value="" selected={f.source.is_none()}>{ "All" }</option>{ for o.sources.iter().map(|s| html! { <option value={s.label()} selected={f.source == Some(*s)}>{ s.label() }</option> }) }</select></label>
                <label>{ "Time" }<select onchange={set_filter(|f, v| f.within_days = WINDOWS.iter().find(|w| w.1 == v).and_then(|w| w.0))}>{ for WINDOWS.iter().map(|(days, value, label)| html! { <option value={*value} selected={f.within_days == *days}>{ *label }</option> }) }</select></label>
                <label class="search">{ "Search" }<input type="search" placeholder="Entity, device, id, comment…" value={f.text.clone()} oninput={on_text} /></label>
                <span class="shown" aria-live="polite">{ format!("{} shown", format::count(shown.len())) }</span>
            </div>
            <div class="bulk" role="group" aria-label="Act on the selected actions">
                <span class="selected-count">{ format!("{} selected", format::count(selected.len())) }</span>
                <label class="comment">{ "Comment" }<input type="text" value={(*comment).clone()} oninput={{ let comment = comment.clone(); Callback::from(move |e: InputEvent| comment.set(e.target_unchecked_into::<HtmlInputElement>().value())) }} placeholder="Why (kept in the journal)" /></label>
                if tab == Tab::Pending {
                    { button("Approve", &approve, on_approve, "primary") }
                    { button("Reject", &reject, on_reject, "") }
                } else {
                    <label class="inline"><input type="checkbox" checked={*all_instances} onchange={{ let a = all_instances.clone(); Callback::from(move |_: Event| a.set(!*a)) }} />{ "Apply to all instances of these files" }</label>
                    { button("Undo", &undo, on_undo, "") }
                }
                <span id="bulk-reason" class="reason" role="status">{ first_reason.unwrap_or_default() }</span>
            </div>
            <div class="viewport" ref={viewport} onscroll={on_scroll} tabindex="0" aria-label={if tab == Tab::Pending { "Pending actions" } else { "Action history" }}>
                <table class="actions">
                    <thead><tr><th scope="col" class="check"><input type="checkbox" checked={all_checked} onchange={on_select_all} aria-label="Select all shown actions" /></th>{ for header }</tr></thead>
                    <tbody>
                        // Spacers keep the scroll height of the rows not rendered; an SVG's height
                        // attribute sizes them without an inline style, which the CSP forbids.
                        if top_pad > 0 { <tr class="pad" aria-hidden="true"><td colspan="10"><svg width="1" height={top_pad.to_string()}></svg></td></tr> }
                        { for body }
                        if bottom_pad > 0 { <tr class="pad" aria-hidden="true"><td colspan="10"><svg width="1" height={bottom_pad.to_string()}></svg></td></tr> }
                    </tbody>
                </table>
                if shown.is_empty() { <p class="empty">{ if tab == Tab::Pending { "Nothing waits for approval." } else { "No actions match." } }</p> }
            </div>
        </section>
    }
}
