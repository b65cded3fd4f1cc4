//! The names print-domain.c gives record types, classes, EDNS options,
//! DNSSEC algorithms, opcodes and response codes.

use crate::decode::num::push_num;
use core::fmt::Write;

/// tcpdump's names of resource record types 1 to 48 (`ns_type2str`).
const TYPES: [&str; 48] = [
    "A", "NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR", "NULL", "WKS", "PTR", "HINFO",
    "MINFO", "MX", "TXT", "RP", "AFSDB", "X25", "ISDN", "RT", "NSAP", "NSAP_PTR", "SIG", "KEY",
    "PX", "GPOS", "AAAA", "LOC", "NXT", "EID", "NIMLOC", "SRV", "ATMA", "NAPTR", "KX", "CERT",
    "A6", "DNAME", "SINK", "OPT", "APL", "DS", "SSHFP", "IPSECKEY", "RRSIG", "NSEC", "DNSKEY",
];

/// tcpdump's names of resource record types (`ns_type2str`).
pub fn type_name(t: u16) -> Option<&'static str> {
    Some(match t {
        1..=48 => TYPES[usize::from(t) - 1],
        99 => "SPF",
        100 => "UINFO",
        101 => "UID",
        102 => "GID",
        103 => "UNSPEC",
        104 => "UNSPECA",
        249 => "TKEY",
        250 => "TSIG",
        251 => "IXFR",
        252 => "AXFR",
        253 => "MAILB",
        254 => "MAILA",
        255 => "ANY",
        256 => "URI",
        _ => return None,
    })
}

/// tcpdump's names of classes (`ns_class2str`).
pub fn class_name(c: u16) -> Option<&'static str> {
    Some(match c {
        1 => "IN",
        3 => "CHAOS",
        4 => "HS",
        255 => "ANY",
        _ => return None,
    })
}

pub(super) fn push_type(out: &mut String, t: u16) {
    match type_name(t) {
        Some(n) => out.push_str(n),
        None => {
            out.push_str("Type");
            push_num(out, u64::from(t));
        }
    }
}

pub(super) fn push_class(out: &mut String, c: u16) {
    match class_name(c) {
        Some(n) => out.push_str(n),
        None => {
            let _ = write!(out, "(Class {c})");
        }
    }
}

/// EDNS option names 1 to 17 (`edns_opt2str`; 4 and 15 have none).
const EDNS_OPTS: [&str; 17] = [
    "LLQ",
    "UL",
    "NSID",
    "",
    "DAU",
    "DHU",
    "N3U",
    "ECS",
    "EXPIRE",
    "COOKIE",
    "KEEPALIVE",
    "PADDING",
    "CHAIN",
    "KEY-TAG",
    "",
    "CLIENT-TAG",
    "SERVER-TAG",
];

pub(super) fn edns_opt_name(o: u16) -> Option<&'static str> {
    let n = *EDNS_OPTS.get(usize::from(o).checked_sub(1)?)?;
    (!n.is_empty()).then_some(n)
}

/// DNSSEC algorithm names 0 to 16 (`dau_alg2str`; 4, 9 and 11 have none).
const DAU: [&str; 17] = [
    "DELETE",
    "RSAMD5",
    "DH",
    "DS",
    "",
    "RSASHA1",
    "DSA-NSEC3-SHA1",
    "RSASHA1-NSEC3-SHA1",
    "RSASHA256",
    "",
    "RSASHA512",
    "",
    "ECC-GOST",
    "ECDSAP256SHA256",
    "ECDSAP384SHA384",
    "ED25519",
    "ED448",
];

pub(super) fn dau_name(a: u8) -> Option<&'static str> {
    match a {
        252 => Some("INDIRECT"),
        253 => Some("PRIVATEDNS"),
        254 => Some("PRIVATEOID"),
        _ => DAU.get(usize::from(a)).copied().filter(|n| !n.is_empty()),
    }
}

/// DS digest names (`dhu_alg2str`).
pub(super) fn dhu_name(a: u8) -> Option<&'static str> {
    Some(match a {
        1 => "SHA-1",
        2 => "SHA-256",
        3 => "GOST_R_34.11-94",
        4 => "SHA-384",
        _ => return None,
    })
}

/// NSEC3 hash names (`n3u_alg2str`).
pub(super) fn n3u_name(a: u8) -> Option<&'static str> {
    (a == 1).then_some("SHA-1")
}

pub(super) const OPS: [&str; 16] = [
    "",
    " inv_q",
    " stat",
    " op3",
    " notify",
    " update",
    " op6",
    " op7",
    " op8",
    " updateA",
    " updateD",
    " updateDA",
    " updateM",
    " updateMA",
    " zoneInit",
    " zoneRef",
];

pub(super) const RCODES: [&str; 24] = [
    "",
    " FormErr",
    " ServFail",
    " NXDomain",
    " NotImp",
    " Refused",
    " YXDomain",
    " YXRRSet",
    " NXRRSet",
    " NotAuth",
    " NotZone",
    " Resp11",
    " Resp12",
    " Resp13",
    " Resp14",
    " NoChange",
    " BadVers",
    "Resp17",
    " Resp18",
    " Resp19",
    " Resp20",
    "Resp21",
    " Resp22",
    " BadCookie",
];

/// The name of a response code as tcpdump spells it (without its leading
/// space); extended codes come from an OPT record's high bits.
pub fn rcode_name(rcode: u16) -> String {
    match RCODES.get(usize::from(rcode)) {
        Some(s) => s.trim_start().to_string(),
        None => format!("Resp{}", rcode & 0xfff),
    }
}
