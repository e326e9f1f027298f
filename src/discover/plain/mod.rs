//! A plain URL given the metalink treatment: once probed, it gets a digest to be
//! checked against (the user's first, else the server's headers, else published hash
//! files) and more mirrors (`rel=duplicate` headers, the server's metalink, metalink
//! services, Braid's memory), each with where it came from. Mirrors other than the URL
//! itself are used only when a digest can tell a wrong one apart. `asking` is the
//! services' part, `remembering` the memory's.

mod asking;
mod remembering;

pub use remembering::{remember_document, teach_verified, verified_sighting};

use asking::{ask_services, take_service};
use remembering::remembered;

use super::checksums::{self, Budget, Conflict, FoundDigest, Search, Target, Tried};
use super::fetch::Limits;
use super::memory::Memory;
use super::services::{self, ServiceError};
use super::{Note, RemoteFile};
use crate::engine::{ChecksumOrigin, JobSpec, MirrorOrigin, Provenance};
use crate::metalink::{self, Hash, HashAlgorithm, MirrorUrl, Pieces};

/// Mirrors taken from the memory for one download.
const MEMORY_MIRRORS: usize = 16;
/// Mirrors taken from one service answer.
const SERVICE_MIRRORS: usize = 32;

/// What to look for, and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// A digest the user has (add dialog, `--checksum`); it comes first.
    pub expected: Option<Hash>,
    /// Look for published hash files (the setting and `--no-checksum-search`).
    pub search: bool,
    /// Metalink services to ask, as configured (none by default).
    pub services: Vec<String>,
    /// Braid's memory of mirrors to ask; `None` not to. (It is taught what a download
    /// proved once it is verified: [`teach_verified`].)
    pub memory: Option<Memory>,
    /// More URLs of the same file the user named (tab-separated in an input file).
    pub user_mirrors: Vec<String>,
    pub budget: Budget,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            expected: None,
            search: true,
            services: Vec::new(),
            memory: None,
            user_mirrors: Vec::new(),
            budget: Budget::default(),
        }
    }
}

/// A plain URL with everything found for it.
#[derive(Debug, Clone)]
pub struct PlainFile {
    /// The URL as given.
    pub given: url::Url,
    /// Where it led.
    pub url: url::Url,
    pub name: String,
    pub size: Option<u64>,
    /// One per algorithm; the strongest is the one the file is checked against.
    pub hashes: Vec<Hash>,
    /// The same digests, each with where it came from.
    pub digests: Vec<FoundDigest>,
    pub pieces: Option<Pieces>,
    /// In the order to try them; the first is the URL itself.
    pub urls: Vec<MirrorUrl>,
    pub provenance: Provenance,
    /// Places that disagree about the file: it must not be downloaded until the user
    /// says which digest is right.
    pub conflict: Option<Conflict>,
    pub notes: Vec<PlainNote>,
    /// OpenPGP signatures of the file or of its hash file, checked once it is in.
    pub signatures: Vec<crate::signature::Found>,
    /// Every place the hash-file search asked (for `braid inspect`).
    pub tried: Vec<Tried>,
}

/// Something about the plain file the user should know; it is still usable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlainNote {
    #[error(transparent)]
    Probe(Note),
    /// Mirrors were named but nothing can check them, so they are not used.
    #[error("{count} mirror(s) from {} not used: no checksum to check them against", mirror_place(.from))]
    Unchecked { count: usize, from: MirrorOrigin },
    /// A service's digest differs from the one the file is checked against.
    #[error("{service} disagrees about the {algorithm} digest; its mirrors are not used")]
    ServiceDisagrees {
        service: String,
        algorithm: HashAlgorithm,
    },
    /// A service describes a file of another size.
    #[error("{service} describes a file of {theirs} bytes, this one has {ours}; not used")]
    ServiceOtherSize {
        service: String,
        theirs: u64,
        ours: u64,
    },
    #[error(transparent)]
    Service(ServiceError),
    /// The user's digest and the server's header disagree: the user's is used.
    #[error("your {algorithm} checksum differs from the server's Digest header; yours is used")]
    HeaderDisagrees { algorithm: HashAlgorithm },
    #[error("the mirror memory: {0}")]
    Memory(String),
}

fn mirror_place(origin: &MirrorOrigin) -> String {
    match origin {
        MirrorOrigin::LinkHeader => "the server's Link headers".into(),
        MirrorOrigin::Service { service } => service.clone(),
        MirrorOrigin::ServerMetalink { url } | MirrorOrigin::ControlFile { url } => {
            crate::engine::provenance::last_segment(url)
        }
        MirrorOrigin::Memory { .. } => "Braid's memory".into(),
        MirrorOrigin::User => "you".into(),
        MirrorOrigin::Given => "the URL".into(),
    }
}

impl PlainFile {
    /// The download of this file into `dir`; `source` is what the user gave. A
    /// conflict stops here: nothing is downloaded against digests that disagree.
    pub fn into_spec(
        self,
        source: &str,
        dir: std::path::PathBuf,
    ) -> Result<JobSpec, Box<Conflict>> {
        if let Some(conflict) = self.conflict {
            return Err(Box::new(conflict));
        }
        Ok(JobSpec {
            source: source.to_owned(),
            name: self.name,
            dir,
            size: self.size,
            hashes: self.hashes,
            pieces: self.pieces,
            urls: self.urls,
            overwrite: false,
            rate_limit: None,
            blocks: None,
            reuse: Vec::new(),
            max_connections: None,
            priority: Default::default(),
            start_at: None,
            provenance: self.provenance,
            signatures: crate::signature::Signatures {
                found: self.signatures,
                required: false,
            },
            // Set where a browser handed the link over (the window does it).
            site_headers: None,
        })
    }

    /// The digest the file is checked against, with where it came from.
    pub fn checked_with(&self) -> Option<(HashAlgorithm, &ChecksumOrigin)> {
        let hash = metalink::hash::strongest(&self.hashes)?;
        Some((hash.algorithm, self.provenance.checksum.as_ref()?))
    }

    /// How many mirrors came from each place (the URL itself not counted).
    pub fn mirror_counts(&self) -> Vec<(MirrorOrigin, usize)> {
        let mut counts: Vec<(MirrorOrigin, usize)> = Vec::new();
        for (_, origin) in &self.provenance.mirrors {
            let origin = match origin {
                MirrorOrigin::Given => continue,
                // One line for the memory, however old each mirror.
                MirrorOrigin::Memory { .. } => MirrorOrigin::Memory { last_seen: 0 },
                other => other.clone(),
            };
            match counts.iter_mut().find(|(o, _)| *o == origin) {
                Some((_, count)) => *count += 1,
                None => counts.push((origin, 1)),
            }
        }
        counts
    }
}

/// Completes a probed plain file. `client` is for small documents
/// ([`super::fetch::client`]).
pub async fn complete(
    client: &reqwest::Client,
    given: &url::Url,
    file: RemoteFile,
    options: &Options,
) -> PlainFile {
    let mut gathering = Gathering::start(given, &file, options);
    let names = names(given, &file);
    let limits = Limits {
        max_bytes: usize::MAX,
        timeout: options.budget.request,
    };
    let early = gathering.strongest_hash();
    // The hash-file search and the services' answers by URL, at the same time.
    let target = Target {
        url: given.clone(),
        final_url: file.url.clone(),
        header_digests: file.hashes.clone(),
        size: file.size,
    };
    let search_wanted = options.search && options.expected.is_none() && !gathering.has_strong();
    let (search, answers) = tokio::join!(
        async {
            if search_wanted {
                checksums::search(client, &target, options.budget).await
            } else {
                Search::default()
            }
        },
        ask_services(
            client,
            options,
            &file.url,
            &names,
            true,
            early.as_ref(),
            limits
        ),
    );
    gathering.take_search(search, &file);
    // Signatures the server links to (`Link: rel=describedby` .asc), beside those found.
    let linked =
        super::signatures::linked(client, &file, &gathering.plain.signatures, options.budget).await;
    gathering.plain.signatures.extend(linked);
    gathering.take_services(answers);
    // A digest found only now: the services are asked by it too.
    if early.is_none()
        && let Some(digest) = gathering.strongest_hash()
    {
        let answers = ask_services(
            client,
            options,
            &file.url,
            &names,
            false,
            Some(&digest),
            limits,
        )
        .await;
        gathering.take_services(answers);
    }
    gathering.finish(&file, options).await
}

/// What is known about a plain file so far, as the places answer.
struct Gathering {
    plain: PlainFile,
    /// One per algorithm, with where it came from; the user's first.
    digests: Vec<FoundDigest>,
    /// Mirrors that are used only when a digest can check them.
    vouched: Vec<(MirrorUrl, MirrorOrigin)>,
}

impl Gathering {
    /// The user's digest, else the server's headers.
    fn start(given: &url::Url, file: &RemoteFile, options: &Options) -> Gathering {
        let mut digests = Vec::new();
        let mut notes: Vec<PlainNote> = file.notes.iter().cloned().map(PlainNote::Probe).collect();
        match &options.expected {
            // The user's digest is the one the file is checked against: the server's
            // headers and published files are not asked to outvote it.
            Some(expected) => {
                digests.push(FoundDigest {
                    hash: expected.clone(),
                    origin: ChecksumOrigin::User,
                });
                if file
                    .hashes
                    .iter()
                    .any(|h| h.algorithm == expected.algorithm && h != expected)
                {
                    notes.push(PlainNote::HeaderDisagrees {
                        algorithm: expected.algorithm,
                    });
                }
            }
            None => {
                for hash in &file.hashes {
                    if digests
                        .iter()
                        .all(|d: &FoundDigest| d.hash.algorithm != hash.algorithm)
                    {
                        digests.push(FoundDigest {
                            hash: hash.clone(),
                            origin: ChecksumOrigin::Header,
                        });
                    }
                }
            }
        }
        let plain = PlainFile {
            given: given.clone(),
            url: file.url.clone(),
            name: file.name.clone(),
            size: file.size,
            hashes: Vec::new(),
            digests: Vec::new(),
            pieces: None,
            urls: Vec::new(),
            provenance: Provenance::default(),
            conflict: None,
            notes,
            signatures: Vec::new(),
            tried: Vec::new(),
        };
        let vouched = file
            .duplicates
            .iter()
            .map(|u| (u.clone(), MirrorOrigin::LinkHeader))
            .collect();
        Gathering {
            plain,
            digests,
            vouched,
        }
    }

    fn has_strong(&self) -> bool {
        self.digests.iter().any(|d| !d.hash.algorithm.is_weak())
    }

    fn strongest_hash(&self) -> Option<Hash> {
        strongest(&self.digests).map(|d| d.hash.clone())
    }

    /// What the hash-file search found.
    fn take_search(&mut self, search: Search, file: &RemoteFile) {
        self.plain.conflict = search.conflict;
        for found in search.found {
            if found.origin != ChecksumOrigin::Header
                && self
                    .digests
                    .iter()
                    .all(|d| d.hash.algorithm != found.hash.algorithm)
            {
                self.digests.push(found);
            }
        }
        if search.pieces.as_ref().is_some_and(|p| fits(p, file.size)) {
            self.plain.pieces = search.pieces;
        }
        self.vouched.extend(search.mirrors);
        self.plain.signatures.extend(search.signatures);
        self.plain.tried = search.tried;
    }

    fn take_services(&mut self, answers: Vec<Result<services::Answer, ServiceError>>) {
        for answer in answers {
            match answer {
                Ok(answer) => take_service(
                    &mut self.plain,
                    &mut self.digests,
                    &mut self.vouched,
                    answer,
                ),
                Err(error) => self.plain.notes.push(PlainNote::Service(error)),
            }
        }
    }

    /// The mirrors in use (those that need a digest only with one, the memory's
    /// among them) and the digest the file is checked against.
    async fn finish(mut self, file: &RemoteFile, options: &Options) -> PlainFile {
        let mut mirrors = Mirrors::default();
        mirrors.push(
            file.urls
                .first()
                .cloned()
                .unwrap_or_else(|| mirror(file.url.as_str())),
            MirrorOrigin::Given,
        );
        for url in &options.user_mirrors {
            mirrors.push(mirror(url), MirrorOrigin::User);
        }
        let hashes = one_per_algorithm(&self.digests);
        let checked = self.plain.conflict.is_none() && !hashes.is_empty();
        if checked && let Some(memory) = &options.memory {
            match remembered(memory, &hashes, file).await {
                Ok(found) => self.vouched.extend(found),
                Err(e) => self.plain.notes.push(PlainNote::Memory(e.to_string())),
            }
        }
        if checked {
            for (url, origin) in std::mem::take(&mut self.vouched) {
                mirrors.push(url, origin);
            }
        } else if self.plain.conflict.is_none() {
            let mut unchecked: Vec<(MirrorOrigin, usize)> = Vec::new();
            for (_, origin) in std::mem::take(&mut self.vouched) {
                match unchecked.iter_mut().find(|(o, _)| *o == origin) {
                    Some((_, n)) => *n += 1,
                    None => unchecked.push((origin, 1)),
                }
            }
            self.plain.notes.extend(
                unchecked
                    .into_iter()
                    .map(|(from, count)| PlainNote::Unchecked { count, from }),
            );
        }
        let mut plain = self.plain;
        plain.provenance = Provenance {
            checksum: strongest(&self.digests).map(|d| d.origin.clone()),
            mirrors: mirrors
                .list
                .iter()
                .map(|(u, o)| (u.url.clone(), o.clone()))
                .collect(),
        };
        plain.urls = mirrors.list.into_iter().map(|(u, _)| u).collect();
        plain.hashes = hashes;
        plain.digests = self.digests;
        plain
            .digests
            .sort_by_key(|d| std::cmp::Reverse(d.hash.algorithm.strength()));
        plain
    }
}

/// The names the file may go by in hash files and service metalinks.
fn names(given: &url::Url, file: &RemoteFile) -> Vec<String> {
    let mut names = vec![file.name.clone()];
    for url in [given, &file.url] {
        let name = crate::engine::provenance::last_segment(url.as_str());
        if url.query().is_none() && !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn strongest(digests: &[FoundDigest]) -> Option<&FoundDigest> {
    digests
        .iter()
        .min_by_key(|d| std::cmp::Reverse(d.hash.algorithm.strength()))
}

fn one_per_algorithm(digests: &[FoundDigest]) -> Vec<Hash> {
    let mut hashes: Vec<Hash> = Vec::new();
    for digest in digests {
        if hashes.iter().all(|h| h.algorithm != digest.hash.algorithm) {
            hashes.push(digest.hash.clone());
        }
    }
    hashes.sort_by_key(|h| h.algorithm);
    hashes
}

fn mirror(url: &str) -> MirrorUrl {
    MirrorUrl {
        url: url.to_owned(),
        priority: metalink::model::LOWEST_PRIORITY,
        location: None,
        max_connections: None,
    }
}

/// The mirrors in use, each once, with where it came from.
#[derive(Default)]
struct Mirrors {
    list: Vec<(MirrorUrl, MirrorOrigin)>,
}

impl Mirrors {
    fn push(&mut self, url: MirrorUrl, origin: MirrorOrigin) {
        if metalink::select::is_supported(&url.url)
            && self.list.iter().all(|(u, _)| u.url != url.url)
        {
            self.list.push((url, origin));
        }
    }
}

/// Whether a piece list is one for a file of `size` bytes.
fn fits(pieces: &Pieces, size: Option<u64>) -> bool {
    size.is_some_and(|size| Pieces::expected_count(size, pieces.length) == pieces.count() as u64)
}
