//! `rawcap.Packet` (one frame from a capture, a file or the caller) and
//! `rawcap.Printer` (tcpdump's text lines with its state across packets).

use crate::buffer_arg;
use crate::program::Link;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rawcap::decode::text::{Printer as TextPrinter, TextOptions, TimeFormat, UtcOffset};
use rawcap::packet::{Packet as RawPacket, PacketType};
use rawcap::LinkType;
use std::sync::Mutex;

/// One captured frame: time, bytes, lengths, where it was captured.
///
/// Attributes: timestamp (float seconds since the epoch), ts_ns (int
/// nanoseconds), data (bytes from the link-layer header, at most the
/// snapshot length), caplen (len(data)), length (bytes on the wire),
/// ifindex and direction ('in'/'out'; None when not known, as for files),
/// pkttype (the kernel's sll_pkttype), linktype (the link type name).
///
/// summary() is the line rawcap and tcpdump print, decode() the fields of
/// rawcap's JSON output, http the HTTP request or status line it carries.
/// Packet(data, timestamp=None, length=None, linktype='EN10MB', *, ts_ns=None) wraps bytes
/// from elsewhere (scapy's bytes(pkt), a dpkt buffer) for the same methods
/// or for Writer.write.
#[pyclass(module = "rawcap", frozen)]
pub struct Packet {
    ts_ns: u64,
    data: Py<PyBytes>,
    wire_len: u32,
    ifindex: Option<u32>,
    pkttype: Option<u8>,
    linktype: u32,
}

impl Packet {
    /// A packet owning a copy of `data`.
    pub(crate) fn from_raw(py: Python<'_>, p: &RawPacket<'_>, linktype: u32) -> Self {
        Packet {
            ts_ns: p.ts_ns,
            data: PyBytes::new(py, p.data).unbind(),
            wire_len: p.wire_len,
            ifindex: p.ifindex,
            pkttype: p.pkttype.map(PacketType::raw),
            linktype,
        }
    }

    pub(crate) fn wire_len(&self) -> u32 {
        self.wire_len
    }

    pub(crate) fn data_object<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        self.data.bind(py).clone().into_any()
    }

    /// Runs `f` on the library's view of this packet.
    pub(crate) fn with_raw<R>(&self, py: Python<'_>, f: impl FnOnce(&RawPacket<'_>) -> R) -> R {
        let p = RawPacket {
            ts_ns: self.ts_ns,
            data: self.data.bind(py).as_bytes(),
            wire_len: self.wire_len,
            ifindex: self.ifindex,
            pkttype: self.pkttype.map(PacketType::from_raw),
        };
        f(&p)
    }

    pub(crate) fn linktype_number(&self) -> u32 {
        self.linktype
    }

    fn decodable(&self) -> PyResult<LinkType> {
        LinkType::from_linktype(self.linktype).ok_or_else(|| {
            PyValueError::new_err(format!(
                "rawcap does not decode link type {}",
                self.linktype
            ))
        })
    }
}

fn time_format(name: &str) -> PyResult<TimeFormat> {
    Ok(match name {
        "clock" => TimeFormat::Clock,
        "none" => TimeFormat::None,
        "epoch" => TimeFormat::Epoch,
        "delta" => TimeFormat::Delta,
        "date" => TimeFormat::Date,
        "since_first" => TimeFormat::SinceFirst,
        other => {
            return Err(PyValueError::new_err(format!(
                "time must be one of 'clock', 'none', 'epoch', 'delta', 'date', 'since_first', not {other:?}"
            )))
        }
    })
}

fn time_arg(v: &Bound<'_, PyAny>) -> PyResult<TimeFormat> {
    if let Ok(b) = v.extract::<bool>() {
        return Ok(if b {
            TimeFormat::Clock
        } else {
            TimeFormat::None
        });
    }
    time_format(&v.extract::<String>()?)
}

fn seconds_to_ns(t: f64) -> PyResult<u64> {
    if !(0.0..1.8e10).contains(&t) {
        return Err(PyValueError::new_err(format!("timestamp {t} out of range")));
    }
    Ok((t * 1e9).round() as u64)
}

/// A timestamp argument in seconds (float or int), or None for 0.
pub(crate) fn timestamp_arg(v: Option<f64>) -> PyResult<u64> {
    v.map_or(Ok(0), seconds_to_ns)
}

#[pymethods]
impl Packet {
    #[new]
    #[pyo3(signature = (data, timestamp = None, length = None, linktype = Link(LinkType::Ethernet), *, ts_ns = None))]
    #[pyo3(
        text_signature = "(data, timestamp=None, length=None, linktype='EN10MB', *, ts_ns=None)"
    )]
    fn py_new(
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        timestamp: Option<f64>,
        length: Option<u32>,
        linktype: Link,
        ts_ns: Option<u64>,
    ) -> PyResult<Self> {
        let data = buffer_arg(data)?;
        let wire_len = length.unwrap_or(data.len() as u32).max(data.len() as u32);
        Ok(Packet {
            ts_ns: match ts_ns {
                Some(ns) => ns,
                None => timestamp_arg(timestamp)?,
            },
            data: PyBytes::new(py, &data).unbind(),
            wire_len,
            ifindex: None,
            pkttype: None,
            linktype: linktype.0.linktype(),
        })
    }

    /// Capture time in seconds since the epoch.
    #[getter]
    fn timestamp(&self) -> f64 {
        self.ts_ns as f64 / 1e9
    }

    /// Capture time in nanoseconds since the epoch.
    #[getter]
    fn ts_ns(&self) -> u64 {
        self.ts_ns
    }

    /// The captured bytes, from the link-layer header.
    #[getter]
    fn data(&self, py: Python<'_>) -> Py<PyBytes> {
        self.data.clone_ref(py)
    }

    /// Bytes captured (len(data)).
    #[getter]
    fn caplen(&self, py: Python<'_>) -> usize {
        self.data.bind(py).as_bytes().len()
    }

    /// Bytes on the wire (at least caplen).
    #[getter]
    fn length(&self) -> u32 {
        self.wire_len
    }

    /// The interface index the frame was captured on (None for files).
    #[getter]
    fn ifindex(&self) -> Option<u32> {
        self.ifindex
    }

    /// 'out' for frames this host sent, 'in' for the rest, None when unknown.
    #[getter]
    fn direction(&self) -> Option<&'static str> {
        self.pkttype.map(|t| {
            if PacketType::from_raw(t).is_outgoing() {
                "out"
            } else {
                "in"
            }
        })
    }

    /// The kernel's sll_pkttype (0 host, 1 broadcast, 2 multicast, 3 other
    /// host, 4 outgoing), None when unknown.
    #[getter]
    fn pkttype(&self) -> Option<u8> {
        self.pkttype
    }

    /// The link type's name ('EN10MB', 'LINUX_SLL', ...), or its number as
    /// a string for link types rawcap does not decode.
    #[getter]
    fn linktype(&self) -> String {
        LinkType::from_linktype(self.linktype)
            .map_or_else(|| self.linktype.to_string(), |l| l.name().to_owned())
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.caplen(py)
    }

    fn __bytes__(&self, py: Python<'_>) -> Py<PyBytes> {
        self.data.clone_ref(py)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<rawcap.Packet {:.6} caplen={} length={} {}>",
            self.timestamp(),
            self.caplen(py),
            self.wire_len,
            self.linktype()
        )
    }

    /// summary(numeric=False, link_header=False, verbose=0, quiet=False,
    /// time=True) -> str: the line `rawcap` and `tcpdump` print for this
    /// packet (-n, -e, -v, -q, -t as flags), times in local time (TZ).
    /// Sequence numbers are absolute (tcpdump -S), as for a packet seen
    /// alone; use a Printer for a series.
    #[pyo3(signature = (numeric = false, link_header = false, verbose = 0, quiet = false, time = None))]
    fn summary(
        &self,
        py: Python<'_>,
        numeric: bool,
        link_header: bool,
        verbose: u8,
        quiet: bool,
        time: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let lt = self.decodable()?;
        let opts = TextOptions {
            numeric,
            link_header,
            verbose,
            quiet,
            time: time.map_or(Ok(TimeFormat::Clock), time_arg)?,
            absolute_seq: true,
            ..TextOptions::default()
        };
        Ok(self.with_raw(py, |p| local_printer(opts).format(lt, p)))
    }

    /// decode() -> dict: the fields rawcap's JSON output (-T json) has for
    /// this packet: ts, len, caplen, src, dst, proto, sport, dport,
    /// tcp_flags, seq, ack, http, ...
    fn decode<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let lt = self.decodable()?;
        let line = self.with_raw(py, |p| rawcap::decode::json::line(lt, p));
        py.import("json")?.call_method1("loads", (line,))
    }

    /// The HTTP request or status line a TCP payload starts with, else None.
    #[getter]
    fn http(&self, py: Python<'_>) -> Option<String> {
        let lt = LinkType::from_linktype(self.linktype)?;
        let data = self.data.bind(py).as_bytes();
        rawcap::decode::summarize(lt, data)
            .http_line()
            .map(str::to_owned)
    }
}

/// Local time as Python's time.localtime() has it (TZ, time.tzset()), for
/// the printer's clock formats, as the command line prints local time.
#[derive(Default)]
struct LocalTime {
    /// The 15-minute block of Unix time last asked for and its offset
    /// (zones change offset only on quarter hours).
    cached: Option<(i64, i32)>,
}

impl UtcOffset for LocalTime {
    fn offset(&mut self, unix_secs: i64) -> i32 {
        let block = unix_secs.div_euclid(900);
        if let Some((b, off)) = self.cached {
            if b == block {
                return off;
            }
        }
        let off = Python::attach(|py| -> PyResult<i32> {
            py.import("time")?
                .call_method1("localtime", (unix_secs,))?
                .getattr("tm_gmtoff")?
                .extract()
        })
        .unwrap_or(0);
        self.cached = Some((block, off));
        off
    }
}

/// A text printer with `opts` that prints local time.
fn local_printer(opts: TextOptions) -> TextPrinter {
    let mut p = TextPrinter::new(opts);
    p.set_utc_offset(Box::new(LocalTime::default()));
    p
}

/// Printer(numeric=False, link_header=False, verbose=0, quiet=False,
/// time='clock', hex=0, hex_ascii=0, ascii=0, nanos=False,
/// absolute_seq=False, no_checksum=False, number=False): tcpdump's text,
/// with the state tcpdump keeps between packets (relative TCP sequence
/// numbers, -ttt deltas, -# numbers). format(packet) is the line
/// `rawcap -r` prints for it; clock times are local (TZ).
///
/// time: 'clock' (default), 'none' (-t), 'epoch' (-tt), 'delta' (-ttt),
/// 'date' (-tttt), 'since_first' (-ttttt); hex: 1 for -x, 2 for -xx;
/// hex_ascii: 1 for -X, 2 for -XX; ascii: 1 for -A, 2 for -AA;
/// absolute_seq: -S; no_checksum: -K; number: -#.
#[pyclass(module = "rawcap")]
pub struct Printer {
    /// A Mutex only to make the class Sync (the printer's hooks are Send);
    /// `&mut self` methods have it alone.
    inner: Mutex<TextPrinter>,
}

#[pymethods]
impl Printer {
    #[new]
    #[pyo3(signature = (numeric = false, link_header = false, verbose = 0, quiet = false, time = "clock", hex = 0, hex_ascii = 0, ascii = 0, nanos = false, absolute_seq = false, no_checksum = false, number = false))]
    #[allow(clippy::too_many_arguments, clippy::needless_update)]
    fn py_new(
        numeric: bool,
        link_header: bool,
        verbose: u8,
        quiet: bool,
        time: &str,
        hex: u8,
        hex_ascii: u8,
        ascii: u8,
        nanos: bool,
        absolute_seq: bool,
        no_checksum: bool,
        number: bool,
    ) -> PyResult<Self> {
        let opts = TextOptions {
            numeric,
            link_header,
            verbose,
            quiet,
            time: time_format(time)?,
            hex: hex.min(2),
            hex_ascii: hex_ascii.min(2),
            ascii: ascii.min(2),
            nanos,
            absolute_seq,
            no_checksum,
            number,
            // Options the library adds later keep their defaults.
            ..TextOptions::default()
        };
        Ok(Printer {
            inner: Mutex::new(local_printer(opts)),
        })
    }

    /// The text for one packet (several lines with hex dumps, no final newline).
    fn format(&mut self, py: Python<'_>, packet: &Bound<'_, Packet>) -> PyResult<String> {
        let p = packet.get();
        let lt = p.decodable()?;
        let inner = self.inner.get_mut().unwrap_or_else(|e| e.into_inner());
        Ok(p.with_raw(py, |raw| inner.format(lt, raw)))
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Packet>()?;
    m.add_class::<Printer>()?;
    Ok(())
}
