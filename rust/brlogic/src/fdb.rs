// SPDX-License-Identifier: GPL-2.0

//! The forwarding database's key hash and ageing rule (C: br_fdb.c).

/// Entry flags (`BR_FDB_*` bit numbers as masks).
pub mod flag {
    /// `BR_FDB_LOCAL`: an address of the bridge or a port: delivered up.
    pub const LOCAL: u32 = 1 << 0;
    /// `BR_FDB_STATIC`: never aged.
    pub const STATIC: u32 = 1 << 1;
    /// `BR_FDB_STICKY`: never moves to another port.
    pub const STICKY: u32 = 1 << 2;
    /// `BR_FDB_ADDED_BY_USER`.
    pub const ADDED_BY_USER: u32 = 1 << 3;
    /// `BR_FDB_ADDED_BY_EXT_LEARN`.
    pub const ADDED_BY_EXT_LEARN: u32 = 1 << 4;
    /// `BR_FDB_OFFLOADED`.
    pub const OFFLOADED: u32 = 1 << 5;
    /// `BR_FDB_NOTIFY`.
    pub const NOTIFY: u32 = 1 << 6;
    /// `BR_FDB_NOTIFY_INACTIVE`.
    pub const NOTIFY_INACTIVE: u32 = 1 << 7;
    /// `BR_FDB_LOCKED`.
    pub const LOCKED: u32 = 1 << 8;
    /// `BR_FDB_DYNAMIC_LEARNED`: counted against `fdb_max_learned`.
    pub const DYNAMIC_LEARNED: u32 = 1 << 9;
}

/// The hash of an (address, VLAN) key with a per-bridge salt (jhash-like
/// mixing; only the distribution matters).
pub fn hash(addr: &[u8; 6], vid: u16, salt: u32) -> u32 {
    let a = u32::from_le_bytes([addr[0], addr[1], addr[2], addr[3]]);
    let b = u32::from(u16::from_le_bytes([addr[4], addr[5]])) | (u32::from(vid) << 16);
    let mut h = salt ^ 0x9e37_79b9;
    for w in [a, b] {
        h ^= w;
        h = h.wrapping_mul(0x85eb_ca6b);
        h ^= h >> 13;
        h = h.wrapping_mul(0xc2b2_ae35);
        h ^= h >> 16;
    }
    h
}

/// `has_expired`: a dynamic entry last updated at `updated` is gone when
/// `hold` jiffies have passed (static and externally learned entries never
/// expire; `now` may have wrapped).
pub fn expired(flags: u32, updated: u64, hold: u64, now: u64) -> bool {
    flags & (flag::STATIC | flag::ADDED_BY_EXT_LEARN) == 0 && now.wrapping_sub(updated) > hold
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry() {
        assert!(!expired(0, 100, 300, 400));
        assert!(expired(0, 100, 300, 401));
        assert!(!expired(flag::STATIC, 100, 300, 10_000));
        assert!(!expired(flag::ADDED_BY_EXT_LEARN, 100, 300, 10_000));
        // Across a wrap of the counter.
        assert!(!expired(0, u64::MAX - 10, 300, 5));
    }

    #[test]
    fn hash_spreads() {
        let mut buckets = [0u32; 256];
        for i in 0..25600u32 {
            let a = [2, 0, (i >> 16) as u8, (i >> 8) as u8, i as u8, 1];
            buckets[(hash(&a, 0, 7) & 255) as usize] += 1;
        }
        assert!(buckets.iter().all(|&n| (50..=150).contains(&n)));
        assert_ne!(
            hash(&[2, 0, 0, 0, 0, 1], 0, 1),
            hash(&[2, 0, 0, 0, 0, 1], 1, 1)
        );
    }
}
