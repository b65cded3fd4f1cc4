//! LLDP (print-lldp.c): the system name always, every basic TLV with `-v`,
//! the IEEE 802.1 and 802.3 organization-specific TLVs (the DCB subtypes,
//! IANA's, TIA's LLDP-MED and DCBX are in `lldporg`).

use super::demux::Ip;
use super::ether::mac_name;
use super::hex;
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed, Trunc};
use super::util::{bittok, printjnp, tok, Tok};
use super::{lldporg, oui};
use core::fmt::Write;

const TLVS: &Tok = &[
    (0, "End"),
    (1, "Chassis ID"),
    (2, "Port ID"),
    (3, "Time to Live"),
    (4, "Port Description"),
    (5, "System Name"),
    (6, "System Description"),
    (7, "System Capabilities"),
    (8, "Management Address"),
    (127, "Organization specific"),
];
const CHASSIS: &Tok = &[
    (1, "Chassis component"),
    (2, "Interface alias"),
    (3, "Port component"),
    (4, "MAC address"),
    (5, "Network address"),
    (6, "Interface name"),
    (7, "Local"),
];
const PORTS: &Tok = &[
    (1, "Interface alias"),
    (2, "Port component"),
    (3, "MAC address"),
    (4, "Network Address"),
    (5, "Interface Name"),
    (6, "Agent circuit ID"),
    (7, "Local"),
];
const CAPS: &Tok = &[
    (1, "Other"),
    (2, "Repeater"),
    (4, "Bridge"),
    (8, "WLAN AP"),
    (16, "Router"),
    (32, "Telephone"),
    (64, "Docsis"),
    (128, "Station Only"),
];
const SUB_8021: &Tok = &[
    (1, "Port VLAN Id"),
    (2, "Port and Protocol VLAN ID"),
    (3, "VLAN name"),
    (4, "Protocol Identity"),
    (7, "Link aggregation"),
    (8, "Congestion Notification"),
    (9, "ETS Configuration"),
    (10, "ETS Recommendation"),
    (11, "Priority Flow Control Configuration"),
    (12, "Application Priority"),
    (13, "EVB"),
    (14, "CDCP"),
];
const SUB_8023: &Tok = &[
    (1, "MAC/PHY configuration/status"),
    (2, "Power via MDI"),
    (3, "Link aggregation"),
    (4, "Max frame size"),
];
const PPVID_FLAGS: &Tok = &[(2, "supported"), (4, "enabled")];
const AGGREGATION: &Tok = &[(1, "supported"), (2, "enabled")];
const AUTONEG: &Tok = &[(1, "supported"), (2, "enabled")];
const MDI: &Tok = &[
    (1, "PSE"),
    (2, "supported"),
    (4, "enabled"),
    (8, "can be controlled"),
];
const PMD: &Tok = &[
    (1 << 14, "10BASE-T hdx"),
    (1 << 13, "10BASE-T fdx"),
    (1 << 12, "100BASE-T4"),
    (1 << 11, "100BASE-TX hdx"),
    (1 << 10, "100BASE-TX fdx"),
    (1 << 9, "100BASE-T2 hdx"),
    (1 << 8, "100BASE-T2 fdx"),
    (1 << 7, "Pause for fdx links"),
    (1 << 6, "Asym PAUSE for fdx"),
    (1 << 5, "Sym PAUSE for fdx"),
    (1 << 4, "Asym and Sym PAUSE for fdx"),
    (1 << 3, "1000BASE-{X LX SX CX} hdx"),
    (1 << 2, "1000BASE-{X LX SX CX} fdx"),
    (1 << 1, "1000BASE-T hdx"),
    (1, "1000BASE-T fdx"),
];
const MAU_TYPES: [&str; 41] = [
    "Unknown",
    "AUI",
    "10BASE_5",
    "FOIRL",
    "10BASE2",
    "10BASET duplex mode unknown",
    "10BASEFP",
    "10BASEFB",
    "10BASEFL duplex mode unknown",
    "10BROAD36",
    "10BASET hdx",
    "10BASET fdx",
    "10BASEFL hdx",
    "10BASEFL fdx",
    "100BASET4",
    "100BASETX hdx",
    "100BASETX fdx",
    "100BASEFX hdx",
    "100BASEFX fdx",
    "100BASET2 hdx",
    "100BASET2 fdx",
    "1000BASEX hdx",
    "1000BASEX fdx",
    "1000BASELX hdx",
    "1000BASELX fdx",
    "1000BASESX hdx",
    "1000BASESX fdx",
    "1000BASECX hdx",
    "1000BASECX fdx",
    "1000BASET hdx",
    "1000BASET fdx",
    "10GBASEX",
    "10GBASELX4",
    "10GBASER",
    "10GBASEER",
    "10GBASELR",
    "10GBASESR",
    "10GBASEW",
    "10GBASEEW",
    "10GBASELW",
    "10GBASESW",
];

/// lldp_print.
pub(super) fn print(p: &mut Printer, out: &mut String, data: &[u8], len: usize) -> Printed {
    let b = Bytes::new(data, "lldp");
    let v = p.opts.verbose;
    let _ = write!(out, "LLDP, length {len}");
    let mut at = 0;
    let mut tlen = len;
    while tlen >= 2 {
        if !b.has(at, 2) {
            mark(out, "lldp");
            return Ok(());
        }
        let tlv = b.be16(at)?;
        let (ty, tl) = (tlv >> 9, usize::from(tlv & 0x1ff));
        tlen -= 2;
        at += 2;
        if v > 0 {
            let _ = write!(
                out,
                "\n\t{} TLV ({ty}), length {tl}",
                tok(TLVS, u32::from(ty)).unwrap_or("Unknown")
            );
        }
        if ty == 0 || tl == 0 {
            break;
        }
        if !b.has(at, tl) || tlen < tl {
            mark(out, "lldp");
            return Ok(());
        }
        let Some(hexdump) = tlv_body(p, out, &b, ty, at, tl)? else {
            mark(out, "lldp");
            return Ok(());
        };
        if v > 1 || (v > 0 && hexdump) {
            hex::hex_with(out, "\n\t  ", &data[at..at + tl]);
        }
        tlen -= tl;
        at += tl;
    }
    Ok(())
}

/// One TLV's value; `Some(true)` asks for a hex dump after it, `None` is
/// print-lldp.c's `goto trunc`.
fn tlv_body(
    p: &Printer,
    out: &mut String,
    b: &Bytes<'_>,
    ty: u16,
    at: usize,
    tl: usize,
) -> Result<Option<bool>, Trunc> {
    let v = p.opts.verbose > 0;
    match ty {
        1 | 2 => {
            if !v {
                return Ok(Some(false));
            }
            if tl < 2 {
                return Ok(None);
            }
            let sub = b.u8(at)?;
            let table = if ty == 1 { CHASSIS } else { PORTS };
            let _ = write!(
                out,
                "\n\t  Subtype {} ({sub}): ",
                tok(table, u32::from(sub)).unwrap_or("Unknown")
            );
            let (mac_sub, net_sub) = if ty == 1 { (4, 5) } else { (3, 4) };
            match sub {
                s if s == mac_sub => {
                    if tl < 7 {
                        return Ok(None);
                    }
                    out.push_str(&mac_name(b.take(at + 1, 6)?, p.opts.numeric));
                }
                s if s == net_sub => match network_addr(p, b, at + 1, tl - 1)? {
                    Some(t) => out.push_str(&t),
                    None => return Ok(None),
                },
                1..=7 => printjnp(out, b, at + 1, tl - 1)?,
                _ => return Ok(Some(true)),
            }
        }
        3 => {
            if v {
                if tl < 2 {
                    return Ok(None);
                }
                let _ = write!(out, ": TTL {}s", b.be16(at)?);
            }
        }
        4 => {
            if v {
                out.push_str(": ");
                printjnp(out, b, at, tl)?;
            }
        }
        5 => {
            out.push_str(": ");
            printjnp(out, b, at, tl)?;
        }
        6 => {
            if v {
                out.push_str("\n\t  ");
                printjnp(out, b, at, tl)?;
            }
        }
        7 => {
            if v {
                if tl < 4 {
                    return Ok(None);
                }
                let (cap, ena) = (b.be16(at)?, b.be16(at + 2)?);
                out.push_str("\n\t  System  Capabilities [");
                bittok(out, CAPS, "none", u32::from(cap));
                let _ = write!(out, "] (0x{cap:04x})");
                out.push_str("\n\t  Enabled Capabilities [");
                bittok(out, CAPS, "none", u32::from(ena));
                let _ = write!(out, "] (0x{ena:04x})");
            }
        }
        8 => {
            if v && !mgmt_addr(p, out, b, at, tl)? {
                return Ok(None);
            }
        }
        127 => {
            if v {
                if tl < 3 {
                    return Ok(None);
                }
                let o = b.be24(at)?;
                let _ = write!(out, ": OUI {} (0x{o:06x})", oui::name(o));
                return Ok(Some(match o {
                    oui::RFC2684 => ieee_8021(out, b, at, tl)?,
                    oui::IEEE_8023_PRIVATE => ieee_8023(out, b, at, tl)?,
                    oui::IANA => lldporg::iana(out, b, at, tl)?,
                    oui::TIA => lldporg::tia(out, b, at, tl)?,
                    oui::DCBX => lldporg::dcbx(out, b, at, tl, p.opts.verbose)?,
                    _ => true,
                }));
            }
        }
        _ => return Ok(Some(true)),
    }
    Ok(Some(false))
}

/// lldp_network_addr_print: `AFI IPv4 (1): 198.18.0.1`, `None` when short.
fn network_addr(
    p: &Printer,
    b: &Bytes<'_>,
    at: usize,
    len: usize,
) -> Result<Option<String>, Trunc> {
    if len < 1 {
        return Ok(None);
    }
    let af = b.u8(at)?;
    let name = match af {
        0 => "Reserved",
        1 => "IPv4",
        2 => "IPv6",
        3 => "NSAP",
        4 => "HDLC",
        5 => "BBN 1822",
        6 => "802",
        7 => "E.163",
        8 => "E.164",
        9 => "F.69",
        10 => "X.121",
        11 => "Novell IPX",
        _ => "Unknown",
    };
    let (alen, mac) = match af {
        1 => (4, false),
        2 => (16, false),
        6 => (6, true),
        _ => return Ok(Some(format!("AFI {name} ({af}), no AF printer !"))),
    };
    if len - 1 < alen {
        return Ok(None);
    }
    let a = b.take(at + 1, alen)?;
    let text = if mac {
        mac_name(a, p.opts.numeric)
    } else {
        Ip::addr(a)
    };
    Ok(Some(format!("AFI {name} ({af}): {text}")))
}

/// lldp_mgmt_addr_tlv_print; `false` when it is cut.
fn mgmt_addr(
    p: &Printer,
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    len: usize,
) -> Result<bool, Trunc> {
    if len < 1 {
        return Ok(false);
    }
    let alen = usize::from(b.u8(at)?);
    let mut at = at + 1;
    let mut tlen = len - 1;
    if tlen < alen {
        return Ok(false);
    }
    let Some(addr) = network_addr(p, b, at, alen)? else {
        return Ok(false);
    };
    let _ = write!(out, "\n\t  Management Address length {alen}, {addr}");
    at += alen;
    tlen -= alen;
    if tlen < 5 {
        return Ok(false);
    }
    let sub = b.u8(at)?;
    let name = match sub {
        2 => "Interface Index",
        3 => "System Port Number",
        _ => "Unknown",
    };
    let _ = write!(
        out,
        "\n\t  {name} Interface Numbering ({sub}): {}",
        b.be32(at + 1)?
    );
    at += 5;
    tlen -= 5;
    if tlen > 0 {
        let oid_len = usize::from(b.u8(at)?);
        if tlen < 1 + oid_len {
            return Ok(false);
        }
        if oid_len > 0 {
            let _ = write!(out, "\n\t  OID length {oid_len}");
            printjnp(out, b, at + 1, oid_len)?;
        }
    }
    Ok(true)
}

/// The subtype of an organization-specific TLV, shown by name; `None`
/// when the TLV is too short to hold one.
pub(super) fn subtype(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    tl: usize,
    names: &Tok,
) -> Result<Option<u8>, Trunc> {
    if tl < 4 {
        return Ok(None);
    }
    let sub = b.u8(at + 3)?;
    let _ = write!(
        out,
        "\n\t  {} Subtype ({sub})",
        tok(names, u32::from(sub)).unwrap_or("unknown")
    );
    Ok(Some(sub))
}

/// lldp_private_8021_print; `true` asks for a hex dump.
fn ieee_8021(out: &mut String, b: &Bytes<'_>, at: usize, tl: usize) -> Result<bool, Trunc> {
    let Some(sub) = subtype(out, b, at, tl, SUB_8021)? else {
        return Ok(false);
    };
    match sub {
        1 => {
            if tl >= 6 {
                let _ = write!(out, "\n\t    port vlan id (PVID): {}", b.be16(at + 4)?);
            }
        }
        2 => {
            if tl >= 7 {
                let f = b.u8(at + 4)?;
                let _ = write!(
                    out,
                    "\n\t    port and protocol vlan id (PPVID): {}, flags [",
                    b.be16(at + 5)?
                );
                bittok(out, PPVID_FLAGS, "none", u32::from(f));
                let _ = write!(out, "] (0x{f:02x})");
            }
        }
        3 => {
            if tl < 6 {
                return Ok(false);
            }
            let _ = write!(out, "\n\t    vlan id (VID): {}", b.be16(at + 4)?);
            if tl < 7 {
                return Ok(false);
            }
            let n = usize::from(b.u8(at + 6)?);
            if tl < 7 + n {
                return Ok(false);
            }
            out.push_str("\n\t    vlan name: ");
            printjnp(out, b, at + 7, n)?;
        }
        4 => {
            if tl < 5 {
                return Ok(false);
            }
            let n = usize::from(b.u8(at + 4)?);
            if tl < 5 + n {
                return Ok(false);
            }
            out.push_str("\n\t    protocol identity: ");
            printjnp(out, b, at + 5, n)?;
        }
        7 => aggregation(out, b, at, tl)?,
        _ => return lldporg::dcb(out, b, at, tl, sub),
    }
    Ok(false)
}

/// `aggregation status [...], aggregation port ID N` (802.1 and 802.3).
fn aggregation(out: &mut String, b: &Bytes<'_>, at: usize, tl: usize) -> Result<(), Trunc> {
    if tl >= 9 {
        let f = b.u8(at + 4)?;
        let id = b.be32(at + 5)?;
        out.push_str("\n\t    aggregation status [");
        bittok(out, AGGREGATION, "none", u32::from(f));
        let _ = write!(out, "], aggregation port ID {id}");
    }
    Ok(())
}

/// lldp_private_8023_print; `true` asks for a hex dump.
fn ieee_8023(out: &mut String, b: &Bytes<'_>, at: usize, tl: usize) -> Result<bool, Trunc> {
    let Some(sub) = subtype(out, b, at, tl, SUB_8023)? else {
        return Ok(false);
    };
    match sub {
        1 => {
            if tl >= 9 {
                let an = b.u8(at + 4)?;
                out.push_str("\n\t    autonegotiation [");
                bittok(out, AUTONEG, "none", u32::from(an));
                let _ = write!(out, "] (0x{an:02x})");
                let pmd = b.be16(at + 5)?;
                out.push_str("\n\t    PMD autoneg capability [");
                bittok(out, PMD, "unknown", u32::from(pmd));
                let _ = write!(out, "] (0x{pmd:04x})");
                let mau = b.be16(at + 7)?;
                let _ = write!(
                    out,
                    "\n\t    MAU type {} (0x{mau:04x})",
                    MAU_TYPES
                        .get(usize::from(mau))
                        .copied()
                        .unwrap_or("unknown")
                );
            }
        }
        2 => {
            if tl >= 7 {
                let (m, pairs, class) = (b.u8(at + 4)?, b.u8(at + 5)?, b.u8(at + 6)?);
                out.push_str("\n\t    MDI power support [");
                bittok(out, MDI, "none", u32::from(m));
                let pairs = match pairs {
                    1 => "signal",
                    2 => "spare",
                    _ => "unknown",
                };
                let class = match class {
                    1..=5 => {
                        ["class0", "class1", "class2", "class3", "class4"][usize::from(class - 1)]
                    }
                    _ => "unknown",
                };
                let _ = write!(out, "], power pair {pairs}, power class {class}");
            }
        }
        3 => aggregation(out, b, at, tl)?,
        4 => {
            if tl >= 6 {
                let _ = write!(out, "\n\t    MTU size {}", b.be16(at + 4)?);
            }
        }
        _ => return Ok(true),
    }
    Ok(false)
}
