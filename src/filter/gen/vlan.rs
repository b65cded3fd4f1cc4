//! VLAN, MPLS and PPPoE session: the primitives that move the link
//! offsets for everything generated after them (gencode.c's `gen_vlan`,
//! `gen_mpls`, `gen_pppoes`, `insert_compute_vloffsets`).

use super::*;

impl Gen<'_> {
    pub(super) fn vlan(&mut self, id: Option<u32>) -> R<BlockId> {
        if self.label_stack_depth > 0 {
            return self.fail(K::VlanAfterMpls);
        }
        if self.link != Link::Ether {
            return self.not_on_link(Feature::Vlan);
        }
        if let Some(id) = id {
            if id > 0x0fff {
                return self.too_large(Field::VlanId, id);
            }
        }
        let outermost = self.vlan_stack_depth == 0
            && self.off_linkhdr.reg.is_none()
            && self.off_linkhdr.constant_part == 0;
        if self.opts.linux_ext && outermost {
            self.vlan_stack_depth += 1;
            return self.vlan_ext(id);
        }
        let mut b = self.vlan_tpid_test()?;
        if let Some(id) = id {
            let b1 = self.mcmp(Rel::LinkPl, 0, H, id, 0x0fff)?;
            b = self.and(b, b1);
        }
        // Everything after this looks past the tag.
        self.off_linkpl.constant_part += 4;
        self.off_linktype.constant_part = self.off_linktype.constant_part.wrapping_add(4);
        self.vlan_stack_depth += 1;
        Ok(b)
    }

    /// 802.1Q, 802.1ad or the old QinQ type in the type field.
    pub(super) fn vlan_tpid_test(&mut self) -> R<BlockId> {
        let b0 = self.linktype(ETHERTYPE_8021Q)?;
        let b1 = self.linktype(ETHERTYPE_8021AD)?;
        let b1 = self.or(b0, b1);
        let b0 = self.linktype(ETHERTYPE_8021QINQ)?;
        Ok(self.or(b1, b0))
    }

    /// `gen_vlan_bpf_extensions`: on a live Linux socket the outer tag is
    /// usually in packet metadata (`vlanp`, `vlan_tci`), not in the frame.
    /// Either is accepted; when the tag is in the frame, the payload and
    /// type offsets move by 4 at run time (registers zeroed at the start).
    pub(super) fn vlan_ext(&mut self, id: Option<u32>) -> R<BlockId> {
        let present = self.new_jump(
            vec![ld(B, skf::AD_OFF + skf::AD_VLAN_TAG_PRESENT)],
            JEQ | K,
            1,
        )?;
        let tpid = self.vlan_tpid_test()?;
        let vid = match id {
            Some(id) => Some(self.mcmp(Rel::LinkPl, 0, H, id, 0x0fff)?),
            None => None,
        };
        // Shift the variable offsets when the tag is in the frame.
        let mut shift = Vec::new();
        for which in [0, 1] {
            let var = if which == 0 {
                self.off_linkpl.reg
            } else {
                self.off_linktype.reg
            };
            let reg = match var {
                Some(r) => r,
                None => self.alloc_reg()?,
            };
            if which == 0 {
                self.off_linkpl.reg = Some(reg);
            } else {
                self.off_linktype.reg = Some(reg);
            }
            shift.extend([
                Insn::stmt(LD | MEM, reg),
                Insn::stmt(ALU | ADD | K, 4),
                Insn::stmt(ST, reg),
            ]);
        }
        let head = self.cfg.get(tpid).head;
        let blk = self.cfg.get_mut(head);
        shift.append(&mut blk.stmts);
        blk.stmts = shift;
        self.vlan_vloffset = true;
        let mut b = self.or(present, tpid);
        if let Some(vid) = vid {
            // Take the TCI from metadata when it is there, else from the frame
            // (skipping only the frame load, not the mask).
            let blk = self.cfg.get_mut(vid);
            let cnt = blk.stmts.len() as u32;
            let mut pre = vec![
                ld(B, skf::AD_OFF + skf::AD_VLAN_TAG_PRESENT),
                Insn::jump(JMP | JEQ | K, 1, 0, 2),
                ld(B, skf::AD_OFF + skf::AD_VLAN_TAG),
                Insn::stmt(JMP | JA, cnt - 1),
            ];
            pre.append(&mut blk.stmts);
            blk.stmts = pre;
            b = self.and(b, vid);
        }
        Ok(b)
    }

    pub(super) fn mpls(&mut self, label: Option<u32>) -> R<BlockId> {
        let mut b0 = if self.label_stack_depth > 0 {
            // Inner label: the previous one must not have the bottom-of-stack bit.
            self.mcmp(Rel::PrevMplsHdr, 2, B, 0, 0x01)?
        } else {
            match self.link {
                Link::Ether => self.linktype(ETHERTYPE_MPLS)?,
                Link::Ppp => self.linktype(PPP_MPLS_UCAST)?,
                _ => return self.not_on_link(Feature::Mpls),
            }
        };
        if let Some(label) = label {
            if label > 0xfffff {
                return self.too_large(Field::MplsLabel, label);
            }
            let b1 = self.mcmp(Rel::LinkPl, 0, W, label << 12, 0xffff_f000)?;
            b0 = self.and(b0, b1);
        }
        self.off_nl_nosnap = self.off_nl_nosnap.wrapping_add(4);
        self.off_nl = self.off_nl.wrapping_add(4);
        self.label_stack_depth += 1;
        Ok(b0)
    }

    pub(super) fn mpls_linktype(&mut self, proto: u32) -> R<BlockId> {
        let version = match proto {
            ETHERTYPE_IP | 0x21 => 0x40,
            ETHERTYPE_IPV6 | 0x57 => 0x60,
            _ => return self.fail(K::ProtoOverMpls),
        };
        // The bottom-of-stack bit of the last label, then the IP version.
        let b0 = self.mcmp(Rel::LinkPl, 0u32.wrapping_sub(2), B, 0x01, 0x01)?;
        let b1 = self.mcmp(Rel::LinkPl, 0, B, version, 0xf0)?;
        Ok(self.and(b0, b1))
    }

    pub(super) fn pppoes(&mut self, sess: Option<u32>) -> R<BlockId> {
        let mut b0 = self.linktype(ETHERTYPE_PPPOES)?;
        if let Some(sess) = sess {
            if sess > 0xffff {
                return self.too_large(Field::PppoeSession, sess);
            }
            let b1 = self.mcmp(Rel::LinkPl, 0, W, sess, 0x0000_ffff)?;
            b0 = self.and(b0, b1);
        }
        // The PPP header follows the 6-byte PPPoE header.
        self.link = Link::Ppp;
        self.off_linkhdr.constant_part = self
            .off_linkpl
            .constant_part
            .wrapping_add(self.off_nl)
            .wrapping_add(6);
        self.off_linkhdr.reg = self.off_linkpl.reg;
        self.off_linktype.constant_part = self.off_linkhdr.constant_part;
        self.off_linktype.reg = self.off_linkhdr.reg;
        self.off_linkpl.constant_part = self.off_linkhdr.constant_part.wrapping_add(2);
        self.off_nl = 0;
        self.off_nl_nosnap = 0;
        Ok(b0)
    }

    /// `insert_compute_vloffsets`: zero the run-time offset registers of a
    /// live-capture `vlan` before anything else runs.
    pub(super) fn insert_compute_vloffsets(&mut self, b: BlockId) {
        if !self.vlan_vloffset {
            return;
        }
        let (Some(pl), Some(lt)) = (self.off_linkpl.reg, self.off_linktype.reg) else {
            return;
        };
        let head = self.cfg.get(b).head;
        let blk = self.cfg.get_mut(head);
        let mut pre = vec![
            Insn::stmt(LD | IMM, 0),
            Insn::stmt(ST, pl),
            Insn::stmt(ST, lt),
        ];
        pre.append(&mut blk.stmts);
        blk.stmts = pre;
    }
}
