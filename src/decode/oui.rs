//! Organizationally unique identifiers as tcpdump names them (oui.c's
//! `oui_values`): in MAC addresses without `-n`, SNAP headers, LLDP and
//! CDP.

use super::util::{tok, Tok};

/// Encapsulated Ethernet (RFC 1042 SNAP).
pub const ENCAP_ETHER: u32 = 0x000000;
/// Cisco.
pub const CISCO: u32 = 0x00000c;
/// Cisco bridged (uses EtherType values).
pub const CISCO_90: u32 = 0x0000f8;
/// RFC 2684 bridged / IEEE 802.1 private.
pub const RFC2684: u32 = 0x0080c2;
/// IEEE 802.3 private.
pub const IEEE_8023_PRIVATE: u32 = 0x00120f;
/// ANSI/TIA.
pub const TIA: u32 = 0x0012bb;
/// IANA.
pub const IANA: u32 = 0x00005e;
/// DCBX (Intel's DCB capability exchange).
pub const DCBX: u32 = 0x001b21;
/// AppleTalk.
pub const APPLETALK: u32 = 0x080007;

/// oui.c's table, in its order (the first entry for a value wins).
pub const VALUES: &Tok = &[
    (ENCAP_ETHER, "Ethernet"),
    (CISCO, "Cisco"),
    (IANA, "IANA"),
    (0x000081, "Nortel Networks SONMP"),
    (CISCO_90, "Cisco bridged"),
    (RFC2684, "Ethernet bridged"),
    (0x00a03e, "ATM Forum"),
    (0x00e02f, "DOCSIS Spanning Tree"),
    (APPLETALK, "Appletalk"),
    (0x009069, "Juniper"),
    (0x080009, "Hewlett-Packard"),
    (0x0080c2, "IEEE 802.1 Private"),
    (IEEE_8023_PRIVATE, "IEEE 802.3 Private"),
    (TIA, "ANSI/TIA"),
    (DCBX, "DCBX"),
    (0x002320, "Nicira Networks"),
    (0x5c16c7, "Big Switch Networks"),
    (0xb0d2f5, "Vello Systems"),
    (0x002481, "HP"),
    (0x0004ea, "HP-Labs"),
    (0x748771, "Infoblox Inc"),
    (0xa42305, "Open Networking Lab"),
    (0x00049f, "Freescale"),
    (0x0015ad, "Netronome"),
    (0x001018, "Broadcom"),
    (0x00e004, "PMC-Sierra"),
    (0xd0f0db, "Ericsson"),
];

/// tcpdump's name for an OUI, "Unknown" when it has none.
pub fn name(oui: u32) -> &'static str {
    tok(VALUES, oui).unwrap_or("Unknown")
}
