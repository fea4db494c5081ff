//! The main components, mounted into a fresh element over a real engine state (the embedded
//! sample), driven with real DOM events, and asserted on the DOM: the queue renders the
//! center's pending actions and its buttons dispatch the acts the engine then applies.

#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use airview_web::route::Route;
use airview_web::screens::flyout::Flyout;
use airview_web::screens::policy::{policy_key, PolicyPage};
use airview_web::screens::queue::{Queue, Tab};
use airview_web::state::{now, Msg, State, Stored};
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Clone, Copy, PartialEq)]
enum Show {
    Queue,
    FirstPendingFlyout,
    Policy,
}

#[derive(Properties, PartialEq)]
struct HarnessProps {
    show: Show,
}

thread_local! {
    /// The action the flyout test opened: the first pending one when the test began (after an
    /// act, "the first pending action" is another one).
    static FLYOUT_ID: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The app's reducer over the sample, without storage, around one component.
#[component]
fn Harness(props: &HarnessProps) -> Html {
    let state = use_reducer(State::new);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            state.dispatch(Msg::Boot {
                stored: Stored::default(),
                now: now(),
            })
        });
    }
    if !state.ready {
        return html! {};
    }
    match props.show {
        Show::Queue => {
            html! { <Queue state={state.clone()} tab={Tab::Pending} rows={state.rows.clone()} /> }
        }
        Show::FirstPendingFlyout => {
            let id = FLYOUT_ID.with(|f| {
                f.borrow_mut()
                    .get_or_insert_with(|| {
                        state
                            .center()
                            .pending()
                            .first()
                            .map(|a| a.id.clone())
                            .unwrap_or_default()
                    })
                    .clone()
            });
            html! { <Flyout state={state.clone()} {id} back={Route::Pending} /> }
        }
        Show::Policy => {
            html! { <PolicyPage key={policy_key(&state)} state={state.clone()} /> }
        }
    }
}

fn mount(show: Show) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Harness>::with_root_and_props(root.clone(), HarnessProps { show }).render();
    root
}

/// Yields to the event loop until `probe` finds something (renders are scheduled by Yew).
async fn until<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    for _ in 0..200 {
        if let Some(found) = probe() {
            return found;
        }
        yew::platform::time::sleep(Duration::ZERO).await;
    }
    panic!("gave up waiting for {what}");
}

fn text(root: &Element, selector: &str) -> Option<String> {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
}

fn count(label: &str) -> usize {
    label
        .split(['(', ')'])
        .nth(1)
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap()
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

fn button(root: &Element, label: &str) -> HtmlElement {
    all(root, "button")
        .into_iter()
        .find(|b| b.text_content().as_deref() == Some(label))
        .unwrap()
        .dyn_into()
        .unwrap()
}

#[wasm_bindgen_test]
async fn the_queue_renders_the_centers_pending_actions_and_approve_applies() {
    let root = mount(Show::Queue);
    let tab = until("the Pending tab", || text(&root, ".tab.active")).await;
    let before = count(&tab);
    assert!(before > 0, "{tab}");
    let rows = all(&root, "table.actions tbody tr:not(.pad)");
    assert_eq!(
        rows.len().min(before),
        rows.len(),
        "only pending rows are rendered"
    );
    assert!(rows
        .iter()
        .all(|r| r.text_content().unwrap_or_default().contains("Pending")));

    // Nothing selected: Approve is disabled and says why.
    assert!(button(&root, "Approve").has_attribute("disabled"));
    let first: HtmlInputElement = root
        .query_selector("tbody tr:not(.pad) input[type=checkbox]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    first.click();
    until("one selected", || {
        text(&root, ".selected-count").filter(|t| t == "1 selected")
    })
    .await;
    let approve = button(&root, "Approve");
    assert!(!approve.has_attribute("disabled"));
    approve.click();
    until("the pending count to fall by one", || {
        text(&root, ".tab.active").filter(|t| count(t) == before - 1)
    })
    .await;
    assert_eq!(
        text(&root, ".selected-count").as_deref(),
        Some("0 selected")
    );
}

#[wasm_bindgen_test]
async fn a_mixed_selection_disables_approve_with_the_engines_reason() {
    let root = mount(Show::Queue);
    until("rows", || {
        (!all(&root, "tbody tr:not(.pad)").is_empty()).then_some(())
    })
    .await;
    let rows = all(&root, "tbody tr:not(.pad)");
    let kind = |r: &Element| {
        r.query_selector("td:nth-child(4)")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    let other = rows.iter().position(|r| kind(r) != kind(&rows[0])).unwrap();
    for r in [&rows[0], &rows[other]] {
        let c: HtmlInputElement = r
            .query_selector("input[type=checkbox]")
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap();
        c.click();
    }
    until("two selected", || {
        text(&root, ".selected-count").filter(|t| t == "2 selected")
    })
    .await;
    assert!(button(&root, "Approve").has_attribute("disabled"));
    assert!(button(&root, "Reject").has_attribute("disabled"));
    let reason = text(&root, "#bulk-reason").unwrap();
    assert!(
        reason.contains("different types cannot be handled together"),
        "{reason}"
    );
}

#[wasm_bindgen_test]
async fn the_flyout_explains_and_reject_applies() {
    let root = mount(Show::FirstPendingFlyout);
    until("the reasons", || text(&root, "ol.reasons")).await;
    assert!(text(&root, "h3")
        .unwrap()
        .starts_with("Why is this pending"));
    assert!(text(&root, "ol.reasons li")
        .unwrap()
        .starts_with("verdict: "));
    assert_eq!(text(&root, ".flyout .status").as_deref(), Some("Pending"));
    button(&root, "Reject").click();
    until("the rejection", || {
        text(&root, ".flyout .status").filter(|s| s == "Rejected")
    })
    .await;
    assert!(text(&root, "ul.journal")
        .unwrap()
        .contains("Analyst rejected"));
}

#[wasm_bindgen_test]
async fn the_policy_draft_updates_the_preview_at_once() {
    let root = mount(Show::Policy);
    let select: HtmlSelectElement = until("the Workstations level", || {
        root.query_selector("select[aria-label='Automation level of Workstations']")
            .ok()
            .flatten()
    })
    .await
    .dyn_into()
    .unwrap();
    assert!(text(&root, "h3")
        .unwrap()
        .starts_with("Actions whose outcome changes (0)"));
    let original = select.value();
    select.set_value("full");
    // A real `change` bubbles, as Yew's delegated listeners expect.
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    select
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
    let heading = until("changes", || {
        text(&root, "h3").filter(|t| !t.contains("(0)"))
    })
    .await;
    assert!(count(&heading) > 0, "{heading}");
    assert!(text(&root, "figure")
        .unwrap()
        .contains("Pending approval → Taken automatically"));

    // A changed action's reasons are written out when the analyst opens them, on both sides.
    let details: web_sys::HtmlDetailsElement = root
        .query_selector("table.changes details")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(all(&root, "table.changes details li").is_empty());
    details.set_open(true);
    details
        .dispatch_event(&web_sys::Event::new("toggle").unwrap())
        .unwrap();
    let reasons = until("the reasons", || {
        let lists = all(&root, "table.changes details ol");
        (lists.len() == 2).then_some(lists)
    })
    .await;
    let said = |list: &Element| list.text_content().unwrap_or_default();
    assert!(
        said(&reasons[0]).contains("waits for approval"),
        "{}",
        said(&reasons[0])
    );
    assert!(
        said(&reasons[1]).contains("remediated automatically"),
        "{}",
        said(&reasons[1])
    );

    // Back and forth: the preview follows every draft. (It is remembered per draft; a new
    // draft's decisions may sit where the last ones were freed, which must not pass for them.)
    for _ in 0..3 {
        for level in [original.as_str(), "full"] {
            select.set_value(level);
            select
                .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
                .unwrap();
            let zero = level == original;
            until("the preview of the draft", || {
                text(&root, "h3").filter(|t| t.contains("(0)") == zero)
            })
            .await;
        }
    }
}
