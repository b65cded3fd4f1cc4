//! IS-IS extended IS reachability (isis_print_ext_is_reach in
//! print-isoclns.c), shared by TLVs 22, 24 and 222: the neighbor, its
//! metric and the traffic-engineering sub-TLVs (groups, addresses,
//! bandwidths as `%.3f Mbps`, TE metric, link attributes and protection,
//! switching capability, LAN adjacency SIDs, SPB metric).

use super::super::bgp::ip4;
use super::super::nd::{tok, Tok};
use super::super::trunc::{Bytes, Trunc};
use super::super::util::bittok;
use super::isis::{id, NODE_ID_LEN, SYSTEM_ID_LEN};
use super::reach::name;
use super::unknown_data;
use core::fmt::Write;

const EXT_IS_SUBTLVS: &Tok = &[
    (3, "Administrative groups"),
    (4, "Link Local/Remote Identifier"),
    (5, "Link Remote Identifier"),
    (6, "IPv4 interface address"),
    (8, "IPv4 neighbor address"),
    (9, "Maximum link bandwidth"),
    (10, "Reservable link bandwidth"),
    (11, "Unreserved bandwidth"),
    (18, "Traffic Engineering Metric"),
    (19, "Link Attribute"),
    (20, "Link Protection Type"),
    (21, "Interface Switching Capability"),
    (12, "Bandwidth Constraints (old)"),
    (22, "Bandwidth Constraints"),
    (32, "LAN Adjacency Segment Identifier"),
    (29, "SPB Metric"),
    (250, "Reserved for cisco specific extensions"),
    (251, "Reserved for cisco specific extensions"),
    (252, "Reserved for cisco specific extensions"),
    (253, "Reserved for cisco specific extensions"),
    (254, "Reserved for cisco specific extensions"),
    (255, "Reserved for future expansion"),
];

const LINK_ATTRIBUTES: &Tok = &[
    (0x01, "Local Protection Available"),
    (0x02, "Link excluded from local protection path"),
    (0x04, "Local maintenance required"),
];

const LAN_ADJ_SID_FLAGS: &Tok = &[
    (0x80, "Address family IPv6"),
    (0x40, "Backup"),
    (0x20, "Value"),
    (0x10, "Local significance"),
    (0x08, "Set of adjacencies"),
    (0x04, "Persistent"),
];

const LINK_PROT: &Tok = &[
    (0x01, "Extra Traffic"),
    (0x02, "Unprotected"),
    (0x04, "Shared"),
    (0x08, "Dedicated 1:1"),
    (0x10, "Dedicated 1+1"),
    (0x20, "Enhanced"),
    (0x40, "Reserved"),
    (0x80, "Reserved"),
];

const BC_MODELS: &Tok = &[
    (0, "Russian dolls"),
    (1, "Maximum allocation"),
    (254, "Maximum allocation with E-LSP support"),
];

const SWITCH_CAPS: &Tok = &[
    (1, "Packet-Switch Capable-1"),
    (2, "Packet-Switch Capable-2"),
    (3, "Packet-Switch Capable-3"),
    (4, "Packet-Switch Capable-4"),
    (51, "Layer-2 Switch Capable"),
    (100, "Time-Division-Multiplex"),
    (150, "Lambda-Switch Capable"),
    (200, "Fiber-Switch Capable"),
];

const ENCODINGS: &Tok = &[
    (1, "Packet"),
    (2, "Ethernet V2/DIX"),
    (3, "ANSI/ETSI PDH"),
    (4, "Reserved"),
    (5, "SDH ITU-T G.707/SONET ANSI T1.105"),
    (6, "Reserved"),
    (7, "Digital Wrapper"),
    (8, "Lambda (photonic)"),
    (9, "Fiber"),
    (10, "Reserved"),
    (11, "FiberChannel"),
];

const TSC_INDICATIONS: &Tok = &[(0, "Standard SONET/SDH"), (1, "Arbitrary SONET/SDH")];

/// `%.3f` of a float as glibc prints it (nan, inf with their signs).
fn mbps(out: &mut String, bits: u32) {
    let f = f32::from_bits(bits) * 8.0 / 1_000_000.0;
    if f.is_nan() {
        out.push_str(if f.is_sign_negative() { "-nan" } else { "nan" });
    } else if f.is_infinite() {
        out.push_str(if f < 0.0 { "-inf" } else { "inf" });
    } else {
        let _ = write!(out, "{:.3}", f64::from(f));
    }
}

/// isis_print_ext_is_reach: the bytes used, 0 when the neighbor or its
/// sub-TLVs were cut.
pub(super) fn ext_is_reach(
    out: &mut String,
    b: &Bytes<'_>,
    mut t: usize,
    ident: &str,
    tlv_type: u8,
    mut rem: u32,
) -> Result<u32, Trunc> {
    if !b.has(t, NODE_ID_LEN) || rem < NODE_ID_LEN as u32 {
        return Ok(0);
    }
    let n = id(b, t, NODE_ID_LEN)?;
    let _ = write!(out, "{ident}IS Neighbor: {n}");
    t += NODE_ID_LEN;
    rem -= NODE_ID_LEN as u32;
    let mut proc = NODE_ID_LEN as u32;
    if tlv_type != 24 {
        if !b.has(t, 3) || rem < 3 {
            return Ok(0);
        }
        let _ = write!(out, ", Metric: {}", b.be24(t)?);
        t += 3;
        rem -= 3;
        proc += 3;
    }
    if !b.has(t, 1) || rem < 1 {
        return Ok(0);
    }
    let mut sum = u32::from(b.u8(t)?);
    t += 1;
    rem -= 1;
    proc += 1;
    let _ = write!(
        out,
        ", {}sub-TLVs present",
        if sum != 0 { "" } else { "no " }
    );
    if sum == 0 {
        return Ok(proc);
    }
    let _ = write!(out, " ({sum})");
    let ident = format!("{ident}  ");
    let ident = ident.as_str();
    while sum != 0 {
        if !b.has(t, 2) {
            return Ok(0);
        }
        if rem < 2 {
            let _ = write!(
                out,
                "{ident}Remaining data in TLV shorter than a subTLV header"
            );
            proc = proc.wrapping_add(rem);
            break;
        }
        if sum < 2 {
            let _ = write!(
                out,
                "{ident}Remaining data in subTLVs shorter than a subTLV header"
            );
            proc = proc.wrapping_add(sum);
            break;
        }
        let st = b.u8(t)?;
        let mut sl = u32::from(b.u8(t + 1)?);
        t += 2;
        rem -= 2;
        sum -= 2;
        proc += 2;
        let _ = write!(
            out,
            "{ident}{} subTLV #{st}, length: {sl}",
            name(EXT_IS_SUBTLVS, u32::from(st), "unknown")
        );
        if sum < sl {
            out.push_str(" (remaining data in subTLVs shorter than the current subTLV)");
            proc = proc.wrapping_add(sum);
            break;
        }
        if rem < sl {
            out.push_str(" (> remaining tlv length)");
            proc = proc.wrapping_add(rem);
            break;
        }
        if !b.has(t, sl as usize) {
            return Ok(0);
        }
        // Sub-TLVs that consume part of themselves move t, sl, sum, proc.
        let step = |t: &mut usize, sl: &mut u32, sum: &mut u32, proc: &mut u32, k: u32| {
            *t += k as usize;
            *sl = sl.wrapping_sub(k);
            *sum = sum.wrapping_sub(k);
            *proc = proc.wrapping_add(k);
        };
        match st {
            3..=5 => {
                if sl >= 4 {
                    let _ = write!(out, ", 0x{:08x}", b.be32(t)?);
                    if sl == 8 {
                        let _ = write!(out, ", 0x{:08x}", b.be32(t + 4)?);
                    }
                }
            }
            6 | 8 => {
                if sl >= 4 {
                    let _ = write!(out, ", {}", ip4(b, t)?);
                }
            }
            9 | 10 => {
                if sl >= 4 {
                    let v = b.be32(t)?;
                    out.push_str(", ");
                    mbps(out, v);
                    out.push_str(" Mbps");
                }
            }
            11 => {
                if sl >= 32 {
                    for class in 0..8 {
                        let v = b.be32(t)?;
                        let _ = write!(out, "{ident}  TE-Class {class}: ");
                        mbps(out, v);
                        out.push_str(" Mbps");
                        step(&mut t, &mut sl, &mut sum, &mut proc, 4);
                    }
                }
            }
            12 | 22 => {
                if sl != 0 {
                    let m = b.u8(t)?;
                    let _ = write!(
                        out,
                        "{ident}Bandwidth Constraints Model ID: {} ({m})",
                        name(BC_MODELS, u32::from(m), "unknown")
                    );
                    step(&mut t, &mut sl, &mut sum, &mut proc, 1);
                    let mut class = 0;
                    while sl != 0 && sl >= 4 {
                        let v = b.be32(t)?;
                        let _ = write!(out, "{ident}  Bandwidth constraint CT{class}: ");
                        mbps(out, v);
                        out.push_str(" Mbps");
                        step(&mut t, &mut sl, &mut sum, &mut proc, 4);
                        class += 1;
                    }
                }
            }
            18 => {
                if sl >= 3 {
                    let _ = write!(out, ", {}", b.be24(t)?);
                }
            }
            19 => {
                if sl == 2 {
                    let v = b.be16(t)?;
                    out.push_str(", [ ");
                    bittok(out, LINK_ATTRIBUTES, "Unknown", u32::from(v));
                    let _ = write!(out, " ] (0x{v:04x})");
                }
            }
            20 => {
                if sl >= 2 {
                    let f = b.u8(t)?;
                    let pr = b.u8(t + 1)?;
                    out.push_str(", ");
                    bittok(out, LINK_PROT, "none", u32::from(f));
                    let _ = write!(out, ", Priority {pr}");
                }
            }
            29 => {
                if sl >= 6 {
                    let _ = write!(out, ", LM: {}", b.be24(t)?);
                    step(&mut t, &mut sl, &mut sum, &mut proc, 3);
                    let _ = write!(out, ", P: {}", b.u8(t)?);
                    step(&mut t, &mut sl, &mut sum, &mut proc, 1);
                    let _ = write!(out, ", P-ID: {}", b.be16(t)?);
                }
            }
            21 => {
                if sl >= 36 {
                    let cap = b.u8(t)?;
                    let _ = write!(
                        out,
                        "{ident}  Interface Switching Capability:{}",
                        name(SWITCH_CAPS, u32::from(cap), "Unknown")
                    );
                    let enc = b.u8(t + 1)?;
                    let _ = write!(
                        out,
                        ", LSP Encoding: {}",
                        name(ENCODINGS, u32::from(enc), "Unknown")
                    );
                    step(&mut t, &mut sl, &mut sum, &mut proc, 4);
                    let _ = write!(out, "{ident}  Max LSP Bandwidth:");
                    for level in 0..8 {
                        let v = b.be32(t)?;
                        let _ = write!(out, "{ident}    priority level {level}: ");
                        mbps(out, v);
                        out.push_str(" Mbps");
                        step(&mut t, &mut sl, &mut sum, &mut proc, 4);
                    }
                    match cap {
                        1..=4 => {
                            if sl >= 6 {
                                let v = b.be32(t)?;
                                let _ = write!(out, "{ident}  Min LSP Bandwidth: ");
                                mbps(out, v);
                                out.push_str(" Mbps");
                                let _ = write!(out, "{ident}  Interface MTU: {}", b.be16(t + 4)?);
                            }
                        }
                        100 => {
                            if sl >= 8 {
                                let v = b.be32(t)?;
                                let _ = write!(out, "{ident}  Min LSP Bandwidth: ");
                                mbps(out, v);
                                out.push_str(" Mbps");
                                let ind = b.u8(t + 4)?;
                                let _ = write!(out, "{ident}  Indication ");
                                match tok(TSC_INDICATIONS, u32::from(ind)) {
                                    Some(n) => out.push_str(n),
                                    None => {
                                        let _ = write!(out, "Unknown ({ind})");
                                    }
                                }
                            }
                        }
                        _ => {
                            if sl != 0 && !unknown_data(out, b, t, "\n\t\t    ", sl as usize) {
                                return Ok(0);
                            }
                        }
                    }
                }
            }
            32 => {
                if sl >= 8 {
                    let f = b.u8(t)?;
                    let _ = write!(out, "{ident}  Flags: [");
                    bittok(out, LAN_ADJ_SID_FLAGS, "none", u32::from(f));
                    out.push(']');
                    let (vf, lf) = (f & 0x20 != 0, f & 0x10 != 0);
                    step(&mut t, &mut sl, &mut sum, &mut proc, 1);
                    let _ = write!(out, "{ident}  Weight: {}", b.u8(t)?);
                    step(&mut t, &mut sl, &mut sum, &mut proc, 1);
                    if sl >= SYSTEM_ID_LEN as u32 {
                        if !b.has(t, SYSTEM_ID_LEN) {
                            return Ok(0);
                        }
                        let _ = write!(
                            out,
                            "{ident}  Neighbor System-ID: {}",
                            id(b, t, SYSTEM_ID_LEN)?
                        );
                    }
                    if vf && lf {
                        let _ = write!(out, "{ident}  Label: {}", b.be24(t + SYSTEM_ID_LEN)?);
                    } else if !vf && !lf {
                        let _ = write!(out, "{ident}  Index: {}", b.be32(t + SYSTEM_ID_LEN)?);
                    } else {
                        out.push_str(" (invalid)");
                    }
                }
            }
            _ => {
                if !unknown_data(out, b, t, "\n\t\t    ", sl as usize) {
                    return Ok(0);
                }
            }
        }
        t += sl as usize;
        rem = rem.wrapping_sub(sl);
        sum = sum.wrapping_sub(sl);
        proc = proc.wrapping_add(sl);
    }
    Ok(proc)
}
