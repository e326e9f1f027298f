//! OpenPGP signatures against keys made in the tests: good, BAD, unknown key, expired,
//! revoked and non-signing keys, signing subkeys, armored and binary forms, signatures
//! over a checksum file (detached and clearsigned); Braid's keyring; the GnuPG and
//! system sources, with keys and signatures GnuPG itself made.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use braid::metalink::{Hash, HashAlgorithm};
use braid::signature::{
    Change, Covers, Found, ImportError, KeySources, KeyStore, Keyring, Origin, Outcome,
    RemoveError, Signs, Unchecked, Verdict, Warning, check, check_before_download,
};
use pgp::packet::RevocationCode;
use support::keys::{DAY, TestKey, now};

const DATA: &[u8] = b"the file Alice published\n";

fn file_with(name: &str, data: &[u8]) -> std::path::PathBuf {
    let dir = support::temp_dir(name);
    let path = dir.join("file.bin");
    std::fs::write(&path, data).unwrap();
    path
}

fn ring(keys: &[&TestKey]) -> Keyring {
    let mut ring = Keyring::new();
    for key in keys {
        ring.extend(Keyring::from_bytes(key.public_armored().as_bytes(), Origin::Braid).unwrap());
    }
    ring
}

fn verdict(name: &str, signature: Vec<u8>, data: &[u8], ring: &Keyring) -> Verdict {
    let path = file_with(name, data);
    let found = [Found::detached(
        "https://example.org/file.bin.asc",
        signature,
    )];
    check(&found, &path, None, ring, SystemTime::now()).unwrap()
}

fn only(verdict: &Verdict) -> &Outcome {
    assert_eq!(verdict.checks.len(), 1, "{verdict:?}");
    &verdict.checks[0].outcome
}

#[test]
fn a_good_armored_signature_names_its_signer() {
    let alice = TestKey::new("Alice <alice@example.org>");
    let v = verdict("good-armored", alice.sign(DATA), DATA, &ring(&[&alice]));
    match only(&v) {
        Outcome::Good { signer, warnings } => {
            assert_eq!(signer.fingerprint, alice.fingerprint());
            assert_eq!(signer.user.as_deref(), Some("Alice <alice@example.org>"));
            assert_eq!(signer.subkey, None);
            assert_eq!(signer.origin, Origin::Braid);
            assert!(warnings.is_empty(), "{warnings:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(v.proves_publisher());
    assert!(!v.is_bad());
    assert_eq!(v.checks[0].covers, Covers::File);
}

#[test]
fn a_good_binary_signature_counts_the_same() {
    let alice = TestKey::new("Alice <alice@example.org>");
    let signature = alice.sign_binary(DATA);
    assert_ne!(signature[0], b'-', "a binary signature");
    let v = verdict("good-binary", signature, DATA, &ring(&[&alice]));
    assert!(matches!(only(&v), Outcome::Good { .. }), "{v:?}");
    assert!(v.proves_publisher());
}

#[test]
fn a_signature_over_other_content_is_bad() {
    let alice = TestKey::new("Alice <alice@example.org>");
    let v = verdict("bad", alice.sign(b"something else"), DATA, &ring(&[&alice]));
    match only(&v) {
        Outcome::Bad { signer } => assert_eq!(signer.fingerprint, alice.fingerprint()),
        other => panic!("{other:?}"),
    }
    assert!(v.is_bad());
    assert!(!v.proves_publisher());
}

#[test]
fn a_key_not_in_the_keyring_is_named() {
    let alice = TestKey::new("Alice <alice@example.org>");
    let bob = TestKey::new("Bob <bob@example.org>");
    let v = verdict("unknown", alice.sign(DATA), DATA, &ring(&[&bob]));
    assert_eq!(
        only(&v),
        &Outcome::UnknownKey {
            key: alice.fingerprint()
        }
    );
    assert_eq!(v.unknown_keys(), vec![alice.fingerprint().as_str()]);
    assert!(!v.is_bad());
    assert!(!v.proves_publisher());
}

#[test]
fn an_expired_key_is_a_warning_that_says_when() {
    let carol = TestKey::expired("Carol <carol@example.org>");
    let keys = ring(&[&carol]);
    // Made today, twenty days after the key expired: it proves nothing.
    let late = verdict("expired-late", carol.sign(DATA), DATA, &keys);
    match only(&late) {
        Outcome::Good { warnings, .. } => match warnings.as_slice() {
            [Warning::KeyExpired { on, signed_after }] => {
                assert!(*signed_after);
                assert!(on.abs_diff(u64::from(now() - 20 * DAY)) < 120, "{on}");
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert!(!late.proves_publisher());
    // Made while the key was valid: still good, with the warning.
    let early = verdict(
        "expired-early",
        carol.sign_at(DATA, now() - 25 * DAY),
        DATA,
        &keys,
    );
    assert!(matches!(
        only(&early),
        Outcome::Good { warnings, .. }
            if matches!(warnings.as_slice(), [Warning::KeyExpired { signed_after: false, .. }])
    ));
    assert!(early.proves_publisher());
}

#[test]
fn a_revoked_key_is_a_warning_and_a_compromised_one_proves_nothing() {
    let dave = TestKey::revoked("Dave <dave@example.org>", RevocationCode::KeyCompromised);
    let v = verdict(
        "revoked",
        dave.sign_at(DATA, now() - 2 * DAY),
        DATA,
        &ring(&[&dave]),
    );
    match only(&v) {
        Outcome::Good { warnings, .. } => match warnings.as_slice() {
            [Warning::KeyRevoked { reason, soft, .. }] => {
                assert_eq!(reason.as_deref(), Some("the key was lost"));
                assert!(!soft);
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert!(!v.proves_publisher());

    // Retired after it signed: the old signature stands.
    let erin = TestKey::revoked("Erin <erin@example.org>", RevocationCode::KeyRetired);
    let v = verdict(
        "retired",
        erin.sign_at(DATA, now() - 2 * DAY),
        DATA,
        &ring(&[&erin]),
    );
    assert!(v.proves_publisher(), "{v:?}");
    let v = verdict("retired-late", erin.sign(DATA), DATA, &ring(&[&erin]));
    assert!(!v.proves_publisher(), "{v:?}");
}

#[test]
fn a_key_not_for_signing_is_a_warning() {
    let frank = TestKey::not_for_signing("Frank <frank@example.org>");
    let v = verdict("not-for-signing", frank.sign(DATA), DATA, &ring(&[&frank]));
    assert!(matches!(
        only(&v),
        Outcome::Good { warnings, .. } if warnings == &[Warning::NotForSigning]
    ));
    assert!(!v.proves_publisher());
}

#[test]
fn a_signing_subkey_signs_for_its_primary_key() {
    let grace = TestKey::with_signing_subkey("Grace <grace@example.org>");
    let v = verdict("subkey", grace.sign(DATA), DATA, &ring(&[&grace]));
    match only(&v) {
        Outcome::Good { signer, warnings } => {
            assert_eq!(signer.fingerprint, grace.fingerprint());
            assert!(signer.subkey.is_some());
            assert_ne!(signer.subkey.as_deref(), Some(grace.fingerprint().as_str()));
            assert!(warnings.is_empty(), "{warnings:?}");
        }
        other => panic!("{other:?}"),
    }
    // The subkey's fingerprint finds the key too (what a signature names).
    let subkey = match only(&v) {
        Outcome::Good { signer, .. } => signer.subkey.clone().unwrap(),
        _ => unreachable!(),
    };
    assert_eq!(
        ring(&[&grace]).find(&subkey).map(|k| k.fingerprint),
        Some(grace.fingerprint())
    );
}

#[test]
fn a_signature_over_the_hash_file_vouches_for_the_hash() {
    let alice = TestKey::new("Alice <alice@example.org>");
    let digest = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let listed = Hash::from_hex(HashAlgorithm::Sha256, digest).unwrap();
    let sums = format!("{digest}  file.bin\nffff  other.bin\n");
    let detached = Found {
        source: "https://example.org/SHA256SUMS.gpg".into(),
        signs: Signs::HashFile {
            name: "SHA256SUMS".into(),
            text: sums.clone().into_bytes(),
            signature: alice.sign_binary(sums.as_bytes()),
            hashes: vec![listed.clone()],
        },
    };
    let clearsigned = Found {
        source: "https://example.org/SHA256SUMS.asc".into(),
        signs: Signs::ClearsignedHashFile {
            name: "SHA256SUMS.asc".into(),
            document: alice.clearsign(&sums).into_bytes(),
            hashes: vec![listed.clone()],
        },
    };
    let keys = ring(&[&alice]);
    // The downloaded file is not read for these: it may not even exist.
    let nowhere = Path::new("/nonexistent/braid/file.bin");
    let both = [detached.clone(), clearsigned.clone()];
    let v = check(&both, nowhere, Some(&listed), &keys, SystemTime::now()).unwrap();
    assert_eq!(v.checks.len(), 2);
    assert_eq!(v.checks[0].covers, Covers::HashFile("SHA256SUMS".into()));
    assert_eq!(
        v.checks[1].covers,
        Covers::HashFile("SHA256SUMS.asc".into())
    );
    assert!(
        v.checks
            .iter()
            .all(|c| matches!(c.outcome, Outcome::Good { .. })),
        "{v:?}"
    );
    assert!(v.proves_publisher());
    // Before the download the same is known already.
    assert_eq!(
        check_before_download(&both, Some(&listed), &keys, SystemTime::now()).checks,
        v.checks
    );

    // The file was checked with another digest than the signed file lists: the
    // signature vouches for nothing about it.
    let other = Hash::from_hex(HashAlgorithm::Sha512, &"ab".repeat(64)).unwrap();
    let v = check(&both, nowhere, Some(&other), &keys, SystemTime::now()).unwrap();
    assert!(
        v.checks.iter().all(|c| matches!(
            &c.outcome,
            Outcome::NotChecked {
                why: Unchecked::NotTheCheckedHash { .. }
            }
        )),
        "{v:?}"
    );
    assert!(!v.proves_publisher());

    // Another checksum file than the one signed: BAD, detached or clearsigned.
    let mut tampered = detached;
    if let Signs::HashFile { text, .. } = &mut tampered.signs {
        *text = sums.replace("ffff", "eeee").into_bytes();
    }
    let mut tampered_clear = clearsigned;
    if let Signs::ClearsignedHashFile { document, .. } = &mut tampered_clear.signs {
        *document = String::from_utf8(document.clone())
            .unwrap()
            .replace("ffff", "eeee")
            .into_bytes();
    }
    let v = check(
        &[tampered, tampered_clear],
        nowhere,
        Some(&listed),
        &keys,
        SystemTime::now(),
    )
    .unwrap();
    assert!(
        v.checks
            .iter()
            .all(|c| matches!(c.outcome, Outcome::Bad { .. })),
        "{v:?}"
    );
}

#[test]
fn before_the_download_the_signer_is_known_or_named() {
    let alice = TestKey::new("Alice <alice@example.org>");
    let bob = TestKey::new("Bob <bob@example.org>");
    let found = [
        Found::detached("metalink", alice.sign(DATA)),
        Found::detached("metalink", bob.sign(DATA)),
    ];
    let v = check_before_download(&found, None, &ring(&[&alice]), SystemTime::now());
    assert!(
        matches!(&v.checks[0].outcome, Outcome::Pending { signer, .. } if signer.fingerprint == alice.fingerprint())
    );
    assert_eq!(
        v.checks[1].outcome,
        Outcome::UnknownKey {
            key: bob.fingerprint()
        }
    );
    assert_eq!(
        braid::signature::signers(&found),
        vec![alice.fingerprint(), bob.fingerprint()]
    );
}

#[test]
fn one_bad_signature_among_good_ones_decides() {
    let alice = TestKey::new("Alice <alice@example.org>");
    let bob = TestKey::new("Bob <bob@example.org>");
    let path = file_with("one-bad", DATA);
    let found = [
        Found::detached("metalink", alice.sign(DATA)),
        Found::detached("metalink", bob.sign(b"another file")),
    ];
    let v = check(
        &found,
        &path,
        None,
        &ring(&[&alice, &bob]),
        SystemTime::now(),
    )
    .unwrap();
    assert!(v.is_bad());
    assert!(matches!(v.decisive().unwrap().outcome, Outcome::Bad { .. }));
    assert!(!v.proves_publisher());
}

#[test]
fn unreadable_signatures_and_unreadable_files_are_told_apart() {
    let alice = TestKey::new("Alice <alice@example.org>");
    let keys = ring(&[&alice]);
    let path = file_with("unreadable", DATA);
    let garbage = [Found::detached(
        "metalink",
        b"-----BEGIN PGP SIGNATURE-----\nnope\n".to_vec(),
    )];
    let v = check(&garbage, &path, None, &keys, SystemTime::now()).unwrap();
    assert!(
        matches!(
            only(&v),
            Outcome::NotChecked {
                why: Unchecked::Unreadable(_)
            }
        ),
        "{v:?}"
    );
    assert!(!v.is_bad());
    // A file that cannot be read is an error, never a BAD signature.
    let signed = [Found::detached("metalink", alice.sign(DATA))];
    let missing = path.with_file_name("missing.bin");
    assert!(check(&signed, &missing, None, &keys, SystemTime::now()).is_err());
}

#[test]
fn braids_keyring_imports_lists_merges_and_removes() {
    let dir = support::temp_dir("keystore");
    let store = KeyStore::new(dir.join("keyring"));
    let alice = TestKey::new("Alice <alice@example.org>");
    let bob = TestKey::new("Bob <bob@example.org>");
    assert!(
        store.list().unwrap().is_empty(),
        "a missing keyring is empty"
    );

    let imported = store.import(alice.public_armored().as_bytes()).unwrap();
    assert_eq!(imported.len(), 1);
    assert_eq!(imported[0].change, Change::New);
    assert_eq!(imported[0].key.fingerprint, alice.fingerprint());
    let imported = store.import(&bob.public_binary()).unwrap();
    assert_eq!(imported[0].change, Change::New);
    let again = store.import(alice.public_armored().as_bytes()).unwrap();
    assert_eq!(again[0].change, Change::Unchanged);

    let listed = store.list().unwrap();
    assert_eq!(
        listed.iter().map(|k| k.user().unwrap()).collect::<Vec<_>>(),
        ["Alice <alice@example.org>", "Bob <bob@example.org>"]
    );
    assert!(
        listed
            .iter()
            .all(|k| k.can_sign && !k.revoked && k.expires.is_none())
    );

    // Alice's revocation, imported later, joins her key.
    let mut revoked = alice.clone();
    revoked.revoke(RevocationCode::KeyCompromised);
    let updated = store.import(revoked.public_armored().as_bytes()).unwrap();
    assert_eq!(updated[0].change, Change::Updated);
    assert!(updated[0].key.revoked);

    // The keyring is what signature checks use.
    let (keys, problems) = KeySources::only(store.clone()).load();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(keys.len(), 2);

    // Remove by fingerprint as people copy it: lower case, spaces, 0x.
    let spaced = bob
        .fingerprint()
        .to_lowercase()
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    let removed = store.remove(&format!("0x{spaced}")).unwrap();
    assert_eq!(removed.fingerprint, bob.fingerprint());
    assert!(matches!(
        store.remove(&bob.fingerprint()),
        Err(RemoveError::NotFound(_))
    ));
    assert!(matches!(
        store.remove("ABCD"),
        Err(RemoveError::NotAFingerprint(_))
    ));
    assert_eq!(store.list().unwrap().len(), 1);
}

#[test]
fn importing_what_is_not_a_public_key_says_so_and_keeps_secrets_out() {
    let dir = support::temp_dir("keystore-bad");
    let store = KeyStore::new(dir.join("keyring"));
    assert!(matches!(
        store.import(b"this is not a key"),
        Err(ImportError::NotKeys(_))
    ));
    assert!(store.list().unwrap().is_empty());
    // A secret key file: only its public part is kept.
    let alice = TestKey::new("Alice <alice@example.org>");
    let imported = store.import(alice.secret_armored().as_bytes()).unwrap();
    assert_eq!(imported[0].key.fingerprint, alice.fingerprint());
    for entry in std::fs::read_dir(store.dir()).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(text.contains("PUBLIC KEY"), "{text}");
        assert!(!text.contains("PRIVATE"), "{text}");
    }
}

#[test]
fn a_damaged_key_file_costs_only_its_key() {
    let dir = support::temp_dir("keystore-damaged");
    let store = KeyStore::new(dir.join("keyring"));
    let alice = TestKey::new("Alice <alice@example.org>");
    store.import(alice.public_armored().as_bytes()).unwrap();
    std::fs::write(store.dir().join("0000000000000000.asc"), b"garbage").unwrap();
    let (keys, problems) = KeySources::only(store).load();
    assert_eq!(keys.len(), 1);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].source.ends_with("0000000000000000.asc"),
        "{problems:?}"
    );
}

#[test]
fn distribution_keyrings_are_read_from_their_folder() {
    let dir = support::temp_dir("system-keyrings");
    let system = dir.join("keyrings");
    std::fs::create_dir_all(&system).unwrap();
    let distro = TestKey::new("Distro CD signing key <cd@example.org>");
    std::fs::write(system.join("distro-keyring.gpg"), distro.public_binary()).unwrap();
    std::fs::write(system.join("README"), b"not a key").unwrap();
    let sources = KeySources {
        store: KeyStore::new(dir.join("braid")),
        gnupg: false,
        system: vec![system.clone()],
    };
    let (keys, problems) = sources.load();
    assert!(problems.is_empty(), "{problems:?}");
    let key = keys.find(&distro.fingerprint()).unwrap();
    assert_eq!(
        key.origin,
        Origin::System(system.join("distro-keyring.gpg"))
    );
    let path = file_with("system-signed", DATA);
    let v = check(
        &[Found::detached("x.asc", distro.sign(DATA))],
        &path,
        None,
        &keys,
        SystemTime::now(),
    )
    .unwrap();
    assert!(v.proves_publisher(), "{v:?}");
    // Switched off, they are not trusted.
    let off = KeySources {
        system: Vec::new(),
        ..sources
    };
    assert!(off.load().0.find(&distro.fingerprint()).is_none());
}

/// Runs gpg in a scratch home; the test fails when gpg is missing (CI installs gnupg).
fn gpg(home: &Path, args: &[&str]) -> std::process::Output {
    let output = Command::new("gpg")
        .env("GNUPGHOME", home)
        .args([
            "--batch",
            "--no-tty",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
        ])
        .args(args)
        .output()
        .expect("gpg runs (install gnupg)");
    assert!(
        output.status.success(),
        "gpg {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn gnupg_keys_and_signatures_gnupg_made_are_checked() {
    let dir = support::temp_dir("gnupg");
    let home = dir.join("gnupg");
    std::fs::create_dir_all(&home).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    gpg(
        &home,
        &[
            "--quick-gen-key",
            "Heidi <heidi@example.org>",
            "ed25519",
            "sign",
            "never",
        ],
    );
    let path = file_with("gnupg-signed", DATA);
    let asc = path.with_extension("bin.asc");
    let sig = path.with_extension("bin.sig");
    gpg(
        &home,
        &[
            "--armor",
            "--output",
            asc.to_str().unwrap(),
            "--detach-sign",
            path.to_str().unwrap(),
        ],
    );
    gpg(
        &home,
        &[
            "--output",
            sig.to_str().unwrap(),
            "--detach-sign",
            path.to_str().unwrap(),
        ],
    );
    let listing = gpg(
        &home,
        &["--with-colons", "--fingerprint", "heidi@example.org"],
    );
    let fingerprint = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .find(|l| l.starts_with("fpr:"))
        .and_then(|l| l.split(':').nth(9).map(str::to_owned))
        .unwrap();

    // Braid reads GnuPG's keys the way a user's setup has them: GNUPGHOME.
    // SAFETY: nextest runs each test in a process of its own; nothing else reads it.
    unsafe { std::env::set_var("GNUPGHOME", &home) };
    let sources = KeySources {
        store: KeyStore::new(dir.join("braid")),
        gnupg: true,
        system: Vec::new(),
    };
    let (keys, problems) = sources.load();
    let _ = Command::new("gpgconf")
        .env("GNUPGHOME", &home)
        .args(["--kill", "gpg-agent"])
        .status();
    assert!(problems.is_empty(), "{problems:?}");
    let key = keys.find(&fingerprint).expect("gpg's key is found");
    assert_eq!(key.origin, Origin::GnuPg);
    assert_eq!(key.user(), Some("Heidi <heidi@example.org>"));

    for signature in [std::fs::read(&asc).unwrap(), std::fs::read(&sig).unwrap()] {
        let found = [Found::detached("x", signature)];
        let v = check(&found, &path, None, &keys, SystemTime::now()).unwrap();
        match only(&v) {
            Outcome::Good { signer, warnings } => {
                assert_eq!(signer.fingerprint, fingerprint);
                assert_eq!(signer.origin, Origin::GnuPg);
                assert!(warnings.is_empty(), "{warnings:?}");
            }
            other => panic!("{other:?}"),
        }
        std::fs::write(&path, b"tampered").unwrap();
        let v = check(&found, &path, None, &keys, SystemTime::now()).unwrap();
        assert!(v.is_bad(), "{v:?}");
        std::fs::write(&path, DATA).unwrap();
    }
    // Switched off, GnuPG's keys are not trusted.
    let off = KeySources {
        gnupg: false,
        ..sources
    };
    assert!(off.load().0.find(&fingerprint).is_none());
}
