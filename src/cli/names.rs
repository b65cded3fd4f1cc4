//! Host names without `-n`, as tcpdump's `ipaddr_string` finds them
//! (gethostbyaddr: /etc/hosts, then DNS, as nsswitch says), cached for the
//! run, and never a reason for the capture to drop packets.
//!
//! How: /etc/hosts is read once at the start and answers at once. Any other
//! address goes to a small pool of lookup threads (getnameinfo(3)); the
//! printer waits for the answer as tcpdump does, so lines carry the same
//! names. Live capture reads the ring on threads of its own (`live.rs`
//! reads through its workers whenever names are on), so a waiting printer
//! delays lines, not the ring; and while more than [`PATIENT_BELOW`] frames
//! wait to be printed (a slow resolver, many new addresses), the printer
//! stops waiting: it prints the address for names not known yet and the
//! lookups finish in the background, for the lines after. Every address is
//! looked up once (failures too).

use rawcap::decode::text::HostNames;
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// Frames waiting to be printed above which the printer no longer waits
/// for a lookup.
pub const PATIENT_BELOW: usize = 1024;

/// Lookup threads.
const LOOKUP_THREADS: usize = 4;

/// How often a waiting printer looks at the backlog again.
const RECHECK: Duration = Duration::from_millis(20);

/// What is known of one address.
enum Entry {
    /// Being looked up.
    Pending,
    /// Looked up: the name, or none.
    Done(Option<String>),
}

#[derive(Default)]
struct Table {
    entries: HashMap<IpAddr, Entry>,
    queue: VecDeque<IpAddr>,
}

#[derive(Default)]
struct Shared {
    table: Mutex<Table>,
    /// Signals a new queue entry (to the lookup threads) or a finished
    /// lookup (to the printer).
    changed: Condvar,
}

/// The resolver the text printer asks.
pub struct Names {
    hosts: HashMap<IpAddr, String>,
    shared: Arc<Shared>,
    /// Frames read but not yet printed (kept up to date by the reader).
    backlog: Arc<AtomicUsize>,
    lookup: fn(IpAddr) -> Option<String>,
    /// `-N`: the name up to its first dot.
    no_domain: bool,
}

/// The system resolver: getnameinfo with a name required.
fn system_lookup(ip: IpAddr) -> Option<String> {
    dns_lookup::lookup_addr(&ip)
        .ok()
        .filter(|n| n.parse::<IpAddr>().is_err())
}

/// `/etc/hosts` text: each address's first name, first line winning (what
/// gethostbyaddr's files source returns).
fn parse_hosts(text: &str) -> HashMap<IpAddr, String> {
    let mut m = HashMap::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default();
        let mut words = line.split_whitespace();
        let (Some(addr), Some(name)) = (words.next(), words.next()) else {
            continue;
        };
        if let Ok(ip) = addr.parse::<IpAddr>() {
            m.entry(ip).or_insert_with(|| name.to_string());
        }
    }
    m
}

impl Names {
    /// A resolver with the system's /etc/hosts and lookup; `backlog` is the
    /// count of frames waiting to be printed (zero when nothing is captured).
    pub fn system(backlog: Arc<AtomicUsize>, no_domain: bool) -> Names {
        let hosts = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
        let mut n = Names::with(parse_hosts(&hosts), system_lookup, backlog);
        n.no_domain = no_domain;
        n
    }

    fn with(
        hosts: HashMap<IpAddr, String>,
        lookup: fn(IpAddr) -> Option<String>,
        backlog: Arc<AtomicUsize>,
    ) -> Names {
        Names {
            hosts,
            shared: Arc::default(),
            backlog,
            lookup,
            no_domain: false,
        }
    }

    /// Starts the lookup threads (once, at the first address not in
    /// /etc/hosts); they end with the process.
    fn start_threads(&self) {
        for _ in 0..LOOKUP_THREADS {
            let shared = Arc::clone(&self.shared);
            let lookup = self.lookup;
            let _ = std::thread::Builder::new()
                .name("names".into())
                .spawn(move || lookup_loop(&shared, lookup));
        }
    }

    fn name(&mut self, ip: IpAddr) -> Option<String> {
        let mut name = self.full_name(ip)?;
        if self.no_domain {
            // tcpdump's -N: "Remove domain qualifications".
            if let Some(dot) = name.find('.') {
                name.truncate(dot);
            }
        }
        Some(name)
    }

    fn full_name(&mut self, ip: IpAddr) -> Option<String> {
        if let Some(n) = self.hosts.get(&ip) {
            return Some(n.clone());
        }
        let Ok(mut t) = self.shared.table.lock() else {
            return None;
        };
        if t.entries.is_empty() {
            self.start_threads();
        }
        loop {
            match t.entries.get(&ip) {
                Some(Entry::Done(n)) => return n.clone(),
                Some(Entry::Pending) => {}
                None => {
                    t.entries.insert(ip, Entry::Pending);
                    t.queue.push_back(ip);
                    self.shared.changed.notify_all();
                }
            }
            if self.backlog.load(Ordering::Relaxed) >= PATIENT_BELOW {
                // The capture is ahead: the address now, the name later.
                return None;
            }
            t = match self.shared.changed.wait_timeout(t, RECHECK) {
                Ok((t, _)) => t,
                Err(_) => return None,
            };
        }
    }
}

fn lookup_loop(shared: &Shared, lookup: fn(IpAddr) -> Option<String>) {
    loop {
        let ip = {
            let Ok(mut t) = shared.table.lock() else {
                return;
            };
            loop {
                if let Some(ip) = t.queue.pop_front() {
                    break ip;
                }
                t = match shared.changed.wait(t) {
                    Ok(t) => t,
                    Err(_) => return,
                };
            }
        };
        let name = lookup(ip);
        if let Ok(mut t) = shared.table.lock() {
            t.entries.insert(ip, Entry::Done(name));
        }
        shared.changed.notify_all();
    }
}

impl HostNames for Names {
    fn ipv4(&mut self, a: [u8; 4]) -> Option<String> {
        self.name(IpAddr::from(a))
    }
    fn ipv6(&mut self, a: [u8; 16]) -> Option<String> {
        self.name(IpAddr::from(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn hosts_file_first_name_first_line() {
        let h = parse_hosts(
            "127.0.0.1 localhost # comment\n127.0.0.1 other\n::1 ip6-localhost ip6-loopback\n\
             # 1.2.3.4 commented\n198.18.0.9\tnine nine.example\nbad line\n",
        );
        assert_eq!(h[&"127.0.0.1".parse::<IpAddr>().unwrap()], "localhost");
        assert_eq!(h[&"::1".parse::<IpAddr>().unwrap()], "ip6-localhost");
        assert_eq!(h[&"198.18.0.9".parse::<IpAddr>().unwrap()], "nine");
        assert_eq!(h.len(), 3);
    }

    fn slow(ip: IpAddr) -> Option<String> {
        std::thread::sleep(Duration::from_millis(300));
        Some(format!("host-{ip}"))
    }

    #[test]
    fn waits_for_a_name_unless_frames_pile_up() {
        let backlog = Arc::new(AtomicUsize::new(0));
        let mut n = Names::with(HashMap::new(), slow, Arc::clone(&backlog));
        // Nothing waiting: the printer waits for the slow answer, as tcpdump.
        let t = Instant::now();
        assert_eq!(n.ipv4([198, 18, 0, 1]).as_deref(), Some("host-198.18.0.1"));
        assert!(t.elapsed() >= Duration::from_millis(250));
        // Cached: at once.
        let t = Instant::now();
        assert_eq!(n.ipv4([198, 18, 0, 1]).as_deref(), Some("host-198.18.0.1"));
        assert!(t.elapsed() < Duration::from_millis(100));
        // Frames piling up: the number now, the name for later lines.
        backlog.store(PATIENT_BELOW, Ordering::Relaxed);
        let t = Instant::now();
        assert_eq!(n.ipv4([198, 18, 0, 2]), None);
        assert!(t.elapsed() < Duration::from_millis(100));
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(n.ipv4([198, 18, 0, 2]).as_deref(), Some("host-198.18.0.2"));
    }
}
