//! `rawcap -r FILE -w OUT EXPR` against `tcpdump -r FILE -w OUT EXPR` on a
//! savefile of every link type rawcap compiles for (EN10MB, LINUX_SLL,
//! LINUX_SLL2, NULL, LOOP, RAW, IPV4, IPV6): the same records kept, byte
//! for byte, or the same expressions refused. The files hold the packet
//! corpus under each link header (NULL/LOOP with the IPv6 families of every
//! BSD, as savefiles carry them), so this checks the compiler's savefile
//! semantics and the `-r` path end to end. Skips when tcpdump is missing.

#[path = "common/cli.rs"]
mod cli;

use rawcap::LinkType;
use rawcap_corpus as corpus;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Expressions whose programs depend on the link type.
const EXPRS: &[&str] = &[
    "",
    "ip",
    "ip6",
    "tcp",
    "udp port 53",
    "host 198.18.0.1",
    "ip6 and tcp",
    "icmp6 or icmp",
    "ip6 protochain 17",
    "not ip and not ip6",
    "arp",
    "inbound",
    "ifindex 2",
    "byte 0 = 0x45",
    "ip[9] = 6 or ip6[6] = 17",
    "pppoes and ip",
    "vlan",
    "llc",
];

/// The corpus (every third frame) under `link`'s header, as libpcap would
/// find it in a savefile.
fn frames(link: LinkType) -> Vec<corpus::Frame> {
    corpus::frames()
        .into_iter()
        .step_by(3)
        .enumerate()
        .filter_map(|(i, f)| {
            Some(match link {
                LinkType::Ethernet => f,
                LinkType::LinuxSll => corpus::to_sll(&f, [0, 4, 1][i % 3]),
                LinkType::LinuxSll2 => corpus::to_sll2(&f, [0, 4, 1][i % 3], 1 + (i % 3) as u32),
                LinkType::Null => corpus::to_null(&f, i, false),
                LinkType::Loop => corpus::to_loop(&f, i),
                LinkType::Ipv4 if !corpus::is_ip(&f, false) => return None,
                LinkType::Ipv6 if !corpus::is_ip(&f, true) => return None,
                _ => corpus::to_raw(&f),
            })
        })
        .collect()
}

/// The records of a savefile: (captured bytes, wire length), in order.
fn records(path: &Path) -> Vec<(Vec<u8>, u32)> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut r = rawcap::savefile::Reader::new(bytes.as_slice()).expect("a savefile");
    let mut out = Vec::new();
    while let Some(rec) = r.next_record().expect("a record") {
        out.push((rec.packet.data.to_vec(), rec.packet.wire_len));
    }
    out
}

/// Runs `tool -r input -w output EXPR`: the records kept, or the refusal's first line.
fn filter(
    tool: &str,
    input: &Path,
    output: &Path,
    expr: &str,
) -> Result<Vec<(Vec<u8>, u32)>, String> {
    let _ = std::fs::remove_file(output);
    let mut c = Command::new(tool);
    c.arg("-r").arg(input).arg("-w").arg(output);
    if !expr.is_empty() {
        c.arg(expr);
    }
    let out = c.output().expect("run the tool");
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(err.lines().next().unwrap_or("").to_string());
    }
    Ok(records(output))
}

#[test]
fn every_link_type_filters_a_savefile_as_tcpdump_does() {
    if !cli::tool("tcpdump") {
        println!("skipped: tcpdump is not installed");
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("filter_linktypes");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let rawcap = env!("CARGO_BIN_EXE_rawcap");
    let mut bad = Vec::new();
    let (mut same, mut refused) = (0usize, 0usize);
    for link in rawcap::linktype::ALL {
        let fs = frames(link);
        let input = dir.join(format!("{}.pcap", link.name()));
        std::fs::write(&input, corpus::to_pcap_bytes_of(&fs, link.linktype())).expect("write");
        let (ours_out, theirs_out) = (dir.join("rawcap.pcap"), dir.join("tcpdump.pcap"));
        let mut kept = Vec::new();
        for expr in EXPRS {
            let theirs = filter("tcpdump", &input, &theirs_out, expr);
            let ours = filter(rawcap, &input, &ours_out, expr);
            match (&ours, &theirs) {
                (Ok(a), Ok(b)) if a == b => {
                    same += 1;
                    kept.push(format!("{expr:?} {}", a.len()));
                }
                (Err(_), Err(_)) => refused += 1,
                (Ok(a), Ok(b)) => bad.push(format!(
                    "{link} {expr:?}: rawcap kept {} records, tcpdump {}",
                    a.len(),
                    b.len()
                )),
                (a, b) => bad.push(format!(
                    "{link} {expr:?}: rawcap {:?}, tcpdump {:?}",
                    a.as_ref().map(Vec::len),
                    b.as_ref().map(Vec::len)
                )),
            }
        }
        println!("{link}: {} frames; kept: {}", fs.len(), kept.join(", "));
    }
    println!(
        "savefiles: {same} (link type, expression) pairs kept the same records, {refused} refused by both, {} differ",
        bad.len()
    );
    assert!(bad.is_empty(), "{bad:#?}");
}
