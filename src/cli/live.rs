//! The live mode: `rawcap -i IFACE [EXPR]`.
//!
//! Order matters: flags are checked (in `config`), the capture is opened (which is where a
//! missing CAP_NET_RAW shows up), the output (perhaps a file) is created, and
//! only then are privileges dropped (`-Z`), as tcpdump does. SIGINT, SIGTERM,
//! SIGHUP, SIGUSR1 and SIGUSR2 are blocked in every thread and taken by one
//! waiter thread that sets flags; the read loop wakes from `poll` at least
//! every 100 ms to see them. A stop (signal, `--duration`) first stops the
//! kernel from queueing, then writes every frame already queued, so the
//! statistics add up; `-c` stops at once.

use super::config::{Live, TstampType};
use super::output::{self, Output, Source};
use super::savefiles::LimitReached;
use super::stdio::note;
use anyhow::{anyhow, bail, Context};
use rawcap::bpf::Program;
use rawcap::capture::{self, Capture, CaptureBuilder, CaptureError, Stats};
use rawcap::filter;
use rawcap::packet::{Packet, PacketType};
use rawcap::savefile::pcapng::InterfaceStats;
use rawcap::LinkType;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest the loop sleeps before looking at the stop flag.
const TICK: Duration = Duration::from_millis(100);

/// Runs the live mode.
pub fn run(cfg: &Live) -> anyhow::Result<i32> {
    let signals = catch_signals()?;
    let names: Vec<&String> = std::iter::once(&cfg.interface)
        .chain(&cfg.extra_interfaces)
        .collect();
    // One capture per interface (`--threads` sockets each), each with the
    // filter compiled for its own link type.
    let mut caps = Vec::with_capacity(names.len() * cfg.threads);
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
            caps.push((cap, source));
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
    // The savefile is created before privileges are dropped, as tcpdump
    // does (it keeps CAP_DAC_OVERRIDE across the user switch just to create
    // it, so the file belongs to the -Z user): `-w` may name a directory only
    // root may write. Rotation (-C/-G, a later issue) must follow tcpdump
    // here: the first file (numbered with -C) is created now, the next ones
    // after the drop, which tcpdump can do only because it keeps
    // CAP_DAC_OVERRIDE permitted when -C or -G is given and raises it around
    // each pcap_dump_open; without that, later files are created as the -Z user.
    let user = cfg.user.as_deref().map(find_user).transpose()?;
    let fresh = cfg
        .output
        .write
        .as_ref()
        .is_some_and(|p| p.as_os_str() != "-" && std::fs::symlink_metadata(p).is_err());
    // With -C or -G, tcpdump 4.99.3 creates every file as the -Z user, the
    // first one too (where only root may write, it stops at once, not at
    // the first rotation): so does rawcap.
    let rotating = cfg.output.rotation.is_some() && cfg.output.write.is_some();
    if let (true, Some(u)) = (rotating, &user) {
        drop_privileges(u)?;
    }
    let mut output = match Output::for_sources(&cfg.output, &sources, cfg.snaplen) {
        // The reader of `-w -` has gone already.
        Err(e) if output::pipe_closed(&e) => return Ok(0),
        out => out?,
    };
    if let (false, Some(u)) = (rotating, &user) {
        if let (true, Some(f)) = (fresh, output.savefile()) {
            nix::unistd::fchown(f, Some(u.uid), Some(u.gid))
                .with_context(|| format!("-Z {}: fchown", u.name))?;
        }
        drop_privileges(u)?;
    }
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
        signals,
    };
    // Host names: the ring is read on a worker, so a slow resolver delays
    // lines, never the ring (see `names`).
    let backlog = output.names_backlog();
    let (per_source, mut result) = if caps.len() == 1 && backlog.is_none() {
        let mut cap = caps.remove(0).0;
        let result = read_one(&mut cap, &mut output, &limits);
        (vec![cap.stats().unwrap_or_default()], result)
    } else {
        // Several interfaces: one stream in time order; a frame waits a
        // little more than the kernel's block timeout for older ones.
        let hold = (sources.len() > 1).then_some(if cfg.immediate {
            Duration::from_millis(20)
        } else {
            TICK * 2 + Duration::from_millis(50)
        });
        read_many(caps, sources.len(), &mut output, &limits, hold, backlog)
    };
    // -G with -W: the last file is written; tcpdump says so and exits 0.
    if let Some(l) = result
        .as_ref()
        .err()
        .and_then(|e| e.downcast_ref::<LimitReached>())
    {
        note!("{l}");
        result = Ok(());
    }
    let ended = now_ns();
    let isb: Vec<_> = per_source
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
    let mut stats = Stats::default();
    for s in per_source {
        stats += s;
    }
    let finished = output.finish_with(&isb);
    // As tcpdump: a capture error ("pcap_loop: The interface disappeared")
    // comes before the statistics.
    if let Some(e) = result
        .as_ref()
        .err()
        .and_then(|e| e.downcast_ref::<CaptureError>())
    {
        note!("rawcap: {e}");
        print_stats(output.count(), &stats);
        return Ok(1);
    }
    print_stats(output.count(), &stats);
    for r in [result, finished] {
        // The reader of `-w -` has gone: quietly, status 0 (tcpdump's).
        match r {
            Err(e) if !output::pipe_closed(&e) => return Err(e),
            _ => {}
        }
    }
    Ok(0)
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
            anyhow!("you need CAP_NET_RAW: run as root or `setcap cap_net_raw=eip {exe}`")
        }
        e => anyhow!(e),
    }
}

/// What the signals ask of the read loop, as tcpdump's handlers do:
/// SIGINT, SIGTERM and SIGHUP end the capture (flush, statistics, exit 0;
/// SIGHUP not when it was ignored at start, which is how nohup(1) works),
/// SIGUSR1 prints the statistics so far, SIGUSR2 flushes the savefile.
#[derive(Default)]
struct Signals {
    stop: AtomicBool,
    info: AtomicBool,
    flush: AtomicBool,
}

/// Blocks the signals above in this thread (and so in every thread it
/// starts) and lets one waiter thread turn them into flags.
fn catch_signals() -> anyhow::Result<Arc<Signals>> {
    use nix::sys::signal::{SigSet, Signal};
    let mut set = SigSet::empty();
    for sig in [
        Signal::SIGINT,
        Signal::SIGTERM,
        Signal::SIGUSR1,
        Signal::SIGUSR2,
    ] {
        set.add(sig);
    }
    if !ignored(Signal::SIGHUP) {
        set.add(Signal::SIGHUP);
    }
    set.thread_block().context("pthread_sigmask")?;
    let signals = Arc::new(Signals::default());
    let flags = Arc::clone(&signals);
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            while let Ok(sig) = set.wait() {
                let flag = match sig {
                    Signal::SIGUSR1 => &flags.info,
                    Signal::SIGUSR2 => &flags.flush,
                    _ => &flags.stop,
                };
                flag.store(true, Ordering::SeqCst);
            }
        })
        .context("spawning the signal thread")?;
    Ok(signals)
}

/// Whether `sig` was ignored when rawcap started (`SigIgn` in /proc/self/status).
fn ignored(sig: nix::sys::signal::Signal) -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .is_some_and(|mask| mask & (1 << (sig as i32 - 1)) != 0)
}

/// When to stop reading.
struct Limits {
    count: Option<u64>,
    deadline: Option<Instant>,
    signals: Arc<Signals>,
}

impl Limits {
    /// `-c` was reached: stop at once, leaving the rest unread (as tcpdump).
    fn full(&self, captured: u64) -> bool {
        self.count.is_some_and(|c| captured >= c)
    }

    /// A stop signal or `--duration`: stop receiving, then write out every
    /// frame the kernel already queued, so the statistics add up.
    fn stopping(&self) -> bool {
        self.signals.stop.load(Ordering::SeqCst)
            || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Serves SIGUSR1 (the statistics so far, on one line, as tcpdump's
    /// `info(0)`) and SIGUSR2 (flush the savefile).
    fn serve(&self, output: &mut Output, stats: impl FnOnce() -> Stats) -> anyhow::Result<()> {
        if self.signals.info.swap(false, Ordering::SeqCst) {
            let s = stats();
            let n = output.count();
            note!(
                "rawcap: {n} packet{} captured, {} packet{} received by filter, {} packet{} dropped by kernel",
                plural(n),
                s.received,
                plural(s.received),
                s.dropped,
                plural(s.dropped)
            );
        }
        if self.signals.flush.swap(false, Ordering::SeqCst) {
            output.finish()?;
        }
        Ok(())
    }
}

/// The single-socket loop. Returns how it ended.
fn read_one(cap: &mut Capture, output: &mut Output, limits: &Limits) -> anyhow::Result<()> {
    let mut captured = 0u64;
    while !limits.full(captured) && !cap.is_drained() {
        if limits.stopping() {
            cap.stop_receiving()?;
        }
        let r = if let Some(mut plain) = output.plain_pcap() {
            // -w to one pcap file and nothing else: straight to its writer.
            let (r, failed) = batch(cap, limits, &mut captured, |p| plain.packet(p));
            if let Some(e) = failed {
                return Err(output.save_failed(e));
            }
            r
        } else {
            let (r, failed) = batch(cap, limits, &mut captured, |p| output.packet(p));
            if let Some(e) = failed {
                return Err(e);
            }
            r
        };
        r?;
        limits.serve(output, || cap.stats().unwrap_or_default())?;
    }
    Ok(())
}

/// One [`Capture::next_batch`] through `sink`, counting what it took up to
/// `-c`; the first error stops handing packets over and is returned.
fn batch<E>(
    cap: &mut Capture,
    limits: &Limits,
    captured: &mut u64,
    mut sink: impl FnMut(&Packet<'_>) -> Result<(), E>,
) -> (Result<usize, CaptureError>, Option<E>) {
    let mut failed = None;
    let r = cap.next_batch(|p| {
        if failed.is_none() && !limits.full(*captured) {
            match sink(p) {
                Ok(()) => *captured += 1,
                Err(e) => failed = Some(e),
            }
        }
    });
    (r, failed)
}

/// A packet copied out of a worker's ring.
#[derive(PartialEq, Eq)]
struct Owned {
    ts_ns: u64,
    /// Arrival order, so frames with equal time stamps keep it.
    seq: u64,
    /// The interface (an index among the output's sources).
    source: usize,
    data: Vec<u8>,
    wire_len: u32,
    ifindex: Option<u32>,
    pkttype: Option<PacketType>,
}

impl Ord for Owned {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.ts_ns, self.seq).cmp(&(o.ts_ns, o.seq))
    }
}

impl PartialOrd for Owned {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Owned {
    fn write(&self, output: &mut Output) -> anyhow::Result<()> {
        let p = Packet {
            ts_ns: self.ts_ns,
            data: &self.data,
            wire_len: self.wire_len,
            ifindex: self.ifindex,
            pkttype: self.pkttype,
        };
        output.packet_on(&p, self.source)
    }
}

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// Several sockets (fanout, several interfaces): one worker per capture
/// sends copies over a bounded channel; this thread writes them in arrival
/// order, or with `hold` (several interfaces) in time stamp order: a frame
/// waits in a heap until it is `hold` old, by when every interface has
/// handed over what came before it. When the capture stops, each worker
/// stops receiving, takes its final statistics and sends every frame its
/// kernel queue still held; this thread writes them all, so captured +
/// dropped = received, as with one socket. Returns the statistics of each
/// of the `sources` interfaces (summed over its sockets) and how it ended.
fn read_many(
    caps: Vec<(Capture, usize)>,
    sources: usize,
    output: &mut Output,
    limits: &Limits,
    hold: Option<Duration>,
    backlog: Option<Arc<AtomicUsize>>,
) -> (Vec<Stats>, anyhow::Result<()>) {
    let backlog = backlog.unwrap_or_default();
    let quit = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::sync_channel::<Result<Owned, CaptureError>>(4096);
    // Each worker's statistics so far, for SIGUSR1.
    let slots: Arc<Vec<Mutex<Stats>>> =
        Arc::new(caps.iter().map(|_| Mutex::new(Stats::default())).collect());
    let workers: Vec<_> = caps
        .into_iter()
        .enumerate()
        .map(|(i, (mut cap, source))| {
            let tx = tx.clone();
            let backlog = Arc::clone(&backlog);
            let quit = Arc::clone(&quit);
            let slots = Arc::clone(&slots);
            std::thread::spawn(move || {
                loop {
                    if quit.load(Ordering::SeqCst) {
                        if let Err(e) = cap.stop_receiving() {
                            let _ = tx.send(Err(e));
                            break;
                        }
                    }
                    let mut gone = false;
                    let r = cap.next_batch(|p| {
                        let owned = Owned {
                            ts_ns: p.ts_ns,
                            seq: 0,
                            source,
                            data: p.data.to_vec(),
                            wire_len: p.wire_len,
                            ifindex: p.ifindex,
                            pkttype: p.pkttype,
                        };
                        backlog.fetch_add(1, Ordering::Relaxed);
                        gone |= tx.send(Ok(owned)).is_err();
                    });
                    if let (Ok(s), Ok(mut slot)) = (cap.stats(), slots[i].lock()) {
                        *slot = s;
                    }
                    if let Err(e) = r {
                        let _ = tx.send(Err(e));
                        break;
                    }
                    if gone || cap.is_drained() {
                        break;
                    }
                }
                (source, cap.stats().unwrap_or_default())
            })
        })
        .collect();
    drop(tx);
    let mut captured = 0u64;
    let mut result = Ok(());
    let mut heap: BinaryHeap<Reverse<Owned>> = BinaryHeap::new();
    let mut arrived = 0u64;
    while !limits.full(captured) {
        if limits.stopping() {
            quit.store(true, Ordering::SeqCst);
        }
        let got = rx.recv_timeout(TICK);
        if let Ok(Ok(_)) = got {
            backlog.fetch_sub(1, Ordering::Relaxed);
        }
        match got {
            Ok(Ok(mut o)) if hold.is_some() => {
                arrived += 1;
                o.seq = arrived;
                heap.push(Reverse(o));
            }
            Ok(Ok(o)) => {
                if let Err(e) = o.write(output) {
                    result = Err(e);
                    break;
                }
                captured += 1;
            }
            Ok(Err(e)) => {
                // The others stop too, and what they hold is still written.
                if result.is_ok() {
                    result = Err(e.into());
                }
                quit.store(true, Ordering::SeqCst);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        // Frames old enough that no interface can still hand over an older one.
        let horizon = now_ns().saturating_sub(hold.unwrap_or_default().as_nanos() as u64);
        while heap.peek().is_some_and(|o| o.0.ts_ns <= horizon) && !limits.full(captured) {
            let Some(Reverse(o)) = heap.pop() else { break };
            if let Err(e) = o.write(output) {
                result = Err(e);
                break;
            }
            captured += 1;
        }
        if result.is_err() {
            break;
        }
        let sum = || {
            let mut total = Stats::default();
            for slot in slots.iter() {
                total += slot.lock().map(|s| *s).unwrap_or_default();
            }
            total
        };
        if let Err(e) = limits.serve(output, sum) {
            result = Err(e);
            break;
        }
    }
    // The end: frames still waiting, in order (up to the count).
    while let Some(Reverse(o)) = heap.pop() {
        if result.is_err() || limits.full(captured) {
            break;
        }
        match o.write(output) {
            Ok(()) => captured += 1,
            Err(e) => result = Err(e),
        }
    }
    quit.store(true, Ordering::SeqCst);
    drop(rx); // unblocks workers waiting on a full channel
    let mut stats = vec![Stats::default(); sources];
    for w in workers {
        if let Ok((source, s)) = w.join() {
            if let Some(t) = stats.get_mut(source) {
                *t += s;
            }
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

/// The `-Z` user's entry in the password database.
fn find_user(name: &str) -> anyhow::Result<nix::unistd::User> {
    nix::unistd::User::from_name(name)
        .with_context(|| format!("-Z {name}"))?
        .ok_or_else(|| anyhow!("-Z {name}: no such user"))
}

/// `-Z USER`: switch group and user once the capture and the savefile are open.
fn drop_privileges(u: &nix::unistd::User) -> anyhow::Result<()> {
    use nix::unistd::{setgid, setgroups, setuid};
    let user = &u.name;
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
