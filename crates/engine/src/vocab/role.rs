//! The roles that matter to the action center, by the names the portal shows.
//!
//! Vocabulary: this module depends on nothing else in the engine. Who may do what with them is
//! the permissions table in `rules/roles.rs`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Microsoft Entra or Defender role that matters to the action center.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    SecurityAdministrator,
    GlobalAdministrator,
    ActiveRemediationActions,
    SearchAndPurge,
    SecurityReader,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::SecurityAdministrator,
        Role::GlobalAdministrator,
        Role::ActiveRemediationActions,
        Role::SearchAndPurge,
        Role::SecurityReader,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Role::SecurityAdministrator => "security_administrator",
            Role::GlobalAdministrator => "global_administrator",
            Role::ActiveRemediationActions => "active_remediation_actions",
            Role::SearchAndPurge => "search_and_purge",
            Role::SecurityReader => "security_reader",
        }
    }

    /// The name the portal shows.
    pub fn name(self) -> &'static str {
        match self {
            Role::SecurityAdministrator => "Security Administrator",
            Role::GlobalAdministrator => "Global Administrator",
            Role::ActiveRemediationActions => "Active remediation actions",
            Role::SearchAndPurge => "Search and Purge",
            Role::SecurityReader => "Security Reader",
        }
    }

    /// Accepts the slug or the name, case-insensitively; `-`, `_` and runs of spaces are the
    /// same, and `&` stands for `and` (the Office 365 portal writes "Search & purge").
    pub fn parse(text: &str) -> Result<Role, UnknownRole> {
        let wanted = normalise(text);
        Role::ALL
            .into_iter()
            .find(|r| normalise(r.name()) == wanted || normalise(r.slug()) == wanted)
            .ok_or_else(|| UnknownRole {
                text: text.to_owned(),
            })
    }
}

fn normalise(text: &str) -> String {
    text.replace('&', " and ")
        .chars()
        .map(|c| match c {
            '_' | '-' => ' ',
            c => c.to_ascii_lowercase(),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A role name that is none of the roles airview knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRole {
    pub text: String,
}

impl fmt::Display for UnknownRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slugs: Vec<String> = Role::ALL
            .iter()
            .map(|r| format!("`{}`", r.slug()))
            .collect();
        write!(
            f,
            "unknown role `{}`; use one of {} or a role's name",
            self.text,
            slugs.join(", ")
        )
    }
}

impl std::error::Error for UnknownRole {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_slugs_parse_case_insensitively() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.slug()), Ok(role));
            assert_eq!(Role::parse(role.name()), Ok(role));
            assert_eq!(Role::parse(&role.name().to_uppercase()), Ok(role));
            assert_eq!(Role::parse(&role.slug().to_uppercase()), Ok(role));
        }
        assert_eq!(Role::parse("  search & purge "), Ok(Role::SearchAndPurge));
        assert_eq!(Role::parse("security-reader"), Ok(Role::SecurityReader));
    }

    #[test]
    fn unknown_roles_are_refused_with_the_list() {
        let err = Role::parse("admin").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("unknown role `admin`; use one of `security_administrator`"),
            "{err}"
        );
    }
}
