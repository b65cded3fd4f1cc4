//! The differential test of the filter compiler against libpcap (issue 3):
//! every fixture expression is compiled by `rawcap::filter::compile`, with the
//! optimizer on and off, and its verdict on every corpus frame is compared with
//! libpcap's program for the same expression, link type and mode (fixtures from
//! `scripts/gen-libpcap-fixtures.sh`); every expression libpcap refuses must be
//! refused.
//!
//! The options mirror `tcpdump -y LINK -d`: snaplen 262144, no netmask
//! (`ip broadcast` is refused, as newer libpcap releases refuse it, along
//! with the other `@newer` expressions); `@linux` expressions
//! (`inbound`, `outbound`, `ifindex`) are compiled with `linux_ext`, since
//! libpcap on Linux compiles them to ancillary loads.
//!
//! Loads past the end: libpcap's optimizer reorders tests, so on a frame where a
//! program is cut short by a load past the end of the packet the result depends
//! on the order (libpcap's own optimized and `-O` programs differ there). Such
//! differences are counted as excused; every other difference is a mismatch.

mod common;
#[path = "common/diff.rs"]
mod diff;

use common::{fixtures, oracles, rejects, samples};
use diff::{Libpcap, Tally};
use rawcap::bpf;
use rawcap::filter::{self, Options, Target};
use rawcap::LinkType;

#[test]
fn rawcap_agrees_with_libpcap_on_every_frame() {
    let mut t = Tally::default();
    for o in oracles() {
        let f = &fixtures()[o.fixture];
        let libpcap = Libpcap {
            optimized: match (&f.optimized, &o.optimized) {
                (Ok(p), Some(v)) => Ok((p, v.as_slice())),
                (Err(msg), _) => Err(msg.as_str()),
                (Ok(_), None) => {
                    unreachable!("optimized verdicts exist for every accepted program")
                }
            },
            unoptimized: (&f.unoptimized, &o.unoptimized),
        };
        t.judge(
            &f.expr,
            f.link,
            f.has("@linux"),
            Some(f.has("@newer")),
            &libpcap,
        );
    }
    println!(
        "filter_diff: {} fixtures (expression x link type: {} EN10MB), {} frames",
        fixtures().len(),
        fixtures()
            .iter()
            .filter(|f| f.link == LinkType::Ethernet)
            .count(),
        samples(LinkType::Ethernet).len()
    );
    t.report("filter_diff");
    assert_eq!(t.mismatches, 0, "verdict mismatches");
    assert!(
        t.failures.is_empty(),
        "{} compile failures",
        t.failures.len()
    );
}

#[test]
fn everything_libpcap_refuses_is_refused() {
    let mut t = Tally::default();
    let list = rejects();
    for r in &list {
        t.judge_refusal(&r.expr, r.link, &r.message);
    }
    println!(
        "rejects: {} (expression, link type) pairs x 2 modes",
        list.len()
    );
    t.report("rejects");
    assert!(
        t.failures.is_empty(),
        "{} libpcap refusals not refused",
        t.failures.len()
    );
}

#[test]
fn tcp_port_80_is_the_hand_assembled_program() {
    let p = filter::compile("tcp port 80", &Options::default()).expect("compiles");
    assert_eq!(p, bpf::programs::tcp_port_80());
}

/// The userspace target gives libpcap's programs: with `-O` every fixture's
/// program instruction for instruction (protochain's loop included), and
/// optimized every program whose libpcap form loops (libpcap does not
/// optimize those; other optimized programs are compared by verdict in
/// `rawcap_agrees_with_libpcap_on_every_frame`). Each such program passes `validate_userspace`, and
/// `bpf::vm` returns on every frame what the independent libpcap
/// interpreter (tests/common/pcap_vm.rs) returns.
#[test]
fn userspace_target_is_libpcaps_program() {
    let (mut same, mut looping) = (0, 0);
    let mut differ = Vec::new();
    for f in fixtures().iter().filter(|f| !f.has("@newer")) {
        let opts = |optimize| Options {
            target: Target::Userspace,
            ..diff::options(f.link, optimize, f.has("@linux"))
        };
        let unopt = filter::compile(&f.expr, &opts(false)).expect("libpcap compiles it");
        if unopt == f.unoptimized {
            same += 1;
        } else {
            differ.push(format!("{} [{}]", f.expr, f.link));
        }
        let Ok(theirs) = &f.optimized else { continue };
        let jumps_back = |p: &bpf::Program| {
            p.insns()
                .iter()
                .any(|i| i.code == bpf::code::JMP | bpf::code::JA && i.k >= 1 << 31)
        };
        if !jumps_back(theirs) {
            continue;
        }
        looping += 1;
        let ours = filter::compile(&f.expr, &opts(true)).expect("compiles");
        assert_eq!(&ours, theirs, "{} [{}] optimized", f.expr, f.link);
        bpf::validate_userspace(&ours).expect("userspace rules");
        let samples = samples(f.link);
        assert_eq!(
            common::verdicts(&ours, samples),
            common::libpcap_verdicts(theirs, samples),
            "{}",
            f.expr
        );
    }
    println!(
        "userspace target: {same} of {} fixtures equal libpcap's -O program; {looping} looping programs equal libpcap's",
        fixtures().len()
    );
    assert!(differ.is_empty(), "-O programs differ: {differ:#?}");
    assert!(looping >= 20, "only {looping} protochain fixtures");
}

/// For frames whose chain has at most `PROTOCHAIN_MAX_HEADERS` extension
/// headers (all of the corpus), the kernel target's unrolled `protochain`
/// returns what libpcap's loop (the userspace target) returns.
#[test]
fn unrolled_protochain_agrees_with_the_loop() {
    let mut n = 0;
    for f in fixtures().iter().filter(|f| f.expr.contains("protochain")) {
        let opts = |target| Options {
            target,
            ..diff::options(f.link, true, false)
        };
        let unrolled = filter::compile(&f.expr, &opts(Target::Kernel)).expect("compiles");
        let looped = filter::compile(&f.expr, &opts(Target::Userspace)).expect("compiles");
        bpf::validate(&unrolled).expect("kernel rules");
        assert!(
            bpf::validate(&looped).is_err(),
            "{}: the loop jumps back",
            f.expr
        );
        let samples = samples(f.link);
        assert_eq!(
            common::verdicts(&unrolled, samples),
            common::verdicts(&looped, samples),
            "{} [{}]",
            f.expr,
            f.link
        );
        n += 1;
    }
    assert!(n >= 20, "only {n} protochain fixtures");
}

/// rawcap's optimized programs are no longer than libpcap's, for every
/// fixture on every link type (the userspace target, which keeps
/// libpcap's `protochain` loop; docs/bench.md has the figures).
#[test]
fn programs_are_no_longer_than_libpcaps() {
    let (mut compared, mut shorter, mut longer) = (0usize, 0usize, Vec::new());
    let (mut ours_total, mut theirs_total) = (0usize, 0usize);
    for f in fixtures().iter().filter(|f| !f.has("@newer")) {
        let Ok(theirs) = &f.optimized else { continue };
        let opts = Options {
            target: Target::Userspace,
            ..diff::options(f.link, true, f.has("@linux"))
        };
        let Ok(ours) = filter::compile(&f.expr, &opts) else {
            continue;
        };
        compared += 1;
        ours_total += ours.len();
        theirs_total += theirs.len();
        if ours.len() < theirs.len() {
            shorter += 1;
        } else if ours.len() > theirs.len() {
            longer.push(format!(
                "{} [{}]: {} > {}",
                f.expr,
                f.link,
                ours.len(),
                theirs.len()
            ));
        }
    }
    println!(
        "program size: {compared} fixtures, {ours_total} instructions vs libpcap's {theirs_total}; shorter on {shorter}, longer on {}",
        longer.len()
    );
    for l in longer.iter().take(30) {
        println!("  longer: {l}");
    }
    assert!(
        longer.is_empty(),
        "{} programs longer than libpcap's",
        longer.len()
    );
}
