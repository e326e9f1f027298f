//! `braid mirrors DIGEST`: what Braid's memory knows about a file — the mirrors that
//! carried the file with this digest in the metalinks and `Link` headers Braid has seen,
//! newest first, with when each was last seen.

use crate::cli::describe;
use crate::discover::expected;
use crate::discover::memory::Memory;
use crate::format;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file's digest: a bare hex digest (its length tells the algorithm),
    /// sha-256=HEX or sha-256:HEX.
    #[arg(value_name = "DIGEST")]
    pub digest: String,
    /// Print a fixed JSON shape for scripts.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args) -> i32 {
    let hash = match expected::parse(&args.digest) {
        Ok(hash) => hash,
        Err(e) => {
            eprintln!("braid: {}: {e}", args.digest);
            return 2;
        }
    };
    let memory = Memory::in_data_dir();
    let known = match memory.lookup(std::slice::from_ref(&hash)) {
        Ok(known) => known,
        Err(e) => {
            eprintln!("braid: {e}");
            return 2;
        }
    };
    if args.json {
        let json = match &known {
            None => {
                serde_json::json!({"digest": format!("{}:{}", hash.algorithm, hash.hex()), "known": false, "mirrors": []})
            }
            Some(known) => serde_json::json!({
                "digest": format!("{}:{}", hash.algorithm, hash.hex()),
                "known": true,
                "name": known.name,
                "size": known.size,
                "hashes": known.hashes.iter().map(|h| format!("{}:{}", h.algorithm, h.hex())).collect::<Vec<_>>(),
                "mirrors": known.mirrors.iter().map(|m| serde_json::json!({
                    "url": m.url, "location": m.location, "last_seen": m.last_seen,
                })).collect::<Vec<_>>(),
            }),
        };
        println!("{json}");
        return i32::from(known.is_none());
    }
    let Some(known) = known else {
        println!("No mirrors known for {} {}.", hash.algorithm, hash.hex());
        println!(
            "Braid learns them from the metalinks it sees and the downloads it verifies ({}).",
            memory.path().display()
        );
        return 1;
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let size = known
        .size
        .map(|s| format!(" ({})", format::bytes(s)))
        .unwrap_or_default();
    println!(
        "{}{size}, last seen {}",
        known.name,
        describe::ago(known.last_seen, now)
    );
    for hash in &known.hashes {
        println!("    {}: {}", hash.algorithm, hash.hex());
    }
    let noun = if known.mirrors.len() == 1 {
        "mirror"
    } else {
        "mirrors"
    };
    println!("{} {noun}, newest first:", known.mirrors.len());
    for mirror in &known.mirrors {
        let location = mirror
            .location
            .as_deref()
            .map(|l| format!(" [{l}]"))
            .unwrap_or_default();
        println!(
            "  {}{location}  (seen {})",
            format::url(&mirror.url),
            describe::ago(mirror.last_seen, now)
        );
    }
    0
}
