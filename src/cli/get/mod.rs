//! `braid get [OPTIONS] SOURCE...`: download metalinks and plain URLs with the engine,
//! a progress bar per download on a terminal (plain lines otherwise), and a summary.
//! `resolve` turns the sources (and `-i` files, read by `input`) into downloads.

mod input;
mod resolve;
mod reuse;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::cli::describe;
use crate::engine::schedule::{self, TimeOfDay};
use crate::engine::{
    ChecksumOrigin, Command, DownloadId, Engine, Event, JobError, JobSpec, Reused, Settings,
};
use crate::format;
use crate::metalink::Hash;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Metalink files (.meta4, .metalink), metalink URLs, or plain URLs.
    #[arg(required_unless_present = "input_file", value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Read sources from FILE (`-` for standard input), one per line as in aria2's
    /// input files: tab-separated URLs of one file, option lines (`  checksum=`,
    /// `  out=`, `  dir=`) under their source.
    #[arg(short = 'i', long = "input-file", value_name = "FILE")]
    pub input_file: Option<PathBuf>,
    /// Save the one plain URL (or the one chosen file of a metalink) under NAME.
    #[arg(short = 'o', long = "out", value_name = "NAME")]
    pub out: Option<String>,
    /// The digest the one SOURCE must have: TYPE=HEX as aria2 spells it
    /// (sha-256=…, md5=…), TYPE:HEX, or a bare hex digest.
    #[arg(long, value_name = "TYPE=DIGEST", value_parser = checksum_arg)]
    pub checksum: Option<Hash>,
    /// Do not look for checksums published next to plain URLs (SHA256SUMS, …).
    #[arg(long)]
    pub no_checksum_search: bool,
    /// Ask this metalink service (Dynmirror style) for mirrors of plain URLs; repeatable,
    /// added to the ones in the settings.
    #[arg(long = "metalink-service", value_name = "URL")]
    pub metalink_services: Vec<String>,
    /// Directory to download into.
    #[arg(short = 'd', long = "dir", default_value = ".")]
    pub dir: PathBuf,
    /// Download only the file with this name (repeatable); overrides language/OS choice.
    #[arg(long = "select", value_name = "NAME")]
    pub select: Vec<String>,
    /// Preferred language (repeatable, BCP 47, e.g. de-AT); default: the system's.
    #[arg(long = "language", value_name = "TAG")]
    pub languages: Vec<String>,
    /// Operating system to pick files for (e.g. linux-x86_64); default: this one.
    #[arg(long)]
    pub os: Option<String>,
    /// Connections per download over all mirrors.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub max_connections: u16,
    /// Download at most this fast over all downloads, in bytes per second with an
    /// optional K, M or G suffix (powers of 1024), e.g. 500K or 2M; 0 for no limit.
    #[arg(long, value_name = "RATE", value_parser = rate_arg)]
    pub limit_rate: Option<u64>,
    /// Download each file at most this fast (within --limit-rate), e.g. 200K.
    #[arg(long, value_name = "RATE", value_parser = rate_arg)]
    pub limit_each: Option<u64>,
    /// Download the files of one SOURCE at most this fast, e.g. big.meta4=200K
    /// (repeatable; SOURCE as given on the command line).
    #[arg(long, value_name = "SOURCE=RATE", value_parser = source_rate_arg)]
    pub limit_source: Vec<(String, u64)>,
    /// Downloads that run at once; the rest wait their turn, in the order given.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=20))]
    pub max_active: u16,
    /// Start at this local time (HH:MM, today or else tomorrow) instead of now.
    #[arg(long, value_name = "HH:MM", value_parser = time_arg)]
    pub start_at: Option<TimeOfDay>,
    /// Replace files that already exist.
    #[arg(long)]
    pub overwrite: bool,
    /// Reuse what an older copy holds (repeatable): with a zsync control file (the
    /// SOURCE, or `URL.zsync` beside the file) its blocks are found wherever they moved;
    /// with a metalink's piece hashes, where they are. Only the rest is fetched.
    #[arg(long = "seed", value_name = "OLDFILE")]
    pub seeds: Vec<PathBuf>,
    /// Repair FILE from SOURCE: its pieces that check out are kept, the bad or missing
    /// ones fetched, and FILE is replaced only once the result is verified whole.
    #[arg(long, value_name = "FILE", conflicts_with = "seeds")]
    pub repair: Option<PathBuf>,
    /// Do not look for an older copy of the file in the download folder.
    #[arg(long)]
    pub no_seed: bool,
    /// Fail unless a good OpenPGP signature by a key in your keyring (`braid keys`)
    /// vouches for each file; without it an unknown key is only said.
    #[arg(long)]
    pub require_signature: bool,
}

pub fn run(args: &Args) -> i32 {
    if let Some((source, _)) = args
        .limit_source
        .iter()
        .find(|(source, _)| !args.sources.contains(source))
    {
        eprintln!("braid: --limit-source {source}=…: {source} is not one of the sources given");
        return 2;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for resolving sources");
    let specs = match runtime.block_on(resolve::resolve_all(args)) {
        Ok(specs) => specs,
        Err(message) => {
            eprintln!("braid: {message}");
            return 2;
        }
    };
    let start_at = args.start_at.map(schedule::next_local);
    let mut specs: Vec<JobSpec> = specs
        .into_iter()
        .map(|mut spec| {
            let own = args
                .limit_source
                .iter()
                .rev()
                .find(|(source, _)| *source == spec.source)
                .map(|(_, rate)| *rate)
                .or(args.limit_each);
            spec.rate_limit = own.filter(|&rate| rate > 0);
            spec.start_at = start_at;
            spec
        })
        .collect();
    let config = crate::config::Config::load(&crate::config::Config::path()).0;
    let keys = config.key_sources();
    let required = args.require_signature || config.require_signature;
    if let Err(message) = signatures_first(&mut specs, &keys, required) {
        eprintln!("braid: {message}");
        return 2;
    }
    let settings = Settings {
        max_active: usize::from(args.max_active),
        max_connections: usize::from(args.max_connections),
        rate_limit: args.limit_rate.filter(|&rate| rate > 0),
        ..Settings::default()
    };
    let (engine, mut events) = Engine::start(settings);
    engine.send(Command::SetKeys(keys));
    let mut names = HashMap::new();
    let mut checked = HashMap::new();
    let mut learning = Learning::default();
    for spec in specs {
        let name = spec.name.clone();
        let origin = spec.provenance.checksum.clone();
        let kept = spec.clone();
        let id = engine.add(spec);
        names.insert(id, name);
        checked.extend(origin.map(|o| (id, o)));
        learning.specs.insert(id, kept);
    }
    let interrupted = runtime.block_on(async {
        let mut display = Display::new(&names, checked);
        let mut outstanding = names.len();
        let mut interrupted = false;
        let mut ok = 0;
        // Made once, so a signal between two events is not missed.
        let interrupt = interruption();
        tokio::pin!(interrupt);
        loop {
            tokio::select! {
                event = events.recv() => {
                    let Some(event) = event else { break };
                    if let Some(warning) = learning.follow(&event).await {
                        display.note(&format!("braid: warning: {warning}"));
                    }
                    match &event {
                        Event::Finished { .. } => { ok += 1; outstanding -= 1; }
                        Event::Failed { .. } | Event::Paused(_) | Event::Removed(_) => outstanding -= 1,
                        _ => {}
                    }
                    display.show(&event);
                    if matches!(event, Event::ShutDown) || outstanding == 0 {
                        break;
                    }
                }
                _ = &mut interrupt, if !interrupted => {
                    interrupted = true;
                    display.note("interrupted: pausing and saving; run the same command again to resume");
                    engine.send(Command::Shutdown);
                }
            }
        }
        display.summary(ok, names.len());
        interrupted || ok != names.len()
    });
    drop(engine);
    i32::from(interrupted)
}

/// What the downloads prove, for Braid's mirror memory: each one's spec and its
/// mirrors' last state; a verified one teaches the memory where its file is.
#[derive(Default)]
struct Learning {
    specs: HashMap<DownloadId, JobSpec>,
    mirrors: HashMap<DownloadId, Vec<crate::engine::MirrorStatus>>,
}

impl Learning {
    /// Follows one event; a warning when the memory could not be taught.
    async fn follow(&mut self, event: &Event) -> Option<String> {
        match event {
            Event::Progress { id, progress } => {
                self.mirrors.insert(*id, progress.mirrors.clone());
                None
            }
            Event::Finished {
                id,
                verified: Some(_),
                ..
            } => {
                let spec = self.specs.remove(id)?;
                let mirrors = self.mirrors.remove(id).unwrap_or_default();
                let sighting = crate::discover::plain::verified_sighting(&spec, &mirrors)?;
                let memory = crate::discover::memory::Memory::in_data_dir();
                crate::discover::plain::teach_verified(&memory, sighting)
                    .await
                    .err()
                    .map(|e| format!("the mirror memory: {e}"))
            }
            _ => None,
        }
    }
}

/// `--checksum`: a digest as users write it.
fn checksum_arg(text: &str) -> Result<Hash, String> {
    crate::discover::expected::parse(text).map_err(|e| e.to_string())
}

/// `--limit-rate`: bytes per second, 0 for no limit.
fn rate_arg(text: &str) -> Result<u64, String> {
    match crate::engine::parse_rate(text) {
        Ok(rate) => Ok(rate.unwrap_or(0)),
        Err(e) => Err(format!("{e}; 0 for no limit")),
    }
}

/// `--limit-source SOURCE=RATE`: the rate after the last `=`, so URLs with queries work.
fn source_rate_arg(text: &str) -> Result<(String, u64), String> {
    let (source, rate) = text
        .rsplit_once('=')
        .ok_or_else(|| format!("'{text}' is not SOURCE=RATE, e.g. big.meta4=200K"))?;
    Ok((source.to_owned(), rate_arg(rate)?))
}

/// `--start-at HH:MM`.
fn time_arg(text: &str) -> Result<TimeOfDay, String> {
    TimeOfDay::parse(text).map_err(|e| e.to_string())
}

/// Ctrl+C, or SIGTERM (a logout, `kill`, a service manager): both pause and save.
async fn interruption() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// "3.9 GiB of 4.0 GiB reused, 12 pieces fetched (96.0 MiB)".
fn reuse_line(reused: &Reused, size: Option<u64>) -> String {
    let of = size.map_or(String::new(), |s| format!(" of {}", format::bytes(s)));
    let fetched = size.map_or(String::new(), |s| {
        format!(" ({})", format::bytes(s.saturating_sub(reused.bytes)))
    });
    format!(
        "{}{of} reused, {}{fetched}",
        format::bytes(reused.bytes),
        count(reused.fetched, "piece fetched", "pieces fetched")
    )
}

/// "1 connection", "3 connections".
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// What can be told about the signatures before anything is downloaded: a signed
/// checksum file that is BAD, or (with `required`) a download that cannot prove its
/// publisher (no signature, a key not in the keyring), stops `braid get` at once.
fn signatures_first(
    specs: &mut [JobSpec],
    keys: &crate::signature::KeySources,
    required: bool,
) -> Result<(), String> {
    if specs.iter().all(|s| s.signatures.found.is_empty()) && !required {
        return Ok(());
    }
    let (keyring, _) = keys.load();
    for spec in specs {
        spec.signatures.required |= required;
        let preview = crate::signature::check_before_download(
            &spec.signatures.found,
            spec.strongest_hash(),
            &keyring,
            std::time::SystemTime::now(),
        );
        let decisive = preview.decisive();
        if preview.is_bad() {
            let line = decisive.map(crate::words::signature).unwrap_or_default();
            return Err(format!("{}: {line}; not downloaded", spec.name));
        }
        if spec.signatures.required && !preview.may_prove_publisher() {
            return Err(format!(
                "{}: {}; not downloaded",
                spec.name,
                crate::words::required(decisive.map(|_| &preview))
            ));
        }
    }
    Ok(())
}

/// Why a download failed, in the CLI's words; `checked`: where its checksum came from.
fn failure(error: &JobError, checked: Option<&ChecksumOrigin>) -> String {
    if let (JobError::HashMismatch { algorithm }, Some(origin)) = (error, checked) {
        return format!(
            "the downloaded file does not match the {}; it was discarded",
            describe::checksum(*algorithm, origin)
        );
    }
    match error {
        JobError::FileExists(path) => {
            format!(
                "{} exists; use --overwrite to replace it, or --repair {} to keep what of it checks out",
                path.display(),
                path.display()
            )
        }
        JobError::SignatureBad { verdict } => format!(
            "{}; the file was discarded",
            crate::words::verdict(verdict)
                .map(|(line, _)| line)
                .unwrap_or_default()
        ),
        JobError::SignatureRequired { verdict } => format!(
            "{}; import the key (braid keys import) and run again",
            crate::words::required(verdict.as_ref())
        ),
        other => other.to_string(),
    }
}

/// Progress bars on a terminal, plain lines otherwise.
struct Display {
    bars: Option<(MultiProgress, HashMap<DownloadId, ProgressBar>)>,
    names: HashMap<DownloadId, String>,
    /// Where each download's checksum came from.
    checked: HashMap<DownloadId, ChecksumOrigin>,
    sizes: HashMap<DownloadId, Option<u64>>,
    last_line: HashMap<DownloadId, Instant>,
}

impl Display {
    fn new(
        names: &HashMap<DownloadId, String>,
        checked: HashMap<DownloadId, ChecksumOrigin>,
    ) -> Self {
        let bars = std::io::stderr().is_terminal().then(|| {
            let multi = MultiProgress::new();
            let style = ProgressStyle::with_template(
                "{msg:30!} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .expect("a valid template")
            .progress_chars("=> ");
            let mut ids: Vec<_> = names.keys().copied().collect();
            ids.sort();
            let bars = ids
                .into_iter()
                .map(|id| {
                    let bar = multi.add(ProgressBar::new(0).with_style(style.clone()));
                    bar.set_message(names[&id].clone());
                    (id, bar)
                })
                .collect();
            (multi, bars)
        });
        Display {
            bars,
            names: names.clone(),
            checked,
            sizes: HashMap::new(),
            last_line: HashMap::new(),
        }
    }

    fn name(&self, id: DownloadId) -> &str {
        self.names.get(&id).map_or("?", String::as_str)
    }

    fn note(&self, message: &str) {
        match &self.bars {
            Some((multi, _)) => {
                let _ = multi.println(message);
            }
            None => eprintln!("{message}"),
        }
    }

    fn show(&mut self, event: &Event) {
        match event {
            Event::Added { id, size, .. } => {
                self.sizes.insert(*id, *size);
            }
            Event::Checking { id, checking } => self.checking(*id, checking),
            Event::Progress { id, progress } => match &mut self.bars {
                Some((_, bars)) => {
                    if let Some(bar) = bars.get(id) {
                        bar.set_message(self.names[id].clone());
                        bar.set_length(progress.size.unwrap_or(progress.done));
                        bar.set_position(progress.done);
                    }
                }
                None => {
                    let due = self
                        .last_line
                        .get(id)
                        .is_none_or(|t| t.elapsed() >= Duration::from_secs(5));
                    if due {
                        self.last_line.insert(*id, Instant::now());
                        eprintln!(
                            "{}: {} of {} ({}/s, {})",
                            self.name(*id),
                            format::bytes(progress.done),
                            progress.size.map_or("?".to_owned(), format::bytes),
                            format::bytes(progress.speed as u64),
                            count(progress.connections, "connection", "connections")
                        );
                    }
                }
            },
            Event::MirrorTrouble { id, url, trouble } => {
                let url = format::url(url);
                self.note(&format!("{}: {url}: {trouble}", self.name(*id)));
            }
            Event::Finished {
                id,
                path,
                verified,
                repaired,
                reused,
                signature,
            } => {
                let check = match (verified, self.checked.get(id)) {
                    (Some(algorithm), Some(origin)) => {
                        format!("verified with {}", describe::checksum(*algorithm, origin))
                    }
                    (Some(algorithm), None) => format!("verified with {algorithm}"),
                    // A good signature over the file itself checks every byte of it.
                    (None, _) if signature.as_ref().is_some_and(|v| v.proves_publisher()) => {
                        "no checksum was found, checked by its signature".to_owned()
                    }
                    (None, _) => "not verified: no checksum was found for it".to_owned(),
                };
                let mut repairs = if *repaired > 0 {
                    format!(
                        ", {} re-fetched",
                        count(*repaired, "bad piece", "bad pieces")
                    )
                } else {
                    String::new()
                };
                if let Some(reused) = reused {
                    let size = self.sizes.get(id).copied().flatten();
                    repairs.push_str(&format!("; {}", reuse_line(reused, size)));
                }
                if let Some((_, bars)) = &self.bars
                    && let Some(bar) = bars.get(id)
                {
                    bar.finish();
                }
                self.note(&format!(
                    "{}: done, {check}{repairs} → {}",
                    self.name(*id),
                    path.display()
                ));
                if let Some((line, warnings)) = signature.as_ref().and_then(crate::words::verdict) {
                    self.note(&format!("{}: {line}", self.name(*id)));
                    for warning in warnings {
                        self.note(&format!("{}: {warning}", self.name(*id)));
                    }
                }
            }
            Event::Failed { id, error } => {
                if let Some((_, bars)) = &self.bars
                    && let Some(bar) = bars.get(id)
                {
                    bar.abandon();
                }
                let why = failure(error, self.checked.get(id));
                self.note(&format!("{}: failed: {why}", self.name(*id)));
            }
            Event::Paused(id) => self.note(&format!("{}: paused; progress saved", self.name(*id))),
            Event::Waiting { id, until } => self.note(&format!(
                "{}: waits until {}",
                self.name(*id),
                schedule::local_text(*until)
            )),
            _ => {}
        }
    }

    /// Where the check of a file on disk stands.
    fn checking(&mut self, id: DownloadId, checking: &crate::engine::Checking) {
        let file = checking.path.file_name().map_or_else(
            || checking.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        match &mut self.bars {
            Some((_, bars)) => {
                if let Some(bar) = bars.get(&id) {
                    bar.set_message(format!("{} (checking {file})", self.names[&id]));
                    bar.set_length(checking.total);
                    bar.set_position(checking.done);
                }
            }
            None => {
                let due = self
                    .last_line
                    .get(&id)
                    .is_none_or(|t| t.elapsed() >= Duration::from_secs(5));
                if due || checking.done == checking.total {
                    self.last_line.insert(id, Instant::now());
                    eprintln!(
                        "{}: checking {}: {} of {}, {} reusable",
                        self.name(id),
                        checking.path.display(),
                        format::bytes(checking.done),
                        format::bytes(checking.total),
                        format::bytes(checking.found)
                    );
                }
            }
        }
    }

    fn summary(&self, ok: usize, total: usize) {
        // Only downloads with a hash are verified; each line above says which.
        let noun = if total == 1 { "download" } else { "downloads" };
        self.note(&format!("{ok} of {total} {noun} complete"));
    }
}
