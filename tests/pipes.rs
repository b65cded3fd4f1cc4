//! Closed pipes in every mode (issue 14, item 2): a closed stdout ends the
//! run with tcpdump's status for an output it cannot write (14) and no
//! message when it was a pipe (`| head`); a closed stderr changes nothing
//! (tcpdump runs on); never a panic (101), never "Broken pipe" on stderr.
//! A savefile written to stdout (`-w -`) whose reader goes ends with 0, as
//! tcpdump's does; a savefile written to a file stays complete.
//!
//! "Closed" is the read end of a pipe closed before rawcap starts, so its
//! first write fails, or closed after the first line (`| head -1`).

#[path = "common/cli.rs"]
mod cli;

#[path = "common/netns.rs"]
mod netns;

#[path = "output_support/frames.rs"]
mod frames;

use std::io::{BufRead, BufReader};
use std::net::UdpSocket;
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_rawcap");

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("rawcap-pipes-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A pcap of `n` frames from the output corpus, named `tag`.
fn corpus(tag: &str, n: usize) -> String {
    let all = frames::frames();
    let pick: Vec<frames::Frame> = (0..n)
        .map(|i| {
            let f = &all[i % all.len()];
            frames::Frame {
                data: f.data.clone(),
                wire_len: f.wire_len,
                label: f.label,
            }
        })
        .collect();
    let p = dir().join(format!("{tag}.pcap"));
    std::fs::write(&p, frames::pcap(&pick)).unwrap();
    p.to_str().unwrap().to_string()
}

/// A pipe whose ends rawcap does not inherit (only the one given as its
/// stdout or stderr): (read, write).
fn pipe() -> (OwnedFd, OwnedFd) {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).expect("pipe2")
}

/// The write end of a pipe whose read end is already closed.
fn dead_pipe() -> OwnedFd {
    let (r, w) = pipe();
    drop(r);
    w
}

#[derive(Clone, Copy, Debug)]
enum Closed {
    Stdout,
    Stderr,
    /// `2>&1 | head`: both on the same closed pipe.
    Both,
}

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

/// Runs rawcap with `closed` on a pipe nobody reads; the other stream is captured.
fn run_closed(args: &[&str], closed: Closed) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args).stdin(Stdio::null());
    match closed {
        Closed::Stdout => cmd.stdout(dead_pipe()).stderr(Stdio::piped()),
        Closed::Stderr => cmd.stdout(Stdio::piped()).stderr(dead_pipe()),
        Closed::Both => {
            let w = dead_pipe();
            let w2 = w.try_clone().unwrap();
            cmd.stdout(w).stderr(w2)
        }
    };
    let o = cmd.output().expect("run rawcap");
    Run {
        status: o.status,
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// `rawcap ARGS | head -1` (with `2>&1` when `both`): the first line, then the status.
fn head_one(args: &[&str], both: bool) -> (String, ExitStatus, String) {
    let (r, w) = pipe();
    let mut cmd = Command::new(BIN);
    cmd.args(args).stdin(Stdio::null());
    let err_file = dir().join(format!("head-err-{}", args.len()));
    if both {
        cmd.stdout(w.try_clone().unwrap()).stderr(w);
    } else {
        cmd.stdout(w)
            .stderr(std::fs::File::create(&err_file).unwrap());
    }
    let mut child = cmd.spawn().expect("spawn");
    drop(cmd);
    let mut line = String::new();
    BufReader::new(std::fs::File::from(r))
        .read_line(&mut line)
        .unwrap();
    // The reader is gone once the File is dropped.
    let status = child.wait().unwrap();
    let err = if both {
        String::new()
    } else {
        std::fs::read_to_string(&err_file).unwrap_or_default()
    };
    (line, status, err)
}

/// No panic and no complaint about the pipe.
fn quiet(what: &str, stderr: &str) {
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert!(!stderr.contains("Broken pipe"), "{what}: {stderr}");
    assert!(!stderr.contains("os error"), "{what}: {stderr}");
}

#[test]
fn offline_and_trace_and_compile_end_with_14_on_a_closed_stdout() {
    let f = corpus("closed-stdout", 3000);
    let cases: &[&[&str]] = &[
        &["-nr", &f],
        &["-nr", &f, "-X", "tcp"],
        &["-r", &f, "--json"],
        &["trace", "-r", &f, "tcp"],
        &["-d", "tcp port 80"],
        &["-D"],
    ];
    for args in cases {
        for closed in [Closed::Stdout, Closed::Both] {
            let r = run_closed(args, closed);
            assert_eq!(
                r.status.code(),
                Some(14),
                "{args:?} {closed:?}: {}",
                r.stderr
            );
            quiet(&format!("{args:?}"), &r.stderr);
        }
        let (_, status, err) = head_one(args, false);
        assert!(
            matches!(status.code(), Some(0 | 14)),
            "{args:?}: {status:?} {err}"
        );
        quiet(&format!("{args:?} | head -1"), &err);
        let (_, status, _) = head_one(args, true);
        assert!(
            matches!(status.code(), Some(0 | 14)),
            "{args:?} 2>&1: {status:?}"
        );
    }
    // Enough output that the pipe's end is met mid-run: 14, quietly.
    let (first, status, err) = head_one(&["-nr", &f], false);
    assert!(first.starts_with("22:13:20."), "{first}");
    assert_eq!(status.code(), Some(14), "{err}");
    assert!(err.starts_with("reading from file "), "{err}");
    quiet("-nr | head -1", &err);
    let (first, status, _) = head_one(&["-nr", &f], true);
    assert!(first.starts_with("reading from file "), "{first}");
    assert_eq!(status.code(), Some(14));
    let (first, status, err) = head_one(&["trace", "-r", &f, "tcp"], false);
    assert_eq!(first, "filter: tcp\n");
    assert_eq!(status.code(), Some(14), "{err}");
    quiet("trace | head -1", &err);
}

#[test]
fn a_closed_stderr_changes_nothing() {
    let f = corpus("closed-stderr", 50);
    let out = dir().join("closed-stderr-out.pcap");
    let out = out.to_str().unwrap();
    for args in [
        &["-nr", &f][..],
        &["-nr", &f, "-c", "3", "udp"],
        &["trace", "-r", &f, "icmp"],
        &["-d", "ip"],
    ] {
        let want = cli::rawcap(args);
        assert!(want.status.success());
        let r = run_closed(args, Closed::Stderr);
        assert_eq!(r.status.code(), Some(0), "{args:?}");
        assert_eq!(r.stdout.as_bytes(), &want.stdout[..], "{args:?}");
    }
    // A savefile written meanwhile is whole.
    let r = run_closed(&["-r", &f, "-w", out], Closed::Stderr);
    assert_eq!(r.status.code(), Some(0));
    assert_eq!(std::fs::read(out).unwrap(), std::fs::read(&f).unwrap());
    // Errors still exit 1 (with nowhere to say why), never 101.
    for args in [
        &["-r", "/nonexistent/x.pcap"][..],
        &["-d", "tcp port 80 and"],
        &["-c", "0", "-r", &f],
    ] {
        let r = run_closed(args, Closed::Stderr);
        assert_eq!(r.status.code(), Some(1), "{args:?}");
        assert!(r.stdout.is_empty());
    }
}

#[test]
fn a_savefile_on_a_closed_stdout_ends_quietly_with_0() {
    let f = corpus("dash-w", 3000);
    for closed in [Closed::Stdout, Closed::Both] {
        let r = run_closed(&["-r", &f, "-w", "-"], closed);
        assert_eq!(r.status.code(), Some(0), "{closed:?}: {}", r.stderr);
        quiet("-w -", &r.stderr);
    }
}

#[test]
fn client_and_serve_end_with_14_on_a_closed_stdout() {
    use rawcap::client::{Mode, ServeOptions, Server};
    let opts = ServeOptions {
        mode: Mode::Http,
        count: Some(2),
        timeout: Some(Duration::from_secs(20)),
        ..ServeOptions::default()
    };
    let server = Server::bind("127.0.0.1:0", opts).unwrap();
    let target = server.local_addr().to_string();
    let serving = std::thread::spawn(move || server.run(|_| {}));
    for closed in [Closed::Stdout, Closed::Both] {
        let r = run_closed(&["client", &target, "--http", "/"], closed);
        assert_eq!(r.status.code(), Some(14), "{closed:?}: {}", r.stderr);
        quiet("client", &r.stderr);
    }
    serving.join().unwrap().unwrap();
    let r = run_closed(
        &["serve", "127.0.0.1:0", "--timeout", "0.2"],
        Closed::Stdout,
    );
    assert_eq!(r.status.code(), Some(14), "{}", r.stderr);
    quiet("serve", &r.stderr);
    let r = run_closed(
        &["serve", "127.0.0.1:0", "--timeout", "0.2"],
        Closed::Stderr,
    );
    assert_eq!(r.status.code(), Some(0));
    assert!(
        r.stdout.starts_with("Listening on 127.0.0.1:"),
        "{}",
        r.stdout
    );
}

/// Sends `n` UDP datagrams to 127.0.0.1:`port` every 20 ms on a thread, until `n`.
fn udp_to_lo(port: u16, n: usize) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let s = UdpSocket::bind("127.0.0.1:0").unwrap();
        for i in 0..n {
            let _ = s.send_to(&[i as u8; 32], ("127.0.0.1", port));
            std::thread::sleep(Duration::from_millis(20));
        }
    })
}

#[test]
fn live_on_lo_with_closed_pipes() {
    if !netns::privileged("live_on_lo_with_closed_pipes") {
        return;
    }
    // A port of our own, so other tests' loopback traffic does not count.
    let port = 40_000 + (std::process::id() % 20_000) as u16;
    let filter = format!("udp dst port {port}");
    let cases: [(&[&str], Closed, i32); 5] = [
        (&["-l", "-n"], Closed::Stdout, 14),
        (&["-l", "-n"], Closed::Both, 14),
        (&["-n", "-c", "3"], Closed::Stderr, 0),
        (&["-w", "-", "-U"], Closed::Stdout, 0),
        (&["-w", "-", "-U"], Closed::Both, 0),
    ];
    for (flags, closed, want) in cases {
        let mut args = vec!["-i", "lo", "--duration", "10"];
        args.extend_from_slice(flags);
        args.push(&filter);
        let traffic = udp_to_lo(port, 100);
        let started = std::time::Instant::now();
        let r = run_closed(&args, closed);
        traffic.join().unwrap();
        assert_eq!(
            r.status.code(),
            Some(want),
            "{args:?} {closed:?}: {}",
            r.stderr
        );
        quiet(&format!("{args:?}"), &r.stderr);
        if want == 14 || flags.contains(&"-w") {
            // Ended by the pipe, not by --duration.
            assert!(started.elapsed() < Duration::from_secs(8), "{args:?}");
        }
        if matches!(closed, Closed::Stderr) {
            assert_eq!(r.stdout.lines().count(), 3, "{}", r.stdout);
        }
    }
}

#[test]
fn the_binary_never_uses_the_panicking_print_macros() {
    // println!/eprintln! panic when stdout/stderr is a closed pipe; the
    // binary writes through cli::stdio (note!, Stdout) instead.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("main.rs")];
    for e in std::fs::read_dir(root.join("cli")).unwrap() {
        files.push(e.unwrap().path());
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for m in ["println!(", "eprintln!(", "print!(", "eprint!(", "dbg!("] {
                assert!(
                    !code.contains(m),
                    "{}:{}: {m} (use stdio::note! or stdio::Stdout)",
                    f.display(),
                    n + 1
                );
            }
        }
    }
}
