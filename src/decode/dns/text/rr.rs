//! ns_rprint and the EDNS options (print-domain.c): one resource record
//! of each type tcpdump decodes, as methods of the domain printer's `Msg`.

use super::*;

impl Msg<'_, '_> {
    /// ns_rprint: one resource record; `Ok(Some(end))` goes on (the end may
    /// be the captured end, which stops the caller's loop).
    pub(super) fn rprint(&mut self, cp: Pos, mdns: bool, verbose: u8) -> Step {
        let cp = if verbose > 0 {
            self.out.push(' ');
            match self.fqdn(cp, 0)? {
                Some(c) => Some(c),
                None => return Ok(None),
            }
        } else {
            self.nskip(cp)
        };
        let mut cp = match cp {
            Some(c) if self.has(c, 10) => c,
            _ => return Ok(Some(self.end())),
        };
        let typ = self.be16(cp)?;
        let i = self.be16(cp + 2)?;
        cp += 4;
        let class = if mdns { i & 0x7fff } else { i };
        if class != 1 && typ != ty::OPT {
            self.out.push(' ');
            push_class(self.out, class);
        }
        if mdns && i & 0x8000 != 0 {
            self.out.push_str(" (Cache flush)");
        }
        let mut opt_flags = 0;
        if typ == ty::OPT {
            opt_flags = self.be16(cp + 2)?;
        } else if verbose > 2 {
            self.out.push_str(" [");
            relts(self.out, self.be32(cp)?);
            self.out.push(']');
        }
        cp += 4;
        let len = self.be16(cp)?;
        cp += 2;
        let rp = cp + Pos::from(len);
        self.out.push(' ');
        push_type(self.out, typ);
        if rp > self.end() {
            return Ok(None);
        }
        match typ {
            ty::A => {
                if !self.has(cp, 4) {
                    return Ok(None);
                }
                self.out.push(' ');
                let a = [
                    self.u8(cp)?,
                    self.u8(cp + 1)?,
                    self.u8(cp + 2)?,
                    self.u8(cp + 3)?,
                ];
                push_ip4(self.out, a);
            }
            ty::NS | ty::CNAME | ty::PTR | ty::DNAME => {
                return Ok(self.spaced_name(cp)?.map(|_| rp));
            }
            // Shown with -v only.
            ty::SOA | ty::TSIG if verbose == 0 => {}
            ty::SOA => {
                let Some(c) = self.spaced_name(cp)? else {
                    return Ok(None);
                };
                let Some(c) = self.spaced_name(c)? else {
                    return Ok(None);
                };
                if !self.has(c, 20) {
                    return Ok(None);
                }
                for k in 0..5 {
                    let v = self.be32(c + 4 * k)?;
                    let _ = write!(self.out, " {v}");
                }
            }
            ty::MX => {
                self.out.push(' ');
                if !self.has(cp, 2) || self.fqdn(cp + 2, 0)?.is_none() {
                    return Ok(None);
                }
                let _ = write!(self.out, " {}", self.be16(cp)?);
            }
            ty::TXT => {
                while cp < rp {
                    self.out.push_str(" \"");
                    let Some(c) = self.cprint(cp) else {
                        return Ok(None);
                    };
                    cp = c;
                    self.out.push('"');
                }
            }
            ty::SRV => {
                self.out.push(' ');
                if !self.has(cp, 6) || self.fqdn(cp + 6, 0)?.is_none() {
                    return Ok(None);
                }
                let (pri, wt, port) = (self.be16(cp)?, self.be16(cp + 2)?, self.be16(cp + 4)?);
                let _ = write!(self.out, ":{port} {pri} {wt}");
            }
            ty::AAAA => {
                if !self.has(cp, 16) {
                    return Ok(None);
                }
                let mut a = [0u8; 16];
                for (k, v) in a.iter_mut().enumerate() {
                    *v = self.u8(cp + k as Pos)?;
                }
                self.out.push(' ');
                push_ip6(self.out, a);
            }
            ty::A6 => {
                if !self.has(cp, 1) {
                    return Ok(None);
                }
                let pbit = self.u8(cp)?;
                let pbyte = usize::from(pbit & !7) / 8;
                if pbit > 128 {
                    let _ = write!(self.out, " {pbit}(bad plen)");
                    return Ok(Some(rp));
                } else if pbit < 128 {
                    let mut a = [0u8; 16];
                    for (k, v) in a.iter_mut().enumerate().skip(pbyte) {
                        *v = self.u8(cp + 1 + (k - pbyte) as Pos)?;
                    }
                    let _ = write!(self.out, " {pbit} ");
                    push_ip6(self.out, a);
                }
                if pbit > 0 {
                    self.out.push(' ');
                    if self.fqdn(cp + 1 + (16 - pbyte) as Pos, 0)?.is_none() {
                        return Ok(None);
                    }
                }
            }
            ty::URI => {
                if !self.has(cp, usize::from(len)) {
                    return Ok(None);
                }
                let (pri, wt) = (self.get16(cp)?, self.get16(cp + 2)?);
                let _ = write!(self.out, " {pri} {wt} ");
                // len - 4 wraps in tcpdump for short records; nd_printn
                // then prints up to the captured end.
                let n = usize::from(len).checked_sub(4).unwrap_or(usize::MAX);
                if !self.printn(cp + 4, n) {
                    return Ok(None);
                }
            }
            ty::OPT => {
                let _ = write!(self.out, " UDPsize={class}");
                if opt_flags & 0x8000 != 0 {
                    self.out.push_str(" DO");
                }
                if cp < rp {
                    self.out.push_str(" [");
                    while cp < rp {
                        match self.eopt(cp)? {
                            Some(c) => cp = c,
                            None => return Ok(None),
                        }
                        if cp < rp {
                            self.out.push(',');
                        }
                    }
                    self.out.push(']');
                }
            }
            ty::UNSPECA
                if !self.has(cp, usize::from(len)) || !self.printn(cp, usize::from(len)) =>
            {
                return Ok(None);
            }
            ty::TSIG => {
                let Some(c) = self.spaced_name(cp)? else {
                    return Ok(None);
                };
                let mut c = c + 6;
                for (k, label) in ["fudge", "maclen", "origid", "error", "otherlen"]
                    .iter()
                    .enumerate()
                {
                    if !self.has(c, 2) {
                        return Ok(None);
                    }
                    let v = self.be16(c)?;
                    let _ = write!(self.out, " {label}={v}");
                    c += 2;
                    if k == 1 {
                        c += Pos::from(v);
                    }
                }
            }
            _ => {}
        }
        Ok(Some(rp))
    }

    /// print_eopt_ecs: EDNS client subnet, `ADDR/SOURCE/SCOPE`.
    fn ecs(&mut self, cp: Pos, len: usize) -> Result<(), Trunc> {
        if len < 4 {
            self.invalid();
            return Ok(());
        }
        let family = self.be16(cp)?;
        let src = u32::from(self.u8(cp + 2)?);
        let scope = u32::from(self.u8(cp + 3)?);
        let bits = match family {
            1 => 32,
            2 => 128,
            _ => {
                self.invalid();
                return Ok(());
            }
        };
        if len - 4 > bits / 8 || src > bits as u32 || scope > bits as u32 {
            self.invalid();
            return Ok(());
        }
        if (src as usize).div_ceil(8) != len - 4 {
            self.invalid();
            return Ok(());
        }
        let mut a = [0u8; 16];
        for (k, v) in a.iter_mut().enumerate().take(len - 4) {
            *v = self.u8(cp + 4 + k as Pos)?;
        }
        if family == 1 {
            push_ip4(self.out, [a[0], a[1], a[2], a[3]]);
        } else {
            push_ip6(self.out, a);
        }
        let _ = write!(self.out, "/{src}/{scope}");
        Ok(())
    }

    /// A list of one-byte algorithm numbers by name.
    fn algs(&mut self, cp: Pos, len: usize, name: fn(u8) -> Option<&'static str>) -> Printed {
        for k in 0..len {
            if k > 0 {
                self.out.push(' ');
            }
            let a = self.u8(cp + k as Pos)?;
            match name(a) {
                Some(n) => self.out.push_str(n),
                None => {
                    let _ = write!(self.out, "Alg_{a}");
                }
            }
        }
        Ok(())
    }

    /// eopt_print: one EDNS option.
    fn eopt(&mut self, mut cp: Pos) -> Step {
        if !self.has(cp, 2) {
            return Ok(None);
        }
        let opt = self.be16(cp)?;
        cp += 2;
        match edns_opt_name(opt) {
            Some(n) => self.out.push_str(n),
            None => {
                let _ = write!(self.out, "Opt{opt}");
            }
        }
        if !self.has(cp, 2) {
            return Ok(None);
        }
        let len = usize::from(self.be16(cp)?);
        cp += 2;
        if !self.has(cp, len) {
            return Ok(None);
        }
        if len > 0 {
            self.out.push(' ');
            match opt {
                8 => self.ecs(cp, len)?,
                10 => {
                    if len < 8 || (len > 8 && len < 16) || len > 40 {
                        self.invalid();
                    } else {
                        for k in 0..len {
                            if k == 8 {
                                self.out.push(' ');
                            }
                            let v = self.u8(cp + k as Pos)?;
                            let _ = write!(self.out, "{v:02x}");
                        }
                    }
                }
                11 => {
                    if len != 2 {
                        self.invalid();
                    } else {
                        let v = f64::from(self.be16(cp)?) / 10.0;
                        let _ = write!(self.out, "{v:.1} sec");
                    }
                }
                9 => {
                    if len != 4 {
                        self.invalid();
                    } else {
                        let v = self.be32(cp)?;
                        let _ = write!(self.out, "{v} sec");
                    }
                }
                12 => {
                    let _ = write!(self.out, "({len})");
                }
                14 => {
                    if len % 2 != 0 {
                        self.invalid();
                    } else {
                        for k in (0..len).step_by(2) {
                            if k > 0 {
                                self.out.push(' ');
                            }
                            let v = self.be16(cp + k as Pos)?;
                            push_num(self.out, u64::from(v));
                        }
                    }
                }
                5 => self.algs(cp, len, dau_name)?,
                6 => self.algs(cp, len, dhu_name)?,
                7 => self.algs(cp, len, n3u_name)?,
                13 => {
                    // The name's pointers are relative to the option's end.
                    self.fqdn(cp, cp + len as Pos)?;
                }
                _ => {
                    for k in 0..len {
                        let v = self.u8(cp + k as Pos)?;
                        let _ = write!(self.out, "{v:02x}");
                    }
                }
            }
        }
        Ok(Some(cp + len as Pos))
    }
}
