//! Braid's memory for plain files: the mirrors it remembers for a digest, and what it
//! learns from each plain file and metalink (off the async threads: it is a file).

use super::{MEMORY_MIRRORS, PlainFile, PlainNote, mirror};
use crate::discover::RemoteFile;
use crate::discover::memory::{Memory, MemoryError, Sighting};
use crate::engine::MirrorOrigin;
use crate::metalink::{self, Hash, MirrorUrl};

/// Teaches the memory the file's digest and the mirrors found for it (the memory's
/// own not counted as seen again).
pub(super) async fn teach(memory: &Memory, mut plain: PlainFile) -> PlainFile {
    let sighting = Sighting {
        name: plain.name.clone(),
        size: plain.size,
        hashes: plain.hashes.clone(),
        urls: plain
            .urls
            .iter()
            .zip(&plain.provenance.mirrors)
            .filter(|(_, (_, o))| !matches!(o, MirrorOrigin::Memory { .. }))
            .map(|(u, _)| u.clone())
            .collect(),
    };
    if let Err(e) = learn(memory, vec![sighting]).await {
        plain.notes.push(PlainNote::Memory(e.to_string()));
    }
    plain
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
