//! `rawcap client` and `rawcap serve`: thin wrappers over `rawcap::client`.
//!
//! Results go to stdout (`Received: ...`, the HTTP status line, one line per
//! served connection); notes about how an exchange ended go to stderr.

use super::config::{Client, Request, Serve};
use super::stdio::{note, Stdout};
use anyhow::Context;
use rawcap::client::{self, Mode, RecvEnd, Server, Stop};
use std::io::Write;

/// Runs `rawcap client`.
pub fn client(cfg: &Client) -> anyhow::Result<i32> {
    let (message, http) = match &cfg.request {
        Request::Http(request) => (request.clone(), true),
        Request::Message(m) => (m.clone(), false),
    };
    let opts = &cfg.options;
    let ex = client::exchange(&cfg.target, message.as_bytes(), opts)?;
    note!(
        "rawcap: {}: sent {} bytes, received {} bytes, {}",
        ex.peer,
        ex.sent,
        ex.received.len(),
        match ex.end {
            RecvEnd::Closed => "peer closed".to_string(),
            RecvEnd::Limit => format!("stopped at --max-bytes {}", opts.max_bytes),
            RecvEnd::Timeout => format!(
                "peer still open after --timeout {}",
                opts.read_timeout.as_secs_f64()
            ),
        }
    );
    if ex.sent < message.len() {
        note!(
            "rawcap: only {} of {} bytes were sent before receiving ended",
            ex.sent,
            message.len()
        );
    }
    if !http {
        writeln!(Stdout, "Received: {}", printable(&ex.received))?;
        return Ok(0);
    }
    let reply = client::parse_http_reply(&ex.received).with_context(|| {
        format!(
            "{}: the reply is not an HTTP response: {:?}",
            ex.peer,
            printable(&ex.received[..ex.received.len().min(64)])
        )
    })?;
    writeln!(Stdout, "{}", reply.status_line)?;
    writeln!(Stdout, "Body: {} bytes", reply.body.len())?;
    match reply.content_length {
        Some(n) if n != reply.body.len() && ex.end == RecvEnd::Closed => {
            note!("rawcap: Content-Length says {n} bytes")
        }
        _ => {}
    }
    Ok(0)
}

/// Runs `rawcap serve`.
pub fn serve(cfg: &Serve) -> anyhow::Result<i32> {
    let http = cfg.options.mode == Mode::Http;
    let server = Server::bind(&cfg.listen, cfg.options.clone())?;
    writeln!(
        Stdout,
        "Listening on {} ({})",
        server.local_addr(),
        if http { "http" } else { "echo" }
    )?;
    let summary = server.run(|c| {
        let what = match &c.request_line {
            Some(line) => format!("{line:?}"),
            None => "echo".to_string(),
        };
        let error = match &c.error {
            Some(e) => format!(", ended by: {e}"),
            None => String::new(),
        };
        // A closed stdout does not stop the serving; the summary line reports it.
        let _ = writeln!(
            Stdout,
            "{}: {what}, {} bytes in, {} bytes out{error}",
            c.peer, c.received, c.sent
        );
    })?;
    writeln!(
        Stdout,
        "Served {} connection{}, stopping: {}",
        summary.connections,
        if summary.connections == 1 { "" } else { "s" },
        match summary.stop {
            Stop::Count => "--count reached",
            Stop::Timeout => "--timeout passed",
        }
    )?;
    Ok(0)
}

/// The received bytes as one line: UTF-8 (lossy) with control characters escaped.
fn printable(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for c in String::from_utf8_lossy(bytes).chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_controls_only() {
        assert_eq!(printable(b"Hello, server!"), "Hello, server!");
        assert_eq!(printable(b"a\r\nb\x00"), "a\\r\\nb\\u{0}");
        assert_eq!(printable("héllo".as_bytes()), "héllo");
    }
}
