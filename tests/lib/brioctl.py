#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The legacy bridge ioctls, issued directly (as bridge-utils' libbridge
does, without its sysfs first): prints what each returns, the structures
byte for byte (running timers masked), or the errno name.

Usage: brioctl.py CMD ARGS... [-- CMD ARGS...]...
  version | bridges N                        SIOCGIFBR (old_deviceless)
  info BR | ports BR N | pinfo BR PORTNO      SIOCDEVPRIVATE BRCTL_GET_*
  fdb BR MAX OFFSET                           BRCTL_GET_FDB_ENTRIES
  set BR CMD A1 [A2]                          any BRCTL_* number with args
"""
import ctypes
import fcntl
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ioctl_cli import main, sock  # noqa: E402

SIOCGIFBR = 0x8940
SIOCDEVPRIVATE = 0x89F0
GET_VERSION, GET_BRIDGES = 0, 1
GET_BRIDGE_INFO, GET_PORT_LIST, GET_PORT_INFO, GET_FDB_ENTRIES = 6, 7, 13, 18

def devprivate(br, a0, a1=0, a2=0, a3=0):
    args = (ctypes.c_ulong * 4)(a0, a1, a2, a3)
    ifr = bytearray(struct.pack("16sP16x", br.encode(), ctypes.addressof(args)))
    return fcntl.ioctl(sock, SIOCDEVPRIVATE, ifr, True)


def deviceless(a0, a1=0, a2=0):
    args = bytearray(struct.pack("3L", a0, a1, a2))
    return fcntl.ioctl(sock, SIOCGIFBR, args, True)


def hexed(b):
    return b.hex()


def run(cmd, a):
    if cmd == "version":
        return f"version {deviceless(GET_VERSION)}"
    if cmd == "bridges":
        n = int(a[0])
        buf = (ctypes.c_int * max(n, 1))()
        got = deviceless(GET_BRIDGES, ctypes.addressof(buf), n)
        names = [socket.if_indextoname(buf[i]) for i in range(got)]
        return f"bridges {got} {sorted(names)}"
    if cmd == "info":
        buf = ctypes.create_string_buffer(72)
        r = devprivate(a[0], GET_BRIDGE_INFO, ctypes.addressof(buf))
        b = bytearray(buf.raw)
        b[68:72] = b"tttt"  # gc_timer_value runs
        return f"info {r} {hexed(bytes(b))}"
    if cmd == "ports":
        n = int(a[1])
        buf = (ctypes.c_int * 1024)()
        r = devprivate(a[0], GET_PORT_LIST, ctypes.addressof(buf), n)
        ports = [(i, socket.if_indextoname(buf[i])) for i in range(1024) if buf[i]]
        return f"ports {r} {ports}"
    if cmd == "pinfo":
        buf = ctypes.create_string_buffer(48)
        r = devprivate(a[0], GET_PORT_INFO, ctypes.addressof(buf), int(a[1]))
        b = bytearray(buf.raw)
        b[36:40] = b"tttt"  # forward_delay_timer_value runs
        return f"pinfo {r} {hexed(bytes(b))}"
    if cmd == "fdb":
        mx, off = int(a[1]), int(a[2])
        buf = ctypes.create_string_buffer(16 * max(mx, 1))
        r = devprivate(a[0], GET_FDB_ENTRIES, ctypes.addressof(buf), mx, off)
        recs = []
        for i in range(max(r, 0)):
            rec = bytearray(buf.raw[16 * i:16 * i + 16])
            if rec[7] == 0:
                rec[8:12] = b"tttt"  # a learned entry's age runs
            recs.append(hexed(bytes(rec)))
        return f"fdb {r} {sorted(recs)}"
    if cmd == "set":
        vals = [int(x, 0) for x in a[1:]]
        return f"set {' '.join(a[1:])}: {devprivate(a[0], *vals)}"
    raise SystemExit(f"brioctl.py: unknown command {cmd}")


main(run)
