//! Hashing: pieces as they arrive, and the whole file along the verified prefix so the
//! final check costs almost nothing.

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use crate::metalink::{Hash, HashAlgorithm};

/// An incremental hash of any algorithm a metalink may name.
pub enum Hasher {
    Md5(Md5),
    Sha1(Sha1),
    Sha224(Sha224),
    Sha256(Sha256),
    Sha384(Sha384),
    Sha512(Sha512),
}

impl Hasher {
    pub fn new(algorithm: HashAlgorithm) -> Self {
        match algorithm {
            HashAlgorithm::Md5 => Hasher::Md5(Md5::new()),
            HashAlgorithm::Sha1 => Hasher::Sha1(Sha1::new()),
            HashAlgorithm::Sha224 => Hasher::Sha224(Sha224::new()),
            HashAlgorithm::Sha256 => Hasher::Sha256(Sha256::new()),
            HashAlgorithm::Sha384 => Hasher::Sha384(Sha384::new()),
            HashAlgorithm::Sha512 => Hasher::Sha512(Sha512::new()),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Md5(h) => h.update(data),
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha224(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha384(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
        }
    }

    pub fn finalize(self) -> Vec<u8> {
        match self {
            Hasher::Md5(h) => h.finalize().to_vec(),
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha224(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha384(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

/// The digest of `data`.
pub fn digest(algorithm: HashAlgorithm, data: &[u8]) -> Vec<u8> {
    let mut hasher = Hasher::new(algorithm);
    hasher.update(data);
    hasher.finalize()
}

/// Whole-file hashing over the verified prefix of a part file.
pub struct PrefixHasher {
    pub expected: Hash,
    hasher: Hasher,
    /// Bytes hashed so far, from the start of the file.
    pub hashed: u64,
}

impl PrefixHasher {
    pub fn new(expected: Hash) -> Self {
        PrefixHasher {
            hasher: Hasher::new(expected.algorithm),
            expected,
            hashed: 0,
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        self.hasher.update(data);
        self.hashed += data.len() as u64;
    }

    /// Whether the whole file matched.
    pub fn matches(self) -> bool {
        self.hasher.finalize() == self.expected.digest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metalink::hash::encode_hex;

    #[test]
    fn known_digests() {
        let cases = [
            (HashAlgorithm::Md5, "900150983cd24fb0d6963f7d28e17f72"),
            (
                HashAlgorithm::Sha1,
                "a9993e364706816aba3e25717850c26c9cd0d89d",
            ),
            (
                HashAlgorithm::Sha256,
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
        ];
        for (algorithm, hex) in cases {
            assert_eq!(encode_hex(&digest(algorithm, b"abc")), hex, "{algorithm}");
        }
        assert_eq!(digest(HashAlgorithm::Sha512, b"").len(), 64);
        assert_eq!(digest(HashAlgorithm::Sha384, b"").len(), 48);
        assert_eq!(digest(HashAlgorithm::Sha224, b"").len(), 28);
    }

    #[test]
    fn prefix_hasher_in_parts() {
        let expected = Hash {
            algorithm: HashAlgorithm::Sha256,
            digest: digest(HashAlgorithm::Sha256, b"hello world"),
        };
        let mut h = PrefixHasher::new(expected);
        h.update(b"hello ");
        h.update(b"world");
        assert_eq!(h.hashed, 11);
        assert!(h.matches());
    }
}
