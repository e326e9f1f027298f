//! The keys Braid trusts at one moment, each with where it came from.

use std::path::PathBuf;

use pgp::composed::{Deserializable, SignedPublicKey, SignedPublicSubKey, SignedSecretKey};
use pgp::packet::Signature;
use pgp::types::KeyDetails;

use super::validity::{self, Validity};

/// Where a trusted key came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Origin {
    /// Braid's own keyring (`braid keys import`).
    Braid,
    /// The user's GnuPG public keys (`gpg --export`).
    GnuPg,
    /// A distribution keyring file, e.g. `/usr/share/keyrings/debian-archive-keyring.gpg`.
    System(PathBuf),
}

/// A key as people see it in `braid keys list` and Settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    /// Upper-case hex, no spaces.
    pub fingerprint: String,
    /// "NAME <email>", the primary one first.
    pub user_ids: Vec<String>,
    /// Unix seconds.
    pub created: u64,
    /// Unix seconds; `None` when it never expires.
    pub expires: Option<u64>,
    pub revoked: bool,
    /// Whether the key or one of its subkeys may sign data.
    pub can_sign: bool,
    pub origin: Origin,
}

impl KeyInfo {
    /// The user ID people know the key by.
    pub fn user(&self) -> Option<&str> {
        self.user_ids.first().map(String::as_str)
    }

    pub(crate) fn of(key: &SignedPublicKey, origin: Origin) -> KeyInfo {
        let primary = validity::primary(key);
        let subkeys: Vec<Validity> = key
            .public_subkeys
            .iter()
            .filter_map(|s| validity::subkey(key, s))
            .collect();
        let usable = |v: &Validity| v.can_sign && v.revoked.is_none();
        KeyInfo {
            fingerprint: validity::fingerprint(&key.primary_key),
            user_ids: validity::user_ids(key),
            created: u64::from(key.primary_key.created_at().as_secs()),
            expires: primary.as_ref().and_then(|v| v.expires),
            revoked: primary.as_ref().is_some_and(|v| v.revoked.is_some()),
            can_sign: primary.as_ref().is_some_and(usable) || subkeys.iter().any(usable),
            origin,
        }
    }
}

/// One trusted key.
#[derive(Debug, Clone)]
pub(crate) struct Trusted {
    pub key: SignedPublicKey,
    pub origin: Origin,
}

/// The part of a key that made a signature.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part<'a> {
    Primary,
    Subkey(&'a SignedPublicSubKey),
}

/// A key that may have made a signature.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate<'a> {
    pub trusted: &'a Trusted,
    pub part: Part<'a>,
}

/// Every key Braid trusts now. Built by [`KeySources::load`](super::KeySources::load),
/// or from key files directly.
#[derive(Debug, Clone, Default)]
pub struct Keyring {
    keys: Vec<Trusted>,
}

impl Keyring {
    pub fn new() -> Keyring {
        Keyring::default()
    }

    /// The keys in a key file (armored or binary, public or secret: only the public
    /// parts are kept).
    pub fn from_bytes(bytes: &[u8], origin: Origin) -> Result<Keyring, String> {
        let keys = parse_keys(bytes)?;
        Ok(Keyring {
            keys: keys
                .into_iter()
                .map(|key| Trusted {
                    key,
                    origin: origin.clone(),
                })
                .collect(),
        })
    }

    /// Adds `other`'s keys after this one's: a key both hold is taken from this one.
    pub fn extend(&mut self, other: Keyring) {
        self.keys.extend(other.keys);
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Every key, as people see it.
    pub fn keys(&self) -> Vec<KeyInfo> {
        self.keys
            .iter()
            .map(|t| KeyInfo::of(&t.key, t.origin.clone()))
            .collect()
    }

    /// The key with this fingerprint or key ID (hex, any case, spaces allowed), or with
    /// a subkey of that fingerprint or ID.
    pub fn find(&self, handle: &str) -> Option<KeyInfo> {
        let wanted = normalize_handle(handle);
        if wanted.len() < 16 {
            return None;
        }
        self.keys
            .iter()
            .find(|t| {
                std::iter::once(validity::fingerprint(&t.key.primary_key))
                    .chain(
                        t.key
                            .public_subkeys
                            .iter()
                            .map(|s| validity::fingerprint(&s.key)),
                    )
                    .any(|fp| fp == wanted || fp.ends_with(&wanted))
            })
            .map(|t| KeyInfo::of(&t.key, t.origin.clone()))
    }

    /// The keys (and the part of each) that a signature names as its issuer, in the
    /// keyring's order; every key when the signature names none.
    pub(crate) fn candidates(&self, signature: &Signature) -> Vec<Candidate<'_>> {
        let fingerprints = signature.issuer_fingerprint();
        let ids = signature.issuer_key_id();
        let names = |key: &dyn KeyDetails| {
            (fingerprints.is_empty() && ids.is_empty())
                || fingerprints.iter().any(|fp| **fp == key.fingerprint())
                || ids.iter().any(|id| **id == key.legacy_key_id())
        };
        let mut found = Vec::new();
        for trusted in &self.keys {
            if names(&trusted.key.primary_key) {
                found.push(Candidate {
                    trusted,
                    part: Part::Primary,
                });
            }
            for subkey in &trusted.key.public_subkeys {
                if names(&subkey.key) {
                    found.push(Candidate {
                        trusted,
                        part: Part::Subkey(subkey),
                    });
                }
            }
        }
        found
    }
}

/// `0x9F3A 3C48 …` → `9F3A3C48…`.
pub(crate) fn normalize_handle(handle: &str) -> String {
    let handle = handle.trim();
    let handle = handle
        .strip_prefix("0x")
        .or_else(|| handle.strip_prefix("0X"))
        .unwrap_or(handle);
    handle
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// The public keys in a key file; keys that cannot be read are skipped, and it is an
/// error only when none can.
pub(crate) fn parse_keys(bytes: &[u8]) -> Result<Vec<SignedPublicKey>, String> {
    let mut keys = Vec::new();
    let mut first_error = None;
    match SignedPublicKey::from_reader_many(bytes) {
        Ok((parsed, _)) => {
            for key in parsed {
                match key {
                    Ok(key) => keys.push(key),
                    Err(e) => {
                        first_error.get_or_insert(e.to_string());
                    }
                }
            }
        }
        Err(e) => first_error = Some(e.to_string()),
    }
    if keys.is_empty()
        && let Ok((parsed, _)) = SignedSecretKey::from_reader_many(bytes)
    {
        keys.extend(parsed.flatten().map(|secret| secret.to_public_key()));
    }
    if keys.is_empty() {
        return Err(first_error.unwrap_or_else(|| "it holds no OpenPGP key".to_owned()));
    }
    Ok(keys)
}
