//! What the core's tests share: the repository's fixtures, a clock, and a load made the way
//! the web app makes one, natively.

#![allow(dead_code, reason = "each test file uses its own part of the helpers")]

use airview_app::{join_results, open_journal, AppState, Basis, Export, FileResult, Loaded, Msg};
use airview_engine::{Center, Dataset, Timestamp};

/// The platform's handle to bytes it holds: the tests name each export by a string.
pub type Handle = String;

pub type State = AppState<Handle>;

/// A fixed "now": 2026-10-21T08:00:00Z, a day after the fixtures' alerts.
pub const NOW: Timestamp = Timestamp(1_792_569_600_000);

pub const DAY_MS: i64 = 86_400_000;

pub fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The state after `msg`, which must change it.
pub fn reduced(state: &State, msg: Msg<Handle>) -> State {
    state.reduce(msg).expect("the message changes the state")
}

/// The app showing the sample at `NOW`.
pub fn booted() -> State {
    reduced(
        &State::new(NOW),
        Msg::Boot {
            stored: Default::default(),
            now: NOW,
        },
    )
}

/// A load of `files` (name and text) into what `basis` describes, as the web app makes it:
/// the worker's import, then the center, the journal replayed and the lists, at `now`.
pub fn load(basis: &Basis<Handle>, files: &[(&str, String)], now: Timestamp) -> Loaded<Handle> {
    let mut data = Dataset::new();
    for export in basis.exports.iter() {
        airview_import::load(&mut data, &export.name, &fixture(&export.name), None)
            .expect("a stored export loads again");
    }
    let mut results = Vec::new();
    let mut given = Vec::new();
    for (index, (name, text)) in files.iter().enumerate() {
        let result: FileResult = airview_app::import::import_file(
            &mut data,
            index,
            name,
            text.as_bytes().to_vec(),
            &mut |_, _| {},
        );
        results.push(result);
        given.push(Export {
            name: (*name).to_owned(),
            blob: format!("blob of {name}"),
        });
    }
    let joined = join_results(basis, &given, &results);
    let base = Center::new(data, basis.policy.clone(), now);
    let (session, set_aside) = open_journal(base, &basis.journal_text, now);
    let mut notices = joined.notices;
    notices.extend(set_aside);
    Loaded {
        basis: basis.clone(),
        rows: session.rows(),
        session,
        files: joined.files,
        exports: joined.exports,
        snapshot: "snapshot".to_owned(),
        notices,
    }
}

/// The app showing `files` (fixture names) loaded in place of the sample.
pub fn loaded(files: &[&str]) -> State {
    let state = booted();
    let (basis, _) = Basis::of(&state);
    let texts: Vec<(&str, String)> = files.iter().map(|f| (*f, fixture(f))).collect();
    let loaded = load(&basis, &texts, NOW);
    reduced(
        &state,
        Msg::Loaded {
            loaded: Box::new(loaded),
            now: NOW,
        },
    )
}

/// The ids of the first `n` pending actions.
pub fn pending_ids(state: &State, n: usize) -> Vec<String> {
    state
        .rows
        .pending
        .iter()
        .take(n)
        .filter_map(|row| state.center().row_id(*row))
        .collect()
}
