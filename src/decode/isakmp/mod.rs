//! ISAKMP / IKEv1 and IKEv2 (print-isakmp.c): UDP 500, 7500, 8500 and,
//! after four zero bytes, 4500 (`NONESP-encap: `, see `ipsec::natt`).
//!
//! The brief line is `isakmp: phase 1 I ident` (IKEv1) or
//! `isakmp: parent_sa ikev2_init[I]` (IKEv2); `-v` adds the version, the
//! message id and one `(payload ...)` line per payload, nested payloads
//! (proposals, transforms) indented by four spaces a level; `-vv` the
//! cookies and some payload data, `-vvv` the whole payloads in hex.
//!
//! Like tcpdump, IKEv1's `I`/`R`/`?` comes from a cache of the last 20
//! initiator cookies with the addresses that sent them ([`Cookies`]): the
//! same packet can print differently after others.
//!
//! Payload printers return where the next payload starts (`Ok(Some)`),
//! `Ok(None)` where tcpdump's return NULL ends the chain (after printing
//! ` [|name]` itself), `Err` where tcpdump longjmps (` [|isakmp]`).

mod v1;
mod v2;

use super::demux::Ip;
use super::dispatch::Segment;
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed, Trunc};
use core::fmt::Write;

/// How many initiator cookies tcpdump remembers (MAXINITIATORS).
const MAX_INITIATORS: usize = 20;

/// Payloads nested deeper than this end the chain with ` [|name]`: tcpdump
/// recurses without a limit (an SA whose proposal chain names another SA),
/// which only a bogus message does; the cap keeps the stack and the
/// line's indentation bounded.
const MAX_DEPTH: usize = 64;

/// One remembered initiator: its cookie, the IP version and the addresses
/// of the packet that carried it (print-isakmp.c's cookiecache entry).
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    cookie: [u8; 8],
    version: u8,
    iaddr: [u8; 16],
    raddr: [u8; 16],
}

/// The initiator-cookie cache, kept across packets as tcpdump's static
/// array is (it starts as 20 all-zero entries, which a zero cookie finds).
#[derive(Debug, Default)]
pub(crate) struct Cookies {
    slots: [Slot; MAX_INITIATORS],
    next: usize,
    /// The enclosing IP header of the datagram being printed: version,
    /// source, destination (tcpdump's `bp2`); set by the UDP printer.
    ip: Option<(u8, [u8; 16], [u8; 16])>,
}

impl Cookies {
    /// Remembers the IP header of the UDP datagram about to be printed.
    pub(super) fn set_ip(&mut self, ip: &Ip<'_>) {
        let mut src = [0u8; 16];
        let mut dst = [0u8; 16];
        let n = ip.src.len().min(16);
        src[..n].copy_from_slice(&ip.src[..n]);
        let n = ip.dst.len().min(16);
        dst[..n].copy_from_slice(&ip.dst[..n]);
        self.ip = Some((if ip.v6 { 6 } else { 4 }, src, dst));
    }

    fn find(&self, ck: &[u8]) -> Option<usize> {
        self.slots.iter().position(|s| s.cookie[..] == *ck)
    }

    fn record(&mut self, ck: &[u8]) {
        if let Some(i) = self.find(ck) {
            self.next = (i + 1) % MAX_INITIATORS;
            return;
        }
        let Some((version, src, dst)) = self.ip else {
            return;
        };
        let s = &mut self.slots[self.next];
        s.version = version;
        let n = if version == 4 { 4 } else { 16 };
        s.iaddr[..n].copy_from_slice(&src[..n]);
        s.raddr[..n].copy_from_slice(&dst[..n]);
        s.cookie.copy_from_slice(ck);
        self.next = (self.next + 1) % MAX_INITIATORS;
    }

    /// cookie_sidecheck: the packet's source is the recorded initiator's
    /// (or, with `initiator` false, the recorded responder's) address.
    fn side(&self, i: usize, initiator: bool) -> bool {
        let Some((version, src, _)) = self.ip else {
            return false;
        };
        let s = &self.slots[i];
        if s.version != version {
            return false;
        }
        let n = if version == 4 { 4 } else { 16 };
        let want = if initiator { &s.iaddr } else { &s.raddr };
        want[..n] == src[..n]
    }
}

/// isakmp_print for UDP 500/7500/8500.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    print_msg(p, out, seg.data, seg.len)
}

/// isakmp_print over `data` (the ISAKMP header on, captured bytes),
/// `length` the length the UDP header gives.
pub(super) fn print_msg(p: &mut Printer, out: &mut String, data: &[u8], length: usize) -> Printed {
    if data.len() < 28 {
        mark(out, "isakmp");
        return Ok(());
    }
    let b = Bytes::new(data, "isakmp");
    let v = p.opts.verbose;
    out.push_str("isakmp");
    let vers = b.u8(17)?;
    let (major, minor) = (vers >> 4, vers & 0x0f);
    if v > 0 {
        let _ = write!(out, " {major}.{minor}");
        out.push_str(" msgid ");
        hex(out, &data[20..24]);
    }
    if v > 1 {
        out.push_str(" cookie ");
        hex(out, &data[0..8]);
        out.push_str("->");
        hex(out, &data[8..16]);
    }
    out.push(':');
    let mut m = Msg { b, v, out };
    match major {
        1 => v1::print(&mut m, &mut p.isakmp, length),
        2 => v2::print(&mut m, length),
        _ => Ok(()),
    }
}

/// The message being printed: its bytes from the ISAKMP header to the end
/// of the capture (tcpdump's `ep` is the snapshot end), the verbosity and
/// the line.
pub(super) struct Msg<'a, 'o> {
    b: Bytes<'a>,
    v: u8,
    out: &'o mut String,
}

/// Where the next payload starts, `None` where the chain ends.
type Next = Result<Option<usize>, Trunc>;

/// The payload names (npstr), 0..=48.
const NPSTR: [&str; 49] = [
    "none", "sa", "p", "t", "ke", "id", "cert", "cr", "hash", "sig", "nonce", "n", "d", "vid",
    "pay14", "pay15", "pay16", "pay17", "pay18", "pay19", "pay20", "pay21", "pay22", "pay23",
    "pay24", "pay25", "pay26", "pay27", "pay28", "pay29", "pay30", "pay31", "pay32", "v2sa",
    "v2ke", "v2IDi", "v2IDr", "v2cert", "v2cr", "v2auth", "v2nonce", "v2n", "v2d", "v2vid",
    "v2TSi", "v2TSr", "v2e", "v2cp", "v2eap",
];

/// The protocol ids (protoidstr); "" is tcpdump's NULL (printed `#N`).
const PROTOID: [&str; 5] = ["", "isakmp", "ipsec-ah", "ipsec-esp", "ipcomp"];

/// The exchange types (etypestr).
fn etype(out: &mut String, x: u8) {
    let name = match x {
        0 => "none",
        1 => "base",
        2 => "ident",
        3 => "auth",
        4 => "agg",
        5 => "inf",
        32 => "oakley-quick",
        33 => "oakley-newgroup",
        34 => "ikev2_init",
        35 => "ikev2_auth",
        36 => "child_sa",
        37 => "inf2",
        _ => "",
    };
    put_name(out, name, u32::from(x));
}

/// STR_OR_ID: the table's name for `x`, else `#x`.
fn str_or_id(out: &mut String, tab: &[&str], x: u32) {
    let name = usize::try_from(x)
        .ok()
        .and_then(|i| tab.get(i))
        .copied()
        .unwrap_or("");
    put_name(out, name, x);
}

fn put_name(out: &mut String, name: &str, x: u32) {
    if name.is_empty() {
        let _ = write!(out, "#{x}");
    } else {
        out.push_str(name);
    }
}

/// Lowercase hex of `bytes` (hexprint).
fn hex(out: &mut String, bytes: &[u8]) {
    for x in bytes {
        let _ = write!(out, "{x:02x}");
    }
}

impl Msg<'_, '_> {
    /// The captured length (tcpdump's `ep`).
    fn ep(&self) -> usize {
        self.b.len()
    }

    /// NPSTR(np).
    fn np(&mut self, np: u8) {
        str_or_id(self.out, &NPSTR, u32::from(np));
    }

    /// ` [|name]` for payload `np` (the `goto trunc` marker).
    fn trunc(&mut self, np: u8) {
        self.out.push_str(" [|");
        self.np(np);
        self.out.push(']');
    }

    /// The marker for payload `np` and the end of the chain (tcpdump's
    /// `goto trunc` in a payload printer).
    fn cut(&mut self, np: u8) -> Next {
        self.trunc(np);
        Ok(None)
    }

    /// `Some(next)` if `ok`, else [`Msg::cut`].
    fn end(&mut self, ok: bool, np: u8, next: usize) -> Next {
        if ok {
            Ok(Some(next))
        } else {
            self.cut(np)
        }
    }

    /// rawprint: the bytes in hex if captured, else false (nothing printed).
    fn raw(&mut self, at: usize, len: usize) -> bool {
        match self.b.take(at, len) {
            Ok(s) => {
                hex(self.out, s);
                true
            }
            Err(_) => false,
        }
    }

    /// ike_show_somedata: ` data=(` the first 10 bytes `...` the last 20 `)`
    /// of the bytes from `cp` to the end of the capture.
    fn somedata(&mut self, cp: usize) -> bool {
        let ep = self.ep();
        let len = ep.saturating_sub(cp).min(10);
        let (mut end, mut elen) = (ep.saturating_sub(20), 20);
        if ep < 20 || end < cp + len {
            end = cp + len;
            elen = ep.saturating_sub(end);
        }
        self.out.push_str(" data=(");
        if !self.raw(cp, len) {
            return false;
        }
        self.out.push_str("...");
        if elen > 0 && !self.raw(end, elen) {
            return false;
        }
        self.out.push(')');
        true
    }

    /// [`Msg::alldata`] if `all`, else [`Msg::somedata`].
    fn data(&mut self, cp: usize, all: bool) -> bool {
        if all {
            self.alldata(cp)
        } else {
            self.somedata(cp)
        }
    }

    /// ` data=(` all the bytes from `cp` to the end of the capture `)`.
    fn alldata(&mut self, cp: usize) -> bool {
        self.out.push_str(" data=(");
        let ok = self.raw(cp, self.ep().saturating_sub(cp));
        if ok {
            self.out.push(')');
        }
        ok
    }

    /// The bytes as characters, `.` for the unprintable ones.
    fn ascii(&mut self, at: usize, len: usize) -> bool {
        let Ok(s) = self.b.take(at, len) else {
            return false;
        };
        for &c in s {
            self.out.push(if (0x20..0x7f).contains(&c) {
                c as char
            } else {
                '.'
            });
        }
        true
    }

    /// A newline and four spaces per level, then `(` (the sub-printers'
    /// item prefix).
    fn open(&mut self, depth: usize) {
        self.out.push('\n');
        for _ in 0..depth {
            self.out.push_str("    ");
        }
        self.out.push('(');
    }

    /// ikev1_sub_print and ikev2_sub_print: the chain of payloads from
    /// `ext`, the first of type `np`.
    fn sub(&mut self, mut np: u8, mut ext: usize, ctx: Ctx, depth: usize) -> Next {
        let mut cp = ext;
        while np != 0 {
            if !self.b.has(ext, 4) {
                self.trunc(np);
                return Ok(None);
            }
            let item_len = usize::from(self.b.be16(ext + 2)?);
            if !self.b.has(ext, item_len) || depth >= MAX_DEPTH {
                self.trunc(np);
                return Ok(None);
            }
            self.open(depth + 1);
            let r = self.sub0(np, ext, ctx, depth + 1)?;
            self.out.push(')');
            match r {
                None => return Ok(None),
                Some(next) => cp = next,
            }
            np = self.b.u8(ext)?;
            ext = cp;
        }
        Ok(Some(cp))
    }

    /// ike_sub0_print and ikev2_sub0_print: one payload by its printer.
    fn sub0(&mut self, np: u8, ext: usize, ctx: Ctx, depth: usize) -> Next {
        if !self.b.has(ext, 4) {
            mark(self.out, "isakmp");
            return Ok(None);
        }
        let item_len = usize::from(self.b.be16(ext + 2)?);
        if item_len <= 4 {
            return Ok(None);
        }
        match np {
            1 => self.v1_sa(ext, ctx, depth),
            2 => self.v1_p(ext, depth),
            3 => self.v1_t(ext, item_len, ctx),
            4 => self.v1_blob(np, " key len=", ext, item_len),
            5 => self.v1_id(ext, item_len),
            6 | 7 => self.v1_cert(np, ext, item_len),
            8 | 9 | 13 => self.v1_blob(np, " len=", ext, item_len),
            10 => self.v1_nonce(ext, item_len),
            11 => self.v1_n(ext, item_len),
            12 => self.v1_d(ext),
            33 => self.v2_sa(np, ext, depth),
            34 => self.v2_ke(np, ext, item_len),
            35 | 36 => self.v2_id(np, ext, item_len),
            39 => self.v2_auth(np, ext, item_len),
            40 => self.v2_nonce(np, ext, item_len),
            41 => self.v2_n(ext, item_len),
            43 => self.v2_vid(np, ext, item_len),
            46 if ctx.v2 => self.v2_e(np, ext, item_len),
            37 | 38 | 42 | 44 | 45 | 47 | 48 => self.v2_gen(np, ext, item_len),
            _ => {
                self.np(np);
                Ok(Some(ext + item_len))
            }
        }
    }

    /// The `-v` payload lines after the header: ` [encrypted np]` for an
    /// encrypted message, else the chain; then the length check.
    fn body(&mut self, flags: u8, ctx: Ctx, length: usize) -> Printed {
        if self.v > 0 {
            self.out.push(':');
            let np = self.b.u8(16)?;
            if flags & 0x01 != 0 {
                self.out.push_str(" [encrypted ");
                self.np(np);
                self.out.push(']');
            } else {
                self.sub(np, 28, ctx, 0)?;
            }
            let len = self.b.be32(24)?;
            if usize::try_from(len).ok() != Some(length) {
                let _ = write!(self.out, " (len mismatch: isakmp {len}/ip {length})");
            }
        }
        Ok(())
    }
}

/// What the payload printers pass down the chain (the proposal's protocol
/// and whether the message is IKEv2, which prints an encrypted payload).
#[derive(Clone, Copy, Debug)]
struct Ctx {
    proto: u8,
    v2: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_cookie_is_found_in_the_empty_cache() {
        let c = Cookies::default();
        assert_eq!(c.find(&[0; 8]), Some(0));
        assert_eq!(c.find(&[1; 8]), None);
        assert!(!c.side(0, true));
    }

    #[test]
    fn bogus_nesting_ends_at_the_depth_cap() {
        // 64 KiB of SA -> proposal -> transform units, each transform
        // chain naming another SA next: every unit nests two levels deeper.
        let mut msg = vec![0x11; 8];
        msg.extend_from_slice(&[0; 8]);
        msg.extend_from_slice(&[1, 0x10, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
        while msg.len() + 28 <= 65_000 {
            msg.extend_from_slice(&[0, 0, 0, 28, 0, 0, 0, 1, 0, 0, 0, 1]);
            msg.extend_from_slice(&[0, 0, 0, 16, 1, 1, 0, 1]);
            msg.extend_from_slice(&[1, 0, 0, 8, 1, 1, 0, 0]);
        }
        let mut p = Printer::new(crate::decode::text::TextOptions {
            verbose: 2,
            ..Default::default()
        });
        let mut out = String::new();
        let len = msg.len();
        assert_eq!(print_msg(&mut p, &mut out, &msg, len), Ok(()));
        assert_eq!(out.matches("(sa: doi=ipsec").count(), MAX_DEPTH / 2);
        assert!(out.contains(" [|"), "{}", &out[out.len() - 300..]);
        assert!(out.len() < 200_000);
    }

    #[test]
    fn somedata_shows_head_and_tail() {
        let data: Vec<u8> = (0..40).collect();
        let mut out = String::new();
        let mut m = Msg {
            b: Bytes::new(&data, "isakmp"),
            v: 2,
            out: &mut out,
        };
        assert!(m.somedata(4));
        assert!(m.somedata(35));
        assert_eq!(
            out,
            " data=(0405060708090a0b0c0d...1415161718191a1b1c1d1e1f2021222324252627) \
             data=(2324252627...)"
        );
    }
}
