//! LLDP organization-specific TLVs beyond the basic 802.1/802.3 ones
//! (print-lldp.c): the 802.1 DCB subtypes (congestion notification, ETS,
//! PFC, application priority, EVB, CDCP), IANA's MUD-URL, TIA's LLDP-MED
//! and DCBX. Each returns whether tcpdump asks for a hex dump after it.

use super::lldp::subtype;
use super::nd;
use super::trunc::{Bytes, Trunc};
use super::util::{bittok, print_char, printjnp, tok, Tok};
use core::fmt::Write;

/// `%-Nd` of eight values in a row, each followed by a space.
fn row(out: &mut String, width: usize, vals: impl Iterator<Item = u32>) {
    for v in vals {
        let _ = write!(out, "{v:<width$} ");
    }
}

/// The eight bits of `v`, lowest first, as `%-2d ` values.
fn bit_row(out: &mut String, v: u8) {
    row(out, 2, (0..8).map(|i| u32::from(v >> i & 1)));
}

/// print_ets_priority_assignment_table, print_tc_bandwidth_table and
/// print_tsa_assignment_table from `at`.
fn ets_tables(out: &mut String, b: &Bytes<'_>, at: usize) -> Result<(), Trunc> {
    out.push_str("\n\t    Priority Assignment Table");
    out.push_str("\n\t     Priority : 0   1   2   3   4   5   6   7");
    let mut nibbles = [0u32; 8];
    for i in 0..4 {
        let v = b.u8(at + i)?;
        nibbles[2 * i] = u32::from(v >> 4);
        nibbles[2 * i + 1] = u32::from(v & 0x0f);
    }
    out.push_str("\n\t     Value    : ");
    row_trimmed(out, &nibbles);
    let bytes = |o: usize| -> Result<[u32; 8], Trunc> {
        let mut v = [0u32; 8];
        for (i, x) in v.iter_mut().enumerate() {
            *x = u32::from(b.u8(o + i)?);
        }
        Ok(v)
    };
    let bw = bytes(at + 4)?;
    out.push_str("\n\t    TC Bandwidth Table");
    out.push_str("\n\t     TC%   : 0   1   2   3   4   5   6   7");
    out.push_str("\n\t     Value : ");
    row_trimmed(out, &bw);
    let tsa = bytes(at + 12)?;
    out.push_str("\n\t    TSA Assignment Table");
    out.push_str("\n\t     Traffic Class: 0   1   2   3   4   5   6   7");
    out.push_str("\n\t     Value        : ");
    row_trimmed(out, &tsa);
    Ok(())
}

/// `%-3d %-3d ... %-3d`: eight values, the last without a space after it.
fn row_trimmed(out: &mut String, v: &[u32; 8]) {
    for (i, x) in v.iter().enumerate() {
        if i < 7 {
            let _ = write!(out, "{x:<3} ");
        } else {
            let _ = write!(out, "{x:<3}");
        }
    }
}

/// lldp_private_8021_print's DCB subtypes (8 to 14), the subtype line
/// already printed.
pub(super) fn dcb(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    tl: usize,
    sub: u8,
) -> Result<bool, Trunc> {
    match sub {
        8 => {
            if tl < 6 {
                return Ok(false);
            }
            for (name, off) in [("CNPV", 4), ("Ready", 5)] {
                let v = b.u8(at + off)?;
                let _ = write!(out, "\n\t    Pre-Priority {name} Indicator");
                out.push_str("\n\t     Priority : 0  1  2  3  4  5  6  7");
                out.push_str("\n\t     Value    : ");
                bit_row(out, v);
            }
        }
        9 | 10 => {
            if tl < 25 {
                return Ok(false);
            }
            let v = b.u8(at + 4)?;
            if sub == 9 {
                let _ = write!(
                    out,
                    "\n\t    Willing:{}, CBS:{}, RES:{}, Max TCs:{}",
                    v >> 7,
                    (v >> 6) & 0x02,
                    (v >> 3) & 0x07,
                    v & 0x07
                );
            } else {
                let _ = write!(out, "\n\t    RES: {v}");
            }
            ets_tables(out, b, at + 5)?;
        }
        11 => {
            if tl < 6 {
                return Ok(false);
            }
            let v = b.u8(at + 4)?;
            let _ = write!(
                out,
                "\n\t    Willing: {}, MBC: {}, RES: {}, PFC cap:{} ",
                v >> 7,
                (v >> 6) & 0x01,
                (v >> 4) & 0x03,
                v & 0x0f
            );
            out.push_str("\n\t    PFC Enable");
            let v = b.u8(at + 5)?;
            out.push_str("\n\t     Priority : 0  1  2  3  4  5  6  7");
            out.push_str("\n\t     Value    : ");
            bit_row(out, v);
        }
        12 => {
            if tl < 5 {
                return Ok(false);
            }
            let _ = write!(out, "\n\t    RES: {}", b.u8(at + 4)?);
            if tl <= 5 {
                return Ok(false);
            }
            let n = tl - 5;
            if n % 3 != 0 {
                return Ok(false);
            }
            out.push_str("\n\t    Application Priority Table");
            for i in (0..n).step_by(3) {
                let v = b.u8(at + i + 5)?;
                let _ = write!(
                    out,
                    "\n\t      Priority: {}, RES: {}, Sel: {}, Protocol ID: {}",
                    v >> 5,
                    (v >> 3) & 0x03,
                    v & 0x07,
                    b.be16(at + i + 6)?
                );
            }
        }
        13 => {
            if tl < 9 {
                return Ok(false);
            }
            out.push_str("\n\t    EVB Bridge Status");
            let v = b.u8(at + 4)?;
            let _ = write!(
                out,
                "\n\t      RES: {}, BGID: {}, RRCAP: {}, RRCTR: {}",
                v >> 3,
                (v >> 2) & 1,
                (v >> 1) & 1,
                v & 1
            );
            out.push_str("\n\t    EVB Station Status");
            let v = b.u8(at + 5)?;
            let _ = write!(
                out,
                "\n\t      RES: {}, SGID: {}, RRREQ: {},RRSTAT: {}",
                v >> 4,
                (v >> 3) & 1,
                (v >> 2) & 1,
                v & 0x03
            );
            let v = b.u8(at + 6)?;
            let _ = write!(out, "\n\t    R: {}, RTE: {}, ", v >> 5, v & 0x1f);
            let v = b.u8(at + 7)?;
            let mode = [
                "Not Supported",
                "EVB Bridge",
                "EVB Station",
                "Reserved for future Standardization",
            ][usize::from(v >> 6)];
            let _ = write!(out, "EVB Mode: {mode} [{}]", v >> 6);
            let _ = write!(out, "\n\t    ROL: {}, RWD: {}, ", (v >> 5) & 1, v & 0x1f);
            let v = b.u8(at + 8)?;
            let _ = write!(
                out,
                "RES: {}, ROL: {}, RKA: {}",
                v >> 6,
                (v >> 5) & 1,
                v & 0x1f
            );
        }
        14 => {
            if tl < 8 {
                return Ok(false);
            }
            let v = b.u8(at + 4)?;
            let _ = write!(
                out,
                "\n\t    Role: {}, RES: {}, Scomp: {} ",
                v >> 7,
                (v >> 4) & 0x07,
                (v >> 3) & 1
            );
            let _ = write!(out, "ChnCap: {}", b.be16(at + 6)? & 0x0fff);
            let n = tl - 8;
            if n % 3 != 0 {
                return Ok(false);
            }
            for i in (0..n).step_by(3) {
                let v = b.be24(at + i + 8)?;
                let _ = write!(out, "\n\t    SCID: {}, SVID: {}", v >> 12, v & 0xfff);
            }
        }
        _ => return Ok(true),
    }
    Ok(false)
}

/// lldp_private_iana_print.
pub(super) fn iana(out: &mut String, b: &Bytes<'_>, at: usize, tl: usize) -> Result<bool, Trunc> {
    if tl < 8 {
        return Ok(false);
    }
    match subtype(out, b, at, tl, &[(1, "MUD-URL")])? {
        Some(1) => {
            out.push_str("\n\t  MUD-URL=");
            for i in 4..tl {
                print_char(out, b.u8(at + i)?);
            }
            Ok(false)
        }
        _ => Ok(true),
    }
}

const TIA_SUBTYPES: &Tok = &[
    (1, "LLDP-MED Capabilities"),
    (2, "Network policy"),
    (3, "Location identification"),
    (4, "Extended power-via-MDI"),
    (5, "Inventory - hardware revision"),
    (6, "Inventory - firmware revision"),
    (7, "Inventory - software revision"),
    (8, "Inventory - serial number"),
    (9, "Inventory - manufacturer name"),
    (10, "Inventory - model name"),
    (11, "Inventory - asset ID"),
];
const TIA_CAPS: &Tok = &[
    (0x01, "LLDP-MED capabilities"),
    (0x02, "network policy"),
    (0x04, "location identification"),
    (0x08, "extended power via MDI-PSE"),
    (0x10, "extended power via MDI-PD"),
    (0x20, "Inventory"),
];
const TIA_DEVICES: &Tok = &[
    (1, "endpoint class 1"),
    (2, "endpoint class 2"),
    (3, "endpoint class 3"),
    (4, "network connectivity"),
];
const TIA_APPS: &Tok = &[
    (1, "voice"),
    (2, "voice signaling"),
    (3, "guest voice"),
    (4, "guest voice signaling"),
    (5, "softphone voice"),
    (6, "video conferencing"),
    (7, "streaming video"),
    (8, "video signaling"),
];
const TIA_POLICY_BITS: &Tok = &[(0x80, "Unknown"), (0x40, "Tagged"), (0x20, "reserved")];
const TIA_FORMATS: &Tok = &[
    (1, "coordinate-based LCI"),
    (2, "civic address LCI"),
    (3, "ECS ELIN"),
];
const TIA_ALTITUDES: &Tok = &[(1, "meters"), (2, "floors")];
const TIA_DATUMS: &Tok = &[
    (1, "World Geodesic System 1984"),
    (2, "North American Datum 1983 (NAVD88)"),
    (3, "North American Datum 1983 (MLLW)"),
];
const TIA_CA_TYPES: &Tok = &[
    (
        1,
        "national subdivisions (state,canton,region,province,prefecture)",
    ),
    (2, "county, parish, gun, district"),
    (3, "city, township, shi"),
    (4, "city division, borough, city district, ward chou"),
    (5, "neighborhood, block"),
    (6, "street"),
];
const TIA_LCI_WHAT: &Tok = &[
    (0, "location of DHCP server"),
    (
        1,
        "location of the network element believed to be closest to the client",
    ),
    (2, "location of the client"),
];
const TIA_POWER_SOURCES: &Tok = &[
    (1, "PSE - primary power source"),
    (2, "local - backup power source"),
    (3, "PSE+local - reserved"),
];
const TIA_POWER_PRIORITIES: &Tok = &[(1, "critical"), (2, "high"), (3, "low")];
const TIA_INVENTORY: &Tok = &[
    (5, "Hardware revision"),
    (6, "Firmware revision"),
    (7, "Software revision"),
    (8, "Serial number"),
    (9, "Manufacturer name"),
    (10, "Model name"),
    (11, "Asset ID"),
];

/// lldp_extract_latlon: 34 bits from `at`.
fn latlon(b: &Bytes<'_>, at: usize) -> Result<u64, Trunc> {
    Ok(u64::from(b.u8(at)? & 3) << 32 | u64::from(b.be32(at + 1)?))
}

/// lldp_private_tia_print (LLDP-MED).
pub(super) fn tia(out: &mut String, b: &Bytes<'_>, at: usize, tl: usize) -> Result<bool, Trunc> {
    let Some(sub) = subtype(out, b, at, tl, TIA_SUBTYPES)? else {
        return Ok(false);
    };
    let name = |t: &Tok, v: u8, d: &'static str| tok(t, v.into()).unwrap_or(d);
    match sub {
        1 => {
            if tl < 7 {
                return Ok(false);
            }
            let caps = b.be16(at + 4)?;
            out.push_str("\n\t    Media capabilities [");
            bittok(out, TIA_CAPS, "none", caps.into());
            let _ = write!(out, "] (0x{caps:04x})");
            let d = b.u8(at + 6)?;
            let _ = write!(
                out,
                "\n\t    Device type [{}] (0x{d:02x})",
                name(TIA_DEVICES, d, "unknown")
            );
        }
        2 => {
            if tl < 8 {
                return Ok(false);
            }
            let a = b.u8(at + 4)?;
            let _ = write!(
                out,
                "\n\t    Application type [{}] (0x{a:02x})",
                name(TIA_APPS, a, "none")
            );
            out.push_str(", Flags [");
            bittok(out, TIA_POLICY_BITS, "none", b.u8(at + 5)?.into());
            out.push(']');
            let _ = write!(out, "\n\t    Vlan id {}", (b.be16(at + 5)? & 0x1ffe) >> 1);
            let w = b.be16(at + 6)?;
            let _ = write!(out, ", L2 priority {}", (w & 0x01ff) >> 6);
            let _ = write!(out, ", DSCP value {}", w & 0x003f);
        }
        3 => return tia_location(out, b, at, tl),
        4 => {
            if tl < 7 {
                return Ok(false);
            }
            let v = b.u8(at + 4)?;
            // print-lldp.c masks with (0xC0 >> 6), i.e. the low two bits.
            let ty = if v & 0x03 != 0 {
                "PD device"
            } else {
                "PSE device"
            };
            let _ = write!(out, "\n\t    Power type [{ty}]");
            let _ = write!(
                out,
                ", Power source [{}]",
                name(TIA_POWER_SOURCES, (v & 0x30) >> 4, "none")
            );
            let _ = write!(
                out,
                "\n\t    Power priority [{}] (0x{:02x})",
                name(TIA_POWER_PRIORITIES, v & 0x0f, "none"),
                v & 0x0f
            );
            let pv = b.be16(at + 5)?;
            if pv < 1024 {
                let _ = write!(out, ", Power {}.{} Watts", pv / 10, pv % 10);
            } else {
                let _ = write!(out, ", Power {pv} (Reserved)");
            }
        }
        5..=11 => {
            let _ = write!(out, "\n\t  {} ", name(TIA_INVENTORY, sub, "unknown"));
            printjnp(out, b, at + 4, tl - 4)?;
        }
        _ => return Ok(true),
    }
    Ok(false)
}

/// The location identification subtype of LLDP-MED.
fn tia_location(out: &mut String, b: &Bytes<'_>, at: usize, tl: usize) -> Result<bool, Trunc> {
    if tl < 5 {
        return Ok(false);
    }
    let format = b.u8(at + 4)?;
    let _ = write!(
        out,
        "\n\t    Location data format {} (0x{format:02x})",
        tok(TIA_FORMATS, format.into()).unwrap_or("unknown")
    );
    match format {
        1 => {
            if tl < 21 {
                return Ok(false);
            }
            let _ = write!(
                out,
                "\n\t    Latitude resolution {}, latitude value {}",
                b.u8(at + 5)? >> 2,
                latlon(b, at + 5)?
            );
            let _ = write!(
                out,
                "\n\t    Longitude resolution {}, longitude value {}",
                b.u8(at + 10)? >> 2,
                latlon(b, at + 10)?
            );
            let alt = b.u8(at + 15)? >> 4;
            let _ = write!(
                out,
                "\n\t    Altitude type {} ({alt})",
                tok(TIA_ALTITUDES, alt.into()).unwrap_or("unknown")
            );
            let _ = write!(
                out,
                "\n\t    Altitude resolution {}, altitude value 0x{:x}",
                (b.be16(at + 15)? >> 6) & 0x3f,
                b.be32(at + 16)? & 0x3fff_ffff
            );
            let d = b.u8(at + 20)?;
            let _ = write!(
                out,
                "\n\t    Datum {} (0x{d:02x})",
                tok(TIA_DATUMS, d.into()).unwrap_or("unknown")
            );
        }
        2 => {
            if tl < 6 {
                return Ok(false);
            }
            let mut lci_len = usize::from(b.u8(at + 5)?);
            if lci_len < 3 || tl < 7 + lci_len {
                return Ok(false);
            }
            let what = b.u8(at + 6)?;
            let _ = write!(
                out,
                "\n\t    LCI length {lci_len}, LCI what {} (0x{what:02x}), Country-code ",
                tok(TIA_LCI_WHAT, what.into()).unwrap_or("unknown")
            );
            printjnp(out, b, at + 7, 2)?;
            lci_len -= 3;
            let mut p = at + 9;
            while lci_len > 0 {
                if lci_len < 2 {
                    return Ok(false);
                }
                let (ty, len) = (b.u8(p)?, usize::from(b.u8(p + 1)?));
                p += 2;
                lci_len -= 2;
                let _ = write!(
                    out,
                    "\n\t      CA type '{}' ({ty}), length {len}: ",
                    tok(TIA_CA_TYPES, ty.into()).unwrap_or("unknown")
                );
                if ty == 0 || len == 0 || lci_len < len {
                    return Ok(false);
                }
                printjnp(out, b, p, len)?;
                p += len;
                lci_len -= len;
            }
        }
        3 => {
            out.push_str("\n\t    ECS ELIN id ");
            printjnp(out, b, at + 5, tl - 5)?;
        }
        _ => {
            out.push_str("\n\t    Location ID ");
            nd::unknown_data(out, b, at + 5, "\n\t      ", tl - 5);
        }
    }
    Ok(false)
}

const DCBX_SUBTYPES: &Tok = &[
    (1, "DCB Capability Exchange Protocol Rev 1"),
    (2, "DCB Capability Exchange Protocol Rev 1.01"),
];

/// The `Oper_Version`/`Max_Version`/info block/subtype head the DCBX
/// feature TLVs share.
fn dcbx_head(out: &mut String, b: &Bytes<'_>, p: usize) -> Result<(), Trunc> {
    let _ = write!(out, "\n\t      Oper_Version: {}", b.u8(p)?);
    let _ = write!(out, "\n\t      Max_Version: {}", b.u8(p + 1)?);
    let v = b.u8(p + 2)?;
    let _ = write!(
        out,
        "\n\t      Info block(0x{v:02X}): Enable bit: {}, Willing bit: {}, Error Bit: {}",
        v >> 7 & 1,
        v >> 6 & 1,
        v >> 5 & 1
    );
    let _ = write!(out, "\n\t      SubType: {}", b.u8(p + 3)?);
    Ok(())
}

/// lldp_private_dcbx_print (DCBX 1.01's TLVs inside the TLV).
pub(super) fn dcbx(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    len: usize,
    verbose: u8,
) -> Result<bool, Trunc> {
    let Some(sub) = subtype(out, b, at, len, DCBX_SUBTYPES)? else {
        return Ok(false);
    };
    if sub == 1 {
        return Ok(true);
    }
    let (mut p, mut tlen) = (at + 4, len - 4);
    let mut hexdump = false;
    while tlen >= 2 {
        if !b.has(p, 2) {
            return Ok(hexdump);
        }
        let tlv = b.be16(p)?;
        let (ty, tl) = (tlv >> 9, usize::from(tlv & 0x01ff));
        hexdump = false;
        tlen -= 2;
        p += 2;
        if ty == 0 || tl == 0 {
            break;
        }
        if !b.has(p, tl) || tlen < tl {
            return Ok(hexdump);
        }
        match ty {
            1 => {
                if tl < 10 {
                    return Ok(hexdump);
                }
                let _ = write!(
                    out,
                    "\n\t    Control - Protocol Control (type 0x1, length {tl})"
                );
                let _ = write!(out, "\n\t      Oper_Version: {}", b.u8(p)?);
                let _ = write!(out, "\n\t      Max_Version: {}", b.u8(p + 1)?);
                let _ = write!(out, "\n\t      Sequence Number: {}", b.be32(p + 2)?);
                let _ = write!(out, "\n\t      Acknowledgement Number: {}", b.be32(p + 6)?);
            }
            2 => {
                if tl < 17 {
                    return Ok(hexdump);
                }
                let _ = write!(
                    out,
                    "\n\t    Feature - Priority Group (type 0x2, length {tl})"
                );
                dcbx_head(out, b, p)?;
                out.push_str("\n\t      Priority Allocation");
                let pg = b.be32(p + 4)?;
                for i in 0..8 {
                    let _ = write!(
                        out,
                        "\n\t          PgId_{i}: {}",
                        (pg >> (28 - 4 * i)) & 0xf
                    );
                }
                out.push_str("\n\t      Priority Group Allocation");
                for i in 0..8 {
                    let _ = write!(
                        out,
                        "\n\t          Pg percentage[{i}]: {}",
                        b.u8(p + 8 + i)?
                    );
                }
                let _ = write!(out, "\n\t      NumTCsSupported: {}", b.u8(p + 16)?);
            }
            3 => {
                if tl < 6 {
                    return Ok(hexdump);
                }
                out.push_str("\n\t    Feature - Priority Flow Control");
                let _ = write!(out, " (type 0x3, length {tl})");
                dcbx_head(out, b, p)?;
                let v = b.u8(p + 4)?;
                let _ = write!(out, "\n\t      PFC Config (0x{v:02X})");
                for i in 0..8 {
                    let on = if v & (1 << i) != 0 {
                        "Enabled"
                    } else {
                        "Disabled"
                    };
                    let _ = write!(out, "\n\t          Priority Bit {i}: {on}");
                }
                let _ = write!(out, "\n\t      NumTCPFCSupported: {}", b.u8(p + 5)?);
            }
            4 => {
                if tl < 4 {
                    return Ok(hexdump);
                }
                let _ = write!(out, "\n\t    Feature - Application (type 0x4, length {tl})");
                dcbx_head(out, b, p)?;
                let (mut left, mut m) = (tl - 4, p + 4);
                while left >= 6 {
                    out.push_str("\n\t      Application Value");
                    let _ = write!(
                        out,
                        "\n\t          Application Protocol ID: 0x{:04x}",
                        b.be16(m)?
                    );
                    let u = b.be24(m + 2)?;
                    let sf = u >> 22;
                    let kind = if sf != 0 {
                        "Socket Number"
                    } else {
                        "L2 EtherType"
                    };
                    let _ = write!(
                        out,
                        "\n\t          SF (0x{sf:x}) Application Protocol ID is {kind}"
                    );
                    let _ = write!(out, "\n\t          OUI: 0x{:06x}", u & 0x3f_ffff);
                    let _ = write!(
                        out,
                        "\n\t          User Priority Map: 0x{:02x}",
                        b.u8(m + 5)?
                    );
                    left -= 6;
                    m += 6;
                }
            }
            _ => hexdump = true,
        }
        if verbose > 1 || (verbose > 0 && hexdump) {
            nd::unknown_data(out, b, p, "\n\t    ", tl);
        }
        tlen -= tl;
        p += tl;
    }
    Ok(hexdump)
}
