//! Signed notes (c2sp.org/signed-note) with Ed25519 keys in the note key formats of
//! golang.org/x/mod/sumdb/note: signer `PRIVATE+KEY+<name>+<id>+<key>`, verifier
//! `<name>+<id>+<key>`.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use rand::TryRngCore;
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind, Result};

/// The signature type byte of Ed25519 in c2sp.org/signed-note.
const ED25519: u8 = 0x01;
/// Most signature lines a note may carry (the spec asks for at least 16).
const MAX_SIGNATURES: usize = 100;
/// The first characters of a signature line: em dash (U+2014) and a space.
const SIGNATURE_PREFIX: &str = "\u{2014} ";

/// The key id of c2sp.org/signed-note: the first 4 bytes, big-endian, of
/// SHA-256(name || 0x0A || 0x01 || 32-byte Ed25519 public key).
fn key_id(name: &str, public_key: &VerifyingKey) -> u32 {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update([b'\n', ED25519]);
    hasher.update(public_key.as_bytes());
    let digest = hasher.finalize();
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// Key names are non-empty and hold no Unicode white space and no `+`.
fn check_name(name: &str) -> Result<()> {
    if name.is_empty() || name.contains('+') || name.contains(char::is_whitespace) {
        return Err(Error::invalid_query(format!(
            "key name '{name}' must be non-empty, without spaces and without '+' (for example example.com/audit)"
        )));
    }
    Ok(())
}

/// Splits `<name>+<8 hex digits>+<base64>` and decodes `0x01 || 32 bytes`.
fn parse_key_parts<'a>(text: &'a str, what: &str) -> Result<(&'a str, u32, [u8; 32])> {
    let malformed = |why: &str| {
        Error::invalid_query(format!(
            "{what} is malformed ({why}); expected <name>+<8 hex digits>+<base64 key>"
        ))
    };
    let mut parts = text.splitn(3, '+');
    let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(malformed("it has fewer than three '+'-separated parts"));
    };
    check_name(name)?;
    if id.len() != 8 || !id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(malformed("the key id is not 8 lowercase hex digits"));
    }
    let id = u32::from_str_radix(id, 16).map_err(|_| malformed("bad key id"))?;
    let payload = BASE64
        .decode(key)
        .map_err(|e| malformed(&format!("the key is not base64: {e}")))?;
    match payload.split_first() {
        Some((&ED25519, bytes)) => {
            let key = <[u8; 32]>::try_from(bytes).map_err(|_| {
                malformed(&format!("an Ed25519 key has 32 bytes, not {}", bytes.len()))
            })?;
            Ok((name, id, key))
        }
        Some((other, _)) => Err(malformed(&format!(
            "signature type 0x{other:02x} is not supported; only Ed25519 (0x01)"
        ))),
        None => Err(malformed("the key is empty")),
    }
}

fn encode_key(name: &str, id: u32, key: &[u8; 32]) -> String {
    let mut payload = Vec::with_capacity(33);
    payload.push(ED25519);
    payload.extend_from_slice(key);
    format!("{name}+{id:08x}+{}", BASE64.encode(payload))
}

/// An Ed25519 note signer: a key name and a private key.
///
/// Text form (what `finmark audit keygen` writes to `PREFIX.key`):
/// `PRIVATE+KEY+<name>+<key id>+<base64(0x01 || 32-byte Ed25519 seed)>`, the key id as 8
/// lowercase hex digits, as golang.org/x/mod/sumdb/note reads it. `Debug` hides the key.
///
/// ```
/// use finmark::audit::SignerKey;
/// // golang.org/x/mod/sumdb/note's test key (note_test.go).
/// let key: SignerKey =
///     "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz".parse()?;
/// assert_eq!(
///     key.verifier().to_string(),
///     "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
/// );
/// let fresh = SignerKey::generate("example.com/audit")?;
/// assert_eq!(fresh.to_string().parse::<SignerKey>()?.verifier(), fresh.verifier());
/// # Ok::<(), finmark::Error>(())
/// ```
#[derive(Clone)]
pub struct SignerKey {
    name: String,
    id: u32,
    key: SigningKey,
}

impl SignerKey {
    /// A key named `name` from a 32-byte Ed25519 seed.
    pub fn from_seed(name: &str, seed: [u8; 32]) -> Result<Self> {
        check_name(name)?;
        let key = SigningKey::from_bytes(&seed);
        Ok(SignerKey {
            name: name.to_string(),
            id: key_id(name, &key.verifying_key()),
            key,
        })
    }

    /// A new key named `name` from the operating system's random numbers.
    pub fn generate(name: &str) -> Result<Self> {
        let mut seed = [0u8; 32];
        rand::rngs::OsRng
            .try_fill_bytes(&mut seed)
            .map_err(|e| Error::internal(format!("no random numbers from the system: {e}")))?;
        Self::from_seed(name, seed)
    }

    /// The key name (also the checkpoint origin).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key id (see [`VerifierKey::key_id`]).
    pub fn key_id(&self) -> u32 {
        self.id
    }

    /// The matching verifier key.
    pub fn verifier(&self) -> VerifierKey {
        VerifierKey {
            name: self.name.clone(),
            id: self.id,
            key: self.key.verifying_key(),
        }
    }

    /// Signs `text` as a note: `text`, a blank line, and the signature line
    /// `— <name> <base64(key id || Ed25519 signature of text)>`.
    ///
    /// `text` must be non-empty UTF-8 that ends in a newline and holds no control
    /// characters other than newlines.
    pub fn sign_note(&self, text: &str) -> Result<String> {
        check_text(text)?;
        let signature = self.key.sign(text.as_bytes());
        let mut payload = Vec::with_capacity(68);
        payload.extend_from_slice(&self.id.to_be_bytes());
        payload.extend_from_slice(&signature.to_bytes());
        Ok(format!(
            "{text}\n{SIGNATURE_PREFIX}{} {}\n",
            self.name,
            BASE64.encode(payload)
        ))
    }
}

impl fmt::Display for SignerKey {
    /// The `PRIVATE+KEY+...` text form, secret included.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PRIVATE+KEY+{}",
            encode_key(&self.name, self.id, self.key.as_bytes())
        )
    }
}

impl fmt::Debug for SignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SignerKey({}+{:08x}, secret hidden)", self.name, self.id)
    }
}

impl FromStr for SignerKey {
    type Err = Error;

    /// Reads `PRIVATE+KEY+<name>+<id>+<key>` (surrounding white space ignored) and checks
    /// that the id matches the key.
    fn from_str(text: &str) -> Result<Self> {
        let Some(rest) = text.trim().strip_prefix("PRIVATE+KEY+") else {
            return Err(Error::invalid_query(
                "signer key does not start with PRIVATE+KEY+",
            ));
        };
        let (name, id, seed) = parse_key_parts(rest, "signer key")?;
        let key = Self::from_seed(name, seed)?;
        if key.id != id {
            return Err(Error::invalid_query(format!(
                "signer key id {id:08x} does not match its key (which gives {:08x})",
                key.id
            )));
        }
        Ok(key)
    }
}

/// An Ed25519 note verifier: a key name and a public key.
///
/// Text form (`PREFIX.pub`): `<name>+<key id>+<base64(0x01 || 32-byte public key)>`, the key
/// id being the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key) as 8 lowercase
/// hex digits, as c2sp.org/signed-note defines it.
///
/// ```
/// use finmark::audit::VerifierKey;
/// // The example of c2sp.org/signed-note.
/// let key: VerifierKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k".parse()?;
/// let note = "This is an example message.\n\n\u{2014} example.com/foo \
///     Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
/// assert_eq!(key.open_note(note)?, "This is an example message.\n");
/// # Ok::<(), finmark::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    id: u32,
    key: VerifyingKey,
}

impl VerifierKey {
    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key id: the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key),
    /// big-endian.
    pub fn key_id(&self) -> u32 {
        self.id
    }

    /// Verifies `note` and returns its text.
    ///
    /// As c2sp.org/signed-note requires: signatures of other keys are ignored; every
    /// signature with this key's name and id must verify; at least one must be there. A
    /// malformed note is an [`ErrorKind::InvalidQuery`] error, a missing or bad signature an
    /// [`ErrorKind::Integrity`] error.
    pub fn open_note<'a>(&self, note: &'a str) -> Result<&'a str> {
        let parsed = Note::parse(note)?;
        let mut verified = 0;
        for signature in parsed.signatures.iter() {
            if signature.name != self.name || signature.key_id != self.id {
                continue;
            }
            let bytes = <[u8; 64]>::try_from(signature.signature.as_slice()).map_err(|_| {
                Error::new(
                    ErrorKind::Integrity,
                    format!(
                        "signature by {self} has {} bytes, an Ed25519 signature has 64",
                        signature.signature.len()
                    ),
                )
            })?;
            self.key
                .verify_strict(parsed.text.as_bytes(), &Signature::from_bytes(&bytes))
                .map_err(|_| {
                    Error::new(
                        ErrorKind::Integrity,
                        format!("the note's signature by {self} does not verify"),
                    )
                })?;
            verified += 1;
        }
        if verified == 0 {
            return Err(Error::new(
                ErrorKind::Integrity,
                format!("the note has no signature by {self}"),
            ));
        }
        Ok(parsed.text)
    }
}

impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&encode_key(&self.name, self.id, self.key.as_bytes()))
    }
}

impl fmt::Debug for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifierKey({self})")
    }
}

impl FromStr for VerifierKey {
    type Err = Error;

    /// Reads `<name>+<id>+<key>` (surrounding white space ignored) and checks that the id
    /// matches the name and key.
    fn from_str(text: &str) -> Result<Self> {
        let (name, id, bytes) = parse_key_parts(text.trim(), "verifier key")?;
        let key = VerifyingKey::from_bytes(&bytes)
            .map_err(|_| Error::invalid_query("verifier key holds no valid Ed25519 public key"))?;
        let expected = key_id(name, &key);
        if id != expected {
            return Err(Error::invalid_query(format!(
                "verifier key id {id:08x} does not match its name and key (which give {expected:08x})"
            )));
        }
        Ok(VerifierKey {
            name: name.to_string(),
            id,
            key,
        })
    }
}

/// Note text: non-empty, ends in a newline, no control characters but newlines.
fn check_text(text: &str) -> Result<()> {
    if !text.ends_with('\n') {
        return Err(Error::invalid_query("note text must end with a newline"));
    }
    if let Some(at) = text.find(|c: char| c.is_control() && c != '\n') {
        return Err(Error::invalid_query(format!(
            "note text holds a control character at byte {at}"
        )));
    }
    Ok(())
}

/// One signature line of a note.
#[derive(Clone, Debug, PartialEq, Eq)]
struct NoteSignature {
    name: String,
    key_id: u32,
    signature: Vec<u8>,
}

/// A parsed (not yet verified) signed note.
struct Note<'a> {
    text: &'a str,
    signatures: Vec<NoteSignature>,
}

impl<'a> Note<'a> {
    /// Splits a note into its text and signature lines, checking the syntax of
    /// c2sp.org/signed-note.
    fn parse(note: &'a str) -> Result<Note<'a>> {
        let malformed = |why: String| Error::invalid_query(format!("malformed note: {why}"));
        let Some(blank) = note.rfind("\n\n") else {
            return Err(malformed(
                "no blank line between the text and the signatures".into(),
            ));
        };
        let (text, lines) = (&note[..=blank], &note[blank + 2..]);
        check_text(text).map_err(|e| malformed(e.message().to_string()))?;
        let Some(lines) = lines.strip_suffix('\n') else {
            return Err(malformed("it does not end with a newline".into()));
        };
        let mut signatures = Vec::new();
        for (i, line) in lines.split('\n').enumerate() {
            if i == MAX_SIGNATURES {
                return Err(malformed(format!("more than {MAX_SIGNATURES} signatures")));
            }
            let line_no = text.matches('\n').count() + 2 + i;
            let Some((name, base64)) = line
                .strip_prefix(SIGNATURE_PREFIX)
                .and_then(|rest| rest.split_once(' '))
            else {
                return Err(malformed(format!(
                    "line {line_no} is not a signature line '\u{2014} <name> <base64>'"
                )));
            };
            check_name(name).map_err(|e| malformed(format!("line {line_no}: {}", e.message())))?;
            let bytes = BASE64
                .decode(base64)
                .map_err(|e| malformed(format!("line {line_no}: signature is not base64: {e}")))?;
            if bytes.len() < 5 {
                return Err(malformed(format!(
                    "line {line_no}: a signature holds a 4-byte key id and at least one byte"
                )));
            }
            signatures.push(NoteSignature {
                name: name.to_string(),
                key_id: u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]),
                signature: bytes[4..].to_vec(),
            });
        }
        Ok(Note { text, signatures })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // golang.org/x/mod/sumdb/note note_test.go: fixed keys and signed notes.
    const PETER_SIGNER: &str =
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    const PETER: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    const ENOCH: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    const TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                        then you don't know what your problem is.\n";
    const PETER_SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    const ENOCH_SIG: &str = "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    #[test]
    fn signing_reproduces_the_go_vector() {
        let signer: SignerKey = PETER_SIGNER.parse().unwrap();
        assert_eq!(signer.to_string(), PETER_SIGNER);
        assert_eq!(signer.key_id(), 0xc74f20a3);
        // Ed25519 signatures are deterministic, so the note is byte for byte Go's.
        assert_eq!(
            signer.sign_note(TEXT).unwrap(),
            format!("{TEXT}\n{PETER_SIG}")
        );
    }

    #[test]
    fn opening_ignores_unknown_keys_and_needs_a_known_one() {
        let peter: VerifierKey = PETER.parse().unwrap();
        let enoch: VerifierKey = ENOCH.parse().unwrap();
        let note = format!("{TEXT}\n{PETER_SIG}{ENOCH_SIG}");
        assert_eq!(peter.open_note(&note).unwrap(), TEXT);
        assert_eq!(enoch.open_note(&note).unwrap(), TEXT);
        let only_peter = format!("{TEXT}\n{PETER_SIG}");
        let err = enoch.open_note(&only_peter).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Integrity);
        assert!(
            err.message().contains("no signature by EnochRoot+af0cfe78"),
            "{err}"
        );
        // A changed text no longer verifies.
        let forged = only_peter.replacen("answer", "Answer", 1);
        let err = peter.open_note(&forged).unwrap_err();
        assert!(err.message().contains("does not verify"), "{err}");
    }

    #[test]
    fn malformed_notes_are_refused() {
        let peter: VerifierKey = PETER.parse().unwrap();
        // The bad messages of note_test.go's TestOpen.
        for bad in [
            TEXT.to_string(),
            format!("{TEXT}\n"),
            format!("{TEXT}\n{}", &PETER_SIG[..PETER_SIG.len() - 1]),
            format!("\x01{TEXT}\n{PETER_SIG}"),
            format!(
                "{TEXT}\n\u{2014} Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
            ),
            format!("{TEXT}\n{PETER_SIG}Unexpected line.\n"),
            format!("{TEXT}\n{}", PETER_SIG.repeat(101)),
        ] {
            let err = peter.open_note(&bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidQuery, "{bad:?}: {err}");
        }
    }

    #[test]
    fn mangled_keys_are_refused() {
        // As note_test.go's TestNewVerifier: every proper substring and every one-byte
        // change of the key is refused.
        let bytes = PETER.as_bytes();
        for i in 0..bytes.len() {
            for j in i + 1..=bytes.len() {
                if (i, j) != (0, bytes.len()) {
                    assert!(
                        PETER[i..j].parse::<VerifierKey>().is_err(),
                        "{}",
                        &PETER[i..j]
                    );
                }
            }
            let mut changed = bytes.to_vec();
            changed[i] += 1;
            if let Ok(text) = std::str::from_utf8(&changed) {
                assert!(text.parse::<VerifierKey>().is_err(), "{text}");
            }
        }
        // Wrong key length and unknown algorithm, each with an adjusted key id.
        for bad in [
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
            "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        ] {
            assert!(bad.parse::<VerifierKey>().is_err(), "{bad}");
        }
        let err = "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
            .parse::<SignerKey>()
            .unwrap_err();
        assert!(err.message().contains("does not match"), "{err}");
        assert!(SignerKey::from_seed("a b", [1; 32]).is_err());
        assert!(SignerKey::from_seed("a+b", [1; 32]).is_err());
        let debug = format!("{:?}", SignerKey::from_seed("k", [1; 32]).unwrap());
        assert!(!debug.contains("PRIVATE"), "{debug}");
    }
}
