//! The Metalink formats, with no I/O and no async: reading Metalink 4 (RFC 5854) and
//! Metalink 3.0 documents into one model, checking them, choosing files and URLs, and
//! writing Metalink 4.
//!
//! Documents come from strangers, so reading is bounded (size, element count, depth, no
//! DTDs) and lenient per element: a bad element is dropped with a [`Warning`] that says
//! what and where, and only a document that is not well-formed XML, not a metalink, or
//! has no usable file is rejected with a [`ParseError`].

pub mod date;
pub mod diagnostics;
pub mod hash;
mod mirrormanager;
pub mod model;
pub mod names;
mod reading;
pub mod select;
mod v3;
mod v4;
pub mod writer;
mod xml;

pub use diagnostics::{AttributeFault, Markup, ParseError, Position, Warning, XmlProblem};
pub use hash::{Hash, HashAlgorithm};
pub use model::{
    Alternate, Document, File, MetaUrl, MirrorUrl, Pieces, Publisher, Signature, Version,
};
pub use writer::write;

use diagnostics::LineIndex;
use reading::Reading;
use xml::Ns;

/// Media type of Metalink 4 documents.
pub const MEDIA_TYPE_V4: &str = "application/metalink4+xml";
/// Media type of Metalink 3.0 documents.
pub const MEDIA_TYPE_V3: &str = "application/metalink+xml";

/// A document that was accepted, and what was dropped or repaired on the way.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub document: Document,
    pub warnings: Vec<Warning>,
}

/// Reads a Metalink 4 or 3.0 document. Relative URLs are resolved against the
/// document's `origin` when it has one, else dropped with a warning.
pub fn parse(input: &[u8]) -> Result<Parsed, ParseError> {
    parse_with_base(input, None)
}

/// Reads a document that was fetched from `base`, against which relative URLs resolve.
pub fn parse_with_base(input: &[u8], base: Option<&url::Url>) -> Result<Parsed, ParseError> {
    let text = xml::decode(input)?;
    let lines = LineIndex::new(text);
    let tree = xml::read(text, &lines)?;
    let root = &tree.root;
    let mut reading = Reading::new(&lines, base.cloned());
    if let Some(variant) = &tree.v3_namespace_variant {
        reading.warn(
            root,
            format!(
                "namespace '{variant}' read as Metalink 3.0 ('{}')",
                xml::NS_V3
            ),
        );
    }
    if let Some(variant) = &tree.mm0_namespace_variant {
        reading.warn(
            root,
            format!(
                "mm0: prefix bound to '{variant}' read as MirrorManager ('{}')",
                xml::NS_MM0
            ),
        );
    }
    let document = match (root.ns, root.name.as_str()) {
        (Ns::V4, "metalink") => v4::read(root, &mut reading),
        (Ns::V3, "metalink") => v3::read(root, Ns::V3, &mut reading),
        (Ns::None, "metalink") if root.attr("version").is_some() => {
            reading.warn(root, "the document has no namespace; read as Metalink 3.0");
            v3::read(root, Ns::None, &mut reading)
        }
        _ => {
            let namespace = match root.ns {
                Ns::None => "no namespace".to_owned(),
                Ns::V4 => format!("namespace {}", xml::NS_V4),
                Ns::V3 => format!("namespace {}", xml::NS_V3),
                Ns::Mm0 => format!("namespace {}", xml::NS_MM0),
                Ns::Foreign => "an unknown namespace".to_owned(),
            };
            return Err(ParseError::NotMetalink {
                position: lines.position(root.offset),
                found: format!("<{}> in {namespace}", root.name),
            });
        }
    };
    let (document, warnings) = reading.finish(document)?;
    Ok(Parsed { document, warnings })
}

/// Whether the bytes look like a metalink (for telling a metalink from a payload when a
/// server answers with either).
pub fn looks_like_metalink(head: &[u8]) -> bool {
    let head = &head[..head.len().min(1024)];
    let text = String::from_utf8_lossy(head);
    text.contains("<metalink") || text.contains(":metalink") && text.contains(xml::NS_V4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_root_is_not_a_metalink() {
        let e = parse(b"<rss version=\"2.0\"/>").unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 1, column 1: not a metalink: the root element is <rss> in no namespace"
        );
    }

    #[test]
    fn minimal_v4() {
        let parsed = parse(
            br#"<metalink xmlns="urn:ietf:params:xml:ns:metalink">
                 <file name="a.iso"><size>10</size><url priority="2" location="DE">http://m/a.iso</url></file>
               </metalink>"#,
        )
        .unwrap();
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let file = &parsed.document.files[0];
        assert_eq!(file.size, Some(10));
        assert_eq!(file.urls[0].location.as_deref(), Some("de"));
        assert_eq!(file.urls[0].priority, 2);
    }

    #[test]
    fn base_resolves_relative_urls() {
        let doc = br#"<metalink xmlns="urn:ietf:params:xml:ns:metalink"><file name="a"><url>a.iso</url></file></metalink>"#;
        let base = url::Url::parse("http://example.org/dir/x.meta4").unwrap();
        let parsed = parse_with_base(doc, Some(&base)).unwrap();
        assert_eq!(
            parsed.document.files[0].urls[0].url,
            "http://example.org/dir/a.iso"
        );
        let e = parse(doc).unwrap_err().to_string();
        assert!(e.contains("relative URL 'a.iso' ignored"), "{e}");
    }
}
