//! Choosing what to download: which files suit the user's languages and operating
//! system, and in which order to try a file's URLs. Pure functions of the document and
//! the preferences, so the CLI, the GUI and the tests agree.

use super::model::{Document, File, MetaUrl, MirrorUrl};

/// URL schemes the engine downloads from.
pub const SUPPORTED_SCHEMES: [&str; 4] = ["http", "https", "ftp", "ftps"];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preferences {
    /// BCP 47 language tags, most preferred first (`de-AT`, `de`, `en`).
    pub languages: Vec<String>,
    /// The user's operating system as an IANA-style name (`linux-x86_64`); `None` means
    /// any.
    pub os: Option<String>,
    /// ISO 3166-1 country codes of preferred mirror locations, most preferred first.
    pub locations: Vec<String>,
}

impl Preferences {
    /// The running system's languages (from `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`)
    /// and operating system.
    pub fn from_system() -> Self {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        let mut languages = Vec::new();
        let sources = [
            var("LANGUAGE"),
            var("LC_ALL").or_else(|| var("LC_MESSAGES")),
            var("LANG"),
        ];
        for list in sources.into_iter().flatten() {
            for locale in list.split(':') {
                if let Some(tag) = locale_to_tag(locale)
                    && !languages.contains(&tag)
                {
                    languages.push(tag);
                }
            }
        }
        Preferences {
            languages,
            os: Some(system_os()),
            locations: Vec::new(),
        }
    }
}

/// `de_AT.UTF-8@euro` → `de-AT`; `C` and `POSIX` name no language.
pub fn locale_to_tag(locale: &str) -> Option<String> {
    let base = locale.split(['.', '@']).next()?.trim();
    if base.is_empty() || base == "C" || base == "POSIX" {
        return None;
    }
    Some(base.replace('_', "-"))
}

/// This build's OS in metalink terms, e.g. `linux-x86_64`, `windows-x86_64`, `macos-aarch64`.
pub fn system_os() -> String {
    format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH)
}

/// BCP 47 prefix matching in both directions: the user's `en` matches a file's
/// `en-US`, and a user in `en-US` is served by a file marked `en`. Case-insensitive,
/// on subtag boundaries (`en` does not match `eng`).
pub fn language_matches(user: &str, file: &str) -> bool {
    let user = user.to_ascii_lowercase().replace('_', "-");
    let file = file.to_ascii_lowercase().replace('_', "-");
    let is_prefix = |short: &str, long: &str| {
        long == short || (long.starts_with(short) && long.as_bytes()[short.len()] == b'-')
    };
    is_prefix(&user, &file) || is_prefix(&file, &user)
}

/// Splits an OS name into a normalized family and architecture:
/// `Linux-x86` → (`linux`, `x86`), `win64` → (`windows`, `x86_64`), `MacOSX` → (`macos`, none).
fn os_parts(name: &str) -> (String, Option<&'static str>) {
    let lower = name.trim().to_ascii_lowercase();
    let (family, arch) = match lower.split_once(['-', ' ']) {
        Some((family, arch)) => (family.to_owned(), Some(arch.to_owned())),
        None => (lower, None),
    };
    let (family, implied_arch) = match family.as_str() {
        "win" | "win32" | "windows" => ("windows".to_owned(), None),
        "win64" => ("windows".to_owned(), Some("x86_64")),
        "mac" | "macos" | "macosx" | "osx" | "darwin" => ("macos".to_owned(), None),
        _ => (family, None),
    };
    let arch = match arch.as_deref() {
        Some("x86_64" | "amd64" | "x64" | "x86-64") => Some("x86_64"),
        Some("x86" | "i386" | "i486" | "i586" | "i686" | "ia32") => Some("x86"),
        Some("aarch64" | "arm64") => Some("aarch64"),
        Some("arm" | "armhf" | "armv7") => Some("arm"),
        Some("ppc" | "powerpc") => Some("powerpc"),
        Some("ppc64" | "powerpc64") => Some("powerpc64"),
        Some(_) => Some("other"),
        None => implied_arch,
    };
    (family, arch)
}

/// Whether a file marked for `file_os` runs on `user_os`: same family, and the same
/// architecture when both name one.
pub fn os_matches(user_os: &str, file_os: &str) -> bool {
    let (user_family, user_arch) = os_parts(user_os);
    let (file_family, file_arch) = os_parts(file_os);
    user_family == file_family
        && match (user_arch, file_arch) {
            (Some(u), Some(f)) => u == f,
            _ => true,
        }
}

/// Which files to download by default, and why others were left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Indexes into `Document::files`, in document order.
    pub files: Vec<usize>,
    /// Notes for the user, e.g. that no file was in their language.
    pub notes: Vec<SelectionNote>,
}

/// Why the selection is not simply "the files for your language and OS". `Display` is
/// English for the terminal; the window words each case itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectionNote {
    /// No file is for the user's OS; nothing is selected.
    #[error("no file is for {} (the document offers: {})", .os, .offered.join(", "))]
    NoFileForOs { os: String, offered: Vec<String> },
    /// No file is in the user's languages; the English ones are selected.
    #[error("no file is in {}; English selected", describe(.wanted))]
    EnglishInstead { wanted: Vec<String> },
    /// No file is in the user's languages nor in English; all are selected.
    #[error("no file is in {}; all languages selected", describe(.wanted))]
    AllLanguages { wanted: Vec<String> },
}

/// Picks the files that suit `prefs`: files that name no OS or a matching one, then,
/// among those, files that name no language or one of the user's. When no file is in
/// the user's languages, English is tried, then every language. When no file suits the
/// OS, nothing is selected and a note says so; the user can still pick files by name.
pub fn choose_files(doc: &Document, prefs: &Preferences) -> Selection {
    let mut notes = Vec::new();
    let for_os: Vec<usize> = (0..doc.files.len())
        .filter(|&i| {
            let file = &doc.files[i];
            match &prefs.os {
                Some(os) if !file.os.is_empty() => file.os.iter().any(|f| os_matches(os, f)),
                _ => true,
            }
        })
        .collect();
    if for_os.is_empty() {
        let mut offered: Vec<&str> = doc
            .files
            .iter()
            .flat_map(|f| &f.os)
            .map(String::as_str)
            .collect();
        offered.dedup();
        notes.push(SelectionNote::NoFileForOs {
            os: prefs.os.clone().unwrap_or_else(|| "this system".into()),
            offered: offered.into_iter().map(str::to_owned).collect(),
        });
        return Selection {
            files: for_os,
            notes,
        };
    }
    let in_languages = |languages: &[String]| -> Vec<usize> {
        for_os
            .iter()
            .copied()
            .filter(|&i| {
                let file = &doc.files[i];
                file.languages.is_empty()
                    || file
                        .languages
                        .iter()
                        .any(|f| languages.iter().any(|u| language_matches(u, f)))
            })
            .collect()
    };
    let mut files = in_languages(&prefs.languages);
    let has_languages = |files: &[usize]| files.iter().any(|&i| !doc.files[i].languages.is_empty());
    let wanted_some = for_os.iter().any(|&i| !doc.files[i].languages.is_empty());
    if wanted_some && !has_languages(&files) {
        let english = in_languages(&["en".to_owned()]);
        if has_languages(&english) {
            notes.push(SelectionNote::EnglishInstead {
                wanted: prefs.languages.clone(),
            });
            files = english;
        } else {
            notes.push(SelectionNote::AllLanguages {
                wanted: prefs.languages.clone(),
            });
            files = for_os;
        }
    }
    Selection { files, notes }
}

fn describe(languages: &[String]) -> String {
    if languages.is_empty() {
        "your language".to_owned()
    } else {
        languages.join(", ")
    }
}

/// Whether Braid can download from this URL.
pub fn is_supported(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        SUPPORTED_SCHEMES
            .iter()
            .any(|s| s.eq_ignore_ascii_case(scheme))
    })
}

/// The file's URLs Braid can use, in the order to try them: priority (lowest first),
/// then preferred locations, then HTTP(S) before FTP(S) (a connection costs FTP a
/// login and a data connection per request), then document order.
pub fn ordered_urls<'a>(file: &'a File, locations: &[String]) -> Vec<&'a MirrorUrl> {
    let rank = |url: &MirrorUrl| {
        url.location
            .as_ref()
            .and_then(|l| locations.iter().position(|p| p.eq_ignore_ascii_case(l)))
            .unwrap_or(locations.len())
    };
    let mut urls: Vec<&MirrorUrl> = file.urls.iter().filter(|u| is_supported(&u.url)).collect();
    // A stable sort keeps document order among equals.
    urls.sort_by_key(|u| (u.priority, rank(u), is_ftp(&u.url)));
    urls
}

/// Whether a URL is an FTP or FTPS one.
pub fn is_ftp(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        scheme.eq_ignore_ascii_case("ftp") || scheme.eq_ignore_ascii_case("ftps")
    })
}

/// The file's metaurls by priority, then document order.
pub fn ordered_metaurls(file: &File) -> Vec<&MetaUrl> {
    let mut metaurls: Vec<&MetaUrl> = file.metaurls.iter().collect();
    metaurls.sort_by_key(|m| m.priority);
    metaurls
}

/// Files chosen by name (exact, or the last path component).
pub fn files_named(doc: &Document, names: &[String]) -> Result<Vec<usize>, String> {
    names
        .iter()
        .map(|name| {
            doc.files
                .iter()
                .position(|f| f.name == *name)
                .or_else(|| {
                    let mut by_base = doc
                        .files
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| f.name.rsplit('/').next() == Some(name.as_str()));
                    match (by_base.next(), by_base.next()) {
                        (Some((i, _)), None) => Some(i),
                        _ => None,
                    }
                })
                .ok_or_else(|| {
                    let available: Vec<&str> = doc.files.iter().map(|f| f.name.as_str()).collect();
                    format!(
                        "no file named '{name}' (the document has: {})",
                        available.join(", ")
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metalink::model::Version;

    fn doc(files: Vec<File>) -> Document {
        Document {
            version: Version::V4,
            generator: None,
            origin: None,
            dynamic: false,
            published: None,
            updated: None,
            files,
        }
    }

    fn file(name: &str, languages: &[&str], os: &[&str]) -> File {
        File {
            languages: languages.iter().map(|s| s.to_string()).collect(),
            os: os.iter().map(|s| s.to_string()).collect(),
            ..File::new(name)
        }
    }

    fn prefs(languages: &[&str], os: Option<&str>) -> Preferences {
        Preferences {
            languages: languages.iter().map(|s| s.to_string()).collect(),
            os: os.map(str::to_owned),
            locations: Vec::new(),
        }
    }

    #[test]
    fn language_prefix_matching() {
        assert!(language_matches("en", "en-US"));
        assert!(language_matches("en-US", "en"));
        assert!(language_matches("EN_us", "en-US"));
        assert!(!language_matches("en", "eng"));
        assert!(!language_matches("de", "en"));
        assert!(!language_matches("en-GB", "en-US"));
    }

    #[test]
    fn os_matching() {
        assert!(os_matches("linux-x86_64", "Linux-x86_64"));
        assert!(os_matches("linux-x86_64", "linux"));
        assert!(!os_matches("linux-x86_64", "Linux-x86"));
        assert!(os_matches("windows-x86_64", "win64"));
        assert!(os_matches("windows-x86_64", "Windows"));
        assert!(os_matches("macos-aarch64", "MacOSX"));
        assert!(!os_matches("linux-x86_64", "Windows"));
        assert!(!os_matches("linux-x86_64", "Source"));
    }

    #[test]
    fn chooses_by_language_and_os() {
        let d = doc(vec![
            file("app-de.exe", &["de"], &["windows"]),
            file("app-en.exe", &["en"], &["windows"]),
            file("app-de.tar.gz", &["de"], &["linux-x86_64"]),
            file("app-en.tar.gz", &["en-US"], &["linux-x86_64"]),
            file("README", &[], &[]),
        ]);
        let chosen = choose_files(&d, &prefs(&["en"], Some("linux-x86_64")));
        assert_eq!(chosen.files, vec![3, 4]);
        assert!(chosen.notes.is_empty());
        let german_windows = choose_files(&d, &prefs(&["de-AT"], Some("windows-x86_64")));
        assert_eq!(german_windows.files, vec![0, 4]);
    }

    #[test]
    fn falls_back_to_english_then_everything() {
        let d = doc(vec![file("a-en", &["en"], &[]), file("a-fr", &["fr"], &[])]);
        let japanese = choose_files(&d, &prefs(&["ja"], None));
        assert_eq!(japanese.files, vec![0]);
        assert_eq!(
            japanese.notes[0].to_string(),
            "no file is in ja; English selected"
        );
        let d = doc(vec![file("a-de", &["de"], &[]), file("a-fr", &["fr"], &[])]);
        assert_eq!(choose_files(&d, &prefs(&["ja"], None)).files, vec![0, 1]);
    }

    #[test]
    fn wrong_os_selects_nothing_and_says_why() {
        let d = doc(vec![file("setup.exe", &[], &["Windows"])]);
        let chosen = choose_files(&d, &prefs(&["en"], Some("linux-x86_64")));
        assert!(chosen.files.is_empty());
        assert_eq!(
            chosen.notes[0].to_string(),
            "no file is for linux-x86_64 (the document offers: Windows)"
        );
    }

    #[test]
    fn url_order_is_priority_then_location_then_http_before_ftp_then_document_order() {
        let url = |url: &str, priority, location: Option<&str>| MirrorUrl {
            url: url.into(),
            priority,
            location: location.map(str::to_owned),
            max_connections: None,
        };
        let f = File {
            urls: vec![
                url("http://a/", 2, Some("us")),
                url("http://b/", 1, Some("us")),
                url("http://c/", 2, Some("de")),
                url("ftp://d/", 1, None),
                url("http://e/", 2, Some("us")),
                url("https://f/", 1, Some("de")),
                url("ftp://g/", 1, Some("de")),
                url("rsync://h/", 1, Some("de")),
                url("http://i/", 1, None),
                url(
                    "ed2k://|file|x|1|0123456789abcdef0123456789abcdef|/",
                    1,
                    None,
                ),
            ],
            ..File::new("x")
        };
        let order: Vec<&str> = ordered_urls(&f, &["de".to_owned()])
            .iter()
            .map(|u| u.url.as_str())
            .collect();
        assert_eq!(
            order,
            [
                "https://f/",
                "ftp://g/",
                "http://b/",
                "http://i/",
                "ftp://d/",
                "http://c/",
                "http://a/",
                "http://e/"
            ]
        );
    }

    #[test]
    fn locale_names() {
        assert_eq!(locale_to_tag("de_AT.UTF-8@euro").as_deref(), Some("de-AT"));
        assert_eq!(locale_to_tag("C"), None);
        assert_eq!(locale_to_tag("C.UTF-8"), None);
    }

    #[test]
    fn files_by_name() {
        let d = doc(vec![File::new("iso/disc1.iso"), File::new("README")]);
        assert_eq!(files_named(&d, &["disc1.iso".into()]), Ok(vec![0]));
        assert_eq!(
            files_named(&d, &["README".into(), "iso/disc1.iso".into()]),
            Ok(vec![1, 0])
        );
        assert!(
            files_named(&d, &["nope".into()])
                .unwrap_err()
                .contains("README")
        );
    }
}
