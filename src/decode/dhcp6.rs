//! DHCPv6 (print-dhcp6.c): `dhcp6 solicit`, with `-v` the transaction id
//! or relay addresses and every option tcpdump decodes, nested options and
//! relayed messages included.

use super::dispatch::Segment;
use super::dns::fqdn_in;
use super::nd::{printjnp, push_tok, tok, Tok};
use super::num::push_ip6;
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed, Trunc};
use core::fmt::Write;

const PROTO: &str = "dhcp6";

const MSG_TYPES: &Tok = &[
    (1, "solicit"),
    (2, "advertise"),
    (3, "request"),
    (4, "confirm"),
    (5, "renew"),
    (6, "rebind"),
    (7, "reply"),
    (8, "release"),
    (9, "decline"),
    (10, "reconfigure"),
    (11, "inf-req"),
    (12, "relay-fwd"),
    (13, "relay-reply"),
    (14, "leasequery"),
    (15, "leasequery-reply"),
];

const OPTIONS: &Tok = &[
    (1, "client-ID"),
    (2, "server-ID"),
    (3, "IA_NA"),
    (4, "IA_TA"),
    (5, "IA_ADDR"),
    (6, "option-request"),
    (7, "preference"),
    (8, "elapsed-time"),
    (9, "relay-message"),
    (11, "authentication"),
    (12, "server-unicast"),
    (13, "status-code"),
    (14, "rapid-commit"),
    (15, "user-class"),
    (16, "vendor-class"),
    (17, "vendor-specific-info"),
    (18, "interface-ID"),
    (19, "reconfigure-message"),
    (20, "reconfigure-accept"),
    (21, "SIP-servers-domain"),
    (22, "SIP-servers-address"),
    (23, "DNS-server"),
    (24, "DNS-search-list"),
    (25, "IA_PD"),
    (26, "IA_PD-prefix"),
    (31, "SNTP-servers"),
    (32, "lifetime"),
    (27, "NIS-server"),
    (28, "NIS+-server"),
    (29, "NIS-domain-name"),
    (30, "NIS+-domain-name"),
    (33, "BCMCS-domain-name"),
    (34, "BCMCS-server"),
    (36, "Geoconf-Civic"),
    (37, "Remote-ID"),
    (38, "Subscriber-ID"),
    (39, "Client-FQDN"),
    (40, "PANA-agent"),
    (41, "POSIX-timezone"),
    (42, "POSIX-tz-database"),
    (43, "Echo-request-option"),
    (44, "Lease-query"),
    (45, "LQ-client-data"),
    (46, "Clt-time"),
    (47, "LQ-relay-data"),
    (48, "LQ-client-link"),
    (56, "NTP-server"),
    (64, "AFTR-Name"),
    (112, "MUD-URL"),
];

const STATUS: &Tok = &[
    (0, "Success"),
    (1, "UnspecFail"),
    (2, "NoAddrsAvail"),
    (3, "NoBinding"),
    (4, "NotOnLink"),
    (5, "UseMulticast"),
    (6, "NoPrefixAvail"),
    (7, "UnknownQueryType"),
    (8, "MalformedQuery"),
    (9, "NotConfigured"),
    (10, "NotAllowed"),
];

fn opt_name(out: &mut String, t: u16) {
    push_tok(out, OPTIONS, u32::from(t), "opt_{}");
}

/// `prefix` and the IPv6 address at `at` (read first, as tcpdump's
/// arguments are evaluated before anything is printed).
fn ip6(out: &mut String, b: &Bytes<'_>, at: usize, prefix: &str) -> Printed {
    let a = b.take(at, 16)?;
    out.push_str(prefix);
    let mut w = [0u8; 16];
    w.copy_from_slice(a);
    push_ip6(out, w);
    Ok(())
}

fn hex(out: &mut String, b: &Bytes<'_>, from: usize, to: usize) -> Printed {
    for at in from..to {
        let _ = write!(out, "{:02x}", b.u8(at)?);
    }
    Ok(())
}

/// dhcp6_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    message(
        out,
        &Bytes::new(seg.data, PROTO),
        0,
        seg.len,
        p.opts.verbose > 0,
    )
}

/// A message at `cp` of `length` bytes (relayed messages nest).
fn message(out: &mut String, b: &Bytes<'_>, cp: usize, length: usize, verbose: bool) -> Printed {
    out.push_str("dhcp6");
    let ep = b.len().min(cp.saturating_add(length));
    if !b.has(cp, 4) {
        mark(out, PROTO);
        return Ok(());
    }
    let t = b.u8(cp)?;
    let name = tok(MSG_TYPES, u32::from(t));
    let name = name.map_or_else(|| format!("msgtype-{t}"), str::to_string);
    if !verbose {
        let _ = write!(out, " {name}");
        return Ok(());
    }
    let _ = write!(out, " {name} (");
    if t != 12 && t != 13 {
        let _ = write!(out, "xid={:x}", b.be32(cp)? & 0x00ff_ffff);
        options(out, b, cp + 4, ep)?;
    } else {
        ip6(out, b, cp + 2, "linkaddr=")?;
        ip6(out, b, cp + 18, " peeraddr=")?;
        options(out, b, cp + 34, ep)?;
    }
    out.push(')');
    Ok(())
}

/// dhcp6opt_print: the options from `cp` to `ep`; a cut ends the list with
/// ` [|dhcp6]` (and the callers go on printing their closing parentheses).
fn options(out: &mut String, b: &Bytes<'_>, mut cp: usize, ep: usize) -> Printed {
    while cp < ep {
        if ep < cp + 4 || !b.has(cp, 4) {
            mark(out, PROTO);
            return Ok(());
        }
        let optlen = usize::from(b.be16(cp + 2)?);
        if ep < cp + 4 + optlen {
            mark(out, PROTO);
            return Ok(());
        }
        let t = b.be16(cp)?;
        out.push_str(" (");
        opt_name(out, t);
        if !b.has(cp + 4, optlen) {
            mark(out, PROTO);
            return Ok(());
        }
        if !option(out, b, t, cp + 4, optlen)? {
            mark(out, PROTO);
            return Ok(());
        }
        cp += 4 + optlen;
    }
    Ok(())
}

/// One option's data and closing parenthesis; `false` where tcpdump goes
/// to its `trunc` label.
fn option(
    out: &mut String,
    b: &Bytes<'_>,
    t: u16,
    tp: usize,
    optlen: usize,
) -> Result<bool, Trunc> {
    let end = tp + optlen;
    let bad = |out: &mut String| out.push_str(" ?)");
    match t {
        1 | 2 => {
            if optlen < 2 {
                bad(out);
                return Ok(true);
            }
            match b.be16(tp)? {
                1 if optlen >= 8 => {
                    let _ = write!(
                        out,
                        " hwaddr/time type {} time {} ",
                        b.be16(tp + 2)?,
                        b.be32(tp + 4)?
                    );
                    hex(out, b, tp + 8, end)?;
                    out.push(')');
                }
                2 if optlen >= 10 => {
                    out.push_str(" vid ");
                    hex(out, b, tp + 2, tp + 10)?;
                    out.push(')');
                }
                3 if optlen >= 4 => {
                    let _ = write!(out, " hwaddr type {} ", b.be16(tp + 2)?);
                    hex(out, b, tp + 4, end)?;
                    out.push(')');
                }
                1..=3 => bad(out),
                x => {
                    let _ = write!(out, " type {x})");
                }
            }
        }
        5 => {
            if optlen < 24 {
                bad(out);
                return Ok(true);
            }
            ip6(out, b, tp, " ")?;
            let _ = write!(
                out,
                " pltime:{} vltime:{}",
                b.be32(tp + 16)?,
                b.be32(tp + 20)?
            );
            if optlen > 24 {
                options(out, b, tp + 24, end)?;
            }
            out.push(')');
        }
        6 | 43 => {
            if optlen % 2 != 0 {
                bad(out);
                return Ok(true);
            }
            for at in (tp..end).step_by(2) {
                out.push(' ');
                opt_name(out, b.be16(at)?);
            }
            out.push(')');
        }
        7 | 19 if optlen != 1 => bad(out),
        7 => {
            let _ = write!(out, " {})", b.u8(tp)?);
        }
        8 if optlen != 2 => bad(out),
        8 => {
            let _ = write!(out, " {})", b.be16(tp)?);
        }
        9 => {
            out.push_str(" (");
            // The nested message ends at the option's end.
            let inner = Bytes::new(&b.data()[..end.min(b.len())], PROTO);
            message(out, &inner, tp, optlen, true)?;
            out.push(')');
        }
        11 => auth(out, b, tp, optlen)?,
        14 | 20 => out.push(')'),
        18 | 38 => {
            out.push(' ');
            hex(out, b, tp, tp + optlen.min(10))?;
            out.push_str("...)");
        }
        19 => match b.u8(tp)? {
            5 => out.push_str(" for renew)"),
            11 => out.push_str(" for inf-req)"),
            x => {
                let _ = write!(out, " for ???({x:02x}))");
            }
        },
        22 | 23 | 31 | 27 | 28 | 34 | 40 | 48 => {
            if optlen % 16 != 0 {
                bad(out);
                return Ok(true);
            }
            for at in (tp..end).step_by(16) {
                ip6(out, b, at, " ")?;
            }
            out.push(')');
        }
        21 | 24 => {
            let mut at = tp;
            while at < end {
                out.push(' ');
                match fqdn_in(out, b.data(), at, end).map_err(|_| Trunc(PROTO))? {
                    Some(next) => at = next,
                    None => return Ok(false),
                }
            }
            out.push(')');
        }
        13 => {
            if optlen < 2 {
                bad(out);
                return Ok(true);
            }
            let code = b.be16(tp)?;
            out.push(' ');
            if code > 255 {
                out.push_str("INVALID code");
            } else {
                push_tok(out, STATUS, u32::from(code), "code{}");
            }
            out.push(')');
        }
        3 | 25 => {
            if optlen < 12 {
                bad(out);
                return Ok(true);
            }
            let _ = write!(
                out,
                " IAID:{} T1:{} T2:{}",
                b.be32(tp)?,
                b.be32(tp + 4)?,
                b.be32(tp + 8)?
            );
            if optlen > 12 {
                options(out, b, tp + 12, end)?;
            }
            out.push(')');
        }
        4 => {
            if optlen < 4 {
                bad(out);
                return Ok(true);
            }
            let _ = write!(out, " IAID:{}", b.be32(tp)?);
            if optlen > 4 {
                options(out, b, tp + 4, end)?;
            }
            out.push(')');
        }
        26 => {
            if optlen < 25 {
                bad(out);
                return Ok(true);
            }
            ip6(out, b, tp + 9, " ")?;
            let _ = write!(
                out,
                "/{} pltime:{} vltime:{}",
                b.u8(tp + 8)?,
                b.be32(tp)?,
                b.be32(tp + 4)?
            );
            if optlen > 25 {
                options(out, b, tp + 25, end)?;
            }
            out.push(')');
        }
        32 | 46 if optlen != 4 => bad(out),
        32 | 46 => {
            let _ = write!(out, " {})", b.be32(tp)?);
        }
        37 => {
            if optlen < 4 {
                bad(out);
                return Ok(true);
            }
            let _ = write!(out, " {} ", b.be32(tp)?);
            hex(out, b, tp + 4, tp + optlen.min(14))?;
            out.push_str("...)");
        }
        44 => {
            if optlen < 17 {
                bad(out);
                return Ok(true);
            }
            match b.u8(tp)? {
                1 => out.push_str(" by-address"),
                2 => out.push_str(" by-clientID"),
                x => {
                    let _ = write!(out, " type_{x}");
                }
            }
            ip6(out, b, tp + 1, " ")?;
            if optlen > 17 {
                options(out, b, tp + 17, end)?;
            }
            out.push(')');
        }
        45 => {
            if optlen > 0 {
                options(out, b, tp, end)?;
            }
            out.push(')');
        }
        47 => {
            if optlen < 16 {
                bad(out);
                return Ok(true);
            }
            ip6(out, b, tp, " ")?;
            out.push(' ');
            hex(out, b, tp + 16, tp + optlen.min(26))?;
            out.push_str("...)");
        }
        56 => return ntp_server(out, b, tp, optlen),
        64 => {
            if optlen < 3 {
                bad(out);
                return Ok(true);
            }
            out.push(' ');
            let (mut at, mut remain) = (tp, optlen);
            while remain > 0 && b.u8(at)? != 0 {
                let label = usize::from(b.u8(at)?);
                at += 1;
                if label < remain - 1 {
                    printjnp(out, b, at, label)?;
                    at += label;
                    remain -= label + 1;
                    if b.u8(at)? != 0 {
                        out.push('.');
                    }
                } else {
                    out.push_str(" ?");
                    break;
                }
            }
            out.push(')');
        }
        41 | 42 | 112 => {
            if optlen < 5 {
                bad(out);
                return Ok(true);
            }
            out.push(' ');
            printjnp(out, b, tp, optlen)?;
            out.push(')');
        }
        _ => out.push(')'),
    }
    Ok(true)
}

/// The authentication option.
fn auth(out: &mut String, b: &Bytes<'_>, mut tp: usize, optlen: usize) -> Printed {
    if optlen < 11 {
        out.push_str(" ?)");
        return Ok(());
    }
    let proto = b.u8(tp)?;
    match proto {
        2 => out.push_str(" proto: delayed"),
        3 => out.push_str(" proto: reconfigure"),
        x => {
            let _ = write!(out, " proto: {x}");
        }
    }
    match b.u8(tp + 1)? {
        1 => out.push_str(", alg: HMAC-MD5"),
        x => {
            let _ = write!(out, ", alg: {x}");
        }
    }
    match b.u8(tp + 2)? {
        0 => out.push_str(", RDM: mono"),
        x => {
            let _ = write!(out, ", RDM: {x}");
        }
    }
    tp += 3;
    out.push_str(", RD:");
    for _ in 0..4 {
        let _ = write!(out, " {:04x}", b.be16(tp)?);
        tp += 2;
    }
    let info = optlen - 11;
    match proto {
        2 if info == 0 => {}
        2 if info < 20 => out.push_str(" ??"),
        2 => {
            let realm = info - 20;
            if realm > 0 {
                out.push_str(", realm: ");
            }
            hex(out, b, tp, tp + realm)?;
            tp += realm;
            let _ = write!(out, ", key ID: {:08x}", b.be32(tp)?);
            tp += 4;
            out.push_str(", HMAC-MD5:");
            for _ in 0..4 {
                let _ = write!(out, " {:08x}", b.be32(tp)?);
                tp += 4;
            }
        }
        3 if info != 17 => out.push_str(" ??"),
        3 => {
            match b.u8(tp)? {
                1 => out.push_str(" reconfig-key"),
                2 => out.push_str(" type: HMAC-MD5"),
                _ => out.push_str(" type: ??"),
            }
            tp += 1;
            out.push_str(" value:");
            for _ in 0..4 {
                let _ = write!(out, " {:08x}", b.be32(tp)?);
                tp += 4;
            }
        }
        _ => out.push_str(" ??"),
    }
    out.push(')');
    Ok(())
}

/// The NTP server option's sub-options.
fn ntp_server(
    out: &mut String,
    b: &Bytes<'_>,
    mut tp: usize,
    optlen: usize,
) -> Result<bool, Trunc> {
    if optlen < 4 {
        out.push_str(" ?)");
        return Ok(true);
    }
    let end = tp + optlen;
    while tp < end - 4 {
        let code = b.be16(tp)?;
        let len = usize::from(b.be16(tp + 2)?);
        tp += 4;
        if tp + len > end {
            return Ok(false);
        }
        let _ = write!(out, " subopt:{code}");
        match code {
            1 | 2 if len == 16 => {
                ip6(out, b, tp, " ")?;
            }
            3 => {
                out.push(' ');
                if fqdn_in(out, b.data(), tp, tp + len)
                    .map_err(|_| Trunc(PROTO))?
                    .is_none()
                {
                    return Ok(false);
                }
            }
            _ => out.push_str(" ?"),
        }
        tp += len;
    }
    out.push(')');
    Ok(true)
}
