//! The app: the reducer, start-up from storage (or the sample), saving, the header and the
//! screens by route.

use crate::flyout::Flyout;
use crate::investigations::{InvestigationList, InvestigationPage};
use crate::loader::Loader;
use crate::loading::{self, Basis, LoadingHandle, Phase};
use crate::policy_page::PolicyPage;
use crate::queue::{Queue, Tab};
use crate::route::{use_route, Route};
use crate::settings::Settings;
use crate::state::{AppState, Export, Msg, Notice, NoticeKind, Stored};
use crate::{download, format, storage};
use airview_engine::{Actor, Policy};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// The stored exports: a list of `[name, Blob]`, or the text of an older airview, which kept
/// `[[name, text], ...]` as JSON.
fn stored_exports(value: JsValue, notices: &mut Vec<Notice>) -> (Vec<Export>, bool) {
    if let Some(text) = value.as_string() {
        return match serde_json::from_str::<Vec<(String, String)>>(&text) {
            Ok(list) => (
                list.into_iter()
                    .filter_map(|(name, text)| {
                        let parts = js_sys::Array::of1(&JsValue::from_str(&text));
                        let blob = web_sys::Blob::new_with_str_sequence(&parts).ok()?;
                        Some(Export { name, blob })
                    })
                    .collect(),
                true,
            ),
            Err(e) => {
                notices.push(Notice {
                    kind: NoticeKind::Error,
                    text: format!("the stored exports are corrupted ({e}); airview starts from the sample — the stored content is offered for export"),
                    rescue: Some(("airview-stored-exports.json".to_owned(), text)),
                });
                (Vec::new(), false)
            }
        };
    }
    let list: js_sys::Array = value.dyn_into().unwrap_or_default();
    let exports = list
        .iter()
        .filter_map(|pair| {
            let name = js_sys::Reflect::get(&pair, &0.into()).ok()?.as_string()?;
            let blob = js_sys::Reflect::get(&pair, &1.into())
                .ok()?
                .dyn_into::<web_sys::Blob>()
                .ok()?;
            Some(Export { name, blob })
        })
        .collect();
    (exports, false)
}

/// Reads what storage holds, then starts from it: the stored dataset (or the stored exports,
/// read again), or the sample when nothing is stored. A store that cannot be read is
/// reported and nothing stored is deleted; unreadable content is offered for export.
async fn read_stored(state: UseReducerHandle<AppState>, loading: LoadingHandle) {
    let mut stored = Stored::default();
    let mut notices = Vec::new();
    let mut older_format = false;
    match storage::get_value("exports").await {
        Err(e) => notices.push(Notice::error(e.to_string())),
        Ok(value) => (stored.exports, older_format) = stored_exports(value, &mut notices),
    }
    stored.files = storage::get("files")
        .await
        .ok()
        .flatten()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    stored.snapshot = storage::get_value("snapshot")
        .await
        .ok()
        .and_then(|v| v.dyn_into().ok());
    stored.base_policy = storage::get("policy").await.ok().flatten();
    stored.journal = storage::get("journal").await.ok().flatten();
    stored.identity = storage::get("identity").await.ok().flatten();
    stored.sample_shift = storage::get("sample_shift")
        .await
        .ok()
        .flatten()
        .and_then(|s| s.parse().ok());
    for n in notices {
        state.dispatch(Msg::Notify(n));
    }
    if stored.exports.is_empty() {
        state.dispatch(Msg::Boot(stored));
        return;
    }
    if let Some(actor) = stored
        .identity
        .as_deref()
        .and_then(|t| serde_json::from_str::<Actor>(t).ok())
    {
        state.dispatch(Msg::Identity(actor));
    }
    let policy = stored
        .base_policy
        .as_deref()
        .and_then(|p| Policy::parse_json(p).ok())
        .map(|(p, _)| p)
        .unwrap_or_default();
    // The snapshot is used only with the list of files it was made from.
    let snapshot = stored
        .snapshot
        .filter(|_| !older_format && stored.files.len() == stored.exports.len());
    let basis = Basis {
        policy: Rc::new(policy),
        journal_text: Rc::new(stored.journal.unwrap_or_default()),
        journal_rev: state.journal_rev,
        files: Rc::new(stored.files),
        exports: Rc::new(stored.exports),
        replacing_sample: false,
        boot: true,
    };
    loading::resume(state, loading, snapshot, basis);
}

fn persist(state: UseReducerHandle<AppState>, entries: Vec<(&'static str, JsValue)>) {
    let journal_rev = state.journal_rev;
    spawn_local(async move {
        match storage::put_all(&entries).await {
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
    let loading: LoadingHandle = use_state(|| None);
    let route = use_route();
    {
        let (state, loading) = (state.clone(), loading.clone());
        use_effect_with((), move |_| spawn_local(read_stored(state, loading)));
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
                let text = |t: String| JsValue::from_str(&t);
                let mut entries = vec![
                    (
                        "policy",
                        text(
                            serde_json::to_string_pretty(&s.base_policy.to_file())
                                .unwrap_or_default(),
                        ),
                    ),
                    (
                        "sample_shift",
                        text(s.sample_shift.map(|v| v.to_string()).unwrap_or_default()),
                    ),
                    ("journal", text((*s.journal_text).clone())),
                ];
                // The sample is made at start-up, not stored: showing it stores no exports.
                // When it is shown because the stored exports could not be read again, those
                // stay stored until the analyst loads files or starts over.
                if !s.keep_stored {
                    let list = js_sys::Array::new();
                    for e in s.exports.iter() {
                        list.push(&js_sys::Array::of2(&JsValue::from_str(&e.name), &e.blob));
                    }
                    entries.push(("exports", list.into()));
                    entries.push((
                        "files",
                        text(serde_json::to_string(&*s.files).unwrap_or_default()),
                    ));
                    entries.push((
                        "snapshot",
                        s.snapshot.clone().map_or(JsValue::NULL, JsValue::from),
                    ));
                }
                persist(s.clone(), entries);
            }
        });
    }
    {
        let s = state.clone();
        use_effect_with(state.journal_rev, move |_| {
            if s.ready {
                persist(
                    s.clone(),
                    vec![("journal", JsValue::from_str(&s.journal_text))],
                );
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
                        JsValue::from_str(&serde_json::to_string(&s.actor).unwrap_or_default()),
                    )],
                );
            }
        });
    }

    // The investigations are listed only for their screens: at a million evidence items the
    // list is worth not building while the analyst is elsewhere.
    let wants_investigations = matches!(route, Route::Investigations | Route::Investigation(_));
    let investigations = {
        let center = state.center.clone();
        // The rows change whenever a status can have changed (an act, a load, a time-out), so
        // they mark when the list is out of date; the clock's tick alone does not.
        let rows = crate::same::Same(state.rows.clone());
        use_memo((rows, wants_investigations), move |(_, wanted)| {
            Rc::new(if *wanted {
                center.investigations()
            } else {
                Vec::new()
            })
        })
    };
    let investigations: Rc<Vec<airview_engine::InvestigationView>> = (*investigations).clone();
    let rows = state.rows.clone();

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
    let queue = |tab: Tab| html! { <Queue key={format!("{tab:?}")} state={state.clone()} {tab} rows={rows.clone()} /> };
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
            html! { <InvestigationPage state={state.clone()} id={id.clone()} investigations={investigations.clone()} /> }
        }
        Route::Policy => {
            html! { <PolicyPage key={crate::policy_page::policy_key(&state)} state={state.clone()} /> }
        }
        Route::Load => html! { <Loader state={state.clone()} loading={loading.clone()} /> },
        Route::Settings => html! { <Settings state={state.clone()} loading={loading.clone()} /> },
    };
    let data = state.data();
    html! {
        <>
            <header class="app-header">
                <span class="app-name">{ "airview" }</span>
                <nav aria-label="Sections">
                    <ul>
                        { for nav.iter().map(|(r, label, current)| html! {
                            <li><a href={r.href()} aria-current={current.then_some("page")}>{ *label }
                                // What waits for approval, on every screen.
                                if *r == Route::Pending && state.ready {
                                    <span class="count" title="Pending actions">{ format::count(rows.pending.len()) }</span>
                                }
                            </a></li>
                        }) }
                    </ul>
                </nav>
                <span class={classes!("save", state.save_state())} data-save-state={state.save_state()} role="status">{ match state.save_state() { "saved" => "Saved in this browser", "saving" => "Saving…", _ => "Not saved" } }</span>
                <span class="who" title="Set in Settings">{ format!("{} · {}", state.actor.name, if state.actor.roles.is_empty() { "no roles".to_owned() } else { state.actor.roles.iter().map(|r| r.name()).collect::<Vec<_>>().join(", ") }) }</span>
            </header>
            { progress_bar(&loading) }
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

/// The load under way, on every screen: what it reads, how far it got, and a way to stop it.
fn progress_bar(loading: &LoadingHandle) -> Html {
    let Some(p) = &**loading else {
        return html! {};
    };
    // Whole numbers only: formatting a float costs the app 12 KB of WebAssembly.
    let permille = (p.fraction() * 1000.0).clamp(0.0, 1000.0) as u32;
    let mb = |b: f64| format!("{} MB", (b / 1e6).round() as u64);
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
