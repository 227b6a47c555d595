#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Minimal rtnetlink client for tests: sends what `ip` cannot express
(a link kind's own IFLA_INFO_DATA attributes) and prints the kernel's
extended-ack message on error.

  rtnl.py newlink NAME KIND [TYPE=u32:VALUE | TYPE=u16:VALUE | TYPE=u8:VALUE | TYPE=raw:HEX ...]
  rtnl.py changelink NAME KIND [attrs as above]
  rtnl.py slavechangelink NAME MASTERKIND [attrs as above]   (IFLA_INFO_SLAVE_DATA)
  rtnl.py batch                    one request per line of standard input
                                   (newlink/changelink/slavechangelink as
                                   above), one process for all (a python
                                   start costs a TCG guest seconds);
                                   prints "N ok" or "N error: ..." per line
  rtnl.py infodata NAME            print IFLA_INFO_DATA as "TYPE=HEX" lines
  rtnl.py bondxstats NAME          print the 802.3ad counters of a bond
                                   ("bond COUNTER VALUE") or of a bond's
                                   slave ("slave COUNTER VALUE"), named as
                                   `ip link xstats` does (iproute2 6.1's
                                   own smashes its stack on them)
  rtnl.py xstats NAME              print every extended statistic of a
                                   device, raw: "master|slave XSTATS_TYPE
                                   ATTR HEX" lines

Exit status 0 on success; on error prints "error: ERRNO MESSAGE" and exits 1.
"""
import os
import socket
import struct
import sys

NETLINK_ROUTE = 0
NETLINK_EXT_ACK = 11
RTM_NEWLINK, RTM_GETLINK = 16, 18
RTM_GETSTATS = 94
IFLA_STATS_LINK_XSTATS, IFLA_STATS_LINK_XSTATS_SLAVE = 2, 3
LINK_XSTATS_TYPE_BOND, BOND_XSTATS_3AD = 2, 1
# BOND_3AD_STAT_* in order, as iproute2 names them.
BOND_3AD_STATS = ["LACPDU Rx", "LACPDU Tx", "LACPDU Unknown type Rx",
                  "LACPDU Illegal Rx", "Marker Rx", "Marker Tx",
                  "Marker response Rx", "Marker response Tx",
                  "Marker unknown type Rx"]
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
NLMSG_ERROR = 2
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
IFLA_IFNAME, IFLA_LINKINFO = 3, 18
IFLA_INFO_KIND, IFLA_INFO_DATA = 1, 2
IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA = 4, 5
NLA_F_NESTED = 0x8000


def nla(typ, payload):
    hdr = struct.pack("=HH", 4 + len(payload), typ)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def parse_attrs(buf):
    out = {}
    while len(buf) >= 4:
        ln, typ = struct.unpack_from("=HH", buf)
        if ln < 4:
            break
        out[typ & 0x3FFF] = buf[4:ln]
        buf = buf[(ln + 3) & ~3:]
    return out


def encode(spec):
    typ, val = spec.split("=", 1)
    kind, v = val.split(":", 1)
    if kind == "u32":
        p = struct.pack("=I", int(v, 0))
    elif kind == "u16":
        p = struct.pack("=H", int(v, 0))
    elif kind == "u8":
        p = struct.pack("=B", int(v, 0))
    elif kind == "raw":
        p = bytes.fromhex(v)
    else:
        raise SystemExit(f"bad attribute spec {spec}")
    return nla(int(typ, 0), p)


def request(msg_type, flags, body):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    s.setsockopt(270, NETLINK_EXT_ACK, 1)  # SOL_NETLINK
    s.bind((0, 0))
    hdr = struct.pack("=IHHII", 16 + len(body), msg_type, flags, 1, 0)
    s.send(hdr + body)
    replies = []
    while True:
        data = s.recv(65536)
        off = 0
        while off + 16 <= len(data):
            ln, typ, fl, _seq, _pid = struct.unpack_from("=IHHII", data, off)
            payload = data[off + 16:off + ln]
            if typ == NLMSG_ERROR:
                (err,) = struct.unpack_from("=i", payload)
                msg = ""
                if fl & NLM_F_ACK_TLVS:
                    olen = struct.unpack_from("=I", payload, 4)[0]
                    tlv = payload[4 + (olen if err else 16):]
                    a = parse_attrs(tlv)
                    if NLMSGERR_ATTR_MSG in a:
                        msg = a[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode()
                return err, msg, replies
            replies.append((typ, payload))
            off += (ln + 3) & ~3
        if not (flags & NLM_F_ACK) and replies:
            return 0, "", replies


def ifinfo():
    return struct.pack("=BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0)


def link_msg(name, kind, specs, slave=False):
    data = b"".join(encode(x) for x in specs)
    kind_attr, data_attr = (IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA) if slave \
        else (IFLA_INFO_KIND, IFLA_INFO_DATA)
    linkinfo = nla(kind_attr, kind.encode() + b"\0")
    if specs:
        linkinfo += nla(data_attr | NLA_F_NESTED, data)
    return ifinfo() + nla(IFLA_IFNAME, name.encode() + b"\0") + \
        nla(IFLA_LINKINFO | NLA_F_NESTED, linkinfo)


def query(msg_type, flags, body, hdrlen):
    """The attributes of each reply (after its HDRLEN-byte family header),
    or None after printing the kernel's error."""
    err, msg, replies = request(msg_type, flags, body)
    if err:
        print(f"error: {-err} {msg}")
        return None
    return [parse_attrs(payload[hdrlen:]) for _typ, payload in replies]


def print_bond_xstats(attrs):
    """A bond's (IFLA_STATS_LINK_XSTATS) or a bond slave's
    (IFLA_STATS_LINK_XSTATS_SLAVE) 802.3ad counters."""
    for top, label in ((IFLA_STATS_LINK_XSTATS, "bond"),
                       (IFLA_STATS_LINK_XSTATS_SLAVE, "slave")):
        bond = parse_attrs(attrs.get(top, b"")).get(LINK_XSTATS_TYPE_BOND)
        if bond is None:
            continue
        ad = parse_attrs(bond).get(BOND_XSTATS_3AD)
        if ad is None:
            print(f"{label} no 802.3ad counters")
            continue
        stats = parse_attrs(ad)
        for i, what in enumerate(BOND_3AD_STATS):
            if i in stats:
                print(f"{label} {what} {struct.unpack('=Q', stats[i][:8])[0]}")


def get_xstats(name):
    """RTM_GETSTATS for a device's own and its slave extended statistics:
    the replies' attributes, or None (the error printed)."""
    mask = (1 << (IFLA_STATS_LINK_XSTATS - 1)) | (1 << (IFLA_STATS_LINK_XSTATS_SLAVE - 1))
    body = struct.pack("=BxHII", socket.AF_UNSPEC, 0, socket.if_nametoindex(name), mask)
    return query(RTM_GETSTATS, NLM_F_REQUEST | NLM_F_ACK, body, 12)


def main(argv):
    if len(argv) == 2 and argv[1] == "batch":
        for i, line in enumerate(sys.stdin):
            words = line.split()
            if not words:
                continue
            print(f"{i} ", end="", flush=True)
            if main(["rtnl.py"] + words) == 0:
                print("ok", flush=True)
        return 0
    if len(argv) < 3:
        raise SystemExit(__doc__)
    cmd, name = argv[1], argv[2]
    if cmd in ("newlink", "changelink", "slavechangelink"):
        flags = NLM_F_REQUEST | NLM_F_ACK
        if cmd == "newlink":
            flags |= NLM_F_CREATE | NLM_F_EXCL
        msg = link_msg(name, argv[3], argv[4:], slave=cmd == "slavechangelink")
        return 0 if query(RTM_NEWLINK, flags, msg, 0) is not None else 1
    if cmd == "infodata":
        body = ifinfo() + nla(IFLA_IFNAME, name.encode() + b"\0")
        replies = query(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, body, 16)
        if replies is None:
            return 1
        for attrs in replies:
            li = parse_attrs(attrs.get(IFLA_LINKINFO, b""))
            for t, v in sorted(parse_attrs(li.get(IFLA_INFO_DATA, b"")).items()):
                print(f"{t}={v.hex()}")
        return 0
    if cmd == "xstats":
        replies = get_xstats(name)
        if replies is None:
            return 1
        for attrs in replies:
            for top, label in ((IFLA_STATS_LINK_XSTATS, "master"),
                               (IFLA_STATS_LINK_XSTATS_SLAVE, "slave")):
                for kind, nest in sorted(parse_attrs(attrs.get(top, b"")).items()):
                    for t, v in sorted(parse_attrs(nest).items()):
                        print(f"{label} {kind} {t} {v.hex()}")
        return 0
    if cmd == "bondxstats":
        replies = get_xstats(name)
        if replies is None:
            return 1
        for attrs in replies:
            print_bond_xstats(attrs)
        return 0
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
