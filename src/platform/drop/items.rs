//! What a drag carries, in Braid's terms: the MIME payloads window systems offer
//! (`text/uri-list`, Firefox's `text/x-moz-url`, `_NETSCAPE_URL`, plain text) read into
//! items, each already judged: a link or a metalink file Braid can add, or something it
//! refuses and can say why.

use std::path::{Path, PathBuf};

/// Types Braid reads, best first: lists of URIs before single URLs before plain text.
/// Drag sources offer several; the first one offered is asked for.
pub const PREFERRED_TYPES: [&str; 9] = [
    "text/uri-list",
    "text/x-moz-url",
    "_NETSCAPE_URL",
    "text/plain;charset=utf-8",
    "UTF8_STRING",
    "text/plain",
    "STRING",
    "TEXT",
    "text/unicode",
];

/// The type to ask a drag source for, of those it offers.
pub fn preferred_type<'a>(offered: impl IntoIterator<Item = &'a str> + Clone) -> Option<&'a str> {
    PREFERRED_TYPES.iter().find_map(|wanted| {
        offered
            .clone()
            .into_iter()
            .find(|o| o.eq_ignore_ascii_case(wanted))
    })
}

/// Payloads larger than this are not read on: nobody drags megabytes of links.
pub const MAX_PAYLOAD: usize = 1 << 20;

/// At most this many items are taken from one drop.
const MAX_ITEMS: usize = 1000;

/// How much of a refused text is kept to show.
const SHOWN_CHARS: usize = 60;

/// One thing that was dragged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// An http(s) (or other supported) link.
    Link(String),
    /// A local metalink file.
    Metalink(PathBuf),
    /// A local file that is no metalink.
    NotMetalink(PathBuf),
    /// A local file that is not there (a stale `file://` URI).
    Missing(PathBuf),
    /// A URI of a scheme Braid cannot download.
    Unsupported(String),
    /// Text that is no link at all (shortened to show).
    NotALink(String),
}

impl Item {
    /// Whether Braid can add it.
    pub fn is_accepted(&self) -> bool {
        matches!(self, Item::Link(_) | Item::Metalink(_))
    }

    /// Judges one dropped path.
    pub fn for_path(path: PathBuf) -> Item {
        if !path.exists() {
            Item::Missing(path)
        } else if is_metalink_file(&path) {
            Item::Metalink(path)
        } else {
            Item::NotMetalink(path)
        }
    }

    /// Judges one line of a URI list or of dropped text.
    fn for_text(text: &str) -> Item {
        if let Ok(url) = url::Url::parse(text)
            && url.scheme().eq_ignore_ascii_case("file")
        {
            return match url.to_file_path() {
                Ok(path) => Item::for_path(path),
                // file://other-host/…: not on this machine.
                Err(()) => Item::Unsupported(shorten(text)),
            };
        }
        if crate::metalink::select::is_supported(text) && url::Url::parse(text).is_ok() {
            return Item::Link(text.to_owned());
        }
        if text.starts_with('/') || Path::new(text).is_absolute() {
            return Item::for_path(PathBuf::from(text));
        }
        match url::Url::parse(text) {
            // A link, only not one Braid downloads (mailto:, gopher://, …).
            Ok(url) if url.scheme().len() > 1 && !text.contains(char::is_whitespace) => {
                Item::Unsupported(shorten(text))
            }
            _ => Item::NotALink(shorten(text)),
        }
    }
}

/// Everything one drag carries, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dragged {
    pub items: Vec<Item>,
}

impl Dragged {
    /// Reads a payload of MIME type `mime` (as named by the source). Unknown types and
    /// unreadable bytes give nothing.
    pub fn from_payload(mime: &str, bytes: &[u8]) -> Dragged {
        let bytes = &bytes[..bytes.len().min(MAX_PAYLOAD)];
        let mime = mime.to_ascii_lowercase();
        let lines: Vec<String> = match mime.as_str() {
            "text/uri-list" => decode_text(bytes)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_owned)
                .collect(),
            // "URL\ntitle\nURL\ntitle…", in UTF-16 as Firefox writes it.
            "text/x-moz-url" => decode_text(bytes)
                .lines()
                .step_by(2)
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            // "URL\ntitle".
            "_netscape_url" => decode_text(bytes)
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(str::to_owned)
                .into_iter()
                .collect(),
            m if PREFERRED_TYPES.iter().any(|t| t.eq_ignore_ascii_case(m)) => decode_text(bytes)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        Dragged::from_lines(lines.iter().map(String::as_str))
    }

    /// Judges each line (a URI, a path or other text).
    pub fn from_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Dragged {
        Dragged {
            items: lines
                .into_iter()
                .take(MAX_ITEMS)
                .map(Item::for_text)
                .collect(),
        }
    }

    /// Judges dropped paths (the window system's own file drops).
    pub fn from_paths(paths: impl IntoIterator<Item = PathBuf>) -> Dragged {
        Dragged {
            items: paths
                .into_iter()
                .take(MAX_ITEMS)
                .map(Item::for_path)
                .collect(),
        }
    }

    /// What to open, in order: links as they are, metalink files as paths.
    pub fn sources(&self) -> Vec<String> {
        self.items
            .iter()
            .filter_map(|item| match item {
                Item::Link(url) => Some(url.clone()),
                Item::Metalink(path) => Some(path.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    }

    /// What will not be added.
    pub fn refused(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|item| !item.is_accepted())
    }

    pub fn links(&self) -> usize {
        self.count(|item| matches!(item, Item::Link(_)))
    }

    pub fn metalinks(&self) -> usize {
        self.count(|item| matches!(item, Item::Metalink(_)))
    }

    /// Whether anything in it can be added.
    pub fn has_accepted(&self) -> bool {
        self.items.iter().any(Item::is_accepted)
    }

    fn count(&self, which: impl Fn(&Item) -> bool) -> usize {
        self.items.iter().filter(|item| which(item)).count()
    }
}

/// Whether a local file is a metalink, by name or by its first bytes.
pub fn is_metalink_file(path: &Path) -> bool {
    let by_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("meta4") || e.eq_ignore_ascii_case("metalink"));
    by_name
        || std::fs::File::open(path)
            .and_then(|mut f| {
                let mut head = [0u8; 4096];
                let n = std::io::Read::read(&mut f, &mut head)?;
                Ok(crate::metalink::looks_like_metalink(&head[..n]))
            })
            .unwrap_or(false)
}

/// Text in UTF-8, or in UTF-16 (little-endian unless a byte-order mark says otherwise,
/// as Firefox and Windows write it), without trailing NULs.
fn decode_text(bytes: &[u8]) -> String {
    let utf16 = |big_endian: bool, body: &[u8]| {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|pair| {
                let pair = [pair[0], pair[1]];
                if big_endian {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    let text = match bytes {
        [0xff, 0xfe, rest @ ..] => utf16(false, rest),
        [0xfe, 0xff, rest @ ..] => utf16(true, rest),
        [0xef, 0xbb, 0xbf, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        // ASCII in UTF-16LE has a NUL in every odd byte.
        _ if bytes.len() >= 2 && bytes.len().is_multiple_of(2) && looks_like_utf16le(bytes) => {
            utf16(false, bytes)
        }
        _ => String::from_utf8_lossy(bytes).into_owned(),
    };
    text.trim_end_matches('\0').to_owned()
}

fn looks_like_utf16le(bytes: &[u8]) -> bool {
    let odd = bytes.iter().skip(1).step_by(2);
    let zeros = odd.clone().filter(|b| **b == 0).count();
    zeros * 2 >= odd.count()
}

/// Windows' UTF-16LE text up to its terminating NUL, in UTF-8. A global memory block
/// can be larger than what was written in it, and what lies after the NUL is not
/// promised to be zero, so nothing after it is read (and no encoding is guessed).
#[cfg_attr(not(windows), allow(dead_code))]
pub(super) fn wide_text(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .take_while(|unit| *unit != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= SHOWN_CHARS {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(SHOWN_CHARS - 1).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn windows_text_ends_at_its_nul_whatever_follows() {
        let mut block = utf16le("https://a.example/ü.meta4\0");
        // The rest of a larger block: not promised to be zero.
        block.extend(utf16le("https://stale.example/\0"));
        block.push(0x41);
        assert_eq!(wide_text(&block), "https://a.example/ü.meta4");
        assert_eq!(
            Dragged::from_payload("text/plain", wide_text(&block).as_bytes()),
            Dragged::from_lines(["https://a.example/ü.meta4"])
        );
        assert_eq!(wide_text(&[]), "");
    }

    #[test]
    fn firefox_links_read_from_every_type_it_offers() {
        let url = "https://example.org/a.meta4";
        let want = Dragged {
            items: vec![Item::Link(url.into())],
        };
        let moz = utf16le(&format!("{url}\nThe A metalink"));
        assert_eq!(Dragged::from_payload("text/x-moz-url", &moz), want);
        let uri_list = format!("{url}\r\n");
        assert_eq!(
            Dragged::from_payload("text/uri-list", uri_list.as_bytes()),
            want
        );
        let netscape = format!("{url}\nThe A metalink");
        assert_eq!(
            Dragged::from_payload("_NETSCAPE_URL", netscape.as_bytes()),
            want
        );
        assert_eq!(Dragged::from_payload("text/plain", url.as_bytes()), want);
        let mut bom = vec![0xff, 0xfe];
        bom.extend(utf16le(url));
        assert_eq!(Dragged::from_payload("text/plain", &bom), want);
    }

    #[test]
    fn a_mixed_list_keeps_every_item_in_order() {
        let dir = std::env::temp_dir().join(format!("braid-drop-items-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let meta = dir.join("iso image.meta4");
        std::fs::write(&meta, "<metalink/>").unwrap();
        let sniffed = dir.join("no-extension");
        std::fs::write(&sniffed, "<?xml version=\"1.0\"?><metalink xmlns=\"x\"/>").unwrap();
        let photo = dir.join("photo.jpg");
        std::fs::write(&photo, b"\xff\xd8\xff").unwrap();
        let list = format!(
            "# from a file manager\r\nfile://{}\r\nhttps://a.example/x.iso\r\nfile://{}\r\nfile://{}\r\nftp-ish://b/c\r\nfile:///no/such.meta4\r\n",
            meta.to_string_lossy().replace(' ', "%20"),
            sniffed.display(),
            photo.display(),
        );
        let dragged = Dragged::from_payload("text/uri-list", list.as_bytes());
        assert_eq!(
            dragged.items,
            [
                Item::Metalink(meta.clone()),
                Item::Link("https://a.example/x.iso".into()),
                Item::Metalink(sniffed.clone()),
                Item::NotMetalink(photo),
                Item::Unsupported("ftp-ish://b/c".into()),
                Item::Missing("/no/such.meta4".into()),
            ]
        );
        assert_eq!((dragged.links(), dragged.metalinks()), (1, 2));
        assert_eq!(
            dragged.sources(),
            [
                meta.to_string_lossy().into_owned(),
                "https://a.example/x.iso".into(),
                sniffed.to_string_lossy().into_owned()
            ]
        );
        assert_eq!(dragged.refused().count(), 3);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn text_that_is_no_link_is_refused_and_shortened() {
        let long = "just some words someone selected and dragged onto the window by mistake";
        let dragged = Dragged::from_payload("UTF8_STRING", long.as_bytes());
        let [Item::NotALink(shown)] = dragged.items.as_slice() else {
            panic!("{dragged:?}");
        };
        assert!(shown.ends_with('…') && shown.chars().count() == SHOWN_CHARS);
        assert!(!dragged.has_accepted());
        assert_eq!(
            Dragged::from_payload("text/plain", b"mailto:someone@example.org").items,
            [Item::Unsupported("mailto:someone@example.org".into())]
        );
        assert_eq!(
            Dragged::from_payload("text/plain", b"gopher://example.org/x").items,
            [Item::Unsupported("gopher://example.org/x".into())]
        );
        assert!(
            Dragged::from_payload("image/png", b"\x89PNG")
                .items
                .is_empty()
        );
    }

    #[test]
    fn the_best_offered_type_is_asked_for() {
        let firefox = [
            "text/x-moz-url",
            "text/uri-list",
            "text/plain",
            "_NETSCAPE_URL",
        ];
        assert_eq!(preferred_type(firefox), Some("text/uri-list"));
        assert_eq!(
            preferred_type(["text/html", "TEXT", "UTF8_STRING"]),
            Some("UTF8_STRING")
        );
        assert_eq!(preferred_type(["image/png"]), None);
    }
}
