//! `protochain`: walking the IPv6 extension-header chain (or the IPv4 AH
//! chain) to the wanted protocol (gencode.c's `gen_protochain`).
//!
//! For [`super::super::Target::Userspace`] the program is libpcap's loop; for the
//! kernel, which refuses backward jumps, the loop body is unrolled
//! [`PROTOCHAIN_MAX_HEADERS`] times (see the [`super`] docs).

use super::*;
use crate::proto::IpProto;

/// Extension headers (IPv6) or AH headers (IPv4) a `protochain` program
/// walks past; a packet with more is rejected (see the module docs).
///
/// Each header takes at least 8 bytes, so 16 cover any chain that fits in
/// the first 168 bytes of an IPv6 packet. One `ip6 protochain` costs 477
/// instructions at this bound (libpcap's loop: 36), `ip protochain` 253 (24),
/// so several combine within the kernel's 4096.
pub const PROTOCHAIN_MAX_HEADERS: usize = 16;

/// IPv6 extension headers `protochain` walks past (hop-by-hop, destination
/// options, routing, fragment), in libpcap's test order.
const IPV6_EXT_HEADERS: [u32; 4] = [0, 60, 43, 44];
/// `IPPROTO_NONE`: no next header, the walk ends.
const IPPROTO_NONE: u32 = IpProto::NoNext.raw() as u32;
/// `IPPROTO_AH`.
const IPPROTO_AH: u32 = IpProto::Ah.raw() as u32;

/// Skips an IPv6 extension header at X (from the network header `nl`):
/// X += (length + 1) * 8, A = its next header (saved in `reg` meanwhile).
fn skip_ext(nl: u32, reg: u32) -> Vec<Insn> {
    vec![
        Insn::stmt(LD | IND | B, nl),
        Insn::stmt(ST, reg),
        Insn::stmt(LD | IND | B, nl.wrapping_add(1)),
        Insn::stmt(ALU | ADD | K, 1),
        Insn::stmt(ALU | MUL | K, 8),
        Insn::stmt(ALU | ADD | X, 0),
        Insn::stmt(MISC | TAX, 0),
        Insn::stmt(LD | MEM, reg),
    ]
}

/// Skips an AH header at X: X = (payload length + 2) * 4 (sic: libpcap does
/// not add the old X), A = its next header.
fn skip_ah(nl: u32, reg: u32) -> Vec<Insn> {
    vec![
        Insn::stmt(MISC | TXA, 0),
        Insn::stmt(LD | IND | B, nl),
        Insn::stmt(ST, reg),
        Insn::stmt(MISC | TXA, 0),
        Insn::stmt(ALU | ADD | K, 1),
        Insn::stmt(MISC | TAX, 0),
        Insn::stmt(LD | IND | B, nl),
        Insn::stmt(ALU | ADD | K, 2),
        Insn::stmt(ALU | MUL | K, 4),
        Insn::stmt(MISC | TAX, 0),
        Insn::stmt(LD | MEM, reg),
    ]
}

/// libpcap's `protochain` loop for [`super::Target::Userspace`], the
/// statements of one block whose exit is `jeq #v` (gencode.c's
/// `gen_protochain`, instruction for instruction). Its jumps stay inside the
/// block: forward to the final `add #0` when the walk ends, forward to a
/// header skip, and `ja` back to the loop's top after one.
fn protochain_loop(v: u32, v6: bool, nl: u32, reg: u32) -> Vec<Insn> {
    #[derive(Clone, Copy, PartialEq)]
    enum L {
        Top,
        Ext,
        AhCheck,
        End,
        Next,
    }
    let mut code: Vec<(Insn, L, L)> = Vec::new();
    let at = |code: &mut Vec<(Insn, L, L)>, i: Insn| code.push((i, L::Next, L::Next));
    let jeq = |code: &mut Vec<(Insn, L, L)>, k: u32, t: L, f: L| {
        code.push((Insn::jump(JMP | JEQ | K, k, 0, 0), t, f));
    };
    if v6 {
        at(&mut code, ld(B, nl.wrapping_add(6)));
        at(&mut code, Insn::stmt(LDX | IMM, 40));
    } else {
        at(&mut code, ld(B, nl.wrapping_add(9)));
        at(&mut code, Insn::stmt(LDX | MSH | B, nl));
    }
    let mut labels = vec![(L::Top, code.len())];
    jeq(&mut code, v, L::End, L::Next);
    jeq(&mut code, IPPROTO_NONE, L::End, L::Next);
    if v6 {
        for (i, &k) in IPV6_EXT_HEADERS.iter().enumerate() {
            let f = if i == IPV6_EXT_HEADERS.len() - 1 {
                L::AhCheck
            } else {
                L::Next
            };
            jeq(&mut code, k, L::Ext, f);
        }
        labels.push((L::Ext, code.len()));
        for i in skip_ext(nl, reg) {
            at(&mut code, i);
        }
        code.push((Insn::stmt(JMP | JA, 0), L::Top, L::Next));
    } else {
        at(&mut code, Insn::stmt(ALU | ADD | K, 0));
    }
    labels.push((L::AhCheck, code.len()));
    jeq(&mut code, IPPROTO_AH, L::Next, L::End);
    for i in skip_ah(nl, reg) {
        at(&mut code, i);
    }
    code.push((Insn::stmt(JMP | JA, 0), L::Top, L::Next));
    labels.push((L::End, code.len()));
    at(&mut code, Insn::stmt(ALU | ADD | K, 0));
    let pos = |l: L, pc: usize| match l {
        L::Next => pc + 1,
        l => labels
            .iter()
            .find(|(x, _)| *x == l)
            .map_or(pc + 1, |&(_, p)| p),
    };
    code.iter()
        .enumerate()
        .map(|(pc, &(mut insn, t, f))| {
            if insn.code == JMP | JA {
                // Back to the top: a negative offset, as a u32.
                insn.k = (pos(t, pc) as u32).wrapping_sub(pc as u32 + 1);
            } else if insn.code & 0x07 == JMP {
                insn.jt = (pos(t, pc) - (pc + 1)) as u8;
                insn.jf = (pos(f, pc) - (pc + 1)) as u8;
            }
            insn
        })
        .collect()
}

impl Gen<'_> {
    /// `gen_protochain`: walks the IPv6 extension-header chain (or the IPv4
    /// AH chain) looking for protocol `v`.
    ///
    /// libpcap emits one loop body and jumps back to it; the kernel refuses
    /// backward jumps, so the body is unrolled [`PROTOCHAIN_MAX_HEADERS`]
    /// times (see the module docs). Each copy performs libpcap's loads and
    /// tests in libpcap's order, so truncated packets end the same way.
    pub(super) fn protochain(&mut self, v: u32, proto: Proto) -> R<BlockId> {
        // libpcap allocates the scratch register first, and never frees it
        // on the `Q_DEFAULT` path (which matters for later register numbers).
        let reg = self.alloc_reg()?;
        match proto {
            Proto::Default => {
                let b0 = self.protochain(v, Proto::Ip)?;
                let b = self.protochain(v, Proto::Ip6)?;
                return Ok(self.or(b0, b));
            }
            Proto::Ip | Proto::Ip6 => {}
            _ => return self.fail(K::ProtochainProto),
        }
        if self.off_linkpl.reg.is_some() {
            return self.fail(K::ProtochainVariable);
        }
        // libpcap's optimizer leaves protochain graphs alone; so does ours,
        // which keeps the program libpcap's, test for test.
        self.cfg.no_optimize = true;
        let nl = self.off_linkpl.constant_part.wrapping_add(self.off_nl);
        let v6 = proto == Proto::Ip6;
        let b0 = self.linktype(if v6 { ETHERTYPE_IPV6 } else { ETHERTYPE_IP })?;
        if self.opts.target == Target::Userspace {
            let b = self.new_jump(protochain_loop(v, v6, nl, reg), JEQ | K, v)?;
            self.free_reg(reg);
            return Ok(self.and(b0, b));
        }
        // Where libpcap's loop ends: `add #0; jeq #v`, the sub-graph's exit.
        let end = self.new_jump(vec![Insn::stmt(ALU | ADD | K, 0)], JEQ | K, v)?;
        // Built from the last copy to the first: `next` is the `jeq #59` that
        // starts the following copy (the `jeq #v` before it is folded into
        // the block that advanced past the header).
        // After the last header walked past, one more test of libpcap's body:
        // the wanted protocol or any other non-extension value ends the walk
        // as in libpcap; another extension header rejects the packet.
        let reject = self.cfg.block(Vec::new(), Exit::Ret(0));
        let mut next = self.protochain_step(v, v6, nl, reg, end, None, reject)?;
        for _ in 0..PROTOCHAIN_MAX_HEADERS {
            next = self.protochain_step(v, v6, nl, reg, end, Some(next), reject)?;
        }
        let first = if v6 {
            vec![ld(B, nl.wrapping_add(6)), Insn::stmt(LDX | IMM, 40)]
        } else {
            vec![ld(B, nl.wrapping_add(9)), Insn::stmt(LDX | MSH | B, nl)]
        };
        let head = self.edges(first, JEQ | K, v, end, next)?;
        self.cfg.get_mut(end).head = head;
        self.free_reg(reg);
        Ok(self.and(b0, end))
    }

    /// One copy of libpcap's protochain loop body, entered with A = the next
    /// header value and X = its header's offset from the network header
    /// (after the `jeq #v` that starts libpcap's body). Returns its entry.
    /// Without a `next` copy, an extension header goes to `reject` instead
    /// of being walked past.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn protochain_step(
        &mut self,
        v: u32,
        v6: bool,
        nl: u32,
        reg: u32,
        end: BlockId,
        next: Option<BlockId>,
        reject: BlockId,
    ) -> R<BlockId> {
        let ah = match next {
            Some(next) => self.edges(skip_ah(nl, reg), JEQ | K, v, end, next)?,
            None => reject,
        };
        if !v6 {
            let add0 = vec![Insn::stmt(ALU | ADD | K, 0)];
            let ahcheck = self.edges(add0, JEQ | K, IPPROTO_AH, ah, end)?;
            return self.edges(Vec::new(), JEQ | K, IPPROTO_NONE, end, ahcheck);
        }
        let ahcheck = self.edges(Vec::new(), JEQ | K, IPPROTO_AH, ah, end)?;
        let advance = match next {
            Some(next) => self.edges(skip_ext(nl, reg), JEQ | K, v, end, next)?,
            None => reject,
        };
        // Built from the last test to the first.
        let mut b = ahcheck;
        for &k in IPV6_EXT_HEADERS.iter().rev() {
            b = self.edges(Vec::new(), JEQ | K, k, advance, b)?;
        }
        self.edges(Vec::new(), JEQ | K, IPPROTO_NONE, end, b)
    }

    /// A block with both successors set (internal to a sub-graph).
    pub(super) fn edges(
        &mut self,
        stmts: Vec<Insn>,
        op: u16,
        k: u32,
        jt: BlockId,
        jf: BlockId,
    ) -> R<BlockId> {
        let b = self.new_jump(stmts, op, k)?;
        let blk = self.cfg.get_mut(b);
        blk.jt = Some(jt);
        blk.jf = Some(jf);
        Ok(b)
    }
}
