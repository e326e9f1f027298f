//! A small, bounded element tree built with quick-xml's namespace-aware reader.
//!
//! Only elements in the namespaces Braid reads (Metalink 4, Metalink 3.0, MirrorManager
//! and "no namespace") are kept; foreign markup is checked for well-formedness and then
//! skipped, as RFC 5854 §5.3 asks. DTDs are refused, so no entity can expand.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::diagnostics::{LineIndex, ParseError, XmlProblem, position_in_bytes};

/// Largest document accepted. Real metalinks are far smaller (a 100 000-mirror list is
/// about 10 MB); the cap bounds memory for documents from strangers.
pub const MAX_DOCUMENT_BYTES: usize = 32 * 1024 * 1024;
/// Most elements accepted, foreign ones included (one million piece hashes cover a
/// terabyte in 1 MiB pieces).
pub const MAX_ELEMENTS: usize = 1_000_000;
/// Deepest nesting accepted; a metalink needs five levels.
pub const MAX_DEPTH: usize = 64;

pub const NS_V4: &str = "urn:ietf:params:xml:ns:metalink";
pub const NS_V3: &str = "http://www.metalinker.org/";
pub const NS_MM0: &str = "http://fedorahosted.org/mirrormanager";

/// The namespaces Braid tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ns {
    V4,
    V3,
    Mm0,
    /// No namespace at all.
    None,
    Foreign,
}

#[derive(Debug)]
pub struct Element {
    pub ns: Ns,
    pub name: String,
    pub attrs: Vec<Attr>,
    /// The element's own character data, references resolved, children's text excluded.
    pub text: String,
    pub children: Vec<Element>,
    /// Byte offset of the `<` that starts the element.
    pub offset: usize,
}

#[derive(Debug)]
pub struct Attr {
    /// `Ns::None` for unprefixed attributes.
    pub ns: Ns,
    pub name: String,
    pub value: String,
}

impl Element {
    /// An unprefixed attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns == Ns::None && a.name == name)
            .map(|a| a.value.as_str())
    }

    pub fn children_named<'s>(
        &'s self,
        ns: Ns,
        name: &'s str,
    ) -> impl Iterator<Item = &'s Element> + 's {
        self.children
            .iter()
            .filter(move |c| c.ns == ns && c.name == name)
    }
}

/// A parsed document: its root and notes on namespaces that were read leniently.
#[derive(Debug)]
pub struct Tree {
    pub root: Element,
    /// Set when the Metalink 3.0 namespace was spelled differently (no trailing slash,
    /// `https`): the spelling found.
    pub v3_namespace_variant: Option<String>,
    /// Set when `mm0:` elements were bound to another namespace URI (librepo's test
    /// servers do this); the URI found.
    pub mm0_namespace_variant: Option<String>,
}

/// Checks the raw bytes (size, encoding) and returns them as text.
pub fn decode(input: &[u8]) -> Result<&str, ParseError> {
    if input.len() > MAX_DOCUMENT_BYTES {
        return Err(ParseError::TooLarge {
            size: input.len(),
            limit: MAX_DOCUMENT_BYTES,
        });
    }
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    if input.starts_with(b"\xFE\xFF") || input.starts_with(b"\xFF\xFE") {
        return Err(ParseError::Encoding {
            position: position_in_bytes(input, 0),
            encoding: "UTF-16".into(),
        });
    }
    let text = std::str::from_utf8(input)
        .map_err(|e| ParseError::NotUtf8(position_in_bytes(input, e.valid_up_to())))?;
    if let Some(at) = text.bytes().position(|b| b < 0x20 && !is_xml_whitespace(b)) {
        return Err(ParseError::Xml {
            position: position_in_bytes(input, at),
            problem: XmlProblem::ControlCharacter(u32::from(input[at])),
        });
    }
    Ok(text)
}

fn is_xml_whitespace(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | b'\r' | b' ')
}

/// Characters XML 1.0 allows in a document (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

pub fn read(text: &str, lines: &LineIndex) -> Result<Tree, ParseError> {
    TreeBuilder::new(text, lines).run()
}

struct TreeBuilder<'a> {
    reader: NsReader<&'a [u8]>,
    text: &'a str,
    lines: &'a LineIndex<'a>,
    /// Open elements that are kept.
    stack: Vec<Element>,
    /// Depth inside a skipped (foreign) subtree; 0 when not skipping.
    skipping: usize,
    /// Every open element, kept or skipped, for the depth limit.
    depth: usize,
    elements: usize,
    root: Option<Element>,
    root_closed: bool,
    v3_namespace_variant: Option<String>,
    mm0_namespace_variant: Option<String>,
}

impl<'a> TreeBuilder<'a> {
    fn new(text: &'a str, lines: &'a LineIndex<'a>) -> Self {
        let mut reader = NsReader::from_str(text);
        reader.config_mut().check_end_names = true;
        TreeBuilder {
            reader,
            text,
            lines,
            stack: Vec::new(),
            skipping: 0,
            depth: 0,
            elements: 0,
            root: None,
            root_closed: false,
            v3_namespace_variant: None,
            mm0_namespace_variant: None,
        }
    }

    fn xml_error(&self, offset: usize, problem: impl Into<XmlProblem>) -> ParseError {
        ParseError::Xml {
            position: self.lines.position(offset),
            problem: problem.into(),
        }
    }

    fn run(mut self) -> Result<Tree, ParseError> {
        loop {
            let offset = self.reader.buffer_position() as usize;
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let at = self.reader.error_position() as usize;
                    return Err(self.xml_error(at, e));
                }
            };
            match event {
                Event::Start(start) => self.open(&start, offset)?,
                Event::Empty(start) => {
                    self.open(&start, offset)?;
                    self.close();
                }
                Event::End(_) => self.close(),
                Event::Text(text) => {
                    let content = text.xml10_content();
                    self.character_data(&content, offset)?;
                }
                Event::CData(data) => {
                    let content = data.xml10_content();
                    if self.depth == 0 {
                        return Err(self.xml_error(offset, XmlProblem::CdataOutsideRoot));
                    }
                    self.push_text(&content);
                }
                Event::GeneralRef(reference) => {
                    let resolved = self.resolve_reference(&reference, offset)?;
                    let mut buf = [0; 4];
                    self.character_data(resolved.encode_utf8(&mut buf), offset)?;
                }
                Event::Decl(decl) => {
                    if let Some(Ok(encoding)) = decl.encoding() {
                        let encoding = encoding.into_owned();
                        let utf8 = ["utf-8", "utf8", "us-ascii", "ascii"]
                            .iter()
                            .any(|e| encoding.eq_ignore_ascii_case(e));
                        if !utf8 && !self.text.is_ascii() {
                            return Err(ParseError::Encoding {
                                position: self.lines.position(offset),
                                encoding,
                            });
                        }
                    }
                }
                Event::DocType(_) => {
                    return Err(ParseError::Doctype(self.lines.position(offset)));
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => break,
            }
        }
        if let Some(open) = self.stack.last() {
            let name = open.name.clone();
            return Err(self.xml_error(self.text.len(), XmlProblem::EndsBeforeClosed(name)));
        }
        if self.depth > 0 {
            return Err(self.xml_error(self.text.len(), XmlProblem::EndsInsideElement));
        }
        let root = self.root.ok_or_else(|| ParseError::Xml {
            position: self.lines.position(self.text.len()),
            problem: XmlProblem::NoRoot,
        })?;
        Ok(Tree {
            root,
            v3_namespace_variant: self.v3_namespace_variant,
            mm0_namespace_variant: self.mm0_namespace_variant,
        })
    }

    fn open(&mut self, start: &BytesStart, offset: usize) -> Result<(), ParseError> {
        if self.root_closed {
            return Err(self.xml_error(offset, XmlProblem::SecondRoot));
        }
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            return Err(ParseError::Limit {
                position: self.lines.position(offset),
                what: "elements",
                limit: MAX_ELEMENTS,
            });
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::Limit {
                position: self.lines.position(offset),
                what: "levels of nesting",
                limit: MAX_DEPTH,
            });
        }
        let (resolved, local) = self.reader.resolver().resolve_element(start.name());
        let prefix = start.name().prefix();
        let (ns, variant) = classify(resolved, prefix.as_ref().map(|p| p.as_ref()));
        self.note_variant(variant);
        if self.skipping > 0 || ns == Ns::Foreign {
            self.skipping += 1;
            // Attributes of skipped elements are still checked for well-formedness.
            for attr in start.attributes() {
                let attr = attr.map_err(|e| self.xml_error(offset, e))?;
                attr.normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|e| self.xml_error(offset, e))?;
            }
            return Ok(());
        }
        let name = local.as_ref().to_owned();
        let mut attrs = Vec::new();
        for attr in start.attributes() {
            let attr = attr.map_err(|e| self.xml_error(offset, e))?;
            if attr.key.as_namespace_binding().is_some() {
                continue;
            }
            let value = attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| self.xml_error(offset, e))?
                .into_owned();
            let (resolved, local) = self.reader.resolver().resolve_attribute(attr.key);
            let ns = match attr.key.prefix() {
                None => Ns::None,
                Some(prefix) => {
                    let (ns, variant) = classify(resolved, Some(prefix.as_ref()));
                    self.note_variant(variant);
                    ns
                }
            };
            attrs.push(Attr {
                ns,
                name: local.as_ref().to_owned(),
                value,
            });
        }
        self.stack.push(Element {
            ns,
            name,
            attrs,
            text: String::new(),
            children: Vec::new(),
            offset,
        });
        Ok(())
    }

    fn close(&mut self) {
        self.depth -= 1;
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        let element = self.stack.pop().expect("open element");
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(element),
            None => {
                self.root = Some(element);
                self.root_closed = true;
            }
        }
    }

    fn character_data(&mut self, content: &str, offset: usize) -> Result<(), ParseError> {
        if self.depth == 0 {
            if !content.trim_ascii().is_empty() {
                let problem = if self.root_closed {
                    XmlProblem::TextAfterRoot
                } else {
                    XmlProblem::TextBeforeRoot
                };
                return Err(self.xml_error(offset, problem));
            }
            return Ok(());
        }
        self.push_text(content);
        Ok(())
    }

    fn push_text(&mut self, content: &str) {
        if self.skipping == 0
            && let Some(element) = self.stack.last_mut()
        {
            element.text.push_str(content);
        }
    }

    fn resolve_reference(&self, reference: &BytesRef, offset: usize) -> Result<char, ParseError> {
        if reference.is_char_ref() {
            return match reference.resolve_char_ref() {
                Ok(Some(c)) if is_xml_char(c) => Ok(c),
                _ => Err(self.xml_error(
                    offset,
                    XmlProblem::CharacterReference(reference.xml10_content().into_owned()),
                )),
            };
        }
        match reference.xml10_content().as_ref() {
            "amp" => Ok('&'),
            "lt" => Ok('<'),
            "gt" => Ok('>'),
            "apos" => Ok('\''),
            "quot" => Ok('"'),
            other => Err(self.xml_error(offset, XmlProblem::UndefinedEntity(other.to_owned()))),
        }
    }

    /// Records a namespace spelled in a way that was read leniently.
    fn note_variant(&mut self, variant: Option<Variant>) {
        match variant {
            Some(Variant::V3(uri)) => {
                self.v3_namespace_variant.get_or_insert(uri);
            }
            Some(Variant::Mm0(uri)) => {
                self.mm0_namespace_variant.get_or_insert(uri);
            }
            None => {}
        }
    }
}

/// A known namespace under another spelling.
enum Variant {
    V3(String),
    Mm0(String),
}

fn classify(resolved: ResolveResult, prefix: Option<&str>) -> (Ns, Option<Variant>) {
    match resolved {
        ResolveResult::Unbound => (Ns::None, None),
        ResolveResult::Unknown(_) => (Ns::Foreign, None),
        ResolveResult::Bound(ns) => {
            let uri = ns.as_ref();
            if uri == NS_V4 {
                (Ns::V4, None)
            } else if uri == NS_V3 {
                (Ns::V3, None)
            } else if uri == NS_MM0 {
                (Ns::Mm0, None)
            } else if is_v3_variant(uri) {
                (Ns::V3, Some(Variant::V3(uri.to_owned())))
            } else if prefix == Some("mm0") {
                (Ns::Mm0, Some(Variant::Mm0(uri.to_owned())))
            } else {
                (Ns::Foreign, None)
            }
        }
    }
}

fn is_v3_variant(uri: &str) -> bool {
    matches!(
        uri,
        "http://www.metalinker.org" | "https://www.metalinker.org/" | "https://www.metalinker.org"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Result<Tree, ParseError> {
        let lines = LineIndex::new(text);
        read(text, &lines)
    }

    #[test]
    fn keeps_known_namespaces_and_skips_foreign_markup() {
        let t = tree(
            r#"<m:metalink xmlns:m="urn:ietf:params:xml:ns:metalink" xmlns:x="urn:x">
                 <x:foo a="1"><m:file name="inside foreign"/></x:foo>
                 <m:file name="a" x:attr="ignored">t&amp;x&#65;<![CDATA[<c>]]></m:file>
               </m:metalink>"#,
        )
        .unwrap();
        assert_eq!(t.root.ns, Ns::V4);
        assert_eq!(t.root.children.len(), 1);
        let file = &t.root.children[0];
        assert_eq!(file.attr("name"), Some("a"));
        assert_eq!(file.attrs[1].ns, Ns::Foreign);
        assert_eq!(file.text, "t&xA<c>");
    }

    #[test]
    fn refuses_dtds_and_unknown_entities() {
        let dtd = tree(r#"<!DOCTYPE m [<!ENTITY a "aaaa">]><m>&a;</m>"#);
        assert!(matches!(dtd, Err(ParseError::Doctype(_))));
        let entity = tree("<m>&nbsp;</m>").unwrap_err();
        assert!(
            entity.to_string().contains("undefined entity &nbsp;"),
            "{entity}"
        );
    }

    #[test]
    fn not_well_formed_documents_say_where() {
        let truncated = tree("<a>\n  <b>").unwrap_err().to_string();
        assert!(truncated.contains("line 2"), "{truncated}");
        let mismatched = tree("<a><b></a>").unwrap_err().to_string();
        assert!(mismatched.starts_with("line 1, column"), "{mismatched}");
        assert!(tree("<a/><b/>").is_err());
        assert!(tree("<a/> trailing").is_err());
        assert!(tree("").is_err());
        assert!(tree("<a>&</a>").is_err());
        assert!(tree("<a>&#1;</a>").is_err());
        assert!(decode(b"<a>\x01</a>").is_err());
    }

    #[test]
    fn bad_bytes_and_encodings() {
        assert!(matches!(
            decode(b"<a>\xff</a>"),
            Err(ParseError::NotUtf8(_))
        ));
        assert!(matches!(
            decode(b"\xFF\xFE<\0"),
            Err(ParseError::Encoding { .. })
        ));
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
        let latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>é</a>";
        assert!(matches!(tree(latin1), Err(ParseError::Encoding { .. })));
    }

    #[test]
    fn depth_is_limited() {
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(matches!(tree(&deep), Err(ParseError::Limit { .. })));
    }
}
