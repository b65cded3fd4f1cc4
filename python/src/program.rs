//! `rawcap.compile` and `rawcap.Program`: the filter compiler, the BPF
//! machine and `SO_ATTACH_FILTER` on any Python socket.

use crate::packet::Packet;
use crate::{buffer_arg, linktype_arg, CaptureError, FilterError};
use pyo3::exceptions::{PyIndexError, PyPermissionError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyList, PyTuple};
use rawcap::bpf::{self, vm::Meta, Insn, Machine};
use rawcap::filter::{self, CompileError, Options, Resolver, Target};
use rawcap::LinkType;
use std::net::{Ipv4Addr, ToSocketAddrs};
use std::os::fd::{BorrowedFd, RawFd};
use std::sync::OnceLock;

/// A link type argument: a name (`"EN10MB"`) or a `LINKTYPE_*` number.
#[derive(Clone, Copy)]
pub(crate) struct Link(pub LinkType);

impl<'a, 'py> FromPyObject<'a, 'py> for Link {
    type Error = PyErr;
    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        linktype_arg(&obj).map(Link)
    }
}

/// The Python exception for a refused expression: the library's Display
/// (message, expression, carets) as str(), the parts as attributes.
pub(crate) fn filter_error(py: Python<'_>, e: &CompileError) -> PyErr {
    let err = FilterError::new_err(e.to_string());
    let expr = e.expr();
    // The span is in bytes; Python indexes characters.
    let chars = |b: u32| expr.get(..b as usize).map_or(0, |s| s.chars().count());
    let v = err.value(py);
    let attrs = (|| -> PyResult<()> {
        v.setattr("expression", expr)?;
        v.setattr("message", e.kind().to_string())?;
        v.setattr("start", chars(e.span().start))?;
        v.setattr("end", chars(e.span().end))
    })();
    match attrs {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// Host names resolved as tcpdump resolves them (getaddrinfo through std).
pub(crate) fn system_resolver() -> Resolver {
    Resolver::new(|name: &str| {
        (name, 0)
            .to_socket_addrs()
            .map(|it| it.map(|sa| sa.ip()).collect())
            .unwrap_or_default()
    })
}

/// A netmask given as `"255.255.255.0"`, a prefix length string `"24"`... or
/// an integer in host order.
fn netmask_arg(v: &Bound<'_, PyAny>) -> PyResult<u32> {
    if let Ok(n) = v.extract::<u32>() {
        return Ok(n);
    }
    let s: String = v.extract().map_err(|_| {
        PyTypeError::new_err("netmask must be a string such as '255.255.255.0' or an int")
    })?;
    s.parse::<Ipv4Addr>()
        .map(u32::from)
        .map_err(|_| PyValueError::new_err(format!("netmask {s:?} is not a dotted IPv4 mask")))
}

/// Compiles a tcpdump filter expression (pcap-filter(7)) to classic BPF.
///
/// The program is libpcap 1.10's for the same expression and link type:
/// it returns `snaplen` for packets it accepts and 0 for the rest. By
/// default it is the program a socket can attach (target "kernel");
/// target "userspace" gives the program `tcpdump -d` prints (they differ
/// only for `protochain`, whose loop the kernel refuses).
///
/// Host names resolve through the system (getaddrinfo) unless
/// resolve=False; port and protocol names come from built-in tables.
/// linux_ext=True allows `inbound`, `outbound`, `ifindex` (Linux socket
/// metadata), as on a live capture.
///
/// Raises FilterError (a ValueError) whose str() shows the expression with
/// carets under the offending text.
#[pyfunction]
#[pyo3(signature = (expr, linktype = Link(LinkType::Ethernet), snaplen = rawcap::SNAPLEN, optimize = true, netmask = None, *, linux_ext = false, target = "kernel", resolve = true))]
#[pyo3(
    text_signature = "(expr, linktype='EN10MB', snaplen=262144, optimize=True, netmask=None, *, linux_ext=False, target='kernel', resolve=True)"
)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn compile(
    py: Python<'_>,
    expr: &str,
    linktype: Link,
    snaplen: u32,
    optimize: bool,
    netmask: Option<&Bound<'_, PyAny>>,
    linux_ext: bool,
    target: &str,
    resolve: bool,
) -> PyResult<Program> {
    let target = match target {
        "kernel" => Target::Kernel,
        "userspace" => Target::Userspace,
        t => {
            return Err(PyValueError::new_err(format!(
                "target must be 'kernel' or 'userspace', not {t:?}"
            )))
        }
    };
    let opts = Options {
        linktype: linktype.0,
        snaplen,
        netmask: netmask.map(netmask_arg).transpose()?,
        linux_ext,
        optimize,
        resolver: resolve.then(system_resolver),
        target,
        ..Options::default()
    };
    let expr = expr.to_owned();
    // Host names may go to DNS: let other threads run meanwhile.
    let prog = py
        .detach(move || filter::compile(&expr, &opts))
        .map_err(|e| filter_error(py, &e))?;
    Ok(Program::new(prog, linktype.0))
}

/// A classic BPF program and the link type its loads are written for.
///
/// len(p) is the instruction count; iterating gives (code, jt, jf, k)
/// tuples; str(p) is `tcpdump -d` text, p.dd() `tcpdump -dd`, p.ddd()
/// `tcpdump -ddd`; bytes(p) is the array of `struct sock_filter` the kernel
/// takes. p.matches(frame) runs it as the kernel would; p.attach(sock)
/// attaches it to a socket with SO_ATTACH_FILTER.
#[pyclass(module = "rawcap", frozen)]
pub struct Program {
    prog: bpf::Program,
    linktype: LinkType,
    machine: OnceLock<Machine>,
}

impl Program {
    pub(crate) fn new(prog: bpf::Program, linktype: LinkType) -> Self {
        Program {
            prog,
            linktype,
            machine: OnceLock::new(),
        }
    }

    pub(crate) fn inner(&self) -> &bpf::Program {
        &self.prog
    }

    pub(crate) fn linktype(&self) -> LinkType {
        self.linktype
    }
}

/// The bytes of a frame argument and its length on the wire.
fn frame_arg(v: &Bound<'_, PyAny>, length: Option<u32>) -> PyResult<(PyBackedBytes, u32)> {
    if let Ok(p) = v.cast::<Packet>() {
        let p = p.get();
        let data: PyBackedBytes = p.data_object(v.py()).extract()?;
        return Ok((data, length.unwrap_or(p.wire_len())));
    }
    let data = buffer_arg(v)?;
    let len = length.unwrap_or(data.len() as u32);
    Ok((data, len))
}

/// The descriptor of a socket object (anything with fileno()) or an int.
fn fd_arg(sock: &Bound<'_, PyAny>) -> PyResult<RawFd> {
    if let Ok(fd) = sock.extract::<RawFd>() {
        return Ok(fd);
    }
    sock.call_method0("fileno")
        .and_then(|fd| fd.extract::<RawFd>())
        .map_err(|_| {
            PyTypeError::new_err("attach() takes a socket (anything with fileno()) or a descriptor")
        })
}

pub(crate) fn capture_error(e: rawcap::capture::CaptureError) -> PyErr {
    use rawcap::capture::CaptureError as E;
    match e {
        E::PermissionDenied { .. } => PyPermissionError::new_err(e.to_string()),
        E::Filter(_) | E::Invalid(_) => PyValueError::new_err(e.to_string()),
        E::Os { ref source, .. } => match source.raw_os_error() {
            Some(errno) => CaptureError::new_err((errno, e.to_string())),
            None => CaptureError::new_err(e.to_string()),
        },
        _ => CaptureError::new_err(e.to_string()),
    }
}

#[pymethods]
impl Program {
    /// Program(insns, linktype='EN10MB'): a program from (code, jt, jf, k) tuples.
    #[new]
    #[pyo3(signature = (insns, linktype = Link(LinkType::Ethernet)))]
    #[pyo3(text_signature = "(insns, linktype='EN10MB')")]
    fn py_new(insns: &Bound<'_, PyAny>, linktype: Link) -> PyResult<Self> {
        let mut v = Vec::new();
        for item in insns.try_iter()? {
            let (code, jt, jf, k): (u16, u8, u8, u32) = item?.extract()?;
            v.push(Insn { code, jt, jf, k });
        }
        Ok(Program::new(bpf::Program::new(v), linktype.0))
    }

    /// Program.from_ddd(text, linktype='EN10MB'): parses `tcpdump -ddd`
    /// output (a count line, then one "code jt jf k" line per instruction).
    #[staticmethod]
    #[pyo3(signature = (text, linktype = Link(LinkType::Ethernet)))]
    #[pyo3(text_signature = "(text, linktype='EN10MB')")]
    fn from_ddd(text: &str, linktype: Link) -> PyResult<Self> {
        let prog = bpf::Program::parse_decimal(text)
            .map_err(|e| PyValueError::new_err(format!("-ddd text: {e}")))?;
        Ok(Program::new(prog, linktype.0))
    }

    /// The link type the program's loads are written for (its name).
    #[getter(linktype)]
    fn py_linktype(&self) -> &'static str {
        self.linktype.name()
    }

    fn __len__(&self) -> usize {
        self.prog.len()
    }

    fn __getitem__(&self, i: isize) -> PyResult<(u16, u8, u8, u32)> {
        let n = self.prog.len() as isize;
        let at = if i < 0 { i + n } else { i };
        if !(0..n).contains(&at) {
            return Err(PyIndexError::new_err("instruction index out of range"));
        }
        let insn = self.prog.insns()[at as usize];
        Ok((insn.code, insn.jt, insn.jf, insn.k))
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items: Vec<Bound<'py, PyTuple>> = self
            .prog
            .insns()
            .iter()
            .map(|i| (i.code, i.jt, i.jf, i.k).into_pyobject(py))
            .collect::<PyResult<_>>()?;
        Ok(PyList::new(py, items)?.try_iter()?.into_any())
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Program>()
            .is_ok_and(|o| o.get().prog == self.prog)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for i in self.prog.insns() {
            (i.code, i.jt, i.jf, i.k).hash(&mut h);
        }
        h.finish()
    }

    /// `tcpdump -d`: one line per instruction, `(000) ldh [12]`.
    fn __str__(&self) -> String {
        self.prog.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<rawcap.Program {} instructions for {}>",
            self.prog.len(),
            self.linktype.name()
        )
    }

    /// The array of `struct sock_filter` (8 bytes each, native byte order)
    /// that SO_ATTACH_FILTER takes.
    fn __bytes__(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.prog.len() * 8);
        for i in self.prog.insns() {
            out.extend_from_slice(&i.code.to_ne_bytes());
            out.push(i.jt);
            out.push(i.jf);
            out.extend_from_slice(&i.k.to_ne_bytes());
        }
        out
    }

    /// `tcpdump -dd`: the program as a C array initializer.
    fn dd(&self) -> String {
        self.prog.to_c_array()
    }

    /// `tcpdump -ddd`: the count, then "code jt jf k" per line.
    fn ddd(&self) -> String {
        self.prog.to_decimal()
    }

    /// Checks the program by the kernel's rules (what SO_ATTACH_FILTER
    /// accepts); raises ValueError naming the instruction and the rule.
    fn validate(&self) -> PyResult<()> {
        bpf::validate(&self.prog).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// matches(frame, length=None) -> int: what the kernel's socket filter
    /// returns for this frame (bytes to keep; 0 drops it).
    ///
    /// frame is bytes-like (from the link-layer header of the program's link
    /// type) or a Packet; length is the length on the wire (default: the
    /// frame's). Ancillary loads see what a frame read from a file shows:
    /// the protocol from the link header, no device.
    #[pyo3(signature = (frame, length = None))]
    fn matches(&self, frame: &Bound<'_, PyAny>, length: Option<u32>) -> PyResult<u32> {
        let m = self.machine.get_or_init(|| Machine::new(&self.prog));
        let run = |data: &[u8], wire_len: u32| {
            m.run(data, wire_len, &Meta::for_frame(self.linktype, data))
        };
        // bytes: read in place (the common case, and the fast one).
        if let Ok(b) = frame.cast::<PyBytes>() {
            let data = b.as_bytes();
            return Ok(run(data, length.unwrap_or(data.len() as u32)));
        }
        let (data, wire_len) = frame_arg(frame, length)?;
        Ok(run(&data, wire_len))
    }

    /// attach(sock): attaches the program to a socket (any object with
    /// fileno(), or a descriptor) with SO_ATTACH_FILTER, replacing its filter.
    ///
    /// The kernel then delivers only what the program accepts, cut to the
    /// length it returns. On an AF_PACKET SOCK_RAW socket the program sees
    /// the frame from its link header; on a UDP socket it sees the UDP
    /// header and payload. No privilege is needed for your own socket.
    /// Raises ValueError for a program the kernel refuses (nothing is
    /// attached) and CaptureError/OSError when setsockopt fails.
    fn attach(&self, sock: &Bound<'_, PyAny>) -> PyResult<()> {
        let fd = fd_arg(sock)?;
        attach_fd(fd, &self.prog)
    }
}

#[allow(unsafe_code)]
fn attach_fd(fd: RawFd, prog: &bpf::Program) -> PyResult<()> {
    if fd < 0 {
        return Err(PyValueError::new_err("the socket is closed"));
    }
    // SAFETY: the descriptor belongs to the caller's socket, which stays open
    // for the whole call (the GIL is held, so no other thread closes it); a
    // descriptor that is not open makes setsockopt fail with EBADF.
    let fd = unsafe { BorrowedFd::borrow_raw(fd) };
    rawcap::capture::attach_filter(fd, prog).map_err(capture_error)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Program>()?;
    m.add_function(wrap_pyfunction!(compile, m)?)?;
    Ok(())
}
