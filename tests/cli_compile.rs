//! The compile mode on the real compiler: `-O`, `-y`, `--dot`, and the
//! acceptance example `rawcap -d 'tcp port 80 and'`.

#[path = "common/cli.rs"]
mod cli;
use cli::{rawcap, stdout_of};

#[test]
fn a_dangling_and_is_refused_with_a_caret_at_the_end() {
    let out = rawcap(&["-d", "tcp port 80 and"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].starts_with("rawcap: syntax error"), "{err}");
    assert_eq!(lines[1], "  tcp port 80 and");
    assert_eq!(lines[2], format!("  {}^", " ".repeat(15)));
}

#[test]
fn dash_capital_o_prints_libpcaps_unoptimized_program() {
    // `tcpdump -y EN10MB -O -ddd 'ip and tcp'` (libpcap 1.10.3).
    let want = "16\n40 0 0 12\n21 0 13 2048\n40 0 0 12\n21 0 2 2048\n48 0 0 23\n21 8 0 6\n\
                40 0 0 12\n21 0 7 34525\n48 0 0 20\n21 4 0 6\n48 0 0 20\n21 0 3 44\n\
                48 0 0 54\n21 0 1 6\n6 0 0 262144\n6 0 0 0\n";
    let got = stdout_of(&["-O", "-ddd", "ip and tcp"]);
    let words = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
    assert_eq!(words(&got), words(want));
    let optimized = stdout_of(&["-ddd", "ip and tcp"]);
    let n = |s: &str| {
        s.lines()
            .next()
            .and_then(|l| l.parse::<usize>().ok())
            .unwrap_or(0)
    };
    assert!(n(&optimized) < n(&got), "{optimized}");
}

#[test]
fn dash_y_selects_the_link_type() {
    let sll = stdout_of(&["-y", "LINUX_SLL", "-d", "ip"]);
    assert!(sll.starts_with("(000) ldh      [14]"), "{sll}");
    let raw = stdout_of(&["-y", "RAW", "-d", "ip"]);
    assert!(raw.starts_with("(000) ldb      [0]"), "{raw}");
}

#[test]
fn dot_prints_the_graph() {
    let dot = stdout_of(&["--dot", "tcp port 80"]);
    assert!(dot.starts_with("digraph filter {"), "{dot}");
    assert!(dot.contains("ret #262144"), "{dot}");
    assert!(dot.trim_end().ends_with('}'));
}
