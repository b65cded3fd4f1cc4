//! `rawcap trace` golden output on a small file.
//! Regenerate with `UPDATE_GOLDEN=1 cargo test --test trace`.

#[path = "output_support/frames.rs"]
mod frames;

use std::process::Command;

#[test]
fn trace_golden() {
    let frames = frames::frames();
    // An HTTP SYN, an SSH SYN, an IPv6 SYN, an ARP request and a frame cut
    // in its TCP options.
    let pick: Vec<_> = [0usize, 7, 14, 29, frames.len() - 3]
        .iter()
        .map(|&i| frames::Frame {
            data: frames[i].data.clone(),
            wire_len: frames[i].wire_len,
            label: frames[i].label,
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("rawcap-trace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("small.pcap");
    std::fs::write(&f, frames::pcap(&pick)).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_rawcap"))
        .args(["trace", "-r"])
        .arg(&f)
        .args(["tcp", "port", "80", "or", "arp"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got = String::from_utf8(o.stdout).unwrap();
    let golden = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/trace_tcp_port_80_or_arp.txt"
    );
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden, &got).unwrap();
    }
    let want = std::fs::read_to_string(golden).unwrap();
    assert_eq!(got, want, "trace output differs from {golden}");
}
