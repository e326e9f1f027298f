//! `braid register` and `braid unregister` in a scratch home: the desktop entry, icons
//! and MIME types land in the XDG data folder, Braid becomes the default for both
//! metalink types, a second run changes nothing, and unregister takes it all back
//! while leaving the user's other associations alone.

#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::Command;

fn braid(home: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_braid"))
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        // No desktop helpers (xdg-mime, update-*-database): the files speak alone.
        .env("PATH", home.join("no-tools"))
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
}

#[test]
fn register_is_idempotent_and_unregister_undoes_it() {
    let home = std::env::temp_dir().join(format!("braid-register-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(home.join("config")).unwrap();
    std::fs::write(
        home.join("config/mimeapps.list"),
        "[Default Applications]\nimage/png=eog.desktop;\napplication/metalink4+xml=kget.desktop;\n",
    )
    .unwrap();

    let (ok, said) = braid(&home, &["register"]);
    assert!(ok, "{said}");
    assert!(said.contains("installed"), "{said}");
    let desktop = home.join("data/applications/io.github.braid.Braid.desktop");
    let entry = std::fs::read_to_string(&desktop).unwrap();
    assert!(entry.contains(&format!(
            "Exec={} %U",
            Path::new(env!("CARGO_BIN_EXE_braid"))
                .canonicalize()
                .unwrap()
                .display()
        )));
    assert!(
        home.join("data/icons/hicolor/scalable/apps/io.github.braid.Braid.svg")
            .exists()
    );
    assert!(
        home.join("data/icons/hicolor/48x48/apps/io.github.braid.Braid.png")
            .exists()
    );
    assert!(
        home.join("data/mime/packages/io.github.braid.Braid.xml")
            .exists()
    );
    let defaults = std::fs::read_to_string(home.join("config/mimeapps.list")).unwrap();
    assert!(
        defaults.contains("application/metalink4+xml=io.github.braid.Braid.desktop;"),
        "{defaults}"
    );
    assert!(
        defaults.contains("application/metalink+xml=io.github.braid.Braid.desktop;"),
        "{defaults}"
    );
    assert!(defaults.contains("image/png=eog.desktop;"));
    // The browser extension's host, for Firefox and four Chromium-based browsers.
    let program = Path::new(env!("CARGO_BIN_EXE_braid"))
        .canonicalize()
        .unwrap();
    let hosts = [
        home.join(".mozilla/native-messaging-hosts/io.github.braid.json"),
        home.join("config/chromium/NativeMessagingHosts/io.github.braid.json"),
        home.join("config/google-chrome/NativeMessagingHosts/io.github.braid.json"),
        home.join("config/BraveSoftware/Brave-Browser/NativeMessagingHosts/io.github.braid.json"),
        home.join("config/microsoft-edge/NativeMessagingHosts/io.github.braid.json"),
    ];
    for host in &hosts {
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(host).unwrap()).unwrap();
        assert_eq!(manifest["name"], "io.github.braid", "{}", host.display());
        assert_eq!(manifest["type"], "stdio");
        assert_eq!(manifest["path"], program.to_str().unwrap());
    }
    assert!(said.contains("browser extension"), "{said}");

    let (ok, said) = braid(&home, &["register"]);
    assert!(ok);
    assert!(said.contains("already registered"), "{said}");

    let (ok, said) = braid(&home, &["unregister"]);
    assert!(ok, "{said}");
    assert!(!desktop.exists());
    assert!(hosts.iter().all(|host| !host.exists()));
    assert!(
        !home
            .join("data/icons/hicolor/48x48/apps/io.github.braid.Braid.png")
            .exists()
    );
    let defaults = std::fs::read_to_string(home.join("config/mimeapps.list")).unwrap();
    assert!(!defaults.contains("metalink"), "{defaults}");
    assert!(
        defaults.contains("image/png=eog.desktop;"),
        "the user's other choices stay"
    );

    let (ok, said) = braid(&home, &["unregister"]);
    assert!(ok);
    assert!(said.contains("not registered"), "{said}");
}
