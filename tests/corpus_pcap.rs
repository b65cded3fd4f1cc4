//! The packet corpus as a pcap savefile: written at test time (never committed)
//! to `target/corpus.pcap`, and read back by tcpdump when it is installed.

use std::path::PathBuf;
use std::process::Command;

/// Where the generated savefile goes (under cargo's target directory).
fn corpus_path() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    dir.join("corpus.pcap")
}

#[test]
fn corpus_pcap_is_read_back_by_tcpdump() {
    let frames = rawcap::corpus::frames();
    let bytes = rawcap::corpus::to_pcap_bytes(&frames);
    let path = corpus_path();
    std::fs::write(&path, &bytes).expect("write corpus.pcap");
    println!(
        "corpus: {} frames, {} bytes -> {}",
        frames.len(),
        bytes.len(),
        path.display()
    );
    if Command::new("tcpdump").arg("--version").output().is_err() {
        println!("skipping the tcpdump read-back: tcpdump is not on PATH");
        return;
    }
    let out = Command::new("tcpdump")
        .arg("-r")
        .arg(&path)
        .arg("--count")
        .output()
        .expect("run tcpdump");
    assert!(
        out.status.success(),
        "tcpdump -r failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let want = format!("{} packets", frames.len());
    assert_eq!(
        text.trim(),
        want,
        "tcpdump read a different number of records"
    );
}
