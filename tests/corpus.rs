//! Conformance: every document in `../shared/corpus/` through the parser, with the
//! outcome a strict, security-conscious client should reach (see corpus/MANIFEST.md and
//! notes/metalink-standards.md §8).

use std::path::PathBuf;

use braid::metalink::{self, HashAlgorithm, Parsed};

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// Reads a corpus document, filling in the test-suite placeholders some of them carry
/// (curl's `%HOSTIP`…, librepo's `{PORT_PLACEHOLDER}`), as MANIFEST.md says to.
fn load(relative: &str) -> Vec<u8> {
    let path = corpus_dir().join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let number = relative
        .rsplit('/')
        .next()
        .unwrap()
        .trim_start_matches("test")
        .split('.')
        .next()
        .unwrap()
        .to_owned();
    match String::from_utf8(bytes) {
        Ok(text) => text
            .replace("%HOSTIP", "127.0.0.1")
            .replace("%HTTPPORT", "8990")
            .replace("%TESTNUMBER", &number)
            .replace("{PORT_PLACEHOLDER}", "8991")
            .into_bytes(),
        // Not UTF-8 (one document is deliberately broken): parse it as it is.
        Err(e) => e.into_bytes(),
    }
}

fn accept(relative: &str, files: usize) -> Parsed {
    match metalink::parse(&load(relative)) {
        Ok(parsed) => {
            let names: Vec<&str> = parsed
                .document
                .files
                .iter()
                .map(|f| f.name.as_str())
                .collect();
            assert_eq!(
                names.len(),
                files,
                "{relative}: files {names:?}, warnings {:#?}",
                parsed.warnings
            );
            parsed
        }
        Err(e) => panic!("{relative} should be accepted with {files} files, was rejected: {e}"),
    }
}

fn reject(relative: &str, reason: &str) {
    match metalink::parse(&load(relative)) {
        Ok(parsed) => panic!(
            "{relative} should be rejected, got {:?}",
            parsed.document.files
        ),
        Err(e) => assert!(
            e.to_string().contains(reason),
            "{relative}: expected '{reason}' in '{e}'"
        ),
    }
}

fn warned(parsed: &Parsed, text: &str) -> bool {
    parsed.warnings.iter().any(|w| w.message.contains(text))
}

#[test]
fn every_document_in_the_corpus_is_covered() {
    // Each document below is named in a test of this file; a new corpus file must be too.
    let source = include_str!("corpus.rs");
    let mut missing = Vec::new();
    for entry in walk(&corpus_dir()) {
        let relative = entry
            .strip_prefix(corpus_dir())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if relative.ends_with(".md") {
            continue;
        }
        let base = relative.rsplit('/').next().unwrap();
        if !source.contains(&format!("{base}\"")) {
            missing.push(relative);
        }
    }
    assert!(
        missing.is_empty(),
        "corpus documents without an expectation: {missing:?}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn antbryan_www() {
    reject("antbryan-www/FC-5-i386-disc1.iso.metalink", "line 1463");
    reject(
        "antbryan-www/Nero-7.0.8.2.exe.metalink",
        "line 13, column 35: the document is not valid UTF-8",
    );
    let gnome = accept("antbryan-www/GNOME_2.16.1_Bindings_Sources.metalink", 20);
    assert!(
        gnome
            .document
            .files
            .iter()
            .any(|f| f.name == "c++/gtkmm-2.10.2.tar.bz2")
    );
    let arch = accept("antbryan-www/archlinux-2009.02.metalink", 10);
    assert!(warned(
        &arch,
        "namespace 'http://www.metalinker.org' read as Metalink 3.0"
    ));
    let badchunk = accept("antbryan-www/badchunk.metalink", 1);
    assert!(!badchunk.document.files[0].pieces.is_empty());
    accept("antbryan-www/badmd5.metalink", 1);
    let directory = accept("antbryan-www/directory.metalink", 1);
    assert_eq!(
        directory.document.files[0].name,
        "abiword/abiword-setup-2.4.6.exe"
    );
    let dta = accept("antbryan-www/downthemall.metalink", 29);
    assert!(
        dta.warnings.is_empty(),
        "foreign attributes are ignored silently"
    );
    let good = accept("antbryan-www/goodmd5.metalink", 1);
    let url = &good.document.files[0].urls[0].url;
    assert!(
        !url.contains(char::is_whitespace),
        "URL text is trimmed: {url:?}"
    );
    let httpd = accept("antbryan-www/httpd-2.2.8.tar.gz.metalink", 1);
    assert_eq!(
        httpd.document.files[0].signatures[0].mediatype,
        "application/pgp-signature"
    );
    let old = accept("antbryan-www/metalink-0.2.0_tar_gz.metalink", 1);
    assert!(warned(&old, "hash type 'md4' is not supported"));
    for dated in [
        "antbryan-www/rfc3339.metalink",
        "antbryan-www/rfc822.metalink",
    ] {
        assert!(accept(dated, 1).document.published.is_some(), "{dated}");
    }
    let vlc = accept("antbryan-www/vlc-0.8.5.metalink", 1);
    assert!(
        vlc.document.files[0]
            .urls
            .iter()
            .all(|u| !u.url.contains("&amp;"))
    );
}

#[test]
fn aria2() {
    reject("aria2/base_uri.xml", "relative URL 'example.ext' ignored");
    let local = accept("aria2/local-metaurl.meta4", 1);
    let file = &local.document.files[0];
    assert_eq!(file.name, "t/README");
    assert!(file.metaurls.is_empty() && file.urls.len() == 1);
    let traversal = accept("aria2/metalink3-dirtraversal.xml", 1);
    assert!(warned(
        &traversal,
        "unsafe file name '../aria2-0.5.2.tar.bz2'"
    ));
    reject(
        "aria2/metalink4-dosdirtraversal.xml",
        "contains a backslash",
    );
    let grouped = accept("aria2/metalink4-groupbymetaurl.xml", 3);
    assert_eq!(grouped.document.files[0].metaurls[0].mediatype, "torrent");
    let full = accept("aria2/metalink4.xml", 1);
    let file = &full.document.files[0];
    assert!(warned(&full, "md5 hash"), "the 31-digit md5 is dropped");
    assert_eq!(
        file.strongest_hash().unwrap().algorithm,
        HashAlgorithm::Sha1
    );
    assert_eq!(file.pieces.len(), 2);
    assert_eq!(
        file.preferred_pieces().unwrap().algorithm,
        HashAlgorithm::Sha256
    );
    assert_eq!(file.metaurls[0].priority, 2);
    let v3 = accept("aria2/test.xml", 5);
    assert!(warned(&v3, "'notsupported' is not supported"));
    let torrent = v3
        .document
        .files
        .iter()
        .flat_map(|f| &f.metaurls)
        .next()
        .unwrap();
    assert_eq!(torrent.mediatype, "torrent");
}

#[test]
fn aria2_extra() {
    accept("aria2-extra/2files.metalink", 2);
    let session = accept("aria2-extra/serialize_session.meta4", 2);
    assert_eq!(session.document.files[1].name, "t/image.iso");
}

#[test]
fn aria2_inline_v4() {
    let dir = "aria2-inline-v4/aria2-inline";
    let at = |name: &str| format!("{dir}/{name}");
    reject(
        &at("v3-malformed-mismatched-tag.metalink"),
        "not well-formed XML",
    );
    reject(
        &at("v3-malformed-truncated.metalink"),
        "not well-formed XML",
    );
    let prefixed = accept(&at("v3-prefixed-namespace.metalink"), 1);
    assert_eq!(
        prefixed.document.files[0].size,
        Some(9_223_372_036_854_775_807)
    );
    reject(
        &at("v4-file-name-dotdot.meta4"),
        "unsafe file name '../doughnuts'",
    );
    reject(&at("v4-file-name-empty.meta4"), "the name is empty");
    reject(&at("v4-metaurl-name-dotdot.meta4"), "unsafe metaurl name");
    reject(
        &at("v4-metaurl-no-mediatype.meta4"),
        "<metaurl> has no mediatype",
    );
    assert!(
        accept(&at("v4-hash-no-type.meta4"), 1).document.files[0]
            .hashes
            .is_empty()
    );
    for name in ["v4-pieces-no-length.meta4", "v4-pieces-no-type.meta4"] {
        let parsed = accept(&at(name), 1);
        assert!(parsed.document.files[0].pieces.is_empty(), "{name}");
        assert!(warned(&parsed, "<pieces> has no"), "{name}");
    }
    let unsigned = accept(&at("v4-signature-no-mediatype.meta4"), 1);
    assert!(unsigned.document.files[0].signatures.is_empty());
    let big = accept(&at("v4-size-int64-max.meta4"), 1);
    assert_eq!(big.document.files[0].size, Some(i64::MAX as u64));
    let negative = accept(&at("v4-size-negative.meta4"), 1);
    assert_eq!(negative.document.files[0].size, None);
    for (name, priority) in [
        ("v4-url-priority-0.meta4", 1),
        ("v4-url-priority-999999.meta4", 999_999),
        ("v4-url-priority-1000000.meta4", 999_999),
        ("v4-url-priority-nonnumeric.meta4", 999_999),
    ] {
        let parsed = accept(&at(name), 1);
        assert_eq!(
            parsed.document.files[0].urls[0].priority, priority,
            "{name}"
        );
        assert_eq!(
            parsed.warnings.is_empty(),
            name.contains("999999"),
            "{name}"
        );
    }
}

#[test]
fn curl() {
    let strongest = accept("curl/test2008.metalink", 1);
    let hashes = &strongest.document.files[0].hashes;
    assert_eq!(hashes.len(), 1);
    assert_eq!(hashes[0].algorithm, HashAlgorithm::Sha256);
    accept("curl/test2011.metalink", 1);
    assert!(
        accept("curl/test2012.metalink", 1).document.files[0]
            .hashes
            .is_empty()
    );
    let refused = [
        ("curl/test2013.metalink", "absolute path"),
        ("curl/test2014.metalink", "'.' or '..'"),
        ("curl/test2015.metalink", "'.' or '..'"),
        ("curl/test2016.metalink", "'.' or '..'"),
        ("curl/test2017.metalink", "starts with '~'"),
        ("curl/test2018.metalink", "starts with '.'"),
        ("curl/test2019.metalink", "'.' or '..'"),
        ("curl/test2020.metalink", "'.' or '..'"),
        ("curl/test2021.metalink", "'>'"),
        ("curl/test2022.metalink", "'|'"),
    ];
    for (name, reason) in refused {
        reject(name, reason);
    }
}

#[test]
fn libmetalink() {
    let libo = accept("libmetalink/LibO_3.5.4_Win_x86_install_multi.msi.meta4", 1);
    let file = &libo.document.files[0];
    assert_eq!(file.urls.len(), 76);
    assert_eq!(file.pieces[0].count(), 808);
    assert!(
        file.publisher.is_none(),
        "v3-style publisher under <metalink> is ignored"
    );
    let test1 = accept("libmetalink/test1.xml", 4);
    assert!(warned(&test1, "<file> has no name"));
    assert!(warned(&test1, "unsafe file name '../unsafe'"));
    let test2 = accept("libmetalink/test2.xml", 4);
    assert_eq!(test2.document.published.unwrap().0, 1_242_356_003);
    assert!(test2.document.dynamic);
    let badpri = test2
        .document
        .files
        .iter()
        .find(|f| f.name == "badpri")
        .unwrap();
    assert_eq!(badpri.urls[0].priority, 1);
    let no_priority = &test2.document.files[1].urls[1];
    assert_eq!(no_priority.priority, 999_999);
    let ubuntu = accept("libmetalink/ubuntu-12.04-server-amd64.metalink", 1);
    let torrent = &ubuntu.document.files[0].metaurls[0];
    assert_eq!(
        torrent.priority, 1,
        "preference 200 is clamped to 100, the best"
    );
}

#[test]
fn librepo() {
    let good = accept("librepo/metalink_good_01", 1);
    let file = &good.document.files[0];
    assert_eq!(file.timestamp, Some(1_337_942_396));
    assert_eq!(file.size, Some(4309));
    assert_eq!(file.hashes.len(), 4);
    assert_eq!(file.urls.len(), 106);
    accept("librepo/metalink_good_02", 3);
    reject("librepo/metalink_good_03", "has no usable URL");
    let bad = accept("librepo/metalink_bad_01", 1);
    let file = &bad.document.files[0];
    assert_eq!((file.timestamp, file.size), (None, None));
    assert_eq!(file.hashes.len(), 3);
    assert_eq!(file.urls.len(), 3, "the empty <url/> is dropped");
    assert_eq!(
        file.urls[0].priority, 100,
        "preference 'foobar' is the lowest"
    );
    reject("librepo/metalink_bad_02", "has no usable URL");
    accept("librepo/metalink_really_bad_01", 2);
    reject("librepo/metalink_really_bad_02", "not well-formed XML");
    reject("librepo/metalink_really_bad_03", "no usable file");
    let alternates = accept("librepo/metalink_with_alternates", 1);
    assert_eq!(alternates.document.files[0].alternates.len(), 1);
    assert_eq!(alternates.document.files[0].alternates[0].hashes.len(), 4);
    // The download-test documents bind mm0 to a wrong URI; the prefix still counts.
    let unchecked = accept("librepo/badchecksum.xml", 1);
    assert!(warned(&unchecked, "mm0: prefix bound to"));
    accept("librepo/badfilename.xml", 1);
    accept("librepo/badfirsturl.xml", 1);
    accept("librepo/firsturlhascorruptedfiles.xml", 1);
    let alt = accept("librepo/metalink_with_alternates.xml", 1);
    let file = &alt.document.files[0];
    assert!(file.hashes.is_empty(), "every main hash is 'bad'");
    assert_eq!(file.alternates[0].hashes.len(), 4);
    let mirrors = accept("librepo/mirrors_01.xml", 1);
    let priorities: Vec<u32> = mirrors.document.files[0]
        .urls
        .iter()
        .map(|u| u.priority)
        .collect();
    assert_eq!(priorities, [1, 51, 91]);
    reject("librepo/nourls.xml", "has no usable URL");
    accept("librepo/varsub.xml", 1);
}

#[test]
fn libzypp() {
    let v3 = accept("libzypp/openSUSE-11.3-NET-i586.iso.metalink", 1);
    let v4 = accept("libzypp/openSUSE-11.3-NET-i586.iso.meta4", 1);
    let (a, b) = (&v3.document.files[0], &v4.document.files[0]);
    assert_eq!(a.urls.len(), 94);
    assert_eq!(a.pieces[0].count(), 459);
    assert_eq!(a.pieces, b.pieces, "the same piece hashes in both formats");
    assert_eq!(a.size, b.size);
    let mut hashes_a = a.hashes.clone();
    let mut hashes_b = b.hashes.clone();
    hashes_a.sort_by_key(|h| h.algorithm);
    hashes_b.sort_by_key(|h| h.algorithm);
    assert_eq!(hashes_a, hashes_b);
    let other = accept("libzypp/other.xml.gz.meta4", 1);
    let file = &other.document.files[0];
    assert!(warned(&other, "hash type 'zsync' is not supported"));
    assert_eq!(file.pieces.len(), 1);
    assert_eq!(file.pieces[0].count(), 246);
    assert_eq!(file.urls.len(), 103);
    assert_eq!(file.urls[0].max_connections, Some(10));
    accept("libzypp/metalink.xml", 1);
}

#[test]
fn metalink_checker() {
    let dir = "metalink-checker";
    let subdir = accept(&format!("{dir}/1_create_subdir.meta4"), 1);
    assert_eq!(subdir.document.files[0].name, "subdir/curl-7.46.0.tar.bz2");
    let empty_size = accept(&format!("{dir}/1_empty_size.meta4"), 1);
    assert_eq!(empty_size.document.files[0].size, None);
    accept(
        &format!("{dir}/1_fail_bad_directory_and_network_errors.meta4"),
        1,
    );
    accept(&format!("{dir}/1_metalink_three_files.meta4"), 3);
    assert!(
        accept(&format!("{dir}/1_no_checksums.meta4"), 1)
            .document
            .files[0]
            .hashes
            .is_empty()
    );
    let bad_md5 = accept(
        &format!("{dir}/2_fail_metalink_one_file_bad_main_md5.meta4"),
        1,
    );
    assert!(warned(&bad_md5, "md5 hash"));
    accept(
        &format!("{dir}/3_fail_bad_only_advanced_checksums.meta4"),
        1,
    );
    accept(&format!("{dir}/3_metalink_bad_piece1and2.meta4"), 1);
    let p2p = accept(&format!("{dir}/4_only_p2p.meta4"), 1);
    assert!(p2p.document.files[0].urls[0].url.starts_with("ed2k://"));
    let login = accept(&format!("{dir}/http-login.metalink"), 1);
    assert!(
        login.document.files[0]
            .urls
            .iter()
            .any(|u| u.url.contains('@'))
    );
}

#[test]
fn corpus_round_trips_through_the_writer() {
    // Every accepted corpus document, written as Metalink 4 and read back, is the same
    // model (v3 documents become v4, so the version is compared apart).
    for path in walk(&corpus_dir()) {
        let relative = path
            .strip_prefix(corpus_dir())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let Ok(first) = metalink::parse(&load(&relative)) else {
            continue;
        };
        let written = metalink::write(&first.document);
        let second = metalink::parse(written.as_bytes()).unwrap_or_else(|e| {
            panic!("{relative}: the written document is rejected: {e}\n{written}")
        });
        assert!(
            second.warnings.is_empty(),
            "{relative}: {:?}",
            second.warnings
        );
        let mut expected = first.document.clone();
        expected.version = metalink::Version::V4;
        assert_eq!(second.document, expected, "{relative}");
    }
}
