//! Protocol numbers, defined once: [`EtherType`] (the type field of Ethernet
//! and of the headers that copy it: 802.1Q, Linux cooked, GRE, SNAP) and
//! [`IpProto`] (the IPv4 protocol / IPv6 next-header byte).
//!
//! The filter compiler (`filter::gen`) and the decoder (`decode`'s dispatch
//! tables) both take their values from here; the names are the ones
//! tcpdump 4.99 prints (`ethertype_values` in print-ether.c, `ipproto_values`
//! and `netdb_protocol_names` in ipproto.c). Core only: no allocation, no OS.
//!
//! Each type is an enum with one variant per known value and `Unknown(n)`
//! for the rest; `from_raw`/`raw` convert, and `from_raw(x).raw() == x` for
//! every `x`.
//!
//! ```
//! use rawcap::proto::{EtherType, IpProto};
//! assert_eq!(EtherType::from_raw(0x86dd), EtherType::Ipv6);
//! assert_eq!(EtherType::Arp.name(), Some("ARP"));
//! assert_eq!(IpProto::from_raw(6).name(), Some("TCP"));
//! assert_eq!(IpProto::from_raw(200), IpProto::Unknown(200));
//! ```

/// Declares a number enum: variants with their value and tcpdump's name
/// (or `None`), `Unknown(n)` for every other value.
macro_rules! numbers {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $repr:ty {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal => $text:expr, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value with no variant of its own.
            Unknown($repr),
        }

        impl $name {
            /// The variant for a raw value (`Unknown` when there is none).
            pub const fn from_raw(v: $repr) -> Self {
                match v {
                    $( $value => $name::$variant, )*
                    o => $name::Unknown(o),
                }
            }

            /// The raw value.
            pub const fn raw(self) -> $repr {
                match self {
                    $( $name::$variant => $value, )*
                    $name::Unknown(o) => o,
                }
            }

            /// tcpdump's name for the value, if it has one.
            pub const fn name(self) -> Option<&'static str> {
                match self {
                    $( $name::$variant => $text, )*
                    $name::Unknown(_) => None,
                }
            }
        }

        impl From<$repr> for $name {
            fn from(v: $repr) -> Self {
                $name::from_raw(v)
            }
        }

        impl From<$name> for $repr {
            fn from(v: $name) -> Self {
                v.raw()
            }
        }
    };
}

numbers! {
    /// An EtherType: the 16-bit protocol field of Ethernet II and of every
    /// header that reuses its values. Values below 0x0600 in an Ethernet
    /// header are an 802.3 length, not a type.
    pub enum EtherType: u16 {
        /// Cisco's GRE-encapsulated OSI.
        GreIso = 0x00fe => Some("GRE-OSI"),
        /// PUP.
        Pup = 0x0200 => Some("PUP"),
        /// Sprite.
        Sprite = 0x0500 => Some("Sprite"),
        /// XNS (the smallest type value, ETHERMTU + 1 rounded up).
        Ns = 0x0600 => Some("NS"),
        /// GeoNetworking, the old value.
        GeonetOld = 0x0707 => Some("GeoNet (old)"),
        /// IPv4.
        Ipv4 = 0x0800 => Some("IPv4"),
        /// ARP.
        Arp = 0x0806 => Some("ARP"),
        /// Trailer encapsulation.
        Trail = 0x1000 => Some("Trail"),
        /// CALM FAST.
        CalmFast = 0x1111 => Some("CALM FAST"),
        /// DEC MOP dump/load.
        MopDl = 0x6001 => Some("MOP DL"),
        /// DEC MOP remote console.
        MopRc = 0x6002 => Some("MOP RC"),
        /// DECnet phase IV.
        Decnet = 0x6003 => Some("DN"),
        /// DEC LAT.
        Lat = 0x6004 => Some("LAT"),
        /// DEC SCA.
        Sca = 0x6007 => Some("SCA"),
        /// Transparent Ethernet bridging (an Ethernet frame inside GRE, Geneve, ...).
        Teb = 0x6558 => Some("TEB"),
        /// Reverse ARP.
        Rarp = 0x8035 => Some("Reverse ARP"),
        /// DEC LANBridge.
        Lanbridge = 0x8038 => Some("Lanbridge"),
        /// DEC DNS.
        DecDns = 0x803c => Some("DEC DNS"),
        /// DEC DTS.
        DecDts = 0x803e => Some("DEC DTS"),
        /// VEXP.
        Vexp = 0x805b => Some("VEXP"),
        /// VPROD.
        Vprod = 0x805c => Some("VPROD"),
        /// AppleTalk.
        Atalk = 0x809b => Some("Appletalk"),
        /// AppleTalk ARP.
        Aarp = 0x80f3 => Some("Appletalk ARP"),
        /// 802.1Q VLAN tag.
        Vlan = 0x8100 => Some("802.1Q"),
        /// Novell IPX.
        Ipx = 0x8137 => Some("IPX"),
        /// IPv6.
        Ipv6 = 0x86dd => Some("IPv6"),
        /// EPON multi-point control.
        Mpcp = 0x8808 => Some("MPCP"),
        /// IEEE 802.3 slow protocols (LACP, marker, OAM).
        Slow = 0x8809 => Some("Slow Protocols"),
        /// PPP.
        Ppp = 0x880b => Some("PPP"),
        /// MPLS unicast.
        Mpls = 0x8847 => Some("MPLS unicast"),
        /// MPLS multicast.
        MplsMulti = 0x8848 => Some("MPLS multicast"),
        /// PPPoE discovery.
        PppoeDiscovery = 0x8863 => Some("PPPoE D"),
        /// PPPoE session.
        PppoeSession = 0x8864 => Some("PPPoE S"),
        /// Microsoft NLB heartbeat.
        MsNlbHeartbeat = 0x886f => Some("MS NLB heartbeat"),
        /// Jumbo frames.
        Jumbo = 0x8870 => Some("Jumbo"),
        /// 802.1X EAP over LAN.
        Eapol = 0x888e => Some("EAPOL"),
        /// Realtek protocols.
        Realtek = 0x8899 => Some("Realtek protocols"),
        /// ATA over Ethernet.
        Aoe = 0x88a2 => Some("AoE"),
        /// 802.1ad service VLAN tag (QinQ).
        QinQ = 0x88a8 => Some("802.1Q-QinQ"),
        /// TIPC.
        Tipc = 0x88ca => Some("TIPC"),
        /// LLDP.
        Lldp = 0x88cc => Some("LLDP"),
        /// 802.1AE MACsec.
        Macsec = 0x88e5 => Some("802.1AE MACsec"),
        /// Precision Time Protocol.
        Ptp = 0x88f7 => Some("PTP"),
        /// 802.1ag connectivity fault management.
        Cfm = 0x8902 => Some("CFM"),
        /// IEEE 1905.1.
        Ieee1905 = 0x893a => Some("IEEE1905.1"),
        /// GeoNetworking.
        Geonet = 0x8947 => Some("GeoNet"),
        /// Network service header.
        Nsh = 0x894f => Some("NSH"),
        /// Loopback (configuration testing).
        Loopback = 0x9000 => Some("Loopback"),
        /// Old QinQ tag value 0x9100.
        Vlan9100 = 0x9100 => Some("802.1Q-9100"),
        /// Old QinQ tag value 0x9200.
        Vlan9200 = 0x9200 => Some("802.1Q-9200"),
        /// CFM, the old value.
        CfmOld = 0xabcd => Some("CFM (old)"),
        /// Arista vendor specific protocol.
        Arista = 0xd28b => Some("Arista Vendor Specific Protocol"),
        /// OSI.
        Iso = 0xfefe => Some("OSI"),
    }
}

impl EtherType {
    /// Whether the value tags a VLAN (802.1Q, 802.1ad or the old QinQ values).
    pub const fn is_vlan(self) -> bool {
        matches!(
            self,
            EtherType::Vlan | EtherType::QinQ | EtherType::Vlan9100 | EtherType::Vlan9200
        )
    }
}

numbers! {
    /// An IP protocol number (IPv4's protocol field, IPv6's next header).
    pub enum IpProto: u8 {
        /// IPv6 hop-by-hop options.
        HopOpts = 0 => Some("Options"),
        /// ICMP.
        Icmp = 1 => Some("ICMP"),
        /// IGMP.
        Igmp = 2 => Some("IGMP"),
        /// IPv4 in IP.
        Ipv4 = 4 => Some("IPIP"),
        /// TCP.
        Tcp = 6 => Some("TCP"),
        /// EGP.
        Egp = 8 => Some("EGP"),
        /// Any private interior gateway protocol (Cisco IGRP).
        Pigp = 9 => Some("IGRP"),
        /// UDP.
        Udp = 17 => Some("UDP"),
        /// DCCP.
        Dccp = 33 => Some("DCCP"),
        /// IPv6 in IP.
        Ipv6 = 41 => Some("IPv6"),
        /// IPv6 routing header.
        Routing = 43 => Some("Routing"),
        /// IPv6 fragment header.
        Fragment = 44 => Some("Fragment"),
        /// RSVP.
        Rsvp = 46 => Some("RSVP"),
        /// GRE.
        Gre = 47 => Some("GRE"),
        /// IPsec ESP.
        Esp = 50 => Some("ESP"),
        /// IPsec AH.
        Ah = 51 => Some("AH"),
        /// IP mobility (minimal encapsulation).
        Mobile = 55 => Some("Mobile IP"),
        /// ICMPv6.
        Icmpv6 = 58 => Some("ICMPv6"),
        /// IPv6 no next header.
        NoNext = 59 => None,
        /// IPv6 destination options.
        DstOpts = 60 => None,
        /// Mobility header, the old value.
        MobilityOld = 62 => Some("Mobile IP (old)"),
        /// Sun ND.
        Nd = 77 => None,
        /// EIGRP.
        Eigrp = 88 => Some("EIGRP"),
        /// OSPF.
        Ospf = 89 => Some("OSPF"),
        /// PIM.
        Pim = 103 => Some("PIM"),
        /// IP payload compression.
        IpComp = 108 => Some("Compressed IP"),
        /// VRRP (and CARP).
        Vrrp = 112 => Some("VRRP"),
        /// PGM.
        Pgm = 113 => Some("PGM"),
        /// SCTP.
        Sctp = 132 => Some("SCTP"),
        /// IPv6 mobility header.
        Mobility = 135 => Some("Mobility"),
        /// Ethernet in IPv6.
        Ethernet = 143 => Some("Ethernet"),
    }
}

impl IpProto {
    /// The lower-case name tcpdump prints without `-n` for a protocol it
    /// does not decode (ipproto.c's `netdb_protocol_names`, from IANA).
    pub fn netdb_name(self) -> Option<&'static str> {
        NETDB_NAMES
            .get(usize::from(self.raw()))
            .copied()
            .filter(|n| !n.is_empty())
    }

    /// Whether the value is an IPv6 extension header that tcpdump walks
    /// (hop-by-hop, routing, fragment, destination options, mobility).
    pub const fn is_ipv6_extension(self) -> bool {
        matches!(
            self,
            IpProto::HopOpts
                | IpProto::Routing
                | IpProto::Fragment
                | IpProto::DstOpts
                | IpProto::Mobility
        )
    }
}

/// ipproto.c's `netdb_protocol_names`; "" where it has NULL.
const NETDB_NAMES: [&str; 256] = [
    "hopopt",
    "icmp",
    "igmp",
    "ggp",
    "ipencap",
    "st",
    "tcp",
    "cbt", // 0
    "egp",
    "igp",
    "bbn-rcc-mon",
    "nvp-ii",
    "pup",
    "argus",
    "emcon",
    "xnet", // 8
    "chaos",
    "udp",
    "mux",
    "dcn-meas",
    "hmp",
    "prm",
    "xns-idp",
    "trunk-1", // 16
    "trunk-2",
    "leaf-1",
    "leaf-2",
    "rdp",
    "irtp",
    "iso-tp4",
    "netblt",
    "mfe-nsp", // 24
    "merit-inp",
    "dccp",
    "3pc",
    "idpr",
    "xtp",
    "ddp",
    "idpr-cmtp",
    "tp++", // 32
    "il",
    "ipv6",
    "sdrp",
    "ipv6-route",
    "ipv6-frag",
    "idrp",
    "rsvp",
    "gre", // 40
    "dsr",
    "bna",
    "esp",
    "ah",
    "i-nlsp",
    "swipe",
    "narp",
    "mobile", // 48
    "tlsp",
    "skip",
    "ipv6-icmp",
    "ipv6-nonxt",
    "ipv6-opts",
    "",
    "cftp",
    "", // 56
    "sat-expak",
    "kryptolan",
    "rvd",
    "ippc",
    "",
    "sat-mon",
    "visa",
    "ipcv", // 64
    "cpnx",
    "rspf",
    "wsn",
    "pvp",
    "br-sat-mon",
    "sun-nd",
    "wb-mon",
    "wb-expak", // 72
    "iso-ip",
    "vmtp",
    "secure-vmtp",
    "vines",
    "ttp",
    "nsfnet-igp",
    "dgp",
    "tcf", // 80
    "eigrp",
    "ospf",
    "sprite-rpc",
    "larp",
    "mtp",
    "ax.25",
    "ipip",
    "micp", // 88
    "scc-sp",
    "etherip",
    "encap",
    "",
    "gmtp",
    "ifmp",
    "pnni",
    "pim", // 96
    "aris",
    "scps",
    "qnx",
    "a/n",
    "ipcomp",
    "snp",
    "compaq-peer",
    "ipx-in-ip", // 104
    "vrrp",
    "pgm",
    "",
    "l2tp",
    "ddx",
    "iatp",
    "stp",
    "srp", // 112
    "uti",
    "smp",
    "sm",
    "ptp",
    "isis",
    "fire",
    "crtp",
    "crudp", // 120
    "sscopmce",
    "iplt",
    "sps",
    "pipe",
    "sctp",
    "fc",
    "rsvp-e2e-ignore",
    "mobility-header", // 128
    "udplite",
    "mpls-in-ip",
    "manet",
    "hip",
    "shim6",
    "wesp",
    "rohc",
    "", // 136
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "", // 144
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "", // 152
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "", // 160
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "", // 168
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "", // 176
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "", // 184
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "", // 192
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "", // 200
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "", // 208
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "", // 216
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "", // 224
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "", // 232
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "", // 240
    "",
    "",
    "",
    "",
    "",
    "exptest-253",
    "exptest-254",
    "reserved", // 248
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_round_trip() {
        for v in 0..=u16::MAX {
            assert_eq!(EtherType::from_raw(v).raw(), v);
        }
        for v in 0..=u8::MAX {
            assert_eq!(IpProto::from_raw(v).raw(), v);
        }
        assert_eq!(EtherType::from_raw(0x0800), EtherType::Ipv4);
        assert_eq!(EtherType::from_raw(0x1234), EtherType::Unknown(0x1234));
        assert_eq!(IpProto::from_raw(47), IpProto::Gre);
    }

    #[test]
    fn names_as_tcpdump_prints_them() {
        assert_eq!(EtherType::QinQ.name(), Some("802.1Q-QinQ"));
        assert_eq!(EtherType::Unknown(0x1234).name(), None);
        assert_eq!(IpProto::Icmpv6.name(), Some("ICMPv6"));
        assert_eq!(IpProto::Ipv4.netdb_name(), Some("ipencap"));
        assert_eq!(IpProto::Unknown(61).netdb_name(), None);
        assert_eq!(IpProto::Unknown(255).netdb_name(), Some("reserved"));
        assert!(EtherType::Vlan9100.is_vlan() && !EtherType::Ipv4.is_vlan());
    }
}
