//! The policy page's draft: the current policy as a file, edited one change at a time, and
//! nothing applied until the analyst applies it (a journal entry, `Event::ApplyPolicy`).
//!
//! The draft is a `PolicyFile`, not a validated `Policy`: a draft may be wrong while it is
//! edited (a group with no name, two groups of one name), and the page shows the engine's
//! errors for it instead of refusing the keystroke.

use airview_engine::rules::folders::{DEFAULT_CORE_FOLDERS, DEFAULT_TEMP_FOLDERS};
use airview_engine::rules::policy::{GroupFile, MembershipRules};
use airview_engine::{Policy, PolicyError, PolicyFile, PolicyWarning};

/// How a group finds its devices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Membership {
    /// The devices whose `rbacGroupName` is the group's name.
    RbacGroup,
    /// The devices matching the group's rules.
    Rules,
}

/// One of a group's membership rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    DeviceName,
    Domain,
    OsPlatform,
    Tag,
}

impl Rule {
    pub const ALL: [Rule; 4] = [Rule::DeviceName, Rule::Domain, Rule::OsPlatform, Rule::Tag];

    fn of(self, rules: &MembershipRules) -> &Option<String> {
        match self {
            Rule::DeviceName => &rules.device_name,
            Rule::Domain => &rules.domain,
            Rule::OsPlatform => &rules.os_platform,
            Rule::Tag => &rules.tag,
        }
    }

    fn of_mut(self, rules: &mut MembershipRules) -> &mut Option<String> {
        match self {
            Rule::DeviceName => &mut rules.device_name,
            Rule::Domain => &mut rules.domain,
            Rule::OsPlatform => &mut rules.os_platform,
            Rule::Tag => &mut rules.tag,
        }
    }
}

/// One of the two folder lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folders {
    Core,
    Temp,
}

/// A change to the draft. Groups are named by their place in the list (0 is the first, the
/// highest rank); a change to a place that does not exist changes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// A new group at the end, claiming every device by name until its rules are edited.
    AddGroup,
    RemoveGroup(usize),
    /// One place up, to a higher rank.
    MoveUp(usize),
    MoveDown(usize),
    Rename(usize, String),
    /// A group's automation level, as its slug.
    SetLevel(usize, String),
    /// The level of devices no group claims.
    SetDefaultLevel(String),
    SetMembership(usize, Membership),
    /// A membership rule's pattern; an empty one (after trimming) removes the rule.
    SetRule(usize, Rule, String),
    /// A folder list from its text, one pattern a line; blank lines are dropped.
    SetFolders(Folders, String),
    /// Defender for Business: every group and the default at `full`.
    AllFull,
    /// A policy file the analyst imported, in place of the draft.
    Replace(PolicyFile),
    /// Back to the current policy.
    Reset,
}

/// The draft and the policy it started from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    /// The policy in force when the draft began, which `Edit::Reset` returns to.
    current: PolicyFile,
    file: PolicyFile,
}

impl Draft {
    /// A draft equal to the current policy.
    pub fn new(current: PolicyFile) -> Draft {
        Draft {
            file: current.clone(),
            current,
        }
    }

    pub fn file(&self) -> &PolicyFile {
        &self.file
    }

    pub fn current(&self) -> &PolicyFile {
        &self.current
    }

    /// The draft says what the current policy says: there is nothing to apply or discard.
    pub fn is_current(&self) -> bool {
        self.file == self.current
    }

    /// The draft validated by the engine: the policy with its warnings, or every error.
    pub fn validated(&self) -> Result<(Policy, Vec<PolicyWarning>), Vec<PolicyError>> {
        Policy::from_file(&self.file)
    }

    /// The draft after `edit`.
    pub fn edited(&self, edit: Edit) -> Draft {
        let mut next = self.clone();
        next.edit(edit);
        next
    }

    /// Applies `edit` to the draft.
    pub fn edit(&mut self, edit: Edit) {
        let groups = &mut self.file.groups;
        match edit {
            Edit::AddGroup => {
                let n = groups.len() + 1;
                groups.push(GroupFile {
                    name: format!("New group {n}"),
                    rank: n as u32,
                    level: "semi_all_folders".into(),
                    membership: Some(MembershipRules {
                        device_name: Some("*".into()),
                        ..MembershipRules::default()
                    }),
                });
            }
            Edit::RemoveGroup(i) => {
                if i < groups.len() {
                    groups.remove(i);
                    self.renumber();
                }
            }
            Edit::MoveUp(i) => {
                if i > 0 && i < groups.len() {
                    groups.swap(i, i - 1);
                    self.renumber();
                }
            }
            Edit::MoveDown(i) => {
                if i + 1 < groups.len() {
                    groups.swap(i, i + 1);
                    self.renumber();
                }
            }
            Edit::Rename(i, name) => {
                if let Some(g) = groups.get_mut(i) {
                    g.name = name;
                }
            }
            Edit::SetLevel(i, level) => {
                if let Some(g) = groups.get_mut(i) {
                    g.level = level;
                }
            }
            Edit::SetDefaultLevel(level) => self.file.default_level = level,
            Edit::SetMembership(i, membership) => {
                if let Some(g) = groups.get_mut(i) {
                    g.membership = match membership {
                        Membership::RbacGroup => None,
                        // Rules start by claiming every device, which the analyst narrows.
                        Membership::Rules => Some(MembershipRules {
                            device_name: Some("*".into()),
                            ..MembershipRules::default()
                        }),
                    };
                }
            }
            Edit::SetRule(i, rule, pattern) => {
                if let Some(g) = groups.get_mut(i) {
                    let rules = g.membership.get_or_insert_with(MembershipRules::default);
                    let pattern = pattern.trim();
                    *rule.of_mut(rules) = (!pattern.is_empty()).then(|| pattern.to_owned());
                }
            }
            Edit::SetFolders(which, text) => {
                let lines: Vec<String> = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect();
                match which {
                    Folders::Core => self.file.core_folders = Some(lines),
                    Folders::Temp => self.file.temp_folders = Some(lines),
                }
            }
            Edit::AllFull => {
                self.file.default_level = "full".into();
                for g in groups {
                    g.level = "full".into();
                }
            }
            Edit::Replace(file) => self.file = file,
            Edit::Reset => self.file = self.current.clone(),
        }
    }

    /// Ranks follow the order of the list: 1 is the first (highest).
    fn renumber(&mut self) {
        for (i, g) in self.file.groups.iter_mut().enumerate() {
            g.rank = i as u32 + 1;
        }
    }

    /// How group `i` finds its devices.
    pub fn membership(&self, i: usize) -> Membership {
        match self.file.groups.get(i).and_then(|g| g.membership.as_ref()) {
            Some(_) => Membership::Rules,
            None => Membership::RbacGroup,
        }
    }

    /// Group `i`'s pattern for `rule`, empty when it has none.
    pub fn rule(&self, i: usize, rule: Rule) -> String {
        self.file
            .groups
            .get(i)
            .and_then(|g| g.membership.as_ref())
            .and_then(|r| rule.of(r).clone())
            .unwrap_or_default()
    }

    /// A folder list as the page edits it: one pattern a line, Microsoft's defaults when the
    /// draft does not set the list.
    pub fn folders_text(&self, which: Folders) -> String {
        let (list, defaults) = match which {
            Folders::Core => (&self.file.core_folders, DEFAULT_CORE_FOLDERS),
            Folders::Temp => (&self.file.temp_folders, DEFAULT_TEMP_FOLDERS),
        };
        match list {
            Some(list) => list.join("\n"),
            None => defaults.join("\n"),
        }
    }
}
