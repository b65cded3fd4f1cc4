//! One JSON object per packet (JSON lines), flat so that `jq` filters read
//! naturally (`select(.dport == 80) | .http`).
//!
//! Fields (absent when the layer is absent):
//! - `ts` (seconds since the epoch, a number with 9 decimals), `ts_ns`,
//!   `caplen`, `len` (wire length), `ifindex` and `ifname` (the interface,
//!   from a live capture or a LINUX_SLL2 header; `?` when this host has no
//!   such index), `direction` ("in" or "out", from a live capture or a
//!   cooked header), `linktype` (e.g. "EN10MB");
//! - `eth_src`, `eth_dst`, `ethertype` (number), `vlan` (array of ids);
//! - `net`: "ipv4", "ipv6", "arp" or "other";
//! - IP: `src`, `dst`, `ttl` (hop limit for IPv6), `ip_id`, `ip_len`
//!   (total length, or payload length for IPv6), `frag_offset`, `df`, `mf`,
//!   `proto` (name, e.g. "tcp"), `proto_num`;
//! - ARP: `arp_op` ("request", "reply", ...), `src`, `dst` (protocol
//!   addresses), `arp_sha`, `arp_tha`;
//! - TCP/UDP: `sport`, `dport`, `payload_len`; TCP also `tcp_flags`
//!   (tcpdump letters, e.g. "S."), `seq`, `ack`, `win`, `tcp_options`
//!   (number of option bytes);
//! - ICMP/ICMPv6: `icmp_type`, `icmp_code`;
//! - `http`: the HTTP request or status line;
//! - `truncated`: the layer cut off by the snapshot length (e.g. "tcp").

use super::demux::proto_name;
use super::dispatch::{self, Segment};
use super::num::mac;
use super::{tcp, Link, Net, Summary, Transport};
use crate::packet::Packet;
use crate::LinkType;
use core::fmt::Write;
use std::net::{Ipv4Addr, Ipv6Addr};

/// A JSON object being written: members are appended in order; nested
/// objects and arrays borrow the same buffer (the application protocols'
/// facts, e.g. `"dns":{"id":1,"questions":[{...}]}`).
pub(super) struct Obj<'o> {
    out: &'o mut String,
    first: bool,
}

impl<'o> Obj<'o> {
    /// An object written into `out` (the `{` comes with the first member).
    pub(super) fn new(out: &'o mut String) -> Self {
        Obj { out, first: true }
    }

    /// Writes the closing `}` (and the opening one of an empty object).
    pub(super) fn close(self) {
        if self.first {
            self.out.push('{');
        }
        self.out.push('}');
    }

    fn key(&mut self, k: &str) {
        self.out.push(if self.first { '{' } else { ',' });
        self.first = false;
        self.out.push('"');
        self.out.push_str(k);
        self.out.push_str("\":");
    }
    /// A number (anything whose Display is a JSON number).
    pub(super) fn num(&mut self, k: &str, v: impl core::fmt::Display) {
        self.key(k);
        let _ = write!(self.out, "{v}");
    }
    /// A string.
    pub(super) fn str(&mut self, k: &str, v: &str) {
        self.key(k);
        escape(self.out, v);
    }
    /// A boolean.
    pub(super) fn bool(&mut self, k: &str, v: bool) {
        self.num(k, v);
    }
    /// A nested object filled by `f`.
    pub(super) fn object(&mut self, k: &str, f: impl FnOnce(&mut Obj<'_>)) {
        self.key(k);
        let mut o = Obj::new(self.out);
        f(&mut o);
        o.close();
    }
    /// An array of objects, one per item, each filled by `f`.
    pub(super) fn objects<T>(
        &mut self,
        k: &str,
        items: impl IntoIterator<Item = T>,
        mut f: impl FnMut(&mut Obj<'_>, T),
    ) {
        self.key(k);
        self.out.push('[');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            let mut o = Obj::new(self.out);
            f(&mut o, item);
            o.close();
        }
        self.out.push(']');
    }
    /// An array of strings.
    pub(super) fn strs<'s>(&mut self, k: &str, items: impl IntoIterator<Item = &'s str>) {
        self.key(k);
        self.out.push('[');
        for (i, v) in items.into_iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            escape(self.out, v);
        }
        self.out.push(']');
    }
}

/// The application protocol's facts, for the protocol the text printer
/// picks by port (`dispatch`'s tables).
fn app(o: &mut Obj<'_>, s: &Summary<'_>) {
    match &s.transport {
        Transport::Tcp(t) if !t.header_cut && !t.payload.is_empty() => {
            if let Some(j) = dispatch::tcp_json(t.sport, t.dport) {
                let seg = Segment {
                    data: t.payload,
                    len: t.payload_len as usize,
                    sport: t.sport,
                    dport: t.dport,
                };
                j(o, &seg);
            }
        }
        Transport::Udp {
            sport, dport, len, ..
        } if s.truncated.is_none() => {
            if let Some(j) = dispatch::udp_json(*sport, *dport) {
                let seg = Segment {
                    data: s.l4.get(8..).unwrap_or(&[]),
                    len: usize::from(*len).min(s.l4_len as usize).saturating_sub(8),
                    sport: *sport,
                    dport: *dport,
                };
                j(o, &seg);
            }
        }
        _ => {}
    }
}

/// Appends `v` as a JSON string literal.
pub fn escape(out: &mut String, v: &str) {
    out.push('"');
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The JSON object for one packet (no trailing newline).
pub fn line(linktype: LinkType, p: &Packet<'_>) -> String {
    let s = super::summarize(linktype, p.data);
    let mut out = String::with_capacity(256);
    let mut o = Obj::new(&mut out);
    o.key("ts");
    let _ = write!(
        o.out,
        "{}.{:09}",
        p.ts_ns / 1_000_000_000,
        p.ts_ns % 1_000_000_000
    );
    o.num("ts_ns", p.ts_ns);
    o.num("caplen", p.data.len());
    o.num("len", p.wire_len);
    // The interface: the capture's own knowledge, else a LINUX_SLL2 header's.
    let sll_index = match s.link {
        Link::Sll { ifindex, .. } => ifindex,
        _ => None,
    };
    if let Some(i) = p.ifindex.or(sll_index) {
        o.num("ifindex", i);
        o.str(
            "ifname",
            &super::sll::ifname(i).unwrap_or_else(|| "?".into()),
        );
    }
    let pkttype = match &s.link {
        Link::Sll { pkttype, .. } => Some(*pkttype),
        _ => p.pkttype.map(|t| u16::from(t.raw())),
    };
    if let Some(t) = pkttype {
        o.str("direction", if t == 4 { "out" } else { "in" });
    }
    o.str("linktype", linktype.name());
    fields(&mut o, &s);
    o.close();
    out
}

/// The fields of every layer of `s` (also an encapsulated frame's, under
/// its tunnel's `inner`).
pub(super) fn fields(o: &mut Obj<'_>, s: &Summary<'_>) {
    if let Link::Ethernet {
        src,
        dst,
        ethertype,
    } = &s.link
    {
        o.str("eth_src", &mac(src));
        o.str("eth_dst", &mac(dst));
        o.num("ethertype", ethertype);
    }
    if !s.vlans.is_empty() {
        o.key("vlan");
        let ids: Vec<String> = s.vlans.iter().map(|v| v.id.to_string()).collect();
        let _ = write!(o.out, "[{}]", ids.join(","));
    }
    match &s.net {
        Net::Ipv4(ip) => {
            o.str("net", "ipv4");
            o.str("src", &Ipv4Addr::from(ip.src).to_string());
            o.str("dst", &Ipv4Addr::from(ip.dst).to_string());
            o.num("ttl", ip.ttl);
            o.num("ip_id", ip.id);
            o.num("ip_len", ip.total_len);
            o.num("frag_offset", ip.frag_offset);
            o.bool("df", ip.df);
            o.bool("mf", ip.mf);
            o.str("proto", &proto_name(ip.proto));
            o.num("proto_num", ip.proto);
        }
        Net::Ipv6(ip) => {
            o.str("net", "ipv6");
            o.str("src", &Ipv6Addr::from(ip.src).to_string());
            o.str("dst", &Ipv6Addr::from(ip.dst).to_string());
            o.num("ttl", ip.hlim);
            o.num("ip_len", ip.payload_len);
            o.str("proto", &proto_name(ip.proto));
            o.num("proto_num", ip.proto);
        }
        Net::Arp(a) => {
            o.str("net", "arp");
            o.str("arp_op", a.op_name());
            let ip = |v: &[u8]| <[u8; 4]>::try_from(v).map(|x| Ipv4Addr::from(x).to_string());
            if let (Ok(src), Ok(dst)) = (ip(&a.spa), ip(&a.tpa)) {
                o.str("src", &src);
                o.str("dst", &dst);
            }
            o.str("arp_sha", &mac(&a.sha));
            o.str("arp_tha", &mac(&a.tha));
        }
        Net::Other { .. } => o.str("net", "other"),
        Net::None => {}
    }
    match &s.transport {
        Transport::Tcp(t) => {
            o.num("sport", t.sport);
            o.num("dport", t.dport);
            o.str("tcp_flags", &tcp::flag_string(t.flags));
            o.num("seq", t.seq);
            o.num("ack", t.ack);
            o.num("win", t.win);
            o.num("tcp_options", t.options.len());
            o.num("payload_len", t.payload_len);
        }
        Transport::Udp {
            sport, dport, len, ..
        } => {
            o.num("sport", sport);
            o.num("dport", dport);
            o.num("payload_len", len.saturating_sub(8));
        }
        Transport::Icmp { ty, code, .. } | Transport::Icmp6 { ty, code, .. } => {
            o.num("icmp_type", ty);
            o.num("icmp_code", code);
        }
        _ => {}
    }
    if let Some(h) = s.http_line() {
        o.str("http", h);
    }
    app(o, s);
    if let Some(t) = s.truncated {
        o.str("truncated", t);
    }
}
