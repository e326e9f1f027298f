//! Writes the model as a Metalink 4 document (RFC 5854). MirrorManager timestamps and
//! alternates, which Metalink 4 has no element for, are written as `mm0:` extension
//! elements (RFC 5854 §5), and a Metalink 3.0 file's connection cap as an `m3:resources`
//! extension element, so that nothing read is lost.

use std::fmt::Write;

use quick_xml::escape::escape;

use super::hash::Hash;
use super::model::{Document, File, LOWEST_PRIORITY};
use super::xml::{NS_MM0, NS_V3, NS_V4};

pub fn write(doc: &Document) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let uses_mm0 = doc
        .files
        .iter()
        .any(|f| f.timestamp.is_some() || !f.alternates.is_empty());
    let uses_v3 = doc.files.iter().any(|f| f.max_connections.is_some());
    let _ = write!(out, "<metalink xmlns=\"{NS_V4}\"");
    if uses_mm0 {
        let _ = write!(out, " xmlns:mm0=\"{NS_MM0}\"");
    }
    if uses_v3 {
        let _ = write!(out, " xmlns:m3=\"{NS_V3}\"");
    }
    out.push_str(">\n");
    if let Some(generator) = &doc.generator {
        element(&mut out, 1, "generator", &[], generator);
    }
    if let Some(origin) = &doc.origin {
        let dynamic = if doc.dynamic { "true" } else { "false" };
        element(&mut out, 1, "origin", &[("dynamic", dynamic)], origin);
    }
    if let Some(published) = doc.published {
        element(&mut out, 1, "published", &[], &published.to_string());
    }
    if let Some(updated) = doc.updated {
        element(&mut out, 1, "updated", &[], &updated.to_string());
    }
    for file in &doc.files {
        write_file(&mut out, file);
    }
    out.push_str("</metalink>\n");
    out
}

fn write_file(out: &mut String, file: &File) {
    let _ = writeln!(out, "  <file name=\"{}\">", escape(&file.name));
    let texts = [
        ("identity", &file.identity),
        ("version", &file.version),
        ("description", &file.description),
        ("copyright", &file.copyright),
        ("logo", &file.logo),
    ];
    for (name, value) in texts {
        if let Some(value) = value {
            element(out, 2, name, &[], value);
        }
    }
    if let Some(publisher) = &file.publisher {
        let mut attrs = vec![("name", publisher.name.as_str())];
        if let Some(url) = &publisher.url {
            attrs.push(("url", url));
        }
        empty(out, 2, "publisher", &attrs);
    }
    for language in &file.languages {
        element(out, 2, "language", &[], language);
    }
    for os in &file.os {
        element(out, 2, "os", &[], os);
    }
    if let Some(size) = file.size {
        element(out, 2, "size", &[], &size.to_string());
    }
    write_hashes(out, 2, "hash", &file.hashes);
    for pieces in &file.pieces {
        let length = pieces.length.to_string();
        let attrs = [
            ("length", length.as_str()),
            ("type", pieces.algorithm.iana_name()),
        ];
        open(out, 2, "pieces", &attrs);
        for digest in pieces.digests() {
            element(out, 3, "hash", &[], &super::hash::encode_hex(digest));
        }
        close(out, 2, "pieces");
    }
    for url in &file.urls {
        let priority = url.priority.to_string();
        let max = url.max_connections.map(|m| m.to_string());
        let mut attrs = Vec::new();
        if url.priority != LOWEST_PRIORITY {
            attrs.push(("priority", priority.as_str()));
        }
        if let Some(location) = &url.location {
            attrs.push(("location", location));
        }
        if let Some(max) = &max {
            attrs.push(("maxconnections", max));
        }
        element(out, 2, "url", &attrs, &url.url);
    }
    for metaurl in &file.metaurls {
        let priority = metaurl.priority.to_string();
        let mut attrs = vec![("mediatype", metaurl.mediatype.as_str())];
        if metaurl.priority != LOWEST_PRIORITY {
            attrs.push(("priority", &priority));
        }
        if let Some(name) = &metaurl.name {
            attrs.push(("name", name));
        }
        element(out, 2, "metaurl", &attrs, &metaurl.url);
    }
    for signature in &file.signatures {
        element(
            out,
            2,
            "signature",
            &[("mediatype", &signature.mediatype)],
            &signature.body,
        );
    }
    if let Some(max) = file.max_connections {
        empty(
            out,
            2,
            "m3:resources",
            &[("maxconnections", &max.to_string())],
        );
    }
    if let Some(timestamp) = file.timestamp {
        element(out, 2, "mm0:timestamp", &[], &timestamp.to_string());
    }
    if !file.alternates.is_empty() {
        open(out, 2, "mm0:alternates", &[]);
        for alternate in &file.alternates {
            open(out, 3, "mm0:alternate", &[]);
            if let Some(timestamp) = alternate.timestamp {
                element(out, 4, "mm0:timestamp", &[], &timestamp.to_string());
            }
            if let Some(size) = alternate.size {
                element(out, 4, "size", &[], &size.to_string());
            }
            write_hashes(out, 4, "hash", &alternate.hashes);
            close(out, 3, "mm0:alternate");
        }
        close(out, 2, "mm0:alternates");
    }
    out.push_str("  </file>\n");
}

fn write_hashes(out: &mut String, depth: usize, name: &str, hashes: &[Hash]) {
    for hash in hashes {
        element(
            out,
            depth,
            name,
            &[("type", hash.algorithm.iana_name())],
            &hash.hex(),
        );
    }
}

fn start_tag(out: &mut String, depth: usize, name: &str, attrs: &[(&str, &str)]) {
    for _ in 0..depth {
        out.push_str("  ");
    }
    out.push('<');
    out.push_str(name);
    for (key, value) in attrs {
        let _ = write!(out, " {key}=\"{}\"", escape(*value));
    }
}

fn element(out: &mut String, depth: usize, name: &str, attrs: &[(&str, &str)], text: &str) {
    start_tag(out, depth, name, attrs);
    let _ = writeln!(out, ">{}</{name}>", escape(text));
}

fn empty(out: &mut String, depth: usize, name: &str, attrs: &[(&str, &str)]) {
    start_tag(out, depth, name, attrs);
    out.push_str("/>\n");
}

fn open(out: &mut String, depth: usize, name: &str, attrs: &[(&str, &str)]) {
    start_tag(out, depth, name, attrs);
    out.push_str(">\n");
}

fn close(out: &mut String, depth: usize, name: &str) {
    for _ in 0..depth {
        out.push_str("  ");
    }
    let _ = writeln!(out, "</{name}>");
}
