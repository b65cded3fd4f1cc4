//! rawcap and tcpdump side by side on the same live traffic, filtered: for
//! every expression both capture at once (in a test namespace) and must save
//! the same frames, or both refuse the expression (privileged).
//!
//! - `any_saves_what_tcpdump_saves`: `-i any` (a cooked socket, whose kernel
//!   filter sees packets from the network header) for 78 expressions covering
//!   every primitive family of the LINUX_SLL fixtures: `rawcap -y LINUX_SLL`
//!   against `tcpdump -y LINUX_SLL`, and by payload and direction against
//!   tcpdump's default LINUX_SLL2; `rawcap -y LINUX_SLL2` against tcpdump's
//!   default; and the library's LINUX_SLL2 capture running libpcap's own
//!   LINUX_SLL2 programs against tcpdump's LINUX_SLL2 files.
//! - `each_device_kind_saves_what_tcpdump_saves`: every kind of device `-i`
//!   can open here (veth, lo, tun, a tun typed as PPP, which is captured
//!   cooked, and one typed as an ipip tunnel, captured as raw IP), with the
//!   link type libpcap picks.
//!
//! Every capture of a test runs at once: the traffic is made once, bounded
//! in count, and stays inside the namespaces (addresses from 198.18.0.0/15).
//! tcpdump runs with `--immediate-mode`; both tools keep 2000 bytes per frame.

#[path = "common/netns.rs"]
mod netns;

use netns::*;
use rawcap::bpf::Program;
use rawcap::capture::CaptureBuilder;
use rawcap::LinkType;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const SNAPLEN: &str = "2000";

// ---------------------------------------------------------------- captures

/// One capture run by a tool, writing `file`.
struct Job {
    label: String,
    run: Option<Running>,
    refused: Option<Vec<String>>,
    file: PathBuf,
}

/// What a job saved.
#[derive(Debug)]
enum Saved {
    Refused(Vec<String>),
    Records { linktype: u32, records: Vec<Record> },
}

/// tcpdump capturing `expr` on `iface` (with `-y` when given) into `file`.
fn tcpdump(ns: &str, iface: &str, y: Option<&str>, expr: &str, file: PathBuf) -> Job {
    let f = file.to_string_lossy().into_owned();
    let mut argv = vec!["tcpdump", "-i", iface];
    if let Some(y) = y {
        argv.extend(["-y", y]);
    }
    argv.extend([
        "-s",
        SNAPLEN,
        "-B",
        "256",
        "--immediate-mode",
        "-U",
        "-Z",
        "root",
        "-w",
        &f,
    ]);
    if !expr.is_empty() {
        argv.push(expr);
    }
    Job {
        label: format!("tcpdump -i {iface} {} '{expr}'", y.unwrap_or("")),
        run: Some(Running::spawn(ns, &argv)),
        refused: None,
        file,
    }
}

/// rawcap capturing `expr` on `iface` into `file`.
fn rawcap(ns: &str, iface: &str, y: Option<&str>, expr: &str, file: PathBuf) -> Job {
    let f = file.to_string_lossy().into_owned();
    let mut argv = vec![BIN, "-i", iface, "-s", SNAPLEN, "-B", "1024", "-w", &f];
    if let Some(y) = y {
        argv.extend(["-y", y]);
    }
    if !expr.is_empty() {
        argv.push(expr);
    }
    Job {
        label: format!("rawcap -i {iface} {} '{expr}'", y.unwrap_or("")),
        run: Some(Running::spawn(ns, &argv)),
        refused: None,
        file,
    }
}

/// Waits until every job listens (or has refused its filter).
fn all_ready(jobs: &mut [Job]) {
    for j in jobs {
        let run = j.run.as_mut().expect("running");
        if let Err(err) = run.ready(Duration::from_secs(60)) {
            j.refused = Some(err);
            j.run = None;
        }
    }
}

/// Stops every job (SIGINT, as a user would) and reads what each saved.
fn stop_all(jobs: Vec<Job>) -> Vec<Saved> {
    for j in &jobs {
        if let Some(r) = &j.run {
            r.signal(nix::sys::signal::Signal::SIGINT);
        }
    }
    jobs.into_iter()
        .map(|j| match (j.run, j.refused) {
            (Some(run), _) => {
                let (status, err) = run.finish(Duration::from_secs(30));
                assert!(status.success(), "{}: {status}: {err:?}", j.label);
                assert_eq!(
                    dropped(&err),
                    Some(0),
                    "{}: the kernel dropped frames: {err:?}",
                    j.label
                );
                let (linktype, records) = pcap_file(&j.file);
                Saved::Records { linktype, records }
            }
            (None, refused) => Saved::Refused(refused.unwrap_or_default()),
        })
        .collect()
}

/// libpcap's program for `expr` on `iface` in `ns` (`tcpdump -ddd`), or its refusal.
fn libpcap_program(ns: &str, iface: &str, y: &str, expr: &str) -> Option<Program> {
    let out = Command::new("ip")
        .args(["netns", "exec", ns, "tcpdump", "-i", iface, "-y", y])
        .args(["-s", SNAPLEN, "-ddd", expr])
        .output()
        .expect("tcpdump -ddd");
    out.status
        .success()
        .then(|| Program::parse_decimal(&String::from_utf8_lossy(&out.stdout)).expect("-ddd text"))
}

/// A packet as a pcap record.
fn record(p: &rawcap::packet::Packet<'_>) -> Record {
    (p.data.to_vec(), p.wire_len)
}

fn sorted(mut v: Vec<Record>) -> Vec<Record> {
    v.sort();
    v
}

fn hex(b: &[u8]) -> String {
    b.iter().take(64).map(|x| format!("{x:02x}")).collect()
}

/// The records only one side has, for the failure message.
fn differences(ours: &[Record], theirs: &[Record]) -> String {
    let mut s = String::new();
    let only = |a: &[Record], b: &[Record]| -> Vec<String> {
        let mut b: Vec<Option<&Record>> = b.iter().map(Some).collect();
        a.iter()
            .filter(|r| match b.iter().position(|x| *x == Some(*r)) {
                Some(i) => {
                    b[i] = None;
                    false
                }
                None => true,
            })
            .map(|(d, l)| format!("    len {l} {}", hex(d)))
            .collect()
    };
    for (who, v) in [
        ("rawcap only", only(ours, theirs)),
        ("tcpdump only", only(theirs, ours)),
    ] {
        s += &format!("  {who}: {}\n", v.len());
        for l in v.iter().take(6) {
            s += l;
            s += "\n";
        }
    }
    s
}

// ---------------------------------------------------------------- traffic

/// The MAC address of `dev` in `ns`.
fn mac_of(ns: &str, dev: &str) -> [u8; 6] {
    let out = Command::new("ip")
        .args(["-n", ns, "-o", "link", "show", dev])
        .output()
        .expect("ip link show");
    let text = String::from_utf8_lossy(&out.stdout);
    let word = text
        .split_whitespace()
        .skip_while(|w| *w != "link/ether")
        .nth(1)
        .unwrap_or_else(|| panic!("no MAC for {dev}: {text}"));
    let v: Vec<u8> = word
        .split(':')
        .map(|h| u8::from_str_radix(h, 16).expect("hex"))
        .collect();
    v.try_into().expect("6 bytes")
}

mod frames {
    //! Frames injected where no socket traffic makes them: IPv6 (off in the
    //! namespaces), VLAN tags, ARP for nobody, IP options and fragments,
    //! broadcast, multicast, 802.3, an unknown EtherType.
    use etherparse::{IpHeaders, IpNumber, Ipv4Header, PacketBuilder, VlanId};

    pub const PEER: [u8; 6] = [0x02, 0, 0, 0, 0, 0x02];
    const BCAST: [u8; 6] = [0xff; 6];
    const OTHER: [u8; 6] = [0x02, 0, 0, 0, 0, 0x99];

    fn v6(last: u8) -> [u8; 16] {
        let mut a = [0u8; 16];
        a[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        a[15] = last;
        a
    }

    /// The frame a builder step writes with `payload`.
    macro_rules! build {
        ($b:expr, $payload:expr) => {{
            let mut v = Vec::new();
            $b.write(&mut v, $payload).expect("builds");
            v
        }};
    }

    /// An ARP `op` (1 request, 2 reply) from the peer (198.18.`n`.2) to
    /// `dst`, about target 198.18.`n`.`target` at `tha`.
    fn arp(n: u8, op: u8, dst: [u8; 6], tha: [u8; 6], target: u8) -> Vec<u8> {
        let mut f = Vec::new();
        f.extend_from_slice(&dst);
        f.extend_from_slice(&PEER);
        f.extend_from_slice(&[0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, op]);
        f.extend_from_slice(&PEER);
        f.extend_from_slice(&[198, 18, n, 2]);
        f.extend_from_slice(&tha);
        f.extend_from_slice(&[198, 18, n, target]);
        f
    }

    fn udp4(
        dst_mac: [u8; 6],
        src: [u8; 4],
        dst: [u8; 4],
        port: u16,
        hdr: Option<Ipv4Header>,
        payload: &[u8],
    ) -> Vec<u8> {
        let eth = PacketBuilder::ethernet2(PEER, dst_mac);
        let ip = match hdr {
            Some(h) => eth.ip(IpHeaders::Ipv4(h, Default::default())),
            None => eth.ipv4(src, dst, 64),
        };
        build!(ip.udp(40000, port), payload)
    }

    /// The injected frames, for the bed with prefix 198.18.`n` and the
    /// receiving interface's MAC `host`.
    pub fn injected(n: u8, host: [u8; 6]) -> Vec<Vec<u8>> {
        let a = [198, 18, n, 1];
        let b = [198, 18, n, 2];
        let host_v6 = || PacketBuilder::ethernet2(PEER, host).ipv6(v6(2), v6(1), 64);
        let mut out = vec![
            build!(host_v6().udp(5353, 53), b"v6-dns-query"),
            build!(host_v6().tcp(40001, 80, 1, 1000).syn(), &[]),
            build!(host_v6().icmpv6_echo_request(7, 1), b"v6-echo"),
            build!(
                PacketBuilder::ethernet2(PEER, [0x33, 0x33, 0, 0, 0, 1])
                    .ipv6(
                        v6(2),
                        [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                        1
                    )
                    .udp(5004, 5004),
                b"v6-multicast"
            ),
            build!(
                PacketBuilder::ethernet2(PEER, BCAST)
                    .single_vlan(VlanId::try_new(100).expect("vid"))
                    .ipv4([198, 19, n, 2], [198, 19, n, 1], 64)
                    .udp(40000, 5001),
                b"tagged-100"
            ),
            build!(
                PacketBuilder::ethernet2(PEER, host)
                    .single_vlan(VlanId::try_new(200).expect("vid"))
                    .ipv6(v6(2), v6(1), 64)
                    .udp(40000, 5002),
                b"tagged-200-v6"
            ),
            arp(n, 1, BCAST, [0; 6], 77),
            arp(n, 2, host, host, 1),
            udp4(BCAST, b, [255; 4], 5008, None, b"broadcast"),
            udp4(
                [0x01, 0, 0x5e, 0, 0, 0xfb],
                b,
                [224, 0, 0, 251],
                5353,
                None,
                b"mdns-ish",
            ),
            udp4(host, b, a, 5007, None, &[0x61; 1200]),
            build!(
                PacketBuilder::ethernet2(PEER, OTHER)
                    .ipv4(b, [198, 18, n, 99], 64)
                    .tcp(40002, 80, 1, 1000)
                    .syn(),
                &[]
            ),
        ];
        // IP options (4 NOPs): IHL 6.
        let mut h = Ipv4Header::new(0, 64, IpNumber::UDP, b, a).expect("header");
        h.options = [1u8, 1, 1, 1].into();
        out.push(udp4(host, b, a, 5005, Some(h), b"with-options"));
        // A first fragment (more fragments, offset 0): no reassembly ever completes.
        let mut h = Ipv4Header::new(0, 64, IpNumber::UDP, b, a).expect("header");
        h.more_fragments = true;
        h.identification = 0x4242;
        out.push(udp4(host, b, a, 5006, Some(h), b"first-fragment"));
        // 802.3 with an LLC header (spanning tree's address), and an unknown EtherType.
        let mut llc = vec![0x01, 0x80, 0xc2, 0, 0, 0];
        llc.extend_from_slice(&PEER);
        llc.extend_from_slice(&[0, 38, 0x42, 0x42, 0x03]);
        llc.extend_from_slice(&[0; 35]);
        out.push(llc);
        let mut odd = BCAST.to_vec();
        odd.extend_from_slice(&PEER);
        odd.extend_from_slice(&[0x88, 0xb5]);
        odd.extend_from_slice(b"local experimental ethertype");
        out.push(odd);
        out
    }
}

/// Permanent neighbour entries on both ends of the veth pair, so that no
/// ARP request or probe comes at a time of the kernel's choosing (ARP is
/// injected instead).
fn pin_neighbours(bed: &Bed) {
    for (ns, dev, peer_ns, peer_dev, peer_addr) in [
        (&bed.a, "va", &bed.b, "vb", bed.addr_b()),
        (&bed.b, "vb", &bed.a, "va", bed.addr_a()),
    ] {
        let mac = mac_of(peer_ns, peer_dev)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":");
        ip(&[
            "-n",
            ns,
            "neigh",
            "replace",
            &peer_addr.to_string(),
            "lladdr",
            &mac,
            "dev",
            dev,
            "nud",
            "permanent",
        ]);
    }
}

/// The traffic of the `-i any` test, seen from namespace a: veth in both
/// directions, lo, injected frames. Bounded: about 150 frames.
fn any_traffic(bed: &Bed) {
    let a = bed.addr_a();
    let lo = Ipv4Addr::LOCALHOST;
    let s80 = echo_server(&bed.a, a, 80, 2);
    let s8080 = echo_server(&bed.a, a, 8080, 1);
    let s7000 = echo_server(&bed.a, lo, 7000, 1);
    assert_eq!(tcp_clients(&bed.b, SocketAddrV4::new(a, 80), 2), 2);
    assert_eq!(tcp_clients(&bed.b, SocketAddrV4::new(a, 8080), 1), 1);
    assert_eq!(tcp_clients(&bed.a, SocketAddrV4::new(lo, 7000), 1), 1);
    // Refused: SYN, then RST.
    assert_eq!(tcp_clients(&bed.b, SocketAddrV4::new(a, 81), 1), 0);
    let dns =
        b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01";
    udp_datagrams(
        &bed.b,
        SocketAddrV4::new(a, 9),
        vec![b"discard me".to_vec(); 2],
    );
    udp_datagrams(&bed.b, SocketAddrV4::new(a, 53), vec![dns.to_vec(); 2]);
    udp_datagrams(
        &bed.b,
        SocketAddrV4::new(a, 5003),
        vec![b"data in range".to_vec(); 2],
    );
    udp_datagrams(
        &bed.a,
        SocketAddrV4::new(lo, 9),
        vec![b"loopback".to_vec(); 2],
    );
    icmp_echo(&bed.b, a, 3);
    icmp_echo(&bed.a, lo, 2);
    inject(&bed.b, "vb", frames::injected(bed.n, mac_of(&bed.a, "va")));
    for s in [s80, s8080, s7000] {
        assert!(s.join().expect("echo server") > 0);
    }
}

/// The expressions of the `-i any` test: every primitive family of the
/// LINUX_SLL fixtures, `{A}`/`{B}`/`{N}` standing for the bed's addresses.
const ANY_EXPRESSIONS: &[&str] = &[
    // The issue's six.
    "icmp",
    "tcp port 80",
    "host {B} and not udp",
    "udp and dst port 9",
    "ip6 or arp",
    "not icmp",
    // Protocols.
    "ip",
    "ip6",
    "arp",
    "tcp",
    "udp",
    "icmp6",
    "ip proto 17",
    "ip6 proto 58",
    "proto 17",
    "sctp",
    "link proto 0x88b5",
    // Hosts and nets.
    "host {A}",
    "src host {B}",
    "dst host {A}",
    "host 127.0.0.1",
    "ip6 host 2001:db8::2",
    "net 198.18.{N}.0/24",
    "src net 198.18.0.0/15",
    "net 127.0.0.0/8",
    "ip6 net 2001:db8::/32",
    "dst net 224.0.0.0/4",
    "ip multicast",
    // Ports and ranges.
    "port 80",
    "tcp dst port 80",
    "udp port 9",
    "src port 80",
    "dst port 53",
    "port 5003 or port 8080",
    "portrange 5000-5010",
    "udp portrange 5000-5005",
    "tcp dst portrange 1-100",
    "ip6 and portrange 1-1000",
    // ICMP types, TCP flags, header bytes.
    "icmp[icmptype] = icmp-echo",
    "icmp[icmptype] = icmp-unreach",
    "icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply",
    "icmp6[icmp6type] = icmp6-echo",
    "tcp[tcpflags] & tcp-syn != 0",
    "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0",
    "tcp[tcpflags] & tcp-rst != 0",
    "tcp[13] = 0x12",
    "tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x68656c6c",
    "ip[8] = 64",
    "ip[6:2] & 0x3fff != 0",
    "ip[0] & 0xf > 5",
    "udp[8:4] = 0x64617461",
    "ip6 protochain 6",
    "ip protochain 17",
    // IPv6, ARP, VLAN (libpcap refuses `vlan` on cooked headers).
    "ip6 and udp",
    "ip6 and tcp port 80",
    "arp host 198.18.{N}.77",
    "arp[6:2] = 1",
    "vlan",
    "vlan 100",
    // Lengths.
    "len <= 100",
    "greater 500",
    "less 64",
    "udp and len > 1000",
    // Direction, interface.
    "inbound",
    "outbound",
    "inbound and icmp",
    "outbound and udp",
    "ifindex 1",
    // The link header: refused Ethernet primitives, fields the kernel
    // has (packet type, ARPHRD type, protocol), bytes it has not (userland).
    "ether host 02:00:00:00:00:02",
    "ether broadcast",
    "link[1] = 4",
    "link[0:2] = 4",
    "link[2:2] = 772",
    "link[14:2] = 0x86dd",
    "link[6:2] = 0x0200",
    "link[4:2] = 6 and udp",
];

/// A LINUX_SLL record as (packet type, protocol, bytes after the header and
/// any VLAN tag, length after them), for comparing with LINUX_SLL2.
fn sll_view(r: &Record) -> (u8, u16, Vec<u8>, u32) {
    let d = &r.0;
    let be16 = |i: usize| u16::from_be_bytes([d[i], d[i + 1]]);
    let (proto, body) = if be16(14) == 0x8100 && d.len() >= 20 {
        (be16(18), 20)
    } else {
        (be16(14), 16)
    };
    (d[1], proto, d[body..].to_vec(), r.1 - body as u32)
}

fn sll2_view(r: &Record) -> (u8, u16, Vec<u8>, u32) {
    let d = &r.0;
    (
        d[10],
        u16::from_be_bytes([d[0], d[1]]),
        d[20..].to_vec(),
        r.1 - 20,
    )
}

/// Loads of header bytes mean different fields in LINUX_SLL and LINUX_SLL2.
fn reads_link_header(expr: &str) -> bool {
    expr.contains("link[")
}

/// Expressions libpcap's live capture on a cooked socket gets wrong: its
/// `fix_offset` turns a 1-byte load at the offset of the packet type
/// (LINUX_SLL byte 0) or of the protocol (LINUX_SLL byte 14, LINUX_SLL2
/// byte 0) into the ancillary load of the whole 2-byte field, so tcpdump
/// compares the packet type or the EtherType with what was meant as its
/// high byte. rawcap filters these in userland; for them the oracle is
/// libpcap's verdict on the same frames, `tcpdump -r` of tcpdump's
/// unfiltered capture, and the test also requires tcpdump's live capture
/// to differ from it (so the list stays true). Frames with a VLAN tag are
/// left out of these comparisons: a live filter sees them untagged (the
/// kernel's, and libpcap's userland one, which runs before the tag goes
/// back into the LINUX_SLL header), `tcpdump -r` sees them tagged.
const LIBPCAP_LIVE_MISREADS: &[&str] = &["link[0] = 0", "link[14] = 8"];

/// `tcpdump -r all -w FILE expr`: libpcap's verdict on the frames of `all`.
fn offline(all: &std::path::Path, expr: &str, out: PathBuf) -> Vec<Record> {
    let st = Command::new("tcpdump")
        .arg("-r")
        .arg(all)
        .arg("-w")
        .arg(&out)
        .arg(expr)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("tcpdump -r");
    assert!(st.success(), "tcpdump -r {} '{expr}'", all.display());
    sorted(pcap_file(&out).1)
}

fn records(s: &Saved, linktype: u32, what: &str) -> Vec<Record> {
    match s {
        Saved::Records {
            linktype: l,
            records,
        } if *l == linktype => sorted(records.clone()),
        other => panic!("{what}: expected link type {linktype}, got {other:?}"),
    }
}

#[test]
fn any_saves_what_tcpdump_saves() {
    if !privileged("any_saves_what_tcpdump_saves") {
        return;
    }
    let bed = Bed::new();
    pin_neighbours(&bed);
    let dir = TempDir::new("any");
    let exprs: Vec<String> = ANY_EXPRESSIONS
        .iter()
        .chain(LIBPCAP_LIVE_MISREADS)
        .map(|e| {
            e.replace("{A}", &bed.addr_a().to_string())
                .replace("{B}", &bed.addr_b().to_string())
                .replace("{N}", &bed.n.to_string())
        })
        .collect();
    let started = Instant::now();
    let mut jobs = vec![
        tcpdump(
            &bed.a,
            "any",
            Some("LINUX_SLL"),
            "",
            dir.file("all.sll.pcap"),
        ),
        tcpdump(&bed.a, "any", None, "", dir.file("all.sll2.pcap")),
    ];
    for (i, e) in exprs.iter().enumerate() {
        jobs.push(tcpdump(
            &bed.a,
            "any",
            Some("LINUX_SLL"),
            e,
            dir.file(&format!("{i}.sll.pcap")),
        ));
        jobs.push(tcpdump(
            &bed.a,
            "any",
            None,
            e,
            dir.file(&format!("{i}.sll2.pcap")),
        ));
        for y in ["LINUX_SLL", "LINUX_SLL2"] {
            let file = dir.file(&format!("{i}.rawcap.{y}.pcap"));
            jobs.push(rawcap(&bed.a, "any", Some(y), e, file));
        }
    }
    // The library's LINUX_SLL2 capture, running libpcap's LINUX_SLL2 program
    // (protochain's backward loop, which only libpcap's userland runs, is left out).
    let lib: Vec<Option<Collector<Record>>> = exprs
        .iter()
        .map(|e| {
            let prog = libpcap_program(&bed.a, "any", "LINUX_SLL2", e)
                .filter(|p| rawcap::bpf::validate(p).is_ok())?;
            let b = CaptureBuilder::new("any")
                .linktype(LinkType::LinuxSll2)
                .snaplen(2000)
                .buffer_size(1 << 20)
                .filter(prog);
            Some(Collector::start(open_in(&bed.a, b), record))
        })
        .collect();
    all_ready(&mut jobs);
    eprintln!(
        "{} captures listening after {:?}",
        jobs.len() + lib.len(),
        started.elapsed()
    );
    any_traffic(&bed);
    std::thread::sleep(Duration::from_millis(500));
    for c in lib.iter().flatten() {
        c.stop();
    }
    let saved = stop_all(jobs);
    let lib: Vec<Option<Vec<Record>>> = lib
        .into_iter()
        .map(|c| c.map(|c| sorted(c.finish().0)))
        .collect();
    let (all_sll, all_sll2) = (dir.file("all.sll.pcap"), dir.file("all.sll2.pcap"));
    let mut failures = Vec::new();
    let (mut compared, mut frames, mut refused, mut matched_any, mut userland) = (0, 0, 0, 0, 0);
    let (mut compared2, mut frames2) = (0, 0);
    let mut no_sll2 = None;
    for (i, e) in exprs.iter().enumerate() {
        let at = 2 + 4 * i;
        let [sll, sll2, ours, ours2] = [&saved[at], &saved[at + 1], &saved[at + 2], &saved[at + 3]];
        if let (Saved::Refused(theirs), Saved::Refused(ours)) = (sll, ours) {
            refused += 1;
            let why = |v: &[String], tool: &str| {
                let l = v.iter().rev().find(|l| l.starts_with(tool));
                l.cloned().unwrap_or_default()
            };
            eprintln!(
                "  both refuse '{e}': {} / {}",
                why(theirs, "tcpdump:"),
                why(ours, "rawcap:")
            );
            assert!(
                matches!(sll2, Saved::Refused(_)),
                "{e}: refused on LINUX_SLL only"
            );
            assert!(lib[i].is_none());
            assert!(
                matches!(ours2, Saved::Refused(_)),
                "{e}: rawcap refuses it on LINUX_SLL only"
            );
            continue;
        }
        let theirs = records(sll, 113, &format!("tcpdump -y LINUX_SLL '{e}'"));
        let ours = records(ours, 113, &format!("rawcap '{e}'"));
        let v2 = records(sll2, 276, &format!("tcpdump '{e}'"));
        compared += 1;
        frames += ours.len();
        matched_any += usize::from(!ours.is_empty());
        let misread = LIBPCAP_LIVE_MISREADS.contains(&e.as_str());
        let (ours, want, want2) = if misread {
            userland += 1;
            let untagged = |v: Vec<Record>| -> Vec<Record> {
                v.into_iter().filter(|r| r.0[14..16] != [0x81, 0]).collect()
            };
            let want = offline(&all_sll, e, dir.file(&format!("{i}.want.sll.pcap")));
            let want2 = offline(&all_sll2, e, dir.file(&format!("{i}.want.sll2.pcap")));
            assert_ne!(
                want, theirs,
                "'{e}': tcpdump's live capture got it right after all"
            );
            (untagged(ours), untagged(want), want2)
        } else {
            (ours, theirs, v2.clone())
        };
        if ours != want {
            failures.push(format!(
                "'{e}': rawcap {} frames, tcpdump -y LINUX_SLL {}{}\n{}",
                ours.len(),
                want.len(),
                if misread { " (offline)" } else { "" },
                differences(&ours, &want)
            ));
        }
        if !reads_link_header(e) {
            let mut a: Vec<_> = ours.iter().map(sll_view).collect();
            let mut b: Vec<_> = v2.iter().map(sll2_view).collect();
            a.sort();
            b.sort();
            if a != b {
                failures.push(format!(
                    "'{e}': rawcap {} frames, tcpdump LINUX_SLL2 {} (by payload and direction)",
                    a.len(),
                    b.len()
                ));
            }
        }
        // rawcap -y LINUX_SLL2, once the compiler knows LINUX_SLL2.
        match ours2 {
            Saved::Refused(err)
                if err
                    .iter()
                    .any(|l| l.contains("does not compile filters for link type LINUX_SLL2")) =>
            {
                no_sll2 = err.iter().find(|l| l.starts_with("rawcap:")).cloned();
            }
            _ => {
                let ours2 = records(ours2, 276, &format!("rawcap -y LINUX_SLL2 '{e}'"));
                compared2 += 1;
                frames2 += ours2.len();
                if ours2 != want2 {
                    failures.push(format!(
                        "'{e}': rawcap -y LINUX_SLL2 {} frames, tcpdump LINUX_SLL2 {}\n{}",
                        ours2.len(),
                        want2.len(),
                        differences(&ours2, &want2)
                    ));
                }
            }
        }
        if let Some(lib) = &lib[i] {
            if *lib != want2 {
                failures.push(format!(
                    "'{e}': library LINUX_SLL2 capture {} frames, tcpdump LINUX_SLL2 {}\n{}",
                    lib.len(),
                    want2.len(),
                    differences(lib, &want2)
                ));
            }
        }
    }
    eprintln!(
        "-i any: {} expressions: {compared} compared ({matched_any} matched frames, {frames} frames saved by rawcap; {userland} against libpcap's offline verdict), {refused} refused by both; -y LINUX_SLL2: {compared2} compared, {frames2} frames; {} differ",
        exprs.len(),
        failures.len()
    );
    if let Some(why) = no_sll2 {
        eprintln!("  rawcap -y LINUX_SLL2 not compared: {why}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        compared >= 40 && matched_any >= 40,
        "{compared} {matched_any}"
    );
}

// ---------------------------------------------------------------- every device kind

/// A tun device held open by the test (a tun without a reader has no
/// carrier, and the kernel then sends nothing through it).
struct Tun {
    fd: std::os::fd::OwnedFd,
    local: [u8; 4],
    peer: [u8; 4],
}

/// `_IOW('T', 202, int)` and `_IOW('T', 205, int)` (linux/if_tun.h).
const TUNSETIFF: libc::c_ulong = 0x4004_54ca;
const TUNSETLINK: libc::c_ulong = 0x4004_54cd;

/// A tun device `name` in `ns` (IFF_TUN, no packet information) whose
/// hardware type is set to `hatype` (TUNSETLINK, as PPP or tunnel drivers
/// would have it), up, with `local` and a point-to-point `peer`.
fn tun(ns: &str, name: &str, hatype: Option<u16>, local: [u8; 4], peer: [u8; 4]) -> Tun {
    let n = name.to_string();
    let fd = in_ns(ns, move || {
        use std::os::fd::{AsRawFd, OwnedFd};
        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/net/tun")
            .expect("/dev/net/tun");
        let fd = OwnedFd::from(f);
        // struct ifreq: the name, then ifr_flags (IFF_TUN | IFF_NO_PI).
        let mut ifr = [0u8; 40];
        ifr[..n.len()].copy_from_slice(n.as_bytes());
        ifr[16..18].copy_from_slice(&(0x0001u16 | 0x1000).to_ne_bytes());
        // SAFETY: `ifr` is a 40-byte struct ifreq that outlives the call.
        let r = unsafe { libc::ioctl(fd.as_raw_fd(), TUNSETIFF, ifr.as_mut_ptr()) };
        assert_eq!(r, 0, "TUNSETIFF: {}", std::io::Error::last_os_error());
        if let Some(t) = hatype {
            // SAFETY: TUNSETLINK takes the ARPHRD type by value.
            let r = unsafe { libc::ioctl(fd.as_raw_fd(), TUNSETLINK, libc::c_ulong::from(t)) };
            assert_eq!(r, 0, "TUNSETLINK: {}", std::io::Error::last_os_error());
        }
        fd
    });
    let dot = |a: [u8; 4]| format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]);
    ip(&[
        "-n",
        ns,
        "addr",
        "add",
        &dot(local),
        "peer",
        &dot(peer),
        "dev",
        name,
    ]);
    ip(&["-n", ns, "link", "set", name, "up"]);
    Tun { fd, local, peer }
}

impl Tun {
    /// Packets from the peer, written into the device (the kernel receives
    /// them on it and answers through it): echo requests, datagrams to a
    /// closed port, a SYN to a closed port, an IPv6 datagram.
    fn traffic(&self) {
        use etherparse::PacketBuilder;
        let (src, dst) = (self.peer, self.local);
        let mut packets = Vec::new();
        for seq in 0..3 {
            let mut v = Vec::new();
            PacketBuilder::ipv4(src, dst, 64)
                .icmpv4_echo_request(9, seq)
                .write(&mut v, b"tun-echo")
                .expect("builds");
            packets.push(v);
        }
        for _ in 0..2 {
            let mut v = Vec::new();
            PacketBuilder::ipv4(src, dst, 64)
                .udp(40000, 9)
                .write(&mut v, b"tun-discard")
                .expect("builds");
            packets.push(v);
        }
        let mut v = Vec::new();
        PacketBuilder::ipv4(src, dst, 64)
            .tcp(40001, 80, 7, 1000)
            .syn()
            .write(&mut v, &[])
            .expect("builds");
        packets.push(v);
        let mut v = Vec::new();
        let mut six = [0u8; 16];
        six[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        PacketBuilder::ipv6(six, six, 64)
            .udp(40000, 5002)
            .write(&mut v, b"tun-v6")
            .expect("builds");
        packets.push(v);
        for p in packets {
            let n = nix::unistd::write(&self.fd, &p).expect("writing into the tun");
            assert_eq!(n, p.len());
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// Expressions whose first matching frame tcpdump loses on a device that is
/// not cooked. libpcap binds the socket before it sets the filter, so it runs
/// the filter in userland on the first frames after setting it (pcap-linux.c,
/// `blocks_to_filter_in_userland`: one frame with TPACKET_V2); its userland
/// interpreter returns 0 for an ancillary load other than the VLAN ones, and
/// `inbound`/`outbound` are `ldh [type]` there. rawcap attaches before it
/// binds and keeps that frame; the test requires exactly that difference:
/// rawcap's first frame, which tcpdump does not have, and then the same frames.
const FIRST_FRAME_LOST: &[&str] = &["inbound", "outbound"];

/// Expressions for every device, and those for one link type.
const DEVICE_EXPRESSIONS: &[&str] = &[
    "",
    "icmp",
    "udp",
    "tcp",
    "not icmp",
    "host {PEER}",
    "ip6",
    "icmp[icmptype] = icmp-echoreply",
    "tcp[tcpflags] & tcp-rst != 0",
    "inbound",
    "outbound",
    "len > 60",
    "ip[8] = 64",
];
const ETHERNET_EXPRESSIONS: &[&str] = &[
    "arp",
    "vlan",
    "vlan 100",
    "vlan and ip6",
    "ether broadcast",
    "ether src 02:00:00:00:00:02",
    "ether[12:2] = 0x88b5",
];
const COOKED_EXPRESSIONS: &[&str] = &[
    "link[0:2] = 4",
    "link[2:2] = 512",
    "link[14:2] = 0x0800",
    "link[4:2] = 0",
    "vlan",
    "ether host 02:00:00:00:00:02",
];
const RAW_EXPRESSIONS: &[&str] = &[
    "ip[0] & 0xf0 = 0x40",
    "ether host 02:00:00:00:00:02",
    "vlan",
];

#[test]
fn each_device_kind_saves_what_tcpdump_saves() {
    if !privileged("each_device_kind_saves_what_tcpdump_saves") {
        return;
    }
    let bed = Bed::new();
    pin_neighbours(&bed);
    let n = bed.n;
    let dir = TempDir::new("devices");
    // tun: ARPHRD_NONE (raw IP); typed as PPP (512): cooked, as libpcap
    // captures PPP; typed as an ipip tunnel (ARPHRD_TUNNEL, 768): raw IP.
    let tuns = [
        tun(&bed.a, "tun0", None, [198, 18, n, 129], [198, 18, n, 130]),
        tun(
            &bed.a,
            "tunppp",
            Some(512),
            [198, 18, n, 131],
            [198, 18, n, 132],
        ),
        tun(
            &bed.a,
            "tunipip",
            Some(768),
            [198, 18, n, 133],
            [198, 18, n, 134],
        ),
    ];
    let vlan_dev = Command::new("ip")
        .args(["-n", &bed.a, "link", "add", "link", "va", "name", "va.100"])
        .args(["type", "vlan", "id", "100"])
        .output()
        .expect("ip link add");
    let mut devices = vec![
        ("va", 1u32, bed.addr_b().to_string(), ETHERNET_EXPRESSIONS),
        ("lo", 1, "127.0.0.1".to_string(), ETHERNET_EXPRESSIONS),
        (
            "tun0",
            101,
            "198.18.N.130".replace('N', &n.to_string()),
            RAW_EXPRESSIONS,
        ),
        (
            "tunppp",
            113,
            "198.18.N.132".replace('N', &n.to_string()),
            COOKED_EXPRESSIONS,
        ),
        (
            "tunipip",
            101,
            "198.18.N.134".replace('N', &n.to_string()),
            RAW_EXPRESSIONS,
        ),
    ];
    if vlan_dev.status.success() {
        ip(&[
            "-n",
            &bed.a,
            "addr",
            "add",
            &format!("198.19.{n}.1/24"),
            "dev",
            "va.100",
        ]);
        ip(&["-n", &bed.a, "link", "set", "va.100", "up"]);
        devices.push(("va.100", 1, format!("198.19.{n}.2"), ETHERNET_EXPRESSIONS));
    } else {
        eprintln!(
            "no VLAN sub-interface: this kernel has no 802.1Q support ({}); tagged frames on va are compared instead",
            String::from_utf8_lossy(&vlan_dev.stderr).trim()
        );
    }
    let mut jobs = Vec::new();
    let mut cases = Vec::new();
    for (dev, linktype, peer, extra) in &devices {
        for e in DEVICE_EXPRESSIONS.iter().chain(extra.iter()) {
            let e = e.replace("{PEER}", peer);
            let i = cases.len();
            jobs.push(tcpdump(
                &bed.a,
                dev,
                None,
                &e,
                dir.file(&format!("{i}.tcpdump.pcap")),
            ));
            let file = dir.file(&format!("{i}.rawcap.pcap"));
            jobs.push(rawcap(&bed.a, dev, None, &e, file));
            cases.push((dev.to_string(), *linktype, e));
        }
    }
    all_ready(&mut jobs);
    any_traffic(&bed);
    for t in &tuns {
        t.traffic();
    }
    std::thread::sleep(Duration::from_millis(500));
    let saved = stop_all(jobs);
    let mut failures = Vec::new();
    let (mut compared, mut refused, mut frames, mut first_frames) = (0, 0, 0, 0);
    let mut per_device = std::collections::BTreeMap::<String, (usize, usize)>::new();
    for (i, (dev, linktype, e)) in cases.iter().enumerate() {
        match (&saved[2 * i], &saved[2 * i + 1]) {
            (Saved::Refused(_), Saved::Refused(_)) => refused += 1,
            (
                Saved::Records {
                    linktype: lt_theirs,
                    records: theirs,
                },
                Saved::Records {
                    linktype: lt_ours,
                    records: ours,
                },
            ) => {
                compared += 1;
                frames += ours.len();
                let d = per_device.entry(dev.clone()).or_default();
                d.0 += 1;
                d.1 += ours.len();
                assert_eq!(*lt_theirs, *linktype, "-i {dev}: libpcap's link type");
                if lt_ours != lt_theirs {
                    failures.push(format!(
                        "-i {dev} '{e}': link type {lt_ours}, tcpdump {lt_theirs}"
                    ));
                }
                // libpcap's first frame: see FIRST_FRAME_LOST.
                let mut ours = ours.clone();
                if *linktype != 113 && FIRST_FRAME_LOST.contains(&e.as_str()) && !ours.is_empty() {
                    let first = ours.remove(0);
                    assert!(
                        !theirs.contains(&first),
                        "-i {dev} '{e}': tcpdump kept its first frame"
                    );
                    first_frames += 1;
                }
                let (ours, theirs) = (sorted(ours), sorted(theirs.clone()));
                if ours != theirs {
                    failures.push(format!(
                        "-i {dev} '{e}': rawcap {} frames, tcpdump {}\n{}",
                        ours.len(),
                        theirs.len(),
                        differences(&ours, &theirs)
                    ));
                }
            }
            (a, b) => failures.push(format!("-i {dev} '{e}': tcpdump {a:?}\nrawcap {b:?}")),
        }
    }
    for (dev, (n, f)) in &per_device {
        eprintln!("  -i {dev}: {n} expressions compared, {f} frames saved by rawcap");
    }
    eprintln!(
        "devices: {} captures compared ({frames} frames; {first_frames} times the first frame tcpdump loses), {refused} refused by both; {} differ",
        compared,
        failures.len()
    );
    drop(tuns);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(per_device.values().all(|(_, f)| *f > 0));
}
