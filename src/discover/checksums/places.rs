//! Where published checksums sit next to a file URL, and how each kind is read:
//! sidecars, directory files, the server's metalink and mirror list, mirrorbits'
//! query, detached signatures. The likely places come first.

/// Caps for what is fetched.
const SIDECAR_BYTES: usize = 64 * 1024;
const DIRECTORY_BYTES: usize = 1024 * 1024;
const METALINK_BYTES: usize = 4 * 1024 * 1024;
const MIRRORLIST_BYTES: usize = 1024 * 1024;
const SIGNATURE_BYTES: usize = 64 * 1024;
/// Where a candidate is, and how to read it.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub(super) url: url::Url,
    pub(super) kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `f.iso.sha256`: its digest is the file's even when it names the file oddly.
    Sidecar,
    /// `SHA256SUMS`: the file must be listed by name.
    Directory,
    /// `f.iso.meta4`
    ServerMetalink,
    /// `f.iso.mirrorlist`
    MirrorList,
    /// `f.iso?sha256`
    Mirrorbits,
    /// A detached signature of the file or of a hash file (`signs` is its URL).
    Signature,
}

impl Kind {
    pub(super) fn cap(self) -> usize {
        match self {
            Kind::Sidecar | Kind::Mirrorbits => SIDECAR_BYTES,
            Kind::Directory => DIRECTORY_BYTES,
            Kind::ServerMetalink => METALINK_BYTES,
            Kind::MirrorList => MIRRORLIST_BYTES,
            Kind::Signature => SIGNATURE_BYTES,
        }
    }
}

/// The places next to a file URL, in the order they are asked: the common ones first.
pub(super) struct Places {
    file: url::Url,
    directory: url::Url,
}

impl Places {
    /// Hash files sit next to a URL that names a file: one with a last path segment
    /// and no query (`download.php?id=3` has no neighbours).
    pub(super) fn new(url: &url::Url) -> Option<Places> {
        if url.query().is_some() || url.cannot_be_a_base() {
            return None;
        }
        let last = url.path_segments()?.next_back()?;
        if last.is_empty() {
            return None;
        }
        let mut file = url.clone();
        file.set_fragment(None);
        let directory = file.join("./").ok()?;
        Some(Places { file, directory })
    }

    fn beside(&self, suffix: &str, kind: Kind) -> Candidate {
        let mut url = self.file.clone();
        url.set_path(&format!("{}{suffix}", self.file.path()));
        Candidate { url, kind }
    }

    fn in_directory(&self, name: &str) -> Candidate {
        Candidate {
            url: self.directory.join(name).expect("a plain name joins"),
            kind: Kind::Directory,
        }
    }

    pub(super) fn first_wave(&self) -> Vec<Candidate> {
        let mut mirrorbits = self.file.clone();
        mirrorbits.set_query(Some("sha256"));
        vec![
            self.beside(".meta4", Kind::ServerMetalink),
            self.in_directory("SHA256SUMS"),
            self.beside(".sha256", Kind::Sidecar),
            self.in_directory("sha256sum.txt"),
            self.in_directory("CHECKSUMS"),
            Candidate {
                url: mirrorbits,
                kind: Kind::Mirrorbits,
            },
        ]
    }

    pub(super) fn second_wave(&self, metalink_unreadable: bool) -> Vec<Candidate> {
        let mut wave = vec![
            self.in_directory("SHA512SUMS"),
            self.beside(".sha512", Kind::Sidecar),
            self.beside(".sha256sum", Kind::Sidecar),
            self.in_directory("SHA256SUMS.txt"),
            self.in_directory("SHA256SUMS.asc"),
            self.in_directory("SHA1SUMS"),
            self.beside(".sha1", Kind::Sidecar),
            self.in_directory("MD5SUMS"),
            self.beside(".md5", Kind::Sidecar),
        ];
        // A MirrorBrain server whose metalink was too large or unreadable still has
        // the same facts on its mirror list.
        if metalink_unreadable {
            wave.insert(0, self.beside(".mirrorlist", Kind::MirrorList));
        }
        wave
    }

    /// Detached signatures of the file, and of the hash file that gave its digest.
    pub(super) fn signatures(&self, hash_file: Option<&url::Url>) -> Vec<(Candidate, String)> {
        let mut wave: Vec<(Candidate, String)> = [".asc", ".sig"]
            .into_iter()
            .map(|s| (self.beside(s, Kind::Signature), self.file.to_string()))
            .collect();
        if let Some(signed) = hash_file {
            for suffix in [".gpg", ".asc", ".sig", ".sign"] {
                let mut url = signed.clone();
                url.set_path(&format!("{}{suffix}", signed.path()));
                wave.push((
                    Candidate {
                        url,
                        kind: Kind::Signature,
                    },
                    signed.to_string(),
                ));
            }
        }
        wave
    }
}
