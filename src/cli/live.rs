//! The live mode: `rawcap -i IFACE [EXPR]`.
//!
//! Order matters: flags are checked (in `config`), the capture is opened (which is where a
//! missing CAP_NET_RAW shows up), privileges are dropped (`-Z`), and only
//! then is the output (perhaps a file) created. SIGINT and SIGTERM are
//! blocked in every thread and taken by one waiter thread that sets the stop
//! flag; the read loop wakes from `poll` at least every 100 ms to see it.

use super::config::{Live, TstampType};
use super::multi;
use super::output::{self, Output, Source};
use super::savefiles::LimitReached;
use super::stdio::note;
use anyhow::{anyhow, bail, Context};
use rawcap::bpf::Program;
use rawcap::capture::{self, Capture, CaptureBuilder, CaptureError, Stats};
use rawcap::filter;
use rawcap::savefile::pcapng::InterfaceStats;
use rawcap::LinkType;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The longest the loop sleeps before looking at the stop flag.
const TICK: Duration = Duration::from_millis(100);

/// Runs the live mode.
pub fn run(cfg: &Live) -> anyhow::Result<i32> {
    let stop = stop_on_signals()?;
    let names: Vec<&String> = std::iter::once(&cfg.interface)
        .chain(&cfg.extra_interfaces)
        .collect();
    // One capture per interface (`--threads` sockets each), each with the
    // filter compiled for its own link type.
    let mut readers = Vec::with_capacity(names.len() * cfg.threads);
    let mut sources = Vec::with_capacity(names.len());
    for (source, name) in names.iter().enumerate() {
        let delivered = capture::link_type_of(name).map_err(explain)?;
        // tcpdump 4.99 captures `any` as LINUX_SLL2 unless -y says
        // otherwise, and quietly keeps LINUX_SLL where it cannot.
        let v2 = cfg.linktype.is_none() && name.as_str() == capture::ANY;
        let wanted = cfg.linktype.or(v2.then_some(LinkType::LinuxSll2));
        let mut linktype = check_linktype(wanted, delivered)?;
        let prog = match program_for(&cfg.expression, linktype, cfg.snaplen, cfg.optimize) {
            Err(e) if v2 => {
                linktype = LinkType::LinuxSll;
                program_for(&cfg.expression, linktype, cfg.snaplen, cfg.optimize).map_err(|_| e)?
            }
            p => p?,
        };
        let group = ((std::process::id() + source as u32) & 0xffff) as u16;
        for _ in 0..cfg.threads {
            let mut b = CaptureBuilder::new(name.to_string())
                .filter(prog.clone())
                .snaplen(cfg.snaplen)
                .promiscuous(cfg.promiscuous)
                .buffer_size(cfg.buffer_bytes)
                .direction(cfg.direction)
                .read_timeout(TICK)
                .immediate(cfg.immediate)
                .read_path(cfg.read_path)
                .linktype(linktype);
            if cfg.threads > 1 {
                b = b.fanout(group);
            }
            let cap = b.open().map_err(explain)?;
            if let Some(e) = cap.ring_fallback() {
                note!("rawcap: warning: no TPACKET_V3 ring ({e}); reading with recvfrom");
            }
            readers.push(multi::Reader { cap, source });
        }
        if let Some(TstampType::Other(t)) = cfg.tstamp_type {
            note!(
                "rawcap: WARNING: When trying to set timestamp type '{t}' on {name}: \
                 That type of time stamp is not supported by that device"
            );
        }
        sources.push(Source {
            name: Some(name.to_string()),
            linktype,
        });
    }
    if let Some(user) = &cfg.user {
        drop_privileges(user)?;
    }
    let mut output = match Output::for_sources(&cfg.output, &sources, cfg.snaplen) {
        // The reader of `-w -` has gone already.
        Err(e) if output::pipe_closed(&e) => return Ok(0),
        out => out?,
    };
    for s in &sources {
        note!(
            "rawcap: listening on {}, link-type {} ({}), snapshot length {} bytes",
            s.name.as_deref().unwrap_or_default(),
            s.linktype.name(),
            s.linktype.description(),
            cfg.snaplen
        );
    }
    let started = now_ns();
    let limits = Limits {
        count: cfg.count,
        deadline: cfg.duration.map(|d| Instant::now() + d),
        stop,
    };
    let (stats, mut result) = if readers.len() == 1 {
        let mut cap = readers.remove(0).cap;
        let result = read_one(&mut cap, &mut output, &limits);
        (vec![cap.stats().unwrap_or_default()], result)
    } else {
        let stopped = || limits.stopped();
        let until = multi::Until {
            stopped: &stopped,
            count: limits.count,
        };
        let merge = multi::Merge {
            in_time_order: sources.len() > 1,
            hold: if cfg.immediate {
                Duration::from_millis(20)
            } else {
                TICK * 2 + Duration::from_millis(50)
            },
        };
        multi::read(readers, sources.len(), &mut output, &until, merge, TICK)
    };
    // -G with -W: the last file is written; tcpdump says so and exits 0.
    if let Err(e) = &result {
        if let Some(l) = e.downcast_ref::<LimitReached>() {
            note!("{l}");
            result = Ok(());
        }
    }
    let ended = now_ns();
    let isb: Vec<_> = stats
        .iter()
        .map(|s| {
            Some(InterfaceStats {
                start_ns: started,
                end_ns: ended,
                received: s.received,
                dropped: s.dropped,
            })
        })
        .collect();
    let finished = output.finish_with(&isb);
    let mut total = Stats::default();
    for s in stats {
        total += s;
    }
    print_stats(output.count(), &total);
    for r in [result, finished] {
        // The reader of `-w -` has gone: quietly, status 0 (tcpdump's).
        match r {
            Err(e) if !output::pipe_closed(&e) => return Err(e),
            _ => {}
        }
    }
    Ok(0)
}

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// The program for `expr`: the one place where the filter compiler is wired in.
/// The kernel filter for `expr`: compiled with the Linux extensions
/// (`inbound`, `outbound`, `ifindex`, `vlan` read the socket's metadata, as
/// libpcap does on a live socket), returning `snaplen` when it accepts.
pub(super) fn program_for(
    expr: &str,
    linktype: LinkType,
    snaplen: u32,
    optimize: bool,
) -> anyhow::Result<Program> {
    super::compile::program(
        expr,
        filter::Options {
            linktype,
            snaplen,
            optimize,
            linux_ext: true,
            ..filter::Options::default()
        },
    )
}

/// `-y` with `-i`: the link type to capture with. It must be one the
/// interface delivers (tcpdump's words otherwise); a cooked socket builds
/// either cooked header, LINUX_SLL or LINUX_SLL2.
pub(super) fn check_linktype(
    wanted: Option<LinkType>,
    delivered: LinkType,
) -> anyhow::Result<LinkType> {
    match wanted {
        None => Ok(delivered),
        Some(lt) if lt == delivered || (lt.is_cooked() && delivered.is_cooked()) => Ok(lt),
        Some(lt) => bail!(
            "{} is not one of the DLTs supported by this device (it delivers {})",
            lt.name(),
            delivered.name()
        ),
    }
}

/// Turns a capture error into the one line the user sees; a missing
/// capability names the fix with this binary's path.
pub(super) fn explain(e: CaptureError) -> anyhow::Error {
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
    /// A signal came or `--duration` is over.
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst) || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    fn done(&self, captured: u64) -> bool {
        self.stopped() || self.count.is_some_and(|c| captured >= c)
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

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// tcpdump's exit lines, on stderr.
fn print_stats(captured: u64, s: &Stats) {
    note!("{captured} packet{} captured", plural(captured));
    note!(
        "{} packet{} received by filter",
        s.received,
        plural(s.received)
    );
    note!(
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

#[cfg(test)]
mod tests {
    use super::*;
    use rawcap::bpf::{code, Insn};

    #[test]
    fn live_programs_come_from_the_compiler_with_linux_extensions() {
        let p = program_for("", LinkType::Ethernet, 96, true).unwrap();
        assert_eq!(p.insns(), &[Insn::stmt(code::RET | code::K, 96)]);
        assert_eq!(
            program_for("tcp  port 80", LinkType::Ethernet, 262_144, true).unwrap(),
            rawcap::bpf::programs::tcp_port_80()
        );
        let cut = program_for("tcp port 80", LinkType::Ethernet, 96, true).unwrap();
        assert_eq!(cut.insns()[18], Insn::stmt(code::RET | code::K, 96));
        assert_eq!(cut.insns()[19], Insn::stmt(code::RET | code::K, 0));
        // Live sockets see `vlan` and `inbound` through ancillary loads.
        let vlan = program_for("vlan 100", LinkType::Ethernet, 262_144, true).unwrap();
        let ancillary = rawcap::bpf::skf::AD_OFF + rawcap::bpf::skf::AD_VLAN_TAG_PRESENT;
        assert!(vlan.insns().iter().any(|i| i.k == ancillary), "{vlan}");
        assert!(program_for("inbound", LinkType::Ethernet, 262_144, true).is_ok());
        let err = program_for("tcp port 70000", LinkType::Ethernet, 1, true).unwrap_err();
        assert!(err.to_string().contains("^^^^^"), "{err}");
    }
}
