//! Tidy checks: ordinary tests over the repository's own files, run by `cargo test`, that keep
//! the docs and the architecture true (ARCHITECTURE.md, "Architecture invariants").
//!
//! Each check is one test, and a failing one lists every offending place and says how to fix
//! it. The exceptions each check allows are the constants below, each with its reason.

use airview_tidy::modules::Graph;
use airview_tidy::refs::Exceptions;
use airview_tidy::{layout, refs, report, Repo, Violation};

/// Directories that builds and tools generate and `.gitignore` keeps out of every commit:
/// documents may name them although they are not in the repository.
const GENERATED: &[&str] = &[
    // trunk's release build of the app.
    "dist/",
    // cargo's build output, here and in the fuzz workspace.
    "target/",
    "fuzz/target/",
    // What `scripts/bench.sh` writes.
    "bench-results/",
    // Screenshots the end-to-end tests take.
    "tests/e2e/artifacts/",
    // npm's packages.
    "node_modules/",
    "tests/e2e/node_modules/",
    // The JavaScript module's generated package.
    "crates/js/pkg/",
    // What cargo-fuzz finds, grows and measures.
    "fuzz/artifacts/",
    "fuzz/corpus/",
    "fuzz/coverage/",
];

/// Files whose content is data, not prose: exports and fixtures name paths of their own
/// (Windows folders, hostile inputs), lock files name packages. They are not read for
/// references. A name ending in `/` is a directory at any depth.
const DATA: &[&str] = &[
    "tests/fixtures/",
    "snapshots/",
    "fuzz-regressions/",
    "package-lock.json",
];

/// Files whose tests are made-up examples of references, right and wrong (the tidy checks'
/// own): only their code before `#[cfg(test)]` is read for references.
const EXAMPLES: &[&str] = &["crates/tidy/src/"];

/// How many lines a source file may have before its tests.
const MAX_LINES: usize = 800;

/// Source files allowed past `MAX_LINES`, each with the reason. Empty: a longer file is split.
const LONG_FILES: &[(&str, &str)] = &[];

/// The one pair of engine modules allowed to import each other, because they are one concept
/// (module, module, reason); ARCHITECTURE.md names it too. None for now.
const ALLOWED_CYCLE: Option<(&str, &str, &str)> = None;

#[expect(
    clippy::panic,
    reason = "a test helper: without the file list no check can run, and the test fails saying why"
)]
fn repo() -> Repo {
    match Repo::here() {
        Ok(repo) => repo,
        Err(e) => panic!("cannot list the repository's files: {e}"),
    }
}

fn assert_none(what: &str, violations: &[Violation], fix: &str) {
    assert!(violations.is_empty(), "{}", report(what, violations, fix));
}

#[test]
fn references_point_to_files_that_exist() {
    let repo = repo();
    let exceptions = Exceptions {
        generated: GENERATED,
        data: DATA,
        examples: EXAMPLES,
    };
    assert_none(
        "references to repository paths",
        &refs::check(&repo, &exceptions),
        "correct the path or the link to the file as it is now (or remove the mention of a file that is gone); \
         cite the domain by one of the headings of `docs/domain.md`; \
         a directory that a build generates goes in `GENERATED` in crates/tidy/tests/tidy.rs, with the reason",
    );
}

#[test]
fn no_source_file_passes_800_lines_before_its_tests() {
    let repo = repo();
    assert_none(
        &format!("source files longer than {MAX_LINES} lines before their tests"),
        &layout::long_files(&repo, MAX_LINES, LONG_FILES),
        "split the file so that each file owns one thing (a folder for a part with several files), \
         and name the new files in ARCHITECTURE.md's code map",
    );
}

#[test]
fn the_engine_is_pure() {
    let repo = repo();
    assert_none(
        "the engine's dependencies and I/O",
        &layout::engine_purity(&repo, "crates/engine"),
        "the engine is given text and values and returns values: move what needs the browser or the \
         operating system to an adapter (web/, crates/cli) and pass the engine what it read",
    );
}

#[test]
fn no_import_cycles_between_engine_modules() {
    let repo = repo();
    let graph = Graph::of(&repo, "crates/engine/src");
    let allowed = |component: &[String]| {
        ALLOWED_CYCLE.is_some_and(|(a, b, _)| {
            component.len() == 2
                && component.iter().any(|m| m == a)
                && component.iter().any(|m| m == b)
        })
    };
    let mut violations = Vec::new();
    for component in graph.cycles() {
        if allowed(&component) {
            continue;
        }
        let edges = graph.edges_within(&component);
        let first = edges.first().map_or("", |e| e.place.as_str());
        let mut lines = vec![format!(
            "{} modules: {}",
            component.len(),
            component.join(", ")
        )];
        for e in edges {
            lines.push(format!("{} -> {} at {}: {}", e.from, e.to, e.place, e.text));
        }
        violations.push(Violation {
            place: first.to_owned(),
            text: lines.join("\n        "),
            problem: "an import cycle".to_owned(),
        });
    }
    assert_none(
        "import cycles between the engine's modules",
        &violations,
        "break each cycle at one of its edges: move what both sides need into a leaf module that depends on \
         neither (vocabulary below the rules, the rules below the action center), and have a child name the \
         sibling module that defines what it uses rather than `super::` or `crate::` re-exports. \
         A pair that is truly one concept goes in `ALLOWED_CYCLE` in crates/tidy/tests/tidy.rs and in ARCHITECTURE.md",
    );
}

#[test]
fn the_code_map_names_every_file() {
    let repo = repo();
    assert_none(
        "files ARCHITECTURE.md's code map does not name",
        &layout::unmapped(&repo, "ARCHITECTURE.md"),
        "give each file its line in ARCHITECTURE.md's `## Code map`, in the `### ` section of its folder \
         (by its path below the crate's `src/` or `tests/`, such as `center/apply.rs`), or anywhere in the \
         code map by its full path",
    );
}
