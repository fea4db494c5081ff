//! `--format` and `--input-format`: one flag for how a command prints, one for how it reads
//! the exports.
//!
//! `--format` once also named the input format (`--format mde-alerts`), and scripts may still
//! say so: an input format's slug given to `--format` is read as `--input-format`, with a note
//! on stderr. Either flag may be repeated with the same value; two different values of one
//! meaning are refused rather than one of them silently winning.

use crate::{note, Failure};
use airview_import::Format;
use serde::Serialize;
use std::io::{self, IsTerminal};

/// How `evaluate`, `diff`, `center`, `approve`, `reject` and `undo` print: JSON for scripts,
/// a table for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Json,
    Table,
}

/// How `history` writes the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryFormat {
    Csv,
    Json,
}

/// The output style and the input format named by `--format` and `--input-format`.
pub fn style(
    format: &[String],
    input_format: &[Format],
) -> Result<(Style, Option<Format>), Failure> {
    let (output, input) = resolve(format, input_format, &["json", "table"], |value| {
        format!(
            "unknown output format `{value}`; use `json` or `table`, or an input format: {}",
            Format::slugs()
        )
    })?;
    let style = match output {
        Some("table") => Style::Table,
        Some(_) => Style::Json,
        None if io::stdout().is_terminal() => Style::Table,
        None => Style::Json,
    };
    Ok((style, input))
}

/// The history format and the input format named by `history`'s `--format` and
/// `--input-format`.
pub fn history_format(
    format: &[String],
    input_format: &[Format],
) -> Result<(HistoryFormat, Option<Format>), Failure> {
    let (output, input) = resolve(format, input_format, &["csv", "json"], |value| {
        format!(
            "unknown history format `{value}`; use `csv` or `json`, or an input format: {}",
            Format::slugs()
        )
    })?;
    let format = match output {
        Some("csv") => HistoryFormat::Csv,
        _ => HistoryFormat::Json,
    };
    Ok((format, input))
}

/// Sorts `--format` values into an output format (one of `outputs`) and an input format (by
/// its old spelling), and checks that each meaning gets one value.
fn resolve<'a>(
    format: &'a [String],
    input_format: &[Format],
    outputs: &[&'static str],
    unknown: impl Fn(&str) -> String,
) -> Result<(Option<&'a str>, Option<Format>), Failure> {
    let mut output: Option<&str> = None;
    let mut input: Option<(Format, &str)> = None;
    for value in format {
        if outputs.contains(&value.as_str()) {
            if let Some(earlier) = output.filter(|earlier| *earlier != value) {
                return Err(Failure(format!(
                    "two output formats given, `{earlier}` and `{value}`; give one"
                )));
            }
            output = Some(value);
        } else if let Some(f) = Format::parse(value) {
            note(&format!(
                "note: `--format {value}` names an input format; the option is `--input-format {value}` now"
            ));
            input = Some(one_input(input, f, value)?);
        } else {
            return Err(Failure(unknown(value)));
        }
    }
    for f in input_format {
        input = Some(one_input(input, *f, f.slug())?);
    }
    Ok((output, input.map(|(f, _)| f)))
}

fn one_input<'a>(
    earlier: Option<(Format, &'a str)>,
    format: Format,
    spelled: &'a str,
) -> Result<(Format, &'a str), Failure> {
    match earlier {
        Some((f, said)) if f != format => Err(Failure(format!(
            "two input formats given, `{said}` and `{spelled}`; give one"
        ))),
        _ => Ok((format, spelled)),
    }
}

/// A value as the commands print JSON: pretty, with a line end.
pub fn json<T: Serialize>(value: &T) -> Result<String, Failure> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure(format!("cannot write the output: {e}")))?;
    text.push('\n');
    Ok(text)
}
