//! A signature as it was found, before anything is checked.

use pgp::composed::{CleartextSignedMessage, Deserializable, DetachedSignature};
use serde::{Deserialize, Serialize};

use crate::metalink::Hash;

/// A signature that vouches for a download, as found: `discover` finds them (a
/// metalink's `<signature>`, a `Link: rel=describedby` with `application/pgp-signature`,
/// a `FILE.asc`/`FILE.sig` sidecar, a signed checksum file) and the spec carries them to
/// the job, which checks them once the hashes pass and before the file is placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    /// Where it was found, for people: `metalink`, or the URL of the `.asc`.
    pub source: String,
    pub signs: Signs,
}

/// The signatures a download carries (in its spec), and whether one must prove who
/// published it (`--require-signature`, the per-download setting).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Signatures {
    pub found: Vec<Found>,
    pub required: bool,
}

impl Signatures {
    pub fn is_empty(&self) -> bool {
        self.found.is_empty() && !self.required
    }
}

/// What a found signature signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Signs {
    /// The downloaded file itself, by a detached signature, armored or binary as
    /// published.
    File {
        #[serde(with = "base64_bytes")]
        signature: Vec<u8>,
    },
    /// The checksum file the download's hash came from (`SHA256SUMS`), with its detached
    /// signature (`SHA256SUMS.gpg`): the signature vouches for the hash, the hash for
    /// the file.
    HashFile {
        /// The checksum file's name or URL, for people.
        name: String,
        #[serde(with = "base64_bytes")]
        text: Vec<u8>,
        #[serde(with = "base64_bytes")]
        signature: Vec<u8>,
        /// The digests it lists for this download: the chain holds only when the file
        /// was checked against one of them.
        hashes: Vec<Hash>,
    },
    /// A clearsigned checksum file (`SHA256SUMS.asc`, Fedora's `CHECKSUM`), whole as
    /// published.
    ClearsignedHashFile {
        name: String,
        #[serde(with = "base64_bytes")]
        document: Vec<u8>,
        hashes: Vec<Hash>,
    },
}

impl Found {
    /// A metalink's `<signature>` (RFC 5854 §4.2.13), if it is an OpenPGP one.
    pub fn from_metalink(signature: &crate::metalink::Signature) -> Option<Found> {
        is_openpgp(&signature.mediatype).then(|| Found {
            source: "metalink".to_owned(),
            signs: Signs::File {
                signature: signature.body.trim().as_bytes().to_vec(),
            },
        })
    }

    /// A detached signature over the file, fetched from `url`.
    pub fn detached(url: impl Into<String>, signature: Vec<u8>) -> Found {
        Found {
            source: url.into(),
            signs: Signs::File { signature },
        }
    }

    /// The name of the checksum file it signs, if it signs one.
    pub fn hash_file(&self) -> Option<&str> {
        match &self.signs {
            Signs::File { .. } => None,
            Signs::HashFile { name, .. } | Signs::ClearsignedHashFile { name, .. } => Some(name),
        }
    }

    /// The digests a signed checksum file lists for the download (none for a signature
    /// over the file itself).
    pub fn vouched_hashes(&self) -> &[Hash] {
        match &self.signs {
            Signs::File { .. } => &[],
            Signs::HashFile { hashes, .. } | Signs::ClearsignedHashFile { hashes, .. } => hashes,
        }
    }
}

/// Every OpenPGP `<signature>` of a metalink file.
pub fn from_metalink_file(file: &crate::metalink::File) -> Vec<Found> {
    file.signatures
        .iter()
        .filter_map(Found::from_metalink)
        .collect()
}

/// `application/pgp-signature` (RFC 3156), as metalinks and Link headers name it.
pub(crate) fn is_openpgp(mediatype: &str) -> bool {
    let essence = mediatype.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/pgp-signature")
}

/// The signature packets of a found signature, or why there are none.
pub(crate) fn packets(found: &Found) -> Result<Vec<pgp::packet::Signature>, String> {
    match &found.signs {
        Signs::File { signature } | Signs::HashFile { signature, .. } => {
            detached_packets(signature)
        }
        Signs::ClearsignedHashFile { document, .. } => {
            let text = std::str::from_utf8(document)
                .map_err(|_| "the clearsigned file is not text".to_owned())?;
            let (message, _) =
                CleartextSignedMessage::from_string(text).map_err(|e| e.to_string())?;
            Ok(message.signatures().to_vec())
        }
    }
}

fn detached_packets(bytes: &[u8]) -> Result<Vec<pgp::packet::Signature>, String> {
    let (signatures, _) = DetachedSignature::from_reader_many(bytes).map_err(|e| e.to_string())?;
    let mut packets = Vec::new();
    for signature in signatures {
        packets.push(signature.map_err(|e| e.to_string())?.signature);
    }
    if packets.is_empty() {
        return Err("it holds no signature".to_owned());
    }
    Ok(packets)
}

/// Which keys made these signatures, as fingerprints (or key IDs where a signature names
/// no fingerprint), without checking anything: what the add dialog can say before the
/// download.
pub fn signers(found: &[Found]) -> Vec<String> {
    let mut names = Vec::new();
    for packet in found.iter().filter_map(|f| packets(f).ok()).flatten() {
        if let Some(name) = super::check::issuer_name(&packet)
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
    names
}

/// Signatures are bytes (binary `.sig` files); in the saved queue they are base64.
mod base64_bytes {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_openpgp_signatures_are_taken_from_a_metalink() {
        let pgp = crate::metalink::Signature {
            mediatype: "application/pgp-signature".into(),
            body: "\n  -----BEGIN PGP SIGNATURE-----\n...\n".into(),
        };
        let other = crate::metalink::Signature {
            mediatype: "application/pkcs7-signature".into(),
            body: "MIIB".into(),
        };
        let found = Found::from_metalink(&pgp).unwrap();
        assert_eq!(found.source, "metalink");
        assert!(
            matches!(&found.signs, Signs::File { signature } if signature.starts_with(b"-----BEGIN"))
        );
        assert_eq!(Found::from_metalink(&other), None);
        assert!(is_openpgp("Application/PGP-Signature; charset=us-ascii"));
    }

    #[test]
    fn found_signatures_survive_the_saved_queue() {
        let found = Found {
            source: "https://example.org/SHA256SUMS.gpg".into(),
            signs: Signs::HashFile {
                name: "SHA256SUMS".into(),
                text: b"abc  f.iso\n".to_vec(),
                signature: vec![0x88, 0x00, 0xff],
                hashes: Vec::new(),
            },
        };
        let json = serde_json::to_string(&found).unwrap();
        assert!(json.contains("iAD/"), "{json}");
        assert_eq!(serde_json::from_str::<Found>(&json).unwrap(), found);
    }

    #[test]
    fn a_signature_that_is_not_one_says_why() {
        let found = Found::detached("x.asc", b"hello".to_vec());
        assert!(packets(&found).is_err());
        assert!(signers(&[found]).is_empty());
    }
}
