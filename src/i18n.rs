//! Translations with Fluent: `i18n/en.ftl` is the source, `de.ftl` and `es.ftl` follow
//! it. The language follows the settings, else the system locale; a key missing in a
//! translation falls back to English.

use std::sync::{Arc, RwLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The languages Braid speaks.
pub const LANGUAGES: [&str; 3] = ["en", "de", "es"];

/// Each language's Fluent source.
pub const SOURCES: [(&str, &str); 3] = [
    ("en", include_str!("../i18n/en.ftl")),
    ("de", include_str!("../i18n/de.ftl")),
    ("es", include_str!("../i18n/es.ftl")),
];

type Bundle = FluentBundle<FluentResource>;

struct Catalog {
    language: &'static str,
    chosen: Bundle,
    english: Bundle,
}

static CURRENT: RwLock<Option<Arc<Catalog>>> = RwLock::new(None);

fn bundle(language: &str) -> Bundle {
    let source = SOURCES
        .iter()
        .find(|(l, _)| *l == language)
        .map_or(SOURCES[0].1, |(_, s)| s);
    let resource =
        FluentResource::try_new(source.to_owned()).unwrap_or_else(|(resource, _)| resource);
    let id: unic_langid::LanguageIdentifier = language.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Plain text in a window: no Unicode isolation marks around placeables.
    bundle.set_use_isolating(false);
    let _ = bundle.add_resource(resource);
    bundle
}

/// The language to use for a setting (`""` follows the system locale).
pub fn resolve(setting: &str) -> &'static str {
    let wanted = if setting.is_empty() {
        crate::metalink::select::Preferences::from_system()
            .languages
            .first()
            .cloned()
            .unwrap_or_default()
    } else {
        setting.to_owned()
    };
    let primary = wanted
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    LANGUAGES
        .into_iter()
        .find(|l| *l == primary)
        .unwrap_or("en")
}

/// Switches the interface language (`""` for the system's).
pub fn set_language(setting: &str) {
    let language = resolve(setting);
    let catalog = Catalog {
        language,
        chosen: bundle(language),
        english: bundle("en"),
    };
    *CURRENT.write().unwrap() = Some(Arc::new(catalog));
}

/// The language in use.
pub fn language() -> &'static str {
    catalog().language
}

fn catalog() -> Arc<Catalog> {
    if let Some(catalog) = CURRENT.read().unwrap().as_ref() {
        return catalog.clone();
    }
    set_language("");
    CURRENT.read().unwrap().clone().expect("just set")
}

/// The text for `key`.
pub fn t(key: &str) -> String {
    t_args(key, &[])
}

/// The text for `key` with named arguments.
pub fn t_args(key: &str, args: &[(&str, String)]) -> String {
    let catalog = catalog();
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        // Numbers stay numbers, so plural rules apply to them.
        let value = match value.parse::<f64>() {
            Ok(number) if !value.is_empty() => FluentValue::from(number),
            _ => FluentValue::from(value.clone()),
        };
        fluent_args.set(*name, value);
    }
    for bundle in [&catalog.chosen, &catalog.english] {
        if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, Some(&fluent_args), &mut errors)
                .into_owned();
        }
    }
    key.to_owned()
}

/// The message ids of a Fluent source, for checking translations.
pub fn keys(source: &str) -> Vec<String> {
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(r, _)| r);
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_exists_in_every_language_and_parses() {
        let english = keys(SOURCES[0].1);
        assert!(english.len() > 50, "{} keys", english.len());
        for (language, source) in SOURCES {
            if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
                panic!("{language}.ftl does not parse: {errors:?}");
            }
            let theirs = keys(source);
            let missing: Vec<_> = english.iter().filter(|k| !theirs.contains(k)).collect();
            let extra: Vec<_> = theirs.iter().filter(|k| !english.contains(k)).collect();
            assert!(missing.is_empty(), "{language}.ftl lacks {missing:?}");
            assert!(extra.is_empty(), "{language}.ftl has unknown {extra:?}");
        }
    }

    #[test]
    fn every_key_used_in_the_code_exists() {
        let english = keys(SOURCES[0].1);
        let mut used = Vec::new();
        for path in rust_files(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))) {
            let text = std::fs::read_to_string(path).unwrap();
            used.extend(keys_called(&text, "t("));
            used.extend(keys_called(&text, "t_args("));
        }
        assert!(!used.is_empty());
        let unknown: Vec<_> = used.iter().filter(|k| !english.contains(k)).collect();
        assert!(
            unknown.is_empty(),
            "keys used but not in en.ftl: {unknown:?}"
        );
    }

    /// Words on screen come from the translations: a literal passed to `text(` in the
    /// window's code is a bug (the brand name and punctuation aside).
    #[test]
    fn the_window_shows_no_literal_words() {
        let allowed = ["Braid", "·", " ", "—"];
        let mut found = Vec::new();
        let gui = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/gui"));
        for path in rust_files(gui) {
            let source = std::fs::read_to_string(&path).unwrap();
            let code = source.split("#[cfg(test)]").next().unwrap_or("");
            for (at, _) in code.match_indices("text(\"") {
                let literal = &code[at + 6..];
                let end = literal.find('"').unwrap_or(0);
                let words = &literal[..end];
                if !allowed.contains(&words) && words.chars().any(char::is_alphabetic) {
                    found.push(format!("{}: {words}", path.display()));
                }
            }
        }
        assert!(found.is_empty(), "untranslated: {found:?}");
    }

    /// Every `.rs` file under `dir`, in sub-folders too.
    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
        files
    }

    /// The string literals passed first to `call` (not to functions ending in it).
    fn keys_called(text: &str, call: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for (at, _) in text.match_indices(call) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = text[at + call.len()..].trim_start();
            if let Some(literal) = rest.strip_prefix('"')
                && let Some(end) = literal.find('"')
                && literal[..end]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                keys.push(literal[..end].to_owned());
            }
        }
        keys
    }

    #[test]
    fn numbers_choose_the_plural_form() {
        set_language("en");
        assert_eq!(
            t_args("queue-count", &[("count", "1".into())]),
            "1 download"
        );
        assert_eq!(
            t_args("queue-count", &[("count", "3".into())]),
            "3 downloads"
        );
        set_language("de");
        assert_eq!(
            t_args("queue-count", &[("count", "1".into())]),
            "1 Download"
        );
    }

    #[test]
    fn resolves_system_and_settings() {
        assert_eq!(resolve("de"), "de");
        assert_eq!(resolve("es-MX"), "es");
        assert_eq!(resolve("fr"), "en");
    }
}
