//! Link-layer header types shared by the compiler, capture, savefiles and
//! the decoder: numbers, names, and the header facts every stage needs
//! (where the network header starts, what `SKF_AD_PROTOCOL` would read).
//!
//! Numbers are the pcap `LINKTYPE_*` values (tcpdump.org/linktypes.html);
//! names are the ones tcpdump's `-y` accepts (the `DLT_` suffixes).

use core::fmt;
use core::str::FromStr;

/// A link-layer header type: what the bytes of a frame start with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum LinkType {
    /// BSD loopback: a 4-byte host-order address family (`NULL`, 0).
    Null,
    /// Ethernet II / 802.3 (`EN10MB`, 1).
    #[default]
    Ethernet,
    /// Raw IPv4 or IPv6, no link header (`RAW`, 101; 12 and 14 in old files).
    Raw,
    /// OpenBSD loopback: a 4-byte network-order address family (`LOOP`, 108).
    Loop,
    /// Linux "cooked" capture v1, 16-byte header (`LINUX_SLL`, 113).
    LinuxSll,
    /// Linux "cooked" capture v2, 20-byte header with the interface index
    /// (`LINUX_SLL2`, 276): what tcpdump 4.99 writes for `-i any`.
    LinuxSll2,
    /// Raw IPv4 only (`IPV4`, 228).
    Ipv4,
    /// Raw IPv6 only (`IPV6`, 229).
    Ipv6,
}

/// Byte offsets of the LINUX_SLL (v1) header fields (pcap-linktype(7)).
pub mod sll {
    /// Packet type (`PACKET_HOST`, ..., `PACKET_OUTGOING`), big-endian u16.
    pub const PKTTYPE: usize = 0;
    /// ARPHRD_ type, big-endian u16.
    pub const HATYPE: usize = 2;
    /// Link-layer address length, big-endian u16.
    pub const HALEN: usize = 4;
    /// Link-layer address, 8 bytes (padded or cut).
    pub const ADDR: usize = 6;
    /// Protocol (EtherType), big-endian u16.
    pub const PROTOCOL: usize = 14;
    /// Header length.
    pub const HDR_LEN: usize = 16;
}

/// Byte offsets of the LINUX_SLL2 header fields (pcap-linktype(7)).
pub mod sll2 {
    /// Protocol (EtherType), big-endian u16.
    pub const PROTOCOL: usize = 0;
    /// Reserved (mbz), u16.
    pub const RESERVED: usize = 2;
    /// Interface index, big-endian u32.
    pub const IFINDEX: usize = 4;
    /// ARPHRD_ type, big-endian u16.
    pub const HATYPE: usize = 8;
    /// Packet type, u8.
    pub const PKTTYPE: usize = 10;
    /// Link-layer address length, u8.
    pub const HALEN: usize = 11;
    /// Link-layer address, 8 bytes.
    pub const ADDR: usize = 12;
    /// Header length.
    pub const HDR_LEN: usize = 20;
}

/// Every link type rawcap knows, in `LINKTYPE_*` order.
pub const ALL: [LinkType; 8] = [
    LinkType::Null,
    LinkType::Ethernet,
    LinkType::Raw,
    LinkType::Loop,
    LinkType::LinuxSll,
    LinkType::Ipv4,
    LinkType::Ipv6,
    LinkType::LinuxSll2,
];

impl LinkType {
    /// The pcap `LINKTYPE_*` number written in savefile headers.
    pub const fn linktype(self) -> u32 {
        match self {
            LinkType::Null => 0,
            LinkType::Ethernet => 1,
            LinkType::Raw => 101,
            LinkType::Loop => 108,
            LinkType::LinuxSll => 113,
            LinkType::Ipv4 => 228,
            LinkType::Ipv6 => 229,
            LinkType::LinuxSll2 => 276,
        }
    }

    /// The link type for a pcap `LINKTYPE_*` number, if rawcap knows it.
    pub const fn from_linktype(n: u32) -> Option<Self> {
        Some(match n {
            0 => LinkType::Null,
            1 => LinkType::Ethernet,
            101 | 12 | 14 => LinkType::Raw,
            108 => LinkType::Loop,
            113 => LinkType::LinuxSll,
            228 => LinkType::Ipv4,
            229 => LinkType::Ipv6,
            276 => LinkType::LinuxSll2,
            _ => return None,
        })
    }

    /// The name tcpdump's `-y` and `-L` use.
    pub const fn name(self) -> &'static str {
        match self {
            LinkType::Null => "NULL",
            LinkType::Ethernet => "EN10MB",
            LinkType::Raw => "RAW",
            LinkType::Loop => "LOOP",
            LinkType::LinuxSll => "LINUX_SLL",
            LinkType::LinuxSll2 => "LINUX_SLL2",
            LinkType::Ipv4 => "IPV4",
            LinkType::Ipv6 => "IPV6",
        }
    }

    /// tcpdump's description, as printed after "link-type NAME (...)".
    pub const fn description(self) -> &'static str {
        match self {
            LinkType::Null => "BSD loopback",
            LinkType::Ethernet => "Ethernet",
            LinkType::Raw => "Raw IP",
            LinkType::Loop => "OpenBSD loopback",
            LinkType::LinuxSll => "Linux cooked v1",
            LinkType::LinuxSll2 => "Linux cooked v2",
            LinkType::Ipv4 => "Raw IPv4",
            LinkType::Ipv6 => "Raw IPv6",
        }
    }

    /// The length of the fixed link-layer header: where the network header
    /// starts in a frame without VLAN tags (Ethernet 14, LINUX_SLL 16,
    /// LINUX_SLL2 20, NULL/LOOP 4, raw IP 0).
    pub const fn header_len(self) -> usize {
        match self {
            LinkType::Ethernet => 14,
            LinkType::LinuxSll => sll::HDR_LEN,
            LinkType::LinuxSll2 => sll2::HDR_LEN,
            LinkType::Null | LinkType::Loop => 4,
            LinkType::Raw | LinkType::Ipv4 | LinkType::Ipv6 => 0,
        }
    }

    /// Whether this is one of Linux's cooked headers (`-i any`, and devices
    /// without a usable link header): the kernel builds it, and a socket
    /// filter never sees it.
    pub const fn is_cooked(self) -> bool {
        matches!(self, LinkType::LinuxSll | LinkType::LinuxSll2)
    }

    /// The EtherType of `frame`'s network layer as the kernel's
    /// `skb->protocol` would hold it (`SKF_AD_PROTOCOL`): the link header's
    /// type field, or the IP version for raw IP and the address family for
    /// NULL/LOOP. 0 when the frame is too short to tell.
    pub fn protocol_of(self, frame: &[u8]) -> u16 {
        let be16 = |at: usize| {
            frame
                .get(at..at + 2)
                .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]))
        };
        let ip_version = |at: usize| match frame.get(at).map(|b| b >> 4) {
            Some(4) => 0x0800,
            Some(6) => 0x86dd,
            _ => 0,
        };
        match self {
            LinkType::Ethernet => be16(12),
            LinkType::LinuxSll => be16(sll::PROTOCOL),
            LinkType::LinuxSll2 => be16(sll2::PROTOCOL),
            LinkType::Ipv4 => 0x0800,
            LinkType::Ipv6 => 0x86dd,
            LinkType::Raw => ip_version(0),
            LinkType::Null | LinkType::Loop => match frame.get(..4) {
                Some(&[a, b, c, d]) => {
                    let family = if self == LinkType::Loop {
                        u32::from_be_bytes([a, b, c, d])
                    } else {
                        null_family([a, b, c, d])
                    };
                    match family {
                        2 => 0x0800,
                        10 | 24 | 28 | 30 => 0x86dd,
                        _ => 0,
                    }
                }
                _ => 0,
            },
        }
    }
}

/// The address family in a `NULL` header, written in the capturing host's
/// byte order: read it as whichever order gives a small number.
pub fn null_family(raw: [u8; 4]) -> u32 {
    let le = u32::from_le_bytes(raw);
    if le < 0x1_0000 {
        le
    } else {
        u32::from_be_bytes(raw)
    }
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a link-type name rawcap does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown link type '{0}' (known: EN10MB, LINUX_SLL, LINUX_SLL2, RAW, IPV4, IPV6, NULL, LOOP)"
)]
pub struct UnknownLinkType(pub alloc::string::String);

impl FromStr for LinkType {
    type Err = UnknownLinkType;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let u = s.to_ascii_uppercase();
        let u = u.strip_prefix("DLT_").unwrap_or(&u);
        Ok(match u {
            "NULL" => LinkType::Null,
            "EN10MB" | "ETHERNET" => LinkType::Ethernet,
            "RAW" => LinkType::Raw,
            "LOOP" => LinkType::Loop,
            "LINUX_SLL" => LinkType::LinuxSll,
            "LINUX_SLL2" => LinkType::LinuxSll2,
            "IPV4" => LinkType::Ipv4,
            "IPV6" => LinkType::Ipv6,
            _ => return Err(UnknownLinkType(s.into())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_round_trip() {
        for lt in ALL {
            assert_eq!(lt.name().parse::<LinkType>().unwrap(), lt);
            assert_eq!(LinkType::from_linktype(lt.linktype()), Some(lt));
        }
        assert!("bogus".parse::<LinkType>().is_err());
        assert_eq!(
            "dlt_linux_sll2".parse::<LinkType>(),
            Ok(LinkType::LinuxSll2)
        );
    }

    #[test]
    fn protocol_of_each_header() {
        let mut eth = [0u8; 14];
        eth[12] = 0x86;
        eth[13] = 0xdd;
        assert_eq!(LinkType::Ethernet.protocol_of(&eth), 0x86dd);
        let mut s2 = [0u8; 20];
        s2[0] = 0x08;
        assert_eq!(LinkType::LinuxSll2.protocol_of(&s2), 0x0800);
        assert_eq!(LinkType::Raw.protocol_of(&[0x45]), 0x0800);
        assert_eq!(LinkType::Raw.protocol_of(&[0x60]), 0x86dd);
        assert_eq!(LinkType::Null.protocol_of(&[2, 0, 0, 0]), 0x0800);
        assert_eq!(LinkType::Null.protocol_of(&[0, 0, 0, 30]), 0x86dd);
        assert_eq!(LinkType::Loop.protocol_of(&[0, 0, 0, 24]), 0x86dd);
        assert_eq!(LinkType::Ethernet.protocol_of(&[1]), 0);
    }
}
