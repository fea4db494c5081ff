//! The `airview` command line: the engine's rules for scripts and tests.
//!
//! Every command reads its inputs completely before printing anything, so a bad input exits
//! with status 2, its message on stderr and nothing on stdout.

mod args;
mod center_cmd;
mod commands;
mod table;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

const USAGE: &str = "usage:
  airview evaluate --policy POLICY.json EXPORT.json...
  airview diff --from A.json --to B.json EXPORT.json...
  airview generate --alerts N --seed S [--until RFC3339] [--out FILE]
  airview center --policy P.json [--journal J.jsonl] [--now RFC3339] EXPORT.json...
  airview approve|reject|undo --policy P.json --journal J.jsonl --as NAME --role ROLE... --id ID... [--comment TEXT] [--at RFC3339] [--all-instances] EXPORT.json...
  airview history --format csv|json --policy P.json [--journal J.jsonl] [--now RFC3339] EXPORT.json...
common options: --format json|table (default: json unless stdout is a terminal)";

/// A failed command: the message for stderr. Every failure exits with status 2.
pub struct Failure(pub String);

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure(s)
    }
}

/// How to print: JSON for scripts, a table for people.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Json,
    Table,
}

pub fn style(requested: Option<&str>) -> Result<Style, Failure> {
    match requested {
        Some("json") => Ok(Style::Json),
        Some("table") => Ok(Style::Table),
        Some(other) => Err(Failure(format!(
            "unknown output format `{other}`; use `json` or `table`"
        ))),
        None if io::stdout().is_terminal() => Ok(Style::Table),
        None => Ok(Style::Json),
    }
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = raw.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "evaluate" => commands::evaluate(rest),
        "diff" => commands::diff(rest),
        "generate" => commands::generate(rest),
        "center" => center_cmd::center(rest),
        "history" => center_cmd::history(rest),
        "approve" | "reject" | "undo" => center_cmd::act(command, rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => Err(Failure(format!("unknown command `{other}`\n{USAGE}"))),
    };
    match result {
        Ok(text) => {
            let mut out = io::stdout().lock();
            // A closed pipe (`airview … | head`) is not an error worth a message.
            let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
            ExitCode::SUCCESS
        }
        Err(Failure(message)) => {
            eprintln!("airview: {message}");
            ExitCode::from(2)
        }
    }
}
