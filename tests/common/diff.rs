//! The comparison rules shared by the differential tests (filter_diff, filter_random):
//! compile with rawcap like `tcpdump -y LINK [-O] -d` does, run over the
//! corpus, and compare with libpcap's verdicts.

use crate::common::{cut_short, samples, verdicts};
use rawcap::bpf::{self, Program};
use rawcap::filter::{self, CompileError, CompileErrorKind, Field, Options, Target};
use rawcap::LinkType;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The options `tcpdump -y LINK [-O] -d` compiles with (no netmask known:
/// tcpdump passes 0, which rawcap takes as unknown, as newer libpcap does).
pub fn options(link: LinkType, optimize: bool, linux_ext: bool) -> Options {
    Options {
        linktype: link,
        netmask: None,
        linux_ext,
        optimize,
        ..Options::default()
    }
}

/// What a guarded compile gave: `Ok(Ok(program))`, `Ok(Err(refusal))`, or `Err(panic message)`.
pub type Compiled = Result<Result<Program, CompileError>, String>;

/// Whether rawcap refuses this as invalid input that libpcap 1.10.3 still
/// accepts and newer releases refuse (docs/filter.md): DECnet addresses
/// out of range, protocol values wider than their field, `ip broadcast`
/// with no netmask.
pub fn newer_refusal(kind: &CompileErrorKind) -> bool {
    match kind {
        CompileErrorKind::NoNetmask => true,
        CompileErrorKind::BadAddress { kind, .. } => *kind == filter::AddressKind::Decnet,
        CompileErrorKind::TooLarge { field, .. } => matches!(
            field,
            Field::IsoProto | Field::IsisPduType | Field::LinkProto
        ),
        _ => false,
    }
}

/// `compile`, with a panic turned into an error text (a panic is a bug to report, not a crash).
pub fn compile(expr: &str, opts: &Options) -> Compiled {
    let r = catch_unwind(AssertUnwindSafe(|| filter::compile(expr, opts)));
    match r {
        Ok(r) => Ok(r),
        Err(p) => Err(p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default()),
    }
}

/// How many failures a report lists (`RAWCAP_SHOW_FAILURES` overrides).
fn failures_shown() -> usize {
    std::env::var("RAWCAP_SHOW_FAILURES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60)
}

/// The mode's name in messages.
pub fn mode(optimize: bool) -> &'static str {
    if optimize {
        "optimized"
    } else {
        "-O"
    }
}

/// Counts and first examples of a differential run.
#[derive(Default)]
pub struct Tally {
    pub compiles: usize,
    pub comparisons: usize,
    pub excused: usize,
    pub mismatches: usize,
    pub mismatched_exprs: Vec<String>,
    pub examples: Vec<String>,
    pub failures: Vec<String>,
    pub refused_like_optimizer: usize,
    pub refused: usize,
    pub refused_as_newer: usize,
}

/// libpcap's answer for one expression: its programs and their verdicts on the corpus.
pub struct Libpcap<'a> {
    /// The optimized program and its verdicts, or the optimizer's refusal message.
    pub optimized: Result<(&'a Program, &'a [u32]), &'a str>,
    /// The unoptimized (`-O`) program and its verdicts.
    pub unoptimized: (&'a Program, &'a [u32]),
}

impl Tally {
    /// Compiles `expr` with rawcap in both modes and compares each with libpcap's
    /// program of the same mode (see [`Tally::compare`] for the rule).
    /// `newer`: whether rawcap must refuse it as newer libpcap releases do
    /// (`Some(true)`, the fixtures' `@newer`), must not (`Some(false)`), or
    /// may (`None`, random expressions).
    pub fn judge(
        &mut self,
        expr: &str,
        link: LinkType,
        linux_ext: bool,
        newer: Option<bool>,
        libpcap: &Libpcap<'_>,
    ) {
        for optimize in [true, false] {
            let what = format!("{expr:?} [{link} {}]", mode(optimize));
            let prog = match compile(expr, &options(link, optimize, linux_ext)) {
                Err(panic) => {
                    self.failures
                        .push(format!("{what}: compile panicked: {panic}"));
                    continue;
                }
                Ok(r) => r,
            };
            self.compiles += 1;
            let want = if optimize {
                libpcap.optimized
            } else {
                Ok(libpcap.unoptimized)
            };
            match (&prog, newer) {
                (Err(e), Some(true) | None) if newer_refusal(e.kind()) => {
                    self.refused_as_newer += 1;
                    continue;
                }
                (Ok(_), Some(true)) => {
                    self.failures.push(format!(
                        "{what}: accepted; newer libpcap releases refuse it"
                    ));
                    continue;
                }
                _ => {}
            }
            match (prog, want) {
                (Err(_), Err(_)) => self.refused_like_optimizer += 1,
                (Ok(_), Err(msg)) if msg.contains("rejects all packets") => {
                    self.failures
                        .push(format!("{what}: accepted, libpcap refuses: {msg}"));
                }
                (Err(e), Ok(_)) => self.failures.push(format!("{what}: refused: {e}")),
                (Ok(p), want) => {
                    if let Err(e) = bpf::validate(&p) {
                        // Where libpcap's own program is this one, it fails
                        // the same way (libpcap 1.10.3 loads `ifindex` after
                        // `pppoes` on LINUX_SLL2 from [-4062]): the kernel
                        // refuses both, nothing to compare.
                        if !want.is_ok_and(|(w, _)| *w == p) {
                            self.failures
                                .push(format!("{what}: program fails bpf::validate: {e}"));
                        }
                        continue;
                    }
                    // libpcap's optimizer refused for another reason (its "division by
                    // zero" on a non-constant divisor): hold rawcap to the -O program.
                    let want = want.unwrap_or(libpcap.unoptimized);
                    self.compare(expr, link, optimize, &p, want);
                    // The userspace target differs only where the kernel's
                    // program cannot be libpcap's (protochain's loop).
                    let user = Options {
                        target: Target::Userspace,
                        ..options(link, optimize, linux_ext)
                    };
                    match compile(expr, &user) {
                        Ok(Ok(u)) if u == p => {}
                        Ok(Ok(u)) => match bpf::validate_userspace(&u) {
                            Ok(()) => self.compare(expr, link, optimize, &u, want),
                            Err(e) => self.failures.push(format!(
                                "{what}: userspace program fails validate_userspace: {e}"
                            )),
                        },
                        other => self
                            .failures
                            .push(format!("{what}: userspace target: {other:?}")),
                    }
                }
            }
        }
    }

    /// Checks that libpcap refuses too: rawcap must refuse in both modes.
    pub fn judge_refusal(&mut self, expr: &str, link: LinkType, message: &str) {
        for optimize in [true, false] {
            match compile(expr, &options(link, optimize, true)) {
                Ok(Err(_)) => self.refused += 1,
                Ok(Ok(p)) => self.failures.push(format!(
                    "{expr:?} [{link} {}]: accepted ({} insns); libpcap: {message}",
                    mode(optimize),
                    p.len()
                )),
                Err(panic) => self
                    .failures
                    .push(format!("{expr:?} [{link}]: compile panicked: {panic}")),
            }
        }
    }

    /// One line of counts, then the first mismatches and failures.
    pub fn report(&self, name: &str) {
        println!(
            "{name}: {} compiles, {} comparisons, {} mismatches in {} (expression, mode) pairs, {} excused (a load past the end decided), {} failures, {} refused as libpcap does, {} refused as libpcap's optimizer does, {} refused as newer libpcap releases do",
            self.compiles,
            self.comparisons,
            self.mismatches,
            self.mismatched_exprs.len(),
            self.excused,
            self.failures.len(),
            self.refused,
            self.refused_like_optimizer,
            self.refused_as_newer
        );
        for m in self.mismatched_exprs.iter().take(40) {
            println!("  mismatching: {m}");
        }
        for e in &self.examples {
            println!("  mismatch: {e}");
        }
        for e in self.failures.iter().take(failures_shown()) {
            println!("  failure: {e}");
        }
    }

    /// rawcap's `prog` against libpcap's `(program, verdicts)` on every frame.
    ///
    /// The values must be identical, except on a frame where either program was
    /// cut short by a load past the end of the packet (or a division by zero):
    /// there the result depends on the order of the tests (libpcap's own
    /// optimized and `-O` programs differ on such frames), so a difference is
    /// counted as excused, not as a mismatch.
    fn compare(
        &mut self,
        expr: &str,
        link: LinkType,
        optimize: bool,
        prog: &Program,
        want: (&Program, &[u32]),
    ) {
        let s = samples(link);
        let ours = verdicts(prog, s);
        let before = self.mismatches;
        for (j, &v) in ours.iter().enumerate() {
            self.comparisons += 1;
            let w = want.1[j];
            if v == w {
                continue;
            }
            if cut_short(want.0, &s[j]) || cut_short(prog, &s[j]) {
                self.excused += 1;
                continue;
            }
            self.mismatches += 1;
            if self.examples.len() < 25 {
                self.examples.push(format!(
                    "{expr:?} [{link} {}] on {}: rawcap {v}, libpcap {w}",
                    mode(optimize),
                    s[j].frame.label
                ));
            }
        }
        if self.mismatches > before {
            self.mismatched_exprs.push(format!(
                "{expr:?} [{link} {}]: {} frames",
                mode(optimize),
                self.mismatches - before
            ));
        }
    }
}
