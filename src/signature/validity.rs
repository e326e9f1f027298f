//! Whether a key (or one of its subkeys) was fit to sign: its self-signatures say when it
//! expires and what it may do, its revocations whether its owner withdrew it. rPGP
//! parses and verifies the packets; the policy (newest valid self-signature wins,
//! soft and hard revocations, a signing subkey needs its back-signature) is here.

use pgp::composed::{SignedPublicKey, SignedPublicSubKey};
use pgp::packet::{RevocationCode, Signature, SignatureType, SubpacketData};
use pgp::types::{KeyDetails, Timestamp};

/// What a key's (or subkey's) own signatures say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Validity {
    /// Unix seconds.
    pub created: u64,
    /// Unix seconds; `None` when it never expires.
    pub expires: Option<u64>,
    pub revoked: Option<Revocation>,
    /// Whether its key flags allow signing data; keys without key flags (older ones)
    /// may sign.
    pub can_sign: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Revocation {
    /// Unix seconds.
    pub at: u64,
    /// Superseded or retired: signatures made before still count. Compromised, or no
    /// reason given: none does.
    pub soft: bool,
    /// The owner's words, if any.
    pub reason: Option<String>,
}

fn secs(timestamp: Timestamp) -> u64 {
    u64::from(timestamp.as_secs())
}

fn created(signature: &Signature) -> u64 {
    signature.created().map(secs).unwrap_or(0)
}

/// The key flags a signature sets, if it sets any.
fn key_flags(signature: &Signature) -> Option<pgp::packet::KeyFlags> {
    signature
        .config()?
        .hashed_subpackets()
        .find_map(|p| match &p.data {
            SubpacketData::KeyFlags(flags) => Some(flags.clone()),
            _ => None,
        })
}

/// When a key expires given the self-signature that speaks for it (0 means never).
fn expiry(key_created: u64, signature: &Signature) -> Option<u64> {
    signature
        .key_expiration_time()
        .map(|d| u64::from(d.as_secs()))
        .filter(|&d| d > 0)
        .map(|d| key_created + d)
}

fn revocation(signature: &Signature) -> Revocation {
    let soft = matches!(
        signature.revocation_reason_code(),
        Some(RevocationCode::KeySuperseded | RevocationCode::KeyRetired)
    );
    let reason = signature
        .revocation_reason_string()
        .map(|r| String::from_utf8_lossy(r).trim().to_owned())
        .filter(|r| !r.is_empty());
    Revocation {
        at: created(signature),
        soft,
        reason,
    }
}

/// The earliest valid revocation among `signatures`, hard ones first.
fn revoked(signatures: impl Iterator<Item = Revocation>) -> Option<Revocation> {
    signatures.min_by_key(|r| (r.soft, r.at))
}

/// The primary key's validity, from its newest valid self-signature (a direct-key
/// signature or a certification of one of its user IDs); `None` when it has none, so
/// nothing it says about itself can be believed.
pub(crate) fn primary(key: &SignedPublicKey) -> Option<Validity> {
    let primary = &key.primary_key;
    let direct = key
        .details
        .direct_signatures
        .iter()
        .filter(|s| s.verify_key(primary).is_ok());
    let certifications = key.details.users.iter().flat_map(|user| {
        user.signatures.iter().filter(move |s| {
            s.verify_certification(primary, pgp::types::Tag::UserId, &user.id)
                .is_ok()
        })
    });
    let newest = direct.chain(certifications).max_by_key(|s| created(s))?;
    let key_created = secs(primary.created_at());
    let revocations = key
        .details
        .revocation_signatures
        .iter()
        .filter(|s| s.typ() == Some(SignatureType::KeyRevocation) && s.verify_key(primary).is_ok())
        .map(revocation);
    Some(Validity {
        created: key_created,
        expires: expiry(key_created, newest),
        revoked: revoked(revocations),
        can_sign: key_flags(newest).is_none_or(|f| f.sign()),
    })
}

/// A subkey's validity, from its newest valid binding; `None` when it has none. A
/// binding that lets it sign counts only with the subkey's back-signature, so nobody
/// can claim another's signing key as theirs.
pub(crate) fn subkey(key: &SignedPublicKey, subkey: &SignedPublicSubKey) -> Option<Validity> {
    let primary = &key.primary_key;
    let bound = |s: &&Signature| {
        s.typ() == Some(SignatureType::SubkeyBinding)
            && s.verify_subkey_binding(primary, &subkey.key).is_ok()
    };
    let binding = subkey
        .signatures
        .iter()
        .filter(bound)
        .max_by_key(|s| created(s))?;
    let flags = key_flags(binding);
    let signs = flags.as_ref().is_some_and(|f| f.sign());
    let back_signed = binding.embedded_signature().is_some_and(|back| {
        back.verify_primary_key_binding(&subkey.key, primary)
            .is_ok()
    });
    let key_created = secs(subkey.key.created_at());
    let revocations = subkey
        .signatures
        .iter()
        .filter(|s| {
            s.typ() == Some(SignatureType::SubkeyRevocation)
                && s.verify_subkey_binding(primary, &subkey.key).is_ok()
        })
        .map(revocation);
    Some(Validity {
        created: key_created,
        expires: expiry(key_created, binding),
        revoked: revoked(revocations),
        can_sign: signs && back_signed,
    })
}

/// The user ID people know the key by: the one its newest valid self-signatures mark
/// primary, else the first with a valid self-signature.
pub(crate) fn user_ids(key: &SignedPublicKey) -> Vec<String> {
    let primary = &key.primary_key;
    let mut valid: Vec<(bool, u64, String)> = key
        .details
        .users
        .iter()
        .filter_map(|user| {
            let newest = user
                .signatures
                .iter()
                .filter(|s| {
                    s.verify_certification(primary, pgp::types::Tag::UserId, &user.id)
                        .is_ok()
                })
                .max_by_key(|s| created(s))?;
            let name = String::from_utf8_lossy(user.id.id()).into_owned();
            Some((newest.is_primary(), created(newest), name))
        })
        .collect();
    // Primary first, then in the key's own order.
    valid.sort_by_key(|(is_primary, _, _)| !is_primary);
    valid.into_iter().map(|(_, _, name)| name).collect()
}

/// A key's fingerprint as people see it.
pub(crate) fn fingerprint(key: &impl KeyDetails) -> String {
    super::hex(key.fingerprint().as_bytes())
}
