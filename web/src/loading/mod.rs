//! Getting data in and keeping it: the loading worker and the page's side of a load, and the
//! browser's storage.
//!
//! The page's main thread never parses an export: the worker (`worker.rs`) does, and sends
//! back a snapshot, which the page (`page.rs`, `rebuild.rs`) decodes and builds the center
//! from in slices (`slices.rs`), so that nothing it does at the size of the data is a long
//! task. The two halves speak the core's protocol through `transport.rs`. `storage.rs` is
//! the IndexedDB store; `stored.rs` reads what a previous visit stored at start-up.

pub mod page;
pub mod rebuild;
pub mod slices;
pub mod storage;
pub mod stored;
pub mod transport;
pub mod worker;

pub use page::{cancel, start, LoadingHandle};
