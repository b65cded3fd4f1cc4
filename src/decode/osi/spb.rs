//! IS-IS shortest path bridging TLVs (print-isoclns.c): the
//! Multi-Topology-Aware Port Capability (143) with its MCID, digest and
//! BVID sub-TLVs and the Multi-Topology Capability (144) with its SPB
//! instance and SPBM service identifier sub-TLVs. tcpdump ignores what
//! these sub-TLV printers return, so a cut or bad length ends only the
//! TLV.

use super::super::nd::{printjnp, tok, Tok};
use super::super::trunc::{mark, Bytes, Trunc};
use core::fmt::Write;

const PORT_CAP_SUBTLVS: &Tok = &[(4, "SPB MCID"), (5, "SPB Digest"), (6, "SPB BVID")];

const MT_CAP_SUBTLVS: &Tok = &[
    (1, "SPB Instance"),
    (3, "SPBM Service Identifier and Unicast Address"),
];

/// Why a sub-TLV loop stopped early.
enum Stop {
    Trunc,
    TooLong,
    TooShort,
}

fn stop(out: &mut String, s: Stop) {
    match s {
        Stop::Trunc => mark(out, "isis"),
        Stop::TooLong => out.push_str(" (> containing TLV length)"),
        Stop::TooShort => out.push_str(" (too short)"),
    }
}

/// isis_print_mcid: format ID, name, revision level and digest.
fn mcid(out: &mut String, b: &Bytes<'_>, t: usize) -> Result<(), Trunc> {
    let _ = write!(out, "ID: {}, Name: ", b.u8(t)?);
    printjnp(out, b, t + 1, 32)?;
    let _ = write!(out, "\n\t              Lvl: {}", b.be16(t + 33)?);
    out.push_str(", Digest: ");
    for x in b.take(t + 35, 16)? {
        let _ = write!(out, "{x:02x} ");
    }
    Ok(())
}

/// The place in a sub-TLV loop: the next byte, the bytes left in the
/// TLV and in the current sub-TLV (tcpdump's tptr, len, stlv_len).
struct Cur {
    t: usize,
    len: u32,
    sl: u32,
}

impl Cur {
    /// `n` bytes of the current sub-TLV consumed.
    fn eat(&mut self, n: u32) {
        self.t += n as usize;
        self.len -= n;
        self.sl -= n;
    }
}

type Body = fn(&mut String, &Bytes<'_>, u8, &mut Cur) -> Result<Option<Stop>, Trunc>;

/// The sub-TLV loop both TLVs share: header, length checks, body.
fn walk(
    out: &mut String,
    b: &Bytes<'_>,
    t: usize,
    len: u32,
    indent: &str,
    names: &Tok,
    body: Body,
) -> Result<(), Trunc> {
    let mut c = Cur { t, len, sl: 0 };
    while c.len > 2 {
        let st = b.u8(c.t)?;
        c.sl = u32::from(b.u8(c.t + 1)?);
        let _ = write!(
            out,
            "{indent}{} subTLV #{st}, length: {}",
            tok(names, u32::from(st)).unwrap_or("unknown"),
            c.sl
        );
        c.t += 2;
        c.len -= 2;
        let r = if c.len < c.sl {
            Some(Stop::TooLong)
        } else if !b.has(c.t, c.sl as usize) {
            Some(Stop::Trunc)
        } else {
            body(out, b, st, &mut c)?
        };
        if let Some(s) = r {
            stop(out, s);
            return Ok(());
        }
        c.t += c.sl as usize;
        c.len -= c.sl;
    }
    Ok(())
}

/// TLV 143 after its first two bytes.
pub(super) fn port_cap(out: &mut String, b: &Bytes<'_>, t: usize, len: u32) -> Result<(), Trunc> {
    walk(
        out,
        b,
        t,
        len,
        "\n\t       ",
        PORT_CAP_SUBTLVS,
        port_cap_body,
    )
}

fn port_cap_body(
    out: &mut String,
    b: &Bytes<'_>,
    st: u8,
    c: &mut Cur,
) -> Result<Option<Stop>, Trunc> {
    match st {
        4 => {
            if c.sl < 102 {
                return Ok(Some(Stop::TooShort));
            }
            out.push_str("\n\t         MCID: ");
            mcid(out, b, c.t)?;
            out.push_str("\n\t         AUX-MCID: ");
            mcid(out, b, c.t + 51)?;
            c.eat(102);
        }
        5 => {
            if c.sl < 33 {
                return Ok(Some(Stop::TooShort));
            }
            let v = b.u8(c.t)?;
            let _ = write!(
                out,
                "\n\t        RES: {} V: {} A: {} D: {}",
                v >> 5,
                (v >> 4) & 1,
                (v >> 2) & 3,
                v & 3
            );
            out.push_str("\n\t         Digest: ");
            for i in 1..=8 {
                let _ = write!(out, "{:08x} ", b.be32(c.t + 1 + 4 * (i - 1))?);
                if i % 4 == 0 && i != 8 {
                    out.push_str("\n\t                 ");
                }
            }
            c.eat(33);
        }
        6 => {
            while c.sl != 0 {
                if c.sl < 4 {
                    return Ok(Some(Stop::TooShort));
                }
                let _ = write!(out, "\n\t           ECT: {:08x}", b.be32(c.t)?);
                c.eat(4);
                if c.sl < 2 {
                    return Ok(Some(Stop::TooShort));
                }
                let v = b.be16(c.t)?;
                let _ = write!(
                    out,
                    " BVID: {}, U:{:x} M:{:x} ",
                    v >> 4,
                    (v >> 3) & 1,
                    (v >> 2) & 1
                );
                c.eat(2);
            }
        }
        _ => {}
    }
    Ok(None)
}

/// TLV 144 after its first two bytes.
pub(super) fn mt_cap(out: &mut String, b: &Bytes<'_>, t: usize, len: u32) -> Result<(), Trunc> {
    walk(out, b, t, len, "\n\t      ", MT_CAP_SUBTLVS, mt_cap_body)
}

fn mt_cap_body(
    out: &mut String,
    b: &Bytes<'_>,
    st: u8,
    c: &mut Cur,
) -> Result<Option<Stop>, Trunc> {
    let t = c.t;
    match st {
        1 => {
            if c.sl < 19 {
                return Ok(Some(Stop::TooShort));
            }
            let _ = write!(out, "\n\t        CIST Root-ID: {:08x}", b.be32(t)?);
            let _ = write!(out, " {:08x}", b.be32(t + 4)?);
            let _ = write!(out, ", Path Cost: {:08x}", b.be32(t + 8)?);
            let _ = write!(out, ", Prio: {}", b.be16(t + 12)?);
            let v = b.be16(t + 14)?;
            let _ = write!(out, "\n\t        RES: {}", v >> 5);
            let _ = write!(out, ", V: {}", (v >> 4) & 1);
            let _ = write!(out, ", SPSource-ID: {}", b.be32(t + 14)? & 0x000f_ffff);
            let mut trees = b.u8(t + 18)?;
            let _ = write!(out, ", No of Trees: {trees:x}");
            c.eat(19);
            while trees != 0 {
                if c.sl < 8 {
                    return Ok(Some(Stop::Trunc));
                }
                let f = b.u8(c.t)?;
                let _ = write!(
                    out,
                    "\n\t         U:{}, M:{}, A:{}, RES:{}",
                    f >> 7,
                    (f >> 6) & 1,
                    (f >> 5) & 1,
                    f & 0x1f
                );
                let _ = write!(out, ", ECT: {:08x}", b.be32(c.t + 1)?);
                let v = b.be24(c.t + 5)?;
                let _ = write!(out, ", BVID: {}, SPVID: {}", (v >> 12) & 0xfff, v & 0xfff);
                c.eat(8);
                trees -= 1;
            }
        }
        3 => {
            if c.sl < 8 {
                return Ok(Some(Stop::Trunc));
            }
            let _ = write!(out, "\n\t        BMAC: {:08x}", b.be32(t)?);
            let _ = write!(out, "{:04x}", b.be16(t + 4)?);
            let v = b.be16(t + 6)?;
            let _ = write!(out, ", RES: {}, VID: {}", v >> 12, v & 0x0fff);
            c.eat(8);
            while c.sl >= 4 {
                let v = b.be32(c.t)?;
                let _ = write!(
                    out,
                    "\n\t        T: {}, R: {}, RES: {}, ISID: {}",
                    v >> 31,
                    (v >> 30) & 1,
                    (v >> 24) & 0x3f,
                    v & 0x00ff_ffff
                );
                c.eat(4);
            }
        }
        _ => {}
    }
    Ok(None)
}
