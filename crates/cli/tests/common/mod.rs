//! What the CLI's test files share: the repository root and a way to run the built binary there.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root, where the fixtures' relative paths start.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the `airview` binary built for these tests, from the repository root.
pub fn airview(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_airview"))
        .args(args)
        .current_dir(root())
        .output()
    {
        Ok(out) => out,
        Err(e) => panic!("cannot run airview: {e}"),
    }
}
