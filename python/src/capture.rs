//! `rawcap.capture`: live capture from the TPACKET_V3 ring, as an iterator.
//!
//! Each wait for the kernel runs with the GIL released; the frames of one
//! ring block are copied into a batch buffer there (the block goes back to
//! the kernel at once), and `__next__` hands them out one `Packet` at a
//! time. A signal (Ctrl-C) ends the wait; its Python handler then runs and
//! its exception (KeyboardInterrupt) propagates, the capture stays readable
//! for `stats()`.

use crate::packet::Packet;
use crate::program::{capture_error, filter_error, system_resolver, Program};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::MutexExt;
use pyo3::types::PyTuple;
use rawcap::capture::{
    self as rc, Capture as RawCapture, CaptureBuilder, Direction, Stats as RawStats,
};
use rawcap::filter::{self, Options};
use rawcap::LinkType;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// One frame copied out of the ring: where its bytes are in the batch buffer.
struct Slot {
    start: usize,
    end: usize,
    ts_ns: u64,
    wire_len: u32,
    ifindex: Option<u32>,
    pkttype: Option<u8>,
}

/// The frames of the last ring block, owned.
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    slots: Vec<Slot>,
    next: usize,
}

impl Batch {
    fn clear(&mut self) {
        self.bytes.clear();
        self.slots.clear();
        self.next = 0;
    }
}

/// Kernel counters of a capture.
///
/// received: frames that passed the filter ("packets received by filter");
/// dropped: of those, frames that found no room in the ring ("packets
/// dropped by kernel"); freeze_count: how often the ring was full;
/// delivered: packets this iterator handed to Python.
#[pyclass(module = "rawcap", frozen, get_all)]
#[derive(Clone, Copy)]
pub struct Stats {
    received: u64,
    dropped: u64,
    freeze_count: u64,
    delivered: u64,
}

#[pymethods]
impl Stats {
    fn __repr__(&self) -> String {
        format!(
            "Stats(received={}, dropped={}, freeze_count={}, delivered={})",
            self.received, self.dropped, self.freeze_count, self.delivered
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Stats>().is_ok_and(|o| {
            let o = o.get();
            (o.received, o.dropped, o.freeze_count, o.delivered)
                == (
                    self.received,
                    self.dropped,
                    self.freeze_count,
                    self.delivered,
                )
        })
    }
}

/// A live capture: iterate over it for Packets; use it as a context
/// manager (or call close()) to release the socket and ring.
///
/// Iteration ends after `count` packets or `duration` seconds when those
/// were given, or after stop() or close() (from any thread; within one
/// read_timeout); a signal such as Ctrl-C raises its exception
/// (KeyboardInterrupt) from the loop. stats() answers at any time, with the
/// final counters once the capture is closed.
#[pyclass(module = "rawcap", frozen)]
pub struct Capture {
    /// Everything iteration changes. Taken with the GIL released while
    /// waiting for it (another thread may hold it across a ring wait).
    state: Mutex<State>,
    /// Set by stop()/close(): the iterating thread ends at its next wake-up.
    stop: AtomicBool,
    interface: String,
    linktype: LinkType,
    snaplen: u32,
}

struct State {
    /// `None` once closed.
    cap: Option<RawCapture>,
    batch: Batch,
    count: Option<u64>,
    deadline: Option<Instant>,
    delivered: u64,
    last: RawStats,
    /// An error met after some frames of a batch were read: raised once
    /// they are handed out.
    pending: Option<PyErr>,
}

impl State {
    fn stats_now(&mut self) -> PyResult<Stats> {
        if let Some(cap) = &mut self.cap {
            self.last = cap.stats().map_err(capture_error)?;
        }
        Ok(Stats {
            received: self.last.received,
            dropped: self.last.dropped,
            freeze_count: self.last.freeze_count,
            delivered: self.delivered,
        })
    }

    /// Reads the final counters and closes the socket (the ring is unmapped).
    fn finish(&mut self) -> PyResult<()> {
        if self.cap.is_some() {
            let counted = self.stats_now();
            self.cap = None;
            counted?;
        }
        self.batch.clear();
        Ok(())
    }

    /// The next packet of the batch, if any is left.
    fn pop(&mut self, py: Python<'_>, linktype: LinkType) -> Option<Packet> {
        let b = &mut self.batch;
        let s = b.slots.get(b.next)?;
        b.next += 1;
        let p = rawcap::packet::Packet {
            ts_ns: s.ts_ns,
            data: &b.bytes[s.start..s.end],
            wire_len: s.wire_len,
            ifindex: s.ifindex,
            pkttype: s.pkttype.map(rawcap::packet::PacketType::from_raw),
        };
        Some(Packet::from_raw(py, &p, linktype.linktype()))
    }
}

impl Capture {
    fn state<'a>(&'a self, py: Python<'_>) -> MutexGuard<'a, State> {
        // A panic while holding the lock cannot leave State half-written in a
        // way that matters (at worst a batch is dropped): take it anyway.
        self.state
            .lock_py_attached(py)
            .unwrap_or_else(|e| e.into_inner())
    }
}

fn direction_arg(d: &str) -> PyResult<Direction> {
    match d {
        "both" | "inout" => Ok(Direction::Both),
        "in" => Ok(Direction::In),
        "out" => Ok(Direction::Out),
        _ => Err(PyValueError::new_err(format!(
            "direction must be 'in', 'out' or 'both', not {d:?}"
        ))),
    }
}

/// capture(interface, filter='', snaplen=262144, promisc=True, count=None,
/// duration=None, *, direction='both', buffer_size=8388608,
/// read_timeout=0.1) -> Capture
///
/// Opens a live capture on `interface` ('any' for every interface, as
/// Linux cooked frames) with an AF_PACKET socket and a TPACKET_V3 ring;
/// the filter (a tcpdump expression, or a Program for this interface's
/// link type) is attached before the socket receives anything, so nothing
/// else ever reaches you. Needs CAP_NET_RAW (root); raises PermissionError
/// without it, FilterError for a bad expression, CaptureError for a
/// missing or down interface.
///
///     with rawcap.capture("eth0", "tcp port 80", count=10) as cap:
///         for p in cap:
///             print(p.summary())
///         print(cap.stats())
#[pyfunction]
#[pyo3(signature = (interface, filter = None, snaplen = rawcap::SNAPLEN, promisc = true, count = None, duration = None, *, direction = "both", buffer_size = rc::DEFAULT_BUFFER_SIZE, read_timeout = 0.1))]
#[pyo3(
    text_signature = "(interface, filter='', snaplen=262144, promisc=True, count=None, duration=None, *, direction='both', buffer_size=8388608, read_timeout=0.1)"
)]
#[pyo3(name = "capture")]
#[allow(clippy::too_many_arguments)]
fn open_capture(
    py: Python<'_>,
    interface: String,
    filter: Option<&Bound<'_, PyAny>>,
    snaplen: u32,
    promisc: bool,
    count: Option<u64>,
    duration: Option<f64>,
    direction: &str,
    buffer_size: usize,
    read_timeout: f64,
) -> PyResult<Capture> {
    let direction = direction_arg(direction)?;
    if !(0.001..=10.0).contains(&read_timeout) {
        return Err(PyValueError::new_err(
            "read_timeout must be between 0.001 and 10 seconds",
        ));
    }
    if duration.is_some_and(|d| !(0.0..1e9).contains(&d)) {
        return Err(PyValueError::new_err(
            "duration must be a number of seconds >= 0",
        ));
    }
    let mut wait = Duration::from_secs_f64(read_timeout);
    if let Some(d) = duration {
        // Never sleep much past the end.
        wait = wait.min(Duration::from_secs_f64(d).max(Duration::from_millis(1)));
    }
    let linktype = {
        let iface = interface.clone();
        py.detach(move || rc::link_type_of(&iface))
            .map_err(capture_error)?
    };
    let prog = match filter {
        None => None,
        Some(f) => {
            if let Ok(p) = f.cast::<Program>() {
                Some(p.get().inner().clone())
            } else if let Ok(expr) = f.extract::<String>() {
                if expr.trim().is_empty() {
                    None
                } else {
                    let opts = Options {
                        linktype,
                        snaplen,
                        linux_ext: true,
                        resolver: Some(system_resolver()),
                        ..Options::default()
                    };
                    Some(
                        py.detach(move || filter::compile(&expr, &opts))
                            .map_err(|e| filter_error(py, &e))?,
                    )
                }
            } else {
                return Err(PyTypeError::new_err(
                    "filter must be a tcpdump expression (str) or a rawcap.Program",
                ));
            }
        }
    };
    let mut b = CaptureBuilder::new(interface.clone())
        .snaplen(snaplen)
        .promiscuous(promisc)
        .direction(direction)
        .buffer_size(buffer_size)
        .read_timeout(wait);
    if let Some(p) = prog {
        b = b.filter(p);
    }
    let cap = py.detach(move || b.open()).map_err(capture_error)?;
    let snaplen = cap.snaplen();
    Ok(Capture {
        state: Mutex::new(State {
            cap: Some(cap),
            batch: Batch::default(),
            count,
            deadline: duration.map(|d| Instant::now() + Duration::from_secs_f64(d)),
            delivered: 0,
            last: RawStats::default(),
            pending: None,
        }),
        stop: AtomicBool::new(false),
        interface,
        linktype,
        snaplen,
    })
}

#[pymethods]
impl Capture {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Packet>> {
        loop {
            // Taken afresh for each wait, so stats() or close() from another
            // thread get their turn between two waits.
            let mut guard = self.state(py);
            let st = &mut *guard;
            if st.count.is_some_and(|c| st.delivered >= c) || self.stop.load(Ordering::Relaxed) {
                st.finish()?;
                return Ok(None);
            }
            if let Some(p) = st.pop(py, self.linktype) {
                st.delivered += 1;
                return Ok(Some(p));
            }
            if let Some(e) = st.pending.take() {
                st.finish()?;
                return Err(e);
            }
            if st.deadline.is_some_and(|d| Instant::now() >= d) {
                st.finish()?;
                return Ok(None);
            }
            let State { cap, batch, .. } = st;
            let Some(cap) = cap else {
                return Ok(None);
            };
            batch.clear();
            let got = py.detach(|| {
                cap.next_batch(|p| {
                    let start = batch.bytes.len();
                    batch.bytes.extend_from_slice(p.data);
                    batch.slots.push(Slot {
                        start,
                        end: batch.bytes.len(),
                        ts_ns: p.ts_ns,
                        wire_len: p.wire_len,
                        ifindex: p.ifindex,
                        pkttype: p.pkttype.map(|t| t.raw()),
                    })
                })
            });
            if let Err(e) = got {
                // Frames read before the error are handed out first.
                st.pending = Some(capture_error(e));
            }
            drop(guard);
            // A signal ended the wait (or one is pending): run its handler.
            py.check_signals()?;
        }
    }

    fn __enter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) -> PyResult<bool> {
        self.close(py)?;
        Ok(false)
    }

    /// Ends the iteration from any thread (or a signal handler): the loop
    /// stops at its next wake-up, within one read_timeout, and the capture
    /// closes. Packets already read are not handed out.
    fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Stops the capture: closes the socket and unmaps the ring (stats()
    /// keeps the final counters). Calling it again does nothing.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        self.stop.store(true, Ordering::Relaxed);
        self.state(py).finish()
    }

    /// The kernel's counters since the capture opened (the final ones
    /// after close()). From another thread than the one iterating, it
    /// answers between two waits of the iteration (within read_timeout).
    fn stats(&self, py: Python<'_>) -> PyResult<Stats> {
        self.state(py).stats_now()
    }

    /// Whether the capture is closed.
    #[getter]
    fn closed(&self, py: Python<'_>) -> bool {
        self.state(py).cap.is_none()
    }

    /// The interface name.
    #[getter]
    fn interface(&self) -> &str {
        &self.interface
    }

    /// The link type of the frames ('EN10MB', 'LINUX_SLL', 'RAW').
    #[getter]
    fn linktype(&self) -> &'static str {
        self.linktype.name()
    }

    /// The snapshot length.
    #[getter]
    fn snaplen(&self) -> u32 {
        self.snaplen
    }

    /// The socket's descriptor (-1 once closed), for select/poll.
    fn fileno(&self, py: Python<'_>) -> i32 {
        use std::os::fd::AsRawFd;
        self.state(py)
            .cap
            .as_ref()
            .map_or(-1, |c| c.as_fd().as_raw_fd())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<rawcap.Capture on {} ({}){}>",
            self.interface,
            self.linktype.name(),
            if self.closed(py) { ", closed" } else { "" }
        )
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Capture>()?;
    m.add_class::<Stats>()?;
    m.add_function(wrap_pyfunction!(open_capture, m)?)?;
    Ok(())
}
