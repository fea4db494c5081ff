//! Folder classification: is an artifact's file in a core folder, a temp folder, both or
//! neither.
//!
//! Paths are Windows paths compared case-insensitively after normalising (docs/domain.md,
//! "Folders"). Patterns are written as Microsoft writes them: `*` is exactly one folder name,
//! a trailing `\*` is anything below the folder.

use serde::{Deserialize, Serialize};

pub const DEFAULT_CORE_FOLDERS: &[&str] = &[
    r"\windows\*",
    r"\program files\*",
    r"\program files (x86)\*",
];

pub const DEFAULT_TEMP_FOLDERS: &[&str] = &[
    r"\users\*\appdata\local\temp\*",
    r"\documents and settings\*\local settings\temp\*",
    r"\documents and settings\*\local settings\temporary\*",
    r"\windows\temp\*",
    r"\users\*\downloads\*",
    r"\documents and settings\*\users\*",
];

/// Normalises a Windows path for comparison: lower case, `/` as `\`, no `\\?\` prefix, no
/// drive letter, no repeated separators, a leading `\`.
pub fn normalise_path(path: &str) -> String {
    let mut p = path.trim().replace('/', "\\");
    for prefix in [r"\\?\", r"\??\"] {
        if let Some(rest) = p.strip_prefix(prefix) {
            p = rest.to_owned();
        }
    }
    let bytes = p.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        p = p[2..].to_owned();
    }
    let mut out = String::with_capacity(p.len() + 1);
    for segment in p.split('\\').filter(|s| !s.is_empty()) {
        out.push('\\');
        out.extend(segment.chars().flat_map(char::to_lowercase));
    }
    if out.is_empty() {
        out.push('\\');
    }
    out
}

/// A folder pattern, parsed once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FolderPattern {
    /// The pattern as the user wrote it, for reasons and the policy editor.
    pub text: String,
    segments: Vec<String>,
    /// A trailing `\*`: the pattern takes everything below its folder.
    recursive: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatternError {
    pub pattern: String,
    pub message: String,
}

impl FolderPattern {
    pub fn parse(text: &str) -> Result<FolderPattern, PatternError> {
        let err = |message: &str| PatternError {
            pattern: text.to_owned(),
            message: message.to_owned(),
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(err("a folder pattern cannot be empty"));
        }
        if !(trimmed.starts_with('\\')
            || trimmed.starts_with('/')
            || trimmed.get(1..2) == Some(":"))
        {
            return Err(err(
                r"a folder pattern starts with `\` (for example `\windows\*`)",
            ));
        }
        let normal = normalise_path(trimmed);
        let mut segments: Vec<String> = normal
            .split('\\')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let recursive = segments.last().is_some_and(|s| s == "*");
        if recursive {
            segments.pop();
        }
        if segments.is_empty() {
            return Err(err("a folder pattern must name at least one folder"));
        }
        Ok(FolderPattern {
            text: text.to_owned(),
            segments,
            recursive,
        })
    }

    /// Whether a file whose normalised folder is `folder` lies in this pattern's folder.
    /// Without a trailing `\*` the file must sit directly in the named folder.
    pub fn matches_folder(&self, folder: &str) -> bool {
        let mut parts = folder.split('\\').filter(|s| !s.is_empty());
        for want in &self.segments {
            match parts.next() {
                Some(have) if segment_matches(want, have) => {}
                _ => return false,
            }
        }
        // A recursive pattern takes the folder itself and everything below it; a plain one
        // only the folder itself.
        self.recursive || parts.next().is_none()
    }
}

/// `*` alone is exactly one folder name; elsewhere in a segment it is any run of characters.
fn segment_matches(pattern: &str, name: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    if !pattern.contains('*') {
        return pattern == name;
    }
    glob(pattern.as_bytes(), name.as_bytes())
}

/// A `*`-only glob over bytes, iterative with one backtrack point (linear for our inputs).
pub(crate) fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..].iter().all(|&c| c == b'*')
}

/// A list of folder patterns (the core list or the temp list).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FolderList {
    pub patterns: Vec<FolderPattern>,
}

impl FolderList {
    pub fn parse_all(texts: &[String]) -> (FolderList, Vec<PatternError>) {
        let mut patterns = Vec::new();
        let mut errors = Vec::new();
        for text in texts {
            match FolderPattern::parse(text) {
                Ok(p) => patterns.push(p),
                Err(e) => errors.push(e),
            }
        }
        (FolderList { patterns }, errors)
    }

    pub fn defaults(texts: &[&str]) -> FolderList {
        FolderList {
            patterns: texts
                .iter()
                .filter_map(|t| FolderPattern::parse(t).ok())
                .collect(),
        }
    }

    /// The index of the first pattern that takes the (normalised) folder.
    pub fn first_match(&self, folder: &str) -> Option<usize> {
        self.patterns.iter().position(|p| p.matches_folder(folder))
    }

    pub fn texts(&self) -> Vec<String> {
        self.patterns.iter().map(|p| p.text.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_of(path: &str) -> String {
        let normal = normalise_path(path);
        normal
            .rsplit_once('\\')
            .map(|(f, _)| f.to_owned())
            .unwrap_or_default()
    }

    #[test]
    fn normalising_drops_drive_prefix_and_case() {
        assert_eq!(
            normalise_path(r"C:\Users\Alice\Downloads"),
            r"\users\alice\downloads"
        );
        assert_eq!(
            normalise_path(r"\\?\C:\Windows\\System32\"),
            r"\windows\system32"
        );
        assert_eq!(normalise_path("c:/Program Files/x"), r"\program files\x");
        assert_eq!(normalise_path(""), r"\");
    }

    #[test]
    fn domain_examples() {
        let downloads = FolderPattern::parse(r"\users\*\downloads\*").unwrap();
        assert!(downloads.matches_folder(&folder_of(r"C:\Users\alice\Downloads\a.exe")));
        assert!(downloads.matches_folder(&folder_of(r"C:\Users\alice\Downloads\x\b.js")));
        assert!(!downloads.matches_folder(&folder_of(r"C:\Users\Downloads\c.exe")));
        let windows = FolderPattern::parse(r"\windows\*").unwrap();
        assert!(!windows.matches_folder(&folder_of(r"C:\Windows2\d.exe")));
        assert!(windows.matches_folder(&folder_of(r"C:\Windows\System32\e.dll")));
        assert!(windows.matches_folder(&folder_of(r"C:\Windows\f.exe")));
    }

    #[test]
    fn a_pattern_without_trailing_star_takes_only_its_folder() {
        let p = FolderPattern::parse(r"\program files\").unwrap();
        assert!(p.matches_folder(r"\program files"));
        assert!(!p.matches_folder(r"\program files\contoso"));
    }

    #[test]
    fn bad_patterns_are_refused_with_the_pattern() {
        assert_eq!(
            FolderPattern::parse("").unwrap_err().message,
            "a folder pattern cannot be empty"
        );
        assert_eq!(
            FolderPattern::parse("windows").unwrap_err().pattern,
            "windows"
        );
        assert!(FolderPattern::parse(r"\*").is_err());
    }

    #[test]
    fn glob_handles_stars_anywhere() {
        assert!(glob(b"srv-*", b"srv-01.contoso.com"));
        assert!(glob(b"*.contoso.com", b"a.contoso.com"));
        assert!(glob(b"a*b*c", b"axxbyyc"));
        assert!(!glob(b"a*b*c", b"axxbyy"));
        assert!(glob(b"*", b""));
    }
}
