//! IKEv2 (print-isakmp.c's ikev2_print and ikev2_*_print).

use super::v1::{DH, ENCR_T, ESP_T};
use super::{str_or_id, Ctx, Msg, Next, NPSTR, PROTOID};
use crate::decode::trunc::Printed;
use core::fmt::Write;

/// ikev2_print after `isakmp...:`: parent/child SA, exchange type, flags,
/// then the payloads at -v.
pub(super) fn print(m: &mut Msg<'_, '_>, length: usize) -> Printed {
    let msgid = m.b.be32(20)?;
    let phase = if msgid == 0 { 1 } else { 2 };
    m.out.push_str(if phase == 1 {
        " parent_sa "
    } else {
        " child_sa  "
    });
    super::etype(m.out, m.b.u8(18)?);
    let flags = m.b.u8(19)?;
    if flags != 0 {
        m.out.push('[');
        for (bit, c) in [(0x08, 'I'), (0x10, 'V'), (0x20, 'R')] {
            if flags & bit != 0 {
                m.out.push(c);
            }
        }
        m.out.push(']');
    }
    let ctx = Ctx { proto: 0, v2: true };
    m.body(flags, ctx, length)
}

/// The names of IKEv2 notify types and whether tcpdump shows their SPI
/// (and, for the cookie, some data).
fn notify(ty: u16) -> (&'static str, bool) {
    match ty {
        1 => ("unsupported_critical_payload", false),
        4 => ("invalid_ike_spi", true),
        5 => ("invalid_major_version", false),
        7 => ("invalid_syntax", true),
        9 => ("invalid_message_id", true),
        11 => ("invalid_spi", true),
        14 => ("no_protocol_chosen", true),
        17 => ("invalid_ke_payload", true),
        24 => ("authentication_failed", true),
        34 => ("single_pair_required", true),
        35 => ("no_additional_sas", false),
        36 => ("internal_address_failure", false),
        37 => ("failed:cp_required", false),
        39 => ("invalid_selectors", false),
        16384 => ("initial_contact", false),
        16385 => ("set_window_size", false),
        16386 => ("additional_ts_possible", false),
        16387 => ("ipcomp_supported", false),
        16388 => ("nat_detection_source_ip", true),
        16389 => ("nat_detection_destination_ip", true),
        16390 => ("cookie", true),
        16391 => ("use_transport_mode", false),
        16392 => ("http_cert_lookup_supported", false),
        16393 => ("rekey_sa", true),
        16394 => ("tfc_padding_not_supported", false),
        16395 => ("non_first_fragment_also", false),
        0..=8191 => ("error", true),
        8192..=16383 => ("private-error", true),
        16396..=40959 => ("status", true),
        _ => ("private-status", true),
    }
}

impl Msg<'_, '_> {
    /// ikev2_pay_print: `name:` or `name[C]:`.
    fn pay(&mut self, name: &str, critical: u8) {
        self.out.push_str(name);
        if critical & 0x80 != 0 {
            self.out.push_str("[C]");
        }
        self.out.push(':');
    }

    /// NPSTR(np) as a string (for ikev2_pay_print).
    fn npname(np: u8) -> String {
        let mut s = String::new();
        str_or_id(&mut s, &NPSTR, u32::from(np));
        s
    }

    /// The `-vvv` hex of a payload's body: ` HEX`, false if cut.
    fn hex3(&mut self, at: usize, len: usize, min: usize) -> bool {
        if self.v > 2 && len > min {
            self.out.push(' ');
            return self.raw(at, len);
        }
        true
    }

    /// ikev2_gen_print (cert, cr, d, TSi, TSr, cp, eap).
    pub(super) fn v2_gen(&mut self, np: u8, ext: usize, item_len: usize) -> Next {
        let c = self.b.u8(ext + 1)?;
        self.pay(&Self::npname(np), c);
        let _ = write!(self.out, " len={}", item_len - 4);
        let ok = self.hex3(ext + 4, item_len - 4, 0);
        self.end(ok, np, ext + item_len)
    }

    /// ikev2_sa_print: the proposals, each with its transforms.
    pub(super) fn v2_sa(&mut self, tpay: u8, ext1: usize, depth: usize) -> Next {
        let c = self.b.u8(ext1 + 1)?;
        self.pay("sa", c);
        let osa = usize::from(self.b.be16(ext1 + 2)?);
        let sa_length = osa - 4;
        let _ = write!(self.out, " len={sa_length}");
        self.v2_items(2, ext1 + 4, sa_length, tpay, depth)
    }

    /// The item loop of ikev2_sa_print (`first` 2: proposals) and
    /// ikev2_p_print (3: transforms) over the `len` bytes from `cp` the
    /// enclosing payload gives; `marker` names the enclosing payload in its
    /// ` [|name]`. Items of another type print their name only.
    fn v2_items(
        &mut self,
        first: u8,
        mut cp: usize,
        mut len: usize,
        marker: u8,
        depth: usize,
    ) -> Next {
        let mut np = first;
        let mut count = 0u32;
        while np != 0 {
            count += 1;
            let ext = cp;
            if len < 4 {
                self.trunc(marker);
                return Ok(Some(cp + len));
            }
            if !self.b.has(ext, 4) {
                return self.cut(marker);
            }
            let item_len = usize::from(self.b.be16(ext + 2)?);
            if item_len <= 4 {
                return self.cut(marker);
            }
            if len < item_len {
                self.trunc(marker);
                return Ok(Some(cp + len));
            }
            if !self.b.has(cp, item_len) {
                return self.cut(marker);
            }
            self.open(depth + 1);
            if np == first {
                let r = if first == 2 {
                    self.v2_p(ext, item_len, depth + 1)?
                } else {
                    self.v2_t(count, ext, item_len)?
                };
                match r {
                    Some(next) => cp = next,
                    None => return Ok(None),
                }
            } else {
                self.np(np);
                cp += item_len;
            }
            self.out.push(')');
            len -= item_len;
            np = self.b.u8(ext)?;
        }
        Ok(Some(cp))
    }

    /// ikev2_p_print: one proposal and its transforms.
    fn v2_p(&mut self, ext0: usize, oprop_length: usize, depth: usize) -> Next {
        if !self.b.has(ext0, 8) {
            return self.cut(2);
        }
        let c = self.b.u8(ext0 + 1)?;
        self.pay("p", c);
        let mut prop_length = oprop_length - 4;
        let _ = write!(self.out, " #{} protoid=", self.b.u8(ext0 + 4)?);
        str_or_id(self.out, &PROTOID, u32::from(self.b.u8(ext0 + 5)?));
        let _ = write!(
            self.out,
            " transform={} len={oprop_length}",
            self.b.u8(ext0 + 7)?
        );
        let mut cp = ext0 + 8;
        let spi = usize::from(self.b.u8(ext0 + 6)?);
        if spi > 0 {
            if prop_length < spi {
                self.trunc(2);
                return Ok(Some(cp + prop_length));
            }
            self.out.push_str(" spi=");
            if !self.raw(cp, spi) {
                return self.cut(2);
            }
            cp += spi;
            prop_length -= spi;
        }
        self.v2_items(3, cp, prop_length, 2, depth)
    }

    /// ikev2_t_print: `t: #N type=encr id=aes (type=keylen value=0080)`.
    fn v2_t(&mut self, tcount: u32, ext: usize, item_len: usize) -> Next {
        if !self.b.has(ext, 8) {
            return self.cut(3);
        }
        let c = self.b.u8(ext + 1)?;
        self.pay("t", c);
        let id = self.b.be16(ext + 6)?;
        let ty = self.b.u8(ext + 4)?;
        let (tab, map): (&[&str], &[(&str, &[&str])]) = match ty {
            1 => (ESP_T, ENCR_T),
            2 => (
                &["", "hmac-md5", "hmac-sha", "hmac-tiger", "aes128_xcbc"],
                &[],
            ),
            3 => (
                &[
                    "", "hmac-md5", "hmac-sha", "dec-mac", "kpdk-md5", "aes-xcbc",
                ],
                &[],
            ),
            4 => (DH, &[]),
            5 => (&["no-esn", "esn"], &[]),
            _ => (&[], &[]),
        };
        let _ = write!(self.out, " #{tcount} type=");
        str_or_id(
            self.out,
            &["", "encr", "prf", "integ", "dh", "esn"],
            u32::from(ty),
        );
        self.out.push_str(" id=");
        if (1..=5).contains(&ty) {
            str_or_id(self.out, tab, u32::from(id));
        } else {
            let _ = write!(self.out, "{id}");
        }
        self.out.push(' ');
        let r = self.attrs(ext + 8, ext + item_len, map)?;
        self.t_end(r, ext + item_len, 3)
    }

    /// ikev2_ke_print.
    pub(super) fn v2_ke(&mut self, np: u8, ext: usize, item_len: usize) -> Next {
        if !self.b.has(ext, 8) {
            return self.cut(np);
        }
        let c = self.b.u8(ext + 1)?;
        self.pay(&Self::npname(np), c);
        if item_len < 8 {
            let _ = write!(self.out, " len={item_len} < 8");
            return Ok(Some(ext + item_len));
        }
        let _ = write!(self.out, " len={} group=", item_len - 8);
        str_or_id(self.out, DH, u32::from(self.b.be16(ext + 4)?));
        let ok = self.hex3(ext + 8, item_len - 8, 0);
        self.end(ok, np, ext + item_len)
    }

    /// ikev2_ID_print.
    pub(super) fn v2_id(&mut self, np: u8, ext: usize, item_len: usize) -> Next {
        if !self.b.has(ext, 8) {
            return self.cut(np);
        }
        let c = self.b.u8(ext + 1)?;
        self.pay(&Self::npname(np), c);
        let _ = write!(self.out, " len={}", item_len - 4);
        if !self.hex3(ext + 4, item_len - 4, 0) {
            return self.cut(np);
        }
        // item_len - 8 as tcpdump's u_int: 5..7 wrap to a length no
        // capture holds (the read below fails).
        let idlen = item_len.checked_sub(8).unwrap_or(usize::MAX);
        let (label, text) = match self.b.u8(ext + 4)? {
            1 => (" ipv4:", false),
            2 => (" fqdn:", true),
            3 => (" rfc822:", true),
            5 => (" ipv6:", false),
            9 => (" dn:", false),
            10 => (" gn:", false),
            11 => (" keyid:", false),
            _ => return Ok(Some(ext + item_len)),
        };
        self.out.push_str(label);
        let ok = if text {
            self.ascii(ext + 8, idlen)
        } else {
            self.raw(ext + 8, idlen)
        };
        self.end(ok, np, ext + item_len)
    }

    /// ikev2_auth_print.
    pub(super) fn v2_auth(&mut self, np: u8, ext: usize, item_len: usize) -> Next {
        if !self.b.has(ext, 8) {
            return self.cut(np);
        }
        let c = self.b.u8(ext + 1)?;
        self.pay(&Self::npname(np), c);
        let _ = write!(self.out, " len={} method=", item_len - 4);
        let method = self.b.u8(ext + 4)?;
        str_or_id(
            self.out,
            &["invalid", "rsasig", "shared-secret", "dsssig"],
            u32::from(method),
        );
        let ok = if self.v > 1 {
            self.out.push_str(" authdata=(");
            let len = item_len.checked_sub(8).unwrap_or(usize::MAX);
            let ok = self.raw(ext + 8, len);
            if ok {
                self.out.push_str(") ");
            }
            ok
        } else {
            self.v == 0 || self.somedata(ext + 8)
        };
        self.end(ok, np, ext + item_len)
    }

    /// ikev2_nonce_print.
    pub(super) fn v2_nonce(&mut self, np: u8, ext: usize, item_len: usize) -> Next {
        let c = self.b.u8(ext + 1)?;
        self.pay("nonce", c);
        let _ = write!(self.out, " len={}", item_len - 4);
        let ok = if self.v > 1 {
            self.out.push_str(" nonce=(");
            let ok = self.raw(ext + 4, item_len - 4);
            if ok {
                self.out.push_str(") ");
            }
            ok
        } else {
            self.v == 0 || self.somedata(ext + 4)
        };
        self.end(ok, np, ext + item_len)
    }

    /// ikev2_n_print.
    pub(super) fn v2_n(&mut self, ext: usize, item_len: usize) -> Next {
        if !self.b.has(ext, 8) {
            return self.cut(11);
        }
        let c = self.b.u8(ext + 1)?;
        self.pay("n", c);
        self.out.push_str(" prot_id=");
        str_or_id(self.out, &PROTOID, u32::from(self.b.u8(ext + 4)?));
        let ty = self.b.be16(ext + 6)?;
        let (name, showspi) = notify(ty);
        let some = ty == 16390;
        let _ = write!(self.out, " type={ty}({name})");
        let spi = usize::from(self.b.u8(ext + 5)?);
        if showspi && spi > 0 {
            self.out.push_str(" spi=");
            if !self.raw(ext + 8, spi) {
                return self.cut(11);
            }
        }
        let cp = ext + 8 + spi;
        let ep = self.ep();
        if cp < ep && (some || self.v > 3) && !self.data(cp, self.v > 3 || ep - cp < 30) {
            return self.cut(11);
        }
        Ok(Some(ext + item_len))
    }

    /// ikev2_vid_print.
    pub(super) fn v2_vid(&mut self, np: u8, ext: usize, item_len: usize) -> Next {
        let c = self.b.u8(ext + 1)?;
        self.pay(&Self::npname(np), c);
        let len = item_len - 4;
        let _ = write!(self.out, " len={len} vid=");
        if !self.ascii(ext + 4, len) || !self.hex3(ext + 4, len, 4) {
            return self.cut(np);
        }
        Ok(Some(ext + item_len))
    }

    /// ikev2_e_print: the encrypted payload ends the chain (tcpdump
    /// decrypts only with `-E`).
    pub(super) fn v2_e(&mut self, np: u8, ext: usize, item_len: usize) -> Next {
        let c = self.b.u8(ext + 1)?;
        self.pay(&Self::npname(np), c);
        let dlen = item_len - 4;
        let _ = write!(self.out, " len={dlen}");
        if !self.hex3(ext + 4, dlen, 4) || !self.b.has(ext + 4, dlen) {
            self.trunc(np);
        }
        Ok(None)
    }
}
