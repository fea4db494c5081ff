//! The command line's shape: every command and option with its help text, and the parsers
//! that turn an option's text into a domain value with an error in airview's words.
//!
//! `--format` is how a command prints; `--input-format` is how it reads the exports. Before
//! they were two flags, `--format` also named an input format, so `--format` takes any text
//! here and `crate::formats` sorts the two meanings out, with a note for the old spelling.

use airview_engine::{Role, Timestamp};
use airview_import::Format;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, Parser, Subcommand};

/// Decide, explain and act on Microsoft Defender automated investigations, offline.
#[derive(Parser)]
#[command(
    name = "airview",
    version,
    arg_required_else_help = true,
    long_about = "Decide, explain and act on Microsoft Defender automated investigations, offline.\n\n\
        airview reads exports of Defender automated investigations (Graph security API alerts and \
        incidents, Defender for Endpoint API responses, the portals' CSV exports, airview files), \
        decides for every evidence item whether its remediation is automatic, pending approval, \
        no action or not investigated under a policy, says why, and runs a local action center \
        whose decisions are kept in a hash-chained journal.",
    after_help = "Every command reads all of its inputs before it prints anything. \
        Exit status: 0 when the command did what it says; 2 on a usage error or bad input \
        (an export, a policy, a journal), with the message on stderr and nothing on stdout."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Decide every evidence item of the exports under a policy, with the reasons.
    Evaluate(Evaluate),
    /// Compare two policies: every evidence item whose outcome changes from one to the other.
    Diff(Diff),
    /// Write a synthetic Graph export with pending actions, the same for the same seed.
    Generate(Generate),
    /// Show the action center after the journal: pending actions, history and investigations.
    Center(Center),
    /// Approve pending actions; the decision is appended to the journal.
    Approve(Act),
    /// Reject pending actions; the decision is appended to the journal.
    Reject(Act),
    /// Undo taken actions; the undo is appended to the journal.
    Undo(Undo),
    /// Export the action center's history as CSV (the portal's columns) or JSON.
    History(History),
}

#[derive(Args)]
pub struct Evaluate {
    #[command(flatten)]
    pub policy: PolicyFile,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub exports: Exports,
}

#[derive(Args)]
pub struct Diff {
    /// The policy the comparison starts from (JSON, like `tests/fixtures/policy-semi.json`).
    #[arg(long, value_name = "POLICY.json")]
    pub from: String,
    /// The policy the comparison goes to.
    #[arg(long, value_name = "POLICY.json")]
    pub to: String,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub exports: Exports,
}

#[derive(Args)]
pub struct Generate {
    /// How many alerts to generate.
    #[arg(long, value_name = "N", value_parser = alerts)]
    pub alerts: usize,
    /// The seed: the same seed and alert count give the same export, byte for byte.
    #[arg(long, value_name = "S", value_parser = seed)]
    pub seed: u64,
    /// The time the generated investigations end by.
    #[arg(long, value_name = "RFC3339", value_parser = until,
        default_value = airview_import::generate::GENERATED_UNTIL)]
    pub until: Timestamp,
    /// The file to write the export to, instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<String>,
}

#[derive(Args)]
pub struct Center {
    #[command(flatten)]
    pub center: CenterFiles,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub exports: Exports,
}

#[derive(Args)]
pub struct History {
    /// How to write the history: `csv` (the portal's Action center history columns) or `json`.
    /// An input format given here is read as `--input-format`, its name before. [default: json]
    #[arg(long = "format", value_name = "csv|json")]
    pub format: Vec<String>,
    #[command(flatten)]
    pub center: CenterFiles,
    #[command(flatten)]
    pub exports: Exports,
}

// What `approve` and `reject` take: who acts, on which actions, and the journal to record it in.
#[derive(Args)]
pub struct Act {
    /// The analyst's name, recorded in the journal beside the decision.
    #[arg(long = "as", value_name = "NAME")]
    pub name: String,
    /// One of the analyst's roles; repeat it for several. A role's portal name is accepted
    /// too, like "Security Administrator". Roles are simulated: they preview who may act.
    #[arg(long, value_name = "ROLE", required = true, value_parser = RoleParser)]
    pub role: Vec<Role>,
    /// The id of an action to act on, like `da100_1/2` (`<alert id>/<evidence index>`);
    /// repeat it to act on several at once, all or none.
    #[arg(long, value_name = "ID", required = true)]
    pub id: Vec<String>,
    /// A comment recorded with the decision.
    #[arg(long, value_name = "TEXT")]
    pub comment: Option<String>,
    /// When the decision is made [default: now]. Without it, a decision is dated no earlier
    /// than the journal's last event.
    #[arg(long, value_name = "RFC3339", value_parser = at)]
    pub at: Option<Timestamp>,
    /// The policy the actions were decided under (JSON).
    #[arg(long, value_name = "POLICY.json")]
    pub policy: String,
    /// The journal (JSON Lines) the decision is appended to; it is created when missing.
    #[arg(long, value_name = "JOURNAL.jsonl")]
    pub journal: String,
    /// The time the action center is read at before acting [default: the decision's time].
    #[arg(long, value_name = "RFC3339", value_parser = now)]
    pub now: Option<Timestamp>,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub exports: Exports,
}

#[derive(Args)]
pub struct Undo {
    #[command(flatten)]
    pub act: Act,
    /// Undo the same remediation on every device it was taken on (a file quarantined on
    /// several devices), not only the actions named.
    #[arg(long)]
    pub all_instances: bool,
}

#[derive(Args)]
pub struct PolicyFile {
    /// The policy: device groups, their automation levels and folder exclusions (JSON, like
    /// `tests/fixtures/policy-semi.json`).
    #[arg(long, value_name = "POLICY.json")]
    pub policy: String,
}

// The files the action center is built from, other than the exports.
#[derive(Args)]
pub struct CenterFiles {
    /// The policy the actions are decided under (JSON).
    #[arg(long, value_name = "POLICY.json")]
    pub policy: String,
    /// The journal (JSON Lines) of the decisions made so far; without it, or when the file
    /// does not exist, nothing was decided yet.
    #[arg(long, value_name = "JOURNAL.jsonl")]
    pub journal: Option<String>,
    /// The time the action center is read at: later times show more pending actions timed
    /// out [default: now, or the journal's last event when that is later].
    #[arg(long, value_name = "RFC3339", value_parser = now)]
    pub now: Option<Timestamp>,
}

// How a command prints.
#[derive(Args)]
pub struct Output {
    /// How to print: `json` for scripts or `table` for people [default: json, or table when
    /// stdout is a terminal]. An input format given here is read as `--input-format`, its name
    /// before.
    #[arg(long = "format", value_name = "json|table")]
    pub format: Vec<String>,
}

// The exports a command reads, and how.
#[derive(Args)]
pub struct Exports {
    /// Read every export as this format instead of detecting each file's format from its
    /// content.
    #[arg(long = "input-format", value_name = "FORMAT", value_parser = InputFormatParser)]
    pub input_format: Vec<Format>,
    /// The exports: Graph security API alerts or incidents, Defender for Endpoint API
    /// responses, the portals' CSV exports, or airview files. Their evidence and actions are
    /// read into one dataset; an alert seen twice is read once.
    #[arg(value_name = "EXPORT", required = true)]
    pub files: Vec<String>,
}

/// A whole number of alerts.
fn alerts(text: &str) -> Result<usize, String> {
    let n = whole_number("alerts", text)?;
    usize::try_from(n).map_err(|_| "`--alerts` is too large".to_owned())
}

fn seed(text: &str) -> Result<u64, String> {
    whole_number("seed", text)
}

fn whole_number(option: &str, text: &str) -> Result<u64, String> {
    text.parse::<u64>()
        .map_err(|_| format!("`--{option}` takes a whole number, not `{text}`"))
}

fn until(text: &str) -> Result<Timestamp, String> {
    time("until", "2026-11-23T00:00:00Z", text)
}

fn now(text: &str) -> Result<Timestamp, String> {
    time("now", "2026-11-23T09:30:00Z", text)
}

fn at(text: &str) -> Result<Timestamp, String> {
    time("at", "2026-11-23T09:30:00Z", text)
}

fn time(option: &str, example: &str, text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text)
        .ok_or_else(|| format!("`--{option}` takes a date and time like `{example}`, not `{text}`"))
}

/// The input formats by their slugs (`graph`, `mde-alerts`, …), listed in the help.
#[derive(Clone)]
struct InputFormatParser;

impl TypedValueParser for InputFormatParser {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Format, clap::Error> {
        // A plain function parser, so that the error carries our message as its source.
        let parse = |text: &str| {
            Format::parse(text).ok_or_else(|| {
                format!(
                    "unknown input format `{text}`; use one of {}",
                    Format::slugs()
                )
            })
        };
        parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            Format::ALL
                .into_iter()
                .map(|f| PossibleValue::new(f.slug()).help(f.name())),
        ))
    }
}

/// The roles by their slugs (`security_administrator`, …), listed in the help; `Role::parse`
/// also takes the portal's names.
#[derive(Clone)]
struct RoleParser;

impl TypedValueParser for RoleParser {
    type Value = Role;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Role, clap::Error> {
        let parse = |text: &str| Role::parse(text).map_err(|e| e.to_string());
        parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            Role::ALL
                .into_iter()
                .map(|r| PossibleValue::new(r.slug()).help(r.name())),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// clap's own consistency checks (no two options with one name, defaults that parse).
    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
