//! What the JSON readers (`crate::graph`, `crate::mde`) share.
//!
//! Every JSON reader streams: serde visits each object once and the reader writes it straight
//! into the dataset, interning repeated strings as it goes. No tree of the document is built,
//! fields airview does not use are skipped unparsed, and strings already seen cost no
//! allocation. That keeps an import close to the speed of a bare parse of the same bytes.
//! Enumerations are read as text, so that values newer than airview (Graph's
//! `unknownFutureValue`, say) are kept and shown, not refused.
//!
//! - `response`: the envelope every export comes in (a list response, a bare array, one
//!   object, nested in any way), read for any kind of object.
//! - `alert`: an alert being read, and what becomes of its evidence when the object turns out
//!   to be an alert, a repeat or no alert at all.
//! - `evidence`: an alert's evidence array, read by a format's own item reader, and the names
//!   both formats give registry, message and mail cluster entities.
//! - `fields`: field readers: keys without allocation, borrowed text, interned text, ids that
//!   are strings or numbers, time stamps.
//!
//! Where an error is, serde_json says (its line and column, see `crate::ImportError::from_json`);
//! how far a reader has got, for a progress bar, `response` tells `crate::progress` as it
//! finishes each object.

pub(crate) mod alert;
pub(crate) mod evidence;
pub(crate) mod fields;
pub(crate) mod response;

use serde::de::DeserializeSeed;

/// Reads the whole of `text` with `seed`, after a byte order mark if there is one; anything
/// but white space after the document is an error.
pub(crate) fn read_document<'de, S: DeserializeSeed<'de>>(
    text: &'de str,
    seed: S,
) -> Result<S::Value, serde_json::Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut de = serde_json::Deserializer::from_str(text);
    let value = seed.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}
