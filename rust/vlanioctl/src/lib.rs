// SPDX-License-Identifier: GPL-2.0

//! The legacy VLAN ioctl (`SIOCSIFVLAN`/`SIOCGIFVLAN`, used by `vconfig`)
//! as plain data: decoding and encoding `struct vlan_ioctl_args`, and the
//! device names of the four `VLAN_NAME_TYPE_*` schemes.
//!
//! No kernel dependency, no allocation, no `unsafe`, no panics: the
//! `rvnet_vlan` module includes this file with `#[path]`, and `cargo test`
//! checks it on the host.
#![cfg_attr(not(any(test, CONFIG_RUST)), no_std)]

/// Size of `struct vlan_ioctl_args` on Linux (x86-64 and every ABI with a
/// 4-byte `int` and 2-byte `short`): 4 + 24 + 24 + 2, padded to 4.
pub const ARGS_SIZE: usize = 56;
const NAME_LEN: usize = 24;
const OFF_DEV1: usize = 4;
const OFF_U: usize = 28;
const OFF_QOS: usize = 52;

/// `enum vlan_ioctl_cmds`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    /// `ADD_VLAN_CMD`: `device1` = lower device, `u.VID`.
    Add,
    /// `DEL_VLAN_CMD`: `device1` = VLAN device.
    Del,
    /// `SET_VLAN_INGRESS_PRIORITY_CMD`: `u.skb_priority`, `vlan_qos`.
    SetIngress,
    /// `SET_VLAN_EGRESS_PRIORITY_CMD`: `u.skb_priority`, `vlan_qos`.
    SetEgress,
    /// `GET_VLAN_INGRESS_PRIORITY_CMD` (unsupported by Linux too).
    GetIngress,
    /// `GET_VLAN_EGRESS_PRIORITY_CMD` (unsupported by Linux too).
    GetEgress,
    /// `SET_VLAN_NAME_TYPE_CMD`: `u.name_type`.
    SetNameType,
    /// `SET_VLAN_FLAG_CMD`: `u.flag`, set if `vlan_qos != 0`.
    SetFlag,
    /// `GET_VLAN_REALDEV_NAME_CMD`: answer in `u.device2`.
    GetRealdevName,
    /// `GET_VLAN_VID_CMD`: answer in `u.VID`.
    GetVid,
    /// Anything else (`EOPNOTSUPP`).
    Unknown(i32),
}

impl Cmd {
    fn from_raw(v: i32) -> Cmd {
        match v {
            0 => Cmd::Add,
            1 => Cmd::Del,
            2 => Cmd::SetIngress,
            3 => Cmd::SetEgress,
            4 => Cmd::GetIngress,
            5 => Cmd::GetEgress,
            6 => Cmd::SetNameType,
            7 => Cmd::SetFlag,
            8 => Cmd::GetRealdevName,
            9 => Cmd::GetVid,
            x => Cmd::Unknown(x),
        }
    }

    /// The command names a device in `device1` that must exist (and, but
    /// for `Add`, be a VLAN device).
    pub fn needs_device(self) -> bool {
        matches!(
            self,
            Cmd::Add
                | Cmd::Del
                | Cmd::SetIngress
                | Cmd::SetEgress
                | Cmd::SetFlag
                | Cmd::GetRealdevName
                | Cmd::GetVid
        )
    }
}

/// A decoded `struct vlan_ioctl_args`; names are NUL-terminated in place,
/// as the C handler forces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Args {
    raw: [u8; ARGS_SIZE],
}

impl Args {
    /// Decodes the bytes copied from user space.
    pub fn decode(mut raw: [u8; ARGS_SIZE]) -> Args {
        raw[OFF_DEV1 + NAME_LEN - 1] = 0;
        raw[OFF_U + NAME_LEN - 1] = 0;
        Args { raw }
    }

    /// The bytes to copy back to user space.
    pub fn encode(&self) -> [u8; ARGS_SIZE] {
        self.raw
    }

    fn i32_at(&self, off: usize) -> i32 {
        let mut b = [0u8; 4];
        b.copy_from_slice(&self.raw[off..off + 4]);
        i32::from_ne_bytes(b)
    }

    /// The command.
    pub fn cmd(&self) -> Cmd {
        Cmd::from_raw(self.i32_at(0))
    }

    /// `device1`, up to its NUL.
    pub fn device1(&self) -> &[u8] {
        name(&self.raw[OFF_DEV1..OFF_DEV1 + NAME_LEN])
    }

    /// `u` as an unsigned int (`VID`, `skb_priority`, `name_type`, `flag`).
    pub fn u_uint(&self) -> u32 {
        self.i32_at(OFF_U) as u32
    }

    /// `vlan_qos`.
    pub fn vlan_qos(&self) -> i16 {
        i16::from_ne_bytes([self.raw[OFF_QOS], self.raw[OFF_QOS + 1]])
    }

    /// Stores `v` in `u.VID`.
    pub fn set_vid(&mut self, v: u16) {
        self.raw[OFF_U..OFF_U + 4].copy_from_slice(&i32::from(v).to_ne_bytes());
    }

    /// Stores `s` (truncated to 23 bytes, NUL-terminated) in `u.device2`.
    pub fn set_device2(&mut self, s: &[u8]) {
        let dst = &mut self.raw[OFF_U..OFF_U + NAME_LEN];
        dst.fill(0);
        let n = s.len().min(NAME_LEN - 1);
        dst[..n].copy_from_slice(&s[..n]);
    }
}

fn name(b: &[u8]) -> &[u8] {
    let n = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    &b[..n]
}

/// `enum vlan_name_types`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameType {
    /// `vlan0005`.
    PlusVid,
    /// `eth1.0005`.
    RawPlusVid,
    /// `vlan5`.
    PlusVidNoPad,
    /// `eth0.5` (the default).
    RawPlusVidNoPad,
}

impl NameType {
    /// From `u.name_type`; `None` for values `>= VLAN_NAME_TYPE_HIGHEST`.
    pub fn from_raw(v: u32) -> Option<NameType> {
        match v {
            0 => Some(NameType::PlusVid),
            1 => Some(NameType::RawPlusVid),
            2 => Some(NameType::PlusVidNoPad),
            3 => Some(NameType::RawPlusVidNoPad),
            _ => None,
        }
    }

    /// The raw value.
    pub fn raw(self) -> u32 {
        match self {
            NameType::PlusVid => 0,
            NameType::RawPlusVid => 1,
            NameType::PlusVidNoPad => 2,
            NameType::RawPlusVidNoPad => 3,
        }
    }
}

/// A device name being built (at most 15 bytes, as `IFNAMSIZ - 1`;
/// longer names are truncated like `snprintf` into `IFNAMSIZ`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DevName {
    buf: [u8; 16],
    len: usize,
}

impl DevName {
    fn new() -> Self {
        DevName {
            buf: [0; 16],
            len: 0,
        }
    }

    fn push(&mut self, s: &[u8]) {
        for &c in s {
            if self.len < 15 {
                self.buf[self.len] = c;
                self.len += 1;
            }
        }
    }

    fn push_num(&mut self, v: u16, width: usize) {
        let mut digits = [b'0'; 5];
        let mut n = v;
        let mut i = 5;
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let start = i.min(5usize.saturating_sub(width));
        self.push(&digits[start..]);
    }

    /// The name bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// The name with a terminating NUL (for C).
    pub fn as_bytes_with_nul(&self) -> &[u8] {
        &self.buf[..self.len + 1]
    }
}

/// The name of VLAN `vid` on `real` under `t` (C: `register_vlan_device`).
pub fn vlan_name(t: NameType, real: &[u8], vid: u16) -> DevName {
    let mut n = DevName::new();
    match t {
        NameType::RawPlusVid => {
            n.push(real);
            n.push(b".");
            n.push_num(vid, 4);
        }
        NameType::PlusVidNoPad => {
            n.push(b"vlan");
            n.push_num(vid, 1);
        }
        NameType::RawPlusVidNoPad => {
            n.push(real);
            n.push(b".");
            n.push_num(vid, 1);
        }
        NameType::PlusVid => {
            n.push(b"vlan");
            n.push_num(vid, 4);
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(cmd: i32, dev: &str, u: u32, qos: i16) -> [u8; ARGS_SIZE] {
        let mut r = [0u8; ARGS_SIZE];
        r[..4].copy_from_slice(&cmd.to_ne_bytes());
        r[4..4 + dev.len()].copy_from_slice(dev.as_bytes());
        r[28..32].copy_from_slice(&u.to_ne_bytes());
        r[52..54].copy_from_slice(&qos.to_ne_bytes());
        r
    }

    #[test]
    fn decodes_add() {
        let a = Args::decode(args(0, "eth0", 10, 0));
        assert_eq!(a.cmd(), Cmd::Add);
        assert_eq!(a.device1(), b"eth0");
        assert_eq!(a.u_uint(), 10);
        assert!(a.cmd().needs_device());
    }

    #[test]
    fn decodes_flag_and_qos() {
        let a = Args::decode(args(7, "eth0.5", 1, 1));
        assert_eq!(a.cmd(), Cmd::SetFlag);
        assert_eq!(a.vlan_qos(), 1);
        assert_eq!(Args::decode(args(42, "", 0, 0)).cmd(), Cmd::Unknown(42));
        assert!(!Cmd::SetNameType.needs_device());
    }

    #[test]
    fn forces_nul_termination() {
        let mut r = [b'x'; ARGS_SIZE];
        r[..4].copy_from_slice(&1i32.to_ne_bytes());
        let a = Args::decode(r);
        assert_eq!(a.device1().len(), 23);
    }

    #[test]
    fn answers_roundtrip() {
        let mut a = Args::decode(args(9, "eth0.7", 0, 0));
        a.set_vid(7);
        assert_eq!(a.u_uint(), 7);
        a.set_device2(b"eth0");
        let e = a.encode();
        assert_eq!(&e[28..33], b"eth0\0");
        a.set_device2(&[b'y'; 40]);
        assert_eq!(a.encode()[28 + 23], 0);
    }

    #[test]
    fn names_match_c() {
        assert_eq!(
            vlan_name(NameType::RawPlusVidNoPad, b"eth0", 5).as_bytes(),
            b"eth0.5"
        );
        assert_eq!(
            vlan_name(NameType::RawPlusVid, b"eth1", 5).as_bytes(),
            b"eth1.0005"
        );
        assert_eq!(
            vlan_name(NameType::PlusVid, b"eth1", 5).as_bytes(),
            b"vlan0005"
        );
        assert_eq!(
            vlan_name(NameType::PlusVidNoPad, b"eth1", 4094).as_bytes(),
            b"vlan4094"
        );
        assert_eq!(
            vlan_name(NameType::RawPlusVid, b"e", 12345).as_bytes(),
            b"e.12345"
        );
        let long = vlan_name(NameType::RawPlusVidNoPad, b"averylongname0", 4094);
        assert_eq!(long.as_bytes(), b"averylongname0.");
        assert_eq!(long.as_bytes_with_nul().last(), Some(&0));
        for t in 0..4 {
            assert_eq!(NameType::from_raw(t).map(NameType::raw), Some(t));
        }
        assert_eq!(NameType::from_raw(4), None);
    }
}
