//! `braid create` as a publisher runs it, judged by another client: aria2c downloads
//! what the metalink describes from loopback mirrors and checks it against its hashes
//! and pieces (and refuses a file that does not match them, so its success means
//! something); Braid's own reader and `braid get` take the same document back.
//!
//! aria2c must be installed (CI installs it); `BRAID_SKIP_ARIA2=1` skips the aria2c
//! part, saying so.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use braid::engine::verify::digest;
use braid::loopback::site::{Page, Site};
use braid::metalink::{self, HashAlgorithm};
use support::{payload, temp_dir};

fn braid(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_braid"))
        .env("LANG", "en_US.UTF-8")
        .env("BRAID_CONFIG_DIR", dir.join("config"))
        .env("BRAID_DATA_DIR", dir.join("data"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("braid runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

/// aria2c, or `None` when the run allows skipping it.
fn aria2c() -> Option<Command> {
    let found = Command::new("aria2c")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(Command::new("aria2c"));
    }
    if std::env::var_os("BRAID_SKIP_ARIA2").is_some() {
        eprintln!("skipped: aria2c is not installed (BRAID_SKIP_ARIA2 is set)");
        return None;
    }
    panic!(
        "aria2c is not installed: apt-get install aria2 (CI installs it), or set BRAID_SKIP_ARIA2=1 to skip this judge"
    );
}

/// aria2c downloads the metalink into `out`, bounded in tries and time.
async fn aria2(metalink: &Path, out: &Path) -> Option<Output> {
    let mut command = aria2c()?;
    command
        .arg("-M")
        .arg(metalink)
        .arg("-d")
        .arg(out)
        .args([
            "--file-allocation=none",
            "--max-tries=2",
            "--retry-wait=0",
            "--timeout=10",
            "--connect-timeout=5",
            "--summary-interval=0",
            "--console-log-level=warn",
            "--auto-save-interval=0",
            "--allow-overwrite=true",
            "--min-split-size=1M",
            "--split=4",
        ])
        .stdin(Stdio::null());
    Some(
        tokio::task::spawn_blocking(move || command.output().expect("aria2c runs"))
            .await
            .unwrap(),
    )
}

struct Published {
    dir: PathBuf,
    files: Vec<(String, Arc<Vec<u8>>)>,
    first: Site,
    second: Site,
}

/// Two local files, served by two mirrors under different base paths.
async fn published(name: &str) -> Published {
    let dir = temp_dir(&format!("create-{name}"));
    std::fs::create_dir_all(dir.join("dist")).unwrap();
    let files = vec![
        (
            "disc 1.iso".to_owned(),
            Arc::new(payload(3 * 1024 * 1024 + 4321, 61)),
        ),
        ("notes.txt".to_owned(), Arc::new(b"read me\n".to_vec())),
    ];
    let first = Site::start(1).await.unwrap();
    let second = Site::start(2).await.unwrap();
    for (name, data) in &files {
        std::fs::write(dir.join("dist").join(name), data.as_slice()).unwrap();
        let encoded = name.replace(' ', "%20");
        first.put(&format!("/pub/{encoded}"), Page::file(data.clone()));
        second.put(&format!("/mirror/isos/{encoded}"), Page::file(data.clone()));
    }
    Published {
        dir,
        files,
        first,
        second,
    }
}

impl Published {
    fn file_args(&self) -> Vec<String> {
        self.files
            .iter()
            .map(|(name, _)| self.dir.join("dist").join(name).display().to_string())
            .collect()
    }

    fn create(&self, out: &str, extra: &[&str]) -> Output {
        let metalink = self.dir.join(out);
        let first = format!("{},location=de,priority=1", self.first.url("/pub"));
        let second = self.second.url("/mirror/isos/");
        let mut args = vec![
            "create",
            "-o",
            metalink.to_str().unwrap(),
            "--mirror",
            &first,
            "--mirror",
            &second,
        ];
        args.extend_from_slice(extra);
        let files = self.file_args();
        args.extend(files.iter().map(String::as_str));
        braid(&self.dir, &args)
    }

    fn check_downloaded(&self, out: &Path) {
        for (name, data) in &self.files {
            let got = std::fs::read(out.join(name))
                .unwrap_or_else(|e| panic!("{name} not downloaded: {e}"));
            assert_eq!(got, **data, "{name}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aria2c_downloads_and_verifies_what_create_writes() {
    let site = published("aria2").await;
    let output = site.create("pieces.meta4", &["--piece-length", "256K", "--hash", "md5"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let output = site.create("whole.meta4", &["--piece-length", "0"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    for metalink in ["pieces.meta4", "whole.meta4"] {
        let out = site.dir.join(format!("aria2-{metalink}"));
        let Some(result) = aria2(&site.dir.join(metalink), &out).await else {
            return;
        };
        assert!(
            result.status.success(),
            "aria2c on {metalink}: {}\n{}",
            text(&result.stdout),
            text(&result.stderr)
        );
        site.check_downloaded(&out);
    }
    assert!(
        site.first.requests("/pub/disc%201.iso")
            + site.second.requests("/mirror/isos/disc%201.iso")
            > 0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aria2c_refuses_what_does_not_match_so_its_yes_means_something() {
    let site = published("aria2-refuses").await;
    let output = site.create("whole.meta4", &["--piece-length", "0"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let output = site.create("pieces.meta4", &["--piece-length", "256K"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    // Both mirrors now serve another version of the big file, of the same size.
    let (name, data) = &site.files[0];
    let mut other = (**data).clone();
    other[2_000_000] ^= 1;
    let other = Arc::new(other);
    let encoded = name.replace(' ', "%20");
    site.first
        .put(&format!("/pub/{encoded}"), Page::file(other.clone()));
    site.second
        .put(&format!("/mirror/isos/{encoded}"), Page::file(other));
    for metalink in ["whole.meta4", "pieces.meta4"] {
        let out = site.dir.join(format!("aria2-{metalink}"));
        let Some(result) = aria2(&site.dir.join(metalink), &out).await else {
            return;
        };
        assert!(
            !result.status.success(),
            "aria2c accepted a file that does not match {metalink}"
        );
        eprintln!(
            "{metalink}: {}\n{}",
            text(&result.stdout),
            text(&result.stderr)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_create_writes_reads_back_and_braid_downloads_it() {
    let site = published("read-back").await;
    let files = site.file_args();
    let notes = format!("{}=en", files[1]);
    let output = site.create(
        "x.meta4",
        &[
            "--hash",
            "sha-512",
            "--lang",
            "de",
            "--lang",
            &notes,
            "--os",
            "linux-x86_64",
            "--origin",
            "https://example.org/x.meta4",
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let parsed = metalink::parse(&std::fs::read(site.dir.join("x.meta4")).unwrap()).unwrap();
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let doc = parsed.document;
    assert_eq!(
        doc.generator.as_deref(),
        Some(concat!("Braid/", env!("CARGO_PKG_VERSION")))
    );
    assert!(doc.published.is_some());
    assert_eq!(doc.origin.as_deref(), Some("https://example.org/x.meta4"));
    let big = &doc.files[0];
    let (_, data) = &site.files[0];
    assert_eq!(big.name, "disc 1.iso");
    assert_eq!(big.size, Some(data.len() as u64));
    assert_eq!(big.languages, ["de"]);
    assert_eq!(big.os, ["linux-x86_64"]);
    let sha256 = big
        .hashes
        .iter()
        .find(|h| h.algorithm == HashAlgorithm::Sha256)
        .unwrap();
    assert_eq!(sha256.digest, digest(HashAlgorithm::Sha256, data));
    let sha512 = big
        .hashes
        .iter()
        .find(|h| h.algorithm == HashAlgorithm::Sha512)
        .unwrap();
    assert_eq!(sha512.digest, digest(HashAlgorithm::Sha512, data));
    let pieces = &big.pieces[0];
    assert_eq!(pieces.algorithm, HashAlgorithm::Sha256);
    assert_eq!(pieces.length, 256 * 1024);
    assert_eq!(
        pieces.count() as u64,
        (data.len() as u64).div_ceil(256 * 1024)
    );
    assert_eq!(
        pieces.digest(1),
        digest(HashAlgorithm::Sha256, &data[256 * 1024..512 * 1024])
    );
    assert_eq!(big.urls[0].url, site.first.url("/pub/disc%201.iso"));
    assert_eq!(big.urls[0].location.as_deref(), Some("de"));
    assert_eq!(big.urls[0].priority, 1);
    assert_eq!(
        big.urls[1].url,
        site.second.url("/mirror/isos/disc%201.iso")
    );
    let small = &doc.files[1];
    assert_eq!(
        small.languages,
        ["en"],
        "its own language, not the one for all"
    );
    assert!(
        small.pieces.is_empty(),
        "one piece would say what its hash says"
    );
    let out = site.dir.join("braid-out");
    let output = braid(
        &site.dir,
        &[
            "get",
            "-d",
            out.to_str().unwrap(),
            "--language",
            "de",
            "--language",
            "en",
            site.dir.join("x.meta4").to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    site.check_downloaded(&out);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashes_from_a_published_sha256sums() {
    let site = published("from-sums").await;
    let sums: String = site
        .files
        .iter()
        .map(|(name, data)| format!("{} *{name}\n", hex(&digest(HashAlgorithm::Sha256, data))))
        .collect();
    let sums_path = site.dir.join("SHA256SUMS");
    std::fs::write(&sums_path, sums).unwrap();
    let output = site.create("sums.meta4", &["--from-sums", sums_path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let doc = metalink::parse(&std::fs::read(site.dir.join("sums.meta4")).unwrap())
        .unwrap()
        .document;
    assert_eq!(
        doc.files[0].hashes[0].digest,
        digest(HashAlgorithm::Sha256, &site.files[0].1)
    );
    assert!(doc.files[0].pieces.is_empty());
    let out = site.dir.join("aria2-sums");
    if let Some(result) = aria2(&site.dir.join("sums.meta4"), &out).await {
        assert!(result.status.success(), "{}", text(&result.stdout));
        site.check_downloaded(&out);
    }
    // A file the sums do not list, and asking for pieces too, are clear errors.
    std::fs::write(
        &sums_path,
        "00000000000000000000000000000000000000000000000000000000000000ff  other\n",
    )
    .unwrap();
    let output = site.create("bad.meta4", &["--from-sums", sums_path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("SHA256SUMS: 'disc 1.iso' is not listed"),
        "{}",
        text(&output.stderr)
    );
    let output = site.create(
        "bad.meta4",
        &[
            "--from-sums",
            sums_path.to_str().unwrap(),
            "--piece-length",
            "1M",
        ],
    );
    assert!(
        text(&output.stderr).contains("leave out --piece-length"),
        "{}",
        text(&output.stderr)
    );
    assert!(!site.dir.join("bad.meta4").exists());
}

#[test]
fn mistakes_are_clear_and_write_nothing() {
    let dir = temp_dir("create-mistakes");
    let file = dir.join("a.iso");
    std::fs::write(&file, b"data").unwrap();
    let out = dir.join("a.meta4");
    let run = |args: &[&str]| {
        let mut all = vec!["create", "-o", out.to_str().unwrap()];
        all.extend_from_slice(args);
        braid(&dir, &all)
    };
    let file = file.to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["--mirror", "ftp.example.org/pub", file],
            "'ftp.example.org/pub' is not a URL",
        ),
        (
            &["--mirror", "http://m/,location=germany", file],
            "'germany' is not a country code",
        ),
        (
            &["--mirror", "http://m/", "--lang", "english!", file],
            "'english!' is not a language tag",
        ),
        (
            &["--mirror", "http://m/", "--lang", "b.iso=de", file],
            "'b.iso' names none of the files given",
        ),
        (
            &["--mirror", "http://m/", "--piece-length", "64M", file],
            "must be between 1 KiB and 16.0 MiB",
        ),
    ];
    for (args, expected) in cases {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            text(&output.stderr).contains(expected),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(!out.exists(), "{args:?}");
    }
    let output = braid(&dir, &["create", "-o", file, "--mirror", "http://m/", file]);
    assert!(
        text(&output.stderr).contains("is one of the files to describe"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(std::fs::read(file).unwrap(), b"data");
}
