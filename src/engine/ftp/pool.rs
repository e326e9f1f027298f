//! Logged-in control connections kept for the next read from the same server and login.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rustls::pki_types::CertificateDer;

use super::session::{Facts, Retrieval, Session};
use super::{Error, Location, Timeouts, TlsError};

/// Idle control connections kept per server and login; more are closed.
const MAX_IDLE_PER_SERVER: usize = 8;

/// Opens, lends and keeps FTP control connections. Cheap to clone; clones share the
/// connections. Reads run on the tokio runtime they are called from.
#[derive(Clone)]
pub struct Pool {
    inner: Arc<Inner>,
}

struct Inner {
    timeouts: Timeouts,
    /// Trusted for FTPS besides the system's roots.
    extra_roots: Vec<CertificateDer<'static>>,
    /// Made on the first FTPS connection (loading the system's roots takes a while).
    tls: OnceLock<Result<Arc<rustls::ClientConfig>, String>>,
    idle: Mutex<Vec<Idle>>,
    next_id: AtomicU64,
}

struct Idle {
    id: u64,
    session: Session,
}

impl Default for Pool {
    fn default() -> Self {
        Pool::new(Timeouts::default(), Vec::new())
    }
}

impl Pool {
    /// A pool whose FTPS connections trust the system's roots and `extra_roots`.
    pub fn new(timeouts: Timeouts, extra_roots: Vec<CertificateDer<'static>>) -> Self {
        Pool {
            inner: Arc::new(Inner {
                timeouts,
                extra_roots,
                tls: OnceLock::new(),
                idle: Mutex::new(Vec::new()),
                next_id: AtomicU64::new(0),
            }),
        }
    }

    /// The size and version of the file at `location`.
    pub async fn facts(&self, location: &Location) -> Result<Facts, Error> {
        let mut fresh_tried = false;
        loop {
            let (mut session, reused) = self.session(location, fresh_tried).await?;
            match session.facts(&location.path).await {
                Ok(facts) => {
                    self.put_back(session);
                    return Ok(facts);
                }
                Err(error) if reused && error.stale_connection() => fresh_tried = true,
                Err(error) => {
                    if error.leaves_control_usable() {
                        self.put_back(session);
                    }
                    return Err(error);
                }
            }
        }
    }

    /// Starts receiving the file at `location` from byte `offset`.
    pub async fn retrieve(&self, location: &Location, offset: u64) -> Result<Retrieval, Error> {
        let mut fresh_tried = false;
        loop {
            let (mut session, reused) = self.session(location, fresh_tried).await?;
            let started = match session.facts(&location.path).await {
                Ok(facts) => session
                    .retrieve(&location.path, offset)
                    .await
                    .map(|stream| (facts, stream)),
                Err(error) => Err(error),
            };
            match started {
                Ok((facts, stream)) => {
                    return Ok(Retrieval::new(facts, stream, session, self.clone()));
                }
                // A connection kept idle that the server has since closed.
                Err(error) if reused && error.stale_connection() => fresh_tried = true,
                Err(error) => {
                    if error.leaves_control_usable() {
                        self.put_back(session);
                    }
                    return Err(error);
                }
            }
        }
    }

    /// Says goodbye to every idle control connection now (the pool is done with).
    pub async fn close_idle(&self) {
        let idle: Vec<Idle> = std::mem::take(&mut *self.inner.idle.lock().unwrap());
        for idle in idle {
            idle.session.quit().await;
        }
    }

    /// Idle control connections held now.
    #[cfg(test)]
    pub fn idle(&self) -> usize {
        self.inner.idle.lock().unwrap().len()
    }

    /// An idle session for the location's server and login (unless `fresh`), else a
    /// new one; and whether it was idle.
    async fn session(&self, location: &Location, fresh: bool) -> Result<(Session, bool), Error> {
        if !fresh {
            let server = location.server();
            let mut idle = self.inner.idle.lock().unwrap();
            if let Some(at) = idle.iter().rposition(|i| i.session.server == server) {
                return Ok((idle.remove(at).session, true));
            }
        }
        let session = Session::open(location, self.inner.timeouts, || self.tls()).await?;
        Ok((session, false))
    }

    /// Keeps a control connection for the next read; it is closed after the idle time.
    pub(super) fn put_back(&self, session: Session) {
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let surplus = {
            let mut idle = self.inner.idle.lock().unwrap();
            let same = idle
                .iter()
                .filter(|i| i.session.server == session.server)
                .count();
            let surplus = (same >= MAX_IDLE_PER_SERVER).then(|| {
                let oldest = idle
                    .iter()
                    .position(|i| i.session.server == session.server)
                    .expect("counted above");
                idle.remove(oldest).session
            });
            idle.push(Idle { id, session });
            surplus
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if let Some(surplus) = surplus {
            runtime.spawn(surplus.quit());
        }
        let pool = Arc::downgrade(&self.inner);
        let wait = self.inner.timeouts.idle;
        runtime.spawn(async move {
            tokio::time::sleep(wait).await;
            let Some(inner) = pool.upgrade() else { return };
            let expired = {
                let mut idle = inner.idle.lock().unwrap();
                idle.iter()
                    .position(|i| i.id == id)
                    .map(|at| idle.remove(at).session)
            };
            if let Some(session) = expired {
                session.quit().await;
            }
        });
    }

    fn tls(&self) -> Result<Arc<rustls::ClientConfig>, Error> {
        self.inner
            .tls
            .get_or_init(|| client_config(&self.inner.extra_roots).map_err(|e| e.to_string()))
            .clone()
            .map_err(|why| Error::Tls(TlsError::Certificate(why)))
    }
}

/// TLS as reqwest does it here: aws-lc-rs, the platform's verifier and roots.
fn client_config(
    extra_roots: &[CertificateDer<'static>],
) -> Result<Arc<rustls::ClientConfig>, rustls::Error> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(
        extra_roots.iter().cloned(),
        provider.clone(),
    )?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(Arc::new(config))
}
