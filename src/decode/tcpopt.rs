//! TCP options as print-tcp.c prints them inside `options [...]`.

use super::num::{be32, push_num};
use core::fmt::Write;

/// How the option list ended (print-tcp.c prints a cut option differently
/// depending on where the snapshot ends).
pub(super) enum Cut {
    /// Every option byte was there.
    Whole,
    /// An option's length byte is missing.
    Header,
    /// An option's data is cut; `first` if it is the first option.
    Data {
        /// No option came before it.
        first: bool,
    },
}

/// TCP options, comma separated; `sack_base` is subtracted from SACK edges
/// (tcpdump's relative sequence numbers).
pub(super) fn print(out: &mut String, mut b: &[u8], sack_base: u32) -> Cut {
    let mut first = true;
    while let Some(&kind) = b.first() {
        let was_first = first;
        if !first {
            out.push(',');
        }
        first = false;
        if kind == 0 || kind == 1 {
            out.push_str(if kind == 0 { "eol" } else { "nop" });
            b = &b[1..];
            if kind == 0 {
                break;
            }
            continue;
        }
        let Some(&len) = b.get(1) else {
            return Cut::Header;
        };
        let len = usize::from(len);
        if len < 2 {
            out.push_str("[bad opt]");
            return Cut::Whole;
        }
        if len > b.len() {
            out.push_str(option_name(kind).as_str());
            return Cut::Data { first: was_first };
        }
        let d = &b[2..len];
        match (kind, d.len()) {
            (2, 2) => {
                out.push_str("mss ");
                push_num(out, u64::from(u16::from_be_bytes([d[0], d[1]])));
            }
            (3, 1) => {
                let _ = write!(out, "wscale {}", d[0]);
            }
            (4, 0) => out.push_str("sackOK"),
            (5, n) if n % 8 == 0 => {
                let _ = write!(out, "sack {} ", n / 8);
                for blk in d.chunks(8) {
                    let s = be32(&blk[..4]).wrapping_sub(sack_base);
                    let e = be32(&blk[4..]).wrapping_sub(sack_base);
                    let _ = write!(out, "{{{s}:{e}}}");
                }
            }
            (8, 8) => {
                out.push_str("TS val ");
                push_num(out, u64::from(be32(&d[..4])));
                out.push_str(" ecr ");
                push_num(out, u64::from(be32(&d[4..])));
            }
            (28, 2) => {
                let v = u16::from_be_bytes([d[0], d[1]]);
                let unit = if v & 0x8000 != 0 { "min" } else { "sec" };
                let _ = write!(out, "uto {} {unit}", v & 0x7fff);
            }
            (30, _) => out.push_str("mptcp"),
            (34, 0) => out.push_str("tfo  cookiereq"),
            _ => {
                out.push_str(&option_name(kind));
                if !d.is_empty() {
                    out.push_str(" 0x");
                    for x in d {
                        let _ = write!(out, "{x:02x}");
                    }
                }
            }
        }
        b = &b[len..];
    }
    Cut::Whole
}

fn option_name(kind: u8) -> String {
    match kind {
        0 => "eol",
        1 => "nop",
        2 => "mss",
        3 => "wscale",
        4 => "sackOK",
        5 => "sack",
        6 => "echo",
        7 => "echoreply",
        8 => "TS",
        19 => "md5",
        28 => "uto",
        29 => "tcp-ao",
        30 => "mptcp",
        34 => "tfo",
        254 => "exp",
        k => return format!("unknown-{k}"),
    }
    .to_string()
}
