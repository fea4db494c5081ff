//! Persistence in IndexedDB: the loaded exports, the dataset they make, the base policy, the
//! journal and the analyst's identity survive a reload and a browser restart.
//!
//! A tiny key-value store over one object store, written against web-sys directly: the app
//! needs a few keys, and a wrapper crate would cost more bytes than this file.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

const DB_NAME: &str = "airview";
const DB_VERSION: u32 = 1;
const STORE: &str = "state";

/// Why storage failed, in words for the analyst.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// IndexedDB is missing (a private window in some browsers) or refused to open.
    Unavailable(String),
    /// The origin's quota is used up.
    Full,
    Failed(String),
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::Unavailable(why) => write!(f, "this browser's storage is not available ({why}); your work stays in this tab until it is closed — export it to keep it"),
            StorageError::Full => f.write_str("the browser's storage for this page is full; your work stays in this tab but will not survive a reload — export it, or remove loaded files"),
            StorageError::Failed(why) => write!(f, "saving failed ({why}); your work stays in this tab — export it to keep it"),
        }
    }
}

impl StorageError {
    /// The reason alone, for a read: the words of `Display` are about saving.
    pub fn reason(&self) -> String {
        match self {
            StorageError::Unavailable(why) => format!("storage is not available: {why}"),
            StorageError::Full => "the storage is full".to_owned(),
            StorageError::Failed(why) => why.clone(),
        }
    }
}

fn describe(value: &JsValue) -> String {
    if let Some(e) = value.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", e.name(), e.message());
    }
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    value
        .as_string()
        .unwrap_or_else(|| "unknown error".to_owned())
}

fn classify(value: &JsValue) -> StorageError {
    match value.dyn_ref::<web_sys::DomException>() {
        Some(e) if e.name() == "QuotaExceededError" => StorageError::Full,
        _ => StorageError::Failed(describe(value)),
    }
}

/// Turns an IDB request into a promise of its result.
fn request_promise(request: &IdbRequest) -> Promise {
    let request = request.clone();
    Promise::new(&mut |resolve, reject| {
        let ok_request = request.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(
                &JsValue::NULL,
                &ok_request.result().unwrap_or(JsValue::UNDEFINED),
            );
        });
        let err_request = request.clone();
        let on_error = Closure::once_into_js(move || {
            let error = err_request
                .error()
                .ok()
                .flatten()
                .map_or(JsValue::from_str("request failed"), JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    })
}

async fn open() -> Result<IdbDatabase, StorageError> {
    let window =
        web_sys::window().ok_or_else(|| StorageError::Unavailable("no window".to_owned()))?;
    let factory = window
        .indexed_db()
        .map_err(|e| StorageError::Unavailable(describe(&e)))?
        .ok_or_else(|| StorageError::Unavailable("IndexedDB is not offered".to_owned()))?;
    let request: IdbOpenDbRequest = factory
        .open_with_u32(DB_NAME, DB_VERSION)
        .map_err(|e| StorageError::Unavailable(describe(&e)))?;
    let upgrade_request = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        if let Ok(result) = upgrade_request.result() {
            let db: IdbDatabase = result.unchecked_into();
            if !db.object_store_names().contains(STORE) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let db = JsFuture::from(request_promise(&request))
        .await
        .map_err(|e| StorageError::Unavailable(describe(&e)))?;
    Ok(db.unchecked_into())
}

/// Reads several keys in one transaction: the values stored (text, a list, a Blob), undefined
/// for a key never written.
pub async fn get_all(keys: &[&str]) -> Result<Vec<JsValue>, StorageError> {
    let db = open().await?;
    let read = async {
        let tx = db.transaction_with_str(STORE).map_err(|e| classify(&e))?;
        let store = tx.object_store(STORE).map_err(|e| classify(&e))?;
        // Every request and its handlers are in place before the first wait: a request's
        // success may arrive while an earlier one is awaited.
        let pending = keys
            .iter()
            .map(|key| {
                let request = store
                    .get(&JsValue::from_str(key))
                    .map_err(|e| classify(&e))?;
                Ok(JsFuture::from(request_promise(&request)))
            })
            .collect::<Result<Vec<_>, StorageError>>()?;
        let mut values = Vec::with_capacity(pending.len());
        for value in pending {
            values.push(value.await.map_err(|e| classify(&e))?);
        }
        Ok(values)
    };
    let values = read.await;
    db.close();
    values
}

/// Writes several keys in one transaction: all of them or none. Values are anything IndexedDB
/// can clone: text, lists, and Blobs, which the browser stores without copying them through
/// the page.
pub async fn put_all(entries: &[(&str, JsValue)]) -> Result<(), StorageError> {
    let db = open().await?;
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(|e| classify(&e))?;
    let store = tx.object_store(STORE).map_err(|e| classify(&e))?;
    let mut last = None;
    for (key, value) in entries {
        last = Some(
            store
                .put_with_key(value, &JsValue::from_str(key))
                .map_err(|e| classify(&e))?,
        );
    }
    let done = Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        // An error is followed by an abort; each gets its own handler because a `once`
        // closure throws if called twice. Rejecting an already settled promise is a no-op.
        let failure = |tx: web_sys::IdbTransaction, reject: js_sys::Function| {
            Closure::once_into_js(move || {
                let error = tx
                    .error()
                    .map_or(JsValue::from_str("transaction aborted"), JsValue::from);
                let _ = reject.call1(&JsValue::NULL, &error);
            })
        };
        tx.set_oncomplete(Some(on_complete.unchecked_ref()));
        tx.set_onerror(Some(failure(tx.clone(), reject.clone()).unchecked_ref()));
        tx.set_onabort(Some(failure(tx.clone(), reject).unchecked_ref()));
    });
    drop(last);
    let result = JsFuture::from(done)
        .await
        .map(|_| ())
        .map_err(|e| classify(&e));
    db.close();
    result
}

/// Removes every key (the "Start over" button).
pub async fn clear() -> Result<(), StorageError> {
    let db = open().await?;
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(|e| classify(&e))?;
    let store = tx.object_store(STORE).map_err(|e| classify(&e))?;
    let request = store.clear().map_err(|e| classify(&e))?;
    JsFuture::from(request_promise(&request))
        .await
        .map_err(|e| classify(&e))?;
    db.close();
    Ok(())
}
