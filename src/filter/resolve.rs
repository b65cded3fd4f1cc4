//! Names the host system knows: the [`Resolve`] hook behind
//! [`super::Options::resolver`].
//!
//! In: a name from the expression. Out: what the host system's tables say
//! it is. The compiler asks the resolver for
//!
//! | primitive | method | libpcap asks | file |
//! |---|---|---|---|
//! | `host NAME` | [`Resolve::host`] | getaddrinfo(3) | /etc/hosts, DNS |
//! | `ether host NAME` | [`Resolve::ether_host`] | ether_hostton(3) | /etc/ethers |
//! | `net NAME` | [`Resolve::network`] | getnetbyname(3) | /etc/networks |
//! | `proto NAME`, `protochain NAME` | [`Resolve::protocol`] | getprotobyname(3) | /etc/protocols |
//! | `port NAME`, `portrange A-B` | [`Resolve::service`] | getaddrinfo(3) | /etc/services |
//!
//! Without a resolver (the default) host, network and Ethernet names are
//! refused ([`super::CompileErrorKind::NoResolver`]); protocol and service
//! names come from built-in copies of Debian's /etc/protocols and
//! /etc/services, so the library gives the same program on every machine.
//! With one, its answer comes first and the built-in tables answer what it
//! does not know.
//!
//! [`Tables`] is a resolver over text in the /etc formats (hosts(5),
//! ethers(5), networks(5), protocols(5), services(5)): the command line
//! fills it from /etc and adds getaddrinfo for host names; tests fill it
//! with fixed text. Nothing here reads a file or touches the network.

use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::net::IpAddr;

/// A transport protocol with ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transport {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// SCTP.
    Sctp,
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
            Transport::Sctp => "sctp",
        })
    }
}

/// What the host system's name tables say. Every method defaults to
/// "unknown", so an implementation answers only what it knows.
pub trait Resolve: Send + Sync {
    /// A host name's addresses, IPv4 and IPv6 (empty when unknown).
    fn host(&self, _name: &str) -> Vec<IpAddr> {
        Vec::new()
    }
    /// An Ethernet host name's MAC address.
    fn ether_host(&self, _name: &str) -> Option<[u8; 6]> {
        None
    }
    /// A network name's number, as getnetbyname(3) returns it: the address
    /// in host order with no trailing zero bytes dropped (`loopnet` is
    /// `0x7f`, `link-local` is `0xa9fe_0000`).
    fn network(&self, _name: &str) -> Option<u32> {
        None
    }
    /// An IP protocol name's number.
    fn protocol(&self, _name: &str) -> Option<u8> {
        None
    }
    /// A service name's port for one transport (only TCP and UDP are asked, as libpcap does).
    fn service(&self, _name: &str, _transport: Transport) -> Option<u16> {
        None
    }
}

/// A function from host names to addresses is a resolver for host names only.
impl<F> Resolve for F
where
    F: Fn(&str) -> Vec<IpAddr> + Send + Sync,
{
    fn host(&self, name: &str) -> Vec<IpAddr> {
        self(name)
    }
}

/// Two resolvers in turn: the first one's answer, else the second's (the
/// command line's: /etc tables, then getaddrinfo for host names).
impl<A: Resolve, B: Resolve> Resolve for (A, B) {
    fn host(&self, name: &str) -> Vec<IpAddr> {
        let first = self.0.host(name);
        if first.is_empty() {
            self.1.host(name)
        } else {
            first
        }
    }
    fn ether_host(&self, name: &str) -> Option<[u8; 6]> {
        self.0.ether_host(name).or_else(|| self.1.ether_host(name))
    }
    fn network(&self, name: &str) -> Option<u32> {
        self.0.network(name).or_else(|| self.1.network(name))
    }
    fn protocol(&self, name: &str) -> Option<u8> {
        self.0.protocol(name).or_else(|| self.1.protocol(name))
    }
    fn service(&self, name: &str, transport: Transport) -> Option<u16> {
        self.0
            .service(name, transport)
            .or_else(|| self.1.service(name, transport))
    }
}

/// A shared [`Resolve`] implementation, as [`super::Options`] holds it.
#[derive(Clone)]
pub struct Resolver(Arc<dyn Resolve>);

impl Resolver {
    /// Wraps a resolver: a [`Resolve`] implementation such as [`Tables`],
    /// or a function from host names to addresses.
    pub fn new(r: impl Resolve + 'static) -> Self {
        Resolver(Arc::new(r))
    }
}

impl core::ops::Deref for Resolver {
    type Target = dyn Resolve;
    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

impl fmt::Debug for Resolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Resolver(..)")
    }
}

/// A resolver over name tables in the /etc text formats; the first entry
/// for a name wins, as in the C library. Malformed lines are skipped.
///
/// ```
/// use rawcap::filter::{compile, Options, Resolver, Tables};
/// let mut t = Tables::default();
/// t.hosts("198.18.0.7 gw gw.example\n").ethers("02:00:00:00:00:07 gw\n");
/// let opts = Options { resolver: Some(Resolver::new(t)), ..Options::default() };
/// assert!(compile("host gw.example and ether src gw", &opts).is_ok());
/// assert!(compile("host nowhere", &opts).is_err());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Tables {
    hosts: Vec<(String, IpAddr)>,
    ethers: Vec<(String, [u8; 6])>,
    networks: Vec<(String, u32)>,
    protocols: Vec<(String, u8)>,
    services: Vec<(String, Transport, u16)>,
}

/// The fields of each non-comment line (`#` starts a comment).
fn lines(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or_default())
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|f| !f.is_empty())
}

/// `inet_network(3)`: one to four dotted parts, the number they make with
/// no trailing zero parts added (`127` is 0x7f, `10.1` is 0x0a01).
fn inet_network(s: &str) -> Option<u32> {
    let mut v: u32 = 0;
    let mut parts = 0;
    for p in s.split('.') {
        let n = super::lex::parse_num(p).ok().filter(|n| *n <= 255)?;
        v = (v << 8) | n;
        parts += 1;
    }
    (parts <= 4).then_some(v)
}

/// A MAC address in ethers(5) form: six hex bytes separated by `:`.
fn ether_addr(s: &str) -> Option<[u8; 6]> {
    let mut mac = [0u8; 6];
    let mut n = 0;
    for part in s.split(':') {
        *mac.get_mut(n)? = u8::from_str_radix(part, 16).ok()?;
        n += 1;
    }
    (n == 6).then_some(mac)
}

impl Tables {
    /// Adds hosts(5) lines: `ADDRESS NAME [ALIAS...]`.
    pub fn hosts(&mut self, text: &str) -> &mut Self {
        for f in lines(text) {
            if let Ok(addr) = f[0].parse::<IpAddr>() {
                for name in &f[1..] {
                    self.hosts.push((name.to_string(), addr));
                }
            }
        }
        self
    }

    /// Adds ethers(5) lines: `MAC NAME`.
    pub fn ethers(&mut self, text: &str) -> &mut Self {
        for f in lines(text) {
            if let (Some(mac), Some(name)) = (ether_addr(f[0]), f.get(1)) {
                self.ethers.push((name.to_string(), mac));
            }
        }
        self
    }

    /// Adds networks(5) lines: `NAME NUMBER [ALIAS...]`.
    pub fn networks(&mut self, text: &str) -> &mut Self {
        for f in lines(text) {
            if let Some(net) = f.get(1).and_then(|n| inet_network(n)) {
                for name in f.iter().take(1).chain(f.iter().skip(2)) {
                    self.networks.push((name.to_string(), net));
                }
            }
        }
        self
    }

    /// Adds protocols(5) lines: `NAME NUMBER [ALIAS...]`.
    pub fn protocols(&mut self, text: &str) -> &mut Self {
        for f in lines(text) {
            if let Some(n) = f.get(1).and_then(|n| n.parse::<u8>().ok()) {
                for name in f.iter().take(1).chain(f.iter().skip(2)) {
                    self.protocols.push((name.to_string(), n));
                }
            }
        }
        self
    }

    /// Adds services(5) lines: `NAME PORT/PROTOCOL [ALIAS...]`.
    pub fn services(&mut self, text: &str) -> &mut Self {
        for f in lines(text) {
            let Some((port, proto)) = f.get(1).and_then(|p| p.split_once('/')) else {
                continue;
            };
            let transport = match proto {
                "tcp" => Transport::Tcp,
                "udp" => Transport::Udp,
                "sctp" => Transport::Sctp,
                _ => continue,
            };
            let Ok(port) = port.parse::<u16>() else {
                continue;
            };
            for name in f.iter().take(1).chain(f.iter().skip(2)) {
                self.services.push((name.to_string(), transport, port));
            }
        }
        self
    }
}

impl Resolve for Tables {
    fn host(&self, name: &str) -> Vec<IpAddr> {
        self.hosts
            .iter()
            .filter(|(n, _)| n == name)
            .map(|&(_, a)| a)
            .collect()
    }
    fn ether_host(&self, name: &str) -> Option<[u8; 6]> {
        self.ethers.iter().find(|(n, _)| n == name).map(|&(_, m)| m)
    }
    fn network(&self, name: &str) -> Option<u32> {
        self.networks
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, v)| v)
    }
    fn protocol(&self, name: &str) -> Option<u8> {
        self.protocols
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, v)| v)
    }
    fn service(&self, name: &str, transport: Transport) -> Option<u16> {
        self.services
            .iter()
            .find(|(n, t, _)| n == name && *t == transport)
            .map(|&(_, _, p)| p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_parse_the_etc_formats() {
        let mut t = Tables::default();
        t.hosts("# comment\n198.18.0.1 a a.example # trailing\n2001:db8::1 a\nbogus line\n")
            .ethers("02:00:00:00:00:01 a\n2:0:0:0:0:2 b\nzz:00 c\n")
            .networks("loopnet 127\nlink-local 169.254.0.0\ntest 198.18 bench\n")
            .protocols("ip 0 IP\ntcp 6 TCP\nbad x\n")
            .services("http 80/tcp www\nhttp 80/udp\nsyslog 514/udp\nweird 99/ddp\n");
        assert_eq!(t.host("a").len(), 2);
        assert_eq!(
            t.host("a.example"),
            vec!["198.18.0.1".parse::<IpAddr>().unwrap()]
        );
        assert!(t.host("bogus").is_empty());
        assert_eq!(t.ether_host("b"), Some([2, 0, 0, 0, 0, 2]));
        assert_eq!(t.ether_host("c"), None);
        assert_eq!(t.network("loopnet"), Some(0x7f));
        assert_eq!(t.network("link-local"), Some(0xa9fe_0000));
        assert_eq!(t.network("bench"), Some(0xc612));
        assert_eq!(t.protocol("TCP"), Some(6));
        assert_eq!(t.protocol("bad"), None);
        assert_eq!(t.service("www", Transport::Tcp), Some(80));
        assert_eq!(t.service("syslog", Transport::Tcp), None);
        assert_eq!(t.service("syslog", Transport::Udp), Some(514));
        assert_eq!(t.service("weird", Transport::Udp), None);
    }

    #[test]
    fn a_pair_asks_the_first_then_the_second() {
        let mut t = Tables::default();
        t.hosts("198.18.0.1 a\n").protocols("tcp 6\n");
        let r = Resolver::new((t, |n: &str| {
            if n == "b" {
                vec!["198.18.0.2".parse().unwrap()]
            } else {
                Vec::new()
            }
        }));
        assert_eq!(r.host("a"), vec!["198.18.0.1".parse::<IpAddr>().unwrap()]);
        assert_eq!(r.host("b"), vec!["198.18.0.2".parse::<IpAddr>().unwrap()]);
        assert!(r.host("c").is_empty());
        assert_eq!(r.protocol("tcp"), Some(6));
    }

    #[test]
    fn a_function_resolves_host_names_only() {
        let r = Resolver::new(|n: &str| {
            if n == "x" {
                vec!["198.18.0.9".parse().unwrap()]
            } else {
                Vec::new()
            }
        });
        assert_eq!(r.host("x").len(), 1);
        assert_eq!(r.network("x"), None);
    }
}
