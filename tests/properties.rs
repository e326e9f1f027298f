//! Property tests: the parser never panics on hostile input, and every model the writer
//! can express reads back unchanged.

use braid::metalink::date::Timestamp;
use braid::metalink::{
    self, Alternate, Document, File, Hash, HashAlgorithm, MetaUrl, MirrorUrl, Pieces, Publisher,
    Signature, Version,
};
use proptest::prelude::*;

const SAMPLE: &str = include_str!("../../shared/corpus/aria2/metalink4.xml");

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = metalink::parse(&bytes);
    }

    #[test]
    fn mutated_documents_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = SAMPLE.as_bytes().to_vec();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let _ = metalink::parse(&bytes);
        let _ = metalink::parse(&bytes[..cut.index(bytes.len())]);
    }

    #[test]
    fn xmlish_text_never_panics(text in "(<[a-z:]{0,6}( [a-z:]{1,4}=\"[^\"]{0,4}\")?/?>|</[a-z:]{0,6}>|&[a-z#0-9]{0,4};?|[a-z ]{0,4})*") {
        let _ = metalink::parse(text.as_bytes());
        let wrapped = format!("<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">{text}</metalink>");
        let _ = metalink::parse(wrapped.as_bytes());
    }

    #[test]
    fn generated_models_round_trip(doc in document()) {
        let written = metalink::write(&doc);
        let parsed = metalink::parse(written.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{written}")))?;
        prop_assert!(parsed.warnings.is_empty(), "{:?}\n{}", parsed.warnings, written);
        prop_assert_eq!(parsed.document, doc);
    }
}

/// Text as documents carry it: no surrounding whitespace (RFC 5854 forbids it) and no
/// carriage returns (XML turns them into line feeds).
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9äöü€<>&'\"]([a-zA-Z0-9äöü€<>&'\" .,;/-]{0,20}[a-zA-Z0-9<>&'\"])?"
}

fn component() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_][a-zA-Z0-9_ .+-]{0,10}[a-zA-Z0-9_+-]"
        .prop_filter("not a device name", |c| metalink::names::check(c).is_ok())
}

fn hash(algorithm: HashAlgorithm) -> impl Strategy<Value = Hash> {
    proptest::collection::vec(any::<u8>(), algorithm.digest_len())
        .prop_map(move |digest| Hash { algorithm, digest })
}

fn hashes() -> impl Strategy<Value = Vec<Hash>> {
    proptest::sample::subsequence(HashAlgorithm::ALL.to_vec(), 0..=3)
        .prop_flat_map(|algorithms| algorithms.into_iter().map(hash).collect::<Vec<_>>())
}

fn url() -> impl Strategy<Value = String> {
    (
        "(http|https|ftp)",
        "[a-z]{1,8}",
        "(/[a-zA-Z0-9._~-]{1,8}){0,3}",
    )
        .prop_map(|(scheme, host, path)| {
            let path = if path.is_empty() {
                "/".to_owned()
            } else {
                path
            };
            // Models hold URLs as the url crate writes them (`/a/.` becomes `/a/`).
            url::Url::parse(&format!("{scheme}://{host}.example{path}"))
                .unwrap()
                .into()
        })
}

fn priority() -> impl Strategy<Value = u32> {
    prop_oneof![Just(999_999u32), 1u32..=999_999]
}

fn mirror_url() -> impl Strategy<Value = MirrorUrl> {
    (
        url(),
        priority(),
        proptest::option::of("[a-z]{2}"),
        proptest::option::of(1u32..20),
    )
        .prop_map(|(url, priority, location, max_connections)| MirrorUrl {
            url,
            priority,
            location,
            max_connections,
        })
}

fn metaurl() -> impl Strategy<Value = MetaUrl> {
    (
        url(),
        prop_oneof![
            Just("torrent".to_owned()),
            Just("application/x-bittorrent".to_owned())
        ],
        priority(),
        proptest::option::of(component()),
    )
        .prop_map(|(url, mediatype, priority, name)| MetaUrl {
            url,
            mediatype,
            priority,
            name,
        })
}

/// A size and piece lists whose counts match it.
fn size_and_pieces() -> impl Strategy<Value = (Option<u64>, Vec<Pieces>)> {
    prop_oneof![
        Just((None, Vec::new())),
        (0u64..1_000_000).prop_map(|size| (Some(size), Vec::new())),
        (
            1u64..200_000,
            1u64..65_536,
            proptest::sample::subsequence(vec![HashAlgorithm::Sha1, HashAlgorithm::Sha256], 1..=2)
        )
            .prop_filter("at least one piece", |(size, _, _)| *size > 0)
            .prop_flat_map(|(size, length, algorithms)| {
                let count = size.div_ceil(length) as usize;
                let lists: Vec<_> = algorithms
                    .into_iter()
                    .map(|a| {
                        proptest::collection::vec(any::<u8>(), count * a.digest_len())
                            .prop_map(move |digests| Pieces::new(a, length, digests))
                    })
                    .collect();
                (Just(Some(size)), lists)
            }),
    ]
}

fn file() -> impl Strategy<Value = File> {
    let identity = (
        proptest::collection::vec(component(), 1..3).prop_map(|parts| parts.join("/")),
        size_and_pieces(),
        hashes(),
        proptest::collection::vec(mirror_url(), 1..4),
        proptest::collection::vec(metaurl(), 0..2),
    );
    let about = (
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(url()),
        proptest::option::of(
            (text(), proptest::option::of(url())).prop_map(|(name, url)| Publisher { name, url }),
        ),
        proptest::collection::vec("[a-z]{2}(-[A-Z]{2})?", 0..3),
        proptest::collection::vec("(Linux|Windows|MacOSX)(-x86_64)?", 0..2),
    );
    let extras = (
        proptest::collection::vec(
            text().prop_map(|body| Signature {
                mediatype: "application/pgp-signature".into(),
                body,
            }),
            0..2,
        ),
        proptest::option::of(1u32..10),
        proptest::option::of(any::<i64>()),
        proptest::collection::vec(
            (
                proptest::option::of(any::<i64>()),
                proptest::option::of(0u64..10_000),
                hashes(),
            )
                .prop_map(|(timestamp, size, hashes)| Alternate {
                    timestamp,
                    size,
                    hashes,
                }),
            0..2,
        ),
    );
    (identity, about, extras).prop_map(
        |(
            (name, (size, pieces), hashes, urls, metaurls),
            (identity, version, description, copyright, logo, publisher, languages, os),
            (signatures, max_connections, timestamp, alternates),
        )| File {
            name,
            size,
            identity,
            version,
            description,
            copyright,
            logo,
            publisher,
            languages,
            os,
            hashes,
            pieces,
            urls,
            metaurls,
            signatures,
            max_connections,
            timestamp,
            alternates,
        },
    )
}

fn document() -> impl Strategy<Value = Document> {
    (
        proptest::option::of(text()),
        proptest::option::of(url()),
        any::<bool>(),
        proptest::option::of(0i64..4_000_000_000),
        proptest::option::of(0i64..4_000_000_000),
        proptest::collection::vec(file(), 1..4),
    )
        .prop_map(
            |(generator, origin, dynamic, published, updated, mut files)| {
                // Names must be unique, ignoring case.
                let mut seen = std::collections::HashSet::new();
                files.retain(|f| seen.insert(f.name.to_lowercase()));
                Document {
                    version: Version::V4,
                    generator,
                    dynamic: dynamic && origin.is_some(),
                    origin,
                    published: published.map(Timestamp),
                    updated: updated.map(Timestamp),
                    files,
                }
            },
        )
}
