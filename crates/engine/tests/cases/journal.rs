//! The journal: JSON Lines with a hash chain; every kind of damage is reported with its line.

use super::center_fixture::*;
use airview_engine::journal::{chain_hash, GENESIS};
use airview_engine::{Entry, Journal, JournalError, JournalErrorKind};

fn entries() -> Vec<Entry> {
    let mut first = entry(10, admin(), approve(&["a1/2"]));
    first.comment = Some("line one, with \"quotes\" and a\nnewline".into());
    vec![
        first,
        entry(20, mail_admin(), reject(&["a3/0"])),
        entry(30, admin(), undo(&["a1/1"], true)),
    ]
}

fn lines(text: &str) -> Vec<String> {
    text.split_inclusive('\n').map(str::to_owned).collect()
}

fn error(text: &[u8]) -> JournalError {
    match Journal::read(text) {
        Ok(j) => panic!("accepted a damaged journal: {:?}", j.entries),
        Err(e) => e,
    }
}

pub fn the_journal_round_trips() {
    let text = Journal::write(&entries());
    assert_eq!(Journal::parse(&text).unwrap(), entries());
    assert_eq!(lines(&text).len(), 3);
    // Line by line, with `append_line`, gives the same text, and `head` is the last hash.
    let mut prev = GENESIS.to_owned();
    let mut again = String::new();
    for e in entries() {
        let (line, hash) = Journal::append_line(&prev, &e);
        assert!(line.ends_with('\n'));
        assert_eq!(line.matches('\n').count(), 1);
        again.push_str(&line);
        prev = hash;
    }
    assert_eq!(again, text);
    let journal = Journal::read(text.as_bytes()).unwrap();
    assert_eq!(journal.head, prev);
    // The first line names 64 zeros, and its hash is over `prev` and the entry's exact text.
    let first: serde_json::Value = serde_json::from_str(&lines(&text)[0]).unwrap();
    assert_eq!(first["prev"], GENESIS);
    let entry_text = serde_json::to_string(&entries()[0]).unwrap();
    assert_eq!(first["hash"], chain_hash(GENESIS, &entry_text).as_str());
    // An empty journal is a journal with no entries.
    assert_eq!(Journal::read(b"").unwrap(), Journal::default());
    // Appending to a read journal continues the chain.
    let mut journal = Journal::read(text.as_bytes()).unwrap();
    let line = journal.push(entry(40, admin(), approve(&["a1/4"])));
    let longer = format!("{text}{line}");
    assert_eq!(Journal::parse(&longer).unwrap().len(), 4);
}

pub fn an_edited_line_is_detected() {
    let text = Journal::write(&entries());
    // An edited entry: the hash no longer matches.
    let edited = text.replacen("a3/0", "a3/1", 1);
    let e = error(edited.as_bytes());
    assert_eq!(
        e,
        JournalError {
            line: 2,
            kind: JournalErrorKind::HashMismatch
        }
    );
    assert_eq!(
        e.to_string(),
        "journal line 2: the line was edited: its `hash` does not match its entry"
    );
    // Even an edit that keeps the same JSON value (here a space) changes the bytes hashed.
    let spaced = text.replacen("\"ids\":", "\"ids\": ", 1);
    assert_eq!(
        error(spaced.as_bytes()).kind,
        JournalErrorKind::HashMismatch
    );
    // An edited hash breaks its own line.
    let mut l = lines(&text);
    let hash_at = l[2].rfind("\"hash\":\"").unwrap() + 8;
    let digit = if &l[2][hash_at..=hash_at] == "0" {
        "1"
    } else {
        "0"
    };
    l[2].replace_range(hash_at..=hash_at, digit);
    assert_eq!(error(l.concat().as_bytes()).line, 3);
}

pub fn removed_or_moved_lines_are_detected() {
    let l = lines(&Journal::write(&entries()));
    // The first line removed.
    let e = error(l[1..].concat().as_bytes());
    assert_eq!(
        e,
        JournalError {
            line: 1,
            kind: JournalErrorKind::PrevMismatch
        }
    );
    // A middle line removed.
    let e = error([l[0].clone(), l[2].clone()].concat().as_bytes());
    assert_eq!(
        e,
        JournalError {
            line: 2,
            kind: JournalErrorKind::PrevMismatch
        }
    );
    // Two lines swapped.
    let e = error(
        [l[1].clone(), l[0].clone(), l[2].clone()]
            .concat()
            .as_bytes(),
    );
    assert_eq!(e.line, 1);
    // The known limitation: dropping whole lines from the end leaves a valid, shorter chain.
    assert_eq!(Journal::parse(&l[..2].concat()).unwrap().len(), 2);
}

pub fn a_truncated_journal_is_detected() {
    let text = Journal::write(&entries());
    let e = error(text.trim_end_matches('\n').as_bytes());
    assert_eq!(
        e,
        JournalError {
            line: 3,
            kind: JournalErrorKind::Truncated
        }
    );
    assert_eq!(
        e.to_string(),
        "journal line 3: the line has no line end: the journal was cut short"
    );
    let cut = &text.as_bytes()[..text.len() - 20];
    assert_eq!(error(cut).line, 3);
}

pub fn lines_that_are_not_journal_lines_are_reported() {
    let text = Journal::write(&entries());
    let l = lines(&text);
    let e = error(format!("{}not json\n", l[0]).as_bytes());
    assert_eq!(e.line, 2);
    assert!(matches!(e.kind, JournalErrorKind::BadLine(_)), "{e}");
    // An extra field.
    let extra = l[0].replacen('{', "{\"x\":1,", 1);
    assert!(matches!(
        error(extra.as_bytes()).kind,
        JournalErrorKind::BadLine(_)
    ));
    // A blank line.
    assert_eq!(error(format!("{}\n", l[0]).as_bytes()).line, 2);
    // Bytes that are not UTF-8.
    let mut bytes = text.into_bytes();
    bytes[5] = 0xff;
    assert_eq!(
        error(&bytes),
        JournalError {
            line: 1,
            kind: JournalErrorKind::NotText
        }
    );
    // A well-chained line whose entry is not an event airview knows.
    let entry = r#"{"at":"2024-03-01T00:00:00.000Z","actor":{"name":"a","roles":[]},"event":{"type":"explode"}}"#;
    let hash = chain_hash(GENESIS, entry);
    let line = format!("{{\"prev\":\"{GENESIS}\",\"entry\":{entry},\"hash\":\"{hash}\"}}\n");
    let e = error(line.as_bytes());
    assert_eq!(e.line, 1);
    assert!(
        matches!(&e.kind, JournalErrorKind::BadEntry(m) if m.contains("explode")),
        "{e}"
    );
}
