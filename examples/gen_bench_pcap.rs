//! Writes the deterministic pcap file `scripts/bench-offline.sh` times tools on.
//!
//! `cargo run --release --example gen_bench_pcap -- OUT [FRAMES]` (default
//! 2,000,000 frames, about 0.6 GB). The mix, from a fixed-seed generator so
//! every run writes the same bytes: 60% TCP over IPv4 in 4,096 flows (a quarter
//! of them on port 80, either direction), 10% TCP over IPv6, 14% UDP (DNS and
//! others), 6% UDP over IPv6, 4% ICMP, 2% ICMPv6, 4% ARP. Sizes: 80% between
//! 60 and 100 bytes, 10% uniform up to 1514, 10% full 1514-byte frames.
//! Addresses only from 198.18.0.0/15 and 2001:db8::/32.

use rawcap::packet::Packet;
use rawcap::savefile::{PcapWriter, Resolution};
use rawcap::LinkType;
use rawcap_corpus::build::{frame, tcp_flags, FrameBuilder};
use std::fs::File;
use std::io::BufWriter;

/// xorshift64*: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const FLOWS: u64 = 4096;
const SERVER_PORTS: [u16; 8] = [80, 80, 443, 22, 8080, 25, 993, 3306];

fn v4(host: u64) -> [u8; 4] {
    [
        198,
        18 + ((host >> 16) & 1) as u8,
        (host >> 8) as u8,
        host as u8,
    ]
}

fn v6(host: u64) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    a[12..].copy_from_slice(&(host as u32).to_be_bytes());
    a
}

fn mac(host: u64) -> [u8; 6] {
    let b = (host as u32).to_be_bytes();
    [2, 0, b[0], b[1], b[2], b[3]]
}

/// The total frame length to aim for (Ethernet header included).
fn frame_size(rng: &mut Rng) -> usize {
    match rng.below(10) {
        0 => 1514,
        1 => 60 + rng.below(1455) as usize,
        _ => 60 + rng.below(41) as usize,
    }
}

/// Pads the payload so the frame is `size` bytes long (`hdr` bytes of headers).
fn fill(b: FrameBuilder, hdr: usize, size: usize) -> FrameBuilder {
    b.payload(size.saturating_sub(hdr)).pad(60)
}

fn one(rng: &mut Rng) -> rawcap_corpus::Frame {
    let flow = rng.below(FLOWS);
    let client = 0x100 + flow;
    let server = 0x1_0000 + flow % 64;
    let sport = 40_000 + flow as u16;
    let dport = SERVER_PORTS[(flow % SERVER_PORTS.len() as u64) as usize];
    let reply = rng.below(2) == 1;
    let (src, dst, ps, pd) = if reply {
        (server, client, dport, sport)
    } else {
        (client, server, sport, dport)
    };
    let size = frame_size(rng);
    let eth = frame().eth(mac(src), mac(dst));
    let flags = if size > 100 {
        tcp_flags::ACK | tcp_flags::PSH
    } else {
        tcp_flags::ACK
    };
    let seq = rng.next() as u32;
    let tcp = |b: FrameBuilder, hdr: usize| fill(b.tcp(ps, pd).seq(seq).flags(flags), hdr, size);
    match rng.below(100) {
        0..=59 => tcp(eth.ipv4(v4(src), v4(dst)), 54),
        60..=69 => tcp(eth.ipv6(v6(src), v6(dst)), 74),
        70..=83 => {
            let port = if flow % 2 == 0 {
                53
            } else {
                5000 + flow as u16
            };
            fill(eth.ipv4(v4(src), v4(dst)).udp(sport, port), 42, size)
        }
        84..=89 => fill(eth.ipv6(v6(src), v6(dst)).udp(sport, 53), 62, size),
        90..=93 => fill(eth.ipv4(v4(src), v4(dst)).icmp(8, 0), 42, size.min(1000)),
        94..=95 => fill(eth.ipv6(v6(src), v6(dst)).icmp6(128, 0), 62, size),
        _ => eth
            .arp(false, 1, mac(src), v4(src), [0; 6], v4(dst))
            .pad(60),
    }
    .build()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().ok_or("usage: gen_bench_pcap OUT [FRAMES]")?;
    let frames: u64 = match args.next() {
        Some(n) => n.parse()?,
        None => 2_000_000,
    };
    let file = BufWriter::with_capacity(1 << 20, File::create(&out)?);
    let mut w = PcapWriter::new(file, LinkType::Ethernet, 0, Resolution::Micro)?;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut ts_ns: u64 = 1_700_000_000_000_000_000;
    for _ in 0..frames {
        let f = one(&mut rng);
        ts_ns += 1000 + rng.below(4000) * 1000;
        w.write(&Packet::new(ts_ns, &f.data, f.wire_len))?;
    }
    w.flush()?;
    Ok(())
}
