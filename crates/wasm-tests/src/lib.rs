//! Intentionally empty: the tests live in `tests/`.
