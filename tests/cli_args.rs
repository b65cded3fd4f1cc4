//! The command line read as tcpdump's getopt reads it: flags before, between
//! and after the expression's words, `--` ending the flags, combined short
//! flags with attached values, the last of a repeated flag winning; each
//! form run by rawcap and tcpdump side by side on the same file.

#[path = "common/cli.rs"]
mod cli;
use cli::{rawcap, tool};

#[path = "output_support/frames.rs"]
mod frames;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("rawcap-cli-args-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Every frame of the output corpus (TCP, UDP, ICMP, ARP, IPv6, VLAN) in
/// one pcap, named `tag` (one per test: tests run at once).
fn corpus_file(tag: &str) -> PathBuf {
    let f = dir().join(format!("{tag}.pcap"));
    std::fs::write(&f, frames::pcap(&frames::frames())).unwrap();
    f
}

fn tcpdump(args: &[&str]) -> Output {
    Command::new("tcpdump")
        .args(args)
        .env("TZ", "UTC")
        .output()
        .expect("run tcpdump")
}

fn show(o: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn flags_anywhere_print_what_tcpdump_prints() {
    let f = corpus_file("flags_anywhere_print_what_tcpdump_prints");
    let f = f.to_str().unwrap();
    let forms: &[&[&str]] = &[
        &["-nr", f, "icmp", "-c", "1"],
        &["-r", f, "tcp", "port", "80", "-n"],
        &["-r", f, "udp", "-c1", "-n"],
        &["-nnvvXs0", "-r", f, "-c1"],
        &["-c3", "-nr", f, "ip6"],
        &["-r", f, "not", "-n", "arp", "-c", "4"],
        &["-n", "-r", f, "-c", "1", "tcp", "-c", "2"],
        &["-n", "-r", f, "--", "icmp"],
        &["-ner", f, "vlan", "-q"],
    ];
    let oracle = tool("tcpdump");
    if !oracle {
        eprintln!("tcpdump not installed: checking only that rawcap accepts each form");
    }
    for args in forms {
        let ours = rawcap(args);
        assert!(ours.status.success(), "rawcap {args:?}: {}", show(&ours));
        assert!(!ours.stdout.is_empty(), "rawcap {args:?} printed nothing");
        if oracle {
            let theirs = tcpdump(args);
            assert!(
                theirs.status.success(),
                "tcpdump {args:?}: {}",
                show(&theirs)
            );
            assert_eq!(
                String::from_utf8_lossy(&ours.stdout),
                String::from_utf8_lossy(&theirs.stdout),
                "{args:?}"
            );
        }
    }
}

#[test]
fn write_flag_after_the_expression_writes_the_file() {
    let f = corpus_file("write_flag_after_the_expression_writes_the_file");
    let out = dir().join("after.pcap");
    let _ = std::fs::remove_file(&out);
    let o = rawcap(&[
        "-r",
        f.to_str().unwrap(),
        "tcp",
        "port",
        "80",
        "-w",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", show(&o));
    let read = rawcap(&["-nr", out.to_str().unwrap()]);
    let all = rawcap(&["-nr", f.to_str().unwrap(), "tcp", "port", "80"]);
    assert!(
        read.status.success() && !read.stdout.is_empty(),
        "{}",
        show(&read)
    );
    assert_eq!(read.stdout, all.stdout);
}

#[test]
fn forms_getopt_refuses_are_refused() {
    let f = corpus_file("forms_getopt_refuses_are_refused");
    let f = f.to_str().unwrap();
    let forms: &[&[&str]] = &[
        // After `--`, `-c 3` is expression text: a syntax error.
        &["-nr", f, "icmp", "--", "-c", "3"],
        // `-` alone is an expression word, and not a valid expression.
        &["-nr", f, "-"],
        // A flag's value is the next word, even one starting with `-`.
        &["-nr", f, "-c", "-1"],
        &["-nr", f, "-c", "0"],
        // An unknown flag, and a flag without its value.
        &["-nr", f, "-5"],
        &["-nr", f, "-c"],
        // A subcommand name after a flag is an expression word.
        &["-nr", f, "trace"],
    ];
    for args in forms {
        let ours = rawcap(args);
        assert_eq!(
            ours.status.code(),
            Some(1),
            "rawcap {args:?}: {}",
            show(&ours)
        );
        assert!(ours.stdout.is_empty(), "rawcap {args:?}: {}", show(&ours));
        if tool("tcpdump") {
            let theirs = tcpdump(args);
            assert_eq!(theirs.status.code(), Some(1), "tcpdump {args:?}");
        }
    }
    let err = String::from_utf8_lossy(&rawcap(&["-nr", f, "-c", "-1"]).stderr).into_owned();
    assert_eq!(err, "rawcap: invalid packet count -1\n");
}

#[test]
fn subcommands_take_flags_after_the_expression() {
    let f = corpus_file("subcommands_take_flags_after_the_expression");
    let o = rawcap(&["trace", "-r", f.to_str().unwrap(), "tcp", "-c", "2"]);
    assert!(o.status.success(), "{}", show(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.starts_with("filter: tcp\n"), "{text}");
    assert!(text.contains("\n2 packets, "), "{text}");
    assert!(Path::new(&f).exists());
}

#[test]
fn dash_y_unknown_or_inapplicable_is_an_error_in_every_mode() {
    let f = corpus_file("dash_y_unknown_or_inapplicable_is_an_error_in_every_mode");
    let f = f.to_str().unwrap();
    // Unknown: refused before anything is opened, whatever the mode (tcpdump:
    // "invalid data link type FOO").
    for args in [
        &["-y", "FOO", "-nr", f][..],
        &["-nr", f, "-y", "FOO", "-w", "/nonexistent/x.pcap"],
        &["-y", "FOO", "-d", "ip"],
        &["-y", "FOO", "-i", "nosuch0"],
        &["-y", "FOO", "-i", "lo", "-d"],
    ] {
        let o = rawcap(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", show(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.starts_with("rawcap: invalid data link type FOO"),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // Inapplicable to a file: its link type is not -y's.
    let o = rawcap(&["-y", "LINUX_SLL", "-nr", f]);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("has link type EN10MB"), "{err}");
    // The file's own link type is fine, and -d with -r compiles for it.
    let o = rawcap(&["-y", "EN10MB", "-nr", f, "-c", "1"]);
    assert!(o.status.success(), "{}", show(&o));
    let o = rawcap(&["-r", f, "-d", "ip"]);
    assert!(o.status.success(), "{}", show(&o));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("(000) ldh      [12]"));
}
