#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Crafted-frame traffic for the tests, with the receivers on independent
devices: each frame carries a trailing marker (b"RVNF" + 32-bit id) after
every header the kernel reads, so it can be recognised wherever it lands
without changing what a hash or a parser sees.

  flows.py run --tx NS:DEV --rx NS:DEV[,NS:DEV...] --set SET [--dst MAC] [--prio N]

Opens an AF_PACKET socket on every receiver (in its network namespace,
through setns), sends SET's frames on the transmitter with an AF_PACKET
socket, waits until the receivers are quiet and prints, for each frame in
sending order, "NAME RECEIVERS" (the receiving devices, one entry per copy,
sorted; "-" if none), then for each receiver "order DEV: NAMES" (the frames
in arrival order). NS "." is the caller's namespace.

  flows.py runs

Several runs in one process (a python start costs the test guest ~2 s):
each line of standard input holds the options of one run (as `run`'s,
plus --prefix TEXT, printed before each line of that run's output); a
line starting with "==" is printed as it is.

  flows.py monitor --tx NS:DEV --rx NS:DEV[,NS:DEV...] --out FILE [--interval S]

Sends one probe of one UDP flow every --interval seconds until killed and
appends "N RECEIVERS" for probe N to FILE once it arrived or the interval
passed ("-": lost), so a test can see which device carries traffic across
link changes without starting a process per probe. It ends when the
transmitting device is gone.

Sets:
  hash       IPv4/IPv6 TCP, UDP, ICMP (echo and errors), IPv4 and IPv6
             fragments (first and later), GRE, IPIP, SIT, VXLAN-in-UDP, ARP
             and a non-IP ethertype, over several MACs, addresses and ports
  seq:N      N frames of one UDP flow
  arp:N      N ARP-like frames (ethertype 0x0806) to --dst
  to:MAC[/MAC...]
             one IPv4/UDP frame from --src to each MAC (a bridge's
             forwarding, flooding and link-local rules), named by the MAC
  tag:TPID=TCI[/TPID=TCI...][:N]
             N IPv4/UDP frames to --dst with these tags written in the
             frame, outer first (TPID in hex, TCI as a C integer)
"""
import argparse
import ctypes
import errno
import os
import select
import shlex
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
ETH_P_ALL = 0x0003
MARK = b"RVNF"
SO_PRIORITY = 12

_libc = ctypes.CDLL(None, use_errno=True)


_HOME_NS = os.open("/proc/self/ns/net", os.O_RDONLY)


def setns(name):
    """Enter network namespace NAME (".": the one we started in)."""
    fd = _HOME_NS if name == "." else os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, "setns %s: %s" % (name, os.strerror(e)))
    finally:
        if fd != _HOME_NS:
            os.close(fd)


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def eth(dst, src, etype, payload, tags=()):
    """An Ethernet frame; TAGS are (TPID, TCI) pairs written in it, outer first."""
    return (mac(dst) + mac(src) + b"".join(struct.pack("!HH", t, c) for t, c in tags) +
            struct.pack("!H", etype) + payload)


def ip4(src, dst, proto, payload, frag=0, ident=1):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ip6(src, dst, nh, payload):
    return (struct.pack("!IHBB", 0x60000000, len(payload), nh, 64) +
            socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, dst) + payload)


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def tcp(sport, dport, payload):
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x02, 65535, 0, 0) + payload


def icmp(ty, code, ident, payload):
    return struct.pack("!BBHHH", ty, code, 0, ident, 1) + payload


def frag6(nh, offset, more, ident, payload):
    return struct.pack("!BBHI", nh, 0, (offset << 3) | int(more), ident) + payload


def hash_set():
    """(name, frame) pairs exercising every key the bonding hashes read."""
    out = []
    srcs = ["02:00:00:00:aa:01", "02:00:00:00:aa:02", "02:00:00:00:aa:13"]
    dsts = ["02:00:00:00:bb:01", "02:00:00:00:bb:06", "02:00:00:00:bb:0b", "02:00:00:00:bb:2c"]
    for i in range(6):
        sm, dm = srcs[i % 3], dsts[(i * 7 + i // 3) % 4]
        a4, b4 = "10.1.%d.%d" % (i, 10 + i * 3), "10.2.%d.%d" % (i * 5 % 7, 200 - i * 11)
        a6, b6 = "2001:db8::%x:%x" % (i, 0x10 + i * 3), "2001:db8:1::%x" % (0x200 - i * 17)
        sp, dp = 40000 + 977 * i, 80 + 13 * i
        inner = ip4("192.168.%d.1" % i, "192.168.9.%d" % (2 + i), 17, udp(5000 + i, 6000 + 7 * i, b""))
        f = {
            "v4tcp": eth(dm, sm, 0x0800, ip4(a4, b4, 6, tcp(sp, dp, b""))),
            "v4udp": eth(dm, sm, 0x0800, ip4(a4, b4, 17, udp(sp + 1, dp + 2, b""))),
            "v4echo": eth(dm, sm, 0x0800, ip4(a4, b4, 1, icmp(8, 0, 0x100 + 37 * i, b""))),
            "v4unreach": eth(dm, sm, 0x0800, ip4(a4, b4, 1, icmp(
                3, 1, 0, ip4(b4, "10.3.0.%d" % i, 6, tcp(dp, sp, b"")[:8])))),
            "v4frag1": eth(dm, sm, 0x0800, ip4(a4, b4, 17, udp(sp, dp, b"x" * 16), frag=0x2000, ident=i)),
            "v4frag2": eth(dm, sm, 0x0800, ip4(a4, b4, 17, b"y" * 16, frag=0x0003, ident=i)),
            "v4gre": eth(dm, sm, 0x0800, ip4(a4, b4, 47, struct.pack("!HH", 0, 0x0800) + inner)),
            "v4ipip": eth(dm, sm, 0x0800, ip4(a4, b4, 4, inner)),
            "v4sit": eth(dm, sm, 0x0800, ip4(a4, b4, 41, ip6(a6, b6, 17, udp(sp, dp, b"")))),
            "v4vxlan": eth(dm, sm, 0x0800, ip4(a4, b4, 17, udp(sp, 4789, struct.pack("!II", 0x08000000, 42 << 8) +
                                                               eth(dsts[0], srcs[i % 3], 0x0800, inner)))),
            "v6tcp": eth(dm, sm, 0x86DD, ip6(a6, b6, 6, tcp(sp, dp, b""))),
            "v6udp": eth(dm, sm, 0x86DD, ip6(a6, b6, 17, udp(sp + 3, dp, b""))),
            "v6echo": eth(dm, sm, 0x86DD, ip6(a6, b6, 58, icmp(128, 0, 0x200 + 41 * i, b""))),
            "v6frag1": eth(dm, sm, 0x86DD, ip6(a6, b6, 44, frag6(17, 0, True, i, udp(sp, dp, b"z" * 8)))),
            "v6frag2": eth(dm, sm, 0x86DD, ip6(a6, b6, 44, frag6(17, 3, False, i, b"w" * 8))),
            "v6gre": eth(dm, sm, 0x86DD, ip6(a6, b6, 47, struct.pack("!HH", 0, 0x0800) + inner)),
            "arp": eth("ff:ff:ff:ff:ff:ff", sm, 0x0806, bytes(28)),
            "lldp": eth(dm, sm, 0x88CC, bytes(16)),
        }
        for k, v in f.items():
            out.append(("%s.%d" % (k, i), v))
    return out


def frame_set(name, dst, src="02:00:00:00:aa:01"):
    if name == "hash":
        return hash_set()
    if name.startswith("to:"):
        body = ip4("10.30.0.1", "10.30.0.2", 17, udp(4000, 5000, b"b" * 8))
        return [("to-" + d.replace(":", ""), eth(d, src, 0x0800, body))
                for d in name[3:].split("/")]
    kind, _, n_tags = name.partition(":")
    n = 1 if kind == "tag" else int(n_tags or 1)
    if kind == "seq":
        return [("seq%04d" % i, eth(dst, "02:00:00:00:aa:01", 0x0800,
                                    ip4("10.1.0.1", "10.2.0.1", 17, udp(4000, 5000, b"s" * 8))))
                for i in range(n)]
    if kind == "tag":
        # tag:TPID=TCI[/TPID=TCI...]:N, tags written in the frame, outer first.
        tags, _, n = n_tags.partition(":")
        tags = [(int(t, 16), int(c, 0)) for t, c in (x.split("=") for x in tags.split("/"))]
        body = ip4("10.20.0.2", "10.20.0.1", 17, udp(4000, 5000, b"t" * 8))
        return [("tag%04d" % i, eth(dst, "02:00:00:00:0b:0b", 0x0800, body, tags)) for i in range(int(n or 1))]
    if kind == "arp":
        return [("arp%04d" % i, eth(dst, "02:00:00:00:aa:01", 0x0806, bytes(28))) for i in range(n)]
    sys.exit("unknown set " + name)


def endpoint(spec):
    ns, _, dev = spec.partition(":")
    return ns, dev


def monitor(tx, rx, frame, out, interval):
    with open(out, "a", buffering=1) as log:
        n = 0
        while True:
            try:
                tx.send(frame + MARK + struct.pack("!I", n))
            except OSError as e:
                if e.errno in (errno.ENXIO, errno.ENODEV):
                    return  # the transmitter is gone: nothing left to watch
            seen = []
            end = time.monotonic() + interval
            while True:
                left = end - time.monotonic()
                if left <= 0:
                    break
                r, _, _ = select.select(list(rx), [], [], left)
                for s in r:
                    while True:
                        try:
                            b = s.recv(65535)
                        except OSError:  # no more, or the device went down
                            break
                        k = b.rfind(MARK)
                        if k >= 0 and b[k + 4:k + 8] == struct.pack("!I", n):
                            seen.append(rx[s])
            log.write("%d %s\n" % (n, ",".join(sorted(seen)) or "-"))
            n += 1


def parser():
    p = argparse.ArgumentParser()
    p.add_argument("--tx", required=True)
    p.add_argument("--rx", required=True)
    p.add_argument("--set")
    p.add_argument("--dst", default="02:00:00:00:bb:01")
    p.add_argument("--src", default="02:00:00:00:aa:01")
    p.add_argument("--prio", type=int, default=0)
    p.add_argument("--quiet", type=float, default=0.5, help="seconds without a frame that end the capture")
    p.add_argument("--out")
    p.add_argument("--interval", type=float, default=0.2)
    p.add_argument("--prefix", default="")
    return p


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "runs":
        for line in sys.stdin:
            line = line.strip()
            if line.startswith("=="):
                print(line, flush=True)
            elif line:
                job("run", parser().parse_args(shlex.split(line)))
        return
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "monitor"):
        sys.exit("usage: flows.py run|runs|monitor [options] (see the header)")
    job(sys.argv[1], parser().parse_args(sys.argv[2:]))


def job(cmd, a):
    frames = frame_set(a.set or "seq:1", a.dst, a.src)
    rx = {}
    for spec in a.rx.split(","):
        ns, dev = endpoint(spec)
        setns(ns)
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        s.bind((dev, 0))
        s.setblocking(False)
        rx[s] = dev
    ns, dev = endpoint(a.tx)
    setns(ns)
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    tx.bind((dev, 0))
    if a.prio:
        tx.setsockopt(socket.SOL_SOCKET, SO_PRIORITY, a.prio)
    setns(".")

    got = {i: [] for i in range(len(frames))}
    order = {d: [] for d in rx.values()}

    def drain(timeout):
        r, _, _ = select.select(list(rx), [], [], timeout)
        for s in r:
            while True:
                try:
                    b = s.recv(65535)
                except OSError:  # no more, or the device went down
                    break
                k = b.rfind(MARK)
                if k < 0 or len(b) < k + 8:
                    continue
                (i,) = struct.unpack("!I", b[k + 4:k + 8])
                if i in got:
                    got[i].append(rx[s])
                    order[rx[s]].append(frames[i][0])
        return bool(r)

    if cmd == "monitor":
        monitor(tx, rx, frames[0][1], a.out, a.interval)
        return
    for i, (_, f) in enumerate(frames):
        tx.send(f + MARK + struct.pack("!I", i))
        drain(0)
    last = time.monotonic()
    while time.monotonic() - last < a.quiet:
        if drain(0.05):
            last = time.monotonic()
    for i, (name, _) in enumerate(frames):
        print(a.prefix + name, ",".join(sorted(got[i])) or "-")
    for d in order:
        print(a.prefix + "order %s: %s" % (d, " ".join(order[d])))
    sys.stdout.flush()
    tx.close()
    for s in rx:
        s.close()


if __name__ == "__main__":
    main()
