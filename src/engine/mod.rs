//! The download engine: tokio + reqwest, driven only by messages. Front ends send
//! [`Command`]s and fold [`Event`]s; the engine runs on its own runtime thread so a slow
//! UI can never stall a transfer. It never imports the GUI.
//!
//! Where to look:
//! - `handle`: the [`Engine`] handle, its [`Command`]s and [`Event`]s;
//! - `actor`: what runs behind it (the queue, limits, one task per running download),
//!   `queue` (start order and priorities), `schedule` (time windows, start times, clocks);
//! - `spec`: [`JobSpec`], what one download is; `provenance`: where its checksum and
//!   mirrors came from (carried, never acted on); `site`: the referrer and cookies a
//!   browser passed for a link, sent to that link's own origin only;
//! - `job/`: one download's lifecycle (prepare → swarm → supervise → finish);
//! - `plan` (who fetches which piece), `mirror` (per-mirror stats, back-off and blame);
//! - `transport` (the seam a protocol plugs into) and `http` (the HTTP one), with
//!   `multipart` (several ranges in one request);
//! - `storage` (part file), `state` (resume files), `verify` (hashes), `rate` (limits);
//! - `error`: every way things go wrong, typed per layer.

mod actor;
mod error;
pub(crate) mod ftp;
mod handle;
pub(crate) mod http;
mod job;
mod mirror;
mod multipart;
mod plan;
mod progress;
pub mod provenance;
mod queue;
mod rate;
pub mod schedule;
mod site;
mod spec;
mod state;
mod storage;
mod timeline;
mod transport;
pub mod verify;

pub use error::{
    DiskError, DropReason, Fault, FtpFault, JobError, MirrorFailure, MirrorReason, NetError,
    TlsError, Trouble,
};
pub use handle::{Command, DownloadId, Engine, Event};
pub use http::Trust;
pub use mirror::origin;
pub use progress::{Checking, MirrorStatus, PieceStatus, Progress, Repair, Reused};
pub use provenance::{ChecksumOrigin, MirrorOrigin, Provenance};
pub use queue::{Place, Priority};
pub use rate::{NotARate, parse_rate};
pub use site::{MAX_COOKIE_HEADER, SiteHeaders, SiteHeadersError};
pub use spec::{JobSpec, ReuseFrom, ReuseKind};
pub use storage::free_space;

/// Limits a user can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Downloads that run at once; the rest wait in the queue.
    pub max_active: usize,
    /// Connections per download, over all mirrors.
    pub max_connections: usize,
    /// Connections to one origin (scheme, host, port) per download.
    pub connections_per_origin: usize,
    /// Bytes per second over all downloads; `None` for no limit.
    pub rate_limit: Option<u64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_active: 3,
            max_connections: 16,
            connections_per_origin: 4,
            rate_limit: None,
        }
    }
}
