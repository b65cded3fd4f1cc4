//! The capture-file workflow against tcpdump on the same files: -A, -S, -K,
//! -#, local time, --count, -V, -L, --version, pcapng output read by
//! tcpdump, tshark and rawcap, and -C/-W rotation of a savefile (the same
//! file names and the same bytes as tcpdump's).

#[path = "common/cli.rs"]
mod cli;
use cli::{rawcap, tool};

use rawcap_corpus::build::{frame, MAC_A, MAC_B};
use rawcap_corpus::Frame;
use std::path::{Path, PathBuf};
use std::process::Command;

const SYN: u8 = 0x02;
const ACK: u8 = 0x10;
const PSH: u8 = 0x08;

/// A scratch directory of this test's own.
fn dir(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("rawcap-workflow-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A TCP exchange with text payloads (CR LF, lone CRs, control bytes), a
/// UDP datagram and an ICMP echo.
fn frames() -> Vec<Frame> {
    let (a, b) = ([198, 18, 0, 1], [198, 18, 0, 2]);
    let tcp = |from_a: bool, flags: u8, seq: u32, payload: &[u8]| {
        let (s, d, sp, dp) = if from_a {
            (a, b, 40000, 80)
        } else {
            (b, a, 80, 40000)
        };
        frame()
            .eth(MAC_A, MAC_B)
            .ipv4(s, d)
            .tcp(sp, dp)
            .flags(flags)
            .seq(seq)
            .bytes(payload)
            .build()
    };
    vec![
        tcp(true, SYN, 1000, b""),
        tcp(false, SYN | ACK, 5000, b""),
        tcp(true, ACK, 1001, b""),
        tcp(
            true,
            ACK | PSH,
            1001,
            b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n",
        ),
        tcp(
            false,
            ACK | PSH,
            5001,
            b"HTTP/1.1 200 OK\r\nX: a\rb\r\r\n\x01\x02\xffbody\tend\r\n",
        ),
        frame()
            .eth(MAC_A, MAC_B)
            .ipv4(a, b)
            .udp(5000, 6000)
            .bytes(b"\x12\x34hello")
            .build(),
        frame()
            .eth(MAC_A, MAC_B)
            .ipv4(a, b)
            .icmp(8, 0)
            .bytes(b"ping payload")
            .build(),
    ]
}

fn write_pcap(dir: &Path, name: &str, frames: &[Frame]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, rawcap_corpus::to_pcap_bytes(frames)).unwrap();
    p
}

/// `cmd ARGS` with TZ set; stdout, asserting success.
fn run_tz(cmd: &str, tz: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).env("TZ", tz).output().unwrap();
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether tcpdump is here to compare with (says so when not).
fn oracle() -> bool {
    let here = tool("tcpdump");
    if !here {
        println!("skipped: tcpdump is not installed");
    }
    here
}

fn ours() -> &'static str {
    env!("CARGO_BIN_EXE_rawcap")
}

#[test]
fn ascii_sequence_checksum_and_number_flags_print_as_tcpdump() {
    if !oracle() {
        return;
    }
    let d = dir("flags");
    let f = write_pcap(&d, "flags.pcap", &frames());
    let f = f.to_str().unwrap();
    for flags in [
        &["-A"][..],
        &["-AA"],
        &["-A", "-e"],
        &["-S"],
        &["-v"],
        &["-vK"],
        &["-vvK"],
        &["-#"],
        &["--number", "-A"],
        &["-S", "-v", "-#"],
        &[
            "--absolute-tcp-sequence-numbers",
            "--dont-verify-checksums",
            "-vv",
        ],
        &["-A", "-x"],
        &["-X", "-A"],
        &["-q", "-A"],
    ] {
        let mut args = vec!["-n", "-r", f];
        args.extend_from_slice(flags);
        let theirs = run_tz("tcpdump", "UTC", &args);
        let ours = run_tz(ours(), "UTC", &args);
        assert_eq!(ours, theirs, "{flags:?}");
        assert!(!theirs.is_empty());
    }
    // The flags change what is printed (the comparisons above are not vacuous).
    let plain = run_tz(ours(), "UTC", &["-n", "-r", f]);
    for flag in ["-A", "-S", "-#"] {
        assert_ne!(
            run_tz(ours(), "UTC", &["-n", "-r", f, flag]),
            plain,
            "{flag}"
        );
    }
    let v = run_tz(ours(), "UTC", &["-n", "-v", "-r", f]);
    assert!(v.contains("cksum"), "{v}");
    // -K drops TCP's checksum check (ICMP's stays, as in tcpdump).
    assert!(v.contains(", cksum 0x"), "{v}");
    assert!(!run_tz(ours(), "UTC", &["-n", "-vK", "-r", f]).contains(", cksum 0x"));
}

#[test]
fn clock_times_are_local_as_tcpdump_prints_them() {
    if !oracle() {
        return;
    }
    let d = dir("tz");
    let f = write_pcap(&d, "tz.pcap", &frames());
    let f = f.to_str().unwrap();
    for tz in [
        "UTC",
        "America/New_York",
        "Asia/Kolkata",
        "Australia/Lord_Howe",
    ] {
        for t in [&[][..], &["-tttt"], &["-tt"], &["-ttt"]] {
            let mut args = vec!["-n", "-r", f];
            args.extend_from_slice(t);
            let theirs = run_tz("tcpdump", tz, &args);
            assert_eq!(run_tz(ours(), tz, &args), theirs, "TZ={tz} {t:?}");
        }
    }
    // Not UTC: 1,700,000,000 is 22:13:20 UTC, 17:13:20 in New York.
    let ny = run_tz(ours(), "America/New_York", &["-n", "-r", f]);
    assert!(ny.starts_with("17:13:20.000000 "), "{ny}");
}

#[test]
fn count_prints_only_the_number_and_v_reads_a_list_of_files() {
    if !oracle() {
        return;
    }
    let d = dir("count");
    let all = frames();
    let a = write_pcap(&d, "a.pcap", &all[..3]);
    let b = write_pcap(&d, "b.pcap", &all[3..]);
    let list = d.join("list");
    std::fs::write(&list, format!("{}\n{}\n", a.display(), b.display())).unwrap();
    let list = list.to_str().unwrap();
    for args in [
        &["-n", "--count", "-r", a.to_str().unwrap()][..],
        &["-n", "--count", "-V", list],
        &["-n", "-V", list],
        &["-n", "-V", list, "tcp"],
        &["-n", "-c", "4", "-V", list],
    ] {
        let theirs = run_tz("tcpdump", "UTC", args);
        assert_eq!(run_tz(ours(), "UTC", args), theirs, "{args:?}");
    }
    assert_eq!(
        run_tz(ours(), "UTC", &["--count", "-V", list]),
        "7 packets\n"
    );
    let e = rawcap(&["-V", list, "-r", a.to_str().unwrap()]);
    assert!(!e.status.success());
    assert_eq!(
        String::from_utf8_lossy(&e.stderr).trim(),
        "rawcap: -V and -r are mutually exclusive."
    );
}

#[test]
fn pcapng_output_reads_the_same_in_tcpdump_tshark_and_rawcap() {
    if !oracle() {
        return;
    }
    let d = dir("pcapng");
    let src = write_pcap(&d, "src.pcap", &frames());
    let src = src.to_str().unwrap();
    let by_name = d.join("out.pcapng");
    let by_flag = d.join("out.cap");
    for (out, extra) in [(&by_name, &[][..]), (&by_flag, &["--pcapng"][..])] {
        let mut args = vec!["-r", src, "-w", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        assert!(rawcap(&args).status.success());
        let bytes = std::fs::read(out).unwrap();
        assert_eq!(&bytes[..4], &[0x0a, 0x0d, 0x0d, 0x0a], "a pcapng section");
    }
    // The nanosecond form too.
    let nano = d.join("nano.pcapng");
    assert!(rawcap(&["--nano", "-r", src, "-w", nano.to_str().unwrap()])
        .status
        .success());
    let want = run_tz("tcpdump", "UTC", &["-n", "-tt", "-r", src]);
    for f in [&by_name, &by_flag] {
        let f = f.to_str().unwrap();
        assert_eq!(run_tz("tcpdump", "UTC", &["-n", "-tt", "-r", f]), want);
        assert_eq!(run_tz(ours(), "UTC", &["-n", "-tt", "-r", f]), want);
    }
    let nano_want = run_tz("tcpdump", "UTC", &["-n", "-tt", "--nano", "-r", src]);
    let nano = nano.to_str().unwrap();
    assert_eq!(
        run_tz("tcpdump", "UTC", &["-n", "-tt", "--nano", "-r", nano]),
        nano_want
    );
    if tool("tshark") {
        let fields = |f: &str| {
            let mut args = vec!["-r", f, "-T", "fields"];
            for field in "frame.time_epoch frame.len frame.cap_len ip.src ip.dst".split(' ') {
                args.extend_from_slice(&["-e", field]);
            }
            run_tz("tshark", "UTC", &args)
        };
        assert_eq!(fields(by_name.to_str().unwrap()), fields(src));
        let info = run_tz(
            "capinfos",
            "UTC",
            &["-t", "-E", "-c", by_name.to_str().unwrap()],
        );
        assert!(info.contains("pcapng"), "{info}");
        assert!(info.contains("Number of packets:   7"), "{info}");
    } else {
        println!("tshark is not installed: its half of the check skipped");
    }
}

/// Every file in `d` whose name starts with `prefix`, sorted.
fn files(d: &Path, prefix: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    v.sort();
    v
}

#[test]
fn size_rotation_names_and_fills_files_as_tcpdump() {
    if !oracle() {
        return;
    }
    let d = dir("rotate");
    // 3,000 frames of about 1,000 bytes: about 3 MB, so -C 1 makes 4 files.
    let big: Vec<Frame> = (0..3000u32)
        .map(|i| {
            frame()
                .eth(MAC_A, MAC_B)
                .ipv4([198, 18, 0, 1], [198, 18, 0, 2])
                .udp(1024 + (i % 100) as u16, 9)
                .payload(900 + (i % 50) as usize)
                .build()
        })
        .collect();
    let src = write_pcap(&d, "big.pcap", &big);
    let src = src.to_str().unwrap();
    for (name, extra) in [
        ("plain", &[][..]),
        ("ring", &["-W", "3"][..]),
        ("wide", &["-W", "12"][..]),
        ("one", &["-W", "1"][..]),
    ] {
        for tool_name in ["tcpdump", ours()] {
            let who = if tool_name == "tcpdump" { "t" } else { "r" };
            let base = d.join(format!("{name}-{who}-"));
            let mut args = vec!["-r", src, "-C", "1", "-w", base.to_str().unwrap()];
            args.extend_from_slice(extra);
            if who == "t" {
                // Debian's tcpdump run as root otherwise becomes user
                // tcpdump before it creates files.
                args.extend_from_slice(&["-Z", "root"]);
            }
            run_tz(tool_name, "UTC", &args);
        }
        let theirs = files(&d, &format!("{name}-t-"));
        let ours_ = files(&d, &format!("{name}-r-"));
        let strip = |v: &[String], p: &str| -> Vec<String> {
            v.iter()
                .map(|n| n.trim_start_matches(p).to_string())
                .collect()
        };
        assert_eq!(
            strip(&ours_, &format!("{name}-r-")),
            strip(&theirs, &format!("{name}-t-")),
            "{name}: file names"
        );
        assert!(!theirs.is_empty());
        for (t, o) in theirs.iter().zip(&ours_) {
            assert_eq!(
                std::fs::read(d.join(o)).unwrap(),
                std::fs::read(d.join(t)).unwrap(),
                "{name}: {o} differs from tcpdump's {t}"
            );
        }
    }
    // Without -W every frame is in exactly one file.
    let total: usize = files(&d, "plain-r-")
        .iter()
        .map(|f| {
            run_tz(ours(), "UTC", &["-n", "-r", d.join(f).to_str().unwrap()])
                .lines()
                .count()
        })
        .sum();
    assert_eq!(total, 3000);
    let bad = rawcap(&["-r", src, "-C", "0", "-w", "x"]);
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr).trim(),
        "rawcap: invalid file size 0"
    );
}

#[test]
fn list_link_types_and_version() {
    let lo = rawcap(&["-L", "-i", "lo"]);
    assert!(lo.status.success());
    assert_eq!(
        String::from_utf8_lossy(&lo.stdout),
        "Data link types for lo (use option -y to set):\n  EN10MB (Ethernet)\n"
    );
    // tcpdump 4.99.3's lists, as it prints them for these devices.
    let any = rawcap(&["--list-data-link-types", "--interface", "any"]);
    assert_eq!(
        String::from_utf8_lossy(&any.stdout),
        "Data link types for any (use option -y to set):\n  \
         LINUX_SLL (Linux cooked v1)\n  LINUX_SLL2 (Linux cooked v2)\n"
    );
    let v = rawcap(&["--version"]);
    let text = String::from_utf8_lossy(&v.stdout);
    assert!(
        text.starts_with(&format!("rawcap version {}\n", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    let j = rawcap(&["-J", "-i", "lo"]);
    assert_eq!(
        String::from_utf8_lossy(&j.stdout),
        "Time stamp types for lo (use option -j to set):\n  host (Host)\n"
    );
    let bad = rawcap(&["-j", "sundial", "-i", "lo"]);
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr).trim(),
        "rawcap: invalid time stamp type sundial"
    );
}
