//! Where limiter state lives: the [`Store`] trait, the one GCRA step every store applies
//! ([`charge`]), and how a SQL store does the same in one statement per key and policy.
//!
//! # State
//! The whole state of a key under one policy is its TAT (theoretical arrival time): an
//! integer of nanoseconds since 1970-01-01 UTC. A key never seen has no TAT, which behaves
//! exactly like a TAT in the past (0 is used for it), so a key whose TATs are all in the past
//! holds no information and may be forgotten.
//!
//! # The step, for one key and a request of `cost` at `now`
//! For every policy `i` (emission interval `T_i`, burst tolerance `tau_i`, see
//! [`Gcra`]):
//!
//! ```text
//! new_tat_i = max(tat_i, now) + cost * T_i
//! admitted_i = new_tat_i - tau_i <= now
//! ```
//!
//! If every policy admits the request, every `tat_i` becomes `new_tat_i`; otherwise no TAT
//! changes (a refused request is charged to nothing), and the request may be retried at
//! `max_i(new_tat_i - tau_i)`.
//!
//! # In SQL
//! A table `rate_limit_state (key TEXT, policy TEXT, tat BIGINT, PRIMARY KEY (key, policy))`
//! holds the TATs. In one transaction, one statement per policy of the key (`:inc` is
//! `cost * T_i`, `:tau` is `tau_i`, all integers of nanoseconds):
//!
//! ```sql
//! INSERT INTO rate_limit_state (key, policy, tat) VALUES (:key, :policy, :now + :inc)
//! ON CONFLICT (key, policy) DO UPDATE
//!     SET tat = MAX(rate_limit_state.tat, :now) + :inc        -- GREATEST(...) on PostgreSQL
//!     WHERE MAX(rate_limit_state.tat, :now) + :inc - :tau <= :now
//! RETURNING tat;
//! ```
//!
//! A fresh row is always admitted (the limiter refuses a cost above the burst before the
//! store is asked, so `:inc <= :tau`). A statement that returns no row refused the request:
//! roll the transaction back (so the policies already charged are not), then read the
//! current TATs with `SELECT policy, tat FROM rate_limit_state WHERE key = :key` for the
//! decision. Concurrent processes serialise on the row locks the upserts take, so several
//! API processes enforce one limit. Rows whose `tat < now` can be deleted at any time.

use super::Gcra;

/// One request as a [`Store`] sees it: the key, the policies the key is under (the order
/// of `tats` in [`Store::acquire`]), the cost and the time in nanoseconds since 1970.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The rate-limited key, for example `ip:203.0.113.9`.
    pub key: &'a str,
    /// The key's policies.
    pub policies: &'a [Gcra],
    /// Units of cost; 0 asks for the state without charging.
    pub cost: u64,
    /// The time of the request, in nanoseconds since 1970-01-01 UTC.
    pub now: i64,
}

/// Limiter state: one TAT per key and policy, updated by [`charge`] atomically per key.
///
/// [`MemoryStore`](super::MemoryStore) is the in-process store. A store shared between
/// processes runs the same step in its database (see the module documentation for the SQL).
pub trait Store: Send + Sync {
    /// Applies [`charge`] to the TATs of `request.key`, atomically with respect to other
    /// calls for the same key, and writes into `tats` (one slot per policy) the TATs after
    /// the call: the charged ones when it returns `true`, the unchanged ones when it returns
    /// `false`. A key never seen counts as all TATs 0.
    fn acquire(&self, request: &Request<'_>, tats: &mut [i64]) -> bool;
}

/// A boxed store, so a host can pick its store at run time (`Limiter<Box<dyn Store>>`).
impl<T: Store + ?Sized> Store for Box<T> {
    fn acquire(&self, request: &Request<'_>, tats: &mut [i64]) -> bool {
        (**self).acquire(request, tats)
    }
}

/// The GCRA step on one key's TATs (`tats[i]` under `policies[i]`): when every policy
/// admits `cost` at `now`, charges all of them and returns `true`; otherwise changes
/// nothing and returns `false`.
///
/// ```
/// use finmark::access::limit::{charge, Policy};
/// let per_second = [Policy::new("per_second", 2, 1).compile()?];
/// let mut tats = [0i64];
/// assert!(charge(&per_second, 1, 1_000_000_000, &mut tats));
/// assert!(charge(&per_second, 1, 1_000_000_000, &mut tats));
/// assert!(!charge(&per_second, 1, 1_000_000_000, &mut tats)); // burst of 2 spent
/// assert_eq!(tats, [2_000_000_000]);
/// # Ok::<(), finmark::Error>(())
/// ```
pub fn charge(policies: &[Gcra], cost: u64, now: i64, tats: &mut [i64]) -> bool {
    let admitted = policies
        .iter()
        .zip(tats.iter())
        .all(|(p, &tat)| p.admits(p.next_tat(tat, cost, now), now));
    if admitted {
        for (p, tat) in policies.iter().zip(tats.iter_mut()) {
            *tat = p.next_tat(*tat, cost, now);
        }
    }
    admitted
}
