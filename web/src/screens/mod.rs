//! The screens, each a component over the app's state: the header on every screen, the action
//! center's queue and an action's flyout, the investigations, the policy page, the loader and
//! the settings.

pub mod flyout;
pub mod header;
pub mod investigations;
pub mod loader;
pub mod policy;
pub mod queue;
pub mod settings;
