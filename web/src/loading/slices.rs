//! Main-thread work in slices: what the page does at the size of the data, it does about
//! `SLICE_MS` at a time, letting the browser run (input, rendering, other messages) between
//! slices, so that a million evidence items never stop the page from scrolling or answering a
//! click for long.

use js_sys::{Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

/// A slice of main-thread work stops after this long and lets the browser run.
const SLICE_MS: f64 = 25.0;

/// Lets the browser run (input, rendering, other messages) before the next slice of work:
/// `scheduler.yield()` where the browser has it, else a zero-delay timer (which browsers
/// stretch to 4 ms after a few in a row).
pub async fn yield_now() {
    let global = js_sys::global();
    let scheduler = Reflect::get(&global, &"scheduler".into()).unwrap_or(JsValue::UNDEFINED);
    let yield_fn = Reflect::get(&scheduler, &"yield".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let promise = match yield_fn.and_then(|f| f.call0(&scheduler).ok()) {
        Some(p) => Promise::resolve(&p),
        None => Promise::new(&mut |resolve, _| {
            let scheduled = web_sys::window().and_then(|w| {
                w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                    .ok()
            });
            if scheduled.is_none() {
                let _ = resolve.call0(&JsValue::NULL);
            }
        }),
    };
    let _ = JsFuture::from(promise).await;
}

/// Calls `slice` again and again, letting the browser run between calls, until it returns
/// true; false when the load was cancelled on the way. A call should work for about
/// `SLICE_MS`, which `for_a_slice` arranges.
pub async fn sliced(cancelled: &impl Fn() -> bool, mut slice: impl FnMut() -> bool) -> bool {
    loop {
        yield_now().await;
        if cancelled() {
            return false;
        }
        if slice() {
            return true;
        }
    }
}

/// Calls `step` until it returns true or a slice's time is up; whether it returned true.
pub fn for_a_slice(mut step: impl FnMut() -> bool) -> bool {
    let deadline = now_ms() + SLICE_MS;
    let mut finished = false;
    while !finished && now_ms() < deadline {
        finished = step();
    }
    finished
}

/// A User Timing mark, for benchmarks and the browser's performance panel: `detail` carries a
/// figure the page cannot show otherwise, such as the worker's memory.
pub fn mark(name: &str, detail: JsValue) {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    let options = Object::new();
    let _ = Reflect::set(&options, &"detail".into(), &detail);
    if let Ok(mark) =
        Reflect::get(&performance, &"mark".into()).and_then(|m| m.dyn_into::<js_sys::Function>())
    {
        let _ = mark.call2(&performance, &JsValue::from_str(name), &options);
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Appends a JS byte array to `bytes`.
pub fn append(bytes: &mut Vec<u8>, part: &Uint8Array) {
    let start = bytes.len();
    bytes.resize(start + part.length() as usize, 0);
    if let Some(tail) = bytes.get_mut(start..) {
        part.copy_to(tail);
    }
}

/// A JavaScript error in words.
pub fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// A blob's bytes, read 16 MB at a time with a yield between reads: one large
/// `ArrayBuffer` handed to the page costs it a long garbage collection, small ones do not.
/// `None` when the load was cancelled on the way.
pub async fn blob_bytes(
    blob: &Blob,
    cancelled: impl Fn() -> bool,
) -> Result<Option<Vec<u8>>, String> {
    const PART: f64 = 16.0 * 1024.0 * 1024.0;
    let size = blob.size();
    // Reserved, not filled: writing 70 MB of zeros up front would be one long task.
    let mut bytes = Vec::with_capacity(size as usize);
    let mut at = 0.0;
    while at < size {
        if cancelled() {
            return Ok(None);
        }
        let end = (at + PART).min(size);
        let part = blob
            .slice_with_f64_and_f64(at, end)
            .map_err(|e| describe(&e))?;
        let buffer = JsFuture::from(part.array_buffer())
            .await
            .map_err(|e| describe(&e))?;
        append(&mut bytes, &Uint8Array::new(&buffer));
        at = end;
    }
    if bytes.len() as f64 != size {
        return Err("the saved data changed while it was read".to_owned());
    }
    Ok(Some(bytes))
}
