//! airview's single-page app: the action center and the policy preview in the browser.
//!
//! The app adapts the engine and holds no rules of its own: acts go through
//! `airview_engine::center::Center::apply`, outcomes and reasons come from
//! `airview_engine::decide`, the preview from `airview_engine::preview`. The components live
//! in this library, not in `main.rs`, so that the browser tests in `tests/web.rs` can mount
//! them into a fresh element and drive them with real DOM events.

pub mod app;
pub mod download;
pub mod flyout;
pub mod format;
pub mod investigations;
pub mod loader;
pub mod loading;
pub mod policy_page;
pub mod queue;
pub mod route;
pub mod same;
pub mod settings;
pub mod state;
pub mod storage;
pub mod worker;

pub use app::App;
