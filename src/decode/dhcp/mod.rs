//! BOOTP and DHCPv4 (print-bootp.c): `BOOTP/DHCP, Request from MAC,
//! length N`, with `-v` the header fields and every RFC 1048 option by
//! tcpdump's names and formats (or the CMU vendor area), and the facts
//! JSON carries (message type, client MAC, requested and assigned
//! addresses, hostname).
//!
//! The options are read up to the captured end (tcpdump does not stop at
//! the UDP length either); an option longer than what was captured ends
//! the line with ` [|bootp]`.

use super::dispatch::Segment;
use super::ether::mac_name;
use super::json::Obj;
use super::nd::{bittok, printztn, tok};
use super::num::{mac, push_ip4};
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use core::fmt::Write;

mod options;
use options::{rfc1048, DHCP_MSG};

/// Where the fields of a BOOTP message start.
mod field {
    pub const XID: usize = 4;
    pub const SECS: usize = 8;
    pub const FLAGS: usize = 10;
    pub const CIADDR: usize = 12;
    pub const YIADDR: usize = 16;
    pub const CHADDR: usize = 28;
    pub const SNAME: usize = 44;
    pub const FILE: usize = 108;
    pub const VEND: usize = 236;
}

const TAG_PAD: u8 = 0;
const TAG_HOSTNAME: u8 = 12;
const TAG_REQUESTED_IP: u8 = 50;
const TAG_DHCP_MESSAGE: u8 = 53;
const TAG_PARM_REQUEST: u8 = 55;
const TAG_END: u8 = 255;

pub(super) fn ip_at(out: &mut String, b: &Bytes<'_>, at: usize) -> Printed {
    let a = b.take(at, 4)?;
    push_ip4(out, [a[0], a[1], a[2], a[3]]);
    Ok(())
}

/// bootp_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "bootp");
    let op = b.u8(0)?;
    match op {
        1 => out.push_str("BOOTP/DHCP, Request"),
        2 => out.push_str("BOOTP/DHCP, Reply"),
        _ => {
            let _ = write!(out, "BOOTP/DHCP, unknown (0x{op:02x})");
        }
    }
    let htype = b.u8(1)?;
    let hlen = b.u8(2)?;
    let ether = htype == 1 && hlen == 6;
    if ether && op == 1 {
        let _ = write!(
            out,
            " from {}",
            mac_name(b.take(field::CHADDR, 6)?, p.opts.numeric)
        );
    }
    let _ = write!(out, ", length {}", seg.len);
    if p.opts.verbose == 0 {
        return Ok(());
    }
    if !checked(out, &b, field::SECS, 2) {
        return Ok(());
    }
    if htype != 1 {
        let _ = write!(out, ", htype {htype}");
    }
    if !ether {
        let _ = write!(out, ", hlen {hlen}");
    }
    let hops = b.u8(3)?;
    if hops != 0 {
        let _ = write!(out, ", hops {hops}");
    }
    let xid = b.be32(field::XID)?;
    if xid != 0 {
        let _ = write!(out, ", xid 0x{xid:x}");
    }
    let secs = b.be16(field::SECS)?;
    if secs != 0 {
        let _ = write!(out, ", secs {secs}");
    }
    let flags = b.be16(field::FLAGS)?;
    out.push_str(", Flags [");
    bittok(
        out,
        &[(0x8000, "Broadcast")],
        "none",
        u32::from(flags),
        ", ",
    );
    out.push(']');
    if p.opts.verbose > 1 {
        let _ = write!(out, " (0x{flags:04x})");
    }
    for (k, label) in ["Client-IP", "Your-IP", "Server-IP", "Gateway-IP"]
        .iter()
        .enumerate()
    {
        let at = field::CIADDR + 4 * k;
        if b.be32(at)? != 0 {
            let _ = write!(out, "\n\t  {label} ");
            ip_at(out, &b, at)?;
        }
    }
    if ether {
        let _ = write!(
            out,
            "\n\t  Client-Ethernet-Address {}",
            mac_name(b.take(field::CHADDR, 6)?, p.opts.numeric)
        );
    }
    for (at, n, label) in [(field::SNAME, 64, "sname"), (field::FILE, 128, "file")] {
        if b.u8(at)? != 0 {
            let _ = write!(out, "\n\t  {label} \"");
            let used = printztn(out, &b, at, n, true)?;
            out.push('"');
            if used == 0 {
                // 4.99.3 takes a name without its NUL for a cut one.
                super::trunc::mark(out, "bootp");
                return Ok(());
            }
        }
    }
    vendor(p, out, &b)
}

/// tcpdump's `ND_TCHECK_LEN` (`goto trunc`, no longjmp): `false` after
/// printing the marker when `n` bytes from `at` were not captured, so
/// `-x` dumps from the network header; a missed `GET_` read is an `Err`
/// instead (the longjmp, after which tcpdump dumps the whole frame).
fn checked(out: &mut String, b: &Bytes<'_>, at: usize, n: usize) -> bool {
    let ok = b.has(at, n);
    if !ok {
        super::trunc::mark(out, "bootp");
    }
    ok
}

/// The vendor area (bootp_print's end).
fn vendor(p: &Printer, out: &mut String, b: &Bytes<'_>) -> Printed {
    if !checked(out, b, field::VEND, 4) {
        return Ok(());
    }
    let magic = b.take(field::VEND, 4)?;
    if magic == [99, 130, 83, 99] {
        rfc1048(p, out, &b.from(field::VEND))?;
    } else if magic == b"CMU\0" {
        // cmu_print checks each field first (ND_TCHECK_4, goto trunc).
        let r = cmu(out, &b.from(field::VEND));
        super::trunc::caught(out, r)?;
    } else {
        let ul = b.be32(field::VEND)?;
        if ul != 0 {
            let _ = write!(out, "\n\t  Vendor-#0x{ul:x}");
        }
    }
    Ok(())
}

/// cmu_print: the CMU vendor area.
fn cmu(out: &mut String, b: &Bytes<'_>) -> Printed {
    out.push_str(" vend-cmu");
    b.take(4, 4)?;
    let flags = b.u8(4)?;
    if flags & !1 != 0 {
        let _ = write!(out, " F:0x{flags:x}");
    }
    let sm = if flags & 1 != 0 { "SM" } else { "SM*" };
    for (at, label) in [
        (12, "DG"),
        (8, sm),
        (16, "NS1"),
        (20, "NS2"),
        (24, "IEN1"),
        (28, "IEN2"),
        (32, "TS1"),
        (36, "TS2"),
    ] {
        if b.be32(at)? != 0 {
            let _ = write!(out, " {label}:");
            ip_at(out, b, at)?;
        }
    }
    Ok(())
}

/// The facts `--json` carries for a BOOTP/DHCP message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dhcp {
    /// 1 request, 2 reply.
    pub op: u8,
    /// The transaction id.
    pub xid: u32,
    /// The DHCP message type (option 53), if present.
    pub msg_type: Option<u8>,
    /// The client hardware address (Ethernet: 6 bytes).
    pub client_mac: Option<[u8; 6]>,
    /// The client's current address (ciaddr), when not 0.0.0.0.
    pub client_ip: Option<[u8; 4]>,
    /// The address assigned (yiaddr), when not 0.0.0.0.
    pub your_ip: Option<[u8; 4]>,
    /// The address requested (option 50).
    pub requested_ip: Option<[u8; 4]>,
    /// The server identifier (option 54).
    pub server_id: Option<[u8; 4]>,
    /// The hostname (option 12), bytes as text.
    pub hostname: Option<String>,
}

/// Reads the JSON facts (`None` when the fixed header was not captured).
pub fn parse(data: &[u8]) -> Option<Dhcp> {
    let hdr = data.get(..field::VEND)?;
    let ip = |at: usize| {
        let a = [hdr[at], hdr[at + 1], hdr[at + 2], hdr[at + 3]];
        (a != [0; 4]).then_some(a)
    };
    let mut d = Dhcp {
        op: hdr[0],
        xid: u32::from_be_bytes([hdr[4], hdr[5], hdr[6], hdr[7]]),
        client_ip: ip(field::CIADDR),
        your_ip: ip(field::YIADDR),
        ..Dhcp::default()
    };
    if hdr[1] == 1 && hdr[2] == 6 {
        let mut m = [0u8; 6];
        m.copy_from_slice(&hdr[field::CHADDR..field::CHADDR + 6]);
        d.client_mac = Some(m);
    }
    if data.get(field::VEND..field::VEND + 4) != Some(&[99, 130, 83, 99]) {
        return Some(d);
    }
    let mut at = field::VEND + 4;
    while let Some(&t) = data.get(at) {
        match t {
            TAG_PAD => {
                at += 1;
                continue;
            }
            TAG_END => break,
            _ => {}
        }
        let Some(&len) = data.get(at + 1) else {
            break;
        };
        let Some(v) = data.get(at + 2..at + 2 + usize::from(len)) else {
            break;
        };
        let addr = || <[u8; 4]>::try_from(v).ok();
        match t {
            TAG_DHCP_MESSAGE if len == 1 => d.msg_type = Some(v[0]),
            TAG_REQUESTED_IP => d.requested_ip = addr(),
            54 => d.server_id = addr(),
            TAG_HOSTNAME => {
                let mut s = String::new();
                for &c in v {
                    super::nd::print_char(&mut s, c);
                }
                d.hostname = Some(s);
            }
            _ => {}
        }
        at += 2 + usize::from(len);
    }
    Some(d)
}

/// JSON: `"dhcp":{op, xid, msg_type, client_mac, ...}`.
pub(super) fn json(o: &mut Obj<'_>, seg: &Segment<'_>) {
    let Some(d) = parse(seg.data) else {
        return;
    };
    o.object("dhcp", |j| {
        j.str(
            "op",
            match d.op {
                1 => "request",
                2 => "reply",
                _ => "unknown",
            },
        );
        j.num("xid", d.xid);
        if let Some(t) = d.msg_type {
            j.str("msg_type", tok(DHCP_MSG, u32::from(t)).unwrap_or("unknown"));
            j.num("msg_type_num", t);
        }
        if let Some(m) = d.client_mac {
            j.str("client_mac", &mac(&m));
        }
        let ip = |a: [u8; 4]| {
            let mut s = String::new();
            push_ip4(&mut s, a);
            s
        };
        for (k, v) in [
            ("client_ip", d.client_ip),
            ("your_ip", d.your_ip),
            ("requested_ip", d.requested_ip),
            ("server_id", d.server_id),
        ] {
            if let Some(a) = v {
                j.str(k, &ip(a));
            }
        }
        if let Some(h) = &d.hostname {
            j.str("hostname", h);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::text::TextOptions;
    use std::time::{Duration, Instant};

    fn message(options: &[u8]) -> Vec<u8> {
        let mut m = vec![0u8; 236];
        m[..4].copy_from_slice(&[1, 1, 6, 0]);
        m[28..34].copy_from_slice(&[2, 0, 0, 0, 0, 1]);
        m.extend([99, 130, 83, 99]);
        m.extend(options);
        m
    }

    fn text(m: &[u8], verbose: u8) -> String {
        let mut p = Printer::new(TextOptions {
            numeric: true,
            verbose,
            ..Default::default()
        });
        let mut out = String::new();
        let seg = Segment {
            data: m,
            len: m.len(),
            sport: 68,
            dport: 67,
        };
        if let Err(t) = print(&mut p, &mut out, &seg) {
            crate::decode::trunc::mark(&mut out, t.0);
        }
        out
    }

    #[test]
    fn request_line_and_options() {
        let m = message(&[53, 1, 1, 12, 4, b'h', b'o', b's', b't', 255]);
        assert_eq!(
            text(&m, 0),
            "BOOTP/DHCP, Request from 02:00:00:00:00:01, length 250"
        );
        let v = text(&m, 1);
        assert!(v.contains("DHCP-Message (53), length 1: Discover"), "{v}");
        assert!(v.contains("Hostname (12), length 4: \"host\""), "{v}");
        let d = parse(&m).unwrap();
        assert_eq!(d.msg_type, Some(1));
        assert_eq!(d.hostname.as_deref(), Some("host"));
        assert_eq!(d.client_mac, Some([2, 0, 0, 0, 0, 1]));
        // Cut inside an option: tcpdump's [|bootp].
        assert!(text(&m[..245], 1).ends_with(" [|bootp]"));
    }

    #[test]
    fn a_64k_bogus_option_list_ends_quickly() {
        // 32,000 unknown empty options, then one that runs past the end.
        let mut opts = [200u8, 0].repeat(32_000);
        opts.extend([201, 255, 1]);
        let m = message(&opts);
        let start = Instant::now();
        for v in 0..4 {
            let t = text(&m, v);
            assert!(v < 1 || t.ends_with(" [|bootp]"), "{}", &t[t.len() - 40..]);
        }
        assert!(parse(&m).is_some());
        // A hang detector, not a speed target.
        assert!(start.elapsed() < Duration::from_secs(10));
    }
}
