//! What the benches share: the six common filters they time, the engines.

/// `tcp port 80` and five other filters people run every day.
pub const FILTERS: [&str; 6] = [
    "tcp port 80",
    "host 198.18.0.1",
    "udp and not port 53",
    "ip6 and tcp",
    "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0",
    "net 198.18.0.0/16 and (tcp dst portrange 1000-2000 or icmp)",
];

/// The engines of `bpf::Machine` the benches compare, slowest first.
#[allow(dead_code)]
pub const ENGINES: [rawcap::bpf::Engine; 3] = [
    rawcap::bpf::Engine::Decoded,
    rawcap::bpf::Engine::Fused,
    rawcap::bpf::Engine::Native,
];
