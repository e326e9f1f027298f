//! Where a file is on an FTP server and how to log in, from an `ftp://` or `ftps://`
//! URL; checked so that nothing in it can smuggle a command onto the control connection.

use super::Error;

/// Anonymous FTP's conventional login (RFC 1635); the password is a courtesy address.
const ANONYMOUS: (&str, &str) = ("anonymous", "anonymous@");

/// One file on one FTP server, with the login to use there.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// Host name or address, without brackets (also the TLS server name).
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) security: Security,
    pub(super) user: String,
    pub(super) password: String,
    /// As sent with SIZE, MDTM and RETR: the URL's path, decoded, relative to the login
    /// directory as RFC 1738 has it (`ftp://host//etc/x` names `/etc/x`).
    pub(super) path: String,
}

/// Whether the connection is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Security {
    /// `ftp://`: commands and data in the clear.
    Plain,
    /// `ftps://`: `AUTH TLS` before logging in, then `PROT P` so the data connections
    /// are encrypted too (RFC 4217). A server that does not offer it is not used.
    ExplicitTls,
}

/// Control connections are shared by downloads with the same server and login.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct ServerKey {
    host: String,
    port: u16,
    security: Security,
    user: String,
    password: String,
}

impl Location {
    /// Whether `url` is one this module downloads from (`ftp://` or `ftps://`).
    pub fn handles(url: &str) -> bool {
        url.split_once(':').is_some_and(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("ftp") || scheme.eq_ignore_ascii_case("ftps")
        })
    }

    pub fn parse(text: &str) -> Result<Location, Error> {
        let bad = |why: &str| Error::BadUrl(format!("{}: {why}", crate::format::url(text)));
        let url = url::Url::parse(text).map_err(|e| bad(&e.to_string()))?;
        let security = match url.scheme() {
            "ftp" => Security::Plain,
            "ftps" => Security::ExplicitTls,
            _ => return Err(bad("not an ftp:// or ftps:// URL")),
        };
        let host = match url.host() {
            Some(url::Host::Domain(name)) => name.to_owned(),
            Some(url::Host::Ipv4(address)) => address.to_string(),
            Some(url::Host::Ipv6(address)) => address.to_string(),
            None => return Err(bad("no host")),
        };
        let (user, password) = if url.username().is_empty() {
            (ANONYMOUS.0.to_owned(), ANONYMOUS.1.to_owned())
        } else {
            let user = decode(url.username()).ok_or_else(|| bad("the user name is not text"))?;
            let password = decode(url.password().unwrap_or(""))
                .ok_or_else(|| bad("the password is not text"))?;
            (user, password)
        };
        let path = file_path(&url).map_err(&bad)?;
        if [&user, &password, &path]
            .iter()
            .any(|s| s.contains(['\r', '\n', '\0']))
        {
            return Err(bad("line breaks are not allowed in FTP names"));
        }
        Ok(Location {
            host,
            // `ftps://` is explicit TLS on the ordinary port, not implicit TLS on 990.
            port: url.port().unwrap_or(21),
            security,
            user,
            password,
            path,
        })
    }

    #[cfg(test)]
    pub fn security(&self) -> Security {
        self.security
    }

    pub(super) fn server(&self) -> ServerKey {
        ServerKey {
            host: self.host.clone(),
            port: self.port,
            security: self.security,
            user: self.user.clone(),
            password: self.password.clone(),
        }
    }
}

/// The password stays out of logs and messages.
impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Location")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.user)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}@{}:{} ({:?})",
            self.user, self.host, self.port, self.security
        )
    }
}

/// The decoded path, relative to the login directory: each segment percent-decoded
/// and joined with `/`; a `;type=` suffix (RFC 1738) dropped, as Braid always
/// transfers in binary.
fn file_path(url: &url::Url) -> Result<String, &'static str> {
    let raw = url.path();
    let raw = raw.strip_prefix('/').unwrap_or(raw);
    let raw = match raw.rsplit_once(';') {
        Some((path, typecode)) if typecode.to_ascii_lowercase().starts_with("type=") => path,
        _ => raw,
    };
    let segments = raw
        .split('/')
        .map(decode)
        .collect::<Option<Vec<String>>>()
        .ok_or("the path is not text")?;
    if segments.last().is_none_or(String::is_empty) {
        return Err("it names a directory, not a file");
    }
    if segments.iter().any(|s| s.contains('/')) {
        // `%2F` inside a segment: with RETR of the joined path it would be a separator,
        // and so a different file than the URL names.
        return Err("an encoded / inside a path segment");
    }
    Ok(segments.join("/"))
}

fn decode(text: &str) -> Option<String> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> Location {
        Location::parse(url).unwrap()
    }

    #[test]
    fn anonymous_unless_the_url_names_a_user() {
        let anonymous = parse("ftp://ftp.example.org/pub/debian/x.iso");
        assert_eq!(anonymous.user, "anonymous");
        assert_eq!(anonymous.port, 21);
        assert_eq!(anonymous.path, "pub/debian/x.iso");
        assert_eq!(anonymous.security, Security::Plain);
        let named = parse("ftps://me:p%40ss%3Aword@127.0.0.2:2121/x.iso");
        assert_eq!(
            (named.user.as_str(), named.password.as_str()),
            ("me", "p@ss:word")
        );
        assert_eq!(named.port, 2121);
        assert_eq!(named.security, Security::ExplicitTls);
        assert_ne!(anonymous.server(), named.server());
    }

    #[test]
    fn paths_are_relative_to_the_login_directory_and_decoded() {
        assert_eq!(parse("ftp://h/a%20b/c.iso").path, "a b/c.iso");
        assert_eq!(parse("ftp://h//srv/c.iso").path, "/srv/c.iso");
        assert_eq!(parse("ftp://h/c.iso;type=i").path, "c.iso");
        assert_eq!(parse("ftp://[::1]:2121/c.iso").host, "::1");
    }

    #[test]
    fn urls_that_cannot_be_sent_safely_are_refused() {
        for url in [
            "ftp://h/a%0D%0ADELE%20x",
            "ftp://us%0Aer:pw@h/x",
            "ftp://h/dir/",
            "ftp://h/",
            "ftp://h/a%2Fb",
            "http://h/x",
        ] {
            assert!(
                matches!(Location::parse(url), Err(Error::BadUrl(_))),
                "{url}"
            );
        }
    }

    #[test]
    fn passwords_stay_out_of_debug_output_and_errors() {
        let location = parse("ftp://me:secret@h/x");
        assert!(!format!("{location:?}").contains("secret"));
        let error = Location::parse("ftp://me:secret@h/").unwrap_err();
        assert!(!error.to_string().contains("secret"), "{error}");
    }

    #[test]
    fn schemes() {
        assert!(Location::handles("FTP://h/x"));
        assert!(Location::handles("ftps://h/x"));
        assert!(!Location::handles("https://h/x"));
    }
}
