// SPDX-License-Identifier: GPL-2.0

//! Compares `txsel::hash::xmit_hash` with the kernel's own
//! `bond_xmit_hash()`: the functions are extracted verbatim, at test time,
//! from the installed Linux 6.12 source (nothing extracted is committed)
//! and compiled with `cc` into a host program together with
//! tests/kernel/{shim.h,shim_bond.h,main.c}:
//!
//! * drivers/net/bonding/bond_main.c: `bond_pull_data`, `bond_eth_hash`,
//!   `bond_flow_ip`, `bond_vlan_srcmac_hash`, `bond_flow_dissect`,
//!   `bond_ip_hash`, `__bond_xmit_hash`, `bond_xmit_hash`;
//! * net/core/flow_dissector.c: `__skb_flow_get_ports`, `icmp_has_id`,
//!   `skb_flow_get_icmp_tci`, `flow_get_u32_src`, `flow_get_u32_dst`;
//! * include/net/flow_dissector.h: `struct flow_keys` and its key structs,
//!   `enum flow_dissector_key_id`, `struct flow_dissector`;
//! * include/net/ip.h, ipv6.h, linux/icmp.h, icmpv6.h, in.h: the inline
//!   helpers (`ip_is_fragment`, `iph_to_flow_copy_v4addrs`/`v6addrs`,
//!   `ipv6_addr_hash`, `icmp_is_err`, `icmpv6_is_err`,
//!   `proto_ports_offset`) and `IP_MF`/`IP_OFFSET`.
//!
//! The layer2, layer2+3, layer3+4 and vlan+srcmac policies thus run the
//! kernel's parsing of the raw frame, against which `FlowKeys::parse` (the
//! kernel side's inline parse of a linear packet) is checked as well. For encap2+3/encap3+4 the kernel
//! calls `__skb_flow_dissect()`, which is not extracted (see
//! tests/kernel/shim_bond.h): its result, given field by field, is stored
//! into the kernel's `struct flow_keys`.
//!
//! The source is the tree named by `RVNET_KSRC` (scripts/host-test.sh sets
//! it to the test kernel's tree), else the files are unpacked from
//! /usr/src/linux-source-6.12.tar.xz (Debian's linux-source-6.12, installed
//! by scripts/setup.sh). Without a source or a C compiler the test fails.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{c_line, gen_case, Rng};
use txsel::flow::FlowKeys;
use txsel::hash::{select_xor, xmit_hash, XmitPolicy};
use txsel::Port;

const CASES: usize = 20_000;
const TARBALL: &str = "/usr/src/linux-source-6.12.tar.xz";
const TAR_TOP: &str = "linux-source-6.12";

const BOND_MAIN: &str = "drivers/net/bonding/bond_main.c";
const FLOW_DISSECTOR_C: &str = "net/core/flow_dissector.c";
const FLOW_DISSECTOR_H: &str = "include/net/flow_dissector.h";
const IP_H: &str = "include/net/ip.h";
const IPV6_H: &str = "include/net/ipv6.h";
const ICMP_H: &str = "include/linux/icmp.h";
const ICMPV6_H: &str = "include/linux/icmpv6.h";
const IN_H: &str = "include/linux/in.h";
const FILES: [&str; 8] = [
    BOND_MAIN,
    FLOW_DISSECTOR_C,
    FLOW_DISSECTOR_H,
    IP_H,
    IPV6_H,
    ICMP_H,
    ICMPV6_H,
    IN_H,
];

/// What to take from a file: a function or a struct/enum definition by
/// name, or a `#define`.
enum Item {
    Fn(&'static str),
    Type(&'static str),
    Define(&'static str),
}

/// In compilation order: the types first, then the helpers, then bonding.
const ITEMS: &[(&str, &[Item])] = &[
    (IP_H, &[Item::Define("IP_MF"), Item::Define("IP_OFFSET")]),
    (
        FLOW_DISSECTOR_H,
        &[
            Item::Type("struct flow_dissector_key_control"),
            Item::Type("struct flow_dissector_key_basic"),
            Item::Type("struct flow_dissector_key_tags"),
            Item::Type("struct flow_dissector_key_vlan"),
            Item::Type("struct flow_dissector_key_keyid"),
            Item::Type("struct flow_dissector_key_ipv4_addrs"),
            Item::Type("struct flow_dissector_key_ipv6_addrs"),
            Item::Type("struct flow_dissector_key_tipc"),
            Item::Type("struct flow_dissector_key_addrs"),
            Item::Type("struct flow_dissector_key_ports"),
            Item::Type("struct flow_dissector_key_icmp"),
            Item::Type("enum flow_dissector_key_id"),
            Item::Type("struct flow_dissector"),
            Item::Type("struct flow_keys"),
        ],
    ),
    (IN_H, &[Item::Fn("proto_ports_offset")]),
    (
        IP_H,
        &[
            Item::Fn("ip_is_fragment"),
            Item::Fn("iph_to_flow_copy_v4addrs"),
        ],
    ),
    (
        IPV6_H,
        &[
            Item::Fn("ipv6_addr_hash"),
            Item::Fn("iph_to_flow_copy_v6addrs"),
        ],
    ),
    (ICMP_H, &[Item::Fn("icmp_is_err")]),
    (ICMPV6_H, &[Item::Fn("icmpv6_is_err")]),
    (
        FLOW_DISSECTOR_C,
        &[
            Item::Fn("__skb_flow_get_ports"),
            Item::Fn("icmp_has_id"),
            Item::Fn("skb_flow_get_icmp_tci"),
            Item::Fn("flow_get_u32_src"),
            Item::Fn("flow_get_u32_dst"),
        ],
    ),
    (
        BOND_MAIN,
        &[
            Item::Fn("bond_pull_data"),
            Item::Fn("bond_eth_hash"),
            Item::Fn("bond_flow_ip"),
            Item::Fn("bond_vlan_srcmac_hash"),
            Item::Fn("bond_flow_dissect"),
            Item::Fn("bond_ip_hash"),
            Item::Fn("__bond_xmit_hash"),
            Item::Fn("bond_xmit_hash"),
        ],
    ),
];

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The text from `start` through the brace matching the first `{` at or
/// after `start`, plus what follows up to the end of that line.
fn through_braces(src: &str, start: usize, what: &str) -> String {
    let b = src.as_bytes();
    let open = start
        + src[start..]
            .find('{')
            .unwrap_or_else(|| panic!("{what}: no body"));
    let mut depth = 0usize;
    for (i, &c) in b.iter().enumerate().skip(open) {
        match c {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    let end = src[i..].find('\n').map_or(src.len(), |n| i + n);
                    return src[start..end].to_string();
                }
            }
            _ => {}
        }
    }
    panic!("{what}: unbalanced braces");
}

/// Line starts of `src`.
fn lines(src: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(src.match_indices('\n').map(|(i, _)| i + 1))
}

/// A function definition: the line (at column 0) holding `name(` whose
/// declaration continues with a body, not a `;`. The return type may be
/// on that line or on the line before it.
fn extract_fn(src: &str, name: &str) -> String {
    let pat = format!("{name}(");
    for ls in lines(src) {
        let line = &src[ls..src[ls..].find('\n').map_or(src.len(), |n| ls + n)];
        if line.starts_with([' ', '\t', '#', '/', '*']) || line.is_empty() {
            continue;
        }
        let Some(p) = line.find(&pat) else { continue };
        if p > 0 && is_ident(line.as_bytes()[p - 1]) {
            continue;
        }
        let rest = &src[ls..];
        let (brace, semi) = (rest.find('{'), rest.find(';'));
        if !matches!((brace, semi), (Some(b), Some(s)) if b < s) {
            continue;
        }
        // Return type alone on the previous line ("static inline\nu32 f(").
        let mut start = ls;
        if p == 0 {
            let prev = src[..ls.saturating_sub(1)].rfind('\n').map_or(0, |n| n + 1);
            start = prev;
        }
        return through_braces(src, start, name);
    }
    panic!("function {name} not found");
}

/// `struct name {` / `enum name {` at column 0, through `};`.
fn extract_type(src: &str, name: &str) -> String {
    let head = format!("{name} {{");
    let ls = lines(src)
        .find(|&ls| src[ls..].starts_with(&head))
        .unwrap_or_else(|| panic!("{name} not found"));
    through_braces(src, ls, name)
}

fn extract_define(src: &str, name: &str) -> String {
    let head = format!("#define {name}");
    lines(src)
        .map(|ls| &src[ls..src[ls..].find('\n').map_or(src.len(), |n| ls + n)])
        .find(|l| l.starts_with(&head) && !is_ident(l.as_bytes()[head.len()]))
        .unwrap_or_else(|| panic!("#define {name} not found"))
        .to_string()
}

/// The directory holding the kernel source files: RVNET_KSRC, else the
/// files unpacked from Debian's tarball into `tmp`.
fn kernel_source(tmp: &Path) -> PathBuf {
    if let Ok(dir) = std::env::var("RVNET_KSRC") {
        let dir = PathBuf::from(dir);
        if dir.join(BOND_MAIN).is_file() {
            return dir;
        }
        panic!("RVNET_KSRC={} has no {BOND_MAIN}", dir.display());
    }
    assert!(
        Path::new(TARBALL).is_file(),
        "no kernel source: set RVNET_KSRC or install linux-source-6.12 (scripts/setup.sh)"
    );
    let members: Vec<String> = FILES.iter().map(|f| format!("{TAR_TOP}/{f}")).collect();
    let st = Command::new("tar")
        .arg("-xJf")
        .arg(TARBALL)
        .arg("-C")
        .arg(tmp)
        .args(&members)
        .status()
        .expect("run tar");
    assert!(
        st.success(),
        "tar could not unpack {members:?} from {TARBALL}"
    );
    tmp.join(TAR_TOP)
}

fn build_reference(dir: &Path) -> PathBuf {
    let ksrc = kernel_source(dir);
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/kernel");
    let mut c = format!(
        "/* Generated by kernel_vectors.rs from {}: do not commit. */\n#include \"{}\"\n",
        ksrc.display(),
        here.join("shim.h").display()
    );
    for (file, items) in ITEMS {
        let src = std::fs::read_to_string(ksrc.join(file))
            .unwrap_or_else(|e| panic!("read {}: {e}", ksrc.join(file).display()));
        for item in *items {
            let text = match item {
                Item::Fn(n) => extract_fn(&src, n),
                Item::Type(n) => extract_type(&src, n),
                Item::Define(n) => extract_define(&src, n),
            };
            c.push_str(&format!("\n/* {file} */\n{text}\n"));
        }
        if *file == FLOW_DISSECTOR_H {
            c.push_str(&format!(
                "#include \"{}\"\n",
                here.join("shim_bond.h").display()
            ));
        }
    }
    c.push_str(&format!("#include \"{}\"\n", here.join("main.c").display()));
    let gen = dir.join("kernel_bond_hash.c");
    std::fs::write(&gen, c).unwrap();
    let exe = dir.join("kernel_bond_hash");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let st = Command::new(&cc)
        .args([
            "-std=gnu11",
            "-O2",
            "-Wall",
            "-Wno-unused-function",
            "-Werror",
            "-o",
        ])
        .arg(&exe)
        .arg(&gen)
        .status()
        .unwrap_or_else(|e| panic!("no C compiler ({cc}): {e}"));
    assert!(st.success(), "{cc} failed on {}", gen.display());
    exe
}

#[test]
fn rust_hash_equals_kernel_bond_xmit_hash() {
    let dir = std::env::temp_dir().join(format!("txsel-kvec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let exe = build_reference(&dir);

    let mut rng = Rng(0x7c0f_fee0_d15e_a5e5);
    let mut cases = Vec::with_capacity(CASES);
    let mut input = String::new();
    for i in 0..CASES {
        let (frame, keys) = gen_case(&mut rng);
        let policy = XmitPolicy::ALL[i % XmitPolicy::ALL.len()];
        input.push_str(&c_line(policy.raw(), &frame, &keys));
        input.push('\n');
        cases.push((policy, frame, keys));
    }
    let mut child = Command::new(&exe)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run the kernel reference");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("kernel reference output");
    writer.join().unwrap().unwrap();
    if std::env::var_os("TXSEL_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(out.status.success());
    let hashes: Vec<u32> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert_eq!(hashes.len(), CASES, "the reference answered every case");

    let ports: Vec<Port> = (0..5).map(Port::new).collect();
    let mut per_policy = [0usize; 6];
    for ((policy, frame, keys), k) in cases.iter().zip(&hashes) {
        let r = xmit_hash(*policy, keys);
        assert_eq!(r, *k, "policy {policy:?} frame {frame:02x?} keys {keys:?}");
        // The kernel side's inline parse of a linear packet (main.c:
        // skb->protocol = h_proto, network header at 14).
        let proto = frame
            .get(12..14)
            .map_or(0, |p| u16::from_be_bytes([p[0], p[1]]));
        let mut parsed = FlowKeys::parse(frame, proto, 14, policy.reads_l3(), policy.reads_l4());
        parsed.vlan_tci = keys.vlan_tci;
        parsed.encap = keys.encap;
        parsed.l4_hash = keys.l4_hash;
        assert_eq!(
            xmit_hash(*policy, &parsed),
            *k,
            "FlowKeys::parse: policy {policy:?} frame {frame:02x?} keys {parsed:?}"
        );
        assert_eq!(select_xor(&ports, r), Some((*k % 5) as usize));
        per_policy[usize::from(policy.raw())] += 1;
    }
    eprintln!("kernel bond_xmit_hash: {CASES} cases agree, per policy {per_policy:?}");
}
