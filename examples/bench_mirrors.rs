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
    /// HOST:PORT[,rate=MB/s][,corrupt=START-END][,drop=BYTES]; repeatable.
    #[arg(long = "mirror", required = true)]
    mirrors: Vec<String>,
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
            _ => return Err(format!("{spec}: unknown '{key}'")),
        }
    }
    Ok((addr, faults))
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let data = Arc::new(payload(args.size as usize, 42));
    if let Some(path) = &args.write_file {
        std::fs::write(path, &*data).map_err(|e| e.to_string())?;
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
    loop {
        if let Some(path) = &args.stats {
            let sent: Vec<u64> = mirrors.iter().map(LoopbackMirror::sent).collect();
            let requests: Vec<u64> = mirrors.iter().map(LoopbackMirror::requests).collect();
            let json = format!("{{\"sent\": {sent:?}, \"requests\": {requests:?}}}");
            let temp = path.with_extension("tmp");
            if std::fs::write(&temp, json).is_ok() {
                let _ = std::fs::rename(&temp, path);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
