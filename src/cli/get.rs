//! `braid get [OPTIONS] SOURCE...`: download metalinks and plain URLs with the engine,
//! a progress bar per download on a terminal (plain lines otherwise), and a summary.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use super::format;
use crate::engine::{Command, DownloadId, Engine, Event, JobSpec, Settings};
use crate::metalink::select::{self, Preferences};
use crate::metalink::{self, Document};

/// Largest metalink fetched over HTTP (the parser's own limit).
const MAX_METALINK_BYTES: usize = 32 * 1024 * 1024;

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
                _ = tokio::signal::ctrl_c(), if !interrupted => {
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

async fn resolve_all(args: &Args) -> Result<Vec<JobSpec>, String> {
    let client = crate::engine::http::client();
    let mut prefs = Preferences::from_system();
    if !args.languages.is_empty() {
        prefs.languages = args.languages.clone();
    }
    if let Some(os) = &args.os {
        prefs.os = Some(os.clone());
    }
    let mut specs = Vec::new();
    for source in &args.sources {
        specs.extend(resolve(&client, source, args, &prefs).await?);
    }
    Ok(specs)
}

/// Turns one SOURCE into the downloads it stands for.
async fn resolve(
    client: &reqwest::Client,
    source: &str,
    args: &Args,
    prefs: &Preferences,
) -> Result<Vec<JobSpec>, String> {
    let path = std::path::Path::new(source);
    if path.exists() {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {source}: {e}"))?;
        let parsed = metalink::parse(&bytes).map_err(|e| format!("{source}: {e}"))?;
        return from_document(client, source, &parsed.document, args, prefs).await;
    }
    let url =
        url::Url::parse(source).map_err(|_| format!("{source}: no such file, and not a URL"))?;
    if !select::is_supported(url.as_str()) {
        return Err(format!("{source}: only http and https URLs are supported"));
    }
    let response = probe(client, url.as_str())
        .header(
            reqwest::header::ACCEPT,
            format!(
                "{}, {}, */*;q=0.1",
                metalink::MEDIA_TYPE_V4,
                metalink::MEDIA_TYPE_V3
            ),
        )
        .send()
        .await
        .map_err(|e| format!("{source}: {}", crate::engine::http::describe(&e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("{source}: HTTP {status}"));
    }
    let final_url = response.url().clone();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let is_metalink = content_type.starts_with(metalink::MEDIA_TYPE_V4)
        || content_type.starts_with(metalink::MEDIA_TYPE_V3)
        || final_url.path().ends_with(".meta4")
        || final_url.path().ends_with(".metalink");
    if is_metalink {
        // Metalinks are small; fetch the whole document without a range.
        let body = client
            .get(final_url.clone())
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| format!("{source}: {}", crate::engine::http::describe(&e)))?
            .bytes()
            .await
            .map_err(|e| format!("{source}: {}", crate::engine::http::describe(&e)))?;
        if body.len() > MAX_METALINK_BYTES {
            return Err(format!(
                "{source}: the metalink is larger than {MAX_METALINK_BYTES} bytes"
            ));
        }
        let parsed = metalink::parse_with_base(&body, Some(&final_url))
            .map_err(|e| format!("{source}: {e}"))?;
        return from_document(client, source, &parsed.document, args, prefs).await;
    }
    let size = size_from(&response)
        .ok_or_else(|| format!("{source}: the server does not say how large the file is"))?;
    let name = name_from_url(&final_url);
    Ok(vec![JobSpec {
        source: source.to_owned(),
        name,
        dir: args.dir.clone(),
        size,
        hashes: Vec::new(),
        pieces: None,
        urls: vec![metalink::MirrorUrl {
            url: final_url.into(),
            priority: 1,
            location: None,
            max_connections: None,
        }],
        overwrite: args.overwrite,
    }])
}

/// A request for the first byte only: it tells the size (and whether Range works)
/// without downloading the file.
fn probe(client: &reqwest::Client, url: &str) -> reqwest::RequestBuilder {
    client
        .get(url)
        .header(reqwest::header::RANGE, "bytes=0-0")
        .header(reqwest::header::ACCEPT_ENCODING, "identity")
}

/// The file's size from a probe: the total of a 206's Content-Range, or a 200's length.
fn size_from(response: &reqwest::Response) -> Option<u64> {
    if response.status() == reqwest::StatusCode::PARTIAL_CONTENT {
        let range = response
            .headers()
            .get(reqwest::header::CONTENT_RANGE)?
            .to_str()
            .ok()?;
        return crate::engine::http::parse_content_range(range)?.2;
    }
    response.content_length()
}

/// The last path segment, decoded, if it is a safe file name; else `download`.
fn name_from_url(url: &url::Url) -> String {
    let segment = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("");
    let decoded: String = url::form_urlencoded::parse(segment.as_bytes())
        .map(|(k, v)| {
            if v.is_empty() {
                k.into_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect();
    if !decoded.contains('/') && metalink::names::check(&decoded).is_ok() {
        decoded
    } else {
        "download".to_owned()
    }
}

async fn from_document(
    client: &reqwest::Client,
    source: &str,
    doc: &Document,
    args: &Args,
    prefs: &Preferences,
) -> Result<Vec<JobSpec>, String> {
    let chosen = if args.select.is_empty() {
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
        let size = match file.size {
            Some(size) => size,
            None => probe_size(client, &urls).await.ok_or_else(|| {
                format!(
                    "{source}: '{}' has no size, and no mirror told it",
                    file.name
                )
            })?,
        };
        specs.push(JobSpec {
            source: source.to_owned(),
            name: file.name.clone(),
            dir: args.dir.clone(),
            size,
            hashes: file.hashes.clone(),
            pieces: file.preferred_pieces().cloned(),
            urls,
            overwrite: args.overwrite,
        });
    }
    Ok(specs)
}

async fn probe_size(client: &reqwest::Client, urls: &[metalink::MirrorUrl]) -> Option<u64> {
    for url in urls.iter().take(3) {
        let response = probe(client, &url.url).send().await;
        if let Ok(response) = response
            && response.status().is_success()
            && let Some(size) = size_from(&response)
        {
            return Some(size);
        }
    }
    None
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
                        bar.set_length(progress.size);
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
                            format::bytes(progress.size),
                            format::bytes(progress.speed as u64),
                            progress.connections
                        );
                    }
                }
            },
            Event::MirrorTrouble { id, url, message } => {
                self.note(&format!("{}: {url}: {message}", self.name(*id)));
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
                self.note(&format!("{}: failed: {error}", self.name(*id)));
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
