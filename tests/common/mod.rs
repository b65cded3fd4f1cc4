//! Shared by the filter test beds: the libpcap fixture tables
//! (`tests/data/libpcap-programs.txt`, `tests/data/libpcap-rejects.txt`, written
//! by `scripts/gen-libpcap-fixtures.sh`), the packet corpus per link type with
//! the socket metadata each frame is run with, and verdict vectors.
#![allow(dead_code)]

pub mod pcap_vm;

use rawcap::bpf::vm::{self, Meta};
use rawcap::bpf::Program;
use rawcap::LinkType;
use rawcap_corpus::{self as corpus, Frame};
use std::sync::OnceLock;

/// The packet types frames are given in turn (`sll_pkttype` / `SKF_AD_PKTTYPE`):
/// host, outgoing, broadcast, multicast, other host.
const PKTTYPES: [u16; 5] = [0, 4, 1, 2, 3];

/// One frame as a filter sees it: bytes, wire length and socket metadata.
pub struct Sample {
    /// The frame (Ethernet, or the same packet under another link header).
    pub frame: Frame,
    /// What ancillary loads read: a varying packet type and interface index (1-4).
    pub meta: Meta,
}

/// The corpus for a link type, built once per test binary: the Ethernet
/// frames with their link header replaced (cooked headers with a rotating
/// packet type and interface index; NULL and LOOP with the family for IPv4,
/// one of the four IPv6 families, or OSI, and every 7th NULL frame in the
/// other byte order; raw IP without a header, IPV4/IPV6 only the frames of
/// that version).
pub fn samples(link: LinkType) -> &'static [Sample] {
    static CELLS: [OnceLock<Vec<Sample>>; 8] = [const { OnceLock::new() }; 8];
    let at = rawcap::linktype::ALL
        .iter()
        .position(|&l| l == link)
        .expect("a known link type");
    CELLS[at].get_or_init(|| {
        corpus::frames()
            .into_iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let pkttype = PKTTYPES[i % PKTTYPES.len()];
                let ifindex = 1 + (i % 4) as u32;
                let frame = match link {
                    LinkType::Ethernet => f,
                    LinkType::LinuxSll => corpus::to_sll(&f, pkttype),
                    LinkType::LinuxSll2 => corpus::to_sll2(&f, pkttype as u8, ifindex),
                    LinkType::Null => corpus::to_null(&f, i, i % 7 == 3),
                    LinkType::Loop => corpus::to_loop(&f, i),
                    LinkType::Ipv4 if !corpus::is_ip(&f, false) => return None,
                    LinkType::Ipv6 if !corpus::is_ip(&f, true) => return None,
                    _ => corpus::to_raw(&f),
                };
                let meta = Meta {
                    pkttype: u32::from(pkttype),
                    ifindex,
                    hatype: 1,
                    ..Meta::for_frame(link, &frame.data)
                };
                Some(Sample { frame, meta })
            })
            .collect()
    })
}

/// What `prog` returns on every sample, in corpus order.
pub fn verdicts(prog: &Program, samples: &[Sample]) -> Vec<u32> {
    samples
        .iter()
        .map(|s| vm::run(prog, &s.frame.data, s.frame.wire_len, &s.meta))
        .collect()
}

/// What libpcap's `prog` returns on every sample: `bpf::vm` when the kernel
/// would accept the program, else libpcap's own userspace semantics
/// ([`pcap_vm`], for the backward jumps of `protochain`).
pub fn libpcap_verdicts(prog: &Program, samples: &[Sample]) -> Vec<u32> {
    if rawcap::bpf::validate(prog).is_ok() {
        return verdicts(prog, samples);
    }
    samples
        .iter()
        .map(|s| pcap_vm::run(prog, &s.frame.data, s.frame.wire_len, &s.meta))
        .collect()
}

/// Whether `prog` (any program, run with libpcap's semantics) was cut short on
/// this sample by a load past the end or a division by zero.
pub fn cut_short(prog: &Program, s: &Sample) -> bool {
    pcap_vm::run_traced(prog, &s.frame.data, s.frame.wire_len, &s.meta).1
}

/// One accepted (expression, link type) block of the programs table.
pub struct Fixture {
    /// The expression text.
    pub expr: String,
    /// The link type it was compiled for.
    pub link: LinkType,
    /// Markers such as `@always`, `@never`, `@linux`.
    pub markers: Vec<String>,
    /// libpcap's optimized program, or its refusal message when only the optimizer refused.
    pub optimized: Result<Program, String>,
    /// libpcap's unoptimized (`-O`) program.
    pub unoptimized: Program,
}

impl Fixture {
    /// Whether the expression carries this marker (`"@linux"`).
    pub fn has(&self, marker: &str) -> bool {
        self.markers.iter().any(|m| m == marker)
    }
}

/// One refused (expression, link type) line of the rejects table.
pub struct Reject {
    /// The link type.
    pub link: LinkType,
    /// The expression text.
    pub expr: String,
    /// libpcap's message.
    pub message: String,
}

fn data_file(name: &str) -> String {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse_program(text: &str, what: &str) -> Program {
    Program::parse_decimal(text).unwrap_or_else(|e| panic!("{what}: bad -ddd text: {e}"))
}

/// Every block of `tests/data/libpcap-programs.txt`.
pub fn fixtures() -> &'static [Fixture] {
    static CELL: OnceLock<Vec<Fixture>> = OnceLock::new();
    CELL.get_or_init(|| {
        let text = data_file("libpcap-programs.txt");
        let body: String = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        body.split("\n\n")
            .filter(|b| !b.trim().is_empty())
            .map(parse_block)
            .collect()
    })
}

fn parse_block(block: &str) -> Fixture {
    let mut expr = None;
    let mut link = None;
    let mut markers = Vec::new();
    let mut optimized = None;
    let mut unoptimized = None;
    let lines: Vec<&str> = block.lines().filter(|l| !l.is_empty()).collect();
    let mut i = 0;
    // The `-ddd` lines that follow a section header (they never contain ':').
    let program_lines = |i: &mut usize| {
        let start = *i;
        while *i < lines.len() && !lines[*i].contains(':') {
            *i += 1;
        }
        lines[start..*i].join("\n")
    };
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let (key, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("bad fixture line {line:?}"));
        let value = value.trim();
        match key {
            "expr" => expr = Some(value.to_string()),
            "link" => link = Some(value.parse::<LinkType>().expect("link type")),
            "markers" => markers = value.split_whitespace().map(String::from).collect(),
            "optimized" => {
                optimized = Some(match value.strip_prefix("refused:") {
                    Some(msg) => Err(msg.trim().to_string()),
                    None => Ok(program_lines(&mut i)),
                })
            }
            "unoptimized" => unoptimized = Some(program_lines(&mut i)),
            _ => panic!("unknown fixture key {key:?}"),
        }
    }
    let expr = expr.expect("fixture without expr");
    let optimized = optimized
        .expect("fixture without optimized")
        .map(|t| parse_program(&t, &expr));
    let unoptimized = parse_program(&unoptimized.expect("fixture without unoptimized"), &expr);
    Fixture {
        link: link.expect("fixture without link"),
        expr,
        markers,
        optimized,
        unoptimized,
    }
}

/// Every line of `tests/data/libpcap-rejects.txt`.
pub fn rejects() -> Vec<Reject> {
    data_file("libpcap-rejects.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let mut f = l.splitn(3, '\t');
            let (link, expr, message) = (f.next(), f.next(), f.next());
            Reject {
                link: link.expect("link").parse().expect("link type"),
                expr: expr.expect("expr").to_string(),
                message: message.unwrap_or("").to_string(),
            }
        })
        .collect()
}

/// libpcap's verdicts for one fixture: unoptimized always, optimized when libpcap accepted it.
pub struct Oracle {
    /// Index into [`fixtures`].
    pub fixture: usize,
    /// The unoptimized program's return value per sample.
    pub unoptimized: Vec<u32>,
    /// The optimized program's return value per sample (None when the optimizer refused).
    pub optimized: Option<Vec<u32>>,
}

/// libpcap's verdicts for every fixture, computed once per test binary.
pub fn oracles() -> &'static [Oracle] {
    static CELL: OnceLock<Vec<Oracle>> = OnceLock::new();
    CELL.get_or_init(|| {
        fixtures()
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let s = samples(f.link);
                Oracle {
                    fixture: i,
                    unoptimized: libpcap_verdicts(&f.unoptimized, s),
                    optimized: f.optimized.as_ref().ok().map(|p| libpcap_verdicts(p, s)),
                }
            })
            .collect()
    })
}
