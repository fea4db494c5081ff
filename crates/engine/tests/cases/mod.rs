//! Test cases shared by the native test run and the WebAssembly one (`crates/wasm-tests`):
//! plain functions that panic on failure, so that each runner only needs a thin wrapper.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

pub mod center;
pub mod center_fixture;
pub mod folders;
pub mod journal;
pub mod outcomes;
