//! The capture-file workflow live, in test namespaces: rotation under a
//! trafgen flood (no frame lost or split: the records of all files add up
//! to "packets captured"), a ring of files reused oldest first, -G with -W
//! and -z, several -i into one pcapng stream, -i any as LINUX_SLL2, and a
//! file tcpdump -i any wrote read and filtered by rawcap as by tcpdump.

#[path = "common/netns.rs"]
mod netns;
use netns::{icmp_echo, in_ns, pcap_file, privileged, Bed, Cli, TempDir, BIN};

use std::net::{Ipv4Addr, SocketAddrV4};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The number in rawcap's "N packets captured" line.
fn captured(err: &[String]) -> u64 {
    err.iter()
        .find(|l| l.ends_with("captured"))
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no 'captured' line: {err:?}"))
}

/// Files in `d` starting with `prefix`, sorted by name.
fn files(d: &Path, prefix: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect();
    v.sort();
    v
}

/// Whether trafgen is here (says so when not).
fn have_trafgen(test: &str) -> bool {
    // (trafgen --version exits 1: only whether it runs counts.)
    let ok = Command::new("trafgen").arg("--version").output().is_ok();
    if !ok {
        assert!(
            std::env::var("RAWCAP_REQUIRE_PRIVILEGED").as_deref() != Ok("1"),
            "{test}: trafgen (netsniff-ng) is not installed"
        );
        println!("skipped {test}: trafgen (netsniff-ng) is not installed");
    }
    ok
}

/// Sends `n` UDP frames of about 1,000 bytes from `bed.b` to `bed.a`'s
/// port 9 as fast as trafgen can (one process, bounded by 120 s).
fn flood(bed: &Bed, dir: &TempDir, n: u32) {
    let cfg = dir.file("flood.cfg");
    std::fs::write(
        &cfg,
        format!(
            "{{\n  eth(da=ff:ff:ff:ff:ff:ff, sa=02:00:00:00:00:02),\n  \
             ipv4(saddr={}, daddr={}, ttl=64),\n  udp(sp=40000, dp=9),\n  fill(0x41, 958)\n}}\n",
            bed.addr_b(),
            bed.addr_a()
        ),
    )
    .unwrap();
    let st = Command::new("ip")
        .args(["netns", "exec", &bed.b, "timeout", "120", "trafgen"])
        .args([
            "--no-sock-mem",
            "--notouch-irq",
            "--no-cpu-stats",
            "-P",
            "1",
        ])
        .args(["-o", "vb", "-i"])
        .arg(&cfg)
        .args(["-n", &n.to_string()])
        .output()
        .expect("trafgen");
    assert!(
        st.status.success(),
        "trafgen: {}",
        String::from_utf8_lossy(&st.stderr)
    );
}

/// Stops a capture with SIGINT and returns its stderr lines.
fn stop(cli: Cli) -> Vec<String> {
    std::thread::sleep(Duration::from_millis(300));
    let _ = nix::sys::signal::kill(cli.pid(), nix::sys::signal::Signal::SIGINT);
    let (st, _, err) = cli.finish(Duration::from_secs(60));
    assert!(st.success(), "{err:?}");
    err
}

#[test]
fn size_rotation_under_a_flood_loses_and_splits_nothing() {
    let test = "size_rotation_under_a_flood_loses_and_splits_nothing";
    if !privileged(test) || !have_trafgen(test) {
        return;
    }
    let bed = Bed::new();
    let dir = TempDir::new("flood");
    let base = dir.file("cap");
    let mut cli = Cli::spawn(
        &bed.a,
        &[
            "-i",
            "va",
            "-C",
            "2",
            "-w",
            base.to_str().unwrap(),
            "udp port 9",
        ],
    );
    cli.wait_listening();
    let t = Instant::now();
    flood(&bed, &dir, 30_000);
    let took = t.elapsed();
    let err = stop(cli);
    let n = captured(&err);
    let fs = files(&dir.0, "cap");
    let mut total = 0u64;
    for f in &fs {
        // pcap_file panics on a record cut short.
        let (lt, recs) = pcap_file(f);
        assert_eq!(lt, 1);
        let size = std::fs::metadata(f).unwrap().len();
        assert!(
            size <= 2_000_000 + 16 + 1000,
            "{}: {size} bytes",
            f.display()
        );
        total += recs.len() as u64;
    }
    eprintln!(
        "flood: 30000 frames in {took:?}; {n} captured into {} files; {err:?}",
        fs.len()
    );
    assert_eq!(total, n, "records in all files = packets captured");
    assert!(fs.len() >= 10, "{} files", fs.len());
    // tcpdump's names: cap, cap1, cap2, ...
    let names: Vec<String> = fs
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut want: Vec<String> = std::iter::once("cap".to_string())
        .chain((1..fs.len()).map(|i| format!("cap{i}")))
        .collect();
    want.sort();
    assert_eq!(names, want);
}

/// A `-z` command that logs the name it is given.
fn postrotate(dir: &TempDir) -> (std::path::PathBuf, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let log = dir.file("rotated.log");
    let script = dir.file("z.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1\" >> {}\n", log.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script, log)
}

#[test]
fn a_ring_of_files_reuses_the_oldest() {
    let test = "a_ring_of_files_reuses_the_oldest";
    if !privileged(test) || !have_trafgen(test) {
        return;
    }
    let bed = Bed::new();
    let dir = TempDir::new("ring");
    let (script, log) = postrotate(&dir);
    let base = dir.file("ring");
    let mut cli = Cli::spawn(
        &bed.a,
        &[
            "-i",
            "va",
            // A ring that holds the whole 10 MB flood: a loaded host
            // descheduling rawcap must not turn frames into drops, or the
            // files would not go round the ring.
            "-B",
            "16384",
            "-C",
            "1",
            "-W",
            "3",
            "-z",
            script.to_str().unwrap(),
            "-w",
            base.to_str().unwrap(),
            "udp port 9",
        ],
    );
    cli.wait_listening();
    flood(&bed, &dir, 10_000);
    let err = stop(cli);
    let n = captured(&err);
    let fs = files(&dir.0, "ring");
    let names: Vec<String> = fs
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["ring0", "ring1", "ring2"], "{err:?}");
    let kept: u64 = fs.iter().map(|f| pcap_file(f).1.len() as u64).sum();
    assert!(
        kept < n,
        "the ring keeps the newest frames only ({kept} of {n})"
    );
    // -z ran on each file as it was closed, round the ring more than once.
    // The commands run side by side (as tcpdump's do), so their lines may
    // land in any order: compare the names as a multiset.
    let rotated = settled(&log);
    let mut order: Vec<&str> = rotated
        .lines()
        .map(|l| l.rsplit('/').next().unwrap_or(l))
        .collect();
    assert!(order.len() >= 4, "{order:?} ({n} captured)");
    let mut want: Vec<String> = (0..order.len()).map(|i| format!("ring{}", i % 3)).collect();
    order.sort_unstable();
    want.sort_unstable();
    assert_eq!(order, want);
}

/// The text of `log` once the `-z` commands writing it have stopped (no
/// change for a second, at most 15 s).
fn settled(log: &std::path::Path) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    let mut last = std::fs::read_to_string(log).unwrap_or_default();
    while std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_secs(1));
        let now = std::fs::read_to_string(log).unwrap_or_default();
        if now == last {
            break;
        }
        last = now;
    }
    last
}

/// Echo requests from `ns` to `to`, one every 100 ms for `secs` seconds.
fn pings(ns: &str, to: Ipv4Addr, secs: u64) -> std::thread::JoinHandle<()> {
    let ns = ns.to_string();
    std::thread::spawn(move || {
        for _ in 0..secs * 10 {
            icmp_echo(&ns, to, 1);
            std::thread::sleep(Duration::from_millis(100));
        }
    })
}

#[test]
fn time_rotation_names_by_strftime_and_stops_after_w_files() {
    if !privileged("time_rotation_names_by_strftime_and_stops_after_w_files") {
        return;
    }
    let bed = Bed::new();
    let dir = TempDir::new("grot");
    let (script, log) = postrotate(&dir);
    let pattern = dir.file("g-%s.pcap");
    let mut cli = Cli::spawn(
        &bed.a,
        &[
            "-i",
            "va",
            "-G",
            "1",
            "-W",
            "2",
            "-z",
            script.to_str().unwrap(),
            "-w",
            pattern.to_str().unwrap(),
            "icmp",
        ],
    );
    cli.wait_listening();
    let t0 = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let traffic = pings(&bed.a, bed.addr_b(), 4);
    // It ends by itself at the second rotation.
    let (st, _, err) = cli.finish(Duration::from_secs(20));
    traffic.join().unwrap();
    assert!(st.success(), "{err:?}");
    assert!(
        err.iter().any(|l| l == "Maximum file limit reached: 2"),
        "{err:?}"
    );
    let fs = files(&dir.0, "g-");
    assert_eq!(fs.len(), 2, "{fs:?}");
    let (mut stamps, mut kept) = (Vec::new(), Vec::new());
    for f in &fs {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let secs: u64 = name
            .trim_start_matches("g-")
            .trim_end_matches(".pcap")
            .parse()
            .unwrap_or_else(|_| panic!("{name}: not strftime's %s"));
        assert!(secs + 2 >= t0 && secs <= t0 + 10, "{name} (start {t0})");
        stamps.push(secs);
        kept.push(pcap_file(f).1.len());
    }
    // A file rotates when a packet comes after -G seconds (as tcpdump), so on
    // a slow host a second can pass without a ping and a file stay empty.
    assert!(kept.iter().any(|&n| n > 0), "{kept:?}");
    assert!(stamps[1] > stamps[0]);
    let rotated = settled(&log);
    assert_eq!(rotated.lines().count(), 2, "-z on both files: {rotated}");
}

#[test]
fn several_interfaces_make_one_time_ordered_pcapng() {
    if !privileged("several_interfaces_make_one_time_ordered_pcapng") {
        return;
    }
    let bed = Bed::new();
    let dir = TempDir::new("multi");
    let out = dir.file("both.pcapng");
    let mut cli = Cli::spawn(
        &bed.a,
        &["-i", "va", "-i", "lo", "-w", out.to_str().unwrap(), "icmp"],
    );
    cli.wait_listening();
    for _ in 0..5 {
        icmp_echo(&bed.a, bed.addr_b(), 2);
        icmp_echo(&bed.a, Ipv4Addr::LOCALHOST, 2);
    }
    let err = stop(cli);
    let n = captured(&err);
    // 10 requests and 10 replies on each interface.
    assert_eq!(n, 40, "{err:?}");
    let text = Command::new("tshark")
        .args(["-r", out.to_str().unwrap(), "-T", "fields"])
        .args(["-e", "frame.interface_name", "-e", "frame.time_epoch"])
        .args(["-e", "frame.packet_flags_direction"])
        .output()
        .expect("tshark");
    let text = String::from_utf8_lossy(&text.stdout);
    let rows: Vec<(&str, f64, &str)> = text
        .lines()
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?, f.next()?.parse().ok()?, f.next()?))
        })
        .collect();
    assert_eq!(rows.len(), 40, "{text}");
    assert_eq!(rows.iter().filter(|r| r.0 == "va").count(), 20);
    assert_eq!(rows.iter().filter(|r| r.0 == "lo").count(), 20);
    assert!(
        rows.windows(2).all(|w| w[0].1 <= w[1].1),
        "time order: {text}"
    );
    // Directions (epb_flags): a's requests leave on va, the replies come
    // in; lo shows each frame once, inbound.
    const IN: &str = "0x00000001";
    const OUT: &str = "0x00000002";
    let way = |i: &str, d: &str| rows.iter().filter(|r| r.0 == i && r.2 == d).count();
    assert_eq!(
        (way("va", OUT), way("va", IN), way("lo", IN)),
        (10, 10, 20),
        "{text}"
    );
    // An interface statistics block per interface, at the end.
    let bytes = std::fs::read(&out).unwrap();
    let (mut at, mut isbs) = (0, Vec::new());
    while at + 12 <= bytes.len() {
        let word = |o: usize| u32::from_le_bytes(bytes[o..o + 4].try_into().unwrap());
        let (ty, len) = (word(at), word(at + 4) as usize);
        if ty == 5 {
            // Options after interface id and time stamp: find isb_ifrecv (4).
            let mut o = at + 20;
            while o + 4 <= at + len - 4 {
                let (code, olen) = (
                    u16::from_le_bytes([bytes[o], bytes[o + 1]]),
                    u16::from_le_bytes([bytes[o + 2], bytes[o + 3]]) as usize,
                );
                if code == 4 {
                    let recv = u64::from_le_bytes(bytes[o + 4..o + 12].try_into().unwrap());
                    isbs.push((word(at + 8), recv));
                }
                if code == 0 {
                    break;
                }
                o += 4 + olen.div_ceil(4) * 4;
            }
        }
        at += len.max(12);
    }
    assert_eq!(isbs.len(), 2, "{isbs:?}");
    assert!(isbs.iter().all(|&(_, recv)| recv >= 20), "{isbs:?}");
    // rawcap's reader keeps the directions: a pcapng it writes from this
    // one has the same epb_flags directions.
    let again = dir.file("again.pcapng");
    let st = Command::new(BIN)
        .args(["-r", out.to_str().unwrap(), "-w", again.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(st.status.success());
    let dirs = Command::new("tshark")
        .args(["-r", again.to_str().unwrap(), "-T", "fields"])
        .args(["-e", "frame.packet_flags_direction"])
        .output()
        .unwrap();
    let dirs = String::from_utf8_lossy(&dirs.stdout);
    let want: Vec<&str> = rows.iter().map(|r| r.2).collect();
    assert_eq!(dirs.lines().collect::<Vec<_>>(), want);
    // tcpdump reads it too.
    let t = Command::new("tcpdump")
        .args(["-n", "-r", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&t.stdout).lines().count(), 40);
    // pcap takes one link type only, and says so in one line.
    let bad = Command::new("ip")
        .args(["netns", "exec", &bed.a, BIN, "-i", "va", "-i", "any", "-w"])
        .arg(dir.file("mixed.pcap"))
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let msg = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(msg.lines().count(), 1, "{msg}");
    assert!(
        msg.starts_with("rawcap: a pcap file holds one link type, and these interfaces deliver EN10MB and LINUX_SLL"),
        "{msg}"
    );
}

#[test]
fn any_writes_linux_sll2_unless_asked_for_v1() {
    if !privileged("any_writes_linux_sll2_unless_asked_for_v1") {
        return;
    }
    let bed = Bed::new();
    let dir = TempDir::new("anysll2");
    for (y, want) in [(None, 276), (Some("LINUX_SLL"), 113)] {
        let f = dir.file("any.pcap");
        let mut args = vec!["-i", "any", "-c", "4", "-w", f.to_str().unwrap()];
        if let Some(y) = y {
            args.extend_from_slice(&["-y", y]);
        }
        let mut cli = Cli::spawn(&bed.a, &args);
        cli.wait_listening();
        icmp_echo(&bed.a, bed.addr_b(), 4);
        let (st, _, err) = cli.finish(Duration::from_secs(20));
        assert!(st.success(), "{err:?}");
        let (lt, recs) = pcap_file(&f);
        assert_eq!((lt, recs.len()), (want, 4), "-y {y:?}");
    }
}

/// Whether rawcap compiles filters for LINUX_SLL2 (helper lib's part of issue 17).
fn compiles_sll2() -> bool {
    Command::new(BIN)
        .args(["-d", "-y", "LINUX_SLL2", "ip"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn a_tcpdump_any_file_reads_and_filters_as_in_tcpdump() {
    if !privileged("a_tcpdump_any_file_reads_and_filters_as_in_tcpdump") {
        return;
    }
    let bed = Bed::new();
    let dir = TempDir::new("tcpdumpany");
    let f = dir.file("any.pcap");
    let mut td = netns::Running::spawn(
        &bed.a,
        &[
            "tcpdump",
            "-Z",
            "root",
            "--immediate-mode",
            "-i",
            "any",
            "-w",
            f.to_str().unwrap(),
        ],
    );
    td.ready(Duration::from_secs(20))
        .expect("tcpdump listening");
    icmp_echo(&bed.a, bed.addr_b(), 5);
    icmp_echo(&bed.a, Ipv4Addr::LOCALHOST, 3);
    let to = SocketAddrV4::new(bed.addr_b(), 9);
    in_ns(&bed.a, move || {
        let s = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
        for i in 0..5u8 {
            s.send_to(&[i; 40], to).unwrap();
        }
    });
    std::thread::sleep(Duration::from_millis(500));
    td.signal(nix::sys::signal::Signal::SIGINT);
    let (st, err) = td.finish(Duration::from_secs(20));
    assert!(st.success(), "{err:?}");
    let (lt, recs) = pcap_file(&f);
    assert_eq!(lt, 276, "tcpdump -i any writes LINUX_SLL2");
    assert!(recs.len() >= 16, "{} frames saved: {err:?}", recs.len());
    let b = bed.addr_b().to_string();
    let host = format!("host {b}");
    let mut exprs = vec![""];
    if compiles_sll2() {
        exprs.extend([
            "icmp",
            "udp port 9",
            host.as_str(),
            "inbound",
            "ip and not udp",
        ]);
    } else {
        println!("filters skipped: rawcap does not compile for LINUX_SLL2 yet (helper lib)");
    }
    // Read in the namespace the file was written in: both look the
    // interface names up by index.
    let read = |tool: &str, e: &str| {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &bed.a, tool, "-n", "-r"]).arg(&f);
        if !e.is_empty() {
            c.arg(e);
        }
        let o = c.env("TZ", "UTC").output().unwrap();
        assert!(
            o.status.success(),
            "{tool} '{e}': {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    for e in exprs {
        let theirs = read("tcpdump", e);
        assert!(!theirs.is_empty(), "tcpdump -r printed nothing for '{e}'");
        assert_eq!(read(BIN, e), theirs, "rawcap -n -r any.pcap '{e}'");
    }
}

/// `/etc/netns/NS/{hosts,resolv.conf}`, which `ip netns exec NS` mounts over
/// /etc: the namespace's own host table and resolver; removed on drop.
struct NsEtc(std::path::PathBuf);

impl NsEtc {
    fn new(ns: &str, hosts: &str, resolv: &str) -> NsEtc {
        let d = Path::new("/etc/netns").join(ns);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("hosts"), hosts).unwrap();
        std::fs::write(d.join("resolv.conf"), resolv).unwrap();
        NsEtc(d)
    }
}

impl Drop for NsEtc {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A DNS server on 127.0.0.1:53 in `ns` that answers every PTR query after
/// `delay`: `name` for `known` (a reversed in-addr.arpa name), NXDOMAIN
/// otherwise. It serves until `stop` is set (checked every 100 ms).
fn slow_dns(
    ns: &str,
    known: String,
    name: &'static str,
    delay: Duration,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<u32> {
    let sock = in_ns(ns, || {
        std::net::UdpSocket::bind("127.0.0.1:53").expect("bind :53")
    });
    std::thread::spawn(move || {
        sock.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let mut answered = 0;
        let mut buf = [0u8; 512];
        while !stop.load(std::sync::atomic::Ordering::SeqCst) {
            let Ok((n, from)) = sock.recv_from(&mut buf) else {
                continue;
            };
            if n < 12 {
                continue;
            }
            // The question's name, as dotted text.
            let (mut at, mut labels) = (12, Vec::new());
            while at < n && buf[at] != 0 {
                let l = buf[at] as usize;
                labels
                    .push(String::from_utf8_lossy(&buf[at + 1..(at + 1 + l).min(n)]).into_owned());
                at += 1 + l;
            }
            let qend = (at + 5).min(n);
            let qname = labels.join(".");
            std::thread::sleep(delay);
            let mut r = buf[..qend].to_vec();
            r[2] = 0x84 | (buf[2] & 1); // response, authoritative, RD copied
            r[6..12].copy_from_slice(&[0, 0, 0, 0, 0, 0]);
            if qname.eq_ignore_ascii_case(&known) {
                r[3] = 0x80;
                r[7] = 1; // one answer
                r.extend_from_slice(&[0xc0, 12, 0, 12, 0, 1, 0, 0, 0, 60]);
                let mut rdata = Vec::new();
                for label in name.split('.').filter(|l| !l.is_empty()) {
                    rdata.push(label.len() as u8);
                    rdata.extend_from_slice(label.as_bytes());
                }
                rdata.push(0);
                r.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
                r.extend_from_slice(&rdata);
            } else {
                r[3] = 0x83; // NXDOMAIN
            }
            let _ = sock.send_to(&r, from);
            answered += 1;
        }
        answered
    })
}

#[test]
fn names_as_tcpdump_with_the_hosts_file_and_a_slow_dns() {
    if !privileged("names_as_tcpdump_with_the_hosts_file_and_a_slow_dns") {
        return;
    }
    let bed = Bed::new();
    let dir = TempDir::new("names");
    let (a, b) = (bed.addr_a(), bed.addr_b());
    let o = a.octets();
    let _etc = NsEtc::new(
        &bed.a,
        &format!("127.0.0.1 localhost\n{b} peer-b\n"),
        "nameserver 127.0.0.1\noptions timeout:3 attempts:1\n",
    );
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let dns = slow_dns(
        &bed.a,
        format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0]),
        "self-a.test",
        Duration::from_millis(300),
        std::sync::Arc::clone(&stop),
    );
    // A file with a's and b's addresses, read without -n by both tools.
    let f = dir.file("ab.pcap");
    let mut cli = Cli::spawn(
        &bed.a,
        &[
            "-n",
            "-i",
            "va",
            "-c",
            "6",
            "-w",
            f.to_str().unwrap(),
            "icmp",
        ],
    );
    cli.wait_listening();
    icmp_echo(&bed.a, b, 3);
    let (st, _, err) = cli.finish(Duration::from_secs(20));
    assert!(st.success(), "{err:?}");
    let read = |tool: &str, flag: &str| {
        let o = Command::new("ip")
            .args(["netns", "exec", &bed.a, tool, flag, "-r"])
            .arg(&f)
            .env("TZ", "UTC")
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let theirs = read("tcpdump", "-t");
    assert!(theirs.contains("self-a.test > peer-b"), "{theirs}");
    assert_eq!(read(BIN, "-t"), theirs);
    // -N: names without their domain.
    let theirs = read("tcpdump", "-N");
    assert!(theirs.contains("self-a > peer-b"), "{theirs}");
    assert_eq!(read(BIN, "-N"), theirs);
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let answered = dns.join().unwrap();
    assert!(answered >= 1, "the DNS server was asked");
}

#[test]
fn a_slow_resolver_never_makes_the_capture_drop() {
    let test = "a_slow_resolver_never_makes_the_capture_drop";
    if !privileged(test) || !have_trafgen(test) {
        return;
    }
    let bed = Bed::new();
    let dir = TempDir::new("slowdns");
    let _etc = NsEtc::new(
        &bed.a,
        "127.0.0.1 localhost\n",
        "nameserver 127.0.0.1\noptions timeout:5 attempts:1\n",
    );
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Every lookup takes 2 s.
    let dns = slow_dns(
        &bed.a,
        String::new(),
        "never.test",
        Duration::from_secs(2),
        std::sync::Arc::clone(&stop),
    );
    let mut results = Vec::new();
    for numeric in [true, false] {
        let mut args = vec!["-i", "va", "-l", "udp port 9"];
        if numeric {
            args.insert(0, "-n");
        }
        let mut cli = Cli::spawn(&bed.a, &args);
        cli.wait_listening();
        // 20,000 frames at about 10,000 a second.
        let cfg = dir.file("paced.cfg");
        std::fs::write(
            &cfg,
            format!(
                "{{\n  eth(da=ff:ff:ff:ff:ff:ff, sa=02:00:00:00:00:02),\n  \
                 ipv4(saddr={}, daddr={}, ttl=64),\n  udp(sp=40000, dp=9),\n  fill(0x41, 100)\n}}\n",
                bed.addr_b(),
                bed.addr_a()
            ),
        )
        .unwrap();
        let t = Instant::now();
        let st = Command::new("ip")
            .args(["netns", "exec", &bed.b, "timeout", "60", "trafgen"])
            .args([
                "--no-sock-mem",
                "--notouch-irq",
                "--no-cpu-stats",
                "-P",
                "1",
            ])
            .args(["-o", "vb", "-t", "100us", "-i"])
            .arg(&cfg)
            .args(["-n", "20000"])
            .output()
            .unwrap();
        assert!(st.status.success());
        let sent_in = t.elapsed();
        std::thread::sleep(Duration::from_secs(5));
        let _ = nix::sys::signal::kill(cli.pid(), nix::sys::signal::Signal::SIGINT);
        let (st, out, err) = cli.finish(Duration::from_secs(60));
        assert!(st.success(), "{err:?}");
        let dropped = netns::dropped(&err).unwrap();
        let n = captured(&err);
        let lines = out.lines().count() as u64;
        eprintln!(
            "names {}: 20000 frames sent in {sent_in:?}; {n} captured, {dropped} dropped, {lines} lines",
            if numeric { "off (-n)" } else { "on, 2 s per lookup" }
        );
        results.push((n, dropped, lines));
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let _ = dns.join();
    for (n, dropped, lines) in results {
        assert_eq!((n, dropped, lines), (20_000, 0, 20_000));
    }
}

#[test]
fn rotated_files_belong_to_the_z_user_as_tcpdumps() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    if !privileged("rotated_files_belong_to_the_z_user_as_tcpdumps") {
        return;
    }
    let bed = Bed::new();
    let dir = TempDir::new("zrot");
    let nobody = nix::unistd::User::from_name("nobody").unwrap().unwrap();
    for (mode, works) in [(0o700, false), (0o777, true)] {
        for tool in ["tcpdump", BIN] {
            let d = dir.file(&format!("{mode:o}-{}", if tool == BIN { "r" } else { "t" }));
            std::fs::create_dir(&d).unwrap();
            std::fs::set_permissions(&d, std::fs::Permissions::from_mode(mode)).unwrap();
            let base = d.join("z");
            let mut run = netns::Running::spawn(
                &bed.a,
                &[
                    tool,
                    "-i",
                    "lo",
                    "-Z",
                    "nobody",
                    "-C",
                    "1",
                    "-w",
                    base.to_str().unwrap(),
                ],
            );
            match run.ready(Duration::from_secs(20)) {
                Ok(()) => {
                    assert!(works, "{tool} started in a {mode:o} directory");
                    icmp_echo(&bed.a, Ipv4Addr::LOCALHOST, 3);
                    std::thread::sleep(Duration::from_millis(300));
                    run.signal(nix::sys::signal::Signal::SIGINT);
                    let (st, err) = run.finish(Duration::from_secs(20));
                    assert!(st.success(), "{tool}: {err:?}");
                    let m = std::fs::metadata(&base).unwrap();
                    assert_eq!(
                        m.uid(),
                        nobody.uid.as_raw(),
                        "{tool}: owner of {}",
                        base.display()
                    );
                }
                Err(err) => {
                    assert!(!works, "{tool} refused in a {mode:o} directory: {err:?}");
                    assert!(
                        err.iter().any(|l| l.contains("Permission denied")),
                        "{tool}: {err:?}"
                    );
                }
            }
        }
    }
}
