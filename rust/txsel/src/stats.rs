// SPDX-License-Identifier: GPL-2.0

//! A master's statistics folded from its lower devices' (C bonding's
//! `bond_fold_stats`): each counter grows by how much the lower device's
//! grew since the last look, so a lower device that leaves takes nothing
//! back and one whose counters were reset (some drivers reset them on
//! down/up) adds nothing until they pass the old value.

/// Adds to `res` each counter's growth from `old` to `new` (counters in
/// `struct rtnl_link_stats64` order; the shortest of the three slices
/// bounds the walk). A counter whose two values fit in 32 bits is taken
/// as a 32-bit counter that may have wrapped; a negative change is
/// ignored, as C does.
pub fn fold(res: &mut [u64], new: &[u64], old: &[u64]) {
    for ((r, &nv), &ov) in res.iter_mut().zip(new).zip(old) {
        let mut delta = nv.wrapping_sub(ov) as i64;
        if (nv | ov) >> 32 == 0 {
            delta = i64::from((nv as u32).wrapping_sub(ov as u32) as i32);
        }
        if delta > 0 {
            *r = r.wrapping_add(delta as u64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn grows_by_the_difference() {
        let mut r = [10, 0, 5];
        fold(&mut r, &[7, 3, 5], &[2, 3, 1]);
        assert_eq!(r, [15, 0, 9]);
    }

    #[test]
    fn a_reset_adds_nothing() {
        let mut r = [100];
        fold(&mut r, &[3], &[50]);
        assert_eq!(r, [100]);
    }

    #[test]
    fn a_32_bit_counter_wraps() {
        let mut r = [0];
        fold(&mut r, &[5], &[0xffff_fff0]);
        assert_eq!(r, [0x15]);
    }

    #[test]
    fn a_64_bit_counter_does_not_wrap_at_32_bits() {
        let mut r = [0];
        fold(&mut r, &[0x1_0000_0005], &[0xffff_fff0]);
        assert_eq!(r, [0x15]);
        let mut r = [7];
        fold(&mut r, &[1], &[0x1_0000_0000]);
        assert_eq!(r, [7]);
    }
}
