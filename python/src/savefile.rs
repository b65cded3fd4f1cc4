//! `rawcap.read` and `rawcap.write`: pcap and pcapng files.
//!
//! Reading filters in Rust: records the filter rejects never become
//! Python objects. The filter is compiled per link type as the file's
//! interfaces declare them, for libpcap's userland interpreter (what
//! `tcpdump -r FILE EXPR` runs).

use crate::packet::{timestamp_arg, Packet};
use crate::program::{filter_error, system_resolver, Link, Program};
use crate::{buffer_arg, SavefileError};
use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use rawcap::bpf::{vm::Meta, Machine};
use rawcap::filter::{self, ByteOrder, Options, Target};
use rawcap::savefile::{
    Format, PcapWriter, ReadError, ReadErrorKind, Reader as RawReader, Resolution,
};
use rawcap::LinkType;
use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::sync::Mutex;

fn read_error(py: Python<'_>, path: &str, e: ReadError) -> PyErr {
    if let ReadErrorKind::Io(io) = &e.kind {
        if let Some(errno) = io.raw_os_error() {
            return PyOSError::new_err((errno, e.to_string(), path.to_owned()));
        }
    }
    let err = SavefileError::new_err(format!("{path}: {e}"));
    match err.value(py).setattr("offset", e.offset) {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// What to filter with: nothing, an expression (compiled per link type), or a program.
enum Filter {
    None,
    Expr(String),
    Program(rawcap::bpf::Program, LinkType),
}

/// The machine for one link type, or why there is none.
type Prepared = Result<(Machine, LinkType), String>;

/// An open savefile: iterate over it for Packets (those the filter
/// accepts). Use it as a context manager or call close().
///
/// linktype and snaplen are the file's (its first interface's for
/// pcapng); format is 'pcap' or 'pcapng'. A damaged file gives every
/// packet before the damage, then raises SavefileError.
#[pyclass(module = "rawcap")]
pub struct Reader {
    /// A Mutex only to make the class Sync; `&mut self` methods have it alone.
    inner: Mutex<Option<RawReader<File>>>,
    path: String,
    filter: Filter,
    machines: HashMap<u32, Prepared>,
    linktype: Option<u32>,
    file: FileInfo,
    delivered: u64,
    seen: u64,
}

/// What compiling for a file needs to know about it.
#[derive(Clone, Copy)]
struct FileInfo {
    snaplen: Option<u32>,
    format: Format,
}

/// The machine for `linktype`, compiling the expression for it.
fn prepare(py: Python<'_>, filter: &Filter, file: &FileInfo, linktype: u32) -> PyResult<Prepared> {
    Ok(match filter {
        // Never asked for: without a filter every record is kept.
        Filter::None => Err(String::new()),
        Filter::Program(p, lt) if lt.linktype() == linktype => Ok((Machine::new(p), *lt)),
        Filter::Program(_, lt) => Err(format!(
            "the filter program is for {}, the file has link type {linktype}",
            lt.name()
        )),
        Filter::Expr(expr) => match LinkType::from_linktype(linktype) {
            None => Err(format!(
                "cannot filter link type {linktype}: rawcap compiles filters for EN10MB, LINUX_SLL, LINUX_SLL2, RAW, IPV4, IPV6, NULL and LOOP"
            )),
            Some(lt) => {
                let opts = Options {
                    linktype: lt,
                    snaplen: file.snaplen.unwrap_or(rawcap::SNAPLEN),
                    target: Target::Userspace,
                    // Packets from a file, not this host (NULL and LOOP care, as in libpcap).
                    savefile: Some(match file.format {
                        Format::Pcap {
                            big_endian: true, ..
                        } => ByteOrder::Big,
                        _ => ByteOrder::Little,
                    }),
                    resolver: Some(system_resolver()),
                    ..Options::default()
                };
                let prog = filter::compile(expr, &opts).map_err(|e| filter_error(py, &e))?;
                Ok((Machine::new(&prog), lt))
            }
        },
    })
}

/// read(path, filter='') -> Reader
///
/// Opens a pcap or pcapng file (any byte order, micro- or nanosecond
/// timestamps) and iterates over its packets; with a filter (a tcpdump
/// expression, or a Program for the file's link type) only those it
/// accepts, as `tcpdump -r path filter` shows them.
///
///     for p in rawcap.read("trace.pcap", "tcp port 80"):
///         print(p.summary())
#[pyfunction]
#[pyo3(signature = (path, filter = None))]
#[pyo3(text_signature = "(path, filter='')")]
fn read(py: Python<'_>, path: PathBuf, filter: Option<&Bound<'_, PyAny>>) -> PyResult<Reader> {
    let shown = path.display().to_string();
    let filter = match filter {
        None => Filter::None,
        Some(f) => {
            if let Ok(p) = f.cast::<Program>() {
                let p = p.get();
                Filter::Program(p.inner().clone(), p.linktype())
            } else if let Ok(expr) = f.extract::<String>() {
                if expr.trim().is_empty() {
                    Filter::None
                } else {
                    Filter::Expr(expr)
                }
            } else {
                return Err(PyTypeError::new_err(
                    "filter must be a tcpdump expression (str) or a rawcap.Program",
                ));
            }
        }
    };
    let file = File::open(&path).map_err(|e| {
        PyOSError::new_err((e.raw_os_error().unwrap_or(0), e.to_string(), shown.clone()))
    })?;
    let mut r = RawReader::new(file).map_err(|e| read_error(py, &shown, e))?;
    let linktype = r.peek_linktype().map_err(|e| read_error(py, &shown, e))?;
    let mut reader = Reader {
        file: FileInfo {
            format: r.format(),
            snaplen: r.snaplen(),
        },
        inner: Mutex::new(Some(r)),
        path: shown,
        filter,
        machines: HashMap::new(),
        linktype,
        delivered: 0,
        seen: 0,
    };
    // A bad expression is refused here, not at the first packet.
    if let (Some(lt), false) = (linktype, matches!(reader.filter, Filter::None)) {
        let prepared = prepare(py, &reader.filter, &reader.file, lt)?;
        if let Err(msg) = &prepared {
            return Err(PyValueError::new_err(msg.clone()));
        }
        reader.machines.insert(lt, prepared);
    } else if let Filter::Expr(expr) = &reader.filter {
        // No interface yet: check the expression for Ethernet at least.
        let opts = Options {
            target: Target::Userspace,
            ..Options::default()
        };
        filter::compile(expr, &opts).map_err(|e| filter_error(py, &e))?;
    }
    Ok(reader)
}

#[pymethods]
impl Reader {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Packet>> {
        let Reader {
            inner,
            path,
            filter,
            machines,
            file,
            delivered,
            seen,
            ..
        } = self;
        let inner = inner.get_mut().unwrap_or_else(|e| e.into_inner());
        let filtering = !matches!(filter, Filter::None);
        loop {
            let Some(r) = inner.as_mut() else {
                return Ok(None);
            };
            let rec = match r.next_record() {
                Ok(Some(rec)) => rec,
                Ok(None) => {
                    *inner = None;
                    return Ok(None);
                }
                Err(e) => {
                    *inner = None;
                    return Err(read_error(py, path, e));
                }
            };
            *seen += 1;
            let lt = rec.linktype;
            if filtering {
                if let std::collections::hash_map::Entry::Vacant(slot) = machines.entry(lt) {
                    slot.insert(prepare(py, filter, file, lt)?);
                }
                match machines.get(&lt) {
                    Some(Ok((m, link))) => {
                        let p = &rec.packet;
                        if m.run(p.data, p.wire_len, &Meta::for_frame(*link, p.data)) == 0 {
                            continue;
                        }
                    }
                    Some(Err(msg)) => return Err(PyValueError::new_err(msg.clone())),
                    None => {}
                }
            }
            *delivered += 1;
            return Ok(Some(Packet::from_raw(py, &rec.packet, lt)));
        }
    }

    fn __enter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&mut self, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close();
        false
    }

    /// Closes the file; iteration ends.
    fn close(&mut self) {
        *self.inner.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The file's link type name (its first interface's for pcapng), or
    /// its number as a string for link types rawcap does not decode.
    #[getter]
    fn linktype(&self) -> Option<String> {
        self.linktype.map(|n| {
            LinkType::from_linktype(n).map_or_else(|| n.to_string(), |l| l.name().to_owned())
        })
    }

    /// The file's snapshot length.
    #[getter]
    fn snaplen(&self) -> Option<u32> {
        self.file.snaplen
    }

    /// 'pcap' or 'pcapng'.
    #[getter]
    fn format(&self) -> &'static str {
        match self.file.format {
            Format::Pcap { .. } => "pcap",
            Format::Pcapng => "pcapng",
        }
    }

    /// Records read so far, and of those, packets handed out (filter passed).
    #[getter]
    fn counts(&self) -> (u64, u64) {
        (self.seen, self.delivered)
    }

    fn __repr__(&self) -> String {
        format!("<rawcap.Reader {:?} ({})>", self.path, self.format())
    }
}

/// An open pcap file being written: write(packet) appends one record.
/// Use it as a context manager or call close(); records are buffered
/// until then (or flush()).
#[pyclass(module = "rawcap")]
pub struct Writer {
    out: Mutex<Option<PcapWriter<BufWriter<File>>>>,
    path: String,
    linktype: LinkType,
    written: u64,
}

impl Writer {
    fn io_err(&self, e: std::io::Error) -> PyErr {
        PyOSError::new_err((
            e.raw_os_error().unwrap_or(0),
            e.to_string(),
            self.path.clone(),
        ))
    }
}

/// write(path, linktype='EN10MB', snaplen=262144, *, nanos=False) -> Writer
///
/// Creates (or truncates) a pcap file tcpdump, tshark and libpcap read.
/// nanos=True writes nanosecond timestamps (magic a1b23c4d).
///
///     with rawcap.write("out.pcap") as w:
///         for p in rawcap.capture("eth0", "udp", count=100):
///             w.write(p)
#[pyfunction]
#[pyo3(signature = (path, linktype = Link(LinkType::Ethernet), snaplen = rawcap::SNAPLEN, *, nanos = false))]
#[pyo3(text_signature = "(path, linktype='EN10MB', snaplen=262144, *, nanos=False)")]
fn write(path: PathBuf, linktype: Link, snaplen: u32, nanos: bool) -> PyResult<Writer> {
    let shown = path.display().to_string();
    let oserr = |e: std::io::Error| {
        PyOSError::new_err((e.raw_os_error().unwrap_or(0), e.to_string(), shown.clone()))
    };
    let file = File::create(&path).map_err(oserr)?;
    let res = if nanos {
        Resolution::Nano
    } else {
        Resolution::Micro
    };
    let w = PcapWriter::new(BufWriter::new(file), linktype.0, snaplen, res).map_err(oserr)?;
    Ok(Writer {
        out: Mutex::new(Some(w)),
        path: shown,
        linktype: linktype.0,
        written: 0,
    })
}

#[pymethods]
impl Writer {
    /// write(packet, timestamp=None, length=None, *, ts_ns=None): appends one record.
    ///
    /// packet is a Packet (its time and wire length are kept unless given)
    /// or bytes-like (timestamp in seconds, or ts_ns in nanoseconds for
    /// full precision, default 0; length on the wire, default len(packet)).
    /// Data longer than the snapshot length is cut.
    #[pyo3(signature = (packet, timestamp = None, length = None, *, ts_ns = None))]
    fn write(
        &mut self,
        py: Python<'_>,
        packet: &Bound<'_, PyAny>,
        timestamp: Option<f64>,
        length: Option<u32>,
        ts_ns: Option<u64>,
    ) -> PyResult<()> {
        let ts = match ts_ns {
            Some(ns) => Some(ns),
            None => timestamp.map(|t| timestamp_arg(Some(t))).transpose()?,
        };
        let linktype = self.linktype;
        let path = self.path.clone();
        let Some(w) = self.out.get_mut().unwrap_or_else(|e| e.into_inner()) else {
            return Err(PyValueError::new_err("write to a closed rawcap.Writer"));
        };
        let result = if let Ok(p) = packet.cast::<Packet>() {
            let p = p.get();
            if p.linktype_number() != linktype.linktype() {
                return Err(PyValueError::new_err(format!(
                    "a {} packet in a {} file",
                    LinkType::from_linktype(p.linktype_number())
                        .map_or_else(|| p.linktype_number().to_string(), |l| l.name().into()),
                    linktype.name()
                )));
            }
            p.with_raw(py, |raw| {
                let mut raw = *raw;
                if let Some(ts) = ts {
                    raw.ts_ns = ts;
                }
                if let Some(l) = length {
                    raw.wire_len = l.max(raw.data.len() as u32);
                }
                w.write(&raw)
            })
        } else {
            let data = buffer_arg(packet)?;
            let wire_len = length.unwrap_or(data.len() as u32).max(data.len() as u32);
            let raw = rawcap::packet::Packet::new(ts.unwrap_or(0), &data, wire_len);
            w.write(&raw)
        };
        result.map_err(|e| {
            PyOSError::new_err((e.raw_os_error().unwrap_or(0), e.to_string(), path))
        })?;
        self.written += 1;
        Ok(())
    }

    /// Hands buffered records to the file.
    fn flush(&mut self) -> PyResult<()> {
        let r = match self.out.get_mut().unwrap_or_else(|e| e.into_inner()) {
            Some(w) => w.flush(),
            None => Ok(()),
        };
        r.map_err(|e| self.io_err(e))
    }

    /// Flushes and closes the file. Calling it again does nothing.
    fn close(&mut self) -> PyResult<()> {
        let w = self.out.get_mut().unwrap_or_else(|e| e.into_inner()).take();
        match w {
            Some(w) => w
                .into_inner()
                .and_then(|mut b| std::io::Write::flush(&mut b))
                .map(|_| ()),
            None => Ok(()),
        }
        .map_err(|e| self.io_err(e))
    }

    fn __enter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&mut self, _args: &Bound<'_, pyo3::types::PyTuple>) -> PyResult<bool> {
        self.close()?;
        Ok(false)
    }

    /// Records written.
    #[getter]
    fn count(&self) -> u64 {
        self.written
    }

    /// The file's link type name.
    #[getter]
    fn linktype(&self) -> &'static str {
        self.linktype.name()
    }

    fn __repr__(&self) -> String {
        format!("<rawcap.Writer {:?} ({})>", self.path, self.linktype.name())
    }
}

impl Drop for Writer {
    /// A writer dropped without close() still leaves every record in the file.
    fn drop(&mut self) {
        if let Some(w) = self.out.get_mut().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = w
                .into_inner()
                .and_then(|mut b| std::io::Write::flush(&mut b));
        }
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Reader>()?;
    m.add_class::<Writer>()?;
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(write, m)?)?;
    Ok(())
}
