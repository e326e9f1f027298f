//! The signature step of finishing: after the hashes pass and before the file is placed,
//! the download's OpenPGP signatures are checked against the keys Braid trusts now.

use std::io::{BufReader, Read};
use std::path::Path;
use std::time::SystemTime;

use super::super::{DiskError, JobError, JobSpec};
use crate::metalink::Hash;
use crate::signature::{self, KeySources, Verdict};

/// The verdict to report, or why the file must not be placed: a BAD signature (the
/// caller discards the data, like after a hash mismatch), or a required signature that
/// proves nothing (the caller keeps the data and its state, so importing the key and
/// retrying costs no new download).
///
/// `open` reads the finished data (`data` names it in errors); `verified` is the hash
/// it passed. Runs on a worker
/// thread of its own: loading the keyring and reading a large file take a while.
pub(super) fn check<'f>(
    spec: &JobSpec,
    data: &Path,
    open: &dyn Fn() -> std::io::Result<Box<dyn Read + 'f>>,
    verified: Option<&Hash>,
    keys: Option<&KeySources>,
) -> Result<Option<Verdict>, JobError> {
    let signatures = &spec.signatures;
    if signatures.found.is_empty() {
        return match signatures.required {
            true => Err(JobError::SignatureRequired { verdict: None }),
            false => Ok(None),
        };
    }
    let verdict = tokio::task::block_in_place(|| {
        let keyring = keys.map(|k| k.load().0).unwrap_or_default();
        signature::check_with(
            &signatures.found,
            open,
            verified,
            &keyring,
            SystemTime::now(),
        )
    })
    .map_err(|e| JobError::Disk(DiskError::io(data, e)))?;
    if verdict.is_bad() {
        return Err(JobError::SignatureBad { verdict });
    }
    if signatures.required && !verdict.proves_publisher() {
        return Err(JobError::SignatureRequired {
            verdict: Some(verdict),
        });
    }
    Ok(Some(verdict))
}

/// Reads `reader` through a large buffer (rPGP reads in small pieces).
pub(super) fn buffered<'a>(reader: impl Read + 'a) -> Box<dyn Read + 'a> {
    Box::new(BufReader::with_capacity(1 << 20, reader))
}
