//! Braid's memory for plain files: the mirrors it remembers for a digest, and what it
//! learns from each verified download and each metalink (off the async threads: it is
//! a file).

use super::{MEMORY_MIRRORS, mirror};
use crate::discover::RemoteFile;
use crate::discover::memory::{Memory, MemoryError, Sighting};
use crate::engine::{JobSpec, MirrorOrigin, MirrorStatus};
use crate::metalink::{self, Hash, MirrorUrl};

/// What a verified download proved: the file of its digests is at each of its URLs
/// that served it (or was never asked), not at one that sent bad pieces or was dropped
/// (it was missing there, served another size…). `mirrors` is the download's last
/// word on its mirrors. The memory's own mirrors are not counted as seen again. `None`
/// when the download had no digest to prove anything with.
pub fn verified_sighting(spec: &JobSpec, mirrors: &[MirrorStatus]) -> Option<Sighting> {
    if spec.hashes.is_empty() {
        return None;
    }
    let proven = |url: &str| {
        mirrors
            .iter()
            .find(|m| m.url == url)
            .is_none_or(|m| m.dropped.is_none() && m.bad_pieces == 0)
    };
    let urls: Vec<MirrorUrl> = spec
        .urls
        .iter()
        .filter(|u| {
            !matches!(
                spec.provenance.mirror_origin(&u.url),
                Some(MirrorOrigin::Memory { .. })
            )
        })
        .filter(|u| proven(&u.url))
        .cloned()
        .collect();
    (!urls.is_empty()).then(|| Sighting {
        name: spec
            .name
            .rsplit('/')
            .next()
            .unwrap_or(&spec.name)
            .to_owned(),
        size: spec.size,
        hashes: spec.hashes.clone(),
        urls,
    })
}

/// Teaches the memory what a verified download proved (off the async threads). Only
/// then: a hash file can lie, and a server can serve other bytes than it claims, and
/// neither may teach the memory a mirror that later downloads would be sent to.
pub async fn teach_verified(memory: &Memory, sighting: Sighting) -> Result<(), MemoryError> {
    learn(memory, vec![sighting]).await
}

/// Teaches the memory what a metalink says (off the async threads).
pub async fn remember_document(
    memory: &Memory,
    document: &metalink::Document,
) -> Result<(), MemoryError> {
    learn(memory, Sighting::from_document(document)).await
}

async fn learn(memory: &Memory, sightings: Vec<Sighting>) -> Result<(), MemoryError> {
    let memory = memory.clone();
    let now = now();
    tokio::task::spawn_blocking(move || memory.learn(&sightings, now))
        .await
        .unwrap_or(Ok(()))
}

pub(super) async fn remembered(
    memory: &Memory,
    hashes: &[Hash],
    file: &RemoteFile,
) -> Result<Vec<(MirrorUrl, MirrorOrigin)>, MemoryError> {
    let memory = memory.clone();
    let hashes = hashes.to_vec();
    let known = tokio::task::spawn_blocking(move || memory.lookup(&hashes))
        .await
        .unwrap_or(Ok(None))?;
    let Some(known) = known else {
        return Ok(Vec::new());
    };
    if let (Some(theirs), Some(ours)) = (known.size, file.size)
        && theirs != ours
    {
        return Ok(Vec::new());
    }
    Ok(known
        .mirrors
        .into_iter()
        .filter(|m| metalink::select::is_supported(&m.url))
        .take(MEMORY_MIRRORS)
        .map(|m| {
            let mut url = mirror(&m.url);
            url.location = m.location;
            (
                url,
                MirrorOrigin::Memory {
                    last_seen: m.last_seen,
                },
            )
        })
        .collect())
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{DropReason, Fault, Provenance};
    use crate::metalink::HashAlgorithm;

    fn status(url: &str, bad_pieces: u32, dropped: Option<DropReason>) -> MirrorStatus {
        MirrorStatus {
            url: url.into(),
            location: None,
            priority: 1,
            connections: 0,
            bytes: 1,
            speed: 0.0,
            errors: 0,
            bad_pieces,
            dropped,
        }
    }

    fn spec(urls: &[(&str, MirrorOrigin)], hashes: Vec<Hash>) -> JobSpec {
        JobSpec {
            name: "d/f.iso".into(),
            size: Some(10),
            hashes,
            urls: urls.iter().map(|(u, _)| mirror(u)).collect(),
            provenance: Provenance {
                checksum: None,
                mirrors: urls.iter().map(|(u, o)| ((*u).into(), o.clone())).collect(),
            },
            ..JobSpec::default()
        }
    }

    #[test]
    fn a_verified_download_vouches_only_for_the_mirrors_that_served_it_right() {
        let sha = Hash {
            algorithm: HashAlgorithm::Sha256,
            digest: vec![7; 32],
        };
        let spec = spec(
            &[
                ("http://a/f.iso", MirrorOrigin::Given),
                ("http://b/f.iso", MirrorOrigin::LinkHeader),
                ("http://c/f.iso", MirrorOrigin::LinkHeader),
                ("http://d/f.iso", MirrorOrigin::Memory { last_seen: 3 }),
                ("http://e/f.iso", MirrorOrigin::User),
            ],
            vec![sha.clone()],
        );
        let mirrors = [
            status("http://a/f.iso", 0, None),
            status("http://b/f.iso", 2, None),
            status(
                "http://c/f.iso",
                0,
                Some(DropReason::Unusable(Fault::Missing { status: 404 })),
            ),
        ];
        let sighting = verified_sighting(&spec, &mirrors).unwrap();
        let urls: Vec<&str> = sighting.urls.iter().map(|u| u.url.as_str()).collect();
        // b sent bad pieces, c did not have it, d is the memory's own; e was not asked.
        assert_eq!(urls, ["http://a/f.iso", "http://e/f.iso"]);
        assert_eq!(sighting.name, "f.iso");
        assert_eq!(sighting.hashes, [sha]);
        // Nothing to prove it with, nothing proven.
        assert!(
            verified_sighting(
                &JobSpec {
                    hashes: Vec::new(),
                    ..spec
                },
                &mirrors
            )
            .is_none()
        );
    }
}
