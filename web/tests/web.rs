//! Browser tests: mount a component into a fresh element, fire real DOM events, assert the DOM.
//!
//! Run with `cargo test --target wasm32-unknown-unknown -p airview-web` (headless Chromium).

#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use airview_web::App;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// How long a condition may take to become true before a test fails (start-up reads storage and
/// loads the sample in an unoptimised build).
const DEADLINE_MS: f64 = 10_000.0;

/// A fresh, empty element appended to the document's body.
fn fresh_root() -> Result<Element, JsValue> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or("no document")?;
    let root = document.create_element("div")?;
    document.body().ok_or("no body")?.append_child(&root)?;
    Ok(root)
}

/// Yields to the event loop until `found` returns an element, so that the renders Yew schedules
/// and the app's start-up can run.
async fn wait_until(
    what: &str,
    mut found: impl FnMut() -> Result<Option<Element>, JsValue>,
) -> Result<Element, JsValue> {
    let start = js_sys::Date::now();
    while js_sys::Date::now() - start < DEADLINE_MS {
        if let Some(element) = found()? {
            return Ok(element);
        }
        yew::platform::time::sleep(Duration::ZERO).await;
    }
    Err(format!("timed out waiting for {what}").into())
}

/// The first element under `root` that matches `selector` and whose text is `text`.
fn find(root: &Element, selector: &str, text: &str) -> Result<Option<Element>, JsValue> {
    let list = root.query_selector_all(selector)?;
    Ok((0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .find(|element| element.text_content().as_deref() == Some(text)))
}

#[wasm_bindgen_test]
async fn the_navigation_opens_the_settings() -> Result<(), JsValue> {
    let root = fresh_root()?;
    yew::Renderer::<App>::with_root(root.clone()).render();

    let name = wait_until("the app's name", || {
        find(&root, "header .app-name", "airview")
    })
    .await?;
    assert_eq!(name.text_content().as_deref(), Some("airview"));
    let link: HtmlElement = wait_until("the Settings link", || find(&root, "nav a", "Settings"))
        .await?
        .dyn_into()?;
    assert!(find(&root, "main h1", "Settings")?.is_none());

    link.click();
    wait_until("the Settings heading", || {
        find(&root, "main h1", "Settings")
    })
    .await?;
    let current = find(&root, "nav a[aria-current=page]", "Settings")?;
    assert!(
        current.is_some(),
        "the Settings link is not marked as the current page"
    );
    Ok(())
}
