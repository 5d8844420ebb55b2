//! The Merkle tree over a log's leaf hashes: roots of any prefix, inclusion and consistency
//! proofs, computed from a [`LeafSource`] with a bounded cache of subtree hashes.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::compact::CompactRange;
use super::hash::Hash;
use super::proof::{ConsistencyProof, InclusionProof, consistency_ranges, inclusion_ranges};
use crate::error::{Error, Result};

/// Where the tree reads leaf hashes from: memory, or a database the host pages through.
///
/// Implemented for `&[Hash]`, `Vec<Hash>` and [`BatchedSource`] (a closure that fetches one
/// batch of leaf hashes at a time, for a database).
pub trait LeafSource {
    /// The number of leaves in the log.
    fn size(&self) -> u64;

    /// Calls `each` with the hash of every leaf in `range`, in order. `range` is never beyond
    /// [`size`](LeafSource::size).
    fn for_each_leaf(&mut self, range: Range<u64>, each: &mut dyn FnMut(&Hash)) -> Result<()>;
}

impl LeafSource for &[Hash] {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn for_each_leaf(&mut self, range: Range<u64>, each: &mut dyn FnMut(&Hash)) -> Result<()> {
        let size = self.size();
        let start = usize::try_from(range.start).map_err(|_| beyond(range.start, size))?;
        let end = usize::try_from(range.end).map_err(|_| beyond(range.end, size))?;
        let leaves = self
            .get(start..end)
            .ok_or_else(|| beyond(range.end, size))?;
        leaves.iter().for_each(each);
        Ok(())
    }
}

impl LeafSource for Vec<Hash> {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn for_each_leaf(&mut self, range: Range<u64>, each: &mut dyn FnMut(&Hash)) -> Result<()> {
        self.as_slice().for_each_leaf(range, each)
    }
}

impl<S: LeafSource + ?Sized> LeafSource for &mut S {
    fn size(&self) -> u64 {
        (**self).size()
    }

    fn for_each_leaf(&mut self, range: Range<u64>, each: &mut dyn FnMut(&Hash)) -> Result<()> {
        (**self).for_each_leaf(range, each)
    }
}

fn beyond(size: u64, log_size: u64) -> Error {
    Error::invalid_query(format!(
        "tree size {size} is beyond the log, which has {log_size} records"
    ))
}

/// A [`LeafSource`] over a closure that returns the leaf hashes of `start..end`, called
/// with ranges of at most `batch` leaves: memory stays at one batch however long the log.
///
/// ```
/// use finmark::audit::{BatchedSource, Hash, MerkleTree, leaf_hash};
/// // Stand-in for `SELECT hash FROM audit WHERE seq >= ? AND seq < ? ORDER BY seq`.
/// let fetch = |start: u64, end: u64| -> finmark::Result<Vec<Hash>> {
///     Ok((start..end).map(|seq| leaf_hash(&seq.to_be_bytes())).collect())
/// };
/// let mut tree = MerkleTree::new(BatchedSource::new(1000, 100, fetch));
/// let proof = tree.inclusion_proof(999, 1000)?;
/// assert!(proof.verify().is_ok());
/// # Ok::<(), finmark::Error>(())
/// ```
pub struct BatchedSource<F> {
    size: u64,
    batch: u64,
    fetch: F,
}

impl<F> BatchedSource<F>
where
    F: FnMut(u64, u64) -> Result<Vec<Hash>>,
{
    /// A source of `size` leaves read through `fetch(start, end)`, `batch` leaves at a time
    /// (at least 1).
    pub fn new(size: u64, batch: u64, fetch: F) -> Self {
        BatchedSource {
            size,
            batch: batch.max(1),
            fetch,
        }
    }
}

impl<F> LeafSource for BatchedSource<F>
where
    F: FnMut(u64, u64) -> Result<Vec<Hash>>,
{
    fn size(&self) -> u64 {
        self.size
    }

    fn for_each_leaf(&mut self, range: Range<u64>, each: &mut dyn FnMut(&Hash)) -> Result<()> {
        let mut start = range.start;
        while start < range.end {
            let end = range.end.min(start.saturating_add(self.batch));
            let hashes = (self.fetch)(start, end)?;
            if hashes.len() as u64 != end - start {
                return Err(Error::storage(format!(
                    "the leaf source returned {} hashes for leaves {start}..{end}",
                    hashes.len()
                )));
            }
            hashes.iter().for_each(&mut *each);
            start = end;
        }
        Ok(())
    }
}

/// Leaves per cached subtree: perfect subtrees of height 8, the tile height of
/// c2sp.org/tlog-tiles.
pub const TILE_LEAVES: u64 = 256;
const TILE_HEIGHT: u32 = 8;

/// Hashes of the log's complete tiles (aligned perfect subtrees of [`TILE_LEAVES`] leaves),
/// so proofs and roots read a few hundred leaves instead of the whole log.
///
/// Bounded: it holds at most `max_tiles` hashes (32 bytes each; by default 2^20 tiles =
/// 32 MiB, enough for 268 million records); tiles beyond the limit are not cached and are
/// computed from their leaves when needed. Nothing is ever evicted, since a complete tile of
/// an append-only log never changes. A cache belongs to one log and trusts the leaves it was
/// filled from: keep it (it is serialisable) to make later proofs cheap, but never use it to
/// check the log — [`verify`](super::verify) recomputes everything.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubtreeCache {
    tiles: Vec<Hash>,
    max_tiles: usize,
}

impl Default for SubtreeCache {
    fn default() -> Self {
        Self::with_max_tiles(Self::DEFAULT_MAX_TILES)
    }
}

impl SubtreeCache {
    /// The default limit: 2^20 tiles (32 MiB).
    pub const DEFAULT_MAX_TILES: usize = 1 << 20;

    /// An empty cache with the default limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty cache of at most `max_tiles` tile hashes (0 disables caching).
    pub fn with_max_tiles(max_tiles: usize) -> Self {
        SubtreeCache {
            tiles: Vec::new(),
            max_tiles,
        }
    }

    /// How many leaves the cached tiles cover (from leaf 0).
    pub fn cached_leaves(&self) -> u64 {
        self.tiles.len() as u64 * TILE_LEAVES
    }
}

/// The RFC 6962 / RFC 9162 Merkle tree of a log, read from a [`LeafSource`].
///
/// Answers for any tree size up to the log's: [`root`](MerkleTree::root),
/// [`inclusion_proof`](MerkleTree::inclusion_proof) and
/// [`consistency_proof`](MerkleTree::consistency_proof). The first call reads the leaves once
/// to fill the [`SubtreeCache`]; after that a proof reads the other leaves of its leaf's
/// tile and the incomplete last tile (under 800 leaves in all) plus one cached hash per
/// tile, so at 1,000,000 records it costs about 8,000 node hashes. Memory beyond the cache
/// is O(log n).
///
/// ```
/// use finmark::audit::{MerkleTree, leaf_hash, verify_consistency, verify_inclusion};
/// let leaves: Vec<_> = (0u32..1000).map(|i| leaf_hash(&i.to_be_bytes())).collect();
/// let mut tree = MerkleTree::new(leaves);
/// let old_root = tree.root(600)?;
/// let proof = tree.consistency_proof(600, 1000)?;
/// assert_eq!(proof.old_root, old_root);
/// verify_consistency(600, 1000, &proof.path, &old_root, &tree.root(1000)?)?;
/// let inclusion = tree.inclusion_proof(42, 1000)?;
/// verify_inclusion(42, 1000, &inclusion.leaf_hash, &inclusion.path, &proof.root)?;
/// # Ok::<(), finmark::Error>(())
/// ```
pub struct MerkleTree<S> {
    source: S,
    cache: SubtreeCache,
}

impl<S: LeafSource> MerkleTree<S> {
    /// A tree over `source` with an empty cache of the default limit.
    pub fn new(source: S) -> Self {
        Self::with_cache(source, SubtreeCache::new())
    }

    /// A tree over `source` with a cache kept from earlier calls on the same log. Tiles the
    /// source no longer holds (a shorter log) are dropped.
    pub fn with_cache(source: S, mut cache: SubtreeCache) -> Self {
        let complete = source.size() / TILE_LEAVES;
        cache
            .tiles
            .truncate(usize::try_from(complete).unwrap_or(usize::MAX));
        MerkleTree { source, cache }
    }

    /// The number of leaves in the log.
    pub fn size(&self) -> u64 {
        self.source.size()
    }

    /// The source and the cache, to keep the cache for the next calls.
    pub fn into_parts(self) -> (S, SubtreeCache) {
        (self.source, self.cache)
    }

    /// The root of the tree of the first `tree_size` leaves ([`Hash::EMPTY_TREE`] for 0).
    pub fn root(&mut self, tree_size: u64) -> Result<Hash> {
        self.check_size(tree_size)?;
        self.fill_cache(tree_size)?;
        self.subtree_hash(0..tree_size)
    }

    /// The inclusion proof of leaf `leaf_index` in the tree of `tree_size` leaves.
    ///
    /// Errors ([`InvalidQuery`](crate::error::ErrorKind::InvalidQuery)): a tree size beyond the log,
    /// an index outside the tree.
    pub fn inclusion_proof(&mut self, leaf_index: u64, tree_size: u64) -> Result<InclusionProof> {
        self.check_size(tree_size)?;
        let ranges = inclusion_ranges(leaf_index, tree_size)?;
        self.fill_cache(tree_size)?;
        let path = self.hashes(&ranges)?;
        let mut leaf = Hash::ZERO;
        self.source
            .for_each_leaf(leaf_index..leaf_index + 1, &mut |hash| leaf = *hash)?;
        Ok(InclusionProof {
            leaf_index,
            tree_size,
            leaf_hash: leaf,
            path,
            root: self.subtree_hash(0..tree_size)?,
        })
    }

    /// The consistency proof from the tree of `old_size` leaves to the tree of `tree_size`
    /// leaves; empty when the sizes are equal.
    ///
    /// Errors ([`InvalidQuery`](crate::error::ErrorKind::InvalidQuery)): an old size of 0, an old
    /// size above the tree size, a tree size beyond the log.
    pub fn consistency_proof(&mut self, old_size: u64, tree_size: u64) -> Result<ConsistencyProof> {
        let ranges = consistency_ranges(old_size, tree_size)?;
        self.check_size(tree_size)?;
        self.fill_cache(tree_size)?;
        Ok(ConsistencyProof {
            old_size,
            tree_size,
            path: self.hashes(&ranges)?,
            old_root: self.subtree_hash(0..old_size)?,
            root: self.subtree_hash(0..tree_size)?,
        })
    }

    fn check_size(&self, tree_size: u64) -> Result<()> {
        if tree_size > self.source.size() {
            return Err(beyond(tree_size, self.source.size()));
        }
        Ok(())
    }

    fn hashes(&mut self, ranges: &[Range<u64>]) -> Result<Vec<Hash>> {
        ranges
            .iter()
            .map(|range| self.subtree_hash(range.clone()))
            .collect()
    }

    /// Caches every complete tile below `tree_size` that fits in the cache, reading their
    /// leaves once.
    fn fill_cache(&mut self, tree_size: u64) -> Result<()> {
        let limit = u64::try_from(self.cache.max_tiles).unwrap_or(u64::MAX);
        let wanted = (tree_size / TILE_LEAVES).min(limit);
        let have = self.cache.tiles.len() as u64;
        if wanted <= have {
            return Ok(());
        }
        let tiles = &mut self.cache.tiles;
        let mut tile = CompactRange::new();
        self.source
            .for_each_leaf(have * TILE_LEAVES..wanted * TILE_LEAVES, &mut |hash| {
                tile.push(*hash);
                if tile.size() == TILE_LEAVES {
                    tiles.push(tile.root());
                    tile = CompactRange::new();
                }
            })
    }

    /// The RFC 6962 hash of the leaves in `range`, from cached tiles where the range covers
    /// whole aligned tiles, from leaves elsewhere.
    fn subtree_hash(&mut self, range: Range<u64>) -> Result<Hash> {
        let mut acc = CompactRange::new();
        let mut next = range.start;
        if next.is_multiple_of(TILE_LEAVES) {
            while next + TILE_LEAVES <= range.end {
                let Some(tile) = usize::try_from(next / TILE_LEAVES)
                    .ok()
                    .and_then(|i| self.cache.tiles.get(i))
                else {
                    break;
                };
                acc.push_perfect(*tile, TILE_HEIGHT);
                next += TILE_LEAVES;
            }
        }
        self.source
            .for_each_leaf(next..range.end, &mut |hash| acc.push(*hash))?;
        Ok(acc.root())
    }
}
