//! Checksums and mirrors found for plain URLs, against loopback sites that publish hash
//! files in every format, lie, answer 404, send a huge file, answer slowly, or play
//! MirrorBrain, mirrorbits and a metalink service.

use std::sync::Arc;
use std::time::{Duration, Instant};

use braid::discover::checksums::{self, Budget, Conflict, Outcome, Target};
use braid::discover::fetch::Failure;
use braid::discover::plain;
use braid::discover::{ChecksumOrigin, MirrorOrigin};
use braid::engine::verify::digest;
use braid::loopback::site::{Page, Site};
use braid::loopback::{metalink_for, payload};
use braid::metalink::{Hash, HashAlgorithm};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(data: &[u8]) -> String {
    hex(&digest(HashAlgorithm::Sha256, data))
}

fn md5(data: &[u8]) -> String {
    hex(&digest(HashAlgorithm::Md5, data))
}

async fn site() -> Site {
    Site::start(1).await.expect("a loopback site starts")
}

fn target(site: &Site, path: &str) -> Target {
    let url = url::Url::parse(&site.url(path)).unwrap();
    Target {
        final_url: url.clone(),
        url,
        header_digests: Vec::new(),
        size: None,
    }
}

async fn search(target: &Target) -> checksums::Search {
    checksums::search(&braid::discover::fetch::client(), target, Budget::default()).await
}

fn data() -> Arc<Vec<u8>> {
    Arc::new(payload(200_000, 7))
}

/// A site with [`data`] at `/d/a.iso` and a `SHA256SUMS` beside it that lists it.
async fn published() -> (Site, Arc<Vec<u8>>) {
    let site = site().await;
    let data = data();
    site.put("/d/a.iso", Page::file(data.clone()));
    site.put(
        "/d/SHA256SUMS",
        Page::text(format!("{}  a.iso\n", sha256(&data))),
    );
    (site, data)
}

#[tokio::test]
async fn sha256sums_next_to_the_file() {
    let site = site().await;
    let data = data();
    site.put("/pub/f.iso", Page::file(data.clone()));
    site.put(
        "/pub/SHA256SUMS",
        Page::text(format!(
            "{}  other.iso\n{} *f.iso\n",
            "00".repeat(32),
            sha256(&data)
        )),
    );
    let found = search(&target(&site, "/pub/f.iso")).await;
    assert!(found.conflict.is_none(), "{:?}", found.conflict);
    let strongest = found.strongest().expect("a digest");
    assert_eq!(strongest.hash.hex(), sha256(&data));
    assert_eq!(
        strongest.origin,
        ChecksumOrigin::HashFile {
            url: site.url("/pub/SHA256SUMS"),
            signed: false
        }
    );
    // A strong digest in the first wave: the rarer places are not asked.
    assert_eq!(site.requests("/pub/SHA512SUMS"), 0);
    assert_eq!(site.requests("/pub/MD5SUMS"), 0);
    assert!(site.log().len() <= 14, "{:?}", site.log());
}

#[tokio::test]
async fn bsd_tags_in_checksums_and_a_bare_sidecar() {
    let site = site().await;
    let data = data();
    site.put("/d/a.iso", Page::file(data.clone()));
    site.put(
        "/d/CHECKSUMS",
        Page::text(format!(
            "# a.iso: {} bytes\nMD5 (a.iso) = {}\nSHA256 (a.iso) = {}\n",
            data.len(),
            md5(&data),
            sha256(&data)
        )),
    );
    site.put(
        "/d/a.iso.sha256",
        Page::text(format!("{}\n", sha256(&data))),
    );
    let found = search(&target(&site, "/d/a.iso")).await;
    assert!(found.conflict.is_none(), "{:?}", found.conflict);
    let hashes = found.hashes();
    assert_eq!(hashes.len(), 2);
    assert_eq!(hashes[0].algorithm, HashAlgorithm::Md5);
    // Both places agree; the first to say sha-256 is named.
    let places: Vec<_> = found
        .found
        .iter()
        .map(|f| f.origin.place().unwrap())
        .collect();
    assert!(places.contains(&"CHECKSUMS".to_owned()), "{places:?}");
    assert!(places.contains(&"a.iso.sha256".to_owned()), "{places:?}");
}

#[tokio::test]
async fn weak_digests_only_lead_to_the_second_wave() {
    let site = site().await;
    let data = data();
    site.put("/d/a.iso", Page::file(data.clone()));
    site.put("/d/MD5SUMS", Page::text(format!("{}  a.iso\n", md5(&data))));
    site.put(
        "/d/a.iso.sha512",
        Page::text(format!(
            "{}  a.iso\n",
            hex(&digest(HashAlgorithm::Sha512, &data))
        )),
    );
    let found = search(&target(&site, "/d/a.iso")).await;
    let strongest = found.strongest().unwrap();
    assert_eq!(strongest.hash.algorithm, HashAlgorithm::Sha512);
    assert_eq!(strongest.origin.place().as_deref(), Some("a.iso.sha512"));
    assert_eq!(found.hashes().len(), 2, "md5 from MD5SUMS too");
}

#[tokio::test]
async fn a_clearsigned_file_is_read_and_its_signature_kept() {
    let site = site().await;
    let data = data();
    site.put("/d/a.iso", Page::file(data.clone()));
    site.put(
        "/d/SHA256SUMS.asc",
        Page::text(format!(
            "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n{}  a.iso\n-----BEGIN PGP SIGNATURE-----\n\niHUEARYKAB0WIQ\n=abcd\n-----END PGP SIGNATURE-----\n",
            sha256(&data)
        )),
    );
    site.put(
        "/d/a.iso.asc",
        Page::text("-----BEGIN PGP SIGNATURE-----\n\niHUEABYKAB0\n-----END PGP SIGNATURE-----\n"),
    );
    let found = search(&target(&site, "/d/a.iso")).await;
    let strongest = found.strongest().unwrap();
    assert_eq!(
        strongest.origin,
        ChecksumOrigin::HashFile {
            url: site.url("/d/SHA256SUMS.asc"),
            signed: true
        }
    );
    let signed: Vec<_> = found
        .signatures
        .iter()
        .map(|s| (s.source.clone(), s.hash_file().map(str::to_owned)))
        .collect();
    assert!(
        signed.contains(&(site.url("/d/SHA256SUMS.asc"), Some("SHA256SUMS.asc".into()))),
        "the clearsigned file, whole: {signed:?}"
    );
    assert!(
        signed.contains(&(site.url("/d/a.iso.asc"), None)),
        "the file's own .asc: {signed:?}"
    );
}

#[tokio::test]
async fn a_detached_signature_of_the_sums_file_is_kept() {
    let (site, data) = published().await;
    // Ubuntu's SHA256SUMS.gpg is an armored detached signature.
    site.put(
        "/d/SHA256SUMS.gpg",
        Page::text("-----BEGIN PGP SIGNATURE-----\n\niQIzBAABCgAd\n-----END PGP SIGNATURE-----\n"),
    );
    let found = search(&target(&site, "/d/a.iso")).await;
    assert_eq!(found.signatures.len(), 1, "{:?}", found.signatures);
    assert_eq!(found.signatures[0].source, site.url("/d/SHA256SUMS.gpg"));
    // It carries the text it signs and the digest that text lists, for the check.
    match &found.signatures[0].signs {
        braid::signature::Signs::HashFile {
            name, text, hashes, ..
        } => {
            assert_eq!(name, "SHA256SUMS");
            assert_eq!(text, &format!("{}  a.iso\n", sha256(&data)).into_bytes());
            assert_eq!(hashes.len(), 1);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_lying_hash_file_is_a_conflict() {
    let (site, _) = published().await;
    site.put(
        "/d/a.iso.sha256",
        Page::text(format!("{}  a.iso\n", sha256(b"something else"))),
    );
    let found = search(&target(&site, "/d/a.iso")).await;
    let conflict = found.conflict.clone().expect("a conflict");
    assert!(
        matches!(conflict, Conflict::Disagree { .. }),
        "{conflict:?}"
    );
    let message = conflict.to_string();
    assert!(message.contains("SHA256SUMS"), "{message}");
    assert!(message.contains("a.iso.sha256"), "{message}");
    assert!(found.strongest().is_none());
}

#[tokio::test]
async fn a_name_listed_twice_differently_is_a_conflict() {
    let site = site().await;
    site.put("/d/a.iso", Page::file(data()));
    site.put(
        "/d/SHA256SUMS",
        Page::text(format!(
            "{}  a.iso\n{}  a.iso\n",
            "11".repeat(32),
            "22".repeat(32)
        )),
    );
    let found = search(&target(&site, "/d/a.iso")).await;
    let conflict = found.conflict.expect("a conflict");
    assert_eq!(
        conflict.to_string(),
        "SHA256SUMS: it lists 'a.iso' twice with different sha-256 digests (lines 1 and 2)"
    );
}

#[tokio::test]
async fn a_weak_header_that_disagrees_is_a_conflict() {
    let site = site().await;
    let data = data();
    site.put("/d/a.iso", Page::file(data.clone()));
    site.put("/d/MD5SUMS", Page::text(format!("{}  a.iso\n", md5(&data))));
    let mut target = target(&site, "/d/a.iso");
    target.header_digests = vec![Hash {
        algorithm: HashAlgorithm::Md5,
        digest: vec![0; 16],
    }];
    let found = search(&target).await;
    let conflict = found.conflict.expect("a conflict").to_string();
    assert!(
        conflict.contains("the server's Digest header"),
        "{conflict}"
    );
    assert!(conflict.contains("MD5SUMS"), "{conflict}");
}

#[tokio::test]
async fn nothing_published_is_quick_and_bounded() {
    let site = site().await;
    site.put("/d/a.iso", Page::file(data()));
    let found = search(&target(&site, "/d/a.iso")).await;
    assert!(found.found.is_empty());
    assert!(found.conflict.is_none());
    assert!(
        found
            .tried
            .iter()
            .filter(|t| !t.url.contains("?sha256"))
            .all(|t| matches!(t.outcome, Outcome::Failed(Failure::Missing(404)))),
        "{:?}",
        found.tried
    );
    // The file itself answered the mirrorbits query (the server ignores queries), but
    // it is no hash file.
    let mirrorbits = found
        .tried
        .iter()
        .find(|t| t.url.ends_with("?sha256"))
        .unwrap();
    assert!(
        matches!(
            mirrorbits.outcome,
            Outcome::Nothing(_) | Outcome::Failed(Failure::TooLarge { .. })
        ),
        "{mirrorbits:?}"
    );
    let log = site.log();
    assert!(log.len() <= 20, "{} requests: {log:?}", log.len());
}

#[tokio::test]
async fn a_huge_hash_file_is_not_read() {
    let site = site().await;
    let data = data();
    site.put("/d/a.iso", Page::file(data.clone()));
    let mut huge = format!("{}  a.iso\n", "11".repeat(32));
    while huge.len() < 3 * 1024 * 1024 {
        huge.push_str(&format!("{}  filler.iso\n", "22".repeat(32)));
    }
    site.put("/d/SHA256SUMS", Page::text(huge));
    site.put(
        "/d/a.iso.sha256",
        Page::text(format!("{}\n", sha256(&data))),
    );
    let found = search(&target(&site, "/d/a.iso")).await;
    let sums = found
        .tried
        .iter()
        .find(|t| t.url.ends_with("/SHA256SUMS"))
        .unwrap();
    assert!(
        matches!(sums.outcome, Outcome::Failed(Failure::TooLarge { .. })),
        "{sums:?}"
    );
    assert_eq!(
        found.strongest().unwrap().origin.place().as_deref(),
        Some("a.iso.sha256")
    );
}

#[tokio::test]
async fn a_slow_hash_file_does_not_hold_the_search() {
    let site = site().await;
    let data = data();
    site.put("/d/a.iso", Page::file(data.clone()));
    site.put(
        "/d/SHA256SUMS",
        Page::text(format!("{}  a.iso\n", sha256(&data))).slow(Duration::from_secs(30)),
    );
    site.put(
        "/d/SHA512SUMS",
        Page::text(format!(
            "{}  a.iso\n",
            hex(&digest(HashAlgorithm::Sha512, &data))
        )),
    );
    let budget = Budget {
        deadline: Duration::from_millis(1500),
        request: Duration::from_millis(700),
    };
    let began = Instant::now();
    let found = checksums::search(
        &braid::discover::fetch::client(),
        &target(&site, "/d/a.iso"),
        budget,
    )
    .await;
    // Bounded by the deadline (plus scheduling slack on a busy machine).
    assert!(
        began.elapsed() < Duration::from_secs(10),
        "{:?}",
        began.elapsed()
    );
    let sums = found
        .tried
        .iter()
        .find(|t| t.url.ends_with("/SHA256SUMS"))
        .unwrap();
    assert!(
        matches!(sums.outcome, Outcome::Failed(Failure::TimedOut(_))),
        "{sums:?}"
    );
    assert_eq!(
        found.strongest().unwrap().hash.algorithm,
        HashAlgorithm::Sha512,
        "the second wave still ran: {:?}",
        found.tried
    );
}

#[tokio::test]
async fn mirrorbits_answers_the_sha256_query() {
    let site = site().await;
    let data = data();
    site.put("/d/a.iso", Page::file(data.clone()));
    site.put(
        "/d/a.iso?sha256",
        Page::text(format!("{}  a.iso", sha256(&data))),
    );
    let found = search(&target(&site, "/d/a.iso")).await;
    let strongest = found.strongest().unwrap();
    assert_eq!(
        strongest.origin,
        ChecksumOrigin::Mirrorbits {
            url: site.url("/d/a.iso?sha256")
        }
    );
    assert_eq!(strongest.origin.place().as_deref(), Some("a.iso?sha256"));
}

#[tokio::test]
async fn mirrorbrains_metalink_brings_pieces_and_mirrors() {
    let site = site().await;
    let data = data();
    site.put("/d/a.iso", Page::file(data.clone()));
    let doc = metalink_for(
        "a.iso",
        &data,
        64 * 1024,
        &["http://127.0.0.9:1/a.iso".to_owned(), site.url("/d/a.iso")],
    );
    site.put(
        "/d/a.iso.meta4",
        Page::text(doc).with_type("application/metalink4+xml"),
    );
    let mut target = target(&site, "/d/a.iso");
    target.size = Some(data.len() as u64);
    let found = search(&target).await;
    assert_eq!(
        found.strongest().unwrap().origin,
        ChecksumOrigin::ServerMetalink {
            url: site.url("/d/a.iso.meta4")
        }
    );
    assert_eq!(found.pieces.as_ref().unwrap().length, 64 * 1024);
    let mirrors: Vec<_> = found.mirrors.iter().map(|(m, _)| m.url.clone()).collect();
    assert!(
        mirrors.contains(&"http://127.0.0.9:1/a.iso".to_owned()),
        "{mirrors:?}"
    );
    assert!(
        found
            .mirrors
            .iter()
            .all(|(_, o)| matches!(o, MirrorOrigin::ServerMetalink { .. }))
    );
}

#[tokio::test]
async fn a_metalink_for_another_size_is_not_used() {
    let site = site().await;
    let data = data();
    site.put("/d/a.iso", Page::file(data.clone()));
    let doc = metalink_for("a.iso", &data[..1000], 0, &[site.url("/d/a.iso")]);
    site.put("/d/a.iso.meta4", Page::text(doc));
    let mut target = target(&site, "/d/a.iso");
    target.size = Some(data.len() as u64);
    let found = search(&target).await;
    assert!(found.found.is_empty(), "{:?}", found.found);
    assert!(found.mirrors.is_empty());
}

#[tokio::test]
async fn the_mirror_list_stands_in_for_a_metalink_too_large() {
    let site = site().await;
    let data = data();
    site.put("/d/a.iso", Page::file(data.clone()));
    site.put("/d/a.iso.meta4", Page::text("x".repeat(5 * 1024 * 1024)));
    site.put(
        "/d/a.iso.mirrorlist",
        Page::text(format!(
            "<ul>\n  <li><span class=\"mirrorbrain-label\">Size:</span> 195K ({} bytes)</li>\n  <li><span class=\"mirrorbrain-label\"><a href=\"/d/a.iso.sha256\">SHA-256 Hash</a>:</span> <tt>{}</tt></li>\n</ul>\n<ul>\n  <li><a href=\"http://127.0.0.9:1/a.iso\">http://127.0.0.9:1/a.iso</a> (de, prio 100)</li>\n</ul>\n",
            data.len(),
            sha256(&data)
        ))
        .with_type("text/html"),
    );
    let mut target = target(&site, "/d/a.iso");
    target.size = Some(data.len() as u64);
    let found = search(&target).await;
    assert_eq!(
        found.strongest().unwrap().origin,
        ChecksumOrigin::ServerMetalink {
            url: site.url("/d/a.iso.mirrorlist")
        }
    );
    assert_eq!(found.mirrors.len(), 1);
    assert_eq!(found.mirrors[0].0.location.as_deref(), Some("de"));
}

#[tokio::test]
async fn hash_files_are_looked_for_next_to_the_given_url() {
    // The given URL redirects to a CDN URL with a signed query (GitHub releases do).
    let site = site().await;
    let data = data();
    site.put("/releases/v1/a.iso", Page::status(302));
    site.put(
        "/releases/v1/SHA256SUMS",
        Page::text(format!("{}  a.iso\n", sha256(&data))),
    );
    let target = Target {
        url: url::Url::parse(&site.url("/releases/v1/a.iso")).unwrap(),
        final_url: url::Url::parse(&site.url("/blob/123?sig=abc")).unwrap(),
        header_digests: Vec::new(),
        size: None,
    };
    let found = search(&target).await;
    assert_eq!(found.strongest().unwrap().hash.hex(), sha256(&data));
}

async fn probed(site: &Site, path: &str) -> braid::discover::RemoteFile {
    let url = url::Url::parse(&site.url(path)).unwrap();
    match braid::discover::probe(&braid::discover::client(), &url)
        .await
        .unwrap()
    {
        braid::discover::Probed::File(file) => file,
        other => panic!("{other:?}"),
    }
}

/// [`data`] at `/d/a.iso`, which gives its digest by `algorithm` in a `Digest: NAME=…`
/// header, with a `SHA256SUMS` beside it that lists it; and what `plain::complete` makes
/// of that URL with `options`.
async fn completed_with_header_digest(
    algorithm: HashAlgorithm,
    name: &str,
    options: &plain::Options,
) -> (Site, plain::PlainFile) {
    use base64::Engine as _;
    let site = site().await;
    let data = data();
    let header = base64::engine::general_purpose::STANDARD.encode(digest(algorithm, &data));
    site.put(
        "/d/a.iso",
        Page::file(data.clone()).with_header("Digest", &format!("{name}={header}")),
    );
    site.put(
        "/d/SHA256SUMS",
        Page::text(format!("{}  a.iso\n", sha256(&data))),
    );
    let given = url::Url::parse(&site.url("/d/a.iso")).unwrap();
    let file = probed(&site, "/d/a.iso").await;
    let found = plain::complete(&braid::discover::fetch::client(), &given, file, options).await;
    (site, found)
}

#[tokio::test]
async fn the_users_digest_is_the_one_checked_whatever_else_is_there() {
    let user = Hash::from_hex(HashAlgorithm::Md5, &md5(&data())).unwrap();
    let options = plain::Options {
        expected: Some(user.clone()),
        ..plain::Options::default()
    };
    let (site, found) =
        completed_with_header_digest(HashAlgorithm::Sha256, "SHA-256", &options).await;
    assert_eq!(
        found.hashes,
        [user],
        "the stronger header digest does not outvote it"
    );
    assert_eq!(found.provenance.checksum, Some(ChecksumOrigin::User));
    assert_eq!(
        site.requests("/d/SHA256SUMS"),
        0,
        "nothing searched: {:?}",
        site.log()
    );
}

#[tokio::test]
async fn a_weak_header_digest_still_leads_to_a_search() {
    let (_site, found) =
        completed_with_header_digest(HashAlgorithm::Md5, "MD5", &plain::Options::default()).await;
    let (algorithm, origin) = found.checked_with().unwrap();
    assert_eq!(algorithm, HashAlgorithm::Sha256);
    assert_eq!(origin.place().as_deref(), Some("SHA256SUMS"));
    assert_eq!(
        found.hashes.len(),
        2,
        "md5 from the header kept: {:?}",
        found.hashes
    );
}
