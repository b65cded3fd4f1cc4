//! Differential test against the running kernel (no privileges needed).
//!
//! Seeded random classic BPF programs, biased toward valid ones, go to
//! `setsockopt(SO_ATTACH_FILTER)` on the receiving end of an AF_UNIX
//! SOCK_DGRAM socketpair. `bpf::validate` must agree with the kernel on every
//! accept or refuse. For each accepted program, random datagrams are sent: the
//! kernel delivers `min(ret, len)` bytes, or drops the datagram when the filter
//! returns 0, and `bpf::vm::run` must predict exactly that.
//!
//! What the filter sees on an AF_UNIX skb is `vm::Meta::default()`: protocol,
//! pkttype, mark, hash, queue and VLAN fields 0, no device (so `ifidx` and
//! `hatype` loads end the program returning A), network header at offset 0 and
//! no link-layer header. The test pins itself to one CPU so `ld [cpu]` is
//! known; `ld [random]` is always followed by an instruction that overwrites A.
//!
//! `RAWCAP_SEED` sets the seed, `RAWCAP_DIFF_PROGRAMS` the number of programs.
//!
//! Also: compiled `protochain` programs (the filter's one bounded walk) attach
//! and the kernel's verdicts equal the VM's on extension-header chains.

use rawcap::bpf::{self, code::*, skf, vm, Insn, Program, Rule};
use rawcap::filter::PROTOCHAIN_MAX_HEADERS as N;
use rawcap::filter::{compile, Options};
use rawcap_corpus::Rng;
use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// Constants that sit on arithmetic and comparison edges.
const EDGES: [u32; 24] = [
    0,
    1,
    2,
    3,
    4,
    7,
    8,
    13,
    14,
    15,
    16,
    31,
    32,
    33,
    63,
    64,
    100,
    0x800,
    0x86dd,
    262_144,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_fffe,
    0xffff_ffff,
];

const KNOWN_ANCILLARY: [u32; 16] = [
    skf::AD_PROTOCOL,
    skf::AD_PKTTYPE,
    skf::AD_IFINDEX,
    skf::AD_NLATTR,
    skf::AD_NLATTR_NEST,
    skf::AD_MARK,
    skf::AD_QUEUE,
    skf::AD_HATYPE,
    skf::AD_RXHASH,
    skf::AD_CPU,
    skf::AD_ALU_XOR_X,
    skf::AD_VLAN_TAG,
    skf::AD_VLAN_TAG_PRESENT,
    skf::AD_PAY_OFFSET,
    skf::AD_RANDOM,
    skf::AD_VLAN_TPID,
];

const ALU_OPS: [u16; 10] = [ADD, SUB, MUL, DIV, OR, AND, LSH, RSH, MOD, XOR];
const CONDS: [u16; 4] = [JEQ, JGT, JGE, JSET];
const SIZES: [u16; 3] = [W, H, B];

fn constant(rng: &mut Rng) -> u32 {
    match rng.below(10) {
        0..=4 => rng.pick(&EDGES),
        5..=7 => rng.below(256) as u32,
        _ => rng.u32(),
    }
}

/// A packet offset: mostly inside small datagrams, sometimes network- or
/// link-layer-relative, sometimes far out.
fn offset(rng: &mut Rng) -> u32 {
    match rng.below(20) {
        0..=9 => rng.below(24) as u32,
        10..=13 => rng.below(110) as u32,
        14..=15 => skf::NET_OFF + rng.below(110) as u32,
        16 => skf::LL_OFF + rng.below(20) as u32,
        17 => 0x8000_0000 | rng.u32(),
        18 => skf::NET_OFF + rng.u32() % (skf::AD_OFF - skf::NET_OFF),
        _ => rng.u32() & 0x7fff_ffff,
    }
}

fn ret(rng: &mut Rng) -> Insn {
    if rng.chance(30) {
        Insn::stmt(RET | A, 0)
    } else {
        let k = match rng.below(4) {
            0 => 0,
            1 => rng.pick(&[1, 2, 5, 13, 14, 50, 99, 100, 101, 262_144, 0xffff_ffff]),
            2 => rng.below(120) as u32,
            _ => constant(rng),
        };
        Insn::stmt(RET | K, k)
    }
}

/// Generates a program that is valid unless a jump skips a scratch store.
struct Gen<'a> {
    rng: &'a mut Rng,
    len: usize,
    insns: Vec<Insn>,
    /// Scratch words stored somewhere so far.
    written: u16,
    /// Scratch words stored before the first jump: written on every path.
    safe: u16,
    jumped: bool,
}

impl Gen<'_> {
    /// Space left before the final `ret`.
    fn room(&self) -> usize {
        self.len - 1 - self.insns.len()
    }

    /// A forward skip that stays inside the program.
    fn skip(&mut self) -> u32 {
        let max = (self.len - self.insns.len() - 2) as u64;
        if max == 0 {
            return 0;
        }
        if self.rng.chance(70) {
            self.rng.below(max.min(4) as usize + 1) as u32
        } else {
            self.rng.below(max.min(255) as usize + 1) as u32
        }
    }

    fn scratch_read(&mut self) -> u32 {
        let set = match self.rng.below(100) {
            0..=97 => self.safe,
            98 => self.written,
            _ => 0,
        };
        if set == 0 {
            return self.rng.below(16) as u32;
        }
        loop {
            let k = self.rng.below(16) as u32;
            if set & (1 << k) != 0 {
                return k;
            }
        }
    }

    fn push(&mut self, insn: Insn) {
        match insn.class() {
            ST | STX => {
                self.written |= 1 << (insn.k & 15);
                if !self.jumped {
                    self.safe |= 1 << (insn.k & 15);
                }
            }
            JMP => self.jumped = true,
            _ => {}
        }
        self.insns.push(insn);
    }

    fn one(&mut self) {
        let rng = &mut *self.rng;
        match rng.below(100) {
            0..=17 => {
                let (size, k) = (rng.pick(&SIZES), offset(rng));
                self.push(Insn::stmt(LD | size | ABS, k));
            }
            18..=25 => {
                let size = rng.pick(&SIZES);
                let k = match rng.below(6) {
                    0..=3 => rng.below(100) as u32,
                    4 => skf::NET_OFF + rng.below(60) as u32,
                    _ => rng.u32(),
                };
                self.push(Insn::stmt(LD | size | IND, k));
            }
            26..=28 => {
                let k = offset(rng);
                self.push(Insn::stmt(LDX | B | MSH, k));
            }
            29..=36 => {
                let class = rng.pick(&[LD, LDX]);
                let k = constant(rng);
                self.push(Insn::stmt(class | IMM, k));
            }
            37..=38 => {
                let class = rng.pick(&[LD, LDX]);
                self.push(Insn::stmt(class | W | LEN, 0));
            }
            39..=43 => {
                let class = rng.pick(&[ST, STX]);
                let k = rng.below(16) as u32;
                self.push(Insn::stmt(class, k));
            }
            44..=47 => {
                let class = rng.pick(&[LD, LDX]);
                if self.safe != 0 {
                    let k = self.scratch_read();
                    self.push(Insn::stmt(class | MEM, k));
                } else if self.room() >= 2 {
                    // Store right before the read (a jump may still land in between).
                    let k = self.rng.below(16) as u32;
                    self.push(Insn::stmt(ST, k));
                    self.push(Insn::stmt(class | MEM, k));
                }
            }
            48..=64 => {
                let op = rng.pick(&ALU_OPS);
                if rng.chance(40) {
                    self.push(Insn::stmt(ALU | op | X, 0));
                } else {
                    let k = match op {
                        DIV | MOD => constant(rng).max(1),
                        LSH | RSH => rng.below(32) as u32,
                        _ => constant(rng),
                    };
                    self.push(Insn::stmt(ALU | op | K, k));
                }
            }
            65..=67 => {
                let code = rng.pick(&[ALU | NEG, MISC | TAX, MISC | TXA]);
                self.push(Insn::stmt(code, 0));
            }
            68..=82 => {
                let cond = rng.pick(&CONDS);
                let src = rng.pick(&[K, X]);
                let k = if src == X { 0 } else { constant(rng) };
                let (jt, jf) = (self.skip(), self.skip());
                self.push(Insn::jump(JMP | cond | src, k, jt as u8, jf as u8));
            }
            83..=85 => {
                let k = self.skip();
                self.push(Insn::stmt(JMP | JA, k));
            }
            86..=88 => {
                let insn = ret(rng);
                self.push(insn);
            }
            _ => self.ancillary(),
        }
    }

    fn ancillary(&mut self) {
        let size = self.rng.pick(&SIZES);
        let which = self.rng.pick(&KNOWN_ANCILLARY);
        if which == skf::AD_RANDOM {
            if self.room() < 2 {
                return;
            }
            // The value is unknowable: overwrite it at once.
            let fix = if self.rng.chance(50) {
                Insn::stmt(ALU | AND | K, 0)
            } else {
                Insn::stmt(LD | IMM, constant(self.rng))
            };
            self.push(Insn::stmt(LD | size | ABS, skf::AD_OFF + which));
            self.push(fix);
            return;
        }
        if matches!(which, skf::AD_NLATTR | skf::AD_NLATTR_NEST) && self.room() >= 3 {
            // Give the attribute walk a sensible start and type.
            let a = self.rng.pick(&[0, 0, 4, 8, 12]);
            let x = self.rng.below(8) as u32;
            self.push(Insn::stmt(LD | IMM, a));
            self.push(Insn::stmt(LDX | IMM, x));
        }
        self.push(Insn::stmt(LD | size | ABS, skf::AD_OFF + which));
    }

    fn run(mut self) -> Program {
        if self.rng.chance(80) {
            for _ in 0..(1 + self.rng.below(3)).min(self.room()) {
                let k = self.rng.below(16) as u32;
                let class = self.rng.pick(&[ST, STX]);
                self.push(Insn::stmt(class, k));
            }
        }
        while self.room() > 0 {
            self.one();
        }
        let last = ret(self.rng);
        self.push(last);
        Program::new(self.insns)
    }
}

fn valid_ish(rng: &mut Rng) -> Program {
    let len = match rng.below(100) {
        0..=74 => 1 + rng.below(20),
        75..=96 => 20 + rng.below(60),
        _ => 80 + rng.below(200),
    };
    Gen {
        rng,
        len,
        insns: Vec::new(),
        written: 0,
        safe: 0,
        jumped: false,
    }
    .run()
}

/// Breaks one rule (the kernel and the validator decide whether it really did).
fn mutate(rng: &mut Rng, prog: Program) -> Program {
    let mut insns = prog.into_insns();
    let n = insns.len();
    let at = rng.below(n);
    match rng.below(11) {
        0 => {
            let code = if rng.chance(50) {
                rng.pick(&[
                    0x08, 0x0d, 0x0e, 0x0f, 0x17, 0x38, 0x68, 0x70, 0x8c, 0x89, 0xb4, 0xc4, 0xd5,
                    0xff,
                ])
            } else {
                rng.next_u64() as u16
            };
            insns[at].code = code;
        }
        1 => insns[at] = Insn::stmt(ALU | rng.pick(&[DIV, MOD]) | K, 0),
        2 => insns[at] = Insn::stmt(ALU | rng.pick(&[LSH, RSH]) | K, 32 + rng.below(1000) as u32),
        3 => {
            let class = rng.pick(&[LD | MEM, LDX | MEM, ST, STX]);
            insns[at] = Insn::stmt(class, 16 + rng.below(100) as u32);
        }
        4 => {
            let room = (n - at - 1) as u32;
            insns[at] = if rng.chance(30) {
                Insn::stmt(JMP | JA, room + rng.below(3) as u32)
            } else {
                let jt = room.min(255) as u8;
                let cond = rng.pick(&CONDS);
                Insn::jump(JMP | cond | K, 1, jt, rng.below(256) as u8)
            };
        }
        5 => {
            let k = match rng.below(3) {
                0 => skf::AD_OFF + 1 + 4 * rng.below(16) as u32 + rng.below(3) as u32,
                1 => skf::AD_OFF + skf::AD_MAX + rng.below(4000) as u32,
                _ => skf::AD_OFF | rng.u32(),
            };
            insns[at] = Insn::stmt(LD | rng.pick(&SIZES) | ABS, k);
        }
        6 => insns[n - 1] = Insn::stmt(LD | IMM, 1),
        7 => insns.insert(
            0,
            Insn::stmt(rng.pick(&[LD | MEM, LDX | MEM]), rng.below(16) as u32),
        ),
        8 => insns.clear(),
        9 => {
            let len = if rng.chance(50) { 4097 } else { 4096 };
            insns = vec![Insn::stmt(LD | IMM, 1); len - 1];
            insns.push(Insn::stmt(RET | A, 0));
        }
        _ => {
            // Any field of any instruction, at random.
            let i = &mut insns[at];
            match rng.below(4) {
                0 => i.code = rng.below(256) as u16,
                1 => i.jt = rng.next_u64() as u8,
                2 => i.jf = rng.next_u64() as u8,
                _ => i.k = rng.u32(),
            }
        }
    }
    Program::new(insns)
}

fn datagram(rng: &mut Rng) -> Vec<u8> {
    let len = match rng.below(10) {
        0..=1 => rng.below(15),
        2..=7 => 24 + rng.below(77),
        _ => rng.pick(&[
            0, 1, 2, 3, 4, 13, 14, 15, 20, 33, 34, 54, 55, 56, 57, 100, 120,
        ]),
    };
    match rng.below(7) {
        0..=2 => (0..len).map(|_| rng.next_u64() as u8).collect(),
        3..=4 => (0..len).map(|_| rng.below(16) as u8).collect(),
        5 => vec![0; len],
        _ => {
            // Netlink-style attributes (host-order len, type) for nla/nlan.
            let mut v = Vec::new();
            while v.len() < len {
                let alen = (4 + rng.below(12)) as u16;
                let ty = rng.below(8) as u16 | if rng.chance(20) { 0x8000 } else { 0 };
                v.extend_from_slice(&alen.to_ne_bytes());
                v.extend_from_slice(&ty.to_ne_bytes());
                v.extend((0..rng.below(12)).map(|_| rng.below(8) as u8));
            }
            v.truncate(len);
            v
        }
    }
}

/// Whether every `ld [random]` is followed at once by an instruction that
/// overwrites A (`ld #k` or `and #0`), as the generator writes it.
fn random_is_overwritten(prog: &Program) -> bool {
    let insns = prog.insns();
    insns.iter().enumerate().all(|(pc, i)| {
        let loads_random =
            i.class() == LD && i.code & 0xe0 == ABS && i.k == skf::AD_OFF + skf::AD_RANDOM;
        !loads_random
            || matches!(
                insns.get(pc + 1),
                Some(n) if n.code == LD | IMM || (n.code == ALU | AND | K && n.k == 0)
            )
    })
}

/// An AF_UNIX datagram socketpair; the filter goes on `rx`.
struct Pair {
    tx: OwnedFd,
    rx: OwnedFd,
}

impl Pair {
    fn new() -> io::Result<Pair> {
        let mut fds = [0; 2];
        // SAFETY: `fds` is a valid array of two ints for the kernel to fill.
        let rc = unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_DGRAM, 0, fds.as_mut_ptr()) };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: both descriptors were just created and are owned by nobody else.
        let (tx, rx) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        Ok(Pair { tx, rx })
    }

    /// Attaches `prog` to the receiver; the kernel's errno on refusal.
    fn attach(&self, prog: &Program) -> Result<(), i32> {
        let fprog = prog.sock_fprog();
        // SAFETY: `fprog` is a `struct sock_fprog` borrowing `prog`, alive across the call;
        // the length passed is its exact size.
        let rc = unsafe {
            libc::setsockopt(
                self.rx.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_ATTACH_FILTER,
                (&fprog as *const bpf::SockFprog<'_>).cast(),
                std::mem::size_of_val(&fprog) as libc::socklen_t,
            )
        };
        if rc == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error().raw_os_error().unwrap_or(0))
        }
    }

    /// Sends `data` and returns what arrived: `Some(len)` or `None` when dropped.
    fn exchange(&self, data: &[u8], buf: &mut [u8]) -> io::Result<Option<usize>> {
        // SAFETY: `data` is valid for `data.len()` bytes for the duration of the call.
        let sent = unsafe { libc::send(self.tx.as_raw_fd(), data.as_ptr().cast(), data.len(), 0) };
        if sent != data.len() as isize {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `buf` is valid and writable for `buf.len()` bytes.
        let got = unsafe {
            libc::recv(
                self.rx.as_raw_fd(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                libc::MSG_DONTWAIT,
            )
        };
        if got >= 0 {
            return Ok(Some(got as usize));
        }
        let err = io::Error::last_os_error();
        if err.kind() == io::ErrorKind::WouldBlock {
            Ok(None)
        } else {
            Err(err)
        }
    }
}

/// Pins the thread to the CPU it is on, so `ld [cpu]` is predictable.
fn pin_to_one_cpu() -> Option<u32> {
    // SAFETY: sched_getcpu takes no arguments.
    let cpu = unsafe { libc::sched_getcpu() };
    if cpu < 0 {
        return None;
    }
    // SAFETY: an all-zero cpu_set_t is a valid empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: `cpu` is a valid CPU index below CPU_SETSIZE; `set` is a valid set.
    unsafe { libc::CPU_SET(cpu as usize, &mut set) };
    // SAFETY: `set` is a valid cpu_set_t of the size passed; 0 is the calling thread.
    let rc = unsafe { libc::sched_setaffinity(0, std::mem::size_of_val(&set), &set) };
    (rc == 0).then_some(cpu as u32)
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

/// Programs per run unless `RAWCAP_DIFF_PROGRAMS` says otherwise.
const PROGRAMS: u64 = 25_000;
/// Random datagrams sent through each accepted program.
const DATAGRAMS_PER_PROGRAM: usize = 8;

#[test]
fn kernel_and_rawcap_agree() {
    let seed = env_u64("RAWCAP_SEED").unwrap_or_else(|| {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        t ^ u64::from(std::process::id())
    });
    let programs = env_u64("RAWCAP_DIFF_PROGRAMS").unwrap_or(PROGRAMS);
    println!("kernel_diff: seed {seed} (set RAWCAP_SEED={seed} to replay)");
    let mut rng = Rng(seed);
    let pinned = pin_to_one_cpu();
    let meta = vm::Meta {
        cpu: pinned.unwrap_or(0),
        ..vm::Meta::default()
    };
    let pair = Pair::new().expect("socketpair(AF_UNIX, SOCK_DGRAM)");
    let mut buf = vec![0u8; 4096];

    let (mut accepted, mut rejected, mut datagrams, mut delivered, mut dropped) = (0, 0, 0, 0, 0);
    let mut unpredictable = 0;
    let mut disagreements: Vec<String> = Vec::new();
    let mut rules: BTreeMap<String, u64> = BTreeMap::new();
    let mut errnos: BTreeMap<i32, u64> = BTreeMap::new();
    for _ in 0..programs {
        let mut prog = valid_ish(&mut rng);
        if rng.chance(30) {
            prog = mutate(&mut rng, prog);
        }
        let uses_cpu = prog
            .insns()
            .iter()
            .any(|i| i.class() == LD && i.code & 0xe0 == ABS && i.k == skf::AD_OFF + skf::AD_CPU);
        if uses_cpu && pinned.is_none() {
            continue;
        }
        let ours = bpf::validate(&prog);
        let kernel = pair.attach(&prog);
        match &ours {
            Ok(()) => *rules.entry("accepted".into()).or_default() += 1,
            Err(e) => {
                let name = format!("{:?}", e.rule);
                let name = name.split('(').next().unwrap_or_default().to_string();
                *rules.entry(name).or_default() += 1;
            }
        }
        if let Err(errno) = kernel {
            *errnos.entry(errno).or_default() += 1;
        }
        if ours.is_ok() != kernel.is_ok() || kernel.is_err_and(|e| e != libc::EINVAL) {
            disagreements.push(format!(
                "validate {ours:?} but kernel {kernel:?} for\n{}",
                if prog.len() > 300 {
                    format!("({} insns)\n", prog.len())
                } else {
                    prog.to_string()
                }
            ));
            continue;
        }
        if kernel.is_err() {
            rejected += 1;
            continue;
        }
        accepted += 1;
        if !random_is_overwritten(&prog) {
            // A mutation exposed `ld [random]` to the result: nothing to predict.
            unpredictable += 1;
            continue;
        }
        for _ in 0..DATAGRAMS_PER_PROGRAM {
            let data = datagram(&mut rng);
            datagrams += 1;
            let ret = vm::run(&prog, &data, data.len() as u32, &meta);
            let predicted = (ret != 0).then(|| (ret as usize).min(data.len()));
            let got = pair
                .exchange(&data, &mut buf)
                .expect("send/recv on the socketpair");
            match got {
                Some(_) => delivered += 1,
                None => dropped += 1,
            }
            if got != predicted {
                disagreements.push(format!(
                    "vm returned {ret} (predicts {predicted:?}) but kernel delivered {got:?} for datagram {} on\n{}",
                    hex(&data),
                    prog
                ));
            }
        }
    }
    let checked = accepted + rejected;
    println!(
        "kernel_diff: programs {checked}, accepted {accepted}, rejected {rejected}, datagrams {datagrams} \
         (delivered {delivered}, dropped {dropped}), accepted but unpredictable {unpredictable}, \
         disagreements {}",
        disagreements.len()
    );
    println!(
        "kernel_diff: validate verdicts {rules:?}; kernel errnos {errnos:?}; cpu pinned {pinned:?}"
    );
    for d in disagreements.iter().take(5) {
        println!("DISAGREEMENT: {d}");
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements (seed {seed})",
        disagreements.len()
    );
    if env_u64("RAWCAP_DIFF_PROGRAMS").is_none() {
        assert!(checked >= 20_000, "only {checked} programs checked");
    }
    // Every rule was exercised on both sides.
    for rule in [
        Rule::Empty,
        Rule::TooLong,
        Rule::UnknownCode(0),
        Rule::DivisionByZero,
        Rule::ShiftTooFar,
        Rule::ScratchIndex,
        Rule::JumpPastEnd,
        Rule::UnknownAncillary,
        Rule::LastNotReturn,
        Rule::UninitializedScratch,
    ] {
        let name = format!("{rule:?}");
        let name = name.split('(').next().unwrap_or_default();
        if checked >= 5_000 {
            assert!(rules.contains_key(name), "rule {name} never exercised");
        }
    }
}

/// A random Ethernet frame around the fields `tcp port 80` looks at.
fn ethernet_frame(rng: &mut Rng) -> Vec<u8> {
    let mut f = vec![0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2];
    let ethertype = rng.pick(&[0x0800u16, 0x0800, 0x86dd, 0x86dd, 0x0806, 0x8100]);
    f.extend_from_slice(&ethertype.to_be_bytes());
    let proto = rng.pick(&[6u8, 6, 6, 17, 0, 58]);
    if ethertype == 0x86dd {
        let mut h = vec![0u8; 40];
        h[0] = 0x60;
        h[6] = proto;
        f.extend(h);
    } else {
        let ihl = rng.pick(&[5u8, 5, 5, 6, 8, 15, 4, 0]);
        let mut h = vec![0u8; usize::from(ihl.max(5)) * 4];
        h[0] = 0x40 | ihl;
        let any = rng.u32() as u16;
        let frag = rng.pick(&[0u16, 0, 0x4000, 0x2000, 0x2000 | 185, 1, any]);
        h[6..8].copy_from_slice(&frag.to_be_bytes());
        h[9] = proto;
        f.extend(h);
    }
    for _ in 0..2 {
        let any = rng.u32() as u16;
        let port = rng.pick(&[80u16, 80, 8080, 443, any]);
        f.extend_from_slice(&port.to_be_bytes());
    }
    f.extend((0..rng.below(30)).map(|_| rng.next_u64() as u8));
    if rng.chance(25) {
        f.truncate(rng.below(f.len() + 1));
    }
    f
}

#[test]
fn tcp_port_80_agrees_with_the_kernel_on_ethernet_frames() {
    let seed = env_u64("RAWCAP_SEED").unwrap_or(0x7c9_0080);
    println!("tcp_port_80 vs kernel: seed {seed}");
    let mut rng = Rng(seed);
    let pair = Pair::new().expect("socketpair(AF_UNIX, SOCK_DGRAM)");
    let prog = bpf::programs::tcp_port_80();
    pair.attach(&prog).expect("the kernel accepts tcp_port_80");
    let mut buf = vec![0u8; 4096];
    let (mut accepted, mut frames) = (0, 0);
    for _ in 0..3_000 {
        let data = ethernet_frame(&mut rng);
        let ret = vm::run(&prog, &data, data.len() as u32, &vm::Meta::default());
        let got = pair
            .exchange(&data, &mut buf)
            .expect("send/recv on the socketpair");
        let predicted = (ret != 0).then(|| (ret as usize).min(data.len()));
        assert_eq!(got, predicted, "frame {} (seed {seed})", hex(&data));
        frames += 1;
        accepted += u32::from(got.is_some());
    }
    println!("tcp_port_80 vs kernel: {frames} frames, {accepted} accepted, 0 disagreements");
    assert!(
        accepted > 100 && accepted < frames - 100,
        "frames not varied enough"
    );
}

/// Hand-picked programs on the edges of the kernel's rules; `validate` must
/// agree with the kernel on each, and the VM on a few datagrams.
#[test]
fn edge_programs_agree_with_the_kernel() {
    let ret0 = Insn::stmt(RET | K, 0);
    let ret_a = Insn::stmt(RET | A, 0);
    let ld_m = |k| Insn::stmt(LD | MEM, k);
    let heavy = |n: usize| vec![Insn::stmt(LD | H | ABS, 0); n];
    let mut cases: Vec<(String, Vec<Insn>)> = vec![
        (
            "ja over an unreachable uninitialised read".into(),
            vec![Insn::stmt(JMP | JA, 1), ld_m(3), ret0],
        ),
        (
            "jump into an uninitialised read".into(),
            vec![Insn::jump(JMP | JEQ | K, 0, 1, 1), ret0, ld_m(3), ret0],
        ),
        (
            "ldxb at an ancillary offset".into(),
            vec![Insn::stmt(LDX | B | MSH, skf::AD_OFF), ret_a],
        ),
        (
            "ldxb network-relative".into(),
            vec![
                Insn::stmt(LDX | B | MSH, skf::NET_OFF + 1),
                Insn::stmt(MISC | TXA, 0),
                Insn::stmt(ALU | ADD | K, 1),
                ret_a,
            ],
        ),
        (
            "indexed load at u32::MAX".into(),
            vec![Insn::stmt(LD | B | IND, u32::MAX), ret_a],
        ),
        (
            "ld [AD_OFF - 1]".into(),
            vec![Insn::stmt(LD | B | ABS, skf::AD_OFF - 1), ret_a],
        ),
        (
            "ldx #len (libpcap prints unimp)".into(),
            vec![
                Insn::stmt(LDX | W | LEN, 0),
                Insn::stmt(MISC | TXA, 0),
                ret_a,
            ],
        ),
        (
            "ret #0xffffffff".into(),
            vec![Insn::stmt(RET | K, u32::MAX)],
        ),
        (
            "tax with k set".into(),
            vec![
                Insn {
                    code: MISC | TAX,
                    jt: 3,
                    jf: 4,
                    k: 99,
                },
                Insn::stmt(RET | K, 1),
            ],
        ),
        (
            "shift by X = 32".into(),
            vec![
                Insn::stmt(LD | IMM, 3),
                Insn::stmt(LDX | IMM, 32),
                Insn::stmt(ALU | LSH | X, 0),
                ret_a,
            ],
        ),
        (
            "shift by X = 33".into(),
            vec![
                Insn::stmt(LD | IMM, 3),
                Insn::stmt(LDX | IMM, 33),
                Insn::stmt(ALU | RSH | X, 0),
                Insn::stmt(ALU | ADD | K, 1),
                ret_a,
            ],
        ),
        (
            "hatype without a device".into(),
            vec![
                Insn::stmt(LD | IMM, 9),
                Insn::stmt(LD | B | ABS, skf::AD_OFF + skf::AD_HATYPE),
                Insn::stmt(RET | K, 1),
            ],
        ),
        (
            "poff on AF_UNIX".into(),
            vec![
                Insn::stmt(LD | W | ABS, skf::AD_OFF + skf::AD_PAY_OFFSET),
                Insn::stmt(ALU | ADD | K, 1),
                ret_a,
            ],
        ),
    ];
    // Each `ldh [0]` converts to 13 eBPF instructions after a 7-instruction prologue:
    // the kernel's limits fall exactly between 2520 and 2521 of them.
    for n in [2520usize, 2521, 4093] {
        let mut ja = vec![Insn::stmt(JMP | JA, n as u32)];
        ja.extend(heavy(n));
        ja.push(Insn::stmt(RET | K, 1));
        cases.push((format!("ja over {n} ldh"), ja));
        let mut late = heavy(n);
        late.push(Insn::jump(JMP | JEQ | K, 0, 0, 0));
        late.push(ret0);
        cases.push((format!("jeq after {n} ldh"), late));
    }
    let mut max_len = vec![Insn::stmt(LD | IMM, 1); 4095];
    max_len.push(ret_a);
    cases.push(("4096 instructions".into(), max_len));
    let optmem_max: usize = std::fs::read_to_string("/proc/sys/net/core/optmem_max")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(131_072);
    let mut buf = vec![0u8; 4096];
    let mut failures = Vec::new();
    for (label, insns) in cases {
        // A fresh socket: nothing else is charged against its optmem_max.
        let pair = Pair::new().expect("socketpair(AF_UNIX, SOCK_DGRAM)");
        let prog = Program::new(insns);
        let ours = bpf::validate(&prog);
        let kernel = pair.attach(&prog);
        let charge = bpf::validate::converted_len(&prog) * 8;
        println!("{label}: validate {ours:?}, kernel {kernel:?}, converted charge ~{charge} bytes");
        if ours.is_ok() && kernel == Err(libc::ENOMEM) {
            // A resource refusal, not a rule: the model must say it is too big.
            if charge < optmem_max - 256 {
                failures.push(format!(
                    "{label}: ENOMEM although ~{charge} < optmem_max {optmem_max}"
                ));
            }
            continue;
        }
        if ours.is_ok() && charge > optmem_max {
            failures.push(format!(
                "{label}: accepted although ~{charge} > optmem_max {optmem_max}"
            ));
        }
        if ours.is_ok() != kernel.is_ok() {
            failures.push(format!("{label}: validate {ours:?}, kernel {kernel:?}"));
            continue;
        }
        if kernel.is_err() {
            continue;
        }
        for len in [0usize, 1, 5, 40] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let ret = vm::run(&prog, &data, len as u32, &vm::Meta::default());
            let predicted = (ret != 0).then(|| (ret as usize).min(len));
            let got = pair.exchange(&data, &mut buf).expect("send/recv");
            if got != predicted {
                failures.push(format!("{label}: len {len}: vm {ret} but kernel {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Ethernet, IPv6, then `n` extension headers cycling through hop-by-hop
/// (first only), routing, fragment and destination options, then TCP.
fn ip6_chain(n: usize) -> Vec<u8> {
    let kinds: Vec<u8> = (0..n)
        .map(|i| if i == 0 { 0 } else { [43, 44, 60][i % 3] })
        .collect();
    let mut f = vec![
        2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x86, 0xdd, 0x60, 0, 0, 0,
    ];
    f.extend_from_slice(&((8 * n + 20) as u16).to_be_bytes());
    f.push(kinds.first().copied().unwrap_or(6));
    f.push(64);
    f.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8].repeat(8));
    for i in 0..n {
        let next = kinds.get(i + 1).copied().unwrap_or(6);
        f.extend_from_slice(&[next, 0, 0, 0, 0, 0, 0, 0]);
    }
    f.extend_from_slice(&[
        0x30, 0x39, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff,
    ]);
    f.extend_from_slice(&[0; 4]);
    f
}

/// Whether the filter on `pair` lets `data` through.
fn passes(pair: &Pair, data: &[u8]) -> bool {
    let mut buf = [0u8; 2048];
    pair.exchange(data, &mut buf).expect("send/recv").is_some()
}

/// `protochain` programs (a walk of the extension-header chain unrolled
/// `PROTOCHAIN_MAX_HEADERS` times) all validate, the kernel attaches them,
/// and it agrees with the VM on the corpus's chains and on chains around the
/// bound: `PROTOCHAIN_MAX_HEADERS` headers then TCP pass, one more does not.
#[test]
fn protochain_programs_attach_and_the_kernel_agrees() {
    let mut frames: Vec<Vec<u8>> = (0..=N + 1).map(ip6_chain).collect();
    frames.extend(
        rawcap_corpus::frames()
            .into_iter()
            .filter(|f| f.label.contains("ext") || f.label.contains(" ah "))
            .map(|f| f.data),
    );
    let exprs = [
        "ip6 protochain 6",
        "ip protochain 6",
        "protochain 6",
        "not protochain 17",
        "ip6 protochain 44 and tcp port 80",
        "protochain 6 or protochain 17 or ip6 protochain 58",
    ];
    let (mut checked, mut passed) = (0, 0);
    for e in exprs {
        for optimize in [true, false] {
            let opts = Options {
                optimize,
                ..Options::default()
            };
            let prog = compile(e, &opts).expect("compiles");
            bpf::validate(&prog).unwrap_or_else(|err| panic!("{e}: {err}"));
            let pair = Pair::new().expect("socketpair");
            pair.attach(&prog).unwrap_or_else(|errno| {
                panic!("{e} ({} insns): kernel refuses: errno {errno}", prog.len())
            });
            for f in &frames {
                let ours = vm::run(&prog, f, f.len() as u32, &vm::Meta::default()) != 0;
                let kernel = passes(&pair, f);
                assert_eq!(kernel, ours, "{e} (optimize {optimize}) on {f:02x?}");
                checked += 1;
                passed += usize::from(kernel);
            }
        }
    }
    // The bound itself: N headers then TCP pass, N + 1 do not.
    let prog = compile("ip6 protochain 6", &Options::default()).expect("compiles");
    let pair = Pair::new().expect("socketpair");
    pair.attach(&prog).expect("attaches");
    assert!(passes(&pair, &ip6_chain(N)));
    assert!(!passes(&pair, &ip6_chain(N + 1)));
    println!(
        "protochain: {} expressions x 2 modes attached, {checked} frames checked against the kernel, {passed} passed",
        exprs.len()
    );
    assert!(
        passed > 20 && passed < checked - 20,
        "frames not varied enough"
    );
}
