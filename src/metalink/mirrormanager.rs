//! Fedora MirrorManager's `mm0:` extension (`http://fedorahosted.org/mirrormanager`):
//! a timestamp per file and older "alternate" versions that are still acceptable.
//!
//! In Metalink 3.0 documents the alternates hold v3 `size` and `verification/hash`; in
//! the Metalink 4 documents Braid writes they hold v4 `size` and `hash`. Both are read.

use super::model::{Alternate, File};
use super::reading::Reading;
use super::xml::{Element, Ns};

/// Reads an `mm0:` child of a file.
pub fn read_file_extension(
    element: &Element,
    file: &mut File,
    reading: &mut Reading,
    strict: bool,
) {
    match element.name.as_str() {
        "timestamp" => file.timestamp = timestamp(element, reading, strict),
        "alternates" => {
            for alternate in element.children_named(Ns::Mm0, "alternate") {
                file.alternates
                    .push(read_alternate(alternate, reading, strict));
            }
        }
        _ => {}
    }
}

fn timestamp(element: &Element, reading: &mut Reading, strict: bool) -> Option<i64> {
    let text = reading.value(element, strict);
    let parsed = text.parse::<i64>().ok();
    if parsed.is_none() {
        reading.warn(
            element,
            format!("mm0:timestamp '{text}' is not a number; ignored"),
        );
    }
    parsed
}

fn read_alternate(element: &Element, reading: &mut Reading, strict: bool) -> Alternate {
    let mut alternate = Alternate::default();
    for child in &element.children {
        match (child.ns, child.name.as_str()) {
            (Ns::Mm0, "timestamp") => alternate.timestamp = timestamp(child, reading, strict),
            (_, "size") => alternate.size = reading.size(child, strict),
            (Ns::V3 | Ns::None, "verification") => {
                for hash in child.children.iter().filter(|h| h.name == "hash") {
                    read_hash(hash, &mut alternate, reading, strict);
                }
            }
            (Ns::V4, "hash") => read_hash(child, &mut alternate, reading, strict),
            _ => {}
        }
    }
    alternate
}

fn read_hash(element: &Element, alternate: &mut Alternate, reading: &mut Reading, strict: bool) {
    if let Some(hash) = reading.hash(element, element.attr("type"), strict) {
        reading.add_hash(&mut alternate.hashes, hash, element);
    }
}
