//! Checking found signatures against the keyring: the typed verdict the job reports and
//! the front ends word.

use std::convert::Infallible;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use pgp::composed::CleartextSignedMessage;
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{Signature, SignatureType};
use serde::{Deserialize, Serialize};

use super::found::{self, Found, Signs};
use super::keyring::{Candidate, Keyring, Origin, Part};
use super::validity::{self, Validity};
use crate::metalink::Hash;

/// Everything the download's signatures said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// One per signature packet, in the order found.
    pub checks: Vec<Check>,
}

/// One signature and what checking it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub covers: Covers,
    pub outcome: Outcome,
}

/// What a signature signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Covers {
    /// The downloaded file.
    File,
    /// The checksum file (named) that the download's hash came from.
    HashFile(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// The signature matches, by a key Braid trusts.
    Good {
        signer: Signer,
        warnings: Vec<Warning>,
    },
    /// The signature does not match: what was signed is not what was downloaded.
    Bad { signer: Signer },
    /// The signature names a key that no keyring Braid trusts holds (fingerprint, or
    /// key ID where the signature names no fingerprint).
    UnknownKey { key: String },
    /// The signature proves nothing here, and why.
    NotChecked { why: Unchecked },
    /// Before the download: a trusted key made it; the file is checked once it is in.
    Pending {
        signer: Signer,
        warnings: Vec<Warning>,
    },
}

/// Why a signature was not checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unchecked {
    /// It is not an OpenPGP signature (rPGP's words).
    Unreadable(String),
    /// A key signature, not a signature over data.
    NotOverData,
    /// MD5 can be forged at will.
    Md5,
    /// An algorithm or version Braid cannot check (rPGP's words).
    Unsupported(String),
    /// The signed checksum file (named) does not list the digest the file was checked
    /// with, so it vouches for nothing about this file.
    NotTheCheckedHash { file: String },
}

/// Who made a signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    /// The primary key's fingerprint, upper-case hex.
    pub fingerprint: String,
    /// "NAME <email>".
    pub user: Option<String>,
    /// The subkey that signed, when not the primary key.
    pub subkey: Option<String>,
    pub origin: Origin,
}

/// Why a good signature is worth less than it looks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Warning {
    /// The key has expired (unix seconds); `signed_after` when the signature was made
    /// after that.
    KeyExpired { on: u64, signed_after: bool },
    /// The key's owner revoked it (unix seconds). A soft revocation (superseded,
    /// retired) made after the signature leaves it valid.
    KeyRevoked {
        on: u64,
        reason: Option<String>,
        soft: bool,
        signed_before: bool,
    },
    /// The key (or subkey) that signed is not allowed to sign data.
    NotForSigning,
    /// The signature itself has expired (unix seconds).
    SignatureExpired { on: u64 },
    /// The signature uses a hash that can be forged (SHA-1).
    WeakHash { algorithm: String },
}

impl Warning {
    /// Whether the signature still proves who published the file despite this.
    pub fn still_counts(&self) -> bool {
        match self {
            Warning::KeyExpired { signed_after, .. } => !signed_after,
            Warning::KeyRevoked {
                soft,
                signed_before,
                ..
            } => *soft && *signed_before,
            Warning::NotForSigning
            | Warning::SignatureExpired { .. }
            | Warning::WeakHash { .. } => false,
        }
    }
}

impl Outcome {
    fn rank(&self) -> u8 {
        match self {
            Outcome::Bad { .. } => 0,
            Outcome::Good { warnings, .. } if warnings.is_empty() => 1,
            Outcome::Good { warnings, .. } if warnings.iter().all(Warning::still_counts) => 2,
            Outcome::Good { .. } => 3,
            Outcome::Pending { warnings, .. } if warnings.is_empty() => 4,
            Outcome::Pending { .. } => 5,
            Outcome::UnknownKey { .. } => 6,
            Outcome::NotChecked { .. } => 7,
        }
    }
}

impl Verdict {
    /// The check that decides: any BAD one (the file is not what a trusted key signed),
    /// else the best good one, else a key not known, else an unreadable one.
    pub fn decisive(&self) -> Option<&Check> {
        self.checks.iter().min_by_key(|c| c.outcome.rank())
    }

    /// A trusted key signed something else: the file must not be placed.
    pub fn is_bad(&self) -> bool {
        self.checks
            .iter()
            .any(|c| matches!(c.outcome, Outcome::Bad { .. }))
    }

    /// Whether it proves who published the file: what `--require-signature` asks for.
    pub fn proves_publisher(&self) -> bool {
        !self.is_bad()
            && self.decisive().is_some_and(|c| match &c.outcome {
                Outcome::Good { warnings, .. } => warnings.iter().all(Warning::still_counts),
                _ => false,
            })
    }

    /// Before the download: whether it can still prove its publisher once the file is
    /// in (a trusted key made a signature, and nothing speaks against that key).
    pub fn may_prove_publisher(&self) -> bool {
        !self.is_bad()
            && self.decisive().is_some_and(|c| match &c.outcome {
                Outcome::Good { warnings, .. } | Outcome::Pending { warnings, .. } => {
                    warnings.iter().all(Warning::still_counts)
                }
                _ => false,
            })
    }

    /// The keys named but not known, for "Import key…".
    pub fn unknown_keys(&self) -> Vec<&str> {
        let mut keys = Vec::new();
        for check in &self.checks {
            if let Outcome::UnknownKey { key } = &check.outcome
                && !keys.contains(&key.as_str())
            {
                keys.push(key.as_str());
            }
        }
        keys
    }
}

/// The fingerprint (or key ID) a signature names as its issuer.
pub(crate) fn issuer_name(signature: &Signature) -> Option<String> {
    if let Some(fp) = signature.issuer_fingerprint().first() {
        return Some(super::hex(fp.as_bytes()));
    }
    signature
        .issuer_key_id()
        .first()
        .map(|id| super::hex(id.as_ref()))
}

fn unix(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Checks every signature found for a download against the keyring: those over the
/// file read `file` (the finished data, before it is placed); those over a checksum
/// file read the text they carry, and count only when that file lists `verified`, the
/// digest the file was checked with. Only a failure to read `file` is an error; every
/// other trouble is an outcome.
pub fn check(
    found: &[Found],
    file: &Path,
    verified: Option<&Hash>,
    keyring: &Keyring,
    now: SystemTime,
) -> io::Result<Verdict> {
    let open = || -> io::Result<Box<dyn Read>> {
        Ok(Box::new(BufReader::with_capacity(
            1 << 20,
            std::fs::File::open(file)?,
        )))
    };
    check_with(found, &open, verified, keyring, now)
}

/// [`check`], reading the file through `open` (called once for each key tried), e.g.
/// through the part file's own handle.
pub fn check_with<'f>(
    found: &[Found],
    open: &dyn Fn() -> io::Result<Box<dyn Read + 'f>>,
    verified: Option<&Hash>,
    keyring: &Keyring,
    now: SystemTime,
) -> io::Result<Verdict> {
    judge_each(found, verified, |packet, data| match data {
        Some(bytes) => one(packet, keyring, now, &|| Ok(Box::new(bytes))),
        None => one(packet, keyring, now, open),
    })
}

/// What can be told before the download: which trusted key made a signature over the
/// file (the file itself is checked once it is in), and the whole outcome for
/// signatures over a checksum file, whose text is already here (`expected` is the
/// digest the file will be checked with).
pub fn check_before_download(
    found: &[Found],
    expected: Option<&Hash>,
    keyring: &Keyring,
    now: SystemTime,
) -> Verdict {
    let judged = judge_each(found, expected, |packet, data| {
        Ok::<_, Infallible>(match data {
            Some(bytes) => one(packet, keyring, now, &|| Ok(Box::new(bytes))).unwrap_or_else(|e| {
                Outcome::NotChecked {
                    why: Unchecked::Unreadable(e.to_string()),
                }
            }),
            None => pending(packet, keyring, now),
        })
    });
    match judged {
        Ok(verdict) => verdict,
        Err(never) => match never {},
    }
}

/// Every found signature's checks: why it cannot vouch for this download (see
/// [`readable`]), or each of its packets as `judge` finds it, given the bytes the packet
/// signs when they are already here (a checksum file's) and `None` for the downloaded file.
fn judge_each<E>(
    found: &[Found],
    checked_with: Option<&Hash>,
    mut judge: impl FnMut(&Signature, Option<&[u8]>) -> Result<Outcome, E>,
) -> Result<Verdict, E> {
    let mut checks = Vec::new();
    for found in found {
        let covers = covers(found);
        let (packets, data) = match readable(found, checked_with) {
            Ok(readable) => readable,
            Err(why) => {
                checks.push(Check {
                    covers,
                    outcome: Outcome::NotChecked { why },
                });
                continue;
            }
        };
        for packet in &packets {
            checks.push(Check {
                covers: covers.clone(),
                outcome: judge(packet, data.as_deref())?,
            });
        }
    }
    Ok(Verdict { checks })
}

fn covers(found: &Found) -> Covers {
    match found.hash_file() {
        Some(name) => Covers::HashFile(name.to_owned()),
        None => Covers::File,
    }
}

/// A found signature's packets and, for one over a checksum file, the bytes it signs
/// (`None`: the downloaded file); or why it cannot vouch for this download.
fn readable(
    found: &Found,
    checked_with: Option<&Hash>,
) -> Result<(Vec<Signature>, Option<Vec<u8>>), Unchecked> {
    let packets = found::packets(found).map_err(Unchecked::Unreadable)?;
    if let Some(file) = found.hash_file()
        && !checked_with.is_some_and(|h| found.vouched_hashes().contains(h))
    {
        return Err(Unchecked::NotTheCheckedHash {
            file: file.to_owned(),
        });
    }
    let data = match &found.signs {
        Signs::File { .. } => None,
        Signs::HashFile { text, .. } => Some(text.clone()),
        Signs::ClearsignedHashFile { document, .. } => {
            let text = std::str::from_utf8(document)
                .map_err(|_| Unchecked::Unreadable("the clearsigned file is not text".into()))?;
            let (message, _) = CleartextSignedMessage::from_string(text)
                .map_err(|e| Unchecked::Unreadable(e.to_string()))?;
            Some(message.signed_text().into_bytes())
        }
    };
    Ok((packets, data))
}

/// Why a signature packet cannot prove anything, before any key is looked at.
fn unusable(packet: &Signature) -> Option<Unchecked> {
    match packet.typ() {
        Some(SignatureType::Binary | SignatureType::Text) => {}
        _ => return Some(Unchecked::NotOverData),
    }
    match packet.hash_alg() {
        Some(HashAlgorithm::Md5) => Some(Unchecked::Md5),
        None => Some(Unchecked::Unsupported("this signature version".into())),
        Some(_) => None,
    }
}

/// Who made `packet` among the keyring's keys, without looking at the data.
fn pending(packet: &Signature, keyring: &Keyring, now: SystemTime) -> Outcome {
    if let Some(why) = unusable(packet) {
        return Outcome::NotChecked { why };
    }
    match keyring.candidates(packet).first() {
        Some(candidate) => Outcome::Pending {
            signer: signer(candidate),
            warnings: warnings(packet, candidate, now),
        },
        None => unknown(packet),
    }
}

fn unknown(packet: &Signature) -> Outcome {
    Outcome::UnknownKey {
        key: issuer_name(packet).unwrap_or_else(|| "?".to_owned()),
    }
}

/// Checks one signature packet over the data `open` gives (once per key tried).
fn one<'d>(
    packet: &Signature,
    keyring: &Keyring,
    now: SystemTime,
    open: &dyn Fn() -> io::Result<Box<dyn Read + 'd>>,
) -> io::Result<Outcome> {
    if let Some(why) = unusable(packet) {
        return Ok(Outcome::NotChecked { why });
    }
    let candidates = keyring.candidates(packet);
    let Some(first) = candidates.first() else {
        return Ok(unknown(packet));
    };
    for candidate in &candidates {
        let mut reader = Recording::new(open()?);
        let verified = match candidate.part {
            Part::Primary => packet.verify(&candidate.trusted.key.primary_key, &mut reader),
            Part::Subkey(subkey) => packet.verify(&subkey.key, &mut reader),
        };
        if let Some(error) = reader.error.take() {
            return Err(error);
        }
        match verified {
            Ok(()) => {
                return Ok(Outcome::Good {
                    signer: signer(candidate),
                    warnings: warnings(packet, candidate, now),
                });
            }
            Err(pgp::errors::Error::Unsupported { message, .. }) => {
                return Ok(Outcome::NotChecked {
                    why: Unchecked::Unsupported(message),
                });
            }
            Err(_) => {}
        }
    }
    Ok(Outcome::Bad {
        signer: signer(first),
    })
}

fn signer(candidate: &Candidate<'_>) -> Signer {
    let key = &candidate.trusted.key;
    Signer {
        fingerprint: validity::fingerprint(&key.primary_key),
        user: validity::user_ids(key).into_iter().next(),
        subkey: match candidate.part {
            Part::Primary => None,
            Part::Subkey(subkey) => Some(validity::fingerprint(&subkey.key)),
        },
        origin: candidate.trusted.origin.clone(),
    }
}

/// What the key's own signatures say against this signature, at `now`.
fn warnings(packet: &Signature, candidate: &Candidate<'_>, now: SystemTime) -> Vec<Warning> {
    let now = unix(now);
    let signed = packet.created().map_or(0, |t| u64::from(t.as_secs()));
    let key = &candidate.trusted.key;
    let primary = validity::primary(key);
    let part = match candidate.part {
        Part::Primary => primary.clone(),
        Part::Subkey(subkey) => validity::subkey(key, subkey),
    };
    let mut warnings = Vec::new();
    let (Some(primary), Some(part)) = (primary, part) else {
        // Nothing the key says about itself can be believed.
        warnings.push(Warning::NotForSigning);
        return warnings;
    };
    if !part.can_sign {
        warnings.push(Warning::NotForSigning);
    }
    let expires = [primary.expires, part.expires].into_iter().flatten().min();
    if let Some(on) = expires.filter(|&on| on <= now) {
        warnings.push(Warning::KeyExpired {
            on,
            signed_after: signed >= on,
        });
    }
    let revoked = [&primary, &part]
        .into_iter()
        .filter_map(|v: &Validity| v.revoked.clone())
        .min_by_key(|r| (r.soft, r.at));
    if let Some(revocation) = revoked {
        warnings.push(Warning::KeyRevoked {
            on: revocation.at,
            reason: revocation.reason,
            soft: revocation.soft,
            signed_before: signed < revocation.at,
        });
    }
    if let Some(lifetime) = packet
        .signature_expiration_time()
        .map(|d| u64::from(d.as_secs()))
        .filter(|&d| d > 0)
        && signed + lifetime <= now
    {
        warnings.push(Warning::SignatureExpired {
            on: signed + lifetime,
        });
    }
    if packet.hash_alg() == Some(HashAlgorithm::Sha1) {
        warnings.push(Warning::WeakHash {
            algorithm: "SHA-1".into(),
        });
    }
    warnings
}

/// A reader that keeps the I/O error rPGP would turn into "signature failed", so a
/// file that cannot be read is never called BAD.
struct Recording<R> {
    inner: R,
    error: Option<io::Error>,
}

impl<R> Recording<R> {
    fn new(inner: R) -> Self {
        Recording { inner, error: None }
    }
}

impl<R: Read> Read for Recording<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).inspect_err(|e| {
            if self.error.is_none() {
                self.error = Some(io::Error::new(e.kind(), e.to_string()));
            }
        })
    }
}
