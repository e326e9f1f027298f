//! Plain URLs with the metalink treatment, as a user runs `braid get` and `braid
//! inspect`: checked against a `SHA256SUMS` next to them (and never saved when they do
//! not match it), a lying hash file, the user's own digest, `-i` input files and `-o`,
//! mirrors from a metalink service and from Braid's memory across two downloads, and
//! `braid mirrors`. All against loopback sites.

mod support;

use std::process::{Output, Stdio};
use std::sync::Arc;

use braid::engine::verify::digest;
use braid::loopback::metalink_for;
use braid::loopback::site::{Page, Site};
use braid::metalink::HashAlgorithm;
use support::cli::{Home, stderr};
use support::payload;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn sha256(data: &[u8]) -> String {
    digest(HashAlgorithm::Sha256, data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn site(host: u8) -> Site {
    Site::start(host).await.expect("a loopback site starts")
}

/// A site with `/pub/f.iso` and a `SHA256SUMS` that lists it.
async fn publisher(data: &Arc<Vec<u8>>) -> Site {
    let site = site(1).await;
    site.put("/pub/f.iso", Page::file(data.clone()));
    site.put(
        "/pub/SHA256SUMS",
        Page::text(format!(
            "{}  other.iso\n{}  f.iso\n",
            "00".repeat(32),
            sha256(data)
        )),
    );
    site
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_verifies_against_sha256sums_and_says_so() {
    let data = Arc::new(payload(3 * 1024 * 1024 + 17, 41));
    let site = publisher(&data).await;
    let home = Home::new("plain-sums");
    let output = home.get(&[&site.url("/pub/f.iso")]).await;
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(
        message.contains("checked against sha-256 from SHA256SUMS"),
        "{message}"
    );
    assert!(
        message.contains("done, verified with sha-256 from SHA256SUMS"),
        "{message}"
    );
    assert_eq!(std::fs::read(home.out().join("f.iso")).unwrap(), *data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupted_file_never_appears_under_its_name() {
    let data = Arc::new(payload(2 * 1024 * 1024, 42));
    let site = publisher(&data).await;
    let mut corrupted = (*data).clone();
    corrupted[1_000_000] ^= 0x40;
    site.put("/pub/f.iso", Page::file(corrupted));
    let home = Home::new("plain-corrupt");
    let output = home.get(&[&site.url("/pub/f.iso")]).await;
    let message = stderr(&output);
    assert!(!output.status.success(), "{message}");
    assert!(message.contains("sha-256"), "{message}");
    assert!(
        !home.out().join("f.iso").exists(),
        "the corrupted file is not under its name: {message}"
    );
    assert!(
        message.contains("does not match the sha-256 from SHA256SUMS"),
        "the failure says which checksum it failed: {message}"
    );
    // What the download disproved is not remembered: no later download is sent there.
    let output = home.run(&["mirrors", &sha256(&data)]).await;
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("No mirrors known"),
        "{}",
        stdout(&output)
    );
    // Once it serves the file, a verified download teaches the memory where it is.
    site.put("/pub/f.iso", Page::file(data.clone()));
    let output = home.get(&[&site.url("/pub/f.iso")]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let output = home.run(&["mirrors", &sha256(&data)]).await;
    assert!(
        stdout(&output).contains(&site.url("/pub/f.iso")),
        "{}",
        stdout(&output)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lying_hash_file_stops_the_download_with_a_clear_error() {
    let data = Arc::new(payload(100_000, 43));
    let site = publisher(&data).await;
    site.put(
        "/pub/f.iso.sha256",
        Page::text(format!("{}  f.iso\n", sha256(b"another file"))),
    );
    let home = Home::new("plain-lying");
    let output = home.get(&[&site.url("/pub/f.iso")]).await;
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(
        message.contains("the published checksums disagree: SHA256SUMS says sha-256"),
        "{message}"
    );
    assert!(message.contains("--checksum"), "{message}");
    assert_eq!(
        site.requests("/pub/f.iso"),
        1,
        "only the probe: {:?}",
        site.log()
    );
    assert!(!home.out().join("f.iso").exists());
    // The user's own digest settles it.
    let output = home
        .get(&[
            "--checksum",
            &format!("sha-256={}", sha256(&data)),
            &site.url("/pub/f.iso"),
        ])
        .await;
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(
        message.contains("verified with sha-256 you gave"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_users_digest_comes_first_and_a_wrong_one_keeps_the_file_out() {
    let data = Arc::new(payload(300_000, 44));
    let site = site(1).await;
    site.put("/d/g.bin", Page::file(data.clone()));
    let home = Home::new("plain-user-digest");
    let wrong = format!("sha256:{}", sha256(b"not it"));
    let output = home
        .get(&["--checksum", &wrong, &site.url("/d/g.bin")])
        .await;
    assert!(!output.status.success(), "{}", stderr(&output));
    assert!(!home.out().join("g.bin").exists());
    assert_eq!(
        site.requests("/d/SHA256SUMS"),
        0,
        "with the user's digest nothing is searched: {:?}",
        site.log()
    );
    let output = home
        .get(&["--checksum", &sha256(&data), &site.url("/d/g.bin")])
        .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read(home.out().join("g.bin")).unwrap(), *data);
    let output = home
        .get(&["--checksum", "sha-256=xyz", &site.url("/d/g.bin")])
        .await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("'x' is not a hexadecimal digit"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_found_says_the_file_cannot_be_checked() {
    let data = Arc::new(payload(50_000, 45));
    let site = site(1).await;
    site.put("/d/g.bin", Page::file(data.clone()));
    let home = Home::new("plain-nothing");
    let output = home.get(&[&site.url("/d/g.bin")]).await;
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(message.contains("no checksum found"), "{message}");
    assert!(message.contains("not verified"), "{message}");
    // --no-checksum-search asks nothing.
    let before = site.log().len();
    let output = home
        .get(&["--overwrite", "--no-checksum-search", &site.url("/d/g.bin")])
        .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let asked: Vec<String> = site.log()[before..].to_vec();
    assert!(asked.iter().all(|p| p == "/d/g.bin"), "{asked:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_input_file_with_mirrors_checksums_and_names() {
    let data = Arc::new(payload(4 * 1024 * 1024, 46));
    let small = Arc::new(payload(10_000, 47));
    let first = site(1).await;
    let second = site(2).await;
    // The first is slow, so the second mirror on the line gets work too.
    first.put("/a/x.iso", Page::file(data.clone()).throttled(1 << 20));
    second.put("/b/x.iso", Page::file(data.clone()));
    first.put("/a/y.bin", Page::file(small.clone()));
    let home = Home::new("plain-input");
    let list = home.dir.join("list.txt");
    std::fs::write(
        &list,
        format!(
            "# two downloads\n{}\t{}\n  checksum=sha-256={}\n  out=renamed.iso\n\n{}\n",
            first.url("/a/x.iso"),
            second.url("/b/x.iso"),
            sha256(&data),
            first.url("/a/y.bin"),
        ),
    )
    .unwrap();
    let output = home.get(&["-i", list.to_str().unwrap()]).await;
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert_eq!(
        std::fs::read(home.out().join("renamed.iso")).unwrap(),
        *data
    );
    assert_eq!(std::fs::read(home.out().join("y.bin")).unwrap(), *small);
    assert!(second.requests("/b/x.iso") > 0, "the second URL was used");
    assert!(message.contains("1 more mirror: 1 from you"), "{message}");
    // Mistakes name their line.
    std::fs::write(&list, format!("{}\n  split=4\n", first.url("/a/y.bin"))).unwrap();
    let output = home.get(&["-i", list.to_str().unwrap()]).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("list.txt, line 2: unknown option 'split'"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_input_file_from_standard_input() {
    let data = Arc::new(payload(20_000, 48));
    let site = site(1).await;
    site.put("/d/z.bin", Page::file(data.clone()));
    let home = Home::new("plain-stdin");
    let out = home.out();
    let mut command = home.command();
    command
        .args(["get", "-d", out.to_str().unwrap(), "-i", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped());
    let line = format!("{}\n", site.url("/d/z.bin"));
    let output = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = command.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(line.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read(out.join("z.bin")).unwrap(), *data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dash_o_names_the_file_and_is_checked() {
    let data = Arc::new(payload(20_000, 49));
    let site = site(1).await;
    site.put("/d/download", Page::file(data.clone()));
    let home = Home::new("plain-dash-o");
    let output = home
        .get(&["-o", "sub/named.bin", &site.url("/d/download")])
        .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        std::fs::read(home.out().join("sub/named.bin")).unwrap(),
        *data
    );
    let output = home
        .get(&["-o", "../escape.bin", &site.url("/d/download")])
        .await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unsafe file name '../escape.bin'"),
        "{}",
        stderr(&output)
    );
    assert!(!home.dir.join("escape.bin").exists());
    let output = home
        .get(&["-o", "x", &site.url("/d/download"), &site.url("/d/other")])
        .await;
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("-o and --checksum name the file of one SOURCE"));
}

/// A Dynmirror-like service on its own address: `/metalink/?url=…` and
/// `/metalink/<hex>.metalink` answer with a metalink naming `mirrors`.
async fn service(host: u8, file_url: &str, data: &[u8], mirrors: &[String], by: By) -> Site {
    let service = site(host).await;
    let doc = metalink_for("f.iso", data, 0, mirrors);
    let doc = match by {
        By::UrlWithHash | By::Digest => doc,
        By::UrlWithoutHash => doc
            .lines()
            .filter(|l| !l.contains("<hash"))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    match by {
        By::UrlWithHash | By::UrlWithoutHash => {
            service.put(&format!("/metalink/?url={file_url}"), Page::text(doc))
        }
        By::Digest => service.put(
            &format!("/metalink/{}.metalink", sha256(data)),
            Page::text(doc),
        ),
    }
    service
}

#[derive(Clone, Copy)]
enum By {
    UrlWithHash,
    UrlWithoutHash,
    Digest,
}

/// The origin's `/pub/f.iso` (put there by the test), a mirror of it at `/m/f.iso` on
/// 127.0.0.3, and a [`service`] on 127.0.0.4 that names the mirror.
struct Served {
    origin: Site,
    mirror: Site,
    service: Site,
}

async fn served(origin: Site, data: &Arc<Vec<u8>>, by: By) -> Served {
    let mirror = site(3).await;
    mirror.put("/m/f.iso", Page::file(data.clone()));
    let file_url = origin.url("/pub/f.iso");
    let service = service(4, &file_url, data, &[mirror.url("/m/f.iso")], by).await;
    Served {
        origin,
        mirror,
        service,
    }
}

/// `braid get --metalink-service SERVICE ORIGIN/pub/f.iso` in `home`, which succeeds;
/// what it said.
async fn get_through_service(home: &Home, served: &Served) -> String {
    let output = home
        .get(&[
            "--metalink-service",
            &served.service.url("/"),
            &served.origin.url("/pub/f.iso"),
        ])
        .await;
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    message
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_metalink_service_adds_mirrors_that_are_used() {
    let data = Arc::new(payload(4 * 1024 * 1024, 50));
    let origin = site(1).await;
    origin.put("/pub/f.iso", Page::file(data.clone()).throttled(1 << 20));
    let served = served(origin, &data, By::UrlWithHash).await;
    let home = Home::new("plain-service");
    let message = get_through_service(&home, &served).await;
    assert!(
        served.mirror.requests("/m/f.iso") > 0,
        "the service's mirror was used"
    );
    let service = served.service.addr;
    assert!(
        message.contains(&format!("1 from metalink service {service}")),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "checked against sha-256 from metalink service {service}"
        )),
        "{message}"
    );
    assert_eq!(std::fs::read(home.out().join("f.iso")).unwrap(), *data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_services_mirrors_without_a_digest_are_not_used() {
    let data = Arc::new(payload(100_000, 51));
    let origin = site(1).await;
    origin.put("/pub/f.iso", Page::file(data.clone()));
    let served = served(origin, &data, By::UrlWithoutHash).await;
    let home = Home::new("plain-service-unchecked");
    let message = get_through_service(&home, &served).await;
    assert_eq!(served.mirror.requests("/m/f.iso"), 0);
    assert!(
        message.contains("1 mirror(s) from") && message.contains("not used: no checksum"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_is_asked_by_the_digest_a_hash_file_gave() {
    let data = Arc::new(payload(4 * 1024 * 1024, 52));
    let origin = publisher(&data).await;
    origin.put("/pub/f.iso", Page::file(data.clone()).throttled(1 << 20));
    let served = served(origin, &data, By::Digest).await;
    let home = Home::new("plain-service-digest");
    let message = get_through_service(&home, &served).await;
    assert!(message.contains("from SHA256SUMS"), "{message}");
    assert!(served.mirror.requests("/m/f.iso") > 0, "{message}");
    // It knew nothing by the URL (404): that is no news worth a line.
    assert!(!message.contains("not there"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mirror_memory_carries_mirrors_from_one_download_to_the_next() {
    let data = Arc::new(payload(4 * 1024 * 1024, 53));
    let home = Home::new("plain-memory");
    // First: a metalink names a mirror of the file.
    let mirror = site(2).await;
    mirror.put("/m/f.iso", Page::file(data.clone()));
    let metalink = home.dir.join("f.meta4");
    std::fs::write(
        &metalink,
        metalink_for("f.iso", &data, 0, &[mirror.url("/m/f.iso")]),
    )
    .unwrap();
    let output = home
        .run(&[
            "get",
            "-d",
            home.dir.join("first").to_str().unwrap(),
            metalink.to_str().unwrap(),
        ])
        .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let served_first = mirror.requests("/m/f.iso");
    // Then a plain URL elsewhere whose SHA256SUMS gives the same digest.
    let origin = publisher(&data).await;
    origin.put("/pub/f.iso", Page::file(data.clone()).throttled(1 << 20));
    let output = home.get(&[&origin.url("/pub/f.iso")]).await;
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(
        message.contains("1 more mirror: 1 from Braid's memory"),
        "{message}"
    );
    assert!(
        mirror.requests("/m/f.iso") > served_first,
        "the remembered mirror was used: {message}"
    );
    assert_eq!(std::fs::read(home.out().join("f.iso")).unwrap(), *data);
    // And `braid mirrors` lists what is known, the plain URL now among them.
    let output = home.run(&["mirrors", &sha256(&data)]).await;
    let listed = stdout(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(listed.contains(&mirror.url("/m/f.iso")), "{listed}");
    assert!(listed.contains(&origin.url("/pub/f.iso")), "{listed}");
    let output = home.run(&["mirrors", "--json", &sha256(&data)]).await;
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["known"], true);
    assert_eq!(json["name"], "f.iso");
    let output = home.run(&["mirrors", &"ab".repeat(32)]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("No mirrors known"),
        "{}",
        stdout(&output)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspect_url_says_where_checksums_and_mirrors_came_from() {
    let data = Arc::new(payload(100_000, 54));
    let site = publisher(&data).await;
    site.put(
        "/pub/f.iso",
        Page::file(data.clone())
            .with_header("Link", "<http://127.0.0.9:9/f.iso>; rel=duplicate; pri=2"),
    );
    let home = Home::new("plain-inspect");
    let output = home.run(&["inspect", &site.url("/pub/f.iso")]).await;
    let report = stdout(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        report.contains("verified:  sha-256 from SHA256SUMS"),
        "{report}"
    );
    assert!(
        report.contains("http://127.0.0.9:9/f.iso  (the server's Link headers)"),
        "{report}"
    );
    assert!(report.contains("SHA256SUMS: found sha-256"), "{report}");
    let output = home
        .run(&["inspect", "--json", &site.url("/pub/f.iso")])
        .await;
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["checksum"]["type"], "sha-256");
    assert_eq!(json["checksum"]["origin"]["kind"], "hash_file");
    assert_eq!(json["mirrors"][1]["origin"]["kind"], "link_header");
    assert!(
        !home.dir.join("data/mirrors.json").exists(),
        "inspecting teaches the memory nothing"
    );
}
