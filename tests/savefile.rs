//! Savefiles: interop with tcpdump and tshark, and damaged files.

#[path = "common/cli.rs"]
mod cli;
use cli::{rawcap, tool};

#[path = "output_support/frames.rs"]
mod frames;

use rawcap::savefile::{ReadErrorKind, Reader};
use std::path::{Path, PathBuf};
use std::process::Command;

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("rawcap-savefile-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// (ts_ns, wire_len, data) of every record, and the error if any.
type Rec = (u64, u32, Vec<u8>);
fn read_all(bytes: &[u8]) -> (Vec<Rec>, Option<rawcap::savefile::ReadError>) {
    let mut out = Vec::new();
    let mut r = match Reader::new(bytes) {
        Ok(r) => r,
        Err(e) => return (out, Some(e)),
    };
    loop {
        match r.next_record() {
            Ok(Some(rec)) => out.push((
                rec.packet.ts_ns,
                rec.packet.wire_len,
                rec.packet.data.to_vec(),
            )),
            Ok(None) => return (out, None),
            Err(e) => return (out, Some(e)),
        }
    }
}

fn small_pcap() -> (Vec<u8>, Vec<Rec>) {
    let frames = frames::frames();
    let bytes = frames::pcap(&frames[..6]);
    let (recs, err) = read_all(&bytes);
    assert!(err.is_none());
    assert_eq!(recs.len(), 6);
    (bytes, recs)
}

fn tshark_fields(file: &Path) -> String {
    let o = Command::new("tshark")
        .args(["-r"])
        .arg(file)
        .args([
            "-T",
            "fields",
            "-e",
            "frame.time_epoch",
            "-e",
            "frame.len",
            "-e",
            "frame.cap_len",
            "-e",
            "frame.protocols",
        ])
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "tshark: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn tcpdump_xx(file: &Path) -> String {
    let o = Command::new("tcpdump")
        .args(["-n", "-tt", "-xx", "-r"])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "tcpdump: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn written_files_read_by_tcpdump_and_tshark() {
    let frames = frames::frames();
    let d = dir();
    let src = d.join("in.pcap");
    std::fs::write(&src, frames::pcap(&frames)).unwrap();
    let out = d.join("out.pcap");
    let o = rawcap(&["-r", src.to_str().unwrap(), "-w", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Our own reader sees the same records.
    let (a, _) = read_all(&std::fs::read(&src).unwrap());
    let (b, e) = read_all(&std::fs::read(&out).unwrap());
    assert!(e.is_none());
    assert_eq!(a, b);
    if tool("tcpdump") {
        let (x, y) = (tcpdump_xx(&src), tcpdump_xx(&out));
        assert_eq!(
            x.lines().filter(|l| !l.starts_with('\t')).count(),
            frames.len()
        );
        assert_eq!(x, y, "tcpdump sees different packets, bytes or times");
    } else {
        println!("tcpdump check skipped: tcpdump is not installed");
    }
    if tool("tshark") {
        let (x, y) = (tshark_fields(&src), tshark_fields(&out));
        assert_eq!(x.lines().count(), frames.len());
        assert_eq!(x, y, "tshark sees different packets, bytes or times");
    } else {
        println!("tshark check skipped: tshark is not installed");
    }
    // Nanosecond files keep nanoseconds; `-w -` writes to stdout.
    let o = rawcap(&["-r", src.to_str().unwrap(), "--nano", "-w", "-"]);
    assert!(o.status.success());
    assert_eq!(&o.stdout[..4], &0xa1b2_3c4du32.to_le_bytes());
    let (c, e) = read_all(&o.stdout);
    assert!(e.is_none());
    assert_eq!(a, c);
    if tool("tshark") {
        let nano = d.join("nano.pcap");
        std::fs::write(&nano, &o.stdout).unwrap();
        assert_eq!(tshark_fields(&src), tshark_fields(&nano));
    }
}

#[test]
fn filter_a_file_into_a_file() {
    let frames = frames::frames();
    let d = dir();
    let src = d.join("filter-in.pcap");
    std::fs::write(&src, frames::pcap(&frames)).unwrap();
    let out = d.join("filter-out.pcap");
    let o = rawcap(&[
        "-r",
        src.to_str().unwrap(),
        "-w",
        out.to_str().unwrap(),
        "tcp",
        "port",
        "80",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (recs, e) = read_all(&std::fs::read(&out).unwrap());
    assert!(e.is_none());
    // The HTTP conversation (7 frames) and the two cut frames from it.
    assert_eq!(recs.len(), 9);
    if tool("tcpdump") {
        let o = Command::new("tcpdump")
            .args(["-r"])
            .arg(&src)
            .args(["-w"])
            .arg(d.join("tcpdump-out.pcap"))
            .args(["tcp", "port", "80"])
            .output()
            .unwrap();
        assert!(o.status.success());
        let (theirs, _) = read_all(&std::fs::read(d.join("tcpdump-out.pcap")).unwrap());
        assert_eq!(recs, theirs);
    }
    let o = rawcap(&["-r", src.to_str().unwrap(), "-c", "3", "-n"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 3);
}

#[test]
fn filtering_the_corpus_selects_what_tcpdump_selects() {
    if !tool("tcpdump") {
        println!("skipped: tcpdump is not installed");
        return;
    }
    let d = dir();
    let src = d.join("corpus-in.pcap");
    std::fs::write(&src, rawcap_corpus::to_pcap_bytes(&rawcap_corpus::frames())).unwrap();
    for expr in [
        "tcp port 80",
        "udp",
        "ip6 and tcp",
        "vlan",
        "arp or icmp",
        "tcp[tcpflags] & tcp-syn != 0",
        "ip[6:2] & 0x1fff != 0",
        "greater 100",
        "ether broadcast",
        "not ip",
    ] {
        let ours = rawcap(&["-r", src.to_str().unwrap(), "-w", "-", expr]);
        assert!(
            ours.status.success(),
            "{expr}: {}",
            String::from_utf8_lossy(&ours.stderr)
        );
        let theirs = Command::new("tcpdump")
            .arg("-r")
            .arg(&src)
            .args(["-w", "-", expr])
            .output()
            .unwrap();
        assert!(theirs.status.success());
        let (a, ea) = read_all(&ours.stdout);
        let (b, eb) = read_all(&theirs.stdout);
        assert!(ea.is_none() && eb.is_none());
        assert!(!a.is_empty(), "{expr}: nothing selected");
        // tcpdump copies records it prints as "[Invalid header: ...]" (the
        // corpus has empty ones), and so does rawcap.
        assert_eq!(a, b, "{expr}: rawcap and tcpdump select different packets");
    }
}

#[test]
fn a_bad_expression_is_shown_with_carets() {
    let (bytes, _) = small_pcap();
    let f = dir().join("caret.pcap");
    std::fs::write(&f, bytes).unwrap();
    let o = rawcap(&["-r", f.to_str().unwrap(), "tcp", "port", "70000"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("tcp port 70000\n") && err.contains("^^^^^"),
        "{err}"
    );
}

#[test]
fn pcapng_from_tshark_reads_the_same() {
    if !tool("tshark") {
        println!("skipped: tshark is not installed");
        return;
    }
    let frames = frames::frames();
    let d = dir();
    let src = d.join("ng-in.pcap");
    let ng = d.join("ng.pcapng");
    std::fs::write(&src, frames::pcap(&frames)).unwrap();
    let o = Command::new("tshark")
        .args(["-F", "pcapng", "-r"])
        .arg(&src)
        .arg("-w")
        .arg(&ng)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (a, _) = read_all(&std::fs::read(&src).unwrap());
    let ngb = std::fs::read(&ng).unwrap();
    assert_eq!(&ngb[..4], &[0x0a, 0x0d, 0x0d, 0x0a]);
    let (b, e) = read_all(&ngb);
    assert!(e.is_none(), "{e:?}");
    assert_eq!(a, b);
    let x = rawcap(&["-n", "-r", src.to_str().unwrap()]);
    let y = rawcap(&["-n", "-r", ng.to_str().unwrap()]);
    assert_eq!(x.stdout, y.stdout);
}

#[test]
fn every_prefix_gives_good_records_then_an_error_or_end() {
    let (bytes, recs) = small_pcap();
    for n in 0..=bytes.len() {
        let (got, err) = read_all(&bytes[..n]);
        assert!(got.len() <= recs.len());
        assert_eq!(got, recs[..got.len()], "prefix {n}");
        match err {
            None => assert!(n == bytes.len() || n == 24 || got.len() < recs.len()),
            Some(e) => {
                assert!(
                    e.offset <= n as u64,
                    "prefix {n}: offset {} past the end",
                    e.offset
                );
                if n > 0 {
                    assert!(
                        matches!(e.kind, ReadErrorKind::Truncated { .. }),
                        "prefix {n}: {e}"
                    );
                }
            }
        }
    }
    // A clean end only at record boundaries.
    let (got, err) = read_all(&bytes[..bytes.len() - 1]);
    assert_eq!(got.len(), recs.len() - 1);
    let e = err.unwrap();
    assert!(e.to_string().contains("byte offset"), "{e}");
}

#[test]
fn random_damage_never_panics() {
    let (pcap, _) = small_pcap();
    let mut ng = Vec::new();
    if tool("tshark") {
        let d = dir();
        std::fs::write(d.join("dmg.pcap"), &pcap).unwrap();
        let ok = Command::new("tshark")
            .args(["-F", "pcapng", "-r"])
            .arg(d.join("dmg.pcap"))
            .arg("-w")
            .arg(d.join("dmg.pcapng"))
            .status()
            .unwrap()
            .success();
        if ok {
            ng = std::fs::read(d.join("dmg.pcapng")).unwrap();
        }
    }
    let seed = 0x5eed_u64;
    println!("random_damage seed {seed:#x}");
    let mut x = seed;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for file in [&pcap, &ng] {
        if file.is_empty() {
            continue;
        }
        let (good, _) = read_all(file);
        for _ in 0..3000 {
            let mut b = file.clone();
            let flips = 1 + rnd() % 4;
            let mut first = b.len();
            for _ in 0..flips {
                let at = (rnd() % b.len() as u64) as usize;
                b[at] ^= 1 << (rnd() % 8);
                first = first.min(at);
            }
            let (got, err) = read_all(&b);
            // Records wholly before the first damaged byte come out unchanged.
            let mut end = if file[..4] == [0x0a, 0x0d, 0x0d, 0x0a] {
                0
            } else {
                24
            };
            for (i, r) in good.iter().enumerate() {
                let rec_end = end + 16 + r.2.len();
                if rec_end > first || file[..4] == [0x0a, 0x0d, 0x0d, 0x0a] {
                    break;
                }
                assert_eq!(got.get(i), Some(r), "record {i} before damage at {first}");
                end = rec_end;
            }
            if let Some(e) = err {
                assert!(e.offset <= b.len() as u64);
            }
            // The text decoder must not panic on whatever came out.
            for r in &got {
                let mut p = rawcap::decode::text::Printer::new(Default::default());
                let pk = rawcap::packet::Packet::new(r.0, &r.2, r.1);
                let _ = p.format(rawcap::LinkType::Ethernet, &pk);
                let _ = rawcap::decode::json::line(rawcap::LinkType::Ethernet, &pk);
            }
        }
    }
}

#[test]
fn cli_outputs_good_packets_then_names_the_offset() {
    let (bytes, _) = small_pcap();
    let d = dir();
    let f = d.join("cut.pcap");
    // Cut in the middle of the fourth record.
    let (recs, _) = read_all(&bytes);
    let fourth = 24 + recs[..3].iter().map(|r| 16 + r.2.len()).sum::<usize>();
    std::fs::write(&f, &bytes[..fourth + 20]).unwrap();
    let o = rawcap(&["-n", "-r", f.to_str().unwrap()]);
    assert!(!o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 3);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("byte offset {fourth}")), "{err}");
}

/// A little-endian pcapng file with an Ethernet and a raw-IP interface and
/// one packet on each.
fn two_linktype_pcapng() -> Vec<u8> {
    let frames = frames::frames();
    let eth = &frames[0].data; // the HTTP SYN
    let raw = &eth[14..];
    let ts = 1_700_000_000_000_000;
    let mut v = Vec::new();
    ng_section(
        &mut v,
        &[1, 101],
        &[
            (0, ts, eth.clone(), eth.len() as u32),
            (1, ts + 1, raw.to_vec(), raw.len() as u32),
        ],
    );
    v
}

#[test]
fn pcapng_with_two_link_types() {
    let f = dir().join("two.pcapng");
    std::fs::write(&f, two_linktype_pcapng()).unwrap();
    // Text: each packet decoded with its own interface's link type.
    let o = rawcap(&["-n", "-tt", "-r", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    let strip = |l: &str| l.split_once(' ').unwrap().1.to_string();
    assert_eq!(strip(lines[0]), strip(lines[1]));
    assert!(
        lines[0].contains("IP 198.18.0.1.43210 > 198.18.0.2.80: Flags [S]"),
        "{text}"
    );
    // A pcap file holds one link type: writing both is refused, after the first.
    let out = dir().join("two-out.pcap");
    let o = rawcap(&["-r", f.to_str().unwrap(), "-w", out.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("one link type"));
}

/// A little-endian pcapng block.
fn ng_block(out: &mut Vec<u8>, ty: u32, body: &[u8]) {
    let len = 12 + body.len().div_ceil(4) * 4;
    out.extend_from_slice(&ty.to_le_bytes());
    out.extend_from_slice(&(len as u32).to_le_bytes());
    out.extend_from_slice(body);
    out.resize(out.len() + len - 12 - body.len(), 0);
    out.extend_from_slice(&(len as u32).to_le_bytes());
}

/// A pcapng packet: interface, µs timestamp, bytes, length on the wire.
type NgPacket = (u32, u64, Vec<u8>, u32);

/// One pcapng section: its interfaces' link types, then the packets.
fn ng_section(out: &mut Vec<u8>, linktypes: &[u16], packets: &[NgPacket]) {
    let mut shb = 0x1a2b_3c4du32.to_le_bytes().to_vec();
    shb.extend_from_slice(&[1, 0, 0, 0]);
    shb.extend_from_slice(&u64::MAX.to_le_bytes());
    ng_block(out, 0x0a0d_0d0a, &shb);
    for lt in linktypes {
        let mut idb = lt.to_le_bytes().to_vec();
        idb.extend_from_slice(&[0, 0]);
        idb.extend_from_slice(&0u32.to_le_bytes());
        ng_block(out, 1, &idb);
    }
    for (iface, ts, data, wire) in packets {
        let mut epb = iface.to_le_bytes().to_vec();
        epb.extend_from_slice(&((ts >> 32) as u32).to_le_bytes());
        epb.extend_from_slice(&(*ts as u32).to_le_bytes());
        epb.extend_from_slice(&(data.len() as u32).to_le_bytes());
        epb.extend_from_slice(&wire.to_le_bytes());
        epb.extend_from_slice(data);
        ng_block(out, 6, &epb);
    }
}

/// An Ethernet frame as a LINUX_SLL (v1) frame: the cooked header, then
/// the same network packet.
fn as_sll(eth: &[u8]) -> Vec<u8> {
    let mut v = vec![0, 0, 0, 1, 0, 6];
    v.extend_from_slice(&eth[6..12]);
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(&eth[12..14]);
    v.extend_from_slice(&eth[14..]);
    v
}

#[test]
fn pcapng_with_several_link_types_filters_each_interface_with_its_own_program() {
    // The IPv4 and IPv6 frames of the output corpus on an Ethernet, a
    // LINUX_SLL and a RAW interface, interleaved; each filtered as tcpdump
    // filters a file holding that interface alone (tcpdump 4.99.3 refuses
    // a pcapng whose interfaces differ in link type).
    let frames = frames::frames();
    let ip: Vec<(&Vec<u8>, u32)> = frames
        .iter()
        .map(|f| (&f.data, f.wire_len))
        .filter(|(d, _)| d.len() > 14 && matches!(d[12..14], [0x08, 0x00] | [0x86, 0xdd]))
        .collect();
    // The frame and its length on the wire for each link type.
    let as_link = |lt: u16, eth: &[u8], wire: u32| match lt {
        1 => (eth.to_vec(), wire),
        113 => (as_sll(eth), wire + 2),
        _ => (eth[14..].to_vec(), wire - 14),
    };
    let linktypes = [1u16, 113, 101];
    let base = 1_700_000_000_000_000u64;
    let mut all = Vec::new();
    let mut alone: Vec<Vec<NgPacket>> = vec![Vec::new(); 3];
    for (k, (eth, wire)) in ip.iter().enumerate() {
        for (i, &lt) in linktypes.iter().enumerate() {
            let ts = base + ((k * 3 + i) as u64) * 1000;
            let (data, wire) = as_link(lt, eth, *wire);
            all.push((i as u32, ts, data.clone(), wire));
            alone[i].push((0, ts, data, wire));
        }
    }
    let d = dir();
    let multi = d.join("multi.pcapng");
    let mut bytes = Vec::new();
    ng_section(&mut bytes, &linktypes, &all);
    std::fs::write(&multi, bytes).unwrap();
    let singles: Vec<PathBuf> = (0..3)
        .map(|i| {
            let p = d.join(format!("single-{i}.pcapng"));
            let mut bytes = Vec::new();
            ng_section(&mut bytes, &linktypes[i..=i], &alone[i]);
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect();
    let lines = |out: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(out)
            .lines()
            .map(String::from)
            .collect()
    };
    for expr in [
        "udp",
        "tcp port 80",
        "icmp or icmp6",
        "ip6",
        "host 198.18.0.2",
        "not udp",
    ] {
        let o = rawcap(&["-n", "-tt", "-r", multi.to_str().unwrap(), expr]);
        assert!(
            o.status.success(),
            "{expr}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let ours = lines(&o.stdout);
        // What each interface alone gives, rawcap then tcpdump.
        let mut want = Vec::new();
        for single in &singles {
            let o = rawcap(&["-n", "-tt", "-r", single.to_str().unwrap(), expr]);
            assert!(o.status.success());
            want.extend(lines(&o.stdout));
            if tool("tcpdump") {
                let t = Command::new("tcpdump")
                    .args(["-n", "-tt", "-r"])
                    .arg(single)
                    .arg(expr)
                    .output()
                    .unwrap();
                assert!(t.status.success(), "{}", String::from_utf8_lossy(&t.stderr));
                assert_eq!(o.stdout, t.stdout, "{expr} on {}", single.display());
            }
        }
        want.sort();
        assert!(!ours.is_empty(), "{expr}");
        assert_eq!(ours, want, "{expr}");
    }
    // Every UDP packet of every interface (the issue's 1 of 3).
    let udp = rawcap(&["-n", "-r", multi.to_str().unwrap(), "udp"]);
    let one = rawcap(&["-n", "-r", singles[0].to_str().unwrap(), "udp"]);
    let n_udp = lines(&one.stdout).len();
    assert!(n_udp > 0);
    assert_eq!(lines(&udp.stdout).len(), 3 * n_udp);
    // An expression one link type cannot express is refused for that
    // interface, naming it, after the packets before it.
    let o = rawcap(&[
        "-n",
        "-r",
        multi.to_str().unwrap(),
        "ether src 02:00:00:00:00:01",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("interface 1 (LINUX_SLL)"), "{err}");
}

#[test]
fn a_write_error_keeps_what_was_read_and_says_how_many() {
    // 1,000 Ethernet packets, then a section whose interface is RAW: a pcap
    // file holds one link type, so writing stops there, with the first
    // 1,000 in the file.
    let frames = frames::frames();
    let eth = &frames[0].data;
    let base = 1_700_000_000_000_000u64;
    let n = eth.len() as u32;
    let first: Vec<_> = (0..1000).map(|k| (0, base + k, eth.clone(), n)).collect();
    let mut bytes = Vec::new();
    ng_section(&mut bytes, &[1], &first);
    ng_section(
        &mut bytes,
        &[101],
        &[(0, base + 2000, eth[14..].to_vec(), n - 14)],
    );
    let d = dir();
    let f = d.join("mixed.pcapng");
    std::fs::write(&f, bytes).unwrap();
    for extra in [&[][..], &["-U"]] {
        let out = d.join("mixed-out.pcap");
        let _ = std::fs::remove_file(&out);
        let mut args = vec!["-r", f.to_str().unwrap(), "-w", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = rawcap(&args);
        assert_eq!(o.status.code(), Some(1), "{extra:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        let last = err.lines().last().unwrap_or_default();
        assert!(
            last.contains("cannot write RAW packets into a EN10MB file"),
            "{err}"
        );
        assert!(
            last.ends_with("keeps the 1000 packets written before"),
            "{err}"
        );
        let (recs, e) = read_all(&std::fs::read(&out).unwrap());
        assert!(e.is_none());
        assert_eq!(recs.len(), 1000, "{extra:?}");
    }
    // Filtered so that no RAW packet is written: no error at all.
    let out = d.join("mixed-tcp.pcap");
    let o = rawcap(&[
        "-r",
        f.to_str().unwrap(),
        "-w",
        out.to_str().unwrap(),
        "ether[0] = 2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn records_tcpdump_calls_invalid_are_printed_and_copied_as_tcpdump_does() {
    let frames = frames::frames();
    let good = &frames[0].data;
    // (caplen bytes, wire len): valid, len < caplen, len 0xffffffff,
    // caplen 0, caplen 0 and len 0, len 0, valid.
    let cases: [(&[u8], u32); 7] = [
        (good, good.len() as u32),
        (good, good.len() as u32 - 10),
        (good, u32::MAX),
        (&[], 60),
        (&[], 0),
        (&good[..10], 0),
        (good, good.len() as u32),
    ];
    let mut bytes = frames::pcap(&[]);
    for (k, (data, len)) in cases.iter().enumerate() {
        bytes.extend_from_slice(&1_700_000_000u32.to_le_bytes());
        bytes.extend_from_slice(&(k as u32).to_le_bytes());
        bytes.extend_from_slice(&(data.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&len.to_le_bytes());
        bytes.extend_from_slice(data);
    }
    let d = dir();
    let f = d.join("invalid.pcap");
    std::fs::write(&f, &bytes).unwrap();
    let o = rawcap(&["-n", "-r", f.to_str().unwrap()]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let want_invalid = [
        "[Invalid header: len(64) < caplen(74)]",
        "[Invalid header: len(4294967295) > 262144]",
        "[Invalid header: caplen==0]",
        "[Invalid header: caplen==0, len==0]",
        "[Invalid header: len==0]",
    ];
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7, "{text}");
    assert_eq!(&lines[1..6], &want_invalid, "{text}");
    if tool("tcpdump") {
        let t = Command::new("tcpdump")
            .args(["-n", "-r"])
            .arg(&f)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&t.stdout), text);
    }
    // `len` is the header's, as for tcpdump's filter: `len = 64` matches the record that says 64.
    let o = rawcap(&["-n", "-r", f.to_str().unwrap(), "len = 64"]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!("{}\n", want_invalid[0])
    );
    // Written: every record, as tcpdump copies them; read back, the same lines.
    let out = d.join("invalid-out.pcap");
    let o = rawcap(&["-r", f.to_str().unwrap(), "-w", out.to_str().unwrap()]);
    assert!(o.status.success());
    let (recs, e) = read_all(&std::fs::read(&out).unwrap());
    assert!(e.is_none());
    assert_eq!(recs.len(), 7);
    let o = rawcap(&["-n", "-r", out.to_str().unwrap()]);
    let again = String::from_utf8_lossy(&o.stdout).into_owned();
    let again: Vec<&str> = again.lines().collect();
    assert_eq!(again.len(), 7);
    assert_eq!(again, lines);
    if tool("tcpdump") {
        let t = Command::new("tcpdump")
            .arg("-r")
            .arg(&f)
            .arg("-w")
            .arg(d.join("invalid-tcpdump.pcap"))
            .output()
            .unwrap();
        assert!(t.status.success());
        let (theirs, _) = read_all(&std::fs::read(d.join("invalid-tcpdump.pcap")).unwrap());
        assert_eq!(theirs, recs, "tcpdump copies the same records");
    }
}

#[test]
fn writing_onto_the_file_being_read_is_refused_before_it_is_opened() {
    let (bytes, _) = small_pcap();
    let d = dir().join("same-file");
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    let s = d.join("s.pcap");
    std::fs::write(&s, &bytes).unwrap();
    std::os::unix::fs::symlink(&s, d.join("sym.pcap")).unwrap();
    std::fs::hard_link(&s, d.join("hard.pcap")).unwrap();
    let s_arg = s.to_str().unwrap();
    for w in ["s.pcap", "sym.pcap", "hard.pcap"] {
        let w = d.join(w);
        let o = rawcap(&["-r", s_arg, "-w", w.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{w:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("-w names the file being read"), "{err}");
        assert_eq!(std::fs::read(&s).unwrap(), bytes, "the input survives");
    }
    // Through stdin too.
    let o = Command::new(env!("CARGO_BIN_EXE_rawcap"))
        .args(["-r", "-", "-w", s_arg])
        .stdin(std::fs::File::open(&s).unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(&s).unwrap(), bytes);
}

#[test]
fn a_mapped_savefile_that_shrinks_while_read_ends_with_one_line() {
    use std::io::Read;
    use std::process::Stdio;
    // 20,000 frames (2.6 MB). rawcap's stdout is a pipe nobody reads at
    // first, so it stops early in the file; the file is cut to 500,000
    // bytes, then the pipe is drained and rawcap reads on into the cut.
    let frames = frames::frames();
    let many: Vec<frames::Frame> = (0..20_000)
        .map(|i| {
            let f = &frames[i % frames.len()];
            frames::Frame {
                data: f.data.clone(),
                wire_len: f.wire_len,
                label: f.label,
            }
        })
        .collect();
    let f = dir().join("shrinks.pcap");
    std::fs::write(&f, frames::pcap(&many)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rawcap"))
        .args(["-n", "-X", "-r"])
        .arg(&f)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = vec![0u8; 4096];
    out.read_exact(&mut first).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    std::fs::OpenOptions::new()
        .write(true)
        .open(&f)
        .unwrap()
        .set_len(500_000)
        .unwrap();
    let mut rest = Vec::new();
    out.read_to_end(&mut rest).unwrap();
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.contains("shrinks.pcap: the file shrank while being read (500000 bytes now)"),
        "{err}"
    );
    let text = String::from_utf8_lossy(&rest);
    assert!(
        !text.contains("[Invalid header"),
        "zeros past the new end were printed"
    );
}
