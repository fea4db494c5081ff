//! What the store gives back at start-up, and what is written to it: nothing unreadable is
//! dropped in silence, and nothing is written as an empty string in place of a value.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

mod common;

use airview_app::stored::{json_text, keys, start, Value};
use airview_app::{Export, LoadedFile, Notice, NoticeKind, Raw, Start, StoredExports};
use common::*;
use std::collections::BTreeMap;

fn no_text(_: &str) -> Result<Handle, String> {
    panic!("no older airview text here")
}

fn text_of<B>(entries: &[(&'static str, Value<'_, B>)], key: &str) -> Option<String> {
    entries
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| match v {
            Value::Text(t) => t.clone(),
            _ => panic!("`{key}` is not text"),
        })
}

/// What `state` saves, read back as a store read would give it.
fn read_back(state: &State) -> Raw<Handle> {
    let entries = state.save_all().unwrap();
    let text = |key| Ok(text_of(&entries, key));
    let mut raw = Raw {
        files: text(keys::FILES),
        policy: text(keys::POLICY),
        journal: text(keys::JOURNAL),
        sample_shift: text(keys::SAMPLE_SHIFT),
        ..Raw::default()
    };
    for (key, value) in &entries {
        match (*key, value) {
            (keys::EXPORTS, Value::Exports(list)) => {
                raw.exports = Ok(Some(StoredExports::List(
                    list.iter().cloned().map(Ok).collect(),
                )))
            }
            (keys::SNAPSHOT, Value::Handle(h)) => raw.snapshot = Ok(h.cloned()),
            _ => {}
        }
    }
    raw
}

/// The one notice about `key`.
fn about<'a>(notices: &'a [Notice], key: &str) -> &'a Notice {
    let found: Vec<&Notice> = notices
        .iter()
        .filter(|n| n.text.contains(&format!("`{key}`")))
        .collect();
    assert_eq!(found.len(), 1, "{notices:?}");
    found[0]
}

#[test]
fn an_empty_store_starts_the_sample_and_says_nothing() {
    let (start, notices) = start(Raw::<Handle>::default(), 0, no_text);
    assert_eq!(start, Start::Sample(Default::default()));
    assert!(notices.is_empty());
}

#[test]
fn what_the_app_saves_reads_back_as_the_same_files_policy_and_journal() {
    let state = loaded(&["graph-page1.json", "mde-alerts.json"]);
    let ids = pending_ids(&state, 1);
    let state = reduced(
        &state,
        airview_app::Msg::Act {
            event: airview_engine::Event::Approve { ids },
            comment: None,
            at: NOW,
        },
    );
    let (start, notices) = start(read_back(&state), 7, no_text);
    assert!(notices.is_empty(), "{notices:?}");
    let Start::Resume {
        basis, snapshot, ..
    } = start
    else {
        panic!("the stored exports are read again")
    };
    assert_eq!(snapshot.as_deref(), Some("snapshot"));
    assert_eq!(basis.files, state.files);
    assert_eq!(basis.exports, state.exports);
    assert_eq!(*basis.policy, **state.base_policy());
    assert_eq!(*basis.journal_text, state.session.journal_text());
    assert_eq!(basis.journal_rev, 7);
    assert!(basis.boot);
}

#[test]
fn the_sample_saves_its_shift_and_an_analysts_load_saves_it_empty() {
    let sample = booted();
    let (start, notices) = start(read_back(&sample), 0, no_text);
    assert!(notices.is_empty(), "{notices:?}");
    let Start::Sample(stored) = start else {
        panic!("the sample starts again")
    };
    assert_eq!(stored.sample_shift, sample.sample_shift);
    let own = loaded(&["graph-page1.json"]);
    let entries = own.save_all().unwrap();
    assert_eq!(text_of(&entries, keys::SAMPLE_SHIFT).as_deref(), Some(""));
}

#[test]
fn a_store_that_does_not_open_is_one_notice_and_nothing_stored_is_written_over() {
    let raw = Raw::<Handle>::unreadable("UnknownError: Internal error opening backing store");
    let (start, notices) = start(raw, 0, no_text);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].text.contains(
        "storage could not be read (UnknownError: Internal error opening backing store)"
    ));
    let Start::Sample(stored) = start else {
        panic!()
    };
    assert!(stored.keep_stored);
}

#[test]
fn an_unreadable_identity_is_reported_with_its_key_and_offered_for_export() {
    let raw = Raw::<Handle> {
        identity: Ok(Some("{\"name\": \"Dana\", \"roles\": [\"wizard\"]}".into())),
        ..Raw::default()
    };
    let (start, notices) = start(raw, 0, no_text);
    let n = about(&notices, keys::IDENTITY);
    assert_eq!(n.kind, NoticeKind::Error);
    assert!(n.text.contains("does not read"), "{}", n.text);
    assert_eq!(
        n.rescue.as_ref().map(|r| r.1.as_str()),
        Some("{\"name\": \"Dana\", \"roles\": [\"wizard\"]}")
    );
    let Start::Sample(stored) = start else {
        panic!()
    };
    assert_eq!(stored.identity, None);
}

#[test]
fn a_key_the_store_could_not_read_is_reported_with_the_stores_error() {
    let raw = Raw::<Handle> {
        identity: Err("DataError: the object store is gone".into()),
        journal: Err("UnknownError: read failed".into()),
        ..Raw::default()
    };
    let (_, notices) = start(raw, 0, no_text);
    assert!(about(&notices, keys::IDENTITY)
        .text
        .contains("DataError: the object store is gone"));
    let journal = about(&notices, keys::JOURNAL);
    assert!(journal.text.contains("UnknownError: read failed"));
    assert_eq!(journal.rescue, None, "there is no content to offer");
}

#[test]
fn a_sample_shift_that_is_not_a_number_is_reported_and_the_sample_moved_afresh() {
    let raw = Raw::<Handle> {
        sample_shift: Ok(Some("soon".into())),
        ..Raw::default()
    };
    let (start, notices) = start(raw, 0, no_text);
    let n = about(&notices, keys::SAMPLE_SHIFT);
    assert_eq!(n.rescue.as_ref().map(|r| r.1.as_str()), Some("soon"));
    assert_eq!(start, Start::Sample(Default::default()));
}

/// Stored exports with their files, snapshot and policy as `edit` leaves them.
fn resumed(edit: impl FnOnce(&mut Raw<Handle>)) -> (Start<Handle>, Vec<Notice>) {
    let state = loaded(&["graph-page1.json"]);
    let mut raw = read_back(&state);
    edit(&mut raw);
    start(raw, 0, no_text)
}

#[test]
fn an_unreadable_file_list_is_reported_and_the_exports_read_again() {
    let (start, notices) = resumed(|raw| raw.files = Ok(Some("[{\"name\": 3}]".into())));
    let n = about(&notices, keys::FILES);
    assert_eq!(
        n.rescue.as_ref().map(|r| r.1.as_str()),
        Some("[{\"name\": 3}]")
    );
    let Start::Resume {
        basis, snapshot, ..
    } = start
    else {
        panic!()
    };
    assert!(basis.files.is_empty());
    assert_eq!(basis.exports.len(), 1);
    assert_eq!(
        snapshot, None,
        "a snapshot is used only with its list of files"
    );
}

#[test]
fn an_unreadable_policy_is_reported_offered_and_replaced_by_the_default() {
    let (start, notices) = resumed(|raw| raw.policy = Ok(Some("{\"default_level\": 5}".into())));
    let n = about(&notices, keys::POLICY);
    assert_eq!(n.kind, NoticeKind::Error);
    assert_eq!(
        n.rescue.clone().unwrap(),
        (
            "airview-stored-policy.json".to_owned(),
            "{\"default_level\": 5}".to_owned()
        )
    );
    let Start::Resume { basis, .. } = start else {
        panic!()
    };
    assert_eq!(*basis.policy, airview_engine::Policy::default());
}

#[test]
fn an_unreadable_snapshot_is_reported_and_the_exports_read_again() {
    let (start, notices) = resumed(|raw| raw.snapshot = Err("holds text, not a file".into()));
    assert!(about(&notices, keys::SNAPSHOT)
        .text
        .contains("holds text, not a file"));
    let Start::Resume { snapshot, .. } = start else {
        panic!()
    };
    assert_eq!(snapshot, None);
}

#[test]
fn corrupted_exports_are_offered_for_export_and_kept_in_the_store() {
    let raw = Raw::<Handle> {
        exports: Ok(Some(StoredExports::Text("[[\"a.json\", ".into()))),
        ..Raw::default()
    };
    let (start, notices) = start(raw, 0, no_text);
    let n = notices
        .iter()
        .find(|n| n.text.starts_with("the stored exports are corrupted"))
        .unwrap();
    assert_eq!(
        n.rescue.as_ref().map(|r| r.1.as_str()),
        Some("[[\"a.json\", ")
    );
    let Start::Sample(stored) = start else {
        panic!()
    };
    assert!(stored.keep_stored);
    // The sample shown in their place writes nothing over them.
    let state = reduced(
        &State::new(NOW),
        airview_app::Msg::Boot { stored, now: NOW },
    );
    assert!(state.save_all().unwrap().is_empty());
}

#[test]
fn while_stored_exports_are_kept_their_journal_is_not_written_over_and_the_header_says_so() {
    // The stored exports could not be loaded again (say the loading worker ran out of
    // memory): the sample is shown with their journal, which does not fit it.
    let journal = {
        let state = loaded(&["graph-page1.json"]);
        let ids = pending_ids(&state, 1);
        let acted = reduced(
            &state,
            airview_app::Msg::Act {
                event: airview_engine::Event::Approve { ids },
                comment: None,
                at: NOW,
            },
        );
        acted.session.journal_text().to_owned()
    };
    assert!(!journal.is_empty());
    let stored = airview_app::Stored {
        journal: journal.clone(),
        keep_stored: true,
        ..airview_app::Stored::default()
    };
    let state = reduced(
        &State::new(NOW),
        airview_app::Msg::Boot { stored, now: NOW },
    );
    // The journal is offered for export, and stays stored for the next visit.
    assert!(state
        .notices
        .iter()
        .any(|n| n.rescue.as_ref().map(|r| r.1.as_str()) == Some(journal.as_str())));
    assert!(state.save_all().unwrap().is_empty());
    assert!(state
        .notices
        .iter()
        .any(|n| n.text.contains("what you do on the sample is not saved")));
    // An act on the sample is not written, and the header says "Not saved".
    let ids = pending_ids(&state, 1);
    let acted = reduced(
        &state,
        airview_app::Msg::Act {
            event: airview_engine::Event::Approve { ids },
            comment: None,
            at: NOW,
        },
    );
    assert!(acted.save_journal().is_empty());
    assert_eq!(acted.save_state(), airview_app::SaveState::Failed);
    // Starting over saves again.
    let fresh = reduced(&acted, airview_app::Msg::StartOver { now: NOW });
    assert_eq!(
        fresh.save_journal().first().map(|(k, _)| *k),
        Some(keys::JOURNAL)
    );
}

#[test]
fn exports_the_store_could_not_read_are_kept_too() {
    let raw = Raw::<Handle> {
        exports: Err("UnknownError".into()),
        ..Raw::default()
    };
    let (start, notices) = start(raw, 0, no_text);
    assert!(about(&notices, keys::EXPORTS).text.contains("UnknownError"));
    let Start::Sample(stored) = start else {
        panic!()
    };
    assert!(stored.keep_stored);
}

#[test]
fn an_entry_of_the_export_list_that_is_not_an_export_is_reported() {
    let (start, notices) = resumed(|raw| {
        if let Ok(Some(StoredExports::List(list))) = &mut raw.exports {
            list.push(Err("a number, not [name, file]".into()));
        }
    });
    assert!(about(&notices, keys::EXPORTS)
        .text
        .contains("entry 2 is not an export (a number, not [name, file])"));
    let Start::Resume { basis, .. } = start else {
        panic!()
    };
    assert_eq!(basis.exports.len(), 1);
}

#[test]
fn an_older_airviews_texts_become_handles_and_its_files_are_read_again() {
    let raw = Raw::<Handle> {
        exports: Ok(Some(StoredExports::Text(
            "[[\"a.json\", \"{}\"], [\"b.json\", \"[]\"]]".into(),
        ))),
        files: Ok(Some(
            serde_json::to_string(&[
                LoadedFile {
                    name: "a.json".into(),
                    format: "x".into(),
                    alerts: 0,
                    evidence: 0,
                },
                LoadedFile {
                    name: "b.json".into(),
                    format: "x".into(),
                    alerts: 0,
                    evidence: 0,
                },
            ])
            .unwrap(),
        )),
        snapshot: Ok(Some("old snapshot".into())),
        ..Raw::default()
    };
    let (start, notices) = start(raw, 0, |text| Ok(format!("blob of {text}")));
    assert!(notices.is_empty(), "{notices:?}");
    let Start::Resume {
        basis, snapshot, ..
    } = start
    else {
        panic!()
    };
    assert_eq!(
        *basis.exports,
        [
            Export {
                name: "a.json".into(),
                blob: "blob of {}".into()
            },
            Export {
                name: "b.json".into(),
                blob: "blob of []".into()
            }
        ]
    );
    assert_eq!(snapshot, None, "an older airview's snapshot is not used");
}

#[test]
fn a_value_that_cannot_be_written_as_text_is_an_error_naming_its_key_never_an_empty_string() {
    // serde_json refuses maps whose keys are not strings: the same path any failure takes.
    let mut map = BTreeMap::new();
    map.insert((1u8, 2u8), 3u8);
    let e = json_text(keys::FILES, &map).unwrap_err();
    assert_eq!(e.key, keys::FILES);
    let said = e.to_string();
    assert!(said.contains("`files` could not be written"), "{said}");
    assert!(said.contains("what was stored before is kept"), "{said}");
}

#[test]
fn every_text_the_app_saves_is_the_value_itself() {
    let state = loaded(&["graph-page1.json"]);
    let entries = state.save_all().unwrap();
    let policy = text_of(&entries, keys::POLICY).unwrap();
    assert_eq!(
        airview_engine::Policy::parse_json(&policy).unwrap().0,
        **state.base_policy()
    );
    let files: Vec<LoadedFile> =
        serde_json::from_str(&text_of(&entries, keys::FILES).unwrap()).unwrap();
    assert_eq!(files, *state.files);
    let identity = state.save_identity().unwrap();
    let actor: airview_engine::Actor =
        serde_json::from_str(&text_of(&identity, keys::IDENTITY).unwrap()).unwrap();
    assert_eq!(actor, state.actor);
    assert_eq!(
        text_of(&state.save_journal(), keys::JOURNAL).unwrap(),
        state.session.journal_text()
    );
}
