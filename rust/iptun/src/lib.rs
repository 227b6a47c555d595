// SPDX-License-Identifier: GPL-2.0

//! IPv4 tunnel core (ipip, gre, sit), the pure half.
//!
//! This crate mirrors the kernel-independent logic of Linux 6.12's IP
//! tunnel code: net/ipv4/ip_tunnel.c, net/ipv4/ip_tunnel_core.c,
//! net/ipv4/ipip.c, net/ipv4/ip_gre.c, net/ipv4/gre_demux.c,
//! net/ipv6/sit.c and the headers include/net/ip_tunnels.h,
//! include/net/inet_ecn.h, include/net/gre.h, include/net/erspan.h and
//! include/uapi/linux/if_tunnel.h. It is plain integer logic over plain
//! data: no kernel bindings, no allocation, no floating point, no
//! `unsafe`, and no panics on any input (arithmetic wraps like C's where
//! C's can). The same source files are compiled both as a normal
//! `no_std` crate (for host tests) and, in the kernel, as a module of a
//! tunnel driver crate:
//!
//! ```text
//! #[allow(dead_code)]
//! #[path = "../../rust/iptun/src/lib.rs"]
//! mod iptun;
//! ```
//!
//! For that reason every intra-crate path is written relative to the
//! module (`super::`), never `crate::`.
//!
//! Network-order values (`__be16`, `__be32`: addresses, keys, header
//! fields) are kept as they sit in memory ([`addr::Be32`] is
//! `u32::from_ne_bytes(bytes)`), so kernel code passes them through.
//!
//! | module | mirrors (Linux 6.12) |
//! | --- | --- |
//! | [`addr`] | `__be16`/`__be32`, `htonl` & co., `ipv4_is_multicast`, `ipv4_is_zeronet`, `ipv4_is_lbcast`, `ipv4_is_loopback` (include/linux/in.h) |
//! | [`err`] | the errno values returned (`-EINVAL`, `-EEXIST`, ...) |
//! | [`fmt`] | `%pI4`, `%pI6c` (`ip6_compressed_string`, lib/vsprintf.c), for log lines |
//! | [`flags`] | `IP_TUNNEL_*_BIT`, `ip_tunnel_flags_from_be16`, `ip_tunnel_flags_to_be16`, `ip_tunnel_flags_is_be16_compat`, `ip_tunnel_is_options_present`, `gre_flags_to_tnl_flags`, `gre_tnl_flags_to_gre_flags` |
//! | [`parms`] | `struct ip_tunnel_parm_kern`, `ip_tunnel_netlink_parms`, `ipip_netlink_parms`, `ipip_tunnel_validate`, `ipip_tunnel_ioctl_verify_protocol`, `ipip_changelink` checks, `ipip6_netlink_parms`, `ipip6_validate`, `ipip6_valid_ip_proto`, `ipgre_tunnel_validate`, `ipgre_netlink_parms` |
//! | [`lookup`] | `hash_32`, `ip_tunnel_hash`, `ip_bucket`, `ip_tunnel_key_match`, `ip_tunnel_lookup`, `ip_tunnel_find` |
//! | [`ecn`] | `INET_ECN_encapsulate`, `ip_tunnel_ecn_encap`, `__INET_ECN_decapsulate`, `INET_ECN_decapsulate`, `IP_ECN_decapsulate`, `IP6_ECN_decapsulate`, `IP(6)_ECN_set_ce`, `IP(6)_ECN_set_ect1`, `ipv6_get_dsfield` |
//! | [`xmit`] | `ip_tunnel_xmit` TOS/TTL/DF and headroom, `ip_tunnel_get_dsfield`, `ip_tunnel_get_ttl`, `tnl_update_pmtu`, `ip_tunnel_bind_dev`, `__ip_tunnel_change_mtu`, `ip_tunnel_newlink`'s MTU clamp, `ip_tunnel_limit_headroom`, `ip_tunnel_adj_headroom`, `LL_RESERVED_SPACE` |
//! | [`ioctl`] | uapi `struct ip_tunnel_parm`, `ip_tunnel_parm_from_user`, `ip_tunnel_parm_to_user`, the pure parts of `ip_tunnel_ctl`, `ipip_tunnel_ctl`, `ipgre_tunnel_ctl`, `__ipip6_tunnel_ioctl_validate` |
//! | [`erspan`] | `erspan_validate`, `erspan_netlink_parms`, the masks of include/net/erspan.h |
//! | [`erspan_md`] | `struct erspan_metadata` as `erspan_rcv` writes and `erspan_fb_xmit` reads it, `get_hwid`, `erspan_fb_xmit`'s truncation of a short IP packet |
//! | [`gre`] | `gre_calc_hlen`, `gre_build_header`, `gre_parse_header`, `erspan_hdr_len` |
//! | [`gre_header_ops`] | `ipgre_tunnel_init`'s choice of `ipgre_header_ops`, `ipgre_header`, `ipgre_header_parse`, `ipgre_xmit`'s `tnl_params` |
//! | [`sit`] | sit's `HASH`, `__ipip6_bucket`, `ipip6_tunnel_lookup`, `ipv6_addr_is_isatap`, `__ipip6_tunnel_locate_prl`, `isatap_chksrc`, `check_6rd`, `try_6rd`, `is_spoofed_6rd`, `only_dnatted`, `ipip6_tunnel_clone_6rd`, `ipip6_tunnel_update_6rd`, `ipip6_netlink_6rd_parms`, `ipv6_prefix_equal`, `ipv6_addr_prefix`, `__ipv6_addr_type` (the classes sit reads), `ipip6_tunnel_xmit`'s destination, `packet_is_spoofed`, `ipip6_tunnel_add_prl`/`del_prl`/`get_prl`, the `ip_tunnel_prl` and `ip_tunnel_6rd` blocks |
#![cfg_attr(not(any(test, CONFIG_RUST)), no_std)]

pub mod addr;
pub mod ecn;
pub mod err;
pub mod erspan;
pub mod erspan_md;
pub mod flags;
pub mod fmt;
pub mod gre;
pub mod gre_header_ops;
pub mod ioctl;
pub mod lookup;
pub mod parms;
pub mod sit;
pub mod xmit;
