#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Minimal rtnetlink client for tests: sends what `ip` cannot express
(a link kind's own IFLA_INFO_DATA attributes) and prints the kernel's
extended-ack message on error.

  rtnl.py newlink NAME KIND [TYPE=u32:VALUE | TYPE=u16:VALUE | TYPE=u8:VALUE | TYPE=raw:HEX ...]
  rtnl.py changelink NAME KIND [attrs as above]
  rtnl.py infodata NAME            print IFLA_INFO_DATA as "TYPE=HEX" lines

Exit status 0 on success; on error prints "error: ERRNO MESSAGE" and exits 1.
"""
import os
import socket
import struct
import sys

NETLINK_ROUTE = 0
NETLINK_EXT_ACK = 11
RTM_NEWLINK, RTM_GETLINK = 16, 18
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
NLMSG_ERROR = 2
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
IFLA_IFNAME, IFLA_LINKINFO = 3, 18
IFLA_INFO_KIND, IFLA_INFO_DATA = 1, 2
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


def link_msg(name, kind, specs):
    data = b"".join(encode(x) for x in specs)
    linkinfo = nla(IFLA_INFO_KIND, kind.encode() + b"\0")
    if specs:
        linkinfo += nla(IFLA_INFO_DATA | NLA_F_NESTED, data)
    return ifinfo() + nla(IFLA_IFNAME, name.encode() + b"\0") + \
        nla(IFLA_LINKINFO | NLA_F_NESTED, linkinfo)


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    cmd, name = argv[1], argv[2]
    if cmd in ("newlink", "changelink"):
        flags = NLM_F_REQUEST | NLM_F_ACK
        if cmd == "newlink":
            flags |= NLM_F_CREATE | NLM_F_EXCL
        err, msg, _ = request(RTM_NEWLINK, flags, link_msg(name, argv[3], argv[4:]))
        if err:
            print(f"error: {-err} {msg}")
            return 1
        return 0
    if cmd == "infodata":
        body = ifinfo() + nla(IFLA_IFNAME, name.encode() + b"\0")
        err, msg, replies = request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, body)
        if err:
            print(f"error: {-err} {msg}")
            return 1
        for _typ, payload in replies:
            attrs = parse_attrs(payload[16:])
            li = parse_attrs(attrs.get(IFLA_LINKINFO, b""))
            for t, v in sorted(parse_attrs(li.get(IFLA_INFO_DATA, b"")).items()):
                print(f"{t}={v.hex()}")
        return 0
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
