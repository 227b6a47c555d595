#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The bonding ioctls, issued as the old ifenslave binary did (Debian's
ifenslave package is a hook script now): prints what each returns, the
structures byte for byte, or the errno name.

Usage: bondioctl.py CMD ARGS... [-- CMD ARGS...]...
  enslave|release|sethwaddr|change BOND SLAVE [old]
                          SIOCBONDENSLAVE ... (old: BOND_*_OLD, SIOCDEVPRIVATE+N)
  info BOND [old]         SIOCBONDINFOQUERY: struct ifbond
  slave BOND ID [old]     SIOCBONDSLAVEINFOQUERY: struct ifslave (its name
                          field pre-filled with 0x55: C strcpy's the name)
  miiphy BOND | miireg BOND REG | miiset BOND REG VAL
                          SIOCGMIIPHY / SIOCGMIIREG / SIOCSMIIREG (phy_id
                          pre-filled with 7)
"""
import ctypes
import fcntl
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ioctl_cli import main, sock  # noqa: E402

SIOCDEVPRIVATE = 0x89F0
NEW = {"enslave": 0x8990, "release": 0x8991, "sethwaddr": 0x8992,
       "slave": 0x8993, "info": 0x8994, "change": 0x8995}
OLD = {"enslave": SIOCDEVPRIVATE, "release": SIOCDEVPRIVATE + 1,
       "sethwaddr": SIOCDEVPRIVATE + 2, "slave": SIOCDEVPRIVATE + 11,
       "info": SIOCDEVPRIVATE + 12, "change": SIOCDEVPRIVATE + 13}
SIOCGMIIPHY, SIOCGMIIREG, SIOCSMIIREG = 0x8947, 0x8948, 0x8949


def number(cmd, a, n):
    return (OLD if len(a) > n and a[n] == "old" else NEW)[cmd]


def with_data(cmd, a, n, buf):
    """An ifreq whose ifr_data points to buf; returns ioctl's result."""
    ifr = bytearray(struct.pack("16sP16x", a[0].encode(), ctypes.addressof(buf)))
    return fcntl.ioctl(sock, number(cmd, a, n), ifr, True)


def mii(cmd, bond, reg=0, val=0):
    ifr = bytearray(struct.pack("16s4H16x", bond.encode(), 7, reg, val, 0))
    r = fcntl.ioctl(sock, cmd, ifr, True)
    phy, reg, vin, vout = struct.unpack_from("4H", ifr, 16)
    return f"{r} phy_id={phy} reg_num={reg} val_in={vin:#06x} val_out={vout:#06x}"


def run(cmd, a):
    if cmd in ("enslave", "release", "sethwaddr", "change"):
        ifr = bytearray(struct.pack("16s16s8x", a[0].encode(), a[1].encode()))
        return f"{cmd} {a[0]} {a[1]}: {fcntl.ioctl(sock, number(cmd, a, 2), ifr, True)}"
    if cmd == "info":
        buf = ctypes.create_string_buffer(b"\xaa" * 12, 12)
        r = with_data(cmd, a, 1, buf)
        mode, num, miimon = struct.unpack("3i", buf.raw)
        return f"info {a[0]}: {r} mode={mode} num_slaves={num} miimon={miimon}"
    if cmd == "slave":
        raw = struct.pack("i16sbbxxI", int(a[1]), b"\x55" * 16, -1, -1, 0xdeadbeef)
        buf = ctypes.create_string_buffer(raw, len(raw))
        r = with_data(cmd, a, 2, buf)
        return f"slave {a[0]} {a[1]}: {r} {buf.raw.hex()}"
    if cmd == "miiphy":
        return f"miiphy {a[0]}: {mii(SIOCGMIIPHY, a[0])}"
    if cmd == "miireg":
        return f"miireg {a[0]} {a[1]}: {mii(SIOCGMIIREG, a[0], int(a[1]))}"
    if cmd == "miiset":
        return f"miiset {a[0]}: {mii(SIOCSMIIREG, a[0], int(a[1]), int(a[2], 0))}"
    raise SystemExit(f"bondioctl.py: unknown command {cmd}")


main(run)
