//! The architecture's shape: how long source files are, what the engine may depend on, and
//! whether ARCHITECTURE.md's code map names every file.

use crate::modules::expand_use;
use crate::{code_only, lines_before_tests, Repo, Violation};

/// The directories whose `.rs` files are source (not tests, benchmarks or fuzz targets): each
/// crate's `src` and the web app's.
pub fn source_files(repo: &Repo) -> Vec<&str> {
    repo.files()
        .filter(|f| f.ends_with(".rs"))
        .filter(|f| {
            let parts: Vec<&str> = f.split('/').collect();
            matches!(
                parts.as_slice(),
                ["crates", _, "src", ..] | ["web", "src", ..]
            )
        })
        .collect()
}

/// Check 2: no source file has more than `limit` lines before its tests, unless it is one of
/// the `exceptions` (path and reason).
pub fn long_files(repo: &Repo, limit: usize, exceptions: &[(&str, &str)]) -> Vec<Violation> {
    let mut out = Vec::new();
    for file in source_files(repo) {
        if exceptions.iter().any(|(path, _)| *path == file) {
            continue;
        }
        let Some(text) = repo.read(file) else {
            continue;
        };
        let lines = lines_before_tests(&text);
        if lines > limit {
            out.push(Violation::file(
                file,
                "",
                format!("{lines} lines before its tests (at most {limit})"),
            ));
        }
    }
    out
}

/// Crates the engine must not depend on: they tie it to the browser.
const WEB_CRATES: &[&str] = &["yew", "web-sys", "js-sys", "gloo", "wasm-bindgen"];

fn is_web_crate(name: &str) -> bool {
    let name = name.trim().trim_matches(['"', '\'']).replace('_', "-");
    WEB_CRATES
        .iter()
        .any(|w| name == *w || name.starts_with(&format!("{w}-")))
}

/// Modules of std that reach the outside world.
const IO_MODULES: &[&str] = &["fs", "net", "process", "env"];

/// Check 3: the engine is pure. Its manifest names no web crate in any dependency table, and
/// its sources name none of std's modules that do I/O.
pub fn engine_purity(repo: &Repo, engine: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    let manifest = format!("{engine}/Cargo.toml");
    match repo.read(&manifest) {
        Some(text) => out.extend(web_dependencies(&manifest, &text)),
        None => out.push(Violation::file(&manifest, "", "cannot be read")),
    }
    for file in repo.files_under(&format!("{engine}/src")) {
        if !file.ends_with(".rs") {
            continue;
        }
        if let Some(text) = repo.read(file) {
            out.extend(io_uses(file, &text));
        }
    }
    out
}

/// The web crates a manifest's dependency tables name, by key or by `package = "…"`.
pub fn web_dependencies(manifest: &str, text: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut table = String::new();
    for (i, line) in text.lines().enumerate() {
        let line_code = line.split('#').next().unwrap_or("").trim();
        if let Some(header) = line_code
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
        {
            table = header.trim_matches(['[', ']']).trim().to_owned();
            // `[dependencies.yew]` names its crate in the header.
            if let Some((_, name)) = table.rsplit_once("dependencies.") {
                if is_web_crate(name) {
                    out.push(web_violation(manifest, i + 1, line, name));
                }
            }
            continue;
        }
        if !table.ends_with("dependencies") && !table.contains("dependencies.") {
            continue;
        }
        let Some((key, value)) = line_code.split_once('=') else {
            continue;
        };
        let key = key.split('.').next().unwrap_or(key);
        let package = value
            .split_once("package")
            .and_then(|(_, rest)| rest.split_once('='))
            .and_then(|(_, rest)| rest.trim_start().strip_prefix('"'))
            .and_then(|rest| rest.split_once('"'))
            .map(|(name, _)| name);
        let named_key = table.ends_with("dependencies") && is_web_crate(key);
        let named_package =
            package.is_some_and(is_web_crate) || (key.trim() == "package" && is_web_crate(value));
        if named_key || named_package {
            let name = if named_key {
                key.trim()
            } else {
                package.unwrap_or(value.trim())
            };
            out.push(web_violation(manifest, i + 1, line, name));
        }
    }
    out
}

fn web_violation(manifest: &str, line: usize, text: &str, name: &str) -> Violation {
    Violation::at(
        manifest,
        line,
        text,
        format!("the engine depends on `{}`, a web crate; adapters (web/, the CLI) hold what needs the browser", name.trim().trim_matches('"')),
    )
}

/// Where a Rust file names `std::fs`, `std::net`, `std::process` or `std::env`, directly or
/// in a grouped `use std::{…}`. Comments and strings do not count.
pub fn io_uses(file: &str, text: &str) -> Vec<Violation> {
    let code = code_only(text);
    let original: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let compact: String = line.split_whitespace().collect();
        let mut named: Vec<&str> = IO_MODULES
            .iter()
            .filter(|m| {
                let path = format!("std::{m}");
                line.match_indices(&path).any(|(at, _)| {
                    let before = line[..at].chars().next_back();
                    let after = line[at + path.len()..].chars().next();
                    before.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
                        && after.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
                })
            })
            .copied()
            .collect();
        if let Some(tree) = compact
            .find("usestd::{")
            .map(|at| &compact[at + 3..])
            .and_then(|t| t.split(';').next())
        {
            for path in expand_use(tree) {
                if let Some(m) = path
                    .get(1)
                    .and_then(|m| IO_MODULES.iter().find(|io| **io == m))
                {
                    if !named.contains(m) {
                        named.push(m);
                    }
                }
            }
        }
        for m in named {
            out.push(Violation::at(
                file,
                i + 1,
                original.get(i).copied().unwrap_or(""),
                format!("names `std::{m}`: the engine performs no I/O; it is given text and values, and the adapters read and write"),
            ));
        }
    }
    out
}

/// The files the code map must name: every source file, every script, every test file of a
/// crate (not their fixtures or snapshots) and every end-to-end test file.
pub fn mapped_files(repo: &Repo) -> Vec<&str> {
    let mut out: Vec<&str> = source_files(repo);
    out.extend(repo.files_under("scripts"));
    out.extend(repo.files().filter(|f| {
        let parts: Vec<&str> = f.split('/').collect();
        let crate_test = matches!(
            parts.as_slice(),
            ["crates", _, "tests", ..] | ["web", "tests", ..]
        );
        let data = parts
            .iter()
            .any(|p| matches!(*p, "fixtures" | "snapshots" | "fuzz-regressions"));
        crate_test && !data && f.ends_with(".rs")
    }));
    out.extend(
        repo.files_under("tests/e2e")
            .filter(|f| f.ends_with(".mjs") || f.ends_with(".js")),
    );
    out.sort_unstable();
    out.dedup();
    out
}

/// A `### ` subsection of the code map: the folder its heading names and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub folder: String,
    pub text: String,
}

/// The code map of ARCHITECTURE.md: the text from `## Code map` to the next `## ` heading,
/// and its subsections by the folder their heading names first (`### \`crates/engine\``).
pub fn code_map(architecture: &str) -> Option<(String, Vec<Section>)> {
    let mut whole = String::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut inside = false;
    for line in architecture.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            inside = title.trim().eq_ignore_ascii_case("code map");
            continue;
        }
        if !inside {
            continue;
        }
        whole.push_str(line);
        whole.push('\n');
        if let Some(title) = line.strip_prefix("### ") {
            let folder = title
                .split('`')
                .nth(1)
                .unwrap_or(title)
                .trim()
                .trim_end_matches('/')
                .to_owned();
            sections.push(Section {
                folder,
                text: String::new(),
            });
        } else if let Some(section) = sections.last_mut() {
            section.text.push_str(line);
            section.text.push('\n');
        }
    }
    (!whole.is_empty()).then_some((whole, sections))
}

/// The spellings that name a file in its own section of the code map: its path relative to the
/// section's folder and, for a file under a crate's `src` or `tests`, its path below that
/// (`center/apply.rs`). Anywhere in the code map, the full path names it.
pub fn names_for<'a>(file: &'a str, folder: &str) -> Vec<&'a str> {
    let Some(rel) = file
        .strip_prefix(folder)
        .and_then(|r| r.strip_prefix('/'))
        .filter(|_| !folder.is_empty())
    else {
        return Vec::new();
    };
    let mut out = vec![rel];
    if let Some((top, below)) = rel.split_once('/') {
        if matches!(top, "src" | "tests" | "benches" | "examples") {
            out.push(below);
        }
    }
    out
}

/// Whether `text` holds `name` as a whole path, not as part of a longer one.
pub fn mentions(text: &str, name: &str) -> bool {
    let path_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '.');
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let mut after = text[at + name.len()..].chars();
        let ends = match after.next() {
            None => true,
            // A full stop after a name ends a sentence; `lib.rs.bak` is another file.
            Some('.') => after.next().is_none_or(|c| !c.is_alphanumeric()),
            Some(c) => !path_char(c),
        };
        before.is_none_or(|c| !path_char(c)) && ends
    })
}

/// Check 5: every file of `mapped_files` is named in the code map, in the section of its
/// folder by a short name, or anywhere in the code map by its full path.
pub fn unmapped(repo: &Repo, architecture_file: &str) -> Vec<Violation> {
    let Some(text) = repo.read(architecture_file) else {
        return vec![Violation::file(architecture_file, "", "cannot be read")];
    };
    let Some((whole, sections)) = code_map(&text) else {
        return vec![Violation::file(
            architecture_file,
            "",
            "has no `## Code map` section",
        )];
    };
    let mut out = Vec::new();
    for file in mapped_files(repo) {
        if mentions(&whole, file) {
            continue;
        }
        // The section of the longest folder that holds the file.
        let home = sections
            .iter()
            .filter(|s| file.starts_with(&format!("{}/", s.folder)))
            .max_by_key(|s| s.folder.len());
        let named = home.is_some_and(|s| {
            names_for(file, &s.folder)
                .iter()
                .any(|n| mentions(&s.text, n))
        });
        if !named {
            let (section, spellings) = match home {
                Some(s) => (
                    format!("the `{}` section", s.folder),
                    names_for(file, &s.folder)
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(" or "),
                ),
                None => (
                    "the code map (no section names its folder)".to_owned(),
                    format!("`{file}`"),
                ),
            };
            out.push(Violation::file(
                file,
                "",
                format!("is not in ARCHITECTURE.md's code map: name it in {section} as {spellings}, or by its full path"),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_crates_in_any_dependency_table_are_found() {
        let manifest = "[package]\nname = \"e\"\n\n[dependencies]\nserde = \"1\"\nyew = { version = \"0.23\" }\n\n[dev-dependencies]\nwasm-bindgen-test = \"0.3\"\n\n[target.'cfg(target_arch = \"wasm32\")'.dependencies]\nbrowser = { package = \"web-sys\", version = \"0.3\" }\ngetrandom = { version = \"0.4\", features = [\"wasm_js\"] }\n\n[dependencies.gloo-timers]\nversion = \"0.3\"\n";
        let found: Vec<String> = web_dependencies("Cargo.toml", manifest)
            .into_iter()
            .map(|v| v.place)
            .collect();
        assert_eq!(
            found,
            [
                "Cargo.toml:6",
                "Cargo.toml:9",
                "Cargo.toml:12",
                "Cargo.toml:15"
            ]
        );
    }

    #[test]
    fn io_modules_are_found_in_code_only() {
        let text = "use std::fs;\nuse std::{collections::HashMap, env, fmt};\n// std::process is not code\nlet s = \"std::net\";\nlet x = std::net::Ipv4Addr::LOCALHOST;\nuse std::fmt;\nuse std::fsx;\n";
        let found: Vec<String> = io_uses("a.rs", text)
            .into_iter()
            .map(|v| format!("{} {}", v.place, v.problem.split(": ").next().unwrap_or("")))
            .collect();
        assert_eq!(
            found,
            [
                "a.rs:1 names `std::fs`",
                "a.rs:2 names `std::env`",
                "a.rs:5 names `std::net`"
            ]
        );
    }

    #[test]
    fn the_code_map_is_read_by_section() {
        let arch = "# A\n## Code map\n### `crates/engine` (`airview-engine`)\n`model.rs` (the model), `center/apply.rs`.\n### `scripts/`\n`test.sh`; `scripts/bench.sh` too.\n## Invariants\n`lib.rs`\n";
        let (whole, sections) = code_map(arch).unwrap();
        assert!(!whole.contains("Invariants"));
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[0].folder, "crates/engine");
        assert_eq!(sections[1].folder, "scripts");
        assert_eq!(
            names_for("crates/engine/src/center/apply.rs", "crates/engine"),
            ["src/center/apply.rs", "center/apply.rs"]
        );
        assert!(mentions(&sections[0].text, "model.rs"));
        assert!(mentions(&sections[0].text, "center/apply.rs"));
        assert!(!mentions(&sections[0].text, "apply.rs"));
        assert!(mentions("see `lib.rs::load`.", "lib.rs"));
        assert!(mentions("ends in lib.rs.", "lib.rs"));
        assert!(!mentions("lib.rs.bak", "lib.rs"));
    }
}
