//! The flyout for one action: its details, why it has its outcome, the journal entries about
//! it, its investigation, and the acts the current analyst may take on it.

use crate::format;
use crate::route::Route;
use crate::state::{act, StateHandle};
use airview_engine::ActionType;
use airview_engine::{Disposition, Event as CenterEvent, Status};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FlyoutProps {
    pub state: StateHandle,
    pub id: String,
    /// Where "Close" goes back to.
    pub back: Route,
}

#[component]
pub fn Flyout(props: &FlyoutProps) -> Html {
    let comment = use_state(String::new);
    let state = &props.state;
    let center = state.center();
    let Some(action) = center.action(&props.id) else {
        return html! {
            <aside class="flyout" role="dialog" aria-label="Action details">
                <a class="close" href={props.back.href()}>{ "Close" }</a>
                <h2>{ "Action not found" }</h2>
                <p>{ format!("No loaded action has the id `{}`.", props.id) }</p>
            </aside>
        };
    };
    let data = center.data();
    let evidence = center
        .evidence_position(&props.id)
        .and_then(|i| Some((i, data.evidence.get(i)?)));
    let reasons: Vec<String> = evidence
        .and_then(|(i, e)| Some(center.decisions().get(i)?.reasons(data, center.policy(), e)))
        .unwrap_or_default();
    let why_title = match action.status {
        Status::Pending => "Why is this pending",
        _ => "Why this outcome",
    };
    let id = props.id.clone();
    let entries: Vec<Html> = state
        .session
        .journal()
        .entries
        .iter()
        .filter(|entry| match &entry.event {
            CenterEvent::Approve { ids }
            | CenterEvent::Reject { ids }
            | CenterEvent::Undo { ids, .. }
            | CenterEvent::ChangeDisposition { ids, .. } => ids.contains(&id),
            _ => false,
        })
        .map(|entry| {
            let what = match &entry.event {
                CenterEvent::Approve { .. } => "approved",
                CenterEvent::Reject { .. } => "rejected",
                CenterEvent::Undo {
                    all_instances: true,
                    ..
                } => "undone on all instances",
                CenterEvent::Undo { .. } => "undone",
                CenterEvent::ChangeDisposition { disposition, .. } => disposition.label(),
                _ => "",
            };
            html! {
                <li>
                    <span class="time">{ format::time(Some(entry.at)) }</span>{ " " }
                    <strong>{ entry.actor.name.clone() }</strong>{ format!(" {what}") }
                    { entry.comment.as_ref().map(|c| html! { <q>{ c.clone() }</q> }) }
                </li>
            }
        })
        .collect();

    let act = |make: Box<dyn Fn() -> CenterEvent>| {
        let state = state.clone();
        let comment = comment.clone();
        Callback::from(move |_: MouseEvent| {
            let text = comment.trim().to_owned();
            act(&state, make(), (!text.is_empty()).then_some(text));
            comment.set(String::new());
        })
    };
    let ids = vec![props.id.clone()];
    let more = if action.action == ActionType::QuarantineFile && action.status == Status::Completed
    {
        center.more_instances(&props.id)
    } else {
        Vec::new()
    };
    let button = |label: String, event: CenterEvent, class: &'static str| {
        let allowed = state.check(event.clone());
        let why = allowed.clone().err();
        let onclick = act(Box::new(move || event.clone()));
        html! {
            <>
                <button type="button" class={classes!("btn", class)} disabled={why.is_some()} {onclick}>{ label }</button>
                { why.map(|w| html! { <p class="reason">{ w }</p> }) }
            </>
        }
    };
    let buttons = match action.status {
        Status::Pending => html! {
            <>
                { button("Approve".to_owned(), CenterEvent::Approve { ids: ids.clone() }, "primary") }
                { button("Reject".to_owned(), CenterEvent::Reject { ids: ids.clone() }, "") }
            </>
        },
        Status::Completed => html! {
            <>
                if action.action.is_undoable() {
                    { button("Undo".to_owned(), CenterEvent::Undo { ids: ids.clone(), all_instances: false }, "") }
                } else {
                    <p class="reason">{ format!("{} cannot be undone", action.action.label()) }</p>
                }
                if !more.is_empty() {
                    { button(format!("Apply to {} more instances of this file", more.len()), CenterEvent::Undo { ids: ids.clone(), all_instances: true }, "") }
                }
                if action.action.is_email_disposition() {
                    <div class="dispositions" role="group" aria-label="Change the email's disposition">
                        { for Disposition::ALL.iter().map(|d| button(d.label().to_owned(), CenterEvent::ChangeDisposition { ids: ids.clone(), disposition: *d }, "small")) }
                    </div>
                }
            </>
        },
        _ => html! {},
    };
    let field = |label: &str, value: String| html! { <><dt>{ label.to_owned() }</dt><dd>{ if value.is_empty() { "—".to_owned() } else { value } }</dd></> };
    let file_path = evidence
        .and_then(|(_, e)| data.file_path(e))
        .unwrap_or_default();
    let sha = evidence
        .and_then(|(_, e)| data.opt_text(e.sha256))
        .unwrap_or_default()
        .to_owned();
    html! {
        <aside class="flyout" role="dialog" aria-label={format!("{}: {}", action.action.label(), action.entity)}>
            <a class="close" href={props.back.href()}>{ "Close" }</a>
            <h2>{ action.action.label() }</h2>
            <p class="subtitle">{ action.entity.clone() }</p>
            <p><span class={format!("status status-{}", action.status.slug())}>{ action.status.label() }</span></p>
            <dl class="details">
                { field("Action id", action.id.clone()) }
                { field("Entity", action.entity.clone()) }
                { field("Device or mailbox", action.device.clone().unwrap_or_default()) }
                { field("Device group", action.device_group.clone().unwrap_or_default()) }
                { field("File path", file_path) }
                { field("SHA-256", sha) }
                { field("Action source", action.source.label().to_owned()) }
                { field("Pending since", format::time(action.pending_since)) }
                { field("Expires", format::time(action.expires_at)) }
                { field("Decided by", action.decided_by.clone().unwrap_or_default()) }
                { field("Decided at", format::time(action.decided_at)) }
                { field("Comment", action.comment.clone().unwrap_or_default()) }
                { field("Reported status (export)", action.reported_status.clone().unwrap_or_default()) }
                { field("Duplicate of", action.duplicate_of.clone().unwrap_or_default()) }
            </dl>
            { action.investigation.as_ref().map(|inv| html! { <p>{ "Investigation: " }<a href={Route::Investigation(inv.clone()).href()}>{ inv.clone() }</a></p> }) }
            if !reasons.is_empty() {
                <section aria-label={why_title}>
                    <h3>{ why_title }</h3>
                    <ol class="reasons">{ for reasons.iter().map(|r| html! { <li>{ r.clone() }</li> }) }</ol>
                </section>
            }
            <section aria-label="Act on this action">
                <label class="comment">{ "Comment" }<input type="text" value={(*comment).clone()} oninput={{ let c = comment.clone(); Callback::from(move |e: InputEvent| c.set(e.target_unchecked_into::<HtmlInputElement>().value())) }} placeholder="Why (kept in the journal)" /></label>
                <div class="acts">{ buttons }</div>
            </section>
            <section aria-label="Journal">
                <h3>{ "Journal" }</h3>
                if entries.is_empty() { <p class="muted">{ "No one has acted on this action in airview." }</p> } else { <ul class="journal">{ for entries }</ul> }
            </section>
        </aside>
    }
}
