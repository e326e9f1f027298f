//! Reading a control file: header lines `Name: value` up to an empty line, then one
//! record of checksums per block. Input comes from strangers: everything is bounded by
//! the input's own length, every number is checked before it sizes anything, and an
//! unusable file is refused with one line that says what and where.

use super::blocks::{BlockSums, BlocksError, Layout, StrongAlgorithm};
use crate::metalink::diagnostics::{Position, Warning};
use crate::metalink::{Hash, HashAlgorithm};

/// The newest format version this reader knows (the specification's), for `Min-Version`.
const SPEC_VERSION: [u64; 3] = [0, 8, 0];
/// Headers longer than this are not a control file's.
const MAX_HEADER_BYTES: usize = 1 << 20;
/// Mirror lists longer than this are cut.
const MAX_URLS: usize = 1000;

/// A control file: what the target file is, where it can be fetched, and its blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    /// The `zsync` header: the maker's version (`0.6.2`) or name.
    pub generator: String,
    /// The suggested file name, when it is a safe plain name.
    pub filename: Option<String>,
    /// `MTime`, as written.
    pub mtime: Option<String>,
    pub length: u64,
    /// Where the whole target file can be fetched, as written: absolute or relative to
    /// the control file's own URL (see [`Control::urls_from`]).
    pub urls: Vec<String>,
    /// The whole-file hash (`File-Hash`, or zsync 0.6's `SHA-1`).
    pub file_hash: Option<Hash>,
    pub blocks: BlockSums,
    /// What was ignored or repaired on the way.
    pub warnings: Vec<Warning>,
}

impl Control {
    /// The URLs to fetch from, resolved against `base` (where the control file came
    /// from; `None` for a local file, whose relative URLs cannot be used), HTTP(S) only,
    /// without repeats.
    pub fn urls_from(&self, base: Option<&url::Url>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for written in &self.urls {
            let resolved = match (url::Url::parse(written), base) {
                (Ok(url), _) => Some(url),
                (Err(url::ParseError::RelativeUrlWithoutBase), Some(base)) => {
                    base.join(written).ok()
                }
                _ => None,
            };
            if let Some(url) = resolved
                && matches!(url.scheme(), "http" | "https")
                && !out.iter().any(|u| u == url.as_str())
            {
                out.push(url.into());
            }
        }
        out
    }
}

/// Why a control file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("not a zsync control file: it does not begin with 'zsync: '")]
    NotZsync,
    #[error("zsync 0.0.4 control files are not supported")]
    Version004,
    #[error("line {line}: this control file needs zsync {needs} or newer")]
    TooNew { line: u32, needs: String },
    #[error("the header never ends (no empty line within {MAX_HEADER_BYTES} bytes)")]
    Unterminated,
    #[error("line {line}: not a 'Name: value' header")]
    BadLine { line: u32 },
    #[error("line {line}: {name}: '{value}' is not {expected}")]
    BadValue {
        line: u32,
        name: &'static str,
        value: String,
        expected: &'static str,
    },
    #[error("no {0} header")]
    Missing(&'static str),
    #[error("line {line}: Z-Map2 says {entries} entries, but the file ends before them")]
    ZMapTruncated { line: u32, entries: u64 },
    #[error("the block checksums are incomplete: {0}")]
    Blocks(#[from] BlocksError),
}

/// The header as read so far.
struct Header {
    generator: Option<String>,
    filename: Option<String>,
    mtime: Option<String>,
    length: Option<u64>,
    block_size: Option<u64>,
    /// seq_matches, rsum bytes, strong hash bytes.
    lengths: Option<(u8, u8, u8)>,
    strong: StrongAlgorithm,
    urls: Vec<String>,
    file_hash: Option<Hash>,
    legacy_sha1: Option<Hash>,
    warnings: Vec<Warning>,
}

/// Reads a control file.
pub fn read(input: &[u8]) -> Result<Control, ParseError> {
    if !input.starts_with(b"zsync: ") {
        return Err(ParseError::NotZsync);
    }
    let mut header = Header {
        generator: None,
        filename: None,
        mtime: None,
        length: None,
        block_size: None,
        lengths: None,
        strong: StrongAlgorithm::Md4,
        urls: Vec::new(),
        file_hash: None,
        legacy_sha1: None,
        warnings: Vec::new(),
    };
    let mut at = 0;
    let mut line = 0u32;
    let records = loop {
        line += 1;
        let Some(newline) = input[at..].iter().position(|&b| b == b'\n') else {
            return Err(ParseError::Unterminated);
        };
        let raw = &input[at..at + newline];
        at += newline + 1;
        if at > MAX_HEADER_BYTES {
            return Err(ParseError::Unterminated);
        }
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.is_empty() {
            break &input[at..];
        }
        let text = std::str::from_utf8(raw).map_err(|_| ParseError::BadLine { line })?;
        let (name, value) = text.split_once(": ").ok_or(ParseError::BadLine { line })?;
        if let Some(skip) = header.take(line, name, value)? {
            // Z-Map2's binary entries follow its line.
            let end = skip
                .checked_mul(4)
                .and_then(|n| usize::try_from(n).ok())
                .and_then(|n| at.checked_add(n))
                .filter(|&end| end <= input.len())
                .ok_or(ParseError::ZMapTruncated {
                    line,
                    entries: skip,
                })?;
            at = end;
        }
    };
    header.finish(records)
}

impl Header {
    fn warn(&mut self, line: u32, message: String) {
        self.warnings.push(Warning {
            position: Position { line, column: 1 },
            message,
        });
    }

    /// Takes one header line; returns how many Z-Map2 entries follow it.
    fn take(&mut self, line: u32, name: &str, value: &str) -> Result<Option<u64>, ParseError> {
        let bad = |name: &'static str, expected: &'static str| ParseError::BadValue {
            line,
            name,
            value: value.chars().take(80).collect(),
            expected,
        };
        match name {
            "zsync" if self.generator.is_none() => {
                if value == "0.0.4" {
                    return Err(ParseError::Version004);
                }
                self.generator = Some(value.to_owned());
            }
            "Min-Version" => {
                if newer_than_spec(value) {
                    return Err(ParseError::TooNew {
                        line,
                        needs: value.chars().take(40).collect(),
                    });
                }
            }
            "Length" => {
                self.length = Some(value.parse().map_err(|_| bad("Length", "a length"))?);
            }
            "Blocksize" => {
                let size: u64 = value.parse().map_err(|_| bad("Blocksize", "a number"))?;
                if !size.is_power_of_two() || size > 1 << 26 {
                    return Err(bad("Blocksize", "a power of two up to 64 MiB"));
                }
                self.block_size = Some(size);
            }
            "Hash-Lengths" => {
                let numbers: Vec<u8> = value
                    .split(',')
                    .map(|n| n.trim().parse::<u8>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| bad("Hash-Lengths", "three numbers"))?;
                let [seq, rsum, strong] = numbers[..] else {
                    return Err(bad("Hash-Lengths", "three numbers"));
                };
                if !(1..=2).contains(&seq)
                    || !(1..=4).contains(&rsum)
                    || !(1..=32).contains(&strong)
                {
                    return Err(bad("Hash-Lengths", "1-2, 1-4 and 1-32"));
                }
                self.lengths = Some((seq, rsum, strong));
            }
            "Strong-Hash-Algorithm" => {
                self.strong = StrongAlgorithm::from_name(value).ok_or(bad(
                    "Strong-Hash-Algorithm",
                    "MD4, MD5, SHA-1, SHA-224 or SHA-256",
                ))?;
            }
            "URL" => {
                if self.urls.len() < MAX_URLS && !value.trim().is_empty() {
                    self.urls.push(value.trim().to_owned());
                }
            }
            "Filename" => {
                let plain =
                    !value.contains(['/', '\\']) && crate::metalink::names::check(value).is_ok();
                if plain {
                    self.filename = Some(value.to_owned());
                } else {
                    self.warn(line, format!("unsafe file name '{value}' ignored"));
                }
            }
            "MTime" => self.mtime = Some(value.to_owned()),
            "File-Hash" => match file_hash(value) {
                Some(hash) => self.file_hash = Some(hash),
                None => self.warn(line, format!("File-Hash '{value}' not understood; ignored")),
            },
            "SHA-1" => match Hash::from_hex(HashAlgorithm::Sha1, value) {
                Ok(hash) => self.legacy_sha1 = Some(hash),
                Err(_) => self.warn(line, "SHA-1 is not 40 hex digits; ignored".to_owned()),
            },
            "Z-Map2" => {
                let entries = value.parse().map_err(|_| bad("Z-Map2", "a number"))?;
                return Ok(Some(entries));
            }
            // Legacy (compressed downloads) or advice for old clients: nothing to do.
            "Z-URL" | "Z-Filename" | "Recompress" | "Safe" => {}
            other => {
                let other: String = other.chars().take(40).collect();
                self.warn(line, format!("unknown header '{other}' ignored"));
            }
        }
        Ok(None)
    }

    fn finish(self, records: &[u8]) -> Result<Control, ParseError> {
        let length = self.length.ok_or(ParseError::Missing("Length"))?;
        let block_size = self.block_size.ok_or(ParseError::Missing("Blocksize"))?;
        let (seq_matches, rsum_bytes, strong_len) =
            self.lengths
                .unwrap_or((1, 4, self.strong.digest_len() as u8));
        let layout = Layout {
            length,
            block_size,
            seq_matches,
            rsum_bytes,
            strong: self.strong,
            strong_len,
        };
        layout.check()?;
        // Sized from the header only once the input is known to hold that much.
        let needed = layout
            .block_count()
            .checked_mul(layout.record_len() as u64)
            .filter(|&n| n <= records.len() as u64)
            .ok_or(BlocksError::Count {
                expected: layout.block_count(),
                found: records.len() / layout.record_len(),
            })?;
        let mut warnings = self.warnings;
        let extra = records.len() as u64 - needed;
        if extra > 0 {
            warnings.push(Warning {
                position: Position { line: 0, column: 0 },
                message: format!("{extra} bytes after the block checksums ignored"),
            });
        }
        let blocks = BlockSums::read(layout, &records[..needed as usize])?;
        Ok(Control {
            generator: self.generator.unwrap_or_default(),
            filename: self.filename,
            mtime: self.mtime,
            length,
            urls: self.urls,
            file_hash: self.file_hash.or(self.legacy_sha1),
            blocks,
            warnings,
        })
    }
}

/// `SHA-256:hex` or `SHA-1:hex`.
fn file_hash(value: &str) -> Option<Hash> {
    let (name, hex) = value.split_once(':')?;
    let algorithm = HashAlgorithm::from_iana(name.trim())?;
    Hash::from_hex(algorithm, hex.trim()).ok()
}

/// Whether a dotted version is beyond the specification this reader follows.
fn newer_than_spec(version: &str) -> bool {
    let mut parts = version
        .trim()
        .split('.')
        .map(|p| p.parse::<u64>().unwrap_or(u64::MAX));
    for known in SPEC_VERSION {
        match parts.next() {
            Some(p) if p > known => return true,
            Some(p) if p < known => return false,
            Some(_) => {}
            None => return false,
        }
    }
    parts.any(|p| p > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn control(header: &str, records: &[u8]) -> Vec<u8> {
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend_from_slice(b"\n");
        bytes.extend_from_slice(records);
        bytes
    }

    const HEADER: &str = "zsync: 0.6.2\nFilename: a.iso\nMTime: Tue, 01 Dec 2026 20:00:00 +0000\nBlocksize: 2048\nLength: 5000\nHash-Lengths: 2,2,4\nURL: a.iso\nURL: http://m2.example/a.iso\nSHA-1: a9993e364706816aba3e25717850c26c9cd0d89d\n";

    #[test]
    fn a_zsync_062_file() {
        let records: Vec<u8> = (0..18).collect();
        let parsed = read(&control(HEADER, &records)).unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(parsed.generator, "0.6.2");
        assert_eq!(parsed.filename.as_deref(), Some("a.iso"));
        assert_eq!(parsed.length, 5000);
        assert_eq!(parsed.blocks.count(), 3);
        assert_eq!(parsed.blocks.seq_matches(), 2);
        assert_eq!(parsed.blocks.strong_len(), 4);
        // rsum bytes 2: only b, big-endian.
        assert_eq!(
            parsed.blocks.rsum(1),
            super::super::Rsum { a: 0, b: 0x0607 }
        );
        assert_eq!(
            parsed.file_hash.as_ref().unwrap().algorithm,
            HashAlgorithm::Sha1
        );
        let base = url::Url::parse("http://m1.example/pub/a.iso.zsync").unwrap();
        assert_eq!(
            parsed.urls_from(Some(&base)),
            ["http://m1.example/pub/a.iso", "http://m2.example/a.iso"]
        );
        assert_eq!(parsed.urls_from(None), ["http://m2.example/a.iso"]);
    }

    #[test]
    fn the_newer_headers() {
        let header = "zsync: zsync/0.8.0\nBlocksize: 4096\nLength: 4096\nStrong-Hash-Algorithm: SHA-224\nHash-Lengths: 1,4,28\nFile-Hash: SHA-256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\nX-Future: yes\n";
        let parsed = read(&control(header, &[0; 32])).unwrap();
        assert_eq!(parsed.blocks.strong_algorithm(), StrongAlgorithm::Sha224);
        assert_eq!(parsed.file_hash.unwrap().algorithm, HashAlgorithm::Sha256);
        assert_eq!(parsed.warnings.len(), 1);
        assert!(parsed.warnings[0].to_string().contains("line 7"));
    }

    #[test]
    fn z_map2_entries_are_skipped() {
        let header = "zsync: 0.6.2\nBlocksize: 1024\nLength: 1024\nZ-Map2: 2\n";
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend_from_slice(&[b'\n', 0, 0, 0, 0, 0, 0, 0]);
        bytes.extend_from_slice(b"Hash-Lengths: 1,4,16\n\n");
        bytes.extend_from_slice(&[7; 20]);
        // The map's first byte is a newline: it must not end the header.
        let parsed = read(&bytes).unwrap();
        assert_eq!(parsed.blocks.count(), 1);
    }

    #[test]
    fn refusals_say_what_and_where() {
        let cases: [(&[u8], &str); 8] = [
            (b"<metalink/>", "not a zsync control file"),
            (b"zsync: 0.0.4\n\n", "0.0.4"),
            (b"zsync: 0.6.2\nLength: 10\n", "never ends"),
            (
                b"zsync: 0.6.2\nLength 10\n\n",
                "line 2: not a 'Name: value' header",
            ),
            (
                b"zsync: 0.6.2\nBlocksize: 1000\n\n",
                "line 2: Blocksize: '1000'",
            ),
            (b"zsync: 0.6.2\nBlocksize: 1024\n\n", "no Length header"),
            (b"zsync: 0.6.2\nMin-Version: 0.9.1\n\n", "needs zsync 0.9.1"),
            (
                b"zsync: 0.6.2\nBlocksize: 1024\nLength: 99999999999999\n\n\x01\x02",
                "incomplete",
            ),
        ];
        for (input, expected) in cases {
            let e = read(input).unwrap_err().to_string();
            assert!(e.contains(expected), "{e:?} lacks {expected:?}");
        }
    }

    #[test]
    fn min_versions() {
        assert!(!newer_than_spec("0.6.2"));
        assert!(!newer_than_spec("0.8"));
        assert!(newer_than_spec("0.8.1"));
        assert!(newer_than_spec("1.0"));
        assert!(newer_than_spec("x"));
    }
}
