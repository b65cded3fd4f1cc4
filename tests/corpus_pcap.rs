//! The packet corpus as a pcap savefile: written at test time (never committed)
//! to `target/corpus.pcap`, and read back by tcpdump when it is installed.

#[path = "common/cli.rs"]
mod cli;
#[path = "common/pcap_vm.rs"]
mod pcap_vm;

use rawcap::bpf::vm::{self, Meta};
use rawcap::filter::{self, Options, Target};
use std::path::PathBuf;
use std::process::Command;

/// Where the generated savefile goes (under cargo's target directory).
fn corpus_path() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    dir.join("corpus.pcap")
}

#[test]
fn corpus_pcap_is_read_back_by_tcpdump() {
    let frames = rawcap_corpus::frames();
    let bytes = rawcap_corpus::to_pcap_bytes(&frames);
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

/// `rawcap -r F -w OUT EXPR` writes the same bytes as `tcpdump -r F -w OUT
/// EXPR` for `protochain` (libpcap's loop, run by `bpf::vm`) and a few
/// ordinary filters, over the corpus savefile. Frames on which libpcap's
/// loop never ends (an AH header whose length leads back to itself: tcpdump
/// hangs there) are left out of tcpdump's input; rawcap reads the whole
/// corpus, ends, and rejects them.
#[test]
fn offline_filtering_selects_what_tcpdump_selects() {
    if Command::new("tcpdump").arg("--version").output().is_err() {
        println!("skipping: tcpdump is not on PATH");
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let frames = rawcap_corpus::frames();
    let user = Options {
        target: Target::Userspace,
        ..Options::default()
    };
    let exprs = [
        "ip6 protochain 6",
        "ip protochain 51",
        "protochain 17",
        "ip6 protochain 44 or tcp port 80",
        "not ip6 protochain 58",
        "tcp port 80",
    ];
    for expr in exprs {
        let prog = filter::compile(expr, &user).expect("compiles");
        let meta = Meta::default();
        let (ends, hangs): (Vec<_>, Vec<_>) = frames
            .iter()
            .cloned()
            .partition(|f| !pcap_vm::loops_forever(&prog, &f.data, f.wire_len, &meta));
        for f in &hangs {
            assert_eq!(vm::run(&prog, &f.data, f.wire_len, &meta), 0, "{}", f.label);
        }
        let src = dir.join("corpus-offline-filter.pcap");
        std::fs::write(&src, rawcap_corpus::to_pcap_bytes(&ends)).expect("write corpus");
        let run = |cmd: &str, out: &PathBuf| {
            let mut c = Command::new(cmd);
            c.arg("-r").arg(&src).arg("-w").arg(out).arg(expr);
            // A frame that makes libpcap loop for ever would hang tcpdump.
            let status = cli::status_within(&mut c, 120);
            assert!(status.success(), "{cmd} {expr}: {status}");
            std::fs::read(out).expect("read output")
        };
        let ours = run(env!("CARGO_BIN_EXE_rawcap"), &dir.join("ours.pcap"));
        let theirs = run("tcpdump", &dir.join("theirs.pcap"));
        assert!(ours.len() > 24, "{expr}: nothing selected");
        assert!(ours == theirs, "{expr}: -w outputs differ");
        println!(
            "{expr}: {} bytes, identical; {} frames where libpcap never ends left out",
            ours.len(),
            hangs.len()
        );
    }
}
