//! A plain URL given the metalink treatment: once probed, it gets a digest to be
//! checked against (the user's first, else the server's headers, else published hash
//! files) and more mirrors (`rel=duplicate` headers, the server's metalink, metalink
//! services, Braid's memory), each with where it came from. Mirrors other than the URL
//! itself are used only when a digest can tell a wrong one apart.

use super::checksums::{self, Budget, Conflict, FoundDigest, Search, Target, Tried};
use super::fetch::Limits;
use super::memory::{Memory, MemoryError, Sighting};
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
    /// Braid's memory of mirrors; `None` to neither ask nor teach it.
    pub memory: Option<Memory>,
    /// Teach the memory what was found (not when only looking, as `inspect` does).
    pub learn: bool,
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
            learn: true,
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
        MirrorOrigin::ServerMetalink { url } => crate::engine::provenance::last_segment(url),
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
    let names = names(given, &file);
    let mut digests: Vec<FoundDigest> = Vec::new();
    let mut notes: Vec<PlainNote> = file.notes.iter().cloned().map(PlainNote::Probe).collect();
    if let Some(expected) = &options.expected {
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
    // The user's digest is the one the file is checked against: the server's headers
    // and published files are not asked to outvote it.
    if options.expected.is_none() {
        for hash in &file.hashes {
            if digests.iter().all(|d| d.hash.algorithm != hash.algorithm) {
                digests.push(FoundDigest {
                    hash: hash.clone(),
                    origin: ChecksumOrigin::Header,
                });
            }
        }
    }
    let known_strong = digests.iter().any(|d| !d.hash.algorithm.is_weak());
    let limits = Limits {
        max_bytes: usize::MAX,
        timeout: options.budget.request,
    };
    // The hash-file search and the services' answers by URL, at the same time.
    let search_wanted = options.search && options.expected.is_none() && !known_strong;
    let target = Target {
        url: given.clone(),
        final_url: file.url.clone(),
        header_digests: file.hashes.clone(),
        size: file.size,
    };
    let early_digest = strongest(&digests).map(|d| d.hash.clone());
    let (search, mut answers) = tokio::join!(
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
            early_digest.as_ref(),
            limits
        ),
    );
    let conflict = search.conflict.clone();
    for found in &search.found {
        if found.origin != ChecksumOrigin::Header
            && digests
                .iter()
                .all(|d| d.hash.algorithm != found.hash.algorithm)
        {
            digests.push(found.clone());
        }
    }
    // A digest found only now: the services are asked by it too.
    let digest = strongest(&digests).map(|d| d.hash.clone());
    if early_digest.is_none()
        && let Some(digest) = &digest
    {
        answers.extend(
            ask_services(
                client,
                options,
                &file.url,
                &names,
                false,
                Some(digest),
                limits,
            )
            .await,
        );
    }
    let mut plain = PlainFile {
        given: given.clone(),
        url: file.url.clone(),
        name: file.name.clone(),
        size: file.size,
        hashes: Vec::new(),
        digests: Vec::new(),
        pieces: None,
        urls: Vec::new(),
        provenance: Provenance::default(),
        conflict,
        notes,
        signatures: search.signatures.clone(),
        tried: search.tried.clone(),
    };
    let linked = super::signatures::linked(client, &file, &plain.signatures, options.budget).await;
    plain.signatures.extend(linked);
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
    // What needs a digest to be used: gathered, then kept only if there is one.
    let mut vouched: Vec<(MirrorUrl, MirrorOrigin)> = file
        .duplicates
        .iter()
        .map(|u| (u.clone(), MirrorOrigin::LinkHeader))
        .collect();
    if search.pieces.as_ref().is_some_and(|p| fits(p, file.size)) {
        plain.pieces = search.pieces.clone();
    }
    vouched.extend(search.mirrors.iter().cloned());
    for answer in answers {
        match answer {
            Ok(answer) => take_service(&mut plain, &mut digests, &mut vouched, answer),
            Err(error) => plain.notes.push(PlainNote::Service(error)),
        }
    }
    let hashes = one_per_algorithm(&digests);
    if plain.conflict.is_none() && !hashes.is_empty() {
        if let Some(memory) = &options.memory {
            match remembered(memory, &hashes, &file).await {
                Ok(found) => vouched.extend(found),
                Err(e) => plain.notes.push(PlainNote::Memory(e.to_string())),
            }
        }
        for (url, origin) in vouched {
            mirrors.push(url, origin);
        }
    } else {
        let mut unchecked: Vec<(MirrorOrigin, usize)> = Vec::new();
        for (_, origin) in vouched {
            match unchecked.iter_mut().find(|(o, _)| *o == origin) {
                Some((_, n)) => *n += 1,
                None => unchecked.push((origin, 1)),
            }
        }
        if plain.conflict.is_none() {
            plain.notes.extend(
                unchecked
                    .into_iter()
                    .map(|(from, count)| PlainNote::Unchecked { count, from }),
            );
        }
    }
    plain.provenance = Provenance {
        checksum: strongest(&digests).map(|d| d.origin.clone()),
        mirrors: mirrors
            .list
            .iter()
            .map(|(u, o)| (u.url.clone(), o.clone()))
            .collect(),
    };
    plain.urls = mirrors.list.into_iter().map(|(u, _)| u).collect();
    plain.hashes = hashes;
    plain.digests = digests;
    plain
        .digests
        .sort_by_key(|d| std::cmp::Reverse(d.hash.algorithm.strength()));
    if plain.conflict.is_none()
        && !plain.hashes.is_empty()
        && options.learn
        && let Some(memory) = &options.memory
    {
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

async fn remembered(
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

/// Asks every configured service, by URL (`by_url`) and by `digest`, all at once.
async fn ask_services(
    client: &reqwest::Client,
    options: &Options,
    file: &url::Url,
    names: &[String],
    by_url: bool,
    digest: Option<&Hash>,
    limits: Limits,
) -> Vec<Result<services::Answer, ServiceError>> {
    if options.services.is_empty() || (!by_url && digest.is_none()) {
        return Vec::new();
    }
    let mut running = tokio::task::JoinSet::new();
    for (index, service) in options.services.iter().enumerate() {
        let client = client.clone();
        let service = service.clone();
        let file = file.clone();
        let names = names.to_vec();
        let digest = digest.cloned();
        running.spawn(async move {
            let answers = services::ask(
                &client,
                &service,
                &file,
                &names,
                by_url,
                digest.as_ref(),
                limits,
            )
            .await;
            (index, answers)
        });
    }
    let mut all = Vec::new();
    while let Some(Ok(done)) = running.join_next().await {
        all.push(done);
    }
    all.sort_by_key(|(index, _)| *index);
    all.into_iter().flat_map(|(_, answers)| answers).collect()
}

/// Takes what a service said: its mirrors when a digest checks them (its own, if
/// nothing else gave one), its pieces when its whole-file digest agrees with the one
/// used (or is it).
fn take_service(
    plain: &mut PlainFile,
    digests: &mut Vec<FoundDigest>,
    vouched: &mut Vec<(MirrorUrl, MirrorOrigin)>,
    answer: services::Answer,
) {
    if let (Some(theirs), Some(ours)) = (answer.size, plain.size)
        && theirs != ours
    {
        plain.notes.push(PlainNote::ServiceOtherSize {
            service: answer.service,
            theirs,
            ours,
        });
        return;
    }
    if let Some(differs) = answer.hashes.iter().find(|h| {
        digests
            .iter()
            .any(|d| d.hash.algorithm == h.algorithm && d.hash != **h)
    }) {
        plain.notes.push(PlainNote::ServiceDisagrees {
            service: answer.service,
            algorithm: differs.algorithm,
        });
        return;
    }
    let agrees = answer
        .hashes
        .iter()
        .any(|h| digests.iter().any(|d| d.hash == *h));
    let origin = ChecksumOrigin::Service {
        service: answer.service.clone(),
    };
    // The service's digests check the file only when nothing else gave one; otherwise
    // they only had to agree.
    let adopted = !answer.hashes.is_empty() && digests.is_empty();
    if adopted {
        for hash in &answer.hashes {
            if digests.iter().all(|d| d.hash.algorithm != hash.algorithm) {
                digests.push(FoundDigest {
                    hash: hash.clone(),
                    origin: origin.clone(),
                });
            }
        }
    }
    if (agrees || adopted)
        && plain.pieces.is_none()
        && answer.pieces.as_ref().is_some_and(|p| fits(p, plain.size))
    {
        plain.pieces = answer.pieces;
    }
    let from = MirrorOrigin::Service {
        service: answer.service,
    };
    vouched.extend(
        answer
            .urls
            .into_iter()
            .take(SERVICE_MIRRORS)
            .map(|u| (u, from.clone())),
    );
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
