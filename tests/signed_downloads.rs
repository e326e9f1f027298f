//! The engine checks a download's OpenPGP signatures after its hashes pass and before
//! the file is placed: a good one is reported, a BAD one discards the data like a hash
//! mismatch, a required one by an unknown key keeps the data until the key is imported,
//! and a resume then finishes without downloading again. Loopback mirrors; keys made
//! in the tests.

mod support;

use std::sync::Arc;

use braid::engine::{Command, Engine, Event, JobError, Settings};
use braid::signature::{Found, KeySources, KeyStore, Outcome, Signatures};
use support::keys::TestKey;
use support::{Faults, mirror, outcome, payload, spec, temp_dir};

/// An engine that trusts exactly the keys in `store`.
fn engine_with(store: &KeyStore) -> (Engine, tokio::sync::mpsc::UnboundedReceiver<Event>) {
    let (engine, events) = Engine::start(Settings::default());
    engine.send(Command::SetKeys(KeySources::only(store.clone())));
    (engine, events)
}

fn signed(signature: Vec<u8>, required: bool) -> Signatures {
    Signatures {
        found: vec![Found::detached("metalink", signature)],
        required,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_good_signature_is_reported_with_the_finished_file() {
    let data = Arc::new(payload(1024 * 1024 + 7, 71));
    let server = mirror(1, data.clone(), Faults::default()).await;
    let dir = temp_dir("signed-good");
    let store = KeyStore::new(dir.join("keyring"));
    let alice = TestKey::new("Alice <alice@example.org>");
    store.import(alice.public_armored().as_bytes()).unwrap();
    let (engine, mut events) = engine_with(&store);
    let mut spec = spec("f.bin", &dir, &data, &[&server], true);
    spec.signatures = signed(alice.sign(&data), false);
    let id = engine.add(spec);
    match outcome(&mut events, id).await {
        Event::Finished {
            path, signature, ..
        } => {
            assert_eq!(std::fs::read(path).unwrap(), *data);
            let verdict = signature.expect("a verdict");
            assert!(verdict.proves_publisher(), "{verdict:?}");
            assert!(matches!(
                &verdict.decisive().unwrap().outcome,
                Outcome::Good { signer, .. } if signer.fingerprint == alice.fingerprint()
            ));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_signature_never_lets_the_file_appear() {
    let data = Arc::new(payload(512 * 1024, 72));
    let server = mirror(1, data.clone(), Faults::default()).await;
    let dir = temp_dir("signed-bad");
    let store = KeyStore::new(dir.join("keyring"));
    let alice = TestKey::new("Alice <alice@example.org>");
    store.import(alice.public_armored().as_bytes()).unwrap();
    let (engine, mut events) = engine_with(&store);
    let mut spec = spec("f.bin", &dir, &data, &[&server], true);
    // Signed binary (a .sig), over another file.
    spec.signatures = Signatures {
        found: vec![Found::detached("f.bin.sig", alice.sign_binary(b"other"))],
        required: false,
    };
    let id = engine.add(spec);
    match outcome(&mut events, id).await {
        Event::Failed {
            error: JobError::SignatureBad { verdict },
            ..
        } => assert!(verdict.is_bad()),
        other => panic!("{other:?}"),
    }
    assert!(!dir.join("f.bin").exists());
    assert!(!dir.join("f.bin.part").exists());
    assert!(!dir.join("f.bin.braid-state").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_key_places_the_file_and_names_the_key() {
    let data = Arc::new(payload(256 * 1024, 73));
    let server = mirror(1, data.clone(), Faults::default()).await;
    let dir = temp_dir("signed-unknown");
    let store = KeyStore::new(dir.join("keyring"));
    let alice = TestKey::new("Alice <alice@example.org>");
    let (engine, mut events) = engine_with(&store);
    let mut spec = spec("f.bin", &dir, &data, &[&server], false);
    spec.signatures = signed(alice.sign(&data), false);
    let id = engine.add(spec);
    match outcome(&mut events, id).await {
        Event::Finished {
            path, signature, ..
        } => {
            assert_eq!(std::fs::read(path).unwrap(), *data);
            assert_eq!(
                signature.unwrap().unknown_keys(),
                vec![alice.fingerprint().as_str()]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_required_signature_keeps_the_data_until_the_key_is_imported() {
    let data = Arc::new(payload(1024 * 1024, 74));
    let server = mirror(1, data.clone(), Faults::default()).await;
    let dir = temp_dir("signed-required");
    let store = KeyStore::new(dir.join("keyring"));
    let alice = TestKey::new("Alice <alice@example.org>");
    let (engine, mut events) = engine_with(&store);
    let mut spec = spec("f.bin", &dir, &data, &[&server], true);
    spec.signatures = signed(alice.sign(&data), true);
    let id = engine.add(spec);
    match outcome(&mut events, id).await {
        Event::Failed {
            error: JobError::SignatureRequired { verdict },
            ..
        } => assert_eq!(
            verdict.unwrap().unknown_keys(),
            vec![alice.fingerprint().as_str()]
        ),
        other => panic!("{other:?}"),
    }
    assert!(!dir.join("f.bin").exists(), "not placed");
    assert!(dir.join("f.bin.part").exists(), "the data is kept");
    let sent = server.sent();

    // The user imports the key and resumes: it finishes from what is on disk.
    store.import(alice.public_armored().as_bytes()).unwrap();
    engine.send(Command::Resume(id));
    match outcome(&mut events, id).await {
        Event::Finished {
            path, signature, ..
        } => {
            assert_eq!(std::fs::read(path).unwrap(), *data);
            assert!(signature.unwrap().proves_publisher());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.sent(), sent, "nothing was downloaded again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_required_signature_that_is_missing_fails_the_download() {
    let data = Arc::new(payload(64 * 1024, 75));
    let server = mirror(1, data.clone(), Faults::default()).await;
    let dir = temp_dir("signed-missing");
    let (engine, mut events) = engine_with(&KeyStore::new(dir.join("keyring")));
    let mut spec = spec("f.bin", &dir, &data, &[&server], false);
    spec.signatures.required = true;
    let id = engine.add(spec);
    match outcome(&mut events, id).await {
        Event::Failed {
            error: JobError::SignatureRequired { verdict: None },
            ..
        } => {}
        other => panic!("{other:?}"),
    }
    assert!(!dir.join("f.bin").exists());
}
