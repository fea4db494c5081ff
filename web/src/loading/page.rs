//! Loading, on the page's side: hands the files to the loading worker (`worker.rs`), follows
//! its progress, cancels it, and has the center rebuilt from the snapshot it sends back
//! (`rebuild.rs`). Nothing changes in the app until the new center is complete: a cancelled
//! or failed load leaves everything as it was.

use super::rebuild::rebuild;
use super::slices::{describe, mark};
use super::transport;
use crate::state::{now, Basis, Blob, Export, Msg, Notice, StateHandle, Stored};
use airview_app::{join_results, FileRef, FileResult, FromWorker, LoadProgress, ToWorker};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::prelude::*;

/// The load under way, for the progress bar on every screen; `None` when there is none.
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

/// The generation of the load wanted now.
pub(super) fn generation() -> u32 {
    JOB.with(|j| j.borrow().generation)
}

/// Starts a new generation: whatever runs for an older one stops at its next slice.
pub(super) fn next_generation() -> u32 {
    JOB.with(|j| {
        let mut job = j.borrow_mut();
        job.generation += 1;
        job.generation
    })
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
    next_generation();
    loading.set(None);
}

/// The load failed: the app stays as it was and says why. Starting up, it shows the sample
/// instead, with the stored journal (replayed over the sample, or set aside for export) and
/// keeping what is stored.
pub(super) fn failed(app: &StateHandle, loading: &LoadingHandle, basis: &Basis, text: String) {
    end_worker();
    loading.set(None);
    app.dispatch(Msg::Notify(Notice::error(text)));
    if basis.boot {
        boot_sample(app, basis);
    }
}

/// The sample in place of what a previous visit stored and could not be read again.
fn boot_sample(app: &StateHandle, basis: &Basis) {
    let stored = Stored {
        journal: (*basis.journal_text).clone(),
        keep_stored: true,
        ..Stored::default()
    };
    app.dispatch(Msg::Boot { stored, now: now() });
}

/// Loads `files` in the worker, into the data the snapshot `base` holds.
pub fn start(
    app: StateHandle,
    loading: LoadingHandle,
    files: Vec<Export>,
    basis: Basis,
    base: Option<Blob>,
) {
    end_worker();
    let generation = next_generation();
    loading.set(Some(LoadProgress::starting(files.len())));
    let worker = match spawn_worker() {
        Ok(worker) => worker,
        Err(e) => {
            return failed(
                &app,
                &loading,
                &basis,
                format!("the files could not be loaded: {e}"),
            )
        }
    };
    // The files by position, then the snapshot: the job names each by its place.
    let mut blobs: Vec<Blob> = files.iter().map(|f| f.blob.clone()).collect();
    let job = ToWorker::Load {
        files: files
            .iter()
            .enumerate()
            .map(|(handle, f)| FileRef {
                name: f.name.clone(),
                handle,
            })
            .collect(),
        base: base.map(|b| {
            blobs.push(b);
            files.len()
        }),
    };
    let on_message = {
        let (app, loading, basis) = (app.clone(), loading.clone(), basis.clone());
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if generation != self::generation() {
                return;
            }
            match transport::from_worker(&event.data()) {
                Ok((FromWorker::Progress(progress), _)) => loading.set(Some(progress)),
                Ok((
                    FromWorker::Done {
                        files: results,
                        snapshot,
                        memory,
                    },
                    blobs,
                )) => {
                    mark("airview:parsed", JsValue::UNDEFINED);
                    // The worker has closed itself; ending it from here would make the page
                    // wait while its memory is torn down.
                    JOB.with(|j| j.borrow_mut().worker = None);
                    let done = Done {
                        results,
                        snapshot: blobs.get(snapshot).cloned(),
                        memory,
                    };
                    let (app, loading, files, basis) =
                        (app.clone(), loading.clone(), files.clone(), basis.clone());
                    spawn_local(async move {
                        if let Err(e) =
                            finish(&app, &loading, generation, done, &files, &basis).await
                        {
                            if generation == self::generation() {
                                failed(&app, &loading, &basis, e);
                            }
                        }
                    });
                }
                Ok((FromWorker::Failed { message }, _)) => {
                    failed(&app, &loading, &basis, format!("the files could not be loaded: {message}; what was loaded before is unchanged"));
                }
                Err(e) => {
                    failed(&app, &loading, &basis, format!("the files could not be loaded: {e}; what was loaded before is unchanged"));
                }
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let on_error = {
        let (app, loading, basis) = (app.clone(), loading.clone(), basis.clone());
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if generation == self::generation() {
                failed(&app, &loading, &basis, "the loading worker failed (out of memory?); what was loaded before is unchanged".to_owned());
            }
        })
    };
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    if let Err(e) = transport::post_job(&worker, &job, &blobs) {
        worker.terminate();
        return failed(&app, &loading, &basis, e);
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

/// The worker's answer.
struct Done {
    results: Vec<FileResult>,
    snapshot: Option<Blob>,
    memory: u64,
}

/// The worker is done: report its files, and if any loaded, rebuild the center from its
/// snapshot.
async fn finish(
    app: &StateHandle,
    loading: &LoadingHandle,
    generation: u32,
    done: Done,
    given: &[Export],
    basis: &Basis,
) -> Result<(), String> {
    let joined = join_results(basis, given, &done.results);
    if !joined.added_to(basis) {
        // Nothing new loaded: the app stays as it was, and says why.
        loading.set(None);
        for n in joined.notices {
            app.dispatch(Msg::Notify(n));
        }
        if basis.boot {
            boot_sample(app, basis);
        }
        return Ok(());
    }
    let snapshot = done.snapshot.ok_or("the loading worker sent no data")?;
    let loaded = rebuild(loading, generation, basis.clone(), joined, snapshot).await?;
    if let Some(loaded) = loaded {
        loading.set(None);
        app.dispatch(Msg::Loaded {
            loaded: Box::new(loaded),
            now: now(),
        });
        mark("airview:loaded", JsValue::from_f64(done.memory as f64));
    }
    Ok(())
}
