//! The document model shared by Metalink 4 and Metalink 3.0.
//!
//! Both readers produce this model after validation, so everything here is already
//! checked: names are safe, hashes have the right length, URLs are absolute and
//! priorities are in range. The writer serializes it back as Metalink 4.

use super::date::Timestamp;
use super::hash::{Hash, HashAlgorithm};

/// Lowest priority a URL can have (RFC 5854 §4.2.16.1); also the default.
pub const LOWEST_PRIORITY: u32 = 999_999;

/// Which format a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Metalink 3.0 (`http://www.metalinker.org/`).
    V3,
    /// Metalink 4 (RFC 5854).
    V4,
}

impl Version {
    pub fn number(self) -> u8 {
        match self {
            Version::V3 => 3,
            Version::V4 => 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub version: Version,
    pub generator: Option<String>,
    /// Where the document itself lives (RFC 5854 §4.2.9).
    pub origin: Option<String>,
    /// Whether the document should be re-fetched from `origin` for updates.
    pub dynamic: bool,
    pub published: Option<Timestamp>,
    pub updated: Option<Timestamp>,
    pub files: Vec<File>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct File {
    /// Relative path, `/`-separated, checked by [`super::names::check`].
    pub name: String,
    pub size: Option<u64>,
    pub identity: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
    pub copyright: Option<String>,
    pub logo: Option<String>,
    pub publisher: Option<Publisher>,
    /// RFC 5646 language tags, as written.
    pub languages: Vec<String>,
    /// IANA operating system names, as written.
    pub os: Vec<String>,
    /// Whole-file hashes, at most one per algorithm.
    pub hashes: Vec<Hash>,
    /// Piece hash lists, at most one per algorithm.
    pub pieces: Vec<Pieces>,
    /// Download URLs in document order; see [`super::select`] for the order to try them in.
    pub urls: Vec<MirrorUrl>,
    pub metaurls: Vec<MetaUrl>,
    pub signatures: Vec<Signature>,
    /// Metalink 3.0 `resources@maxconnections`: a cap on connections for this file.
    pub max_connections: Option<u32>,
    /// MirrorManager `mm0:timestamp` of the current version.
    pub timestamp: Option<i64>,
    /// MirrorManager `mm0:alternates`: older versions that are still acceptable.
    pub alternates: Vec<Alternate>,
}

impl File {
    pub fn new(name: impl Into<String>) -> Self {
        File {
            name: name.into(),
            ..File::default()
        }
    }

    /// The strongest whole-file hash, the one to verify with.
    pub fn strongest_hash(&self) -> Option<&Hash> {
        super::hash::strongest(&self.hashes)
    }

    /// The piece list to verify with: SHA-256 when present (fast with SHA-NI and strong
    /// enough to find bad pieces; the whole-file hash gives the security), else the
    /// strongest one.
    pub fn preferred_pieces(&self) -> Option<&Pieces> {
        self.pieces
            .iter()
            .max_by_key(|p| (p.algorithm == HashAlgorithm::Sha256, p.algorithm.strength()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    pub name: String,
    pub url: Option<String>,
}

/// Per-piece hashes: every piece is `length` bytes except the last.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "PiecesData")]
pub struct Pieces {
    pub algorithm: HashAlgorithm,
    pub length: u64,
    /// The digests back to back, `algorithm.digest_len()` bytes each.
    #[serde(with = "super::hash::hex_bytes")]
    digests: Vec<u8>,
}

/// Pieces as stored (e.g. in Braid's queue file), checked before use.
#[derive(serde::Deserialize)]
struct PiecesData {
    algorithm: HashAlgorithm,
    length: u64,
    #[serde(with = "super::hash::hex_bytes")]
    digests: Vec<u8>,
}

impl TryFrom<PiecesData> for Pieces {
    type Error = String;

    fn try_from(data: PiecesData) -> Result<Self, String> {
        if data.length == 0
            || !data
                .digests
                .len()
                .is_multiple_of(data.algorithm.digest_len())
        {
            return Err("piece hashes of the wrong length".into());
        }
        Ok(Pieces::new(data.algorithm, data.length, data.digests))
    }
}

impl Pieces {
    /// `digests` holds the piece digests back to back; its length must be a multiple of
    /// the algorithm's digest length.
    pub fn new(algorithm: HashAlgorithm, length: u64, digests: Vec<u8>) -> Self {
        assert!(length > 0, "piece length must be positive");
        assert_eq!(digests.len() % algorithm.digest_len(), 0);
        Pieces {
            algorithm,
            length,
            digests,
        }
    }

    pub fn count(&self) -> usize {
        self.digests.len() / self.algorithm.digest_len()
    }

    pub fn digest(&self, index: usize) -> &[u8] {
        let len = self.algorithm.digest_len();
        &self.digests[index * len..(index + 1) * len]
    }

    pub fn digests(&self) -> impl ExactSizeIterator<Item = &[u8]> {
        self.digests.chunks_exact(self.algorithm.digest_len())
    }

    /// How many pieces a file of `size` bytes has with this piece length.
    pub fn expected_count(size: u64, length: u64) -> u64 {
        size.div_ceil(length)
    }
}

impl std::fmt::Debug for Pieces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pieces")
            .field("algorithm", &self.algorithm)
            .field("length", &self.length)
            .field("count", &self.count())
            .finish()
    }
}

/// A download URL (RFC 5854 `url`, Metalink 3.0 `resources/url`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MirrorUrl {
    /// Absolute URL.
    pub url: String,
    /// 1 (first) ..= 999999 (last).
    pub priority: u32,
    /// ISO 3166-1 alpha-2 country code, lowercase.
    pub location: Option<String>,
    /// Per-mirror connection cap (Metalink 3.0, and MirrorBrain's non-standard v4 attribute).
    pub max_connections: Option<u32>,
}

/// A link to metadata that describes the file, e.g. a torrent (RFC 5854 `metaurl`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaUrl {
    pub url: String,
    /// A MIME type, or the reserved `torrent`.
    pub mediatype: String,
    pub priority: u32,
    /// The file's name inside a multi-file torrent.
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// e.g. `application/pgp-signature`.
    pub mediatype: String,
    pub body: String,
}

/// An older version of a file that is still acceptable (MirrorManager `mm0:alternate`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Alternate {
    pub timestamp: Option<i64>,
    pub size: Option<u64>,
    pub hashes: Vec<Hash>,
}
