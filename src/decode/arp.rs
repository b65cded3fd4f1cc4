//! ARP, RARP and InARP (print-arp.c).

use super::ether::mac_name;
use super::num::ip4_text;
use super::{Net, Summary};
use core::fmt::Write;
use etherparse::ArpPacketSlice;

/// An ARP packet (Ethernet/IPv4 form, other forms only by operation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arp {
    /// Hardware type.
    pub htype: u16,
    /// Protocol type.
    pub ptype: u16,
    /// Operation (1 request, 2 reply, 3/4 RARP).
    pub op: u16,
    /// Sender hardware address.
    pub sha: Vec<u8>,
    /// Sender protocol address.
    pub spa: Vec<u8>,
    /// Target hardware address.
    pub tha: Vec<u8>,
    /// Target protocol address.
    pub tpa: Vec<u8>,
}

impl Arp {
    /// The operation as JSON names it.
    pub fn op_name(&self) -> &'static str {
        match self.op {
            1 => "request",
            2 => "reply",
            3 => "rarp-request",
            4 => "rarp-reply",
            _ => "other",
        }
    }
}

/// Reads an ARP packet into `s.net`.
pub(super) fn parse<'a>(s: &mut Summary<'a>, ethertype: u16, rest: &'a [u8]) {
    match ArpPacketSlice::from_slice(rest) {
        Ok(a) => {
            s.net = Net::Arp(Arp {
                htype: a.hw_addr_type().0,
                ptype: a.proto_addr_type().0,
                op: a.operation().0,
                sha: a.sender_hw_addr().to_vec(),
                spa: a.sender_protocol_addr().to_vec(),
                tha: a.target_hw_addr().to_vec(),
                tpa: a.target_protocol_addr().to_vec(),
            })
        }
        Err(_) => {
            s.net = Net::Other {
                ethertype,
                payload: rest,
            };
            s.truncated = Some("arp");
        }
    }
}

/// The ARP line; `len` is the packet's length after the link header.
pub(super) fn print(
    out: &mut String,
    a: &Arp,
    link_header: bool,
    numeric: bool,
    verbose: bool,
    len: usize,
) {
    if !link_header {
        out.push_str("ARP, ");
    }
    if verbose && a.htype == 1 && a.ptype == 0x0800 {
        let _ = write!(
            out,
            "Ethernet (len {}), IPv4 (len {}), ",
            a.sha.len(),
            a.spa.len()
        );
    }
    let ip = |v: &[u8]| ip4_text(v);
    if a.htype != 1 || a.ptype != 0x0800 || a.spa.len() != 4 || a.sha.len() != 6 {
        let _ = write!(out, "Unknown Hardware ({}), length {len}", a.htype);
        return;
    }
    match a.op {
        1 => {
            let _ = write!(out, "Request who-has {}", ip(&a.tpa));
            if a.tha.iter().any(|&b| b != 0) {
                let _ = write!(out, " ({})", mac_name(&a.tha, numeric));
            }
            let _ = write!(out, " tell {}", ip(&a.spa));
        }
        2 => {
            let _ = write!(
                out,
                "Reply {} is-at {}",
                ip(&a.spa),
                mac_name(&a.sha, numeric)
            );
        }
        3 => {
            let _ = write!(
                out,
                "Reverse Request who-is {} tell {}",
                mac_name(&a.tha, numeric),
                mac_name(&a.sha, numeric)
            );
        }
        4 => {
            let _ = write!(
                out,
                "Reverse Reply {} at {}",
                mac_name(&a.tha, numeric),
                ip(&a.tpa)
            );
        }
        8 => {
            let _ = write!(
                out,
                "Inverse Request who-is {} tell {}",
                mac_name(&a.tha, numeric),
                mac_name(&a.sha, numeric)
            );
        }
        9 => {
            let _ = write!(
                out,
                "Inverse Reply {} at {}",
                mac_name(&a.sha, numeric),
                ip(&a.spa)
            );
        }
        op => {
            let _ = write!(out, "Unknown ({op})");
        }
    }
    let _ = write!(out, ", length {len}");
}
