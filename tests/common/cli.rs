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
