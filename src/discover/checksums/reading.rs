//! Reading what the places answered: hash files (by name for a directory's, loosely
//! for a sidecar), the server's metalink and mirror list, signatures.

use super::places::{Candidate, Kind};
use super::{Answer, Conflict, FoundDigest, HashFileText, Outcome, Search, Tried};
use crate::discover::fetch::Fetched;
use crate::discover::mirrorlist;
use crate::discover::sums::{self, Naming};
use crate::engine::provenance::{self as origin, ChecksumOrigin, MirrorOrigin};
use crate::metalink::{self, HashAlgorithm, MirrorUrl};
use crate::signature;

/// How answers are read for one file.
pub(super) struct Reading<'a> {
    pub(super) names: &'a [String],
    pub(super) size: Option<u64>,
}

impl Reading<'_> {
    /// Records what a candidate said; true when it gave a digest.
    pub(super) fn take(&self, search: &mut Search, candidate: &Candidate, answer: Answer) -> bool {
        let url = candidate.url.to_string();
        let outcome = match answer {
            Answer::Unanswered => Outcome::Unanswered,
            Answer::Failed(failure) => Outcome::Failed(failure),
            Answer::Fetched(fetched) => match candidate.kind {
                Kind::Sidecar | Kind::Directory | Kind::Mirrorbits => {
                    self.hash_file(search, candidate, &fetched)
                }
                Kind::ServerMetalink => self.metalink(search, &fetched),
                Kind::MirrorList => self.mirror_list(search, &fetched),
                Kind::Signature => Outcome::Nothing("a signature".into()),
            },
        };
        let found = matches!(outcome, Outcome::Found(_));
        search.tried.push(Tried { url, outcome });
        found
    }

    fn hash_file(&self, search: &mut Search, candidate: &Candidate, fetched: &Fetched) -> Outcome {
        let url = candidate.url.to_string();
        let naming = match candidate.kind {
            Kind::Mirrorbits => Naming::Says(HashAlgorithm::Sha256),
            _ => sums::algorithm_named(&origin::last_segment(&url)),
        };
        let file = sums::read(&fetched.body, naming);
        if file.openpgp.is_some() {
            return Outcome::Nothing("OpenPGP data, not a list of checksums".into());
        }
        let mut result = Err(sums::Lookup::NotListed {
            name: self.names.first().cloned().unwrap_or_default(),
        });
        for name in self.names {
            result = match candidate.kind {
                Kind::Directory => file.digests_for(name),
                _ => file.sidecar_digests(name),
            };
            if !matches!(result, Err(sums::Lookup::NotListed { .. })) {
                break;
            }
        }
        let hashes = match result {
            Ok(hashes) => hashes,
            Err(lookup @ sums::Lookup::Twice { .. }) => {
                search.conflict.get_or_insert(Conflict::ListedTwice {
                    url: url.clone(),
                    lookup: lookup.clone(),
                });
                return Outcome::Nothing(lookup.to_string());
            }
            Err(other) => return Outcome::Nothing(other.to_string()),
        };
        let origin = match candidate.kind {
            Kind::Mirrorbits => ChecksumOrigin::Mirrorbits { url: url.clone() },
            _ => ChecksumOrigin::HashFile {
                url: url.clone(),
                signed: file.signature.is_some(),
            },
        };
        if file.signature.is_some() {
            search.signatures.push(signature::Found {
                source: url.clone(),
                signs: signature::Signs::ClearsignedHashFile {
                    name: origin::last_segment(&url),
                    document: fetched.body.clone(),
                    hashes: hashes.clone(),
                },
            });
        } else if candidate.kind != Kind::Mirrorbits {
            search.hash_files.push(HashFileText {
                url: url.clone(),
                text: fetched.body.clone(),
                hashes: hashes.clone(),
            });
        }
        let algorithms = hashes.iter().map(|h| h.algorithm).collect();
        for hash in hashes {
            search.add(FoundDigest {
                hash,
                origin: origin.clone(),
            });
        }
        Outcome::Found(algorithms)
    }

    fn metalink(&self, search: &mut Search, fetched: &Fetched) -> Outcome {
        let url = fetched.url.to_string();
        let parsed = match metalink::parse_with_base(&fetched.body, Some(&fetched.url)) {
            Ok(parsed) => parsed,
            Err(e) => return Outcome::Nothing(e.to_string()),
        };
        let files = &parsed.document.files;
        let file = files
            .iter()
            .find(|f| self.names.contains(&f.name))
            .or(match files.as_slice() {
                [only] => Some(only),
                _ => None,
            });
        let Some(file) = file else {
            return Outcome::Nothing("it does not describe this file".into());
        };
        if let (Some(theirs), Some(ours)) = (file.size, self.size)
            && theirs != ours
        {
            return Outcome::Nothing(format!(
                "it describes a file of {theirs} bytes, this one has {ours}"
            ));
        }
        if file.hashes.is_empty() {
            return Outcome::Nothing("it has no whole-file hash".into());
        }
        let origin = ChecksumOrigin::ServerMetalink { url: url.clone() };
        search
            .signatures
            .extend(
                signature::from_metalink_file(file)
                    .into_iter()
                    .map(|mut found| {
                        found.source = url.clone();
                        found
                    }),
            );
        for hash in &file.hashes {
            search.add(FoundDigest {
                hash: hash.clone(),
                origin: origin.clone(),
            });
        }
        if search.conflict.is_none() {
            search.pieces = file.preferred_pieces().cloned();
            add_mirrors(
                search,
                metalink::select::ordered_urls(file, &[])
                    .into_iter()
                    .cloned(),
                MirrorOrigin::ServerMetalink { url },
            );
        }
        Outcome::Found(file.hashes.iter().map(|h| h.algorithm).collect())
    }

    fn mirror_list(&self, search: &mut Search, fetched: &Fetched) -> Outcome {
        let url = fetched.url.to_string();
        let list = mirrorlist::read(&String::from_utf8_lossy(&fetched.body));
        if list.hashes.is_empty() {
            return Outcome::Nothing("no hashes on the page".into());
        }
        if let (Some(theirs), Some(ours)) = (list.size, self.size)
            && theirs != ours
        {
            return Outcome::Nothing(format!(
                "it lists a file of {theirs} bytes, this one has {ours}"
            ));
        }
        let origin = ChecksumOrigin::ServerMetalink { url: url.clone() };
        for hash in &list.hashes {
            search.add(FoundDigest {
                hash: hash.clone(),
                origin: origin.clone(),
            });
        }
        // Higher scores first, as MirrorBrain itself ranks them.
        let mut mirrors = list.mirrors.clone();
        mirrors.sort_by_key(|m| std::cmp::Reverse(m.score.unwrap_or(0)));
        let urls = mirrors.into_iter().map(|m| MirrorUrl {
            url: m.url,
            priority: metalink::model::LOWEST_PRIORITY,
            location: m.country,
            max_connections: None,
        });
        if search.conflict.is_none() {
            add_mirrors(search, urls, MirrorOrigin::ServerMetalink { url });
        }
        Outcome::Found(list.hashes.iter().map(|h| h.algorithm).collect())
    }
}

fn add_mirrors(search: &mut Search, urls: impl Iterator<Item = MirrorUrl>, origin: MirrorOrigin) {
    for url in urls {
        if metalink::select::is_supported(&url.url)
            && search.mirrors.iter().all(|(m, _)| m.url != url.url)
        {
            search.mirrors.push((url, origin.clone()));
        }
    }
}

pub(super) fn take_signature(
    search: &mut Search,
    candidate: &Candidate,
    answer: Answer,
    signs: String,
) {
    let url = candidate.url.to_string();
    let outcome = match answer {
        Answer::Unanswered => Outcome::Unanswered,
        Answer::Failed(failure) => Outcome::Failed(failure),
        Answer::Fetched(fetched) => {
            let read = sums::read(&fetched.body, Naming::Silent);
            match read.openpgp {
                Some(sums::OpenPgp::DetachedSignature) => {
                    let signs = match search.hash_files.iter().find(|h| h.url == signs) {
                        Some(hash_file) => signature::Signs::HashFile {
                            name: origin::last_segment(&hash_file.url),
                            text: hash_file.text.clone(),
                            signature: fetched.body,
                            hashes: hash_file.hashes.clone(),
                        },
                        None => signature::Signs::File {
                            signature: fetched.body,
                        },
                    };
                    search.signatures.push(signature::Found {
                        source: url.clone(),
                        signs,
                    });
                    Outcome::Nothing("a signature, kept for checking".into())
                }
                _ => Outcome::Nothing("not a detached OpenPGP signature".into()),
            }
        }
    };
    search.tried.push(Tried { url, outcome });
}
