//! `braid inspect URL`: a URL probed as `braid get` would, without downloading it. A
//! metalink is shown like a file; a plain file with the digest it would be checked
//! against, the mirrors it would use, each with where it came from, and every place
//! that was asked.

use std::io::Write;

use serde_json::json;

use super::Args;
use crate::cli::describe;
use crate::config::Config;
use crate::discover::checksums::Outcome;
use crate::discover::plain::{self, PlainFile};
use crate::discover::{self, Probed};
use crate::format;
use crate::signature::Keyring;

pub(super) fn inspect(given: &str, args: &Args) -> Result<(), String> {
    let url = url::Url::parse(given).map_err(|e| format!("{given}: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for probing");
    let (config, _) = Config::load(&Config::path());
    let mut options = config.plain_options();
    options.search = config.checksum_search && !args.no_checksum_search;
    let probed = runtime
        .block_on(discover::probe(&discover::client(), &url))
        .map_err(|e| e.to_string())?;
    let file = match probed {
        Probed::Metalink(found) => {
            if !args.json {
                println!(
                    "{given} stands for the metalink {}\n",
                    format::url(found.url.as_str())
                );
            }
            return super::report(&found.parsed, given, args);
        }
        Probed::File(file) => file,
    };
    // Looking is not learning: only a verified download teaches the memory.
    let found = runtime.block_on(plain::complete(
        &discover::fetch::client(),
        &url,
        file,
        &options,
    ));
    let mut out = std::io::stdout().lock();
    let (keyring, _) = config.key_sources().load();
    let written = if args.json {
        writeln!(out, "{:#}", json_report(&found, &keyring))
    } else {
        write_report(&mut out, &found, &keyring)
    };
    written.map_err(|e| format!("cannot write the report: {e}"))?;
    match &found.conflict {
        Some(conflict) => Err(format!("{given}: {conflict}")),
        None => Ok(()),
    }
}

fn write_report(out: &mut impl Write, found: &PlainFile, keyring: &Keyring) -> std::io::Result<()> {
    let size = found.size.map_or("size unknown".to_owned(), format::bytes);
    writeln!(out, "Plain file {}  ({size})", found.name)?;
    writeln!(out, "  at {}", format::url(found.url.as_str()))?;
    if found.url != found.given {
        writeln!(out, "  (from {})", format::url(found.given.as_str()))?;
    }
    match &found.conflict {
        Some(conflict) => writeln!(out, "    verified:  no: {conflict}")?,
        None => match found.digests.first() {
            Some(strongest) => {
                writeln!(
                    out,
                    "    verified:  {}",
                    describe::checksum(strongest.hash.algorithm, &strongest.origin)
                )?;
                for other in &found.digests[1..] {
                    writeln!(
                        out,
                        "    also:      {}",
                        describe::checksum(other.hash.algorithm, &other.origin)
                    )?;
                }
            }
            None => writeln!(out, "    verified:  no (no checksum was found for it)")?,
        },
    }
    if let Some(pieces) = &found.pieces {
        super::write_pieces(out, pieces)?;
    }
    writeln!(out, "    mirrors:   {}", found.urls.len())?;
    for (url, origin) in &found.provenance.mirrors {
        writeln!(
            out,
            "      {}  ({})",
            format::url(url),
            describe::mirror_origin(origin)
        )?;
    }
    let expected = crate::metalink::hash::strongest(&found.hashes);
    for line in describe::signatures(&found.signatures, expected, keyring) {
        writeln!(out, "    signature: {} ({})", line.text, line.source)?;
        for warning in line.warnings {
            writeln!(out, "               {warning}")?;
        }
    }
    if !found.tried.is_empty() {
        writeln!(out, "  Looked for checksums at:")?;
        for tried in &found.tried {
            writeln!(
                out,
                "    {}: {}",
                format::url(&tried.url),
                outcome(&tried.outcome)
            )?;
        }
    }
    if !found.notes.is_empty() {
        writeln!(out, "\nNotes:")?;
        for note in &found.notes {
            writeln!(out, "  {note}")?;
        }
    }
    Ok(())
}

fn outcome(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Found(algorithms) => {
            let names: Vec<String> = algorithms.iter().map(ToString::to_string).collect();
            format!("found {}", names.join(", "))
        }
        Outcome::Nothing(why) => why.clone(),
        Outcome::Failed(failure) => failure.to_string(),
        Outcome::Unanswered => "no answer in time".into(),
    }
}

fn json_report(found: &PlainFile, keyring: &Keyring) -> serde_json::Value {
    json!({
        "kind": "plain",
        "url": found.url.as_str(),
        "given": found.given.as_str(),
        "name": found.name,
        "size": found.size,
        "checksum": found.digests.first().filter(|_| found.conflict.is_none()).map(|d| json!({
            "type": d.hash.algorithm.iana_name(),
            "hex": d.hash.hex(),
            "origin": d.origin,
        })),
        "digests": found.digests.iter().map(|d| json!({
            "type": d.hash.algorithm.iana_name(),
            "hex": d.hash.hex(),
            "origin": d.origin,
        })).collect::<Vec<_>>(),
        "pieces": found.pieces.as_ref().map(|p| json!({
            "type": p.algorithm.iana_name(), "length": p.length, "count": p.count(),
        })),
        "mirrors": found.provenance.mirrors.iter().map(|(url, origin)| json!({
            "url": url, "origin": origin,
        })).collect::<Vec<_>>(),
        "signatures": describe::signatures(
            &found.signatures,
            crate::metalink::hash::strongest(&found.hashes),
            keyring,
        ).into_iter().map(|s| json!({
            "source": s.source, "outcome": s.text, "warnings": s.warnings,
        })).collect::<Vec<_>>(),
        "tried": found.tried.iter().map(|t| json!({
            "url": t.url, "outcome": outcome(&t.outcome),
        })).collect::<Vec<_>>(),
        "conflict": found.conflict.as_ref().map(ToString::to_string),
        "notes": found.notes.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}
