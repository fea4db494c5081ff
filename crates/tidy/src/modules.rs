//! A crate's module graph, built from its files, and the cycles in it.
//!
//! A module is a file: `lib.rs` is the crate root (`crate`), `a.rs` and `a/mod.rs` are `a`,
//! `a/b.rs` is `a::b`. Module A depends on module B when A's code before its tests names a path
//! into B: `crate::b::…`, `super::…` or `self::…` resolved from A, or a child of A by its name
//! (`child::…`), in a `use` or anywhere else. A path goes to the longest module it names, so
//! `crate::Timestamp` (an item the root re-exports) goes to the root, not to `time`.
//!
//! Declaring a child (`mod child;`) is not a dependency: every parent declares its children.
//! Re-exporting from it (`pub use child::Thing;`) is. So a child that names `super::Thing`,
//! which its parent re-exports, and the parent form a cycle: children name the sibling module
//! that defines what they use.

use crate::{code_only, tests_start, Repo};
use std::collections::{BTreeMap, BTreeSet};

/// One dependency, with the first line that makes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// `path:line` of the first place the dependency is written.
    pub place: String,
    pub text: String,
}

/// The modules of a crate and their dependencies.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// Module name (`crate`, `center`, `center::apply`) to its file.
    pub modules: BTreeMap<String, String>,
    /// `(from, to)` to the first place it is written.
    pub edges: BTreeMap<(String, String), Edge>,
}

/// The name of the crate root in the graph.
pub const ROOT: &str = "crate";

/// The module a file under `src` is, or `None` for a file that is not one (a `main.rs` of a
/// binary is a root too).
fn module_of(rel: &str) -> Option<String> {
    let stem = rel.strip_suffix(".rs")?;
    let stem = stem.strip_suffix("/mod").unwrap_or(stem);
    if stem == "lib" || stem == "main" {
        return Some(ROOT.to_owned());
    }
    Some(stem.replace('/', "::"))
}

impl Graph {
    /// The graph of the crate whose sources are under `src` (`crates/engine/src`).
    pub fn of(repo: &Repo, src: &str) -> Graph {
        let mut graph = Graph::default();
        let prefix = format!("{}/", src.trim_end_matches('/'));
        for file in repo.files_under(src) {
            if let Some(module) = file.strip_prefix(&prefix).and_then(module_of) {
                graph.modules.insert(module, file.to_owned());
            }
        }
        let files: Vec<(String, String)> = graph
            .modules
            .iter()
            .map(|(m, f)| (m.clone(), f.clone()))
            .collect();
        for (module, file) in files {
            if let Some(text) = repo.read(&file) {
                graph.add_file(&module, &file, &text);
            }
        }
        graph
    }

    /// Adds the dependencies written in one module's file.
    pub fn add_file(&mut self, module: &str, file: &str, text: &str) {
        let end = tests_start(text).map_or(usize::MAX, |start| start - 1);
        let code = code_only(text);
        let original: Vec<&str> = text.lines().collect();
        let children = self.children(module);
        for (i, line) in code.lines().enumerate().take(end) {
            for path in paths_in(line, &children) {
                let Some(to) = self.resolve(module, &path) else {
                    continue;
                };
                if to == module {
                    continue;
                }
                self.edges
                    .entry((module.to_owned(), to.clone()))
                    .or_insert_with(|| Edge {
                        from: module.to_owned(),
                        to,
                        place: format!("{file}:{}", i + 1),
                        text: original.get(i).map_or("", |l| l.trim()).to_owned(),
                    });
            }
        }
        // A `use` tree may span lines: read each whole statement again, from its first line.
        for (line, tree) in use_statements(&code, end) {
            for path in expand_use(&tree) {
                let first = path.first().map(String::as_str);
                let relative = first.is_some_and(|f| children.iter().any(|c| c == f));
                if !(relative || matches!(first, Some("crate" | "super" | "self"))) {
                    continue;
                }
                let Some(to) = self.resolve(module, &path) else {
                    continue;
                };
                if to == module {
                    continue;
                }
                self.edges
                    .entry((module.to_owned(), to.clone()))
                    .or_insert_with(|| Edge {
                        from: module.to_owned(),
                        to,
                        place: format!("{file}:{line}"),
                        text: original.get(line - 1).map_or("", |l| l.trim()).to_owned(),
                    });
            }
        }
    }

    /// The names of a module's children (`apply` for `center::apply` under `center`).
    fn children(&self, module: &str) -> Vec<String> {
        self.modules
            .keys()
            .filter_map(|m| {
                let rest = if module == ROOT {
                    Some(m.as_str()).filter(|m| *m != ROOT)
                } else {
                    m.strip_prefix(module).and_then(|r| r.strip_prefix("::"))
                };
                rest.filter(|r| !r.contains("::")).map(str::to_owned)
            })
            .collect()
    }

    /// The module a path written in `module` goes to: the longest module it names.
    fn resolve(&self, module: &str, path: &[String]) -> Option<String> {
        let mut base: Vec<String> = if module == ROOT {
            Vec::new()
        } else {
            module.split("::").map(str::to_owned).collect()
        };
        let mut rest = path;
        match rest.first().map(String::as_str) {
            Some("crate") => {
                base.clear();
                rest = &rest[1..];
            }
            Some("self") => rest = &rest[1..],
            Some("super") => {
                while rest.first().map(String::as_str) == Some("super") {
                    base.pop()?;
                    rest = &rest[1..];
                }
            }
            _ => {}
        }
        let name = |parts: &[String]| {
            if parts.is_empty() {
                ROOT.to_owned()
            } else {
                parts.join("::")
            }
        };
        let mut best = name(&base);
        for segment in rest {
            if segment == "self" {
                break;
            }
            base.push(segment.clone());
            let candidate = name(&base);
            if self.modules.contains_key(&candidate) {
                best = candidate;
            } else {
                break;
            }
        }
        self.modules.contains_key(&best).then_some(best)
    }

    /// The strongly connected components with more than one module, each sorted, in order.
    pub fn cycles(&self) -> Vec<Vec<String>> {
        let names: Vec<&String> = self.modules.keys().collect();
        let index: BTreeMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let mut next: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
        for (from, to) in self.edges.keys() {
            if let (Some(&f), Some(&t)) = (index.get(from.as_str()), index.get(to.as_str())) {
                if let Some(list) = next.get_mut(f) {
                    list.push(t);
                }
            }
        }
        let mut out: Vec<Vec<String>> = tarjan(&next)
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|c| {
                let mut c: Vec<String> = c
                    .into_iter()
                    .filter_map(|i| names.get(i).map(|n| (*n).clone()))
                    .collect();
                c.sort();
                c
            })
            .collect();
        out.sort();
        out
    }

    /// The edges between modules of one component, in order.
    pub fn edges_within(&self, component: &[String]) -> Vec<&Edge> {
        let set: BTreeSet<&str> = component.iter().map(String::as_str).collect();
        self.edges
            .values()
            .filter(|e| set.contains(e.from.as_str()) && set.contains(e.to.as_str()))
            .collect()
    }
}

/// Tarjan's algorithm, without recursion: the strongly connected components of a graph given
/// as successor lists.
fn tarjan(next: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = next.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut counter = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        // Each frame: a node and how many of its successors have been looked at.
        let mut frames = vec![(start, 0usize)];
        index[start] = counter;
        low[start] = counter;
        counter += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (v, ref mut seen)) = frames.last_mut() {
            if let Some(&w) = next[v].get(*seen) {
                *seen += 1;
                if index[w] == usize::MAX {
                    index[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    frames.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The module paths a line of code writes outside `use` statements: `crate::a::B`,
/// `super::x`, `self::y`, `child::z` (a child of the module), as segments.
fn paths_in(line: &str, children: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts_word = chars.get(i).is_some_and(|&c| is_ident(c))
            && i.checked_sub(1)
                .and_then(|p| chars.get(p))
                .is_none_or(|&c| !is_ident(c) && c != ':');
        if !starts_word {
            i += 1;
            continue;
        }
        let mut segments: Vec<String> = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while chars.get(j).is_some_and(|&c| is_ident(c)) {
                j += 1;
            }
            if start == j {
                break;
            }
            segments.push(chars[start..j].iter().collect());
            if chars.get(j) == Some(&':') && chars.get(j + 1) == Some(&':') {
                j += 2;
            } else {
                break;
            }
        }
        let first = segments.first().map(String::as_str);
        let is_use = first == Some("use");
        let relative = first.is_some_and(|f| children.iter().any(|c| c == f));
        if segments.len() > 1
            && !is_use
            && (relative || matches!(first, Some("crate" | "super" | "self")))
        {
            out.push(segments);
        }
        i = j.max(i + 1);
    }
    out
}

/// Every `use` statement of the code before line `end`: its 1-based first line and its tree
/// (the text between `use` and `;`).
fn use_statements(code: &str, end: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in code.lines().enumerate().take(end) {
        let mut rest = line;
        if current.is_none() {
            let Some(at) = find_use(line) else { continue };
            current = Some((i + 1, String::new()));
            rest = &line[at + 3..];
        }
        if let Some((start, tree)) = current.as_mut() {
            match rest.find(';') {
                Some(semi) => {
                    tree.push_str(&rest[..semi]);
                    out.push((*start, std::mem::take(tree)));
                    current = None;
                }
                None => {
                    tree.push_str(rest);
                    tree.push(' ');
                }
            }
        }
    }
    out
}

/// Where the keyword `use` starts a statement in a line, if it does.
fn find_use(line: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = line[from..].find("use") {
        let at = from + at;
        let before = line[..at].chars().next_back();
        let after = line[at + 3..].chars().next();
        let alone = before.is_none_or(|c| !is_ident(c)) && after.is_some_and(char::is_whitespace);
        let head = line[..at].trim();
        let item_start = head.is_empty()
            || head.ends_with('{')
            || head.ends_with(';')
            || head.ends_with('}')
            || head.ends_with(')')
            || head == "pub"
            || head.starts_with("pub(")
            || head.starts_with("#[");
        if alone && item_start {
            return Some(at);
        }
        from = at + 3;
    }
    None
}

/// The paths a `use` tree names: `crate::{a::B, c::{self, D}}` is `crate::a::B`, `crate::c`,
/// `crate::c::D`.
pub fn expand_use(tree: &str) -> Vec<Vec<String>> {
    let tokens = use_tokens(tree);
    let mut out = Vec::new();
    let mut pos = 0;
    expand(&tokens, &mut pos, &[], &mut out);
    out
}

fn use_tokens(tree: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = tree.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if is_ident(c) {
            let start = i;
            while chars.get(i).is_some_and(|&c| is_ident(c)) {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push("::".to_owned());
            i += 2;
        } else if matches!(c, '{' | '}' | ',' | '*') {
            out.push(c.to_string());
            i += 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Reads one use tree from `tokens[*pos..]` under `prefix`, up to a `,` or `}` at its level.
fn expand(tokens: &[String], pos: &mut usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let mut path: Vec<String> = prefix.to_vec();
    let mut named = false;
    while let Some(token) = tokens.get(*pos) {
        match token.as_str() {
            "::" => *pos += 1,
            "{" => {
                *pos += 1;
                loop {
                    expand(tokens, pos, &path, out);
                    match tokens.get(*pos).map(String::as_str) {
                        Some(",") => *pos += 1,
                        Some("}") => {
                            *pos += 1;
                            break;
                        }
                        _ => break,
                    }
                }
                return;
            }
            "," | "}" => break,
            "*" => {
                *pos += 1;
                named = true;
            }
            "as" => {
                // `as name` renames the last segment; the path stays what it was.
                *pos += 2;
            }
            "self" if !path.is_empty() && path.len() > prefix.len() => *pos += 1,
            "self" if !prefix.is_empty() => {
                *pos += 1;
                named = true;
            }
            segment => {
                path.push(segment.to_owned());
                *pos += 1;
                named = true;
            }
        }
    }
    if named && !path.is_empty() {
        out.push(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn graph(files: &[(&str, &str)]) -> Graph {
        let mut g = Graph::default();
        for (file, _) in files {
            let rel = file.strip_prefix("src/").unwrap();
            g.modules
                .insert(module_of(rel).unwrap(), (*file).to_owned());
        }
        for (file, text) in files {
            let module = module_of(file.strip_prefix("src/").unwrap()).unwrap();
            g.add_file(&module, file, text);
        }
        g
    }

    fn edges(g: &Graph) -> Vec<String> {
        g.edges.keys().map(|(a, b)| format!("{a} -> {b}")).collect()
    }

    #[test]
    fn files_are_modules() {
        assert_eq!(module_of("lib.rs").as_deref(), Some("crate"));
        assert_eq!(module_of("center/mod.rs").as_deref(), Some("center"));
        assert_eq!(
            module_of("center/apply.rs").as_deref(),
            Some("center::apply")
        );
        assert_eq!(module_of("center.rs").as_deref(), Some("center"));
        assert_eq!(module_of("notes.txt"), None);
    }

    #[test]
    fn use_trees_expand_to_paths() {
        let paths: Vec<String> = expand_use("crate::{a::B, c::{self, D as E}, f::*}")
            .into_iter()
            .map(|p| p.join("::"))
            .collect();
        assert_eq!(
            paths,
            ["crate::a::B", "crate::c", "crate::c::D", "crate::f"]
        );
        assert_eq!(expand_use("super::x").len(), 1);
    }

    #[test]
    fn dependencies_go_to_the_longest_module_named() {
        let g = graph(&[
            ("src/lib.rs", "pub mod center;\npub mod time;\npub use time::Timestamp;\npub fn helper() {}\n"),
            ("src/time.rs", "pub struct Timestamp;\n"),
            (
                "src/center/mod.rs",
                "mod apply;\nuse crate::{\n    time::Timestamp,\n};\npub use apply::run;\npub struct Center;\n",
            ),
            (
                "src/center/apply.rs",
                "use super::Center; // a child naming its parent\nfn f() { crate::helper(); let s = \"crate::time\"; }\n#[cfg(test)]\nmod tests { use crate::time::Timestamp; }\n",
            ),
        ]);
        assert_eq!(
            edges(&g),
            [
                "center -> center::apply",
                "center -> time",
                "center::apply -> center",
                "center::apply -> crate",
                "crate -> time",
            ]
        );
        let e = &g.edges[&("center".to_owned(), "time".to_owned())];
        assert_eq!(e.place, "src/center/mod.rs:2");
        assert_eq!(
            g.cycles(),
            [vec!["center".to_owned(), "center::apply".to_owned()]]
        );
    }

    #[test]
    fn the_engine_graph_can_be_built() {
        let repo = Repo::from_files(Path::new("/nowhere"), ["crates/e/src/lib.rs".to_owned()]);
        let g = Graph::of(&repo, "crates/e/src");
        assert_eq!(g.modules.keys().collect::<Vec<_>>(), ["crate"]);
        assert!(g.cycles().is_empty());
    }

    #[test]
    fn tarjan_finds_every_component() {
        // 0 -> 1 -> 2 -> 0, 2 -> 3, 3 -> 4 -> 3, 5 alone.
        let next = vec![vec![1], vec![2], vec![0, 3], vec![4], vec![3], vec![]];
        let mut c: Vec<Vec<usize>> = tarjan(&next)
            .into_iter()
            .map(|mut c| {
                c.sort();
                c
            })
            .collect();
        c.sort();
        assert_eq!(c, [vec![0, 1, 2], vec![3, 4], vec![5]]);
    }
}
