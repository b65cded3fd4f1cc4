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

/// Runs rawcap with at most 1 GiB of address space (so a build without the
/// bound fails here instead of eating the machine's memory) and at most 60 s.
fn rawcap_limited(args: &[&str]) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rawcap"));
    cmd.args(args);
    // SAFETY: setrlimit is async-signal-safe and touches no memory of the
    // parent; the limit value lives on this closure's stack.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 1 << 30,
                rlim_max: 1 << 30,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let started = std::time::Instant::now();
    let out = cmd.output().expect("run rawcap");
    assert!(started.elapsed().as_secs() < 60, "{args:?} took too long");
    out
}

#[test]
fn a_filter_file_is_bounded_and_errors_echo_little() {
    let dir = std::env::temp_dir().join(format!("rawcap-cli-dump-F-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // /dev/zero and a 5 MB file: refused at 1 MiB, saying so, in one line.
    let big = dir.join("big.filter");
    std::fs::write(&big, vec![b'x'; 5 << 20]).unwrap();
    for f in ["/dev/zero", big.to_str().unwrap()] {
        let out = rawcap_limited(&["-d", "-F", f]);
        assert_eq!(out.status.code(), Some(1), "{f}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{f}: {err}");
        assert!(err.contains("larger than 1048576 bytes"), "{f}: {err}");
    }
    // Under the bound, a bad 900 KB token with control bytes: the message
    // shows a bounded, escaped piece of it.
    let token = dir.join("token.filter");
    let mut text = b"tcp and ".to_vec();
    text.extend(std::iter::repeat_n(b'\x1b', 900 << 10));
    std::fs::write(&token, &text).unwrap();
    let out = rawcap_limited(&["-d", "-F", token.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.len() < 1024,
        "{} bytes of error",
        out.stderr.len()
    );
    assert!(
        !out.stderr.contains(&0x1b),
        "a raw ESC reached the terminal"
    );
    // Flag values are echoed escaped and bounded too.
    let long = format!("\x1b[31m{}", "9".repeat(100_000));
    let out = rawcap(&["-d", "-c", &long, "ip"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.len() < 256,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.stderr.contains(&0x1b));
    let _ = std::fs::remove_dir_all(&dir);
}
