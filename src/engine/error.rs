//! Why things go wrong, typed per layer so each front end can word every case itself:
//!
//! - [`Fault`]: what one answer of a mirror did wrong (the wire: HTTP status, encoding,
//!   range, network, TLS, a bad piece);
//! - [`DropReason`]: why a mirror is no longer used for a download;
//! - [`Trouble`]: what a running download wants the user to know;
//! - [`DiskError`]: the part file and its directory (each keeps its path and source);
//! - [`JobError`]: why a download failed.
//!
//! `Display` is plain English for logs and the CLI; it never tells the user what to do
//! (that depends on the front end: a flag in `braid get`, a button in the window).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::metalink::HashAlgorithm;
use crate::metalink::names::UnsafeName;
use crate::signature::{Outcome, Verdict};

/// What one answer of a mirror did wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fault {
    /// 404 or 410: the mirror does not have the file.
    #[error("HTTP {status}: not on this mirror")]
    Missing { status: u16 },
    /// A status that will not change by asking again (403, 416, an odd 3xx…).
    #[error("HTTP {status}")]
    Refused { status: u16 },
    /// 429 or 5xx: worth asking again later, after `retry_after` if the server said.
    #[error("HTTP {status}")]
    Busy {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// The body is encoded (gzip, br…): its bytes are not the file's.
    #[error("the server applies a content encoding ({coding}) to the file")]
    ContentEncoding { coding: String },
    /// A 206 for other bytes than those asked for, or of a file of another size.
    #[error(
        "asked for bytes {}-{}, got {}-{}/{}",
        .asked.start,
        .asked.end - 1,
        .got.start,
        .got.end - 1,
        .total.map_or("*".to_owned(), |t| t.to_string())
    )]
    WrongRange {
        asked: std::ops::Range<u64>,
        got: std::ops::Range<u64>,
        total: Option<u64>,
    },
    #[error("206 without a valid Content-Range")]
    NoContentRange,
    /// The whole file, but of another length than the download's.
    #[error("the file is {served} bytes here, {expected} expected")]
    WrongSize { served: u64, expected: u64 },
    /// Its ETag or Last-Modified changed since it first answered.
    #[error("the file changed on this mirror since the download began")]
    Changed,
    /// A piece from this mirror failed its hash; it is fetched from another.
    #[error("piece {piece} failed its hash check")]
    BadPiece { piece: usize },
    #[error(transparent)]
    Network(#[from] NetError),
    /// The secure connection could not be set up; asking again would fail the same way.
    #[error(transparent)]
    Tls(#[from] TlsError),
    /// What an FTP server answered instead of the file.
    #[error(transparent)]
    Ftp(#[from] FtpFault),
}

/// What an FTP server answered instead of the file: its reply code and text, as it
/// said them. (Network trouble on either of its connections is a [`NetError`], and
/// TLS trouble a [`TlsError`], as for HTTP.)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FtpFault {
    /// 550 to SIZE or RETR: the file is not there (or not readable).
    #[error("FTP {code}: not on this mirror ({text})")]
    Missing { code: u16, text: String },
    /// A refusal that asking again will not change (5xx).
    #[error("FTP {code} to {command}: {text}")]
    Refused {
        command: &'static str,
        code: u16,
        text: String,
    },
    /// A transient refusal (4xx): worth asking again later.
    #[error("FTP {code} to {command}: {text}")]
    Busy {
        command: &'static str,
        code: u16,
        text: String,
    },
    /// The server turns away more connections from this client (421 at the greeting,
    /// or a login refused for that reason): the mirror is used with fewer.
    #[error("the server takes no more connections (FTP {code}): {text}")]
    Full { code: u16, text: String },
    /// Wrong user name or password (or no anonymous access).
    #[error("login refused (FTP {code}): {text}")]
    Login { code: u16, text: String },
    /// An `ftps://` URL, and the server does not offer `AUTH TLS`.
    #[error("the server offers no TLS (AUTH TLS): {text}")]
    NoTls { text: String },
    /// The passive data connection could not be opened (a firewall in the way?).
    #[error("the data connection to port {port} {why}")]
    DataConnection { port: u16, why: NetError },
    /// Replies that are not FTP, or out of step.
    #[error("the server's answer makes no sense: {0}")]
    Protocol(String),
}

/// Why a TLS connection was refused (by Braid, checking the server's certificate, or by
/// the server).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlsError {
    /// Signed by nobody the system (or the engine's extra roots) trusts: self-signed, or
    /// a private CA.
    #[error("certificate not trusted: unknown issuer")]
    UnknownIssuer,
    /// Valid, but for other names than the host asked for.
    #[error("certificate is for another host{}", describe_names(.presented, .expected))]
    OtherHost {
        expected: String,
        /// The names in the certificate (may be empty when the verifier does not say).
        presented: Vec<String>,
    },
    #[error("certificate expired")]
    Expired,
    #[error("certificate not valid yet")]
    NotYetValid,
    #[error("certificate revoked")]
    Revoked,
    /// Any other problem with the certificate, as the TLS library says it.
    #[error("certificate not trusted: {0}")]
    Certificate(String),
    /// The handshake failed for another reason (no common protocol, an alert…).
    #[error("TLS handshake failed: {0}")]
    Handshake(String),
}

/// `: a.example, b.example (not c.example)`, or less when the verifier told less.
fn describe_names(presented: &[String], expected: &str) -> String {
    match (presented.is_empty(), expected.is_empty()) {
        (false, false) => format!(": {} (not {expected})", presented.join(", ")),
        (false, true) => format!(": {}", presented.join(", ")),
        (true, false) => format!(" than {expected}"),
        (true, true) => String::new(),
    }
}

/// A request that did not get (all of) its answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    #[error("could not connect")]
    Connect,
    #[error("timed out")]
    Timeout,
    /// The body ended before its length.
    #[error("the connection closed early")]
    ClosedEarly,
    #[error("stalled: nothing received for {seconds} s")]
    Stalled { seconds: u64 },
    /// Far slower than the other mirrors (or than any usable mirror): its work went to
    /// a better one.
    #[error("too slow: {bytes_per_second} bytes/s")]
    TooSlow { bytes_per_second: u64 },
    /// Anything else, as the innermost error says it (a reset, a protocol error…).
    #[error("{0}")]
    Other(String),
}

/// Why a mirror is no longer used for a download.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DropReason {
    /// One answer was enough: it does not have the file, or what it sends is not it.
    #[error("{0}")]
    Unusable(Fault),
    #[error("{count} failures in a row, the last: {last}")]
    Failures { count: u32, last: Fault },
    #[error("{count} pieces failed their hash check")]
    BadPieces { count: u32 },
}

/// A mirror that could not help finish a download, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorFailure {
    pub url: String,
    pub reason: MirrorReason,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MirrorReason {
    #[error("{0}")]
    Dropped(DropReason),
    /// Not dropped, but this was the last thing that went wrong with it.
    #[error("{0}")]
    Failed(Fault),
    /// It answered, but it has nothing for the pieces still missing.
    #[error("no usable data")]
    NothingUsable,
}

/// Something a running download wants the user to know; it goes on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Trouble {
    /// A request to the mirror went wrong (the mirror's status says whether it is kept).
    #[error("{0}")]
    Fault(Fault),
    /// A download that only the server vouches for (no hash) changed there: it starts over.
    #[error("the file changed on the server since the download began; starting over")]
    ChangedRestarting,
    /// The resume state could not be written (the download goes on).
    #[error("cannot save resume state: {0}")]
    StateNotSaved(DiskError),
    /// A file whose data was to be reused could not be read: its pieces are fetched.
    #[error("cannot reuse a file on disk: {0}")]
    Unreadable(DiskError),
}

/// The part file or its directory.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DiskError {
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: Arc<std::io::Error>,
    },
    #[error("{} is a symbolic link; refusing to write through it", .path.display())]
    Symlink { path: PathBuf },
    #[error("{} exists and is not a directory", .path.display())]
    NotADirectory { path: PathBuf },
    /// Another Braid (a window or `braid get`) holds the part file.
    #[error("another Braid is downloading {}", .path.display())]
    Locked { path: PathBuf },
    #[error(
        "not enough space in {}: {} more needed, {} free",
        .dir.display(),
        crate::format::bytes(*.needed),
        crate::format::bytes(*.free)
    )]
    NoSpace {
        dir: PathBuf,
        needed: u64,
        free: u64,
    },
}

impl DiskError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DiskError::Io {
            path: path.into(),
            source: Arc::new(source),
        }
    }
}

/// Equal when they say the same about the same path (I/O errors compare by kind and text).
impl PartialEq for DiskError {
    fn eq(&self, other: &Self) -> bool {
        use DiskError::*;
        match (self, other) {
            (Io { path: a, source: x }, Io { path: b, source: y }) => {
                a == b && x.kind() == y.kind() && x.to_string() == y.to_string()
            }
            (Symlink { path: a }, Symlink { path: b })
            | (NotADirectory { path: a }, NotADirectory { path: b })
            | (Locked { path: a }, Locked { path: b }) => a == b,
            (
                NoSpace {
                    dir: a,
                    needed: n,
                    free: f,
                },
                NoSpace {
                    dir: b,
                    needed: m,
                    free: g,
                },
            ) => a == b && n == m && f == g,
            _ => false,
        }
    }
}

impl Eq for DiskError {}

/// Why a download failed. Partial data is kept for a later retry unless it cannot be
/// trusted (a whole-file hash mismatch).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// Something else is at the target; the download was not told to replace it.
    #[error("{} exists", .0.display())]
    FileExists(PathBuf),
    #[error("unsafe file name '{name}': {reason}")]
    UnsafeName { name: String, reason: UnsafeName },
    #[error("{0}")]
    Disk(#[from] DiskError),
    #[error("no usable mirror left: {}", describe_mirrors(.0))]
    NoMirrors(Vec<MirrorFailure>),
    /// Every piece arrived, but the whole file does not match; it was discarded.
    #[error("the downloaded file does not match its {algorithm} hash; it was discarded")]
    HashMismatch { algorithm: HashAlgorithm },
    /// The hashes passed, but a signature by a trusted key does not match: the file is
    /// not what that key signed. It was discarded, like a hash mismatch.
    #[error("signature BAD{}; the file was discarded", bad_signer(.verdict))]
    SignatureBad { verdict: Verdict },
    /// The download must prove its publisher and does not (no signature, a key not in
    /// the keyring, a revoked key…). The data is kept: import the key and retry.
    #[error("a good signature is required{}; the file was not placed", required_why(.verdict.as_ref()))]
    SignatureRequired { verdict: Option<Verdict> },
    /// A bug: a task of the download ended unexpectedly.
    #[error("internal error: {0}")]
    Internal(String),
}

fn bad_signer(verdict: &Verdict) -> String {
    verdict
        .checks
        .iter()
        .find_map(|c| match &c.outcome {
            Outcome::Bad { signer } => Some(format!(" (key {})", signer.fingerprint)),
            _ => None,
        })
        .unwrap_or_default()
}

fn required_why(verdict: Option<&Verdict>) -> String {
    match verdict.and_then(|v| v.decisive()).map(|c| &c.outcome) {
        None => " and there is none".into(),
        Some(Outcome::UnknownKey { key }) => format!(" and key {key} is not in the keyring"),
        Some(Outcome::Good { .. }) => {
            " and the signing key is expired, revoked or not for signing".into()
        }
        Some(_) => " and no signature could be checked".into(),
    }
}

fn describe_mirrors(failures: &[MirrorFailure]) -> String {
    failures
        .iter()
        .map(|f| format!("{}: {}", crate::format::url(&f.url), f.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirror_reasons_do_not_show_passwords() {
        let error = JobError::NoMirrors(vec![MirrorFailure {
            url: "http://user:secret@127.0.0.2/a.iso".into(),
            reason: MirrorReason::Dropped(DropReason::Unusable(Fault::Missing { status: 404 })),
        }]);
        assert_eq!(
            error.to_string(),
            "no usable mirror left: http://user:***@127.0.0.2/a.iso: HTTP 404: not on this mirror"
        );
    }

    #[test]
    fn the_engine_does_not_tell_users_which_flag_to_use() {
        let exists = JobError::FileExists("/tmp/a.iso".into()).to_string();
        assert_eq!(exists, "/tmp/a.iso exists");
    }
}
