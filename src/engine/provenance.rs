//! Where a download's checksum and mirrors came from, as values the GUI and the CLI
//! both show ("sha-256 from SHA256SUMS", "2 mirrors from Braid's memory"). They travel
//! in the [`JobSpec`](super::JobSpec), so they stay with the download across restarts;
//! the engine carries them and never acts on them (`discover` finds them).

use serde::{Deserialize, Serialize};

/// Where the digest a download is checked against came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChecksumOrigin {
    /// The metalink the download was opened from.
    Metalink,
    /// Typed or pasted by the user (add dialog, `--checksum`, `checksum=` in `-i`).
    User,
    /// A `Digest` or `Repr-Digest` header of the server (RFC 3230, RFC 9530).
    Header,
    /// A hash file published next to the file: a sidecar (`f.iso.sha256`) or a
    /// directory's (`SHA256SUMS`).
    HashFile {
        url: String,
        /// It was clearsigned (the signature is kept, not checked here).
        signed: bool,
    },
    /// The server's own metalink for the file (MirrorBrain's `URL.meta4`).
    ServerMetalink { url: String },
    /// mirrorbits' `URL?sha256` answer.
    Mirrorbits { url: String },
    /// A metalink service (Dynmirror style).
    Service { service: String },
}

impl ChecksumOrigin {
    /// A short name for the place, when it has one: the hash file's name
    /// (`SHA256SUMS`), `f.iso?sha256`, the service's host. The front ends word the rest.
    pub fn place(&self) -> Option<String> {
        match self {
            ChecksumOrigin::Metalink | ChecksumOrigin::User | ChecksumOrigin::Header => None,
            ChecksumOrigin::HashFile { url, .. } | ChecksumOrigin::ServerMetalink { url } => {
                Some(last_segment(url))
            }
            ChecksumOrigin::Mirrorbits { url } => Some(match url::Url::parse(url) {
                Ok(parsed) => format!(
                    "{}?{}",
                    last_segment(url),
                    parsed.query().unwrap_or_default()
                ),
                Err(_) => url.clone(),
            }),
            ChecksumOrigin::Service { service } => Some(host(service)),
        }
    }

    /// The URL behind the place, when there is one.
    pub fn url(&self) -> Option<&str> {
        match self {
            ChecksumOrigin::HashFile { url, .. }
            | ChecksumOrigin::ServerMetalink { url }
            | ChecksumOrigin::Mirrorbits { url } => Some(url),
            ChecksumOrigin::Service { service } => Some(service),
            _ => None,
        }
    }
}

/// Where a mirror of a plain URL came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MirrorOrigin {
    /// The URL that was opened.
    Given,
    /// Named by the user next to it (tab-separated URLs in an input file).
    User,
    /// A `Link: rel=duplicate` header (RFC 6249).
    LinkHeader,
    /// The server's own metalink (`URL.meta4`) or mirror list (`URL.mirrorlist`).
    ServerMetalink { url: String },
    /// The `URL` lines of a zsync control file (`URL.zsync` beside the file).
    ControlFile { url: String },
    /// A metalink service (Dynmirror style).
    Service { service: String },
    /// Braid's memory of earlier metalinks and headers with the same digest.
    Memory {
        /// When Braid last saw this mirror with the digest (Unix seconds).
        last_seen: i64,
    },
}

/// What was learned about a plain URL's checksum and mirrors, and from where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Provenance {
    /// The origin of the digest the file is verified with (the strongest).
    pub checksum: Option<ChecksumOrigin>,
    /// Each mirror URL with where it came from, in the download's order.
    pub mirrors: Vec<(String, MirrorOrigin)>,
}

impl Provenance {
    /// Where `url` came from, if known.
    pub fn mirror_origin(&self, url: &str) -> Option<&MirrorOrigin> {
        self.mirrors.iter().find(|(u, _)| u == url).map(|(_, o)| o)
    }
}

/// The last path segment of a URL, percent-decoded (`SHA256SUMS`).
pub fn last_segment(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.path_segments()
                .and_then(|mut s| s.next_back().map(decode))
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| url.to_owned())
}

/// Percent-decodes a URL path segment (`debian%2012.iso` → `debian 12.iso`).
pub fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

fn host(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(port) => format!("{h}:{port}"),
                None => h.to_owned(),
            })
        })
        .unwrap_or_else(|| url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_short() {
        let file = ChecksumOrigin::HashFile {
            url: "http://example.org/debian/SHA256SUMS".into(),
            signed: false,
        };
        assert_eq!(file.place().as_deref(), Some("SHA256SUMS"));
        let mirrorbits = ChecksumOrigin::Mirrorbits {
            url: "http://example.org/a%20b.iso?sha256".into(),
        };
        assert_eq!(mirrorbits.place().as_deref(), Some("a b.iso?sha256"));
        let service = ChecksumOrigin::Service {
            service: "http://127.0.0.1:8080/x".into(),
        };
        assert_eq!(service.place().as_deref(), Some("127.0.0.1:8080"));
        assert_eq!(ChecksumOrigin::User.place(), None);
    }

    #[test]
    fn provenance_reads_back_from_json() {
        let provenance = Provenance {
            checksum: Some(ChecksumOrigin::Mirrorbits {
                url: "http://a/f.iso?sha256".into(),
            }),
            mirrors: vec![
                ("http://a/f.iso".into(), MirrorOrigin::Given),
                (
                    "http://b/f.iso".into(),
                    MirrorOrigin::Memory {
                        last_seen: 1_700_000_000,
                    },
                ),
            ],
        };
        let json = serde_json::to_string(&provenance).unwrap();
        assert_eq!(
            serde_json::from_str::<Provenance>(&json).unwrap(),
            provenance
        );
        assert_eq!(
            provenance.mirror_origin("http://b/f.iso"),
            Some(&MirrorOrigin::Memory {
                last_seen: 1_700_000_000
            })
        );
        assert_eq!(
            serde_json::from_str::<Provenance>("{}").unwrap(),
            Provenance::default()
        );
    }
}
