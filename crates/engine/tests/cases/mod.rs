//! Test cases shared by the native test run and the WebAssembly one (`crates/wasm-tests`):
//! plain functions that panic on failure, so that each runner only needs a thin wrapper.

pub mod folders;
pub mod outcomes;
