// SPDX-License-Identifier: GPL-2.0

//! A table of `N` entries of `T` held inline: the default storage of the
//! bonding tables ([`super::tlb::Tlb`], [`super::rlb::Rlb`]), which are
//! generic over any `DerefMut<Target = [T]>` so that a kernel user can
//! give them a table allocated apart.

use core::ops::{Deref, DerefMut};

/// `N` entries of `T` as a fixed array, seen as a slice.
#[derive(Clone, Debug)]
pub struct FixedTable<T, const N: usize>([T; N]);

impl<T: Copy, const N: usize> FixedTable<T, N> {
    /// A table of `N` copies of `entry`.
    pub const fn filled(entry: T) -> Self {
        FixedTable([entry; N])
    }
}

impl<T, const N: usize> Deref for FixedTable<T, N> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T, const N: usize> DerefMut for FixedTable<T, N> {
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::FixedTable;

    #[test]
    fn filled_is_n_copies_and_writable() {
        let mut t = FixedTable::<u8, 4>::filled(7);
        assert_eq!(&*t, &[7, 7, 7, 7]);
        t[2] = 1;
        assert_eq!(&*t, &[7, 7, 1, 7]);
    }
}
