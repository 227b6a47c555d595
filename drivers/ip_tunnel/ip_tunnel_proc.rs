// SPDX-License-Identifier: GPL-2.0

//! A tunnel module's lines of `/proc/net/tunnels` (C has no such file):
//! one per tunnel of the namespace, what `ip tunnel show` says plus the
//! counters and the path MTU. The file and its header belong to
//! rvnet_tunnels (drivers/tunnels), which every tunnel module registers
//! with.
//!
//! Columns: `Iface Kind Local Remote Ikey Okey Link TTL TOS PMTUDisc
//! RxPackets RxBytes TxPackets TxBytes RxErrors TxErrors PMTU`. Addresses
//! dotted (`any` for 0), keys in hex (`-` without the key flag), `Link`
//! the underlay's name (`-` for none, the ifindex if it is gone), `TTL`
//! and `TOS` as numbers or `inherit`, `PMTUDisc` 1/0, `PMTU` the MTU of
//! the route to the remote end now (learnt path MTU included), or the
//! device's MTU when there is no remote end or route.

use super::tunnel::{Cfg, IpTunnel};
use crate::iptun::{addr::be32_to_bytes, flags::IP_TUNNEL_KEY_BIT};
use crate::netdev::{iptunnel::Route4, prelude::*, shared_proc::SharedProcProvider};
use crate::seq_print;
use core::marker::PhantomData;
use kernel::prelude::*;

/// Kind `D`'s lines of `/proc/net/tunnels`.
pub(crate) struct TunnelsProc<D>(PhantomData<D>);

struct Addr(u32);

impl core::fmt::Display for Addr {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.0 == 0 {
            return f.write_str("any");
        }
        let b = be32_to_bytes(self.0);
        write!(f, "{}.{}.{}.{}", b[0], b[1], b[2], b[3])
    }
}

struct Key(bool, u32);

impl core::fmt::Display for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            true => write!(f, "{:#x}", u32::from_be(self.1)),
            false => f.write_str("-"),
        }
    }
}

fn pmtu(net: &Net, cfg: &Cfg, dev_mtu: u32) -> u32 {
    if cfg.parms.iph.daddr == 0 {
        return dev_mtu;
    }
    match Route4::output(net, &cfg.route_flow()) {
        Ok((rt, _)) => rt.mtu(),
        Err(_) => dev_mtu,
    }
}

// Any kind whose devices carry the core's private data (sit too, which has its
// own table and no `TunnelKind`).
impl<D: Link<Data = IpTunnel>> SharedProcProvider for TunnelsProc<D> {
    fn show(m: &mut SeqFile, net: &Net) -> Result {
        let rtnl = RtnlGuard::lock();
        let rcu = RcuGuard::new();
        for dev in NetDevice::for_each_rcu(net, &rcu) {
            let Some(t) = dev.downcast::<D>() else {
                continue;
            };
            let cfg = t.data().cfg_rtnl(&rtnl);
            let p = &cfg.parms;
            let s = t.stats64();
            let link = match p.link {
                0 => None,
                i => Some(NetDevice::get_by_index(net, i, &rtnl).map(|d| d.name())),
            };
            let ttl = p.iph.ttl;
            let tos = p.iph.tos;
            seq_print!(
                m,
                "{:<16} {:<6} {:<15} {:<15} {:>10} {:>10} ",
                t.name(),
                D::KIND.to_str().unwrap_or("?"),
                Addr(p.iph.saddr),
                Addr(p.iph.daddr),
                Key(p.i_flags.test(IP_TUNNEL_KEY_BIT), p.i_key),
                Key(p.o_flags.test(IP_TUNNEL_KEY_BIT), p.o_key)
            );
            match link {
                None => {
                    seq_print!(m, "{:<16} ", "-");
                }
                Some(Some(name)) => {
                    seq_print!(m, "{:<16} ", name);
                }
                Some(None) => {
                    seq_print!(m, "{:<16} ", p.link);
                }
            }
            match ttl {
                0 => {
                    seq_print!(m, "{:>7} ", "inherit");
                }
                n => {
                    seq_print!(m, "{:>7} ", n);
                }
            }
            match tos & 1 {
                1 => {
                    seq_print!(m, "{:>7} ", "inherit");
                }
                _ => {
                    seq_print!(m, "{:>#7x} ", tos);
                }
            }
            seq_print!(
                m,
                "{:>8} {:>10} {:>12} {:>10} {:>12} {:>8} {:>8} {:>5}\n",
                u8::from(p.iph.df()),
                s.rx_packets,
                s.rx_bytes,
                s.tx_packets,
                s.tx_bytes,
                s.rx_errors,
                s.tx_errors,
                pmtu(net, &cfg, t.mtu())
            );
        }
        Ok(())
    }
}
