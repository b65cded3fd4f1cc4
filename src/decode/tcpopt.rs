//! TCP options as print-tcp.c prints them inside `options [...]`, with
//! MPTCP's subtypes (print-mptcp.c) and TCP Fast Open.

use super::demux::Ip;
use super::num::push_num;
use super::trunc::{mark, Bytes, Trunc};
use super::util::{tok, Tok};
use core::fmt::Write;

/// How the option list ended.
pub(super) enum End {
    /// `]` was printed; the segment's line goes on.
    Done,
    /// `[bad opt]` or a truncation marker ended the line.
    Stop,
}

const NAMES: &Tok = &[
    (0, "eol"),
    (1, "nop"),
    (2, "mss"),
    (3, "wscale"),
    (4, "sackOK"),
    (5, "sack"),
    (6, "echo"),
    (7, "echoreply"),
    (8, "TS"),
    (11, "cc"),
    (12, "ccnew"),
    (13, ""),
    (19, "md5"),
    (20, "scps"),
    (28, "uto"),
    (29, "tcp-ao"),
    (30, "mptcp"),
    (34, "tfo"),
    (254, "exp"),
];

/// The options: `b` is the TCP header, the options are the `optlen`
/// bytes after its fixed 20; `base` is subtracted from SACK edges (the
/// relative sequence numbers); `payload_captured` says whether the whole
/// payload is there (md5's check needs it).
pub(super) fn print(
    out: &mut String,
    b: &Bytes<'_>,
    optlen: usize,
    flags: u8,
    base: u32,
    payload_captured: bool,
) -> Result<End, Trunc> {
    out.push_str(", options [");
    let mut proto = "tcp";
    let mut ch = false;
    let mut hlen = optlen;
    let mut cp = 20;
    // goto bad / goto trunc.
    let bad = |out: &mut String, ch: bool| {
        out.push_str("[bad opt]");
        if ch {
            out.push(']');
        }
        Ok(End::Stop)
    };
    let trunc = |out: &mut String, ch: bool, proto: &str| {
        mark(out, proto);
        if ch {
            out.push('>');
        }
        Ok(End::Stop)
    };
    while hlen > 0 {
        if ch {
            out.push(',');
        }
        let g = b.named(proto);
        let opt = g.u8(cp)?;
        cp += 1;
        let zerolen = opt == 0 || opt == 1;
        let len = if zerolen {
            1
        } else {
            let l = usize::from(g.u8(cp)?);
            cp += 1;
            if l < 2 || l > hlen {
                return bad(out, ch);
            }
            hlen -= 1;
            l
        };
        hlen -= 1;
        match tok(NAMES, u32::from(opt)) {
            Some(n) => out.push_str(n),
            None => {
                let _ = write!(out, "unknown-{opt}");
            }
        }
        // LENCHECK: `l` bytes of data left and captured.
        macro_rules! lencheck {
            ($l:expr) => {
                if $l > hlen {
                    return bad(out, ch);
                }
                if !b.has(cp, $l) {
                    return trunc(out, ch, proto);
                }
            };
        }
        let mut datalen = 0;
        match opt {
            2 => {
                datalen = 2;
                lencheck!(datalen);
                out.push(' ');
                push_num(out, u64::from(g.be16(cp)?));
            }
            3 => {
                datalen = 1;
                lencheck!(datalen);
                let _ = write!(out, " {}", g.u8(cp)?);
            }
            5 => {
                datalen = len - 2;
                if datalen % 8 != 0 {
                    out.push_str(" invalid sack");
                } else {
                    let _ = write!(out, " {} ", datalen / 8);
                    let mut i = 0;
                    while i < datalen {
                        lencheck!(i + 4);
                        let s = g.be32(cp + i)?.wrapping_sub(base);
                        lencheck!(i + 8);
                        let e = g.be32(cp + i + 4)?.wrapping_sub(base);
                        let _ = write!(out, "{{{s}:{e}}}");
                        i += 8;
                    }
                }
            }
            6 | 7 | 11 | 12 | 13 => {
                datalen = 4;
                lencheck!(datalen);
                let _ = write!(out, " {}", g.be32(cp)?);
            }
            8 => {
                datalen = 8;
                lencheck!(datalen);
                out.push_str(" val ");
                push_num(out, u64::from(g.be32(cp)?));
                out.push_str(" ecr ");
                push_num(out, u64::from(g.be32(cp + 4)?));
            }
            19 => {
                datalen = 16;
                lencheck!(datalen);
                out.push(' ');
                out.push_str(if payload_captured {
                    "shared secret not supplied with -M, "
                } else {
                    "snaplen too short, "
                });
                out.push_str("can't check - ");
                for i in 0..16 {
                    let _ = write!(out, "{:02x}", g.u8(cp + i)?);
                }
            }
            20 => {
                datalen = 2;
                lencheck!(datalen);
                let _ = write!(out, " cap {:02x} id {}", g.u8(cp)?, g.u8(cp + 1)?);
            }
            29 => {
                datalen = len - 2;
                if datalen < 2 {
                    out.push_str(" (invalid)");
                } else {
                    lencheck!(1);
                    let _ = write!(out, " keyid {}", g.u8(cp)?);
                    lencheck!(2);
                    let _ = write!(out, " rnextkeyid {}", g.u8(cp + 1)?);
                    if datalen > 2 {
                        out.push_str(" mac 0x");
                        for i in 2..datalen {
                            lencheck!(i + 1);
                            let _ = write!(out, "{:02x}", g.u8(cp + i)?);
                        }
                    }
                }
            }
            0 | 1 | 4 => {}
            28 => {
                datalen = 2;
                lencheck!(datalen);
                let v = u32::from(g.be16(cp)?);
                let _ = write!(out, " 0x{v:x}");
                let v = if v & 1 != 0 { (v >> 1) * 60 } else { v >> 1 };
                let _ = write!(out, " {v}");
            }
            30 => {
                datalen = len - 2;
                lencheck!(datalen);
                proto = "mptcp";
                let opt = b.take(cp - 2, len)?;
                if !mptcp(out, &Bytes::new(opt, "mptcp"), len, flags)? {
                    return bad(out, ch);
                }
            }
            34 => {
                datalen = len - 2;
                lencheck!(datalen);
                out.push(' ');
                fastopen(out, &g, cp, datalen, false)?;
            }
            254 => {
                datalen = len - 2;
                lencheck!(datalen);
                if datalen < 2 {
                    return bad(out, ch);
                }
                let magic = g.be16(cp)?;
                out.push('-');
                if magic == 0xf989 {
                    fastopen(out, &g, cp + 2, datalen - 2, true)?;
                } else {
                    let _ = write!(out, "{magic:04x}");
                }
            }
            _ => {
                datalen = len - 2;
                if datalen != 0 {
                    out.push_str(" 0x");
                }
                for i in 0..datalen {
                    lencheck!(i + 1);
                    let _ = write!(out, "{:02x}", g.u8(cp + i)?);
                }
            }
        }
        cp += datalen;
        hlen -= datalen;
        let seen = datalen + 1 + usize::from(!zerolen);
        if seen != len {
            let _ = write!(out, "[len {len}]");
        }
        ch = true;
        if opt == 0 {
            break;
        }
    }
    out.push(']');
    Ok(End::Done)
}

/// print_tcp_fastopen_option.
fn fastopen(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    datalen: usize,
    exp: bool,
) -> Result<(), Trunc> {
    if exp {
        out.push_str("tfo");
    }
    if datalen == 0 {
        out.push_str(" cookiereq");
    } else if datalen % 2 != 0 || !(4..=16).contains(&datalen) {
        out.push_str(" (invalid)");
    } else {
        out.push_str(" cookie ");
        for i in 0..datalen {
            let _ = write!(out, "{:02x}", b.u8(at + i)?);
        }
    }
    Ok(())
}

const MPTCP_NAMES: [&str; 9] = [
    "capable",
    "join",
    "dss",
    "add-addr",
    "rem-addr",
    "prio",
    "fail",
    "fast-close",
    "unknown",
];

const SYN: u8 = 0x02;
const ACK: u8 = 0x10;

/// mptcp_print: `false` when the option is malformed (`[bad opt]`).
fn mptcp(out: &mut String, b: &Bytes<'_>, len: usize, flags: u8) -> Result<bool, Trunc> {
    if len < 3 {
        return Ok(false);
    }
    let sub = usize::from((b.u8(2)? >> 4) & 0xf).min(8);
    let _ = write!(out, " {len} {}", MPTCP_NAMES[sub]);
    match sub {
        0 => {
            let ok_syn = (len == 12 || len == 4) && flags & SYN != 0;
            let ok_ack = (len == 20 || len == 22) && flags & (SYN | ACK) == ACK;
            if !ok_syn && !ok_ack {
                return Ok(false);
            }
            let version = b.u8(2)? & 0xf;
            if version > 1 {
                let _ = write!(out, " Unknown Version ({version})");
                return Ok(true);
            }
            let _ = write!(out, " v{version}");
            if b.u8(3)? & 0x80 != 0 {
                out.push_str(" csum");
            }
            if len == 12 || len >= 20 {
                let _ = write!(out, " {{0x{:x}", b.be64(4)?);
                if len >= 20 {
                    let _ = write!(out, ",0x{:x}", b.be64(12)?);
                }
                out.push('}');
            }
        }
        1 => {
            let fits = (len == 12 && flags & SYN != 0)
                || (len == 16 && flags & (SYN | ACK) == SYN | ACK)
                || (len == 24 && flags & ACK != 0);
            if !fits {
                return Ok(false);
            }
            if len != 24 {
                if b.u8(2)? & 1 != 0 {
                    out.push_str(" backup");
                }
                let _ = write!(out, " id {}", b.u8(3)?);
            }
            match len {
                12 => {
                    let _ = write!(out, " token 0x{:x} nonce 0x{:x}", b.be32(4)?, b.be32(8)?);
                }
                16 => {
                    let _ = write!(out, " hmac 0x{:x} nonce 0x{:x}", b.be64(4)?, b.be32(12)?);
                }
                _ => {
                    // print-mptcp.c reads the MAC without a bounds check.
                    out.push_str(" hmac 0x");
                    for i in 0..20 {
                        let _ = write!(out, "{:02x}", b.data().get(4 + i).copied().unwrap_or(0));
                    }
                }
            }
        }
        2 => return dss(out, b, len, flags),
        3 => {
            if ![8, 10, 16, 18, 20, 22, 28, 30].contains(&len) {
                return Ok(false);
            }
            let echo = b.u8(2)? & 0xf;
            let name = match echo {
                6 => "v0-ip6",
                4 => "v0-ip4",
                1 => "v1-echo",
                0 => "v1",
                _ => "[bad version/echo]",
            };
            let _ = write!(out, " {name} id {}", b.u8(3)?);
            // The address, then an optional port, then an optional HMAC;
            // which are there follows from the length.
            let alen = if [8, 10, 16, 18].contains(&len) {
                4
            } else {
                16
            };
            let end = 4 + alen;
            let _ = write!(out, " {}", Ip::addr(b.take(4, alen)?));
            let with_port = len == end + 2 || len == end + 10;
            if with_port {
                let _ = write!(out, ":{}", b.be16(end)?);
            }
            if len >= end + 8 {
                let mac = if with_port { end + 2 } else { end };
                let _ = write!(out, " hmac 0x{:x}", b.be64(mac)?);
            }
        }
        4 => {
            if len < 4 {
                return Ok(false);
            }
            out.push_str(" id");
            for i in 0..len - 3 {
                let _ = write!(out, " {}", b.u8(3 + i)?);
            }
        }
        5 => {
            if len != 3 && len != 4 {
                return Ok(false);
            }
            out.push_str(if b.u8(2)? & 1 != 0 {
                " backup"
            } else {
                " non-backup"
            });
            if len == 4 {
                let _ = write!(out, " id {}", b.u8(3)?);
            }
        }
        6 => {
            if len != 12 {
                return Ok(false);
            }
            let _ = write!(out, " seq {}", b.be64(4)?);
        }
        7 => {
            if len != 12 {
                return Ok(false);
            }
            let _ = write!(out, " key 0x{:x}", b.be64(4)?);
        }
        _ => {}
    }
    Ok(true)
}

/// mp_dss_print.
fn dss(out: &mut String, b: &Bytes<'_>, len: usize, flags: u8) -> Result<bool, Trunc> {
    if len < 4 || flags & SYN != 0 {
        return Ok(false);
    }
    let f = b.u8(3)?;
    if f & 0x10 != 0 {
        out.push_str(" fin");
    }
    let mut at = 4;
    let mut rest = len - 4;
    let mut take = |n: usize, rest: &mut usize| -> Option<usize> {
        if *rest < n {
            return None;
        }
        let here = at;
        at += n;
        *rest -= n;
        Some(here)
    };
    // A 4- or 8-byte number (the `a`/`m` flag says 8), or `None` when the
    // option is too short.
    let mut number = |wide: bool, rest: &mut usize| -> Result<Option<u64>, Trunc> {
        let n = if wide { 8 } else { 4 };
        match take(n, rest) {
            None => Ok(None),
            Some(a) if wide => Ok(Some(b.be64(a)?)),
            Some(a) => Ok(Some(u64::from(b.be32(a)?))),
        }
    };
    if f & 0x01 != 0 {
        out.push_str(" ack ");
        let Some(n) = number(f & 0x02 != 0, &mut rest)? else {
            return Ok(false);
        };
        let _ = write!(out, "{n}");
    }
    if f & 0x04 != 0 {
        out.push_str(" seq ");
        let Some(n) = number(f & 0x08 != 0, &mut rest)? else {
            return Ok(false);
        };
        let _ = write!(out, "{n}");
        let Some(a) = take(4, &mut rest) else {
            return Ok(false);
        };
        let _ = write!(out, " subseq {}", b.be32(a)?);
        let Some(a) = take(2, &mut rest) else {
            return Ok(false);
        };
        let _ = write!(out, " len {}", b.be16(a)?);
        if rest >= 2 {
            let a = take(2, &mut rest).unwrap_or(at);
            let _ = write!(out, " csum 0x{:x}", b.be16(a)?);
        }
    }
    Ok(rest == 0)
}
