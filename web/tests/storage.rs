//! The store in real IndexedDB in Chromium: what the app writes reads back as the state it
//! came from, and a key that holds something it cannot read is reported by name, with its
//! content offered for export, never dropped.
//!
//! Run with `cargo test --target wasm32-unknown-unknown -p airview-web` (headless Chromium).

#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use airview_app::stored::{keys, start};
use airview_app::{Notice, Start};
use airview_web::loading::{storage, stored};
use airview_web::state::effects::js_entries;
use airview_web::state::{now, AppState, Blob, Msg, Stored};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn no_text(_: &str) -> Result<Blob, String> {
    panic!("no older airview text here")
}

/// The one notice that names `key`.
fn about<'a>(notices: &'a [Notice], key: &str) -> &'a Notice {
    let found: Vec<&Notice> = notices
        .iter()
        .filter(|n| n.text.contains(&format!("`{key}`")))
        .collect();
    assert_eq!(found.len(), 1, "{notices:?}");
    found[0]
}

/// The sample's state, as the app boots it.
fn sample() -> AppState {
    AppState::new(now())
        .reduce(Msg::Boot {
            stored: Stored::default(),
            now: now(),
        })
        .unwrap()
}

// One test, in steps: the store is one per origin, and the steps share it.
#[wasm_bindgen_test]
async fn the_store_reads_back_what_was_written_and_reports_what_it_cannot_read() {
    storage::clear().await.unwrap();

    // A first visit: nothing stored, nothing said.
    let (first, notices) = start(stored::read().await, 0, no_text);
    assert_eq!(first, Start::Sample(Stored::default()));
    assert!(notices.is_empty(), "{notices:?}");

    // What the sample saves reads back: its shift and its journal.
    let state = sample();
    storage::put_all(&js_entries(state.save_all().unwrap()))
        .await
        .unwrap();
    storage::put_all(&js_entries(state.save_identity().unwrap()))
        .await
        .unwrap();
    let (again, notices) = start(stored::read().await, 0, no_text);
    assert!(notices.is_empty(), "{notices:?}");
    let Start::Sample(kept) = again else {
        panic!("the sample starts again")
    };
    assert_eq!(kept.sample_shift, state.sample_shift);
    assert_eq!(kept.identity.as_ref(), Some(&state.actor));

    // Values of the wrong kind, or text that does not parse, are reported by key.
    storage::put_all(&[
        (keys::IDENTITY, JsValue::from_f64(42.0)),
        (keys::SAMPLE_SHIFT, JsValue::from_str("soon")),
        (keys::JOURNAL, JsValue::TRUE),
    ])
    .await
    .unwrap();
    let (_, notices) = start(stored::read().await, 0, no_text);
    let identity = about(&notices, keys::IDENTITY);
    assert!(
        identity
            .text
            .contains("it holds a value of type number where text was expected"),
        "{}",
        identity.text
    );
    let shift = about(&notices, keys::SAMPLE_SHIFT);
    assert_eq!(shift.rescue.as_ref().map(|r| r.1.as_str()), Some("soon"));
    assert!(about(&notices, keys::JOURNAL).text.contains("type boolean"));

    // Stored exports with a file list and a policy that do not read, and a snapshot that is
    // not a file: each is said, the text offered, and the exports read again.
    let export =
        Blob::new_with_str_sequence(&js_sys::Array::of1(&JsValue::from_str("{}"))).unwrap();
    let list = js_sys::Array::of2(
        &js_sys::Array::of2(&JsValue::from_str("a.json"), &export),
        &JsValue::from_f64(7.0),
    );
    storage::put_all(&[
        (keys::EXPORTS, list.into()),
        (keys::FILES, JsValue::from_str("[{\"name\": 3}]")),
        (keys::POLICY, JsValue::from_str("{\"default_level\": 5}")),
        (keys::SNAPSHOT, JsValue::from_str("not a file")),
        (keys::IDENTITY, JsValue::UNDEFINED),
        (keys::SAMPLE_SHIFT, JsValue::from_str("")),
        (keys::JOURNAL, JsValue::from_str("")),
    ])
    .await
    .unwrap();
    let (resume, notices) = start(stored::read().await, 0, no_text);
    assert!(about(&notices, keys::EXPORTS)
        .text
        .contains("entry 2 is not an export"));
    assert_eq!(
        about(&notices, keys::FILES)
            .rescue
            .as_ref()
            .map(|r| r.1.as_str()),
        Some("[{\"name\": 3}]")
    );
    assert_eq!(
        about(&notices, keys::POLICY).rescue.clone(),
        Some((
            "airview-stored-policy.json".to_owned(),
            "{\"default_level\": 5}".to_owned()
        ))
    );
    assert!(about(&notices, keys::SNAPSHOT)
        .text
        .contains("where a file was expected"));
    let Start::Resume {
        basis, snapshot, ..
    } = resume
    else {
        panic!("the stored export is read again")
    };
    assert_eq!(basis.exports.len(), 1);
    assert_eq!(basis.exports[0].name, "a.json");
    assert_eq!(snapshot, None);

    storage::clear().await.unwrap();
}
