//! The add dialog's part for a plain link: what was found for it (the checksum it will
//! be checked against and the mirrors, each with where it came from) and the "Expected
//! hash" field. The dialog opens as soon as the link is probed; the search for
//! checksums and mirrors (at most a couple of seconds) fills this in, and a digest the
//! user types starts it again with that digest first.

use iced::widget::{column, text, text_input};
use iced::{Element, Task};

use super::found;
use crate::discover::plain::{self, Options, PlainFile};
use crate::discover::{RemoteFile, expected};
use crate::engine::JobSpec;
use crate::i18n::{t, t_args};
use crate::metalink::Hash;

#[derive(Debug, Clone)]
pub enum Message {
    Expected(String),
    /// What a search found; the number says which search, so a late answer to an
    /// earlier one is dropped.
    Found(u64, Box<PlainFile>),
}

/// A plain link on offer.
#[derive(Debug, Clone)]
pub struct PlainOffer {
    given: url::Url,
    probed: RemoteFile,
    found: Option<PlainFile>,
    /// The search running now, if any.
    looking: Option<u64>,
    searches: u64,
    expected_text: String,
    expected: Option<Hash>,
    expected_error: Option<String>,
    options: Options,
}

impl PlainOffer {
    /// A probed link; call [`PlainOffer::start`] to look for what it has.
    pub fn new(given: url::Url, probed: RemoteFile, options: Options) -> Self {
        PlainOffer {
            given,
            probed,
            found: None,
            looking: None,
            searches: 0,
            expected_text: String::new(),
            expected: None,
            expected_error: None,
            options,
        }
    }

    pub fn name(&self) -> &str {
        &self.probed.name
    }

    pub fn size(&self) -> Option<u64> {
        self.probed.size
    }

    /// Whether the search is still running.
    pub fn is_looking(&self) -> bool {
        self.looking.is_some()
    }

    /// Whether a search has run or runs.
    pub fn is_started(&self) -> bool {
        self.looking.is_some() || self.found.is_some()
    }

    /// Starts a search with the digest typed so far.
    pub fn start(&mut self) -> Task<Message> {
        self.searches += 1;
        let search = self.searches;
        self.looking = Some(search);
        let mut options = self.options.clone();
        options.expected = self.expected.clone();
        let given = self.given.clone();
        let probed = self.probed.clone();
        Task::perform(
            async move {
                plain::complete(&crate::discover::fetch::client(), &given, probed, &options).await
            },
            move |found| Message::Found(search, Box::new(found)),
        )
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Expected(text) => {
                let parsed = if text.trim().is_empty() {
                    Ok(None)
                } else {
                    expected::parse(&text).map(Some)
                };
                self.expected_text = text;
                match parsed {
                    Ok(hash) => {
                        self.expected_error = None;
                        if hash != self.expected {
                            self.expected = hash;
                            return self.start();
                        }
                    }
                    Err(e) => {
                        self.expected_error =
                            Some(t_args("add-expected-bad", &[("reason", e.to_string())]));
                    }
                }
            }
            Message::Found(search, found) => {
                if self.looking == Some(search) {
                    self.looking = None;
                    self.found = Some(*found);
                }
            }
        }
        Task::none()
    }

    /// The download, once the search has answered; an error in words when it cannot
    /// be made (checksums that disagree, a typed digest that is not one).
    pub fn spec(&self, source: &str, dir: std::path::PathBuf) -> Result<JobSpec, String> {
        if let Some(error) = &self.expected_error {
            return Err(error.clone());
        }
        let found = match &self.found {
            Some(found) => found.clone(),
            // Not searched (or not yet): the link as probed.
            None => return Ok(self.probed.clone().into_spec(source, dir)),
        };
        found
            .into_spec(source, dir)
            .map_err(|conflict| found::conflict(&conflict))
    }

    /// The signatures found so far, with the hash the file will be checked with.
    pub fn signatures(&self) -> (Vec<crate::signature::Found>, Option<crate::metalink::Hash>) {
        match &self.found {
            Some(found) => (
                found.signatures.clone(),
                crate::metalink::hash::strongest(&found.hashes).cloned(),
            ),
            None => (Vec::new(), None),
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let mut lines = column![].spacing(4);
        match &self.found {
            _ if self.looking.is_some() => {
                lines = lines.push(text(t("add-looking")).size(13).style(text::secondary));
            }
            Some(found) => {
                if let Some(conflict) = &found.conflict {
                    lines =
                        lines.push(text(found::conflict(conflict)).size(13).style(text::danger));
                } else {
                    let algorithm = found.checked_with().map(|(a, _)| a);
                    lines = lines
                        .push(text(found::checksum_line(algorithm, &found.provenance)).size(13));
                    if let Some(mirrors) = found::mirror_counts(&found.provenance) {
                        lines = lines.push(text(mirrors).size(13));
                    }
                }
                for note in &found.notes {
                    lines = lines.push(text(found::note(note)).size(12).style(text::secondary));
                }
            }
            None => {}
        }
        let mut field = column![
            text(t("add-expected-hash")).size(13),
            text_input(&t("add-expected-hint"), &self.expected_text)
                .on_input(Message::Expected)
                .size(13),
        ]
        .spacing(4);
        if let Some(error) = &self.expected_error {
            field = field.push(text(error.clone()).size(12).style(text::danger));
        }
        column![lines, field].spacing(10).into()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use iced::Size;

    use super::*;
    use crate::gui::add::{Action, Dialog, Message as AddMessage};
    use crate::loopback::site::{Page, Site};
    use crate::metalink::HashAlgorithm;

    /// A site with a file and its SHA256SUMS; the file as probed, and what the search
    /// finds for it.
    async fn published(lying: bool) -> (url::Url, RemoteFile, PlainFile, Options) {
        let site = Site::start(1).await.unwrap();
        let data = Arc::new(crate::loopback::payload(50_000, 3));
        let digest = crate::engine::verify::digest(HashAlgorithm::Sha256, &data);
        site.put("/d/f.iso", Page::file(data.clone()));
        site.put(
            "/d/SHA256SUMS",
            Page::text(format!(
                "{}  f.iso\n",
                crate::metalink::hash::encode_hex(&digest)
            )),
        );
        if lying {
            site.put(
                "/d/f.iso.sha256",
                Page::text(format!("{}\n", "00".repeat(32))),
            );
        }
        let given = url::Url::parse(&site.url("/d/f.iso")).unwrap();
        let probed = match crate::discover::probe(&crate::discover::client(), &given)
            .await
            .unwrap()
        {
            crate::discover::Probed::File(file) => file,
            other => panic!("{other:?}"),
        };
        let options = Options::default();
        let found = plain::complete(
            &crate::discover::fetch::client(),
            &given,
            probed.clone(),
            &options,
        )
        .await;
        (given, probed, found, options)
    }

    fn dialog(given: url::Url, probed: RemoteFile, options: Options) -> Dialog {
        let offer = PlainOffer::new(given.clone(), probed, options);
        Dialog::for_file(given.to_string(), offer, "/tmp".into())
    }

    #[tokio::test]
    async fn download_now_while_looking_waits_for_the_search() {
        crate::i18n::set_language("en");
        let (given, probed, found, options) = published(false).await;
        let mut dialog = dialog(given, probed, options);
        let _ = dialog.begin();
        assert!(matches!(dialog.update(AddMessage::Add(true)), Action::None));
        let action = dialog.update(AddMessage::Plain(Message::Found(1, Box::new(found))));
        let Action::Submit { specs, start, .. } = action else {
            panic!("{action:?}");
        };
        assert!(start);
        assert_eq!(specs[0].hashes[0].algorithm, HashAlgorithm::Sha256);
        assert!(matches!(
            &specs[0].provenance.checksum,
            Some(crate::engine::ChecksumOrigin::HashFile { url, .. }) if url.ends_with("/SHA256SUMS")
        ));
    }

    #[tokio::test]
    async fn the_dialog_says_where_the_checksum_came_from() {
        crate::i18n::set_language("en");
        let (given, probed, found, options) = published(false).await;
        let mut dialog = dialog(given, probed, options);
        let _ = dialog.begin();
        {
            let mut ui = iced_test::simulator(dialog.view(Size::new(1000.0, 680.0)));
            assert!(ui.find("Looking for checksums and mirrors…").is_ok());
        }
        let _ = dialog.update(AddMessage::Plain(Message::Found(1, Box::new(found))));
        let mut ui = iced_test::simulator(dialog.view(Size::new(1000.0, 680.0)));
        assert!(ui.find("Checked with sha-256 from SHA256SUMS").is_ok());
        assert!(ui.find("Expected hash").is_ok());
    }

    /// Seen under Xvfb: a damaged file under the name was only offered to be replaced
    /// when the server's metalink (with piece hashes) answered after the folder's look.
    #[tokio::test]
    async fn pieces_the_search_brings_turn_replace_into_repair() {
        crate::i18n::set_language("en");
        let (given, probed, mut found, options) = published(false).await;
        found.pieces = Some(crate::metalink::Pieces::new(
            HashAlgorithm::Sha256,
            16384,
            vec![0; 4 * 32],
        ));
        let mut dialog = dialog(given, probed, options);
        let _ = dialog.begin();
        let there = crate::gui::reuse::Found {
            existing: true,
            older: Vec::new(),
            zsync: None,
        };
        let _ = dialog.update(AddMessage::Reuse(crate::gui::reuse::Message::Found(
            "/tmp".into(),
            Arc::new(there),
        )));
        {
            let mut ui = iced_test::simulator(dialog.view(Size::new(1000.0, 680.0)));
            assert!(ui.find("Replace the f.iso already in this folder").is_ok());
        }
        let _ = dialog.update(AddMessage::Plain(Message::Found(1, Box::new(found))));
        let mut ui = iced_test::simulator(dialog.view(Size::new(1000.0, 680.0)));
        assert!(ui.find("Repair the f.iso already in this folder").is_ok());
    }

    #[tokio::test]
    async fn a_typed_hash_starts_a_new_search_and_settles_a_conflict() {
        crate::i18n::set_language("en");
        let (given, probed, found, options) = published(true).await;
        assert!(found.conflict.is_some());
        let mut dialog = dialog(given, probed, options);
        let _ = dialog.begin();
        let _ = dialog.update(AddMessage::Plain(Message::Found(
            1,
            Box::new(found.clone()),
        )));
        let error = dialog.specs().unwrap_err();
        assert!(
            error.contains("The published checksums disagree"),
            "{error}"
        );
        // A typo is named; a digest starts the search again, and the old answer is
        // no longer taken.
        let _ = dialog.update(AddMessage::Plain(Message::Expected("sha-256=12".into())));
        assert!(dialog.specs().unwrap_err().contains("Not a hash"));
        let typed = format!("sha-256:{}", "ab".repeat(32));
        let _ = dialog.update(AddMessage::Plain(Message::Expected(typed)));
        let _ = dialog.update(AddMessage::Plain(Message::Found(1, Box::new(found))));
        assert!(matches!(&dialog.offer, crate::gui::add::Offer::File(o) if o.is_looking()));
    }
}
