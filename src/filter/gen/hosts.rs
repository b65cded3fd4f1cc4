//! Host and network tests: IPv4 (and ARP/RARP), IPv6, DECnet and
//! Ethernet addresses in either direction (gencode.c's `gen_host`,
//! `gen_hostop`, `gen_host6`, `gen_dnhostop`, `gen_ehostop`).

use super::*;

impl Gen<'_> {
    pub(super) fn host(
        &mut self,
        addr: u32,
        mask: u32,
        proto: Proto,
        dir: Dir,
        addrq: AddrQ,
    ) -> R<BlockId> {
        use Proto as P;
        let typestr = if addrq == AddrQ::Net { "net" } else { "host" };
        match proto {
            P::Default => {
                let b0 = self.host(addr, mask, P::Ip, dir, addrq)?;
                if self.label_stack_depth == 0 {
                    let b1 = self.host(addr, mask, P::Arp, dir, addrq)?;
                    let b1 = self.or(b0, b1);
                    let b0 = self.host(addr, mask, P::Rarp, dir, addrq)?;
                    return Ok(self.or(b1, b0));
                }
                Ok(b0)
            }
            P::Link => self.fail(K::Modifier {
                modifier: "link",
                target: typestr,
            }),
            P::Ip => self.hostop(addr, mask, dir, ETHERTYPE_IP, 12, 16),
            P::Rarp => self.hostop(addr, mask, dir, ETHERTYPE_REVARP, 14, 24),
            P::Arp => self.hostop(addr, mask, dir, ETHERTYPE_ARP, 14, 24),
            P::Decnet => self.dnhostop(addr, dir),
            P::Ip6 => self.fail(K::Modifier {
                modifier: "ip6",
                target: "ip host",
            }),
            other => self.fail(K::Modifier {
                modifier: other.name(),
                target: typestr,
            }),
        }
    }

    pub(super) fn hostop(
        &mut self,
        addr: u32,
        mask: u32,
        dir: Dir,
        ll: u32,
        src_off: u32,
        dst_off: u32,
    ) -> R<BlockId> {
        self.either_dir(dir, |g, d| {
            let offset = if d == Dir::Src { src_off } else { dst_off };
            let b0 = g.linktype(ll)?;
            let b1 = g.mcmp(Rel::LinkPl, offset, W, addr, mask)?;
            Ok(g.and(b0, b1))
        })
    }

    /// One test per direction: `src`, `dst`, or both (`src or dst` when none
    /// is given), source first, combined as libpcap does.
    pub(super) fn either_dir(
        &mut self,
        dir: Dir,
        mut one: impl FnMut(&mut Self, Dir) -> R<BlockId>,
    ) -> R<BlockId> {
        match dir {
            Dir::Src | Dir::Dst => one(self, dir),
            Dir::And | Dir::Or | Dir::Default => {
                let b0 = one(self, Dir::Src)?;
                let b1 = one(self, Dir::Dst)?;
                Ok(if dir == Dir::And {
                    self.and(b0, b1)
                } else {
                    self.or(b0, b1)
                })
            }
        }
    }

    /// `gen_dnhostop`: a DECnet node address in the four header layouts
    /// (long or short header, with or without padding).
    pub(super) fn dnhostop(&mut self, addr: u32, dir: Dir) -> R<BlockId> {
        // libpcap compares with ntohs() of the constants: byte-swapped on
        // the little-endian hosts its fixtures come from, as here.
        let swap = |x: u32| u32::from((x as u16).swap_bytes());
        self.either_dir(dir, |g, d| {
            let (sh, lh) = if d == Dir::Dst { (1, 7) } else { (3, 15) };
            let b0 = g.linktype(ETHERTYPE_DN)?;
            let a = swap(addr);
            let tmp = g.mcmp(Rel::LinkPl, 2, H, swap(0x0681), swap(0x07ff))?;
            let b1 = g.cmp(Rel::LinkPl, 2 + 1 + lh, H, a)?;
            let mut b1 = g.and(tmp, b1);
            for (size, off, (v, m)) in [
                (B, 2 + lh, (0x06, 0x07)),
                (H, 2 + 1 + sh, (swap(0x0281), swap(0x07ff))),
                (B, 2 + sh, (0x02, 0x07)),
            ] {
                let tmp = g.mcmp(Rel::LinkPl, 2, size, v, m)?;
                let b2 = g.cmp(Rel::LinkPl, off, H, a)?;
                let b2 = g.and(tmp, b2);
                b1 = g.or(b2, b1);
            }
            Ok(g.and(b0, b1))
        })
    }

    pub(super) fn host6(
        &mut self,
        addr: u128,
        mask: u128,
        proto: Proto,
        dir: Dir,
        addrq: AddrQ,
    ) -> R<BlockId> {
        let target = if addrq == AddrQ::Net {
            "ip6 net"
        } else {
            "ip6 host"
        };
        match proto {
            Proto::Default | Proto::Ip6 => self.hostop6(addr, mask, dir, 8, 24),
            other => self.fail(K::Modifier {
                modifier: other.name(),
                target,
            }),
        }
    }

    pub(super) fn hostop6(
        &mut self,
        addr: u128,
        mask: u128,
        dir: Dir,
        src_off: u32,
        dst_off: u32,
    ) -> R<BlockId> {
        self.either_dir(dir, |g, d| {
            let offset = if d == Dir::Src { src_off } else { dst_off };
            let word = |x: u128, i: u32| (x >> (96 - 32 * i)) as u32;
            // This order is libpcap's: last word first.
            let mut b1 = g.mcmp(Rel::LinkPl, offset + 12, W, word(addr, 3), word(mask, 3))?;
            for i in [2u32, 1, 0] {
                let b0 = g.mcmp(Rel::LinkPl, offset + 4 * i, W, word(addr, i), word(mask, i))?;
                b1 = g.and(b0, b1);
            }
            let b0 = g.linktype(ETHERTYPE_IPV6)?;
            Ok(g.and(b0, b1))
        })
    }

    pub(super) fn ehostop(&mut self, mac: &[u8; 6], dir: Dir) -> R<BlockId> {
        self.either_dir(dir, |g, d| {
            g.bcmp(Rel::LinkHdr, if d == Dir::Src { 6 } else { 0 }, mac)
        })
    }
}
