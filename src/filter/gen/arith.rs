//! Arithmetic and relations: `proto[index:size]` loads, `len`, the
//! operators, and `arth relop arth` (gencode.c's `gen_load`, `gen_arth`,
//! `gen_relation`), with the scratch-register allocator they share.

use super::*;

impl Gen<'_> {
    /// `gen_byteop`: `byte N op V`, byte N of the link-layer header. As in
    /// libpcap, `&` and `|` do not load byte N: they AND or OR V into
    /// whatever A holds when the test runs and accept when the result is
    /// not zero (A is 0 at the start of a program).
    pub(super) fn byteop(&mut self, idx: u32, op: ByteOp, v: u32) -> R<BlockId> {
        let alu = match op {
            ByteOp::Eq => return self.cmp(Rel::LinkHdr, idx, B, v),
            ByteOp::Lt => return self.cmp_lt(Rel::LinkHdr, idx, B, v),
            ByteOp::Gt => return self.cmp_gt(Rel::LinkHdr, idx, B, v),
            ByteOp::And => ALU | AND | K,
            ByteOp::Or => ALU | OR | K,
        };
        let b = self.new_jump(vec![Insn::stmt(alu, v)], JEQ | K, 0)?;
        Ok(self.not(b))
    }

    pub(super) fn alloc_reg(&mut self) -> R<u32> {
        for _ in 0..16 {
            if self.regused[self.curreg] {
                self.curreg = (self.curreg + 1) % 16;
            } else {
                self.regused[self.curreg] = true;
                return Ok(self.curreg as u32);
            }
        }
        self.fail(K::TooManyRegisters)
    }

    pub(super) fn free_reg(&mut self, r: u32) {
        if let Some(u) = self.regused.get_mut(r as usize) {
            *u = false;
        }
    }

    pub(super) fn arith(&mut self, a: &Arith) -> R<ArthVal> {
        match a {
            Arith::Num(v, _) => {
                let reg = self.alloc_reg()?;
                Ok(ArthVal {
                    s: vec![Insn::stmt(LD | IMM, *v), Insn::stmt(ST, reg)],
                    regno: reg,
                    b: None,
                })
            }
            Arith::Len => {
                let reg = self.alloc_reg()?;
                Ok(ArthVal {
                    s: vec![Insn::stmt(LD | W | LEN, 0), Insn::stmt(ST, reg)],
                    regno: reg,
                    b: None,
                })
            }
            Arith::Neg(x) => {
                let mut a = self.arith(x)?;
                a.s.push(Insn::stmt(LD | MEM, a.regno));
                a.s.push(Insn::stmt(ALU | NEG, 0));
                a.s.push(Insn::stmt(ST, a.regno));
                Ok(a)
            }
            Arith::Bin(op, x, y, span) => {
                let mut a0 = self.arith(x)?;
                let a1 = self.arith(y)?;
                let code = op.bits();
                // libpcap checks the first statement of the right operand only.
                let first = a1.s.first().copied().unwrap_or_default();
                if first.code == LD | IMM {
                    let refusal = match code {
                        DIV if first.k == 0 => Some(K::DivisionByZero),
                        MOD if first.k == 0 => Some(K::ModulusByZero),
                        LSH | RSH if first.k > 31 => Some(K::ShiftTooFar),
                        _ => None,
                    };
                    if let Some(k) = refusal {
                        return err(*span, k);
                    }
                }
                a0.s.extend(a1.s);
                a0.s.push(Insn::stmt(LDX | MEM, a1.regno));
                a0.s.push(Insn::stmt(LD | MEM, a0.regno));
                a0.s.push(Insn::stmt(ALU | X | code, 0));
                self.free_reg(a0.regno);
                self.free_reg(a1.regno);
                let reg = self.alloc_reg()?;
                a0.s.push(Insn::stmt(ST, reg));
                a0.regno = reg;
                // libpcap's gen_arth keeps only the left operand's protocol
                // checks; the right operand's are dropped (its loads then run
                // unguarded, which only matters for what they return).
                Ok(a0)
            }
            Arith::Load {
                proto,
                index,
                size,
                span,
            } => {
                let inst = self.arith(index)?;
                self.span = *span;
                self.load(*proto, inst, *size)
            }
        }
    }

    /// `gen_load`: `proto[index:size]`.
    pub(super) fn load(&mut self, proto: Proto, mut inst: ArthVal, size: u32) -> R<ArthVal> {
        use Proto as P;
        let regno = self.alloc_reg()?;
        self.free_reg(inst.regno);
        let size = match size {
            1 => B,
            2 => H,
            4 => W,
            _ => return self.fail(K::DataSize(size)),
        };
        match proto {
            P::Link => {
                inst.s
                    .extend(Self::index_to_x(self.off_linkhdr.reg, inst.regno));
                inst.s
                    .push(Insn::stmt(LD | IND | size, self.off_linkhdr.constant_part));
            }
            P::Ip
            | P::Arp
            | P::Rarp
            | P::Atalk
            | P::Decnet
            | P::Sca
            | P::Lat
            | P::Moprc
            | P::Mopdl
            | P::Ip6 => {
                inst.s
                    .extend(Self::index_to_x(self.off_linkpl.reg, inst.regno));
                inst.s.push(Insn::stmt(
                    LD | IND | size,
                    self.off_linkpl.constant_part.wrapping_add(self.off_nl),
                ));
                let b = self.proto_abbrev(proto)?;
                let b = match inst.b {
                    Some(ib) => self.and(ib, b),
                    None => b,
                };
                inst.b = Some(b);
            }
            P::Sctp
            | P::Tcp
            | P::Udp
            | P::Icmp
            | P::Igmp
            | P::Igrp
            | P::Pim
            | P::Vrrp
            | P::Carp => {
                inst.s.extend(self.loadx_iphdrlen());
                inst.s.push(Insn::stmt(LD | MEM, inst.regno));
                inst.s.push(Insn::stmt(ALU | ADD | X, 0));
                inst.s.push(Insn::stmt(MISC | TAX, 0));
                inst.s.push(Insn::stmt(
                    LD | IND | size,
                    self.off_linkpl.constant_part.wrapping_add(self.off_nl),
                ));
                let t = self.proto_abbrev(proto)?;
                let f = self.ipfrag()?;
                let mut b = self.and(t, f);
                if let Some(ib) = inst.b {
                    b = self.and(ib, b);
                }
                let ip = self.proto_abbrev(P::Ip)?;
                b = self.and(ip, b);
                inst.b = Some(b);
            }
            P::Icmp6 => {
                let mut b = self.proto_abbrev(P::Ip6)?;
                if let Some(ib) = inst.b {
                    b = self.and(ib, b);
                }
                let nh = self.cmp(Rel::LinkPl, 6, B, 58)?;
                b = self.and(b, nh);
                inst.b = Some(b);
                inst.s
                    .extend(Self::index_to_x(self.off_linkpl.reg, inst.regno));
                inst.s.push(Insn::stmt(
                    LD | IND | size,
                    self.off_linkpl
                        .constant_part
                        .wrapping_add(self.off_nl)
                        .wrapping_add(40),
                ));
            }
            _ => return self.fail(K::IndexProto),
        }
        inst.regno = regno;
        inst.s.push(Insn::stmt(ST, regno));
        Ok(inst)
    }

    /// `gen_relation`.
    pub(super) fn relation(&mut self, op: RelOp, x: &Arith, y: &Arith) -> R<BlockId> {
        let span = self.span;
        let a0 = self.arith(x)?;
        let a1 = self.arith(y)?;
        self.span = span;
        let (jop, reversed) = match op {
            RelOp::Gt => (JGT, false),
            RelOp::Ge => (JGE, false),
            RelOp::Eq => (JEQ, false),
            RelOp::Le => (JGT, true),
            RelOp::Lt => (JGE, true),
            RelOp::Ne => (JEQ, true),
        };
        let mut s = a0.s;
        s.extend(a1.s);
        s.push(Insn::stmt(LDX | MEM, a1.regno));
        s.push(Insn::stmt(LD | MEM, a0.regno));
        let b = if jop == JEQ {
            s.push(Insn::stmt(ALU | SUB | X, 0));
            self.new_jump(s, JEQ | K, 0)?
        } else {
            self.new_jump(s, jop | X, 0)?
        };
        if reversed {
            self.not(b);
        }
        self.free_reg(a0.regno);
        self.free_reg(a1.regno);
        let tmp = match (a0.b, a1.b) {
            (Some(b0), Some(b1)) => Some(self.and(b0, b1)),
            (b0, b1) => b0.or(b1),
        };
        Ok(match tmp {
            Some(t) => self.and(t, b),
            None => b,
        })
    }
}
