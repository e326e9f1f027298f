//! The manifests that tell browsers where Braid's native messaging host is (the
//! extension in `browser/` talks to `braid native-host` through them). `braid register`
//! writes one per browser for this user, `unregister` removes them; the .deb ships the
//! system-wide ones (`packaging/linux/native-messaging/`).
//!
//! Firefox reads `~/.mozilla/native-messaging-hosts/`, Chromium-based browsers a
//! `NativeMessagingHosts/` folder in their own config folder. The manifest's `path` is the
//! `braid` binary itself: it recognises a browser's arguments and becomes the host.

use std::path::{Path, PathBuf};

/// The host's name, as the extension asks for it.
pub const HOST_NAME: &str = "io.github.braid";

/// The manifest's file name everywhere.
pub const MANIFEST_FILE: &str = "io.github.braid.json";

/// The extension's id in Firefox (`browser_specific_settings.gecko.id`).
pub const FIREFOX_ADDON_ID: &str = "extension@braid.github.io";

/// The extension's id in Chromium-based browsers, fixed by the `key` in its manifest.
pub const CHROMIUM_EXTENSION_ID: &str = "dglfcekciapifobaoohfoofclabgfnga";

const DESCRIPTION: &str = "Braid download manager: links from the browser";

/// Chromium-based browsers, by their folder under `$XDG_CONFIG_HOME`.
const CHROMIUM_FAMILY: [&str; 4] = [
    "chromium",
    "google-chrome",
    "BraveSoftware/Brave-Browser",
    "microsoft-edge",
];

/// The manifest for Firefox, naming `program`.
pub fn firefox_manifest(program: &Path) -> String {
    let manifest = serde_json::json!({
        "name": HOST_NAME,
        "description": DESCRIPTION,
        "path": program,
        "type": "stdio",
        "allowed_extensions": [FIREFOX_ADDON_ID],
    });
    format!("{manifest:#}\n")
}

/// The manifest for Chromium-based browsers, naming `program`.
pub fn chromium_manifest(program: &Path) -> String {
    let manifest = serde_json::json!({
        "name": HOST_NAME,
        "description": DESCRIPTION,
        "path": program,
        "type": "stdio",
        "allowed_origins": [format!("chrome-extension://{CHROMIUM_EXTENSION_ID}/")],
    });
    format!("{manifest:#}\n")
}

/// Where this user's manifests go, each with its text: `home` is the home folder,
/// `config` the XDG config folder.
pub fn user_manifests(home: &Path, config: &Path, program: &Path) -> Vec<(PathBuf, String)> {
    let mut all = vec![(
        home.join(".mozilla/native-messaging-hosts")
            .join(MANIFEST_FILE),
        firefox_manifest(program),
    )];
    for browser in CHROMIUM_FAMILY {
        all.push((
            config
                .join(browser)
                .join("NativeMessagingHosts")
                .join(MANIFEST_FILE),
            chromium_manifest(program),
        ));
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_name_the_host_and_only_braids_extension() {
        let program = Path::new("/usr/bin/braid");
        let firefox: serde_json::Value = serde_json::from_str(&firefox_manifest(program)).unwrap();
        assert_eq!(firefox["name"], "io.github.braid");
        assert_eq!(firefox["type"], "stdio");
        assert_eq!(firefox["path"], "/usr/bin/braid");
        assert_eq!(
            firefox["allowed_extensions"],
            serde_json::json!([FIREFOX_ADDON_ID])
        );
        let chromium: serde_json::Value =
            serde_json::from_str(&chromium_manifest(program)).unwrap();
        assert_eq!(
            chromium["allowed_origins"],
            serde_json::json!(["chrome-extension://dglfcekciapifobaoohfoofclabgfnga/"])
        );
        assert!(
            chromium["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty())
        );
        let places = user_manifests(Path::new("/home/u"), Path::new("/home/u/.config"), program);
        assert_eq!(places.len(), 5);
        assert!(places.iter().all(|(p, _)| p.ends_with(MANIFEST_FILE)));
    }

    #[test]
    fn the_shipped_manifests_match_the_generated_ones() {
        let program = Path::new("/usr/bin/braid");
        let shipped = |name: &str| {
            std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("packaging/linux/native-messaging")
                    .join(name)
                    .join(MANIFEST_FILE),
            )
            .unwrap()
        };
        assert_eq!(shipped("firefox"), firefox_manifest(program));
        assert_eq!(shipped("chromium"), chromium_manifest(program));
    }
}
