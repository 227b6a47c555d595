// SPDX-License-Identifier: GPL-2.0

//! The MII link monitor's per-slave state machine, one tick at a time (C:
//! `bond_miimon_inspect` and the link half of `bond_miimon_commit`,
//! drivers/net/bonding/bond_main.c).
//!
//! A slave whose carrier goes away moves `Up -> Fail` and, once its
//! downdelay (in monitor ticks) has run out, `Fail -> Down`; a carrier that
//! comes back moves `Down -> Back` and, after the updelay, `Back -> Up`. A
//! carrier that returns during the downdelay goes straight back to `Up`,
//! one lost during the updelay straight back to `Down`.
//!
//! `ignore_updelay` is C's flag of the same name: while the bond has nothing
//! to transmit on (no active slave in active-backup, no usable slave in the
//! hash modes), the first slave found coming back skips its updelay, and
//! the flag is cleared for the rest of the tick.

use super::LinkState;

/// The bond's delays, in monitor ticks (`params.updelay`/`downdelay`,
/// which C keeps in ticks too).
#[derive(Clone, Copy, Debug, Default)]
pub struct Delays {
    /// Ticks a returning carrier must stay up before the slave is used.
    pub updelay: i32,
    /// Ticks a lost carrier may stay lost before the slave is given up.
    pub downdelay: i32,
}

/// A slave's monitor state: its link state and the ticks left of the delay
/// that is running (`slave->link`, `slave->delay`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlaveLink {
    /// `slave->link`.
    pub link: LinkState,
    /// `slave->delay`.
    pub delay: i32,
}

/// What C's `bond_miimon_inspect` logs (ratelimited) when a tick moves a
/// slave's state, with the delay it names in ticks (the caller multiplies
/// by `miimon` for C's milliseconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Said {
    /// `Up -> Fail` with a downdelay: "link status down for %sinterface,
    /// disabling it in %d ms" (the downdelay).
    DownFor(i32),
    /// `Fail -> Up`: "link status up again after %d ms" (the ticks the
    /// downdelay ran).
    UpAgain(i32),
    /// `Down -> Back` with an updelay: "link status up, enabling it in %d
    /// ms" (the updelay, 0 when `ignore_updelay` skips it).
    Enabling(i32),
    /// `Back -> Down`: "link status down again after %d ms" (the ticks the
    /// updelay ran).
    DownAgain(i32),
}

/// One tick for one slave whose carrier is `carrier_up`; returns its next
/// state. Slaves are stepped in list order with one `ignore_updelay` flag.
pub fn step(s: SlaveLink, carrier_up: bool, d: Delays, ignore_updelay: &mut bool) -> SlaveLink {
    advance(s, carrier_up, d, ignore_updelay).0
}

/// [`step`], with what C logs for the move, if anything.
pub fn advance(
    s: SlaveLink,
    carrier_up: bool,
    d: Delays,
    ignore_updelay: &mut bool,
) -> (SlaveLink, Option<Said>) {
    let SlaveLink {
        mut link,
        mut delay,
    } = s;
    let mut said = None;
    if link == LinkState::Up && !carrier_up {
        link = LinkState::Fail;
        delay = d.downdelay;
        if delay != 0 {
            said = Some(Said::DownFor(d.downdelay));
        }
    } else if link == LinkState::Down && carrier_up {
        link = LinkState::Back;
        delay = d.updelay;
        if delay != 0 {
            said = Some(Said::Enabling(if *ignore_updelay { 0 } else { d.updelay }));
        }
    }
    if link == LinkState::Back && carrier_up && *ignore_updelay {
        delay = 0;
    }
    let next = match link {
        LinkState::Fail if carrier_up => {
            said = Some(Said::UpAgain(d.downdelay - delay));
            LinkState::Up
        }
        LinkState::Fail if delay <= 0 => LinkState::Down,
        LinkState::Back if !carrier_up => {
            said = Some(Said::DownAgain(d.updelay - delay));
            LinkState::Down
        }
        LinkState::Back if delay <= 0 => LinkState::Up,
        LinkState::Fail | LinkState::Back => {
            delay -= 1;
            link
        }
        l => l,
    };
    if link == LinkState::Back && next == LinkState::Up {
        *ignore_updelay = false;
    }
    (SlaveLink { link: next, delay }, said)
}

/// Whether a slave in this state has work to do at the next tick (the
/// monitor takes RTNL only then).
pub fn pending(link: LinkState, carrier_up: bool) -> bool {
    match link {
        LinkState::Up => !carrier_up,
        LinkState::Down => carrier_up,
        LinkState::Fail | LinkState::Back => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LinkState::*;

    fn run(mut s: SlaveLink, carrier: &[bool], d: Delays) -> Vec<LinkState> {
        carrier
            .iter()
            .map(|&c| {
                s = step(s, c, d, &mut false);
                s.link
            })
            .collect()
    }

    fn up() -> SlaveLink {
        SlaveLink { link: Up, delay: 0 }
    }

    fn down() -> SlaveLink {
        SlaveLink {
            link: Down,
            delay: 0,
        }
    }

    fn said(mut s: SlaveLink, carrier: &[bool], d: Delays, ignore: bool) -> Vec<Option<Said>> {
        let mut ignore = ignore;
        carrier
            .iter()
            .map(|&c| {
                let (n, said) = advance(s, c, d, &mut ignore);
                s = n;
                said
            })
            .collect()
    }

    #[test]
    fn said_follows_c_inspect() {
        let d = Delays {
            updelay: 3,
            downdelay: 5,
        };
        // Down for 5 ticks, back after 2 ticks of the downdelay.
        let t = said(up(), &[false, false, true, true], d, false);
        assert_eq!(
            t,
            [Some(Said::DownFor(5)), None, Some(Said::UpAgain(2)), None]
        );
        // Enabling in 3, down again after 2.
        let t = said(down(), &[true, true, false], d, false);
        assert_eq!(t, [Some(Said::Enabling(3)), None, Some(Said::DownAgain(2))]);
        // C names 0 ms when ignore_updelay skips the updelay.
        let t = said(down(), &[true], d, true);
        assert_eq!(t, [Some(Said::Enabling(0))]);
    }

    #[test]
    fn said_nothing_without_delays() {
        let t = said(up(), &[false, true, false], Delays::default(), false);
        assert_eq!(t, [None, None, None]);
    }

    #[test]
    fn no_delays_follow_the_carrier_at_once() {
        let d = Delays::default();
        let t = run(up(), &[false, false, true, true, false], d);
        assert_eq!(t, [Down, Down, Up, Up, Down]);
    }

    #[test]
    fn downdelay_counts_ticks_then_gives_up() {
        let d = Delays {
            updelay: 0,
            downdelay: 2,
        };
        // Fail (delay 2 -> 1), Fail (1 -> 0), Down.
        let t = run(up(), &[false, false, false, false], d);
        assert_eq!(t, [Fail, Fail, Down, Down]);
    }

    #[test]
    fn carrier_back_during_downdelay_is_up_again() {
        let d = Delays {
            updelay: 0,
            downdelay: 5,
        };
        let t = run(up(), &[false, false, true], d);
        assert_eq!(t, [Fail, Fail, Up]);
    }

    #[test]
    fn updelay_counts_ticks_then_uses_the_slave() {
        let d = Delays {
            updelay: 3,
            downdelay: 0,
        };
        let t = run(down(), &[true, true, true, true, true], d);
        assert_eq!(t, [Back, Back, Back, Up, Up]);
    }

    #[test]
    fn carrier_lost_during_updelay_is_down_again() {
        let d = Delays {
            updelay: 3,
            downdelay: 0,
        };
        let t = run(down(), &[true, false], d);
        assert_eq!(t, [Back, Down]);
    }

    #[test]
    fn ignore_updelay_lets_only_the_first_returning_slave_skip_it() {
        let d = Delays {
            updelay: 50,
            downdelay: 0,
        };
        let mut ignore = true;
        let a = step(down(), true, d, &mut ignore);
        let b = step(down(), true, d, &mut ignore);
        assert_eq!(a, SlaveLink { link: Up, delay: 0 });
        assert_eq!(
            b,
            SlaveLink {
                link: Back,
                delay: 49
            }
        );
        assert!(!ignore);
    }

    #[test]
    fn ignore_updelay_is_kept_past_slaves_that_are_not_returning() {
        let d = Delays {
            updelay: 50,
            downdelay: 0,
        };
        let mut ignore = true;
        let a = step(down(), false, d, &mut ignore);
        let b = step(
            SlaveLink {
                link: Back,
                delay: 30,
            },
            true,
            d,
            &mut ignore,
        );
        assert_eq!(a.link, Down);
        assert_eq!(b, SlaveLink { link: Up, delay: 0 });
    }

    #[test]
    fn pending_only_when_something_moves() {
        assert!(!pending(Up, true));
        assert!(pending(Up, false));
        assert!(!pending(Down, false));
        assert!(pending(Down, true));
        assert!(pending(Fail, true) && pending(Back, false));
    }
}
