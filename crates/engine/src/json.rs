//! What the engine's JSON readers share.

/// A serde_json error's message without the " at line L column C" suffix, which callers put
/// first in their own words.
pub fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}
