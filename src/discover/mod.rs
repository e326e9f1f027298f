//! What a link stands for, before a download starts: a metalink (by media type, by name,
//! by transparent negotiation or through a `describedby` Link) or a plain file, with the
//! size, digests and mirrors its server tells in RFC 6249 headers (`metalink_http`).
//! A zsync control file (given, or found beside a file's URL) adds block checksums for
//! reusing an older copy (`zsync`), which `older` finds in the download folder.
//! What it finds becomes a [`JobSpec`](crate::engine::JobSpec) for the engine.
//!
//! For a plain file it also finds what the web publishes about it: checksums next to
//! the URL (`SHA256SUMS`, sidecars, MirrorBrain and mirrorbits conventions, in
//! `checksums`), a digest the user gives (`expected`), metalink services that turn a
//! URL or a digest into mirrors (Dynmirror style), and Braid's own memory of which
//! mirrors carry which digest. Every request made for that is small, capped in size and
//! time, and never delays a download by more than a couple of seconds; what is found
//! is told with where it came from ([`Provenance`]), so the user can see why a file is
//! trusted. OpenPGP signatures it finds (`signatures`, and the checksum search's) go
//! with the spec; `crate::signature` checks them.

pub mod checksums;
pub mod expected;
pub mod fetch;
pub mod memory;
mod metalink_http;
pub mod mirrorlist;
pub mod older;
pub mod plain;
mod probe;
pub mod services;
pub mod signatures;
pub mod sums;
pub mod zsync;

pub use crate::engine::{ChecksumOrigin, MirrorOrigin, Provenance};
pub use checksums::FoundDigest;
pub use probe::{
    FetchedMetalink, MAX_METALINK_BYTES, Note, ProbeError, Probed, RemoteFile, client,
    fetch_metalink, name_from_url, probe, probe_with, size_of,
};
