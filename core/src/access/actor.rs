//! [`Actor`]: who performs an action.

use super::{Permission, Role};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Who performs an action: an id (a user name, a service account, an API key's name) and the
/// roles the host's authentication gave it.
///
/// The id is what the audit log records as the actor; it must not be empty. Roles are kept
/// sorted and without repeats. In JSON an actor is `{"id": "bob", "roles": ["viewer"]}`
/// (unknown keys and unknown roles are rejected).
///
/// ```
/// use finmark::access::{Actor, Role};
/// let bob = Actor::with_role("bob", "viewer")?;
/// assert_eq!(bob.id(), "bob");
/// assert_eq!(bob.roles(), [Role::Viewer]);
///
/// let err = Actor::with_role("eve", "root").unwrap_err();
/// assert_eq!(err.message(), "actor 'eve': unknown role 'root'; valid roles: admin, analyst, viewer, service");
/// # Ok::<(), finmark::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ActorFields")]
pub struct Actor {
    id: String,
    roles: Vec<Role>,
}

/// The JSON form of an [`Actor`], validated by [`Actor::new`] on the way in.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorFields {
    id: String,
    roles: Vec<Role>,
}

impl TryFrom<ActorFields> for Actor {
    type Error = Error;

    fn try_from(fields: ActorFields) -> Result<Actor> {
        Actor::new(fields.id, fields.roles)
    }
}

impl Actor {
    /// An actor with these roles (repeats dropped). An empty id is an
    /// [`ErrorKind::InvalidQuery`](crate::error::ErrorKind::InvalidQuery) error; no roles is
    /// allowed and holds no permission.
    pub fn new(id: impl Into<String>, roles: impl IntoIterator<Item = Role>) -> Result<Actor> {
        let id = id.into();
        if id.trim().is_empty() {
            return Err(Error::invalid_query("an actor needs a non-empty id"));
        }
        let mut roles: Vec<Role> = roles.into_iter().collect();
        roles.sort_unstable();
        roles.dedup();
        Ok(Actor { id, roles })
    }

    /// An actor with one role given by name, as doors and the command line receive it
    /// (`--actor bob --role viewer`). An unknown role name is an error naming the actor and
    /// listing the valid roles.
    pub fn with_role(id: impl Into<String>, role: &str) -> Result<Actor> {
        let id = id.into();
        let role: Role = role
            .parse()
            .map_err(|e: Error| e.context(format!("actor '{id}'")))?;
        Actor::new(id, [role])
    }

    /// The actor's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The actor's roles, sorted.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// The first of the actor's roles that holds `permission`, if any.
    pub fn role_for(&self, permission: Permission) -> Option<Role> {
        self.roles.iter().copied().find(|&r| permission.allows(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_sorted_without_repeats() {
        let a = Actor::new("ops", [Role::Service, Role::Admin, Role::Service]).unwrap();
        assert_eq!(a.roles(), [Role::Admin, Role::Service]);
    }

    #[test]
    fn empty_id_is_rejected() {
        let e = Actor::new("  ", [Role::Admin]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "INVALID_QUERY: an actor needs a non-empty id"
        );
    }

    #[test]
    fn json_form_is_validated() {
        let a: Actor =
            serde_json::from_str(r#"{"id": "bob", "roles": ["viewer", "viewer"]}"#).unwrap();
        assert_eq!(a, Actor::new("bob", [Role::Viewer]).unwrap());
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"id":"bob","roles":["viewer"]}"#
        );

        let unknown_role = serde_json::from_str::<Actor>(r#"{"id": "bob", "roles": ["root"]}"#);
        assert!(
            unknown_role
                .unwrap_err()
                .to_string()
                .contains("unknown variant `root`")
        );
        let unknown_key = serde_json::from_str::<Actor>(r#"{"id": "bob", "roles": [], "team": 1}"#);
        assert!(
            unknown_key
                .unwrap_err()
                .to_string()
                .contains("unknown field `team`")
        );
        let empty = serde_json::from_str::<Actor>(r#"{"id": "", "roles": []}"#);
        assert!(empty.unwrap_err().to_string().contains("non-empty id"));
    }

    #[test]
    fn role_for_names_the_granting_role() {
        let a = Actor::new("ann", [Role::Analyst, Role::Service]).unwrap();
        assert_eq!(a.role_for(Permission::EventIngest), Some(Role::Service));
        assert_eq!(a.role_for(Permission::AlertResolve), Some(Role::Analyst));
        assert_eq!(a.role_for(Permission::RuleReload), None);
    }
}
