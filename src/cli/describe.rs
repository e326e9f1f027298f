//! The command line's words for where checksums and mirrors came from, shared by
//! `get`, `inspect` and `mirrors`.

use crate::engine::{ChecksumOrigin, MirrorOrigin};
use crate::format;
use crate::metalink::{Hash, HashAlgorithm};
use crate::signature::{Found, Keyring};

/// "sha-256 from SHA256SUMS (http://…/SHA256SUMS)", "sha-256 you gave".
pub fn checksum(algorithm: HashAlgorithm, origin: &ChecksumOrigin) -> String {
    let place = match origin {
        ChecksumOrigin::User => return format!("{algorithm} you gave"),
        ChecksumOrigin::Metalink => return format!("{algorithm} from the metalink"),
        ChecksumOrigin::Header => return format!("{algorithm} from the server's Digest header"),
        ChecksumOrigin::Service { .. } => {
            format!("metalink service {}", origin.place().unwrap_or_default())
        }
        ChecksumOrigin::HashFile { signed: true, .. } => {
            format!("{} (clearsigned)", origin.place().unwrap_or_default())
        }
        _ => origin.place().unwrap_or_default(),
    };
    match origin.url() {
        Some(url) if !matches!(origin, ChecksumOrigin::Service { .. }) => {
            format!("{algorithm} from {place}, {}", format::url(url))
        }
        _ => format!("{algorithm} from {place}"),
    }
}

/// "the server's Link headers", "metalink service x", "Braid's memory".
pub fn mirror_origin(origin: &MirrorOrigin) -> String {
    match origin {
        MirrorOrigin::Given => "the URL given".into(),
        MirrorOrigin::User => "you".into(),
        MirrorOrigin::LinkHeader => "the server's Link headers".into(),
        MirrorOrigin::ServerMetalink { url } | MirrorOrigin::ControlFile { url } => {
            crate::engine::provenance::last_segment(url)
        }
        // Named as the checksum line names it (and the window does): by its host.
        MirrorOrigin::Service { service } => format!(
            "metalink service {}",
            ChecksumOrigin::Service {
                service: service.clone()
            }
            .place()
            .unwrap_or_else(|| format::url(service))
        ),
        MirrorOrigin::Memory { .. } => "Braid's memory".into(),
    }
}

/// "3 more mirrors: 1 from the server's Link headers, 2 from Braid's memory".
pub fn mirror_counts(counts: &[(MirrorOrigin, usize)]) -> Option<String> {
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(origin, n)| format!("{n} from {}", mirror_origin(origin)))
        .collect();
    let noun = if total == 1 { "mirror" } else { "mirrors" };
    Some(format!("{total} more {noun}: {}", parts.join(", ")))
}

/// "3 days ago", "just now", for last-seen times.
pub fn ago(then: i64, now: i64) -> String {
    let seconds = (now - then).max(0);
    match seconds {
        0..60 => "just now".into(),
        60..3600 => plural(seconds / 60, "minute"),
        3600..86_400 => plural(seconds / 3600, "hour"),
        _ => plural(seconds / 86_400, "day"),
    }
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit} ago")
    } else {
        format!("{n} {unit}s ago")
    }
}

/// One signature as `braid inspect` and `braid get` tell it before the download: what
/// checking can say now, in the window's words, and where it was found.
pub struct SignatureLine {
    pub text: String,
    pub warnings: Vec<String>,
    pub source: String,
}

/// What a download's signatures can tell before it starts (`expected`: the digest it
/// will be checked with).
pub fn signatures(
    found: &[Found],
    expected: Option<&Hash>,
    keyring: &Keyring,
) -> Vec<SignatureLine> {
    let now = std::time::SystemTime::now();
    let mut lines = Vec::new();
    for one in found {
        let verdict = crate::signature::check_before_download(
            std::slice::from_ref(one),
            expected,
            keyring,
            now,
        );
        for check in &verdict.checks {
            lines.push(SignatureLine {
                text: crate::words::signature(check),
                warnings: crate::words::warnings(check),
                source: format::url(&one.source),
            });
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_origins_in_words() {
        let sums = ChecksumOrigin::HashFile {
            url: "http://user:pw@h/d/SHA256SUMS".into(),
            signed: false,
        };
        assert_eq!(
            checksum(HashAlgorithm::Sha256, &sums),
            "sha-256 from SHA256SUMS, http://user:***@h/d/SHA256SUMS"
        );
        assert_eq!(
            checksum(HashAlgorithm::Md5, &ChecksumOrigin::User),
            "md5 you gave"
        );
        assert_eq!(
            mirror_counts(&[
                (MirrorOrigin::LinkHeader, 1),
                (MirrorOrigin::Memory { last_seen: 0 }, 2)
            ])
            .unwrap(),
            "3 more mirrors: 1 from the server's Link headers, 2 from Braid's memory"
        );
        assert_eq!(ago(0, 7200), "2 hours ago");
        assert_eq!(ago(0, 86_400), "1 day ago");
    }
}
