//! A plain TCP exchange (connect, send, receive, close) and [`Server`], its
//! counterpart, which the demo and the tests talk to.
//!
//! In: a `HOST:PORT` target (`198.18.0.2:80`, `[::1]:8080`, `localhost:80`),
//! the bytes to send and [`ClientOptions`]. Out: an [`Exchange`] with what
//! came back and why receiving ended, or a [`ClientError`] whose kind says
//! what went wrong (refused, unreachable, timed out, reset) and for which
//! address.
//!
//! Invariants: every wait is bounded. Connecting waits at most
//! `connect_timeout` per resolved address; sending and receiving share one
//! deadline, `read_timeout` after the connection is up; receiving also stops
//! at `max_bytes`. A [`Server`] stops after `count` connections or `timeout`,
//! whichever comes first, and shuts down connections still open at the
//! deadline. Only `std::net` is used: no raw sockets, no privileges.
//!
//! ```
//! use rawcap::client::{self, ClientOptions, RecvEnd, Mode, ServeOptions, Server};
//!
//! let opts = ServeOptions { mode: Mode::Echo, count: Some(1), ..ServeOptions::default() };
//! let server = Server::bind("127.0.0.1:0", opts)?;
//! let target = server.local_addr().to_string();
//! let serving = std::thread::spawn(move || server.run(|_| {}));
//!
//! let ex = client::exchange(&target, b"Hello, server!", &ClientOptions::default())?;
//! assert_eq!(ex.received, b"Hello, server!");
//! assert_eq!(ex.end, RecvEnd::Closed);
//! assert_eq!(serving.join().unwrap()?.connections, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The message `rawcap client` sends when none is given.
pub const DEFAULT_MESSAGE: &str = "Hello, server!";

/// Limits for one client exchange.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// How long to wait for each resolved address to accept the connection.
    pub connect_timeout: Duration,
    /// How long sending plus receiving may take once connected.
    pub read_timeout: Duration,
    /// Stop receiving after this many bytes.
    pub max_bytes: usize,
    /// Shut down our sending half after the message (so an echo peer sees
    /// end-of-file and closes). Off for HTTP, which says `Connection: close`.
    pub half_close: bool,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(5),
            max_bytes: 1 << 20,
            half_close: true,
        }
    }
}

/// Why receiving stopped without an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecvEnd {
    /// The peer closed the connection (end-of-file).
    Closed,
    /// `max_bytes` were received.
    Limit,
    /// The deadline passed after at least one byte was received.
    Timeout,
}

/// The result of one exchange.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The address the connection was made to.
    pub peer: SocketAddr,
    /// Bytes sent: the whole message, unless receiving ended first (byte
    /// limit, or the peer answered and closed) and cut the send short.
    pub sent: usize,
    /// Bytes received, at most `max_bytes`.
    pub received: Vec<u8>,
    /// Why receiving stopped.
    pub end: RecvEnd,
}

/// What the client was doing when an error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Establishing the connection.
    Connect,
    /// Writing the message.
    Send,
    /// Reading the reply.
    Receive,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::Connect => "connecting to",
            Step::Send => "sending to",
            Step::Receive => "receiving from",
        })
    }
}

/// A client exchange that failed; each kind names the address involved.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The target is not `HOST:PORT`, or the name does not resolve.
    #[error("cannot resolve {target:?} (expected HOST:PORT or [IPv6]:PORT): {io}")]
    Resolve {
        /// The target as given.
        target: String,
        /// The resolver's error.
        io: io::Error,
    },
    /// Nothing listens on that port (the peer answered with a reset).
    #[error("connection to {addr} refused")]
    Refused {
        /// The address that refused.
        addr: SocketAddr,
    },
    /// No route to the host or network.
    #[error("{addr} is unreachable: {io}")]
    Unreachable {
        /// The unreachable address.
        addr: SocketAddr,
        /// The kernel's error.
        io: io::Error,
    },
    /// A deadline passed (for [`Step::Receive`]: before any byte arrived).
    #[error("{op} {addr} timed out after {}", Secs(*.after))]
    TimedOut {
        /// The address involved.
        addr: SocketAddr,
        /// What was being done.
        op: Step,
        /// The limit that passed.
        after: Duration,
    },
    /// The peer reset the connection (or closed it while we were sending).
    #[error("connection reset by {addr} while {}", match .op { Step::Send => "sending", _ => "receiving" })]
    Reset {
        /// The peer.
        addr: SocketAddr,
        /// What was being done.
        op: Step,
    },
    /// Any other I/O error.
    #[error("{op} {addr}: {io}")]
    Io {
        /// The address involved.
        addr: SocketAddr,
        /// What was being done.
        op: Step,
        /// The error.
        io: io::Error,
    },
}

/// Seconds, printed the way the command line takes them (`5s`, `0.25s`).
struct Secs(Duration);

impl fmt::Display for Secs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}s", self.0.as_secs_f64())
    }
}

impl ClientError {
    /// Classifies an I/O error from the socket into a kind.
    fn from_io(addr: SocketAddr, op: Step, io: io::Error, after: Duration) -> Self {
        use io::ErrorKind as K;
        match (io.kind(), io.raw_os_error()) {
            (K::ConnectionRefused, _) => ClientError::Refused { addr },
            (K::TimedOut | K::WouldBlock, _) => ClientError::TimedOut { addr, op, after },
            (K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe, _) => {
                ClientError::Reset { addr, op }
            }
            (_, Some(libc::ENETUNREACH | libc::EHOSTUNREACH)) => {
                ClientError::Unreachable { addr, io }
            }
            _ => ClientError::Io { addr, op, io },
        }
    }
}

/// Resolves `target` (`HOST:PORT`, `[IPv6]:PORT`) to its addresses.
///
/// # Errors
/// [`ClientError::Resolve`] when the text is not `HOST:PORT`, the name does
/// not resolve, or it resolves to nothing.
pub fn resolve(target: &str) -> Result<Vec<SocketAddr>, ClientError> {
    let resolve_err = |io| resolve_error(target, io);
    // std would read `::1:80` as host `::1` port 80; refuse the ambiguity as
    // most tools do and ask for brackets.
    if target.matches(':').count() > 1 && !target.starts_with('[') {
        return Err(resolve_err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "IPv6 addresses need brackets, as in [::1]:80",
        )));
    }
    let addrs: Vec<SocketAddr> = target.to_socket_addrs().map_err(resolve_err)?.collect();
    if addrs.is_empty() {
        return Err(resolve_err(no_addresses()));
    }
    Ok(addrs)
}

fn resolve_error(target: &str, io: io::Error) -> ClientError {
    ClientError::Resolve {
        target: target.to_string(),
        io,
    }
}

fn no_addresses() -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, "no addresses")
}

/// Connects to the first address of `target` that accepts within
/// `timeout`, trying each resolved address in turn.
///
/// Returns the stream and the address it is connected to.
///
/// # Errors
/// [`ClientError::Resolve`], or the error from the last address tried.
pub fn connect(target: &str, timeout: Duration) -> Result<(TcpStream, SocketAddr), ClientError> {
    let mut last = None;
    for addr in resolve(target)? {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => return Ok((s, addr)),
            Err(io) => last = Some(ClientError::from_io(addr, Step::Connect, io, timeout)),
        }
    }
    // `resolve` never returns an empty list, so `last` is set.
    Err(last.unwrap_or_else(|| resolve_error(target, no_addresses())))
}

/// Connects to `target`, sends `message` in full while receiving (from a
/// second thread, so a peer that answers as it reads never blocks us),
/// receives until the peer closes, `max_bytes` arrive or the deadline
/// passes, then closes.
///
/// # Errors
/// A [`ClientError`] naming the address and what failed. A deadline that
/// passes before any reply byte is [`ClientError::TimedOut`] with
/// [`Step::Receive`] ([`Step::Send`] if the message was not sent yet); after
/// some bytes it ends the exchange with [`RecvEnd::Timeout`].
pub fn exchange(
    target: &str,
    message: &[u8],
    opts: &ClientOptions,
) -> Result<Exchange, ClientError> {
    let (mut reader, peer) = connect(target, opts.connect_timeout)?;
    let deadline = Instant::now() + opts.read_timeout;
    let fail = |op, io| ClientError::from_io(peer, op, io, opts.read_timeout);
    let _ = reader.set_nodelay(true);
    reader
        .set_write_timeout(Some(remaining(deadline)))
        .map_err(|io| fail(Step::Send, io))?;
    let mut writer = reader.try_clone().map_err(|io| fail(Step::Send, io))?;

    // Send and receive at once: a peer that answers while it reads (echo)
    // would otherwise fill both socket buffers and block both sides.
    let ((sent, sending), cut, (received, receiving)) = std::thread::scope(|scope| {
        let sender = scope.spawn(|| send(&mut writer, message, opts.half_close));
        let got = receive(&mut reader, opts.max_bytes, deadline);
        // Receiving is over; a send still blocked on a peer that stopped
        // reading (or past our byte limit) is cut short here.
        let cut = !sender.is_finished();
        if cut {
            let _ = reader.shutdown(Shutdown::Both);
        }
        let sent = sender
            .join()
            .unwrap_or_else(|_| (0, Err(io::Error::other("sending thread panicked"))));
        (sent, cut, got)
    });
    // Closing is best effort: the exchange already has its answer.
    let _ = reader.shutdown(Shutdown::Both);

    match (sending, receiving) {
        (Err(io), _) if !cut && received.is_empty() => Err(fail(Step::Send, io)),
        (_, Err(io)) => Err(fail(Step::Receive, io)),
        (_, Ok(RecvEnd::Timeout)) if received.is_empty() => Err(ClientError::TimedOut {
            addr: peer,
            op: if cut { Step::Send } else { Step::Receive },
            after: opts.read_timeout,
        }),
        (_, Ok(end)) => Ok(Exchange {
            peer,
            sent,
            received,
            end,
        }),
    }
}

/// Writes `message` (then half-closes if asked); returns the bytes written
/// and how it ended.
fn send(w: &mut TcpStream, message: &[u8], half_close: bool) -> (usize, io::Result<()>) {
    let mut sent = 0;
    while sent < message.len() {
        match w.write(&message[sent..]) {
            Ok(0) => return (sent, Err(io::ErrorKind::WriteZero.into())),
            Ok(n) => sent += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (sent, Err(e)),
        }
    }
    if half_close {
        // Best effort: a peer that already answered and closed makes this
        // fail with ENOTCONN, and its answer is still waiting to be read.
        let _ = w.shutdown(Shutdown::Write);
    }
    (sent, Ok(()))
}

/// Reads until end-of-file, `max_bytes` or `deadline`; returns what arrived
/// and how it ended (an error after some bytes keeps those bytes).
fn receive(
    r: &mut TcpStream,
    max_bytes: usize,
    deadline: Instant,
) -> (Vec<u8>, io::Result<RecvEnd>) {
    let mut received = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if received.len() >= max_bytes {
            return (received, Ok(RecvEnd::Limit));
        }
        if Instant::now() >= deadline {
            return (received, Ok(RecvEnd::Timeout));
        }
        if let Err(e) = r.set_read_timeout(Some(remaining(deadline))) {
            return (received, Err(e));
        }
        let want = buf.len().min(max_bytes - received.len());
        match read(r, &mut buf[..want]) {
            Ok(0) => return (received, Ok(RecvEnd::Closed)),
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if is_timeout(&e) => return (received, Ok(RecvEnd::Timeout)),
            Err(e) => return (received, Err(e)),
        }
    }
}

fn unspecified() -> SocketAddr {
    SocketAddr::from(([0, 0, 0, 0], 0))
}

/// Time left until `deadline`, never zero (a zero socket timeout means "none").
fn remaining(deadline: Instant) -> Duration {
    deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_millis(1))
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// The minimal HTTP/1.1 request `rawcap client --http PATH` sends to `target`.
///
/// The `Host` header is the target as given (`198.18.0.2:80`, `[::1]:8080`);
/// `path` gets a leading `/` if it lacks one.
///
/// # Errors
/// [`InvalidRequest`] when `path` or `target` holds a control character
/// (CR and LF would end the request line and add headers of the caller's
/// choosing) or a space (it would end the path): percent-encode them.
pub fn http_get(target: &str, path: &str) -> Result<String, InvalidRequest> {
    InvalidRequest::check("path", path)?;
    InvalidRequest::check("target", target)?;
    let slash = if path.starts_with('/') { "" } else { "/" };
    Ok(format!(
        "GET {slash}{path} HTTP/1.1\r\nHost: {target}\r\nUser-Agent: rawcap/{}\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    ))
}

/// A request [`http_get`] refuses to build.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the HTTP {what} has {} at byte {at}: refused (percent-encode it as %{:02X})", describe(*.ch), u32::from(*.ch))]
pub struct InvalidRequest {
    /// Which part: `path` or `target`.
    pub what: &'static str,
    /// The byte offset of the character.
    pub at: usize,
    /// The character.
    pub ch: char,
}

impl InvalidRequest {
    fn check(what: &'static str, text: &str) -> Result<(), InvalidRequest> {
        match text
            .char_indices()
            .find(|&(_, c)| c.is_control() || c == ' ')
        {
            Some((at, ch)) => Err(InvalidRequest { what, at, ch }),
            None => Ok(()),
        }
    }
}

/// How a refused character is named in a message.
fn describe(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        c => format!("a control character ({})", c.escape_default()),
    }
}

/// An HTTP response split into the parts `rawcap client --http` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply<'a> {
    /// The status line without its line ending (`HTTP/1.1 200 OK`).
    pub status_line: &'a str,
    /// The status code.
    pub status: u16,
    /// The `Content-Length` header, if present and numeric.
    pub content_length: Option<usize>,
    /// The bytes after the blank line.
    pub body: &'a [u8],
}

/// Splits a raw HTTP/1.x response into status line, headers and body.
///
/// Returns `None` when the bytes are not an HTTP response (no `HTTP/`
/// status line, no three-digit code, or no end of headers).
pub fn parse_http_reply(raw: &[u8]) -> Option<HttpReply<'_>> {
    let head_end = find(raw, b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..head_end]).ok()?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let mut parts = status_line.splitn(3, ' ');
    if !parts.next()?.starts_with("HTTP/") {
        return None;
    }
    let code = parts.next()?;
    if code.len() != 3 {
        return None;
    }
    let status = code.parse().ok()?;
    let content_length = lines.find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse().ok())?
    });
    Some(HttpReply {
        status_line,
        status,
        content_length,
        body: &raw[head_end + 4..],
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------- server

/// What [`Server`] does with each connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write back everything read, until the peer half-closes.
    Echo,
    /// Read request headers up to the blank line, answer with [`HTTP_BODY`]
    /// in a `200 OK` response carrying `Content-Length` and `Connection: close`.
    Http,
}

/// The body of every `--http` response.
pub const HTTP_BODY: &str = "Hello from rawcap serve\n";

/// Request headers larger than this are answered with 431 and closed.
pub const MAX_REQUEST_HEAD: usize = 16 * 1024;

/// Limits for a [`Server`].
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to do with each connection.
    pub mode: Mode,
    /// Stop accepting after this many connections, then finish them and return.
    pub count: Option<u64>,
    /// Stop after this long, shutting down connections still open.
    pub timeout: Option<Duration>,
    /// At most this many connections are served at once; more wait in the backlog.
    pub max_concurrent: usize,
    /// A connection idle for this long is closed.
    pub idle_timeout: Duration,
    /// [`Mode::Http`]: the whole request head must arrive within this long
    /// (else 408 and close), and the lingering close after the response
    /// lasts no longer; a client trickling bytes cannot hold a connection.
    pub request_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            mode: Mode::Echo,
            count: None,
            timeout: None,
            max_concurrent: 64,
            idle_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(5),
        }
    }
}

/// A [`Server`] that could not start or stopped accepting.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The listen address did not resolve.
    #[error("cannot resolve listen address {addr:?}: {io}")]
    Resolve {
        /// The address as given.
        addr: String,
        /// The resolver's error.
        io: io::Error,
    },
    /// bind/listen failed on every resolved address.
    #[error("cannot listen on {addr}: {io}")]
    Bind {
        /// The address as given.
        addr: String,
        /// The last error.
        io: io::Error,
    },
    /// accept(2) or a listener setting failed.
    #[error("{op} on {addr}: {io}")]
    Io {
        /// The listening address.
        addr: SocketAddr,
        /// The failed operation.
        op: &'static str,
        /// The error.
        io: io::Error,
    },
}

/// One finished connection, as reported to [`Server::run`]'s callback.
#[derive(Debug)]
pub struct Connection {
    /// The client's address.
    pub peer: SocketAddr,
    /// Bytes read from the client.
    pub received: u64,
    /// Bytes written to the client.
    pub sent: u64,
    /// For [`Mode::Http`]: the request line (`GET / HTTP/1.1`).
    pub request_line: Option<String>,
    /// The error that ended the connection, if any (idle timeout, reset).
    pub error: Option<io::Error>,
}

/// Why [`Server::run`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// `count` connections were served.
    Count,
    /// The `timeout` passed.
    Timeout,
}

/// What [`Server::run`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeSummary {
    /// Connections accepted (all of them finished before `run` returned).
    pub connections: u64,
    /// Why the server stopped.
    pub stop: Stop,
}

/// A bound, listening TCP server for the demo and the tests.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    opts: ServeOptions,
}

/// How often the accept loop looks at the listener, the clock and its workers.
const POLL: Duration = Duration::from_millis(5);

struct Worker {
    handle: JoinHandle<Connection>,
    /// A second handle on the socket, to shut it down at the deadline.
    stream: TcpStream,
    /// When it was accepted.
    started: Instant,
    /// Still reading its request head ([`Mode::Http`]): the connection
    /// the server closes to make room when every slot is taken.
    reading: Arc<AtomicBool>,
}

impl Server {
    /// Binds and listens on `addr` (`198.18.0.2:80`, `[::1]:0`, `localhost:8080`).
    /// Port 0 picks a free port; see [`Server::local_addr`].
    ///
    /// # Errors
    /// [`ServeError::Resolve`] or [`ServeError::Bind`].
    pub fn bind(addr: &str, opts: ServeOptions) -> Result<Server, ServeError> {
        let addrs: Vec<SocketAddr> = addr
            .to_socket_addrs()
            .map_err(|io| ServeError::Resolve {
                addr: addr.to_string(),
                io,
            })?
            .collect();
        let mut last = no_addresses();
        for a in addrs {
            match TcpListener::bind(a) {
                Ok(listener) => {
                    let addr = listener.local_addr().unwrap_or(a);
                    return Ok(Server {
                        listener,
                        addr,
                        opts,
                    });
                }
                Err(e) => last = e,
            }
        }
        Err(ServeError::Bind {
            addr: addr.to_string(),
            io: last,
        })
    }

    /// The address actually listened on (with the chosen port for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves connections, one thread each (at most `max_concurrent` at
    /// once), until `count` connections have been served or `timeout`
    /// passes; calls `on_done` for each finished connection, in the calling
    /// thread. Without `count` and `timeout` it runs until the process ends.
    ///
    /// # Errors
    /// [`ServeError::Io`] when the listener fails; connections already
    /// accepted are shut down and joined first.
    pub fn run(self, mut on_done: impl FnMut(&Connection)) -> Result<ServeSummary, ServeError> {
        let deadline = self.opts.timeout.map(|t| Instant::now() + t);
        let past = |d: Option<Instant>| d.is_some_and(|d| Instant::now() >= d);
        let io_err = |op, io| ServeError::Io {
            addr: self.addr,
            op,
            io,
        };
        self.listener
            .set_nonblocking(true)
            .map_err(|io| io_err("set_nonblocking", io))?;

        let mut workers: Vec<Worker> = Vec::new();
        let mut accepted = 0u64;
        let mut failure = None;
        let stop = loop {
            reap(&mut workers, &mut on_done, false);
            if self.opts.count.is_some_and(|c| accepted >= c) {
                break Stop::Count;
            }
            if past(deadline) {
                break Stop::Timeout;
            }
            // Full, a connection still trickling its request head (the
            // oldest) gives way to a new one: slow senders cannot keep
            // everyone else in the backlog.
            let full = workers.len() >= self.opts.max_concurrent.max(1);
            if full && oldest_reading(&workers).is_none() {
                std::thread::sleep(POLL);
                continue;
            }
            match self.listener.accept() {
                Ok((stream, peer)) => {
                    // Picked again: one may have finished its head meanwhile.
                    if let Some(i) = oldest_reading(&workers).filter(|_| full) {
                        let w = workers.swap_remove(i);
                        let _ = w.stream.shutdown(Shutdown::Both);
                        let mut conn = w.handle.join().unwrap_or_else(|_| {
                            Connection::failed(peer, io::Error::other("panicked"))
                        });
                        conn.error = Some(io::Error::other(
                            "closed to make room: request head still incomplete",
                        ));
                        on_done(&conn);
                    }
                    accepted += 1;
                    match self.spawn(stream, peer) {
                        Ok(w) => workers.push(w),
                        Err(io) => on_done(&Connection::failed(peer, io)),
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(POLL),
                // The client gave up between SYN and accept, or a signal: not the listener's fault.
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::ConnectionAborted | io::ErrorKind::Interrupted
                    ) => {}
                Err(io) => {
                    failure = Some(io_err("accept", io));
                    break Stop::Timeout;
                }
            }
        };

        // Let the open connections finish, but not past the deadline.
        while !workers.is_empty() {
            let late = past(deadline) || failure.is_some();
            reap(&mut workers, &mut on_done, late);
            if !workers.is_empty() {
                std::thread::sleep(POLL);
            }
        }
        match failure {
            Some(e) => Err(e),
            None => Ok(ServeSummary {
                connections: accepted,
                stop,
            }),
        }
    }

    fn spawn(&self, stream: TcpStream, peer: SocketAddr) -> io::Result<Worker> {
        // accept(2) does not pass on O_NONBLOCK on Linux, but say what we rely on.
        stream.set_nonblocking(false)?;
        stream.set_read_timeout(Some(self.opts.idle_timeout))?;
        stream.set_write_timeout(Some(self.opts.idle_timeout))?;
        let _ = stream.set_nodelay(true);
        let shutdown_handle = stream.try_clone()?;
        let limits = Limits {
            idle: self.opts.idle_timeout,
            request: self.opts.request_timeout,
        };
        let mode = self.opts.mode;
        let reading = Arc::new(AtomicBool::new(mode == Mode::Http));
        let flag = Arc::clone(&reading);
        let handle = std::thread::Builder::new()
            .name(format!("serve {peer}"))
            .spawn(move || handle(stream, peer, mode, limits, &flag))?;
        Ok(Worker {
            handle,
            stream: shutdown_handle,
            started: Instant::now(),
            reading,
        })
    }
}

/// The worker accepted first among those still reading a request head.
fn oldest_reading(workers: &[Worker]) -> Option<usize> {
    workers
        .iter()
        .enumerate()
        .filter(|(_, w)| w.reading.load(Ordering::Acquire))
        .min_by_key(|(_, w)| w.started)
        .map(|(i, _)| i)
}

/// Joins finished workers (all of them when `force`, after shutting their
/// sockets down so blocked reads return) and reports each connection.
fn reap(workers: &mut Vec<Worker>, on_done: &mut impl FnMut(&Connection), force: bool) {
    let mut i = 0;
    while i < workers.len() {
        if force {
            let _ = workers[i].stream.shutdown(Shutdown::Both);
        }
        if force || workers[i].handle.is_finished() {
            let w = workers.swap_remove(i);
            let peer = w.stream.peer_addr().unwrap_or_else(|_| unspecified());
            let conn = w.handle.join().unwrap_or_else(|_| {
                Connection::failed(peer, io::Error::other("connection thread panicked"))
            });
            on_done(&conn);
        } else {
            i += 1;
        }
    }
}

impl Connection {
    fn failed(peer: SocketAddr, io: io::Error) -> Self {
        Connection {
            peer,
            received: 0,
            sent: 0,
            request_line: None,
            error: Some(io),
        }
    }
}

/// A connection's time limits.
#[derive(Clone, Copy)]
struct Limits {
    idle: Duration,
    request: Duration,
}

fn handle(
    mut stream: TcpStream,
    peer: SocketAddr,
    mode: Mode,
    limits: Limits,
    reading: &AtomicBool,
) -> Connection {
    let mut conn = Connection {
        peer,
        received: 0,
        sent: 0,
        request_line: None,
        error: None,
    };
    let result = match mode {
        Mode::Echo => echo(&mut stream, &mut conn),
        Mode::Http => http(&mut stream, &mut conn, limits, reading),
    };
    conn.error = result.err();
    let _ = stream.shutdown(Shutdown::Both);
    conn
}

fn echo(stream: &mut TcpStream, conn: &mut Connection) -> io::Result<()> {
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = read(stream, &mut buf)?;
        if n == 0 {
            return Ok(());
        }
        conn.received += n as u64;
        stream.write_all(&buf[..n])?;
        conn.sent += n as u64;
    }
}

/// How reading a request head ended.
enum Head {
    Complete,
    TooLarge,
    TooSlow,
}

fn http(
    stream: &mut TcpStream,
    conn: &mut Connection,
    limits: Limits,
    reading: &AtomicBool,
) -> io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + limits.request;
    let ended = loop {
        if head.len() > MAX_REQUEST_HEAD {
            break Head::TooLarge;
        }
        if find(&head, b"\r\n\r\n").is_some() || find(&head, b"\n\n").is_some() {
            break Head::Complete;
        }
        let n = match read_until(stream, &mut buf, deadline, limits.idle)? {
            Some(n) => n,
            None => break Head::TooSlow,
        };
        if n == 0 {
            // The client closed before finishing its request: nothing to answer.
            return Ok(());
        }
        conn.received += n as u64;
        head.extend_from_slice(&buf[..n]);
    };
    reading.store(false, Ordering::Release);
    let first = head.split(|&b| b == b'\n').next().unwrap_or_default();
    conn.request_line = Some(String::from_utf8_lossy(first).trim_end().to_string());
    let response = match ended {
        Head::Complete => http_response("200 OK", HTTP_BODY),
        Head::TooLarge => http_response("431 Request Header Fields Too Large", ""),
        Head::TooSlow => http_response("408 Request Timeout", ""),
    };
    stream.write_all(response.as_bytes())?;
    conn.sent += response.len() as u64;
    // Half-close, then read until the client closes too, so that unread
    // request bytes do not turn our close into a reset that could destroy
    // the response in flight (RFC 9112 section 9.6, "lingering close").
    stream.shutdown(Shutdown::Write)?;
    let deadline = Instant::now() + limits.request;
    let drained = loop {
        match read_until(stream, &mut buf, deadline, limits.idle)? {
            Some(0) => break Ok(()),
            Some(n) => conn.received += n as u64,
            None => {
                break Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "client still sending after the response",
                ))
            }
        }
    };
    match ended {
        Head::TooSlow => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!(
                "request head incomplete after {:?} (408 sent)",
                limits.request
            ),
        )),
        _ => drained,
    }
}

/// [`read`] that gives up at `deadline` (`None`), waiting at most `idle`
/// for each read (an idle peer is an error, as with the plain timeout).
fn read_until(
    stream: &mut TcpStream,
    buf: &mut [u8],
    deadline: Instant,
    idle: Duration,
) -> io::Result<Option<usize>> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Ok(None);
    }
    let wait = left.min(idle);
    stream.set_read_timeout(Some(wait))?;
    match read(stream, buf) {
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) && Instant::now() >= deadline =>
        {
            Ok(None)
        }
        other => other.map(Some),
    }
}

/// `read(2)`, retried when a signal interrupts it.
fn read(stream: &mut TcpStream, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match stream.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

fn http_response(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nServer: rawcap\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_get_refuses_what_would_inject_headers() {
        let e = http_get("h:80", "/a\r\nX-Evil: 1").unwrap_err();
        assert_eq!((e.what, e.at, e.ch), ("path", 2, '\r'));
        assert_eq!(
            e.to_string(),
            "the HTTP path has a control character (\\r) at byte 2: refused (percent-encode it as %0D)"
        );
        assert_eq!(http_get("h:80", "/a b").unwrap_err().ch, ' ');
        assert_eq!(http_get("h\n:80", "/").unwrap_err().what, "target");
        assert!(http_get("h:80", "/a%0D%0Ab?q=1").is_ok());
    }

    #[test]
    fn http_get_has_host_and_close() {
        let req = http_get("[::1]:8080", "index.html").unwrap();
        assert!(req.starts_with("GET /index.html HTTP/1.1\r\n"));
        assert!(req.contains("\r\nHost: [::1]:8080\r\n"));
        assert!(req.contains("\r\nConnection: close\r\n"));
        assert!(req.ends_with("\r\n\r\n"));
    }

    #[test]
    fn response_round_trips_through_parser() {
        let raw = http_response("200 OK", HTTP_BODY);
        let r = parse_http_reply(raw.as_bytes()).unwrap();
        assert_eq!(r.status_line, "HTTP/1.1 200 OK");
        assert_eq!(r.status, 200);
        assert_eq!(r.content_length, Some(HTTP_BODY.len()));
        assert_eq!(r.body, HTTP_BODY.as_bytes());
    }

    #[test]
    fn parser_refuses_non_http() {
        assert_eq!(parse_http_reply(b"Hello, server!"), None);
        assert_eq!(parse_http_reply(b"SSH-2.0-x\r\n\r\n"), None);
        assert_eq!(parse_http_reply(b"HTTP/1.1 2000 OK\r\n\r\n"), None);
        assert_eq!(parse_http_reply(b"HTTP/1.1 200 OK\r\n"), None);
    }

    #[test]
    fn bad_targets_are_resolve_errors() {
        for t in [
            "no-port",
            "::1:80",
            "[::1]",
            "1.2.3.4:99999",
            "fe80::1%lo:80",
        ] {
            assert!(
                matches!(resolve(t), Err(ClientError::Resolve { .. })),
                "{t}"
            );
        }
    }

    #[test]
    fn os_errors_map_to_kinds() {
        let addr: SocketAddr = "198.18.0.2:80".parse().unwrap();
        let t = Duration::from_secs(1);
        let kind =
            |errno, op| ClientError::from_io(addr, op, io::Error::from_raw_os_error(errno), t);
        assert!(matches!(
            kind(libc::ECONNREFUSED, Step::Connect),
            ClientError::Refused { .. }
        ));
        assert!(matches!(
            kind(libc::ENETUNREACH, Step::Connect),
            ClientError::Unreachable { .. }
        ));
        assert!(matches!(
            kind(libc::EHOSTUNREACH, Step::Connect),
            ClientError::Unreachable { .. }
        ));
        assert!(matches!(
            kind(libc::ETIMEDOUT, Step::Connect),
            ClientError::TimedOut {
                op: Step::Connect,
                ..
            }
        ));
        assert!(matches!(
            kind(libc::ECONNRESET, Step::Receive),
            ClientError::Reset {
                op: Step::Receive,
                ..
            }
        ));
        assert!(matches!(
            kind(libc::EPIPE, Step::Send),
            ClientError::Reset { op: Step::Send, .. }
        ));
        assert!(matches!(
            kind(libc::EACCES, Step::Connect),
            ClientError::Io {
                op: Step::Connect,
                ..
            }
        ));
        assert_eq!(
            kind(libc::ENETUNREACH, Step::Connect).to_string(),
            format!(
                "198.18.0.2:80 is unreachable: {}",
                io::Error::from_raw_os_error(libc::ENETUNREACH)
            )
        );
    }

    #[test]
    fn error_messages_name_the_address() {
        let addr: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let e = ClientError::TimedOut {
            addr,
            op: Step::Receive,
            after: Duration::from_millis(250),
        };
        assert_eq!(
            e.to_string(),
            "receiving from 127.0.0.1:9 timed out after 0.25s"
        );
        let e = ClientError::Refused { addr };
        assert_eq!(e.to_string(), "connection to 127.0.0.1:9 refused");
    }
}
