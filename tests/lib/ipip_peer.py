#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""An IPv4-in-IPv4 peer without a tunnel device: crafts encapsulated
packets with a raw socket and reports what comes back, for the receive
tests of tests/suites/ipip.sh (run in the peer's namespace).

  ipip_peer.py [--wait SECONDS]     jobs on standard input, one a line:

  send NAME SRC DST echo:ISRC:IDST  outer SRC > DST, protocol 4, around an
                                    inner ICMP echo request ISRC > IDST
                                    (id 0x1234, seq = job number, fixed
                                    payload)
  send NAME SRC DST short:N         outer SRC > DST, protocol 4, carrying
                                    only the first N bytes of an inner
                                    IPv4 header
  sh CMD                            run CMD with sh, print its output

For each send prints "NAME: WHAT" where WHAT lists, in arrival order,
what came back within --wait seconds (or at once after an echo reply):
"ipip OSRC>ODST tos T ttl T: ISRC>IDST icmp TYPE" for an encapsulated
packet, "icmp TYPE/CODE from SRC" for an ICMP error about our packet, or
"nothing". A python start costs the TCG guest ~2 s: one process for all.
"""
import argparse
import select
import socket
import struct
import subprocess
import sys
import time

from flows import csum  # tests/lib/flows.py: the Internet checksum

IPPROTO_IPIP = 4
PAYLOAD = b"rvnet-ipip-peer!"


def ip4(src, dst, proto, payload, ttl=64, tos=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(payload), 0x0101, 0, ttl, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def echo(seq):
    m = struct.pack("!BBHHH", 8, 0, 0, 0x1234, seq) + PAYLOAD
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def describe_ipip(pkt):
    o = pkt
    s = "ipip %s>%s tos 0x%02x ttl %d" % (socket.inet_ntoa(o[12:16]), socket.inet_ntoa(o[16:20]), o[1], o[8])
    i = o[(o[0] & 15) * 4:]
    if len(i) < 20:
        return s + ": short inner (%d bytes)" % len(i)
    s += ": %s>%s" % (socket.inet_ntoa(i[12:16]), socket.inet_ntoa(i[16:20]))
    if i[9] == 1 and len(i) >= (i[0] & 15) * 4 + 1:
        s += " icmp %d" % i[(i[0] & 15) * 4]
    else:
        s += " proto %d" % i[9]
    return s


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--wait", type=float, default=1.0)
    a = p.parse_args()
    tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    r4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, IPPROTO_IPIP)
    ric = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    socks = [r4, ric]
    n = 0
    for line in sys.stdin:
        w = line.split()
        if not w:
            continue
        if w[0] == "sh":
            r = subprocess.run(line.strip()[3:], shell=True, capture_output=True, text=True)
            sys.stdout.write(r.stdout + r.stderr)
            if r.returncode:
                print("sh exit %d: %s" % (r.returncode, line.strip()[3:]))
            sys.stdout.flush()
            continue
        if w[0] != "send" or len(w) != 5:
            print("bad job: " + line.strip())
            sys.exit(2)
        n += 1
        name, src, dst, kind = w[1:]
        if kind.startswith("echo:"):
            _, isrc, idst = kind.split(":")
            inner = ip4(isrc, idst, 1, echo(n))
        elif kind.startswith("short:"):
            inner = ip4("10.255.0.1", "10.255.0.2", 1, echo(n))[:int(kind[6:])]
        else:
            print("bad kind: " + kind)
            sys.exit(2)
        for s in socks:  # what arrived before this job is not its answer
            while select.select([s], [], [], 0)[0]:
                s.recv(65535)
        tx.sendto(ip4(src, dst, IPPROTO_IPIP, inner), (dst, 0))
        seen = []
        end = time.monotonic() + a.wait
        done = False
        while not done:
            left = end - time.monotonic()
            if left <= 0:
                break
            for s in select.select(socks, [], [], left)[0]:
                pkt = s.recv(65535)
                if s is r4:
                    if socket.inet_ntoa(pkt[16:20]) != src and socket.inet_ntoa(pkt[12:16]) != dst:
                        continue
                    d = describe_ipip(pkt)
                    seen.append(d)
                    done = done or d.endswith("icmp 0")
                else:
                    hl = (pkt[0] & 15) * 4
                    t, c = pkt[hl], pkt[hl + 1]
                    q = pkt[hl + 8:]
                    # Only errors about a packet of ours (protocol 4, to DST).
                    if t in (0, 8) or len(q) < 20 or q[9] != IPPROTO_IPIP or socket.inet_ntoa(q[16:20]) != dst:
                        continue
                    seen.append("icmp %d/%d from %s" % (t, c, socket.inet_ntoa(pkt[12:16])))
                    done = True
        print("%s: %s" % (name, "; ".join(seen) if seen else "nothing"))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
