//! The app's words for where a download's checksum and mirrors came from ("sha-256 from
//! SHA256SUMS", "2 from Braid's memory"), shared by the add dialog and the details
//! screen; `cli::describe` says the same on the command line.

use crate::discover::checksums::Conflict;
use crate::discover::plain::PlainNote;
use crate::engine::{ChecksumOrigin, MirrorOrigin, Provenance};
use crate::i18n::{t, t_args};
use crate::metalink::HashAlgorithm;

/// "sha-256 from SHA256SUMS", "sha-256 you gave".
pub fn checksum(algorithm: HashAlgorithm, origin: &ChecksumOrigin) -> String {
    let hash = ("hash", algorithm.to_string());
    let place = ("place", origin.place().unwrap_or_default());
    match origin {
        ChecksumOrigin::Metalink => t_args("checksum-from-metalink", &[hash]),
        ChecksumOrigin::User => t_args("checksum-from-user", &[hash]),
        ChecksumOrigin::Header => t_args("checksum-from-header", &[hash]),
        ChecksumOrigin::HashFile { signed: true, .. } => {
            t_args("checksum-from-signed-file", &[hash, place])
        }
        ChecksumOrigin::HashFile { .. }
        | ChecksumOrigin::ServerMetalink { .. }
        | ChecksumOrigin::Mirrorbits { .. } => t_args("checksum-from-file", &[hash, place]),
        ChecksumOrigin::Service { .. } => t_args("checksum-from-service", &[hash, place]),
    }
}

/// The line for a download's checksum, from its provenance and strongest algorithm.
pub fn checksum_line(algorithm: Option<HashAlgorithm>, provenance: &Provenance) -> String {
    match (algorithm, &provenance.checksum) {
        (Some(algorithm), Some(origin)) => {
            t_args("found-checked", &[("how", checksum(algorithm, origin))])
        }
        (Some(algorithm), None) => t_args("add-checked-with", &[("hash", algorithm.to_string())]),
        (None, _) => t("found-not-checked"),
    }
}

/// "the server's Link headers", "Braid's memory".
pub fn mirror_origin(origin: &MirrorOrigin) -> String {
    match origin {
        MirrorOrigin::Given => t("mirrors-from-given"),
        MirrorOrigin::User => t("mirrors-from-user"),
        MirrorOrigin::LinkHeader => t("mirrors-from-link-header"),
        MirrorOrigin::ServerMetalink { url } | MirrorOrigin::ControlFile { url } => t_args(
            "mirrors-from-file",
            &[("place", crate::engine::provenance::last_segment(url))],
        ),
        MirrorOrigin::Service { service } => t_args(
            "mirrors-from-service",
            &[(
                "place",
                ChecksumOrigin::Service {
                    service: service.clone(),
                }
                .place()
                .unwrap_or_default(),
            )],
        ),
        MirrorOrigin::Memory { .. } => t("mirrors-from-memory"),
    }
}

/// "2 more mirrors: 1 from the server's Link headers, 1 from Braid's memory"; `None`
/// when there are none beyond the link itself.
pub fn mirror_counts(provenance: &Provenance) -> Option<String> {
    let mut counts: Vec<(MirrorOrigin, usize)> = Vec::new();
    for (_, origin) in &provenance.mirrors {
        let origin = match origin {
            MirrorOrigin::Given => continue,
            MirrorOrigin::Memory { .. } => MirrorOrigin::Memory { last_seen: 0 },
            other => other.clone(),
        };
        match counts.iter_mut().find(|(o, _)| *o == origin) {
            Some((_, n)) => *n += 1,
            None => counts.push((origin, 1)),
        }
    }
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(origin, n)| {
            t_args(
                "mirrors-part",
                &[("count", n.to_string()), ("from", mirror_origin(origin))],
            )
        })
        .collect();
    Some(t_args(
        "found-mirrors",
        &[("count", total.to_string()), ("parts", parts.join(", "))],
    ))
}

/// A note about a plain link, in the user's language where it matters.
pub fn note(note: &PlainNote) -> String {
    match note {
        PlainNote::Unchecked { count, from } => t_args(
            "found-unchecked",
            &[("count", count.to_string()), ("from", mirror_origin(from))],
        ),
        PlainNote::Probe(note) => super::reasons::probe_note(note),
        PlainNote::HeaderDisagrees { algorithm } => {
            t_args("found-header-disagrees", &[("hash", algorithm.to_string())])
        }
        other => other.to_string(),
    }
}

/// Published checksums that disagree: the download cannot start until the user gives
/// the right one.
pub fn conflict(conflict: &Conflict) -> String {
    let detail = match conflict {
        Conflict::Disagree { first, second } => {
            let place = |origin: &ChecksumOrigin| match origin.place() {
                Some(place) => place,
                None => t(match origin {
                    ChecksumOrigin::User => "found-place-user",
                    ChecksumOrigin::Header => "found-place-header",
                    _ => "found-place-metalink",
                }),
            };
            let short = |hash: &crate::metalink::Hash| {
                let hex = hash.hex();
                format!("{}…", &hex[..hex.len().min(16)])
            };
            t_args(
                "found-disagree",
                &[
                    ("first", place(&first.origin)),
                    ("one", short(&first.hash)),
                    ("second", place(&second.origin)),
                    ("other", short(&second.hash)),
                    ("hash", first.hash.algorithm.to_string()),
                ],
            )
        }
        Conflict::ListedTwice {
            url,
            lookup:
                crate::discover::sums::Lookup::Twice {
                    name,
                    algorithm,
                    first_line,
                    second_line,
                },
        } => t_args(
            "found-listed-twice",
            &[
                ("file", crate::engine::provenance::last_segment(url)),
                ("name", name.clone()),
                ("hash", algorithm.to_string()),
                ("first", first_line.to_string()),
                ("second", second_line.to_string()),
            ],
        ),
        other => other.to_string(),
    };
    t_args("found-conflict", &[("detail", detail)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_in_every_language() {
        let sums = ChecksumOrigin::HashFile {
            url: "http://h/d/SHA256SUMS".into(),
            signed: false,
        };
        let provenance = Provenance {
            checksum: Some(sums.clone()),
            mirrors: vec![
                ("http://h/d/f.iso".into(), MirrorOrigin::Given),
                ("http://m/f.iso".into(), MirrorOrigin::LinkHeader),
                (
                    "http://n/f.iso".into(),
                    MirrorOrigin::Memory { last_seen: 5 },
                ),
                (
                    "http://o/f.iso".into(),
                    MirrorOrigin::Memory { last_seen: 6 },
                ),
            ],
        };
        for language in crate::i18n::LANGUAGES {
            crate::i18n::set_language(language);
            let line = checksum_line(Some(HashAlgorithm::Sha256), &provenance);
            assert!(
                line.contains("sha-256") && line.contains("SHA256SUMS"),
                "{language}: {line}"
            );
            let mirrors = mirror_counts(&provenance).unwrap();
            assert!(
                mirrors.contains('3') && mirrors.contains('2'),
                "{language}: {mirrors}"
            );
        }
        crate::i18n::set_language("en");
        assert_eq!(
            checksum_line(Some(HashAlgorithm::Sha256), &provenance),
            "Checked with sha-256 from SHA256SUMS"
        );
        assert_eq!(
            mirror_counts(&provenance).unwrap(),
            "3 more mirrors: 1 from the server's Link headers, 2 from Braid's memory"
        );
        // Seen under Xvfb: "1 de el servicio de metalinks" (Spanish contracts it).
        crate::i18n::set_language("es");
        let served = Provenance {
            checksum: None,
            mirrors: vec![(
                "http://m/f.iso".into(),
                MirrorOrigin::Service {
                    service: "http://s/".into(),
                },
            )],
        };
        assert_eq!(
            mirror_counts(&served).unwrap(),
            "1 réplica más: 1 del servicio de metalinks s"
        );
        assert_eq!(
            mirror_counts(&provenance).unwrap(),
            "3 réplicas más: 1 de las cabeceras Link del servidor, 2 de la memoria de Braid"
        );
        crate::i18n::set_language("en");
    }
}
