//! `braid inspect [--json] FILE|URL`: what a metalink offers and what Braid would do
//! with it. A URL is probed first: a metalink it stands for is shown the same way, a
//! plain file with the checksum and mirrors found for it (`url`).

mod url;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::format;
use crate::metalink::select::{self, Preferences};
use crate::metalink::{self, Document, File, MirrorUrl, Parsed, Pieces};
use crate::signature::Keyring;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print machine-readable JSON instead of a summary.
    #[arg(long)]
    pub json: bool,
    /// The .meta4 or .metalink file, or an http(s) or ftp(s) URL (a metalink or a plain file).
    #[arg(value_name = "FILE|URL")]
    pub file: PathBuf,
    /// For a plain URL: do not look for published checksums (SHA256SUMS, …).
    #[arg(long)]
    pub no_checksum_search: bool,
}

pub fn run(args: &Args) -> i32 {
    match inspect(args) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("braid: {message}");
            1
        }
    }
}

fn inspect(args: &Args) -> Result<(), String> {
    let given = args.file.to_string_lossy();
    let remote = ["http://", "https://", "ftp://", "ftps://"]
        .iter()
        .any(|scheme| given.starts_with(scheme));
    if !args.file.exists() && remote {
        return url::inspect(&given, args);
    }
    let path = args.file.display();
    let bytes = std::fs::read(&args.file).map_err(|e| format!("cannot read {path}: {e}"))?;
    let parsed = metalink::parse(&bytes).map_err(|e| format!("{path}: {e}"))?;
    report(&parsed, &path.to_string(), args)
}

/// Prints what a parsed metalink offers; `source` names it in the error.
fn report(parsed: &Parsed, path: &str, args: &Args) -> Result<(), String> {
    let warnings: Vec<String> = parsed.warnings.iter().map(ToString::to_string).collect();
    let usable = parsed
        .document
        .files
        .iter()
        .any(|f| !select::ordered_urls(f, &[]).is_empty());
    // What the signatures can tell before the download, against the keys trusted now.
    let (keyring, _) = crate::config::Config::load(&crate::config::Config::path())
        .0
        .key_sources()
        .load();
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &JsonReport::new(parsed, &warnings, &keyring))
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out))
    } else {
        write_summary(&mut out, parsed, &warnings, &keyring)
    };
    written.map_err(|e| format!("cannot write the report: {e}"))?;
    if !usable {
        return Err(format!(
            "{path}: no file can be downloaded: Braid downloads over {}, and the document offers only {}",
            select::SUPPORTED_SCHEMES.join(", "),
            offered_schemes(&parsed.document).join(", ")
        ));
    }
    Ok(())
}

fn scheme(url: &str) -> &str {
    url.split_once(':').map_or(url, |(scheme, _)| scheme)
}

fn offered_schemes(doc: &Document) -> Vec<String> {
    let mut schemes: BTreeSet<String> = doc
        .files
        .iter()
        .flat_map(|f| &f.urls)
        .map(|u| scheme(&u.url).to_ascii_lowercase())
        .collect();
    if doc.files.iter().any(|f| !f.metaurls.is_empty()) {
        schemes.insert("metaurls (torrents)".into());
    }
    schemes.into_iter().collect()
}

/// The file's URLs Braid does not download from, in document order.
fn unused_urls(file: &File) -> Vec<&MirrorUrl> {
    file.urls
        .iter()
        .filter(|u| !select::is_supported(&u.url))
        .collect()
}

/// `3 rsync, 1 ed2k`: how many URLs of each scheme, most first.
fn count_by_scheme(urls: &[&MirrorUrl]) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for url in urls {
        let scheme = scheme(&url.url).to_ascii_lowercase();
        match counts.iter_mut().find(|(s, _)| *s == scheme) {
            Some((_, n)) => *n += 1,
            None => counts.push((scheme, 1)),
        }
    }
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    counts
        .iter()
        .map(|(scheme, n)| format!("{n} {scheme}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u8,
    files: Vec<JsonFile<'a>>,
    warnings: &'a [String],
}

#[derive(Serialize)]
struct JsonFile<'a> {
    name: &'a str,
    size: Option<u64>,
    hashes: JsonHashes<'a>,
    pieces: Option<JsonPieces>,
    urls: Vec<JsonUrl<'a>>,
    /// Listed in the document, but not downloaded from (rsync, ed2k, …).
    unused_urls: Vec<JsonUrl<'a>>,
    metaurls: Vec<JsonMetaUrl<'a>>,
    languages: &'a [String],
    os: &'a [String],
    signature: bool,
    signatures: Vec<JsonSignature>,
}

#[derive(Serialize)]
struct JsonSignature {
    outcome: String,
    warnings: Vec<String>,
}

/// Whole-file hashes as a JSON object, strongest first.
struct JsonHashes<'a>(&'a File);

impl Serialize for JsonHashes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut hashes: Vec<_> = self.0.hashes.iter().collect();
        hashes.sort_by_key(|h| std::cmp::Reverse(h.algorithm.strength()));
        let mut map = serializer.serialize_map(Some(hashes.len()))?;
        for hash in hashes {
            map.serialize_entry(hash.algorithm.iana_name(), &hash.hex())?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct JsonPieces {
    #[serde(rename = "type")]
    kind: &'static str,
    length: u64,
    count: usize,
}

#[derive(Serialize)]
struct JsonUrl<'a> {
    url: &'a str,
    priority: u32,
    location: Option<&'a str>,
}

impl<'a> JsonUrl<'a> {
    fn new(url: &'a MirrorUrl) -> Self {
        JsonUrl {
            url: &url.url,
            priority: url.priority,
            location: url.location.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct JsonMetaUrl<'a> {
    url: &'a str,
    mediatype: &'a str,
    priority: u32,
}

impl<'a> JsonReport<'a> {
    fn new(parsed: &'a Parsed, warnings: &'a [String], keyring: &Keyring) -> Self {
        let files = parsed
            .document
            .files
            .iter()
            .map(|file| JsonFile {
                name: &file.name,
                size: file.size,
                hashes: JsonHashes(file),
                pieces: file.preferred_pieces().map(|p| JsonPieces {
                    kind: p.algorithm.iana_name(),
                    length: p.length,
                    count: p.count(),
                }),
                urls: select::ordered_urls(file, &[])
                    .into_iter()
                    .map(JsonUrl::new)
                    .collect(),
                unused_urls: unused_urls(file).into_iter().map(JsonUrl::new).collect(),
                metaurls: select::ordered_metaurls(file)
                    .into_iter()
                    .map(|m| JsonMetaUrl {
                        url: &m.url,
                        mediatype: &m.mediatype,
                        priority: m.priority,
                    })
                    .collect(),
                languages: &file.languages,
                os: &file.os,
                signature: !file.signatures.is_empty(),
                signatures: signature_lines(file, keyring)
                    .into_iter()
                    .map(|line| JsonSignature {
                        outcome: line.text,
                        warnings: line.warnings,
                    })
                    .collect(),
            })
            .collect();
        JsonReport {
            version: parsed.document.version.number(),
            files,
            warnings,
        }
    }
}

fn write_summary(
    out: &mut impl Write,
    parsed: &Parsed,
    warnings: &[String],
    keyring: &Keyring,
) -> std::io::Result<()> {
    let doc = &parsed.document;
    let prefs = Preferences::from_system();
    let selection = select::choose_files(doc, &prefs);
    let count = doc.files.len();
    write!(
        out,
        "Metalink {} document, {count} file{}",
        doc.version.number(),
        plural(count)
    )?;
    if let Some(generator) = &doc.generator {
        write!(out, ", made by {generator}")?;
    }
    if let Some(published) = doc.published {
        write!(out, ", published {published}")?;
    }
    writeln!(out)?;
    if let Some(origin) = &doc.origin {
        let dynamic = if doc.dynamic {
            " (updates are published there)"
        } else {
            ""
        };
        writeln!(out, "Origin: {origin}{dynamic}")?;
    }
    let languages = if prefs.languages.is_empty() {
        "any language".to_owned()
    } else {
        prefs.languages.join(", ")
    };
    let os = prefs.os.as_deref().unwrap_or("any OS");
    writeln!(out, "Selected for {languages} on {os}: files marked *")?;
    for (index, file) in doc.files.iter().enumerate() {
        let mark = if selection.files.contains(&index) {
            '*'
        } else {
            ' '
        };
        writeln!(out)?;
        write_file(out, mark, file, keyring)?;
    }
    for note in &selection.notes {
        writeln!(out, "\nNote: {note}")?;
    }
    if !warnings.is_empty() {
        writeln!(out, "\nWarnings:")?;
        for warning in warnings {
            writeln!(out, "  {warning}")?;
        }
    }
    Ok(())
}

fn write_file(
    out: &mut impl Write,
    mark: char,
    file: &File,
    keyring: &Keyring,
) -> std::io::Result<()> {
    let size = file.size.map_or("size unknown".to_owned(), format::bytes);
    writeln!(out, "{mark} {}  ({size})", file.name)?;
    if let Some(version) = &file.version {
        writeln!(out, "    version:   {version}")?;
    }
    if let Some(description) = &file.description {
        writeln!(out, "    about:     {}", description.trim())?;
    }
    if !file.languages.is_empty() || !file.os.is_empty() {
        let languages = if file.languages.is_empty() {
            "any".into()
        } else {
            file.languages.join(", ")
        };
        let os = if file.os.is_empty() {
            "any".into()
        } else {
            file.os.join(", ")
        };
        writeln!(out, "    for:       language {languages}; OS {os}")?;
    }
    match file.strongest_hash() {
        Some(hash) => {
            let weak = if hash.algorithm.is_weak() {
                " (weak: only MD5/SHA-1 available)"
            } else {
                ""
            };
            writeln!(out, "    verified:  {}{weak}", hash.algorithm)?;
        }
        None if file.pieces.is_empty() => {
            writeln!(out, "    verified:  no (the document has no hash)")?
        }
        None => writeln!(
            out,
            "    verified:  piece by piece only (no whole-file hash)"
        )?,
    }
    if let Some(pieces) = file.preferred_pieces() {
        write_pieces(out, pieces)?;
    }
    let urls = select::ordered_urls(file, &[]);
    let mut locations: Vec<&str> = urls.iter().filter_map(|u| u.location.as_deref()).collect();
    locations.sort_unstable();
    locations.dedup();
    let places = if locations.is_empty() {
        String::new()
    } else {
        format!(" in {}", locations.join(", "))
    };
    let ftp = urls.iter().filter(|u| select::is_ftp(&u.url)).count();
    let kinds = if ftp > 0 {
        format!(" ({} HTTP, {ftp} FTP)", urls.len() - ftp)
    } else {
        String::new()
    };
    if urls.is_empty() {
        writeln!(out, "    mirrors:   none Braid downloads from")?;
    } else {
        writeln!(
            out,
            "    mirrors:   {}{kinds}{places}, tried in this order:",
            urls.len()
        )?;
    }
    for url in urls.iter().take(3) {
        writeln!(out, "      {:>6}  {}", url.priority, format::url(&url.url))?;
    }
    if urls.len() > 3 {
        writeln!(out, "      … and {} more", urls.len() - 3)?;
    }
    let unused = unused_urls(file);
    if !unused.is_empty() {
        writeln!(
            out,
            "    unused:    {} (listed, but Braid downloads only over {})",
            count_by_scheme(&unused),
            select::SUPPORTED_SCHEMES.join(", ")
        )?;
    }
    for metaurl in select::ordered_metaurls(file) {
        writeln!(
            out,
            "    metaurl:   {} ({}, not used by Braid)",
            format::url(&metaurl.url),
            metaurl.mediatype
        )?;
    }
    for line in signature_lines(file, keyring) {
        writeln!(out, "    signature: {}", line.text)?;
        for warning in line.warnings {
            writeln!(out, "               {warning}")?;
        }
    }
    for other in file
        .signatures
        .iter()
        .filter(|s| crate::signature::Found::from_metalink(s).is_none())
    {
        writeln!(
            out,
            "    signature: {} (not OpenPGP: not checked)",
            other.mediatype
        )?;
    }
    Ok(())
}

/// The report's pieces line, for a metalink's file and a plain URL's alike.
fn write_pieces(out: &mut impl Write, pieces: &Pieces) -> std::io::Result<()> {
    writeln!(
        out,
        "    pieces:    {} × {} ({}), bad pieces are re-fetched from another mirror",
        pieces.count(),
        format::bytes(pieces.length),
        pieces.algorithm
    )
}

/// What a metalink file's OpenPGP signatures can tell before the download.
fn signature_lines(file: &File, keyring: &Keyring) -> Vec<crate::cli::describe::SignatureLine> {
    crate::cli::describe::signatures(
        &crate::signature::from_metalink_file(file),
        file.strongest_hash(),
        keyring,
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
