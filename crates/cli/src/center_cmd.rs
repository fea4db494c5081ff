//! `airview center`, `approve`, `reject`, `undo` and `history`: the action center's rules for
//! scripts. The journal file is the only thing these commands write, and only after the event
//! was accepted, so a refused event leaves it byte for byte as it was.

use crate::args::{self, Args};
use crate::commands::{formats, read_exports, read_policy};
use crate::Failure;
use airview_engine::center::{Center, Entry, Event};
use airview_engine::{history_csv, history_json, Actor, Journal, Role, Timestamp};
use serde::Serialize;
use std::io::Write;

const COMMON: [&str; 5] = ["policy", "journal", "now", "format", "input-format"];

fn clock() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    Timestamp(ms)
}

fn time_option(a: &Args, name: &str) -> Result<Option<Timestamp>, Failure> {
    match a.one(name)? {
        None => Ok(None),
        Some(text) => Timestamp::parse(text).map(Some).ok_or_else(|| {
            Failure(format!(
                "`--{name}` takes a date and time like `2026-11-23T09:30:00Z`, not `{text}`"
            ))
        }),
    }
}

/// Reads the journal file, if any: its entries and the hash the next line must name.
fn read_journal(path: Option<&str>) -> Result<Journal, Failure> {
    let Some(path) = path else {
        return Ok(Journal::default());
    };
    match std::fs::read(path) {
        Ok(bytes) => Journal::read(&bytes).map_err(|e| Failure(format!("`{path}`: {e}"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Journal::default()),
        Err(e) => Err(Failure(format!("cannot read journal `{path}`: {e}"))),
    }
}

/// Loads the policy, the exports and the journal, and replays the journal.
fn load_center(
    a: &Args,
    input: Option<&str>,
    now: Timestamp,
) -> Result<(Center, Journal), Failure> {
    let (policy, _) = read_policy(a.required("policy")?)?;
    let (data, _) = read_exports(&a.positional, input)?;
    let journal = read_journal(a.one("journal")?)?;
    let base = Center::new(data, policy, now);
    let center = Center::replay(&base, &journal.entries).map_err(|(line, e)| {
        Failure(format!(
            "journal `{}`, line {line}: the entry is refused: {e}",
            a.one("journal").ok().flatten().unwrap_or("")
        ))
    })?;
    // Reading happens at `now`, or at the last event when that is later (events move time on).
    let now = center.last_event_at().map_or(now, |last| last.max(now));
    Ok((center.with_now(now), journal))
}

fn json<T: Serialize>(value: &T) -> Result<String, Failure> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure(format!("cannot write the output: {e}")))?;
    text.push('\n');
    Ok(text)
}

pub fn center(raw: &[String]) -> Result<String, Failure> {
    let a = args::parse(raw, &COMMON, &[])?;
    // The center prints JSON; `--format` may also name the exports' input format.
    let (_, input) = formats(&a)?;
    let now = time_option(&a, "now")?.unwrap_or_else(clock);
    let (center, _) = load_center(&a, input, now)?;
    json(&center.view())
}

pub fn history(raw: &[String]) -> Result<String, Failure> {
    let a = args::parse(raw, &COMMON, &[])?;
    let now = time_option(&a, "now")?.unwrap_or_else(clock);
    // `--format csv|json` is the export's; any other value names the input format.
    let mut format = "json";
    let mut input = a.one("input-format")?;
    for value in a.all("format") {
        match value.as_str() {
            "csv" | "json" => format = value.as_str(),
            other if airview_import::Format::parse(other).is_some() => input = Some(other),
            other => {
                return Err(Failure(format!(
                    "unknown history format `{other}`; use `csv` or `json`, or an input format: {}",
                    airview_import::Format::slugs()
                )))
            }
        }
    }
    let (center, _) = load_center(&a, input, now)?;
    let rows = center.history();
    Ok(if format == "csv" {
        history_csv(&rows)
    } else {
        history_json(&rows).map_err(|e| Failure(format!("cannot write the history: {e}")))?
    })
}

/// `approve`, `reject` and `undo`: one entry, applied, then appended to the journal.
pub fn act(kind: &str, raw: &[String]) -> Result<String, Failure> {
    let mut valued = COMMON.to_vec();
    valued.extend(["as", "role", "comment", "at", "id"]);
    let switches: &[&str] = if kind == "undo" {
        &["all-instances"]
    } else {
        &[]
    };
    let a = args::parse(raw, &valued, switches)?;
    let (_, input) = formats(&a)?;
    let name = a.required("as")?;
    if a.all("role").is_empty() {
        return Err(Failure(
            "`--role` is required (one or more: the analyst's roles)".to_owned(),
        ));
    }
    let roles = a
        .all("role")
        .iter()
        .map(|r| Role::parse(r).map_err(|e| Failure(e.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    let ids: Vec<String> = a.all("id").to_vec();
    if ids.is_empty() {
        return Err(Failure(
            "`--id` is required (one or more action ids, like `da100_1/2`)".to_owned(),
        ));
    }
    let at = time_option(&a, "at")?.unwrap_or_else(clock);
    let journal_path = a.required("journal")?;
    let (center, mut journal) = load_center(&a, input, time_option(&a, "now")?.unwrap_or(at))?;
    let event = match kind {
        "approve" => Event::Approve { ids },
        "reject" => Event::Reject { ids },
        _ => Event::Undo {
            ids,
            all_instances: a.flag("all-instances"),
        },
    };
    let entry = Entry {
        at,
        actor: Actor::new(name, &roles),
        event,
        comment: a.one("comment")?.map(str::to_owned),
    };
    let (next, changed) = center
        .apply_changes(&entry)
        .map_err(|e| Failure(format!("{kind} refused: {e}")))?;
    let line = journal.push(entry);
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(journal_path)
        .map_err(|e| Failure(format!("cannot open journal `{journal_path}`: {e}")))?;
    file.write_all(line.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| Failure(format!("cannot write journal `{journal_path}`: {e}")))?;
    let views: Vec<_> = changed.iter().filter_map(|id| next.action(id)).collect();
    #[derive(Serialize)]
    struct Out<'a, T> {
        changed: &'a [T],
    }
    json(&Out { changed: &views })
}
