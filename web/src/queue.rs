//! The action center: the Pending and History tabs, their filters, sorting, selection and
//! bulk acts, and the table that renders only its visible rows.

use crate::format;
use crate::route::Route;
use crate::state::{AppState, Msg};
use airview_engine::center::{ActionSource, Event as CenterEvent};
use airview_engine::{ActionType, ActionView};
use std::collections::BTreeSet;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

pub const ROW_HEIGHT: i32 = 34;
const VIEWPORT_ROWS: i32 = 18;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Pending,
    History,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Updated,
    Investigation,
    Action,
    Entity,
    Device,
    Group,
    Status,
    Source,
    DecidedBy,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    All,
    Day,
    Week,
    Month,
    HalfYear,
}

impl Window {
    const ALL: [(Window, &'static str, &'static str); 5] = [
        (Window::All, "all", "Any time"),
        (Window::Day, "day", "Last day"),
        (Window::Week, "week", "Last week"),
        (Window::Month, "30days", "Last 30 days"),
        (Window::HalfYear, "6months", "Last 6 months"),
    ];
    fn days(self) -> Option<i64> {
        match self {
            Window::All => None,
            Window::Day => Some(1),
            Window::Week => Some(7),
            Window::Month => Some(30),
            Window::HalfYear => Some(182),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filters {
    pub action: String,
    pub entity: String,
    pub group: String,
    pub status: String,
    pub source: String,
    pub window: Window,
    pub text: String,
}

impl Default for Filters {
    fn default() -> Self {
        Filters {
            action: String::new(),
            entity: String::new(),
            group: String::new(),
            status: String::new(),
            source: String::new(),
            window: Window::All,
            text: String::new(),
        }
    }
}

/// The time a row is sorted and filtered by: when it was last updated, or when it started
/// waiting.
pub fn updated(a: &ActionView) -> i64 {
    a.decided_at.or(a.pending_since).map_or(i64::MIN, |t| t.0)
}

fn entity_type(a: &ActionView) -> &'static str {
    use airview_engine::ActionTarget as T;
    match a.action.target() {
        T::Device => "Device",
        T::File => "File",
        T::Process => "Process",
        T::Registry => "Registry",
        T::Service => "Service",
        T::Driver => "Driver",
        T::Task => "Scheduled task",
        T::Email => "Email",
        T::Url => "URL",
        T::Attachment => "Attachment",
        T::Mailbox => "Mailbox",
        T::User => "User",
    }
}

fn source_label(s: ActionSource) -> &'static str {
    s.label()
}

fn keep(a: &ActionView, f: &Filters, now: i64) -> bool {
    if !f.action.is_empty() && a.action.slug() != f.action {
        return false;
    }
    if !f.entity.is_empty() && entity_type(a) != f.entity {
        return false;
    }
    if !f.group.is_empty() && a.device_group.as_deref().unwrap_or("") != f.group {
        return false;
    }
    if !f.status.is_empty() && a.status.slug() != f.status {
        return false;
    }
    if !f.source.is_empty() && source_label(a.source) != f.source {
        return false;
    }
    if let Some(days) = f.window.days() {
        if updated(a) < now - days * 86_400_000 {
            return false;
        }
    }
    if !f.text.is_empty() {
        let needle = f.text.to_lowercase();
        let hay = [
            Some(a.id.as_str()),
            Some(a.entity.as_str()),
            a.device.as_deref(),
            a.investigation.as_deref(),
            a.comment.as_deref(),
            a.decided_by.as_deref(),
            Some(a.action.label()),
        ];
        if !hay
            .iter()
            .flatten()
            .any(|h| h.to_lowercase().contains(&needle))
        {
            return false;
        }
    }
    true
}

/// Sorts row indices into `rows`. Text keys are lowered once per row, not once per
/// comparison: at a million rows that is the difference between milliseconds and seconds.
fn sort(rows: &[ActionView], order: &mut [u32], column: Column, ascending: bool) {
    let text = |o: &Option<String>| o.as_deref().unwrap_or("").to_lowercase();
    let row = |i: &u32| rows.get(*i as usize);
    match column {
        Column::Updated => order.sort_by_key(|i| row(i).map_or(i64::MIN, updated)),
        _ => order.sort_by_cached_key(|i| {
            row(i).map_or_else(String::new, |a| match column {
                Column::Investigation => text(&a.investigation),
                Column::Action => a.action.label().to_owned(),
                Column::Entity => a.entity.to_lowercase(),
                Column::Device => text(&a.device),
                Column::Group => text(&a.device_group),
                Column::Status => a.status.label().to_owned(),
                Column::Source => a.source.label().to_owned(),
                Column::DecidedBy => text(&a.decided_by),
                Column::Updated => String::new(),
            })
        }),
    }
    if !ascending {
        order.reverse();
    }
}

#[derive(Properties, PartialEq)]
pub struct QueueProps {
    pub state: UseReducerHandle<AppState>,
    pub tab: Tab,
    pub pending: Rc<Vec<ActionView>>,
    pub history: Rc<Vec<ActionView>>,
}

fn select_value(e: &Event) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

#[component]
pub fn Queue(props: &QueueProps) -> Html {
    let filters = use_state(Filters::default);
    let sort_by = use_state(|| (Column::Updated, false));
    let selected = use_state(BTreeSet::<String>::new);
    let comment = use_state(String::new);
    let all_instances = use_state(|| false);
    let scroll = use_state(|| 0i32);
    let viewport = use_node_ref();
    let tab = props.tab;
    let source = if tab == Tab::Pending {
        props.pending.clone()
    } else {
        props.history.clone()
    };
    let now = props.state.center.now().0;
    let rows = {
        let f = (*filters).clone();
        let (column, ascending) = *sort_by;
        // The source list is compared by identity, not content: it is rebuilt only when the
        // center changes.
        let src = source.clone();
        use_memo(
            (Rc::as_ptr(&source) as usize, f, column, ascending, now),
            move |(_, f, column, ascending, now)| {
                let mut order: Vec<u32> = src
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| keep(a, f, *now))
                    .filter_map(|(i, _)| u32::try_from(i).ok())
                    .collect();
                sort(&src, &mut order, *column, *ascending);
                order
            },
        )
    };

    // Options for the filters, from the rows of this tab.
    let options = |key: fn(&ActionView) -> String| -> Vec<String> {
        let set: BTreeSet<String> = source.iter().map(key).filter(|s| !s.is_empty()).collect();
        set.into_iter().collect()
    };
    let action_options: Vec<(String, String)> = {
        let set: BTreeSet<ActionType> = source.iter().map(|a| a.action).collect();
        set.into_iter()
            .map(|a| (a.slug().to_owned(), a.label().to_owned()))
            .collect()
    };
    let entity_options = options(|a| entity_type(a).to_owned());
    let group_options = options(|a| a.device_group.clone().unwrap_or_default());
    let status_options: Vec<(String, String)> = {
        let set: BTreeSet<(String, String)> = source
            .iter()
            .map(|a| (a.status.slug().to_owned(), a.status.label().to_owned()))
            .collect();
        set.into_iter().collect()
    };
    let source_options = options(|a| source_label(a.source).to_owned());

    let set_filter = |apply: fn(&mut Filters, String)| {
        let filters = filters.clone();
        Callback::from(move |e: Event| {
            let mut f = (*filters).clone();
            apply(&mut f, select_value(&e));
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
    let on_window = {
        let filters = filters.clone();
        Callback::from(move |e: Event| {
            let v = select_value(&e);
            let mut f = (*filters).clone();
            f.window = Window::ALL
                .iter()
                .find(|(_, slug, _)| *slug == v)
                .map_or(Window::All, |w| w.0);
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

    // The selection, and what the engine says of acting on it.
    let ids: Vec<String> = selected.iter().cloned().collect();
    let check = |event: CenterEvent| props.state.check(event);
    let approve = (!ids.is_empty()).then(|| check(CenterEvent::Approve { ids: ids.clone() }));
    let reject = (!ids.is_empty()).then(|| check(CenterEvent::Reject { ids: ids.clone() }));
    let undo = (!ids.is_empty()).then(|| {
        check(CenterEvent::Undo {
            ids: ids.clone(),
            all_instances: *all_instances,
        })
    });
    let act = |make: fn(Vec<String>, bool) -> CenterEvent| {
        let state = props.state.clone();
        let selected = selected.clone();
        let comment = comment.clone();
        let all = all_instances.clone();
        Callback::from(move |_: MouseEvent| {
            let ids: Vec<String> = selected.iter().cloned().collect();
            let text = comment.trim().to_owned();
            state.dispatch(Msg::Act {
                event: make(ids, *all),
                comment: (!text.is_empty()).then_some(text),
            });
            selected.set(BTreeSet::new());
            comment.set(String::new());
        })
    };
    let on_approve = act(|ids, _| CenterEvent::Approve { ids });
    let on_reject = act(|ids, _| CenterEvent::Reject { ids });
    let on_undo = act(|ids, all| CenterEvent::Undo {
        ids,
        all_instances: all,
    });

    let row_at = |i: &u32| source.get(*i as usize);
    let visible_ids: Vec<String> = rows
        .iter()
        .filter_map(row_at)
        .map(|a| a.id.clone())
        .collect();
    let all_checked = !visible_ids.is_empty() && visible_ids.iter().all(|id| selected.contains(id));
    let on_select_all = {
        let selected = selected.clone();
        Callback::from(move |_: Event| {
            if all_checked {
                selected.set(BTreeSet::new());
            } else {
                selected.set(visible_ids.iter().cloned().collect());
            }
        })
    };

    // Only the rows in view (and a few either side) are in the DOM.
    let first = (*scroll / ROW_HEIGHT - 4).max(0) as usize;
    let last = ((*scroll / ROW_HEIGHT + VIEWPORT_ROWS + 4) as usize).min(rows.len());
    let top_pad = first as i32 * ROW_HEIGHT;
    let bottom_pad = (rows.len().saturating_sub(last)) as i32 * ROW_HEIGHT;

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

    let body = rows.get(first..last).unwrap_or(&[]).iter().filter_map(row_at).map(|a| {
        let id = a.id.clone();
        let checked = selected.contains(&id);
        let on_check = {
            let selected = selected.clone();
            let id = id.clone();
            Callback::from(move |_: Event| {
                let mut s = (*selected).clone();
                if !s.remove(&id) {
                    s.insert(id.clone());
                }
                selected.set(s);
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
    let count_pending = props.pending.len();
    let count_history = props.history.len();

    html! {
        <section class="queue" aria-label="Action center">
            <div class="tabs" role="tablist" aria-label="Action center tabs">
                <a role="tab" href={Route::Pending.href()} aria-selected={(tab == Tab::Pending).to_string()} class={classes!("tab", (tab == Tab::Pending).then_some("active"))}>{ format!("Pending ({})", format::count(count_pending)) }</a>
                <a role="tab" href={Route::History.href()} aria-selected={(tab == Tab::History).to_string()} class={classes!("tab", (tab == Tab::History).then_some("active"))}>{ format!("History ({})", format::count(count_history)) }</a>
            </div>
            <div class="filters" role="group" aria-label="Filters">
                <label>{ "Action type" }<select onchange={set_filter(|f, v| f.action = v)}><option value="" selected={filters.action.is_empty()}>{ "All" }</option>{ for action_options.iter().map(|(v, l)| html! { <option value={v.clone()} selected={filters.action == *v}>{ l.clone() }</option> }) }</select></label>
                <label>{ "Entity type" }<select onchange={set_filter(|f, v| f.entity = v)}><option value="" selected={filters.entity.is_empty()}>{ "All" }</option>{ for entity_options.iter().map(|v| html! { <option value={v.clone()} selected={filters.entity == *v}>{ v.clone() }</option> }) }</select></label>
                <label>{ "Device group" }<select onchange={set_filter(|f, v| f.group = v)}><option value="" selected={filters.group.is_empty()}>{ "All" }</option>{ for group_options.iter().map(|v| html! { <option value={v.clone()} selected={filters.group == *v}>{ v.clone() }</option> }) }</select></label>
                <label>{ "Status" }<select onchange={set_filter(|f, v| f.status = v)}><option value="" selected={filters.status.is_empty()}>{ "All" }</option>{ for status_options.iter().map(|(v, l)| html! { <option value={v.clone()} selected={filters.status == *v}>{ l.clone() }</option> }) }</select></label>
                <label>{ "Source" }<select onchange={set_filter(|f, v| f.source = v)}><option value="" selected={filters.source.is_empty()}>{ "All" }</option>{ for source_options.iter().map(|v| html! { <option value={v.clone()} selected={filters.source == *v}>{ v.clone() }</option> }) }</select></label>
                <label>{ "Time" }<select onchange={on_window}>{ for Window::ALL.iter().map(|(w, slug, label)| html! { <option value={*slug} selected={filters.window == *w}>{ *label }</option> }) }</select></label>
                <label class="search">{ "Search" }<input type="search" placeholder="Entity, device, id, comment…" value={filters.text.clone()} oninput={on_text} /></label>
                <span class="shown" aria-live="polite">{ format!("{} shown", format::count(rows.len())) }</span>
            </div>
            <div class="bulk" role="group" aria-label="Act on the selected actions">
                <span class="selected-count">{ format!("{} selected", selected.len()) }</span>
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
                if rows.is_empty() { <p class="empty">{ if tab == Tab::Pending { "Nothing waits for approval." } else { "No actions match." } }</p> }
            </div>
        </section>
    }
}
