// SPDX-License-Identifier: GPL-2.0

//! GRE: the version demultiplexer of `gre.ko` (`gre_add_protocol`), the
//! header parser and builder of include/net/gre.h, and the GSO types of
//! GRE encapsulation. A GRE driver's tunnel logic is its own (see
//! [`super::iptunnel`] for why `ip_tunnel.ko` is not used).
//!
//! Kernel rules encoded here:
//!
//! - `gre.ko` has one slot per GRE version: the driver that takes version
//!   0 (C's `ip_gre.ko`) receives every GRE packet of that version, so it
//!   must serve all of gre, gretap and erspan; a second registration is
//!   `EBUSY`;
//! - the handler runs in softirq context under RCU and always consumes
//!   the packet: the layer parses the GRE header (`gre_parse_header`,
//!   which validates the checksum and pulls the header), a packet nobody
//!   [claims](GreHandler::claim) is answered with ICMP "port unreachable"
//!   and freed, as C's `gre_rcv`;
//! - deregistration waits for running handlers (`gre_del_protocol` calls
//!   `synchronize_rcu`).

use super::{
    bindings,
    device::NetDevice,
    iptunnel::{IcmpError, MetadataDst, OuterIpv4},
    rx_handler::RxContext,
    skb::SkBuff,
};
use core::{marker::PhantomData, pin::Pin};
use kernel::{alloc::KBox, error::to_result, ffi, prelude::*, types::Opaque};

pub use super::uapi::gre as uapi;

/// `sizeof(struct erspan_metadata)`: the tunnel options of an external
/// erspan tunnel, as raw bytes.
pub const ERSPAN_MD_SIZE: usize = bindings::RVNET_ERSPAN_MD_SIZE as usize;

/// A parsed GRE header (C's `struct tnl_ptk_info`).
#[derive(Clone, Copy, Default)]
pub struct GrePacket {
    /// The `IP_TUNNEL_*_BIT` flags the header carries (csum, key, seq).
    pub flags: u32,
    /// The payload's protocol, host order (`ETH_P_IP`, `ETH_P_TEB`, ...).
    pub proto: u16,
    /// The key (raw `__be32`, 0 without one).
    pub key: u32,
    /// The sequence number (raw `__be32`).
    pub seq: u32,
    /// The GRE header's length.
    pub hdr_len: u32,
}

/// The driver's handler of GRE version 0.
pub trait GreHandler: 'static {
    /// What [`GreHandler::claim`] found (the tunnel), alive for the RCU
    /// section.
    type Claim<'a>;

    /// Which tunnel takes the packet (outer header `outer`, GRE header
    /// `gre`, arrived on `lower`), if any (C's lookups in `ipgre_rcv` and
    /// `erspan_rcv`).
    fn claim<'a>(
        outer: &OuterIpv4,
        gre: &GrePacket,
        lower: &'a NetDevice,
        rx: &'a RxContext,
    ) -> Option<Self::Claim<'a>>;

    /// Receives a claimed packet (owned: deliver or drop it); its data is
    /// still at the GRE header (`gre.hdr_len` bytes to pull).
    fn receive<'a>(
        claim: Self::Claim<'a>,
        skb: SkBuff,
        outer: &OuterIpv4,
        gre: &GrePacket,
        rx: &'a RxContext,
    );

    /// An ICMP error quoting a GRE packet the host sent, received on
    /// `lower` (C's `gre_err`).
    fn error<'a>(err: &IcmpError<'_>, gre: &GrePacket, lower: &'a NetDevice, rx: &'a RxContext);
}

/// A registered [`GreHandler`] on GRE version 0; dropping it deregisters
/// the handler and waits for running calls.
pub struct GreRegistration<H: GreHandler> {
    raw: Pin<KBox<Opaque<bindings::gre_protocol>>>,
    _p: PhantomData<H>,
}

// SAFETY: the pinned struct is only read by gre.ko under RCU; this value
// only registers and deregisters it.
unsafe impl<H: GreHandler> Send for GreRegistration<H> {}
// SAFETY: no `&self` method.
unsafe impl<H: GreHandler> Sync for GreRegistration<H> {}

impl<H: GreHandler> GreRegistration<H> {
    /// Takes GRE version 0 (`EBUSY` while another driver, e.g. C's
    /// `ip_gre`, has it).
    pub fn new() -> Result<Self> {
        let raw = KBox::pin(
            Opaque::new(bindings::gre_protocol {
                handler: Some(Self::rcv),
                err_handler: Some(Self::err),
            }),
            GFP_KERNEL,
        )?;
        // SAFETY: pinned and live until `drop` deregisters it.
        to_result(unsafe {
            bindings::gre_add_protocol(raw.get(), bindings::GREPROTO_CISCO as u8)
        })?;
        Ok(GreRegistration {
            raw,
            _p: PhantomData,
        })
    }

    /// Parses the GRE header at `nhs` bytes past `skb`'s data
    /// (`gre_parse_header`, which validates a checksum when `csum_err` is
    /// given and pulls the header). A method of the generic registration so
    /// that only a module that registers a handler refers to `gre.ko` (a
    /// non-generic function would be compiled into every module that
    /// includes the layer).
    fn parse(skb: &SkBuff, nhs: i32, csum_err: Option<&mut bool>) -> Option<GrePacket> {
        // SAFETY: all-zero is a valid `tnl_ptk_info` (integers and a bitmap).
        let mut tpi: bindings::tnl_ptk_info = unsafe { core::mem::zeroed() };
        let csum = match csum_err {
            Some(c) => c as *mut bool,
            None => core::ptr::null_mut(),
        };
        // SAFETY: the handler owns or borrows the skb for the call;
        // `gre_parse_header` may pull (linearise) headers, which does not
        // change which skb it is; `tpi` and `csum` are valid for writes.
        let len = unsafe {
            bindings::gre_parse_header(
                skb.as_raw(),
                &mut tpi,
                csum,
                (bindings::ETH_P_IP as u16).to_be(),
                nhs,
            )
        };
        if len < 0 {
            return None;
        }
        Some(GrePacket {
            flags: tpi.flags[0] as u32,
            proto: u16::from_be(tpi.proto),
            key: tpi.key,
            seq: tpi.seq,
            hdr_len: len as u32,
        })
    }

    /// # Safety
    ///
    /// Called by gre.ko's IP protocol handler (softirq, under RCU) with an
    /// skb it hands over, the outer IPv4 header linear at the network
    /// header and the data at the GRE header.
    unsafe extern "C" fn rcv(skb: *mut bindings::sk_buff) -> ffi::c_int {
        // SAFETY: the caller hands the skb over.
        let skb = unsafe { SkBuff::from_raw(skb) };
        // SAFETY: a protocol handler runs in softirq context under RCU.
        let rx = unsafe { RxContext::assume_held() };
        let mut outer = super::iptunnel::outer_ipv4(&skb);
        // A multicast packet we sent ourselves, looped back: dropped. The
        // multicast test inline (C's `ipv4_is_multicast`), the route's
        // only for a multicast destination.
        if (u32::from_be(outer.daddr) & 0xf000_0000) == 0xe000_0000 {
            // SAFETY: the packet was received (it has its input route).
            if unsafe { bindings::rvnet_gre_looped_multicast(skb.as_raw()) } {
                return 0;
            }
        }
        let Some(gre) = Self::parse(&skb, 0, Some(&mut false)) else {
            return 0;
        };
        outer.set_skb(&skb);
        let Some(lower) = super::iptunnel::skb_dev(&skb, rx) else {
            return 0;
        };
        match H::claim(&outer, &gre, lower, rx) {
            Some(claim) => H::receive(claim, skb, &outer, &gre, rx),
            None => {
                // SAFETY: we own the skb; its outer header is intact.
                unsafe { bindings::rvnet_icmp_send_port_unreach(skb.as_raw()) };
            }
        }
        0
    }

    /// # Safety
    ///
    /// Called by gre.ko's ICMP error handler with the ICMP skb, its data
    /// at the quoted IPv4 header.
    unsafe extern "C" fn err(skb: *mut bindings::sk_buff, info: u32) {
        // SAFETY: borrowed for the call, never freed here.
        let borrowed = core::mem::ManuallyDrop::new(unsafe { SkBuff::from_raw(skb) });
        // SAFETY: an ICMP error handler runs in softirq context under RCU.
        let rx = unsafe { RxContext::assume_held() };
        let Some(lower) = super::iptunnel::skb_dev(&borrowed, rx) else {
            return;
        };
        // SAFETY: icmp_rcv checked the quoted IPv4 header is there.
        let ihl = unsafe { bindings::rvnet_skb_quoted_ihl(borrowed.as_raw()) };
        let Some(gre) = Self::parse(&borrowed, ihl, None) else {
            return;
        };
        let Some(err) = IcmpError::from_skb(&borrowed, info) else {
            return;
        };
        H::error(&err, &gre, lower, rx);
    }
}

impl<H: GreHandler> Drop for GreRegistration<H> {
    fn drop(&mut self) {
        // SAFETY: registered in `new`; waits for running handlers.
        unsafe { bindings::gre_del_protocol(self.raw.get(), bindings::GREPROTO_CISCO as u8) };
        super::rcu::barrier_deferred();
    }
}

impl GrePacket {
    /// The receive metadata of a GRE tunnel in external mode or without a
    /// remote end (`__ipgre_rcv`: the outer addresses, the packet's
    /// checksum and key flags, its key as tunnel id), for
    /// [`SkBuff::set_metadata_dst`]. `outer` must have been read from
    /// `skb`, whose network header is still at it (`None` otherwise, or
    /// when memory is short).
    pub fn rx_metadata_dst(&self, outer: &OuterIpv4, skb: &SkBuff) -> Option<MetadataDst> {
        if !outer.read_from(skb) {
            return None;
        }
        // SAFETY: `skb` is the received packet whose outer header sits
        // at its network header (checked above); the helper allocates.
        let md = unsafe { bindings::rvnet_gre_rx_dst(skb.as_raw(), self.flags, self.key) };
        // SAFETY: a non-null result is a new metadata dst we own.
        core::ptr::NonNull::new(md).map(|p| unsafe { MetadataDst::from_raw(p) })
    }
}

impl GrePacket {
    /// The receive metadata of an external erspan tunnel (`erspan_rcv`:
    /// the outer addresses, this header's `flags` as the key's flags, its
    /// key as tunnel id) carrying `md`, a `struct erspan_metadata`, as its
    /// options. As [`GrePacket::rx_metadata_dst`]: `None` unless `outer`
    /// was read from `skb`, or when memory is short.
    pub fn erspan_rx_metadata_dst(
        &self,
        outer: &OuterIpv4,
        skb: &SkBuff,
        md: &[u8; ERSPAN_MD_SIZE],
    ) -> Option<MetadataDst> {
        if !outer.read_from(skb) {
            return None;
        }
        // SAFETY: `skb` is the received packet whose outer header sits at
        // its network header (checked above); `md` is readable for the
        // `RVNET_ERSPAN_MD_SIZE` bytes the helper copies; it allocates.
        let p = unsafe {
            bindings::rvnet_erspan_rx_dst(skb.as_raw(), self.flags, self.key, md.as_ptr().cast())
        };
        // SAFETY: a non-null result is a new metadata dst we own.
        core::ptr::NonNull::new(p).map(|p| unsafe { MetadataDst::from_raw(p) })
    }
}

impl SkBuff {
    /// The options of the packet's tunnel info as a `struct
    /// erspan_metadata` (`ip_tunnel_info_opts`), if it has that many
    /// bytes of options (`erspan_fb_xmit`; the caller checks the key's
    /// `ERSPAN_OPT` flag through [`SkBuff::md_key`]).
    pub fn md_erspan_opts(&self) -> Option<[u8; ERSPAN_MD_SIZE]> {
        let mut md = [0u8; ERSPAN_MD_SIZE];
        // SAFETY: we own the skb; `md` is writable for the
        // `RVNET_ERSPAN_MD_SIZE` bytes the helper copies.
        unsafe { bindings::rvnet_skb_md_erspan_opts(self.as_raw(), md.as_mut_ptr().cast()) }
            .then_some(md)
    }

    /// `skb_pull(skb, len)` of bytes in the linear part (`false`, nothing
    /// pulled, when fewer are there: [`SkBuff::may_pull`] first).
    #[inline]
    pub fn pull_linear(&mut self, len: u32) -> bool {
        // SAFETY: we own the skb; the helper pulls only linear bytes.
        unsafe { bindings::rvnet_skb_pull_linear(self.as_raw(), len) }
    }

    /// Whether a `CHECKSUM_PARTIAL` packet's checksum starts before its
    /// data (after a pull: the checksum would cover a header gone).
    #[inline]
    pub fn csum_start_before_data(&self) -> bool {
        // SAFETY: we own the skb; plain fields.
        unsafe { bindings::rvnet_skb_csum_start_before_data(self.as_raw()) }
    }

    /// `skb_transport_offset(skb)` when the transport header was set.
    #[inline]
    pub fn transport_offset(&self) -> Option<i32> {
        let mut off = 0;
        // SAFETY: we own the skb; plain fields; `off` is writable.
        unsafe { bindings::rvnet_skb_transport_offset(self.as_raw(), &mut off) }.then_some(off)
    }

    /// `gre_build_header`: pushes a GRE header of `hdr_len` bytes with the
    /// `IP_TUNNEL_*_BIT` `flags` (csum, key, seq), payload protocol
    /// `proto` (host order), `key` and `seq` (raw `__be32`), computing the
    /// checksum unless GSO does it.
    #[inline]
    pub fn gre_build_header(&mut self, hdr_len: u32, flags: u32, proto: u16, key: u32, seq: u32) {
        // SAFETY: we own the skb; the caller made `hdr_len` bytes of
        // headroom (`cow_head` with the device's needed headroom).
        unsafe {
            bindings::rvnet_gre_build_header(
                self.as_raw(),
                hdr_len as i32,
                flags,
                proto.to_be(),
                key,
                seq,
            )
        }
    }

    /// ERSPAN type II (`erspan_build_header`): pushes the 8-byte header
    /// (session `id`, port `index`, `truncate`d frame) in front of the
    /// mirrored Ethernet frame.
    #[inline]
    pub fn erspan_build_header(&mut self, id: u32, index: u32, truncate: bool) {
        // SAFETY: we own the skb; the caller made the headroom
        // (`cow_head` with the device's needed headroom).
        unsafe { bindings::rvnet_erspan_build_header(self.as_raw(), id, index, truncate) }
    }

    /// ERSPAN type III (`erspan_build_header_v2`): the 12-byte header
    /// (session `id`, direction, hardware id, timestamp).
    #[inline]
    pub fn erspan_build_header_v2(&mut self, id: u32, dir: u8, hwid: u16, truncate: bool) {
        // SAFETY: as in `erspan_build_header`.
        unsafe { bindings::rvnet_erspan_build_header_v2(self.as_raw(), id, dir, hwid, truncate) }
    }

    /// `pskb_trim(skb, len)`: cuts the packet to `len` bytes.
    #[inline]
    pub fn trim(&mut self, len: u32) -> Result {
        // SAFETY: we own the skb.
        to_result(unsafe { bindings::rvnet_pskb_trim(self.as_raw(), len) })
    }

    /// `pskb_inet_may_pull`: the inner IPv4/IPv6 header is in the linear
    /// part (`false`: drop).
    /// Inline as C's (`pskb_network_may_pull` of the header's size).
    #[inline(always)]
    pub fn inet_may_pull(&mut self) -> bool {
        const IP: u16 = bindings::ETH_P_IP as u16;
        const IPV6: u16 = bindings::ETH_P_IPV6 as u16;
        let nhlen = match self.protocol() {
            IP => bindings::RVNET_IPV4_HDR_LEN,
            IPV6 => bindings::RVNET_IPV6_HDR_LEN,
            _ => 0,
        };
        // C adds the `int` offset to an `unsigned int` length.
        let len = (self.network_offset() as u32).wrapping_add(nhlen);
        self.may_pull(len)
    }

    /// `skb_set_network_header(skb, off)`, inline as C's.
    #[inline(always)]
    pub fn set_network_header(&mut self, off: u32) {
        self.set_header_at_data(bindings::RVNET_SKB_NETWORK_HEADER_OFF, off)
    }

    /// A decapsulated Ethernet frame about to go up on `dev`:
    /// `eth_type_trans` (protocol, packet type, `skb->dev`) and the
    /// checksum fix-up for the pulled Ethernet header.
    #[inline]
    pub fn eth_type_trans(&mut self, dev: &NetDevice) {
        // SAFETY: we own the skb; `dev` is a live device.
        unsafe { bindings::rvnet_skb_eth_type_trans(self.as_raw(), dev.as_raw()) }
    }
}
