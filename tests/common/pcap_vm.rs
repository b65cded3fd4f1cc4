//! libpcap's userspace interpreter semantics (`bpf_filter()` in libpcap 1.10's
//! bpf_filter.c), for the few libpcap programs the kernel would refuse.
//!
//! libpcap compiles `protochain` with a backward `ja` (its bpf_filter.c
//! sign-extends the `ja` offset for exactly that reason); the kernel, and
//! so `bpf::vm`, refuses such programs. On Linux libpcap then filters in user
//! space, so that is the reference for those expressions. Everything else
//! matches the kernel: out-of-packet loads and division by zero return 0,
//! `len` is the wire length; ancillary loads read the same metadata as the VM.

use rawcap::bpf::code::*;
use rawcap::bpf::vm::Meta;
use rawcap::bpf::{skf, Program};

/// A bound on executed instructions, so a looping program ends (returning 0).
const MAX_STEPS: usize = 1 << 16;

fn load(pkt: &[u8], at: u32, size: u16) -> Option<u32> {
    let at = at as usize;
    let n = match size {
        W => 4,
        H => 2,
        _ => 1,
    };
    let b = pkt.get(at..at.checked_add(n)?)?;
    Some(b.iter().fold(0u32, |acc, &x| acc << 8 | u32::from(x)))
}

fn ancillary(k: u32, meta: &Meta) -> u32 {
    match k.wrapping_sub(skf::AD_OFF) {
        skf::AD_PROTOCOL => u32::from(meta.protocol),
        skf::AD_PKTTYPE => meta.pkttype & 7,
        skf::AD_IFINDEX => meta.ifindex,
        skf::AD_MARK => meta.mark,
        skf::AD_HATYPE => u32::from(meta.hatype),
        skf::AD_VLAN_TAG => u32::from(meta.vlan_tci),
        skf::AD_VLAN_TAG_PRESENT => u32::from(meta.vlan_present),
        _ => 0,
    }
}

/// Runs `prog` the way libpcap's `bpf_filter` does (with Linux ancillary loads).
#[allow(dead_code)]
pub fn run(prog: &Program, pkt: &[u8], wire_len: u32, meta: &Meta) -> u32 {
    run_traced(prog, pkt, wire_len, meta).0
}

/// Like [`run`], and also says whether the program was cut short (a load past
/// the end of the packet, or a division by zero), which makes the result depend
/// on the order the program tests things in.
#[allow(dead_code)]
pub fn run_traced(prog: &Program, pkt: &[u8], wire_len: u32, meta: &Meta) -> (u32, bool) {
    exec(prog, pkt, wire_len, meta).unwrap_or((0, false))
}

/// Whether libpcap would never finish `prog` on this packet (a `protochain`
/// loop over an AH header that leads back to itself): [`MAX_STEPS`] run out.
#[allow(dead_code)]
pub fn loops_forever(prog: &Program, pkt: &[u8], wire_len: u32, meta: &Meta) -> bool {
    exec(prog, pkt, wire_len, meta).is_none()
}

/// [`run_traced`], or `None` when [`MAX_STEPS`] run out.
fn exec(prog: &Program, pkt: &[u8], wire_len: u32, meta: &Meta) -> Option<(u32, bool)> {
    let insns = prog.insns();
    let (mut a, mut x, mut mem) = (0u32, 0u32, [0u32; 16]);
    let mut pc: i64 = 0;
    for _ in 0..MAX_STEPS {
        let Some(i) = usize::try_from(pc).ok().and_then(|p| insns.get(p)) else {
            return Some((0, false));
        };
        pc += 1;
        let (code, k) = (i.code, i.k);
        match code & 0x07 {
            LD | LDX => {
                let size = code & 0x18;
                let v = match code & 0xe0 {
                    IMM => k,
                    LEN => wire_len,
                    MEM => mem[(k & 15) as usize],
                    ABS if k >= skf::AD_OFF => ancillary(k, meta),
                    ABS => match load(pkt, k, size) {
                        Some(v) => v,
                        None => return Some((0, true)),
                    },
                    IND => match load(pkt, x.wrapping_add(k), size) {
                        Some(v) => v,
                        None => return Some((0, true)),
                    },
                    MSH => match load(pkt, k, B) {
                        Some(v) => (v & 0xf) << 2,
                        None => return Some((0, true)),
                    },
                    _ => return Some((0, false)),
                };
                if code & 0x07 == LD {
                    a = v;
                } else {
                    x = v;
                }
            }
            ST => mem[(k & 15) as usize] = a,
            STX => mem[(k & 15) as usize] = x,
            ALU => {
                let src = if code & X != 0 { x } else { k };
                a = match code & 0xf0 {
                    ADD => a.wrapping_add(src),
                    SUB => a.wrapping_sub(src),
                    MUL => a.wrapping_mul(src),
                    DIV if src == 0 => return Some((0, true)),
                    DIV => a / src,
                    MOD if src == 0 => return Some((0, true)),
                    MOD => a % src,
                    AND => a & src,
                    OR => a | src,
                    XOR => a ^ src,
                    LSH => a.wrapping_shl(src),
                    RSH => a.wrapping_shr(src),
                    NEG => a.wrapping_neg(),
                    _ => return Some((0, false)),
                };
            }
            JMP => {
                let src = if code & X != 0 { x } else { k };
                let taken = match code & 0xf0 {
                    JA => {
                        // Sign-extended, as libpcap's bpf_filter does for protochain.
                        pc += i64::from(k as i32);
                        continue;
                    }
                    JEQ => a == src,
                    JGT => a > src,
                    JGE => a >= src,
                    JSET => a & src != 0,
                    _ => return Some((0, false)),
                };
                pc += i64::from(if taken { i.jt } else { i.jf });
            }
            RET => return Some((if code & 0x18 == A { a } else { k }, false)),
            _ => {
                if code & 0xf8 == TXA {
                    a = x;
                } else {
                    x = a;
                }
            }
        }
    }
    None
}
