//! The app: the reducer, start-up from storage (or the sample), saving, the header and the
//! screens by route.

use crate::flyout::Flyout;
use crate::investigations::{InvestigationList, InvestigationPage};
use crate::loader::Loader;
use crate::policy_page::PolicyPage;
use crate::queue::{Queue, Tab};
use crate::route::{use_route, Route};
use crate::settings::Settings;
use crate::state::{AppState, Msg, Notice, NoticeKind, Stored};
use crate::{download, format, storage};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// Reads what storage holds. A store that cannot be read is reported and the app starts from
/// the sample; nothing stored is deleted, and unreadable content is offered for export.
async fn read_stored(state: UseReducerHandle<AppState>) {
    let mut stored = Stored::default();
    let exports = storage::get("exports").await;
    match exports {
        Err(e) => state.dispatch(Msg::Notify(Notice::error(e.to_string()))),
        Ok(None) => {}
        Ok(Some(text)) => match serde_json::from_str::<Vec<(String, String)>>(&text) {
            Ok(list) => stored.exports = list,
            Err(e) => state.dispatch(Msg::Notify(Notice {
                kind: NoticeKind::Error,
                text: format!("the stored exports are corrupted ({e}); airview starts from the sample — the stored content is offered for export"),
                rescue: Some(("airview-stored-exports.json".to_owned(), text)),
            })),
        },
    }
    stored.base_policy = storage::get("policy").await.ok().flatten();
    stored.journal = storage::get("journal").await.ok().flatten();
    stored.identity = storage::get("identity").await.ok().flatten();
    stored.sample_shift = storage::get("sample_shift")
        .await
        .ok()
        .flatten()
        .and_then(|s| s.parse().ok());
    state.dispatch(Msg::Boot(stored));
}

fn persist(state: UseReducerHandle<AppState>, entries: Vec<(&'static str, String)>) {
    let journal_rev = state.journal_rev;
    spawn_local(async move {
        let pairs: Vec<(&str, &str)> = entries.iter().map(|(k, v)| (*k, v.as_str())).collect();
        match storage::put_all(&pairs).await {
            Ok(()) => state.dispatch(Msg::Saved {
                journal_rev,
                ok: true,
            }),
            Err(e) => {
                let mut notice = Notice::error(e.to_string());
                notice.rescue = Some((
                    "airview-journal.jsonl".to_owned(),
                    (*state.journal_text).clone(),
                ));
                state.dispatch(Msg::Notify(notice));
                state.dispatch(Msg::Saved {
                    journal_rev,
                    ok: false,
                });
            }
        }
    });
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let route = use_route();
    {
        let state = state.clone();
        use_effect_with((), move |_| spawn_local(read_stored(state)));
    }
    {
        // The clock: time-outs happen as time passes, so the center's "now" follows it.
        let state = state.clone();
        use_effect_with((), move |_| {
            let tick = Closure::<dyn Fn()>::new(move || state.dispatch(Msg::Tick));
            let window = web_sys::window();
            let id = window.as_ref().and_then(|w| {
                w.set_interval_with_callback_and_timeout_and_arguments_0(
                    tick.as_ref().unchecked_ref(),
                    60_000,
                )
                .ok()
            });
            move || {
                if let (Some(w), Some(id)) = (window, id) {
                    w.clear_interval_with_handle(id);
                }
                drop(tick);
            }
        });
    }
    {
        let s = state.clone();
        use_effect_with(state.exports_rev, move |_| {
            if s.ready {
                let exports = if s.sample_shift.is_some() {
                    "[]".to_owned()
                } else {
                    serde_json::to_string(&*s.exports).unwrap_or_default()
                };
                persist(
                    s.clone(),
                    vec![
                        ("exports", exports),
                        (
                            "policy",
                            serde_json::to_string_pretty(&s.base_policy.to_file())
                                .unwrap_or_default(),
                        ),
                        (
                            "sample_shift",
                            s.sample_shift.map(|v| v.to_string()).unwrap_or_default(),
                        ),
                        ("journal", (*s.journal_text).clone()),
                    ],
                );
            }
        });
    }
    {
        let s = state.clone();
        use_effect_with(state.journal_rev, move |_| {
            if s.ready {
                persist(s.clone(), vec![("journal", (*s.journal_text).clone())]);
            }
        });
    }
    {
        let s = state.clone();
        use_effect_with(state.identity_rev, move |_| {
            if s.ready {
                persist(
                    s.clone(),
                    vec![(
                        "identity",
                        serde_json::to_string(&s.actor).unwrap_or_default(),
                    )],
                );
            }
        });
    }

    // The center's views, rebuilt only when the center changes.
    let views = {
        let center = state.center.clone();
        use_memo(
            (state.journal_rev, state.exports_rev, state.center.now().0),
            move |_| {
                let pending = Rc::new(center.pending());
                let history = Rc::new(center.history());
                let investigations = Rc::new(center.investigations());
                (pending, history, investigations)
            },
        )
    };
    let (pending, history, investigations) = (*views).clone();

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
        (Route::Policy, "Policy preview", route == Route::Policy),
        (Route::Load, "Load exports", route == Route::Load),
        (Route::Settings, "Settings", route == Route::Settings),
    ];
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
        let class = if n.kind == NoticeKind::Error { "notice error" } else { "notice info" };
        html! {
            <div class={class} role={if n.kind == NoticeKind::Error { "alert" } else { "status" }}>
                <span>{ n.text.clone() }</span>{ rescue }
                <button type="button" class="dismiss" aria-label="Dismiss" onclick={dismiss}>{ "×" }</button>
            </div>
        }
    });
    // Keyed by tab: each tab is a fresh component, so it starts with nothing selected and at
    // the top, without an effect racing the first click.
    let queue = |tab: Tab| html! { <Queue key={format!("{tab:?}")} state={state.clone()} {tab} pending={pending.clone()} history={history.clone()} /> };
    let main = match &route {
        Route::Pending => queue(Tab::Pending),
        Route::History => queue(Tab::History),
        Route::Action(id) => {
            let back = match state.center.status(id) {
                Some(airview_engine::center::Status::Pending) => Route::Pending,
                _ => Route::History,
            };
            let tab = if back == Route::Pending {
                Tab::Pending
            } else {
                Tab::History
            };
            html! { <>{ queue(tab) }<Flyout state={state.clone()} id={id.clone()} {back} /></> }
        }
        Route::Investigations => {
            html! { <InvestigationList state={state.clone()} investigations={investigations.clone()} /> }
        }
        Route::Investigation(id) => {
            html! { <InvestigationPage state={state.clone()} id={id.clone()} investigations={investigations.clone()} pending={pending.clone()} history={history.clone()} /> }
        }
        Route::Policy => {
            html! { <PolicyPage key={crate::policy_page::policy_key(&state)} state={state.clone()} /> }
        }
        Route::Load => html! { <Loader state={state.clone()} /> },
        Route::Settings => html! { <Settings state={state.clone()} /> },
    };
    let data = state.data();
    html! {
        <>
            <header class="app-header">
                <span class="app-name">{ "airview" }</span>
                <nav aria-label="Sections">
                    <ul>
                        { for nav.iter().map(|(r, label, current)| html! {
                            <li><a href={r.href()} aria-current={current.then_some("page")}>{ *label }</a></li>
                        }) }
                    </ul>
                </nav>
                <span class={classes!("save", state.save_state())} data-save-state={state.save_state()} role="status">{ match state.save_state() { "saved" => "Saved in this browser", "saving" => "Saving…", _ => "Not saved" } }</span>
                <span class="who" title="Set in Settings">{ format!("{} · {}", state.actor.name, if state.actor.roles.is_empty() { "no roles".to_owned() } else { state.actor.roles.iter().map(|r| r.name()).collect::<Vec<_>>().join(", ") }) }</span>
            </header>
            <div class="notices" aria-live="polite">{ for notices }</div>
            <main>
                if !state.ready {
                    <p class="muted">{ "Loading…" }</p>
                } else {
                    <p class="dataset-line muted">{ format!("{} alerts · {} evidence items · {} files{} · policy: {}", format::count(data.alerts.len()), format::count(data.evidence.len()), state.files.len(), if state.sample_shift.is_some() { " (sample)" } else { "" }, state.center.policy().default_level.name()) }</p>
                    { main }
                }
            </main>
        </>
    }
}
