//! Who may do what, and how often: access control ([`Actor`], [`Role`], [`Permission`],
//! [`check`]) and rate limiting ([`limit`]).
//!
//! Every action of the engine is a [`Permission`] named `object.verb` (`alert.acknowledge`).
//! An [`Actor`] holds [`Role`]s; the table on [`Permission`] says which role holds which
//! permission, and is the only place that says it. [`decide`] turns an actor and a
//! permission into an [`AccessDecision`] the audit log can record; [`check`] is the same as a
//! `Result` whose error is `PERMISSION_DENIED` naming the actor, their roles and the
//! permission.
//!
//! ```
//! use finmark::access::{check, Actor, Permission};
//! let ann = Actor::with_role("ann", "analyst")?;
//! check(&ann, Permission::AlertAcknowledge)?;
//! let bob = Actor::with_role("bob", "viewer")?;
//! assert!(check(&bob, Permission::AlertAcknowledge).is_err());
//! # Ok::<(), finmark::Error>(())
//! ```

mod actor;
mod check;
pub mod limit;
mod permission;
mod role;

pub use actor::Actor;
pub use check::{AccessDecision, check, decide};
pub use permission::Permission;
pub use role::Role;
