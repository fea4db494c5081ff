//! The shared cases (`cases/mod.rs`), run natively.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

#[macro_use]
mod cases;

shared_cases!(test);
