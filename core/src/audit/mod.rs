//! The tamper-evident audit log: records, hash chain, Merkle tree, signed checkpoints,
//! proofs and verification. Pure computation; the host stores the rows.
//!
//! - [`AuditEvent`] holds the six PCI DSS 10.2.2 fields (who, what, when, outcome, origin,
//!   target); [`ChainHead::append`] seals it into an [`AuditEntry`]: an [`AuditRecord`] with
//!   `seq`, `prev_hash` and its hash, the SHA-256 RFC 6962 leaf hash of the record's
//!   [canonical bytes](AuditRecord#canonical-bytes).
//! - [`MerkleTree`] computes roots, [`InclusionProof`]s and [`ConsistencyProof`]s from any
//!   [`LeafSource`] (memory or a database paged through [`BatchedSource`]), with a bounded
//!   [`SubtreeCache`]; [`verify_inclusion`] and [`verify_consistency`] check proofs without
//!   a database. [`CompactRange`] keeps a log's root up to date in O(log n).
//! - [`SignerKey`] and [`VerifierKey`] are Ed25519 keys in the note formats; a
//!   [`Checkpoint`] (c2sp.org/tlog-checkpoint) is signed as a c2sp.org/signed-note.
//! - [`verify`] (or [`LogVerifier`], streaming) recomputes the chain and the tree and
//!   reports the first divergent record, and checks a checkpoint kept outside.
//!
//! ```
//! use finmark::audit::{Actor, AuditEvent, ChainHead, Checkpoint, MerkleTree, Outcome, SignerKey, Target, verify};
//! let mut head = ChainHead::new();
//! let mut entries = Vec::new();
//! for id in ["a-1", "a-2", "a-3"] {
//!     let event = AuditEvent::new(Actor::new("alice", ["analyst"]), "alert.acknowledge",
//!         Target::new("alert", id), Outcome::Success);
//!     entries.push(head.append(event)?);
//! }
//! // Sign a checkpoint and keep it outside the database.
//! let key = SignerKey::generate("example.com/audit")?;
//! let leaves: Vec<_> = entries.iter().map(|e| e.hash()).collect();
//! let mut tree = MerkleTree::new(leaves);
//! let note = Checkpoint::new(key.name(), 3, tree.root(3)?).sign(&key)?;
//! // Later: prove record 1 is in the log, and check the log against the checkpoint.
//! let proof = tree.inclusion_proof(1, 3)?;
//! let checkpoint = Checkpoint::open(&note, &key.verifier())?;
//! finmark::audit::verify_inclusion(1, 3, &entries[1].hash(), &proof.path, &checkpoint.root)?;
//! assert!(verify(&entries, Some((&note, &key.verifier())))?.intact);
//! # Ok::<(), finmark::Error>(())
//! ```

mod checkpoint;
mod compact;
mod hash;
mod note;
mod proof;
mod record;
mod tree;
mod verify;

pub use checkpoint::Checkpoint;
pub use compact::CompactRange;
pub use hash::{Hash, leaf_hash, node_hash};
pub use note::{SignerKey, VerifierKey};
pub use proof::{
    ConsistencyProof, InclusionProof, consistency_ranges, inclusion_ranges, verify_consistency,
    verify_inclusion,
};
pub use record::{Actor, AuditEntry, AuditEvent, AuditRecord, ChainHead, Origin, Outcome, Target};
pub use tree::{BatchedSource, LeafSource, MerkleTree, SubtreeCache, TILE_LEAVES};
pub use verify::{
    CheckpointCheck, Divergence, DivergenceReason, LogVerifier, VerifyReport, verify,
};
