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
    std::thread::sleep(Duration::from_millis(500));
    let rotated = std::fs::read_to_string(&log).unwrap_or_default();
    let order: Vec<&str> = rotated
        .lines()
        .map(|l| l.rsplit('/').next().unwrap_or(l))
        .collect();
    assert!(order.len() >= 4, "{order:?}");
    for (i, name) in order.iter().enumerate() {
        assert_eq!(*name, format!("ring{}", i % 3), "{order:?}");
    }
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
    let cli = Cli::spawn(
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
    let mut stamps = Vec::new();
    for f in &fs {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let secs: u64 = name
            .trim_start_matches("g-")
            .trim_end_matches(".pcap")
            .parse()
            .unwrap_or_else(|_| panic!("{name}: not strftime's %s"));
        assert!(secs + 2 >= t0 && secs <= t0 + 10, "{name} (start {t0})");
        stamps.push(secs);
        assert!(!pcap_file(f).1.is_empty(), "{name} is empty");
    }
    assert!(stamps[1] > stamps[0]);
    std::thread::sleep(Duration::from_millis(500));
    let rotated = std::fs::read_to_string(&log).unwrap_or_default();
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
        .output()
        .expect("tshark");
    let text = String::from_utf8_lossy(&text.stdout);
    let rows: Vec<(&str, f64)> = text
        .lines()
        .filter_map(|l| {
            let (i, t) = l.split_once('\t')?;
            Some((i, t.parse().ok()?))
        })
        .collect();
    assert_eq!(rows.len(), 40, "{text}");
    assert_eq!(rows.iter().filter(|r| r.0 == "va").count(), 20);
    assert_eq!(rows.iter().filter(|r| r.0 == "lo").count(), 20);
    assert!(
        rows.windows(2).all(|w| w[0].1 <= w[1].1),
        "time order: {text}"
    );
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
