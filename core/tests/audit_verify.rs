//! Verifying an audit log: tampering with one record (content, hash, order, deletion,
//! insertion) is reported at the right sequence number, and a history rewritten with every
//! hash recomputed fails against a checkpoint kept outside.

use finmark::audit::{
    Actor, AuditEntry, AuditEvent, AuditRecord, ChainHead, Checkpoint, DivergenceReason,
    LogVerifier, MerkleTree, Origin, Outcome, SignerKey, Target, verify,
};

fn event(i: u64) -> AuditEvent {
    let outcome = match i % 3 {
        0 => Outcome::Success,
        1 => Outcome::Failure {
            reason: "alert already resolved".into(),
        },
        _ => Outcome::Denied {
            reason: "missing permission alert.acknowledge".into(),
        },
    };
    AuditEvent::new(
        Actor::new(format!("user-{}", i % 4), ["analyst"]),
        "alert.acknowledge",
        Target::new("alert", format!("a-{i}")),
        outcome,
    )
    .at(chrono::DateTime::from_timestamp(1_790_000_000 + i as i64, 0).unwrap())
    .with_origin(Origin {
        ip: Some("198.51.100.7".parse().unwrap()),
        request_id: Some(format!("req-{i}")),
        user_agent: None,
    })
}

fn log(n: u64) -> Vec<AuditEntry> {
    let mut head = ChainHead::new();
    (0..n).map(|i| head.append(event(i)).unwrap()).collect()
}

/// The entry at `seq` with its event changed by `change`, and its hash left as stored.
fn changed(entry: &AuditEntry, change: impl FnOnce(&mut AuditEvent)) -> AuditEntry {
    let record = entry.record();
    let mut event = record.event().clone();
    change(&mut event);
    let record = AuditRecord::from_parts(record.seq(), *record.prev_hash(), event).unwrap();
    AuditEntry::new(record, entry.hash())
}

fn first(entries: &[AuditEntry]) -> (u64, DivergenceReason) {
    let report = verify(entries, None).unwrap();
    assert!(!report.intact);
    let divergence = report.divergence.unwrap();
    (divergence.seq, divergence.reason)
}

#[test]
fn an_untouched_log_is_intact() {
    let entries = log(50);
    let report = verify(&entries, None).unwrap();
    assert!(report.intact, "{report:?}");
    assert_eq!(report.records, 50);
    assert_eq!(report.first_divergent_seq(), None);
    let leaves: Vec<_> = entries.iter().map(AuditEntry::hash).collect();
    assert_eq!(report.root, MerkleTree::new(leaves).root(50).unwrap());
    assert!(verify(&[], None).unwrap().intact);
}

#[test]
fn a_changed_record_is_reported_at_its_seq() {
    let mut entries = log(50);
    entries[17] = changed(&entries[17], |e| e.outcome = Outcome::Success);
    assert_eq!(first(&entries), (17, DivergenceReason::HashMismatch));

    let mut entries = log(50);
    entries[0] = changed(&entries[0], |e| e.actor.roles.push("admin".into()));
    assert_eq!(first(&entries), (0, DivergenceReason::HashMismatch));

    let mut entries = log(50);
    entries[49] = changed(&entries[49], |e| e.origin.ip = None);
    assert_eq!(first(&entries), (49, DivergenceReason::HashMismatch));
}

#[test]
fn a_changed_stored_hash_is_reported_at_its_seq() {
    let mut entries = log(50);
    let record = entries[30].record().clone();
    entries[30] = AuditEntry::new(record, finmark::audit::leaf_hash(b"forged"));
    assert_eq!(first(&entries), (30, DivergenceReason::HashMismatch));
}

#[test]
fn a_record_rehashed_after_a_change_breaks_the_next_link() {
    // The attacker changes record 12 and stores its new hash, but does not rewrite what
    // follows: record 13's prev_hash no longer matches.
    let mut entries = log(50);
    let tampered = changed(&entries[12], |e| e.target.id = "a-999".into());
    let rehashed = tampered.record().leaf_hash();
    entries[12] = AuditEntry::new(tampered.record().clone(), rehashed);
    assert_eq!(first(&entries), (13, DivergenceReason::PrevHashMismatch));
}

#[test]
fn reordered_deleted_and_inserted_records_are_reported() {
    let mut entries = log(50);
    entries.swap(20, 21);
    assert_eq!(first(&entries), (20, DivergenceReason::SeqMismatch));

    let mut entries = log(50);
    entries.remove(33);
    assert_eq!(first(&entries), (33, DivergenceReason::SeqMismatch));

    // A record inserted at 8 with a well-formed seq and link to record 7: the old record 8
    // now at position 9 carries seq 8.
    let mut entries = log(50);
    let mut head = ChainHead::after(&entries[7]);
    let inserted = head.append(event(1000)).unwrap();
    entries.insert(8, inserted);
    assert_eq!(first(&entries), (9, DivergenceReason::SeqMismatch));

    // The same insertion with the seq numbers after it renumbered: the old record 8 (now 9)
    // does not link to the inserted one.
    let renumbered: Vec<AuditEntry> = entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let record = entry.record();
            let moved =
                AuditRecord::from_parts(i as u64, *record.prev_hash(), record.event().clone())
                    .unwrap();
            let hash = moved.leaf_hash();
            AuditEntry::new(moved, hash)
        })
        .collect();
    assert_eq!(first(&renumbered), (9, DivergenceReason::PrevHashMismatch));
}

/// Rebuilds the log from `entries`' events with every seq, link and hash recomputed: what an
/// attacker with write access to the database can do.
fn rewrite(events: impl IntoIterator<Item = AuditEvent>) -> Vec<AuditEntry> {
    let mut head = ChainHead::new();
    events
        .into_iter()
        .map(|e| head.append(e).unwrap())
        .collect()
}

#[test]
fn a_rewritten_history_fails_against_an_old_checkpoint() {
    let key = SignerKey::from_seed("finmark.example/audit", [5; 32]).unwrap();
    let vkey = key.verifier();
    let entries = log(40);
    // The checkpoint at 30 records, kept outside the database.
    let root30 = verify(&entries[..30], None).unwrap().root;
    let note = Checkpoint::new(key.name(), 30, root30).sign(&key).unwrap();

    // The real log, grown since, extends the checkpoint.
    let report = verify(&entries, Some((&note, &vkey))).unwrap();
    assert!(report.intact, "{report:?}");
    let check = report.checkpoint.unwrap();
    assert!(check.signature_valid && check.matches);
    assert_eq!((check.tree_size, check.log_root), (Some(30), Some(root30)));

    // Record 12 changed and everything recomputed: the chain is consistent, the checkpoint
    // is not.
    let mut events: Vec<AuditEvent> = entries.iter().map(|e| e.record().event().clone()).collect();
    events[12].actor.id = "mallory".into();
    let rewritten = rewrite(events.clone());
    assert!(verify(&rewritten, None).unwrap().intact);
    let report = verify(&rewritten, Some((&note, &vkey))).unwrap();
    assert!(!report.intact);
    assert_eq!(report.divergence, None);
    let check = report.checkpoint.unwrap();
    assert!(check.signature_valid && !check.matches);
    assert!(check.problem.unwrap().contains("history was rewritten"));

    // A change after the checkpoint's size is not the checkpoint's business.
    let mut later = events.clone();
    later[12] = entries[12].record().event().clone();
    later[35].actor.id = "mallory".into();
    assert!(
        verify(&rewrite(later), Some((&note, &vkey)))
            .unwrap()
            .intact
    );

    // Records removed from the end, below the checkpoint's size.
    let report = verify(&entries[..25], Some((&note, &vkey))).unwrap();
    assert!(!report.intact);
    let divergence = report.divergence.unwrap();
    assert_eq!(
        (divergence.seq, divergence.reason),
        (25, DivergenceReason::Missing)
    );
}

#[test]
fn a_forged_or_foreign_checkpoint_is_reported() {
    let key = SignerKey::from_seed("finmark.example/audit", [5; 32]).unwrap();
    let entries = log(10);
    let root = verify(&entries, None).unwrap().root;
    let note = Checkpoint::new(key.name(), 10, root).sign(&key).unwrap();
    // The attacker edits the size in the note: the signature fails.
    let forged = note.replacen("\n10\n", "\n9\n", 1);
    let report = verify(&entries, Some((&forged, &key.verifier()))).unwrap();
    assert!(!report.intact);
    let check = report.checkpoint.unwrap();
    assert!(!check.signature_valid && !check.matches);
    // A checkpoint signed by another key with the same name.
    let impostor = SignerKey::from_seed("finmark.example/audit", [6; 32]).unwrap();
    let other = Checkpoint::new(impostor.name(), 10, root)
        .sign(&impostor)
        .unwrap();
    let report = verify(&entries, Some((&other, &key.verifier()))).unwrap();
    assert!(!report.checkpoint.unwrap().signature_valid);
    // Not a note at all: an error naming the checkpoint.
    let err = verify(&entries, Some(("garbage", &key.verifier()))).unwrap_err();
    assert_eq!(err.kind(), finmark::ErrorKind::InvalidQuery);
    assert!(
        err.message().starts_with("checkpoint: malformed note"),
        "{err}"
    );
}

#[test]
fn entries_read_back_from_json_verify_and_streaming_gives_the_same_report() {
    let entries = log(20);
    let lines: Vec<String> = entries
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    let mut streaming = LogVerifier::new();
    for line in &lines {
        let entry: AuditEntry = serde_json::from_str(line).unwrap();
        streaming.push(&entry);
    }
    assert_eq!(streaming.finish(), verify(&entries, None).unwrap());
    // The report's JSON shape.
    let mut tampered = entries.clone();
    tampered.remove(4);
    let json = serde_json::to_value(verify(&tampered, None).unwrap()).unwrap();
    assert_eq!(json["intact"], false);
    assert_eq!(json["divergence"]["seq"], 4);
    assert_eq!(json["divergence"]["reason"], "seq_mismatch");
    assert_eq!(json["checkpoint"], serde_json::Value::Null);
}
