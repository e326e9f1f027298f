//! Metalink 4 (RFC 5854) reader.

use super::date::Timestamp;
use super::mirrormanager;
use super::model::{Document, File, MetaUrl, MirrorUrl, Publisher, Signature, Version};
use super::names;
use super::reading::{self, Reading};
use super::xml::{Element, Ns};

/// Metalink 4 forbids whitespace around values; reading is strict about noting it.
const STRICT: bool = true;

pub fn read(root: &Element, reading: &mut Reading) -> Document {
    let mut doc = Document {
        version: Version::V4,
        generator: None,
        origin: None,
        dynamic: false,
        published: None,
        updated: None,
        files: Vec::new(),
    };
    // The origin is the base for relative URLs, so it is read before any file.
    for origin in root.children_named(Ns::V4, "origin") {
        if doc.origin.is_some() {
            reading.warn(origin, "a second <origin>; ignored");
            continue;
        }
        if let Some(url) = reading.non_empty_value(origin, STRICT) {
            reading.set_base_if_unknown(url);
            doc.origin = reading.url(origin, url);
        }
        doc.dynamic = match origin.attr("dynamic").map(str::trim_ascii) {
            None | Some("false" | "0") => false,
            Some("true" | "1") => true,
            Some(other) => {
                reading.warn(
                    origin,
                    format!("dynamic='{other}' is not a boolean; read as false"),
                );
                false
            }
        };
    }
    for child in &root.children {
        if child.ns != Ns::V4 {
            continue;
        }
        match child.name.as_str() {
            "generator" => reading.single_text(&mut doc.generator, child, STRICT),
            "published" => date(reading, &mut doc.published, child),
            "updated" => date(reading, &mut doc.updated, child),
            "file" => {
                if let Some(file) = file(child, reading) {
                    doc.files.push(file);
                }
            }
            _ => {}
        }
    }
    doc
}

fn date(reading: &mut Reading, slot: &mut Option<Timestamp>, element: &Element) {
    if slot.is_some() {
        reading.warn(element, format!("a second <{}>; ignored", element.name));
        return;
    }
    let text = reading.value(element, STRICT);
    *slot = Timestamp::parse_rfc3339(text);
    if slot.is_none() {
        reading.warn(
            element,
            format!("'{text}' is not an RFC 3339 date; ignored"),
        );
    }
}

fn file(element: &Element, reading: &mut Reading) -> Option<File> {
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
        if child.ns == Ns::V3 && child.name == "resources" {
            // A Metalink 3.0 connection cap, as Braid's writer carries it over.
            file.max_connections = reading::max_connections(child);
            continue;
        }
        if child.ns != Ns::V4 || reading.descriptive_child(child, &mut file, STRICT) {
            continue;
        }
        match child.name.as_str() {
            "size" => {
                if file.size.is_some() {
                    reading.warn(child, "a second <size>; ignored");
                } else {
                    file.size = reading.size(child, STRICT);
                }
            }
            "copyright" => reading.single_text(&mut file.copyright, child, STRICT),
            "publisher" => publisher(child, &mut file, reading),
            "hash" => {
                if let Some(hash) = reading.hash(child, child.attr("type"), STRICT) {
                    reading.add_hash(&mut file.hashes, hash, child);
                }
            }
            "pieces" => pieces(child, &mut file, reading),
            "url" => {
                if let Some(url) = url(child, reading) {
                    file.urls.push(url);
                }
            }
            "metaurl" => {
                if let Some(metaurl) = metaurl(child, reading) {
                    file.metaurls.push(metaurl);
                }
            }
            "signature" => match child.attr("mediatype") {
                Some(mediatype) if !mediatype.trim_ascii().is_empty() => {
                    file.signatures.push(Signature {
                        mediatype: mediatype.trim_ascii().to_owned(),
                        body: child.text.clone(),
                    });
                }
                _ => reading.warn(child, "<signature> has no mediatype; ignored"),
            },
            _ => {}
        }
    }
    reading.finish_file(file, element)
}

fn publisher(element: &Element, file: &mut File, reading: &mut Reading) {
    // RFC 5854 puts name and url in attributes; some generators use v3-style child
    // elements, which are not part of the format and are ignored.
    match element.attr("name") {
        Some(name) if file.publisher.is_none() => {
            let url = element
                .attr("url")
                .map(str::trim_ascii)
                .filter(|u| !u.is_empty())
                .map(str::to_owned);
            file.publisher = Some(Publisher {
                name: name.to_owned(),
                url,
            });
        }
        Some(_) => reading.warn(element, "a second <publisher>; ignored"),
        None => reading.warn(
            element,
            "<publisher> has no name attribute (child elements are Metalink 3.0 style); ignored",
        ),
    }
}

fn pieces(element: &Element, file: &mut File, reading: &mut Reading) {
    let Some((length, algorithm)) = reading.pieces_header(element, file, STRICT) else {
        return;
    };
    let hashes: Vec<&Element> = element.children_named(Ns::V4, "hash").collect();
    if let Some(pieces) = reading.pieces(element, algorithm, length, &hashes, STRICT) {
        file.pieces.push(pieces);
    }
}

fn url(element: &Element, reading: &mut Reading) -> Option<MirrorUrl> {
    let text = reading.value(element, STRICT);
    let url = reading.url(element, text)?;
    let max_connections = reading::max_connections(element);
    Some(MirrorUrl {
        url,
        priority: reading.priority(element, element.attr("priority")),
        location: reading.location(element, element.attr("location")),
        max_connections,
    })
}

fn metaurl(element: &Element, reading: &mut Reading) -> Option<MetaUrl> {
    let mediatype = match element.attr("mediatype").map(str::trim_ascii) {
        Some(m) if !m.is_empty() => m.to_owned(),
        _ => {
            reading.drop_source(element, "<metaurl> has no mediatype; ignored".into());
            return None;
        }
    };
    let name = element.attr("name").map(str::to_owned);
    if let Some(name) = &name
        && let Err(why) = names::check(name)
    {
        reading.drop_source(
            element,
            format!("unsafe metaurl name '{name}': {why}; the metaurl is ignored"),
        );
        return None;
    }
    let text = reading.value(element, STRICT);
    let url = reading.url(element, text)?;
    Some(MetaUrl {
        url,
        mediatype,
        priority: reading.priority(element, element.attr("priority")),
        name,
    })
}
