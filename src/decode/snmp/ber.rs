//! BER as print-snmp.c reads it: asn1_parse (one element's tag, length and
//! value, every malformed form reported as tcpdump words it) and asn1_print.
//! No recursion: a caller descends one level at a time.

use super::mib::{self, MIB};
use super::Snmp;
use crate::decode::trunc::{mark, Trunc};
use core::fmt::Write;

/// Names of the universal tags (the SMI's subset).
pub(super) const UNIVERSAL: [&str; 18] = [
    "U-0",
    "Boolean",
    "Integer",
    "Bitstring",
    "String",
    "Null",
    "ObjID",
    "ObjectDes",
    "U-8",
    "U-9",
    "U-10",
    "U-11",
    "U-12",
    "U-13",
    "U-14",
    "U-15",
    "Sequence",
    "Set",
];
/// Application tags of the Internet SMI.
pub(super) const APPLICATION: [&str; 7] = [
    "IpAddress",
    "Counter",
    "Gauge",
    "TimeTicks",
    "Opaque",
    "C-5",
    "Counter64",
];
/// Context tags: the PDU types.
pub(super) const CONTEXT: [&str; 9] = [
    "GetRequest",
    "GetNextRequest",
    "GetResponse",
    "SetRequest",
    "Trap",
    "GetBulk",
    "Inform",
    "V2Trap",
    "Report",
];
pub(super) const EXCEPTIONS: [&str; 3] = ["noSuchObject", "noSuchInstance", "endOfMibView"];
pub(super) const PRIVATE: [&str; 1] = ["P-0"];

/// The tag names of a class (tcpdump's Class[] table; its `name` is the
/// literal "x", a macro that never stringified its argument).
pub(super) fn class_ids(class: u8) -> &'static [&'static str] {
    match class {
        0 => &UNIVERSAL,
        1 => &APPLICATION,
        2 => &CONTEXT,
        _ => &PRIVATE,
    }
}

/// What a BER element decoded to (tcpdump's `BE_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ty {
    Any,
    Null,
    Octet,
    Oid,
    Int,
    Uns,
    Str,
    Seq,
    InetAddr,
    Pdu,
    Uns64,
    Exception,
}

/// One decoded element: its content at `start`, `asnlen` bytes long, and
/// `count` bytes with the header.
#[derive(Clone, Copy, Debug)]
pub(super) struct Elem {
    pub(super) start: usize,
    pub(super) asnlen: u32,
    pub(super) count: u32,
    pub(super) id: u8,
    pub(super) ty: Ty,
    pub(super) int: i32,
    pub(super) uns: u64,
}

/// A failed parse (the reason is printed) is `Ok(None)`; a longjmp is `Err`.
pub(super) type Parsed = Result<Option<Elem>, Trunc>;

impl<'a> Snmp<'a, '_> {
    /// asn1_parse: the element at `at` within `len` bytes.
    pub(super) fn parse(&mut self, mut at: usize, mut len: u32) -> Parsed {
        if len < 1 {
            self.out.push_str("[nothing to parse]");
            return Ok(None);
        }
        let t = self.b.u8(at)?;
        let mut id = t & 0x1f;
        let form = (t & 0x20) >> 5;
        let class = (t & 0xc0) >> 6;
        at += 1;
        len -= 1;
        let mut hdr: u32 = 1;
        if id == 0x1f {
            id = 0;
            while self.b.u8(at)? & 0x80 != 0 {
                if len < 1 {
                    self.out.push_str("[Xtagfield?]");
                    return Ok(None);
                }
                id = (id << 7) | (self.b.u8(at)? & 0x7f);
                len -= 1;
                hdr += 1;
                at += 1;
            }
            if len < 1 {
                self.out.push_str("[Xtagfield?]");
                return Ok(None);
            }
            id = (id << 7) | self.b.u8(at)?;
            len -= 1;
            hdr += 1;
            at += 1;
        }
        if len < 1 {
            self.out.push_str("[no asnlen]");
            return Ok(None);
        }
        let mut asnlen = u32::from(self.b.u8(at)?);
        at += 1;
        len -= 1;
        hdr += 1;
        if asnlen & 0x80 != 0 {
            let noct = asnlen % 0x80;
            asnlen = 0;
            if len < noct {
                let _ = write!(self.out, "[asnlen? {len}<{noct}]");
                return Ok(None);
            }
            if !self.b.has(at, noct as usize) {
                mark(self.out, "snmp");
                return Ok(None);
            }
            for _ in 0..noct {
                asnlen = (asnlen << 8) | u32::from(self.b.u8(at)?);
                at += 1;
                len -= 1;
                hdr += 1;
            }
        }
        if len < asnlen {
            let _ = write!(self.out, "[len{}<asnlen{asnlen}]", len as i32);
            return Ok(None);
        }
        let ids = class_ids(class);
        let fc = if form == 0 { 'P' } else { 'C' };
        let Some(name) = ids.get(usize::from(id)).copied() else {
            let _ = write!(self.out, "[id?{fc}/x/{id}]");
            return Ok(None);
        };
        if !self.b.has(at, asnlen as usize) {
            mark(self.out, "snmp");
            return Ok(None);
        }
        let mut e = Elem {
            start: at,
            asnlen,
            count: asnlen + hdr,
            id,
            ty: Ty::Octet,
            int: 0,
            uns: 0,
        };
        let content = self.b.take(at, asnlen as usize)?;
        match (form, class, id) {
            (0, 0, 4) => e.ty = Ty::Str,
            (0, 0, 2) => {
                let Some(&first) = content.first() else {
                    self.out.push_str("[asnlen=0]");
                    return Ok(None);
                };
                let init: i32 = if first & 0x80 != 0 { -1 } else { 0 };
                e.int = content.iter().fold(init, |d, &x| (d << 8) | i32::from(x));
                e.ty = Ty::Int;
            }
            (0, 0, 6) => e.ty = Ty::Oid,
            (0, 0, 5) => e.ty = Ty::Null,
            (0, 0, _) => {
                let _ = write!(self.out, "[P/U/{name}]");
            }
            (0, 1, 0) => e.ty = Ty::InetAddr,
            (0, 1, 1..=3) => {
                let v = content.iter().fold(0u32, |d, &x| (d << 8) | u32::from(x));
                e.uns = u64::from(v);
                e.ty = Ty::Uns;
            }
            (0, 1, 6) => {
                e.uns = content.iter().fold(0u64, |d, &x| (d << 8) | u64::from(x));
                e.ty = Ty::Uns64;
            }
            (0, 1, _) => {
                let _ = write!(self.out, "[P/A/{name}]");
            }
            (0, 2, 0..=2) => e.ty = Ty::Exception,
            (0, 2, _) => e.ty = Ty::Any,
            (0, _, _) => {
                let _ = write!(self.out, "[P/x/{name}]");
            }
            (_, 0, 16) => e.ty = Ty::Seq,
            (_, 0, _) => {
                let _ = write!(self.out, "C/U/{name}");
            }
            (_, 2, _) => e.ty = Ty::Pdu,
            _ => {
                let _ = write!(self.out, "C/x/{name}");
            }
        }
        Ok(Some(e))
    }

    /// asn1_parse, then a type check that prints `what` and the element
    /// when it fails (every field of print-snmp.c is read this way).
    pub(super) fn expect(&mut self, at: usize, len: u32, ty: Ty, what: &str) -> Parsed {
        let Some(e) = self.parse(at, len)? else {
            return Ok(None);
        };
        if e.ty != ty {
            self.out.push_str(what);
            self.elem(&e)?;
            return Ok(None);
        }
        Ok(Some(e))
    }

    /// The content bytes of `e`, or the marker if they were not captured.
    pub(super) fn content(&mut self, e: &Elem) -> Option<&'a [u8]> {
        let c = self.b.data().get(e.start..e.start + e.asnlen as usize);
        if c.is_none() {
            mark(self.out, "snmp");
        }
        c
    }

    /// asn1_print_octets.
    pub(super) fn octets(&mut self, e: &Elem) -> bool {
        let Some(c) = self.content(e) else {
            return false;
        };
        for x in c {
            let _ = write!(self.out, "_{x:02x}");
        }
        true
    }

    /// asn1_print_string: quoted when every byte is printable, else hex.
    pub(super) fn string(&mut self, e: &Elem) -> bool {
        let Some(c) = self.content(e) else {
            return false;
        };
        if c.iter().all(|&x| (0x20..0x7f).contains(&x)) {
            self.out.push('"');
            self.out.extend(c.iter().map(|&x| char::from(x)));
            self.out.push('"');
        } else {
            for (i, x) in c.iter().enumerate() {
                let sep = if i == 0 { "" } else { "_" };
                let _ = write!(self.out, "{sep}{x:02x}");
            }
        }
        true
    }

    /// asn1_print; `Ok(false)` when it printed the truncation marker.
    pub(super) fn elem(&mut self, e: &Elem) -> Result<bool, Trunc> {
        match e.ty {
            Ty::Octet => return Ok(self.octets(e)),
            Ty::Str => return Ok(self.string(e)),
            Ty::Null => {}
            Ty::Oid => self.oid(e)?,
            Ty::Int => {
                let _ = write!(self.out, "{}", e.int);
            }
            Ty::Uns | Ty::Uns64 => {
                let _ = write!(self.out, "{}", e.uns);
            }
            Ty::Seq => {
                let _ = write!(self.out, "Seq({})", e.asnlen);
            }
            Ty::InetAddr => {
                if e.asnlen != 4 {
                    self.out.push_str("[inetaddr len!=4]");
                }
                let Some(c) = self.content(e) else {
                    return Ok(false);
                };
                for (i, x) in c.iter().enumerate() {
                    let sep = if i == 0 { "" } else { "." };
                    let _ = write!(self.out, "{sep}{x}");
                }
            }
            Ty::Exception => {
                let name = EXCEPTIONS.get(usize::from(e.id)).unwrap_or(&"");
                let _ = write!(self.out, "[{name}]");
            }
            Ty::Pdu => {
                let name = CONTEXT.get(usize::from(e.id)).unwrap_or(&"");
                let _ = write!(self.out, "{name}({})", e.asnlen);
            }
            Ty::Any => self.out.push_str("[BE_ANY!?]"),
        }
        Ok(true)
    }

    /// asn1_print's OID: numbers with `-n`; without it, names from the
    /// compiled-in MIB, with `E:`, `X:` and `S:` (or nothing, for mib-2)
    /// standing for the prefixes tcpdump abbreviates.
    fn oid(&mut self, e: &Elem) -> Result<(), Trunc> {
        const ABBREVIATIONS: [(&str, u16, &[u8]); 4] = [
            ("", mib::MIB_NODE, &[0x2b, 6, 1, 2, 1]),
            ("E:", mib::ENTERPRISES, &[0x2b, 6, 1, 4, 1]),
            ("X:", mib::EXPERIMENTAL, &[0x2b, 6, 1, 3]),
            ("S:", mib::SNMP_MODULES, &[0x2b, 6, 1, 6, 3]),
        ];
        let mut c = self.b.take(e.start, e.asnlen as usize)?;
        let mut obj = mib::NONE;
        let mut first: i32 = -1;
        if !self.numeric && c.len() > 2 {
            if let Some((prefix, node, oid)) = ABBREVIATIONS.iter().find(|a| c.starts_with(a.2)) {
                obj = MIB.get(usize::from(*node)).map_or(mib::NONE, |n| n.2);
                c = &c[oid.len()..];
                self.out.push_str(prefix);
                first = 1;
            }
        }
        let mut o: i32 = 0;
        for &x in c {
            o = (o << 7) | i32::from(x & 0x7f);
            if x & 0x80 != 0 {
                continue;
            }
            if first < 0 {
                if !self.numeric {
                    obj = mib::ROOT;
                }
                first = 0;
                let s = (o / 40).min(2);
                self.obj_print(&mut obj, s, false);
                o = o.wrapping_sub(s.wrapping_mul(40));
            }
            self.obj_print(&mut obj, o, first > 0);
            first = (first - 1).max(0);
            o = 0;
        }
        Ok(())
    }

    /// OBJ_PRINT: the name of sub-identifier `o` among `obj` and its
    /// siblings (then descend to its children), or the number.
    fn obj_print(&mut self, obj: &mut u16, o: i32, suppress_dot: bool) {
        let mut cur = *obj;
        while let Some(n) = MIB.get(usize::from(cur)) {
            if i32::from(n.1) == o {
                break;
            }
            cur = n.3;
        }
        let dot = if suppress_dot { "" } else { "." };
        match MIB.get(usize::from(cur)) {
            Some(n) => {
                let _ = write!(self.out, "{dot}{}", n.0);
                *obj = n.2;
            }
            None => {
                *obj = mib::NONE;
                let _ = write!(self.out, "{dot}{}", o as u32);
            }
        }
    }
}
