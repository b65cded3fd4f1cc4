//! Compiler tests across the stages: exact programs against libpcap's,
//! refusals with their kinds and spans, optimizer equivalence, and seeded
//! random input that must never panic.

use super::{compile, CompileErrorKind as K, Feature, Field, NameKind, Options, Span};
use crate::bpf::{self, vm, Insn, Program};
use crate::LinkType;
use alloc::string::String;
use alloc::vec::Vec;

/// `tcpdump -y EN10MB -O -ddd EXPR` (libpcap 1.10.3), one line per instruction
/// joined with spaces.
#[rustfmt::skip]
const LIBPCAP_UNOPTIMIZED: &[(&str, &str)] = &[
    ("tcp port 80", "22 40 0 0 12 21 0 6 34525 48 0 0 20 21 0 4 6 40 0 0 54 21 14 0 80 40 0 0 56 21 12 0 80 40 0 0 12 21 0 11 2048 48 0 0 23 21 0 9 6 40 0 0 20 69 7 0 8191 177 0 0 14 72 0 0 14 21 3 0 80 177 0 0 14 72 0 0 16 21 0 1 80 6 0 0 262144 6 0 0 0"),
    ("host 198.18.0.1 or 198.18.0.2", "50 40 0 0 12 21 0 2 2048 32 0 0 26 21 44 0 3323068417 40 0 0 12 21 0 2 2048 32 0 0 30 21 40 0 3323068417 40 0 0 12 21 0 2 2054 32 0 0 28 21 36 0 3323068417 40 0 0 12 21 0 2 2054 32 0 0 38 21 32 0 3323068417 40 0 0 12 21 0 2 32821 32 0 0 28 21 28 0 3323068417 40 0 0 12 21 0 2 32821 32 0 0 38 21 24 0 3323068417 40 0 0 12 21 0 2 2048 32 0 0 26 21 20 0 3323068418 40 0 0 12 21 0 2 2048 32 0 0 30 21 16 0 3323068418 40 0 0 12 21 0 2 2054 32 0 0 28 21 12 0 3323068418 40 0 0 12 21 0 2 2054 32 0 0 38 21 8 0 3323068418 40 0 0 12 21 0 2 32821 32 0 0 28 21 4 0 3323068418 40 0 0 12 21 0 3 32821 32 0 0 38 21 0 1 3323068418 6 0 0 262144 6 0 0 0"),
    ("not host 198.18.0.1 and 198.18.0.2", "50 40 0 0 12 21 0 2 2048 32 0 0 26 21 45 0 3323068417 40 0 0 12 21 0 2 2048 32 0 0 30 21 41 0 3323068417 40 0 0 12 21 0 2 2054 32 0 0 28 21 37 0 3323068417 40 0 0 12 21 0 2 2054 32 0 0 38 21 33 0 3323068417 40 0 0 12 21 0 2 32821 32 0 0 28 21 29 0 3323068417 40 0 0 12 21 0 2 32821 32 0 0 38 21 25 0 3323068417 40 0 0 12 21 0 2 2048 32 0 0 26 21 20 0 3323068418 40 0 0 12 21 0 2 2048 32 0 0 30 21 16 0 3323068418 40 0 0 12 21 0 2 2054 32 0 0 28 21 12 0 3323068418 40 0 0 12 21 0 2 2054 32 0 0 38 21 8 0 3323068418 40 0 0 12 21 0 2 32821 32 0 0 28 21 4 0 3323068418 40 0 0 12 21 0 3 32821 32 0 0 38 21 0 1 3323068418 6 0 0 262144 6 0 0 0"),
    ("tcp dst port 21 or 20 or 22", "47 40 0 0 12 21 0 4 34525 48 0 0 20 21 0 2 6 40 0 0 56 21 39 0 21 40 0 0 12 21 0 7 2048 48 0 0 23 21 0 5 6 40 0 0 20 69 3 0 8191 177 0 0 14 72 0 0 16 21 30 0 21 40 0 0 12 21 0 4 34525 48 0 0 20 21 0 2 6 40 0 0 56 21 24 0 20 40 0 0 12 21 0 7 2048 48 0 0 23 21 0 5 6 40 0 0 20 69 3 0 8191 177 0 0 14 72 0 0 16 21 15 0 20 40 0 0 12 21 0 4 34525 48 0 0 20 21 0 2 6 40 0 0 56 21 9 0 22 40 0 0 12 21 0 8 2048 48 0 0 23 21 0 6 6 40 0 0 20 69 4 0 8191 177 0 0 14 72 0 0 16 21 0 1 22 6 0 0 262144 6 0 0 0"),
    ("ether host 0:1:2:3:4:5", "10 32 0 0 8 21 0 2 33752069 40 0 0 6 21 4 0 1 32 0 0 2 21 0 3 33752069 40 0 0 0 21 0 1 1 6 0 0 262144 6 0 0 0"),
    ("net 10.0.0.0/8", "32 40 0 0 12 21 0 3 2048 32 0 0 26 84 0 0 4278190080 21 25 0 167772160 40 0 0 12 21 0 3 2048 32 0 0 30 84 0 0 4278190080 21 20 0 167772160 40 0 0 12 21 0 3 2054 32 0 0 28 84 0 0 4278190080 21 15 0 167772160 40 0 0 12 21 0 3 2054 32 0 0 38 84 0 0 4278190080 21 10 0 167772160 40 0 0 12 21 0 3 32821 32 0 0 28 84 0 0 4278190080 21 5 0 167772160 40 0 0 12 21 0 4 32821 32 0 0 38 84 0 0 4278190080 21 0 1 167772160 6 0 0 262144 6 0 0 0"),
    ("vlan 100 and udp port 53", "31 40 0 0 12 21 4 0 33024 40 0 0 12 21 2 0 34984 40 0 0 12 21 0 24 37120 40 0 0 14 84 0 0 4095 21 0 21 100 40 0 0 16 21 0 6 34525 48 0 0 24 21 0 4 17 40 0 0 58 21 14 0 53 40 0 0 60 21 12 0 53 40 0 0 16 21 0 11 2048 48 0 0 27 21 0 9 17 40 0 0 24 69 7 0 8191 177 0 0 18 72 0 0 18 21 3 0 53 177 0 0 18 72 0 0 20 21 0 1 53 6 0 0 262144 6 0 0 0"),
    ("mpls 3 and ip", "13 40 0 0 12 21 0 10 34887 32 0 0 14 84 0 0 4294963200 21 0 7 12288 48 0 0 16 84 0 0 1 21 0 4 1 48 0 0 18 84 0 0 240 21 0 1 64 6 0 0 262144 6 0 0 0"),
    ("pppoes 7 and tcp", "19 40 0 0 12 21 0 16 34916 32 0 0 14 84 0 0 65535 21 0 13 7 40 0 0 20 21 0 2 33 48 0 0 31 21 8 0 6 40 0 0 20 21 0 7 87 48 0 0 28 21 4 0 6 48 0 0 28 21 0 3 44 48 0 0 62 21 0 1 6 6 0 0 262144 6 0 0 0"),
    ("tcp[tcpflags] & (tcp-syn|tcp-fin) != 0", "44 40 0 0 12 21 0 41 2048 40 0 0 12 21 0 2 2048 48 0 0 23 21 8 0 6 40 0 0 12 21 0 35 34525 48 0 0 20 21 4 0 6 48 0 0 20 21 0 31 44 48 0 0 54 21 0 29 6 40 0 0 20 69 27 0 8191 0 0 0 13 2 0 0 0 177 0 0 14 96 0 0 0 12 0 0 0 7 0 0 0 80 0 0 14 2 0 0 1 0 0 0 2 2 0 0 2 0 0 0 1 2 0 0 3 97 0 0 3 96 0 0 2 76 0 0 0 2 0 0 3 97 0 0 3 96 0 0 1 92 0 0 0 2 0 0 3 0 0 0 0 2 0 0 4 97 0 0 4 96 0 0 3 28 0 0 0 21 1 0 0 6 0 0 262144 6 0 0 0"),
    ("icmp6[icmp6type] = icmp6-echo", "17 40 0 0 12 21 0 14 34525 48 0 0 20 21 0 12 58 0 0 0 0 2 0 0 0 97 0 0 0 80 0 0 54 2 0 0 1 0 0 0 128 2 0 0 2 97 0 0 2 96 0 0 1 28 0 0 0 21 0 1 0 6 0 0 262144 6 0 0 0"),
    ("portrange 1000-2000", "84 40 0 0 12 21 0 30 34525 48 0 0 20 21 0 8 132 40 0 0 54 53 0 2 1000 40 0 0 54 37 0 74 2000 40 0 0 56 53 0 2 1000 40 0 0 56 37 0 70 2000 48 0 0 20 21 0 8 6 40 0 0 54 53 0 2 1000 40 0 0 54 37 0 64 2000 40 0 0 56 53 0 2 1000 40 0 0 56 37 0 60 2000 48 0 0 20 21 0 8 17 40 0 0 54 53 0 2 1000 40 0 0 54 37 0 54 2000 40 0 0 56 53 0 2 1000 40 0 0 56 37 0 50 2000 40 0 0 12 21 0 49 2048 48 0 0 23 21 0 14 132 40 0 0 20 69 12 0 8191 177 0 0 14 72 0 0 14 53 0 3 1000 177 0 0 14 72 0 0 14 37 0 38 2000 177 0 0 14 72 0 0 16 53 0 3 1000 177 0 0 14 72 0 0 16 37 0 32 2000 48 0 0 23 21 0 14 6 40 0 0 20 69 12 0 8191 177 0 0 14 72 0 0 14 53 0 3 1000 177 0 0 14 72 0 0 14 37 0 22 2000 177 0 0 14 72 0 0 16 53 0 3 1000 177 0 0 14 72 0 0 16 37 0 16 2000 48 0 0 23 21 0 15 17 40 0 0 20 69 13 0 8191 177 0 0 14 72 0 0 14 53 0 3 1000 177 0 0 14 72 0 0 14 37 0 6 2000 177 0 0 14 72 0 0 16 53 0 4 1000 177 0 0 14 72 0 0 16 37 1 0 2000 6 0 0 262144 6 0 0 0"),
    ("less 64 or greater 1000", "6 128 0 0 0 37 0 3 64 128 0 0 0 53 1 0 1000 6 0 0 0 6 0 0 262144"),
    ("ip multicast and not ip6 multicast", "10 40 0 0 12 21 0 7 2048 48 0 0 30 53 0 5 224 40 0 0 12 21 0 2 34525 48 0 0 38 21 1 0 255 6 0 0 262144 6 0 0 0"),
    ("ether proto \\ipx", "14 40 0 0 12 21 10 0 33079 40 0 0 12 37 9 0 1500 32 0 0 18 21 0 2 33079 32 0 0 14 21 4 0 2863268608 48 0 0 14 21 2 0 224 40 0 0 14 21 0 1 65535 6 0 0 262144 6 0 0 0"),
    ("src net 2001:db8::/32", "15 40 0 0 12 21 0 12 34525 32 0 0 22 21 0 10 536939960 32 0 0 26 84 0 0 0 21 0 7 0 32 0 0 30 84 0 0 0 21 0 4 0 32 0 0 34 84 0 0 0 21 0 1 0 6 0 0 262144 6 0 0 0"),
];

fn decimal(text: &str) -> Program {
    let nums: Vec<u32> = text
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    let insns: Vec<Insn> = nums[1..]
        .chunks(4)
        .map(|c| Insn::jump(c[0] as u16, c[3], c[1] as u8, c[2] as u8))
        .collect();
    assert_eq!(insns.len(), nums[0] as usize);
    Program::new(insns)
}

fn unoptimized() -> Options {
    Options {
        optimize: false,
        ..Options::default()
    }
}

#[test]
fn unoptimized_programs_are_libpcaps_instruction_for_instruction() {
    for (expr, ddd) in LIBPCAP_UNOPTIMIZED {
        let ours = compile(expr, &unoptimized()).unwrap();
        assert_eq!(ours, decimal(ddd), "{expr}");
    }
}

#[test]
fn tcp_port_80_is_the_hand_assembled_program() {
    let ours = compile("tcp port 80", &Options::default()).unwrap();
    assert_eq!(ours, bpf::programs::tcp_port_80());
}

#[test]
fn refusals_name_the_problem_and_point_at_it() {
    let cases: &[(&str, K, (usize, usize))] = &[
        ("tcp port 80 and", K::UnexpectedEnd, (15, 15)),
        ("port 70000", K::PortRange(70000), (5, 10)),
        ("ip proto tcp", K::Unexpected("tcp".into()), (9, 12)),
        ("host 1.2.3.4 @", K::IllegalChar('@'), (13, 14)),
        ("tcp and udp", K::RejectsAll, (0, 11)),
        (
            "host foo",
            K::NoResolver {
                what: NameKind::Host,
                name: "foo".into(),
            },
            (5, 8),
        ),
        ("inbound", K::NeedsMetadata(Feature::Direction), (0, 7)),
        (
            "vlan 5000",
            K::TooLarge {
                field: Field::VlanId,
                value: 5000,
            },
            (0, 9),
        ),
        ("ip broadcast", K::NoNetmask, (0, 12)),
    ];
    for (expr, kind, (start, end)) in cases {
        let e = compile(expr, &Options::default()).unwrap_err();
        assert_eq!(e.kind(), kind, "{expr}");
        assert_eq!(e.span(), Span::new(*start, *end), "{expr}: {e}");
        assert_eq!(e.expr(), *expr);
    }
    for expr in [
        "ether host 1.2.3.4",
        "ip proto foo",
        "ip6 host 1.2.3.4",
        "vlan 5000",
        "net 10.1.2.3/8",
        "ether[0] = 1/0",
        "tcp[0:3] = 1",
        "ah[0] = 1",
        "mpls and vlan",
        "1.2.3.4",
        "tcp or 80",
        "ip broadcast",
        "portrange ftp-data-ftp",
        "udp port http",
        "",
    ] {
        if expr.is_empty() {
            continue;
        }
        assert!(compile(expr, &Options::default()).is_err(), "{expr}");
    }
}

#[test]
fn geneve_under_not_zeroes_its_registers_so_the_kernel_accepts_it() {
    // libpcap reads the tunnel offsets even when `geneve` failed.
    let p = compile("not geneve and src host 198.18.0.1", &Options::default()).unwrap();
    bpf::validate(&p).unwrap();
    assert_eq!(p.insns()[0], Insn::stmt(bpf::code::LD | bpf::code::IMM, 0));
    // When every path writes before reading, the program is libpcap's as is.
    let p = compile("geneve and ip", &unoptimized()).unwrap();
    bpf::validate(&p).unwrap();
    assert_ne!(p.insns()[0], Insn::stmt(bpf::code::LD | bpf::code::IMM, 0));
}

#[test]
fn the_empty_expression_accepts_everything() {
    let p = compile("", &Options::default()).unwrap();
    assert_eq!(
        p.insns(),
        &[Insn::stmt(bpf::code::RET | bpf::code::K, 262_144)]
    );
}

#[test]
fn linux_extensions_enable_metadata_primitives() {
    let opts = Options {
        linux_ext: true,
        ..unoptimized()
    };
    let p = compile("inbound", &opts).unwrap();
    assert_eq!(p.insns()[0].k, bpf::skf::AD_OFF + bpf::skf::AD_PKTTYPE);
    let sll = Options {
        linktype: LinkType::LinuxSll,
        ..unoptimized()
    };
    assert!(compile("outbound", &sll).is_ok());
    // Live sockets see VLAN tags as metadata: the outer `vlan` reads it.
    let p = compile("vlan 10", &opts).unwrap();
    let vlanp = bpf::skf::AD_OFF + bpf::skf::AD_VLAN_TAG_PRESENT;
    assert!(p.insns().iter().any(|i| i.k == vlanp));
    bpf::validate(&p).unwrap();
}

use rawcap_corpus::Rng;

/// Frames for equivalence checks: Ethernet + IPv4/IPv6 + TCP/UDP/ICMP, ARP, VLAN.
fn frames(rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for _ in 0..400 {
        let ethertype: u16 = [0x0800, 0x0800, 0x86dd, 0x0806, 0x8100, 0x8847][rng.below(6)];
        let mut f = alloc::vec![0u8; 14];
        for b in f.iter_mut().take(12) {
            *b = [0u8, 1, 0xff][rng.below(3)];
        }
        f[12..14].copy_from_slice(&ethertype.to_be_bytes());
        if ethertype == 0x8100 {
            f.extend_from_slice(&[0, 100, 0x08, 0x00]);
        }
        let v6 = ethertype == 0x86dd;
        let mut l3 = alloc::vec![0u8; if v6 { 40 } else { 20 }];
        l3[0] = if v6 { 0x60 } else { 0x45 };
        let proto = [6u8, 17, 1, 58, 132, 44][rng.below(6)];
        l3[if v6 { 6 } else { 9 }] = proto;
        for b in l3.iter_mut().skip(if v6 { 8 } else { 12 }) {
            *b = [0u8, 1, 10, 198, 18, 0xff][rng.below(6)];
        }
        if !v6 && rng.below(5) == 0 {
            l3[6] = 0x20; // more fragments
        }
        f.extend_from_slice(&l3);
        let mut l4 = alloc::vec![0u8; 20];
        for b in l4.iter_mut() {
            *b = [0u8, 2, 20, 21, 53, 80, 0x12][rng.below(7)];
        }
        f.extend_from_slice(&l4);
        out.push(f);
    }
    out
}

#[test]
fn optimized_programs_agree_with_unoptimized_ones() {
    let mut rng = Rng(0x5eed_0001);
    let frames = frames(&mut rng);
    let exprs = [
        "tcp port 80 or tcp port 443",
        "host 198.18.0.1 or 198.18.0.2 or 10.0.0.1",
        "not port 53 and not port 80 and ip",
        "tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn",
        "ip[2:2] > 40 and ip[2:2] - ((ip[0] & 0xf) << 2) > 20",
        "vlan 100 and (tcp or udp)",
        "icmp or icmp6 or arp",
        "portrange 20-80 and not src net 10.0.0.0/8",
        "ether multicast or ether dst ff:ff:ff:ff:ff:ff",
        "len > 60 and ip6 and udp",
    ];
    for expr in exprs {
        let o = compile(expr, &Options::default()).unwrap();
        let u = compile(expr, &unoptimized()).unwrap();
        assert!(o.len() <= u.len(), "{expr}");
        bpf::validate(&o).unwrap();
        for f in &frames {
            let m = vm::Meta::default();
            let w = f.len() as u32;
            assert_eq!(vm::run(&o, f, w, &m), vm::run(&u, f, w, &m), "{expr}");
        }
    }
}

const CHARS: &[u8] = b" ()[]:+-*/!&|^<>=.0123456789abcdefhlnoprstux\\";

const WORDS: &[&str] = &[
    "host",
    "net",
    "port",
    "portrange",
    "src",
    "dst",
    "ether",
    "ip",
    "ip6",
    "tcp",
    "udp",
    "icmp",
    "arp",
    "vlan",
    "mpls",
    "pppoes",
    "proto",
    "protochain",
    "and",
    "or",
    "not",
    "(",
    ")",
    "[",
    "]",
    ":",
    "+",
    "-",
    "*",
    "/",
    "%",
    "&",
    "|",
    "^",
    "<<",
    ">>",
    "=",
    "!=",
    "<",
    ">",
    "len",
    "less",
    "greater",
    "broadcast",
    "multicast",
    "80",
    "0",
    "4294967295",
    "1.2.3.4",
    "10/8",
    "::1",
    "0:1:2:3:4:5",
    "http",
    "\\tcp",
    "tcpflags",
    "tcp-syn",
    "mask",
    "255.0.0.0",
    "gateway",
];

#[test]
fn random_input_never_panics_and_ok_programs_validate() {
    let seed = 0xf11e_0002_u64;
    std::println!("property seed {seed:#x}");
    let mut rng = Rng(seed);
    let (mut ok, mut total) = (0, 0);
    for i in 0..3000 {
        let text: String = if i % 3 == 0 {
            (0..rng.below(24))
                .map(|_| char::from(CHARS[rng.below(CHARS.len())]))
                .collect()
        } else {
            let n = 1 + rng.below(10);
            (0..n)
                .map(|_| WORDS[rng.below(WORDS.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        for optimize in [false, true] {
            total += 1;
            let opts = Options {
                optimize,
                netmask: Some(0xffff_ff00),
                ..Options::default()
            };
            if let Ok(p) = compile(&text, &opts) {
                ok += 1;
                bpf::validate(&p).unwrap_or_else(|e| panic!("{text}: {e}"));
            }
        }
    }
    std::println!("compiled {total} inputs, {ok} accepted");
    assert!(ok > 100);
}

#[test]
fn long_expressions_stay_bounded() {
    let chain: Vec<String> = (0..300)
        .map(|i| alloc::format!("host 10.0.{}.{}", i / 256, i % 256))
        .collect();
    let p = compile(&chain.join(" or "), &Options::default()).unwrap();
    // libpcap's optimized program for this expression has 1559 instructions.
    assert!(p.len() <= 1559, "{}", p.len());
    let deep = "(".repeat(150) + "tcp" + &")".repeat(150);
    assert!(compile(&deep, &Options::default()).is_ok());
    let deeper = "(".repeat(1000) + "tcp" + &")".repeat(1000);
    assert_eq!(
        *compile(&deeper, &Options::default()).unwrap_err().kind(),
        K::TooDeep
    );
}

/// An Ethernet frame: IPv6, `n` destination-options headers (8 bytes each),
/// then a TCP header.
fn ip6_chain(n: usize) -> Vec<u8> {
    let mut f = alloc::vec![0u8; 12];
    f.extend_from_slice(&[0x86, 0xdd, 0x60, 0, 0, 0]);
    f.extend_from_slice(&((8 * n + 20) as u16).to_be_bytes());
    f.push(if n == 0 { 6 } else { 60 });
    f.push(64);
    f.extend_from_slice(&[0x20; 32]);
    for i in 0..n {
        f.extend_from_slice(&[if i + 1 == n { 6 } else { 60 }, 0, 1, 4, 0, 0, 0, 0]);
    }
    f.extend_from_slice(&[0, 80, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff]);
    f.extend_from_slice(&[0; 4]);
    f
}

/// An Ethernet frame: IPv4, `n` AH headers (12 bytes each), then TCP. Each
/// AH's length field is set for libpcap's walk, which takes
/// `(len + 2) * 4` as the next header's offset from the IPv4 header.
fn ip4_ah_chain(n: usize) -> Vec<u8> {
    let mut f = alloc::vec![0u8; 12];
    f.extend_from_slice(&[0x08, 0x00, 0x45, 0]);
    f.extend_from_slice(&((20 + 12 * n + 20) as u16).to_be_bytes());
    f.extend_from_slice(&[0, 0, 0x40, 0, 64, if n == 0 { 6 } else { 51 }, 0, 0]);
    f.extend_from_slice(&[198, 18, 0, 1, 198, 18, 0, 2]);
    for i in 0..n {
        let next_off = 20 + 12 * (i + 1);
        let nh = if i + 1 == n { 6 } else { 51 };
        f.extend_from_slice(&[nh, (next_off / 4 - 2) as u8, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    }
    f.extend_from_slice(&[0, 80, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff]);
    f.extend_from_slice(&[0; 4]);
    f
}

fn verdict(expr: &str, optimize: bool, frame: &[u8]) -> u32 {
    let opts = Options {
        optimize,
        ..Options::default()
    };
    let p = compile(expr, &opts).unwrap();
    vm::run(&p, frame, frame.len() as u32, &vm::Meta::default())
}

#[test]
fn protochain_walks_exactly_max_headers() {
    use super::gen::PROTOCHAIN_MAX_HEADERS as N;
    let snap = Options::default().snaplen;
    for optimize in [false, true] {
        for n in 0..=N + 1 {
            let (six, four) = (ip6_chain(n), ip4_ah_chain(n));
            let within = n <= N;
            let want = if within { snap } else { 0 };
            for e in ["ip6 protochain 6", "protochain 6", "ip6 protochain \\tcp"] {
                assert_eq!(verdict(e, optimize, &six), want, "{e} over {n} headers");
            }
            for e in ["ip protochain 6", "protochain 6", "ip protochain \\tcp"] {
                assert_eq!(verdict(e, optimize, &four), want, "{e} over {n} AH");
            }
            assert_eq!(verdict("not ip6 protochain 6", optimize, &six), 0);
            assert_eq!(verdict("not ip protochain 6", optimize, &four), 0);
            // Past the bound the packet is rejected outright, even under `not`.
            assert_eq!(verdict("ip6 protochain 17", optimize, &six), 0);
            assert_eq!(verdict("not ip6 protochain 17", optimize, &six), want);
            assert_eq!(verdict("not ip protochain 17", optimize, &four), want);
            if n > 0 {
                assert_eq!(verdict("ip6 protochain 60", optimize, &six), snap);
                assert_eq!(verdict("ip protochain \\ah", optimize, &four), snap);
            }
            // The last extension header cut off: a load past the end returns 0.
            if n > 0 {
                let cut = &six[..six.len() - 28];
                assert_eq!(verdict("ip6 protochain 6", optimize, cut), 0);
                assert_eq!(verdict("not ip6 protochain 17", optimize, cut), 0);
            }
        }
    }
}

#[test]
fn protochain_programs_are_forward_only_and_bounded() {
    for e in ["ip6 protochain 6", "ip protochain 6", "protochain 6"] {
        for optimize in [false, true] {
            let opts = Options {
                optimize,
                ..Options::default()
            };
            let p = compile(e, &opts).unwrap();
            bpf::validate(&p).unwrap_or_else(|err| panic!("{e}: {err}"));
            // One family's walk stays small enough to combine with others.
            let limit = if e.starts_with("ip") { 600 } else { 1200 };
            assert!(p.len() < limit, "{e}: {} instructions", p.len());
        }
    }
}

/// A constant negative index folds into an absolute load only where both
/// interpreters read it the same: the userspace target gives libpcap's
/// `ldb [-1]` (an offset no ancillary field has: 0 in both), the kernel
/// target keeps the indexed load the kernel accepts.
#[test]
fn negative_index_folds_for_userspace_only() {
    let user = Options {
        target: super::Target::Userspace,
        ..Options::default()
    };
    let u = compile("ether[-1] = 1", &user).unwrap();
    let libpcap = "4 48 0 0 4294967295 21 0 1 1 6 0 0 262144 6 0 0 0";
    assert_eq!(u, decimal(libpcap));
    bpf::validate_userspace(&u).unwrap();
    assert!(bpf::validate(&u).is_err());
    let k = compile("ether[-1] = 1", &Options::default()).unwrap();
    assert_eq!(k.len(), 5);
    bpf::validate(&k).unwrap();
    // -4096 is SKF_AD_OFF + SKF_AD_PROTOCOL: the VM would read the
    // protocol there, libpcap's interpreter 0; it stays indexed in both.
    let p = compile("ether[-4096] = 1", &user).unwrap();
    assert_eq!(p.len(), 5);
    let frame = [0u8; 64];
    for prog in [&u, &k, &p] {
        assert_eq!(vm::run(prog, &frame, 64, &vm::Meta::default()), 0);
    }
}

/// Names through a fake resolver compile to the programs their values give.
#[test]
fn names_resolve_through_the_resolver() {
    use super::{Resolver, Tables};
    let mut t = Tables::default();
    t.hosts("198.18.0.7 gw\n2001:db8::7 gw6\n198.18.0.8 both\n2001:db8::8 both\n")
        .ethers("02:00:00:00:00:07 gw\n")
        .networks("bench 198.18\nlinklocal 169.254.0.0\n")
        .protocols("myproto 253\ntcp 6\n")
        .services("mysvc 6000/tcp\nboth 7000/tcp\nboth 7000/udp\nhttp 8080/tcp\n");
    let opts = Options {
        resolver: Some(Resolver::new(t)),
        ..Options::default()
    };
    let same = |named: &str, numeric: &str| {
        let a = compile(named, &opts).unwrap_or_else(|e| panic!("{named}: {e}"));
        let b = compile(numeric, &Options::default()).unwrap();
        assert_eq!(a, b, "{named} vs {numeric}");
    };
    same("host gw", "host 198.18.0.7");
    same("src host gw6", "src host 2001:db8::7");
    same("host both", "host 198.18.0.8 or host 2001:db8::8");
    same("ether src gw", "ether src 02:00:00:00:00:07");
    // getnetbyname's number left-justified: 198.18 is 198.18.0.0/16 ...
    same("net bench", "net 198.18.0.0/16");
    // ... but a number with trailing zero bytes keeps the all-ones mask (libpcap's quirk).
    same("net linklocal", "net 169.254.0.0/32");
    same("proto myproto", "proto 253");
    same("tcp port mysvc", "tcp port 6000");
    same("port both", "port 7000");
    // The resolver wins over the built-in tables.
    same("port http", "tcp port 8080");
    // What the resolver does not know falls back to the built-in tables.
    same("port ssh", "tcp port 22");
    same("proto \\udp", "proto 17");
    for (expr, what) in [
        ("host nowhere", NameKind::Host),
        ("ether host nowhere", NameKind::EtherHost),
        ("net nowhere", NameKind::Network),
        ("port nowhere", NameKind::Port),
    ] {
        let e = compile(expr, &opts).unwrap_err();
        assert_eq!(
            *e.kind(),
            K::Unknown {
                what,
                name: "nowhere".into()
            },
            "{expr}"
        );
    }
    let e = compile("udp port mysvc", &opts).unwrap_err();
    assert!(matches!(e.kind(), K::PortProtocol { .. }), "{e}");
    // Without a resolver: names the system would know are refused, not guessed.
    for (expr, what) in [
        ("host gw", NameKind::Host),
        ("ether host gw", NameKind::EtherHost),
        ("net bench", NameKind::Network),
    ] {
        let e = compile(expr, &Options::default()).unwrap_err();
        assert!(
            matches!(e.kind(), K::NoResolver { what: w, .. } if *w == what),
            "{expr}: {e}"
        );
    }
}

/// What libpcap 1.10.3 accepts and newer releases refuse as invalid input
/// (docs/filter.md), refused with its kind and pointing at the primitive.
#[test]
fn newer_libpcap_refusals() {
    use super::{AddressKind, Field};
    let decnet = |text: &str| K::BadAddress {
        kind: AddressKind::Decnet,
        text: text.into(),
    };
    let large = |field, value| K::TooLarge { field, value };
    for (expr, kind) in [
        ("decnet host 64.120", decnet("64.120")),
        ("decnet host 1.2.3", decnet("1.2.3")),
        ("decnet src 0.1024", decnet("0.1024")),
        ("decnet host 198.18.0.1", decnet("198.18.0.1")),
        ("iso proto 256", large(Field::IsoProto, 256)),
        ("isis proto 32", large(Field::IsisPduType, 32)),
        ("link proto 65536", large(Field::LinkProto, 65536)),
        ("ether proto 0x10000", large(Field::LinkProto, 65536)),
        ("tcp or ip broadcast", K::NoNetmask),
    ] {
        let e = compile(expr, &Options::default()).unwrap_err();
        assert_eq!(*e.kind(), kind, "{expr}");
    }
    for ok in [
        "decnet host 63.1023",
        "iso proto 255",
        "isis proto 31",
        "link proto 65535",
    ] {
        assert!(compile(ok, &Options::default()).is_ok(), "{ok}");
    }
    // A netmask of 0 is tcpdump's "not known"; a real one compiles.
    let mask = |m| Options {
        netmask: m,
        ..Options::default()
    };
    assert!(compile("ip broadcast", &mask(Some(0))).is_err());
    assert!(compile("ip broadcast", &mask(Some(0xffff_ff00))).is_ok());
}

/// `llc TYPE` and `byte N op V` parse as libpcap's grammar does.
#[test]
fn llc_types_and_byte_parse_as_libpcaps_grammar() {
    let unopt = unoptimized();
    for ok in [
        "llc rnr",
        "llc UI",
        "llc i and tcp",
        "byte 0 == 1",
        "byte 3 & 0x10 or udp",
    ] {
        assert!(compile(ok, &unopt).is_ok(), "{ok}");
    }
    let e = compile("llc bogus", &unopt).unwrap_err();
    assert_eq!(
        *e.kind(),
        K::Unknown {
            what: NameKind::LlcType,
            name: "bogus".into()
        }
    );
    assert_eq!(e.span(), Span::new(4, 9));
    for bad in [
        "byte 0 != 1",
        "byte 0 >= 1",
        "byte (1) = 2",
        "byte 1 = 2 + 3",
        "byte x = 1",
    ] {
        assert!(compile(bad, &unopt).is_err(), "{bad}");
    }
    let sll = Options {
        linktype: LinkType::LinuxSll2,
        ..unopt
    };
    assert!(matches!(
        compile("llc s", &sll).unwrap_err().kind(),
        K::NotOnLinkType { .. }
    ));
}
