//! What a previous visit stored, read at start-up: every key in one read, handed to the core
//! (`airview_app::stored::start`), which decides where to start and what to say of what could
//! not be read. This file only tells the core what kind of value each key holds.

use super::page::LoadingHandle;
use super::rebuild::resume;
use super::storage;
use crate::state::{now, Blob, Export, Msg, StateHandle};
use airview_app::stored::{keys, start, Read};
use airview_app::{Raw, Start, StoredExports};
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What kind of value `value` is, for a message.
fn kind(value: &JsValue) -> String {
    value.js_typeof().as_string().unwrap_or_default()
}

fn missing(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

fn text(value: &JsValue) -> Read<String> {
    if missing(value) {
        return Ok(None);
    }
    match value.as_string() {
        Some(text) => Ok(Some(text)),
        None => Err(format!(
            "it holds a value of type {} where text was expected",
            kind(value)
        )),
    }
}

fn blob(value: &JsValue) -> Read<Blob> {
    if missing(value) {
        return Ok(None);
    }
    match value.dyn_ref::<Blob>() {
        Some(blob) => Ok(Some(blob.clone())),
        None => Err(format!(
            "it holds a value of type {} where a file was expected",
            kind(value)
        )),
    }
}

/// The stored exports: a list of `[name, Blob]`, or the text of an older airview.
fn exports(value: &JsValue) -> Read<StoredExports<Blob>> {
    if missing(value) {
        return Ok(None);
    }
    if let Some(text) = value.as_string() {
        return Ok(Some(StoredExports::Text(text)));
    }
    if !Array::is_array(value) {
        return Err(format!(
            "it holds a value of type {} where a list was expected",
            kind(value)
        ));
    }
    let entries = Array::from(value)
        .iter()
        .map(|pair| {
            let pair = Array::from(&pair);
            let name = pair.get(0).as_string();
            let blob = pair.get(1).dyn_into::<Blob>().ok();
            match (name, blob) {
                (Some(name), Some(blob)) => Ok(Export { name, blob }),
                _ => Err("it is not a name and a file".to_owned()),
            }
        })
        .collect();
    Ok(Some(StoredExports::List(entries)))
}

/// Every key as the store holds it.
pub async fn read() -> Raw<Blob> {
    use keys::*;
    let keys = [
        EXPORTS,
        FILES,
        SNAPSHOT,
        POLICY,
        JOURNAL,
        IDENTITY,
        SAMPLE_SHIFT,
    ];
    let values = match storage::get_all(&keys).await {
        Ok(values) => values,
        Err(e) => return Raw::unreadable(&e.reason()),
    };
    let value = |i: usize| values.get(i).cloned().unwrap_or(JsValue::UNDEFINED);
    Raw {
        exports: exports(&value(0)),
        files: text(&value(1)),
        snapshot: blob(&value(2)),
        policy: text(&value(3)),
        journal: text(&value(4)),
        identity: text(&value(5)),
        sample_shift: text(&value(6)),
    }
}

/// A Blob of an older airview's stored text.
fn blob_of_text(text: &str) -> Result<Blob, String> {
    Blob::new_with_str_sequence(&Array::of1(&JsValue::from_str(text)))
        .map_err(|_| "the browser could not hold it".to_owned())
}

/// Reads what storage holds, then starts from it: the stored dataset (or the stored exports,
/// read again), or the sample when nothing is stored. What could not be read is reported,
/// offered for export where there is content, and not written over.
pub async fn read_stored(state: StateHandle, loading: LoadingHandle) {
    let raw = read().await;
    let (start, notices) = start(raw, state.journal_rev, blob_of_text);
    for n in notices {
        state.dispatch(Msg::Notify(n));
    }
    match start {
        Start::Sample(stored) => state.dispatch(Msg::Boot { stored, now: now() }),
        Start::Resume {
            actor,
            basis,
            snapshot,
        } => {
            if let Some(actor) = actor {
                state.dispatch(Msg::Identity(actor));
            }
            resume(state, loading, snapshot, basis);
        }
    }
}
