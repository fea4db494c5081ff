//! The actions whose outcome the draft changes: filtered by text, shown a page at a time, each
//! with its reasons, current and draft, written out when the analyst opens them.

use crate::format;
use crate::route::Route;
use crate::same::Same;
use crate::state::StateHandle;
use airview_engine::preview::Preview;
use airview_engine::{Decision, Policy};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// How many changed actions the list shows at first, and adds per "Show more".
const CHANGES_PAGE: usize = 100;

/// What the list shows: the preview and the draft it is of, each `None` while the draft has
/// errors.
#[derive(Properties, PartialEq)]
pub struct ChangesProps {
    pub state: StateHandle,
    pub preview: Same<Option<Rc<Preview>>>,
    pub draft_policy: Same<Option<Rc<Policy>>>,
    pub draft_decisions: Same<Option<Rc<Vec<Decision>>>>,
}

/// The list; nothing while the draft has errors.
#[component]
pub fn Changes(props: &ChangesProps) -> Html {
    let filter = use_state(String::new);
    // The list grows on request: re-rendering thousands of rows on every edit of the draft
    // would cost more than the preview itself.
    let shown = use_state(|| CHANGES_PAGE);
    let (Some(preview), Some(draft_policy), Some(draft_decisions)) = (
        &props.preview.0,
        &props.draft_policy.0,
        &props.draft_decisions.0,
    ) else {
        return html! {};
    };
    let state = &props.state;
    let center = state.center();
    let data = center.data();
    let current_decisions = center.decisions();
    let needle = filter.to_lowercase();
    let rows: Vec<Html> = preview
        .changed
        .iter()
        .filter_map(|&i| {
            let e = data.evidence.get(i)?;
            let (a, b) = (current_decisions.get(i)?, draft_decisions.get(i)?);
            let alert = data.alert_of(e)?;
            let id = format!("{}/{}", alert.id, e.index);
            let entity = data.entity(e).to_owned();
            let flow = format!("{} → {}", a.outcome.label(), b.outcome.label());
            if !needle.is_empty()
                && ![&id, &entity, &flow]
                    .iter()
                    .any(|h| h.to_lowercase().contains(&needle))
            {
                return None;
            }
            Some(html! {
                <tr key={id.clone()}>
                    <td class="entity"><a href={Route::Action(id.clone()).href()}>{ if entity.is_empty() { id.clone() } else { entity } }</a></td>
                    <td>{ a.action.map(|x| x.label()).unwrap_or("") }</td>
                    <td>{ flow }</td>
                    <td><Reasons state={state.clone()} evidence={i} draft_policy={Same(draft_policy.clone())} draft_decisions={Same(draft_decisions.clone())} /></td>
                </tr>
            })
        })
        .take(*shown)
        .collect();
    let on_filter = {
        let f = filter.clone();
        Callback::from(move |e: InputEvent| {
            f.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let more = {
        let s = shown.clone();
        Callback::from(move |_: MouseEvent| s.set(*s + CHANGES_PAGE))
    };
    let total = preview.changed.len();
    html! {
        <>
            <h3>{ format!("Actions whose outcome changes ({})", format::count(total)) }</h3>
            <label class="search">{ "Filter changes" }<input type="search" value={(*filter).clone()} oninput={on_filter} placeholder="Entity, id, or e.g. Pending approval → Taken automatically" /></label>
            <table class="actions compact changes">
                <thead><tr><th scope="col">{ "Entity" }</th><th scope="col">{ "Action" }</th><th scope="col">{ "Current → draft" }</th><th scope="col">{ "Why" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            if total > *shown {
                <button type="button" class="btn" onclick={more}>{ format!("Show {} more of {}", CHANGES_PAGE, format::count(total - *shown)) }</button>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ReasonsProps {
    state: StateHandle,
    /// The position of the evidence in `Dataset::evidence`.
    evidence: usize,
    /// Compared by identity: a draft's policy and decisions are made once per draft.
    draft_policy: Same<Rc<Policy>>,
    draft_decisions: Same<Rc<Vec<Decision>>>,
}

/// A changed action's reasons, current and draft, written out only when the analyst opens
/// them: a hundred rows of seven sentences each, on every edit of the draft, would cost more
/// than the preview itself.
#[component]
fn Reasons(props: &ReasonsProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            open.set(
                e.target_unchecked_into::<web_sys::HtmlDetailsElement>()
                    .open(),
            )
        })
    };
    let center = props.state.center();
    let data = center.data();
    let lists = (*open)
        .then(|| {
            let e = data.evidence.get(props.evidence)?;
            let before = center
                .decisions()
                .get(props.evidence)?
                .reasons(data, center.policy(), e);
            let after = props.draft_decisions.0.get(props.evidence)?.reasons(
                data,
                &props.draft_policy.0,
                e,
            );
            Some(html! {
                <div class="two">
                    <ol>{ for before.into_iter().map(|r| html! { <li>{ r }</li> }) }</ol>
                    <ol>{ for after.into_iter().map(|r| html! { <li>{ r }</li> }) }</ol>
                </div>
            })
        })
        .flatten();
    html! { <details {ontoggle}><summary>{ "Reasons" }</summary>{ lists }</details> }
}
