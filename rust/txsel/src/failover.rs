// SPDX-License-Identifier: GPL-2.0

//! The bond's failover rules that need no kernel (C: `bond_main.c`):
//! the `fail_over_mac` policies (`BOND_FOM_*`), the peer notification
//! counter (`send_peer_notif`, `bond_should_notify_peers`) and the
//! IGMP resend count (`igmp_retrans`).

/// `fail_over_mac none` (`BOND_FOM_NONE`): every slave takes the bond's
/// address.
pub const FOM_NONE: u8 = 0;
/// `fail_over_mac active` (`BOND_FOM_ACTIVE`): the bond takes the active
/// slave's address.
pub const FOM_ACTIVE: u8 = 1;
/// `fail_over_mac follow` (`BOND_FOM_FOLLOW`): the active slave takes the
/// bond's address, the one it replaces takes the new one's.
pub const FOM_FOLLOW: u8 = 2;

/// `send_peer_notif` set by a failover: `num_peer_notif` notifications,
/// one every `delay` monitor ticks (`peer_notif_delay` in ticks, 0 as 1).
pub fn peer_notif_count(num_peer_notif: u8, delay: u32) -> u32 {
    u32::from(num_peer_notif).saturating_mul(delay.max(1))
}

/// The counter part of `bond_should_notify_peers`: a notification is due
/// when some are left and the count is a multiple of the delay.
pub fn peer_notif_due(left: u32, delay: u32) -> bool {
    left != 0 && left % delay.max(1) == 0
}

/// One MII monitor tick (`bond_mii_monitor`): whether it notifies, and
/// the count left (decremented every tick while non-zero).
pub fn mii_tick(left: u32, delay: u32) -> (bool, u32) {
    (peer_notif_due(left, delay), left.saturating_sub(1))
}

/// One ARP monitor tick of active-backup (`bond_activebackup_arp_mon`):
/// the count only goes down when a notification is sent.
pub fn arp_tick(left: u32, delay: u32) -> (bool, u32) {
    if peer_notif_due(left, delay) {
        (true, left - 1)
    } else {
        (false, left)
    }
}

/// `bond_resend_igmp_join_requests_delayed`: after one resend, whether
/// another follows (200 ms later) and the count left.
pub fn igmp_next(retrans: u8) -> (bool, u8) {
    if retrans > 1 {
        (true, retrans - 1)
    } else {
        (false, retrans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ticks (0: the one whose commit fails over) at which the MII
    /// monitor path notifies. As C's `bond_mii_monitor`, the failover
    /// tick decrements once more after the change's own notification,
    /// without notifying (its `should_notify_peers` was computed before
    /// the commit).
    fn mii_schedule(num: u8, delay: u32) -> Vec<u32> {
        let mut left = peer_notif_count(num, delay);
        let mut out = Vec::new();
        // The failover: notified and decremented at once when due.
        if peer_notif_due(left, delay) {
            out.push(0);
            left -= 1;
        }
        // The rest of that tick.
        left = mii_tick(left, delay).1;
        let mut tick = 1;
        while left != 0 {
            let (n, l) = mii_tick(left, delay);
            if n {
                out.push(tick);
            }
            left = l;
            tick += 1;
        }
        out
    }

    #[test]
    fn defaults_notify_once() {
        assert_eq!(mii_schedule(1, 0), vec![0]);
        assert_eq!(mii_schedule(0, 0), Vec::<u32>::new());
    }

    #[test]
    fn count_and_spacing() {
        for num in 0..=20u8 {
            for delay in 0..=7u32 {
                let s = mii_schedule(num, delay);
                // C loses one notification to the failover tick unless
                // the delay spaces them.
                let want = match (num, delay) {
                    (0, _) => 0,
                    (1, _) => 1,
                    (n, 0 | 1) => usize::from(n) - 1,
                    (n, _) => usize::from(n),
                };
                assert_eq!(s.len(), want, "num {num} delay {delay}");
                for w in s.windows(2).skip(1) {
                    assert_eq!(w[1] - w[0], delay.max(1));
                }
            }
        }
        assert_eq!(mii_schedule(3, 0), vec![0, 1]);
        assert_eq!(mii_schedule(2, 3), vec![0, 2]);
        assert_eq!(mii_schedule(3, 3), vec![0, 2, 5]);
    }

    #[test]
    fn arp_tick_waits_for_due() {
        // Only a due count moves: a count that is not due stays.
        assert_eq!(arp_tick(5, 2), (false, 5));
        assert_eq!(arp_tick(4, 2), (true, 3));
        assert_eq!(arp_tick(0, 0), (false, 0));
        let mut left = peer_notif_count(3, 1);
        let mut sent = 0;
        while left != 0 {
            let (n, l) = arp_tick(left, 1);
            sent += u32::from(n);
            left = l;
        }
        assert_eq!(sent, 3);
    }

    #[test]
    fn igmp_resends() {
        for r in 1..=255u8 {
            let (mut more, mut left) = (true, r);
            let mut sent = 0;
            while more {
                sent += 1;
                (more, left) = igmp_next(left);
            }
            assert_eq!(sent, u32::from(r));
        }
        assert_eq!(peer_notif_count(255, u32::MAX), u32::MAX);
    }
}
