//! What the state does to the world: it is saved on every change (the core says what to
//! write, `loading::storage` writes it), and its clock follows the browser's.

use super::{now, Blob, Msg, Notice, StateHandle};
use crate::loading::storage;
use airview_app::stored::{Entries, SaveError, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// The core's values as IndexedDB keeps them: text, `[name, Blob]` pairs, a Blob or null.
pub fn js_entries(entries: Entries<'_, Blob>) -> Vec<(&'static str, JsValue)> {
    entries
        .into_iter()
        .map(|(key, value)| {
            let value = match value {
                Value::Text(text) => JsValue::from_str(&text),
                Value::Exports(exports) => {
                    let list = js_sys::Array::new();
                    for e in exports {
                        list.push(&js_sys::Array::of2(&JsValue::from_str(&e.name), &e.blob));
                    }
                    list.into()
                }
                Value::Handle(blob) => blob.map_or(JsValue::NULL, JsValue::from),
            };
            (key, value)
        })
        .collect()
}

/// Writes `entries` in one transaction and tells the state how it went. When they could not
/// be made, or not written, the analyst is told and offered the journal (their work) for
/// export; nothing is written in place of a value that could not be made.
fn persist(state: StateHandle, entries: Result<Entries<'_, Blob>, SaveError>) {
    let journal_rev = state.journal_rev;
    let failed = move |state: &StateHandle, text: String| {
        let notice =
            Notice::error(text).rescuing("airview-journal.jsonl", state.session.journal_text());
        state.dispatch(Msg::Notify(notice));
        state.dispatch(Msg::Saved {
            journal_rev,
            ok: false,
        });
    };
    let entries = match entries {
        Ok(entries) => js_entries(entries),
        Err(e) => return failed(&state, e.to_string()),
    };
    let saved = move |state: &StateHandle| {
        state.dispatch(Msg::Saved {
            journal_rev,
            ok: true,
        })
    };
    // Nothing to write (stored exports are kept as they are): storage is not opened.
    if entries.is_empty() {
        return saved(&state);
    }
    spawn_local(async move {
        match storage::put_all(&entries).await {
            Ok(()) => saved(&state),
            Err(e) => failed(&state, e.to_string()),
        }
    });
}

/// Saves the state whenever the exports, the journal or the identity change.
#[hook]
pub fn use_saving(state: &StateHandle) {
    {
        let s = state.clone();
        use_effect_with(state.exports_rev, move |_| {
            if s.ready {
                persist(s.clone(), s.save_all());
            }
        });
    }
    {
        let s = state.clone();
        use_effect_with(state.journal_rev, move |_| {
            if s.ready {
                persist(s.clone(), Ok(s.save_journal()));
            }
        });
    }
    {
        let s = state.clone();
        use_effect_with(state.identity_rev, move |_| {
            if s.ready {
                persist(s.clone(), s.save_identity());
            }
        });
    }
}

/// The clock: time-outs happen as time passes, so the session's time follows it, a minute at
/// a time.
#[hook]
pub fn use_clock(state: &StateHandle) {
    let state = state.clone();
    use_effect_with((), move |_| {
        let tick = Closure::<dyn Fn()>::new(move || state.dispatch(Msg::Tick { now: now() }));
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
