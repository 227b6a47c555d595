// SPDX-License-Identifier: GPL-2.0

//! The bonding options table, the pure half (C: `bond_options.c`: the
//! `bond_opts[]` table, its value tables, `bond_opt_parse`,
//! `bond_opt_check_deps`, `bond_opt_check_range`, `bond_opt_get_val`).
//!
//! One entry per option, in C's `enum` order: its name (the sysfs file
//! and the option name in messages), its flags (`BOND_OPTFLAG_*`), the
//! modes it is not supported in (`unsuppmodes`, a bit per `BOND_MODE_*`)
//! and its values (names such as `active-backup`, and the range bounds).
//! The driver's `bond_options.rs` applies a parsed value; netlink and
//! sysfs both go through [`parse`] and [`check_deps`].

use super::hash::XmitPolicy;

/// `BOND_OPTFLAG_NOSLAVES`: refused while the bond has slaves.
pub const NOSLAVES: u8 = 1 << 0;
/// `BOND_OPTFLAG_IFDOWN`: refused while the bond is up.
pub const IFDOWN: u8 = 1 << 1;
/// `BOND_OPTFLAG_RAWVAL`: the value is not parsed against a table.
pub const RAWVAL: u8 = 1 << 2;

/// `BOND_VALFLAG_DEFAULT`.
pub const DEFAULT: u8 = 1 << 0;
/// `BOND_VALFLAG_MIN`.
pub const MIN: u8 = 1 << 1;
/// `BOND_VALFLAG_MAX`.
pub const MAX: u8 = 1 << 2;

/// One named value (C: `struct bond_opt_value`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Val {
    /// The name accepted and shown (`active-backup`).
    pub name: &'static str,
    /// Its number.
    pub value: u64,
    /// `DEFAULT`, `MIN`, `MAX`.
    pub flags: u8,
}

const fn v(name: &'static str, value: u64, flags: u8) -> Val {
    Val { name, value, flags }
}

/// One option (C: `struct bond_option`).
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// `mode`, `miimon`, ...
    pub name: &'static str,
    /// `NOSLAVES`, `IFDOWN`, `RAWVAL`.
    pub flags: u8,
    /// Bit `m` set: not supported in mode `m` (`BOND_MODE_*`).
    pub unsuppmodes: u8,
    /// The named values and range bounds (empty for raw options).
    pub values: &'static [Val],
}

/// The modes (`BOND_MODE_*`, 0 to 6).
pub const MODE_ROUNDROBIN: u8 = 0;
/// `active-backup`.
pub const MODE_ACTIVEBACKUP: u8 = 1;
/// `balance-xor`.
pub const MODE_XOR: u8 = 2;
/// `broadcast`.
pub const MODE_BROADCAST: u8 = 3;
/// `802.3ad`.
pub const MODE_8023AD: u8 = 4;
/// `balance-tlb`.
pub const MODE_TLB: u8 = 5;
/// `balance-alb`.
pub const MODE_ALB: u8 = 6;

const ALL_MODES: u8 = 0x7f;
const fn all_except(modes: u8) -> u8 {
    ALL_MODES & !modes
}
const fn bit(m: u8) -> u8 {
    1 << m
}
const ARP_UNSUPP: u8 = bit(MODE_8023AD) | bit(MODE_TLB) | bit(MODE_ALB);
const PRIMARY_MODES: u8 = bit(MODE_ACTIVEBACKUP) | bit(MODE_TLB) | bit(MODE_ALB);

const INT_MAX: u64 = i32::MAX as u64;

static MODE_TBL: [Val; 7] = [
    v("balance-rr", 0, DEFAULT),
    v("active-backup", 1, 0),
    v("balance-xor", 2, 0),
    v("broadcast", 3, 0),
    v("802.3ad", 4, 0),
    v("balance-tlb", 5, 0),
    v("balance-alb", 6, 0),
];
static PPS_TBL: [Val; 2] = [v("default", 1, DEFAULT), v("maxval", 65535, MAX)];
static XMIT_HASH_TBL: [Val; 6] = [
    v("layer2", 0, DEFAULT),
    v("layer3+4", 1, 0),
    v("layer2+3", 2, 0),
    v("encap2+3", 3, 0),
    v("encap3+4", 4, 0),
    v("vlan+srcmac", 5, 0),
];
static ARP_VALIDATE_TBL: [Val; 7] = [
    v("none", 0, DEFAULT),
    v("active", 1, 0),
    v("backup", 2, 0),
    v("all", 3, 0),
    v("filter", 4, 0),
    v("filter_active", 5, 0),
    v("filter_backup", 6, 0),
];
static ARP_ALL_TARGETS_TBL: [Val; 2] = [v("any", 0, DEFAULT), v("all", 1, 0)];
static FAIL_OVER_MAC_TBL: [Val; 3] = [v("none", 0, DEFAULT), v("active", 1, 0), v("follow", 2, 0)];
static INTMAX_TBL: [Val; 2] = [v("off", 0, DEFAULT), v("maxval", INT_MAX, MAX)];
static LACP_ACTIVE_TBL: [Val; 2] = [v("off", 0, 0), v("on", 1, DEFAULT)];
static LACP_RATE_TBL: [Val; 2] = [v("slow", 0, 0), v("fast", 1, 0)];
static AD_SELECT_TBL: [Val; 3] = [
    v("stable", 0, DEFAULT),
    v("bandwidth", 1, 0),
    v("count", 2, 0),
];
static NUM_PEER_NOTIF_TBL: [Val; 3] = [
    v("off", 0, 0),
    v("maxval", 255, MAX),
    v("default", 1, DEFAULT),
];
static PEER_NOTIF_DELAY_TBL: [Val; 2] = [v("off", 0, 0), v("maxval", 300000, MAX)];
static PRIMARY_RESELECT_TBL: [Val; 3] = [
    v("always", 0, DEFAULT),
    v("better", 1, 0),
    v("failure", 2, 0),
];
static USE_CARRIER_TBL: [Val; 2] = [v("off", 0, 0), v("on", 1, DEFAULT)];
static ALL_SLAVES_ACTIVE_TBL: [Val; 2] = [v("off", 0, DEFAULT), v("on", 1, 0)];
static RESEND_IGMP_TBL: [Val; 3] = [
    v("off", 0, 0),
    v("maxval", 255, MAX),
    v("default", 1, DEFAULT),
];
static LP_INTERVAL_TBL: [Val; 2] = [v("minval", 1, MIN | DEFAULT), v("maxval", INT_MAX, MAX)];
static TLB_DYNAMIC_LB_TBL: [Val; 2] = [v("off", 0, 0), v("on", 1, DEFAULT)];
static AD_ACTOR_SYS_PRIO_TBL: [Val; 2] = [v("minval", 1, MIN), v("maxval", 65535, MAX | DEFAULT)];
static AD_USER_PORT_KEY_TBL: [Val; 2] = [v("minval", 0, MIN | DEFAULT), v("maxval", 1023, MAX)];
static MISSED_MAX_TBL: [Val; 3] = [
    v("minval", 1, MIN),
    v("maxval", 255, MAX),
    v("default", 2, DEFAULT),
];
static COUPLED_CONTROL_TBL: [Val; 2] = [v("on", 1, DEFAULT), v("off", 0, 0)];

/// The options (C: `enum { BOND_OPT_MODE, ... }`), in C's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum Opt {
    /// `mode`.
    Mode,
    /// `packets_per_slave`.
    PacketsPerSlave,
    /// `xmit_hash_policy`.
    XmitHash,
    /// `arp_validate`.
    ArpValidate,
    /// `arp_all_targets`.
    ArpAllTargets,
    /// `fail_over_mac`.
    FailOverMac,
    /// `arp_interval`.
    ArpInterval,
    /// `arp_ip_target`.
    ArpTargets,
    /// `downdelay`.
    Downdelay,
    /// `updelay`.
    Updelay,
    /// `lacp_rate`.
    LacpRate,
    /// `min_links`.
    MinLinks,
    /// `ad_select`.
    AdSelect,
    /// `num_unsol_na`.
    NumPeerNotif,
    /// `miimon`.
    Miimon,
    /// `primary`.
    Primary,
    /// `primary_reselect`.
    PrimaryReselect,
    /// `use_carrier`.
    UseCarrier,
    /// `active_slave`.
    ActiveSlave,
    /// `queue_id`.
    QueueId,
    /// `all_slaves_active`.
    AllSlavesActive,
    /// `resend_igmp`.
    ResendIgmp,
    /// `lp_interval`.
    LpInterval,
    /// `slaves`.
    Slaves,
    /// `tlb_dynamic_lb`.
    TlbDynamicLb,
    /// `ad_actor_sys_prio`.
    AdActorSysPrio,
    /// `ad_actor_system`.
    AdActorSystem,
    /// `ad_user_port_key`.
    AdUserPortKey,
    /// `num_grat_arp`.
    NumGratArp,
    /// `peer_notif_delay`.
    PeerNotifDelay,
    /// `lacp_active`.
    LacpActive,
    /// `arp_missed_max`.
    MissedMax,
    /// `ns_ip6_target`.
    NsTargets,
    /// `coupled_control`.
    CoupledControl,
}

const fn spec(name: &'static str, flags: u8, unsuppmodes: u8, values: &'static [Val]) -> Spec {
    Spec {
        name,
        flags,
        unsuppmodes,
        values,
    }
}

/// The table, indexed by [`Opt`].
pub static OPTS: [Spec; 34] = [
    spec("mode", NOSLAVES | IFDOWN, 0, &MODE_TBL),
    spec(
        "packets_per_slave",
        0,
        all_except(bit(MODE_ROUNDROBIN)),
        &PPS_TBL,
    ),
    spec("xmit_hash_policy", 0, 0, &XMIT_HASH_TBL),
    spec("arp_validate", 0, ARP_UNSUPP, &ARP_VALIDATE_TBL),
    spec("arp_all_targets", 0, 0, &ARP_ALL_TARGETS_TBL),
    spec("fail_over_mac", NOSLAVES, 0, &FAIL_OVER_MAC_TBL),
    spec("arp_interval", 0, ARP_UNSUPP, &INTMAX_TBL),
    spec("arp_ip_target", RAWVAL, 0, &[]),
    spec("downdelay", 0, 0, &INTMAX_TBL),
    spec("updelay", 0, 0, &INTMAX_TBL),
    spec(
        "lacp_rate",
        IFDOWN,
        all_except(bit(MODE_8023AD)),
        &LACP_RATE_TBL,
    ),
    spec("min_links", 0, 0, &INTMAX_TBL),
    spec("ad_select", IFDOWN, 0, &AD_SELECT_TBL),
    spec("num_unsol_na", 0, 0, &NUM_PEER_NOTIF_TBL),
    spec("miimon", 0, 0, &INTMAX_TBL),
    spec("primary", RAWVAL, all_except(PRIMARY_MODES), &[]),
    spec("primary_reselect", 0, 0, &PRIMARY_RESELECT_TBL),
    spec("use_carrier", 0, 0, &USE_CARRIER_TBL),
    spec("active_slave", RAWVAL, all_except(PRIMARY_MODES), &[]),
    spec("queue_id", RAWVAL, 0, &[]),
    spec("all_slaves_active", 0, 0, &ALL_SLAVES_ACTIVE_TBL),
    spec("resend_igmp", 0, 0, &RESEND_IGMP_TBL),
    spec("lp_interval", 0, 0, &LP_INTERVAL_TBL),
    spec("slaves", RAWVAL, 0, &[]),
    spec(
        "tlb_dynamic_lb",
        IFDOWN,
        all_except(bit(MODE_TLB) | bit(MODE_ALB)),
        &TLB_DYNAMIC_LB_TBL,
    ),
    spec(
        "ad_actor_sys_prio",
        0,
        all_except(bit(MODE_8023AD)),
        &AD_ACTOR_SYS_PRIO_TBL,
    ),
    spec("ad_actor_system", RAWVAL, all_except(bit(MODE_8023AD)), &[]),
    spec(
        "ad_user_port_key",
        IFDOWN,
        all_except(bit(MODE_8023AD)),
        &AD_USER_PORT_KEY_TBL,
    ),
    spec("num_grat_arp", 0, 0, &NUM_PEER_NOTIF_TBL),
    spec("peer_notif_delay", 0, 0, &PEER_NOTIF_DELAY_TBL),
    spec(
        "lacp_active",
        IFDOWN,
        all_except(bit(MODE_8023AD)),
        &LACP_ACTIVE_TBL,
    ),
    spec("arp_missed_max", 0, ARP_UNSUPP, &MISSED_MAX_TBL),
    spec("ns_ip6_target", RAWVAL, 0, &[]),
    spec(
        "coupled_control",
        IFDOWN,
        all_except(bit(MODE_8023AD)),
        &COUPLED_CONTROL_TBL,
    ),
];

impl Opt {
    /// Every option, in table order.
    pub const ALL: [Opt; 34] = [
        Opt::Mode,
        Opt::PacketsPerSlave,
        Opt::XmitHash,
        Opt::ArpValidate,
        Opt::ArpAllTargets,
        Opt::FailOverMac,
        Opt::ArpInterval,
        Opt::ArpTargets,
        Opt::Downdelay,
        Opt::Updelay,
        Opt::LacpRate,
        Opt::MinLinks,
        Opt::AdSelect,
        Opt::NumPeerNotif,
        Opt::Miimon,
        Opt::Primary,
        Opt::PrimaryReselect,
        Opt::UseCarrier,
        Opt::ActiveSlave,
        Opt::QueueId,
        Opt::AllSlavesActive,
        Opt::ResendIgmp,
        Opt::LpInterval,
        Opt::Slaves,
        Opt::TlbDynamicLb,
        Opt::AdActorSysPrio,
        Opt::AdActorSystem,
        Opt::AdUserPortKey,
        Opt::NumGratArp,
        Opt::PeerNotifDelay,
        Opt::LacpActive,
        Opt::MissedMax,
        Opt::NsTargets,
        Opt::CoupledControl,
    ];

    /// Its table entry.
    pub fn spec(self) -> &'static Spec {
        &OPTS[self as usize]
    }

    /// The option named `name` (`bond_opt_get_by_name`).
    pub fn by_name(name: &str) -> Option<Opt> {
        Opt::ALL.iter().copied().find(|o| o.spec().name == name)
    }

    /// The default value (`BOND_VALFLAG_DEFAULT`), if the table has one.
    pub fn default_value(self) -> Option<u64> {
        flagged(self.spec(), DEFAULT).map(|v| v.value)
    }

    /// The name of value `value` (`bond_opt_get_val`), for the shows
    /// "NAME VALUE".
    pub fn value_name(self, value: u64) -> Option<&'static str> {
        self.spec()
            .values
            .iter()
            .find(|v| v.value == value)
            .map(|v| v.name)
    }

    /// The range C prints with an invalid value ("allowed values MIN -
    /// MAX"): only for options whose table has a maximum.
    pub fn range(self) -> Option<(u64, u64)> {
        let s = self.spec();
        let max = flagged(s, MAX)?;
        Some((flagged(s, MIN).map_or(0, |v| v.value), max.value))
    }
}

fn flagged(s: &Spec, flag: u8) -> Option<&'static Val> {
    s.values.iter().find(|v| v.flags & flag != 0)
}

/// A value to set: a number (netlink) or the text written (sysfs).
#[derive(Clone, Copy, Debug)]
pub enum Input<'a> {
    /// A number (C: `bond_opt_initval`).
    Num(u64),
    /// Text (C: `bond_opt_initstr`), newline included.
    Str(&'a str),
}

/// `bond_opt_parse`: the value of `input` for a table option: a number
/// exactly in the table or within its range, or a value's name (or
/// `default`). `None` for anything else (C's `EINVAL`). Raw options are
/// not parsed here (`None`).
pub fn parse(opt: Opt, input: Input<'_>) -> Option<u64> {
    let s = opt.spec();
    if s.flags & RAWVAL != 0 || s.values.is_empty() {
        return None;
    }
    let num = match input {
        Input::Num(n) => Some(n),
        Input::Str(text) => {
            let text = text.split('\n').next().unwrap_or("");
            let numeric = text
                .bytes()
                .all(|c| c.is_ascii_digit() || c.is_ascii_whitespace());
            if numeric {
                // sscanf("%llu"): leading spaces, then digits; nothing
                // converted (only spaces) is not a match.
                Some(scan_u64(text)?)
            } else {
                // sscanf("%32s"): the first word, at most 32 bytes.
                let word = text.split_ascii_whitespace().next()?;
                let word = word.get(..word.len().min(32)).unwrap_or(word);
                let mut found = None;
                for val in s.values {
                    if (word == "default" && val.flags & DEFAULT != 0) || word == val.name {
                        found = Some(val.value);
                        break;
                    }
                }
                return found;
            }
        }
    };
    let n = num?;
    if s.values.iter().any(|val| val.value == n) {
        return Some(n);
    }
    let (min, max) = opt.range()?;
    (n >= min && n <= max).then_some(n)
}

/// `sscanf(s, "%llu")` on a string of digits and spaces: the first run
/// of digits after leading spaces (wrapping as `strtoull` saturates: C
/// gives `ULLONG_MAX`, which no range accepts).
fn scan_u64(s: &str) -> Option<u64> {
    let t = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let digits = t.bytes().take_while(u8::is_ascii_digit);
    let mut n: u64 = 0;
    let mut any = false;
    for d in digits {
        any = true;
        n = n.saturating_mul(10).saturating_add(u64::from(d - b'0'));
    }
    any.then_some(n)
}

/// Why an option cannot be set now (`bond_opt_check_deps`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dep {
    /// Not supported in the current mode (`EACCES`).
    Mode,
    /// The bond has slaves (`ENOTEMPTY`).
    Slaves,
    /// The bond is up (`EBUSY`).
    Up,
}

/// `bond_opt_check_deps`: `mode` is the bond's mode (`BOND_MODE_*`).
pub fn check_deps(opt: Opt, mode: u8, has_slaves: bool, up: bool) -> Result<(), Dep> {
    let s = opt.spec();
    if mode < 8 && s.unsuppmodes & bit(mode) != 0 {
        return Err(Dep::Mode);
    }
    if s.flags & NOSLAVES != 0 && has_slaves {
        return Err(Dep::Slaves);
    }
    if s.flags & IFDOWN != 0 && up {
        return Err(Dep::Up);
    }
    Ok(())
}

/// `__bond_xdp_check`: whether native XDP works in `mode` (`BOND_MODE_*`)
/// with the transmit hash policy `policy` (balance-rr, active-backup, and
/// balance-xor/802.3ad unless they hash over `vlan+srcmac`, whose 802.1q
/// tag is mostly not in an XDP frame).
pub fn xdp_native(mode: u8, policy: XmitPolicy) -> bool {
    match mode {
        MODE_ROUNDROBIN | MODE_ACTIVEBACKUP => true,
        MODE_XOR | MODE_8023AD => policy != XmitPolicy::VlanSrcMac,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xdp_native_modes_and_policies() {
        for p in [XmitPolicy::Layer2, XmitPolicy::Layer34, XmitPolicy::Encap34] {
            assert!(xdp_native(MODE_ROUNDROBIN, p));
            assert!(xdp_native(MODE_ACTIVEBACKUP, p));
            assert!(xdp_native(MODE_XOR, p));
            assert!(xdp_native(MODE_8023AD, p));
            assert!(!xdp_native(MODE_BROADCAST, p));
            assert!(!xdp_native(MODE_TLB, p));
            assert!(!xdp_native(MODE_ALB, p));
        }
        assert!(!xdp_native(MODE_XOR, XmitPolicy::VlanSrcMac));
        assert!(!xdp_native(MODE_8023AD, XmitPolicy::VlanSrcMac));
        assert!(xdp_native(MODE_ROUNDROBIN, XmitPolicy::VlanSrcMac));
        assert!(!xdp_native(7, XmitPolicy::Layer2));
    }

    #[test]
    fn table_is_in_enum_order() {
        for (i, o) in Opt::ALL.iter().enumerate() {
            assert_eq!(*o as usize, i);
            assert_eq!(Opt::by_name(o.spec().name), Some(*o));
        }
    }

    #[test]
    fn parse_names_numbers_and_ranges() {
        assert_eq!(parse(Opt::Mode, Input::Str("active-backup\n")), Some(1));
        assert_eq!(parse(Opt::Mode, Input::Str("1\n")), Some(1));
        assert_eq!(parse(Opt::Mode, Input::Str(" 4")), Some(4));
        assert_eq!(parse(Opt::Mode, Input::Str("7")), None);
        assert_eq!(parse(Opt::Mode, Input::Str("default")), Some(0));
        assert_eq!(parse(Opt::Mode, Input::Str("bogus")), None);
        assert_eq!(parse(Opt::Mode, Input::Str("")), None);
        assert_eq!(parse(Opt::Mode, Input::Num(6)), Some(6));
        assert_eq!(parse(Opt::Miimon, Input::Str("100")), Some(100));
        assert_eq!(parse(Opt::Miimon, Input::Str("off")), Some(0));
        assert_eq!(parse(Opt::Miimon, Input::Str("-1")), None);
        assert_eq!(parse(Opt::Miimon, Input::Str("2147483648")), None);
        assert_eq!(
            parse(Opt::Miimon, Input::Str("99999999999999999999999")),
            None
        );
        assert_eq!(parse(Opt::Miimon, Input::Str("100x")), None);
        assert_eq!(parse(Opt::PacketsPerSlave, Input::Str("0")), Some(0));
        assert_eq!(parse(Opt::PacketsPerSlave, Input::Str("65536")), None);
        assert_eq!(parse(Opt::AdActorSysPrio, Input::Num(0)), None);
        assert_eq!(
            parse(Opt::AdActorSysPrio, Input::Str("maxval")),
            Some(65535)
        );
        assert_eq!(parse(Opt::MissedMax, Input::Str("0")), None);
        assert_eq!(parse(Opt::MissedMax, Input::Str("default")), Some(2));
        // "1 2": digits and spaces, sscanf takes the first number.
        assert_eq!(parse(Opt::Miimon, Input::Str("1 2")), Some(1));
        // A table without a maximum has no range.
        assert_eq!(parse(Opt::LacpRate, Input::Str("2")), None);
        assert_eq!(parse(Opt::LacpRate, Input::Str("fast")), Some(1));
        assert_eq!(parse(Opt::Primary, Input::Str("eth0")), None);
    }

    #[test]
    fn deps_as_c() {
        assert_eq!(
            check_deps(Opt::LacpRate, MODE_ACTIVEBACKUP, false, false),
            Err(Dep::Mode)
        );
        assert_eq!(
            check_deps(Opt::LacpRate, MODE_8023AD, false, true),
            Err(Dep::Up)
        );
        assert_eq!(check_deps(Opt::Mode, 0, true, true), Err(Dep::Slaves));
        assert_eq!(check_deps(Opt::Mode, 0, false, true), Err(Dep::Up));
        assert_eq!(check_deps(Opt::Miimon, MODE_8023AD, true, true), Ok(()));
        assert_eq!(
            check_deps(Opt::ArpInterval, MODE_8023AD, false, false),
            Err(Dep::Mode)
        );
        assert_eq!(
            check_deps(Opt::Primary, MODE_XOR, false, false),
            Err(Dep::Mode)
        );
    }

    #[test]
    fn names_defaults_ranges() {
        assert_eq!(Opt::Mode.value_name(1), Some("active-backup"));
        assert_eq!(Opt::XmitHash.value_name(5), Some("vlan+srcmac"));
        assert_eq!(Opt::UseCarrier.default_value(), Some(1));
        assert_eq!(Opt::LpInterval.default_value(), Some(1));
        assert_eq!(Opt::FailOverMac.default_value(), Some(0));
        assert_eq!(Opt::Miimon.range(), Some((0, i32::MAX as u64)));
        assert_eq!(Opt::MissedMax.range(), Some((1, 255)));
        assert_eq!(Opt::Mode.range(), None);
    }
}
