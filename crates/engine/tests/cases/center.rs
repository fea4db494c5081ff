//! The action center: one case per rule of docs/domain.md, "Life of an action", and per refusal.
//! These run natively and, through `crates/wasm-tests`, as WebAssembly.

use super::center_fixture::*;
use airview_engine::center::{AUTOMATION, SYSTEM};
use airview_engine::history::{csv_cell, CSV_COLUMNS};
use airview_engine::time::{DAY_MS, MINUTE_MS};
use airview_engine::Act;
use airview_engine::{
    history_csv, history_json, ActionSource, ActionType, AutomationLevel, Center, Disposition,
    Entry, Event, InvestigationStatus, Requirement, Role, Status, Timestamp, TransitionError,
};

/// Applies an entry that must be accepted.
fn ok(center: &Center, entry: Entry) -> Center {
    match center.apply(&entry) {
        Ok(next) => next,
        Err(e) => panic!("{:?} refused: {e}", entry.event),
    }
}

/// Applies an entry that must be refused, and checks that the center is untouched and that
/// the message follows the style guide.
fn refused(center: &Center, entry: Entry) -> TransitionError {
    let before = center.clone();
    match center.apply(&entry) {
        Ok(_) => panic!("{:?} was accepted", entry.event),
        Err(e) => {
            assert_eq!(*center, before);
            check_message(&e.to_string());
            e
        }
    }
}

/// Lower case first, no final period, no Rust type names.
fn check_message(message: &str) {
    let first = message.chars().next().unwrap();
    assert!(
        first.is_lowercase() || first == '`',
        "starts in upper case: {message}"
    );
    assert!(!message.ends_with('.'), "ends with a period: {message}");
    for rust in [
        "::",
        "Some(",
        "None",
        "ActionType",
        "Status::",
        "TransitionError",
        "Timestamp(",
    ] {
        assert!(!message.contains(rust), "names `{rust}`: {message}");
    }
}

fn status(center: &Center, id: &str) -> Status {
    center
        .status(id)
        .unwrap_or_else(|| panic!("no action `{id}`"))
}

pub fn the_center_starts_from_the_policys_decisions() {
    let c = center();
    let ids: Vec<String> = c.actions().into_iter().map(|a| a.id).collect();
    assert_eq!(ids, ACTION_IDS);
    let automatic = c.action("a1/1").unwrap();
    assert_eq!(automatic.status, Status::Completed);
    assert_eq!(automatic.action, ActionType::QuarantineFile);
    assert_eq!(automatic.decided_by.as_deref(), Some(AUTOMATION));
    assert_eq!(automatic.decided_at, Some(T0));
    assert_eq!(automatic.source, ActionSource::AutomatedInvestigation);
    assert_eq!(automatic.entity, "evil.exe");
    assert_eq!(automatic.device.as_deref(), Some("pc-1.contoso.com"));
    assert_eq!(automatic.device_group.as_deref(), Some("G"));
    assert_eq!(automatic.investigation.as_deref(), Some("inv-1"));
    let pending = c.action("a1/2").unwrap();
    assert_eq!(pending.status, Status::Pending);
    assert_eq!(pending.decided_by, None);
    assert_eq!(pending.decided_at, None);
    assert_eq!(pending.pending_since, Some(T0));
    assert_eq!(pending.expires_at, Some(T0.plus_days(7)));
    // The export's own status is kept beside airview's.
    let failed = c.action("a2/3").unwrap();
    assert_eq!(failed.status, Status::Failed);
    assert_eq!(failed.reported_status.as_deref(), Some("failed"));
    // A compromised user is disabled automatically; email actions wait.
    assert_eq!(status(&c, "a4/2"), Status::Completed);
    assert_eq!(status(&c, "a3/0"), Status::Pending);
    // Evidence with no action, or no threat, gives no action.
    assert_eq!(c.status("a1/0"), None);
    assert_eq!(c.status("a5/0"), None);
    // Under another policy the same evidence waits.
    let semi = Center::new(dataset(), policy(AutomationLevel::SemiAllFolders), T0);
    assert_eq!(status(&semi, "a1/1"), Status::Pending);
    // With no automated response, the evidence is not investigated: no action.
    let none = Center::new(dataset(), policy(AutomationLevel::NoAutomatedResponse), T0);
    assert_eq!(none.status("a1/1"), None);
}

pub fn approving_takes_a_pending_action() {
    let mut e = entry(10, admin(), approve(&["a1/2"]));
    e.comment = Some("confirmed by the user".into());
    let c = ok(&center(), e);
    let a = c.action("a1/2").unwrap();
    assert_eq!(a.status, Status::Completed);
    assert_eq!(a.decided_by.as_deref(), Some("alice"));
    assert_eq!(a.decided_at, Some(at(10)));
    assert_eq!(a.comment.as_deref(), Some("confirmed by the user"));
    assert_eq!(c.now(), at(10));
}

pub fn rejecting_rejects_a_pending_action() {
    let c = ok(&center(), entry(10, admin(), reject(&["a1/2"])));
    let a = c.action("a1/2").unwrap();
    assert_eq!(a.status, Status::Rejected);
    assert_eq!(a.decided_by.as_deref(), Some("alice"));
}

pub fn several_actions_of_one_type_are_decided_at_once() {
    let (c, changed) = center()
        .apply_changes(&entry(10, admin(), approve(&["a1/2", "a1/4", "a1/2"])))
        .unwrap();
    assert_eq!(changed, ["a1/2", "a1/4"]);
    assert_eq!(status(&c, "a1/2"), Status::Completed);
    assert_eq!(status(&c, "a1/4"), Status::Completed);
}

pub fn mixed_action_types_are_refused() {
    let e = refused(&center(), entry(10, admin(), approve(&["a1/2", "a1/3"])));
    assert_eq!(
        e,
        TransitionError::MixedActionTypes {
            first: "a1/2".into(),
            first_action: ActionType::KillProcess,
            other: "a1/3".into(),
            other_action: ActionType::QuarantineFile,
        }
    );
    assert_eq!(e.to_string(), "actions of different types cannot be handled together: `a1/2` is `Kill a process` but `a1/3` is `Quarantine a file`");
}

pub fn a_batch_is_all_or_nothing() {
    let c = ok(&center(), entry(10, admin(), reject(&["a1/4"])));
    let e = refused(&c, entry(20, admin(), approve(&["a1/2", "a1/4"])));
    assert_eq!(
        e,
        TransitionError::NotPending {
            act: Act::Approve,
            id: "a1/4".into(),
            status: Status::Rejected
        }
    );
    assert_eq!(status(&c, "a1/2"), Status::Pending);
}

pub fn pending_actions_time_out_after_seven_days() {
    let c = center();
    let expiry = T0.plus_days(7);
    assert_eq!(
        status(&c.with_now(Timestamp(expiry.0 - 1)), "a1/2"),
        Status::Pending
    );
    let late = c.with_now(expiry).action("a1/2").unwrap();
    assert_eq!(late.status, Status::TimedOut);
    assert_eq!(late.decided_by.as_deref(), Some(SYSTEM));
    assert_eq!(late.decided_at, Some(expiry));
    assert_eq!(late.expires_at, None);
    assert!(Status::TimedOut.is_rejected());
    // Decided actions do not time out.
    let decided = ok(&c, entry(10, admin(), approve(&["a1/2"])));
    assert_eq!(
        status(&decided.with_now(expiry.plus_days(30)), "a1/2"),
        Status::Completed
    );
}

pub fn a_timed_out_action_cannot_be_approved_or_rejected() {
    let week = 7 * DAY_MS / MINUTE_MS;
    for event in [approve(&["a1/2"]), reject(&["a1/2"])] {
        let act = event.act();
        let e = refused(&center(), entry(week, admin(), event));
        assert_eq!(
            e,
            TransitionError::TimedOut {
                act,
                id: "a1/2".into(),
                at: T0.plus_days(7)
            }
        );
    }
    // A minute earlier it could.
    ok(&center(), entry(week - 1, admin(), approve(&["a1/2"])));
}

pub fn only_pending_actions_are_approved_or_rejected() {
    let e = refused(&center(), entry(10, admin(), reject(&["a1/1"])));
    assert_eq!(
        e,
        TransitionError::NotPending {
            act: Act::Reject,
            id: "a1/1".into(),
            status: Status::Completed
        }
    );
    assert_eq!(
        e.to_string(),
        "cannot reject action `a1/1`: it is completed, not pending"
    );
}

pub fn undo_reverses_a_completed_action() {
    let (c, changed) = center()
        .apply_changes(&entry(10, admin(), undo(&["a1/1"], false)))
        .unwrap();
    assert_eq!(changed, ["a1/1"]);
    let a = c.action("a1/1").unwrap();
    assert_eq!(a.status, Status::Undone);
    assert_eq!(a.decided_by.as_deref(), Some("alice"));
    // Without all instances the same file elsewhere stays quarantined.
    assert_eq!(status(&c, "a2/1"), Status::Completed);
    // A Global Administrator may undo too.
    let global = actor("gia", &[Role::GlobalAdministrator]);
    let c = ok(&c, entry(20, global, undo(&["a2/2"], false)));
    assert_eq!(status(&c, "a2/2"), Status::Undone);
}

pub fn undo_needs_an_administrator() {
    for who in [
        actor(
            "rory",
            &[Role::ActiveRemediationActions, Role::SearchAndPurge],
        ),
        reader(),
        actor("nobody", &[]),
    ] {
        let e = refused(&center(), entry(10, who.clone(), undo(&["a1/1"], false)));
        assert_eq!(
            e,
            TransitionError::MissingRole {
                actor: who.name.clone(),
                act: Act::Undo,
                action: Some(ActionType::QuarantineFile),
                needs: Requirement::Administrator,
                has: who.roles.clone(),
            }
        );
    }
    let e = refused(&center(), entry(10, reader(), undo(&["a1/1"], false)));
    assert_eq!(e.to_string(), "`rex` may not undo `Quarantine a file` actions: that needs Security Administrator or Global Administrator, and they act as Security Reader");
}

pub fn only_undoable_actions_are_undone() {
    let c = ok(&center(), entry(10, admin(), approve(&["a1/2"])));
    let e = refused(&c, entry(20, admin(), undo(&["a1/2"], false)));
    assert_eq!(
        e,
        TransitionError::NotUndoable {
            id: "a1/2".into(),
            action: ActionType::KillProcess
        }
    );
    // Email actions are changed, not undone.
    let c = ok(&center(), entry(10, mail_admin(), approve(&["a3/1"])));
    refused(&c, entry(20, admin(), undo(&["a3/1"], false)));
}

pub fn only_completed_actions_are_undone() {
    for (id, status) in [("a1/3", Status::Pending), ("a8/0", Status::Failed)] {
        let e = refused(&center(), entry(10, admin(), undo(&[id], false)));
        assert_eq!(
            e,
            TransitionError::NotCompleted {
                act: Act::Undo,
                id: id.into(),
                status
            }
        );
    }
    let c = ok(&center(), entry(10, admin(), reject(&["a1/3"])));
    refused(&c, entry(20, admin(), undo(&["a1/3"], false)));
    let c = ok(&center(), entry(10, admin(), undo(&["a1/1"], false)));
    let e = refused(&c, entry(20, admin(), undo(&["a1/1"], false)));
    assert_eq!(
        e.to_string(),
        "cannot undo action `a1/1`: it is undone, not completed"
    );
}

pub fn undo_across_instances_releases_the_same_file_everywhere() {
    let (c, changed) = center()
        .apply_changes(&entry(10, admin(), undo(&["a1/1"], true)))
        .unwrap();
    // `a2/1` has the same SHA-256 in other letter case; `a2/4` has it too but is pending.
    assert_eq!(changed, ["a1/1", "a2/1"]);
    assert_eq!(status(&c, "a2/1"), Status::Undone);
    assert_eq!(status(&c, "a2/4"), Status::Pending);
    assert_eq!(status(&c, "a7/0"), Status::Completed);
    // Once approved, the pending instance is taken along as well.
    let c = ok(&center(), entry(10, admin(), approve(&["a2/4"])));
    let (_, changed) = c
        .apply_changes(&entry(20, admin(), undo(&["a2/1"], true)))
        .unwrap();
    assert_eq!(changed, ["a2/1", "a1/1", "a2/4"]);
}

pub fn a_cluster_approved_within_the_hour_is_a_duplicate() {
    let c = ok(&center(), entry(10, mail_admin(), approve(&["a3/0"])));
    let dup = ok(&c, entry(40, mail_admin(), approve(&["a4/0"])));
    let a = dup.action("a4/0").unwrap();
    assert_eq!(a.status, Status::Completed);
    assert_eq!(a.duplicate_of.as_deref(), Some("a3/0"));
    assert!(history_csv(&[a]).contains("Completed (duplicate of a3/0: not processed again)"));
    // A different cluster is not a duplicate.
    let other = ok(&c, entry(40, mail_admin(), approve(&["a4/1"])));
    assert_eq!(other.action("a4/1").unwrap().duplicate_of, None);
    // An hour and a minute later, the approval is processed again.
    let later = ok(&c, entry(71, mail_admin(), approve(&["a4/0"])));
    assert_eq!(later.action("a4/0").unwrap().duplicate_of, None);
    // Within one batch, the second approval of a cluster is the duplicate.
    let batch = ok(
        &center(),
        entry(10, mail_admin(), approve(&["a3/0", "a4/0"])),
    );
    assert_eq!(
        batch.action("a4/0").unwrap().duplicate_of.as_deref(),
        Some("a3/0")
    );
    assert_eq!(batch.action("a3/0").unwrap().duplicate_of, None);
}

pub fn completed_email_actions_change_disposition() {
    let c = ok(&center(), entry(10, mail_admin(), approve(&["a3/1"])));
    let change = Event::ChangeDisposition {
        ids: ids(&["a3/1"]),
        disposition: Disposition::MoveToInbox,
    };
    let c = ok(&c, entry(20, mail_admin(), change.clone()));
    let a = c.action("a3/1").unwrap();
    assert_eq!(a.status, Status::Completed);
    assert_eq!(a.disposition, Some(Disposition::MoveToInbox));
    assert_eq!(a.decided_at, Some(at(20)));
    // Every disposition is accepted.
    for d in Disposition::ALL {
        let e = Event::ChangeDisposition {
            ids: ids(&["a3/1"]),
            disposition: d,
        };
        let next = ok(&c, entry(30, mail_admin(), e));
        assert_eq!(next.action("a3/1").unwrap().disposition, Some(d));
    }
    // A pending email action has no disposition to change.
    let e = refused(&center(), entry(10, mail_admin(), change));
    assert_eq!(
        e,
        TransitionError::NotCompleted {
            act: Act::ChangeDisposition,
            id: "a3/1".into(),
            status: Status::Pending
        }
    );
}

pub fn only_email_actions_change_disposition() {
    let e = refused(
        &center(),
        entry(
            10,
            mail_admin(),
            Event::ChangeDisposition {
                ids: ids(&["a1/1"]),
                disposition: Disposition::HardDelete,
            },
        ),
    );
    assert_eq!(
        e,
        TransitionError::NotEmailAction {
            id: "a1/1".into(),
            action: ActionType::QuarantineFile
        }
    );
}

pub fn manual_actions_start_completed() {
    let isolate = Event::AddManualAction {
        action: ActionType::IsolateDevice,
        entity: "pc-1".into(),
        device: None,
    };
    let mut e = entry(
        10,
        actor("rory", &[Role::ActiveRemediationActions]),
        isolate,
    );
    e.comment = Some("lateral movement".into());
    let (c, changed) = center().apply_changes(&e).unwrap();
    assert_eq!(changed, ["manual/1"]);
    let a = c.action("manual/1").unwrap();
    assert_eq!(a.status, Status::Completed);
    assert_eq!(a.source, ActionSource::ManualResponseAction);
    assert_eq!(a.decided_by.as_deref(), Some("rory"));
    assert_eq!(a.decided_at, Some(at(10)));
    assert_eq!(a.comment.as_deref(), Some("lateral movement"));
    assert_eq!(a.device.as_deref(), Some("pc-1"));
    assert_eq!(a.device_group.as_deref(), Some("G"));
    assert_eq!(a.investigation, None);
    // Manual actions are in the history, and undoable ones can be undone.
    assert!(c.history().iter().any(|h| h.id == "manual/1"));
    let c = ok(&c, entry(20, admin(), undo(&["manual/1"], false)));
    assert_eq!(status(&c, "manual/1"), Status::Undone);
    // On a file, a user: the next ids.
    let sample = Event::AddManualAction {
        action: ActionType::StopAndQuarantine,
        entity: "evil.exe".into(),
        device: Some("dev2".into()),
    };
    let c = ok(&c, entry(30, admin(), sample));
    let a = c.action("manual/2").unwrap();
    assert_eq!(a.device.as_deref(), Some("dev2"));
    assert_eq!(a.device_group.as_deref(), Some("G"));
    let reset = Event::AddManualAction {
        action: ActionType::ResetUserPassword,
        entity: "eve@contoso.com".into(),
        device: None,
    };
    // User actions are on the email side: Search and Purge as well.
    refused(&c, entry(40, admin(), reset.clone()));
    let c = ok(&c, entry(40, mail_admin(), reset));
    assert_eq!(c.action("manual/3").unwrap().device, None);
}

pub fn only_manual_response_actions_can_be_added() {
    let e = refused(
        &center(),
        entry(
            10,
            admin(),
            Event::AddManualAction {
                action: ActionType::QuarantineFile,
                entity: "x".into(),
                device: None,
            },
        ),
    );
    assert_eq!(
        e,
        TransitionError::NotManualAction {
            action: ActionType::QuarantineFile
        }
    );
    let e = refused(
        &center(),
        entry(
            10,
            admin(),
            Event::AddManualAction {
                action: ActionType::IsolateDevice,
                entity: "  ".into(),
                device: None,
            },
        ),
    );
    assert_eq!(
        e,
        TransitionError::MissingTarget {
            action: ActionType::IsolateDevice
        }
    );
}

pub fn the_permissions_table() {
    let remediator = actor("rory", &[Role::ActiveRemediationActions]);
    let global = actor("gia", &[Role::GlobalAdministrator]);
    let global_purge = actor("gus", &[Role::GlobalAdministrator, Role::SearchAndPurge]);
    let remediator_purge = actor(
        "rita",
        &[Role::ActiveRemediationActions, Role::SearchAndPurge],
    );
    // Device, file, process, registry, service, driver and task actions.
    for who in [admin(), global.clone(), remediator.clone()] {
        ok(&center(), entry(10, who, approve(&["a1/2"])));
    }
    for who in [reader(), actor("pat", &[Role::SearchAndPurge])] {
        let e = refused(&center(), entry(10, who, approve(&["a1/2"])));
        assert!(matches!(
            e,
            TransitionError::MissingRole {
                needs: Requirement::DeviceRemediation,
                ..
            }
        ));
    }
    // Email, URL, attachment, mailbox and user actions.
    for id in ["a3/1", "a3/2", "a3/0"] {
        for who in [mail_admin(), global_purge.clone()] {
            ok(&center(), entry(10, who, approve(&[id])));
        }
        for who in [admin(), global.clone(), remediator_purge.clone(), reader()] {
            let e = refused(&center(), entry(10, who, reject(&[id])));
            assert!(matches!(
                e,
                TransitionError::MissingRole {
                    needs: Requirement::EmailRemediation,
                    ..
                }
            ));
        }
    }
    let e = refused(&center(), entry(10, remediator_purge, approve(&["a3/2"])));
    assert_eq!(e.to_string(), "`rita` may not approve `Turn off external mail forwarding` actions: that needs Security Administrator or Global Administrator, together with Search and Purge, and they act as Active remediation actions, Search and Purge");
    // Reading needs nothing: views take no actor.
    assert!(!center().pending().is_empty());
}

pub fn unknown_ids_and_empty_selections_are_refused() {
    for id in [
        "a1/0", "a5/0", "a1/99", "a9/0", "nope", "a1/01", "a1/+1", "manual/1", "",
    ] {
        let e = refused(&center(), entry(10, admin(), approve(&["a1/2", id])));
        assert_eq!(e, TransitionError::UnknownAction { id: id.into() });
    }
    let e = refused(&center(), entry(10, admin(), approve(&[])));
    assert_eq!(e, TransitionError::EmptySelection { act: Act::Approve });
    assert_eq!(
        e.to_string(),
        "no action to approve: give at least one action id"
    );
    assert_eq!(
        TransitionError::UnknownAction { id: "x".into() }.to_string(),
        "unknown action id `x`"
    );
}

pub fn events_are_recorded_in_time_order() {
    let c = ok(&center(), entry(60, admin(), approve(&["a1/2"])));
    let e = refused(&c, entry(30, admin(), approve(&["a1/4"])));
    assert_eq!(
        e,
        TransitionError::OutOfOrder {
            at: at(30),
            last: at(60)
        }
    );
    // The same time is fine.
    ok(&c, entry(60, admin(), approve(&["a1/4"])));
}

pub fn a_new_policy_keeps_what_people_decided() {
    let c = ok(&center(), entry(10, admin(), approve(&["a1/3"])));
    let c = ok(&c, entry(20, admin(), undo(&["a2/2"], false)));
    let mut file = policy(AutomationLevel::SemiAllFolders).to_file();
    let c = ok(
        &c,
        entry(
            30,
            admin(),
            Event::ApplyPolicy {
                policy: file.clone(),
            },
        ),
    );
    // Decided by people: kept.
    assert_eq!(status(&c, "a1/3"), Status::Completed);
    assert_eq!(status(&c, "a2/2"), Status::Undone);
    // Decided by Automation under the old policy: now waits.
    assert_eq!(status(&c, "a1/1"), Status::Pending);
    assert_eq!(c.policy().groups[0].level, AutomationLevel::SemiAllFolders);
    // Back to full: what nobody decided is automatic again.
    let full = policy(AutomationLevel::Full).to_file();
    let c = ok(&c, entry(40, admin(), Event::ApplyPolicy { policy: full }));
    assert_eq!(status(&c, "a1/1"), Status::Completed);
    // Under a policy where the evidence is not investigated, a person's decision stays.
    let off = policy(AutomationLevel::NoAutomatedResponse).to_file();
    let c = ok(&c, entry(50, admin(), Event::ApplyPolicy { policy: off }));
    assert_eq!(status(&c, "a1/3"), Status::Completed);
    assert_eq!(c.status("a1/1"), None);
    // Making a policy current needs an administrator, and a valid policy.
    let e = refused(
        &center(),
        entry(
            10,
            actor("rory", &[Role::ActiveRemediationActions]),
            Event::ApplyPolicy {
                policy: file.clone(),
            },
        ),
    );
    assert!(matches!(
        e,
        TransitionError::MissingRole {
            act: Act::ApplyPolicy,
            action: None,
            ..
        }
    ));
    file.default_level = "sometimes".into();
    let e = refused(
        &center(),
        entry(10, admin(), Event::ApplyPolicy { policy: file }),
    );
    assert!(matches!(e, TransitionError::InvalidPolicy { .. }));
    assert!(e
        .to_string()
        .starts_with("invalid policy: unknown automation level `sometimes`"));
}

pub fn investigation_status_follows_its_actions() {
    let c = center();
    let status_of = |c: &Center, id: &str| {
        c.investigations()
            .into_iter()
            .find(|i| i.id == id)
            .unwrap_or_else(|| panic!("no investigation `{id}`"))
    };
    let ids: Vec<String> = c.investigations().into_iter().map(|i| i.id).collect();
    assert_eq!(
        ids,
        ["inv-1", "inv-2", "inv-3", "inv-4", "inv-5", "inv-6", "inv-7", "inv-8"]
    );
    assert_eq!(
        status_of(&c, "inv-1").status,
        InvestigationStatus::PendingAction
    );
    assert!(!status_of(&c, "inv-1").complete);
    assert_eq!(
        status_of(&c, "inv-5").status,
        InvestigationStatus::NoThreatsFound
    );
    assert_eq!(status_of(&c, "inv-6").status, InvestigationStatus::Running);
    assert!(!status_of(&c, "inv-6").complete);
    assert_eq!(
        status_of(&c, "inv-7").status,
        InvestigationStatus::Remediated
    );
    assert!(status_of(&c, "inv-7").complete);
    assert_eq!(status_of(&c, "inv-8").status, InvestigationStatus::Failed);
    let inv2 = status_of(&c, "inv-2");
    assert_eq!(inv2.actions, 4);
    assert_eq!(
        (
            inv2.counts.completed,
            inv2.counts.failed,
            inv2.counts.pending
        ),
        (2, 1, 1)
    );
    assert_eq!(inv2.alerts, ["a2"]);
    // Every pending action decided: some taken, one failed: partially remediated.
    let c = ok(&c, entry(10, admin(), approve(&["a2/4"])));
    assert_eq!(
        status_of(&c, "inv-2").status,
        InvestigationStatus::PartiallyRemediated
    );
    assert!(status_of(&c, "inv-2").complete);
    // Approve all of inv-1: remediated; undo one: partially remediated.
    let c = ok(&c, entry(20, admin(), approve(&["a1/2", "a1/4"])));
    let c = ok(&c, entry(20, admin(), approve(&["a1/3"])));
    assert_eq!(
        status_of(&c, "inv-1").status,
        InvestigationStatus::Remediated
    );
    let undone = ok(&c, entry(30, admin(), undo(&["a1/3"], false)));
    assert_eq!(
        status_of(&undone, "inv-1").status,
        InvestigationStatus::PartiallyRemediated
    );
    // Time-outs count as rejected: inv-3 (all email, nothing taken) ends partially remediated.
    let late = c.with_now(T0.plus_days(8));
    let inv3 = status_of(&late, "inv-3");
    assert_eq!(inv3.counts.timed_out, 3);
    assert_eq!(inv3.status, InvestigationStatus::PartiallyRemediated);
    assert!(inv3.complete);
}

pub fn the_view_and_the_history_exports() {
    let mut e = entry(10, admin(), reject(&["a1/2"]));
    e.comment = Some("=HYPERLINK(\"http://x\"), said \"no\"".into());
    let c = ok(&center(), e);
    let view = c.view();
    assert!(view.pending.iter().all(|a| a.status == Status::Pending));
    assert!(view.history.iter().all(|a| a.status != Status::Pending));
    assert_eq!(view.pending.len() + view.history.len(), ACTION_IDS.len());
    // The newest update first.
    assert_eq!(view.history[0].id, "a1/2");
    let json: serde_json::Value = serde_json::to_value(&view).unwrap();
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["history", "investigations", "pending"]);
    let first = json["history"][0].as_object().unwrap();
    for field in [
        "id",
        "action",
        "entity",
        "device",
        "device_group",
        "status",
        "source",
        "decided_by",
        "decided_at",
        "comment",
        "reported_status",
        "investigation",
    ] {
        assert!(first.contains_key(field), "no `{field}` in {first:?}");
    }
    assert_eq!(json["history"][0]["action"], "kill_process");
    assert_eq!(json["history"][0]["status"], "rejected");
    assert_eq!(json["history"][0]["source"], "Automated investigation");
    assert_eq!(json["history"][0]["decided_at"], "2024-03-01T00:10:00.000Z");
    assert_eq!(json["investigations"][0]["status"], "pending_action");
    // JSON export: the history as an array that reads back.
    let text = history_json(&view.history).unwrap();
    let back: Vec<airview_engine::ActionView> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, view.history);
    // CSV export: the portal's columns, RFC 4180 quoting, formulas defused.
    let csv = history_csv(&view.history);
    let mut lines = csv.split("\r\n");
    assert_eq!(lines.next().unwrap(), CSV_COLUMNS.join(","));
    assert_eq!(CSV_COLUMNS.join(","), "Action update time,Investigation ID,Action type,Entity,Device or mailbox,Status,Action source,Decided by,Comment");
    assert_eq!(
        lines.next().unwrap(),
        "2024-03-01T00:10:00.000Z,inv-1,Kill a process,evil.exe,pc-1.contoso.com,Rejected,Automated investigation,alice,\"'=HYPERLINK(\"\"http://x\"\"), said \"\"no\"\"\""
    );
    assert!(csv.ends_with("\r\n"));
    assert_eq!(csv.matches("\r\n").count(), view.history.len() + 1);
    // A mailbox action names the mailbox in "Device or mailbox".
    let late = c.with_now(T0.plus_days(8)).history();
    let mailbox = late.iter().find(|a| a.id == "a3/2").unwrap();
    assert!(history_csv(std::slice::from_ref(mailbox))
        .contains(",bob@contoso.com,Timed out,Automated investigation,System,"));
    for (cell, expected) in [
        ("plain", "plain"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("a,b", "\"a,b\""),
        ("line\nbreak", "\"line\nbreak\""),
        ("", ""),
    ] {
        assert_eq!(csv_cell(cell), expected);
    }
}

pub fn replay_gives_the_state_of_applying_one_by_one() {
    let entries = vec![
        entry(10, admin(), approve(&["a1/2"])),
        entry(20, mail_admin(), approve(&["a3/0"])),
        entry(30, admin(), undo(&["a1/1"], true)),
    ];
    let mut c = center();
    for e in &entries {
        c = ok(&c, e.clone());
    }
    assert_eq!(Center::replay(&center(), &entries).unwrap(), c);
    // A refused entry is reported with its 1-based line.
    let mut bad = entries.clone();
    bad.push(entry(40, reader(), approve(&["a1/4"])));
    let (line, e) = Center::replay(&center(), &bad).unwrap_err();
    assert_eq!(line, 4);
    assert!(matches!(e, TransitionError::MissingRole { .. }));
    // Entries serialise with a `type` tag in snake case.
    let json = serde_json::to_value(&entries[2]).unwrap();
    assert_eq!(json["event"]["type"], "undo");
    assert_eq!(json["event"]["all_instances"], true);
    assert_eq!(json["actor"]["roles"][0], "security_administrator");
    assert_eq!(json["at"], "2024-03-01T00:30:00.000Z");
    let change: Event = serde_json::from_str(
        r#"{"type": "change_disposition", "ids": ["a3/1"], "disposition": "move_to_junk"}"#,
    )
    .unwrap();
    assert_eq!(
        change,
        Event::ChangeDisposition {
            ids: ids(&["a3/1"]),
            disposition: Disposition::MoveToJunk
        }
    );
}

/// `check` answers what `apply` would, without deciding everything again for a policy.
pub fn check_agrees_with_apply() {
    let c = center();
    let first_pending = c.pending().first().map(|a| a.id.clone()).unwrap();
    let pending = first_pending.as_str();
    let good = policy(AutomationLevel::Full).to_file();
    let mut bad = good.clone();
    bad.default_level = "sometimes".into();
    let events = [
        (
            admin(),
            Event::ApplyPolicy {
                policy: good.clone(),
            },
        ),
        (reader(), Event::ApplyPolicy { policy: good }),
        (admin(), Event::ApplyPolicy { policy: bad }),
        (admin(), approve(&[pending])),
        (reader(), approve(&[pending])),
        (admin(), approve(&[ACTION_IDS[0]])),
    ];
    for (who, event) in events {
        let e = entry(10, who, event);
        assert_eq!(c.check(&e), c.apply(&e).map(|_| ()), "{e:?}");
    }
    let later = ok(&c, entry(20, admin(), approve(&[pending])));
    let early = entry(
        5,
        admin(),
        Event::ApplyPolicy {
            policy: policy(AutomationLevel::Full).to_file(),
        },
    );
    assert_eq!(later.check(&early), later.apply(&early).map(|_| ()));
}
