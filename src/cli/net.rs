//! `rawcap client` and `rawcap serve`: thin wrappers over `rawcap::client`.
//!
//! Results go to stdout (`Received: ...`, the HTTP status line, one line per
//! served connection); notes about how an exchange ended go to stderr.

use super::args::{ClientArgs, ServeArgs};
use anyhow::Context;
use rawcap::client::{self, ClientOptions, End, Mode, ServeOptions, Server, Stop};
use std::time::Duration;

/// Runs `rawcap client`.
pub fn client(args: &ClientArgs) -> anyhow::Result<i32> {
    let http_path = args.http.as_deref();
    if http_path.is_some() && args.message.is_some() {
        anyhow::bail!("client: give either MESSAGE or --http, not both");
    }
    let opts = ClientOptions {
        connect_timeout: seconds("--connect-timeout", args.connect_timeout)?,
        read_timeout: seconds("--timeout", args.timeout)?,
        max_bytes: args.max_bytes,
        half_close: http_path.is_none(),
    };
    let message = match http_path {
        Some(path) => client::http_get(&args.target, path),
        None => args
            .message
            .clone()
            .unwrap_or_else(|| client::DEFAULT_MESSAGE.to_string()),
    };
    let ex = client::exchange(&args.target, message.as_bytes(), &opts)?;
    eprintln!(
        "rawcap: {}: sent {} bytes, received {} bytes, {}",
        ex.peer,
        ex.sent,
        ex.received.len(),
        match ex.end {
            End::Closed => "peer closed".to_string(),
            End::Limit => format!("stopped at --max-bytes {}", args.max_bytes),
            End::Timeout => format!("peer still open after --timeout {}", args.timeout),
        }
    );
    if ex.sent < message.len() {
        eprintln!(
            "rawcap: only {} of {} bytes were sent before receiving ended",
            ex.sent,
            message.len()
        );
    }
    if http_path.is_none() {
        println!("Received: {}", printable(&ex.received));
        return Ok(0);
    }
    let reply = client::parse_http_reply(&ex.received).with_context(|| {
        format!(
            "{}: the reply is not an HTTP response: {:?}",
            ex.peer,
            printable(&ex.received[..ex.received.len().min(64)])
        )
    })?;
    println!("{}", reply.status_line);
    println!("Body: {} bytes", reply.body.len());
    match reply.content_length {
        Some(n) if n != reply.body.len() && ex.end == End::Closed => {
            eprintln!("rawcap: Content-Length says {n} bytes")
        }
        _ => {}
    }
    Ok(0)
}

/// Runs `rawcap serve`.
pub fn serve(args: &ServeArgs) -> anyhow::Result<i32> {
    let mode = if args.http { Mode::Http } else { Mode::Echo };
    let opts = ServeOptions {
        mode,
        count: args.count,
        timeout: args.timeout.map(|t| seconds("--timeout", t)).transpose()?,
        max_concurrent: args.max_concurrent,
        idle_timeout: seconds("--idle-timeout", args.idle_timeout)?,
    };
    let server = Server::bind(&args.listen, opts)?;
    println!(
        "Listening on {} ({})",
        server.local_addr(),
        if args.http { "http" } else { "echo" }
    );
    let summary = server.run(|c| {
        let what = match &c.request_line {
            Some(line) => format!("{line:?}"),
            None => "echo".to_string(),
        };
        let error = match &c.error {
            Some(e) => format!(", ended by: {e}"),
            None => String::new(),
        };
        println!(
            "{}: {what}, {} bytes in, {} bytes out{error}",
            c.peer, c.received, c.sent
        );
    })?;
    println!(
        "Served {} connection{}, stopping: {}",
        summary.connections,
        if summary.connections == 1 { "" } else { "s" },
        match summary.stop {
            Stop::Count => "--count reached",
            Stop::Timeout => "--timeout passed",
        }
    );
    Ok(0)
}

/// A positive, finite number of seconds from the flag `flag`.
fn seconds(flag: &str, secs: f64) -> anyhow::Result<Duration> {
    match Duration::try_from_secs_f64(secs) {
        Ok(d) if !d.is_zero() => Ok(d),
        _ => anyhow::bail!("{flag} {secs}: expected a positive number of seconds"),
    }
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

    #[test]
    fn seconds_rejects_nonsense() {
        assert_eq!(seconds("x", 0.25).unwrap(), Duration::from_millis(250));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(seconds("x", bad).is_err(), "{bad}");
        }
    }
}
