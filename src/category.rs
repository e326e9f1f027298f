//! Categories by kind of file, chosen from the name: ISO images, archives, packages,
//! documents, and everything else. Each may have a download folder of its own.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Disk images: `.iso`, `.img`, `.qcow2`…
    Image,
    /// `.zip`, `.tar.gz`, `.7z`…
    Archive,
    /// Installable packages: `.deb`, `.rpm`, `.msi`, `.dmg`, `.AppImage`…
    Package,
    /// `.pdf`, `.epub`, `.odt`, `.txt`…
    Document,
    Other,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Image,
        Category::Archive,
        Category::Package,
        Category::Document,
        Category::Other,
    ];

    /// The category a file's name says it belongs to.
    pub fn of(name: &str) -> Category {
        let name = name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(name)
            .to_lowercase();
        let ends = |list: &[&str]| list.iter().any(|ext| name.ends_with(ext));
        // Compressed images (`.iso.xz`) are images; the longest endings first.
        if ends(&[
            ".iso", ".img", ".img.xz", ".img.gz", ".iso.xz", ".raw.xz", ".qcow2", ".vmdk", ".vdi",
            ".vhd", ".vhdx", ".wim",
        ]) {
            Category::Image
        } else if ends(&[
            ".deb",
            ".rpm",
            ".apk",
            ".msi",
            ".msix",
            ".exe",
            ".dmg",
            ".pkg",
            ".appimage",
            ".flatpak",
            ".flatpakref",
            ".snap",
            ".pkg.tar.zst",
            ".pkg.tar.xz",
            ".whl",
            ".crate",
            ".ipk",
        ]) {
            Category::Package
        } else if ends(&[
            ".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst",
            ".7z", ".rar", ".gz", ".xz", ".bz2", ".zst", ".lz", ".lzma", ".cab",
        ]) {
            Category::Archive
        } else if ends(&[
            ".pdf", ".epub", ".mobi", ".djvu", ".odt", ".ods", ".odp", ".doc", ".docx", ".xls",
            ".xlsx", ".ppt", ".pptx", ".txt", ".md", ".rtf", ".html", ".htm", ".ps",
        ]) {
            Category::Document
        } else {
            Category::Other
        }
    }

    /// Its name in the interface language.
    pub fn label(self) -> String {
        crate::i18n::t(match self {
            Category::Image => "category-image",
            Category::Archive => "category-archive",
            Category::Package => "category-package",
            Category::Document => "category-document",
            Category::Other => "category-other",
        })
    }

    /// The key in the settings and the message ids (`category-image` …).
    pub fn code(self) -> &'static str {
        match self {
            Category::Image => "image",
            Category::Archive => "archive",
            Category::Package => "package",
            Category::Document => "document",
            Category::Other => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Category::{self, *};

    #[test]
    fn names_say_their_kind() {
        for (name, kind) in [
            ("debian-13.0.0-amd64-netinst.iso", Image),
            ("Fedora-Workstation.x86_64.ISO", Image),
            ("raspios.img.xz", Image),
            ("linux-6.12.tar.xz", Archive),
            ("data.7z", Archive),
            ("firefox_140_amd64.deb", Package),
            ("package.pkg.tar.zst", Package),
            ("Braid.AppImage", Package),
            ("setup.exe", Package),
            ("manual.pdf", Document),
            ("dir/notes.TXT", Document),
            ("movie.mkv", Other),
            ("README", Other),
        ] {
            assert_eq!(Category::of(name), kind, "{name}");
        }
    }
}
