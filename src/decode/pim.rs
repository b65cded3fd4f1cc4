//! PIM (print-pim.c) over IP protocol 103: `PIMv2, Hello, length 30`;
//! with `-v` the checksum verdict and each message's fields (hello
//! options, register flags and the encapsulated packet, join/prune
//! groups and sources, bootstrap, assert, candidate-RP, prune refresh, DF
//! election); `-vv` adds the hello options' hex dumps and address lists.
//! PIMv1 travels inside IGMP and is not printed here.

use super::cksum::inet_checksum;
use super::dispatch::IpPayload;
use super::nd::{tok, unknown_data, Tok};
use super::num::{push_ip4, push_ip6};
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed, Trunc};
use super::util::relts;
use super::{ip, ip6};
use core::fmt::Write;

const TYPES: &Tok = &[
    (0, "Hello"),
    (1, "Register"),
    (2, "Register Stop"),
    (3, "Join / Prune"),
    (4, "Bootstrap"),
    (5, "Assert"),
    (6, "Graft"),
    (7, "Graft Acknowledgement"),
    (8, "Candidate RP Advertisement"),
    (9, "Prune Refresh"),
    (10, "DF Election"),
    (11, "ECMP Redirect"),
];

const HELLO_OPTIONS: &Tok = &[
    (1, "Hold Time"),
    (2, "LAN Prune Delay"),
    (18, "DR Priority (Old)"),
    (19, "DR Priority"),
    (20, "Generation ID"),
    (21, "State Refresh Capability"),
    (22, "Bi-Directional Capability"),
    (24, "Address List"),
    (65001, "Address List (Old)"),
];

const REGISTER_FLAGS: &Tok = &[(0x8000_0000, "Border"), (0x4000_0000, "Null")];

const DF_ELECTION: &Tok = &[(1, "Offer"), (2, "Winner"), (3, "Backoff"), (4, "Pass")];

/// pim_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    let b = Bytes::new(seg.data, "pim");
    let len = seg.length;
    let typever = b.u8(0)?;
    let (version, ty) = (typever >> 4, typever & 0x0f);
    let name = tok(TYPES, u32::from(ty)).unwrap_or("Unknown Type");
    if version != 2 {
        let _ = write!(out, "PIMv{version}, length {len}");
        return Ok(());
    }
    if p.opts.verbose == 0 {
        let _ = write!(out, "PIMv{version}, {name}, length {len}");
        return Ok(());
    }
    let _ = write!(out, "PIMv{version}, length {len}\n\t{name}");
    let b = b.named("pimv2");
    // pimv2_print's `goto trunc` is nd_print_trunc, not a longjmp.
    if pimv2(p, out, seg, &b, len as u32)?.is_none() {
        mark(out, b.proto());
    }
    Ok(())
}

/// Which encoded address pimv2_addr_print reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unicast,
    Group,
    Source,
}

/// pimv2_addr_print: the bytes used, or `None` for tcpdump's -1 (the
/// caller's `goto trunc`).
fn addr(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    len: u32,
    kind: Kind,
    alen: u8,
) -> Result<Option<usize>, Trunc> {
    let (addr_len, hdr) = if alen == 0 {
        if len < 2 {
            return Ok(None);
        }
        let addr_len = match b.u8(at)? {
            1 => 4,
            2 => 16,
            _ => return Ok(None),
        };
        if b.u8(at + 1)? != 0 {
            return Ok(None);
        }
        (addr_len, 2)
    } else {
        match alen {
            4 | 16 => (usize::from(alen), 0),
            _ => return Ok(None),
        }
    };
    let at = at + hdr;
    let len = len - hdr as u32;
    let push = |out: &mut String, a: &[u8]| {
        if let Ok(a6) = <[u8; 16]>::try_from(a) {
            push_ip6(out, a6);
        } else if let Ok(a4) = <[u8; 4]>::try_from(a) {
            push_ip4(out, a4);
        }
    };
    if kind == Kind::Unicast {
        if len < addr_len as u32 || !b.has(at, addr_len) {
            return Ok(None);
        }
        push(out, b.take(at, addr_len)?);
        return Ok(Some(hdr + addr_len));
    }
    if len < addr_len as u32 + 2 || !b.has(at, addr_len + 2) {
        return Ok(None);
    }
    push(out, b.take(at + 2, addr_len)?);
    let mask = b.u8(at + 1)?;
    if usize::from(mask) != addr_len * 8 {
        let _ = write!(out, "/{mask}");
    }
    let flags = b.u8(at)?;
    if flags != 0 {
        if kind == Kind::Group {
            let _ = write!(out, "(0x{flags:02x})");
        } else {
            out.push('(');
            for (bit, c) in [(0x04, 'S'), (0x02, 'W'), (0x01, 'R')] {
                if flags & bit != 0 {
                    out.push(c);
                }
            }
            if flags & 0xf8 != 0 {
                let _ = write!(out, "+0x{:02x}", flags & 0xf8);
            }
            out.push(')');
        }
    }
    Ok(Some(hdr + 2 + addr_len))
}

/// A reading position in the message, with tcpdump's unsigned remaining
/// length (which wraps where the C does).
struct Cur<'a, 'b> {
    b: &'b Bytes<'a>,
    at: usize,
    len: u32,
    alen: u8,
}

impl Cur<'_, '_> {
    fn skip(&mut self, n: usize) {
        self.at += n;
        self.len = self.len.wrapping_sub(n as u32);
    }

    /// An encoded address printed after `label`; `None` is `goto trunc`.
    fn addr(&mut self, out: &mut String, label: &str, kind: Kind) -> Result<Option<()>, Trunc> {
        out.push_str(label);
        match addr(out, self.b, self.at, self.len, kind, self.alen)? {
            Some(n) => {
                self.skip(n);
                Ok(Some(()))
            }
            None => Ok(None),
        }
    }
}

/// Evaluates to the value of a `Result<Option<_>>`, returning `Ok(None)`
/// (the caller's ` [|pimv2]`) for `None`.
macro_rules! t {
    ($e:expr) => {
        match $e? {
            Some(v) => v,
            None => return Ok(None),
        }
    };
}

/// The checksum over `n` bytes: `Some(correct)`, `None` when not all were
/// captured.
fn checksum_ok(seg: &IpPayload<'_>, n: usize) -> Option<bool> {
    let data = seg.data.get(..n)?;
    Some(if seg.ip.v6 {
        seg.ip.checksum(103, n, data) == 0
    } else {
        inet_checksum(&[data]) == 0
    })
}

/// pimv2_print; `Ok(None)` is its `trunc:` label.
fn pimv2(
    p: &mut Printer,
    out: &mut String,
    seg: &IpPayload<'_>,
    b: &Bytes<'_>,
    len: u32,
) -> Result<Option<()>, Trunc> {
    let vv = p.opts.verbose > 1;
    if len < 2 {
        let _ = write!(out, "[length {len} < 2] (invalid)");
        return Ok(Some(()));
    }
    let typever = b.u8(0)?;
    let ty = typever & 0x0f;
    let rsv = b.u8(1)?;
    let alen = rsv & 0x0f;
    if alen != 0 {
        out.push_str(", RFC2117-encoding");
    }
    if len < 4 {
        let _ = write!(out, "[length {len} < 4] (invalid)");
        return Ok(Some(()));
    }
    let cksum = b.be16(2)?;
    let _ = write!(out, ", cksum 0x{cksum:04x} ");
    if cksum == 0 {
        out.push_str("(unverified)");
    } else {
        let status = if ty == 1 {
            match checksum_ok(seg, 8) {
                Some(false) => checksum_ok(seg, len as usize),
                s => s,
            }
        } else {
            checksum_ok(seg, len as usize)
        };
        out.push_str(match status {
            Some(true) => "(correct)",
            Some(false) => "(incorrect)",
            None => "(unverified)",
        });
    }
    let mut c = Cur {
        b,
        at: 4,
        len: len - 4,
        alen,
    };
    match ty {
        0 => {
            while c.len > 0 {
                if c.len < 4 {
                    return Ok(None);
                }
                let otype = b.be16(c.at)?;
                let olen = b.be16(c.at + 2)?;
                let name = tok(HELLO_OPTIONS, u32::from(otype)).unwrap_or("Unknown");
                let _ = write!(out, "\n\t  {name} Option ({otype}), length {olen}, Value: ");
                c.skip(4);
                let olen_u = usize::from(olen);
                if c.len < u32::from(olen) || !b.has(c.at, olen_u) {
                    return Ok(None);
                }
                let at = c.at;
                match otype {
                    1 => {
                        if olen != 2 {
                            let _ = write!(out, "[option length {olen} != 2] (invalid)");
                            return Ok(Some(()));
                        }
                        relts(out, u32::from(b.be16(at)?));
                    }
                    2 => {
                        if olen != 4 {
                            let _ = write!(out, "[option length {olen} != 4] (invalid)");
                            return Ok(Some(()));
                        }
                        let lan = b.be16(at)?;
                        let ovr = b.be16(at + 2)?;
                        let _ = write!(
                            out,
                            "\n\t    T-bit={}, LAN delay {}ms, Override interval {ovr}ms",
                            lan >> 15,
                            lan & 0x7fff
                        );
                    }
                    18 | 19 => match olen {
                        0 => out.push_str("Bi-Directional Capability (Old)"),
                        4 => {
                            let _ = write!(out, "{}", b.be32(at)?);
                        }
                        _ => {
                            let _ = write!(out, "[option length {olen} != 4] (invalid)");
                            return Ok(Some(()));
                        }
                    },
                    20 => {
                        if olen != 4 {
                            let _ = write!(out, "[option length {olen} != 4] (invalid)");
                            return Ok(Some(()));
                        }
                        let _ = write!(out, "0x{:08x}", b.be32(at)?);
                    }
                    21 => {
                        if olen != 4 {
                            let _ = write!(out, "[option length {olen} != 4] (invalid)");
                            return Ok(Some(()));
                        }
                        let _ = write!(out, "v{}", b.u8(at)?);
                        let interval = b.u8(at + 1)?;
                        if interval != 0 {
                            out.push_str(", interval ");
                            relts(out, u32::from(interval));
                        }
                        let rest = b.be16(at + 2)?;
                        if rest != 0 {
                            let _ = write!(out, " ?0x{rest:04x}?");
                        }
                    }
                    22 => {}
                    24 | 65001 => {
                        if vv {
                            let mut ptr = at;
                            let mut plen = c.len;
                            while ptr < at + olen_u {
                                out.push_str("\n\t    ");
                                let n = t!(addr(out, b, ptr, plen, Kind::Unicast, alen));
                                ptr += n;
                                plen = plen.wrapping_sub(n as u32);
                            }
                        }
                    }
                    _ => {
                        if !vv {
                            unknown_data(out, b, at, "\n\t    ", olen_u);
                        }
                    }
                }
                if vv {
                    unknown_data(out, b, at, "\n\t    ", olen_u);
                }
                c.skip(olen_u);
            }
        }
        1 => {
            if c.len < 4 || !b.has(c.at, 4) {
                return Ok(None);
            }
            let flags = b.be32(c.at)?;
            let _ = write!(
                out,
                ", Flags [ {} ]\n\t",
                tok(REGISTER_FLAGS, flags).unwrap_or("none")
            );
            c.skip(4);
            if c.len == 0 {
                return Ok(None);
            }
            let inner = &b.data()[c.at.min(b.len())..];
            let v = b.u8(c.at)? >> 4;
            match v {
                0 => {
                    let src = b.take(c.at + 12, 4)?;
                    out.push_str("IP-Null-header ");
                    push_ip4(out, src.try_into().unwrap_or_default());
                    out.push_str(" > ");
                    push_ip4(out, b.take(c.at + 16, 4)?.try_into().unwrap_or_default());
                }
                4 => ip::print_packet(p, out, inner, c.len as usize)?,
                6 => ip6::print_packet(p, out, inner, c.len as usize)?,
                _ => {
                    let _ = write!(out, "IP ver {v}");
                }
            }
        }
        2 => {
            t!(c.addr(out, " group=", Kind::Group));
            t!(c.addr(out, " source=", Kind::Unicast));
        }
        3 | 6 | 7 => {
            if ty != 7 {
                t!(c.addr(out, ", upstream-neighbor: ", Kind::Unicast));
            }
            if c.len < 4 || !b.has(c.at, 4) {
                return Ok(None);
            }
            let ngroup = b.u8(c.at + 1)?;
            let holdtime = b.be16(c.at + 2)?;
            let _ = write!(out, "\n\t  {ngroup} group(s)");
            if ty != 7 {
                out.push_str(", holdtime: ");
                if holdtime == 0xffff {
                    out.push_str("infinite");
                } else {
                    relts(out, u32::from(holdtime));
                }
            }
            c.skip(4);
            for i in 0..ngroup {
                let _ = write!(out, "\n\t    group #{}: ", u32::from(i) + 1);
                t!(c.addr(out, "", Kind::Group));
                if c.len < 4 || !b.has(c.at, 4) {
                    return Ok(None);
                }
                let njoin = b.be16(c.at)?;
                let nprune = b.be16(c.at + 2)?;
                let _ = write!(out, ", joined sources: {njoin}, pruned sources: {nprune}");
                c.skip(4);
                for j in 0..njoin {
                    let _ = write!(out, "\n\t      joined source #{}: ", u32::from(j) + 1);
                    t!(c.addr(out, "", Kind::Source));
                }
                for j in 0..nprune {
                    let _ = write!(out, "\n\t      pruned source #{}: ", u32::from(j) + 1);
                    t!(c.addr(out, "", Kind::Source));
                }
            }
        }
        4 => {
            if c.len < 2 {
                return Ok(None);
            }
            let _ = write!(out, " tag={:x}", b.be16(c.at)?);
            c.skip(2);
            if c.len < 1 {
                return Ok(None);
            }
            let _ = write!(out, " hashmlen={}", b.u8(c.at)?);
            if c.len < 2 || !b.has(c.at + 2, 1) {
                return Ok(None);
            }
            let _ = write!(out, " BSRprio={}", b.u8(c.at + 1)?);
            c.skip(2);
            t!(c.addr(out, " BSR=", Kind::Unicast));
            let mut i = 0u32;
            while c.len > 0 {
                let _ = write!(out, " (group{i}: ");
                t!(c.addr(out, "", Kind::Group));
                if c.len < 1 {
                    return Ok(None);
                }
                let _ = write!(out, " RPcnt={}", b.u8(c.at)?);
                if c.len < 2 {
                    return Ok(None);
                }
                let frpcnt = b.u8(c.at + 1)?;
                let _ = write!(out, " FRPcnt={frpcnt}");
                if c.len < 4 {
                    return Ok(None);
                }
                c.skip(4);
                let mut j = 0;
                while j < frpcnt && c.len > 0 {
                    let _ = write!(out, " RP{j}=");
                    t!(c.addr(out, "", Kind::Unicast));
                    if c.len < 2 {
                        return Ok(None);
                    }
                    let hold = b.be16(c.at)?;
                    out.push_str(",holdtime=");
                    relts(out, u32::from(hold));
                    if c.len < 3 {
                        return Ok(None);
                    }
                    let _ = write!(out, ",prio={}", b.u8(c.at + 2)?);
                    if c.len < 4 {
                        return Ok(None);
                    }
                    c.skip(4);
                    j += 1;
                }
                out.push(')');
                i += 1;
            }
        }
        5 => {
            t!(c.addr(out, " group=", Kind::Group));
            t!(c.addr(out, " src=", Kind::Unicast));
            if c.len < 8 || !b.has(c.at, 8) {
                return Ok(None);
            }
            if b.u8(c.at)? & 0x80 != 0 {
                out.push_str(" RPT");
            }
            let _ = write!(out, " pref={}", b.be32(c.at)? & 0x7fff_ffff);
            let _ = write!(out, " metric={}", b.be32(c.at + 4)?);
        }
        8 => {
            if c.len < 1 {
                return Ok(None);
            }
            let pfxcnt = b.u8(c.at)?;
            let _ = write!(out, " prefix-cnt={pfxcnt}");
            if c.len < 2 {
                return Ok(None);
            }
            let _ = write!(out, " prio={}", b.u8(c.at + 1)?);
            if c.len < 4 {
                return Ok(None);
            }
            out.push_str(" holdtime=");
            relts(out, u32::from(b.be16(c.at + 2)?));
            c.skip(4);
            t!(c.addr(out, " RP=", Kind::Unicast));
            let mut i = 0;
            while i < pfxcnt && c.len > 0 {
                let _ = write!(out, " Group{i}=");
                t!(c.addr(out, "", Kind::Group));
                i += 1;
            }
        }
        9 => {
            t!(c.addr(out, " src=", Kind::Unicast));
            t!(c.addr(out, " grp=", Kind::Group));
            t!(c.addr(out, " forwarder=", Kind::Unicast));
            if c.len < 2 {
                return Ok(None);
            }
            out.push_str(" TUNR ");
            relts(out, u32::from(b.be16(c.at)?));
        }
        10 => {
            let subtype = rsv >> 4;
            let name = tok(DF_ELECTION, u32::from(subtype)).unwrap_or("Unknown");
            let _ = write!(out, "\n\t  {name},");
            t!(c.addr(out, " rpa=", Kind::Unicast));
            let _ = write!(out, " sender pref={}", b.be32(c.at)?);
            let _ = write!(out, " sender metric={}", b.be32(c.at + 4)?);
            c.skip(8);
            if subtype == 3 || subtype == 4 {
                let s = if subtype == 3 { "offer" } else { "new winner" };
                let _ = write!(out, "\n\t  {s} addr=");
                t!(c.addr(out, "", Kind::Unicast));
                let _ = write!(out, " {s} pref={}", b.be32(c.at)?);
                let _ = write!(out, " {s} metric={}", b.be32(c.at + 4)?);
                c.skip(8);
                if subtype == 3 {
                    let _ = write!(out, " interval {}ms", b.be16(c.at)?);
                }
            }
        }
        _ => {
            let _ = write!(out, " [type {ty}]");
        }
    }
    Ok(Some(()))
}
