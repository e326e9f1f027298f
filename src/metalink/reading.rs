//! What the Metalink 4 and Metalink 3.0 readers share: the warnings they collect, and
//! the checks on values (sizes, hashes, URLs, names) that drop a bad element with a
//! message saying what and where.

use url::Url;

use super::diagnostics::{LineIndex, ParseError, Warning};
use super::hash::{Hash, HashAlgorithm};
use super::model::{Document, File, LOWEST_PRIORITY, Pieces};
use super::names::{self, NameSet};
use super::xml::Element;

/// Warnings beyond this many are counted, not listed.
const MAX_WARNINGS: usize = 500;

pub struct Reading<'a> {
    lines: &'a LineIndex<'a>,
    base: Option<Url>,
    warnings: Vec<Warning>,
    unlisted_warnings: usize,
    /// Values with whitespace around them (Metalink 4 forbids it); reported once.
    trimmed: usize,
    first_trimmed: Option<usize>,
    names: NameSet,
    /// Why files were dropped: the reasons given when no file is left.
    dropped_files: Vec<Warning>,
    /// Why the current file's URLs and metaurls were dropped, for the message when it
    /// has none left.
    dropped_sources: Vec<String>,
}

impl<'a> Reading<'a> {
    pub fn new(lines: &'a LineIndex<'a>, base: Option<Url>) -> Self {
        Reading {
            lines,
            base,
            warnings: Vec::new(),
            unlisted_warnings: 0,
            trimmed: 0,
            first_trimmed: None,
            names: NameSet::default(),
            dropped_files: Vec::new(),
            dropped_sources: Vec::new(),
        }
    }

    /// Uses the document's own `origin` as the base for relative URLs when the caller
    /// gave none.
    pub fn set_base_if_unknown(&mut self, origin: &str) {
        if self.base.is_none() {
            self.base = Url::parse(origin).ok().filter(|u| !u.cannot_be_a_base());
        }
    }

    pub fn warn(&mut self, element: &Element, message: impl Into<String>) {
        self.warn_at(element.offset, message.into());
    }

    /// A warning that a whole file was dropped.
    fn drop_file(&mut self, element: &Element, message: String) {
        self.dropped_files.push(Warning {
            position: self.lines.position(element.offset),
            message: message.clone(),
        });
        self.warn_at(element.offset, message);
    }

    fn warn_at(&mut self, offset: usize, message: String) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(Warning {
                position: self.lines.position(offset),
                message,
            });
        } else {
            self.unlisted_warnings += 1;
        }
    }

    /// The element's text without surrounding whitespace. `strict` (Metalink 4) notes
    /// the trimming, since RFC 5854 §2 makes that whitespace part of the value.
    pub fn value<'e>(&mut self, element: &'e Element, strict: bool) -> &'e str {
        let trimmed = element.text.trim_ascii();
        if strict && trimmed.len() != element.text.len() {
            self.trimmed += 1;
            self.first_trimmed.get_or_insert(element.offset);
        }
        trimmed
    }

    /// The element's text, or `None` (with a warning) when it is empty.
    pub fn non_empty_value<'e>(&mut self, element: &'e Element, strict: bool) -> Option<&'e str> {
        let value = self.value(element, strict);
        if value.is_empty() {
            self.warn(element, format!("<{}> is empty; ignored", element.name));
            return None;
        }
        Some(value)
    }

    /// Reads the describing children both formats share (`identity`, `version`,
    /// `description`, `logo`, `language`, `os`); returns false for any other element.
    pub fn descriptive_child(&mut self, child: &Element, file: &mut File, strict: bool) -> bool {
        match child.name.as_str() {
            "identity" => self.single_text(&mut file.identity, child, strict),
            "version" => self.single_text(&mut file.version, child, strict),
            "description" => self.single_text(&mut file.description, child, strict),
            "logo" => {
                if let Some(text) = self.non_empty_value(child, strict)
                    && let Some(url) = self.url(child, text)
                {
                    file.logo.get_or_insert(url);
                }
            }
            "language" => {
                if let Some(tag) = self.non_empty_value(child, strict) {
                    file.languages.push(tag.to_owned());
                }
            }
            "os" => {
                if let Some(os) = self.non_empty_value(child, strict) {
                    file.os.push(os.to_owned());
                }
            }
            _ => return false,
        }
        true
    }

    /// Optional text elements that may appear once: keeps the first, notes the rest.
    pub fn single_text(&mut self, slot: &mut Option<String>, element: &Element, strict: bool) {
        if slot.is_some() {
            self.warn(element, format!("a second <{}>; ignored", element.name));
            return;
        }
        let value = self.value(element, strict);
        if !value.is_empty() {
            *slot = Some(value.to_owned());
        }
    }

    pub fn size(&mut self, element: &Element, strict: bool) -> Option<u64> {
        let text = self.value(element, strict);
        match text.parse::<u64>() {
            Ok(size) if i64::try_from(size).is_ok() => Some(size),
            _ => {
                self.warn(
                    element,
                    format!("size '{text}' is not a non-negative integer; the size is unknown"),
                );
                None
            }
        }
    }

    /// A whole-file hash; `None` (with a warning) for unknown types and bad digests.
    pub fn hash(
        &mut self,
        element: &Element,
        type_name: Option<&str>,
        strict: bool,
    ) -> Option<Hash> {
        let Some(type_name) = type_name else {
            self.warn(element, "<hash> has no type; ignored");
            return None;
        };
        let algorithm = self.algorithm(element, type_name, strict)?;
        let hex = self.value(element, strict);
        match Hash::from_hex(algorithm, hex) {
            Ok(hash) => Some(hash),
            Err(e) => {
                self.warn(element, format!("{algorithm} hash '{hex}' ignored: {e}"));
                None
            }
        }
    }

    /// Reads a hash type in either spelling; `strict` documents note the other one.
    pub fn algorithm(
        &mut self,
        element: &Element,
        name: &str,
        strict: bool,
    ) -> Option<HashAlgorithm> {
        match HashAlgorithm::from_any(name) {
            Some((algorithm, other_spelling)) => {
                if strict && other_spelling {
                    self.warn(
                        element,
                        format!("hash type '{name}' is not an IANA name; read as '{algorithm}'"),
                    );
                }
                Some(algorithm)
            }
            None => {
                self.warn(
                    element,
                    format!("hash type '{name}' is not supported; ignored"),
                );
                None
            }
        }
    }

    /// Adds a hash unless one of that algorithm is already there.
    pub fn add_hash(&mut self, hashes: &mut Vec<Hash>, hash: Hash, element: &Element) {
        if let Some(existing) = hashes.iter().find(|h| h.algorithm == hash.algorithm) {
            if existing.digest != hash.digest {
                self.warn(
                    element,
                    format!(
                        "a second, different {} hash; the first is kept",
                        hash.algorithm
                    ),
                );
            }
            return;
        }
        hashes.push(hash);
    }

    /// Piece hashes given in order; `None` (with a warning) when any is bad.
    pub fn pieces(
        &mut self,
        element: &Element,
        algorithm: HashAlgorithm,
        length: u64,
        hashes: &[&Element],
        strict: bool,
    ) -> Option<Pieces> {
        let mut digests = Vec::with_capacity(hashes.len() * algorithm.digest_len());
        for (index, hash) in hashes.iter().enumerate() {
            let hex = self.value(hash, strict);
            match Hash::from_hex(algorithm, hex) {
                Ok(h) => digests.extend_from_slice(&h.digest),
                Err(e) => {
                    self.warn(
                        hash,
                        format!("{algorithm} hash of piece {index} is bad ({e}); the piece list is ignored"),
                    );
                    return None;
                }
            }
        }
        if digests.is_empty() {
            self.warn(element, "<pieces> has no hashes; ignored");
            return None;
        }
        Some(Pieces::new(algorithm, length, digests))
    }

    /// The length and algorithm of a `<pieces>` element, if both are usable and the file
    /// has no piece list of that algorithm yet.
    pub fn pieces_header(
        &mut self,
        element: &Element,
        file: &super::model::File,
        strict: bool,
    ) -> Option<(u64, HashAlgorithm)> {
        let length = self.piece_length(element, element.attr("length"))?;
        let Some(type_name) = element.attr("type") else {
            self.warn(element, "<pieces> has no type; ignored");
            return None;
        };
        let algorithm = self.algorithm(element, type_name, strict)?;
        if file.pieces.iter().any(|p| p.algorithm == algorithm) {
            self.warn(element, format!("a second {algorithm} piece list; ignored"));
            return None;
        }
        Some((length, algorithm))
    }

    fn piece_length(&mut self, element: &Element, text: Option<&str>) -> Option<u64> {
        match text.map(|t| t.trim_ascii().parse::<u64>()) {
            Some(Ok(length)) if length > 0 => Some(length),
            Some(_) => {
                self.warn(
                    element,
                    "<pieces> length is not a positive integer; ignored",
                );
                None
            }
            None => {
                self.warn(element, "<pieces> has no length; ignored");
                None
            }
        }
    }

    /// A priority from 1 to 999999; out-of-range values are clamped, others defaulted.
    pub fn priority(&mut self, element: &Element, text: Option<&str>) -> u32 {
        let Some(text) = text else {
            return LOWEST_PRIORITY;
        };
        match text.trim_ascii().parse::<i64>() {
            Ok(p) if (1..=i64::from(LOWEST_PRIORITY)).contains(&p) => p as u32,
            Ok(p) => {
                let clamped = p.clamp(1, i64::from(LOWEST_PRIORITY)) as u32;
                self.warn(
                    element,
                    format!("priority {p} is outside 1..999999; {clamped} is used"),
                );
                clamped
            }
            Err(_) => {
                self.warn(
                    element,
                    format!("priority '{text}' is not a number; the lowest priority is used"),
                );
                LOWEST_PRIORITY
            }
        }
    }

    /// An ISO 3166-1 alpha-2 code, lowercased; anything else is dropped with a warning.
    pub fn location(&mut self, element: &Element, text: Option<&str>) -> Option<String> {
        let text = text?.trim_ascii();
        if text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Some(text.to_ascii_lowercase());
        }
        self.warn(
            element,
            format!("location '{text}' is not a two-letter country code; ignored"),
        );
        None
    }

    /// An absolute URL. Relative ones are resolved against the document's URL when it is
    /// known, else dropped with a warning.
    pub fn url(&mut self, element: &Element, text: &str) -> Option<String> {
        if text.is_empty() {
            self.drop_source(element, format!("<{}> is empty; ignored", element.name));
            return None;
        }
        match Url::parse(text) {
            Ok(url) => Some(url.into()),
            Err(url::ParseError::RelativeUrlWithoutBase) => match &self.base {
                Some(base) => match base.join(text) {
                    Ok(url) => Some(url.into()),
                    Err(e) => {
                        self.drop_source(element, format!("URL '{text}' ignored: {e}"));
                        None
                    }
                },
                None => {
                    self.drop_source(
                        element,
                        format!(
                            "relative URL '{text}' ignored: the document's own URL is not known"
                        ),
                    );
                    None
                }
            },
            // Peer-to-peer links such as `ed2k://|file|…|/` are not URLs by the WHATWG
            // rules, but they are what the document offers; Braid keeps them as written
            // and never downloads from them.
            Err(_) if has_non_special_scheme(text) => Some(text.to_owned()),
            Err(e) => {
                self.drop_source(element, format!("URL '{text}' ignored: {e}"));
                None
            }
        }
    }

    /// A warning that a URL or metaurl was dropped.
    pub fn drop_source(&mut self, element: &Element, message: String) {
        self.dropped_sources.push(message.clone());
        self.warn_at(element.offset, message);
    }

    /// Checks a file name and that it differs from earlier ones; `false` means the file
    /// is dropped (the warning says why).
    pub fn accept_file_name(&mut self, element: &Element, name: Option<&str>) -> bool {
        self.dropped_sources.clear();
        let Some(name) = name else {
            self.drop_file(element, "<file> has no name; the file is dropped".into());
            return false;
        };
        if let Err(why) = names::check(name) {
            self.drop_file(
                element,
                format!("unsafe file name '{name}': {why}; the file is dropped"),
            );
            return false;
        }
        if !self.names.insert(name) {
            self.drop_file(
                element,
                format!("file name '{name}' is used by an earlier file; this one is dropped"),
            );
            return false;
        }
        true
    }

    /// Checks that need the whole file: piece counts against the size, and that there is
    /// somewhere to download it from.
    pub fn finish_file(&mut self, mut file: File, element: &Element) -> Option<File> {
        if let Some(size) = file.size {
            let before = file.pieces.len();
            file.pieces
                .retain(|p| Pieces::expected_count(size, p.length) == p.count() as u64);
            if file.pieces.len() != before {
                self.warn(
                    element,
                    format!(
                        "file '{}': a piece list does not match the size {size}; it is ignored",
                        file.name
                    ),
                );
            }
        }
        if file.urls.is_empty() && file.metaurls.is_empty() {
            let why = match self.dropped_sources.as_slice() {
                [] => String::new(),
                [first, ..] => format!(" ({first})"),
            };
            self.drop_file(
                element,
                format!(
                    "file '{}' has no usable URL{why}; the file is dropped",
                    file.name
                ),
            );
            return None;
        }
        Some(file)
    }

    /// The document if it has at least one file, and the warnings.
    pub fn finish(mut self, document: Document) -> Result<(Document, Vec<Warning>), ParseError> {
        if self.trimmed > 0 {
            let offset = self.first_trimmed.unwrap_or(0);
            let message = format!(
                "{} value(s) had whitespace around them, which RFC 5854 does not allow; it was removed",
                self.trimmed
            );
            // Reported at the first place, which may come before warnings already listed.
            let warning = Warning {
                position: self.lines.position(offset),
                message,
            };
            let at = self
                .warnings
                .partition_point(|w| w.position <= warning.position);
            self.warnings.insert(at, warning);
        }
        if self.unlisted_warnings > 0 {
            let last = self
                .warnings
                .last()
                .map(|w| w.position)
                .unwrap_or(self.lines.position(0));
            self.warnings.push(Warning {
                position: last,
                message: format!("and {} more warnings", self.unlisted_warnings),
            });
        }
        if document.files.is_empty() {
            return Err(ParseError::NoUsableFile(self.dropped_files));
        }
        Ok((document, self.warnings))
    }
}

/// `scheme:rest` with a valid scheme that is not one of the "special" web schemes, whose
/// addresses must parse.
fn has_non_special_scheme(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let special = ["http", "https", "ftp", "ws", "wss", "file"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme));
    valid && !special && !rest.is_empty() && !text.chars().any(char::is_whitespace)
}

/// A positive `maxconnections` attribute; `None` when absent or not a positive number.
pub fn max_connections(element: &Element) -> Option<u32> {
    element
        .attr("maxconnections")
        .and_then(|m| m.trim_ascii().parse::<u32>().ok())
        .filter(|&m| m > 0)
}
