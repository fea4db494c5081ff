//! The app's state in Yew: a thin adapter over the app core (`airview_app`), which holds the
//! state and its reducer. This module gives the core's types their browser handle (`Blob`),
//! implements Yew's `Reducible` by calling the core's reducer, and reads the clock for the
//! messages that carry the time. `effects` saves the state and follows the clock.

pub mod effects;

use airview_engine::{Event, Timestamp};
use std::ops::Deref;
use std::rc::Rc;
use yew::prelude::*;

/// The browser's handle to bytes it holds outside the WebAssembly memory: the exports as the
/// analyst gave them, and the snapshot of the data they make.
pub type Blob = web_sys::Blob;

pub type AppState = airview_app::AppState<Blob>;
pub type Msg = airview_app::Msg<Blob>;
pub type Export = airview_app::Export<Blob>;
pub type Basis = airview_app::Basis<Blob>;
pub type Loaded = airview_app::Loaded<Blob>;
pub use airview_app::{LoadedFile, Notice, NoticeKind, Stored};

/// The clock, read by the adapter and handed to the core in the messages.
pub fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

/// The core's state as Yew's reducer state (`Reducible` is Yew's trait, so it is implemented
/// on a type of this crate).
///
/// Two states are equal when one reduction made them: Yew compares the state in every
/// component's properties on every render, and a number says it at once, where comparing
/// the sessions field by field would cost time and kilobytes of WebAssembly.
#[derive(Clone, Debug)]
pub struct State {
    state: AppState,
    /// Bumped by every reduction that changes the state.
    generation: u64,
}

impl PartialEq for State {
    fn eq(&self, other: &State) -> bool {
        self.generation == other.generation
    }
}

pub type StateHandle = UseReducerHandle<State>;

impl State {
    /// The state before storage or the sample is read.
    pub fn new() -> State {
        State {
            state: AppState::new(now()),
            generation: 0,
        }
    }

    /// Whether `event` by the current analyst would be accepted now, and why not.
    pub fn check(&self, event: Event) -> Result<(), String> {
        self.state.check(event, now())
    }
}

impl Default for State {
    fn default() -> State {
        State::new()
    }
}

impl Deref for State {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.state
    }
}

impl Reducible for State {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        match self.state.reduce(msg) {
            Some(state) => Rc::new(State {
                state,
                generation: self.generation + 1,
            }),
            // The same state: Yew draws nothing again.
            None => self,
        }
    }
}

/// An act in the action center by the current analyst, now.
pub fn act(state: &StateHandle, event: Event, comment: Option<String>) {
    state.dispatch(Msg::Act {
        event,
        comment,
        at: now(),
    });
}

/// Tells the analyst something.
pub fn notify(state: &StateHandle, notice: Notice) {
    state.dispatch(Msg::Notify(notice));
}
