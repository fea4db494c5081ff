//! Incidents and investigations: a queue with a "Pending action" filter, and one
//! investigation's page with its alerts, evidence (each with its decision) and response
//! actions.

use crate::format;
use crate::route::Route;
use crate::screens::queue::window;
use crate::state::StateHandle;
use airview_engine::{InvestigationStatus, InvestigationView};
use std::rc::Rc;
use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ListProps {
    pub state: StateHandle,
    pub investigations: Rc<Vec<InvestigationView>>,
}

#[component]
pub fn InvestigationList(props: &ListProps) -> Html {
    let pending_only = use_state(|| false);
    let scroll = use_state(|| 0i32);
    let viewport = use_node_ref();
    let data = props.state.data();
    let rows: Vec<&InvestigationView> = props
        .investigations
        .iter()
        .filter(|i| !*pending_only || i.status == InvestigationStatus::PendingAction)
        .collect();
    let on_scroll = {
        let (scroll, viewport) = (scroll.clone(), viewport.clone());
        Callback::from(move |_: web_sys::Event| {
            if let Some(el) = viewport.cast::<HtmlElement>() {
                scroll.set(el.scroll_top());
            }
        })
    };
    // Only the rows in view are in the DOM, as in the action center.
    let (first, last, top_pad, bottom_pad) = window(*scroll, rows.len());
    let pending_count = props
        .investigations
        .iter()
        .filter(|i| i.status == InvestigationStatus::PendingAction)
        .count();
    let toggle = {
        let p = pending_only.clone();
        Callback::from(move |_: Event| p.set(!*p))
    };
    html! {
        <section class="investigations" aria-label="Incidents and investigations">
            <h1>{ "Incidents & investigations" }</h1>
            <div class="filters">
                <label class="inline"><input type="checkbox" checked={*pending_only} onchange={toggle} />{ format!("Pending action only ({pending_count})") }</label>
                <span class="shown">{ format!("{} shown", format::count(rows.len())) }</span>
            </div>
            <div class="viewport tall" ref={viewport} onscroll={on_scroll} tabindex="0" aria-label="Investigations">
                <table class="actions">
                    <thead><tr><th scope="col">{ "Investigation" }</th><th scope="col">{ "Incident" }</th><th scope="col">{ "Alert" }</th><th scope="col">{ "Status" }</th><th scope="col">{ "Actions" }</th><th scope="col">{ "Pending" }</th><th scope="col">{ "Created" }</th></tr></thead>
                    <tbody>
                        if top_pad > 0 { <tr class="pad" aria-hidden="true"><td colspan="7"><svg width="1" height={top_pad.to_string()}></svg></td></tr> }
                        { for rows.get(first..last).unwrap_or(&[]).iter().map(|inv| {
                            let alert = inv.alerts.first().and_then(|a| data.alert_by_id(a)).and_then(|i| data.alerts.get(i as usize));
                            html! {
                                <tr key={inv.id.clone()}>
                                    <td><a href={Route::Investigation(inv.id.clone()).href()}>{ inv.id.clone() }</a></td>
                                    <td>{ alert.and_then(|a| a.incident_id.clone()).unwrap_or_default() }</td>
                                    <td class="entity">{ alert.and_then(|a| a.title.clone()).unwrap_or_default() }</td>
                                    <td><span class={format!("inv inv-{}", inv.status.slug())}>{ inv.status.label() }</span></td>
                                    <td>{ inv.actions }</td>
                                    <td>{ inv.counts.pending }</td>
                                    <td class="time">{ format::time(alert.and_then(|a| a.created)) }</td>
                                </tr>
                            }
                        }) }
                        if bottom_pad > 0 { <tr class="pad" aria-hidden="true"><td colspan="7"><svg width="1" height={bottom_pad.to_string()}></svg></td></tr> }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct PageProps {
    pub state: StateHandle,
    pub id: String,
    pub investigations: Rc<Vec<InvestigationView>>,
}

#[component]
pub fn InvestigationPage(props: &PageProps) -> Html {
    let center = props.state.center();
    let data = center.data();
    let Some(inv) = props.investigations.iter().find(|i| i.id == props.id) else {
        return html! { <section><h1>{ "Investigation not found" }</h1><p>{ format!("No loaded alert belongs to the investigation `{}`.", props.id) }</p></section> };
    };
    let alerts: Vec<u32> = inv
        .alerts
        .iter()
        .filter_map(|a| data.alert_by_id(a))
        .collect();
    // The response actions are those of the investigation's evidence, found by alert.
    let actions: Vec<_> = alerts
        .iter()
        .flat_map(|a| center.evidence_of_alert(*a))
        .filter_map(|pos| center.row_view(center.evidence_row(*pos)?))
        .collect();
    html! {
        <section class="investigation" aria-label={format!("Investigation {}", inv.id)}>
            <p><a href={Route::Investigations.href()}>{ "← Incidents & investigations" }</a></p>
            <h1>{ format!("Investigation {}", inv.id) }</h1>
            <p><span class={format!("inv inv-{}", inv.status.slug())}>{ inv.status.label() }</span>{ if inv.complete { " · complete" } else { " · waiting for decisions" } }</p>
            { for alerts.iter().filter_map(|a| data.alerts.get(*a as usize).map(|alert| (*a, alert))).map(|(ai, alert)| html! {
                <div class="alert-block">
                    <h2>{ alert.title.clone().unwrap_or_else(|| alert.id.clone()) }</h2>
                    <p class="muted">{ format!("Alert {} · incident {} · {}", alert.id, alert.incident_id.clone().unwrap_or_else(|| "—".into()), format::time(alert.created)) }</p>
                    <table class="actions compact">
                        <thead><tr><th scope="col">{ "#" }</th><th scope="col">{ "Evidence" }</th><th scope="col">{ "Entity" }</th><th scope="col">{ "Verdict" }</th><th scope="col">{ "Outcome" }</th><th scope="col">{ "Reported status" }</th></tr></thead>
                        <tbody>
                            { for center.evidence_of_alert(ai).iter().filter_map(|p| Some((*p as usize, data.evidence.get(*p as usize)?))).map(|(i, e)| {
                                let decision = center.decisions().get(i);
                                let id = format!("{}/{}", alert.id, e.index);
                                let has_action = center.action(&id).is_some();
                                html! {
                                    <tr>
                                        <td>{ e.index }</td>
                                        <td>{ e.kind.label().to_owned() }</td>
                                        <td class="entity">{ if has_action { html! { <a href={Route::Action(id.clone()).href()}>{ data.entity(e).to_owned() }</a> } } else { html! { data.entity(e).to_owned() } } }</td>
                                        <td>{ e.verdict.to_string() }</td>
                                        <td>{ decision.map(|d| d.outcome.label()).unwrap_or("") }</td>
                                        <td>{ e.remediation_status.as_ref().map(|s| s.label().to_owned()).unwrap_or_default() }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            }) }
            <h2>{ format!("Response actions ({})", actions.len()) }</h2>
            <ul class="response-actions">
                { for actions.iter().map(|a| html! {
                    <li><a href={Route::Action(a.id.clone()).href()}>{ format!("{}: {}", a.action.label(), a.entity) }</a>{ " " }<span class={format!("status status-{}", a.status.slug())}>{ a.status.label() }</span></li>
                }) }
            </ul>
        </section>
    }
}
