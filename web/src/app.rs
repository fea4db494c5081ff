//! The app: its state (`state`), start-up from storage or the sample (`loading::stored`),
//! saving and the clock (`state::effects`), the header on every screen, and the screens by
//! route.

use crate::format;
use crate::loading::stored::read_stored;
use crate::loading::LoadingHandle;
use crate::route::{use_route, Route};
use crate::same::Same;
use crate::screens::flyout::Flyout;
use crate::screens::header::{header, notices, progress_bar};
use crate::screens::investigations::{InvestigationList, InvestigationPage};
use crate::screens::loader::Loader;
use crate::screens::policy::{policy_key, PolicyPage};
use crate::screens::queue::{Queue, Tab};
use crate::screens::settings::Settings;
use crate::state::effects::{use_clock, use_saving};
use crate::state::{State, StateHandle};
use airview_engine::{InvestigationView, Status};
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[component]
pub fn App() -> Html {
    let state = use_reducer(State::new);
    let loading: LoadingHandle = use_state(|| None);
    let route = use_route();
    {
        let (state, loading) = (state.clone(), loading.clone());
        use_effect_with((), move |_| spawn_local(read_stored(state, loading)));
    }
    use_clock(&state);
    use_saving(&state);

    // The investigations are listed only for their screens: at a million evidence items the
    // list is worth not building while the analyst is elsewhere.
    let wants_investigations = matches!(route, Route::Investigations | Route::Investigation(_));
    let investigations = {
        let center = state.center().clone();
        // The rows change whenever a status can have changed (an act, a load, a time-out), so
        // they mark when the list is out of date; the clock's tick alone does not.
        let rows = Same(state.rows.clone());
        use_memo((rows, wants_investigations), move |(_, wanted)| {
            Rc::new(if *wanted {
                center.investigations()
            } else {
                Vec::new()
            })
        })
    };
    let investigations: Rc<Vec<InvestigationView>> = (*investigations).clone();

    let main = screen(&state, &loading, &route, investigations);
    let data = state.data();
    html! {
        <>
            { header(&state, &route) }
            { progress_bar(&loading) }
            { notices(&state) }
            <main>
                if !state.ready {
                    <p class="muted">{ "Loading…" }</p>
                } else {
                    <p class="dataset-line muted">{ format!("{} alerts · {} evidence items · {} files{} · policy: {}", format::count(data.alerts.len()), format::count(data.evidence.len()), state.files.len(), if state.sample_shift.is_some() { " (sample)" } else { "" }, state.policy().default_level.name()) }</p>
                    { main }
                }
            </main>
        </>
    }
}

/// The screen the route names.
fn screen(
    state: &StateHandle,
    loading: &LoadingHandle,
    route: &Route,
    investigations: Rc<Vec<InvestigationView>>,
) -> Html {
    let rows = state.rows.clone();
    // Keyed by tab: each tab is a fresh component, so it starts with nothing selected and at
    // the top, without an effect racing the first click.
    let queue = |tab: Tab| html! { <Queue key={format!("{tab:?}")} state={state.clone()} {tab} rows={rows.clone()} /> };
    match route {
        Route::Pending => queue(Tab::Pending),
        Route::History => queue(Tab::History),
        Route::Action(id) => {
            let (tab, back) = match state.center().status(id) {
                Some(Status::Pending) => (Tab::Pending, Route::Pending),
                _ => (Tab::History, Route::History),
            };
            html! { <>{ queue(tab) }<Flyout state={state.clone()} id={id.clone()} {back} /></> }
        }
        Route::Investigations => {
            html! { <InvestigationList state={state.clone()} {investigations} /> }
        }
        Route::Investigation(id) => {
            html! { <InvestigationPage state={state.clone()} id={id.clone()} {investigations} /> }
        }
        Route::Policy => {
            html! { <PolicyPage key={policy_key(state)} state={state.clone()} /> }
        }
        Route::Load => html! { <Loader state={state.clone()} loading={loading.clone()} /> },
        Route::Settings => html! { <Settings state={state.clone()} loading={loading.clone()} /> },
    }
}
