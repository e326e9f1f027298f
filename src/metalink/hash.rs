//! Hash algorithm names (IANA "Hash Function Textual Names" and the Metalink 3.0
//! spellings) and hex digests.

use std::fmt;

/// The hash algorithms Braid can verify, weakest first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum HashAlgorithm {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlgorithm {
    pub const ALL: [HashAlgorithm; 6] = [
        HashAlgorithm::Md5,
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha224,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ];

    /// The IANA name used by Metalink 4 (`sha-256`).
    pub fn iana_name(self) -> &'static str {
        match self {
            HashAlgorithm::Md5 => "md5",
            HashAlgorithm::Sha1 => "sha-1",
            HashAlgorithm::Sha224 => "sha-224",
            HashAlgorithm::Sha256 => "sha-256",
            HashAlgorithm::Sha384 => "sha-384",
            HashAlgorithm::Sha512 => "sha-512",
        }
    }

    /// The Metalink 3.0 name (`sha256`).
    pub fn v3_name(self) -> &'static str {
        match self {
            HashAlgorithm::Md5 => "md5",
            HashAlgorithm::Sha1 => "sha1",
            HashAlgorithm::Sha224 => "sha224",
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Sha384 => "sha384",
            HashAlgorithm::Sha512 => "sha512",
        }
    }

    /// Reads an IANA name, case-insensitively.
    pub fn from_iana(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.iana_name().eq_ignore_ascii_case(name))
    }

    /// Reads a Metalink 3.0 name, case-insensitively.
    pub fn from_v3(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.v3_name().eq_ignore_ascii_case(name))
    }

    /// Reads either spelling: the IANA name first, then the Metalink 3.0 one.
    /// Returns whether the name was the other format's spelling.
    pub fn from_any(name: &str) -> Option<(Self, bool)> {
        Self::from_iana(name)
            .map(|a| (a, false))
            .or_else(|| Self::from_v3(name).map(|a| (a, true)))
    }

    /// Digest length in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            HashAlgorithm::Md5 => 16,
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha224 => 28,
            HashAlgorithm::Sha256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }

    /// Higher is stronger: sha-512 > sha-384 > sha-256 > sha-224 > sha-1 > md5.
    pub fn strength(self) -> u8 {
        self as u8
    }

    /// MD5 and SHA-1 are broken for collision resistance (RFC 5854 §7.4).
    pub fn is_weak(self) -> bool {
        matches!(self, HashAlgorithm::Md5 | HashAlgorithm::Sha1)
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.iana_name())
    }
}

/// A whole-file digest.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hash {
    pub algorithm: HashAlgorithm,
    /// Exactly `algorithm.digest_len()` bytes.
    #[serde(with = "hex_bytes")]
    pub digest: Vec<u8>,
}

impl Hash {
    /// Parses a hex digest for `algorithm`, accepting upper case.
    pub fn from_hex(algorithm: HashAlgorithm, hex: &str) -> Result<Self, HexError> {
        let digest = decode_hex(hex)?;
        if digest.len() != algorithm.digest_len() {
            return Err(HexError::Length {
                expected: algorithm.digest_len() * 2,
                found: hex.len(),
            });
        }
        Ok(Hash { algorithm, digest })
    }

    /// Lowercase hex, as Metalink 4 writes it.
    pub fn hex(&self) -> String {
        encode_hex(&self.digest)
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm, self.hex())
    }
}

/// The hash to verify with: the strongest algorithm among `hashes`.
pub fn strongest(hashes: &[Hash]) -> Option<&Hash> {
    hashes.iter().max_by_key(|h| h.algorithm.strength())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HexError {
    #[error("'{0}' is not a hexadecimal digit")]
    NotHex(char),
    #[error("expected {expected} hex digits, found {found}")]
    Length { expected: usize, found: usize },
}

pub fn decode_hex(hex: &str) -> Result<Vec<u8>, HexError> {
    fn nibble(c: u8) -> Result<u8, HexError> {
        match c {
            b'0'..=b'9' => Ok(c - b'0'),
            b'a'..=b'f' => Ok(c - b'a' + 10),
            b'A'..=b'F' => Ok(c - b'A' + 10),
            _ => Err(HexError::NotHex(c as char)),
        }
    }
    if let Some(c) = hex.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(HexError::NotHex(c));
    }
    if !hex.len().is_multiple_of(2) {
        return Err(HexError::Length {
            expected: hex.len() + 1,
            found: hex.len(),
        });
    }
    hex.as_bytes()
        .chunks_exact(2)
        .map(|pair| Ok(nibble(pair[0])? << 4 | nibble(pair[1])?))
        .collect()
}

pub fn encode_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// Digests stored as hex strings (Braid's queue file): a 32-byte digest takes 64
/// characters instead of a JSON array of numbers. Arrays written by older versions are
/// still read.
pub(crate) mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::encode_hex(bytes))
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Hex(String),
        Bytes(Vec<u8>),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        match Stored::deserialize(deserializer)? {
            Stored::Hex(hex) => super::decode_hex(&hex).map_err(serde::de::Error::custom),
            Stored::Bytes(bytes) => Ok(bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_stored_as_hex_and_old_arrays_still_read() {
        let hash = Hash::from_hex(HashAlgorithm::Md5, "0123456789abcdef0123456789abcdef").unwrap();
        let json = serde_json::to_string(&hash).unwrap();
        assert_eq!(
            json,
            r#"{"algorithm":"Md5","digest":"0123456789abcdef0123456789abcdef"}"#
        );
        assert_eq!(serde_json::from_str::<Hash>(&json).unwrap(), hash);
        let old = format!(r#"{{"algorithm":"Md5","digest":{:?}}}"#, hash.digest);
        assert_eq!(serde_json::from_str::<Hash>(&old).unwrap(), hash);
    }

    #[test]
    fn names_in_both_spellings() {
        assert_eq!(
            HashAlgorithm::from_iana("SHA-256"),
            Some(HashAlgorithm::Sha256)
        );
        assert_eq!(HashAlgorithm::from_iana("sha256"), None);
        assert_eq!(HashAlgorithm::from_v3("sha1"), Some(HashAlgorithm::Sha1));
        assert_eq!(
            HashAlgorithm::from_any("sha512"),
            Some((HashAlgorithm::Sha512, true))
        );
        assert_eq!(HashAlgorithm::from_any("md4"), None);
    }

    #[test]
    fn strength_order() {
        let mut all = HashAlgorithm::ALL;
        all.sort_by_key(|a| std::cmp::Reverse(a.strength()));
        assert_eq!(all[0], HashAlgorithm::Sha512);
        assert_eq!(all[5], HashAlgorithm::Md5);
    }

    #[test]
    fn hex_length_is_checked_per_algorithm() {
        let md5_31 = "fc4d834e89c18c99b2615d90275094c";
        assert_eq!(
            Hash::from_hex(HashAlgorithm::Md5, md5_31),
            Err(HexError::Length {
                expected: 32,
                found: 31
            })
        );
        let ok = Hash::from_hex(HashAlgorithm::Md5, "FC4D834E89C18C99B2615D902750948C").unwrap();
        assert_eq!(ok.hex(), "fc4d834e89c18c99b2615d902750948c");
        assert!(matches!(
            Hash::from_hex(HashAlgorithm::Sha1, "xxxx"),
            Err(HexError::NotHex('x'))
        ));
    }
}
