//! [`MemoryStore`]: limiter state in this process, sharded and bounded.

use super::store::{Request, Store, charge};
use crate::error::{Error, Result};
use hashbrown::HashTable;
use serde::Serialize;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Mutex, MutexGuard};

/// The most shards a store is split into.
const MAX_SHARDS: usize = 64;

/// Keys per shard that [`MemoryStore::new`] aims for before adding shards.
const KEYS_PER_SHARD: usize = 512;

/// Limiter state in this process: one TAT per key and policy, in shards that each hold a
/// hash table behind its own lock, bounded to `max_keys` keys.
///
/// # Cost
/// A decision hashes the key once (SipHash with a per-store random key, so clients choosing
/// their keys cannot force collisions), locks one shard, finds the entry and updates its TATs
/// in place: no allocation except when a new key is stored. Memory is about 80 bytes per key
/// plus the key's length.
///
/// # Bound and eviction
/// Each of the `shards` shards holds at most `max_keys / shards` keys (so a 1-shard store is
/// bounded exactly). When a new key finds its shard full, the shard first drops every key
/// whose TATs are all in the past: such a key holds no information (a new key behaves the
/// same), so dropping it changes no decision. Only if that frees less than a sixteenth of the
/// shard does it also drop the keys that would have become idle soonest (lowest TAT), until a
/// sixteenth is free; those keys get their full burst back, and [`MemoryStats::evicted_active`]
/// counts them so a host can raise `max_keys`. Each full pass frees room for many inserts, so
/// inserting stays constant time on average. A refused request or one of cost 0 never stores
/// a new key.
///
/// The store serves one [`Limiter`](super::Limiter): a key's TATs are kept in the order of
/// its policies there. State lives as long as the process; a store shared by processes is a
/// database (see [`Store`]).
#[derive(Debug)]
pub struct MemoryStore {
    shards: Box<[Shard]>,
    mask: usize,
    shard_cap: usize,
    max_keys: usize,
    hasher: RandomState,
}

/// One shard on its own cache line, so threads working different shards do not contend.
#[derive(Debug)]
#[repr(align(64))]
struct Shard(Mutex<ShardState>);

#[derive(Debug, Default)]
struct ShardState {
    table: HashTable<Entry>,
    evicted_idle: u64,
    evicted_active: u64,
}

#[derive(Debug)]
struct Entry {
    hash: u64,
    key: Box<str>,
    tats: Box<[i64]>,
}

impl Entry {
    /// The time after which the key holds no information.
    fn idle_from(&self) -> i64 {
        self.tats.iter().copied().max().unwrap_or(0)
    }
}

/// Counters of a [`MemoryStore`], for health pages and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MemoryStats {
    /// Keys held now.
    pub keys: usize,
    /// The bound on keys.
    pub max_keys: usize,
    /// The number of shards.
    pub shards: usize,
    /// Keys dropped because their TATs were all in the past (no information lost).
    pub evicted_idle: u64,
    /// Keys dropped while still limiting (their recent use was forgotten).
    pub evicted_active: u64,
}

impl MemoryStore {
    /// A store for at most `max_keys` keys, with one shard per 512 keys (a power of two, at
    /// most 64). `max_keys` of 0 is an error.
    pub fn new(max_keys: usize) -> Result<MemoryStore> {
        let shards = (max_keys / KEYS_PER_SHARD)
            .next_power_of_two()
            .clamp(1, MAX_SHARDS);
        MemoryStore::with_shards(max_keys, shards)
    }

    /// A store for at most `max_keys` keys in `shards` shards (a power of two from 1 to 64,
    /// at most `max_keys`).
    pub fn with_shards(max_keys: usize, shards: usize) -> Result<MemoryStore> {
        if max_keys == 0 {
            return Err(Error::invalid_query(
                "rate limit max_keys must be at least 1",
            ));
        }
        if !shards.is_power_of_two() || shards > MAX_SHARDS || shards > max_keys {
            return Err(Error::invalid_query(format!(
                "rate limit store shards must be a power of two from 1 to {MAX_SHARDS} and at most max_keys ({max_keys}), not {shards}"
            )));
        }
        Ok(MemoryStore {
            shards: (0..shards).map(|_| Shard(Mutex::default())).collect(),
            mask: shards - 1,
            shard_cap: max_keys / shards,
            max_keys,
            hasher: RandomState::new(),
        })
    }

    /// The number of keys held.
    pub fn len(&self) -> usize {
        (0..self.shards.len())
            .map(|i| self.lock(i).table.len())
            .sum()
    }

    /// True when no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keys held, the bound, and eviction counters.
    pub fn stats(&self) -> MemoryStats {
        let mut stats = MemoryStats {
            keys: 0,
            max_keys: self.max_keys,
            shards: self.shards.len(),
            evicted_idle: 0,
            evicted_active: 0,
        };
        for i in 0..self.shards.len() {
            let shard = self.lock(i);
            stats.keys += shard.table.len();
            stats.evicted_idle += shard.evicted_idle;
            stats.evicted_active += shard.evicted_active;
        }
        stats
    }

    fn lock(&self, shard: usize) -> MutexGuard<'_, ShardState> {
        // The lock is never held across code that can panic; a poisoned one is still sound.
        self.shards[shard]
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The shard of a hash: bits 32 to 37, apart from the low bits the table indexes with
    /// and the top seven it tags entries with.
    fn shard_of(&self, hash: u64) -> usize {
        (hash >> 32) as usize & self.mask
    }
}

impl Store for MemoryStore {
    fn acquire(&self, request: &Request<'_>, tats: &mut [i64]) -> bool {
        let hash = self.hasher.hash_one(request.key);
        let mut shard = self.lock(self.shard_of(hash));
        let found = shard
            .table
            .find_mut(hash, |e| e.hash == hash && *e.key == *request.key);
        if let Some(entry) = found {
            if entry.tats.len() != tats.len() {
                entry.tats = vec![0; tats.len()].into();
            }
            let admitted = charge(request.policies, request.cost, request.now, &mut entry.tats);
            tats.copy_from_slice(&entry.tats);
            return admitted;
        }
        tats.fill(0);
        let admitted = charge(request.policies, request.cost, request.now, tats);
        if admitted && request.cost > 0 {
            if shard.table.len() >= self.shard_cap {
                shard.make_room(self.shard_cap, request.now);
            }
            let entry = Entry {
                hash,
                key: request.key.into(),
                tats: tats.into(),
            };
            shard.table.insert_unique(hash, entry, |e| e.hash);
        }
        admitted
    }
}

impl ShardState {
    /// Frees at least a sixteenth of `cap` (and at least one slot): idle keys first, then the
    /// keys that become idle soonest.
    fn make_room(&mut self, cap: usize, now: i64) {
        let before = self.table.len();
        self.table.retain(|e| e.idle_from() > now);
        let idle = before - self.table.len();
        self.evicted_idle += idle as u64;
        let want = (cap / 16).max(1);
        if idle >= want || self.table.is_empty() {
            return;
        }
        let mut evict = (want - idle).min(self.table.len());
        let mut idle_from: Vec<i64> = self.table.iter().map(Entry::idle_from).collect();
        let (_, &mut threshold, _) = idle_from.select_nth_unstable(evict - 1);
        self.evicted_active += evict as u64;
        self.table.retain(|e| {
            let t = e.idle_from();
            let drop = evict > 0 && t <= threshold;
            evict -= usize::from(drop);
            !drop
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::limit::Policy;

    const SEC: i64 = 1_000_000_000;

    fn request<'a>(key: &'a str, policies: &'a [super::super::Gcra], now: i64) -> Request<'a> {
        Request {
            key,
            policies,
            cost: 1,
            now,
        }
    }

    #[test]
    fn shard_counts_follow_max_keys() {
        assert_eq!(MemoryStore::new(4).unwrap().stats().shards, 1);
        assert_eq!(MemoryStore::new(10_000).unwrap().stats().shards, 32);
        assert_eq!(MemoryStore::new(10_000_000).unwrap().stats().shards, 64);
        assert!(MemoryStore::new(0).is_err());
        let e = MemoryStore::with_shards(100, 3).unwrap_err();
        assert_eq!(
            e.message(),
            "rate limit store shards must be a power of two from 1 to 64 and at most max_keys (100), not 3"
        );
    }

    #[test]
    fn a_refused_or_free_request_stores_no_key() {
        let store = MemoryStore::new(10).unwrap();
        let policies = [Policy::new("p", 1, 1).compile().unwrap()];
        let mut tats = [0];
        let peek = Request {
            cost: 0,
            ..request("a", &policies, 5 * SEC)
        };
        assert!(store.acquire(&peek, &mut tats));
        assert_eq!(tats, [5 * SEC]);
        assert!(store.is_empty());
        assert!(store.acquire(&request("a", &policies, 5 * SEC), &mut tats));
        assert_eq!(tats, [6 * SEC]);
        assert!(!store.acquire(&request("a", &policies, 5 * SEC), &mut tats));
        assert_eq!(tats, [6 * SEC]);
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn eviction_frees_a_sixteenth_lowest_tats_first() {
        // One shard of 32 keys, one per second of TAT: key i is idle from (i + 1) s.
        let store = MemoryStore::with_shards(32, 1).unwrap();
        let policies = [Policy::new("p", 1, 1).compile().unwrap()];
        let mut tats = [0];
        let keys: Vec<String> = (0..33).map(|i| format!("k{i}")).collect();
        for (i, key) in keys.iter().take(32).enumerate() {
            assert!(store.acquire(&request(key, &policies, i as i64 * SEC), &mut tats));
        }
        // At 31.5 s keys 0..=30 are idle: all of them go, none active.
        assert!(store.acquire(
            &request(&keys[32], &policies, 31 * SEC + SEC / 2),
            &mut tats
        ));
        let s = store.stats();
        assert_eq!((s.keys, s.evicted_idle, s.evicted_active), (2, 31, 0));
        let full = MemoryStore::with_shards(2, 1).unwrap();
        assert!(full.acquire(&request("a", &policies, 10 * SEC), &mut tats));
        assert!(full.acquire(&request("b", &policies, 10 * SEC + SEC / 4), &mut tats));
        // Nothing idle at 10.5 s: the key idle soonest ("a", idle from 11 s) goes.
        assert!(full.acquire(&request("c", &policies, 10 * SEC + SEC / 2), &mut tats));
        let s = full.stats();
        assert_eq!((s.keys, s.evicted_idle, s.evicted_active), (2, 0, 1));
        // "b" kept its state (refused again at once), "a" starts fresh.
        assert!(!full.acquire(&request("b", &policies, 10 * SEC + SEC / 2), &mut tats));
    }
}
