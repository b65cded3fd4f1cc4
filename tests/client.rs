//! `rawcap::client` and `rawcap client`/`rawcap serve` on loopback only.
//!
//! Every server here listens on port 0 of 127.0.0.1 or ::1, is bounded by a
//! connection count or a deadline, and is joined before its test ends.
#![cfg(feature = "cli")]

use rawcap::client::{
    self, ClientError, ClientOptions, Connection, Mode, RecvEnd, ServeOptions, ServeSummary,
    Server, Step, Stop,
};
use socket2::{Domain, Socket, Type};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

const SECOND: Duration = Duration::from_secs(1);

fn opts(timeout: Duration) -> ClientOptions {
    ClientOptions {
        connect_timeout: 2 * SECOND,
        read_timeout: timeout,
        ..ClientOptions::default()
    }
}

/// What the test saw of one finished connection.
struct Seen {
    received: u64,
    sent: u64,
    request_line: Option<String>,
    failed: bool,
}

/// A library server on `addr` port 0, run in a thread; returns its address
/// and a handle yielding the summary and every connection it reported.
fn start(addr: &str, opts: ServeOptions) -> (SocketAddr, JoinHandle<(ServeSummary, Vec<Seen>)>) {
    let server = Server::bind(addr, opts).expect("bind on loopback");
    let local = server.local_addr();
    let handle = thread::spawn(move || {
        let mut seen = Vec::new();
        let summary = server
            .run(|c: &Connection| {
                assert!(c.peer.ip().is_loopback());
                seen.push(Seen {
                    received: c.received,
                    sent: c.sent,
                    request_line: c.request_line.clone(),
                    failed: c.error.is_some(),
                })
            })
            .expect("server runs");
        (summary, seen)
    });
    (local, handle)
}

fn serve_opts(mode: Mode, count: u64) -> ServeOptions {
    ServeOptions {
        mode,
        count: Some(count),
        timeout: Some(20 * SECOND),
        ..ServeOptions::default()
    }
}

fn echo_round_trip(listen: &str) {
    let (addr, server) = start(listen, serve_opts(Mode::Echo, 1));
    let ex = client::exchange(&addr.to_string(), b"Hello, server!", &opts(5 * SECOND))
        .expect("echo exchange");
    assert_eq!(ex.peer, addr);
    assert_eq!(ex.sent, 14);
    assert_eq!(ex.received, b"Hello, server!");
    assert_eq!(ex.end, RecvEnd::Closed);
    let (summary, conns) = server.join().unwrap();
    assert_eq!(
        summary,
        ServeSummary {
            connections: 1,
            stop: Stop::Count
        }
    );
    assert_eq!(conns.len(), 1);
    assert_eq!((conns[0].received, conns[0].sent), (14, 14));
    assert!(!conns[0].failed);
}

#[test]
fn echo_round_trip_ipv4() {
    echo_round_trip("127.0.0.1:0");
}

#[test]
fn echo_round_trip_ipv6() {
    if TcpListener::bind("[::1]:0").is_err() {
        println!("skipped: ::1 is not configured on this machine");
        return;
    }
    echo_round_trip("[::1]:0");
}

#[test]
fn http_round_trip() {
    let (addr, server) = start("127.0.0.1:0", serve_opts(Mode::Http, 1));
    let target = addr.to_string();
    let request = client::http_get(&target, "/index.html").unwrap();
    let o = ClientOptions {
        half_close: false,
        ..opts(5 * SECOND)
    };
    let ex = client::exchange(&target, request.as_bytes(), &o).expect("http exchange");
    assert_eq!(
        ex.end,
        RecvEnd::Closed,
        "Connection: close means the server closes"
    );
    let reply = client::parse_http_reply(&ex.received).expect("an HTTP reply");
    assert_eq!(reply.status_line, "HTTP/1.1 200 OK");
    assert_eq!(reply.content_length, Some(client::HTTP_BODY.len()));
    assert_eq!(reply.body, client::HTTP_BODY.as_bytes());
    let (_, conns) = server.join().unwrap();
    assert_eq!(
        conns[0].request_line.as_deref(),
        Some("GET /index.html HTTP/1.1")
    );
    assert_eq!(conns[0].received, request.len() as u64);
    assert!(!conns[0].failed, "no error on a clean HTTP exchange");
}

#[test]
fn oversized_http_request_gets_431() {
    let (addr, server) = start("127.0.0.1:0", serve_opts(Mode::Http, 1));
    let huge = format!(
        "GET / HTTP/1.1\r\nX: {}\r\n\r\n",
        "a".repeat(client::MAX_REQUEST_HEAD + 10)
    );
    let o = ClientOptions {
        half_close: false,
        ..opts(5 * SECOND)
    };
    let ex = client::exchange(&addr.to_string(), huge.as_bytes(), &o).expect("exchange");
    let reply = client::parse_http_reply(&ex.received).expect("an HTTP reply");
    assert_eq!(reply.status, 431);
    server.join().unwrap();
}

#[test]
fn refused_port_is_refused() {
    // Bind then drop: the port was free a moment ago and nobody listens now.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let target = format!("127.0.0.1:{port}");
    let err = client::exchange(&target, b"x", &opts(SECOND)).unwrap_err();
    match &err {
        ClientError::Refused { addr } => assert_eq!(addr.port(), port),
        other => panic!("expected Refused, got {other:?}"),
    }
    assert_eq!(err.to_string(), format!("connection to {target} refused"));
}

#[test]
fn bad_target_is_resolve_error() {
    for t in ["127.0.0.1", "::1:80", "host name:80"] {
        let err = client::exchange(t, b"x", &opts(SECOND)).unwrap_err();
        assert!(matches!(err, ClientError::Resolve { .. }), "{t}: {err:?}");
    }
}

/// A raw listener whose single connection is handled by `f`.
fn raw_server<F>(f: F) -> (SocketAddr, JoinHandle<()>)
where
    F: FnOnce(TcpStream) + Send + 'static,
{
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let h = thread::spawn(move || {
        let (s, _) = l.accept().unwrap();
        f(s)
    });
    (addr, h)
}

/// Reads until the client half-closes or `limit` passes.
fn drain(s: &mut TcpStream, limit: Duration) {
    s.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0u8; 1024];
    while matches!(s.read(&mut buf), Ok(n) if n > 0) {}
}

#[test]
fn silent_server_is_read_timeout() {
    // The server keeps the connection open, silent, until the test is done.
    let (done, wait) = mpsc::channel::<()>();
    let (addr, h) = raw_server(move |_s| {
        let _ = wait.recv_timeout(10 * SECOND);
    });
    let start = Instant::now();
    let err = client::exchange(&addr.to_string(), b"anyone?", &opts(SECOND / 4)).unwrap_err();
    let took = start.elapsed();
    match err {
        ClientError::TimedOut {
            addr: a,
            op: Step::Receive,
            after,
        } => {
            assert_eq!(a, addr);
            assert_eq!(after, SECOND / 4);
        }
        other => panic!("expected a receive timeout, got {other:?}"),
    }
    assert!(took >= SECOND / 4 && took < 3 * SECOND, "took {took:?}");
    drop(done);
    h.join().unwrap();
}

#[test]
fn partial_reply_then_silence_ends_with_timeout() {
    let (done, wait) = mpsc::channel::<()>();
    let (addr, h) = raw_server(move |mut s| {
        s.write_all(b"partial").unwrap();
        let _ = wait.recv_timeout(10 * SECOND);
    });
    let ex = client::exchange(&addr.to_string(), b"x", &opts(SECOND / 4)).unwrap();
    assert_eq!(ex.received, b"partial");
    assert_eq!(ex.end, RecvEnd::Timeout);
    drop(done);
    h.join().unwrap();
}

#[test]
fn byte_limit_stops_receiving() {
    let (addr, h) = raw_server(|mut s| {
        drain(&mut s, 5 * SECOND);
        s.set_write_timeout(Some(2 * SECOND)).unwrap();
        // The client stops reading and closes: this write may fail, and that is fine.
        let _ = s.write_all(&vec![b'z'; 256 * 1024]);
    });
    let o = ClientOptions {
        max_bytes: 1000,
        ..opts(5 * SECOND)
    };
    let ex = client::exchange(&addr.to_string(), b"x", &o).unwrap();
    assert_eq!(ex.received.len(), 1000);
    assert!(ex.received.iter().all(|&b| b == b'z'));
    assert_eq!(ex.end, RecvEnd::Limit);
    h.join().unwrap();
}

/// A socket2 listener on 127.0.0.1 port 0 with listen(2) backlog `backlog`.
fn listener(backlog: i32) -> (Socket, SocketAddr) {
    let l = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    l.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    l.listen(backlog).unwrap();
    let addr = l.local_addr().unwrap().as_socket().unwrap();
    (l, addr)
}

#[test]
fn reset_by_peer_is_reset() {
    let (l, addr) = listener(8);
    let h = thread::spawn(move || {
        let (s, _) = l.accept().unwrap();
        let mut t: TcpStream = s.into();
        // Wait for the client's whole message and its half-close, so the
        // client is reading when the reset arrives.
        drain(&mut t, 5 * SECOND);
        let s = Socket::from(t);
        // SO_LINGER with zero time: close(2) sends RST instead of FIN.
        s.set_linger(Some(Duration::ZERO)).unwrap();
    });
    let err = client::exchange(&addr.to_string(), b"hello", &opts(5 * SECOND)).unwrap_err();
    assert!(
        matches!(err, ClientError::Reset { addr: a, op: Step::Receive } if a == addr),
        "{err:?}"
    );
    h.join().unwrap();
}

#[test]
fn connect_timeout_on_full_backlog() {
    // A listener with backlog 0 that never accepts: Linux queues one
    // connection and then drops further SYNs (tcp_conn_request, "accept
    // queue full"), so connect() waits for a SYN-ACK that never comes.
    // Loopback only, no traffic leaves the host.
    let (_l, addr) = listener(0);
    let target = addr.to_string();
    let timeout = SECOND / 4;
    let mut held = Vec::new();
    for _ in 0..4 {
        let start = Instant::now();
        match client::connect(&target, timeout) {
            Ok(s) => held.push(s),
            Err(ClientError::TimedOut {
                op: Step::Connect,
                after,
                ..
            }) => {
                assert_eq!(after, timeout);
                let took = start.elapsed();
                assert!(took >= timeout && took < 3 * SECOND, "took {took:?}");
                return;
            }
            Err(e) => panic!("expected a connect timeout, got {e:?}"),
        }
    }
    panic!(
        "4 connects to a backlog-0 listener all succeeded ({} held); cannot test the connect timeout here",
        held.len()
    );
}

#[test]
fn serves_clients_concurrently() {
    let (addr, server) = start("127.0.0.1:0", serve_opts(Mode::Echo, 9));
    let target = addr.to_string();
    // One client holds its connection open mid-exchange...
    let mut held = TcpStream::connect(addr).unwrap();
    held.write_all(b"a").unwrap();
    let mut one = [0u8; 1];
    held.set_read_timeout(Some(5 * SECOND)).unwrap();
    held.read_exact(&mut one).unwrap();
    assert_eq!(&one, b"a");
    // ...while eight others finish theirs in parallel.
    let clients: Vec<_> = (0..8)
        .map(|i| {
            let t = target.clone();
            thread::spawn(move || {
                let msg = format!("client {i}");
                let ex = client::exchange(&t, msg.as_bytes(), &opts(5 * SECOND)).unwrap();
                assert_eq!(ex.received, msg.as_bytes());
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
    held.shutdown(Shutdown::Write).unwrap();
    drain(&mut held, 5 * SECOND);
    let (summary, conns) = server.join().unwrap();
    assert_eq!(summary.connections, 9);
    assert_eq!(summary.stop, Stop::Count);
    assert_eq!(conns.len(), 9);
}

#[test]
fn max_concurrent_bounds_the_workers() {
    let o = ServeOptions {
        max_concurrent: 1,
        ..serve_opts(Mode::Echo, 2)
    };
    let (addr, server) = start("127.0.0.1:0", o);
    let mut held = TcpStream::connect(addr).unwrap();
    held.write_all(b"a").unwrap();
    held.set_read_timeout(Some(5 * SECOND)).unwrap();
    let mut one = [0u8; 1];
    held.read_exact(&mut one).unwrap();
    // The only worker is busy: the second client connects (backlog) but gets no answer.
    let err = client::exchange(&addr.to_string(), b"b", &opts(SECOND / 4)).unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::TimedOut {
                op: Step::Receive,
                ..
            }
        ),
        "{err:?}"
    );
    held.shutdown(Shutdown::Write).unwrap();
    drain(&mut held, 5 * SECOND);
    let (summary, _) = server.join().unwrap();
    assert_eq!(summary.connections, 2);
}

#[test]
fn deadline_stops_server_and_closes_open_connections() {
    let o = ServeOptions {
        mode: Mode::Echo,
        timeout: Some(SECOND / 2),
        idle_timeout: 30 * SECOND,
        ..ServeOptions::default()
    };
    let (addr, server) = start("127.0.0.1:0", o);
    let start_t = Instant::now();
    let mut held = TcpStream::connect(addr).unwrap();
    held.set_read_timeout(Some(10 * SECOND)).unwrap();
    let mut buf = [0u8; 16];
    // The server shuts our connection down at its deadline: we see end-of-file.
    assert_eq!(held.read(&mut buf).unwrap(), 0);
    let (summary, conns) = server.join().unwrap();
    let took = start_t.elapsed();
    assert_eq!(
        summary,
        ServeSummary {
            connections: 1,
            stop: Stop::Timeout
        }
    );
    assert_eq!(conns.len(), 1);
    assert!(took >= SECOND / 2 && took < 5 * SECOND, "took {took:?}");
}

// ------------------------------------------------------- the binary

fn rawcap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rawcap"))
}

/// Starts `rawcap serve ARGS` on 127.0.0.1:0 and returns it with the address
/// from its `Listening on ADDR (...)` line.
fn spawn_serve(args: &[&str]) -> (Child, SocketAddr, BufReader<std::process::ChildStdout>) {
    let mut child = rawcap()
        .arg("serve")
        .arg("127.0.0.1:0")
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let addr = line
        .strip_prefix("Listening on ")
        .and_then(|r| r.split(' ').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    (child, addr, out)
}

/// Waits at most `limit` for `child` to exit; kills it (by its own handle) if it does not.
fn wait_bounded(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("rawcap serve did not stop within {limit:?}");
        }
        thread::sleep(Duration::from_millis(20));
    }
}

fn rest(mut out: BufReader<std::process::ChildStdout>) -> String {
    let mut s = String::new();
    out.read_to_string(&mut s).unwrap();
    s
}

#[test]
fn cli_serve_count_stops_it() {
    let (mut child, addr, out) = spawn_serve(&["--echo", "--count", "2", "--timeout", "20"]);
    let target = addr.to_string();
    let o = rawcap().args(["client", &target]).output().unwrap();
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "Received: Hello, server!\n"
    );
    let o = rawcap()
        .args(["client", &target, "second one"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "Received: second one\n");
    assert!(wait_bounded(&mut child, 5 * SECOND).success());
    let text = rest(out);
    assert_eq!(text.matches(": echo, ").count(), 2, "{text}");
    assert!(
        text.ends_with("Served 2 connections, stopping: --count reached\n"),
        "{text}"
    );
}

#[test]
fn cli_serve_timeout_stops_it() {
    let start = Instant::now();
    let (mut child, _, out) = spawn_serve(&["--http", "--timeout", "0.5"]);
    assert!(wait_bounded(&mut child, 5 * SECOND).success());
    assert!(start.elapsed() >= SECOND / 2);
    assert_eq!(
        rest(out),
        "Served 0 connections, stopping: --timeout passed\n"
    );
}

#[test]
fn cli_client_http() {
    let (mut child, addr, out) = spawn_serve(&["--http", "--count", "1", "--timeout", "20"]);
    let o = rawcap()
        .args(["client", &addr.to_string(), "--http", "/a/b"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!("HTTP/1.1 200 OK\nBody: {} bytes\n", client::HTTP_BODY.len())
    );
    assert!(wait_bounded(&mut child, 5 * SECOND).success());
    assert!(rest(out).contains(": \"GET /a/b HTTP/1.1\", "));
}

#[test]
fn cli_client_refused_exits_1() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let o = rawcap()
        .args(["client", &format!("127.0.0.1:{port}")])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        format!("rawcap: connection to 127.0.0.1:{port} refused\n")
    );
}

#[test]
fn cli_rejects_bad_timeouts() {
    let o = rawcap()
        .args(["client", "127.0.0.1:9", "--timeout", "0"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--timeout 0"));
}

/// A network namespace this test created (only `lo`, down), deleted on drop.
struct Netns(String);

impl Netns {
    /// Creates one, or says why not (not root, no `ip`).
    fn new(tag: &str) -> Result<Netns, String> {
        let name = format!("rawcap-test-{tag}-{}", std::process::id());
        match Command::new("ip").args(["netns", "add", &name]).output() {
            Ok(o) if o.status.success() => Ok(Netns(name)),
            Ok(o) => Err(String::from_utf8_lossy(&o.stderr).trim().to_string()),
            Err(e) => Err(format!("ip: {e}")),
        }
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}

#[test]
fn cli_client_unreachable_in_empty_namespace() {
    // A fresh namespace has no routes: connect() fails with ENETUNREACH
    // before any packet is built, so nothing is sent anywhere.
    let ns = match Netns::new("unreach") {
        Ok(ns) => ns,
        Err(why) => {
            assert!(
                std::env::var("RAWCAP_REQUIRE_PRIVILEGED").as_deref() != Ok("1"),
                "RAWCAP_REQUIRE_PRIVILEGED=1 but cannot create a network namespace: {why}"
            );
            println!("skipped: cannot create a network namespace ({why})");
            return;
        }
    };
    let o = Command::new("ip")
        .args(["netns", "exec", &ns.0, env!("CARGO_BIN_EXE_rawcap")])
        .args(["client", "198.18.0.2:80", "--connect-timeout", "2"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("rawcap: 198.18.0.2:80 is unreachable: "),
        "{err}"
    );
}

#[test]
fn large_message_is_sent_in_full_while_the_echo_comes_back() {
    // Larger than the socket buffers of both ends together: the client must
    // read while it is still sending, or both sides block until the deadline.
    let (addr, server) = start("127.0.0.1:0", serve_opts(Mode::Echo, 1));
    let message: Vec<u8> = (0..16 << 20).map(|i| (i % 251) as u8).collect();
    let o = ClientOptions {
        max_bytes: message.len(),
        ..opts(20 * SECOND)
    };
    let ex = client::exchange(&addr.to_string(), &message, &o).expect("large echo");
    assert_eq!(ex.sent, message.len());
    assert_eq!(ex.received.len(), message.len());
    assert!(ex.received == message, "echo differs");
    let (_, conns) = server.join().unwrap();
    assert_eq!(conns[0].received, message.len() as u64);
}

#[test]
fn peer_that_never_reads_is_send_timeout() {
    let (done, wait) = mpsc::channel::<()>();
    let (addr, h) = raw_server(move |_s| {
        let _ = wait.recv_timeout(10 * SECOND);
    });
    // Far more than the socket buffers hold: the send cannot finish.
    let message = vec![0u8; 64 << 20];
    let err = client::exchange(&addr.to_string(), &message, &opts(SECOND / 2)).unwrap_err();
    assert!(
        matches!(err, ClientError::TimedOut { op: Step::Send, addr: a, .. } if a == addr),
        "{err:?}"
    );
    drop(done);
    h.join().unwrap();
}

#[test]
fn serve_http_keeps_serving_while_80_slow_senders_trickle() {
    // 80 connections each sending one byte of a request head every 2 s (and
    // connecting again when closed), against the default 64 connections at
    // once and 5 s per request head; meanwhile a normal request every 250 ms
    // must be answered well within its 3 s timeout.
    let (mut child, addr, out) = spawn_serve(&["--http", "--timeout", "25"]);
    let drain = thread::spawn(move || rest(out));
    let run_for = 10 * SECOND;
    let slow = thread::spawn(move || {
        const HEAD: &[u8] = b"GET /slow HTTP/1.1\r\nHost: x\r\nX-Pad: aaaaaaaaaaaaaaaa\r\n";
        let connect = || TcpStream::connect_timeout(&addr, SECOND).ok();
        let mut conns: Vec<(Option<TcpStream>, usize)> = (0..80).map(|_| (connect(), 0)).collect();
        let start = Instant::now();
        let mut reconnects = 0;
        while start.elapsed() < run_for {
            for (s, at) in conns.iter_mut() {
                let ok = s
                    .as_mut()
                    .is_some_and(|s| s.write_all(&HEAD[*at % HEAD.len()..][..1]).is_ok());
                *at += 1;
                if !ok {
                    *s = connect();
                    *at = 0;
                    reconnects += 1;
                }
            }
            thread::sleep(2 * SECOND);
        }
        reconnects
    });
    thread::sleep(SECOND);
    let target = addr.to_string();
    let mut worst = Duration::ZERO;
    let mut answered = 0;
    let mut failed = Vec::new();
    let start = Instant::now();
    while start.elapsed() < run_for - 2 * SECOND {
        let t = Instant::now();
        match client::exchange(
            &target,
            client::http_get(&target, "/").unwrap().as_bytes(),
            &ClientOptions {
                connect_timeout: 3 * SECOND,
                read_timeout: 3 * SECOND,
                half_close: false,
                ..ClientOptions::default()
            },
        ) {
            Ok(ex) if ex.received.starts_with(b"HTTP/1.1 200 OK") => answered += 1,
            Ok(ex) => failed.push(format!("{:?}", String::from_utf8_lossy(&ex.received))),
            Err(e) => failed.push(e.to_string()),
        }
        worst = worst.max(t.elapsed());
        thread::sleep(SECOND / 4);
    }
    let reconnects = slow.join().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let log = drain.join().unwrap();
    assert!(
        failed.is_empty(),
        "{} answered, failed: {failed:?}",
        answered
    );
    assert!(answered >= 20, "{answered}");
    assert!(worst < 2 * SECOND, "slowest normal request took {worst:?}");
    // The trickling connections were closed (made room for others, or 408).
    assert!(reconnects > 0);
    assert!(
        log.contains("closed to make room") || log.contains("408"),
        "{}",
        &log[..log.len().min(2000)]
    );
    eprintln!("{answered} answered, slowest {worst:?}, {reconnects} slow reconnects");
}

#[test]
fn client_http_refuses_control_characters_in_the_path() {
    // A listener that records whatever arrives: nothing must.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.set_nonblocking(true).unwrap();
    let target = l.local_addr().unwrap().to_string();
    for path in ["/a\r\nX-Evil: 1", "/a\nb", "/a b", "/\u{7f}"] {
        let o = rawcap()
            .args(["client", &target, "--http", path])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{path:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.starts_with("rawcap: client --http: the HTTP path has "),
            "{err}"
        );
        assert!(err.contains("refused (percent-encode it as %"), "{err}");
        assert!(!err.contains('\r'), "{err:?}");
    }
    assert!(l.accept().is_err(), "a connection was made");
    // Percent-encoded, the same path is sent.
    let o = rawcap()
        .args([
            "client",
            &target,
            "--http",
            "/a%0D%0AX-Evil:%201",
            "--timeout",
            "1",
        ])
        .output()
        .unwrap();
    let (mut s, _) = l.accept().expect("the encoded request connects");
    let mut got = vec![0u8; 4096];
    s.set_nonblocking(false).unwrap();
    s.set_read_timeout(Some(2 * SECOND)).unwrap();
    let n = s.read(&mut got).unwrap();
    assert!(got[..n].starts_with(b"GET /a%0D%0AX-Evil:%201 HTTP/1.1\r\nHost: "));
    drop(s);
    let _ = o;
}
