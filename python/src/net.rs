//! `rawcap.exchange` and `rawcap.serve`: the plain TCP exchange of the
//! seed program and the echo/HTTP server it talks to (rawcap::client).

use pyo3::exceptions::{
    PyConnectionRefusedError, PyConnectionResetError, PyOSError, PyRuntimeError, PyTimeoutError,
    PyTypeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rawcap::client::{
    self, ClientError, ClientOptions, Mode, ServeError, ServeOptions, Server as RawServer,
};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

fn client_error(e: ClientError) -> PyErr {
    let msg = e.to_string();
    match &e {
        ClientError::Refused { .. } => PyConnectionRefusedError::new_err(msg),
        ClientError::TimedOut { .. } => PyTimeoutError::new_err(msg),
        ClientError::Reset { .. } => PyConnectionResetError::new_err(msg),
        ClientError::Resolve { io, .. }
        | ClientError::Unreachable { io, .. }
        | ClientError::Io { io, .. } => match io.raw_os_error() {
            Some(errno) => PyOSError::new_err((errno, msg)),
            None => PyOSError::new_err(msg),
        },
    }
}

fn serve_error(e: ServeError) -> PyErr {
    PyOSError::new_err(e.to_string())
}

fn seconds(name: &str, t: f64) -> PyResult<Duration> {
    if t > 0.0 && t < 1e9 {
        Ok(Duration::from_secs_f64(t))
    } else {
        Err(PyValueError::new_err(format!(
            "{name} must be a positive number of seconds"
        )))
    }
}

/// `HOST:PORT`, bracketing IPv6 literals.
fn target(host: &str, port: u16) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// exchange(host, port, message=b'Hello, server!', timeout=5.0) -> bytes
///
/// The seed program's client: connects to host:port, sends message (str
/// is sent as UTF-8), shuts down its sending half, receives until the peer
/// closes (or 1 MiB, or `timeout` seconds after connecting), closes, and
/// returns what came back. Connecting waits at most `timeout` per address.
///
/// Raises ConnectionRefusedError, TimeoutError (nothing came back in
/// time), ConnectionResetError, or OSError naming the address.
#[pyfunction]
#[pyo3(signature = (host, port, message = None, timeout = 5.0, *, half_close = true))]
#[pyo3(text_signature = "(host, port, message=b'Hello, server!', timeout=5.0, *, half_close=True)")]
fn exchange<'py>(
    py: Python<'py>,
    host: &str,
    port: u16,
    message: Option<&Bound<'py, PyAny>>,
    timeout: f64,
    half_close: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let message: Vec<u8> = match message {
        None => client::DEFAULT_MESSAGE.as_bytes().to_vec(),
        Some(m) => {
            if let Ok(s) = m.extract::<String>() {
                s.into_bytes()
            } else if let Ok(b) = m.cast::<PyBytes>() {
                b.as_bytes().to_vec()
            } else {
                return Err(PyTypeError::new_err("message must be str or bytes"));
            }
        }
    };
    let t = seconds("timeout", timeout)?;
    let opts = ClientOptions {
        connect_timeout: t,
        read_timeout: t,
        half_close,
        ..ClientOptions::default()
    };
    let to = target(host, port);
    let ex = py
        .detach(move || client::exchange(&to, &message, &opts))
        .map_err(client_error)?;
    Ok(PyBytes::new(py, &ex.received))
}

/// What the server thread returns.
type Served = Result<client::ServeSummary, ServeError>;

/// A server started by rawcap.serve(), running in a thread of its own.
///
/// address is the (host, port) it listens on (port 0 picks a free one);
/// join() waits for it to stop (after `count` connections or `timeout`
/// seconds) and returns the number of connections it served; requests
/// lists the HTTP request lines it answered.
#[pyclass(module = "rawcap")]
pub struct Server {
    host: String,
    port: u16,
    thread: Mutex<Option<JoinHandle<Served>>>,
    requests: Arc<Mutex<Vec<String>>>,
    served: Option<u64>,
}

/// serve(host='127.0.0.1', port=0, *, http=False, count=None, timeout=None) -> Server
///
/// Starts `rawcap serve` in a background thread: an echo server (what it
/// reads it writes back, until the client half-closes) or, with
/// http=True, an HTTP server answering every request with a small
/// "200 OK" page. It stops after `count` connections or `timeout` seconds;
/// with neither it runs until the process ends.
#[pyfunction]
#[pyo3(signature = (host = "127.0.0.1", port = 0, *, http = false, count = None, timeout = None))]
fn serve(
    host: &str,
    port: u16,
    http: bool,
    count: Option<u64>,
    timeout: Option<f64>,
) -> PyResult<Server> {
    let opts = ServeOptions {
        mode: if http { Mode::Http } else { Mode::Echo },
        count,
        timeout: timeout.map(|t| seconds("timeout", t)).transpose()?,
        ..ServeOptions::default()
    };
    let server = RawServer::bind(&target(host, port), opts).map_err(serve_error)?;
    let addr = server.local_addr();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&requests);
    let thread = std::thread::Builder::new()
        .name("rawcap-serve".into())
        .spawn(move || {
            server.run(|c| {
                if let (Some(line), Ok(mut v)) = (&c.request_line, log.lock()) {
                    v.push(line.clone());
                }
            })
        })
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start the server thread: {e}")))?;
    Ok(Server {
        host: addr.ip().to_string(),
        port: addr.port(),
        thread: Mutex::new(Some(thread)),
        requests,
        served: None,
    })
}

#[pymethods]
impl Server {
    /// (host, port) the server listens on.
    #[getter]
    fn address(&self) -> (String, u16) {
        (self.host.clone(), self.port)
    }

    /// The port the server listens on.
    #[getter]
    fn port(&self) -> u16 {
        self.port
    }

    /// The HTTP request lines answered so far (http=True).
    #[getter]
    fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|v| v.clone()).unwrap_or_default()
    }

    /// join(timeout=None) -> int | None: waits for the server to stop and
    /// returns the connections it served; None if `timeout` seconds passed
    /// first. Raises OSError if the server failed.
    #[pyo3(signature = (timeout = None))]
    fn join(&mut self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Option<u64>> {
        if let Some(n) = self.served {
            return Ok(Some(n));
        }
        let deadline = timeout.map(|t| Instant::now() + Duration::from_secs_f64(t.max(0.0)));
        let slot = self.thread.get_mut().unwrap_or_else(|e| e.into_inner());
        loop {
            let finished = slot.as_ref().is_none_or(|t| t.is_finished());
            if finished {
                break;
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Ok(None);
            }
            py.detach(|| std::thread::sleep(Duration::from_millis(5)));
            py.check_signals()?;
        }
        let Some(t) = slot.take() else {
            return Ok(self.served);
        };
        let summary = t
            .join()
            .map_err(|_| PyRuntimeError::new_err("the server thread panicked"))?
            .map_err(serve_error)?;
        self.served = Some(summary.connections);
        Ok(self.served)
    }

    fn __repr__(&self) -> String {
        format!("<rawcap.Server {}>", target(&self.host, self.port))
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Server>()?;
    m.add_function(wrap_pyfunction!(exchange, m)?)?;
    m.add_function(wrap_pyfunction!(serve, m)?)?;
    Ok(())
}
