//! One pass over a file for every hash `braid create` writes: each whole-file hash and
//! the piece list on a thread of its own, fed the same buffers.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{CreateError, READ_BUFFER};
use crate::engine::verify::Hasher;
use crate::metalink::{Hash, HashAlgorithm, Pieces};

/// What one pass over a file gives.
pub(super) struct Hashed {
    pub(super) hashes: Vec<Hash>,
    pub(super) pieces: Option<Pieces>,
}

/// Reads a file once, computing every whole-file hash and the sha-256 pieces. Each hash
/// runs on a thread of its own (the piece list and the whole-file sha-256 are as much
/// work each), fed the same buffers, so the cores share the work.
pub(super) fn hash_file(
    path: &Path,
    algorithms: &[HashAlgorithm],
    piece_length: Option<u64>,
    read_bytes: &mut dyn FnMut(u64),
    stop: &AtomicBool,
) -> Result<Hashed, CreateError> {
    let io = |source| CreateError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut lanes: Vec<Lane> = algorithms
        .iter()
        .map(|a| Lane::Whole(*a, Hasher::new(*a)))
        .collect();
    if let Some(length) = piece_length {
        lanes.push(Lane::Pieces(PieceHasher::new(length)));
    }
    std::thread::scope(|scope| {
        let mut feeds = Vec::new();
        let mut workers = Vec::new();
        for mut lane in lanes {
            let (feed, chunks) = std::sync::mpsc::sync_channel::<Arc<Vec<u8>>>(4);
            feeds.push(feed);
            workers.push(scope.spawn(move || {
                for chunk in chunks {
                    lane.update(&chunk);
                }
                lane
            }));
        }
        loop {
            if stop.load(Ordering::Relaxed) {
                return Err(CreateError::Stopped);
            }
            let mut buffer = vec![0; READ_BUFFER];
            let n = match file.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io(e)),
            };
            buffer.truncate(n);
            let chunk = Arc::new(buffer);
            for feed in &feeds {
                // A worker only ends when its feed does.
                let _ = feed.send(chunk.clone());
            }
            read_bytes(n as u64);
        }
        drop(feeds);
        let mut hashed = Hashed {
            hashes: Vec::new(),
            pieces: None,
        };
        for worker in workers {
            match worker.join().expect("a hashing thread does not panic") {
                Lane::Whole(algorithm, hasher) => hashed.hashes.push(Hash {
                    algorithm,
                    digest: hasher.finalize(),
                }),
                Lane::Pieces(pieces) => hashed.pieces = pieces.finish(),
            }
        }
        Ok(hashed)
    })
}

/// One hash computed over a file.
enum Lane {
    Whole(HashAlgorithm, Hasher),
    Pieces(PieceHasher),
}

impl Lane {
    fn update(&mut self, data: &[u8]) {
        match self {
            Lane::Whole(_, hasher) => hasher.update(data),
            Lane::Pieces(pieces) => pieces.update(data),
        }
    }
}

/// sha-256 piece hashes, fed the file in order.
struct PieceHasher {
    length: u64,
    hasher: Hasher,
    in_piece: u64,
    digests: Vec<u8>,
}

impl PieceHasher {
    fn new(length: u64) -> Self {
        PieceHasher {
            length,
            hasher: Hasher::new(HashAlgorithm::Sha256),
            in_piece: 0,
            digests: Vec::new(),
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let take = data.len().min((self.length - self.in_piece) as usize);
            self.hasher.update(&data[..take]);
            self.in_piece += take as u64;
            data = &data[take..];
            if self.in_piece == self.length {
                let done = std::mem::replace(&mut self.hasher, Hasher::new(HashAlgorithm::Sha256));
                self.digests.extend(done.finalize());
                self.in_piece = 0;
            }
        }
    }

    fn finish(mut self) -> Option<Pieces> {
        if self.in_piece > 0 {
            self.digests.extend(self.hasher.finalize());
        }
        (!self.digests.is_empty())
            .then(|| Pieces::new(HashAlgorithm::Sha256, self.length, self.digests))
    }
}
