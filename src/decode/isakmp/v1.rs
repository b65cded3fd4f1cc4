//! IKEv1 (print-isakmp.c's ikev1_print and ikev1_*_print), and the
//! attribute printers IKEv2's transforms share.

use super::{str_or_id, Cookies, Ctx, Msg, Next, PROTOID};
use crate::decode::demux::Ip;
use crate::decode::trunc::{Printed, Trunc};
use crate::decode::util::print_char;
use core::fmt::Write;

/// An attribute table (struct attrmap): the type's name ("" = unnamed)
/// and its value names ("" = unnamed; the slice's length is `nvalue`).
type AttrMap = [(&'static str, &'static [&'static str])];

const GROUPS: [&str; 19] = [
    "",
    "modp768",
    "modp1024",
    "EC2N 2^155",
    "EC2N 2^185",
    "modp1536",
    "iana-grp06",
    "iana-grp07",
    "iana-grp08",
    "iana-grp09",
    "iana-grp10",
    "iana-grp11",
    "iana-grp12",
    "iana-grp13",
    "modp2048",
    "modp3072",
    "modp4096",
    "modp6144",
    "modp8192",
];
/// The attribute maps name groups 1..=17 (nvalue 18).
const G18: &[&str] = GROUPS.split_at(18).0;
const LIFETYPE: &[&str] = &["", "sec", "kb"];

/// ipsec_t_map.
const IPSEC_T: &AttrMap = &[
    ("", &[]),
    ("lifetype", LIFETYPE),
    ("life", &[]),
    ("group desc", G18),
    ("enc mode", &["", "tunnel", "transport"]),
    ("auth", &["", "hmac-md5", "hmac-sha1", "1des-mac", "keyed"]),
    ("keylen", &[]),
    ("rounds", &[]),
    ("dictsize", &[]),
    ("privalg", &[]),
];

/// oakley_t_map.
const OAKLEY_T: &AttrMap = &[
    ("", &[]),
    (
        "enc",
        &["", "1des", "idea", "blowfish", "rc5", "3des", "cast", "aes"],
    ),
    (
        "hash",
        &[
            "", "md5", "sha1", "tiger", "sha2-256", "sha2-384", "sha2-512",
        ],
    ),
    (
        "auth",
        &[
            "",
            "preshared",
            "dss",
            "rsa sig",
            "rsa enc",
            "rsa enc revised",
        ],
    ),
    ("group desc", G18),
    ("group type", &["", "MODP", "ECP", "EC2N"]),
    ("group prime", &[]),
    ("group gen1", &[]),
    ("group gen2", &[]),
    ("group curve A", &[]),
    ("group curve B", &[]),
    ("lifetype", LIFETYPE),
    ("lifeduration", &[]),
    ("prf", &[]),
    ("keylen", &[]),
    ("field", &[]),
    ("order", &[]),
];

/// encr_t_map (IKEv2's encryption transform: only the key length).
pub(super) const ENCR_T: &AttrMap = &[
    ("", &[]),
    ("", &[]),
    ("", &[]),
    ("", &[]),
    ("", &[]),
    ("", &[]),
    ("", &[]),
    ("", &[]),
    ("", &[]),
    ("", &[]),
    ("", &[]),
    ("", &[]),
    ("", &[]),
    ("", &[]),
    ("keylen", &[]),
];

/// The Diffie-Hellman groups (dh_p_map).
pub(super) const DH: &[&str] = &GROUPS;

/// esp_p_map.
pub(super) const ESP_T: &[&str] = &[
    "",
    "1des-iv64",
    "1des",
    "3des",
    "rc5",
    "idea",
    "cast",
    "blowfish",
    "3idea",
    "1des-iv32",
    "rc4",
    "null",
    "aes",
];

const CERT: &[&str] = &[
    "none", "pkcs7", "pgp", "dns", "x509sign", "x509ke", "kerberos", "crl", "arl", "spki",
    "x509attr",
];

const IPSEC_ID: &[&str] = &[
    "",
    "IPv4",
    "FQDN",
    "user FQDN",
    "IPv4net",
    "IPv6",
    "IPv6net",
    "IPv4range",
    "IPv6range",
    "ASN1 DN",
    "ASN1 GN",
    "keyid",
];

const NOTIFY_ERROR: &[&str] = &[
    "",
    "INVALID-PAYLOAD-TYPE",
    "DOI-NOT-SUPPORTED",
    "SITUATION-NOT-SUPPORTED",
    "INVALID-COOKIE",
    "INVALID-MAJOR-VERSION",
    "INVALID-MINOR-VERSION",
    "INVALID-EXCHANGE-TYPE",
    "INVALID-FLAGS",
    "INVALID-MESSAGE-ID",
    "INVALID-PROTOCOL-ID",
    "INVALID-SPI",
    "INVALID-TRANSFORM-ID",
    "ATTRIBUTES-NOT-SUPPORTED",
    "NO-PROPOSAL-CHOSEN",
    "BAD-PROPOSAL-SYNTAX",
    "PAYLOAD-MALFORMED",
    "INVALID-KEY-INFORMATION",
    "INVALID-ID-INFORMATION",
    "INVALID-CERT-ENCODING",
    "INVALID-CERTIFICATE",
    "CERT-TYPE-UNSUPPORTED",
    "INVALID-CERT-AUTHORITY",
    "INVALID-HASH-INFORMATION",
    "AUTHENTICATION-FAILED",
    "INVALID-SIGNATURE",
    "ADDRESS-NOTIFICATION",
    "NOTIFY-SA-LIFETIME",
    "CERTIFICATE-UNAVAILABLE",
    "UNSUPPORTED-EXCHANGE-TYPE",
    "UNEQUAL-PAYLOAD-LENGTHS",
];

/// ikev1_print after `isakmp...:`: phase, initiator/responder, exchange
/// type, flags, then the payloads at -v.
pub(super) fn print(m: &mut Msg<'_, '_>, cookies: &mut Cookies, length: usize) -> Printed {
    let msgid = m.b.be32(20)?;
    let phase = if msgid == 0 { 1 } else { 2 };
    m.out.push_str(if phase == 1 {
        " phase 1"
    } else {
        " phase 2/others"
    });
    let ick = m.b.take(0, 8)?;
    match cookies.find(ick) {
        None => {
            if m.b.take(8, 8)?.iter().all(|&x| x == 0) {
                m.out.push_str(" I");
                cookies.record(ick);
            } else {
                m.out.push_str(" ?");
            }
        }
        Some(i) => m.out.push_str(if cookies.side(i, true) {
            " I"
        } else if cookies.side(i, false) {
            " R"
        } else {
            " ?"
        }),
    }
    m.out.push(' ');
    super::etype(m.out, m.b.u8(18)?);
    let flags = m.b.u8(19)?;
    if flags != 0 {
        m.out.push('[');
        if flags & 0x01 != 0 {
            m.out.push('E');
        }
        if flags & 0x02 != 0 {
            m.out.push('C');
        }
        m.out.push(']');
    }
    let ctx = Ctx {
        proto: 0,
        v2: false,
    };
    m.body(flags, ctx, length)
}

impl Msg<'_, '_> {
    /// `name:` for payload `np` (NPSTR(np) and the colon).
    fn head(&mut self, np: u8) {
        self.np(np);
        self.out.push(':');
    }

    /// The start of the SA, notification and delete payloads: `name:`,
    /// their 12-byte header checked (else the marker), the DOI.
    fn doi_head(&mut self, np: u8, ext: usize) -> Result<Option<u32>, Trunc> {
        self.head(np);
        if !self.b.has(ext, 12) {
            self.trunc(np);
            return Ok(None);
        }
        Ok(Some(self.b.be32(ext + 4)?))
    }

    /// ikev1_sa_print.
    pub(super) fn v1_sa(&mut self, ext: usize, ctx: Ctx, depth: usize) -> Next {
        let Some(doi) = self.doi_head(1, ext)? else {
            return Ok(None);
        };
        let sit = self.b.be32(ext + 8)?;
        if doi != 1 {
            let _ = write!(self.out, " doi={doi} situation={sit}");
            return Ok(Some(ext + 12));
        }
        self.out.push_str(" doi=ipsec situation=");
        let mut t = false;
        for (bit, name) in [(1, "identity"), (2, "secrecy"), (4, "integrity")] {
            if sit & bit != 0 {
                if t {
                    self.out.push('+');
                }
                self.out.push_str(name);
                t = true;
            }
        }
        let mut np = ext + 12;
        if sit != 0x01 {
            // tcpdump reads `ext + 1`, one generic header on: the DOI.
            let ident = self.b.be32(ext + 4)?;
            let _ = write!(self.out, " ident={ident}");
            np += 4;
        }
        if !self.b.has(np, 4) {
            return self.cut(1);
        }
        let ctx = Ctx { v2: false, ..ctx };
        self.sub(2, np, ctx, depth)
    }

    /// ikev1_p_print.
    pub(super) fn v1_p(&mut self, ext: usize, depth: usize) -> Next {
        self.head(2);
        if !self.b.has(ext, 8) {
            return self.cut(2);
        }
        let prot = self.b.u8(ext + 5)?;
        let _ = write!(self.out, " #{} protoid=", self.b.u8(ext + 4)?);
        str_or_id(self.out, &PROTOID, u32::from(prot));
        let _ = write!(self.out, " transform={}", self.b.u8(ext + 7)?);
        let spi = usize::from(self.b.u8(ext + 6)?);
        if spi > 0 {
            self.out.push_str(" spi=");
            if !self.raw(ext + 8, spi) {
                return self.cut(2);
            }
        }
        let next = ext + 8 + spi;
        if !self.b.has(next, 4) {
            return self.cut(2);
        }
        let ctx = Ctx {
            proto: prot,
            v2: false,
        };
        self.sub(3, next, ctx, depth)
    }

    /// ikev1_t_print.
    pub(super) fn v1_t(&mut self, ext: usize, item_len: usize, ctx: Ctx) -> Next {
        self.head(3);
        if !self.b.has(ext, 8) {
            return self.cut(3);
        }
        let (tab, map): (&[&str], &AttrMap) = match ctx.proto {
            1 => (&["", "ike"], OAKLEY_T),
            2 => (
                &[
                    "",
                    "(reserved)",
                    "md5",
                    "sha",
                    "1des",
                    "sha2-256",
                    "sha2-384",
                    "sha2-512",
                ],
                IPSEC_T,
            ),
            3 => (ESP_T, IPSEC_T),
            4 => (&["", "oui", "deflate", "lzs"], IPSEC_T),
            _ => (&[], &[]),
        };
        let (no, id) = (self.b.u8(ext + 4)?, self.b.u8(ext + 5)?);
        let _ = write!(self.out, " #{no} id=");
        if map.is_empty() {
            let _ = write!(self.out, "{id}");
        } else {
            str_or_id(self.out, tab, u32::from(id));
        }
        self.out.push(' ');
        let r = self.attrs(ext + 8, ext + item_len, map)?;
        self.t_end(r, ext + item_len, 3)
    }

    /// The end of a transform: the marker after a cut attribute, else
    /// `...` when the capture ends inside the transform.
    pub(super) fn t_end(&mut self, r: Option<usize>, ep2: usize, np: u8) -> Next {
        match r {
            None => {
                self.trunc(np);
                Ok(None)
            }
            Some(cp) => {
                if self.ep() < ep2 {
                    self.out.push_str("...");
                }
                Ok(Some(cp))
            }
        }
    }

    /// The attribute loop of a transform from `cp` to `ep2`: `Some(cp)`
    /// after it, `None` when an attribute's value was cut.
    pub(super) fn attrs(&mut self, mut cp: usize, ep2: usize, map: &AttrMap) -> Next {
        while cp < self.ep() && cp < ep2 {
            match self.attr(cp, ep2, map)? {
                Some(next) => cp = next,
                None => return Ok(None),
            }
        }
        Ok(Some(cp))
    }

    /// ikev1_attrmap_print (`map` not empty) and ikev1_attr_print: one
    /// attribute, `(type=... value=...)`.
    fn attr(&mut self, p: usize, ep2: usize, map: &AttrMap) -> Next {
        let b0 = self.b.u8(p)?;
        let tv = b0 & 0x80 != 0;
        let totlen = if tv {
            4
        } else {
            4 + usize::from(self.b.be16(p + 2)?)
        };
        if ep2 < p + totlen {
            self.out.push_str("[|attr]");
            return Ok(Some(ep2 + 1));
        }
        self.out.push('(');
        let t = usize::from(self.b.be16(p)? & 0x7fff);
        let entry = map.get(t).filter(|e| !e.0.is_empty());
        match entry {
            Some(e) => {
                let _ = write!(self.out, "type={} ", e.0);
            }
            None => {
                let _ = write!(self.out, "type=#{t} ");
            }
        }
        let ok = if tv {
            self.out.push_str("value=");
            let v = usize::from(self.b.be16(p + 2)?);
            match entry.and_then(|e| e.1.get(v)).filter(|n| !n.is_empty()) {
                Some(name) => {
                    self.out.push_str(name);
                    true
                }
                None => self.raw(p + 2, 2),
            }
        } else {
            let _ = write!(self.out, "len={} value=", totlen - 4);
            self.raw(p + 4, totlen - 4)
        };
        self.out.push(')');
        Ok(if ok { Some(p + totlen) } else { None })
    }

    /// ikev1_ke/hash/sig/vid_print: `name: len=N` (`key len=N` for ke),
    /// the data in hex at -vvv.
    pub(super) fn v1_blob(&mut self, np: u8, label: &str, ext: usize, item_len: usize) -> Next {
        self.head(np);
        self.out.push_str(label);
        let _ = write!(self.out, "{}", item_len - 4);
        if self.v > 2 && item_len > 4 {
            self.out.push(' ');
            if !self.raw(ext + 4, item_len - 4) {
                return self.cut(np);
            }
        }
        Ok(Some(ext + item_len))
    }

    /// ikev1_cert_print and ikev1_cr_print.
    pub(super) fn v1_cert(&mut self, np: u8, ext: usize, item_len: usize) -> Next {
        self.head(np);
        if !self.b.has(ext, 6) {
            return self.cut(np);
        }
        let _ = write!(self.out, " len={} type=", item_len - 4);
        str_or_id(self.out, CERT, u32::from(self.b.u8(ext + 4)?));
        if self.v > 2 && item_len > 4 {
            self.out.push(' ');
            if !self.raw(ext + 4, item_len - 4) {
                return self.cut(np);
            }
        }
        Ok(Some(ext + item_len))
    }

    /// ikev1_nonce_print.
    pub(super) fn v1_nonce(&mut self, ext: usize, item_len: usize) -> Next {
        self.head(10);
        let _ = write!(self.out, " n len={}", item_len - 4);
        if item_len > 4 && self.v > 1 {
            self.out.push(' ');
            let ok = if self.v > 2 {
                self.raw(ext + 4, item_len - 4)
            } else {
                self.somedata(ext + 4)
            };
            if !ok {
                return self.cut(10);
            }
        }
        Ok(Some(ext + item_len))
    }

    /// ikev1_id_print (the IPsec DOI form tcpdump uses in both phases).
    pub(super) fn v1_id(&mut self, ext: usize, item_len: usize) -> Next {
        self.head(5);
        if !self.b.has(ext, 8) {
            return self.cut(5);
        }
        let data = ext + 8;
        let mut len = item_len.saturating_sub(8);
        let ty = self.b.u8(ext + 4)?;
        self.out.push_str(" idtype=");
        str_or_id(self.out, IPSEC_ID, u32::from(ty));
        let _ = write!(self.out, " protoid={}", self.b.u8(ext + 5)?);
        let _ = write!(self.out, " port={}", self.b.be16(ext + 6)?);
        if len > 0 {
            let Ok(d) = self.b.take(data, len) else {
                self.trunc(5);
                return Ok(None);
            };
            let need = match ty {
                1 => 4,
                4 | 7 => 8,
                5 => 16,
                6 | 8 => 32,
                _ => 0,
            };
            if (1..=8).contains(&ty) {
                let _ = write!(self.out, " len={len}");
                if len < need {
                    let _ = write!(self.out, " [bad: < {need}]");
                } else {
                    self.out.push(' ');
                    self.id_data(ty, d);
                }
                len = 0;
            }
        }
        if len > 0 {
            let _ = write!(self.out, " len={len}");
            if self.v > 2 {
                self.out.push(' ');
                if !self.raw(data, len) {
                    return self.cut(5);
                }
            }
        }
        Ok(Some(ext + item_len))
    }

    /// The identification data of IPsec DOI id types 1..=8 (`d` long
    /// enough for the type).
    fn id_data(&mut self, ty: u8, d: &[u8]) {
        let out = &mut *self.out;
        match ty {
            2 | 3 => d.iter().for_each(|&c| print_char(out, c)),
            1 => Ip::push_addr(out, &d[..4]),
            5 => Ip::push_addr(out, &d[..16]),
            4 => {
                Ip::push_addr(out, &d[..4]);
                let _ = write!(out, "/{}.{}.{}.{}", d[4], d[5], d[6], d[7]);
            }
            6 => {
                Ip::push_addr(out, &d[..16]);
                out.push_str("/0x");
                super::hex(out, &d[16..32]);
            }
            7 | 8 => {
                let n = if ty == 7 { 4 } else { 16 };
                Ip::push_addr(out, &d[..n]);
                out.push('-');
                Ip::push_addr(out, &d[n..2 * n]);
            }
            _ => {}
        }
    }

    /// ikev1_n_print.
    pub(super) fn v1_n(&mut self, ext: usize, item_len: usize) -> Next {
        let Some(doi) = self.doi_head(11, ext)? else {
            return Ok(None);
        };
        let proto = self.b.u8(ext + 8)?;
        let ty = self.b.be16(ext + 10)?;
        if doi != 1 {
            let _ = write!(self.out, " doi={doi} proto={proto} type=");
            match ty {
                0..=8191 => str_or_id(self.out, NOTIFY_ERROR, u32::from(ty)),
                16384..=24575 => str_or_id(self.out, &["CONNECTED"], u32::from(ty - 16384)),
                _ => {
                    let _ = write!(self.out, "#{ty}");
                }
            }
        } else {
            self.out.push_str(" doi=ipsec proto=");
            str_or_id(self.out, &PROTOID, u32::from(proto));
            self.out.push_str(" type=");
            let (tab, base): (&[&str], u16) = match ty {
                0..=8191 => (NOTIFY_ERROR, 0),
                8192..=16383 => (&["RESERVED"], 8192),
                16384..=24575 => (&["CONNECTED"], 16384),
                24576..=32767 => (
                    &["RESPONDER-LIFETIME", "REPLAY-STATUS", "INITIAL-CONTACT"],
                    24576,
                ),
                _ => (&[], 0),
            };
            if tab.is_empty() {
                let _ = write!(self.out, "#{ty}");
            } else {
                str_or_id(self.out, tab, u32::from(ty - base));
            }
        }
        let spi = usize::from(self.b.u8(ext + 9)?);
        if spi > 0 {
            self.out.push_str(" spi=");
            if !self.raw(ext + 12, spi) {
                return self.cut(11);
            }
        }
        let cp = ext + 12 + spi;
        if doi != 1 {
            return Ok(Some(cp));
        }
        if cp < self.ep() {
            match ty {
                24576 => {
                    self.out.push_str(" attrs=(");
                    let r = self.attrs(cp, ext + item_len, OAKLEY_T)?;
                    self.out.push(')');
                    if r.is_none() {
                        self.trunc(11);
                        return Ok(None);
                    }
                }
                24577 => {
                    self.out.push_str(" status=(");
                    let on = self.b.be32(cp)? != 0;
                    self.out.push_str("replay detection ");
                    self.out.push_str(if on { "enabled)" } else { "disabled)" });
                }
                _ => {
                    if !self.data(cp, self.v > 3) {
                        return self.cut(11);
                    }
                }
            }
        }
        Ok(Some(ext + item_len))
    }

    /// ikev1_d_print.
    pub(super) fn v1_d(&mut self, ext: usize) -> Next {
        let Some(doi) = self.doi_head(12, ext)? else {
            return Ok(None);
        };
        let proto = self.b.u8(ext + 8)?;
        if doi != 1 {
            let _ = write!(self.out, " doi={doi} proto={proto}");
        } else {
            self.out.push_str(" doi=ipsec proto=");
            str_or_id(self.out, &PROTOID, u32::from(proto));
        }
        let spi = usize::from(self.b.u8(ext + 9)?);
        let n = self.b.be16(ext + 10)?;
        let _ = write!(self.out, " spilen={spi} nspi={n} spi=");
        let mut q = ext + 12;
        for i in 0..n {
            if i != 0 {
                self.out.push(',');
            }
            if !self.raw(q, spi) {
                return self.cut(12);
            }
            q += spi;
        }
        Ok(Some(q))
    }
}
