//! DNS, mDNS and DNS over TCP (print-domain.c): the one-line summary
//! tcpdump prints (`4660+ A? example.com. (29)`, `4660 1/0/0 A 198.18.0.9`),
//! its `-v`/`-vv` forms, and the parsed message JSON carries.
//!
//! Names are read as tcpdump reads them: a compression pointer must point
//! before the place the name started (and before every pointer followed so
//! far), so a name is read in at most one pass over the message whatever
//! its pointers say; a name stops printing its labels after 255 characters.
//! Every read is checked against the captured bytes; where tcpdump's
//! reads would fail through its GET_ macros the printer returns
//! `Trunc` and ` [|domain]` follows.

mod names;
mod parse;
mod text;

pub(super) use text::fqdn_in;

use super::dispatch::Segment;
use super::json::Obj;
use super::text::Printer;
use super::trunc::{Printed, Trunc};
use core::fmt::Write;

pub use names::{class_name, rcode_name, type_name};
pub use parse::{parse, Edns, Message, Question, Record};

use super::util::print_char as push_char;

/// DNS over UDP (port 53).
pub(super) fn print_udp(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    text::domain(out, seg.data, seg.len, false, p.opts.verbose)
}

/// Multicast DNS (port 5353).
pub(super) fn print_mdns(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    text::domain(out, seg.data, seg.len, true, p.opts.verbose)
}

/// DNS over TCP: the two-byte length prefix, then the message.
pub(super) fn print_tcp(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    if seg.len < 2 {
        let _ = write!(out, " [DNS over TCP: length {} < 2] (invalid)", seg.len);
        return Ok(());
    }
    let len = seg.len - 2;
    let prefix = usize::from(super::num::be16(seg.data, 0).ok_or(Trunc("domain"))?);
    if prefix != len {
        let _ = write!(out, " [prefix length({prefix}) != length({len})] (invalid)");
        return Ok(());
    }
    out.push(' ');
    text::domain(out, &seg.data[2..], len, false, p.opts.verbose)
}

/// JSON for DNS over UDP (`"dns":{...}`).
pub(super) fn json(o: &mut Obj<'_>, seg: &Segment<'_>) {
    message_json(o, seg.data, false);
}

/// JSON for mDNS: the same fields, classes without their top bit, and the
/// QU and cache-flush bits.
pub(super) fn json_mdns(o: &mut Obj<'_>, seg: &Segment<'_>) {
    message_json(o, seg.data, true);
}

/// JSON for DNS over TCP: the message after the length prefix.
pub(super) fn json_tcp(o: &mut Obj<'_>, seg: &Segment<'_>) {
    if let Some(m) = seg.data.get(2..) {
        message_json(o, m, false);
    }
}

/// The flag names JSON lists, in header order.
const FLAG_NAMES: [(u16, &str); 7] = [
    (0x8000, "qr"),
    (0x0400, "aa"),
    (0x0200, "tc"),
    (0x0100, "rd"),
    (0x0080, "ra"),
    (0x0020, "ad"),
    (0x0010, "cd"),
];

/// Opcode names (RFC 1035, 1996, 2136).
fn opcode_text(op: u16) -> String {
    match op {
        0 => "query".into(),
        1 => "iquery".into(),
        2 => "status".into(),
        4 => "notify".into(),
        5 => "update".into(),
        n => n.to_string(),
    }
}

fn message_json(o: &mut Obj<'_>, b: &[u8], mdns: bool) {
    let Some(m) = parse(b, mdns) else {
        return;
    };
    o.object("dns", |d| {
        d.num("id", m.id);
        d.bool("response", m.flags & 0x8000 != 0);
        d.str("opcode", &opcode_text(m.flags >> 11 & 0xf));
        d.strs(
            "flags",
            FLAG_NAMES
                .iter()
                .filter(|(bit, _)| m.flags & bit != 0)
                .map(|f| f.1),
        );
        let rcode = if m.rcode == 0 {
            "NoError".to_string()
        } else {
            rcode_name(m.rcode)
        };
        d.str("rcode", &rcode);
        d.num("rcode_num", m.rcode);
        if mdns {
            d.bool("mdns", true);
        }
        for (k, n) in ["qdcount", "ancount", "nscount", "arcount"]
            .iter()
            .zip(m.counts)
        {
            d.num(k, n);
        }
        d.objects("questions", &m.questions, |q, x| {
            q.str("name", &x.name);
            q.str("type", &parse::type_text(x.qtype));
            q.str("class", &parse::class_text(x.class));
            if mdns {
                q.bool("unicast_response", x.unicast);
            }
        });
        for (k, sec) in ["answers", "authority", "additional"]
            .iter()
            .zip(&m.sections)
        {
            d.objects(k, sec, |r, x| {
                r.str("name", &x.name);
                r.str("type", &parse::type_text(x.rtype));
                r.str("class", &parse::class_text(x.class));
                if mdns {
                    r.bool("cache_flush", x.cache_flush);
                }
                r.num("ttl", x.ttl);
                r.str("data", &x.data);
            });
        }
        if let Some(e) = &m.edns {
            d.object("edns", |x| {
                x.num("udp_size", e.udp_size);
                x.num("version", e.version);
                x.bool("do", e.dnssec_ok);
                x.objects("options", &e.options, |y, &code| {
                    y.num("code", code);
                    if let Some(n) = names::edns_opt_name(code) {
                        y.str("name", n);
                    }
                });
            });
        }
        if !m.complete {
            d.bool("incomplete", true);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn name(n: &str) -> Vec<u8> {
        let mut v = Vec::new();
        for l in n.split('.').filter(|l| !l.is_empty()) {
            v.push(l.len() as u8);
            v.extend_from_slice(l.as_bytes());
        }
        v.push(0);
        v
    }

    fn header(id: u16, flags: u16, counts: [u16; 4]) -> Vec<u8> {
        let mut v = vec![];
        for w in [id, flags, counts[0], counts[1], counts[2], counts[3]] {
            v.extend_from_slice(&w.to_be_bytes());
        }
        v
    }

    fn text(msg: &[u8], verbose: u8) -> String {
        let mut out = String::new();
        if let Err(t) = text::domain(&mut out, msg, msg.len(), false, verbose) {
            crate::decode::trunc::mark(&mut out, t.0);
        }
        out
    }

    /// A response for example.com with one A record (the question's name
    /// compressed in the answer).
    fn response() -> Vec<u8> {
        let mut m = header(0x1234, 0x8180, [1, 1, 0, 0]);
        m.extend(name("example.com"));
        m.extend([0, 1, 0, 1]);
        m.extend([0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 198, 18, 0, 9]);
        m
    }

    #[test]
    fn query_and_response_lines() {
        let mut q = header(0x1234, 0x0100, [1, 0, 0, 0]);
        q.extend(name("example.com"));
        q.extend([0, 1, 0, 1]);
        assert_eq!(text(&q, 0), "4660+ A? example.com. (29)");
        assert_eq!(text(&response(), 0), "4660 1/0/0 A 198.18.0.9 (45)");
        assert_eq!(
            text(&response(), 2),
            "4660 q: A? example.com. 1/0/0 example.com. A 198.18.0.9 (45)"
        );
        let r = response();
        assert_eq!(text(&r[..r.len() - 2], 0), "4660 1/0/0 A [|domain]");
    }

    #[test]
    fn parsed_message_for_json() {
        let m = parse(&response(), false).unwrap();
        assert_eq!((m.id, m.rcode, m.counts), (0x1234, 0, [1, 1, 0, 0]));
        assert_eq!(m.questions[0].name, "example.com.");
        let a = &m.sections[0][0];
        assert_eq!((a.name.as_str(), a.rtype, a.ttl), ("example.com.", 1, 300));
        assert_eq!(a.data, "198.18.0.9");
        assert!(m.complete);
        let r = response();
        let cut = parse(&r[..r.len() - 1], false).unwrap();
        assert!(!cut.complete && cut.sections[0].is_empty());
    }

    /// A name that is a chain of `labels` one-letter labels: units of
    /// three labels and a pointer to the previous unit, and a last name
    /// of 4,000 labels pointing at the last unit.
    fn chain_message(labels: usize) -> Vec<u8> {
        let mut m = header(1, 0x8180, [1, 2, 0, 0]);
        m.extend(name("example.com"));
        m.extend([0, 1, 0, 1]);
        let holder_at = m.len();
        m.extend([0xc0, 12, 0, 10, 0, 1, 0, 0, 0, 0, 0, 0]);
        let mut prev = 12u16;
        let mut n = 0;
        while n + 4000 < labels && m.len() + 8 < 0x3fff {
            let here = m.len() as u16;
            m.extend(b"\x01x\x01x\x01x");
            m.extend((0xc000 | prev).to_be_bytes());
            prev = here;
            n += 3;
        }
        let rdlen = (m.len() - holder_at - 12) as u16;
        m[holder_at + 10..holder_at + 12].copy_from_slice(&rdlen.to_be_bytes());
        for _ in 0..4000 {
            m.extend(b"\x01x");
        }
        m.extend((0xc000 | prev).to_be_bytes());
        m.extend([0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 198, 18, 0, 1]);
        m
    }

    #[test]
    fn compression_loops_and_long_chains_end_quickly() {
        // A pointer to itself and two names pointing at each other.
        let mut q = header(2, 0x0100, [1, 0, 0, 0]);
        q.extend([0xc0, 12, 0, 1, 0, 1]);
        assert_eq!(text(&q, 2), "2+ A? <BAD PTR> [|domain]");
        let mut r = header(3, 0x8180, [0, 2, 0, 0]);
        r.extend([0xc0, 24, 0, 5, 0, 1, 0, 0, 0, 0, 0, 2, 0xc0, 12]);
        r.extend([0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 0, 0, 2, 0xc0, 24]);
        assert!(text(&r, 1).contains("<BAD PTR>"));
        assert!(parse(&r, false).is_some_and(|m| !m.complete));
        // More than 10,000 labels in one name, read at every verbosity and
        // for JSON; a name's text stops after 255 characters.
        let m = chain_message(10_500);
        let start = Instant::now();
        for v in 0..3 {
            let t = text(&m, v);
            assert!(t.len() < 2000, "{} bytes of text", t.len());
        }
        let parsed = parse(&m, false).unwrap();
        assert!(parsed.complete);
        assert!(parsed.sections[0][1].name.len() <= 256);
        assert!(text(&m, 1).contains("<DOMAIN NAME TOO LONG>"));
        // A hang detector, not a speed target (debug builds are slow).
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn every_prefix_and_mutant_prints_without_panic() {
        let mut msgs = vec![response(), chain_message(5000)];
        let mut q = header(4, 0x0100, [1, 0, 0, 1]);
        q.extend(name("example.com"));
        q.extend([0, 1, 0, 1, 0, 0, 41, 16, 0, 0, 0, 0x80, 0, 0, 8]);
        q.extend([0, 8, 0, 4, 0, 1, 0, 0]);
        msgs.push(q);
        for m in &msgs {
            for n in 0..m.len().min(300) {
                for v in 0..3 {
                    let _ = text(&m[..n], v);
                }
                let _ = parse(&m[..n], n % 2 == 0);
            }
            let mut x = m.clone();
            for i in 0..x.len().min(200) {
                x[i] ^= 0xa5;
                let _ = text(&x, 2);
                let _ = parse(&x, true);
                x[i] ^= 0xa5;
            }
        }
    }
}
