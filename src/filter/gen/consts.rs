//! Protocol numbers and header constants, named as libpcap's headers
//! (ethertype.h, llc.h, nlpid.h, sll.h, ppp.h) name them; EtherTypes and IP
//! protocol numbers come from [`crate::proto`], which the decoder shares.

use crate::proto::{EtherType, IpProto};

pub(super) const ETHERMTU: u32 = 1500;
pub(super) const GENEVE_PORT: u32 = 6081;
pub(super) const ETHERTYPE_TEB: u32 = EtherType::Teb.raw() as u32;
pub(super) const ETHERTYPE_IP: u32 = EtherType::Ipv4.raw() as u32;
pub(super) const ETHERTYPE_ARP: u32 = EtherType::Arp.raw() as u32;
pub(super) const ETHERTYPE_REVARP: u32 = EtherType::Rarp.raw() as u32;
pub(super) const ETHERTYPE_ATALK: u32 = EtherType::Atalk.raw() as u32;
pub(super) const ETHERTYPE_AARP: u32 = EtherType::Aarp.raw() as u32;
pub(super) const ETHERTYPE_DN: u32 = EtherType::Decnet.raw() as u32;
pub(super) const ETHERTYPE_SCA: u32 = EtherType::Sca.raw() as u32;
pub(super) const ETHERTYPE_LAT: u32 = EtherType::Lat.raw() as u32;
pub(super) const ETHERTYPE_MOPDL: u32 = EtherType::MopDl.raw() as u32;
pub(super) const ETHERTYPE_MOPRC: u32 = EtherType::MopRc.raw() as u32;
pub(super) const ETHERTYPE_IPV6: u32 = EtherType::Ipv6.raw() as u32;
pub(super) const ETHERTYPE_IPX: u32 = EtherType::Ipx.raw() as u32;
pub(super) const ETHERTYPE_NS: u32 = EtherType::Ns.raw() as u32;
pub(super) const ETHERTYPE_8021Q: u32 = EtherType::Vlan.raw() as u32;
pub(super) const ETHERTYPE_8021AD: u32 = EtherType::QinQ.raw() as u32;
pub(super) const ETHERTYPE_8021QINQ: u32 = EtherType::Vlan9100.raw() as u32;
pub(super) const ETHERTYPE_MPLS: u32 = EtherType::Mpls.raw() as u32;
pub(super) const ETHERTYPE_PPPOED: u32 = EtherType::PppoeDiscovery.raw() as u32;
pub(super) const ETHERTYPE_PPPOES: u32 = EtherType::PppoeSession.raw() as u32;
pub(super) const ETHERTYPE_LOOPBACK: u32 = EtherType::Loopback.raw() as u32;
/// llc.h: the low two control bits of an S frame, of a U frame.
pub(super) const LLC_S_FMT: u32 = 1;
pub(super) const LLC_U_FMT: u32 = 3;
/// llc.h: the control bits that name an S frame's and a U frame's type.
pub(super) const LLC_S_CMD_MASK: u32 = 0x0f;
pub(super) const LLC_U_CMD_MASK: u32 = 0xef;
pub(super) const LLCSAP_ISONS: u32 = 0xfe;
pub(super) const LLCSAP_IP: u32 = 0x06;
pub(super) const LLCSAP_NETBEUI: u32 = 0xf0;
pub(super) const LLCSAP_IPX: u32 = 0xe0;
pub(super) const LLCSAP_8021D: u32 = 0x42;
pub(super) const LINUX_SLL_P_802_3: u32 = 0x0001;
pub(super) const LINUX_SLL_P_802_2: u32 = 0x0004;
pub(super) const LINUX_SLL_OUTGOING: u32 = 4;
pub(super) const PACKET_OUTGOING: u32 = 4;
pub(super) const PPP_MPLS_UCAST: u32 = 0x0281;
pub(super) const IPPROTO_TCP: u32 = IpProto::Tcp.raw() as u32;
pub(super) const IPPROTO_UDP: u32 = IpProto::Udp.raw() as u32;
pub(super) const IPPROTO_SCTP: u32 = IpProto::Sctp.raw() as u32;
pub(super) const IPPROTO_FRAGMENT: u32 = IpProto::Fragment.raw() as u32;
pub(super) const ISO9542_ESIS: u32 = 0x82;
pub(super) const ISO10589_ISIS: u32 = 0x83;
pub(super) const ISO8473_CLNP: u32 = 0x81;
pub(super) const ISIS_L1_LAN_IIH: u32 = 15;
pub(super) const ISIS_L2_LAN_IIH: u32 = 16;
pub(super) const ISIS_PTP_IIH: u32 = 17;
pub(super) const ISIS_L1_LSP: u32 = 18;
pub(super) const ISIS_L2_LSP: u32 = 20;
pub(super) const ISIS_L1_CSNP: u32 = 24;
pub(super) const ISIS_L2_CSNP: u32 = 25;
pub(super) const ISIS_L1_PSNP: u32 = 26;
pub(super) const ISIS_L2_PSNP: u32 = 27;
pub(super) const AF_INET: u32 = 2;
/// Linux's `AF_INET6`, what a NULL/LOOP header holds on this host.
pub(super) const AF_INET6_LINUX: u32 = 10;
/// `AF_INET6` on NetBSD, OpenBSD, BSD/OS (and Npcap).
pub(super) const BSD_AFNUM_INET6_BSD: u32 = 24;
/// `AF_INET6` on FreeBSD.
pub(super) const BSD_AFNUM_INET6_FREEBSD: u32 = 28;
/// `AF_INET6` on macOS and the other Darwin systems.
pub(super) const BSD_AFNUM_INET6_DARWIN: u32 = 30;
