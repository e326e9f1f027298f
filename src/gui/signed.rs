//! What a download's OpenPGP signatures say, as the add dialog (before the download)
//! and the details screen (after it) show it: the same words as `braid get`, with
//! "Import key…" where a key is not in the keyring.

use std::sync::Arc;

use iced::widget::{checkbox, column, row, text};
use iced::{Alignment, Element};

use super::theme::Role;
use super::widgets;
use crate::i18n::t;
use crate::metalink::Hash;
use crate::signature::{Found, Keyring, Outcome, Verdict, check_before_download};

/// How a line is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Good,
    Bad,
    Warning,
    Plain,
}

/// The decisive line of a verdict and its warnings, each with its tone.
fn lines(verdict: &Verdict) -> Vec<(String, Tone)> {
    let Some((line, warnings)) = crate::words::verdict(verdict) else {
        return Vec::new();
    };
    let tone = match verdict.decisive().map(|c| &c.outcome) {
        Some(Outcome::Bad { .. }) => Tone::Bad,
        Some(Outcome::Good { .. }) if verdict.proves_publisher() => Tone::Good,
        Some(Outcome::Pending { .. }) if verdict.may_prove_publisher() => Tone::Plain,
        _ => Tone::Warning,
    };
    let mut all = vec![(line, tone)];
    all.extend(warnings.into_iter().map(|w| (w, Tone::Warning)));
    all
}

fn line<'a, M: 'a>((words, tone): (String, Tone)) -> Element<'a, M> {
    let line = text(words).size(12);
    match tone {
        Tone::Good => line.style(text::success),
        Tone::Bad => line.style(text::danger),
        Tone::Warning => line.style(text::warning),
        Tone::Plain => line.style(text::secondary),
    }
    .into()
}

/// The add dialog's part: the keys to check against (loaded off the UI thread when the
/// dialog opens, again after an import) and the per-download "require" tick.
#[derive(Debug, Clone, Default)]
pub struct Signing {
    keyring: Option<Arc<Keyring>>,
    pub require: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    Keyring(Arc<Keyring>),
    Require(bool),
    ImportKey,
}

/// The most files whose signatures the dialog reads (a metalink may list thousands).
const SHOWN: usize = 20;

impl Signing {
    pub fn new(require: bool) -> Signing {
        Signing {
            keyring: None,
            require,
        }
    }

    /// Takes a message in; `true` when it asks for a key to import.
    pub fn update(&mut self, message: Message) -> bool {
        match message {
            Message::Keyring(ring) => self.keyring = Some(ring),
            Message::Require(on) => self.require = on,
            Message::ImportKey => return true,
        }
        false
    }

    /// What the chosen files' signatures (each with the hash it will be checked with)
    /// can tell now, the tick, and "Import key…" when a key is not known; nothing when
    /// no file is signed and nothing is required.
    pub fn view<'a>(&self, signed: &[(Vec<Found>, Option<Hash>)]) -> Option<Element<'a, Message>> {
        let signed: Vec<_> = signed.iter().filter(|(f, _)| !f.is_empty()).collect();
        if signed.is_empty() && !self.require {
            return None;
        }
        let mut block = column![].spacing(4);
        let mut unknown = false;
        if let Some(ring) = &self.keyring {
            let now = std::time::SystemTime::now();
            let mut shown: Vec<(String, Tone)> = Vec::new();
            for (found, expected) in signed.iter().take(SHOWN) {
                let verdict = check_before_download(found, expected.as_ref(), ring, now);
                unknown |= !verdict.unknown_keys().is_empty();
                for one in lines(&verdict) {
                    if !shown.contains(&one) {
                        shown.push(one);
                    }
                }
            }
            for one in shown.into_iter().take(4) {
                block = block.push(line(one));
            }
        }
        let mut tick = row![
            checkbox(self.require)
                .label(t("add-require-signature"))
                .on_toggle(Message::Require)
                .size(14)
                .text_size(13)
        ]
        .spacing(12)
        .align_y(Alignment::Center);
        if unknown {
            tick = tick.push(widgets::plain(
                t("signature-import-key"),
                Some(Message::ImportKey),
                Role::Secondary,
            ));
        }
        Some(block.push(tick).into())
    }
}

/// What a download's signatures are and can tell, for the details screen.
pub struct Signed<'a> {
    /// What checking said once the file was in (or when it failed because of them).
    pub verdict: Option<&'a Verdict>,
    /// The signatures found for it.
    pub found: &'a [Found],
    /// The digest the file is checked with (what a signed checksum file must list).
    pub expected: Option<&'a Hash>,
    /// The keys trusted now, once read: before the file is in, what they can tell.
    pub keyring: Option<&'a Keyring>,
    /// The download failed because of them, and the failure already says the verdict:
    /// only "Import key…" is left to offer.
    pub told: bool,
}

/// The details screen's part: what the signatures said, or (before the file is in)
/// who made them and that the file is checked once it is in; `import` is the message
/// for "Import key…", offered when a key is not in the keyring.
pub fn details<'a, M: Clone + 'a>(signed: Signed<'_>, import: M) -> Option<Element<'a, M>> {
    let before;
    let verdict = match (signed.verdict, signed.keyring) {
        (Some(verdict), _) => verdict,
        _ if signed.found.is_empty() => return None,
        (None, Some(ring)) => {
            before = check_before_download(
                signed.found,
                signed.expected,
                ring,
                std::time::SystemTime::now(),
            );
            &before
        }
        (None, None) => {
            return Some(
                column![
                    text(t("details-signature")).size(14),
                    text(t("details-signature-later")).size(12)
                ]
                .spacing(4)
                .into(),
            );
        }
    };
    let unknown = !verdict.unknown_keys().is_empty();
    if signed.told && !unknown {
        return None;
    }
    let mut block = column![text(t("details-signature")).size(14)].spacing(4);
    if !signed.told {
        for one in lines(verdict) {
            block = block.push(line(one));
        }
    }
    if unknown {
        block = block.push(widgets::plain(
            t("signature-import-key"),
            Some(import),
            Role::Secondary,
        ));
    }
    Some(block.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::test_keys::TestKey;
    use crate::signature::Origin;

    const DATA: &[u8] = b"the file's bytes";

    fn ring(keys: &[&TestKey]) -> Arc<Keyring> {
        let mut ring = Keyring::new();
        for key in keys {
            ring.extend(
                Keyring::from_bytes(key.public_armored().as_bytes(), Origin::Braid).unwrap(),
            );
        }
        Arc::new(ring)
    }

    fn signed_by(key: &TestKey) -> Vec<(Vec<Found>, Option<Hash>)> {
        vec![(
            vec![Found::detached(
                "http://127.0.0.1/a.iso.asc",
                key.sign(DATA),
            )],
            None,
        )]
    }

    fn messages(element: Element<'_, Message>, click: &str) -> Vec<Message> {
        let mut ui = iced_test::simulator(element);
        ui.click(click).unwrap();
        ui.into_messages().collect()
    }

    #[test]
    fn the_dialog_names_a_trusted_signer_before_the_download() {
        crate::i18n::set_language("en");
        let alice = TestKey::new("Alice <alice@example.org>");
        let mut signing = Signing::new(false);
        assert!(!signing.update(Message::Keyring(ring(&[&alice]))));
        let files = signed_by(&alice);
        let mut ui = iced_test::simulator(signing.view(&files).unwrap());
        let line = format!(
            "signed by Alice <alice@example.org> ({}); checked once the file is in",
            alice.fingerprint()
        );
        assert!(ui.find(line.as_str()).is_ok(), "{line}");
        assert!(ui.find("Import key…").is_err(), "the key is known");
    }

    #[test]
    fn the_dialog_names_an_unknown_key_and_offers_its_import() {
        crate::i18n::set_language("en");
        let alice = TestKey::new("Alice <alice@example.org>");
        let bob = TestKey::new("Bob <bob@example.org>");
        let mut signing = Signing::new(false);
        signing.update(Message::Keyring(ring(&[&bob])));
        let files = signed_by(&alice);
        let mut ui = iced_test::simulator(signing.view(&files).unwrap());
        let line = format!(
            "signature not checked: key {} is not in your keyring",
            alice.fingerprint()
        );
        assert!(ui.find(line.as_str()).is_ok(), "{line}");
        let asked = messages(signing.view(&files).unwrap(), "Import key…");
        assert!(matches!(asked[..], [Message::ImportKey]));
        assert!(
            signing.update(Message::ImportKey),
            "it asks the app for a key"
        );
        // Ticking "Require a good signature" is the download's own setting.
        let ticked = messages(signing.view(&files).unwrap(), "Require a good signature");
        for message in ticked {
            signing.update(message);
        }
        assert!(signing.require);
    }

    #[test]
    fn an_unsigned_file_shows_nothing_unless_a_signature_is_required() {
        let signing = Signing::new(false);
        assert!(signing.view(&[(Vec::new(), None)]).is_none());
        assert!(Signing::new(true).view(&[(Vec::new(), None)]).is_some());
    }

    #[test]
    fn details_say_the_verdict_and_offer_the_missing_key() {
        crate::i18n::set_language("en");
        let alice = TestKey::new("Alice <alice@example.org>");
        let found = vec![Found::detached(
            "http://127.0.0.1/a.iso.asc",
            alice.sign(DATA),
        )];
        let now = std::time::SystemTime::now();
        let check = |ring: &Keyring| {
            crate::signature::check_with(&found, &|| Ok(Box::new(DATA)), None, ring, now).unwrap()
        };
        let unknown = check(&Keyring::new());
        let good = check(&ring(&[&alice]));
        let shown = |verdict: Option<&Verdict>, keyring: Option<&Keyring>| {
            let signed = Signed {
                verdict,
                found: &found,
                expected: None,
                keyring,
                told: false,
            };
            iced_test::simulator(details(signed, "import").unwrap())
        };
        let mut ui = shown(Some(&good), None);
        let line = format!(
            "signature good, by Alice <alice@example.org> ({})",
            alice.fingerprint()
        );
        assert!(ui.find(line.as_str()).is_ok(), "{line}");
        assert!(ui.find("Import key…").is_err());

        let mut ui = shown(Some(&unknown), None);
        ui.click("Import key…").unwrap();
        assert_eq!(ui.into_messages().collect::<Vec<_>>(), ["import"]);

        // Before the file is in: who signed it, once the keys are read.
        let mut ui = shown(None, None);
        assert!(
            ui.find("Its OpenPGP signature is checked once the file is in")
                .is_ok()
        );
        let mut ui = shown(None, Some(&ring(&[&alice])));
        assert!(ui.find("checked once the file is in").is_err());
        let pending = format!(
            "signed by Alice <alice@example.org> ({}); checked once the file is in",
            alice.fingerprint()
        );
        assert!(ui.find(pending.as_str()).is_ok(), "{pending}");
        let mut ui = shown(None, Some(&Keyring::new()));
        assert!(
            ui.find("Import key…").is_ok(),
            "a key can be had before the file is in"
        );
    }

    #[test]
    fn a_failure_that_said_the_verdict_leaves_only_the_import() {
        crate::i18n::set_language("en");
        let alice = TestKey::new("Alice <alice@example.org>");
        let found = vec![Found::detached("x", alice.sign(DATA))];
        let now = std::time::SystemTime::now();
        let verdict = |ring: &Keyring| {
            crate::signature::check_with(&found, &|| Ok(Box::new(DATA)), None, ring, now).unwrap()
        };
        let unknown = verdict(&Keyring::new());
        let signed = |verdict| Signed {
            verdict: Some(verdict),
            found: &found,
            expected: None,
            keyring: None,
            told: true,
        };
        let mut ui = iced_test::simulator(details(signed(&unknown), ()).unwrap());
        assert!(ui.find("Import key…").is_ok());
        let line = format!(
            "signature not checked: key {} is not in your keyring",
            alice.fingerprint()
        );
        assert!(ui.find(line.as_str()).is_err(), "said once, in the failure");
        let other = vec![Found::detached("x", alice.sign(b"other bytes"))];
        let bad = crate::signature::check_with(
            &other,
            &|| Ok(Box::new(DATA)),
            None,
            &ring(&[&alice]),
            now,
        )
        .unwrap();
        assert!(bad.is_bad());
        let told_bad = Signed {
            verdict: Some(&bad),
            found: &other,
            expected: None,
            keyring: None,
            told: true,
        };
        assert!(details(told_bad, ()).is_none(), "nothing left to add");
    }

    #[test]
    fn a_bad_signature_and_a_warning_are_told_apart() {
        crate::i18n::set_language("en");
        let alice = TestKey::new("Alice <alice@example.org>");
        let expired = TestKey::expired("Old <old@example.org>");
        let now = std::time::SystemTime::now();
        let keys = ring(&[&alice, &expired]);
        let verdict = |found: Vec<Found>| {
            crate::signature::check_with(&found, &|| Ok(Box::new(DATA)), None, &keys, now).unwrap()
        };
        let bad = verdict(vec![Found::detached("x", alice.sign(b"other bytes"))]);
        let lines_of_bad = lines(&bad);
        assert_eq!(lines_of_bad[0].1, Tone::Bad);
        assert!(
            lines_of_bad[0].0.starts_with("signature BAD"),
            "{lines_of_bad:?}"
        );
        let old = verdict(vec![Found::detached("x", expired.sign(DATA))]);
        let lines_of_old = lines(&old);
        assert!(
            lines_of_old
                .iter()
                .any(|(words, tone)| *tone == Tone::Warning && words.contains("expired")),
            "{lines_of_old:?}"
        );
    }
}
