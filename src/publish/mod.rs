//! The publisher's side: a Metalink 4 document for local files, with their sizes,
//! whole-file hashes (sha-256, and others when asked), sha-256 piece hashes, one URL
//! per mirror and the mirrors' locations and priorities. `braid create` and the app's
//! "Create metalink…" are its two faces.
//!
//! Files are read once each, every hash computed in the same pass; or, with hashes
//! taken from a published `SHA256SUMS`, not read at all. What is written is read back
//! with Braid's own reader before it is handed out, so a document that Braid would not
//! accept is never published.

mod hashing;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use hashing::hash_file;

use crate::discover::sums::{self, SumsFile};
use crate::metalink::date::Timestamp;
use crate::metalink::model::LOWEST_PRIORITY;
use crate::metalink::{self, Document, File, Hash, HashAlgorithm, MirrorUrl, Version};

/// Pieces are at least this long…
const MIN_PIECE: u64 = 256 * 1024;
/// …and at most this long (the longest a downloader holds in memory)…
pub const MAX_PIECE: u64 = 16 * 1024 * 1024;
/// …and there are about this many at most, so the document stays small.
const TARGET_PIECES: u64 = 2048;
const READ_BUFFER: usize = 1024 * 1024;

/// A mirror's base URL, where every file is `BASE/name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorBase {
    pub url: url::Url,
    /// ISO 3166-1 alpha-2, lower-cased.
    pub location: Option<String>,
    /// 1 is the most preferred.
    pub priority: Option<u32>,
}

/// Why a `--mirror` value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MirrorError {
    #[error("'{0}' is not a URL")]
    NotUrl(String),
    #[error("'{0}': mirrors are http, https or ftp URLs")]
    Scheme(String),
    #[error("'{0}' is not a country code (two letters, e.g. de)")]
    Location(String),
    #[error("'{0}' is not a priority (1 to 999999, 1 the most preferred)")]
    Priority(String),
    #[error("unknown option '{0}' (known: location, priority)")]
    Unknown(String),
}

impl std::str::FromStr for MirrorBase {
    type Err = MirrorError;

    /// `URL`, `URL,location=de`, `URL,location=de,priority=1`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts = text.split(',');
        let base = parts.next().unwrap_or_default().trim();
        let mut url = url::Url::parse(base).map_err(|_| MirrorError::NotUrl(base.into()))?;
        if !matches!(url.scheme(), "http" | "https" | "ftp") {
            return Err(MirrorError::Scheme(base.into()));
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        let mut mirror = MirrorBase {
            url,
            location: None,
            priority: None,
        };
        for part in parts {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            let value = value.trim();
            match name.trim() {
                "location" => {
                    if value.len() != 2 || !value.chars().all(|c| c.is_ascii_alphabetic()) {
                        return Err(MirrorError::Location(value.into()));
                    }
                    mirror.location = Some(value.to_ascii_lowercase());
                }
                "priority" => {
                    let priority = value
                        .parse()
                        .ok()
                        .filter(|p| (1..=LOWEST_PRIORITY).contains(p))
                        .ok_or_else(|| MirrorError::Priority(value.into()))?;
                    mirror.priority = Some(priority);
                }
                other => return Err(MirrorError::Unknown(other.into())),
            }
        }
        Ok(mirror)
    }
}

impl MirrorBase {
    /// `BASE/name`, the name percent-encoded.
    pub fn url_of(&self, name: &str) -> String {
        const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
            .add(b' ')
            .add(b'"')
            .add(b'#')
            .add(b'%')
            .add(b'<')
            .add(b'>')
            .add(b'?')
            .add(b'`')
            .add(b'{')
            .add(b'}')
            .add(b'\\')
            .add(b'^')
            .add(b'|')
            .add(b'[')
            .add(b']');
        let encoded: String = name
            .split('/')
            .map(|part| percent_encoding::utf8_percent_encode(part, PATH).to_string())
            .collect::<Vec<_>>()
            .join("/");
        self.url
            .join(&encoded)
            .map_or_else(|_| format!("{}{encoded}", self.url), String::from)
    }
}

/// A language or an OS for all files (`file: None`) or for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForFile {
    pub file: Option<String>,
    pub value: String,
}

impl ForFile {
    /// `VALUE` or `FILE=VALUE`.
    pub fn parse(text: &str) -> ForFile {
        match text.rsplit_once('=') {
            Some((file, value)) => ForFile {
                file: Some(file.to_owned()),
                value: value.trim().to_owned(),
            },
            None => ForFile {
                file: None,
                value: text.trim().to_owned(),
            },
        }
    }
}

/// What to make a metalink of.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub files: Vec<PathBuf>,
    pub mirrors: Vec<MirrorBase>,
    /// `None` for a length chosen by the file's size; `Some(0)` for no pieces.
    pub piece_length: Option<u64>,
    /// Whole-file hashes besides sha-256, which is always there.
    pub hashes: Vec<HashAlgorithm>,
    /// Take the hashes from this published file instead of reading the files.
    pub from_sums: Option<PathBuf>,
    pub languages: Vec<ForFile>,
    pub os: Vec<ForFile>,
    /// Where the document will be published (`<origin>`).
    pub origin: Option<String>,
}

/// Why a metalink could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("no files given")]
    NoFiles,
    #[error("no mirrors given (--mirror BASEURL)")]
    NoMirrors,
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a regular file", .0.display())]
    NotAFile(PathBuf),
    #[error("'{name}' cannot be a file name in a metalink: {reason}")]
    UnsafeName {
        name: String,
        reason: metalink::names::UnsafeName,
    },
    #[error("two files are named '{0}'; a metalink lists each name once")]
    SameName(String),
    #[error("'{0}' names none of the files given")]
    NoSuchFile(String),
    #[error("{}: {lookup}", .sums.display())]
    NotInSums { sums: PathBuf, lookup: sums::Lookup },
    #[error("{}: it has no {algorithm} digest for '{name}'", .sums.display())]
    MissingHash {
        sums: PathBuf,
        name: String,
        algorithm: HashAlgorithm,
    },
    #[error(
        "--from-sums takes the hashes without reading the files, but pieces need reading them; leave out --piece-length"
    )]
    PiecesFromSums,
    #[error(
        "piece length {length}: it must be between 1 KiB and {} (or 0 for none)",
        crate::format::bytes(MAX_PIECE)
    )]
    PieceLength { length: u64 },
    #[error("'{0}' is not a language tag (e.g. de, pt-BR)")]
    Language(String),
    #[error("the document Braid wrote does not read back: {0}")]
    ReadBack(String),
    #[error("stopped")]
    Stopped,
}

/// How far the hashing is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

/// The piece length for a file of `size` bytes: a power of two from 256 KiB up, so
/// that there are at most about 2048 pieces, and never longer than 16 MiB.
pub fn default_piece_length(size: u64) -> u64 {
    let mut length = MIN_PIECE;
    while length < MAX_PIECE && size.div_ceil(length) > TARGET_PIECES {
        length *= 2;
    }
    length
}

/// Makes the document. `progress` hears how many bytes are hashed; `stop` ends the
/// work early (the app's Cancel).
pub fn create(
    request: &Request,
    progress: &mut dyn FnMut(Progress),
    stop: &AtomicBool,
) -> Result<Document, CreateError> {
    if request.files.is_empty() {
        return Err(CreateError::NoFiles);
    }
    if request.mirrors.is_empty() {
        return Err(CreateError::NoMirrors);
    }
    if let Some(length) = request.piece_length
        && length != 0
        && !(1024..=MAX_PIECE).contains(&length)
    {
        return Err(CreateError::PieceLength { length });
    }
    if request.from_sums.is_some() && request.piece_length.is_some_and(|l| l > 0) {
        return Err(CreateError::PiecesFromSums);
    }
    for tag in request.languages.iter().map(|l| &l.value) {
        if !is_language_tag(tag) {
            return Err(CreateError::Language(tag.clone()));
        }
    }
    let files = local_files(request)?;
    let sums = match &request.from_sums {
        Some(path) => Some(read_sums(path)?),
        None => None,
    };
    let total: u64 = if sums.is_some() {
        0
    } else {
        files.iter().map(|f| f.size).sum()
    };
    let mut done = 0;
    let mut algorithms = vec![HashAlgorithm::Sha256];
    for algorithm in &request.hashes {
        if !algorithms.contains(algorithm) {
            algorithms.push(*algorithm);
        }
    }
    let mut out = Vec::new();
    for local in &files {
        let mut file = File::new(local.name.clone());
        file.size = Some(local.size);
        match &sums {
            Some(sums) => {
                file.hashes = hashes_from_sums(sums, &local.name, request)?;
            }
            None => {
                // A file of one piece needs no piece list: its hash says the same.
                let piece_length = match request.piece_length {
                    Some(0) => None,
                    Some(length) => Some(length),
                    None => Some(default_piece_length(local.size)),
                }
                .filter(|length| local.size > *length);
                let read = hash_file(
                    &local.path,
                    &algorithms,
                    piece_length,
                    &mut |n| {
                        done += n;
                        progress(Progress { done, total });
                    },
                    stop,
                )?;
                file.hashes = read.hashes;
                file.pieces = read.pieces.into_iter().collect();
            }
        }
        file.languages = for_file(&request.languages, local);
        file.os = for_file(&request.os, local);
        file.urls = request
            .mirrors
            .iter()
            .map(|m| MirrorUrl {
                url: m.url_of(&local.name),
                priority: m.priority.unwrap_or(LOWEST_PRIORITY),
                location: m.location.clone(),
                max_connections: None,
            })
            .collect();
        out.push(file);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    Ok(Document {
        version: Version::V4,
        generator: Some(concat!("Braid/", env!("CARGO_PKG_VERSION")).into()),
        origin: request.origin.clone(),
        dynamic: false,
        published: Some(Timestamp(now)),
        updated: None,
        files: out,
    })
}

/// Writes the document as Metalink 4, after reading it back: a document Braid's own
/// reader would not take unchanged is an error, never a file.
pub fn write(document: &Document) -> Result<String, CreateError> {
    let text = metalink::write(document);
    let parsed =
        metalink::parse(text.as_bytes()).map_err(|e| CreateError::ReadBack(e.to_string()))?;
    if let Some(warning) = parsed.warnings.first() {
        return Err(CreateError::ReadBack(warning.to_string()));
    }
    if parsed.document != *document {
        return Err(CreateError::ReadBack("it reads back differently".into()));
    }
    Ok(text)
}

/// Writes `text` to `path` atomically (a temporary file beside it, then a rename).
pub fn save(path: &Path, text: &str) -> Result<(), CreateError> {
    let io = |source| CreateError::Io {
        path: path.to_path_buf(),
        source,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.braid-tmp"));
    std::fs::write(&temp, text).map_err(io)?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        io(e)
    })
}

struct LocalFile {
    path: PathBuf,
    /// As given on the command line, to match `FILE=VALUE`.
    given: String,
    name: String,
    size: u64,
}

fn local_files(request: &Request) -> Result<Vec<LocalFile>, CreateError> {
    let mut files: Vec<LocalFile> = Vec::new();
    for path in &request.files {
        let meta = std::fs::metadata(path).map_err(|source| CreateError::Io {
            path: path.clone(),
            source,
        })?;
        if !meta.is_file() {
            return Err(CreateError::NotAFile(path.clone()));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        metalink::names::check(&name).map_err(|reason| CreateError::UnsafeName {
            name: name.clone(),
            reason,
        })?;
        if files.iter().any(|f| f.name.eq_ignore_ascii_case(&name)) {
            return Err(CreateError::SameName(name));
        }
        files.push(LocalFile {
            path: path.clone(),
            given: path.display().to_string(),
            name,
            size: meta.len(),
        });
    }
    for named in request
        .languages
        .iter()
        .chain(&request.os)
        .filter_map(|f| f.file.as_ref())
    {
        if !files.iter().any(|f| f.given == *named || f.name == *named) {
            return Err(CreateError::NoSuchFile(named.clone()));
        }
    }
    Ok(files)
}

/// The values for one file: its own, else the ones for all files.
fn for_file(values: &[ForFile], file: &LocalFile) -> Vec<String> {
    let own: Vec<String> = values
        .iter()
        .filter(|v| {
            v.file
                .as_ref()
                .is_some_and(|n| *n == file.given || *n == file.name)
        })
        .map(|v| v.value.clone())
        .collect();
    if !own.is_empty() {
        return own;
    }
    values
        .iter()
        .filter(|v| v.file.is_none())
        .map(|v| v.value.clone())
        .collect()
}

/// `de`, `pt-BR`, `zh-Hant-TW`: letters and digits in dash-separated subtags (RFC 5646
/// in outline; the full grammar is the registry's business).
fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let first = subtags.next().unwrap_or_default();
    (2..=8).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn read_sums(path: &Path) -> Result<SumsFile, CreateError> {
    let bytes = std::fs::read(path).map_err(|source| CreateError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(sums::read(&bytes, sums::algorithm_named(&name)))
}

fn hashes_from_sums(
    sums: &SumsFile,
    name: &str,
    request: &Request,
) -> Result<Vec<Hash>, CreateError> {
    let path = request.from_sums.clone().unwrap_or_default();
    let found = sums
        .digests_for(name)
        .map_err(|lookup| CreateError::NotInSums {
            sums: path.clone(),
            lookup,
        })?;
    // The algorithms asked for beyond sha-256 must be there; sha-256 itself may be
    // missing from an MD5SUMS, whatever it has is used then.
    for algorithm in &request.hashes {
        if found.iter().all(|h| h.algorithm != *algorithm) {
            return Err(CreateError::MissingHash {
                sums: path,
                name: name.into(),
                algorithm: *algorithm,
            });
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirrors_as_written_on_the_command_line() {
        let mirror: MirrorBase = "https://dl.example.org/pub,location=DE,priority=1"
            .parse()
            .unwrap();
        assert_eq!(mirror.url.as_str(), "https://dl.example.org/pub/");
        assert_eq!(mirror.location.as_deref(), Some("de"));
        assert_eq!(mirror.priority, Some(1));
        assert_eq!(
            mirror.url_of("a b#1.iso"),
            "https://dl.example.org/pub/a%20b%231.iso"
        );
        let error = |text: &str| text.parse::<MirrorBase>().unwrap_err().to_string();
        assert_eq!(error("mirror"), "'mirror' is not a URL");
        assert_eq!(
            error("rsync://x/"),
            "'rsync://x/': mirrors are http, https or ftp URLs"
        );
        assert_eq!(
            error("http://x/,location=deu"),
            "'deu' is not a country code (two letters, e.g. de)"
        );
        assert_eq!(
            error("http://x/,priority=0"),
            "'0' is not a priority (1 to 999999, 1 the most preferred)"
        );
        assert_eq!(
            error("http://x/,weight=3"),
            "unknown option 'weight' (known: location, priority)"
        );
    }

    #[test]
    fn piece_lengths_grow_with_the_file() {
        assert_eq!(default_piece_length(0), 256 * 1024);
        assert_eq!(default_piece_length(200 << 20), 256 * 1024);
        assert_eq!(default_piece_length(4 << 30), 2 << 20);
        assert_eq!(default_piece_length(1 << 50), MAX_PIECE);
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("de"));
        assert!(is_language_tag("pt-BR"));
        assert!(is_language_tag("zh-Hant-TW"));
        assert!(!is_language_tag("d"));
        assert!(!is_language_tag("de_DE"));
        assert!(!is_language_tag(""));
    }

    #[test]
    fn for_one_file_or_all() {
        assert_eq!(
            ForFile::parse("dist/a=b.iso=de"),
            ForFile {
                file: Some("dist/a=b.iso".into()),
                value: "de".into()
            }
        );
        assert_eq!(ForFile::parse("en").file, None);
    }
}
