//! Running the built `rawcap` binary and the oracle tools from tests.
#![allow(dead_code)]

use std::process::{Command, Output};

/// Runs the `rawcap` binary this test was built with.
pub fn rawcap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rawcap"))
        .args(args)
        .output()
        .expect("run rawcap")
}

/// `rawcap ARGS`'s standard output; fails the test when it exits non-zero.
pub fn stdout_of(args: &[&str]) -> String {
    let out = rawcap(args);
    assert!(
        out.status.success(),
        "rawcap {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Whether `name --version` runs (tcpdump, tshark: the oracles CI installs).
pub fn tool(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Runs `cmd` (output to files or nowhere: stdout and stderr are not
/// piped) and waits at most `secs` seconds; a command still running then
/// is killed (SIGKILL: tcpdump stuck in a filter loop ignores SIGTERM) and
/// the test fails.
pub fn status_within(cmd: &mut Command, secs: u64) -> std::process::ExitStatus {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} still running after {secs} s: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
