//! MirrorBrain's mirror list page (`URL.mirrorlist`), read with no I/O: the file's size
//! and hashes from its "File information" list and the mirrors from its
//! `<li><a href="URL">URL</a> (CC, prio N)</li>` lines. It is HTML made by one program,
//! so it is read by that program's shapes, and anything else is ignored.

use crate::metalink::{Hash, HashAlgorithm};

/// What a mirror list page says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MirrorList {
    pub size: Option<u64>,
    pub hashes: Vec<Hash>,
    pub mirrors: Vec<ListedMirror>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedMirror {
    pub url: String,
    /// ISO 3166-1 code, lower-cased.
    pub country: Option<String>,
    /// MirrorBrain's score (higher is preferred); not a metalink priority.
    pub score: Option<u32>,
}

/// Reads a mirror list page; a page of another shape gives an empty list.
pub fn read(html: &str) -> MirrorList {
    let mut list = MirrorList::default();
    for line in html.lines() {
        let line = line.trim();
        if let Some(hash) = hash_line(line) {
            if list.hashes.iter().all(|h| h.algorithm != hash.algorithm) {
                list.hashes.push(hash);
            }
        } else if let Some(size) = size_line(line) {
            list.size = Some(size);
        } else if let Some(mirror) = mirror_line(line)
            && list.mirrors.iter().all(|m| m.url != mirror.url)
        {
            list.mirrors.push(mirror);
        }
    }
    list.hashes.sort_by_key(|h| h.algorithm);
    list
}

/// `<li><span class="mirrorbrain-label"><a href="….sha256">SHA-256 Hash</a>:</span> <tt>HEX</tt></li>`
fn hash_line(line: &str) -> Option<Hash> {
    let label_end = line.find(" Hash</a>:")?;
    let label_start = line[..label_end].rfind('>')? + 1;
    let algorithm = match &line[label_start..label_end] {
        "SHA-256" => HashAlgorithm::Sha256,
        "SHA-1" => HashAlgorithm::Sha1,
        "MD5" => HashAlgorithm::Md5,
        _ => return None,
    };
    let hex = between(&line[label_end..], "<tt>", "</tt>")?;
    Hash::from_hex(algorithm, hex.trim()).ok()
}

/// `<li><span class="mirrorbrain-label">Size:</span> 1.2G (1234567 bytes)</li>`
fn size_line(line: &str) -> Option<u64> {
    let rest = line.split_once("Size:</span>")?.1;
    between(rest, "(", " bytes)")?.trim().parse().ok()
}

/// `<li><a href="URL">URL</a> (de, prio 100)</li>`
fn mirror_line(line: &str) -> Option<ListedMirror> {
    let rest = line.strip_prefix("<li>")?.trim_start();
    let href = between(rest, "<a href=\"", "\"")?;
    let url = unescape(href);
    let parsed = url::Url::parse(&url).ok()?;
    if !matches!(parsed.scheme(), "http" | "https" | "ftp") {
        return None;
    }
    let after = rest.split_once("</a>")?.1.trim_start();
    let inside = between(after, "(", ")")?;
    let (country, score) = match inside.split_once(", prio ") {
        Some((country, score)) => (country, score.trim().parse().ok()),
        None => (inside, None),
    };
    let country = country.trim().to_ascii_lowercase();
    let country =
        (country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic())).then_some(country);
    Some(ListedMirror {
        url: parsed.into(),
        country,
        score,
    })
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(&text[start..start + len])
}

/// The entities MirrorBrain's URLs can carry.
fn unescape(text: &str) -> String {
    text.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape mod_mirrorbrain writes (trimmed).
    const PAGE: &str = r#"<div id="mirrorbrain-details">
  <h2>Mirrors for <a href="/pub/f.iso">f.iso</a></h2>
<div id="mirrorbrain-fileinfo">
<ul>
  <li><span class="mirrorbrain-label">Filename:</span> f.iso</li>
  <li><span class="mirrorbrain-label">Size:</span> 1.0M (1048576 bytes)</li>
  <li><span class="mirrorbrain-label"><a href="/pub/f.iso.sha256">SHA-256 Hash</a>:</span> <tt>e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855</tt></li>
  <li><span class="mirrorbrain-label"><a href="/pub/f.iso.md5">MD5 Hash</a>:</span> <tt>d41d8cd98f00b204e9800998ecf8427e</tt></li>
  <li><span class="mirrorbrain-label"><a href="/pub/f.iso.btih">BitTorrent Information Hash</a>:</span> <tt>0123</tt></li>
</ul>
<p><a href="/pub/f.iso" class="mirrorbrain-btn">Download file from preferred mirror</a></p>
<ul>
  <li><a href="/pub/f.iso.meta4">/pub/f.iso.meta4</a> (IETF Metalink)</li>
</ul>
<div class="mirrorbrain-mirrors-grp">
<h4>Found 2 mirrors which handle this country (DE)</h4>
<ul>
 <li><a href="http://ftp.example.de/pub/f.iso?a=1&amp;b=2">http://ftp.example.de/pub/f.iso?a=1&amp;b=2</a> (de, prio 100)</li>
  <li><a href="https://mirror.example.at/f.iso">https://mirror.example.at/f.iso</a> (at, prio 50)</li>
  <li><a href="rsync://mirror.example.at/f.iso">rsync://mirror.example.at/f.iso</a> (at, prio 50)</li>
</ul>
</div>"#;

    #[test]
    fn reads_mirrorbrains_page() {
        let list = read(PAGE);
        assert_eq!(list.size, Some(1_048_576));
        assert_eq!(list.hashes.len(), 2);
        assert_eq!(list.hashes[0].algorithm, HashAlgorithm::Md5);
        assert_eq!(list.hashes[1].algorithm, HashAlgorithm::Sha256);
        assert_eq!(
            list.mirrors,
            [
                ListedMirror {
                    url: "http://ftp.example.de/pub/f.iso?a=1&b=2".into(),
                    country: Some("de".into()),
                    score: Some(100),
                },
                ListedMirror {
                    url: "https://mirror.example.at/f.iso".into(),
                    country: Some("at".into()),
                    score: Some(50),
                },
            ],
            "relative links and rsync are left out"
        );
    }

    #[test]
    fn other_pages_give_nothing() {
        assert_eq!(
            read("<html><body>Not Found</body></html>"),
            MirrorList::default()
        );
    }
}
