//! Turning what the user opened, dropped or pasted into an offer for the add dialog:
//! metalink files are read and parsed, URLs probed, off the UI thread.

use std::path::Path;

use super::reasons::{self, Worded};
use crate::discover::{self, Probed, RemoteFile};
use crate::engine::SiteHeaders;
use crate::i18n::t_args;
use crate::metalink::{self, Document};
use crate::platform::drop::is_metalink_file;

/// What a source turned out to be.
#[derive(Debug, Clone)]
pub enum Resolved {
    Metalink {
        source: String,
        document: Document,
        warnings: Vec<String>,
        /// For a metalink found through a file URL: that file.
        only: Option<String>,
    },
    File {
        source: String,
        /// The link as given: checksums are looked for next to it.
        given: url::Url,
        file: Box<RemoteFile>,
    },
}

/// Largest metalink file read (the parser's own limit).
const MAX_METALINK_BYTES: u64 = 32 * 1024 * 1024;

/// Splits pasted text into sources: one per line, blank lines and comments skipped.
pub fn split_pasted(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.strip_prefix("file://").unwrap_or(l).to_owned())
        .collect()
}

/// Reads a metalink file or probes a URL (with the referrer and cookies a browser passed
/// for it, if any).
pub async fn resolve(source: String, site: Option<SiteHeaders>) -> Result<Resolved, Worded> {
    let path = Path::new(&source);
    if path.exists() {
        let owned = path.to_path_buf();
        let shown = source.clone();
        let parsed = tokio::task::spawn_blocking(move || read_metalink(&owned, &shown))
            .await
            .map_err(|e| e.to_string())??;
        return Ok(Resolved::Metalink {
            source,
            document: parsed.document,
            warnings: parsed.warnings.iter().map(reasons::warning).collect(),
            only: None,
        });
    }
    let url = match url::Url::parse(&source) {
        Ok(url) if metalink::select::is_supported(url.as_str()) => url,
        // No scheme (or a drive letter taken for one): a file that is not there.
        Err(_) => return Err(t_args("error-no-such-file", &[("source", source)]).into()),
        Ok(_) if !source.contains("://") => {
            return Err(t_args("error-no-such-file", &[("source", source)]).into());
        }
        Ok(_) => return Err(t_args("error-not-a-source", &[("source", source)]).into()),
    };
    let client = discover::client();
    match discover::probe_with(&client, &url, site.as_ref())
        .await
        .map_err(|e| reasons::probe_worded(&e))?
    {
        Probed::Metalink(found) => Ok(Resolved::Metalink {
            source,
            warnings: found.parsed.warnings.iter().map(reasons::warning).collect(),
            document: found.parsed.document,
            only: found.described_name,
        }),
        Probed::File(file) => Ok(Resolved::File {
            source,
            given: url,
            file: Box::new(file),
        }),
    }
}

fn read_metalink(path: &Path, shown: &str) -> Result<metalink::Parsed, String> {
    if !is_metalink_file(path) {
        return Err(t_args("error-not-metalink", &[("file", shown.to_owned())]));
    }
    let unreadable = |e: std::io::Error| {
        t_args(
            "error-read-file",
            &[
                ("file", shown.to_owned()),
                ("reason", reasons::io_error(&e)),
            ],
        )
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_METALINK_BYTES {
        return Err(t_args(
            "error-metalink-too-large",
            &[
                ("file", shown.to_owned()),
                ("limit", super::units::bytes(MAX_METALINK_BYTES)),
            ],
        ));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    metalink::parse(&bytes).map_err(|e| format!("{shown}: {}", reasons::parse_error(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_missing_file_is_called_missing_and_other_schemes_unsupported() {
        crate::i18n::set_language("en");
        let missing = resolve("no-such-dir/x.meta4".into(), None)
            .await
            .unwrap_err();
        assert_eq!(missing.words, "no-such-dir/x.meta4: no such file");
        let gopher = resolve("gopher://example.org/x".into(), None)
            .await
            .unwrap_err();
        assert!(
            gopher
                .words
                .contains("neither a file nor an http(s) or ftp(s) link"),
            "{gopher:?}"
        );
    }

    #[test]
    fn pasted_text_gives_one_source_per_line() {
        let text = "  http://a/x.meta4\n\n# comment\nfile:///tmp/y.meta4\r\nhttps://b/z.iso\n";
        assert_eq!(
            split_pasted(text),
            ["http://a/x.meta4", "/tmp/y.meta4", "https://b/z.iso"]
        );
    }
}
