//! Loading, on the page's side: hands the files to the loading worker (`worker.rs`), shows its
//! progress, and rebuilds the action center from the snapshot it sends back.
//!
//! The page's main thread never parses an export. What it does itself (decoding the snapshot,
//! deciding every evidence item, indexing the center, listing its rows) it does a slice at a
//! time, yielding to the browser between slices, so that a million evidence items never stop
//! the page from scrolling or answering a click for long. Nothing changes in the app until
//! the new center is complete: a cancelled or failed load leaves everything as it was.

use crate::state::{AppState, Export, LoadedFile, Msg, Notice};
use crate::worker::{FileResult, PARSING, READING};
use airview_engine::center::{Center, CenterBuilder, Rows};
use airview_engine::snapshot::Decoder;
use airview_engine::{Dataset, Journal, Policy};
use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Blob, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::prelude::*;

/// A slice of main-thread work stops after this long and lets the browser run.
const SLICE_MS: f64 = 25.0;

#[wasm_bindgen]
extern "C" {
    /// The URL of this module's JavaScript glue, which the worker imports to start the same
    /// WebAssembly module.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_URL: String;
}

/// What a load is doing, for the progress bar.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadProgress {
    /// The file being read, and its place among the files given.
    pub file: String,
    pub index: usize,
    pub count: usize,
    pub phase: Phase,
    /// Bytes of this file read or parsed so far, of `total`.
    pub bytes: f64,
    pub total: f64,
    /// Evidence items read from this file so far.
    pub evidence: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Starting,
    Reading,
    Parsing,
    /// The page builds the action center: `done` of `total` items.
    Preparing {
        done: usize,
        total: usize,
    },
}

impl LoadProgress {
    fn starting(count: usize) -> LoadProgress {
        LoadProgress {
            file: String::new(),
            index: 0,
            count,
            phase: Phase::Starting,
            bytes: 0.0,
            total: 0.0,
            evidence: 0,
        }
    }

    /// How far the whole load has got, from 0 to 1: each file's share, and the page's own
    /// work as the last tenth.
    pub fn fraction(&self) -> f64 {
        let count = self.count.max(1) as f64;
        let file = if self.total > 0.0 {
            self.bytes / self.total
        } else {
            0.0
        };
        match self.phase {
            Phase::Starting => 0.0,
            Phase::Reading => 0.9 * (self.index as f64 + 0.1 * file) / count,
            Phase::Parsing => 0.9 * (self.index as f64 + 0.1 + 0.9 * file) / count,
            Phase::Preparing { done, total } => 0.9 + 0.1 * done as f64 / total.max(1) as f64,
        }
    }
}

pub type LoadingHandle = UseStateHandle<Option<LoadProgress>>;

type Handlers = (
    Closure<dyn FnMut(MessageEvent)>,
    Closure<dyn FnMut(web_sys::Event)>,
);

/// The running load: its worker and its handlers.
struct Job {
    worker: Option<Worker>,
    /// The worker's handlers, kept alive while it runs: (message, error).
    handlers: Option<Handlers>,
    /// Bumped by every start and cancel, so that a cancelled load's last slice sees it is
    /// no longer wanted.
    generation: u32,
}

thread_local! {
    static JOB: RefCell<Job> = const { RefCell::new(Job { worker: None, handlers: None, generation: 0 }) };
}

fn generation() -> u32 {
    JOB.with(|j| j.borrow().generation)
}

fn end_worker() {
    JOB.with(|j| {
        let mut job = j.borrow_mut();
        if let Some(worker) = job.worker.take() {
            worker.terminate();
        }
        job.handlers = None;
    });
}

/// Stops the running load. Nothing it read reaches the app.
pub fn cancel(loading: &LoadingHandle) {
    end_worker();
    JOB.with(|j| j.borrow_mut().generation += 1);
    loading.set(None);
}

/// What a load is for: the state it starts from, fixed when it starts.
#[derive(Clone)]
pub struct Basis {
    pub policy: Rc<Policy>,
    /// The journal replayed over the new data, and its revision: if the analyst acts while
    /// the load runs, the reducer replays the newer journal itself.
    pub journal_text: Rc<String>,
    pub journal_rev: u32,
    /// The files loaded so far, which the new ones join (none when they replace the sample).
    pub files: Rc<Vec<LoadedFile>>,
    pub exports: Rc<Vec<Export>>,
    /// The new files replace the sample (and its journal) rather than join it.
    pub replacing_sample: bool,
    /// The app is starting from what a previous visit stored: if that cannot be read, it
    /// shows the sample instead of waiting forever.
    pub boot: bool,
}

impl Basis {
    /// A load of more files into what `state` holds; the sample is replaced, not joined.
    pub fn of(state: &AppState) -> (Basis, Option<Blob>) {
        let replacing_sample = state.sample_shift.is_some();
        let basis = Basis {
            policy: state.base_policy.clone(),
            journal_text: if replacing_sample {
                Rc::default()
            } else {
                state.journal_text.clone()
            },
            journal_rev: state.journal_rev,
            files: if replacing_sample {
                Rc::default()
            } else {
                state.files.clone()
            },
            exports: if replacing_sample {
                Rc::default()
            } else {
                state.exports.clone()
            },
            replacing_sample,
            boot: false,
        };
        let base = if replacing_sample {
            None
        } else {
            state.snapshot.clone()
        };
        (basis, base)
    }
}

/// The new state's parts, complete: the reducer only puts them in place.
pub struct Loaded {
    pub basis: Basis,
    /// The center before the journal, and after it.
    pub base: Center,
    pub center: Center,
    pub journal: Journal,
    /// The journal as replayed: empty when it did not verify and was set aside.
    pub journal_text: String,
    pub rows: Rows,
    pub files: Vec<LoadedFile>,
    pub exports: Vec<Export>,
    pub snapshot: Blob,
    pub notices: Vec<Notice>,
}

/// The load failed: the app stays as it was (or, starting up, shows the sample) and says why.
fn failed(app: &UseReducerHandle<AppState>, loading: &LoadingHandle, boot: bool, text: String) {
    end_worker();
    loading.set(None);
    app.dispatch(Msg::Notify(Notice::error(text)));
    if boot {
        app.dispatch(Msg::Boot(crate::state::Stored {
            keep_stored: true,
            ..Default::default()
        }));
    }
}

/// Loads `files` (name and content) in the worker, into the data `base` describes.
pub fn start(
    app: UseReducerHandle<AppState>,
    loading: LoadingHandle,
    files: Vec<(String, Blob)>,
    basis: Basis,
    base: Option<Blob>,
) {
    end_worker();
    let generation = JOB.with(|j| {
        let mut job = j.borrow_mut();
        job.generation += 1;
        job.generation
    });
    loading.set(Some(LoadProgress::starting(files.len())));
    let boot = basis.boot;
    let worker = match spawn_worker() {
        Ok(worker) => worker,
        Err(e) => {
            return failed(
                &app,
                &loading,
                boot,
                format!("the files could not be loaded: {e}"),
            )
        }
    };
    let given: Vec<(String, Blob)> = files.clone();
    let on_message = {
        let (app, loading) = (app.clone(), loading.clone());
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if generation != self::generation() {
                return;
            }
            let data = event.data();
            let kind = field(&data, "kind").as_string().unwrap_or_default();
            match kind.as_str() {
                "progress" => loading.set(Some(progress_of(&data))),
                "done" => {
                    mark("airview:parsed", JsValue::UNDEFINED);
                    // The worker has closed itself; ending it from here would make the page
                    // wait while its memory is torn down.
                    JOB.with(|j| j.borrow_mut().worker = None);
                    let (app, loading, given, basis) =
                        (app.clone(), loading.clone(), given.clone(), basis.clone());
                    spawn_local(async move {
                        if let Err(e) = finish(
                            app.clone(),
                            loading.clone(),
                            generation,
                            &data,
                            given,
                            basis,
                        )
                        .await
                        {
                            if generation == self::generation() {
                                failed(&app, &loading, boot, e);
                            }
                        }
                    });
                }
                _ => {
                    let why = crate::worker::failure_message(&data)
                        .unwrap_or_else(|| "the loading worker stopped".to_owned());
                    failed(&app, &loading, boot, format!("the files could not be loaded: {why}; what was loaded before is unchanged"));
                }
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let on_error = {
        let (app, loading) = (app.clone(), loading.clone());
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if generation == self::generation() {
                failed(&app, &loading, boot, "the loading worker failed (out of memory?); what was loaded before is unchanged".to_owned());
            }
        })
    };
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let list = Array::new();
    for (name, blob) in &files {
        list.push(&Array::of2(&JsValue::from_str(name), blob));
    }
    let job = Object::new();
    let _ = Reflect::set(&job, &"files".into(), &list);
    let _ = Reflect::set(
        &job,
        &"base".into(),
        &base.map_or(JsValue::NULL, JsValue::from),
    );
    let message = Object::new();
    let _ = Reflect::set(
        &message,
        &"glue".into(),
        &GLUE_URL.with(|u| JsValue::from_str(u)),
    );
    let _ = Reflect::set(&message, &"module".into(), &wasm_bindgen::module());
    let _ = Reflect::set(&message, &"job".into(), &job);
    if let Err(e) = worker.post_message(&message) {
        worker.terminate();
        return failed(
            &app,
            &loading,
            boot,
            format!(
                "the files could not be handed to the loading worker: {}",
                describe(&e)
            ),
        );
    }
    JOB.with(|j| {
        let mut job = j.borrow_mut();
        job.worker = Some(worker);
        job.handlers = Some((on_message, on_error));
    });
}

fn spawn_worker() -> Result<Worker, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    Worker::new_with_options("./worker.js", &options).map_err(|e| describe(&e))
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

fn field(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn progress_of(data: &JsValue) -> LoadProgress {
    let number = |k: &str| field(data, k).as_f64().unwrap_or(0.0);
    let phase = field(data, "phase").as_string().unwrap_or_default();
    LoadProgress {
        file: field(data, "file").as_string().unwrap_or_default(),
        index: number("index") as usize,
        count: number("count") as usize,
        phase: match phase.as_str() {
            READING => Phase::Reading,
            PARSING => Phase::Parsing,
            _ => Phase::Starting,
        },
        bytes: number("bytes"),
        total: number("total"),
        evidence: number("evidence") as usize,
    }
}

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
async fn sliced(cancelled: &impl Fn() -> bool, mut slice: impl FnMut() -> bool) -> bool {
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
fn for_a_slice(mut step: impl FnMut() -> bool) -> bool {
    let deadline = now_ms() + SLICE_MS;
    let mut finished = false;
    while !finished && now_ms() < deadline {
        finished = step();
    }
    finished
}

/// A User Timing mark, for benchmarks and the browser's performance panel: `detail` carries a
/// figure the page cannot show otherwise, such as the worker's memory.
fn mark(name: &str, detail: JsValue) {
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

/// A blob's bytes, read 16 MB at a time with a yield between reads: one large
/// `ArrayBuffer` handed to the page costs it a long garbage collection, small ones do not.
/// `None` when the load was cancelled on the way.
async fn blob_bytes(blob: &Blob, cancelled: impl Fn() -> bool) -> Result<Option<Vec<u8>>, String> {
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

/// The worker is done: report its files, and if any loaded, rebuild the center from its
/// snapshot.
async fn finish(
    app: UseReducerHandle<AppState>,
    loading: LoadingHandle,
    generation: u32,
    message: &JsValue,
    given: Vec<(String, Blob)>,
    basis: Basis,
) -> Result<(), String> {
    let results: Vec<FileResult> =
        serde_json::from_str(&field(message, "files").as_string().unwrap_or_default())
            .unwrap_or_default();
    let mut notices = Vec::new();
    let mut files = (*basis.files).clone();
    let mut exports = (*basis.exports).clone();
    for result in &results {
        match &result.error {
            Some(e) => notices.push(Notice::error(e.clone())),
            None => {
                if result.repeated_alerts > 0 {
                    notices.push(Notice::info(format!(
                        "`{}`: {} alert(s) were loaded already and are skipped",
                        result.name, result.repeated_alerts
                    )));
                }
                if let Some(w) = &result.warning {
                    notices.push(Notice::info(w.clone()));
                }
                files.push(LoadedFile {
                    name: result.name.clone(),
                    format: result.format.clone(),
                    alerts: result.alerts,
                    evidence: result.evidence,
                });
                if let Some((name, blob)) = given.get(result.index) {
                    exports.push(Export {
                        name: name.clone(),
                        blob: blob.clone(),
                    });
                }
            }
        }
    }
    if files.len() == basis.files.len() {
        // Nothing new loaded: the app stays as it was, and says why.
        loading.set(None);
        for n in notices {
            app.dispatch(Msg::Notify(n));
        }
        if basis.boot {
            app.dispatch(Msg::Boot(crate::state::Stored {
                keep_stored: true,
                ..Default::default()
            }));
        }
        return Ok(());
    }
    let snapshot: Blob = field(message, "blob")
        .dyn_into()
        .map_err(|_| "the loading worker sent no data")?;
    let loaded = rebuild(
        &loading, generation, basis, files, exports, snapshot, notices,
    )
    .await?;
    if let Some(loaded) = loaded {
        loading.set(None);
        app.dispatch(Msg::Loaded(Box::new(loaded)));
        mark("airview:loaded", field(message, "memory"));
    }
    Ok(())
}

/// Re-opens what a previous visit stored: the snapshot when it is readable, else the stored
/// exports read again by the worker.
pub fn resume(
    app: UseReducerHandle<AppState>,
    loading: LoadingHandle,
    snapshot: Option<Blob>,
    basis: Basis,
) {
    let generation = JOB.with(|j| {
        let mut job = j.borrow_mut();
        job.generation += 1;
        job.generation
    });
    loading.set(Some(LoadProgress::starting(basis.files.len())));
    spawn_local(async move {
        let mut why = None;
        if let Some(blob) = snapshot.clone() {
            let files = (*basis.files).clone();
            let exports = (*basis.exports).clone();
            match rebuild(
                &loading,
                generation,
                basis.clone(),
                files,
                exports,
                blob,
                Vec::new(),
            )
            .await
            {
                Ok(Some(loaded)) => {
                    loading.set(None);
                    app.dispatch(Msg::Loaded(Box::new(loaded)));
                    return;
                }
                Ok(None) => return,
                Err(e) => why = Some(e),
            }
        }
        if let Some(why) = why {
            app.dispatch(Msg::Notify(Notice::info(format!("the saved data could not be reopened ({why}); airview reads the saved exports again"))));
        }
        // Read the stored exports again, from nothing.
        let given: Vec<(String, Blob)> = basis
            .exports
            .iter()
            .map(|e| (e.name.clone(), e.blob.clone()))
            .collect();
        let fresh = Basis {
            files: Rc::default(),
            exports: Rc::default(),
            ..basis
        };
        start(app, loading, given, fresh, None);
    });
}

/// Decodes the snapshot and builds the center, a slice at a time. `None` when the load was
/// cancelled on the way.
#[allow(
    clippy::too_many_arguments,
    reason = "the parts of a load, each named where it is called"
)]
async fn rebuild(
    loading: &LoadingHandle,
    generation: u32,
    basis: Basis,
    files: Vec<LoadedFile>,
    exports: Vec<Export>,
    snapshot: Blob,
    notices: Vec<Notice>,
) -> Result<Option<Loaded>, String> {
    let cancelled = || generation != self::generation();
    let show = |done: usize, total: usize| {
        loading.set(Some(LoadProgress {
            file: String::new(),
            index: files.len(),
            count: files.len(),
            phase: Phase::Preparing { done, total },
            bytes: 0.0,
            total: 0.0,
            evidence: 0,
        }))
    };
    let Some(bytes) = blob_bytes(&snapshot, cancelled).await? else {
        return Ok(None);
    };
    mark("airview:decoding", JsValue::UNDEFINED);
    let mut decoder = Decoder::new(bytes.as_slice())
        .map_err(|e| format!("the loaded data could not be read: {e}"))?;
    // The decoder's last answer: `Ok(None)` until it has the dataset or an error.
    let mut decoded = Ok(None);
    let finished = sliced(&cancelled, || {
        let finished = for_a_slice(|| {
            decoded = decoder.step(4096);
            !matches!(decoded, Ok(None))
        });
        // Decoding is the first half of the page's work, deciding the second.
        let (at, of) = decoder.progress();
        show(at * 1000 / of.max(1), 2000);
        finished
    })
    .await;
    if !finished {
        return Ok(None);
    }
    let data: Dataset = decoded
        .map_err(|e| format!("the loaded data could not be read: {e}"))?
        .ok_or("the loaded data could not be read")?;
    mark("airview:decoded", JsValue::UNDEFINED);
    let mut builder = CenterBuilder::new(
        Arc::new(data),
        Arc::new((*basis.policy).clone()),
        crate::state::now(),
    );
    let finished = sliced(&cancelled, || {
        let finished = for_a_slice(|| builder.step(16_384));
        let (at, of) = builder.progress();
        show(1000 + at * 1000 / of.max(1), 2000);
        finished
    })
    .await;
    if !finished {
        return Ok(None);
    }
    let base = builder.finish();
    mark("airview:indexed", JsValue::UNDEFINED);
    yield_now().await;
    let mut notices = notices;
    let (center, journal, journal_text) =
        crate::state::replay(&base, &basis.journal_text, &mut notices);
    mark("airview:replayed", JsValue::UNDEFINED);
    let mut rows = center.rows_builder();
    if !sliced(&cancelled, || for_a_slice(|| rows.step(65_536))).await {
        return Ok(None);
    }
    let rows = rows.finish();
    mark("airview:listed", JsValue::UNDEFINED);
    Ok(Some(Loaded {
        basis,
        base,
        center,
        journal,
        journal_text,
        rows,
        files,
        exports,
        snapshot,
        notices,
    }))
}
