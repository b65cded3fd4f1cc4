//! rawcap's text output against tcpdump's, line by line, on the same file.

#[path = "output_support/frames.rs"]
mod frames;

use std::path::{Path, PathBuf};
use std::process::Command;

fn tool(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn write_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rawcap-output-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn run(cmd: &str, args: &[&str], file: &Path) -> Vec<String> {
    let out = Command::new(cmd)
        .args(args)
        .arg("-r")
        .arg(file)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{cmd} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Splits output into one string per packet (hex dump lines start with a tab).
fn packets(lines: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in lines {
        if (l.starts_with('\t') || l.starts_with("    ")) && !out.is_empty() {
            let last = out.last_mut().unwrap();
            last.push('\n');
            last.push_str(&l);
        } else {
            out.push(l);
        }
    }
    out
}

fn compare(flags: &[&str], file: &Path) -> f64 {
    let ours = packets(run(env!("CARGO_BIN_EXE_rawcap"), flags, file));
    let theirs = packets(run("tcpdump", flags, file));
    assert_eq!(ours.len(), theirs.len(), "packet count with {flags:?}");
    let mut same = 0;
    for (o, t) in ours.iter().zip(&theirs) {
        if o == t {
            same += 1;
        } else {
            println!("differs with {flags:?}:\n  rawcap:  {o}\n  tcpdump: {t}");
        }
    }
    let pct = 100.0 * same as f64 / ours.len() as f64;
    println!(
        "{flags:?}: {same}/{} packets print the same line ({pct:.1}%)",
        ours.len()
    );
    pct
}

#[test]
fn text_matches_tcpdump() {
    if !tool("tcpdump") {
        println!("skipped: tcpdump is not installed");
        return;
    }
    let frames = frames::frames();
    let file = write_file("frames.pcap", &frames::pcap(&frames));
    let mut failed = Vec::new();
    for flags in [
        &["-n"][..],
        &["-n", "-e"],
        &["-n", "-x"],
        &["-n", "-X"],
        &["-n", "-tt"],
        &["-n", "-q"],
        &[],
        &["-n", "-v"],
        &["-n", "-xx"],
        &["-n", "-XX"],
        &["-n", "-e", "-X"],
        &["-n", "-ttt"],
        &["-n", "-tttt"],
        &["-n", "-ttttt"],
        &["-n", "-q", "-e"],
    ] {
        let pct = compare(flags, &file);
        if pct < 90.0 {
            failed.push(format!("{flags:?}: only {pct:.1}% of lines match tcpdump"));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn json_lines_parse_with_jq() {
    if !tool("jq") {
        println!("skipped: jq is not installed");
        return;
    }
    let frames = frames::frames();
    let file = write_file("json.pcap", &frames::pcap(&frames));
    let out = Command::new(env!("CARGO_BIN_EXE_rawcap"))
        .args(["--json", "-r"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        frames.len()
    );
    let jq = |prog: &str| {
        let mut child = Command::new("jq")
            .args(["-c", prog])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&out.stdout).unwrap();
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "jq rejected rawcap's JSON");
        String::from_utf8(o.stdout).unwrap()
    };
    assert_eq!(
        jq("select(.http != null) | .http"),
        "\"GET /index.html HTTP/1.1\"\n\"HTTP/1.1 200 OK\"\n"
    );
    assert_eq!(
        jq("select(.net == \"arp\") | .arp_op"),
        "\"request\"\n\"reply\"\n"
    );
    // The SYN and its copy cut by a snapshot length.
    assert_eq!(
        jq("select(.tcp_flags == \"S\" and .dport == 80) | .src"),
        "\"198.18.0.1\"\n\"198.18.0.1\"\n"
    );
    assert_eq!(jq("select(.truncated != null) | .caplen"), "58\n58\n58\n");
}
