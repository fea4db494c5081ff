//! The policy page's device groups: a row per group (rank, name, level, membership, moves),
//! the devices no group claims, and the buttons that add a group, set every level to Full or
//! discard the draft.

use super::DraftHandle;
use airview_app::{Edit, Membership, Rule};
use airview_engine::rules::policy::{GroupFile, UNGROUPED};
use airview_engine::AutomationLevel;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// A callback that dispatches the edit `make` builds from a text or select value.
fn on_value(draft: &DraftHandle, make: impl Fn(String) -> Edit + 'static) -> Callback<String> {
    let draft = draft.clone();
    Callback::from(move |v: String| draft.dispatch(make(v)))
}

/// A callback that dispatches `edit` on a click.
fn on_click(draft: &DraftHandle, edit: Edit) -> Callback<MouseEvent> {
    let draft = draft.clone();
    Callback::from(move |_: MouseEvent| draft.dispatch(edit.clone()))
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

/// Group `i`'s membership: by `rbacGroupName`, or by rules with a field per rule.
fn membership(draft: &DraftHandle, i: usize, g: &GroupFile) -> Html {
    let by_rules = draft.0.membership(i) == Membership::Rules;
    let toggle = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let m = if v == "rules" {
                Membership::Rules
            } else {
                Membership::RbacGroup
            };
            draft.dispatch(Edit::SetMembership(i, m));
        })
    };
    let rule = |rule: Rule, label: &str, placeholder: &'static str| {
        text_input(
            &draft.0.rule(i, rule),
            format!("{label} of {}", g.name),
            placeholder,
            on_value(draft, move |v| Edit::SetRule(i, rule, v)),
        )
    };
    html! {
        <td>
            <select onchange={toggle} aria-label={format!("Membership of {}", g.name)}>
                <option value="rbac" selected={!by_rules}>{ "Devices whose rbacGroupName is the group's name" }</option>
                <option value="rules" selected={by_rules}>{ "Devices matching rules" }</option>
            </select>
            if by_rules {
                <div class="rules">
                    { rule(Rule::DeviceName, "Device name pattern", "device name, e.g. srv-*") }
                    { rule(Rule::Domain, "Domain pattern", "domain, e.g. contoso.com") }
                    { rule(Rule::OsPlatform, "OS platform pattern", "OS, e.g. WindowsServer*") }
                    { rule(Rule::Tag, "Tag", "tag, e.g. VIP") }
                </div>
            }
        </td>
    }
}

fn group_row(draft: &DraftHandle, i: usize, g: &GroupFile) -> Html {
    let last = i + 1 == draft.0.file().groups.len();
    html! {
        <tr>
            <td class="num">{ g.rank }</td>
            <td>{ text_input(&g.name, format!("Name of group {}", i + 1), "Group name", on_value(draft, move |v| Edit::Rename(i, v))) }</td>
            <td>{ level_select(&g.level, on_value(draft, move |v| Edit::SetLevel(i, v)), format!("Automation level of {}", g.name)) }</td>
            { membership(draft, i, g) }
            <td class="row-acts">
                <button type="button" class="btn small" onclick={on_click(draft, Edit::MoveUp(i))} disabled={i == 0} aria-label={format!("Move {} up (higher rank)", g.name)}>{ "↑" }</button>
                <button type="button" class="btn small" onclick={on_click(draft, Edit::MoveDown(i))} disabled={last} aria-label={format!("Move {} down (lower rank)", g.name)}>{ "↓" }</button>
                <button type="button" class="btn small danger" onclick={on_click(draft, Edit::RemoveGroup(i))} aria-label={format!("Remove {}", g.name)}>{ "Remove" }</button>
            </td>
        </tr>
    }
}

/// The groups' part of the page. A function rather than a component: it holds no state of
/// its own and is drawn exactly when the page is, and a component costs the app kilobytes.
pub fn groups(draft: &DraftHandle) -> Html {
    let file = draft.0.file();
    html! {
        <>
            <h2>{ "Device groups" }</h2>
            <table class="groups">
                <thead><tr><th scope="col">{ "Rank" }</th><th scope="col">{ "Name" }</th><th scope="col">{ "Automation level" }</th><th scope="col">{ "Membership" }</th><th scope="col">{ "" }</th></tr></thead>
                <tbody>
                    { for file.groups.iter().enumerate().map(|(i, g)| group_row(draft, i, g)) }
                    <tr class="ungrouped">
                        <td class="num">{ "—" }</td>
                        <td>{ UNGROUPED }</td>
                        <td>{ level_select(&file.default_level, on_value(draft, Edit::SetDefaultLevel), format!("Automation level of {UNGROUPED}")) }</td>
                        <td class="muted">{ "Every device no group claims" }</td>
                        <td></td>
                    </tr>
                </tbody>
            </table>
            <div class="acts">
                <button type="button" class="btn" onclick={on_click(draft, Edit::AddGroup)}>{ "Add group" }</button>
                <button type="button" class="btn" onclick={on_click(draft, Edit::AllFull)}>{ "Defender for Business preset (all Full)" }</button>
                <button type="button" class="btn" onclick={on_click(draft, Edit::Reset)} disabled={draft.0.is_current()}>{ "Discard draft" }</button>
            </div>
        </>
    }
}
