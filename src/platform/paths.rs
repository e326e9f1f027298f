//! Per-user folders (XDG on Linux, the platform's own elsewhere). `BRAID_CONFIG_DIR`,
//! `BRAID_DATA_DIR` and `BRAID_RUNTIME_DIR` override them, so tests and demos never touch
//! the user's real settings.

use std::path::PathBuf;

fn project() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("io.github", "braid", "Braid")
}

fn from_env(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Where `settings.toml` lives.
pub fn config_dir() -> PathBuf {
    from_env("BRAID_CONFIG_DIR")
        .or_else(|| project().map(|p| p.config_dir().to_path_buf()))
        .unwrap_or_else(|| std::env::temp_dir().join("braid-config"))
}

/// Where the saved queue lives.
pub fn data_dir() -> PathBuf {
    from_env("BRAID_DATA_DIR")
        .or_else(|| project().map(|p| p.data_dir().to_path_buf()))
        .unwrap_or_else(|| std::env::temp_dir().join("braid-data"))
}

/// Braid's own OpenPGP keyring (`braid keys`), one key file per key.
pub fn keyring_dir() -> PathBuf {
    data_dir().join("keyring")
}

/// Where the single-instance socket lives: the per-user runtime dir, or a per-user
/// folder in the temp dir where there is none.
pub fn runtime_dir() -> PathBuf {
    if let Some(dir) = from_env("BRAID_RUNTIME_DIR") {
        return dir;
    }
    if let Some(dir) = flatpak_shared_dir(from_env("FLATPAK_ID"), from_env("XDG_RUNTIME_DIR")) {
        return dir;
    }
    if let Some(dir) = project().and_then(|p| p.runtime_dir().map(|d| d.to_path_buf())) {
        return dir;
    }
    std::env::temp_dir().join(format!("braid-{}", user_tag()))
}

/// Inside a Flatpak sandbox every running instance has a runtime dir of its own; only
/// `$XDG_RUNTIME_DIR/app/$FLATPAK_ID` is shared between them, so the socket goes there.
fn flatpak_shared_dir(flatpak_id: Option<PathBuf>, runtime: Option<PathBuf>) -> Option<PathBuf> {
    Some(runtime?.join("app").join(flatpak_id?))
}

/// The user's download folder, else `~/Downloads`, else the current directory.
pub fn default_download_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| {
            u.download_dir()
                .map(|d| d.to_path_buf())
                .or_else(|| Some(u.home_dir().join("Downloads")))
        })
        .unwrap_or_else(|| PathBuf::from("."))
}

fn user_tag() -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(meta) = std::fs::metadata(std::env::var_os("HOME").unwrap_or_default()) {
            return meta.uid().to_string();
        }
    }
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "user".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flatpak_instances_share_the_app_runtime_dir() {
        let shared = flatpak_shared_dir(
            Some("io.github.braid.Braid".into()),
            Some("/run/user/1000".into()),
        );
        assert_eq!(
            shared,
            Some(PathBuf::from("/run/user/1000/app/io.github.braid.Braid"))
        );
        assert_eq!(
            flatpak_shared_dir(None, Some("/run/user/1000".into())),
            None
        );
    }
}
