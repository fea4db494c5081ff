//! The policy page: edit device groups, levels and folder lists in a draft, and see at once
//! what the draft would change on the loaded investigations before applying it.
//!
//! Every edit is an `airview_app::Edit` of the draft (`airview_app::Draft`, tested natively)
//! and changes the draft only. "Apply" is a journal entry (`apply_policy`), so the action
//! center's queues recompute and the change can be reverted by applying the previous policy.
//! Each part of the page has a file of its own: the groups (`groups.rs`), the folder lists
//! (`folders.rs`), applying and exchanging files (`apply.rs`), the preview (`preview.rs`) and
//! the list of changed actions (`changes.rs`). The parts with state of their own (the apply
//! bar's comment, the list's filter, a row's open reasons) are components; the others are
//! functions drawn with the page, since every component costs the app kilobytes.

mod apply;
mod changes;
mod folders;
mod groups;
mod preview;

use crate::same::Same;
use crate::state::{AppState, StateHandle};
use airview_app::{Draft, Edit};
use airview_engine::preview::Preview;
use airview_engine::{evaluate, Decision, Policy, PolicyFile};
use apply::ApplyBar;
use changes::ChangesProps;
use folders::folder_lists;
use groups::groups;
use preview::{preview_pane, use_wait_figures};
use std::rc::Rc;
use yew::prelude::*;

/// The component's key: it changes when the current policy may have changed (a policy applied,
/// or other exports loaded), so that the page mounts afresh with a draft equal to the new
/// current policy.
pub fn policy_key(state: &AppState) -> String {
    format!("{}-{}", state.exports_rev, state.policies_applied())
}

/// The draft as Yew's reducer state: each edit is reduced from the draft as it is then, so
/// that two quick edits never start from the same draft.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftState(pub Draft);

impl Reducible for DraftState {
    type Action = Edit;

    fn reduce(self: Rc<Self>, edit: Edit) -> Rc<Self> {
        Rc::new(DraftState(self.0.edited(edit)))
    }
}

pub type DraftHandle = UseReducerHandle<DraftState>;

/// What the engine says of the draft: the policy it makes, or the errors; and its warnings.
struct Checked {
    policy: Option<Rc<Policy>>,
    errors: Vec<String>,
    warnings: Vec<String>,
}

impl Checked {
    fn of(file: &PolicyFile) -> Checked {
        match Policy::from_file(file) {
            Ok((policy, warnings)) => Checked {
                policy: Some(Rc::new(policy)),
                errors: Vec::new(),
                warnings: warnings.into_iter().map(|w| w.message).collect(),
            },
            Err(errors) => Checked {
                policy: None,
                errors: errors.into_iter().map(|e| e.message).collect(),
                warnings: Vec::new(),
            },
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct PolicyProps {
    pub state: StateHandle,
}

#[component]
pub fn PolicyPage(props: &PolicyProps) -> Html {
    let state = &props.state;
    let draft = use_reducer(|| DraftState(Draft::new(state.policy_file())));
    let checked = use_memo(draft.0.file().clone(), Checked::of);
    let center = state.center();
    let current_decisions = center.decisions().clone();
    let draft_decisions: Option<Rc<Vec<Decision>>> = {
        let data = center.data().clone();
        let policy = checked.policy.clone();
        let memo = use_memo((draft.0.file().clone(), state.exports_rev), move |_| {
            policy.map(|p| Rc::new(evaluate(&data, &p)))
        });
        (*memo).clone()
    };
    // Computed again only when the draft's decisions are (not when a comment is typed).
    let preview = {
        let (current, current_decisions) = (center.policy().clone(), current_decisions.clone());
        let (policy, decisions) = (checked.policy.clone(), draft_decisions.clone());
        let memo = use_memo(
            (Same(decisions.clone()), Same(current_decisions.clone())),
            move |_| match (policy, decisions) {
                (Some(p), Some(d)) => Some(Rc::new(Preview::compute(
                    &current,
                    &current_decisions,
                    &p,
                    &d,
                ))),
                _ => None,
            },
        );
        (*memo).clone()
    };
    let figures = use_wait_figures(state, draft_decisions.clone());
    let changes = ChangesProps {
        state: state.clone(),
        preview: Same(preview.clone()),
        draft_policy: Same(checked.policy.clone()),
        draft_decisions: Same(draft_decisions),
    };
    html! {
        <section class="policy" aria-label="Policy preview">
            <h1>{ "Automation levels: draft and preview" }</h1>
            <p class="muted">{ "Edits change the draft only; the preview below shows what the draft would do to the loaded investigations. Nothing changes until you apply." }</p>
            <div class="policy-grid">
                <div>
                    { groups(&draft) }
                    { folder_lists(&draft) }
                    if !checked.errors.is_empty() { <ul class="errors" role="alert">{ for checked.errors.iter().map(|e| html! { <li>{ e.clone() }</li> }) }</ul> }
                    if !checked.warnings.is_empty() { <ul class="warnings" role="status">{ for checked.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul> }
                    <ApplyBar state={state.clone()} draft={draft.clone()} />
                </div>
                { preview_pane(&preview, &figures, changes) }
            </div>
        </section>
    }
}
