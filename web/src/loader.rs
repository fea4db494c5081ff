//! Loading exports: a file picker, drag and drop of one or several files, and paste.
//! The importer detects each file's format; a file that fails is reported inline with its
//! name and the place, and what was loaded before stays.

use crate::format;
use crate::state::{AppState, Msg, Notice};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{DragEvent, File, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Reads the given files' text, then hands them to the reducer together.
fn read_files(files: Vec<File>, state: UseReducerHandle<AppState>) {
    spawn_local(async move {
        let mut texts = Vec::new();
        for file in files {
            let name = file.name();
            // Refused before reading: a file past the browser's limit would not fit a string.
            if let Err(e) = airview_import::check_size(
                &name,
                file.size() as u64,
                airview_import::MAX_BROWSER_FILE_BYTES,
            ) {
                state.dispatch(Msg::Notify(Notice::error(e.to_string())));
                continue;
            }
            match JsFuture::from(file.text()).await {
                Ok(text) => texts.push((name, text.as_string().unwrap_or_default())),
                Err(_) => state.dispatch(Msg::Notify(Notice::error(format!(
                    "`{name}`: the browser could not read the file"
                )))),
            }
        }
        if !texts.is_empty() {
            state.dispatch(Msg::Load(texts));
        }
    });
}

fn file_list(list: Option<web_sys::FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

#[derive(Properties, PartialEq)]
pub struct LoaderProps {
    pub state: UseReducerHandle<AppState>,
}

#[component]
pub fn Loader(props: &LoaderProps) -> Html {
    let state = &props.state;
    let dragging = use_state(|| false);
    let pasted = use_state(String::new);
    let on_pick = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            read_files(file_list(input.files()), state.clone());
            input.set_value("");
        })
    };
    let on_drop = {
        let state = state.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            read_files(
                file_list(e.data_transfer().and_then(|d| d.files())),
                state.clone(),
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
        let state = state.clone();
        let pasted = pasted.clone();
        Callback::from(move |_: MouseEvent| {
            if !pasted.trim().is_empty() {
                state.dispatch(Msg::Load(vec![(
                    "pasted.json".to_owned(),
                    (*pasted).clone(),
                )]));
                pasted.set(String::new());
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
