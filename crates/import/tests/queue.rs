//! The action center's lists at scale (`airview_engine::queue`, `Center::rows`) against a
//! plain reference over `ActionView`s, on a generated export large enough for the radix sort
//! (over a thousand rows), with people's acts, manual actions, time-outs and reported
//! actions in the lists.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

mod common;

use airview_engine::queue::{filter, options, sort, Column, Filters};
use airview_engine::{
    ActionSource, ActionTarget, ActionType, ActionView, Actor, Center, Dataset, Entry, Event, Role,
    Status, Timestamp,
};
use common::{fixture, policy};

/// A generated organisation plus reported actions, under the semi-automatic policy, after a
/// few approvals, rejections, an undo and a manual isolation, read three days after the
/// newest evidence so that the oldest pending actions have timed out.
fn center() -> Center {
    let mut data = Dataset::new();
    airview_import::load(
        &mut data,
        "gen.json",
        &airview_import::generate::generate_string(1500, 11),
        None,
    )
    .unwrap();
    airview_import::load(
        &mut data,
        "mde-machineactions.json",
        &fixture("mde-machineactions.json"),
        None,
    )
    .unwrap();
    airview_import::load(
        &mut data,
        "AirActions.csv",
        &fixture("AirActions.csv"),
        None,
    )
    .unwrap();
    let policy = policy("policy-semi.json");
    let start = data.newest().unwrap();
    let mut c = Center::new(data, policy, start);
    let admin = Actor::new(
        "Morgan Admin",
        &[Role::SecurityAdministrator, Role::SearchAndPurge],
    );
    let pending = c.pending();
    let mut at = start;
    let mut act = |c: &mut Center, event: Event, comment: Option<&str>| {
        at = Timestamp(at.0 + 60_000);
        *c = c
            .apply(&Entry {
                at,
                actor: admin.clone(),
                event,
                comment: comment.map(str::to_owned),
            })
            .unwrap();
    };
    let of_type = |t: ActionType| -> Vec<String> {
        pending
            .iter()
            .filter(|a| a.action == t)
            .take(3)
            .map(|a| a.id.clone())
            .collect()
    };
    act(
        &mut c,
        Event::Approve {
            ids: of_type(ActionType::QuarantineFile),
        },
        Some("Invoice malware, approved"),
    );
    act(
        &mut c,
        Event::Reject {
            ids: of_type(ActionType::SoftDeleteEmail),
        },
        None,
    );
    let undo = of_type(ActionType::QuarantineFile)
        .into_iter()
        .take(1)
        .collect();
    act(
        &mut c,
        Event::Undo {
            ids: undo,
            all_instances: false,
        },
        Some("false positive"),
    );
    act(
        &mut c,
        Event::AddManualAction {
            action: ActionType::IsolateDevice,
            entity: "ws-001.contoso.com".to_owned(),
            device: None,
        },
        None,
    );
    c.with_now(start.plus_days(3))
}

fn updated(a: &ActionView) -> Option<Timestamp> {
    a.decided_at.or(a.pending_since)
}

/// The Action center's filters as the web app applied them to views before they moved into
/// the engine.
fn keep(a: &ActionView, f: &Filters, now: Timestamp) -> bool {
    f.action.is_none_or(|x| a.action == x)
        && f.target.is_none_or(|t| a.action.target() == t)
        && f.group
            .as_deref()
            .is_none_or(|g| a.device_group.as_deref() == Some(g))
        && f.status.is_none_or(|s| a.status == s)
        && f.source.is_none_or(|s| a.source == s)
        && f.within_days
            .is_none_or(|d| updated(a).is_some_and(|t| t.0 >= now.0 - d * 86_400_000))
        && (f.text.is_empty() || {
            let needle = f.text.to_lowercase();
            [
                Some(a.id.as_str()),
                Some(a.entity.as_str()),
                a.device.as_deref(),
                a.investigation.as_deref(),
                a.comment.as_deref(),
                a.decided_by.as_deref(),
                Some(a.action.label()),
            ]
            .iter()
            .flatten()
            .any(|h| h.to_lowercase().contains(&needle))
        })
}

fn ids(views: &[ActionView]) -> Vec<String> {
    views.iter().map(|a| a.id.clone()).collect()
}

#[test]
fn rows_are_the_lists_in_their_default_order() {
    let later = center();
    // Read at the oldest evidence, nothing has timed out yet; three days after the newest,
    // most of what waited has.
    let oldest = later
        .data()
        .evidence
        .iter()
        .filter_map(|e| e.created)
        .min()
        .unwrap();
    let early = Center::new(later.data().clone(), later.policy().clone(), oldest);
    assert!(
        early.rows().pending.len() > 1024,
        "the radix sort is not exercised"
    );
    for c in [early, later] {
        check_rows(&c);
    }
}

fn check_rows(c: &Center) {
    let rows = c.rows();
    assert!(
        rows.pending.len().max(rows.history.len()) > 1024,
        "the radix sort is not exercised"
    );
    // The reference: every action at "now", split by status and sorted stably.
    let mut pending: Vec<ActionView> = c
        .actions_at(c.now())
        .into_iter()
        .filter(|a| a.status == Status::Pending)
        .collect();
    pending.sort_by_key(|a| a.pending_since);
    let mut history: Vec<ActionView> = c
        .actions_at(c.now())
        .into_iter()
        .filter(|a| a.status != Status::Pending)
        .collect();
    history.extend(c.reported_views());
    history.sort_by_key(|a| std::cmp::Reverse(a.decided_at));
    assert_eq!(ids(&c.views(&rows.pending)), ids(&pending));
    assert_eq!(ids(&c.views(&rows.history)), ids(&history));
    assert!(history.iter().any(|a| a.id.starts_with("reported/")));
    if c.last_event_at().is_some() {
        assert!(history.iter().any(|a| a.status == Status::TimedOut));
        assert!(history.iter().any(|a| a.id.starts_with("manual/")));
    }
    // The first pending action times out 7 days after it started waiting.
    let first = rows
        .pending
        .iter()
        .filter_map(|r| c.row_view(*r)?.expires_at)
        .min();
    assert_eq!(rows.next_expiry, first);
    for row in rows.pending.iter().chain(&rows.history).take(50) {
        let id = c.row_id(*row).unwrap();
        assert_eq!(c.row_of(&id), Some(*row), "{id}");
    }
}

#[test]
fn filters_match_the_reference() {
    let c = center();
    let rows = c.rows();
    let all: Vec<_> = rows.pending.iter().chain(&rows.history).copied().collect();
    let views = c.views(&all);
    let cases = [
        Filters::default(),
        Filters {
            action: Some(ActionType::QuarantineFile),
            ..Filters::default()
        },
        Filters {
            target: Some(ActionTarget::Email),
            ..Filters::default()
        },
        Filters {
            group: Some("Servers".to_owned()),
            ..Filters::default()
        },
        Filters {
            status: Some(Status::TimedOut),
            ..Filters::default()
        },
        Filters {
            source: Some(ActionSource::ManualResponseAction),
            ..Filters::default()
        },
        Filters {
            within_days: Some(1),
            ..Filters::default()
        },
        Filters {
            within_days: Some(30),
            status: Some(Status::Completed),
            ..Filters::default()
        },
        Filters {
            text: "INVOICE".to_owned(),
            ..Filters::default()
        },
        Filters {
            text: "ws-01".to_owned(),
            ..Filters::default()
        },
        Filters {
            text: "/2".to_owned(),
            ..Filters::default()
        },
        Filters {
            text: "3".to_owned(),
            ..Filters::default()
        },
        Filters {
            text: "reported/".to_owned(),
            ..Filters::default()
        },
        Filters {
            text: "automation".to_owned(),
            ..Filters::default()
        },
        Filters {
            text: "morgan".to_owned(),
            ..Filters::default()
        },
        Filters {
            text: "false positive".to_owned(),
            ..Filters::default()
        },
        Filters {
            text: "quarantine".to_owned(),
            ..Filters::default()
        },
        Filters {
            text: "manual/1".to_owned(),
            ..Filters::default()
        },
        Filters {
            text: "nothing matches this".to_owned(),
            ..Filters::default()
        },
    ];
    for f in cases {
        let expected: Vec<String> = views
            .iter()
            .filter(|a| keep(a, &f, c.now()))
            .map(|a| a.id.clone())
            .collect();
        let got = ids(&c.views(&filter(&c, &all, &f)));
        assert_eq!(got, expected, "{f:?}");
        if f != Filters::default() && !f.text.contains("nothing") {
            assert!(
                !got.is_empty(),
                "a filter that should find something found nothing: {f:?}"
            );
        }
    }
}

#[test]
fn sorting_matches_the_reference() {
    let c = center();
    let rows = c.rows();
    let all: Vec<_> = rows.history.iter().chain(&rows.pending).copied().collect();
    let views = c.views(&all);
    let text = |s: Option<&str>| {
        let s = s.unwrap_or("");
        (s.to_lowercase(), s.to_owned())
    };
    for column in [
        Column::Updated,
        Column::Investigation,
        Column::Action,
        Column::Entity,
        Column::Device,
        Column::Group,
        Column::Status,
        Column::Source,
        Column::DecidedBy,
    ] {
        let key = |a: &ActionView| -> (Option<Timestamp>, (String, String)) {
            match column {
                Column::Updated => (updated(a), Default::default()),
                Column::Investigation => (None, text(a.investigation.as_deref())),
                Column::Action => (None, text(Some(a.action.label()))),
                Column::Entity => (None, text(Some(&a.entity))),
                Column::Device => (None, text(a.device.as_deref())),
                Column::Group => (None, text(a.device_group.as_deref())),
                Column::Status => (None, text(Some(a.status.label()))),
                Column::Source => (None, text(Some(a.source.label()))),
                Column::DecidedBy => (None, text(a.decided_by.as_deref())),
            }
        };
        for ascending in [true, false] {
            let mut expected = views.clone();
            if ascending {
                expected.sort_by_key(key);
            } else {
                expected.sort_by_key(|a| std::cmp::Reverse(key(a)));
            }
            let got = ids(&c.views(&sort(&c, &all, column, ascending)));
            assert_eq!(got, ids(&expected), "{column:?} ascending={ascending}");
        }
    }
}

#[test]
fn options_list_what_the_rows_hold() {
    let c = center();
    let rows = c.rows();
    let o = options(&c, &rows.history);
    let views = c.views(&rows.history);
    let mut groups: Vec<String> = views
        .iter()
        .filter_map(|a| a.device_group.clone())
        .collect();
    groups.sort();
    groups.dedup();
    assert_eq!(o.groups, groups);
    assert!(o.statuses.contains(&Status::TimedOut) && o.statuses.contains(&Status::Completed));
    assert_eq!(
        o.sources,
        vec![
            ActionSource::AutomatedInvestigation,
            ActionSource::ManualResponseAction
        ]
    );
    for a in &views {
        assert!(o.actions.contains(&a.action) && o.targets.contains(&a.action.target()));
    }
}

#[test]
fn built_in_slices_the_center_and_its_lists_are_those_built_at_once() {
    let c = center();
    let data = c.data().clone();
    let policy = c.policy().clone();
    let whole = Center::new(data.clone(), policy.clone(), c.now());
    let mut builder = airview_engine::CenterBuilder::new(data, policy, c.now());
    let mut last = (0, 0);
    let mut steps = 0;
    while !builder.step(97) {
        let now = builder.progress();
        assert!(
            now.0 >= last.0 && now.1 == whole.data().evidence.len() * 2 + 1,
            "{now:?}"
        );
        last = now;
        steps += 1;
    }
    assert!(steps > 100, "{steps}");
    assert_eq!(builder.progress().0, builder.progress().1);
    let sliced = builder.finish();
    assert_eq!(sliced, whole);
    assert_eq!(sliced.rows(), whole.rows());

    // The lists of the center with acts and time-outs, a few items at a time.
    let mut rows = c.rows_builder();
    let mut looked = 0;
    while !rows.step(61) {
        assert!(rows.progress().0 >= looked);
        looked = rows.progress().0;
    }
    assert_eq!(rows.finish(), c.rows());
}
