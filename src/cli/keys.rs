//! `braid keys import FILE|URL…`, `braid keys list [--all]`, `braid keys remove
//! FINGERPRINT…`: Braid's own keyring, the keys its signature checks trust (with the
//! user's GnuPG keys and the distribution's keyrings, as switched in Settings).

use crate::config::Config;
use crate::signature::{Change, KeyInfo, KeyStore, Origin};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: KeysCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum KeysCommand {
    /// Add the public keys in key files or at URLs (armored or binary) to Braid's keyring.
    Import {
        #[arg(required = true, value_name = "FILE|URL")]
        sources: Vec<String>,
    },
    /// Show the keys in Braid's keyring.
    List {
        /// Also the keys Braid reads from GnuPG and the system keyrings (read-only).
        #[arg(long)]
        all: bool,
    },
    /// Take keys out of Braid's keyring.
    Remove {
        #[arg(required = true, value_name = "FINGERPRINT")]
        fingerprints: Vec<String>,
    },
}

pub fn run(args: &Args) -> i32 {
    let store = KeyStore::new(crate::platform::paths::keyring_dir());
    match &args.command {
        KeysCommand::Import { sources } => import(&store, sources),
        KeysCommand::List { all } => list(&store, *all),
        KeysCommand::Remove { fingerprints } => remove(&store, fingerprints),
    }
}

fn import(store: &KeyStore, sources: &[String]) -> i32 {
    let mut failed = false;
    for source in sources {
        let bytes = match read_source(source) {
            Ok(bytes) => bytes,
            Err(why) => {
                eprintln!("braid: {why}");
                failed = true;
                continue;
            }
        };
        match store.import(&bytes) {
            Ok(imported) => {
                for key in imported {
                    let what = match key.change {
                        Change::New => "imported",
                        Change::Updated => "updated",
                        Change::Unchanged => "unchanged",
                    };
                    println!("{what} {}", line(&key.key));
                }
            }
            Err(e) => {
                eprintln!("braid: {}: {e}", crate::format::url(source));
                failed = true;
            }
        }
    }
    i32::from(failed)
}

fn list(store: &KeyStore, all: bool) -> i32 {
    let keys = if all {
        let config = Config::load(&Config::path()).0;
        let (ring, problems) = config.key_sources().load();
        for problem in problems {
            eprintln!("braid: {}: {}", problem.source, problem.why);
        }
        ring.keys()
    } else {
        match store.load() {
            Ok((ring, damaged)) => {
                for file in damaged {
                    eprintln!("braid: {}: {} (skipped)", file.path.display(), file.why);
                }
                let mut keys = ring.keys();
                keys.sort_by(|a, b| a.user().cmp(&b.user()));
                keys
            }
            Err(e) => {
                eprintln!("braid: {e}");
                return 1;
            }
        }
    };
    if keys.is_empty() {
        println!(
            "no keys in Braid's keyring ({}); add one with `braid keys import FILE|URL`",
            store.dir().display()
        );
    }
    for key in &keys {
        match (&key.origin, all) {
            (Origin::Braid, _) | (_, false) => println!("{}", line(key)),
            (Origin::GnuPg, true) => println!("{}  [GnuPG]", line(key)),
            (Origin::System(path), true) => println!("{}  [{}]", line(key), path.display()),
        }
    }
    0
}

fn remove(store: &KeyStore, fingerprints: &[String]) -> i32 {
    let mut failed = false;
    for fingerprint in fingerprints {
        match store.remove(fingerprint) {
            Ok(key) => println!("removed {}", line(&key)),
            Err(e) => {
                eprintln!("braid: {e}");
                failed = true;
            }
        }
    }
    i32::from(failed)
}

/// `FINGERPRINT  NAME <email>  (expires 2027-01-01)`.
pub(crate) fn line(key: &KeyInfo) -> String {
    let mut line = format!(
        "{}  {}",
        key.fingerprint,
        key.user().unwrap_or("(no user ID)")
    );
    let mut notes = Vec::new();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    if key.revoked {
        notes.push("revoked".to_owned());
    }
    match key.expires {
        Some(on) if on <= now => notes.push(format!("expired {}", crate::format::date(on))),
        Some(on) => notes.push(format!("expires {}", crate::format::date(on))),
        None => {}
    }
    if !key.can_sign {
        notes.push("cannot sign".to_owned());
    }
    if !notes.is_empty() {
        line.push_str(&format!("  ({})", notes.join(", ")));
    }
    line
}

/// A key file's bytes, from a path or an http(s) URL (at most a key file's size).
fn read_source(source: &str) -> Result<Vec<u8>, String> {
    let path = std::path::Path::new(source);
    if path.exists() {
        return crate::signature::read_key_file(path).map_err(|e| e.to_string());
    }
    let shown = crate::format::url(source);
    let url =
        url::Url::parse(source).map_err(|_| format!("{source}: no such file, and not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{shown}: only http and https URLs are supported"));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for fetching a key");
    runtime
        .block_on(crate::discover::signatures::fetch_key(&url))
        .map_err(|e| format!("{shown}: {e}"))
}
