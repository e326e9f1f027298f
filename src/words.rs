//! Wording the terminal and the window share, from the Fluent catalog: `braid get`,
//! `braid inspect`, the add dialog and the details view say a signature's outcome in the
//! same words.

use crate::i18n::t_args;
use crate::signature::{Check, Covers, Outcome, Signer, Unchecked, Verdict, Warning};

fn signer(signer: &Signer) -> Vec<(&'static str, String)> {
    vec![
        (
            "signer",
            signer
                .user
                .clone()
                .unwrap_or_else(|| crate::i18n::t("signature-unnamed")),
        ),
        ("fingerprint", signer.fingerprint.clone()),
    ]
}

/// One line for a checked signature: "signature good, by NAME <email> (FINGERPRINT)".
pub fn signature(check: &Check) -> String {
    let over = match &check.covers {
        Covers::File => None,
        Covers::HashFile(name) => Some(name.clone()),
    };
    let with_file = |key: &str, key_over: &str, mut args: Vec<(&'static str, String)>| match &over {
        Some(file) => {
            args.push(("file", file.clone()));
            t_args(key_over, &args)
        }
        None => t_args(key, &args),
    };
    match &check.outcome {
        Outcome::Good { signer: s, .. } => {
            with_file("signature-good", "signature-good-over", signer(s))
        }
        Outcome::Bad { signer: s } => with_file("signature-bad", "signature-bad-over", signer(s)),
        Outcome::UnknownKey { key } => {
            t_args("signature-unknown-key", &[("fingerprint", key.clone())])
        }
        Outcome::NotChecked { why } => t_args("signature-not-checked", &[("why", unchecked(why))]),
        Outcome::Pending { signer: s, .. } => t_args("signature-pending", &signer(s)),
    }
}

fn unchecked(why: &Unchecked) -> String {
    match why {
        Unchecked::Unreadable(detail) => {
            t_args("signature-why-unreadable", &[("detail", detail.clone())])
        }
        Unchecked::NotOverData => crate::i18n::t("signature-why-not-over-data"),
        Unchecked::Md5 => crate::i18n::t("signature-why-md5"),
        Unchecked::Unsupported(detail) => {
            t_args("signature-why-unsupported", &[("detail", detail.clone())])
        }
        Unchecked::NotTheCheckedHash { file } => {
            t_args("signature-why-other-hash", &[("file", file.clone())])
        }
    }
}

/// The warnings that come with a signature, one line each.
pub fn warnings(check: &Check) -> Vec<String> {
    let (Outcome::Good { signer, warnings } | Outcome::Pending { signer, warnings }) =
        &check.outcome
    else {
        return Vec::new();
    };
    warnings.iter().map(|w| warning(signer, w)).collect()
}

fn warning(signer: &Signer, warning: &Warning) -> String {
    let key = signer
        .subkey
        .as_ref()
        .unwrap_or(&signer.fingerprint)
        .clone();
    match warning {
        Warning::KeyExpired { on, signed_after } => t_args(
            if *signed_after {
                "signature-expired"
            } else {
                "signature-expired-after"
            },
            &[("fingerprint", key), ("date", crate::format::date(*on))],
        ),
        Warning::KeyRevoked { on, reason, .. } => {
            let mut args = vec![("fingerprint", key), ("date", crate::format::date(*on))];
            match reason {
                Some(reason) => {
                    args.push(("reason", reason.clone()));
                    t_args("signature-revoked-reason", &args)
                }
                None => t_args("signature-revoked", &args),
            }
        }
        Warning::NotForSigning => t_args("signature-not-for-signing", &[("fingerprint", key)]),
        Warning::SignatureExpired { on } => t_args(
            "signature-sig-expired",
            &[("date", crate::format::date(*on))],
        ),
        Warning::WeakHash { algorithm } => {
            t_args("signature-weak-hash", &[("algorithm", algorithm.clone())])
        }
    }
}

/// The decisive line of a verdict, and its warnings: what a one-line summary shows.
pub fn verdict(verdict: &Verdict) -> Option<(String, Vec<String>)> {
    let check = verdict.decisive()?;
    Some((signature(check), warnings(check)))
}

/// Why a download that requires a signature failed.
pub fn required(verdict: Option<&Verdict>) -> String {
    match verdict.and_then(|v| v.decisive()) {
        Some(check) => t_args("signature-required", &[("outcome", signature(check))]),
        None => crate::i18n::t("signature-required-none"),
    }
}
