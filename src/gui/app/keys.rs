//! "Import key…" wherever it is offered (Settings, the add dialog, a download's
//! details), and what follows an import: the lists and checks that depend on the keys.

use std::path::PathBuf;
use std::sync::Arc;

use iced::Task;

use super::tasks::answered_by_a_person;
use super::{App, Message, Screen};
use crate::engine::{Command, JobError};
use crate::gui::add;
use crate::gui::downloads::{Failure, State};
use crate::gui::keys::{self, Done, Job};
use crate::gui::signed;
use crate::signature::Keyring;

/// Who asked for key work: where its result goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeysFor {
    Settings,
    Dialog,
    /// A download's details, whose signature names a key not in the keyring.
    Details,
    /// A key file dropped on the window or pasted.
    Dropped,
}

impl App {
    pub(super) fn keys_action(&mut self, asker: KeysFor, action: keys::Action) -> Task<Message> {
        match action {
            keys::Action::PickFile => {
                Task::perform(answered_by_a_person(keys::pick_file()), move |p| {
                    p.map_or(Message::NoFileDialog, |p| Message::KeyFile(asker, p))
                })
            }
            keys::Action::Run(job) => self.keys_job(asker, job),
        }
    }

    pub(super) fn key_file(&mut self, asker: KeysFor, path: Option<PathBuf>) -> Task<Message> {
        match path {
            Some(path) => self.keys_job(asker, Job::ImportFile(path)),
            None => Task::none(),
        }
    }

    /// The keys the settings trust, with Braid's keyring beside the saved queue.
    pub(super) fn key_sources(&self) -> crate::signature::KeySources {
        self.config.key_sources_in(self.keyring.clone())
    }

    pub(super) fn keys_job(&self, asker: KeysFor, job: Job) -> Task<Message> {
        Task::perform(keys::run(job, self.key_sources()), move |done| {
            Message::KeysDone(asker, done)
        })
    }

    /// Reads the trusted keys again (at boot, after an import or a removal, when the
    /// settings change which sources count).
    pub(super) fn read_trusted(&self) -> Task<Message> {
        Task::perform(keys::keyring(self.key_sources()), Message::Trusted)
    }

    pub(super) fn trusted(&mut self, ring: Arc<Keyring>) -> Task<Message> {
        self.trusted = Some(ring);
        self.hand_keys_to_dialog();
        Task::none()
    }

    /// Hands the trusted keys to the add dialog, if both are there.
    pub(super) fn hand_keys_to_dialog(&mut self) {
        if let (Some(dialog), Some(ring)) = (&mut self.dialog, &self.trusted) {
            let _ = dialog.update(add::Message::Signing(signed::Message::Keyring(
                ring.clone(),
            )));
        }
    }

    pub(super) fn keys_done(&mut self, asker: KeysFor, done: Done) -> Task<Message> {
        let mut tasks = Vec::new();
        if let Screen::Settings(draft) = &mut self.screen {
            draft.keys.done(&done);
            if done.changed() {
                tasks.push(self.keys_job(KeysFor::Settings, Job::List));
            }
        }
        if asker != KeysFor::Settings
            && let Some((words, is_error)) = done.said()
        {
            if is_error {
                self.notices.error(words);
            } else {
                self.notices.info(words);
            }
        }
        if done.changed() {
            tasks.push(self.read_trusted());
        }
        if matches!(done, Done::Imported(Ok(_))) {
            self.check_again();
        }
        Task::batch(tasks)
    }

    /// After an import, wherever it was made: every placed file whose signature named a
    /// key Braid did not know is checked again; a download that failed for want of a
    /// good signature runs again (its data is kept, so it only checks and places it).
    fn check_again(&mut self) {
        let mut commands = Vec::new();
        for download in self.downloads.iter() {
            let id = download.id;
            match &download.state {
                State::Finished { path, .. }
                    if download
                        .signature
                        .as_ref()
                        .is_some_and(|v| !v.unknown_keys().is_empty()) =>
                {
                    commands.push(Command::CheckSignatures {
                        id,
                        spec: Box::new(download.spec.clone()),
                        path: path.clone(),
                    })
                }
                State::Failed(Failure::Job(JobError::SignatureRequired { .. })) => {
                    commands.push(Command::Resume(id))
                }
                _ => {}
            }
        }
        for command in commands {
            self.engine.send(command);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::engine::{DownloadId, Event};
    use crate::gui::downloads::Download;
    use crate::gui::test_keys::TestKey;
    use crate::signature::{Found, Keyring};

    /// An app in a scratch folder that trusts only Braid's keyring there.
    fn app(name: &str) -> (App, PathBuf) {
        let dir = std::env::temp_dir().join(format!("braid-keys-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let config = Config {
            download_dir: dir.clone(),
            ui_language: "en".into(),
            notifications: false,
            keys_from_gnupg: false,
            keys_from_system: false,
            ..Config::default()
        };
        (App::for_tests(config, dir.join("queue.json")), dir)
    }

    fn run<T>(work: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(work)
    }

    /// A finished download of `name`, signed by `key`, checked when no key was known.
    fn finished_signed(app: &mut App, dir: &std::path::Path, key: &TestKey) -> DownloadId {
        finished_signed_over(app, dir, key, b"the published bytes")
    }

    /// [`finished_signed`] with a signature over `signed` (other bytes make it BAD).
    fn finished_signed_over(
        app: &mut App,
        dir: &std::path::Path,
        key: &TestKey,
        signed: &[u8],
    ) -> DownloadId {
        let data = b"the published bytes";
        let path = dir.join("signed.iso");
        std::fs::write(&path, data).unwrap();
        let mut spec = crate::gui::downloads::tests::spec("signed.iso");
        spec.dir = dir.to_path_buf();
        spec.signatures.found = vec![Found::detached(
            "http://127.0.0.1/signed.iso.asc",
            key.sign(signed),
        )];
        let verdict = crate::signature::check(
            &spec.signatures.found,
            &path,
            None,
            &Keyring::new(),
            std::time::SystemTime::now(),
        )
        .unwrap();
        let id = app.engine.next_id();
        let state = State::Finished {
            path,
            verified: Some("sha-256".into()),
            repaired: 0,
            reused: None,
        };
        let mut download = Download::new(id, spec, state);
        download.signature = Some(verdict);
        app.downloads.insert(download);
        id
    }

    /// The next event from the app's engine that `wanted` accepts (bounded in time).
    fn next_event(app: &App, wanted: impl Fn(&Event) -> bool) -> Event {
        let mut events = app
            .events
            .1
            .lock()
            .unwrap()
            .take()
            .expect("the engine's events");
        run(async {
            tokio::time::timeout(std::time::Duration::from_secs(20), async {
                loop {
                    let event = events.recv().await.expect("the engine runs");
                    if wanted(&event) {
                        return event;
                    }
                }
            })
            .await
            .expect("the engine answered in time")
        })
    }

    #[test]
    fn importing_the_missing_key_checks_the_placed_file_again() {
        let (mut app, dir) = app("recheck");
        let alice = TestKey::new("Alice <alice@example.org>");
        let id = finished_signed(&mut app, &dir, &alice);
        let unknown = format!(
            "signature not checked: key {} is not in your keyring",
            alice.fingerprint()
        );
        app.screen = Screen::Details(id);
        let clicked: Vec<_> = {
            let mut ui = iced_test::simulator(app.view());
            assert!(ui.find(unknown.as_str()).is_ok(), "{unknown}");
            ui.click("Import key…").unwrap();
            ui.into_messages().collect()
        };
        assert!(
            matches!(
                clicked[..],
                [Message::Details(crate::gui::details::Message::ImportKey)]
            ),
            "{clicked:?}"
        );

        // The file dialog answers with the key file; the import runs as a task.
        let key_file = dir.join("alice.asc");
        std::fs::write(&key_file, alice.public_armored()).unwrap();
        let done = run(keys::run(Job::ImportFile(key_file), app.key_sources()));
        assert!(matches!(done, Done::Imported(Ok(_))), "{done:?}");
        let _ = app.update(Message::KeysDone(KeysFor::Details, done));
        assert!(
            app.notices()
                .iter()
                .any(|n| n.starts_with("Imported Alice <alice@example.org>")),
            "{:?}",
            app.notices()
        );
        let checked = next_event(&app, |e| matches!(e, Event::SignatureChecked { .. }));
        let _ = app.update(Message::Engine(checked));
        let download = app.downloads.get(id).unwrap();
        assert!(download.signature.as_ref().unwrap().proves_publisher());

        let good = format!(
            "signature good, by Alice <alice@example.org> ({})",
            alice.fingerprint()
        );
        {
            let mut ui = iced_test::simulator(app.view());
            assert!(ui.find(good.as_str()).is_ok(), "{good}");
            assert!(ui.find("Import key…").is_err());
        }
        app.screen = Screen::Queue;
        {
            let mut ui = iced_test::simulator(app.view());
            assert!(ui.find("Done, signed").is_ok(), "the list says it briefly");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_placed_file_found_bad_after_the_import_is_said_out_loud() {
        crate::i18n::set_language("en");
        let (mut app, dir) = app("bad");
        let alice = TestKey::new("Alice <alice@example.org>");
        let id = finished_signed_over(&mut app, &dir, &alice, b"something else");
        let key_file = dir.join("alice.asc");
        std::fs::write(&key_file, alice.public_armored()).unwrap();
        let done = run(keys::run(Job::ImportFile(key_file), app.key_sources()));
        let _ = app.update(Message::KeysDone(KeysFor::Settings, done));
        let checked = next_event(&app, |e| matches!(e, Event::SignatureChecked { .. }));
        let _ = app.update(Message::Engine(checked));
        assert!(
            app.downloads
                .get(id)
                .unwrap()
                .signature
                .as_ref()
                .unwrap()
                .is_bad()
        );
        assert!(
            app.notices()
                .iter()
                .any(|n| n.starts_with("signed.iso: signature BAD: the file is not what Alice")),
            "{:?}",
            app.notices()
        );
        let mut ui = iced_test::simulator(app.view());
        assert!(ui.find("Done, signature BAD").is_ok());
        drop(ui);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_download_that_required_a_signature_runs_again_after_the_import() {
        let (mut app, dir) = app("required");
        let alice = TestKey::new("Alice <alice@example.org>");
        let mut spec = crate::gui::downloads::tests::spec("needs.iso");
        spec.dir = dir.clone();
        spec.signatures.required = true;
        let id = app.engine.add_paused(spec.clone());
        let failure = Failure::Job(JobError::SignatureRequired { verdict: None });
        app.downloads
            .insert(Download::new(id, spec, State::Failed(failure)));
        {
            let mut ui = iced_test::simulator(app.view());
            assert!(
                ui.find("Failed: a good signature is required, and the source has none")
                    .is_ok()
            );
        }
        let key_file = dir.join("alice.asc");
        std::fs::write(&key_file, alice.public_binary()).unwrap();
        let done = run(keys::run(Job::ImportFile(key_file), app.key_sources()));
        let _ = app.update(Message::KeysDone(KeysFor::Settings, done));
        // Resumed: the engine starts it (and, with no mirror here, it fails again).
        let started = next_event(
            &app,
            |e| matches!(e, Event::Started(started) | Event::Queued(started) if *started == id),
        );
        assert!(matches!(started, Event::Started(_) | Event::Queued(_)));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_dropped_key_file_is_taken_for_a_key_not_refused() {
        crate::i18n::set_language("en");
        let (mut app, dir) = app("drop");
        let alice = TestKey::new("Alice <alice@example.org>");
        let armored = dir.join("alice.asc");
        std::fs::write(&armored, alice.public_armored()).unwrap();
        let binary = dir.join("alice.gpg");
        std::fs::write(&binary, alice.public_binary()).unwrap();
        let signature = dir.join("file.asc");
        std::fs::write(&signature, alice.sign(b"data")).unwrap();
        assert!(crate::signature::looks_like_key_file(&armored));
        assert!(crate::signature::looks_like_key_file(&binary));
        assert!(!crate::signature::looks_like_key_file(&signature));
        let _ = app.update(Message::Dropped(armored));
        let _ = app.update(Message::Dropped(binary));
        assert!(app.notices().is_empty(), "{:?}", app.notices());
        let _ = app.update(Message::Dropped(signature));
        assert!(
            app.notices()[0].contains("file.asc is not a metalink"),
            "{:?}",
            app.notices()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_key_is_imported_from_a_url_and_a_page_that_is_none_is_refused() {
        crate::i18n::set_language("en");
        let (app, dir) = app("url");
        let alice = TestKey::new("Alice <alice@example.org>");
        let sources = app.key_sources();
        let (imported, refused, not_a_url) = run(async {
            use crate::loopback::site::{Page, Site};
            let site = Site::start(1).await.unwrap();
            site.put(
                "/alice.asc",
                Page::file(alice.public_armored().into_bytes()),
            );
            site.put("/page.html", Page::file(b"<html>not a key</html>".to_vec()));
            (
                keys::run(Job::ImportUrl(site.url("/alice.asc")), sources.clone()).await,
                keys::run(Job::ImportUrl(site.url("/page.html")), sources.clone()).await,
                keys::run(Job::ImportUrl("ftp://127.0.0.1/k.asc".into()), sources).await,
            )
        });
        let Done::Imported(Ok(keys)) = &imported else {
            panic!("{imported:?}");
        };
        assert_eq!(keys[0].key.fingerprint, alice.fingerprint());
        let (words, is_error) = refused.said().unwrap();
        assert!(is_error, "{words}");
        assert!(
            words.starts_with("The key could not be imported"),
            "{words}"
        );
        let (words, _) = not_a_url.said().unwrap();
        assert!(words.contains("is not an http or https URL"), "{words}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn settings_list_braids_keys_and_remove_one() {
        let (mut app, dir) = app("settings");
        let alice = TestKey::new("Alice <alice@example.org>");
        let key_file = dir.join("alice.asc");
        std::fs::write(&key_file, alice.public_armored()).unwrap();
        let _ = app.update(Message::ShowSettings);
        let listed = run(keys::run(Job::List, app.key_sources()));
        let _ = app.update(Message::KeysDone(KeysFor::Settings, listed));
        {
            let mut ui = iced_test::simulator(app.view());
            assert!(ui.find("No keys in Braid's keyring yet").is_ok());
        }

        let done = run(keys::run(Job::ImportFile(key_file), app.key_sources()));
        let _ = app.update(Message::KeysDone(KeysFor::Settings, done));
        let listed = run(keys::run(Job::List, app.key_sources()));
        let _ = app.update(Message::KeysDone(KeysFor::Settings, listed));
        let imported = format!(
            "Imported Alice <alice@example.org> ({})",
            alice.fingerprint()
        );
        let clicked: Vec<_> = {
            let mut ui = iced_test::simulator(app.view());
            assert!(ui.find("Alice <alice@example.org>").is_ok());
            assert!(ui.find(alice.fingerprint().as_str()).is_ok());
            assert!(ui.find(imported.as_str()).is_ok(), "{imported}");
            ui.click("Remove").unwrap();
            ui.into_messages().collect()
        };
        let mut removal = None;
        for message in clicked {
            if let Message::Settings(message) = message
                && let Screen::Settings(draft) = &mut app.screen
                && let crate::gui::settings::Action::Keys(keys::Action::Run(job)) =
                    draft.update(message)
            {
                removal = Some(job);
            }
        }
        let job = removal.expect("Remove asks for the removal");
        assert!(matches!(&job, Job::Remove(fp) if *fp == alice.fingerprint()));
        let done = run(keys::run(job, app.key_sources()));
        let _ = app.update(Message::KeysDone(KeysFor::Settings, done));
        let listed = run(keys::run(Job::List, app.key_sources()));
        let _ = app.update(Message::KeysDone(KeysFor::Settings, listed));
        let mut ui = iced_test::simulator(app.view());
        assert!(ui.find("No keys in Braid's keyring yet").is_ok());
        assert!(
            ui.find("Removed Alice <alice@example.org> (".to_owned() + &alice.fingerprint() + ")")
                .is_ok()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
