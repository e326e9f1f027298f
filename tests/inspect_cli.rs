//! `braid inspect` as a user runs it: the JSON shape, the exit codes and the one-line
//! error for rejected documents.

use std::path::PathBuf;
use std::process::Command;

fn corpus(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(relative)
}

fn braid(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_braid"))
        .args(args)
        .env("LANG", "C")
        .output()
        .expect("braid runs")
}

#[test]
fn json_has_exactly_the_documented_shape() {
    let path = corpus("aria2/metalink4.xml");
    let out = braid(&["inspect".as_ref(), "--json".as_ref(), path.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&json), ["files", "version", "warnings"]);
    assert_eq!(json["version"], 4);
    let file = &json["files"][0];
    assert_eq!(
        keys(file),
        [
            "hashes",
            "languages",
            "metaurls",
            "name",
            "os",
            "pieces",
            "signature",
            "signatures",
            "size",
            "unused_urls",
            "urls"
        ]
    );
    assert_eq!(file["name"], "example.ext");
    assert_eq!(file["size"], 786_430);
    assert_eq!(file["pieces"]["type"], "sha-256");
    assert_eq!(file["pieces"]["length"], 262_144);
    assert_eq!(file["pieces"]["count"], 3);
    assert!(file["hashes"]["sha-1"].as_str().unwrap().len() == 40);
    assert!(
        file["hashes"].get("md5").is_none(),
        "the bad md5 is dropped"
    );
    assert_eq!(
        file["urls"][0]["location"], "fr",
        "HTTP before FTP at equal priority"
    );
    assert_eq!(file["urls"][1]["url"], "ftp://ftp.example.com/example.ext");
    assert_eq!(file["unused_urls"], serde_json::json!([]));
    assert_eq!(keys(&file["urls"][0]), ["location", "priority", "url"]);
    assert_eq!(keys(&file["metaurls"][0]), ["mediatype", "priority", "url"]);
    assert_eq!(file["languages"][0], "en");
    assert_eq!(file["signature"], true);
    let warning = json["warnings"][0].as_str().unwrap();
    assert!(warning.starts_with("line "), "{warning}");
}

#[test]
fn urls_are_listed_in_the_order_braid_tries_them() {
    let path = corpus("libmetalink/test2.xml");
    let out = braid(&["inspect".as_ref(), "--json".as_ref(), path.as_os_str()]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = &json["files"][1];
    let priorities: Vec<u64> = file["urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["priority"].as_u64().unwrap())
        .collect();
    assert_eq!(
        priorities,
        [1, 99, 999_999],
        "by priority, the ftp mirror first"
    );
    assert!(
        file["urls"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("ftp://")
    );
    assert!(file["size"].is_u64());
    let no_size = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "NoVerificationHash")
        .unwrap();
    assert!(no_size["size"].is_null());
    assert!(no_size["pieces"].is_null());
}

#[test]
fn rejected_documents_exit_non_zero_with_one_line() {
    let path = corpus("curl/test2015.metalink");
    let out = braid(&["inspect".as_ref(), path.as_os_str()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("unsafe file name '../tests/log/download%TESTNUMBER'"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());

    let broken = corpus("antbryan-www/FC-5-i386-disc1.iso.metalink");
    let out = braid(&["inspect".as_ref(), "--json".as_ref(), broken.as_os_str()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1463"));

    let out = braid(&["inspect".as_ref(), "/nonexistent/x.meta4".as_ref()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/x.meta4"));
}

#[test]
fn human_summary_reads_well() {
    let path = corpus("libmetalink/LibO_3.5.4_Win_x86_install_multi.msi.meta4");
    let out = braid(&["inspect".as_ref(), path.as_os_str()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Metalink 4 document, 1 file, made by MirrorBrain/2.17.0"),
        "{text}"
    );
    assert!(text.contains("verified:  sha-256"), "{text}");
    assert!(
        text.contains("pieces:    808 × 256.0 KiB (sha-1)"),
        "{text}"
    );
    assert!(text.contains("mirrors:   76 in ar, at"), "{text}");
}

#[test]
fn mirrors_braid_does_not_use_are_listed_as_unused() {
    let path = corpus("librepo/metalink_good_01");
    let out = braid(&["inspect".as_ref(), path.as_os_str()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("mirrors:   83 (49 HTTP, 34 FTP) in ca, cr, us, tried in this order:"),
        "{text}"
    );
    assert!(
        text.contains(
            "unused:    23 rsync (listed, but Braid downloads only over http, https, ftp, ftps)"
        ),
        "{text}"
    );

    let p2p = corpus("metalink-checker/1_no_checksums.meta4");
    let out = braid(&["inspect".as_ref(), "--json".as_ref(), p2p.as_os_str()]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = &json["files"][0];
    let unused = file["unused_urls"].as_array().unwrap();
    assert_eq!(unused.len(), 1);
    assert!(unused[0]["url"].as_str().unwrap().starts_with("ed2k://"));
    let last = file["urls"].as_array().unwrap().last().unwrap().clone();
    assert!(
        last["url"].as_str().unwrap().starts_with("ftp://"),
        "the FTP mirror is tried after the HTTP one of the same priority: {last}"
    );

    let only_p2p = corpus("metalink-checker/4_only_p2p.meta4");
    let out = braid(&["inspect".as_ref(), only_p2p.as_os_str()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("the document offers only ed2k"), "{stderr}");
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("mirrors:   none Braid downloads from")
    );
}
