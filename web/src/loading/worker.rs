//! The loading worker: the same WebAssembly module as the page, run in a dedicated Web Worker
//! (`web/worker.js` starts it and calls `load_job`). It reads the files the analyst gave,
//! imports them into the dataset the page had (handed over as a snapshot), and sends back the
//! new dataset as a snapshot, with progress on the way. Parsing hundreds of megabytes of JSON
//! here leaves the page free to scroll, switch tabs and cancel; and the worker's memory, which
//! grows to the size of the files, is returned to the browser when the worker ends.
//!
//! It speaks `airview_app::protocol` through `transport`: a `ToWorker::Load` in, then
//! `FromWorker::Progress` messages, and `Done` (with the snapshot's Blob) or `Failed`. What it
//! does with a file's bytes is the core's (`airview_app::import`).

use super::slices::append;
use super::transport;
use airview_app::import::{import_file, refusal_by_size};
use airview_app::{FileResult, FromWorker, LoadProgress, Phase, ToWorker};
use airview_engine::{snapshot, Dataset};
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, ReadableStreamDefaultReader};

/// Progress is posted at most this often: more would only keep the page busy repainting.
const PROGRESS_EVERY_MS: f64 = 50.0;

fn scope() -> Option<DedicatedWorkerGlobalScope> {
    js_sys::global().dyn_into().ok()
}

/// Whether this instance runs in a worker rather than a page.
pub fn in_worker() -> bool {
    scope().is_some()
}

/// Reports progress to the page, at most every `PROGRESS_EVERY_MS`.
struct Reporter {
    last: f64,
    name: String,
    index: usize,
    count: usize,
    total: u64,
}

impl Reporter {
    fn report(&mut self, phase: Phase, bytes: u64, evidence: usize, force: bool) {
        let now = js_sys::Date::now();
        if !force && now - self.last < PROGRESS_EVERY_MS {
            return;
        }
        self.last = now;
        let progress = LoadProgress {
            file: self.name.clone(),
            index: self.index,
            count: self.count,
            phase,
            bytes,
            total: self.total,
            evidence,
        };
        // A report that cannot be posted is skipped: the next one, or the answer, says more.
        let _ = transport::to_page(&FromWorker::Progress(progress), &[]);
    }
}

/// Reads a blob's bytes as the browser streams them, telling `progress` how far it got. A
/// stream is about twice as fast as reading slices with `FileReaderSync` (Chromium, 640 MB:
/// 1.3 s against 2.8 s) and still gives a progress bar something to show.
async fn read_bytes(blob: &Blob, mut progress: impl FnMut(u64)) -> Result<Vec<u8>, String> {
    const MOVED: &str = "the browser could not read the file (was it moved or changed?)";
    // Reserved, not filled: the pages are written once, as the bytes arrive.
    let mut bytes = Vec::with_capacity(blob.size() as usize);
    let reader: ReadableStreamDefaultReader = blob.stream().get_reader().unchecked_into();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(|_| MOVED)?;
        if Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            == Some(true)
        {
            break;
        }
        let part: Uint8Array = Reflect::get(&chunk, &"value".into())
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .ok_or(MOVED)?;
        append(&mut bytes, &part);
        progress(bytes.len() as u64);
    }
    if bytes.len() as f64 != blob.size() {
        return Err(MOVED.to_owned());
    }
    Ok(bytes)
}

/// Runs one load; `job` is a `ToWorker` message with its Blobs (see `transport`).
#[wasm_bindgen]
pub fn load_job(job: JsValue) {
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(message) = run(&job).await {
            // When even the failure cannot be posted, the worker throws, and the page's
            // error handler reports that the loading worker failed.
            if let Err(e) = transport::to_page(&FromWorker::Failed { message }, &[]) {
                wasm_bindgen::throw_str(&e);
            }
        }
    });
}

async fn run(job: &JsValue) -> Result<(), String> {
    let (ToWorker::Load { files, base }, blobs) = transport::job(job)?;
    let blob = |i: usize| {
        blobs
            .get(i)
            .ok_or("the page's message names a file it did not send")
    };
    let mut data = match base {
        None => Dataset::new(),
        Some(i) => {
            let bytes = read_bytes(blob(i)?, |_| {}).await?;
            snapshot::decode(&bytes)
                .map_err(|e| format!("the data loaded before could not be carried over: {e}"))?
        }
    };
    let count = files.len();
    let mut results = Vec::with_capacity(count);
    for (index, file) in files.iter().enumerate() {
        let result = load_file(&mut data, index, count, &file.name, blob(file.handle)?).await;
        results.push(result);
    }
    let bytes = snapshot::encode(&data);
    // Not freed item by item (a million allocations, a few hundred milliseconds): the worker
    // closes as soon as the page has the snapshot, and the browser takes back its memory whole.
    std::mem::forget(data);
    let array = Uint8Array::from(bytes.as_slice());
    drop(bytes);
    let snapshot = Blob::new_with_u8_array_sequence(&Array::of1(&array))
        .map_err(|_| "the browser could not keep the loaded data")?;
    // The worker's memory at its peak (WebAssembly memory only grows), for the figures.
    // (`byteLength` is read as a number: at 4 GiB it is past a u32.)
    let buffer = wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer();
    let memory = Reflect::get(&buffer, &"byteLength".into())
        .ok()
        .and_then(|b| b.as_f64())
        .unwrap_or(0.0);
    let done = FromWorker::Done {
        files: results,
        snapshot: 0,
        memory: memory as u64,
    };
    transport::to_page(&done, &[snapshot])?;
    // The worker ends itself: torn down on its own thread, its memory (the size of the files)
    // goes back to the browser without the page waiting for it, as it would in `terminate`.
    if let Some(scope) = scope() {
        scope.close();
    }
    Ok(())
}

async fn load_file(
    data: &mut Dataset,
    index: usize,
    count: usize,
    name: &str,
    blob: &Blob,
) -> FileResult {
    let size = blob.size() as u64;
    // Refused before reading: the limit is what the worker's memory can hold.
    if let Some(refused) = refusal_by_size(index, name, size) {
        return refused;
    }
    let mut reporter = Reporter {
        last: 0.0,
        name: name.to_owned(),
        index,
        count,
        total: size,
    };
    reporter.report(Phase::Reading, 0, 0, true);
    let read = read_bytes(blob, |done| reporter.report(Phase::Reading, done, 0, false)).await;
    match read {
        Ok(bytes) => import_file(data, index, name, bytes, &mut |at, evidence| {
            reporter.report(Phase::Parsing, at, evidence, at >= size)
        }),
        Err(e) => FileResult::refused(index, name, format!("`{name}`: {e}")),
    }
}
