//! Protocol primitives: bare protocol names (`tcp`, `ip6`, `isis`, ...)
//! and `[ip|ip6|ether|iso|isis] proto N` (gencode.c's `gen_proto_abbrev`,
//! `gen_proto`).

use super::*;

impl Gen<'_> {
    /// `gen_proto_abbrev`: a bare protocol name.
    pub(super) fn proto_abbrev(&mut self, p: Proto) -> R<BlockId> {
        use Proto as P;
        match p {
            P::Sctp => self.proto(IPPROTO_SCTP, P::Default, Dir::Default),
            P::Tcp => self.proto(IPPROTO_TCP, P::Default, Dir::Default),
            P::Udp => self.proto(IPPROTO_UDP, P::Default, Dir::Default),
            P::Icmp => self.proto(1, P::Ip, Dir::Default),
            P::Igmp => self.proto(2, P::Ip, Dir::Default),
            P::Igrp => self.proto(9, P::Ip, Dir::Default),
            P::Pim => self.proto(103, P::Default, Dir::Default),
            P::Vrrp | P::Carp => self.proto(112, P::Ip, Dir::Default),
            P::Ip => self.linktype(ETHERTYPE_IP),
            P::Arp => self.linktype(ETHERTYPE_ARP),
            P::Rarp => self.linktype(ETHERTYPE_REVARP),
            P::Link => self.fail(K::LinkAlone),
            P::Atalk => self.linktype(ETHERTYPE_ATALK),
            P::Aarp => self.linktype(ETHERTYPE_AARP),
            P::Decnet => self.linktype(ETHERTYPE_DN),
            P::Sca => self.linktype(ETHERTYPE_SCA),
            P::Lat => self.linktype(ETHERTYPE_LAT),
            P::Mopdl => self.linktype(ETHERTYPE_MOPDL),
            P::Moprc => self.linktype(ETHERTYPE_MOPRC),
            P::Ip6 => self.linktype(ETHERTYPE_IPV6),
            P::Icmp6 => self.proto(58, P::Ip6, Dir::Default),
            P::Ah => self.proto(51, P::Default, Dir::Default),
            P::Esp => self.proto(50, P::Default, Dir::Default),
            P::Iso => self.linktype(LLCSAP_ISONS),
            P::Esis => self.proto(ISO9542_ESIS, P::Iso, Dir::Default),
            P::Isis => self.proto(ISO10589_ISIS, P::Iso, Dir::Default),
            P::Clnp => self.proto(ISO8473_CLNP, P::Iso, Dir::Default),
            P::Stp => self.linktype(LLCSAP_8021D),
            P::Ipx => self.linktype(LLCSAP_IPX),
            P::Netbeui => self.linktype(LLCSAP_NETBEUI),
            P::Radio => self.fail(K::NotAProtocol("radio")),
            P::IsisL1 => self.isis_any(&[
                ISIS_L1_LAN_IIH,
                ISIS_PTP_IIH,
                ISIS_L1_LSP,
                ISIS_L1_CSNP,
                ISIS_L1_PSNP,
            ]),
            P::IsisL2 => self.isis_any(&[
                ISIS_L2_LAN_IIH,
                ISIS_PTP_IIH,
                ISIS_L2_LSP,
                ISIS_L2_CSNP,
                ISIS_L2_PSNP,
            ]),
            P::IsisIih => self.isis_any(&[ISIS_L1_LAN_IIH, ISIS_L2_LAN_IIH, ISIS_PTP_IIH]),
            P::IsisLsp => self.isis_any(&[ISIS_L1_LSP, ISIS_L2_LSP]),
            P::IsisSnp => self.isis_any(&[ISIS_L1_CSNP, ISIS_L2_CSNP, ISIS_L1_PSNP, ISIS_L2_PSNP]),
            P::IsisCsnp => self.isis_any(&[ISIS_L1_CSNP, ISIS_L2_CSNP]),
            P::IsisPsnp => self.isis_any(&[ISIS_L1_PSNP, ISIS_L2_PSNP]),
            P::Default => self.fail(K::Internal("empty protocol")),
        }
    }

    /// `gen_proto`: `[ip|ip6|ether|iso] proto N`.
    pub(super) fn proto(&mut self, v: u32, proto: Proto, dir: Dir) -> R<BlockId> {
        use Proto as P;
        if dir != Dir::Default {
            return self.fail(K::ProtoWithDirection);
        }
        match proto {
            P::Default => {
                let b0 = self.proto(v, P::Ip, dir)?;
                let b1 = self.proto(v, P::Ip6, dir)?;
                Ok(self.or(b0, b1))
            }
            // libpcap 1.10 compiles values no 16-bit type field can hold (they
            // never match); newer releases refuse them, as rawcap does.
            P::Link if v > 0xffff => self.too_large(Field::LinkProto, v),
            P::Link => self.linktype(v),
            P::Ip => {
                let b0 = self.linktype(ETHERTYPE_IP)?;
                let b1 = self.cmp(Rel::LinkPl, 9, B, v)?;
                Ok(self.and(b0, b1))
            }
            P::Ip6 => {
                let b0 = self.linktype(ETHERTYPE_IPV6)?;
                // A fragment header may come before the final header.
                let b2 = self.cmp(Rel::LinkPl, 6, B, IPPROTO_FRAGMENT)?;
                let b1 = self.cmp(Rel::LinkPl, 40, B, v)?;
                let b1 = self.and(b2, b1);
                let b2 = self.cmp(Rel::LinkPl, 6, B, v)?;
                let b1 = self.or(b2, b1);
                Ok(self.and(b0, b1))
            }
            P::Iso if v > 0xff => self.too_large(Field::IsoProto, v),
            P::Iso => {
                let b0 = self.linktype(LLCSAP_ISONS)?;
                let b1 = self.cmp(Rel::LinkPlNoSnap, 0, B, v)?;
                Ok(self.and(b0, b1))
            }
            // The PDU type field has 5 bits.
            P::Isis if v > 0x1f => self.too_large(Field::IsisPduType, v),
            P::Isis => {
                let b0 = self.proto(ISO10589_ISIS, P::Iso, Dir::Default)?;
                // The PDU type is 4 bytes into the IS-IS header.
                let b1 = self.cmp(Rel::LinkPlNoSnap, 4, B, v)?;
                Ok(self.and(b0, b1))
            }
            P::Arp | P::Rarp | P::Lat | P::Sca | P::Moprc | P::Mopdl => {
                let name = match proto {
                    P::Arp => "arp",
                    P::Rarp => "rarp",
                    P::Lat => "LAT",
                    P::Sca => "SCA",
                    P::Moprc => "MOPRC",
                    _ => "MOPDL",
                };
                self.fail(K::NoEncapsulation(name))
            }
            P::Atalk => self.fail(K::NoEncapsulation("AppleTalk")),
            P::Decnet => self.fail(K::NoEncapsulation("DECnet")),
            other => self.fail(K::BogusProto(other.name())),
        }
    }

    /// IS-IS PDUs of any of `types` (`l1`, `iih`, ...), or-ed as libpcap does:
    /// the first two, then each further one in front.
    pub(super) fn isis_any(&mut self, types: &[u32]) -> R<BlockId> {
        let mut b1 = self.proto(types[0], Proto::Isis, Dir::Default)?;
        if let Some(&t) = types.get(1) {
            let b = self.proto(t, Proto::Isis, Dir::Default)?;
            b1 = self.or(b1, b);
        }
        for &t in types.iter().skip(2) {
            let b0 = self.proto(t, Proto::Isis, Dir::Default)?;
            b1 = self.or(b0, b1);
        }
        Ok(b1)
    }
}
