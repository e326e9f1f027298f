//! Published checksum files, read with no I/O: the coreutils format (`HEX  name`,
//! `HEX *name`, with its `\`-escaped names), BSD tags (`SHA256 (name) = HEX`, also as
//! OpenSSL writes them), and a bare digest; clearsigned (OpenPGP) text is unwrapped and
//! its signature kept for whoever checks signatures.
//!
//! Hash files come from strangers like metalinks do: every line that cannot be read is
//! skipped (and counted), nothing panics, and a file that lists the same name with two
//! different digests is reported, never resolved by guessing.

use crate::metalink::{Hash, HashAlgorithm};

/// One digest a hash file gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file it is for, as written (`*` and `./` removed); `None` for a bare digest.
    pub name: Option<String>,
    pub hash: Hash,
    /// 1-based line in the (unwrapped) text.
    pub line: usize,
}

/// What a hash file says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SumsFile {
    pub entries: Vec<Entry>,
    /// Lines that were neither blank, a comment, nor a digest.
    pub unreadable: usize,
    /// The OpenPGP signature of a clearsigned file, armored; not checked here.
    pub signature: Option<String>,
    /// Set when the text is OpenPGP data that is not clearsigned text.
    pub openpgp: Option<OpenPgp>,
}

/// OpenPGP data where a hash file was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenPgp {
    /// A detached signature (`-----BEGIN PGP SIGNATURE-----` or a binary one): it signs
    /// another file.
    DetachedSignature,
    /// A signed message whose text is packed inside (`gpg --sign`): unreadable without
    /// OpenPGP.
    Message,
}

/// Why a hash file gives no digest for a name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Lookup {
    #[error("'{name}' is not listed")]
    NotListed { name: String },
    /// A sidecar (`f.iso.sha256`) whose only entry names another file.
    #[error("it is for '{listed}', not '{name}'")]
    OtherFile { name: String, listed: String },
    #[error(
        "it lists '{name}' twice with different {algorithm} digests (lines {first_line} and {second_line})"
    )]
    Twice {
        name: String,
        algorithm: HashAlgorithm,
        first_line: usize,
        second_line: usize,
    },
}

/// The algorithm a hash file's name announces: `SHA256SUMS`, `sha256sum.txt`,
/// `f.iso.sha256`, `MD5SUMS.asc`… `None` when it does not say (`CHECKSUMS`), and also
/// when it names an algorithm Braid cannot check (`b2sums.txt`), so that a BLAKE2 digest
/// is never taken for a SHA-512 of the same length.
pub fn algorithm_named(file_name: &str) -> Naming {
    let lower = file_name.to_ascii_lowercase();
    let stem = lower
        .trim_end_matches(".asc")
        .trim_end_matches(".sign")
        .trim_end_matches(".gpg")
        .trim_end_matches(".sig")
        .trim_end_matches(".txt");
    let last = stem.rsplit(['.', '/']).next().unwrap_or(stem);
    let word = last
        .trim_end_matches("sums")
        .trim_end_matches("sum")
        .trim_end_matches('s');
    let word = word.trim_end_matches(['-', '_']);
    if word.contains("b2") || word.contains("blake") || word.contains("sha3") {
        return Naming::Unsupported;
    }
    let algorithm = match word {
        "md5" => HashAlgorithm::Md5,
        "sha1" | "sha" => HashAlgorithm::Sha1,
        "sha224" => HashAlgorithm::Sha224,
        "sha256" => HashAlgorithm::Sha256,
        "sha384" => HashAlgorithm::Sha384,
        "sha512" => HashAlgorithm::Sha512,
        _ => return Naming::Silent,
    };
    Naming::Says(algorithm)
}

/// What a hash file's name says about its algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    Says(HashAlgorithm),
    /// The name does not tell (`CHECKSUMS`): coreutils lines are read by digest length.
    Silent,
    /// An algorithm Braid does not verify: only BSD-tagged lines of known algorithms
    /// are read.
    Unsupported,
}

/// Reads a hash file. `naming` is what its name says (see [`algorithm_named`]).
pub fn read(bytes: &[u8], naming: Naming) -> SumsFile {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut file = SumsFile::default();
    if looks_binary(bytes) {
        if bytes.first().is_some_and(|b| b & 0x80 != 0) {
            file.openpgp = Some(binary_openpgp(bytes[0]));
        }
        return file;
    }
    let (body, signature) = match unwrap_clearsigned(text) {
        Some(Clearsigned { text, signature }) => (text, Some(signature)),
        None => {
            let trimmed = text.trim_start();
            if trimmed.starts_with("-----BEGIN PGP SIGNATURE-----") {
                file.openpgp = Some(OpenPgp::DetachedSignature);
                return file;
            }
            if trimmed.starts_with("-----BEGIN PGP MESSAGE-----") {
                file.openpgp = Some(OpenPgp::Message);
                return file;
            }
            (text.to_owned(), None)
        }
    };
    file.signature = signature;
    let lines: Vec<&str> = body.lines().collect();
    let meaningful: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .collect();
    // A sidecar holding nothing but a digest.
    if let [(line, only)] = meaningful.as_slice()
        && let Some(hash) = bare_digest(only.trim(), naming)
    {
        file.entries.push(Entry {
            name: None,
            hash,
            line: *line,
        });
        return file;
    }
    for (line, text) in meaningful {
        match read_line(text, naming) {
            Some((name, hash)) => file.entries.push(Entry {
                name: Some(name),
                hash,
                line,
            }),
            None => file.unreadable += 1,
        }
    }
    file
}

impl SumsFile {
    /// The digests a directory's hash file (`SHA256SUMS`) gives for `name`, one per
    /// algorithm. Only `name` itself (or `./name`) counts: `sub/name` is another file.
    pub fn digests_for(&self, name: &str) -> Result<Vec<Hash>, Lookup> {
        self.listed(name, |listed| {
            listed.strip_prefix("./").unwrap_or(listed) == name
        })
    }

    /// The digests a sidecar (`f.iso.sha256`) gives for `name`: its entries for that
    /// name (or a path ending in it: build scripts often leave theirs in), else its
    /// digest that names no file.
    pub fn sidecar_digests(&self, name: &str) -> Result<Vec<Hash>, Lookup> {
        let last = |listed: &str| listed.rsplit(['/', '\\']).next() == Some(name);
        match self.listed(name, last) {
            Err(Lookup::NotListed { .. }) => {}
            other => return other,
        }
        let unnamed: Vec<&Entry> = self.entries.iter().filter(|e| e.name.is_none()).collect();
        if !unnamed.is_empty() {
            return collect(name, unnamed.into_iter());
        }
        if let [entry] = self.entries.as_slice()
            && let Some(listed) = &entry.name
        {
            return Err(Lookup::OtherFile {
                name: name.to_owned(),
                listed: listed.clone(),
            });
        }
        Err(Lookup::NotListed {
            name: name.to_owned(),
        })
    }

    fn listed(&self, name: &str, matches: impl Fn(&str) -> bool) -> Result<Vec<Hash>, Lookup> {
        let found = collect(
            name,
            self.entries
                .iter()
                .filter(|e| e.name.as_deref().is_some_and(&matches)),
        )?;
        if found.is_empty() {
            return Err(Lookup::NotListed {
                name: name.to_owned(),
            });
        }
        Ok(found)
    }
}

/// One digest per algorithm from `entries`, or the two lines that disagree.
fn collect<'a>(name: &str, entries: impl Iterator<Item = &'a Entry>) -> Result<Vec<Hash>, Lookup> {
    let mut found: Vec<&Entry> = Vec::new();
    for entry in entries {
        match found
            .iter()
            .find(|f| f.hash.algorithm == entry.hash.algorithm)
        {
            Some(first) if first.hash != entry.hash => {
                return Err(Lookup::Twice {
                    name: name.to_owned(),
                    algorithm: entry.hash.algorithm,
                    first_line: first.line,
                    second_line: entry.line,
                });
            }
            Some(_) => {}
            None => found.push(entry),
        }
    }
    let mut hashes: Vec<Hash> = found.into_iter().map(|e| e.hash.clone()).collect();
    hashes.sort_by_key(|h| h.algorithm);
    Ok(hashes)
}

/// `HEX  name`, `HEX *name`, `\HEX  escaped\nname`, or a BSD/OpenSSL tag line.
fn read_line(line: &str, naming: Naming) -> Option<(String, Hash)> {
    if let Some(found) = bsd_line(line) {
        return Some(found);
    }
    coreutils_line(line, naming)
}

fn coreutils_line(line: &str, naming: Naming) -> Option<(String, Hash)> {
    let (escaped, line) = match line.strip_prefix('\\') {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let hex_end = line.find(|c: char| !c.is_ascii_hexdigit())?;
    let (hex, rest) = line.split_at(hex_end);
    let rest = rest.strip_prefix([' ', '\t'])?;
    // The mode flag: ' ' text, '*' binary, '^' shasum's universal mode.
    let rest = rest.strip_prefix([' ', '*', '^']).unwrap_or(rest);
    let name = if escaped {
        unescape(rest)?
    } else {
        rest.to_owned()
    };
    if name.is_empty() {
        return None;
    }
    let algorithm = algorithm_for(hex.len(), naming)?;
    Some((name, Hash::from_hex(algorithm, hex).ok()?))
}

/// coreutils escapes `\` and newlines in names (and marks such lines with a leading `\`).
fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '\\' => out.push('\\'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            _ => return None,
        }
    }
    Some(out)
}

/// `SHA256 (name) = HEX` (BSD, `sha256sum --tag`), `SHA256(name)= HEX` (OpenSSL), also
/// with `SHA2-256` as newer tools spell it.
fn bsd_line(line: &str) -> Option<(String, Hash)> {
    let open = line.find('(')?;
    let tag = line[..open].trim_end();
    let algorithm = tag_algorithm(tag)?;
    let close = line.rfind(')')?;
    if close <= open {
        return None;
    }
    let name = &line[open + 1..close];
    let hex = line[close + 1..].trim_start().strip_prefix('=')?.trim();
    if name.is_empty() {
        return None;
    }
    Some((name.to_owned(), Hash::from_hex(algorithm, hex).ok()?))
}

fn tag_algorithm(tag: &str) -> Option<HashAlgorithm> {
    let tag = tag.to_ascii_uppercase();
    let tag = tag.strip_prefix("SHA2-").map_or(tag.clone(), |bits| {
        if bits == "224" || bits == "256" || bits == "384" || bits == "512" {
            format!("SHA{bits}")
        } else {
            tag.clone()
        }
    });
    Some(match tag.as_str() {
        "MD5" => HashAlgorithm::Md5,
        "SHA1" => HashAlgorithm::Sha1,
        "SHA224" => HashAlgorithm::Sha224,
        "SHA256" => HashAlgorithm::Sha256,
        "SHA384" => HashAlgorithm::Sha384,
        "SHA512" => HashAlgorithm::Sha512,
        _ => return None,
    })
}

/// A digest alone on its line (as MirrorBrain's `only_hash` and many sidecars write it).
fn bare_digest(text: &str, naming: Naming) -> Option<Hash> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    Hash::from_hex(algorithm_for(text.len(), naming)?, text).ok()
}

/// The algorithm of a digest of `hex_len` digits: the one the file's name says, else
/// the only one of that length.
fn algorithm_for(hex_len: usize, naming: Naming) -> Option<HashAlgorithm> {
    match naming {
        Naming::Says(algorithm) => (algorithm.digest_len() * 2 == hex_len).then_some(algorithm),
        Naming::Silent => HashAlgorithm::ALL
            .into_iter()
            .find(|a| a.digest_len() * 2 == hex_len),
        Naming::Unsupported => None,
    }
}

/// Clearsigned text (RFC 4880 §7) with its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clearsigned {
    /// The signed text, dash-escaping undone.
    pub text: String,
    /// The armored signature block.
    pub signature: String,
}

const SIGNED_BEGIN: &str = "-----BEGIN PGP SIGNED MESSAGE-----";
const SIGNATURE_BEGIN: &str = "-----BEGIN PGP SIGNATURE-----";
const SIGNATURE_END: &str = "-----END PGP SIGNATURE-----";

/// Unwraps a clearsigned message; `None` when the text is not one (or is cut short).
pub fn unwrap_clearsigned(text: &str) -> Option<Clearsigned> {
    let start = text.find(SIGNED_BEGIN)?;
    if !text[..start].trim().is_empty() {
        return None;
    }
    let mut lines = text[start + SIGNED_BEGIN.len()..].lines();
    lines.next()?; // the rest of the BEGIN line
    // Armor headers (`Hash: SHA256`) up to the first empty line.
    for line in lines.by_ref() {
        if line.trim_end_matches('\r').trim().is_empty() {
            break;
        }
    }
    let mut body = Vec::new();
    let mut signature = None;
    for line in lines.by_ref() {
        let line = line.trim_end_matches('\r');
        if line == SIGNATURE_BEGIN {
            signature = Some(vec![line]);
            break;
        }
        body.push(line.strip_prefix("- ").unwrap_or(line));
    }
    let mut signature = signature?;
    for line in lines {
        let line = line.trim_end_matches('\r');
        signature.push(line);
        if line == SIGNATURE_END {
            let mut text = body.join("\n");
            text.push('\n');
            let mut signature = signature.join("\n");
            signature.push('\n');
            return Some(Clearsigned { text, signature });
        }
    }
    None
}

/// Bytes that are not text: a NUL, or mostly non-printable.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    // A character cut off at the end of the head is not a sign of binary data.
    let invalid = matches!(std::str::from_utf8(head), Err(e) if e.error_len().is_some());
    head.contains(&0) || head.first().is_some_and(|b| b & 0x80 != 0) && invalid
}

/// An OpenPGP packet tag in a binary file's first byte: signature packets (tag 2) sign
/// another file; anything else is a message.
fn binary_openpgp(first: u8) -> OpenPgp {
    let tag = if first & 0x40 != 0 {
        first & 0x3f
    } else {
        (first >> 2) & 0x0f
    };
    if tag == 2 {
        OpenPgp::DetachedSignature
    } else {
        OpenPgp::Message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const EMPTY_MD5: &str = "d41d8cd98f00b204e9800998ecf8427e";

    fn sha256(hex: &str) -> Hash {
        Hash::from_hex(HashAlgorithm::Sha256, hex).unwrap()
    }

    #[test]
    fn names_say_their_algorithm() {
        use HashAlgorithm::*;
        for (name, algorithm) in [
            ("SHA256SUMS", Sha256),
            ("SHA256SUMS.txt", Sha256),
            ("SHA256SUMS.asc", Sha256),
            ("sha256sum.txt", Sha256),
            ("sha256sums.txt", Sha256),
            ("SHA512SUMS.gpg", Sha512),
            ("MD5SUMS", Md5),
            ("SHA1SUMS", Sha1),
            ("debian.iso.sha256", Sha256),
            ("debian.iso.sha256sum", Sha256),
            ("debian.iso.md5", Md5),
            ("debian.iso.sha1", Sha1),
            ("debian.iso.sha512", Sha512),
        ] {
            assert_eq!(algorithm_named(name), Naming::Says(algorithm), "{name}");
        }
        assert_eq!(algorithm_named("CHECKSUMS"), Naming::Silent);
        assert_eq!(algorithm_named("Fedora-39-x86_64-CHECKSUM"), Naming::Silent);
        assert_eq!(algorithm_named("b2sums.txt"), Naming::Unsupported);
        assert_eq!(algorithm_named("SHA3-256SUMS"), Naming::Unsupported);
    }

    #[test]
    fn coreutils_text_and_binary_mode() {
        let text = format!(
            "{EMPTY_SHA256}  debian-12.iso\n{} *other.iso\n# comment\n\n",
            "AB".repeat(32)
        );
        let file = read(text.as_bytes(), Naming::Says(HashAlgorithm::Sha256));
        assert_eq!(file.unreadable, 0);
        assert_eq!(file.entries.len(), 2);
        assert_eq!(
            file.digests_for("debian-12.iso").unwrap(),
            [sha256(EMPTY_SHA256)]
        );
        assert_eq!(file.entries[1].name.as_deref(), Some("other.iso"));
        assert_eq!(file.entries[1].line, 2);
    }

    #[test]
    fn coreutils_escaped_names() {
        let text = format!("\\{EMPTY_MD5}  odd\\nname\\\\x\n");
        let file = read(text.as_bytes(), Naming::Silent);
        assert_eq!(file.entries[0].name.as_deref(), Some("odd\nname\\x"));
        assert_eq!(file.entries[0].hash.algorithm, HashAlgorithm::Md5);
    }

    #[test]
    fn bsd_and_openssl_tags() {
        let text = format!(
            "SHA256 (a b (1).iso) = {EMPTY_SHA256}\nMD5(c.iso)= {EMPTY_MD5}\nSHA2-256 (d.iso) = {EMPTY_SHA256}\nBLAKE2b (e.iso) = {}\n",
            "00".repeat(64)
        );
        let file = read(text.as_bytes(), Naming::Silent);
        assert_eq!(file.unreadable, 1, "BLAKE2 is not read");
        assert_eq!(
            file.digests_for("a b (1).iso").unwrap(),
            [sha256(EMPTY_SHA256)]
        );
        assert_eq!(
            file.digests_for("c.iso").unwrap()[0].algorithm,
            HashAlgorithm::Md5
        );
        assert!(file.digests_for("d.iso").is_ok());
    }

    #[test]
    fn a_file_of_both_kinds_gives_one_digest_per_algorithm() {
        let text = format!("MD5 (f.iso) = {EMPTY_MD5}\nSHA256 (f.iso) = {EMPTY_SHA256}\r\n");
        let found = read(text.as_bytes(), Naming::Silent)
            .digests_for("f.iso")
            .unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].algorithm, HashAlgorithm::Md5);
    }

    #[test]
    fn a_bare_digest_is_the_sidecars_file() {
        let file = read(
            format!("{EMPTY_SHA256}\n").as_bytes(),
            Naming::Says(HashAlgorithm::Sha256),
        );
        assert_eq!(file.entries[0].name, None);
        assert_eq!(
            file.sidecar_digests("whatever.iso").unwrap(),
            [sha256(EMPTY_SHA256)]
        );
        // ...but not when the name promises another algorithm.
        let file = read(EMPTY_MD5.as_bytes(), Naming::Says(HashAlgorithm::Sha256));
        assert!(file.entries.is_empty());
    }

    #[test]
    fn sidecars_with_paths_and_other_names() {
        let text = format!("{EMPTY_SHA256}  /home/build/out/f.iso\n");
        let file = read(text.as_bytes(), Naming::Says(HashAlgorithm::Sha256));
        assert!(file.sidecar_digests("f.iso").is_ok());
        let text = format!("{EMPTY_SHA256}  g.iso\n");
        let file = read(text.as_bytes(), Naming::Says(HashAlgorithm::Sha256));
        assert_eq!(
            file.sidecar_digests("f.iso"),
            Err(Lookup::OtherFile {
                name: "f.iso".into(),
                listed: "g.iso".into()
            })
        );
    }

    #[test]
    fn a_name_listed_twice_differently_is_an_error() {
        let text = format!(
            "{EMPTY_SHA256}  f.iso\n{EMPTY_SHA256}  ./f.iso\n{}  f.iso\n",
            "11".repeat(32)
        );
        let file = read(text.as_bytes(), Naming::Says(HashAlgorithm::Sha256));
        let error = file.digests_for("f.iso").unwrap_err();
        assert_eq!(
            error.to_string(),
            "it lists 'f.iso' twice with different sha-256 digests (lines 1 and 3)"
        );
    }

    #[test]
    fn directory_files_do_not_match_other_directories() {
        let text = format!(
            "{EMPTY_SHA256}  amd64/f.iso\n{}  ./f.iso\n",
            "11".repeat(32)
        );
        let file = read(text.as_bytes(), Naming::Silent);
        assert_eq!(
            file.digests_for("f.iso").unwrap(),
            [sha256(&"11".repeat(32))]
        );
        assert!(matches!(
            file.digests_for("g.iso"),
            Err(Lookup::NotListed { .. })
        ));
    }

    #[test]
    fn clearsigned_text_is_unwrapped_and_the_signature_kept() {
        let text = format!(
            "-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256\r\n\r\n- # dash-escaped comment\r\nSHA256 (f.iso) = {EMPTY_SHA256}\r\n-----BEGIN PGP SIGNATURE-----\r\n\r\niQIzBAEBCAAdFiEE\r\n=abcd\r\n-----END PGP SIGNATURE-----\r\n"
        );
        let file = read(text.as_bytes(), Naming::Silent);
        assert_eq!(file.unreadable, 0);
        assert_eq!(file.digests_for("f.iso").unwrap(), [sha256(EMPTY_SHA256)]);
        let signature = file.signature.unwrap();
        assert!(signature.starts_with(SIGNATURE_BEGIN), "{signature}");
        assert!(signature.trim_end().ends_with(SIGNATURE_END), "{signature}");
    }

    #[test]
    fn detached_signatures_and_messages_are_told_apart() {
        let armored = "-----BEGIN PGP SIGNATURE-----\n\niQIz\n-----END PGP SIGNATURE-----\n";
        assert_eq!(
            read(armored.as_bytes(), Naming::Silent).openpgp,
            Some(OpenPgp::DetachedSignature)
        );
        let message = "-----BEGIN PGP MESSAGE-----\n\nowGb\n-----END PGP MESSAGE-----\n";
        assert_eq!(
            read(message.as_bytes(), Naming::Silent).openpgp,
            Some(OpenPgp::Message)
        );
        // A binary signature packet (new format, tag 2) and a compressed message (tag 8).
        assert_eq!(
            read(&[0xc2, 0x75, 0x04, 0x00, 0xff, 0xfe], Naming::Silent).openpgp,
            Some(OpenPgp::DetachedSignature)
        );
        assert_eq!(
            read(&[0xa3, 0x01, 0x00, 0xc8, 0xfe], Naming::Silent).openpgp,
            Some(OpenPgp::Message)
        );
        // An old-format signature packet (0x89 = tag 2, two length bytes).
        assert_eq!(
            read(&[0x89, 0x02, 0x33, 0x04, 0x00, 0xfe, 0x00], Naming::Silent).openpgp,
            Some(OpenPgp::DetachedSignature)
        );
    }

    #[test]
    fn html_error_pages_give_nothing() {
        let page = b"<!DOCTYPE html>\n<html><body><h1>Not Found</h1>\n<p>e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855</p></body></html>\n";
        let file = read(page, Naming::Says(HashAlgorithm::Sha256));
        assert!(file.entries.is_empty());
        assert!(file.unreadable > 0);
    }
}
