//! tcpdump-style text lines (tcpdump 4.99's default format).
//!
//! A [`Printer`] keeps the little state tcpdump keeps between packets: the
//! previous timestamp (`-ttt`) and the first sequence numbers of each TCP
//! connection, so that later packets show relative sequence numbers as
//! tcpdump does (print-tcp.c).

use super::{hex, ports, tcp_flags as tf, Arp, Ipv4, Ipv6, Link, Net, Summary, Tcp, Transport};
use crate::packet::Packet;
use crate::LinkType;
use core::fmt::Write;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::mem;
use std::net::{Ipv4Addr, Ipv6Addr};

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

type SeqKey = ([u8; 16], [u8; 16], u32);

/// A small FxHash-style hasher for the sequence-number table: the keys are
/// packet addresses, not attacker-chosen at a scale where SipHash's
/// flooding resistance matters, and SipHash was a visible share of `-nr`.
#[derive(Default)]
struct FxHasher(u64);

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
#[derive(Debug, Default)]
pub struct Printer {
    opts: TextOptions,
    prev_ts: Option<u64>,
    first_ts: Option<u64>,
    seqs: HashMap<SeqKey, (u32, u32), BuildHasherDefault<FxHasher>>,
    /// tcpdump gave up mid-field (its longjmp path): `-x` then dumps the
    /// whole frame, link header included.
    early_end: bool,
    /// Reused buffers for the text of IPv4 source and destination addresses.
    ip4_text: (String, String),
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

    fn body(&mut self, out: &mut String, s: &Summary<'_>, p: &Packet<'_>) {
        let e = self.opts.link_header;
        match &s.link {
            Link::Ethernet {
                src,
                dst,
                ethertype,
            } => {
                // EtherTypes rawcap decodes; for others tcpdump shows the
                // link header even without -e.
                let inner = s.vlans.last().map_or(*ethertype, |v| v.ethertype);
                let known = matches!(inner, 0x0800 | 0x86dd | 0x0806 | 0x8035)
                    || (s.truncated == Some("vlan") && !e);
                if e || !known {
                    let n = self.opts.numeric;
                    let _ = write!(out, "{} > {}, ", mac_name(src, n), mac_name(dst, n));
                    let q = self.opts.quiet;
                    if s.truncated == Some("vlan") && s.vlans.is_empty() {
                        // ether_print reads the tag before naming the type.
                        self.early_end = true;
                    } else if *ethertype < 0x600 {
                        let _ = write!(out, "802.3, length {}: ", p.wire_len);
                    } else {
                        let _ = write!(
                            out,
                            "{}, length {}: ",
                            ethertype_text(*ethertype, q),
                            p.wire_len
                        );
                    }
                }
                for (i, v) in s.vlans.iter().enumerate() {
                    if e || !known {
                        let _ = write!(out, "vlan {}, p {}", v.id, v.pcp);
                        if v.dei {
                            out.push_str(", DEI");
                        }
                        // Before a cut tag tcpdump has not named the type yet.
                        let next_cut = s.truncated == Some("vlan") && i + 1 == s.vlans.len();
                        if next_cut {
                            out.push_str(", ");
                        } else {
                            let _ =
                                write!(out, ", {}, ", ethertype_text(v.ethertype, self.opts.quiet));
                        }
                    }
                }
            }
            Link::Sll {
                pkttype,
                addr,
                protocol,
                ..
            } => {
                if e {
                    let dir = match pkttype {
                        0 => "In",
                        1 => "B",
                        2 => "M",
                        3 => "P",
                        4 => "Out",
                        _ => "?",
                    };
                    let a: Vec<String> = addr.iter().map(|b| format!("{b:02x}")).collect();
                    let _ = write!(
                        out,
                        "{dir:>3} {} ethertype {} (0x{protocol:04x}), length {}: ",
                        a.join(":"),
                        ethertype_name(*protocol),
                        p.wire_len
                    );
                }
            }
            Link::Null { family } => {
                if e {
                    let name = match family {
                        2 => "IPv4",
                        24 | 28 | 30 => "IPv6",
                        _ => "Unknown",
                    };
                    let _ = write!(out, "AF {name} ({family}), length {}: ", p.wire_len);
                }
            }
            Link::Raw => {}
            Link::Truncated => {
                let _ = write!(out, " [|{}]", s.truncated.unwrap_or("ether"));
                return;
            }
        }
        match &s.net {
            Net::Ipv4(ip) => self.ipv4(out, s, ip),
            Net::Ipv6(ip) => self.ipv6(out, s, ip),
            Net::Arp(a) => arp(
                out,
                a,
                e,
                self.opts.numeric,
                self.opts.verbose > 0,
                p.wire_len as usize - s.link_len.min(p.wire_len as usize),
            ),
            Net::Other { payload, .. } => {
                if let Some(t) = s.truncated {
                    let _ = write!(out, " [|{t}]");
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

    fn ipv4(&mut self, out: &mut String, s: &Summary<'_>, ip: &Ipv4<'_>) {
        if !self.opts.link_header {
            out.push_str("IP ");
        }
        if ip.options_cut {
            let (src, dst) = (Ipv4Addr::from(ip.src), Ipv4Addr::from(ip.dst));
            if ip.frag_offset != 0 {
                let _ = write!(
                    out,
                    "{src} > {dst}: {}",
                    proto_label(ip.proto, self.opts.numeric)
                );
                return;
            }
            // print-tcp.c and print-udp.c would print the addresses themselves.
            if !matches!(ip.proto, 6 | 17 | 33 | 132) {
                let _ = write!(out, "{src} > {dst}: ");
            }
            let _ = write!(
                out,
                " [remaining caplen({}) < header length({})] [|ip]",
                ip.options.len() + 20,
                ip.header_len
            );
            return;
        }
        if self.opts.verbose > 0 {
            let _ = write!(out, "(tos 0x{:x}", ip.tos >> 2 << 2);
            match ip.tos & 3 {
                1 => out.push_str(",ECT(1)"),
                2 => out.push_str(",ECT(0)"),
                3 => out.push_str(",CE"),
                _ => {}
            }
            let _ = write!(
                out,
                ", ttl {}, id {}, offset {}, flags [",
                ip.ttl, ip.id, ip.frag_offset
            );
            let mut any = false;
            for (on, name) in [(ip.mf, "+"), (ip.df, "DF")] {
                if on {
                    out.push_str(name);
                    any = true;
                }
            }
            if !any {
                out.push_str("none");
            }
            let _ = write!(
                out,
                "], proto {} ({}), length {}",
                proto_caps(ip.proto),
                ip.proto,
                ip.total_len
            );
            if !ip.options.is_empty() {
                out.push_str(", options (");
                ipv4_options(out, ip.options);
                out.push(')');
            }
            if !ip.checksum_ok {
                let _ = write!(out, ", bad cksum {:x}!", ip.checksum);
            }
            out.push_str(")\n    ");
        }
        // Two buffers kept for the addresses' text, so no allocation per packet.
        let (mut src, mut dst) = mem::take(&mut self.ip4_text);
        src.clear();
        dst.clear();
        push_ip4(&mut src, ip.src);
        push_ip4(&mut dst, ip.dst);
        self.l4(out, s, &src, &dst, ip_key4(ip));
        self.ip4_text = (src, dst);
    }

    fn ipv6(&mut self, out: &mut String, s: &Summary<'_>, ip: &Ipv6<'_>) {
        if !self.opts.link_header {
            out.push_str("IP6 ");
        }
        if self.opts.verbose > 0 {
            out.push('(');
            if ip.tclass != 0 {
                let _ = write!(out, "class 0x{:x}, ", ip.tclass);
            }
            if ip.flow != 0 {
                let _ = write!(out, "flowlabel 0x{:05x}, ", ip.flow);
            }
            let _ = write!(
                out,
                "hlim {}, next-header {} ({}) payload length: {}) ",
                ip.hlim,
                proto_caps(ip.next_header),
                ip.next_header,
                ip.payload_len
            );
        }
        let src = Ipv6Addr::from(ip.src).to_string();
        let dst = Ipv6Addr::from(ip.dst).to_string();
        if !ip.exts.is_empty() || ip.cut.is_some() {
            let _ = write!(out, "{src} > {dst}: ");
            let mut off = 40u32;
            for x in &ip.exts {
                off += u32::from(x.len);
                match x.kind {
                    0 | 60 => {
                        out.push_str(if x.kind == 0 { "HBH " } else { "DSTOPT " });
                        if self.opts.verbose > 0 {
                            ip6_options(out, x.body);
                        }
                    }
                    43 => rt6(out, x.body, x.len / 8 - 1, self.opts.verbose > 0),
                    51 => ah(out, x.body, usize::from(x.len)),
                    _ => {
                        let rest = (40 + u32::from(ip.payload_len)).saturating_sub(off);
                        if self.opts.verbose > 0 {
                            let _ = write!(out, "frag (0x{:08x}:{}|{rest})", x.id, x.frag_offset);
                        } else {
                            let _ = write!(out, "frag ({}|{rest})", x.frag_offset);
                        }
                        // A later fragment ends the line here.
                        if x.frag_offset == 0 {
                            out.push(' ');
                        }
                    }
                }
            }
        }
        if let Some((kind, bytes)) = ip.cut {
            match kind {
                43 if bytes.is_empty() => out.push_str(" [|ip6]"),
                // A fragment header with its offset: already shown.
                44 if bytes.len() >= 4 => {}
                43 => {
                    let f = |i: usize| bytes.get(i).map(u8::to_string);
                    if let (Some(l), Some(t), Some(sl)) = (f(1), f(2), f(3)) {
                        let _ = write!(out, "RT6 (len={l}, type={t}, segleft={sl}");
                    }
                    out.push_str(" [|rt6]");
                }
                51 => {
                    let total = bytes.get(1).map_or(0, |&l| (usize::from(l) + 2) * 4);
                    ah(out, bytes.get(2..).unwrap_or(&[]), total);
                }
                _ => {
                    let _ = write!(out, " [|{}]", s.truncated.unwrap_or("ip6"));
                }
            }
            return;
        }
        let mut key = ([0u8; 16], [0u8; 16], 6);
        key.0.copy_from_slice(&ip.src);
        key.1.copy_from_slice(&ip.dst);
        if ip.exts.is_empty() {
            self.l4(out, s, &src, &dst, key);
        } else {
            // After extension headers tcpdump shows ports without addresses.
            self.l4(out, s, "", "", key);
        }
    }

    fn push_port(&self, out: &mut String, tcp: bool, port: u16) {
        if !self.opts.numeric {
            let name = if tcp {
                ports::tcp(port)
            } else {
                ports::udp(port)
            };
            if let Some(n) = name {
                out.push_str(n);
                return;
            }
        }
        push_num(out, u64::from(port));
    }

    fn l4(&mut self, out: &mut String, s: &Summary<'_>, src: &str, dst: &str, key: SeqKey) {
        // `src.sport > dst.dport: ` (ports: (tcp, sport, dport)).
        let ends = |out: &mut String, ports: Option<(bool, u16, u16)>| match ports {
            Some((tcp, sp, dp)) => {
                if !src.is_empty() {
                    out.push_str(src);
                    out.push('.');
                }
                self.push_port(out, tcp, sp);
                out.push_str(" > ");
                if !src.is_empty() {
                    out.push_str(dst);
                    out.push('.');
                }
                self.push_port(out, tcp, dp);
                out.push_str(": ");
            }
            None if src.is_empty() => {}
            None => {
                out.push_str(src);
                out.push_str(" > ");
                out.push_str(dst);
                out.push_str(": ");
            }
        };
        let numeric = self.opts.numeric;
        match &s.transport {
            Transport::Tcp(t) => {
                ends(out, Some((true, t.sport, t.dport)));
                if t.header_cut {
                    out.push_str(" [|tcp]");
                } else if self.opts.quiet {
                    let _ = write!(out, "tcp {}", t.payload_len);
                } else {
                    self.tcp(out, s, t, key);
                }
            }
            Transport::Udp {
                sport, dport, len, ..
            } => {
                ends(out, Some((false, *sport, *dport)));
                if s.truncated == Some("udp") {
                    out.push_str(" [|udp]");
                    return;
                }
                let v6 = matches!(s.net, Net::Ipv6(_));
                let cksum = be16(s.l4, 6).unwrap_or(0);
                let check = self.opts.verbose > 1 || (self.opts.verbose > 0 && v6);
                if check && !fragmented(s) && !self.opts.quiet {
                    if !v6 && cksum == 0 {
                        out.push_str("[no cksum] ");
                    } else if let Some(sum) = s.l4_checksum(17) {
                        if sum == 0 {
                            out.push_str("[udp sum ok] ");
                        } else {
                            let _ = write!(
                                out,
                                "[bad udp cksum 0x{cksum:04x} -> 0x{:04x}!] ",
                                should_be(cksum, sum)
                            );
                        }
                    }
                }
                let _ = write!(out, "UDP, length {}", len.saturating_sub(8));
            }
            Transport::Icmp {
                ty,
                code,
                rest,
                len,
            } => {
                ends(out, None);
                let Some(text) = icmp(*ty, *code, rest, numeric) else {
                    out.push_str(" [|icmp]");
                    return;
                };
                let _ = write!(out, "ICMP {text}, length {len}");
                if self.opts.verbose > 0 && !fragmented(s) {
                    if s.l4.len() as u32 == *len {
                        let sum = super::inet_checksum(&[s.l4]);
                        if sum != 0 {
                            let stored = be16(s.l4, 2).unwrap_or(0);
                            let _ = write!(
                                out,
                                " (wrong icmp cksum {stored:x} (->{:x})!)",
                                should_be(stored, sum)
                            );
                        }
                    }
                    if matches!(ty, 3 | 4 | 5 | 11 | 12) {
                        // The quoted datagram, as tcpdump prints it.
                        let inner = super::summarize(LinkType::Raw, rest.get(4..).unwrap_or(&[]));
                        if let Net::Ipv4(ip) = &inner.net {
                            out.push_str("\n\t");
                            self.ipv4(out, &inner, ip);
                        }
                    }
                }
            }
            Transport::Icmp6 {
                ty,
                code,
                rest,
                len,
            } => {
                ends(out, None);
                if self.opts.verbose > 0 {
                    if let Some(sum) = s.l4_checksum(58) {
                        if sum == 0 {
                            out.push_str("[icmp6 sum ok] ");
                        } else {
                            let stored = be16(s.l4, 2).unwrap_or(0);
                            let _ = write!(
                                out,
                                "[bad icmp6 cksum 0x{stored:04x} -> 0x{:04x}!] ",
                                should_be(stored, sum)
                            );
                        }
                    }
                }
                out.push_str("ICMP6, ");
                match icmp6(out, *ty, *code, rest, *len, numeric) {
                    Icmp6End::Trunc => {}
                    Icmp6End::Done if self.opts.verbose > 0 => {}
                    Icmp6End::Done => {
                        let _ = write!(out, ", length {len}");
                    }
                    Icmp6End::Unknown => {
                        let _ = write!(out, ", length {len}");
                        let n = (*len as usize).min(s.l4.len());
                        hex::hex(out, &s.l4[..n]);
                    }
                }
            }
            Transport::Fragment { proto } => {
                // An IPv6 later fragment ends with its "frag (off|len)".
                if !src.is_empty() {
                    ends(out, None);
                    out.push_str(&proto_label(*proto, numeric));
                }
            }
            Transport::Other { proto, len } => {
                ends(out, None);
                let v6 = matches!(s.net, Net::Ipv6(_));
                match s.truncated {
                    _ if v6 && *proto == 59 => out.push_str("no next header"),
                    _ if v6 && *proto == 1 => out.push_str("[ICMP requires IPv4] (invalid)"),
                    // print-tcp.c checks before printing anything; the others
                    // print a separating space first.
                    Some("tcp") => out.push_str("[|tcp]"),
                    Some(t) => {
                        let _ = write!(out, " [|{t}]");
                    }
                    None => {
                        let _ = write!(out, "{} {len}", proto_label(*proto, numeric));
                    }
                }
            }
            Transport::None => {
                ends(out, None);
                let _ = write!(out, "[|{}]", s.truncated.unwrap_or("ip"));
            }
        }
    }

    /// print-tcp.c: flags, relative sequence numbers, window, options, length.
    fn tcp(&mut self, out: &mut String, s: &Summary<'_>, t: &Tcp<'_>, mut key: SeqKey) {
        let flags = t.flags;
        out.push_str("Flags [");
        push_tcp_flags(out, flags);
        out.push(']');
        if self.opts.verbose > 0 && !fragmented(s) {
            if let Some(sum) = s.l4_checksum(6) {
                let _ = write!(out, ", cksum 0x{:04x}", t.checksum);
                if sum == 0 {
                    out.push_str(" (correct)");
                } else {
                    let _ = write!(out, " (incorrect -> 0x{:04x})", should_be(t.checksum, sum));
                }
            }
        }
        let (mut seq, mut ack) = (t.seq, t.ack);
        let (mut thseq, mut thack, mut rev) = (0u32, 0u32, false);
        if flags & tf::ACK != 0 {
            rev = t.sport > t.dport || (t.sport == t.dport && key.0 > key.1);
            if rev {
                core::mem::swap(&mut key.0, &mut key.1);
                key.2 = (u32::from(t.dport) << 16) | u32::from(t.sport);
            } else {
                key.2 = (u32::from(t.sport) << 16) | u32::from(t.dport);
            }
            match self.seqs.get(&key) {
                Some(&(s0, a0)) if flags & tf::SYN == 0 => {
                    if rev {
                        seq = seq.wrapping_sub(a0);
                        ack = ack.wrapping_sub(s0);
                    } else {
                        seq = seq.wrapping_sub(s0);
                        ack = ack.wrapping_sub(a0);
                    }
                    (thseq, thack) = (s0, a0);
                }
                _ => {
                    let v = if rev {
                        (t.ack.wrapping_sub(1), t.seq)
                    } else {
                        (t.seq, t.ack.wrapping_sub(1))
                    };
                    self.seqs.insert(key, v);
                    (thseq, thack) = v;
                }
            }
        }
        let len = t.payload_len;
        if self.opts.verbose > 1 || len > 0 || flags & (tf::SYN | tf::FIN | tf::RST) != 0 {
            out.push_str(", seq ");
            push_num(out, u64::from(seq));
            if len > 0 {
                out.push(':');
                push_num(out, u64::from(seq.wrapping_add(len)));
            }
        }
        if flags & tf::ACK != 0 {
            out.push_str(", ack ");
            push_num(out, u64::from(ack));
        }
        out.push_str(", win ");
        push_num(out, u64::from(t.win));
        if flags & tf::URG != 0 {
            let _ = write!(out, ", urg {}", t.urp);
        }
        if !t.options.is_empty() || t.options_cut {
            out.push_str(", options [");
            match tcp_options(out, t.options, if rev { thseq } else { thack }) {
                Cut::Whole if !t.options_cut => {}
                Cut::Whole => {
                    self.early_end = true;
                    // The next option's kind byte is missing.
                    if !t.options.is_empty() {
                        out.push(',');
                    }
                    out.push_str(" [|tcp]");
                    return;
                }
                Cut::Header => {
                    self.early_end = true;
                    out.push_str(" [|tcp]");
                    return;
                }
                Cut::Data { first } => {
                    out.push_str(if first { " [|tcp]" } else { " [|tcp]>" });
                    return;
                }
            }
            out.push(']');
        }
        out.push_str(", length ");
        push_num(out, u64::from(len));
        if flags & tf::RST != 0 && self.opts.verbose > 0 {
            // print-tcp.c shows the data of a reset instead of decoding it.
            if len > 0 {
                rst_data(out, t.payload, len as usize);
            }
        } else if len > 0 {
            self.tcp_app(out, t);
        }
    }

    /// The application part print-tcp.c adds by port, in its order.
    fn tcp_app(&self, out: &mut String, t: &Tcp<'_>) {
        let is = |p: u16| t.sport == p || t.dport == p;
        let verbose = self.opts.verbose > 0;
        let (p, len) = (t.payload, t.payload_len as usize);
        if is(23) {
            // telnet_print reads the first byte for an IAC.
            if p.is_empty() {
                out.push_str(" [|telnet]");
            }
        } else if is(179) || is(1723) || is(6379) {
            // telnet, BGP, PPTP, RESP: not decoded (tcpdump prints options
            // or messages only for well-formed ones).
        } else if is(25) {
            out.push_str(": ");
            txtproto(out, p, len, "SMTP", None, verbose);
        } else if is(43) {
            out.push_str(": ");
            txtproto(out, p, len, "WHOIS", None, verbose);
        } else if is(22) {
            ssh(out, p);
        } else if is(21) {
            out.push_str(": ");
            txtproto(out, p, len, "FTP", None, verbose);
        } else if is(80) || is(8080) {
            out.push_str(": ");
            txtproto(out, p, len, "HTTP", Some(HTTP_CMDS), verbose);
        } else if is(554) || is(8554) {
            out.push_str(": ");
            txtproto(out, p, len, "RTSP", Some(RTSP_CMDS), verbose);
        }
    }
}

/// `-v` data of a TCP reset: ` [RST` up to 30 bytes as text `]`
/// (print-tcp.c's print_tcp_rst_data with netdissect's nd_printn escapes).
fn rst_data(out: &mut String, p: &[u8], len: usize) {
    out.push_str(" [RST");
    let n = if len > 30 {
        out.push('+');
        30
    } else {
        len
    };
    out.push(' ');
    for &b in p.iter().take(n) {
        let mut c = b;
        if !c.is_ascii() {
            c &= 0x7f;
            out.push_str("M-");
        }
        if !printable(c) {
            c ^= 0x40;
            out.push('^');
        }
        out.push(c as char);
    }
    out.push(']');
}

/// Request names print-http.c knows.
const HTTP_CMDS: &[&str] = &[
    "OPTIONS",
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "DELETE",
    "TRACE",
    "CONNECT",
    "PATCH",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "BCOPY",
    "BMOVE",
    "LABEL",
    "MERGE",
    "POLL",
    "REPORT",
    "SEARCH",
    "UPDATE",
    "NOTIFY",
    "BDELETE",
    "CHECKIN",
    "CHECKOUT",
    "CCM_POST",
    "SUBSCRIBE",
    "BPROPFIND",
    "BPROPPATCH",
    "UNCHECKOUT",
    "MKACTIVITY",
    "MKWORKSPACE",
    "UNSUBSCRIBE",
    "RPC_CONNECT",
    "VERSION-CONTROL",
    "BASELINE-CONTROL",
];

/// Request names print-rtsp.c knows.
const RTSP_CMDS: &[&str] = &[
    "DESCRIBE",
    "ANNOUNCE",
    "GET_PARAMETER",
    "OPTIONS",
    "PAUSE",
    "PLAY",
    "RECORD",
    "REDIRECT",
    "SETUP",
    "SET_PARAMETER",
    "TEARDOWN",
];

/// The captured data ran out (tcpdump's longjmp to " [|proto]").
struct Trunc;

fn printable(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

/// netdissect's fetch_token: the token starting at `idx` and the index
/// after it and the blanks that follow; `Ok(None)` for no token.
fn fetch_token(p: &[u8], mut idx: usize, len: usize) -> Result<Option<(String, usize)>, Trunc> {
    let mut tok = String::new();
    while idx < len {
        // Past the captured bytes: no token (ND_TTEST, not a longjmp).
        let Some(&c) = p.get(idx) else {
            return Ok(None);
        };
        if !printable(c) && !matches!(c, b'\t' | b'\r' | b'\n') {
            return Ok(None);
        }
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            break;
        }
        if tok.len() + 2 > 128 {
            return Ok(None);
        }
        tok.push(c as char);
        idx += 1;
    }
    if tok.is_empty() {
        return Ok(None);
    }
    while idx < len {
        let Some(&c) = p.get(idx) else {
            break;
        };
        if c == b'\r' || c == b'\n' || !printable(c) || c != b' ' {
            break;
        }
        idx += 1;
    }
    Ok(Some((tok, idx)))
}

/// netdissect's print_txt_line: one line with `prefix`; the index after
/// it, or 0 when there is no complete line (then nothing, or the partial
/// line and a truncation mark, is printed).
fn print_txt_line(
    out: &mut String,
    proto: &str,
    prefix: &str,
    p: &[u8],
    start: usize,
    len: usize,
) -> Result<usize, Trunc> {
    let mut idx = start;
    while idx < len {
        let c = *p.get(idx).ok_or(Trunc)?;
        if c == b'\n' {
            push_line(out, prefix, &p[start..idx]);
            return Ok(idx + 1);
        }
        if c == b'\r' {
            if idx + 1 >= len {
                return Ok(0);
            }
            if *p.get(idx + 1).ok_or(Trunc)? == b'\n' {
                push_line(out, prefix, &p[start..idx]);
                return Ok(idx + 2);
            }
            return Ok(0);
        }
        if !printable(c) && c != b'\t' {
            return Ok(0);
        }
        idx += 1;
    }
    push_line(out, prefix, &p[start..idx]);
    let _ = write!(out, " [|{}]", proto.to_ascii_lowercase());
    Ok(0)
}

fn push_line(out: &mut String, prefix: &str, line: &[u8]) {
    out.push_str(prefix);
    out.extend(line.iter().map(|&b| b as char));
}

/// netdissect's txtproto_print for text protocols (HTTP, FTP, SMTP, ...):
/// the protocol name, then the request or status line, or with -v every line.
fn txtproto(
    out: &mut String,
    p: &[u8],
    len: usize,
    proto: &str,
    cmds: Option<&[&str]>,
    verbose: bool,
) {
    out.push_str(proto);
    let trunc = |out: &mut String| {
        let _ = write!(out, " [|{}]", proto.to_ascii_lowercase());
    };
    let print_this = match cmds {
        None => true,
        Some(cmds) => match fetch_token(p, 0, len) {
            Err(Trunc) => return trunc(out),
            Ok(None) => false,
            Ok(Some((tok, idx))) => {
                let is_cmd = cmds.iter().any(|c| c.eq_ignore_ascii_case(&tok));
                // The status code is the second token ("HTTP/1.1 200 OK").
                let code = match fetch_token(p, idx, len) {
                    Err(Trunc) => return trunc(out),
                    Ok(t) => t.map(|(t, _)| t),
                };
                is_cmd
                    || code.is_some_and(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit()))
            }
        },
    };
    let r = if !print_this {
        Ok(0)
    } else if verbose {
        let _ = write!(out, ", length: {len}");
        let mut idx = 0;
        loop {
            match print_txt_line(out, proto, "\n\t", p, idx, len) {
                Ok(0) => break Ok(0),
                Ok(n) if n >= len => break Ok(n),
                Ok(n) => idx = n,
                Err(t) => break Err(t),
            }
        }
    } else if print_this {
        print_txt_line(out, proto, ": ", p, 0, len)
    } else {
        Ok(0)
    };
    if r.is_err() {
        trunc(out);
    }
}

/// print-ssh.c: the identification string, when the payload starts with one.
fn ssh(out: &mut String, p: &[u8]) {
    for (i, want) in b"SSH-".iter().enumerate() {
        match p.get(i) {
            None => {
                out.push_str(" [|ssh]");
                return;
            }
            Some(c) if c != want => return,
            Some(_) => {}
        }
    }
    match p.windows(2).position(|w| w == b"\r\n") {
        Some(end) if p[..end].iter().all(|&c| printable(c)) => {
            out.push_str(": SSH: ");
            push_line(out, "", &p[..end]);
        }
        _ => out.push_str(" [|ssh]"),
    }
}
/// Whether the IP packet is a fragment (tcpdump checks no transport
/// checksum then).
fn fragmented(s: &Summary<'_>) -> bool {
    match &s.net {
        Net::Ipv4(ip) => ip.mf || ip.frag_offset != 0,
        Net::Ipv6(ip) => ip.exts.iter().any(|x| x.kind == 44),
        _ => false,
    }
}

/// The checksum value that would have been right (tcpdump's
/// `in_cksum_shouldbe`): the stored value plus the computed sum.
fn should_be(stored: u16, sum: u16) -> u16 {
    let mut v = u32::from(stored) + u32::from(sum);
    v = (v & 0xffff) + (v >> 16);
    v = (v & 0xffff) + (v >> 16);
    v as u16
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

/// print-ah.c: `AH(spi=0x..,seq=0x..,icv=0x..): `, as far as captured;
/// `body` starts after the next-header and length bytes; `total` is the
/// header's length.
fn ah(out: &mut String, body: &[u8], total: usize) {
    if body.len() < 2 {
        out.push_str(" [|ah]");
        return;
    }
    out.push_str("AH(");
    let Some(spi) = body.get(2..6) else {
        out.push_str(" [|ah]");
        return;
    };
    let _ = write!(out, "spi=0x{:08x},", be32(spi));
    let Some(seq) = body.get(6..10) else {
        out.push_str(" [|ah]");
        return;
    };
    let _ = write!(out, "seq=0x{:x},icv=0x", be32(seq));
    // The ICV runs to the header's end.
    for i in 10..total.saturating_sub(2) {
        match body.get(i) {
            Some(b) => {
                let _ = write!(out, "{b:02x}");
            }
            None => {
                out.push_str(" [|ah]");
                return;
            }
        }
    }
    out.push_str("): ");
}

/// print-rt6.c: an IPv6 routing header; `body` starts at its type byte.
fn rt6(out: &mut String, body: &[u8], len: u16, verbose: bool) {
    let (Some(&ty), Some(&segleft)) = (body.first(), body.get(1)) else {
        out.push_str(" [|srcrt]");
        return;
    };
    let _ = write!(out, "RT6 (len={len}, type={ty}");
    if ty == 0 {
        out.push_str(" [Deprecated]");
    }
    let _ = write!(out, ", segleft={segleft}");
    match ty {
        0 | 2 => {
            let rsv = body.get(2..6).map_or(0, be32);
            if rsv != 0 || verbose {
                let _ = write!(out, ", rsv=0x{rsv:x}");
            }
        }
        4 => {
            let (le, flags) = (
                body.get(2).copied().unwrap_or(0),
                body.get(3).copied().unwrap_or(0),
            );
            let _ = write!(out, ", last-entry={le}");
            if flags != 0 || verbose {
                let _ = write!(out, ", flags=0x{flags:x}");
            }
            let _ = write!(out, ", tag={:x}", be16(body, 4).unwrap_or(0));
        }
        _ => {}
    }
    for i in 0..usize::from(len / 2) {
        let Some(a) = body.get(6 + i * 16..22 + i * 16) else {
            out.push_str(" [|srcrt]");
            return;
        };
        let mut b = [0u8; 16];
        b.copy_from_slice(a);
        let _ = write!(out, ", [{i}]{}", Ipv6Addr::from(b));
    }
    out.push_str(") ");
}

/// IPv6 hop-by-hop / destination options as `-v` shows them.
fn ip6_options(out: &mut String, b: &[u8]) {
    let mut i = 0;
    while i < b.len() {
        let t = b[i];
        if t == 0 {
            out.push_str("(pad1) ");
            i += 1;
            continue;
        }
        let Some(&l) = b.get(i + 1) else {
            break;
        };
        let l = usize::from(l);
        let d = b.get(i + 2..i + 2 + l).unwrap_or(&[]);
        match t {
            1 => out.push_str("(padn)"),
            5 if d.len() == 2 => {
                let _ = write!(out, "(rtalert: 0x{:02x}{:02x})", d[0], d[1]);
            }
            0xc2 if d.len() == 4 => {
                let _ = write!(out, "(jumbo: {})", be32(d));
            }
            _ => {
                let _ = write!(out, "(type 0x{t:02x}: len={l})");
            }
        }
        out.push(' ');
        i += 2 + l;
    }
}

fn ip_key4(ip: &Ipv4<'_>) -> SeqKey {
    let mut k = ([0u8; 16], [0u8; 16], 4);
    k.0[..4].copy_from_slice(&ip.src);
    k.1[..4].copy_from_slice(&ip.dst);
    k
}

/// tcpdump's flag letters, in its order; "none" when no flag is set.
pub fn tcp_flag_string(flags: u16) -> String {
    let mut s = String::new();
    push_tcp_flags(&mut s, flags);
    s
}

/// [`tcp_flag_string`] appended to `s`.
fn push_tcp_flags(s: &mut String, flags: u16) {
    let start = s.len();
    for (bit, c) in [
        (tf::FIN, 'F'),
        (tf::SYN, 'S'),
        (tf::RST, 'R'),
        (tf::PSH, 'P'),
        (tf::ACK, '.'),
        (tf::URG, 'U'),
        (tf::ECE, 'E'),
        (tf::CWR, 'W'),
        (0x100, 'e'),
    ] {
        if flags & bit != 0 {
            s.push(c);
        }
    }
    if s.len() == start {
        s.push_str("none");
    }
}

/// `n` in decimal, appended without core::fmt (hot in `-nr`).
fn push_num(out: &mut String, n: u64) {
    push_padded(out, n, 1);
}

/// `n` in decimal with at least `width` digits (zero padded, like `{:0w$}`).
fn push_padded(out: &mut String, n: u64, width: usize) {
    // Pairs of digits, least significant first, then the 1 or 2 leading digits.
    let (mut pairs, mut np, mut lead) = ([0u8; 10], 0, n);
    while lead >= 100 {
        pairs[np] = (lead % 100) as u8;
        lead /= 100;
        np += 1;
    }
    let lead_digits = if lead >= 10 { 2 } else { 1 };
    for _ in np * 2 + lead_digits..width {
        out.push('0');
    }
    if lead_digits == 2 {
        out.push_str(digit_pair(lead as u8));
    } else {
        out.push(char::from(b'0' + lead as u8));
    }
    for &p in pairs[..np].iter().rev() {
        out.push_str(digit_pair(p));
    }
}

/// `v` (below 100) as two digits.
fn digit_pair(v: u8) -> &'static str {
    let at = usize::from(v) * 2;
    DIGIT_PAIRS.get(at..at + 2).unwrap_or("00")
}

/// The two-digit decimal numbers 00 to 99, back to back.
const DIGIT_PAIRS: &str = "\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Writes the decimal digits of `n` at the end of `buf`, two at a time;
/// returns where they start.
fn digits(buf: &mut [u8; 20], mut n: u64) -> usize {
    let mut i = buf.len();
    let mut pair = |i: &mut usize, d: u64| {
        let d = d as usize * 2;
        *i -= 2;
        buf[*i..*i + 2].copy_from_slice(&DIGIT_PAIRS.as_bytes()[d..d + 2]);
    };
    while n >= 100 {
        pair(&mut i, n % 100);
        n /= 100;
    }
    if n >= 10 {
        pair(&mut i, n);
    } else {
        i -= 1;
        buf[i] = b'0' + n as u8;
    }
    i
}

/// A dotted-quad IPv4 address (`Ipv4Addr`'s Display without core::fmt).
fn push_ip4(out: &mut String, a: [u8; 4]) {
    for (i, o) in a.into_iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        if o >= 100 {
            out.push(char::from(b'0' + o / 100));
            out.push_str(digit_pair(o % 100));
        } else if o >= 10 {
            out.push_str(digit_pair(o));
        } else {
            out.push(char::from(b'0' + o));
        }
    }
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// How the option list ended (print-tcp.c prints a cut option differently
/// depending on where the snapshot ends).
enum Cut {
    /// Every option byte was there.
    Whole,
    /// An option's length byte is missing.
    Header,
    /// An option's data is cut; `first` if it is the first option.
    Data {
        /// No option came before it.
        first: bool,
    },
}

/// TCP options as print-tcp.c shows them, comma separated.
fn tcp_options(out: &mut String, mut b: &[u8], sack_base: u32) -> Cut {
    let mut first = true;
    while let Some(&kind) = b.first() {
        let was_first = first;
        if !first {
            out.push(',');
        }
        first = false;
        if kind == 0 || kind == 1 {
            out.push_str(if kind == 0 { "eol" } else { "nop" });
            b = &b[1..];
            if kind == 0 {
                break;
            }
            continue;
        }
        let Some(&len) = b.get(1) else {
            return Cut::Header;
        };
        let len = usize::from(len);
        if len < 2 {
            out.push_str("[bad opt]");
            return Cut::Whole;
        }
        if len > b.len() {
            out.push_str(option_name(kind).as_str());
            return Cut::Data { first: was_first };
        }
        let d = &b[2..len];
        match (kind, d.len()) {
            (2, 2) => {
                out.push_str("mss ");
                push_num(out, u64::from(u16::from_be_bytes([d[0], d[1]])));
            }
            (3, 1) => {
                let _ = write!(out, "wscale {}", d[0]);
            }
            (4, 0) => out.push_str("sackOK"),
            (5, n) if n % 8 == 0 => {
                let _ = write!(out, "sack {} ", n / 8);
                for blk in d.chunks(8) {
                    let s = be32(&blk[..4]).wrapping_sub(sack_base);
                    let e = be32(&blk[4..]).wrapping_sub(sack_base);
                    let _ = write!(out, "{{{s}:{e}}}");
                }
            }
            (8, 8) => {
                out.push_str("TS val ");
                push_num(out, u64::from(be32(&d[..4])));
                out.push_str(" ecr ");
                push_num(out, u64::from(be32(&d[4..])));
            }
            (28, 2) => {
                let v = u16::from_be_bytes([d[0], d[1]]);
                let unit = if v & 0x8000 != 0 { "min" } else { "sec" };
                let _ = write!(out, "uto {} {unit}", v & 0x7fff);
            }
            (30, _) => out.push_str("mptcp"),
            (34, 0) => out.push_str("tfo  cookiereq"),
            _ => {
                out.push_str(&option_name(kind));
                if !d.is_empty() {
                    out.push_str(" 0x");
                    for x in d {
                        let _ = write!(out, "{x:02x}");
                    }
                }
            }
        }
        b = &b[len..];
    }
    Cut::Whole
}

fn option_name(kind: u8) -> String {
    match kind {
        0 => "eol",
        1 => "nop",
        2 => "mss",
        3 => "wscale",
        4 => "sackOK",
        5 => "sack",
        6 => "echo",
        7 => "echoreply",
        8 => "TS",
        19 => "md5",
        28 => "uto",
        29 => "tcp-ao",
        30 => "mptcp",
        34 => "tfo",
        254 => "exp",
        k => return format!("unknown-{k}"),
    }
    .to_string()
}

fn ipv4_options(out: &mut String, mut b: &[u8]) {
    let mut first = true;
    while let Some(&kind) = b.first() {
        if !first {
            out.push(',');
        }
        first = false;
        let len = if kind <= 1 {
            1
        } else {
            usize::from(b.get(1).copied().unwrap_or(0))
        };
        let name = match kind {
            0 => "EOL",
            1 => "NOP",
            7 => "RR",
            68 => "TS",
            130 => "security",
            131 => "LSRR",
            137 => "SSRR",
            148 => "RA",
            _ => "unknown",
        };
        out.push_str(name);
        if len < 1 || len > b.len() {
            out.push_str(" [bad length]");
            return;
        }
        if kind == 148 && len == 4 {
            let v = u16::from_be_bytes([b[2], b[3]]);
            if v != 0 {
                let _ = write!(out, " value {v}");
            }
        }
        b = &b[len..];
        if kind == 0 {
            break;
        }
    }
}

fn arp(out: &mut String, a: &Arp, link_header: bool, numeric: bool, verbose: bool, len: usize) {
    if !link_header {
        out.push_str("ARP, ");
    }
    if verbose && a.htype == 1 && a.ptype == 0x0800 {
        let _ = write!(
            out,
            "Ethernet (len {}), IPv4 (len {}), ",
            a.sha.len(),
            a.spa.len()
        );
    }
    let ip = |v: &[u8]| match <[u8; 4]>::try_from(v) {
        Ok(x) => Ipv4Addr::from(x).to_string(),
        Err(_) => "?".into(),
    };
    if a.htype != 1 || a.ptype != 0x0800 || a.spa.len() != 4 || a.sha.len() != 6 {
        let _ = write!(out, "Unknown Hardware ({}), length {len}", a.htype);
        return;
    }
    match a.op {
        1 => {
            let _ = write!(out, "Request who-has {}", ip(&a.tpa));
            if a.tha.iter().any(|&b| b != 0) {
                let _ = write!(out, " ({})", mac_name(&a.tha, numeric));
            }
            let _ = write!(out, " tell {}", ip(&a.spa));
        }
        2 => {
            let _ = write!(
                out,
                "Reply {} is-at {}",
                ip(&a.spa),
                mac_name(&a.sha, numeric)
            );
        }
        3 => {
            let _ = write!(
                out,
                "Reverse Request who-is {} tell {}",
                mac_name(&a.tha, numeric),
                mac_name(&a.sha, numeric)
            );
        }
        4 => {
            let _ = write!(
                out,
                "Reverse Reply {} at {}",
                mac_name(&a.tha, numeric),
                ip(&a.tpa)
            );
        }
        8 => {
            let _ = write!(
                out,
                "Inverse Request who-is {} tell {}",
                mac_name(&a.tha, numeric),
                mac_name(&a.sha, numeric)
            );
        }
        9 => {
            let _ = write!(
                out,
                "Inverse Reply {} at {}",
                mac_name(&a.sha, numeric),
                ip(&a.spa)
            );
        }
        op => {
            let _ = write!(out, "Unknown ({op})");
        }
    }
    let _ = write!(out, ", length {len}");
}

/// print-icmp.c's summary of one ICMP message (without "ICMP " and
/// ", length"); `None` when a field it needs is not captured (tcpdump then
/// prints only " [|icmp]").
fn icmp(ty: u8, code: u8, rest: &[u8], numeric: bool) -> Option<String> {
    let mut out = String::new();
    let u16_at = |at: usize| {
        rest.get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
    };
    let u32_at = |at: usize| rest.get(at..at + 4).map(be32);
    // The quoted datagram of an error message starts after 4 unused bytes.
    let inner = rest.get(4..).unwrap_or(&[]);
    let inner_dst = || {
        inner
            .get(16..20)
            .map(|d| Ipv4Addr::new(d[0], d[1], d[2], d[3]).to_string())
    };
    let _ = match ty {
        0 | 8 => write!(
            out,
            "echo {}, id {}, seq {}",
            if ty == 8 { "request" } else { "reply" },
            u16_at(0)?,
            u16_at(2)?
        ),
        3 => match code {
            0 => write!(out, "net {} unreachable", inner_dst()?),
            1 => write!(out, "host {} unreachable", inner_dst()?),
            2 => write!(
                out,
                "{} protocol {} unreachable",
                inner_dst()?,
                inner.get(9)?
            ),
            3 => {
                let dst = inner_dst()?;
                let hl = usize::from(inner.first()? & 0xf) * 4;
                let p = *inner.get(9)?;
                let b = inner.get(hl + 2..hl + 4)?;
                let port = u16::from_be_bytes([b[0], b[1]]);
                match p {
                    17 | 6 => {
                        let name = (!numeric)
                            .then(|| {
                                if p == 6 {
                                    ports::tcp(port)
                                } else {
                                    ports::udp(port)
                                }
                            })
                            .flatten();
                        write!(
                            out,
                            "{dst} {} port {} unreachable",
                            if p == 6 { "tcp" } else { "udp" },
                            name.map_or(port.to_string(), str::to_string)
                        )
                    }
                    p => write!(out, "{dst} protocol {p} port {port} unreachable"),
                }
            }
            4 => {
                let dst = inner_dst()?;
                match u16_at(2)? {
                    0 => write!(out, "{dst} unreachable - need to frag"),
                    mtu => write!(out, "{dst} unreachable - need to frag (mtu {mtu})"),
                }
            }
            c => {
                let dst = inner_dst()?;
                let why = match c {
                    5 => "source route failed",
                    6 => "net unknown",
                    7 => "host unknown",
                    8 => "src host isolated",
                    9 => "net prohibited",
                    10 => "host prohibited",
                    11 => "tos prohibited",
                    12 => "tos host",
                    13 => "admin prohibited filter",
                    14 => "host precedence violation",
                    15 => "precedence cutoff",
                    _ => "",
                };
                if why.is_empty() {
                    write!(out, "{dst} unreachable - #{c}")
                } else {
                    write!(out, "{dst} unreachable - {why}")
                }
            }
        },
        4 => write!(out, "source quench"),
        5 => {
            let d = rest.get(..4)?;
            let gw = Ipv4Addr::new(d[0], d[1], d[2], d[3]);
            let dst = inner_dst()?;
            let what = match code {
                0 => "net",
                1 => "host",
                2 => "tos net",
                3 => "tos host",
                _ => return Some(format!("redirect-#{code} {dst} to {gw}")),
            };
            write!(out, "redirect {dst} to {what} {gw}")
        }
        9 => {
            let (num, size, life) = (*rest.first()?, *rest.get(1)?, u16_at(2)?);
            out.push_str("router advertisement lifetime ");
            let _ = match life {
                0..=59 => write!(out, "{life}"),
                60..=3599 => write!(out, "{}:{:02}", life / 60, life % 60),
                _ => write!(
                    out,
                    "{}:{:02}:{:02}",
                    life / 3600,
                    life / 60 % 60,
                    life % 60
                ),
            };
            let _ = write!(out, " {num}:");
            if size != 2 {
                write!(out, " [size {size}]")
            } else {
                for i in 0..usize::from(num) {
                    let a = rest.get(4 + i * 8..8 + i * 8)?;
                    let pref = u32_at(8 + i * 8)?;
                    let _ = write!(out, " {{{} {pref}}}", Ipv4Addr::new(a[0], a[1], a[2], a[3]));
                }
                Ok(())
            }
        }
        10 => write!(out, "router solicitation"),
        11 => write!(
            out,
            "{}",
            // tcpdump reads the quoted header's address first.
            match (inner_dst()?, code).1 {
                0 => "time exceeded in-transit",
                1 => "ip reassembly time exceeded",
                _ => "time exceeded-#",
            }
        ),
        12 => match code {
            0 => write!(out, "parameter problem - octet {}", rest.first()?),
            c => write!(out, "parameter problem - code {c}"),
        },
        13 => write!(out, "time stamp query id {} seq {}", u16_at(0)?, u16_at(2)?),
        14 => {
            let (id, seq) = (u16_at(0)?, u16_at(2)?);
            let (org, recv, xmit) = (u32_at(4)?, u32_at(8)?, u32_at(12)?);
            write!(
                out,
                "time stamp reply id {id} seq {seq}: org {}, recv {}, xmit {}",
                ms_time(org),
                ms_time(recv),
                ms_time(xmit)
            )
        }
        15 => write!(out, "information request"),
        16 => write!(out, "information reply"),
        17 => write!(out, "address mask request"),
        18 => write!(out, "address mask is 0x{:08x}", u32_at(4)?),
        t => write!(out, "type-#{t}"),
    };
    Some(out)
}

/// An ICMP timestamp (milliseconds since midnight UT) as print-icmp.c shows it.
fn ms_time(t: u32) -> String {
    let ms = t % 1000;
    let sec = t / 1000;
    let (min, sec) = (sec / 60, sec % 60);
    let (hrs, min) = (min / 60, min % 60);
    format!("{hrs}:{min:02}:{sec:02}.{ms:03}")
}

/// How an ICMPv6 summary ended.
enum Icmp6End {
    /// Normally: ", length N" follows.
    Done,
    /// The data ran out: " [|icmp6]" was printed and nothing follows.
    Trunc,
    /// A type print-icmp6.c does not decode: ", length N" and a hex dump follow.
    Unknown,
}

/// print-icmp6.c's summary of one ICMPv6 message (without ", length").
fn icmp6(out: &mut String, ty: u8, code: u8, rest: &[u8], len: u32, numeric: bool) -> Icmp6End {
    let addr_at = |at: usize| {
        rest.get(at..at + 16).map(|b| {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            Ipv6Addr::from(a).to_string()
        })
    };
    let trunc = |out: &mut String| {
        out.push_str(" [|icmp6]");
        Icmp6End::Trunc
    };
    let name = match ty {
        1 => "destination unreachable",
        2 => "packet too big",
        3 => "time exceeded in-transit",
        4 => "parameter problem",
        128 => "echo request",
        129 => "echo reply",
        130 => "multicast listener query",
        131 => "multicast listener report",
        132 => "multicast listener done",
        133 => "router solicitation",
        134 => "router advertisement",
        135 => "neighbor solicitation",
        136 => "neighbor advertisement",
        137 => "redirect",
        138 => "router renumbering",
        139 => "node information query",
        140 => "node information reply",
        141 => "inverse neighbor solicitation",
        142 => "inverse neighbor advertisement",
        143 => "multicast listener report v2",
        144 => "ha discovery request",
        145 => "ha discovery reply",
        146 => "mobile router solicitation",
        147 => "mobile router advertisement",
        151 => "multicast router advertisement",
        152 => "multicast router solicitation",
        153 => "multicast router termination",
        200 => "mtrace response",
        201 => "mtrace query",
        _ => "",
    };
    if name.is_empty() {
        let _ = write!(out, "unknown icmp6 type ({ty})");
        return Icmp6End::Unknown;
    }
    out.push_str(name);
    // The quoted packet of an error message starts after 4 bytes.
    let inner_dst = addr_at(4 + 24);
    match ty {
        1 => {
            let what = match code {
                0 => "unreachable route",
                // print-icmp6.c's table has this leading space.
                1 => " unreachable prohibited",
                2 => "beyond scope",
                3 => "unreachable address",
                4 => {
                    out.push_str(", unreachable port");
                    let Some(dst) = inner_dst else {
                        return trunc(out);
                    };
                    let nh = rest.get(4 + 6).copied();
                    let port = rest
                        .get(4 + 40 + 2..4 + 40 + 4)
                        .map(|b| u16::from_be_bytes([b[0], b[1]]));
                    match (nh, port) {
                        (Some(6), Some(p)) => {
                            let n = (!numeric).then(|| ports::tcp(p)).flatten();
                            let _ = write!(
                                out,
                                ", {dst} tcp port {}",
                                n.map_or(p.to_string(), str::to_string)
                            );
                        }
                        (Some(17), Some(p)) => {
                            let n = (!numeric).then(|| ports::udp(p)).flatten();
                            let _ = write!(
                                out,
                                ", {dst} udp port {}",
                                n.map_or(p.to_string(), str::to_string)
                            );
                        }
                        _ => return trunc(out),
                    }
                    return Icmp6End::Done;
                }
                _ => {
                    let _ = write!(out, ", unknown unreach code ({code})");
                    return Icmp6End::Done;
                }
            };
            let _ = write!(out, ", {what}");
            match inner_dst {
                Some(d) => {
                    let _ = write!(out, " {d}");
                }
                None => return trunc(out),
            }
        }
        2 => match rest.get(..4) {
            Some(m) => {
                let _ = write!(out, ", mtu {}", be32(m));
            }
            None => return trunc(out),
        },
        3 => match code {
            0 => {
                let Some(d) = inner_dst else {
                    return trunc(out);
                };
                let _ = write!(out, " for {d}");
            }
            1 => out.push_str(" (reassembly)"),
            c => {
                let _ = write!(out, ", unknown code ({c})");
            }
        },
        4 => {
            if inner_dst.is_none() {
                return trunc(out);
            }
            let ptr = rest.get(..4).map_or(0, be32);
            let _ = match code {
                0 => write!(out, ", erroneous - octet {ptr}"),
                1 => write!(out, ", next header - octet {ptr}"),
                2 => write!(out, ", option - octet {ptr}"),
                c => write!(out, ", code-#{c}"),
            };
        }
        128 | 129 => match rest.get(..4) {
            Some(r) => {
                let _ = write!(
                    out,
                    ", id {}, seq {}",
                    u16::from_be_bytes([r[0], r[1]]),
                    u16::from_be_bytes([r[2], r[3]])
                );
            }
            None => return trunc(out),
        },
        130..=132 => {
            if ty == 130 && len != 24 && len < 28 {
                let _ = write!(out, " unknown-version (len {len}) ");
                return Icmp6End::Done;
            }
            if ty == 130 && len >= 28 {
                // MLDv2 query: not decoded further.
                return Icmp6End::Done;
            }
            let (Some(d), Some(a)) = (rest.get(..2), addr_at(4)) else {
                // mld6_print says nothing about a message too short.
                return Icmp6End::Done;
            };
            let _ = write!(
                out,
                "max resp delay: {} addr: {a}",
                u16::from_be_bytes([d[0], d[1]])
            );
        }
        135 | 136 => match addr_at(4) {
            Some(a) => {
                let _ = write!(
                    out,
                    ", {} {a}",
                    if ty == 135 { "who has" } else { "tgt is" }
                );
            }
            None => return trunc(out),
        },
        137 => match (addr_at(4), addr_at(20)) {
            (Some(t), Some(d)) => {
                let _ = write!(out, ", {d} to {t}");
            }
            _ => return trunc(out),
        },
        143 => match rest.get(2..4) {
            Some(n) => {
                let _ = write!(
                    out,
                    ", {} group record(s)",
                    u16::from_be_bytes([n[0], n[1]])
                );
            }
            None => return trunc(out),
        },
        133 | 134 => {}
        _ => return Icmp6End::Unknown,
    }
    Icmp6End::Done
}

/// A MAC address as tcpdump prints it: with `-n` plain, without it
/// followed by the vendor from tcpdump's small OUI table.
fn mac_name(a: &[u8], numeric: bool) -> String {
    let mut s = mac(a);
    if !numeric && a.len() == 6 {
        let oui = u32::from_be_bytes([0, a[0], a[1], a[2]]);
        let vendor = match oui {
            0x00_0000 => "Ethernet",
            0x00_000c => "Cisco",
            0x00_00f8 => "Cisco",
            0x00_0142 => "Cisco",
            0x00_0d3a => "Microsoft",
            0x00_8037 => "Ericsson",
            0x00_80c2 => "IEEE 802.1",
            0x00_120f => "IEEE 802.3",
            0x00_e02b => "Extreme",
            0x00_14b9 => "Juniper",
            0x00_0d9d => "Hewlett-Packard",
            0x00_1018 => "Broadcom",
            0x00_1b19 => "IEEE C37.238",
            0x00_0fac => "IEEE 802.11",
            0x00_1394 => "Hirschmann",
            0x00_19a7 => "ITU-T",
            0x00_2309 => "ONF",
            0x00_0bfe => "Avaya",
            0x00_3056 => "Hirschmann",
            _ => "Unknown",
        };
        s.push_str(" (oui ");
        s.push_str(vendor);
        s.push(')');
    }
    s
}

/// `aa:bb:cc:dd:ee:ff`.
pub fn mac(a: &[u8]) -> String {
    let mut s = String::with_capacity(17);
    for (i, b) in a.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// An EtherType as the Ethernet header line shows it:
/// `ethertype IPv4 (0x0800)`, with `-q` just `IPv4`.
fn ethertype_text(t: u16, quiet: bool) -> String {
    let name = ethertype_name(t);
    match (quiet, name) {
        (true, "Unknown") => format!("Unknown Ethertype (0x{t:04x})"),
        (true, _) => name.to_string(),
        (false, _) => format!("ethertype {name} (0x{t:04x})"),
    }
}

/// tcpdump's name for an EtherType (print-ether.c's table, the common part).
pub fn ethertype_name(t: u16) -> &'static str {
    match t {
        0x0800 => "IPv4",
        0x86dd => "IPv6",
        0x0806 => "ARP",
        0x8035 => "Reverse ARP",
        0x8100 => "802.1Q",
        0x88a8 => "802.1Q-QinQ",
        0x9100 => "802.1Q-9100",
        0x9200 => "802.1Q-9200",
        0x8847 => "MPLS unicast",
        0x8848 => "MPLS multicast",
        0x8863 => "PPPoE D",
        0x8864 => "PPPoE S",
        0x888e => "EAPOL",
        0x88cc => "LLDP",
        0x9000 => "Loopback",
        0x88f7 => "PTP",
        _ => "Unknown",
    }
}

/// tcpdump's capitalised protocol name (`ipproto_values`), as in
/// `proto TCP (6)` and `next-header ICMPv6 (58)`.
fn proto_caps(p: u8) -> &'static str {
    match p {
        0 => "Options",
        1 => "ICMP",
        2 => "IGMP",
        4 => "IPIP",
        6 => "TCP",
        8 => "EGP",
        9 => "IGRP",
        17 => "UDP",
        33 => "DCCP",
        41 => "IPv6",
        43 => "Routing",
        44 => "Fragment",
        46 => "RSVP",
        47 => "GRE",
        50 => "ESP",
        51 => "AH",
        55 => "Mobile IP",
        58 => "ICMPv6",
        59 => "NONE",
        60 => "Destination",
        88 => "EIGRP",
        89 => "OSPF",
        103 => "PIM",
        108 => "Compressed IP",
        112 => "VRRP",
        113 => "PGM",
        132 => "SCTP",
        135 => "Mobility",
        _ => "unknown",
    }
}

/// An IP protocol as tcpdump names it in a fragment or an unknown payload:
/// the /etc/protocols name, or `ip-proto-N` with `-n`.
fn proto_label(p: u8, numeric: bool) -> String {
    let name = proto_name(p);
    if numeric || name.starts_with("ip-proto") {
        format!("ip-proto-{p}")
    } else {
        name
    }
}

/// The lower-case protocol name tcpdump uses for an IP protocol number.
pub fn proto_name(p: u8) -> String {
    match p {
        0 => "hopopt".into(),
        1 => "icmp".into(),
        2 => "igmp".into(),
        4 => "ipip".into(),
        6 => "tcp".into(),
        17 => "udp".into(),
        41 => "ip6".into(),
        47 => "gre".into(),
        50 => "esp".into(),
        51 => "ah".into(),
        58 => "icmp6".into(),
        89 => "ospf".into(),
        103 => "pim".into(),
        112 => "vrrp".into(),
        132 => "sctp".into(),
        n => format!("ip-proto-{n}"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_integer_and_address_text_match_core_fmt() {
        let mut s = String::new();
        let powers = (0..64)
            .map(|b| 1u64 << b)
            .chain((1..20).map(|e| 10u64.pow(e) - 1));
        for n in [0u64, 1, 9, 10, 99, 100, 65_535, 4_294_967_295, u64::MAX]
            .into_iter()
            .chain(powers)
        {
            for w in [0usize, 1, 2, 6, 9, 21] {
                s.clear();
                push_padded(&mut s, n, w);
                assert_eq!(s, format!("{n:0w$}"));
            }
        }
        for a in [
            [0u8, 0, 0, 0],
            [255, 255, 255, 255],
            [10, 0, 99, 100],
            [1, 20, 199, 9],
        ] {
            let mut t = String::from("x");
            push_ip4(&mut t, a);
            assert_eq!(t, format!("x{}", Ipv4Addr::from(a)));
        }
        s.clear();
        push_tcp_flags(&mut s, 0);
        assert_eq!(s, "none");
        assert_eq!(tcp_flag_string(tf::SYN | tf::ACK), "S.");
    }
}
