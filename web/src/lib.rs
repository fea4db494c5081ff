//! airview's single-page app: the action center and the policy preview in the browser.
//!
//! The app adapts the app core (`crates/app`, `airview_app`) and the engine to Yew and the
//! browser, and holds no rules of its own. The core owns the state and its reducer (acts go
//! through the engine's `Session`), the policy draft, what is stored, and the worker protocol;
//! this crate reads the clock, the store and the files, and draws.
//!
//! - `state/`: the adapter over the core's state (`State`, Yew's `Reducible`), and its
//!   effects: saving on every change, the clock.
//! - `loading/`: the loading worker's half (`worker.rs`) and the page's (`page.rs`,
//!   `rebuild.rs`, `slices.rs`), the protocol on `postMessage` (`transport.rs`), and the
//!   browser's storage (`storage.rs`, `stored.rs`).
//! - `screens/`: the header, the action center's queue and flyout, the investigations, the
//!   policy page (`policy/`, a component per part), the loader and the settings.
//! - `app.rs` puts them together by route (`route.rs`); `format.rs`, `same.rs` and
//!   `download.rs` are small helpers the screens share.
//!
//! The components live in this library, not in `main.rs`, so that the browser tests in
//! `tests/` can mount them into a fresh element and drive them with real DOM events.

pub mod app;
pub mod download;
pub mod format;
pub mod loading;
pub mod route;
pub mod same;
pub mod screens;
pub mod state;

pub use app::App;
