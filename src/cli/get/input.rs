//! `braid get -i FILE`: sources one per line, as aria2 reads its input files. URLs of the
//! same file may share a line, separated by tabs (they are its mirrors); lines that
//! start with a space or a tab give options for the line above (`checksum=`, `out=`,
//! `dir=`); `#` starts a comment.

use std::path::PathBuf;

use crate::discover::expected::{self, ExpectedError};
use crate::metalink::Hash;

/// One download asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    /// A metalink file or URL, or a plain URL; further URLs are the same file's mirrors.
    pub sources: Vec<String>,
    pub checksum: Option<Hash>,
    /// The name to save a plain URL's file under.
    pub out: Option<String>,
    pub dir: Option<PathBuf>,
    /// Where it was asked for (`list.txt, line 3`), for messages.
    pub place: String,
}

/// Why an input file cannot be used; each says the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("{file}, line {line}: an option line, but no source above it")]
    OptionWithoutSource { file: String, line: usize },
    #[error("{file}, line {line}: '{text}' is not an option (name=value)")]
    NotAnOption {
        file: String,
        line: usize,
        text: String,
    },
    #[error("{file}, line {line}: unknown option '{name}' (known: checksum, out, dir)")]
    UnknownOption {
        file: String,
        line: usize,
        name: String,
    },
    #[error("{file}, line {line}: checksum: {error}")]
    Checksum {
        file: String,
        line: usize,
        error: ExpectedError,
    },
    #[error("{file}, line {line}: '{option}' is given twice")]
    Twice {
        file: String,
        line: usize,
        option: String,
    },
}

/// Reads an input file's text; `file` names it in messages.
pub fn read(text: &str, file: &str) -> Result<Vec<Wanted>, InputError> {
    let mut wanted: Vec<Wanted> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        if raw.starts_with([' ', '\t']) {
            let Some(current) = wanted.last_mut() else {
                return Err(InputError::OptionWithoutSource {
                    file: file.into(),
                    line,
                });
            };
            option(current, raw.trim(), file, line)?;
            continue;
        }
        wanted.push(Wanted {
            sources: raw
                .split('\t')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            checksum: None,
            out: None,
            dir: None,
            place: format!("{file}, line {line}"),
        });
    }
    Ok(wanted)
}

fn option(wanted: &mut Wanted, text: &str, file: &str, line: usize) -> Result<(), InputError> {
    let Some((name, value)) = text.split_once('=') else {
        return Err(InputError::NotAnOption {
            file: file.into(),
            line,
            text: text.into(),
        });
    };
    let (name, value) = (name.trim(), value.trim());
    let twice = || InputError::Twice {
        file: file.into(),
        line,
        option: name.into(),
    };
    match name {
        "checksum" => {
            if wanted.checksum.is_some() {
                return Err(twice());
            }
            let hash = expected::parse(value).map_err(|error| InputError::Checksum {
                file: file.into(),
                line,
                error,
            })?;
            wanted.checksum = Some(hash);
        }
        "out" => {
            if wanted.out.is_some() {
                return Err(twice());
            }
            wanted.out = Some(value.into());
        }
        "dir" => {
            if wanted.dir.is_some() {
                return Err(twice());
            }
            wanted.dir = Some(PathBuf::from(value));
        }
        _ => {
            return Err(InputError::UnknownOption {
                file: file.into(),
                line,
                name: name.into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metalink::HashAlgorithm;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn reads_aria2s_input_files() {
        let text = format!(
            "# downloads for today\nhttp://a/x.iso\thttp://b/x.iso\n  checksum=sha-256={EMPTY_SHA256}\n\tout=y.iso\n dir=isos\n\nhttp://c/z.iso\r\n/tmp/f.meta4\n"
        );
        let wanted = read(&text, "list.txt").unwrap();
        assert_eq!(wanted.len(), 3);
        assert_eq!(wanted[0].sources, ["http://a/x.iso", "http://b/x.iso"]);
        assert_eq!(
            wanted[0].checksum.as_ref().map(|h| h.algorithm),
            Some(HashAlgorithm::Sha256)
        );
        assert_eq!(wanted[0].out.as_deref(), Some("y.iso"));
        assert_eq!(wanted[0].dir, Some(PathBuf::from("isos")));
        assert_eq!(wanted[0].place, "list.txt, line 2");
        assert_eq!(wanted[1].sources, ["http://c/z.iso"]);
        assert_eq!(wanted[1].place, "list.txt, line 7");
        assert_eq!(wanted[2].sources, ["/tmp/f.meta4"]);
    }

    #[test]
    fn mistakes_name_their_line() {
        let error = |text: &str| read(text, "in.txt").unwrap_err().to_string();
        assert_eq!(
            error("  out=x\nhttp://a/x"),
            "in.txt, line 1: an option line, but no source above it"
        );
        assert_eq!(
            error("http://a/x\n  split=5"),
            "in.txt, line 2: unknown option 'split' (known: checksum, out, dir)"
        );
        assert_eq!(
            error("http://a/x\n  checksum=sha-256=abc"),
            "in.txt, line 2: checksum: sha-256 digests have 64 hex digits, this one has 3"
        );
        assert_eq!(
            error("http://a/x\n  out"),
            "in.txt, line 2: 'out' is not an option (name=value)"
        );
        assert_eq!(
            error("http://a/x\n  out=a\n  out=b"),
            "in.txt, line 3: 'out' is given twice"
        );
    }
}
