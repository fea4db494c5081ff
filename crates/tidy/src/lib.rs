//! airview's tidy checks: ordinary tests over the repository's own files that keep the docs and
//! the architecture true (the checks themselves are in `tests/tidy.rs`).
//!
//! This library is the machinery the checks share: the repository's file list, Rust source
//! reduced to its code, and the report a failing check prints. Each check's own rules live in
//! a module of their own: `refs` (references to repository paths), `modules` (the engine's
//! module graph and its cycles) and `layout` (file sizes, the engine's purity, the code map).
//!
//! It depends on nothing but std, and reads the file list from `git ls-files` when git is
//! there, so that a check sees what a commit would hold and nothing a build generated.

pub mod layout;
pub mod modules;
pub mod refs;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository: its root and the files a commit would hold, as `/`-separated paths
/// relative to the root, sorted.
#[derive(Clone, Debug)]
pub struct Repo {
    root: PathBuf,
    files: BTreeSet<String>,
    dirs: BTreeSet<String>,
}

/// Directories a walk of the tree skips when git is not available: build output, installed
/// packages and git's own data. With git, `.gitignore` says the same thing.
const WALK_SKIPS: &[&str] = &[
    ".git",
    "target",
    "node_modules",
    "dist",
    "bench-results",
    ".tools",
    "scratch",
    "tests/e2e/artifacts",
    "fuzz/artifacts",
    "fuzz/corpus",
    "fuzz/coverage",
    "crates/js/pkg",
];

impl Repo {
    /// The repository this crate belongs to (two levels above its manifest).
    pub fn here() -> Result<Repo, String> {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest
            .ancestors()
            .nth(2)
            .ok_or_else(|| format!("`{}` has no grandparent", manifest.display()))?;
        Repo::at(root)
    }

    /// The repository at `root`: the files `git ls-files` lists (tracked, and new files that
    /// are not ignored) that are still on disk, or, without git, every file of a walk.
    pub fn at(root: &Path) -> Result<Repo, String> {
        let files = match git_files(root) {
            Some(files) => files
                .into_iter()
                .filter(|f| root.join(f).is_file())
                .collect(),
            None => {
                let mut files = Vec::new();
                walk(root, "", &mut files)?;
                files
            }
        };
        Ok(Repo::from_files(root, files))
    }

    /// A repository made of the given files (the tests of the checks use made-up ones).
    pub fn from_files(root: &Path, files: impl IntoIterator<Item = String>) -> Repo {
        let files: BTreeSet<String> = files.into_iter().collect();
        let mut dirs = BTreeSet::new();
        for f in &files {
            let mut at = f.as_str();
            while let Some((dir, _)) = at.rsplit_once('/') {
                dirs.insert(dir.to_owned());
                at = dir;
            }
        }
        Repo {
            root: root.to_owned(),
            files,
            dirs,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every file, sorted.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(String::as_str)
    }

    /// The files below a directory (`crates/engine/src`), at any depth.
    pub fn files_under<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        self.files().filter(move |f| f.starts_with(&prefix))
    }

    /// Whether a path (with or without a trailing `/`) is a file or a directory of the
    /// repository. The root itself is `""`.
    pub fn exists(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        path.is_empty() || self.files.contains(path) || self.dirs.contains(path)
    }

    pub fn is_file(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    /// A file's text; `None` when it is not UTF-8 (a binary file) or cannot be read.
    pub fn read(&self, path: &str) -> Option<String> {
        std::fs::read(self.root.join(path))
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
    }

    /// The directory of the crate a file belongs to: the nearest directory above it that holds
    /// a `Cargo.toml` (the root's own is the workspace's).
    pub fn crate_of<'a>(&self, file: &'a str) -> &'a str {
        let mut at = file;
        while let Some((dir, _)) = at.rsplit_once('/') {
            if self.files.contains(&format!("{dir}/Cargo.toml")) {
                return &file[..dir.len()];
            }
            at = dir;
        }
        ""
    }
}

fn git_files(root: &Path) -> Option<Vec<String>> {
    let output = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let files: BTreeSet<String> = text
        .split('\0')
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect();
    Some(files.into_iter().collect())
}

fn walk(root: &Path, rel: &str, out: &mut Vec<String>) -> Result<(), String> {
    let dir = root.join(rel);
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot list `{}`: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list `{}`: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if WALK_SKIPS.contains(&path.as_str()) || path.ends_with("/target") {
            continue;
        }
        let kind = entry
            .file_type()
            .map_err(|e| format!("cannot read `{path}`: {e}"))?;
        if kind.is_dir() {
            walk(root, &path, out)?;
        } else if kind.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// One thing a check found wrong: where, the text there, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// `path:line`, or the path alone for a problem with the whole file.
    pub place: String,
    /// The line (trimmed), or a description of the file.
    pub text: String,
    pub problem: String,
}

impl Violation {
    pub fn at(file: &str, line: usize, text: &str, problem: impl Into<String>) -> Violation {
        Violation {
            place: format!("{file}:{line}"),
            text: text.trim().to_owned(),
            problem: problem.into(),
        }
    }

    pub fn file(file: &str, text: impl Into<String>, problem: impl Into<String>) -> Violation {
        Violation {
            place: file.to_owned(),
            text: text.into(),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.problem)?;
        if !self.text.is_empty() {
            write!(f, "\n        {}", self.text)?;
        }
        Ok(())
    }
}

/// The message of a failing check: what it checks, every violation, and how to fix them.
pub fn report(what: &str, violations: &[Violation], fix: &str) -> String {
    let mut out = format!("{what}: {} problem(s)\n\n", violations.len());
    for v in violations {
        out.push_str(&format!("    {v}\n"));
    }
    out.push_str(&format!("\nHow to fix: {fix}\n"));
    out
}

/// The 1-based number of the line that starts a file's tests (`#[cfg(test)]` at the start of
/// a line), if it has any.
pub fn tests_start(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with("#[cfg(test)]"))
        .map(|i| i + 1)
}

/// How many lines a file has before its tests: all of them when it has none.
pub fn lines_before_tests(text: &str) -> usize {
    tests_start(text).map_or_else(|| text.lines().count(), |start| start - 1)
}

/// Rust source with comments, string literals and character literals blanked out (their
/// characters become spaces, line ends stay), so that what a check finds in it is code and
/// line numbers still match the file.
pub fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while let Some(&c) = chars.get(i) {
                if c == '\n' {
                    break;
                }
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            // Block comments nest in Rust.
            let mut depth = 0;
            while let Some(&c) = chars.get(i) {
                let next = chars.get(i + 1).copied();
                if c == '/' && next == Some('*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if c == '*' && next == Some('/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(c));
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(&chars, i) {
            // `r"…"`, `r#"…"#`, `br"…"`: no escapes, ends at a quote and as many `#`.
            let open = chars.iter().skip(i).position(|&c| c == '"').unwrap_or(0) + 1;
            for _ in 0..open {
                out.push(' ');
            }
            i += open;
            while let Some(&c) = chars.get(i) {
                let closes = c == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#'));
                if closes {
                    for _ in 0..=hashes {
                        out.push(' ');
                    }
                    i += hashes + 1;
                    break;
                }
                out.push(blank(c));
                i += 1;
            }
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while let Some(&c) = chars.get(i) {
                if c == '\\' {
                    out.push(' ');
                    if let Some(&escaped) = chars.get(i + 1) {
                        out.push(blank(escaped));
                    }
                    i += 2;
                    continue;
                }
                out.push(blank(c));
                i += 1;
                if c == '"' {
                    break;
                }
            }
        } else if c == '\'' && is_char_literal(&chars, i) {
            out.push(' ');
            i += 1;
            while let Some(&c) = chars.get(i) {
                if c == '\\' {
                    out.push_str("  ");
                    i += 2;
                    continue;
                }
                out.push(' ');
                i += 1;
                if c == '\'' {
                    break;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The number of `#` of a raw string literal starting at `i`, if one does.
fn raw_string_start(chars: &[char], i: usize) -> Option<usize> {
    let before = i.checked_sub(1).and_then(|b| chars.get(b));
    if before.is_some_and(|c| c.is_alphanumeric() || *c == '_') {
        return None;
    }
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    (chars.get(j) == Some(&'"')).then_some(hashes)
}

/// Whether the `'` at `i` opens a character literal rather than a lifetime or a label.
fn is_char_literal(chars: &[char], i: usize) -> bool {
    match chars.get(i + 1) {
        Some('\\') => true,
        Some(_) => chars.get(i + 2) == Some(&'\''),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_only_blanks_comments_strings_and_chars_but_keeps_lines() {
        let text = "use crate::a; // crate::b\n/* crate::c /* nested */ crate::d */ let s = \"crate::e\";\nlet r = r#\"crate::\"f\"#; let c = '\"'; fn g<'a>(x: &'a str) {}\n";
        let code = code_only(text);
        assert_eq!(code.lines().count(), text.lines().count());
        assert!(code.contains("use crate::a;"));
        for hidden in ["crate::b", "crate::c", "crate::d", "crate::e", "crate::\"f"] {
            assert!(!code.contains(hidden), "{hidden} in {code}");
        }
        assert!(code.contains("fn g<'a>(x: &'a str)"), "{code}");
    }

    #[test]
    fn lines_before_tests_stop_at_cfg_test() {
        assert_eq!(lines_before_tests("a\nb\n#[cfg(test)]\nmod tests {}\n"), 2);
        assert_eq!(lines_before_tests("a\nb\nc\n"), 3);
        assert_eq!(tests_start("x\n    #[cfg(test)]\n"), Some(2));
    }

    #[test]
    fn a_repo_knows_its_directories_and_crates() {
        let repo = Repo::from_files(
            Path::new("/r"),
            ["Cargo.toml", "crates/a/Cargo.toml", "crates/a/src/lib.rs"].map(String::from),
        );
        assert!(repo.exists("crates/a/src"));
        assert!(repo.exists("crates/a/"));
        assert!(repo.exists("crates/a/src/lib.rs"));
        assert!(!repo.exists("crates/b"));
        assert_eq!(repo.crate_of("crates/a/src/lib.rs"), "crates/a");
        assert_eq!(repo.crate_of("README.md"), "");
    }
}
