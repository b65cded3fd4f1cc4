//! The namespace test bed shared by the privileged tests (`tests/live.rs`,
//! `tests/faults.rs`): privilege check, two namespaces joined by a veth pair,
//! threads that enter a namespace, and the binary run inside one.
#![allow(dead_code)]

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
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
        ip(&[
            "-n", &bed.a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns",
            &bed.b,
        ]);
        ip(&[
            "-n",
            &bed.a,
            "addr",
            "add",
            &format!("{}/24", bed.addr_a()),
            "dev",
            "va",
        ]);
        ip(&[
            "-n",
            &bed.b,
            "addr",
            "add",
            &format!("{}/24", bed.addr_b()),
            "dev",
            "vb",
        ]);
        ip(&["-n", &bed.a, "link", "set", "va", "up"]);
        ip(&["-n", &bed.b, "link", "set", "vb", "up"]);
        bed
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
        let deadline = Instant::now() + within;
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("wait") {
                break s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("rawcap did not exit within {within:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let out = self
            .stdout
            .take()
            .expect("stdout")
            .join()
            .expect("stdout reader");
        while let Ok(l) = self.stderr.recv_timeout(Duration::from_millis(500)) {
            self.stderr_seen.push(l);
        }
        (status, out, self.stderr_seen)
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
