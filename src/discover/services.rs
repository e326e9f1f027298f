//! Metalink services, asked the Dynmirror way: `SERVICE/metalink/?url=<URL>` turns a
//! plain URL into a metalink, and `SERVICE/metalink/<lowercase hex>.metalink` a digest.
//! Services are the user's choice (none by default); what they say is only advice, so
//! their mirrors are used only with a digest to check them against (`plain` decides).

use super::fetch::{self, Failure, Limits};
use crate::metalink::{self, File, Hash, MirrorUrl, Pieces};

/// Largest metalink a service may send.
const MAX_BYTES: usize = 4 * 1024 * 1024;

/// What a service said about the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The service, as configured.
    pub service: String,
    /// The request that brought this answer.
    pub url: String,
    pub size: Option<u64>,
    pub hashes: Vec<Hash>,
    pub pieces: Option<Pieces>,
    /// HTTP(S) mirrors in the order the service prefers.
    pub urls: Vec<MirrorUrl>,
}

/// Why a service gave nothing usable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ServiceError {
    #[error("{url}: {failure}")]
    Fetch { url: String, failure: Failure },
    #[error("{url}: {error}")]
    NotMetalink {
        url: String,
        error: metalink::ParseError,
    },
    #[error("{url}: the metalink does not describe this file")]
    OtherFile { url: String },
    #[error("{service} is not a usable service address")]
    BadService { service: String },
}

/// `SERVICE/metalink/?url=<URL>`.
pub fn by_url(service: &url::Url, file: &url::Url) -> url::Url {
    let mut url = endpoint(service);
    url.query_pairs_mut().append_pair("url", file.as_str());
    url
}

/// `SERVICE/metalink/<lowercase hex>.metalink`.
pub fn by_digest(service: &url::Url, hash: &Hash) -> url::Url {
    let mut url = endpoint(service);
    url.set_path(&format!("{}{}.metalink", url.path(), hash.hex()));
    url
}

/// The service's `metalink/` directory, whether it was configured with or without a
/// trailing slash or a path of its own.
fn endpoint(service: &url::Url) -> url::Url {
    let mut url = service.clone();
    url.set_query(None);
    url.set_fragment(None);
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&format!("{path}/metalink/"));
    url
}

/// Asks one service about a file: by its URL (when `by_url`), and by `digest` when one
/// is known. Each answer comes back on its own.
pub async fn ask(
    client: &reqwest::Client,
    service: &str,
    file: &url::Url,
    names: &[String],
    by_url: bool,
    digest: Option<&Hash>,
    limits: Limits,
) -> Vec<Result<Answer, ServiceError>> {
    let Some(base) = url::Url::parse(service)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
    else {
        return vec![Err(ServiceError::BadService {
            service: service.to_owned(),
        })];
    };
    let limits = Limits {
        max_bytes: MAX_BYTES.min(limits.max_bytes),
        ..limits
    };
    let mut requests = Vec::new();
    if by_url {
        requests.push(self::by_url(&base, file));
    }
    requests.extend(digest.map(|d| by_digest(&base, d)));
    let mut running = tokio::task::JoinSet::new();
    for (index, request) in requests.into_iter().enumerate() {
        let client = client.clone();
        let service = service.to_owned();
        let names = names.to_vec();
        running.spawn(async move {
            let answer = match fetch::fetch(&client, &request, limits).await {
                Ok(fetched) => Some(read(
                    &service,
                    &request,
                    &fetched.body,
                    &fetched.url,
                    &names,
                )),
                // The service knows nothing of the file: no answer, and nothing to say.
                Err(fetch::Failure::Missing(_)) => None,
                Err(failure) => Some(Err(ServiceError::Fetch {
                    url: request.to_string(),
                    failure,
                })),
            };
            (index, answer)
        });
    }
    let mut answers = Vec::new();
    while let Some(done) = running.join_next().await {
        if let Ok((index, Some(answer))) = done {
            answers.push((index, answer));
        }
    }
    answers.sort_by_key(|(index, _)| *index);
    answers.into_iter().map(|(_, answer)| answer).collect()
}

/// Reads a service's metalink: the file named like ours, or its only file.
fn read(
    service: &str,
    request: &url::Url,
    body: &[u8],
    base: &url::Url,
    names: &[String],
) -> Result<Answer, ServiceError> {
    let url = request.to_string();
    let parsed =
        metalink::parse_with_base(body, Some(base)).map_err(|error| ServiceError::NotMetalink {
            url: url.clone(),
            error,
        })?;
    let files = &parsed.document.files;
    let file: &File = files
        .iter()
        .find(|f| names.contains(&f.name))
        .or(match files.as_slice() {
            [only] => Some(only),
            _ => None,
        })
        .ok_or(ServiceError::OtherFile { url: url.clone() })?;
    Ok(Answer {
        service: service.to_owned(),
        url,
        size: file.size,
        hashes: file.hashes.clone(),
        pieces: file.preferred_pieces().cloned(),
        urls: metalink::select::ordered_urls(file, &[])
            .into_iter()
            .cloned()
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metalink::HashAlgorithm;

    fn url(text: &str) -> url::Url {
        url::Url::parse(text).unwrap()
    }

    #[test]
    fn dynmirror_addresses() {
        let file = url("http://example.org/pub/a b.iso?x=1&y=2");
        for service in [
            "http://svc.example",
            "http://svc.example/",
            "http://svc.example/?q",
        ] {
            assert_eq!(
                by_url(&url(service), &file).as_str(),
                "http://svc.example/metalink/?url=http%3A%2F%2Fexample.org%2Fpub%2Fa%2520b.iso%3Fx%3D1%26y%3D2",
                "{service}"
            );
        }
        assert_eq!(
            by_url(&url("https://svc.example/api"), &file).path(),
            "/api/metalink/"
        );
        let hash = Hash {
            algorithm: HashAlgorithm::Sha256,
            digest: vec![0xab; 32],
        };
        assert_eq!(
            by_digest(&url("http://svc.example/"), &hash).as_str(),
            format!("http://svc.example/metalink/{}.metalink", "ab".repeat(32))
        );
    }
}
