//! Geneve: the tunnel's checks, and the run-time offsets of the inner
//! frame every later primitive is generated against (gencode.c's
//! `gen_geneve`, `gen_geneve_offsets`, `gen_prevlinkhdr_check`).

use super::*;

impl Gen<'_> {
    /// `gen_prevlinkhdr_check`: inside Geneve, link-layer tests need an inner
    /// Ethernet header (the link header and payload offsets differ).
    pub(super) fn prevlinkhdr_check(&mut self) -> R<Option<BlockId>> {
        if !self.is_geneve {
            return Ok(None);
        }
        let (Some(hdr), Some(pl)) = (self.off_linkhdr.reg, self.off_linkpl.reg) else {
            return Ok(None);
        };
        let s = vec![Insn::stmt(LD | MEM, hdr), Insn::stmt(LDX | MEM, pl)];
        let b = self.new_jump(s, JEQ | X, 0)?;
        Ok(Some(self.not(b)))
    }

    /// `gen_geneve`: UDP port 6081, version 0, optional VNI, over IPv4 or
    /// IPv6; everything after it looks inside the tunnel, at offsets computed
    /// at run time into scratch registers (libpcap then skips its optimizer).
    pub(super) fn geneve(&mut self, vni: Option<u32>) -> R<BlockId> {
        let b0 = self.geneve_ip(vni, false)?;
        let b1 = self.geneve_ip(vni, true)?;
        let b0 = self.or(b0, b1);
        let mut s = self.geneve_offsets()?;
        let t = self.gen_true()?;
        let blk = self.cfg.get_mut(t);
        s.append(&mut blk.stmts);
        blk.stmts = s;
        let b = self.and(b0, t);
        self.is_geneve = true;
        self.cfg.no_optimize = true;
        Ok(b)
    }

    /// `gen_geneve4`/`gen_geneve6`: the checks, then A = the offset of the UDP header.
    pub(super) fn geneve_ip(&mut self, vni: Option<u32>, v6: bool) -> R<BlockId> {
        let rel = if v6 { Rel::TranIpv6 } else { Rel::TranIpv4 };
        let b0 = self.port(Ports::one(GENEVE_PORT), PortProto::Udp, Dir::Dst, v6)?;
        // Version 0 (top two bits of the first byte).
        let b1 = self.mcmp(rel, 8, B, 0, 0xc0)?;
        let mut b0 = self.and(b0, b1);
        if let Some(vni) = vni {
            if vni > 0xff_ffff {
                return self.too_large(Field::GeneveVni, vni);
            }
            let b1 = self.mcmp(rel, 12, W, vni << 8, 0xffff_ff00)?;
            b0 = self.and(b0, b1);
        }
        let mut s = if v6 {
            match self.off_linkpl.reg {
                Some(reg) => vec![
                    Insn::stmt(LDX | MEM, reg),
                    Insn::stmt(LD | IMM, 40),
                    Insn::stmt(ALU | ADD | X, 0),
                ],
                None => vec![Insn::stmt(LD | IMM, 40)],
            }
        } else {
            self.loadx_iphdrlen()
        };
        // `jeq x` after A = X (or X = A) always holds: it carries the statements.
        s.push(Insn::stmt(MISC | if v6 { TAX } else { TXA }, 0));
        let b1 = self.new_jump(s, JEQ | X, 0)?;
        Ok(self.and(b0, b1))
    }

    /// `gen_geneve_offsets`: from A (the UDP header offset) compute where the
    /// inner link type, link header and payload are, into fresh registers.
    pub(super) fn geneve_offsets(&mut self) -> R<Vec<Insn>> {
        let at = self
            .off_linkpl
            .constant_part
            .wrapping_add(self.off_nl)
            .wrapping_add(8);
        let linktype = self.alloc_reg()?;
        let mut s = vec![
            Insn::stmt(ALU | ADD | K, at),
            Insn::stmt(MISC | TAX, 0),
            Insn::stmt(ALU | ADD | K, 2),
            Insn::stmt(ST, linktype),
            // Option length (6 bits, in 4-byte words) plus the 8-byte base header.
            Insn::stmt(LD | B | IND, 0),
            Insn::stmt(ALU | AND | K, 0x3f),
            Insn::stmt(ALU | MUL | K, 4),
            Insn::stmt(ALU | ADD | K, 8),
            Insn::stmt(ALU | ADD | X, 0),
        ];
        let linkhdr = self.alloc_reg()?;
        s.push(Insn::stmt(ST, linkhdr));
        s.push(Insn::stmt(LD | H | IND, 2));
        s.push(Insn::stmt(LDX | MEM, linkhdr));
        // Transparent Ethernet Bridging: skip the inner Ethernet header.
        s.push(Insn::jump(JMP | JEQ | K, ETHERTYPE_TEB, 0, 5));
        s.push(Insn::stmt(MISC | TXA, 0));
        s.push(Insn::stmt(ALU | ADD | K, 12));
        s.push(Insn::stmt(ST, linktype));
        s.push(Insn::stmt(ALU | ADD | K, 2));
        s.push(Insn::stmt(MISC | TAX, 0));
        let linkpl = self.alloc_reg()?;
        s.push(Insn::stmt(STX, linkpl));
        self.link = Link::Ether;
        self.off_linkhdr.constant_part = 0;
        self.off_linkhdr.reg = Some(linkhdr);
        self.off_linktype.constant_part = 0;
        self.off_linktype.reg = Some(linktype);
        self.off_linkpl.constant_part = 0;
        self.off_linkpl.reg = Some(linkpl);
        self.off_nl = 0;
        Ok(s)
    }
}
