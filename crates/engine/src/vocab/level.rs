//! Automation levels, with every name analysts know them by.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AutomationLevel {
    Full,
    SemiAllFolders,
    SemiCoreFolders,
    SemiNonTempFolders,
    NoAutomatedResponse,
}

impl AutomationLevel {
    pub const ALL: [AutomationLevel; 5] = [
        AutomationLevel::Full,
        AutomationLevel::SemiAllFolders,
        AutomationLevel::SemiCoreFolders,
        AutomationLevel::SemiNonTempFolders,
        AutomationLevel::NoAutomatedResponse,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            AutomationLevel::Full => "full",
            AutomationLevel::SemiAllFolders => "semi_all_folders",
            AutomationLevel::SemiCoreFolders => "semi_core_folders",
            AutomationLevel::SemiNonTempFolders => "semi_non_temp_folders",
            AutomationLevel::NoAutomatedResponse => "no_automated_response",
        }
    }

    /// Every name the portals and documentation use; the first is the one airview shows.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            AutomationLevel::Full => {
                &["Full - remediate threats automatically", "Full remediation"]
            }
            AutomationLevel::SemiAllFolders => &[
                "Semi - require approval for any remediation",
                "Semi - require approval for all folders",
                "Semi - Approval required for all folders",
            ],
            AutomationLevel::SemiCoreFolders => &[
                "Semi - require approval for core folders remediation",
                "Semi - Approval required for system folders",
            ],
            AutomationLevel::SemiNonTempFolders => &[
                "Semi - require approval for non-temp folders remediation",
                "Semi - Approval required for non-temporary folders",
            ],
            AutomationLevel::NoAutomatedResponse => &["No automated response"],
        }
    }

    pub fn name(self) -> &'static str {
        self.names().first().copied().unwrap_or("")
    }

    /// Accepts the slug or any known name, case-insensitively, with surrounding spaces and
    /// any kind of dash tolerated (the portal writes an en dash in some places).
    pub fn parse(text: &str) -> Option<AutomationLevel> {
        let wanted = normalise_name(text);
        AutomationLevel::ALL.into_iter().find(|level| {
            normalise_name(level.slug()) == wanted
                || level.names().iter().any(|n| normalise_name(n) == wanted)
        })
    }
}

fn normalise_name(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '\u{2013}' | '\u{2014}' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for AutomationLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slug_and_name_parses_back_to_its_level() {
        for level in AutomationLevel::ALL {
            assert_eq!(AutomationLevel::parse(level.slug()), Some(level));
            for name in level.names() {
                assert_eq!(AutomationLevel::parse(name), Some(level), "{name}");
                assert_eq!(
                    AutomationLevel::parse(&name.to_uppercase()),
                    Some(level),
                    "{name}"
                );
            }
        }
        assert_eq!(
            AutomationLevel::parse("Semi – Approval required for system folders"),
            Some(AutomationLevel::SemiCoreFolders)
        );
        assert_eq!(AutomationLevel::parse("semi"), None);
    }
}
