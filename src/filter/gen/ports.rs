//! Port and port-range tests over TCP, UDP and SCTP, IPv4 (first
//! fragments only) and IPv6 (gencode.c's `gen_port`, `gen_portop`,
//! `gen_portrange`, and their `6` twins).

use super::*;

/// The ports a test matches: `port P1`, or `portrange P1-P2` (either order).
#[derive(Clone, Copy)]
pub(super) struct Ports {
    pub(super) p1: u32,
    pub(super) p2: u32,
    pub(super) range: bool,
}

impl Ports {
    /// One port.
    pub(super) const fn one(p: u32) -> Self {
        Ports {
            p1: p,
            p2: p,
            range: false,
        }
    }
}

impl Gen<'_> {
    /// IPv6 ports or IPv4 ports (`gen_port6` first, as libpcap orders them).
    pub(super) fn port_both(&mut self, ports: Ports, pp: PortProto, dir: Dir) -> R<BlockId> {
        let b4 = self.port(ports, pp, dir, false)?;
        let b6 = self.port(ports, pp, dir, true)?;
        Ok(self.or(b6, b4))
    }

    /// `gen_port`/`gen_port6`: IPv4 (or IPv6) and the transport's ports.
    pub(super) fn port(&mut self, ports: Ports, pp: PortProto, dir: Dir, v6: bool) -> R<BlockId> {
        let b0 = self.linktype(if v6 { ETHERTYPE_IPV6 } else { ETHERTYPE_IP })?;
        let b1 = match pp {
            PortProto::Tcp => self.portop(ports, IPPROTO_TCP, dir, v6)?,
            PortProto::Udp => self.portop(ports, IPPROTO_UDP, dir, v6)?,
            PortProto::Sctp => self.portop(ports, IPPROTO_SCTP, dir, v6)?,
            PortProto::Any => {
                let tmp = self.portop(ports, IPPROTO_TCP, dir, v6)?;
                let b1 = self.portop(ports, IPPROTO_UDP, dir, v6)?;
                let b1 = self.or(tmp, b1);
                let tmp = self.portop(ports, IPPROTO_SCTP, dir, v6)?;
                self.or(tmp, b1)
            }
        };
        Ok(self.and(b0, b1))
    }

    /// `gen_portop`: the IP protocol (IPv4: not a later fragment), then the
    /// source and/or destination port.
    fn portop(&mut self, ports: Ports, ipproto: u32, dir: Dir, v6: bool) -> R<BlockId> {
        let b0 = if v6 {
            self.cmp(Rel::LinkPl, 6, B, ipproto)?
        } else {
            // ip proto and not a fragment other than the first.
            let tmp = self.cmp(Rel::LinkPl, 9, B, ipproto)?;
            let b0 = self.ipfrag()?;
            self.and(tmp, b0)
        };
        let b1 = self.either_dir(dir, |g, d| {
            g.portatom(if d == Dir::Src { 0 } else { 2 }, ports, v6)
        })?;
        Ok(self.and(b0, b1))
    }

    /// `gen_portatom`/`gen_portrangeatom`: the port at `off` in the transport header.
    fn portatom(&mut self, off: u32, ports: Ports, v6: bool) -> R<BlockId> {
        let rel = if v6 { Rel::TranIpv6 } else { Rel::TranIpv4 };
        let Ports { p1, p2, range } = ports;
        if !range {
            return self.cmp(rel, off, H, p1);
        }
        let (lo, hi) = if p1 > p2 { (p2, p1) } else { (p1, p2) };
        let b1 = self.cmp_ge(rel, off, H, lo)?;
        let b2 = self.cmp_le(rel, off, H, hi)?;
        Ok(self.and(b1, b2))
    }

    /// Not an IPv4 fragment other than the first: `!(ip[6:2] & 0x1fff)`.
    pub(super) fn ipfrag(&mut self) -> R<BlockId> {
        let s = self.load_a(Rel::LinkPl, 6, H);
        let b = self.new_jump(s, JSET | K, 0x1fff)?;
        Ok(self.not(b))
    }
}
