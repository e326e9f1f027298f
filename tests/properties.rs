//! Property tests: the parser never panics on hostile input, and every model the writer
//! can express reads back unchanged; the same for published hash files (`SHA256SUMS` in
//! every format Braid reads).

use braid::discover::sums::{self, Naming};
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn hash_files_of_arbitrary_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        naming in naming(),
    ) {
        let file = sums::read(&bytes, naming);
        let _ = file.digests_for("a.iso");
        let _ = file.sidecar_digests("a.iso");
    }

    #[test]
    fn hash_file_like_text_never_panics(
        text in "((-----BEGIN PGP (SIGNED MESSAGE|SIGNATURE)-----|[0-9a-f]{0,70}|[A-Z0-9-]{0,8} ?\\(|\\) ?= ?|[ *^\\\\#]|[a-z. ]{0,6})\r?\n?){0,24}",
        naming in naming(),
    ) {
        let file = sums::read(text.as_bytes(), naming);
        let _ = file.digests_for("a.iso");
        let _ = sums::unwrap_clearsigned(&text);
    }

    #[test]
    fn written_hash_files_read_back(
        entries in proptest::collection::vec((sum_name(), any::<prop::sample::Index>(), style()), 1..12),
        digests in proptest::collection::vec(any::<u8>(), 64 * 12),
        crlf in any::<bool>(),
        clearsigned in any::<bool>(),
    ) {
        // One digest per name, any algorithm, written in any of the formats.
        let mut seen = std::collections::HashSet::new();
        let entries: Vec<_> = entries.into_iter().filter(|(name, _, _)| seen.insert(name.clone())).collect();
        let mut expected = Vec::new();
        let mut lines = vec!["# written by a property test".to_owned()];
        for (i, (name, pick, style)) in entries.iter().enumerate() {
            let algorithm = HashAlgorithm::ALL[pick.index(HashAlgorithm::ALL.len())];
            let digest = digests[i * 64..i * 64 + algorithm.digest_len()].to_vec();
            let hash = Hash { algorithm, digest };
            lines.push(style.line(&hash, name));
            expected.push((name.clone(), hash));
        }
        let newline = if crlf { "\r\n" } else { "\n" };
        let mut text = lines.join(newline) + newline;
        if clearsigned {
            let escaped: String = text.lines().map(|l| if l.starts_with('-') { format!("- {l}\n") } else { format!("{l}\n") }).collect();
            text = format!("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n{escaped}-----BEGIN PGP SIGNATURE-----\n\niQEz\n-----END PGP SIGNATURE-----\n");
        }
        let file = sums::read(text.as_bytes(), Naming::Silent);
        prop_assert_eq!(file.unreadable, 0, "{}", text);
        prop_assert_eq!(file.signature.is_some(), clearsigned);
        for (name, hash) in &expected {
            let found = file.digests_for(name).map_err(|e| TestCaseError::fail(format!("{name:?}: {e}\n{text}")))?;
            prop_assert_eq!(&found, &vec![hash.clone()], "{:?}\n{}", name, text);
        }
    }

    #[test]
    fn differing_digests_for_one_name_are_always_caught(
        name in sum_name(),
        first in proptest::collection::vec(any::<u8>(), 32),
        second in proptest::collection::vec(any::<u8>(), 32),
        style_a in style(),
        style_b in style(),
    ) {
        let a = Hash { algorithm: HashAlgorithm::Sha256, digest: first };
        let b = Hash { algorithm: HashAlgorithm::Sha256, digest: second };
        let text = format!("{}\n{}\n", style_a.line(&a, &name), style_b.line(&b, &name));
        let file = sums::read(text.as_bytes(), Naming::Says(HashAlgorithm::Sha256));
        let found = file.digests_for(&name);
        if a == b {
            prop_assert_eq!(found, Ok(vec![a]));
        } else {
            let twice = matches!(found, Err(sums::Lookup::Twice { .. }));
            prop_assert!(twice, "{:?}", found);
        }
    }
}

fn naming() -> impl Strategy<Value = Naming> {
    prop_oneof![
        Just(Naming::Silent),
        Just(Naming::Unsupported),
        proptest::sample::select(HashAlgorithm::ALL.to_vec()).prop_map(Naming::Says),
    ]
}

/// Names as hash files list them: spaces, brackets, `=`, a leading `*`, and the
/// backslashes and newlines coreutils escapes.
fn sum_name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_*^(][a-zA-Z0-9 _.()=+*\\\\\n-]{0,24}[a-zA-Z0-9_.()+-]"
}

#[derive(Debug, Clone, Copy)]
enum Style {
    /// `HEX  name`
    Text,
    /// `HEX *name`
    Binary,
    /// `SHA256 (name) = HEX`
    Bsd,
    /// `SHA256(name)= HEX`
    OpenSsl,
}

impl Style {
    fn line(self, hash: &Hash, name: &str) -> String {
        let tag = hash.algorithm.iana_name().replace('-', "").to_uppercase();
        let escaped = name.contains(['\\', '\n']);
        match self {
            Style::Bsd if !escaped => format!("{tag} ({name}) = {}", hash.hex()),
            Style::OpenSsl if !escaped => format!("{tag}({name})= {}", hash.hex()),
            Style::Binary | Style::Text | Style::Bsd | Style::OpenSsl => {
                let mode = if matches!(self, Style::Binary) {
                    '*'
                } else {
                    ' '
                };
                if escaped {
                    let name = name.replace('\\', "\\\\").replace('\n', "\\n");
                    format!("\\{} {mode}{name}", hash.hex())
                } else {
                    format!("{} {mode}{name}", hash.hex())
                }
            }
        }
    }
}

fn style() -> impl Strategy<Value = Style> {
    prop_oneof![
        Just(Style::Text),
        Just(Style::Binary),
        Just(Style::Bsd),
        Just(Style::OpenSsl)
    ]
}

mod zsync_control {
    use braid::zsync::{self, BlockSums, Index, Scanner, StrongAlgorithm};
    use proptest::prelude::*;

    /// A control file as zsync 0.6 writes one (full rsums and MD4s) for `data`.
    fn control_for(data: &[u8], block: u64, seq: u8) -> Vec<u8> {
        let sums = BlockSums::compute(data, block, seq, StrongAlgorithm::Md4);
        let mut out = format!(
            "zsync: 0.6.2\nFilename: f.bin\nBlocksize: {block}\nLength: {}\nHash-Lengths: {seq},4,16\nURL: f.bin\n\n",
            data.len()
        )
        .into_bytes();
        out.extend_from_slice(&sums.records());
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_bytes_never_panic(mut bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = zsync::read(&bytes);
            let mut prefixed = b"zsync: 0.6.2\n".to_vec();
            prefixed.append(&mut bytes);
            let _ = zsync::read(&prefixed);
        }

        #[test]
        fn mutated_control_files_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..5000),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut bytes = control_for(&data, 256, 2);
            let clean = zsync::read(&bytes).expect("a clean control file reads");
            prop_assert_eq!(clean.length, data.len() as u64);
            for (at, byte) in edits {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            let _ = zsync::read(&bytes);
            let _ = zsync::read(&bytes[..cut.index(bytes.len())]);
        }

        /// Whatever the data scanned, every block reported is the target's block.
        #[test]
        fn scans_only_report_true_blocks(
            target in proptest::collection::vec(0u8..4, 1..6000),
            seed in proptest::collection::vec(0u8..4, 0..8000),
            seq in 1u8..=2,
            chunk in 1usize..3000,
        ) {
            let sums = BlockSums::compute(&target, 64, seq, StrongAlgorithm::Md4);
            let mut index = Index::new(&sums, None);
            let context = index.context();
            let mut scanner = Scanner::new(&mut index);
            let mut buffer = Vec::new();
            let mut fed = 0;
            let mut found = Vec::new();
            loop {
                let take = chunk.min(seed.len() - fed);
                buffer.extend_from_slice(&seed[fed..fed + take]);
                fed += take;
                let end = fed == seed.len();
                if end {
                    buffer.resize(buffer.len() + context, 0);
                }
                let stop = scanner.scan(&buffer, 0, &mut found);
                for f in found.drain(..) {
                    let r = sums.block_range(f.block);
                    let len = (r.end - r.start) as usize;
                    prop_assert_eq!(&buffer[f.at..f.at + len], &target[r.start as usize..r.end as usize]);
                }
                if end {
                    break;
                }
                buffer.drain(..stop);
            }
        }
    }
}
