//! Novell IPX (print-ipx.c): the addresses, then by destination socket
//! SAP, RIP or the socket's name and the data length. SAP server types are
//! shown as four hex digits (tcpdump's `-n` form; without `-n` it names
//! the well-known ones from a table rawcap does not carry), NetBIOS over
//! IPX is not decoded further (Debian's tcpdump has no SMB printers) and
//! EIGRP over IPX is not decoded.

use super::num::mac;
use super::text::Printer;
use super::trunc::{Bytes, Printed, Trunc};
use super::util::printjnp;
use core::fmt::Write;

/// The IPX header's length.
const HDR: usize = 30;

/// ipx_print: `IPX net.node.socket > net.node.socket: ...` (`IPX ` only
/// without `-e`, as the link layer has named it then).
pub(super) fn print(p: &mut Printer, out: &mut String, data: &[u8]) -> Printed {
    let b = Bytes::new(data, "ipx");
    if !p.opts.link_header {
        out.push_str("IPX ");
    }
    address(out, &b, 18)?;
    out.push_str(" > ");
    address(out, &b, 6)?;
    out.push_str(": ");
    let length = usize::from(b.be16(2)?);
    if length < HDR {
        let _ = write!(out, "[length {length} < {HDR}] (invalid)");
        return Ok(());
    }
    let length = (length - HDR) as u32;
    let body = Bytes::new(data.get(HDR..).unwrap_or_default(), "ipx");
    match b.be16(16)? {
        0x0451 => {
            let _ = write!(out, "ipx-ncp {length}");
        }
        0x0452 => sap(out, &body, length, p.opts.numeric)?,
        0x0453 => rip(out, &body, length)?,
        0x0455 => {
            let _ = write!(out, "ipx-netbios {length}");
        }
        0x0456 => {
            let _ = write!(out, "ipx-diags {length}");
        }
        0x0553 => {
            let _ = write!(out, "ipx-nwlink-dgm {length}");
        }
        0x85be => super::eigrp::print_bytes(p, out, body.data(), length as usize)?,
        skt => {
            let _ = write!(out, "ipx-#{skt:x} {length}");
        }
    }
    Ok(())
}

/// ipxaddr_string and the socket: `%08x.MAC.%04x`, whole or not at all.
fn address(out: &mut String, b: &Bytes<'_>, at: usize) -> Printed {
    let net = b.be32(at)?;
    let node = b.take(at + 4, 6)?;
    let skt = b.be16(at + 10)?;
    let _ = write!(out, "{net:08x}.{}.{skt:04x}", mac(node));
    Ok(())
}

/// ipx_sap_print: requests name a server type, responses list up to eight
/// servers with their names and addresses.
fn sap(out: &mut String, b: &Bytes<'_>, length: u32, numeric: bool) -> Printed {
    let Some((command, mut length)) = command(out, b, length)? else {
        return Ok(());
    };
    let mut at = 2;
    match command {
        1 | 3 => {
            out.push_str(if command == 1 {
                "ipx-sap-req"
            } else {
                "ipx-sap-nearest-req"
            });
            let ty = b.be16(at)?;
            out.push(' ');
            server_type(out, ty, numeric);
        }
        2 | 4 => {
            out.push_str(if command == 2 {
                "ipx-sap-resp"
            } else {
                "ipx-sap-nearest-resp"
            });
            for _ in 0..8 {
                if length == 0 {
                    break;
                }
                let ty = b.be16(at)?;
                if length < 2 {
                    return invalid(out);
                }
                out.push(' ');
                server_type(out, ty, numeric);
                out.push_str(" '");
                at += 2;
                length -= 2;
                if length < 48 {
                    out.push('\'');
                    return invalid(out);
                }
                printjnp(out, b, at, 48)?;
                out.push('\'');
                at += 48;
                length -= 48;
                let (net, node) = (b.be32(at)?, b.take(at + 4, 6)?);
                if length < 10 {
                    return invalid(out);
                }
                let _ = write!(out, " addr {net:08x}.{}", mac(node));
                at += 10;
                length -= 10;
                b.take(at, 4)?;
                if length < 4 {
                    return invalid(out);
                }
                at += 4;
                length -= 4;
            }
        }
        _ => {
            let _ = write!(out, "ipx-sap-?{command:x}");
        }
    }
    Ok(())
}

/// ipxsap_string: the server type's name, or its four hex digits.
fn server_type(out: &mut String, ty: u16, numeric: bool) {
    match super::nd::tok(super::ipxsap::SERVER_TYPES, u32::from(ty)).filter(|_| !numeric) {
        Some(name) => out.push_str(name),
        None => {
            let _ = write!(out, "{ty:04x}");
        }
    }
}

/// The SAP or RIP command and the length after it; `None` (printed as
/// invalid) when the length has no room for it.
fn command(out: &mut String, b: &Bytes<'_>, length: u32) -> Result<Option<(u16, u32)>, Trunc> {
    let command = b.be16(0)?;
    if length < 2 {
        let _ = write!(out, " [length {length} < 2] (invalid)");
        return Ok(None);
    }
    Ok(Some((command, length - 2)))
}

fn invalid(out: &mut String) -> Printed {
    out.push_str(" (invalid)");
    Ok(())
}

/// ipx_rip_print: a request's network, a response's up to 50 routes, as
/// `net/hops.ticks`.
fn rip(out: &mut String, b: &Bytes<'_>, length: u32) -> Printed {
    let Some((command, mut length)) = command(out, b, length)? else {
        return Ok(());
    };
    let mut at = 2;
    match command {
        1 => {
            out.push_str("ipx-rip-req");
            if length != 0 {
                if length < 8 {
                    return invalid(out);
                }
                route(out, b, at)?;
            }
        }
        2 => {
            out.push_str("ipx-rip-resp");
            for _ in 0..50 {
                if length == 0 {
                    break;
                }
                if length < 8 {
                    return invalid(out);
                }
                route(out, b, at)?;
                at += 8;
                length -= 8;
            }
        }
        _ => {
            let _ = write!(out, "ipx-rip-?{command:x}");
        }
    }
    Ok(())
}

fn route(out: &mut String, b: &Bytes<'_>, at: usize) -> Printed {
    let _ = write!(
        out,
        " {:08x}/{}.{}",
        b.be32(at)?,
        b.be16(at + 4)?,
        b.be16(at + 6)?
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_types_by_name_unless_numeric() {
        let mut out = String::new();
        server_type(&mut out, 4, false);
        out.push(' ');
        server_type(&mut out, 4, true);
        out.push(' ');
        server_type(&mut out, 0xfffe, false);
        assert_eq!(out, "FileServer 0004 fffe");
    }
}
