//! The compile mode on the real compiler: `-O`, `-y`, `--dot`, and the
//! acceptance example `rawcap -d 'tcp port 80 and'`.

#[path = "common/cli.rs"]
mod cli;
use cli::{rawcap, stdout_of};

#[path = "common/netns.rs"]
mod netns;

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

/// `tcpdump -d 'ip protochain 6'` (libpcap 1.10.3): a loop, `ja 4` at 19.
const LIBPCAP_IP_PROTOCHAIN_6: &str = "\
(000) ldh      [12]
(001) jeq      #0x800           jt 2\tjf 23
(002) ldb      [23]
(003) ldxb     4*([14]&0xf)
(004) jeq      #0x6             jt 20\tjf 5
(005) jeq      #0x3b            jt 20\tjf 6
(006) add      #0
(007) jeq      #0x33            jt 8\tjf 20
(008) txa      
(009) ldb      [x + 14]
(010) st       M[0]
(011) txa      
(012) add      #1
(013) tax      
(014) ldb      [x + 14]
(015) add      #2
(016) mul      #4
(017) tax      
(018) ld       M[0]
(019) ja       4
(020) add      #0
(021) jeq      #0x6             jt 22\tjf 23
(022) ret      #262144
(023) ret      #0
";

#[test]
fn protochain_is_libpcaps_loop_without_i() {
    assert_eq!(
        stdout_of(&["-d", "ip protochain 6"]),
        LIBPCAP_IP_PROTOCHAIN_6
    );
    // -ddd prints the backward offset as tcpdump does: 2^32 - 16.
    let ddd = stdout_of(&["-ddd", "ip protochain 6"]);
    assert!(ddd.contains("\n5 0 0 4294967280\n"), "{ddd}");
}

#[test]
fn protochain_on_an_interface_is_a_forward_walk() {
    // `-i` asks the device its link type, as tcpdump does: that needs CAP_NET_RAW.
    if !netns::privileged("protochain_on_an_interface_is_a_forward_walk") {
        return;
    }
    // What a live capture attaches: forward jumps only, so no `ja` goes back.
    let kernel = stdout_of(&["-i", "lo", "-d", "ip protochain 6"]);
    assert_eq!(kernel.lines().count(), 253, "{kernel}");
    for line in kernel.lines().filter(|l| l.contains(" ja ")) {
        let pc: usize = line[1..4].parse().unwrap();
        let to: usize = line.rsplit(' ').next().unwrap().parse().unwrap();
        assert!(to > pc, "{line}");
    }
}

#[test]
fn dash_y_with_an_interface_must_be_what_it_delivers() {
    if !netns::privileged("dash_y_with_an_interface_must_be_what_it_delivers") {
        return;
    }
    // tcpdump 4.99.3: "LINUX_SLL is not one of the DLTs supported by this device".
    let out = rawcap(&["-i", "lo", "-y", "LINUX_SLL", "-d", "ip"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("rawcap: LINUX_SLL is not one of the DLTs supported by this device"),
        "{err}"
    );
    let out = rawcap(&["-i", "lo", "-y", "LINUX_SLL", "-c", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not one of the DLTs"));
    assert!(stdout_of(&["-i", "lo", "-y", "EN10MB", "-d", "ip"]).starts_with("(000) ldh      [12]"));
}
