//! References to repository paths in documents and code, and whether they point somewhere.
//!
//! A text is cut into words at spaces, quotes, backticks, brackets and similar marks. A word
//! is a reference when, once trailing punctuation, an `#anchor` and a `:line` suffix are cut
//! off and a leading `./`, `../` or `/` is dropped, it starts with one of the repository's
//! top-level entries (`crates/`, `docs/`, `README.md`, …) or is a Markdown file named in
//! capitals, as projects name their top-level documents. Words that are URLs, patterns or placeholders (`*`, `<name>`,
//! `{a,b}`, `…`, a segment in capitals such as `TARGET`) are not references to one file and are
//! skipped, and so are references into directories that builds generate.
//!
//! Markdown links (`[text](target)`) are references too, resolved from the document's own
//! directory as a Markdown viewer does, and their `#anchor`s must name a heading of the target.

use crate::{Repo, Violation};

/// What a word of a text turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Word {
    /// A repository path, as written once punctuation, anchors and line numbers are cut off.
    Path(String),
    /// A path-like word that names no single file, and why.
    Skipped(&'static str),
}

/// A reference found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// 1-based.
    pub line: usize,
    pub word: Word,
}

/// Which words can start a reference: the repository's top-level directories and the root
/// files whose bare names are references.
#[derive(Clone, Debug)]
pub struct Roots {
    dirs: Vec<String>,
    files: Vec<String>,
}

/// Top-level directories a reference may start with even when they do not exist (yet), so
/// that a reference into a directory that is gone fails rather than passing unnoticed.
const TOP_DIRS: &[&str] = &[
    "crates", "web", "tests", "docs", "scripts", "fuzz", "examples", ".ci", ".cargo",
];

/// Root files whose bare name is a reference.
const ROOT_FILES: &[&str] = &[
    "README.md",
    "ARCHITECTURE.md",
    "Cargo.toml",
    "Trunk.toml",
    "index.html",
    "package.json",
];

impl Roots {
    /// The fixed lists and every top-level directory the repository has.
    pub fn of(repo: &Repo) -> Roots {
        let mut dirs: Vec<String> = TOP_DIRS.iter().map(|d| (*d).to_owned()).collect();
        for f in repo.files() {
            if let Some((top, _)) = f.split_once('/') {
                if !dirs.iter().any(|d| d == top) {
                    dirs.push(top.to_owned());
                }
            }
        }
        Roots {
            dirs,
            files: ROOT_FILES.iter().map(|f| (*f).to_owned()).collect(),
        }
    }

    fn starts_reference(&self, word: &str) -> bool {
        if self.files.iter().any(|f| f == word) || is_capital_markdown(word) {
            return true;
        }
        match word.split_once('/') {
            Some((top, _)) => self.dirs.iter().any(|d| d == top),
            None => false,
        }
    }
}

/// A document named in capitals (`README.md`), as projects name their top-level documents.
fn is_capital_markdown(word: &str) -> bool {
    word.strip_suffix(".md").is_some_and(|stem| {
        stem.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && stem
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-')
    })
}

/// Characters that end a word: a path never holds them, prose and code put them around paths.
fn splits(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '`' | '"' | '\'' | '(' | ')' | '[' | ']' | ',' | ';' | '|' | '=' | '\\' | '!' | '?'
        )
}

/// The references in a text, line by line.
pub fn references(text: &str, roots: &Roots) -> Vec<Reference> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for raw in line.split(splits).filter(|w| !w.is_empty()) {
            if let Some(word) = classify(raw, roots) {
                out.push(Reference { line: i + 1, word });
            }
        }
    }
    out
}

/// What a raw word is: `None` when it does not look like a repository path at all.
pub fn classify(raw: &str, roots: &Roots) -> Option<Word> {
    if raw.contains("://") || raw.starts_with("mailto:") {
        return None;
    }
    let word = trim_word(raw);
    let word = drop_leading_relatives(word);
    if !roots.starts_reference(word) && !roots.starts_reference(&format!("{word}/")) {
        return None;
    }
    // `crates` alone is a word of prose; `crates/` is a reference.
    if !word.contains('/') && !word.contains('.') {
        return None;
    }
    Some(match placeholder(word) {
        Some(why) => Word::Skipped(why),
        None => Word::Path(word.to_owned()),
    })
}

/// Cuts trailing punctuation, an `#anchor` and a `:line` or `:line:column` suffix.
fn trim_word(raw: &str) -> &str {
    fn trailing(w: &str) -> &str {
        w.trim_end_matches(['.', ',', ':', ';', ')', '`', '\'', '"', '>'])
    }
    let mut word = trailing(raw);
    if let Some(hash) = word.find('#') {
        word = &word[..hash];
    }
    loop {
        match word.rsplit_once(':') {
            Some((head, tail))
                if !tail.is_empty() && tail.chars().all(|c| c.is_ascii_digit() || c == '-') =>
            {
                word = head;
            }
            _ => break,
        }
    }
    trailing(word)
}

fn drop_leading_relatives(mut word: &str) -> &str {
    loop {
        if let Some(rest) = word.strip_prefix("./") {
            word = rest;
        } else if let Some(rest) = word.strip_prefix("../") {
            word = rest;
        } else if let Some(rest) = word.strip_prefix('/') {
            word = rest;
        } else {
            return word;
        }
    }
}

/// Why a path-like word names no single file, if it does not.
fn placeholder(word: &str) -> Option<&'static str> {
    if word.contains(['*', '<', '>', '{', '}', '$', '…', '%']) || word.contains("...") {
        return Some("a pattern or a placeholder");
    }
    let segments: Vec<&str> = word.split('/').filter(|s| !s.is_empty()).collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        let stem = match segment.rsplit_once('.') {
            Some((stem, _)) if i == last => stem,
            _ => segment,
        };
        let capitals = stem.chars().any(|c| c.is_ascii_uppercase())
            && stem
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        // `TARGET/`, `N.json`; a document such as `README.md` is a name, not a placeholder.
        let named_document = i == last && segment.ends_with(".md");
        if capitals && !named_document && (stem.len() == 1 || !segment.contains('.')) {
            return Some("a placeholder in capitals");
        }
    }
    None
}

/// Where a reference written in `from` may point: the root, the file's own directory and its
/// crate's directory (a crate's README names `src/lib.rs`).
pub fn resolves(repo: &Repo, from: &str, path: &str) -> bool {
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let crate_dir = repo.crate_of(from);
    [String::new(), dir.to_owned(), crate_dir.to_owned()]
        .iter()
        .any(|base| normalise(base, path).is_some_and(|p| repo.exists(&p)))
}

/// `base` joined with `path`, `.` and `..` resolved; `None` above the root.
fn normalise(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Directories a reference may name although they are not in the repository: builds and tools
/// generate them, and `.gitignore` keeps them out of every commit.
#[derive(Clone, Copy, Debug)]
pub struct Exceptions<'a> {
    pub generated: &'a [&'a str],
    /// Files whose content is data rather than prose (fixtures, snapshots, lock files): they
    /// are not read for references.
    pub data: &'a [&'a str],
    /// Files whose tests (from `#[cfg(test)]` on) are made-up examples of references, right
    /// and wrong: only the code before their tests is read.
    pub examples: &'a [&'a str],
}

impl Exceptions<'_> {
    fn is_generated(&self, path: &str) -> bool {
        self.generated.iter().any(|g| {
            let g = g.trim_end_matches('/');
            path == g || path.starts_with(&format!("{g}/"))
        })
    }

    fn is_example(&self, file: &str) -> bool {
        self.examples.iter().any(|e| file.starts_with(e))
    }

    fn is_data(&self, file: &str) -> bool {
        self.data.iter().any(|d| {
            if d.ends_with('/') {
                file.starts_with(d) || file.contains(&format!("/{d}"))
            } else {
                file == *d || file.ends_with(&format!("/{d}"))
            }
        })
    }
}

/// The kinds of file that hold prose or code that names paths.
const TEXT_EXTENSIONS: &[&str] = &[
    "md", "rs", "toml", "sh", "mjs", "js", "html", "css", "py", "json",
];

/// Whether a file is read for references: a text kind, or a script without an extension.
fn is_scanned(repo: &Repo, file: &str, exceptions: &Exceptions) -> bool {
    if exceptions.is_data(file) {
        return false;
    }
    let name = file.rsplit('/').next().unwrap_or(file);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => TEXT_EXTENSIONS.contains(&ext),
        Some(_) => false,
        None => repo.read(file).is_some_and(|t| t.starts_with("#!")),
    }
}

/// Text that must appear nowhere: the specification's working copy outside the repository,
/// which users never see. Written in two halves so that this line does not name it.
const OUTSIDE: &[&str] = &[concat!("..", "/shared")];

/// Check 1: every reference to a repository path, in every text file, points to a file or a
/// directory that exists; nothing names the working copy outside the repository.
pub fn check(repo: &Repo, exceptions: &Exceptions) -> Vec<Violation> {
    let roots = Roots::of(repo);
    let headings_of = |file: &str| repo.read(file).map(|t| headings(&t)).unwrap_or_default();
    let domain = headings_of(DOMAIN);
    let mut out = Vec::new();
    for file in repo.files() {
        if !is_scanned(repo, file, exceptions) {
            continue;
        }
        let Some(mut text) = repo.read(file) else {
            continue;
        };
        if exceptions.is_example(file) {
            let end = crate::tests_start(&text).map_or(usize::MAX, |start| start - 1);
            text = text.lines().take(end).map(|l| format!("{l}\n")).collect();
        }
        let lines: Vec<&str> = text.lines().collect();
        let line_text = |n: usize| lines.get(n - 1).copied().unwrap_or("");
        for (i, line) in lines.iter().enumerate() {
            for outside in OUTSIDE {
                if line.contains(outside) {
                    out.push(Violation::at(
                        file,
                        i + 1,
                        line,
                        format!("names `{outside}`, which is outside the repository and which users never see; cite `docs/domain.md` instead"),
                    ));
                }
            }
        }
        for r in references(&text, &roots) {
            let Word::Path(path) = r.word else { continue };
            if exceptions.is_generated(&path) || resolves(repo, file, &path) {
                continue;
            }
            out.push(Violation::at(
                file,
                r.line,
                line_text(r.line),
                format!("`{path}` does not exist"),
            ));
        }
        if file.ends_with(".md") {
            for v in check_links(repo, file, &text, &headings_of) {
                // A link whose target is also a missing path is reported once, as the path.
                if !out
                    .iter()
                    .any(|o| o.place == v.place && v.problem.contains(&o.problem))
                {
                    out.push(v);
                }
            }
        }
        out.extend(check_citations(file, &lines, &domain));
    }
    out
}

/// The specification that code cites by heading: "docs/domain.md, Folders".
pub const DOMAIN: &str = "docs/domain.md";

/// Markdown links: the target exists, relative to the document; an anchor names a heading.
fn check_links(
    repo: &Repo,
    file: &str,
    text: &str,
    headings_of: &dyn Fn(&str) -> Vec<String>,
) -> Vec<Violation> {
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = Vec::new();
    let mut in_code = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if in_code {
            continue;
        }
        for target in link_targets(line) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = match target.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (target, None),
            };
            let resolved = if path.is_empty() {
                Some(file.to_owned())
            } else if let Some(from_root) = path.strip_prefix('/') {
                normalise("", from_root)
            } else {
                normalise(dir, path)
            };
            let Some(resolved) = resolved.filter(|p| repo.exists(p)) else {
                out.push(Violation::at(
                    file,
                    i + 1,
                    line,
                    format!("`{path}` does not exist as a link target (links are relative to the document's directory)"),
                ));
                continue;
            };
            let Some(anchor) = anchor.filter(|a| !a.is_empty()) else {
                continue;
            };
            if !resolved.ends_with(".md") {
                continue;
            }
            let slugs = slugs(&headings_of(&resolved));
            if !slugs.iter().any(|s| s == anchor) {
                out.push(Violation::at(
                    file,
                    i + 1,
                    line,
                    format!("`#{anchor}` names no heading of `{resolved}`"),
                ));
            }
        }
    }
    out
}

/// The targets of the Markdown links in a line: the text between `](` and `)`, without a title.
fn link_targets(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find("](") {
        let after = &rest[start + 2..];
        let Some(end) = after.find(')') else { break };
        let target = after[..end].split_whitespace().next().unwrap_or("");
        out.push(target.trim_matches(['<', '>']));
        rest = &after[end..];
    }
    out
}

/// The headings of a Markdown document, as written (without the `#`s), outside code blocks.
pub fn headings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            out.push(line[hashes..].trim().to_owned());
        }
    }
    out
}

/// The anchors a Markdown viewer gives headings, as GitHub makes them: lower case, spaces as
/// `-`, punctuation other than `-` and `_` dropped, `-1`, `-2`, … on repeats.
pub fn slugs(headings: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for h in headings {
        let base: String = h
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let repeats = out
            .iter()
            .filter(|s| {
                **s == base
                    || s.strip_prefix(&format!("{base}-"))
                        .is_some_and(|n| n.parse::<u32>().is_ok())
            })
            .count();
        out.push(if repeats == 0 {
            base
        } else {
            format!("{base}-{repeats}")
        });
    }
    out
}

/// Citations of the specification by heading (`docs/domain.md, Folders` or
/// `docs/domain.md, "Outcome of one piece of evidence"`): the text after the comma starts with
/// one of its headings. The citation may run on to the next line of a comment.
fn check_citations(file: &str, lines: &[&str], headings: &[String]) -> Vec<Violation> {
    let mut out = Vec::new();
    if file == DOMAIN || headings.is_empty() {
        return out;
    }
    let cite = format!("{DOMAIN}, ");
    for (i, line) in lines.iter().enumerate() {
        let next = lines.get(i + 1).map_or("", |l| strip_comment_marks(l));
        for (at, _) in line.match_indices(&cite) {
            let text = format!("{} {next}", &line[at + cite.len()..]);
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let text = text.trim_start_matches(['"', '“', '`']);
            if headings.iter().any(|h| text.starts_with(h.as_str())) {
                continue;
            }
            out.push(Violation::at(
                file,
                i + 1,
                line,
                format!("cites `{DOMAIN}` by a heading it does not have; the text after the comma must start with one of its headings"),
            ));
        }
    }
    out
}

fn strip_comment_marks(line: &str) -> &str {
    let t = line.trim_start();
    for mark in ["//!", "///", "//", "#", "*"] {
        if let Some(rest) = t.strip_prefix(mark) {
            return rest;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn repo() -> Repo {
        Repo::from_files(
            Path::new("/r"),
            [
                "README.md",
                "Cargo.toml",
                "crates/engine/Cargo.toml",
                "crates/engine/src/decide.rs",
                "crates/engine/README.md",
                "docs/domain.md",
                "tests/fixtures/a.json",
            ]
            .map(String::from),
        )
    }

    fn words(text: &str) -> Vec<Word> {
        let roots = Roots::of(&repo());
        references(text, &roots)
            .into_iter()
            .map(|r| r.word)
            .collect()
    }

    fn path(p: &str) -> Word {
        Word::Path(p.to_owned())
    }

    #[test]
    fn punctuation_anchors_and_line_numbers_are_cut_off() {
        assert_eq!(
            words("see `crates/engine/src/decide.rs:42`. Or (docs/domain.md#folders), and crates/engine/src/decide.rs:10:3:"),
            [path("crates/engine/src/decide.rs"), path("docs/domain.md"), path("crates/engine/src/decide.rs")]
        );
        assert_eq!(words("DOMAIN.md's outcome table"), [path("DOMAIN.md")]);
        assert_eq!(
            words(r#"fixture("../../tests/fixtures/a.json")"#),
            [path("tests/fixtures/a.json")]
        );
        assert_eq!(words("the `web/` folder"), [path("web/")]);
    }

    #[test]
    fn patterns_placeholders_and_urls_are_skipped() {
        let pattern = Word::Skipped("a pattern or a placeholder");
        let capitals = Word::Skipped("a placeholder in capitals");
        assert_eq!(
            words("`crates/<name>/src` here"),
            std::slice::from_ref(&pattern)
        );
        assert_eq!(
            words("scripts/*.sh and crates/engine/…"),
            [pattern.clone(), pattern]
        );
        assert_eq!(
            words("`fuzz/artifacts/TARGET/` and tests/N.json"),
            [capitals.clone(), capitals]
        );
        assert_eq!(words("https://github.com/o/r/blob/main/crates/x.rs"), []);
        assert_eq!(words("crate::center, the crates, /security/alerts_v2"), []);
        assert_eq!(
            words("crates/engine/README.md"),
            [path("crates/engine/README.md")]
        );
    }

    #[test]
    fn references_resolve_from_the_root_the_directory_or_the_crate() {
        let repo = repo();
        assert!(resolves(&repo, "README.md", "crates/engine/src/decide.rs"));
        assert!(resolves(&repo, "crates/engine/README.md", "src/decide.rs"));
        assert!(resolves(&repo, "crates/engine/src/decide.rs", "README.md"));
        assert!(resolves(&repo, "docs/x.md", "tests/fixtures"));
        assert!(!resolves(&repo, "README.md", "crates/engine/src/center.rs"));
        assert!(!resolves(&repo, "README.md", "DOMAIN.md"));
    }

    #[test]
    fn the_check_lists_missing_paths_links_anchors_citations_and_outside_names() {
        let dir = std::env::temp_dir().join(format!("airview-tidy-{}", std::process::id()));
        let files = [
            ("docs/domain.md", "# Domain\n\n## Folders\n\nSee [the top](#domain) and [gone](#nowhere).\n"),
            ("README.md", "Read docs/domain.md and docs/missing.md, not ../shared/STYLE.md or DOMAIN.md.\nOutput goes to dist/ and tests/e2e/artifacts/x.png.\n[Domain](docs/domain.md#folders), [bad](docs/nope.md).\n"),
            ("crates/a/src/lib.rs", "//! docs/domain.md, Folders.\n//! (docs/domain.md, \"Outcome of\n//! one piece\")\n"),
            ("tests/fixtures/data.json", "{\"path\": \"crates/not-here\"}\n"),
        ];
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let repo = Repo::from_files(&dir, files.map(|(n, _)| n.to_owned()));
        let exceptions = Exceptions {
            generated: &["dist/", "tests/e2e/artifacts/"],
            data: &["tests/fixtures/"],
            examples: &[],
        };
        let found: Vec<String> = check(&repo, &exceptions)
            .iter()
            .map(|v| format!("{} {}", v.place, v.problem))
            .collect();
        std::fs::remove_dir_all(&dir).unwrap();
        let expect = [
            "README.md:1 names `../shared`",
            "README.md:1 `docs/missing.md` does not exist",
            "README.md:1 `DOMAIN.md` does not exist",
            "README.md:3 `docs/nope.md` does not exist",
            "crates/a/src/lib.rs:2 cites `docs/domain.md` by a heading it does not have",
            "docs/domain.md:5 `#nowhere` names no heading of `docs/domain.md`",
        ];
        for e in expect {
            assert!(
                found.iter().any(|f| f.starts_with(e)),
                "{e} not in {found:#?}"
            );
        }
        assert_eq!(found.len(), expect.len(), "{found:#?}");
    }

    #[test]
    fn slugs_follow_github() {
        let h = [
            "How airview derives an investigation's state",
            "Since the seeds (2025-2026)",
            "A",
            "A",
        ]
        .map(String::from);
        assert_eq!(
            slugs(&h),
            [
                "how-airview-derives-an-investigations-state",
                "since-the-seeds-2025-2026",
                "a",
                "a-1"
            ]
        );
    }
}
