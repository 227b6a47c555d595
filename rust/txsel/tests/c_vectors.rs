// SPDX-License-Identifier: GPL-2.0

//! Compares `txsel::hash::xmit_hash` with tests/vectors/bond_hash.c, a
//! standalone C re-implementation of Linux 6.12 `bond_xmit_hash()` that
//! parses the raw frames itself. The C file is compiled with `cc` into a
//! temporary directory; the test is skipped (with a message) if no C
//! compiler is found.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::{c_line, gen_case, Rng};
use txsel::hash::{select_xor, xmit_hash, XmitPolicy};
use txsel::Port;

const CASES: usize = 20_000;

fn build_harness() -> Option<PathBuf> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/bond_hash.c");
    let dir = std::env::temp_dir().join(format!("txsel-cvec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let exe = dir.join("bond_hash");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    match Command::new(&cc)
        .args(["-O2", "-Wall", "-Werror", "-o"])
        .arg(&exe)
        .arg(&src)
        .status()
    {
        Ok(s) if s.success() => Some(exe),
        Ok(s) => panic!("{cc} failed to compile {}: {s}", src.display()),
        Err(e) => {
            eprintln!("SKIPPED: no C compiler ({cc}: {e}); C vectors not checked");
            None
        }
    }
}

#[test]
fn rust_hash_equals_c_reimplementation() {
    let Some(exe) = build_harness() else {
        return;
    };
    let mut rng = Rng(0x7c0f_fee0_d15e_a5e5);
    let mut cases = Vec::with_capacity(CASES);
    let mut input = String::new();
    for i in 0..CASES {
        let (frame, keys) = gen_case(&mut rng);
        let policy = XmitPolicy::ALL[i % XmitPolicy::ALL.len()];
        input.push_str(&c_line(policy.raw(), &frame, &keys));
        input.push('\n');
        cases.push((policy, keys));
    }
    let mut child = Command::new(&exe)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run C harness");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("C harness output");
    writer.join().unwrap().unwrap();
    let _ = std::fs::remove_dir_all(exe.parent().unwrap());
    assert!(out.status.success());
    let hashes: Vec<u32> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert_eq!(hashes.len(), CASES, "C harness answered every case");

    let ports: Vec<Port> = (0..5).map(Port::new).collect();
    let mut per_policy = [0usize; 6];
    for ((policy, keys), c) in cases.iter().zip(&hashes) {
        let r = xmit_hash(*policy, keys);
        assert_eq!(r, *c, "policy {policy:?} keys {keys:?}");
        assert_eq!(select_xor(&ports, r), Some((*c % 5) as usize));
        per_policy[usize::from(policy.raw())] += 1;
    }
    eprintln!("C vectors: {CASES} cases agree, per policy {per_policy:?}");
}
