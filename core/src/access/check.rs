//! The one access check: [`decide`] gives a recordable [`AccessDecision`], [`check`] a
//! `Result`.

use super::{Actor, Permission, Role};
use crate::error::{Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};

/// The outcome of one access check, as the audit log records it:
/// `{"actor": "bob", "roles": ["viewer"], "permission": "alert.acknowledge", "allowed": false,
/// "granted_by": null}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessDecision {
    /// The actor's id.
    pub actor: String,
    /// The actor's roles when the check ran.
    pub roles: Vec<Role>,
    /// The permission checked.
    pub permission: Permission,
    /// Whether the action may go ahead.
    pub allowed: bool,
    /// The actor's first role that holds the permission (`None` when denied).
    pub granted_by: Option<Role>,
}

impl AccessDecision {
    /// `Ok(())` when allowed, else the [`ErrorKind::PermissionDenied`] error that names the
    /// actor, their roles, the permission and the roles that hold it:
    /// `actor 'bob' (viewer) lacks permission alert.acknowledge (held by admin, analyst)`.
    pub fn to_result(&self) -> Result<()> {
        if self.allowed {
            return Ok(());
        }
        let roles = match self.roles.as_slice() {
            [] => "no roles".to_string(),
            roles => join(roles.iter().map(|r| r.name())),
        };
        let holders = join(self.permission.roles().map(|r| r.name()));
        Err(Error::new(
            ErrorKind::PermissionDenied,
            format!(
                "actor '{}' ({roles}) lacks permission {} (held by {holders})",
                self.actor, self.permission
            ),
        ))
    }
}

fn join<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

/// Decides whether `actor` may perform the action `permission` names, as a value the caller
/// records (the audit log keeps every decision, allowed or denied) before acting on it.
///
/// A role table look-up: no allocation beyond copying the actor's id and roles into the
/// decision.
///
/// ```
/// use finmark::access::{decide, Actor, Permission};
/// let bob = Actor::with_role("bob", "viewer")?;
/// let decision = decide(&bob, Permission::AlertRead);
/// assert!(decision.allowed);
/// assert_eq!(decision.granted_by.unwrap().name(), "viewer");
/// # Ok::<(), finmark::Error>(())
/// ```
pub fn decide(actor: &Actor, permission: Permission) -> AccessDecision {
    let granted_by = actor.role_for(permission);
    AccessDecision {
        actor: actor.id().to_string(),
        roles: actor.roles().to_vec(),
        permission,
        allowed: granted_by.is_some(),
        granted_by,
    }
}

/// `Ok(())` when `actor` may perform `permission`, else a
/// [`ErrorKind::PermissionDenied`] error naming the actor, their roles and the permission.
/// The same as `decide(actor, permission).to_result()`.
///
/// ```
/// use finmark::access::{check, Actor, Permission};
/// let bob = Actor::with_role("bob", "viewer")?;
/// let err = check(&bob, Permission::AlertAcknowledge).unwrap_err();
/// assert_eq!(err.kind(), finmark::ErrorKind::PermissionDenied);
/// assert_eq!(
///     err.message(),
///     "actor 'bob' (viewer) lacks permission alert.acknowledge (held by admin, analyst)"
/// );
/// # Ok::<(), finmark::Error>(())
/// ```
pub fn check(actor: &Actor, permission: Permission) -> Result<()> {
    decide(actor, permission).to_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_denied_decision_round_trips_as_json() {
        let bob = Actor::with_role("bob", "viewer").unwrap();
        let d = decide(&bob, Permission::AlertAcknowledge);
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(
            json,
            r#"{"actor":"bob","roles":["viewer"],"permission":"alert.acknowledge","allowed":false,"granted_by":null}"#
        );
        assert_eq!(serde_json::from_str::<AccessDecision>(&json).unwrap(), d);
    }

    #[test]
    fn an_actor_without_roles_is_denied_and_told_so() {
        let nobody = Actor::new("nobody", []).unwrap();
        let e = check(&nobody, Permission::EventIngest).unwrap_err();
        assert_eq!(
            e.message(),
            "actor 'nobody' (no roles) lacks permission event.ingest (held by admin, service)"
        );
    }
}
