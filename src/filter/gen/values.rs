//! Qualified values: a number, an address or a name after its qualifiers
//! (`src net 198.18.0.0/15`, `port http`, `host gw`), turned into host,
//! port or protocol tests (gencode.c's `gen_ncode`, `gen_mcode`,
//! `gen_mcode6`, `gen_ecode`, `gen_scode`), with names from the resolver or
//! the built-in tables.

use super::*;

impl Gen<'_> {
    pub(super) fn id(&mut self, q: Qual, v: &Value) -> R<BlockId> {
        match v {
            Value::Num(n) => self.ncode(None, *n, q),
            Value::Ipv4(s) => self.ncode(Some(s), 0, q),
            Value::Ipv4Len(s, len) => self.mcode(s, None, *len, q),
            Value::Ipv4Mask(s, m) => self.mcode(s, Some(m), 0, q),
            Value::Ipv6(s, len) => self.mcode6(s, *len, q),
            Value::Mac(m) => self.ecode(m, q),
            Value::Name(s) => self.scode(s, q),
        }
    }

    /// `__pcap_atoin`: a dotted address and its length in bits.
    pub(super) fn atoin(&self, s: &str) -> R<(u32, u32)> {
        let mut addr: u32 = 0;
        let mut len = 0;
        for part in s.split('.') {
            let n = super::super::lex::parse_num(part)
                .ok()
                .filter(|n| *n <= 255)
                .map_or_else(|| self.bad_address(AddressKind::Ipv4, s), Ok)?;
            addr = (addr << 8) | n;
            len += 8;
        }
        Ok((addr, len))
    }

    /// `gen_ncode`: a number or dotted address with qualifiers.
    pub(super) fn ncode(&mut self, s: Option<&str>, v: u32, q: Qual) -> R<BlockId> {
        let (mut v, vlen) = match s {
            None => (v, 32),
            Some(s) if q.proto == Proto::Decnet => match atodn(s) {
                Some(a) => (a, 32),
                None => return self.bad_address(AddressKind::Decnet, s),
            },
            Some(s) => self.atoin(s)?,
        };
        match q.addr {
            AddrQ::Default | AddrQ::Host | AddrQ::Net => {
                if q.proto == Proto::Decnet {
                    return self.dnhostop(v, q.dir);
                }
                if q.proto == Proto::Link {
                    return self.fail(K::NotALinkAddress);
                }
                let mut mask: u32 = 0xffff_ffff;
                if s.is_none() && q.addr == AddrQ::Net {
                    // Promote a short net number: `net 10` is 10.0.0.0/8.
                    while v != 0 && (v & 0xff00_0000) == 0 {
                        v <<= 8;
                        mask <<= 8;
                    }
                } else {
                    v = v.checked_shl(32 - vlen).unwrap_or(0);
                    mask = mask.checked_shl(32 - vlen).unwrap_or(0);
                }
                self.host(v, mask, q.proto, q.dir, q.addr)
            }
            AddrQ::Port => {
                let pp = self.port_proto(q.proto, "port")?;
                if v > 65535 {
                    return self.fail(K::PortRange(u64::from(v)));
                }
                self.port_both(Ports::one(v), pp, q.dir)
            }
            AddrQ::Portrange => {
                let pp = self.port_proto(q.proto, "portrange")?;
                if v > 65535 {
                    return self.fail(K::PortRange(u64::from(v)));
                }
                self.port_both(
                    Ports {
                        range: true,
                        ..Ports::one(v)
                    },
                    pp,
                    q.dir,
                )
            }
            AddrQ::Gateway => self.fail(K::GatewayNeedsName),
            AddrQ::Proto => self.proto(v, q.proto, q.dir),
            AddrQ::Protochain => self.protochain(v, q.proto),
        }
    }

    pub(super) fn port_proto(&self, p: Proto, what: &'static str) -> R<PortProto> {
        Ok(match p {
            Proto::Udp => PortProto::Udp,
            Proto::Tcp => PortProto::Tcp,
            Proto::Sctp => PortProto::Sctp,
            Proto::Default => PortProto::Any,
            _ => return self.fail(K::PortQualifier(what)),
        })
    }

    /// `gen_mcode`: `A.B.C.D/len` and `A.B.C.D mask M`.
    pub(super) fn mcode(
        &mut self,
        s1: &str,
        s2: Option<&str>,
        masklen: u32,
        q: Qual,
    ) -> R<BlockId> {
        let (n, nlen) = self.atoin(s1)?;
        let n = n.checked_shl(32 - nlen).unwrap_or(0);
        let m = match s2 {
            Some(s2) => {
                let (m, mlen) = self.atoin(s2)?;
                let m = m.checked_shl(32 - mlen).unwrap_or(0);
                if n & !m != 0 {
                    return self.fail(K::NonNetworkBits(format!("{s1} mask {s2}")));
                }
                m
            }
            None => {
                if masklen > 32 {
                    return self.fail(K::MaskTooLong { max: 32 });
                }
                let m = if masklen == 0 {
                    0
                } else {
                    0xffff_ffffu32 << (32 - masklen)
                };
                if n & !m != 0 {
                    return self.fail(K::NonNetworkBits(format!("{s1}/{masklen}")));
                }
                m
            }
        };
        match q.addr {
            AddrQ::Net => self.host(n, m, q.proto, q.dir, q.addr),
            _ => self.fail(K::MaskOnHost),
        }
    }

    /// `gen_mcode6`: an IPv6 address with a prefix length.
    pub(super) fn mcode6(&mut self, s: &str, masklen: u32, q: Qual) -> R<BlockId> {
        let Ok(addr) = s.parse::<core::net::Ipv6Addr>() else {
            return self.bad_address(AddressKind::Ipv6, s);
        };
        if masklen > 128 {
            return self.fail(K::MaskTooLong { max: 128 });
        }
        let mask: u128 = if masklen == 0 {
            0
        } else {
            u128::MAX << (128 - masklen)
        };
        let a = u128::from(addr);
        if a & !mask != 0 {
            return self.fail(K::NonNetworkBits(format!("{s}/{masklen}")));
        }
        match q.addr {
            AddrQ::Default | AddrQ::Host if masklen != 128 => self.fail(K::MaskOnHost),
            AddrQ::Default | AddrQ::Host | AddrQ::Net => {
                self.host6(a, mask, q.proto, q.dir, q.addr)
            }
            _ => self.fail(K::Ipv6Qualifier),
        }
    }

    /// `gen_ecode`: a MAC address.
    pub(super) fn ecode(&mut self, mac: &[u8; 6], q: Qual) -> R<BlockId> {
        if matches!(q.addr, AddrQ::Host | AddrQ::Default) && q.proto == Proto::Link {
            let tmp = self.ether_addresses(Feature::EtherAddress)?;
            let b = self.ehostop(mac, q.dir)?;
            return Ok(self.and_opt(tmp, b));
        }
        self.fail(K::MacNotEther)
    }

    /// `gen_scode`: a name with qualifiers.
    pub(super) fn scode(&mut self, name: &str, q: Qual) -> R<BlockId> {
        match q.addr {
            AddrQ::Net => {
                let Some(mut addr) = self.resolve(NameKind::Network, name, |r| r.network(name))?
                else {
                    return self.unknown(NameKind::Network, name);
                };
                // getnetbyname's number, left-justified (libpcap's quirk:
                // `169.254.0.0` keeps the all-ones mask).
                let mut mask = 0xffff_ffffu32;
                while addr != 0 && addr & 0xff00_0000 == 0 {
                    addr <<= 8;
                    mask <<= 8;
                }
                self.host(addr, mask, q.proto, q.dir, q.addr)
            }
            AddrQ::Default | AddrQ::Host => {
                if q.proto == Proto::Link {
                    let tmp = self.ether_addresses(Feature::EtherAddress)?;
                    let mac = self.resolve(NameKind::EtherHost, name, |r| r.ether_host(name))?;
                    let Some(mac) = mac else {
                        return self.unknown(NameKind::EtherHost, name);
                    };
                    let b = self.ehostop(&mac, q.dir)?;
                    return Ok(self.and_opt(tmp, b));
                }
                if q.proto == Proto::Decnet {
                    return self.fail(K::Unsupported(Unsupported::DecnetHostName));
                }
                self.host_name(name, q)
            }
            AddrQ::Port => {
                let pp = self.port_proto(q.proto, "port")?;
                let Some((port, real)) = self.nametoport(name) else {
                    return self.unknown(NameKind::Port, name);
                };
                if port > 65535 {
                    return self.fail(K::PortRange(u64::from(port)));
                }
                let real = self.override_proto(pp, real, name)?;
                self.port_both(Ports::one(port), real, q.dir)
            }
            AddrQ::Portrange => {
                let pp = self.port_proto(q.proto, "portrange")?;
                let Some((p1, p2, real)) = self.nametoportrange(name) else {
                    return self.unknown(NameKind::PortRange, name);
                };
                let real = self.override_proto(pp, real, name)?;
                for p in [p1, p2] {
                    if p > 65535 {
                        return self.fail(K::PortRange(u64::from(p)));
                    }
                }
                self.port_both(
                    Ports {
                        p1,
                        p2,
                        range: true,
                    },
                    real,
                    q.dir,
                )
            }
            AddrQ::Gateway => self.fail(K::Unsupported(Unsupported::Gateway)),
            AddrQ::Proto | AddrQ::Protochain => {
                let v = self.lookup_proto(name, q.proto)?;
                match v {
                    Some(v) if q.addr == AddrQ::Proto => self.proto(v, q.proto, q.dir),
                    Some(v) => self.protochain(v, q.proto),
                    None => self.unknown(NameKind::IpProto, name),
                }
            }
        }
    }

    /// Asks the resolver; without one, refuses the name.
    pub(super) fn resolve<T>(
        &self,
        what: NameKind,
        name: &str,
        ask: impl FnOnce(&dyn Resolve) -> Option<T>,
    ) -> R<Option<T>> {
        match self.opts.resolver.as_ref() {
            Some(r) => Ok(ask(&**r)),
            None => self.fail(K::NoResolver {
                what,
                name: name.into(),
            }),
        }
    }

    /// The named port's protocol after `tcp`/`udp`/`sctp` qualifiers (libpcap's checks).
    pub(super) fn override_proto(&self, q: PortProto, real: PortProto, name: &str) -> R<PortProto> {
        let proto = match real {
            PortProto::Tcp => Transport::Tcp,
            PortProto::Udp => Transport::Udp,
            PortProto::Sctp => Transport::Sctp,
            PortProto::Any => return Ok(if q == PortProto::Any { real } else { q }),
        };
        match q {
            PortProto::Any => Ok(real),
            _ if real == q => Ok(q),
            _ => self.fail(K::PortProtocol {
                name: name.into(),
                proto,
            }),
        }
    }

    /// `pcap_nametoproto` (the resolver, then the built-in /etc/protocols),
    /// `pcap_nametoeproto`/`pcap_nametollc`, or the OSI names, by qualifier.
    pub(super) fn lookup_proto(&self, name: &str, proto: Proto) -> R<Option<u32>> {
        Ok(match proto {
            Proto::Default | Proto::Ip | Proto::Ip6 => {
                let system = self.opts.resolver.as_ref().and_then(|r| r.protocol(name));
                match system.map(u16::from).or_else(|| names::protocol(name)) {
                    Some(v) => Some(u32::from(v)),
                    None => return self.unknown(NameKind::IpProto, name),
                }
            }
            Proto::Link => match eproto(name) {
                Some(v) => Some(v),
                None => return self.unknown(NameKind::EtherProto, name),
            },
            Proto::Iso => match name {
                "esis" => Some(ISO9542_ESIS),
                "isis" => Some(ISO10589_ISIS),
                "clnp" => Some(ISO8473_CLNP),
                _ => return self.unknown(NameKind::OsiProto, name),
            },
            _ => None,
        })
    }

    /// `pcap_nametoport`: a service name (the resolver, then the built-in
    /// /etc/services), or a decimal number (getaddrinfo(3) takes numeric
    /// services too; both protocols then).
    pub(super) fn nametoport(&self, name: &str) -> Option<(u32, PortProto)> {
        if !name.is_empty() && name.bytes().all(|c| c.is_ascii_digit()) {
            // glibc stores the number with htons(): only the low 16 bits count.
            return name
                .parse::<u64>()
                .ok()
                .map(|n| (u32::from(n as u16), PortProto::Any));
        }
        let (tcp, udp) = match self.opts.resolver.as_ref() {
            Some(r) => (
                r.service(name, Transport::Tcp),
                r.service(name, Transport::Udp),
            ),
            None => (None, None),
        };
        let (tcp, udp) = match (tcp, udp) {
            (None, None) => {
                let s = names::service(name)?;
                (s.tcp, s.udp)
            }
            found => found,
        };
        // TCP first; both protocols when UDP has the same port.
        match (tcp, udp) {
            (Some(t), Some(u)) if t == u => Some((u32::from(t), PortProto::Any)),
            (Some(t), _) => Some((u32::from(t), PortProto::Tcp)),
            (None, Some(u)) => Some((u32::from(u), PortProto::Udp)),
            (None, None) => None,
        }
    }

    /// `pcap_nametoportrange`: `N-M` numerically, else `name-name`.
    pub(super) fn nametoportrange(&self, name: &str) -> Option<(u32, u32, PortProto)> {
        let numeric = scan_int(name).and_then(|(p1, rest)| {
            let rest = rest.strip_prefix('-')?;
            let (p2, _) = scan_int(rest)?;
            Some((p1, p2))
        });
        if let Some((p1, p2)) = numeric {
            // C's `%d` into `u_int`: negative values wrap to huge ones.
            let to_u = |v: i64| {
                if v < 0 {
                    u32::MAX
                } else {
                    v.min(i64::from(u32::MAX)) as u32
                }
            };
            return Some((to_u(p1), to_u(p2), PortProto::Any));
        }
        let (a, b) = name.split_once('-')?;
        let (p1, r1) = self.nametoport(a)?;
        let (p2, r2) = self.nametoport(b)?;
        let real = if r1 == r2 { r2 } else { PortProto::Any };
        Some((p1, p2, real))
    }

    pub(super) fn host_name(&mut self, name: &str, q: Qual) -> R<BlockId> {
        let addrs = self
            .resolve(NameKind::Host, name, |r| Some(r.host(name)))?
            .unwrap_or_default();
        let (mut tproto, mut tproto6) = (q.proto, q.proto);
        if self.off_linktype.constant_part == OFFSET_NOT_SET && q.proto == Proto::Default {
            tproto = Proto::Ip;
            tproto6 = Proto::Ip6;
        }
        let mut b: Option<BlockId> = None;
        for a in addrs {
            let tmp = match a {
                IpAddr::V4(v4) => {
                    if tproto == Proto::Ip6 {
                        continue;
                    }
                    self.host(u32::from(v4), 0xffff_ffff, tproto, q.dir, q.addr)?
                }
                IpAddr::V6(v6) => {
                    if tproto6 == Proto::Ip {
                        continue;
                    }
                    self.host6(u128::from(v6), u128::MAX, tproto6, q.dir, q.addr)?
                }
            };
            if let Some(prev) = b {
                self.or(prev, tmp);
            }
            b = Some(tmp);
        }
        match b {
            Some(b) => Ok(b),
            None => self.unknown(NameKind::Host, name),
        }
    }
}

/// `__pcap_atodn`: `area.node` as a 16-bit DECnet address. libpcap 1.10
/// reads it with `sscanf("%d.%d")`, ignoring anything after the node and
/// masking out-of-range parts away (`64.120` became `0.120`); newer
/// releases refuse those, and so does rawcap: exactly two decimal parts,
/// area 0-63, node 0-1023.
fn atodn(s: &str) -> Option<u32> {
    let (area, node) = s.split_once('.')?;
    let part = |p: &str, max: u32| {
        let digits = !p.is_empty() && p.len() <= 5 && p.bytes().all(|c| c.is_ascii_digit());
        digits
            .then(|| p.parse::<u32>().ok())
            .flatten()
            .filter(|&v| v <= max)
    };
    Some((part(area, 63)? << 10) | part(node, 1023)?)
}

/// `sscanf("%d-%d")`-style leading integer: optional sign, digits; the rest is returned.
pub(super) fn scan_int(s: &str) -> Option<(i64, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    let neg = match b.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let start = i;
    let mut v: i64 = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        v = v.saturating_mul(10).saturating_add(i64::from(b[i] - b'0'));
        i += 1;
    }
    if i == start {
        return None;
    }
    Some((if neg { -v } else { v }, &s[i..]))
}

/// `pcap_nametoeproto` then `pcap_nametollc`.
fn eproto(name: &str) -> Option<u32> {
    Some(match name {
        "aarp" => ETHERTYPE_AARP,
        "arp" => ETHERTYPE_ARP,
        "atalk" => ETHERTYPE_ATALK,
        "decnet" => ETHERTYPE_DN,
        "ip" => ETHERTYPE_IP,
        "ip6" => ETHERTYPE_IPV6,
        "lat" => ETHERTYPE_LAT,
        "loopback" => ETHERTYPE_LOOPBACK,
        "mopdl" => ETHERTYPE_MOPDL,
        "moprc" => ETHERTYPE_MOPRC,
        "rarp" => ETHERTYPE_REVARP,
        "sca" => ETHERTYPE_SCA,
        "iso" => LLCSAP_ISONS,
        "stp" => LLCSAP_8021D,
        "ipx" => LLCSAP_IPX,
        "netbeui" => LLCSAP_NETBEUI,
        _ => return None,
    })
}
