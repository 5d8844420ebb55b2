//! The compact range: the RFC 6962 root of a growing list of leaves in O(log n) memory.

use serde::{Deserialize, Serialize};

use super::hash::{Hash, node_hash};

/// The roots of the perfect subtrees that make up a list of leaves, left to right.
///
/// Push leaf hashes in order and ask for the [`root`](CompactRange::root) at any time: the
/// state is one hash per set bit of the size (at most 64), so a log of any length is summed
/// up in at most 2 KiB. Appending costs one node hash on average. It is serialisable, so a
/// host can keep the frontier of its log between appends and sign checkpoints without
/// reading the log again.
///
/// ```
/// use finmark::audit::{CompactRange, leaf_hash};
/// let mut range = CompactRange::new();
/// for data in [&b""[..], &[0x00], &[0x10]] {
///     range.push(leaf_hash(data));
/// }
/// // RFC 6962 root of the first three leaves of transparency-dev/merkle's test tree.
/// assert_eq!(
///     range.root().to_string(),
///     "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompactRange {
    size: u64,
    /// Roots of perfect subtrees, tallest (leftmost) first; one per set bit of `size`.
    nodes: Vec<Hash>,
}

impl CompactRange {
    /// An empty range.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of leaves pushed.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends one leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        self.push_perfect(leaf, 0);
    }

    /// Appends the root of a perfect subtree of `2^height` leaves. The range's size must be
    /// a multiple of `2^height` (the caller guarantees it; it holds for tiles pushed from an
    /// aligned start).
    pub(crate) fn push_perfect(&mut self, mut hash: Hash, height: u32) {
        debug_assert_eq!(self.size % (1 << height), 0);
        let mut bits = self.size >> height;
        while bits & 1 == 1 {
            // A left sibling of the same height is on top: merge.
            if let Some(left) = self.nodes.pop() {
                hash = node_hash(&left, &hash);
            }
            bits >>= 1;
        }
        self.nodes.push(hash);
        self.size += 1 << height;
    }

    /// The RFC 6962 Merkle tree hash of the leaves pushed so far ([`Hash::EMPTY_TREE`] when
    /// none). Costs one node hash per perfect subtree beyond the first.
    pub fn root(&self) -> Hash {
        let mut nodes = self.nodes.iter().rev();
        let Some(last) = nodes.next() else {
            return Hash::EMPTY_TREE;
        };
        nodes.fold(*last, |right, left| node_hash(left, &right))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::hash::leaf_hash;

    #[test]
    fn perfect_subtrees_merge_like_their_leaves() {
        let leaves: Vec<Hash> = (0u32..300).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        let mut by_leaf = CompactRange::new();
        for leaf in &leaves {
            by_leaf.push(*leaf);
        }
        let mut tile = CompactRange::new();
        for leaf in &leaves[..256] {
            tile.push(*leaf);
        }
        let mut by_tile = CompactRange::new();
        by_tile.push_perfect(tile.root(), 8);
        for leaf in &leaves[256..] {
            by_tile.push(*leaf);
        }
        assert_eq!(by_tile, by_leaf);
        // 300 = 256 + 32 + 8 + 4: four perfect subtrees.
        assert_eq!(by_leaf.nodes.len(), 4);
        assert_eq!(CompactRange::new().root(), Hash::EMPTY_TREE);
    }
}
