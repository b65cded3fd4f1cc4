//! The native engine against the interpreter (`vm::run`): hand-written
//! edge cases, random programs of three shapes, and every fixture
//! expression over the packet corpus.

use super::Native;
use crate::bpf::insn::{code::*, skf, Insn};
use crate::bpf::vm::fused::tests::shaped_case;
use crate::bpf::vm::tests::decoded::{fixture_programs, random_case};
use crate::bpf::vm::{run, Meta, MAX_BACKWARD_JUMPS};
use crate::bpf::{Program, TestRng};
use crate::LinkType;
use alloc::vec;
use alloc::vec::Vec;

/// Compiles `insns` and checks one packet against the interpreter.
fn same(insns: &[Insn], pkt: &[u8], wire: u32, meta: &Meta) -> u32 {
    let p = Program::new(insns.to_vec());
    let n = Native::new(&p).expect("compiles");
    let want = run(&p, pkt, wire, meta);
    assert_eq!(n.run(pkt, wire, meta), want, "{p:?} on {pkt:02x?}");
    want
}

const RET_A: Insn = Insn::stmt(RET | A, 0);

#[test]
fn loads_are_big_endian_and_bounded() {
    let pkt: Vec<u8> = (0..32).collect();
    let m = Meta::default();
    assert_eq!(
        same(&[Insn::stmt(LD | W | ABS, 1), RET_A], &pkt, 32, &m),
        0x0102_0304
    );
    assert_eq!(
        same(&[Insn::stmt(LD | H | ABS, 30), RET_A], &pkt, 32, &m),
        0x1e1f
    );
    assert_eq!(
        same(&[Insn::stmt(LD | H | ABS, 31), RET_A], &pkt, 32, &m),
        0
    );
    assert_eq!(
        same(
            &[Insn::stmt(LD | B | ABS, 0x7fff_ffff), RET_A],
            &pkt,
            32,
            &m
        ),
        0
    );
    assert_eq!(
        same(
            &[
                Insn::stmt(LDX | B | MSH, 4),
                Insn::stmt(MISC | TXA, 0),
                RET_A
            ],
            &pkt,
            32,
            &m
        ),
        16
    );
    // Indexed: X + k wraps in 32 bits; a negative sum is an SKF offset.
    for x in [0u32, 1, 28, 29, 0x7fff_fff0, 0x8000_0000, u32::MAX] {
        for k in [0u32, 2, 0x10, 0x7fff_ffff, 0xfff0_0000] {
            for size in [B, H, W] {
                let prog = [
                    Insn::stmt(LDX | IMM, x),
                    Insn::stmt(LD | size | IND, k),
                    RET_A,
                ];
                let meta = Meta {
                    network_offset: 2,
                    mac_offset: Some(0),
                    ..Meta::default()
                };
                same(&prog, &pkt, 32, &meta);
            }
        }
    }
}

#[test]
fn negative_offsets_and_ancillary_loads_take_the_slow_path() {
    let pkt: Vec<u8> = (0..40).collect();
    let meta = Meta {
        protocol: 0x0800,
        ifindex: 3,
        hatype: 1,
        vlan_tci: 0x123,
        mark: 77,
        network_offset: 14,
        mac_offset: Some(0),
        ..Meta::default()
    };
    let net = skf::NET_OFF;
    assert_eq!(
        same(&[Insn::stmt(LD | B | ABS, net + 1), RET_A], &pkt, 40, &meta),
        15
    );
    assert_eq!(
        same(
            &[Insn::stmt(LD | H | ABS, skf::LL_OFF + 12), RET_A],
            &pkt,
            40,
            &meta
        ),
        0x0c0d
    );
    assert_eq!(
        same(
            &[
                Insn::stmt(LDX | B | MSH, net),
                Insn::stmt(MISC | TXA, 0),
                RET_A
            ],
            &pkt,
            40,
            &meta
        ),
        56
    );
    assert_eq!(
        same(
            &[
                Insn::stmt(LD | W | ABS, skf::AD_OFF + skf::AD_PROTOCOL),
                RET_A
            ],
            &pkt,
            40,
            &meta
        ),
        0x0800
    );
    // X survives a slow-path call; the program goes on after it.
    let prog = [
        Insn::stmt(LDX | IMM, 5),
        Insn::stmt(LD | W | ABS, skf::AD_OFF + skf::AD_MARK),
        Insn::stmt(ADD | X | ALU, 0),
        RET_A,
    ];
    assert_eq!(same(&prog, &pkt, 40, &meta), 82);
    // No device: `ld [ifidx]` ends the program returning A.
    let prog = [
        Insn::stmt(LD | IMM, 9),
        Insn::stmt(LD | W | ABS, skf::AD_OFF + skf::AD_IFINDEX),
        Insn::stmt(RET | K, 1),
    ];
    assert_eq!(same(&prog, &pkt, 40, &Meta::default()), 9);
}

#[test]
fn division_by_zero_and_shifts_follow_the_kernel() {
    let m = Meta::default();
    for (op, x, want) in [
        (DIV, 0, 0),
        (MOD, 0, 0),
        (DIV, 7, 14),
        (MOD, 7, 2),
        (LSH, 33, 200),
        (RSH, 35, 12),
    ] {
        let prog = [
            Insn::stmt(LD | IMM, 100),
            Insn::stmt(LDX | IMM, x),
            Insn::stmt(ALU | op | X, 0),
            Insn::stmt(RET | A, 0),
        ];
        assert_eq!(same(&prog, &[], 0, &m), want, "{op:#x} by {x}");
        for k in [0, 1, 2, 3, 16, 33, u32::MAX] {
            let prog = [
                Insn::stmt(LD | IMM, 1000),
                Insn::stmt(ALU | op | K, k),
                RET_A,
            ];
            same(&prog, &[], 0, &m);
        }
    }
}

#[test]
fn scratch_memory_starts_at_zero_and_is_bounded() {
    let m = Meta::default();
    let prog = [
        Insn::stmt(LD | MEM, 15),
        Insn::stmt(ADD | K | ALU, 1),
        RET_A,
    ];
    assert_eq!(same(&prog, &[], 0, &m), 1);
    let prog = [
        Insn::stmt(LD | IMM, 6),
        Insn::stmt(ST, 3),
        Insn::stmt(LDX | MEM, 3),
        Insn::stmt(STX, 4),
        Insn::stmt(LD | MEM, 4),
        RET_A,
    ];
    assert_eq!(same(&prog, &[], 0, &m), 6);
    assert_eq!(
        same(&[Insn::stmt(ST, 16), Insn::stmt(RET | K, 1)], &[], 0, &m),
        0
    );
}

#[test]
fn backward_jumps_are_counted_and_bounded() {
    let m = Meta::default();
    // A loop adding 1 until A reaches 1000, then returns A.
    let prog = [
        Insn::stmt(ADD | K | ALU, 1),
        Insn::jump(JMP | JGE | K, 1000, 1, 0),
        Insn::stmt(JMP | JA, (-3i32) as u32),
        RET_A,
    ];
    assert_eq!(same(&prog, &[], 0, &m), 1000);
    // A loop for ever ends after MAX_BACKWARD_JUMPS, returning 0.
    let prog = [
        Insn::stmt(LD | IMM, 1),
        Insn::stmt(JMP | JA, u32::MAX),
        RET_A,
    ];
    assert_eq!(same(&prog, &[], 0, &m), 0);
    let bound = [
        Insn::stmt(ADD | K | ALU, 1),
        Insn::jump(JMP | JGT | K, MAX_BACKWARD_JUMPS + 1, 1, 0),
        Insn::stmt(JMP | JA, (-3i32) as u32),
        RET_A,
    ];
    assert_eq!(same(&bound, &[], 0, &m), 0);
    // Jumps off either end, unknown opcodes, the end without a ret: 0.
    assert_eq!(same(&[Insn::stmt(JMP | JA, 0xffff_fff0)], &[], 0, &m), 0);
    assert_eq!(same(&[Insn::jump(JMP | JEQ | K, 0, 5, 5)], &[], 0, &m), 0);
    assert_eq!(same(&[Insn::stmt(0xffff, 0)], &[], 0, &m), 0);
    assert_eq!(same(&[Insn::stmt(LD | IMM, 4)], &[], 0, &m), 0);
    assert_eq!(same(&[], &[], 0, &m), 0);
}

/// A random program of valid instructions with the `k` values where the
/// machine's edges are (packet ends, sign bits, SKF offsets), on a short
/// packet of small bytes so that compares go both ways.
fn edge_case(rng: &mut TestRng) -> (Program, Vec<u8>, u32, Meta) {
    const CODES: [u16; 46] = [
        LD | W | ABS,
        LD | H | ABS,
        LD | B | ABS,
        LD | W | IND,
        LD | H | IND,
        LD | B | IND,
        LD | IMM,
        LD | LEN,
        LD | MEM,
        LDX | IMM,
        LDX | LEN,
        LDX | MEM,
        LDX | B | MSH,
        ST,
        STX,
        ALU | ADD | K,
        ALU | SUB | K,
        ALU | MUL | K,
        ALU | DIV | K,
        ALU | MOD | K,
        ALU | AND | K,
        ALU | OR | K,
        ALU | XOR | K,
        ALU | LSH | K,
        ALU | RSH | K,
        ALU | ADD | X,
        ALU | SUB | X,
        ALU | MUL | X,
        ALU | DIV | X,
        ALU | MOD | X,
        ALU | AND | X,
        ALU | OR | X,
        ALU | XOR | X,
        ALU | LSH | X,
        ALU | RSH | X,
        ALU | NEG,
        JMP | JA,
        JMP | JEQ | K,
        JMP | JGT | K,
        JMP | JGE | K,
        JMP | JSET | K,
        JMP | JEQ | X,
        JMP | JGT | X,
        JMP | JSET | X,
        MISC | TAX,
        MISC | TXA,
    ];
    let ks = |r: u64| -> u32 {
        let edges = [
            0,
            1,
            2,
            3,
            4,
            12,
            14,
            16,
            31,
            32,
            33,
            0x7fff_fffe,
            0x7fff_ffff,
            0x8000_0000,
            0xffff_ffff,
            skf::NET_OFF,
            skf::NET_OFF + 3,
            skf::LL_OFF,
            skf::LL_OFF + 5,
            skf::LL_OFF - 1,
            skf::AD_OFF + skf::AD_PROTOCOL,
            skf::AD_OFF + skf::AD_IFINDEX,
            skf::AD_OFF + skf::AD_MARK,
            skf::AD_OFF + skf::AD_ALU_XOR_X,
            skf::AD_OFF + 0x100,
        ];
        if r & 1 == 0 {
            edges[(r >> 1) as usize % edges.len()]
        } else {
            (r >> 8) as u32 % 40
        }
    };
    let n = 1 + (rng.next_u64() % 20) as usize;
    let mut insns = Vec::with_capacity(n + 1);
    for _ in 0..n {
        let code = CODES[(rng.next_u64() % CODES.len() as u64) as usize];
        let k = if code == JMP | JA && rng.next_u64() % 4 == 0 {
            (-((rng.next_u64() % 4) as i32)) as u32
        } else {
            ks(rng.next_u64())
        };
        let r = rng.next_u64();
        insns.push(Insn {
            code,
            jt: (r % 6) as u8,
            jf: ((r >> 8) % 6) as u8,
            k,
        });
    }
    if rng.next_u64() % 2 == 0 {
        insns.push(RET_A);
    }
    let pkt = (0..rng.next_u64() % 48)
        .map(|_| (rng.next_u64() % 4) as u8)
        .collect();
    let meta = Meta {
        protocol: 0x86dd,
        ifindex: (rng.next_u64() % 2) as u32,
        mark: 0x8000_0001,
        network_offset: (rng.next_u64() % 20) as u32,
        mac_offset: (rng.next_u64() % 3 != 0).then_some((rng.next_u64() % 8) as u32),
        ..Meta::default()
    };
    (
        Program::new(insns),
        pkt,
        (rng.next_u64() % 100) as u32,
        meta,
    )
}

#[test]
fn matches_run_on_random_programs() {
    let seed = 0x5eed_0a71;
    let mut rng = TestRng(seed);
    let mut ends = [0usize; 2];
    for i in 0..200_000 {
        let (p, pkt, wire, meta) = if i % 2 == 0 {
            edge_case(&mut rng)
        } else {
            random_case(&mut rng)
        };
        let n = Native::new(&p).expect("compiles");
        let want = run(&p, &pkt, wire, &meta);
        ends[usize::from(want != 0)] += 1;
        assert_eq!(
            n.run(&pkt, wire, &meta),
            want,
            "seed {seed:#x}, program {i}: {p:?} on {pkt:02x?}, wire {wire}, {meta:?}"
        );
    }
    // Some programs accept: they get past their first checks.
    assert!(ends[1] > 2_000, "seed {seed:#x}: {ends:?}");
}

#[test]
fn matches_run_on_shaped_programs() {
    let seed = 0x5eed_5a9e;
    let mut rng = TestRng(seed);
    let meta = Meta::default();
    for _ in 0..50_000 {
        let (p, pkt) = shaped_case(&mut rng);
        let n = Native::new(&p).expect("compiles");
        assert_eq!(
            n.run(&pkt, 100, &meta),
            run(&p, &pkt, 100, &meta),
            "seed {seed:#x}: {p:?} on {pkt:02x?}"
        );
    }
}

#[test]
fn matches_run_on_compiled_filters_over_the_corpus() {
    let frames = rawcap_corpus::frames();
    let mut checked = 0usize;
    for (expr, p) in fixture_programs() {
        let n = Native::new(&p).expect("compiles");
        for f in &frames {
            let file = Meta::for_frame(LinkType::Ethernet, &f.data);
            let live = Meta {
                ifindex: 2,
                hatype: 1,
                vlan_present: f.data.len() % 3 == 0,
                vlan_tci: 100,
                ..file.clone()
            };
            for meta in [&file, &live] {
                for cut in [f.data.len(), 20] {
                    let data = &f.data[..cut.min(f.data.len())];
                    assert_eq!(
                        n.run(data, f.wire_len, meta),
                        run(&p, data, f.wire_len, meta),
                        "{expr} on {} cut at {cut}",
                        f.label
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1_000_000, "{checked}");
}

#[test]
fn code_is_small() {
    let p = crate::bpf::programs::tcp_port_80();
    let n = Native::new(&p).expect("compiles");
    assert!(n.code_len() < 512, "{} bytes", n.code_len());
    let v: Vec<u8> = vec![0; 4];
    assert_eq!(n.run(&v, 4, &Meta::default()), 0);
}

/// Writes the code for `tcp port 80` to $RAWCAP_JIT_DUMP (for `objdump -D
/// -b binary -m i386:x86-64`), when set.
#[test]
fn dump_when_asked() {
    if let Ok(path) = std::env::var("RAWCAP_JIT_DUMP") {
        let code = super::emit::emit(&crate::bpf::programs::tcp_port_80(), 0).expect("emits");
        std::fs::write(path, code).expect("write dump");
    }
}
