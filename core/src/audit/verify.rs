//! Verification of a whole log: the hash chain, the Merkle tree, and a checkpoint kept
//! outside the database.

use serde::{Deserialize, Serialize};

use super::checkpoint::Checkpoint;
use super::compact::CompactRange;
use super::hash::{Hash, leaf_hash};
use super::note::VerifierKey;
use super::record::AuditEntry;
use crate::error::{ErrorKind, Result};

/// What the verification found: the first divergent record, the log's root, and the
/// checkpoint's check. JSON keys as the field names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyReport {
    /// True when no record diverges and the checkpoint (if one was given) checks out.
    pub intact: bool,
    /// How many records were read.
    pub records: u64,
    /// The RFC 6962 root over the records' recomputed leaf hashes (the root a checkpoint of
    /// this log would sign, if the log is intact).
    pub root: Hash,
    /// The first record that does not match what the records before it and its own content
    /// give, if any.
    pub divergence: Option<Divergence>,
    /// The checkpoint's check, if a checkpoint was given.
    pub checkpoint: Option<CheckpointCheck>,
}

impl VerifyReport {
    /// The sequence number of the first divergent record, if any.
    pub fn first_divergent_seq(&self) -> Option<u64> {
        self.divergence.as_ref().map(|d| d.seq)
    }
}

/// The first record that breaks the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Divergence {
    /// The sequence number the log should have at that place (its 0-based position).
    pub seq: u64,
    /// What is wrong there.
    pub reason: DivergenceReason,
    /// The same in words, with the hashes involved.
    pub detail: String,
}

/// Why a record diverges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DivergenceReason {
    /// The record at this position carries another `seq`: a record was deleted, inserted or
    /// moved.
    SeqMismatch,
    /// The record's `prev_hash` is not the hash of the record before it.
    PrevHashMismatch,
    /// The record's stored hash is not the hash of its content: it was changed.
    HashMismatch,
    /// The log ends before the checkpoint's tree size: records were removed at the end.
    Missing,
}

/// The check of a checkpoint saved outside the database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointCheck {
    /// Whether the note carries a valid signature by the verifier key (and names the key as
    /// its origin). When false, nothing else of the note is trusted or reported.
    pub signature_valid: bool,
    /// The checkpoint's tree size (when the signature is valid).
    pub tree_size: Option<u64>,
    /// The checkpoint's root (when the signature is valid).
    pub root: Option<Hash>,
    /// The root of the log's first `tree_size` recomputed leaves (when the log has them).
    pub log_root: Option<Hash>,
    /// True when the signature is valid and the log's first `tree_size` leaves hash to the
    /// checkpoint's root: the log extends the checkpoint.
    pub matches: bool,
    /// Why it does not match, in words.
    pub problem: Option<String>,
}

/// Checks a log record by record in O(log n) memory: feed it the entries in `seq` order
/// (for example page by page from storage), then [`finish`](LogVerifier::finish).
///
/// For each position n it checks that the entry's `seq` is n, that its `prev_hash` is the
/// hash recomputed for position n−1, and that its stored hash is the hash of its content;
/// the first failure is the report's [`Divergence`]. It builds the Merkle tree over the
/// recomputed hashes, and with a checkpoint it checks the signature and that the first
/// `tree_size` leaves hash to the checkpoint's root, which catches a history rewritten with
/// every hash recomputed. Costs one canonical serialisation and about two SHA-256 per record.
///
/// ```
/// use finmark::audit::{Actor, AuditEvent, ChainHead, LogVerifier, Outcome, Target};
/// let mut head = ChainHead::new();
/// let entries: Vec<_> = (0..3)
///     .map(|i| {
///         let event = AuditEvent::new(
///             Actor::new("alice", ["analyst"]),
///             "alert.read",
///             Target::new("alert", format!("a-{i}")),
///             Outcome::Success,
///         );
///         head.append(event)
///     })
///     .collect::<finmark::Result<_>>()?;
/// let mut verifier = LogVerifier::new();
/// for entry in &entries {
///     verifier.push(entry);
/// }
/// let report = verifier.finish();
/// assert!(report.intact);
/// assert_eq!(report.records, 3);
/// # Ok::<(), finmark::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct LogVerifier {
    position: u64,
    prev: Hash,
    tree: CompactRange,
    divergence: Option<Divergence>,
    checkpoint: Option<Expected>,
    buffer: Vec<u8>,
}

/// A checkpoint being checked.
#[derive(Debug)]
enum Expected {
    /// The signature failed: nothing to compare.
    BadSignature(String),
    /// A verified checkpoint and, once the log reached its size, the log's root there.
    Verified {
        checkpoint: Checkpoint,
        log_root: Option<Hash>,
    },
}

impl LogVerifier {
    /// A verifier without a checkpoint.
    pub fn new() -> Self {
        Self::default()
    }

    /// A verifier that also checks the signed checkpoint `note` with `key`. A malformed note
    /// or key is an error; a bad signature is reported, not an error.
    pub fn with_checkpoint(note: &str, key: &VerifierKey) -> Result<Self> {
        let expected = match Checkpoint::open(note, key) {
            Ok(checkpoint) => {
                let log_root = (checkpoint.tree_size == 0).then_some(Hash::EMPTY_TREE);
                Expected::Verified {
                    checkpoint,
                    log_root,
                }
            }
            Err(e) if e.kind() == ErrorKind::Integrity => {
                Expected::BadSignature(e.message().to_string())
            }
            Err(e) => return Err(e.context("checkpoint")),
        };
        Ok(LogVerifier {
            checkpoint: Some(expected),
            ..Self::default()
        })
    }

    /// Checks the next entry.
    pub fn push(&mut self, entry: &AuditEntry) {
        let record = entry.record();
        let position = self.position;
        self.buffer.clear();
        record.write_canonical(&mut self.buffer);
        let computed = leaf_hash(&self.buffer);
        if self.divergence.is_none() {
            let found = if record.seq() != position {
                Some((
                    DivergenceReason::SeqMismatch,
                    format!(
                        "position {position} holds record seq {}: a record is missing, inserted or out of order",
                        record.seq()
                    ),
                ))
            } else if *record.prev_hash() != self.prev {
                Some((
                    DivergenceReason::PrevHashMismatch,
                    format!(
                        "record {position} has prev_hash {} but the record before it hashes to {}",
                        record.prev_hash(),
                        self.prev
                    ),
                ))
            } else if entry.hash() != computed {
                Some((
                    DivergenceReason::HashMismatch,
                    format!(
                        "record {position} is stored with hash {} but its content hashes to {computed}",
                        entry.hash()
                    ),
                ))
            } else {
                None
            };
            self.divergence = found.map(|(reason, detail)| Divergence {
                seq: position,
                reason,
                detail,
            });
        }
        self.prev = computed;
        self.tree.push(computed);
        self.position += 1;
        if let Some(Expected::Verified {
            checkpoint,
            log_root,
        }) = &mut self.checkpoint
            && checkpoint.tree_size == self.position
        {
            *log_root = Some(self.tree.root());
        }
    }

    /// The report.
    pub fn finish(self) -> VerifyReport {
        let records = self.position;
        let mut divergence = self.divergence;
        let checkpoint = self.checkpoint.map(|expected| match expected {
            Expected::BadSignature(problem) => CheckpointCheck {
                signature_valid: false,
                tree_size: None,
                root: None,
                log_root: None,
                matches: false,
                problem: Some(problem),
            },
            Expected::Verified {
                checkpoint,
                log_root,
            } => {
                let problem = match log_root {
                    None => {
                        divergence.get_or_insert_with(|| Divergence {
                            seq: records,
                            reason: DivergenceReason::Missing,
                            detail: format!(
                                "the log has {records} records but the checkpoint covers {}",
                                checkpoint.tree_size
                            ),
                        });
                        Some(format!(
                            "the log has {records} records, fewer than the checkpoint's {}",
                            checkpoint.tree_size
                        ))
                    }
                    Some(root) if root != checkpoint.root => Some(format!(
                        "the log's first {} records hash to {root}, the checkpoint's root is {}: the history was rewritten",
                        checkpoint.tree_size, checkpoint.root
                    )),
                    Some(_) => None,
                };
                CheckpointCheck {
                    signature_valid: true,
                    tree_size: Some(checkpoint.tree_size),
                    root: Some(checkpoint.root),
                    log_root,
                    matches: problem.is_none(),
                    problem,
                }
            }
        });
        VerifyReport {
            intact: divergence.is_none() && checkpoint.as_ref().is_none_or(|c| c.matches),
            records,
            root: self.tree.root(),
            divergence,
            checkpoint,
        }
    }
}

/// Verifies a whole log held in memory, optionally against a signed checkpoint note and
/// its verifier key: [`LogVerifier`] in one call.
///
/// ```
/// use finmark::audit::{verify, Actor, AuditEvent, ChainHead, Checkpoint, Outcome, SignerKey, Target};
/// let key = SignerKey::from_seed("example.com/audit", [9; 32])?;
/// let mut head = ChainHead::new();
/// let event = AuditEvent::new(Actor::new("svc", ["system"]), "rule.update", Target::new("rule", "r1"), Outcome::Success);
/// let entries = vec![head.append(event)?];
/// let report = verify(&entries, None)?;
/// let note = Checkpoint::new(key.name(), 1, report.root).sign(&key)?;
/// let checked = verify(&entries, Some((&note, &key.verifier())))?;
/// assert!(checked.intact && checked.checkpoint.unwrap().matches);
/// # Ok::<(), finmark::Error>(())
/// ```
pub fn verify<'a>(
    entries: impl IntoIterator<Item = &'a AuditEntry>,
    checkpoint: Option<(&str, &VerifierKey)>,
) -> Result<VerifyReport> {
    let mut verifier = match checkpoint {
        Some((note, key)) => LogVerifier::with_checkpoint(note, key)?,
        None => LogVerifier::new(),
    };
    for entry in entries {
        verifier.push(entry);
    }
    Ok(verifier.finish())
}
