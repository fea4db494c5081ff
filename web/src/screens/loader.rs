//! Loading exports: a file picker, drag and drop of one or several files, and paste.
//! The loading worker reads them (`loading.rs`, `worker.rs`) while the page stays usable; the
//! importer detects each file's format; a file that fails is reported with its name and the
//! place, and what was loaded before stays.

use crate::format;
use crate::loading::{self, LoadingHandle};
use crate::state::{Basis, Export, Msg, Notice, StateHandle};
use wasm_bindgen::JsValue;
use web_sys::{Blob, DragEvent, File, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Hands files to the loading worker, into what the app holds now. The worker reads them
/// itself: the page never copies a file's content.
fn load(files: Vec<Export>, state: &StateHandle, loading: &LoadingHandle) {
    if files.is_empty() {
        return;
    }
    if loading.is_some() {
        state.dispatch(Msg::Notify(Notice::error(
            "a load is under way: wait for it to finish, or cancel it, before loading more files",
        )));
        return;
    }
    let (basis, base) = Basis::of(state);
    loading::start(state.clone(), loading.clone(), files, basis, base);
}

fn named(files: Vec<File>) -> Vec<Export> {
    files
        .into_iter()
        .map(|f| Export {
            name: f.name(),
            blob: f.into(),
        })
        .collect()
}

fn file_list(list: Option<web_sys::FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

#[derive(Properties, PartialEq)]
pub struct LoaderProps {
    pub state: StateHandle,
    pub loading: LoadingHandle,
}

#[component]
pub fn Loader(props: &LoaderProps) -> Html {
    let state = &props.state;
    let dragging = use_state(|| false);
    let pasted = use_state(String::new);
    let loading = &props.loading;
    let on_pick = {
        let (state, loading) = (state.clone(), loading.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            load(named(file_list(input.files())), &state, &loading);
            input.set_value("");
        })
    };
    let on_drop = {
        let (state, loading) = (state.clone(), loading.clone());
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            load(
                named(file_list(e.data_transfer().and_then(|d| d.files()))),
                &state,
                &loading,
            );
        })
    };
    let on_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_paste_load = {
        let (state, loading) = (state.clone(), loading.clone());
        let pasted = pasted.clone();
        Callback::from(move |_: MouseEvent| {
            if pasted.trim().is_empty() {
                return;
            }
            let parts = js_sys::Array::of1(&JsValue::from_str(&pasted));
            match Blob::new_with_str_sequence(&parts) {
                Ok(blob) => {
                    load(
                        vec![Export {
                            name: "pasted.json".to_owned(),
                            blob,
                        }],
                        &state,
                        &loading,
                    );
                    pasted.set(String::new());
                }
                Err(_) => state.dispatch(Msg::Notify(Notice::error(
                    "the browser could not hold the pasted text",
                ))),
            }
        })
    };
    html! {
        <section class="loader" aria-label="Load exports">
            <h1>{ "Load exports" }</h1>
            <p class="muted">{ "Microsoft Graph security API alerts and incidents, Defender for Endpoint API responses, portal CSV exports, or an airview file. Everything stays in this browser." }</p>
            <div class={classes!("dropzone", dragging.then_some("over"))} ondrop={on_drop} ondragover={on_over} ondragleave={on_leave}>
                <p>{ "Drop one or several files here, or " }</p>
                <label class="btn primary file">{ "Choose files" }<input type="file" multiple=true accept=".json,.jsonl,.csv,application/json,text/csv" onchange={on_pick} /></label>
            </div>
            <label class="paste">{ "Or paste JSON" }
                <textarea rows="6" value={(*pasted).clone()} oninput={{ let p = pasted.clone(); Callback::from(move |e: InputEvent| p.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())) }} placeholder="{\"value\": [ … ]}" />
            </label>
            <button type="button" class="btn" onclick={on_paste_load} disabled={pasted.trim().is_empty()}>{ "Load pasted JSON" }</button>
            <h2>{ "Loaded" }</h2>
            <table class="actions compact">
                <thead><tr><th scope="col">{ "File" }</th><th scope="col">{ "Format" }</th><th scope="col">{ "Alerts" }</th><th scope="col">{ "Evidence" }</th></tr></thead>
                <tbody>
                    { for state.files.iter().map(|f| html! { <tr><td>{ f.name.clone() }</td><td>{ f.format.clone() }</td><td>{ format::count(f.alerts) }</td><td>{ format::count(f.evidence) }</td></tr> }) }
                </tbody>
            </table>
        </section>
    }
}
