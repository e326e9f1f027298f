//! What `braid get` was asked for, turned into downloads: sources from the command line
//! and from `-i` files, each a metalink (file or URL) or a plain URL that gets the
//! metalink treatment (`discover::plain`), with `-o`/`out=` and `--checksum`/`checksum=`
//! applied where they name one file.

use std::path::{Path, PathBuf};

use super::Args;
use super::input::{self, Wanted};
use crate::cli::describe;
use crate::config::Config;
use crate::discover::memory::Memory;
use crate::discover::{self, Probed, plain};
use crate::engine::{ChecksumOrigin, JobSpec};
use crate::metalink::select::{self, Preferences};
use crate::metalink::{self, Document, Hash};

/// Everything that resolving needs, made once.
struct Resolver<'a> {
    args: &'a Args,
    prefs: Preferences,
    probe_client: reqwest::Client,
    fetch_client: reqwest::Client,
    options: plain::Options,
}

/// The downloads `args` ask for, or the first reason they cannot be made.
pub(super) async fn resolve_all(args: &Args) -> Result<Vec<JobSpec>, String> {
    let wanted = wanted(args)?;
    let (config, warning) = Config::load(&Config::path());
    if let Some(warning) = warning {
        eprintln!("braid: warning: {warning}");
    }
    let mut options = config.plain_options();
    options.search = config.checksum_search && !args.no_checksum_search;
    for service in &args.metalink_services {
        if !crate::config::is_service(service) {
            return Err(format!(
                "--metalink-service {service}: not an http or https URL"
            ));
        }
        if !options.services.contains(service) {
            options.services.push(service.clone());
        }
    }
    let mut prefs = Preferences::from_system();
    if !args.languages.is_empty() {
        prefs.languages = args.languages.clone();
    }
    if let Some(os) = &args.os {
        prefs.os = Some(os.clone());
    }
    let resolver = Resolver {
        args,
        prefs,
        probe_client: discover::client(),
        fetch_client: discover::fetch::client(),
        options,
    };
    let mut specs = Vec::new();
    for wanted in &wanted {
        specs.extend(resolver.resolve(wanted).await?);
    }
    let specs = super::reuse::apply(&resolver.probe_client, args, specs).await?;
    for spec in &specs {
        unchecked(spec);
    }
    Ok(specs)
}

/// Says so when a plain URL's file has no checksum (after a zsync control file beside
/// it had its say), and what checks it then.
fn unchecked(spec: &JobSpec) {
    let plain = spec
        .provenance
        .mirrors
        .iter()
        .any(|(_, origin)| *origin == crate::engine::MirrorOrigin::Given);
    if !plain || !spec.hashes.is_empty() {
        return;
    }
    let source = &spec.source;
    match spec.signatures.found.first() {
        Some(signature) => eprintln!(
            "braid: {source}: no checksum found; its OpenPGP signature ({}) checks the file once it is in",
            crate::engine::provenance::last_segment(&signature.source)
        ),
        None => eprintln!(
            "braid: {source}: no checksum found, so the file cannot be checked (give one with --checksum)"
        ),
    }
}

/// The command line's sources, then the input file's; `-o` and `--checksum` go with
/// the only one.
fn wanted(args: &Args) -> Result<Vec<Wanted>, String> {
    let mut wanted: Vec<Wanted> = args
        .sources
        .iter()
        .map(|source| Wanted {
            sources: vec![source.clone()],
            checksum: None,
            out: None,
            dir: None,
            place: source.clone(),
        })
        .collect();
    if args.out.is_some() || args.checksum.is_some() {
        let [only] = wanted.as_mut_slice() else {
            return Err(
                "-o and --checksum name the file of one SOURCE; for several, give out= and checksum= lines in an input file (-i)"
                    .into(),
            );
        };
        if args.input_file.is_some() {
            return Err("-o and --checksum go with one SOURCE, not with -i".into());
        }
        only.out = args.out.clone();
        only.checksum = args.checksum.clone();
    }
    if let Some(file) = &args.input_file {
        let (text, name) = if file == Path::new("-") {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| format!("standard input: {e}"))?;
            (text, "standard input".to_owned())
        } else {
            let text =
                std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
            (text, file.display().to_string())
        };
        wanted.extend(input::read(&text, &name).map_err(|e| e.to_string())?);
    }
    if wanted.is_empty() {
        return Err("nothing to download: give a SOURCE or an input file (-i)".into());
    }
    Ok(wanted)
}

impl Resolver<'_> {
    fn dir(&self, wanted: &Wanted) -> PathBuf {
        wanted.dir.clone().unwrap_or_else(|| self.args.dir.clone())
    }

    /// Turns one wanted download into the downloads it stands for.
    async fn resolve(&self, wanted: &Wanted) -> Result<Vec<JobSpec>, String> {
        let place = &wanted.place;
        if let Some(out) = &wanted.out {
            metalink::names::check(out)
                .map_err(|e| format!("{place}: unsafe file name '{out}': {e}"))?;
        }
        let (source, mirrors) = wanted
            .sources
            .split_first()
            .ok_or_else(|| format!("{place}: no source"))?;
        let path = Path::new(source);
        if path.exists() {
            if !mirrors.is_empty() {
                return Err(format!(
                    "{place}: several sources on one line must be URLs of one file"
                ));
            }
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read {source}: {e}"))?;
            if bytes.starts_with(b"zsync: ") {
                let found =
                    discover::zsync::from_bytes(source, &bytes).map_err(|e| e.to_string())?;
                return super::reuse::from_control(
                    &self.probe_client,
                    source,
                    found,
                    self.dir(wanted),
                    self.args,
                )
                .await;
            }
            let parsed = metalink::parse(&bytes).map_err(|e| format!("{source}: {e}"))?;
            return self
                .document_specs(wanted, source, &parsed.document, None)
                .await;
        }
        let url = url::Url::parse(source)
            .map_err(|_| format!("{source}: no such file, and not a URL"))?;
        if !select::is_supported(url.as_str()) {
            return Err(format!(
                "{source}: only {} URLs are supported",
                select::SUPPORTED_SCHEMES.join(", ")
            ));
        }
        for mirror in mirrors {
            if !url::Url::parse(mirror).is_ok_and(|u| select::is_supported(u.as_str())) {
                return Err(format!(
                    "{place}: '{mirror}' is not an {} URL",
                    select::SUPPORTED_SCHEMES.join(", ")
                ));
            }
        }
        if discover::zsync::looks_like_control(source) && mirrors.is_empty() {
            let found = discover::zsync::fetch(&self.probe_client, &url)
                .await
                .map_err(|e| e.to_string())?;
            return super::reuse::from_control(
                &self.probe_client,
                source,
                found,
                self.dir(wanted),
                self.args,
            )
            .await;
        }
        let probed = discover::probe(&self.probe_client, &url)
            .await
            .map_err(|e| e.to_string())?;
        match probed {
            Probed::Metalink(found) => {
                let described = found.described_name.as_deref();
                if described.is_some() {
                    eprintln!(
                        "braid: {source}: using the metalink that describes it, {}",
                        found.url
                    );
                }
                self.document_specs(wanted, source, &found.parsed.document, described)
                    .await
            }
            Probed::File(file) => {
                let mut options = self.options.clone();
                options.expected = wanted.checksum.clone();
                options.user_mirrors = mirrors.to_vec();
                let found = plain::complete(&self.fetch_client, &url, file, &options).await;
                tell(source, &found);
                let mut spec = found.into_spec(source, self.dir(wanted)).map_err(|conflict| {
                    format!(
                        "{source}: {conflict}; not downloaded (give the right checksum with --checksum, or --no-checksum-search)"
                    )
                })?;
                if let Some(out) = &wanted.out {
                    spec.name = out.clone();
                }
                spec.overwrite = self.args.overwrite;
                Ok(vec![spec])
            }
        }
    }

    async fn document_specs(
        &self,
        wanted: &Wanted,
        source: &str,
        doc: &Document,
        described: Option<&str>,
    ) -> Result<Vec<JobSpec>, String> {
        if let Some(memory) = &self.options.memory {
            remember(memory, doc).await;
        }
        let args = self.args;
        let described = described.filter(|name| doc.files.iter().any(|f| f.name == *name));
        let chosen = if let (true, Some(name)) = (args.select.is_empty(), described) {
            // A metalink found through a file URL's Link header: that file is the one
            // asked for.
            select::files_named(doc, &[name.to_owned()]).map_err(|e| format!("{source}: {e}"))?
        } else if args.select.is_empty() {
            let selection = select::choose_files(doc, &self.prefs);
            for note in &selection.notes {
                eprintln!("braid: {source}: {note}");
            }
            if selection.files.is_empty() {
                return Err(format!(
                    "{source}: no file to download; choose one with --select NAME"
                ));
            }
            selection.files
        } else {
            select::files_named(doc, &args.select).map_err(|e| format!("{source}: {e}"))?
        };
        if chosen.len() > 1 && (wanted.out.is_some() || wanted.checksum.is_some()) {
            return Err(format!(
                "{}: -o/out= and --checksum/checksum= name one file, but {} files of the metalink are chosen; pick one with --select NAME",
                wanted.place,
                chosen.len()
            ));
        }
        let mut specs = Vec::new();
        for index in chosen {
            let file = &doc.files[index];
            let urls: Vec<_> = select::ordered_urls(file, &self.prefs.locations)
                .into_iter()
                .cloned()
                .collect();
            if urls.is_empty() {
                return Err(format!(
                    "{source}: '{}' has no mirror Braid can download from ({})",
                    file.name,
                    select::SUPPORTED_SCHEMES.join(", ")
                ));
            }
            // Without a size the file still downloads, as one stream.
            let size = match file.size {
                Some(size) => Some(size),
                None => discover::size_of(&urls).await,
            };
            let mut spec = JobSpec::for_metalink_file(source, file, urls, self.dir(wanted));
            spec.size = size;
            spec.overwrite = args.overwrite;
            if let Some(out) = &wanted.out {
                spec.name = out.clone();
            }
            if let Some(expected) = &wanted.checksum {
                add_expected(&mut spec, expected).map_err(|e| format!("{source}: {e}"))?;
            }
            specs.push(spec);
        }
        Ok(specs)
    }
}

/// The user's digest for a metalink's file: it must agree with the document's.
fn add_expected(spec: &mut JobSpec, expected: &Hash) -> Result<(), String> {
    match spec
        .hashes
        .iter()
        .find(|h| h.algorithm == expected.algorithm)
    {
        Some(theirs) if theirs != expected => {
            return Err(format!(
                "your {} checksum differs from the metalink's; not downloaded",
                expected.algorithm
            ));
        }
        Some(_) => return Ok(()),
        None => spec.hashes.push(expected.clone()),
    }
    if metalink::hash::strongest(&spec.hashes) == Some(expected) {
        spec.provenance.checksum = Some(ChecksumOrigin::User);
    }
    Ok(())
}

async fn remember(memory: &Memory, doc: &Document) {
    if let Err(e) = plain::remember_document(memory, doc).await {
        eprintln!("braid: warning: {e}");
    }
}

/// Says where a plain URL's checksum and mirrors come from.
fn tell(source: &str, found: &plain::PlainFile) {
    if found.conflict.is_some() {
        return;
    }
    // Without one, a zsync control file beside it may still bring one (`unchecked`).
    if let Some((algorithm, origin)) = found.checked_with() {
        eprintln!(
            "braid: {source}: checked against {}",
            describe::checksum(algorithm, origin)
        );
    }
    if let Some(mirrors) = describe::mirror_counts(&found.mirror_counts()) {
        eprintln!("braid: {source}: {mirrors}");
    }
    for note in &found.notes {
        eprintln!("braid: {source}: {note}");
    }
}
