//! rawcap's text against tcpdump 4.99.3's on the decode corpus, packet by
//! packet: tests/data/decode/NAME.pcap with tcpdump's output for -n, -nv,
//! -nvv and -ne committed next to it (scripts/gen-decode-fixtures.sh), so
//! the test needs no tcpdump.
//!
//! A packet is its line plus the lines after it up to the next packet's
//! timestamp. Per file and flag set the share of identical packets must
//! reach the floor in [`FLOORS`] (99% unless listed); with -e the link
//! header part of every line (up to `length N: `) must be identical.
//! `SHOW=N` prints the first N differing packets of each file and flag set.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Files whose printers are not all there yet: (name, floors for -n, -nv,
/// -nvv, -ne in percent). Every other file must reach 99%.
const FLOORS: &[(&str, [f64; 4])] = &[];

const FLAGS: [&str; 4] = ["n", "nv", "nvv", "ne"];

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/decode")
}

/// Whether `line` starts a packet: a `HH:MM:SS.ffffff ` timestamp, or
/// tcpdump's line for a record it cannot read.
fn starts_packet(line: &str) -> bool {
    let b = line.as_bytes();
    let stamp = b.len() > 16
        && b[2] == b':'
        && b[5] == b':'
        && b[8] == b'.'
        && b[15] == b' '
        && [0, 1, 3, 4, 6, 7, 9, 10, 11, 12, 13, 14]
            .iter()
            .all(|&i| b[i].is_ascii_digit());
    stamp || line.starts_with("[Invalid header")
}

/// Splits text into packets.
fn packets(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        match out.last_mut() {
            Some(last) if !starts_packet(line) => {
                last.push('\n');
                last.push_str(line);
            }
            _ => out.push(line.to_string()),
        }
    }
    out
}

/// The link header part of a `-e` line: up to and including the first
/// `length N: ` and the VLAN tags after it (`vlan 5, p 0, ethertype IPv4
/// (0x0800), `); the whole first line when there is no `length N: `.
fn link_part(packet: &str) -> &str {
    let first = packet.lines().next().unwrap_or("");
    let Some(at) = first.find(", length ") else {
        return first;
    };
    let rest = &first[at + 9..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !rest[digits..].starts_with(": ") {
        return first;
    }
    let mut end = at + 9 + digits + 2;
    // Each tag: "vlan N, p N[, DEI], " then "ethertype NAME (0xXXXX), ".
    while first[end..].starts_with("vlan ") {
        let Some(et) = first[end..].find("ethertype ") else {
            break;
        };
        let Some(close) = first[end + et..].find("), ") else {
            break;
        };
        end += et + close + 3;
    }
    &first[..end]
}

fn rawcap(flags: &str, pcap: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_rawcap"))
        .arg(format!("-{flags}"))
        .arg("-r")
        .arg(pcap)
        .env("TZ", "UTC")
        .output()
        .expect("run rawcap");
    assert!(
        out.status.success(),
        "rawcap -{flags} -r {} failed: {}",
        pcap.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn corpus_text_matches_tcpdump_fixtures() {
    let dir = data_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/data/decode")
        .filter_map(|e| {
            let p = e.ok()?.path();
            if p.extension()? != "pcap" {
                return None;
            }
            Some(p.file_stem()?.to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no fixtures in {}", dir.display());
    let show: usize = std::env::var("SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut failures = Vec::new();
    println!(
        "{:<12} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "file", "pkts", "-n", "-nv", "-nvv", "-ne", "-e link"
    );
    for name in &names {
        let pcap = dir.join(format!("{name}.pcap"));
        let floors = FLOORS
            .iter()
            .find(|(n, _)| n == name)
            .map_or([99.0; 4], |f| f.1);
        let mut cells = Vec::new();
        let mut count = 0;
        for (k, flags) in FLAGS.iter().enumerate() {
            let expected = std::fs::read_to_string(dir.join(format!("{name}.{flags}.txt")))
                .unwrap_or_else(|e| panic!("{name}.{flags}.txt: {e}"));
            let theirs = packets(&expected);
            let ours = packets(&rawcap(flags, &pcap));
            assert_eq!(
                ours.len(),
                theirs.len(),
                "{name} -{flags}: rawcap printed {} packets, tcpdump {}",
                ours.len(),
                theirs.len()
            );
            count = theirs.len();
            let same = ours.iter().zip(&theirs).filter(|(o, t)| o == t).count();
            let pct = 100.0 * same as f64 / count.max(1) as f64;
            cells.push(pct);
            let mut shown = 0;
            for (i, (o, t)) in ours.iter().zip(&theirs).enumerate() {
                if o != t && shown < show {
                    shown += 1;
                    println!(
                        "{name} -{flags} packet {}:\n  rawcap:  {o}\n  tcpdump: {t}",
                        i + 1
                    );
                }
            }
            if pct < floors[k] {
                failures.push(format!(
                    "{name} -{flags}: {same}/{count} identical ({pct:.1}%), floor {}%",
                    floors[k]
                ));
            }
            if *flags == "ne" {
                let same_link = ours
                    .iter()
                    .zip(&theirs)
                    .filter(|(o, t)| link_part(o) == link_part(t))
                    .count();
                let pct = 100.0 * same_link as f64 / count.max(1) as f64;
                cells.push(pct);
                if same_link != count && floors[k] >= 99.0 {
                    failures.push(format!(
                        "{name} -ne: link header part identical on {same_link}/{count} packets"
                    ));
                }
            }
        }
        let row: Vec<String> = cells.iter().map(|c| format!("{c:>7.1}%")).collect();
        println!("{name:<12} {count:>6} {}", row.join(" "));
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// `-S`: the printer's absolute sequence numbers against `tcpdump -nS`
/// (the flag itself is the command line's; the library supports it).
#[test]
fn absolute_sequence_numbers_match_tcpdump() {
    use rawcap::decode::text::{Printer, TextOptions};
    let dir = data_dir();
    let bytes = std::fs::read(dir.join("tcp.pcap")).unwrap();
    let mut reader = rawcap::savefile::Reader::new(&bytes[..]).unwrap();
    let mut printer = Printer::new(TextOptions {
        numeric: true,
        absolute_seq: true,
        ..Default::default()
    });
    let mut ours = String::new();
    while let Some(r) = reader.next_record().unwrap() {
        let lt = rawcap::LinkType::from_linktype(r.linktype).unwrap();
        ours.push_str(&printer.format(lt, &r.packet));
        ours.push('\n');
    }
    let theirs = std::fs::read_to_string(dir.join("tcp.nS.txt")).unwrap();
    let (ours, theirs) = (packets(&ours), packets(&theirs));
    assert_eq!(ours.len(), theirs.len());
    for (o, t) in ours.iter().zip(&theirs) {
        assert_eq!(o, t);
    }
}

/// `--json` on a LINUX_SLL2 file names the interface (`lo` is index 1
/// on Linux, 4321 is nowhere) and the direction, and every line parses.
#[test]
fn sll2_json_names_interface_and_direction() {
    let out = Command::new(env!("CARGO_BIN_EXE_rawcap"))
        .args(["--json", "-r"])
        .arg(data_dir().join("link-sll2.pcap"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut seen = std::collections::BTreeSet::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if let (Some(i), Some(n), Some(d)) = (
            v["ifindex"].as_u64(),
            v["ifname"].as_str(),
            v["direction"].as_str(),
        ) {
            seen.insert((i, n.to_string(), d.to_string()));
        }
    }
    assert!(seen.contains(&(4321, "?".into(), "out".into())), "{seen:?}");
    assert!(seen.contains(&(4321, "?".into(), "in".into())), "{seen:?}");
    assert!(seen.iter().any(|(i, n, _)| *i == 1 && n != "?"), "{seen:?}");
}

#[test]
fn packet_split_and_link_part() {
    let text = "00:00:01.000000 IP a > b: x\n    continued\n[Invalid header: caplen==0]\n\
                00:00:02.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 60: IP x";
    let p = packets(text);
    assert_eq!(p.len(), 3);
    assert_eq!(p[0], "00:00:01.000000 IP a > b: x\n    continued");
    assert_eq!(
        link_part(&p[2]),
        "00:00:02.000000 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 60: "
    );
    assert_eq!(link_part("no link"), "no link");
    let tagged = "00:00:02.000000 a > b, ethertype 802.1Q (0x8100), length 64: vlan 5, p 0, \
                  ethertype IPv4 (0x0800), IP x > y";
    assert!(link_part(tagged).ends_with("ethertype IPv4 (0x0800), "));
}

/// The dump flags (`-x`, `-xx`, `-X`, `-A`, `-AA`, with `-v`) against
/// tcpdump itself on every corpus file: where the dump starts after a cut
/// (the network header after a printer's own check, the whole frame after
/// tcpdump's longjmp) and when there is nothing to dump. Too large to
/// commit as fixtures (8 MB for -nvvx alone), so this runs the oracle and
/// skips, saying so, where tcpdump is not installed (`.ci/run` installs it).
#[test]
fn corpus_dumps_match_tcpdump() {
    if Command::new("tcpdump").arg("--version").output().is_err() {
        println!("skipped: tcpdump is not installed");
        return;
    }
    let dir = data_dir();
    let mut pcaps: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/data/decode")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pcap"))
        .collect();
    pcaps.sort();
    let mut failures = Vec::new();
    for flags in ["nx", "nvvx", "nxx", "nX", "nA", "nAA"] {
        let (mut total, mut same) = (0, 0);
        for pcap in &pcaps {
            let out = Command::new("tcpdump")
                .arg(format!("-{flags}"))
                .arg("-r")
                .arg(pcap)
                .env("TZ", "UTC")
                .output()
                .expect("run tcpdump");
            let theirs = packets(&String::from_utf8_lossy(&out.stdout));
            let ours = packets(&rawcap(flags, pcap));
            let n = ours.len().max(theirs.len());
            let equal = ours.iter().zip(&theirs).filter(|(o, t)| o == t).count();
            total += n;
            same += equal;
            if equal * 100 < n * 99 {
                let first = ours.iter().zip(&theirs).find(|(o, t)| o != t);
                failures.push(format!(
                    "{} -{flags}: {equal} of {n} identical; first difference:\n  rawcap:  {:?}\n  tcpdump: {:?}",
                    pcap.display(),
                    first.map(|p| p.0),
                    first.map(|p| p.1),
                ));
            }
        }
        println!("-{flags}: {same} of {total} packets identical");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Without `-n`, on the files whose protocols carry no IP addresses (so no
/// resolver is asked): IPX's SAP server type names, AppleTalk's socket
/// names, DECnet's addresses, against tcpdump itself (skipped, saying so,
/// where tcpdump is not installed).
#[test]
fn names_without_n_match_tcpdump() {
    if Command::new("tcpdump").arg("--version").output().is_err() {
        println!("skipped: tcpdump is not installed");
        return;
    }
    let mut failures = Vec::new();
    for name in ["ipx", "atalk", "decnet"] {
        let pcap = data_dir().join(format!("{name}.pcap"));
        for flags in ["t", "tv", "te"] {
            let out = Command::new("tcpdump")
                .arg(format!("-{flags}"))
                .arg("-r")
                .arg(&pcap)
                .output()
                .expect("run tcpdump");
            let theirs = String::from_utf8_lossy(&out.stdout).into_owned();
            let ours = rawcap(flags, &pcap);
            if ours != theirs {
                let first = ours.lines().zip(theirs.lines()).find(|(o, t)| o != t);
                failures.push(format!("{name} -{flags}: first difference {first:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
