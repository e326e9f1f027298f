//! What a system said in its own words ("end of file before message length reached", a
//! rustls alert): never inside the user's sentence, which says what happened in the
//! interface language, but kept beside it as its detail, for whoever wants to know more
//! or to report it.

use crate::discover::ProbeError;
use crate::engine::{DropReason, Fault, FtpFault, JobError, MirrorReason, NetError, TlsError};

/// Words for the user, and the system's own words they leave out, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worded {
    pub words: String,
    pub detail: Option<String>,
}

impl From<String> for Worded {
    fn from(words: String) -> Self {
        Worded {
            words,
            detail: None,
        }
    }
}

impl From<&str> for Worded {
    fn from(words: &str) -> Self {
        words.to_owned().into()
    }
}

/// Why a link could not be probed, with the transport's own words as the detail.
pub fn probe_worded(error: &ProbeError) -> Worded {
    let detail = match error {
        ProbeError::Request { url, error } => {
            fault_detail(error).map(|d| format!("{}: {d}", crate::format::url(url.as_str())))
        }
        _ => None,
    };
    Worded {
        words: super::probe_error(error),
        detail,
    }
}

/// The system's own words inside a download's failure: each mirror's, one a line.
pub fn job_detail(error: &JobError) -> Option<String> {
    let JobError::NoMirrors(failures) = error else {
        return None;
    };
    let lines: Vec<String> = failures
        .iter()
        .filter_map(|f| {
            let detail = match &f.reason {
                MirrorReason::Dropped(drop) => drop_detail(drop),
                MirrorReason::Failed(fault) => fault_detail(fault),
                _ => None,
            }?;
            Some(format!("{}: {detail}", crate::format::url(&f.url)))
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// Why a mirror was dropped, in the system's own words, when the reason has them.
pub fn drop_detail(reason: &DropReason) -> Option<String> {
    match reason {
        DropReason::Unusable(fault) | DropReason::Failures { last: fault, .. } => {
            fault_detail(fault)
        }
        _ => None,
    }
}

fn fault_detail(fault: &Fault) -> Option<String> {
    match fault {
        Fault::Network(net) => net_detail(net),
        Fault::Tls(TlsError::Certificate(detail) | TlsError::Handshake(detail)) => {
            Some(detail.clone())
        }
        Fault::Ftp(FtpFault::DataConnection { why, .. }) => net_detail(why),
        _ => None,
    }
}

fn net_detail(error: &NetError) -> Option<String> {
    match error {
        NetError::Other(detail) => Some(detail.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::MirrorFailure;

    fn reset() -> Fault {
        Fault::Network(NetError::Other(
            "connection reset by a passing cosmic ray".into(),
        ))
    }

    /// Bug: notices said "network error: end of file before message length reached" in
    /// every language.
    #[test]
    fn a_transports_own_words_are_the_detail_not_the_sentence() {
        let error = ProbeError::Request {
            url: url::Url::parse("http://127.0.0.1:8080/a.meta4").unwrap(),
            error: reset(),
        };
        for (language, words) in [
            ("en", "127.0.0.1:8080/a.meta4: network error"),
            ("de", "127.0.0.1:8080/a.meta4: Netzwerkfehler"),
            ("es", "127.0.0.1:8080/a.meta4: error de red"),
        ] {
            crate::i18n::set_language(language);
            let worded = probe_worded(&error);
            assert!(
                worded.words.ends_with(words),
                "{language}: {}",
                worded.words
            );
            assert!(!worded.words.contains("cosmic"), "{}", worded.words);
            assert_eq!(
                worded.detail.as_deref(),
                Some("http://127.0.0.1:8080/a.meta4: connection reset by a passing cosmic ray")
            );
        }
        crate::i18n::set_language("en");
    }

    #[test]
    fn a_failed_download_keeps_each_mirrors_own_words() {
        let error = JobError::NoMirrors(vec![
            MirrorFailure {
                url: "http://127.0.0.2/a.iso".into(),
                reason: MirrorReason::Dropped(DropReason::Failures {
                    count: 3,
                    last: reset(),
                }),
            },
            MirrorFailure {
                url: "http://127.0.0.3/a.iso".into(),
                reason: MirrorReason::Failed(Fault::Missing { status: 404 }),
            },
        ]);
        assert_eq!(
            job_detail(&error).as_deref(),
            Some("http://127.0.0.2/a.iso: connection reset by a passing cosmic ray")
        );
        assert_eq!(job_detail(&JobError::Internal("x".into())), None);
    }
}
