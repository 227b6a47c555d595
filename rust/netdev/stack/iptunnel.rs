// SPDX-License-Identifier: GPL-2.0

//! The kernel pieces an IPv4 tunnel driver's own tunnel core is built from:
//! the receive demultiplexer of the IP protocol it carries (`tunnel4.ko`'s
//! `xfrm4_tunnel_register`), routes (`ip_route_output_key`), the per-device
//! route cache (`dst_cache`) and GRO cells, and the skb operations of
//! `ip_tunnel_core.c` (`iptunnel_xmit`, `__iptunnel_pull_header`).
//!
//! What is *not* here is `ip_tunnel.ko`'s logic (the tunnel table, the
//! lookup, the transmit and receive decisions): its exports assume that
//! `netdev_priv` is a C `struct ip_tunnel`, so the drivers have their own
//! (`drivers/ip_tunnel/`, pure parts in `rust/iptun`).
//!
//! Kernel rules encoded here:
//!
//! - an IP protocol handler runs in softirq context under `rcu_read_lock`
//!   ([`Tunnel4Handler`] gets an [`RxContext`]); it either takes the
//!   packet or returns it untouched so the next handler of the same
//!   protocol (or `tunnel4.ko`'s ICMP "port unreachable") sees it: the
//!   handler first *claims* the packet from its headers, then receives the
//!   owned skb, so "not mine" never gives away ownership;
//! - handlers of one family are tried in `priority` order, one per
//!   priority (`EEXIST` otherwise): C's `ipip` uses 1 and `sit` 1 for
//!   their own families, and both coexist as in C;
//! - deregistration waits for running handlers (`synchronize_net`), so
//!   the module's code and data outlive every call;
//! - a route ([`Route4`]) is a counted reference dropped with
//!   `ip_rt_put`; `iptunnel_xmit` consumes both the skb and the route;
//! - the `dst_cache` and GRO cells are per-CPU: their transmit/receive
//!   operations take a CPU-pinned context; they are set up in `ndo_init`
//!   (they need the registered device) and torn down when the private data
//!   is dropped, in process context (`gro_cells_destroy` may sleep).

use super::{
    bindings,
    device::{Net, NetDevice},
    driver::{Device, Driver, Setup},
    percpu::CpuPinned,
    rtnl::Rtnl,
    rx_handler::RxContext,
    skb::SkBuff,
};
use core::{marker::PhantomData, mem::MaybeUninit, pin::Pin};
use kernel::{alloc::KBox, error::to_result, ffi, prelude::*, types::Opaque};

pub use super::uapi::iptun as uapi;

/// `IPTUNNEL_ERR_TIMEO` (30 s) in jiffies: how long ICMP errors about a
/// tunnel's packets make its transmit path report link failures.
pub const ERR_TIMEO: u64 = 30 * bindings::HZ as u64;

/// The module's `log_ecn_error` parameter (C's ipip, ip_gre, sit; default
/// true, writable at run time): whether decapsulation logs packets with
/// an ECN error. `RVNET_LOG_ECN_ERROR_PARAM` in the module's helpers file
/// declares it; a module without one reads `false`.
#[inline]
pub fn log_ecn_error() -> bool {
    // SAFETY: reads a `bool` module parameter (`READ_ONCE`).
    unsafe { bindings::rvnet_log_ecn_error() }
}

/// The packets a [`Tunnel4Registration`] takes from `tunnel4.ko`.
#[derive(Clone, Copy)]
pub enum Tunnel4Family {
    /// IPv4 in IPv4 (`IPPROTO_IPIP`; `AF_INET`).
    Ipv4,
    /// IPv6 in IPv4 (`IPPROTO_IPV6`; `AF_INET6`): sit.
    Ipv6,
    /// MPLS in IPv4 (`IPPROTO_MPLS`; `AF_MPLS`).
    Mpls,
}

impl Tunnel4Family {
    fn raw(self) -> u16 {
        match self {
            Tunnel4Family::Ipv4 => bindings::AF_INET as u16,
            Tunnel4Family::Ipv6 => bindings::AF_INET6 as u16,
            Tunnel4Family::Mpls => bindings::AF_MPLS as u16,
        }
    }
}

/// The outer IPv4 header of a received tunnel packet (`ip_hdr(skb)`), as
/// the protocol handler finds it: addresses and keys in network order as
/// in memory (`__be32`).
#[derive(Clone, Copy)]
pub struct OuterIpv4 {
    /// `saddr`.
    pub saddr: u32,
    /// `daddr`.
    pub daddr: u32,
    /// `tos`.
    pub tos: u8,
    /// `ttl`.
    pub ttl: u8,
    /// `protocol`.
    pub protocol: u8,
    /// The packet it was read from (received ones only: see
    /// [`OuterIpv4::rx_metadata_dst`]); null for a quoted header.
    skb: *const bindings::sk_buff,
}

impl OuterIpv4 {
    /// Whether the header was read from `skb`, a received packet.
    pub(crate) fn read_from(&self, skb: &SkBuff) -> bool {
        !self.skb.is_null() && core::ptr::eq(self.skb, skb.as_raw())
    }

    /// Marks the header as read from `skb`, a received packet (see
    /// [`OuterIpv4::rx_metadata_dst`]).
    pub(crate) fn set_skb(&mut self, skb: &SkBuff) {
        self.skb = skb.as_raw();
    }

    /// The receive metadata of an external-mode (`collect_metadata`)
    /// tunnel (`ip_tun_rx_dst` + `ip_tunnel_md_udp_encap`: the outer
    /// addresses, TOS, TTL and FOU/GUE ports), for
    /// [`SkBuff::set_metadata_dst`]. `skb` must be the packet this header
    /// was read from, before its network header moves to the inner packet
    /// (`None` otherwise, or when memory is short).
    pub fn rx_metadata_dst(&self, skb: &SkBuff) -> Option<MetadataDst> {
        if !self.read_from(skb) {
            return None;
        }
        // SAFETY: `skb` is the received packet whose outer header sits at
        // its network header (checked by identity above, and the layer
        // made `self` from that header); the helper allocates.
        let md = unsafe { bindings::rvnet_ip_tun_rx_dst(skb.as_raw()) };
        // INVARIANT: a non-null result is a new metadata dst we own.
        core::ptr::NonNull::new(md).map(MetadataDst)
    }
}

/// A tunnel metadata dst (`struct metadata_dst`) owned until attached to
/// a packet ([`SkBuff::set_metadata_dst`]) or dropped (`dst_release`).
///
/// # Invariants
///
/// The pointer holds one reference owned by this value.
pub struct MetadataDst(core::ptr::NonNull<bindings::metadata_dst>);

// SAFETY: a dst reference may be released on any CPU (RCU-freed).
unsafe impl Send for MetadataDst {}

impl MetadataDst {
    /// # Safety
    ///
    /// `p` holds one reference the new value owns.
    pub(crate) unsafe fn from_raw(p: core::ptr::NonNull<bindings::metadata_dst>) -> Self {
        // INVARIANT: the caller passes one reference.
        MetadataDst(p)
    }
}

impl Drop for MetadataDst {
    fn drop(&mut self) {
        // SAFETY: we own one reference (type invariant).
        unsafe { bindings::rvnet_metadata_dst_release(self.0.as_ptr()) }
    }
}

/// The IPv4 tunnel key an external-mode tunnel sends with
/// (`skb_tunnel_info(skb)->key`, e.g. from `act_tunnel_key`).
#[derive(Clone, Copy, Default)]
pub struct MdKey {
    /// Outer source (raw `__be32`, 0: the route's).
    pub src: u32,
    /// Outer destination (raw `__be32`).
    pub dst: u32,
    /// TOS (1: inherit).
    pub tos: u8,
    /// TTL (0: inherit).
    pub ttl: u8,
    /// `IP_TUNNEL_DONT_FRAGMENT` set.
    pub df: bool,
    /// The key's `IP_TUNNEL_*_BIT` flags (csum, key, seq, ...).
    pub flags: u32,
    /// The tunnel id as a 32-bit key (raw `__be32`, GRE's key).
    pub key: u32,
}

/// An ICMP error quoting a packet the host sent (an `err_handler`'s skb:
/// the ICMP message, its data at the quoted IPv4 header, which the layer
/// checked is linear).
pub struct IcmpError<'a> {
    skb: &'a SkBuff,
    /// ICMP `type`.
    pub ty: u8,
    /// ICMP `code`.
    pub code: u8,
    /// The error's `info` (the next-hop MTU of "fragmentation needed").
    pub info: u32,
    /// The quoted header (the packet the host sent: its `saddr` is ours).
    pub quoted: OuterIpv4,
}

impl<'a> IcmpError<'a> {
    /// The error an ICMP error handler got: `skb`'s data at the quoted
    /// IPv4 header (`None` if its 20 bytes are not linear).
    pub(crate) fn from_skb(skb: &'a SkBuff, info: u32) -> Option<Self> {
        let q = skb.data_bytes::<20>()?;
        // SAFETY: the ICMP header is set (icmp_rcv got here through it).
        let tc = unsafe { bindings::rvnet_skb_icmp_type_code(skb.as_raw()) };
        Some(IcmpError {
            skb,
            ty: (tc >> 8) as u8,
            code: tc as u8,
            info,
            quoted: ipv4_fields(&q),
        })
    }

    /// The ICMP message.
    pub(crate) fn skb(&self) -> &SkBuff {
        self.skb
    }

    /// `ICMP_DEST_UNREACH`.
    pub const DEST_UNREACH: u8 = bindings::ICMP_DEST_UNREACH as u8;
    /// `ICMP_TIME_EXCEEDED`.
    pub const TIME_EXCEEDED: u8 = bindings::ICMP_TIME_EXCEEDED as u8;
    /// `ICMP_REDIRECT`.
    pub const REDIRECT: u8 = bindings::ICMP_REDIRECT as u8;
    /// `ICMP_FRAG_NEEDED` (a `DEST_UNREACH` code).
    pub const FRAG_NEEDED: u8 = bindings::ICMP_FRAG_NEEDED as u8;
    /// `ICMP_PORT_UNREACH` (a `DEST_UNREACH` code).
    pub const PORT_UNREACH: u8 = bindings::ICMP_PORT_UNREACH as u8;
    /// `ICMP_SR_FAILED` (a `DEST_UNREACH` code).
    pub const SR_FAILED: u8 = bindings::ICMP_SR_FAILED as u8;
    /// `ICMP_EXC_TTL` (a `TIME_EXCEEDED` code).
    pub const EXC_TTL: u8 = bindings::ICMP_EXC_TTL as u8;

    /// Learns the path MTU `info` towards the quoted destination
    /// (`ipv4_update_pmtu`), for routes out of `oif` (0: any) carrying
    /// `protocol`.
    pub fn update_pmtu(&self, net: &Net, oif: i32, protocol: u8) {
        // SAFETY: the ICMP skb with the quoted header linear at its data
        // (checked when this value was made); the call only reads it.
        unsafe {
            bindings::ipv4_update_pmtu(self.skb.as_raw(), net.as_raw(), self.info, oif, protocol)
        }
    }

    /// Relays the error to the sender of the quoted packet's IPv6 payload
    /// as ICMPv6 (`ip6_err_gen_icmpv6_unreach`), past the quoted IPv4
    /// header and `tun_hlen` bytes of tunnel header; `true` if sent.
    pub fn relay_icmpv6(&self, tun_hlen: u32) -> bool {
        // SAFETY: the ICMP skb with the quoted IPv4 header linear at its
        // data (checked when this value was made); the helper reads it and
        // sends a new packet (the skb is not consumed).
        unsafe { bindings::rvnet_icmp_relay_icmpv6(self.skb.as_raw(), tun_hlen) == 0 }
    }

    /// Follows a redirect for the quoted destination (`ipv4_redirect`).
    pub fn redirect(&self, net: &Net, oif: i32, protocol: u8) {
        // SAFETY: as in `update_pmtu`.
        unsafe { bindings::ipv4_redirect(self.skb.as_raw(), net.as_raw(), oif, protocol) }
    }
}

/// A driver's IP protocol handler (`struct xfrm_tunnel`).
pub trait Tunnel4Handler: 'static {
    /// What [`Tunnel4Handler::claim`] found (the tunnel), alive for the RCU
    /// section.
    type Claim<'a>;

    /// Whether the packet, whose outer header is `outer` and which arrived
    /// on `lower` (`skb->dev`, live for the RCU section), is the driver's
    /// (C's handlers return -1 before touching it when it is not).
    fn claim<'a>(
        family: Tunnel4Family,
        outer: &OuterIpv4,
        lower: &'a NetDevice,
        skb: &SkBuff,
        rx: &'a RxContext,
    ) -> Option<Self::Claim<'a>>;

    /// Receives a claimed packet (owned from here on: deliver or drop it).
    fn receive<'a>(claim: Self::Claim<'a>, skb: SkBuff, outer: &OuterIpv4, rx: &'a RxContext);

    /// An ICMP error about a packet of this family the host sent
    /// (`err_handler`, softirq under RCU), received on `lower`. `true` if
    /// it was the driver's (C's handlers return 0), `false` for the next
    /// handler (`-ENOENT`).
    fn error<'a>(
        _family: Tunnel4Family,
        _err: &IcmpError<'_>,
        _lower: &'a NetDevice,
        _rx: &'a RxContext,
    ) -> bool {
        false
    }
}

/// A registered [`Tunnel4Handler`]; dropping it deregisters the handler
/// and waits for running calls.
pub struct Tunnel4Registration<H: Tunnel4Handler> {
    raw: Pin<KBox<Opaque<bindings::xfrm_tunnel>>>,
    family: Tunnel4Family,
    _p: PhantomData<H>,
}

// SAFETY: the pinned struct is only touched by tunnel4.ko under its mutex
// and RCU; this value only registers and deregisters it.
unsafe impl<H: Tunnel4Handler> Send for Tunnel4Registration<H> {}
// SAFETY: no `&self` method.
unsafe impl<H: Tunnel4Handler> Sync for Tunnel4Registration<H> {}

impl<H: Tunnel4Handler> Tunnel4Registration<H> {
    /// Registers `H` for `family` at `priority` (lower runs first; one
    /// handler per priority and family).
    pub fn new(family: Tunnel4Family, priority: i32) -> Result<Self> {
        let raw = KBox::pin(
            Opaque::new(bindings::xfrm_tunnel {
                handler: Some(Self::handler_callback(family)),
                cb_handler: None,
                err_handler: Some(Self::err_callback(family)),
                next: core::ptr::null_mut(),
                priority,
            }),
            GFP_KERNEL,
        )?;
        // SAFETY: pinned and live until `drop` deregisters it.
        to_result(unsafe { bindings::xfrm4_tunnel_register(raw.get(), family.raw()) })?;
        Ok(Tunnel4Registration {
            raw,
            family,
            _p: PhantomData,
        })
    }

    fn handler_callback(
        family: Tunnel4Family,
    ) -> unsafe extern "C" fn(*mut bindings::sk_buff) -> ffi::c_int {
        match family {
            Tunnel4Family::Ipv4 => Self::rcv::<0>,
            Tunnel4Family::Ipv6 => Self::rcv::<1>,
            Tunnel4Family::Mpls => Self::rcv::<2>,
        }
    }

    fn err_callback(
        family: Tunnel4Family,
    ) -> unsafe extern "C" fn(*mut bindings::sk_buff, u32) -> ffi::c_int {
        match family {
            Tunnel4Family::Ipv4 => Self::err::<0>,
            Tunnel4Family::Ipv6 => Self::err::<1>,
            Tunnel4Family::Mpls => Self::err::<2>,
        }
    }

    const fn family_of<const F: u8>() -> Tunnel4Family {
        match F {
            0 => Tunnel4Family::Ipv4,
            1 => Tunnel4Family::Ipv6,
            _ => Tunnel4Family::Mpls,
        }
    }

    /// # Safety
    ///
    /// Called by tunnel4.ko's protocol handler (softirq, under RCU) with an
    /// skb it owns whose outer IPv4 header is linear at the network header
    /// (`ip_rcv` pulled it) and whose data is at the inner packet.
    unsafe extern "C" fn rcv<const F: u8>(skb: *mut bindings::sk_buff) -> ffi::c_int {
        // SAFETY: the caller owns `skb`; wrapped without taking ownership
        // (forgotten below unless claimed).
        let owned = core::mem::ManuallyDrop::new(unsafe { SkBuff::from_raw(skb) });
        // SAFETY: a protocol handler runs in softirq context under RCU.
        let rx = unsafe { RxContext::assume_held() };
        let mut outer = outer_ipv4(&owned);
        outer.set_skb(&owned);
        let family = Self::family_of::<F>();
        let Some(lower) = skb_dev(&owned, rx) else {
            return -1;
        };
        match H::claim(family, &outer, lower, &owned, rx) {
            Some(claim) => {
                // The packet is ours from here on (C returns 0).
                H::receive(
                    claim,
                    core::mem::ManuallyDrop::into_inner(owned),
                    &outer,
                    rx,
                );
                0
            }
            // Untouched: the next handler or tunnel4 takes it.
            None => -1,
        }
    }

    /// # Safety
    ///
    /// Called by tunnel4.ko's ICMP error handler with the ICMP skb.
    unsafe extern "C" fn err<const F: u8>(skb: *mut bindings::sk_buff, info: u32) -> ffi::c_int {
        // SAFETY: borrowed for the call, never freed here.
        let borrowed = core::mem::ManuallyDrop::new(unsafe { SkBuff::from_raw(skb) });
        // SAFETY: an ICMP error handler runs in softirq context under RCU.
        let rx = unsafe { RxContext::assume_held() };
        let Some(lower) = skb_dev(&borrowed, rx) else {
            return ENOENT.to_errno();
        };
        let Some(err) = IcmpError::from_skb(&borrowed, info) else {
            return ENOENT.to_errno();
        };
        if H::error(Self::family_of::<F>(), &err, lower, rx) {
            0
        } else {
            ENOENT.to_errno()
        }
    }
}

impl<H: Tunnel4Handler> Drop for Tunnel4Registration<H> {
    fn drop(&mut self) {
        // SAFETY: registered in `new`; waits for running handlers.
        unsafe { bindings::xfrm4_tunnel_deregister(self.raw.get(), self.family.raw()) };
        super::rcu::barrier_deferred();
    }
}

/// `skb->dev` of a packet a protocol or ICMP error handler got, for the
/// handler's RCU section.
pub(crate) fn skb_dev<'a>(skb: &SkBuff, _rx: &'a RxContext) -> Option<&'a NetDevice> {
    // SAFETY: `skb->dev` (at its checked offset) of a received packet is a
    // registered device, freed only after an RCU grace period, which the
    // handler's section (`_rx`) holds off.
    unsafe {
        let d = skb
            .field::<*mut bindings::net_device>(bindings::RVNET_SKB_DEV_OFF)
            .read();
        if d.is_null() {
            return None;
        }
        Some(NetDevice::from_raw(d))
    }
}

/// `ip_hdr(skb)`: read inline at `skb->head + skb->network_header`.
pub(crate) fn outer_ipv4(skb: &SkBuff) -> OuterIpv4 {
    // SAFETY: in a protocol handler the network header is set and the
    // 20-byte IPv4 header there is linear (`ip_rcv_core` pulled `ihl * 4`).
    let h: [u8; 20] = unsafe {
        let off = skb
            .field::<u16>(bindings::RVNET_SKB_NETWORK_HEADER_OFF)
            .read();
        skb.head()
            .add(off as usize)
            .cast::<[u8; 20]>()
            .read_unaligned()
    };
    ipv4_fields(&h)
}

fn ipv4_fields(h: &[u8; 20]) -> OuterIpv4 {
    OuterIpv4 {
        skb: core::ptr::null(),
        tos: h[1],
        ttl: h[8],
        protocol: h[9],
        saddr: u32::from_ne_bytes([h[12], h[13], h[14], h[15]]),
        daddr: u32::from_ne_bytes([h[16], h[17], h[18], h[19]]),
    }
}

/// Device statistics kept in `dev->stats` (`DEV_STATS_INC`), the error
/// counters of the tunnel paths.
#[derive(Clone, Copy)]
pub enum DevStat {
    /// `rx_errors`.
    RxErrors,
    /// `rx_crc_errors` (GRE checksum).
    RxCrcErrors,
    /// `rx_fifo_errors` (GRE sequence).
    RxFifoErrors,
    /// `rx_frame_errors` (ECN).
    RxFrameErrors,
    /// `rx_dropped`.
    RxDropped,
    /// `multicast`.
    Multicast,
    /// `tx_errors`.
    TxErrors,
    /// `tx_dropped`.
    TxDropped,
    /// `tx_carrier_errors` (no route).
    TxCarrierErrors,
    /// `tx_fifo_errors` (NBMA without a route on the packet).
    TxFifoErrors,
    /// `collisions` (a route back through the tunnel itself).
    Collisions,
    /// `rx_length_errors` (inner header cut short).
    RxLengthErrors,
}

impl DevStat {
    fn raw(self) -> bindings::rvnet_dev_stat {
        match self {
            DevStat::RxErrors => bindings::rvnet_dev_stat_RVNET_STAT_RX_ERRORS,
            DevStat::RxCrcErrors => bindings::rvnet_dev_stat_RVNET_STAT_RX_CRC_ERRORS,
            DevStat::RxFifoErrors => bindings::rvnet_dev_stat_RVNET_STAT_RX_FIFO_ERRORS,
            DevStat::RxFrameErrors => bindings::rvnet_dev_stat_RVNET_STAT_RX_FRAME_ERRORS,
            DevStat::RxDropped => bindings::rvnet_dev_stat_RVNET_STAT_RX_DROPPED,
            DevStat::Multicast => bindings::rvnet_dev_stat_RVNET_STAT_MULTICAST,
            DevStat::TxErrors => bindings::rvnet_dev_stat_RVNET_STAT_TX_ERRORS,
            DevStat::TxDropped => bindings::rvnet_dev_stat_RVNET_STAT_TX_DROPPED,
            DevStat::TxCarrierErrors => bindings::rvnet_dev_stat_RVNET_STAT_TX_CARRIER_ERRORS,
            DevStat::TxFifoErrors => bindings::rvnet_dev_stat_RVNET_STAT_TX_FIFO_ERRORS,
            DevStat::Collisions => bindings::rvnet_dev_stat_RVNET_STAT_COLLISIONS,
            DevStat::RxLengthErrors => bindings::rvnet_dev_stat_RVNET_STAT_RX_LENGTH_ERRORS,
        }
    }
}

impl<D: Driver> Device<D> {
    // Writes behind the core's back: only on a driver's own devices.
    /// `DEV_STATS_INC(dev, stat)` (atomic, any context).
    pub fn stats_inc(&self, stat: DevStat) {
        // SAFETY: a live device; an atomic counter.
        unsafe { bindings::rvnet_dev_stats_inc(self.net_device().as_raw(), stat.raw()) }
    }

    /// `DEV_STATS_READ(dev, stat)`.
    pub fn stats_read(&self, stat: DevStat) -> u64 {
        // SAFETY: a live device; an atomic counter.
        unsafe { bindings::rvnet_dev_stats_get(self.net_device().as_raw(), stat.raw()) as u64 }
    }

    /// Sets a layer-3 tunnel's device address and broadcast address to its
    /// endpoints (`__dev_addr_set(dev, &saddr, 4)`, `dev->broadcast`), as
    /// C's tunnels do on creation and change; raw `__be32`s.
    pub fn set_tunnel_addr4(&self, saddr: u32, daddr: u32, _rtnl: &mut Rtnl) {
        // SAFETY: under RTNL, which serialises address changes.
        unsafe { bindings::rvnet_netdev_set_addr4(self.net_device().as_raw(), saddr, daddr) }
    }

    /// `dev->min_mtu`/`max_mtu`, under RTNL.
    pub fn set_mtu_limits(&self, min: u32, max: u32, _rtnl: &mut Rtnl) {
        // SAFETY: under RTNL.
        unsafe { bindings::rvnet_netdev_set_mtu_limits(self.net_device().as_raw(), min, max) }
    }

    /// `dev->type = ty` from `ndo_init` ([`Driver::init`]), while the
    /// device is being registered (C's `ipgre_netlink_parms` makes an
    /// external-mode gre `ARPHRD_NONE` before registering it); `EBUSY`
    /// once registered, when a type change is the core's business
    /// (`NETDEV_PRE_TYPE_CHANGE` and its listeners).
    pub fn set_type_unregistered(&self, ty: u16, _rtnl: &mut Rtnl) -> Result {
        // SAFETY: a device of ours; RTNL held; the helper refuses a
        // registered device (its type is then the core's to change).
        to_result(unsafe {
            bindings::rvnet_netdev_set_type_unregistered(self.net_device().as_raw(), ty)
        })
    }

    /// Keeps the device in its namespace from now on (`netns_immutable`;
    /// C sets it on a tunnel fallback device after registering it).
    pub fn set_netns_immutable(&self, _rtnl: &mut Rtnl) {
        // SAFETY: under RTNL, which `dev_change_net_namespace` needs too.
        unsafe { bindings::rvnet_netdev_set_netns_immutable(self.net_device().as_raw()) }
    }

    /// `dev->needed_headroom = headroom`, under RTNL.
    pub fn set_needed_headroom(&self, headroom: u32, _rtnl: &mut Rtnl) {
        // SAFETY: under RTNL; `WRITE_ONCE` for lockless readers.
        unsafe { bindings::rvnet_netdev_set_needed_headroom(self.net_device().as_raw(), headroom) }
    }

    /// Raises `dev->needed_headroom` to at least `headroom` (the transmit
    /// path's lockless `READ_ONCE`/`WRITE_ONCE`, as C's tunnels) and
    /// returns the value now.
    #[inline(always)]
    pub fn raise_needed_headroom(&self, headroom: u32) -> u32 {
        // SAFETY: a live device; `needed_headroom` a plain `u16` field,
        // read and written with volatile accesses (C's `READ_ONCE` /
        // `WRITE_ONCE`: racy by design, as in C).
        unsafe {
            let f = core::ptr::addr_of_mut!((*self.net_device().as_raw()).needed_headroom);
            if headroom > u32::from(f.read_volatile()) {
                // C stores into the `unsigned short` as this cast does.
                f.write_volatile(headroom as u16);
            }
            f.read_volatile().into()
        }
    }
}

impl NetDevice {
    /// `hard_header_len + needed_headroom`: the room a packet needs in
    /// front of it to go out on this device.
    pub fn lower_hlen(&self) -> u32 {
        // SAFETY: a live device.
        unsafe { bindings::rvnet_netdev_lower_hlen(self.as_raw()) }
    }
}

impl<D: Driver> Setup<'_, D> {
    /// A layer-3 tunnel device (`ipip_tunnel_setup`): `type` (`ARPHRD_*`),
    /// `addr_len` bytes of address (4: the endpoints), no ARP, lockless
    /// transmit, the route kept on transmitted packets, and
    /// `ip_tunnel_header_ops` (packet sockets learn the inner protocol).
    pub fn iptunnel_setup(&mut self, ty: u16, addr_len: u8) {
        // SAFETY: the device is exclusively ours during setup.
        unsafe { bindings::rvnet_netdev_setup_iptunnel(self.raw(), ty, addr_len) }
    }
}

impl Net {
    /// Whether tunnel drivers create their fallback devices (`tunl0`,
    /// `gre0`, `sit0`) in this namespace (`net_has_fallback_tunnels`:
    /// `net.core.fb_tunnels_only_for_init_net`).
    pub fn has_fallback_tunnels(&self) -> bool {
        // SAFETY: a live namespace.
        unsafe { bindings::rvnet_net_has_fallback_tunnels(self.as_raw()) }
    }

    /// Whether the namespace is being dismantled (its last reference is
    /// gone: `cleanup_net` runs its exit methods).
    pub fn is_dying(&self) -> bool {
        // SAFETY: a live namespace (its memory stays until the exits end).
        unsafe { bindings::rvnet_net_is_dying(self.as_raw()) }
    }
}

/// A tunnel's FOU/GUE encapsulation (`struct ip_tunnel_encap`): `ty` a
/// `TUNNEL_ENCAP_*`, `flags` `TUNNEL_ENCAP_FLAG_*`, ports in network order
/// as in memory (0: the source port from the flow hash).
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct TunnelEncap {
    /// `type`.
    pub ty: u16,
    /// `flags`.
    pub flags: u16,
    /// `sport` (`__be16`).
    pub sport: u16,
    /// `dport` (`__be16`).
    pub dport: u16,
}

const _: () = assert!(core::mem::size_of::<TunnelEncap>() == 8);

impl TunnelEncap {
    /// `ip_encap_hlen`: the bytes the encapsulation adds, `EINVAL` for a
    /// type the kernel has no handler for (FOU/GUE are built in).
    pub fn hlen(&self) -> Result<u32> {
        // SAFETY: `TunnelEncap` has `struct ip_tunnel_encap`'s layout
        // (repr(C), size checked here and in C); the helper only reads it.
        let r = unsafe { bindings::rvnet_ip_encap_hlen((self as *const Self).cast()) };
        if r < 0 {
            Err(Error::from_errno(r))
        } else {
            Ok(r as u32)
        }
    }
}

/// The fields of an IPv4 output route lookup (`ip_tunnel_init_flow`).
pub struct Flow4 {
    /// `flowi4_proto`.
    pub proto: u8,
    /// `daddr` (raw `__be32`).
    pub daddr: u32,
    /// `saddr` (raw `__be32`; 0: let the route choose).
    pub saddr: u32,
    /// `fl4_gre_key` (raw `__be32`).
    pub key: u32,
    /// `flowi4_tos`.
    pub tos: u8,
    /// `flowi4_oif` (0: any).
    pub oif: i32,
    /// `flowi4_mark`.
    pub mark: u32,
    /// `flowi4_multipath_hash`.
    pub hash: u32,
}

/// A counted reference to an IPv4 route (`struct rtable`), released with
/// `ip_rt_put` when dropped.
///
/// # Invariants
///
/// `ptr` is a valid route holding one reference owned by this value.
pub struct Route4 {
    ptr: core::ptr::NonNull<bindings::rtable>,
}

// SAFETY: a route reference may be released on any CPU.
unsafe impl Send for Route4 {}

impl Route4 {
    /// `ip_route_output_key` for `fl`: the route and the source address it
    /// chose (raw `__be32`), or the lookup's error.
    pub fn output(net: &Net, fl: &Flow4) -> Result<(Route4, u32)> {
        let mut saddr = fl.saddr;
        let mut err = 0;
        // SAFETY: a live namespace; the helper fills `saddr`/`err`.
        let rt = unsafe {
            bindings::rvnet_iptun_route(
                net.as_raw(),
                fl.proto.into(),
                fl.daddr,
                &mut saddr,
                fl.key,
                fl.tos,
                fl.oif,
                fl.mark,
                fl.hash,
                &mut err,
            )
        };
        match core::ptr::NonNull::new(rt) {
            // INVARIANT: the lookup returned a referenced route.
            Some(ptr) => Ok((Route4 { ptr }, saddr)),
            None => Err(Error::from_errno(err)),
        }
    }

    /// The output device (`rt->dst.dev`), live while the route is held.
    pub fn dev(&self) -> &NetDevice {
        // SAFETY: a held route pins its device.
        unsafe { NetDevice::from_raw(bindings::rvnet_rt_dev(self.ptr.as_ptr())) }
    }

    /// `LL_RESERVED_SPACE(rt->dst.dev) + rt->dst.header_len`.
    pub fn headroom(&self) -> u32 {
        // SAFETY: a held route.
        unsafe { bindings::rvnet_rt_headroom(self.ptr.as_ptr()) }
    }

    /// `ip4_dst_hoplimit(&rt->dst)`.
    pub fn hoplimit(&self) -> u8 {
        // SAFETY: a held route.
        unsafe { bindings::rvnet_rt_hoplimit(self.ptr.as_ptr()) as u8 }
    }

    /// `dst_mtu(&rt->dst)`.
    pub fn mtu(&self) -> u32 {
        // SAFETY: a held route.
        unsafe { bindings::rvnet_rt_mtu(self.ptr.as_ptr()) }
    }

    pub(crate) fn as_ptr(&self) -> *mut bindings::rtable {
        self.ptr.as_ptr()
    }

    fn into_raw(self) -> *mut bindings::rtable {
        let p = self.ptr.as_ptr();
        core::mem::forget(self);
        p
    }
}

impl Drop for Route4 {
    fn drop(&mut self) {
        // SAFETY: we own one reference (type invariant).
        unsafe { bindings::rvnet_rt_put(self.ptr.as_ptr()) }
    }
}

/// A per-CPU cache of a tunnel's route (`struct dst_cache`), for tunnels
/// with a fixed remote end. Set up in `ndo_init` ([`DstCache::init`]);
/// freed with the private data.
pub struct DstCache(Opaque<bindings::dst_cache>);

// SAFETY: the cache is per CPU and its operations are made for concurrent
// use from transmit paths (`dst_cache_get_ip4` with BH off) and RTNL
// (`dst_cache_reset`), as C's tunnels use it.
unsafe impl Send for DstCache {}
// SAFETY: as above.
unsafe impl Sync for DstCache {}

impl DstCache {
    /// An empty cache, not set up yet (`cache == NULL`: every operation is
    /// a no-op, as C's).
    pub fn new() -> Self {
        // SAFETY: all-zero is the "not initialised" state the C functions
        // check (`if (!dst_cache->cache)`).
        DstCache(Opaque::new(unsafe { MaybeUninit::zeroed().assume_init() }))
    }

    /// `dst_cache_init` (in `ndo_init`, under RTNL; may sleep).
    pub fn init(&self, _rtnl: &mut Rtnl) -> Result {
        // SAFETY: not shared yet with the data path (`ndo_init` runs before
        // the device can transmit); GFP_KERNEL in process context.
        to_result(unsafe { bindings::dst_cache_init(self.0.get(), bindings::RVNET_GFP_KERNEL) })
    }

    /// The cached route and source address, if valid (`dst_cache_get_ip4`).
    #[inline]
    pub fn get_ip4(&self, _pin: &impl CpuPinned) -> Option<(Route4, u32)> {
        let mut saddr = 0;
        // SAFETY: bottom halves off (`CpuPinned`), as the per-CPU cache
        // requires; the result is a referenced route.
        let rt = unsafe { bindings::dst_cache_get_ip4(self.0.get(), &mut saddr) };
        // INVARIANT: a non-null result carries a reference for us.
        core::ptr::NonNull::new(rt).map(|ptr| (Route4 { ptr }, saddr))
    }

    /// Caches `rt` with `saddr` on this CPU (`dst_cache_set_ip4`).
    #[inline]
    pub fn set_ip4(&self, rt: &Route4, saddr: u32, _pin: &impl CpuPinned) {
        // SAFETY: bottom halves off; the cache takes its own reference.
        unsafe { bindings::dst_cache_set_ip4(self.0.get(), rt.ptr.as_ptr().cast(), saddr) }
    }

    /// Forgets every CPU's route (`dst_cache_reset`), after a change of the
    /// tunnel's parameters (under RTNL, as C).
    pub fn reset(&self, _rtnl: &Rtnl) {
        // SAFETY: as C's callers, under RTNL; racing transmitters only see
        // an old or no route.
        unsafe { bindings::rvnet_dst_cache_reset(self.0.get()) }
    }
}

impl Default for DstCache {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for DstCache {
    fn drop(&mut self) {
        // SAFETY: `&mut`: no transmitter uses it any more (the private data
        // is dropped after unregistration); a no-op if never set up.
        unsafe { bindings::dst_cache_destroy(self.0.get()) }
    }
}

/// Per-CPU GRO cells (`struct gro_cells`): a tunnel's receive path hands
/// decapsulated packets to a per-CPU NAPI instead of the backlog.
pub struct GroCells(Opaque<bindings::gro_cells>);

// SAFETY: per-CPU cells made for concurrent receive paths.
unsafe impl Send for GroCells {}
// SAFETY: as above.
unsafe impl Sync for GroCells {}

impl GroCells {
    /// Cells not set up yet (`cells == NULL`).
    pub fn new() -> Self {
        // SAFETY: all-zero is the state `gro_cells_destroy` checks.
        GroCells(Opaque::new(unsafe { MaybeUninit::zeroed().assume_init() }))
    }

    /// `gro_cells_init` for `dev` (in `ndo_init`, under RTNL).
    pub fn init(&self, dev: &NetDevice, _rtnl: &mut Rtnl) -> Result {
        // SAFETY: `dev` is being registered and owns these cells (they are
        // in its private data); not yet used by any receive path.
        to_result(unsafe { bindings::gro_cells_init(self.0.get(), dev.as_raw()) })
    }

    /// Delivers a decapsulated packet as received on `dev`
    /// (`gro_cells_receive`): `dev` must be the device owning these cells,
    /// found under the caller's RCU section.
    #[inline]
    pub fn receive<'a>(&'a self, mut skb: SkBuff, dev: &'a NetDevice, _rx: &'a RxContext) {
        skb.set_dev(dev);
        // SAFETY: softirq (RxContext); the cells' device lives for the RCU
        // section (`'a`); the call takes the skb.
        unsafe { bindings::gro_cells_receive(self.0.get(), skb.into_raw()) };
    }
}

impl Default for GroCells {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for GroCells {
    fn drop(&mut self) {
        // SAFETY: `&mut` and after unregistration (private data teardown,
        // process context): no receive path uses the cells; a no-op if
        // never set up.
        unsafe { bindings::gro_cells_destroy(self.0.get()) }
    }
}

/// The GSO type a tunnel adds to offloaded packets it encapsulates.
#[derive(Clone, Copy)]
pub enum TunnelGso {
    /// `SKB_GSO_IPXIP4` (ipip, sit: IP in IPv4).
    IpxIp4,
    /// `SKB_GSO_GRE` (GRE without checksum).
    Gre,
    /// `SKB_GSO_GRE_CSUM` (GRE with checksum).
    GreCsum,
}

impl SkBuff {
    /// `ip_tunnel_encap`: pushes `encap`'s FOU/GUE header (nothing for
    /// `TUNNEL_ENCAP_NONE`) for a packet from `saddr` to `daddr` (raw
    /// `__be32`s, the UDP checksum's pseudo-header), changing `proto` to
    /// `IPPROTO_UDP`; `Err` (skb kept) when it cannot.
    #[inline]
    pub fn tunnel_encap(
        &mut self,
        encap: &TunnelEncap,
        proto: &mut u8,
        saddr: u32,
        daddr: u32,
    ) -> Result {
        if u32::from(encap.ty) == uapi::ENCAP_NONE {
            return Ok(());
        }
        // SAFETY: we own the skb; `encap` has the C layout; `proto` is a
        // valid `u8`.
        to_result(unsafe {
            bindings::rvnet_ip_tunnel_encap(
                self.as_raw(),
                (encap as *const TunnelEncap).cast(),
                proto,
                saddr,
                daddr,
            )
        })
    }

    /// Attaches receive metadata (`skb_dst_set`; after
    /// [`SkBuff::scrub`], which drops the dst).
    pub fn set_metadata_dst(&mut self, md: MetadataDst) {
        let p = md.0.as_ptr();
        core::mem::forget(md);
        // SAFETY: we own the skb and give it our dst reference.
        unsafe { bindings::rvnet_skb_set_metadata_dst(self.as_raw(), p) }
    }

    /// The IPv4 transmit key of an external-mode tunnel's packet
    /// (`skb_tunnel_info` with `IP_TUNNEL_INFO_TX`, `AF_INET`), if any.
    pub fn md_key(&self) -> Option<MdKey> {
        let mut k = bindings::rvnet_md_key::default();
        // SAFETY: we own the skb; the helper fills `k`.
        if !unsafe { bindings::rvnet_skb_md_key(self.as_raw(), &mut k) } {
            return None;
        }
        Some(MdKey {
            src: k.src,
            dst: k.dst,
            tos: k.tos,
            ttl: k.ttl,
            df: k.df,
            flags: k.flags,
            key: k.key32,
        })
    }

    /// `ip_md_tunnel_xmit`'s route: the flow from the packet's tunnel key
    /// (`tos`, the flow `hash`, `skb->mark`), the key's FOU/GUE header
    /// pushed (`proto` becomes UDP) and the key's own route cache used
    /// when usable. Gives the route, the source address and the
    /// encapsulation's length; `Err(None)` when the encapsulation failed,
    /// `Err(Some(e))` when no route. The key's route cache is per CPU:
    /// bottom halves off (`_pin`).
    pub fn md_route(
        &mut self,
        net: &Net,
        proto: &mut u8,
        tos: u8,
        hash: u32,
        _pin: &impl CpuPinned,
    ) -> core::result::Result<(Route4, u32, u32), Option<Error>> {
        let (mut saddr, mut hlen, mut err, mut encap_err) = (0u32, 0i32, 0i32, false);
        // SAFETY: we own the skb (its tunnel info was checked by the
        // caller through `md_key`; the helper checks again); outputs are
        // valid.
        let rt = unsafe {
            bindings::rvnet_md_tunnel_route(
                self.as_raw(),
                net.as_raw(),
                proto,
                tos,
                hash,
                &mut saddr,
                &mut hlen,
                &mut err,
                &mut encap_err,
            )
        };
        match core::ptr::NonNull::new(rt) {
            // INVARIANT: a referenced route.
            Some(ptr) => Ok((Route4 { ptr }, saddr, hlen.max(0) as u32)),
            None if encap_err => Err(None),
            None => Err(Some(Error::from_errno(err))),
        }
    }

    /// `iptunnel_handle_offloads(skb, gso)`: marks a GSO packet with the
    /// tunnel's GSO type and sets the inner headers; `Err` (skb kept) when
    /// it cannot.
    #[inline]
    pub fn tunnel_handle_offloads(&mut self, gso: TunnelGso) -> Result {
        let ty = match gso {
            TunnelGso::IpxIp4 => bindings::SKB_GSO_IPXIP4 as i32,
            TunnelGso::Gre => bindings::SKB_GSO_GRE as i32,
            TunnelGso::GreCsum => bindings::SKB_GSO_GRE_CSUM as i32,
        };
        // SAFETY: we own the skb.
        super::errno::check(unsafe { bindings::iptunnel_handle_offloads(self.as_raw(), ty) })
    }

    /// `skb_set_inner_ipproto(skb, proto)`.
    #[inline]
    pub fn set_inner_ipproto(&mut self, proto: u8) {
        // SAFETY: we own the skb.
        unsafe { bindings::rvnet_skb_set_inner_ipproto(self.as_raw(), proto) }
    }

    /// Clears the IPv4 control block options (`IPCB(skb)->opt`), as a
    /// tunnel does before encapsulating.
    #[inline(always)]
    pub fn clear_ipcb_opt(&mut self) {
        // SAFETY: we own the skb; `IPCB(skb)->opt` lies in its control
        // buffer at the checked offset, `RVNET_IPCB_OPT_LEN` bytes of
        // integers (all-zero valid), written inline as C's memset.
        unsafe {
            self.field::<u8>(bindings::RVNET_SKB_IPCB_OPT_OFF)
                .write_bytes(0, bindings::RVNET_IPCB_OPT_LEN)
        }
    }

    /// `skb_get_hash(skb)` (computed once, then cached in the skb).
    #[inline]
    pub fn get_hash(&mut self) -> u32 {
        // SAFETY: we own the skb.
        unsafe { bindings::rvnet_skb_get_hash(self.as_raw()) }
    }

    /// Up to `len` bytes of the inner packet's network header
    /// (`skb_inner_network_header`, set by
    /// [`SkBuff::tunnel_handle_offloads`]), as far as they are in the
    /// linear part; `None` if the header is not there at all.
    pub fn inner_network_header(&self, len: usize) -> Option<&[u8]> {
        // `skb->head + skb->inner_network_header`, inline: a `u16` at its
        // checked offset, only compared with the data below (never read
        // through unless inside the linear part).
        // SAFETY: we own the skb; a plain field read.
        let off = unsafe {
            self.field::<u16>(bindings::RVNET_SKB_INNER_NETWORK_HEADER_OFF)
                .read()
        };
        let p = self.head().wrapping_add(off.into());
        let data = self.head_data();
        // The linear part: data .. data + headlen.
        let start = (p as usize).checked_sub(data.as_ptr() as usize)?;
        let avail = data.len().checked_sub(start)?;
        data.get(start..start + avail.min(len))
    }

    /// Whether the packet is GSO (`skb_is_gso`).
    #[inline(always)]
    pub fn is_gso(&self) -> bool {
        // SAFETY: we own the skb; its shared info sits at `head + end`
        // (`skb_end_pointer`; `end` an offset on 64-bit, checked in
        // include/rvnet_bindings.h), `gso_size` a `u16` in it.
        unsafe {
            let end = core::ptr::addr_of!((*self.as_raw()).end).read() as usize;
            self.head()
                .add(end + bindings::RVNET_SHINFO_GSO_SIZE_OFF)
                .cast::<u16>()
                .read()
                != 0
        }
    }

    /// `dst_mtu(skb_dst(skb))` when the packet has a real route
    /// (`skb_valid_dst`).
    pub fn valid_dst_mtu(&self) -> Option<u32> {
        // SAFETY: we own the skb.
        let m = unsafe { bindings::rvnet_skb_valid_dst_mtu(self.as_raw()) };
        (m != 0).then_some(m)
    }

    /// Whether the packet has a route (`skb_dst(skb)`).
    pub fn has_dst(&self) -> bool {
        // SAFETY: we own the skb.
        unsafe { bindings::rvnet_skb_has_dst(self.as_raw()) }
    }

    /// `rt_nexthop(skb_rtable(skb), daddr)`: the gateway of the packet's
    /// IPv4 route, or `daddr` (an NBMA tunnel's remote end).
    pub fn rt_nexthop(&self, daddr: u32) -> u32 {
        // SAFETY: we own the skb; the caller checked `has_dst` and that
        // the packet is IPv4 (its route is an rtable).
        unsafe { bindings::rvnet_skb_rt_nexthop(self.as_raw(), daddr) }
    }

    /// `skb_dst_update_pmtu_no_confirm(skb, mtu)`.
    pub fn dst_update_pmtu(&mut self, mtu: u32) {
        // SAFETY: we own the skb.
        unsafe { bindings::rvnet_skb_dst_update_pmtu_no_confirm(self.as_raw(), mtu) }
    }

    /// `tnl_update_pmtu`'s IPv6 route metric update.
    pub fn rt6_update_mtu(&mut self, mtu: u32, unicast_daddr: bool) {
        // SAFETY: we own the skb.
        unsafe { bindings::rvnet_skb_rt6_update_mtu(self.as_raw(), mtu, unicast_daddr) }
    }

    /// Tells the sender "fragmentation needed" with `mtu` (`icmp_ndo_send`).
    pub fn icmp_frag_needed(&mut self, mtu: u32) {
        // SAFETY: we own the skb; the ICMP code copies what it needs.
        unsafe { bindings::rvnet_icmp_ndo_send_frag_needed(self.as_raw(), mtu) }
    }

    /// Tells the sender "packet too big" with `mtu` (`icmpv6_ndo_send`).
    pub fn icmpv6_too_big(&mut self, mtu: u32) {
        // SAFETY: as above.
        unsafe { bindings::rvnet_icmpv6_ndo_send_pkt_too_big(self.as_raw(), mtu) }
    }

    /// `dst_link_failure(skb)`: the sender learns the route failed.
    pub fn dst_link_failure(&mut self) {
        // SAFETY: we own the skb.
        unsafe { bindings::rvnet_dst_link_failure(self.as_raw()) }
    }

    /// `skb_cow_head(skb, headroom)`: at least `headroom` bytes of private
    /// headroom; `false` when memory is short.
    #[inline]
    pub fn cow_head(&mut self, headroom: u32) -> bool {
        // SAFETY: we own the skb; may reallocate its head.
        !unsafe { bindings::rvnet_skb_cow_head(self.as_raw(), headroom) }
    }

    /// `iptunnel_xmit`: pushes the outer IPv4 header (`saddr`, `daddr` raw
    /// `__be32`, `proto`, `tos`, `ttl`, `DF` if `df`) and sends the packet
    /// along `rt`, counting it on the tunnel (`skb->dev`'s `tstats`);
    /// `xnet` scrubs what must not cross namespaces. Consumes both.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn iptunnel_xmit(
        self,
        rt: Route4,
        saddr: u32,
        daddr: u32,
        proto: u8,
        tos: u8,
        ttl: u8,
        df: bool,
        xnet: bool,
    ) {
        // `htons(IP_DF)`.
        let df = if df { 0x4000u16.to_be() } else { 0 };
        // SAFETY: we own both; the call consumes them.
        unsafe {
            bindings::iptunnel_xmit(
                core::ptr::null_mut(),
                rt.into_raw(),
                self.into_raw(),
                saddr,
                daddr,
                proto,
                tos,
                ttl,
                df,
                xnet,
            )
        }
    }

    /// Receive: `xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb)`.
    #[inline]
    pub fn xfrm4_policy_check_in(&mut self) -> bool {
        // SAFETY: we own the skb.
        unsafe { bindings::rvnet_xfrm4_policy_check_in(self.as_raw()) }
    }

    /// Receive: `__iptunnel_pull_header(skb, hdr_len, inner_proto,
    /// raw_proto, xnet)` (pulls the tunnel header, sets `skb->protocol` to
    /// `inner_proto`, host order, or with `raw_proto` leaves an Ethernet
    /// payload's protocol to be read later; scrubs). `Err` means drop.
    #[inline]
    pub fn iptunnel_pull_header(
        &mut self,
        hdr_len: u32,
        inner_proto: u16,
        raw_proto: bool,
        xnet: bool,
    ) -> Result {
        // SAFETY: we own the skb.
        let ret = unsafe {
            bindings::__iptunnel_pull_header(
                self.as_raw(),
                hdr_len as i32,
                inner_proto.to_be(),
                raw_proto,
                xnet,
            )
        };
        super::errno::check(ret)
    }

    /// `skb_reset_mac_header(skb)`, inline as C's.
    #[inline(always)]
    pub fn reset_mac_header(&mut self) {
        self.set_header_at_data(bindings::RVNET_SKB_MAC_HEADER_OFF, 0)
    }

    /// `skb_reset_network_header(skb)`, inline as C's.
    #[inline(always)]
    pub fn reset_network_header(&mut self) {
        self.set_header_at_data(bindings::RVNET_SKB_NETWORK_HEADER_OFF, 0)
    }

    /// The first `N` bytes at `skb->data` if linear (received inner
    /// headers).
    #[inline]
    pub fn data_bytes<const N: usize>(&self) -> Option<[u8; N]> {
        self.head_data().get(..N)?.try_into().ok()
    }

    /// `INET_ECN_set_ce(skb)`: marks the inner packet Congestion
    /// Experienced (fixing the IPv4 checksum).
    pub fn inet_ecn_set_ce(&mut self) {
        // SAFETY: we own the skb.
        unsafe { bindings::rvnet_inet_ecn_set_ce(self.as_raw()) };
    }

    /// `INET_ECN_set_ect1(skb)`: marks the inner packet ECT(1).
    pub fn inet_ecn_set_ect1(&mut self) {
        // SAFETY: we own the skb.
        unsafe { bindings::rvnet_inet_ecn_set_ect1(self.as_raw()) };
    }

    /// `skb->pkt_type = PACKET_BROADCAST` (multicast outer destination).
    pub fn set_pkt_type_broadcast(&mut self) {
        // SAFETY: we own the skb.
        unsafe { bindings::rvnet_skb_set_pkt_type_broadcast(self.as_raw()) }
    }

    /// `skb_scrub_packet(skb, xnet)`.
    #[inline]
    pub fn scrub(&mut self, xnet: bool) {
        // SAFETY: we own the skb.
        unsafe { bindings::skb_scrub_packet(self.as_raw(), xnet) }
    }
}
