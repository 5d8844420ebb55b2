//! The four roles an [`Actor`](super::Actor) can hold.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A role: a named set of [`Permission`](super::Permission)s.
///
/// What each role may do is the table on [`Permission`](super::Permission); in short:
/// `admin` everything, `analyst` reads and works alerts, silences and incidents, `viewer`
/// reads, `service` (machines: log shippers, health checks, metric scrapers) ingests and reads
/// events, metrics and system information.
///
/// Roles serialise as their lower-case names (`"analyst"`).
///
/// ```
/// use finmark::access::Role;
/// let role: Role = "viewer".parse()?;
/// assert_eq!(role, Role::Viewer);
/// assert_eq!(role.name(), "viewer");
/// assert!("root".parse::<Role>().is_err());
/// # Ok::<(), finmark::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including purging events, reloading rules, the audit log and rate limits.
    Admin,
    /// Reads everything but the audit log's records; works alerts, silences and incidents.
    Analyst,
    /// Reads events, rules, detections, alerts, silences, incidents, metrics, forecasts,
    /// anomalies and system information; may check that the audit log verifies.
    Viewer,
    /// For machines: ingests and reads events, reads metrics and system information.
    Service,
}

impl Role {
    /// Every role, in the order of the permission table's columns.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Analyst, Role::Viewer, Role::Service];

    /// The role's name as it is written in JSON, on the command line and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Analyst => "analyst",
            Role::Viewer => "viewer",
            Role::Service => "service",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Role {
    type Err = Error;

    /// Parses a role name; an unknown name is an [`ErrorKind::InvalidQuery`] error that lists
    /// the valid ones.
    ///
    /// [`ErrorKind::InvalidQuery`]: crate::error::ErrorKind::InvalidQuery
    fn from_str(name: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.name() == name)
            .ok_or_else(|| {
                Error::invalid_query(format!(
                    "unknown role '{name}'; valid roles: admin, analyst, viewer, service"
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_parse_and_serde() {
        for role in Role::ALL {
            assert_eq!(role.name().parse::<Role>().unwrap(), role);
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.name()));
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), role);
        }
    }

    #[test]
    fn unknown_role_lists_the_valid_ones() {
        let e = "Admin".parse::<Role>().unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::InvalidQuery);
        assert_eq!(
            e.message(),
            "unknown role 'Admin'; valid roles: admin, analyst, viewer, service"
        );
    }
}
