//! Every action of the engine as a [`Permission`], and the one table of which role holds it.

use super::Role;
use crate::error::{Error, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Defines [`Permission`] from rows of the permission table: variant, stable name, what it
/// allows, whether it changes state, and one `yes`/`no` cell per role in [`Role::ALL`] order.
/// The same rows produce the enum, its names, the grants and the rustdoc table, so the table
/// a reader sees is the table the code checks.
macro_rules! permission_table {
    ($(
        $variant:ident = $name:literal, $what:literal, $effect:ident,
        [$admin:ident, $analyst:ident, $viewer:ident, $service:ident];
    )+) => {
        /// An action of the engine, named `object.verb` (`alert.acknowledge`): the name the
        /// audit log records.
        ///
        /// The engine checks one permission before every call that changes something and
        /// every read of alerts, incidents and the audit log (see [`check`](super::check)).
        /// Permissions serialise as their names. Which role holds which permission is this
        /// table, the only place it is defined:
        ///
        #[doc = "| permission | allows | changes state | admin | analyst | viewer | service |"]
        #[doc = "| --- | --- | :-: | :-: | :-: | :-: | :-: |"]
        $(
            #[doc = concat!(
                "| `", $name, "` | ", $what, " | ", permission_table!(@effect $effect),
                " | ", stringify!($admin), " | ", stringify!($analyst),
                " | ", stringify!($viewer), " | ", stringify!($service), " |"
            )]
        )+
        ///
        /// ```
        /// use finmark::access::{Permission, Role};
        /// let p: Permission = "alert.acknowledge".parse()?;
        /// assert_eq!(p, Permission::AlertAcknowledge);
        /// assert!(p.allows(Role::Analyst));
        /// assert!(!p.allows(Role::Viewer));
        /// assert!(p.changes_state());
        /// # Ok::<(), finmark::Error>(())
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Permission {
            $(
                #[doc = concat!("`", $name, "`: ", $what, ".")]
                $variant,
            )+
        }

        impl Permission {
            /// Every permission, in the order of the table.
            pub const ALL: &'static [Permission] = &[$(Permission::$variant),+];

            /// The stable `object.verb` name, for example `"alert.acknowledge"`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Permission::$variant => $name,)+
                }
            }

            /// True when the action changes state (as opposed to reading it).
            pub fn changes_state(self) -> bool {
                match self {
                    $(Permission::$variant => permission_table!(@changes $effect),)+
                }
            }

            /// One flag per role of [`Role::ALL`]: whether it holds this permission.
            fn grants(self) -> [bool; 4] {
                match self {
                    $(Permission::$variant => [
                        permission_table!(@cell $admin),
                        permission_table!(@cell $analyst),
                        permission_table!(@cell $viewer),
                        permission_table!(@cell $service),
                    ],)+
                }
            }
        }
    };
    (@effect read) => { "no" };
    (@effect change) => { "yes" };
    (@changes read) => { false };
    (@changes change) => { true };
    (@cell yes) => { true };
    (@cell no) => { false };
}

permission_table! {
    EventIngest = "event.ingest", "ingest events", change, [yes, no, no, yes];
    EventRead = "event.read", "query stored events", read, [yes, yes, yes, yes];
    EventPurge = "event.purge", "delete events (retention, erasure)", change, [yes, no, no, no];
    RuleRead = "rule.read", "list the loaded rules", read, [yes, yes, yes, no];
    RuleReload = "rule.reload", "load or replace rules and pipelines", change, [yes, no, no, no];
    DetectionRead = "detection.read", "query detections", read, [yes, yes, yes, no];
    AlertRead = "alert.read", "query alerts and their counts", read, [yes, yes, yes, no];
    AlertAcknowledge = "alert.acknowledge", "acknowledge an alert", change, [yes, yes, no, no];
    AlertResolve = "alert.resolve", "resolve an alert", change, [yes, yes, no, no];
    SilenceCreate = "silence.create", "add a silence", change, [yes, yes, no, no];
    SilenceRead = "silence.read", "list silences", read, [yes, yes, yes, no];
    SilenceExpire = "silence.expire", "end a silence early", change, [yes, yes, no, no];
    IncidentRead = "incident.read", "query incidents, their timelines and MTTA/MTTR", read, [yes, yes, yes, no];
    IncidentCreate = "incident.create", "open an incident by hand", change, [yes, yes, no, no];
    IncidentUpdate = "incident.update", "edit an incident: title, severity, tasks, observables", change, [yes, yes, no, no];
    IncidentAcknowledge = "incident.acknowledge", "acknowledge an incident", change, [yes, yes, no, no];
    IncidentAssign = "incident.assign", "assign an incident or a task", change, [yes, yes, no, no];
    IncidentComment = "incident.comment", "comment on an incident", change, [yes, yes, no, no];
    IncidentResolve = "incident.resolve", "resolve an incident", change, [yes, yes, no, no];
    IncidentClose = "incident.close", "close an incident with a resolution", change, [yes, yes, no, no];
    IncidentMerge = "incident.merge", "merge incidents", change, [yes, yes, no, no];
    AuditRead = "audit.read", "read audit records and proofs", read, [yes, no, no, no];
    AuditVerify = "audit.verify", "check that the audit log verifies", read, [yes, yes, yes, no];
    AuditCheckpoint = "audit.checkpoint", "sign an audit checkpoint", change, [yes, no, no, no];
    MetricRead = "metric.read", "query metric rollups", read, [yes, yes, yes, yes];
    ForecastRead = "forecast.read", "compute forecasts", read, [yes, yes, yes, no];
    AnomalyRead = "anomaly.read", "query anomalies and baselines", read, [yes, yes, yes, no];
    RateLimitConfigure = "rate_limit.configure", "change rate limit policies and tiers", change, [yes, no, no, no];
    RateLimitOverride = "rate_limit.override", "move a key to another tier or reset it", change, [yes, no, no, no];
    SystemRead = "system.read", "read health, storage and database information", read, [yes, yes, yes, yes];
}

impl Permission {
    /// True when `role` holds this permission (the table on [`Permission`]).
    pub fn allows(self, role: Role) -> bool {
        self.grants()[role as usize]
    }

    /// The roles that hold this permission, in [`Role::ALL`] order.
    pub fn roles(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |&role| self.allows(role))
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Permission {
    type Err = Error;

    /// Parses an `object.verb` name; an unknown one is an [`ErrorKind::InvalidQuery`] error
    /// that lists the valid names.
    ///
    /// [`ErrorKind::InvalidQuery`]: crate::error::ErrorKind::InvalidQuery
    fn from_str(name: &str) -> Result<Permission> {
        Permission::ALL
            .iter()
            .copied()
            .find(|p| p.name() == name)
            .ok_or_else(|| {
                let valid: Vec<&str> = Permission::ALL.iter().map(|p| p.name()).collect();
                Error::invalid_query(format!(
                    "unknown permission '{name}'; valid permissions: {}",
                    valid.join(", ")
                ))
            })
    }
}

impl Serialize for Permission {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Permission {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Permission, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        name.parse()
            .map_err(|e: Error| serde::de::Error::custom(e.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_object_verb_pairs() {
        let mut names: Vec<&str> = Permission::ALL.iter().map(|p| p.name()).collect();
        for name in &names {
            let (object, verb) = name.split_once('.').unwrap();
            assert!(!object.is_empty() && !verb.is_empty() && !verb.contains('.'));
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
            );
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Permission::ALL.len());
    }

    #[test]
    fn names_round_trip_through_parse_and_serde() {
        for &p in Permission::ALL {
            assert_eq!(p.name().parse::<Permission>().unwrap(), p);
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.name()));
            assert_eq!(serde_json::from_str::<Permission>(&json).unwrap(), p);
        }
        let e = serde_json::from_str::<Permission>("\"alert.delete\"").unwrap_err();
        assert!(e.to_string().starts_with(
            "unknown permission 'alert.delete'; valid permissions: event.ingest, event.read,"
        ));
    }

    #[test]
    fn admin_holds_everything_and_reads_change_nothing() {
        for &p in Permission::ALL {
            assert!(p.allows(Role::Admin), "{p}");
            assert_eq!(
                p.changes_state(),
                !p.name().ends_with(".read") && p != Permission::AuditVerify,
                "{p}"
            );
        }
    }

    #[test]
    fn roles_lists_the_holders_in_order() {
        let holders: Vec<Role> = Permission::EventIngest.roles().collect();
        assert_eq!(holders, [Role::Admin, Role::Service]);
    }
}
