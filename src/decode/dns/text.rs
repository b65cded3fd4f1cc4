//! print-domain.c's printer: the one-line summary of a message, its
//! records at `-v` and `-vv`, read exactly as tcpdump reads them.

use super::names::{
    dau_name, dhu_name, edns_opt_name, n3u_name, push_class, push_type, OPS, RCODES,
};
use super::push_char;
use crate::decode::num::{push_ip4, push_ip6, push_num};
use crate::decode::trunc::{Printed, Trunc};
use crate::decode::util::relts;
use core::fmt::Write;

mod rr;

const PROTO: &str = "domain";
const TRUNC: Trunc = Trunc(PROTO);
/// The longest name tcpdump prints (nameser.h's MAXCDNAME).
const MAXCDNAME: usize = 255;

/// Resource record types (nameser.h) that the printer treats specially.
mod ty {
    pub const A: u16 = 1;
    pub const NS: u16 = 2;
    pub const CNAME: u16 = 5;
    pub const SOA: u16 = 6;
    pub const PTR: u16 = 12;
    pub const MX: u16 = 15;
    pub const TXT: u16 = 16;
    pub const AAAA: u16 = 28;
    pub const SRV: u16 = 33;
    pub const A6: u16 = 38;
    pub const DNAME: u16 = 39;
    pub const OPT: u16 = 41;
    pub const UNSPECA: u16 = 104;
    pub const TSIG: u16 = 250;
    pub const URI: u16 = 256;
}

/// The message as tcpdump's domain printer sees it: the captured bytes
/// from the DNS header on, and the text being written.
struct Msg<'a, 'o> {
    b: &'a [u8],
    out: &'o mut String,
    /// Whether an untested `GET_` read missed (tcpdump's longjmp, after
    /// which `-x` dumps the whole frame) rather than a check failing.
    jumped: core::cell::Cell<bool>,
}

/// A position in or past the message; names inside an EDNS CHAIN option
/// are read relative to a base past their own start, hence signed.
type Pos = i64;

/// What a tcpdump helper returns: `Ok(None)` is its NULL (stop, print
/// nothing more), `Err` its longjmp (` [|domain]`).
type Step = Result<Option<Pos>, Trunc>;

impl<'a, 'o> Msg<'a, 'o> {
    fn new(b: &'a [u8], out: &'o mut String) -> Self {
        let jumped = core::cell::Cell::new(false);
        Msg { b, out, jumped }
    }

    fn end(&self) -> Pos {
        self.b.len() as Pos
    }

    /// Whether `n` bytes at `at` were captured (ND_TTEST_LEN).
    fn has(&self, at: Pos, n: usize) -> bool {
        at >= 0
            && (at as usize)
                .checked_add(n)
                .is_some_and(|e| e <= self.b.len())
    }

    /// The byte at `at` (GET_U_1: a miss is tcpdump's longjmp).
    fn u8(&self, at: Pos) -> Result<u8, Trunc> {
        usize::try_from(at)
            .ok()
            .and_then(|i| self.b.get(i))
            .copied()
            .ok_or(TRUNC)
    }

    /// A `GET_BE_U_2` that tcpdump makes with no `ND_TTEST` before it: a
    /// miss is its longjmp (the other reads here stand for tested ones).
    fn get16(&self, at: Pos) -> Result<u16, Trunc> {
        self.be16(at).inspect_err(|_| self.jumped.set(true))
    }

    fn be16(&self, at: Pos) -> Result<u16, Trunc> {
        Ok(u16::from(self.u8(at)?) << 8 | u16::from(self.u8(at + 1)?))
    }

    fn be32(&self, at: Pos) -> Result<u32, Trunc> {
        Ok(u32::from(self.be16(at)?) << 16 | u32::from(self.be16(at + 2)?))
    }

    /// nd_printn up to the captured end: `false` when the text ran out.
    fn printn(&mut self, at: Pos, n: usize) -> bool {
        for k in 0..n {
            match usize::try_from(at + k as Pos)
                .ok()
                .and_then(|i| self.b.get(i))
            {
                Some(&c) => push_char(self.out, c),
                None => return false,
            }
        }
        true
    }

    /// ns_nskip: the position after the name at `cp`.
    fn nskip(&self, mut cp: Pos) -> Option<Pos> {
        let mut i = *self.b.get(usize::try_from(cp).ok()?)?;
        cp += 1;
        while i != 0 {
            match i & 0xc0 {
                0xc0 => return Some(cp + 1),
                0x40 => {
                    if i & 0x3f != 1 {
                        return None;
                    }
                    let bitlen = self.u8(cp).ok()?;
                    let bitlen = if bitlen == 0 { 256 } else { Pos::from(bitlen) };
                    cp += 1 + (bitlen + 7) / 8;
                }
                0x80 => return None,
                _ => cp += Pos::from(i),
            }
            i = self.u8(cp).ok()?;
            cp += 1;
        }
        Some(cp)
    }

    /// labellen: the length of the label at `cp`, `None` (after printing
    /// why, for a bad type) when it cannot be used.
    fn labellen(&mut self, cp: Pos) -> Option<Pos> {
        let i = self.u8(cp).ok()?;
        match i & 0xc0 {
            0x40 => {
                let elt = i & 0x3f;
                if elt != 1 {
                    let _ = write!(self.out, "<ELT {elt}>");
                    return None;
                }
                let bitlen = self.u8(cp + 1).ok()?;
                let bitlen = if bitlen == 0 { 256 } else { Pos::from(bitlen) };
                Some((bitlen + 7) / 8 + 1)
            }
            0x80 => {
                self.out.push_str("<BAD LABEL TYPE>");
                None
            }
            _ => Some(Pos::from(i)),
        }
    }

    /// The label byte at `cp` and its length (`None` as labellen's -1).
    fn label_at(&mut self, cp: Pos) -> Option<(u8, Pos)> {
        let i = self.u8(cp).ok()?;
        Some((i, self.labellen(cp)?))
    }

    /// blabel_print: a bit-string label, `\[xHEX/BITS]`.
    fn blabel(&mut self, cp: Pos) -> Step {
        let Ok(bitlen) = self.u8(cp) else {
            return Ok(None);
        };
        let bitlen: u32 = if bitlen == 0 { 256 } else { u32::from(bitlen) };
        // tcpdump's limit counts hex digits as bytes.
        let lim = cp + 1 + bitlen.div_ceil(4) as Pos;
        self.out.push_str("\\[x");
        let (mut bitp, mut b) = (cp + 1, bitlen);
        while bitp < lim && b > 7 {
            let v = self.u8(bitp)?;
            let _ = write!(self.out, "{v:02x}");
            b -= 8;
            bitp += 1;
        }
        if b > 4 {
            let tc = u32::from(self.u8(bitp)?);
            let _ = write!(self.out, "{:02x}", tc & (0xff << (8 - b)));
        } else if b > 0 {
            let tc = u32::from(self.u8(bitp)?);
            let _ = write!(self.out, "{:1x}", ((tc >> 4) & 0x0f) & (0x0f << (4 - b)));
        }
        let _ = write!(self.out, "/{bitlen}]");
        Ok(Some(lim))
    }

    /// fqdn_print: the name at `cp` (pointers relative to `bp`); the
    /// position after it in the record.
    fn fqdn(&mut self, mut cp: Pos, bp: Pos) -> Step {
        let Some(mut l) = self.labellen(cp) else {
            return Ok(None);
        };
        let Ok(mut i) = self.u8(cp) else {
            return Ok(None);
        };
        // An unsigned offset in tcpdump: a base past `cp` wraps around.
        let mut max_offset = (cp - bp) as u32;
        cp += 1;
        let mut rp: Option<Pos> = None;
        let mut compress = false;
        if i & 0xc0 != 0xc0 {
            rp = Some(cp + l);
        }
        if i == 0 {
            self.out.push('.');
            return Ok(rp);
        }
        let mut name_chars = 0usize;
        while i != 0 && cp < self.end() {
            match i & 0xc0 {
                0xc0 => {
                    if !compress {
                        rp = Some(cp + 1);
                        compress = true;
                    }
                    let Ok(lo) = self.u8(cp) else {
                        return Ok(None);
                    };
                    let offset = ((u32::from(i) << 8) | u32::from(lo)) & 0x3fff;
                    // Pointers must go backwards (BIND's rule): this bounds
                    // every name, loops included.
                    if offset >= max_offset {
                        self.out.push_str("<BAD PTR>");
                        return Ok(None);
                    }
                    max_offset = offset;
                    cp = bp + Pos::from(offset);
                    let Some((ni, nl)) = self.label_at(cp) else {
                        return Ok(None);
                    };
                    (i, l) = (ni, nl);
                    cp += 1;
                    continue;
                }
                0x40 => {
                    let elt = i & 0x3f;
                    if elt != 1 {
                        let _ = write!(self.out, "<ELT {elt}>");
                        return Ok(None);
                    }
                    if self.blabel(cp)?.is_none() {
                        return Ok(None);
                    }
                }
                0x80 => {
                    self.out.push_str("<BAD LABEL TYPE>");
                    return Ok(None);
                }
                _ => {
                    let n = l as usize;
                    if name_chars + n <= MAXCDNAME {
                        if !self.printn(cp, n) {
                            return Ok(None);
                        }
                    } else if name_chars < MAXCDNAME && !self.printn(cp, MAXCDNAME - name_chars) {
                        return Ok(None);
                    }
                    name_chars += n;
                }
            }
            cp += l;
            if name_chars <= MAXCDNAME {
                self.out.push('.');
            }
            name_chars += 1;
            let Some((ni, nl)) = self.label_at(cp) else {
                return Ok(None);
            };
            (i, l) = (ni, nl);
            cp += 1;
            if !compress {
                rp = rp.map(|r| r + l + 1);
            }
        }
        if name_chars > MAXCDNAME {
            self.out.push_str("<DOMAIN NAME TOO LONG>");
        }
        Ok(rp)
    }

    /// A space and the name at `cp` (pointers from the message start).
    fn spaced_name(&mut self, cp: Pos) -> Step {
        self.out.push(' ');
        self.fqdn(cp, 0)
    }

    /// ns_cprint: a <character-string>.
    fn cprint(&mut self, cp: Pos) -> Option<Pos> {
        let n = self.u8(cp).ok()?;
        if !self.printn(cp + 1, usize::from(n)) {
            return None;
        }
        Some(cp + 1 + Pos::from(n))
    }

    fn invalid(&mut self) {
        self.out.push_str(" (invalid)");
    }

    /// ns_qprint: ` TYPE[ CLASS][ (QU|QM)]? NAME`; the position after the
    /// question.
    fn qprint(&mut self, cp: Pos, mdns: bool) -> Step {
        let np = cp;
        let cp = match self.nskip(cp) {
            Some(c) if self.has(c, 4) => c,
            _ => return Ok(None),
        };
        let t = self.be16(cp)?;
        self.out.push(' ');
        push_type(self.out, t);
        let i = self.be16(cp + 2)?;
        let class = if mdns { i & 0x7fff } else { i };
        if class != 1 {
            self.out.push(' ');
            push_class(self.out, class);
        }
        if mdns {
            self.out
                .push_str(if i & 0x8000 != 0 { " (QU)" } else { " (QM)" });
        }
        self.out.push_str("? ");
        Ok(self.fqdn(np, 0)?.map(|c| c + 4))
    }

    /// A section of `count` records after `label`, as domain_print loops
    /// over them (the first record only while bytes are left, unless
    /// `always`); `Err` when it ends early (` [|domain]`).
    fn section(
        &mut self,
        cp: &mut Pos,
        count: u32,
        label: &str,
        always: bool,
        v: (bool, u8),
    ) -> Printed {
        let (mdns, verbose) = v;
        let mut left = count;
        if left > 0 && (always || *cp < self.end()) {
            self.out.push_str(label);
            *cp = self.rprint(*cp, mdns, verbose)?.ok_or(TRUNC)?;
            left -= 1;
            while *cp < self.end() && left > 0 {
                self.out.push(',');
                *cp = self.rprint(*cp, mdns, verbose)?.ok_or(TRUNC)?;
                left -= 1;
            }
        }
        if left > 0 {
            return Err(TRUNC);
        }
        Ok(())
    }

    /// The response code with an OPT record's extended bits, found the way
    /// domain_print looks for it (skipping records up to the first OPT).
    fn rcode(&self, counts: [u32; 4], flags: u16) -> u16 {
        let rcode = flags & 0xf;
        let end = self.end();
        let mut cp: Pos = 12;
        for _ in 0..counts[0] {
            let Some(c) = self.nskip(cp) else {
                return rcode;
            };
            cp = c + 4;
            if cp >= end {
                return rcode;
            }
        }
        for _ in 0..counts[1] + counts[2] {
            let Some(c) = self.nskip(cp) else {
                return rcode;
            };
            cp = c + 8;
            let Ok(rdlen) = self.be16(cp) else {
                return rcode;
            };
            cp += 2 + Pos::from(rdlen);
            if cp >= end {
                return rcode;
            }
        }
        for _ in 0..counts[3] {
            let Some(c) = self.nskip(cp) else {
                return rcode;
            };
            let Ok(t) = self.be16(c) else {
                return rcode;
            };
            cp = c + 4;
            let Ok(hi) = self.u8(cp) else {
                return rcode;
            };
            if t == ty::OPT {
                return rcode | u16::from(hi) << 4;
            }
            cp += 4;
            let Ok(rdlen) = self.be16(cp) else {
                return rcode;
            };
            cp += 2 + Pos::from(rdlen);
            if cp >= end {
                return rcode;
            }
        }
        rcode
    }
}

/// domain_print: the message in `b` (captured bytes), `length` its length.
pub(super) fn domain(
    out: &mut String,
    b: &[u8],
    length: usize,
    mdns: bool,
    verbose: u8,
) -> Printed {
    if length < 12 {
        let _ = write!(out, "domain [length {length} < 12] (invalid)");
        return Ok(());
    }
    let mut m = Msg::new(b, out);
    let r = m.domain(length, mdns, verbose);
    if m.jumped.get() {
        r
    } else {
        // domain_print's own checks end in nd_print_trunc (no longjmp).
        crate::decode::trunc::caught(m.out, r)
    }
}

impl Msg<'_, '_> {
    /// domain_print after the length check; `Err` for every truncation,
    /// `jumped` telling a longjmp from a `goto trunc`.
    fn domain(&mut self, length: usize, mdns: bool, verbose: u8) -> Printed {
        let m = self;
        if !m.has(0, 12) {
            return Err(TRUNC);
        }
        let id = m.be16(0)?;
        let flags = m.be16(2)?;
        let counts = [m.be16(4)?, m.be16(6)?, m.be16(8)?, m.be16(10)?].map(u32::from);
        let [mut qd, an, ns, ar] = counts;
        let opcode = usize::from(flags >> 11 & 0xf);
        let mut cp: Pos = 12;
        if flags & 0x8000 != 0 {
            let rcode = m.rcode(counts, flags);
            push_num(m.out, u64::from(id));
            m.out.push_str(OPS[opcode]);
            match RCODES.get(usize::from(rcode)) {
                Some(s) => m.out.push_str(s),
                None => {
                    let _ = write!(m.out, " Resp{}", rcode & 0xfff);
                }
            }
            for (bit, c) in [(0x0400, "*"), (0x0080, ""), (0x0200, "|"), (0x0020, "$")] {
                let set = flags & bit != 0;
                if bit == 0x0080 {
                    if !set {
                        m.out.push('-');
                    }
                } else if set {
                    m.out.push_str(c);
                }
            }
            if qd != 1 {
                let _ = write!(m.out, " [{qd}q]");
            }
            for k in 0..qd {
                if k != 0 {
                    m.out.push(',');
                }
                if verbose > 1 {
                    m.out.push_str(" q:");
                    cp = m.qprint(cp, mdns)?.ok_or(TRUNC)?;
                } else {
                    cp = m.nskip(cp).ok_or(TRUNC)? + 4;
                }
            }
            let _ = write!(m.out, " {an}/{ns}/{ar}");
            m.section(&mut cp, an, "", true, (mdns, verbose))?;
            if verbose > 1 {
                m.section(&mut cp, ns, " ns:", false, (mdns, verbose))?;
                m.section(&mut cp, ar, " ar:", false, (mdns, verbose))?;
            }
        } else {
            push_num(m.out, u64::from(id));
            m.out.push_str(OPS[opcode]);
            if flags & 0x0100 != 0 {
                m.out.push('+');
            }
            if flags & 0x0010 != 0 {
                m.out.push('%');
            }
            if flags & 0x6cf != 0 {
                let _ = write!(m.out, " [b2&3=0x{flags:x}]");
            }
            if opcode == 1 {
                if qd > 0 {
                    let _ = write!(m.out, " [{qd}q]");
                }
                if an != 1 {
                    let _ = write!(m.out, " [{an}a]");
                }
            } else {
                if an > 0 {
                    let _ = write!(m.out, " [{an}a]");
                }
                if qd != 1 {
                    let _ = write!(m.out, " [{qd}q]");
                }
            }
            if ns > 0 {
                let _ = write!(m.out, " [{ns}n]");
            }
            if ar > 0 {
                let _ = write!(m.out, " [{ar}au]");
            }
            if qd > 0 {
                cp = m.qprint(cp, mdns)?.ok_or(TRUNC)?;
                qd -= 1;
                while cp < m.end() && qd > 0 {
                    cp = m.qprint(cp, mdns)?.ok_or(TRUNC)?;
                    qd -= 1;
                }
            }
            if qd > 0 {
                return Err(TRUNC);
            }
            if verbose > 1 {
                m.section(&mut cp, an, "", true, (mdns, verbose))?;
                m.section(&mut cp, ns, " ns:", false, (mdns, verbose))?;
                m.section(&mut cp, ar, " ar:", false, (mdns, verbose))?;
            }
        }
        let _ = write!(m.out, " ({length})");
        Ok(())
    }
}

/// fqdn_print for other printers: the name at `cp` in `data` (the captured
/// bytes), pointers relative to `bp` (which may lie past `cp`); the
/// position after the name, `None` where tcpdump returns NULL.
pub(crate) fn fqdn_in(
    out: &mut String,
    data: &[u8],
    cp: usize,
    bp: usize,
) -> Result<Option<usize>, Trunc> {
    let mut m = Msg::new(data, out);
    Ok(m.fqdn(cp as Pos, bp as Pos)?.map(|p| p.max(0) as usize))
}
