//! Link-layer tests: what `ip`, `arp`, `ether proto N`... compile to on
//! each link type (gencode.c's `gen_linktype` and friends), and the
//! primitives that read the link header: `llc`, `broadcast`, `multicast`,
//! `inbound`/`outbound`, `ifindex`.

use super::*;

impl Gen<'_> {
    /// `gen_linktype`: the frame's network layer is `proto` (an EtherType,
    /// or an LLC SAP at most 1500), tested the way the link type says it.
    pub(super) fn linktype(&mut self, proto: u32) -> R<BlockId> {
        if self.label_stack_depth > 0 {
            return self.mpls_linktype(proto);
        }
        match self.link {
            Link::Ether | Link::Sll => self.ether_linktype(proto),
            // libpcap 1.10 has no LLC rules for SLL2: the protocol field alone.
            Link::Sll2 => self.cmp(Rel::LinkType, 0, H, proto),
            Link::Null | Link::Loop => self.loopback_linktype(proto),
            Link::Raw => match proto {
                ETHERTYPE_IP => self.mcmp(Rel::LinkHdr, 0, B, 0x40, 0xf0),
                ETHERTYPE_IPV6 => self.mcmp(Rel::LinkHdr, 0, B, 0x60, 0xf0),
                _ => self.gen_false(),
            },
            Link::Ipv4 => self.uncond(proto == ETHERTYPE_IP),
            Link::Ipv6 => self.uncond(proto == ETHERTYPE_IPV6),
            Link::Ppp => {
                let p = ethertype_to_ppptype(proto);
                self.cmp(Rel::LinkType, 0, H, p)
            }
        }
    }

    /// `gen_loopback_linktype` for NULL and LOOP: the 4-byte address family.
    /// IPv4 is `AF_INET` (2) everywhere; IPv6 is Linux's `AF_INET6` (10) on
    /// this host, and in a savefile whichever BSD wrote it (24, 28 or 30).
    /// Other protocols never match.
    fn loopback_linktype(&mut self, proto: u32) -> R<BlockId> {
        match proto {
            ETHERTYPE_IP => self.loopback_family(AF_INET),
            ETHERTYPE_IPV6 if self.opts.savefile.is_some() => {
                let b0 = self.loopback_family(BSD_AFNUM_INET6_BSD)?;
                let b1 = self.loopback_family(BSD_AFNUM_INET6_FREEBSD)?;
                let b1 = self.or(b0, b1);
                let b0 = self.loopback_family(BSD_AFNUM_INET6_DARWIN)?;
                Ok(self.or(b0, b1))
            }
            ETHERTYPE_IPV6 => self.loopback_family(AF_INET6_LINUX),
            _ => self.gen_false(),
        }
    }

    /// The family word equals `af`: in network order for LOOP; for NULL in
    /// the byte order of the host that wrote it (a savefile's writer, else
    /// this little-endian host), read here as a big-endian word.
    fn loopback_family(&mut self, af: u32) -> R<BlockId> {
        let big = self.opts.savefile == Some(ByteOrder::Big);
        let v = if self.link == Link::Null && !big {
            af.swap_bytes()
        } else {
            af
        };
        self.cmp(Rel::LinkHdr, 0, W, v)
    }

    pub(super) fn snap(&mut self, orgcode: u32, ptype: u32) -> R<BlockId> {
        let block = [
            0xaa,
            0xaa,
            0x03,
            (orgcode >> 16) as u8,
            (orgcode >> 8) as u8,
            orgcode as u8,
            (ptype >> 8) as u8,
            ptype as u8,
        ];
        self.bcmp(Rel::Llc, 0, &block)
    }

    /// The frame carries an 802.2 LLC header: on Ethernet the length/type
    /// field is a length (`!(type > 1500)`), on Linux cooked the protocol
    /// field says `LINUX_SLL_P_802_2`.
    pub(super) fn is_llc(&mut self) -> R<BlockId> {
        if self.link == Link::Sll {
            return self.cmp(Rel::LinkType, 0, H, LINUX_SLL_P_802_2);
        }
        let b = self.cmp_gt(Rel::LinkType, 0, H, ETHERMTU)?;
        Ok(self.not(b))
    }

    /// `gen_ether_linktype` and `gen_linux_sll_linktype`: Ethernet types and
    /// LLC SAPs, with the 802.2/SNAP encapsulations libpcap also accepts.
    pub(super) fn ether_linktype(&mut self, proto: u32) -> R<BlockId> {
        let sll = self.link == Link::Sll;
        match proto {
            LLCSAP_ISONS | LLCSAP_IP | LLCSAP_NETBEUI => {
                let b0 = self.is_llc()?;
                let b1 = self.cmp(Rel::Llc, 0, H, (proto << 8) | proto)?;
                Ok(self.and(b0, b1))
            }
            LLCSAP_IPX => {
                // Ethernet_802.2 (DSAP 0xe0), Ethernet_802.3 (raw 0xffff on
                // Ethernet, its own protocol on cooked), Ethernet_SNAP, Ethernet_II.
                let b0 = self.cmp(Rel::Llc, 0, B, LLCSAP_IPX)?;
                let b1 = if sll {
                    let snap = self.snap(0, ETHERTYPE_IPX)?;
                    self.or(b0, snap)
                } else {
                    let raw = self.cmp(Rel::Llc, 0, H, 0xffff)?;
                    let b1 = self.or(b0, raw);
                    let snap = self.snap(0, ETHERTYPE_IPX)?;
                    self.or(snap, b1)
                };
                let b0 = self.is_llc()?;
                let mut b1 = self.and(b0, b1);
                if sll {
                    let raw = self.cmp(Rel::LinkType, 0, H, LINUX_SLL_P_802_3)?;
                    b1 = self.or(raw, b1);
                }
                let b0 = self.cmp(Rel::LinkType, 0, H, ETHERTYPE_IPX)?;
                Ok(self.or(b0, b1))
            }
            ETHERTYPE_ATALK | ETHERTYPE_AARP => {
                let b0 = self.is_llc()?;
                let b1 = if proto == ETHERTYPE_ATALK {
                    self.snap(0x080007, ETHERTYPE_ATALK)?
                } else {
                    self.snap(0, ETHERTYPE_AARP)?
                };
                let b1 = self.and(b0, b1);
                let b0 = self.cmp(Rel::LinkType, 0, H, proto)?;
                Ok(self.or(b0, b1))
            }
            _ if proto <= ETHERMTU => {
                let b0 = self.is_llc()?;
                let b1 = if sll {
                    self.cmp(Rel::LinkHdr, self.off_linkpl.constant_part, B, proto)?
                } else {
                    self.cmp(Rel::LinkType, 2, B, proto)?
                };
                Ok(self.and(b0, b1))
            }
            _ => self.cmp(Rel::LinkType, 0, H, proto),
        }
    }

    /// `gen_llc` and `gen_llc_{i,s,u}`, `gen_llc_{s,u}_subtype`: an 802.2
    /// frame that is not raw 802.3 IPX (`ffff`), and the frame type in the
    /// low bits of its control byte (llc.h's masks).
    pub(super) fn llc(&mut self, kind: Option<LlcType>) -> R<BlockId> {
        if self.link != Link::Ether {
            return self.not_on_link(Feature::Llc);
        }
        let b0 = self.is_llc()?;
        let b1 = self.cmp(Rel::Llc, 0, H, 0xffff)?;
        let b1 = self.not(b1);
        let b0 = self.and(b0, b1);
        let b1 = match kind {
            None => return Ok(b0),
            Some(LlcType::I) => {
                let s = self.load_a(Rel::Llc, 2, B);
                let b = self.new_jump(s, JSET | K, 0x01)?;
                self.not(b)
            }
            Some(LlcType::S) => self.mcmp(Rel::Llc, 2, B, LLC_S_FMT, 0x03)?,
            Some(LlcType::U) => self.mcmp(Rel::Llc, 2, B, LLC_U_FMT, 0x03)?,
            Some(LlcType::Supervisory(v)) => self.mcmp(Rel::Llc, 2, B, v, LLC_S_CMD_MASK)?,
            Some(LlcType::Unnumbered(v)) => self.mcmp(Rel::Llc, 2, B, v, LLC_U_CMD_MASK)?,
        };
        Ok(self.and(b0, b1))
    }

    /// Link-layer address tests need Ethernet: the check to AND in front of
    /// them (an inner Ethernet header inside Geneve), or the refusal.
    pub(super) fn ether_addresses(&mut self, feature: Feature) -> R<Option<BlockId>> {
        if self.link != Link::Ether {
            return self.not_on_link(feature);
        }
        self.prevlinkhdr_check()
    }

    pub(super) fn broadcast(&mut self, proto: Proto) -> R<BlockId> {
        match proto {
            Proto::Default | Proto::Link => {
                let tmp = self.ether_addresses(Feature::Broadcast)?;
                let b = self.ehostop(&[0xff; 6], Dir::Dst)?;
                Ok(self.and_opt(tmp, b))
            }
            Proto::Ip => {
                // 0 is how tcpdump says "no netmask" (an interface without
                // IPv4, a savefile, -d): libpcap 1.10 then compiled a test
                // of 0.0.0.0 and 255.255.255.255 only; newer releases refuse.
                let Some(netmask) = self.opts.netmask.filter(|&m| m != 0) else {
                    return self.fail(K::NoNetmask);
                };
                let b0 = self.linktype(ETHERTYPE_IP)?;
                let hostmask = !netmask;
                let b1 = self.mcmp(Rel::LinkPl, 16, W, 0, hostmask)?;
                let b2 = self.mcmp(Rel::LinkPl, 16, W, hostmask, hostmask)?;
                let b2 = self.or(b1, b2);
                Ok(self.and(b0, b2))
            }
            _ => self.fail(K::BroadcastProto),
        }
    }

    pub(super) fn multicast(&mut self, proto: Proto) -> R<BlockId> {
        match proto {
            Proto::Default | Proto::Link => {
                let tmp = self.ether_addresses(Feature::Multicast)?;
                let s = self.load_a(Rel::LinkHdr, 0, B);
                let b = self.new_jump(s, JSET | K, 1)?;
                Ok(self.and_opt(tmp, b))
            }
            Proto::Ip => {
                let b0 = self.linktype(ETHERTYPE_IP)?;
                let b1 = self.cmp_ge(Rel::LinkPl, 16, B, 224)?;
                Ok(self.and(b0, b1))
            }
            Proto::Ip6 => {
                let b0 = self.linktype(ETHERTYPE_IPV6)?;
                let b1 = self.cmp(Rel::LinkPl, 24, B, 255)?;
                Ok(self.and(b0, b1))
            }
            _ => self.fail(K::MulticastProto),
        }
    }

    /// `gen_inbound`: the cooked headers' packet type, else (live capture
    /// only) the socket's `SKF_AD_PKTTYPE`.
    pub(super) fn inbound(&mut self, outbound: bool) -> R<BlockId> {
        let b0 = match self.link {
            Link::Sll => self.cmp(Rel::LinkHdr, sll::PKTTYPE as u32, H, LINUX_SLL_OUTGOING)?,
            Link::Sll2 => self.cmp(Rel::LinkHdr, sll2::PKTTYPE as u32, B, LINUX_SLL_OUTGOING)?,
            _ if self.opts.linux_ext => self.cmp(
                Rel::LinkHdr,
                skf::AD_OFF + skf::AD_PKTTYPE,
                H,
                PACKET_OUTGOING,
            )?,
            _ => return self.fail(K::NeedsMetadata(Feature::Direction)),
        };
        Ok(if outbound { b0 } else { self.not(b0) })
    }

    /// `gen_ifindex`: LINUX_SLL2's interface index, else (live capture only)
    /// the socket's `SKF_AD_IFINDEX`.
    pub(super) fn ifindex(&mut self, n: u32) -> R<BlockId> {
        if self.link == Link::Sll2 {
            return self.cmp(Rel::LinkHdr, sll2::IFINDEX as u32, W, n);
        }
        if !self.opts.linux_ext {
            return self.fail(K::NeedsMetadata(Feature::Ifindex));
        }
        self.cmp(Rel::LinkHdr, skf::AD_OFF + skf::AD_IFINDEX, W, n)
    }
}

pub(super) fn ethertype_to_ppptype(p: u32) -> u32 {
    match p {
        ETHERTYPE_IP => 0x21,
        ETHERTYPE_IPV6 => 0x57,
        ETHERTYPE_DN => 0x27,
        ETHERTYPE_ATALK => 0x29,
        ETHERTYPE_NS => 0x25,
        LLCSAP_ISONS => 0x23,
        LLCSAP_8021D => 0x31,
        LLCSAP_IPX => 0x2b,
        other => other,
    }
}
