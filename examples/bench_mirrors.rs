//! Loopback mirrors for the benchmarks in `bench/`: serves one generated file from
//! several 127.0.0.x hosts with server-wide caps and faults, writes a metalink for it,
//! and keeps a JSON file of bytes sent per mirror up to date.
//!
//! cargo run --release --example bench_mirrors -- --size 256M --piece 1M \
//!     --mirror 127.0.0.2:8002,rate=40M --mirror 127.0.0.3:8003,rate=20M \
//!     --metalink /tmp/b.meta4 --stats /tmp/stats.json
//!
//! Rates are in MB/s (10^6 bytes, as the benchmark targets are stated); sizes take
//! K, M, G as powers of 1024.
//!
//! `--files N` serves N small files (4–64 KiB) at `/files/f-NNN.bin` instead, in one
//! metalink; `--url URL` (no `--mirror`) only writes the file (`--write-file`) and a
//! metalink listing the given URLs, for another server to serve.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use braid::loopback::{Faults, LoopbackMirror, metalink_for, payload};
use clap::Parser;

#[derive(Parser)]
struct Args {
    /// File size (e.g. 256M).
    #[arg(long, value_parser = size)]
    size: u64,
    /// Piece length for the metalink's piece hashes; 0 for none.
    #[arg(long, value_parser = size, default_value = "1M")]
    piece: u64,
    /// HOST:PORT[,rate=MB/s][,corrupt=START-END][,drop=BYTES][,trickle=SECONDS per byte]
    /// [,gzip=yes]; repeatable.
    #[arg(long = "mirror")]
    mirrors: Vec<String>,
    /// Serve this many small files instead of one (`--size` is then ignored).
    #[arg(long, default_value_t = 0)]
    files: usize,
    /// With no `--mirror`: URLs for the metalink, served by something else.
    #[arg(long = "url")]
    urls: Vec<String>,
    /// Where to write the metalink (the file is named bench.bin).
    #[arg(long)]
    metalink: Option<std::path::PathBuf>,
    /// Where to keep `{"sent": [bytes per mirror], "requests": [...]}`.
    #[arg(long)]
    stats: Option<std::path::PathBuf>,
    /// Also write the file itself here, for comparison.
    #[arg(long)]
    write_file: Option<std::path::PathBuf>,
}

fn size(text: &str) -> Result<u64, String> {
    braid::engine::parse_rate(text)
        .map(|s| s.unwrap_or(0))
        .map_err(|e| e.to_string())
}

fn mirror_spec(spec: &str) -> Result<(SocketAddr, Faults), String> {
    let mut parts = spec.split(',');
    let addr = parts
        .next()
        .unwrap_or("")
        .parse()
        .map_err(|e| format!("{spec}: {e}"))?;
    let mut faults = Faults::default();
    for part in parts {
        let (key, value) = part.split_once('=').ok_or(format!("{spec}: '{part}'"))?;
        match key {
            "rate" => {
                let mb: f64 = value.parse().map_err(|e| format!("{part}: {e}"))?;
                faults.bytes_per_second = Some((mb * 1e6) as u64);
            }
            "corrupt" => {
                let (a, b) = value.split_once('-').ok_or(format!("{part}: START-END"))?;
                faults.corrupt.push((size(a)?, size(b)?));
            }
            "drop" => faults.drop_after = Some(size(value)?),
            "trickle" => {
                let seconds: f64 = value.parse().map_err(|e| format!("{part}: {e}"))?;
                faults.trickle = Some(Duration::from_secs_f64(seconds));
            }
            "gzip" => faults.gzip = value == "yes",
            _ => return Err(format!("{spec}: unknown '{key}'")),
        }
    }
    Ok((addr, faults))
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    if args.files > 0 {
        return serve_files(&args).await;
    }
    let data = Arc::new(payload(args.size as usize, 42));
    if let Some(path) = &args.write_file {
        std::fs::write(path, &*data).map_err(|e| e.to_string())?;
    }
    if args.mirrors.is_empty() {
        let path = args.metalink.as_ref().ok_or("--url needs --metalink")?;
        let doc = metalink_for("bench.bin", &data, args.piece, &args.urls);
        return std::fs::write(path, doc).map_err(|e| e.to_string());
    }
    let mut mirrors = Vec::new();
    for spec in &args.mirrors {
        let (addr, faults) = mirror_spec(spec)?;
        let mirror = LoopbackMirror::start_at(addr, data.clone(), faults)
            .await
            .map_err(|e| format!("{addr}: {e}"))?;
        mirrors.push(mirror);
    }
    let urls: Vec<String> = mirrors.iter().map(LoopbackMirror::url).collect();
    if let Some(path) = &args.metalink {
        let doc = metalink_for("bench.bin", &data, args.piece, &urls);
        std::fs::write(path, doc).map_err(|e| e.to_string())?;
    }
    println!("ready {}", urls.join(" "));
    keep_stats(&args, &mirrors).await
}

/// Writes `{"sent", "requests", "connections"}` per mirror every 100 ms, for ever.
async fn keep_stats(args: &Args, mirrors: &[LoopbackMirror]) -> Result<(), String> {
    loop {
        if let Some(path) = &args.stats {
            let sent: Vec<u64> = mirrors.iter().map(LoopbackMirror::sent).collect();
            let requests: Vec<u64> = mirrors.iter().map(LoopbackMirror::requests).collect();
            let connections: Vec<u64> = mirrors.iter().map(LoopbackMirror::connections).collect();
            let json = format!(
                "{{\"sent\": {sent:?}, \"requests\": {requests:?}, \"connections\": {connections:?}}}"
            );
            let temp = path.with_extension("tmp");
            if std::fs::write(&temp, json).is_ok() {
                let _ = std::fs::rename(&temp, path);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `--files N`: N files of 4 to 64 KiB on every mirror, one metalink for them all.
async fn serve_files(args: &Args) -> Result<(), String> {
    use braid::metalink::{Document, File, Hash, HashAlgorithm, MirrorUrl, Version};
    let files: std::collections::HashMap<String, Arc<Vec<u8>>> = (0..args.files)
        .map(|i| {
            let size = 4096 + (i * 7919 % 61) * 1024;
            (
                format!("f-{i:03}.bin"),
                Arc::new(payload(size, 100 + i as u64)),
            )
        })
        .collect();
    let mut mirrors = Vec::new();
    for spec in &args.mirrors {
        let (addr, faults) = mirror_spec(spec)?;
        let mirror = LoopbackMirror::start_with_files(addr, files.clone(), faults)
            .await
            .map_err(|e| format!("{addr}: {e}"))?;
        mirrors.push(mirror);
    }
    let mut names: Vec<&String> = files.keys().collect();
    names.sort();
    let doc = Document {
        version: Version::V4,
        generator: None,
        origin: None,
        dynamic: false,
        published: None,
        updated: None,
        files: names
            .iter()
            .map(|name| {
                let mut file = File::new(name.as_str());
                file.size = Some(files[*name].len() as u64);
                file.hashes = vec![Hash {
                    algorithm: HashAlgorithm::Sha256,
                    digest: braid::engine::verify::digest(HashAlgorithm::Sha256, &files[*name]),
                }];
                file.urls = mirrors
                    .iter()
                    .enumerate()
                    .map(|(i, m)| MirrorUrl {
                        url: m.file_url(name),
                        priority: i as u32 + 1,
                        location: None,
                        max_connections: None,
                    })
                    .collect();
                file
            })
            .collect(),
    };
    if let Some(path) = &args.metalink {
        std::fs::write(path, braid::metalink::write(&doc)).map_err(|e| e.to_string())?;
    }
    println!("ready");
    keep_stats(args, &mirrors).await
}
