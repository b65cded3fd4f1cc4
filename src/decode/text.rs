//! tcpdump-style text lines (tcpdump 4.99's default format).
//!
//! A [`Printer`] keeps the little state tcpdump keeps between packets: the
//! previous timestamp (`-ttt`) and the first sequence numbers of each TCP
//! connection, so that later packets show relative sequence numbers as
//! tcpdump does (print-tcp.c).

use super::num::{digits, DIGIT_PAIRS};
use super::trunc::{self, Trunc};
use super::{arp, dispatch, ether, hex, ip, ip6, null, sll, Link, Net, Summary};
use crate::packet::Packet;
use crate::proto::EtherType;
use crate::LinkType;
use core::fmt::Write;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// How timestamps are shown (`-t` flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TimeFormat {
    /// `HH:MM:SS.ffffff` (UTC).
    #[default]
    Clock,
    /// No timestamp (`-t`).
    None,
    /// Seconds since the epoch (`-tt`).
    Epoch,
    /// Time since the previous packet (`-ttt`).
    Delta,
    /// Date and time (`-tttt`).
    Date,
    /// Time since the first packet (`-ttttt`).
    SinceFirst,
}

impl TimeFormat {
    /// The format for tcpdump's count of `-t` flags.
    pub fn from_count(n: u8) -> Self {
        match n {
            0 => TimeFormat::Clock,
            1 => TimeFormat::None,
            2 => TimeFormat::Epoch,
            3 => TimeFormat::Delta,
            4 => TimeFormat::Date,
            _ => TimeFormat::SinceFirst,
        }
    }
}

/// What to print (the display flags of tcpdump).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TextOptions {
    /// `-n`: numeric ports.
    pub numeric: bool,
    /// `-e`: print the link-level header.
    pub link_header: bool,
    /// `-x` (1) / `-xx` (2): hex dump without / with the link header.
    pub hex: u8,
    /// `-X` (1) / `-XX` (2): hex and ASCII dump.
    pub hex_ascii: u8,
    /// `-q`: less protocol detail.
    pub quiet: bool,
    /// `-t...`: timestamp format.
    pub time: TimeFormat,
    /// `-v` count.
    pub verbose: u8,
    /// Print nanoseconds instead of microseconds.
    pub nanos: bool,
}

/// The relative-sequence table's key (see `demux::SeqKey`).
type SeqKey = super::demux::SeqKey;

/// A small FxHash-style hasher for the sequence-number table: the keys are
/// packet addresses, not attacker-chosen at a scale where SipHash's
/// flooding resistance matters, and SipHash was a visible share of `-nr`.
#[derive(Default)]
pub(super) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Turns packets into text lines, tcpdump style.
/// Turns packets into text lines, tcpdump style.
#[derive(Debug, Default)]
pub struct Printer {
    pub(super) opts: TextOptions,
    prev_ts: Option<u64>,
    first_ts: Option<u64>,
    /// The first sequence and acknowledgment numbers of each TCP connection.
    pub(super) seqs: HashMap<SeqKey, (u32, u32), BuildHasherDefault<FxHasher>>,
    /// tcpdump gave up mid-field (its longjmp path): `-x` then dumps the
    /// whole frame, link header included.
    pub(super) early_end: bool,
    /// Reused buffers for the text of IPv4 source and destination addresses.
    pub(super) ip4_text: (String, String),
}

impl Printer {
    /// A printer with the given options.
    pub fn new(opts: TextOptions) -> Self {
        Printer {
            opts,
            ..Printer::default()
        }
    }

    /// The full text for one packet (without the final newline; hex dumps
    /// add lines).
    pub fn format(&mut self, linktype: LinkType, p: &Packet<'_>) -> String {
        let mut out = String::with_capacity(160);
        self.format_into(&mut out, linktype, p);
        out
    }

    /// [`Printer::format`] into a caller's buffer, which is cleared first
    /// (lets a sink reuse one allocation for every packet).
    pub fn format_into(&mut self, out: &mut String, linktype: LinkType, p: &Packet<'_>) {
        out.clear();
        self.format_append(out, linktype, p);
    }

    /// [`Printer::format`] appended to `out` (a sink collecting many lines
    /// in one buffer).
    pub fn format_append(&mut self, out: &mut String, linktype: LinkType, p: &Packet<'_>) {
        let start = out.len();
        if p.data.is_empty() {
            // tcpdump prints no time for an empty record either.
            out.push_str("[Invalid header: caplen==0]");
            return;
        }
        self.timestamp(out, p.ts_ns);
        let s = super::summarize(linktype, p.data);
        // A frame that ends right after its link header ends tcpdump's
        // printer through a longjmp, after which -x dumps the whole frame.
        self.early_end = s.truncated == Some("ip") && p.data.len() == s.link_len;
        self.body(out, &s, p);
        // Printers that give up through netdissect's GET_ macros (a longjmp).
        const LONGJMP_MARKS: [&str; 5] =
            [" [|icmp]", " [|icmp6]", " [|arp]", " [|http]", " [|ssh]"];
        // Some printers check explicitly and return normally instead.
        let explicit = match &s.transport {
            // print-icmp.c: time exceeded, and the protocol/port
            // unreachables' check of the quoted protocol byte.
            super::Transport::Icmp { ty: 11, .. } => true,
            super::Transport::Icmp {
                ty: 3,
                code: 2 | 3,
                rest,
                ..
            } => rest.len() < 14,
            // print-icmp6.c: parameter problem, and port unreachable's
            // search for the quoted upper layer.
            super::Transport::Icmp6 { ty: 4, .. }
            | super::Transport::Icmp6 { ty: 1, code: 4, .. } => true,
            // A text line without its end in a wholly captured payload.
            _ => out[start..].ends_with(" [|http]") && p.data.len() >= p.wire_len as usize,
        };
        self.early_end |= !explicit && LONGJMP_MARKS.iter().any(|m| out[start..].ends_with(m));
        let (hx, hxa) = (self.opts.hex, self.opts.hex_ascii);
        let skip = if hx.max(hxa) > 1 || self.early_end {
            0
        } else if s.link == super::Link::Truncated {
            p.data.len()
        } else {
            s.link_len
        };
        let bytes = p.data.get(skip..).unwrap_or(&[]);
        if hxa > 0 {
            hex::hex_ascii(out, bytes);
        } else if hx > 0 {
            hex::hex(out, bytes);
        }
    }

    fn timestamp(&mut self, out: &mut String, ts: u64) {
        let (div, width) = if self.opts.nanos { (1, 9) } else { (1000, 6) };
        let frac = (ts % 1_000_000_000) / div;
        let secs = ts / 1_000_000_000;
        match self.opts.time {
            TimeFormat::None => {}
            TimeFormat::Clock => {
                // "HH:MM:SS." then the fraction, built in one buffer.
                let d = secs % 86_400;
                let mut t = [b'0'; 20];
                for (at, v) in [(0, d / 3600), (3, d / 60 % 60), (6, d % 60)] {
                    let v = v as usize * 2;
                    t[at..at + 2].copy_from_slice(&DIGIT_PAIRS.as_bytes()[v..v + 2]);
                }
                t[2] = b':';
                t[5] = b':';
                t[8] = b'.';
                let mut f = [b'0'; 20];
                digits(&mut f, frac);
                t[9..9 + width].copy_from_slice(&f[20 - width..]);
                t[9 + width] = b' ';
                out.push_str(core::str::from_utf8(&t[..10 + width]).unwrap_or_default());
            }
            TimeFormat::Epoch => {
                let _ = write!(out, "{secs}.{frac:0width$} ");
            }
            TimeFormat::Date => {
                let (y, m, dd) = civil_from_days((secs / 86_400) as i64);
                let d = secs % 86_400;
                let _ = write!(
                    out,
                    "{y:04}-{m:02}-{dd:02} {:02}:{:02}:{:02}.{frac:0width$} ",
                    d / 3600,
                    d / 60 % 60,
                    d % 60
                );
            }
            TimeFormat::Delta | TimeFormat::SinceFirst => {
                let base = if self.opts.time == TimeFormat::Delta {
                    self.prev_ts.unwrap_or(ts)
                } else {
                    *self.first_ts.get_or_insert(ts)
                };
                let (sign, delta) = if ts >= base {
                    (' ', ts - base)
                } else {
                    ('-', base - ts)
                };
                let s = delta / 1_000_000_000;
                let f = (delta % 1_000_000_000) / div;
                let _ = write!(
                    out,
                    "{sign}{:02}:{:02}:{:02}.{f:0width$} ",
                    s / 3600,
                    s / 60 % 60,
                    s % 60
                );
            }
        }
        self.prev_ts = Some(ts);
    }

    /// A printer ran out of captured bytes (tcpdump's longjmp): the marker,
    /// and `-x` dumps the whole frame.
    pub(super) fn truncated(&mut self, out: &mut String, t: Trunc) {
        trunc::mark(out, t.0);
        self.early_end = true;
    }

    fn body(&mut self, out: &mut String, s: &Summary<'_>, p: &Packet<'_>) {
        let e = self.opts.link_header;
        match &s.link {
            Link::Ethernet { .. } => ether::print_header(self, out, s, p),
            Link::Sll { .. } => sll::print_header(self, out, s, p),
            Link::Null { .. } => null::print_header(self, out, s, p),
            Link::Raw => {}
            Link::Truncated => {
                let _ = write!(out, " [|{}]", s.truncated.unwrap_or("ether"));
                return;
            }
        }
        match &s.net {
            Net::Ipv4(i) => ip::print(self, out, s, i),
            Net::Ipv6(i) => ip6::print(self, out, s, i),
            Net::Arp(a) => arp::print(
                out,
                a,
                e,
                self.opts.numeric,
                self.opts.verbose > 0,
                p.wire_len as usize - s.link_len.min(p.wire_len as usize),
            ),
            Net::Other { ethertype, payload } => {
                let wire = (p.wire_len as usize).saturating_sub(s.link_len);
                if let Some(t) = s.truncated {
                    let _ = write!(out, " [|{t}]");
                } else if let Some(f) = dispatch::ethertype(EtherType::from_raw(*ethertype)) {
                    if let Err(t) = f(self, out, payload, wire) {
                        self.truncated(out, t);
                    }
                } else if self.opts.hex == 0 && self.opts.hex_ascii == 0 && !self.opts.quiet {
                    // tcpdump's default print; -x/-X replace it.
                    hex::hex_ascii(out, payload);
                }
            }
            Net::None => {
                let t = s.truncated.unwrap_or("ip");
                if t == "ip" && !e && p.data.len() > s.link_len {
                    // ip_print got as far as the version nibble.
                    out.push_str("IP ");
                }
                let _ = write!(out, " [|{t}]");
            }
        }
    }
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}
