//! `rawcap._rawcap`: the Python extension behind the `rawcap` package.
//!
//! In: Python calls. Out: the rawcap crate's public API, unchanged: the
//! filter compiler ([`rawcap::filter::compile`]), the BPF machine
//! ([`rawcap::bpf::Machine`]), live capture ([`rawcap::capture`]),
//! savefiles ([`rawcap::savefile`]), the tcpdump-style printers
//! ([`rawcap::decode`]) and the TCP exchange ([`rawcap::client`]).
//!
//! Invariants: no Rust panic reaches Python (every library error becomes a
//! Python exception); the GIL is released around every wait (capture,
//! exchange, server join); packets handed to Python own their bytes, so no
//! Python object ever points into the capture ring.

#![deny(unsafe_code)]

mod capture;
mod net;
mod packet;
mod program;
mod savefile;

use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use rawcap::LinkType;

pyo3::create_exception!(
    _rawcap,
    FilterError,
    PyValueError,
    "A filter expression rawcap (like libpcap) refuses.\n\n\
     str() is the message, the expression and carets under the offending\n\
     text. Attributes: expression, message, start, end (character offsets\n\
     of the offending text in the expression)."
);
pyo3::create_exception!(
    _rawcap,
    CaptureError,
    PyOSError,
    "A live capture that could not be opened or read (no such interface,\n\
     interface down or gone, a failed system call). Missing privileges\n\
     raise PermissionError instead."
);
pyo3::create_exception!(
    _rawcap,
    SavefileError,
    PyValueError,
    "A damaged or unknown savefile. Attribute offset: the byte offset where\n\
     the damage starts; every packet before it was delivered."
);

/// A link type given as a name (`"EN10MB"`, `"LINUX_SLL"`, `"RAW"`, ...) or a
/// `LINKTYPE_*` number.
pub(crate) fn linktype_arg(v: &Bound<'_, PyAny>) -> PyResult<LinkType> {
    if let Ok(name) = v.extract::<String>() {
        return name
            .parse::<LinkType>()
            .map_err(|e| PyValueError::new_err(e.to_string()));
    }
    if let Ok(n) = v.extract::<u32>() {
        return LinkType::from_linktype(n)
            .ok_or_else(|| PyValueError::new_err(format!("unknown link type number {n}")));
    }
    Err(PyTypeError::new_err(
        "linktype must be a name such as 'EN10MB' or a LINKTYPE_ number",
    ))
}

/// The bytes of a bytes-like argument: bytes and bytearray directly, any
/// other buffer (memoryview, array) through memoryview(obj).tobytes(); never
/// bytes(obj), which turns an int into zeros.
pub(crate) fn buffer_arg(v: &Bound<'_, PyAny>) -> PyResult<pyo3::pybacked::PyBackedBytes> {
    if let Ok(b) = v.extract() {
        return Ok(b);
    }
    let py = v.py();
    py.import("builtins")?
        .getattr("memoryview")?
        .call1((v,))
        .and_then(|m| m.call_method0("tobytes"))
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "a bytes-like object is required, not '{}'",
                v.get_type()
                    .name()
                    .map_or_else(|_| "?".into(), |n| n.to_string())
            ))
        })?
        .extract()
        .map_err(PyErr::from)
}

/// Packet capture and tcpdump filters without libpcap (the extension module).
#[pymodule]
fn _rawcap(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("FilterError", py.get_type::<FilterError>())?;
    m.add("CaptureError", py.get_type::<CaptureError>())?;
    m.add("SavefileError", py.get_type::<SavefileError>())?;
    m.add("SNAPLEN", rawcap::SNAPLEN)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    program::register(m)?;
    packet::register(m)?;
    capture::register(m)?;
    savefile::register(m)?;
    net::register(m)?;
    Ok(())
}
