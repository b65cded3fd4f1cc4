//! Live capture in network namespaces the tests create (privileged).
//!
//! Each test builds its own bed: two namespaces `rcN-PID-a` / `rcN-PID-b`
//! joined by a veth pair (`va` in a, `vb` in b) with 198.18.N.1/24 and
//! 198.18.N.2/24, IPv6 off (so no neighbour-discovery noise). Nothing is
//! created in the root namespace and nothing is sent outside the pair; the
//! bed's `Drop` deletes both namespaces (and with them the veth), also on
//! panic, and each new bed sweeps beds left by dead test processes.
//!
//! Library tests open captures and make traffic from threads that entered a
//! namespace with setns(2); CLI tests run the built binary under
//! `ip netns exec`. Without root the tests print why and pass, unless
//! RAWCAP_REQUIRE_PRIVILEGED=1, where that is a failure.

use rawcap::bpf::{code, Insn, Program};
use rawcap::capture::{CaptureBuilder, ReadPath};
use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "common/netns.rs"]
mod netns;
use netns::*;

// ---------------------------------------------------------------- programs

/// `ret #snaplen`: keep everything.
fn accept_all() -> Program {
    Program::new(vec![Insn::stmt(code::RET | code::K, 262_144)])
}

/// libpcap's program for `expr` (the oracle), optionally compiled for a live
/// interface in a namespace (so that `vlan` uses the Linux ancillary loads).
fn libpcap_program(expr: &str, live: Option<(&str, &str)>) -> Program {
    let out = match live {
        Some((ns, dev)) => Command::new("ip")
            .args(["netns", "exec", ns, "tcpdump", "-i", dev, "-ddd", expr])
            .output(),
        None => Command::new("tcpdump").args(["-ddd", expr]).output(),
    }
    .expect("running tcpdump (the oracle)");
    assert!(
        out.status.success(),
        "tcpdump -ddd {expr}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let insns = text
        .lines()
        .skip(1)
        .map(|l| {
            let v: Vec<u32> = l
                .split_whitespace()
                .map(|w| w.parse().expect("number"))
                .collect();
            Insn::jump(v[0] as u16, v[3], v[1] as u8, v[2] as u8)
        })
        .collect();
    Program::new(insns)
}

// ---------------------------------------------------------------- frames

/// One captured frame, copied out of the ring.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Got {
    data: Vec<u8>,
    wire_len: u32,
    pkttype: u8,
}

/// Ethernet + IPv4 + TCP/UDP ports, when the frame has them (tag-aware).
fn ports(f: &[u8]) -> Option<(u8, u16, u16)> {
    let mut off = 12;
    let mut et = u16::from_be_bytes([*f.get(off)?, *f.get(off + 1)?]);
    if et == 0x8100 {
        off += 4;
        et = u16::from_be_bytes([*f.get(off)?, *f.get(off + 1)?]);
    }
    if et != 0x0800 {
        return None;
    }
    let ip = f.get(off + 2..)?;
    let ihl = usize::from(ip.first()? & 0x0f) * 4;
    let proto = *ip.get(9)?;
    let l4 = ip.get(ihl..)?;
    let p = |i: usize| Some(u16::from_be_bytes([*l4.get(i)?, *l4.get(i + 1)?]));
    Some((proto, p(0)?, p(2)?))
}

fn is_tcp_port(f: &[u8], port: u16) -> bool {
    matches!(ports(f), Some((6, s, d)) if s == port || d == port)
}

fn vlan_id(f: &[u8]) -> Option<u16> {
    (f.get(12..14)? == [0x81, 0x00]).then(|| u16::from_be_bytes([f[14], f[15]]) & 0x0fff)
}

/// A frame as the collectors of these tests keep it.
fn got(p: &rawcap::packet::Packet<'_>) -> Got {
    Got {
        data: p.data.to_vec(),
        wire_len: p.wire_len,
        pkttype: p.pkttype.map_or(255, |t| t.raw()),
    }
}

// ---------------------------------------------------------------- traffic

/// The mixed traffic of the filter tests; returns the completed exchanges.
fn mixed_traffic(bed: &Bed, per_kind: usize) -> (usize, usize) {
    let s80 = echo_server(&bed.a, bed.addr_a(), 80, per_kind);
    let s12345 = echo_server(&bed.a, bed.addr_a(), 12345, per_kind);
    let ok80 = tcp_clients(&bed.b, SocketAddrV4::new(bed.addr_a(), 80), per_kind);
    let ok12345 = tcp_clients(&bed.b, SocketAddrV4::new(bed.addr_a(), 12345), per_kind);
    udp_send(&bed.b, SocketAddrV4::new(bed.addr_a(), 80), per_kind);
    icmp_echo(&bed.b, bed.addr_a(), per_kind as u16);
    assert_eq!(s80.join().expect("server"), per_kind);
    assert_eq!(s12345.join().expect("server"), per_kind);
    (ok80, ok12345)
}

// ---------------------------------------------------------------- library tests

#[test]
fn tcp_port_80_delivers_exactly_the_port_80_frames() {
    if !privileged("tcp_port_80_delivers_exactly_the_port_80_frames") {
        return;
    }
    let bed = Bed::new();
    let all = Collector::start(
        open_in(&bed.a, CaptureBuilder::new("va").filter(accept_all())),
        got,
    );
    let port80 = Collector::start(
        open_in(
            &bed.a,
            CaptureBuilder::new("va").filter(libpcap_program("tcp port 80", None)),
        ),
        got,
    );
    let (ok80, ok12345) = mixed_traffic(&bed, 10);
    assert_eq!((ok80, ok12345), (10, 10));
    let (all, _) = all.finish();
    let (got, stats) = port80.finish();
    let want: Vec<_> = all
        .iter()
        .filter(|g| is_tcp_port(&g.data, 80))
        .cloned()
        .collect();
    // Each exchange is at least SYN, SYN-ACK, ACK, data, data, FIN, FIN (+ ACKs).
    assert!(
        want.len() >= 10 * 7,
        "only {} port-80 frames on the wire",
        want.len()
    );
    assert!(all.iter().any(|g| is_tcp_port(&g.data, 12345)));
    assert!(all
        .iter()
        .any(|g| matches!(ports(&g.data), Some((17, _, 80)))));
    assert!(
        all.iter()
            .any(|g| matches!(ports(&g.data), Some((1, _, _)))),
        "no ICMP seen"
    );
    assert_eq!(
        got, want,
        "the filtered capture differs from the port-80 frames on the wire"
    );
    assert_eq!(stats.received, got.len() as u64);
    assert_eq!(stats.dropped, 0);
    eprintln!(
        "tcp port 80: {} of {} frames on the wire delivered, stats {stats:?}",
        got.len(),
        all.len()
    );
}

#[test]
fn attach_is_race_free_under_a_flood() {
    if !privileged("attach_is_race_free_under_a_flood") {
        return;
    }
    let bed = Bed::new();
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let to = SocketAddrV4::new(bed.addr_a(), 9999);
    let flood = {
        let (stop, sent) = (Arc::clone(&stop), Arc::clone(&sent));
        spawn_in(&bed.b, move || {
            let s = UdpSocket::bind("0.0.0.0:0").expect("udp bind");
            let deadline = Instant::now() + Duration::from_secs(120);
            // Bounded: at most 20 million datagrams or 120 s.
            for i in 0..20_000_000u64 {
                if i % 256 == 0 && (stop.load(Ordering::Relaxed) || Instant::now() > deadline) {
                    break;
                }
                let _ = s.send_to(b"not port 80", to);
                sent.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    let prog = libpcap_program("tcp port 80", None);
    let mut leaked = 0usize;
    let mut seen_by_probe = 0usize;
    let started = Instant::now();
    const ROUNDS: usize = 200;
    for round in 0..ROUNDS {
        let path = if round % 2 == 0 {
            ReadPath::Ring
        } else {
            ReadPath::RecvFrom
        };
        let b = CaptureBuilder::new("va")
            .filter(prog.clone())
            .snaplen(256)
            .buffer_size(64 << 10)
            .read_timeout(Duration::from_millis(10))
            .read_path(path);
        let mut cap = open_in(&bed.a, b);
        for _ in 0..3 {
            cap.next_batch(|_| leaked += 1).expect("read");
        }
        drop(cap);
        if round % 50 == 0 {
            // Prove the flood is running: an accept-all capture sees it.
            let mut probe = open_in(
                &bed.a,
                CaptureBuilder::new("va")
                    .filter(accept_all())
                    .snaplen(256)
                    .buffer_size(64 << 10)
                    .read_timeout(Duration::from_millis(10)),
            );
            for _ in 0..5 {
                probe
                    .next_batch(|_| seen_by_probe += 1)
                    .expect("probe read");
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let naive = naive_attach_leaks(&bed.a, ROUNDS);
    stop.store(true, Ordering::SeqCst);
    flood.join().expect("flood");
    let sent = sent.load(Ordering::SeqCst);
    eprintln!(
        "race: {ROUNDS} open/close cycles in {secs:.1}s while {sent} datagrams flooded; \
         {leaked} non-matching frames delivered; probe saw {seen_by_probe}; \
         control (socket(ETH_P_ALL) then attach) leaked {naive} frames in {ROUNDS} opens"
    );
    assert!(seen_by_probe > 0, "the flood never reached the interface");
    assert_eq!(leaked, 0, "non-matching frames reached the reader");
}

/// The control for the race test: the naive order (socket with ETH_P_ALL,
/// which receives at once, then SO_ATTACH_FILTER with a reject-all filter)
/// lets frames through. Returns how many leaked in `rounds` opens.
fn naive_attach_leaks(ns: &str, rounds: usize) -> usize {
    in_ns(ns, move || {
        use socket2::{Domain, Protocol, SockFilter, Socket, Type};
        let mut leaked = 0;
        for _ in 0..rounds {
            let proto = Protocol::from(i32::from(0x0003u16.to_be()));
            let s = Socket::new(Domain::PACKET, Type::RAW, Some(proto)).expect("socket");
            s.attach_filter(&[SockFilter::new(code::RET | code::K, 0, 0, 0)])
                .expect("attach");
            s.set_nonblocking(true).expect("nonblocking");
            let mut buf = [std::mem::MaybeUninit::<u8>::uninit(); 2048];
            while s.recv(&mut buf).is_ok() {
                leaked += 1;
            }
        }
        leaked
    })
}

#[test]
fn ring_and_recvfrom_deliver_identical_frames() {
    if !privileged("ring_and_recvfrom_deliver_identical_frames") {
        return;
    }
    let bed = Bed::new();
    let ring = open_in(&bed.a, CaptureBuilder::new("va").read_path(ReadPath::Ring));
    let recv = open_in(
        &bed.a,
        CaptureBuilder::new("va").read_path(ReadPath::RecvFrom),
    );
    assert!(ring.uses_ring() && !recv.uses_ring());
    let (ring, recv) = (Collector::start(ring, got), Collector::start(recv, got));
    mixed_traffic(&bed, 5);
    let (a, sa) = ring.finish();
    let (b, sb) = recv.finish();
    assert!(a.len() > 50, "too little traffic: {}", a.len());
    assert_eq!(a, b, "ring and recvfrom paths differ");
    assert_eq!(sa.received, a.len() as u64);
    assert_eq!(sb.received, b.len() as u64);
    eprintln!("ring == recvfrom over {} frames", a.len());
}

#[test]
fn fanout_delivers_each_frame_exactly_once() {
    if !privileged("fanout_delivers_each_frame_exactly_once") {
        return;
    }
    let bed = Bed::new();
    let group = (std::process::id() as u16).wrapping_add(7);
    let reference = Collector::start(open_in(&bed.a, CaptureBuilder::new("va")), got);
    let workers: Vec<_> = (0..2)
        .map(|_| {
            Collector::start(
                open_in(&bed.a, CaptureBuilder::new("va").fanout(group)),
                got,
            )
        })
        .collect();
    let server = echo_server(&bed.a, bed.addr_a(), 12345, 30);
    assert_eq!(
        tcp_clients(&bed.b, SocketAddrV4::new(bed.addr_a(), 12345), 30),
        30
    );
    server.join().expect("server");
    let (mut want, _) = reference.finish();
    let per: Vec<Vec<Got>> = workers.into_iter().map(|w| w.finish().0).collect();
    let mut union: Vec<Got> = per.iter().flatten().cloned().collect();
    eprintln!(
        "fanout: {} + {} frames, reference {}",
        per[0].len(),
        per[1].len(),
        want.len()
    );
    assert_eq!(union.len(), want.len(), "a frame was lost or duplicated");
    union.sort();
    want.sort();
    assert_eq!(union, want);
    assert!(
        per.iter().all(|p| !p.is_empty()),
        "30 flows all hashed to one socket"
    );
}

/// A broadcast Ethernet frame, 802.1Q-tagged when `vid` is given, carrying
/// IPv4/UDP from 198.19.n.2 to 198.19.n.1 port 80 (no host owns 198.19.n.1,
/// so nothing answers).
fn udp_frame(n: u8, vid: Option<u16>, seq: u8) -> Vec<u8> {
    let mut f = vec![0xff; 6];
    f.extend_from_slice(&[0x02, 0, 0, 0, n, 2]);
    if let Some(vid) = vid {
        f.extend_from_slice(&[0x81, 0x00]);
        f.extend_from_slice(&(0x2000 | vid).to_be_bytes()); // priority 1
    }
    f.extend_from_slice(&[0x08, 0x00]);
    let payload = [seq; 18];
    let total = (20 + 8 + payload.len()) as u16;
    let mut ip = vec![0x45, 0];
    ip.extend_from_slice(&total.to_be_bytes());
    ip.extend_from_slice(&[0, seq, 0x40, 0, 64, 17, 0, 0, 198, 19, n, 2, 198, 19, n, 1]);
    let sum = inet_checksum(&ip);
    ip[10..12].copy_from_slice(&sum.to_be_bytes());
    f.extend_from_slice(&ip);
    f.extend_from_slice(&[0x30, 0x39, 0, 80]);
    f.extend_from_slice(&(8 + payload.len() as u16).to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(&payload);
    f
}

#[test]
fn vlan_tags_are_put_back_and_vlan_filters_match() {
    if !privileged("vlan_tags_are_put_back_and_vlan_filters_match") {
        return;
    }
    // This kernel may lack CONFIG_VLAN_8021Q (no `type vlan` links), so the
    // tagged frames are injected on vb; va's receive path strips the tag into
    // the skb (skb_vlan_untag) before packet sockets see it, exactly as a
    // VLAN-offloading NIC does.
    let bed = Bed::new();
    // Our live-mode programs (SKF_AD_VLAN_TAG_PRESENT / SKF_AD_VLAN_TAG
    // loads), and libpcap's for `vlan 100` as the oracle.
    let live = |expr: &str| {
        let opts = rawcap::filter::Options {
            linux_ext: true,
            ..Default::default()
        };
        rawcap::filter::compile(expr, &opts).expect("compiling a live vlan filter")
    };
    let vlan100 = live("vlan 100");
    let vlan200 = live("vlan 200");
    let libpcap100 = libpcap_program("vlan 100", Some((&bed.a, "va")));
    let ancillary = |p: &Program| p.insns().iter().any(|i| i.k >= rawcap::bpf::skf::AD_OFF);
    assert!(
        ancillary(&vlan100),
        "rawcap did not use the ancillary VLAN loads"
    );
    assert!(
        ancillary(&libpcap100),
        "tcpdump did not use the ancillary VLAN loads"
    );
    let all_ring = Collector::start(open_in(&bed.a, CaptureBuilder::new("va")), got);
    let all_recv = Collector::start(
        open_in(
            &bed.a,
            CaptureBuilder::new("va").read_path(ReadPath::RecvFrom),
        ),
        got,
    );
    let tagged = Collector::start(
        open_in(&bed.a, CaptureBuilder::new("va").filter(vlan100)),
        got,
    );
    let other = Collector::start(
        open_in(&bed.a, CaptureBuilder::new("va").filter(vlan200)),
        got,
    );
    let oracle = Collector::start(
        open_in(&bed.a, CaptureBuilder::new("va").filter(libpcap100)),
        got,
    );
    let mut sent = Vec::new();
    for seq in 0..30u8 {
        let vid = [Some(100), Some(200), None][usize::from(seq % 3)];
        sent.push(udp_frame(bed.n, vid, seq));
    }
    inject(&bed.b, "vb", sent.clone());
    let (all, _) = all_ring.finish();
    let (all2, _) = all_recv.finish();
    let (tagged, _) = tagged.finish();
    let (other, _) = other.finish();
    let (oracle, _) = oracle.finish();
    let data = |v: &[Got]| v.iter().map(|g| g.data.clone()).collect::<Vec<_>>();
    assert_eq!(
        data(&all),
        sent,
        "frames differ from what was sent (tag not put back?)"
    );
    assert!(all.iter().all(|g| g.wire_len as usize == g.data.len()));
    assert_eq!(all, all2, "ring and recvfrom differ on tagged frames");
    let with_vid = |vid| {
        sent.iter()
            .filter(|f| vlan_id(f) == Some(vid))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(data(&tagged), with_vid(100), "`vlan 100` in live mode");
    assert_eq!(data(&other), with_vid(200), "`vlan 200` in live mode");
    assert_eq!(
        data(&oracle),
        data(&tagged),
        "libpcap's `vlan 100` selects other frames"
    );
    eprintln!(
        "vlan: {} frames byte-identical to those sent; vlan 100 -> {}, vlan 200 -> {}",
        all.len(),
        tagged.len(),
        other.len()
    );
}

/// The records of a classic pcap file (host byte order, as tcpdump writes
/// it): (captured bytes, original length).
fn pcap_records(b: &[u8]) -> Vec<(Vec<u8>, u32)> {
    let u32_at = |i: usize| u32::from_ne_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    assert!(
        b.len() >= 24 && [0xa1b2_c3d4, 0xa1b2_3c4d].contains(&u32_at(0)),
        "not a pcap file"
    );
    let mut v = Vec::new();
    let mut off = 24;
    while off + 16 <= b.len() {
        let (incl, orig) = (u32_at(off + 8) as usize, u32_at(off + 12));
        v.push((b[off + 16..off + 16 + incl].to_vec(), orig));
        off += 16 + incl;
    }
    v
}

#[test]
fn captures_the_same_frames_as_tcpdump() {
    if !privileged("captures_the_same_frames_as_tcpdump") {
        return;
    }
    let bed = Bed::new();
    let file = std::env::temp_dir().join(format!(
        "rawcap-oracle-{}-{}.pcap",
        std::process::id(),
        bed.n
    ));
    let mut tcpdump = Command::new("ip")
        .args([
            "netns", "exec", &bed.a, "tcpdump", "-i", "va", "-U", "-Z", "root", "-w",
        ])
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tcpdump (the oracle)");
    let mut err = BufReader::new(tcpdump.stderr.take().expect("stderr"));
    let mut line = String::new();
    while err.read_line(&mut line).unwrap_or(0) > 0 && !line.contains("listening on") {
        line.clear();
    }
    let ours = Collector::start(open_in(&bed.a, CaptureBuilder::new("va")), got);
    mixed_traffic(&bed, 3);
    let frames: Vec<_> = (0..9u8)
        .map(|i| udp_frame(bed.n, [Some(100), None, Some(7)][usize::from(i % 3)], i))
        .collect();
    inject(&bed.b, "vb", frames);
    let (ours, _) = ours.finish();
    std::thread::sleep(Duration::from_millis(500)); // tcpdump writes as it reads
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(tcpdump.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .expect("stopping tcpdump");
    let deadline = Instant::now() + Duration::from_secs(10);
    while tcpdump.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = tcpdump.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = tcpdump.wait();
    let theirs = pcap_records(&std::fs::read(&file).expect("tcpdump's file"));
    let _ = std::fs::remove_file(&file);
    let ours: Vec<_> = ours.into_iter().map(|g| (g.data, g.wire_len)).collect();
    eprintln!(
        "tcpdump: {} frames, rawcap: {} frames",
        theirs.len(),
        ours.len()
    );
    assert!(ours.len() > 40);
    assert_eq!(ours, theirs, "rawcap and tcpdump saw different frames");
}

#[test]
fn any_is_cooked_and_lo_shows_each_frame_once() {
    if !privileged("any_is_cooked_and_lo_shows_each_frame_once") {
        return;
    }
    let bed = Bed::new();
    let va = open_in(&bed.a, CaptureBuilder::new("va"));
    let any = open_in(&bed.a, CaptureBuilder::new("any"));
    let lo = open_in(&bed.a, CaptureBuilder::new("lo"));
    assert_eq!(va.linktype(), rawcap::LinkType::Ethernet);
    assert_eq!(any.linktype(), rawcap::LinkType::LinuxSll);
    assert_eq!(lo.linktype(), rawcap::LinkType::Ethernet);
    let (va, any, lo) = (
        Collector::start(va, got),
        Collector::start(any, got),
        Collector::start(lo, got),
    );
    udp_send(&bed.b, SocketAddrV4::new(bed.addr_a(), 7), 5);
    udp_send(&bed.a, SocketAddrV4::new(Ipv4Addr::LOCALHOST, 7), 4);
    let (va, _) = va.finish();
    let (any, _) = any.finish();
    let (lo, _) = lo.finish();
    // lo: 4 datagrams and (for a closed port) 4 ICMP errors, each once, not twice.
    let lo_udp = lo
        .iter()
        .filter(|g| matches!(ports(&g.data), Some((17, _, 7))))
        .count();
    assert_eq!(lo_udp, 4, "{} frames on lo", lo.len());
    // any: a 16-byte SLL header, then the same network-layer bytes as on va.
    let from_va: Vec<_> = any
        .iter()
        .filter(|g| g.data.len() > 16 && g.data[2..4] == [0, 1]) // ARPHRD_ETHER
        .map(|g| {
            assert_eq!(
                u16::from_be_bytes([g.data[0], g.data[1]]),
                u16::from(g.pkttype)
            );
            assert_eq!(g.data[4..6], [0, 6]); // address length
            (g.data[14..16].to_vec(), g.data[16..].to_vec(), g.wire_len)
        })
        .collect();
    let want: Vec<_> = va
        .iter()
        .map(|g| {
            (
                g.data[12..14].to_vec(),
                g.data[14..].to_vec(),
                g.wire_len + 2,
            )
        })
        .collect();
    assert_eq!(from_va, want, "any vs va");
    assert!(any.len() >= va.len() + lo.len());
}

#[test]
fn direction_in_and_out() {
    if !privileged("direction_in_and_out") {
        return;
    }
    use rawcap::capture::Direction;
    let bed = Bed::new();
    let both = Collector::start(open_in(&bed.a, CaptureBuilder::new("va")), got);
    let din = Collector::start(
        open_in(&bed.a, CaptureBuilder::new("va").direction(Direction::In)),
        got,
    );
    let dout = Collector::start(
        open_in(&bed.a, CaptureBuilder::new("va").direction(Direction::Out)),
        got,
    );
    mixed_traffic(&bed, 3);
    let (both, _) = both.finish();
    let (din, _) = din.finish();
    let (dout, _) = dout.finish();
    let split = |out: bool| {
        both.iter()
            .filter(|g| (g.pkttype == 4) == out)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert!(!din.is_empty() && !dout.is_empty());
    assert_eq!(din, split(false));
    assert_eq!(dout, split(true));
}

#[test]
fn measure_ring_and_recvfrom_under_a_flood() {
    if !privileged("measure_ring_and_recvfrom_under_a_flood") {
        return;
    }
    let bed = Bed::new();
    for path in [ReadPath::Ring, ReadPath::RecvFrom] {
        let cap = open_in(
            &bed.a,
            CaptureBuilder::new("va").snaplen(128).read_path(path),
        );
        let col = Collector::start(cap, got);
        let to = SocketAddrV4::new(bed.addr_a(), 9);
        const N: usize = 300_000;
        let t = Instant::now();
        udp_send(&bed.b, to, N);
        let secs = t.elapsed().as_secs_f64();
        let (got, s) = col.finish();
        eprintln!(
            "{path:?}: {N} datagrams sent in {secs:.2}s ({:.0}/s); delivered {} ({:.1}%), stats {s:?}",
            N as f64 / secs,
            got.len(),
            100.0 * got.len() as f64 / N as f64
        );
        assert_eq!(got.len() as u64 + s.dropped, s.received);
        assert!(s.received >= N as u64);
        assert!(got.iter().all(|g| g.data.len() <= 128));
    }
}

#[test]
fn a_stalled_reader_counts_drops() {
    if !privileged("a_stalled_reader_counts_drops") {
        return;
    }
    let bed = Bed::new();
    let b = CaptureBuilder::new("va")
        .snaplen(1500)
        .buffer_size(8192)
        .read_timeout(Duration::from_millis(10));
    let mut cap = open_in(&bed.a, b);
    const SENT: usize = 3000;
    udp_send(&bed.b, SocketAddrV4::new(bed.addr_a(), 7), SENT);
    std::thread::sleep(Duration::from_millis(300));
    let mut delivered = 0u64;
    let mut idle = 0;
    while idle < 10 {
        let n = cap.next_batch(|_| delivered += 1).expect("read");
        idle = if n == 0 { idle + 1 } else { 0 };
    }
    let s = cap.stats().expect("stats");
    eprintln!("stalled reader: sent {SENT}, delivered {delivered}, stats {s:?}");
    assert!(s.dropped > 0, "no drops counted: {s:?}");
    assert!(delivered < SENT as u64);
    assert_eq!(delivered + s.dropped, s.received, "{s:?}");
    assert!(s.received >= SENT as u64);
}

// ---------------------------------------------------------------- CLI tests

#[test]
fn cli_threads_and_drop_privileges_keep_capturing() {
    if !privileged("cli_threads_and_drop_privileges_keep_capturing") {
        return;
    }
    let bed = Bed::new();
    let reference = Collector::start(
        open_in(
            &bed.a,
            CaptureBuilder::new("va").filter(libpcap_program("tcp port 80", None)),
        ),
        got,
    );
    let mut threads = Cli::spawn(
        &bed.a,
        &[
            "-i",
            "va",
            "--threads",
            "2",
            "--duration",
            "6",
            "tcp",
            "port",
            "80",
        ],
    );
    let mut nobody = Cli::spawn(
        &bed.a,
        &[
            "-i",
            "va",
            "-Z",
            "nobody",
            "--duration",
            "6",
            "tcp",
            "port",
            "80",
        ],
    );
    threads.wait_listening();
    nobody.wait_listening();
    let status = std::fs::read_to_string(format!("/proc/{}/status", nobody.pid())).expect("status");
    let uid_line = status
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .expect("Uid line")
        .to_string();
    assert!(
        uid_line.split_whitespace().skip(1).all(|u| u == "65534"),
        "{uid_line}"
    );
    let server = echo_server(&bed.a, bed.addr_a(), 80, 20);
    assert_eq!(
        tcp_clients(&bed.b, SocketAddrV4::new(bed.addr_a(), 80), 20),
        20
    );
    server.join().expect("server");
    let (want, _) = reference.finish();
    for (name, cli) in [("--threads 2", threads), ("-Z nobody", nobody)] {
        let (st, out, err) = cli.finish(Duration::from_secs(20));
        assert!(st.success(), "{name}: {st:?} {err:?}");
        let lines = out.lines().count();
        eprintln!(
            "{name}: {lines} lines, {} frames on the wire; {:?}",
            want.len(),
            stat_lines(&err)
        );
        assert_eq!(lines, want.len(), "{name}: each frame once");
        assert_eq!(stat_lines(&err).len(), 3, "{err:?}");
        assert_eq!(stat_lines(&err)[0], &format!("{lines} packets captured"));
    }
}

#[test]
fn cli_stops_cleanly_on_sigint_and_sigterm() {
    if !privileged("cli_stops_cleanly_on_sigint_and_sigterm") {
        return;
    }
    let bed = Bed::new();
    for sig in [
        nix::sys::signal::Signal::SIGINT,
        nix::sys::signal::Signal::SIGTERM,
    ] {
        let mut cli = Cli::spawn(&bed.a, &["-i", "va"]);
        cli.wait_listening();
        udp_send(&bed.b, SocketAddrV4::new(bed.addr_a(), 7), 3);
        std::thread::sleep(Duration::from_millis(300));
        let t = Instant::now();
        nix::sys::signal::kill(cli.pid(), sig).expect("kill");
        let (st, out, err) = cli.finish(Duration::from_secs(5));
        let took = t.elapsed();
        eprintln!("{sig}: exit {st:?} after {took:?}");
        assert!(st.success(), "{sig}: {st:?} {err:?}");
        assert!(took < Duration::from_secs(1), "{sig}: took {took:?}");
        assert!(out.lines().count() >= 3);
        assert_eq!(stat_lines(&err).len(), 3, "{err:?}");
    }
}

#[test]
fn bad_filters_and_snaplens_are_refused_before_attaching() {
    if !privileged("bad_filters_and_snaplens_are_refused_before_attaching") {
        return;
    }
    use rawcap::capture::CaptureError;
    let bed = Bed::new();
    let jump_past_end = Program::new(vec![Insn::jump(code::JMP | code::JA, 5, 0, 0)]);
    for (b, what) in [
        (
            CaptureBuilder::new("va").filter(Program::new(vec![])),
            "empty program",
        ),
        (
            CaptureBuilder::new("va").filter(jump_past_end),
            "jump past the end",
        ),
        (CaptureBuilder::new("va").snaplen(0), "snaplen 0"),
        (CaptureBuilder::new("va").snaplen(262_145), "snaplen 262145"),
        (CaptureBuilder::new("nosuch0"), "missing interface"),
    ] {
        let r = in_ns(&bed.a, move || b.open().map(drop));
        let e = r.expect_err(what);
        eprintln!("{what}: {e}");
        assert!(
            matches!(
                e,
                CaptureError::Filter(_)
                    | CaptureError::Invalid(_)
                    | CaptureError::NoSuchInterface { .. }
            ),
            "{what}: {e:?}"
        );
    }
}

#[test]
fn cli_count_stops_after_exactly_count_packets() {
    if !privileged("cli_count_stops_after_exactly_count_packets") {
        return;
    }
    let bed = Bed::new();
    for extra in [&[][..], &["--recvfrom"], &["--threads", "2"]] {
        let mut args = vec!["-i", "va", "-c", "7", "-s", "96", "-B", "256", "-Q", "in"];
        args.extend_from_slice(extra);
        let mut cli = Cli::spawn(&bed.a, &args);
        cli.wait_listening();
        udp_send(&bed.b, SocketAddrV4::new(bed.addr_a(), 7), 20);
        let (st, out, err) = cli.finish(Duration::from_secs(10));
        assert!(st.success(), "{extra:?}: {err:?}");
        assert_eq!(out.lines().count(), 7, "{extra:?}");
        assert_eq!(stat_lines(&err)[0], "7 packets captured", "{extra:?}");
    }
}

#[test]
fn cli_errors_are_one_clear_line() {
    if !privileged("cli_errors_are_one_clear_line") {
        return;
    }
    let bed = Bed::new();
    ip(&[
        "-n", &bed.a, "link", "add", "dn0", "type", "veth", "peer", "name", "dn1",
    ]);
    for (args, want) in [
        (&["-i", "nosuch0"][..], "rawcap: nosuch0: no such interface"),
        (&["-i", "dn0"], "rawcap: dn0: interface is down"),
        (&["-i", "va", "-c", "0"], "rawcap: invalid packet count 0"),
        (
            &["-i", "va", "-s", "999999"],
            "rawcap: invalid snaplen 999999 (must be >= 0 and <= 262144)",
        ),
        (
            &["-i", "va", "-B", "0"],
            "rawcap: invalid packet buffer size 0",
        ),
        (
            &["-i", "va", "--threads", "0"],
            "rawcap: invalid thread count 0",
        ),
        (
            &["-i", "va", "-Z", "no-such-user-rc"],
            "rawcap: -Z no-such-user-rc: no such user",
        ),
    ] {
        let (st, out, err) = Cli::spawn(&bed.a, args).finish(Duration::from_secs(10));
        assert_eq!(st.code(), Some(1), "{args:?}: {err:?}");
        assert!(out.is_empty());
        let err: Vec<_> = err
            .iter()
            .filter(|l| !l.starts_with("rawcap: listening"))
            .collect();
        assert_eq!(err.len(), 1, "{args:?}: {err:?}");
        assert!(err[0].starts_with(want), "{args:?}: {err:?}");
    }
}

/// The savefile's records and the three statistics lines, as numbers.
fn saved_and_stats(file: &std::path::Path, err: &[String]) -> (usize, [u64; 3]) {
    let n = |suffix: &str| {
        err.iter()
            .find(|l| l.ends_with(suffix))
            .and_then(|l| l.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no '{suffix}' line: {err:?}"))
    };
    let stats = [
        n(" captured"),
        n(" received by filter"),
        n(" dropped by kernel"),
    ];
    (pcap_file(file).1.len(), stats)
}

/// The reproduction, 14 runs: 50 datagrams 2 ms apart, then the
/// interface is set down or deleted at once. Every frame the kernel queued
/// is saved and the statistics add up. Down: the capture goes on (as
/// tcpdump's: the interface may come back) until SIGINT, exit 0. Deleted:
/// exit 1 with "va: the interface disappeared" before the statistics.
#[test]
fn cli_interface_down_or_deleted_saves_every_queued_frame() {
    if !privileged("cli_interface_down_or_deleted_saves_every_queued_frame") {
        return;
    }
    let bed = Bed::new();
    let dir = TempDir::new("down");
    let modes: [(&[&str], &str); 4] = [
        (&[], "down"),
        (&[], "del"),
        (&["--recvfrom"], "down"),
        (&["--recvfrom"], "del"),
    ];
    let runs = modes.into_iter().cycle().take(14);
    let mut fresh_pair_needed = true;
    for (run, (extra, action)) in runs.enumerate() {
        if std::mem::replace(&mut fresh_pair_needed, action == "del") {
            // A fresh pair (the last run deleted it).
            let _ = Command::new("ip")
                .args(["-n", &bed.a, "link", "del", "va"])
                .output();
            bed.add_pair();
        }
        ip(&["-n", &bed.a, "link", "set", "va", "up"]);
        let file = dir.file(&format!("{run}.pcap"));
        let f = file.to_string_lossy();
        let mut argv = vec![BIN, "-i", "va", "-w", &f];
        argv.extend_from_slice(extra);
        argv.push("udp");
        let mut cli = Running::spawn(&bed.a, &argv);
        cli.ready(Duration::from_secs(20)).expect("listening");
        let payloads = (0..50)
            .map(|i| format!("datagram {i}").into_bytes())
            .collect();
        udp_datagrams(&bed.b, SocketAddrV4::new(bed.addr_a(), 9), payloads);
        ip(&["-n", &bed.a, "link", "set", "va", "down"]);
        if action == "del" {
            ip(&["-n", &bed.a, "link", "del", "va"]);
        } else {
            std::thread::sleep(Duration::from_millis(600));
            cli.signal(nix::sys::signal::Signal::SIGINT);
        }
        let (st, err) = cli.finish(Duration::from_secs(10));
        let (saved, [captured, received, dropped]) = saved_and_stats(&file, &err);
        eprintln!("run {run} {extra:?} {action}: {st:?}, saved {saved}, stats {captured}/{received}/{dropped}");
        assert_eq!(saved, 50, "run {run} {extra:?} {action}: {err:?}");
        assert_eq!((captured, received, dropped), (50, 50, 0), "{err:?}");
        if action == "del" {
            assert_eq!(st.code(), Some(1), "{err:?}");
            let at = err
                .iter()
                .position(|l| l == "rawcap: va: the interface disappeared");
            assert!(
                at.is_some_and(|i| i + 4 == err.len()),
                "message, then statistics: {err:?}"
            );
        } else {
            assert!(st.success(), "{err:?}");
        }
    }
}

#[test]
fn cli_without_cap_net_raw_says_how_to_fix_it_before_creating_files() {
    if !privileged("cli_without_cap_net_raw_says_how_to_fix_it_before_creating_files") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("rawcap-eperm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o777))
        .expect("chmod");
    let file = dir.join("out.pcap");
    let out = Command::new("setpriv")
        .args([
            "--reuid",
            "nobody",
            "--regid",
            "nogroup",
            "--clear-groups",
            BIN,
            "-i",
            "lo",
            "-w",
        ])
        .arg(&file)
        .output()
        .expect("setpriv");
    let err = String::from_utf8_lossy(&out.stderr);
    let created = file.exists();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("rawcap: you need CAP_NET_RAW: run as root or `setcap cap_net_raw=eip "),
        "{err}"
    );
    assert!(
        !created,
        "the output file was created before the capability check"
    );
}

#[test]
fn cli_drop_privileges_writes_a_savefile_only_root_may_create() {
    if !privileged("cli_drop_privileges_writes_a_savefile_only_root_may_create") {
        return;
    }
    let bed = Bed::new();
    let dir = TempDir::new("rootonly");
    std::fs::set_permissions(&dir.0, std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .expect("chmod 700");
    let (ours, theirs) = (dir.file("rawcap.pcap"), dir.file("tcpdump.pcap"));
    let (o, t) = (ours.to_string_lossy(), theirs.to_string_lossy());
    let filter = "udp port 9999";
    let mut jobs = [
        Running::spawn(&bed.a, &[BIN, "-i", "lo", "-Z", "nobody", "-w", &o, filter]),
        Running::spawn(
            &bed.a,
            &[
                "tcpdump",
                "-i",
                "lo",
                "--immediate-mode",
                "-Z",
                "nobody",
                "-w",
                &t,
                filter,
            ],
        ),
    ];
    for j in &mut jobs {
        j.ready(Duration::from_secs(20))
            .unwrap_or_else(|e| panic!("did not start: {e:?}"));
    }
    udp_send(&bed.a, SocketAddrV4::new(Ipv4Addr::LOCALHOST, 9999), 3);
    std::thread::sleep(Duration::from_millis(500));
    for j in jobs {
        j.signal(nix::sys::signal::Signal::SIGINT);
        let (st, err) = j.finish(Duration::from_secs(20));
        assert!(st.success(), "{st:?} {err:?}");
    }
    let nobody = nix::unistd::User::from_name("nobody")
        .expect("passwd")
        .expect("nobody");
    let owner = |p: &std::path::Path| {
        std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(p).expect("savefile"))
    };
    assert_eq!(owner(&theirs), nobody.uid.as_raw(), "tcpdump's file");
    assert_eq!(
        owner(&ours),
        nobody.uid.as_raw(),
        "rawcap's file, as tcpdump's"
    );
    let (ours, theirs) = (pcap_file(&ours), pcap_file(&theirs));
    assert_eq!(ours.1.len(), 3);
    assert_eq!(ours, theirs);
}

/// tcpdump's signals: SIGUSR2 flushes the savefile (the records written so
/// far are on disk while the capture runs), SIGUSR1 prints the statistics
/// on one line, SIGHUP ends the capture like SIGINT (flush, statistics,
/// exit 0), unless SIGHUP was ignored at start (nohup). rawcap and tcpdump
/// side by side.
#[test]
fn cli_signals_hup_usr1_usr2_as_tcpdump() {
    if !privileged("cli_signals_hup_usr1_usr2_as_tcpdump") {
        return;
    }
    use nix::sys::signal::Signal;
    let bed = Bed::new();
    let dir = TempDir::new("signals");
    let (ours, theirs) = (dir.file("rawcap.pcap"), dir.file("tcpdump.pcap"));
    let (o, t) = (ours.to_string_lossy(), theirs.to_string_lossy());
    let filter = "udp port 9999";
    let mut jobs = [
        Running::spawn(&bed.a, &[BIN, "-i", "va", "-w", &o, filter]),
        Running::spawn(
            &bed.a,
            &["tcpdump", "-i", "va", "-Z", "root", "-w", &t, filter],
        ),
    ];
    // nohup: SIGHUP ignored at start stays ignored.
    let mut nohup = Running::spawn(&bed.a, &["nohup", BIN, "-i", "va", filter]);
    for j in jobs.iter_mut().chain([&mut nohup]) {
        j.ready(Duration::from_secs(20)).expect("listening");
    }
    udp_send(&bed.b, SocketAddrV4::new(bed.addr_a(), 9999), 5);
    std::thread::sleep(Duration::from_millis(1500));
    // Both buffer their savefile: the five records are not on disk yet.
    assert_eq!(pcap_file(&ours).1.len(), 0, "rawcap wrote before SIGUSR2");
    for j in &jobs {
        j.signal(Signal::SIGUSR2);
        j.signal(Signal::SIGUSR1);
    }
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(pcap_file(&ours).1.len(), 5, "rawcap flushed on SIGUSR2");
    assert_eq!(pcap_file(&theirs).1.len(), 5, "tcpdump flushed on SIGUSR2");
    udp_send(&bed.b, SocketAddrV4::new(bed.addr_a(), 9999), 995);
    // tcpdump reads a ring block only when its 1 s timeout retires it, and
    // what it has not read when it stops is lost (rawcap reads it all).
    std::thread::sleep(Duration::from_millis(1500));
    nohup.signal(Signal::SIGHUP);
    let mut lines = Vec::new();
    for (tool, j) in ["rawcap", "tcpdump"].into_iter().zip(jobs) {
        j.signal(Signal::SIGHUP);
        let (st, err) = j.finish(Duration::from_secs(20));
        assert!(st.success(), "{tool} on SIGHUP: {st:?} {err:?}");
        let info = err
            .iter()
            .find(|l| l.contains(" packets captured, "))
            .unwrap_or_else(|| panic!("{tool}: no SIGUSR1 line: {err:?}"));
        lines.push(info.replace(tool, "TOOL"));
        let exit: Vec<_> = stat_lines(&err)
            .into_iter()
            .filter(|l| !l.contains(", "))
            .collect();
        assert_eq!(exit.len(), 3, "{tool}: {err:?}");
        assert_eq!(exit[0], "1000 packets captured", "{tool}: {err:?}");
    }
    assert_eq!(lines[0], lines[1], "the SIGUSR1 line");
    assert_eq!(
        lines[0],
        "TOOL: 5 packets captured, 5 packets received by filter, 0 packets dropped by kernel"
    );
    assert_eq!(pcap_file(&ours).1.len(), 1000);
    assert_eq!(pcap_file(&ours).1, pcap_file(&theirs).1);
    // The nohup'd capture ignored SIGHUP; SIGINT ends it.
    std::thread::sleep(Duration::from_millis(300));
    nohup.signal(Signal::SIGINT);
    let (st, err) = nohup.finish(Duration::from_secs(20));
    assert!(st.success(), "{err:?}");
    assert!(
        stat_lines(&err)[0].starts_with("1000 packets captured"),
        "{err:?}"
    );
}

/// `--threads N` with a stalled reader (stdout not read while 20,000
/// datagrams arrive into small rings): at the end, captured + dropped =
/// received, as with one socket; every captured packet was printed.
#[test]
fn cli_threads_statistics_add_up_with_a_stalled_reader() {
    if !privileged("cli_threads_statistics_add_up_with_a_stalled_reader") {
        return;
    }
    let bed = Bed::new();
    for threads in ["1", "3"] {
        let mut child = Command::new("ip")
            .args([
                "netns", "exec", &bed.a, BIN, "-i", "va", "-n", "-B", "64", "-s", "96",
            ])
            .args(["--threads", threads, "udp", "port", "9"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("rawcap");
        let mut err = BufReader::new(child.stderr.take().expect("stderr"));
        let mut line = String::new();
        while err.read_line(&mut line).unwrap_or(0) > 0 && !line.contains("listening on") {
            line.clear();
        }
        // Nobody reads stdout yet: the pipe fills, then the channel between
        // the threads, then the rings. The stop comes while all are full.
        udp_send(&bed.b, SocketAddrV4::new(bed.addr_a(), 9), 20_000);
        std::thread::sleep(Duration::from_millis(500));
        let pid = nix::unistd::Pid::from_raw(child.id() as i32);
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).expect("SIGINT");
        std::thread::sleep(Duration::from_millis(300));
        let mut out = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut out, &mut s);
            s.lines().count() as u64
        });
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut rest);
        let status = child.wait().expect("wait");
        let printed = reader.join().expect("reader");
        let lines: Vec<String> = rest.lines().map(String::from).collect();
        let num = |suffix: &str| -> u64 {
            lines
                .iter()
                .find(|l| l.ends_with(suffix))
                .and_then(|l| l.split_whitespace().next()?.parse().ok())
                .unwrap_or_else(|| panic!("no '{suffix}': {lines:?}"))
        };
        let (captured, received, dropped) = (
            num(" captured"),
            num(" received by filter"),
            num(" dropped by kernel"),
        );
        eprintln!("--threads {threads}: printed {printed}, captured {captured}, received {received}, dropped {dropped}");
        assert!(status.success(), "{lines:?}");
        assert_eq!(printed, captured);
        assert!(dropped > 0, "the reader did not stall");
        assert_eq!(
            captured + dropped,
            received,
            "--threads {threads}: unaccounted frames"
        );
        assert!(received >= 20_000);
    }
}

/// Promiscuous mode needs no CAP_NET_ADMIN: with CAP_NET_RAW alone (as
/// nobody, every other capability dropped) the membership is granted and
/// the interface counts one more promiscuous user while rawcap runs.
#[test]
fn cli_promiscuous_mode_needs_only_cap_net_raw() {
    if !privileged("cli_promiscuous_mode_needs_only_cap_net_raw") {
        return;
    }
    let bed = Bed::new();
    let promiscuity = || {
        let out = Command::new("ip")
            .args(["-n", &bed.a, "-d", "link", "show", "va"])
            .output()
            .expect("ip link show");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let n = text
            .split_whitespace()
            .skip_while(|w| *w != "promiscuity")
            .nth(1);
        n.and_then(|n| n.parse::<u32>().ok()).expect("promiscuity")
    };
    assert_eq!(promiscuity(), 0);
    let mut cli = Running::spawn(
        &bed.a,
        &[
            "setpriv",
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "--inh-caps=-all,+net_raw",
            "--ambient-caps=-all,+net_raw",
            "--bounding-set=-all,+net_raw",
            "--",
            BIN,
            "-i",
            "va",
            "udp",
            "port",
            "1",
        ],
    );
    cli.ready(Duration::from_secs(20))
        .expect("listening with CAP_NET_RAW only");
    let during = promiscuity();
    cli.signal(nix::sys::signal::Signal::SIGINT);
    let (st, err) = cli.finish(Duration::from_secs(10));
    assert!(st.success(), "{err:?}");
    assert_eq!(during, 1, "promiscuous membership with CAP_NET_RAW only");
    assert_eq!(
        promiscuity(),
        0,
        "the kernel undoes it when the socket closes"
    );
}
