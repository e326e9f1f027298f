//! `braid get [OPTIONS] SOURCE...`: download metalinks and plain URLs with the engine,
//! a progress bar per download on a terminal (plain lines otherwise), and a summary.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::discover::{self, Probed};
use crate::engine::{Command, DownloadId, Engine, Event, JobError, JobSpec, Settings};
use crate::format;
use crate::metalink::select::{self, Preferences};
use crate::metalink::{self, Document};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Metalink files (.meta4, .metalink), metalink URLs, or plain URLs.
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<String>,
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
    /// Replace files that already exist.
    #[arg(long)]
    pub overwrite: bool,
}

pub fn run(args: &Args) -> i32 {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for resolving sources");
    let specs = match runtime.block_on(resolve_all(args)) {
        Ok(specs) => specs,
        Err(message) => {
            eprintln!("braid: {message}");
            return 2;
        }
    };
    let settings = Settings {
        max_connections: usize::from(args.max_connections),
        rate_limit: args.limit_rate.filter(|&rate| rate > 0),
        ..Settings::default()
    };
    let (engine, mut events) = Engine::start(settings);
    let mut names = HashMap::new();
    for spec in specs {
        let name = spec.name.clone();
        let id = engine.add(spec);
        names.insert(id, name);
    }
    let interrupted = runtime.block_on(async {
        let mut display = Display::new(&names);
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

/// `--limit-rate`: bytes per second, 0 for no limit.
fn rate_arg(text: &str) -> Result<u64, String> {
    match crate::engine::parse_rate(text) {
        Ok(rate) => Ok(rate.unwrap_or(0)),
        Err(e) => Err(format!("{e}; 0 for no limit")),
    }
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

async fn resolve_all(args: &Args) -> Result<Vec<JobSpec>, String> {
    let probe_client = discover::client();
    let mut prefs = Preferences::from_system();
    if !args.languages.is_empty() {
        prefs.languages = args.languages.clone();
    }
    if let Some(os) = &args.os {
        prefs.os = Some(os.clone());
    }
    let mut specs = Vec::new();
    for source in &args.sources {
        specs.extend(resolve(&probe_client, source, args, &prefs).await?);
    }
    Ok(specs)
}

/// Turns one SOURCE into the downloads it stands for.
async fn resolve(
    probe_client: &reqwest::Client,
    source: &str,
    args: &Args,
    prefs: &Preferences,
) -> Result<Vec<JobSpec>, String> {
    let path = std::path::Path::new(source);
    if path.exists() {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {source}: {e}"))?;
        let parsed = metalink::parse(&bytes).map_err(|e| format!("{source}: {e}"))?;
        return from_document(source, &parsed.document, args, prefs, None).await;
    }
    let url =
        url::Url::parse(source).map_err(|_| format!("{source}: no such file, and not a URL"))?;
    if !select::is_supported(url.as_str()) {
        return Err(format!("{source}: only http and https URLs are supported"));
    }
    let probed = discover::probe(probe_client, &url)
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
            from_document(source, &found.parsed.document, args, prefs, described).await
        }
        Probed::File(file) => {
            for note in &file.notes {
                eprintln!("braid: {source}: {note}");
            }
            if file.urls.len() > 1 {
                eprintln!(
                    "braid: {source}: the server names {} more mirror(s)",
                    file.urls.len() - 1
                );
            }
            let mut spec = file.into_spec(source, args.dir.clone());
            spec.overwrite = args.overwrite;
            Ok(vec![spec])
        }
    }
}

async fn from_document(
    source: &str,
    doc: &Document,
    args: &Args,
    prefs: &Preferences,
    described: Option<&str>,
) -> Result<Vec<JobSpec>, String> {
    let described = described.filter(|name| doc.files.iter().any(|f| f.name == *name));
    let chosen = if let (true, Some(name)) = (args.select.is_empty(), described) {
        // A metalink found through a file URL's Link header: that file is the one asked for.
        select::files_named(doc, &[name.to_owned()]).map_err(|e| format!("{source}: {e}"))?
    } else if args.select.is_empty() {
        let selection = select::choose_files(doc, prefs);
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
    let mut specs = Vec::new();
    for index in chosen {
        let file = &doc.files[index];
        let urls: Vec<_> = select::ordered_urls(file, &prefs.locations)
            .into_iter()
            .cloned()
            .collect();
        if urls.is_empty() {
            return Err(format!(
                "{source}: '{}' has no http or https mirror",
                file.name
            ));
        }
        // Without a size the file still downloads, as one stream.
        let size = match file.size {
            Some(size) => Some(size),
            None => discover::size_of(&urls).await,
        };
        let mut spec = JobSpec::for_metalink_file(source, file, urls, args.dir.clone());
        spec.size = size;
        spec.overwrite = args.overwrite;
        specs.push(spec);
    }
    Ok(specs)
}

/// Why a download failed, in the CLI's words.
fn failure(error: &JobError) -> String {
    match error {
        JobError::FileExists(path) => {
            format!("{} exists; use --overwrite to replace it", path.display())
        }
        other => other.to_string(),
    }
}

/// Progress bars on a terminal, plain lines otherwise.
struct Display {
    bars: Option<(MultiProgress, HashMap<DownloadId, ProgressBar>)>,
    names: HashMap<DownloadId, String>,
    last_line: HashMap<DownloadId, Instant>,
}

impl Display {
    fn new(names: &HashMap<DownloadId, String>) -> Self {
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
            Event::Progress { id, progress } => match &mut self.bars {
                Some((_, bars)) => {
                    if let Some(bar) = bars.get(id) {
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
                            "{}: {} of {} ({}/s, {} connections)",
                            self.name(*id),
                            format::bytes(progress.done),
                            progress.size.map_or("?".to_owned(), format::bytes),
                            format::bytes(progress.speed as u64),
                            progress.connections
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
            } => {
                let check = verified
                    .as_ref()
                    .map_or("not verified: the source has no hash".to_owned(), |h| {
                        format!("verified with {h}")
                    });
                let repairs = if *repaired > 0 {
                    format!(", {repaired} bad piece(s) re-fetched")
                } else {
                    String::new()
                };
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
            }
            Event::Failed { id, error } => {
                if let Some((_, bars)) = &self.bars
                    && let Some(bar) = bars.get(id)
                {
                    bar.abandon();
                }
                self.note(&format!("{}: failed: {}", self.name(*id), failure(error)));
            }
            Event::Paused(id) => self.note(&format!("{}: paused; progress saved", self.name(*id))),
            _ => {}
        }
    }

    fn summary(&self, ok: usize, total: usize) {
        // Only downloads with a hash are verified; each line above says which.
        self.note(&format!("{ok} of {total} download(s) complete"));
    }
}
