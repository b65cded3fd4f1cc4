//! `rawcap -d/-dd/-ddd` prints byte for byte what tcpdump 4.99 prints.
//!
//! The expected text is tcpdump's own output, committed in
//! `tests/data/tcp_port_80.{d,dd,ddd}.txt` (see tests/data/bpf_fixtures.md).

#[path = "common/cli.rs"]
mod cli;
use cli::{rawcap, stdout_of};

#[test]
fn d_dd_ddd_match_tcpdump() {
    let cases = [
        ("-d", include_str!("data/tcp_port_80.d.txt")),
        ("-dd", include_str!("data/tcp_port_80.dd.txt")),
        ("-ddd", include_str!("data/tcp_port_80.ddd.txt")),
    ];
    for (flag, tcpdump) in cases {
        assert_eq!(stdout_of(&[flag, "tcp port 80"]), tcpdump, "rawcap {flag}");
    }
}

#[test]
fn expression_words_are_joined_and_normalised() {
    let want = include_str!("data/tcp_port_80.d.txt");
    assert_eq!(stdout_of(&["-d", "tcp", "port", "80"]), want);
    assert_eq!(
        stdout_of(&["-d", "-y", "EN10MB", "  tcp   port\t80 "]),
        want
    );
}

#[test]
fn filter_file_is_read_with_comments() {
    let path = std::env::temp_dir().join(format!("rawcap-cli-dump-{}.txt", std::process::id()));
    std::fs::write(&path, "tcp # the protocol\n  port 80\n").expect("write filter file");
    let out = stdout_of(&["-ddd", "-F", path.to_str().expect("utf-8 temp path")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out, include_str!("data/tcp_port_80.ddd.txt"));
}

#[test]
fn snaplen_sets_the_accept_return() {
    let out = stdout_of(&["-d", "-s", "100", "tcp port 80"]);
    let want = include_str!("data/tcp_port_80.d.txt").replace("ret      #262144", "ret      #100");
    assert_eq!(out, want);
}

#[test]
fn other_expressions_are_refused_clearly() {
    // With the filter compiler merged, refusals are the compiler's own.
    let out = rawcap(&["-d", "udp", "port", "70000"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "rawcap: illegal port number 70000 > 65535\n  udp port 70000\n           ^^^^^"
    );
}
