//! The policy page's acts on the draft as a whole: apply it (a journal entry, with a comment),
//! revert to the previous policy, export the draft or the current policy, import a file into
//! the draft.

use super::DraftHandle;
use crate::download;
use crate::state::{act, Msg, Notice, StateHandle};
use airview_app::Edit;
use airview_engine::{Event as CenterEvent, PolicyFile};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Saves `file` as `airview-policy-{which}.json`; an export that cannot be made is said so,
/// never saved as an empty file.
fn export(state: &StateHandle, which: &'static str, file: PolicyFile) -> Callback<MouseEvent> {
    let state = state.clone();
    Callback::from(move |_: MouseEvent| {
        let saved = serde_json::to_string_pretty(&file)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                download::save(
                    &format!("airview-policy-{which}.json"),
                    "application/json",
                    &text,
                )
            });
        if let Err(e) = saved {
            state.dispatch(Msg::Notify(Notice::error(format!(
                "cannot save the policy: {e}"
            ))));
        }
    })
}

/// Reads a policy file the analyst picked into the draft, or says where it is wrong.
fn import(state: &StateHandle, draft: &DraftHandle) -> Callback<Event> {
    let (state, draft) = (state.clone(), draft.clone());
    Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let Some(file) = input.files().and_then(|l| l.get(0)) else {
            return;
        };
        input.set_value("");
        let (state, draft) = (state.clone(), draft.clone());
        spawn_local(async move {
            let name = file.name();
            let notice = match JsFuture::from(file.text()).await.map(|t| t.as_string()) {
                Ok(Some(text)) => match serde_json::from_str::<PolicyFile>(&text) {
                    Ok(p) => {
                        draft.dispatch(Edit::Replace(p));
                        Notice::info(format!(
                            "`{name}` is in the draft; review the preview, then apply"
                        ))
                    }
                    Err(e) => Notice::error(format!(
                        "`{name}`, line {}, column {}: {}",
                        e.line(),
                        e.column(),
                        airview_engine::json_message(&e)
                    )),
                },
                _ => Notice::error(format!("`{name}` could not be read")),
            };
            state.dispatch(Msg::Notify(notice));
        });
    })
}

#[derive(Properties, PartialEq)]
pub struct ApplyBarProps {
    pub state: StateHandle,
    pub draft: DraftHandle,
}

#[component]
pub fn ApplyBar(props: &ApplyBarProps) -> Html {
    let (state, draft) = (&props.state, &props.draft);
    let comment = use_state(String::new);
    let file = draft.0.file().clone();
    let same = draft.0.is_current();
    let can_apply = state.check(CenterEvent::ApplyPolicy {
        policy: file.clone(),
    });
    let apply = {
        let (state, comment, file) = (state.clone(), comment.clone(), file.clone());
        Callback::from(move |_: MouseEvent| {
            let text = comment.trim().to_owned();
            act(
                &state,
                CenterEvent::ApplyPolicy {
                    policy: file.clone(),
                },
                (!text.is_empty()).then_some(text),
            );
            comment.set(String::new());
        })
    };
    let revert = state.previous_policy().map(|policy| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            act(
                &state,
                CenterEvent::ApplyPolicy {
                    policy: policy.clone(),
                },
                Some("revert to the previous policy".into()),
            )
        })
    });
    let on_comment = {
        let c = comment.clone();
        Callback::from(move |e: InputEvent| {
            c.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    html! {
        <>
            <div class="acts apply">
                <label class="comment">{ "Comment" }<input type="text" value={(*comment).clone()} oninput={on_comment} placeholder="Why (kept in the journal)" /></label>
                <button type="button" class="btn primary" onclick={apply} disabled={same || can_apply.is_err()} title={can_apply.clone().err().unwrap_or_default()}>{ "Apply draft" }</button>
                if let Some(revert) = revert { <button type="button" class="btn" onclick={revert}>{ "Revert to the previous policy" }</button> }
                <button type="button" class="btn" onclick={export(state, "draft", file)}>{ "Export draft" }</button>
                <button type="button" class="btn" onclick={export(state, "current", draft.0.current().clone())}>{ "Export current" }</button>
                <label class="btn file">{ "Import policy" }<input type="file" accept=".json,application/json" onchange={import(state, draft)} /></label>
            </div>
            if let Err(why) = &can_apply { if !same { <p class="reason">{ why.clone() }</p> } }
        </>
    }
}
