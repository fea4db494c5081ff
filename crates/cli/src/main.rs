//! The `airview` command line: the engine's rules for scripts and tests.
//!
//! Every command reads its inputs completely before printing anything, so a bad input exits
//! with status 2, its message on stderr and nothing on stdout.

mod center_cmd;
mod cli;
mod commands;
mod formats;
mod inputs;
mod table;
mod usage;

use center_cmd::Kind;
use clap::Parser;
use cli::{Cli, Command};
use std::io::{self, ErrorKind, Write};
use std::process::ExitCode;

/// A failed command: the message for stderr. Every failure exits with status 2.
pub struct Failure(pub String);

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure(s)
    }
}

/// Writes `airview: <line>` to stderr: a note, a warning or the reason a command failed.
pub fn note(line: &str) {
    // Stderr is where a failure to write would be reported; when it is closed there is no one
    // left to tell, and the exit status still says what happened.
    let _ = writeln!(io::stderr().lock(), "airview: {line}");
}

fn run(command: &Command) -> Result<String, Failure> {
    match command {
        Command::Evaluate(a) => commands::evaluate(a),
        Command::Diff(a) => commands::diff(a),
        Command::Generate(a) => commands::generate(a),
        Command::Center(a) => center_cmd::center(a),
        Command::History(a) => center_cmd::history(a),
        Command::Approve(a) => center_cmd::act(Kind::Approve, a),
        Command::Reject(a) => center_cmd::act(Kind::Reject, a),
        Command::Undo(a) => center_cmd::act(
            Kind::Undo {
                all_instances: a.all_instances,
            },
            &a.act,
        ),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage::report(&e),
    };
    match run(&cli.command) {
        Ok(text) => {
            let mut out = io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                // A closed pipe (`airview … | head`) is not an error worth a message.
                Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                // A full disk or a failing device would leave a cut output behind a success.
                Err(e) => {
                    note(&format!("cannot write the output: {e}"));
                    ExitCode::from(2)
                }
            }
        }
        Err(Failure(message)) => {
            note(&message);
            ExitCode::from(2)
        }
    }
}
