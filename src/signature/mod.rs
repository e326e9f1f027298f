//! OpenPGP signatures: who published a download. A hash only proves that a file matches
//! its metalink; a signature by a key the user trusts proves who published it.
//!
//! - [`Found`] is a signature as it was found (a metalink's `<signature>`, a `describedby`
//!   Link, a `FILE.asc` sidecar, a signed `SHA256SUMS`), carried in the download's spec;
//! - [`Keyring`] is every key Braid trusts now: its own keyring ([`KeyStore`], under the
//!   data folder, managed by `braid keys` and Settings) and, read-only, the user's GnuPG
//!   keys and the distribution's keyrings ([`KeySources`]);
//! - [`check`] turns the two into a [`Verdict`]: good (by whom), BAD, key not known,
//!   not checked (and why), with warnings for expired, revoked or non-signing keys ([`Warning`]).
//!
//! - [`SigningKey`] makes the signatures `braid create --sign` puts in a metalink.
//!
//! Pure Rust (rPGP), no network and no async: the job checks after the hashes pass and
//! before the file is placed; the front ends word the verdict.

mod check;
mod found;
mod keyring;
mod sign;
mod sources;
mod store;
mod validity;

pub use check::{
    Check, Covers, Outcome, Signer, Unchecked, Verdict, Warning, check, check_before_download,
    check_with,
};
pub use found::{Found, Signatures, Signs, from_metalink_file, signers};
pub use keyring::{KeyInfo, Keyring, Origin};
pub use sign::{SignError, SigningKey};
pub use sources::{KeySources, SYSTEM_KEYRING_DIRS, SourceProblem, gnupg_installed};
pub use store::{
    Change, Damaged, ImportError, Imported, KeyStore, MAX_KEY_FILE, RemoveError, StoreError,
    looks_like_key_file, read_key_file,
};

/// A fingerprint or key ID as people see it: upper-case hex without spaces, so it can
/// be copied into `braid keys remove`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}
