//! The application protocols' facts in `--json` (issue 16), read back
//! through a JSON parser: every line rawcap prints for the application
//! corpus (tests/data/decode, scripts/gen-decode-fixtures.sh) parses, and
//! the fields docs/output.md lists carry the values in the frames.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/decode")
        .join(name)
}

/// `rawcap -r FILE --json`, every line parsed.
fn json_lines(file: &str) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_rawcap"))
        .args(["-r"])
        .arg(data(file))
        .arg("--json")
        .output()
        .expect("run rawcap");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("JSON is UTF-8")
        .lines()
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{file} line {}: {e}\n{l}", i + 1))
        })
        .collect()
}

/// The packets that carry `key` (e.g. "dns").
fn with<'a>(lines: &'a [Value], key: &str) -> Vec<&'a Value> {
    lines.iter().filter(|v| v.get(key).is_some()).collect()
}

#[test]
fn dns_json_carries_header_questions_and_answers() {
    let lines = json_lines("real-dns.pcap");
    let dns = with(&lines, "dns");
    // Every UDP packet of the dig session and the TCP segments with data.
    assert!(dns.len() >= 26, "{} DNS packets", dns.len());
    let q = &dns[0]["dns"];
    assert_eq!(q["response"], false);
    assert_eq!(q["opcode"], "query");
    assert_eq!(q["flags"], serde_json::json!(["rd", "ad"]));
    assert_eq!(q["questions"][0]["name"], "example.test.");
    assert_eq!(q["questions"][0]["type"], "A");
    assert_eq!(q["questions"][0]["class"], "IN");
    assert_eq!(q["edns"]["udp_size"], 1232);
    let r = &dns[1]["dns"];
    assert_eq!(r["id"], q["id"]);
    assert_eq!(r["response"], true);
    assert_eq!(r["rcode"], "NoError");
    let a = &r["answers"][0];
    assert_eq!(
        (&a["name"], &a["type"], &a["data"]),
        (
            &Value::from("example.test."),
            &Value::from("A"),
            &Value::from("198.18.16.9")
        )
    );
    assert!(a["ttl"].is_u64());
    // The answers by type, as dig asked for them.
    let data_of = |t: &str| -> Vec<String> {
        dns.iter()
            .flat_map(|v| v["dns"]["answers"].as_array().cloned().unwrap_or_default())
            .filter(|a| a["type"] == t)
            .map(|a| a["data"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert!(data_of("AAAA").contains(&"2001:db8:16::10".to_string()));
    assert!(data_of("MX").contains(&"10 mail.example.test.".to_string()));
    assert!(data_of("SRV").contains(&"10 20 5060 sip.example.test.".to_string()));
    assert!(data_of("CNAME").contains(&"host.example.test.".to_string()));
    assert!(data_of("PTR").contains(&"host.example.test.".to_string()));
    assert!(data_of("TXT").contains(&"\"v=spf1 -all\" \"second string\"".to_string()));
    assert!(dns
        .iter()
        .any(|v| v["dns"]["rcode"] == "NXDomain" && v["dns"]["rcode_num"] == 3));
    // DNS over TCP: the message after the length prefix.
    assert!(dns
        .iter()
        .any(|v| v["proto"] == "tcp" && v["dns"]["questions"][0]["type"] == "ANY"));
}

#[test]
fn mdns_json_has_the_class_bits() {
    let lines = json_lines("mdns.pcap");
    let dns = with(&lines, "dns");
    let first = &dns[0]["dns"];
    assert_eq!(first["mdns"], true);
    assert_eq!(first["questions"][0]["class"], "IN");
    assert_eq!(first["questions"][0]["unicast_response"], true);
    assert!(dns.iter().any(|v| v["dns"]["answers"]
        .as_array()
        .is_some_and(|a| a.iter().any(|r| r["cache_flush"] == true))));
}

#[test]
fn dhcp_json_carries_the_exchange() {
    let lines = json_lines("real-dhcp.pcap");
    let dhcp = with(&lines, "dhcp");
    assert_eq!(dhcp.len(), lines.len(), "every packet is DHCP");
    let types: Vec<&str> = dhcp
        .iter()
        .filter_map(|v| v["dhcp"]["msg_type"].as_str())
        .collect();
    for t in ["Discover", "Offer", "Request", "ACK"] {
        assert!(types.contains(&t), "{t} missing from {types:?}");
    }
    let discover = &dhcp[0]["dhcp"];
    assert_eq!(discover["op"], "request");
    assert_eq!(discover["client_mac"], "02:00:00:00:16:02");
    assert_eq!(discover["hostname"], "rawcap-client");
    let ack = dhcp
        .iter()
        .find(|v| v["dhcp"]["msg_type"] == "ACK")
        .map(|v| &v["dhcp"])
        .unwrap();
    assert_eq!(ack["op"], "reply");
    assert_eq!(ack["server_id"], "198.18.16.1");
    let assigned = ack["your_ip"].as_str().unwrap();
    assert!(assigned.starts_with("198.18.16."), "{assigned}");
    // The client asks for the address it was offered.
    assert!(dhcp
        .iter()
        .any(|v| v["dhcp"]["msg_type"] == "Request" && v["dhcp"]["requested_ip"] == assigned));
    assert_eq!(discover["xid"], ack["xid"]);
}

#[test]
fn ntp_json_carries_version_mode_and_stratum() {
    let lines = json_lines("real-ntp.pcap");
    let ntp = with(&lines, "ntp");
    assert_eq!(ntp.len(), lines.len());
    let client = &ntp[0]["ntp"];
    assert_eq!(
        (&client["version"], &client["mode"]),
        (&4.into(), &"Client".into())
    );
    let server = &ntp[1]["ntp"];
    assert_eq!(server["mode"], "Server");
    assert_eq!(server["mode_num"], 4);
    assert!(server["stratum"].is_u64());
    assert!(server["transmit"].as_str().is_some_and(|t| t.contains('.')));
    assert!(ntp.iter().any(|v| v["ntp"]["mode"] == "Control Message"));
    // The synthetic corpus: every stratum class and mode.
    let lines = json_lines("ntp.pcap");
    let strata: Vec<u64> = with(&lines, "ntp")
        .iter()
        .filter_map(|v| v["ntp"]["stratum"].as_u64())
        .collect();
    assert!(strata.contains(&1) && strata.contains(&16));
}

#[test]
fn tunnel_json_carries_the_vni_and_the_inner_frame() {
    let lines = json_lines("tunnel.pcap");
    let vx = &with(&lines, "vxlan")[0]["vxlan"];
    assert_eq!(vx["vni"], 100);
    let inner = &vx["inner"];
    assert_eq!(inner["eth_src"], "02:00:00:00:aa:01");
    assert_eq!(inner["src"], "198.19.0.1");
    assert_eq!(inner["dst"], "198.19.0.2");
    assert_eq!(inner["proto"], "icmp");
    // An application protocol inside the tunnel has its facts there too.
    assert!(with(&lines, "vxlan")
        .iter()
        .any(|v| v["vxlan"]["inner"]["dns"]["questions"][0]["name"] == "example.com."));
    let gpe = with(&lines, "vxlan_gpe");
    assert!(gpe
        .iter()
        .any(|v| v["vxlan_gpe"]["next_protocol"] == 1 && v["vxlan_gpe"]["inner"]["net"] == "ipv4"));
    let gen = with(&lines, "geneve");
    let g = &gen[0]["geneve"];
    assert_eq!(
        (&g["vni"], &g["protocol"]),
        (&0x10000.into(), &0x6558.into())
    );
    assert_eq!(g["inner"]["src"], "198.19.0.1");
    assert!(
        gen.iter()
            .any(|v| v["geneve"]["options_len"].as_u64() > Some(0)
                && v["geneve"]["inner"].is_object())
    );
    // 150 nested tunnels: JSON follows 8 of them and stays parseable.
    let depth = |v: &Value| {
        let mut d = 0;
        let mut cur = v;
        while let Some(i) = cur.get("vxlan").and_then(|x| x.get("inner")) {
            cur = i;
            d += 1;
        }
        d
    };
    assert_eq!(lines.iter().map(depth).max(), Some(8));
}

#[test]
fn bgp_json_lists_the_message_types() {
    let lines = json_lines("bgp.pcap");
    let bgp = with(&lines, "bgp");
    let first = &bgp[0]["bgp"]["messages"][0];
    assert_eq!(
        (&first["type"], &first["type_num"]),
        (&"Open".into(), &1.into())
    );
    assert_eq!(first["length"], 71);
    let types: Vec<&str> = bgp
        .iter()
        .flat_map(|v| v["bgp"]["messages"].as_array().unwrap().iter())
        .filter_map(|m| m["type"].as_str())
        .collect();
    for t in [
        "Open",
        "Update",
        "Notification",
        "Keepalive",
        "Route Refresh",
    ] {
        assert!(types.contains(&t), "{t}");
    }
    // Three messages in one segment.
    assert!(bgp.iter().any(|v| v["bgp"]["messages"]
        .as_array()
        .is_some_and(|m| m.len() == 3)));
}

#[test]
fn every_corpus_line_is_json() {
    for file in [
        "dns.pcap",
        "mdns.pcap",
        "dhcp.pcap",
        "dhcp6.pcap",
        "ntp.pcap",
        "tunnel.pcap",
        "syslog.pcap",
        "tftp.pcap",
        "hsrp.pcap",
        "sip.pcap",
        "bfd.pcap",
        "rip.pcap",
        "ripng.pcap",
        "vrrp.pcap",
        "bgp.pcap",
        "ospf.pcap",
    ] {
        let lines = json_lines(file);
        assert!(!lines.is_empty());
        for v in &lines {
            if let Some(d) = v.get("dns") {
                assert!(d["id"].is_u64() && d["questions"].is_array(), "{v}");
            }
        }
    }
}

/// The README's example: `rawcap -r f --json | jq 'select(.dns) | .dns.questions[].name'`.
#[test]
fn readme_jq_example() {
    if Command::new("jq").arg("--version").output().is_err() {
        eprintln!("skipping readme_jq_example: jq is not installed");
        return;
    }
    let cmd = format!(
        "{} -r {} --json | jq -r 'select(.dns) | .dns.questions[].name' | sort -u",
        env!("CARGO_BIN_EXE_rawcap"),
        data("real-dns.pcap").display()
    );
    let out = Command::new("sh").arg("-c").arg(cmd).output().expect("sh");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.lines().any(|l| l == "host.example.test."), "{text}");
    assert!(
        text.lines().any(|l| l == "10.16.18.198.in-addr.arpa."),
        "{text}"
    );
}
