//! Spanning tree BPDUs: STP (802.1D), RSTP (802.1w), MSTP (802.1s) and SPB
//! (802.1aq) (print-stp.c).

use super::text::Printer;
use super::trunc::{Bytes, Trunc};
use super::util::{bittok, printjnp, tok, Tok};
use core::fmt::Write;

const PROTOS: &Tok = &[(0, "802.1d"), (2, "802.1w"), (3, "802.1s"), (4, "802.1aq")];
const FLAG_NAMES: &Tok = &[
    (0x01, "Topology change"),
    (0x02, "Proposal"),
    (0x10, "Learn"),
    (0x20, "Forward"),
    (0x40, "Agreement"),
    (0x80, "Topology change ACK"),
];
const TYPES: &Tok = &[(0, "Config"), (2, "Rapid STP"), (0x80, "Topology Change")];
const ROLES: &Tok = &[
    (0, "Unknown"),
    (1, "Alternate"),
    (2, "Root"),
    (3, "Designated"),
];

/// The fixed BPDU's length with the version-1 length byte.
const BPDU_LEN: usize = 36;
const MSTP_MIN_LEN: usize = 102;
const V3_LEN: usize = 36;
const SPB_MIN_LEN: usize = 87;

fn role(flags: u8) -> &'static str {
    tok(ROLES, u32::from((flags & 0x0c) >> 2)).unwrap_or("Unknown")
}

/// `pppp.aa:bb:cc:dd:ee:ff`.
fn bridge_id(b: &Bytes<'_>, at: usize) -> Result<String, Trunc> {
    let x = b.take(at, 8)?;
    Ok(format!(
        "{:02x}{:02x}.{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]
    ))
}

fn secs(b: &Bytes<'_>, at: usize) -> Result<String, Trunc> {
    Ok(format!("{:.2}s", f32::from(b.be16(at)?) / 256.0))
}

/// The four timers of a BPDU, in 1/256 seconds.
fn times(out: &mut String, b: &Bytes<'_>) -> Result<(), Trunc> {
    let _ = write!(
        out,
        "\n\tmessage-age {}, max-age {}, hello-time {}, forwarding-delay {}",
        secs(b, 27)?,
        secs(b, 29)?,
        secs(b, 31)?,
        secs(b, 33)?
    );
    Ok(())
}

/// stp_print.
pub(super) fn print(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
) -> Result<(), Trunc> {
    let b = Bytes::new(data, "stp");
    if length < 4 {
        out.push_str(" (invalid)");
        return Ok(());
    }
    if b.be16(0)? != 0 {
        let _ = write!(out, "unknown STP version, length {length}");
        return Ok(());
    }
    let version = b.u8(2)?;
    match tok(PROTOS, u32::from(version)) {
        Some(n) => {
            let _ = write!(out, "STP {n}");
        }
        None => {
            let _ = write!(out, "STP Unknown STP protocol (0x{version:02x})");
            return Ok(());
        }
    }
    let ty = b.u8(3)?;
    match tok(TYPES, u32::from(ty)) {
        Some(n) => {
            let _ = write!(out, ", {n}");
        }
        None => {
            let _ = write!(out, ", Unknown BPDU Type (0x{ty:02x})");
        }
    }
    let invalid = |out: &mut String| out.push_str(" (invalid)");
    match ty {
        0 => {
            if length < BPDU_LEN - 1 {
                invalid(out);
                return Ok(());
            }
            config(p, out, &b, length)?;
        }
        2 if version == 2 => {
            if length < BPDU_LEN {
                invalid(out);
                return Ok(());
            }
            config(p, out, &b, length)?;
        }
        2 if version == 3 || version == 4 => {
            if length < MSTP_MIN_LEN || b.u8(35)? != 0 {
                invalid(out);
                return Ok(());
            }
            let mstp_len = usize::from(b.be16(V3_LEN)?) + 2;
            if length < BPDU_LEN + mstp_len {
                invalid(out);
                return Ok(());
            }
            mstp(p, out, &b, length)?;
            if version == 4 {
                let spb_len = usize::from(b.be16(V3_LEN + mstp_len)?) + 2;
                if length < BPDU_LEN + mstp_len + spb_len || spb_len < SPB_MIN_LEN {
                    invalid(out);
                    return Ok(());
                }
                spb(p, out, &b, BPDU_LEN + mstp_len)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn flags(out: &mut String, f: u8) {
    bittok(out, FLAG_NAMES, "none", u32::from(f));
}

fn config(p: &Printer, out: &mut String, b: &Bytes<'_>, length: usize) -> Result<(), Trunc> {
    let f = b.u8(4)?;
    out.push_str(", Flags [");
    flags(out, f);
    out.push(']');
    let _ = write!(
        out,
        ", bridge-id {}.{:04x}, length {length}",
        bridge_id(b, 17)?,
        b.be16(25)?
    );
    if p.opts.verbose == 0 {
        return Ok(());
    }
    times(out, b)?;
    let _ = write!(
        out,
        "\n\troot-id {}, root-pathcost {}",
        bridge_id(b, 5)?,
        b.be32(13)?
    );
    if b.u8(2)? == 2 {
        let _ = write!(out, ", port-role {}", role(f));
    }
    Ok(())
}

fn mstp(p: &Printer, out: &mut String, b: &Bytes<'_>, length: usize) -> Result<(), Trunc> {
    let f = b.u8(4)?;
    out.push_str(", CIST Flags [");
    flags(out, f);
    let _ = write!(out, "], length {length}");
    if p.opts.verbose == 0 {
        return Ok(());
    }
    let _ = write!(out, "\n\tport-role {}, ", role(f));
    let _ = write!(
        out,
        "CIST root-id {}, CIST ext-pathcost {}",
        bridge_id(b, 5)?,
        b.be32(13)?
    );
    let _ = write!(out, "\n\tCIST regional-root-id {}, ", bridge_id(b, 17)?);
    let _ = write!(out, "CIST port-id {:04x},", b.be16(25)?);
    times(out, b)?;
    let _ = write!(out, "\n\tv3len {}, ", b.be16(V3_LEN)?);
    out.push_str("MCID Name ");
    printjnp(out, b, 39, 32)?;
    let _ = write!(
        out,
        ", rev {},\n\t\tdigest {:08x}{:08x}{:08x}{:08x}, ",
        b.be16(71)?,
        b.be32(73)?,
        b.be32(77)?,
        b.be32(81)?,
        b.be32(85)?
    );
    let _ = write!(out, "CIST int-root-pathcost {},", b.be32(89)?);
    let _ = write!(out, "\n\tCIST bridge-id {}, ", bridge_id(b, 93)?);
    let _ = write!(out, "CIST remaining-hops {}", b.u8(101)?);
    let v3len = usize::from(b.be16(V3_LEN)?);
    if v3len > 64 {
        let mut len = v3len - 64;
        let mut off = 102;
        while len >= 16 {
            let msti = b.be16(off + 1)? & 0x0fff;
            let mf = b.u8(off)?;
            let _ = write!(out, "\n\tMSTI {msti}, Flags [");
            flags(out, mf);
            let _ = write!(out, "], port-role {}", role(mf));
            let _ = write!(
                out,
                "\n\t\tMSTI regional-root-id {}, pathcost {}",
                bridge_id(b, off + 1)?,
                b.be32(off + 9)?
            );
            let _ = write!(
                out,
                "\n\t\tMSTI bridge-prio {}, port-prio {}, hops {}",
                b.u8(off + 13)? >> 4,
                b.u8(off + 14)? >> 4,
                b.u8(off + 15)?
            );
            len -= 16;
            off += 16;
        }
    }
    Ok(())
}

fn spb(p: &Printer, out: &mut String, b: &Bytes<'_>, off: usize) -> Result<(), Trunc> {
    if p.opts.verbose == 0 {
        return Ok(());
    }
    let _ = write!(out, "\n\tv4len {}, ", b.be16(off)?);
    out.push_str("AUXMCID Name ");
    printjnp(out, b, off + 3, 32)?;
    let (rev, dig) = (off + 35, off + 37);
    let _ = write!(
        out,
        ", Rev {},\n\t\tdigest {:08x}{:08x}{:08x}{:08x}",
        b.be16(rev)?,
        b.be32(dig)?,
        b.be32(dig + 4)?,
        b.be32(dig + 8)?,
        b.be32(dig + 12)?
    );
    let agr = off + 53;
    let a = b.u8(agr)?;
    let fmt = b.u8(agr + 2)?;
    let con = b.u8(agr + 3)?;
    let adig = agr + 14;
    let _ = write!(
        out,
        "\n\tAgreement num {}, Discarded Agreement num {}, Agreement valid-flag {},\
         \n\tRestricted role-flag: {}, Format id {} cap {}, Convention id {} cap {},\
         \n\tEdge count {}, Agreement digest {:08x}{:08x}{:08x}{:08x}{:08x}",
        a >> 6,
        (a >> 4) & 3,
        (a >> 3) & 1,
        (a >> 2) & 1,
        fmt >> 4,
        fmt,
        con >> 4,
        con,
        b.be16(agr + 4)?,
        b.be32(adig)?,
        b.be32(adig + 4)?,
        b.be32(adig + 8)?,
        b.be32(adig + 12)?,
        b.be32(adig + 16)?
    );
    Ok(())
}
