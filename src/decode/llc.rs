//! IEEE 802.2 LLC and SNAP (print-llc.c): the SAPs and control field, and
//! the protocol after them (STP, IP, SNAP's EtherType or Cisco PID).

use super::ether::mac_name;
use super::text::Printer;
use super::trunc::{mark, Bytes, Trunc};
use super::util::{tok, tok_or, Tok};
use super::{dispatch, oui, stp};
use core::fmt::Write;

const SAP_GLOBAL: u8 = 0xff;
const SAP_IP: u8 = 0x06;
const SAP_8021D: u8 = 0x42;
const SAP_SNAP: u8 = 0xaa;
const SAP_IPX: u8 = 0xe0;
const SAP_ISONS: u8 = 0xfe;

const U_FMT: u16 = 3;
const GSAP: u8 = 1;
const IG: u8 = 1;
const S_FMT: u16 = 1;
const U_POLL: u16 = 0x10;
const IS_POLL: u16 = 0x0100;
const XID_FI: u8 = 0x81;
const UI: u16 = 0x03;
const XID: u16 = 0xaf;

const SAPS: &Tok = &[
    (0x00, "Null"),
    (0xff, "Global"),
    (0x02, "802.1B I"),
    (0x03, "802.1B G"),
    (0x06, "IP"),
    (0x04, "SNA"),
    (0x0e, "ProWay NM"),
    (0x42, "STP"),
    (0x4e, "RS511"),
    (0x7e, "ISO8208"),
    (0x8e, "ProWay"),
    (0xaa, "SNAP"),
    (0xe0, "IPX"),
    (0xf0, "NetBeui"),
    (0xfe, "OSI"),
];

const CMDS: &Tok = &[
    (0x03, "ui"),
    (0xe3, "test"),
    (0xaf, "xid"),
    (0x63, "ua"),
    (0x43, "disc"),
    (0x0f, "dm"),
    (0x6f, "sabme"),
    (0x87, "frmr"),
];

const FLAGS: &Tok = &[
    (0, "Command"),
    (1, "Response"),
    (0x10, "Poll"),
    (0x11, "Final"),
    (0x100, "Poll"),
    (0x101, "Final"),
];

const SUPERVISORY: &Tok = &[
    (0, "Receiver Ready"),
    (1, "Receiver not Ready"),
    (2, "Reject"),
];

const CISCO_PIDS: &Tok = &[
    (0x2000, "CDP"),
    (0x2003, "VTP"),
    (0x2004, "DTP"),
    (0x0111, "UDLD"),
    (0x010b, "PVST"),
    (0x010c, "VLAN Bridge"),
];

const BRIDGED_PIDS: &Tok = &[
    (0x0001, "Ethernet + FCS"),
    (0x0007, "Ethernet w/o FCS"),
    (0x0002, "802.4 + FCS"),
    (0x0008, "802.4 w/o FCS"),
    (0x0003, "Token Ring + FCS"),
    (0x0009, "Token Ring w/o FCS"),
    (0x0004, "FDDI + FCS"),
    (0x000a, "FDDI w/o FCS"),
    (0x0005, "802.6 + FCS"),
    (0x000b, "802.6 w/o FCS"),
    (0x000e, "BPDU"),
];

/// `Unknown` entries print the value the way tok2str's format says.
fn sap_name(sap: u8) -> &'static str {
    tok(SAPS, u32::from(sap)).unwrap_or("Unknown")
}

/// llc_print: the LLC header and what follows. Returns the header length,
/// negative when tcpdump does not know the payload (the caller dumps it).
pub(super) fn print(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
) -> Result<isize, Trunc> {
    let caplen = data.len();
    let b = Bytes::new(data, "llc");
    if caplen < 3 || length < 3 {
        mark(out, "llc");
        p.dump(out, data);
        return Ok(if caplen < 3 { caplen } else { length } as isize);
    }
    let dsap_field = b.u8(0)?;
    let ssap_field = b.u8(1)?;
    let mut control = u16::from(b.u8(2)?);
    let is_u = control & U_FMT == U_FMT;
    let hdrlen: usize = if is_u {
        3
    } else {
        if caplen < 4 || length < 4 {
            mark(out, "llc");
            p.dump(out, data);
            return Ok(if caplen < 4 { caplen } else { length } as isize);
        }
        control = b.le16(2)?;
        4
    };
    if ssap_field == SAP_GLOBAL && dsap_field == SAP_GLOBAL {
        if p.opts.link_header {
            out.push_str("IPX 802.3: ");
        }
        super::ipx::print(p, out, data)?;
        return Ok(0);
    }
    let dsap = dsap_field & !IG;
    let ssap = ssap_field & !GSAP;
    let e = p.opts.link_header;
    if e {
        let _ = write!(
            out,
            "LLC, dsap {} (0x{dsap:02x}) {}, ssap {} (0x{ssap:02x}) {}",
            sap_name(dsap),
            if dsap_field & IG != 0 {
                "Group"
            } else {
                "Individual"
            },
            sap_name(ssap),
            if ssap_field & GSAP != 0 {
                "Response"
            } else {
                "Command"
            },
        );
        if is_u {
            let _ = write!(out, ", ctrl 0x{control:02x}: ");
        } else {
            let _ = write!(out, ", ctrl 0x{control:04x}: ");
        }
    }
    let rest = &data[hdrlen..];
    let length = length - hdrlen;
    let hl = hdrlen as isize;
    if ssap == SAP_SNAP && dsap == SAP_SNAP && control == UI {
        return Ok(if snap(p, out, rest, length, 2)? {
            hl + 5
        } else {
            -(hl + 5)
        });
    }
    if ssap == SAP_8021D && dsap == SAP_8021D && control == UI {
        stp::print(p, out, rest, length)?;
        return Ok(hl);
    }
    if ssap == SAP_IP && dsap == SAP_IP && control == UI {
        super::ip::print_packet(p, out, rest, length)?;
        return Ok(hl);
    }
    if ssap == SAP_IPX && dsap == SAP_IPX && control == UI {
        if e {
            out.push_str("IPX 802.2: ");
        }
        super::ipx::print(p, out, rest)?;
        return Ok(hl);
    }
    if ssap == SAP_ISONS && dsap == SAP_ISONS && control == UI {
        super::osi::print(p, out, rest, length)?;
        return Ok(hl);
    }
    if !e {
        let unknown = |what: &str, sap: u8| match tok(SAPS, u32::from(sap)) {
            Some(n) => n.to_string(),
            None => format!("Unknown {what} 0x{sap:02x}"),
        };
        let addrs = p.lladdr.map(|(s, d)| {
            let n = p.opts.numeric;
            (mac_name(&s, n), mac_name(&d, n))
        });
        if ssap == dsap {
            match &addrs {
                None => {
                    let _ = write!(out, "{} ", unknown("DSAP", dsap));
                }
                Some((s, d)) => {
                    let _ = write!(out, "{s} > {d} {} ", unknown("DSAP", dsap));
                }
            }
        } else {
            match &addrs {
                None => {
                    let _ = write!(
                        out,
                        "{} > {} ",
                        unknown("SSAP", ssap),
                        unknown("DSAP", dsap)
                    );
                }
                Some((s, d)) => {
                    let _ = write!(
                        out,
                        "{s} {} > {d} {} ",
                        unknown("SSAP", ssap),
                        unknown("DSAP", dsap)
                    );
                }
            }
        }
    }
    let gsap = u16::from(ssap_field & GSAP);
    if is_u {
        let cmd = control & 0xef;
        let _ = write!(
            out,
            "Unnumbered, {}, Flags [{}], length {}",
            tok(CMDS, u32::from(cmd)).map_or_else(|| format!("{cmd:02x}"), str::to_string),
            tok(FLAGS, u32::from(gsap | (control & U_POLL))).unwrap_or("?"),
            length + hdrlen
        );
        if control & !U_POLL == XID {
            if length == 0 {
                return Ok(hl);
            }
            if rest.is_empty() {
                mark(out, "llc");
                return Ok(hl);
            }
            if b.u8(hdrlen)? == XID_FI {
                if rest.len() < 3 || length < 3 {
                    mark(out, "llc");
                    p.dump(out, rest);
                } else {
                    let _ = write!(out, ": {:02x} {:02x}", rest[1], rest[2]);
                }
                return Ok(hl);
            }
        }
    } else if control & S_FMT == S_FMT {
        let _ = write!(
            out,
            "Supervisory, {}, rcv seq {}, Flags [{}], length {}",
            tok(SUPERVISORY, u32::from((control >> 2) & 3)).unwrap_or("?"),
            (control >> 9) & 0x7f,
            tok(FLAGS, u32::from(gsap | (control & IS_POLL))).unwrap_or("?"),
            length + hdrlen
        );
        return Ok(hl);
    } else {
        let _ = write!(
            out,
            "Information, send seq {}, rcv seq {}, Flags [{}], length {}",
            (control >> 1) & 0x7f,
            (control >> 9) & 0x7f,
            tok(FLAGS, u32::from(gsap | (control & IS_POLL))).unwrap_or("?"),
            length + hdrlen
        );
    }
    Ok(-hl)
}

/// snap_print: the OUI and protocol id and what follows; `false` when
/// tcpdump does not know the payload.
pub(super) fn snap(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
    _bridge_pad: usize,
) -> Result<bool, Trunc> {
    let b = Bytes::new(data, "snap");
    if data.len() < 5 || length < 5 {
        mark(out, "snap");
        return Ok(true);
    }
    let orgcode = b.be24(0)?;
    let et = b.be16(3)?;
    let pid_name = |et: u16| -> String {
        let table: Option<&Tok> = match orgcode {
            oui::ENCAP_ETHER | oui::CISCO_90 | oui::APPLETALK => None,
            oui::CISCO => Some(CISCO_PIDS),
            oui::RFC2684 => Some(BRIDGED_PIDS),
            _ => Some(&[]),
        };
        match table {
            None => super::ether::ethertype_name(et).to_string(),
            Some(t) => tok_or(t, u32::from(et), "Unknown"),
        }
    };
    if p.opts.link_header {
        let _ = write!(
            out,
            "oui {} (0x{orgcode:06x}), {} {} (0x{et:04x}), length {}: ",
            oui::name(orgcode),
            if orgcode == 0 { "ethertype" } else { "pid" },
            pid_name(et),
            length - 5
        );
    }
    let rest = &data[5..];
    let length = length - 5;
    match orgcode {
        oui::ENCAP_ETHER | oui::CISCO_90 | oui::APPLETALK
            if (orgcode != oui::APPLETALK || et == 0x809b)
                && dispatch::ethertype_print(p, out, et, rest, length)? =>
        {
            return Ok(true);
        }
        oui::CISCO => match et {
            0x2000 => {
                super::cdp::print(p, out, rest, length)?;
                return Ok(true);
            }
            0x2004 => {
                super::cisco::dtp(p, out, rest, length)?;
                return Ok(true);
            }
            0x0111 => {
                super::cisco::udld(p, out, rest, length)?;
                return Ok(true);
            }
            0x2003 => {
                super::cisco::vtp(p, out, rest, length)?;
                return Ok(true);
            }
            0x010b | 0x010c => {
                stp::print(p, out, rest, length)?;
                return Ok(true);
            }
            _ => {}
        },
        oui::RFC2684 if et == 0x000e => {
            stp::print(p, out, rest, length)?;
            return Ok(true);
        }
        _ => {}
    }
    if !p.opts.link_header {
        if let Some((s, d)) = p.lladdr {
            let n = p.opts.numeric;
            let _ = write!(out, "{} > {} ", mac_name(&s, n), mac_name(&d, n));
        }
        if orgcode == 0 {
            let _ = write!(
                out,
                "SNAP, ethertype {} (0x{et:04x}), length {length}: ",
                super::ether::ethertype_name(et)
            );
        } else {
            let _ = write!(
                out,
                "SNAP, oui {} (0x{orgcode:06x}), pid {} (0x{et:04x}), length {length}: ",
                oui::name(orgcode),
                pid_name(et)
            );
        }
    }
    Ok(false)
}
