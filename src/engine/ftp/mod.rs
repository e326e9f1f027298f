//! FTP and explicit FTPS mirrors (suppaftp over tokio): reads of any byte range as
//! `REST` + `RETR`, the data connection closed once the range is in; passive mode
//! (`EPSV`, falling back to `PASV` for servers that do not know it, always to the
//! control connection's address); binary mode; anonymous login unless the URL names a
//! user; `SIZE` and `MDTM` as the size and the validator.
//!
//! Control connections are the expensive part of FTP (a greeting, a login, a few round
//! trips), so a [`Pool`] keeps them: the next read from the same server and login takes
//! an idle one, and idle ones are closed with `QUIT` after a few seconds so servers with
//! few slots are not held.
//!
//! Every step has a deadline: connecting, each reply, opening the data connection
//! (a passive port behind a firewall never answers), and each read of data (the
//! caller's stall time).

mod location;
mod pool;
mod session;
#[cfg(test)]
mod tests;

use std::time::Duration;

pub(crate) use location::Location;
pub(crate) use pool::Pool;
pub(crate) use session::{Facts, Retrieval};

use super::{Fault, FtpFault, NetError, TlsError};

/// Deadlines of a pool's connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timeouts {
    /// To connect the control connection, and each data connection.
    pub connect: Duration,
    /// For each reply to a command.
    pub reply: Duration,
    /// How long an unused control connection is kept for the next read.
    pub idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(15),
            reply: Duration::from_secs(20),
            idle: Duration::from_secs(15),
        }
    }
}

/// The size and version of the file at `url`, for a link the user gave: one control
/// connection, closed after.
pub(crate) async fn facts_of(url: &str) -> Result<Facts, Fault> {
    let location = Location::parse(url)?;
    let pool = Pool::default();
    let facts = pool.facts(&location).await;
    pool.close_idle().await;
    Ok(facts?)
}

/// The file at `url`, if it has at most `limit` bytes (`None` when it has more): a
/// metalink kept on an FTP server.
pub(crate) async fn fetch_small(url: &str, limit: usize) -> Result<Option<Vec<u8>>, Fault> {
    let location = Location::parse(url)?;
    let pool = Pool::default();
    let fetched = async {
        let mut retrieval = pool.retrieve(&location, 0).await?;
        if retrieval
            .facts()
            .size
            .is_some_and(|size| size > limit as u64)
        {
            return Ok(None);
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = retrieval.chunk(Timeouts::default().reply).await? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > limit {
                return Ok(None);
            }
        }
        retrieval.finish().await?;
        Ok::<_, Error>(Some(bytes))
    }
    .await;
    pool.close_idle().await;
    Ok(fetched?)
}

/// What failed, in FTP's terms, with its sources; the engine sees it as a [`Fault`].
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("not a usable FTP URL: {0}")]
    BadUrl(String),
    #[error("could not connect: {0}")]
    Connect(#[source] std::io::Error),
    #[error("could not open the data connection to {address}: {source}")]
    DataConnect {
        address: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("timed out {0}")]
    TimedOut(Waiting),
    #[error("the connection broke: {0}")]
    Broken(#[source] std::io::Error),
    /// The server answered a command with an error reply.
    #[error("FTP {code} to {command}: {text}")]
    Refused {
        command: &'static str,
        code: u16,
        text: String,
    },
    #[error("login refused (FTP {code}): {text}")]
    Login { code: u16, text: String },
    /// `REST` is refused: this server can only send the file from its start.
    #[error("the server cannot resume at an offset (REST): FTP {code} {text}")]
    NoRestart { code: u16, text: String },
    #[error("the server offers no TLS (AUTH TLS): {0}")]
    NoTls(String),
    #[error(transparent)]
    Tls(TlsError),
    #[error("the server's answer makes no sense: {0}")]
    Protocol(String),
}

/// What was being waited for when a deadline passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Waiting {
    #[error("connecting")]
    Connect,
    #[error("waiting for the server to answer {0}")]
    Reply(&'static str),
    #[error("opening the data connection to port {0}")]
    DataConnect(u16),
    #[error("waiting for data: nothing received for {} s", .0.as_secs())]
    Data(Duration),
}

/// What it means for the mirror, in the engine's vocabulary.
impl From<Error> for Fault {
    fn from(error: Error) -> Fault {
        let network = |e: NetError| Fault::Network(e);
        match error {
            Error::BadUrl(why) => FtpFault::Protocol(why).into(),
            Error::Connect(_) => network(NetError::Connect),
            Error::TimedOut(Waiting::Connect | Waiting::Reply(_)) => network(NetError::Timeout),
            Error::TimedOut(Waiting::Data(stall)) => network(NetError::Stalled {
                seconds: stall.as_secs(),
            }),
            Error::TimedOut(Waiting::DataConnect(port)) => FtpFault::DataConnection {
                port,
                why: NetError::Timeout,
            }
            .into(),
            Error::DataConnect { address, .. } => FtpFault::DataConnection {
                port: address.port(),
                why: NetError::Connect,
            }
            .into(),
            Error::Broken(e) => network(NetError::Other(e.to_string())),
            Error::Refused {
                command: "connect",
                code: 421,
                text,
            } => FtpFault::Full { code: 421, text }.into(),
            Error::Refused {
                code: 550, text, ..
            } => FtpFault::Missing { code: 550, text }.into(),
            Error::Refused {
                command,
                code,
                text,
            } if (400..500).contains(&code) => FtpFault::Busy {
                command,
                code,
                text,
            }
            .into(),
            Error::Refused {
                command,
                code,
                text,
            } => FtpFault::Refused {
                command,
                code,
                text,
            }
            .into(),
            Error::Login { code, text } if code == 421 || busy(&text) => {
                FtpFault::Full { code, text }.into()
            }
            Error::Login { code, text } => FtpFault::Login { code, text }.into(),
            // Handled by reading from the start; seen here only if that failed too.
            Error::NoRestart { code, text } => FtpFault::Refused {
                command: "REST",
                code,
                text,
            }
            .into(),
            Error::NoTls(text) => FtpFault::NoTls { text }.into(),
            Error::Tls(tls) => Fault::Tls(tls),
            Error::Protocol(why) => FtpFault::Protocol(why).into(),
        }
    }
}

impl Error {
    /// Whether a control connection that failed like this is in step with the server
    /// (a whole error reply was read) and can serve the next command.
    fn leaves_control_usable(&self) -> bool {
        matches!(self, Error::Refused { .. } | Error::NoRestart { .. })
    }

    /// Whether a control connection taken from the pool failed as a connection the
    /// server closed while idle would: then a fresh one is tried at once.
    fn stale_connection(&self) -> bool {
        matches!(self, Error::Broken(_) | Error::Refused { code: 421, .. })
    }
}

/// Servers that limit connections per address and answer the login with 530 say so in
/// words (ProFTPD: "Sorry, the maximum number of clients … are already connected").
fn busy(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    ["too many", "maximum number", "try again later"]
        .iter()
        .any(|phrase| text.contains(phrase))
}
