//! The folder examples of docs/domain.md, "Folders", through the public API.

use airview_engine::rules::folders::{normalise_path, FolderPattern};

fn folder_of(path: &str) -> String {
    let normal = normalise_path(path);
    normal
        .rsplit_once('\\')
        .map(|(f, _)| f.to_owned())
        .unwrap_or_default()
}

pub fn domain_folder_examples() {
    let downloads = FolderPattern::parse(r"\users\*\downloads\*").unwrap();
    assert!(downloads.matches_folder(&folder_of(r"C:\Users\alice\Downloads\a.exe")));
    assert!(downloads.matches_folder(&folder_of(r"C:\Users\alice\Downloads\x\b.js")));
    assert!(!downloads.matches_folder(&folder_of(r"C:\Users\Downloads\c.exe")));
    let windows = FolderPattern::parse(r"\windows\*").unwrap();
    assert!(!windows.matches_folder(&folder_of(r"C:\Windows2\d.exe")));
    // `/` becomes `\`, `\\?\` and the drive letter go, repeated separators collapse.
    assert!(windows.matches_folder(&folder_of(r"\\?\D:/WINDOWS//System32/e.dll")));
    let temp = FolderPattern::parse(r"\windows\temp\*").unwrap();
    assert!(temp.matches_folder(&folder_of(r"C:\Windows\Temp\a.exe")));
}
