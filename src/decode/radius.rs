//! RADIUS (print-radius.c) on UDP 1645/1646/1812/1813/1700/3799:
//! `RADIUS, Access-Request (1), id: 0x2a length: 44`; with `-v` the
//! authenticator and one line per attribute, decoded by its type (strings,
//! numbers with their named values, addresses, IPv6 prefixes, times,
//! vendor-specific sub-attributes, EAP messages, location information,
//! ...), with `-vv` each attribute's hex dump too.
//!
//! As in tcpdump, an attribute printer that checks the captured length
//! first prints ` [|radius]` and the attribute loop goes on; a read past
//! the capture without a check ends the packet.

use super::dispatch::Segment;
use super::eapol;
use super::nd::{bittok, printjn, push_tok, tok, unknown_data, Tok};
use super::ntp;
use super::num::{push_ip4, push_ip6};
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed};
use core::fmt::Write;

/// How an attribute's value prints (the C table's print_func).
#[derive(Clone, Copy, PartialEq, Eq)]
enum P {
    None,
    Str,
    Num,
    Vendor,
    Addr,
    Addr6,
    Netmask6,
    Mip6Prefix,
    Operator,
    LocInfo,
    LocData,
    Blpr,
    Time,
    Vector64,
    Strange,
}

/// Name, standard values (indexed by value), the first standard value, printer.
type Attr = (&'static str, &'static [&'static str], u32, P);

const SERV_TYPE: &[&str] = &[
    "",
    "Login",
    "Framed",
    "Callback Login",
    "Callback Framed",
    "Outbound",
    "Administrative",
    "NAS Prompt",
    "Authenticate Only",
    "Callback NAS Prompt",
    "Call Check",
    "Callback Administrative",
    "Voice",
    "Fax",
    "Modem Relay",
    "IAPP-Register",
    "IAPP-AP-Check",
    "Authorize Only",
    "Framed-Management",
    "Additional-Authorization",
];
const FRM_PROTO: &[&str] = &[
    "",
    "PPP",
    "SLIP",
    "ARAP",
    "Gandalf proprietary",
    "Xylogics IPX/SLIP",
    "X.75 Synchronous",
    "GPRS PDP Context",
];
const FRM_ROUTING: &[&str] = &["None", "Send", "Listen", "Send&Listen"];
const FRM_COMP: &[&str] = &["None", "VJ TCP/IP", "IPX", "Stac-LZS"];
const LOGIN_SERV: &[&str] = &[
    "Telnet",
    "Rlogin",
    "TCP Clear",
    "PortMaster(proprietary)",
    "LAT",
    "X.25-PAD",
    "X.25-T3POS",
    "Unassigned",
    "TCP Clear Quiet",
];
const TERM_ACTION: &[&str] = &["Default", "RADIUS-Request"];
const INGRESS_FILTERS: &[&str] = &["", "Enabled", "Disabled"];
const NAS_PORT_TYPE: &[&str] = &[
    "Async",
    "Sync",
    "ISDN Sync",
    "ISDN Async V.120",
    "ISDN Async V.110",
    "Virtual",
    "PIAFS",
    "HDLC Clear Channel",
    "X.25",
    "X.75",
    "G.3 Fax",
    "SDSL",
    "ADSL-CAP",
    "ADSL-DMT",
    "ISDN-DSL",
    "Ethernet",
    "xDSL",
    "Cable",
    "Wireless - Other",
    "Wireless - IEEE 802.11",
    "Token-Ring",
    "FDDI",
    "Wireless - CDMA200",
    "Wireless - UMTS",
    "Wireless - 1X-EV",
    "IAPP",
    "FTTP",
    "Wireless - IEEE 802.16",
    "Wireless - IEEE 802.20",
    "Wireless - IEEE 802.22",
    "PPPoA",
    "PPPoEoA",
    "PPPoEoE",
    "PPPoEoVLAN",
    "PPPoEoQinQ",
    "xPON",
    "Wireless - XGP",
    "WiMAX Pre-Release 8 IWK Function",
    "WIMAX-WIFI-IWK",
    "WIMAX-SFF",
    "WIMAX-HA-LMA",
    "WIMAX-DHCP",
    "WIMAX-LBS",
    "WIMAX-WVS",
];
const ACCT_STATUS: &[&str] = &[
    "",
    "Start",
    "Stop",
    "Interim-Update",
    "Unassigned",
    "Unassigned",
    "Unassigned",
    "Accounting-On",
    "Accounting-Off",
    "Tunnel-Start",
    "Tunnel-Stop",
    "Tunnel-Reject",
    "Tunnel-Link-Start",
    "Tunnel-Link-Stop",
    "Tunnel-Link-Reject",
    "Failed",
];
const ACCT_AUTH: &[&str] = &["", "RADIUS", "Local", "Remote", "Diameter"];
const ACCT_TERM: &[&str] = &[
    "",
    "User Request",
    "Lost Carrier",
    "Lost Service",
    "Idle Timeout",
    "Session Timeout",
    "Admin Reset",
    "Admin Reboot",
    "Port Error",
    "NAS Error",
    "NAS Request",
    "NAS Reboot",
    "Port Unneeded",
    "Port Preempted",
    "Port Suspended",
    "Service Unavailable",
    "Callback",
    "User Error",
    "Host Request",
    "Supplicant Restart",
    "Reauthentication Failure",
    "Port Reinitialized",
    "Port Administratively Disabled",
    "Lost Power",
];
const TUNNEL_TYPE: &[&str] = &[
    "",
    "PPTP",
    "L2F",
    "L2TP",
    "ATMP",
    "VTP",
    "AH",
    "IP-IP",
    "MIN-IP-IP",
    "ESP",
    "GRE",
    "DVS",
    "IP-in-IP Tunneling",
    "VLAN",
];
const TUNNEL_MEDIUM: &[&str] = &[
    "",
    "IPv4",
    "IPv6",
    "NSAP",
    "HDLC",
    "BBN 1822",
    "802",
    "E.163",
    "E.164",
    "F.69",
    "X.121",
    "IPX",
    "Appletalk",
    "Decnet IV",
    "Banyan Vines",
    "E.164 with NSAP subaddress",
];
const ARAP_ZONE: &[&str] = &[
    "",
    "Only access to dfl zone",
    "Use zone filter inc.",
    "Not used",
    "Use zone filter exc.",
];
const PROMPT: &[&str] = &["No Echo", "Echo"];
const RADIUS_COMMAND_VALUES: &Tok = &[
    (1, "Access-Request"),
    (2, "Access-Accept"),
    (3, "Access-Reject"),
    (4, "Accounting-Request"),
    (5, "Accounting-Response"),
    (11, "Access-Challenge"),
    (12, "Status-Server"),
    (13, "Status-Client"),
    (40, "Disconnect-Request"),
    (41, "Disconnect-ACK"),
    (42, "Disconnect-NAK"),
    (43, "CoA-Request"),
    (44, "CoA-ACK"),
    (45, "CoA-NAK"),
    (255, "Reserved"),
];
const RFC4675_TAGGED: &Tok = &[(49, "Tagged"), (50, "Untagged")];
const ERRORCAUSETYPE: &Tok = &[
    (201, "Residual Session Context Removed"),
    (202, "Invalid EAP Packet (Ignored)"),
    (401, "Unsupported Attribute"),
    (402, "Missing Attribute"),
    (403, "NAS Identification Mismatch"),
    (404, "Invalid Request"),
    (405, "Unsupported Service"),
    (406, "Unsupported Extension"),
    (407, "Invalid Attribute Value"),
    (501, "Administratively Prohibited"),
    (502, "Request Not Routable (Proxy)"),
    (503, "Session Context Not Found"),
    (504, "Session Context Not Removable"),
    (505, "Other Proxy Processing Error"),
    (506, "Resources Unavailable"),
    (507, "Request Initiated"),
    (508, "Multiple Session Selection Unsupported"),
    (509, "Location Info Required"),
];
const OPERATOR_NAME_VECTOR: &Tok = &[(48, "TADIG"), (49, "REALM"), (50, "E212"), (51, "ICC")];
const LOCATION_INFORMATION_CODE_VECTOR: &Tok = &[(0, "Civic"), (1, "Geospatial")];
const LOCATION_INFORMATION_ENTITY_VECTOR: &Tok = &[(0, "User"), (1, "RADIUS")];
const BLPR_BM: &Tok = &[
    (1, "MBZ-15"),
    (2, "MBZ-14"),
    (4, "MBZ-13"),
    (8, "MBZ-12"),
    (16, "MBZ-11"),
    (32, "MBZ-10"),
    (64, "MBZ-9"),
    (128, "MBZ-8"),
    (256, "MBZ-7"),
    (512, "MBZ-6"),
    (1024, "MBZ-5"),
    (2048, "MBZ-4"),
    (4096, "MBZ-3"),
    (8192, "MBZ-2"),
    (16384, "MBZ-1"),
    (32768, "Retransmission Allowed"),
];
const SMI_VALUES: &Tok = &[
    (0, "IETF (reserved)"),
    (5, "ACC"),
    (9, "Cisco"),
    (11, "Hewlett Packard"),
    (42, "Sun Microsystems"),
    (61, "Merit"),
    (74, "AT&T"),
    (161, "Motorola"),
    (166, "Shiva"),
    (193, "Ericsson AB"),
    (255, "Cisco VPN 5000"),
    (307, "Livingston"),
    (311, "Microsoft"),
    (429, "3Com"),
    (529, "Ascend"),
    (1584, "Bay Networks"),
    (1991, "Foundry"),
    (2180, "Versanet"),
    (2352, "Redback"),
    (2636, "Juniper Networks"),
    (2637, "Aptis"),
    (2937, "Deutsche Telekom AG"),
    (3054, "Ixia Communications"),
    (3076, "Cisco VPN 3000"),
    (3085, "CoSine Communications"),
    (3224, "Netscreen"),
    (3199, "Shasta"),
    (3309, "Nomadix"),
    (3414, "T-Mobile"),
    (3561, "The Broadband Forum"),
    (3902, "ZTE"),
    (4329, "Siemens"),
    (4491, "CableLabs"),
    (4874, "Unisphere Networks"),
    (5263, "Cisco BBSM"),
    (5535, "3rd Generation Partnership Project 2 (3GPP2)"),
    (5806, "SK Telecom"),
    (5925, "ipUnplugged"),
    (5948, "Issanni Communications"),
    (5951, "Netscaler"),
    (6490, "T-Mobile"),
    (6618, "Quintum"),
    (6728, "Interlink"),
    (7951, "CNCTC"),
    (8164, "Starent Networks"),
    (8744, "Colubris"),
    (10415, "3GPP"),
    (10529, "Gemtek-Systems"),
    (10704, "Barracuda Networks"),
    (10923, "Ericsson AB - Packet Core Networks"),
    (11665, "dacom"),
    (11862, "Columbia University"),
    (12356, "Fortinet"),
    (12951, "Verizon Wireless"),
    (13745, "Plixer"),
    (14122, "Wi-Fi Alliance"),
    (16787, "T-Systems Nova"),
    (20942, "China Telecom - Guangzhou Research Institute"),
    (26866, "Gigamon Systems"),
    (32622, "CACE Technologies"),
    (35632, "ntop"),
    (46098, "Ericsson Canada"),
];
const MIP6_FEATURES: &[(u64, &str)] = &[
    (0x0000000000000001, "MIP6_INTEGRATED"),
    (0x0000000000000002, "LOCAL_HOME_AGENT_ASSIGNMENT"),
    (0x0000010000000000, "PMIP6_SUPPORTED"),
    (0x0000020000000000, "IP4_HOA_SUPPORTED"),
    (0x0000040000000000, "LOCAL_MAG_ROUTING_SUPPORTED"),
    (0x0000080000000000, "ASSIGN_LOCAL_IP"),
    (0x0000100000000000, "MIP4_SUPPORTED"),
    (0x0000200000000000, "OPTIMIZED_IDLE_MODE_MOBILITY"),
    (0x0000400000000000, "GTPv2_SUPPORTED"),
    (0x0000800000000000, "IP4_TRANSPORT_SUPPORTED"),
    (0x0001000000000000, "IP4_HOA_ONLY_SUPPORTED"),
    (0x0002000000000000, "INTER_MAG_ROUTING_SUPPORTED"),
];
const ATTRS: &[Attr] = &[
    ("", &[], 0, P::None),
    ("User-Name", &[], 0, P::Str),
    ("User-Password", &[], 0, P::None),
    ("CHAP-Password", &[], 0, P::None),
    ("NAS-IP-Address", &[], 0, P::Addr),
    ("NAS-Port", &[], 0, P::Num),
    ("Service-Type", SERV_TYPE, 1, P::Num),
    ("Framed-Protocol", FRM_PROTO, 1, P::Num),
    ("Framed-IP-Address", &[], 0, P::Addr),
    ("Framed-IP-Netmask", &[], 0, P::Addr),
    ("Framed-Routing", FRM_ROUTING, 0, P::Num),
    ("Filter-Id", &[], 0, P::Str),
    ("Framed-MTU", &[], 0, P::Num),
    ("Framed-Compression", FRM_COMP, 0, P::Num),
    ("Login-IP-Host", &[], 0, P::Addr),
    ("Login-Service", LOGIN_SERV, 0, P::Num),
    ("Login-TCP-Port", &[], 0, P::Num),
    ("Unassigned", &[], 0, P::None),
    ("Reply-Message", &[], 0, P::Str),
    ("Callback-Number", &[], 0, P::Str),
    ("Callback-Id", &[], 0, P::Str),
    ("Unassigned", &[], 0, P::None),
    ("Framed-Route", &[], 0, P::Str),
    ("Framed-IPX-Network", &[], 0, P::Num),
    ("State", &[], 0, P::Str),
    ("Class", &[], 0, P::Str),
    ("Vendor-Specific", &[], 0, P::Vendor),
    ("Session-Timeout", &[], 0, P::Num),
    ("Idle-Timeout", &[], 0, P::Num),
    ("Termination-Action", TERM_ACTION, 0, P::Num),
    ("Called-Station-Id", &[], 0, P::Str),
    ("Calling-Station-Id", &[], 0, P::Str),
    ("NAS-Identifier", &[], 0, P::Str),
    ("Proxy-State", &[], 0, P::Str),
    ("Login-LAT-Service", &[], 0, P::Str),
    ("Login-LAT-Node", &[], 0, P::Str),
    ("Login-LAT-Group", &[], 0, P::Str),
    ("Framed-AppleTalk-Link", &[], 0, P::Num),
    ("Framed-AppleTalk-Network", &[], 0, P::Num),
    ("Framed-AppleTalk-Zone", &[], 0, P::Str),
    ("Acct-Status-Type", ACCT_STATUS, 1, P::Num),
    ("Acct-Delay-Time", &[], 0, P::Num),
    ("Acct-Input-Octets", &[], 0, P::Num),
    ("Acct-Output-Octets", &[], 0, P::Num),
    ("Acct-Session-Id", &[], 0, P::Str),
    ("Acct-Authentic", ACCT_AUTH, 1, P::Num),
    ("Acct-Session-Time", &[], 0, P::Num),
    ("Acct-Input-Packets", &[], 0, P::Num),
    ("Acct-Output-Packets", &[], 0, P::Num),
    ("Acct-Terminate-Cause", ACCT_TERM, 1, P::Num),
    ("Acct-Multi-Session-Id", &[], 0, P::Str),
    ("Acct-Link-Count", &[], 0, P::Num),
    ("Acct-Input-Gigawords", &[], 0, P::Num),
    ("Acct-Output-Gigawords", &[], 0, P::Num),
    ("Unassigned", &[], 0, P::None),
    ("Event-Timestamp", &[], 0, P::Time),
    ("Egress-VLANID", &[], 0, P::Num),
    ("Ingress-Filters", INGRESS_FILTERS, 1, P::Num),
    ("Egress-VLAN-Name", &[], 0, P::Str),
    ("User-Priority-Table", &[], 0, P::None),
    ("CHAP-Challenge", &[], 0, P::Str),
    ("NAS-Port-Type", NAS_PORT_TYPE, 0, P::Num),
    ("Port-Limit", &[], 0, P::Num),
    ("Login-LAT-Port", &[], 0, P::Str),
    ("Tunnel-Type", TUNNEL_TYPE, 1, P::Num),
    ("Tunnel-Medium-Type", TUNNEL_MEDIUM, 1, P::Num),
    ("Tunnel-Client-Endpoint", &[], 0, P::Str),
    ("Tunnel-Server-Endpoint", &[], 0, P::Str),
    ("Acct-Tunnel-Connection", &[], 0, P::Str),
    ("Tunnel-Password", &[], 0, P::Str),
    ("ARAP-Password", &[], 0, P::Strange),
    ("ARAP-Features", &[], 0, P::Strange),
    ("ARAP-Zone-Access", ARAP_ZONE, 1, P::Num),
    ("ARAP-Security", &[], 0, P::Str),
    ("ARAP-Security-Data", &[], 0, P::Str),
    ("Password-Retry", &[], 0, P::Num),
    ("Prompt", PROMPT, 0, P::Num),
    ("Connect-Info", &[], 0, P::Str),
    ("Configuration-Token", &[], 0, P::Str),
    ("EAP-Message", &[], 0, P::Str),
    ("Message-Authenticator", &[], 0, P::Str),
    ("Tunnel-Private-Group-ID", &[], 0, P::Str),
    ("Tunnel-Assignment-ID", &[], 0, P::Str),
    ("Tunnel-Preference", &[], 0, P::Num),
    ("ARAP-Challenge-Response", &[], 0, P::Strange),
    ("Acct-Interim-Interval", &[], 0, P::Num),
    ("Acct-Tunnel-Packets-Lost", &[], 0, P::Num),
    ("NAS-Port-Id", &[], 0, P::Str),
    ("Framed-Pool", &[], 0, P::Str),
    ("CUI", &[], 0, P::Str),
    ("Tunnel-Client-Auth-ID", &[], 0, P::Str),
    ("Tunnel-Server-Auth-ID", &[], 0, P::Str),
    ("NAS-Filter-Rule", &[], 0, P::Str),
    ("Unassigned", &[], 0, P::None),
    ("Originating-Line-Info", &[], 0, P::None),
    ("NAS-IPv6-Address", &[], 0, P::Addr6),
    ("Framed-Interface-ID", &[], 0, P::None),
    ("Framed-IPv6-Prefix", &[], 0, P::Netmask6),
    ("Login-IPv6-Host", &[], 0, P::Addr6),
    ("Framed-IPv6-Route", &[], 0, P::Str),
    ("Framed-IPv6-Pool", &[], 0, P::Str),
    ("Error-Cause", &[], 0, P::Strange),
    ("EAP-Key-Name", &[], 0, P::None),
    ("Digest-Response", &[], 0, P::Str),
    ("Digest-Realm", &[], 0, P::Str),
    ("Digest-Nonce", &[], 0, P::Str),
    ("Digest-Response-Auth", &[], 0, P::Str),
    ("Digest-Nextnonce", &[], 0, P::Str),
    ("Digest-Method", &[], 0, P::Str),
    ("Digest-URI", &[], 0, P::Str),
    ("Digest-Qop", &[], 0, P::Str),
    ("Digest-Algorithm", &[], 0, P::Str),
    ("Digest-Entity-Body-Hash", &[], 0, P::Str),
    ("Digest-CNonce", &[], 0, P::Str),
    ("Digest-Nonce-Count", &[], 0, P::Str),
    ("Digest-Username", &[], 0, P::Str),
    ("Digest-Opaque", &[], 0, P::Str),
    ("Digest-Auth-Param", &[], 0, P::Str),
    ("Digest-AKA-Auts", &[], 0, P::Str),
    ("Digest-Domain", &[], 0, P::Str),
    ("Digest-Stale", &[], 0, P::Str),
    ("Digest-HA1", &[], 0, P::Str),
    ("SIP-AOR", &[], 0, P::Str),
    ("Delegated-IPv6-Prefix", &[], 0, P::Netmask6),
    ("MIP6-Feature-Vector", &[], 0, P::Vector64),
    ("MIP6-Home-Link-Prefix", &[], 0, P::Mip6Prefix),
    ("Operator-Name", &[], 0, P::Operator),
    ("Location-Information", &[], 0, P::LocInfo),
    ("Location-Data", &[], 0, P::LocData),
    ("Basic-Location-Policy-Rules", &[], 0, P::Blpr),
];

const TUNNEL_CLIENT_END: u8 = 66;
const TUNNEL_SERVER_END: u8 = 67;
const TUNNEL_PASS: u8 = 69;
const TUNNEL_PRIV_GROUP: u8 = 81;
const TUNNEL_ASSIGN_ID: u8 = 82;
const TUNNEL_CLIENT_AUTH: u8 = 90;
const TUNNEL_SERVER_AUTH: u8 = 91;
const EGRESS_VLAN_NAME: u8 = 58;
const EAP_MESSAGE: u8 = 79;

/// radius_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "radius");
    if !b.has(0, 20) {
        mark(out, "radius");
        return Ok(());
    }
    let mut len = usize::from(b.be16(2)?);
    if len < 20 {
        mark(out, "radius");
        return Ok(());
    }
    len = len.min(seg.len);
    let code = b.u8(0)?;
    let name = tok(RADIUS_COMMAND_VALUES, u32::from(code)).unwrap_or("Unknown Command");
    let id = b.u8(1)?;
    if p.opts.verbose < 1 {
        let _ = write!(out, "RADIUS, {name} ({code}), id: 0x{id:02x} length: {len}");
        return Ok(());
    }
    let _ = write!(
        out,
        "RADIUS, length: {len}\n\t{name} ({code}), id: 0x{id:02x}, Authenticator: "
    );
    for x in b.take(4, 16)? {
        let _ = write!(out, "{x:02x}");
    }
    if len > 20 {
        attrs(p, out, &b, 20, len - 20)?;
    }
    Ok(())
}

/// radius_attrs_print: `\n\t  Name Attribute (T), length: L, Value: ...`.
fn attrs(
    p: &mut Printer,
    out: &mut String,
    b: &Bytes<'_>,
    mut at: usize,
    mut length: usize,
) -> Printed {
    while length > 0 {
        if length < 2 || !b.has(at, 2) {
            mark(out, "radius");
            return Ok(());
        }
        let ty = b.u8(at)?;
        let len = usize::from(b.u8(at + 1)?);
        let attr = ATTRS.get(usize::from(ty));
        let name = match attr {
            Some(a) if ty != 0 => a.0,
            _ => "Unknown",
        };
        let _ = write!(out, "\n\t  {name} Attribute ({ty}), length: {len}");
        if len < 2 {
            out.push_str(" (bogus, must be >= 2)");
            return Ok(());
        }
        if len > length {
            out.push_str(" (bogus, goes past end of packet)");
            return Ok(());
        }
        out.push_str(", Value: ");
        if let Some(a) = attr {
            if len > 2 {
                value(p, out, b, at + 2, len - 2, ty, a)?;
            }
        }
        if p.opts.verbose > 1 {
            unknown_data(out, b, at + 2, "\n\t    ", len - 2);
        }
        length -= len;
        at += len;
    }
    Ok(())
}

/// One attribute's value, `length` bytes at `at`.
fn value(
    p: &mut Printer,
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    length: usize,
    ty: u8,
    a: &Attr,
) -> Printed {
    // The printers that check the captured length first (ND_TCHECK_LEN).
    let checks_first = match a.3 {
        P::Str | P::Operator | P::LocInfo | P::LocData | P::Blpr => true,
        P::Netmask6 => (2..=18).contains(&length),
        P::Mip6Prefix => length == 17,
        _ => false,
    };
    if checks_first && !b.has(at, length) {
        mark(out, "radius");
        return Ok(());
    }
    match a.3 {
        P::None => {}
        P::Str => string(out, b, at, length, ty)?,
        P::Num => num(out, b, at, length, ty, a)?,
        P::Vendor => vendor(out, b, at, length)?,
        P::Addr => {
            if length != 4 {
                let _ = write!(out, "ERROR: length {length} != 4");
                return Ok(());
            }
            let v = b.be32(at)?;
            if matches!(ty, 8 | 14) && v == 0xffff_ffff {
                out.push_str("User Selected");
            } else if matches!(ty, 8 | 14) && v == 0xffff_fffe {
                out.push_str("NAS Select");
            } else {
                push_ip4(out, v.to_be_bytes());
            }
        }
        P::Addr6 => {
            if length != 16 {
                let _ = write!(out, "ERROR: length {length} != 16");
                return Ok(());
            }
            push_ip6(out, ip6(b.take(at, 16)?));
        }
        P::Netmask6 => {
            if !(2..=18).contains(&length) {
                let _ = write!(out, "ERROR: length {length} not in range (2..18)");
                return Ok(());
            }
            let plen = b.u8(at + 1)?;
            if plen > 128 {
                let _ = write!(out, "ERROR: netmask {plen} not in range (0..128)");
                return Ok(());
            }
            push_ip6(out, ip6(b.take(at + 2, length - 2)?));
            let _ = write!(out, "/{plen}");
            if usize::from(plen) > 8 * (length - 2) {
                out.push_str(" (inconsistent prefix length)");
            }
        }
        P::Mip6Prefix => {
            if length != 17 {
                let _ = write!(out, "ERROR: length {length} != 17");
                return Ok(());
            }
            let plen = b.u8(at)?;
            if plen > 128 {
                let _ = write!(out, "ERROR: netmask {plen} not in range (0..128)");
                return Ok(());
            }
            push_ip6(out, ip6(b.take(at + 1, 16)?));
            let _ = write!(out, "/{plen}");
        }
        P::Operator => {
            if length < 2 {
                let _ = write!(out, "ERROR: length {length} < 2");
                return Ok(());
            }
            out.push('[');
            push_tok(
                out,
                OPERATOR_NAME_VECTOR,
                u32::from(b.u8(at)?),
                "unknown namespace {}",
            );
            out.push_str("] ");
            printjn(out, b, at + 1, length - 1)?;
        }
        P::LocInfo => {
            if length < 21 {
                let _ = write!(out, "ERROR: length {length} < 21");
                return Ok(());
            }
            let _ = write!(out, "index {}, code ", b.be16(at)?);
            let (code, entity) = (b.u8(at + 2)?, b.u8(at + 3)?);
            push_tok(
                out,
                LOCATION_INFORMATION_CODE_VECTOR,
                u32::from(code),
                "Unknown ({})",
            );
            out.push_str(", entity ");
            push_tok(
                out,
                LOCATION_INFORMATION_ENTITY_VECTOR,
                u32::from(entity),
                "Unknown ({})",
            );
            out.push_str(", sighting time ");
            ntp::ntp_time(out, b.be32(at + 4)?, b.be32(at + 8)?);
            out.push_str(", time to live ");
            ntp::ntp_time(out, b.be32(at + 12)?, b.be32(at + 16)?);
            out.push_str(", method \"");
            printjn(out, b, at + 20, length - 20)?;
            out.push('"');
        }
        P::LocData => {
            if length < 3 {
                let _ = write!(out, "ERROR: length {length} < 3");
                return Ok(());
            }
            let _ = write!(out, "index {}, location", b.be16(at)?);
            super::hex::hex_ascii_with(out, "\n\t    ", b.take(at + 2, length - 2)?);
        }
        P::Blpr => {
            if length < 10 {
                let _ = write!(out, "ERROR: length {length} < 10");
                return Ok(());
            }
            out.push_str("flags [");
            bittok(out, BLPR_BM, "none", u32::from(b.be16(at)?), ", ");
            out.push_str("], retention expires ");
            ntp::ntp_time(out, b.be32(at + 2)?, b.be32(at + 6)?);
            if length > 10 {
                out.push_str(", note well \"");
                printjn(out, b, at + 10, length - 10)?;
                out.push('"');
            }
        }
        P::Time => {
            if length != 4 {
                let _ = write!(out, "ERROR: length {length} != 4");
                return Ok(());
            }
            ctime(p, out, b.be32(at)?);
        }
        P::Vector64 => {
            if length != 8 {
                let _ = write!(out, "ERROR: length {length} != 8");
                return Ok(());
            }
            out.push('[');
            let v = b.be64(at)?;
            let mut sep = "";
            for (bit, name) in MIP6_FEATURES {
                if v & bit != 0 {
                    let _ = write!(out, "{sep}{name}");
                    sep = ", ";
                }
            }
            out.push(']');
        }
        P::Strange => strange(out, b, at, length, ty)?,
    }
    Ok(())
}

/// The 16 bytes of an IPv6 address, zero-filled after a short prefix.
fn ip6(bytes: &[u8]) -> [u8; 16] {
    let mut a = [0u8; 16];
    for (d, s) in a.iter_mut().zip(bytes) {
        *d = *s;
    }
    a
}

/// `Tag[N] ` (1..=31) or `Tag[Unused] `.
fn tag(out: &mut String, t: u8) {
    if t != 0 && t <= 0x1f {
        let _ = write!(out, "Tag[{t}] ");
    } else {
        out.push_str("Tag[Unused] ");
    }
}

/// print_attr_string (the length was checked).
fn string(out: &mut String, b: &Bytes<'_>, mut at: usize, mut length: usize, ty: u8) -> Printed {
    match ty {
        TUNNEL_PASS => {
            if length < 3 {
                mark(out, "radius");
                return Ok(());
            }
            tag(out, b.u8(at)?);
            let _ = write!(out, "Salt {} ", b.be16(at + 1)?);
            at += 3;
            length -= 3;
        }
        TUNNEL_CLIENT_END | TUNNEL_SERVER_END | TUNNEL_PRIV_GROUP | TUNNEL_ASSIGN_ID
        | TUNNEL_CLIENT_AUTH | TUNNEL_SERVER_AUTH => {
            let t = b.u8(at)?;
            if t <= 0x1f {
                tag(out, t);
                at += 1;
                length -= 1;
            }
        }
        EGRESS_VLAN_NAME => {
            let t = b.u8(at)?;
            push_tok(out, RFC4675_TAGGED, u32::from(t), "Unknown tag");
            let _ = write!(out, " (0x{t:02x}) ");
            at += 1;
            length -= 1;
        }
        EAP_MESSAGE => return eapol::eap(out, &b.from(at), length),
        _ => {}
    }
    for i in 0..length {
        let c = b.u8(at + i)?;
        if c == 0 {
            break;
        }
        out.push(if (0x20..0x7f).contains(&c) {
            char::from(c)
        } else {
            '.'
        });
    }
    Ok(())
}

/// print_vendor_attr: the vendor and its sub-attributes as text.
fn vendor(out: &mut String, b: &Bytes<'_>, mut at: usize, mut length: usize) -> Printed {
    if length < 4 {
        mark(out, "radius");
        return Ok(());
    }
    let id = b.be32(at)?;
    at += 4;
    length -= 4;
    let _ = write!(
        out,
        "Vendor: {} ({id})",
        tok(SMI_VALUES, id).unwrap_or("Unknown")
    );
    while length >= 2 {
        let ty = b.u8(at)?;
        let len = usize::from(b.u8(at + 1)?);
        if len < 2 {
            let _ = write!(
                out,
                "\n\t    Vendor Attribute: {ty}, Length: {len} (bogus, must be >= 2)"
            );
            return Ok(());
        }
        if len > length {
            let _ = write!(
                out,
                "\n\t    Vendor Attribute: {ty}, Length: {len} (bogus, goes past end of vendor-specific attribute)"
            );
            return Ok(());
        }
        at += 2;
        length -= 2;
        let vlen = len - 2;
        if !b.has(at, vlen) {
            mark(out, "radius");
            return Ok(());
        }
        let _ = write!(
            out,
            "\n\t    Vendor Attribute: {ty}, Length: {vlen}, Value: "
        );
        for &c in b.take(at, vlen)? {
            out.push(if (0x20..0x7f).contains(&c) {
                char::from(c)
            } else {
                '.'
            });
        }
        at += vlen;
        length -= vlen;
    }
    Ok(())
}

/// print_attr_num.
fn num(out: &mut String, b: &Bytes<'_>, at: usize, length: usize, ty: u8, a: &Attr) -> Printed {
    if length != 4 {
        let _ = write!(out, "ERROR: length {length} != 4");
        return Ok(());
    }
    let (_, values, first, _) = *a;
    if !values.is_empty() {
        let v = if ty == 64 || ty == 65 {
            tag_byte(out, b.u8(at)?);
            b.be24(at + 1)?
        } else {
            b.be32(at)?
        };
        match values.get(v as usize) {
            Some(name) if v >= first => out.push_str(name),
            _ => {
                let _ = write!(out, "#{v}");
            }
        }
        return Ok(());
    }
    let v = if matches!(ty, 56 | 83) {
        0
    } else {
        b.be32(at)?
    };
    match ty {
        23 if v == 0xffff_fffe => out.push_str("NAS Select"),
        27 | 28 | 41 | 46 | 85 => {
            if v < 60 {
                let _ = write!(out, "{v:02} secs");
            } else if v < 3600 {
                let _ = write!(out, "{:02}:{:02} min", v / 60, v % 60);
            } else {
                let _ = write!(
                    out,
                    "{:02}:{:02}:{:02} hours",
                    v / 3600,
                    v % 3600 / 60,
                    v % 60
                );
            }
        }
        37 if v == 0 => out.push_str("Unnumbered"),
        38 if v == 0 => out.push_str("NAS assigned"),
        83 => {
            tag_byte(out, b.u8(at)?);
            let _ = write!(out, "{}", b.be24(at + 1)?);
        }
        56 => {
            let t = b.u8(at)?;
            push_tok(out, RFC4675_TAGGED, u32::from(t), "Unknown tag");
            let _ = write!(out, " (0x{t:02x}) ");
            let _ = write!(out, "{}", b.be24(at + 1)?);
        }
        _ => {
            let _ = write!(out, "{v}");
        }
    }
    Ok(())
}

/// `Tag[N] ` for any non-zero byte (print_attr_num's form), else `Tag[Unused] `.
fn tag_byte(out: &mut String, t: u8) {
    if t != 0 {
        let _ = write!(out, "Tag[{t}] ");
    } else {
        out.push_str("Tag[Unused] ");
    }
}

/// `n` bytes from `at` as upper-case hex (PRINT_HEX).
fn hex_upper(out: &mut String, b: &Bytes<'_>, at: usize, n: usize) -> Printed {
    for k in 0..n {
        let _ = write!(out, "{:02X}", b.u8(at + k)?);
    }
    Ok(())
}

/// print_attr_strange: ARAP password, features and challenge; Error-Cause.
fn strange(out: &mut String, b: &Bytes<'_>, at: usize, length: usize, ty: u8) -> Printed {
    match ty {
        70 => {
            if length != 16 {
                let _ = write!(out, "ERROR: length {length} != 16");
                return Ok(());
            }
            out.push_str("User_challenge (");
            hex_upper(out, b, at, 8)?;
            out.push_str(") User_resp(");
            hex_upper(out, b, at + 8, 8)?;
            out.push(')');
        }
        71 => {
            if length != 14 {
                let _ = write!(out, "ERROR: length {length} != 14");
                return Ok(());
            }
            out.push_str(if b.u8(at)? != 0 {
                "User can change password"
            } else {
                "User cannot change password"
            });
            let _ = write!(
                out,
                ", Min password length: {}, created at: ",
                b.u8(at + 1)?
            );
            hex_upper(out, b, at + 2, 4)?;
            out.push_str(", expires in: ");
            hex_upper(out, b, at + 6, 4)?;
            out.push_str(", Current Time: ");
            hex_upper(out, b, at + 10, 4)?;
        }
        84 => {
            if length < 8 {
                let _ = write!(out, "ERROR: length {length} != 8");
                return Ok(());
            }
            hex_upper(out, b, at, 8)?;
        }
        101 => {
            if length != 4 {
                let _ = write!(out, "Error: length {length} != 4");
                return Ok(());
            }
            let v = b.be32(at)?;
            let _ = write!(out, "Error cause {v}: ");
            push_tok(out, ERRORCAUSETYPE, v, "Error-Cause {} not known");
        }
        _ => {}
    }
    Ok(())
}

/// ctime(3) without the newline: `Thu Jan  1 00:00:00 1970` in local time.
fn ctime(p: &mut Printer, out: &mut String, secs: u32) {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let off = p
        .hooks
        .offset
        .as_mut()
        .map_or(0, |o| o.offset(i64::from(secs)));
    let t = i64::from(secs) + i64::from(off);
    let days = t.div_euclid(86_400);
    let s = t.rem_euclid(86_400);
    let (y, m, d) = ntp::civil(days);
    let _ = write!(
        out,
        "{} {} {d:2} {:02}:{:02}:{:02} {y}",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS.get(m as usize - 1).unwrap_or(&""),
        s / 3600,
        s / 60 % 60,
        s % 60
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_and_value_tables() {
        let b = Bytes::new(
            b"\x00\x00\x0e\x10\x00\x00\x00\x02\x00\x00\x00\x30",
            "radius",
        );
        let attr = |t: usize| &ATTRS[t];
        let mut out = String::new();
        num(&mut out, &b, 0, 4, 27, attr(27)).unwrap();
        out.push('|');
        num(&mut out, &b, 4, 4, 6, attr(6)).unwrap();
        out.push('|');
        num(&mut out, &b, 8, 4, 6, attr(6)).unwrap();
        out.push('|');
        num(&mut out, &b, 0, 3, 6, attr(6)).unwrap();
        assert_eq!(out, "01:00:00 hours|Framed|#48|ERROR: length 3 != 4");
        // A value read past the capture is the packet's end (a longjmp).
        let short = Bytes::new(b"\x00\x00", "radius");
        assert!(num(&mut String::new(), &short, 0, 4, 5, attr(5)).is_err());
    }
}
