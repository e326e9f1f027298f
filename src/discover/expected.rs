//! A digest the user has, typed or pasted from a download page: `sha-256=HEX` (aria2's
//! `--checksum` spelling), `sha-256:HEX`, `SHA256 HEX`, a bare hex digest whose length
//! tells its algorithm, or a Subresource Integrity value (`sha256-BASE64`).

use base64::Engine as _;

use crate::metalink::{Hash, HashAlgorithm};

/// Why a typed digest was not understood; the message completes "expected hash: …".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpectedError {
    #[error("it is empty")]
    Empty,
    #[error(
        "'{0}' is not a hash algorithm Braid knows (md5, sha-1, sha-224, sha-256, sha-384, sha-512)"
    )]
    UnknownAlgorithm(String),
    #[error(
        "{digits} hex digits is not the length of any digest (md5 has 32, sha-1 40, sha-256 64, sha-512 128)"
    )]
    UnknownLength { digits: usize },
    #[error("{algorithm} digests have {expected} hex digits, this one has {found}")]
    WrongLength {
        algorithm: HashAlgorithm,
        expected: usize,
        found: usize,
    },
    #[error("'{0}' is not a hexadecimal digit")]
    NotHex(char),
    #[error("the base64 digest cannot be read")]
    BadBase64,
}

/// Reads a digest as users write it.
pub fn parse(text: &str) -> Result<Hash, ExpectedError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ExpectedError::Empty);
    }
    if let Some(hash) = integrity(text)? {
        return Ok(hash);
    }
    let bare = text
        .chars()
        .all(|c| c.is_ascii_hexdigit() || c.is_whitespace());
    let (algorithm, hex) = match text.split_once(['=', ':', ' ', '\t']) {
        Some((name, hex)) if !bare => (Some(algorithm(name.trim())?), hex.trim()),
        _ => (None, text),
    };
    // Digests are sometimes shown in groups: `e3b0 c442 …`.
    let hex: String = hex.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(c) = hex.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(ExpectedError::NotHex(c));
    }
    let algorithm = match algorithm {
        Some(algorithm) => algorithm,
        None => HashAlgorithm::ALL
            .into_iter()
            .find(|a| a.digest_len() * 2 == hex.len())
            .ok_or(ExpectedError::UnknownLength { digits: hex.len() })?,
    };
    Hash::from_hex(algorithm, &hex).map_err(|_| ExpectedError::WrongLength {
        algorithm,
        expected: algorithm.digest_len() * 2,
        found: hex.len(),
    })
}

/// `md5`, `sha-1`, `sha1`, `SHA256`, `sha2-256`…
fn algorithm(name: &str) -> Result<HashAlgorithm, ExpectedError> {
    let lower = name.to_ascii_lowercase();
    let lower = lower.replace("sha2-", "sha-");
    if lower == "sha" {
        return Ok(HashAlgorithm::Sha1);
    }
    HashAlgorithm::from_any(&lower)
        .map(|(a, _)| a)
        .ok_or_else(|| ExpectedError::UnknownAlgorithm(name.to_owned()))
}

/// Subresource Integrity (`sha256-47DEQpj8…=`), as npm and web pages publish digests.
fn integrity(text: &str) -> Result<Option<Hash>, ExpectedError> {
    let Some((name, value)) = text.split_once('-') else {
        return Ok(None);
    };
    let algorithm = match name {
        "sha256" => HashAlgorithm::Sha256,
        "sha384" => HashAlgorithm::Sha384,
        "sha512" => HashAlgorithm::Sha512,
        _ => return Ok(None),
    };
    // `sha256-…` could also be the start of `sha256-HEX`? Hex never ends in `=` and
    // never has the length of base64 for the same digest, so a decodable value of the
    // right length is base64.
    let Ok(digest) = base64::engine::general_purpose::STANDARD.decode(value) else {
        return if value.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(None)
        } else {
            Err(ExpectedError::BadBase64)
        };
    };
    if digest.len() != algorithm.digest_len() {
        return Ok(None);
    }
    Ok(Some(Hash { algorithm, digest }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn the_spellings_users_have() {
        for text in [
            EMPTY_SHA256.to_owned(),
            EMPTY_SHA256.to_uppercase(),
            format!("sha-256={EMPTY_SHA256}"),
            format!("sha-256:{EMPTY_SHA256}"),
            format!("SHA256: {EMPTY_SHA256}"),
            format!("sha256 {EMPTY_SHA256}"),
            format!("sha2-256={EMPTY_SHA256}"),
            format!("  {EMPTY_SHA256}\n"),
            "e3b0 c442 98fc 1c14 9afb f4c8 996f b924 27ae 41e4 649b 934c a495 991b 7852 b855"
                .to_owned(),
            "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".to_owned(),
        ] {
            let hash = parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(hash.algorithm, HashAlgorithm::Sha256, "{text}");
            assert_eq!(hash.hex(), EMPTY_SHA256, "{text}");
        }
        let md5 = parse("md5=d41d8cd98f00b204e9800998ecf8427e").unwrap();
        assert_eq!(md5.algorithm, HashAlgorithm::Md5);
        assert_eq!(
            parse("da39a3ee5e6b4b0d3255bfef95601890afd80709")
                .unwrap()
                .algorithm,
            HashAlgorithm::Sha1
        );
    }

    #[test]
    fn mistakes_are_named() {
        assert_eq!(parse(" "), Err(ExpectedError::Empty));
        assert_eq!(
            parse("abc123"),
            Err(ExpectedError::UnknownLength { digits: 6 })
        );
        assert_eq!(
            parse(&format!("md5={EMPTY_SHA256}")),
            Err(ExpectedError::WrongLength {
                algorithm: HashAlgorithm::Md5,
                expected: 32,
                found: 64
            })
        );
        assert_eq!(
            parse(&format!("crc32={EMPTY_SHA256}")),
            Err(ExpectedError::UnknownAlgorithm("crc32".into()))
        );
        assert_eq!(parse("sha-256=xyz"), Err(ExpectedError::NotHex('x')));
        assert_eq!(
            parse(&format!("md5={EMPTY_SHA256}"))
                .unwrap_err()
                .to_string(),
            "md5 digests have 32 hex digits, this one has 64"
        );
    }
}
