//! The dispatch tables: which printer takes a payload, keyed by typed
//! values. Adding a protocol adds its file and one line here.
//!
//! - [`ethertype`]: network-layer printers by [`EtherType`];
//! - [`ip_proto`]: printers of an IP payload by [`IpProto`];
//! - [`TCP_PORTS`], [`UDP_PORTS`]: application printers by well-known
//!   port, tried in table order as print-tcp.c and print-udp.c test them.

use super::demux::Ip;
use super::json::Obj;
use super::radius;
use super::text::Printer;
use super::trunc::{Printed, Trunc};
use super::{
    arp, atalk, bcmli, bfd, bgp, dccp, decnet, dhcp, dhcp6, dns, eapol, eigrp, ether, geneve, gre,
    hsrp, http, icmp, icmp6, igmp, igrp, ip, ip6, ipsec, ipx, isakmp, lldp, loopback, mpls, ntp,
    ospf, pim, ppp, pppoe, rip, ripng, sctp, slow, snmp, ssh, syslog, tcp, telnet, tftp, txtproto,
    udp, vrrp, vxlan,
};
use crate::proto::{EtherType, IpProto};

/// The payload of a TCP segment or UDP datagram handed to an application
/// printer.
#[allow(dead_code)] // the ports: for printers that look at them (issue 16's)
pub(super) struct Segment<'a> {
    /// The captured payload bytes (ending at the IP length).
    pub data: &'a [u8],
    /// The payload length from the headers (may exceed `data.len()`).
    pub len: usize,
    /// Source port.
    pub sport: u16,
    /// Destination port.
    pub dport: u16,
}

/// An application printer: appends after `src.sport > dst.dport: ...`.
pub(super) type AppPrinter = fn(&mut Printer, &mut String, &Segment<'_>) -> Printed;

/// An application protocol's JSON facts: members appended to the packet's
/// object (e.g. `"dns":{...}`).
pub(super) type AppJson = fn(&mut Obj<'_>, &Segment<'_>);

/// An application protocol in a port table: its text printer and, for the
/// protocols whose facts JSON carries, its JSON writer.
pub(super) struct App {
    /// The tcpdump-style printer; `None` for a port tcpdump gives to a
    /// printer rawcap does not have (the transport's own line is printed,
    /// and the entry keeps its place in tcpdump's order).
    pub text: Option<AppPrinter>,
    /// The JSON writer, if the protocol has JSON facts.
    pub json: Option<AppJson>,
}

impl App {
    /// A protocol printed as text only.
    const fn text(text: AppPrinter) -> App {
        App {
            text: Some(text),
            json: None,
        }
    }

    /// A protocol printed as text and JSON.
    const fn both(text: AppPrinter, json: AppJson) -> App {
        App {
            text: Some(text),
            json: Some(json),
        }
    }

    /// A port tcpdump decodes with a printer rawcap does not have.
    const NONE: App = App {
        text: None,
        json: None,
    };
}

/// Which ports select an application printer.
#[derive(Clone, Copy, Debug)]
pub(super) enum Port {
    /// Either port equals this one (tcpdump's `IS_SRC_OR_DST_PORT`).
    Either(u16),
    /// The source port equals this one.
    Src(u16),
    /// The destination port equals this one.
    Dst(u16),
    /// Either port lies in this range (inclusive).
    Range(u16, u16),
}

impl Port {
    fn matches(self, sport: u16, dport: u16) -> bool {
        match self {
            Port::Either(p) => sport == p || dport == p,
            Port::Src(p) => sport == p,
            Port::Dst(p) => dport == p,
            Port::Range(lo, hi) => (lo..=hi).contains(&sport) || (lo..=hi).contains(&dport),
        }
    }
}

/// TCP application printers in print-tcp.c's order.
pub(super) const TCP_PORTS: &[(Port, App)] = &[
    (Port::Either(23), App::text(telnet::print)),
    (Port::Either(179), App::both(bgp::print, bgp::json)),
    (Port::Either(1723), App::NONE), // PPTP
    (Port::Either(6379), App::NONE), // RESP
    (Port::Either(25), App::text(txtproto::smtp)),
    (Port::Either(43), App::text(txtproto::whois)),
    (Port::Either(22), App::text(ssh::print)),
    (Port::Either(21), App::text(txtproto::ftp)),
    (Port::Either(80), App::text(http::print)),
    (Port::Either(8080), App::text(http::print)),
    (Port::Either(554), App::text(txtproto::rtsp)),
    (Port::Either(8554), App::text(txtproto::rtsp)),
    (Port::Either(53), App::both(dns::print_tcp, dns::json_tcp)),
];

/// UDP application printers in print-udp.c's order (tcpdump 4.99).
pub(super) const UDP_PORTS: &[(Port, App)] = &[
    (Port::Either(53), App::both(dns::print_udp, dns::json)),
    (
        Port::Either(5353),
        App::both(dns::print_mdns, dns::json_mdns),
    ),
    (Port::Either(525), App::NONE), // timed
    (Port::Either(69), App::text(tftp::print)),
    (Port::Either(68), App::both(dhcp::print, dhcp::json)),
    (Port::Either(67), App::both(dhcp::print, dhcp::json)),
    (Port::Either(520), App::text(rip::print)),
    (Port::Either(654), App::NONE), // AODV
    (Port::Either(500), App::text(isakmp::print)),
    (Port::Either(4500), App::text(ipsec::natt)),
    (Port::Either(7500), App::text(isakmp::print)),
    (Port::Either(8500), App::text(isakmp::print)),
    (Port::Either(161), App::text(snmp::print)),
    (Port::Either(162), App::text(snmp::print)),
    (Port::Either(123), App::both(ntp::print, ntp::json)),
    (Port::Either(88), App::NONE),        // Kerberos
    (Port::Either(750), App::NONE),       // Kerberos IV
    (Port::Either(1701), App::NONE),      // L2TP
    (Port::Either(137), App::NONE),       // NetBIOS name service
    (Port::Either(138), App::NONE),       // NetBIOS datagrams
    (Port::Dst(3456), App::NONE),         // vat
    (Port::Either(2103), App::NONE),      // Zephyr
    (Port::Either(2104), App::NONE),      // Zephyr
    (Port::Range(7000, 7009), App::NONE), // AFS Rx
    (Port::Either(521), App::text(ripng::print)),
    (Port::Either(547), App::text(dhcp6::print)),
    (Port::Either(546), App::text(dhcp6::print)),
    (Port::Either(5359), App::NONE), // AHCP
    (Port::Either(6696), App::NONE), // Babel
    (Port::Either(6697), App::NONE), // Babel (old)
    (Port::Either(8231), App::NONE), // HNCP
    (Port::Dst(4567), App::NONE),    // wb
    (Port::Either(496), App::NONE),  // Cisco Auto-RP
    (Port::Either(1645), App::text(radius::print)),
    (Port::Either(1812), App::text(radius::print)),
    (Port::Either(1646), App::text(radius::print)),
    (Port::Either(1813), App::text(radius::print)),
    (Port::Either(1700), App::text(radius::print)),
    (Port::Either(3799), App::text(radius::print)),
    (Port::Dst(1985), App::text(hsrp::print)),
    (Port::Either(921), App::NONE),  // lwres
    (Port::Either(646), App::NONE),  // LDP
    (Port::Either(698), App::NONE),  // OLSR
    (Port::Either(3503), App::NONE), // MPLS LSP ping
    (Port::Src(49152), App::text(bcmli::print)),
    (Port::Dst(3784), App::text(bfd::print)),
    (Port::Dst(4784), App::text(bfd::print)),
    (Port::Dst(6784), App::text(bfd::print)),
    (Port::Dst(3785), App::text(bfd::print)),
    (Port::Either(701), App::NONE),   // LMP
    (Port::Either(1589), App::NONE),  // VQP
    (Port::Either(6343), App::NONE),  // sFlow
    (Port::Dst(12223), App::NONE),    // LWAPP control
    (Port::Src(12223), App::NONE),    // LWAPP control
    (Port::Either(12222), App::NONE), // LWAPP data
    (Port::Either(5060), App::text(txtproto::sip)),
    (Port::Either(514), App::text(syslog::print)),
    (Port::Either(8472), App::NONE), // OTV
    (Port::Either(4789), App::both(vxlan::print, vxlan::json)),
    (Port::Either(6081), App::both(geneve::print, geneve::json)),
    (Port::Either(4342), App::NONE), // LISP control
    (
        Port::Either(4790),
        App::both(vxlan::print_gpe, vxlan::json_gpe),
    ),
    (Port::Either(17754), App::NONE), // ZEP
    (
        Port::Either(6635),
        App::text(|p, out, s| mpls::print(p, out, s.data, s.len)),
    ),
    (Port::Either(319), App::NONE),   // PTP event
    (Port::Either(320), App::NONE),   // PTP general
    (Port::Either(30490), App::NONE), // SOME/IP
];

/// The first TCP printer whose ports match.
pub(super) fn tcp_port(sport: u16, dport: u16) -> Option<AppPrinter> {
    lookup(TCP_PORTS, sport, dport).and_then(|a| a.text)
}

/// The first UDP printer whose ports match.
pub(super) fn udp_port(sport: u16, dport: u16) -> Option<AppPrinter> {
    lookup(UDP_PORTS, sport, dport).and_then(|a| a.text)
}

/// The JSON writer of the TCP protocol tcpdump would print, if it has one.
pub(super) fn tcp_json(sport: u16, dport: u16) -> Option<AppJson> {
    lookup(TCP_PORTS, sport, dport).and_then(|a| a.json)
}

/// The JSON writer of the UDP protocol tcpdump would print, if it has one.
pub(super) fn udp_json(sport: u16, dport: u16) -> Option<AppJson> {
    lookup(UDP_PORTS, sport, dport).and_then(|a| a.json)
}

fn lookup(table: &'static [(Port, App)], sport: u16, dport: u16) -> Option<&'static App> {
    find(table, sport, dport).map(|i| &table[i].1)
}

/// The index of the first entry whose ports match.
fn find(table: &[(Port, App)], sport: u16, dport: u16) -> Option<usize> {
    table
        .iter()
        .position(|(port, _)| port.matches(sport, dport))
}

/// A network-layer printer: the bytes after the link header (or tag), and
/// the length on the wire from there.
pub(super) type NetPrinter = fn(&mut Printer, &mut String, &[u8], usize) -> Printed;

/// The printer for a network layer by EtherType (print-ether.c's
/// ethertype_print).
pub(super) fn ethertype(et: EtherType) -> Option<NetPrinter> {
    use EtherType as E;
    Some(match et {
        E::Ipv4 => ip::print_packet,
        E::Ipv6 => ip6::print_packet,
        E::Arp | E::Rarp => arp::print_packet,
        E::Mpls | E::MplsMulti => mpls::print,
        E::PppoeDiscovery | E::PppoeSession => pppoe::print,
        E::Lldp => lldp::print,
        E::Eapol => eapol::print,
        E::Slow => slow::print,
        E::Loopback => loopback::print,
        E::Decnet => decnet::print,
        E::Iso => super::osi::ether,
        E::Atalk => atalk::print,
        E::Aarp => atalk::aarp,
        E::Ipx => |p, out, data, _| {
            out.push_str("(NOV-ETHII) ");
            ipx::print(p, out, data)
        },
        E::Ppp => |p, out, data, length| {
            if length > 0 {
                out.push_str(": ");
                ppp::print(p, out, data, length)?;
            }
            Ok(())
        },
        _ => return None,
    })
}

/// ethertype_print: the payload of EtherType `et`; `false` when no printer
/// knows it (the caller prints the link header and a hex dump).
pub(super) fn ethertype_print(
    p: &mut Printer,
    out: &mut String,
    et: u16,
    data: &[u8],
    length: usize,
) -> Result<bool, Trunc> {
    match ethertype(EtherType::from_raw(et)) {
        Some(f) => {
            f(p, out, data, length)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// The payload of an IP protocol and what its printer needs of the IP
/// header (print-ip-demux.c's arguments).
pub(super) struct IpPayload<'a> {
    /// The captured payload (ending at the IP length).
    pub data: &'a [u8],
    /// The payload length by the IP header.
    pub length: usize,
    /// The IP header.
    pub ip: &'a Ip<'a>,
    /// The packet is a fragment (no transport checksum check).
    pub fragmented: bool,
    /// The IP TTL or hop limit (VRRP and CARP check it).
    #[allow(dead_code)]
    pub ttl: u8,
}

/// A printer of an IP payload.
pub(super) type IpPrinter = fn(&mut Printer, &mut String, &IpPayload<'_>) -> Printed;

/// The printer for an IP payload by protocol (print-ip-demux.c's switch;
/// AH, the version checks and "no next header" stay in demux).
pub(super) fn ip_proto(proto: IpProto) -> Option<IpPrinter> {
    use IpProto as P;
    Some(match proto {
        P::Tcp => tcp::print,
        P::Udp => udp::print,
        P::Icmp => icmp::print,
        P::Icmpv6 => icmp6::print,
        P::Ipv4 => |p, out, s| ip::print_packet(p, out, s.data, s.length),
        P::Ipv6 => |p, out, s| ip6::print_packet(p, out, s.data, s.length),
        P::Esp => ipsec::esp,
        P::Igmp => igmp::print,
        P::Sctp => sctp::print,
        P::Dccp => dccp::print,
        P::Gre => gre::print,
        P::IpComp => ipsec::ipcomp,
        // IPv4 is turned away in demux ([Ethernet requires IPv6]).
        P::Ethernet => |p, out, s| ether::print(p, out, s.data, s.length).map(|_| ()),
        P::Vrrp => vrrp::print,
        P::Ospf => ospf::print,
        P::Eigrp => eigrp::print,
        P::Pigp => igrp::print,
        P::Pim => pim::print,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_match_in_table_order() {
        assert!(Port::Either(80).matches(80, 1) && Port::Either(80).matches(1, 80));
        assert!(Port::Src(5).matches(5, 1) && !Port::Src(5).matches(1, 5));
        assert!(Port::Dst(5).matches(1, 5) && !Port::Dst(5).matches(5, 1));
        // 22 comes before 80 in print-tcp.c's chain.
        let i = find(TCP_PORTS, 80, 22).unwrap();
        assert!(matches!(TCP_PORTS[i].0, Port::Either(22)));
        assert!(tcp_port(1, 2).is_none());
    }
}
