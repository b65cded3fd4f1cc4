//! The classic BPF interpreter, with the Linux kernel's run-time semantics.
//!
//! In: a [`Program`], the captured bytes, the wire length and the socket-buffer
//! metadata ([`Meta`]) that ancillary loads read. Out: the filter's return
//! value, the number of bytes to keep (0 drops the packet).
//!
//! The semantics are those of Linux 6.18, which converts classic BPF to eBPF
//! (`bpf_convert_filter` in `net/core/filter.c`) before running it:
//! - A, X and the scratch words `M[0..16]` start at 0;
//! - a packet load outside the packet ends the program with 0;
//! - negative offsets: `SKF_NET_OFF + n` reads at the network header + n,
//!   `SKF_LL_OFF + n` at the link-layer header + n (0 when the buffer has none),
//!   anything below `SKF_LL_OFF` ends the program with 0;
//! - `ld #len` is the wire length (`skb->len`);
//! - run-time division or modulo by X = 0 ends the program with 0;
//! - shifts by X use the low 5 bits of X (the 32-bit eBPF shift);
//! - an `ifidx`/`hatype` load on a buffer without a device ([`Meta::ifindex`] 0)
//!   ends the program returning A.
//!
//! Entry points: [`run`] gives one verdict with no set-up, decoding each
//! instruction as it goes, and [`trace`] the same verdict with every step
//! reported (the filter debugger, `rawcap trace`). To filter many packets,
//! use [`crate::bpf::Machine`]: it prepares the program once on the fastest
//! engine, [`Fused`] or [`Decoded`] here (which it picks between; use them
//! directly only to compare engines).
//!
//! Invariant: `run` never panics, whatever the program; a program the kernel
//! would refuse (see [`crate::bpf::validate()`]) gives some value, not a crash
//! (an unknown opcode or a jump out of the program returns 0).
//!
//! One extension for programs only userland interpreters run: `ja k` reads
//! `k` as a signed offset, as libpcap's `bpf_filter` does, so a `k` of 2^31
//! or more jumps backwards (libpcap's `protochain` loop; the kernel refuses
//! such programs, see [`crate::bpf::validate_userspace()`]). Programs the
//! kernel accepts only jump forward, so this changes nothing for them. A
//! program that takes more than [`MAX_BACKWARD_JUMPS`] backward jumps on one
//! packet returns 0, so every run ends.

use super::insn::{decode, skf, AluOp, Cond, Op, Size, Src};
use super::program::Program;
use super::MEM_WORDS;
use crate::linktype::LinkType;
use alloc::vec::Vec;

pub(crate) mod fused;
pub use fused::Fused;

/// The socket-buffer metadata that ancillary loads (`ld [SKF_AD_OFF + n]`) read.
///
/// The default is what a socket filter sees on an AF_UNIX datagram: every
/// field 0, no device, no link-layer header, network header at offset 0
/// (measured by `tests/kernel_diff.rs`). A frame read from an AF_PACKET socket
/// on an Ethernet device looks like `Meta { protocol: ethertype, ifindex,
/// hatype: 1, mac_offset: Some(0), network_offset: 14, .. }`, as packet(7)
/// hands the filter the frame from its link-layer header on. A frame read
/// from a file looks like [`Meta::for_frame`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// `skb->protocol` in host order (the ethertype), `ld [proto]`.
    pub protocol: u16,
    /// `skb->pkt_type` (`PACKET_HOST`, ...), `ld [type]`; only the low 3 bits are seen.
    pub pkttype: u32,
    /// `skb->dev->ifindex`, `ld [ifidx]`; 0 means the buffer has no device.
    pub ifindex: u32,
    /// `skb->vlan_tci`, `ld [vlan_tci]`.
    pub vlan_tci: u16,
    /// Whether the buffer carries an offloaded VLAN tag, `ld [vlanp]`.
    pub vlan_present: bool,
    /// `skb->vlan_proto` in host order, `ld [vlan_tpid]`.
    pub vlan_tpid: u16,
    /// `skb->mark`, `ld [mark]`.
    pub mark: u32,
    /// `skb->dev->type` (`ARPHRD_*`), `ld [hatype]`.
    pub hatype: u16,
    /// `skb->hash`, `ld [rxhash]`.
    pub rxhash: u32,
    /// `skb->queue_mapping`, `ld [queue]`.
    pub queue: u16,
    /// The CPU running the filter, `ld [cpu]`.
    pub cpu: u32,
    /// The value `ld [random]` returns.
    pub random: u32,
    /// The payload offset the kernel's flow dissector finds, `ld [poff]`.
    pub pay_offset: u32,
    /// Offset of the network header in the packet (`skb_network_offset`),
    /// the base of `SKF_NET_OFF` loads.
    pub network_offset: u32,
    /// Offset of the link-layer header (`skb_mac_offset`), the base of
    /// `SKF_LL_OFF` loads; `None` when the buffer has none.
    pub mac_offset: Option<u32>,
}

impl Meta {
    /// What a socket filter sees besides the bytes for a frame of `link`
    /// read from a file (`rawcap -r`, `trace`): `skb->protocol` as the
    /// header gives it ([`LinkType::protocol_of`]), the link-layer header at
    /// offset 0 and the network header after it ([`LinkType::header_len`]),
    /// no device (`ld [ifidx]`/`ld [hatype]` end the program returning A,
    /// as on a buffer without one) and every other field 0.
    ///
    /// ```
    /// use rawcap::{bpf::vm::Meta, LinkType};
    /// let mut frame = [0u8; 14];
    /// frame[12..].copy_from_slice(&[0x86, 0xdd]);
    /// let m = Meta::for_frame(LinkType::Ethernet, &frame);
    /// assert_eq!((m.protocol, m.mac_offset, m.network_offset), (0x86dd, Some(0), 14));
    /// ```
    pub fn for_frame(link: LinkType, frame: &[u8]) -> Self {
        Meta {
            protocol: link.protocol_of(frame),
            network_offset: link.header_len() as u32,
            mac_offset: Some(0),
            ..Meta::default()
        }
    }
}

/// Backward jumps one run may take before it ends, returning 0.
///
/// libpcap's `protochain` loop advances at least 8 bytes per jump, so a
/// packet of 262,144 bytes (the largest snapshot) needs at most 32,768; a
/// chain that points back into itself (an AH header whose length leads to
/// itself), on which libpcap loops for ever, ends here instead.
pub const MAX_BACKWARD_JUMPS: u32 = 1 << 16;

/// Where `ja k` at instruction `pc` lands: `pc + 1 + k`, with `k` read as a
/// signed 32-bit offset as libpcap's interpreter reads it (`None` before the
/// start). For programs the kernel accepts, `k` is a small forward offset.
pub fn ja_target(pc: usize, k: u32) -> Option<usize> {
    (pc + 1).checked_add_signed(k as i32 as isize)
}

/// `SKF_NET_OFF` as a signed offset.
const NET_OFF: i32 = skf::NET_OFF as i32;
/// `SKF_LL_OFF` as a signed offset.
const LL_OFF: i32 = skf::LL_OFF as i32;

/// Runs `prog` over one packet and returns the number of bytes to keep (0 drops).
///
/// `pkt` is the bytes available to the filter; loads past its end end the
/// program with 0. `wire_len` is what `ld #len` reads (`skb->len`; pass
/// `pkt.len()` when the whole packet is present). To run one program over
/// many packets, [`crate::bpf::Machine`] does the same work faster.
pub fn run(prog: &Program, pkt: &[u8], wire_len: u32, meta: &Meta) -> u32 {
    // One interpreter loop for both: `trace` with nobody listening.
    trace(prog, pkt, wire_len, meta, |_, _| {})
}

/// What one instruction did, as [`trace`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A load, an ALU operation or a register move set A.
    SetA(u32),
    /// A load (`ldx`, `ldxb 4*([k]&0xf)`) or `tax` set X.
    SetX(u32),
    /// `st`/`stx`: scratch word `M[k]` (the first value) got the second.
    Store(u32, u32),
    /// A conditional jump: whether its condition held, and the next pc.
    Jump(bool, usize),
    /// `ja`: the next pc.
    Always(usize),
    /// `ret`: the program returns this value.
    Return(u32),
    /// The program ended here without a `ret`, returning the value of the
    /// [`End`] (0, except for an ancillary load on a buffer without a device).
    Ended(End, u32),
}

/// Why a program ended without a `ret` ([`Event::Ended`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// A packet load past the end of the packet (or below `SKF_LL_OFF`); the
    /// offset it tried, after `SKF_NET_OFF`/`SKF_LL_OFF` and X were applied
    /// to the instruction's `k` as far as they could be.
    OutOfBounds(i64),
    /// Division or modulo by zero.
    DivByZero,
    /// An `ifidx`/`hatype` ancillary load on a buffer without a device: the
    /// program returns A.
    NoDevice,
    /// An unknown opcode, a scratch index past `M[15]`, a jump out of the
    /// program, more than [`MAX_BACKWARD_JUMPS`] backward jumps, or the end
    /// of the program reached without a `ret`.
    Invalid,
}

/// Runs `prog` like [`run`] (the same return value, always) and reports
/// every instruction it executes to `on`, with its pc and what it did: the
/// filter debugger's view (`rawcap trace`). The last event is a
/// [`Event::Return`] or an [`Event::Ended`]; falling off the end of the
/// program reports `Ended(End::Invalid, 0)` at the pc past its last
/// instruction.
pub fn trace(
    prog: &Program,
    pkt: &[u8],
    wire_len: u32,
    meta: &Meta,
    mut on: impl FnMut(usize, Event),
) -> u32 {
    let insns = prog.insns();
    let mut regs = Regs::default();
    let mut pc = 0usize;
    let mut back = 0u32;
    loop {
        let here = pc;
        let (event, ret) = step_event(insns, &mut pc, &mut back, &mut regs, pkt, wire_len, meta);
        on(here, event);
        if let Some(v) = ret {
            return v;
        }
    }
}

/// One instruction of [`trace`]: runs the instruction at `*pc`, moves `*pc`
/// on, and says what it did and, when the program ends there, what it returns.
fn step_event(
    insns: &[crate::bpf::Insn],
    pc: &mut usize,
    back: &mut u32,
    regs: &mut Regs,
    pkt: &[u8],
    wire_len: u32,
    meta: &Meta,
) -> (Event, Option<u32>) {
    let ended = |why: End, v: u32| (Event::Ended(why, v), Some(v));
    let here = *pc;
    let Some(&insn) = insns.get(here) else {
        return ended(End::Invalid, 0);
    };
    *pc += 1;
    let Ok(op) = decode(insn) else {
        return ended(End::Invalid, 0);
    };
    let (a, x) = (regs.a, regs.x);
    let event = match exec(op, regs, pkt, wire_len, meta) {
        Flow::Next => match op {
            Op::St(k) => Event::Store(k, a),
            Op::Stx(k) => Event::Store(k, x),
            Op::LdxImm(_) | Op::LdxMem(_) | Op::LdxLen | Op::LdxMsh(_) | Op::Tax => {
                Event::SetX(regs.x)
            }
            _ => Event::SetA(regs.a),
        },
        Flow::Skip(n) => {
            let Some(next) = pc.checked_add(n) else {
                return ended(End::Invalid, 0);
            };
            let held = match op {
                Op::Jmp { cond, src, .. } => cond.holds(
                    a,
                    match src {
                        Src::K(k) => k,
                        Src::X => x,
                    },
                ),
                _ => false,
            };
            *pc = next;
            Event::Jump(held, next)
        }
        Flow::Ja(k) => match ja_target(here, k) {
            Some(next) if next >= *pc || *back < MAX_BACKWARD_JUMPS => {
                *back += u32::from(next < *pc);
                *pc = next;
                Event::Always(next)
            }
            _ => return ended(End::Invalid, 0),
        },
        Flow::Exit(v) => {
            let why = match op {
                Op::RetK(_) | Op::RetA => return (Event::Return(v), Some(v)),
                Op::LdAbs(_, k) if k >= skf::AD_OFF => End::NoDevice,
                Op::LdAbs(_, k) | Op::LdxMsh(k) => End::OutOfBounds(resolved(k as i32, meta)),
                Op::LdInd(_, k) => End::OutOfBounds(resolved(x.wrapping_add(k) as i32, meta)),
                Op::Alu(AluOp::Div | AluOp::Mod, _) => End::DivByZero,
                _ => End::Invalid,
            };
            return ended(why, v);
        }
    };
    (event, None)
}

/// The packet offset a load at the signed offset `off` reads (before the
/// size is added), for reporting: `SKF_NET_OFF`/`SKF_LL_OFF` resolved as
/// [`load`] does, -1 below `SKF_LL_OFF` or without a link-layer header.
fn resolved(off: i32, meta: &Meta) -> i64 {
    if off >= 0 {
        i64::from(off)
    } else if off >= NET_OFF {
        i64::from(off - NET_OFF) + i64::from(meta.network_offset)
    } else if off >= LL_OFF {
        meta.mac_offset
            .map_or(-1, |m| i64::from(off - LL_OFF) + i64::from(m))
    } else {
        -1
    }
}

/// The machine's registers: A, X and the scratch words. `repr(C)`: the
/// native engine (`crate::jit`) keeps them in memory at known offsets.
#[derive(Clone, Copy, Debug, Default)]
#[repr(C)]
pub(crate) struct Regs {
    pub(crate) a: u32,
    pub(crate) x: u32,
    pub(crate) mem: [u32; MEM_WORDS],
}

/// Runs one instruction that is not a jump nor a `ret` (an ancillary load,
/// a load at a negative offset) as [`run`] does: `Ok` to go on with the
/// next instruction, `Err(v)` when the program ends returning `v`. The
/// native engine's way out for what it does not compile inline.
#[cfg(all(feature = "jit", target_arch = "x86_64", target_os = "linux"))]
pub(crate) fn step(
    insn: crate::bpf::Insn,
    regs: &mut Regs,
    pkt: &[u8],
    wire_len: u32,
    meta: &Meta,
) -> Result<(), u32> {
    let Ok(op) = decode(insn) else {
        return Err(0);
    };
    match exec(op, regs, pkt, wire_len, meta) {
        Flow::Next => Ok(()),
        Flow::Exit(v) => Err(v),
        // Jumps are compiled inline; they never come here.
        Flow::Skip(_) | Flow::Ja(_) => Err(0),
    }
}

/// What an instruction does to the program counter.
enum Flow {
    /// Go on with the next instruction.
    Next,
    /// Skip this many instructions after the next one.
    Skip(usize),
    /// `ja k`: jump by the signed offset `k` (see [`ja_target`]).
    Ja(u32),
    /// End the program, returning this.
    Exit(u32),
}

/// Executes one instruction (the kernel's semantics, see the module docs).
#[inline(always)]
fn exec(op: Op, r: &mut Regs, pkt: &[u8], wire_len: u32, meta: &Meta) -> Flow {
    use Flow::{Exit, Next, Skip};
    let x = r.x;
    let loaded = |v: Option<u32>, reg: &mut u32| match v {
        Some(v) => {
            *reg = v;
            Next
        }
        None => Exit(0),
    };
    match op {
        Op::LdImm(k) => r.a = k,
        Op::LdxImm(k) => r.x = k,
        Op::LdLen => r.a = wire_len,
        Op::LdxLen => r.x = wire_len,
        Op::LdMem(k) => return loaded(r.mem.get(k as usize).copied(), &mut r.a),
        Op::LdxMem(k) => return loaded(r.mem.get(k as usize).copied(), &mut r.x),
        Op::St(k) | Op::Stx(k) => {
            let v = if matches!(op, Op::St(_)) { r.a } else { x };
            match r.mem.get_mut(k as usize) {
                Some(m) => *m = v,
                None => return Exit(0),
            }
        }
        Op::LdAbs(_, k) if k >= skf::AD_OFF => match ancillary(k, r.a, x, pkt, meta) {
            Ancillary::Value(v) => r.a = v,
            Ancillary::Exit(v) => return Exit(v),
        },
        Op::LdAbs(size, k) => return loaded(load(pkt, k as i32, size, meta), &mut r.a),
        Op::LdInd(size, k) => {
            return loaded(load(pkt, x.wrapping_add(k) as i32, size, meta), &mut r.a)
        }
        Op::LdxMsh(k) => match load(pkt, k as i32, Size::Byte, meta) {
            Some(v) => r.x = (v & 0xf) << 2,
            None => return Exit(0),
        },
        Op::Alu(alu, src) => {
            let b = match src {
                Src::K(k) => k,
                Src::X => x,
            };
            return loaded(alu_op(alu, r.a, b), &mut r.a);
        }
        Op::Neg => r.a = r.a.wrapping_neg(),
        Op::Tax => r.x = r.a,
        Op::Txa => r.a = x,
        Op::Ja(k) => return Flow::Ja(k),
        Op::Jmp { cond, src, jt, jf } => {
            let b = match src {
                Src::K(k) => k,
                Src::X => x,
            };
            return Skip(usize::from(if cond.holds(r.a, b) { jt } else { jf }));
        }
        Op::RetK(k) => return Exit(k),
        Op::RetA => return Exit(r.a),
    }
    Next
}

/// A program decoded once for running over many packets: each instruction
/// turned into a step with jump targets made absolute, and the common
/// packet loads and comparisons given their own steps. [`Decoded::run`]
/// returns exactly what [`run`] returns for the same program and packet.
#[derive(Clone, Debug)]
pub struct Decoded {
    steps: Vec<Step>,
}

/// One decoded instruction. Jump targets are absolute indices; a target at or
/// past the end means "fell off the program" (return 0), as in [`run`].
#[derive(Clone, Copy, Debug)]
enum Step {
    /// `ldb [k]` with k below `SKF_NET_OFF` range (a plain packet offset).
    LdB(u32),
    /// `ldh [k]`, plain offset.
    LdH(u32),
    /// `ld [k]`, plain offset.
    LdW(u32),
    /// `ldb [x + k]`.
    IndB(u32),
    /// `ldh [x + k]`.
    IndH(u32),
    /// `ldxb 4*([k]&0xf)`, plain offset.
    Msh(u32),
    /// `ldb [o]` then `jeq #k, t, f` (the common pair, fused; the `jeq` keeps
    /// its own step for jumps that land on it).
    BJeq(u32, u32, u32, u32),
    /// `ldh [o]` then `jeq #k, t, f`, fused.
    HJeq(u32, u32, u32, u32),
    /// `and #k`.
    AndK(u32),
    /// `jeq #k, t, f`.
    JeqK(u32, u32, u32),
    /// `jgt #k, t, f`.
    JgtK(u32, u32, u32),
    /// `jset #k, t, f`.
    JsetK(u32, u32, u32),
    /// Any other conditional jump.
    Jmp(Cond, Src, u32, u32),
    /// `ja` to an absolute target (`usize::MAX` before the start).
    Ja(usize),
    /// `ret #k`.
    RetK(u32),
    /// Everything else, run by the general interpreter step.
    Other(Op),
}

/// Largest offset a [`Step::LdB`]-style load takes (non-negative as `i32`).
const PLAIN_MAX: u32 = i32::MAX as u32;

impl Decoded {
    /// Decodes `prog`; an instruction [`run`] would stop on (unknown opcode)
    /// becomes `ret #0`, as running it would.
    pub fn new(prog: &Program) -> Self {
        let steps = prog
            .insns()
            .iter()
            .enumerate()
            .map(|(pc, &insn)| {
                let at = |off: u8| (pc + 1 + usize::from(off)) as u32;
                match decode(insn) {
                    Err(_) => Step::RetK(0),
                    Ok(op) => match op {
                        Op::LdAbs(Size::Byte, k) if k <= PLAIN_MAX => Step::LdB(k),
                        Op::LdAbs(Size::Half, k) if k <= PLAIN_MAX => Step::LdH(k),
                        Op::LdAbs(Size::Word, k) if k <= PLAIN_MAX => Step::LdW(k),
                        Op::LdInd(Size::Byte, k) => Step::IndB(k),
                        Op::LdInd(Size::Half, k) => Step::IndH(k),
                        Op::LdxMsh(k) if k <= PLAIN_MAX => Step::Msh(k),
                        Op::Alu(AluOp::And, Src::K(k)) => Step::AndK(k),
                        Op::Jmp { cond, src, jt, jf } => match (cond, src) {
                            (Cond::Eq, Src::K(k)) => Step::JeqK(k, at(jt), at(jf)),
                            (Cond::Gt, Src::K(k)) => Step::JgtK(k, at(jt), at(jf)),
                            (Cond::Set, Src::K(k)) => Step::JsetK(k, at(jt), at(jf)),
                            _ => Step::Jmp(cond, src, at(jt), at(jf)),
                        },
                        Op::Ja(k) => Step::Ja(ja_target(pc, k).unwrap_or(usize::MAX)),
                        Op::RetK(k) => Step::RetK(k),
                        other => Step::Other(other),
                    },
                }
            })
            .collect::<Vec<_>>();
        let fused = (0..steps.len())
            .map(|i| match (steps[i], steps.get(i + 1)) {
                (Step::LdB(o), Some(&Step::JeqK(k, t, f))) => Step::BJeq(o, k, t, f),
                (Step::LdH(o), Some(&Step::JeqK(k, t, f))) => Step::HJeq(o, k, t, f),
                (step, _) => step,
            })
            .collect();
        Decoded { steps: fused }
    }

    /// Runs the program over one packet; the same result as [`run`].
    pub fn run(&self, pkt: &[u8], wire_len: u32, meta: &Meta) -> u32 {
        let mut regs = Regs::default();
        let mut pc = 0usize;
        let mut back = 0u32;
        // A plain-offset load: the bytes at `k..k + N`, or the program ends with 0.
        macro_rules! plain {
            ($k:expr, $n:literal, $to:ty) => {
                match pkt.get($k as usize..$k as usize + $n) {
                    Some(b) => <$to>::from_be_bytes(b.try_into().unwrap_or([0; $n])) as u32,
                    None => return 0,
                }
            };
        }
        while let Some(&step) = self.steps.get(pc) {
            pc += 1;
            match step {
                Step::LdB(k) => regs.a = plain!(k, 1, u8),
                Step::LdH(k) => regs.a = plain!(k, 2, u16),
                Step::LdW(k) => regs.a = plain!(k, 4, u32),
                Step::IndB(k) | Step::IndH(k) => {
                    let size = if matches!(step, Step::IndB(_)) {
                        Size::Byte
                    } else {
                        Size::Half
                    };
                    match load(pkt, regs.x.wrapping_add(k) as i32, size, meta) {
                        Some(v) => regs.a = v,
                        None => return 0,
                    }
                }
                Step::Msh(k) => regs.x = (plain!(k, 1, u8) & 0xf) << 2,
                Step::BJeq(o, k, t, f) => {
                    regs.a = plain!(o, 1, u8);
                    pc = (if regs.a == k { t } else { f }) as usize;
                }
                Step::HJeq(o, k, t, f) => {
                    regs.a = plain!(o, 2, u16);
                    pc = (if regs.a == k { t } else { f }) as usize;
                }
                Step::AndK(k) => regs.a &= k,
                Step::JeqK(k, t, f) => pc = (if regs.a == k { t } else { f }) as usize,
                Step::JgtK(k, t, f) => pc = (if regs.a > k { t } else { f }) as usize,
                Step::JsetK(k, t, f) => pc = (if regs.a & k != 0 { t } else { f }) as usize,
                Step::Jmp(cond, src, t, f) => {
                    let b = match src {
                        Src::K(k) => k,
                        Src::X => regs.x,
                    };
                    pc = (if cond.holds(regs.a, b) { t } else { f }) as usize;
                }
                Step::Ja(target) => {
                    if target < pc {
                        if back == MAX_BACKWARD_JUMPS {
                            return 0;
                        }
                        back += 1;
                    }
                    pc = target;
                }
                Step::RetK(k) => return k,
                Step::Other(op) => match exec(op, &mut regs, pkt, wire_len, meta) {
                    Flow::Next => {}
                    // Jumps are all decoded into their own steps.
                    Flow::Skip(_) | Flow::Ja(_) => return 0,
                    Flow::Exit(v) => return v,
                },
            }
        }
        0
    }
}

/// A binary ALU operation; `None` for division or modulo by zero.
#[inline]
fn alu_op(op: AluOp, a: u32, b: u32) -> Option<u32> {
    Some(match op {
        AluOp::Add => a.wrapping_add(b),
        AluOp::Sub => a.wrapping_sub(b),
        AluOp::Mul => a.wrapping_mul(b),
        AluOp::Div => a.checked_div(b)?,
        AluOp::Mod => a.checked_rem(b)?,
        AluOp::And => a & b,
        AluOp::Or => a | b,
        AluOp::Xor => a ^ b,
        // The eBPF 32-bit shift (interpreter and x86 JIT) uses the low 5 bits.
        AluOp::Lsh => a << (b & 31),
        AluOp::Rsh => a >> (b & 31),
    })
}

/// Reads `size` big-endian bytes at the signed offset `off`, resolving
/// `SKF_NET_OFF`/`SKF_LL_OFF` offsets the way the kernel's
/// `bpf_skb_load_helper_convert_offset` does.
#[inline]
fn load(pkt: &[u8], off: i32, size: Size, meta: &Meta) -> Option<u32> {
    let start: u64 = if off >= 0 {
        off as u64
    } else if off >= NET_OFF {
        (off - NET_OFF) as u64 + u64::from(meta.network_offset)
    } else if off >= LL_OFF {
        (off - LL_OFF) as u64 + u64::from(meta.mac_offset?)
    } else {
        return None;
    };
    let start = usize::try_from(start).ok()?;
    let bytes = pkt.get(start..start.checked_add(size.bytes())?)?;
    Some(match *bytes {
        [b0, b1, b2, b3] => u32::from_be_bytes([b0, b1, b2, b3]),
        [b0, b1] => u16::from_be_bytes([b0, b1]).into(),
        [b0] => b0.into(),
        _ => return None,
    })
}

enum Ancillary {
    /// The value loaded into A.
    Value(u32),
    /// The program ends returning this.
    Exit(u32),
}

/// An ancillary load `ld [SKF_AD_OFF + n]` (any size), as `convert_bpf_extensions` does it.
fn ancillary(k: u32, a: u32, x: u32, pkt: &[u8], meta: &Meta) -> Ancillary {
    use Ancillary::{Exit, Value};
    match k.wrapping_sub(skf::AD_OFF) {
        skf::AD_PROTOCOL => Value(meta.protocol.into()),
        skf::AD_PKTTYPE => Value(meta.pkttype & 7),
        // No device: the kernel's conversion exits with A as the return value.
        skf::AD_IFINDEX | skf::AD_HATYPE if meta.ifindex == 0 => Exit(a),
        skf::AD_IFINDEX => Value(meta.ifindex),
        skf::AD_HATYPE => Value(meta.hatype.into()),
        skf::AD_MARK => Value(meta.mark),
        skf::AD_QUEUE => Value(meta.queue.into()),
        skf::AD_RXHASH => Value(meta.rxhash),
        skf::AD_CPU => Value(meta.cpu),
        skf::AD_ALU_XOR_X => Value(a ^ x),
        skf::AD_VLAN_TAG => Value(meta.vlan_tci.into()),
        skf::AD_VLAN_TAG_PRESENT => Value(meta.vlan_present.into()),
        skf::AD_PAY_OFFSET => Value(meta.pay_offset),
        skf::AD_RANDOM => Value(meta.random),
        skf::AD_VLAN_TPID => Value(meta.vlan_tpid.into()),
        skf::AD_NLATTR => Value(nlattr(pkt, a, x, false)),
        skf::AD_NLATTR_NEST => Value(nlattr(pkt, a, x, true)),
        // The kernel refuses other offsets; libpcap's userspace filter returns 0.
        _ => Exit(0),
    }
}

/// Netlink attribute header size (`struct nlattr`).
const NLA_HDRLEN: usize = 4;

/// `bpf_skb_get_nlattr` / `bpf_skb_get_nlattr_nest`: the offset of the first
/// netlink attribute of type X in the attribute stream at offset A (or nested
/// inside the attribute at A), 0 when there is none.
fn nlattr(pkt: &[u8], a: u32, x: u32, nested: bool) -> u32 {
    let len = pkt.len();
    if len < NLA_HDRLEN || a as usize > len - NLA_HDRLEN {
        return 0;
    }
    let a = a as usize;
    let (start, stream_len) = if nested {
        match nla_len(pkt, a, (len - a) as i64) {
            Some(l) => (a + NLA_HDRLEN, l - NLA_HDRLEN),
            None => return 0,
        }
    } else {
        (a, len - a)
    };
    // nla_find: walk while nla_ok(), matching nla_type() (the low 14 bits).
    let mut pos = start;
    let mut rem = stream_len as i64;
    while let Some(l) = nla_len(pkt, pos, rem) {
        let ty = u16::from_ne_bytes([pkt[pos + 2], pkt[pos + 3]]) & 0x3fff;
        if i64::from(ty) == i64::from(x as i32) {
            return pos as u32;
        }
        let aligned = (l + 3) & !3;
        rem -= aligned as i64;
        pos += aligned;
    }
    0
}

/// `nla_ok(nla, rem)`: the attribute length at `pos` when a whole attribute fits in `rem`.
fn nla_len(pkt: &[u8], pos: usize, rem: i64) -> Option<usize> {
    if rem < NLA_HDRLEN as i64 {
        return None;
    }
    let bytes = pkt.get(pos..pos + 2)?;
    let l = usize::from(u16::from_ne_bytes([bytes[0], bytes[1]]));
    (l >= NLA_HDRLEN && l as i64 <= rem).then_some(l)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::bpf::insn::{code::*, Insn};
    #[allow(unused_imports)]
    use crate::bpf::RandomInsn as _;
    use alloc::vec;
    use alloc::vec::Vec;

    fn prog(insns: &[Insn]) -> Program {
        Program::new(insns.to_vec())
    }

    /// Runs a program over `pkt` (whole packet present) with default metadata.
    fn run_on(insns: &[Insn], pkt: &[u8]) -> u32 {
        run(&prog(insns), pkt, pkt.len() as u32, &Meta::default())
    }

    const RET_A: Insn = Insn::stmt(RET | A, 0);

    /// A packet whose byte i is i.
    fn counting(n: usize) -> Vec<u8> {
        (0..n).map(|i| i as u8).collect()
    }

    mod loads {
        use super::*;

        #[test]
        fn absolute_sizes_are_big_endian() {
            let pkt = counting(8);
            assert_eq!(
                run_on(&[Insn::stmt(LD | W | ABS, 1), RET_A], &pkt),
                0x0102_0304
            );
            assert_eq!(run_on(&[Insn::stmt(LD | H | ABS, 6), RET_A], &pkt), 0x0607);
            assert_eq!(run_on(&[Insn::stmt(LD | B | ABS, 7), RET_A], &pkt), 7);
        }

        #[test]
        fn out_of_range_ends_with_zero() {
            let pkt = counting(8);
            let ret9 = Insn::stmt(RET | K, 9);
            assert_eq!(run_on(&[Insn::stmt(LD | W | ABS, 5), ret9], &pkt), 0);
            assert_eq!(run_on(&[Insn::stmt(LD | H | ABS, 7), ret9], &pkt), 0);
            assert_eq!(run_on(&[Insn::stmt(LD | B | ABS, 8), ret9], &pkt), 0);
            assert_eq!(run_on(&[Insn::stmt(LD | W | ABS, 4), ret9], &pkt), 9);
            assert_eq!(
                run_on(&[Insn::stmt(LD | B | ABS, 0x7fff_ffff), ret9], &pkt),
                0
            );
        }

        #[test]
        fn captured_bytes_bound_loads_not_wire_length() {
            let p = prog(&[Insn::stmt(LD | B | ABS, 4), RET_A]);
            assert_eq!(run(&p, &counting(4), 100, &Meta::default()), 0);
            assert_eq!(run(&p, &counting(5), 100, &Meta::default()), 4);
        }

        #[test]
        fn indexed_adds_x_and_wraps() {
            let pkt = counting(16);
            let p = [
                Insn::stmt(LDX | IMM, 10),
                Insn::stmt(LD | H | IND, 2),
                RET_A,
            ];
            assert_eq!(run_on(&p, &pkt), 0x0c0d);
            // X + k wraps to 3.
            let p = [
                Insn::stmt(LDX | IMM, 5),
                Insn::stmt(LD | B | IND, 0xffff_fffe),
                RET_A,
            ];
            assert_eq!(run_on(&p, &pkt), 3);
        }

        #[test]
        fn net_off_is_relative_to_the_network_header() {
            let pkt = counting(32);
            let p = prog(&[Insn::stmt(LD | B | ABS, skf::NET_OFF + 2), RET_A]);
            assert_eq!(run(&p, &pkt, 32, &Meta::default()), 2);
            let meta = Meta {
                network_offset: 14,
                ..Meta::default()
            };
            assert_eq!(run(&p, &pkt, 32, &meta), 16);
            // Indexed loads resolve the sum the same way.
            let p = [
                Insn::stmt(LDX | IMM, 3),
                Insn::stmt(LD | B | IND, skf::NET_OFF),
                RET_A,
            ];
            assert_eq!(run_on(&p, &pkt), 3);
        }

        #[test]
        fn ll_off_needs_a_link_layer_header() {
            let pkt = counting(32);
            let p = prog(&[
                Insn::stmt(LD | B | ABS, skf::LL_OFF + 1),
                Insn::stmt(RET | K, 7),
            ]);
            assert_eq!(run(&p, &pkt, 32, &Meta::default()), 0);
            let meta = Meta {
                mac_offset: Some(0),
                ..Meta::default()
            };
            assert_eq!(run(&p, &pkt, 32, &meta), 7);
            // Below SKF_LL_OFF nothing resolves.
            let p = prog(&[
                Insn::stmt(LD | B | ABS, 0x8000_0000),
                Insn::stmt(RET | K, 7),
            ]);
            assert_eq!(run(&p, &pkt, 32, &meta), 0);
        }

        #[test]
        fn len_is_the_wire_length() {
            let p = prog(&[Insn::stmt(LD | W | LEN, 0), RET_A]);
            assert_eq!(run(&p, &counting(10), 1500, &Meta::default()), 1500);
            let p = prog(&[
                Insn::stmt(LDX | W | LEN, 0),
                Insn::stmt(MISC | TXA, 0),
                RET_A,
            ]);
            assert_eq!(run(&p, &counting(10), 60, &Meta::default()), 60);
        }

        #[test]
        fn immediates() {
            assert_eq!(run_on(&[Insn::stmt(LD | IMM, 77), RET_A], &[]), 77);
            let p = [Insn::stmt(LDX | IMM, 78), Insn::stmt(MISC | TXA, 0), RET_A];
            assert_eq!(run_on(&p, &[]), 78);
        }

        #[test]
        fn msh_reads_the_ip_header_length_into_x() {
            let mut pkt = vec![0u8; 20];
            pkt[14] = 0x46;
            let p = [
                Insn::stmt(LD | IMM, 5),
                Insn::stmt(LDX | B | MSH, 14),
                Insn::stmt(ALU | ADD | X, 0),
                RET_A,
            ];
            // X = 4 * 6, A untouched.
            assert_eq!(run_on(&p, &pkt), 29);
            assert_eq!(run_on(&p, &pkt[..14]), 0);
        }
    }

    mod scratch {
        use super::*;

        #[test]
        fn store_and_load_every_word() {
            for i in 0..16 {
                let p = [
                    Insn::stmt(LD | IMM, 100 + i),
                    Insn::stmt(ST, i),
                    Insn::stmt(LDX | IMM, 200 + i),
                    Insn::stmt(STX, (i + 1) % 16),
                    Insn::stmt(LD | IMM, 0),
                    Insn::stmt(LDX | MEM, i),
                    Insn::stmt(LD | MEM, (i + 1) % 16),
                    Insn::stmt(ALU | SUB | X, 0),
                    RET_A,
                ];
                assert_eq!(run_on(&p, &[]), 100, "word {i}");
            }
        }

        #[test]
        fn words_start_at_zero_and_bad_index_ends_with_zero() {
            assert_eq!(run_on(&[Insn::stmt(LD | MEM, 3), RET_A], &[]), 0);
            let p = [Insn::stmt(LD | IMM, 1), Insn::stmt(ST, 16), RET_A];
            assert_eq!(run_on(&p, &[]), 0);
        }
    }

    mod alu {
        use super::*;

        fn alu_k(op: u16, a: u32, k: u32) -> u32 {
            run_on(
                &[Insn::stmt(LD | IMM, a), Insn::stmt(ALU | op | K, k), RET_A],
                &[],
            )
        }

        fn alu_x(op: u16, a: u32, x: u32) -> u32 {
            let p = [
                Insn::stmt(LD | IMM, a),
                Insn::stmt(LDX | IMM, x),
                Insn::stmt(ALU | op | X, 0),
                RET_A,
            ];
            run_on(&p, &[])
        }

        #[test]
        fn arithmetic_wraps_at_32_bits() {
            assert_eq!(alu_k(ADD, u32::MAX, 2), 1);
            assert_eq!(alu_k(SUB, 1, 2), u32::MAX);
            assert_eq!(alu_x(MUL, 0x1_0001, 0x1_0001), 0x0002_0001);
            assert_eq!(alu_k(DIV, 7, 2), 3);
            assert_eq!(alu_x(DIV, u32::MAX, 0x8000_0000), 1);
            assert_eq!(alu_k(MOD, 7, 4), 3);
            assert_eq!(alu_x(MOD, 0xffff_fff0, 0x7), 0xffff_fff0 % 7);
        }

        #[test]
        fn bitwise() {
            assert_eq!(alu_k(AND, 0xff00, 0x0ff0), 0x0f00);
            assert_eq!(alu_x(OR, 0xff00, 0x0ff0), 0xfff0);
            assert_eq!(alu_k(XOR, 0xff00, 0x0ff0), 0xf0f0);
            assert_eq!(alu_x(XOR, 5, 5), 0);
        }

        #[test]
        fn shifts() {
            assert_eq!(alu_k(LSH, 1, 31), 0x8000_0000);
            assert_eq!(alu_k(RSH, 0x8000_0000, 31), 1);
            assert_eq!(alu_x(LSH, 3, 4), 48);
            // Shift counts in X use the low 5 bits, as the eBPF 32-bit shift does.
            assert_eq!(alu_x(LSH, 3, 33), 6);
            assert_eq!(alu_x(RSH, 0x100, 40), 1);
            assert_eq!(alu_x(LSH, 3, 32), 3);
        }

        #[test]
        fn division_by_zero_x_ends_with_zero() {
            let p = [
                Insn::stmt(LD | IMM, 9),
                Insn::stmt(ALU | DIV | X, 0),
                Insn::stmt(RET | K, 5),
            ];
            assert_eq!(run_on(&p, &[]), 0);
            let p = [
                Insn::stmt(LD | IMM, 9),
                Insn::stmt(ALU | MOD | X, 0),
                Insn::stmt(RET | K, 5),
            ];
            assert_eq!(run_on(&p, &[]), 0);
            assert_eq!(alu_k(DIV, 9, 0), 0);
        }

        #[test]
        fn neg_and_transfers() {
            assert_eq!(
                run_on(
                    &[Insn::stmt(LD | IMM, 1), Insn::stmt(ALU | NEG, 0), RET_A],
                    &[]
                ),
                u32::MAX
            );
            assert_eq!(run_on(&[Insn::stmt(ALU | NEG, 0), RET_A], &[]), 0);
            let p = [
                Insn::stmt(LD | IMM, 42),
                Insn::stmt(MISC | TAX, 0),
                Insn::stmt(LD | IMM, 0),
                Insn::stmt(MISC | TXA, 0),
                RET_A,
            ];
            assert_eq!(run_on(&p, &[]), 42);
        }
    }

    mod jumps {
        use super::*;

        /// `A = a; if A cond k then ret 1 else ret 2`.
        fn branch(cond: u16, src: u16, a: u32, b: u32) -> u32 {
            let p = [
                Insn::stmt(LD | IMM, a),
                Insn::stmt(LDX | IMM, b),
                Insn::jump(JMP | cond | src, b, 0, 1),
                Insn::stmt(RET | K, 1),
                Insn::stmt(RET | K, 2),
            ];
            run_on(&p, &[])
        }

        #[test]
        fn conditions_are_unsigned() {
            for src in [K, X] {
                assert_eq!(branch(JEQ, src, 5, 5), 1);
                assert_eq!(branch(JEQ, src, 5, 6), 2);
                assert_eq!(branch(JGT, src, 0x8000_0000, 1), 1);
                assert_eq!(branch(JGT, src, 1, 1), 2);
                assert_eq!(branch(JGE, src, 1, 1), 1);
                assert_eq!(branch(JGE, src, 0, 0xffff_ffff), 2);
                assert_eq!(branch(JSET, src, 6, 2), 1);
                assert_eq!(branch(JSET, src, 6, 9), 2);
            }
        }

        #[test]
        fn ja_skips_and_out_of_program_ends_with_zero() {
            let p = [
                Insn::stmt(JMP | JA, 1),
                Insn::stmt(RET | K, 1),
                Insn::stmt(RET | K, 2),
            ];
            assert_eq!(run_on(&p, &[]), 2);
            assert_eq!(
                run_on(&[Insn::stmt(JMP | JA, 5), Insn::stmt(RET | K, 1)], &[]),
                0
            );
            assert_eq!(
                run_on(
                    &[Insn::stmt(JMP | JA, u32::MAX), Insn::stmt(RET | K, 1)],
                    &[]
                ),
                0
            );
            assert_eq!(run_on(&[Insn::jump(JMP | JEQ | K, 0, 9, 9)], &[]), 0);
        }

        /// `ja` with k >= 2^31 jumps backwards (libpcap's reading), and a
        /// loop that never ends is cut off after MAX_BACKWARD_JUMPS.
        #[test]
        fn backward_ja_loops_and_is_bounded() {
            let count_to = |n: u32| {
                [
                    Insn::stmt(LD | IMM, 0),
                    Insn::stmt(ALU | ADD | K, 1),
                    Insn::jump(JMP | JEQ | K, n, 0, 1),
                    Insn::stmt(RET | A, 0),
                    Insn::stmt(JMP | JA, (-4i32) as u32),
                ]
            };
            for n in [1, 5, 1000] {
                let p = count_to(n);
                assert_eq!(run_on(&p, &[]), n);
                let d = Decoded::new(&Program::new(p.to_vec()));
                assert_eq!(d.run(&[], 0, &Meta::default()), n);
            }
            // The loop exits after exactly MAX_BACKWARD_JUMPS jumps back...
            let p = count_to(MAX_BACKWARD_JUMPS + 1);
            assert_eq!(run_on(&p, &[]), MAX_BACKWARD_JUMPS + 1);
            // ...and one more is refused.
            let p = count_to(MAX_BACKWARD_JUMPS + 2);
            assert_eq!(run_on(&p, &[]), 0);
            let d = Decoded::new(&Program::new(p.to_vec()));
            assert_eq!(d.run(&[], 0, &Meta::default()), 0);
            // A jump to itself and one before the start both end with 0.
            let selfloop = [Insn::stmt(JMP | JA, u32::MAX), Insn::stmt(RET | K, 1)];
            assert_eq!(run_on(&selfloop, &[]), 0);
            let before = [Insn::stmt(JMP | JA, (-2i32) as u32), Insn::stmt(RET | K, 1)];
            assert_eq!(run_on(&before, &[]), 0);
            let d = Decoded::new(&Program::new(before.to_vec()));
            assert_eq!(d.run(&[], 0, &Meta::default()), 0);
        }
    }

    mod ret {
        use super::*;

        #[test]
        fn returns_k_or_a_and_falling_off_returns_zero() {
            assert_eq!(run_on(&[Insn::stmt(RET | K, 262_144)], &[]), 262_144);
            assert_eq!(run_on(&[Insn::stmt(LD | IMM, 3), RET_A], &[]), 3);
            assert_eq!(run_on(&[Insn::stmt(LD | IMM, 3)], &[]), 0);
            assert_eq!(run_on(&[], &[]), 0);
            assert_eq!(run_on(&[Insn::stmt(0x0e, 3)], &[]), 0);
        }
    }

    mod ancillary {
        use super::*;

        fn anc(off: u32, meta: &Meta) -> u32 {
            let p = prog(&[
                Insn::stmt(LD | IMM, 0xaaaa),
                Insn::stmt(LD | W | ABS, skf::AD_OFF + off),
                RET_A,
            ]);
            run(&p, &[], 0, meta)
        }

        #[test]
        fn fields_come_from_meta() {
            let meta = Meta {
                protocol: 0x0800,
                pkttype: 0xfc | 4,
                ifindex: 3,
                vlan_tci: 0x1064,
                vlan_present: true,
                vlan_tpid: 0x88a8,
                mark: 77,
                hatype: 1,
                rxhash: 0xdead_beef,
                queue: 2,
                cpu: 1,
                random: 12345,
                pay_offset: 54,
                network_offset: 14,
                mac_offset: Some(0),
            };
            assert_eq!(anc(skf::AD_PROTOCOL, &meta), 0x0800);
            assert_eq!(anc(skf::AD_PKTTYPE, &meta), 4);
            assert_eq!(anc(skf::AD_IFINDEX, &meta), 3);
            assert_eq!(anc(skf::AD_HATYPE, &meta), 1);
            assert_eq!(anc(skf::AD_VLAN_TAG, &meta), 0x1064);
            assert_eq!(anc(skf::AD_VLAN_TAG_PRESENT, &meta), 1);
            assert_eq!(anc(skf::AD_VLAN_TPID, &meta), 0x88a8);
            assert_eq!(anc(skf::AD_MARK, &meta), 77);
            assert_eq!(anc(skf::AD_RXHASH, &meta), 0xdead_beef);
            assert_eq!(anc(skf::AD_QUEUE, &meta), 2);
            assert_eq!(anc(skf::AD_CPU, &meta), 1);
            assert_eq!(anc(skf::AD_RANDOM, &meta), 12345);
            assert_eq!(anc(skf::AD_PAY_OFFSET, &meta), 54);
        }

        #[test]
        fn any_load_size_reads_the_same_field() {
            let meta = Meta {
                mark: 0x1234_5678,
                ..Meta::default()
            };
            for size in [W, H, B] {
                let p = prog(&[
                    Insn::stmt(LD | size | ABS, skf::AD_OFF + skf::AD_MARK),
                    RET_A,
                ]);
                assert_eq!(run(&p, &[], 0, &meta), 0x1234_5678);
            }
        }

        #[test]
        fn no_device_returns_a() {
            assert_eq!(anc(skf::AD_IFINDEX, &Meta::default()), 0xaaaa);
            assert_eq!(anc(skf::AD_HATYPE, &Meta::default()), 0xaaaa);
        }

        #[test]
        fn xor_x_and_unknown_offsets() {
            let p = [
                Insn::stmt(LD | IMM, 0xff),
                Insn::stmt(LDX | IMM, 0x0f),
                Insn::stmt(LD | B | ABS, skf::AD_OFF + skf::AD_ALU_XOR_X),
                RET_A,
            ];
            assert_eq!(run_on(&p, &[]), 0xf0);
            assert_eq!(anc(2, &Meta::default()), 0);
            assert_eq!(anc(skf::AD_MAX, &Meta::default()), 0);
        }

        /// Netlink attributes: (len, type) headers in host byte order.
        fn nla(ty: u16, payload: &[u8]) -> Vec<u8> {
            let len = (4 + payload.len()) as u16;
            let mut v = Vec::new();
            v.extend_from_slice(&len.to_ne_bytes());
            v.extend_from_slice(&ty.to_ne_bytes());
            v.extend_from_slice(payload);
            while v.len() % 4 != 0 {
                v.push(0);
            }
            v
        }

        fn find(pkt: &[u8], a: u32, x: u32, nested: bool) -> u32 {
            let off = if nested {
                skf::AD_NLATTR_NEST
            } else {
                skf::AD_NLATTR
            };
            let p = [
                Insn::stmt(LD | IMM, a),
                Insn::stmt(LDX | IMM, x),
                Insn::stmt(LD | W | ABS, skf::AD_OFF + off),
                RET_A,
            ];
            run_on(&p, pkt)
        }

        #[test]
        fn nlattr_finds_attributes_by_type() {
            let mut pkt = vec![0u8; 4];
            pkt.extend(nla(1, &[1, 2, 3]));
            pkt.extend(nla(7 | 0x8000, &[9; 4]));
            pkt.extend(nla(9, &[]));
            assert_eq!(find(&pkt, 4, 1, false), 4);
            // The nested flag is masked off the type.
            assert_eq!(find(&pkt, 4, 7, false), 12);
            assert_eq!(find(&pkt, 4, 9, false), 20);
            assert_eq!(find(&pkt, 4, 5, false), 0);
            assert_eq!(find(&pkt, 100, 1, false), 0);
            // A broken length stops the walk.
            let mut broken = pkt.clone();
            broken[12] = 2;
            assert_eq!(find(&broken, 4, 9, false), 0);
        }

        #[test]
        fn nlattr_nest_searches_inside_one_attribute() {
            let inner = [nla(3, &[1]), nla(4, &[2, 2])].concat();
            let mut pkt = nla(1, &inner);
            pkt.extend(nla(5, &[]));
            assert_eq!(find(&pkt, 0, 4, true), 12);
            assert_eq!(find(&pkt, 0, 5, true), 0);
            assert_eq!(find(&pkt, 0, 5, false), pkt.len() as u32 - 4);
        }
    }

    #[test]
    fn never_panics_on_garbage() {
        let seed = 0x5eed_0001;
        let mut rng = crate::bpf::TestRng(seed);
        for _ in 0..20_000 {
            let n = (rng.next() % 12) as usize;
            let p = Program::new((0..n).map(|_| rng.insn()).collect());
            let pkt: Vec<u8> = (0..rng.next() % 64).map(|_| rng.next() as u8).collect();
            let meta = Meta {
                mac_offset: Some(rng.next() as u32),
                network_offset: rng.next() as u32,
                ..Meta::default()
            };
            let _ = run(&p, &pkt, rng.next() as u32, &meta);
            let _ = crate::bpf::validate(&p);
        }
    }

    pub(crate) mod decoded {
        use super::*;

        /// A random program whose codes are mostly valid instructions, so runs get deep.
        fn random_program(rng: &mut crate::bpf::TestRng) -> Program {
            let n = 1 + (rng.next() % 16) as usize;
            Program::new((0..n).map(|_| rng.insn()).collect())
        }

        /// A random program and a random packet, wire length and metadata to run it on.
        pub(crate) fn random_case(rng: &mut crate::bpf::TestRng) -> (Program, Vec<u8>, u32, Meta) {
            let p = random_program(rng);
            let pkt: Vec<u8> = (0..rng.next() % 80).map(|_| rng.next() as u8).collect();
            let wire = rng.next() as u32;
            let meta = Meta {
                mac_offset: Some((rng.next() % 8) as u32),
                network_offset: (rng.next() % 20) as u32,
                ifindex: (rng.next() % 2) as u32,
                ..Meta::default()
            };
            (p, pkt, wire, meta)
        }

        #[test]
        fn matches_run_on_random_programs() {
            let seed = 0x5eed_0dec;
            let mut rng = crate::bpf::TestRng(seed);
            for _ in 0..50_000 {
                let (p, pkt, wire, meta) = random_case(&mut rng);
                assert_eq!(
                    run(&p, &pkt, wire, &meta),
                    Decoded::new(&p).run(&pkt, wire, &meta),
                    "seed {seed:#x}: {p:?} on {pkt:02x?}"
                );
            }
        }

        /// Every fixture expression (tests/data/filter-expressions.txt) that
        /// compiles, with its program.
        pub(crate) fn fixture_programs() -> Vec<(&'static str, Program)> {
            let list = include_str!("../../tests/data/filter-expressions.txt");
            let programs: Vec<_> = list
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .filter_map(|line| {
                    let expr = line.split(" @").next().unwrap_or("").trim();
                    let opts = crate::filter::Options {
                        linux_ext: line.contains("@linux"),
                        ..crate::filter::Options::default()
                    };
                    Some((expr, crate::filter::compile(expr, &opts).ok()?))
                })
                .collect();
            assert!(programs.len() > 500, "only {} compiled", programs.len());
            programs
        }

        #[test]
        fn matches_run_on_compiled_filters_over_the_corpus() {
            let frames = rawcap_corpus::frames();
            for (expr, p) in fixture_programs() {
                let d = Decoded::new(&p);
                for f in &frames {
                    let meta = Meta {
                        ifindex: 1,
                        ..Meta::for_frame(LinkType::Ethernet, &f.data)
                    };
                    assert_eq!(
                        run(&p, &f.data, f.wire_len, &meta),
                        d.run(&f.data, f.wire_len, &meta),
                        "{expr} on {}",
                        f.label
                    );
                }
            }
        }

        /// Checks one traced run against `Decoded`: the same value; the events
        /// follow the pcs they name; only the last one ends the program.
        fn check_trace(p: &Program, pkt: &[u8], wire: u32, meta: &Meta) -> Event {
            let mut events = Vec::new();
            let v = trace(p, pkt, wire, meta, |pc, e| events.push((pc, e)));
            // `run` is `trace` without a listener; Decoded is written apart.
            assert_eq!(
                v,
                Decoded::new(p).run(pkt, wire, meta),
                "{p:?} on {pkt:02x?}"
            );
            let (&(_, last), rest) = events.split_last().expect("at least one event");
            match last {
                Event::Return(r) | Event::Ended(_, r) => assert_eq!(r, v),
                e => panic!("ended on {e:?}"),
            }
            for (i, &(pc, e)) in rest.iter().enumerate() {
                let next = events[i + 1].0;
                match e {
                    Event::Jump(_, to) | Event::Always(to) => assert_eq!(to, next),
                    Event::Return(_) | Event::Ended(..) => panic!("{e:?} before the end"),
                    _ => assert_eq!(pc + 1, next),
                }
            }
            last
        }

        #[test]
        fn trace_returns_what_decoded_returns() {
            let seed = 0x5eed_7ace;
            let mut rng = crate::bpf::TestRng(seed);
            let mut ends = [0usize; 5];
            for _ in 0..50_000 {
                let (p, pkt, wire, meta) = random_case(&mut rng);
                let i = match check_trace(&p, &pkt, wire, &meta) {
                    Event::Return(_) => 0,
                    Event::Ended(End::OutOfBounds(_), _) => 1,
                    Event::Ended(End::DivByZero, _) => 2,
                    Event::Ended(End::NoDevice, _) => 3,
                    _ => 4,
                };
                ends[i] += 1;
            }
            // Returns, loads past the end, divisions by zero, no device, the rest.
            assert!(
                ends[..3].iter().all(|&n| n > 50),
                "seed {seed:#x}: {ends:?}"
            );
            let frames = rawcap_corpus::frames();
            for (_, p) in fixture_programs().iter().step_by(7) {
                for f in &frames {
                    let meta = Meta {
                        ifindex: 1,
                        ..Meta::for_frame(LinkType::Ethernet, &f.data)
                    };
                    check_trace(p, &f.data, f.wire_len, &meta);
                }
            }
        }

        #[test]
        fn trace_names_the_offset_past_the_end() {
            use crate::bpf::insn::{code::*, Insn};
            let p = Program::new(vec![
                Insn::stmt(LDX | B | MSH, 0),
                Insn::stmt(LD | H | IND, 10),
                Insn::stmt(RET | A, 0),
            ]);
            let mut events = Vec::new();
            let v = trace(&p, &[0x45; 20], 20, &Meta::default(), |pc, e| {
                events.push((pc, e))
            });
            assert_eq!(v, 0);
            assert_eq!(
                events,
                [
                    (0, Event::SetX(20)),
                    (1, Event::Ended(End::OutOfBounds(30), 0))
                ]
            );
            // `ld [ifidx]` without a device returns A.
            let p = Program::new(vec![
                Insn::stmt(LD | IMM, 9),
                Insn::stmt(LD | W | ABS, skf::AD_OFF + skf::AD_IFINDEX),
                Insn::stmt(RET | K, 1),
            ]);
            events.clear();
            let v = trace(&p, &[], 0, &Meta::default(), |pc, e| events.push((pc, e)));
            assert_eq!(v, 9);
            assert_eq!(events[1], (1, Event::Ended(End::NoDevice, 9)));
        }
    }
}
