//! One control connection: connect, TLS, login, binary mode; the file's facts; and
//! reads from an offset over a passive data connection.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use suppaftp::tokio::{AsyncRustlsFtpStream, AsyncRustlsStream, AsyncTlsConnector, TransferStream};
use suppaftp::types::FileType;
use suppaftp::{FtpError, Mode};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio::time::timeout;

use super::location::{Location, Security, ServerKey};
use super::pool::Pool;
use super::{Error, Timeouts, TlsError, Waiting};

/// Bytes asked of the data connection per read.
const READ_SIZE: usize = 256 * 1024;

/// What the server says about a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// From `SIZE`; `None` when the server does not tell.
    pub size: Option<u64>,
    /// From `MDTM`: the version of the file, so two are never spliced together.
    pub modified: Option<SystemTime>,
}

/// How the data connection's address is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Passive {
    /// `EPSV` (RFC 2428): only a port, on the control connection's address.
    Extended,
    /// `PASV`, for servers without `EPSV`; its address is ignored in favour of the
    /// control connection's (a server cannot point the client at another host).
    Classic,
}

/// Where the data connection got to, for telling its failures from the control
/// connection's (suppaftp reports both as connection errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DataStage {
    /// The server has not named a data port yet.
    NotYet,
    Connecting(SocketAddr),
    Connected(SocketAddr),
}

pub(super) struct Session {
    control: AsyncRustlsFtpStream,
    pub(super) server: ServerKey,
    passive: Passive,
    data: Arc<Mutex<DataStage>>,
    /// Why the last TLS handshake (control or data) failed.
    tls_failure: Arc<Mutex<Option<TlsError>>>,
    /// The facts of the last file asked about on this connection.
    facts: Option<(String, Facts)>,
    timeouts: Timeouts,
}

impl Session {
    pub(super) async fn open(
        location: &Location,
        timeouts: Timeouts,
        tls: impl FnOnce() -> Result<Arc<rustls::ClientConfig>, Error>,
    ) -> Result<Session, Error> {
        let tcp = connect(&location.host, location.port, timeouts.connect).await?;
        let _ = tcp.set_nodelay(true);
        let greeting = AsyncRustlsFtpStream::connect_with_stream(tcp);
        let mut control = within(timeouts.reply, Waiting::Reply("the connection"), greeting)
            .await?
            .map_err(|e| from_ftp(e, "connect", &Mutex::new(None)))?;
        let data = Arc::new(Mutex::new(DataStage::NotYet));
        control = control.passive_stream_builder(data_connector(data.clone(), timeouts.connect));
        let tls_failure = Arc::new(Mutex::new(None));
        if location.security == Security::ExplicitTls {
            let connector = Tls {
                connector: tokio_rustls::TlsConnector::from(tls()?),
                failure: tls_failure.clone(),
            };
            let secure = control.into_secure(connector, &location.host);
            control = within(timeouts.reply, Waiting::Reply("AUTH TLS"), secure)
                .await?
                .map_err(|e| match e {
                    FtpError::UnexpectedResponse(reply) => Error::NoTls(text_of(&reply.body)),
                    other => from_ftp(other, "AUTH TLS", &tls_failure),
                })?;
        }
        let login = control.login(location.user.as_str(), location.password.as_str());
        within(timeouts.reply, Waiting::Reply("the login"), login)
            .await?
            .map_err(|e| match e {
                FtpError::UnexpectedResponse(reply) => Error::Login {
                    code: code_of(&reply.body),
                    text: text_of(&reply.body),
                },
                other => from_ftp(other, "USER", &tls_failure),
            })?;
        within(
            timeouts.reply,
            Waiting::Reply("TYPE I"),
            control.transfer_type(FileType::Binary),
        )
        .await?
        .map_err(|e| from_ftp(e, "TYPE I", &tls_failure))?;
        control.set_mode(Mode::ExtendedPassive);
        control.set_passive_nat_workaround(true);
        Ok(Session {
            control,
            server: location.server(),
            passive: Passive::Extended,
            data,
            tls_failure,
            facts: None,
            timeouts,
        })
    }

    /// `SIZE` and `MDTM` of `path`, asked once per connection. A server without them
    /// (or refusing them) leaves them unknown; one that does not have the file says so.
    pub(super) async fn facts(&mut self, path: &str) -> Result<Facts, Error> {
        if let Some((known, facts)) = &self.facts
            && known == path
        {
            return Ok(facts.clone());
        }
        let reply = self.timeouts.reply;
        let size = match within(reply, Waiting::Reply("SIZE"), self.control.size(path)).await? {
            Ok(size) => Some(size as u64),
            Err(FtpError::UnexpectedResponse(r)) if code_of(&r.body) == 550 => {
                return Err(self.error(FtpError::UnexpectedResponse(r), "SIZE"));
            }
            Err(FtpError::UnexpectedResponse(_) | FtpError::BadResponse) => None,
            Err(other) => return Err(self.error(other, "SIZE")),
        };
        let modified = match within(reply, Waiting::Reply("MDTM"), self.control.mdtm(path)).await? {
            Ok(time) => {
                let seconds = time.and_utc().timestamp();
                u64::try_from(seconds)
                    .ok()
                    .map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s))
            }
            Err(FtpError::UnexpectedResponse(_) | FtpError::BadResponse) => None,
            Err(other) => return Err(self.error(other, "MDTM")),
        };
        let facts = Facts { size, modified };
        self.facts = Some((path.to_owned(), facts.clone()));
        Ok(facts)
    }

    /// Starts sending `path` from byte `offset` (`REST` only when it is not 0).
    pub(super) async fn retrieve(
        &mut self,
        path: &str,
        offset: u64,
    ) -> Result<TransferStream<AsyncRustlsStream>, Error> {
        loop {
            *self.data.lock().unwrap() = DataStage::NotYet;
            if offset > 0 {
                let offset = usize::try_from(offset)
                    .map_err(|_| Error::BadUrl(format!("offset {offset} is too large")))?;
                // Only records the offset: REST is sent right before RETR.
                let _ = self.control.resume_transfer(offset).await;
            }
            let retr = self.control.retr_as_stream(path);
            let outcome = within(self.timeouts.reply, Waiting::Reply("RETR"), retr).await;
            let stage = *self.data.lock().unwrap();
            let error = match outcome {
                Ok(Ok(stream)) => return Ok(stream),
                Ok(Err(error)) => error,
                Err(Error::TimedOut(_)) => {
                    return Err(match stage {
                        DataStage::Connecting(address) => {
                            Error::TimedOut(Waiting::DataConnect(address.port()))
                        }
                        _ => Error::TimedOut(Waiting::Reply("RETR")),
                    });
                }
                Err(other) => return Err(other),
            };
            match (error, stage) {
                // No data port yet: EPSV was refused; PASV is asked from now on.
                (FtpError::UnexpectedResponse(reply), DataStage::NotYet)
                    if self.passive == Passive::Extended
                        && [500, 501, 502, 522].contains(&code_of(&reply.body)) =>
                {
                    self.passive = Passive::Classic;
                    self.control.set_mode(Mode::Passive);
                }
                (FtpError::UnexpectedResponse(reply), DataStage::NotYet) => {
                    let command = match self.passive {
                        Passive::Extended => "EPSV",
                        Passive::Classic => "PASV",
                    };
                    return Err(self.error(FtpError::UnexpectedResponse(reply), command));
                }
                // Connected: the refusal is REST's or RETR's.
                (FtpError::UnexpectedResponse(reply), _)
                    if offset > 0 && [500, 501, 502, 504].contains(&code_of(&reply.body)) =>
                {
                    return Err(Error::NoRestart {
                        code: code_of(&reply.body),
                        text: text_of(&reply.body),
                    });
                }
                (FtpError::ConnectionError(source), DataStage::Connecting(address)) => {
                    return Err(if source.kind() == std::io::ErrorKind::TimedOut {
                        Error::TimedOut(Waiting::DataConnect(address.port()))
                    } else {
                        Error::DataConnect { address, source }
                    });
                }
                (error, _) => return Err(self.error(error, "RETR")),
            }
        }
    }

    fn error(&self, error: FtpError, command: &'static str) -> Error {
        from_ftp(error, command, &self.tls_failure)
    }

    /// Says goodbye (best effort, briefly): servers count connections per client.
    pub(super) async fn quit(mut self) {
        let _ = timeout(Duration::from_secs(1), self.control.quit()).await;
    }
}

/// A file being received from an offset. Read [`Retrieval::chunk`] until the range is
/// in, then [`Retrieval::finish`]: the data connection is closed (the server may
/// still have been sending) and the control connection goes back to the pool for the
/// next range. Dropped without `finish`, the control connection is closed instead.
pub struct Retrieval {
    facts: Facts,
    stream: Option<TransferStream<AsyncRustlsStream>>,
    session: Option<Session>,
    pool: Pool,
    buffer: BytesMut,
    at_end: bool,
}

/// TLS for the control and data connections, keeping why a handshake failed (suppaftp
/// passes on only its text).
struct Tls {
    connector: tokio_rustls::TlsConnector,
    failure: Arc<Mutex<Option<TlsError>>>,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tls")
    }
}

#[async_trait::async_trait]
impl AsyncTlsConnector for Tls {
    type Stream = AsyncRustlsStream;

    async fn connect(
        &self,
        domain: &str,
        stream: TcpStream,
    ) -> suppaftp::FtpResult<AsyncRustlsStream> {
        let name = rustls::pki_types::ServerName::try_from(domain.to_owned())
            .map_err(|e| FtpError::SecureError(e.to_string()))?;
        match self.connector.connect(name, stream).await {
            Ok(stream) => Ok(AsyncRustlsStream::from(stream)),
            Err(error) => {
                let why = super::super::http::tls_error(&error)
                    .unwrap_or_else(|| TlsError::Handshake(error.to_string()));
                *self.failure.lock().unwrap() = Some(why);
                Err(FtpError::SecureError(error.to_string()))
            }
        }
    }
}

impl std::fmt::Debug for Retrieval {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Retrieval")
            .field("facts", &self.facts)
            .field("at_end", &self.at_end)
            .finish_non_exhaustive()
    }
}

impl Retrieval {
    pub(super) fn new(
        facts: Facts,
        stream: TransferStream<AsyncRustlsStream>,
        session: Session,
        pool: Pool,
    ) -> Self {
        Retrieval {
            facts,
            stream: Some(stream),
            session: Some(session),
            pool,
            buffer: BytesMut::new(),
            at_end: false,
        }
    }

    /// The file's size and version as this server tells them.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The next bytes, `None` at the end of the file; nothing for `stall` is an error.
    pub async fn chunk(&mut self, stall: Duration) -> Result<Option<Bytes>, Error> {
        timeout(stall, self.next())
            .await
            .map_err(|_| Error::TimedOut(Waiting::Data(stall)))?
    }

    /// The next bytes, `None` at the end of the file, waiting as long as it takes
    /// (cancelling it loses nothing: bytes are only taken once they are in).
    pub async fn next(&mut self) -> Result<Option<Bytes>, Error> {
        let Some(stream) = self.stream.as_mut() else {
            return Ok(None);
        };
        if self.buffer.capacity() < READ_SIZE {
            self.buffer.reserve(READ_SIZE);
        }
        let read = stream
            .read_buf(&mut self.buffer)
            .await
            .map_err(Error::Broken)?;
        if read == 0 {
            self.at_end = true;
            return Ok(None);
        }
        Ok(Some(self.buffer.split().freeze()))
    }

    /// Closes the data connection and reads the server's word on the transfer. Having
    /// read to the end, an error reply means the file came incomplete; closed before
    /// the end, the server's complaint about that is expected. Either way, a control
    /// connection that answered in time serves the next range. (The reply is awaited
    /// by a task of its own, so a caller that is cancelled meanwhile does not cost the
    /// control connection.)
    pub async fn finish(mut self) -> Result<(), Error> {
        let (Some(stream), Some(session)) = (self.stream.take(), self.session.take()) else {
            return Ok(());
        };
        let completion = complete(stream, session, self.pool.clone(), self.at_end);
        match tokio::spawn(completion).await {
            Ok(result) => result,
            Err(_) => Ok(()),
        }
    }
}

/// A retrieval dropped before its end (its connection was stopped): the control
/// connection is still worth keeping once the server has answered.
impl Drop for Retrieval {
    fn drop(&mut self) {
        if let (Some(stream), Some(session)) = (self.stream.take(), self.session.take())
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(complete(stream, session, self.pool.clone(), false));
        }
    }
}

/// Closes the data connection, reads the transfer's reply, and gives the control
/// connection back to the pool when it answered in time.
async fn complete(
    stream: TransferStream<AsyncRustlsStream>,
    session: Session,
    pool: Pool,
    at_end: bool,
) -> Result<(), Error> {
    match timeout(session.timeouts.reply, stream.finish()).await {
        Err(_) => Err(Error::TimedOut(Waiting::Reply("the end of the transfer"))),
        Ok(Ok(())) => {
            pool.put_back(session);
            Ok(())
        }
        Ok(Err(FtpError::UnexpectedResponse(reply))) => {
            pool.put_back(session);
            if at_end {
                Err(Error::Refused {
                    command: "RETR",
                    code: code_of(&reply.body),
                    text: text_of(&reply.body),
                })
            } else {
                Ok(())
            }
        }
        Ok(Err(other)) => Err(session.error(other, "RETR")),
    }
}

/// Connects to the first address of `host` that answers within the deadline.
async fn connect(host: &str, port: u16, deadline: Duration) -> Result<TcpStream, Error> {
    let addresses: Vec<SocketAddr> = within(
        deadline,
        Waiting::Connect,
        tokio::net::lookup_host((host, port)),
    )
    .await?
    .map_err(Error::Connect)?
    .collect();
    let mut last = None;
    for address in addresses {
        match timeout(deadline, TcpStream::connect(address)).await {
            Ok(Ok(stream)) => return Ok(stream),
            Ok(Err(e)) => last = Some(Error::Connect(e)),
            Err(_) => last = Some(Error::TimedOut(Waiting::Connect)),
        }
    }
    Err(last.unwrap_or_else(|| {
        Error::Connect(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{host} has no address"),
        ))
    }))
}

/// Opens passive data connections with a deadline, noting how far each got.
fn data_connector(
    stage: Arc<Mutex<DataStage>>,
    deadline: Duration,
) -> impl Fn(
    SocketAddr,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<TcpStream, FtpError>> + Send + Sync>,
> + Send
+ Sync
+ 'static {
    move |address| {
        *stage.lock().unwrap() = DataStage::Connecting(address);
        let stage = stage.clone();
        Box::pin(async move {
            let stream = match timeout(deadline, TcpStream::connect(address)).await {
                Ok(Ok(stream)) => stream,
                Ok(Err(e)) => return Err(FtpError::ConnectionError(e)),
                Err(_) => {
                    return Err(FtpError::ConnectionError(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the data connection was not answered",
                    )));
                }
            };
            *stage.lock().unwrap() = DataStage::Connected(address);
            Ok(stream)
        })
    }
}

/// `future` within `deadline`, else [`Error::TimedOut`].
async fn within<T>(
    deadline: Duration,
    waiting: Waiting,
    future: impl std::future::Future<Output = T>,
) -> Result<T, Error> {
    timeout(deadline, future)
        .await
        .map_err(|_| Error::TimedOut(waiting))
}

fn from_ftp(
    error: FtpError,
    command: &'static str,
    tls_failure: &Mutex<Option<TlsError>>,
) -> Error {
    match error {
        FtpError::ConnectionError(e) => Error::Broken(e),
        FtpError::UnexpectedResponse(reply) => Error::Refused {
            command,
            code: code_of(&reply.body),
            text: text_of(&reply.body),
        },
        FtpError::SecureError(e) => Error::Tls(
            tls_failure
                .lock()
                .unwrap()
                .take()
                .unwrap_or(TlsError::Handshake(e)),
        ),
        FtpError::BadResponse => Error::Protocol(format!("a malformed reply to {command}")),
        other => Error::Protocol(other.to_string()),
    }
}

/// The reply code (suppaftp keeps the reply's text whole, code first).
fn code_of(body: &[u8]) -> u16 {
    std::str::from_utf8(body.get(..3).unwrap_or_default())
        .ok()
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// The reply's text without its codes, on one line, bounded.
fn text_of(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let line: String = text
        .lines()
        .map(|line| {
            let coded = line.len() >= 4
                && line.as_bytes()[..3].iter().all(u8::is_ascii_digit)
                && matches!(line.as_bytes()[3], b' ' | b'-');
            if coded { &line[4..] } else { line }.trim()
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    line.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_read_as_code_and_one_line() {
        assert_eq!(code_of(b"550 No such file.\r\n"), 550);
        assert_eq!(code_of(b"55"), 0);
        assert_eq!(
            text_of(b"530-Login incorrect.\r\n530 Bye.\r\n"),
            "Login incorrect. Bye."
        );
    }
}
