//! What a browser passes along with a link it hands over: the page the link was on and
//! the cookies the browser holds for the link. A download behind a login, or one a site
//! only serves to visitors coming from its own pages, needs them; every other server must
//! never see them. So a [`SiteHeaders`] belongs to the link's own origin (scheme, host, port):
//! requests there carry its headers, requests to any other mirror do not, and a redirect
//! away from the origin is followed without them (see `http::send`).

use reqwest::header::{self, HeaderMap, HeaderValue};

/// Longest cookie header taken (browsers cap a cookie at 4 KiB and send a few dozen).
pub const MAX_COOKIE_HEADER: usize = 16 * 1024;

/// The headers for one link's own site.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SiteHeaders {
    /// `scheme://host:port` of the link (see [`super::origin`]).
    origin: String,
    /// The `Referer` to send, already cut to what the page's origin allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    referrer: Option<String>,
    /// The `Cookie` header the browser would send to the link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cookies: Option<String>,
}

/// Why a site's headers were not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiteHeadersError {
    #[error("not an http(s) link")]
    NotWeb,
    #[error("the cookies are longer than {MAX_COOKIE_HEADER} bytes")]
    CookiesTooLong,
    #[error("the cookies hold a character a header cannot")]
    CookiesUnsendable,
}

impl SiteHeaders {
    /// The headers for `link`, from the page it was on and the browser's cookies for it;
    /// `Ok(None)` when there is nothing to send. The page is sent whole to a link of its
    /// own origin, as its origin alone to another one, and not at all from `https` to
    /// `http` (a browser's default referrer policy, `strict-origin-when-cross-origin`).
    pub fn for_link(
        link: &str,
        referrer: Option<&str>,
        cookies: Option<&str>,
    ) -> Result<Option<SiteHeaders>, SiteHeadersError> {
        let link = web_url(link).ok_or(SiteHeadersError::NotWeb)?;
        let referrer = referrer.and_then(web_url).and_then(|page| {
            if page.origin() == link.origin() {
                let mut page = page;
                page.set_fragment(None);
                let _ = page.set_username("");
                let _ = page.set_password(None);
                Some(page.to_string())
            } else if page.scheme() == "https" && link.scheme() == "http" {
                None
            } else {
                Some(format!("{}/", page.origin().ascii_serialization()))
            }
        });
        let cookies = match cookies.map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(c) if c.len() > MAX_COOKIE_HEADER => return Err(SiteHeadersError::CookiesTooLong),
            Some(c) => {
                // Visible ASCII and spaces only: no line breaks to smuggle headers in.
                if !c
                    .bytes()
                    .all(|b| b == b' ' || b == b'\t' || (0x21..0x7f).contains(&b))
                {
                    return Err(SiteHeadersError::CookiesUnsendable);
                }
                Some(c.to_owned())
            }
        };
        if referrer.is_none() && cookies.is_none() {
            return Ok(None);
        }
        Ok(Some(SiteHeaders {
            origin: super::origin(link.as_str()),
            referrer,
            cookies,
        }))
    }

    /// `scheme://host:port` the headers belong to.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn referrer(&self) -> Option<&str> {
        self.referrer.as_deref()
    }

    pub fn has_cookies(&self) -> bool {
        self.cookies.is_some()
    }

    /// Whether `url` is on this site (same scheme, host and port).
    pub fn is_for(&self, url: &str) -> bool {
        web_url(url).is_some_and(|url| super::origin(url.as_str()) == self.origin)
    }

    /// The headers to add to a request to `url`: none unless it is on this site.
    pub fn headers_for(&self, url: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if !self.is_for(url) {
            return headers;
        }
        if let Some(value) = self.referrer.as_deref().and_then(value) {
            headers.insert(header::REFERER, value);
        }
        if let Some(value) = self.cookies.as_deref().and_then(value) {
            let mut value = value;
            value.set_sensitive(true);
            headers.insert(header::COOKIE, value);
        }
        headers
    }
}

/// Cookies are secrets: logs and panics show that there are some, never what they say.
impl std::fmt::Debug for SiteHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiteHeaders")
            .field("origin", &self.origin)
            .field("referrer", &self.referrer)
            .field("cookies", &self.cookies.as_ref().map(|_| "…"))
            .finish()
    }
}

fn web_url(text: &str) -> Option<url::Url> {
    url::Url::parse(text)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

fn value(text: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_go_to_the_links_own_origin_only() {
        let site = SiteHeaders::for_link(
            "https://dl.example/files/a.iso",
            Some("https://dl.example/downloads#linux"),
            Some("session=s3cret; theme=dark"),
        )
        .unwrap()
        .unwrap();
        let own = site.headers_for("https://dl.example/other/b.iso");
        assert_eq!(own[header::COOKIE], "session=s3cret; theme=dark");
        assert_eq!(own[header::REFERER], "https://dl.example/downloads");
        assert!(own[header::COOKIE].is_sensitive());
        for elsewhere in [
            "https://mirror.example/files/a.iso",
            "http://dl.example/files/a.iso",
            "https://dl.example:8443/files/a.iso",
            "https://sub.dl.example/files/a.iso",
            "ftp://dl.example/files/a.iso",
            "not a url",
        ] {
            assert!(site.headers_for(elsewhere).is_empty(), "{elsewhere}");
        }
        assert!(!format!("{site:?}").contains("s3cret"));
    }

    #[test]
    fn the_page_is_cut_as_a_browser_cuts_it() {
        let referrer = |link, page| {
            SiteHeaders::for_link(link, Some(page), None)
                .unwrap()
                .and_then(|s| s.referrer().map(str::to_owned))
        };
        assert_eq!(
            referrer("https://a.example/x.iso", "https://b.example/page?q=1").as_deref(),
            Some("https://b.example/")
        );
        assert_eq!(
            referrer("http://a.example/x.iso", "https://a.example/page"),
            None
        );
        assert_eq!(
            referrer("https://a.example/x.iso", "https://u:p@a.example/p").as_deref(),
            Some("https://a.example/p")
        );
        assert_eq!(referrer("https://a.example/x.iso", "about:blank"), None);
    }

    #[test]
    fn nothing_to_send_or_bad_cookies() {
        assert_eq!(
            SiteHeaders::for_link("https://a.example/x", None, Some("  ")),
            Ok(None)
        );
        assert_eq!(
            SiteHeaders::for_link("file:///etc/passwd", None, Some("a=b")),
            Err(SiteHeadersError::NotWeb)
        );
        assert_eq!(
            SiteHeaders::for_link("https://a.example/x", None, Some("a=b\r\nHost: evil")),
            Err(SiteHeadersError::CookiesUnsendable)
        );
        let long = "a=".to_owned() + &"b".repeat(MAX_COOKIE_HEADER);
        assert_eq!(
            SiteHeaders::for_link("https://a.example/x", None, Some(&long)),
            Err(SiteHeadersError::CookiesTooLong)
        );
    }
}
