//! Signatures as a user meets them: `braid keys import/list/remove` in a scratch home,
//! then `braid get` and `braid inspect` on signed metalinks (good, BAD, unknown key,
//! `--require-signature`) and on plain URLs with a `FILE.asc` sidecar or a signed
//! `SHA256SUMS`, against loopback sites. Keys and signatures are made in the tests.

mod support;

use std::process::Output;
use std::sync::Arc;

use braid::engine::verify::digest;
use braid::loopback::metalink_for;
use braid::loopback::site::{Page, Site};
use braid::metalink::HashAlgorithm;
use support::keys::TestKey;
use support::{cli, payload};

/// A user's home for one test (settings, data and keyring of its own) trusting only
/// Braid's keyring (not this machine's GnuPG or system keys).
struct Home {
    cli: cli::Home,
}

impl std::ops::Deref for Home {
    type Target = cli::Home;

    fn deref(&self) -> &cli::Home {
        &self.cli
    }
}

impl Home {
    fn new(name: &str) -> Home {
        let cli = cli::Home::new(&format!("sign-{name}"));
        std::fs::create_dir_all(cli.dir.join("config")).unwrap();
        std::fs::write(
            cli.dir.join("config/settings.toml"),
            "keys_from_gnupg = false\nkeys_from_system = false\n",
        )
        .unwrap();
        Home { cli }
    }

    /// `braid keys import` of the key's public part, from a file.
    async fn import(&self, key: &TestKey) -> Output {
        let path = self.dir.join(format!("{}.asc", key.fingerprint()));
        std::fs::write(&path, key.public_armored()).unwrap();
        let output = self.run(&["keys", "import", path.to_str().unwrap()]).await;
        assert!(output.status.success(), "{}", text(&output));
        output
    }

    /// A signed metalink for `data` served by `site` at `/f.bin`, written here.
    fn metalink(&self, site: &Site, data: &[u8], signature: &[u8]) -> String {
        let plain = metalink_for("f.bin", data, 64 * 1024, &[site.url("/f.bin")]);
        let signature = String::from_utf8(signature.to_vec()).unwrap();
        let signed = plain.replacen(
            "</file>",
            &format!(
                "<signature mediatype=\"application/pgp-signature\">{signature}</signature></file>"
            ),
            1,
        );
        assert_ne!(plain, signed);
        let path = self.dir.join("f.meta4");
        std::fs::write(&path, signed).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

/// What braid printed, both streams.
fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn site_with(data: &Arc<Vec<u8>>) -> Site {
    let site = Site::start(1).await.expect("a loopback site starts");
    site.put("/f.bin", Page::file(data.clone()));
    site
}

fn alice() -> TestKey {
    TestKey::new("Alice <alice@example.org>")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_are_imported_from_files_and_urls_listed_and_removed() {
    let home = Home::new("keys");
    let alice = alice();
    let bob = TestKey::new("Bob <bob@example.org>");
    let output = home.run(&["keys", "list"]).await;
    assert!(
        text(&output).contains("no keys in Braid's keyring"),
        "{}",
        text(&output)
    );

    let imported = home.import(&alice).await;
    assert!(
        text(&imported).contains(&format!(
            "imported {}  Alice <alice@example.org>",
            alice.fingerprint()
        )),
        "{}",
        text(&imported)
    );
    let again = home.import(&alice).await;
    assert!(text(&again).contains("unchanged"), "{}", text(&again));

    // From a URL, binary.
    let site = Site::start(1).await.unwrap();
    site.put("/bob.gpg", Page::file(bob.public_binary()));
    let output = home.run(&["keys", "import", &site.url("/bob.gpg")]).await;
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains(&bob.fingerprint()),
        "{}",
        text(&output)
    );

    let listed = text(&home.run(&["keys", "list"]).await);
    assert!(
        listed.contains(&format!(
            "{}  Alice <alice@example.org>",
            alice.fingerprint()
        )),
        "{listed}"
    );
    assert!(
        listed.contains(&format!("{}  Bob <bob@example.org>", bob.fingerprint())),
        "{listed}"
    );

    let removed = home.run(&["keys", "remove", &bob.fingerprint()]).await;
    assert!(removed.status.success(), "{}", text(&removed));
    assert!(text(&removed).contains("removed"), "{}", text(&removed));
    let listed = text(&home.run(&["keys", "list"]).await);
    assert!(!listed.contains(&bob.fingerprint()), "{listed}");

    // Wrong input: a clear error and a non-zero exit, the keyring as it was.
    let again = home.run(&["keys", "remove", &bob.fingerprint()]).await;
    assert!(!again.status.success());
    assert!(text(&again).contains("no key"), "{}", text(&again));
    let junk = home.dir.join("junk.asc");
    std::fs::write(&junk, "not a key").unwrap();
    let bad = home.run(&["keys", "import", junk.to_str().unwrap()]).await;
    assert!(!bad.status.success());
    assert!(
        text(&bad).contains("no OpenPGP public key"),
        "{}",
        text(&bad)
    );
    let missing = home
        .run(&["keys", "import", &site.url("/missing.asc")])
        .await;
    assert!(!missing.status.success());
    assert!(text(&missing).contains("404"), "{}", text(&missing));
    assert!(text(&home.run(&["keys", "list"]).await).contains(&alice.fingerprint()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_good_signature_by_an_imported_key_is_said_with_its_fingerprint() {
    let data = Arc::new(payload(300 * 1024 + 5, 61));
    let site = site_with(&data).await;
    let home = Home::new("good");
    let alice = alice();
    home.import(&alice).await;
    let metalink = home.metalink(&site, &data, &alice.sign(&data));

    let inspected = text(&home.run(&["inspect", &metalink]).await);
    assert!(
        inspected.contains(&format!(
            "signature: signed by Alice <alice@example.org> ({}); checked once the file is in",
            alice.fingerprint()
        )),
        "{inspected}"
    );

    let output = home.get(&[&metalink]).await;
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains(&format!(
            "signature good, by Alice <alice@example.org> ({})",
            alice.fingerprint()
        )),
        "{said}"
    );
    assert_eq!(std::fs::read(home.out().join("f.bin")).unwrap(), *data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signature_over_other_content_keeps_the_file_out() {
    let data = Arc::new(payload(200 * 1024, 62));
    let site = site_with(&data).await;
    let home = Home::new("bad");
    let alice = alice();
    home.import(&alice).await;
    let metalink = home.metalink(&site, &data, &alice.sign(b"another release"));
    let output = home.get(&[&metalink]).await;
    let said = text(&output);
    assert!(!output.status.success(), "{said}");
    assert!(
        said.contains(&format!(
            "signature BAD: the file is not what Alice <alice@example.org> ({}) signed",
            alice.fingerprint()
        )),
        "{said}"
    );
    assert!(!home.out().join("f.bin").exists());
    assert!(
        !home.out().join("f.bin.part").exists(),
        "the data is discarded"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_key_is_named_and_required_signatures_stop_early() {
    let data = Arc::new(payload(100 * 1024, 63));
    let site = site_with(&data).await;
    let home = Home::new("unknown");
    let alice = alice();
    let metalink = home.metalink(&site, &data, &alice.sign(&data));
    let unknown = format!(
        "signature not checked: key {} is not in your keyring",
        alice.fingerprint()
    );

    let inspected = text(&home.run(&["inspect", &metalink]).await);
    assert!(inspected.contains(&unknown), "{inspected}");

    // Required: refused before anything is downloaded.
    let output = home.get(&["--require-signature", &metalink]).await;
    let said = text(&output);
    assert!(!output.status.success(), "{said}");
    assert!(said.contains("a good signature is required"), "{said}");
    assert!(said.contains(&unknown), "{said}");
    assert!(!home.out().join("f.bin").exists());
    assert_eq!(site.requests("/f.bin"), 0, "nothing was downloaded");

    // Not required: the file is placed (its hashes passed) and the key named.
    let output = home.get(&[&metalink]).await;
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert!(said.contains(&unknown), "{said}");
    assert_eq!(std::fs::read(home.out().join("f.bin")).unwrap(), *data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_key_is_a_warning_that_says_so() {
    let data = Arc::new(payload(80 * 1024, 64));
    let site = site_with(&data).await;
    let home = Home::new("expired");
    let carol = TestKey::expired("Carol <carol@example.org>");
    home.import(&carol).await;
    let metalink = home.metalink(&site, &data, &carol.sign(&data));
    let output = home.get(&[&metalink]).await;
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("signature good, by Carol"), "{said}");
    assert!(
        said.contains(&format!("warning: key {} expired on", carol.fingerprint())),
        "{said}"
    );
    assert!(said.contains("before it made this signature"), "{said}");
    // Such a signature proves nothing: required, it fails.
    let output = home
        .get(&["--overwrite", "--require-signature", &metalink])
        .await;
    assert!(!output.status.success(), "{}", text(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_urls_are_checked_by_their_sidecar_and_their_signed_sha256sums() {
    let data = Arc::new(payload(256 * 1024 + 3, 65));
    let alice = alice();
    let site = Site::start(1).await.unwrap();
    site.put("/pub/f.iso", Page::file(data.clone()));
    let hex: String = digest(HashAlgorithm::Sha256, &data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let sums = format!("{hex}  f.iso\n");
    site.put("/pub/SHA256SUMS", Page::text(sums.clone()));
    site.put(
        "/pub/SHA256SUMS.gpg",
        Page::file(alice.sign_binary(sums.as_bytes())),
    );
    site.put("/pub/f.iso.asc", Page::file(alice.sign(&data)));
    let home = Home::new("plain");
    home.import(&alice).await;

    let output = home.get(&[&site.url("/pub/f.iso")]).await;
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains(&format!(
            "signature good, by Alice <alice@example.org> ({})",
            alice.fingerprint()
        )) || said.contains("signature good (over SHA256SUMS)"),
        "{said}"
    );

    // A signature beside the file and no checksum: the signature is what checks it.
    let site = Site::start(3).await.unwrap();
    site.put("/pub/f.iso", Page::file(data.clone()));
    site.put("/pub/f.iso.asc", Page::file(alice.sign(&data)));
    let home = Home::new("plain-sidecar-only");
    home.import(&alice).await;
    let output = home.get(&[&site.url("/pub/f.iso")]).await;
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("no checksum found; its OpenPGP signature (f.iso.asc) checks the file"),
        "{said}"
    );
    assert!(
        said.contains("done, no checksum was found, checked by its signature"),
        "{said}"
    );
    assert!(!said.contains("cannot be checked"), "{said}");

    // A clearsigned SHA256SUMS.asc alone, tampered: the file is not downloaded.
    let site = Site::start(2).await.unwrap();
    site.put("/pub/f.iso", Page::file(data.clone()));
    let clear = alice.clearsign(&format!("{hex}  f.iso\n{}  g.iso\n", "11".repeat(32)));
    site.put(
        "/pub/SHA256SUMS.asc",
        Page::text(clear.replace(&"11".repeat(32), &"22".repeat(32))),
    );
    let home = Home::new("plain-tampered");
    home.import(&alice).await;
    let output = home.get(&[&site.url("/pub/f.iso")]).await;
    let said = text(&output);
    assert!(!output.status.success(), "{said}");
    assert!(
        said.contains("signature BAD: SHA256SUMS.asc is not what"),
        "{said}"
    );
    assert!(!home.out().join("f.iso").exists());
}

/// `braid create --sign KEYFILE` puts a signature by the key in the metalink, which
/// `braid get` then checks like any other: here a key whose subkey signs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metalinks_braid_create_signs_are_checked_by_braid_get() {
    let data = Arc::new(payload(200 * 1024 + 3, 67));
    let site = site_with(&data).await;
    let home = Home::new("create-sign");
    let carol = TestKey::with_signing_subkey("Carol <carol@example.org>");
    let secret = home.dir.join("carol-secret.asc");
    std::fs::write(&secret, carol.secret_armored()).unwrap();
    let published = home.dir.join("f.bin");
    std::fs::write(&published, &*data).unwrap();
    let metalink = home.dir.join("signed.meta4");
    let base = site.url("/");
    let created = home
        .run(&[
            "create",
            "-o",
            metalink.to_str().unwrap(),
            "--mirror",
            &base,
            "--sign",
            secret.to_str().unwrap(),
            published.to_str().unwrap(),
        ])
        .await;
    let said = text(&created);
    assert!(created.status.success(), "{said}");
    assert!(
        said.contains(&format!(
            "signed 1 file(s) with Carol <carol@example.org> ({})",
            carol.fingerprint()
        )),
        "{said}"
    );
    let written = std::fs::read_to_string(&metalink).unwrap();
    assert!(
        written.contains(
            "<signature mediatype=\"application/pgp-signature\">-----BEGIN PGP SIGNATURE-----"
        ),
        "{written}"
    );

    home.import(&carol).await;
    let output = home.get(&[metalink.to_str().unwrap()]).await;
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains(&format!(
            "signature good, by Carol <carol@example.org> ({})",
            carol.fingerprint()
        )),
        "{said}"
    );

    // A public key cannot sign: said before any file is read.
    let public = home.dir.join("carol.asc");
    std::fs::write(&public, carol.public_armored()).unwrap();
    let refused = home
        .run(&[
            "create",
            "-o",
            home.dir.join("no.meta4").to_str().unwrap(),
            "--mirror",
            &base,
            "--sign",
            public.to_str().unwrap(),
            published.to_str().unwrap(),
        ])
        .await;
    let said = text(&refused);
    assert!(!refused.status.success(), "{said}");
    assert!(
        said.contains("carol.asc: not an OpenPGP secret key"),
        "{said}"
    );
    assert!(!home.dir.join("no.meta4").exists());
    let _ = std::fs::remove_dir_all(&home.dir);
}
