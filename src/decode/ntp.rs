//! NTP (print-ntp.c, ntp.c): `NTPv4, Client, length 48`, with `-v` the
//! time message (stratum, poll, precision, root delay and dispersion,
//! reference id, the four timestamps in NTP and calendar form, the
//! differences, key id and digest) or the control message header, and the
//! facts JSON carries (version, mode, stratum, ...).

use super::dispatch::Segment;
use super::json::Obj;
use super::nd::{printjn, tok, Tok};
use super::num::push_ip4;
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed};
use core::fmt::Write;

const MODES: &Tok = &[
    (0, "unspecified"),
    (1, "symmetric active"),
    (2, "symmetric passive"),
    (3, "Client"),
    (4, "Server"),
    (5, "Broadcast"),
    (6, "Control Message"),
    (7, "Reserved"),
];

const LEAP: &Tok = &[
    (0, ""),
    (0x40, "+1s"),
    (0x80, "-1s"),
    (0xc0, "clock unsynchronized"),
];

/// Seconds from the NTP epoch (1900) to the Unix epoch.
const JAN_1970: i64 = 2_208_988_800;

/// ntp_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "ntp");
    let status = b.u8(0)?;
    let version = (status & 0x38) >> 3;
    let mode = status & 7;
    let mode_name = tok(MODES, u32::from(mode)).unwrap_or("Unknown mode");
    let _ = write!(out, "NTPv{version}, {mode_name}, length {}", seg.len);
    if p.opts.verbose == 0 {
        return Ok(());
    }
    out.push('\n');
    let leap = status & 0xc0;
    let _ = write!(
        out,
        "\tLeap indicator: {} ({leap})",
        tok(LEAP, u32::from(leap)).unwrap_or("Unknown")
    );
    match mode {
        0..=5 => time_message(out, &b, seg.len),
        6 => control_message(out, &b, seg.len),
        _ => Ok(()),
    }
}

/// ntp_time_print.
fn time_message(out: &mut String, b: &Bytes<'_>, length: usize) -> Printed {
    if length < 48 {
        out.push_str(" (invalid)");
        if !tcheck(out, b, 0, length) {
            return Ok(());
        }
        return Ok(());
    }
    let stratum = b.u8(1)?;
    let class = match stratum {
        0 => "unspecified",
        1 => "primary reference",
        2..=15 => "secondary reference",
        _ => "reserved",
    };
    let _ = write!(out, ", Stratum {stratum} ({class})");
    let poll = b.u8(2)? as i8;
    let _ = write!(out, ", poll {poll}");
    if poll > -32 && poll < 32 {
        if poll >= 0 {
            let _ = write!(out, " ({}s)", 1u32 << poll);
        } else {
            let _ = write!(out, " (1/{}s)", 1u32 << -poll);
        }
    }
    let _ = write!(out, ", precision {}", b.u8(3)? as i8);
    // 4.99.3 checks each field before its label.
    if !tcheck(out, b, 4, 4) {
        return Ok(());
    }
    out.push_str("\n\tRoot Delay: ");
    sfix(out, b, 4)?;
    if !tcheck(out, b, 8, 4) {
        return Ok(());
    }
    out.push_str(", Root dispersion: ");
    sfix(out, b, 8)?;
    if !tcheck(out, b, 12, 4) {
        return Ok(());
    }
    out.push_str(", Reference-ID: ");
    match stratum {
        0 => {
            out.push_str("(unspec)");
            if !tcheck(out, b, 12, 4) {
                return Ok(());
            }
        }
        1 => printjn(out, b, 12, 4)?,
        62 | 63 => {
            let a = b.take(12, 4)?;
            push_ip4(out, [a[0], a[1], a[2], a[3]]);
            out.push_str(if stratum == 62 {
                " INFO_QUERY"
            } else {
                " INFO_REPLY"
            });
            return Ok(());
        }
        _ => {
            let _ = write!(out, "0x{:08x}", b.be32(12)?);
        }
    }
    for (at, label) in [
        (16, "\n\t  Reference Timestamp:  "),
        (24, "\n\t  Originator Timestamp: "),
        (32, "\n\t  Receive Timestamp:    "),
        (40, "\n\t  Transmit Timestamp:   "),
    ] {
        if !tcheck(out, b, at, 8) {
            return Ok(());
        }
        out.push_str(label);
        ntp_time(out, b.be32(at)?, b.be32(at + 4)?);
    }
    out.push_str("\n\t    Originator - Receive Timestamp:  ");
    delta(out, b, 24, 32)?;
    out.push_str("\n\t    Originator - Transmit Timestamp: ");
    delta(out, b, 24, 40)?;
    match length {
        52 => {
            let _ = write!(out, "\n\tKey id: {}", b.be32(48)?);
        }
        68 | 72 => {
            let _ = write!(out, "\n\tKey id: {}", b.be32(48)?);
            let words: Vec<u32> = (0..(length - 52) / 4)
                .map(|k| b.be32(52 + 4 * k))
                .collect::<Result<_, _>>()?;
            out.push_str("\n\tAuthentication: ");
            for w in words {
                let _ = write!(out, "{w:08x}");
            }
        }
        49.. => {
            let _ = write!(out, "\n\t({} more bytes after the header)", length - 48);
        }
        _ => {}
    }
    Ok(())
}

/// ntp_control_print.
fn control_message(out: &mut String, b: &Bytes<'_>, length: usize) -> Printed {
    if length < 12 {
        out.push_str(" (invalid)");
        if !tcheck(out, b, 0, length) {
            return Ok(());
        }
        return Ok(());
    }
    let control = b.u8(1)?;
    let _ = writeln!(
        out,
        ", {}, {}, {}, OpCode={}",
        if control & 0x80 != 0 {
            "Response"
        } else {
            "Request"
        },
        if control & 0x40 != 0 { "Error" } else { "OK" },
        if control & 0x20 != 0 { "More" } else { "Last" },
        control & 0x1f
    );
    let _ = write!(out, "\tSequence={}", b.be16(2)?);
    let status = b.be16(4)?;
    if status == 0 {
        out.push_str(", Status=0");
    } else {
        let _ = write!(out, ", Status={status:#x}");
    }
    let _ = write!(out, ", Assoc.={}", b.be16(6)?);
    let _ = write!(out, ", Offset={}", b.be16(8)?);
    let count = usize::from(b.be16(10)?);
    let _ = write!(out, ", Count={count}");
    if 12 + count > length {
        out.push_str(" (invalid)");
        if !tcheck(out, b, 0, length) {
            return Ok(());
        }
        return Ok(());
    }
    if count != 0 {
        if !tcheck(out, b, 12, count) {
            return Ok(());
        }
        out.push_str("\n\tTO-BE-DONE: data not interpreted");
    }
    Ok(())
}

/// ND_TCHECK_LEN and its `goto trunc`: whether `n` bytes from `at` were
/// captured, the marker printed (no longjmp) when not.
fn tcheck(out: &mut String, b: &Bytes<'_>, at: usize, n: usize) -> bool {
    let ok = b.has(at, n);
    if !ok {
        mark(out, "ntp");
    }
    ok
}

/// p_sfix: a 16.16 fixed-point number with six decimals.
fn sfix(out: &mut String, b: &Bytes<'_>, at: usize) -> Printed {
    let i = b.be16(at)?;
    let f = f64::from(b.be16(at + 2)?) / 65536.0;
    let _ = write!(out, "{i}.{:06}", (f * 1_000_000.0) as i32);
    Ok(())
}

/// The fraction of a 32.32 fixed-point time in nanoseconds, as tcpdump
/// truncates it.
fn nanos(frac: u32) -> u32 {
    (f64::from(frac) / 4_294_967_296.0 * 1_000_000_000.0) as u32
}

/// p_ntp_time: `seconds.nanoseconds` and, for a non-zero time, the UTC
/// calendar time.
pub(super) fn ntp_time(out: &mut String, secs: u32, frac: u32) {
    let _ = write!(out, "{secs}.{:09}", nanos(frac));
    if secs != 0 {
        let t = i64::from(secs) - JAN_1970;
        let (y, m, d) = civil(t.div_euclid(86_400));
        let s = t.rem_euclid(86_400);
        let _ = write!(
            out,
            " ({y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z)",
            s / 3600,
            s / 60 % 60,
            s % 60
        );
    }
}

/// p_ntp_delta: the signed difference of the timestamps at `old` and `new`.
fn delta(out: &mut String, b: &Bytes<'_>, old: usize, new: usize) -> Printed {
    let (u, ou) = (b.be32(new)?, b.be32(old)?);
    let (uf, ouf) = (b.be32(new + 4)?, b.be32(old + 4)?);
    if ou == 0 && ouf == 0 {
        ntp_time(out, u, uf);
        return Ok(());
    }
    let (neg, i, f) = if u > ou {
        (
            false,
            (u - ou).wrapping_sub(u32::from(ouf > uf)),
            uf.wrapping_sub(ouf),
        )
    } else if u < ou {
        (
            true,
            (ou - u).wrapping_sub(u32::from(uf > ouf)),
            ouf.wrapping_sub(uf),
        )
    } else if uf > ouf {
        (false, 0, uf - ouf)
    } else {
        (true, 0, ouf - uf)
    };
    let _ = write!(out, "{}{i}.{:09}", if neg { '-' } else { '+' }, nanos(f));
    Ok(())
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (H. Hinnant's algorithm).
pub(super) fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// JSON: `"ntp":{version, mode, mode_num, leap, stratum, poll, precision,
/// transmit}` (the time fields for time messages only).
pub(super) fn json(o: &mut Obj<'_>, seg: &Segment<'_>) {
    let Some(&status) = seg.data.first() else {
        return;
    };
    let mode = status & 7;
    o.object("ntp", |j| {
        j.num("version", (status & 0x38) >> 3);
        j.str(
            "mode",
            tok(MODES, u32::from(mode)).unwrap_or("Unknown mode"),
        );
        j.num("mode_num", mode);
        j.num("leap", status >> 6);
        if mode <= 5 && seg.data.len() >= 48 {
            let d = seg.data;
            j.num("stratum", d[1]);
            j.num("poll", d[2] as i8);
            j.num("precision", d[3] as i8);
            let w = |at: usize| u32::from_be_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]]);
            let mut t = String::new();
            let _ = write!(t, "{}.{:09}", w(40), nanos(w(44)));
            j.str("transmit", &t);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_as_ntp_c() {
        let mut s = String::new();
        ntp_time(&mut s, 3_913_056_000, 0x8000_0000);
        assert_eq!(s, "3913056000.500000000 (2024-01-01T00:00:00Z)");
        s.clear();
        ntp_time(&mut s, 1, 0);
        assert_eq!(s, "1.000000000 (1900-01-01T00:00:01Z)");
        s.clear();
        ntp_time(&mut s, 0, 1);
        assert_eq!(s, "0.000000000");
    }
}
