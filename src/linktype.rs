//! Link-layer header types shared by the compiler, capture and savefiles.
//!
//! Numbers are the pcap `LINKTYPE_*` values (tcpdump.org/linktypes.html);
//! names are the ones tcpdump's `-y` accepts (the `DLT_` suffixes).

use core::fmt;
use core::str::FromStr;

/// A link-layer header type: what the bytes of a frame start with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum LinkType {
    /// BSD loopback: a 4-byte host-order address family (`NULL`, 0).
    Null,
    /// Ethernet II / 802.3 (`EN10MB`, 1).
    #[default]
    Ethernet,
    /// Raw IPv4 or IPv6, no link header (`RAW`, 101).
    Raw,
    /// OpenBSD loopback: a 4-byte network-order address family (`LOOP`, 108).
    Loop,
    /// Linux "cooked" capture v1, used for `-i any` (`LINUX_SLL`, 113).
    LinuxSll,
}

impl LinkType {
    /// The pcap `LINKTYPE_*` number written in savefile headers.
    pub const fn linktype(self) -> u32 {
        match self {
            LinkType::Null => 0,
            LinkType::Ethernet => 1,
            LinkType::Raw => 101,
            LinkType::Loop => 108,
            LinkType::LinuxSll => 113,
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
        }
    }
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a link-type name rawcap does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown link type '{0}' (known: EN10MB, LINUX_SLL, RAW, NULL, LOOP)")]
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
            _ => return Err(UnknownLinkType(s.into())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_round_trip() {
        for lt in [
            LinkType::Null,
            LinkType::Ethernet,
            LinkType::Raw,
            LinkType::Loop,
            LinkType::LinuxSll,
        ] {
            assert_eq!(lt.name().parse::<LinkType>().unwrap(), lt);
            assert_eq!(LinkType::from_linktype(lt.linktype()), Some(lt));
        }
        assert!("bogus".parse::<LinkType>().is_err());
    }
}
