//! What every screen shows above itself: the header (sections, what waits, whether the work is
//! saved, who acts), a load's progress, and the notices.

use crate::download;
use crate::format;
use crate::loading::{self, LoadingHandle};
use crate::route::Route;
use crate::state::{Msg, Notice, NoticeKind, StateHandle};
use airview_app::{Phase, SaveState};
use yew::prelude::*;

/// The header: the sections, with the pending count on the action center's.
pub fn header(state: &StateHandle, route: &Route) -> Html {
    let nav = [
        (
            Route::Pending,
            "Action center",
            matches!(route, Route::Pending | Route::History | Route::Action(_)),
        ),
        (
            Route::Investigations,
            "Incidents & investigations",
            matches!(route, Route::Investigations | Route::Investigation(_)),
        ),
        (Route::Policy, "Policy preview", *route == Route::Policy),
        (Route::Load, "Load exports", *route == Route::Load),
        (Route::Settings, "Settings", *route == Route::Settings),
    ];
    let save = state.save_state();
    let said = match save {
        SaveState::Saved => "Saved in this browser",
        SaveState::Saving => "Saving…",
        SaveState::Failed => "Not saved",
    };
    let roles = if state.actor.roles.is_empty() {
        "no roles".to_owned()
    } else {
        let names: Vec<&str> = state.actor.roles.iter().map(|r| r.name()).collect();
        names.join(", ")
    };
    html! {
        <header class="app-header">
            <span class="app-name">{ "airview" }</span>
            <nav aria-label="Sections">
                <ul>
                    { for nav.iter().map(|(r, label, current)| html! {
                        <li><a href={r.href()} aria-current={current.then_some("page")}>{ *label }
                            // What waits for approval, on every screen.
                            if *r == Route::Pending && state.ready {
                                <span class="count" title="Pending actions">{ format::count(state.rows.pending.len()) }</span>
                            }
                        </a></li>
                    }) }
                </ul>
            </nav>
            <span class={classes!("save", save.slug())} data-save-state={save.slug()} role="status">{ said }</span>
            <span class="who" title="Set in Settings">{ format!("{} · {roles}", state.actor.name) }</span>
        </header>
    }
}

/// The notices, each with a way to dismiss it and, when something could not be kept, to
/// export it.
pub fn notices(state: &StateHandle) -> Html {
    let notices = state.notices.iter().enumerate().map(|(i, n)| {
        let dismiss = {
            let state = state.clone();
            Callback::from(move |_: MouseEvent| state.dispatch(Msg::Dismiss(i)))
        };
        let rescue = n.rescue.clone().map(|(name, content)| {
            let state = state.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                if let Err(e) = download::save(&name, "application/octet-stream", &content) {
                    state.dispatch(Msg::Notify(Notice::error(format!("cannot save: {e}"))));
                }
            });
            html! { <button type="button" class="btn small" {onclick}>{ "Export it" }</button> }
        });
        let error = n.kind == NoticeKind::Error;
        html! {
            <div class={if error { "notice error" } else { "notice info" }} role={if error { "alert" } else { "status" }}>
                <span>{ n.text.clone() }</span>{ rescue }
                <button type="button" class="dismiss" aria-label="Dismiss" onclick={dismiss}>{ "×" }</button>
            </div>
        }
    });
    html! { <div class="notices" aria-live="polite">{ for notices }</div> }
}

/// The load under way, on every screen: what it reads, how far it got, and a way to stop it.
pub fn progress_bar(loading: &LoadingHandle) -> Html {
    let Some(p) = &**loading else {
        return html! {};
    };
    // Whole numbers only: formatting a float costs the app 12 KB of WebAssembly.
    let permille = (p.fraction() * 1000.0).clamp(0.0, 1000.0) as u32;
    let mb = |b: u64| format!("{} MB", (b + 500_000) / 1_000_000);
    let file = if p.count > 1 {
        format!("`{}` ({} of {})", p.file, p.index + 1, p.count)
    } else {
        format!("`{}`", p.file)
    };
    let text = match p.phase {
        Phase::Starting => "Starting the loading worker…".to_owned(),
        Phase::Reading => format!("Reading {file}: {} of {}", mb(p.bytes), mb(p.total)),
        Phase::Parsing => format!(
            "Importing {file}: {} of {} · {} evidence items",
            mb(p.bytes),
            mb(p.total),
            format::count(p.evidence)
        ),
        Phase::Preparing { done, total } => format!(
            "Preparing the action center: {}%",
            done * 100 / total.max(1)
        ),
    };
    let cancel = {
        let loading = loading.clone();
        Callback::from(move |_: MouseEvent| loading::cancel(&loading))
    };
    html! {
        <div class="loading" role="status" aria-label="Loading exports">
            <progress max="1000" value={permille.to_string()} aria-label="Loaded so far"></progress>
            <span class="loading-text">{ text }</span>
            <button type="button" class="btn small" onclick={cancel}>{ "Cancel" }</button>
        </div>
    }
}
