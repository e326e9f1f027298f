//! Parse speed on a large generated document: `bench/parse.sh` runs this in release mode.
//!
//! The document has one file with 100 000 mirror URLs and 50 000 SHA-256 piece hashes,
//! about 10 MB, the size of the biggest real metalinks (a distribution ISO's full mirror
//! list with fine-grained pieces).

use std::fmt::Write;
use std::time::Instant;

fn document(mirrors: usize, pieces: usize) -> String {
    let piece_length = 262_144u64;
    let mut doc = String::with_capacity(12 << 20);
    doc.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    doc.push_str("<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">\n");
    doc.push_str("  <file name=\"iso/big-dvd.iso\">\n");
    let _ = writeln!(doc, "    <size>{}</size>", piece_length * pieces as u64);
    let _ = writeln!(doc, "    <hash type=\"sha-256\">{}</hash>", "ab".repeat(32));
    let _ = writeln!(
        doc,
        "    <pieces length=\"{piece_length}\" type=\"sha-256\">"
    );
    for i in 0..pieces {
        let _ = writeln!(
            doc,
            "      <hash>{:064x}</hash>",
            i as u128 * 0x9e37_79b9_7f4a_7c15
        );
    }
    doc.push_str("    </pieces>\n");
    const COUNTRIES: [&str; 8] = ["de", "us", "fr", "jp", "br", "gb", "nl", "se"];
    for i in 0..mirrors {
        let _ = writeln!(
            doc,
            "    <url location=\"{}\" priority=\"{}\">http://mirror{i}.example.org/pub/iso/big-dvd.iso</url>",
            COUNTRIES[i % COUNTRIES.len()],
            i % 100 + 1
        );
    }
    doc.push_str("  </file>\n</metalink>\n");
    doc
}

fn main() {
    let doc = document(100_000, 50_000);
    let runs = 10;
    let mut best = f64::MAX;
    let mut total = 0.0;
    for _ in 0..runs {
        let start = Instant::now();
        let parsed = braid::metalink::parse(doc.as_bytes()).expect("the generated document parses");
        let seconds = start.elapsed().as_secs_f64();
        assert_eq!(parsed.document.files[0].urls.len(), 100_000);
        assert_eq!(parsed.document.files[0].pieces[0].count(), 50_000);
        best = best.min(seconds);
        total += seconds;
    }
    let mb = doc.len() as f64 / 1e6;
    println!(
        "parse {mb:.1} MB (100000 mirrors, 50000 pieces): best {:.0} ms, mean {:.0} ms over {runs} runs, {:.0} MB/s",
        best * 1e3,
        total / runs as f64 * 1e3,
        mb / best
    );
}
