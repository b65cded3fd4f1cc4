//! The interfaces of this host as `/sys/class/net` lists them: `-D`,
//! `-i N` (an index as `-D` numbers them) and the default interface; what
//! each can deliver (`-L`, `-J`).

use super::stdio::Stdout;
use anyhow::{anyhow, Context};
use rawcap::LinkType;
use std::io::Write;

/// One interface as `-D` shows it.
pub struct Iface {
    /// The interface index.
    pub index: u32,
    /// The name (`lo`, `eth0`).
    pub name: String,
    flags: u32,
    state: String,
}

const IFF_UP: u32 = 0x1;
const IFF_LOOPBACK: u32 = 0x8;
const IFF_RUNNING: u32 = 0x40;

/// Every interface, by index.
///
/// # Errors
/// When `/sys/class/net` cannot be read.
pub fn list() -> anyhow::Result<Vec<Iface>> {
    let dir = std::path::Path::new("/sys/class/net");
    let read = |name: &str, what: &str| {
        std::fs::read_to_string(dir.join(name).join(what)).unwrap_or_default()
    };
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).context("/sys/class/net")? {
        let name = e?.file_name().to_string_lossy().into_owned();
        let index = read(&name, "ifindex").trim().parse().unwrap_or(0);
        let mut flags =
            u32::from_str_radix(read(&name, "flags").trim().trim_start_matches("0x"), 16)
                .unwrap_or(0);
        // sysfs `flags` lacks IFF_RUNNING (the kernel derives it from the carrier).
        if flags & IFF_UP != 0 && read(&name, "carrier").trim() == "1" {
            flags |= IFF_RUNNING;
        }
        let state = read(&name, "operstate").trim().to_string();
        v.push(Iface {
            index,
            name,
            flags,
            state,
        });
    }
    v.sort_by_key(|i| i.index);
    Ok(v)
}

/// `-D`: index, name, flags and operational state of each interface.
///
/// # Errors
/// When `/sys/class/net` cannot be read.
pub fn print_list() -> anyhow::Result<i32> {
    let mut out = Stdout;
    for i in list()? {
        let mut flags = vec![if i.flags & IFF_UP != 0 { "Up" } else { "Down" }];
        if i.flags & IFF_RUNNING != 0 {
            flags.push("Running");
        }
        if i.flags & IFF_LOOPBACK != 0 {
            flags.push("Loopback");
        }
        writeln!(
            out,
            "{}.{} [{}] state {}",
            i.index,
            i.name,
            flags.join(", "),
            i.state
        )?;
    }
    writeln!(
        out,
        "0.any (Pseudo-device that captures on all interfaces) [Up, Running]"
    )?;
    Ok(0)
}

/// tcpdump's choice without `-i`: the first interface that is up, running and not loopback.
///
/// # Errors
/// When no interface is up.
pub fn default_interface() -> anyhow::Result<String> {
    list()?
        .into_iter()
        .find(|i| {
            i.flags & (IFF_UP | IFF_RUNNING) == IFF_UP | IFF_RUNNING && i.flags & IFF_LOOPBACK == 0
        })
        .map(|i| i.name)
        .ok_or_else(|| anyhow!("no interface is up: name one with -i (rawcap -D lists them)"))
}

/// `-L`: the link types each interface can deliver, as tcpdump prints them
/// (`-y` picks one). A cooked socket (`any`, and devices with no link
/// header rawcap can read) builds either cooked header.
///
/// # Errors
/// When an interface does not exist.
pub fn print_linktypes(names: &[String]) -> anyhow::Result<i32> {
    let mut out = Stdout;
    for name in names {
        let delivered = rawcap::capture::link_type_of(name).map_err(super::live::explain)?;
        let types = if delivered.is_cooked() {
            vec![LinkType::LinuxSll, LinkType::LinuxSll2]
        } else {
            vec![delivered]
        };
        writeln!(out, "Data link types for {name} (use option -y to set):")?;
        for t in types {
            writeln!(out, "  {} ({})", t.name(), t.description())?;
        }
    }
    Ok(0)
}

/// `-J`: the time stamp types each interface offers rawcap: the kernel's
/// software stamp (`host`) only, as libpcap lists for a device without
/// hardware time stamping.
///
/// # Errors
/// When an interface does not exist.
pub fn print_tstamp_types(names: &[String]) -> anyhow::Result<i32> {
    let mut out = Stdout;
    for name in names {
        rawcap::capture::link_type_of(name).map_err(super::live::explain)?;
        writeln!(out, "Time stamp types for {name} (use option -j to set):")?;
        writeln!(out, "  host (Host)")?;
    }
    Ok(0)
}
