//! RFC 9162 inclusion and consistency proofs: which subtrees they hold, their JSON shapes,
//! and stateless verifiers that need nothing but the proof and a trusted root.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::hash::{Hash, node_hash};
use crate::error::{Error, ErrorKind, Result};

/// An inclusion proof: `path` links the leaf at `leaf_index` to the root of the tree of the
/// first `tree_size` leaves (RFC 9162 section 2.1.3).
///
/// JSON: `{"leaf_index", "tree_size", "leaf_hash", "path": [...], "root"}` with hashes as
/// lowercase hex, the path bottom-up (the leaf's sibling first). Made by
/// [`MerkleTree::inclusion_proof`](super::MerkleTree::inclusion_proof), checked by
/// [`verify_inclusion`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InclusionProof {
    /// The leaf's 0-based index (the audit record's `seq`).
    pub leaf_index: u64,
    /// The size of the tree the proof is for.
    pub tree_size: u64,
    /// The leaf's RFC 6962 hash.
    pub leaf_hash: Hash,
    /// The audit path, bottom-up.
    pub path: Vec<Hash>,
    /// The root of the tree of `tree_size` leaves.
    pub root: Hash,
}

impl InclusionProof {
    /// Checks that `path` links `leaf_hash` to `root`. The proof alone proves nothing: compare
    /// `root` with one you trust (a verified checkpoint's), or use [`verify_inclusion`].
    pub fn verify(&self) -> Result<()> {
        verify_inclusion(
            self.leaf_index,
            self.tree_size,
            &self.leaf_hash,
            &self.path,
            &self.root,
        )
    }
}

/// A consistency proof: `path` shows that the tree of `old_size` leaves is a prefix of the
/// tree of `tree_size` leaves (RFC 9162 section 2.1.4).
///
/// JSON: `{"old_size", "tree_size", "path": [...], "old_root", "root"}`, hashes as lowercase
/// hex, the path bottom-up as RFC 9162 gives it. Made by
/// [`MerkleTree::consistency_proof`](super::MerkleTree::consistency_proof), checked by
/// [`verify_consistency`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsistencyProof {
    /// The size of the older tree (at least 1).
    pub old_size: u64,
    /// The size of the newer tree.
    pub tree_size: u64,
    /// The consistency path, bottom-up; empty when the sizes are equal.
    pub path: Vec<Hash>,
    /// The root of the older tree.
    pub old_root: Hash,
    /// The root of the newer tree.
    pub root: Hash,
}

impl ConsistencyProof {
    /// Checks that `path` links `old_root` to `root`. As with [`InclusionProof::verify`],
    /// compare the roots with trusted ones, or use [`verify_consistency`].
    pub fn verify(&self) -> Result<()> {
        verify_consistency(
            self.old_size,
            self.tree_size,
            &self.path,
            &self.old_root,
            &self.root,
        )
    }
}

/// The largest power of two strictly below `n` (n >= 2): where RFC 6962 splits a tree.
fn split(n: u64) -> u64 {
    1 << (63 - (n - 1).leading_zeros())
}

/// The leaf ranges whose tree hashes make up the inclusion path of `leaf_index` in the tree
/// of `tree_size` leaves, bottom-up: element `i` of the proof is the RFC 6962 hash of the
/// leaves in range `i`. RFC 9162 `PATH(m, D[n])`.
///
/// Use it to fetch only what a proof needs (at most 64 ranges); [`MerkleTree`] calls it.
///
/// ```
/// // Leaf 6 of 8 (transparency-dev/merkle's proof vector): leaf 7, leaves 4..6, leaves 0..4.
/// assert_eq!(finmark::audit::inclusion_ranges(6, 8).unwrap(), vec![7..8, 4..6, 0..4]);
/// ```
///
/// [`MerkleTree`]: super::MerkleTree
pub fn inclusion_ranges(leaf_index: u64, tree_size: u64) -> Result<Vec<Range<u64>>> {
    if leaf_index >= tree_size {
        return Err(Error::invalid_query(format!(
            "leaf index {leaf_index} is not in a tree of size {tree_size} (indices are 0-based)"
        )));
    }
    let (mut lo, mut hi) = (0, tree_size);
    let mut ranges = Vec::new();
    while hi - lo > 1 {
        let mid = lo + split(hi - lo);
        if leaf_index < mid {
            ranges.push(mid..hi);
            hi = mid;
        } else {
            ranges.push(lo..mid);
            lo = mid;
        }
    }
    ranges.reverse();
    Ok(ranges)
}

/// The leaf ranges whose tree hashes make up the consistency path from `old_size` to
/// `tree_size`, bottom-up. RFC 9162 `PROOF(m, D[n])`; empty when the sizes are equal.
///
/// ```
/// // 6 to 8 (transparency-dev/merkle's proof vector): leaves 4..6, 6..8, 0..4.
/// assert_eq!(finmark::audit::consistency_ranges(6, 8).unwrap(), vec![4..6, 6..8, 0..4]);
/// assert!(finmark::audit::consistency_ranges(0, 8).is_err());
/// ```
pub fn consistency_ranges(old_size: u64, tree_size: u64) -> Result<Vec<Range<u64>>> {
    check_consistency_sizes(old_size, tree_size)?;
    let (mut lo, mut hi, mut whole_old_tree_known) = (0, tree_size, true);
    let mut ranges = Vec::new();
    loop {
        let old_in_subtree = old_size - lo;
        if old_in_subtree == hi - lo {
            // SUBPROOF(m, D[m], b): the old tree's root is known to the verifier only at the
            // top level (b = true); below, the subtree itself is part of the proof.
            if !whole_old_tree_known {
                ranges.push(lo..hi);
            }
            break;
        }
        let mid = lo + split(hi - lo);
        if old_size <= mid {
            ranges.push(mid..hi);
            hi = mid;
        } else {
            ranges.push(lo..mid);
            lo = mid;
            whole_old_tree_known = false;
        }
    }
    ranges.reverse();
    Ok(ranges)
}

fn check_consistency_sizes(old_size: u64, tree_size: u64) -> Result<()> {
    if old_size == 0 {
        return Err(Error::invalid_query(
            "a consistency proof needs an old size of at least 1 (every tree extends the empty one)",
        ));
    }
    if old_size > tree_size {
        return Err(Error::invalid_query(format!(
            "old size {old_size} is larger than the tree size {tree_size}"
        )));
    }
    Ok(())
}

fn mismatch(what: &str) -> Error {
    Error::new(ErrorKind::Integrity, what.to_string())
}

/// Checks an inclusion proof against a trusted `root` (RFC 9162 section 2.1.3.2).
///
/// `Ok(())` when `path` links `leaf_hash` at `leaf_index` to `root` in the tree of
/// `tree_size` leaves; an [`ErrorKind::InvalidQuery`] error when the index is outside the
/// tree, an [`ErrorKind::Integrity`] error when the proof does not verify. Costs one SHA-256
/// per path element; needs no database.
///
/// ```
/// use finmark::audit::{Hash, leaf_hash, node_hash, verify_inclusion};
/// let (a, b) = (leaf_hash(b"a"), leaf_hash(b"b"));
/// let root = node_hash(&a, &b);
/// assert!(verify_inclusion(1, 2, &b, &[a], &root).is_ok());
/// assert!(verify_inclusion(0, 2, &b, &[a], &root).is_err());
/// ```
pub fn verify_inclusion(
    leaf_index: u64,
    tree_size: u64,
    leaf_hash: &Hash,
    path: &[Hash],
    root: &Hash,
) -> Result<()> {
    if leaf_index >= tree_size {
        return Err(Error::invalid_query(format!(
            "leaf index {leaf_index} is not in a tree of size {tree_size}"
        )));
    }
    let (mut fnode, mut snode) = (leaf_index, tree_size - 1);
    let mut hash = *leaf_hash;
    for sibling in path {
        if snode == 0 {
            return Err(mismatch("inclusion proof is longer than the tree is high"));
        }
        if fnode & 1 == 1 || fnode == snode {
            hash = node_hash(sibling, &hash);
            if fnode & 1 == 0 {
                // The node is the last of its level and has no right sibling: climb to where
                // it is a right child (or to the top).
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            hash = node_hash(&hash, sibling);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(mismatch(
            "inclusion proof is shorter than the path to the root",
        ));
    }
    if hash != *root {
        return Err(mismatch(
            "inclusion proof does not lead to the root: the leaf is not in the tree",
        ));
    }
    Ok(())
}

/// Checks a consistency proof between two trusted roots (RFC 9162 section 2.1.4.2).
///
/// `Ok(())` when `path` shows the tree of `old_size` leaves with root `old_root` is a prefix
/// of the tree of `tree_size` leaves with root `root`. Equal sizes need an empty path and
/// equal roots. An old size of 0 or one above `tree_size` is an [`ErrorKind::InvalidQuery`]
/// error; a proof that does not verify an [`ErrorKind::Integrity`] error.
///
/// ```
/// use finmark::audit::{leaf_hash, node_hash, verify_consistency};
/// let (a, b) = (leaf_hash(b"a"), leaf_hash(b"b"));
/// assert!(verify_consistency(1, 2, &[b], &a, &node_hash(&a, &b)).is_ok());
/// assert!(verify_consistency(1, 2, &[a], &a, &node_hash(&a, &b)).is_err());
/// ```
pub fn verify_consistency(
    old_size: u64,
    tree_size: u64,
    path: &[Hash],
    old_root: &Hash,
    root: &Hash,
) -> Result<()> {
    check_consistency_sizes(old_size, tree_size)?;
    if old_size == tree_size {
        if !path.is_empty() {
            return Err(mismatch(
                "consistency proof between equal sizes must be empty",
            ));
        }
        if old_root != root {
            return Err(mismatch("the two roots of one tree size differ"));
        }
        return Ok(());
    }
    // An old tree that is a perfect subtree is its own first node; otherwise the proof
    // starts with the rightmost perfect subtree of the old tree.
    let (seed, rest) = if old_size.is_power_of_two() {
        (old_root, path)
    } else {
        match path.split_first() {
            Some((first, rest)) => (first, rest),
            None => return Err(mismatch("consistency proof is empty")),
        }
    };
    let (mut fnode, mut snode) = (old_size - 1, tree_size - 1);
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    let (mut old_hash, mut new_hash) = (*seed, *seed);
    for node in rest {
        if snode == 0 {
            return Err(mismatch(
                "consistency proof is longer than the tree is high",
            ));
        }
        if fnode & 1 == 1 || fnode == snode {
            old_hash = node_hash(node, &old_hash);
            new_hash = node_hash(node, &new_hash);
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            new_hash = node_hash(&new_hash, node);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(mismatch("consistency proof is too short"));
    }
    if old_hash != *old_root {
        return Err(mismatch(
            "consistency proof does not lead to the old root: the old tree is not a prefix",
        ));
    }
    if new_hash != *root {
        return Err(mismatch(
            "consistency proof does not lead to the new root: the new tree does not extend the old",
        ));
    }
    Ok(())
}
