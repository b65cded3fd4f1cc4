//! Replays the committed fuzz seeds (`fuzz/corpus/<target>/`) and crash
//! reproducers (`fuzz/regressions/<target>/`) through the same checks the
//! cargo-fuzz targets run (`fuzz/src/checks.rs`), so CI without cargo-fuzz
//! still exercises them.
//!
//! The seeds themselves come from `regenerate_seeds` below:
//! `cargo test --test fuzz_corpus -- --ignored regenerate_seeds`.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use rawcap::bpf::{programs, vm, Program};
use rawcap::savefile::{PcapWriter, Resolution};
use rawcap::{filter, packet::Packet, LinkType};
use rawcap_corpus as corpus;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of `dir`, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
        Err(_) => return Vec::new(),
    };
    out.retain(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"));
    out.sort();
    out
}

/// Runs every seed and reproducer of `target`; returns how many ran and the ones that failed.
fn replay(target: &str, check: checks::Check) -> (usize, Vec<String>) {
    let mut n = 0;
    let mut failed = Vec::new();
    for sub in ["corpus", "regressions"] {
        for path in files(&fuzz_dir().join(sub).join(target)) {
            let data = fs::read(&path).expect("read seed");
            if std::panic::catch_unwind(|| check(&data)).is_err() {
                failed.push(path.display().to_string());
            }
            n += 1;
        }
    }
    (n, failed)
}

#[test]
fn every_seed_and_reproducer_passes_its_check() {
    let mut failed = Vec::new();
    for &(target, check) in checks::TARGETS {
        let seeds = files(&fuzz_dir().join("corpus").join(target)).len();
        assert!(seeds >= 10, "fuzz/corpus/{target} has {seeds} seeds");
        let bin = fuzz_dir().join("fuzz_targets").join(format!("{target}.rs"));
        assert!(bin.is_file(), "no fuzz target {}", bin.display());
        let (n, bad) = replay(target, check);
        println!("{target}: {n} inputs replayed, {} failed", bad.len());
        failed.extend(bad);
    }
    assert!(failed.is_empty(), "inputs failing their check: {failed:#?}");
}

/// Short and odd inputs every check must take (zero-filled fields, empty files).
#[test]
fn every_check_takes_tiny_inputs() {
    for (_, check) in checks::TARGETS {
        for len in 0..64 {
            check(&vec![0u8; len]);
            check(&vec![0xffu8; len]);
        }
    }
}

/// Expressions for the `compile` seeds: accepted ones of every family and a
/// few that libpcap refuses.
const EXPRESSIONS: &[&str] = &[
    "tcp port 80",
    "host 198.18.0.2 and not udp",
    "tcp[tcpflags] & tcp-syn != 0",
    "tcp[13] & 0x12 = 0x12",
    "ip and udp dst port 53",
    "ip6 and icmp6",
    "arp or rarp",
    "vlan 100 and tcp",
    "vlan and vlan and ip",
    "mpls 17 and ip",
    "pppoes 0x11 and ip",
    "net 198.18.0.0/15",
    "src net 198.18.0.0 mask 255.254.0.0",
    "ether host 02:00:00:00:00:01",
    "ether broadcast or ether multicast",
    "ip broadcast",
    "ip multicast or ip6 multicast",
    "portrange 1000-2000",
    "less 100 or greater 1400",
    "len > 60 and len <= 1514",
    "ip[2:2] - ((ip[0] & 0xf) << 2) > 40",
    "ip[8] * 2 / 3 % 5 ^ 1 | 4 & 7 > 0",
    "icmp[icmptype] = icmp-echo",
    "ip proto \\tcp or ip6 proto 17",
    "ip6 protochain 6",
    "ip host 198.18.0.1 && !(tcp || udp)",
    "gateway 198.18.0.1",
    "ether proto \\ip and ip dst host 198.18.1.1",
    "inbound and ifindex 2",
    "outbound",
    "ip[0] & 0xf != 5",
    "udp[8:4] = 0x12345678",
    "sctp or igmp or pim or vrrp",
    "ah or esp",
    "decnet src 1.2",
    "atalk or ipx or stp",
    "iso and isis",
    "llc",
    "ip6[40] = 58",
    "geneve and ip",
    "tcp port 80 and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)",
    "tcp port 70000",
    "host",
    "ip[0:3] = 1",
    "net 198.18.0.1/15",
    "(tcp",
    "ip and",
    "port 80 80",
];

fn write(dir: &Path, name: &str, data: &[u8]) {
    fs::create_dir_all(dir).expect("create seed dir");
    fs::write(dir.join(name), data).expect("write seed");
}

/// Every `step`-th corpus frame (the corpus covers every protocol rawcap decodes).
fn some_frames(step: usize) -> Vec<corpus::Frame> {
    corpus::frames().into_iter().step_by(step).collect()
}

/// A TPACKET_V3 block of `frames` as the kernel lays it out (48-byte
/// descriptor, `tpacket3_hdr` + `sockaddr_ll` per frame, 16-byte aligned).
fn ring_block(frames: &[&[u8]], vlan: Option<u16>) -> Vec<u8> {
    const FIRST: usize = 48;
    let mut b = vec![0u8; FIRST];
    let put = |b: &mut Vec<u8>, at: usize, v: &[u8]| b[at..at + v.len()].copy_from_slice(v);
    put(&mut b, 0, &3u32.to_ne_bytes()); // version
    put(&mut b, 8, &1u32.to_ne_bytes()); // block_status: TP_STATUS_USER
    put(&mut b, 12, &(frames.len() as u32).to_ne_bytes());
    put(&mut b, 16, &(FIRST as u32).to_ne_bytes());
    put(&mut b, 24, &7u64.to_ne_bytes()); // seq_num
    for (i, f) in frames.iter().enumerate() {
        let at = b.len();
        // tpacket3_hdr (48 bytes with padding) + sockaddr_ll (20) -> data at 80.
        let mac = 80usize;
        let len = (mac + f.len()).div_ceil(16) * 16;
        b.resize(at + len, 0);
        let next = if i + 1 < frames.len() { len as u32 } else { 0 };
        put(&mut b, at, &next.to_ne_bytes()); // tp_next_offset
        put(&mut b, at + 4, &1_700_000_000u32.to_ne_bytes()); // tp_sec
        put(&mut b, at + 8, &123_456u32.to_ne_bytes()); // tp_nsec
        put(&mut b, at + 12, &(f.len() as u32).to_ne_bytes()); // tp_snaplen
        put(&mut b, at + 16, &(f.len() as u32 + 4).to_ne_bytes()); // tp_len
        let status = 1 | if vlan.is_some() { 1 << 4 | 1 << 6 } else { 0 };
        put(&mut b, at + 20, &(status as u32).to_ne_bytes());
        put(&mut b, at + 24, &(mac as u16).to_ne_bytes()); // tp_mac
        put(&mut b, at + 26, &(mac as u16).to_ne_bytes()); // tp_net
        put(&mut b, at + 32, &(vlan.unwrap_or(0) as u32).to_ne_bytes()); // tp_vlan_tci
        put(&mut b, at + 36, &0x8100u16.to_ne_bytes()); // tp_vlan_tpid
        let sll = at + 48;
        put(&mut b, sll, &17u16.to_ne_bytes()); // sll_family AF_PACKET
        put(&mut b, sll + 2, &0x0800u16.to_be_bytes()); // sll_protocol
        put(&mut b, sll + 4, &2u32.to_ne_bytes()); // sll_ifindex
        put(&mut b, sll + 8, &1u16.to_ne_bytes()); // sll_hatype ARPHRD_ETHER
        b[sll + 10] = (i % 5) as u8; // sll_pkttype
        b[sll + 11] = 6; // sll_halen
        put(&mut b, sll + 12, &[2, 0, 0, 0, 0, 1]);
        put(&mut b, at + mac, f);
    }
    let blk_len = b.len() as u32;
    put(&mut b, 20, &blk_len.to_ne_bytes());
    b
}

fn pcap_file(frames: &[corpus::Frame], linktype: LinkType, res: Resolution) -> Vec<u8> {
    let mut w = PcapWriter::new(Vec::new(), linktype, 0, res).expect("writer");
    for (i, f) in frames.iter().enumerate() {
        let ts = 1_700_000_000_000_000_000 + i as u64 * 1_234_567;
        w.write(&Packet::new(ts, &f.data, f.wire_len))
            .expect("write");
    }
    w.into_inner().expect("flush")
}

/// Writes the seed corpora. Run by hand after changing an input layout:
/// `cargo test --test fuzz_corpus -- --ignored regenerate_seeds`.
#[test]
#[ignore]
fn regenerate_seeds() {
    let root = fuzz_dir().join("corpus");
    let _ = fs::remove_dir_all(&root);

    let dir = root.join("compile");
    for (i, e) in EXPRESSIONS.iter().enumerate() {
        write(&dir, &format!("{i:02}"), e.as_bytes());
    }

    let frames = some_frames(150);
    let mut progs: Vec<Program> = vec![programs::tcp_port_80()];
    for e in [
        "host 198.18.0.2 and not udp",
        "tcp[tcpflags] & tcp-syn != 0",
        "vlan 100 and tcp",
        "ip6 protochain 6",
        "inbound and ifindex 2",
        "ip[2:2] - ((ip[0] & 0xf) << 2) > 40",
    ] {
        let opts = filter::Options {
            linux_ext: true,
            ..filter::Options::default()
        };
        progs.push(filter::compile(e, &opts).expect("seed expression compiles"));
    }
    let ld_ancillary: Program = "(000) ld       #pktlen\n(001) ld       [vlan_tci]\n\
        (002) ldxb     4*([14]&0xf)\n(003) ld       [x + 14]\n(004) div      x\n\
        (005) ldb      [-1048576]\n(006) ret\n"
        .parse()
        .expect("hand-written program parses");
    progs.push(ld_ancillary);
    for (i, f) in frames.iter().take(30).enumerate() {
        let prog = &progs[i % progs.len()];
        let mut meta = vm::Meta {
            ifindex: 2,
            hatype: 1,
            ..vm::Meta::for_frame(LinkType::Ethernet, &f.data)
        };
        if i % 3 == 0 {
            meta.vlan_present = true;
            meta.vlan_tci = 100;
            meta.vlan_tpid = 0x8100;
        }
        // The jit target reads the vm target's input.
        for target in ["vm", "jit"] {
            write(
                &root.join(target),
                &format!("{i:02}"),
                &checks::vm_input(prog, f.wire_len, &meta, &f.data),
            );
        }
    }

    let dir = root.join("decode");
    for (i, f) in some_frames(90).iter().take(40).enumerate() {
        let flags = [(i * 37) as u8, (i / 3) as u8];
        let lt = if i % 8 == 7 {
            LinkType::LinuxSll
        } else {
            LinkType::Ethernet
        };
        let data = if lt == LinkType::LinuxSll {
            corpus::to_sll(f, 0).data
        } else {
            f.data.clone()
        };
        let extra = (f.wire_len as usize - f.data.len()).min(255) as u8;
        write(
            &dir,
            &format!("{i:02}"),
            &checks::decode_input(lt, flags, &data, extra),
        );
    }
    for (i, f) in some_frames(700).iter().take(5).enumerate() {
        // Raw IP: the frame without its Ethernet header.
        let ip = f.data.get(14..).unwrap_or(&[]);
        write(
            &dir,
            &format!("raw{i}"),
            &checks::decode_input(LinkType::Raw, [0, 0], ip, 0),
        );
    }

    let dir = root.join("savefile");
    let frames = some_frames(100);
    for (i, chunk) in frames.chunks(3).take(8).enumerate() {
        let res = if i % 2 == 0 {
            Resolution::Micro
        } else {
            Resolution::Nano
        };
        let file = pcap_file(chunk, LinkType::Ethernet, res);
        write(&dir, &format!("pcap{i}"), &file);
        // Big-endian copy of the header magic: the reader must refuse or read it.
        if i == 0 {
            let mut be = file.clone();
            be[..4].reverse();
            write(&dir, "pcap-swapped", &be);
            write(&dir, "pcap-cut", &file[..file.len() - 7]);
        }
    }
    // pcapng files as tshark's editcap writes them (several options, both resolutions).
    let tmp = std::env::temp_dir().join(format!("rawcap-seeds-{}", std::process::id()));
    fs::create_dir_all(&tmp).expect("tmp");
    for (i, chunk) in frames.chunks(4).take(6).enumerate() {
        let src = tmp.join(format!("in{i}.pcap"));
        let dst = tmp.join(format!("out{i}.pcapng"));
        fs::write(&src, pcap_file(chunk, LinkType::Ethernet, Resolution::Nano)).expect("tmp");
        let ok = Command::new("editcap")
            .args(["-F", "pcapng"])
            .arg(&src)
            .arg(&dst)
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "editcap (wireshark-common) is needed for the pcapng seeds"
        );
        write(&dir, &format!("pcapng{i}"), &fs::read(&dst).expect("read"));
    }
    let _ = fs::remove_dir_all(&tmp);

    let dir = root.join("ring");
    let frames = some_frames(200);
    for i in 0..12 {
        let picked: Vec<&[u8]> = frames
            .iter()
            .skip(i * 3)
            .take(1 + i % 4)
            .map(|f| &f.data[..])
            .collect();
        let vlan = (i % 3 == 1).then_some(100);
        write(&dir, &format!("{i:02}"), &ring_block(&picked, vlan));
    }
    write(&dir, "empty", &ring_block(&[], None));
}
