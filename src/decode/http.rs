//! HTTP (print-http.c): the text-protocol printer with HTTP's request
//! names, and the request or status line JSON shows as `http`.

use super::dispatch::Segment;
use super::text::Printer;
use super::trunc::Printed;
use super::txtproto;

/// HTTP on port 80 or 8080.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    txtproto::print(p, out, seg, "HTTP", Some(HTTP_CMDS))
}

/// Request names print-http.c knows.
const HTTP_CMDS: &[&str] = &[
    "OPTIONS",
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "DELETE",
    "TRACE",
    "CONNECT",
    "PATCH",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "BCOPY",
    "BMOVE",
    "LABEL",
    "MERGE",
    "POLL",
    "REPORT",
    "SEARCH",
    "UPDATE",
    "NOTIFY",
    "BDELETE",
    "CHECKIN",
    "CHECKOUT",
    "CCM_POST",
    "SUBSCRIBE",
    "BPROPFIND",
    "BPROPPATCH",
    "UNCHECKOUT",
    "MKACTIVITY",
    "MKWORKSPACE",
    "UNSUBSCRIBE",
    "RPC_CONNECT",
    "VERSION-CONTROL",
    "BASELINE-CONTROL",
];

/// Methods that start a request line for [`http_line`].
const HTTP_METHODS: &[&str] = &[
    "GET", "PUT", "POST", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH",
];

/// The first line of `payload` if it is an HTTP request or status line.
pub fn http_line(payload: &[u8]) -> Option<&str> {
    let end = payload.iter().position(|&b| b == b'\r' || b == b'\n')?;
    let line = core::str::from_utf8(&payload[..end]).ok()?;
    let first = line.split(' ').next()?;
    let is_req = HTTP_METHODS.contains(&first) && line.contains(" HTTP/");
    if is_req || line.starts_with("HTTP/") {
        Some(line)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_and_status_lines() {
        assert_eq!(
            http_line(b"GET / HTTP/1.1\r\nHost: x"),
            Some("GET / HTTP/1.1")
        );
        assert_eq!(http_line(b"HTTP/1.1 200 OK\r\n"), Some("HTTP/1.1 200 OK"));
        assert_eq!(http_line(b"GET / HTTP/1.1"), None);
        assert_eq!(http_line(b"FOO / HTTP/1.1\r\n"), None);
    }
}
