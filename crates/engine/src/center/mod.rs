//! The action center's state machine (docs/domain.md, "Life of an action").
//!
//! A `Center` is the loaded data, the current policy's decisions over it, and what people did
//! since: approvals, rejections, undos, disposition changes and manual actions. `apply` takes
//! one journal `Entry` (an event, who did it, when) and returns a new center or a
//! `TransitionError`; it never changes the center it is given, so a refused event leaves the
//! state as it was. The state is the fold of the journal over the loaded data and policy:
//! `Center::replay` gives the same value as applying the entries one by one.
//!
//! Each file owns one part; they name each other directly, never through this module:
//! `state` (the center and its overlay), `event` (events, entries, refusals), `index` (packed
//! facts and the evidence index), `builder` (building a center in slices), `ids` (resolving
//! action ids), `action_state` (one action's state at a time), `apply` (the transitions),
//! `rows` and `order` (the two lists as rows), `views` (what screens show).

pub(crate) mod action_state;
pub(crate) mod apply;
pub(crate) mod builder;
pub(crate) mod event;
pub(crate) mod ids;
pub(crate) mod index;
pub(crate) mod order;
pub(crate) mod rows;
pub(crate) mod state;
pub(crate) mod views;

pub use apply::apply;
pub use builder::CenterBuilder;
pub use event::{Entry, Event, TransitionError};
pub use rows::{Row, RowKind, Rows, RowsBuilder};
pub use state::{Center, AUTOMATION, DUPLICATE_WINDOW_MS, REPORTED_PREFIX, SYSTEM, TIMEOUT_DAYS};
pub use views::{ActionView, CenterView};
