//! The live mode: `rawcap -i IFACE [EXPR]` and `rawcap -D`.
//!
//! Order matters: flags are checked, the capture is opened (which is where a
//! missing CAP_NET_RAW shows up), privileges are dropped (`-Z`), and only
//! then is the output (perhaps a file) created. SIGINT and SIGTERM are
//! blocked in every thread and taken by one waiter thread that sets the stop
//! flag; the read loop wakes from `poll` at least every 100 ms to see it.

use super::output::Output;
use super::Args;
use anyhow::{anyhow, bail, Context};
use rawcap::bpf::Program;
use rawcap::capture::{self, Capture, CaptureBuilder, CaptureError, Direction, ReadPath, Stats};
use rawcap::filter;
use rawcap::packet::{Packet, PacketType};
use rawcap::LinkType;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// The longest the loop sleeps before looking at the stop flag.
const TICK: Duration = Duration::from_millis(100);
/// The largest ring `-B` asks for (1 GiB).
const MAX_BUFFER_KIB: usize = 1 << 20;
/// Most worker threads `--threads` accepts.
const MAX_THREADS: usize = 64;

/// Runs the live mode (or `-D`).
pub fn run(args: &Args) -> anyhow::Result<i32> {
    if args.list_interfaces {
        return list_interfaces();
    }
    let cfg = Config::from_args(args)?;
    let stop = stop_on_signals()?;
    let linktype = capture::link_type_of(&cfg.interface).map_err(explain)?;
    let prog = program_for(&cfg.expression, linktype, cfg.snaplen)?;
    let mut caps = Vec::with_capacity(cfg.threads);
    let group = (std::process::id() & 0xffff) as u16;
    for _ in 0..cfg.threads {
        let mut b = CaptureBuilder::new(cfg.interface.clone())
            .filter(prog.clone())
            .snaplen(cfg.snaplen)
            .promiscuous(!args.no_promisc)
            .buffer_size(cfg.buffer_bytes)
            .direction(cfg.direction)
            .read_timeout(TICK)
            .read_path(if args.recvfrom {
                ReadPath::RecvFrom
            } else {
                ReadPath::Auto
            });
        if cfg.threads > 1 {
            b = b.fanout(group);
        }
        let cap = b.open().map_err(explain)?;
        if let Some(e) = cap.ring_fallback() {
            eprintln!("rawcap: warning: no TPACKET_V3 ring ({e}); reading with recvfrom");
        }
        caps.push(cap);
    }
    if let Some(user) = &args.user {
        drop_privileges(user)?;
    }
    let mut output = Output::from_args(args, linktype, cfg.snaplen)?;
    eprintln!(
        "rawcap: listening on {}, link-type {} ({}), snapshot length {} bytes",
        cfg.interface,
        linktype.name(),
        linktype.description(),
        cfg.snaplen
    );
    let limits = Limits {
        count: cfg.count,
        deadline: cfg.duration.map(|d| Instant::now() + d),
        stop,
    };
    let (stats, result) = if caps.len() == 1 {
        let mut cap = caps.remove(0);
        let result = read_one(&mut cap, &mut output, &limits);
        (cap.stats().unwrap_or_default(), result)
    } else {
        read_many(caps, &mut output, &limits)
    };
    let finished = output.finish();
    print_stats(output.count(), &stats);
    result?;
    finished?;
    Ok(0)
}

/// The program for `expr`: the one place where the filter compiler is wired in.
/// The kernel filter for `expr`: compiled with the Linux extensions
/// (`inbound`, `outbound`, `ifindex`, `vlan` read the socket's metadata, as
/// libpcap does on a live socket), returning `snaplen` when it accepts.
fn program_for(expr: &str, linktype: LinkType, snaplen: u32) -> anyhow::Result<Program> {
    super::compile::program(
        expr,
        filter::Options {
            linktype,
            snaplen,
            linux_ext: true,
            ..filter::Options::default()
        },
    )
}

/// The validated live-mode flags.
#[derive(Debug)]
struct Config {
    interface: String,
    expression: String,
    count: Option<u64>,
    snaplen: u32,
    buffer_bytes: usize,
    direction: Direction,
    threads: usize,
    duration: Option<Duration>,
}

impl Config {
    fn from_args(args: &Args) -> anyhow::Result<Self> {
        let count = match &args.count {
            None => None,
            Some(s) => Some(s.parse::<u64>().ok().filter(|&n| n > 0).ok_or_else(|| {
                anyhow!("invalid packet count '{s}' (-c takes a number above 0)")
            })?),
        };
        let snaplen = match &args.snaplen {
            None => capture::DEFAULT_SNAPLEN,
            Some(s) => match s.parse::<u32>() {
                Ok(0) => capture::DEFAULT_SNAPLEN,
                Ok(n) if n <= capture::DEFAULT_SNAPLEN => n,
                _ => bail!("invalid snaplen '{s}' (-s takes 0 to 262144; 0 means 262144)"),
            },
        };
        let buffer_bytes = match &args.buffer_kib {
            None => capture::DEFAULT_BUFFER_SIZE,
            Some(s) => s
                .parse::<usize>()
                .ok()
                .filter(|&k| (1..=MAX_BUFFER_KIB).contains(&k))
                .map(|k| k * 1024)
                .ok_or_else(|| {
                    anyhow!("invalid buffer size '{s}' (-B takes KiB, 1 to {MAX_BUFFER_KIB})")
                })?,
        };
        let direction = match args.direction.as_deref() {
            None | Some("inout") => Direction::Both,
            Some("in") => Direction::In,
            Some("out") => Direction::Out,
            Some(s) => bail!("invalid direction '{s}' (-Q takes in, out or inout)"),
        };
        let threads = match &args.threads {
            None => 1,
            Some(s) => s
                .parse::<usize>()
                .ok()
                .filter(|&n| (1..=MAX_THREADS).contains(&n))
                .ok_or_else(|| {
                    anyhow!("invalid thread count '{s}' (--threads takes 1 to {MAX_THREADS})")
                })?,
        };
        let duration = match &args.duration {
            None => None,
            Some(s) => Some(
                s.parse::<f64>()
                    .ok()
                    .filter(|d| d.is_finite() && *d > 0.0 && *d < 1e9)
                    .map(Duration::from_secs_f64)
                    .ok_or_else(|| {
                        anyhow!("invalid duration '{s}' (--duration takes seconds above 0)")
                    })?,
            ),
        };
        let interface = match &args.interface {
            Some(i) if i.is_empty() || i.len() > 15 || i.contains(['/', ' ', '\0']) => {
                bail!("invalid interface name '{i}' (rawcap -D lists them)")
            }
            // `-i N` names the interface with index N, as numbered by -D.
            Some(i) => match i.parse::<u32>() {
                Ok(0) => capture::ANY.to_string(),
                Ok(n) => interfaces()?
                    .into_iter()
                    .find(|f| f.index == n)
                    .map(|f| f.name)
                    .ok_or_else(|| anyhow!("no interface has index {n} (rawcap -D lists them)"))?,
                Err(_) => i.clone(),
            },
            None => default_interface()?,
        };
        let expression = super::compile::expression(args)?;
        Ok(Config {
            interface,
            expression,
            count,
            snaplen,
            buffer_bytes,
            direction,
            threads,
            duration,
        })
    }
}

/// Turns a capture error into the one line the user sees; a missing
/// capability names the fix with this binary's path.
fn explain(e: CaptureError) -> anyhow::Error {
    match e {
        CaptureError::PermissionDenied { .. } => {
            let exe = std::env::current_exe()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| "rawcap".into());
            anyhow!(
                "you need CAP_NET_RAW: run as root or `setcap cap_net_raw,cap_net_admin=eip {exe}`"
            )
        }
        e => anyhow!(e),
    }
}

/// Blocks SIGINT and SIGTERM in this thread (and so in every thread it
/// starts) and lets one waiter thread turn them into a stop flag.
fn stop_on_signals() -> anyhow::Result<Arc<AtomicBool>> {
    use nix::sys::signal::{SigSet, Signal};
    let mut set = SigSet::empty();
    set.add(Signal::SIGINT);
    set.add(Signal::SIGTERM);
    set.thread_block().context("pthread_sigmask")?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if set.wait().is_ok() {
                flag.store(true, Ordering::SeqCst);
            }
        })
        .context("spawning the signal thread")?;
    Ok(stop)
}

/// When to stop reading.
struct Limits {
    count: Option<u64>,
    deadline: Option<Instant>,
    stop: Arc<AtomicBool>,
}

impl Limits {
    fn done(&self, captured: u64) -> bool {
        self.stop.load(Ordering::SeqCst)
            || self.count.is_some_and(|c| captured >= c)
            || self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// The single-socket loop. Returns how it ended.
fn read_one(cap: &mut Capture, output: &mut Output, limits: &Limits) -> anyhow::Result<()> {
    let mut captured = 0u64;
    while !limits.done(captured) {
        let mut failed = None;
        let r = cap.next_batch(|p| {
            if failed.is_none() && !limits.count.is_some_and(|c| captured >= c) {
                match output.packet(p) {
                    Ok(()) => captured += 1,
                    Err(e) => failed = Some(e),
                }
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        r?;
    }
    Ok(())
}

/// A packet copied out of a worker's ring.
struct Owned {
    ts_ns: u64,
    data: Vec<u8>,
    wire_len: u32,
    ifindex: Option<u32>,
    pkttype: Option<PacketType>,
}

/// Fanout: one worker per capture sends copies over a bounded channel; this
/// thread writes them in arrival order. Returns the summed statistics and
/// how it ended.
fn read_many(
    caps: Vec<Capture>,
    output: &mut Output,
    limits: &Limits,
) -> (Stats, anyhow::Result<()>) {
    let quit = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::sync_channel::<Result<Owned, CaptureError>>(4096);
    let workers: Vec<_> = caps
        .into_iter()
        .map(|mut cap| {
            let tx = tx.clone();
            let quit = Arc::clone(&quit);
            std::thread::spawn(move || {
                while !quit.load(Ordering::SeqCst) {
                    let mut gone = false;
                    let r = cap.next_batch(|p| {
                        let owned = Owned {
                            ts_ns: p.ts_ns,
                            data: p.data.to_vec(),
                            wire_len: p.wire_len,
                            ifindex: p.ifindex,
                            pkttype: p.pkttype,
                        };
                        gone |= tx.send(Ok(owned)).is_err();
                    });
                    if let Err(e) = r {
                        let _ = tx.send(Err(e));
                        break;
                    }
                    if gone {
                        break;
                    }
                }
                cap.stats().unwrap_or_default()
            })
        })
        .collect();
    drop(tx);
    let mut captured = 0u64;
    let mut result = Ok(());
    while !limits.done(captured) {
        match rx.recv_timeout(TICK) {
            Ok(Ok(o)) => {
                let p = Packet {
                    ts_ns: o.ts_ns,
                    data: &o.data,
                    wire_len: o.wire_len,
                    ifindex: o.ifindex,
                    pkttype: o.pkttype,
                };
                if let Err(e) = output.packet(&p) {
                    result = Err(e);
                    break;
                }
                captured += 1;
            }
            Ok(Err(e)) => {
                result = Err(e.into());
                break;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    quit.store(true, Ordering::SeqCst);
    drop(rx); // unblocks workers waiting on a full channel
    let mut stats = Stats::default();
    for w in workers {
        if let Ok(s) = w.join() {
            stats += s;
        }
    }
    (stats, result)
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// tcpdump's exit lines, on stderr.
fn print_stats(captured: u64, s: &Stats) {
    eprintln!("{captured} packet{} captured", plural(captured));
    eprintln!(
        "{} packet{} received by filter",
        s.received,
        plural(s.received)
    );
    eprintln!(
        "{} packet{} dropped by kernel",
        s.dropped,
        plural(s.dropped)
    );
}

/// `-Z USER`: switch group and user once the capture is open.
fn drop_privileges(user: &str) -> anyhow::Result<()> {
    use nix::unistd::{setgid, setgroups, setuid, User};
    let u = User::from_name(user)
        .with_context(|| format!("-Z {user}"))?
        .ok_or_else(|| anyhow!("-Z {user}: no such user"))?;
    setgroups(&[u.gid]).with_context(|| format!("-Z {user}: setgroups"))?;
    setgid(u.gid).with_context(|| format!("-Z {user}: setgid"))?;
    setuid(u.uid).with_context(|| format!("-Z {user}: setuid"))?;
    Ok(())
}

/// One interface as `-D` shows it.
struct Iface {
    index: u32,
    name: String,
    flags: u32,
    state: String,
}

const IFF_UP: u32 = 0x1;
const IFF_LOOPBACK: u32 = 0x8;
const IFF_RUNNING: u32 = 0x40;

fn interfaces() -> anyhow::Result<Vec<Iface>> {
    let dir = std::path::Path::new("/sys/class/net");
    let read = |name: &str, what: &str| {
        std::fs::read_to_string(dir.join(name).join(what)).unwrap_or_default()
    };
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).context("/sys/class/net")? {
        let name = e?.file_name().to_string_lossy().into_owned();
        let index = read(&name, "ifindex").trim().parse().unwrap_or(0);
        let mut flags =
            u32::from_str_radix(read(&name, "flags").trim().trim_start_matches("0x"), 16)
                .unwrap_or(0);
        // sysfs `flags` lacks IFF_RUNNING (the kernel derives it from the carrier).
        if flags & IFF_UP != 0 && read(&name, "carrier").trim() == "1" {
            flags |= IFF_RUNNING;
        }
        let state = read(&name, "operstate").trim().to_string();
        v.push(Iface {
            index,
            name,
            flags,
            state,
        });
    }
    v.sort_by_key(|i| i.index);
    Ok(v)
}

/// `-D`: index, name, flags and operational state of each interface.
fn list_interfaces() -> anyhow::Result<i32> {
    for i in interfaces()? {
        let mut flags = vec![if i.flags & IFF_UP != 0 { "Up" } else { "Down" }];
        if i.flags & IFF_RUNNING != 0 {
            flags.push("Running");
        }
        if i.flags & IFF_LOOPBACK != 0 {
            flags.push("Loopback");
        }
        println!(
            "{}.{} [{}] state {}",
            i.index,
            i.name,
            flags.join(", "),
            i.state
        );
    }
    println!("0.any (Pseudo-device that captures on all interfaces) [Up, Running]");
    Ok(0)
}

/// tcpdump's choice without `-i`: the first interface that is up, running and not loopback.
fn default_interface() -> anyhow::Result<String> {
    interfaces()?
        .into_iter()
        .find(|i| {
            i.flags & (IFF_UP | IFF_RUNNING) == IFF_UP | IFF_RUNNING && i.flags & IFF_LOOPBACK == 0
        })
        .map(|i| i.name)
        .ok_or_else(|| anyhow!("no interface is up: name one with -i (rawcap -D lists them)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use rawcap::bpf::{code, Insn};

    fn cfg(argv: &[&str]) -> anyhow::Result<Config> {
        let mut v = vec!["rawcap", "-i", "lo"];
        v.extend_from_slice(argv);
        Config::from_args(&Args::parse_from(v))
    }

    #[test]
    fn bad_values_give_one_line_each() {
        for (argv, want) in [
            (&["-c", "0"][..], "invalid packet count '0'"),
            (&["-c", "x"], "invalid packet count 'x'"),
            (&["-s", "big"], "invalid snaplen 'big'"),
            (&["-s", "262145"], "invalid snaplen '262145'"),
            (&["-B", "0"], "invalid buffer size '0'"),
            (&["-B", "lots"], "invalid buffer size 'lots'"),
            (&["--threads", "0"], "invalid thread count '0'"),
            (&["--threads", "65"], "invalid thread count '65'"),
            (&["-Q", "sideways"], "invalid direction 'sideways'"),
            (&["--duration", "0"], "invalid duration '0'"),
        ] {
            let e = cfg(argv).unwrap_err().to_string();
            assert!(e.starts_with(want), "{argv:?}: {e}");
            assert!(!e.contains('\n'));
        }
        let e = Config::from_args(&Args::parse_from(["rawcap", "-i", "4000000"])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no interface has index 4000000 (rawcap -D lists them)"
        );
        let lo = Config::from_args(&Args::parse_from(["rawcap", "-i", "1"])).unwrap();
        assert_eq!(lo.interface, "lo");
        let any = Config::from_args(&Args::parse_from(["rawcap", "-i", "0"])).unwrap();
        assert_eq!(any.interface, "any");
        let e = Config::from_args(&Args::parse_from(["rawcap", "-i", "a/b"])).unwrap_err();
        assert!(e.to_string().starts_with("invalid interface name 'a/b'"));
    }

    #[test]
    fn good_values() {
        let c = cfg(&[
            "-s",
            "0",
            "-c",
            "5",
            "-B",
            "64",
            "-Q",
            "in",
            "--threads",
            "2",
            "tcp",
            "port",
            "80",
        ])
        .unwrap();
        assert_eq!(c.snaplen, 262_144);
        assert_eq!(c.count, Some(5));
        assert_eq!(c.buffer_bytes, 64 * 1024);
        assert_eq!(c.direction, Direction::In);
        assert_eq!(c.threads, 2);
        assert_eq!(c.expression, "tcp port 80");
    }

    #[test]
    fn live_programs_come_from_the_compiler_with_linux_extensions() {
        let p = program_for("", LinkType::Ethernet, 96).unwrap();
        assert_eq!(p.insns(), &[Insn::stmt(code::RET | code::K, 96)]);
        assert_eq!(
            program_for("tcp  port 80", LinkType::Ethernet, 262_144).unwrap(),
            rawcap::bpf::programs::tcp_port_80()
        );
        let cut = program_for("tcp port 80", LinkType::Ethernet, 96).unwrap();
        assert_eq!(cut.insns()[18], Insn::stmt(code::RET | code::K, 96));
        assert_eq!(cut.insns()[19], Insn::stmt(code::RET | code::K, 0));
        // Live sockets see `vlan` and `inbound` through ancillary loads.
        let vlan = program_for("vlan 100", LinkType::Ethernet, 262_144).unwrap();
        let ancillary = rawcap::bpf::skf::AD_OFF + rawcap::bpf::skf::AD_VLAN_TAG_PRESENT;
        assert!(vlan.insns().iter().any(|i| i.k == ancillary), "{vlan}");
        assert!(program_for("inbound", LinkType::Ethernet, 262_144).is_ok());
        let err = program_for("tcp port 70000", LinkType::Ethernet, 1).unwrap_err();
        assert!(err.to_string().contains("^^^^^"), "{err}");
    }
}
