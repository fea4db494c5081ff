//! The policy page's folder lists: the core and temp folder patterns, one a line.

use super::DraftHandle;
use airview_app::{Edit, Folders};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// The folder lists' part of the page; a function, as `groups::groups` is.
pub fn folder_lists(draft: &DraftHandle) -> Html {
    let list = |which: Folders, label: &'static str| {
        let handle = draft.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            handle.dispatch(Edit::SetFolders(which, text));
        });
        let text = draft.0.folders_text(which);
        html! { <textarea rows="7" value={text} {oninput} aria-label={label} /> }
    };
    html! {
        <>
            <h2>{ "Folders" }</h2>
            <div class="folders">
                <label>{ "Core folders" }{ list(Folders::Core, "Core folders, one pattern a line") }</label>
                <label>{ "Temp folders" }{ list(Folders::Temp, "Temp folders, one pattern a line") }</label>
            </div>
            <p class="muted">{ "`*` is exactly one folder name; a trailing `\\*` is anything below. airview decides: Microsoft's temp list also names `\\program files\\` and `\\program files (x86)\\*`, which contradicts the core list, so the default temp list leaves them out." }</p>
        </>
    }
}
