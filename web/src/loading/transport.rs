//! The worker protocol (`airview_app::protocol`) on `postMessage`: a message travels as an
//! array, its JSON text first and then the Blobs it refers to by position, which the browser
//! hands over without copying their bytes. These four functions are the only code that takes
//! a message apart; everything else reads the protocol's types.

use super::slices::describe;
use airview_app::protocol::{decode, encode};
use airview_app::{FromWorker, ToWorker};
use js_sys::Array;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, Worker};

#[wasm_bindgen]
extern "C" {
    /// The URL of this module's JavaScript glue, which the worker imports to start the same
    /// WebAssembly module.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_URL: String;
}

fn pack<T: Serialize>(message: &T, blobs: &[Blob]) -> Result<Array, String> {
    let text = encode(message).map_err(|e| e.to_string())?;
    let packed = Array::of1(&JsValue::from_str(&text));
    for blob in blobs {
        packed.push(blob);
    }
    Ok(packed)
}

fn unpack<T: for<'de> Deserialize<'de>>(value: &JsValue) -> Result<(T, Vec<Blob>), String> {
    const NOT_A_MESSAGE: &str = "a message from the other half is not one of airview's";
    if !Array::is_array(value) {
        return Err(NOT_A_MESSAGE.to_owned());
    }
    let parts = Array::from(value);
    let text = parts.get(0).as_string().ok_or(NOT_A_MESSAGE)?;
    let message = decode(&text).map_err(|e| e.to_string())?;
    let blobs = parts
        .iter()
        .skip(1)
        .map(|b| b.dyn_into::<Blob>().map_err(|_| NOT_A_MESSAGE.to_owned()))
        .collect::<Result<_, _>>()?;
    Ok((message, blobs))
}

/// The page's half: starts `worker` on this module and hands it `job` with its Blobs.
/// `web/worker.js` reads the first message as `[glue URL, compiled module, job]`.
pub fn post_job(worker: &Worker, job: &ToWorker, blobs: &[Blob]) -> Result<(), String> {
    let start = Array::of3(
        &GLUE_URL.with(|u| JsValue::from_str(u)),
        &wasm_bindgen::module(),
        &pack(job, blobs)?.into(),
    );
    worker.post_message(&start).map_err(|e| {
        format!(
            "the files could not be handed to the loading worker: {}",
            describe(&e)
        )
    })
}

/// The page's half: a message the worker posted.
pub fn from_worker(data: &JsValue) -> Result<(FromWorker, Vec<Blob>), String> {
    unpack(data)
}

/// The worker's half: the job the page handed over.
pub fn job(value: &JsValue) -> Result<(ToWorker, Vec<Blob>), String> {
    unpack(value)
}

/// The worker's half: posts `message` with its Blobs to the page.
pub fn to_page(message: &FromWorker, blobs: &[Blob]) -> Result<(), String> {
    let scope: DedicatedWorkerGlobalScope = js_sys::global()
        .dyn_into()
        .map_err(|_| "this is not a worker")?;
    scope
        .post_message(&pack(message, blobs)?.into())
        .map_err(|e| {
            format!(
                "the loading worker could not answer the page: {}",
                describe(&e)
            )
        })
}
