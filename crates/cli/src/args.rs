//! A small argument reader: `--name value`, repeated flags, `--flag`, and positional files.
//! The CLI has few options, and a hand-written reader keeps its errors in our own words.

use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct Args {
    values: BTreeMap<String, Vec<String>>,
    flags: Vec<String>,
    pub positional: Vec<String>,
}

/// `valued`: options that take a value; `switches`: options that do not.
pub fn parse(raw: &[String], valued: &[&str], switches: &[&str]) -> Result<Args, String> {
    let mut args = Args::default();
    let mut it = raw.iter();
    while let Some(a) = it.next() {
        if let Some(name) = a.strip_prefix("--") {
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (name, None),
            };
            if valued.contains(&name) {
                let value = match inline {
                    Some(v) => v,
                    None => it
                        .next()
                        .cloned()
                        .ok_or_else(|| format!("`--{name}` needs a value"))?,
                };
                args.values.entry(name.to_owned()).or_default().push(value);
            } else if switches.contains(&name) && inline.is_none() {
                args.flags.push(name.to_owned());
            } else {
                return Err(format!("unknown option `--{name}`"));
            }
        } else {
            args.positional.push(a.clone());
        }
    }
    Ok(args)
}

impl Args {
    pub fn one(&self, name: &str) -> Result<Option<&str>, String> {
        match self.values.get(name).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([v]) => Ok(Some(v)),
            Some(_) => Err(format!("`--{name}` is given more than once")),
        }
    }

    pub fn required(&self, name: &str) -> Result<&str, String> {
        self.one(name)?
            .ok_or_else(|| format!("`--{name}` is required"))
    }

    pub fn all(&self, name: &str) -> &[String] {
        self.values.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }
}
