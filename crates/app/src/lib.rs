//! airview's app core: everything the single-page app decides, without a browser.
//!
//! The web crate (`web/`) adapts this crate to Yew and the browser: it reads the clock, the
//! store and the files, and draws what the state holds. This crate holds the state and its
//! reducer, the policy page's draft, what is stored and how it is read back, and the loading
//! worker's protocol, so that `cargo test` runs all of it natively. It depends on the engine
//! and the importers only: no yew, web-sys, js-sys, gloo or wasm-bindgen.
//!
//! - `state`: `AppState` and `Msg`, the one reducer over the engine's `Session`;
//! - `sample`: the sample shown when nothing else is loaded;
//! - `replay`: a stored journal replayed over loaded data, or set aside for export;
//! - `load`: what a load starts from (`Basis`) and gives back (`Loaded`);
//! - `stored`: the store's keys, what a read gives (`start`), what is written (`save_all`);
//! - `draft`: the policy page's draft and its edits;
//! - `protocol`: the messages between the page and the loading worker;
//! - `import`: what the worker does with a file's bytes;
//! - `notice`: messages for the analyst.
//!
//! The platform's handles to bytes it holds (the browser's `Blob`s of the exports and the
//! snapshot) are a type parameter `B`: the core keeps and passes them on, and never reads
//! them, so that no platform type reaches it and the tests use plain values.

pub mod draft;
pub mod import;
pub mod load;
pub mod notice;
pub mod protocol;
pub mod replay;
pub mod sample;
pub mod state;
pub mod stored;

pub use draft::{Draft, Edit, Folders, Membership, Rule};
pub use load::{join_results, Basis, Loaded, Results};
pub use notice::{Notice, NoticeKind};
pub use protocol::{FileRef, FileResult, FromWorker, LoadProgress, Phase, ToWorker};
pub use replay::open_journal;
pub use state::{AppState, Export, LoadedFile, Msg, SaveState};
pub use stored::{Raw, Start, Stored, StoredExports};
