//! What a link stands for, before a download starts: a metalink (by media type, by name,
//! by transparent negotiation or through a `describedby` Link) or a plain file, with the
//! size, digests and mirrors its server tells in RFC 6249 headers (`metalink_http`).
//! What it finds becomes a [`JobSpec`](crate::engine::JobSpec) for the engine.

mod metalink_http;
mod probe;

pub use probe::{
    FetchedMetalink, MAX_METALINK_BYTES, Note, ProbeError, Probed, RemoteFile, client,
    fetch_metalink, name_from_url, probe, size_of,
};
