//! The parsed message JSON carries: header, questions and records with
//! their data as text. Names follow the printer's rule (a pointer must go
//! back before every place the name was read from), so every name is read
//! in one pass; a message whose records run past the captured bytes keeps
//! the records read so far and says it is incomplete.

use super::names::{class_name, type_name};
use super::push_char;
use crate::decode::num::{push_ip4, push_ip6};
use core::fmt::Write;

/// A DNS message as JSON shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    /// The query id.
    pub id: u16,
    /// The flags word (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode).
    pub flags: u16,
    /// The response code, with an OPT record's extended bits.
    pub rcode: u16,
    /// QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT from the header.
    pub counts: [u16; 4],
    /// The questions read.
    pub questions: Vec<Question>,
    /// The answer, authority and additional records read.
    pub sections: [Vec<Record>; 3],
    /// The EDNS OPT record, if one was read.
    pub edns: Option<Edns>,
    /// Every counted question and record was read.
    pub complete: bool,
}

/// One question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// The name as tcpdump prints it (`example.com.`).
    pub name: String,
    /// QTYPE.
    pub qtype: u16,
    /// QCLASS (without mDNS's unicast-response bit).
    pub class: u16,
    /// mDNS: the unicast-response (QU) bit.
    pub unicast: bool,
}

/// One resource record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The owner name.
    pub name: String,
    /// TYPE.
    pub rtype: u16,
    /// CLASS (without mDNS's cache-flush bit).
    pub class: u16,
    /// mDNS: the cache-flush bit.
    pub cache_flush: bool,
    /// TTL in seconds.
    pub ttl: u32,
    /// The data as text (addresses, names, `10 mail.example.com.`, quoted
    /// TXT strings; other types in hex).
    pub data: String,
}

/// The EDNS pseudo-record (RFC 6891).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edns {
    /// The requestor's UDP payload size.
    pub udp_size: u16,
    /// The EDNS version.
    pub version: u8,
    /// The DNSSEC OK bit.
    pub dnssec_ok: bool,
    /// The option codes present, in order.
    pub options: Vec<u16>,
}

/// A name's text is cut here (tcpdump's MAXCDNAME).
const MAX_NAME: usize = 255;

/// Reads the name at `at`: its text and the position after it in place.
/// `None` when it runs past the captured bytes or breaks a rule.
pub(super) fn read_name(b: &[u8], at: usize) -> Option<(String, usize)> {
    let mut text = String::new();
    let mut cp = at;
    let mut end = None;
    let mut max_offset = at;
    loop {
        let i = *b.get(cp)?;
        match i & 0xc0 {
            0 if i == 0 => {
                if text.is_empty() {
                    text.push('.');
                }
                return Some((text, end.unwrap_or(cp + 1)));
            }
            0 => {
                let label = b.get(cp + 1..cp + 1 + usize::from(i))?;
                if text.len() < MAX_NAME {
                    for &c in label {
                        push_char(&mut text, c);
                    }
                    text.push('.');
                }
                cp += 1 + usize::from(i);
            }
            0xc0 => {
                let offset = usize::from(u16::from_be_bytes([i, *b.get(cp + 1)?]) & 0x3fff);
                end.get_or_insert(cp + 2);
                if offset >= max_offset {
                    return None;
                }
                if text.len() >= MAX_NAME {
                    // The rest would not be shown; the name's end is known.
                    return Some((text, cp + 2));
                }
                max_offset = offset;
                cp = offset;
            }
            _ => return None,
        }
    }
}

/// The record data as text.
fn data_text(b: &[u8], at: usize, rtype: u16, rdata: &[u8]) -> String {
    let mut s = String::new();
    let name_at = |off: usize| read_name(b, at + off).map(|n| n.0);
    let hex = |s: &mut String| {
        for x in rdata {
            let _ = write!(s, "{x:02x}");
        }
    };
    match (rtype, rdata.len()) {
        (1, 4) => push_ip4(&mut s, [rdata[0], rdata[1], rdata[2], rdata[3]]),
        (28, 16) => {
            let mut a = [0u8; 16];
            a.copy_from_slice(rdata);
            push_ip6(&mut s, a);
        }
        (2 | 5 | 12 | 39, _) => s = name_at(0).unwrap_or_default(),
        (15, 3..) => {
            let pref = u16::from_be_bytes([rdata[0], rdata[1]]);
            let _ = write!(s, "{pref} {}", name_at(2).unwrap_or_default());
        }
        (33, 7..) => {
            let w = |k: usize| u16::from_be_bytes([rdata[k], rdata[k + 1]]);
            let target = name_at(6).unwrap_or_default();
            let _ = write!(s, "{} {} {} {target}", w(0), w(2), w(4));
        }
        (16, _) => {
            let mut k = 0;
            while k < rdata.len() {
                let n = usize::from(rdata[k]);
                let chunk = &rdata[k + 1..(k + 1 + n).min(rdata.len())];
                if k > 0 {
                    s.push(' ');
                }
                s.push('"');
                for &c in chunk {
                    push_char(&mut s, c);
                }
                s.push('"');
                k += 1 + n;
            }
        }
        (6, _) => {
            let soa = read_name(b, at).and_then(|(m, e)| {
                let (r, e) = read_name(b, e)?;
                let nums = b.get(e..e + 20)?;
                let w =
                    |k: usize| u32::from_be_bytes([nums[k], nums[k + 1], nums[k + 2], nums[k + 3]]);
                Some(format!(
                    "{m} {r} {} {} {} {} {}",
                    w(0),
                    w(4),
                    w(8),
                    w(12),
                    w(16)
                ))
            });
            match soa {
                Some(t) => s = t,
                None => hex(&mut s),
            }
        }
        _ => hex(&mut s),
    }
    s
}

/// Parses the message in `b` (captured bytes from the DNS header on);
/// `mdns` reads the top class bits as mDNS's QU and cache-flush flags.
pub fn parse(b: &[u8], mdns: bool) -> Option<Message> {
    let hdr = b.get(..12)?;
    let w = |k: usize| u16::from_be_bytes([hdr[k], hdr[k + 1]]);
    let mut m = Message {
        id: w(0),
        flags: w(2),
        rcode: w(2) & 0xf,
        counts: [w(4), w(6), w(8), w(10)],
        ..Message::default()
    };
    let class_bits = |c: u16| {
        if mdns {
            (c & 0x7fff, c & 0x8000 != 0)
        } else {
            (c, false)
        }
    };
    let mut cp = 12;
    for _ in 0..m.counts[0] {
        let Some((name, e)) = read_name(b, cp) else {
            return Some(m);
        };
        let Some(f) = b.get(e..e + 4) else {
            return Some(m);
        };
        let (class, unicast) = class_bits(u16::from_be_bytes([f[2], f[3]]));
        m.questions.push(Question {
            name,
            qtype: u16::from_be_bytes([f[0], f[1]]),
            class,
            unicast,
        });
        cp = e + 4;
    }
    for sec in 0..3 {
        for _ in 0..m.counts[sec + 1] {
            let Some((name, e)) = read_name(b, cp) else {
                return Some(m);
            };
            let Some(f) = b.get(e..e + 10) else {
                return Some(m);
            };
            let rtype = u16::from_be_bytes([f[0], f[1]]);
            let raw_class = u16::from_be_bytes([f[2], f[3]]);
            let ttl = u32::from_be_bytes([f[4], f[5], f[6], f[7]]);
            let rdlen = usize::from(u16::from_be_bytes([f[8], f[9]]));
            let Some(rdata) = b.get(e + 10..e + 10 + rdlen) else {
                return Some(m);
            };
            if rtype == 41 {
                m.rcode |= u16::from(f[4]) << 4;
                let mut options = Vec::new();
                let mut k = 0;
                while k + 4 <= rdata.len() {
                    options.push(u16::from_be_bytes([rdata[k], rdata[k + 1]]));
                    k += 4 + usize::from(u16::from_be_bytes([rdata[k + 2], rdata[k + 3]]));
                }
                m.edns = Some(Edns {
                    udp_size: raw_class,
                    version: f[5],
                    dnssec_ok: f[6] & 0x80 != 0,
                    options,
                });
            } else {
                let (class, cache_flush) = class_bits(raw_class);
                m.sections[sec].push(Record {
                    name,
                    rtype,
                    class,
                    cache_flush,
                    ttl,
                    data: data_text(b, e + 10, rtype, rdata),
                });
            }
            cp = e + 10 + rdlen;
        }
    }
    m.complete = true;
    Some(m)
}

/// A type as JSON names it: tcpdump's name, else `TYPEn` (RFC 3597).
pub fn type_text(t: u16) -> String {
    type_name(t).map_or_else(|| format!("TYPE{t}"), str::to_string)
}

/// A class as JSON names it: tcpdump's name, else `CLASSn` (RFC 3597).
pub fn class_text(c: u16) -> String {
    class_name(c).map_or_else(|| format!("CLASS{c}"), str::to_string)
}
