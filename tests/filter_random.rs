//! Seeded property tests of the filter compiler (issue 3, issue 4):
//!
//! - random expressions from the pcap-filter grammar, compiled by libpcap
//!   (`tcpdump -y EN10MB [-O] -ddd`, when tcpdump is on PATH) and by rawcap,
//!   compared on the packet corpus with the rules of filter_diff; libpcap's
//!   refusals must be refused;
//! - rawcap's optimizer on those expressions: never longer than `-O`, same
//!   verdicts except where a load past the end decides;
//! - random strings and random token sequences: `compile` returns Ok or Err,
//!   never panics or hangs, and every Ok program passes `bpf::validate`.
//!
//! Each test prints its seed; `RAWCAP_SEED=N` replays one. `RAWCAP_RANDOM_EXPRS`
//! sets the number of grammar expressions (default 2000), `RAWCAP_FUZZ_INPUTS`
//! the number of random strings and token sequences (default 25000).

mod common;
#[path = "common/diff.rs"]
mod diff;

use common::{cut_short, libpcap_verdicts, samples, verdicts};
use diff::{compile, options, Compiled, Libpcap, Tally};
use rawcap::bpf::{self, Program};
use rawcap::LinkType;
use rawcap_corpus::Rng;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn seed(default: u64) -> u64 {
    let s = std::env::var("RAWCAP_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    println!("seed: {s} (replay with RAWCAP_SEED={s})");
    s
}

const V4: &[&str] = &[
    "198.18.0.1",
    "198.18.0.2",
    "198.18.1.1",
    "198.19.0.1",
    "198.18.0.255",
    "255.255.255.255",
    "224.0.0.1",
];
const V6: &[&str] = &[
    "2001:db8::1",
    "2001:db8::2",
    "2001:db8:1::1",
    "ff02::1",
    "fe80::1",
];
const NETS: &[&str] = &[
    "198.18.0.0/16",
    "198.18.0.0/15",
    "198.18.1.0/24",
    "198.19.0.0/16",
    "198.18.0.0/24",
    "198.18",
    "198.19",
    "198.18.0",
    "198.18.0.0 mask 255.255.0.0",
    "198.18.1.0 mask 255.255.255.0",
    "198.18.0.1/16",
    "2001:db8::/32",
    "2001:db8::/48",
    "2001:db8:1::/48",
    "ff00::/8",
    "198.18.0.0/33",
];
const MACS: &[&str] = &[
    "02:00:00:00:00:01",
    "02:00:00:00:00:02",
    "02:00:00:00:00:03",
    "ff:ff:ff:ff:ff:ff",
    "01:00:5e:00:00:01",
];
const PORTS: &[&str] = &[
    "20", "21", "22", "53", "67", "68", "80", "123", "443", "1234", "4789", "6081", "8080",
    "65535", "0", "http", "https", "ssh", "domain", "ftp", "ftp-data", "telnet", "smtp", "ntp",
    "bootps", "70000",
];
const RANGES: &[&str] = &[
    "20-22",
    "1-1023",
    "1024-65535",
    "80-80",
    "2000-1000",
    "50-60",
    "20-ssh",
    "ftp-ssh",
    "0-65535",
    "1-70000",
];
const PROTOS: &[&str] = &[
    "ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp", "icmp", "icmp6", "igmp", "igrp", "pim", "ah",
    "esp", "vrrp", "carp", "atalk", "aarp", "decnet", "ipx", "iso", "stp", "netbeui", "lat", "sca",
    "moprc", "mopdl", "llc", "isis", "clnp", "esis", "l1", "l2", "iih", "lsp", "snp", "csnp",
    "psnp",
];
const IP_PROTOS: &[&str] = &[
    "1", "2", "6", "17", "47", "50", "51", "58", "89", "103", "112", "132", "\\tcp", "\\udp",
    "\\icmp", "300",
];
const DIRS: &[&str] = &["", "src ", "dst ", "src or dst ", "src and dst "];
const ACCESSORS: &[&str] = &[
    "ether", "ip", "ip6", "tcp", "udp", "icmp", "icmp6", "arp", "sctp", "igmp", "link", "pim",
    "vrrp", "rarp",
];
const ALU: &[&str] = &["+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"];
const REL: &[&str] = &["=", "==", "!=", "<", ">", "<=", ">="];
const CONSTS: &[&str] = &[
    "tcp-fin",
    "tcp-syn",
    "tcp-rst",
    "tcp-push",
    "tcp-ack",
    "tcp-urg",
    "tcp-ece",
    "tcp-cwr",
    "icmp-echo",
    "icmp-echoreply",
    "icmp-unreach",
    "icmp-timxceed",
    "icmp6-echo",
    "icmp6-neighborsolicit",
    "tcpflags",
    "icmptype",
    "icmpcode",
];

/// Random expressions from the pcap-filter(7) grammar, mostly valid, some not.
struct Grammar(Rng);

impl Grammar {
    fn number(&mut self) -> String {
        let r = &mut self.0;
        match r.below(6) {
            0 => r.below(4).to_string(),
            1 => r.below(64).to_string(),
            2 => format!("0x{:x}", r.below(256)),
            3 => r.below(1600).to_string(),
            4 => r
                .pick(&[
                    "0x45",
                    "0x800",
                    "0x86dd",
                    "255",
                    "0xffffffff",
                    "4095",
                    "1500",
                ])
                .to_string(),
            _ => r.below(20).to_string(),
        }
    }

    fn arith(&mut self, depth: u32) -> String {
        let r = &mut self.0;
        match if depth == 0 { r.below(4) } else { r.below(8) } {
            0 | 1 => {
                let p = r.pick(ACCESSORS);
                let size = r.pick(&["", "", ":1", ":2", ":4", ":3"]);
                let off = if r.chance(80) {
                    self.number_small()
                } else {
                    self.arith(0)
                };
                format!("{p}[{off}{size}]")
            }
            2 => self.number(),
            3 => {
                if r.chance(50) {
                    "len".into()
                } else {
                    r.pick(CONSTS).into()
                }
            }
            4 | 5 => {
                let op = r.pick(ALU);
                format!("{} {op} {}", self.arith(depth - 1), self.arith(depth - 1))
            }
            6 => format!("({})", self.arith(depth - 1)),
            _ => format!("-{}", self.arith(depth - 1)),
        }
    }

    fn number_small(&mut self) -> String {
        let r = &mut self.0;
        match r.below(4) {
            0 => r
                .pick(&["tcpflags", "icmptype", "icmpcode", "13", "9", "6"])
                .into(),
            _ => r.below(48).to_string(),
        }
    }

    fn primitive(&mut self) -> String {
        let r = &mut self.0;
        let addr = |r: &mut Rng| if r.chance(70) { r.pick(V4) } else { r.pick(V6) };
        match r.below(24) {
            0 | 1 => {
                let q = r.pick(&["", "", "ip ", "ip6 ", "arp ", "rarp "]);
                let d = r.pick(DIRS);
                let a = addr(r);
                format!("{q}{d}host {a}")
            }
            2 => {
                let d = r.pick(&["src ", "dst "]);
                format!("{d}{}", addr(r))
            }
            3 => {
                let q = r.pick(&["", "", "ip ", "ip6 ", "arp "]);
                format!("{q}{}net {}", r.pick(DIRS), r.pick(NETS))
            }
            4 | 5 => {
                let q = r.pick(&["", "tcp ", "udp ", "sctp ", "ip6 ", "ip "]);
                format!("{q}{}port {}", r.pick(DIRS), r.pick(PORTS))
            }
            6 => {
                let q = r.pick(&["", "tcp ", "udp ", "sctp "]);
                format!("{q}{}portrange {}", r.pick(DIRS), r.pick(RANGES))
            }
            7 | 8 => r.pick(PROTOS).into(),
            9 => {
                let q = r.pick(&[
                    "ip proto",
                    "ip6 proto",
                    "proto",
                    "ip protochain",
                    "ip6 protochain",
                    "protochain",
                ]);
                format!("{q} {}", r.pick(IP_PROTOS))
            }
            10 => {
                let q = r.pick(&[
                    "ether host",
                    "ether src",
                    "ether dst",
                    "ether src or dst",
                    "ether src and dst",
                ]);
                format!("{q} {}", r.pick(MACS))
            }
            11 => r
                .pick(&[
                    "ether broadcast",
                    "ether multicast",
                    "broadcast",
                    "multicast",
                    "ip multicast",
                    "ip6 multicast",
                    "ip broadcast",
                    "inbound",
                    "outbound",
                    "ifindex 2",
                ])
                .into(),
            12 => {
                let p = r.pick(&[
                    "0x0800", "0x86dd", "0x0806", "\\ip", "\\arp", "\\ip6", "\\rarp", "\\atalk",
                    "100", "1500", "0x8847",
                ]);
                format!("ether proto {p}")
            }
            13 => {
                let n = r.pick(&["", "", " 100", " 200", " 0", " 4095", " 4096"]);
                format!("vlan{n}")
            }
            14 => {
                let n = r.pick(&["", "", " 100", " 200", " 0", " 1048575"]);
                format!("mpls{n}")
            }
            15 => r
                .pick(&[
                    "pppoed",
                    "pppoes",
                    "pppoes 1",
                    "pppoes 0x10",
                    "geneve",
                    "geneve 100",
                    "geneve 0",
                ])
                .into(),
            16 => format!(
                "{} {}",
                r.pick(&["less", "greater"]),
                r.pick(&["60", "64", "100", "200", "1000", "1514"])
            ),
            17 => {
                let f = r.pick(&[
                    "tcp-syn",
                    "tcp-ack",
                    "tcp-fin",
                    "tcp-rst",
                    "tcp-syn|tcp-ack",
                    "tcp-push",
                    "tcp-ece|tcp-cwr",
                ]);
                let rel = r.pick(&["!= 0", "= 0", "= tcp-syn", "!= tcp-ack"]);
                format!("tcp[tcpflags] & ({f}) {rel}")
            }
            19 => {
                let t = r.pick(&[
                    "i", "s", "u", "rr", "rnr", "rej", "ui", "ua", "disc", "dm", "sabme", "test",
                    "xid", "frmr", "UI", "Test", "bogus",
                ]);
                format!("llc {t}")
            }
            20 => {
                let op = r.pick(&["=", "==", "<", ">", "&", "|", "!="]);
                let n = r.pick(&["0", "1", "3", "12", "13", "14", "23", "47", "300"]);
                let v = r.pick(&["0", "1", "2", "6", "8", "0x45", "0x60", "255", "256"]);
                format!("byte {n} {op} {v}")
            }
            18 => {
                let t = r.pick(&[
                    "icmp-echo",
                    "icmp-echoreply",
                    "icmp-unreach",
                    "icmp-redirect",
                    "icmp-timxceed",
                    "3",
                    "8",
                ]);
                format!("icmp[icmptype] {} {t}", r.pick(&["=", "!="]))
            }
            _ => {
                let rel = r.pick(REL);
                format!("{} {rel} {}", self.arith(2), self.arith(1))
            }
        }
    }

    fn expr(&mut self, depth: u32) -> String {
        let r = &mut self.0;
        if depth == 0 {
            return self.primitive();
        }
        match r.below(10) {
            0..=2 => self.primitive(),
            3 => format!("{}{}", r.pick(&["not ", "! ", "!"]), self.expr(depth - 1)),
            4 => format!("({})", self.expr(depth - 1)),
            5 => {
                // Qualifier inheritance: `host A or B`, `tcp port 80 or 443`.
                let p = self.primitive();
                let r = &mut self.0;
                let v = r.pick(&[
                    "198.18.0.2",
                    "80",
                    "443",
                    "22",
                    "2001:db8::2",
                    "198.19",
                    "domain",
                ]);
                format!("{p} {} {v}", r.pick(&["or", "and", "and not", "or not"]))
            }
            _ => {
                let op = r.pick(&["and", "or", "&&", "||", "and not", "or not"]);
                format!("{} {op} {}", self.expr(depth - 1), self.expr(depth - 1))
            }
        }
    }
}

fn tcpdump_available() -> bool {
    Command::new("tcpdump")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// libpcap's answer for one expression and mode: the `-ddd` text, or its refusal.
fn libpcap(expr: &str, link: LinkType, optimize: bool) -> Result<Program, String> {
    let mut c = Command::new("tcpdump");
    c.args(["-y", link.name()]);
    if !optimize {
        c.arg("-O");
    }
    let out = c
        .args(["-ddd", "--", expr])
        .output()
        .map_err(|e| format!("tcpdump: {e}"))?;
    if !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stderr);
        return Err(msg
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("tcpdump: ")
            .to_string());
    }
    Program::parse_decimal(&String::from_utf8_lossy(&out.stdout))
        .map_err(|e| format!("bad -ddd: {e}"))
}

/// One random case: an expression and the link type it is compiled for.
type Case = (String, LinkType);

/// libpcap's (optimized, unoptimized) answers for every case, two tcpdump
/// processes per case, spread over a few threads.
fn libpcap_all(cases: &[Case]) -> Vec<(Result<Program, String>, Result<Program, String>)> {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 8)
        * 2;
    let chunk = cases.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(e, l)| (libpcap(e, *l, true), libpcap(e, *l, false)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("tcpdump worker"))
            .collect()
    })
}

fn count() -> usize {
    std::env::var("RAWCAP_RANDOM_EXPRS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000)
}

/// `count()` distinct grammar expressions for this seed.
fn grammar_exprs(seed: u64) -> Vec<String> {
    let mut g = Grammar(Rng(seed));
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    while out.len() < count() {
        let depth = g.0.below(4) as u32;
        let e = g.expr(depth);
        if seen.insert(e.clone()) {
            out.push(e);
        }
    }
    out
}

#[test]
fn random_expressions_agree_with_libpcap() {
    if !tcpdump_available() {
        println!("skipping: tcpdump is not on PATH (CI installs it)");
        return;
    }
    let exprs = grammar_exprs(seed(0x5eed_0001));
    // Every expression on Ethernet; every second also on one of the other
    // link types, in turn.
    let others: Vec<LinkType> = rawcap::linktype::ALL
        .into_iter()
        .filter(|&l| l != LinkType::Ethernet)
        .collect();
    let cases: Vec<Case> = exprs
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            let other = (i % 2 == 0).then(|| (e.clone(), others[(i / 2) % others.len()]));
            std::iter::once((e.clone(), LinkType::Ethernet)).chain(other)
        })
        .collect();
    let t0 = Instant::now();
    let answers = libpcap_all(&cases);
    let libpcap_time = t0.elapsed();
    let mut t = Tally::default();
    let (mut accepted, mut refused, mut skipped) = (0usize, 0usize, 0usize);
    for ((e, link), (opt, noopt)) in cases.iter().zip(&answers) {
        match noopt {
            Err(msg) => {
                refused += 1;
                t.judge_refusal(e, *link, msg);
            }
            Ok(noopt) => {
                accepted += 1;
                let s = samples(*link);
                let noopt_v = libpcap_verdicts(noopt, s);
                let opt_v = opt.as_ref().map(|p| (p, libpcap_verdicts(p, s)));
                let libpcap = Libpcap {
                    optimized: match &opt_v {
                        Ok((p, v)) => Ok((*p, v.as_slice())),
                        Err(m) => Err(m.as_str()),
                    },
                    unoptimized: (noopt, &noopt_v),
                };
                // libpcap on Linux compiles these to ancillary loads.
                let linux_ext = ["inbound", "outbound", "ifindex"]
                    .iter()
                    .any(|w| e.contains(w));
                if linux_ext && e.contains("vlan") {
                    // A live-capture filter reads VLAN tags from metadata, not from the
                    // frame as tcpdump -d's offline program does: not comparable.
                    skipped += 1;
                    continue;
                }
                t.judge(e, *link, linux_ext, None, &libpcap);
            }
        }
    }
    println!(
        "random: {} expressions, {} cases with the other link types ({accepted} accepted by libpcap, {refused} refused, {skipped} live-only skipped), {} Ethernet frames; tcpdump took {:.1?} ({:.2} ms per process)",
        exprs.len(),
        cases.len(),
        samples(LinkType::Ethernet).len(),
        libpcap_time,
        libpcap_time.as_secs_f64() * 1000.0 / (2 * cases.len()) as f64
    );
    t.report("random");
    assert!(exprs.len() >= 2000 || std::env::var("RAWCAP_RANDOM_EXPRS").is_ok());
    assert_eq!(t.mismatches, 0, "verdict mismatches");
    assert!(t.failures.is_empty(), "{} failures", t.failures.len());
}

/// Issue 4's properties, over the same grammar: the optimized program is never
/// longer than the unoptimized one and returns the same value on every frame,
/// except where a load past the end of the packet decided (order-dependent).
#[test]
fn optimizer_never_lengthens_or_changes_verdicts() {
    let exprs = grammar_exprs(seed(0x5eed_0002));
    let s = samples(LinkType::Ethernet);
    let (mut both, mut longer, mut differ, mut cut_differ) =
        (0usize, Vec::new(), Vec::new(), 0usize);
    let (mut sum_opt, mut sum_noopt) = (0usize, 0usize);
    for e in &exprs {
        let (Ok(Ok(o)), Ok(Ok(n))) = (
            compile(e, &options(LinkType::Ethernet, true, false)),
            compile(e, &options(LinkType::Ethernet, false, false)),
        ) else {
            continue;
        };
        both += 1;
        sum_opt += o.len();
        sum_noopt += n.len();
        if o.len() > n.len() {
            longer.push(format!("{e:?}: optimized {} > -O {}", o.len(), n.len()));
        }
        // `byte N & V` and `byte N | V` act on whatever A holds when they
        // run (gencode.c's gen_byteop), which the optimizer changes: libpcap's
        // own optimized and -O programs differ there too.
        let byte_and_or = e
            .split("byte ")
            .skip(1)
            .any(|rest| matches!(rest.split_whitespace().nth(1), Some("&" | "|")));
        if byte_and_or {
            continue;
        }
        let (vo, vn) = (verdicts(&o, s), verdicts(&n, s));
        for (j, (a, b)) in vo.iter().zip(&vn).enumerate() {
            if a == b {
                continue;
            }
            if cut_short(&o, &s[j]) || cut_short(&n, &s[j]) {
                cut_differ += 1;
                continue;
            }
            differ.push(format!(
                "{e:?} on {}: optimized {a}, -O {b}",
                s[j].frame.label
            ));
            break;
        }
    }
    println!(
        "optimizer: {} expressions, {both} compiled both ways ({sum_opt} vs {sum_noopt} instructions in total), {} longer, {} with different verdicts, {cut_differ} differences where a load past the end decided (allowed)",
        exprs.len(),
        longer.len(),
        differ.len()
    );
    for l in longer.iter().take(10).chain(differ.iter().take(10)) {
        println!("  {l}");
    }
    assert!(longer.is_empty() && differ.is_empty());
}

/// Tokens for random sequences: keywords, values, operators and junk.
const TOKENS: &[&str] = &[
    "host",
    "net",
    "port",
    "portrange",
    "src",
    "dst",
    "ether",
    "ip",
    "ip6",
    "arp",
    "rarp",
    "tcp",
    "udp",
    "sctp",
    "icmp",
    "icmp6",
    "proto",
    "protochain",
    "vlan",
    "mpls",
    "pppoes",
    "pppoed",
    "geneve",
    "less",
    "greater",
    "len",
    "broadcast",
    "multicast",
    "gateway",
    "mask",
    "and",
    "or",
    "not",
    "&&",
    "||",
    "!",
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
    "==",
    "!=",
    "<",
    ">",
    "<=",
    ">=",
    "0",
    "1",
    "4",
    "80",
    "65535",
    "65536",
    "4294967295",
    "4294967296",
    "99999999999999999999",
    "0x",
    "0xfffffffff",
    "198.18.0.1",
    "198.18",
    "198.18.0.0/16",
    "/",
    "2001:db8::1",
    "::",
    ":::",
    "02:00:00:00:00:01",
    "tcpflags",
    "tcp-syn",
    "icmptype",
    "icmp-echo",
    "\\tcp",
    "\\",
    "http",
    "inbound",
    "outbound",
    "ifindex",
    "llc",
    "wlan",
    "type",
    "subtype",
    "atalk",
    "decnet",
    "iso",
    "isis",
    "l1",
    "-",
    "--",
    "@",
    "\"",
];

/// Runs `compile` over every input on a worker thread; a compile that takes
/// longer than a few seconds is reported as a hang (the worker is left behind).
fn guarded(inputs: Vec<String>) -> Result<Vec<(String, Compiled)>, String> {
    let (tx, rx) = mpsc::channel();
    let n = inputs.len();
    std::thread::spawn(move || {
        for (i, e) in inputs.into_iter().enumerate() {
            let r = compile(&e, &options(LinkType::Ethernet, i % 2 == 0, i % 3 == 0));
            if tx.send((e, r)).is_err() {
                return;
            }
        }
    });
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(x) => out.push(x),
            Err(_) => {
                return Err(format!(
                    "compile did not finish within 10 s after input {}",
                    out.len()
                ))
            }
        }
    }
    Ok(out)
}

#[test]
fn random_strings_and_tokens_never_panic() {
    let mut r = Rng(seed(0x5eed_0003));
    let mut inputs = Vec::new();
    let chars: Vec<char> =
        "abcdefghijklmnopqrstuvwxyz0123456789 ()[]:!&|=<>+-*/%^\\.@#\"'\t\n,;?~é€\u{0}"
            .chars()
            .collect();
    let scale = std::env::var("RAWCAP_FUZZ_INPUTS")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(25_000)
        / 5;
    for _ in 0..scale {
        let len = r.below(40);
        inputs.push(
            (0..len)
                .map(|_| chars[r.below(chars.len())])
                .collect::<String>(),
        );
    }
    for _ in 0..3 * scale {
        let len = 1 + r.below(12);
        let toks: Vec<&str> = (0..len).map(|_| r.pick(TOKENS)).collect();
        let sep = if r.chance(20) { "" } else { " " };
        inputs.push(toks.join(sep));
    }
    let mut g = Grammar(Rng(r.next_u64()));
    for _ in 0..scale {
        // Grammar expressions with one token cut out or duplicated.
        let e = g.expr(3);
        let mut toks: Vec<&str> = e.split(' ').collect();
        let i = r.below(toks.len());
        if r.chance(50) {
            toks.remove(i);
        } else {
            toks.insert(i, toks[i]);
        }
        inputs.push(toks.join(" "));
    }
    let total = inputs.len();
    let t0 = Instant::now();
    let results = guarded(inputs).unwrap_or_else(|e| panic!("{e}"));
    let (mut ok, mut err, mut bad) = (0usize, 0usize, Vec::new());
    for (e, r) in &results {
        match r {
            Ok(Ok(p)) => {
                ok += 1;
                if let Err(v) = bpf::validate(p) {
                    bad.push(format!("{e:?}: Ok program fails validate: {v}"));
                }
            }
            Ok(Err(_)) => err += 1,
            Err(panic) => bad.push(format!("{e:?}: panicked: {panic}")),
        }
    }
    println!(
        "fuzz: {total} inputs in {:.1?}: {ok} Ok, {err} Err, {} panics or invalid programs",
        t0.elapsed(),
        bad.len()
    );
    for b in bad.iter().take(20) {
        println!("  {b}");
    }
    assert!(bad.is_empty());
}
