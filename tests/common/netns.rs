//! The namespace test bed shared by the privileged tests (`tests/live.rs`,
//! `tests/faults.rs`): privilege check, two namespaces joined by a veth pair,
//! threads that enter a namespace, and the binary run inside one.
#![allow(dead_code)]

use rawcap::capture::{Capture, CaptureBuilder, Stats};
use rawcap::packet::Packet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, TcpStream, UdpSocket};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_rawcap");

// ---------------------------------------------------------------- privilege

pub fn privileged(test: &str) -> bool {
    let root = nix::unistd::geteuid().is_root();
    let have_ip = Command::new("ip")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if root && have_ip {
        return true;
    }
    let why = if root {
        "`ip` (iproute2) is not installed"
    } else {
        "needs root (CAP_NET_ADMIN for namespaces, CAP_NET_RAW for capture)"
    };
    assert!(
        std::env::var("RAWCAP_REQUIRE_PRIVILEGED").as_deref() != Ok("1"),
        "{test}: {why}, and RAWCAP_REQUIRE_PRIVILEGED=1 forbids skipping"
    );
    eprintln!("skipping {test}: {why}");
    false
}

// ---------------------------------------------------------------- test bed

pub fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().expect("running ip");
    assert!(
        out.status.success(),
        "ip {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

pub static NEXT_BED: AtomicU32 = AtomicU32::new(1);

/// Two namespaces joined by a veth pair; removed on drop.
pub struct Bed {
    pub a: String,
    pub b: String,
    pub n: u8,
}

impl Bed {
    pub fn new() -> Bed {
        sweep_stale_beds();
        let n = NEXT_BED.fetch_add(1, Ordering::SeqCst);
        let pid = std::process::id();
        // Built before anything exists, so a failure half way is still cleaned up.
        let bed = Bed {
            a: format!("rc{n}-{pid}-a"),
            b: format!("rc{n}-{pid}-b"),
            n: n as u8,
        };
        for ns in [&bed.a, &bed.b] {
            ip(&["netns", "add", ns]);
            sysctl(ns, "net.ipv6.conf.all.disable_ipv6=1");
            sysctl(ns, "net.ipv6.conf.default.disable_ipv6=1");
            ip(&["-n", ns, "link", "set", "lo", "up"]);
        }
        bed.add_pair();
        bed
    }

    /// The veth pair `va`/`vb` with the bed's addresses, both ends up
    /// (again, after a test deleted it).
    pub fn add_pair(&self) {
        ip(&[
            "-n", &self.a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns",
            &self.b,
        ]);
        let (a, b) = (
            format!("{}/24", self.addr_a()),
            format!("{}/24", self.addr_b()),
        );
        ip(&["-n", &self.a, "addr", "add", &a, "dev", "va"]);
        ip(&["-n", &self.b, "addr", "add", &b, "dev", "vb"]);
        ip(&["-n", &self.a, "link", "set", "va", "up"]);
        ip(&["-n", &self.b, "link", "set", "vb", "up"]);
    }

    pub fn addr_a(&self) -> Ipv4Addr {
        Ipv4Addr::new(198, 18, self.n, 1)
    }

    pub fn addr_b(&self) -> Ipv4Addr {
        Ipv4Addr::new(198, 18, self.n, 2)
    }
}

impl Drop for Bed {
    fn drop(&mut self) {
        for ns in [&self.a, &self.b] {
            let _ = Command::new("ip").args(["netns", "del", ns]).output();
        }
    }
}

pub fn sysctl(ns: &str, setting: &str) {
    let out = Command::new("ip")
        .args(["netns", "exec", ns, "sysctl", "-qw", setting])
        .output()
        .expect("running sysctl");
    assert!(out.status.success(), "sysctl {setting} in {ns}");
}

/// Deletes `rcN-PID-x` namespaces whose PID is no longer running (a test
/// process killed before its Drop ran).
pub fn sweep_stale_beds() {
    let Ok(dir) = std::fs::read_dir("/run/netns") else {
        return;
    };
    for e in dir.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let mut parts = name.split('-');
        let (Some(tag), Some(pid), Some(_)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if tag.starts_with("rc")
            && pid.parse::<u32>().is_ok()
            && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = Command::new("ip").args(["netns", "del", &name]).output();
        }
    }
}

/// Runs `f` on a thread that entered namespace `ns`; sockets it opens stay in `ns`.
pub fn spawn_in<T: Send + 'static>(
    ns: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> JoinHandle<T> {
    let path = format!("/run/netns/{ns}");
    std::thread::spawn(move || {
        let fd = File::open(&path).expect("opening the namespace");
        nix::sched::setns(&fd, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
        f()
    })
}

pub fn in_ns<T: Send + 'static>(ns: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    spawn_in(ns, f)
        .join()
        .expect("thread in namespace panicked")
}

/// `n` UDP datagrams from `ns` to `to`.
pub fn udp_send(ns: &str, to: SocketAddrV4, n: usize) {
    in_ns(ns, move || {
        let s = UdpSocket::bind("0.0.0.0:0").expect("udp bind");
        for i in 0..n {
            s.send_to(format!("datagram {i}").as_bytes(), to)
                .expect("udp send");
        }
    })
}

// ---------------------------------------------------------------- traffic

/// Echo server in `ns` on `addr:port` for `conns` connections (bounded by 20 s).
pub fn echo_server(ns: &str, addr: Ipv4Addr, port: u16, conns: usize) -> JoinHandle<usize> {
    let l = in_ns(ns, move || TcpListener::bind((addr, port)).expect("bind"));
    std::thread::spawn(move || {
        l.set_nonblocking(true).expect("nonblocking");
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut served = 0;
        while served < conns && Instant::now() < deadline {
            match l.accept() {
                Ok((mut s, _)) => {
                    s.set_nonblocking(false).expect("blocking");
                    s.set_read_timeout(Some(Duration::from_secs(2)))
                        .expect("timeout");
                    let mut buf = [0u8; 256];
                    if let Ok(n) = s.read(&mut buf) {
                        let _ = s.write_all(&buf[..n]);
                    }
                    served += 1;
                }
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
        served
    })
}

/// `n` TCP exchanges from `ns` to `to` ("hello N", echoed); returns how many completed.
pub fn tcp_clients(ns: &str, to: SocketAddrV4, n: usize) -> usize {
    in_ns(ns, move || {
        let mut ok = 0;
        for i in 0..n {
            let Ok(mut s) = TcpStream::connect_timeout(&SocketAddr::V4(to), Duration::from_secs(2))
            else {
                continue;
            };
            s.set_read_timeout(Some(Duration::from_secs(2)))
                .expect("timeout");
            let msg = format!("hello {i}");
            s.write_all(msg.as_bytes()).expect("send");
            let mut back = Vec::new();
            let _ = s.read_to_end(&mut back);
            ok += usize::from(back == msg.as_bytes());
        }
        ok
    })
}

/// Datagrams from `ns` to `to`, one per payload, 2 ms apart.
pub fn udp_datagrams(ns: &str, to: SocketAddrV4, payloads: Vec<Vec<u8>>) {
    in_ns(ns, move || {
        let s = UdpSocket::bind("0.0.0.0:0").expect("udp bind");
        for p in payloads {
            s.send_to(&p, to).expect("udp send");
            std::thread::sleep(Duration::from_millis(2));
        }
    })
}

/// `n` ICMP echo requests from `ns` to `to` (raw socket: there is no ping here).
pub fn icmp_echo(ns: &str, to: Ipv4Addr, n: u16) {
    in_ns(ns, move || {
        use socket2::{Domain, Protocol, SockAddr, Socket, Type};
        let s = Socket::new(Domain::IPV4, Type::RAW, Some(Protocol::ICMPV4)).expect("raw icmp");
        for seq in 0..n {
            let mut m = vec![8u8, 0, 0, 0, 0x12, 0x34, (seq >> 8) as u8, seq as u8];
            m.extend_from_slice(b"rawcap-echo");
            let sum = inet_checksum(&m);
            m[2..4].copy_from_slice(&sum.to_be_bytes());
            s.send_to(&m, &SockAddr::from(SocketAddrV4::new(to, 0)))
                .expect("icmp send");
            std::thread::sleep(Duration::from_millis(5));
        }
    })
}

/// The Internet checksum (RFC 1071) of `b`.
pub fn inet_checksum(b: &[u8]) -> u16 {
    let mut sum = 0u32;
    for c in b.chunks(2) {
        sum += u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// Sends whole Ethernet frames out of `dev` in `ns` (a packet socket), 2 ms apart.
pub fn inject(ns: &str, dev: &'static str, frames: Vec<Vec<u8>>) {
    in_ns(ns, move || {
        let ifindex = nix::net::if_::if_nametoindex(dev).expect("ifindex");
        let s = socket2::Socket::new(socket2::Domain::PACKET, socket2::Type::RAW, None)
            .expect("packet socket");
        // SAFETY: an all-zero sockaddr_ll is a valid value of this plain C struct.
        let mut sll: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        sll.sll_family = libc::AF_PACKET as u16;
        sll.sll_ifindex = ifindex as i32;
        sll.sll_halen = 6;
        for f in &frames {
            let p: *const libc::sockaddr_ll = &sll;
            let len = std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
            // SAFETY: `f` and `sll` outlive the call, and the lengths are theirs.
            let r = unsafe {
                libc::sendto(
                    std::os::fd::AsRawFd::as_raw_fd(&s),
                    f.as_ptr().cast(),
                    f.len(),
                    0,
                    p.cast(),
                    len,
                )
            };
            assert_eq!(
                r,
                f.len() as isize,
                "sendto: {}",
                std::io::Error::last_os_error()
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    })
}

// ---------------------------------------------------------------- library captures

/// A library capture read on its own thread, each packet turned into a `T`
/// by `keep`, until stopped and then idle for 400 ms (blocks retire after
/// the 100 ms read timeout).
pub struct Collector<T> {
    stop: Arc<AtomicBool>,
    handle: JoinHandle<(Vec<T>, Stats)>,
}

impl<T: Send + 'static> Collector<T> {
    pub fn start(mut cap: Capture, keep: fn(&Packet<'_>) -> T) -> Collector<T> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = std::thread::spawn(move || {
            let mut got = Vec::new();
            let mut last = Instant::now();
            loop {
                let n = cap
                    .next_batch(|p| got.push(keep(p)))
                    .expect("reading the capture");
                if n > 0 {
                    last = Instant::now();
                }
                if flag.load(Ordering::SeqCst) && last.elapsed() > Duration::from_millis(400) {
                    break;
                }
            }
            (got, cap.stats().expect("stats"))
        });
        Collector { stop, handle }
    }

    /// Tells the reader to stop once the capture has been idle a while.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// Stops (after 200 ms, so the last frames can leave the senders, unless
    /// [`Collector::stop`] was called) and returns what was read.
    pub fn finish(self) -> (Vec<T>, Stats) {
        if !self.stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(200));
            self.stop();
        }
        self.handle.join().expect("collector panicked")
    }
}

/// Opens `b` from a thread in namespace `ns`.
pub fn open_in(ns: &str, b: CaptureBuilder) -> Capture {
    in_ns(ns, move || b.open().expect("opening the capture"))
}

// ---------------------------------------------------------------- CLI

/// The binary running in a namespace, its output read on threads.
pub struct Cli {
    child: Child,
    stderr: mpsc::Receiver<String>,
    stderr_seen: Vec<String>,
    stdout: Option<JoinHandle<String>>,
}

impl Cli {
    pub fn spawn(ns: &str, args: &[&str]) -> Cli {
        let mut child = Command::new("ip")
            .args(["netns", "exec", ns, BIN])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawning rawcap");
        let mut out = child.stdout.take().expect("stdout");
        let err = child.stderr.take().expect("stderr");
        let stdout = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = out.read_to_string(&mut s);
            s
        });
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Cli {
            child,
            stderr: rx,
            stderr_seen: Vec::new(),
            stdout: Some(stdout),
        }
    }

    pub fn pid(&self) -> nix::unistd::Pid {
        nix::unistd::Pid::from_raw(self.child.id() as i32)
    }

    /// Waits for the "listening on" line.
    pub fn wait_listening(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(l) = self.stderr.recv_timeout(Duration::from_millis(100)) {
                let done = l.starts_with("rawcap: listening on");
                self.stderr_seen.push(l);
                if done {
                    return;
                }
            }
        }
        panic!("rawcap never started listening: {:?}", self.stderr_seen);
    }

    /// Waits (bounded) for the exit; kills the child (by its PID) on timeout.
    pub fn finish(mut self, within: Duration) -> (ExitStatus, String, Vec<String>) {
        let status = wait_within(&mut self.child, within, &self.stderr_seen);
        let out = self
            .stdout
            .take()
            .expect("stdout")
            .join()
            .expect("stdout reader");
        drain(&self.stderr, &mut self.stderr_seen);
        (status, out, self.stderr_seen)
    }
}

/// Waits (at most `within`) for `child` to exit; on timeout kills it (by its
/// PID) and panics, showing `seen` (its stderr so far).
fn wait_within(child: &mut Child, within: Duration, seen: &[String]) -> ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Some(s) = child.try_wait().expect("wait") {
            return s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("did not exit within {within:?}: {seen:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The stderr lines still to come from an exited child.
fn drain(rx: &mpsc::Receiver<String>, seen: &mut Vec<String>) {
    while let Ok(l) = rx.recv_timeout(Duration::from_millis(300)) {
        seen.push(l);
    }
}

pub fn stat_lines(err: &[String]) -> Vec<&String> {
    err.iter()
        .filter(|l| {
            l.ends_with(" captured")
                || l.ends_with(" received by filter")
                || l.ends_with(" dropped by kernel")
        })
        .collect()
}

// ---------------------------------------------------------------- side by side

/// A capture program (rawcap or tcpdump) running in a namespace, its
/// stderr read on a thread.
pub struct Running {
    child: Child,
    stderr: mpsc::Receiver<String>,
    pub seen: Vec<String>,
}

impl Running {
    /// Starts `argv` (program first) in namespace `ns`; stdout is discarded.
    pub fn spawn(ns: &str, argv: &[&str]) -> Running {
        let mut child = Command::new("ip")
            .args(["netns", "exec", ns])
            .args(argv)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("spawning {}: {e}", argv[0]));
        let err = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Running {
            child,
            stderr: rx,
            seen: Vec::new(),
        }
    }

    /// Waits (at most `within`) for the "listening on" line. `Err` with the
    /// stderr lines when the program exits first (it refused the filter).
    pub fn ready(&mut self, within: Duration) -> Result<(), Vec<String>> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            match self.stderr.recv_timeout(Duration::from_millis(50)) {
                Ok(l) => {
                    let done = l.contains("listening on");
                    self.seen.push(l);
                    if done {
                        return Ok(());
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let _ = self.child.wait();
                    return Err(self.seen.clone());
                }
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        panic!("never started listening within {within:?}: {:?}", self.seen);
    }

    pub fn signal(&self, sig: nix::sys::signal::Signal) {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::kill(pid, sig);
    }

    /// Waits (bounded) for the exit; kills the child (by its PID) on timeout.
    pub fn finish(mut self, within: Duration) -> (ExitStatus, Vec<String>) {
        let status = wait_within(&mut self.child, within, &self.seen);
        drain(&self.stderr, &mut self.seen);
        (status, self.seen)
    }
}

/// One pcap record: the saved bytes and the original length.
pub type Record = (Vec<u8>, u32);

/// The link type and records of a classic pcap file (either byte order).
pub fn pcap_file(path: &std::path::Path) -> (u32, Vec<Record>) {
    let b = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(b.len() >= 24, "{}: no pcap header", path.display());
    let swap = match u32::from_le_bytes([b[0], b[1], b[2], b[3]]) {
        0xa1b2_c3d4 | 0xa1b2_3c4d => false,
        0xd4c3_b2a1 | 0x4d3c_b2a1 => true,
        m => panic!("{}: not a pcap file (magic {m:#x})", path.display()),
    };
    let u32_at = |i: usize| {
        let v = u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        if swap {
            v.swap_bytes()
        } else {
            v
        }
    };
    let mut v = Vec::new();
    let mut off = 24;
    while off + 16 <= b.len() {
        let (incl, orig) = (u32_at(off + 8) as usize, u32_at(off + 12));
        let rec = b
            .get(off + 16..off + 16 + incl)
            .unwrap_or_else(|| panic!("{}: record cut short", path.display()));
        v.push((rec.to_vec(), orig));
        off += 16 + incl;
    }
    (u32_at(20), v)
}

/// The "N packets dropped by kernel" count in a tool's exit lines.
pub fn dropped(err: &[String]) -> Option<u64> {
    err.iter()
        .find(|l| l.ends_with("dropped by kernel"))
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
}

/// A temporary directory removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let n = NEXT_BED.fetch_add(1, Ordering::SeqCst);
        let p = std::env::temp_dir().join(format!("rawcap-{tag}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }

    pub fn file(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
