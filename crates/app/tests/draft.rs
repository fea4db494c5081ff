//! The policy page's draft: each edit, natively, and what the engine says of the result.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use airview_app::{Draft, Edit, Folders, Membership, Rule};
use airview_engine::PolicyFile;

fn current() -> PolicyFile {
    serde_json::from_str(airview_app::sample::SAMPLE_POLICY).unwrap()
}

fn names(d: &Draft) -> Vec<(u32, String)> {
    d.file()
        .groups
        .iter()
        .map(|g| (g.rank, g.name.clone()))
        .collect()
}

#[test]
fn a_new_draft_is_the_current_policy() {
    let d = Draft::new(current());
    assert!(d.is_current());
    assert_eq!(d.file(), &current());
    assert!(d.validated().is_ok());
}

#[test]
fn add_group_appends_a_valid_group_that_claims_devices_by_rules() {
    let d = Draft::new(current());
    let n = d.file().groups.len();
    let added = d.edited(Edit::AddGroup);
    assert!(!added.is_current());
    let g = added.file().groups.last().unwrap();
    assert_eq!(g.name, format!("New group {}", n + 1));
    assert_eq!(g.rank as usize, n + 1);
    assert_eq!(g.level, "semi_all_folders");
    assert_eq!(added.membership(n), Membership::Rules);
    assert_eq!(added.rule(n, Rule::DeviceName), "*");
    assert!(added.validated().is_ok(), "{:?}", added.validated().err());
}

#[test]
fn moving_and_removing_groups_keeps_ranks_in_list_order() {
    let d = Draft::new(current()).edited(Edit::AddGroup);
    let before = names(&d);
    let up = d.edited(Edit::MoveUp(1));
    assert_eq!(names(&up)[0], (1, before[1].1.clone()));
    assert_eq!(names(&up)[1], (2, before[0].1.clone()));
    let down = up.edited(Edit::MoveDown(0));
    assert_eq!(names(&down), before);
    let removed = d.edited(Edit::RemoveGroup(0));
    assert_eq!(removed.file().groups.len(), before.len() - 1);
    let ranks: Vec<u32> = names(&removed).iter().map(|(r, _)| *r).collect();
    assert_eq!(ranks, (1..=ranks.len() as u32).collect::<Vec<_>>());
}

#[test]
fn edits_past_the_ends_change_nothing() {
    let d = Draft::new(current());
    let last = d.file().groups.len() - 1;
    for edit in [
        Edit::MoveUp(0),
        Edit::MoveDown(last),
        Edit::RemoveGroup(last + 1),
        Edit::Rename(last + 1, "x".into()),
        Edit::SetLevel(last + 1, "full".into()),
        Edit::SetMembership(last + 1, Membership::Rules),
        Edit::SetRule(last + 1, Rule::Tag, "VIP".into()),
    ] {
        assert!(d.edited(edit.clone()).is_current(), "{edit:?}");
    }
}

#[test]
fn rename_and_level_change_one_group_and_the_engine_judges_them() {
    let d = Draft::new(current());
    let renamed = d.edited(Edit::Rename(0, "Servers in Oslo".into()));
    assert_eq!(renamed.file().groups[0].name, "Servers in Oslo");
    let full = renamed.edited(Edit::SetLevel(0, "full".into()));
    assert_eq!(full.file().groups[0].level, "full");
    assert!(full.validated().is_ok());
    let wrong = full.edited(Edit::SetLevel(0, "everything".into()));
    let errors = wrong.validated().unwrap_err();
    assert!(
        errors[0]
            .message
            .contains("unknown automation level `everything`"),
        "{errors:?}"
    );
    let default = d.edited(Edit::SetDefaultLevel("full".into()));
    assert_eq!(default.file().default_level, "full");
}

#[test]
fn membership_switches_between_the_rbac_group_and_rules() {
    let d = Draft::new(current());
    let rbac = d.edited(Edit::SetMembership(0, Membership::RbacGroup));
    assert_eq!(rbac.membership(0), Membership::RbacGroup);
    assert_eq!(rbac.rule(0, Rule::DeviceName), "");
    let rules = rbac.edited(Edit::SetMembership(0, Membership::Rules));
    assert_eq!(rules.membership(0), Membership::Rules);
    assert_eq!(rules.rule(0, Rule::DeviceName), "*");
}

#[test]
fn a_rule_is_trimmed_and_an_empty_one_removed() {
    let d = Draft::new(current()).edited(Edit::SetMembership(0, Membership::RbacGroup));
    let tagged = d.edited(Edit::SetRule(0, Rule::Tag, "  VIP ".into()));
    assert_eq!(tagged.membership(0), Membership::Rules);
    assert_eq!(tagged.rule(0, Rule::Tag), "VIP");
    for rule in Rule::ALL {
        let set = tagged.edited(Edit::SetRule(0, rule, "srv-*".into()));
        assert_eq!(set.rule(0, rule), "srv-*");
    }
    let cleared = tagged.edited(Edit::SetRule(0, Rule::Tag, "   ".into()));
    let rules = cleared.file().groups[0].membership.clone().unwrap();
    assert_eq!(rules.tag, None);
}

#[test]
fn folder_lists_are_edited_as_text_one_pattern_a_line() {
    let d = Draft::new(current());
    let core = d.folders_text(Folders::Core);
    assert_eq!(
        core,
        airview_engine::rules::folders::DEFAULT_CORE_FOLDERS.join("\n"),
        "the defaults while the draft sets none"
    );
    let edited = d.edited(Edit::SetFolders(
        Folders::Temp,
        "\\temp\\*\n\n   \\users\\*\\downloads\\*  \n".into(),
    ));
    assert_eq!(
        edited.file().temp_folders.as_deref(),
        Some(
            &[
                "\\temp\\*".to_owned(),
                "\\users\\*\\downloads\\*".to_owned()
            ][..]
        )
    );
    assert_eq!(
        edited.folders_text(Folders::Temp),
        "\\temp\\*\n\\users\\*\\downloads\\*"
    );
    assert_eq!(edited.file().core_folders, d.file().core_folders);
    assert!(edited.validated().is_ok());
}

#[test]
fn the_preset_sets_every_level_to_full_and_reset_returns_to_the_current_policy() {
    let d = Draft::new(current()).edited(Edit::AllFull);
    assert_eq!(d.file().default_level, "full");
    assert!(d.file().groups.iter().all(|g| g.level == "full"));
    let back = d.edited(Edit::Reset);
    assert!(back.is_current());
    assert_eq!(back.file(), &current());
}

#[test]
fn an_imported_file_replaces_the_draft_but_not_the_current_policy() {
    let d = Draft::new(current());
    let imported = PolicyFile {
        default_level: "full".into(),
        groups: Vec::new(),
        core_folders: None,
        temp_folders: None,
    };
    let replaced = d.edited(Edit::Replace(imported.clone()));
    assert_eq!(replaced.file(), &imported);
    assert_eq!(replaced.current(), &current());
    assert!(replaced.edited(Edit::Reset).is_current());
}
