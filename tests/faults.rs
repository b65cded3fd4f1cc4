//! Fault tests (privileged): `-w` into a full filesystem, SIGINT/SIGTERM
//! while writing a file, and `-w` to a path that cannot be created.
//!
//! The full filesystem is a small tmpfs mounted on a temporary directory and
//! unmounted by a `Drop` guard. Live captures run in the namespace test bed of
//! `tests/common/netns.rs` (a veth pair between two namespaces the test
//! creates, 198.18.0.0/15, bounded traffic). Without root the tests print
//! why and pass, unless RAWCAP_REQUIRE_PRIVILEGED=1.

#[path = "common/netns.rs"]
mod netns;
use netns::*;

use rawcap::savefile::Reader;
use std::net::{SocketAddrV4, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A fresh temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("rawcap-faults-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A tmpfs of `size` mounted on a temporary directory; unmounted on drop.
struct Tmpfs {
    dir: TempDir,
}

impl Tmpfs {
    fn mount(tag: &str, opts: &str) -> Tmpfs {
        // Built first, so the directory goes away even if the mount fails.
        let t = Tmpfs {
            dir: TempDir::new(tag),
        };
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", opts, "rawcap-faults"])
            .arg(&t.dir.0)
            .output()
            .expect("running mount");
        assert!(
            out.status.success(),
            "mount: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        t
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.0.join(name)
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(&self.dir.0)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(&self.dir.0).status();
        }
    }
}

/// Every record of a pcap file as (ts_ns, data, wire_len); fails on any damage.
fn records(path: &Path) -> Vec<(u64, Vec<u8>, u32)> {
    let f = std::fs::File::open(path).expect("open pcap");
    let mut r = Reader::new(std::io::BufReader::new(f)).expect("a valid pcap header");
    let mut v = Vec::new();
    while let Some(rec) = r
        .next_record()
        .unwrap_or_else(|e| panic!("{}: damaged after {} records: {e}", path.display(), v.len()))
    {
        let p = rec.packet;
        v.push((p.ts_ns, p.data.to_vec(), p.wire_len));
    }
    v
}

/// The lines of `err` that mention `needle`.
fn lines_with<'a>(err: &'a [String], needle: &str) -> Vec<&'a String> {
    err.iter().filter(|l| l.contains(needle)).collect()
}

/// `rawcap: PATH: No space left on device (os error 28); the file keeps the
/// first N packets (B bytes)`: checks it and returns (N, B).
fn full_disk_line(err: &[String], path: &Path) -> (usize, u64) {
    write_failed_line(err, path, "No space left on device")
}

/// [`full_disk_line`] for the failure `why` (the OS's words).
fn write_failed_line(err: &[String], path: &Path, why: &str) -> (usize, u64) {
    let l = lines_with(err, why);
    assert_eq!(l.len(), 1, "{err:?}");
    let l = l[0];
    assert!(
        l.starts_with(&format!("rawcap: {}: {why}", path.display())),
        "{l}"
    );
    assert!(
        !err.iter().any(|l| l.contains("panicked")),
        "a panic: {err:?}"
    );
    let tail = l
        .split_once("the file keeps the first ")
        .unwrap_or_else(|| panic!("no count in {l}"))
        .1;
    let (n, rest) = tail.split_once(" packets (").expect("packets");
    let b = rest.strip_suffix(" bytes)").expect("bytes");
    (n.parse().expect("count"), b.parse().expect("bytes"))
}

/// `big.pcap` in `work`: the corpus frames repeated to 4,000 or more.
fn write_big_pcap(work: &TempDir) -> PathBuf {
    let frames = rawcap_corpus::frames();
    let mut all = Vec::new();
    while all.len() < 4000 {
        all.extend(frames.iter().cloned());
    }
    let big = work.0.join("big.pcap");
    std::fs::write(&big, rawcap_corpus::to_pcap_bytes(&all)).expect("big.pcap");
    big
}

#[test]
fn offline_write_into_a_full_filesystem_keeps_whole_records() {
    if !privileged("offline_write_into_a_full_filesystem_keeps_whole_records") {
        return;
    }
    let work = TempDir::new("big");
    let big = write_big_pcap(&work);
    let big_len = std::fs::metadata(&big).expect("size").len();
    let fs = Tmpfs::mount("full-offline", "size=64k");
    let out_path = fs.path("out.pcap");
    assert!(big_len > 4 * 64 * 1024, "{big_len}");

    let out = Command::new(BIN)
        .arg("-r")
        .arg(&big)
        .arg("-w")
        .arg(&out_path)
        .output()
        .expect("rawcap");
    let err: Vec<String> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(String::from)
        .collect();
    let (n, bytes) = full_disk_line(&err, &out_path);
    let size = std::fs::metadata(&out_path).expect("out.pcap").len();
    let got = records(&out_path);
    let want = records(&big);
    eprintln!(
        "input {} records / {big_len} bytes; exit {:?}; file {size} bytes, {} whole records; {err:?}",
        want.len(),
        out.status.code(),
        got.len()
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(size, bytes, "the file is cut back to the last whole record");
    assert_eq!(got.len(), n);
    assert!(n > 0 && n < want.len(), "{n}");
    assert_eq!(got[..], want[..n], "the first {n} input records");
    // As many as fit: the next record would not have.
    assert!(
        size + 16 + want[n].1.len() as u64 > 64 * 1024 - 4096,
        "{size}"
    );
}

/// `n` datagrams of `len` bytes from `ns` to `to`.
fn udp_flood(ns: &str, to: SocketAddrV4, n: usize, len: usize) {
    in_ns(ns, move || {
        let s = UdpSocket::bind("0.0.0.0:0").expect("udp bind");
        let payload = vec![0x5au8; len];
        for i in 0..n {
            s.send_to(&payload, to).expect("udp send");
            if i % 50 == 49 {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    })
}

#[test]
fn live_write_into_a_full_filesystem_keeps_whole_records_and_prints_statistics() {
    if !privileged("live_write_into_a_full_filesystem_keeps_whole_records_and_prints_statistics") {
        return;
    }
    let bed = Bed::new();
    let fs = Tmpfs::mount("full-live", "size=64k");
    let out_path = fs.path("live.pcap");
    let path_arg = out_path.to_string_lossy().into_owned();
    let mut cli = Cli::spawn(
        &bed.a,
        &["-i", "va", "-Q", "in", "-w", &path_arg, "udp", "port", "9"],
    );
    cli.wait_listening();
    // 1,000 frames of 1442 bytes: more than the writer's 1 MiB buffer, so the
    // write fails while capturing.
    udp_flood(&bed.b, SocketAddrV4::new(bed.addr_a(), 9), 1000, 1400);
    let (st, _, err) = cli.finish(Duration::from_secs(20));
    let (n, bytes) = full_disk_line(&err, &out_path);
    let size = std::fs::metadata(&out_path).expect("live.pcap").len();
    let got = records(&out_path);
    eprintln!(
        "exit {:?}; file {size} bytes, {} whole records; {err:?}",
        st.code(),
        got.len()
    );
    assert_eq!(st.code(), Some(1), "{err:?}");
    assert_eq!(stat_lines(&err).len(), 3, "{err:?}");
    assert_eq!(size, bytes);
    assert_eq!(got.len(), n);
    assert!(n > 0, "{err:?}");
    for (i, (_, data, wire)) in got.iter().enumerate() {
        assert_eq!(data.len(), 1442, "record {i}");
        assert_eq!(*wire, 1442, "record {i}");
        assert!(data[42..].iter().all(|&b| b == 0x5a), "record {i}");
    }
}

/// "N packets captured" from the statistics.
fn captured(err: &[String]) -> usize {
    let l = stat_lines(err);
    assert_eq!(l.len(), 3, "{err:?}");
    l[0].strip_suffix(" packets captured")
        .or_else(|| l[0].strip_suffix(" packet captured"))
        .unwrap_or_else(|| panic!("{}", l[0]))
        .parse()
        .expect("count")
}

#[test]
fn sigint_and_sigterm_while_writing_leave_a_valid_file() {
    if !privileged("sigint_and_sigterm_while_writing_leave_a_valid_file") {
        return;
    }
    let bed = Bed::new();
    let work = TempDir::new("signals");
    for sig in [
        nix::sys::signal::Signal::SIGINT,
        nix::sys::signal::Signal::SIGTERM,
    ] {
        let file = work.0.join(format!("{sig}.pcap"));
        let path_arg = file.to_string_lossy().into_owned();
        let mut cli = Cli::spawn(&bed.a, &["-i", "va", "-w", &path_arg]);
        cli.wait_listening();
        let (ns, to) = (bed.b.clone(), SocketAddrV4::new(bed.addr_a(), 9));
        // About 1 s of traffic; the signal comes in the middle of it.
        let traffic = std::thread::spawn(move || udp_flood(&ns, to, 4000, 200));
        std::thread::sleep(Duration::from_millis(300));
        nix::sys::signal::kill(cli.pid(), sig).expect("kill");
        let (st, _, err) = cli.finish(Duration::from_secs(5));
        traffic.join().expect("traffic");
        let got = records(&file);
        let n = captured(&err);
        let tcpdump = Command::new("tcpdump")
            .args(["-n", "-r"])
            .arg(&file)
            .output()
            .expect("tcpdump");
        let tcpdump_lines = String::from_utf8_lossy(&tcpdump.stdout).lines().count();
        eprintln!(
            "{sig}: exit {:?}; {n} captured, {} records, tcpdump -r {} lines, {} bytes",
            st.code(),
            got.len(),
            tcpdump_lines,
            std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0)
        );
        assert!(st.success(), "{sig}: {st:?} {err:?}");
        assert!(tcpdump.status.success(), "{sig}: tcpdump -r failed");
        assert!(n > 0, "{sig}: nothing captured");
        assert_eq!(got.len(), n, "{sig}");
        assert_eq!(tcpdump_lines, n, "{sig}");
    }
}

#[test]
fn write_to_a_path_that_cannot_be_created_fails_before_capturing() {
    if !privileged("write_to_a_path_that_cannot_be_created_fails_before_capturing") {
        return;
    }
    let work = TempDir::new("badpath");
    let small = work.0.join("small.pcap");
    std::fs::write(
        &small,
        rawcap_corpus::to_pcap_bytes(&rawcap_corpus::frames()),
    )
    .expect("small.pcap");
    let a_file = work.0.join("a-file");
    std::fs::write(&a_file, b"x").expect("a-file");
    let ro = Tmpfs::mount("readonly", "size=64k,ro");
    let bad = [
        (work.0.join("missing/out.pcap"), "No such file or directory"),
        (a_file.join("out.pcap"), "Not a directory"),
        (ro.path("out.pcap"), "Read-only file system"),
    ];
    let bed = Bed::new();
    for (path, why) in &bad {
        let want = format!("rawcap: {}: cannot create: {why}", path.display());
        let p = path.to_string_lossy().into_owned();
        let offline = Command::new(BIN)
            .args(["-r", &small.to_string_lossy(), "-w", &p])
            .output()
            .expect("rawcap");
        let err = String::from_utf8_lossy(&offline.stderr);
        let err: Vec<&str> = err
            .lines()
            .filter(|l| !l.starts_with("reading from file"))
            .collect();
        eprintln!("-r: exit {:?}: {err:?}", offline.status.code());
        assert_eq!(offline.status.code(), Some(1), "{err:?}");
        assert_eq!(err.len(), 1, "{err:?}");
        assert!(err[0].starts_with(&want), "{err:?}");

        let cli = Cli::spawn(&bed.a, &["-i", "va", "-w", &p]);
        udp_flood(&bed.b, SocketAddrV4::new(bed.addr_a(), 9), 5, 100);
        let (st, out, err) = cli.finish(Duration::from_secs(10));
        eprintln!("-i: exit {:?}: {err:?}", st.code());
        assert_eq!(st.code(), Some(1), "{err:?}");
        assert!(out.is_empty());
        assert_eq!(err.len(), 1, "no listening line, no statistics: {err:?}");
        assert!(err[0].starts_with(&want), "{err:?}");
        assert!(!path.exists());
    }
}

/// `BIN ARGS` with the file size limit at `bytes` (`ulimit -f`), stdout and
/// stderr piped.
fn with_file_size_limit(args: &[&str], bytes: u64) -> std::process::Child {
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe and touches nothing of the
    // parent; the limit lives on this closure's stack.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.spawn().expect("rawcap")
}

/// Checks the end of a `-w` run stopped by the file size limit: exit 1, one
/// line naming EFBIG with what the file keeps, the file whole records.
fn check_file_size_stop(st: std::process::ExitStatus, err: &[String], out: &Path, limit: u64) {
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(st.signal(), None, "killed by a signal (SIGXFSZ): {err:?}");
    assert_eq!(st.code(), Some(1), "{err:?}");
    let (n, bytes) = write_failed_line(err, out, "File too large");
    let size = std::fs::metadata(out).expect("out").len();
    assert_eq!(size, bytes, "cut back to the last whole record");
    assert!(size <= limit);
    assert_eq!(records(out).len(), n);
    assert!(n > 0);
    eprintln!("limit {limit} bytes: kept {n} records, {bytes} bytes");
}

#[test]
fn offline_write_past_the_file_size_limit_keeps_whole_records() {
    let work = TempDir::new("fsize-offline");
    let big = write_big_pcap(&work);
    for extra in [&[][..], &["-U"]] {
        let out = work.0.join("out.pcap");
        let _ = std::fs::remove_file(&out);
        let mut args = vec!["-r", big.to_str().unwrap(), "-w", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = with_file_size_limit(&args, 100_000)
            .wait_with_output()
            .expect("rawcap");
        let err: Vec<String> = String::from_utf8_lossy(&o.stderr)
            .lines()
            .map(String::from)
            .collect();
        check_file_size_stop(o.status, &err, &out, 100_000);
    }
}

#[test]
fn live_write_past_the_file_size_limit_keeps_whole_records() {
    if !privileged("live_write_past_the_file_size_limit_keeps_whole_records") {
        return;
    }
    use std::io::{BufRead, BufReader};
    let work = TempDir::new("fsize-live");
    // A port of our own on lo, so other traffic does not count.
    let port = 20_000 + (std::process::id() % 20_000) as u16;
    let filter = format!("udp dst port {port}");
    for extra in [&[][..], &["-U"]] {
        let out = work.0.join("live.pcap");
        let _ = std::fs::remove_file(&out);
        let mut args = vec!["-i", "lo", "--duration", "20", "-w", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        args.push(&filter);
        let mut child = with_file_size_limit(&args, 200_000);
        let err = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut all = Vec::new();
            for l in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(l.clone());
                all.push(l);
            }
            all
        });
        let listening = rx
            .iter()
            .take(20)
            .any(|l| l.starts_with("rawcap: listening on"));
        assert!(listening);
        // 2,000 datagrams of 1400 bytes: 2.9 MB, past the 1 MiB buffer.
        let s = UdpSocket::bind("127.0.0.1:0").expect("udp");
        for i in 0..2000 {
            if child.try_wait().expect("wait").is_some() {
                break;
            }
            let _ = s.send_to(&[0x5a; 1400], ("127.0.0.1", port));
            if i % 50 == 49 {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        let st = child.wait().expect("wait");
        let err = reader.join().expect("stderr");
        check_file_size_stop(st, &err, &out, 200_000);
        assert_eq!(stat_lines(&err).len(), 3, "{err:?}");
    }
}
