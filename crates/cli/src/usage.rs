//! What a usage error says: clap finds the error, airview words it.
//!
//! Scripts and people read these messages, and some of them have been the same since the
//! first CLI (`--policy` is required, unknown option `--x`, unknown command `x`), so the errors
//! clap reports are put in those words; the usage line and clap's tips follow as clap writes
//! them. `--help` and `--version` print on stdout and exit 0; every usage error exits 2.

use crate::{inputs::NO_EXPORT, note};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::io::{self, ErrorKind as IoErrorKind, Write};
use std::process::ExitCode;

/// Prints what clap stopped at, and the exit status it calls for.
pub fn report(e: &clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => match e.print() {
            Ok(()) => ExitCode::SUCCESS,
            Err(io) if io.kind() == IoErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(io) => {
                note(&format!("cannot write the output: {io}"));
                ExitCode::from(2)
            }
        },
        // `airview` alone: the help, on stderr, as a usage error.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // As in `crate::note`: a closed stderr leaves the exit status to speak.
            let _ = e.print();
            ExitCode::from(2)
        }
        _ => {
            let rendered = e.render().to_string();
            let (first, rest) = rendered.split_once("\n\n").unwrap_or((&rendered, ""));
            let message = in_our_words(e)
                .unwrap_or_else(|| first.strip_prefix("error: ").unwrap_or(first).to_owned());
            let mut err = io::stderr().lock();
            // As in `crate::note`: a closed stderr leaves the exit status to speak.
            let _ = write!(err, "airview: {message}\n\n{rest}");
            ExitCode::from(2)
        }
    }
}

/// The message airview gives for this error, when it has words of its own for it.
fn in_our_words(e: &clap::Error) -> Option<String> {
    let string = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.as_str()),
        _ => None,
    };
    match e.kind() {
        ErrorKind::UnknownArgument => {
            let arg = string(ContextKind::InvalidArg)?;
            Some(if arg.starts_with('-') {
                let name = arg.split_once('=').map_or(arg, |(name, _)| name);
                format!("unknown option `{name}`")
            } else {
                format!("unexpected argument `{arg}`")
            })
        }
        ErrorKind::InvalidSubcommand => {
            let command = string(ContextKind::InvalidSubcommand)?;
            Some(format!("unknown command `{command}`"))
        }
        ErrorKind::MissingRequiredArgument => {
            let Some(ContextValue::Strings(args)) = e.get(ContextKind::InvalidArg) else {
                return None;
            };
            let missing: Vec<String> = args.iter().map(|arg| required(arg)).collect();
            Some(missing.join("; "))
        }
        ErrorKind::ArgumentConflict => {
            // An option that takes one value, given twice.
            let arg = string(ContextKind::InvalidArg)?;
            let prior = string(ContextKind::PriorArg)?;
            (arg == prior).then(|| format!("`{}` is given more than once", flag(arg)))
        }
        ErrorKind::InvalidValue => {
            let arg = string(ContextKind::InvalidArg)?;
            let value = string(ContextKind::InvalidValue)?;
            value
                .is_empty()
                .then(|| format!("`{}` needs a value", flag(arg)))
        }
        // The value parsers in `crate::cli` say what is wrong in full.
        ErrorKind::ValueValidation => std::error::Error::source(e).map(ToString::to_string),
        _ => None,
    }
}

/// `--policy <POLICY.json>` → `--policy`.
fn flag(arg: &str) -> &str {
    arg.split_once(' ').map_or(arg, |(name, _)| name)
}

/// What a missing required argument says.
fn required(arg: &str) -> String {
    match flag(arg) {
        "--role" => "`--role` is required (one or more: the analyst's roles)".to_owned(),
        "--id" => "`--id` is required (one or more action ids, like `da100_1/2`)".to_owned(),
        name if name.starts_with('-') => format!("`{name}` is required"),
        _ => NO_EXPORT.to_owned(),
    }
}
