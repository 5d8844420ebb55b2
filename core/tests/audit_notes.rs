//! Signed notes and checkpoints against an independent implementation: Cloudflare's
//! `signed_note` and `tlog_tiles` crates (ports of golang.org/x/mod/sumdb/note and
//! sumdb/tlog), in both directions, and the published examples of c2sp.org and
//! golang.org/x/mod.

use finmark::ErrorKind;
use finmark::audit::{Checkpoint, Hash, MerkleTree, SignerKey, VerifierKey, leaf_hash};
use signed_note::{Note, StandardSigner, StandardVerifier, VerifierList};

fn their_verifiers(vkey: &str) -> VerifierList {
    VerifierList::new(vec![Box::new(StandardVerifier::new(vkey).unwrap())])
}

fn checkpoint_note(key: &SignerKey, size: u32) -> (Checkpoint, String) {
    let leaves: Vec<Hash> = (0..size).map(|i| leaf_hash(&i.to_be_bytes())).collect();
    let root = MerkleTree::new(leaves).root(u64::from(size)).unwrap();
    let checkpoint = Checkpoint::new(key.name(), u64::from(size), root);
    let note = checkpoint.sign(key).unwrap();
    (checkpoint, note)
}

#[test]
fn their_code_reads_our_keys_and_verifies_our_checkpoints() {
    let key = SignerKey::generate("finmark.example/audit-log").unwrap();
    let (checkpoint, note) = checkpoint_note(&key, 1000);

    // Our key text forms parse as theirs, with the same key id.
    let their_signer = StandardSigner::new(&key.to_string()).unwrap();
    let their_verifier = StandardVerifier::new(&key.verifier().to_string()).unwrap();
    use signed_note::{Signer as _, Verifier as _};
    assert_eq!(their_signer.key_id(), key.key_id());
    assert_eq!(their_verifier.key_id(), key.key_id());
    assert_eq!(their_verifier.name(), key.name());

    let parsed = Note::from_bytes(note.as_bytes()).unwrap();
    let (verified, unverified) = parsed
        .verify(&their_verifiers(&key.verifier().to_string()))
        .unwrap();
    assert_eq!((verified.len(), unverified.len()), (1, 0));

    // Their checkpoint parser reads our body.
    let theirs = tlog_tiles::Checkpoint::from_bytes(parsed.text()).unwrap();
    assert_eq!(theirs.origin(), key.name());
    assert_eq!(theirs.size(), 1000);
    assert_eq!(theirs.hash().0, *checkpoint.root.as_bytes());

    // A changed tree size fails their verification.
    let forged = note.replacen("\n1000\n", "\n1001\n", 1);
    let parsed = Note::from_bytes(forged.as_bytes()).unwrap();
    assert!(
        parsed
            .verify(&their_verifiers(&key.verifier().to_string()))
            .is_err()
    );
}

#[test]
fn our_code_verifies_their_signatures() {
    let key = SignerKey::from_seed("example.com/log", [42; 32]).unwrap();
    let leaves: Vec<Hash> = (0u32..77).map(|i| leaf_hash(&i.to_be_bytes())).collect();
    let root = MerkleTree::new(leaves).root(77).unwrap();
    let body = tlog_tiles::Checkpoint::new(
        "example.com/log",
        77,
        tlog_tiles::Hash(*root.as_bytes()),
        "",
    )
    .unwrap()
    .to_bytes();
    let their_signer = StandardSigner::new(&key.to_string()).unwrap();
    let mut note = Note::new(&body, &[]).unwrap();
    note.add_sigs(&[&their_signer]).unwrap();
    let text = String::from_utf8(note.to_bytes()).unwrap();

    let opened = Checkpoint::open(&text, &key.verifier()).unwrap();
    assert_eq!(
        (opened.origin.as_str(), opened.tree_size, opened.root),
        ("example.com/log", 77, root)
    );
    // Ed25519 is deterministic: both sides write the very same note.
    assert_eq!(
        text,
        Checkpoint::new("example.com/log", 77, root)
            .sign(&key)
            .unwrap()
    );

    // Their note with another, unknown signature as well still opens; ours is needed.
    let other = SignerKey::from_seed("example.com/witness", [7; 32]).unwrap();
    let their_other = StandardSigner::new(&other.to_string()).unwrap();
    note.add_sigs(&[&their_other]).unwrap();
    let cosigned = String::from_utf8(note.to_bytes()).unwrap();
    assert_eq!(
        Checkpoint::open(&cosigned, &key.verifier()).unwrap(),
        opened
    );
    let err = Checkpoint::open(
        &cosigned,
        &SignerKey::from_seed("example.com/log", [1; 32])
            .unwrap()
            .verifier(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Integrity);
}

#[test]
fn the_published_examples_verify() {
    // c2sp.org/signed-note's example key and note.
    let key: VerifierKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
        .parse()
        .unwrap();
    let note = "This is an example message.\n\n\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
    assert_eq!(
        key.open_note(note).unwrap(),
        "This is an example message.\n"
    );
    assert_eq!(key.key_id(), 0x530d903a);

    // golang.org/x/mod/sumdb/note note_test.go: the signer key, its verifier, and a note
    // signed by two keys.
    let peter: SignerKey =
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
            .parse()
            .unwrap();
    let enoch: VerifierKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
        .parse()
        .unwrap();
    let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    let both = format!(
        "{text}\n\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
    );
    assert_eq!(peter.verifier().open_note(&both).unwrap(), text);
    assert_eq!(enoch.open_note(&both).unwrap(), text);
    // The same key pair through their code: same id and same signature.
    let mut theirs = Note::new(text.as_bytes(), &[]).unwrap();
    theirs
        .add_sigs(&[&StandardSigner::new(&peter.to_string()).unwrap()])
        .unwrap();
    assert_eq!(
        String::from_utf8(theirs.to_bytes()).unwrap(),
        peter.sign_note(text).unwrap()
    );
}

#[test]
fn keys_from_a_seed_are_fixed_and_fresh_keys_differ() {
    let a = SignerKey::from_seed("example.com/audit", [0; 32]).unwrap();
    let b = SignerKey::from_seed("example.com/audit", [0; 32]).unwrap();
    assert_eq!(a.to_string(), b.to_string());
    assert_eq!(
        a.to_string(),
        "PRIVATE+KEY+example.com/audit+".to_string()
            + &format!("{:08x}", a.key_id())
            + "+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    );
    let fresh = SignerKey::generate("example.com/audit").unwrap();
    let again = SignerKey::generate("example.com/audit").unwrap();
    assert_ne!(fresh.to_string(), again.to_string());
    // The verifier text parses back to the same key.
    let vkey = fresh.verifier().to_string();
    assert_eq!(vkey.parse::<VerifierKey>().unwrap(), fresh.verifier());
    assert!(vkey.starts_with(&format!("example.com/audit+{:08x}+A", fresh.key_id())));
}
