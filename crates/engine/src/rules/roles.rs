//! Who may do what in the action center (docs/domain.md, "Permissions").
//!
//! Roles are simulated locally: they preview who could do what, they protect nothing. The
//! journal records the actor's name and roles beside every event so that a replay checks the
//! same permissions again.

use crate::vocab::action::ActionTarget;
use crate::vocab::role::Role;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Who does something: a name for the journal and the roles they act with.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    pub name: String,
    pub roles: Vec<Role>,
}

impl Actor {
    pub fn new(name: &str, roles: &[Role]) -> Actor {
        Actor {
            name: name.to_owned(),
            roles: roles.to_vec(),
        }
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the actor's roles meet a requirement.
    pub fn meets(&self, requirement: Requirement) -> bool {
        requirement.any_of().iter().any(|r| self.has(*r))
            && requirement.also().is_none_or(|r| self.has(r))
    }
}

/// What an act needs, from the permissions table of issue 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// Approving or rejecting a device, file, process, registry, service, driver or task action.
    DeviceRemediation,
    /// Approving or rejecting an email, URL, attachment, mailbox or user action: an
    /// administrator role together with Search and Purge.
    EmailRemediation,
    /// Undo, and making a policy current.
    Administrator,
}

impl Requirement {
    /// The requirement for deciding an action on this target.
    pub fn remediation(target: ActionTarget) -> Requirement {
        if target.is_email_side() {
            Requirement::EmailRemediation
        } else {
            Requirement::DeviceRemediation
        }
    }

    /// One of these roles is needed.
    pub fn any_of(self) -> &'static [Role] {
        match self {
            Requirement::DeviceRemediation => &[
                Role::SecurityAdministrator,
                Role::GlobalAdministrator,
                Role::ActiveRemediationActions,
            ],
            Requirement::EmailRemediation | Requirement::Administrator => {
                &[Role::SecurityAdministrator, Role::GlobalAdministrator]
            }
        }
    }

    /// And this one as well.
    pub fn also(self) -> Option<Role> {
        match self {
            Requirement::EmailRemediation => Some(Role::SearchAndPurge),
            Requirement::DeviceRemediation | Requirement::Administrator => None,
        }
    }
}

impl fmt::Display for Requirement {
    /// "Security Administrator, Global Administrator or Active remediation actions";
    /// "Security Administrator or Global Administrator, together with Search and Purge".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.any_of().iter().map(|r| r.name()).collect();
        match names.split_last() {
            Some((last, [])) => f.write_str(last)?,
            Some((last, rest)) => write!(f, "{} or {last}", rest.join(", "))?,
            None => {}
        }
        if let Some(also) = self.also() {
            write!(f, ", together with {also}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_permissions_table() {
        let actor = |roles: &[Role]| Actor::new("a", roles);
        let device = Requirement::remediation(ActionTarget::File);
        let email = Requirement::remediation(ActionTarget::Mailbox);
        assert_eq!(device, Requirement::DeviceRemediation);
        assert_eq!(email, Requirement::EmailRemediation);
        for r in [
            Role::SecurityAdministrator,
            Role::GlobalAdministrator,
            Role::ActiveRemediationActions,
        ] {
            assert!(actor(&[r]).meets(device));
            assert!(!actor(&[r]).meets(email));
        }
        assert!(!actor(&[Role::SecurityReader]).meets(device));
        assert!(!actor(&[Role::SearchAndPurge]).meets(device));
        assert!(actor(&[Role::SecurityAdministrator, Role::SearchAndPurge]).meets(email));
        assert!(actor(&[Role::GlobalAdministrator, Role::SearchAndPurge]).meets(email));
        assert!(!actor(&[Role::ActiveRemediationActions, Role::SearchAndPurge]).meets(email));
        assert!(actor(&[Role::SecurityAdministrator]).meets(Requirement::Administrator));
        assert!(!actor(&[Role::ActiveRemediationActions]).meets(Requirement::Administrator));
        assert_eq!(
            device.to_string(),
            "Security Administrator, Global Administrator or Active remediation actions"
        );
        assert_eq!(
            email.to_string(),
            "Security Administrator or Global Administrator, together with Search and Purge"
        );
    }
}
