//! SNMP v1/v2c/v3 (print-snmp.c without libsmi, as tcpdump prints at `-n`):
//! the brief BER form, e.g. `  C="private" GetRequest(28)  .1.3.6.1.2.1.1.1.0`,
//! with `-v` the version, request id and `{ ... }` around each part.
//!
//! The decoder walks the message iteratively (a varbind list is one level
//! deep), so any nesting ends after one pass over the bytes. Damaged BER is
//! reported as tcpdump does (`[len3<asnlen2]`, `[id?C/x/9]`, ...); a field
//! past the capture ends the line with ` [|snmp]`. OIDs are numeric with
//! `-n`; without it they are named from tcpdump's compiled-in MIB
//! ([`mib`]), as tcpdump does.

use super::dispatch::Segment;
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use core::fmt::Write;

mod ber;
mod mib;

use ber::Ty;
const ERROR_STATUS: [&str; 19] = [
    "noError",
    "tooBig",
    "noSuchName",
    "badValue",
    "readOnly",
    "genErr",
    "noAccess",
    "wrongType",
    "wrongLength",
    "wrongEncoding",
    "wrongValue",
    "noCreation",
    "inconsistentValue",
    "resourceUnavailable",
    "commitFailed",
    "undoFailed",
    "authorizationError",
    "notWritable",
    "inconsistentName",
];
const GENERIC_TRAP: [&str; 7] = [
    "coldStart",
    "warmStart",
    "linkDown",
    "linkUp",
    "authenticationFailure",
    "egpNeighborLoss",
    "enterpriseSpecific",
];
const VERSIONS: [&str; 4] = ["SNMPv1", "SNMPv2c", "SNMPv2u", "SNMPv3"];

const GETREQ: u16 = 0;
const GETNEXTREQ: u16 = 1;
const SETREQ: u16 = 3;
const TRAP: u16 = 4;
const GETBULKREQ: u16 = 5;
const INFORMREQ: u16 = 6;
const V2TRAP: u16 = 7;
const REPORT: u16 = 8;

struct Snmp<'a, 'o> {
    b: Bytes<'a>,
    out: &'o mut String,
    verbose: u8,
    /// `-n`: OIDs as numbers only.
    numeric: bool,
}

/// snmp_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let mut s = Snmp {
        b: Bytes::new(seg.data, "snmp"),
        out,
        verbose: p.opts.verbose,
        numeric: p.opts.numeric,
    };
    s.message(u32::try_from(seg.len).unwrap_or(u32::MAX))
}

impl Snmp<'_, '_> {
    /// snmp_print after the leading space: the message SEQUENCE and version.
    fn message(&mut self, length: u32) -> Printed {
        self.out.push(' ');
        let Some(e) = self.expect(0, length, Ty::Seq, "[!init SEQ]")? else {
            return Ok(());
        };
        if e.count < length {
            let _ = write!(self.out, "[{} extra after iSEQ]", length - e.count);
        }
        let (np, length) = (e.start, e.asnlen);
        let Some(e) = self.expect(np, length, Ty::Int, "[version!=INT]")? else {
            return Ok(());
        };
        let version = e.int;
        match version {
            0 | 1 | 3 => {
                if self.verbose > 0 {
                    let _ = write!(self.out, "{{ {} ", VERSIONS[version as usize]);
                }
            }
            _ => {
                let _ = write!(self.out, "SNMP [version = {version}]");
                return Ok(());
            }
        }
        let (np, length) = (np + e.count as usize, length - e.count);
        if version == 3 {
            self.v3msg(np, length)?;
        } else {
            self.community(np, length, version)?;
        }
        if self.verbose > 0 {
            self.out.push_str("} ");
        }
        Ok(())
    }

    /// community_print: v1 and v2c; the community unless it is "public".
    fn community(&mut self, np: usize, length: u32, version: i32) -> Printed {
        let Some(e) = self.expect(np, length, Ty::Str, "[comm!=STR]")? else {
            return Ok(());
        };
        if self.b.take(e.start, e.asnlen as usize)? != b"public" {
            self.out.push_str("C=");
            if !self.string(&e) {
                return Ok(());
            }
            self.out.push(' ');
        }
        self.pdu(np + e.count as usize, length - e.count, version)
    }

    /// pdu_print.
    fn pdu(&mut self, np: usize, length: u32, version: i32) -> Printed {
        let Some(pdu) = self.parse(np, length)? else {
            return Ok(());
        };
        if pdu.ty != Ty::Pdu {
            self.out.push_str("[no PDU]");
            return Ok(());
        }
        if pdu.count < length {
            let _ = write!(self.out, "[{} extra after PDU]", length - pdu.count);
        }
        if self.verbose > 0 {
            self.out.push_str("{ ");
        }
        if !self.elem(&pdu)? {
            return Ok(());
        }
        self.out.push(' ');
        let id = u16::from(pdu.id);
        if version == 0 && matches!(id, GETBULKREQ | INFORMREQ | V2TRAP | REPORT) {
            self.out.push_str("[v2 PDU in v1 message]");
            return Ok(());
        }
        if version == 1 && id == TRAP {
            self.out.push_str("[v1 PDU in v2 message]");
            return Ok(());
        }
        if id == TRAP {
            self.trap(pdu.start, pdu.asnlen)?;
        } else {
            self.snmppdu(id, pdu.start, pdu.asnlen)?;
        }
        if self.verbose > 0 {
            self.out.push_str(" } ");
        }
        Ok(())
    }

    /// snmppdu_print: request id, error status and index, the varbinds.
    fn snmppdu(&mut self, id: u16, mut np: usize, mut length: u32) -> Printed {
        let Some(e) = self.expect(np, length, Ty::Int, "[reqId!=INT]")? else {
            return Ok(());
        };
        if self.verbose > 0 {
            let _ = write!(self.out, "R={} ", e.int);
        }
        np += e.count as usize;
        length -= e.count;
        let strict = matches!(
            id,
            GETREQ | GETNEXTREQ | SETREQ | INFORMREQ | V2TRAP | REPORT
        );
        let Some(e) = self.expect(np, length, Ty::Int, "[errorStatus!=INT]")? else {
            return Ok(());
        };
        let status = e.int;
        let mut error_status = 0;
        if strict && status != 0 {
            self.out.push_str("[errorStatus(");
            self.error_status(status);
            self.out.push_str(")!=0]");
        } else if id == GETBULKREQ {
            let _ = write!(self.out, " N={status}");
        } else if status != 0 {
            self.out.push(' ');
            self.error_status(status);
            error_status = status;
        }
        np += e.count as usize;
        length -= e.count;
        let Some(e) = self.expect(np, length, Ty::Int, "[errorIndex!=INT]")? else {
            return Ok(());
        };
        let index = e.int;
        if strict && index != 0 {
            let _ = write!(self.out, "[errorIndex({index})!=0]");
        } else if id == GETBULKREQ {
            let _ = write!(self.out, " M={index}");
        } else if index != 0 {
            if error_status == 0 {
                let _ = write!(self.out, "[errorIndex({index}) w/o errorStatus]");
            } else {
                let _ = write!(self.out, "@{index}");
            }
        } else if error_status != 0 {
            self.out.push_str("[errorIndex==0]");
        }
        np += e.count as usize;
        length -= e.count;
        self.varbinds(id, np, length)
    }

    /// DECODE_ErrorStatus.
    fn error_status(&mut self, e: i32) {
        match usize::try_from(e).ok().and_then(|i| ERROR_STATUS.get(i)) {
            Some(name) => self.out.push_str(name),
            None => {
                let _ = write!(self.out, "err={}", e as u32);
            }
        }
    }

    /// trappdu_print: the v1 Trap-PDU.
    fn trap(&mut self, mut np: usize, mut length: u32) -> Printed {
        self.out.push(' ');
        let Some(e) = self.expect(np, length, Ty::Oid, "[enterprise!=OID]")? else {
            return Ok(());
        };
        if !self.elem(&e)? {
            return Ok(());
        }
        np += e.count as usize;
        length -= e.count;
        self.out.push(' ');
        let what = "[agent-addr!=INETADDR]";
        let Some(e) = self.expect(np, length, Ty::InetAddr, what)? else {
            return Ok(());
        };
        if !self.elem(&e)? {
            return Ok(());
        }
        np += e.count as usize;
        length -= e.count;
        let Some(e) = self.expect(np, length, Ty::Int, "[generic-trap!=INT]")? else {
            return Ok(());
        };
        let generic = e.int;
        match usize::try_from(generic)
            .ok()
            .and_then(|i| GENERIC_TRAP.get(i))
        {
            Some(name) => {
                let _ = write!(self.out, " {name}");
            }
            None => {
                let _ = write!(self.out, " gt={generic}");
            }
        }
        np += e.count as usize;
        length -= e.count;
        let Some(e) = self.expect(np, length, Ty::Int, "[specific-trap!=INT]")? else {
            return Ok(());
        };
        if generic != 6 {
            if e.int != 0 {
                let _ = write!(self.out, "[specific-trap({})!=0]", e.int);
            }
        } else {
            let _ = write!(self.out, " s={}", e.int);
        }
        np += e.count as usize;
        length -= e.count;
        self.out.push(' ');
        let what = "[time-stamp!=TIMETICKS]";
        let Some(e) = self.expect(np, length, Ty::Uns, what)? else {
            return Ok(());
        };
        if !self.elem(&e)? {
            return Ok(());
        }
        np += e.count as usize;
        length -= e.count;
        self.varbinds(TRAP, np, length)
    }

    /// varbind_print: ` name` (requests) or ` name=value`.
    fn varbinds(&mut self, id: u16, np: usize, length: u32) -> Printed {
        let what = "[!SEQ of varbind]";
        let Some(e) = self.expect(np, length, Ty::Seq, what)? else {
            return Ok(());
        };
        if e.count < length {
            let _ = write!(
                self.out,
                "[{} extra after SEQ of varbind]",
                length - e.count
            );
        }
        let read = matches!(id, GETREQ | GETNEXTREQ | GETBULKREQ);
        let (mut np, mut length) = (e.start, e.asnlen);
        while length > 0 {
            self.out.push(' ');
            let Some(vb) = self.expect(np, length, Ty::Seq, "[!varbind]")? else {
                return Ok(());
            };
            let (vbend, vblength) = (np + vb.count as usize, length - vb.count);
            let (np2, len2) = (vb.start, vb.asnlen);
            let Some(name) = self.expect(np2, len2, Ty::Oid, "[objName!=OID]")? else {
                return Ok(());
            };
            if !self.elem(&name)? {
                return Ok(());
            }
            if !read {
                self.out.push('=');
            }
            let at = np2 + name.count as usize;
            let Some(val) = self.parse(at, len2 - name.count)? else {
                return Ok(());
            };
            if val.ty != Ty::Null {
                if read {
                    self.out.push_str("[objVal!=NULL]");
                }
                if !self.elem(&val)? {
                    return Ok(());
                }
            }
            np = vbend;
            length = vblength;
        }
        Ok(())
    }

    /// v3msg_print: msgGlobalData, the USM parameters, the scoped PDU.
    fn v3msg(&mut self, xnp: usize, xlength: u32) -> Printed {
        let Some(e) = self.expect(xnp, xlength, Ty::Seq, "[!message]")? else {
            return Ok(());
        };
        let (mut np, mut length) = (e.start, e.asnlen);
        if self.verbose > 0 {
            self.out.push_str("{ ");
        }
        for what in ["[msgID!=INT]", "[msgMaxSize!=INT]"] {
            let Some(e) = self.expect(np, length, Ty::Int, what)? else {
                return Ok(());
            };
            np += e.count as usize;
            length -= e.count;
        }
        let Some(e) = self.expect(np, length, Ty::Str, "[msgFlags!=STR]")? else {
            return Ok(());
        };
        if e.asnlen != 1 {
            let _ = write!(self.out, "[msgFlags size {}]", e.asnlen as i32);
            return Ok(());
        }
        let flags = self.b.u8(e.start)?;
        if !matches!(flags, 0 | 1 | 3 | 4 | 5 | 7) {
            let _ = write!(self.out, "[msgFlags=0x{flags:02X}]");
            return Ok(());
        }
        np += e.count as usize;
        length -= e.count;
        let _ = write!(
            self.out,
            "F={}{}{} ",
            if flags & 1 != 0 { "a" } else { "" },
            if flags & 2 != 0 { "p" } else { "" },
            if flags & 4 != 0 { "r" } else { "" }
        );
        let what = "[msgSecurityModel!=INT]";
        let Some(e) = self.expect(np, length, Ty::Int, what)? else {
            return Ok(());
        };
        let model = e.int;
        np += e.count as usize;
        length -= e.count;
        if e.count < length {
            let _ = write!(self.out, "[{} extra after message SEQ]", length - e.count);
        }
        if self.verbose > 0 {
            self.out.push_str("} ");
        }
        if model != 3 {
            let _ = write!(self.out, "[security model {model}]");
            return Ok(());
        }
        if self.verbose > 0 {
            self.out.push_str("{ USM ");
        }
        let length = xlength - (np - xnp) as u32;
        let what = "[msgSecurityParameters!=STR]";
        let Some(e) = self.expect(np, length, Ty::Str, what)? else {
            return Ok(());
        };
        self.usm(e.start, e.asnlen)?;
        if self.verbose > 0 {
            self.out.push_str("} ");
            self.out.push_str("{ ScopedPDU ");
        }
        self.scoped_pdu(np + e.count as usize, length - e.count)?;
        if self.verbose > 0 {
            self.out.push_str("} ");
        }
        Ok(())
    }

    /// usm_print: `B=.. T=.. ` at -v, `U="user" `.
    fn usm(&mut self, np: usize, length: u32) -> Printed {
        let Some(e) = self.expect(np, length, Ty::Seq, "[!usm]")? else {
            return Ok(());
        };
        let (mut np, mut length) = (e.start, e.asnlen);
        let what = "[msgAuthoritativeEngineID!=STR]";
        let Some(e) = self.expect(np, length, Ty::Str, what)? else {
            return Ok(());
        };
        np += e.count as usize;
        length -= e.count;
        for (what, label) in [
            ("[msgAuthoritativeEngineBoots!=INT]", "B"),
            ("[msgAuthoritativeEngineTime!=INT]", "T"),
        ] {
            let Some(e) = self.expect(np, length, Ty::Int, what)? else {
                return Ok(());
            };
            if self.verbose > 0 {
                let _ = write!(self.out, "{label}={} ", e.int);
            }
            np += e.count as usize;
            length -= e.count;
        }
        let Some(e) = self.expect(np, length, Ty::Str, "[msgUserName!=STR]")? else {
            return Ok(());
        };
        np += e.count as usize;
        length -= e.count;
        self.out.push_str("U=");
        if !self.string(&e) {
            return Ok(());
        }
        self.out.push(' ');
        let mut count = 0;
        for what in [
            "[msgAuthenticationParameters!=STR]",
            "[msgPrivacyParameters!=STR]",
        ] {
            let Some(e) = self.expect(np, length, Ty::Str, what)? else {
                return Ok(());
            };
            np += e.count as usize;
            length -= e.count;
            count = e.count;
        }
        if count < length {
            let _ = write!(self.out, "[{} extra after usm SEQ]", length - count);
        }
        Ok(())
    }

    /// scopedpdu_print: `E=_80_00 C="ctx" ` and the PDU.
    fn scoped_pdu(&mut self, np: usize, length: u32) -> Printed {
        let Some(e) = self.expect(np, length, Ty::Seq, "[!scoped PDU]")? else {
            return Ok(());
        };
        let (mut np, mut length) = (e.start, e.asnlen);
        let what = "[contextEngineID!=STR]";
        let Some(e) = self.expect(np, length, Ty::Str, what)? else {
            return Ok(());
        };
        np += e.count as usize;
        length -= e.count;
        self.out.push_str("E=");
        if !self.octets(&e) {
            return Ok(());
        }
        self.out.push(' ');
        let Some(e) = self.expect(np, length, Ty::Str, "[contextName!=STR]")? else {
            return Ok(());
        };
        np += e.count as usize;
        length -= e.count;
        self.out.push_str("C=");
        if !self.string(&e) {
            return Ok(());
        }
        self.out.push(' ');
        self.pdu(np, length, 3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::trunc::Trunc;

    fn text(data: &[u8], len: usize, verbose: u8) -> (String, Printed) {
        let mut out = String::new();
        let mut s = Snmp {
            b: Bytes::new(data, "snmp"),
            out: &mut out,
            verbose,
            numeric: true,
        };
        let r = s.message(len as u32);
        (out, r)
    }

    #[test]
    fn get_request_brief_and_verbose() {
        let m = b"\x30\x26\x02\x01\x00\x04\x06public\xa0\x19\x02\x01\x01\x02\x01\x00\x02\x01\x00\
                  \x30\x0e\x30\x0c\x06\x08\x2b\x06\x01\x02\x01\x01\x01\x00\x05\x00";
        assert_eq!(text(m, m.len(), 0).0, " GetRequest(25)  .1.3.6.1.2.1.1.1.0");
        assert_eq!(
            text(m, m.len(), 1).0,
            " { SNMPv1 { GetRequest(25) R=1  .1.3.6.1.2.1.1.1.0 } } "
        );
        // Cut inside the message: the length check reports it (no longjmp).
        assert_eq!(text(&m[..10], m.len(), 0), ("  [|snmp]".into(), Ok(())));
        // Cut before the length octet: a read past the capture.
        assert_eq!(text(&m[..1], m.len(), 0).1, Err(Trunc("snmp")));
    }

    #[test]
    fn names_from_the_mib_without_n() {
        let oids: &[(&[u8], &str)] = &[
            (b"\x2b\x06\x01\x02\x01\x01\x01\x00", "system.sysDescr.0"),
            (b"\x2b\x06\x01\x04\x01\x09\x01", "E:cisco.1"),
            (b"\x2b\x06\x01\x05", ".iso.org.dod.internet.security"),
            (b"\x52\x86\x48", ".2.2.840"),
        ];
        for (oid, want) in oids {
            let mut m = vec![0x06, oid.len() as u8];
            m.extend_from_slice(oid);
            let mut out = String::new();
            let mut s = Snmp {
                b: Bytes::new(&m, "snmp"),
                out: &mut out,
                verbose: 0,
                numeric: false,
            };
            let e = s.parse(0, m.len() as u32).unwrap().unwrap();
            s.elem(&e).unwrap();
            assert_eq!(out, *want);
        }
    }

    #[test]
    fn bogus_nest_and_lengths_end_quickly() {
        let mut deep = Vec::new();
        while deep.len() < 65_000 {
            let mut d = vec![0x30, 0x84];
            d.extend_from_slice(&(deep.len() as u32).to_be_bytes());
            d.extend_from_slice(&deep);
            deep = d;
        }
        assert_eq!(text(&deep, deep.len(), 2).0, " [version!=INT]Seq(64992)");
        assert_eq!(text(b"\x30\xff", 2, 0).0, " [asnlen? 0<127]");
        assert_eq!(text(b"\x30\x03\x02", 3, 0).0, " [len1<asnlen3]");
        assert_eq!(text(b"\x3f\x81\x81\x81\x01", 5, 0).0, " [no asnlen]");
        for n in 0..40 {
            let junk: Vec<u8> = (0..n).map(|i| (i * 37 + n) as u8).collect();
            let _ = text(&junk, n as usize + 3, 1);
        }
    }
}
