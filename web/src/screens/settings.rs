//! The analyst's identity and the exports of what airview holds.
//!
//! Roles are simulated locally: they preview who could do what; they protect nothing.

use crate::download;
use crate::loading::{self, LoadingHandle};
use crate::state::{now, AppState, Msg, Notice, StateHandle};
use airview_engine::{history_csv, history_json, Actor, Role};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub state: StateHandle,
    pub loading: LoadingHandle,
}

#[component]
pub fn Settings(props: &SettingsProps) -> Html {
    let state = &props.state;
    let name = use_state(|| state.actor.name.clone());
    let roles = use_state(|| state.actor.roles.clone());
    let save = {
        let state = state.clone();
        let name = name.clone();
        let roles = roles.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let chosen: Vec<Role> = Role::ALL
                .into_iter()
                .filter(|r| roles.contains(r))
                .collect();
            let who = if name.trim().is_empty() {
                "Analyst"
            } else {
                name.trim()
            };
            state.dispatch(Msg::SetActor(Actor::new(who, &chosen)));
            state.dispatch(Msg::Notify(Notice::info(format!(
                "acting as {who} ({})",
                if chosen.is_empty() {
                    "no roles".to_owned()
                } else {
                    chosen
                        .iter()
                        .map(|r| r.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ))));
        })
    };
    // An export that cannot be made is said so, never saved as an empty file.
    let export =
        |name: &'static str, mime: &'static str, make: fn(&AppState) -> Result<String, String>| {
            let state = state.clone();
            Callback::from(move |_: MouseEvent| {
                let saved = make(&state).and_then(|text| download::save(name, mime, &text));
                if let Err(e) = saved {
                    state.dispatch(Msg::Notify(Notice::error(format!(
                        "cannot save `{name}`: {e}"
                    ))));
                }
            })
        };
    let start_over = {
        let (state, loading) = (state.clone(), props.loading.clone());
        Callback::from(move |_: MouseEvent| {
            // A load under way would otherwise land on the sample when it ends.
            loading::cancel(&loading);
            state.dispatch(Msg::StartOver { now: now() })
        })
    };
    html! {
        <section class="settings" aria-label="Settings">
            <h1>{ "Settings" }</h1>
            <form class="identity" onsubmit={save} aria-label="Current analyst">
                <h2>{ "Current analyst" }</h2>
                <p class="muted">{ "Roles are simulated here: they preview who could do what. They protect nothing." }</p>
                <label>{ "Name" }<input type="text" value={(*name).clone()} oninput={{ let n = name.clone(); Callback::from(move |e: InputEvent| n.set(e.target_unchecked_into::<HtmlInputElement>().value())) }} /></label>
                <fieldset>
                    <legend>{ "Roles" }</legend>
                    { for Role::ALL.into_iter().map(|role| {
                        let checked = roles.contains(&role);
                        let roles = roles.clone();
                        let onchange = Callback::from(move |_: Event| {
                            let mut r = (*roles).clone();
                            if let Some(i) = r.iter().position(|x| *x == role) { r.remove(i); } else { r.push(role); }
                            roles.set(r);
                        });
                        html! { <label class="inline"><input type="checkbox" {checked} {onchange} />{ role.name() }</label> }
                    }) }
                </fieldset>
                <button type="submit" class="btn primary">{ "Save identity" }</button>
                <p>{ format!("Now acting as {} with {}.", state.actor.name, if state.actor.roles.is_empty() { "no roles".to_owned() } else { state.actor.roles.iter().map(|r| r.name()).collect::<Vec<_>>().join(", ") }) }</p>
            </form>
            <section aria-label="Export">
                <h2>{ "Export" }</h2>
                <div class="acts">
                    <button type="button" class="btn" onclick={export("airview-history.csv", "text/csv", |s| Ok(history_csv(&s.center().history())))}>{ "History as CSV" }</button>
                    <button type="button" class="btn" onclick={export("airview-history.json", "application/json", |s| history_json(&s.center().history()).map_err(|e| e.to_string()))}>{ "History as JSON" }</button>
                    <button type="button" class="btn" onclick={export("airview-journal.jsonl", "application/jsonl", |s| Ok(s.session.journal_text().to_owned()))}>{ "Journal (JSON Lines)" }</button>
                    <button type="button" class="btn" onclick={export("airview-policy.json", "application/json", |s| s.policy().to_json().map_err(|e| e.to_string()))}>{ "Current policy" }</button>
                    <button type="button" class="btn primary" onclick={export("airview-session.airview.json", "application/json", |s| {
                        // Everything in one versioned file (docs/airview-file.md): the data, the
                        // base policy and the journal that leads from it to now.
                        airview_import::airview::export(s.data(), Some(&s.base_policy().to_file()), s.session.journal_text()).map_err(|e| e.to_string())
                    })}>{ "Everything (airview file)" }</button>
                </div>
            </section>
            <section aria-label="Start over">
                <h2>{ "Start over" }</h2>
                <p class="muted">{ "Forget the loaded files and the journal, and show the sample again. Export first what you want to keep." }</p>
                <button type="button" class="btn danger" onclick={start_over}>{ "Start over with the sample" }</button>
            </section>
        </section>
    }
}
