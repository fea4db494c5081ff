//! Policies: device groups with ranks, membership and automation levels, the default level
//! for ungrouped devices, and the core and temp folder lists.
//!
//! The policy file is JSON (`PolicyFile`); `Policy::from_file` validates it once, so the
//! decision path never meets an unparsed level or pattern.

use crate::model::Device;
use crate::rules::folders::{glob, FolderList, DEFAULT_CORE_FOLDERS, DEFAULT_TEMP_FOLDERS};
use crate::vocab::level::AutomationLevel;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The name of the group that takes every device no policy group claims.
pub const UNGROUPED: &str = "Ungrouped devices (default)";

/// Membership rules of a group; every rule given must hold (they are joined by "and").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "membership rules (an object)")]
pub struct MembershipRules {
    /// A case-insensitive pattern over the device's DNS name; `*` stands for any characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    /// A case-insensitive pattern over the DNS suffix (`contoso.com` of `srv-01.contoso.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// A case-insensitive pattern over the OS platform (`Windows10`, `WindowsServer2019`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_platform: Option<String>,
    /// A device tag the device must carry (case-insensitive, `*` allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

impl MembershipRules {
    pub fn is_empty(&self) -> bool {
        self.device_name.is_none()
            && self.domain.is_none()
            && self.os_platform.is_none()
            && self.tag.is_none()
    }

    pub fn claims(&self, device: &Device) -> bool {
        let matches = |pattern: &Option<String>, value: Option<&str>| match pattern {
            None => true,
            Some(p) => value.is_some_and(|v| {
                glob(
                    p.to_ascii_lowercase().as_bytes(),
                    v.to_ascii_lowercase().as_bytes(),
                )
            }),
        };
        matches(&self.device_name, device.dns_name.as_deref())
            && matches(&self.domain, device.domain())
            && matches(&self.os_platform, device.os_platform.as_deref())
            && self.tag.as_ref().is_none_or(|p| {
                let p = p.to_ascii_lowercase();
                device
                    .tags
                    .iter()
                    .any(|t| glob(p.as_bytes(), t.to_ascii_lowercase().as_bytes()))
            })
    }

    /// How the rules read in a reason: "device name matches `srv-*`".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = &self.device_name {
            parts.push(format!("device name matches `{p}`"));
        }
        if let Some(p) = &self.domain {
            parts.push(format!("domain matches `{p}`"));
        }
        if let Some(p) = &self.os_platform {
            parts.push(format!("OS platform matches `{p}`"));
        }
        if let Some(p) = &self.tag {
            parts.push(format!("tag matches `{p}`"));
        }
        parts.join(" and ")
    }
}

/// The policy file as written (the CLI's `--policy` and the app's import and export).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a policy (an object)")]
pub struct PolicyFile {
    pub default_level: String,
    #[serde(default)]
    pub groups: Vec<GroupFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core_folders: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temp_folders: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a device group (an object)")]
pub struct GroupFile {
    pub name: String,
    pub rank: u32,
    pub level: String,
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub membership: Option<MembershipRules>,
}

/// A device group of a validated policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceGroup {
    pub name: String,
    pub rank: u32,
    pub level: AutomationLevel,
    /// `None`: the group claims the devices whose `rbacGroupName` is its name.
    pub rules: Option<MembershipRules>,
}

impl DeviceGroup {
    pub fn claims(&self, device: &Device) -> bool {
        match &self.rules {
            None => device
                .rbac_group_name
                .as_deref()
                .is_some_and(|g| g.eq_ignore_ascii_case(&self.name)),
            Some(rules) => rules.claims(device),
        }
    }
}

/// Which group a device falls in: one of the policy's groups (by position, highest rank
/// first) or the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupRef {
    Group(u16),
    Ungrouped,
}

/// A validated policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub default_level: AutomationLevel,
    /// Sorted by rank, 1 (highest) first.
    pub groups: Vec<DeviceGroup>,
    pub core_folders: FolderList,
    pub temp_folders: FolderList,
    /// Whether each folder list was given in the file, so an export writes back what the
    /// user wrote rather than the defaults.
    core_given: bool,
    temp_given: bool,
}

/// A problem that makes a policy unusable. The message quotes the offending value in
/// backticks and says where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyError {
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Something worth knowing that does not stop the policy from working.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyWarning {
    pub message: String,
}

impl Default for Policy {
    /// The defaults of a fresh tenant: every device ungrouped at `semi_core_folders`, the
    /// folder lists of docs/domain.md, "Folders".
    fn default() -> Self {
        Policy {
            default_level: AutomationLevel::SemiCoreFolders,
            groups: Vec::new(),
            core_folders: FolderList::defaults(DEFAULT_CORE_FOLDERS),
            temp_folders: FolderList::defaults(DEFAULT_TEMP_FOLDERS),
            core_given: false,
            temp_given: false,
        }
    }
}

impl Policy {
    /// Parses and validates a policy file's text. Syntax errors name the line and column.
    pub fn parse_json(text: &str) -> Result<(Policy, Vec<PolicyWarning>), Vec<PolicyError>> {
        let file: PolicyFile = serde_json::from_str(text).map_err(|e| {
            vec![PolicyError {
                message: format!(
                    "line {}, column {}: {}",
                    e.line(),
                    e.column(),
                    crate::json::json_message(&e)
                ),
            }]
        })?;
        Policy::from_file(&file)
    }

    /// Validates a policy file: every error at once, so the editor can mark them all.
    pub fn from_file(file: &PolicyFile) -> Result<(Policy, Vec<PolicyWarning>), Vec<PolicyError>> {
        let mut errors = Vec::new();
        let mut err = |message: String| errors.push(PolicyError { message });
        let default_level = AutomationLevel::parse(&file.default_level);
        if default_level.is_none() {
            err(format!(
                "unknown automation level `{}` in `default_level`; {}",
                file.default_level,
                level_hint()
            ));
        }
        let mut groups = Vec::with_capacity(file.groups.len());
        for (i, g) in file.groups.iter().enumerate() {
            let name = g.name.trim();
            if name.is_empty() {
                err(format!("group {} has no name", i + 1));
            } else if name.eq_ignore_ascii_case(UNGROUPED) {
                err(format!(
                    "`{name}` is the name of the default group; set `default_level` instead"
                ));
            }
            if g.rank == 0 {
                err(format!(
                    "group `{name}` has rank `0`; ranks start at 1 (the highest)"
                ));
            }
            if let Some(other) = file
                .groups
                .get(..i)
                .and_then(|before| before.iter().find(|o| o.rank == g.rank))
            {
                err(format!(
                    "groups `{}` and `{name}` both have rank `{}`; each rank is held by one group",
                    other.name, g.rank
                ));
            }
            if file.groups.get(..i).is_some_and(|before| {
                before
                    .iter()
                    .any(|o| o.name.trim().eq_ignore_ascii_case(name))
            }) && !name.is_empty()
            {
                err(format!("two groups are named `{name}`"));
            }
            if let Some(rules) = &g.membership {
                if rules.is_empty() {
                    err(format!("group `{name}` has an empty `match`; give `device_name`, `domain`, `os_platform` or `tag`, or leave `match` out to use the `rbacGroupName`"));
                }
            }
            match AutomationLevel::parse(&g.level) {
                Some(level) => groups.push(DeviceGroup {
                    name: name.to_owned(),
                    rank: g.rank,
                    level,
                    rules: g.membership.clone(),
                }),
                None => err(format!(
                    "unknown automation level `{}` for group `{name}`; {}",
                    g.level,
                    level_hint()
                )),
            }
        }
        groups.sort_by_key(|g| g.rank);
        if groups.len() > usize::from(u16::MAX) {
            err(format!("a policy holds at most {} groups", u16::MAX));
        }
        let (core_folders, core_errors) = match &file.core_folders {
            Some(list) => FolderList::parse_all(list),
            None => (FolderList::defaults(DEFAULT_CORE_FOLDERS), Vec::new()),
        };
        let (temp_folders, temp_errors) = match &file.temp_folders {
            Some(list) => FolderList::parse_all(list),
            None => (FolderList::defaults(DEFAULT_TEMP_FOLDERS), Vec::new()),
        };
        for (list, errs) in [("core_folders", core_errors), ("temp_folders", temp_errors)] {
            for e in errs {
                err(format!("`{}` in `{list}`: {}", e.pattern, e.message));
            }
        }
        let Some(default_level) = default_level else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let policy = Policy {
            default_level,
            groups,
            core_folders,
            temp_folders,
            core_given: file.core_folders.is_some(),
            temp_given: file.temp_folders.is_some(),
        };
        let warnings = policy.warnings();
        Ok((policy, warnings))
    }

    /// The overlap warning (docs/domain.md, "The overlap case"): a pattern in both lists.
    pub fn warnings(&self) -> Vec<PolicyWarning> {
        let mut warnings = Vec::new();
        for core in &self.core_folders.patterns {
            if self.temp_folders.patterns.iter().any(|t| {
                crate::rules::folders::normalise_path(&t.text)
                    == crate::rules::folders::normalise_path(&core.text)
            }) {
                warnings.push(PolicyWarning {
                    message: format!(
                        "`{}` is in both the core and the temp folder list: under `semi_core_folders` its files wait for approval, under `semi_non_temp_folders` they are remediated automatically",
                        core.text
                    ),
                });
            }
        }
        warnings
    }

    /// The policy as a file, for export; loading the export gives this policy back.
    pub fn to_file(&self) -> PolicyFile {
        PolicyFile {
            default_level: self.default_level.slug().to_owned(),
            groups: self
                .groups
                .iter()
                .map(|g| GroupFile {
                    name: g.name.clone(),
                    rank: g.rank,
                    level: g.level.slug().to_owned(),
                    membership: g.rules.clone(),
                })
                .collect(),
            core_folders: self.core_given.then(|| self.core_folders.texts()),
            temp_folders: self.temp_given.then(|| self.temp_folders.texts()),
        }
    }

    /// The policy file's text. An error is the caller's to report: a policy stored or
    /// exported as an empty string would be lost.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(&self.to_file())
    }

    /// Defender for Business: every device at `full`.
    pub fn defender_for_business(&self) -> Policy {
        let mut p = self.clone();
        p.default_level = AutomationLevel::Full;
        for g in &mut p.groups {
            g.level = AutomationLevel::Full;
        }
        p
    }

    /// The group a device belongs to: the highest-ranked group that claims it, else the
    /// default group. A missing device is ungrouped.
    pub fn group_of(&self, device: Option<&Device>) -> GroupRef {
        device
            .and_then(|d| self.groups.iter().position(|g| g.claims(d)))
            .and_then(|i| u16::try_from(i).ok())
            .map_or(GroupRef::Ungrouped, GroupRef::Group)
    }

    pub fn group(&self, group: GroupRef) -> Option<&DeviceGroup> {
        match group {
            GroupRef::Group(i) => self.groups.get(usize::from(i)),
            GroupRef::Ungrouped => None,
        }
    }

    pub fn group_name(&self, group: GroupRef) -> &str {
        self.group(group).map_or(UNGROUPED, |g| g.name.as_str())
    }

    pub fn level_of(&self, group: GroupRef) -> AutomationLevel {
        self.group(group).map_or(self.default_level, |g| g.level)
    }

    /// Builds a policy from parts that are already valid (the app's editor works on a
    /// `PolicyFile` and goes through `from_file`; tests use this).
    pub fn with_groups(default_level: AutomationLevel, mut groups: Vec<DeviceGroup>) -> Policy {
        groups.sort_by_key(|g| g.rank);
        Policy {
            default_level,
            groups,
            ..Policy::default()
        }
    }
}

fn level_hint() -> String {
    let slugs: Vec<String> = AutomationLevel::ALL
        .iter()
        .map(|l| format!("`{}`", l.slug()))
        .collect();
    format!("use one of {} or a level's name", slugs.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_example_parses() {
        let (policy, warnings) = Policy::parse_json(
            r#"{"default_level": "semi_core_folders", "groups": [{"name": "Finance", "rank": 1, "level": "full"}, {"name": "Servers", "rank": 2, "level": "Semi - require approval for all folders", "match": {"device_name": "srv-*"}}]}"#,
        )
        .unwrap();
        assert!(warnings.is_empty());
        assert_eq!(policy.groups.len(), 2);
        assert_eq!(policy.groups[1].level, AutomationLevel::SemiAllFolders);
        let srv = Device {
            mde_device_id: "1".into(),
            dns_name: Some("SRV-01.contoso.com".into()),
            ..Device::default()
        };
        assert_eq!(policy.group_of(Some(&srv)), GroupRef::Group(1));
        let fin = Device {
            mde_device_id: "2".into(),
            rbac_group_name: Some("finance".into()),
            ..Device::default()
        };
        assert_eq!(policy.group_of(Some(&fin)), GroupRef::Group(0));
        assert_eq!(policy.group_of(None), GroupRef::Ungrouped);
    }

    #[test]
    fn bad_values_are_quoted_in_backticks() {
        let errors = Policy::parse_json(r#"{"default_level": "sometimes", "groups": [{"name": "A", "rank": 1, "level": "semi"}, {"name": "B", "rank": 1, "level": "full"}], "core_folders": ["windows"]}"#).unwrap_err();
        let text: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(
            text[0].starts_with("unknown automation level `sometimes` in `default_level`"),
            "{text:?}"
        );
        assert!(text
            .iter()
            .any(|m| m.starts_with("unknown automation level `semi` for group `A`")));
        assert!(text
            .iter()
            .any(|m| m.contains("groups `A` and `B` both have rank `1`")));
        assert!(text
            .iter()
            .any(|m| m.starts_with("`windows` in `core_folders`")));
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let errors = Policy::parse_json("{\n  \"default_level\": full\n}").unwrap_err();
        assert!(
            errors[0].message.starts_with("line 2, column 21:"),
            "{}",
            errors[0].message
        );
        let unknown = Policy::parse_json(r#"{"default_level": "full", "grups": []}"#).unwrap_err();
        assert!(
            unknown[0].message.contains("unknown field `grups`"),
            "{}",
            unknown[0].message
        );
    }

    #[test]
    fn overlap_is_a_warning() {
        let (_, warnings) = Policy::parse_json(r#"{"default_level": "full", "core_folders": ["\\windows\\temp\\*"], "temp_folders": ["\\Windows\\Temp\\*"]}"#).unwrap();
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0]
            .message
            .starts_with(r"`\windows\temp\*` is in both"));
    }

    #[test]
    fn export_round_trips() {
        let text = r#"{"default_level": "Full remediation", "groups": [{"name": "Servers", "rank": 2, "level": "semi_all_folders", "match": {"device_name": "srv-*", "tag": "prod"}}, {"name": "Finance", "rank": 1, "level": "full"}], "temp_folders": ["\\tmp\\*"]}"#;
        let (policy, _) = Policy::parse_json(text).unwrap();
        let (again, _) = Policy::parse_json(&policy.to_json().unwrap()).unwrap();
        assert_eq!(policy, again);
        assert_eq!(again.to_file().core_folders, None);
    }
}
