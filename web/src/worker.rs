//! The loading worker: the same WebAssembly module as the page, run in a dedicated Web Worker
//! (`web/worker.js` starts it and calls `load_job`). It reads the files the analyst gave,
//! imports them into the dataset the page had (handed over as a snapshot), and sends back the
//! new dataset as a snapshot, with progress on the way. Parsing hundreds of megabytes of JSON
//! here leaves the page free to scroll, switch tabs and cancel; and the worker's memory, which
//! grows to the size of the files, is returned to the browser when the page ends the worker.
//!
//! Messages to the page (plain objects, `kind` first):
//! - `{kind: "progress", file, index, count, phase, bytes, total, evidence}`;
//! - `{kind: "done", blob: Blob, files: JSON, memory}`: the snapshot, a `FileResult` per file,
//!   and the worker's memory in bytes;
//! - `{kind: "failed", message}` when the job could not run at all.

use airview_engine::{snapshot, Dataset};
use airview_import::{check_size, load_with_progress, Progress, MAX_BROWSER_FILE_BYTES};
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, ReadableStreamDefaultReader};

/// Progress is posted at most this often: more would only keep the page busy repainting.
const PROGRESS_EVERY_MS: f64 = 50.0;

/// What became of one file: it loaded (with what it held) or it was refused (and why).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileResult {
    /// The file's place among those given (names may repeat: pages of one export).
    pub index: usize,
    pub name: String,
    pub format: String,
    pub alerts: usize,
    pub evidence: usize,
    /// Alerts loaded already, from an earlier page or file, and skipped.
    pub repeated_alerts: usize,
    /// Something the analyst should know although the file loaded.
    pub warning: Option<String>,
    /// Why the file was refused; the dataset is then as it was before it.
    pub error: Option<String>,
}

/// The phases of a load the page shows.
pub const READING: &str = "reading";
pub const PARSING: &str = "parsing";

fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn scope() -> Option<DedicatedWorkerGlobalScope> {
    js_sys::global().dyn_into().ok()
}

fn post(message: &Object) {
    if let Some(scope) = scope() {
        let _ = scope.post_message(message);
    }
}

fn fail(message: &str) {
    let m = Object::new();
    set(&m, "kind", &"failed".into());
    set(&m, "message", &message.into());
    post(&m);
}

/// Reports progress to the page, at most every `PROGRESS_EVERY_MS`.
struct Reporter {
    last: f64,
    name: String,
    index: usize,
    count: usize,
    total: f64,
}

impl Reporter {
    fn report(&mut self, phase: &str, bytes: f64, evidence: usize, force: bool) {
        let now = js_sys::Date::now();
        if !force && now - self.last < PROGRESS_EVERY_MS {
            return;
        }
        self.last = now;
        let m = Object::new();
        set(&m, "kind", &"progress".into());
        set(&m, "file", &self.name.as_str().into());
        set(&m, "index", &(self.index as f64).into());
        set(&m, "count", &(self.count as f64).into());
        set(&m, "phase", &phase.into());
        set(&m, "bytes", &bytes.into());
        set(&m, "total", &self.total.into());
        set(&m, "evidence", &(evidence as f64).into());
        post(&m);
    }
}

/// Reads a blob's bytes as the browser streams them, telling `progress` how far it got. A
/// stream is about twice as fast as reading slices with `FileReaderSync` (Chromium, 640 MB:
/// 1.3 s against 2.8 s) and still gives a progress bar something to show.
async fn read_bytes(blob: &Blob, mut progress: impl FnMut(f64)) -> Result<Vec<u8>, String> {
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
        crate::loading::append(&mut bytes, &part);
        progress(bytes.len() as f64);
    }
    if bytes.len() as f64 != blob.size() {
        return Err(MOVED.to_owned());
    }
    Ok(bytes)
}

fn string_field(object: &JsValue, key: &str) -> Option<String> {
    Reflect::get(object, &JsValue::from_str(key))
        .ok()?
        .as_string()
}

/// Runs one load: `job` is `{files: [[name, Blob], ...], base: Blob | null}`.
#[wasm_bindgen]
pub fn load_job(job: JsValue) {
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(message) = run(&job).await {
            fail(&message);
        }
    });
}

async fn run(job: &JsValue) -> Result<(), String> {
    let files: Array = Reflect::get(job, &"files".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("the page sent no files")?;
    let base = Reflect::get(job, &"base".into())
        .ok()
        .and_then(|b| b.dyn_into::<Blob>().ok());
    let mut data = match base {
        None => Dataset::new(),
        Some(blob) => {
            let bytes = read_bytes(&blob, |_| {}).await?;
            snapshot::decode(&bytes)
                .map_err(|e| format!("the data loaded before could not be carried over: {e}"))?
        }
    };
    let count = files.length() as usize;
    let mut results = Vec::with_capacity(count);
    for (index, pair) in files.iter().enumerate() {
        let name = Reflect::get(&pair, &0.into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        let Some(blob) = Reflect::get(&pair, &1.into())
            .ok()
            .and_then(|b| b.dyn_into::<Blob>().ok())
        else {
            continue;
        };
        let mut reporter = Reporter {
            last: 0.0,
            name: name.clone(),
            index,
            count,
            total: blob.size(),
        };
        let mut result = load_file(&mut data, &name, &blob, &mut reporter).await;
        result.index = index;
        results.push(result);
    }
    let bytes = snapshot::encode(&data);
    // Not freed item by item (a million allocations, a few hundred milliseconds): the page
    // ends this worker as soon as it has the snapshot, and the browser takes back its memory
    // whole.
    std::mem::forget(data);
    let array = Uint8Array::from(bytes.as_slice());
    drop(bytes);
    let blob = Blob::new_with_u8_array_sequence(&Array::of1(&array))
        .map_err(|_| "the browser could not keep the loaded data")?;
    let m = Object::new();
    set(&m, "kind", &"done".into());
    set(&m, "blob", &blob);
    set(
        &m,
        "files",
        &serde_json::to_string(&results).unwrap_or_default().into(),
    );
    // The worker's memory at its peak (WebAssembly memory only grows), for the figures.
    let memory = Reflect::get(&wasm_bindgen::memory(), &"buffer".into())
        .and_then(|b| Reflect::get(&b, &"byteLength".into()))
        .unwrap_or(JsValue::UNDEFINED);
    set(&m, "memory", &memory);
    post(&m);
    // The worker ends itself: torn down on its own thread, its memory (the size of the files)
    // goes back to the browser without the page waiting for it, as it would in `terminate`.
    if let Some(scope) = scope() {
        scope.close();
    }
    Ok(())
}

async fn load_file(
    data: &mut Dataset,
    name: &str,
    blob: &Blob,
    reporter: &mut Reporter,
) -> FileResult {
    let mut result = FileResult {
        index: 0,
        name: name.to_owned(),
        format: String::new(),
        alerts: 0,
        evidence: 0,
        repeated_alerts: 0,
        warning: None,
        error: None,
    };
    // Refused before reading: the limit is what the worker's memory can hold.
    if let Err(e) = check_size(name, blob.size() as u64, MAX_BROWSER_FILE_BYTES) {
        result.error = Some(e.to_string());
        return result;
    }
    reporter.report(READING, 0.0, 0, true);
    let bytes = match read_bytes(blob, |done| reporter.report(READING, done, 0, false)).await {
        Ok(bytes) => bytes,
        Err(e) => {
            result.error = Some(format!("`{name}`: {e}"));
            return result;
        }
    };
    let total = bytes.len() as f64;
    let decoded = airview_import::text::decode(bytes);
    let warning = decoded.warning(name);
    let text = decoded.text;
    // Offsets the importer reports are into the text; scale them to the file's bytes.
    let scale = if text.is_empty() {
        0.0
    } else {
        total / text.len() as f64
    };
    let report = load_with_progress(data, name, &text, None, &mut |p: Progress| {
        reporter.report(PARSING, p.bytes as f64 * scale, p.evidence, false)
    });
    match report {
        Ok(report) => {
            reporter.report(PARSING, total, report.evidence, true);
            result.format = report.format.map_or("", |f| f.name()).to_owned();
            result.alerts = report.alerts;
            result.evidence = report.evidence;
            result.repeated_alerts = report.repeated_alerts.len();
            result.warning = warning;
        }
        Err(e) => result.error = Some(e.to_string()),
    }
    result
}

/// Whether this instance runs in a worker rather than a page.
pub fn in_worker() -> bool {
    scope().is_some()
}

/// The text a `failed` message carries.
pub fn failure_message(message: &JsValue) -> Option<String> {
    string_field(message, "message")
}
