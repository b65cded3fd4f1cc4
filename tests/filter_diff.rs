//! The differential test of the filter compiler against libpcap (issue 3):
//! every fixture expression is compiled by `rawcap::filter::compile`, with the
//! optimizer on and off, and its verdict on every corpus frame is compared with
//! libpcap's program for the same expression, link type and mode (fixtures from
//! `scripts/gen-libpcap-fixtures.sh`); every expression libpcap refuses must be
//! refused.
//!
//! The options mirror `tcpdump -y LINK -d`: snaplen 262144, netmask 0 (what
//! `ip broadcast` sees without an interface); `@linux` expressions
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
use rawcap::filter::{self, Options};
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
        t.judge(&f.expr, f.link, f.has("@linux"), &libpcap);
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
