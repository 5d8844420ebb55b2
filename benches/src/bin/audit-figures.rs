//! Audit log figures at 1,000,000 records, in memory: sealing records, a full verify
//! against a checkpoint, and inclusion and consistency proof generation (first call, which
//! fills the tile cache, then with the cache kept).
//!
//! ```text
//! cargo run --release -p finmark-benches --bin audit-figures -- [--records N] [--runs K]
//! ```

use std::time::{Duration, Instant};

use finmark::audit::{
    Actor, AuditEntry, AuditEvent, ChainHead, Checkpoint, Hash, MerkleTree, Origin, Outcome,
    SignerKey, SubtreeCache, Target, verify, verify_consistency, verify_inclusion,
};

fn main() -> finmark::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let records = value("--records", 1_000_000);
    let runs = value("--runs", 5).max(1) as usize;

    let events = events(records);
    let (entries, seal) = median(runs, || {
        let mut head = ChainHead::new();
        let start = Instant::now();
        let entries: Vec<AuditEntry> = events
            .iter()
            .map(|e| head.append(e.clone()))
            .collect::<finmark::Result<_>>()
            .expect("valid events");
        (entries, start.elapsed())
    });
    println!(
        "seal (canonical bytes + leaf hash) {records} records: {:.3} s, {:.0} records/s",
        seal.as_secs_f64(),
        records as f64 / seal.as_secs_f64()
    );

    let key = SignerKey::from_seed("bench.example/audit", [1; 32])?;
    let leaves: Vec<Hash> = entries.iter().map(AuditEntry::hash).collect();
    let root = MerkleTree::new(leaves.clone()).root(records)?;
    let note = Checkpoint::new(key.name(), records, root).sign(&key)?;
    let vkey = key.verifier();
    let (report, full) = median(runs, || {
        let start = Instant::now();
        let report = verify(&entries, Some((&note, &vkey))).expect("checkpoint parses");
        (report, start.elapsed())
    });
    assert!(report.intact, "{report:?}");
    println!(
        "full verify (chain + tree + checkpoint) of {records} records: {:.3} s",
        full.as_secs_f64()
    );

    let (_, cold) = median(runs, || {
        let mut tree = MerkleTree::new(leaves.as_slice());
        let start = Instant::now();
        tree.inclusion_proof(records / 3, records)
            .expect("in range");
        ((), start.elapsed())
    });
    println!(
        "first inclusion proof (fills the tile cache): {:.1} ms",
        ms(cold)
    );
    let (_, uncached) = median(runs, || {
        let mut tree = MerkleTree::with_cache(leaves.as_slice(), SubtreeCache::with_max_tiles(0));
        let start = Instant::now();
        tree.inclusion_proof(records / 3, records)
            .expect("in range");
        ((), start.elapsed())
    });
    println!("inclusion proof without a cache: {:.1} ms", ms(uncached));

    let mut tree = MerkleTree::new(leaves.as_slice());
    tree.root(records)?;
    let picks: Vec<u64> = (0..1000u64)
        .map(|i| i.wrapping_mul(2_654_435_761) % records)
        .collect();
    let (_, inclusion) = median(runs, || {
        let start = Instant::now();
        for &index in &picks {
            let proof = tree.inclusion_proof(index, records).expect("in range");
            assert_eq!(proof.root, root);
        }
        ((), start.elapsed() / picks.len() as u32)
    });
    println!(
        "inclusion proof at {records} with the cache: {:.1} µs per proof",
        us(inclusion)
    );
    let (_, consistency) = median(runs, || {
        let start = Instant::now();
        for &old in &picks {
            let proof = tree
                .consistency_proof(old.max(1), records)
                .expect("in range");
            assert_eq!(proof.root, root);
        }
        ((), start.elapsed() / picks.len() as u32)
    });
    println!(
        "consistency proof to {records} with the cache: {:.1} µs per proof",
        us(consistency)
    );

    let proofs: Vec<_> = picks
        .iter()
        .map(|&i| tree.inclusion_proof(i, records))
        .collect::<finmark::Result<_>>()?;
    let (_, check) = median(runs, || {
        let start = Instant::now();
        for p in &proofs {
            verify_inclusion(p.leaf_index, p.tree_size, &p.leaf_hash, &p.path, &root)
                .expect("valid proof");
        }
        ((), start.elapsed() / proofs.len() as u32)
    });
    let consistency_proofs: Vec<_> = picks
        .iter()
        .map(|&old| tree.consistency_proof(old.max(1), records))
        .collect::<finmark::Result<_>>()?;
    let (_, check_consistency) = median(runs, || {
        let start = Instant::now();
        for p in &consistency_proofs {
            verify_consistency(p.old_size, p.tree_size, &p.path, &p.old_root, &root)
                .expect("valid proof");
        }
        ((), start.elapsed() / consistency_proofs.len() as u32)
    });
    println!(
        "verify_inclusion: {:.1} µs, verify_consistency: {:.1} µs per proof",
        us(check),
        us(check_consistency)
    );
    Ok(())
}

/// Realistic records: the fields a door passes for an alert action, about 330 bytes each.
fn events(n: u64) -> Vec<AuditEvent> {
    (0..n)
        .map(|i| {
            let outcome = if i % 10 == 0 {
                Outcome::Denied {
                    reason: "missing permission alert.acknowledge".into(),
                }
            } else {
                Outcome::Success
            };
            AuditEvent::new(
                Actor::new(format!("user-{}", i % 50), ["analyst"]),
                "alert.acknowledge",
                Target::new("alert", format!("01J{i:020}")),
                outcome,
            )
            .at(
                chrono::DateTime::from_timestamp_micros(1_790_000_000_000_000 + i as i64 * 1000)
                    .expect("in range"),
            )
            .with_origin(Origin {
                ip: Some(std::net::IpAddr::from([10, 0, (i >> 8) as u8, i as u8])),
                request_id: Some(format!("req-{i}")),
                user_agent: Some("finmark-bench/1".into()),
            })
        })
        .collect()
}

/// Runs `f` `runs` times and returns the last result with the median duration.
fn median<T>(runs: usize, mut f: impl FnMut() -> (T, Duration)) -> (T, Duration) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let (value, time) = f();
        times.push(time);
        last = Some(value);
    }
    times.sort();
    (last.expect("at least one run"), times[runs / 2])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
