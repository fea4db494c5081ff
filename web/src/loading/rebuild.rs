//! The action center rebuilt from a snapshot on the page, a slice at a time: decoding the
//! snapshot, deciding every evidence item and indexing the center, replaying the journal, and
//! listing the rows (see `slices`). Also the start from what a previous visit stored, which is
//! such a rebuild, or a load of the stored exports when the stored snapshot does not read.

use super::page::{generation, next_generation, start, LoadingHandle};
use super::slices::{blob_bytes, for_a_slice, mark, sliced, yield_now};
use crate::state::{now, Basis, Blob, Loaded, Msg, Notice, StateHandle};
use airview_app::{open_journal, LoadProgress, Results};
use airview_engine::snapshot::Decoder;
use airview_engine::{CenterBuilder, Dataset};
use std::sync::Arc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;

/// Re-opens what a previous visit stored: the snapshot when it is readable, else the stored
/// exports read again by the worker.
pub fn resume(app: StateHandle, loading: LoadingHandle, snapshot: Option<Blob>, basis: Basis) {
    let generation = next_generation();
    loading.set(Some(LoadProgress::starting(basis.files.len())));
    spawn_local(async move {
        let mut why = None;
        if let Some(blob) = snapshot {
            let stored = Results {
                files: (*basis.files).clone(),
                exports: (*basis.exports).clone(),
                notices: Vec::new(),
            };
            match rebuild(&loading, generation, basis.clone(), stored, blob).await {
                Ok(Some(loaded)) => {
                    loading.set(None);
                    app.dispatch(Msg::Loaded {
                        loaded: Box::new(loaded),
                        now: now(),
                    });
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
        let given = (*basis.exports).clone();
        start(app, loading, given, basis.from_nothing(), None);
    });
}

/// Decodes `snapshot` and builds the center over it, with the basis's journal, a slice at a
/// time. `None` when the load was cancelled on the way.
pub(super) async fn rebuild(
    loading: &LoadingHandle,
    generation: u32,
    basis: Basis,
    joined: Results<Blob>,
    snapshot: Blob,
) -> Result<Option<Loaded>, String> {
    let cancelled = || generation != self::generation();
    let count = joined.files.len();
    let show =
        |done: usize, total: usize| loading.set(Some(LoadProgress::preparing(count, done, total)));
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
    let mut builder = CenterBuilder::new(Arc::new(data), basis.policy.clone(), now());
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
    let (session, set_aside) = open_journal(base, &basis.journal_text, now());
    mark("airview:replayed", JsValue::UNDEFINED);
    let rows = {
        let mut rows = session.center().rows_builder();
        if !sliced(&cancelled, || for_a_slice(|| rows.step(65_536))).await {
            return Ok(None);
        }
        rows.finish()
    };
    mark("airview:listed", JsValue::UNDEFINED);
    let mut notices = joined.notices;
    notices.extend(set_aside);
    Ok(Some(Loaded {
        basis,
        session,
        rows,
        files: joined.files,
        exports: joined.exports,
        snapshot,
        notices,
    }))
}
