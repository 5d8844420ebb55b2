//! The stored form of a [`Bucket`]: compact, versioned bytes, and serde through them.
//!
//! Version 1, all integers little-endian:
//!
//! | bytes | content |
//! | --- | --- |
//! | 1 | format version, `1` |
//! | 8 | XXH3-64 (seed 0) of everything after it, to catch corruption before decoding |
//! | varint | count |
//! | 8 + 8 | min and max as `f64`, only when the count is not 0 |
//! | varint + 8 | sum: its whole-number part (zigzag LEB128 of an `i128`), its fractional part (`f64`) |
//! | varint + 8 | sum of squares, likewise |
//! | 1 | flags: bit 0 a quantile sketch follows, bit 1 a distinct-count sketch follows |
//! | varint + n | the DDSketch in DataDog's binary format (`DDSketchWithExactSummaryStatistics`, as `sketches-java` reads it) |
//! | varint + n | the HyperLogLog++ sketch: `hyperloglogplus` 0.4's serde form in `postcard` 1 encoding |
//!
//! A later version adds a new version number and keeps reading this one. The DDSketch part is
//! a published format; the HyperLogLog part is that crate's own layout, so a new major
//! version of the crate needs the pinned bytes of the tests here to still decode (or a
//! version 2).

use super::bucket::Bucket;
use super::distinct::Distinct;
use super::sum::ExactSum;
use crate::error::{Error, ErrorKind, Result};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sketches_ddsketch::encoding::{decode_from_java_bytes, encode_to_java_bytes};
use sketches_ddsketch::{Config, DDSketch};
use xxhash_rust::xxh3::xxh3_64;

/// The version written by [`Bucket::to_bytes`].
pub const BUCKET_FORMAT: u8 = 1;

const HAS_SKETCH: u8 = 1;
const HAS_DISTINCT: u8 = 2;

impl Bucket {
    /// The bucket as bytes to store (see the format in [`codec`](self)): 129 bytes for one
    /// value with both sketches, growing by a few bytes per distinct sketch bin and value.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut body = Vec::with_capacity(64);
        put_varint(&mut body, u128::from(self.count));
        if self.count > 0 {
            body.extend_from_slice(&self.min.to_le_bytes());
            body.extend_from_slice(&self.max.to_le_bytes());
        }
        for sum in [&self.sum, &self.sum_squares] {
            put_varint(&mut body, zigzag(sum.int));
            body.extend_from_slice(&sum.float.to_le_bytes());
        }
        let flags = if self.sketch.is_some() { HAS_SKETCH } else { 0 }
            | if self.distinct.is_some() {
                HAS_DISTINCT
            } else {
                0
            };
        body.push(flags);
        if let Some(sketch) = &self.sketch {
            put_bytes(&mut body, &encode_to_java_bytes(sketch));
        }
        if let Some(distinct) = &self.distinct {
            put_bytes(&mut body, &distinct.to_bytes());
        }
        let mut out = Vec::with_capacity(body.len() + 9);
        out.push(BUCKET_FORMAT);
        out.extend_from_slice(&xxh3_64(&body).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    /// A bucket from [`Bucket::to_bytes`]; an [`ErrorKind::Integrity`] error names what is
    /// wrong with bytes that are not one.
    pub fn from_bytes(bytes: &[u8]) -> Result<Bucket> {
        let (&version, rest) = bytes.split_first().ok_or_else(|| bad("no bytes"))?;
        if version != BUCKET_FORMAT {
            return Err(bad(format!(
                "format version {version}, this build reads version {BUCKET_FORMAT}"
            )));
        }
        let mut r = Reader(rest);
        let checksum = u64::from_le_bytes(r.array()?);
        if xxh3_64(r.0) != checksum {
            return Err(bad("checksum mismatch"));
        }
        let mut bucket = Bucket::new();
        bucket.count = u64::try_from(r.varint()?).map_err(|_| bad("count too large"))?;
        if bucket.count > 0 {
            bucket.min = f64::from_le_bytes(r.array()?);
            bucket.max = f64::from_le_bytes(r.array()?);
        }
        bucket.sum = r.sum()?;
        bucket.sum_squares = r.sum()?;
        let [flags] = r.array()?;
        if flags & !(HAS_SKETCH | HAS_DISTINCT) != 0 {
            return Err(bad(format!("unknown flags {flags:#04x}")));
        }
        if flags & HAS_SKETCH != 0 {
            bucket.sketch = Some(decode_sketch(r.bytes()?)?);
        }
        if flags & HAS_DISTINCT != 0 {
            bucket.distinct = Some(Distinct::from_bytes(r.bytes()?)?);
        }
        if !r.0.is_empty() {
            return Err(bad(format!("{} bytes after the end", r.0.len())));
        }
        Ok(bucket)
    }
}

/// A DDSketch from DataDog's format, checked to have this build's configuration.
fn decode_sketch(bytes: &[u8]) -> Result<DDSketch> {
    let decoded =
        decode_from_java_bytes(bytes).map_err(|e| bad(format!("quantile sketch: {e}")))?;
    let mut sketch = DDSketch::new(Config::defaults());
    sketch
        .merge(&decoded)
        .map_err(|_| bad("quantile sketch of another relative accuracy than 1 %"))?;
    Ok(sketch)
}

fn bad(what: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Integrity,
        format!("bad stored metric bucket: {what}"),
    )
}

fn zigzag(v: i128) -> u128 {
    ((v << 1) ^ (v >> 127)) as u128
}

fn unzigzag(v: u128) -> i128 {
    ((v >> 1) as i128) ^ -((v & 1) as i128)
}

fn put_varint(out: &mut Vec<u8>, mut v: u128) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_varint(out, bytes.len() as u128);
    out.extend_from_slice(bytes);
}

/// Reads the parts of a bucket, failing on truncation.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.0.len() < n {
            return Err(bad("truncated"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn varint(&mut self) -> Result<u128> {
        let mut v = 0u128;
        for shift in (0..128).step_by(7) {
            let [b] = self.array()?;
            v |= u128::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(bad("varint longer than 128 bits"))
    }

    fn sum(&mut self) -> Result<ExactSum> {
        let int = unzigzag(self.varint()?);
        let float = f64::from_le_bytes(self.array()?);
        Ok(ExactSum { int, float })
    }

    fn bytes(&mut self) -> Result<&'a [u8]> {
        let n = usize::try_from(self.varint()?).map_err(|_| bad("length too large"))?;
        self.take(n)
    }
}

/// Buckets serialise through their bytes: a base64 string in JSON and other human-readable
/// formats, raw bytes otherwise.
impl Serialize for Bucket {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let bytes = self.to_bytes();
        if s.is_human_readable() {
            s.serialize_str(&BASE64.encode(bytes))
        } else {
            s.serialize_bytes(&bytes)
        }
    }
}

impl<'de> Deserialize<'de> for Bucket {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Bucket, D::Error> {
        use serde::de::Error as _;
        let bytes = if d.is_human_readable() {
            let text = String::deserialize(d)?;
            BASE64.decode(text).map_err(D::Error::custom)?
        } else {
            serde_bytes_vec(d)?
        };
        Bucket::from_bytes(&bytes).map_err(D::Error::custom)
    }
}

/// Reads a byte string (or a sequence of bytes) from a binary format.
fn serde_bytes_vec<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<u8>, D::Error> {
    struct Bytes;
    impl<'de> serde::de::Visitor<'de> for Bytes {
        type Value = Vec<u8>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("the bytes of a metric bucket")
        }
        fn visit_bytes<E>(self, v: &[u8]) -> std::result::Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> std::result::Result<Vec<u8>, A::Error> {
            let mut out = Vec::new();
            while let Some(b) = seq.next_element()? {
                out.push(b);
            }
            Ok(out)
        }
    }
    d.deserialize_bytes(Bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::bucket::tests::{bucket_of, bucket_of_numbers};
    use crate::metrics::select::Number;

    fn same(a: &Bucket, b: &Bucket) {
        assert_eq!(a.count(), b.count());
        assert_eq!(a.sum(), b.sum());
        assert_eq!(a.sum_squares(), b.sum_squares());
        assert_eq!((a.min(), a.max()), (b.min(), b.max()));
        for q in [0.0, 0.1, 0.5, 0.9, 0.99, 1.0] {
            assert_eq!(a.quantile(q), b.quantile(q));
        }
        assert_eq!(a.distinct(), b.distinct());
    }

    #[test]
    fn round_trips_through_bytes_and_json() {
        let mut fractional = bucket_of(&[-5, 0, 3, 1 << 40]);
        fractional.merge(&bucket_of_numbers([
            Number::Float(0.25),
            Number::Float(-1e-12),
        ]));
        for bucket in [
            Bucket::new(),
            bucket_of(&[42]),
            fractional,
            bucket_of(&(0..5_000).collect::<Vec<_>>()),
        ] {
            let bytes = bucket.to_bytes();
            let back = Bucket::from_bytes(&bytes).unwrap();
            same(&bucket, &back);
            assert_eq!(back.to_bytes(), bytes);
            let json = serde_json::to_string(&bucket).unwrap();
            same(&bucket, &serde_json::from_str(&json).unwrap());
        }
    }

    #[test]
    fn small_buckets_are_small() {
        assert_eq!(Bucket::new().to_bytes().len(), 9 + 1 + 1 + 8 + 1 + 8 + 1);
        // One value with both sketches: 49 bytes of exact statistics, 52 of DDSketch (which
        // repeats count, min, max and sum), 23 of HyperLogLog++.
        assert_eq!(bucket_of(&[1_500_000]).to_bytes().len(), 129);
    }

    #[test]
    fn pinned_version_1_bytes_still_decode() {
        // Written by this version for the values 2, 4, 4, 4, 5, 5, 7, 9 (with their distinct
        // count): a later build must read them the same.
        let hex = include_str!("bucket-v1.hex").trim();
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let b = Bucket::from_bytes(&bytes).unwrap();
        assert_eq!(b.count(), 8);
        assert_eq!(b.sum(), 40.0);
        assert_eq!(b.sum_squares(), 232.0);
        assert_eq!((b.min(), b.max()), (Some(2.0), Some(9.0)));
        assert_eq!(b.stddev(), Some(2.0));
        assert_eq!(b.distinct(), Some(5));
        let median = b.quantile(0.5).unwrap();
        assert!((median / 4.0 - 1.0).abs() <= 0.01, "{median}");
    }

    #[test]
    fn corruption_is_an_integrity_error() {
        let bytes = bucket_of(&[1, 2, 3]).to_bytes();
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        for bad in [&[][..], &[2][..], &bytes[..bytes.len() - 1], &flipped[..]] {
            let e = Bucket::from_bytes(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Integrity, "{e}");
        }
        assert!(
            Bucket::from_bytes(&[2, 0])
                .unwrap_err()
                .message()
                .contains("version 2")
        );
    }

    #[test]
    fn zigzag_varints_round_trip_extremes() {
        for v in [0, 1, -1, 63, -64, i128::MAX, i128::MIN] {
            let mut out = Vec::new();
            put_varint(&mut out, zigzag(v));
            assert_eq!(unzigzag(Reader(&out).varint().unwrap()), v);
        }
    }
}
