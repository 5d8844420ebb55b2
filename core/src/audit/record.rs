//! Audit records: the six PCI DSS 10.2.2 fields, their canonical bytes, and the hash chain.

use std::net::IpAddr;

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::hash::{Hash, leaf_hash};
use crate::error::{Error, Result};

/// Who acted: the actor's id and the roles it held when it acted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The user, service or API key id, as the host authenticated it.
    pub id: String,
    /// The roles the actor held, in the order given.
    pub roles: Vec<String>,
}

impl Actor {
    /// An actor with an id and roles.
    pub fn new(id: impl Into<String>, roles: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Actor {
            id: id.into(),
            roles: roles.into_iter().map(Into::into).collect(),
        }
    }
}

/// Where the call came from: the host's request context, passed in by the door. Every part
/// is optional (a CLI call has no IP).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The client's address.
    #[serde(default)]
    pub ip: Option<IpAddr>,
    /// The host's request id, to find the call in the host's own logs.
    #[serde(default)]
    pub request_id: Option<String>,
    /// The client's user agent.
    #[serde(default)]
    pub user_agent: Option<String>,
}

/// What was acted on: a type (`alert`, `incident`, `rule`, `audit_log`, ...) and an id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The kind of object (JSON key `type`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The object's id (may be empty for a whole collection).
    pub id: String,
}

impl Target {
    /// A target of `kind` with `id`.
    pub fn new(kind: impl Into<String>, id: impl Into<String>) -> Self {
        Target {
            kind: kind.into(),
            id: id.into(),
        }
    }
}

/// How the action ended. JSON: `{"status": "success"}`, `{"status": "failure", "reason": ...}`
/// or `{"status": "denied", "reason": ...}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "OutcomeRepr", try_from = "OutcomeRepr")]
pub enum Outcome {
    /// The action was carried out.
    Success,
    /// The action was attempted and failed.
    Failure {
        /// Why it failed.
        reason: String,
    },
    /// Access control refused the action.
    Denied {
        /// Why it was refused (for example the missing permission).
        reason: String,
    },
}

impl Outcome {
    fn status(&self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure { .. } => "failure",
            Outcome::Denied { .. } => "denied",
        }
    }

    fn reason(&self) -> Option<&str> {
        match self {
            Outcome::Success => None,
            Outcome::Failure { reason } | Outcome::Denied { reason } => Some(reason),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct OutcomeRepr {
    status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

impl From<Outcome> for OutcomeRepr {
    fn from(outcome: Outcome) -> Self {
        OutcomeRepr {
            status: outcome.status().to_string(),
            reason: outcome.reason().map(str::to_string),
        }
    }
}

impl TryFrom<OutcomeRepr> for Outcome {
    type Error = String;

    fn try_from(repr: OutcomeRepr) -> std::result::Result<Self, String> {
        match (repr.status.as_str(), repr.reason) {
            ("success", None) => Ok(Outcome::Success),
            ("failure", Some(reason)) => Ok(Outcome::Failure { reason }),
            ("denied", Some(reason)) => Ok(Outcome::Denied { reason }),
            ("success", Some(_)) => Err("outcome 'success' takes no reason".to_string()),
            ("failure" | "denied", None) => {
                Err(format!("outcome '{}' needs a reason", repr.status))
            }
            (other, _) => Err(format!(
                "unknown outcome status '{other}' (expected success, failure or denied)"
            )),
        }
    }
}

/// One audited action before it joins the log: who, what, when, outcome, origin, target
/// (the six fields of PCI DSS 10.2.2).
///
/// ```
/// use finmark::audit::{Actor, AuditEvent, ChainHead, Outcome, Target};
/// let event = AuditEvent::new(
///     Actor::new("alice", ["analyst"]),
///     "alert.acknowledge",
///     Target::new("alert", "a-17"),
///     Outcome::Success,
/// );
/// let mut head = ChainHead::new();
/// let entry = head.append(event)?;
/// assert_eq!(entry.record().seq(), 0);
/// assert_eq!(entry.hash(), entry.record().leaf_hash());
/// # Ok::<(), finmark::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// When it happened, UTC, microsecond precision.
    #[serde(with = "micros")]
    pub time: DateTime<Utc>,
    /// Who acted.
    pub actor: Actor,
    /// What was done, as `object.verb` (for example `alert.acknowledge`, `audit.read`).
    pub action: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Where the call came from.
    #[serde(default)]
    pub origin: Origin,
    /// What was acted on.
    pub target: Target,
}

impl AuditEvent {
    /// An event that happens now, with no origin. Use [`at`](AuditEvent::at) and
    /// [`with_origin`](AuditEvent::with_origin) to set them.
    pub fn new(actor: Actor, action: impl Into<String>, target: Target, outcome: Outcome) -> Self {
        AuditEvent {
            time: truncate_to_micros(Utc::now()),
            actor,
            action: action.into(),
            outcome,
            origin: Origin::default(),
            target,
        }
    }

    /// The same event at `time`, truncated to microseconds.
    pub fn at(mut self, time: DateTime<Utc>) -> Self {
        self.time = truncate_to_micros(time);
        self
    }

    /// The same event with the host's request context.
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = origin;
        self
    }

    /// Checks what the canonical form needs: an `object.verb` action of lowercase ASCII
    /// letters, digits and `_`, a non-empty actor id and target type, a time with at most
    /// microsecond precision in the years 0000 to 9999 and no leap second.
    pub fn validate(&self) -> Result<()> {
        let word = |w: &str| {
            w.starts_with(|c: char| c.is_ascii_lowercase())
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        match self.action.split_once('.') {
            Some((object, verb)) if word(object) && word(verb) => {}
            _ => {
                return Err(Error::invalid_query(format!(
                    "audit action '{}' is not of the form object.verb (lowercase letters, digits, _), for example alert.acknowledge",
                    self.action
                )));
            }
        }
        if self.actor.id.is_empty() {
            return Err(Error::invalid_query("audit actor id is empty"));
        }
        if self.target.kind.is_empty() {
            return Err(Error::invalid_query("audit target type is empty"));
        }
        check_time(&self.time).map_err(Error::invalid_query)
    }
}

fn truncate_to_micros(time: DateTime<Utc>) -> DateTime<Utc> {
    let nanos = time.nanosecond();
    time.with_nanosecond(nanos - nanos % 1000).unwrap_or(time)
}

fn check_time(time: &DateTime<Utc>) -> std::result::Result<(), String> {
    if !(0..=9999).contains(&time.year()) {
        return Err(format!(
            "audit time {time} is outside the years 0000 to 9999"
        ));
    }
    if time.nanosecond() >= 1_000_000_000 {
        return Err(format!("audit time {time} is a leap second"));
    }
    if !time.nanosecond().is_multiple_of(1000) {
        return Err(format!(
            "audit time {time} has sub-microsecond digits; times are kept to the microsecond"
        ));
    }
    Ok(())
}

/// The fixed RFC 3339 form of audit times: `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
fn format_time(time: &DateTime<Utc>) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        time.year(),
        time.month(),
        time.day(),
        time.hour(),
        time.minute(),
        time.second(),
        time.nanosecond() / 1000
    )
}

/// Serde for audit times: written in the fixed form, read from any RFC 3339 time that has at
/// most microsecond precision.
mod micros {
    use super::*;

    pub fn serialize<S: Serializer>(
        time: &DateTime<Utc>,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_time(time))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<DateTime<Utc>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        let time = DateTime::parse_from_rfc3339(&text)
            .map_err(|e| serde::de::Error::custom(format!("audit time '{text}': {e}")))?
            .with_timezone(&Utc);
        check_time(&time).map_err(serde::de::Error::custom)?;
        Ok(time)
    }
}

/// A record of the audit log: an [`AuditEvent`] with its place in the log (`seq`, 0-based)
/// and the hash of the record before it (`prev_hash`).
///
/// Records are made by [`ChainHead::append`], or read back from storage (serde, or
/// [`AuditRecord::from_parts`]). JSON: `{"seq", "prev_hash", "time", "actor", "action",
/// "outcome", "origin", "target"}` (with `hash` added in an [`AuditEntry`]).
///
/// # Canonical bytes
///
/// The leaf of the Merkle tree is [`canonical_bytes`](AuditRecord::canonical_bytes): the
/// record as JSON in the canonical form of RFC 8785 (JCS). Byte for byte:
///
/// - one JSON object, UTF-8, no whitespace anywhere, keys in byte order at every level, every
///   key always present except `outcome.reason`:
///   `{"action":A,"actor":{"id":I,"roles":[R,...]},"origin":{"ip":P,"request_id":Q,"user_agent":U},"outcome":{"reason":W,"status":S},"prev_hash":H,"seq":N,"target":{"id":T,"type":K},"time":D}`;
/// - strings are written as they are (non-ASCII characters unescaped, `/` unescaped) except
///   `"` and `\` (written `\"`, `\\`), and the control characters below U+0020, written
///   `\b`, `\t`, `\n`, `\f`, `\r` or else `\u00xx` with lowercase hex;
/// - `roles` in the order given; absent origin parts are `null`; `ip` in Rust's standard
///   text form (dotted IPv4, RFC 5952 IPv6); `outcome` is `{"status":"success"}` (no
///   `reason` key), or `{"reason":W,"status":"failure"}` / `{"reason":W,"status":"denied"}`;
/// - `seq` a JSON integer without sign, leading zeros or exponent (below 2^53, as JCS
///   requires); `prev_hash` 64 lowercase hex digits; `time` the string
///   `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always six fractional digits, UTC, `Z`).
///
/// So an outsider recomputes a record's hash from the JSON line `finmark audit list` prints:
/// drop the `hash` key, canonicalise with any RFC 8785 library, and take
/// SHA-256(0x00 || bytes). The leaf hash is the record's `hash`.
///
/// # Hash chain
///
/// Record n's `prev_hash` is the leaf hash of record n−1, and all zeros ([`Hash::ZERO`]) for
/// record 0. Since `prev_hash` is inside the hashed bytes, each record's hash commits to the
/// whole history before it: hash(n) = SHA-256(0x00 || canonical(record n)), with
/// record n carrying hash(n−1).
///
/// ```
/// use finmark::audit::{Actor, AuditEvent, ChainHead, Outcome, Target};
/// let time = "2026-11-25T10:00:00Z".parse().unwrap();
/// let event = AuditEvent::new(
///     Actor::new("alice", ["analyst"]),
///     "alert.acknowledge",
///     Target::new("alert", "a-17"),
///     Outcome::Success,
/// )
/// .at(time);
/// let entry = ChainHead::new().append(event)?;
/// assert_eq!(
///     String::from_utf8(entry.record().canonical_bytes()).unwrap(),
///     concat!(
///         r#"{"action":"alert.acknowledge","actor":{"id":"alice","roles":["analyst"]},"#,
///         r#""origin":{"ip":null,"request_id":null,"user_agent":null},"#,
///         r#""outcome":{"status":"success"},"#,
///         r#""prev_hash":"0000000000000000000000000000000000000000000000000000000000000000","#,
///         r#""seq":0,"target":{"id":"a-17","type":"alert"},"time":"2026-11-25T10:00:00.000000Z"}"#
///     )
/// );
/// # Ok::<(), finmark::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    seq: u64,
    prev_hash: Hash,
    #[serde(flatten)]
    event: AuditEvent,
}

impl AuditRecord {
    /// A record read back from storage columns. Checks the event ([`AuditEvent::validate`])
    /// so that it has one canonical form.
    pub fn from_parts(seq: u64, prev_hash: Hash, event: AuditEvent) -> Result<Self> {
        event
            .validate()
            .map_err(|e| e.context(format!("audit record {seq}")))?;
        Ok(AuditRecord {
            seq,
            prev_hash,
            event,
        })
    }

    /// The record's place in the log, 0-based: its leaf index in the Merkle tree.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The leaf hash of the record before it ([`Hash::ZERO`] for seq 0).
    pub fn prev_hash(&self) -> &Hash {
        &self.prev_hash
    }

    /// The audited action.
    pub fn event(&self) -> &AuditEvent {
        &self.event
    }

    /// The canonical bytes (see the type's documentation): the Merkle leaf.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(320);
        self.write_canonical(&mut out);
        out
    }

    /// The RFC 6962 leaf hash SHA-256(0x00 || canonical bytes): the record's `hash`.
    pub fn leaf_hash(&self) -> Hash {
        leaf_hash(&self.canonical_bytes())
    }

    /// Appends the canonical bytes to `out` (reuse one buffer to hash many records).
    pub fn write_canonical(&self, out: &mut Vec<u8>) {
        let e = &self.event;
        out.extend_from_slice(b"{\"action\":");
        write_string(out, &e.action);
        out.extend_from_slice(b",\"actor\":{\"id\":");
        write_string(out, &e.actor.id);
        out.extend_from_slice(b",\"roles\":[");
        for (i, role) in e.actor.roles.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_string(out, role);
        }
        out.extend_from_slice(b"]},\"origin\":{\"ip\":");
        let ip = e.origin.ip.map(|ip| ip.to_string());
        write_optional(out, ip.as_deref());
        out.extend_from_slice(b",\"request_id\":");
        write_optional(out, e.origin.request_id.as_deref());
        out.extend_from_slice(b",\"user_agent\":");
        write_optional(out, e.origin.user_agent.as_deref());
        out.extend_from_slice(b"},\"outcome\":{");
        if let Some(reason) = e.outcome.reason() {
            out.extend_from_slice(b"\"reason\":");
            write_string(out, reason);
            out.push(b',');
        }
        out.extend_from_slice(b"\"status\":");
        write_string(out, e.outcome.status());
        out.extend_from_slice(b"},\"prev_hash\":");
        write_string(out, &self.prev_hash.to_string());
        out.extend_from_slice(b",\"seq\":");
        out.extend_from_slice(itoa::Buffer::new().format(self.seq).as_bytes());
        out.extend_from_slice(b",\"target\":{\"id\":");
        write_string(out, &e.target.id);
        out.extend_from_slice(b",\"type\":");
        write_string(out, &e.target.kind);
        out.extend_from_slice(b"},\"time\":");
        write_string(out, &format_time(&e.time));
        out.push(b'}');
    }
}

fn write_optional(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(text) => write_string(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string as RFC 8785 writes it.
fn write_string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut plain = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0c => b"\\f",
            b'\r' => b"\\r",
            0x00..=0x1f => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ],
            _ => continue,
        };
        out.extend_from_slice(&bytes[plain..i]);
        out.extend_from_slice(escape);
        plain = i + 1;
    }
    out.extend_from_slice(&bytes[plain..]);
    out.push(b'"');
}

/// A record with its stored hash, as a row of the audit table holds it.
///
/// JSON: the record's keys plus `hash` (the record's leaf hash as stored), the line
/// `finmark audit list` prints. [`ChainHead::append`] makes entries whose hash is right;
/// [`verify`](super::verify) checks stored ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    #[serde(flatten)]
    record: AuditRecord,
    hash: Hash,
}

impl AuditEntry {
    /// An entry as read from storage: a record and the hash stored with it (not checked
    /// here: that is [`verify`](super::verify)'s job).
    pub fn new(record: AuditRecord, stored_hash: Hash) -> Self {
        AuditEntry {
            record,
            hash: stored_hash,
        }
    }

    /// The record.
    pub fn record(&self) -> &AuditRecord {
        &self.record
    }

    /// The stored hash.
    pub fn hash(&self) -> Hash {
        self.hash
    }
}

/// The end of the hash chain: the next record's `seq` and `prev_hash`.
///
/// The host keeps it (it is serialisable) or rebuilds it from the last stored entry with
/// [`ChainHead::after`], inside the transaction (or advisory lock) that appends, so two
/// writers never give two records the same `seq`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    /// The `seq` of the next record (the number of records so far).
    pub next_seq: u64,
    /// The hash of the last record ([`Hash::ZERO`] for an empty log).
    pub last_hash: Hash,
}

impl ChainHead {
    /// The head of an empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// The head of a log whose last record is `last`.
    pub fn after(last: &AuditEntry) -> Self {
        ChainHead {
            next_seq: last.record.seq + 1,
            last_hash: last.hash,
        }
    }

    /// Seals `event` as the next record: validates it, gives it `seq` and `prev_hash`,
    /// computes its hash, and moves the head past it.
    pub fn append(&mut self, event: AuditEvent) -> Result<AuditEntry> {
        let record = AuditRecord::from_parts(self.next_seq, self.last_hash, event)?;
        let hash = record.leaf_hash();
        *self = ChainHead {
            next_seq: self.next_seq + 1,
            last_hash: hash,
        };
        Ok(AuditEntry { record, hash })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> AuditEvent {
        AuditEvent::new(
            Actor::new("bob", ["admin", "analyst"]),
            "incident.close",
            Target::new("incident", "i-9"),
            Outcome::Denied {
                reason: "missing permission incident.close".into(),
            },
        )
        .at("2026-01-02T03:04:05.123456789Z".parse().unwrap())
    }

    #[test]
    fn strings_are_escaped_as_rfc8785_writes_them() {
        let mut out = Vec::new();
        write_string(&mut out, "a\"b\\c/é\u{1}\u{1f}\n\t\r\u{8}\u{c}\u{2028}z");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a\\\"b\\\\c/é\\u0001\\u001f\\n\\t\\r\\b\\f\u{2028}z\""
        );
    }

    #[test]
    fn canonical_bytes_are_written_out_by_hand() {
        let origin = Origin {
            ip: Some("2001:db8::1".parse().unwrap()),
            request_id: Some("req-1".into()),
            user_agent: Some("curl/8.5".into()),
        };
        let mut head = ChainHead {
            next_seq: 41,
            last_hash: crate::audit::hash::leaf_hash(b"x"),
        };
        let entry = head.append(event().with_origin(origin)).unwrap();
        let expected = concat!(
            r#"{"action":"incident.close","actor":{"id":"bob","roles":["admin","analyst"]},"#,
            r#""origin":{"ip":"2001:db8::1","request_id":"req-1","user_agent":"curl/8.5"},"#,
            r#""outcome":{"reason":"missing permission incident.close","status":"denied"},"#,
            r#""prev_hash":"#,
        )
        .to_string()
            + &format!("\"{}\"", crate::audit::hash::leaf_hash(b"x"))
            + r#","seq":41,"target":{"id":"i-9","type":"incident"},"time":"2026-01-02T03:04:05.123456Z"}"#;
        assert_eq!(
            String::from_utf8(entry.record().canonical_bytes()).unwrap(),
            expected
        );
        assert_eq!(entry.hash(), leaf_hash(expected.as_bytes()));
        assert_eq!(head.next_seq, 42);
        assert_eq!(head.last_hash, entry.hash());
    }

    #[test]
    fn json_round_trips_and_holds_the_same_content_as_the_canonical_bytes() {
        let entry = ChainHead::new()
            .append(event().with_origin(Origin {
                ip: Some("203.0.113.9".parse().unwrap()),
                ..Origin::default()
            }))
            .unwrap();
        let json = serde_json::to_value(&entry).unwrap();
        assert_eq!(json["time"], "2026-01-02T03:04:05.123456Z");
        assert_eq!(json["outcome"]["status"], "denied");
        assert_eq!(json["hash"], entry.hash().to_string());
        let back: AuditEntry = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, entry);
        let mut without_hash = json;
        without_hash.as_object_mut().unwrap().remove("hash");
        let canonical: serde_json::Value =
            serde_json::from_slice(&entry.record().canonical_bytes()).unwrap();
        assert_eq!(canonical, without_hash);
    }

    #[test]
    fn bad_events_and_times_are_refused_with_the_reason() {
        let mut bad = event();
        bad.action = "acknowledge".into();
        let err = ChainHead::new().append(bad).unwrap_err();
        assert!(err.message().contains("object.verb"), "{err}");
        let mut bad = event();
        bad.action = "Alert.ack".into();
        assert!(bad.validate().is_err());
        let mut bad = event();
        bad.actor.id.clear();
        assert_eq!(
            bad.validate().unwrap_err().message(),
            "audit actor id is empty"
        );
        let mut bad = event();
        bad.time = "2026-01-02T03:04:05.123456789Z".parse().unwrap();
        assert!(
            bad.validate()
                .unwrap_err()
                .message()
                .contains("sub-microsecond")
        );
        let json = r#"{"seq":0,"prev_hash":"0000000000000000000000000000000000000000000000000000000000000000","time":"2026-01-02T03:04:05.1234567Z","actor":{"id":"a","roles":[]},"action":"a.b","outcome":{"status":"success"},"target":{"type":"t","id":"1"}}"#;
        let err = serde_json::from_str::<AuditRecord>(json).unwrap_err();
        assert!(err.to_string().contains("sub-microsecond"), "{err}");
        let err = serde_json::from_str::<Outcome>(r#"{"status":"failure"}"#).unwrap_err();
        assert!(err.to_string().contains("needs a reason"), "{err}");
    }
}
