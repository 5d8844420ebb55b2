//! SHA-256 hashes and the two RFC 6962 hashing rules: leaves and interior nodes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// A SHA-256 digest: a leaf hash, a node hash, a tree root or a chain link.
///
/// Shown (and serialised) as 64 lowercase hexadecimal digits; parsed from that form too.
///
/// ```
/// use finmark::audit::Hash;
/// let empty = Hash::EMPTY_TREE;
/// assert_eq!(
///     empty.to_string(),
///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// assert_eq!(empty.to_string().parse::<Hash>().unwrap(), empty);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// All zero bytes: the `prev_hash` of the first record (seq 0).
    pub const ZERO: Hash = Hash([0; 32]);

    /// The root of the empty tree, SHA-256 of no bytes (RFC 9162 section 2.1.1).
    pub const EMPTY_TREE: Hash = Hash([
        0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9,
        0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52,
        0xb8, 0x55,
    ]);

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A hash from a slice, which must hold exactly 32 bytes; `what` names it in the error.
    pub fn from_slice(bytes: &[u8], what: &str) -> Result<Hash> {
        <[u8; 32]>::try_from(bytes).map(Hash).map_err(|_| {
            Error::invalid_query(format!(
                "{what} has {} bytes, a SHA-256 hash has 32",
                bytes.len()
            ))
        })
    }
}

/// The RFC 6962 leaf hash of `data`: SHA-256(0x00 || data).
///
/// ```
/// use finmark::audit::leaf_hash;
/// // RFC 6962 test vector (transparency-dev/merkle testonly/constants.go): the empty leaf.
/// assert_eq!(
///     leaf_hash(b"").to_string(),
///     "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
/// );
/// ```
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(data);
    Hash(hasher.finalize().into())
}

/// The RFC 6962 interior node hash: SHA-256(0x01 || left || right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut block = [0u8; 65];
    block[0] = 0x01;
    block[1..33].copy_from_slice(&left.0);
    block[33..].copy_from_slice(&right.0);
    Hash(Sha256::digest(block).into())
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = [0u8; 64];
        for (i, byte) in self.0.iter().enumerate() {
            text[2 * i] = HEX_DIGITS[usize::from(byte >> 4)];
            text[2 * i + 1] = HEX_DIGITS[usize::from(byte & 0x0f)];
        }
        // Only ASCII hex digits were written.
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({self})")
    }
}

impl FromStr for Hash {
    type Err = Error;

    /// Parses 64 hexadecimal digits (lower or upper case).
    fn from_str(text: &str) -> Result<Hash> {
        fn digit(c: u8) -> Option<u8> {
            match c {
                b'0'..=b'9' => Some(c - b'0'),
                b'a'..=b'f' => Some(c - b'a' + 10),
                b'A'..=b'F' => Some(c - b'A' + 10),
                _ => None,
            }
        }
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return Err(Error::invalid_query(format!(
                "hash '{text}' has {} characters, expected 64 hexadecimal digits",
                bytes.len()
            )));
        }
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks_exact(2).enumerate() {
            match (digit(pair[0]), digit(pair[1])) {
                (Some(hi), Some(lo)) => out[i] = hi << 4 | lo,
                _ => {
                    return Err(Error::invalid_query(format!(
                        "hash '{text}' is not hexadecimal at character {}",
                        2 * i + 1
                    )));
                }
            }
        }
        Ok(Hash(out))
    }
}

impl Serialize for Hash {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Hash, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_hash_matches_the_rfc6962_vector() {
        // transparency-dev/merkle testonly/constants.go: NodeHashes()[1][0] is the node over
        // leaves "" and 0x00.
        let left = leaf_hash(b"");
        let right = leaf_hash(&[0x00]);
        assert_eq!(
            right.to_string(),
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"
        );
        assert_eq!(
            node_hash(&left, &right).to_string(),
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"
        );
    }

    #[test]
    fn hex_round_trip_and_errors() {
        let h = leaf_hash(b"x");
        assert_eq!(h.to_string().to_uppercase().parse::<Hash>().unwrap(), h);
        let short = "abc".parse::<Hash>().unwrap_err();
        assert!(short.message().contains("3 characters"), "{short}");
        let bad = format!("{}zz", &h.to_string()[..62])
            .parse::<Hash>()
            .unwrap_err();
        assert!(bad.message().contains("character 63"), "{bad}");
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(json, format!("\"{h}\""));
        assert_eq!(serde_json::from_str::<Hash>(&json).unwrap(), h);
        assert_eq!(
            Hash::from_slice(&[1, 2], "root").unwrap_err().message(),
            "root has 2 bytes, a SHA-256 hash has 32"
        );
    }
}
