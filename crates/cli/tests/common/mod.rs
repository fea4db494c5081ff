//! What the CLI's test files share: running the built `airview` binary from the repository
//! root, the fixtures, and a scratch directory per test.
#![allow(
    dead_code,
    reason = "each test file uses the part of these helpers it needs"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root, where the fixtures' relative paths start.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fixture's path, as the commands are given it (relative to the repository root, where
/// they run).
pub fn fixture(name: &str) -> String {
    format!("tests/fixtures/{name}")
}

/// A fixture's bytes.
pub fn read_fixture(name: &str) -> Vec<u8> {
    let path = root().join(fixture(name));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A fixture's text.
pub fn fixture_text(name: &str) -> String {
    String::from_utf8(read_fixture(name))
        .unwrap_or_else(|e| panic!("fixture {name} is not UTF-8: {e}"))
}

/// The `airview` binary built for these tests, to run from the repository root; for a test
/// that needs to set up stdout itself.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_airview"));
    command.args(args).current_dir(root());
    command
}

/// Runs `airview` with `args` and collects what it printed.
pub fn airview(args: &[&str]) -> Output {
    command(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run airview: {e}"))
}

/// Runs `airview`, which must succeed; its stdout.
pub fn ok_stdout(args: &[&str]) -> String {
    let out = airview(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("stdout is not UTF-8: {e}"))
}

/// Runs `airview`, which must succeed and print JSON; that JSON.
pub fn ok_json(args: &[&str]) -> serde_json::Value {
    let out = ok_stdout(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} printed no JSON: {e}\n{out}"))
}

/// Runs `airview`, which must refuse: exit status 2 and nothing on stdout. Its stderr.
pub fn refused(args: &[&str]) -> String {
    let out = airview(args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.is_empty(),
        "{args:?}: stdout must stay empty on error"
    );
    String::from_utf8(out.stderr).unwrap_or_else(|e| panic!("stderr is not UTF-8: {e}"))
}

/// A directory of its own for one test, removed when the test ends (also when it fails).
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("airview-{name}-{}", std::process::id()));
        // A directory left by an earlier run with the same process id is stale.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        Scratch(dir)
    }

    pub fn path(&self, file: impl AsRef<Path>) -> PathBuf {
        self.0.join(file)
    }

    /// A file's path as the commands are given it.
    pub fn arg(&self, file: &str) -> String {
        self.path(file).to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
