//! Where things are in a document, and what is said about them: warnings for what was
//! dropped or repaired, errors for documents that cannot be used at all.

use std::fmt;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Something in the document that was dropped or repaired; the rest is still usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub position: Position,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.position, self.message)
    }
}

/// Why a document was rejected as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the document is {size} bytes; documents over {limit} bytes are refused")]
    TooLarge { size: usize, limit: usize },
    #[error("{0}: the document is not valid UTF-8")]
    NotUtf8(Position),
    #[error("{position}: encoding '{encoding}' is not supported; metalinks must be UTF-8")]
    Encoding {
        position: Position,
        encoding: String,
    },
    #[error("{position}: not well-formed XML: {problem}")]
    Xml {
        position: Position,
        problem: XmlProblem,
    },
    #[error("{0}: document type declarations (DTDs) are not allowed in metalinks")]
    Doctype(Position),
    #[error("{position}: the document has more than {limit} {what}")]
    Limit {
        position: Position,
        what: &'static str,
        limit: usize,
    },
    #[error("{position}: not a metalink: the root element is {found}")]
    NotMetalink { position: Position, found: String },
    #[error("no usable file in the document{}", first_reason(.0))]
    NoUsableFile(Vec<Warning>),
}

/// What makes a document not well-formed XML, typed so that front ends can word it in
/// the user's language (`Display` is the English for logs and the terminal).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlProblem {
    #[error("control character U+{0:04X} is not allowed in XML")]
    ControlCharacter(u32),
    #[error("expected `</{expected}>`, but `</{found}>` was found")]
    MismatchedEnd { expected: String, found: String },
    #[error("`</{0}>` closes no open element")]
    UnmatchedEnd(String),
    #[error("the document ends before <{0}> is closed")]
    EndsBeforeClosed(String),
    #[error("the document ends inside an element")]
    EndsInsideElement,
    #[error("the document has no root element")]
    NoRoot,
    #[error("a second root element after the first")]
    SecondRoot,
    #[error("CDATA outside the root element")]
    CdataOutsideRoot,
    #[error("text before the root element")]
    TextBeforeRoot,
    #[error("text after the root element")]
    TextAfterRoot,
    #[error("invalid character reference &{0};")]
    CharacterReference(String),
    #[error("undefined entity &{0};")]
    UndefinedEntity(String),
    /// A tag, comment, CDATA section, processing instruction or quoted value that
    /// does not end.
    #[error("unclosed {0}")]
    Unclosed(Markup),
    #[error("{0}")]
    Attribute(AttributeFault),
    /// Anything else, in the XML library's own words.
    #[error("{0}")]
    Other(String),
}

/// The kinds of markup that can be left open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    Tag,
    Comment,
    CData,
    Doctype,
    ProcessingInstruction,
    AttributeValue,
}

impl fmt::Display for Markup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Markup::Tag => "tag",
            Markup::Comment => "comment",
            Markup::CData => "CDATA section",
            Markup::Doctype => "document type declaration",
            Markup::ProcessingInstruction => "processing instruction",
            Markup::AttributeValue => "quoted attribute value",
        })
    }
}

/// What is wrong with an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AttributeFault {
    #[error("an attribute without `=`")]
    NoEquals,
    #[error("an attribute without a value")]
    NoValue,
    #[error("an attribute value without quotes")]
    Unquoted,
    #[error("an attribute given twice")]
    Duplicated,
}

impl From<quick_xml::events::attributes::AttrError> for XmlProblem {
    fn from(error: quick_xml::events::attributes::AttrError) -> Self {
        use quick_xml::events::attributes::AttrError;
        XmlProblem::Attribute(match error {
            AttrError::ExpectedEq(_) => AttributeFault::NoEquals,
            AttrError::ExpectedValue(_) => AttributeFault::NoValue,
            AttrError::UnquotedValue(_) | AttrError::ExpectedQuote(..) => AttributeFault::Unquoted,
            AttrError::Duplicated(..) => AttributeFault::Duplicated,
        })
    }
}

impl From<quick_xml::Error> for XmlProblem {
    fn from(error: quick_xml::Error) -> Self {
        use quick_xml::errors::{IllFormedError, SyntaxError};
        match error {
            quick_xml::Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
                XmlProblem::MismatchedEnd { expected, found }
            }
            quick_xml::Error::IllFormed(IllFormedError::UnmatchedEndTag(tag)) => {
                XmlProblem::UnmatchedEnd(tag)
            }
            quick_xml::Error::IllFormed(IllFormedError::MissingEndTag(tag)) => {
                XmlProblem::EndsBeforeClosed(tag)
            }
            quick_xml::Error::Syntax(syntax) => match syntax {
                SyntaxError::UnclosedTag => XmlProblem::Unclosed(Markup::Tag),
                SyntaxError::UnclosedComment => XmlProblem::Unclosed(Markup::Comment),
                SyntaxError::UnclosedCData => XmlProblem::Unclosed(Markup::CData),
                SyntaxError::UnclosedDoctype => XmlProblem::Unclosed(Markup::Doctype),
                SyntaxError::UnclosedPI | SyntaxError::UnclosedXmlDecl => {
                    XmlProblem::Unclosed(Markup::ProcessingInstruction)
                }
                SyntaxError::UnclosedSingleQuotedAttributeValue
                | SyntaxError::UnclosedDoubleQuotedAttributeValue => {
                    XmlProblem::Unclosed(Markup::AttributeValue)
                }
                other => XmlProblem::Other(other.to_string()),
            },
            quick_xml::Error::InvalidAttr(attr) => attr.into(),
            quick_xml::Error::Escape(quick_xml::escape::EscapeError::UnrecognizedEntity(
                _,
                name,
            )) => XmlProblem::UndefinedEntity(name),
            other => XmlProblem::Other(other.to_string()),
        }
    }
}

fn first_reason(warnings: &[Warning]) -> String {
    match warnings {
        [] => String::new(),
        [only] => format!(" ({only})"),
        [first, rest @ ..] => format!(" ({first}; and {} more)", rest.len()),
    }
}

/// Turns byte offsets into line and column, built once per document.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        Position {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }
}

/// Position of a byte offset in raw input that may not be valid UTF-8.
pub fn position_in_bytes(input: &[u8], offset: usize) -> Position {
    let before = &input[..offset.min(input.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count();
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count();
    Position {
        line: line as u32 + 1,
        column: column as u32 + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\nçd\n\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), Position { line: 1, column: 1 });
        assert_eq!(index.position(3), Position { line: 2, column: 1 });
        // 'd' is after the two-byte 'ç'.
        assert_eq!(index.position(5), Position { line: 2, column: 2 });
        assert_eq!(index.position(8), Position { line: 4, column: 1 });
        assert_eq!(position_in_bytes(text.as_bytes(), 5), index.position(5));
    }

    #[test]
    fn no_usable_file_names_the_first_reason() {
        let w = Warning {
            position: Position { line: 3, column: 5 },
            message: "file dropped".into(),
        };
        let e = ParseError::NoUsableFile(vec![w.clone(), w]);
        assert_eq!(
            e.to_string(),
            "no usable file in the document (line 3, column 5: file dropped; and 1 more)"
        );
    }
}
