//! PPP control protocol options (print-ppp.c's print_lcp_config_options,
//! print_ipcp_config_options, print_ip6cp_config_options).

use super::nd;
use super::num::ip4_text;
use super::ppp::type_name;
use super::text::Printer;
use super::trunc::{Bytes, Trunc};
use super::util::{tok, tok_or, Tok};
use super::{ether::mac_name, oui};
use core::fmt::Write;

const LCP_OPTS: [&str; 31] = [
    "Vend-Ext",
    "MRU",
    "ACCM",
    "Auth-Prot",
    "Qual-Prot",
    "Magic-Num",
    "deprecated(6)",
    "PFC",
    "ACFC",
    "FCS-Alt",
    "SDP",
    "Num-Mode",
    "deprecated(12)",
    "Call-Back",
    "deprecated(14)",
    "deprecated(15)",
    "deprecated(16)",
    "MRRU",
    "12-Bit seq #",
    "End-Disc",
    "Proprietary",
    "DCE-Id",
    "MP+",
    "Link-Disc",
    "LCP-Auth-Opt",
    "COBS",
    "Prefix-elision",
    "Multilink-header-Form",
    "I18N",
    "SDL-over-SONET/SDH",
    "PPP-Muxing",
];

const IPCP_OPTS: &Tok = &[
    (1, "IP-Addrs"),
    (2, "IP-Comp"),
    (3, "IP-Addr"),
    (4, "Home-Addr"),
    (129, "Pri-DNS"),
    (130, "Pri-NBNS"),
    (131, "Sec-DNS"),
    (132, "Sec-NBNS"),
];
const AUTH_ALGS: &Tok = &[(5, "MD5"), (128, "MS-CHAPv1"), (129, "MS-CHAPv2")];
const CALLBACKS: &Tok = &[
    (0, "UserAuth"),
    (1, "DialString"),
    (2, "LocalID"),
    (3, "E.164"),
    (4, "X.500"),
    (6, "CBCP"),
];

/// An option's type and length at `at`, or `None` for print-ppp.c's
/// `return 0` (too short) after printing its complaint.
fn option_head(b: &Bytes<'_>, at: usize, length: usize) -> Result<Option<(u8, usize)>, ()> {
    if length < 2 {
        return Ok(None);
    }
    if !b.has(at, 2) {
        return Err(());
    }
    let opt = b.u8(at).map_err(|_| ())?;
    let len = usize::from(b.u8(at + 1).map_err(|_| ())?);
    if length < len {
        return Ok(None);
    }
    Ok(Some((opt, len)))
}

/// The start of an IPCP or IPv6CP option: `\n\t  NAME Option (0x..),
/// length N`; `None` when printing stops there (too short, or cut:
/// `[|proto]`).
fn named_head(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    length: usize,
    proto: &str,
    name: impl Fn(u8) -> &'static str,
) -> Option<(u8, usize)> {
    let Ok(head) = option_head(b, at, length) else {
        let _ = write!(out, "[|{proto}]");
        return None;
    };
    let (opt, len) = head?;
    let _ = write!(
        out,
        "\n\t  {} Option (0x{opt:02x}), length {len}",
        name(opt)
    );
    if len < 2 {
        out.push_str(" (length bogus, should be >= 2)");
        return None;
    }
    Some((opt, len))
}

/// The `-vv` dump of an option's data, or of an unknown one's with `-v`.
fn option_dump(p: &Printer, out: &mut String, b: &Bytes<'_>, at: usize, len: usize, unknown: bool) {
    let v = p.opts.verbose;
    if (unknown && v < 2) || v > 1 {
        nd::unknown_data(out, b, at + 2, "\n\t    ", len - 2);
    }
}

/// print_lcp_config_options; the option's length, 0 to stop.
pub(super) fn lcp_option(
    p: &Printer,
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    length: usize,
) -> Result<usize, Trunc> {
    let Ok(head) = option_head(b, at, length) else {
        out.push_str("[|lcp]");
        return Ok(0);
    };
    let Some((opt, len)) = head else { return Ok(0) };
    let name = LCP_OPTS.get(usize::from(opt));
    if len < 2 {
        match name {
            Some(n) => {
                let _ = write!(
                    out,
                    "\n\t  {n} Option (0x{opt:02x}), length {len} (length bogus, should be >= 2)"
                );
            }
            None => {
                let _ = write!(out, "\n\tunknown LCP option 0x{opt:02x}");
            }
        }
        return Ok(0);
    }
    let Some(name) = name else {
        let _ = write!(out, "\n\tunknown LCP option 0x{opt:02x}");
        return Ok(len);
    };
    let _ = write!(out, "\n\t  {name} Option (0x{opt:02x}), length {len}");
    let bogus = |out: &mut String, what: &str| {
        let _ = write!(out, " (length bogus, should be {what})");
    };
    let mut unknown = false;
    match opt {
        0 => {
            if len < 6 {
                bogus(out, ">= 6");
                return Ok(len);
            }
            let o = b.be24(at + 2)?;
            let _ = write!(out, ": Vendor: {} ({o})", oui::name(o));
        }
        1 | 17 => {
            if len != 4 {
                bogus(out, "= 4");
                return Ok(if opt == 1 { len } else { 0 });
            }
            let _ = write!(out, ": {}", b.be16(at + 2)?);
        }
        2 => {
            if len != 6 {
                bogus(out, "= 6");
                return Ok(len);
            }
            let _ = write!(out, ": 0x{:08x}", b.be32(at + 2)?);
        }
        3 => {
            if len < 4 {
                bogus(out, ">= 4");
                return Ok(len);
            }
            let ap = b.be16(at + 2)?;
            match type_name(ap) {
                Some(n) => {
                    let _ = write!(out, ": {n}");
                }
                None => out.push_str(": Unknown Auth Proto (0x04x)"),
            }
            match ap {
                0xc223 => {
                    let alg = b.u8(at + 4)?;
                    let _ = write!(
                        out,
                        ", {}",
                        tok_or(AUTH_ALGS, u32::from(alg), "Unknown Auth Alg {}")
                    );
                }
                0xc023 | 0xc227 | 0xc027 | 0xc123 => {}
                _ => nd::unknown_data(out, b, at, "\n\t", len),
            }
        }
        4 => {
            if len < 4 {
                bogus(out, ">= 4");
                return Ok(0);
            }
            out.push_str(if b.be16(at + 2)? == 0xc025 {
                ": LQR"
            } else {
                ": unknown"
            });
        }
        5 => {
            if len != 6 {
                bogus(out, "= 6");
                return Ok(0);
            }
            let _ = write!(out, ": 0x{:08x}", b.be32(at + 2)?);
        }
        7 | 8 => {}
        23 => {
            if len != 4 {
                bogus(out, "= 4");
                return Ok(0);
            }
            let _ = write!(out, ": 0x{:04x}", b.be16(at + 2)?);
        }
        13 => {
            if len < 3 {
                bogus(out, ">= 3");
                return Ok(0);
            }
            let op = b.u8(at + 2)?;
            let _ = write!(
                out,
                ": : Callback Operation {} ({op})",
                tok(CALLBACKS, u32::from(op)).unwrap_or("Unknown")
            );
        }
        19 => {
            if len < 3 {
                bogus(out, ">= 3");
                return Ok(0);
            }
            match b.u8(at + 2)? {
                0 => out.push_str(": Null"),
                1 => out.push_str(": Local"),
                2 => {
                    if len != 7 {
                        bogus(out, "= 7");
                        return Ok(0);
                    }
                    let _ = write!(out, ": IPv4 {}", ip4_text(b.take(at + 3, 4)?));
                }
                3 => {
                    if len != 9 {
                        bogus(out, "= 9");
                        return Ok(0);
                    }
                    let _ = write!(
                        out,
                        ": MAC {}",
                        mac_name(b.take(at + 3, 6)?, p.opts.numeric)
                    );
                }
                4 => out.push_str(": Magic-Num-Block"),
                5 => out.push_str(": PSNDN"),
                c => {
                    let _ = write!(out, ": Unknown class {c}");
                }
            }
        }
        _ => unknown = true,
    }
    option_dump(p, out, b, at, len, unknown);
    Ok(len)
}

/// print_ipcp_config_options.
pub(super) fn ipcp_option(
    p: &Printer,
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    length: usize,
) -> Result<usize, Trunc> {
    let name = |opt: u8| tok(IPCP_OPTS, u32::from(opt)).unwrap_or("unknown");
    let Some((opt, len)) = named_head(out, b, at, length, "ipcp", name) else {
        return Ok(0);
    };
    let mut unknown = false;
    match opt {
        1 => {
            if len != 10 {
                out.push_str(" (length bogus, should be = 10)");
                return Ok(len);
            }
            let _ = write!(
                out,
                ": src {}, dst {}",
                ip4_text(b.take(at + 2, 4)?),
                ip4_text(b.take(at + 6, 4)?)
            );
        }
        2 => {
            if len < 4 {
                out.push_str(" (length bogus, should be >= 4)");
                return Ok(0);
            }
            let cp = b.be16(at + 2)?;
            let cname = match cp {
                0x002d => "VJ-Comp",
                0x0061 => "IP Header Compression",
                _ => "Unknown",
            };
            let _ = write!(out, ": {cname} (0x{cp:02x}):");
            if cp == 0x0061 {
                if len < 14 {
                    out.push_str(" (length bogus, should be >= 14)");
                    return Ok(0);
                }
                if !b.has(at + 2, 14) {
                    out.push_str("[|ipcp]");
                    return Ok(0);
                }
                let _ = write!(
                    out,
                    "\n\t    TCP Space {}, non-TCP Space {}, maxPeriod {}, maxTime {}, maxHdr {}",
                    b.be16(at + 4)?,
                    b.be16(at + 6)?,
                    b.be16(at + 8)?,
                    b.be16(at + 10)?,
                    b.be16(at + 12)?
                );
                if len > 14 {
                    let mut total = len - 14;
                    let mut q = at + 14;
                    let _ = write!(out, "\n\t      Suboptions, length {total}");
                    while total >= 2 {
                        if !b.has(q, 2) {
                            out.push_str("[|ipcp]");
                            return Ok(0);
                        }
                        let (so, sl) = (b.u8(q)?, usize::from(b.u8(q + 1)?));
                        if so == 0 || sl == 0 {
                            break;
                        }
                        let sname = match so {
                            1 => "RTP-Compression",
                            2 => "Enhanced RTP-Compression",
                            _ => "Unknown",
                        };
                        let _ = write!(out, "\n\t\t{sname} Suboption #{so}, length {sl}");
                        if total < sl {
                            let _ = write!(
                                out,
                                " [remaining suboptions length {total} < {sl}] (invalid)"
                            );
                            break;
                        }
                        total -= sl;
                        q += sl;
                    }
                }
            }
        }
        3 | 4 | 129..=132 => {
            if len != 6 {
                out.push_str(" (length bogus, should be = 6)");
                return Ok(0);
            }
            let _ = write!(out, ": {}", ip4_text(b.take(at + 2, 4)?));
        }
        _ => unknown = true,
    }
    option_dump(p, out, b, at, len, unknown);
    Ok(len)
}

/// print_ip6cp_config_options.
pub(super) fn ip6cp_option(
    p: &Printer,
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    length: usize,
) -> Result<usize, Trunc> {
    let name = |opt: u8| if opt == 1 { "Interface-ID" } else { "unknown" };
    let Some((opt, len)) = named_head(out, b, at, length, "ip6cp", name) else {
        return Ok(0);
    };
    let mut unknown = false;
    if opt == 1 {
        if len != 10 {
            out.push_str(" (length bogus, should be = 10)");
            return Ok(len);
        }
        if !b.has(at + 2, 8) {
            out.push_str("[|ip6cp]");
            return Ok(0);
        }
        let _ = write!(
            out,
            ": {:04x}:{:04x}:{:04x}:{:04x}",
            b.be16(at + 2)?,
            b.be16(at + 4)?,
            b.be16(at + 6)?,
            b.be16(at + 8)?
        );
    } else {
        unknown = true;
    }
    option_dump(p, out, b, at, len, unknown);
    Ok(len)
}
