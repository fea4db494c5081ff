//! Deep links: the location's hash names the screen, so a tab, an investigation and an action
//! each have an address that can be bookmarked, shared and reloaded. A hash router needs no
//! server support, which matters for a page served from anywhere, even a file share.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Pending,
    History,
    /// An action's flyout, over the tab its status belongs to.
    Action(String),
    Investigations,
    Investigation(String),
    Policy,
    Load,
    Settings,
}

/// Ids contain `/` and any character an export put in an alert id; they are percent-encoded
/// in the hash so that every id round-trips.
fn encode(id: &str) -> String {
    String::from(js_sys::encode_uri_component(id))
}

fn decode(text: &str) -> String {
    js_sys::decode_uri_component(text)
        .map(String::from)
        .unwrap_or_else(|_| text.to_owned())
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let (head, rest) = path.split_once('/').unwrap_or((path, ""));
        match head {
            "history" => Route::History,
            "action" if !rest.is_empty() => Route::Action(decode(rest)),
            "investigations" => Route::Investigations,
            "investigation" if !rest.is_empty() => Route::Investigation(decode(rest)),
            "policy" => Route::Policy,
            "load" => Route::Load,
            "settings" => Route::Settings,
            _ => Route::Pending,
        }
    }

    pub fn href(&self) -> String {
        match self {
            Route::Pending => "#/pending".to_owned(),
            Route::History => "#/history".to_owned(),
            Route::Action(id) => format!("#/action/{}", encode(id)),
            Route::Investigations => "#/investigations".to_owned(),
            Route::Investigation(id) => format!("#/investigation/{}", encode(id)),
            Route::Policy => "#/policy".to_owned(),
            Route::Load => "#/load".to_owned(),
            Route::Settings => "#/settings".to_owned(),
        }
    }
}

pub fn current() -> Route {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    Route::parse(&hash)
}

pub fn go(route: &Route) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(&route.href());
    }
}

/// The current route, re-rendering on every `hashchange`.
#[hook]
pub fn use_route() -> Route {
    let route = use_state(current);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || route.set(current()));
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    (*route).clone()
}
