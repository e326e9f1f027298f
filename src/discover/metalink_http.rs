//! RFC 6249 Metalink/HTTP: mirrors and metalinks named in `Link` headers, and whole-file
//! digests in `Digest` (RFC 3230) and `Repr-Digest` (RFC 9530) headers.

use base64::Engine as _;
use reqwest::header::HeaderMap;

use crate::metalink::{Hash, HashAlgorithm};

/// Asks for RFC 3230 instance digests, strongest first.
pub const WANT_DIGEST: &str = "sha-512;q=1, sha-256;q=0.9, sha;q=0.2, md5;q=0.1";
/// Asks for RFC 9530 representation digests.
pub const WANT_REPR_DIGEST: &str = "sha-512=10, sha-256=9";

/// One link of a `Link` header (RFC 8288) with the parameters RFC 6249 defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub target: url::Url,
    /// Relation types, lower-cased (`rel` may list several).
    pub rels: Vec<String>,
    /// `type`, lower-cased.
    pub media_type: Option<String>,
    /// `pri`: 1 is the most preferred.
    pub priority: Option<u32>,
    /// `geo`: an ISO 3166-1 country code, lower-cased.
    pub geo: Option<String>,
}

impl Link {
    pub fn is(&self, rel: &str) -> bool {
        self.rels.iter().any(|r| r == rel)
    }

    /// A `describedby` link to a Metalink document.
    pub fn is_metalink(&self) -> bool {
        self.is("describedby")
            && self.media_type.as_deref().is_some_and(|t| {
                t == crate::metalink::MEDIA_TYPE_V4 || t == crate::metalink::MEDIA_TYPE_V3
            })
    }
}

/// Every link in every `Link` header, targets resolved against `base`. Links that cannot
/// be read are skipped: a header is advice, and the download does not depend on it.
pub fn links(headers: &HeaderMap, base: &url::Url) -> Vec<Link> {
    headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| parse_link_header(v, base))
        .collect()
}

/// Parses one `Link` header value: `<uri>; rel=duplicate; pri=1, <uri>; ...`.
pub fn parse_link_header(value: &str, base: &url::Url) -> Vec<Link> {
    let mut links = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        let Some(after_open) = rest.strip_prefix('<') else {
            return links;
        };
        let Some(close) = after_open.find('>') else {
            return links;
        };
        let target = base.join(after_open[..close].trim()).ok();
        rest = &after_open[close + 1..];
        let mut link = Link {
            target: base.clone(),
            rels: Vec::new(),
            media_type: None,
            priority: None,
            geo: None,
        };
        // Parameters up to the next comma outside quotes.
        loop {
            rest = rest.trim_start();
            let Some(after_semicolon) = rest.strip_prefix(';') else {
                break;
            };
            let (name, value, remaining) = parameter(after_semicolon);
            rest = remaining;
            match name.to_ascii_lowercase().as_str() {
                "rel" if link.rels.is_empty() => {
                    link.rels = value
                        .split_whitespace()
                        .map(str::to_ascii_lowercase)
                        .collect();
                }
                "type" => link.media_type = Some(value.trim().to_ascii_lowercase()),
                "pri" => link.priority = value.trim().parse().ok().filter(|p| *p >= 1),
                "geo" => link.geo = Some(value.trim().to_ascii_lowercase()),
                _ => {}
            }
        }
        if let Some(target) = target {
            link.target = target;
            links.push(link);
        }
        // Skip anything unreadable up to the next link.
        match rest.find(',') {
            Some(comma) if !rest.trim_start().starts_with('<') => rest = &rest[comma..],
            _ => {}
        }
    }
}

/// `name=value` or `name="quoted value"` (or a bare `name`); returns the rest.
fn parameter(input: &str) -> (String, String, &str) {
    let input = input.trim_start();
    let name_end = input.find(['=', ';', ',']).unwrap_or(input.len());
    let name = input[..name_end].trim().to_owned();
    let rest = &input[name_end..];
    let Some(after_eq) = rest.strip_prefix('=') else {
        return (name, String::new(), rest);
    };
    let after_eq = after_eq.trim_start();
    if let Some(quoted) = after_eq.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        value.push(escaped);
                    }
                }
                '"' => return (name, value, &quoted[i + 1..]),
                c => value.push(c),
            }
        }
        return (name, value, "");
    }
    let end = after_eq.find([';', ',']).unwrap_or(after_eq.len());
    (name, after_eq[..end].trim().to_owned(), &after_eq[end..])
}

/// Whole-file digests from `Digest` and `Repr-Digest` headers; unknown algorithms and
/// digests of the wrong length are ignored.
pub fn digests(headers: &HeaderMap) -> Vec<Hash> {
    let mut hashes = Vec::new();
    let values = |name| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>()
    };
    for item in values("digest") {
        // RFC 3230: `SHA-256=base64`.
        if let Some((name, value)) = item.split_once('=')
            && let Some(hash) = hash(name, value.trim())
        {
            hashes.push(hash);
        }
    }
    for item in values("repr-digest") {
        // RFC 9530 (a structured dictionary of byte sequences): `sha-256=:base64:`.
        if let Some((name, value)) = item.split_once('=')
            && let Some(inner) = value
                .split(';')
                .next()
                .and_then(|v| v.trim().strip_prefix(':')?.strip_suffix(':'))
            && let Some(hash) = hash(name, inner)
        {
            hashes.push(hash);
        }
    }
    hashes.sort_by_key(|h| h.algorithm);
    hashes.dedup();
    hashes
}

fn hash(name: &str, base64: &str) -> Option<Hash> {
    let name = name.trim();
    let algorithm = if name.eq_ignore_ascii_case("sha") {
        HashAlgorithm::Sha1
    } else {
        HashAlgorithm::from_iana(name)?
    };
    let digest = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .ok()?;
    (digest.len() == algorithm.digest_len()).then_some(Hash { algorithm, digest })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> url::Url {
        url::Url::parse("http://example.com/dir/file.iso").unwrap()
    }

    #[test]
    fn links_from_rfc_6249_examples() {
        let value = r#"<http://www2.example.com/example.ext>; rel=duplicate; pri=1; geo=GB, <ftp://ftp.example.com/example.ext>; rel="duplicate"; pri=2, <http://example.com/example.ext.meta4>; rel=describedby; type="application/metalink4+xml""#;
        let links = parse_link_header(value, &base());
        assert_eq!(links.len(), 3);
        assert!(links[0].is("duplicate"));
        assert_eq!(links[0].priority, Some(1));
        assert_eq!(links[0].geo.as_deref(), Some("gb"));
        assert_eq!(links[1].target.scheme(), "ftp");
        assert!(links[2].is_metalink());
        assert!(!links[0].is_metalink());
    }

    #[test]
    fn links_resolve_and_survive_odd_parameters() {
        let value = r#"</mirror/a.iso>; title="a, b; c"; rel="duplicate other"; pri=x, <b.iso>;rel=duplicate"#;
        let links = parse_link_header(value, &base());
        assert_eq!(links.len(), 2, "{links:?}");
        assert_eq!(links[0].target.as_str(), "http://example.com/mirror/a.iso");
        assert_eq!(links[0].rels, ["duplicate", "other"]);
        assert_eq!(links[0].priority, None);
        assert_eq!(links[1].target.as_str(), "http://example.com/dir/b.iso");
        assert!(parse_link_header("garbage", &base()).is_empty());
        assert!(parse_link_header("<unterminated", &base()).is_empty());
    }

    #[test]
    fn digests_from_both_headers() {
        let mut headers = HeaderMap::new();
        // sha-256 of the empty string, md5 of the empty string.
        headers.insert(
            "digest",
            "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=, MD5=1B2M2Y8AsgTpgAmY7PhCfg=="
                .parse()
                .unwrap(),
        );
        headers.insert(
            "repr-digest",
            "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:, unknown=:AAAA:"
                .parse()
                .unwrap(),
        );
        let found = digests(&headers);
        assert_eq!(found.len(), 2, "duplicates merged: {found:?}");
        assert_eq!(found[0].algorithm, HashAlgorithm::Md5);
        assert_eq!(
            found[1].hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn wrong_length_digests_are_ignored() {
        let mut headers = HeaderMap::new();
        headers.insert("digest", "SHA-256=AAAA, SHA=@@@".parse().unwrap());
        assert!(digests(&headers).is_empty());
    }
}
