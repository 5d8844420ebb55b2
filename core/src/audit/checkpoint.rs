//! Checkpoints in the c2sp.org/tlog-checkpoint format: origin, tree size and root hash,
//! signed as a note.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};

use super::hash::Hash;
use super::note::{SignerKey, VerifierKey};
use crate::error::{Error, Result};

/// A log's tree head: the origin (the signing key's name), the tree size and its root.
///
/// The note text is exactly three lines, `<origin>\n<tree size>\n<base64 root>\n` (extension
/// lines of other logs are read and kept, never written by finmark). JSON:
/// `{"origin", "tree_size", "root"}`, the root as lowercase hex.
///
/// ```
/// use finmark::audit::{Checkpoint, Hash, SignerKey};
/// let key = SignerKey::from_seed("example.com/audit", [7; 32])?;
/// let note = Checkpoint::new(key.name(), 0, Hash::EMPTY_TREE).sign(&key)?;
/// assert!(note.starts_with("example.com/audit\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n\u{2014} example.com/audit "));
/// let opened = Checkpoint::open(&note, &key.verifier())?;
/// assert_eq!(opened.tree_size, 0);
/// # Ok::<(), finmark::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The log's identity; for finmark's logs the signing key's name.
    pub origin: String,
    /// The number of leaves.
    pub tree_size: u64,
    /// The RFC 6962 root of the first `tree_size` leaves.
    pub root: Hash,
    /// Extension lines after the root (other logs' checkpoints may carry some).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// A checkpoint without extension lines.
    pub fn new(origin: impl Into<String>, tree_size: u64, root: Hash) -> Self {
        Checkpoint {
            origin: origin.into(),
            tree_size,
            root,
            extensions: Vec::new(),
        }
    }

    /// The note text: origin, tree size, base64 root, extension lines, each ending in `\n`.
    pub fn body(&self) -> String {
        let mut body = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.tree_size,
            BASE64.encode(self.root.as_bytes())
        );
        for line in &self.extensions {
            body.push_str(line);
            body.push('\n');
        }
        body
    }

    /// Reads a checkpoint's note text (strictly: a non-empty origin, a decimal size without
    /// leading zeros, a base64 root of 32 bytes, non-empty extension lines).
    pub fn parse_body(text: &str) -> Result<Checkpoint> {
        let malformed = |why: String| Error::invalid_query(format!("malformed checkpoint: {why}"));
        let Some(text) = text.strip_suffix('\n') else {
            return Err(malformed("it does not end with a newline".into()));
        };
        let mut lines = text.split('\n');
        let (Some(origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next())
        else {
            return Err(malformed(
                "it needs three lines: origin, tree size, root hash".into(),
            ));
        };
        if origin.is_empty() {
            return Err(malformed("the origin line is empty".into()));
        }
        let canonical_number = size == "0" || (!size.starts_with('0') && !size.is_empty());
        let tree_size = size
            .parse::<u64>()
            .ok()
            .filter(|_| canonical_number && size.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                malformed(format!(
                    "tree size '{size}' is not a decimal number without leading zeros"
                ))
            })?;
        let root_bytes = BASE64
            .decode(root)
            .map_err(|e| malformed(format!("root hash '{root}' is not base64: {e}")))?;
        let root = Hash::from_slice(&root_bytes, "the root hash")
            .map_err(|e| malformed(e.message().to_string()))?;
        let extensions: Vec<String> = lines.map(str::to_string).collect();
        if extensions.iter().any(String::is_empty) {
            return Err(malformed("an extension line is empty".into()));
        }
        Ok(Checkpoint {
            origin: origin.to_string(),
            tree_size,
            root,
            extensions,
        })
    }

    /// The signed note `finmark audit checkpoint` prints: the body, a blank line and the
    /// signature line. The origin must be the key's name.
    pub fn sign(&self, key: &SignerKey) -> Result<String> {
        if self.origin != key.name() {
            return Err(Error::invalid_query(format!(
                "checkpoint origin '{}' is not the signing key's name '{}'",
                self.origin,
                key.name()
            )));
        }
        key.sign_note(&self.body())
    }

    /// Verifies a signed checkpoint note with `key` and reads it. The origin must be the
    /// key's name. Malformed input is an `InvalidQuery` error; a missing or bad signature,
    /// or another origin, an `Integrity` error.
    pub fn open(note: &str, key: &VerifierKey) -> Result<Checkpoint> {
        let text = key.open_note(note)?;
        let checkpoint = Checkpoint::parse_body(text)?;
        if checkpoint.origin != key.name() {
            return Err(Error::new(
                crate::error::ErrorKind::Integrity,
                format!(
                    "checkpoint origin '{}' is not the key's name '{}'",
                    checkpoint.origin,
                    key.name()
                ),
            ));
        }
        Ok(checkpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_example_body_parses() {
        // c2sp.org/tlog-checkpoint's example.
        let text =
            "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
        let checkpoint = Checkpoint::parse_body(text).unwrap();
        assert_eq!(checkpoint.origin, "example.com/behind-the-sofa");
        assert_eq!(checkpoint.tree_size, 20852163);
        assert_eq!(
            checkpoint.root.to_string(),
            "0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62"
        );
        assert_eq!(checkpoint.body(), text);
    }

    #[test]
    fn malformed_bodies_are_refused() {
        let root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
        for bad in [
            format!("o\n1\n{root}"),
            "o\n1\n".to_string(),
            format!("\n1\n{root}\n"),
            format!("o\n01\n{root}\n"),
            format!("o\n+1\n{root}\n"),
            format!("o\n\n{root}\n"),
            "o\n1\nAAAA\n".to_string(),
            format!("o\n1\n{root}\n\n"),
        ] {
            let err = Checkpoint::parse_body(&bad).unwrap_err();
            assert!(
                err.message().starts_with("malformed checkpoint"),
                "{bad:?}: {err}"
            );
        }
        let with_extension = format!("o\n1\n{root}\nextra\n");
        assert_eq!(
            Checkpoint::parse_body(&with_extension).unwrap().extensions,
            ["extra"]
        );
    }

    #[test]
    fn the_origin_is_the_key_name() {
        let key = SignerKey::from_seed("example.com/audit", [3; 32]).unwrap();
        let other = SignerKey::from_seed("example.com/other", [3; 32]).unwrap();
        let checkpoint = Checkpoint::new("example.com/other", 5, Hash::EMPTY_TREE);
        assert!(
            checkpoint
                .sign(&key)
                .unwrap_err()
                .message()
                .contains("not the signing key's name")
        );
        // A note whose body names another origin than its (valid) signer is refused.
        let note = other
            .sign_note(&Checkpoint::new("example.com/audit", 5, Hash::EMPTY_TREE).body())
            .unwrap();
        let err = Checkpoint::open(&note, &other.verifier()).unwrap_err();
        assert!(err.message().contains("is not the key's name"), "{err}");
    }
}
