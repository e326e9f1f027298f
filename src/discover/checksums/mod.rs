//! Looking for the checksums a publisher put next to a plain URL: sidecars
//! (`f.iso.sha256`…), directory files (`SHA256SUMS`, `CHECKSUMS`…, also clearsigned),
//! MirrorBrain's `URL.meta4` and `URL.mirrorlist`, and mirrorbits' `URL?sha256`.
//!
//! The search is bounded: a few small requests at a time, each with a size cap and a
//! timeout, all within a deadline of about two seconds. The likely places are asked
//! first; the rarer ones only when those had no strong digest. Everything found is kept
//! with where it came from, and files that disagree are a [`Conflict`], never a guess.

use std::time::{Duration, Instant};

use tokio::task::JoinSet;

mod places;
mod reading;

use super::fetch::{self, Failure, Fetched, Limits};
use super::sums;
use crate::engine::provenance::{self as origin, ChecksumOrigin, MirrorOrigin};
use crate::metalink::{Hash, HashAlgorithm, MirrorUrl, Pieces};
use crate::signature;
use places::{Candidate, Kind, Places};
use reading::{Reading, take_signature};

/// A digest, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDigest {
    pub hash: Hash,
    pub origin: ChecksumOrigin,
}

/// Requests in flight at once, so a server is never flooded.
const AT_ONCE: usize = 6;

/// How long the search may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// For the whole search; what has not answered by then is left.
    pub deadline: Duration,
    /// For one request.
    pub request: Duration,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            deadline: Duration::from_secs(2),
            request: Duration::from_millis(1500),
        }
    }
}

/// The file to look for.
#[derive(Debug, Clone)]
pub struct Target {
    /// The URL as given: publishers put hash files next to it.
    pub url: url::Url,
    /// Where it led after redirects, when that differs (a mirror, a CDN).
    pub final_url: url::Url,
    /// Digests the server already sent (weak ones: a strong one needs no search).
    pub header_digests: Vec<Hash>,
    pub size: Option<u64>,
}

/// What the search found.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// Every digest found (one per algorithm and place), header digests first.
    pub found: Vec<FoundDigest>,
    /// Set when two places disagree, or a file lists the name twice.
    pub conflict: Option<Conflict>,
    /// Piece hashes from the server's metalink, when its whole-file hash agrees.
    pub pieces: Option<Pieces>,
    /// Mirrors from the server's metalink or mirror list.
    pub mirrors: Vec<(MirrorUrl, MirrorOrigin)>,
    /// OpenPGP signatures found for the file or its hash file; not checked here (the
    /// job checks them once the file is in).
    pub signatures: Vec<signature::Found>,
    /// The hash files digests came from, kept for a detached signature of theirs.
    hash_files: Vec<HashFileText>,
    /// Every place asked, and what it answered (for `braid inspect`).
    pub tried: Vec<Tried>,
}

/// A hash file as read, with the digests it listed for the file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HashFileText {
    url: String,
    text: Vec<u8>,
    hashes: Vec<Hash>,
}

/// One place asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tried {
    pub url: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Digests of these algorithms (and maybe mirrors) came from it.
    Found(Vec<HashAlgorithm>),
    /// It was read but says nothing about the file (why, in words).
    Nothing(String),
    Failed(Failure),
    /// The deadline came before its answer.
    Unanswered,
}

/// Places that disagree about the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    /// A hash file lists the file twice with different digests.
    #[error("{}: {lookup}", origin::last_segment(.url))]
    ListedTwice { url: String, lookup: sums::Lookup },
    /// Two places give different digests of the same algorithm.
    #[error(
        "the published checksums disagree: {} says {}, {} says {}",
        describe(&.first.origin), short(&.first.hash), describe(&.second.origin), short(&.second.hash)
    )]
    Disagree {
        first: FoundDigest,
        second: FoundDigest,
    },
}

fn describe(origin: &ChecksumOrigin) -> String {
    origin.place().unwrap_or_else(|| match origin {
        ChecksumOrigin::User => "your checksum".into(),
        ChecksumOrigin::Header => "the server's Digest header".into(),
        _ => "the metalink".into(),
    })
}

fn short(hash: &Hash) -> String {
    let hex = hash.hex();
    format!("{} {}…", hash.algorithm, &hex[..hex.len().min(16)])
}

impl Search {
    /// The strongest digest found, and where from; `None` when nothing was found or
    /// the places disagree.
    pub fn strongest(&self) -> Option<&FoundDigest> {
        if self.conflict.is_some() {
            return None;
        }
        // The first place to give the strongest algorithm.
        self.found
            .iter()
            .min_by_key(|f| std::cmp::Reverse(f.hash.algorithm.strength()))
    }

    /// One digest per algorithm (they agree when there is no conflict).
    pub fn hashes(&self) -> Vec<Hash> {
        let mut hashes: Vec<Hash> = Vec::new();
        for found in &self.found {
            if hashes.iter().all(|h| h.algorithm != found.hash.algorithm) {
                hashes.push(found.hash.clone());
            }
        }
        hashes.sort_by_key(|h| h.algorithm);
        hashes
    }

    /// Whether a digest worth trusting came from a published file (MD5 and SHA-1 are
    /// not: a stronger one is still looked for).
    fn has_strong(&self) -> bool {
        self.found
            .iter()
            .any(|f| f.origin != ChecksumOrigin::Header && !f.hash.algorithm.is_weak())
    }

    fn add(&mut self, found: FoundDigest) {
        if self.conflict.is_some() {
            return;
        }
        if let Some(other) = self
            .found
            .iter()
            .find(|f| f.hash.algorithm == found.hash.algorithm && f.hash != found.hash)
        {
            self.conflict = Some(Conflict::Disagree {
                first: other.clone(),
                second: found,
            });
            return;
        }
        if !self.found.contains(&found) {
            self.found.push(found);
        }
    }
}

/// Looks for published checksums of `target`.
pub async fn search(client: &reqwest::Client, target: &Target, budget: Budget) -> Search {
    let started = Instant::now();
    let mut search = Search::default();
    for hash in &target.header_digests {
        search.add(FoundDigest {
            hash: hash.clone(),
            origin: ChecksumOrigin::Header,
        });
    }
    // The given URL is the publisher's; its target may be a mirror or a CDN URL with
    // a signed query, so that is the second choice.
    let Some(places) = Places::new(&target.url).or_else(|| Places::new(&target.final_url)) else {
        return search;
    };
    let names = names(target);
    let reading = Reading {
        names: &names,
        size: target.size,
    };
    let first = run_wave(client, places.first_wave(), started, budget).await;
    let metalink_unreadable = first.iter().any(|(c, answer)| {
        c.kind == Kind::ServerMetalink
            && !matches!(
                answer,
                Answer::Failed(Failure::Missing(_)) | Answer::Unanswered
            )
    });
    let mut metalink_found = false;
    for (candidate, answer) in first {
        let found = reading.take(&mut search, &candidate, answer);
        metalink_found |= candidate.kind == Kind::ServerMetalink && found;
    }
    if !search.has_strong() && search.conflict.is_none() {
        let wave = places.second_wave(metalink_unreadable && !metalink_found);
        for (candidate, answer) in run_wave(client, wave, started, budget).await {
            reading.take(&mut search, &candidate, answer);
        }
    }
    if search.conflict.is_none() {
        let hash_file = search.strongest().and_then(|f| match &f.origin {
            ChecksumOrigin::HashFile { url, signed: false } => url::Url::parse(url).ok(),
            _ => None,
        });
        let wave = places.signatures(hash_file.as_ref());
        let (candidates, signs): (Vec<Candidate>, Vec<String>) = wave.into_iter().unzip();
        for ((candidate, answer), signs) in run_wave(client, candidates, started, budget)
            .await
            .into_iter()
            .zip(signs)
        {
            take_signature(&mut search, &candidate, answer, signs);
        }
    }
    search
}

/// The names the file may be listed under: the given URL's last segment and, when it
/// differs, the final URL's.
fn names(target: &Target) -> Vec<String> {
    let mut names = Vec::new();
    for url in [&target.url, &target.final_url] {
        if url.query().is_none() {
            let name = origin::last_segment(url.as_str());
            if !name.is_empty() && !names.contains(&name) && url.path() != "/" {
                names.push(name);
            }
        }
    }
    names
}

/// What one request brought.
enum Answer {
    Fetched(Fetched),
    Failed(Failure),
    Unanswered,
}

/// Asks every candidate, a few at a time, until the deadline; answers in the
/// candidates' order.
async fn run_wave(
    client: &reqwest::Client,
    candidates: Vec<Candidate>,
    started: Instant,
    budget: Budget,
) -> Vec<(Candidate, Answer)> {
    let mut answers: Vec<Option<Answer>> = (0..candidates.len()).map(|_| None).collect();
    let mut pending = candidates.iter().enumerate();
    let mut running = JoinSet::new();
    loop {
        while running.len() < AT_ONCE {
            let Some((index, candidate)) = pending.next() else {
                break;
            };
            let left = budget.deadline.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            let limits = Limits {
                max_bytes: candidate.kind.cap(),
                timeout: budget.request.min(left),
            };
            let client = client.clone();
            let url = candidate.url.clone();
            running.spawn(async move { (index, fetch::fetch(&client, &url, limits).await) });
        }
        let Some(done) = running.join_next().await else {
            break;
        };
        if let Ok((index, result)) = done {
            answers[index] = Some(match result {
                Ok(fetched) => Answer::Fetched(fetched),
                Err(failure) => Answer::Failed(failure),
            });
        }
    }
    candidates
        .into_iter()
        .zip(answers)
        .map(|(c, a)| (c, a.unwrap_or(Answer::Unanswered)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> url::Url {
        url::Url::parse(text).unwrap()
    }

    #[test]
    fn places_beside_a_file() {
        let places = Places::new(&url("http://h/pub/debian%2012.iso")).unwrap();
        let wave: Vec<String> = places
            .first_wave()
            .into_iter()
            .map(|c| c.url.to_string())
            .collect();
        assert_eq!(
            wave,
            [
                "http://h/pub/debian%2012.iso.meta4",
                "http://h/pub/SHA256SUMS",
                "http://h/pub/debian%2012.iso.sha256",
                "http://h/pub/sha256sum.txt",
                "http://h/pub/CHECKSUMS",
                "http://h/pub/debian%2012.iso?sha256",
            ]
        );
        assert!(Places::new(&url("http://h/download.php?id=3")).is_none());
        assert!(Places::new(&url("http://h/pub/")).is_none());
    }

    #[test]
    fn names_from_both_urls() {
        let target = Target {
            url: url("http://h/releases/download/v1/f%20x.iso"),
            final_url: url("http://cdn/blob/123?sig=abc"),
            header_digests: Vec::new(),
            size: None,
        };
        assert_eq!(names(&target), ["f x.iso"]);
    }

    #[test]
    fn disagreement_is_a_conflict_and_agreement_is_not() {
        let sha = |byte: u8| Hash {
            algorithm: HashAlgorithm::Sha256,
            digest: vec![byte; 32],
        };
        let file = |name: &str| ChecksumOrigin::HashFile {
            url: format!("http://h/{name}"),
            signed: false,
        };
        let mut search = Search::default();
        search.add(FoundDigest {
            hash: sha(1),
            origin: file("SHA256SUMS"),
        });
        search.add(FoundDigest {
            hash: sha(1),
            origin: file("f.iso.sha256"),
        });
        assert!(search.conflict.is_none());
        assert_eq!(search.strongest().unwrap().origin, file("SHA256SUMS"));
        search.add(FoundDigest {
            hash: sha(2),
            origin: file("CHECKSUMS"),
        });
        let conflict = search.conflict.clone().unwrap();
        assert_eq!(
            conflict.to_string(),
            "the published checksums disagree: SHA256SUMS says sha-256 0101010101010101…, CHECKSUMS says sha-256 0202020202020202…"
        );
        assert!(search.strongest().is_none());
    }
}
