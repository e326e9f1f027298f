//! `braid create -o OUT.meta4 --mirror BASEURL… FILE…`: a Metalink 4 document for local
//! files, for publishers. The work is `publish`'s; this is its command line.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use indicatif::{ProgressBar, ProgressStyle};

use crate::format;
use crate::metalink::HashAlgorithm;
use crate::publish::{self, ForFile, MirrorBase, Request};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the metalink (`-` for standard output).
    #[arg(short = 'o', long = "out", value_name = "OUT.meta4")]
    pub out: PathBuf,
    /// A mirror's base URL: each file is BASEURL/name. Repeatable; `,location=de` and
    /// `,priority=1` (1 the most preferred) may follow the URL.
    #[arg(
        long = "mirror",
        value_name = "BASEURL[,location=CC][,priority=N]",
        required = true
    )]
    pub mirrors: Vec<MirrorBase>,
    /// Length of the sha-256 pieces (`256K`, `1M`; powers of 1024), 0 for none;
    /// default: 256 KiB and up, so a file has at most about 2048 pieces.
    #[arg(long, value_name = "N", value_parser = piece_length_arg)]
    pub piece_length: Option<u64>,
    /// Another whole-file hash besides sha-256 (md5, sha-1, sha-384, sha-512);
    /// repeatable.
    #[arg(long = "hash", value_name = "TYPE", value_parser = hash_arg)]
    pub hashes: Vec<HashAlgorithm>,
    /// Take the hashes from this published file (SHA256SUMS, in any format Braid
    /// reads) instead of reading the files; the files are only looked at for their size.
    #[arg(long, value_name = "SHA256SUMS")]
    pub from_sums: Option<PathBuf>,
    /// The language of every file (TAG), or of one (FILE=TAG); repeatable.
    #[arg(long = "lang", value_name = "[FILE=]TAG")]
    pub languages: Vec<String>,
    /// The operating system of every file (OS, e.g. linux-x86_64), or of one
    /// (FILE=OS); repeatable.
    #[arg(long = "os", value_name = "[FILE=]OS")]
    pub os: Vec<String>,
    /// Where the metalink itself will be published (its <origin>).
    #[arg(long, value_name = "URL")]
    pub origin: Option<String>,
    /// Sign every file with this OpenPGP secret key (armored or binary; a protected
    /// key's passphrase comes from BRAID_SIGN_PASSPHRASE): each <file> gets a detached
    /// <signature>, which `braid get` checks against the keys its user trusts.
    #[arg(long, value_name = "KEYFILE")]
    pub sign: Option<PathBuf>,
    /// The files to describe.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

pub fn run(args: &Args) -> i32 {
    match create(args) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("braid: {message}");
            2
        }
    }
}

fn create(args: &Args) -> Result<(), String> {
    let to_stdout = args.out.as_os_str() == "-";
    if !to_stdout {
        let out = std::fs::canonicalize(&args.out).ok();
        if args
            .files
            .iter()
            .any(|f| out.is_some() && std::fs::canonicalize(f).ok() == out)
        {
            return Err(format!(
                "{} is one of the files to describe; write the metalink elsewhere",
                args.out.display()
            ));
        }
    }
    if let Some(origin) = &args.origin
        && !url::Url::parse(origin).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
    {
        return Err(format!("--origin {origin}: not an http or https URL"));
    }
    // Read first: a key that cannot sign should not cost the hashing of every file.
    let signing = match &args.sign {
        Some(path) => Some(
            crate::signature::SigningKey::read(path, std::env::var("BRAID_SIGN_PASSPHRASE").ok())
                .map_err(|e| e.to_string())?,
        ),
        None => None,
    };
    let request = Request {
        files: args.files.clone(),
        mirrors: args.mirrors.clone(),
        piece_length: args.piece_length,
        hashes: args.hashes.clone(),
        from_sums: args.from_sums.clone(),
        languages: args.languages.iter().map(|l| ForFile::parse(l)).collect(),
        os: args.os.iter().map(|o| ForFile::parse(o)).collect(),
        origin: args.origin.clone(),
    };
    let bar = (!to_stdout && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
        ProgressBar::new(0).with_style(
            ProgressStyle::with_template(
                "hashing [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        )
    });
    let stop = AtomicBool::new(false);
    let mut document = publish::create(
        &request,
        &mut |progress| {
            if let Some(bar) = &bar {
                bar.set_length(progress.total);
                bar.set_position(progress.done);
            }
        },
        &stop,
    )
    .map_err(|e| e.to_string())?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(key) = &signing {
        sign_files(key, &args.files, &mut document)?;
    }
    let text = publish::write(&document).map_err(|e| e.to_string())?;
    if to_stdout {
        print!("{text}");
        return Ok(());
    }
    publish::save(&args.out, &text).map_err(|e| e.to_string())?;
    let size: u64 = document.files.iter().filter_map(|f| f.size).sum();
    let pieces: usize = document
        .files
        .iter()
        .flat_map(|f| f.pieces.first())
        .map(|p| p.count())
        .sum();
    eprintln!(
        "braid: wrote {}: {} file(s), {}, {} mirror(s) each, {} piece hash(es)",
        args.out.display(),
        document.files.len(),
        format::bytes(size),
        args.mirrors.len(),
        pieces
    );
    Ok(())
}

/// Puts a detached signature by `key` in every file of the document.
fn sign_files(
    key: &crate::signature::SigningKey,
    paths: &[PathBuf],
    document: &mut crate::metalink::Document,
) -> Result<(), String> {
    for file in &mut document.files {
        let path = paths
            .iter()
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy() == file.name)
            })
            .ok_or_else(|| format!("{}: which file it is was lost", file.name))?;
        let signature = key.sign(path).map_err(|e| e.to_string())?;
        file.signatures.push(crate::metalink::Signature {
            mediatype: "application/pgp-signature".into(),
            body: signature,
        });
    }
    eprintln!(
        "braid: signed {} file(s) with {} ({})",
        document.files.len(),
        key.user().unwrap_or_else(|| "a key without a name".into()),
        key.fingerprint()
    );
    Ok(())
}

fn piece_length_arg(text: &str) -> Result<u64, String> {
    if text.trim() == "0" {
        return Ok(0);
    }
    match crate::engine::parse_rate(text) {
        Ok(Some(length)) => Ok(length),
        Ok(None) => Ok(0),
        Err(_) => Err(format!(
            "'{text}' is not a length (e.g. 256K, 1M, 0 for none)"
        )),
    }
}

fn hash_arg(text: &str) -> Result<HashAlgorithm, String> {
    let lower = text.to_ascii_lowercase().replace("sha2-", "sha-");
    HashAlgorithm::from_any(&lower)
        .map(|(a, _)| a)
        .ok_or_else(|| format!("'{text}' is not a hash Braid knows (md5, sha-1, sha-224, sha-256, sha-384, sha-512)"))
}
