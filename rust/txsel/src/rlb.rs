// SPDX-License-Identifier: GPL-2.0

//! Receive load balancing (the receive half of balance-alb): the table of
//! 256 clients, each told by an ARP reply the address of the slave it
//! should send to.
//!
//! Mirrors the `rlb_*` functions of drivers/net/bonding/bond_alb.c of
//! Linux 6.12 (not wired into rvnet_bond yet: balance-alb is refused):
//!
//! * [`Rlb::choose_channel`] is `rlb_choose_channel()`: the entry of the
//!   ARP's target (`_simple_hash` of `ip_dst`) keeps its slave for the
//!   same pair of addresses, or is taken over (the old client first moved
//!   to the active slave and told so) and given the next receive slave
//!   ([`Rlb::next_rx_slave`], `__rlb_next_rx_slave()`: the fastest usable
//!   slave after the last one chosen, wrapping, the earlier one on ties).
//! * [`Rlb::update_entry_from_arp`], [`Rlb::purge_src_ip`]: what
//!   `rlb_arp_recv()` does with a received ARP.
//! * [`Rlb::clear_port`] (`rlb_clear_slave()`), [`Rlb::rebalance`]
//!   (`rlb_rebalance()`), [`Rlb::req_update_port_clients`]
//!   (`rlb_req_update_slave_clients()`), [`Rlb::req_update_subnet_clients`]
//!   (`rlb_req_update_subnet_clients()`), [`Rlb::clear_vlan`]
//!   (`rlb_clear_vlan()`), [`Rlb::take_updates`] (the walk of
//!   `rlb_update_rx_clients()`).
//! * [`ArpPkt`] is `struct arp_pkt`.
//!
//! Slaves are named by their [`Port::index`], as in [`super::tlb`].

use super::fixed_table::FixedTable;
use super::{alb::SlaveAddr, tlb::ALB_TIMER_TICKS_PER_SEC, Port, PortIndex};
use core::ops::DerefMut;

/// `RLB_HASH_TABLE_SIZE`.
pub const RLB_HASH_TABLE_SIZE: usize = 256;
/// `RLB_NULL_INDEX`.
pub const RLB_NULL_INDEX: u32 = 0xffff_ffff;
/// `RLB_UPDATE_DELAY`: monitor ticks before clients are updated.
pub const RLB_UPDATE_DELAY: u32 = 2 * ALB_TIMER_TICKS_PER_SEC;
/// `RLB_ARP_BURST_SIZE`: ARP replies per client update.
pub const RLB_ARP_BURST_SIZE: u32 = 2;
/// `RLB_UPDATE_RETRY`: monitor ticks an update is repeated.
pub const RLB_UPDATE_RETRY: u32 = 3;
/// `RLB_PROMISC_TIMEOUT`: ticks the active slave stays promiscuous.
pub const RLB_PROMISC_TIMEOUT: u32 = 10 * ALB_TIMER_TICKS_PER_SEC;

/// `ARPOP_REQUEST`, `ARPOP_REPLY`.
pub const ARPOP_REQUEST: u16 = 1;
/// `ARPOP_REPLY`.
pub const ARPOP_REPLY: u16 = 2;

/// `struct arp_pkt`: the fields of an Ethernet/IPv4 ARP packet the
/// receive balancing reads (from the ARP header on).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArpPkt {
    /// `op_code`.
    pub op: u16,
    /// `mac_src`, `ip_src`, `mac_dst`, `ip_dst` (network order bytes).
    pub mac_src: [u8; 6],
    /// Sender IP.
    pub ip_src: [u8; 4],
    /// Target hardware address.
    pub mac_dst: [u8; 6],
    /// Target IP.
    pub ip_dst: [u8; 4],
}

/// `sizeof(struct arp_pkt)`.
pub const ARP_PKT_LEN: usize = 28;

impl ArpPkt {
    /// Reads `struct arp_pkt` at the start of `b`, `None` if too short.
    pub fn parse(b: &[u8]) -> Option<ArpPkt> {
        let b = b.get(..ARP_PKT_LEN)?;
        let mut p = ArpPkt {
            op: u16::from_be_bytes([b[6], b[7]]),
            mac_src: [0; 6],
            ip_src: [0; 4],
            mac_dst: [0; 6],
            ip_dst: [0; 4],
        };
        p.mac_src.copy_from_slice(&b[8..14]);
        p.ip_src.copy_from_slice(&b[14..18]);
        p.mac_dst.copy_from_slice(&b[18..24]);
        p.ip_dst.copy_from_slice(&b[24..28]);
        Some(p)
    }
}

/// `is_valid_ether_addr()`: not multicast, not zero.
pub fn is_valid_ether_addr(m: &[u8; 6]) -> bool {
    m[0] & 1 == 0 && m.iter().any(|&b| b != 0)
}

/// One client (`struct rlb_client_info`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RlbClient {
    /// The bond's address the client talks to.
    pub ip_src: [u8; 4],
    /// The client's address.
    pub ip_dst: [u8; 4],
    /// The address the client learns (source of the bond's ARP).
    pub mac_src: [u8; 6],
    /// The client's hardware address.
    pub mac_dst: [u8; 6],
    /// The list of used entries.
    pub used_next: u32,
    /// The list of used entries.
    pub used_prev: u32,
    /// Head of the list of entries whose `ip_src` hashes here.
    pub src_first: u32,
    /// That list's links.
    pub src_next: u32,
    /// That list's links.
    pub src_prev: u32,
    /// The client must be told its slave again.
    pub ntt: bool,
    /// The entry is in use.
    pub assigned: bool,
    /// The VLAN the client was seen on.
    pub vlan_id: u16,
    /// The slave the client should send to ([`Port::index`]).
    pub slave: Option<u32>,
}

impl RlbClient {
    /// `rlb_init_table_entry()`.
    pub const EMPTY: RlbClient = RlbClient {
        ip_src: [0; 4],
        ip_dst: [0; 4],
        mac_src: [0; 6],
        mac_dst: [0; 6],
        used_next: RLB_NULL_INDEX,
        used_prev: RLB_NULL_INDEX,
        src_first: RLB_NULL_INDEX,
        src_next: RLB_NULL_INDEX,
        src_prev: RLB_NULL_INDEX,
        ntt: false,
        assigned: false,
        vlan_id: 0,
        slave: None,
    };

    /// `rlb_init_table_entry_dst()`.
    fn reset_dst(&mut self) {
        self.used_next = RLB_NULL_INDEX;
        self.used_prev = RLB_NULL_INDEX;
        self.assigned = false;
        self.slave = None;
        self.vlan_id = 0;
    }
}

/// What [`Rlb::choose_channel`] decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    /// The slave the ARP leaves on (`None`: the active slave).
    pub port: Option<PortIndex>,
    /// An entry whose old client was moved to the active slave and must
    /// be told now (`rlb_update_client`).
    pub update_now: Option<u8>,
}

/// The table as a fixed array (the default storage of [`Rlb`]).
pub type Table = FixedTable<RlbClient, RLB_HASH_TABLE_SIZE>;

/// The receive balancing state of one bond (the `rlb_*` fields of
/// `struct alb_bond_info`). The table is `T`, a fixed array by default;
/// a kernel user gives it one allocated apart ([`Rlb::with_table`]).
#[derive(Clone, Debug)]
pub struct Rlb<T = Table> {
    table: T,
    used_head: u32,
    /// `rx_slave`: the last slave given to a client.
    pub rx_slave: Option<u32>,
    /// `rx_ntt`: some client must be updated.
    pub rx_ntt: bool,
    /// `rlb_update_delay_counter`.
    pub update_delay: u32,
    /// `rlb_update_retry_counter`.
    pub update_retry: u32,
    /// `rlb_rebalance`: rebalance at the next tick.
    pub rebalance_pending: bool,
}

impl Default for Rlb {
    fn default() -> Self {
        Rlb::new()
    }
}

/// `_simple_hash` of an IPv4 address, as a table index.
fn ip_hash(ip: &[u8; 4]) -> usize {
    usize::from(super::tlb::simple_hash(ip))
}

impl Rlb {
    /// `rlb_initialize()`: every entry empty.
    pub const fn new() -> Self {
        Rlb::bare(Table::filled(RlbClient::EMPTY))
    }
}

impl<T> Rlb<T> {
    /// The state over `table`, which the caller has emptied.
    const fn bare(table: T) -> Self {
        Rlb {
            table,
            used_head: RLB_NULL_INDEX,
            rx_slave: None,
            rx_ntt: false,
            update_delay: 0,
            update_retry: 0,
            rebalance_pending: false,
        }
    }
}

impl<T: DerefMut<Target = [RlbClient]>> Rlb<T> {
    /// The state over `table` ([`RLB_HASH_TABLE_SIZE`] entries, else
    /// `None`), reset as by [`Rlb::reset`].
    pub fn with_table(table: T) -> Option<Self> {
        if table.len() != RLB_HASH_TABLE_SIZE {
            return None;
        }
        let mut r = Rlb::bare(table);
        r.reset();
        Some(r)
    }

    /// `rlb_initialize()` again (the bond opens): every entry empty.
    pub fn reset(&mut self) {
        for e in self.table.iter_mut() {
            *e = RlbClient::EMPTY;
        }
        self.used_head = RLB_NULL_INDEX;
        self.rx_slave = None;
        self.rx_ntt = false;
        self.update_delay = 0;
        self.update_retry = 0;
        self.rebalance_pending = false;
    }

    /// Entry `i`.
    pub fn entry(&self, i: u8) -> &RlbClient {
        &self.table[usize::from(i)]
    }

    /// The used entries, most recent first.
    pub fn used(&self) -> impl Iterator<Item = u8> + '_ {
        super::list_walk(self.used_head, RLB_HASH_TABLE_SIZE, |i| {
            self.table.get(i as usize).map(|e| e.used_next)
        })
        .map(|i| i as u8)
    }

    /// `__rlb_next_rx_slave()`: among the ports that can transmit, the
    /// fastest after the last one chosen (`rx_slave`), else the fastest up
    /// to it; remembered as the new `rx_slave`.
    pub fn next_rx_slave(&mut self, ports: &[Port]) -> Option<PortIndex> {
        let mut before: Option<PortIndex> = None;
        let mut after: Option<PortIndex> = None;
        let mut found = false;
        for (i, p) in ports.iter().enumerate() {
            if !p.can_tx() {
                continue;
            }
            let slot = if found { &mut after } else { &mut before };
            if slot.is_none_or_slower(ports, p.speed) {
                *slot = Some(i);
            }
            if Some(p.index) == self.rx_slave {
                found = true;
            }
        }
        let chosen = match (after, before) {
            (Some(a), Some(b)) if ports[a].speed < ports[b].speed => Some(b),
            (None, b) => b,
            (a, _) => a,
        };
        if let Some(c) = chosen {
            self.rx_slave = Some(ports[c].index);
        }
        chosen
    }

    /// `rlb_src_unlink()`.
    fn src_unlink(&mut self, index: usize) {
        let (next, prev) = (self.table[index].src_next, self.table[index].src_prev);
        self.table[index].src_next = RLB_NULL_INDEX;
        self.table[index].src_prev = RLB_NULL_INDEX;
        if let Some(n) = self.table.get_mut(next as usize) {
            n.src_prev = prev;
        }
        let Some(p) = self.table.get_mut(prev as usize) else {
            return;
        };
        if p.src_first == index as u32 {
            p.src_first = next;
        } else {
            p.src_next = next;
        }
    }

    /// `rlb_src_link()`.
    fn src_link(&mut self, src_hash: usize, dst_hash: usize) {
        self.table[dst_hash].src_prev = src_hash as u32;
        let next = self.table[src_hash].src_first;
        self.table[dst_hash].src_next = next;
        if let Some(n) = self.table.get_mut(next as usize) {
            n.src_prev = dst_hash as u32;
        }
        self.table[src_hash].src_first = dst_hash as u32;
    }

    /// `rlb_delete_table_entry()`.
    fn delete_entry(&mut self, index: usize) {
        let (next, prev) = (self.table[index].used_next, self.table[index].used_prev);
        if index as u32 == self.used_head {
            self.used_head = next;
        }
        if let Some(p) = self.table.get_mut(prev as usize) {
            p.used_next = next;
        }
        if let Some(n) = self.table.get_mut(next as usize) {
            n.used_prev = prev;
        }
        self.table[index].reset_dst();
        self.src_unlink(index);
    }

    /// `rlb_purge_src_ip()`: the entries for `arp.ip_src` learnt from
    /// another hardware address are deleted.
    pub fn purge_src_ip(&mut self, arp: &ArpPkt) {
        let mut index = self.table[ip_hash(&arp.ip_src)].src_first;
        for _ in 0..RLB_HASH_TABLE_SIZE {
            let Some(e) = self.table.get(index as usize) else {
                break;
            };
            let next = e.src_next;
            if e.ip_src == arp.ip_src && e.mac_src != arp.mac_src {
                self.delete_entry(index as usize);
            }
            index = next;
        }
    }

    /// `rlb_update_entry_from_arp()`: a reply from a known client with a
    /// new hardware address marks it for an update.
    pub fn update_entry_from_arp(&mut self, arp: &ArpPkt) {
        let c = &mut self.table[ip_hash(&arp.ip_src)];
        if c.assigned
            && c.ip_src == arp.ip_dst
            && c.ip_dst == arp.ip_src
            && c.mac_dst != arp.mac_src
        {
            c.mac_dst = arp.mac_src;
            c.ntt = true;
            self.rx_ntt = true;
        }
    }

    /// `rlb_choose_channel()` for an ARP the bond sends (`vlan_id`: its
    /// tag, 0 without), `curr` the active slave.
    pub fn choose_channel(
        &mut self,
        arp: &ArpPkt,
        vlan_id: u16,
        ports: &[Port],
        curr: Option<PortIndex>,
    ) -> Choice {
        let h = ip_hash(&arp.ip_dst);
        let mut update_now = None;
        let c = self.table[h];
        if c.assigned {
            if c.ip_src == arp.ip_src && c.ip_dst == arp.ip_dst {
                let e = &mut self.table[h];
                if arp.mac_dst != [0xff; 6] {
                    e.mac_dst = arp.mac_dst;
                }
                e.mac_src = arp.mac_src;
                if let Some(id) = e.slave {
                    return Choice {
                        port: ports.iter().position(|p| p.index == id),
                        update_now: None,
                    };
                }
            } else if let Some(a) = curr.and_then(|a| ports.get(a)) {
                if c.slave != Some(a.index) {
                    self.table[h].slave = Some(a.index);
                    update_now = Some(h as u8);
                }
            }
        }
        let Some(chosen) = self.next_rx_slave(ports) else {
            return Choice {
                port: None,
                update_now,
            };
        };
        let c = self.table[h];
        if !(c.assigned && c.ip_src == arp.ip_src) {
            self.src_unlink(h);
            self.src_link(ip_hash(&arp.ip_src), h);
        }
        let valid = is_valid_ether_addr(&arp.mac_dst);
        let e = &mut self.table[h];
        e.ip_src = arp.ip_src;
        e.ip_dst = arp.ip_dst;
        e.mac_dst = arp.mac_dst;
        e.mac_src = arp.mac_src;
        e.slave = Some(ports[chosen].index);
        e.ntt = valid;
        e.vlan_id = vlan_id;
        if valid {
            self.rx_ntt = true;
        }
        if !self.table[h].assigned {
            let prev = self.used_head;
            self.used_head = h as u32;
            self.table[h].used_next = prev;
            if let Some(p) = self.table.get_mut(prev as usize) {
                p.used_prev = h as u32;
            }
            self.table[h].assigned = true;
        }
        Choice {
            port: Some(chosen),
            update_now,
        }
    }

    /// `rlb_clear_slave()`: the clients of the port named `id` go to the
    /// next receive slave among `ports` (told again, with retries), or to
    /// none.
    pub fn clear_port(&mut self, id: u32, ports: &[Port]) {
        let used: [u8; RLB_HASH_TABLE_SIZE] = self.used_array();
        let n = self.used().count();
        for &i in &used[..n] {
            let i = usize::from(i);
            if self.table[i].slave != Some(id) {
                continue;
            }
            match self.next_rx_slave(ports) {
                Some(p) => {
                    self.table[i].slave = Some(ports[p].index);
                    if is_valid_ether_addr(&self.table[i].mac_dst) {
                        self.table[i].ntt = true;
                        self.rx_ntt = true;
                        self.update_retry = RLB_UPDATE_RETRY;
                    }
                }
                None => self.table[i].slave = None,
            }
        }
    }

    /// The used entries in list order, in a fixed array.
    fn used_array(&self) -> [u8; RLB_HASH_TABLE_SIZE] {
        let mut a = [0u8; RLB_HASH_TABLE_SIZE];
        for (slot, i) in a.iter_mut().zip(self.used()) {
            *slot = i;
        }
        a
    }

    /// `rlb_rebalance()`: every client given the next receive slave in
    /// turn; those that moved (with a known address) are to be told.
    pub fn rebalance(&mut self, ports: &[Port]) {
        let used = self.used_array();
        let n = self.used().count();
        let mut ntt = false;
        for &i in &used[..n] {
            let i = usize::from(i);
            let Some(p) = self.next_rx_slave(ports) else {
                continue;
            };
            if self.table[i].slave != Some(ports[p].index) {
                self.table[i].slave = Some(ports[p].index);
                if self.table[i].mac_dst != [0; 6] {
                    self.table[i].ntt = true;
                    ntt = true;
                }
            }
        }
        if ntt {
            self.rx_ntt = true;
        }
    }

    /// `rlb_req_update_slave_clients()`: the port named `id` changed
    /// address; its clients are to be told.
    pub fn req_update_port_clients(&mut self, id: u32) {
        let mut ntt = false;
        let used = self.used_array();
        let n = self.used().count();
        for &i in &used[..n] {
            let e = &mut self.table[usize::from(i)];
            if e.slave == Some(id) && is_valid_ether_addr(&e.mac_dst) {
                e.ntt = true;
                ntt = true;
            }
        }
        if ntt {
            self.rx_ntt = true;
            self.update_retry = RLB_UPDATE_RETRY;
        }
    }

    /// `rlb_req_update_subnet_clients()`: after an ARP request from
    /// `ip_src` (broadcast, so every client learnt the active slave), the
    /// clients of `ip_src` on a slave without the bond's address are to be
    /// told again. `addrs[i]` is the port named `i`'s address,
    /// `bond_addr` the bond's.
    pub fn req_update_subnet_clients(
        &mut self,
        ip_src: &[u8; 4],
        addrs: &[SlaveAddr],
        bond_addr: &[u8; 6],
    ) {
        self.req_update_subnet_clients_by(ip_src, |id| {
            addrs.get(id as usize).is_some_and(|a| &a.cur == bond_addr)
        })
    }

    /// [`Rlb::req_update_subnet_clients`] with `on_bond_addr(id)` telling
    /// whether the port named `id` has the bond's address (no table of
    /// addresses to build on the transmit path).
    pub fn req_update_subnet_clients_by(
        &mut self,
        ip_src: &[u8; 4],
        on_bond_addr: impl Fn(u32) -> bool,
    ) {
        let used = self.used_array();
        let n = self.used().count();
        for &i in &used[..n] {
            let e = &mut self.table[usize::from(i)];
            let Some(id) = e.slave else {
                continue;
            };
            if &e.ip_src == ip_src && !on_bond_addr(id) && is_valid_ether_addr(&e.mac_dst) {
                e.ntt = true;
                self.rx_ntt = true;
            }
        }
    }

    /// `rlb_clear_vlan()`: the clients seen on VLAN `vid` are forgotten.
    pub fn clear_vlan(&mut self, vid: u16) {
        let used = self.used_array();
        let n = self.used().count();
        for &i in &used[..n] {
            if self.table[usize::from(i)].vlan_id == vid {
                self.delete_entry(usize::from(i));
            }
        }
    }

    /// The walk of `rlb_update_rx_clients()`: the entries to tell now
    /// (the caller sends [`RLB_ARP_BURST_SIZE`] replies for each that has
    /// a slave and a valid address), their marks cleared unless retries
    /// remain; the update delay starts again.
    pub fn take_updates(&mut self, out: &mut [u8; RLB_HASH_TABLE_SIZE]) -> usize {
        let used = self.used_array();
        let n = self.used().count();
        let mut k = 0;
        for &i in &used[..n] {
            let e = &mut self.table[usize::from(i)];
            if e.ntt {
                out[k] = i;
                k += 1;
                if self.update_retry == 0 {
                    e.ntt = false;
                }
            }
        }
        self.update_delay = RLB_UPDATE_DELAY;
        k
    }

    /// The port named `index` left (after [`Rlb::clear_port`]): ports
    /// named after it are renamed one down.
    pub fn remove_port(&mut self, index: u32) {
        for e in self.table.iter_mut() {
            match e.slave {
                Some(id) if id == index => e.slave = None,
                Some(id) if id > index => e.slave = Some(id - 1),
                _ => {}
            }
        }
        match self.rx_slave {
            Some(id) if id == index => self.rx_slave = None,
            Some(id) if id > index => self.rx_slave = Some(id - 1),
            _ => {}
        }
    }
}

/// "None, or a port slower than `speed`" for [`Rlb::next_rx_slave`].
trait Slower {
    fn is_none_or_slower(&self, ports: &[Port], speed: u32) -> bool;
}

impl Slower for Option<PortIndex> {
    fn is_none_or_slower(&self, ports: &[Port], speed: u32) -> bool {
        match self {
            None => true,
            Some(i) => ports.get(*i).is_some_and(|p| p.speed < speed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ports(speeds: &[u32]) -> Vec<Port> {
        speeds
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                let mut p = Port::new(i as u32);
                p.speed = s;
                p
            })
            .collect()
    }

    fn arp(op: u16, ip_src: u8, ip_dst: u8, mac_dst: [u8; 6]) -> ArpPkt {
        ArpPkt {
            op,
            mac_src: [2, 0, 0, 0, 0, 0xb],
            ip_src: [10, 0, 0, ip_src],
            mac_dst,
            ip_dst: [10, 0, 0, ip_dst],
        }
    }

    const BCAST: [u8; 6] = [0xff; 6];
    fn client(n: u8) -> [u8; 6] {
        [2, 0, 0, 0, 1, n]
    }

    #[test]
    fn parse_arp_pkt() {
        let mut b = [0u8; 28];
        b[7] = 2;
        b[8..14].copy_from_slice(&[2, 0, 0, 0, 0, 1]);
        b[14..18].copy_from_slice(&[10, 0, 0, 1]);
        b[24..28].copy_from_slice(&[10, 0, 0, 2]);
        let p = ArpPkt::parse(&b).unwrap();
        assert_eq!(p.op, ARPOP_REPLY);
        assert_eq!(p.ip_dst, [10, 0, 0, 2]);
        assert!(ArpPkt::parse(&b[..27]).is_none());
    }

    #[test]
    fn next_rx_slave_turns_over_equal_slaves() {
        let p = ports(&[1000, 1000, 1000]);
        let mut r = Rlb::new();
        let picks: Vec<_> = (0..4).map(|_| r.next_rx_slave(&p)).collect();
        assert_eq!(picks, [Some(0), Some(1), Some(2), Some(0)]);
        // A faster one before the current wins over slower ones after it.
        let p = ports(&[10000, 1000, 1000]);
        r.rx_slave = Some(1);
        assert_eq!(r.next_rx_slave(&p), Some(0));
    }

    #[test]
    fn clients_get_different_slaves() {
        let p = ports(&[1000, 1000]);
        let mut r = Rlb::new();
        let a = r.choose_channel(&arp(ARPOP_REPLY, 1, 2, client(2)), 0, &p, Some(0));
        let b = r.choose_channel(&arp(ARPOP_REPLY, 1, 3, client(3)), 0, &p, Some(0));
        assert_eq!((a.port, b.port), (Some(0), Some(1)));
        // The same client keeps its slave.
        let a2 = r.choose_channel(&arp(ARPOP_REPLY, 1, 2, client(2)), 0, &p, Some(0));
        assert_eq!(a2.port, Some(0));
        assert_eq!(r.used().count(), 2);
        assert!(r.rx_ntt);
        // A request (broadcast target) is not to be told.
        let c = r.choose_channel(&arp(ARPOP_REQUEST, 1, 4, BCAST), 0, &p, Some(0));
        assert_eq!(c.port, Some(0));
        assert!(!r.entry(super::super::tlb::simple_hash(&[10, 0, 0, 4])).ntt);
    }

    #[test]
    fn taken_over_entry_moves_old_client_to_active() {
        let p = ports(&[1000, 1000]);
        let mut r = Rlb::new();
        r.rx_slave = Some(0);
        // 10.0.0.2 and 10.0.1.3 hash alike (XOR of the bytes).
        let first = r.choose_channel(&arp(ARPOP_REPLY, 1, 2, client(2)), 0, &p, Some(0));
        assert_eq!(first.port, Some(1));
        let mut other = arp(ARPOP_REPLY, 1, 2, client(9));
        other.ip_dst = [10, 0, 1, 3];
        let c = r.choose_channel(&other, 0, &p, Some(0));
        assert!(c.update_now.is_some());
        assert_eq!(c.port, Some(0));
    }

    #[test]
    fn clear_port_reassigns_and_purge_deletes() {
        let p = ports(&[1000, 1000]);
        let mut r = Rlb::new();
        for d in 2..6 {
            r.choose_channel(&arp(ARPOP_REPLY, 1, d, client(d)), 0, &p, Some(0));
        }
        r.clear_port(1, &p[..1]);
        assert!(r.used().all(|i| r.entry(i).slave == Some(0)));
        assert_eq!(r.update_retry, RLB_UPDATE_RETRY);
        let mut out = [0u8; RLB_HASH_TABLE_SIZE];
        assert_eq!(r.take_updates(&mut out), 4);
        assert_eq!(r.update_delay, RLB_UPDATE_DELAY);
        // Another host now has 10.0.0.1: its entries go.
        let mut a = arp(ARPOP_REQUEST, 1, 9, BCAST);
        a.mac_src = [2, 0, 0, 0, 0, 0xc];
        r.purge_src_ip(&a);
        assert_eq!(r.used().count(), 0);
    }

    #[test]
    fn reply_from_client_updates_its_mac() {
        let p = ports(&[1000]);
        let mut r = Rlb::new();
        r.choose_channel(&arp(ARPOP_REQUEST, 1, 2, BCAST), 0, &p, Some(0));
        r.rx_ntt = false;
        let reply = ArpPkt {
            op: ARPOP_REPLY,
            mac_src: client(2),
            ip_src: [10, 0, 0, 2],
            mac_dst: [2, 0, 0, 0, 0, 0xb],
            ip_dst: [10, 0, 0, 1],
        };
        r.update_entry_from_arp(&reply);
        let e = r.entry(super::super::tlb::simple_hash(&[10, 0, 0, 2]));
        assert_eq!(e.mac_dst, client(2));
        assert!(e.ntt && r.rx_ntt);
    }

    #[test]
    fn separate_table_and_reset() {
        let p = ports(&[1000, 1000]);
        let mut r = Rlb::with_table(vec![RlbClient::EMPTY; RLB_HASH_TABLE_SIZE]).unwrap();
        assert!(Rlb::with_table(vec![RlbClient::EMPTY; 3]).is_none());
        r.choose_channel(&arp(ARPOP_REPLY, 1, 2, client(2)), 0, &p, Some(0));
        r.choose_channel(&arp(ARPOP_REPLY, 1, 3, client(3)), 0, &p, Some(0));
        assert_eq!(r.used().count(), 2);
        r.rx_ntt = false;
        // Port 1 holds the bond's address: only port 0's client is told.
        r.req_update_subnet_clients_by(&[10, 0, 0, 1], |id| id == 1);
        let told: Vec<_> = r.used().filter(|&i| r.entry(i).ntt).collect();
        assert!(r.rx_ntt && told.len() == 2);
        r.reset();
        assert_eq!(r.used().count(), 0);
        assert!(!r.rx_ntt && r.rx_slave.is_none());
    }

    #[test]
    fn vlan_and_port_removal() {
        let p = ports(&[1000, 1000, 1000]);
        let mut r = Rlb::new();
        r.choose_channel(&arp(ARPOP_REPLY, 1, 2, client(2)), 7, &p, Some(0));
        r.choose_channel(&arp(ARPOP_REPLY, 1, 3, client(3)), 0, &p, Some(0));
        r.choose_channel(&arp(ARPOP_REPLY, 1, 4, client(4)), 0, &p, Some(0));
        r.remove_port(1);
        let slaves: Vec<_> = r.used().map(|i| r.entry(i).slave).collect();
        assert_eq!(slaves, [Some(1), None, Some(0)]);
        r.clear_vlan(7);
        assert_eq!(r.used().count(), 2);
        r.rebalance(&p[..2]);
        assert!(r.used().all(|i| r.entry(i).slave.is_some()));
    }
}
