//! [`Fused`]: a program compiled once into steps that each do more, for
//! running one filter over many packets (`rawcap -r`).
//!
//! In: a [`Program`] whose jumps all go forward. Out: per packet, exactly
//! what [`super::run`] returns. Compared with [`super::Decoded`]: a load
//! followed by a conditional jump on A is one step for every load size and
//! condition, indexed loads that land inside the packet skip the general
//! load, and a jump to a `ret` returns at once instead of taking one more
//! step; two `jeq`s on one loaded value (`ldh [12]; jeq #0x86dd; ...; jeq
//! #0x800`) are one step, and so is `ldxb 4*([14]&0xf)` with the indexed
//! load-and-jump after it. Fewer steps means fewer hard-to-predict
//! dispatches.
//!
//! Invariant: [`Fused::new`] refuses (returns `None`) any program with a jump
//! off its end or backwards (libpcap's `protochain` loop), so the caller
//! falls back to [`super::Decoded`].

use super::{exec, load, Flow, Meta, Regs, PLAIN_MAX};
use crate::bpf::insn::{decode, AluOp, Cond, Op, Size, Src};
use crate::bpf::program::Program;
use alloc::vec::Vec;

/// A jump target with this bit set is an index into [`Fused::rets`]: the
/// program returns that value.
const RET: u32 = 1 << 31;

/// What a fused step loads into A before its jump.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Load {
    /// `ldb [k]`, plain offset.
    B,
    /// `ldh [k]`, plain offset.
    H,
    /// `ld [k]`, plain offset.
    W,
    /// `ldb [x + k]`.
    IndB,
    /// `ldh [x + k]`.
    IndH,
}

/// One step. Targets are step indices, or `RET | i` for "return `rets[i]`".
/// Each load-and-jump pair has its own variant (`<load><cond>(offset, k,
/// jt, jf)`), so one dispatch does both without further branching on kinds.
#[derive(Clone, Copy, Debug)]
enum Step {
    BEq(u32, u32, u32, u32),
    BGt(u32, u32, u32, u32),
    BGe(u32, u32, u32, u32),
    BSet(u32, u32, u32, u32),
    HEq(u32, u32, u32, u32),
    HGt(u32, u32, u32, u32),
    HGe(u32, u32, u32, u32),
    HSet(u32, u32, u32, u32),
    WEq(u32, u32, u32, u32),
    WGt(u32, u32, u32, u32),
    WGe(u32, u32, u32, u32),
    WSet(u32, u32, u32, u32),
    IndBEq(u32, u32, u32, u32),
    IndBGt(u32, u32, u32, u32),
    IndBGe(u32, u32, u32, u32),
    IndBSet(u32, u32, u32, u32),
    IndHEq(u32, u32, u32, u32),
    IndHGt(u32, u32, u32, u32),
    IndHGe(u32, u32, u32, u32),
    IndHSet(u32, u32, u32, u32),
    /// A load-and-`jeq` whose false branch goes on to another `jeq` on the
    /// same A (`ldh [12]; jeq #0x86dd; ...; jeq #0x800`, libpcap's test
    /// for several EtherTypes or protocols): `(load, offset, k1, t1, k2,
    /// t2, f2)`, one step for both compares.
    EqEq(Load, u32, u32, u32, u32, u32, u32),
    /// `ldxb 4*([k]&0xf)` then the indexed load-and-jump after it (`ldh
    /// [x + 14]; jeq`, the transport ports): `(k, load, cond, offset, k2, t, f)`.
    MshJump(u32, Load, Cond, u32, u32, u32, u32),
    /// A load into A only.
    Ld(Load, u32),
    /// `ldxb 4*([k]&0xf)`, plain offset.
    Msh(u32),
    /// `and #k`.
    AndK(u32),
    /// `jeq #k`.
    JeqK(u32, u32, u32),
    /// `jgt #k`.
    JgtK(u32, u32, u32),
    /// `jge #k`.
    JgeK(u32, u32, u32),
    /// `jset #k`.
    JsetK(u32, u32, u32),
    /// A jump comparing A with X.
    JmpX(Cond, u32, u32),
    /// `ja`.
    Ja(u32),
    /// `ret` of a constant reached without a jump.
    Ret(u32),
    /// Anything else, run by the general interpreter step.
    Other(Op),
}

/// Hands the load-and-jump variants of [`Step`], each with its load and
/// condition, to the macro `$m` (after the tokens `$pre`): the one list
/// behind `load_jump`, its inverse `load_jump_parts` and the arms of
/// [`Fused::run`].
macro_rules! load_jump_variants {
    ($m:ident ! ($($pre:tt)*)) => {
        $m! {
            $($pre)*
            BEq = B Eq, BGt = B Gt, BGe = B Ge, BSet = B Set,
            HEq = H Eq, HGt = H Gt, HGe = H Ge, HSet = H Set,
            WEq = W Eq, WGt = W Gt, WGe = W Ge, WSet = W Set,
            IndBEq = IndB Eq, IndBGt = IndB Gt, IndBGe = IndB Ge, IndBSet = IndB Set,
            IndHEq = IndH Eq, IndHGt = IndH Gt, IndHGe = IndH Ge, IndHSet = IndH Set,
        }
    };
}

/// `load_jump` and `load_jump_parts` from the variant list.
macro_rules! load_jump_fns {
    ($($v:ident = $l:ident $c:ident),* $(,)?) => {
        /// The fused step for a load `l` at `o` then `j<cond> #k, t, f`.
        fn load_jump(l: Load, cond: Cond, o: u32, k: u32, t: u32, f: u32) -> Step {
            match (l, cond) {
                $((Load::$l, Cond::$c) => Step::$v(o, k, t, f),)*
            }
        }

        /// The parts of a fused load-and-jump step: `(load, cond, offset, k, t, f)`.
        fn load_jump_parts(step: Step) -> Option<(Load, Cond, u32, u32, u32, u32)> {
            match step {
                $(Step::$v(o, k, t, f) => Some((Load::$l, Cond::$c, o, k, t, f)),)*
                _ => None,
            }
        }
    };
}

load_jump_variants!(load_jump_fns!());

/// The step match of [`Fused::run`]: one arm per load-and-jump variant
/// (each loads and compares with its own constant kinds, so the dispatch
/// alone picks the work), then the other arms as given.
macro_rules! step_match {
    ($step:expr, { $($rest:tt)* } $($v:ident = $l:ident $c:ident),* $(,)?) => {
        match $step {
            $(Step::$v(o, k, t, f) => ldj!(Load::$l, o, t, f, |a| Cond::$c.holds(a, k)),)*
            $($rest)*
        }
    };
}

/// Second pass over the steps (indexed like the instructions, so every
/// jump target still holds the step it had): a load-and-`jeq` whose false
/// branch is a `jeq` on A becomes [`Step::EqEq`], and `ldxb 4*([k]&0xf)`
/// followed by an indexed load-and-jump becomes [`Step::MshJump`]. Each does
/// what the two steps did one after the other, with one dispatch fewer.
fn fuse_pairs(steps: &mut [Step]) {
    for i in 0..steps.len() {
        let fused = match (steps[i], load_jump_parts(steps[i])) {
            (_, Some((l, Cond::Eq, o, k1, t1, f1))) if f1 & RET == 0 => {
                match steps.get(f1 as usize) {
                    Some(&Step::JeqK(k2, t2, f2)) => Step::EqEq(l, o, k1, t1, k2, t2, f2),
                    _ => continue,
                }
            }
            (Step::Msh(k), _) => match steps.get(i + 1).copied().and_then(load_jump_parts) {
                Some((l @ (Load::IndB | Load::IndH), c, o, k2, t, f)) => {
                    Step::MshJump(k, l, c, o, k2, t, f)
                }
                _ => continue,
            },
            _ => continue,
        };
        steps[i] = fused;
    }
}

/// A forward-jumping program compiled into fused steps; see the module docs.
#[derive(Clone, Debug)]
pub struct Fused {
    steps: Vec<Step>,
    rets: Vec<u32>,
}

impl Fused {
    /// Compiles `prog`; `None` when a jump leaves the program (left to
    /// [`super::Decoded`]). An unknown opcode becomes `ret #0`, as running it
    /// would.
    pub fn new(prog: &Program) -> Option<Self> {
        let insns = prog.insns();
        let n = insns.len();
        let ops: Vec<Option<Op>> = insns.iter().map(|&i| decode(i).ok()).collect();
        let mut rets: Vec<u32> = Vec::new();
        // The target of a jump to instruction `to`.
        let mut target = |to: usize| -> Option<u32> {
            let ret = match ops.get(to)? {
                None => 0,
                Some(Op::RetK(k)) => *k,
                Some(_) => return u32::try_from(to).ok().filter(|&t| t < RET),
            };
            let i = rets.iter().position(|&r| r == ret).unwrap_or_else(|| {
                rets.push(ret);
                rets.len() - 1
            });
            u32::try_from(i).ok().map(|i| i | RET)
        };
        let plain = |k: u32| k <= PLAIN_MAX;
        let mut steps = Vec::with_capacity(n);
        for (pc, op) in ops.iter().enumerate() {
            let mut at = |off: u32| target(pc + 1 + off as usize);
            let load = |op: &Option<Op>| match *op {
                Some(Op::LdAbs(Size::Byte, k)) if plain(k) => Some((Load::B, k)),
                Some(Op::LdAbs(Size::Half, k)) if plain(k) => Some((Load::H, k)),
                Some(Op::LdAbs(Size::Word, k)) if plain(k) => Some((Load::W, k)),
                Some(Op::LdInd(Size::Byte, k)) => Some((Load::IndB, k)),
                Some(Op::LdInd(Size::Half, k)) => Some((Load::IndH, k)),
                _ => None,
            };
            let step = match (load(op), ops.get(pc + 1)) {
                (
                    Some((l, o)),
                    Some(Some(Op::Jmp {
                        cond,
                        src: Src::K(k),
                        jt,
                        jf,
                    })),
                ) => {
                    // The jump's offsets are relative to its own position.
                    let mut at2 = |off: u8| target(pc + 2 + usize::from(off));
                    load_jump(l, *cond, o, *k, at2(*jt)?, at2(*jf)?)
                }
                (Some((l, o)), _) => Step::Ld(l, o),
                _ => match *op {
                    None => Step::Ret(0),
                    Some(Op::LdxMsh(k)) if plain(k) => Step::Msh(k),
                    Some(Op::Alu(AluOp::And, Src::K(k))) => Step::AndK(k),
                    Some(Op::Jmp { cond, src, jt, jf }) => {
                        let (t, f) = (at(jt.into())?, at(jf.into())?);
                        match (cond, src) {
                            (Cond::Eq, Src::K(k)) => Step::JeqK(k, t, f),
                            (Cond::Gt, Src::K(k)) => Step::JgtK(k, t, f),
                            (Cond::Ge, Src::K(k)) => Step::JgeK(k, t, f),
                            (Cond::Set, Src::K(k)) => Step::JsetK(k, t, f),
                            (cond, Src::X) => Step::JmpX(cond, t, f),
                        }
                    }
                    Some(Op::Ja(k)) => Step::Ja(at(k)?),
                    Some(Op::RetK(k)) => Step::Ret(k),
                    Some(other) => Step::Other(other),
                },
            };
            steps.push(step);
        }
        fuse_pairs(&mut steps);
        Some(Fused { steps, rets })
    }

    /// Runs the program over one packet; the same result as [`super::run`].
    pub fn run(&self, pkt: &[u8], wire_len: u32, meta: &Meta) -> u32 {
        let mut regs = Regs::default();
        let mut pc = 0usize;
        // Loads `l` at `k` into A, or ends the program with 0.
        macro_rules! ld {
            ($l:expr, $k:expr) => {
                match self.load($l, $k, regs.x, pkt, meta) {
                    Some(v) => v,
                    None => return 0,
                }
            };
        }
        // Jumps to a step, or returns.
        macro_rules! go {
            ($c:expr, $t:expr, $f:expr) => {{
                let to = if $c { $t } else { $f };
                if to & RET != 0 {
                    return self.rets.get((to & !RET) as usize).copied().unwrap_or(0);
                }
                pc = to as usize;
            }};
        }
        // A fused load and jump.
        macro_rules! ldj {
            ($l:expr, $o:expr, $t:expr, $f:expr, |$a:ident| $c:expr) => {{
                let $a = ld!($l, $o);
                regs.a = $a;
                go!($c, $t, $f);
            }};
        }
        while let Some(step) = self.steps.get(pc) {
            pc += 1;
            load_jump_variants!(step_match!(*step, {
                Step::EqEq(l, o, k1, t1, k2, t2, f2) => {
                    let a = ld!(l, o);
                    regs.a = a;
                    if a == k1 {
                        go!(true, t1, t1);
                    } else {
                        go!(a == k2, t2, f2);
                    }
                }
                Step::MshJump(k, l, cond, o, k2, t, f) => {
                    regs.x = (ld!(Load::B, k) & 0xf) << 2;
                    let a = ld!(l, o);
                    regs.a = a;
                    go!(cond.holds(a, k2), t, f);
                }
                Step::Ld(l, o) => regs.a = ld!(l, o),
                Step::Msh(k) => regs.x = (ld!(Load::B, k) & 0xf) << 2,
                Step::AndK(k) => regs.a &= k,
                Step::JeqK(k, t, f) => go!(regs.a == k, t, f),
                Step::JgtK(k, t, f) => go!(regs.a > k, t, f),
                Step::JgeK(k, t, f) => go!(regs.a >= k, t, f),
                Step::JsetK(k, t, f) => go!(regs.a & k != 0, t, f),
                Step::JmpX(cond, t, f) => go!(cond.holds(regs.a, regs.x), t, f),
                Step::Ja(t) => go!(true, t, t),
                Step::Ret(k) => return k,
                Step::Other(op) => match exec(op, &mut regs, pkt, wire_len, meta) {
                    Flow::Next => {}
                    // Jumps are all decoded into their own steps.
                    Flow::Skip(_) | Flow::Ja(_) => return 0,
                    Flow::Exit(v) => return v,
                },
            }));
        }
        0
    }

    /// The value a fused load reads, `None` when it is outside the packet.
    #[inline(always)]
    fn load(&self, l: Load, k: u32, x: u32, pkt: &[u8], meta: &Meta) -> Option<u32> {
        let (at, size) = match l {
            Load::B => (k, Size::Byte),
            Load::H => (k, Size::Half),
            Load::W => (k, Size::Word),
            Load::IndB => (x.wrapping_add(k), Size::Byte),
            Load::IndH => (x.wrapping_add(k), Size::Half),
        };
        // Plain loads are built with offsets up to PLAIN_MAX only; indexed
        // ones may land on SKF_NET_OFF / SKF_LL_OFF offsets.
        if matches!(l, Load::IndB | Load::IndH) && at > PLAIN_MAX {
            return load(pkt, at as i32, size, meta);
        }
        let at = at as usize;
        Some(match size {
            Size::Byte => (*pkt.get(at)?).into(),
            Size::Half => match *pkt.get(at..at + 2)? {
                [b0, b1] => u16::from_be_bytes([b0, b1]).into(),
                _ => return None,
            },
            Size::Word => match *pkt.get(at..at + 4)? {
                [b0, b1, b2, b3] => u32::from_be_bytes([b0, b1, b2, b3]),
                _ => return None,
            },
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::tests::decoded::{fixture_programs, random_case};
    use super::super::{run, Meta};
    use super::*;
    #[allow(unused_imports)]
    use crate::bpf::RandomInsn as _;
    use alloc::vec;

    /// Whether every jump of `p` lands inside it, forward (what
    /// [`Fused::new`] takes), checked independently of it.
    fn forward_only(p: &Program) -> bool {
        let n = p.insns().len();
        p.insns()
            .iter()
            .enumerate()
            .all(|(pc, &i)| match decode(i) {
                Ok(Op::Ja(k)) => (pc + 1).checked_add(k as usize).is_some_and(|t| t < n),
                Ok(Op::Jmp { jt, jf, .. }) => pc + 1 + usize::from(jt.max(jf)) < n,
                _ => true,
            })
    }

    #[test]
    fn matches_run_on_random_programs() {
        let seed = 0x5eed_f05e;
        let mut rng = crate::bpf::TestRng(seed);
        let mut fused = 0;
        for _ in 0..100_000 {
            let (p, pkt, wire, meta) = random_case(&mut rng);
            let Some(f) = Fused::new(&p) else {
                assert!(!forward_only(&p), "refused {p:?}");
                continue;
            };
            assert!(forward_only(&p), "compiled {p:?}");
            fused += 1;
            assert_eq!(
                run(&p, &pkt, wire, &meta),
                f.run(&pkt, wire, &meta),
                "seed {seed:#x}: {p:?} on {pkt:02x?}"
            );
        }
        assert!(fused > 10_000, "only {fused} programs compiled");
    }

    /// Random programs made of the shapes the pair fusions look for
    /// (load-and-jeq into a jeq on A, `ldxb 4*([k]&0xf)` then an indexed
    /// load-and-jump) among other loads and jumps, on short packets of
    /// small byte values so that the compares go both ways.
    pub(crate) fn shaped_case(rng: &mut crate::bpf::TestRng) -> (Program, Vec<u8>) {
        use crate::bpf::insn::{code::*, Insn};
        let n = 2 + (rng.next() % 14) as usize;
        let mut v = Vec::with_capacity(n + 1);
        let small = |r: u64| [0u32, 1, 2, 0x101, 0x102, 0x201, 0x1010101][(r % 7) as usize];
        for pc in 0..n {
            let left = (n - pc) as u64; // instructions after this one, the final ret included
            let off = (rng.next() % 24) as u32;
            let (jt, jf) = ((rng.next() % left) as u8, (rng.next() % left) as u8);
            let k = small(rng.next());
            let insn = match rng.next() % 10 {
                0 => Insn::stmt(LD | B | ABS, off),
                1 => Insn::stmt(LD | H | ABS, off),
                2 => Insn::stmt(LD | W | ABS, off),
                3 => Insn::stmt(LDX | B | MSH, off),
                4 => Insn::stmt(LD | B | IND, off),
                5 => Insn::stmt(LD | H | IND, off),
                6 | 7 => Insn::jump(JMP | JEQ | K, k, jt, jf),
                8 => Insn::jump(
                    JMP | [JGT, JGE, JSET][(rng.next() % 3) as usize] | K,
                    k,
                    jt,
                    jf,
                ),
                _ => Insn::stmt(RET | K, k),
            };
            v.push(insn);
        }
        v.push(Insn::stmt(RET | K, 7));
        let pkt = (0..rng.next() % 40)
            .map(|_| (rng.next() % 3) as u8)
            .collect();
        (Program::new(v), pkt)
    }

    #[test]
    fn pair_fusions_match_run() {
        let seed = 0x5eed_e9e9;
        let mut rng = crate::bpf::TestRng(seed);
        let meta = Meta::default();
        let mut pairs = (0, 0);
        for _ in 0..200_000 {
            let (p, pkt) = shaped_case(&mut rng);
            let f = Fused::new(&p).expect("shaped programs jump forward inside");
            pairs.0 += usize::from(f.steps.iter().any(|s| matches!(s, Step::EqEq(..))));
            pairs.1 += usize::from(f.steps.iter().any(|s| matches!(s, Step::MshJump(..))));
            assert_eq!(
                run(&p, &pkt, 100, &meta),
                f.run(&pkt, 100, &meta),
                "seed {seed:#x}: {p:?} on {pkt:02x?}"
            );
        }
        assert!(pairs.0 > 1_000 && pairs.1 > 1_000, "{pairs:?}");
    }

    #[test]
    fn matches_run_on_compiled_filters_over_the_corpus() {
        let frames = rawcap_corpus::frames();
        let mut fused = 0;
        let mut pairs = (0, 0);
        for (expr, p) in fixture_programs() {
            // Programs with a jump back (or off the end) are left to Decoded.
            let Some(f) = Fused::new(&p) else {
                assert!(!forward_only(&p), "{expr}: refused");
                continue;
            };
            fused += 1;
            pairs.0 += usize::from(f.steps.iter().any(|s| matches!(s, Step::EqEq(..))));
            pairs.1 += usize::from(f.steps.iter().any(|s| matches!(s, Step::MshJump(..))));
            for (mac, net) in [(Some(0), 14), (None, 0), (Some(0), 16)] {
                let meta = Meta {
                    mac_offset: mac,
                    network_offset: net,
                    ifindex: 1,
                    ..Meta::default()
                };
                for fr in &frames {
                    for cut in [fr.data.len(), fr.data.len() / 2, 20] {
                        let data = &fr.data[..cut.min(fr.data.len())];
                        assert_eq!(
                            run(&p, data, fr.wire_len, &meta),
                            f.run(data, fr.wire_len, &meta),
                            "{expr} on {} cut at {cut}",
                            fr.label
                        );
                    }
                }
            }
        }
        assert!(fused > 500, "only {fused} fixture programs fused");
        assert!(
            pairs.0 > 100 && pairs.1 > 100,
            "EqEq in {} programs, MshJump in {}",
            pairs.0,
            pairs.1
        );
    }

    #[test]
    fn jumps_off_the_end_are_left_to_decoded() {
        use crate::bpf::insn::{code::*, Insn};
        let p = Program::new(vec![Insn::stmt(JMP | JA, 5), Insn::stmt(RET | K, 1)]);
        assert!(Fused::new(&p).is_none());
        let p = Program::new(vec![
            Insn::jump(JMP | JEQ | K, 0, 9, 0),
            Insn::stmt(RET | K, 1),
        ]);
        assert!(Fused::new(&p).is_none());
    }
}
