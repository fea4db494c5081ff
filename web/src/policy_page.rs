//! The policy page: edit device groups, levels and folder lists in a draft, and see at once
//! what the draft would change on the loaded investigations before applying it.
//!
//! Every edit changes the draft only. "Apply" is a journal entry (`apply_policy`), so the
//! action center's queues recompute and the change can be reverted by applying the previous
//! policy.

use crate::download;
use crate::format;
use crate::route::Route;
use crate::same::Same;
use crate::state::{AppState, Msg, Notice};
use airview_engine::center::Event as CenterEvent;
use airview_engine::decide::Decision;
use airview_engine::policy::{GroupFile, MembershipRules, UNGROUPED};
use airview_engine::preview::{
    journal_waits, reported_waits, wait_figures, Pair, Preview, WaitFigures,
};
use airview_engine::{evaluate, AutomationLevel, Outcome, Policy, PolicyFile};
use std::rc::Rc;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The component's key: it changes when the current policy may have changed (a policy applied,
/// or other exports loaded), so that the page mounts afresh with a draft equal to the new
/// current policy.
pub fn policy_key(state: &AppState) -> String {
    let applied = state
        .journal
        .entries
        .iter()
        .filter(|e| matches!(e.event, CenterEvent::ApplyPolicy { .. }))
        .count();
    format!("{}-{applied}", state.exports_rev)
}

#[derive(Properties, PartialEq)]
pub struct PolicyProps {
    pub state: UseReducerHandle<AppState>,
}

fn level_select(current: &str, onchange: Callback<String>, label: String) -> Html {
    let chosen = AutomationLevel::parse(current);
    let on = Callback::from(move |e: Event| {
        onchange.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
    });
    html! {
        <select onchange={on} aria-label={label}>
            { for AutomationLevel::ALL.iter().map(|l| html! { <option value={l.slug()} selected={chosen == Some(*l)}>{ l.name() }</option> }) }
        </select>
    }
}

fn text_input(
    value: &str,
    label: String,
    placeholder: &'static str,
    oninput: Callback<String>,
) -> Html {
    let on = Callback::from(move |e: InputEvent| {
        oninput.emit(e.target_unchecked_into::<HtmlInputElement>().value())
    });
    html! { <input type="text" value={value.to_owned()} aria-label={label} {placeholder} oninput={on} /> }
}

fn counts_row(label: &str, pair: &Pair) -> Html {
    let cell = |o: Outcome| {
        let (a, b) = (pair.current.get(o), pair.draft.get(o));
        let delta = b as i64 - a as i64;
        html! {
            <td class="num">
                { format::count(a) }{ " → " }<strong>{ format::count(b) }</strong>
                if delta != 0 { <span class={if delta > 0 { "delta up" } else { "delta down" }}>{ format!(" ({delta:+})") }</span> }
            </td>
        }
    };
    html! { <tr><th scope="row">{ label.to_owned() }</th>{ for Outcome::ALL.iter().map(|o| cell(*o)) }</tr> }
}

fn counts_table(caption: &str, rows: Html) -> Html {
    html! {
        <table class="counts">
            <caption>{ caption.to_owned() }</caption>
            <thead><tr><th scope="col">{ "" }</th>{ for Outcome::ALL.iter().map(|o| html! { <th scope="col">{ o.label() }</th> }) }</tr></thead>
            <tbody>{ rows }</tbody>
        </table>
    }
}

/// The moves between outcomes as horizontal bars, one per `from → to` pair.
fn chart(preview: &Preview) -> Html {
    let flows = preview.flows();
    let max = flows.iter().map(|f| f.2).max().unwrap_or(1).max(1);
    let bar_h = 26;
    let height = (flows.len().max(1) * bar_h + 10) as i32;
    html! {
        <figure class="chart" aria-label="Actions that move from one outcome to another">
            <figcaption>{ "Moves between outcomes, current → draft" }</figcaption>
            if flows.is_empty() {
                <p class="muted">{ "No action changes outcome." }</p>
            } else {
                <svg width="640" height={height.to_string()} role="img" aria-label={flows.iter().map(|(f, t, n)| format!("{n} from {} to {}", f.label(), t.label())).collect::<Vec<_>>().join("; ")}>
                    { for flows.iter().enumerate().map(|(i, (from, to, n))| {
                        let y = (i * bar_h) as i32;
                        let w = ((*n as f64 / max as f64) * 300.0).max(2.0) as i32;
                        html! {
                            <g class={format!("flow to-{}", to.slug())}>
                                <text x="0" y={(y + 17).to_string()} class="flow-label">{ format!("{} → {}", from.label(), to.label()) }</text>
                                <rect x="270" y={(y + 4).to_string()} width={w.to_string()} height="18" rx="2"></rect>
                                <text x={(275 + w).to_string()} y={(y + 17).to_string()} class="flow-count">{ format::count(*n) }</text>
                            </g>
                        }
                    }) }
                </svg>
            }
        </figure>
    }
}

fn waits_row(label: &str, f: &WaitFigures) -> Html {
    let dur = |ms: Option<i64>| ms.map_or("—".to_owned(), format::duration);
    html! {
        <tr>
            <th scope="row">{ label.to_owned() }</th>
            <td class="num">{ format::count(f.waited) }</td>
            <td class="num">{ dur(f.median_ms) }</td>
            <td class="num">{ dur(f.p90_ms) }</td>
            <td class="num">{ format::count(f.timed_out) }</td>
            <td class="num"><strong>{ format::count(f.draft_automatic) }</strong></td>
        </tr>
    }
}

/// The policy applied before the current one: the previous `apply_policy` in the journal, or
/// the base policy.
fn previous_policy(state: &AppState) -> Option<PolicyFile> {
    let applied: Vec<&PolicyFile> = state
        .journal
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            CenterEvent::ApplyPolicy { policy } => Some(policy),
            _ => None,
        })
        .collect();
    match applied.len() {
        0 => None,
        1 => Some(state.base_policy.to_file()),
        n => applied.get(n - 2).map(|p| (*p).clone()),
    }
}

#[component]
pub fn PolicyPage(props: &PolicyProps) -> Html {
    let state = &props.state;
    let current_file = state.policy_file();
    let draft = use_state(|| current_file.clone());
    let change_filter = use_state(String::new);
    // The list of changes grows on request: re-rendering thousands of rows on every edit of
    // the draft would cost more than the preview itself.
    let shown_changes = use_state(|| CHANGES_PAGE);
    let apply_comment = use_state(String::new);
    let validated = Policy::from_file(&draft);
    let center = &state.center;
    let data = center.data().clone();
    let current_decisions = center.decisions().clone();
    let draft_decisions: Option<Rc<Vec<Decision>>> = {
        let data = data.clone();
        let policy = validated.as_ref().ok().map(|(p, _)| p.clone());
        let memo = use_memo(((*draft).clone(), state.exports_rev), move |_| {
            policy.map(|p| Rc::new(evaluate(&data, &p)))
        });
        (*memo).clone()
    };
    let draft_policy = validated.as_ref().ok().map(|(p, _)| Rc::new(p.clone()));
    // Computed again only when the draft's decisions are (not when a comment is typed).
    let preview = {
        let (current, current_decisions) = (center.policy().clone(), current_decisions.clone());
        let (policy, decisions) = (draft_policy.clone(), draft_decisions.clone());
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

    let edit = |f: DraftEdit| {
        let draft = draft.clone();
        Callback::from(move |v: String| {
            let mut next = (*draft).clone();
            f(&mut next, v);
            draft.set(next);
        })
    };
    let groups = draft.groups.iter().enumerate().map(|(i, g)| {
        let rules = g.membership.clone();
        let by_rules = rules.is_some();
        let set_rule = |pick: fn(&mut MembershipRules) -> &mut Option<String>| edit(Rc::new(move |p: &mut PolicyFile, v: String| {
            if let Some(group) = p.groups.get_mut(i) {
                let r = group.membership.get_or_insert_with(MembershipRules::default);
                *pick(r) = (!v.trim().is_empty()).then(|| v.trim().to_owned());
            }
        }));
        let rule = |pick: fn(&MembershipRules) -> &Option<String>| rules.as_ref().and_then(|r| pick(r).clone()).unwrap_or_default();
        let move_up = { let draft = draft.clone(); Callback::from(move |_: MouseEvent| { let mut p = (*draft).clone(); if i > 0 { p.groups.swap(i, i - 1); renumber(&mut p); draft.set(p); } }) };
        let move_down = { let draft = draft.clone(); Callback::from(move |_: MouseEvent| { let mut p = (*draft).clone(); if i + 1 < p.groups.len() { p.groups.swap(i, i + 1); renumber(&mut p); draft.set(p); } }) };
        let remove = { let draft = draft.clone(); Callback::from(move |_: MouseEvent| { let mut p = (*draft).clone(); if i < p.groups.len() { p.groups.remove(i); renumber(&mut p); draft.set(p); } }) };
        let toggle_rules = { let draft = draft.clone(); Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut p = (*draft).clone();
            if let Some(group) = p.groups.get_mut(i) {
                group.membership = (v == "rules").then(|| MembershipRules { device_name: Some("*".into()), ..MembershipRules::default() });
            }
            draft.set(p);
        }) };
        let name = g.name.clone();
        html! {
            <tr>
                <td class="num">{ g.rank }</td>
                <td>{ text_input(&g.name, format!("Name of group {}", i + 1), "Group name", edit(Rc::new(move |p: &mut PolicyFile, v| if let Some(g) = p.groups.get_mut(i) { g.name = v; }))) }</td>
                <td>{ level_select(&g.level, edit(Rc::new(move |p: &mut PolicyFile, v| if let Some(g) = p.groups.get_mut(i) { g.level = v; })), format!("Automation level of {name}")) }</td>
                <td>
                    <select onchange={toggle_rules} aria-label={format!("Membership of {}", g.name)}>
                        <option value="rbac" selected={!by_rules}>{ "Devices whose rbacGroupName is the group's name" }</option>
                        <option value="rules" selected={by_rules}>{ "Devices matching rules" }</option>
                    </select>
                    if by_rules {
                        <div class="rules">
                            { text_input(&rule(|r| &r.device_name), format!("Device name pattern of {}", g.name), "device name, e.g. srv-*", set_rule(|r| &mut r.device_name)) }
                            { text_input(&rule(|r| &r.domain), format!("Domain pattern of {}", g.name), "domain, e.g. contoso.com", set_rule(|r| &mut r.domain)) }
                            { text_input(&rule(|r| &r.os_platform), format!("OS platform pattern of {}", g.name), "OS, e.g. WindowsServer*", set_rule(|r| &mut r.os_platform)) }
                            { text_input(&rule(|r| &r.tag), format!("Tag of {}", g.name), "tag, e.g. VIP", set_rule(|r| &mut r.tag)) }
                        </div>
                    }
                </td>
                <td class="row-acts">
                    <button type="button" class="btn small" onclick={move_up} disabled={i == 0} aria-label={format!("Move {} up (higher rank)", g.name)}>{ "↑" }</button>
                    <button type="button" class="btn small" onclick={move_down} disabled={i + 1 == draft.groups.len()} aria-label={format!("Move {} down (lower rank)", g.name)}>{ "↓" }</button>
                    <button type="button" class="btn small danger" onclick={remove} aria-label={format!("Remove {}", g.name)}>{ "Remove" }</button>
                </td>
            </tr>
        }
    });
    let add_group = {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| {
            let mut p = (*draft).clone();
            let n = p.groups.len() + 1;
            p.groups.push(GroupFile {
                name: format!("New group {n}"),
                rank: n as u32,
                level: "semi_all_folders".into(),
                membership: Some(MembershipRules {
                    device_name: Some("*".into()),
                    ..MembershipRules::default()
                }),
            });
            draft.set(p);
        })
    };
    let preset = {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| {
            let mut p = (*draft).clone();
            p.default_level = "full".into();
            for g in &mut p.groups {
                g.level = "full".into();
            }
            draft.set(p);
        })
    };
    let reset = {
        let draft = draft.clone();
        let cur = current_file.clone();
        Callback::from(move |_: MouseEvent| draft.set(cur.clone()))
    };
    let folder_list = |which: &'static str| {
        let list = if which == "core" {
            draft.core_folders.clone()
        } else {
            draft.temp_folders.clone()
        };
        let defaults: &[&str] = if which == "core" {
            airview_engine::folders::DEFAULT_CORE_FOLDERS
        } else {
            airview_engine::folders::DEFAULT_TEMP_FOLDERS
        };
        let text = list
            .unwrap_or_else(|| defaults.iter().map(|s| (*s).to_owned()).collect())
            .join("\n");
        let draft = draft.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            let lines: Vec<String> = v
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect();
            let mut p = (*draft).clone();
            if which == "core" {
                p.core_folders = Some(lines);
            } else {
                p.temp_folders = Some(lines);
            }
            draft.set(p);
        });
        html! { <textarea rows="7" value={text} {oninput} aria-label={if which == "core" { "Core folders, one pattern a line" } else { "Temp folders, one pattern a line" }} /> }
    };

    let (errors, warnings) = match &validated {
        Ok((_, w)) => (
            Vec::new(),
            w.iter().map(|w| w.message.clone()).collect::<Vec<_>>(),
        ),
        Err(e) => (
            e.iter().map(|e| e.message.clone()).collect::<Vec<_>>(),
            Vec::new(),
        ),
    };
    let apply = {
        let state = state.clone();
        let draft = draft.clone();
        let comment = apply_comment.clone();
        Callback::from(move |_: MouseEvent| {
            let text = comment.trim().to_owned();
            state.dispatch(Msg::Act {
                event: CenterEvent::ApplyPolicy {
                    policy: (*draft).clone(),
                },
                comment: (!text.is_empty()).then_some(text),
            });
            comment.set(String::new());
        })
    };
    let can_apply = state.check(CenterEvent::ApplyPolicy {
        policy: (*draft).clone(),
    });
    let same = *draft == current_file;
    let previous = previous_policy(state);
    let revert = previous.clone().map(|p| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            state.dispatch(Msg::Act {
                event: CenterEvent::ApplyPolicy { policy: p.clone() },
                comment: Some("revert to the previous policy".into()),
            })
        })
    });
    let export = |which: &'static str| {
        let state = state.clone();
        let file = if which == "draft" {
            (*draft).clone()
        } else {
            current_file.clone()
        };
        Callback::from(move |_: MouseEvent| {
            let text = serde_json::to_string_pretty(&file).unwrap_or_default();
            if let Err(e) = download::save(
                &format!("airview-policy-{which}.json"),
                "application/json",
                &text,
            ) {
                state.dispatch(Msg::Notify(Notice::error(format!(
                    "cannot save the policy: {e}"
                ))));
            }
        })
    };
    let import = {
        let draft = draft.clone();
        let state = state.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            input.set_value("");
            let draft = draft.clone();
            let state = state.clone();
            spawn_local(async move {
                let name = file.name();
                let text = JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string())
                    .unwrap_or_default();
                match serde_json::from_str::<PolicyFile>(&text) {
                    Ok(p) => {
                        draft.set(p);
                        state.dispatch(Msg::Notify(Notice::info(format!(
                            "`{name}` is in the draft; review the preview, then apply"
                        ))));
                    }
                    Err(e) => state.dispatch(Msg::Notify(Notice::error(format!(
                        "`{name}`, line {}, column {}: {}",
                        e.line(),
                        e.column(),
                        airview_engine::json_message(&e)
                    )))),
                }
            });
        })
    };

    // The past: waits as the exports report them, and in airview's own action center. They
    // depend on the center only, not on the draft, so an edit does not recompute them.
    let waits = {
        let center = center.clone();
        let entries = state.journal.entries.clone();
        use_memo((state.journal_rev, state.exports_rev), move |_| {
            (
                reported_waits(center.data(), center.now()),
                journal_waits(&center, &entries),
            )
        })
    };
    let figures = {
        let (waits, decisions) = (waits.clone(), draft_decisions.clone());
        use_memo(
            (Same(decisions.clone()), Same(waits.clone())),
            move |_| match &decisions {
                Some(d) => (wait_figures(&waits.0, d), wait_figures(&waits.1, d)),
                None => (WaitFigures::default(), WaitFigures::default()),
            },
        )
    };
    let (reported, journaled) = *figures;

    let changes = preview.as_ref().map(|p| {
        let needle = change_filter.to_lowercase();
        let rows: Vec<Html> = p.changed.iter().filter_map(|&i| {
            let e = data.evidence.get(i)?;
            let (a, b) = (current_decisions.get(i)?, draft_decisions.as_ref()?.get(i)?);
            let alert = data.alert_of(e)?;
            let id = format!("{}/{}", alert.id, e.index);
            let entity = data.entity(e).to_owned();
            let flow = format!("{} → {}", a.outcome.label(), b.outcome.label());
            if !needle.is_empty() && ![&id, &entity, &flow].iter().any(|h| h.to_lowercase().contains(&needle)) {
                return None;
            }
            let (state, draft_policy, draft_decisions) = (state.clone(), draft_policy.clone()?, draft_decisions.clone()?);
            Some(html! {
                <tr key={id.clone()}>
                    <td class="entity"><a href={Route::Action(id.clone()).href()}>{ if entity.is_empty() { id.clone() } else { entity } }</a></td>
                    <td>{ a.action.map(|x| x.label()).unwrap_or("") }</td>
                    <td>{ flow }</td>
                    <td><Reasons {state} evidence={i} {draft_policy} {draft_decisions} /></td>
                </tr>
            })
        }).take(*shown_changes).collect();
        rows
    }).unwrap_or_default();

    html! {
        <section class="policy" aria-label="Policy preview">
            <h1>{ "Automation levels: draft and preview" }</h1>
            <p class="muted">{ "Edits change the draft only; the preview below shows what the draft would do to the loaded investigations. Nothing changes until you apply." }</p>
            <div class="policy-grid">
                <div>
                    <h2>{ "Device groups" }</h2>
                    <table class="groups">
                        <thead><tr><th scope="col">{ "Rank" }</th><th scope="col">{ "Name" }</th><th scope="col">{ "Automation level" }</th><th scope="col">{ "Membership" }</th><th scope="col">{ "" }</th></tr></thead>
                        <tbody>
                            { for groups }
                            <tr class="ungrouped">
                                <td class="num">{ "—" }</td>
                                <td>{ UNGROUPED }</td>
                                <td>{ level_select(&draft.default_level, edit(Rc::new(|p: &mut PolicyFile, v| p.default_level = v)), format!("Automation level of {UNGROUPED}")) }</td>
                                <td class="muted">{ "Every device no group claims" }</td>
                                <td></td>
                            </tr>
                        </tbody>
                    </table>
                    <div class="acts">
                        <button type="button" class="btn" onclick={add_group}>{ "Add group" }</button>
                        <button type="button" class="btn" onclick={preset}>{ "Defender for Business preset (all Full)" }</button>
                        <button type="button" class="btn" onclick={reset} disabled={same}>{ "Discard draft" }</button>
                    </div>
                    <h2>{ "Folders" }</h2>
                    <div class="folders">
                        <label>{ "Core folders" }{ folder_list("core") }</label>
                        <label>{ "Temp folders" }{ folder_list("temp") }</label>
                    </div>
                    <p class="muted">{ "`*` is exactly one folder name; a trailing `\\*` is anything below. airview decides: Microsoft's temp list also names `\\program files\\` and `\\program files (x86)\\*`, which contradicts the core list, so the default temp list leaves them out." }</p>
                    if !errors.is_empty() { <ul class="errors" role="alert">{ for errors.iter().map(|e| html! { <li>{ e.clone() }</li> }) }</ul> }
                    if !warnings.is_empty() { <ul class="warnings" role="status">{ for warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul> }
                    <div class="acts apply">
                        <label class="comment">{ "Comment" }<input type="text" value={(*apply_comment).clone()} oninput={{ let c = apply_comment.clone(); Callback::from(move |e: InputEvent| c.set(e.target_unchecked_into::<HtmlInputElement>().value())) }} placeholder="Why (kept in the journal)" /></label>
                        <button type="button" class="btn primary" onclick={apply} disabled={same || can_apply.is_err()} title={can_apply.clone().err().unwrap_or_default()}>{ "Apply draft" }</button>
                        if let Some(revert) = revert { <button type="button" class="btn" onclick={revert}>{ "Revert to the previous policy" }</button> }
                        <button type="button" class="btn" onclick={export("draft")}>{ "Export draft" }</button>
                        <button type="button" class="btn" onclick={export("current")}>{ "Export current" }</button>
                        <label class="btn file">{ "Import policy" }<input type="file" accept=".json,application/json" onchange={import} /></label>
                    </div>
                    if let Err(why) = &can_apply { if !same { <p class="reason">{ why.clone() }</p> } }
                </div>
                <div class="preview" aria-label="Preview" aria-live="polite">
                    <h2>{ "Preview" }</h2>
                    if let Some(p) = &preview {
                        { counts_table("Overall: current → draft", counts_row("All evidence", &p.overall)) }
                        { chart(p) }
                        { counts_table("Per device group", html! { <>{ for p.per_group.iter().map(|(g, pair)| counts_row(g, pair)) }</> }) }
                        { counts_table("Per action type", html! { <>{ for p.per_action.iter().map(|(a, pair)| counts_row(a.label(), pair)) }</> }) }
                        <table class="counts">
                            <caption>{ "The past: waiting for approval" }</caption>
                            <thead><tr><th scope="col">{ "" }</th><th scope="col">{ "Waited" }</th><th scope="col">{ "Median wait" }</th><th scope="col">{ "90th percentile" }</th><th scope="col">{ "Timed out" }</th><th scope="col">{ "Draft would automate" }</th></tr></thead>
                            <tbody>
                                { waits_row("As the exports report", &reported) }
                                { waits_row("In airview's action center", &journaled) }
                            </tbody>
                        </table>
                        <h3>{ format!("Actions whose outcome changes ({})", format::count(p.changed.len())) }</h3>
                        <label class="search">{ "Filter changes" }<input type="search" value={(*change_filter).clone()} oninput={{ let c = change_filter.clone(); Callback::from(move |e: InputEvent| c.set(e.target_unchecked_into::<HtmlInputElement>().value())) }} placeholder="Entity, id, or e.g. Pending approval → Taken automatically" /></label>
                        <table class="actions compact changes">
                            <thead><tr><th scope="col">{ "Entity" }</th><th scope="col">{ "Action" }</th><th scope="col">{ "Current → draft" }</th><th scope="col">{ "Why" }</th></tr></thead>
                            <tbody>{ for changes }</tbody>
                        </table>
                        if p.changed.len() > *shown_changes {
                            <button type="button" class="btn" onclick={{ let s = shown_changes.clone(); Callback::from(move |_: MouseEvent| s.set(*s + CHANGES_PAGE)) }}>{ format!("Show {} more of {}", CHANGES_PAGE, format::count(p.changed.len() - *shown_changes)) }</button>
                        }
                    } else {
                        <p class="muted">{ "Fix the draft's errors to see the preview." }</p>
                    }
                </div>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ReasonsProps {
    state: UseReducerHandle<AppState>,
    /// The position of the evidence in `Dataset::evidence`.
    evidence: usize,
    draft_policy: Rc<Policy>,
    draft_decisions: Rc<Vec<Decision>>,
}

/// A changed action's reasons, current and draft, written out only when the analyst opens
/// them: a hundred rows of seven sentences each, on every edit of the draft, would cost more
/// than the preview itself.
#[component]
fn Reasons(props: &ReasonsProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            open.set(
                e.target_unchecked_into::<web_sys::HtmlDetailsElement>()
                    .open(),
            )
        })
    };
    let center = &props.state.center;
    let data = center.data();
    let lists = (*open)
        .then(|| {
            let e = data.evidence.get(props.evidence)?;
            let before = center
                .decisions()
                .get(props.evidence)?
                .reasons(data, center.policy(), e);
            let after =
                props
                    .draft_decisions
                    .get(props.evidence)?
                    .reasons(data, &props.draft_policy, e);
            Some(html! {
                <div class="two">
                    <ol>{ for before.into_iter().map(|r| html! { <li>{ r }</li> }) }</ol>
                    <ol>{ for after.into_iter().map(|r| html! { <li>{ r }</li> }) }</ol>
                </div>
            })
        })
        .flatten();
    html! { <details {ontoggle}><summary>{ "Reasons" }</summary>{ lists }</details> }
}

/// How many changed actions the list shows at first, and adds per "Show more".
const CHANGES_PAGE: usize = 100;

/// An edit of the draft from a text or select value.
type DraftEdit = Rc<dyn Fn(&mut PolicyFile, String)>;

/// Ranks follow the order of the list: 1 is the first (highest).
fn renumber(p: &mut PolicyFile) {
    for (i, g) in p.groups.iter_mut().enumerate() {
        g.rank = i as u32 + 1;
    }
}
