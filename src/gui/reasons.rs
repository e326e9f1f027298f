//! The engine's, the probe's and the parser's typed reasons in the interface language:
//! each variant has a key in `i18n/*.ftl` (`en.ftl` is the source). Their `Display` is
//! for logs and the terminal; nothing here shows it to the user. What a system said in
//! its own words (a transport library's message) is kept out of the sentences and given
//! beside them as their detail (`detail`).

use crate::discover::{Note, ProbeError};
use crate::engine::{
    DiskError, DropReason, Fault, FtpFault, JobError, MirrorReason, NetError, NotARate, TlsError,
    Trouble,
};
use crate::i18n::{t, t_args};
use crate::metalink::names::UnsafeName;
use crate::metalink::select::SelectionNote;
use crate::metalink::{AttributeFault, Markup, ParseError, XmlProblem};

use super::units;

mod detail;
pub use detail::{Worded, job_detail, probe_worded};

fn path(p: &std::path::Path) -> String {
    p.display().to_string()
}

fn url(u: &str) -> String {
    crate::format::url(u)
}

/// Why a download failed.
pub fn job_error(error: &JobError) -> String {
    match error {
        JobError::FileExists(target) => t_args("reason-file-exists", &[("path", path(target))]),
        JobError::UnsafeName { name, reason } => t_args(
            "reason-unsafe-name",
            &[("name", name.clone()), ("reason", unsafe_name(reason))],
        ),
        JobError::Disk(disk) => disk_error(disk),
        JobError::NoMirrors(failures) => {
            let each: Vec<String> = failures
                .iter()
                .map(|f| format!("{}: {}", url(&f.url), mirror_reason(&f.reason)))
                .collect();
            t_args("reason-no-mirrors", &[("mirrors", each.join("; "))])
        }
        JobError::HashMismatch { algorithm } => {
            t_args("reason-hash-mismatch", &[("hash", algorithm.to_string())])
        }
        JobError::SignatureBad { verdict } => crate::words::verdict(verdict)
            .map(|(line, _)| line)
            .unwrap_or_default(),
        JobError::SignatureRequired { verdict } => crate::words::required(verdict.as_ref()),
        JobError::Internal(detail) => t_args("reason-internal", &[("detail", detail.clone())]),
    }
}

pub fn disk_error(error: &DiskError) -> String {
    match error {
        DiskError::Io { path: p, source } => t_args(
            "reason-disk-io",
            &[("path", path(p)), ("detail", io_error(source))],
        ),
        DiskError::Symlink { path: p } => t_args("reason-disk-symlink", &[("path", path(p))]),
        DiskError::NotADirectory { path: p } => {
            t_args("reason-disk-not-directory", &[("path", path(p))])
        }
        DiskError::Locked { path: p } => t_args("reason-disk-locked", &[("path", path(p))]),
        DiskError::NoSpace { dir, needed, free } => t_args(
            "reason-disk-no-space",
            &[
                ("dir", path(dir)),
                ("needed", units::bytes(*needed)),
                ("free", units::bytes(*free)),
            ],
        ),
    }
}

/// The system's words for common I/O failures, else its own text.
pub fn io_error(error: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let key = match error.kind() {
        NotFound => "reason-io-not-found",
        PermissionDenied => "reason-io-permission",
        StorageFull => "reason-io-full",
        ReadOnlyFilesystem => "reason-io-read-only",
        _ => return error.to_string(),
    };
    t(key)
}

pub fn fault(fault: &Fault) -> String {
    match fault {
        Fault::Missing { status } => t_args("reason-missing", &[("status", status.to_string())]),
        Fault::Refused { status } | Fault::Busy { status, .. } => {
            t_args("reason-status", &[("status", status.to_string())])
        }
        Fault::ContentEncoding { coding } => {
            t_args("reason-content-encoding", &[("coding", coding.clone())])
        }
        Fault::WrongRange { .. } => t("reason-wrong-range"),
        Fault::NoContentRange => t("reason-no-content-range"),
        Fault::WrongSize { served, expected } => t_args(
            "reason-wrong-size",
            &[
                ("served", units::bytes(*served)),
                ("expected", units::bytes(*expected)),
            ],
        ),
        Fault::Changed => t("reason-changed"),
        Fault::BadPiece { piece } => t_args("reason-bad-piece", &[("piece", piece.to_string())]),
        Fault::Network(net) => net_error(net),
        Fault::Tls(tls) => tls_error(tls),
        Fault::Ftp(ftp) => ftp_fault(ftp),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// An FTP server's answer; its own words (`text`) are quoted as it sent them.
fn ftp_fault(fault: &FtpFault) -> String {
    let coded = |key, code: &u16, text: &String| {
        t_args(key, &[("code", code.to_string()), ("text", text.clone())])
    };
    match fault {
        FtpFault::Missing { code, text } => coded("reason-ftp-missing", code, text),
        FtpFault::Refused {
            command,
            code,
            text,
        }
        | FtpFault::Busy {
            command,
            code,
            text,
        } => t_args(
            "reason-ftp-refused",
            &[
                ("command", command.to_string()),
                ("code", code.to_string()),
                ("text", text.clone()),
            ],
        ),
        FtpFault::Full { code, text } => coded("reason-ftp-full", code, text),
        FtpFault::Login { code, text } => coded("reason-ftp-login", code, text),
        FtpFault::NoTls { text } => t_args("reason-ftp-no-tls", &[("text", text.clone())]),
        FtpFault::DataConnection { port, why } => t_args(
            "reason-ftp-data-connection",
            &[("port", port.to_string()), ("why", net_error(why))],
        ),
        FtpFault::Protocol(detail) => t_args("reason-ftp-protocol", &[("detail", detail.clone())]),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

fn net_error(error: &NetError) -> String {
    match error {
        NetError::Connect => t("reason-net-connect"),
        NetError::Timeout => t("reason-net-timeout"),
        NetError::ClosedEarly => t("reason-net-closed-early"),
        NetError::Stalled { seconds } => {
            t_args("reason-net-stalled", &[("seconds", seconds.to_string())])
        }
        NetError::TooSlow { bytes_per_second } => t_args(
            "reason-net-too-slow",
            &[("speed", units::speed(*bytes_per_second as f64))],
        ),
        // The transport library's own words stay out of the sentence: they are the
        // detail (see `detail`), a hover away.
        NetError::Other(_) => t("reason-net-other"),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

fn tls_error(error: &TlsError) -> String {
    match error {
        TlsError::UnknownIssuer => t("reason-tls-unknown-issuer"),
        TlsError::OtherHost { expected, .. } => {
            t_args("reason-tls-other-host", &[("host", expected.clone())])
        }
        TlsError::Expired => t("reason-tls-expired"),
        TlsError::NotYetValid => t("reason-tls-not-yet-valid"),
        TlsError::Revoked => t("reason-tls-revoked"),
        TlsError::Certificate(_) => t("reason-tls-certificate"),
        TlsError::Handshake(_) => t("reason-tls-handshake"),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// Why a mirror is no longer used.
pub fn drop_reason(reason: &DropReason) -> String {
    match reason {
        DropReason::Unusable(f) => fault(f),
        DropReason::Failures { count, last } => t_args(
            "reason-failures",
            &[("count", count.to_string()), ("last", fault(last))],
        ),
        DropReason::BadPieces { count } => {
            t_args("reason-bad-pieces", &[("count", count.to_string())])
        }
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

pub fn mirror_reason(reason: &MirrorReason) -> String {
    match reason {
        MirrorReason::Dropped(d) => drop_reason(d),
        MirrorReason::Failed(f) => fault(f),
        MirrorReason::NothingUsable => t("reason-nothing-usable"),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// What a running download wants the user to know.
pub fn trouble(trouble: &Trouble) -> String {
    match trouble {
        Trouble::Fault(f) => fault(f),
        Trouble::ChangedRestarting => t("reason-changed-restarting"),
        Trouble::StateNotSaved(disk) => {
            t_args("reason-state-not-saved", &[("reason", disk_error(disk))])
        }
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

pub fn unsafe_name(reason: &UnsafeName) -> String {
    match reason {
        UnsafeName::Empty => t("name-empty"),
        UnsafeName::TooLong => t("name-too-long"),
        UnsafeName::Absolute => t("name-absolute"),
        UnsafeName::Backslash => t("name-backslash"),
        UnsafeName::ControlCharacter => t("name-control"),
        UnsafeName::ForbiddenCharacter(c) => t_args("name-forbidden", &[("char", c.to_string())]),
        UnsafeName::EmptyComponent => t("name-empty-component"),
        UnsafeName::DotComponent => t("name-dot-component"),
        UnsafeName::BadStart(part, c) => t_args(
            "name-bad-start",
            &[("part", part.clone()), ("char", c.to_string())],
        ),
        UnsafeName::BadEnd(part, c) => t_args(
            "name-bad-end",
            &[("part", part.clone()), ("char", c.to_string())],
        ),
        UnsafeName::DeviceName(part) => t_args("name-device", &[("part", part.clone())]),
        UnsafeName::ComponentTooLong(part) => {
            t_args("name-component-too-long", &[("part", part.clone())])
        }
    }
}

/// A speed limit that is not one.
pub fn not_a_rate(error: &NotARate) -> String {
    t_args("reason-not-a-rate", &[("value", error.0.clone())])
}

/// Why a link could not be probed.
pub fn probe_error(error: &ProbeError) -> String {
    let at = |u: &url::Url| url(u.as_str());
    match error {
        ProbeError::Request { url: u, error } => format!("{}: {}", at(u), fault(error)),
        // The link itself is wrong, not one of several mirrors.
        ProbeError::Status {
            url: u,
            status: status @ (404 | 410),
        } => format!(
            "{}: {}",
            at(u),
            t_args("reason-link-missing", &[("status", status.to_string())])
        ),
        ProbeError::Status { url: u, status } => format!(
            "{}: {}",
            at(u),
            t_args("reason-status", &[("status", status.to_string())])
        ),
        ProbeError::NoLocation { url: u, status } => t_args(
            "reason-no-location",
            &[("url", at(u)), ("status", status.to_string())],
        ),
        ProbeError::BadRedirect { url: u, location } => t_args(
            "reason-bad-redirect",
            &[("url", at(u)), ("location", location.clone())],
        ),
        ProbeError::UnsupportedRedirect { url: u, target } => t_args(
            "reason-unsupported-redirect",
            &[("url", at(u)), ("target", at(target))],
        ),
        ProbeError::TooManyRedirects { url: u } => {
            t_args("reason-too-many-redirects", &[("url", at(u))])
        }
        ProbeError::ContentEncoding { url: u, coding } => format!(
            "{}: {}",
            at(u),
            t_args("reason-content-encoding", &[("coding", coding.clone())])
        ),
        ProbeError::TooLarge { url: u } => t_args("reason-metalink-too-large", &[("url", at(u))]),
        ProbeError::Metalink { url: u, error } => format!("{}: {}", at(u), parse_error(error)),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

pub fn probe_note(note: &Note) -> String {
    match note {
        Note::UnreadableMetalink(error) => t_args(
            "note-unreadable-metalink",
            &[("reason", probe_error(error))],
        ),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// What makes a document not well-formed XML.
fn xml_problem(problem: &XmlProblem) -> String {
    let named = |key: &str, name: &str| t_args(key, &[("name", name.to_owned())]);
    match problem {
        XmlProblem::ControlCharacter(code) => {
            named("xml-control-character", &format!("U+{code:04X}"))
        }
        XmlProblem::MismatchedEnd { expected, found } => t_args(
            "xml-mismatched-end",
            &[("expected", expected.clone()), ("found", found.clone())],
        ),
        XmlProblem::UnmatchedEnd(name) => named("xml-unmatched-end", name),
        XmlProblem::EndsBeforeClosed(name) => named("xml-ends-before-closed", name),
        XmlProblem::EndsInsideElement => t("xml-ends-inside-element"),
        XmlProblem::NoRoot => t("xml-no-root"),
        XmlProblem::SecondRoot => t("xml-second-root"),
        XmlProblem::CdataOutsideRoot => t("xml-cdata-outside-root"),
        XmlProblem::TextBeforeRoot => t("xml-text-before-root"),
        XmlProblem::TextAfterRoot => t("xml-text-after-root"),
        XmlProblem::CharacterReference(name) => named("xml-character-reference", name),
        XmlProblem::UndefinedEntity(name) => named("xml-undefined-entity", name),
        XmlProblem::Unclosed(markup) => t(match markup {
            Markup::Tag => "xml-unclosed-tag",
            Markup::Comment => "xml-unclosed-comment",
            Markup::CData => "xml-unclosed-cdata",
            Markup::Doctype => "xml-unclosed-doctype",
            Markup::ProcessingInstruction => "xml-unclosed-processing-instruction",
            Markup::AttributeValue => "xml-unclosed-attribute-value",
        }),
        XmlProblem::Attribute(fault) => t(match fault {
            AttributeFault::NoEquals => "xml-attribute-no-equals",
            AttributeFault::NoValue => "xml-attribute-no-value",
            AttributeFault::Unquoted => "xml-attribute-unquoted",
            AttributeFault::Duplicated => "xml-attribute-duplicated",
        }),
        // The XML library's own words, for what it alone knows.
        XmlProblem::Other(words) => words.clone(),
    }
}

/// Why a metalink could not be used.
pub fn parse_error(error: &ParseError) -> String {
    let at = |p: &crate::metalink::diagnostics::Position| {
        t_args(
            "position",
            &[
                ("line", p.line.to_string()),
                ("column", p.column.to_string()),
            ],
        )
    };
    match error {
        ParseError::TooLarge { size, limit } => t_args(
            "parse-too-large",
            &[
                ("size", units::bytes(*size as u64)),
                ("limit", units::bytes(*limit as u64)),
            ],
        ),
        ParseError::NotUtf8(p) => t_args("parse-not-utf8", &[("at", at(p))]),
        ParseError::Encoding { position, encoding } => t_args(
            "parse-encoding",
            &[("at", at(position)), ("encoding", encoding.clone())],
        ),
        ParseError::Xml { position, problem } => t_args(
            "parse-xml",
            &[("at", at(position)), ("detail", xml_problem(problem))],
        ),
        ParseError::Doctype(p) => t_args("parse-doctype", &[("at", at(p))]),
        ParseError::Limit {
            position,
            what,
            limit,
        } => t_args(
            "parse-limit",
            &[
                ("at", at(position)),
                ("what", what.to_string()),
                ("limit", limit.to_string()),
            ],
        ),
        ParseError::NotMetalink { position, found } => t_args(
            "parse-not-metalink",
            &[("at", at(position)), ("found", found.clone())],
        ),
        ParseError::NoUsableFile(warnings) => match warnings.first() {
            Some(first) => t_args(
                "parse-no-usable-file-because",
                &[
                    ("reason", first.to_string()),
                    ("more", (warnings.len() - 1).to_string()),
                ],
            ),
            None => t("parse-no-usable-file"),
        },
    }
}

/// Something in a metalink that was dropped or repaired. Where it is, in the interface
/// language; what it is, in the reader's words.
pub fn warning(warning: &crate::metalink::Warning) -> String {
    t_args(
        "warning-at",
        &[
            (
                "at",
                t_args(
                    "position",
                    &[
                        ("line", warning.position.line.to_string()),
                        ("column", warning.position.column.to_string()),
                    ],
                ),
            ),
            ("message", warning.message.clone()),
        ],
    )
}

/// The user's languages, or "your language" when the system names none.
fn languages(wanted: &[String]) -> String {
    if wanted.is_empty() {
        t("select-your-language")
    } else {
        wanted.join(", ")
    }
}

/// What the file selection wants the user to know.
pub fn selection_note(note: &SelectionNote) -> String {
    match note {
        SelectionNote::EnglishInstead { wanted } => {
            t_args("select-english-instead", &[("wanted", languages(wanted))])
        }
        SelectionNote::AllLanguages { wanted } => {
            t_args("select-all-languages", &[("wanted", languages(wanted))])
        }
        SelectionNote::NoFileForOs { os, offered } => t_args(
            "select-no-os",
            &[("os", os.clone()), ("offered", offered.join(", "))],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::MirrorFailure;

    /// One of each kind of reason a user can meet.
    fn samples() -> Vec<Box<dyn Fn() -> String>> {
        let missing = || Fault::Missing { status: 404 };
        vec![
            Box::new(|| job_error(&JobError::FileExists("/tmp/a.iso".into()))),
            Box::new(move || {
                job_error(&JobError::NoMirrors(vec![MirrorFailure {
                    url: "http://127.0.0.2/a.iso".into(),
                    reason: MirrorReason::Dropped(DropReason::Failures {
                        count: 3,
                        last: Fault::Network(NetError::Timeout),
                    }),
                }]))
            }),
            Box::new(|| {
                job_error(&JobError::HashMismatch {
                    algorithm: crate::metalink::HashAlgorithm::Sha256,
                })
            }),
            Box::new(|| {
                disk_error(&DiskError::NoSpace {
                    dir: "/tmp".into(),
                    needed: 1 << 30,
                    free: 1 << 20,
                })
            }),
            Box::new(|| {
                disk_error(&DiskError::Locked {
                    path: "/tmp/a".into(),
                })
            }),
            Box::new(move || drop_reason(&DropReason::Unusable(missing()))),
            Box::new(|| drop_reason(&DropReason::BadPieces { count: 4 })),
            Box::new(|| fault(&Fault::Tls(TlsError::UnknownIssuer))),
            Box::new(|| {
                fault(&Fault::Ftp(FtpFault::Login {
                    code: 530,
                    text: "Login incorrect.".into(),
                }))
            }),
            Box::new(|| {
                fault(&Fault::Ftp(FtpFault::DataConnection {
                    port: 40000,
                    why: NetError::Timeout,
                }))
            }),
            Box::new(|| {
                fault(&Fault::ContentEncoding {
                    coding: "gzip".into(),
                })
            }),
            Box::new(|| trouble(&Trouble::ChangedRestarting)),
            Box::new(|| not_a_rate(&NotARate("fast".into()))),
            Box::new(|| unsafe_name(&UnsafeName::DotComponent)),
            Box::new(|| {
                parse_error(&ParseError::Doctype(crate::metalink::Position {
                    line: 2,
                    column: 1,
                }))
            }),
            Box::new(|| {
                selection_note(&SelectionNote::EnglishInstead {
                    wanted: vec!["ja".into()],
                })
            }),
            Box::new(|| {
                probe_error(&ProbeError::Status {
                    url: url::Url::parse("http://127.0.0.1/nothere.iso").unwrap(),
                    status: 404,
                })
            }),
        ]
    }

    /// Bug 4: failure reasons, the speed-limit reason and "no file is in your language;
    /// English selected" were English inside the German and Spanish windows.
    #[test]
    fn every_reason_is_worded_in_each_language() {
        for sample in samples() {
            crate::i18n::set_language("en");
            let english = sample();
            assert!(!english.contains("reason-"), "a key is missing: {english}");
            for language in ["de", "es"] {
                crate::i18n::set_language(language);
                let translated = sample();
                assert_ne!(translated, english, "{language}: still English");
            }
        }
    }

    /// Bug 4's XML errors: the parser's problems are typed and worded here, so a German
    /// window says what is wrong with a broken metalink in German.
    #[test]
    fn broken_documents_are_described_in_the_users_language() {
        let broken: [&[u8]; 8] = [
            b"<metalink><file name=\"a\"></fil></metalink>",
            b"<metalink><file name=\"a\">",
            b"<metalink></metalink><metalink/>",
            b"text<metalink/>",
            b"<metalink a=\"1\" a=\"2\"/>",
            b"<metalink><!-- no end",
            b"<metalink>&nbsp;</metalink>",
            b"<metalink>\x01</metalink>",
        ];
        for document in broken {
            let error = crate::metalink::parse(document).unwrap_err();
            assert!(matches!(error, ParseError::Xml { .. }), "{error}");
            crate::i18n::set_language("en");
            let english = parse_error(&error);
            assert!(!english.contains("xml-"), "a key is missing: {english}");
            for language in ["de", "es"] {
                crate::i18n::set_language(language);
                let translated = parse_error(&error);
                let ParseError::Xml { problem, .. } = &error else {
                    unreachable!()
                };
                assert!(
                    !translated.contains(&problem.to_string()),
                    "{language}: English inside: {translated}"
                );
                assert!(!matches!(problem, XmlProblem::Other(_)), "{problem}");
            }
        }
        crate::i18n::set_language("de");
        let error = crate::metalink::parse(broken[0]).unwrap_err();
        assert_eq!(
            parse_error(&error),
            "Zeile 1, Spalte 26: kein wohlgeformtes XML (<file> wird durch </fil> geschlossen)"
        );
    }

    #[test]
    fn reasons_say_what_and_where() {
        crate::i18n::set_language("de");
        let text = disk_error(&DiskError::NoSpace {
            dir: "/srv/iso".into(),
            needed: 96 << 20,
            free: 1 << 20,
        });
        assert_eq!(
            text,
            "nicht genug Platz in /srv/iso: 96,0 MiB mehr nötig, 1,0 MiB frei"
        );
    }
}
