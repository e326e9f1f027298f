//! Reusing what is on disk (`--repair FILE`, `--seed OLDFILE`, an older copy found in
//! the download folder) and downloads described by zsync control files.

use std::path::PathBuf;

use super::Args;
use crate::discover::{self, Probed};
use crate::engine::{JobSpec, ReuseFrom, ReuseKind};
use crate::metalink::select::{self, Preferences};

/// Applies `--repair` or the seeds to the resolved downloads.
pub(super) async fn apply(
    client: &reqwest::Client,
    args: &Args,
    specs: Vec<JobSpec>,
) -> Result<Vec<JobSpec>, String> {
    if let Some(file) = &args.repair {
        let [source] = &args.sources[..] else {
            return Err("--repair takes one SOURCE to repair the file from".to_owned());
        };
        return Ok(vec![repair(client, file, source, specs).await?]);
    }
    for seed in &args.seeds {
        if !seed.is_file() {
            return Err(format!("--seed {}: no such file", seed.display()));
        }
    }
    let mut out = Vec::new();
    for mut spec in specs {
        reuse_seeds(client, &mut spec, args).await?;
        out.push(spec);
    }
    Ok(out)
}

/// `--repair FILE SOURCE`: the download of SOURCE's file that replaces FILE, starting
/// from FILE's good pieces.
async fn repair(
    client: &reqwest::Client,
    file: &std::path::Path,
    source: &str,
    specs: Vec<JobSpec>,
) -> Result<JobSpec, String> {
    let meta = std::fs::metadata(file).map_err(|e| format!("--repair {}: {e}", file.display()))?;
    let file_name = file
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("--repair {}: not a file name", file.display()))?
        .to_owned();
    let last = |name: &str| name.rsplit('/').next().unwrap_or(name).to_owned();
    let mut spec = match specs.len() {
        1 => specs.into_iter().next(),
        _ => {
            let names: Vec<String> = specs.iter().map(|s| s.name.clone()).collect();
            let found = specs
                .iter()
                .position(|s| last(&s.name) == file_name)
                .or_else(|| specs.iter().position(|s| s.size == Some(meta.len())));
            match found {
                Some(index) => specs.into_iter().nth(index),
                None => {
                    return Err(format!(
                        "{source}: none of its files ({}) is {file_name}; choose one with --select NAME",
                        names.join(", ")
                    ));
                }
            }
        }
    }
    .ok_or_else(|| format!("{source}: no file to repair {file_name} from"))?;
    if spec.blocks.is_none()
        && spec.piece_checks().is_none()
        && let Some(found) = discover::zsync::beside(client, &spec.urls, spec.size).await
    {
        eprintln!("braid: {source}: using the zsync control file beside it for piece checks");
        found.attach_to(&mut spec);
    }
    if spec.piece_checks().is_none() {
        // The command that downloads it again whole, into the same file.
        let dir = file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or(String::new(), |p| format!(" -d {}", p.display()));
        let out = if last(&spec.name) == file_name {
            String::new()
        } else {
            format!(" -o {file_name}")
        };
        return Err(format!(
            "{source}: no piece hashes for {}, so {file_name} cannot be checked piece by piece; \
             `braid get --overwrite{dir}{out} {source}` downloads it again whole",
            spec.name
        ));
    }
    spec.dir = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    spec.name = file_name;
    spec.overwrite = true;
    spec.reuse = vec![ReuseFrom {
        path: file.to_path_buf(),
        kind: ReuseKind::Damaged,
    }];
    Ok(spec)
}

/// `--seed OLDFILE`, or an older copy found in the download folder: data the download
/// may take instead of fetching it, with a zsync control file found beside the file's
/// URL when the source brought none.
async fn reuse_seeds(
    client: &reqwest::Client,
    spec: &mut JobSpec,
    args: &Args,
) -> Result<(), String> {
    let seeds: Vec<PathBuf> = if !args.seeds.is_empty() {
        args.seeds.clone()
    } else if args.no_seed {
        return Ok(());
    } else {
        let found = discover::older::older_copies(&spec.dir, &spec.name);
        if found.is_empty() {
            return Ok(());
        }
        found.into_iter().take(1).collect()
    };
    let explicit = !args.seeds.is_empty();
    if spec.blocks.is_none()
        && let Some(found) = discover::zsync::beside(client, &spec.urls, spec.size).await
        && found.attach_to(spec)
    {
        eprintln!("braid: {}: found a zsync control file beside it", spec.name);
    }
    let rolling = spec.blocks.is_some() && spec.piece_checks().is_some();
    let usable = rolling || (explicit && spec.piece_checks().is_some());
    if !usable {
        if explicit {
            return Err(format!(
                "{}: neither piece hashes nor a zsync control file, so an older copy cannot \
                 be checked; drop --seed to download it whole",
                spec.name
            ));
        }
        // An older copy found by name is only worth it with blocks to find in it.
        return Ok(());
    }
    let target = spec.dir.join(&spec.name);
    for seed in seeds {
        if !explicit {
            eprintln!(
                "braid: {}: reusing what matches in {} (an older copy; --no-seed fetches everything)",
                spec.name,
                seed.display()
            );
        }
        if same_file(&seed, &target) {
            // Updating a file in place: it is replaced once the new one is verified.
            spec.overwrite = true;
        }
        spec.reuse.push(ReuseFrom {
            path: seed,
            kind: ReuseKind::Seed,
        });
    }
    Ok(())
}

fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A download described by a zsync control file. Its first URL is probed too: a
/// MirrorBrain or MirrorCache server names more mirrors there (RFC 6249), or offers the
/// file's metalink, and those mirrors fetch missing blocks alongside the control file's.
pub(super) async fn from_control(
    probe_client: &reqwest::Client,
    source: &str,
    found: discover::zsync::FoundControl,
    dir: PathBuf,
    args: &Args,
) -> Result<Vec<JobSpec>, String> {
    for warning in &found.control.warnings {
        eprintln!("braid: {source}: {warning}");
    }
    let mut spec = found.into_spec(source, dir).map_err(|e| e.to_string())?;
    spec.overwrite = args.overwrite;
    let first = url::Url::parse(&spec.urls[0].url).map_err(|e| e.to_string())?;
    let mirrors: Vec<crate::metalink::MirrorUrl> = match discover::probe(probe_client, &first).await
    {
        Ok(Probed::File(file)) if file.size.is_none_or(|s| Some(s) == spec.size) => file.urls,
        Ok(Probed::Metalink(found)) => found
            .parsed
            .document
            .files
            .iter()
            .filter(|f| f.size.is_none_or(|s| Some(s) == spec.size))
            .find(|f| f.name.rsplit('/').next() == Some(spec.name.as_str()))
            .map(|f| {
                for hash in &f.hashes {
                    if !spec.hashes.iter().any(|h| h.algorithm == hash.algorithm) {
                        spec.hashes.push(hash.clone());
                    }
                }
                select::ordered_urls(f, &Preferences::from_system().locations)
                    .into_iter()
                    .cloned()
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let before = spec.urls.len();
    for mirror in mirrors {
        if !spec.urls.iter().any(|u| u.url == mirror.url) {
            spec.urls.push(mirror);
        }
    }
    if spec.urls.len() > before {
        eprintln!(
            "braid: {source}: {} more mirror(s) from the file's server",
            spec.urls.len() - before
        );
    }
    Ok(vec![spec])
}
