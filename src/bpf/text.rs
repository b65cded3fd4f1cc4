//! Text forms of a [`Program`], out and in, exactly as tcpdump prints them.
//!
//! Out: `Display` is `tcpdump -d` (libpcap's `bpf_image`, one line per
//! instruction, `%-8s %-16s` padding, tab before `jf`, Linux ancillary offsets
//! by name), [`Program::to_c_array`] is `-dd` and [`Program::to_decimal`] is
//! `-ddd` (libpcap's `bpf_dump`). In: [`FromStr`] reads `-d` text and
//! [`Program::parse_decimal`] reads `-ddd` text.
//!
//! Invariant: parsing what `Display`/`to_decimal` print gives back the same
//! program (for `-d`, up to fields libpcap does not print, such as the `k` of
//! `tax`). The output is checked byte for byte against libpcap's own
//! `bpf_dump` in `tests/data/bpf_text_all.*` (scripts/gen-bpf-text-fixtures.sh).

use super::insn::{code, decode, skf, AluOp, Cond, Insn, Op, Size, Src};
use super::program::Program;
use super::validate::is_known_ancillary;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::{self, Write as _};
use core::str::FromStr;

/// libpcap's names for the Linux ancillary offsets (`SKF_AD_OFF + n`), by `n / 4`.
const ANCILLARY_NAMES: [&str; 16] = [
    "proto",
    "type",
    "ifidx",
    "nla",
    "nlan",
    "mark",
    "queue",
    "hatype",
    "rxhash",
    "cpu",
    "xor_x",
    "vlan_tci",
    "vlanp",
    "poff",
    "random",
    "vlan_tpid",
];

/// The name libpcap prints for an absolute load from `k`, if it has one.
fn ancillary_name(k: u32) -> Option<&'static str> {
    if is_known_ancillary(k) {
        ANCILLARY_NAMES
            .get((k.wrapping_sub(skf::AD_OFF) / 4) as usize)
            .copied()
    } else {
        None
    }
}

/// One line of `tcpdump -d`: instruction `insn` at index `pc`.
pub struct Line<'a> {
    /// The instruction.
    pub insn: &'a Insn,
    /// Its index in the program (jump targets are printed absolute).
    pub pc: usize,
}

impl fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({:03}) ", self.pc as u32 as i32)?;
        self.write_body(f)
    }
}

impl Line<'_> {
    /// The line without its `(nnn) ` column and trailing blanks (for
    /// traces and graphs that number instructions their own way).
    pub fn body(&self) -> String {
        let mut s = String::new();
        let _ = self.write_body(&mut s);
        s.truncate(s.trim_end().len());
        s
    }

    fn write_body(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        let n = self.pc as u32;
        let k = self.insn.k;
        let signed = k as i32;
        let (op, operand): (&str, String) = match decode(*self.insn) {
            Ok(Op::RetK(_)) => ("ret", format!("#{signed}")),
            Ok(Op::RetA) => ("ret", String::new()),
            Ok(Op::LdAbs(size, _)) => (
                load_mnemonic(size),
                match ancillary_name(k) {
                    Some(name) => format!("[{name}]"),
                    None => format!("[{signed}]"),
                },
            ),
            Ok(Op::LdInd(size, _)) => (load_mnemonic(size), format!("[x + {signed}]")),
            Ok(Op::LdLen) => ("ld", "#pktlen".to_string()),
            Ok(Op::LdImm(_)) => ("ld", format!("#0x{k:x}")),
            Ok(Op::LdxImm(_)) => ("ldx", format!("#0x{k:x}")),
            Ok(Op::LdxMsh(_)) => ("ldxb", format!("4*([{signed}]&0xf)")),
            Ok(Op::LdMem(_)) => ("ld", format!("M[{signed}]")),
            Ok(Op::LdxMem(_)) => ("ldx", format!("M[{signed}]")),
            Ok(Op::St(_)) => ("st", format!("M[{signed}]")),
            Ok(Op::Stx(_)) => ("stx", format!("M[{signed}]")),
            Ok(Op::Ja(_)) => (
                "ja",
                format!("{}", n.wrapping_add(1).wrapping_add(k) as i32),
            ),
            Ok(Op::Jmp { cond, src, .. }) => (
                cond.mnemonic(),
                match src {
                    Src::K(_) => format!("#0x{k:x}"),
                    Src::X => "x".to_string(),
                },
            ),
            Ok(Op::Alu(alu, src)) => (
                alu.mnemonic(),
                match (src, alu) {
                    (Src::X, _) => "x".to_string(),
                    (Src::K(_), AluOp::And | AluOp::Or | AluOp::Xor) => format!("#0x{k:x}"),
                    (Src::K(_), _) => format!("#{signed}"),
                },
            ),
            Ok(Op::Neg) => ("neg", String::new()),
            Ok(Op::Tax) => ("tax", String::new()),
            Ok(Op::Txa) => ("txa", String::new()),
            // libpcap has no case for `ldx #len` and prints it as unknown.
            Ok(Op::LdxLen) | Err(_) => ("unimp", format!("0x{:x}", self.insn.code)),
        };
        let is_cond_jump = self.insn.class() == code::JMP && self.insn.code & 0xf0 != code::JA;
        if is_cond_jump {
            write!(
                f,
                "{:<8} {:<16} jt {}\tjf {}",
                op,
                operand,
                n.wrapping_add(1).wrapping_add(u32::from(self.insn.jt)) as i32,
                n.wrapping_add(1).wrapping_add(u32::from(self.insn.jf)) as i32,
            )
        } else {
            write!(f, "{:<8} {}", op, operand)
        }
    }
}

fn load_mnemonic(size: Size) -> &'static str {
    match size {
        Size::Word => "ld",
        Size::Half => "ldh",
        Size::Byte => "ldb",
    }
}

/// Prints the program as `tcpdump -d` does: one line per instruction, each ending in `\n`.
impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (pc, insn) in self.insns().iter().enumerate() {
            writeln!(f, "{}", Line { insn, pc })?;
        }
        Ok(())
    }
}

impl Program {
    /// The program as a C array body, exactly as `tcpdump -dd` prints it.
    pub fn to_c_array(&self) -> String {
        let mut out = String::new();
        for i in self.insns() {
            // Writing to a String cannot fail.
            let _ = writeln!(
                out,
                "{{ 0x{:x}, {}, {}, 0x{:08x} }},",
                i.code, i.jt, i.jf, i.k
            );
        }
        out
    }

    /// The program in decimal, exactly as `tcpdump -ddd` prints it: the
    /// instruction count, then `code jt jf k` per line.
    pub fn to_decimal(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.len());
        for i in self.insns() {
            let _ = writeln!(out, "{} {} {} {}", i.code, i.jt, i.jf, i.k);
        }
        out
    }

    /// Parses `tcpdump -ddd` text: a count line, then `code jt jf k` per instruction.
    ///
    /// Blank lines and surrounding whitespace are ignored.
    ///
    /// # Errors
    ///
    /// [`TextError`] naming the line when a field is missing, out of range or
    /// not a number, or when the count disagrees with the instructions.
    pub fn parse_decimal(text: &str) -> Result<Program, TextError> {
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty());
        let (count_line, count_text) = lines.next().ok_or(TextError {
            line: 1,
            kind: TextErrorKind::Empty,
        })?;
        let count: usize = count_text
            .parse()
            .map_err(|_| TextError::at(count_line, TextErrorKind::BadNumber))?;
        let mut insns = Vec::with_capacity(count.min(crate::bpf::MAX_INSNS));
        for (line, text) in lines {
            let err = |kind| TextError::at(line, kind);
            let fields: Vec<&str> = text.split_whitespace().collect();
            let [code, jt, jf, k] = fields[..] else {
                return Err(err(TextErrorKind::FieldCount));
            };
            let num = |s: &str| s.parse::<u32>().map_err(|_| err(TextErrorKind::BadNumber));
            let narrow = |v: u32, max: u32| {
                if v <= max {
                    Ok(v)
                } else {
                    Err(err(TextErrorKind::OutOfRange))
                }
            };
            insns.push(Insn {
                code: narrow(num(code)?, u16::MAX.into())? as u16,
                jt: narrow(num(jt)?, u8::MAX.into())? as u8,
                jf: narrow(num(jf)?, u8::MAX.into())? as u8,
                k: num(k)?,
            });
        }
        if insns.len() != count {
            return Err(TextError::at(
                count_line,
                TextErrorKind::CountMismatch {
                    declared: count,
                    found: insns.len(),
                },
            ));
        }
        Ok(Program::new(insns))
    }
}

/// Why a line of program text could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextErrorKind {
    /// The text holds no program.
    #[error("no program text")]
    Empty,
    /// A number could not be read.
    #[error("not a number")]
    BadNumber,
    /// A number does not fit its field.
    #[error("number out of range")]
    OutOfRange,
    /// A `-ddd` line does not have exactly four fields.
    #[error("expected `code jt jf k`")]
    FieldCount,
    /// The `-ddd` count line disagrees with the instructions that follow.
    #[error("count says {declared} instructions, found {found}")]
    CountMismatch {
        /// The count on the first line.
        declared: usize,
        /// The instructions actually present.
        found: usize,
    },
    /// A `-d` line does not start with its index `(NNN)` in sequence.
    #[error("expected line index ({0:03})")]
    BadIndex(usize),
    /// A `-d` mnemonic tcpdump does not print.
    #[error("unknown mnemonic `{0}`")]
    UnknownMnemonic(String),
    /// A `-d` operand that does not fit the mnemonic.
    #[error("bad operand `{0}`")]
    BadOperand(String),
    /// A `-d` jump target that is behind the jump or more than 255 ahead.
    #[error("jump target {0} unreachable from this line")]
    JumpTarget(i64),
}

/// A program text error: the 1-based line and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct TextError {
    /// 1-based line number in the input.
    pub line: usize,
    /// What is wrong.
    pub kind: TextErrorKind,
}

impl TextError {
    fn at(line: usize, kind: TextErrorKind) -> Self {
        TextError { line, kind }
    }
}

/// Parses `tcpdump -d` text back into a program.
///
/// Lines must carry their indices in order, `(000)` first. Fields libpcap does
/// not print (the `k` of `tax`, `neg`, `ret a`, `ld #pktlen`, the `k` of an
/// `unimp 0x..` code, `jt`/`jf` outside the jump class) come back as zero.
impl FromStr for Program {
    type Err = TextError;

    fn from_str(text: &str) -> Result<Program, TextError> {
        let mut insns = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            let pc = insns.len();
            let insn = parse_line(line, pc).map_err(|kind| TextError::at(i + 1, kind))?;
            insns.push(insn);
        }
        if insns.is_empty() {
            return Err(TextError::at(1, TextErrorKind::Empty));
        }
        Ok(Program::new(insns))
    }
}

fn parse_line(line: &str, pc: usize) -> Result<Insn, TextErrorKind> {
    let rest = line
        .strip_prefix('(')
        .and_then(|l| l.split_once(')'))
        .filter(|(idx, _)| idx.parse::<usize>().ok() == Some(pc))
        .map(|(_, rest)| rest)
        .ok_or(TextErrorKind::BadIndex(pc))?;
    let mut words: Vec<&str> = rest.split_whitespace().collect();
    if words.is_empty() {
        return Err(TextErrorKind::UnknownMnemonic(String::new()));
    }
    let mnemonic = words.remove(0);
    // Conditional jumps end in `jt N jf M` (absolute targets).
    let mut targets = None;
    if words.len() >= 4 && words[words.len() - 4] == "jt" && words[words.len() - 2] == "jf" {
        let jt = parse_target(words[words.len() - 3], pc)?;
        let jf = parse_target(words[words.len() - 1], pc)?;
        targets = Some((jt, jf));
        words.truncate(words.len() - 4);
    }
    let operand = words.join(" ");
    let bad = || TextErrorKind::BadOperand(operand.clone());
    let op = match mnemonic {
        "ret" if operand.is_empty() => Op::RetA,
        "ret" => Op::RetK(imm(&operand).ok_or_else(bad)?),
        "ld" | "ldh" | "ldb" => {
            let size = match mnemonic {
                "ld" => Size::Word,
                "ldh" => Size::Half,
                _ => Size::Byte,
            };
            if let Some(inner) = bracketed(&operand, "[x + ", "]") {
                Op::LdInd(size, signed(inner).ok_or_else(bad)?)
            } else if let Some(inner) = bracketed(&operand, "[", "]") {
                Op::LdAbs(size, abs_offset(inner).ok_or_else(bad)?)
            } else if size != Size::Word {
                return Err(bad());
            } else if operand == "#pktlen" {
                Op::LdLen
            } else if let Some(inner) = bracketed(&operand, "M[", "]") {
                Op::LdMem(signed(inner).ok_or_else(bad)?)
            } else {
                Op::LdImm(imm(&operand).ok_or_else(bad)?)
            }
        }
        "ldx" => match bracketed(&operand, "M[", "]") {
            Some(inner) => Op::LdxMem(signed(inner).ok_or_else(bad)?),
            None => Op::LdxImm(imm(&operand).ok_or_else(bad)?),
        },
        "ldxb" => Op::LdxMsh(
            bracketed(&operand, "4*([", "]&0xf)")
                .and_then(signed)
                .ok_or_else(bad)?,
        ),
        "st" | "stx" => {
            let k = bracketed(&operand, "M[", "]")
                .and_then(signed)
                .ok_or_else(bad)?;
            if mnemonic == "st" {
                Op::St(k)
            } else {
                Op::Stx(k)
            }
        }
        "ja" => {
            let target: i64 = operand.parse().map_err(|_| bad())?;
            Op::Ja((target - pc as i64 - 1) as u32)
        }
        "neg" | "tax" | "txa" if operand.is_empty() => match mnemonic {
            "neg" => Op::Neg,
            "tax" => Op::Tax,
            _ => Op::Txa,
        },
        "unimp" => {
            let c = operand
                .strip_prefix("0x")
                .and_then(|h| u16::from_str_radix(h, 16).ok())
                .ok_or_else(bad)?;
            // libpcap prints targets for any code of the jump class.
            let (jt, jf) = targets.unwrap_or((0, 0));
            return Ok(Insn::jump(c, 0, jt, jf));
        }
        m => {
            let src = if operand == "x" {
                Src::X
            } else {
                Src::K(imm(&operand).ok_or_else(bad)?)
            };
            if let Some(&cond) = Cond::ALL.iter().find(|c| c.mnemonic() == m) {
                let (jt, jf) = targets.ok_or_else(bad)?;
                Op::Jmp { cond, src, jt, jf }
            } else if let Some(&alu) = AluOp::ALL.iter().find(|a| a.mnemonic() == m) {
                Op::Alu(alu, src)
            } else {
                return Err(TextErrorKind::UnknownMnemonic(m.to_string()));
            }
        }
    };
    if targets.is_some() && !matches!(op, Op::Jmp { .. }) {
        return Err(bad());
    }
    Ok(super::insn::encode(op))
}

fn parse_target(word: &str, pc: usize) -> Result<u8, TextErrorKind> {
    let target: i64 = word
        .parse()
        .map_err(|_| TextErrorKind::BadOperand(word.to_string()))?;
    u8::try_from(target - pc as i64 - 1).map_err(|_| TextErrorKind::JumpTarget(target))
}

fn bracketed<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    s.strip_prefix(open)?.strip_suffix(close)
}

/// A `%d` field: signed or unsigned 32-bit decimal, kept as the kernel's `u32`.
fn signed(s: &str) -> Option<u32> {
    let v: i64 = s.parse().ok()?;
    if (i64::from(i32::MIN)..=i64::from(u32::MAX)).contains(&v) {
        Some(v as u32)
    } else {
        None
    }
}

/// An immediate: `#0x..` hex or `#..` decimal.
fn imm(s: &str) -> Option<u32> {
    let s = s.strip_prefix('#')?;
    match s.strip_prefix("0x") {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => signed(s),
    }
}

/// An absolute-load offset: a number or one of libpcap's ancillary names.
fn abs_offset(s: &str) -> Option<u32> {
    match ANCILLARY_NAMES.iter().position(|&n| n == s) {
        Some(i) => Some(skf::AD_OFF + 4 * i as u32),
        None => signed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use crate::bpf::RandomInsn as _;

    const ALL_DDD: &str = include_str!("../../tests/data/bpf_text_all.ddd");
    const ALL_D: &str = include_str!("../../tests/data/bpf_text_all.d.txt");
    const ALL_DD: &str = include_str!("../../tests/data/bpf_text_all.dd.txt");
    const ALL_DDD_OUT: &str = include_str!("../../tests/data/bpf_text_all.ddd.txt");

    fn all() -> Program {
        Program::parse_decimal(ALL_DDD).unwrap()
    }

    /// Compares line by line so a failure names the first differing line.
    fn assert_same_text(ours: &str, libpcap: &str) {
        for (i, (a, b)) in ours.lines().zip(libpcap.lines()).enumerate() {
            assert_eq!(a, b, "line {}", i + 1);
        }
        assert_eq!(ours, libpcap);
    }

    #[test]
    fn display_is_libpcap_bpf_dump_1() {
        assert_same_text(&all().to_string(), ALL_D);
    }

    #[test]
    fn c_array_is_libpcap_bpf_dump_2() {
        assert_same_text(&all().to_c_array(), ALL_DD);
    }

    #[test]
    fn decimal_is_libpcap_bpf_dump_3() {
        assert_same_text(&all().to_decimal(), ALL_DDD_OUT);
    }

    #[test]
    fn decimal_round_trip() {
        let p = all();
        assert_eq!(Program::parse_decimal(&p.to_decimal()).unwrap(), p);
    }

    /// `-d` text loses the fields libpcap does not print; everything else comes back.
    #[test]
    fn d_text_round_trip() {
        let p = all();
        let parsed: Program = ALL_D.parse().unwrap();
        assert_eq!(parsed.len(), p.len());
        for (pc, (a, b)) in parsed.insns().iter().zip(p.insns()).enumerate() {
            match decode(*b) {
                Ok(Op::LdxLen) | Err(_) => assert_eq!(a.code, b.code, "pc {pc}"),
                Ok(op) => assert_eq!(decode(*a).unwrap(), op, "pc {pc}"),
            }
        }
        // Printing the parsed program gives the same text again.
        assert_eq!(parsed.to_string(), ALL_D);
    }

    #[test]
    fn tcp_port_80_fixture_parses_both_ways() {
        let d: Program = include_str!("../../tests/data/tcp_port_80.d.txt")
            .parse()
            .unwrap();
        let ddd =
            Program::parse_decimal(include_str!("../../tests/data/tcp_port_80.ddd.txt")).unwrap();
        assert_eq!(d, ddd);
        assert_eq!(d.len(), 20);
    }

    #[test]
    fn decimal_errors_name_the_line() {
        let e = Program::parse_decimal("2\n6 0 0 1\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(matches!(
            e.kind,
            TextErrorKind::CountMismatch {
                declared: 2,
                found: 1
            }
        ));
        let e = Program::parse_decimal("1\n6 0 256 1\n").unwrap_err();
        assert_eq!((e.line, e.kind), (2, TextErrorKind::OutOfRange));
        let e = Program::parse_decimal("1\n6 0 0\n").unwrap_err();
        assert_eq!((e.line, e.kind), (2, TextErrorKind::FieldCount));
        let e = Program::parse_decimal("x\n").unwrap_err();
        assert_eq!((e.line, e.kind), (1, TextErrorKind::BadNumber));
        assert_eq!(
            Program::parse_decimal("").unwrap_err().kind,
            TextErrorKind::Empty
        );
    }

    #[test]
    fn d_text_errors_name_the_line() {
        let e = "(000) ret      #0\n(002) ret      #0\n"
            .parse::<Program>()
            .unwrap_err();
        assert_eq!((e.line, e.kind), (2, TextErrorKind::BadIndex(1)));
        let e = "(000) jmp      #0x1".parse::<Program>().unwrap_err();
        assert_eq!(e.kind, TextErrorKind::UnknownMnemonic("jmp".into()));
        let e = "(000) ldh      #0x1".parse::<Program>().unwrap_err();
        assert_eq!(e.kind, TextErrorKind::BadOperand("#0x1".into()));
        let e = "(005) jeq      #0x1             jt 3\tjf 9"
            .parse::<Program>()
            .unwrap_err();
        assert_eq!(e.kind, TextErrorKind::BadIndex(0));
        let e = "(000) jeq      #0x1             jt 300\tjf 9"
            .parse::<Program>()
            .unwrap_err();
        assert_eq!(e.kind, TextErrorKind::JumpTarget(300));
        let e = "(000) jeq      #0x1".parse::<Program>().unwrap_err();
        assert_eq!(e.kind, TextErrorKind::BadOperand("#0x1".into()));
    }

    #[test]
    fn random_programs_round_trip() {
        let seed = 0x5eed_0002;
        let mut rng = crate::bpf::TestRng(seed);
        for _ in 0..5_000 {
            let n = 1 + (rng.next() % 10) as usize;
            let p = Program::new((0..n).map(|_| rng.insn()).collect());
            assert_eq!(
                Program::parse_decimal(&p.to_decimal()).unwrap(),
                p,
                "seed {seed}"
            );
            let text = p.to_string();
            let back: Program = text.parse().unwrap_or_else(|e| panic!("{e} in\n{text}"));
            assert_eq!(back.to_string(), text, "seed {seed}");
            for (a, b) in back.insns().iter().zip(p.insns()) {
                if let Ok(op) = decode(*b) {
                    if op != Op::LdxLen {
                        assert_eq!(decode(*a), Ok(op), "seed {seed}");
                    }
                }
            }
        }
    }
}
