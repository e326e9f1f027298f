//! Metalink 3.0 reader (`http://www.metalinker.org/`), including the MirrorManager
//! dialect. Values are normalized to the Metalink 4 model: `preference` (1..100, higher
//! first) becomes `priority` (lower first), `sha1` becomes `sha-1`, and
//! `type="bittorrent"` URLs become torrent metaurls.

use super::date::Timestamp;
use super::mirrormanager;
use super::model::{Document, File, MetaUrl, MirrorUrl, Publisher, Signature, Version};
use super::names;
use super::reading::{self, Reading};
use super::xml::{Element, Ns};

/// Metalink 3.0 files wrap values in whitespace routinely; that is not worth a warning.
const STRICT: bool = false;
/// Priority given to URLs without a preference: v3 says they are the least preferred.
const UNSPECIFIED_PRIORITY: u32 = 100;

/// Reads a document whose root is in `ns` (the v3 namespace, or none at all).
pub fn read(root: &Element, ns: Ns, reading: &mut Reading) -> Document {
    if let Some(version) = root.attr("version").map(str::trim_ascii)
        && version != "3.0"
    {
        reading.warn(root, format!("version '{version}' read as Metalink 3.0"));
    }
    let origin = root
        .attr("origin")
        .map(str::trim_ascii)
        .filter(|o| !o.is_empty());
    if let Some(origin) = origin {
        reading.set_base_if_unknown(origin);
    }
    let mut doc = Document {
        version: Version::V3,
        generator: root.attr("generator").map(str::to_owned),
        origin: origin.and_then(|o| reading.url(root, o)),
        // Without an origin there is nowhere to fetch updates from.
        dynamic: origin.is_some() && root.attr("type").map(str::trim_ascii) == Some("dynamic"),
        published: date(root, "pubdate", reading),
        updated: date(root, "refreshdate", reading),
        files: Vec::new(),
    };
    for files in root.children_named(ns, "files") {
        for element in files.children_named(ns, "file") {
            if let Some(file) = file(element, ns, reading) {
                doc.files.push(file);
            }
        }
    }
    doc
}

fn date(root: &Element, attribute: &str, reading: &mut Reading) -> Option<Timestamp> {
    let text = root.attr(attribute)?.trim_ascii();
    let parsed = Timestamp::parse_lenient(text);
    if parsed.is_none() {
        reading.warn(
            root,
            format!("{attribute} '{text}' is not a date Braid knows; ignored"),
        );
    }
    parsed
}

fn file(element: &Element, ns: Ns, reading: &mut Reading) -> Option<File> {
    let name = element.attr("name");
    if !reading.accept_file_name(element, name) {
        return None;
    }
    let mut file = File::new(name.unwrap_or_default());
    for child in &element.children {
        if child.ns == Ns::Mm0 {
            mirrormanager::read_file_extension(child, &mut file, reading, STRICT);
            continue;
        }
        if child.ns != ns || reading.descriptive_child(child, &mut file, STRICT) {
            continue;
        }
        match child.name.as_str() {
            "size" if file.size.is_none() => file.size = reading.size(child, STRICT),
            "publisher" => {
                let name = child
                    .children_named(ns, "name")
                    .next()
                    .map(|n| n.text.trim_ascii());
                if let Some(name) = name.filter(|n| !n.is_empty()) {
                    let url = child
                        .children_named(ns, "url")
                        .next()
                        .map(|u| u.text.trim_ascii())
                        .filter(|u| !u.is_empty())
                        .map(str::to_owned);
                    file.publisher.get_or_insert(Publisher {
                        name: name.to_owned(),
                        url,
                    });
                }
            }
            "verification" => verification(child, ns, &mut file, reading),
            "resources" => resources(child, ns, &mut file, reading),
            _ => {}
        }
    }
    reading.finish_file(file, element)
}

fn verification(element: &Element, ns: Ns, file: &mut File, reading: &mut Reading) {
    for child in element.children.iter().filter(|c| c.ns == ns) {
        match child.name.as_str() {
            "hash" => {
                if let Some(hash) = reading.hash(child, child.attr("type"), STRICT) {
                    reading.add_hash(&mut file.hashes, hash, child);
                }
            }
            "pieces" => pieces(child, ns, file, reading),
            "signature" => {
                if let Some(target) = child.attr("file")
                    && let Err(why) = names::check(target)
                {
                    reading.warn(
                        child,
                        format!(
                            "unsafe signature file name '{target}': {why}; the signature is ignored"
                        ),
                    );
                    continue;
                }
                let mediatype = match child.attr("type").map(str::trim_ascii) {
                    Some("pgp") | None => "application/pgp-signature".to_owned(),
                    Some(other) => other.to_owned(),
                };
                file.signatures.push(Signature {
                    mediatype,
                    body: child.text.clone(),
                });
            }
            _ => {}
        }
    }
}

fn pieces(element: &Element, ns: Ns, file: &mut File, reading: &mut Reading) {
    let Some((length, algorithm)) = reading.pieces_header(element, file, STRICT) else {
        return;
    };
    // v3 numbers its piece hashes; they must be exactly 0..n-1, in any order.
    let mut indexed = Vec::new();
    for hash in element.children_named(ns, "hash") {
        match hash.attr("piece").map(|p| p.trim_ascii().parse::<usize>()) {
            Some(Ok(index)) => indexed.push((index, hash)),
            _ => {
                reading.warn(
                    hash,
                    "piece hash without a valid piece number; the piece list is ignored",
                );
                return;
            }
        }
    }
    indexed.sort_by_key(|(index, _)| *index);
    if indexed
        .iter()
        .enumerate()
        .any(|(i, (index, _))| i != *index)
    {
        reading.warn(
            element,
            "piece numbers are not 0, 1, 2, … without gaps; the piece list is ignored",
        );
        return;
    }
    let hashes: Vec<&Element> = indexed.into_iter().map(|(_, hash)| hash).collect();
    if let Some(pieces) = reading.pieces(element, algorithm, length, &hashes, STRICT) {
        file.pieces.push(pieces);
    }
}

fn resources(element: &Element, ns: Ns, file: &mut File, reading: &mut Reading) {
    if let Some(max) = element.attr("maxconnections") {
        file.max_connections = reading::max_connections(element);
        if file.max_connections.is_none() {
            reading.warn(
                element,
                format!("maxconnections '{max}' is not a positive number; ignored"),
            );
        }
    }
    for url in element.children_named(ns, "url") {
        let text = reading.value(url, STRICT);
        let Some(address) = reading.url(url, text) else {
            continue;
        };
        let priority = priority(url, reading);
        // A torrent's address says nothing about it being a torrent; the type does.
        if url.attr("type").map(str::trim_ascii) == Some("bittorrent") {
            file.metaurls.push(MetaUrl {
                url: address,
                mediatype: "torrent".into(),
                priority,
                name: None,
            });
            continue;
        }
        file.urls.push(MirrorUrl {
            url: address,
            priority,
            location: reading.location(url, url.attr("location")),
            max_connections: reading::max_connections(url),
        });
    }
}

/// `priority = 101 − clamp(preference, 1, 100)`: preference 100 (best) becomes 1.
fn priority(url: &Element, reading: &mut Reading) -> u32 {
    let Some(text) = url.attr("preference") else {
        return UNSPECIFIED_PRIORITY;
    };
    match text.trim_ascii().parse::<i64>() {
        Ok(p) => {
            if !(1..=100).contains(&p) {
                reading.warn(
                    url,
                    format!(
                        "preference {p} is outside 1..100; read as {}",
                        p.clamp(1, 100)
                    ),
                );
            }
            (101 - p.clamp(1, 100)) as u32
        }
        Err(_) => {
            reading.warn(
                url,
                format!("preference '{text}' is not a number; the lowest is used"),
            );
            UNSPECIFIED_PRIORITY
        }
    }
}
