// SPDX-License-Identifier: GPL-2.0

//! Socket buffers.
//!
//! Kernel rule: exactly one owner frees an `sk_buff`, with `consume_skb`
//! when it was delivered and `kfree_skb_reason` when it was dropped (so that
//! drop monitors see why). [`SkBuff`] is the owned form: it must be given
//! away (`consume`, `drop_reason`, `into_raw` to the core) and falls back to
//! a plain `kfree_skb` if it is merely dropped.

use super::{bindings, device::NetDevice};
use core::ptr::NonNull;

/// Why a packet is dropped (`enum skb_drop_reason`).
#[derive(Clone, Copy)]
pub enum DropReason {
    /// `SKB_DROP_REASON_NOT_SPECIFIED`.
    NotSpecified,
    /// `SKB_DROP_REASON_DEV_READY`: the device is not ready.
    DevReady,
    /// `SKB_DROP_REASON_PKT_TOO_SMALL`.
    PktTooSmall,
    /// `SKB_DROP_REASON_NOMEM`.
    NoMem,
    /// `SKB_DROP_REASON_QUEUE_PURGE`: a queue was flushed.
    QueuePurge,
    /// `SKB_DROP_REASON_DEV_READY` for "no lower device could send it".
    NoLower,
}

impl DropReason {
    pub(super) fn raw(self) -> bindings::skb_drop_reason {
        match self {
            DropReason::NotSpecified => bindings::skb_drop_reason_SKB_DROP_REASON_NOT_SPECIFIED,
            DropReason::DevReady => bindings::skb_drop_reason_SKB_DROP_REASON_DEV_READY,
            DropReason::PktTooSmall => bindings::skb_drop_reason_SKB_DROP_REASON_PKT_TOO_SMALL,
            DropReason::NoMem => bindings::skb_drop_reason_SKB_DROP_REASON_NOMEM,
            DropReason::QueuePurge => bindings::skb_drop_reason_SKB_DROP_REASON_QUEUE_PURGE,
            DropReason::NoLower => bindings::skb_drop_reason_SKB_DROP_REASON_DEV_READY,
        }
    }
}

/// An owned socket buffer.
///
/// # Invariants
///
/// `ptr` is a valid `sk_buff` exclusively owned by this value.
pub struct SkBuff {
    ptr: NonNull<bindings::sk_buff>,
}

// SAFETY: an owned skb may be handed to another CPU (queues do it).
unsafe impl Send for SkBuff {}

impl SkBuff {
    /// `skb_cow_head(skb, 0)` then the Ethernet source address at
    /// `skb->data` (`skb_eth_hdr(skb)->h_source`) set to `mac`, as C
    /// balance-tlb does for a packet leaving on a slave other than the
    /// active one; `false` (nothing written) when memory is short or the
    /// linear data holds no Ethernet header.
    #[inline]
    pub fn set_eth_source(&mut self, mac: &[u8; 6]) -> bool {
        self.head_data().len() >= 14 && self.write_at(6, mac)
    }

    /// `skb_cow_head(skb, 0)` then `bytes` written at `off` from
    /// `skb->data` (e.g. balance-alb's new sender address in an ARP);
    /// `false` (nothing written) when memory is short or the linear data
    /// ends before `off + bytes.len()`.
    #[inline]
    pub fn write_at(&mut self, off: usize, bytes: &[u8]) -> bool {
        let Some(end) = off.checked_add(bytes.len()) else {
            return false;
        };
        if end > self.head_data().len() || !self.cow_head(0) || end > self.head_data().len() {
            return false;
        }
        let p = self.as_raw();
        // SAFETY: the head is private now (`skb_cow_head`) and its linear
        // data holds at least `end` bytes from `data` (checked after the
        // copy): `bytes` goes in place at `off`.
        unsafe {
            let data = core::ptr::addr_of!((*p).data).read();
            core::ptr::copy_nonoverlapping(bytes.as_ptr(), data.add(off), bytes.len());
        }
        true
    }

    /// # Safety
    ///
    /// `ptr` must be a valid skb whose ownership passes to the result.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::sk_buff) -> Self {
        // INVARIANT: ownership is transferred by the caller.
        SkBuff {
            // SAFETY: valid pointers are non-null.
            ptr: unsafe { NonNull::new_unchecked(ptr) },
        }
    }

    /// The raw pointer, still owned by `self`.
    #[inline(always)]
    pub(crate) fn as_raw(&self) -> *mut bindings::sk_buff {
        self.ptr.as_ptr()
    }

    /// The field of type `T` at byte offset `off` (one of the
    /// `RVNET_SKB_*_OFF` constants: fields bindgen names only through
    /// anonymous unions; include/rvnet_bindings.h checks their sizes).
    #[inline(always)]
    pub(crate) fn field<T>(&self, off: usize) -> *mut T {
        self.ptr.as_ptr().cast::<u8>().wrapping_add(off).cast::<T>()
    }

    /// The first `N` bytes at the MAC header (`eth_hdr(skb)`), or `None`
    /// if the MAC header was never set (`skb_mac_header_was_set`). Read
    /// inline: `skb->head + skb->mac_header`.
    #[inline(always)]
    pub(crate) fn mac_bytes<const N: usize>(&self) -> Option<[u8; N]> {
        const { assert!(N <= 14, "mac_bytes reads at most an Ethernet header") };
        // SAFETY: the skb is valid; `mac_header` is a `u16` at its checked
        // offset; once set, the MAC header lies inside the buffer and holds
        // at least an Ethernet header (N <= 14 at every caller).
        unsafe {
            let off = self.field::<u16>(bindings::RVNET_SKB_MAC_HEADER_OFF).read();
            if off == u16::MAX {
                return None;
            }
            Some(
                self.head()
                    .add(off as usize)
                    .cast::<[u8; N]>()
                    .read_unaligned(),
            )
        }
    }

    /// `skb->head`.
    #[inline(always)]
    pub(crate) fn head(&self) -> *mut u8 {
        // SAFETY: the skb is valid (type invariant); a plain field.
        unsafe { core::ptr::addr_of!((*self.ptr.as_ptr()).head).read() }
    }

    /// The transmit queue the stack chose (`skb_get_queue_mapping`).
    #[inline]
    pub fn queue_mapping(&self) -> u32 {
        // SAFETY: the skb is valid (type invariant); a plain field.
        unsafe { core::ptr::addr_of!((*self.ptr.as_ptr()).queue_mapping).read() }.into()
    }

    /// Gives up ownership (to the core), returning the raw pointer.
    pub(crate) fn into_raw(self) -> *mut bindings::sk_buff {
        let p = self.ptr.as_ptr();
        core::mem::forget(self);
        p
    }

    /// Packet length in bytes (`skb->len`).
    #[inline]
    pub fn len(&self) -> u32 {
        // SAFETY: the skb is valid (type invariant); `len` is a plain field.
        unsafe { core::ptr::addr_of!((*self.ptr.as_ptr()).len).read() }
    }

    /// True for an empty packet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `skb->protocol` (network byte order value converted to host order).
    #[inline]
    pub fn protocol(&self) -> u16 {
        // SAFETY: the skb is valid; a `__be16` at its checked offset.
        u16::from_be(unsafe { self.field::<u16>(bindings::RVNET_SKB_PROTOCOL_OFF).read() })
    }

    /// The linear part of the data (`skb->data`, `skb_headlen`).
    #[inline]
    pub fn head_data(&self) -> &[u8] {
        // SAFETY: `data` points to `len - data_len` readable bytes of an
        // skb we own; plain fields.
        unsafe {
            let p = self.ptr.as_ptr();
            let headlen = (*p).len - (*p).data_len;
            core::slice::from_raw_parts((*p).data, headlen as usize)
        }
    }

    /// The whole packet when it is all linear (no paged data:
    /// `skb->data_len == 0`), with the network header's offset in it
    /// (`skb_network_offset`); `None` for a paged packet or a network
    /// header outside the data.
    #[inline(always)]
    pub fn whole_linear(&self) -> Option<(&[u8], usize)> {
        let p = self.ptr.as_ptr();
        // SAFETY: the skb is valid (type invariant); `len`, `data_len` and
        // `data` are plain fields, `network_header` a `u16` at its checked
        // offset; each read once.
        let (len, data_len, data, nh) = unsafe {
            (
                core::ptr::addr_of!((*p).len).read(),
                core::ptr::addr_of!((*p).data_len).read(),
                core::ptr::addr_of!((*p).data).read(),
                self.field::<u16>(bindings::RVNET_SKB_NETWORK_HEADER_OFF)
                    .read(),
            )
        };
        if data_len != 0 {
            return None;
        }
        // SAFETY: with no paged data, `data` points to `len` readable bytes
        // of an skb we own (the linear part), borrowed as `self`.
        let frame = unsafe { core::slice::from_raw_parts(data, len as usize) };
        let nhoff = (self.head() as usize + usize::from(nh)).checked_sub(data as usize)?;
        (nhoff <= frame.len()).then_some((frame, nhoff))
    }

    /// The hardware-accelerated VLAN tag (`skb_vlan_tag_get`), if one is
    /// present (`skb_vlan_tag_present`: `vlan_all != 0`).
    #[inline(always)]
    pub fn vlan_tag(&self) -> Option<u16> {
        // SAFETY: the skb is valid; `vlan_proto` and `vlan_tci` are `u16`s
        // at their checked offsets (together `vlan_all`).
        let (proto, tci) = unsafe {
            (
                self.field::<u16>(bindings::RVNET_SKB_VLAN_PROTO_OFF).read(),
                self.field::<u16>(bindings::RVNET_SKB_VLAN_TCI_OFF).read(),
            )
        };
        (proto != 0 || tci != 0).then_some(tci)
    }

    /// Makes sure the first `len` bytes are linear (`pskb_may_pull`): the
    /// common case (already linear) inline, as C's inline test, the pull
    /// out of line.
    #[inline(always)]
    pub fn may_pull(&mut self, len: u32) -> bool {
        let p = self.ptr.as_ptr();
        // SAFETY: the skb is valid (type invariant); plain fields.
        let (skb_len, data_len) = unsafe {
            (
                core::ptr::addr_of!((*p).len).read(),
                core::ptr::addr_of!((*p).data_len).read(),
            )
        };
        if len <= skb_len - data_len {
            return true;
        }
        if len > skb_len {
            return false;
        }
        // SAFETY: we own the skb; the helper may reallocate its head.
        unsafe { bindings::rvnet_pskb_may_pull(p, len) }
    }

    /// `skb->data - skb->head` (`skb_headroom`), the value a header offset
    /// field takes when the header starts at the data.
    #[inline(always)]
    pub(crate) fn data_offset(&self) -> usize {
        // SAFETY: the skb is valid (type invariant); `data` is a plain
        // field pointing into the buffer at `head`.
        let data = unsafe { core::ptr::addr_of!((*self.ptr.as_ptr()).data).read() };
        data as usize - self.head() as usize
    }

    /// Sets the `u16` header offset field at `field` (one of the
    /// `RVNET_SKB_*_HEADER_OFF` constants) to the data plus `delta`
    /// (`skb_set_network_header(skb, delta)`, `skb_reset_mac_header` with
    /// 0), inline as C's.
    #[inline(always)]
    pub(crate) fn set_header_at_data(&mut self, field: usize, delta: u32) {
        let off = self.data_offset() + delta as usize;
        // C's DEBUG_NET_WARN_ON_ONCE: the offset fits the field.
        debug_assert!(off < u16::MAX as usize);
        // SAFETY: we own the skb; `field` is a `u16` header offset at its
        // checked offset.
        unsafe { self.field::<u16>(field).write(off as u16) }
    }

    /// `skb_network_offset(skb)`: where the network header is, from the
    /// data (negative once the data moved past it); inline as C's.
    #[inline(always)]
    pub fn network_offset(&self) -> i32 {
        // SAFETY: the skb is valid; a `u16` at its checked offset.
        let nh = unsafe {
            self.field::<u16>(bindings::RVNET_SKB_NETWORK_HEADER_OFF)
                .read()
        };
        i32::from(nh) - self.data_offset() as i32
    }

    /// The device the packet is on (`skb->dev`), if any.
    #[inline]
    pub fn dev(&self) -> Option<&NetDevice> {
        // SAFETY: the skb is valid; `skb->dev` (at its checked offset) is
        // pinned by the context the skb travels in while we own it.
        let d = unsafe {
            self.field::<*mut bindings::net_device>(bindings::RVNET_SKB_DEV_OFF)
                .read()
        };
        // SAFETY: non-null devices of an skb in flight are live.
        (!d.is_null()).then(|| unsafe { NetDevice::from_raw(d) })
    }

    /// Sets `skb->dev`. The layer only does this with a device that
    /// outlives the skb's current context (the master an rx_handler
    /// redirects to, under RCU).
    #[inline]
    pub(crate) fn set_dev(&mut self, dev: &NetDevice) {
        // SAFETY: we own the skb; the caller guarantees `dev`'s lifetime;
        // `skb->dev` at its checked offset.
        unsafe {
            self.field::<*mut bindings::net_device>(bindings::RVNET_SKB_DEV_OFF)
                .write(dev.as_raw())
        }
    }

    /// A clone sharing the data (`skb_clone`, `GFP_ATOMIC`), e.g. one copy
    /// per lower device; `None` when memory is short.
    pub fn clone_atomic(&self) -> Option<SkBuff> {
        // SAFETY: the skb is valid; a clone only adds a data reference.
        let p = unsafe { bindings::skb_clone(self.as_raw(), bindings::RVNET_GFP_ATOMIC) };
        // SAFETY: a non-null clone is a new skb we own.
        (!p.is_null()).then(|| unsafe { SkBuff::from_raw(p) })
    }

    /// Frees a delivered packet (`consume_skb`).
    pub fn consume(self) {
        // SAFETY: we own the skb and give it up here.
        unsafe { bindings::consume_skb(self.into_raw()) }
    }

    /// Frees a dropped packet with a reason (`kfree_skb_reason`).
    pub fn drop_reason(self, reason: DropReason) {
        // SAFETY: we own the skb and give it up here.
        unsafe {
            bindings::sk_skb_reason_drop(core::ptr::null_mut(), self.into_raw(), reason.raw())
        }
    }

    /// A new packet for `dev` holding the whole Ethernet frame `frame`
    /// (header included), with `skb->protocol` from the frame and control
    /// priority (`TC_PRIO_CONTROL`), as bonding builds its LACPDUs; send it
    /// with [`SkBuff::queue_xmit`]. `None` if memory is short or the frame
    /// is shorter than an Ethernet header.
    pub fn from_control_frame(dev: &NetDevice, frame: &[u8]) -> Option<SkBuff> {
        let len = u32::try_from(frame.len()).ok()?;
        // SAFETY: `dev` is live; the helper copies `len` bytes of `frame`.
        let p = unsafe {
            bindings::rvnet_skb_from_control_frame(dev.as_raw(), frame.as_ptr().cast(), len)
        };
        // SAFETY: a non-null result is a new skb we own.
        (!p.is_null()).then(|| unsafe { SkBuff::from_raw(p) })
    }

    /// Transmits the packet on `dev` (`dev_queue_xmit`), giving it away.
    /// Returns the `NET_XMIT_*`/errno code of the core.
    #[inline]
    pub fn queue_xmit(mut self, dev: &NetDevice) -> i32 {
        self.set_dev(dev);
        let p = self.into_raw();
        // SAFETY: we own `p`, whose `dev` is the live `dev`; the core takes
        // the skb (`dev_queue_xmit` is this call, inline in C).
        unsafe { bindings::__dev_queue_xmit(p, core::ptr::null_mut()) }
    }
}

impl Drop for SkBuff {
    fn drop(&mut self) {
        // SAFETY: we own the skb; nothing else frees it.
        unsafe {
            bindings::sk_skb_reason_drop(
                core::ptr::null_mut(),
                self.ptr.as_ptr(),
                DropReason::NotSpecified.raw(),
            )
        }
    }
}
