#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A tunnel peer without a tunnel device (IPv4-in-IPv4, GRE or sit): crafts
encapsulated packets with a raw socket and reports what comes back, for
the receive tests of tests/suites/ipip.sh, gre.sh and sit.sh (run in the
peer's namespace).

  tunnel_peer.py [--wait SECONDS] [--proto ipip|gre|sit]
                                    jobs on standard input, one a line:

  send NAME SRC DST PAYLOAD [OPT..] outer SRC > DST (protocol 4, 47 or
                                    41) around PAYLOAD:
    echo:ISRC:IDST                  an inner ICMP echo request ISRC > IDST
                                    (id 0x1234, seq = job number, fixed
                                    payload)
    short:N                         the first N bytes of an inner IPv4
                                    header
    echo6:ISRC6,IDST6               (sit) an inner ICMPv6 echo request
                                    (id 0x1234, seq = job number)
    eth:DMAC:ISRC:IDST              (GRE) the echo in an Ethernet frame
                                    to DMAC (written 02-00-..-01) from
                                    02-00-00-00-99-01 (protocol TEB)
    ers0:DMAC:ISRC:IDST             (GRE) that frame mirrored as ERSPAN
                                    type I (protocol 0x88be, no header)
    ers1:SID:INDEX:DMAC:ISRC:IDST   ERSPAN type II, session SID, index
    ers2:SID:DIR:HWID:DMAC:ISRC:IDST
                                    ERSPAN type III (protocol 0x22eb,
                                    timestamp 0x01020304)
  GRE options: key=N, seq=N, csum (a correct checksum), badcsum (a wrong
  one), flags=0xHHHH (the first 16 bits as given, e.g. version 1),
  proto=0xHHHH (the protocol field); any protocol: tos=0xHH (the outer
  header's TOS, e.g. an ECN mark; the inner packet's is 0, not-ECT)
  trigger NAME MATCH CMD            run CMD with sh (it makes the tunnel
                                    send), keep the first encapsulated
                                    packet whose description (below)
                                    contains MATCH that comes within
                                    TRIGGER_WAIT seconds (a bound: CMD's
                                    start costs a starved guest seconds),
                                    print "NAME: " and it
  senderr NAME TYPE CODE MTU        answer the kept packet with an ICMP
                                    error TYPE/CODE (MTU: the next-hop
                                    MTU of "fragmentation needed") from
                                    its destination, quoting all of it
  sh CMD                            run CMD with sh, print its output

For each send prints "NAME: WHAT" where WHAT lists, in arrival order,
what came back within --wait seconds (or at once after an echo reply):
"ipip OSRC>ODST tos T ttl T: ISRC>IDST icmp TYPE" (or "gre ... [key K]
[seq S] [csum]: ...", or "sit ...: ISRC6>IDST6 icmp6 TYPE") for an encapsulated packet, "icmp TYPE/CODE from
SRC" for an ICMP error about our packet, or "nothing". A python start
costs the TCG guest ~2 s: one process for all.
"""
import argparse
import select
import socket
import struct
import subprocess
import sys
import time

from flows import csum  # tests/lib/flows.py: the Internet checksum

# How long a trigger's packet may take (its command's ping is a process
# or two: ~1 s in the TCG guest, ten times that on a starved one).
TRIGGER_WAIT = 30.0

IPPROTO_IPIP = 4
IPPROTO_GRE = 47
IPPROTO_IPV6 = 41
PAYLOAD = b"rvnet-ipip-peer!"
GRE_CSUM, GRE_KEY, GRE_SEQ = 0x8000, 0x2000, 0x1000


def ip4(src, dst, proto, payload, ttl=64, tos=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(payload), 0x0101, 0, ttl, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def echo(seq):
    m = struct.pack("!BBHHH", 8, 0, 0, 0x1234, seq) + PAYLOAD
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def echo6(src, dst, seq):
    """An IPv6 header and ICMPv6 echo request SRC > DST."""
    s6, d6 = socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst)
    m = struct.pack("!BBHHH", 128, 0, 0, 0x1234, seq) + PAYLOAD
    ph = s6 + d6 + struct.pack("!I3xB", len(m), 58)
    m = m[:2] + struct.pack("!H", csum(ph + m)) + m[4:]
    return struct.pack("!IHBB", 6 << 28, len(m), 58, 64) + s6 + d6 + m


def describe6(i):
    if len(i) < 41:
        return ": short inner (%d bytes)" % len(i)
    s = ": %s>%s" % (socket.inet_ntop(socket.AF_INET6, i[8:24]),
                     socket.inet_ntop(socket.AF_INET6, i[24:40]))
    return s + (" icmp6 %d" % i[40] if i[6] == 58 else " proto %d" % i[6])


def mac(s):
    return bytes(int(x, 16) for x in s.split("-"))


def gre(payload, proto, opts):
    """The GRE header for OPTS (key=, seq=, csum, badcsum, flags=, proto=)
    in front of PAYLOAD."""
    flags, key, seq, ck = 0, None, None, None
    for o in opts:
        if o.startswith("key="):
            key = int(o[4:], 0)
            flags |= GRE_KEY
        elif o.startswith("seq="):
            seq = int(o[4:], 0)
            flags |= GRE_SEQ
        elif o in ("csum", "badcsum"):
            ck = o
            flags |= GRE_CSUM
        elif o.startswith("proto="):
            proto = int(o[6:], 0)
    for o in opts:
        if o.startswith("flags="):
            flags = int(o[6:], 0)
    opt = b""
    if flags & GRE_CSUM:
        opt += b"\0\0\0\0"
    if flags & GRE_KEY:
        opt += struct.pack("!I", key or 0)
    if flags & GRE_SEQ:
        opt += struct.pack("!I", seq or 0)
    h = struct.pack("!HH", flags, proto) + opt
    if ck:
        c = csum(h + payload)
        if ck == "badcsum":
            c ^= 0x5a5a
        h = h[:4] + struct.pack("!H", c) + h[6:]
    return h + payload


def erspan(ver, sid, fields, frame):
    """An ERSPAN type II (VER 1: FIELDS index) or III (VER 2: FIELDS
    direction, hardware id) header in front of FRAME."""
    h = struct.pack("!BBBB", ver << 4, 0, (sid >> 8) & 3, sid & 0xff)
    if ver == 1:
        return h + struct.pack("!I", fields[0] & 0xfffff) + frame
    w = ((fields[1] << 4) & 0x03f0) | ((fields[0] << 3) & 0x0008)
    return h + struct.pack("!IHH", 0x01020304, 0, w) + frame


def describe_erspan(i, typ1):
    """The ERSPAN header at I (none for type I) and what it carries."""
    if typ1:
        return " erspan I", i
    ver, sid, t = i[0] >> 4, (i[2] & 3) << 8 | i[3], i[2] >> 2 & 1
    s = " erspan v%d id %d t %d" % (ver, sid, t)
    if ver == 1:
        return s + " index %d" % (struct.unpack("!I", i[4:8])[0] & 0xfffff), i[8:]
    w = struct.unpack("!H", i[10:12])[0]
    return s + " dir %d hwid %d" % (w >> 3 & 1, w >> 4 & 0x3f), i[12:]


def describe_inner(i):
    if len(i) < 20:
        return ": short inner (%d bytes)" % len(i)
    s = ": %s>%s" % (socket.inet_ntoa(i[12:16]), socket.inet_ntoa(i[16:20]))
    if i[9] == 1 and len(i) >= (i[0] & 15) * 4 + 1:
        s += " icmp %d" % i[(i[0] & 15) * 4]
    else:
        s += " proto %d" % i[9]
    return s


def describe(pkt):
    o = pkt
    kind = {IPPROTO_IPIP: "ipip", IPPROTO_IPV6: "sit"}.get(o[9], "gre")
    s = "%s %s>%s tos 0x%02x ttl %d" % (kind, socket.inet_ntoa(o[12:16]), socket.inet_ntoa(o[16:20]),
                                        o[1], o[8])
    i = o[(o[0] & 15) * 4:]
    if kind == "sit":
        return s + describe6(i)
    if kind == "gre":
        flags, proto = struct.unpack("!HH", i[:4])
        off = 4
        if flags & GRE_CSUM:
            s += " csum %s" % ("ok" if csum(i) == 0 else "bad")
            off += 4
        if flags & GRE_KEY:
            s += " key %d" % struct.unpack("!I", i[off:off + 4])[0]
            off += 4
        if flags & GRE_SEQ:
            s += " seq %d" % struct.unpack("!I", i[off:off + 4])[0]
            off += 4
        i = i[off:]
        if proto in (0x88be, 0x22eb):
            e, i = describe_erspan(i, off == 4)
            s += e
        if proto in (0x6558, 0x88be, 0x22eb):
            s += " teb %s>%s" % (i[6:12].hex("-"), i[0:6].hex("-"))
            i = i[14:]
        elif proto == 0x86dd and len(i) >= 41:
            s += ": %s>%s" % (socket.inet_ntop(socket.AF_INET6, i[8:24]),
                              socket.inet_ntop(socket.AF_INET6, i[24:40]))
            return s + (" icmp6 %d" % i[40] if i[6] == 58 else " proto %d" % i[6])
        elif proto != 0x0800:
            return s + " proto 0x%04x" % proto
    return s + describe_inner(i)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--wait", type=float, default=1.0)
    p.add_argument("--proto", choices=["ipip", "gre", "sit"], default="ipip")
    a = p.parse_args()
    oproto = {"ipip": IPPROTO_IPIP, "gre": IPPROTO_GRE, "sit": IPPROTO_IPV6}[a.proto]
    tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    r4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, oproto)
    ric = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    socks = [r4, ric]
    n = 0
    kept = None
    for line in sys.stdin:
        w = line.split()
        if not w:
            continue
        if w[0] == "trigger":
            for s in socks:
                while select.select([s], [], [], 0)[0]:
                    s.recv(65535)
            subprocess.Popen(line.split(None, 3)[3], shell=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            kept = None
            end = time.monotonic() + max(a.wait, TRIGGER_WAIT)
            while kept is None and time.monotonic() < end:
                if select.select([r4], [], [], max(0, end - time.monotonic()))[0]:
                    pkt = r4.recv(65535)
                    if w[2] in describe(pkt):
                        kept = pkt
            print("%s: %s" % (w[1], describe(kept) if kept else "nothing"))
            sys.stdout.flush()
            continue
        if w[0] == "senderr":
            if kept is None:
                print("%s: nothing kept" % w[1])
                continue
            t, c, mtu = int(w[2]), int(w[3]), int(w[4])
            q = kept[:548]
            m = struct.pack("!BBHHH", t, c, 0, 0, mtu) + q
            m = m[:2] + struct.pack("!H", csum(m)) + m[4:]
            src, dst = socket.inet_ntoa(kept[16:20]), socket.inet_ntoa(kept[12:16])
            tx.sendto(ip4(src, dst, socket.IPPROTO_ICMP, m), (dst, 0))
            print("%s: sent icmp %d/%d" % (w[1], t, c))
            sys.stdout.flush()
            continue
        if w[0] == "sh":
            r = subprocess.run(line.strip()[3:], shell=True, capture_output=True, text=True)
            sys.stdout.write(r.stdout + r.stderr)
            if r.returncode:
                print("sh exit %d: %s" % (r.returncode, line.strip()[3:]))
            sys.stdout.flush()
            continue
        opts = [o for o in w[5:] if not o.startswith("tos=")]
        tos = [int(o[4:], 0) for o in w[5:] if o.startswith("tos=")]
        if w[0] != "send" or len(w) < 5 or (a.proto != "gre" and opts) or len(tos) > 1:
            print("bad job: " + line.strip())
            sys.exit(2)
        n += 1
        name, src, dst, kind = w[1:5]
        proto = 0x0800
        if kind.startswith("echo:"):
            _, isrc, idst = kind.split(":")
            inner = ip4(isrc, idst, 1, echo(n))
        elif kind.startswith("echo6:") and a.proto == "sit":
            isrc, idst = kind[6:].split(",")
            inner = echo6(isrc, idst, n)
        elif kind.startswith("short:"):
            inner = ip4("10.255.0.1", "10.255.0.2", 1, echo(n))[:int(kind[6:])]
        elif kind.startswith("eth:") and a.proto == "gre":
            _, dmac, isrc, idst = kind.split(":")
            inner = mac(dmac) + mac("02-00-00-00-99-01") + b"\x08\x00" + ip4(isrc, idst, 1, echo(n))
            proto = 0x6558
        elif kind.startswith("ers") and a.proto == "gre":
            f = kind.split(":")
            dmac, isrc, idst = f[-3:]
            frame = mac(dmac) + mac("02-00-00-00-99-01") + b"\x08\x00" + ip4(isrc, idst, 1, echo(n))
            nums = [int(x, 0) for x in f[1:-3]]
            if f[0] == "ers0" and not nums:
                inner, proto = frame, 0x88be
            elif f[0] == "ers1" and len(nums) == 2:
                inner, proto = erspan(1, nums[0], nums[1:], frame), 0x88be
            elif f[0] == "ers2" and len(nums) == 3:
                inner, proto = erspan(2, nums[0], nums[1:], frame), 0x22eb
            else:
                print("bad kind: " + kind)
                sys.exit(2)
        else:
            print("bad kind: " + kind)
            sys.exit(2)
        if a.proto == "gre":
            inner = gre(inner, proto, opts)
        for s in socks:  # what arrived before this job is not its answer
            while select.select([s], [], [], 0)[0]:
                s.recv(65535)
        tx.sendto(ip4(src, dst, oproto, inner, tos=tos[0] if tos else 0), (dst, 0))
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
                    d = describe(pkt)
                    seen.append(d)
                    done = done or d.endswith("icmp 0") or d.endswith("icmp6 129")
                else:
                    hl = (pkt[0] & 15) * 4
                    t, c = pkt[hl], pkt[hl + 1]
                    q = pkt[hl + 8:]
                    # Only errors about a packet of ours (our protocol, to DST).
                    if t in (0, 8) or len(q) < 20 or q[9] != oproto or socket.inet_ntoa(q[16:20]) != dst:
                        continue
                    seen.append("icmp %d/%d from %s" % (t, c, socket.inet_ntoa(pkt[12:16])))
                    done = True
        print("%s: %s" % (name, "; ".join(seen) if seen else "nothing"))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
